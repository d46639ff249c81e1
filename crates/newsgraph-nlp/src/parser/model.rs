//! Sparse averaged perceptron for the parser's two classifiers, and its
//! compact run-time form.
//!
//! Why not `newsgraph_learn`'s dense class-major rows: the label classifier
//! has ~50 classes but each feature is only ever updated for a handful of
//! them, so a dense row per feature would cost 25x the memory and model size.
//! Here a feature owns a short list of `(class, weight)` entries, in training
//! and at run time.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Feature keys are already well-mixed hashes: use them as their own hash.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;
/// A set of feature keys.
pub(crate) type KeySet = std::collections::HashSet<u64, BuildHasherDefault<KeyHasher>>;

#[derive(Clone, Copy, Debug)]
struct Entry {
    class: u8,
    /// Current weight.
    w: f32,
    /// Sum of the weight over all updates up to `ts` (lazy averaging).
    total: f64,
    /// Update counter value when `total` was last brought up to date.
    ts: u32,
}

/// Averaged perceptron over hashed features with per-feature sparse rows.
#[derive(Debug, Clone)]
pub(crate) struct Trainer {
    n_classes: usize,
    index: KeyMap<u32>,
    rows: Vec<Vec<Entry>>,
    /// Number of updates each feature took part in.
    updates: Vec<u32>,
    /// Number of training examples seen (the averaging clock).
    clock: u32,
}

impl Trainer {
    pub(crate) fn new(n_classes: usize) -> Self {
        assert!(n_classes <= 256);
        Trainer {
            n_classes,
            index: KeyMap::default(),
            rows: Vec::new(),
            updates: Vec::new(),
            clock: 0,
        }
    }

    /// Add the current weights of `feats` into `scores` (length `n_classes`).
    #[inline]
    pub(crate) fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for e in &self.rows[r as usize] {
                    scores[e.class as usize] += e.w;
                }
            }
        }
    }

    /// Advance the averaging clock by one example.
    #[inline]
    pub(crate) fn tick(&mut self) {
        self.clock += 1;
    }

    /// Perceptron update: `+1` for `truth`, `-1` for `guess`, on every feature.
    pub(crate) fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let clock = self.clock;
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Vec::new());
                self.updates.push(0);
            }
            self.updates[r as usize] += 1;
            let row = &mut self.rows[r as usize];
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let class = class as u8;
                let e = match row.iter_mut().position(|e| e.class == class) {
                    Some(i) => &mut row[i],
                    None => {
                        row.push(Entry {
                            class,
                            w: 0.0,
                            total: 0.0,
                            ts: clock,
                        });
                        row.last_mut().expect("just pushed")
                    }
                };
                e.total += (clock - e.ts) as f64 * e.w as f64;
                e.ts = clock;
                e.w += delta;
            }
        }
    }

    /// Average the weights and build the run-time model, dropping features
    /// updated fewer than `min_updates` times and weights whose averaged
    /// magnitude is below `min_weight` (pruning), and quantising the rest to `i16`.
    pub(crate) fn finalize(&self, min_updates: u32, min_weight: f32) -> Model {
        let clock = self.clock.max(1) as f64;
        let mut feats: Vec<(u64, Vec<(u8, f32)>)> = Vec::with_capacity(self.rows.len());
        let mut max_abs = 0f32;
        for (&key, &r) in &self.index {
            let mut row = Vec::new();
            if self.updates[r as usize] < min_updates {
                continue;
            }
            for e in &self.rows[r as usize] {
                let total = e.total + (self.clock - e.ts) as f64 * e.w as f64;
                let avg = (total / clock) as f32;
                if avg.abs() >= min_weight && avg != 0.0 {
                    max_abs = max_abs.max(avg.abs());
                    row.push((e.class, avg));
                }
            }
            if !row.is_empty() {
                row.sort_by_key(|&(c, _)| c);
                feats.push((key, row));
            }
        }
        // Deterministic layout regardless of hash-map iteration order.
        feats.sort_by_key(|&(k, _)| k);
        let scale = if max_abs > 0.0 {
            max_abs / 32767.0
        } else {
            1.0
        };
        let mut keys = Vec::with_capacity(feats.len());
        let mut starts = Vec::with_capacity(feats.len() + 1);
        let mut classes = Vec::new();
        let mut weights = Vec::new();
        for (k, row) in &feats {
            keys.push(*k);
            starts.push(classes.len() as u32);
            for &(c, w) in row {
                classes.push(c);
                weights.push((w / scale).round().clamp(-32767.0, 32767.0) as i16);
            }
        }
        starts.push(classes.len() as u32);
        Model::from_parts(self.n_classes, scale, keys, starts, classes, weights)
    }
}

/// Finalized, read-only model: an open-addressing table from feature key to
/// a run of `(class, i16 weight)` entries.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    n_classes: usize,
    scale: f32,
    /// Sorted feature keys (the serialized form) ...
    keys: Vec<u64>,
    /// ... entry runs: feature `i` owns `starts[i]..starts[i + 1]`.
    starts: Vec<u32>,
    entries: Vec<LabelEntry>,
    /// Open addressing over `keys`, key and run side by side (one cache miss).
    /// Invariant: capacity is a power of two, at most 0.7 full; key 0 = empty.
    slots: Vec<LabelSlot>,
    mask: usize,
}

#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(16))]
struct LabelSlot {
    key: u64,
    start: u32,
    len: u32,
}

#[derive(Clone, Copy, Debug)]
struct LabelEntry {
    class: u8,
    w: i16,
}

impl Model {
    pub(crate) fn from_parts(
        n_classes: usize,
        scale: f32,
        keys: Vec<u64>,
        starts: Vec<u32>,
        classes: Vec<u8>,
        weights: Vec<i16>,
    ) -> Model {
        let cap = ((keys.len() * 10 / 7) + 1).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut slots = vec![LabelSlot::default(); cap];
        for (i, &k) in keys.iter().enumerate() {
            let mut slot = Self::slot(k, mask);
            while slots[slot].key != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = LabelSlot {
                key: k,
                start: starts[i],
                len: starts[i + 1] - starts[i],
            };
        }
        let entries = classes
            .iter()
            .zip(&weights)
            .map(|(&class, &w)| LabelEntry { class, w })
            .collect();
        Model {
            n_classes,
            scale,
            keys,
            starts,
            entries,
            slots,
            mask,
        }
    }

    #[inline(always)]
    fn slot(k: u64, mask: usize) -> usize {
        (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
    }

    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub(crate) fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// The mean of several models' (dequantised) weights, requantised: one
    /// linear model that scores like the average of the given ones (an
    /// ensemble at the cost of a single model). All have `n_classes` classes.
    pub(crate) fn average(models: &[&Model]) -> Model {
        let n_classes = models.first().map_or(0, |m| m.n_classes);
        let mut sum: KeyMap<Vec<(u8, f32)>> = KeyMap::default();
        let k = models.len().max(1) as f32;
        for m in models {
            for (i, &key) in m.keys.iter().enumerate() {
                let row = sum.entry(key).or_default();
                for e in &m.entries[m.starts[i] as usize..m.starts[i + 1] as usize] {
                    let w = e.w as f32 * m.scale / k;
                    match row.iter_mut().find(|(c, _)| *c == e.class) {
                        Some((_, x)) => *x += w,
                        None => row.push((e.class, w)),
                    }
                }
            }
        }
        let mut feats: Vec<(u64, Vec<(u8, f32)>)> = sum.into_iter().collect();
        feats.sort_by_key(|&(key, _)| key);
        let max_abs = feats
            .iter()
            .flat_map(|(_, r)| r.iter().map(|&(_, w)| w.abs()))
            .fold(0f32, f32::max);
        let scale = if max_abs > 0.0 {
            max_abs / 32767.0
        } else {
            1.0
        };
        let (mut keys, mut starts, mut classes, mut weights) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (key, mut row) in feats {
            row.retain(|&(_, w)| (w / scale).round() != 0.0);
            if row.is_empty() {
                continue;
            }
            row.sort_by_key(|&(c, _)| c);
            keys.push(key);
            starts.push(classes.len() as u32);
            for (c, w) in row {
                classes.push(c);
                weights.push((w / scale).round().clamp(-32767.0, 32767.0) as i16);
            }
        }
        starts.push(classes.len() as u32);
        Model::from_parts(n_classes, scale, keys, starts, classes, weights)
    }

    /// Scores (in quantised units) of every class for `feats`, into
    /// `scores[..n_classes]`. A 256-slot array lets `u8` class ids index
    /// it without bounds checks.
    #[inline]
    pub(crate) fn score(&self, feats: &[u64], scores: &mut [i32; 256]) {
        scores[..self.n_classes].fill(0);
        // Two phases, as in `newsgraph_learn::Model::scores_i32`: all probes
        // first (their cache misses overlap), then the entry runs.
        let mut runs = [(0u32, 0u32); 64];
        for chunk in feats.chunks(runs.len()) {
            let mut found = 0;
            for &k in chunk {
                let mut i = Self::slot(k, self.mask);
                loop {
                    let slot = &self.slots[i];
                    if slot.key == k {
                        runs[found] = (slot.start, slot.len);
                        found += 1;
                        break;
                    }
                    if slot.key == 0 {
                        break;
                    }
                    i = (i + 1) & self.mask;
                }
            }
            for &(a, len) in &runs[..found] {
                let a = a as usize;
                for e in &self.entries[a..a + len as usize] {
                    scores[e.class as usize] += e.w as i32;
                }
            }
        }
    }

    /// Serialize into `out` (little-endian, uncompressed).
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.n_classes as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        // Keys delta-encoded: they are sorted, so deltas compress better.
        let mut prev = 0u64;
        for &k in &self.keys {
            out.extend_from_slice(&(k - prev).to_le_bytes());
            prev = k;
        }
        // Run lengths instead of offsets.
        for w in self.starts.windows(2) {
            out.push((w[1] - w[0]) as u8);
        }
        out.extend(self.entries.iter().map(|e| e.class));
        for e in &self.entries {
            out.extend_from_slice(&e.w.to_le_bytes());
        }
    }

    /// Read what [`Model::write`] wrote, advancing `input`.
    pub(crate) fn read(input: &mut &[u8]) -> Option<Model> {
        let n_classes = take_u32(input)? as usize;
        let scale = f32::from_bits(take_u32(input)?);
        let n_keys = take_u64(input)? as usize;
        let n_entries = take_u64(input)? as usize;
        if input.len() < n_keys * 9 + n_entries * 3 {
            return None;
        }
        let mut keys = Vec::with_capacity(n_keys);
        let mut prev = 0u64;
        for _ in 0..n_keys {
            prev = prev.wrapping_add(take_u64(input)?);
            keys.push(prev);
        }
        let mut starts = Vec::with_capacity(n_keys + 1);
        let mut pos = 0u32;
        starts.push(0);
        for &len in &input[..n_keys] {
            pos += len as u32;
            starts.push(pos);
        }
        *input = &input[n_keys..];
        if pos as usize != n_entries {
            return None;
        }
        let classes = input[..n_entries].to_vec();
        if classes.iter().any(|&c| c as usize >= n_classes) {
            return None;
        }
        *input = &input[n_entries..];
        let weights = input[..n_entries * 2]
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        *input = &input[n_entries * 2..];
        Some(Model::from_parts(
            n_classes, scale, keys, starts, classes, weights,
        ))
    }
}

pub(crate) fn take_u32(input: &mut &[u8]) -> Option<u32> {
    let (a, rest) = input.split_first_chunk::<4>()?;
    *input = rest;
    Some(u32::from_le_bytes(*a))
}

pub(crate) fn take_u64(input: &mut &[u8]) -> Option<u64> {
    let (a, rest) = input.split_first_chunk::<8>()?;
    *input = rest;
    Some(u64::from_le_bytes(*a))
}

/// One slot of [`MoveTable`]: a 32-bit fingerprint of a feature key and its
/// three move weights (12 bytes), so a lookup touches one cache line.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
struct MoveSlot {
    /// Low 32 bits of the key (at least 1); 0 = empty slot.
    fp: u32,
    w: [i16; 3],
}

/// Run-time table of the move classifier: open addressing with linear
/// probing over fingerprints and weights side by side.
///
/// Why not `newsgraph_learn::Model` directly: its table keeps keys, row
/// numbers and weights in three arrays, i.e. three cache misses per lookup
/// on a table larger than the cache; the parser makes ~200 lookups per word.
/// Here the slot index comes from the key's high bits and the fingerprint
/// from its low bits, so an absent feature matches a stored one with
/// probability ~2^-32 per probe, and the table is 12 bytes per slot.
#[derive(Clone, Debug)]
pub(crate) struct MoveTable {
    slots: Vec<MoveSlot>,
    /// Number of home slots (`slots` may be longer: overflow tail).
    cap: usize,
    /// Sorted full keys and weights, kept for [`MoveTable::write`].
    rows: Vec<(u64, [i16; 3])>,
}

impl MoveTable {
    /// Build from `(key, weights)` pairs (keys distinct and non-zero).
    pub(crate) fn build(mut rows: Vec<(u64, [i16; 3])>) -> MoveTable {
        rows.sort_unstable_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        rows.retain(|r| r.0 != 0 && r.1 != [0; 3]);
        // Load factor 0.75 keeps linear probes short. Probes run past the
        // end instead of wrapping (the table grows an overflow tail), and an
        // empty slot always ends the table, so lookups need no wrap check.
        let cap = rows.len() * 4 / 3 + 16;
        let mut slots = vec![MoveSlot::default(); cap + 1];
        for &(k, w) in &rows {
            let mut i = Self::slot(k, cap);
            while slots[i].fp != 0 {
                i += 1;
            }
            slots[i] = MoveSlot { fp: Self::fp(k), w };
            if i + 1 == slots.len() {
                slots.push(MoveSlot::default());
            }
        }
        MoveTable { slots, cap, rows }
    }

    /// Home slot: the key's high bits scaled to the capacity.
    #[inline(always)]
    fn slot(k: u64, cap: usize) -> usize {
        ((k as u128 * cap as u128) >> 64) as usize
    }

    #[inline(always)]
    fn fp(k: u64) -> u32 {
        (k as u32).max(1)
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The sum of several tables' weights, rescaled into `i16` (moves are
    /// chosen by argmax, so only the ratios matter): an ensemble of the
    /// given classifiers at the cost of one lookup per feature.
    pub(crate) fn sum(tables: &[&MoveTable]) -> MoveTable {
        let mut sum: KeyMap<[i64; 3]> = KeyMap::default();
        for t in tables {
            for &(k, w) in &t.rows {
                let e = sum.entry(k).or_default();
                for c in 0..3 {
                    e[c] += w[c] as i64;
                }
            }
        }
        let max_abs = sum
            .values()
            .flat_map(|w| w.iter().map(|x| x.unsigned_abs()))
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let f = (32767.0 / max_abs).min(1.0);
        let rows = sum
            .into_iter()
            .map(|(k, w)| (k, w.map(|x| (x as f64 * f).round() as i16)))
            .collect();
        MoveTable::build(rows)
    }

    /// Sum of the weights of `feats`, per move.
    #[inline]
    pub(crate) fn score(&self, feats: &[u64]) -> [i32; 3] {
        let cap = self.cap;
        // First touch every home slot with independent loads so the cache
        // misses overlap (a safe stand-in for prefetching), then probe.
        let mut touch = 0u32;
        for &k in feats {
            touch ^= self.slots[Self::slot(k, cap)].fp;
        }
        std::hint::black_box(touch);
        let mut s = [0i32; 3];
        for &k in feats {
            let fp = Self::fp(k);
            let mut i = Self::slot(k, cap);
            loop {
                let slot = &self.slots[i];
                if slot.fp == fp {
                    s[0] += slot.w[0] as i32;
                    s[1] += slot.w[1] as i32;
                    s[2] += slot.w[2] as i32;
                    break;
                }
                if slot.fp == 0 {
                    break;
                }
                i += 1;
            }
        }
        s
    }

    /// Serialize: count, then sorted delta-encoded keys, then weights.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let rows = &self.rows;
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        let mut prev = 0u64;
        for &(k, _) in rows {
            out.extend_from_slice(&(k - prev).to_le_bytes());
            prev = k;
        }
        // Class-major planes compress better than interleaved rows.
        for c in 0..3 {
            for (_, w) in rows {
                out.extend_from_slice(&w[c].to_le_bytes());
            }
        }
    }

    pub(crate) fn read(input: &mut &[u8]) -> Option<MoveTable> {
        let n = take_u64(input)? as usize;
        if input.len() < n.checked_mul(14)? {
            return None;
        }
        // Whole arrays at a time (`as_chunks`), not a number per call.
        let (keys, rest) = input.split_at(n * 8);
        let (planes, rest) = rest.split_at(n * 6);
        *input = rest;
        let mut rows = Vec::with_capacity(n);
        let mut prev = 0u64;
        for &k in keys.as_chunks::<8>().0 {
            prev = prev.wrapping_add(u64::from_le_bytes(k));
            rows.push((prev, [0i16; 3]));
        }
        for c in 0..3 {
            let plane = &planes[c * n * 2..(c + 1) * n * 2];
            for (r, &w) in rows.iter_mut().zip(plane.as_chunks::<2>().0) {
                r.1[c] = i16::from_le_bytes(w);
            }
        }
        Some(MoveTable::build(rows))
    }
}
