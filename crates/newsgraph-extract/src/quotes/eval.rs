//! Scoring extracted quotes against the gold quotes of annotated articles
//! (`dev/articles`, loaded by [`crate::gold`]).
//!
//! - **Recall**: a gold quote is found when a predicted quote overlaps it (any
//!   shared character). **Precision**: a predicted quote is right when it
//!   overlaps a gold quote. Overlap, not exact spans, because annotators differ
//!   on where a reported clause starts and whether an interrupted quote is one
//!   quote or two; the strict one-to-one figures are reported beside them.
//! - **Speaker accuracy**, over found gold quotes, separately for gold `direct`
//!   and for gold `indirect`/`mixed` quotes: the best-overlapping predicted
//!   quote's speaker entity is mapped to a gold entity by shared mentions (each
//!   predicted mention votes for the gold entity of the gold mention it
//!   overlaps most); it is right when that is the gold speaker. A gold `null`
//!   speaker is right only when the prediction is `null` too.

use crate::gold::{f1, ratio, GoldDoc};
use newsgraph_core::{Doc, TextRange};
use serde::Serialize;
use std::collections::HashMap;

/// Scores of `newsgraph eval quotes`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteEval {
    pub documents: usize,
    pub gold: usize,
    pub predicted: usize,
    pub recall: f64,
    pub precision: f64,
    pub f1: f64,
    /// One-to-one matching (each predicted quote pairs with at most one gold quote).
    pub strict: QuoteScores,
    /// Speaker accuracy over found gold `direct` quotes.
    pub speaker_accuracy_direct: f64,
    /// Speaker accuracy over found gold `indirect` and `mixed` quotes.
    pub speaker_accuracy_indirect: f64,
    pub speaker_accuracy: f64,
    /// Found gold quotes whose predicted kind equals the gold kind.
    pub kind_accuracy: f64,
    /// Per gold kind: gold count, found, speaker right.
    pub per_kind: HashMap<&'static str, KindCounts>,
    #[serde(skip)]
    pub errors: Vec<String>,
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Counts per gold kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindCounts {
    pub gold: usize,
    pub found: usize,
    pub speaker_right: usize,
}

/// Score predicted documents against gold ones (pairs in the same order; only
/// annotated gold articles count). `errors` lists every miss, false alarm and
/// wrong speaker, for tuning.
pub fn eval_quotes(pairs: &[(&GoldDoc, &Doc)]) -> QuoteEval {
    let mut ev = QuoteEval::default();
    let (mut found, mut precise, mut strict_matched) = (0, 0, 0);
    let (mut kind_right, mut sp_right, mut sp_total) = (0, 0, 0);
    let mut per_kind: HashMap<&'static str, KindCounts> = HashMap::new();
    for (gold, doc) in pairs {
        if !gold.annotated {
            continue;
        }
        ev.documents += 1;
        ev.gold += gold.quotes.len();
        ev.predicted += doc.quotes.len();
        let entity_map = map_entities(gold, doc);
        let name = gold.origin.rsplit('/').next().unwrap_or(&gold.origin);
        let show = |r: TextRange| {
            let s = doc.slice(r);
            let short: String = s.chars().take(60).collect();
            if short.len() < s.len() {
                format!("{short}…")
            } else {
                short
            }
        };
        // Strict: greedy one-to-one by overlap size.
        let mut pairs_by_overlap: Vec<(u32, usize, usize)> = Vec::new();
        for (gi, g) in gold.quotes.iter().enumerate() {
            for (pi, p) in doc.quotes.iter().enumerate() {
                let o = g.range.overlap(p.range);
                if o > 0 {
                    pairs_by_overlap.push((o, gi, pi));
                }
            }
        }
        pairs_by_overlap.sort_by_key(|p| std::cmp::Reverse(p.0));
        let (mut gused, mut pused) = (
            vec![false; gold.quotes.len()],
            vec![false; doc.quotes.len()],
        );
        for (_, gi, pi) in pairs_by_overlap {
            if !gused[gi] && !pused[pi] {
                gused[gi] = true;
                pused[pi] = true;
                strict_matched += 1;
            }
        }
        for g in &gold.quotes {
            let k = per_kind.entry(g.kind.as_str()).or_default();
            k.gold += 1;
            let best = doc
                .quotes
                .iter()
                .map(|p| (g.range.overlap(p.range), p))
                .filter(|(o, _)| *o > 0)
                .max_by_key(|(o, _)| *o)
                .map(|(_, p)| p);
            let Some(p) = best else {
                ev.errors.push(format!(
                    "{name}: MISSED {} {:?} (speaker {})",
                    g.kind,
                    show(g.range),
                    g.speaker.as_deref().unwrap_or("null")
                ));
                continue;
            };
            found += 1;
            k.found += 1;
            if p.kind == g.kind {
                kind_right += 1;
            }
            let predicted = p.speaker.and_then(|e| entity_map.get(&e).cloned());
            let right = match (&g.speaker, p.speaker) {
                (None, None) => true,
                (Some(gs), Some(_)) => predicted.as_deref() == Some(gs.as_str()),
                _ => false,
            };
            sp_total += 1;
            if right {
                sp_right += 1;
                k.speaker_right += 1;
            } else {
                let pname = p.speaker.map(|e| doc.entities[e].name.as_str());
                ev.errors.push(format!(
                    "{name}: SPEAKER {} {:?}: gold {} predicted {} (mention {:?}, as {})",
                    g.kind,
                    show(g.range),
                    g.speaker.as_deref().unwrap_or("null"),
                    pname.unwrap_or("null"),
                    p.speaker_mention.map(|m| doc.slice(m)).unwrap_or("-"),
                    predicted.as_deref().unwrap_or("-"),
                ));
            }
        }
        for p in &doc.quotes {
            if gold.quotes.iter().any(|g| g.range.overlap(p.range) > 0) {
                precise += 1;
            } else {
                ev.errors.push(format!(
                    "{name}: FALSE {} {:?} (speaker mention {:?})",
                    p.kind,
                    show(p.range),
                    p.speaker_mention.map(|m| doc.slice(m)).unwrap_or("-")
                ));
            }
        }
    }
    ev.recall = ratio(found, ev.gold);
    ev.precision = ratio(precise, ev.predicted);
    ev.f1 = f1(ev.precision, ev.recall);
    let sp = ratio(strict_matched, ev.predicted);
    let sr = ratio(strict_matched, ev.gold);
    ev.strict = QuoteScores {
        precision: sp,
        recall: sr,
        f1: f1(sp, sr),
    };
    let get = |k: &str| per_kind.get(k).cloned().unwrap_or_default();
    let d = get("direct");
    let (i, m) = (get("indirect"), get("mixed"));
    ev.speaker_accuracy_direct = ratio(d.speaker_right, d.found);
    ev.speaker_accuracy_indirect = ratio(i.speaker_right + m.speaker_right, i.found + m.found);
    ev.speaker_accuracy = ratio(sp_right, sp_total);
    ev.kind_accuracy = ratio(kind_right, found);
    ev.per_kind = per_kind;
    ev
}

/// Predicted entity index → gold entity id, by shared mentions: each predicted
/// mention votes for the gold entity whose mention it overlaps most.
fn map_entities(gold: &GoldDoc, doc: &Doc) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    for (e, ent) in doc.entities.iter().enumerate() {
        let mut votes: HashMap<&str, usize> = HashMap::new();
        for m in &ent.mentions {
            let best = gold
                .mentions
                .iter()
                .filter(|g| g.range.overlap(m.range) > 0)
                // Most overlap; among equals, the tighter gold mention.
                .max_by_key(|g| (g.range.overlap(m.range), std::cmp::Reverse(g.range.len())));
            if let Some(g) = best {
                *votes.entry(g.entity.as_str()).or_default() += 1;
            }
        }
        if let Some((id, _)) = votes
            .into_iter()
            .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))
        {
            out.insert(e, id.to_string());
        }
    }
    out
}
