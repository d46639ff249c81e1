//! `newsgraph ingest`: read articles, run the pipeline on all cores, store
//! the documents in batched transactions, report progress and a summary.
//!
//! With `--watch` the ingest goes on in rounds, one per batch of new files
//! (see `crate::work::Watcher`), and the summary covers all of them.
//!
//! Stopping: SIGINT (Ctrl-C) or SIGTERM stops reading, finishes and commits
//! the batch in hand, prints the summary and exits with 130 (SIGINT) or 143
//! (SIGTERM); a second signal exits at once (each batch is one transaction,
//! so nothing committed is lost either way). A failing store (disk full,
//! read-only file) ends the run with the summary of what was committed and
//! exit status 1. Re-running the same command resumes: stored articles are
//! skipped before the pipeline runs.

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsgraph::Pipeline;
use newsgraph_core::{Article, Doc};
use newsgraph_store::{
    content_hash, open_store, DocKey, Duplicate, DuplicateOf, PutOutcome, Store,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Exit status after a stop on SIGINT (128 + 2, as shells report it).
pub const EXIT_SIGINT: u8 = 130;
/// Exit status after a stop on SIGTERM (128 + 15).
pub const EXIT_SIGTERM: u8 = 143;

/// SIGINT and SIGTERM, caught: the first asks for a clean stop after the
/// current batch, a second one exits at once.
struct StopSignals {
    int: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
}

impl StopSignals {
    fn install() -> Result<StopSignals> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        let int = Arc::new(AtomicBool::new(false));
        let term = Arc::new(AtomicBool::new(false));
        for (signal, flag_set, code) in
            [(SIGINT, &int, EXIT_SIGINT), (SIGTERM, &term, EXIT_SIGTERM)]
        {
            // In this order: the first signal only sets the flag, the second exits.
            for conditional in [&int, &term] {
                flag::register_conditional_shutdown(
                    signal,
                    i32::from(code),
                    Arc::clone(conditional),
                )
                .context("installing the signal handlers")?;
            }
            flag::register(signal, Arc::clone(flag_set))
                .context("installing the signal handlers")?;
        }
        Ok(StopSignals { int, term })
    }

    /// The signal that asked to stop, if any.
    fn requested(&self) -> Option<&'static str> {
        if self.int.load(Ordering::Relaxed) {
            Some("SIGINT")
        } else if self.term.load(Ordering::Relaxed) {
            Some("SIGTERM")
        } else {
            None
        }
    }
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files, directories (walked recursively) or `-` for stdin: text, HTML,
    /// JSON Lines, JSON, RSS/Atom feeds, WARC archives (.warc, .warc.gz).
    #[arg(default_value = "-")]
    paths: Vec<PathBuf>,
    /// The store: a SQLite file (created when missing) or a PostgreSQL
    /// database, `postgres://user@host:port/dbname`.
    #[arg(long, default_value = "newsgraph.db")]
    db: String,
    /// Publication date (YYYY-MM-DD) for articles that do not give one.
    #[arg(long, value_parser = crate::parse_date_arg)]
    date: Option<String>,
    #[command(flatten)]
    limits: crate::extract::Limits,
    /// Documents per transaction.
    #[arg(long, default_value_t = 64, hide = true)]
    batch: usize,
    /// Pipeline threads (default: one per core, or RAYON_NUM_THREADS).
    /// Documents are processed in parallel while one thread writes the
    /// batch processed before.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Many workers: `--shard`, `--queue` (see `crate::work`).
    #[command(flatten)]
    work: crate::work::WorkArgs,
}

/// An article read with its content hash, or why reading failed.
type ReadItem = Result<(Article, String), newsgraph_ingest::ReadError>;

/// What happened to the inputs.
#[derive(Debug, Default)]
struct Summary {
    read: u64,
    stored: u64,
    duplicates: u64,
    /// Duplicates by id or URL whose text differs from the stored one.
    conflicts: u64,
    failed: u64,
    /// Failure reasons (the message without its file) and their counts.
    reasons: BTreeMap<String, u64>,
}

impl Summary {
    fn fail(&mut self, message: &str, progress: &Progress) {
        self.failed += 1;
        progress.println(&format!("newsgraph: error: {message}"));
        *self.reasons.entry(reason_of(message)).or_default() += 1;
    }
}

/// `dir/a.jsonl:3: invalid JSON: ...` -> `invalid JSON: ...`, numbers masked,
/// so that the same problem in many files counts as one reason.
fn reason_of(message: &str) -> String {
    let mut rest = message;
    // Drop the `path[:line][#n]: ` prefix and `record N: ` / `item N: `.
    if let Some(i) = rest.find(": ") {
        rest = &rest[i + 2..];
    }
    for kind in ["record ", "item "] {
        if let Some(after) = rest.strip_prefix(kind) {
            if let Some(i) = after.find(": ") {
                rest = &after[i + 2..];
            }
        }
    }
    let masked: String = rest
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    masked.chars().take(100).collect()
}

/// Progress on stderr: a bar with documents/s and ETA on a terminal, a log
/// line every ten seconds otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    last_log: Instant,
    /// Input files and their sizes, for the bar's length and ETA.
    sizes: HashMap<PathBuf, u64>,
    /// The file being read and the bytes of files finished.
    current: Option<PathBuf>,
    done_bytes: u64,
}

impl Progress {
    fn new(paths: &[PathBuf]) -> Progress {
        let started = Instant::now();
        let interactive = std::io::stderr().is_terminal();
        let mut sizes = HashMap::new();
        if interactive {
            for p in paths {
                collect_sizes(p, &mut sizes);
            }
        }
        let bar = interactive.then(|| {
            let total: u64 = sizes.values().sum();
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{wide_bar}] {percent:>3}% ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            started,
            last_log: started,
            sizes,
            current: None,
            done_bytes: 0,
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// An item from `origin` was read: files before it are done.
    fn saw(&mut self, origin: &str) {
        if self.bar.is_none() {
            return;
        }
        let path = origin_path(origin);
        if self.current.as_deref() != Some(path) {
            if let Some(prev) = self.current.take() {
                self.done_bytes += self.sizes.get(&prev).copied().unwrap_or(0);
            }
            self.current = Some(path.to_path_buf());
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done_bytes);
        }
    }

    fn rate(&self, summary: &Summary) -> f64 {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        (summary.stored + summary.duplicates + summary.failed) as f64 / secs
    }

    fn update(&mut self, summary: &Summary) {
        let line = format!(
            "{} read, {} stored, {} duplicates, {} failed, {:.1} docs/s",
            summary.read,
            summary.stored,
            summary.duplicates,
            summary.failed,
            self.rate(summary)
        );
        match &self.bar {
            Some(bar) => bar.set_message(line),
            None => {
                if self.last_log.elapsed() >= Duration::from_secs(10) {
                    self.last_log = Instant::now();
                    eprintln!("newsgraph: ingest: {line}");
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The file part of an origin: `a.jsonl:3` -> `a.jsonl`, `c.warc.gz#12` -> `c.warc.gz`.
fn origin_path(origin: &str) -> &Path {
    let trimmed = match origin.rsplit_once(['#', ':']) {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => origin,
    };
    Path::new(trimmed)
}

/// Sizes of the files under `path`, as the reader walks them.
fn collect_sizes(path: &Path, sizes: &mut HashMap<PathBuf, u64>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_file() {
        sizes.insert(path.to_path_buf(), meta.len());
    } else if meta.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                if !entry.file_name().as_encoded_bytes().starts_with(b".") {
                    collect_sizes(&entry.path(), sizes);
                }
            }
        }
    }
}

/// How one round of reading ended.
enum RoundEnd {
    /// Everything read is stored.
    Done,
    /// Stored so far; files of a stopped worker came back to the queue.
    Again,
    /// A signal asked to stop.
    Stopped(&'static str),
    /// The store failed; the batch in hand was rolled back.
    Failed(anyhow::Error),
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
            .context("starting the pipeline threads")?;
    }
    let signals = StopSignals::install()?;
    let pipeline = Pipeline::standard()?;
    let mut store = open_store(&args.db)?;
    let mut summary = Summary::default();
    let mut watcher = args.work.watch.then(|| {
        crate::work::Watcher::new(&args.paths, Duration::from_millis(args.work.settle_ms))
    });
    let mut paths = args.paths.clone();
    let mut shares_work = false;
    let end = loop {
        if let Some(w) = &mut watcher {
            // Each round reads the files that became ready since the last one.
            match w.wait(&|| signals.requested().is_some()) {
                Some(ready) => paths = ready,
                None => break RoundEnd::Stopped(signals.requested().unwrap_or("SIGINT")),
            }
        }
        let (end, shared) = round(
            &args,
            &paths,
            &pipeline,
            store.as_mut(),
            &signals,
            &mut summary,
        )?;
        shares_work |= shared;
        match end {
            // A stopped worker's files came back to the queue: another round.
            RoundEnd::Again => {}
            RoundEnd::Done if watcher.is_some() => {}
            end => break end,
        }
    };
    print_summary(&args.db, &summary, started.elapsed(), store.as_ref());
    match end {
        RoundEnd::Failed(err) => {
            eprintln!("newsgraph: error: {err:#}");
            eprintln!(
                "newsgraph: the batch being written was rolled back; the {} documents committed before it are safe. \
                 Fix the problem (disk space, file permissions) and run the same command again to resume.",
                summary.stored
            );
            Ok(ExitCode::FAILURE)
        }
        RoundEnd::Stopped(signal) => {
            if watcher.is_some() {
                eprintln!("newsgraph: stopped watching on {signal}");
            } else {
                eprintln!(
                    "newsgraph: stopped by {signal} after the current batch; run the same command again to resume"
                );
            }
            Ok(ExitCode::from(if signal == "SIGINT" {
                EXIT_SIGINT
            } else {
                EXIT_SIGTERM
            }))
        }
        // A worker sharing the inputs may well get none of them.
        _ if summary.read == 0 && !shares_work => {
            if summary.failed == 0 {
                eprintln!("newsgraph: error: no articles found in the given paths");
            } else {
                eprintln!(
                    "newsgraph: error: none of the inputs could be read ({} failed)",
                    summary.failed
                );
            }
            Ok(ExitCode::FAILURE)
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// One round: reads `paths` (or the queue), runs the pipeline and stores
/// the documents, adding to `summary`. Also says whether the inputs are
/// shared with other workers.
fn round(
    args: &IngestArgs,
    paths: &[PathBuf],
    pipeline: &Pipeline,
    store: &mut dyn Store,
    signals: &StopSignals,
    summary: &mut Summary,
) -> Result<(RoundEnd, bool)> {
    let batch_size = args.batch.max(1);
    let mut source = crate::work::Source::new(&args.work, &args.db, paths, batch_size)?;
    let shares_work = source.shares_work();
    let opts = args.limits.apply();
    let mut progress = Progress::new(paths);
    // Reading and hashing run on their own thread, ahead of the pipeline.
    let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<ReadItem>>(4);
    let paths = paths.to_vec();
    let reader = std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(batch_size);
        let mut articles = 0;
        for item in source.read(&paths, &opts) {
            let item = item.map(|article| {
                let hash = content_hash(&article.text);
                (article, hash)
            });
            articles += usize::from(item.is_ok());
            chunk.push(item);
            if articles == batch_size {
                articles = 0;
                if sender.send(std::mem::take(&mut chunk)).is_err() {
                    break;
                }
            }
        }
        if !chunk.is_empty() {
            let _ = sender.send(chunk);
        }
        source
    });
    // The batch processed last round, written while the next one is processed.
    let mut pending: Vec<Doc> = Vec::new();
    let mut stopped: Option<&'static str> = None;
    let mut store_error: Option<anyhow::Error> = None;
    loop {
        // Wait for the next batch, looking for a stop signal meanwhile.
        let chunk = loop {
            if stopped.is_none() {
                stopped = signals.requested();
            }
            if stopped.is_some() || store_error.is_some() {
                break None;
            }
            match batches.recv_timeout(Duration::from_millis(100)) {
                Ok(chunk) => break Some(chunk),
                // Reading is slow (a trickle of files): write what is processed meanwhile.
                Err(RecvTimeoutError::Timeout) if !pending.is_empty() => break Some(Vec::new()),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break None,
            }
        };
        let more = chunk.is_some();
        let mut articles: Vec<Article> = Vec::with_capacity(batch_size);
        for item in chunk.into_iter().flatten() {
            match item {
                Ok((article, hash)) => {
                    summary.read += 1;
                    progress.saw(&article.origin);
                    // Already stored (a resumed ingest): skip before the pipeline.
                    let key = DocKey {
                        id: article.id.as_deref().filter(|id| !id.trim().is_empty()),
                        url: article.url.as_deref(),
                        content_hash: &hash,
                    };
                    match store.find_duplicate(&key) {
                        Ok(Some(dup)) => {
                            summary.duplicates += 1;
                            if let Some(warning) = conflict_warning(&*store, &article, &hash, &dup)
                            {
                                summary.conflicts += 1;
                                progress.println(&warning);
                            }
                        }
                        Ok(None) => articles.push(article),
                        Err(e) => {
                            store_error = Some(e.into());
                            break;
                        }
                    }
                }
                Err(err) => {
                    progress.saw(&err.path().display().to_string());
                    summary.fail(&err.to_string(), &progress);
                }
            }
        }
        if store_error.is_some() {
            break;
        }
        if !more && pending.is_empty() {
            break;
        }
        let to_write = std::mem::take(&mut pending);
        let store_ref = &mut *store;
        // Process this batch on the pool while the previous one is written.
        let (processed, written) = rayon::join(
            || {
                articles
                    .into_par_iter()
                    .map(|article| {
                        let origin = article.origin.clone();
                        pipeline
                            .process(article, args.date.as_deref())
                            .map_err(|e| format!("{origin}: {e}"))
                    })
                    .collect::<Vec<_>>()
            },
            || write_batch(store_ref, &to_write),
        );
        match written {
            Ok(outcomes) => tally(outcomes, &to_write, &*store, summary, &progress),
            // The batch is rolled back; what was committed before stays.
            Err(e) => {
                store_error = Some(e);
                break;
            }
        }
        for result in processed {
            match result {
                Ok(doc) => pending.push(doc),
                Err(message) => summary.fail(&message, &progress),
            }
        }
        progress.update(summary);
    }
    progress.finish();
    if let Some(err) = store_error {
        return Ok((RoundEnd::Failed(err), shares_work));
    }
    // After a stop the reader may be blocked (on stdin, on a full channel):
    // it ends with the process.
    if let Some(signal) = stopped {
        return Ok((RoundEnd::Stopped(signal), shares_work));
    }
    let Ok(mut source) = reader.join() else {
        anyhow::bail!("the reading thread panicked");
    };
    let end = if source.finish()? {
        RoundEnd::Again
    } else {
        RoundEnd::Done
    };
    Ok((end, shares_work))
}

/// Writes one batch in one transaction.
fn write_batch(store: &mut dyn Store, docs: &[Doc]) -> Result<Vec<PutOutcome>> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    store
        .put_documents(docs)
        .with_context(|| format!("storing a batch of {} documents", docs.len()))
}

fn tally(
    outcomes: Vec<PutOutcome>,
    docs: &[Doc],
    store: &dyn Store,
    summary: &mut Summary,
    progress: &Progress,
) {
    for (outcome, doc) in outcomes.into_iter().zip(docs) {
        match outcome {
            PutOutcome::Stored => summary.stored += 1,
            // Two articles of one batch with the same id or URL.
            PutOutcome::Duplicate(dup) => {
                summary.duplicates += 1;
                let article = Article {
                    id: Some(doc.meta.id.clone()),
                    url: doc.meta.url.clone(),
                    origin: doc.meta.id.clone(),
                    ..Article::default()
                };
                let hash = content_hash(doc.text());
                if let Some(warning) = conflict_warning(store, &article, &hash, &dup) {
                    summary.conflicts += 1;
                    progress.println(&warning);
                }
            }
        }
    }
}

/// The warning for an article whose id or URL is already stored with a
/// different text: the stored version is kept, this one is skipped.
fn conflict_warning(
    store: &dyn Store,
    article: &Article,
    hash: &str,
    dup: &Duplicate,
) -> Option<String> {
    let by = match dup.matched {
        DuplicateOf::Content => return None,
        DuplicateOf::Id => format!("id `{}`", dup.existing),
        DuplicateOf::Url => format!(
            "URL {} (document `{}`)",
            article.url.as_deref().unwrap_or("?"),
            dup.existing
        ),
    };
    let same_text = DocKey {
        id: None,
        url: None,
        content_hash: hash,
    };
    match store.find_duplicate(&same_text) {
        Ok(Some(d)) if d.existing == dup.existing => None,
        _ => Some(format!(
            "newsgraph: warning: {}: {by} is already stored with a different text; \
             the stored version is kept, this one is skipped",
            article.origin
        )),
    }
}

fn print_summary(db: &str, summary: &Summary, elapsed: Duration, store: &dyn Store) {
    let secs = elapsed.as_secs_f64();
    let processed = summary.stored + summary.duplicates + summary.failed;
    eprintln!(
        "newsgraph: ingested into {db} in {secs:.1} s: {} read, {} stored, {} duplicates skipped{}, {} failed ({:.1} docs/s)",
        summary.read,
        summary.stored,
        summary.duplicates,
        if summary.conflicts > 0 {
            format!(" ({} with a different text)", summary.conflicts)
        } else {
            String::new()
        },
        summary.failed,
        processed as f64 / secs.max(1e-9),
    );
    let mut reasons: Vec<(&String, &u64)> = summary.reasons.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (reason, n) in reasons.iter().take(10) {
        eprintln!("  failed {n}x: {reason}");
    }
    if reasons.len() > 10 {
        eprintln!("  ... and {} other reasons", reasons.len() - 10);
    }
    if let Ok(stats) = store.stats() {
        eprintln!(
            "newsgraph: {db} now holds {} documents, {} entities, {} events, {} quotes",
            stats.documents, stats.entities, stats.events, stats.quotes
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_drop_files_and_numbers() {
        assert_eq!(
            reason_of("dir/a.jsonl:3: invalid JSON: EOF while parsing a value at column 9"),
            "invalid JSON: EOF while parsing a value at column #"
        );
        assert_eq!(
            reason_of("c.warc.gz: record 12: no article text found in https://x"),
            "no article text found in https://x"
        );
    }

    #[test]
    fn origins_to_paths() {
        assert_eq!(origin_path("dir/a.jsonl:3"), Path::new("dir/a.jsonl"));
        assert_eq!(origin_path("c.warc.gz#12"), Path::new("c.warc.gz"));
        assert_eq!(origin_path("dir/a.txt"), Path::new("dir/a.txt"));
    }
}
