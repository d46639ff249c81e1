//! `newsgraph eval`: accuracy and speed of pipeline stages on annotated data.

use crate::{read_conllu, read_text};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
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
    /// Time expressions against GUM-style `<date when=...>` annotations, anchored
    /// on `# meta::dateCreated`.
    Time {
        /// A CoNLL-U file with GUM's MISC annotations.
        file: PathBuf,
    },
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
            let tagger = match model {
                Some(p) => {
                    let bytes = std::fs::read(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?;
                    newsgraph_nlp::Tagger::load_from(&bytes, &p.display().to_string())?
                }
                None => newsgraph_nlp::Tagger::builtin()?,
            };
            let sentences = read_conllu(&file)?;
            serde_json::to_string(&newsgraph_nlp::eval_pos(
                &tagger,
                tagger.lemmatizer(),
                &sentences,
            ))?
        }
        EvalCommand::Time { file } => {
            let input = read_text(&file)?;
            let scores = newsgraph_extract::time::eval_time(&input)
                .with_context(|| format!("{}", file.display()))?;
            serde_json::to_string(&scores)?
        }
    };
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}
