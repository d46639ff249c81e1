//! Multiclass averaged perceptron (training) and its compact run-time form ([`Model`]).
//!
//! Training weights live in a feature map plus dense per-feature rows
//! (`n_classes` wide, allocated the first time a feature takes part in an
//! update). Averaging is lazy (Collins 2002, with time stamps): an update
//! touches only the parameters of the active features. [`Perceptron::finalize`]
//! averages, drops rare features and near-zero rows, and quantises to `i16`
//! with one scale per model.

use crate::format::{payload_version, Bytes};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const NO_ROW: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Entry {
    row: u32,
    /// Times the feature was active in an example passed to `update`.
    count: u32,
}

/// Settings for turning training weights into a [`Model`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FinalizeOptions {
    /// Drop features seen fewer than this many times per epoch on average.
    pub min_count: u32,
    /// Set averaged weights with `|w| < prune` to zero; rows left all zero are dropped.
    pub prune: f32,
}

impl Default for FinalizeOptions {
    fn default() -> Self {
        FinalizeOptions {
            min_count: 1,
            prune: 0.0,
        }
    }
}

/// A multiclass averaged perceptron being trained.
#[derive(Debug, Clone)]
pub struct Perceptron {
    n_classes: usize,
    index: FxHashMap<u64, Entry>,
    /// Row-major `[row][class]`; same layout for `totals` and `stamps`.
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    /// Number of examples seen (the averaging clock).
    time: u32,
    epochs: u32,
    scratch: Vec<f32>,
}

impl Perceptron {
    pub fn new(n_classes: usize) -> Self {
        assert!(n_classes > 0, "a perceptron needs at least one class");
        Perceptron {
            n_classes,
            index: FxHashMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            time: 0,
            epochs: 0,
            scratch: vec![0.0; n_classes],
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of distinct features seen in updates.
    pub fn n_features_seen(&self) -> usize {
        self.index.len()
    }

    /// Current (not averaged) scores of every class, into `out` (`n_classes` long).
    pub fn scores(&self, feats: &[u64], out: &mut [f32]) {
        let n = self.n_classes;
        out[..n].fill(0.0);
        for f in feats {
            if let Some(e) = self.index.get(f) {
                if e.row != NO_ROW {
                    let r = e.row as usize * n;
                    for (o, w) in out[..n].iter_mut().zip(&self.weights[r..r + n]) {
                        *o += *w;
                    }
                }
            }
        }
    }

    /// Predict with the current weights, then update towards `truth`; returns the guess.
    pub fn train_step(&mut self, feats: &[u64], truth: usize) -> usize {
        let mut scratch = std::mem::take(&mut self.scratch);
        self.scores(feats, &mut scratch);
        let guess = argmax(&scratch);
        self.scratch = scratch;
        self.update(feats, truth, guess);
        guess
    }

    /// Count one training example: its features are counted, and when
    /// `guess != truth`, weights move by +1 for `truth` and -1 for `guess`.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        self.time += 1;
        let n = self.n_classes;
        for &f in feats {
            let e = self.index.entry(f).or_insert(Entry {
                row: NO_ROW,
                count: 0,
            });
            e.count = e.count.saturating_add(1);
            if truth == guess {
                continue;
            }
            if e.row == NO_ROW {
                e.row = (self.weights.len() / n) as u32;
                self.weights.resize(self.weights.len() + n, 0.0);
                self.totals.resize(self.totals.len() + n, 0.0);
                self.stamps.resize(self.stamps.len() + n, 0);
            }
            let r = e.row as usize * n;
            for (c, delta) in [(truth, 1.0f32), (guess, -1.0)] {
                let i = r + c;
                self.totals[i] += (self.time - self.stamps[i]) as f64 * self.weights[i] as f64;
                self.stamps[i] = self.time;
                self.weights[i] += delta;
            }
        }
    }

    /// Mark the end of a pass over the training data (used to normalise feature counts).
    pub fn end_epoch(&mut self) {
        self.epochs += 1;
    }

    /// The averaged weights as a compact [`Model`]. Training can continue afterwards.
    pub fn finalize(&self, opts: &FinalizeOptions) -> Model {
        let n = self.n_classes;
        let now = self.time.max(1) as f64;
        let min_count = opts.min_count as u64 * self.epochs.max(1) as u64;
        let mut kept: Vec<(u64, u32)> = self
            .index
            .iter()
            .filter(|(_, e)| e.row != NO_ROW && e.count as u64 >= min_count)
            .map(|(&k, e)| (k, e.row))
            .collect();
        // Sorted keys make the output independent of hash-map order.
        kept.sort_unstable_by_key(|&(k, _)| k);
        let mut keys = Vec::with_capacity(kept.len());
        let mut avg = Vec::with_capacity(kept.len() * n);
        let mut row = vec![0f32; n];
        let mut max_abs = 0f32;
        for (k, r) in kept {
            let base = r as usize * n;
            let mut any = false;
            for (c, out) in row.iter_mut().enumerate() {
                let i = base + c;
                let w = self.weights[i] as f64;
                let total = self.totals[i] + (self.time - self.stamps[i]) as f64 * w;
                let a = (total / now) as f32;
                *out = if a.abs() < opts.prune { 0.0 } else { a };
                any |= *out != 0.0;
            }
            if any {
                keys.push(k);
                for &a in &row {
                    max_abs = max_abs.max(a.abs());
                }
                avg.extend_from_slice(&row);
            }
        }
        Model::quantize(n, keys, &avg, max_abs)
    }
}

/// Index of the largest score (the first one on ties).
#[inline]
pub fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate().skip(1) {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// Open-addressing map from feature key to row, built once at load time.
#[derive(Debug, Clone, Default)]
struct FeatureTable {
    /// (key, row) side by side so a probe touches one cache line.
    /// Invariant: length is a power of two, at most half full; key 0 marks an empty slot.
    slots: Vec<(u64, u32)>,
    shift: u32,
    /// Row of the key 0, which cannot be stored in `slots`.
    zero_row: Option<u32>,
}

impl FeatureTable {
    fn build(sorted_keys: &[u64]) -> Self {
        let cap = (sorted_keys.len() * 2).next_power_of_two().max(16);
        let shift = 64 - cap.trailing_zeros();
        let mut t = FeatureTable {
            slots: vec![(0, 0); cap],
            shift,
            zero_row: None,
        };
        for (row, &k) in sorted_keys.iter().enumerate() {
            if k == 0 {
                t.zero_row = Some(row as u32);
                continue;
            }
            let mask = cap - 1;
            let mut i = t.slot(k);
            while t.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            t.slots[i] = (k, row as u32);
        }
        t
    }

    #[inline]
    fn slot(&self, k: u64) -> usize {
        // Fibonacci hashing: keys need not be well mixed already.
        (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, k: u64) -> Option<u32> {
        if k == 0 {
            return self.zero_row;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        loop {
            let (s, row) = self.slots[i];
            if s == k {
                return Some(row);
            }
            if s == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
}

/// A trained linear model ready for prediction: averaged, pruned, quantised weights.
///
/// Weights are stored class-major per feature row (`[i16; n_classes]`
/// contiguous), so scoring is a sum of a few dozen contiguous rows.
#[derive(Debug, Clone)]
pub struct Model {
    n_classes: usize,
    /// Invariant: sorted, distinct; row `i` of `weights` belongs to `keys[i]`.
    keys: Vec<u64>,
    weights: Vec<i16>,
    /// Real weight = `scale * weights[i]`.
    scale: f32,
    table: FeatureTable,
}

impl Model {
    fn quantize(n_classes: usize, keys: Vec<u64>, avg: &[f32], max_abs: f32) -> Model {
        let scale = if max_abs > 0.0 {
            max_abs / i16::MAX as f32
        } else {
            1.0
        };
        let weights = avg.iter().map(|&a| (a / scale).round() as i16).collect();
        Model::from_parts(n_classes, keys, weights, scale)
    }

    fn from_parts(n_classes: usize, keys: Vec<u64>, weights: Vec<i16>, scale: f32) -> Model {
        let table = FeatureTable::build(&keys);
        Model {
            n_classes,
            keys,
            weights,
            scale,
            table,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of feature rows kept.
    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// The factor that turns the integer scores of [`Model::scores_i32`] into real scores.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// The weight row of a feature, if the model kept it.
    #[inline]
    pub fn row(&self, key: u64) -> Option<&[i16]> {
        let r = self.table.get(key)? as usize * self.n_classes;
        Some(&self.weights[r..r + self.n_classes])
    }

    /// Integer scores (real scores divided by [`Model::scale`]) into `out[..n_classes]`.
    #[inline]
    pub fn scores_i32(&self, feats: &[u64], out: &mut [i32]) {
        let n = self.n_classes;
        let out = &mut out[..n];
        out.fill(0);
        // Two phases: first every table probe (independent loads, so their
        // cache misses overlap), then the row sums. Interleaving them kept
        // only a few features' misses in flight: the tables are far larger
        // than the cache and the sums long.
        let mut rows = [0u32; 128];
        for chunk in feats.chunks(rows.len()) {
            let mut found = 0;
            for &f in chunk {
                if let Some(r) = self.table.get(f) {
                    rows[found] = r;
                    found += 1;
                }
            }
            for &r in &rows[..found] {
                let r = r as usize * n;
                for (o, &w) in out.iter_mut().zip(&self.weights[r..r + n]) {
                    *o += w as i32;
                }
            }
        }
    }

    /// Real-valued scores into `out[..n_classes]`.
    pub fn scores(&self, feats: &[u64], out: &mut [f32]) {
        let n = self.n_classes;
        let mut tmp = vec![0i32; n];
        self.scores_i32(feats, &mut tmp);
        for (o, t) in out[..n].iter_mut().zip(tmp) {
            *o = t as f32 * self.scale;
        }
    }

    /// The best class.
    pub fn predict(&self, feats: &[u64]) -> usize {
        let mut buf = [0i32; 256];
        if self.n_classes <= buf.len() {
            self.scores_i32(feats, &mut buf);
            argmax(&buf[..self.n_classes])
        } else {
            let mut v = vec![0i32; self.n_classes];
            self.scores_i32(feats, &mut v);
            argmax(&v)
        }
    }
}

/// On-disk form of a [`Model`] in model files of container version 2 and later.
#[derive(Serialize)]
struct ModelWire {
    n_classes: u32,
    scale: f32,
    /// Sorted keys as deltas, each an LEB128 varint.
    key_deltas: Bytes,
    /// Weights, row-major, `i16` little-endian.
    weights: Bytes,
}

/// What [`ModelWire`] reads back: the byte strings decoded as they are read
/// (borrowed from the decompressed payload, no intermediate copy).
#[derive(Deserialize)]
struct ModelWireIn {
    n_classes: u32,
    scale: f32,
    key_deltas: Varints,
    weights: LeI16s,
}

/// A byte string of LEB128 varints, decoded.
struct Varints(Vec<u64>);

/// A byte string of little-endian `i16`s, decoded.
struct LeI16s(Vec<i16>);

impl<'de> Deserialize<'de> for Varints {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Varints;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string of LEB128 varints")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Varints, E> {
                let mut out = Vec::with_capacity(v.len() / 2);
                read_varints(v, &mut out).ok_or_else(|| E::custom("truncated feature key"))?;
                Ok(Varints(out))
            }
        }
        d.deserialize_bytes(V)
    }
}

impl<'de> Deserialize<'de> for LeI16s {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = LeI16s;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string of little-endian i16s")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<LeI16s, E> {
                let (pairs, rest) = v.as_chunks::<2>();
                if !rest.is_empty() {
                    return Err(E::custom("odd number of weight bytes"));
                }
                Ok(LeI16s(
                    pairs.iter().map(|&p| i16::from_le_bytes(p)).collect(),
                ))
            }
        }
        d.deserialize_bytes(V)
    }
}

/// On-disk form of a [`Model`] in version-1 files (one postcard varint per
/// number: slow to read), converted at load.
#[derive(Deserialize)]
struct ModelWireV1 {
    n_classes: u32,
    scale: f32,
    key_deltas: Vec<u64>,
    weights: Vec<i16>,
}

impl Serialize for Model {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut key_deltas = Vec::with_capacity(self.keys.len() * 4);
        let mut prev = 0u64;
        for &k in &self.keys {
            let mut d = k - prev;
            prev = k;
            while d >= 0x80 {
                key_deltas.push((d as u8) | 0x80);
                d >>= 7;
            }
            key_deltas.push(d as u8);
        }
        let weights = self.weights.iter().flat_map(|w| w.to_le_bytes()).collect();
        ModelWire {
            n_classes: self.n_classes as u32,
            scale: self.scale,
            key_deltas: Bytes(key_deltas),
            weights: Bytes(weights),
        }
        .serialize(s)
    }
}

/// Decode LEB128 varints; `None` if one is truncated or longer than 64 bits.
///
/// Feature keys are hashes, so their deltas take 6-8 bytes: a varint of at
/// most 8 bytes with 8 readable bytes is decoded from one `u64` load with
/// masks and shifts (a few instructions instead of a loop per byte).
fn read_varints(mut bytes: &[u8], out: &mut Vec<u64>) -> Option<()> {
    while !bytes.is_empty() {
        if let Some((word, _)) = bytes.split_first_chunk::<8>() {
            let w = u64::from_le_bytes(*word);
            // A clear high bit ends a varint.
            let ends = !w & 0x8080_8080_8080_8080;
            if ends != 0 {
                let len = (ends.trailing_zeros() / 8 + 1) as usize;
                let x = if len == 8 {
                    w
                } else {
                    w & ((1u64 << (8 * len)) - 1)
                };
                let x = x & 0x7f7f_7f7f_7f7f_7f7f;
                // Pack the 7-bit groups: pairs into 14 bits, then 28, then 56.
                let x = ((x & 0x7f00_7f00_7f00_7f00) >> 1) | (x & 0x007f_007f_007f_007f);
                let x = ((x & 0x3fff_0000_3fff_0000) >> 2) | (x & 0x0000_3fff_0000_3fff);
                let x = ((x & 0x0fff_ffff_0000_0000) >> 4) | (x & 0x0000_0000_0fff_ffff);
                out.push(x);
                bytes = &bytes[len..];
                continue;
            }
        }
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let (&b, rest) = bytes.split_first()?;
            bytes = rest;
            if shift >= 64 || (shift == 63 && b > 1) {
                return None;
            }
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        out.push(v);
    }
    Some(())
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (n_classes, scale, key_deltas, weights) = if payload_version() < 2 {
            let w = ModelWireV1::deserialize(d)?;
            (w.n_classes, w.scale, w.key_deltas, w.weights)
        } else {
            let w = ModelWireIn::deserialize(d)?;
            (w.n_classes, w.scale, w.key_deltas.0, w.weights.0)
        };
        let n = n_classes as usize;
        if n == 0 || weights.len() != key_deltas.len() * n {
            return Err(D::Error::custom(format!(
                "weights ({}) do not match {} features x {} classes",
                weights.len(),
                key_deltas.len(),
                n
            )));
        }
        let mut keys = Vec::with_capacity(key_deltas.len());
        let mut prev = 0u64;
        for (i, d) in key_deltas.into_iter().enumerate() {
            if i > 0 && d == 0 {
                return Err(D::Error::custom("feature keys are not strictly increasing"));
            }
            prev = prev.wrapping_add(d);
            keys.push(prev);
        }
        Ok(Model::from_parts(n, keys, weights, scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{feature1, hash_str};

    /// Three classes, each signalled by its own word; plus noise features shared by all.
    fn toy() -> Vec<(Vec<u64>, usize)> {
        let words = ["red", "green", "blue"];
        let mut out = Vec::new();
        for i in 0..60 {
            let c = i % 3;
            let feats = vec![
                feature1(0, 0),
                feature1(1, hash_str(words[c])),
                feature1(2, hash_str(&format!("noise{}", i % 7))),
            ];
            out.push((feats, c));
        }
        out
    }

    #[test]
    fn learns_a_separable_problem() {
        let data = toy();
        let mut p = Perceptron::new(3);
        for _ in 0..5 {
            for (f, y) in &data {
                p.train_step(f, *y);
            }
            p.end_epoch();
        }
        let m = p.finalize(&FinalizeOptions::default());
        for (f, y) in &data {
            assert_eq!(m.predict(f), *y);
        }
        assert!(m.n_features() >= 3);
    }

    #[test]
    fn finalize_drops_rare_features() {
        let data = toy();
        let mut p = Perceptron::new(3);
        for (f, y) in &data {
            p.train_step(f, *y);
        }
        p.end_epoch();
        let all = p.finalize(&FinalizeOptions {
            min_count: 1,
            prune: 0.0,
        });
        let frequent = p.finalize(&FinalizeOptions {
            min_count: 15,
            prune: 0.0,
        });
        // Noise features occur 8-9 times; the colour words 20 times.
        assert!(frequent.n_features() < all.n_features());
        assert!(frequent.row(feature1(1, hash_str("red"))).is_some());
    }

    /// The one-load fast path of `read_varints` agrees with the byte loop.
    #[test]
    fn varints_decode_every_length() {
        fn encode(mut v: u64, out: &mut Vec<u8>) {
            while v >= 0x80 {
                out.push((v as u8) | 0x80);
                v >>= 7;
            }
            out.push(v as u8);
        }
        let mut values = vec![
            0,
            1,
            127,
            128,
            300,
            u64::MAX,
            u64::MAX >> 1,
            1 << 56,
            (1 << 56) - 1,
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            values.push(x >> (i % 64));
        }
        let mut bytes = Vec::new();
        for &v in &values {
            encode(v, &mut bytes);
        }
        let mut out = Vec::new();
        read_varints(&bytes, &mut out).unwrap();
        assert_eq!(out, values);
        // Truncated, and too long for 64 bits.
        assert!(
            read_varints(&bytes[..bytes.len() - 1], &mut Vec::new()).is_none()
                || *values.last().unwrap() < 0x80
        );
        assert!(read_varints(&[0x80], &mut Vec::new()).is_none());
        assert!(read_varints(&[0xff; 11], &mut Vec::new()).is_none());
        assert!(read_varints(
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],
            &mut Vec::new()
        )
        .is_none());
    }

    #[test]
    fn table_finds_every_key() {
        let keys: Vec<u64> = (0..1000u64).map(|i| i * 7).collect();
        let t = FeatureTable::build(&keys);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get(k), Some(i as u32));
        }
        assert_eq!(t.get(3), None);
    }
}
