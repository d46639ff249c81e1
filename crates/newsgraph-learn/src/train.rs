//! The training loop shared by every component: epochs over shuffled examples,
//! evaluation on dev after each epoch, and early stopping that keeps the best
//! epoch's averaged weights.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::perceptron::{FinalizeOptions, Model, Perceptron};

/// Settings shared by every trained component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Maximum number of passes over the training data.
    pub epochs: usize,
    /// Seed of the shuffling RNG: the same seed and data give the same model.
    pub seed: u64,
    /// Stop after this many epochs without a better dev score.
    pub patience: usize,
    pub finalize: FinalizeOptions,
    /// Print one progress line per epoch to stderr.
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            seed: 1,
            patience: 3,
            finalize: FinalizeOptions {
                min_count: 2,
                prune: 0.0,
            },
            verbose: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// 1-based.
    pub epoch: usize,
    /// Accuracy of the predictions made while training (current, not averaged, weights).
    pub train_accuracy: f64,
    pub dev_score: f64,
    pub n_features: usize,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    pub epochs: Vec<EpochReport>,
    /// 1-based epoch whose weights were kept.
    pub best_epoch: usize,
    pub best_dev_score: f64,
}

/// Train `perceptron` over `examples`.
///
/// `step` trains on one example (features, `train_step`/`update`) and
/// returns `(correct, total)` decisions; `evaluate` scores a finalized
/// snapshot on dev (higher is better). Returns the best snapshot.
pub fn train<T>(
    perceptron: &mut Perceptron,
    examples: &[T],
    opts: &TrainOptions,
    mut step: impl FnMut(&mut Perceptron, &T) -> (usize, usize),
    mut evaluate: impl FnMut(&Model) -> f64,
) -> (Model, TrainReport) {
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut best: Option<(Model, f64, usize)> = None;
    let mut reports = Vec::new();
    for epoch in 1..=opts.epochs.max(1) {
        let start = Instant::now();
        rng.shuffle(&mut order);
        let (mut correct, mut total) = (0usize, 0usize);
        for &i in &order {
            let (c, t) = step(perceptron, &examples[i]);
            correct += c;
            total += t;
        }
        perceptron.end_epoch();
        let model = perceptron.finalize(&opts.finalize);
        let dev = evaluate(&model);
        let report = EpochReport {
            epoch,
            train_accuracy: correct as f64 / total.max(1) as f64,
            dev_score: dev,
            n_features: model.n_features(),
            seconds: start.elapsed().as_secs_f64(),
        };
        if opts.verbose {
            eprintln!(
                "epoch {epoch}/{}: train {:.4}  dev {:.4}  {} features  {:.1}s",
                opts.epochs, report.train_accuracy, dev, report.n_features, report.seconds
            );
        }
        reports.push(report);
        let improved = best.as_ref().is_none_or(|(_, score, _)| dev > *score);
        if improved {
            best = Some((model, dev, epoch));
        } else if epoch - best.as_ref().map_or(0, |b| b.2) >= opts.patience.max(1) {
            if opts.verbose {
                eprintln!("no dev improvement for {} epochs; stopping", opts.patience);
            }
            break;
        }
    }
    let (model, best_dev_score, best_epoch) = best.expect("at least one epoch");
    (
        model,
        TrainReport {
            epochs: reports,
            best_epoch,
            best_dev_score,
        },
    )
}

/// A small seeded RNG (splitmix64): deterministic shuffles without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::feature1;

    #[test]
    fn shuffle_is_deterministic_per_seed() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        Rng::new(7).shuffle(&mut a);
        Rng::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..50).collect();
        Rng::new(8).shuffle(&mut c);
        assert_ne!(a, c);
    }

    #[test]
    fn loop_keeps_best_epoch_and_is_reproducible() {
        // y = x mod 3, feature = x's identity and parity.
        let data: Vec<(u64, usize)> = (0..30u64).map(|x| (x, (x % 3) as usize)).collect();
        let run = || {
            let mut p = Perceptron::new(3);
            let opts = TrainOptions {
                epochs: 6,
                verbose: false,
                ..Default::default()
            };
            let feats = |x: u64| [feature1(0, x % 3), feature1(1, x % 2)];
            train(
                &mut p,
                &data,
                &opts,
                |p, &(x, y)| ((p.train_step(&feats(x), y) == y) as usize, 1),
                |m| {
                    data.iter()
                        .filter(|&&(x, y)| m.predict(&feats(x)) == y)
                        .count() as f64
                        / 30.0
                },
            )
        };
        let (m1, r1) = run();
        let (m2, r2) = run();
        let max = r1.epochs.iter().map(|e| e.dev_score).fold(0.0, f64::max);
        assert_eq!(r1.best_dev_score, max);
        assert!(r1.best_dev_score > 0.8);
        assert_eq!(r1.epochs[r1.best_epoch - 1].dev_score, max);
        assert_eq!(r1.best_dev_score, r2.best_dev_score);
        assert_eq!(r1.best_epoch, r2.best_epoch);
        assert_eq!(m1.n_features(), m2.n_features());
    }
}
