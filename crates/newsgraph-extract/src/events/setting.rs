//! When and where an event happened: the time expression governing its
//! clause (else the dateline or publication date for asserted past events),
//! and the place attached to its clause (else the dateline place).

use super::modality::Clause;
use super::tree::Tree;
use super::Candidate;
use newsgraph_core::records::{EntityType, Location, Modality, TimeType};
use newsgraph_core::tags::{Deprel, Upos};
use newsgraph_core::{Doc, TextRange};
use newsgraph_nlp::ner::{GazKind, Gazetteer};

/// What the whole document says about time and place: its dateline and
/// publication date, and the clause head each time expression attaches to.
#[derive(Debug)]
pub struct DocSetting {
    /// Date of the dateline or else the publication date (YYYY-MM-DD).
    pub anchor: Option<String>,
    /// The dateline's place (token range of the place words).
    pub dateline_place: Option<(usize, usize)>,
    /// For each time expression: its head token, and the words it hangs
    /// from up to the nearest verb (the verb last).
    times: Vec<(usize, Vec<usize>)>,
}

impl DocSetting {
    pub fn new(doc: &Doc, tree: &Tree<'_>) -> DocSetting {
        let published = doc
            .meta
            .published
            .as_deref()
            .and_then(|p| p.get(..10))
            .map(str::to_string);
        let mut dateline_end = None;
        let mut dateline_place = None;
        if let Some(s) = doc.sentences().next() {
            let toks: Vec<usize> = s.token_indices().take(16).collect();
            let upper = |t: usize| {
                let w = tree.text(t);
                w.len() >= 2
                    && w.bytes().any(|b| b.is_ascii_uppercase())
                    && w.bytes()
                        .all(|b| b.is_ascii_uppercase() || b"-.'".contains(&b))
            };
            if toks.first().is_some_and(|&t| upper(t)) {
                if let Some(&dash) = toks
                    .iter()
                    .find(|&&t| matches!(tree.text(t), "-" | "--" | "\u{2014}" | "\u{2013}"))
                {
                    dateline_end = Some(doc.token(dash).range().end);
                    let place_end = toks
                        .iter()
                        .position(|&t| !upper(t))
                        .map_or(toks[0] + 1, |p| toks[p]);
                    dateline_place = Some((toks[0], place_end));
                }
            }
        }
        let dateline_date = dateline_end.and_then(|end| {
            doc.times
                .iter()
                .find(|t| t.range.end <= end && t.time_type == TimeType::Date)
                .and_then(|t| t.value.as_deref())
                .filter(|v| v.len() == 10 && v.as_bytes()[0].is_ascii_digit())
                .map(str::to_string)
        });
        let ranges = doc.token_ranges();
        let times = doc
            .times
            .iter()
            .map(|t| {
                let first = ranges.partition_point(|r| r.end <= t.range.start);
                let last = ranges
                    .partition_point(|r| r.start < t.range.end)
                    .max(first + 1);
                let head = (first..last.min(doc.len()))
                    .find(|&i| tree.head(i).is_none_or(|h| h < first || h >= last))
                    .unwrap_or(first);
                // Climb to the nearest verb or noun that is not itself a
                // preposition's object inside the time phrase.
                let mut path = Vec::new();
                let mut cur = head;
                for _ in 0..5 {
                    match tree.head(cur) {
                        Some(h) => {
                            cur = h;
                            path.push(h);
                            if matches!(tree.upos(h), Some(Upos::Verb)) {
                                break;
                            }
                        }
                        None => break,
                    }
                }
                (head, path)
            })
            .collect();
        DocSetting {
            anchor: dateline_date.or(published),
            dateline_place,
            times,
        }
    }
}

/// A usable calendar value of a time expression ("2015-05-12", "2015-05", "2015").
fn calendar(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    if b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) {
        if v.len() >= 10 && b[7] == b'-' && b[4] == b'-' {
            return Some(&v[..10]);
        }
        if v.len() == 7 || v.len() == 4 {
            return Some(v);
        }
    }
    None
}

/// The governing time expression and the event's date.
pub fn date(
    tree: &Tree<'_>,
    ctx: &DocSetting,
    c: &Candidate<'_>,
    clause: &Clause,
) -> (Option<usize>, Option<String>) {
    let doc = tree.doc;
    let sent = tree.sentence_of[c.token];
    let attached = |target: usize| {
        doc.times.iter().enumerate().find(|(k, t)| {
            let (head, path) = &ctx.times[*k];
            tree.sentence_of[*head] == sent
                && path.contains(&target)
                && t.value.as_deref().and_then(calendar).is_some()
        })
    };
    let mut targets = vec![c.token, c.clause];
    targets.extend(clause.chain.iter().copied());
    for &t in &targets {
        if let Some((k, t)) = attached(t) {
            return (
                Some(k),
                t.value.as_deref().and_then(calendar).map(str::to_string),
            );
        }
    }
    if clause.modality == Modality::Asserted && super::is_past(tree, c.clause)
        || (clause.modality == Modality::Asserted
            && c.clause == c.token
            && tree.upos(c.token) == Some(Upos::Noun))
    {
        return (None, ctx.anchor.clone());
    }
    (None, None)
}

/// The place attached to the clause ("in Sochi", "at the border town of X"),
/// else the dateline place for asserted events.
pub fn location(tree: &Tree<'_>, ctx: &DocSetting, c: &Candidate<'_>) -> Option<Location> {
    let doc = tree.doc;
    for &v in &[c.token, c.clause] {
        for &k in tree.children(v) {
            let k = k as usize;
            if !matches!(tree.rel(k), Some(Deprel::Obl | Deprel::Nmod)) {
                continue;
            }
            if !matches!(
                tree.case_of(k),
                Some("in" | "at" | "near" | "outside" | "inside")
            ) {
                continue;
            }
            if let Some(loc) = place_at(tree, k) {
                return Some(loc);
            }
            // "at the border town of X"
            for n in tree.kids_with(k, Deprel::Nmod) {
                if let Some(loc) = place_at(tree, n) {
                    return Some(loc);
                }
            }
        }
    }
    let (a, b) = ctx.dateline_place?;
    let range = doc.token(a).range().cover(doc.token(b - 1).range());
    Some(Location {
        range,
        place: place_of(doc, range),
    })
}

/// A place named by token `k`: an entity of a place type, or a gazetteer place.
fn place_at(tree: &Tree<'_>, k: usize) -> Option<Location> {
    let doc = tree.doc;
    let r = doc.token(k).range();
    for ent in &doc.entities {
        if !matches!(
            ent.entity_type,
            EntityType::Gpe | EntityType::Loc | EntityType::Fac
        ) {
            continue;
        }
        if let Some(m) = ent
            .mentions
            .iter()
            .find(|m| m.range.start <= r.start && r.end <= m.range.end)
        {
            return Some(Location {
                range: m.range,
                place: ent.place.clone(),
            });
        }
    }
    let gaz = Gazetteer::builtin();
    if tree.upos(k) == Some(Upos::Propn)
        && gaz.is_a(
            tree.text(k),
            &[
                GazKind::Capital,
                GazKind::City,
                GazKind::Region,
                GazKind::Country,
            ],
        )
    {
        return Some(Location {
            range: r,
            place: None,
        });
    }
    None
}

fn place_of(doc: &Doc, r: TextRange) -> Option<newsgraph_core::records::Place> {
    doc.entities.iter().find_map(|e| {
        e.mentions
            .iter()
            .any(|m| m.range.start <= r.start && r.end <= m.range.end)
            .then(|| e.place.clone())
            .flatten()
    })
}
