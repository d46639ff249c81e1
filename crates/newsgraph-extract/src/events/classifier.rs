//! The trained event classifier beside the trigger lexicon: a linear model
//! (averaged perceptron from `newsgraph-learn`) over the lexical and syntactic
//! features of a candidate trigger's clause, with 17 classes (the 16 PLOVER
//! types and "no event").
//!
//! It has two jobs in [`super::extract`]:
//!
//! - **typing what the lexicon misses**: a verb (or a noun with an argument or
//!   a light verb) that no lexicon rule matches becomes an event of the
//!   model's type when the model's probability for that type is at least
//!   [`Settings::min_prob`]; its rule is `model.<type>` (`model.assault`).
//!   Off in the shipped settings: on the dev set it added only wrong events;
//! - **arbitrating** when several lexicon rules with different types match
//!   one token: the rule whose type the model prefers wins when it beats the
//!   first rule's type by [`Settings::margin`].
//!
//! The model is trained by `newsgraph train events` on the NGEC synthetic
//! stories ([`training_examples`] says how story-level labels become
//! trigger-level examples) and embedded from `models/events.bin`; an empty
//! file there means "no model" and the extractor is the lexicon alone.
//! [`ModelChoice`] and [`Settings`] (in [`super::EventOptions`]) choose the
//! model and how it is used; the library reads no environment.

use super::lexicon::{Lexicon, Rule, TriggerPos};
use super::tree::Tree;
use super::{clause_of, verb_stems, Args, Candidate};
use newsgraph_core::records::{EntityType, EventType};
use newsgraph_core::tags::{Deprel, Upos};
use newsgraph_core::Doc;
use newsgraph_learn::{format, hash_str, FeatureBuf, Model, ModelError};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Classes: the 16 PLOVER types in [`EventType::ALL`] order, then "no event".
pub const N_CLASSES: usize = 17;
/// The "no event" class.
pub const NONE: usize = 16;
const KIND: &str = "events";

/// Index of a type among the classes.
pub fn class_of(t: EventType) -> usize {
    EventType::ALL
        .iter()
        .position(|&x| x == t)
        .expect("every type is in ALL")
}

/// What is stored in `models/events.bin`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventClassifier {
    pub model: Model,
}

/// How the extractor uses the model: part of [`super::EventOptions`]. The
/// defaults were chosen on the dev set (see `models/events.md`); the CLI sets
/// them with `--event-model-min`, `--event-model-margin`,
/// `--event-model-nouns` and `--event-model-known`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Minimum probability of a type for a token the lexicon misses
    /// (above 1: never).
    pub min_prob: f32,
    /// By how much the model's preferred type must beat the first matching
    /// rule's type to override it (above 1: never).
    pub margin: f32,
    /// Whether nouns the lexicon misses are typed too (else verbs only).
    pub nouns: bool,
    /// Whether words the lexicon has rules for, none of which matched, are
    /// typed too (else only words it has no rule for).
    pub known: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_prob: 2.0,
            margin: 0.0,
            nouns: false,
            known: false,
        }
    }
}

/// Which model the extractor uses: part of [`super::EventOptions`] (the CLI's
/// `--event-model builtin|off|FILE`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ModelChoice {
    /// The model shipped in this build (none when `models/events.bin` is empty).
    #[default]
    Builtin,
    /// The lexicon alone.
    Off,
    /// Another model file, for experiments.
    File(std::path::PathBuf),
}

static BUILTIN: &[u8] = include_bytes!("../../../../models/events.bin");

impl EventClassifier {
    /// The model shipped in this build, or `None` when the build has none.
    pub fn builtin() -> Option<&'static EventClassifier> {
        static MODEL: OnceLock<Option<EventClassifier>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                (!BUILTIN.is_empty()).then(|| {
                    EventClassifier::load_from(BUILTIN, "built-in models/events.bin")
                        .expect("the built-in event model is valid")
                })
            })
            .as_ref()
    }

    /// The model `choice` names: the built-in one, none, or a file's.
    pub fn choose(
        choice: &ModelChoice,
    ) -> Result<Option<Cow<'static, EventClassifier>>, ModelError> {
        Ok(match choice {
            ModelChoice::Builtin => EventClassifier::builtin().map(Cow::Borrowed),
            ModelChoice::Off => None,
            ModelChoice::File(path) => {
                let origin = path.display().to_string();
                let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
                    origin: origin.clone(),
                    source,
                })?;
                Some(Cow::Owned(EventClassifier::load_from(&bytes, &origin)?))
            }
        })
    }

    /// Read a model file's bytes; `origin` names it in errors.
    pub fn load_from(bytes: &[u8], origin: &str) -> Result<EventClassifier, ModelError> {
        format::decode(bytes, KIND, origin)
    }

    /// The model file's bytes.
    pub fn save(&self) -> Result<Vec<u8>, ModelError> {
        format::encode(KIND, self)
    }

    /// Class probabilities (softmax over the linear scores).
    pub fn probs(&self, feats: &[u64]) -> [f32; N_CLASSES] {
        let mut s = [0f32; N_CLASSES];
        self.model.scores(feats, &mut s);
        softmax(&mut s);
        s
    }
}

fn softmax(s: &mut [f32]) {
    let max = s.iter().copied().fold(f32::MIN, f32::max);
    let mut sum = 0.0;
    for x in s.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    for x in s.iter_mut() {
        *x /= sum;
    }
}

/// One rule per type for the events the model proposes (`model.assault`).
pub fn model_rule(t: EventType) -> &'static Rule {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        EventType::ALL
            .iter()
            .map(|&t| {
                let name = format!("model.{}", t.as_str().to_ascii_lowercase());
                let line = format!("{name} | {} | - | v:x |", t.as_str());
                let mut r = Lexicon::parse("model rules", &line)
                    .expect("a model rule line is valid")
                    .rules
                    .remove(0);
                r.conf = 0.5;
                r
            })
            .collect()
    });
    &rules[class_of(t)]
}

/// The part of speech a token would have as a trigger, as the lexicon
/// matcher decides it (`None`: never a trigger).
pub(super) fn trigger_pos(tree: &Tree<'_>, i: usize) -> Option<TriggerPos> {
    match tree.upos(i)? {
        Upos::Verb if tree.rel(i) == Some(Deprel::Amod) => None,
        Upos::Verb => Some(TriggerPos::Verb),
        Upos::Adj if tree.first_kid(i, &[Deprel::AuxPass, Deprel::Cop]).is_some() => {
            Some(TriggerPos::Verb)
        }
        Upos::Noun => Some(TriggerPos::Noun),
        _ => None,
    }
}

/// Entity types of the tokens covered by a mention (computed once per document).
pub(super) fn token_entity_types(doc: &Doc) -> Vec<Option<EntityType>> {
    let mut out = vec![None; doc.len()];
    if doc.entities.is_empty() {
        return out;
    }
    let ranges: Vec<_> = doc.tokens().map(|t| t.range()).collect();
    for e in &doc.entities {
        for m in &e.mentions {
            // Tokens are sorted: find the first token starting inside the mention.
            let from = ranges.partition_point(|r| r.start < m.range.start);
            for (k, r) in ranges.iter().enumerate().skip(from) {
                if r.end > m.range.end {
                    break;
                }
                out[k].get_or_insert(e.entity_type);
            }
        }
    }
    out
}

// Feature templates.
const T_BIAS: u32 = 0;
const T_LEMMA: u32 = 1;
const T_LEMMA_OBJ: u32 = 2;
const T_OBJ: u32 = 3;
const T_LEMMA_PREP: u32 = 4;
const T_PREP_POBJ: u32 = 5;
const T_LEMMA_PREP_POBJ: u32 = 6;
const T_SUBJ: u32 = 7;
const T_SUBJ_ENT: u32 = 8;
const T_OBJ_ENT: u32 = 9;
const T_LEMMA_SUBJ_ENT: u32 = 10;
const T_XCOMP: u32 = 11;
const T_NEG: u32 = 12;
const T_HEAD: u32 = 13;
const T_WINDOW: u32 = 14;
const T_SUFFIX: u32 = 15;
const T_LIGHT: u32 = 16;
const T_LEMMA_OBJ_ENT: u32 = 17;
const T_POBJ_ENT: u32 = 18;
const T_CLUSTER: u32 = 19;
const T_CLUSTER_OBJ: u32 = 20;
const T_OBJ_CLUSTER: u32 = 21;

/// The prefixes of a word's Brown cluster path used as features.
const CLUSTER_BITS: [u8; 3] = [4, 8, 12];

fn cluster_prefix(word: &str, bits: u8) -> Option<u64> {
    newsgraph_nlp::tagger::clusters().prefix(word, bits)
}

fn ent_hash(t: Option<EntityType>) -> u64 {
    match t {
        Some(t) => hash_str(t.as_str()),
        None => 0,
    }
}

/// The features of token `i` as a trigger with part of speech `pos`.
///
/// Without `lemma`, the features that name the trigger word itself are
/// left out: what remains says what kind of event this context holds
/// (objects, prepositions, actors, neighbouring words, the word's cluster).
/// The model is trained on both views; the lexicon-free view types words the
/// lexicon does not know, whose own lemma features (if the model has any)
/// only learned that the lexicon did not type them.
pub(super) fn features(
    tree: &Tree<'_>,
    ents: &[Option<EntityType>],
    i: usize,
    pos: TriggerPos,
    args: &Args,
    lemma_feats: bool,
    feats: &mut FeatureBuf,
) {
    feats.clear();
    let p = match pos {
        TriggerPos::Verb => 1,
        TriggerPos::Noun => 2,
    };
    let lemma = tree.lemma(i);
    // Lemma-bearing templates get the lemma, or a constant in the other view.
    let l = if lemma_feats { hash_str(lemma) } else { p };
    feats.add1(T_BIAS, p);
    if lemma_feats {
        feats.add2(T_LEMMA, p, l);
        let n = lemma.len();
        if n > 4 && lemma.is_char_boundary(n - 3) {
            feats.add2(T_SUFFIX, p, hash_str(&lemma[n - 3..]));
        }
    }
    let form = tree.text(i);
    for bits in CLUSTER_BITS {
        if let Some(c) = cluster_prefix(form, bits) {
            feats.add3(T_CLUSTER, p, bits as u64, c);
        }
    }
    let c8 = cluster_prefix(form, 8).unwrap_or(0);
    for &o in &args.objects {
        let ol = hash_str(tree.lemma(o));
        feats.add2(T_LEMMA_OBJ, l, ol);
        feats.add1(T_OBJ, ol);
        feats.add2(T_CLUSTER_OBJ, c8, ol);
        if let Some(oc) = cluster_prefix(tree.text(o), 8) {
            feats.add2(T_OBJ_CLUSTER, l, oc);
        }
        feats.add1(T_OBJ_ENT, ent_hash(ents[o]));
        feats.add2(T_LEMMA_OBJ_ENT, l, ent_hash(ents[o]));
    }
    for &(pr, a) in &args.preps {
        let ph = hash_str(tree.lemma(pr));
        feats.add2(T_LEMMA_PREP, l, ph);
        if a != pr {
            let al = hash_str(tree.lemma(a));
            feats.add2(T_PREP_POBJ, ph, al);
            feats.add3(T_LEMMA_PREP_POBJ, l, ph, al);
            feats.add2(T_POBJ_ENT, ph, ent_hash(ents[a]));
        }
    }
    if let Some(s) = args.subject {
        feats.add1(T_SUBJ, hash_str(tree.lemma(s)));
        feats.add1(T_SUBJ_ENT, ent_hash(ents[s]));
        feats.add2(T_LEMMA_SUBJ_ENT, l, ent_hash(ents[s]));
    }
    for x in tree.kids_with(i, Deprel::Xcomp) {
        feats.add2(T_XCOMP, l, hash_str(tree.lemma(x)));
    }
    if tree.children(i).iter().any(|&k| {
        tree.rel(k as usize) == Some(Deprel::Advmod) && tree.lower_is(k as usize, &["not", "n't"])
    }) {
        feats.add1(T_NEG, p);
    }
    if let Some(h) = tree.head(i) {
        let rel = tree.rel(i).map_or(0, |r| hash_str(r.as_str()));
        feats.add3(T_HEAD, rel, hash_str(tree.lemma(h)), l);
    }
    if let Some(v) = args.light_verb {
        feats.add2(T_LIGHT, hash_str(tree.lemma(v)), l);
    }
    // Content words around the trigger, in its sentence.
    let s = tree.sentence_of[i];
    let lo = i.saturating_sub(4);
    let hi = (i + 5).min(tree.doc.len());
    for k in lo..hi {
        if k == i || tree.sentence_of[k] != s {
            continue;
        }
        if matches!(
            tree.upos(k),
            Some(Upos::Noun | Upos::Verb | Upos::Adj | Upos::Propn)
        ) {
            feats.add1(T_WINDOW, hash_str(tree.lemma(k)));
        }
    }
}

/// The rules of the lexicon that match token `i` (with the second trigger
/// token each consumed), in file order.
pub(super) fn matching_rules<'r>(
    tree: &Tree<'_>,
    lex: &'r Lexicon,
    lemma: &str,
    args: &Args,
    pos: TriggerPos,
) -> Vec<(&'r Rule, Option<usize>)> {
    lex.rules_for(lemma, pos)
        .filter_map(|r| args.satisfies(tree, r).map(|x| (r, x)))
        .collect()
}

/// The classifier at work on one document: the model, its settings and the
/// entity type of every token.
pub(super) struct DocModel<'m> {
    classifier: &'m EventClassifier,
    settings: Settings,
    ents: Vec<Option<EntityType>>,
}

impl<'m> DocModel<'m> {
    pub(super) fn new(
        doc: &Doc,
        classifier: &'m EventClassifier,
        settings: Settings,
    ) -> DocModel<'m> {
        DocModel {
            classifier,
            settings,
            ents: token_entity_types(doc),
        }
    }

    fn probs(
        &self,
        tree: &Tree<'_>,
        i: usize,
        pos: TriggerPos,
        args: &Args,
        lemma_feats: bool,
    ) -> [f32; N_CLASSES] {
        let mut feats = FeatureBuf::new();
        features(tree, &self.ents, i, pos, args, lemma_feats, &mut feats);
        self.classifier.probs(feats.as_slice())
    }

    /// The lexicon rule for token `i`: the first matching one, unless rules of
    /// other types match too and the model prefers one of those by the margin.
    pub(super) fn arbitrate<'r>(
        &self,
        tree: &Tree<'_>,
        lex: &'r Lexicon,
        i: usize,
        lemma: &str,
        args: &Args,
        pos: TriggerPos,
    ) -> Option<(&'r Rule, Option<usize>)> {
        let rules = matching_rules(tree, lex, lemma, args, pos);
        let first = *rules.first()?;
        if self.settings.margin > 1.0
            || rules
                .iter()
                .all(|(r, _)| r.event_type == first.0.event_type)
        {
            return Some(first);
        }
        let p = self.probs(tree, i, pos, args, true);
        let best = rules
            .iter()
            .copied()
            .max_by(|a, b| p[class_of(a.0.event_type)].total_cmp(&p[class_of(b.0.event_type)]))
            .unwrap_or(first);
        // A rule that asks for what the object is ("expelled the
        // ambassador": SANCTION) is more telling than one that does not
        // ("expelled": COERCE).
        let specific = |r: &Rule| r.obj.is_some() || r.pobj.is_some();
        if specific(first.0) && !specific(best.0) {
            return Some(first);
        }
        if p[class_of(best.0.event_type)] >= p[class_of(first.0.event_type)] + self.settings.margin
        {
            Some(best)
        } else {
            Some(first)
        }
    }

    /// A candidate for a token whose lemma the lexicon has no rule for, when
    /// the model gives some type at least the minimum probability.
    pub(super) fn propose<'r>(
        &self,
        tree: &Tree<'_>,
        lex: &Lexicon,
        i: usize,
    ) -> Option<Candidate<'r>> {
        if self.settings.min_prob > 1.0 {
            return None;
        }
        let pos = trigger_pos(tree, i)?;
        // Verbs proper (not copular adjectives); nouns only when asked for.
        match pos {
            TriggerPos::Verb if tree.upos(i) != Some(Upos::Verb) => return None,
            TriggerPos::Noun if !self.settings.nouns => return None,
            _ => {}
        }
        let lemma = tree.lemma(i);
        let known = match pos {
            TriggerPos::Verb => {
                lex.has_verb(lemma)
                    || verb_stems(&tree.text(i).to_ascii_lowercase())
                        .iter()
                        .any(|s| lex.has_verb(s))
            }
            TriggerPos::Noun => {
                lex.has_noun(lemma) || lex.has_noun(&tree.text(i).to_ascii_lowercase())
            }
        };
        if known && !self.settings.known {
            return None;
        }
        let args = Args::of(tree, i, pos);
        if pos == TriggerPos::Noun && !args.noun_licensed {
            return None;
        }
        let p = self.probs(tree, i, pos, &args, false);
        let best = best_type(&p);
        let (t, prob) = best?;
        if prob < self.settings.min_prob {
            return None;
        }
        Some(Candidate {
            token: i,
            extra: None,
            rule: model_rule(t),
            clause: clause_of(&args, i, pos),
            dropped: false,
            model_p: Some(prob),
            vowed: None,
        })
    }
}

/// The most probable event type (never "no event") and its probability.
pub fn best_type(p: &[f32; N_CLASSES]) -> Option<(EventType, f32)> {
    let k = (0..NONE).max_by(|&a, &b| p[a].total_cmp(&p[b]))?;
    Some((EventType::ALL[k], p[k]))
}

/// One training example: features and class.
#[derive(Debug, Clone)]
pub struct Example {
    pub feats: Vec<u64>,
    pub class: usize,
    /// The trigger lemma, for the weak labels of [`label_weakly`].
    pub lemma: String,
    /// Whether the lexicon typed it (else its class is provisional: NONE).
    pub from_lexicon: bool,
    /// Whether the trigger is tagged VERB (only verbs get weak labels).
    pub pos_verb: bool,
}

/// The candidate triggers of a processed story with their provisional
/// classes, given the story's label, each twice (with and without the
/// trigger word's own features, see `features`):
///
/// - a token some lexicon rule matches is an example of that rule's type; when
///   rules of several types match, the story's type when it is among them
///   (that is what teaches arbitration), else the first rule's;
/// - the lede (the story's first sentence) states the story's event: when no
///   lexicon trigger there has the story's type, its main verb (through
///   a speech verb to what was said) is an example of the story's type;
/// - every other verb and licensed noun is "no event" for now;
///   [`label_weakly`] then relabels verbs whose lemma the corpus ties to one
///   story type.
pub fn training_examples(doc: &Doc, label: EventType) -> Vec<Example> {
    let mut out = Vec::new();
    if doc.is_empty() || doc.sentence_data().is_empty() {
        return out;
    }
    let tree = Tree::new(doc);
    let lex = Lexicon::builtin();
    let ents = token_entity_types(doc);
    let mut feats = FeatureBuf::new();
    let lede = lede_verb(&tree, lex, label);
    for i in 0..doc.len() {
        let Some(pos) = trigger_pos(&tree, i) else {
            continue;
        };
        let args = Args::of(&tree, i, pos);
        if pos == TriggerPos::Noun && !args.noun_licensed {
            continue;
        }
        let lemma = tree.lemma(i).to_string();
        let rules = matching_rules(&tree, lex, &lemma, &args, pos);
        let class = if rules.iter().any(|(r, _)| r.event_type == label) {
            Some(class_of(label))
        } else {
            rules.first().map(|(r, _)| class_of(r.event_type))
        };
        let from_lexicon = class.is_some();
        let class = class.or((lede == Some(i)).then(|| class_of(label)));
        for lemma_feats in [true, false] {
            features(&tree, &ents, i, pos, &args, lemma_feats, &mut feats);
            out.push(Example {
                feats: feats.as_slice().to_vec(),
                class: class.unwrap_or(NONE),
                lemma: lemma.clone(),
                from_lexicon,
                pos_verb: tree.upos(i) == Some(Upos::Verb),
            });
        }
    }
    out
}

/// The main verb of a story's first sentence when no lexicon trigger there
/// has the story's type: the root, or what a speech verb at the root reports.
fn lede_verb(tree: &Tree<'_>, lex: &Lexicon, label: EventType) -> Option<usize> {
    let s = tree.doc.sentences().next()?;
    let mut root = None;
    for i in s.token_indices() {
        if let Some(pos) = trigger_pos(tree, i) {
            let args = Args::of(tree, i, pos);
            let rules = matching_rules(tree, lex, tree.lemma(i), &args, pos);
            if rules.iter().any(|(r, _)| r.event_type == label) {
                return None;
            }
        }
        if tree.head(i).is_none() {
            root = Some(i);
        }
    }
    let mut v = root?;
    if matches!(
        tree.lemma(v),
        "say" | "tell" | "announce" | "report" | "state"
    ) {
        v = tree.first_kid(v, &[Deprel::Ccomp])?;
    }
    (tree.upos(v) == Some(Upos::Verb)).then_some(v)
}

/// Distant supervision from story labels: a verb lemma the lexicon does not
/// know, seen in at least `min_stories` stories, of which a share of at least
/// `max(min_share, lift * base rate)` carry one label, is an event of that
/// type in the stories with that label; its occurrences in stories with other
/// labels are left out (neither that type nor "no event"). `stories[k]` lists
/// the examples of story `k` and its label. Returns the lemmas relabelled
/// with their type.
pub fn label_weakly(
    stories: &mut [(EventType, Vec<Example>)],
    min_stories: usize,
    min_share: f64,
    lift: f64,
) -> Vec<(String, EventType, usize)> {
    use std::collections::{BTreeMap, HashMap, HashSet};
    let mut base: HashMap<EventType, usize> = HashMap::new();
    // lemma -> label -> stories
    let mut seen: BTreeMap<String, HashMap<EventType, usize>> = BTreeMap::new();
    for (label, exs) in stories.iter() {
        *base.entry(*label).or_default() += 1;
        let lemmas: HashSet<&str> = exs
            .iter()
            .filter(|e| e.pos_verb && e.class == NONE)
            .map(|e| e.lemma.as_str())
            .collect();
        for l in lemmas {
            *seen
                .entry(l.to_string())
                .or_default()
                .entry(*label)
                .or_default() += 1;
        }
    }
    let total = stories.len().max(1) as f64;
    let mut chosen: HashMap<String, EventType> = HashMap::new();
    let mut report = Vec::new();
    for (lemma, by_label) in &seen {
        let n: usize = by_label.values().sum();
        if n < min_stories {
            continue;
        }
        let (&t, &k) = by_label
            .iter()
            .max_by_key(|(t, &k)| (k, std::cmp::Reverse(class_of(**t))))
            .expect("seen at least once");
        let share = k as f64 / n as f64;
        let rate = base[&t] as f64 / total;
        if share >= min_share.max(lift * rate) {
            chosen.insert(lemma.clone(), t);
            report.push((lemma.clone(), t, n));
        }
    }
    for (label, exs) in stories.iter_mut() {
        exs.retain_mut(|e| {
            if !e.pos_verb || e.class != NONE {
                return true;
            }
            match chosen.get(&e.lemma) {
                Some(t) if t == label => {
                    e.class = class_of(*t);
                    true
                }
                Some(_) => false,
                None => true,
            }
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_type_order() {
        assert_eq!(class_of(EventType::ALL[0]), 0);
        assert_eq!(EventType::ALL.len(), NONE);
        assert_eq!(model_rule(EventType::Assault).name, "model.assault");
        assert_eq!(
            model_rule(EventType::Assault).event_type,
            EventType::Assault
        );
    }

    fn ex(lemma: &str, lexicon: bool) -> Example {
        Example {
            feats: vec![1],
            class: if lexicon {
                class_of(EventType::Assault)
            } else {
                NONE
            },
            lemma: lemma.into(),
            from_lexicon: lexicon,
            pos_verb: true,
        }
    }

    #[test]
    fn weak_labels_need_a_concentrated_lemma() {
        let mut stories = Vec::new();
        for _ in 0..6 {
            stories.push((
                EventType::Protest,
                vec![ex("picket", false), ex("say", false)],
            ));
            stories.push((EventType::Assault, vec![ex("say", false), ex("bomb", true)]));
        }
        stories.push((EventType::Assault, vec![ex("picket", false)]));
        let chosen = label_weakly(&mut stories, 5, 0.6, 1.5);
        assert_eq!(chosen, vec![("picket".to_string(), EventType::Protest, 7)]);
        assert_eq!(stories[0].1[0].class, class_of(EventType::Protest));
        assert_eq!(stories[0].1[1].class, NONE);
        // The assault story's "picket" is left out, not "no event".
        assert!(stories.last().unwrap().1.is_empty());
    }
}
