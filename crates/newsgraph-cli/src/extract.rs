//! `newsgraph extract`: read articles, run the pipeline, print the JSON contract.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use newsgraph::Pipeline;
use newsgraph_core::json::{DocJson, JsonOptions};
use newsgraph_core::Article;
use newsgraph_ingest::{read_paths, ReadOptions};
use rayon::prelude::*;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A pretty-printed JSON array.
    Json,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files, directories (walked recursively) or `-` for stdin.
    #[arg(default_value = "-")]
    paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for articles that do not give one.
    #[arg(long, value_parser = crate::parse_date_arg)]
    date: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    format: OutputFormat,
    /// Include every token with its offsets, tags, lemma and parse.
    #[arg(long)]
    tokens: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = ReadOptions::default().max_file_bytes)]
    max_bytes: u64,
}

/// Articles are processed in batches: in parallel within a batch, printed in input order.
const BATCH: usize = 64;

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let pipeline = Pipeline::standard()?;
    let opts = ReadOptions {
        max_file_bytes: args.max_bytes,
        ..ReadOptions::default()
    };
    let json_opts = JsonOptions {
        tokens: args.tokens,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut written = 0usize;
    let mut failed = 0usize;
    let mut batch: Vec<Article> = Vec::with_capacity(BATCH);
    let mut items = read_paths(&args.paths, &opts).peekable();
    if args.format == OutputFormat::Json {
        out.write_all(b"[")?;
    }
    while items.peek().is_some() {
        batch.clear();
        for item in items.by_ref() {
            match item {
                Ok(article) => batch.push(article),
                Err(err) => {
                    failed += 1;
                    eprintln!("newsgraph: error: {err}");
                }
            }
            if batch.len() == BATCH {
                break;
            }
        }
        let rendered: Vec<Result<String, String>> = batch
            .par_drain(..)
            .map(|article| {
                let origin = article.origin.clone();
                let doc = pipeline
                    .process(article, args.date.as_deref())
                    .map_err(|e| format!("{origin}: {e}"))?;
                let json = DocJson::new(&doc, json_opts);
                let s = match args.format {
                    OutputFormat::Jsonl => serde_json::to_string(&json),
                    OutputFormat::Json => serde_json::to_string_pretty(&json),
                };
                s.map_err(|e| format!("{origin}: cannot serialise: {e}"))
            })
            .collect();
        for r in rendered {
            match r {
                Ok(s) => {
                    match args.format {
                        OutputFormat::Jsonl => {}
                        OutputFormat::Json => {
                            out.write_all(if written == 0 { b"\n" } else { b",\n" })?
                        }
                    }
                    out.write_all(s.as_bytes())?;
                    if args.format == OutputFormat::Jsonl {
                        out.write_all(b"\n")?;
                    }
                    written += 1;
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("newsgraph: error: {e}");
                }
            }
        }
    }
    if args.format == OutputFormat::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush().context("writing output")?;
    if written == 0 {
        if failed == 0 {
            eprintln!("newsgraph: error: no articles found in the given paths");
        } else {
            eprintln!("newsgraph: error: none of the inputs could be read ({failed} failed)");
        }
        return Ok(ExitCode::FAILURE);
    }
    if failed > 0 {
        eprintln!("newsgraph: {written} documents extracted, {failed} inputs failed");
    }
    Ok(ExitCode::SUCCESS)
}
