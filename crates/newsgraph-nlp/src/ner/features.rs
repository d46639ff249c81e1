//! Feature extraction for the entity recogniser: per-token atoms computed once per
//! sentence, document-level memories, and the hashed feature templates.

use newsgraph_learn::hash::{hash_lowercase, FeatureBuf, StrHasher};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use newsgraph_core::{Upos, Xpos};

use super::clusters::WordClusters;
use super::gazetteer::{GazKind, Gazetteer};
use super::N_LABELS;

/// Optional feature groups (kept in the model so a model extracts what it was trained on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSet {
    /// Gazetteer matches (typed by list, with B/I/L/U position).
    pub gazetteer: bool,
    /// The labels predicted earlier in the document for the same word.
    pub history: bool,
    /// How the word is cased elsewhere in the document.
    pub doc_case: bool,
    /// Decode each document twice; the second pass sees the first pass's labels
    /// of the same word anywhere in the document.
    #[serde(default)]
    pub two_pass: bool,
    /// Part-of-speech tags from the tagger ([`crate::Tagger`]) as features.
    #[serde(default)]
    pub pos_tags: bool,
}

impl Default for FeatureSet {
    fn default() -> Self {
        FeatureSet {
            gazetteer: true,
            history: true,
            doc_case: false,
            two_pass: true,
            pos_tags: false,
        }
    }
}

// Token flags.
const CAP: u8 = 1;
const ALL_CAPS: u8 = 2;
const DIGIT: u8 = 4;
const LOWER: u8 = 8;
const PUNCT_ONLY: u8 = 16;

/// Per-token atoms, hashed once.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tok {
    w: u64,
    pub(crate) lw: u64,
    shape: u64,
    pre: [u64; 4],
    suf: [u64; 4],
    pub(crate) flags: u8,
    gaz: u64,
    /// Cluster ids (coarse to fine), `NO_CLUSTER` when the word has none.
    cl: [u16; MAX_LEVELS],
    /// XPOS + 1 from the tagger, 0 when not tagged.
    pos: u8,
}

pub(crate) const MAX_LEVELS: usize = 3;
const NO_CLUSTER: u16 = u16::MAX;

impl Tok {
    #[inline]
    pub(crate) fn capitalised(&self) -> bool {
        self.flags & CAP != 0
    }
}

fn tok_atoms(word: &str) -> Tok {
    let mut t = Tok {
        w: newsgraph_learn::hash_str(word),
        lw: hash_lowercase(word),
        ..Default::default()
    };
    let mut shape = StrHasher::new();
    let mut last = '\0';
    let (mut upper, mut lower, mut digit, mut other) = (0, 0, 0, 0);
    let mut pre = StrHasher::new();
    for (i, c) in word.chars().enumerate() {
        let m = if c.is_uppercase() {
            upper += 1;
            'X'
        } else if c.is_lowercase() {
            lower += 1;
            'x'
        } else if c.is_ascii_digit() {
            digit += 1;
            'd'
        } else {
            other += 1;
            c
        };
        if i == 0 && m == 'X' {
            t.flags |= CAP;
        }
        if i == 0 && m == 'x' {
            t.flags |= LOWER;
        }
        if m != last {
            shape.write_char(m);
            last = m;
        }
        if i < 4 {
            pre.write_char(c);
            t.pre[i] = pre.finish();
        }
    }
    let mut suf = StrHasher::new();
    for (i, c) in word.chars().rev().take(4).enumerate() {
        suf.write_char(c);
        t.suf[i] = suf.finish();
    }
    if upper > 0 && lower == 0 {
        t.flags |= ALL_CAPS;
    }
    if digit > 0 {
        t.flags |= DIGIT;
    }
    if upper + lower + digit == 0 && other > 0 {
        t.flags |= PUNCT_ONLY;
    }
    t.shape = shape.finish();
    t
}

/// `hash_str` of the word with its first letter kept and the rest lowercased.
fn title_case_hash(word: &str) -> u64 {
    let mut h = StrHasher::new();
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        h.write_char(c);
    }
    for c in chars {
        for l in c.to_lowercase() {
            h.write_char(l);
        }
    }
    h.finish()
}

// Template ids.
const T_BIAS: u32 = 0;
const T_W: u32 = 1;
const T_LW: u32 = 2;
const T_SHAPE: u32 = 3;
const T_PRE: u32 = 4; // + 0..4
const T_SUF: u32 = 8; // + 0..4
const T_LW_AT: u32 = 12; // + 0..4 for offsets -2, -1, +1, +2
const T_SHAPE_AT: u32 = 16; // + 0..4
const T_SHAPE3: u32 = 20;
const T_BIGRAM_L: u32 = 21;
const T_BIGRAM_R: u32 = 22;
const T_PREV: u32 = 23;
const T_PREV2: u32 = 24;
const T_PREV_LW: u32 = 25;
const T_PREV_SHAPE: u32 = 26;
const T_INITIAL_LW: u32 = 27;
const T_INITIAL_SHAPE: u32 = 28;
const T_POSITION: u32 = 29;
const T_CAPS_LINE_LW: u32 = 30;
const T_CAPS_LINE_SHAPE: u32 = 31;
const T_CAP_PATTERN: u32 = 32;
const T_GAZ: u32 = 33;
const T_GAZ_M1: u32 = 34;
const T_GAZ_P1: u32 = 35;
const T_GAZ_SHAPE: u32 = 36;
const T_TITLE_BEFORE: u32 = 37;
const T_HIST: u32 = 38;
const T_HIST_SHAPE: u32 = 39;
const T_DOC_CASE: u32 = 40;
const T_DOC_CASE_LW: u32 = 41;
const T_SUF_M1: u32 = 42;
const T_SUF_P1: u32 = 43;
const T_PREV_LW_M1: u32 = 44;
const T_W_P1: u32 = 45;
const T_W_M1: u32 = 46;
const T_CL: u32 = 47; // + level
const T_CL_M1: u32 = 50; // + level
const T_CL_P1: u32 = 53; // + level
const T_CL_PREV: u32 = 56;
const T_CL_M2: u32 = 57;
const T_CL_P2: u32 = 58;
const T_AGG: u32 = 59;
const T_AGG_SHAPE: u32 = 60;
const T_AGG_NEXT: u32 = 61;
const T_POS: u32 = 62;
const T_POS_M1: u32 = 63;
const T_POS_P1: u32 = 64;
const T_POS_BIGRAM: u32 = 65;
const T_POS_LW: u32 = 66;

const START: u64 = N_LABELS as u64;
const NONE: u64 = u64::MAX;

const TITLE_END: u64 =
    (1 << (GazKind::Title as usize * 4 + 2)) | (1 << (GazKind::Title as usize * 4 + 3));

/// Document-level state: what the recogniser remembers while reading one document.
#[derive(Debug, Default)]
pub(crate) struct DocState {
    /// Lowercase hash -> counts of [O, PER, ORG, LOC, MISC] predicted for capitalised occurrences.
    pub(crate) history: FxHashMap<u64, [u16; 5]>,
    /// Lowercase hash -> how the word is cased in the document (bits: 1 lowercase-initial,
    /// 2 capitalised mid-sentence in a mixed-case sentence).
    case: FxHashMap<u64, u8>,
    /// Second pass: lowercase hash -> counts of [O, PER, ORG, LOC, MISC] over the whole
    /// document from the first pass (capitalised occurrences).
    pub(crate) agg: FxHashMap<u64, [u16; 5]>,
    pub(crate) second_pass: bool,
}

#[inline]
pub(crate) fn class_type(label: usize) -> usize {
    if label == 0 {
        0
    } else {
        1 + (label - 1) / 4
    }
}

/// Scratch buffers for one sentence.
#[derive(Debug, Default)]
pub(crate) struct Extractor {
    pub(crate) toks: Vec<Tok>,
    lower: Vec<u64>,
    caps: Vec<bool>,
    gaz: Vec<u64>,
    caps_line: bool,
    /// Number of cluster levels of the model (0: no cluster features).
    levels: usize,
    pub(crate) feats: FeatureBuf,
}

fn is_caps_line(toks: &[Tok]) -> bool {
    let mut letters = 0;
    for t in toks {
        if t.flags & LOWER != 0 || (t.flags & CAP != 0 && t.flags & ALL_CAPS == 0) {
            return false;
        }
        if t.flags & ALL_CAPS != 0 {
            letters += 1;
        }
    }
    letters > 0
}

impl DocState {
    pub(crate) fn clear(&mut self) {
        self.history.clear();
        self.case.clear();
        self.agg.clear();
        self.second_pass = false;
    }

    /// Record the casing of a whole document before decoding it.
    pub(crate) fn scan_case<'a>(&mut self, sentences: impl Iterator<Item = &'a [&'a str]>) {
        for words in sentences {
            let toks: Vec<Tok> = words.iter().map(|w| tok_atoms(w)).collect();
            if is_caps_line(&toks) {
                continue;
            }
            for (i, t) in toks.iter().enumerate() {
                let bit = if t.flags & LOWER != 0 {
                    1
                } else if i > 0 && t.flags & CAP != 0 {
                    2
                } else {
                    0
                };
                if bit != 0 {
                    *self.case.entry(t.lw).or_default() |= bit;
                }
            }
        }
    }

    /// Remember the label predicted for a capitalised token.
    #[inline]
    pub(crate) fn record(&mut self, tok: &Tok, label: usize) {
        if tok.capitalised() {
            let ty = class_type(label);
            let c = &mut self.history.entry(tok.lw).or_default()[ty];
            *c = c.saturating_add(1);
        }
    }
}

impl Extractor {
    /// Compute the atoms of a sentence's tokens.
    pub(crate) fn prepare(
        &mut self,
        words: &[&str],
        gazetteer: &Gazetteer,
        clusters: &WordClusters,
        tags: Option<&[(Upos, Xpos)]>,
        set: &FeatureSet,
    ) {
        self.toks.clear();
        self.toks.extend(words.iter().map(|w| tok_atoms(w)));
        if let Some(tags) = tags.filter(|_| set.pos_tags) {
            for (t, &(_, x)) in self.toks.iter_mut().zip(tags) {
                t.pos = x as u8 + 1;
            }
        }
        self.levels = clusters.levels().min(MAX_LEVELS);
        if self.levels > 0 {
            for (t, word) in self.toks.iter_mut().zip(words) {
                t.cl = [NO_CLUSTER; MAX_LEVELS];
                let mut ids = clusters.ids_of_hash(t.w);
                if ids.is_none() && t.flags & ALL_CAPS != 0 {
                    // Headlines: "ROTOR" takes the clusters of "Rotor".
                    ids = clusters.ids_of_hash(title_case_hash(word));
                }
                if let Some(ids) = ids {
                    for (c, &id) in t.cl.iter_mut().zip(ids) {
                        *c = id;
                    }
                }
            }
        }
        self.caps_line = is_caps_line(&self.toks);
        if set.gazetteer {
            self.lower.clear();
            self.lower.extend(self.toks.iter().map(|t| t.lw));
            self.caps.clear();
            self.caps.extend(self.toks.iter().map(|t| t.capitalised()));
            self.gaz.resize(words.len(), 0);
            gazetteer.mark_tokens(&self.lower, &self.caps, &mut self.gaz);
            for (t, &g) in self.toks.iter_mut().zip(&self.gaz) {
                t.gaz = g;
            }
        }
    }

    /// Features of token `i` given the two previous predicted labels (and, in
    /// the second pass, the first pass's labels of this sentence).
    pub(crate) fn features(
        &mut self,
        i: usize,
        prev1: Option<usize>,
        prev2: Option<usize>,
        doc: &DocState,
        first_pass: Option<&[usize]>,
        set: &FeatureSet,
    ) -> &[u64] {
        let toks = &self.toks;
        let f = &mut self.feats;
        f.clear();
        let t = &toks[i];
        let at = |off: isize| -> Option<&Tok> {
            let j = i as isize + off;
            (j >= 0).then(|| toks.get(j as usize)).flatten()
        };
        let lw_or = |o: Option<&Tok>| o.map_or(NONE, |t| t.lw);
        let shape_or = |o: Option<&Tok>| o.map_or(NONE, |t| t.shape);
        let p1 = prev1.map_or(START, |p| p as u64);
        let p2 = prev2.map_or(START, |p| p as u64);

        f.add1(T_BIAS, 0);
        f.add1(T_W, t.w);
        f.add1(T_LW, t.lw);
        f.add1(T_SHAPE, t.shape);
        for k in 0..4 {
            if t.pre[k] != 0 {
                f.add1(T_PRE + k as u32, t.pre[k]);
            }
            if t.suf[k] != 0 {
                f.add1(T_SUF + k as u32, t.suf[k]);
            }
        }
        let (m2, m1, n1, n2) = (at(-2), at(-1), at(1), at(2));
        for (k, o) in [m2, m1, n1, n2].into_iter().enumerate() {
            f.add1(T_LW_AT + k as u32, lw_or(o));
            f.add1(T_SHAPE_AT + k as u32, shape_or(o));
        }
        f.add1(T_W_M1, m1.map_or(NONE, |t| t.w));
        f.add1(T_W_P1, n1.map_or(NONE, |t| t.w));
        f.add3(T_SHAPE3, shape_or(m1), t.shape, shape_or(n1));
        f.add2(T_BIGRAM_L, lw_or(m1), t.lw);
        f.add2(T_BIGRAM_R, t.lw, lw_or(n1));
        f.add1(T_SUF_M1, m1.map_or(NONE, |t| t.suf[2]));
        f.add1(T_SUF_P1, n1.map_or(NONE, |t| t.suf[2]));
        f.add1(T_PREV, p1);
        f.add2(T_PREV2, p1, p2);
        f.add2(T_PREV_LW, p1, t.lw);
        f.add2(T_PREV_SHAPE, p1, t.shape);
        f.add2(T_PREV_LW_M1, p1, lw_or(m1));
        if i == 0 {
            f.add1(T_INITIAL_LW, t.lw);
            f.add1(T_INITIAL_SHAPE, t.shape);
        }
        f.add2(T_POSITION, i.min(3) as u64, t.flags as u64);
        if self.caps_line {
            f.add1(T_CAPS_LINE_LW, t.lw);
            f.add2(T_CAPS_LINE_SHAPE, t.shape, lw_or(m1));
        }
        let cap = |o: Option<&Tok>| o.map_or(3u64, |t| (t.flags & (CAP | ALL_CAPS)) as u64);
        f.add1(
            T_CAP_PATTERN,
            cap(m2) | cap(m1) << 4 | cap(Some(t)) << 8 | cap(n1) << 12 | cap(n2) << 16,
        );
        if self.levels > 0 {
            for level in 0..self.levels {
                let c = |o: Option<&Tok>| o.map_or(NONE, |t| t.cl[level] as u64);
                f.add1(T_CL + level as u32, t.cl[level] as u64);
                f.add1(T_CL_M1 + level as u32, c(m1));
                f.add1(T_CL_P1 + level as u32, c(n1));
            }
            f.add2(T_CL_PREV, p1, t.cl[self.levels - 1] as u64);
            f.add1(T_CL_M2, m2.map_or(NONE, |t| t.cl[0] as u64));
            f.add1(T_CL_P2, n2.map_or(NONE, |t| t.cl[0] as u64));
        }
        if set.pos_tags {
            let pos = |o: Option<&Tok>| o.map_or(NONE, |t| t.pos as u64);
            f.add1(T_POS, t.pos as u64);
            f.add1(T_POS_M1, pos(m1));
            f.add1(T_POS_P1, pos(n1));
            f.add2(T_POS_BIGRAM, t.pos as u64, pos(n1));
            f.add2(T_POS_LW, t.pos as u64, t.lw);
        }
        if set.gazetteer {
            let mut g = t.gaz;
            while g != 0 {
                let b = g.trailing_zeros() as u64;
                g &= g - 1;
                f.add1(T_GAZ, b);
                f.add2(T_GAZ_SHAPE, b, t.shape);
            }
            for (tmpl, o) in [(T_GAZ_M1, m1), (T_GAZ_P1, n1)] {
                let mut g = o.map_or(0, |t| t.gaz);
                while g != 0 {
                    let b = g.trailing_zeros() as u64;
                    g &= g - 1;
                    f.add1(tmpl, b);
                }
            }
            if m1.is_some_and(|m| m.gaz & TITLE_END != 0) {
                f.add1(T_TITLE_BEFORE, t.shape);
            }
        }
        if set.history && t.capitalised() {
            if let Some(c) = doc.history.get(&t.lw) {
                // The most frequent entity type, else O.
                let mut best = 0;
                for ty in 1..5 {
                    if c[ty] > 0 && (best == 0 || c[ty] > c[best]) {
                        best = ty;
                    }
                }
                f.add1(T_HIST, best as u64);
                f.add2(T_HIST_SHAPE, best as u64, t.shape);
            }
        }
        if let (true, Some(first)) = (doc.second_pass, first_pass) {
            if t.capitalised() {
                if let Some(c) = doc.agg.get(&t.lw) {
                    let mut c = *c;
                    let own = class_type(first[i]);
                    c[own] = c[own].saturating_sub(1);
                    let mut best = usize::MAX;
                    for ty in 0..5 {
                        if c[ty] > 0 && (best == usize::MAX || best == 0 || c[ty] > c[best]) {
                            best = ty;
                        }
                    }
                    if best != usize::MAX {
                        f.add1(T_AGG, best as u64);
                        f.add2(T_AGG_SHAPE, best as u64, t.shape);
                    }
                }
            }
            f.add1(T_AGG_NEXT, first.get(i + 1).map_or(START, |&c| c as u64));
        }
        if set.doc_case && t.flags & (CAP | ALL_CAPS) != 0 {
            let c = doc.case.get(&t.lw).copied().unwrap_or(0) as u64;
            let ctx = (i == 0) as u64 | (self.caps_line as u64) << 1;
            f.add2(T_DOC_CASE, c, ctx);
            f.add2(T_DOC_CASE_LW, c, t.lw);
        }
        f.as_slice()
    }
}
