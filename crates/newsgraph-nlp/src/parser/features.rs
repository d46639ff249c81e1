//! Feature extraction for the parser: per-token atoms computed once per
//! sentence, then hashed templates over a configuration (Zhang & Nivre 2011,
//! adapted to arc-hybrid).
//!
//! Nothing here allocates per token: [`Atoms::fill`] reuses its vectors and
//! the extractors push `u64` hashes into a caller-owned buffer.

use super::transition::State;
use newsgraph_core::tags::{Upos, Xpos};
use newsgraph_learn::clusters::prefix as cluster_prefix;
use newsgraph_learn::hash::{hash_lowercase, hash_str};
use newsgraph_learn::Clusters;

/// Atom values reserved for "no token" and ROOT.
const A_NONE: u64 = 0;
const A_ROOT: u64 = 1;

/// Per-token atoms of a sentence, indexed like the parser's tokens
/// (`0` = none, `1..=n` words, `n + 1` = ROOT).
#[derive(Debug, Default, Clone)]
pub(crate) struct Atoms {
    /// Hash of the lowercased word form.
    pub word: Vec<u64>,
    /// Penn tag id.
    pub xpos: Vec<u64>,
    /// Universal tag id.
    pub upos: Vec<u64>,
    /// Hash of the lowercased last three characters (digits as `0`).
    pub suffix: Vec<u64>,
    /// Casing class: see [`case_class`].
    pub case: Vec<u64>,
    /// Brown-cluster path prefixes of 4 and 6 bits and the full path
    /// ([`cluster_atoms`]); empty when the cluster templates are off.
    pub cluster: Vec<[u64; 3]>,
}

/// Cluster atoms of "no token", ROOT and words without a cluster (real
/// atoms are hashed codes). Large: see [`cluster_atoms`].
const CL_NONE: u64 = 0x6a09_e667_f3bc_c908;
const CL_ROOT: u64 = 0xbb67_ae85_84ca_a73b;
const NO_CLUSTER: u64 = 0x3c6e_f372_fe94_f82b;

/// Cluster atoms of a word (Koo, Carreras & Collins 2008): its path's 4-
/// and 6-bit prefixes and the full path, looked up as the exact form, then
/// lowercased (as the tagger does).
pub(crate) fn cluster_atoms(w: &str, clusters: &Clusters) -> [u64; 3] {
    let code = if clusters.lowercase() {
        clusters.code_of_hash(hash_lowercase(w))
    } else {
        clusters
            .code_of_hash(hash_str(w))
            .or_else(|| clusters.code_of_hash(hash_lowercase(w)))
    };
    // Hashed: `mix` only xors an atom into the template id, so small
    // integers (path codes) would collide with the tag templates' keys.
    match code {
        Some(c) => [4, 6, 64].map(|b| fin(cluster_prefix(c, b) ^ 0x2545_f491_4f6c_dd1d) | 2),
        None => [NO_CLUSTER; 3],
    }
}

impl Atoms {
    /// Atoms of a sentence; `clusters` turns the cluster templates on.
    pub(crate) fn fill(
        &mut self,
        words: &[&str],
        tags: &[(Upos, Xpos)],
        clusters: Option<&Clusters>,
    ) {
        let n = words.len();
        self.cluster.clear();
        if let Some(c) = clusters {
            self.cluster.push([CL_NONE; 3]);
            self.cluster
                .extend(words.iter().map(|w| cluster_atoms(w, c)));
            self.cluster.push([CL_ROOT; 3]);
        }
        self.word.clear();
        self.xpos.clear();
        self.upos.clear();
        self.suffix.clear();
        self.case.clear();
        self.word.push(A_NONE);
        self.xpos.push(A_NONE);
        self.upos.push(A_NONE);
        self.suffix.push(A_NONE);
        self.case.push(A_NONE);
        for (w, &(u, x)) in words.iter().zip(tags) {
            self.word.push(word_hash(w));
            self.xpos.push(x.index() as u64 + 2);
            self.upos.push(u.index() as u64 + 2);
            self.suffix.push(suffix_hash(w));
            self.case.push(case_class(w));
        }
        debug_assert_eq!(self.word.len(), n + 1);
        self.word.push(A_ROOT);
        self.xpos.push(A_ROOT);
        self.upos.push(A_ROOT);
        self.suffix.push(A_ROOT);
        self.case.push(A_ROOT);
    }
}

/// Hash of a word form, lowercased, with digits mapped to `0` so numbers
/// share statistics. No allocation.
pub(crate) fn word_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in w.chars() {
        let c = if c.is_ascii_digit() {
            '0'
        } else if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            // Non-ASCII: first char of the lowercase mapping is enough for hashing.
            c.to_lowercase().next().unwrap_or(c)
        };
        h ^= c as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Keep clear of the reserved atoms 0 and 1.
    h | 2
}

/// [`word_hash`] of the last three characters of `w` (the whole word if shorter).
pub(crate) fn suffix_hash(w: &str) -> u64 {
    let start = w.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
    word_hash(&w[start..]) ^ 0x5bd1_e995
}

/// Casing class of a word: 2 lowercase start, 3 capitalised with a
/// lowercase letter after, 4 all capitals, 5 starts with a digit, 6 other
/// (punctuation, symbols). 0 and 1 are "no token" and ROOT.
pub(crate) fn case_class(w: &str) -> u64 {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => 2,
        Some(c) if c.is_uppercase() => {
            if chars.any(|c| c.is_lowercase()) {
                3
            } else {
                4
            }
        }
        Some(c) if c.is_ascii_digit() => 5,
        _ => 6,
    }
}

const K: u64 = 0x517c_c1b7_2722_0a95;

#[inline(always)]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// Final mix; never 0 (the run-time tables use key 0 for "empty").
#[inline(always)]
fn fin(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h | (h == 0) as u64
}

#[inline(always)]
fn f1(t: u64, a: u64) -> u64 {
    fin(mix(mix(t, a), 0))
}
#[inline(always)]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    fin(mix(mix(mix(t, a), b), 0))
}
#[inline(always)]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    fin(mix(mix(mix(mix(t, a), b), c), 0))
}
#[inline(always)]
fn f4(t: u64, a: u64, b: u64, c: u64, d: u64) -> u64 {
    fin(mix(mix(mix(mix(mix(t, a), b), c), d), 0))
}

/// Bucketed distance: 1, 2, 3, 4, 5-6, 7-9, 10+.
#[inline]
fn dist_bucket(a: u32, b: u32) -> u64 {
    match a.abs_diff(b) {
        0 => 0,
        d @ 1..=4 => d as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

/// Pack a tag and a word into one atom for "word/tag" templates.
#[inline(always)]
fn wp(w: u64, p: u64) -> u64 {
    mix(w, p ^ 0x9e37_79b9)
}

/// Features for choosing the next move.
pub(crate) fn move_features(a: &Atoms, s: &State, out: &mut Vec<u64>) {
    out.clear();
    let s0 = s.s(0) as usize;
    let s1 = s.s(1) as usize;
    let s2 = s.s(2) as usize;
    let b0 = s.buf(0) as usize;
    let b1 = s.buf(1) as usize;
    let b2 = s.buf(2) as usize;

    let w = |t: usize| a.word[t];
    let p = |t: usize| a.xpos[t];
    let lab = |t: usize| -> u64 {
        if t == 0 {
            0
        } else {
            s.labels[t] as u64 + 1
        }
    };
    let ch = |v: &Vec<u32>, t: usize| -> usize {
        if t == 0 {
            0
        } else {
            v[t] as usize
        }
    };

    let s0l1 = ch(&s.l1, s0);
    let s0l2 = ch(&s.l2, s0);
    let s0r1 = ch(&s.r1, s0);
    let s0r2 = ch(&s.r2, s0);
    let s1l1 = ch(&s.l1, s1);
    let s1r1 = ch(&s.r1, s1);
    let s1r2 = ch(&s.r2, s1);
    let b0l1 = ch(&s.l1, b0);
    let b0l2 = ch(&s.l2, b0);

    let (s0w, s0p) = (w(s0), p(s0));
    let (s1w, s1p) = (w(s1), p(s1));
    let (s2w, s2p) = (w(s2), p(s2));
    let (b0w, b0p) = (w(b0), p(b0));
    let (b1w, b1p) = (w(b1), p(b1));
    let (b2w, b2p) = (w(b2), p(b2));
    let s0wp = wp(s0w, s0p);
    let s1wp = wp(s1w, s1p);
    let b0wp = wp(b0w, b0p);

    let d = if s0 != 0 && b0 != 0 {
        dist_bucket(s0 as u32, b0 as u32)
    } else {
        0
    };
    let d2 = if s1 != 0 {
        dist_bucket(s1 as u32, s0 as u32)
    } else {
        0
    };
    let nl = |t: usize| if t == 0 { 0 } else { s.nl[t] as u64 + 1 };
    let nr = |t: usize| if t == 0 { 0 } else { s.nr[t] as u64 + 1 };
    let ls = |t: usize| if t == 0 { 0 } else { s.lset[t] };
    let rs = |t: usize| if t == 0 { 0 } else { s.rset[t] };

    // Template ids are assigned in order of appearance.
    let mut t = 0u64;
    macro_rules! f {
        ($($x:expr),+) => {{
            t += 1;
            out.push(fx(t, &[$($x),+]));
        }};
    }

    // Bias.
    f!(1);
    // Single words.
    f!(s0wp);
    f!(s0w);
    f!(s0p);
    f!(b0wp);
    f!(b0w);
    f!(b0p);
    f!(wp(b1w, b1p));
    f!(b1w);
    f!(b1p);
    f!(wp(b2w, b2p));
    f!(b2w);
    f!(b2p);
    f!(s1wp);
    f!(s1w);
    f!(s1p);
    f!(s2w);
    f!(s2p);
    f!(a.upos[s0], a.upos[b0]);
    f!(a.upos[s1], a.upos[s0], a.upos[b0]);
    // Pairs s0-b0.
    f!(s0wp, b0wp);
    f!(s0wp, b0w);
    f!(s0w, b0wp);
    f!(s0wp, b0p);
    f!(s0p, b0wp);
    f!(s0w, b0w);
    f!(s0p, b0p);
    f!(b0p, b1p);
    // Pairs s1-s0.
    f!(s1wp, s0wp);
    f!(s1w, s0w);
    f!(s1p, s0p);
    f!(s1wp, s0p);
    f!(s1p, s0wp);
    f!(s1w, s0p);
    f!(s1p, s0w);
    // Triples.
    f!(b0p, b1p, b2p);
    f!(s0p, b0p, b1p);
    f!(s1p, s0p, b0p);
    f!(s2p, s1p, s0p);
    f!(s1p, s0w, b0p);
    f!(s1p, s0p, b0w);
    f!(s0p, p(s0l1), b0p);
    f!(s0p, p(s0r1), b0p);
    f!(s0p, b0p, p(b0l1));
    f!(s1p, p(s1r1), s0p);
    f!(s1p, p(s1l1), s0p);
    f!(s1p, s0p, p(s0l1));
    f!(s1p, s0p, p(s0r1));
    // Distance.
    f!(s0w, d);
    f!(s0p, d);
    f!(b0w, d);
    f!(b0p, d);
    f!(s0w, b0w, d);
    f!(s0p, b0p, d);
    f!(s1p, s0p, d2);
    f!(s1w, s0w, d2);
    f!(s1p, s0p, b0p, d);
    // Valency.
    f!(s0w, nr(s0));
    f!(s0p, nr(s0));
    f!(s0w, nl(s0));
    f!(s0p, nl(s0));
    f!(b0w, nl(b0));
    f!(b0p, nl(b0));
    f!(s1p, nr(s1));
    f!(s1p, nl(s1));
    // Children.
    f!(w(s0l1));
    f!(p(s0l1));
    f!(lab(s0l1));
    f!(w(s0r1));
    f!(p(s0r1));
    f!(lab(s0r1));
    f!(w(b0l1));
    f!(p(b0l1));
    f!(lab(b0l1));
    f!(w(s1r1));
    f!(p(s1r1));
    f!(lab(s1r1));
    f!(p(s1l1));
    f!(lab(s1l1));
    f!(s0p, lab(s0l1), lab(s0r1));
    f!(b0p, lab(b0l1), b1p);
    // Second children.
    f!(w(s0l2));
    f!(p(s0l2));
    f!(lab(s0l2));
    f!(w(s0r2));
    f!(p(s0r2));
    f!(lab(s0r2));
    f!(w(b0l2));
    f!(p(b0l2));
    f!(lab(b0l2));
    f!(s0p, p(s0l1), p(s0l2));
    f!(s0p, p(s0r1), p(s0r2));
    f!(b0p, p(b0l1), p(b0l2));
    f!(s1p, p(s1r1), p(s1r2));
    // Label sets.
    f!(s0w, rs(s0));
    f!(s0p, rs(s0));
    f!(s0w, ls(s0));
    f!(s0p, ls(s0));
    f!(b0w, ls(b0));
    f!(b0p, ls(b0));
    f!(s1p, rs(s1));
    f!(s1p, ls(s1));
    // Surrounding words of s0 (punctuation and conjunction context).
    f!(
        s0p,
        p(s0.wrapping_sub(1).min(s0)),
        p(if s0 == 0 { 0 } else { s0 + 1 })
    );
    // Brown clusters (Koo et al. 2008): 4-/6-bit prefixes and full paths of
    // s0, s1, b0, b1, alone and with tags; they back off from rare words
    // and make attachment less dependent on the predicted tags.
    if a.cluster.is_empty() {
        return;
    }
    let c = |t: usize| a.cluster[t];
    let (s0c, s1c, b0c, b1c) = (c(s0), c(s1), c(b0), c(b1));
    f!(s0c[0]);
    f!(s0c[1]);
    f!(s0c[2]);
    f!(b0c[0]);
    f!(b0c[1]);
    f!(b0c[2]);
    f!(s1c[1]);
    f!(b1c[1]);
    f!(s0c[0], b0c[0]);
    f!(s0c[1], b0p);
    f!(s0p, b0c[1]);
    f!(s0c[2], b0p);
    f!(s0p, b0c[2]);
    f!(s1c[1], s0p);
    f!(s1p, s0c[1]);
    f!(s1c[0], s0c[0]);
    f!(s0c[0], b0c[0], d);
    f!(b0c[0], b1c[0]);
}

/// Features for labelling the arc `h -> d` being added (`right`: by `Right`,
/// i.e. the head is to the left). `d` has all its children by now.
pub(crate) fn label_features(
    a: &Atoms,
    s: &State,
    h: u32,
    d: u32,
    right: bool,
    out: &mut Vec<u64>,
) {
    out.clear();
    let (h, d) = (h as usize, d as usize);
    let w = |t: usize| a.word[t];
    let p = |t: usize| a.xpos[t];
    let lab = |t: usize| -> u64 {
        if t == 0 {
            0
        } else {
            s.labels[t] as u64 + 1
        }
    };
    let ch = |v: &Vec<u32>, t: usize| -> usize { v[t] as usize };
    let dir = 1000 + right as u64;
    let (dw, dp, du) = (w(d), p(d), a.upos[d]);
    let (hw, hp, hu) = (w(h), p(h), a.upos[h]);
    let dist = dist_bucket(h as u32, d as u32);
    let dl1 = ch(&s.l1, d);
    let dr1 = ch(&s.r1, d);
    let dl2 = ch(&s.l2, d);
    let b0 = s.buf(0) as usize;
    // `d` and `h` are both words or ROOT, so `d - 1` / `d + 1` stay in range.
    let dprev = d - 1;
    let dnext = d + 1;
    let n1 = s.n as usize + 1;
    let dnext = if dnext > n1 { 0 } else { dnext };

    let mut t = 500u64;
    macro_rules! f {
        ($($x:expr),+) => {{
            t += 1;
            out.push(fx(t, &[dir, $($x),+]));
        }};
    }
    f!(1);
    f!(dw);
    f!(dp);
    f!(du);
    f!(wp(dw, dp));
    f!(hw);
    f!(hp);
    f!(wp(hw, hp));
    f!(dp, hp);
    f!(du, hu);
    f!(dw, hp);
    f!(dp, hw);
    f!(dw, hw);
    f!(dp, hp, dist);
    f!(dw, dist);
    f!(dp, s.lset[d]);
    f!(dp, s.rset[d]);
    f!(dp, s.lset[d], s.rset[d]);
    f!(dp, hp, s.lset[d]);
    f!(w(dl1));
    f!(dp, w(dl1));
    f!(dp, p(dl1), lab(dl1));
    f!(dw, w(dl1));
    f!(dp, hp, w(dl1));
    f!(dp, w(dr1));
    f!(dp, p(dr1), lab(dr1));
    f!(dp, p(dl2), lab(dl2));
    f!(hp, s.lset[h]);
    f!(hp, s.rset[h]);
    f!(dp, hp, s.lset[h], s.rset[h]);
    f!(dp, hp, p(b0));
    f!(dp, p(dprev), p(dnext));
    f!(dp, hp, p(dprev));
    f!(dp, s.nl[d] as u64, s.nr[d] as u64);
    f!(hw, dw, w(dl1));
    f!(du, hu, s.lset[d]);
    f!(p(s.s(1) as usize), hp, dp);
    // Word-internal evidence for when the tag is wrong (an adjective tagged
    // as a noun: `amod` vs `compound`): suffix and casing of the dependent.
    let (ds, dc) = (a.suffix[d], a.case[d]);
    f!(ds);
    f!(ds, hp);
    f!(ds, dp);
    f!(dc, dp, hp);
    f!(ds, dc, dist);
    // Brown clusters of the dependent and the head.
    if a.cluster.is_empty() {
        return;
    }
    let (dk, hk) = (a.cluster[d], a.cluster[h]);
    f!(dk[0]);
    f!(dk[1]);
    f!(dk[2]);
    f!(hk[1]);
    f!(dk[1], hp);
    f!(dp, hk[1]);
    f!(dk[2], hp);
    f!(dk[0], hk[0], dist);
}

#[inline(always)]
fn fx(t: u64, xs: &[u64]) -> u64 {
    match *xs {
        [a] => f1(t, a),
        [a, b] => f2(t, a, b),
        [a, b, c] => f3(t, a, b, c),
        [a, b, c, d] => f4(t, a, b, c, d),
        _ => {
            let mut h = t;
            for &x in xs {
                h = mix(h, x);
            }
            fin(mix(h, 0))
        }
    }
}
