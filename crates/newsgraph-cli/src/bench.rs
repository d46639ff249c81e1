//! `newsgraph bench`: end-to-end speed of the pipeline on real articles —
//! start-up, words and documents per second on one thread (per stage) and on
//! all cores, with a spread over repetitions, and peak memory.

use anyhow::{bail, Result};
use clap::Args;
use newsgraph::Pipeline;
use newsgraph_core::{Article, Doc};
use newsgraph_ingest::{read_paths, ReadOptions};
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Files or directories of articles (any format `extract` reads).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Timed repetitions (after one warm-up pass).
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Publication date for articles without one.
    #[arg(long)]
    date: Option<String>,
}

#[derive(Debug, Serialize)]
struct Spread {
    min: f64,
    median: f64,
    max: f64,
}

impl Spread {
    fn of(mut xs: Vec<f64>) -> Spread {
        xs.sort_by(f64::total_cmp);
        Spread {
            min: xs[0],
            median: xs[xs.len() / 2],
            max: xs[xs.len() - 1],
        }
    }
}

#[derive(Debug, Serialize)]
struct Stage {
    name: String,
    /// Words per second of this stage alone (median over repetitions).
    words_per_sec: f64,
    /// Share of the single-thread pipeline time.
    share: f64,
}

#[derive(Debug, Serialize)]
struct Run {
    threads: usize,
    words_per_sec: Spread,
    docs_per_sec: Spread,
}

#[derive(Debug, Serialize)]
struct Report {
    documents: usize,
    /// Whitespace-separated words in the texts (the unit spaCy's figures use).
    words: usize,
    /// Syntactic words the pipeline produced.
    tokens: usize,
    startup_ms: f64,
    single_thread: Run,
    stages: Vec<Stage>,
    all_cores: Run,
    peak_rss_mb: Option<f64>,
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let articles: Vec<Article> = read_paths(&args.paths, &ReadOptions::default())
        .filter_map(|r| r.map_err(|e| eprintln!("newsgraph: error: {e}")).ok())
        .collect();
    if articles.is_empty() {
        bail!("no articles to benchmark");
    }
    let reps = args.reps.max(1);
    let start = Instant::now();
    let pipeline = Pipeline::standard()?;
    let startup_ms = start.elapsed().as_secs_f64() * 1e3;
    let words: usize = articles
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .sum();
    let docs: Vec<Doc> = articles
        .iter()
        .map(|a| Doc::from_article(a.clone(), args.date.as_deref()))
        .collect();
    let n_stages = pipeline.names().len();

    // Warm-up (also counts tokens).
    let mut tokens = 0;
    for d in &docs {
        let mut d = d.clone();
        pipeline.run(&mut d)?;
        tokens += d.len();
    }

    let mut single_wps = Vec::new();
    let mut single_dps = Vec::new();
    let mut stage_times: Vec<Vec<f64>> = vec![Vec::new(); n_stages];
    for _ in 0..reps {
        let mut elapsed = vec![Duration::ZERO; n_stages];
        let mut inputs: Vec<Doc> = docs.clone();
        let start = Instant::now();
        for d in &mut inputs {
            pipeline.run_timed(d, &mut elapsed)?;
        }
        let secs = start.elapsed().as_secs_f64();
        single_wps.push(words as f64 / secs);
        single_dps.push(docs.len() as f64 / secs);
        for (i, e) in elapsed.iter().enumerate() {
            stage_times[i].push(e.as_secs_f64());
        }
    }
    let total_stage: f64 = stage_times
        .iter()
        .map(|t| Spread::of(t.clone()).median)
        .sum();
    let stages = pipeline
        .names()
        .iter()
        .zip(&stage_times)
        .map(|(name, t)| {
            let median = Spread::of(t.clone()).median;
            Stage {
                name: name.to_string(),
                words_per_sec: words as f64 / median,
                share: median / total_stage,
            }
        })
        .collect();

    let threads = rayon::current_num_threads();
    let mut multi_wps = Vec::new();
    let mut multi_dps = Vec::new();
    for _ in 0..reps {
        let mut inputs: Vec<Doc> = docs.clone();
        let start = Instant::now();
        inputs.par_iter_mut().try_for_each(|d| pipeline.run(d))?;
        let secs = start.elapsed().as_secs_f64();
        multi_wps.push(words as f64 / secs);
        multi_dps.push(docs.len() as f64 / secs);
    }

    let report = Report {
        documents: docs.len(),
        words,
        tokens,
        startup_ms,
        single_thread: Run {
            threads: 1,
            words_per_sec: Spread::of(single_wps),
            docs_per_sec: Spread::of(single_dps),
        },
        stages,
        all_cores: Run {
            threads,
            words_per_sec: Spread::of(multi_wps),
            docs_per_sec: Spread::of(multi_dps),
        },
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(ExitCode::SUCCESS)
}

/// Peak resident set size of this process (Linux `VmHWM`), in MiB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
