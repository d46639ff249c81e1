//! Scoring extracted events against gold ([`crate::gold`]): detection and
//! typing per sentence, then the fields of matched events, and a reliability
//! table of the confidences.
//!
//! A predicted event matches a gold event when their types agree and the
//! predicted event's sentence contains the gold trigger; matching is
//! one-to-one, preferring overlapping triggers, then the nearest. Field
//! accuracies are over matched events:
//!
//! - countries: the set of (non-null) countries of the source actors equals
//!   the gold set. For symmetric acts (CONSULT, AGREE, COOPERATE), where the
//!   dev set's guide lets either party be the source, the union of source and
//!   target countries may match instead (either party may be the source);
//! - modality and date: equal (a null date is right when the gold is null).

use crate::gold::{f1, ratio, GoldActor, GoldDoc, GoldEvent};
use newsgraph_core::records::{Event, EventType};
use newsgraph_core::Doc;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Precision, recall and F1 with their counts.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
}

impl Prf {
    fn from_counts(gold: usize, predicted: usize, matched: usize) -> Prf {
        let p = ratio(matched, predicted);
        let r = ratio(matched, gold);
        Prf {
            precision: p,
            recall: r,
            f1: f1(p, r),
            gold,
            predicted,
            matched,
        }
    }
}

/// One confidence bin: how many events got a confidence in `[lo, hi)`, their
/// mean confidence and the fraction that matched a gold event.
#[derive(Debug, Clone, Serialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub events: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// What `newsgraph eval events` prints.
#[derive(Debug, Clone, Serialize)]
pub struct EventScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub per_type: BTreeMap<String, Prf>,
    pub source_country_accuracy: f64,
    pub target_country_accuracy: f64,
    pub modality_accuracy: f64,
    pub date_accuracy: f64,
    pub mode_accuracy: f64,
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub documents: usize,
    /// Confidence vs. accuracy, in bins of 0.1.
    pub reliability: Vec<Bin>,
    /// Expected calibration error over the bins.
    pub calibration_error: f64,
}

/// Accumulates matches over documents.
#[derive(Debug, Default)]
pub struct EventScorer {
    gold: HashMap<EventType, usize>,
    predicted: HashMap<EventType, usize>,
    matched: HashMap<EventType, usize>,
    source_ok: usize,
    target_ok: usize,
    modality_ok: usize,
    date_ok: usize,
    mode_ok: usize,
    pairs: usize,
    documents: usize,
    /// (confidence, matched) per predicted event.
    confidences: Vec<(f32, bool)>,
    /// Human-readable errors, when asked for.
    pub errors: Option<Vec<String>>,
    /// Every predicted event with its document's number and whether it
    /// matched, when asked for (to fit a confidence calibration,
    /// `confidence.rs`).
    pub outcomes: Option<Vec<(usize, Event, bool)>>,
}

fn countries(actors: impl Iterator<Item = Option<String>>) -> BTreeSet<String> {
    actors.flatten().collect()
}

fn symmetric(t: EventType) -> bool {
    matches!(
        t,
        EventType::Consult | EventType::Agree | EventType::Cooperate
    )
}

impl EventScorer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keep a line per error (missed, spurious, wrong field) in `errors`.
    pub fn with_errors(mut self) -> Self {
        self.errors = Some(Vec::new());
        self
    }

    /// Keep every predicted event with whether it matched in `outcomes`.
    pub fn with_outcomes(mut self) -> Self {
        self.outcomes = Some(Vec::new());
        self
    }

    /// Score one processed document against its gold.
    pub fn add(&mut self, doc: &Doc, gold: &GoldDoc) {
        self.documents += 1;
        let preds = &doc.events;
        for g in &gold.events {
            *self.gold.entry(g.event_type).or_default() += 1;
        }
        for p in preds {
            *self.predicted.entry(p.event_type).or_default() += 1;
        }
        // Candidate pairs ranked: overlap first, then distance.
        let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
        for (gi, g) in gold.events.iter().enumerate() {
            for (pi, p) in preds.iter().enumerate() {
                if p.event_type != g.event_type {
                    continue;
                }
                let s = doc.sentence_data()[p.sentence].range;
                if !(s.start <= g.trigger.start && g.trigger.start < s.end) {
                    continue;
                }
                let overlap = p.trigger.start < g.trigger.end && g.trigger.start < p.trigger.end;
                let dist = if overlap {
                    0
                } else {
                    1 + p.trigger.start.abs_diff(g.trigger.start)
                };
                pairs.push((dist, gi, pi));
            }
        }
        pairs.sort();
        let mut gold_used = vec![false; gold.events.len()];
        let mut pred_used = vec![false; preds.len()];
        for (_, gi, pi) in pairs {
            if gold_used[gi] || pred_used[pi] {
                continue;
            }
            gold_used[gi] = true;
            pred_used[pi] = true;
            self.score_pair(doc, gold, &gold.events[gi], &preds[pi]);
        }
        for (pi, p) in preds.iter().enumerate() {
            self.confidences.push((p.confidence, pred_used[pi]));
            if let Some(o) = &mut self.outcomes {
                o.push((self.documents, p.clone(), pred_used[pi]));
            }
            if !pred_used[pi] {
                self.note(|| {
                    format!(
                        "{}: spurious {} \"{}\" ({}) in: {}",
                        gold.id,
                        p.event_type,
                        doc.slice(p.trigger),
                        p.rule,
                        doc.sentence(p.sentence).text()
                    )
                });
            }
        }
        for (gi, g) in gold.events.iter().enumerate() {
            if !gold_used[gi] {
                let sentence = doc
                    .sentences()
                    .find(|s| s.range().start <= g.trigger.start && g.trigger.start < s.range().end)
                    .map_or("", |s| s.text());
                self.note(|| {
                    format!(
                        "{}: missed {} \"{}\" in: {}",
                        gold.id,
                        g.event_type,
                        gold.slice(g.trigger),
                        sentence
                    )
                });
            }
        }
    }

    fn note(&mut self, f: impl FnOnce() -> String) {
        if let Some(e) = &mut self.errors {
            e.push(f());
        }
    }

    fn score_pair(&mut self, doc: &Doc, gold: &GoldDoc, g: &GoldEvent, p: &Event) {
        *self.matched.entry(g.event_type).or_default() += 1;
        self.pairs += 1;
        let gc = |a: &[GoldActor]| countries(a.iter().map(|x| x.country.clone()));
        let pc =
            |a: &[newsgraph_core::records::Actor]| countries(a.iter().map(|x| x.country.clone()));
        let (src_ok, tgt_ok) = if symmetric(g.event_type) {
            let (gs, gt, ps, pt) = (gc(&g.source), gc(&g.target), pc(&p.source), pc(&p.target));
            let mut ga = gs.clone();
            ga.extend(gt.iter().cloned());
            let mut pa = ps.clone();
            pa.extend(pt.iter().cloned());
            (gs == ps || ga == pa, gt == pt || ga == pa)
        } else {
            (
                gc(&g.source) == pc(&p.source),
                gc(&g.target) == pc(&p.target),
            )
        };
        let what = format!(
            "{}: {} \"{}\" ({})",
            gold.id,
            g.event_type,
            gold.slice(g.trigger),
            p.rule
        );
        if src_ok {
            self.source_ok += 1;
        } else {
            let (a, b) = (gc(&g.source), pc(&p.source));
            let src: Vec<&str> = p.source.iter().map(|a| doc.slice(a.range)).collect();
            self.note(|| format!("{what}: source countries {a:?}, predicted {b:?} from {src:?}"));
        }
        if tgt_ok {
            self.target_ok += 1;
        } else {
            let (a, b) = (gc(&g.target), pc(&p.target));
            let tgt: Vec<&str> = p.target.iter().map(|a| doc.slice(a.range)).collect();
            self.note(|| format!("{what}: target countries {a:?}, predicted {b:?} from {tgt:?}"));
        }
        if g.modality == p.modality {
            self.modality_ok += 1;
        } else {
            let (a, b) = (g.modality, p.modality);
            self.note(|| format!("{what}: modality {a}, predicted {b}"));
        }
        if g.date == p.date {
            self.date_ok += 1;
        } else {
            let (a, b) = (g.date.clone(), p.date.clone());
            self.note(|| format!("{what}: date {a:?}, predicted {b:?}"));
        }
        if g.mode == p.mode {
            self.mode_ok += 1;
        } else {
            let (a, b) = (g.mode.clone(), p.mode.clone());
            self.note(|| format!("{what}: mode {a:?}, predicted {b:?}"));
        }
    }

    /// The scores so far.
    pub fn scores(&self) -> EventScores {
        let sum = |m: &HashMap<EventType, usize>| m.values().sum::<usize>();
        let all = Prf::from_counts(sum(&self.gold), sum(&self.predicted), sum(&self.matched));
        let per_type = EventType::ALL
            .iter()
            .map(|t| {
                let get = |m: &HashMap<EventType, usize>| m.get(t).copied().unwrap_or(0);
                (
                    t.as_str().to_string(),
                    Prf::from_counts(get(&self.gold), get(&self.predicted), get(&self.matched)),
                )
            })
            .collect();
        let (reliability, ece) = reliability(&self.confidences);
        EventScores {
            precision: all.precision,
            recall: all.recall,
            f1: all.f1,
            per_type,
            source_country_accuracy: ratio(self.source_ok, self.pairs),
            target_country_accuracy: ratio(self.target_ok, self.pairs),
            modality_accuracy: ratio(self.modality_ok, self.pairs),
            date_accuracy: ratio(self.date_ok, self.pairs),
            mode_accuracy: ratio(self.mode_ok, self.pairs),
            gold: all.gold,
            predicted: all.predicted,
            matched: all.matched,
            documents: self.documents,
            reliability,
            calibration_error: ece,
        }
    }
}

/// The reliability table of (confidence, right) pairs in bins of 0.1, and the
/// expected calibration error over the bins.
pub fn reliability(confidences: &[(f32, bool)]) -> (Vec<Bin>, f64) {
    let mut bins = Vec::new();
    let mut ece = 0.0;
    let total = confidences.len().max(1) as f64;
    for b in 0..10 {
        let lo = b as f64 / 10.0;
        let hi = lo + 0.1;
        let inside: Vec<&(f32, bool)> = confidences
            .iter()
            .filter(|(c, _)| {
                let c = *c as f64;
                c >= lo && (c < hi || (b == 9 && c <= 1.0))
            })
            .collect();
        if inside.is_empty() {
            continue;
        }
        let n = inside.len();
        let mean = inside.iter().map(|(c, _)| *c as f64).sum::<f64>() / n as f64;
        let acc = inside.iter().filter(|(_, m)| *m).count() as f64 / n as f64;
        ece += (n as f64 / total) * (mean - acc).abs();
        bins.push(Bin {
            lo,
            hi,
            events: n,
            mean_confidence: mean,
            accuracy: acc,
        });
    }
    (bins, ece)
}
