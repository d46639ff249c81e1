//! Greedy transition-based dependency parser producing UD heads and relations.
//!
//! - Transition system: arc-hybrid with ROOT at the end of the buffer
//!   (`transition.rs`); every output is a tree with exactly one root.
//! - Moves are chosen by an averaged perceptron (`newsgraph_learn`) over 96
//!   hashed templates in the style of Zhang & Nivre (2011) (`features.rs`),
//!   plus 18 Brown-cluster templates after Koo, Carreras & Collins (2008)
//!   (4-/6-bit prefixes and full paths of s0, s1, b0, b1, alone and with
//!   tags) over the shipped `models/clusters.bin` ([`crate::tagger::clusters`]);
//!   the relation classifier has 8 cluster templates of its own. A model
//!   trained without them (`ParserTrainOptions::clusters`, or any file of
//!   payload version 1, such as the shipped one) parses as before and does
//!   not compute them.
//! - Each arc is labelled when it is made, by a second perceptron that sees
//!   the dependent's finished subtree (arc-hybrid attaches a word only when
//!   it is popped), so the relation of earlier arcs is a feature for later
//!   moves. Predicting move and relation jointly gained 0.4 LAS on dev but
//!   was 7x slower (`models/parser.md`).
//! - Training uses the dynamic oracle of Goldberg & Nivre (2013) with
//!   exploration; non-projective training trees are projectivized by lifting.
//! - Training tags are jack-knifed (predicted by taggers that did not see the
//!   sentence), so the parser learns from the tagger's real errors.
//!
//! Entry points: [`Parser::parse`], [`train_parser`], [`eval_parse`].
//!
//! ```
//! use newsgraph_core::tags::{Upos, Xpos};
//! use newsgraph_nlp::parser::Parser;
//!
//! let parser = Parser::builtin().unwrap();
//! let words = ["Kerry", "met", "Putin", "."];
//! let tags = [
//!     (Upos::Propn, Xpos::Nnp),
//!     (Upos::Verb, Xpos::Vbd),
//!     (Upos::Propn, Xpos::Nnp),
//!     (Upos::Punct, Xpos::Period),
//! ];
//! let mut arcs = Vec::new();
//! parser.parse(&words, &tags, &mut arcs);
//! assert_eq!(arcs[0].0, 2); // "Kerry" depends on "met"
//! ```

mod features;
mod model;
mod transition;

use std::time::Instant;

use newsgraph_core::conllu::Sentence;
use newsgraph_core::tags::{Deprel, Upos, Xpos};
use newsgraph_learn::format::Bytes;
use newsgraph_learn::{format, FinalizeOptions, ModelError, Perceptron, Rng};
use serde::{Deserialize, Serialize};

use crate::tagger::{train_tagger_with, Tagger, TaggerTemplates};
use features::{label_features, move_features, Atoms};
use newsgraph_learn::TrainOptions;
use transition::{projectivize, Move, State};

/// Kind string of parser model files.
const MODEL_KIND: &str = "parser";
/// Version of the parser payload (feature templates, transition system).
/// Bump whenever a change makes older models score differently. Version 1
/// files have no cluster-template weights, so parsing skips those templates.
const PAYLOAD_VERSION: u32 = 2;

/// A trained dependency parser.
#[derive(Debug, Clone)]
pub struct Parser {
    /// Label classes of the labeller, in class order.
    labels: Vec<Deprel>,
    moves: model::MoveTable,
    labeller: model::Model,
    /// Whether the model was trained with the cluster templates (payload
    /// version 2); without them parsing does not compute them.
    clusters: bool,
}

/// On-disk payload (inside the `newsgraph_learn::format` container).
#[derive(Serialize, Deserialize)]
struct ParserWire {
    version: u32,
    labels: Vec<String>,
    /// `Bytes`, not `Vec<u8>`: the same encoding, read in one piece.
    moves: Bytes,
    labeller: Bytes,
}

/// Reusable buffers for parsing: keep one per thread to parse without allocating.
#[derive(Debug, Default)]
pub struct ParseScratch {
    atoms: Atoms,
    state: Option<State>,
    feats: Vec<u64>,
    scores: Vec<i32>,
}

impl Parser {
    /// The model shipped in `models/parser.bin` (compiled into the binary).
    pub fn builtin() -> Result<Parser, ModelError> {
        static BYTES: &[u8] = crate::embedded::PARSER;
        Parser::load_from(BYTES, "built-in parser (models/parser.bin)")
    }

    /// Load a model from the bytes of a `parser.bin` file.
    pub fn load(bytes: &[u8]) -> Result<Parser, ModelError> {
        Parser::load_from(bytes, "parser model")
    }

    /// Load a model; `origin` names it in errors (a path, say).
    pub fn load_from(bytes: &[u8], origin: &str) -> Result<Parser, ModelError> {
        let wire: ParserWire = format::decode(bytes, MODEL_KIND, origin)?;
        let corrupt = |reason: String| ModelError::Corrupt {
            origin: origin.to_string(),
            kind: MODEL_KIND.to_string(),
            reason,
        };
        if !(1..=PAYLOAD_VERSION).contains(&wire.version) {
            return Err(corrupt(format!(
                "parser payload version {}, this build reads {PAYLOAD_VERSION}",
                wire.version
            )));
        }
        let labels = wire
            .labels
            .iter()
            .map(|l| Deprel::from_str(l).ok_or_else(|| corrupt(format!("unknown relation `{l}`"))))
            .collect::<Result<Vec<_>, _>>()?;
        let labeller = model::Model::read(&mut wire.labeller.0.as_slice())
            .ok_or_else(|| corrupt("bad labeller weights".to_string()))?;
        let moves = model::MoveTable::read(&mut wire.moves.0.as_slice())
            .ok_or_else(|| corrupt("bad move weights".to_string()))?;
        if labeller.n_classes() != labels.len() {
            return Err(corrupt("class counts do not match".to_string()));
        }
        Ok(Parser {
            labels,
            moves,
            labeller,
            clusters: wire.version >= 2,
        })
    }

    /// Serialize to the bytes of a `parser.bin` file.
    pub fn save(&self) -> Vec<u8> {
        let mut labeller = Vec::new();
        self.labeller.write(&mut labeller);
        let mut moves = Vec::new();
        self.moves.write(&mut moves);
        let wire = ParserWire {
            version: if self.clusters { PAYLOAD_VERSION } else { 1 },
            labels: self.labels.iter().map(|l| l.as_str().to_string()).collect(),
            moves: Bytes(moves),
            labeller: Bytes(labeller),
        };
        format::encode(MODEL_KIND, &wire).expect("parser model encodes")
    }

    /// One parser that scores like the ensemble of `parsers` (the sum of
    /// their move weights, the mean of their relation weights): as fast as
    /// one of them, larger by the features they do not share. Greedy
    /// decoding with summed scores is exactly what the ensemble would do, so
    /// nothing is approximated but the `i16` rounding. The parsers must have
    /// the same relation labels (trained on the same corpora), e.g. the same
    /// settings with different seeds.
    pub fn ensemble(parsers: &[&Parser]) -> Result<Parser, String> {
        let first = parsers.first().ok_or("no parsers to combine")?;
        if parsers.iter().any(|p| p.labels != first.labels) {
            return Err("the parsers have different relation labels".to_string());
        }
        let moves: Vec<&model::MoveTable> = parsers.iter().map(|p| &p.moves).collect();
        let labellers: Vec<&model::Model> = parsers.iter().map(|p| &p.labeller).collect();
        Ok(Parser {
            labels: first.labels.clone(),
            moves: model::MoveTable::sum(&moves),
            labeller: model::Model::average(&labellers),
            clusters: parsers.iter().any(|p| p.clusters),
        })
    }

    /// Number of (move, label) features kept in the model.
    pub fn n_features(&self) -> (usize, usize) {
        (self.moves.len(), self.labeller.n_features())
    }

    /// Parse one sentence.
    ///
    /// `words` and `tags` have one entry per word. `out` is cleared and gets
    /// one `(head, relation)` per word: `head` is 0 for the root, otherwise
    /// the 1-based index of the head word. The result is always a tree with
    /// exactly one root (relation `root`) when `words` is non-empty.
    ///
    /// # Panics
    /// If `tags.len() != words.len()`.
    pub fn parse(&self, words: &[&str], tags: &[(Upos, Xpos)], out: &mut Vec<(u32, Deprel)>) {
        let mut scratch = ParseScratch::default();
        self.parse_with(&mut scratch, words, tags, out);
    }

    /// [`Parser::parse`] with caller-owned buffers.
    pub fn parse_with(
        &self,
        scratch: &mut ParseScratch,
        words: &[&str],
        tags: &[(Upos, Xpos)],
        out: &mut Vec<(u32, Deprel)>,
    ) {
        assert_eq!(words.len(), tags.len(), "one tag per word");
        let n = words.len();
        out.clear();
        if n == 0 {
            return;
        }
        scratch
            .atoms
            .fill(words, tags, self.clusters.then(crate::tagger::clusters));
        let state = scratch.state.get_or_insert_with(|| State::new(n));
        state.reset(n);
        scratch.scores.resize(256, 0);
        let root = state.root();
        while !state.is_terminal() {
            let valid = state.valid_moves();
            let m = if valid.iter().filter(|&&v| v).count() == 1 {
                // Forced move: no need to score.
                best_valid(&[0, 0, 0], &valid)
            } else {
                move_features(&scratch.atoms, state, &mut scratch.feats);
                best_valid(&self.moves.score(&scratch.feats), &valid)
            };
            let label = match state.arc_of(m) {
                None => 0,
                Some((h, _)) if h == root => self.root_class(),
                Some((h, d)) => {
                    let right = m == Move::Right;
                    label_features(&scratch.atoms, state, h, d, right, &mut scratch.feats);
                    let scores: &mut [i32; 256] =
                        (&mut scratch.scores[..256]).try_into().expect("256 scores");
                    self.labeller.score(&scratch.feats, scores);
                    self.best_label(scores)
                }
            };
            state.apply(m, label as u8);
        }
        for d in 1..=n {
            let h = state.heads[d];
            let head = if h == root { 0 } else { h };
            let rel = if head == 0 {
                Deprel::Root
            } else {
                self.labels
                    .get(state.labels[d] as usize)
                    .copied()
                    .filter(|&l| l != Deprel::Root)
                    .unwrap_or(Deprel::Dep)
            };
            out.push((head, rel));
        }
    }

    fn root_class(&self) -> usize {
        self.labels
            .iter()
            .position(|&l| l == Deprel::Root)
            .unwrap_or(0)
    }

    /// Best label for a non-root arc (never `root`).
    fn best_label(&self, scores: &[i32]) -> usize {
        let mut best = usize::MAX;
        for (i, &l) in self.labels.iter().enumerate() {
            if l == Deprel::Root {
                continue;
            }
            if best == usize::MAX || scores[i] > scores[best] {
                best = i;
            }
        }
        best.min(self.labels.len().saturating_sub(1))
    }
}

/// The highest-scoring valid move (the first on ties).
#[inline]
fn best_valid<T: PartialOrd + Copy>(scores: &[T], valid: &[bool; 3]) -> Move {
    let mut best: Option<usize> = None;
    for i in 0..3 {
        if valid[i] && best.is_none_or(|b| scores[i] > scores[b]) {
            best = Some(i);
        }
    }
    Move::ALL[best.expect("a non-terminal state has a valid move")]
}

/// A sentence prepared for training or evaluation: words, the tags the parser
/// will see (gold or predicted), and the gold tree.
#[derive(Debug, Clone)]
pub struct ParseExample {
    pub words: Vec<String>,
    pub tags: Vec<(Upos, Xpos)>,
    /// Gold head per word (0 = root, else 1-based).
    pub heads: Vec<u32>,
    pub deprels: Vec<Deprel>,
}

impl ParseExample {
    /// From a CoNLL-U sentence, with its gold tags. Unknown tags become
    /// `X`/`XX`, unknown relations `dep`, missing heads attach to the root.
    pub fn from_conllu(s: &Sentence) -> ParseExample {
        let words = s.words.iter().map(|w| w.form.clone()).collect();
        let tags = s
            .words
            .iter()
            .map(|w| {
                (
                    Upos::from_str(&w.upos).unwrap_or(Upos::X),
                    Xpos::from_str(&w.xpos).unwrap_or(Xpos::Xx),
                )
            })
            .collect();
        let n = s.words.len() as u32;
        let heads = s
            .words
            .iter()
            .map(|w| w.head.filter(|&h| h <= n).unwrap_or(0))
            .collect();
        let deprels = s
            .words
            .iter()
            .map(|w| Deprel::parse_lenient(&w.deprel).unwrap_or(Deprel::Dep))
            .collect();
        ParseExample {
            words,
            tags,
            heads,
            deprels,
        }
    }

    fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParserTrainOptions {
    /// Maximum number of passes over the training data.
    pub epochs: usize,
    /// Seed for shuffling and exploration.
    pub seed: u64,
    /// Stop after this many epochs without a better dev LAS.
    pub patience: usize,
    /// First epoch (1-based) in which the parser follows its own predictions
    /// (dynamic-oracle exploration); before it, it follows the oracle.
    pub explore_from: usize,
    /// Probability of following the model's (possibly wrong) move when exploring.
    pub explore_prob: f64,
    /// Pruning of the move classifier.
    pub finalize: FinalizeOptions,
    /// Label features updated fewer times than this are dropped.
    pub label_min_updates: u32,
    /// Averaged label weights below this magnitude are dropped.
    pub label_prune: f32,
    /// Train on tags predicted by taggers trained on the other folds of the
    /// training data (k-fold jack-knifing), so the parser learns from real
    /// tagging errors; dev is then tagged by a tagger trained on all of it.
    /// 0 = train and select on gold tags.
    pub jackknife: usize,
    /// Epochs of the jack-knifed taggers (and of the tagger that tags dev
    /// when training from CoNLL-U): 20, as the shipped `tagger.bin`, so the
    /// training tags look like the tags the parser sees at run time.
    #[serde(default = "jackknife_tagger_epochs")]
    pub tagger_epochs: usize,
    /// Feature templates of those taggers (as `newsgraph train tagger
    /// --templates`): use the shipped tagger's.
    #[serde(default)]
    pub tagger_templates: TaggerTemplates,
    /// Brown-cluster templates (the shipped `models/clusters.bin`, which
    /// parsing always uses): off trains a parser without them.
    #[serde(default = "yes")]
    pub clusters: bool,
    /// Print one line per epoch to stderr.
    pub verbose: bool,
}

impl Default for ParserTrainOptions {
    fn default() -> Self {
        ParserTrainOptions {
            epochs: 15,
            seed: 1,
            patience: 3,
            explore_from: 2,
            explore_prob: 0.9,
            finalize: FinalizeOptions {
                min_count: 3,
                prune: 0.0,
            },
            label_min_updates: 3,
            label_prune: 0.0,
            jackknife: 5,
            tagger_epochs: jackknife_tagger_epochs(),
            tagger_templates: TaggerTemplates::default(),
            clusters: true,
            verbose: true,
        }
    }
}

fn yes() -> bool {
    true
}

fn jackknife_tagger_epochs() -> usize {
    20
}

/// One epoch of training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParserEpoch {
    /// 1-based.
    pub epoch: usize,
    /// Share of moves the model predicted at zero cost while training.
    pub train_move_accuracy: f64,
    pub dev_uas: f64,
    pub dev_las: f64,
    pub move_features: usize,
    pub label_features: usize,
    pub seconds: f64,
}

/// What training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParserTrainReport {
    pub epochs: Vec<ParserEpoch>,
    /// 1-based epoch whose weights were kept (best dev LAS).
    pub best_epoch: usize,
    pub best_dev_las: f64,
    pub best_dev_uas: f64,
    pub train_sentences: usize,
    /// Training sentences whose tree had to be projectivized, and arcs lifted.
    pub nonprojective_sentences: usize,
    pub lifted_arcs: usize,
}

/// Train on CoNLL-U sentences with their gold tags; pick the epoch with the best LAS on `dev`.
pub fn train_parser(
    train: &[Sentence],
    dev: &[Sentence],
    opts: &ParserTrainOptions,
) -> (Parser, ParserTrainReport) {
    let mut train_ex: Vec<ParseExample> = train.iter().map(ParseExample::from_conllu).collect();
    let mut dev_ex: Vec<ParseExample> = dev.iter().map(ParseExample::from_conllu).collect();
    if opts.jackknife >= 2 {
        let tags = jackknife_tags(train, dev, opts);
        for (ex, t) in train_ex.iter_mut().zip(tags) {
            ex.tags = t;
        }
        if opts.verbose {
            eprintln!("jack-knife: training a tagger on all training data to tag dev");
        }
        let tagger =
            train_tagger_with(&[train], dev, &tagger_options(opts), opts.tagger_templates).0;
        dev_ex = examples_with_tags(dev, Some(&tagger));
    }
    train_parser_examples(&train_ex, &dev_ex, opts)
}

fn tagger_options(opts: &ParserTrainOptions) -> TrainOptions {
    TrainOptions {
        seed: opts.seed,
        epochs: opts.tagger_epochs,
        verbose: false,
        ..TrainOptions::default()
    }
}

/// Tags for every training sentence, each predicted by a tagger trained on
/// the other `k - 1` folds (sentence `i` is in fold `i % k`, `k` =
/// `opts.jackknife`) with `opts.seed`, `opts.tagger_epochs` and
/// `opts.tagger_templates`; `dev` is used for the taggers' early stopping.
pub fn jackknife_tags(
    train: &[Sentence],
    dev: &[Sentence],
    opts: &ParserTrainOptions,
) -> Vec<Vec<(Upos, Xpos)>> {
    let k = opts.jackknife;
    let mut out = vec![Vec::new(); train.len()];
    let mut tags = Vec::new();
    for fold in 0..k {
        let rest: Vec<Sentence> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let start = Instant::now();
        let (tagger, _) = train_tagger_with(
            &[&rest[..]],
            dev,
            &tagger_options(opts),
            opts.tagger_templates,
        );
        let mut ok = 0usize;
        let mut total = 0usize;
        for (i, s) in train.iter().enumerate().filter(|(i, _)| i % k == fold) {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            tagger.tag(&words, &mut tags);
            for (w, t) in s.words.iter().zip(&tags) {
                total += 1;
                ok += (w.xpos == t.1.as_str()) as usize;
            }
            out[i].clone_from(&tags);
        }
        eprintln!(
            "jack-knife fold {}/{k}: held-out XPOS accuracy {:.4} ({:.0}s)",
            fold + 1,
            ok as f64 / total.max(1) as f64,
            start.elapsed().as_secs_f64()
        );
    }
    out
}

/// Train on prepared examples (e.g. with predicted tags); pick the epoch with
/// the best LAS on `dev`.
pub fn train_parser_examples(
    train: &[ParseExample],
    dev: &[ParseExample],
    opts: &ParserTrainOptions,
) -> (Parser, ParserTrainReport) {
    // Label classes: every relation seen in training, in Deprel order.
    let mut seen = vec![false; Deprel::ALL.len()];
    seen[Deprel::Root.index()] = true;
    for ex in train {
        for &d in &ex.deprels {
            seen[d.index()] = true;
        }
    }
    let labels: Vec<Deprel> = Deprel::ALL
        .iter()
        .copied()
        .filter(|d| seen[d.index()])
        .collect();
    let mut class_of = vec![0u8; Deprel::ALL.len()];
    for (i, l) in labels.iter().enumerate() {
        class_of[l.index()] = i as u8;
    }
    let root_class = class_of[Deprel::Root.index()] as usize;

    // Gold trees in parser numbering (ROOT = n + 1), projectivized.
    let mut nonprojective = 0;
    let mut lifted = 0;
    let golds: Vec<(Vec<u32>, Vec<u8>)> = train
        .iter()
        .map(|ex| {
            let n = ex.words.len() as u32;
            let mut heads = Vec::with_capacity(ex.heads.len() + 1);
            heads.push(0);
            heads.extend_from_slice(&ex.heads);
            let l = projectivize(&mut heads);
            if l > 0 {
                nonprojective += 1;
                lifted += l;
            }
            let mut gold: Vec<u32> = heads
                .iter()
                .map(|&h| if h == 0 { n + 1 } else { h })
                .collect();
            gold[0] = 0;
            gold.push(0); // ROOT's own slot
            let mut labs = vec![0u8; n as usize + 2];
            for (i, d) in ex.deprels.iter().enumerate() {
                labs[i + 1] = class_of[d.index()];
            }
            (gold, labs)
        })
        .collect();

    let mut moves = Perceptron::new(3);
    let mut labeller = model::Trainer::new(labels.len());
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut atoms = Atoms::default();
    let clusters = opts.clusters.then(crate::tagger::clusters);
    let mut state = State::new(0);
    let mut feats = Vec::new();
    let mut scores = vec![0f32; labels.len().max(3)];
    let mut best: Option<(Parser, f64, f64, usize)> = None;
    // Keys of every move feature with a weight, to enumerate the finalized rows.
    let mut updated = model::KeySet::default();
    let mut epochs = Vec::new();

    for epoch in 1..=opts.epochs.max(1) {
        let start = Instant::now();
        rng.shuffle(&mut order);
        let explore = epoch >= opts.explore_from;
        let (mut correct, mut total) = (0usize, 0usize);
        for &i in &order {
            let ex = &train[i];
            let (gold, gold_labels) = &golds[i];
            let words = ex.word_refs();
            let n = words.len();
            if n == 0 {
                continue;
            }
            atoms.fill(&words, &ex.tags, clusters);
            state.reset(n);
            let root = state.root();
            while !state.is_terminal() {
                move_features(&atoms, &state, &mut feats);
                moves.scores(&feats, &mut scores[..3]);
                let valid = state.valid_moves();
                let guess = best_valid(&scores[..3], &valid);
                let costs = state.costs(gold);
                let mut zero = [false; 3];
                for m in Move::ALL {
                    zero[m as usize] = costs[m as usize] == 0;
                }
                let best_gold = best_valid(&scores[..3], &zero);
                moves.update(&feats, best_gold as usize, guess as usize);
                if best_gold != guess {
                    updated.extend(feats.iter().copied());
                }
                total += 1;
                correct += zero[guess as usize] as usize;
                let follow_guess = explore
                    && guess != best_gold
                    && rng.next_u64() as f64 / (u64::MAX as f64) < opts.explore_prob;
                let m = if follow_guess { guess } else { best_gold };
                let label = match state.arc_of(m) {
                    None => 0,
                    Some((h, _)) if h == root => root_class,
                    Some((h, d)) => {
                        label_features(&atoms, &state, h, d, m == Move::Right, &mut feats);
                        let scores = &mut scores[..labels.len()];
                        labeller.score(&feats, scores);
                        let lguess = best_label_f32(scores, root_class);
                        labeller.tick();
                        let gold_head = gold[d as usize] == h;
                        let truth = gold_labels[d as usize] as usize;
                        if gold_head && truth != root_class {
                            labeller.update(&feats, truth, lguess);
                        }
                        if gold_head && !explore && truth != root_class {
                            truth
                        } else {
                            lguess
                        }
                    }
                };
                state.apply(m, label as u8);
            }
        }
        moves.end_epoch();
        let parser = Parser {
            labels: labels.clone(),
            moves: move_table(&moves.finalize(&opts.finalize), &updated),
            labeller: labeller.finalize(opts.label_min_updates, opts.label_prune),
            clusters: opts.clusters,
        };
        let ev = eval_examples(&parser, dev);
        let report = ParserEpoch {
            epoch,
            train_move_accuracy: correct as f64 / total.max(1) as f64,
            dev_uas: ev.uas,
            dev_las: ev.las,
            move_features: parser.moves.len(),
            label_features: parser.labeller.n_features(),
            seconds: start.elapsed().as_secs_f64(),
        };
        if opts.verbose {
            eprintln!(
                "epoch {epoch}/{}: train moves {:.4}  dev UAS {:.4} LAS {:.4}  features {}+{}  {:.1}s",
                opts.epochs,
                report.train_move_accuracy,
                ev.uas,
                ev.las,
                report.move_features,
                report.label_features,
                report.seconds
            );
        }
        epochs.push(report);
        if best.as_ref().is_none_or(|b| ev.las > b.1) {
            best = Some((parser, ev.las, ev.uas, epoch));
        } else if epoch - best.as_ref().map_or(0, |b| b.3) >= opts.patience.max(1) {
            if opts.verbose {
                eprintln!("no dev improvement for {} epochs; stopping", opts.patience);
            }
            break;
        }
    }
    let (parser, best_dev_las, best_dev_uas, best_epoch) = best.expect("at least one epoch");
    (
        parser,
        ParserTrainReport {
            epochs,
            best_epoch,
            best_dev_las,
            best_dev_uas,
            train_sentences: train.len(),
            nonprojective_sentences: nonprojective,
            lifted_arcs: lifted,
        },
    )
}

/// The run-time move table from a finalized move classifier.
fn move_table(m: &newsgraph_learn::Model, keys: &model::KeySet) -> model::MoveTable {
    let rows = keys
        .iter()
        .filter_map(|&k| {
            let r = m.row(k)?;
            Some((k, [r[0], r[1], r[2]]))
        })
        .collect();
    model::MoveTable::build(rows)
}

fn best_label_f32(scores: &[f32], root_class: usize) -> usize {
    let mut best = usize::MAX;
    for (i, &s) in scores.iter().enumerate() {
        if i == root_class {
            continue;
        }
        if best == usize::MAX || s > scores[best] {
            best = i;
        }
    }
    best
}

/// Attachment scores of a parser on a treebank.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParseEval {
    /// Unlabelled attachment score: share of words with the right head.
    pub uas: f64,
    /// Labelled attachment score: right head and right relation (full
    /// relation with subtype, as the CoNLL 2018 scorer's LAS).
    pub las: f64,
    /// Words scored (punctuation included).
    pub tokens: usize,
    /// Parsing speed (tagging excluded), words per second on one thread.
    pub tokens_per_sec: f64,
}

/// Score `parser` on `sentences` with gold tokenization, with tags from
/// `tagger` (or the gold tags of the file when `None`). This is what
/// `newsgraph eval parse` prints. Punctuation is scored.
pub fn eval_parse(parser: &Parser, tagger: Option<&Tagger>, sentences: &[Sentence]) -> ParseEval {
    let examples = examples_with_tags(sentences, tagger);
    eval_examples(parser, &examples)
}

/// Examples from CoNLL-U sentences, with tags predicted by `tagger` if given.
pub fn examples_with_tags(sentences: &[Sentence], tagger: Option<&Tagger>) -> Vec<ParseExample> {
    let mut examples: Vec<ParseExample> = sentences.iter().map(ParseExample::from_conllu).collect();
    if let Some(tagger) = tagger {
        let mut tags = Vec::new();
        for ex in &mut examples {
            tagger.tag(&ex.word_refs(), &mut tags);
            ex.tags.clone_from(&tags);
        }
    }
    examples
}

/// Score `parser` on prepared examples.
pub fn eval_examples(parser: &Parser, examples: &[ParseExample]) -> ParseEval {
    let mut scratch = ParseScratch::default();
    let mut out = Vec::new();
    let (mut tokens, mut head_ok, mut both_ok) = (0usize, 0usize, 0usize);
    let mut secs = 0f64;
    for ex in examples {
        let words = ex.word_refs();
        let start = Instant::now();
        parser.parse_with(&mut scratch, &words, &ex.tags, &mut out);
        secs += start.elapsed().as_secs_f64();
        for (i, &(h, rel)) in out.iter().enumerate() {
            tokens += 1;
            if h == ex.heads[i] {
                head_ok += 1;
                if rel == ex.deprels[i] {
                    both_ok += 1;
                }
            }
        }
    }
    let t = tokens.max(1) as f64;
    ParseEval {
        uas: head_ok as f64 / t,
        las: both_ok as f64 / t,
        tokens,
        tokens_per_sec: if secs > 0.0 {
            tokens as f64 / secs
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_core::conllu;

    /// A tiny treebank written for these tests (not from any corpus).
    const TINY: &str = "\
1\tKerry\tKerry\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
3\twith\twith\tADP\tIN\t_\t4\tcase\t_\t_
4\tPutin\tPutin\tPROPN\tNNP\t_\t2\tobl\t_\t_
5\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_
6\tSochi\tSochi\tPROPN\tNNP\t_\t2\tobl\t_\t_
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tsigned\tsign\tVERB\tVBD\t_\t0\troot\t_\t_
4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_
5\tdeal\tdeal\tNOUN\tNN\t_\t3\tobj\t_\t_
6\ton\ton\tADP\tIN\t_\t7\tcase\t_\t_
7\tTuesday\tTuesday\tPROPN\tNNP\t_\t3\tobl\t_\t_
8\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tProtesters\tprotester\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\tblocked\tblock\tVERB\tVBD\t_\t0\troot\t_\t_
3\troads\troad\tNOUN\tNNS\t_\t2\tobj\t_\t_
4\tand\tand\tCCONJ\tCC\t_\t5\tcc\t_\t_
5\tbridges\tbridge\tNOUN\tNNS\t_\t3\tconj\t_\t_
6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\t_
2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
4\ttalks\ttalk\tNOUN\tNNS\t_\t6\tnsubj\t_\t_
5\thad\thave\tAUX\tVBD\t_\t6\taux\t_\t_
6\tfailed\tfail\tVERB\tVBN\t_\t2\tccomp\t_\t_
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_
";

    fn tiny() -> Vec<Sentence> {
        conllu::parse(TINY).unwrap()
    }

    fn quiet() -> ParserTrainOptions {
        ParserTrainOptions {
            epochs: 30,
            patience: 30,
            finalize: FinalizeOptions {
                min_count: 1,
                prune: 0.0,
            },
            label_min_updates: 1,
            jackknife: 0,
            verbose: false,
            ..ParserTrainOptions::default()
        }
    }

    fn parse_all(parser: &Parser, sentences: &[Sentence]) -> Vec<Vec<(u32, Deprel)>> {
        examples_with_tags(sentences, None)
            .iter()
            .map(|ex| {
                let mut out = Vec::new();
                parser.parse(&ex.word_refs(), &ex.tags, &mut out);
                out
            })
            .collect()
    }

    fn assert_tree(arcs: &[(u32, Deprel)]) {
        let n = arcs.len();
        if n == 0 {
            return;
        }
        let roots: Vec<usize> = (0..n).filter(|&i| arcs[i].0 == 0).collect();
        assert_eq!(roots.len(), 1, "exactly one root: {arcs:?}");
        assert_eq!(arcs[roots[0]].1, Deprel::Root);
        for (i, &(h, rel)) in arcs.iter().enumerate() {
            assert!(h as usize <= n, "head in range: {arcs:?}");
            assert!(h as usize != i + 1, "no self loop: {arcs:?}");
            if h != 0 {
                assert_ne!(rel, Deprel::Root, "root label only on the root: {arcs:?}");
            }
            // Walking up from every word reaches the root without a cycle.
            let mut k = i + 1;
            let mut steps = 0;
            while k != 0 {
                k = arcs[k - 1].0 as usize;
                steps += 1;
                assert!(steps <= n, "cycle: {arcs:?}");
            }
        }
    }

    #[test]
    fn overfits_tiny_treebank_and_round_trips() {
        let data = tiny();
        let (parser, report) = train_parser(&data, &data, &quiet());
        assert_eq!(report.best_dev_las, 1.0, "{report:?}");
        let parses = parse_all(&parser, &data);
        for (s, arcs) in data.iter().zip(&parses) {
            let ex = ParseExample::from_conllu(s);
            let gold: Vec<(u32, Deprel)> = ex
                .heads
                .iter()
                .copied()
                .zip(ex.deprels.iter().copied())
                .collect();
            assert_eq!(arcs, &gold);
        }
        let bytes = parser.save();
        let back = Parser::load(&bytes).unwrap();
        assert_eq!(parse_all(&back, &data), parses);
        assert_eq!(back.save(), bytes);
    }

    #[test]
    fn ensemble_of_seeds_parses_like_its_members_agree() {
        let data = tiny();
        let a = train_parser(&data, &data, &quiet()).0;
        let b = train_parser(&data, &data, &ParserTrainOptions { seed: 7, ..quiet() }).0;
        // A parser combined with itself is itself (up to i16 rounding).
        let aa = Parser::ensemble(&[&a, &a]).unwrap();
        assert_eq!(parse_all(&aa, &data), parse_all(&a, &data));
        // Two seeds that both fit the data: so does their ensemble, and it
        // survives a save/load round trip.
        let ab = Parser::ensemble(&[&a, &b]).unwrap();
        assert_eq!(parse_all(&ab, &data), parse_all(&a, &data));
        let back = Parser::load(&ab.save()).unwrap();
        assert_eq!(parse_all(&back, &data), parse_all(&ab, &data));
        let (ma, _) = a.n_features();
        let (mab, _) = ab.n_features();
        assert!(mab >= ma);
        // Different label sets are refused.
        let mut c = a.clone();
        c.labels.pop();
        assert!(Parser::ensemble(&[&a, &c]).is_err());
        assert!(Parser::ensemble(&[]).is_err());
    }

    #[test]
    fn training_is_deterministic() {
        let data = tiny();
        let a = train_parser(&data, &data, &quiet()).0.save();
        let b = train_parser(&data, &data, &quiet()).0.save();
        assert_eq!(a, b);
    }

    #[test]
    fn rejects_other_models() {
        let err = Parser::load(b"not a model").unwrap_err();
        assert!(matches!(err, ModelError::BadMagic { .. }));
        let other = format::encode("tagger", &1u32).unwrap();
        assert!(Parser::load(&other)
            .unwrap_err()
            .to_string()
            .contains("expected `parser`"));
    }

    #[test]
    fn outputs_are_trees_on_random_input() {
        let data = tiny();
        let tiny_parser = train_parser(&data, &data, &quiet()).0;
        let builtin = Parser::builtin().unwrap();
        let vocab = [
            "the", "said", ",", ".", "of", "Putin", "and", "(", ")", "to", "a", "met", "\"",
            "xyzzy",
        ];
        let mut rng = Rng::new(99);
        let mut out = Vec::new();
        let mut scratch = ParseScratch::default();
        for _ in 0..400 {
            let n = rng.below(40);
            let words: Vec<&str> = (0..n).map(|_| vocab[rng.below(vocab.len())]).collect();
            let tags: Vec<(Upos, Xpos)> = (0..n)
                .map(|_| {
                    (
                        Upos::ALL[rng.below(Upos::ALL.len())],
                        Xpos::ALL[rng.below(Xpos::ALL.len())],
                    )
                })
                .collect();
            for parser in [&tiny_parser, &builtin] {
                parser.parse_with(&mut scratch, &words, &tags, &mut out);
                assert_eq!(out.len(), n);
                assert_tree(&out);
            }
        }
    }

    /// Words with hand-assigned tags (so the test does not depend on the tagger).
    fn tagged(s: &str) -> (Vec<&str>, Vec<(Upos, Xpos)>) {
        s.split(' ')
            .map(|wt| {
                let (w, t) = wt.rsplit_once('/').unwrap();
                let (u, x) = t.split_once('_').unwrap();
                (w, (Upos::from_str(u).unwrap(), Xpos::from_str(x).unwrap()))
            })
            .unzip()
    }

    #[test]
    fn builtin_model_parses_news_sentences() {
        let parser = Parser::builtin().unwrap();
        let mut out = Vec::new();
        // (sentence, [(dependent, head, relation)]), 1-based.
        type Case<'a> = (&'a str, &'a [(usize, usize, Deprel)]);
        let cases: &[Case] = &[
            (
                "Marlow/PROPN_NNP met/VERB_VBD with/ADP_IN Petrov/PROPN_NNP in/ADP_IN Sochi/PROPN_NNP on/ADP_IN Tuesday/PROPN_NNP ./PUNCT_.",
                &[
                    (1, 2, Deprel::Nsubj),
                    (2, 0, Deprel::Root),
                    (4, 2, Deprel::Obl),
                    (3, 4, Deprel::Case),
                    (5, 6, Deprel::Case),
                    (9, 2, Deprel::Punct),
                ],
            ),
            (
                "The/DET_DT rebels/NOUN_NNS attacked/VERB_VBD a/DET_DT police/NOUN_NN station/NOUN_NN near/ADP_IN the/DET_DT border/NOUN_NN ./PUNCT_.",
                &[
                    (2, 3, Deprel::Nsubj),
                    (3, 0, Deprel::Root),
                    (6, 3, Deprel::Obj),
                    (5, 6, Deprel::Compound),
                    (1, 2, Deprel::Det),
                ],
            ),
            (
                "Foreign/ADJ_JJ Minister/PROPN_NNP Anna/PROPN_NNP Kovacs/PROPN_NNP accused/VERB_VBD the/DET_DT government/NOUN_NN of/SCONJ_IN violating/VERB_VBG the/DET_DT ceasefire/NOUN_NN ./PUNCT_.",
                &[
                    (3, 5, Deprel::Nsubj),
                    (5, 0, Deprel::Root),
                    (7, 5, Deprel::Obj),
                    (11, 9, Deprel::Obj),
                ],
            ),
            (
                "The/DET_DT talks/NOUN_NNS were/AUX_VBD hosted/VERB_VBN by/ADP_IN Norway/PROPN_NNP ./PUNCT_.",
                &[
                    (2, 4, Deprel::NsubjPass),
                    (3, 4, Deprel::AuxPass),
                    (4, 0, Deprel::Root),
                    (6, 4, Deprel::OblAgent),
                ],
            ),
        ];
        for (sentence, arcs) in cases {
            let (words, tags) = tagged(sentence);
            parser.parse(&words, &tags, &mut out);
            assert_tree(&out);
            for &(d, h, rel) in *arcs {
                assert_eq!(
                    out[d - 1],
                    (h as u32, rel),
                    "`{}` in `{sentence}`: got {out:?}",
                    words[d - 1]
                );
            }
        }
    }
}
