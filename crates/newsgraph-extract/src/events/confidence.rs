//! The confidence of an event: a raw score from the rule (or the model) and
//! the completeness of the record, turned into a probability by a logistic
//! calibration (Platt scaling with a few record features) fitted on
//! annotated events.
//!
//! The calibration shipped in `models/event_calibration.json` was fitted on
//! the dev articles' events and is checked on the dev sentences (a set it
//! was not fitted on): `newsgraph eval events --fit-calibration FILE` fits
//! one on the events of its inputs; `models/events.md` has the numbers.

use super::lexicon::{Rule, TriggerPos};
use newsgraph_core::records::{Actor, Event, EventType, Modality};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The raw score of an event: the rule's prior (or the model's
/// probability), lowered when the record lacks a source or the trigger is a
/// bare noun.
pub(super) fn raw(
    rule: &Rule,
    prior: f32,
    source: &[Actor],
    target: &[Actor],
    bare_noun: bool,
    modality: Modality,
) -> f32 {
    let mut p = prior;
    if source.is_empty() {
        p *= 0.85;
    } else if source.iter().all(|a| a.country.is_none()) {
        p *= 0.95;
    }
    if target.is_empty() && rule.event_type != EventType::Protest {
        p *= 0.97;
    }
    if rule.pos == TriggerPos::Noun && bare_noun {
        p *= 0.9;
    }
    if modality != Modality::Asserted {
        p *= 0.95;
    }
    p.clamp(0.05, 0.99)
}

/// Number of calibration features ([`features`]).
pub const N_FEATURES: usize = 6;

/// The calibration's inputs for an event whose `confidence` holds the raw
/// score: bias, logit of the raw score, no source, no target, not asserted,
/// proposed by the model.
pub fn features(e: &Event) -> [f64; N_FEATURES] {
    let r = (e.confidence as f64).clamp(0.01, 0.99);
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    [
        1.0,
        (r / (1.0 - r)).ln(),
        b(e.source.is_empty()),
        b(e.target.is_empty()),
        b(e.modality != Modality::Asserted),
        b(e.rule.starts_with("model.")),
    ]
}

/// A fitted logistic calibration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Calibration {
    /// One weight per [`features`] entry.
    pub weights: Vec<f64>,
    /// What it was fitted on (for the record).
    pub fitted_on: String,
    pub events: usize,
}

impl Calibration {
    /// The probability for an event whose `confidence` holds the raw score.
    pub fn apply(&self, e: &Event) -> f32 {
        let x = features(e);
        let z: f64 = self.weights.iter().zip(x).map(|(w, x)| w * x).sum();
        (1.0 / (1.0 + (-z).exp())) as f32
    }

    /// Fit by L2-regularised logistic regression (Newton's method) on events
    /// holding raw scores and whether each was right.
    pub fn fit<'a>(
        events: impl Iterator<Item = (&'a Event, bool)> + Clone,
        fitted_on: &str,
    ) -> Calibration {
        let n = N_FEATURES;
        let mut w = vec![0f64; n];
        w[1] = 1.0;
        let lambda = 1.0;
        for _ in 0..50 {
            let mut grad = vec![0f64; n];
            let mut hess = vec![vec![0f64; n]; n];
            for (e, ok) in events.clone() {
                let x = features(e);
                let z: f64 = w.iter().zip(&x).map(|(w, x)| w * x).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let y = if ok { 1.0 } else { 0.0 };
                for a in 0..n {
                    grad[a] += (p - y) * x[a];
                    for b in 0..n {
                        hess[a][b] += p * (1.0 - p) * x[a] * x[b];
                    }
                }
            }
            // No penalty on the bias and the raw score's slope.
            for a in 2..n {
                grad[a] += lambda * w[a];
                hess[a][a] += lambda;
            }
            for (a, row) in hess.iter_mut().enumerate() {
                row[a] += 1e-6;
            }
            let step = solve(hess, grad);
            let mut delta = 0.0;
            for a in 0..n {
                w[a] -= step[a];
                delta += step[a].abs();
            }
            if delta < 1e-9 {
                break;
            }
        }
        Calibration {
            weights: w,
            fitted_on: fitted_on.to_string(),
            events: events.count(),
        }
    }
}

/// Out-of-sample calibrated confidences by k-fold cross-fitting: documents
/// are split into `k` folds by their number; each fold's events are scored
/// by a calibration fitted on the other folds. Input: (document, event with
/// its raw score, right); output: (calibrated confidence, right).
pub fn cross_fit(outcomes: &[(usize, Event, bool)], k: usize) -> Vec<(f32, bool)> {
    let k = k.max(2);
    let mut out = Vec::with_capacity(outcomes.len());
    for fold in 0..k {
        let train = outcomes
            .iter()
            .filter(|(d, _, _)| d % k != fold)
            .map(|(_, e, ok)| (e, *ok));
        let cal = Calibration::fit(train, "fold");
        for (_, e, ok) in outcomes.iter().filter(|(d, _, _)| d % k == fold) {
            out.push((cal.apply(e), *ok));
        }
    }
    out
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / d;
            let (top, below) = a.split_at_mut(r);
            for (x, p) in below[0][c..].iter_mut().zip(&top[c][c..]) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0f64; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
}

static RAW_ONLY: AtomicBool = AtomicBool::new(false);

/// Leave raw scores in `confidence` (to fit a calibration on them).
pub fn set_raw_scores(raw: bool) {
    RAW_ONLY.store(raw, Ordering::Relaxed);
}

const BUILTIN: &str = include_str!("../../../../models/event_calibration.json");

/// The shipped calibration (`None` if the file holds `null`).
pub fn builtin() -> Option<&'static Calibration> {
    static CAL: OnceLock<Option<Calibration>> = OnceLock::new();
    CAL.get_or_init(|| serde_json::from_str(BUILTIN).expect("the built-in calibration is valid"))
        .as_ref()
}

/// Replace each event's raw score by its calibrated probability.
pub(super) fn calibrate(events: &mut [Event]) {
    if RAW_ONLY.load(Ordering::Relaxed) {
        return;
    }
    if let Some(c) = builtin() {
        for e in events {
            e.confidence = c.apply(e).clamp(0.01, 0.99);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_core::TextRange;

    fn event(conf: f32) -> Event {
        Event {
            event_type: EventType::Consult,
            mode: String::new(),
            context: Vec::new(),
            source: Vec::new(),
            target: Vec::new(),
            trigger: TextRange::new(0, 1),
            sentence: 0,
            date: None,
            time: None,
            location: None,
            modality: Modality::Asserted,
            attribution: None,
            confidence: conf,
            rule: "consult.meet".into(),
        }
    }

    #[test]
    fn fit_recovers_the_rate_of_each_score() {
        // Events scored 0.9 are right 3 times in 4, events scored 0.5 once in 4.
        let mut data = Vec::new();
        for k in 0..40 {
            data.push((event(0.9), k % 4 != 0));
            data.push((event(0.5), k % 4 == 0));
        }
        let c = Calibration::fit(data.iter().map(|(e, ok)| (e, *ok)), "test");
        assert!((c.apply(&event(0.9)) - 0.75).abs() < 0.02, "{c:?}");
        assert!((c.apply(&event(0.5)) - 0.25).abs() < 0.02, "{c:?}");
    }

    #[test]
    fn builtin_reads() {
        let _ = builtin();
    }
}
