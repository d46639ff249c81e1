//! Named-entity recogniser: people, organisations, places and other names (CoNLL-2003 types).
//!
//! [`EntityRecognizer`] labels the words of one document's sentences with
//! BILOU tags (Ratinov & Roth 2009): an averaged perceptron decodes each
//! sentence greedily left to right, with the two previous predictions,
//! gazetteer matches ([`Gazetteer`]) and document-level memories (the
//! labels given earlier to the same word, how the word is cased elsewhere)
//! among its features. Invalid BILOU transitions are never predicted, so
//! spans are well formed. The four CoNLL types are refined into the output
//! contract's types by [`refine_entity_type`].
//!
//! [`train_ner`] trains it on CoNLL-2003-style column files ([`read_conll`]);
//! [`eval_ner`] scores it with conlleval semantics (exact span and type).

pub mod clusters;
mod conll;
mod features;
pub mod gazetteer;
mod unlabeled;

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use newsgraph_core::records::EntityType;
use newsgraph_core::{Upos, Xpos};
use newsgraph_learn::{
    format, FinalizeOptions, Model, ModelError, Perceptron, TrainOptions, TrainReport,
};
use serde::{Deserialize, Serialize};

pub use clusters::{ClusterOptions, WordClusters};
pub use conll::{read_conll, tags_to_spans, ConllDoc, ConllError, ConllSentence};
pub use features::FeatureSet;
pub use gazetteer::{GazEntry, GazKind, Gazetteer, Gender, LexiconError, LexiconFormat};
pub use unlabeled::{read_unlabeled, UnlabeledError};

use crate::Tagger;
use features::{DocState, Extractor};

/// The CoNLL-2003 entity types the recogniser predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityLabel {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityLabel {
    pub const ALL: [EntityLabel; 4] = [
        EntityLabel::Per,
        EntityLabel::Org,
        EntityLabel::Loc,
        EntityLabel::Misc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Misc => "MISC",
        }
    }

    /// Parse `PER`, `ORG`, `LOC` or `MISC`.
    pub fn parse(s: &str) -> Option<EntityLabel> {
        EntityLabel::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl std::fmt::Display for EntityLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entity mention inside a sentence: words `start..end` (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub label: EntityLabel,
}

/// Refine a CoNLL type into the output contract's type with the gazetteer:
/// a LOC naming a country, capital, city or region becomes GPE; a MISC that
/// is a nationality, demonym or religious/ethnic/political group becomes
/// NORP; PER becomes PERSON; the rest keep their type.
pub fn refine_entity_type(label: EntityLabel, words: &[&str], gazetteer: &Gazetteer) -> EntityType {
    let name = |skip_the: bool| {
        let w = match words {
            [first, rest @ ..] if skip_the && first.eq_ignore_ascii_case("the") => rest,
            _ => words,
        };
        w.join(" ")
    };
    let is = |kinds: &[GazKind]| {
        gazetteer.is_a(&name(false), kinds) || gazetteer.is_a(&name(true), kinds)
    };
    match label {
        EntityLabel::Per => EntityType::Person,
        EntityLabel::Org => EntityType::Org,
        EntityLabel::Loc => {
            if is(&[
                GazKind::Country,
                GazKind::Capital,
                GazKind::City,
                GazKind::Region,
            ]) {
                EntityType::Gpe
            } else {
                EntityType::Loc
            }
        }
        EntityLabel::Misc => {
            if is(&[GazKind::Nationality, GazKind::Group]) {
                EntityType::Norp
            } else {
                EntityType::Misc
            }
        }
    }
}

/// Number of BILOU classes: O + {B, I, L, U} x 4 types.
pub(crate) const N_LABELS: usize = 17;

#[inline]
fn label_type(class: usize) -> usize {
    (class - 1) / 4
}

#[inline]
fn label_pos(class: usize) -> usize {
    (class - 1) % 4 // 0 B, 1 I, 2 L, 3 U
}

fn bilou_class(label: EntityLabel, pos: usize) -> usize {
    1 + 4 * label as usize + pos
}

/// Whether `class` may follow `prev` (None = sentence start). Inside an
/// entity of type t, I-t and L-t continue it; O, B-* and U-* are allowed
/// too and close it at the previous token (see [`close`]). Outside an
/// entity, only O, B-* and U-* are allowed.
#[inline]
fn allowed(prev: Option<usize>, class: usize) -> bool {
    if class == 0 || matches!(label_pos(class), 0 | 3) {
        return true;
    }
    prev.is_some_and(|p| p != 0 && label_pos(p) < 2 && label_type(p) == label_type(class))
}

/// The class that ends an entity at this token: B-t becomes U-t, I-t becomes L-t.
#[inline]
fn close(class: usize) -> usize {
    match class {
        0 => 0,
        c if label_pos(c) == 0 => c + 3,
        c if label_pos(c) == 1 => c + 1,
        c => c,
    }
}

/// The best class that may follow `prev`.
#[inline]
fn best_allowed<T: PartialOrd + Copy>(scores: &[T], prev: Option<usize>) -> usize {
    let mut best = 0;
    for c in 1..N_LABELS {
        if allowed(prev, c) && scores[c] > scores[best] {
            best = c;
        }
    }
    best
}

/// Gold BILOU classes of a sentence.
fn gold_classes(n: usize, spans: &[EntitySpan], out: &mut Vec<usize>) {
    out.clear();
    out.resize(n, 0);
    for s in spans {
        if s.end - s.start == 1 {
            out[s.start] = bilou_class(s.label, 3);
        } else {
            out[s.start] = bilou_class(s.label, 0);
            for o in &mut out[s.start + 1..s.end - 1] {
                *o = bilou_class(s.label, 1);
            }
            out[s.end - 1] = bilou_class(s.label, 2);
        }
    }
}

/// Spans of a well-formed BILOU class sequence.
fn classes_to_spans(classes: &[usize], out: &mut Vec<EntitySpan>) {
    out.clear();
    let mut start = 0;
    for (i, &c) in classes.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let label = EntityLabel::ALL[label_type(c)];
        match label_pos(c) {
            0 => start = i,
            2 => out.push(EntitySpan {
                start,
                end: i + 1,
                label,
            }),
            3 => out.push(EntitySpan {
                start: i,
                end: i + 1,
                label,
            }),
            _ => {}
        }
    }
}

const KIND: &str = "ner";
const PAYLOAD_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Payload {
    version: u32,
    features: FeatureSet,
    /// [`Gazetteer::fingerprint`] of the lists the model was trained with.
    gazetteer_fingerprint: u64,
    clusters: WordClusters,
    model: Model,
}

/// The entity recogniser (see the module documentation).
#[derive(Debug, Clone)]
pub struct EntityRecognizer {
    model: Model,
    features: FeatureSet,
    gazetteer_fingerprint: u64,
    clusters: WordClusters,
}

static BUILTIN: &[u8] = crate::embedded::NER;

impl EntityRecognizer {
    /// The model built into the binary (`models/ner.bin`).
    pub fn builtin() -> Result<EntityRecognizer, ModelError> {
        Self::load_from(BUILTIN, "built-in models/ner.bin")
    }

    /// Load a model saved by [`EntityRecognizer::save`].
    pub fn load(bytes: &[u8]) -> Result<EntityRecognizer, ModelError> {
        Self::load_from(bytes, "in-memory model")
    }

    /// Load a model; `origin` names it in errors.
    pub fn load_from(bytes: &[u8], origin: &str) -> Result<EntityRecognizer, ModelError> {
        let mut p: Payload = format::decode(bytes, KIND, origin)?;
        p.clusters.build_index();
        if p.version != PAYLOAD_VERSION || p.model.n_classes() != N_LABELS {
            return Err(ModelError::Corrupt {
                origin: origin.to_string(),
                kind: KIND.to_string(),
                reason: format!(
                    "payload version {} with {} classes, this build reads version {PAYLOAD_VERSION} with {N_LABELS}",
                    p.version,
                    p.model.n_classes()
                ),
            });
        }
        Ok(EntityRecognizer {
            model: p.model,
            features: p.features,
            gazetteer_fingerprint: p.gazetteer_fingerprint,
            clusters: p.clusters,
        })
    }

    pub fn save(&self) -> Result<Vec<u8>, ModelError> {
        format::encode(
            KIND,
            &Payload {
                version: PAYLOAD_VERSION,
                features: self.features,
                gazetteer_fingerprint: self.gazetteer_fingerprint,
                clusters: self.clusters.clone(),
                model: self.model.clone(),
            },
        )
    }

    /// Number of feature rows in the model.
    pub fn n_features(&self) -> usize {
        self.model.n_features()
    }

    pub fn features(&self) -> FeatureSet {
        self.features
    }

    /// The word clusters the model uses (empty when trained without).
    pub fn clusters(&self) -> &WordClusters {
        &self.clusters
    }

    /// Whether the model was trained with the gazetteer built into this binary.
    pub fn gazetteer_matches(&self) -> bool {
        self.gazetteer_fingerprint == Gazetteer::builtin().fingerprint()
    }

    /// Recognise the entities of one document, given as sentences of words.
    /// `out[i]` receives the spans of sentence `i` (sorted, non-overlapping).
    ///
    /// A model trained with part-of-speech features tags the sentences with
    /// the built-in tagger first; use [`EntityRecognizer::recognize_tagged`]
    /// when the tags are at hand.
    pub fn recognize(&self, sentences: &[&[&str]], out: &mut Vec<Vec<EntitySpan>>) {
        if self.features.pos_tags {
            let tags = tag_sentences(sentences);
            let refs: Vec<&[(Upos, Xpos)]> = tags.iter().map(Vec::as_slice).collect();
            self.recognize_tagged(sentences, Some(&refs), out);
        } else {
            self.recognize_tagged(sentences, None, out);
        }
    }

    /// Whether the model uses part-of-speech tags (see [`EntityRecognizer::recognize_tagged`]).
    pub fn uses_tags(&self) -> bool {
        self.features.pos_tags
    }

    /// Like [`EntityRecognizer::recognize`], with the sentences' (UPOS, XPOS)
    /// tags from [`crate::Tagger`] (ignored by models trained without them).
    ///
    /// A sentence that opens with a dateline ("PRAGUE, Oct 10 (Meridian) -
    /// Czech Justice Minister ...", see [`dateline_dash`]; or, as the
    /// document's first sentence, "ISLAMABAD: Police ...", see
    /// [`dateline_colon`]) is read as two: the dateline and the text after
    /// its dash or colon, which starts a sentence
    /// like any other (read as one, the dash left the capitalised words
    /// after it looking like the middle of an organisation's name).
    pub fn recognize_tagged(
        &self,
        sentences: &[&[&str]],
        tags: Option<&[&[(Upos, Xpos)]]>,
        out: &mut Vec<Vec<EntitySpan>>,
    ) {
        let dashes: Vec<Option<usize>> = sentences
            .iter()
            .enumerate()
            .map(|(s, w)| dateline_dash(w).or_else(|| (s == 0).then(|| dateline_colon(w))?))
            .collect();
        if dashes.iter().all(Option::is_none) {
            return self.recognize_parts(sentences, tags, out);
        }
        let mut parts: Vec<&[&str]> = Vec::with_capacity(sentences.len() + 1);
        let mut part_tags: Vec<&[(Upos, Xpos)]> = Vec::new();
        for (s, (words, dash)) in sentences.iter().zip(&dashes).enumerate() {
            let t = tags.and_then(|t| t.get(s).copied());
            match dash {
                Some(d) => {
                    parts.push(&words[..*d]);
                    parts.push(&words[d + 1..]);
                    if let Some(t) = t.filter(|t| t.len() == words.len()) {
                        part_tags.push(&t[..*d]);
                        part_tags.push(&t[d + 1..]);
                    }
                }
                None => {
                    parts.push(words);
                    part_tags.extend(t);
                }
            }
        }
        let part_tags = (tags.is_some() && part_tags.len() == parts.len()).then_some(part_tags);
        let mut part_out = Vec::new();
        self.recognize_parts(&parts, part_tags.as_deref(), &mut part_out);
        out.resize_with(sentences.len(), Vec::new);
        out.truncate(sentences.len());
        let mut next = part_out.into_iter();
        for (spans, dash) in out.iter_mut().zip(&dashes) {
            *spans = next.next().unwrap_or_default();
            if let Some(d) = dash {
                let body = next.next().unwrap_or_default();
                spans.extend(body.into_iter().map(|s| EntitySpan {
                    start: s.start + d + 1,
                    end: s.end + d + 1,
                    label: s.label,
                }));
            }
        }
    }

    fn recognize_parts(
        &self,
        sentences: &[&[&str]],
        tags: Option<&[&[(Upos, Xpos)]]>,
        out: &mut Vec<Vec<EntitySpan>>,
    ) {
        let mut decoder = Decoder::new(self.features, &self.clusters);
        decoder.start_doc(sentences.iter().copied());
        out.resize_with(sentences.len(), Vec::new);
        out.truncate(sentences.len());
        let score = |feats: &[u64], _| {
            let mut scores = [0i32; N_LABELS];
            self.model.scores_i32(feats, &mut scores);
            scores
        };
        let mut first = Vec::new();
        let tag = |s: usize| tags.and_then(|t| t.get(s).copied());
        for (s, (words, spans)) in sentences.iter().zip(out.iter_mut()).enumerate() {
            decoder.decode(s, words, tag(s), spans, score);
            if self.features.two_pass {
                first.push(decoder.classes.clone());
            }
        }
        if self.features.two_pass {
            decoder.start_second_pass(sentences, first);
            for (s, (words, spans)) in sentences.iter().zip(out.iter_mut()).enumerate() {
                decoder.decode(s, words, tag(s), spans, score);
            }
        }
    }
}

/// The dash ending a dateline at the start of a sentence, by word index:
/// "PRAGUE , Oct 10 ( Meridian ) -", "( Reuters ) -", "KYIV -". The words
/// before it (at most twelve) have no lowercase word and hold a comma or a
/// closing parenthesis, or are one all-capital word; text with lowercase
/// words follows the dash.
pub fn dateline_dash(words: &[&str]) -> Option<usize> {
    let d = words
        .iter()
        .take(13)
        .position(|w| matches!(*w, "-" | "--" | "\u{2014}" | "\u{2013}"))?;
    if d == 0 || d + 1 >= words.len() {
        return None;
    }
    let prefix = &words[..d];
    let lowercase = |w: &&str| w.chars().next().is_some_and(char::is_lowercase);
    if prefix.iter().any(lowercase) {
        return None;
    }
    // A headline in capitals ("SOCCER - JAPAN GET LUCKY WIN") is no dateline.
    if !words[d + 1..]
        .iter()
        .any(|w| w.chars().any(char::is_lowercase))
    {
        return None;
    }
    let marked = prefix.iter().any(|w| matches!(*w, "," | ")"));
    let caps_word = |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_uppercase);
    (marked || (d == 1 && caps_word(prefix[0]))).then_some(d)
}

/// Words that open a story before a colon as a place would ("UPDATE:",
/// "BREAKING:") but are labels: never a colon dateline, whatever a
/// gazetteer holds.
const COLON_LABELS: &[&str] = &[
    "ALERT",
    "ANALYSIS",
    "BREAKING",
    "COMMENT",
    "CORRECTION",
    "EDITORIAL",
    "EXCLUSIVE",
    "EXPLAINER",
    "FACTBOX",
    "INTERVIEW",
    "LIVE",
    "NOTE",
    "OPINION",
    "PHOTOS",
    "REVIEW",
    "UPDATE",
    "UPDATED",
    "VIDEO",
    "WATCH",
];

/// A word of a date after a colon dateline's comma ("March", "3", "Oct",
/// ".", "2015", "Tuesday").
fn date_word(w: &str) -> bool {
    const NAMES: &[&str] = &[
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = w.to_lowercase();
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    matches!(w, "." | ",")
        || NAMES.contains(&lower.as_str())
        || (!digits.is_empty()
            && digits.len() <= 4
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(&lower[digits.len()..], "" | "st" | "nd" | "rd" | "th"))
}

/// The colon ending a dateline at the start of a document's text, by word
/// index: "ISLAMABAD :", "NEW DELHI , March 3 :", "PESHAWAR , Pakistan ,
/// March 3 :", as South Asian and Gulf outlets open a story. The words
/// before the colon (or before a comma followed by at most seven words of
/// a date or capitalised names) are one to four all-capital
/// words that the built-in [`Gazetteer`] knows as a country, capital, city,
/// region or area (or any such words followed by a country it knows, then
/// a comma: "KHUJAND, Tajikistan, Feb 16:"), and text with a lowercase word
/// follows the colon. A
/// label ("UPDATE:", "BREAKING:", "ANALYSIS:") or any capital word the
/// gazetteer does not hold as a place ("SOCCER:") is no dateline. Only the
/// first sentence of a document is read this way ([`dateline`],
/// [`EntityRecognizer::recognize_tagged`]): a colon later in a text
/// introduces a list or a quotation.
pub fn dateline_colon(words: &[&str]) -> Option<usize> {
    let c = words.iter().take(11).position(|w| *w == ":")?;
    if c == 0 || c + 1 >= words.len() {
        return None;
    }
    let place_end = words[..c].iter().position(|w| *w == ",").unwrap_or(c);
    let place = &words[..place_end];
    let caps_word = |w: &str| {
        w.chars().any(char::is_alphabetic)
            && w.chars()
                .all(|ch| ch.is_uppercase() || matches!(ch, '.' | '-' | '\''))
    };
    if place.is_empty()
        || place.len() > 4
        || !place.iter().all(|w| caps_word(w))
        || place.iter().any(|w| COLON_LABELS.contains(w))
    {
        return None;
    }
    // After the comma: a date, maybe after the country or region
    // ("PESHAWAR, Pakistan, March 3:"), never lowercase words ("KARACHI,
    // police said:").
    let date = &words[(place_end + 1).min(c)..c];
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    if place_end < c
        && (date.is_empty()
            || date.len() > 7
            || !date.iter().all(|w| date_word(w) || capitalised(w)))
    {
        return None;
    }
    if !words[c + 1..]
        .iter()
        .any(|w| w.chars().any(char::is_lowercase))
    {
        return None;
    }
    let kinds = [
        GazKind::Country,
        GazKind::Capital,
        GazKind::City,
        GazKind::Region,
        GazKind::Area,
    ];
    let gazetteer = Gazetteer::builtin();
    // A town the gazetteer lacks counts when the country named after it
    // is one it holds ("KHUJAND, Tajikistan, Feb 16:").
    let country_after = || {
        let name_end = date.iter().position(|w| *w == ",")?;
        let name = date[..name_end].join(" ");
        gazetteer.is_a(&name, &[GazKind::Country]).then_some(())
    };
    (gazetteer.is_a(&place.join(" "), &kinds) || country_after().is_some()).then_some(c)
}

/// The dateline opening a document ("PRAGUE, Oct 10 (Meridian) -", "KYIV
/// -", "ISLAMABAD:"), by token index: the place's words and the dash or
/// colon that ends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The place's tokens: from the first token to the first comma,
    /// parenthesis or the dash ("PRAGUE", "ST PETERSBURG").
    pub place: std::ops::Range<usize>,
    /// The dash (or, for "ISLAMABAD: ...", the colon) that ends the dateline.
    pub dash: usize,
}

/// The dateline of a document: the first sentence opening as
/// [`dateline_dash`] reads it (the words before a dash hold no lowercase
/// word and a comma or a closing parenthesis, or are one all-capital word;
/// lowercase text follows), or else as [`dateline_colon`] reads it (a place
/// the gazetteer knows, in capitals, then a colon). The one test the
/// recogniser, the entities' home country, the quotes and the events share.
pub fn dateline(doc: &newsgraph_core::Doc) -> Option<Dateline> {
    let first = doc.sentences().next()?.token_indices();
    // A dateline dash lies within the first 13 words; the text after it
    // only needs one lowercase word, so a long sentence is cut.
    let end = first.end.min(first.start + 64);
    let words: Vec<&str> = (first.start..end).map(|i| doc.token(i).text()).collect();
    let d = dateline_dash(&words).or_else(|| dateline_colon(&words))?;
    let place_end = (0..d)
        .find(|&k| matches!(words[k], "," | "(" | ")"))
        .unwrap_or(d);
    (place_end > 0).then(|| Dateline {
        place: first.start..first.start + place_end,
        dash: first.start + d,
    })
}

/// Greedy left-to-right decoding of one document, shared by prediction and training.
struct Decoder<'c> {
    set: FeatureSet,
    clusters: &'c WordClusters,
    ex: Extractor,
    doc: DocState,
    classes: Vec<usize>,
    /// First-pass classes of every sentence of the document (two-pass decoding).
    first: Vec<Vec<usize>>,
}

impl<'c> Decoder<'c> {
    fn new(set: FeatureSet, clusters: &'c WordClusters) -> Self {
        Decoder {
            set,
            clusters,
            ex: Extractor::default(),
            doc: DocState::default(),
            classes: Vec::new(),
            first: Vec::new(),
        }
    }

    /// After the first pass over a document: keep its classes (`classes[s]` for
    /// sentence `s`) and switch to the second pass.
    fn start_second_pass(&mut self, words: &[&[&str]], first: Vec<Vec<usize>>) {
        self.doc.history.clear();
        self.doc.agg.clear();
        for (ws, cs) in words.iter().zip(&first) {
            for (w, &c) in ws.iter().zip(cs) {
                if w.chars().next().is_some_and(char::is_uppercase) {
                    let h = newsgraph_learn::hash_lowercase(w);
                    let e = &mut self.doc.agg.entry(h).or_default()[features::class_type(c)];
                    *e = e.saturating_add(1);
                }
            }
        }
        self.first = first;
        self.doc.second_pass = true;
    }

    fn start_doc<'a>(&mut self, sentences: impl Iterator<Item = &'a [&'a str]>) {
        self.doc.clear();
        self.first.clear();
        if self.set.doc_case {
            self.doc.scan_case(sentences);
        }
    }

    /// Decode one sentence. `score(feats, i)` returns the class scores of token `i`;
    /// the best allowed class is taken.
    fn decode<T: PartialOrd + Copy>(
        &mut self,
        sentence: usize,
        words: &[&str],
        tags: Option<&[(Upos, Xpos)]>,
        spans: &mut Vec<EntitySpan>,
        mut score: impl FnMut(&[u64], usize) -> [T; N_LABELS],
    ) {
        self.run(sentence, words, tags, |feats, i, prev| {
            let s = score(feats, i);
            best_allowed(&s, prev)
        });
        classes_to_spans(&self.classes, spans);
    }

    /// Run over one sentence; `choose(feats, i, prev)` picks token `i`'s class.
    fn run(
        &mut self,
        sentence: usize,
        words: &[&str],
        tags: Option<&[(Upos, Xpos)]>,
        mut choose: impl FnMut(&[u64], usize, Option<usize>) -> usize,
    ) {
        let gaz = Gazetteer::builtin();
        self.ex.prepare(words, gaz, self.clusters, tags, &self.set);
        self.classes.clear();
        for i in 0..words.len() {
            let prev1 = i.checked_sub(1).map(|j| self.classes[j]);
            let prev2 = i.checked_sub(2).map(|j| self.classes[j]);
            let first = self.first.get(sentence).map(Vec::as_slice);
            let feats = self
                .ex
                .features(i, prev1, prev2, &self.doc, first, &self.set);
            let mut c = choose(feats, i, prev1);
            // Keep the sequence well formed: an entity left open is closed at the
            // previous token, and the last token closes any entity it opens.
            if let Some(p) = prev1 {
                if p != 0 && label_pos(p) < 2 && (c == 0 || matches!(label_pos(c), 0 | 3)) {
                    self.classes[i - 1] = close(p);
                }
            }
            if i + 1 == words.len() {
                c = close(c);
            }
            self.classes.push(c);
            if self.set.history {
                self.doc.record(&self.ex.toks[i], c);
            }
        }
    }
}

/// Tag sentences with the built-in tagger (loaded once).
fn tag_sentences(sentences: &[&[&str]]) -> Vec<Vec<(Upos, Xpos)>> {
    static TAGGER: OnceLock<Option<Tagger>> = OnceLock::new();
    let tagger = TAGGER.get_or_init(|| Tagger::builtin().ok());
    sentences
        .iter()
        .map(|words| {
            let mut out = Vec::new();
            if let Some(t) = tagger {
                t.tag(words, &mut out);
            }
            out
        })
        .collect()
}

/// Settings of [`train_ner`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NerTrainOptions {
    pub train: TrainOptions,
    pub features: FeatureSet,
    /// Word clusters learned from the training text plus the unlabeled sentences given to [`train_ner`].
    pub clusters: ClusterOptions,
}

impl Default for NerTrainOptions {
    fn default() -> Self {
        NerTrainOptions {
            train: TrainOptions {
                epochs: 30,
                patience: 5,
                finalize: FinalizeOptions {
                    min_count: 1,
                    prune: 0.0,
                },
                ..TrainOptions::default()
            },
            features: FeatureSet::default(),
            clusters: ClusterOptions::default(),
        }
    }
}

/// What [`train_ner`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerTrainReport {
    pub train: TrainReport,
    pub options: NerTrainOptions,
    pub train_documents: usize,
    pub train_tokens: usize,
    pub dev: NerEval,
    pub n_features: usize,
    pub cluster_words: usize,
    pub unlabeled_sentences: usize,
    pub seconds: f64,
}

/// Train a recogniser on `train` documents, keeping the epoch with the best dev F1.
///
/// Word clusters (when `opts.clusters.sizes` is not empty) are learned from
/// the words of `train` and of `unlabeled` (tokenized sentences of any text).
pub fn train_ner(
    train: &[ConllDoc],
    dev: &[ConllDoc],
    unlabeled: &[Vec<String>],
    opts: &NerTrainOptions,
) -> (EntityRecognizer, NerTrainReport) {
    let start = Instant::now();
    let set = opts.features;
    let fingerprint = Gazetteer::builtin().fingerprint();
    let clusters = if opts.clusters.sizes.is_empty() {
        WordClusters::default()
    } else {
        let sentences = train
            .iter()
            .flat_map(|d| d.sentences.iter().map(|s| s.words.as_slice()))
            .chain(unlabeled.iter().map(Vec::as_slice));
        WordClusters::train(sentences, &opts.clusters, opts.train.verbose)
    };
    // Tags of every training sentence, computed once.
    let train_tags: Vec<Vec<Vec<(Upos, Xpos)>>> = if set.pos_tags {
        train
            .iter()
            .map(|d| {
                let refs: Vec<Vec<&str>> = d.sentences.iter().map(|s| s.word_refs()).collect();
                let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
                tag_sentences(&slices)
            })
            .collect()
    } else {
        Vec::new()
    };
    let doc_ids: Vec<usize> = (0..train.len()).collect();
    let mut perceptron = Perceptron::new(N_LABELS);
    let mut decoder = Decoder::new(set, &clusters);
    let mut gold = Vec::new();
    let mut scores = [0f32; N_LABELS];
    let dev_prepared = PreparedDocs::new(dev);
    let (model, report) = newsgraph_learn::train(
        &mut perceptron,
        &doc_ids,
        &opts.train,
        |p, &doc_id| {
            let doc = &train[doc_id];
            let refs: Vec<Vec<&str>> = doc.sentences.iter().map(|s| s.word_refs()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let tags = train_tags.get(doc_id);
            decoder.start_doc(slices.iter().copied());
            let (mut correct, mut total) = (0, 0);
            let passes = if set.two_pass { 2 } else { 1 };
            for pass in 0..passes {
                let mut first = Vec::new();
                for (k, (s, words)) in doc.sentences.iter().zip(&refs).enumerate() {
                    gold_classes(words.len(), &s.spans, &mut gold);
                    let t = tags.map(|t| t[k].as_slice());
                    decoder.run(k, words, t, |feats, i, prev| {
                        p.scores(feats, &mut scores);
                        let guess = best_allowed(&scores, prev);
                        p.update(feats, gold[i], guess);
                        correct += (guess == gold[i]) as usize;
                        total += 1;
                        guess
                    });
                    if pass == 0 && set.two_pass {
                        first.push(decoder.classes.clone());
                    }
                }
                if pass == 0 && set.two_pass {
                    decoder.start_second_pass(&slices, first);
                }
            }
            (correct, total)
        },
        |model| {
            let rec = EntityRecognizer {
                model: model.clone(),
                features: set,
                gazetteer_fingerprint: fingerprint,
                clusters: clusters.clone(),
            };
            dev_prepared.eval(&rec).f1
        },
    );
    let cluster_words = clusters.len();
    let rec = EntityRecognizer {
        model,
        features: set,
        gazetteer_fingerprint: fingerprint,
        clusters,
    };
    let dev_eval = dev_prepared.eval(&rec);
    let report = NerTrainReport {
        train: report,
        options: opts.clone(),
        train_documents: train.len(),
        train_tokens: train.iter().map(ConllDoc::n_tokens).sum(),
        dev: dev_eval,
        n_features: rec.n_features(),
        cluster_words,
        unlabeled_sentences: unlabeled.len(),
        seconds: start.elapsed().as_secs_f64(),
    };
    (rec, report)
}

/// Precision, recall and F1 of one entity type.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn from_counts(correct: usize, predicted: usize, gold: usize) -> Prf {
        let precision = correct as f64 / predicted.max(1) as f64;
        let recall = correct as f64 / gold.max(1) as f64;
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Scores of the recogniser on a column file (conlleval semantics: a
/// predicted entity counts when its span and type both match).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerEval {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Keyed by `PER`, `ORG`, `LOC`, `MISC`.
    pub per_type: BTreeMap<String, Prf>,
    pub tokens: usize,
    pub tokens_per_sec: f64,
}

/// Documents with their words as `&str` slices, built once so that timing covers only recognition.
struct PreparedDocs<'a> {
    docs: &'a [ConllDoc],
    words: Vec<Vec<Vec<&'a str>>>,
}

impl<'a> PreparedDocs<'a> {
    fn new(docs: &'a [ConllDoc]) -> Self {
        let words = docs
            .iter()
            .map(|d| d.sentences.iter().map(|s| s.word_refs()).collect())
            .collect();
        PreparedDocs { docs, words }
    }

    fn eval(&self, rec: &EntityRecognizer) -> NerEval {
        let slices: Vec<Vec<&[&str]>> = self
            .words
            .iter()
            .map(|d| d.iter().map(Vec::as_slice).collect())
            .collect();
        let mut predicted: Vec<Vec<Vec<EntitySpan>>> = vec![Vec::new(); self.docs.len()];
        let start = Instant::now();
        for (doc, out) in slices.iter().zip(predicted.iter_mut()) {
            rec.recognize(doc, out);
        }
        let secs = start.elapsed().as_secs_f64();
        let mut counts = [[0usize; 3]; 4]; // per type: correct, predicted, gold
        let mut tokens = 0;
        for (doc, pred) in self.docs.iter().zip(&predicted) {
            for (s, p) in doc.sentences.iter().zip(pred) {
                tokens += s.words.len();
                for span in p {
                    counts[span.label as usize][1] += 1;
                    if s.spans.contains(span) {
                        counts[span.label as usize][0] += 1;
                    }
                }
                for span in &s.spans {
                    counts[span.label as usize][2] += 1;
                }
            }
        }
        let mut per_type = BTreeMap::new();
        let mut total = [0usize; 3];
        for label in EntityLabel::ALL {
            let c = counts[label as usize];
            per_type.insert(
                label.as_str().to_string(),
                Prf::from_counts(c[0], c[1], c[2]),
            );
            for k in 0..3 {
                total[k] += c[k];
            }
        }
        let all = Prf::from_counts(total[0], total[1], total[2]);
        NerEval {
            precision: all.precision,
            recall: all.recall,
            f1: all.f1,
            per_type,
            tokens,
            tokens_per_sec: tokens as f64 / secs.max(1e-9),
        }
    }
}

/// Score a recogniser on documents read by [`read_conll`].
pub fn eval_ner_docs(rec: &EntityRecognizer, docs: &[ConllDoc]) -> NerEval {
    PreparedDocs::new(docs).eval(rec)
}

/// Score a recogniser on the contents of a CoNLL-2003-style column file (IOB1 or BIO).
pub fn eval_ner(rec: &EntityRecognizer, text: &str) -> Result<NerEval, ConllError> {
    Ok(eval_ner_docs(rec, &read_conll(text)?))
}

#[cfg(test)]
mod tests;
