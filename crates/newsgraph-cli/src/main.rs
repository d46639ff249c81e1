//! The `newsgraph` command-line program: a thin layer over the library crates.
//!
//! Data goes to stdout, diagnostics to stderr; a closed stdout (`| head`) is success.

mod bench;
mod eval;
mod extract;
mod generate;
mod ingest;
mod query;
mod serve;
mod train;
mod work;

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "newsgraph",
    version,
    about = "Turn news articles into a queryable record of political events"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract tokens, sentences (and, as they land, entities, times, quotes and
    /// events) from articles and print them as JSON.
    Extract(extract::ExtractArgs),
    /// Read articles (files, feeds, WARC archives), extract them and add them to the store.
    Ingest(ingest::IngestArgs),
    /// Query corpus events; `--format csv|jsonl` exports them.
    Events(query::EventsArgs),
    /// Query corpus entities (the same actor across documents).
    Entities(query::EntitiesArgs),
    /// Query quotations by speaker or words.
    Quotes(query::QuotesArgs),
    /// Counts over the store.
    Stats(query::StatsArgs),
    /// Serve the JSON API and the web UI over the store (read-only; loopback by default).
    Serve(serve::ServeArgs),
    /// Write a synthetic corpus (benchmarks, tests).
    #[command(hide = true)]
    GenerateCorpus(generate::GenerateArgs),
    /// Measure accuracy and speed of a pipeline stage on annotated data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Measure the pipeline's speed on articles: per stage, one thread and all cores.
    Bench(bench::BenchArgs),
    /// Train a model from annotated corpora.
    #[command(subcommand)]
    Train(train::TrainCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Events(args) => query::events(args),
        Command::Entities(args) => query::entities(args),
        Command::Quotes(args) => query::quotes(args),
        Command::Stats(args) => query::stats(args),
        Command::Serve(args) => serve::run(args),
        Command::GenerateCorpus(args) => generate::run(args),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Train(cmd) => train::run(cmd),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "newsgraph: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `--date` values: any date form the readers accept, normalised to ISO 8601.
fn parse_date_arg(s: &str) -> Result<String, String> {
    newsgraph_ingest::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date (expected YYYY-MM-DD)"))
}

/// Read a whole text file, naming it in the error.
fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Read and parse a CoNLL-U file, naming it (and the line) in the error.
fn read_conllu(path: &Path) -> anyhow::Result<Vec<newsgraph_core::conllu::Sentence>> {
    newsgraph_core::conllu::parse(&read_text(path)?).with_context(|| format!("{}", path.display()))
}

/// Whether an error chain bottoms out in a closed pipe on stdout.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
