//! First-person pronouns inside quotes, resolved after the quotes stage:
//! "I"/"me"/"my" are the speaker (unless a place); "we"/"us"/"our" are the body the speaker
//! speaks for — the organisation named in the speaker's title ("WFP country
//! director Karin Lindahl") or owning one of its roles ("a spokesman for the
//! headquarters", "the group's director"), else the speaker's country, else
//! its government; an organisation or a government that speaks is its own
//! "we".
//!
//! Outside quotes first-person pronouns are the writer's and stay unresolved.
//! [`FirstPersonResolver`] is the pipeline component after `quotes`: it reads
//! `doc.quotes` (so speaker attribution is the quote stage's) and adds the
//! pronouns as mentions of existing entities; entity indices do not change.
//! A quote whose speaker mention is one of those pronouns ("I told them",
//! nested inside another quote) then gets that entity as its speaker.

use newsgraph_core::records::{EntityType, Mention, MentionKind, QuoteKind};
use newsgraph_core::tags::{Deprel, Upos};
use newsgraph_core::{Component, ComponentError, Doc, Layers, TextRange};
use newsgraph_nlp::ner::{GazKind, Gazetteer};

use super::lexicon::Lexicon;
use super::{owner_of, sentence_tokens, token_at};

/// The pipeline component after `quotes` that adds first-person pronouns
/// inside quotes to the entities they refer to (see the module docs).
#[derive(Debug)]
pub struct FirstPersonResolver {
    lexicon: &'static Lexicon,
    gazetteer: &'static Gazetteer,
}

impl Default for FirstPersonResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl FirstPersonResolver {
    pub fn new() -> Self {
        FirstPersonResolver {
            lexicon: Lexicon::builtin(),
            gazetteer: Gazetteer::builtin(),
        }
    }
}

impl Component for FirstPersonResolver {
    fn name(&self) -> &str {
        "first_person"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES | Layers::TAGS | Layers::ENTITIES | Layers::QUOTES
    }

    fn assigns(&self) -> Layers {
        Layers::ENTITIES
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        resolve(doc, self);
        Ok(())
    }
}

const SINGULAR: &[&str] = &["i", "me", "my", "mine", "myself"];
const PLURAL: &[&str] = &["we", "us", "our", "ours", "ourselves"];

/// Codes that are no state: an organisation with one of them is matched by the code.
fn non_state(code: &str) -> bool {
    matches!(code, "IGO" | "UNO" | "EUR" | "NGO" | "IMG" | "MNC" | "ISM")
}

/// Lowercased token texts.
fn lower(doc: &Doc) -> Vec<String> {
    doc.tokens().map(|t| t.text().to_lowercase()).collect()
}

/// The entity with a non-pronoun mention covering token `i`, other than `not`.
fn entity_covering(doc: &Doc, i: usize, not: usize) -> Option<usize> {
    let t = doc.token(i).range();
    (0..doc.entities.len()).filter(|&o| o != not).find(|&o| {
        doc.entities[o]
            .mentions
            .iter()
            .any(|m| m.kind != MentionKind::Pronoun && m.range.contains(t))
    })
}

/// The organisation person `e` speaks for: one named in the title before one
/// of its names ("WFP country director Karin Lindahl"; a seat of government
/// or a capital is no organisation here: "Kremlin spokesman" speaks for the
/// country), else the owner of one of its roles ("a spokesman for the
/// ministry", "the group's director", through the parse).
fn affiliation(doc: &Doc, e: usize, r: &FirstPersonResolver) -> Option<usize> {
    let ent = &doc.entities[e];
    let names = ent.mentions.iter().filter(|m| m.kind == MentionKind::Name);
    for m in names {
        let Some(i) = token_at(doc, m.range.start) else {
            continue;
        };
        let sentence_start = sentence_tokens(doc, i).start;
        let mut j = i;
        while j > sentence_start {
            let t = doc.token(j - 1);
            let w = t.text();
            let titleish = matches!(t.upos(), Some(Upos::Noun | Upos::Propn | Upos::Adj))
                || matches!(w, "of" | "'s" | "’s" | "-");
            if !titleish {
                break;
            }
            j -= 1;
        }
        if j == i {
            continue;
        }
        let title = doc.token(j).range().cover(doc.token(i - 1).range());
        let org = (0..doc.entities.len()).find(|&o| {
            let x = &doc.entities[o];
            o != e
                && x.entity_type == EntityType::Org
                && x.mentions.iter().any(|m| {
                    m.kind == MentionKind::Name
                        && title.contains(m.range)
                        && !r
                            .lexicon
                            .institution(doc.slice(m.range))
                            .is_some_and(|inst| inst.seat)
                        && !r
                            .gazetteer
                            .is_a(doc.slice(m.range), &[GazKind::Capital, GazKind::City])
                })
        });
        if org.is_some() {
            return org;
        }
    }
    if !doc.has(Layers::PARSE) {
        return None;
    }
    for m in &ent.mentions {
        if !matches!(m.kind, MentionKind::Nominal | MentionKind::Title) {
            continue;
        }
        let Some(first) = token_at(doc, m.range.start) else {
            continue;
        };
        let tokens: Vec<usize> = (first..doc.len())
            .take_while(|&k| doc.token(k).range().end <= m.range.end)
            .collect();
        // The head: the token whose head lies outside the mention.
        let Some(&h) = tokens.iter().find(|&&k| {
            doc.token(k)
                .head()
                .is_none_or(|x| !tokens.contains(&x.index()))
        }) else {
            continue;
        };
        let owner = owner_of(doc, sentence_tokens(doc, h), h);
        if let Some(o) = owner.and_then(|k| entity_covering(doc, k, e)) {
            return Some(o);
        }
    }
    // "Colonel Espen Haugland, a spokesman for the headquarters": the
    // apposition of a name, when coreference kept it apart.
    for m in ent.mentions.iter().filter(|m| m.kind == MentionKind::Name) {
        let Some(first) = token_at(doc, m.range.start) else {
            continue;
        };
        let name: Vec<usize> = (first..doc.len())
            .take_while(|&k| doc.token(k).range().end <= m.range.end)
            .collect();
        let apposition = sentence_tokens(doc, first).find(|&k| {
            doc.token(k).deprel() == Some(Deprel::Appos)
                && doc
                    .token(k)
                    .head()
                    .is_some_and(|x| name.contains(&x.index()))
        });
        if let Some(o) = apposition
            .and_then(|k| owner_of(doc, sentence_tokens(doc, k), k))
            .and_then(|k| entity_covering(doc, k, e))
        {
            return Some(o);
        }
    }
    None
}

/// The entity speaker `e`'s "we" stands for.
fn collective(doc: &Doc, e: usize, r: &FirstPersonResolver) -> Option<usize> {
    let entities = &doc.entities;
    let ent = &entities[e];
    if ent.entity_type != EntityType::Person {
        return Some(e);
    }
    if let Some(a) = affiliation(doc, e, r) {
        return Some(a);
    }
    let mentions = |o: usize| entities[o].mentions.len();
    let country = ent.country.as_deref()?;
    if non_state(country) {
        return (0..entities.len())
            .filter(|&o| {
                entities[o].entity_type == EntityType::Org
                    && entities[o].country.as_deref() == Some(country)
            })
            .max_by_key(|&o| (mentions(o), std::cmp::Reverse(o)));
    }
    let country_entity = (0..entities.len()).find(|&o| {
        let x = &entities[o];
        x.entity_type == EntityType::Gpe
            && x.country.as_deref() == Some(country)
            && r.gazetteer.is_a(&x.name, &[GazKind::Country])
    });
    country_entity.or_else(|| {
        (0..entities.len()).find(|&o| {
            let x = &entities[o];
            x.entity_type == EntityType::Org
                && x.country.as_deref() == Some(country)
                && x.sector.as_deref() == Some("GOV")
        })
    })
}

/// Add the first-person pronouns of quotes with a known speaker to the
/// entities they refer to.
fn resolve(doc: &mut Doc, r: &FirstPersonResolver) {
    let quotes: Vec<(TextRange, usize)> = doc
        .quotes
        .iter()
        .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Mixed))
        .filter_map(|q| Some((q.range, q.speaker?)))
        .collect();
    if quotes.is_empty() {
        return;
    }
    let lower = lower(doc);
    let mut collectives: Vec<Option<Option<usize>>> = vec![None; doc.entities.len()];
    let mut added: Vec<(usize, Mention)> = Vec::new();
    for t in doc.tokens() {
        let w = t.text();
        let lw = lower[t.index()].as_str();
        let plural = PLURAL.contains(&lw);
        if !plural && !SINGULAR.contains(&lw) {
            continue;
        }
        // "US" is the country; "I" must be tagged a pronoun.
        if w == "US" || !matches!(t.upos(), None | Some(Upos::Pron | Upos::Det)) {
            continue;
        }
        let range = t.range();
        let Some(&(_, speaker)) = quotes.iter().find(|(q, _)| q.contains(range)) else {
            continue;
        };
        let target = if plural {
            *collectives[speaker].get_or_insert_with(|| collective(doc, speaker, r))
        } else {
            // Whoever says "I" is a person, even one the recogniser typed
            // an organisation ("Horáková told a news conference"); a place is
            // never a speaker's "I".
            (!matches!(
                doc.entities[speaker].entity_type,
                EntityType::Gpe | EntityType::Loc | EntityType::Fac | EntityType::Norp
            ))
            .then_some(speaker)
        };
        if let Some(e) = target {
            added.push((
                e,
                Mention {
                    range,
                    kind: MentionKind::Pronoun,
                },
            ));
        }
    }
    for (e, m) in added {
        for q in doc.quotes.iter_mut() {
            if q.speaker.is_none() && q.speaker_mention == Some(m.range) {
                q.speaker = Some(e);
            }
        }
        let mentions = &mut doc.entities[e].mentions;
        if mentions.iter().any(|x| x.range == m.range) {
            continue;
        }
        let at = mentions.partition_point(|x| x.range.start < m.range.start);
        mentions.insert(at, m);
    }
}
