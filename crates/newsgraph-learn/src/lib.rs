//! Learning machinery shared by every trained component of newsgraph (tagger,
//! parser, entity recogniser, event classifier).
//!
//! - [`hash`]: features are `u64` keys hashed from a template id and atom
//!   hashes, pushed into a reused [`FeatureBuf`] (no allocation per feature).
//! - [`Perceptron`]: multiclass averaged perceptron for training;
//!   [`Perceptron::finalize`] gives a compact [`Model`] (rare features dropped,
//!   weights pruned and quantised) for prediction.
//! - [`train()`]: epochs, seeded shuffling, dev evaluation, early stopping.
//! - [`format`](mod@format): the model file format (magic, version, kind, postcard payload, zstd-compressed or stored).
//!
//! ```
//! use newsgraph_learn::{format, hash_str, FeatureBuf, FinalizeOptions, Model, Perceptron};
//!
//! let mut p = Perceptron::new(2);
//! let mut feats = FeatureBuf::new();
//! for _ in 0..3 {
//!     for (word, class) in [("yes", 1), ("no", 0)] {
//!         feats.clear();
//!         feats.add1(0, hash_str(word));
//!         p.train_step(feats.as_slice(), class);
//!     }
//!     p.end_epoch();
//! }
//! let model = p.finalize(&FinalizeOptions::default());
//! let bytes = format::encode("toy", &model).unwrap();
//! let model: Model = format::decode(&bytes, "toy", "in memory").unwrap();
//! feats.clear();
//! feats.add1(0, hash_str("yes"));
//! assert_eq!(model.predict(feats.as_slice()), 1);
//! ```

pub mod clusters;
pub mod format;
pub mod hash;
pub mod perceptron;
pub mod train;

pub use clusters::{ClusterCorpus, ClusterOptions, ClusterReport, Clusters};
pub use format::ModelError;
pub use hash::{hash_lowercase, hash_str, FeatureBuf, StrHasher};
pub use perceptron::{argmax, FinalizeOptions, Model, Perceptron};
pub use train::{train, EpochReport, Rng, TrainOptions, TrainReport};
