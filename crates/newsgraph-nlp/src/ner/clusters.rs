//! Word clusters learned from unlabeled text by exchange clustering, used as recogniser features.
//!
//! Each word of the vocabulary is put in one of `C` classes so that the class
//! predicts the word's neighbours well: the exchange algorithm (Kneser & Ney
//! 1993; Uszkoreit & Brants 2008) maximises `sum N(c, x) log N(c, x) - sum N(c) log N(c)`
//! over classes `c` and contexts `x` (the previous and the next word, each
//! side its own context vocabulary), moving one word at a time to its best
//! class. Several clusterings of different sizes give coarse and fine ids,
//! like the bit-string prefixes of Brown clusters.

use newsgraph_learn::{hash_str, Rng};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Settings of [`WordClusters::train`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterOptions {
    /// Number of classes of each clustering (empty: no clusters).
    pub sizes: Vec<usize>,
    /// Words seen fewer times are not clustered.
    pub min_count: u32,
    /// At most this many words (the most frequent) are clustered.
    pub max_words: usize,
    /// At most this many context words per side; the rest share one context.
    pub max_contexts: usize,
    pub iterations: usize,
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            sizes: vec![64, 256, 1024],
            min_count: 3,
            max_words: 40_000,
            max_contexts: 8_000,
            iterations: 12,
            seed: 1,
        }
    }
}

/// Class ids of words (by exact form), one per clustering.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WordClusters {
    /// Number of classes of each clustering.
    sizes: Vec<u16>,
    /// `hash_str(word)` of each clustered word. Invariant: sorted, distinct.
    keys: Vec<u64>,
    /// `sizes.len()` ids per word, in the order of `keys`.
    ids: Vec<u16>,
    #[serde(skip)]
    index: FxHashMap<u64, u32>,
}

#[inline]
fn xlogx(x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        x * x.ln()
    }
}

/// `x ln x` of integer counts, from a table for the common small ones.
struct XLogX(Vec<f64>);

impl XLogX {
    fn new(n: usize) -> Self {
        XLogX((0..n).map(|x| xlogx(x as f64)).collect())
    }

    #[inline]
    fn get(&self, x: u32) -> f64 {
        match self.0.get(x as usize) {
            Some(&v) => v,
            None => xlogx(x as f64),
        }
    }
}

impl WordClusters {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Number of clustered words.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Number of clusterings (coarse to fine).
    pub fn levels(&self) -> usize {
        self.sizes.len()
    }

    /// Build the lookup table (after deserialising).
    pub(crate) fn build_index(&mut self) {
        self.index = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
    }

    /// The class ids of a word (by `hash_str` of its exact form), one per clustering.
    #[inline]
    pub fn ids_of_hash(&self, word_hash: u64) -> Option<&[u16]> {
        let i = *self.index.get(&word_hash)? as usize * self.sizes.len();
        Some(&self.ids[i..i + self.sizes.len()])
    }

    pub fn ids(&self, word: &str) -> Option<&[u16]> {
        self.ids_of_hash(hash_str(word))
    }

    /// Cluster the words of `sentences`.
    pub fn train<'a>(
        sentences: impl Iterator<Item = &'a [String]>,
        opts: &ClusterOptions,
        verbose: bool,
    ) -> WordClusters {
        // Vocabulary: words by frequency.
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        let mut corpus: Vec<&[String]> = Vec::new();
        for s in sentences {
            for w in s {
                *counts.entry(w.as_str()).or_default() += 1;
            }
            corpus.push(s);
        }
        let mut vocab: Vec<(&str, u32)> = counts
            .into_iter()
            .filter(|&(_, c)| c >= opts.min_count)
            .collect();
        vocab.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        vocab.truncate(opts.max_words);
        let word_id: FxHashMap<&str, u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, &(w, _))| (w, i as u32))
            .collect();
        let n_words = vocab.len();
        // Contexts: the most frequent words on each side; id n_ctx_side = other/boundary.
        let side = opts.max_contexts.min(n_words);
        let ctx_of = |w: Option<&String>| -> u32 {
            match w.and_then(|w| word_id.get(w.as_str())) {
                Some(&i) if (i as usize) < side => i,
                _ => side as u32,
            }
        };
        let n_ctx = 2 * (side + 1);
        // Per word: (context, count), contexts of the left side first.
        let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for s in &corpus {
            for (i, w) in s.iter().enumerate() {
                let Some(&v) = word_id.get(w.as_str()) else {
                    continue;
                };
                let left = ctx_of(i.checked_sub(1).and_then(|j| s.get(j)));
                let right = side as u32 + 1 + ctx_of(s.get(i + 1));
                *pairs.entry((v, left)).or_default() += 1;
                *pairs.entry((v, right)).or_default() += 1;
            }
        }
        let mut ctxs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n_words];
        for ((v, x), n) in pairs {
            ctxs[v as usize].push((x, n));
        }
        for c in &mut ctxs {
            c.sort_unstable();
        }
        let totals: Vec<f64> = ctxs
            .iter()
            .map(|c| c.iter().map(|&(_, n)| n as f64).sum())
            .collect();

        let table = XLogX::new(1 << 16);
        let mut all_ids = vec![0u16; n_words * opts.sizes.len()];
        for (level, &n_classes) in opts.sizes.iter().enumerate() {
            let n_classes = n_classes.clamp(2, u16::MAX as usize);
            let mut class: Vec<u32> = (0..n_words).map(|v| (v % n_classes) as u32).collect();
            // Dense class x context counts.
            let mut nc = vec![0u32; n_classes * n_ctx];
            let mut ntot = vec![0f64; n_classes];
            for v in 0..n_words {
                let c = class[v] as usize;
                for &(x, n) in &ctxs[v] {
                    nc[c * n_ctx + x as usize] += n;
                }
                ntot[c] += totals[v];
            }
            let mut order: Vec<usize> = (0..n_words).collect();
            let mut rng = Rng::new(opts.seed);
            let mut delta = vec![0f64; n_classes];
            for it in 0..opts.iterations {
                if it > 0 {
                    rng.shuffle(&mut order);
                }
                let mut moved = 0usize;
                for &v in &order {
                    let a = class[v] as usize;
                    // Take v out of its class.
                    for &(x, n) in &ctxs[v] {
                        nc[a * n_ctx + x as usize] -= n;
                    }
                    ntot[a] -= totals[v];
                    // Gain of putting v in each class.
                    for (b, d) in delta.iter_mut().enumerate() {
                        let row = &nc[b * n_ctx..(b + 1) * n_ctx];
                        let mut g = 0.0;
                        for &(x, n) in &ctxs[v] {
                            let cur = row[x as usize];
                            g += table.get(cur + n) - table.get(cur);
                        }
                        *d = g - (xlogx(ntot[b] + totals[v]) - xlogx(ntot[b]));
                    }
                    let mut best = a;
                    for b in 0..n_classes {
                        if delta[b] > delta[best] + 1e-9 {
                            best = b;
                        }
                    }
                    if best != a {
                        moved += 1;
                    }
                    class[v] = best as u32;
                    for &(x, n) in &ctxs[v] {
                        nc[best * n_ctx + x as usize] += n;
                    }
                    ntot[best] += totals[v];
                }
                if verbose {
                    eprintln!(
                        "clusters {n_classes}: iteration {} moved {moved} of {n_words} words",
                        it + 1
                    );
                }
                if moved == 0 {
                    break;
                }
            }
            for v in 0..n_words {
                all_ids[v * opts.sizes.len() + level] = class[v] as u16;
            }
        }
        // Sort by key for a deterministic, compact file.
        let mut rows: Vec<(u64, usize)> = vocab
            .iter()
            .enumerate()
            .map(|(v, &(w, _))| (hash_str(w), v))
            .collect();
        rows.sort_unstable();
        rows.dedup_by_key(|r| r.0);
        let k = opts.sizes.len();
        let mut out = WordClusters {
            sizes: opts.sizes.iter().map(|&s| s as u16).collect(),
            keys: rows.iter().map(|r| r.0).collect(),
            ids: rows
                .iter()
                .flat_map(|&(_, v)| all_ids[v * k..(v + 1) * k].iter().copied())
                .collect(),
            index: FxHashMap::default(),
        };
        out.build_index();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        let mut sents: Vec<Vec<String>> = Vec::new();
        for i in 0..40 {
            let city = ["Paris", "Rome", "Oslo"][i % 3];
            let name = ["Anna", "Boris", "Chen"][i % 3];
            sents.push(
                format!("she flew to {city} on Monday")
                    .split(' ')
                    .map(String::from)
                    .collect(),
            );
            sents.push(
                format!("minister {name} said that")
                    .split(' ')
                    .map(String::from)
                    .collect(),
            );
        }
        let opts = ClusterOptions {
            sizes: vec![4],
            min_count: 1,
            ..Default::default()
        };
        let c = WordClusters::train(sents.iter().map(Vec::as_slice), &opts, false);
        let id = |w: &str| c.ids(w).unwrap()[0];
        assert_eq!(id("Paris"), id("Rome"));
        assert_eq!(id("Rome"), id("Oslo"));
        assert_eq!(id("Anna"), id("Boris"));
        assert_ne!(id("Paris"), id("Anna"));
        assert!(c.ids("Zurich").is_none());
    }
}
