//! Brown word clusters (Brown et al. 1992) with Liang's (2005) window: the
//! words of an unlabeled corpus get hierarchical bit strings such that words
//! used in similar contexts share long prefixes.
//!
//! The algorithm keeps `C` active clusters. Words are taken in frequency order;
//! each new word enters as a cluster of its own (`C + 1` active) and the pair
//! of active clusters whose merge loses the least average mutual information
//! (AMI) of the cluster bigram model is merged, back to `C`. When every word has
//! been added, the `C` clusters are merged down to one the same way; that last
//! tree gives each cluster (and so each of its words) its bit string: 0 for the
//! left branch, 1 for the right. Merge losses are updated incrementally (Liang's
//! trick), so one step costs `O(C²)` and the whole run `O(V·C²)`.
//!
//! ```
//! use newsgraph_learn::clusters::{ClusterCorpus, ClusterOptions, Clusters};
//!
//! let mut corpus = ClusterCorpus::new();
//! for s in ["the cat ran", "the dog ran", "a cat sat", "a dog sat"] {
//!     corpus.add_sentence(s.split(' '));
//! }
//! let opts = ClusterOptions { clusters: 2, min_count: 1, ..Default::default() };
//! let (clusters, _report) = ClusterCorpus::brown(&corpus, &opts);
//! let cat = clusters.path("cat").unwrap();
//! let dog = clusters.path("dog").unwrap();
//! assert_eq!(cat, dog);
//! assert!(clusters.path("horse").is_none());
//! let bytes = clusters.save().unwrap();
//! assert_eq!(Clusters::load(&bytes).unwrap().path("dog"), Some(dog));
//! ```

use std::time::Instant;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::format::{self, ModelError};
use crate::hash::{hash_lowercase, hash_str};

/// Kind string of cluster files.
pub const MODEL_KIND: &str = "clusters-v1";

/// Bit strings are cut at this many bits (a path is stored in a `u64` with a
/// leading 1 marking its length).
pub const MAX_BITS: u8 = 63;

/// Settings of a clustering run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClusterOptions {
    /// Number of active clusters `C` (the number of distinct bit strings).
    pub clusters: usize,
    /// Words seen fewer times are left out.
    pub min_count: u32,
    /// Cluster lowercased words (the corpus must then be lowercased by the
    /// caller, e.g. with [`ClusterCorpus::lowercase`]); lookups lowercase too.
    pub lowercase: bool,
    /// Print progress to stderr.
    pub verbose: bool,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            clusters: 256,
            min_count: 3,
            lowercase: false,
            verbose: false,
        }
    }
}

/// Unlabeled text as interned word ids, sentence by sentence.
#[derive(Debug, Default, Clone)]
pub struct ClusterCorpus {
    ids: FxHashMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u32>,
    /// Bigram counts (left, right); sentences are not joined.
    bigrams: FxHashMap<(u32, u32), u32>,
    tokens: u64,
    sentences: u64,
    lowercase: bool,
}

impl ClusterCorpus {
    pub fn new() -> Self {
        Self::default()
    }

    /// A corpus whose words are lowercased as they are added.
    pub fn lowercase() -> Self {
        ClusterCorpus {
            lowercase: true,
            ..Self::default()
        }
    }

    fn intern(&mut self, word: &str) -> u32 {
        let key: std::borrow::Cow<str> = if self.lowercase {
            word.to_lowercase().into()
        } else {
            word.into()
        };
        if let Some(&id) = self.ids.get(key.as_ref()) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(key.to_string());
        self.counts.push(0);
        self.ids.insert(key.into_owned(), id);
        id
    }

    /// Add one sentence (its words in order).
    pub fn add_sentence<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        let mut prev = None;
        for w in words {
            let id = self.intern(w);
            self.counts[id as usize] += 1;
            self.tokens += 1;
            if let Some(p) = prev {
                *self.bigrams.entry((p, id)).or_default() += 1;
            }
            prev = Some(id);
        }
        self.sentences += 1;
    }

    /// Number of word tokens added.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Number of sentences added.
    pub fn sentences(&self) -> u64 {
        self.sentences
    }

    /// Number of distinct words.
    pub fn types(&self) -> usize {
        self.words.len()
    }

    /// Brown clustering of the words seen at least `opts.min_count` times.
    pub fn brown(&self, opts: &ClusterOptions) -> (Clusters, ClusterReport) {
        let start = Instant::now();
        // Vocabulary in frequency order (ties by the word, for determinism).
        let mut vocab: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&w| self.counts[w as usize] >= opts.min_count.max(1))
            .collect();
        vocab.sort_by(|&a, &b| {
            self.counts[b as usize]
                .cmp(&self.counts[a as usize])
                .then_with(|| self.words[a as usize].cmp(&self.words[b as usize]))
        });
        let mut rank = vec![u32::MAX; self.words.len()];
        for (r, &w) in vocab.iter().enumerate() {
            rank[w as usize] = r as u32;
        }
        // Bigrams between vocabulary words, by rank, both directions (CSR).
        let v = vocab.len();
        let mut right: Vec<Vec<(u32, u32)>> = vec![Vec::new(); v];
        let mut left: Vec<Vec<(u32, u32)>> = vec![Vec::new(); v];
        let mut n_bigrams = 0u64;
        for (&(a, b), &n) in &self.bigrams {
            let (ra, rb) = (rank[a as usize], rank[b as usize]);
            if ra != u32::MAX && rb != u32::MAX {
                right[ra as usize].push((rb, n));
                left[rb as usize].push((ra, n));
                n_bigrams += n as u64;
            }
        }
        for l in right.iter_mut().chain(left.iter_mut()) {
            l.sort_unstable();
        }
        let total = self.tokens.max(1) as f64;
        let unigram: Vec<f64> = vocab
            .iter()
            .map(|&w| self.counts[w as usize] as f64 / total)
            .collect();
        let mut brown = Brown::new(opts.clusters.max(1), v, &right, &left, &unigram, total);
        let c = opts.clusters.max(1).min(v);
        let mut last_report = Instant::now();
        for r in 0..v {
            brown.add_word(r);
            if r >= c {
                brown.merge_best(false);
            }
            if opts.verbose && (last_report.elapsed().as_secs() >= 10 || r + 1 == v) {
                last_report = Instant::now();
                eprintln!(
                    "clusters: {}/{} words, {:.0}s, AMI {:.4}",
                    r + 1,
                    v,
                    start.elapsed().as_secs_f64(),
                    brown.ami()
                );
            }
        }
        let ami = brown.ami();
        // The hierarchy over the final clusters.
        let slot_clusters: Vec<usize> = brown.active.clone();
        let final_members: Vec<Vec<u32>> = slot_clusters
            .iter()
            .map(|&s| brown.members[s].clone())
            .collect();
        let mut node_of_slot: FxHashMap<usize, usize> = FxHashMap::default();
        // Nodes: leaves are the final clusters, then one node per merge.
        let mut children: Vec<Option<(usize, usize)>> = Vec::new();
        for &s in &slot_clusters {
            node_of_slot.insert(s, children.len());
            children.push(None);
        }
        while brown.active.len() > 1 {
            let (keep, gone) = brown.merge_best(true);
            let node = children.len();
            children.push(Some((node_of_slot[&keep], node_of_slot[&gone])));
            node_of_slot.insert(keep, node);
        }
        // Paths from the root: left = 0, right = 1, stored as 1 followed by the bits.
        let mut code = vec![1u64; children.len()];
        let mut depth = vec![0u8; children.len()];
        for node in (0..children.len()).rev() {
            if let Some((l, r)) = children[node] {
                for (child, bit) in [(l, 0), (r, 1)] {
                    if depth[node] < MAX_BITS {
                        code[child] = code[node] << 1 | bit;
                        depth[child] = depth[node] + 1;
                    } else {
                        code[child] = code[node];
                        depth[child] = depth[node];
                    }
                }
            }
        }
        let mut entries: Vec<(String, u64)> = Vec::with_capacity(v);
        for (i, members) in final_members.iter().enumerate() {
            for &r in members {
                entries.push((self.words[vocab[r as usize] as usize].clone(), code[i]));
            }
        }
        entries.sort();
        let file = ClustersFile {
            lowercase: opts.lowercase || self.lowercase,
            words: entries.iter().map(|e| e.0.clone()).collect(),
            codes: entries.iter().map(|e| e.1).collect(),
        };
        let report = ClusterReport {
            tokens: self.tokens,
            sentences: self.sentences,
            types: self.words.len(),
            vocabulary: v,
            bigram_tokens: n_bigrams,
            clusters: slot_clusters.len(),
            ami,
            max_depth: depth.iter().copied().max().unwrap_or(0),
            seconds: start.elapsed().as_secs_f64(),
        };
        (Clusters::from_file(file), report)
    }
}

/// What a clustering run did.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterReport {
    pub tokens: u64,
    pub sentences: u64,
    /// Distinct words in the corpus.
    pub types: usize,
    /// Words clustered (count >= min_count).
    pub vocabulary: usize,
    /// Bigrams between clustered words.
    pub bigram_tokens: u64,
    pub clusters: usize,
    /// Average mutual information of the final `clusters`-cluster bigram model (nats).
    pub ami: f64,
    /// Longest bit string.
    pub max_depth: u8,
    pub seconds: f64,
}

/// `p(x,y) log(p(x,y) / (p(x) p(y)))`, zero when the pair never occurs.
#[inline]
fn q(pxy: f64, px: f64, py: f64) -> f64 {
    if pxy > 0.0 {
        pxy * (pxy / (px * py)).ln()
    } else {
        0.0
    }
}

/// State of the windowed clustering: `k = C + 1` slots, dense matrices.
struct Brown<'a> {
    k: usize,
    right: &'a [Vec<(u32, u32)>],
    left: &'a [Vec<(u32, u32)>],
    unigram: &'a [f64],
    total: f64,
    /// Slot of each added word (`usize::MAX` before it is added).
    slot_of: Vec<usize>,
    members: Vec<Vec<u32>>,
    /// Active slots, in increasing order.
    active: Vec<usize>,
    free: Vec<usize>,
    p1: Vec<f64>,
    /// p2[s * k + t]: probability of the bigram (cluster s, cluster t).
    p2: Vec<f64>,
    /// q2[s * k + t] = q(p2[s][t], p1[s], p1[t]).
    q2: Vec<f64>,
    /// Sum of the AMI terms that involve cluster s.
    s: Vec<f64>,
    /// Merge loss of (s, t), s < t, at l[s * k + t].
    l: Vec<f64>,
    /// Scratch: per-slot values.
    t_old: Vec<f64>,
    t_new: Vec<f64>,
    col_a: Vec<f64>,
    row_a: Vec<f64>,
    col_b: Vec<f64>,
    row_b: Vec<f64>,
}

impl<'a> Brown<'a> {
    fn new(
        c: usize,
        v: usize,
        right: &'a [Vec<(u32, u32)>],
        left: &'a [Vec<(u32, u32)>],
        unigram: &'a [f64],
        total: f64,
    ) -> Self {
        let k = c + 1;
        Brown {
            k,
            right,
            left,
            unigram,
            total,
            slot_of: vec![usize::MAX; v],
            members: vec![Vec::new(); k],
            active: Vec::with_capacity(k),
            free: (0..k).rev().collect(),
            p1: vec![0.0; k],
            p2: vec![0.0; k * k],
            q2: vec![0.0; k * k],
            s: vec![0.0; k],
            l: vec![0.0; k * k],
            t_old: vec![0.0; k],
            t_new: vec![0.0; k],
            col_a: vec![0.0; k],
            row_a: vec![0.0; k],
            col_b: vec![0.0; k],
            row_b: vec![0.0; k],
        }
    }

    fn ami(&self) -> f64 {
        let mut sum = 0.0;
        for &s in &self.active {
            for &t in &self.active {
                sum += self.q2[s * self.k + t];
            }
        }
        sum
    }

    /// Loss of merging clusters `s` and `t`, from scratch (`O(C)`).
    fn loss(&self, s: usize, t: usize) -> f64 {
        let k = self.k;
        let pst = self.p1[s] + self.p1[t];
        let mut merged = 0.0;
        for &d in &self.active {
            if d == s || d == t {
                continue;
            }
            merged += q(self.p2[s * k + d] + self.p2[t * k + d], pst, self.p1[d]);
            merged += q(self.p2[d * k + s] + self.p2[d * k + t], self.p1[d], pst);
        }
        let self_pair =
            self.p2[s * k + s] + self.p2[s * k + t] + self.p2[t * k + s] + self.p2[t * k + t];
        merged += q(self_pair, pst, pst);
        self.s[s] + self.s[t] - self.q2[s * k + t] - self.q2[t * k + s] - merged
    }

    fn set_q(&mut self, s: usize, t: usize) {
        let k = self.k;
        self.q2[s * k + t] = q(self.p2[s * k + t], self.p1[s], self.p1[t]);
    }

    /// Recompute row and column `a` of q2, the S of every cluster and the
    /// losses of pairs with `a` (after `a` changed).
    fn refresh_slot(&mut self, a: usize) {
        let k = self.k;
        for i in 0..self.active.len() {
            let d = self.active[i];
            self.set_q(a, d);
            self.set_q(d, a);
        }
        let mut sa = 0.0;
        for &d in &self.active {
            sa += self.q2[a * k + d] + self.q2[d * k + a];
        }
        self.s[a] = sa - self.q2[a * k + a];
        for &d in &self.active {
            if d != a {
                self.s[d] += self.q2[d * k + a] + self.q2[a * k + d];
            }
        }
        for i in 0..self.active.len() {
            let d = self.active[i];
            if d != a {
                let (x, y) = (a.min(d), a.max(d));
                self.l[x * k + y] = self.loss(x, y);
            }
        }
    }

    /// Add word `r` (a rank) as a cluster of its own.
    fn add_word(&mut self, r: usize) {
        let k = self.k;
        let b = self.free.pop().expect("a free slot");
        let pos = self.active.partition_point(|&x| x < b);
        self.active.insert(pos, b);
        self.slot_of[r] = b;
        self.members[b].clear();
        self.members[b].push(r as u32);
        self.p1[b] = self.unigram[r];
        for &d in &self.active {
            self.p2[b * k + d] = 0.0;
            self.p2[d * k + b] = 0.0;
        }
        for &(w, n) in &self.right[r] {
            let d = self.slot_of[w as usize];
            if d != usize::MAX {
                self.p2[b * k + d] += n as f64 / self.total;
            }
        }
        for &(w, n) in &self.left[r] {
            let d = self.slot_of[w as usize];
            // The self bigram (r, r) is in both lists: count it once.
            if d != usize::MAX && w as usize != r {
                self.p2[d * k + b] += n as f64 / self.total;
            }
        }
        // Losses of the old pairs gain the terms of the new cluster.
        let pb = self.p1[b];
        for x in 0..self.active.len() {
            let d = self.active[x];
            self.set_q(b, d);
            self.set_q(d, b);
            self.t_new[d] = self.q2[d * k + b] + self.q2[b * k + d];
            self.col_b[d] = self.p2[d * k + b];
            self.row_b[d] = self.p2[b * k + d];
        }
        let act = &self.active;
        for (x, &i) in act.iter().enumerate() {
            if i == b {
                continue;
            }
            let (ci, ri, ti, pi) = (self.col_b[i], self.row_b[i], self.t_new[i], self.p1[i]);
            let row = &mut self.l[i * k..(i + 1) * k];
            for &j in &act[x + 1..] {
                if j == b {
                    continue;
                }
                let (cj, rj) = (self.col_b[j], self.row_b[j]);
                let mut delta = ti + self.t_new[j];
                if ci + cj > 0.0 || ri + rj > 0.0 {
                    let pij = pi + self.p1[j];
                    delta -= q(ci + cj, pij, pb) + q(ri + rj, pb, pij);
                }
                row[j] += delta;
            }
        }
        // S of every cluster, then the losses of the pairs with b.
        self.refresh_slot(b);
    }

    /// The active pair with the least loss (ties: the first in slot order).
    fn best_pair(&self) -> (usize, usize) {
        let k = self.k;
        let mut best = (f64::INFINITY, 0, 0);
        for (x, &i) in self.active.iter().enumerate() {
            for &j in &self.active[x + 1..] {
                let l = self.l[i * k + j];
                if l < best.0 {
                    best = (l, i, j);
                }
            }
        }
        (best.1, best.2)
    }

    /// Merge the best pair; returns (kept slot, freed slot). In the final
    /// phase (`ordered`), the kept slot is the smaller index, so the tree does
    /// not depend on cluster sizes.
    fn merge_best(&mut self, ordered: bool) -> (usize, usize) {
        let (i, j) = self.best_pair();
        let (a, b) = if ordered || self.members[i].len() >= self.members[j].len() {
            (i, j)
        } else {
            (j, i)
        };
        self.merge(a, b);
        (a, b)
    }

    /// Merge cluster `b` into `a`.
    fn merge(&mut self, a: usize, b: usize) {
        let k = self.k;
        // The merged cluster's bigrams, before touching the matrices.
        let pa_old = self.p1[a];
        let pb_old = self.p1[b];
        let pm = pa_old + pb_old;
        for &d in &self.active {
            self.col_a[d] = self.p2[d * k + a];
            self.row_a[d] = self.p2[a * k + d];
            self.col_b[d] = self.p2[d * k + b];
            self.row_b[d] = self.p2[b * k + d];
            self.t_old[d] =
                self.q2[d * k + a] + self.q2[a * k + d] + self.q2[d * k + b] + self.q2[b * k + d];
            let (cm, rm) = (self.col_a[d] + self.col_b[d], self.row_a[d] + self.row_b[d]);
            self.t_new[d] = q(cm, self.p1[d], pm) + q(rm, pm, self.p1[d]);
        }
        // Update the losses of pairs (i, j) without a or b: their old terms
        // with a and b become terms with the merged cluster.
        let act = &self.active;
        for (x, &i) in act.iter().enumerate() {
            if i == a || i == b {
                continue;
            }
            let pi = self.p1[i];
            let (cai, rai, cbi, rbi) = (self.col_a[i], self.row_a[i], self.col_b[i], self.row_b[i]);
            let (toi, tni) = (self.t_old[i], self.t_new[i]);
            let row = &mut self.l[i * k..(i + 1) * k];
            for &j in &act[x + 1..] {
                if j == a || j == b {
                    continue;
                }
                let pij = pi + self.p1[j];
                let ca = cai + self.col_a[j];
                let ra = rai + self.row_a[j];
                let cb = cbi + self.col_b[j];
                let rb = rbi + self.row_b[j];
                let old = toi + self.t_old[j]
                    - q(ca, pij, pa_old)
                    - q(ra, pa_old, pij)
                    - q(cb, pij, pb_old)
                    - q(rb, pb_old, pij);
                let new = tni + self.t_new[j] - q(ca + cb, pij, pm) - q(ra + rb, pm, pij);
                row[j] += new - old;
            }
        }
        // S loses the terms with a and b.
        for &d in &self.active {
            if d != a && d != b {
                self.s[d] -= self.t_old[d];
            }
        }
        // Merge the matrices.
        let self_pair =
            self.p2[a * k + a] + self.p2[a * k + b] + self.p2[b * k + a] + self.p2[b * k + b];
        for &d in &self.active {
            self.p2[d * k + a] += self.p2[d * k + b];
            self.p2[a * k + d] += self.p2[b * k + d];
        }
        self.p2[a * k + a] = self_pair;
        self.p1[a] = pm;
        let pos = self.active.binary_search(&b).expect("b is active");
        self.active.remove(pos);
        self.free.push(b);
        let moved = std::mem::take(&mut self.members[b]);
        for &r in &moved {
            self.slot_of[r as usize] = a;
        }
        self.members[a].extend(moved);
        self.refresh_slot(a);
    }
}

/// What a cluster file holds: the words (sorted) and their paths.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ClustersFile {
    lowercase: bool,
    words: Vec<String>,
    /// Path of each word as `1` followed by its bits (most significant first).
    codes: Vec<u64>,
}

/// Words and their hierarchical cluster paths. Serializes as the word list
/// and codes (so a model file can carry the clusters it was trained with).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "ClustersFile", into = "ClustersFile")]
pub struct Clusters {
    /// `hash_str(word)` -> path code.
    map: FxHashMap<u64, u64>,
    file: ClustersFile,
}

impl From<ClustersFile> for Clusters {
    fn from(file: ClustersFile) -> Clusters {
        Clusters::from_file(file)
    }
}

impl From<Clusters> for ClustersFile {
    fn from(c: Clusters) -> ClustersFile {
        c.file
    }
}

impl Clusters {
    fn from_file(file: ClustersFile) -> Clusters {
        let map = file
            .words
            .iter()
            .zip(&file.codes)
            .map(|(w, &c)| (hash_str(w), c))
            .collect();
        Clusters { map, file }
    }

    /// Load a cluster file's bytes.
    pub fn load(bytes: &[u8]) -> Result<Clusters, ModelError> {
        Self::load_from(bytes, "clusters")
    }

    /// Load, naming the file in errors.
    pub fn load_from(bytes: &[u8], origin: &str) -> Result<Clusters, ModelError> {
        let file: ClustersFile = format::decode(bytes, MODEL_KIND, origin)?;
        if file.words.len() != file.codes.len() || file.codes.contains(&0) {
            return Err(ModelError::Corrupt {
                origin: origin.to_string(),
                kind: MODEL_KIND.to_string(),
                reason: "words and paths do not match".to_string(),
            });
        }
        Ok(Self::from_file(file))
    }

    /// The file's bytes.
    pub fn save(&self) -> Result<Vec<u8>, ModelError> {
        format::encode(MODEL_KIND, &self.file)
    }

    /// Number of words with a path.
    pub fn len(&self) -> usize {
        self.file.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.file.words.is_empty()
    }

    /// Whether words were lowercased before clustering (lookups lowercase too).
    pub fn lowercase(&self) -> bool {
        self.file.lowercase
    }

    /// The words and their path codes, sorted by word.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.file
            .words
            .iter()
            .map(String::as_str)
            .zip(self.file.codes.iter().copied())
    }

    /// The path code of a word: `1` followed by the path's bits, so that
    /// codes of different lengths differ; see [`prefix`] and [`code_bits`].
    /// `None` for words not clustered.
    #[inline]
    pub fn code(&self, word: &str) -> Option<u64> {
        let h = if self.file.lowercase {
            hash_lowercase(word)
        } else {
            hash_str(word)
        };
        self.map.get(&h).copied()
    }

    /// The code of the word whose `hash_str` is `hash` (for callers that
    /// already hashed the word, or its lowercase form for lowercased clusters).
    #[inline]
    pub fn code_of_hash(&self, hash: u64) -> Option<u64> {
        self.map.get(&hash).copied()
    }

    /// The word's path: its bits (most significant first) and length.
    pub fn path(&self, word: &str) -> Option<(u64, u8)> {
        self.code(word).map(code_bits)
    }

    /// The path as a string of `0`s and `1`s.
    pub fn path_string(&self, word: &str) -> Option<String> {
        self.path(word).map(|(bits, len)| bits_string(bits, len))
    }

    /// The first `bits` bits of the word's path (all of it when shorter), as a code.
    pub fn prefix(&self, word: &str, bits: u8) -> Option<u64> {
        self.code(word).map(|c| prefix(c, bits))
    }
}

/// Length of a path code.
#[inline]
pub fn code_len(code: u64) -> u8 {
    63u32.saturating_sub(code.leading_zeros()) as u8
}

/// A path code's bits and length.
#[inline]
pub fn code_bits(code: u64) -> (u64, u8) {
    let len = code_len(code);
    (code & !(1u64 << len), len)
}

/// The first `bits` bits of a path code (the whole code when shorter), still
/// a code (distinct for different prefix lengths).
#[inline]
pub fn prefix(code: u64, bits: u8) -> u64 {
    let len = code_len(code);
    if len > bits {
        code >> (len - bits)
    } else {
        code
    }
}

/// `len` bits as a string of `0`s and `1`s.
pub fn bits_string(bits: u64, len: u8) -> String {
    (0..len)
        .rev()
        .map(|i| if bits >> i & 1 == 1 { '1' } else { '0' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nouns and verbs in the same frames, plus function words.
    fn corpus() -> ClusterCorpus {
        let mut c = ClusterCorpus::new();
        let nouns = ["cat", "dog", "horse", "cow"];
        let verbs = ["runs", "sleeps", "eats", "walks"];
        let dets = ["the", "a", "one"];
        for (i, n) in nouns.iter().enumerate() {
            for (j, v) in verbs.iter().enumerate() {
                for (k, d) in dets.iter().enumerate() {
                    let adv = ["today", "now", "here"][(i + j + k) % 3];
                    let s = format!("{d} {n} {v} {adv} .");
                    c.add_sentence(s.split(' '));
                }
            }
        }
        c
    }

    fn shared_prefix(a: (u64, u8), b: (u64, u8)) -> u8 {
        let (sa, sb) = (bits_string(a.0, a.1), bits_string(b.0, b.1));
        sa.chars()
            .zip(sb.chars())
            .take_while(|(x, y)| x == y)
            .count() as u8
    }

    #[test]
    fn words_in_the_same_contexts_share_prefixes() {
        let c = corpus();
        for clusters in [5, 8, 30] {
            let opts = ClusterOptions {
                clusters,
                min_count: 1,
                ..Default::default()
            };
            let (cl, report) = c.brown(&opts);
            assert_eq!(cl.len(), 15);
            assert_eq!(report.vocabulary, 15);
            let p = |w: &str| cl.path(w).unwrap();
            // Same class: a longer common prefix than with any other class.
            for class in [
                &["cat", "dog", "horse", "cow"][..],
                &["runs", "sleeps", "eats", "walks"],
                &["the", "a", "one"],
                &["today", "now", "here"],
            ] {
                let within = class
                    .iter()
                    .flat_map(|a| class.iter().map(move |b| (a, b)))
                    .map(|(a, b)| shared_prefix(p(a), p(b)))
                    .min()
                    .unwrap();
                for other in ["cat", "runs", "the", "today", "."] {
                    if class.contains(&other) {
                        continue;
                    }
                    for w in class {
                        assert!(
                            shared_prefix(p(w), p(other)) < within,
                            "{clusters} clusters: {w} {other}: {} {}",
                            cl.path_string(w).unwrap(),
                            cl.path_string(other).unwrap()
                        );
                    }
                }
            }
            if clusters == 5 {
                assert_eq!(p("cat"), p("cow"));
                assert_eq!(p("runs"), p("walks"));
            }
        }
    }

    #[test]
    fn incremental_losses_match_recomputed_ones() {
        let c = corpus();
        let opts = ClusterOptions {
            clusters: 5,
            min_count: 1,
            ..Default::default()
        };
        // Re-run the loop by hand and check every loss after every step.
        let mut vocab: Vec<u32> = (0..c.words.len() as u32).collect();
        vocab.sort_by(|&a, &b| {
            c.counts[b as usize]
                .cmp(&c.counts[a as usize])
                .then_with(|| c.words[a as usize].cmp(&c.words[b as usize]))
        });
        let mut rank = vec![0; vocab.len()];
        for (r, &w) in vocab.iter().enumerate() {
            rank[w as usize] = r as u32;
        }
        let v = vocab.len();
        let mut right = vec![Vec::new(); v];
        let mut left = vec![Vec::new(); v];
        for (&(a, b), &n) in &c.bigrams {
            right[rank[a as usize] as usize].push((rank[b as usize], n));
            left[rank[b as usize] as usize].push((rank[a as usize], n));
        }
        let total = c.tokens as f64;
        let uni: Vec<f64> = vocab
            .iter()
            .map(|&w| c.counts[w as usize] as f64 / total)
            .collect();
        let mut b = Brown::new(opts.clusters, v, &right, &left, &uni, total);
        let check = |b: &Brown| {
            let k = b.k;
            for (x, &i) in b.active.iter().enumerate() {
                for &j in &b.active[x + 1..] {
                    let inc = b.l[i * k + j];
                    // AMI before minus AMI after, computed directly.
                    let direct = b.loss(i, j);
                    assert!((inc - direct).abs() < 1e-9, "{i} {j}: {inc} vs {direct}");
                }
            }
        };
        for r in 0..v {
            b.add_word(r);
            check(&b);
            if r >= opts.clusters {
                let before = b.ami();
                let (i, j) = b.best_pair();
                let expected = b.l[i * b.k + j];
                b.merge_best(false);
                check(&b);
                assert!((before - b.ami() - expected).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn save_load_round_trip_and_prefixes() {
        let c = corpus();
        let (cl, _) = c.brown(&ClusterOptions {
            clusters: 6,
            min_count: 1,
            ..Default::default()
        });
        let bytes = cl.save().unwrap();
        let back = Clusters::load(&bytes).unwrap();
        assert_eq!(back.len(), cl.len());
        for (w, code) in cl.iter() {
            assert_eq!(back.code(w), Some(code));
            assert_eq!(back.path(w), cl.path(w));
        }
        assert_eq!(back.save().unwrap(), bytes);
        assert!(back.code("unicorn").is_none());
        assert!(Clusters::load_from(&bytes[..bytes.len() - 2], "x").is_err());

        // Codes and prefixes.
        let code = 0b1_1011u64;
        assert_eq!(code_bits(code), (0b1011, 4));
        assert_eq!(prefix(code, 2), 0b1_10);
        assert_eq!(prefix(code, 10), code);
        assert_ne!(prefix(0b1_0, 4), prefix(0b1_00, 4));
        assert_eq!(bits_string(0b0011, 4), "0011");
    }

    #[test]
    fn lowercased_clusters_lowercase_lookups() {
        let mut c = ClusterCorpus::lowercase();
        c.add_sentence(["The", "cat"]);
        c.add_sentence(["the", "dog"]);
        let (cl, _) = c.brown(&ClusterOptions {
            clusters: 2,
            min_count: 1,
            lowercase: true,
            ..Default::default()
        });
        assert!(cl.lowercase());
        assert_eq!(cl.len(), 3);
        assert_eq!(cl.code("THE"), cl.code("the"));
    }
}
