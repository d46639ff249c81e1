//! `newsgraph train`: train a model from annotated corpora and write the model file.

use crate::{read_conllu, read_text};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use newsgraph_learn::TrainOptions;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Part-of-speech tagger (UPOS + XPOS) and lemmatizer, from CoNLL-U treebanks.
    Tagger(TrainArgs),
    /// Dependency parser, from CoNLL-U treebanks; trained on 5-fold jack-knifed
    /// tags from the tagger's training code, so it learns from real tagging errors.
    Parser(TrainArgs),
    /// Named-entity recogniser, from CoNLL-2003-style column files (IOB1/BIO).
    Ner(NerArgs),
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training files, in priority order (where they disagree on a lemma, the first wins).
    #[arg(long, num_args = 1.., required = true)]
    train: Vec<PathBuf>,
    /// Development file: scored after each epoch; the best epoch is kept.
    #[arg(long)]
    dev: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Maximum number of epochs.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
    /// Seed of the shuffling RNG (same seed and data, same model).
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
}

impl TrainArgs {
    fn options(&self) -> TrainOptions {
        TrainOptions {
            epochs: self.epochs,
            seed: self.seed,
            ..TrainOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct NerArgs {
    /// Training file (CoNLL-2003 columns: word POS chunk tag).
    #[arg(long)]
    train: PathBuf,
    /// Development file: scored after each epoch; the best epoch is kept.
    #[arg(long)]
    dev: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Unlabeled text for the word clusters (.conllu, .csv with a `text` column, or plain text).
    #[arg(long, num_args = 1..)]
    unlabeled: Vec<PathBuf>,
    /// Maximum number of epochs (default: the recogniser's own).
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of the shuffling RNG.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(cmd: TrainCommand) -> Result<ExitCode> {
    match cmd {
        TrainCommand::Tagger(args) => {
            let corpora = args
                .train
                .iter()
                .map(|p| read_conllu(p))
                .collect::<Result<Vec<_>>>()?;
            let corpora: Vec<&[_]> = corpora.iter().map(Vec::as_slice).collect();
            let dev = read_conllu(&args.dev)?;
            eprintln!(
                "training tagger on {} sentences, dev {} sentences",
                corpora.iter().map(|c| c.len()).sum::<usize>(),
                dev.len()
            );
            let start = Instant::now();
            let (tagger, report) = newsgraph_nlp::train_tagger(&corpora, &dev, &args.options());
            eprintln!("trained in {:.1}s", start.elapsed().as_secs_f64());
            let bytes = tagger.save().context("encoding the model")?;
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        TrainCommand::Ner(args) => {
            let read_docs = |p: &PathBuf| -> Result<Vec<newsgraph_nlp::ner::ConllDoc>> {
                newsgraph_nlp::ner::read_conll(&read_text(p)?)
                    .with_context(|| format!("{}", p.display()))
            };
            let train = read_docs(&args.train)?;
            let dev = read_docs(&args.dev)?;
            let mut unlabeled = Vec::new();
            for p in &args.unlabeled {
                let name = p.display().to_string();
                unlabeled.extend(newsgraph_nlp::ner::read_unlabeled(&name, &read_text(p)?)?);
            }
            eprintln!(
                "training entity recogniser on {} documents, dev {} documents, {} unlabeled sentences",
                train.len(),
                dev.len(),
                unlabeled.len()
            );
            let mut opts = newsgraph_nlp::ner::NerTrainOptions::default();
            opts.train.seed = args.seed;
            if let Some(e) = args.epochs {
                opts.train.epochs = e;
            }
            let (rec, report) = newsgraph_nlp::train_ner(&train, &dev, &unlabeled, &opts);
            let bytes = rec.save().context("encoding the model")?;
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!(
                "wrote {} ({} bytes) in {:.1}s",
                args.out.display(),
                bytes.len(),
                report.seconds
            );
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        TrainCommand::Parser(args) => {
            let mut train = Vec::new();
            for p in &args.train {
                train.extend(read_conllu(p)?);
            }
            let dev = read_conllu(&args.dev)?;
            eprintln!(
                "training parser on {} sentences, dev {} sentences",
                train.len(),
                dev.len()
            );
            let opts = newsgraph_nlp::ParserTrainOptions {
                epochs: args.epochs,
                seed: args.seed,
                ..newsgraph_nlp::ParserTrainOptions::default()
            };
            let start = Instant::now();
            let (parser, report) = newsgraph_nlp::train_parser(&train, &dev, &opts);
            eprintln!("trained in {:.1}s", start.elapsed().as_secs_f64());
            let bytes = parser.save();
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
