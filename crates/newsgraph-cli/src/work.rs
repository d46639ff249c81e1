//! Many `newsgraph ingest` workers on one input set and one store, without
//! double work: where an ingest's articles come from.
//!
//! - `--shard i/n` (1 ≤ i ≤ n): this worker takes the articles whose key (the
//!   article's id, else its origin `file[:line][#record]`) hashes to shard
//!   `i` of `n` (FNV-1a, stable across machines and releases). Start `n`
//!   workers with `1/n` ... `n/n` on the same inputs; each reads everything
//!   but runs the pipeline on its share only. Any store works.
//! - `--queue` (PostgreSQL only): the input files are put in the store's
//!   `work_items` table and each worker claims a run of files at a time with
//!   `SELECT ... FOR UPDATE SKIP LOCKED` in a transaction held open on its
//!   own connection. The claim is the row lock: a worker that dies (even
//!   `kill -9`) loses its connection, its transaction is rolled back and its
//!   files are claimable again; the survivors take them (a worker that runs
//!   out of files waits while others hold some, and takes what a dead one
//!   released). A worker marks its files done (commits) once all their
//!   documents are stored; documents stored before a crash are found as
//!   duplicates, before the pipeline, when their file is read again.
//!
//! - `--watch`: after reading its paths, the ingest keeps watching them
//!   (polling, see [`Watcher`]) and ingests every new or changed file once
//!   it is complete, round after round, until SIGINT/SIGTERM. It combines
//!   with `--shard` (every worker watches, each takes its share) and with
//!   `--queue` (every worker adds what it sees to the queue, one claims it).
//!
//! Without these flags an ingest reads its paths as before.

use anyhow::{bail, Context, Result};
use clap::Args;
use newsgraph_core::Article;
use newsgraph_ingest::{read_paths, ReadError, ReadOptions};
use newsgraph_store::is_postgres_url;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Default, Args)]
pub struct WorkArgs {
    /// Take only shard I of N of the articles (by a stable hash of each
    /// article's id, else its origin), to run N workers on the same inputs:
    /// `--shard 1/4` ... `--shard 4/4`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Share the input files with other workers through a work queue in the
    /// store (PostgreSQL only): each file is claimed by one worker; the files
    /// of a worker that stops are taken by the others.
    #[arg(long)]
    queue: bool,
    /// Keep watching the input directories: ingest each new file once it is
    /// complete (unchanged for a moment; dot-files and `.tmp`/`.part` files
    /// are left alone, so write elsewhere and rename) until SIGINT/SIGTERM.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: how long a file must stay unchanged (size and
    /// modification time) before it is read, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000, requires = "watch")]
    pub settle_ms: u64,
}

/// Shard `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let err = || format!("`{s}` is not a shard: expected I/N with 1 <= I <= N, e.g. 2/4");
    let (i, n) = s.split_once('/').ok_or_else(err)?;
    let (i, n): (u64, u64) = (
        i.trim().parse().map_err(|_| err())?,
        n.trim().parse().map_err(|_| err())?,
    );
    if i == 0 || i > n {
        return Err(err());
    }
    Ok(Shard {
        index: i - 1,
        count: n,
    })
}

/// FNV-1a, 64 bits: a hash that never changes.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Shard {
    /// Whether this shard takes the item with this key.
    pub fn takes(&self, key: &str) -> bool {
        fnv1a(key) % self.count == self.index
    }

    /// The key of an article: its id, else where it was read from.
    fn key(article: &Article) -> &str {
        article
            .id
            .as_deref()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or(&article.origin)
    }
}

/// Where one ingest's articles come from; see the module docs.
pub struct Source {
    shard: Option<Shard>,
    queue: Option<Queue>,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("shard", &self.shard)
            .field("queue", &self.queue.is_some())
            .finish()
    }
}

type Item = Result<Article, ReadError>;

impl Source {
    /// The source for these arguments; with `--queue`, connects to the queue
    /// and adds the input files to it, to be claimed `run` at a time (the
    /// ingest's batch size: a batch is then a run of neighbouring files).
    pub fn new(work: &WorkArgs, db: &str, paths: &[PathBuf], run: usize) -> Result<Source> {
        let queue = if work.queue {
            if !is_postgres_url(db) {
                bail!("--queue needs a PostgreSQL store (--db postgres://...)");
            }
            if paths.iter().any(|p| p.as_os_str() == "-") {
                bail!("--queue reads files and directories, not standard input");
            }
            let mut queue = Queue::connect(db, run)?;
            queue.add(&list_files(paths))?;
            Some(queue)
        } else {
            None
        };
        Ok(Source {
            shard: work.shard,
            queue,
        })
    }

    /// The articles (and read errors) this worker takes, read lazily.
    pub fn read<'a>(
        &'a mut self,
        paths: &'a [PathBuf],
        opts: &'a ReadOptions,
    ) -> Box<dyn Iterator<Item = Item> + 'a> {
        let items: Box<dyn Iterator<Item = Item> + 'a> = match &mut self.queue {
            None => Box::new(read_paths(paths, opts)),
            Some(queue) => Box::new(
                std::iter::from_fn(move || queue.next_file().transpose()).flat_map(
                    move |claim| -> Box<dyn Iterator<Item = Item>> {
                        match claim {
                            Ok(file) => Box::new(read_paths(&[file], opts)),
                            Err(e) => {
                                eprintln!("newsgraph: error: work queue: {e:#}");
                                Box::new(std::iter::empty())
                            }
                        }
                    },
                ),
            ),
        };
        match self.shard {
            None => items,
            Some(shard) => Box::new(items.filter(move |item| match item {
                Ok(article) => shard.takes(Shard::key(article)),
                Err(e) => shard.takes(&e.path().display().to_string()),
            })),
        }
    }

    /// Whether other workers share the inputs (`--shard`, `--queue`).
    pub fn shares_work(&self) -> bool {
        self.shard.is_some() || self.queue.is_some()
    }

    /// Called once everything read is stored: marks the claimed files done.
    /// Returns whether another round is needed (files a stopped worker
    /// released), after waiting while other workers hold files.
    pub fn finish(&mut self) -> Result<bool> {
        match &mut self.queue {
            None => Ok(false),
            Some(queue) => {
                queue.commit()?;
                queue.wait_for_others()
            }
        }
    }
}

/// The files under `paths` (directories walked, dot-files skipped), sorted.
fn list_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                if let Ok(entries) = std::fs::read_dir(p) {
                    for entry in entries.flatten() {
                        if !entry.file_name().as_encoded_bytes().starts_with(b".") {
                            walk(&entry.path(), out);
                        }
                    }
                }
            }
            // Files, and paths that do not exist (their read error is reported by the worker that claims them).
            _ => out.push(p.to_path_buf()),
        }
    }
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a file is one being written by convention: `.tmp`, `.part`,
/// `.partial`, `.crdownload` or ending in `~` (dot-files are skipped by
/// the walk).
fn in_progress(path: &Path) -> bool {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_lowercase());
    name.ends_with('~')
        || [".tmp", ".part", ".partial", ".crdownload"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// A file as the watcher last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

/// `ingest --watch`: polls the input paths for new or changed files and
/// hands out each one once it has stayed unchanged (size and modification
/// time) for the settle time, so that a file still being written is not
/// read half-way. Writers that cannot promise that write to a dot-file or a
/// `.tmp`/`.part` name and rename it when done (a rename is atomic), which
/// the watcher relies on by skipping those names. Polling rather than
/// inotify: it works the same on network file systems and needs no
/// platform code; a poll lists the directories, which is cheap next to the
/// pipeline.
#[derive(Debug)]
pub struct Watcher {
    paths: Vec<PathBuf>,
    settle: Duration,
    /// Every file seen, with when its current state was first seen.
    pending: std::collections::HashMap<PathBuf, (Seen, std::time::Instant)>,
    /// The state in which each file was handed out.
    done: std::collections::HashMap<PathBuf, Seen>,
}

/// How often the watcher polls.
const POLL: Duration = Duration::from_millis(250);

impl Watcher {
    pub fn new(paths: &[PathBuf], settle: Duration) -> Watcher {
        Watcher {
            paths: paths.to_vec(),
            settle,
            pending: Default::default(),
            done: Default::default(),
        }
    }

    /// One poll: the files that are ready (complete and not handed out in
    /// this state before), sorted.
    fn poll(&mut self) -> Vec<PathBuf> {
        let now = std::time::Instant::now();
        let mut ready = Vec::new();
        let files = list_files(&self.paths);
        let present: std::collections::HashSet<&PathBuf> = files.iter().collect();
        self.pending.retain(|p, _| present.contains(p));
        for file in &files {
            let Ok(meta) = std::fs::metadata(file) else {
                continue;
            };
            if !meta.is_file() || in_progress(file) {
                continue;
            }
            let seen = Seen {
                len: meta.len(),
                modified: meta.modified().ok(),
            };
            if self.done.get(file) == Some(&seen) {
                continue;
            }
            let since = match self.pending.get(file) {
                Some((before, since)) if *before == seen => *since,
                _ => {
                    self.pending.insert(file.clone(), (seen, now));
                    now
                }
            };
            if now.duration_since(since) >= self.settle {
                self.pending.remove(file);
                self.done.insert(file.clone(), seen);
                ready.push(file.clone());
            }
        }
        ready
    }

    /// Waits for ready files; `None` once `stop` says so (checked between
    /// polls).
    pub fn wait(&mut self, stop: &dyn Fn() -> bool) -> Option<Vec<PathBuf>> {
        loop {
            if stop() {
                return None;
            }
            let ready = self.poll();
            if !ready.is_empty() {
                return Some(ready);
            }
            std::thread::sleep(POLL);
        }
    }
}

/// The work queue: a connection holding one open transaction whose row
/// locks are this worker's claims.
struct Queue {
    client: postgres::Client,
    in_transaction: bool,
    /// Files claimed and not handed out yet, in reverse order.
    claimed: Vec<PathBuf>,
    /// How many files to claim at once: a run of neighbouring files
    /// (articles of the same days and stories tend to sit together, so
    /// workers on different runs wait less for each other's merge keys),
    /// in one round trip.
    run: i64,
    /// The item claimed last: the next claim looks after it first.
    last: Option<String>,
    /// This worker's name, written with its claims.
    name: String,
}

impl Queue {
    fn connect(db: &str, run: usize) -> Result<Queue> {
        // Connecting the store first creates the queue table (schema version 2).
        drop(newsgraph_store::PostgresStore::connect(db)?);
        let client = postgres::Client::connect(db, postgres::NoTls)
            .context("connecting to the work queue")?;
        Ok(Queue {
            client,
            in_transaction: false,
            claimed: Vec::new(),
            run: i64::try_from(run.max(1)).unwrap_or(i64::MAX),
            last: None,
            name: worker_name(),
        })
    }

    /// Adds files not queued yet. Those already queued are filtered out by
    /// a plain read first: `ON CONFLICT` alone would wait for the worker
    /// holding such an item (its claim is an uncommitted update of the row,
    /// held until that worker's round ends), so a worker starting while
    /// another one works would wait for all of its work.
    fn add(&mut self, files: &[PathBuf]) -> Result<()> {
        let items: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        self.client
            .execute(
                "INSERT INTO work_items (item)
                 SELECT i FROM unnest($1::text[]) AS i
                 WHERE NOT EXISTS (SELECT 1 FROM work_items w WHERE w.item = i)
                 ON CONFLICT DO NOTHING",
                &[&items],
            )
            .context("adding files to the work queue")?;
        Ok(())
    }

    /// The next claimed file, claiming more when none is left; `None` when
    /// no pending file is free.
    fn next_file(&mut self) -> Result<Option<PathBuf>> {
        if self.claimed.is_empty() {
            self.claimed = self.claim(self.run)?;
            self.claimed.reverse();
        }
        Ok(self.claimed.pop())
    }

    /// Claims up to `n` pending files nobody holds, in item order; none
    /// when there is none.
    ///
    /// Claims are uncommitted until the round ends, so the pending rows
    /// before a worker's last claim are mostly held by itself or others:
    /// scanning them again for every claim would make a round's claims cost
    /// quadratic in its files. So a claim looks after the last one first
    /// (past the few that other workers claimed meanwhile) and from the
    /// start only when nothing is left there (files added or released).
    fn claim(&mut self, n: i64) -> Result<Vec<PathBuf>> {
        if !self.in_transaction {
            self.client.batch_execute("BEGIN").context("work queue")?;
            self.in_transaction = true;
        }
        let after = self.last.take().unwrap_or_default();
        let mut rows = self
            .client
            .query(
                "SELECT item FROM work_items WHERE state = 'pending' AND item > $1
                 ORDER BY item LIMIT $2 FOR UPDATE SKIP LOCKED",
                &[&after, &n],
            )
            .context("claiming work")?;
        if rows.is_empty() && !after.is_empty() {
            rows = self
                .client
                .query(
                    "SELECT item FROM work_items WHERE state = 'pending' AND item <= $1
                     ORDER BY item LIMIT $2 FOR UPDATE SKIP LOCKED",
                    &[&after, &n],
                )
                .context("claiming work")?;
        }
        let items: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        if items.is_empty() {
            return Ok(Vec::new());
        }
        self.client
            .execute(
                "UPDATE work_items SET state = 'done', worker = $2, claimed_at = now(),
                        attempts = attempts + 1
                 WHERE item = ANY($1)",
                &[&items, &self.name],
            )
            .context("claiming work")?;
        self.last = items.last().cloned();
        Ok(items.into_iter().map(PathBuf::from).collect())
    }

    /// Makes this worker's files done.
    fn commit(&mut self) -> Result<()> {
        if self.in_transaction {
            self.client
                .batch_execute("COMMIT")
                .context("marking work done")?;
            self.in_transaction = false;
        }
        Ok(())
    }

    /// Waits while other workers hold pending files; true when some became
    /// claimable (their worker stopped), false when all are done.
    fn wait_for_others(&mut self) -> Result<bool> {
        loop {
            let pending: i64 = self
                .client
                .query_one(
                    "SELECT COUNT(*) FROM work_items WHERE state = 'pending'",
                    &[],
                )
                .context("reading the work queue")?
                .get(0);
            if pending == 0 {
                return Ok(false);
            }
            let free = self
                .client
                .query_opt(
                    "SELECT item FROM work_items WHERE state = 'pending'
                     LIMIT 1 FOR UPDATE SKIP LOCKED",
                    &[],
                )
                .context("reading the work queue")?;
            if free.is_some() {
                return Ok(true);
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

/// `host:pid`, to see in `work_items` who did what.
fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}:{}", host.trim(), std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watcher_hands_out_complete_files_once() {
        let dir = tempfile::tempdir().unwrap();
        let settle = Duration::from_millis(300);
        let mut w = Watcher::new(&[dir.path().to_path_buf()], settle);
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "first half").unwrap();
        std::fs::write(dir.path().join("b.txt.tmp"), "being written").unwrap();
        std::fs::write(dir.path().join(".c.txt"), "hidden").unwrap();
        // Not settled yet.
        assert!(w.poll().is_empty());
        std::thread::sleep(Duration::from_millis(150));
        std::fs::write(&a, "first half, second half").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        // Changed 200 ms ago: still not settled.
        assert!(w.poll().is_empty());
        std::thread::sleep(Duration::from_millis(350));
        assert_eq!(w.poll(), [a]);
        assert!(w.poll().is_empty());
        // A rename makes a new file appear whole.
        let b = dir.path().join("b.txt");
        std::fs::rename(dir.path().join("b.txt.tmp"), &b).unwrap();
        assert_eq!(w.wait(&|| false), Some(vec![b]));
        assert_eq!(w.wait(&|| true), None);
    }

    #[test]
    fn shards_parse_and_split() {
        assert_eq!(parse_shard("2/4"), Ok(Shard { index: 1, count: 4 }));
        assert!(parse_shard("0/4").is_err());
        assert!(parse_shard("5/4").is_err());
        assert!(parse_shard("x").is_err());
        let shards: Vec<Shard> = (1..=3)
            .map(|i| parse_shard(&format!("{i}/3")).unwrap())
            .collect();
        for k in 0..300 {
            let key = format!("doc-{k}");
            assert_eq!(shards.iter().filter(|s| s.takes(&key)).count(), 1);
        }
        let first = shards[0];
        let n = (0..300)
            .filter(|k| first.takes(&format!("doc-{k}")))
            .count();
        assert!((70..130).contains(&n), "{n}");
        // Stable: the same key, the same shard, forever.
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
