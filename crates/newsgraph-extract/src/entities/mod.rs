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
//! actor (country + PLOVER sector) and resolves places to coordinates. Last,
//! first-person pronouns inside quotes join the speaker or the body it speaks
//! for (the private module `first_person`).
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

pub mod eval;
mod first_person;
pub mod lexicon;
pub mod places;

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
        let (entities, collective) = Resolver::new(self, doc).run();
        doc.entities = entities;
        first_person::resolve(doc, &collective);
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
    has_dateline: bool,
    /// (sentence, country) for each country name, nationality word and place named.
    named_countries: Vec<(usize, String)>,
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
        let lower = doc.tokens().map(|t| t.text().to_lowercase()).collect();
        let mut sent_of = vec![0; doc.len()];
        for s in doc.sentences() {
            for i in s.token_indices() {
                sent_of[i] = s.index();
            }
        }
        Resolver {
            r,
            doc,
            lower,
            parsed: doc.has(Layers::PARSE),
            sent_of,
            cands: Vec::new(),
            clusters: Vec::new(),
            doc_countries: Vec::new(),
            country_votes: Vec::new(),
            has_dateline: false,
            named_countries: Vec::new(),
        }
    }

    fn vote(&mut self, country: &str, weight: u32) {
        if country.len() != 3
            || matches!(
                country,
                "UNO" | "EUR" | "IGO" | "NGO" | "IMG" | "ISM" | "MNC"
            )
        {
            return;
        }
        match self.country_votes.iter_mut().find(|(c, _)| c == country) {
            Some((_, w)) => *w += weight,
            None => self.country_votes.push((country.to_string(), weight)),
        }
    }

    /// The story's home country: the one its words name most (a dateline
    /// counts double), when it is named at least twice. Unqualified domestic
    /// actors ("the government", "police", "Interior Minister Jan Novak" in a
    /// story from Prague) belong to it, as a human coder would read them.
    fn home_country(&self) -> Option<String> {
        let mut best: Option<&(String, u32)> = None;
        for v in &self.country_votes {
            if best.is_none_or(|b| v.1 > b.1) {
                best = Some(v);
            }
        }
        let best = best.filter(|_| self.has_dateline)?;
        let runner_up = self
            .country_votes
            .iter()
            .filter(|v| v.0 != best.0)
            .map(|v| v.1)
            .max()
            .unwrap_or(0);
        (best.1 >= 2 && best.1 > runner_up).then(|| best.0.clone())
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

    /// Read a phrase's role, country and sector from its words.
    fn analyze_phrase(&self, r: Range<usize>) -> PhraseInfo {
        let lex = self.r.lexicon;
        let mut info = PhraseInfo::default();
        let mut inst_sector = None;
        let mut mod_sector: Option<&'static str> = None;
        let mut head: Option<(usize, &lexicon::Role)> = None;
        let mut role_start: Option<usize> = None;
        let mut ngo_modifier = false;
        let mut i = r.start;
        while i < r.end {
            let w = self.lower[i].as_str();
            if is_former(w) {
                info.former = true;
                i += 1;
                continue;
            }
            if let Some((inst, n)) = self.institution_at(i, r.end) {
                if let Some(c) = inst.country {
                    info.country.get_or_insert_with(|| c.to_string());
                }
                inst_sector = inst.sector.or(inst_sector);
                i += n;
                continue;
            }
            let pro = i > 0 && matches!(self.lower[i - 1].as_str(), "-" | "pro" | "anti");
            if let Some((c, n)) = self.country_at(i, r.end).filter(|_| !pro) {
                // "pro-Russian" is one token and no nationality; a country
                // name followed by 's or used as a modifier is.
                info.country.get_or_insert(c);
                i += n;
                continue;
            }
            if matches!(
                w,
                "rights" | "aid" | "humanitarian" | "charity" | "advocacy"
            ) {
                ngo_modifier = true;
            }
            if let Some(role) = lex.role(w) {
                // A body word before the head is a modifier ("police spokesman").
                head = Some((i, role));
                role_start.get_or_insert(i);
                if let Some(Some(s)) = lex.modifiers.get(w) {
                    mod_sector = Some(s);
                }
            } else if let Some(s) = lex.modifiers.get(w) {
                if s.is_some() {
                    mod_sector = *s;
                }
                role_start.get_or_insert(i);
            } else if (matches!(
                w,
                "deputy" | "vice" | "acting" | "senior" | "top" | "chief" | "first" | "state"
            ) || (is_capitalised(self.text(i)) && self.upos(i) != Some(Upos::Det)))
                && w != "'s"
            {
                role_start.get_or_insert(i);
            }
            i += 1;
        }
        let Some((h, role)) = head else {
            // Without a role or body word, modifiers say nothing ("Defence Pact").
            let _ = mod_sector;
            if let Some(s) = inst_sector {
                info.sector = Some(s);
            }
            if info.former {
                info.sector = Some("ELI");
            }
            return info;
        };
        let head_word = self.lower[h].clone();
        // The role text runs from its first word to the end of the phrase
        // ("Secretary of State"), trimmed of possessive markers.
        let start = role_start.unwrap_or(h).min(h);
        let mut role_end = r.end;
        while role_end > h + 1 && matches!(self.lower[role_end - 1].as_str(), "," | "'s" | "’s") {
            role_end -= 1;
        }
        let role_text = self.span_text(&(start..role_end));
        if role.kind == RoleKind::Person {
            info.role = Some(role_text.to_string());
        }
        info.role_kind = Some(role.kind);
        info.gender = Some(role.gender);
        info.sector = if is_generic_head(&head_word) {
            inst_sector.or(mod_sector).or(role.sector)
        } else {
            role.sector
        };
        if ngo_modifier
            && matches!(
                head_word.as_str(),
                "group" | "organisation" | "organization" | "network" | "charity" | "watchdog"
            )
        {
            info.sector = Some("SOC");
            info.country.get_or_insert_with(|| "NGO".to_string());
        }
        if info.former {
            info.sector = Some("ELI");
        }
        info.head_word = Some(head_word);
        info
    }

    /// The title phrase right before a person's name ("U.S. Secretary of State"
    /// before "John Kerry"): its tokens, when it holds a role or a nationality.
    fn title_before(&self, name: &Range<usize>, head: usize) -> Option<Range<usize>> {
        let sentence_start = self
            .doc
            .sentence(self.sent_of[name.start])
            .token_indices()
            .start;
        let mut j = name.start;
        while j > sentence_start {
            let k = j - 1;
            let w = self.lower[k].as_str();
            let t = self.text(k);
            let titleish = self.r.lexicon.role(w).is_some()
                || self.r.lexicon.modifiers.contains_key(w)
                || is_former(w)
                || matches!(
                    w,
                    "deputy"
                        | "vice"
                        | "acting"
                        | "senior"
                        | "top"
                        | "chief"
                        | "of"
                        | "'s"
                        | "’s"
                        | "state"
                )
                || (is_capitalised(t) && !matches!(self.upos(k), Some(Upos::Det | Upos::Punct)))
                || self.upos(k) == Some(Upos::Adj);
            if !titleish {
                break;
            }
            // Lexicon words are title words wherever the parser attached them.
            let lexical = self.r.lexicon.role(w).is_some()
                || self.r.lexicon.modifiers.contains_key(w)
                || is_former(w)
                || self.country_at(k, k + 1).is_some();
            if self.parsed && !lexical && !self.descends(k, head, &(k..name.end)) {
                // "of" and possessives attach to a word of the title, not to the name.
                let attaches_inside = self.head(k).is_some_and(|h| h >= k && h < name.end);
                if !attaches_inside {
                    break;
                }
            }
            j = k;
        }
        // Trim leading "of"/possessive debris.
        while j < name.start && matches!(self.lower[j].as_str(), "of" | "'s" | "’s") {
            j += 1;
        }
        (j < name.start).then_some(j..name.start)
    }

    /// Left edge of a nominal headed by `h`: its contiguous left dependents.
    fn nominal_span(&self, h: usize) -> Range<usize> {
        let sentence_start = self.doc.sentence(self.sent_of[h]).token_indices().start;
        let mut j = h;
        while j > sentence_start {
            let k = j - 1;
            if matches!(
                self.upos(k),
                Some(Upos::Punct | Upos::Verb | Upos::Adp | Upos::Sconj | Upos::Cconj)
            ) {
                break;
            }
            if self.parsed {
                if !self.descends(k, h, &(k..h + 1)) {
                    break;
                }
            } else if !matches!(
                self.upos(k),
                Some(Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num)
            ) {
                break;
            }
            j = k;
        }
        j..h + 1
    }

    fn cluster_of(&self, c: usize) -> Option<usize> {
        self.cands[c].cluster
    }

    fn new_cluster(&mut self, c: usize) -> usize {
        let id = self.clusters.len();
        self.clusters.push(Cluster::default());
        self.join(c, id);
        id
    }

    fn join(&mut self, c: usize, k: usize) {
        let key = if self.clusters[k].group_key.is_none() {
            self.group_key(c)
        } else {
            None
        };
        self.cands[c].cluster = Some(k);
        let cand = &self.cands[c];
        let cl = &mut self.clusters[k];
        cl.members.push(c);
        if cand.kind != MentionKind::Pronoun {
            let first_name = cand.kind == MentionKind::Name
                && cand.government_of.is_none()
                && cl
                    .members
                    .iter()
                    .all(|&m| self.cands[m].kind != MentionKind::Name || m == c);
            if cl.etype.is_none() || first_name {
                {
                    cl.etype = Some(if cand.government_of.is_some() {
                        EntityType::Org
                    } else {
                        cand.etype
                    });
                }
            }
            if cl.number.is_none() || cand.kind == MentionKind::Name {
                cl.number = Some(cand.number);
            }
        }
        let g = cand.pronoun_gender.or(cand.info.gender);
        if let Some(g) = g.filter(|g| *g != Gender::Unknown) {
            cl.gender.get_or_insert(g);
        }
        if cl.group_key.is_none() {
            cl.group_key = key;
        }
    }

    fn merge(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (keep, gone) = (a.min(b), a.max(b));
        let members = std::mem::take(&mut self.clusters[gone].members);
        self.clusters[gone].dead = true;
        let key = self.clusters[gone].group_key.take();
        for m in members {
            self.join(m, keep);
        }
        if self.clusters[keep].group_key.is_none() {
            self.clusters[keep].group_key = key;
        }
    }

    fn group_key(&self, c: usize) -> Option<(u8, Option<&'static str>, String)> {
        let cand = &self.cands[c];
        if let Some(country) = &cand.government_of {
            return Some((0, Some("GOV"), country.clone()));
        }
        if cand.kind != MentionKind::Nominal {
            return None;
        }
        let country = cand.info.country.clone()?;
        match cand.info.role_kind? {
            RoleKind::Body if cand.info.sector == Some("GOV") => Some((0, Some("GOV"), country)),
            RoleKind::Body => Some((1, cand.info.sector, country)),
            RoleKind::Group => Some((2, cand.info.sector, country)),
            RoleKind::Person => None,
        }
    }

    /// A dateline ("DHAKA, June 3 (Meridian) -", "KHUJAND, Tajikistan, Feb 16")
    /// places the story: its country counts most for the home country.
    fn vote_dateline(&mut self) {
        let Some(s) = self.doc.sentences().next() else {
            return;
        };
        let r = s.token_indices();
        let Some(comma) = r.clone().take(5).find(|&i| self.lower[i] == ",") else {
            return;
        };
        if comma == r.start {
            return;
        }
        let words: Vec<&str> = (r.start..comma).map(|i| self.text(i)).collect();
        if !words.iter().all(|w| w.chars().all(|c| !c.is_lowercase())) {
            return;
        }
        let name = words.join(" ");
        // A country named right after the city decides.
        let after = (comma + 1..r.end.min(comma + 4)).find_map(|i| {
            self.country_at(i, r.end)
                .filter(|(_, n)| self.lower.get(i + n).is_some_and(|w| w == ","))
        });
        let code = after.map(|(c, _)| c).or_else(|| {
            let countries: Vec<&str> = Vec::new();
            self.r
                .places
                .resolve(&name, &countries)
                .map(|p| p.country.to_string())
        });
        if let Some(c) = code {
            self.vote(&c, 5);
            self.has_dateline = true;
        }
    }

    /// The entities, and for each the entity its "we" stands for when it speaks.
    fn run(mut self) -> (Vec<Entity>, Vec<Option<usize>>) {
        self.vote_dateline();
        self.collect_names();
        self.collect_nominals();
        self.collect_pronouns();
        self.cands
            .sort_by_key(|c| (c.tokens.start, std::cmp::Reverse(c.tokens.end)));
        self.cands.dedup_by(|b, a| a.tokens == b.tokens);
        self.cluster_names_and_nominals();
        self.resolve_pronouns();
        self.build_entities()
    }

    fn token_at(&self, byte: u32) -> Option<usize> {
        let ranges = self.doc.token_ranges();
        let i = ranges.partition_point(|r| r.start < byte);
        (i < ranges.len() && ranges[i].start == byte).then_some(i)
    }

    fn token_ending_at(&self, byte: u32) -> Option<usize> {
        let ranges = self.doc.token_ranges();
        let i = ranges.partition_point(|r| r.end < byte);
        (i < ranges.len() && ranges[i].end == byte).then_some(i)
    }

    fn push_cand(
        &mut self,
        tokens: Range<usize>,
        kind: MentionKind,
        etype: EntityType,
        info: PhraseInfo,
    ) -> usize {
        let head = self.span_head(&tokens);
        let range = self.range_of(&tokens);
        let key = name_key(self.doc.slice(range));
        let number = match self.doc.token(head).xpos() {
            Some(Xpos::Nns | Xpos::Nnps) => Number::Plural,
            _ => match info.role_kind {
                Some(RoleKind::Group) => Number::Plural,
                Some(RoleKind::Body) => Number::Either,
                _ => Number::Singular,
            },
        };
        let first = self.lower[tokens.start].as_str();
        let indefinite = matches!(first, "a" | "an" | "another" | "some" | "one");
        self.cands.push(Cand {
            tokens,
            range,
            kind,
            etype,
            head,
            key,
            info,
            number,
            government_of: None,
            owner: None,
            indefinite,
            pronoun_gender: None,
            cluster: None,
        });
        self.cands.len() - 1
    }

    /// Name mentions from the recogniser, with title phrases, metonymy and codes.
    fn collect_names(&mut self) {
        let source = self.doc.meta.source.clone().unwrap_or_default();
        let mut spans = Vec::new();
        for e in &self.doc.entities {
            for m in &e.mentions {
                if let (Some(a), Some(b)) = (
                    self.token_at(m.range.start),
                    self.token_ending_at(m.range.end),
                ) {
                    spans.push((a..b + 1, e.entity_type));
                }
            }
        }
        spans.sort_by_key(|(r, _)| r.start);
        for (tokens, etype) in spans {
            let text = self.span_text(&tokens).to_string();
            // The outlet's own name in a dateline ("(Meridian)") is no actor.
            let in_parens = tokens.start > 0
                && self.lower[tokens.start - 1] == "("
                && self.lower.get(tokens.end).is_some_and(|w| w == ")");
            if in_parens && !source.is_empty() && source.starts_with(text.as_str()) {
                continue;
            }
            let head = self.span_head(&tokens);
            let mut etype = etype;
            let mut info = PhraseInfo::default();
            if etype == EntityType::Norp {
                if let Some((c, _)) = self.country_at(tokens.start, tokens.end) {
                    self.vote(&c, 1);
                    self.named_countries.push((self.sent_of[head], c));
                }
                // Nationality adjectives are read as modifiers of the phrase they are in.
                let plural_noun =
                    matches!(self.doc.token(head).xpos(), Some(Xpos::Nns | Xpos::Nnps))
                        || (self.upos(head) != Some(Upos::Adj) && text.ends_with('s'));
                if !plural_noun || self.deprel(head) == Some(Deprel::Amod) {
                    continue;
                }
                etype = EntityType::Person;
                if let Some((c, _)) = self.country_at(tokens.start, tokens.end) {
                    info.country = Some(c.clone());
                    self.doc_countries.push(c);
                }
                let c = self.push_cand(tokens, MentionKind::Name, etype, info);
                self.cands[c].number = Number::Plural;
                continue;
            }
            let lex = self.r.lexicon;
            match etype {
                EntityType::Person => {
                    if let Some(t) = self.title_before(&tokens, head) {
                        info = self.analyze_phrase(t);
                    }
                    if info.gender.is_none_or(|g| g == Gender::Unknown) {
                        let first = self.text(tokens.start);
                        info.gender = self
                            .r
                            .gazetteer
                            .lookup_kind(first, GazKind::FirstName)
                            .find_map(|e| e.gender)
                            .map(|g| match g {
                                newsgraph_nlp::ner::Gender::Male => Gender::Male,
                                newsgraph_nlp::ner::Gender::Female => Gender::Female,
                                newsgraph_nlp::ner::Gender::Either => Gender::Unknown,
                            });
                    }
                    // "fled the country", "ousted": no longer in office.
                    if self.parsed && self.fled(head) {
                        info.former = true;
                        if info.sector.is_some() {
                            info.sector = Some("ELI");
                        }
                        // "... in Ukraine caused X to flee the country": the
                        // country is the last one named before, in the sentence.
                        if info.country.is_none() {
                            let s = self.sent_of[head];
                            info.country = self
                                .cands
                                .iter()
                                .rev()
                                .take_while(|c| self.sent_of[c.head] == s)
                                .find(|c| {
                                    self.r
                                        .gazetteer
                                        .is_a(self.doc.slice(c.range), &[GazKind::Country])
                                })
                                .and_then(|c| c.info.country.clone());
                        }
                    }
                }
                EntityType::Org
                | EntityType::Gpe
                | EntityType::Loc
                | EntityType::Fac
                | EntityType::Misc => {
                    if let Some(claim) = lex.partial.get(&name_key(&text).replace("the ", "")) {
                        info.country = Some(claim.to_string());
                        info.sector = Some("PRE");
                    } else if let Some(inst) = lex.institution(&text) {
                        info.country = inst.country.map(str::to_string);
                        info.sector = inst.sector;
                        if etype != EntityType::Org && !inst.seat {
                            etype = EntityType::Org;
                        }
                        if inst.seat {
                            let c =
                                self.push_cand(tokens, MentionKind::Name, EntityType::Org, info);
                            self.cands[c].government_of = inst.country.map(str::to_string);
                            continue;
                        }
                    } else if etype == EntityType::Org {
                        info = self.analyze_phrase(tokens.clone());
                        info.role = None;
                    } else if let Some(code) = self.gpe_country(&text) {
                        let dateline = tokens.start == 0
                            && self.lower.get(tokens.end).is_some_and(|w| w == ",");
                        let is_country = self.r.gazetteer.is_a(&text, &[GazKind::Country]);
                        self.vote(
                            &code,
                            if dateline {
                                3
                            } else if is_country {
                                1
                            } else {
                                0
                            },
                        );
                        self.doc_countries.push(code.clone());
                        if !dateline {
                            self.named_countries
                                .push((self.sent_of[head], code.clone()));
                        }
                        info.country = Some(code);
                    }
                }
                _ => {}
            }
            let c = self.push_cand(tokens.clone(), MentionKind::Name, etype, info);
            if matches!(etype, EntityType::Gpe | EntityType::Loc)
                && self.is_capital(&text)
                && self.used_as_agent(head, &tokens)
            {
                let country = self.cands[c].info.country.clone();
                self.cands[c].government_of = country;
                if self.cands[c].government_of.is_some() {
                    self.cands[c].etype = EntityType::Org;
                }
            }
        }
    }

    fn gpe_country(&self, text: &str) -> Option<String> {
        let stripped = name_key(text);
        if let Some(e) = self.r.gazetteer.lookup(text).find(|e| {
            matches!(
                e.kind,
                GazKind::Country | GazKind::Capital | GazKind::City | GazKind::Region
            ) && e.country.is_some()
        }) {
            return e.country.clone();
        }
        self.r
            .places
            .resolve(&stripped, &[])
            .filter(|p| !p.country.is_empty())
            .map(|p| p.country.to_string())
    }

    fn is_capital(&self, text: &str) -> bool {
        self.r.gazetteer.is_a(text, &[GazKind::Capital])
            || self
                .r
                .places
                .lookup(text)
                .any(|(p, main)| main && p.feature == Feature::Capital && p.population > 100_000)
    }

    /// A place name standing for an actor: the subject or object of a verb,
    /// a possessor, or the complement of "with"/"by"/"against"/"from" —
    /// not a location ("in Moscow", "to Kyiv") and not a dateline.
    fn used_as_agent(&self, head: usize, tokens: &Range<usize>) -> bool {
        if !self.parsed {
            return false;
        }
        let sentence = self.doc.sentence(self.sent_of[head]);
        let first = sentence.token_indices().start;
        if tokens.start == first && self.lower.get(tokens.end).is_some_and(|w| w == ",") {
            return false; // dateline
        }
        let mut h = head;
        // "Athens and Ankara": the second conjunct plays the first's role.
        if self.deprel(h) == Some(Deprel::Conj) {
            if let Some(x) = self.head(h) {
                h = x;
            }
        }
        match self.deprel(h) {
            Some(
                Deprel::Nsubj | Deprel::NsubjPass | Deprel::Obj | Deprel::Iobj | Deprel::NmodPoss,
            ) => true,
            Some(Deprel::Obl | Deprel::Nmod | Deprel::OblAgent) => {
                let case = (first..sentence.token_indices().end)
                    .find(|&k| self.head(k) == Some(h) && self.deprel(k) == Some(Deprel::Case))
                    .map(|k| self.lower[k].as_str());
                matches!(case, Some("with" | "by" | "against" | "from" | "between"))
                    && !self.head(h).is_some_and(|v| {
                        matches!(
                            self.doc.token(v).lemma(),
                            Some("fly" | "travel" | "return" | "come" | "arrive" | "flee")
                        )
                    })
            }
            _ => false,
        }
    }

    /// The person is the subject of "flee"/"go into exile"/"be ousted".
    fn fled(&self, head: usize) -> bool {
        let Some(v) = self.head(head) else {
            return false;
        };
        let lemma = self.doc.token(v).lemma().unwrap_or("");
        match self.deprel(head) {
            Some(Deprel::Nsubj) => matches!(lemma, "flee" | "exile"),
            Some(Deprel::NsubjPass) => {
                matches!(lemma, "oust" | "depose" | "topple" | "overthrow" | "exile")
            }
            _ => {
                // "caused X to flee": X is the object of the causing verb and the subject of flee.
                (1..3).any(|d| {
                    let k = v + d;
                    k < self.doc.len()
                        && self.head(k) == Some(v)
                        && self.deprel(k) == Some(Deprel::Xcomp)
                        && matches!(self.doc.token(k).lemma(), Some("flee"))
                }) || (head + 2 < self.doc.len()
                    && self.lower[head + 1] == "to"
                    && matches!(self.doc.token(head + 2).lemma(), Some("flee")))
            }
        }
    }

    /// Titles, roles and groups that are not part of a name.
    fn collect_nominals(&mut self) {
        // Tokens of title phrases before person names are not nominals.
        let mut title_tokens = vec![false; self.doc.len()];
        for c in &self.cands {
            if c.etype == EntityType::Person && c.kind == MentionKind::Name {
                if let Some(t) = self.title_before(&c.tokens, c.head) {
                    for k in t {
                        title_tokens[k] = true;
                    }
                }
            }
        }
        let names: Vec<Range<usize>> = self.cands.iter().map(|c| c.tokens.clone()).collect();
        for (h, &in_title) in title_tokens.iter().enumerate() {
            if in_title || names.iter().any(|r| r.contains(&h)) {
                continue;
            }
            if !matches!(self.upos(h), None | Some(Upos::Noun | Upos::Propn)) {
                continue;
            }
            let w = self.lower[h].as_str();
            let Some(role) = self.r.lexicon.role(w) else {
                continue;
            };
            if self.parsed {
                // A noun modifying another noun is part of that noun's phrase.
                if matches!(self.deprel(h), Some(Deprel::Compound | Deprel::Amod)) {
                    continue;
                }
            } else if h + 1 < self.doc.len()
                && matches!(self.upos(h + 1), Some(Upos::Noun | Upos::Propn))
            {
                continue;
            }
            // Common words that are roles only in some uses.
            if matches!(
                w,
                "head"
                    | "chair"
                    | "party"
                    | "union"
                    | "group"
                    | "agency"
                    | "department"
                    | "court"
                    | "members"
                    | "member"
                    | "forces"
                    | "units"
                    | "crowd"
                    | "general"
                    | "justice"
                    | "speaker"
                    | "bloc"
            ) && !self.has_left_modifier(h)
            {
                continue;
            }
            let _ = role;
            let mut tokens = self.nominal_span(h);
            // Do not swallow a name inside the nominal ("Kyrgyzstan's Batken region").
            if let Some(r) = names
                .iter()
                .find(|r| r.start >= tokens.start && r.start < h)
            {
                if !self.name_is_modifier(r) {
                    tokens.start = r.end;
                }
            }
            if tokens.start > h {
                tokens.start = h;
            }
            let info = self.analyze_phrase(tokens.clone());
            let kind = match info.role_kind {
                Some(RoleKind::Person) => MentionKind::Title,
                _ => MentionKind::Nominal,
            };
            let etype = match info.role_kind {
                Some(RoleKind::Body) => EntityType::Org,
                _ => EntityType::Person,
            };
            let c = self.push_cand(tokens, kind, etype, info);
            self.cands[c].owner = self.owner_of(h);
        }
    }

    /// A name used as a modifier inside a nominal: a nationality, a country's
    /// possessive, an organisation before a role ("Kremlin aides").
    fn name_is_modifier(&self, r: &Range<usize>) -> bool {
        let _ = r;
        true
    }

    fn has_left_modifier(&self, h: usize) -> bool {
        h > 0
            && matches!(
                self.upos(h - 1),
                Some(Upos::Adj | Upos::Noun | Upos::Propn | Upos::Det | Upos::Num)
            )
            && !matches!(self.lower[h - 1].as_str(), "a" | "an")
    }

    /// The organisation a role belongs to: "spokesman for the ministry",
    /// "head of the agency", "the group's director".
    fn owner_of(&self, h: usize) -> Option<usize> {
        if !self.parsed {
            return None;
        }
        let sentence = self.doc.sentence(self.sent_of[h]).token_indices();
        sentence.clone().find(|&k| {
            self.head(k) == Some(h)
                && match self.deprel(k) {
                    Some(Deprel::NmodPoss) => k < h,
                    Some(Deprel::Nmod) => sentence.clone().any(|c| {
                        self.head(c) == Some(k)
                            && self.deprel(c) == Some(Deprel::Case)
                            && matches!(self.lower[c].as_str(), "for" | "of" | "at")
                    }),
                    _ => false,
                }
        })
    }

    fn collect_pronouns(&mut self) {
        for i in 0..self.doc.len() {
            let w = self.lower[i].clone();
            let w = w.as_str();
            if !PRONOUNS.contains(&w)
                || !matches!(self.upos(i), None | Some(Upos::Pron | Upos::Det))
            {
                continue;
            }
            if self.deprel(i) == Some(Deprel::Expl) {
                continue;
            }
            if w == "it" && self.pleonastic_it(i) {
                continue;
            }
            let c = self.push_cand(
                i..i + 1,
                MentionKind::Pronoun,
                EntityType::Person,
                PhraseInfo::default(),
            );
            let cand = &mut self.cands[c];
            (cand.pronoun_gender, cand.number) = match w {
                "he" | "him" | "his" | "himself" => (Some(Gender::Male), Number::Singular),
                "she" | "her" | "hers" | "herself" => (Some(Gender::Female), Number::Singular),
                "they" | "them" | "their" | "theirs" | "themselves" => (None, Number::Plural),
                _ => (None, Number::Singular),
            };
            if matches!(w, "it" | "its" | "itself") {
                cand.etype = EntityType::Org;
            }
        }
    }

    /// "It is clear that ...", "it was the first ...": no referent. "It said
    /// it would ..." after a reporting verb does refer.
    fn pleonastic_it(&self, i: usize) -> bool {
        let prev = if i > 0 {
            self.lower[i - 1].as_str()
        } else {
            ""
        };
        if matches!(prev, "said" | "says" | "that" | "and") {
            return false;
        }
        let next = self.lower.get(i + 1).map(String::as_str).unwrap_or("");
        matches!(
            next,
            "is" | "was"
                | "'s"
                | "seems"
                | "seemed"
                | "appears"
                | "appeared"
                | "remains"
                | "remained"
                | "takes"
                | "took"
        )
    }

    fn cluster_names_and_nominals(&mut self) {
        // Appositions: (earlier, later) pairs of candidates.
        let mut appos: Vec<(usize, usize)> = Vec::new();
        if self.parsed {
            for a in 0..self.cands.len() {
                for b in 0..self.cands.len() {
                    if a == b
                        || self.cands[b].kind == MentionKind::Pronoun
                        || self.cands[a].kind == MentionKind::Pronoun
                    {
                        continue;
                    }
                    let (ha, hb) = (self.cands[a].head, self.cands[b].head);
                    if self.deprel(hb) == Some(Deprel::Appos) && self.head(hb) == Some(ha) {
                        let both_names = self.cands[a].kind == MentionKind::Name
                            && self.cands[b].kind == MentionKind::Name;
                        if !both_names || self.cands[a].etype == self.cands[b].etype {
                            appos.push((a.min(b), a.max(b)));
                        }
                    }
                }
            }
        }
        // Acronyms in parentheses after a name: "Collective Security Treaty Organization (CSTO)".
        for c in 0..self.cands.len() {
            let t = &self.cands[c].tokens;
            if t.start >= 2
                && self.lower[t.start - 1] == "("
                && self.lower.get(t.end).is_some_and(|w| w == ")")
            {
                if let Some(prev) = (0..c).rev().find(|&p| {
                    self.cands[p].tokens.end == t.start - 1
                        && self.cands[p].kind == MentionKind::Name
                }) {
                    appos.push((prev, c));
                }
            }
        }
        for c in 0..self.cands.len() {
            if self.cands[c].kind == MentionKind::Pronoun {
                continue;
            }
            let target = self.antecedent(c);
            match target {
                Some(k) => self.join(c, k),
                None => {
                    self.new_cluster(c);
                }
            }
            for &(a, b) in &appos {
                if b == c {
                    if let (Some(ka), Some(kb)) = (self.cluster_of(a), self.cluster_of(b)) {
                        if self.compatible_types(ka, kb) {
                            self.merge(ka, kb);
                        }
                    }
                }
            }
        }
    }

    fn compatible_types(&self, a: usize, b: usize) -> bool {
        let (ta, tb) = (self.clusters[a].etype, self.clusters[b].etype);
        match (ta, tb) {
            (Some(x), Some(y)) => {
                x == y
                    || matches!(
                        (x, y),
                        (
                            EntityType::Gpe | EntityType::Loc,
                            EntityType::Gpe | EntityType::Loc
                        )
                    )
                    || self.clusters[a]
                        .members
                        .iter()
                        .chain(&self.clusters[b].members)
                        .any(|&m| self.cands[m].kind != MentionKind::Name)
                        && !(matches!(x, EntityType::Gpe | EntityType::Loc)
                            ^ matches!(y, EntityType::Gpe | EntityType::Loc))
            }
            _ => true,
        }
    }

    /// The cluster an earlier mention started that this name or nominal joins.
    fn antecedent(&self, c: usize) -> Option<usize> {
        let cand = &self.cands[c];
        if let Some(key) = self.group_key(c) {
            if let Some(k) = self
                .live_clusters()
                .rev()
                .find(|&k| self.clusters[k].group_key.as_ref() == Some(&key))
            {
                return Some(k);
            }
        }
        match cand.kind {
            MentionKind::Name => {
                if cand.government_of.is_some() {
                    return None;
                }
                self.live_clusters().rev().find(|&k| {
                    self.clusters[k].members.iter().any(|&m| {
                        let other = &self.cands[m];
                        other.kind == MentionKind::Name
                            && other.government_of.is_none()
                            && self.names_match(other, cand)
                    })
                })
            }
            MentionKind::Title | MentionKind::Nominal => {
                if cand.indefinite {
                    return None;
                }
                let head = cand.info.head_word.as_deref()?;
                let person = cand.info.role_kind == Some(RoleKind::Person);
                let generic_body = matches!(
                    head,
                    "alliance" | "bloc" | "group" | "agency" | "organisation" | "organization"
                );
                // "the association", "the commission": the last organisation
                // whose name has that word ("Media Workers' Association").
                let named_body = cand.info.role_kind == Some(RoleKind::Body)
                    && matches!(
                        head,
                        "association"
                            | "federation"
                            | "commission"
                            | "council"
                            | "committee"
                            | "movement"
                            | "headquarters"
                            | "alliance"
                            | "union"
                            | "party"
                            | "agency"
                    );
                if named_body {
                    let found = self.live_clusters().rev().find(|&k| {
                        self.clusters[k].members.iter().any(|&m| {
                            let other = &self.cands[m];
                            other.kind == MentionKind::Name
                                && other.etype == EntityType::Org
                                && other.government_of.is_none()
                                && other.key.split_whitespace().any(|w| w == head)
                        })
                    });
                    if found.is_some() {
                        return found;
                    }
                }
                self.live_clusters().rev().find(|&k| {
                    let cl = &self.clusters[k];
                    cl.members.iter().any(|&m| {
                        let other = &self.cands[m];
                        if other.kind == MentionKind::Pronoun {
                            return false;
                        }
                        if person {
                            // "the foreign minister" -> someone with that role.
                            other.info.role.as_deref().is_some_and(|r| {
                                let r = r.to_lowercase();
                                cand.info.role.as_deref().is_some_and(|mine| {
                                    let mine = mine.to_lowercase();
                                    mine.split_whitespace()
                                        .filter(|w| *w != "the")
                                        .all(|w| r.contains(w))
                                })
                            }) && (cand.info.country.is_none()
                                || other.info.country == cand.info.country)
                        } else if generic_body {
                            // "the alliance", "the group": the last organisation named.
                            other.kind == MentionKind::Name
                                && other.etype == EntityType::Org
                                && other.government_of.is_none()
                        } else {
                            other.kind != MentionKind::Name
                                && other.info.role_kind == cand.info.role_kind
                                && (other.info.head_word.as_deref() == Some(head)
                                    || (cand.info.sector.is_some()
                                        && other.info.sector == cand.info.sector))
                                && (cand.info.country.is_none()
                                    || other.info.country == cand.info.country)
                        }
                    })
                })
            }
            MentionKind::Pronoun => None,
        }
    }

    fn live_clusters(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        (0..self.clusters.len()).filter(|&k| !self.clusters[k].dead)
    }

    fn names_match(&self, a: &Cand, b: &Cand) -> bool {
        if a.key == b.key {
            return true;
        }
        let lex = self.r.lexicon;
        let ta = self.span_text(&a.tokens);
        let tb = self.span_text(&b.tokens);
        match (a.etype, b.etype) {
            (EntityType::Person, EntityType::Person) => {
                let wa: Vec<&str> = a.key.split_whitespace().collect();
                let wb: Vec<&str> = b.key.split_whitespace().collect();
                let (short, long) = if wa.len() <= wb.len() {
                    (wa, wb)
                } else {
                    (wb, wa)
                };
                !short.is_empty() && long.ends_with(&short)
            }
            (EntityType::Org, EntityType::Org) => {
                if let (Some(x), Some(y)) = (lex.institution(ta), lex.institution(tb)) {
                    return x.canonical == y.canonical;
                }
                acronym_of(ta, tb) || acronym_of(tb, ta)
            }
            (EntityType::Gpe | EntityType::Loc, EntityType::Gpe | EntityType::Loc) => {
                let code = |t: &str| {
                    self.r
                        .gazetteer
                        .lookup_kind(t, GazKind::Country)
                        .find_map(|e| e.country.clone())
                };
                matches!((code(ta), code(tb)), (Some(x), Some(y)) if x == y)
            }
            _ => false,
        }
    }

    fn is_subject(&self, i: usize) -> bool {
        let mut h = i;
        if self.deprel(h) == Some(Deprel::Conj) {
            if let Some(x) = self.head(h) {
                h = x;
            }
        }
        matches!(self.deprel(h), Some(Deprel::Nsubj | Deprel::NsubjPass))
    }

    fn pronoun_compatible(&self, p: &Cand, k: usize) -> bool {
        let cl = &self.clusters[k];
        let w = self.lower[p.tokens.start].as_str();
        let etype = cl.etype.unwrap_or(EntityType::Person);
        match w {
            "he" | "him" | "his" | "himself" | "she" | "her" | "hers" | "herself" => {
                etype == EntityType::Person
                    && cl.number != Some(Number::Plural)
                    && cl.gender.is_none_or(|g| Some(g) == p.pronoun_gender)
                    && cl.members.iter().any(|&m| {
                        matches!(
                            self.cands[m].kind,
                            MentionKind::Name | MentionKind::Title | MentionKind::Pronoun
                        )
                    })
            }
            "they" | "them" | "their" | "theirs" | "themselves" => {
                matches!(
                    etype,
                    EntityType::Person | EntityType::Org | EntityType::Norp
                ) && matches!(cl.number, Some(Number::Plural | Number::Either))
                    || (etype == EntityType::Org
                        && cl
                            .members
                            .iter()
                            .any(|&m| self.cands[m].kind == MentionKind::Nominal))
            }
            _ => {
                matches!(etype, EntityType::Org | EntityType::Gpe)
                    && cl.number != Some(Number::Plural)
            }
        }
    }

    fn resolve_pronouns(&mut self) {
        for p in 0..self.cands.len() {
            if self.cands[p].kind != MentionKind::Pronoun {
                continue;
            }
            if let Some(k) = self.pronoun_antecedent(p) {
                self.join(p, k);
            }
        }
    }

    fn pronoun_antecedent(&self, p: usize) -> Option<usize> {
        let pc = &self.cands[p];
        let s = self.sent_of[pc.head];
        let compatible = |m: usize| -> Option<usize> {
            // A dateline ("VIENNA, June 14 -") is no antecedent.
            let t = &self.cands[m].tokens;
            if self.sent_of[t.start] == 0
                && self.lower.get(t.end).is_some_and(|w| w == ",")
                && !self.span_text(t).chars().any(char::is_lowercase)
            {
                return None;
            }
            let k = self.cands[m].cluster?;
            (!self.clusters[k].dead && self.pronoun_compatible(pc, k)).then_some(k)
        };
        // Same sentence, before the pronoun: a subject first, else the nearest.
        let before: Vec<usize> = (0..p)
            .rev()
            .filter(|&m| {
                self.sent_of[self.cands[m].head] == s && self.cands[m].tokens.end <= pc.tokens.start
            })
            .collect();
        let mut nearest = None;
        for &m in &before {
            if let Some(k) = compatible(m) {
                if self.is_subject(self.cands[m].head) {
                    return Some(k);
                }
                nearest.get_or_insert(k);
            }
        }
        let w = self.lower[pc.tokens.start].as_str();
        if let Some(k) = nearest {
            // A possessive or object pronoun can refer to a non-subject nearby;
            // a subject pronoun prefers the previous sentence's subject.
            if !matches!(w, "he" | "she" | "they") || !self.is_subject(pc.head) {
                return Some(k);
            }
        }
        // Previous sentences: their subject first, else their first mention.
        let max_back = if matches!(w, "it" | "its" | "itself") {
            1
        } else {
            3
        };
        for back in 1..=max_back {
            if back > s {
                break;
            }
            let ps = s - back;
            let in_sentence: Vec<usize> = (0..p)
                .filter(|&m| self.sent_of[self.cands[m].head] == ps)
                .collect();
            if let Some(k) = in_sentence
                .iter()
                .find(|&&m| self.is_subject(self.cands[m].head))
                .and_then(|&m| compatible(m))
            {
                return Some(k);
            }
            if let Some(k) = in_sentence
                .iter()
                .filter(|&&m| self.is_subject(self.cands[m].head))
                .find_map(|&m| compatible(m))
            {
                return Some(k);
            }
            if let Some(k) = in_sentence.iter().find_map(|&m| compatible(m)) {
                return Some(k);
            }
        }
        nearest
    }

    fn build_entities(mut self) -> (Vec<Entity>, Vec<Option<usize>>) {
        self.doc_countries.sort();
        self.doc_countries.dedup();
        let live: Vec<usize> = self.live_clusters().collect();
        // First pass: codes from each cluster's own mentions.
        let mut codes: Vec<(Option<String>, Option<&'static str>)> =
            vec![(None, None); self.clusters.len()];
        for &k in &live {
            codes[k] = self.code_cluster(k);
        }
        // The organisation a person speaks for: the owner of one of its
        // roles (below) or an organisation named in its title ("WFP country
        // director Karin Lindahl").
        let mut affiliation: Vec<Option<usize>> = vec![None; self.clusters.len()];
        for &k in &live {
            for &m in &self.clusters[k].members {
                let c = &self.cands[m];
                if c.kind != MentionKind::Name || c.etype != EntityType::Person {
                    continue;
                }
                let Some(t) = self.title_before(&c.tokens, c.head) else {
                    continue;
                };
                if let Some(o) = self.cands.iter().find(|o| {
                    o.kind == MentionKind::Name
                        && o.etype == EntityType::Org
                        && o.government_of.is_none()
                        && t.start <= o.tokens.start
                        && o.tokens.end <= t.end
                }) {
                    if let Some(ok) = o.cluster.filter(|&ok| ok != k) {
                        affiliation[k].get_or_insert(ok);
                    }
                }
            }
        }
        // Second pass: roles that belong to an organisation take its codes
        // ("a spokesman for the Tajik foreign ministry", "the group's director").
        for &k in &live {
            for &m in &self.clusters[k].members {
                let c = &self.cands[m];
                let Some(owner) = c.owner else { continue };
                let Some(ok) = self
                    .cands
                    .iter()
                    .find(|o| o.tokens.contains(&owner) && o.kind != MentionKind::Pronoun)
                    .and_then(|o| o.cluster)
                else {
                    continue;
                };
                if ok == k {
                    continue;
                }
                affiliation[k].get_or_insert(ok);
                let (oc, os) = codes[ok].clone();
                let generic = c.info.head_word.as_deref().is_some_and(is_generic_head)
                    || c.info.sector.is_none();
                if codes[k].0.is_none() {
                    codes[k].0 = oc;
                }
                if generic && os.is_some() && codes[k].1 != Some("ELI") {
                    codes[k].1 = os;
                }
            }
        }
        // Unqualified domestic actors belong to the story's home country.
        let home = self.home_country();
        if let Some(home) = &home {
            for &k in &live {
                let domestic = codes[k]
                    .1
                    .is_some_and(|s| !matches!(s, "JRN" | "REF" | "SOC" | "UAF" | "UNK" | "PRE"));
                if codes[k].0.is_none() && domestic {
                    codes[k].0 = self.domestic_country(k, home);
                }
            }
        }
        let mut entities = Vec::new();
        let mut entity_cluster = Vec::new();
        for &k in &live {
            let cl = &self.clusters[k];
            let mut members = cl.members.clone();
            members.sort_by_key(|&m| self.cands[m].tokens.start);
            if members
                .iter()
                .all(|&m| self.cands[m].kind == MentionKind::Pronoun)
            {
                continue;
            }
            let etype = cl.etype.unwrap_or(EntityType::Person);
            let government = members
                .iter()
                .any(|&m| self.cands[m].government_of.is_some());
            let name = self.best_name(&members);
            let mut roles: Vec<String> = Vec::new();
            for &m in &members {
                if let Some(r) = &self.cands[m].info.role {
                    if !roles.iter().any(|x| x.eq_ignore_ascii_case(r)) {
                        roles.push(r.clone());
                    }
                }
            }
            let place = if matches!(etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)
                && !government
            {
                self.place_of(&members)
            } else {
                None
            };
            let (mut country, sector) = codes[k].clone();
            if let Some(p) = &place {
                if country.is_none() {
                    country = p.country.clone();
                }
            }
            if country.is_none()
                && place.is_none()
                && !government
                && matches!(etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)
                && !is_water_body(&name)
            {
                // A place too small for the gazetteer: the one country named
                // where it first appears, else the story's home country.
                let first = members
                    .iter()
                    .map(|&m| self.sent_of[self.cands[m].head])
                    .min()
                    .unwrap_or(0);
                let here = self.countries_in(first);
                country = match here.as_slice() {
                    [c] => Some(c.to_string()),
                    _ => home.clone(),
                };
            }
            let mut mentions: Vec<Mention> = members
                .iter()
                .map(|&m| Mention {
                    range: self.cands[m].range,
                    kind: self.cands[m].kind,
                })
                .collect();
            mentions.dedup_by_key(|m| m.range);
            entity_cluster.push(k);
            entities.push(Entity {
                name,
                entity_type: etype,
                country,
                sector: sector.map(str::to_string),
                roles,
                place,
                mentions,
            });
        }
        let mut order: Vec<usize> = (0..entities.len()).collect();
        order.sort_by_key(|&i| entities[i].mentions[0].range.start);
        let mut index_of = vec![None; self.clusters.len()];
        for (new, &old) in order.iter().enumerate() {
            index_of[entity_cluster[old]] = Some(new);
        }
        let affiliation: Vec<Option<usize>> = order
            .iter()
            .map(|&old| affiliation[entity_cluster[old]].and_then(|k| index_of[k]))
            .collect();
        let mut slots: Vec<Option<Entity>> = entities.into_iter().map(Some).collect();
        let entities: Vec<Entity> = order.iter().map(|&i| slots[i].take().unwrap()).collect();
        let collective = first_person::collective(&entities, &affiliation, self.r.gazetteer);
        (entities, collective)
    }

    /// Distinct countries named in a sentence (names, nationality words, places).
    fn countries_in(&self, sentence: usize) -> Vec<&str> {
        let mut here: Vec<&str> = self
            .named_countries
            .iter()
            .filter(|(s, _)| *s == sentence)
            .map(|(_, c)| c.as_str())
            .collect();
        here.sort();
        here.dedup();
        here
    }

    /// The country of an actor the text gives none: the story's home country,
    /// unless the actor is named first in a sentence that names only other
    /// countries ("Foreign Minister Ivan Petrov arrived in Minsk" in a story
    /// from Vilnius): then the one country named there, or none.
    fn domestic_country(&self, k: usize, home: &str) -> Option<String> {
        let cl = &self.clusters[k];
        let named = cl
            .members
            .iter()
            .any(|&m| self.cands[m].kind == MentionKind::Name);
        if named {
            let first = cl
                .members
                .iter()
                .filter(|&&m| self.cands[m].kind != MentionKind::Pronoun)
                .min_by_key(|&&m| self.cands[m].tokens.start)
                .map(|&m| self.sent_of[self.cands[m].head])?;
            let here = self.countries_in(first);
            if !here.is_empty() && !here.contains(&home) {
                // One other country named there is the actor's.
                return (here.len() == 1).then(|| here[0].to_string());
            }
        }
        Some(home.to_string())
    }

    fn best_name(&self, members: &[usize]) -> String {
        let names = members
            .iter()
            .filter(|&&m| self.cands[m].kind == MentionKind::Name);
        if let Some(&m) = names.max_by_key(|&&m| {
            (
                self.cands[m].range.len(),
                std::cmp::Reverse(self.cands[m].range.start),
            )
        }) {
            return self.doc.slice(self.cands[m].range).to_string();
        }
        let m = members
            .iter()
            .copied()
            .find(|&m| self.cands[m].kind != MentionKind::Pronoun)
            .unwrap_or(members[0]);
        self.doc.slice(self.cands[m].range).to_string()
    }

    /// Country and sector from the strongest evidence among the mentions.
    fn code_cluster(&self, k: usize) -> (Option<String>, Option<&'static str>) {
        let cl = &self.clusters[k];
        let mut best_country: Option<(u8, String)> = None;
        let mut best_sector: Option<(u8, &'static str)> = None;
        let mut former = false;
        let mut members = cl.members.clone();
        members.sort_by_key(|&m| self.cands[m].tokens.start);
        for &m in &members {
            let c = &self.cands[m];
            if c.kind == MentionKind::Pronoun {
                continue;
            }
            former |= c.info.former;
            let rank = if c.government_of.is_some() {
                4
            } else {
                match c.kind {
                    MentionKind::Name => 3,
                    MentionKind::Title => 3,
                    _ => 2,
                }
            };
            let country = c.government_of.clone().or_else(|| c.info.country.clone());
            if let Some(country) = country {
                if best_country.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best_country = Some((rank, country));
                }
            }
            let sector = if c.government_of.is_some() {
                Some("GOV")
            } else {
                c.info.sector
            };
            if let Some(s) = sector.filter(|s| *s != "ELI") {
                if best_sector.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best_sector = Some((rank, s));
                }
            }
        }
        let mut sector = best_sector.map(|(_, s)| s);
        if former && cl.etype == Some(EntityType::Person) {
            sector = Some("ELI");
        }
        (best_country.map(|(_, c)| c), sector)
    }

    fn place_of(&self, members: &[usize]) -> Option<Place> {
        let countries: Vec<&str> = self.doc_countries.iter().map(String::as_str).collect();
        for &m in members {
            let c = &self.cands[m];
            if c.kind != MentionKind::Name {
                continue;
            }
            let text = self.doc.slice(c.range);
            if let Some(code) = &c.info.country {
                if let Some(p) = self.r.places.resolve(text, &countries) {
                    if p.country == code || p.feature == Feature::Continent {
                        return Some(p.to_place());
                    }
                }
                if self
                    .r
                    .gazetteer
                    .lookup_kind(text, GazKind::Country)
                    .next()
                    .is_some()
                {
                    if let Some(p) = self.r.places.country(code) {
                        return Some(p.to_place());
                    }
                }
                continue;
            }
            if let Some(p) = self.r.places.resolve(text, &countries) {
                return Some(p.to_place());
            }
        }
        None
    }
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
