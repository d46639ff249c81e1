//! `newsgraph bench`: end-to-end speed of the pipeline on real articles —
//! start-up, words and documents per second on one thread (per stage) and on
//! all cores, with a spread over repetitions, and peak memory.
//!
//! On Linux the single-thread passes are also timed in CPU time of the
//! benchmarking thread (`/proc/thread-self/stat`, 10 ms ticks; passes last
//! seconds): on a machine shared with other jobs wall time mostly measures the
//! scheduler, CPU time what a core of one's own would do. Per-stage CPU speeds
//! split each pass's CPU time by the stages' shares of its wall time.

use anyhow::{bail, Result};
use clap::Args;
use newsgraph::Pipeline;
use newsgraph_core::{Article, Doc};
use newsgraph_ingest::{read_paths, ReadOptions};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write as _;
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
    /// Words per CPU-second of this stage alone (its share of the median
    /// single-thread CPU time), where CPU time can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_words_per_sec: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Run {
    threads: usize,
    words_per_sec: Spread,
    docs_per_sec: Spread,
    /// Words per CPU-second of the benchmarking thread (single thread only;
    /// Linux).
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_words_per_sec: Option<Spread>,
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
    let mut single_cpu = Vec::new();
    let mut stage_times: Vec<Vec<f64>> = vec![Vec::new(); n_stages];
    for _ in 0..reps {
        let mut elapsed = vec![Duration::ZERO; n_stages];
        let mut inputs: Vec<Doc> = docs.clone();
        let cpu_start = thread_cpu_secs();
        let start = Instant::now();
        for d in &mut inputs {
            pipeline.run_timed(d, &mut elapsed)?;
        }
        let secs = start.elapsed().as_secs_f64();
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_secs()) {
            single_cpu.push((b - a).max(0.01));
        }
        single_wps.push(words as f64 / secs);
        single_dps.push(docs.len() as f64 / secs);
        for (i, e) in elapsed.iter().enumerate() {
            stage_times[i].push(e.as_secs_f64());
        }
    }
    let cpu_median = (single_cpu.len() == reps).then(|| Spread::of(single_cpu.clone()).median);
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
            let share = median / total_stage;
            Stage {
                name: name.to_string(),
                words_per_sec: words as f64 / median,
                share,
                cpu_words_per_sec: cpu_median.map(|cpu| words as f64 / (cpu * share)),
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
            cpu_words_per_sec: cpu_median
                .map(|_| Spread::of(single_cpu.iter().map(|s| words as f64 / s).collect())),
        },
        stages,
        all_cores: Run {
            threads,
            words_per_sec: Spread::of(multi_wps),
            docs_per_sec: Spread::of(multi_dps),
            cpu_words_per_sec: None,
        },
        peak_rss_mb: peak_rss_mb(),
    };
    writeln!(
        std::io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&report)?
    )?;
    Ok(ExitCode::SUCCESS)
}

/// CPU time (user + system) the calling thread has used, in seconds, from
/// Linux's `/proc/thread-self/stat` (USER_HZ = 100 ticks per second).
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name start with field 3 (state);
    // utime and stime are fields 14 and 15.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Peak resident set size of this process (Linux `VmHWM`), in MiB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
