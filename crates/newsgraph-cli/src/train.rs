//! `newsgraph train`: train a model from annotated corpora and write the model file.

use crate::read_conllu;
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
