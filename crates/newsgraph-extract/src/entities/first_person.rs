//! First-person pronouns inside quotes: "I"/"me"/"my" are the speaker; "we"/"us"/"our"
//! are the body the speaker speaks for — the organisation named in the
//! speaker's role ("a spokesman for the headquarters", "WFP country
//! director"), else the speaker's country, else its government; an
//! organisation or a government that speaks is its own "we".
//!
//! Outside quotes first-person pronouns are the writer's and stay unresolved.
//! The quotes come from [`crate::quotes::extract`] run over the resolved
//! entities, so speaker attribution is the quote stage's.

use newsgraph_core::records::{Entity, EntityType, Mention, MentionKind, QuoteKind};
use newsgraph_core::tags::Upos;
use newsgraph_core::{Doc, Layers};
use newsgraph_nlp::ner::{GazKind, Gazetteer};

const SINGULAR: &[&str] = &["i", "me", "my", "mine", "myself"];
const PLURAL: &[&str] = &["we", "us", "our", "ours", "ourselves"];

/// Codes that are no state: an organisation with one of them is matched by the code.
fn non_state(code: &str) -> bool {
    matches!(code, "IGO" | "UNO" | "EUR" | "NGO" | "IMG" | "MNC" | "ISM")
}

/// For each entity, the entity its "we" stands for when it is a quote's speaker.
pub(super) fn collective(
    entities: &[Entity],
    affiliation: &[Option<usize>],
    gazetteer: &Gazetteer,
) -> Vec<Option<usize>> {
    let mentions = |e: usize| entities[e].mentions.len();
    entities
        .iter()
        .enumerate()
        .map(|(e, ent)| {
            if let Some(a) = affiliation[e] {
                return Some(a);
            }
            if ent.entity_type != EntityType::Person {
                return Some(e);
            }
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
                    && gazetteer.is_a(&x.name, &[GazKind::Country])
            });
            country_entity.or_else(|| {
                (0..entities.len()).find(|&o| {
                    let x = &entities[o];
                    x.entity_type == EntityType::Org
                        && x.country.as_deref() == Some(country)
                        && x.sector.as_deref() == Some("GOV")
                })
            })
        })
        .collect()
}

/// Add the first-person pronouns of quotes with a known speaker to the
/// entities they refer to.
pub(super) fn resolve(doc: &mut Doc, collective: &[Option<usize>]) {
    // Speakers are found through the parse.
    if !doc.has(Layers::PARSE | Layers::LEMMAS) {
        return;
    }
    let quotes: Vec<_> = crate::quotes::extract(doc)
        .into_iter()
        .map(|f| f.quote)
        .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Mixed) && q.speaker.is_some())
        .collect();
    if quotes.is_empty() {
        return;
    }
    let mut added: Vec<(usize, Mention)> = Vec::new();
    for t in doc.tokens() {
        let w = t.text();
        let lower = w.to_lowercase();
        let plural = PLURAL.contains(&lower.as_str());
        if !plural && !SINGULAR.contains(&lower.as_str()) {
            continue;
        }
        // "US" is the country; "I" must be tagged a pronoun.
        if w == "US" || !matches!(t.upos(), None | Some(Upos::Pron | Upos::Det)) {
            continue;
        }
        let r = t.range();
        let Some(q) = quotes
            .iter()
            .find(|q| q.range.start <= r.start && r.end <= q.range.end)
        else {
            continue;
        };
        let speaker = q.speaker.expect("filtered");
        let target = if plural {
            collective.get(speaker).copied().flatten()
        } else {
            (doc.entities[speaker].entity_type == EntityType::Person).then_some(speaker)
        };
        if let Some(e) = target {
            added.push((
                e,
                Mention {
                    range: r,
                    kind: MentionKind::Pronoun,
                },
            ));
        }
    }
    for (e, m) in added {
        let mentions = &mut doc.entities[e].mentions;
        if mentions.iter().any(|x| x.range == m.range) {
            continue;
        }
        let at = mentions.partition_point(|x| x.range.start < m.range.start);
        mentions.insert(at, m);
    }
}
