//! `newsgraph extract`: read articles, run the pipeline, print the JSON contract.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use newsgraph::{EventOptions, Pipeline};
use newsgraph_core::json::{DocJson, JsonOptions};
use newsgraph_core::{Article, Doc};
use newsgraph_extract::events::classifier::{ModelChoice, Settings};
use newsgraph_ingest::{read_paths, ReadOptions};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
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
    #[command(flatten)]
    limits: Limits,
    #[command(flatten)]
    pub events: EventModelArgs,
}

/// How the event extractor uses its trained classifier (shared by `extract`
/// and `eval events`; the defaults are the shipped ones, `models/events.md`).
#[derive(Debug, Clone, Args)]
pub struct EventModelArgs {
    /// The event classifier: `builtin` (the model this build ships), `off`
    /// (the trigger lexicon alone) or a model file written by `train events`.
    #[arg(long, value_name = "builtin|off|FILE", default_value = "builtin")]
    pub event_model: String,
    /// Type words the lexicon misses when the model gives a type at least
    /// this probability (above 1: never, the shipped setting).
    #[arg(long, value_name = "P", default_value_t = Settings::default().min_prob)]
    pub event_model_min: f32,
    /// Let the model override the first matching lexicon rule's type when
    /// it prefers another matching rule's type by this margin (above 1: never).
    #[arg(long, value_name = "P", default_value_t = Settings::default().margin)]
    pub event_model_margin: f32,
    /// With `--event-model-min`: type nouns the lexicon misses too (else verbs only).
    #[arg(long)]
    pub event_model_nouns: bool,
    /// With `--event-model-min`: type words the lexicon has rules for, none
    /// of which matched, too (else only words it has no rule for).
    #[arg(long)]
    pub event_model_known: bool,
}

impl EventModelArgs {
    /// The event extractor's options these flags describe.
    pub fn options(&self) -> EventOptions {
        let model = match self.event_model.as_str() {
            "builtin" => ModelChoice::Builtin,
            "off" => ModelChoice::Off,
            path => ModelChoice::File(PathBuf::from(path)),
        };
        EventOptions {
            model,
            settings: Settings {
                min_prob: self.event_model_min,
                margin: self.event_model_margin,
                nouns: self.event_model_nouns,
                known: self.event_model_known,
            },
        }
    }
}

/// The input limits shared by `extract` and `ingest` (see the README's "Limits").
#[derive(Debug, Clone, Args)]
pub struct Limits {
    /// Skip files (for WARC archives: records) larger than this many bytes.
    #[arg(long, default_value_t = ReadOptions::default().max_file_bytes)]
    pub max_bytes: u64,
    /// Cut sentences longer than this many tokens (at a comma near the limit, else at it).
    #[arg(long, default_value_t = newsgraph_text::DEFAULT_MAX_SENTENCE_TOKENS)]
    pub max_sentence_tokens: usize,
    /// HTML nested deeper than this skips main-content extraction and keeps every paragraph.
    #[arg(long, default_value_t = ReadOptions::default().max_html_depth)]
    pub max_html_depth: usize,
}

impl Limits {
    /// Applies the process-wide limits and returns the reader options.
    pub fn apply(&self) -> ReadOptions {
        newsgraph_text::set_max_sentence_tokens(self.max_sentence_tokens);
        ReadOptions {
            max_file_bytes: self.max_bytes,
            max_html_depth: self.max_html_depth,
            ..ReadOptions::default()
        }
    }
}

/// Remembers ids already printed, to warn when one comes back with another text.
#[derive(Debug, Default)]
struct SeenIds {
    /// id -> (hash of the text, origin of the first article).
    ids: HashMap<String, (u64, String)>,
}

impl SeenIds {
    fn check(&mut self, id: &str, hash: u64, origin: &str) -> Option<String> {
        match self.ids.get(id) {
            Some((h, first)) if *h != hash => Some(format!(
                "newsgraph: warning: {origin}: id `{id}` was already used by {first} for a different text"
            )),
            Some(_) => None,
            None => {
                self.ids.insert(id.to_string(), (hash, origin.to_string()));
                None
            }
        }
    }
}

fn text_hash(doc: &Doc) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    doc.text().hash(&mut hasher);
    hasher.finish()
}

/// Articles are processed in batches: in parallel within a batch, printed in input order.
const BATCH: usize = 64;

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let opts = args.limits.apply();
    let pipeline = Pipeline::standard_with(&args.events.options())?;
    let mut seen = SeenIds::default();
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
        type Rendered = Result<(String, u64, String), String>;
        let processed: Vec<(String, Rendered)> = batch
            .par_drain(..)
            .map(|article| {
                let origin = article.origin.clone();
                let render = || {
                    let doc = pipeline
                        .process(article, args.date.as_deref())
                        .map_err(|e| format!("{origin}: {e}"))?;
                    let json = DocJson::new(&doc, json_opts);
                    let s = match args.format {
                        OutputFormat::Jsonl => serde_json::to_string(&json),
                        OutputFormat::Json => serde_json::to_string_pretty(&json),
                    };
                    let s = s.map_err(|e| format!("{origin}: cannot serialise: {e}"))?;
                    Ok((doc.meta.id.clone(), text_hash(&doc), s))
                };
                let rendered = render();
                (origin, rendered)
            })
            .collect();
        for (origin, rendered) in processed {
            if let Ok((id, hash, _)) = &rendered {
                if let Some(warning) = seen.check(id, *hash, &origin) {
                    eprintln!("{warning}");
                }
            }
            match rendered.map(|(_, _, s)| s) {
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
