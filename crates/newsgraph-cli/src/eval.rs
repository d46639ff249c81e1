//! `newsgraph eval`: accuracy and speed of pipeline stages on annotated data.

use anyhow::{Context, Result};
use clap::Subcommand;
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
}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Tokenize { file } => {
            let input = read(&file)?;
            let scores = newsgraph_text::eval::evaluate(&input)
                .with_context(|| format!("{}", file.display()))?;
            println!("{}", serde_json::to_string(&scores)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
