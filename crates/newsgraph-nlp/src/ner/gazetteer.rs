//! Name lists written for newsgraph (countries, places, organisations, first names, titles), looked up by normalised name.
//!
//! The lists live in `crates/newsgraph-nlp/lexicons/*.txt` and are built into
//! the binary ([`Gazetteer::builtin`]). Each line of a list is one entry
//! (with alternates) and a type; the formats are given at the top of each
//! file. Names are normalised for lookup by splitting on whitespace and
//! lowercasing ([`normalize`]); the recogniser matches them over tokens with
//! the same normalisation ([`Gazetteer::mark_tokens`]).

use std::fmt;
use std::sync::OnceLock;

use newsgraph_learn::hash::{finish, hash_lowercase, mix};
use rustc_hash::FxHashMap;
use thiserror::Error;

/// What a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GazKind {
    /// A country or territory ("Russia", "Russian Federation", "USA").
    Country,
    /// A nationality noun or adjective ("Russian", "Russians").
    Nationality,
    /// A religious, ethnic or political group ("Shi'ite", "Kurds", "Democrats").
    Group,
    /// A national capital ("Moscow").
    Capital,
    /// A large city that is not a capital ("Basra").
    City,
    /// A state, province or region inside a country ("Texas", "Chechnya").
    Region,
    /// A continent or area spanning countries ("Middle East", "Balkans").
    Area,
    /// An international organisation or well-known body ("NATO", "Kremlin").
    Organization,
    /// A common first name ("Peter"), with a gender.
    FirstName,
    /// A title or role ("President", "spokesman"), with a sector.
    Title,
    /// A word that heads or ends organisation names ("Ministry", "Corp.").
    OrgHead,
}

impl GazKind {
    pub const ALL: [GazKind; 11] = [
        GazKind::Country,
        GazKind::Nationality,
        GazKind::Group,
        GazKind::Capital,
        GazKind::City,
        GazKind::Region,
        GazKind::Area,
        GazKind::Organization,
        GazKind::FirstName,
        GazKind::Title,
        GazKind::OrgHead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GazKind::Country => "country",
            GazKind::Nationality => "nationality",
            GazKind::Group => "group",
            GazKind::Capital => "capital",
            GazKind::City => "city",
            GazKind::Region => "region",
            GazKind::Area => "area",
            GazKind::Organization => "organization",
            GazKind::FirstName => "first_name",
            GazKind::Title => "title",
            GazKind::OrgHead => "org_head",
        }
    }

    #[inline]
    fn bit(self) -> u32 {
        1 << self as u32
    }

    /// Names of this kind are proper names: a match must start with a capital letter.
    fn needs_capital(self) -> bool {
        !matches!(self, GazKind::Title | GazKind::OrgHead)
    }
}

impl fmt::Display for GazKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Gender associated with a first name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    /// Used for both.
    Either,
}

/// One name in a gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct GazEntry {
    pub kind: GazKind,
    /// The entry's main name (the first one on its line).
    pub canonical: String,
    /// ISO 3166-1 alpha-3 code, or an international code (`UNO`, `IGO`,
    /// `EUR`, `NGO`, ...); `None` when not tied to a country.
    pub country: Option<String>,
    /// For first names.
    pub gender: Option<Gender>,
    /// For titles: PLOVER-style sector (`GOV`, `MIL`, ...).
    pub sector: Option<String>,
}

/// A line of a lexicon that could not be read.
#[derive(Debug, Error)]
#[error("lexicon `{file}` line {line}: {message}")]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The format of a lexicon file (see the header of each file in `lexicons/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexiconFormat {
    /// `ISO3|names;...|demonyms;...`
    Countries,
    /// `names;...|ISO3 or -|capital|city|region|area`
    Places,
    /// `code|names;...`
    Organizations,
    /// `name|ISO3 or -`
    Groups,
    /// `m|f|u name name ...`
    FirstNames,
    /// `title|sector or -`
    Titles,
    /// one name per line
    OrgHeads,
}

/// Match information for a token sequence (hash of its lowercased tokens).
#[derive(Debug, Clone, Copy, Default)]
struct SeqInfo {
    /// Kinds of the entries named exactly by this sequence (bit per [`GazKind`]).
    kinds: u32,
    /// Some longer entry starts with this sequence.
    prefix: bool,
}

/// Position of a token inside a gazetteer match (BILOU without O).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchPos {
    Begin = 0,
    Inside = 1,
    Last = 2,
    Unit = 3,
}

/// Lists of names with their kind and country, looked up by normalised name.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<GazEntry>,
    by_name: FxHashMap<String, Vec<u32>>,
    by_country_code: FxHashMap<String, u32>,
    seqs: FxHashMap<u64, SeqInfo>,
    /// Longest entry, in tokens.
    max_tokens: usize,
}

/// The lexicons built into the binary, as (file name, format, contents).
pub const BUILTIN_LEXICONS: &[(&str, LexiconFormat, &str)] = &[
    (
        "countries.txt",
        LexiconFormat::Countries,
        include_str!("../../lexicons/countries.txt"),
    ),
    (
        "places.txt",
        LexiconFormat::Places,
        include_str!("../../lexicons/places.txt"),
    ),
    (
        "organizations.txt",
        LexiconFormat::Organizations,
        include_str!("../../lexicons/organizations.txt"),
    ),
    (
        "groups.txt",
        LexiconFormat::Groups,
        include_str!("../../lexicons/groups.txt"),
    ),
    (
        "first_names.txt",
        LexiconFormat::FirstNames,
        include_str!("../../lexicons/first_names.txt"),
    ),
    (
        "titles.txt",
        LexiconFormat::Titles,
        include_str!("../../lexicons/titles.txt"),
    ),
    (
        "org_heads.txt",
        LexiconFormat::OrgHeads,
        include_str!("../../lexicons/org_heads.txt"),
    ),
];

/// Normalise a name for lookup: whitespace-separated tokens, lowercased, joined by one space.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, tok) in name.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(tok.chars().flat_map(char::to_lowercase));
    }
    out
}

fn seq_start() -> u64 {
    0x5bd1_e995
}

#[inline]
fn seq_push(h: u64, token_lower_hash: u64) -> u64 {
    mix(h, token_lower_hash)
}

fn code(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

impl Gazetteer {
    pub fn new() -> Self {
        Self::default()
    }

    /// The gazetteer built from the lexicons in `lexicons/` (parsed once).
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut g = Gazetteer::new();
            for (file, format, text) in BUILTIN_LEXICONS {
                g.add_lexicon(file, *format, text)
                    .expect("built-in lexicons are valid (checked by tests)");
            }
            g
        })
    }

    /// Number of entries (one per name, alternates counted separately).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of entries of one kind.
    pub fn count(&self, kind: GazKind) -> usize {
        self.entries.iter().filter(|e| e.kind == kind).count()
    }

    /// Longest entry, in tokens.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Add one name. Names are stored normalised ([`normalize`]).
    pub fn add(&mut self, name: &str, entry: GazEntry) {
        let key = normalize(name);
        if key.is_empty() {
            return;
        }
        let idx = self.entries.len() as u32;
        if entry.kind == GazKind::Country {
            if let Some(c) = &entry.country {
                self.by_country_code.entry(c.clone()).or_insert(idx);
            }
        }
        let kind_bit = entry.kind.bit();
        self.entries.push(entry);
        self.by_name.entry(key.clone()).or_default().push(idx);
        let toks: Vec<&str> = key.split(' ').collect();
        self.max_tokens = self.max_tokens.max(toks.len());
        let mut h = seq_start();
        for (i, t) in toks.iter().enumerate() {
            h = seq_push(h, hash_lowercase(t));
            let info = self.seqs.entry(h).or_default();
            if i + 1 == toks.len() {
                info.kinds |= kind_bit;
            } else {
                info.prefix = true;
            }
        }
    }

    /// Parse and add a lexicon file; `file` names it in errors.
    pub fn add_lexicon(
        &mut self,
        file: &str,
        format: LexiconFormat,
        text: &str,
    ) -> Result<(), LexiconError> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: &str| LexiconError {
                file: file.to_string(),
                line: n + 1,
                message: format!("{message}: `{line}`"),
            };
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            let entry = |kind, canonical: &str, country: Option<String>| GazEntry {
                kind,
                canonical: canonical.to_string(),
                country,
                gender: None,
                sector: None,
            };
            match format {
                LexiconFormat::Countries => {
                    if fields.len() < 2 || fields[0].len() != 3 {
                        return Err(err("expected `ISO3|names|demonyms`"));
                    }
                    let names: Vec<&str> = fields[1].split(';').map(str::trim).collect();
                    let c = code(fields[0]);
                    for name in &names {
                        self.add(name, entry(GazKind::Country, names[0], c.clone()));
                    }
                    if let Some(dems) = fields.get(2) {
                        let dems: Vec<&str> = dems.split(';').map(str::trim).collect();
                        for d in &dems {
                            self.add(d, entry(GazKind::Nationality, dems[0], c.clone()));
                        }
                    }
                }
                LexiconFormat::Places => {
                    if fields.len() != 3 {
                        return Err(err("expected `names|ISO3|kind`"));
                    }
                    let kind = match fields[2] {
                        "capital" => GazKind::Capital,
                        "city" => GazKind::City,
                        "region" => GazKind::Region,
                        "area" => GazKind::Area,
                        _ => return Err(err("kind must be capital, city, region or area")),
                    };
                    // Alternates on a line are one place unless the kind is `city`/`region`/`area`,
                    // where a line lists several places of the same country.
                    let names: Vec<&str> = fields[0].split(';').map(str::trim).collect();
                    for name in &names {
                        let canonical = if kind == GazKind::Capital {
                            names[0]
                        } else {
                            name
                        };
                        self.add(name, entry(kind, canonical, code(fields[1])));
                    }
                }
                LexiconFormat::Organizations => {
                    if fields.len() != 2 {
                        return Err(err("expected `code|names`"));
                    }
                    for name in fields[1].split(';').map(str::trim) {
                        self.add(name, entry(GazKind::Organization, name, code(fields[0])));
                    }
                }
                LexiconFormat::Groups => {
                    if fields.len() != 2 {
                        return Err(err("expected `name|code`"));
                    }
                    self.add(fields[0], entry(GazKind::Group, fields[0], code(fields[1])));
                }
                LexiconFormat::FirstNames => {
                    let mut words = line.split_whitespace();
                    let gender = match words.next() {
                        Some("m") => Gender::Male,
                        Some("f") => Gender::Female,
                        Some("u") => Gender::Either,
                        _ => return Err(err("a line starts with `m`, `f` or `u`")),
                    };
                    for w in words {
                        let mut e = entry(GazKind::FirstName, w, None);
                        e.gender = Some(gender);
                        self.add(w, e);
                    }
                }
                LexiconFormat::Titles => {
                    if fields.len() != 2 {
                        return Err(err("expected `title|sector`"));
                    }
                    let mut e = entry(GazKind::Title, fields[0], None);
                    e.sector = code(fields[1]);
                    self.add(fields[0], e);
                }
                LexiconFormat::OrgHeads => {
                    self.add(line, entry(GazKind::OrgHead, line, None));
                }
            }
        }
        Ok(())
    }

    /// Every entry named by `name` (normalised first), in the order they were added.
    pub fn lookup<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a GazEntry> + 'a {
        let ids = self
            .by_name
            .get(&normalize(name))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        ids.iter().map(|&i| &self.entries[i as usize])
    }

    /// Entries of one kind named by `name`.
    pub fn lookup_kind<'a>(
        &'a self,
        name: &str,
        kind: GazKind,
    ) -> impl Iterator<Item = &'a GazEntry> + 'a {
        self.lookup(name).filter(move |e| e.kind == kind)
    }

    /// Whether `name` is in the gazetteer with one of `kinds`.
    pub fn is_a(&self, name: &str, kinds: &[GazKind]) -> bool {
        self.lookup(name).any(|e| kinds.contains(&e.kind))
    }

    /// The country entry for an ISO 3166-1 alpha-3 code (its main name).
    pub fn country_by_code(&self, code: &str) -> Option<&GazEntry> {
        self.by_country_code
            .get(code)
            .map(|&i| &self.entries[i as usize])
    }

    /// Mark gazetteer matches over a sentence's tokens.
    ///
    /// `lower_hashes[i]` is [`hash_lowercase`] of token `i` and `capitalised[i]`
    /// whether it starts with an uppercase letter. For every kind, matches are
    /// the longest ones, taken left to right without overlap; token `i` gets
    /// bit `kind * 4 + MatchPos` set in `out[i]` for each match covering it.
    /// Names of proper-name kinds only match from a capitalised token.
    pub fn mark_tokens(&self, lower_hashes: &[u64], capitalised: &[bool], out: &mut [u64]) {
        let n = lower_hashes.len();
        out[..n].fill(0);
        // Per kind: the index up to which tokens are covered by an earlier match.
        let mut covered = [0usize; GazKind::ALL.len()];
        for start in 0..n {
            let mut h = seq_start();
            // Longest match length per kind from `start`.
            let mut best = [0usize; GazKind::ALL.len()];
            let mut any = false;
            for len in 1..=self.max_tokens.min(n - start) {
                h = seq_push(h, lower_hashes[start + len - 1]);
                let Some(info) = self.seqs.get(&h) else { break };
                if info.kinds != 0 {
                    for kind in GazKind::ALL {
                        if info.kinds & kind.bit() != 0
                            && (!kind.needs_capital() || capitalised[start])
                        {
                            best[kind as usize] = len;
                            any = true;
                        }
                    }
                }
                if !info.prefix {
                    break;
                }
            }
            if !any {
                continue;
            }
            for (k, &len) in best.iter().enumerate() {
                if len == 0 || start < covered[k] {
                    continue;
                }
                covered[k] = start + len;
                let base = k * 4;
                if len == 1 {
                    out[start] |= 1 << (base + MatchPos::Unit as usize);
                } else {
                    out[start] |= 1 << (base + MatchPos::Begin as usize);
                    for o in &mut out[start + 1..start + len - 1] {
                        *o |= 1 << (base + MatchPos::Inside as usize);
                    }
                    out[start + len - 1] |= 1 << (base + MatchPos::Last as usize);
                }
            }
        }
    }

    /// A fingerprint of the contents (names and kinds), stored with trained models
    /// so that a model can tell whether it was trained with the same lists.
    pub fn fingerprint(&self) -> u64 {
        let mut keys: Vec<(u64, u32)> = self.seqs.iter().map(|(&h, i)| (h, i.kinds)).collect();
        keys.sort_unstable();
        let mut h = 0u64;
        for (k, kinds) in keys {
            h = mix(mix(h, k), kinds as u64);
        }
        finish(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(g: &Gazetteer, name: &str) -> Vec<GazKind> {
        g.lookup(name).map(|e| e.kind).collect()
    }

    #[test]
    fn builtin_lexicons_load() {
        let g = Gazetteer::builtin();
        for kind in GazKind::ALL {
            assert!(g.count(kind) > 10, "{kind}: {}", g.count(kind));
        }
        assert!(g.count(GazKind::Country) > 200);
        assert!(g.count(GazKind::FirstName) > 300);
    }

    #[test]
    fn lookups_are_normalised_and_typed() {
        let g = Gazetteer::builtin();
        let russia: Vec<_> = g.lookup("Russian  Federation").collect();
        assert_eq!(russia.len(), 1);
        assert_eq!(russia[0].kind, GazKind::Country);
        assert_eq!(russia[0].canonical, "Russia");
        assert_eq!(russia[0].country.as_deref(), Some("RUS"));
        assert_eq!(kinds(g, "russian"), vec![GazKind::Nationality]);
        assert!(g.is_a("MOSCOW", &[GazKind::Capital]));
        assert_eq!(
            g.lookup_kind("NATO", GazKind::Organization)
                .next()
                .unwrap()
                .country
                .as_deref(),
            Some("NATO")
        );
        assert_eq!(
            g.lookup("IAEA").next().unwrap().country.as_deref(),
            Some("UNO")
        );
        assert_eq!(g.country_by_code("DEU").unwrap().canonical, "Germany");
        let peter = g.lookup_kind("Peter", GazKind::FirstName).next().unwrap();
        assert_eq!(peter.gender, Some(Gender::Male));
        let title = g.lookup_kind("Foreign Minister", GazKind::Title).next();
        assert_eq!(title.unwrap().sector.as_deref(), Some("GOV"));
        assert!(g.is_a("Corp.", &[GazKind::OrgHead]));
        assert_eq!(g.lookup("Atlantis").count(), 0);
        // Several entries for one name: Tripoli in Lebanon and Libya.
        let tripoli: Vec<_> = g
            .lookup("Tripoli")
            .filter_map(|e| e.country.clone())
            .collect();
        assert!(tripoli.contains(&"LBY".to_string()) && tripoli.contains(&"LBN".to_string()));
    }

    #[test]
    fn marks_longest_matches_with_positions() {
        let g = Gazetteer::builtin();
        let words = ["the", "United", "States", "and", "New", "York", "said"];
        let hashes: Vec<u64> = words.iter().map(|w| hash_lowercase(w)).collect();
        let caps: Vec<bool> = words
            .iter()
            .map(|w| w.chars().next().unwrap().is_uppercase())
            .collect();
        let mut out = vec![0u64; words.len()];
        g.mark_tokens(&hashes, &caps, &mut out);
        let bit = |k: GazKind, p: MatchPos| 1u64 << (k as usize * 4 + p as usize);
        assert_ne!(out[1] & bit(GazKind::Country, MatchPos::Begin), 0);
        assert_ne!(out[2] & bit(GazKind::Country, MatchPos::Last), 0);
        assert_ne!(out[4] & bit(GazKind::City, MatchPos::Begin), 0);
        assert_ne!(out[5] & bit(GazKind::City, MatchPos::Last), 0);
        assert_eq!(out[0], 0);
        assert_eq!(out[3], 0);
        // Lowercase "us" is not the country.
        let hashes = [hash_lowercase("us")];
        g.mark_tokens(&hashes, &[false], &mut out[..1]);
        assert_eq!(out[0], 0);
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line() {
        let mut g = Gazetteer::new();
        let err = g
            .add_lexicon("x.txt", LexiconFormat::Places, "# c\nParis|FRA|town\n")
            .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().contains("x.txt"));
        g.add_lexicon("y.txt", LexiconFormat::Titles, "Emir|GOV\n")
            .unwrap();
        assert_eq!(g.len(), 1);
    }
}
