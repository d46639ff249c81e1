//! `newsgraph eval`: accuracy and speed of pipeline stages on annotated data.

use crate::{read_conllu, read_text};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Tokenizer and sentence splitter against a CoNLL-U file (raw text rebuilt
    /// from `# text =` lines; paragraphs from `# newpar`).
    Tokenize {
        /// A CoNLL-U file.
        file: PathBuf,
    },
    /// Tagger and lemmatizer on gold tokens of a CoNLL-U file.
    Pos {
        /// A CoNLL-U file.
        file: PathBuf,
        /// A tagger model file instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Dependency parser on gold tokens of a CoNLL-U file, with tags predicted by
    /// the tagger (or the gold tags with `--gold-tags`).
    Parse {
        /// A CoNLL-U file.
        file: PathBuf,
        /// A parser model file instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// A tagger model file instead of the built-in one.
        #[arg(long)]
        tagger: Option<PathBuf>,
        /// Parse with the file's gold tags instead of predicted ones.
        #[arg(long)]
        gold_tags: bool,
    },
    /// Entity recogniser on a CoNLL-2003-style column file (IOB1 or BIO), with
    /// conlleval semantics (exact span and type).
    Ner {
        /// A column file: word POS chunk tag.
        file: PathBuf,
        /// A model file instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Time expressions against GUM-style `<date when=...>` annotations, anchored
    /// on `# meta::dateCreated`.
    Time {
        /// A CoNLL-U file with GUM's MISC annotations.
        file: PathBuf,
        /// Give the recogniser the file's gold XPOS tags for tense (default: none).
        #[arg(long)]
        gold_tags: bool,
        /// Print every gold span with the prediction and whether its value is
        /// right, and every false positive, to stderr (tab-separated).
        #[arg(long)]
        verbose: bool,
    },
    /// Check the project's own gold files (dev/README.md) and count what they
    /// hold: annotated articles (`.txt` + `.json`) and `.jsonl` event records.
    Gold {
        /// Gold files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Quotes and their speakers against the gold quotes of annotated articles
    /// (dev/articles): recall and precision by span overlap (and one-to-one),
    /// speaker accuracy for direct and for indirect/mixed quotes.
    Quotes {
        /// Gold article files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// List every miss, false alarm and wrong speaker on stderr.
        #[arg(long)]
        errors: bool,
    },
    /// Entities of the standard pipeline against annotated dev articles:
    /// mention P/R/F1 (one-to-one overlap alignment), clusters (B³, MUC),
    /// actor country and sector accuracy over gold entities, pronoun
    /// resolution accuracy, place country accuracy (matching documented in
    /// `newsgraph_extract::entities::eval`).
    Entities {
        /// Annotated articles or directories of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// List the gold entities whose country or sector is wrong.
        #[arg(long)]
        verbose: bool,
    },
    /// PLOVER events against the project's gold (dev/README.md): sentence
    /// records (`.jsonl`) and annotated articles, run through the standard
    /// pipeline. A predicted event matches a gold one of the same type whose
    /// trigger lies in its sentence (one-to-one); field accuracies are over
    /// matched events.
    Events {
        /// Gold files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also print each error (missed, spurious, wrong field) to stderr.
        #[arg(long)]
        errors: bool,
        /// Fit a confidence calibration on these events' raw scores and
        /// write it to FILE (the shipped one is `models/event_calibration.json`);
        /// the scores printed are then those of the raw scores.
        #[arg(long, value_name = "FILE")]
        fit_calibration: Option<PathBuf>,
        #[command(flatten)]
        events: crate::extract::EventModelArgs,
    },
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The built-in tagger, or the one in `path`.
fn load_tagger(path: Option<&Path>) -> Result<newsgraph_nlp::Tagger> {
    Ok(match path {
        Some(p) => newsgraph_nlp::Tagger::load_from(&read_bytes(p)?, &p.display().to_string())?,
        None => newsgraph_nlp::Tagger::builtin()?,
    })
}

/// The gold documents in `paths` (only annotated articles when
/// `annotated_only`) and what the standard pipeline makes of each, in order.
fn run_on_gold(
    paths: &[PathBuf],
    annotated_only: bool,
    events: &newsgraph::EventOptions,
) -> Result<(
    Vec<newsgraph_extract::gold::GoldDoc>,
    Vec<newsgraph_core::Doc>,
)> {
    use rayon::prelude::*;
    let gold: Vec<_> = newsgraph_extract::gold::load(paths)?
        .into_iter()
        .filter(|d| d.annotated || !annotated_only)
        .collect();
    let pipeline = newsgraph::Pipeline::standard_with(events)?;
    let docs = gold
        .par_iter()
        .map(|g| {
            pipeline
                .process(g.article(), None)
                .with_context(|| g.origin.clone())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((gold, docs))
}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    let json = match cmd {
        EvalCommand::Tokenize { file } => {
            let input = read_text(&file)?;
            let scores = newsgraph_text::eval::evaluate(&input)
                .with_context(|| format!("{}", file.display()))?;
            serde_json::to_string(&scores)?
        }
        EvalCommand::Pos { file, model } => {
            let tagger = load_tagger(model.as_deref())?;
            let sentences = read_conllu(&file)?;
            serde_json::to_string(&newsgraph_nlp::eval_pos(
                &tagger,
                tagger.lemmatizer(),
                &sentences,
            ))?
        }
        EvalCommand::Parse {
            file,
            model,
            tagger,
            gold_tags,
        } => {
            let parser = match model {
                Some(p) => {
                    newsgraph_nlp::Parser::load_from(&read_bytes(&p)?, &p.display().to_string())?
                }
                None => newsgraph_nlp::Parser::builtin()?,
            };
            let tagger = if gold_tags {
                None
            } else {
                Some(load_tagger(tagger.as_deref())?)
            };
            let sentences = read_conllu(&file)?;
            serde_json::to_string(&newsgraph_nlp::eval_parse(
                &parser,
                tagger.as_ref(),
                &sentences,
            ))?
        }
        EvalCommand::Ner { file, model } => {
            let rec = match model {
                Some(p) => newsgraph_nlp::EntityRecognizer::load_from(
                    &read_bytes(&p)?,
                    &p.display().to_string(),
                )?,
                None => newsgraph_nlp::EntityRecognizer::builtin()?,
            };
            let scores = newsgraph_nlp::eval_ner(&rec, &read_text(&file)?)
                .with_context(|| format!("{}", file.display()))?;
            serde_json::to_string(&scores)?
        }
        EvalCommand::Time {
            file,
            gold_tags,
            verbose,
        } => {
            let input = read_text(&file)?;
            let opts = newsgraph_extract::time::EvalOptions { gold_tags, verbose };
            let scores = newsgraph_extract::time::eval_time_with(&input, opts)
                .with_context(|| format!("{}", file.display()))?;
            serde_json::to_string(&scores)?
        }
        EvalCommand::Entities { paths, verbose } => {
            let (gold, docs) = run_on_gold(&paths, true, &Default::default())?;
            let mut scorer = newsgraph_extract::entities::eval::EntityScorer::new();
            for (gold, doc) in gold.iter().zip(&docs) {
                scorer.add(gold, &doc.entities, verbose);
            }
            serde_json::to_string(&scorer.finish())?
        }
        EvalCommand::Gold { paths } => {
            let docs = newsgraph_extract::gold::load(&paths)?;
            serde_json::to_string(&newsgraph_extract::gold::summarize(&docs))?
        }
        EvalCommand::Quotes { paths, errors } => {
            let (gold, docs) = run_on_gold(&paths, true, &Default::default())?;
            let pairs: Vec<_> = gold.iter().zip(&docs).collect();
            let scores = newsgraph_extract::quotes::eval_quotes(&pairs);
            if errors {
                for e in &scores.errors {
                    eprintln!("{e}");
                }
            }
            serde_json::to_string(&scores)?
        }
        EvalCommand::Events {
            paths,
            errors,
            fit_calibration,
            events,
        } => {
            use newsgraph_extract::events::confidence;
            if fit_calibration.is_some() {
                confidence::set_raw_scores(true);
            }
            let (docs, processed) = run_on_gold(&paths, false, &events.options())?;
            let mut scorer = newsgraph_extract::events::eval::EventScorer::new();
            if errors {
                scorer = scorer.with_errors();
            }
            if fit_calibration.is_some() {
                scorer = scorer.with_outcomes();
            }
            for (doc, gold) in processed.iter().zip(&docs) {
                scorer.add(doc, gold);
            }
            if let Some(errs) = &scorer.errors {
                for e in errs {
                    eprintln!("{e}");
                }
            }
            if let (Some(out), Some(outcomes)) = (&fit_calibration, &scorer.outcomes) {
                let on: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let cal = confidence::Calibration::fit(
                    outcomes.iter().map(|(_, e, ok)| (e, *ok)),
                    &on.join(" "),
                );
                std::fs::write(out, serde_json::to_string_pretty(&cal)? + "\n")
                    .with_context(|| format!("cannot write {}", out.display()))?;
                eprintln!("wrote {}: {:?}", out.display(), cal.weights);
                // Out of sample: 5-fold cross-fitting over the documents.
                let crossed = confidence::cross_fit(outcomes, 5);
                let (bins, ece) = newsgraph_extract::events::eval::reliability(&crossed);
                let mut scores = serde_json::to_value(scorer.scores())?;
                scores["cross_fitted_reliability"] = serde_json::to_value(bins)?;
                scores["cross_fitted_calibration_error"] = serde_json::to_value(ece)?;
                writeln!(std::io::stdout().lock(), "{scores}")?;
                return Ok(ExitCode::SUCCESS);
            }
            serde_json::to_string(&scorer.scores())?
        }
    };
    writeln!(std::io::stdout().lock(), "{json}")?;
    Ok(ExitCode::SUCCESS)
}
