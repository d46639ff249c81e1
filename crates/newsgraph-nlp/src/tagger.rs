//! Part-of-speech tagger: one greedy left-to-right averaged perceptron that
//! predicts the (UPOS, XPOS) pair of each word as one class.
//!
//! Features follow Honnibal's tagger (word, lowercase, prefixes, suffixes,
//! shape, the two previous predicted tags, the words two to the left and
//! right), plus a tag dictionary that answers for frequent unambiguous words
//! without scoring. Per-token atoms (hashes of the word, its lowercase form,
//! affixes and shape) are computed once per sentence; the hot loop hashes
//! integers only.
//!
//! Word clusters (Brown clusters computed by `newsgraph train clusters` from
//! unlabeled text, `models/clusters.bin`) add prefix features of 4, 6, 10 and 20
//! bits of the word's path and its neighbours'. The tagger file carries its own
//! copy of the clusters it was trained with, so it never depends on a
//! different clusters file; [`clusters`] is the shipped one, for other stages.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::Instant;

use newsgraph_core::conllu::Sentence;
use newsgraph_core::{Upos, Xpos};
use newsgraph_learn::clusters::prefix as cluster_prefix;
use newsgraph_learn::hash::{hash_str, FeatureBuf, StrHasher};
use newsgraph_learn::{
    argmax, format, Clusters, Model, ModelError, Perceptron, TrainOptions, TrainReport,
};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::lemmatizer::Lemmatizer;

/// Feature-template sets of the tagger; the model file's kind names the set
/// it was trained with (`tagger-v2`, `tagger-v3`), so a file always predicts
/// with its own templates. Add a variant (and a kind) when features change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TaggerTemplates {
    /// Session 4: 34 word/tag templates, 8 Brown-cluster templates, and 7
    /// second-pass templates.
    #[default]
    V2,
    /// V2 plus three cluster conjunctions in both passes: the word's 6-bit
    /// cluster prefix x its suffix-3, x the next word's 6-bit prefix, and the
    /// previous tag x the word's 10-bit prefix.
    V3,
}

impl TaggerTemplates {
    /// Every set, oldest first.
    pub const ALL: [TaggerTemplates; 2] = [TaggerTemplates::V2, TaggerTemplates::V3];

    /// The model-file kind of a tagger with these templates.
    pub fn kind(self) -> &'static str {
        match self {
            TaggerTemplates::V2 => "tagger-v2",
            TaggerTemplates::V3 => "tagger-v3",
        }
    }

    /// The set named by a number (`2`, `3`), as in `--templates 3`.
    pub fn from_number(n: u32) -> Option<TaggerTemplates> {
        TaggerTemplates::ALL
            .into_iter()
            .find(|t| t.kind().strip_prefix("tagger-v") == Some(&n.to_string()))
    }
}

static BUILTIN_CLUSTERS: &[u8] = crate::embedded::CLUSTERS;

/// The shipped word clusters (`models/clusters.bin`, built into the binary),
/// loaded on first use. Features: `clusters().code(word)` gives the word's path
/// code, `newsgraph_learn::clusters::prefix(code, bits)` its 4/6/10/20-bit prefixes.
/// An unreadable file (a build without clusters) gives empty clusters.
pub fn clusters() -> &'static Clusters {
    static CLUSTERS: OnceLock<Clusters> = OnceLock::new();
    CLUSTERS.get_or_init(|| {
        Clusters::load_from(BUILTIN_CLUSTERS, "models/clusters.bin (built in)").unwrap_or_default()
    })
}

/// Prefix lengths of the cluster features.
const CLUSTER_BITS: [u8; 4] = [4, 6, 10, 20];

/// A tag dictionary entry needs this many occurrences ...
const TAGDICT_MIN_COUNT: u32 = 20;
/// ... with one tag pair at least this often.
const TAGDICT_MIN_SHARE: f64 = 0.995;
/// (UPOS, XPOS) pairs rarer than this in training are mapped to the XPOS's most
/// frequent pair (scaled down for tiny corpora: one per 10,000 words).
const MIN_PAIR_COUNT: u32 = 10;

/// Hashes of the strings a token contributes to features, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
struct Atoms {
    word: u64,
    lower: u64,
    shape: u64,
    prefix: [u64; 3],
    suffix: [u64; 4],
    /// Bit flags: capitalised, all caps, has digit, has hyphen, has period, no letters.
    flags: u64,
    /// Cluster path prefixes of [`CLUSTER_BITS`] bits (a constant for unknown words).
    cluster: [u64; 4],
}

impl Atoms {
    fn padding(name: &str) -> Atoms {
        let h = hash_str(name);
        Atoms {
            word: h,
            lower: h,
            shape: h,
            prefix: [h; 3],
            suffix: [h; 4],
            flags: h,
            cluster: [h; 4],
        }
    }

    fn of(word: &str, lower: &mut String, clusters: &Clusters) -> Atoms {
        lower.clear();
        let mut shape = StrHasher::new();
        let (mut last, mut run) = ('\0', 0);
        let (mut upper, mut letters, mut digit, mut hyphen, mut period) =
            (0, 0, false, false, false);
        let mut first_upper = false;
        for (i, c) in word.chars().enumerate() {
            let s = if c.is_uppercase() {
                upper += 1;
                letters += 1;
                first_upper |= i == 0;
                'X'
            } else if c.is_alphabetic() {
                letters += 1;
                'x'
            } else if c.is_ascii_digit() {
                digit = true;
                'd'
            } else {
                hyphen |= c == '-';
                period |= c == '.';
                c
            };
            // Runs longer than 3 collapse: "Xxxxxxx" and "Xxxx" share a shape.
            if s == last {
                run += 1;
            } else {
                last = s;
                run = 1;
            }
            if run <= 3 {
                shape.write_char(s);
            }
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else {
                lower.extend(c.to_lowercase());
            }
        }
        let flags = (first_upper as u64)
            | ((upper > 1 && upper == letters) as u64) << 1
            | (digit as u64) << 2
            | (hyphen as u64) << 3
            | (period as u64) << 4
            | ((letters == 0) as u64) << 5;
        let mut prefix = [0; 3];
        let mut suffix = [0; 4];
        let n = lower.chars().count();
        let mut ends = lower
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(lower.len()));
        // Prefixes of 1..=3 chars (the whole word when shorter).
        let _ = ends.next();
        let mut last_end = lower.len();
        for p in prefix.iter_mut() {
            last_end = ends.next().unwrap_or(last_end);
            *p = hash_str(&lower[..last_end]);
        }
        let mut starts = lower.char_indices().rev().map(|(i, _)| i);
        let mut start = 0;
        for (k, s) in suffix.iter_mut().enumerate() {
            if k < n {
                start = starts.next().unwrap_or(0);
            }
            *s = hash_str(&lower[start..]);
        }
        let (word, lower) = (hash_str(word), hash_str(lower));
        let code = if clusters.lowercase() {
            clusters.code_of_hash(lower)
        } else {
            clusters
                .code_of_hash(word)
                .or_else(|| clusters.code_of_hash(lower))
        };
        let cluster = match code {
            Some(c) => CLUSTER_BITS.map(|b| cluster_prefix(c, b)),
            None => [NO_CLUSTER; 4],
        };
        Atoms {
            word,
            lower,
            shape: shape.finish(),
            prefix,
            suffix,
            flags,
            cluster,
        }
    }
}

/// Cluster atom of words without a cluster (codes are below 2^21).
const NO_CLUSTER: u64 = u64::MAX - 2;

/// Padding: two atoms before and after the sentence.
const PAD: usize = 2;

fn fill_atoms(words: &[&str], atoms: &mut Vec<Atoms>, lower: &mut String, clusters: &Clusters) {
    atoms.clear();
    let start = Atoms::padding("-START-");
    let end = Atoms::padding("-END-");
    atoms.extend([start, start]);
    for w in words {
        atoms.push(Atoms::of(w, lower, clusters));
    }
    atoms.extend([end, end]);
}

/// Features of the word at `i` (index into the padded atoms), given the two
/// previous predicted classes (`START` before the sentence) and, in the second
/// pass, the first pass's classes of the next two words.
#[inline]
fn features(
    t: TaggerTemplates,
    a: &[Atoms],
    i: usize,
    p1: u64,
    p2: u64,
    next: Option<(u64, u64)>,
    f: &mut FeatureBuf,
) {
    let w = &a[i];
    f.clear();
    f.add1(0, 0);
    f.add1(1, w.word);
    f.add1(2, w.lower);
    f.add1(3, w.suffix[0]);
    f.add1(4, w.suffix[1]);
    f.add1(5, w.suffix[2]);
    f.add1(6, w.suffix[3]);
    f.add1(7, w.prefix[0]);
    f.add1(8, w.prefix[1]);
    f.add1(9, w.prefix[2]);
    f.add1(10, w.shape);
    f.add1(11, w.flags);
    f.add1(12, p1);
    f.add1(13, p2);
    f.add2(14, p1, p2);
    f.add2(15, p1, w.lower);
    f.add1(16, a[i - 1].lower);
    f.add1(17, a[i - 1].suffix[2]);
    f.add1(18, a[i - 2].lower);
    f.add1(19, a[i + 1].lower);
    f.add1(20, a[i + 1].suffix[2]);
    f.add1(21, a[i + 2].lower);
    f.add1(22, a[i + 1].shape);
    f.add1(23, a[i - 1].shape);
    f.add2(24, a[i - 1].lower, w.lower);
    f.add2(25, w.lower, a[i + 1].lower);
    f.add2(26, p1, a[i + 1].lower);
    f.add2(27, p1, w.suffix[2]);
    f.add2(28, w.shape, a[i + 1].shape);
    f.add2(29, p1, w.shape);
    f.add1(30, a[i + 1].suffix[1]);
    f.add1(31, a[i + 1].flags);
    f.add1(32, a[i - 1].word);
    f.add1(33, a[i + 1].word);
    f.add1(50, w.cluster[0]);
    f.add1(51, w.cluster[1]);
    f.add1(52, w.cluster[2]);
    f.add1(53, w.cluster[3]);
    f.add1(54, a[i - 1].cluster[1]);
    f.add1(55, a[i - 1].cluster[3]);
    f.add1(56, a[i + 1].cluster[1]);
    f.add1(57, a[i + 1].cluster[3]);
    if t == TaggerTemplates::V3 {
        f.add2(58, w.cluster[1], w.suffix[2]);
        f.add2(59, w.cluster[1], a[i + 1].cluster[1]);
        f.add2(60, p1, w.cluster[2]);
    }
    if let Some((n1, n2)) = next {
        f.add1(40, n1);
        f.add1(41, n2);
        f.add2(42, n1, n2);
        f.add2(43, p1, n1);
        f.add2(44, n1, w.lower);
        f.add2(45, n1, w.suffix[2]);
        f.add3(46, p1, n1, w.shape);
    }
}

/// One greedy left-to-right pass over a sentence's atoms.
#[allow(clippy::too_many_arguments)]
fn run_pass(
    t: TaggerTemplates,
    model: &Model,
    tagdict: &FxHashMap<u64, u16>,
    atoms: &[Atoms],
    first: Option<&[u16]>,
    closed: Option<&TagConstraints>,
    feats: &mut FeatureBuf,
    scores: &mut Vec<i32>,
    out: &mut Vec<u16>,
) {
    let n = atoms.len() - 2 * PAD;
    scores.resize(model.n_classes(), 0);
    out.clear();
    let (mut p1, mut p2) = (START, START);
    for i in 0..n {
        let a = i + PAD;
        let class = match tagdict.get(&atoms[a].word) {
            Some(&c) => c,
            None => {
                features(t, atoms, a, p1, p2, first.map(|f| next_tags(f, i)), feats);
                model.scores_i32(feats.as_slice(), scores);
                match closed {
                    // Only capitalised words: lowercase ones include the web
                    // text's misspelt auxiliaries ("woul", "shoul").
                    Some(c) if atoms[a].flags & 1 == 1 => c.best(atoms[a].lower, scores),
                    _ => argmax(scores) as u16,
                }
            }
        };
        out.push(class);
        p2 = p1;
        p1 = class as u64;
    }
}

/// First-pass classes of words `i + 1` and `i + 2` (`END` past the sentence).
#[inline]
fn next_tags(first: &[u16], i: usize) -> (u64, u64) {
    let get = |j: usize| first.get(j).map_or(END, |&c| c as u64);
    (get(i + 1), get(i + 2))
}

/// Train one pass on one sentence; returns the number of correct guesses.
fn train_pass(
    t: TaggerTemplates,
    p: &mut Perceptron,
    tagdict: &FxHashMap<u64, u16>,
    atoms: &[Atoms],
    gold: &[u16],
    first: Option<&[u16]>,
    feats: &mut FeatureBuf,
) -> usize {
    let (mut p1, mut p2) = (START, START);
    let mut correct = 0;
    for (i, &g) in gold.iter().enumerate() {
        let a = i + PAD;
        let guess = match tagdict.get(&atoms[a].word) {
            Some(&c) => c,
            None => {
                features(t, atoms, a, p1, p2, first.map(|f| next_tags(f, i)), feats);
                p.train_step(feats.as_slice(), g as usize) as u16
            }
        };
        correct += (guess == g) as usize;
        p2 = p1;
        p1 = guess as u64;
    }
    correct
}

const START: u64 = u64::MAX;
const END: u64 = u64::MAX - 1;

/// Reused per-thread buffers, so tagging allocates nothing per token.
#[derive(Debug, Default)]
struct Scratch {
    atoms: Vec<Atoms>,
    lower: String,
    feats: FeatureBuf,
    scores: Vec<i32>,
    first: Vec<u16>,
    classes: Vec<u16>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The part-of-speech tagger (and the lemmatizer trained with it).
#[derive(Debug, Clone)]
pub struct Tagger {
    /// First pass: left context only.
    model: Model,
    /// Second pass: also sees the first pass's tags of the next two words.
    model2: Model,
    labels: Vec<(Upos, Xpos)>,
    /// Hash of the exact form -> class, for frequent unambiguous words.
    tagdict: FxHashMap<u64, u16>,
    lemmatizer: Lemmatizer,
    store: TaggerStore,
    /// The word clusters the features were trained with.
    clusters: Clusters,
    /// The feature templates the weights belong to (the file's kind).
    templates: TaggerTemplates,
    /// Closed-class constraint applied when tagging (not in training).
    closed: TagConstraints,
}

/// English auxiliaries: the closed class UD tags AUX, with the contracted
/// and clipped forms the tokenizer makes ("'ll", "wo" of "won't", "ca" of
/// "can't"). A capitalised word outside it is never tagged AUX: a
/// sentence-initial unknown noun before a participle ("Gunmen attacked a
/// bus") looked like "Have" to the model.
const AUXILIARIES: &[&str] = &[
    "be", "am", "is", "are", "was", "were", "been", "being", "'s", "s", "`s", "'re", "re", "'m",
    "m", "have", "has", "had", "having", "'ve", "ve", "'d", "d", "do", "does", "did", "doing",
    "will", "'ll", "ll", "wo", "wil", "wilt", "would", "shall", "should", "can", "ca", "could",
    "may", "might", "must", "ought", "get", "gets", "got", "getting", "ai", "r", "art",
];

/// Grammar the tagger enforces when tagging (not in training): classes a
/// word may take only if it is one of a closed list, and the
/// base verb English grammar requires after a modal or infinitival "to".
#[derive(Debug, Clone, Default)]
struct TagConstraints {
    /// Per class: whether it is AUX.
    aux: Vec<bool>,
    /// The (VERB, VB) and (PART, TO) classes.
    base_verb: Option<u16>,
    infinitival_to: Option<u16>,
    /// Hashes of the lowercase auxiliaries, with curly apostrophes as straight ones.
    words: FxHashSet<u64>,
}

impl TagConstraints {
    fn new(labels: &[(Upos, Xpos)]) -> TagConstraints {
        let class = |tags: (Upos, Xpos)| labels.iter().position(|&l| l == tags).map(|c| c as u16);
        TagConstraints {
            aux: labels.iter().map(|&(u, _)| u == Upos::Aux).collect(),
            base_verb: class((Upos::Verb, Xpos::Vb)),
            infinitival_to: class((Upos::Part, Xpos::To)),
            words: AUXILIARIES
                .iter()
                .flat_map(|w| [hash_str(w), hash_str(&w.replace('\'', "\u{2019}"))])
                .collect(),
        }
    }

    /// An adjective between a modal or "to" and the start of a noun phrase
    /// is a base verb ("will free the captives", "urged them to free the
    /// soldiers"): no adjective takes a determiner after it,
    /// and the model, reading left to right, often took "free" for one
    /// and "to" for a preposition.
    fn base_verbs(&self, words: &[&str], labels: &[(Upos, Xpos)], classes: &mut [u16]) {
        let (Some(vb), Some(to)) = (self.base_verb, self.infinitival_to) else {
            return;
        };
        let tags = |c: u16| labels[c as usize];
        for i in 1..classes.len().saturating_sub(1) {
            let (_, x) = tags(classes[i]);
            let (_, next) = tags(classes[i + 1]);
            if x != Xpos::Jj || words[i].eq_ignore_ascii_case("such") {
                continue;
            }
            // After "to", a number may follow a real adjective ("from
            // one-liners to classic three-liners").
            let after_to =
                words[i - 1].eq_ignore_ascii_case("to") && matches!(next, Xpos::Dt | Xpos::PrpS);
            let after_modal = tags(classes[i - 1]).1 == Xpos::Md
                && matches!(next, Xpos::Dt | Xpos::PrpS | Xpos::Cd);
            if after_to || after_modal {
                classes[i] = vb;
                if after_to {
                    classes[i - 1] = to;
                }
            }
        }
    }

    /// The best class for a word (lowercase hash `lower`) given its scores:
    /// the argmax, or the best class outside AUX for a word that is no
    /// auxiliary.
    fn best(&self, lower: u64, scores: &[i32]) -> u16 {
        let top = argmax(scores);
        if !self.aux.get(top).copied().unwrap_or(false) || self.words.contains(&lower) {
            return top as u16;
        }
        scores
            .iter()
            .enumerate()
            .filter(|&(c, _)| !self.aux.get(c).copied().unwrap_or(false))
            .max_by_key(|&(c, &v)| (v, std::cmp::Reverse(c)))
            .map_or(top, |(c, _)| c) as u16
    }
}

/// What the model file holds besides the weights.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct TaggerStore {
    labels: Vec<(String, String)>,
    tagdict: Vec<(String, u16)>,
}

#[derive(Serialize, Deserialize)]
struct TaggerFile {
    store: TaggerStore,
    model: Model,
    model2: Model,
    lemmatizer: Lemmatizer,
    clusters: Clusters,
}

static BUILTIN: &[u8] = crate::embedded::TAGGER;

impl Tagger {
    /// Load a tagger model file's bytes.
    pub fn load(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Self::load_from(bytes, "tagger model")
    }

    /// Load, naming the file in errors.
    /// Files of every [`TaggerTemplates`] kind load; a file of another kind
    /// is an error naming the newest tagger kind.
    pub fn load_from(bytes: &[u8], origin: &str) -> Result<Tagger, ModelError> {
        let (mut templates, mut decoded) = (TaggerTemplates::default(), None);
        for t in TaggerTemplates::ALL.into_iter().rev() {
            match format::decode::<TaggerFile>(bytes, t.kind(), origin) {
                Err(ModelError::Kind { found, .. })
                    if TaggerTemplates::ALL.iter().any(|o| o.kind() == found) => {}
                other => {
                    templates = t;
                    decoded = Some(other);
                    break;
                }
            }
        }
        let file = decoded.expect("the oldest kind decodes or errs")?;
        let corrupt = |reason: String| ModelError::Corrupt {
            origin: origin.to_string(),
            kind: templates.kind().to_string(),
            reason,
        };
        if file.model.n_classes() != file.store.labels.len()
            || file.model2.n_classes() != file.store.labels.len()
        {
            return Err(corrupt(format!(
                "{} classes in the weights, {} labels",
                file.model.n_classes(),
                file.store.labels.len()
            )));
        }
        Tagger::assemble(
            file.store,
            file.model,
            file.model2,
            file.lemmatizer,
            file.clusters,
            templates,
        )
        .map_err(corrupt)
    }

    /// The model shipped in `models/tagger.bin`, built into the binary.
    pub fn builtin() -> Result<Tagger, ModelError> {
        Self::load_from(BUILTIN, "models/tagger.bin (built in)")
    }

    fn assemble(
        store: TaggerStore,
        model: Model,
        model2: Model,
        lemmatizer: Lemmatizer,
        clusters: Clusters,
        templates: TaggerTemplates,
    ) -> Result<Tagger, String> {
        let mut labels = Vec::with_capacity(store.labels.len());
        for (u, x) in &store.labels {
            let upos = Upos::from_str(u).ok_or_else(|| format!("unknown UPOS `{u}`"))?;
            let xpos = Xpos::from_str(x).ok_or_else(|| format!("unknown XPOS `{x}`"))?;
            labels.push((upos, xpos));
        }
        let tagdict = store
            .tagdict
            .iter()
            .map(|(w, c)| (hash_str(w), *c))
            .collect();
        let lemmatizer = lemmatizer.with_vocabulary(clusters.iter().map(|(w, _)| w));
        let closed = TagConstraints::new(&labels);
        Ok(Tagger {
            closed,
            model,
            model2,
            labels,
            tagdict,
            lemmatizer,
            store,
            clusters,
            templates,
        })
    }

    /// The model file's bytes.
    pub fn save(&self) -> Result<Vec<u8>, ModelError> {
        format::encode(
            self.templates.kind(),
            &TaggerFile {
                store: self.store.clone(),
                model: self.model.clone(),
                model2: self.model2.clone(),
                lemmatizer: self.lemmatizer.clone(),
                clusters: self.clusters.clone(),
            },
        )
    }

    pub fn lemmatizer(&self) -> &Lemmatizer {
        &self.lemmatizer
    }

    /// The (UPOS, XPOS) classes the tagger predicts.
    pub fn labels(&self) -> &[(Upos, Xpos)] {
        &self.labels
    }

    /// The feature templates of this model (named by its file's kind).
    pub fn templates(&self) -> TaggerTemplates {
        self.templates
    }

    /// The word clusters the tagger's features use (its own copy).
    pub fn clusters(&self) -> &Clusters {
        &self.clusters
    }

    /// Number of feature rows in the model.
    pub fn n_features(&self) -> usize {
        self.model.n_features() + self.model2.n_features()
    }

    /// Number of words answered by the tag dictionary.
    pub fn tagdict_len(&self) -> usize {
        self.tagdict.len()
    }

    /// Tag one sentence: `out` is cleared and gets one (UPOS, XPOS) per word.
    pub fn tag(&self, words: &[&str], out: &mut Vec<(Upos, Xpos)>) {
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            self.tag_classes(words, s);
            out.clear();
            out.extend(s.classes.iter().map(|&c| self.labels[c as usize]));
        })
    }

    fn tag_classes(&self, words: &[&str], s: &mut Scratch) {
        fill_atoms(words, &mut s.atoms, &mut s.lower, &self.clusters);
        run_pass(
            self.templates,
            &self.model,
            &self.tagdict,
            &s.atoms,
            None,
            Some(&self.closed),
            &mut s.feats,
            &mut s.scores,
            &mut s.first,
        );
        run_pass(
            self.templates,
            &self.model2,
            &self.tagdict,
            &s.atoms,
            Some(&s.first),
            Some(&self.closed),
            &mut s.feats,
            &mut s.scores,
            &mut s.classes,
        );
        self.closed.base_verbs(words, &self.labels, &mut s.classes);
    }
}

/// Tag classes of a training corpus: the label set and each word's gold class.
struct Labels {
    labels: Vec<(Upos, Xpos)>,
    index: FxHashMap<(Upos, Xpos), u16>,
    /// Most frequent pair per XPOS, for rare pairs.
    by_xpos: FxHashMap<Xpos, u16>,
}

fn word_tags(w: &newsgraph_core::conllu::Word) -> (Upos, Xpos) {
    (
        Upos::from_str(&w.upos).unwrap_or(Upos::X),
        Xpos::from_str(&w.xpos).unwrap_or(Xpos::Xx),
    )
}

impl Labels {
    fn from_corpus(train: &[&Sentence]) -> Labels {
        let mut counts: FxHashMap<(Upos, Xpos), u32> = FxHashMap::default();
        for s in train {
            for w in &s.words {
                *counts.entry(word_tags(w)).or_default() += 1;
            }
        }
        let mut pairs: Vec<_> = counts.iter().map(|(&p, &c)| (p, c)).collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let total: u32 = counts.values().sum();
        let min_count = (total / 10_000).clamp(1, MIN_PAIR_COUNT);
        let mut labels = Vec::new();
        let mut index = FxHashMap::default();
        let mut by_xpos = FxHashMap::default();
        for &(p, c) in &pairs {
            if c >= min_count || !by_xpos.contains_key(&p.1) {
                index.insert(p, labels.len() as u16);
                by_xpos.entry(p.1).or_insert(labels.len() as u16);
                labels.push(p);
            }
        }
        Labels {
            labels,
            index,
            by_xpos,
        }
    }

    fn class(&self, tags: (Upos, Xpos)) -> u16 {
        self.index
            .get(&tags)
            .or_else(|| self.by_xpos.get(&tags.1))
            .copied()
            .unwrap_or(0)
    }
}

fn build_tagdict(train: &[&Sentence], labels: &Labels) -> Vec<(String, u16)> {
    let mut counts: FxHashMap<&str, FxHashMap<u16, u32>> = FxHashMap::default();
    for s in train {
        for w in &s.words {
            *counts
                .entry(w.form.as_str())
                .or_default()
                .entry(labels.class(word_tags(w)))
                .or_default() += 1;
        }
    }
    let mut out: Vec<(String, u16)> = counts
        .into_iter()
        .filter_map(|(word, tags)| {
            let total: u32 = tags.values().sum();
            let (&class, &n) = tags
                .iter()
                .max_by_key(|(&c, &n)| (n, std::cmp::Reverse(c)))?;
            (total >= TAGDICT_MIN_COUNT && n as f64 / total as f64 >= TAGDICT_MIN_SHARE)
                .then(|| (word.to_string(), class))
        })
        .collect();
    out.sort();
    out
}

/// What training produced: the per-epoch log and the final dev scores.
#[derive(Debug, Clone, Serialize)]
pub struct TaggerTrainReport {
    pub first_pass: TrainReport,
    pub second_pass: TrainReport,
    pub dev: PosEval,
    pub n_classes: usize,
    pub n_features: usize,
    pub tagdict_words: usize,
    pub lemma_exceptions: usize,
    pub lemma_suffix_rules: usize,
}

/// Train a tagger (and its lemmatizer) on `train`, choosing each pass's epoch
/// by UPOS accuracy on `dev`. `corpora` are training treebanks in priority
/// order (the first one's lemma conventions win where they disagree).
///
/// The second pass learns from first-pass tags of the training data that were
/// predicted by models that did not see those sentences (two-fold jack-knifing),
/// so it learns to trust them as much as they deserve.
pub fn train_tagger(
    corpora: &[&[Sentence]],
    dev: &[Sentence],
    opts: &TrainOptions,
) -> (Tagger, TaggerTrainReport) {
    train_tagger_with(corpora, dev, opts, TaggerTemplates::default())
}

/// [`train_tagger`] with a chosen template set.
pub fn train_tagger_with(
    corpora: &[&[Sentence]],
    dev: &[Sentence],
    opts: &TrainOptions,
    templates: TaggerTemplates,
) -> (Tagger, TaggerTrainReport) {
    let train: Vec<&Sentence> = corpora.iter().flat_map(|c| c.iter()).collect();
    let dev: Vec<&Sentence> = dev.iter().collect();
    let (train, dev) = (&train[..], &dev[..]);
    let labels = Labels::from_corpus(train);
    let tagdict = build_tagdict(train, &labels);
    let lemmatizer = Lemmatizer::train(corpora);
    let store = TaggerStore {
        labels: labels
            .labels
            .iter()
            .map(|(u, x)| (u.as_str().to_string(), x.as_str().to_string()))
            .collect(),
        tagdict,
    };
    let n = labels.labels.len();
    let empty = Perceptron::new(n).finalize(&opts.finalize);
    let clusters = clusters().clone();
    let mut tagger = Tagger::assemble(store, empty.clone(), empty, lemmatizer, clusters, templates)
        .expect("labels come from the enums");
    let mut lower = String::new();
    let mut atoms_of = |sents: &[&Sentence]| -> Vec<Vec<Atoms>> {
        sents
            .iter()
            .map(|s| {
                let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                let mut a = Vec::new();
                fill_atoms(&words, &mut a, &mut lower, &tagger.clusters);
                a
            })
            .collect()
    };
    let train_atoms = atoms_of(train);
    let dev_atoms = atoms_of(dev);
    let gold: Vec<Vec<u16>> = train
        .iter()
        .map(|s| s.words.iter().map(|w| labels.class(word_tags(w))).collect())
        .collect();
    let dev_upos: Vec<Vec<Upos>> = dev
        .iter()
        .map(|s| s.words.iter().map(|w| word_tags(w).0).collect())
        .collect();
    let tagdict = tagger.tagdict.clone();
    let label_upos: Vec<Upos> = labels.labels.iter().map(|p| p.0).collect();

    // Trains one pass on the sentences in `examples`; `first` holds first-pass
    // classes for the second pass.
    let train_one = |examples: &[usize],
                     first: Option<&[Vec<u16>]>,
                     dev_first: Option<&[Vec<u16>]>,
                     what: &str|
     -> (Model, TrainReport) {
        if opts.verbose {
            eprintln!("training {what} on {} sentences", examples.len());
        }
        let mut feats = FeatureBuf::new();
        let mut scores = Vec::new();
        let mut out = Vec::new();
        newsgraph_learn::train(
            &mut Perceptron::new(n),
            examples,
            opts,
            |p, &si| {
                let c = train_pass(
                    templates,
                    p,
                    &tagdict,
                    &train_atoms[si],
                    &gold[si],
                    first.map(|f| f[si].as_slice()),
                    &mut feats,
                );
                (c, gold[si].len())
            },
            |model| {
                let (mut right, mut total) = (0, 0);
                let mut f = FeatureBuf::new();
                for (di, atoms) in dev_atoms.iter().enumerate() {
                    let df = dev_first.map(|d| d[di].as_slice());
                    run_pass(
                        templates,
                        model,
                        &tagdict,
                        atoms,
                        df,
                        None,
                        &mut f,
                        &mut scores,
                        &mut out,
                    );
                    for (g, &c) in dev_upos[di].iter().zip(&out) {
                        right += (*g == label_upos[c as usize]) as usize;
                        total += 1;
                    }
                }
                right as f64 / total.max(1) as f64
            },
        )
    };
    let predict =
        |model: &Model, atoms: &[Vec<Atoms>], which: &[usize], into: &mut Vec<Vec<u16>>| {
            let (mut feats, mut scores) = (FeatureBuf::new(), Vec::new());
            for &si in which {
                run_pass(
                    templates,
                    model,
                    &tagdict,
                    &atoms[si],
                    None,
                    None,
                    &mut feats,
                    &mut scores,
                    &mut into[si],
                );
            }
        };

    // Jack-knifed first-pass tags for the training data.
    let mut first: Vec<Vec<u16>> = vec![Vec::new(); train.len()];
    for fold in 0..2 {
        let (held, rest): (Vec<usize>, Vec<usize>) = (0..train.len()).partition(|i| i % 2 == fold);
        let (m, _) = train_one(
            &rest,
            None,
            None,
            &format!("first pass, fold {}/2", fold + 1),
        );
        predict(&m, &train_atoms, &held, &mut first);
    }
    let all: Vec<usize> = (0..train.len()).collect();
    let (model1, report1) = train_one(&all, None, None, "first pass");
    let mut dev_first: Vec<Vec<u16>> = vec![Vec::new(); dev.len()];
    predict(
        &model1,
        &dev_atoms,
        &(0..dev.len()).collect::<Vec<_>>(),
        &mut dev_first,
    );
    let (model2, report2) = train_one(&all, Some(&first), Some(&dev_first), "second pass");
    tagger.model = model1;
    tagger.model2 = model2;
    let dev_eval = eval_pos(&tagger, tagger.lemmatizer(), dev.iter().copied());
    let (lemma_exceptions, lemma_suffix_rules) = tagger.lemmatizer.sizes();
    let report = TaggerTrainReport {
        first_pass: report1,
        second_pass: report2,
        dev: dev_eval,
        n_classes: n,
        n_features: tagger.n_features(),
        tagdict_words: tagger.tagdict_len(),
        lemma_exceptions,
        lemma_suffix_rules,
    };
    (tagger, report)
}

/// Accuracy of tags and lemmas against a treebank (gold tokenization, predicted
/// tags feeding the lemmatizer). Accuracies are in 0..1 over all words.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PosEval {
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub tokens: usize,
    /// Tagging + lemmatization speed, one thread.
    pub tokens_per_sec: f64,
}

/// Tag and lemmatize every sentence and score against the gold columns.
pub fn eval_pos<'a>(
    tagger: &Tagger,
    lemmatizer: &Lemmatizer,
    sentences: impl IntoIterator<Item = &'a Sentence>,
) -> PosEval {
    let (mut upos, mut xpos, mut lemma, mut tokens) = (0usize, 0usize, 0usize, 0usize);
    let mut words: Vec<&str> = Vec::new();
    let mut tags = Vec::new();
    let mut elapsed = 0.0;
    for sent in sentences {
        words.clear();
        words.extend(sent.words.iter().map(|w| w.form.as_str()));
        let start = Instant::now();
        tagger.tag(&words, &mut tags);
        let mut lemmas_right = 0;
        for ((w, &(u, x)), gold) in words.iter().zip(&tags).zip(&sent.words) {
            lemmas_right += (lemmatizer.lemma(w, u, x) == gold.lemma.as_str()) as usize;
        }
        elapsed += start.elapsed().as_secs_f64();
        lemma += lemmas_right;
        for (gold, &(u, x)) in sent.words.iter().zip(&tags) {
            upos += (gold.upos == u.as_str()) as usize;
            xpos += (gold.xpos == x.as_str()) as usize;
        }
        tokens += words.len();
    }
    let t = tokens.max(1) as f64;
    PosEval {
        upos: upos as f64 / t,
        xpos: xpos as f64 / t,
        lemma: lemma as f64 / t,
        tokens,
        tokens_per_sec: if elapsed > 0.0 {
            tokens as f64 / elapsed
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_core::conllu;

    /// Our own sentences, in CoNLL-U (ID FORM LEMMA UPOS XPOS; other columns empty).
    fn tiny_corpus() -> Vec<Sentence> {
        let sents: &[&[(&str, &str, &str, &str)]] = &[
            &[
                ("Ministers", "minister", "NOUN", "NNS"),
                ("met", "meet", "VERB", "VBD"),
                ("in", "in", "ADP", "IN"),
                ("Geneva", "Geneva", "PROPN", "NNP"),
                ("on", "on", "ADP", "IN"),
                ("Monday", "Monday", "PROPN", "NNP"),
                (".", ".", "PUNCT", "."),
            ],
            &[
                ("The", "the", "DET", "DT"),
                ("army", "army", "NOUN", "NN"),
                ("annexed", "annex", "VERB", "VBD"),
                ("the", "the", "DET", "DT"),
                ("region", "region", "NOUN", "NN"),
                (".", ".", "PUNCT", "."),
            ],
            &[
                ("Talks", "talk", "NOUN", "NNS"),
                ("were", "be", "AUX", "VBD"),
                ("n't", "not", "PART", "RB"),
                ("held", "hold", "VERB", "VBN"),
                ("in", "in", "ADP", "IN"),
                ("Oslo", "Oslo", "PROPN", "NNP"),
                (".", ".", "PUNCT", "."),
            ],
            &[
                ("She", "she", "PRON", "PRP"),
                ("talks", "talk", "VERB", "VBZ"),
                ("to", "to", "ADP", "IN"),
                ("the", "the", "DET", "DT"),
                ("ministers", "minister", "NOUN", "NNS"),
                ("on", "on", "ADP", "IN"),
                ("Monday", "Monday", "PROPN", "NNP"),
                (".", ".", "PUNCT", "."),
            ],
        ];
        let mut text = String::new();
        for s in sents {
            for (i, (form, lemma, upos, xpos)) in s.iter().enumerate() {
                text.push_str(&format!(
                    "{}\t{form}\t{lemma}\t{upos}\t{xpos}\t_\t_\t_\t_\t_\n",
                    i + 1
                ));
            }
            text.push('\n');
        }
        conllu::parse(&text).unwrap()
    }

    fn words(s: &Sentence) -> Vec<&str> {
        s.words.iter().map(|w| w.form.as_str()).collect()
    }

    fn tiny_tagger() -> Tagger {
        tiny_tagger_with(TaggerTemplates::default())
    }

    fn tiny_tagger_with(templates: TaggerTemplates) -> Tagger {
        let corpus = tiny_corpus();
        let opts = TrainOptions {
            epochs: 10,
            patience: 10,
            finalize: newsgraph_learn::FinalizeOptions {
                min_count: 1,
                prune: 0.0,
            },
            verbose: false,
            ..Default::default()
        };
        train_tagger_with(&[&corpus], &corpus, &opts, templates).0
    }

    #[test]
    fn each_template_set_saves_under_its_own_kind() {
        let corpus = tiny_corpus();
        let v2 = tiny_tagger_with(TaggerTemplates::V2);
        let v3 = tiny_tagger_with(TaggerTemplates::V3);
        assert!(v3.n_features() > v2.n_features());
        for (tagger, kind) in [(&v2, "tagger-v2"), (&v3, "tagger-v3")] {
            let bytes = tagger.save().unwrap();
            assert!(bytes.windows(kind.len()).any(|w| w == kind.as_bytes()));
            let back = Tagger::load(&bytes).unwrap();
            assert_eq!(back.templates(), tagger.templates());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for s in &corpus {
                tagger.tag(&words(s), &mut a);
                back.tag(&words(s), &mut b);
                assert_eq!(a, b);
            }
            assert_eq!(back.save().unwrap(), bytes);
        }
        assert_eq!(TaggerTemplates::from_number(2), Some(TaggerTemplates::V2));
        assert_eq!(TaggerTemplates::from_number(3), Some(TaggerTemplates::V3));
        assert_eq!(TaggerTemplates::from_number(4), None);
    }

    #[test]
    fn overfits_saves_and_reloads() {
        let corpus = tiny_corpus();
        let tagger = tiny_tagger();
        let eval = eval_pos(&tagger, tagger.lemmatizer(), &corpus);
        assert_eq!(eval.upos, 1.0, "{eval:?}");
        assert_eq!(eval.xpos, 1.0, "{eval:?}");
        assert_eq!(eval.lemma, 1.0, "{eval:?}");
        let bytes = tagger.save().unwrap();
        let back = Tagger::load(&bytes).unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for s in &corpus {
            tagger.tag(&words(s), &mut a);
            back.tag(&words(s), &mut b);
            assert_eq!(a, b);
        }
        let unseen = ["Diplomats", "met", "in", "Vienna", "."];
        tagger.tag(&unseen, &mut a);
        back.tag(&unseen, &mut b);
        assert_eq!(a, b);
        assert_eq!(back.save().unwrap(), bytes);
    }

    #[test]
    fn one_sentence_at_a_time_equals_a_run_of_sentences() {
        let corpus = tiny_corpus();
        let tagger = tiny_tagger();
        let mut out = Vec::new();
        let in_a_run: Vec<_> = corpus
            .iter()
            .map(|s| {
                tagger.tag(&words(s), &mut out);
                out.clone()
            })
            .collect();
        for (s, expected) in corpus.iter().zip(&in_a_run).rev() {
            // A fresh thread has fresh scratch buffers.
            let got = std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let mut out = Vec::new();
                        tagger.tag(&words(s), &mut out);
                        out
                    })
                    .join()
                    .unwrap()
            });
            assert_eq!(&got, expected);
        }
        tagger.tag(&[], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn rejects_other_models() {
        let err = Tagger::load(b"NGMODEL\0\x07\0\0\0").unwrap_err();
        assert!(err.to_string().contains("format version 7"), "{err}");
        let other = format::encode("parser-v1", &1u8).unwrap();
        let err = Tagger::load_from(&other, "models/parser.bin").unwrap_err();
        assert!(err.to_string().contains("models/parser.bin"), "{err}");
    }

    #[test]
    fn builtin_model_tags_news() {
        let tagger = Tagger::builtin().unwrap();
        let mut tags = Vec::new();
        let s = [
            "Russian", "troops", "annexed", "Crimea", "in", "March", "2014", ".",
        ];
        tagger.tag(&s, &mut tags);
        assert_eq!(tags[0].0, Upos::Adj);
        assert_eq!(tags[1], (Upos::Noun, Xpos::Nns));
        assert_eq!(tags[2], (Upos::Verb, Xpos::Vbd));
        assert_eq!(tags[3].0, Upos::Propn);
        assert_eq!(tags[4], (Upos::Adp, Xpos::In));
        assert_eq!(tags[6], (Upos::Num, Xpos::Cd));
        assert_eq!(tags[7].0, Upos::Punct);

        let s = [
            "The", "minister", "said", "talks", "would", "n't", "resume", ".",
        ];
        tagger.tag(&s, &mut tags);
        assert_eq!(tags[0], (Upos::Det, Xpos::Dt));
        assert_eq!(tags[1], (Upos::Noun, Xpos::Nn));
        assert_eq!(tags[2], (Upos::Verb, Xpos::Vbd));
        assert_eq!(tags[3], (Upos::Noun, Xpos::Nns));
        assert_eq!(tags[4], (Upos::Aux, Xpos::Md));
        assert_eq!(tags[5].0, Upos::Part);
        assert_eq!(tags[6], (Upos::Verb, Xpos::Vb));

        let s = [
            "Kerry", "met", "with", "Putin", "and", "Lavrov", "in", "Sochi", "on", "Tuesday", ".",
        ];
        tagger.tag(&s, &mut tags);
        for i in [0, 3, 5, 7, 9] {
            assert_eq!(tags[i].0, Upos::Propn, "{}", s[i]);
        }
        assert_eq!(tags[1], (Upos::Verb, Xpos::Vbd));
        assert_eq!(tags[4], (Upos::Cconj, Xpos::Cc));
    }

    #[test]
    fn builtin_clusters_group_words() {
        let start = Instant::now();
        let c = clusters();
        eprintln!("{} cluster words loaded in {:?}", c.len(), start.elapsed());
        assert!(c.len() > 10_000, "{}", c.len());
        let p = |w: &str, bits| c.prefix(w, bits).unwrap();
        assert_eq!(p("Monday", 20), p("Tuesday", 20));
        assert_eq!(p("he", 20), p("she", 20));
        assert_eq!(p("Russia", 6), p("France", 6));
        assert_ne!(p("Russia", 4), p("the", 4));
        assert!(c.code("zzzqqq").is_none());
        // The builtin tagger carries the same clusters.
        let tagger = Tagger::builtin().unwrap();
        assert_eq!(tagger.clusters().len(), c.len());
        assert_eq!(tagger.clusters().code("Monday"), c.code("Monday"));
    }

    #[test]
    fn builtin_lemmas() {
        let tagger = Tagger::builtin().unwrap();
        let lem = tagger.lemmatizer();
        assert_eq!(lem.lemma("met", Upos::Verb, Xpos::Vbd), "meet");
        assert_eq!(lem.lemma("annexed", Upos::Verb, Xpos::Vbd), "annex");
        assert_eq!(lem.lemma("Annexed", Upos::Verb, Xpos::Vbd), "annex");
        assert_eq!(lem.lemma("talks", Upos::Noun, Xpos::Nns), "talk");
        assert_eq!(lem.lemma("talks", Upos::Verb, Xpos::Vbz), "talk");
        assert_eq!(lem.lemma("was", Upos::Aux, Xpos::Vbd), "be");
        assert_eq!(lem.lemma("Was", Upos::Aux, Xpos::Vbd), "be");
        assert_eq!(lem.lemma("n't", Upos::Part, Xpos::Rb), "not");
        assert_eq!(lem.lemma("better", Upos::Adj, Xpos::Jjr), "good");
        assert_eq!(lem.lemma("'s", Upos::Aux, Xpos::Vbz), "be");
        assert_eq!(lem.lemma("I", Upos::Pron, Xpos::Prp), "I");
        assert_eq!(lem.lemma("Putin", Upos::Propn, Xpos::Nnp), "Putin");
        assert_eq!(lem.lemma("sanctioned", Upos::Verb, Xpos::Vbn), "sanction");
        assert_eq!(
            lem.lemma("Ukrainians", Upos::Propn, Xpos::Nnps),
            "Ukrainian"
        );
        // Unseen verb forms whose suffix rule makes no word take a known
        // base form ("-ened" words in training are mostly "opened").
        for (form, xpos, lemma) in [
            ("convened", Xpos::Vbd, "convene"),
            ("intervened", Xpos::Vbn, "intervene"),
            ("postponed", Xpos::Vbd, "postpone"),
            ("extradited", Xpos::Vbn, "extradite"),
            ("looted", Xpos::Vbd, "loot"),
            ("shelled", Xpos::Vbd, "shell"),
            ("convening", Xpos::Vbg, "convene"),
            ("opened", Xpos::Vbd, "open"),
            ("happened", Xpos::Vbd, "happen"),
        ] {
            assert_eq!(lem.lemma(form, Upos::Verb, xpos), lemma, "{form}");
        }
        // No allocation when the lemma is the form.
        assert!(matches!(
            lem.lemma("talk", Upos::Verb, Xpos::Vb),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
