//! Entities of a document: mentions beyond names, coreference, actor codes and places.
//!
//! [`EntityResolver`] is the pipeline [`Component`] that runs after the entity
//! recogniser. It takes the recogniser's name mentions (`doc.entities`), finds
//! the other mentions of actors — titles and roles ("the foreign minister"),
//! nominal groups ("Turkish officials", "protesters", "the police") and
//! pronouns — clusters them into document entities with a multi-pass sieve
//! (exact names, surnames, acronyms and aliases, appositions and title–name
//! compounds, definite nominals to the most recent entity holding that role,
//! pronouns to the most salient compatible antecedent), codes each entity as an
//! actor (country + PLOVER sector) and resolves places to coordinates.
//! First-person pronouns inside quotes are resolved after the quotes stage by
//! [`FirstPersonResolver`]: they join the speaker or the body it speaks for.
//!
//! ```
//! use newsgraph_core::{Component, Doc, DocMeta, Layers, TextRange};
//! use newsgraph_core::records::{Entity, EntityType, Mention, MentionKind};
//! use newsgraph_extract::entities::EntityResolver;
//!
//! let text = "Kremlin spokesman Yuri Ushakov said Moscow was ready. He spoke in Sochi.";
//! let mut doc = Doc::new(text, DocMeta::default());
//! let tokens = newsgraph_extract::time::simple_tokens(text);
//! let n = tokens.len() as u32;
//! doc.set_tokens(tokens).unwrap();
//! doc.set_sentences(&[0..9, 9..n]).unwrap();
//! let name = |s: &str, t| {
//!     let start = text.find(s).unwrap();
//!     Entity {
//!         name: s.into(), entity_type: t, country: None, sector: None, roles: vec![], place: None,
//!         mentions: vec![Mention { range: TextRange::new(start, start + s.len()), kind: MentionKind::Name }],
//!     }
//! };
//! doc.entities = vec![name("Yuri Ushakov", EntityType::Person), name("Moscow", EntityType::Gpe), name("Sochi", EntityType::Gpe)];
//! doc.mark(Layers::ENTITIES);
//! EntityResolver::new().annotate(&mut doc).unwrap();
//!
//! let ushakov = &doc.entities[0];
//! assert_eq!((ushakov.country.as_deref(), ushakov.sector.as_deref()), (Some("RUS"), Some("GOV")));
//! assert_eq!(ushakov.roles, ["spokesman"]);
//! assert_eq!(ushakov.mentions.len(), 2); // "Yuri Ushakov", "He"
//! let sochi = doc.entities.iter().find(|e| e.name == "Sochi").unwrap();
//! assert_eq!(sochi.place.as_ref().unwrap().country.as_deref(), Some("RUS"));
//! ```
//!
//! Without a parse (no `PARSE` layer) the resolver still works, with fewer
//! clues: title phrases are found by adjacency, appositions and subjects are not.
//!
//! [`Component`]: newsgraph_core::Component

mod cluster;
mod coding;
pub mod eval;
mod first_person;
pub use first_person::FirstPersonResolver;
pub mod lexicon;
mod mentions;
pub(crate) use mentions::is_quantity_word;
pub mod places;
mod pronouns;

use lexicon::{is_former, is_generic_head, Gender, Lexicon, RoleKind};
use newsgraph_core::records::{Entity, EntityType, Mention, MentionKind, Place};
use newsgraph_core::tags::{Deprel, Upos, Xpos};
use newsgraph_core::{Component, ComponentError, Doc, Layers, TextRange};
use newsgraph_nlp::ner::{GazKind, Gazetteer};
use places::{Feature, PlaceGazetteer};
use std::ops::Range;

/// Resolves the recogniser's name mentions into document entities with
/// coreference, actor codes and places (see the module docs).
#[derive(Debug)]
pub struct EntityResolver {
    lexicon: &'static Lexicon,
    gazetteer: &'static Gazetteer,
    places: &'static PlaceGazetteer,
}

impl Default for EntityResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl EntityResolver {
    pub fn new() -> Self {
        EntityResolver {
            lexicon: Lexicon::builtin(),
            gazetteer: Gazetteer::builtin(),
            places: PlaceGazetteer::builtin(),
        }
    }
}

impl Component for EntityResolver {
    fn name(&self) -> &str {
        "coref"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES | Layers::TAGS | Layers::ENTITIES
    }

    fn assigns(&self) -> Layers {
        Layers::ENTITIES
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        doc.entities = Resolver::new(self, doc).run();
        Ok(())
    }
}

/// What a phrase (a title before a name, a nominal, an organisation's name) says about its actor.
#[derive(Debug, Clone, Default)]
struct PhraseInfo {
    role: Option<String>,
    role_kind: Option<RoleKind>,
    head_word: Option<String>,
    country: Option<String>,
    sector: Option<&'static str>,
    former: bool,
    gender: Option<Gender>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Singular,
    Plural,
    Either,
}

/// A candidate mention.
#[derive(Debug, Clone)]
struct Cand {
    tokens: Range<usize>,
    range: TextRange,
    kind: MentionKind,
    etype: EntityType,
    head: usize,
    /// Lowercased name without a leading "the" and without dots (names only).
    key: String,
    info: PhraseInfo,
    number: Number,
    /// A capital or seat of government standing for the government.
    government_of: Option<String>,
    /// For a nominal: the token of the organisation it belongs to ("spokesman for the ministry").
    owner: Option<usize>,
    indefinite: bool,
    pronoun_gender: Option<Gender>,
    cluster: Option<usize>,
}

#[derive(Debug, Default)]
struct Cluster {
    members: Vec<usize>,
    etype: Option<EntityType>,
    gender: Option<Gender>,
    number: Option<Number>,
    /// (kind, sector, country) key of nominal groups and governments.
    group_key: Option<(u8, Option<&'static str>, String)>,
    dead: bool,
}

struct Resolver<'a> {
    r: &'a EntityResolver,
    doc: &'a Doc,
    lower: Vec<String>,
    parsed: bool,
    sent_of: Vec<usize>,
    cands: Vec<Cand>,
    clusters: Vec<Cluster>,
    /// Document countries, for place disambiguation.
    doc_countries: Vec<String>,
    /// Votes for the story's home country: country names, nationality words, the dateline.
    country_votes: Vec<(String, u32)>,
    /// The country of the dateline's place ("NAIROBI, March 10 (Meridian) -").
    dateline_country: Option<String>,
    /// (sentence, country) for each country name, nationality word and place named.
    named_countries: Vec<(usize, String)>,
    /// (sentence, country) for each place named as a location (not a
    /// nationality word, not a capital standing for its government).
    located_countries: Vec<(usize, String)>,
    /// The country of each national institution named ("the Houthis", "the
    /// Kremlin"): evidence of what the story is about.
    institution_countries: Vec<&'static str>,
    /// (pronoun token, antecedent head token): a possessive "its"/"their"
    /// before a diplomatic noun resolved at mention time ("its embassy in
    /// Dhaka" after "Japan pledged ..."), which pronoun resolution keeps.
    possessors: Vec<(usize, usize)>,
    /// The story's dateline ("KYIV -", "DHAKA, July 10 (Meridian) -").
    dateline: Option<newsgraph_nlp::ner::Dateline>,
    /// Which of the two Congos a bare "Congo" or "Congolese" means here.
    congo: &'static str,
}

const PRONOUNS: &[&str] = &[
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "it",
    "its",
    "itself",
];

fn name_key(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s);
    s.replace('.', "").to_lowercase()
}

fn is_capitalised(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

impl<'a> Resolver<'a> {
    fn new(r: &'a EntityResolver, doc: &'a Doc) -> Self {
        let lower: Vec<String> = doc.tokens().map(|t| t.text().to_lowercase()).collect();
        let mut sent_of = vec![0; doc.len()];
        for s in doc.sentences() {
            for i in s.token_indices() {
                sent_of[i] = s.index();
            }
        }
        Resolver {
            r,
            doc,
            congo: congo_of(&lower),
            lower,
            parsed: doc.has(Layers::PARSE),
            sent_of,
            cands: Vec::new(),
            clusters: Vec::new(),
            doc_countries: Vec::new(),
            country_votes: Vec::new(),
            dateline_country: None,
            named_countries: Vec::new(),
            located_countries: Vec::new(),
            institution_countries: Vec::new(),
            possessors: Vec::new(),
            dateline: newsgraph_nlp::ner::dateline(doc),
        }
    }

    fn upos(&self, i: usize) -> Option<Upos> {
        self.doc.token(i).upos()
    }

    fn head(&self, i: usize) -> Option<usize> {
        if !self.parsed {
            return None;
        }
        self.doc.token(i).head().map(|t| t.index())
    }

    fn deprel(&self, i: usize) -> Option<Deprel> {
        if !self.parsed {
            return None;
        }
        self.doc.token(i).deprel()
    }

    fn text(&self, i: usize) -> &'a str {
        self.doc.token(i).text()
    }

    fn span_text(&self, r: &Range<usize>) -> &'a str {
        self.doc.slice(self.range_of(r))
    }

    fn range_of(&self, r: &Range<usize>) -> TextRange {
        self.doc
            .token(r.start)
            .range()
            .cover(self.doc.token(r.end - 1).range())
    }

    /// Whether `i`'s chain of heads reaches `target` without leaving `within`.
    fn descends(&self, mut i: usize, target: usize, within: &Range<usize>) -> bool {
        for _ in 0..8 {
            if i == target {
                return true;
            }
            match self.head(i) {
                Some(h) if within.contains(&h) || h == target => i = h,
                _ => return false,
            }
        }
        false
    }

    /// The head of a token span: the token whose head lies outside it.
    fn span_head(&self, r: &Range<usize>) -> usize {
        if self.parsed {
            for i in r.clone() {
                match self.head(i) {
                    Some(h) if r.contains(&h) => {}
                    _ => return i,
                }
            }
        }
        r.end - 1
    }

    /// Country named by a nationality word or country name (1–3 tokens at `i`),
    /// with the number of tokens it covers.
    fn country_at(&self, i: usize, end: usize) -> Option<(String, usize)> {
        for n in (1..=3).rev() {
            if i + n > end {
                continue;
            }
            let words: Vec<&str> = (i..i + n).map(|j| self.text(j)).collect();
            if !is_capitalised(words[0]) {
                continue;
            }
            let name = words.join(" ");
            if ambiguous_congo(&name) {
                return Some((self.congo.to_string(), n));
            }
            if let Some(e) = self.r.gazetteer.lookup(&name).find(|e| {
                matches!(e.kind, GazKind::Nationality | GazKind::Country) && e.country.is_some()
            }) {
                return Some((e.country.clone().unwrap(), n));
            }
        }
        None
    }

    /// Institution named at `i` (longest match), with its token count.
    fn institution_at(
        &self,
        i: usize,
        end: usize,
    ) -> Option<(&'static lexicon::Institution, usize)> {
        let max = self.r.lexicon.max_institution_words.min(end - i);
        for n in (1..=max).rev() {
            let name: Vec<&str> = (i..i + n).map(|j| self.text(j)).collect();
            if !is_capitalised(name[0]) {
                continue;
            }
            if let Some(inst) = self.r.lexicon.institution(&name.join(" ")) {
                return Some((inst, n));
            }
        }
        None
    }

    /// The document's entities.
    fn run(mut self) -> Vec<Entity> {
        self.vote_dateline();
        self.collect_names();
        self.collect_nominals();
        self.collect_facilities();
        self.collect_pronouns();
        self.cands
            .sort_by_key(|c| (c.tokens.start, std::cmp::Reverse(c.tokens.end)));
        self.cands.dedup_by(|b, a| a.tokens == b.tokens);
        self.cluster_names_and_nominals();
        self.resolve_pronouns();
        self.build_entities()
    }

    fn token_at(&self, byte: u32) -> Option<usize> {
        token_at(self.doc, byte)
    }

    fn token_ending_at(&self, byte: u32) -> Option<usize> {
        let ranges = self.doc.token_ranges();
        let i = ranges.partition_point(|r| r.end < byte);
        (i < ranges.len() && ranges[i].end == byte).then_some(i)
    }
}

/// Which Congo a document's bare "Congo" and "Congolese" mean: the one its
/// other words name more often — the Democratic Republic of (the) Congo
/// ("DR Congo", "DRC", "Congo-Kinshasa", Kinshasa) or the Republic of (the)
/// Congo ("Congo-Brazzaville", Brazzaville) —, else the Democratic
/// Republic, by far the larger and more often in the news. `lower` holds
/// the document's lowercased tokens.
///
/// ```text
/// "... in Brazzaville ... Congo's president" -> COG
/// "Congo's army said ..." -> COD; "the Republic of Congo" -> COG
/// ```
fn congo_of(lower: &[String]) -> &'static str {
    let (mut cod, mut cog) = (0, 0);
    for (i, w) in lower.iter().enumerate() {
        let at = |k: usize| lower.get(k).map_or("", String::as_str);
        match w.as_str() {
            "kinshasa" | "drc" | "zaire" => cod += 1,
            "brazzaville" => cog += 1,
            // "Republic of (the) Congo", "Democratic Republic of Congo".
            "republic" if at(i + 1) == "of" => {
                let congo = if at(i + 2) == "the" { i + 3 } else { i + 2 };
                if at(congo) == "congo" {
                    if i > 0 && at(i - 1) == "democratic" {
                        cod += 1;
                    } else {
                        cog += 1;
                    }
                }
            }
            "dr" | "d.r." if at(i + 1) == "congo" => cod += 1,
            _ => {}
        }
    }
    if cog > cod {
        "COG"
    } else {
        "COD"
    }
}

/// Whether a name or nationality word is one both Congos go by.
fn ambiguous_congo(name: &str) -> bool {
    let name = name.strip_prefix("the ").unwrap_or(name);
    name.eq_ignore_ascii_case("congo") || name.eq_ignore_ascii_case("congolese")
}

/// The token starting at byte `start`.
fn token_at(doc: &Doc, start: u32) -> Option<usize> {
    let ranges = doc.token_ranges();
    let i = ranges.partition_point(|r| r.start < start);
    (i < ranges.len() && ranges[i].start == start).then_some(i)
}

/// The token indices of the sentence holding token `i`.
fn sentence_tokens(doc: &Doc, i: usize) -> Range<usize> {
    doc.sentences()
        .map(|s| s.token_indices())
        .find(|r| r.contains(&i))
        .unwrap_or(i..i + 1)
}

/// The organisation a role noun at `h` belongs to, within the tokens of its
/// `sentence` (through the parse): "spokesman for the ministry", "head of the
/// agency", "the group's director".
pub(crate) fn owner_of(doc: &Doc, sentence: Range<usize>, h: usize) -> Option<usize> {
    let parent = |k: usize| doc.token(k).head().map(|x| x.index());
    // An envoy "for Yemen" is sent there, not sent by it.
    let sent_to = [
        "envoy",
        "envoys",
        "ambassador",
        "ambassadors",
        "mediator",
        "mediators",
    ]
    .iter()
    .any(|w| doc.token(h).text().eq_ignore_ascii_case(w));
    sentence.clone().find(|&k| {
        parent(k) == Some(h)
            && match doc.token(k).deprel() {
                Some(Deprel::NmodPoss) => k < h,
                Some(Deprel::Nmod) => sentence.clone().any(|c| {
                    parent(c) == Some(k)
                        && doc.token(c).deprel() == Some(Deprel::Case)
                        && match doc.token(c).text().to_ascii_lowercase().as_str() {
                            "of" | "at" => true,
                            "for" => !sent_to,
                            _ => false,
                        }
                }),
                _ => false,
            }
    })
}

/// `short` is the acronym of `long` ("UN" / "United Nations", "U.N.", "CSTO").
fn acronym_of(short: &str, long: &str) -> bool {
    let s: String = short.chars().filter(|c| *c != '.').collect();
    if s.len() < 2 || s.len() > 8 || !s.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let initials: String = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| {
            !matches!(
                *w,
                "of" | "the" | "and" | "for" | "in" | "on" | "de" | "la" | "&"
            )
        })
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    initials == s
}

/// Seas, oceans, gulfs, straits, rivers and lakes often lie between
/// countries: "the Black Sea", "the Strait of Hormuz", "Lake Victoria". They
/// never inherit the country of their sentence or story.
///
/// ```text
/// is_water_body("Black Sea") == true; is_water_body("Gulf of Aden") == true
/// is_water_body("Port Harcourt") == false; is_water_body("Montego Bay") == false
/// ```
fn is_water_body(name: &str) -> bool {
    // "Bay" only leads ("Bay of Bengal"): "Montego Bay" is a town.
    const WATER: &[&str] = &[
        "sea", "ocean", "gulf", "strait", "straits", "channel", "river", "lake",
    ];
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let first = words.iter().find(|w| *w != "the");
    let last = words.last();
    first.is_some_and(|w| w == "bay" || WATER.contains(&w.as_str()))
        || last.is_some_and(|w| WATER.contains(&w.as_str()))
}

#[cfg(test)]
mod tests;
