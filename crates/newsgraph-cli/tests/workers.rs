//! Many `newsgraph ingest` workers against one PostgreSQL database (the
//! test process's own server, see `newsgraph_store::testing`): sharded, and
//! through the work queue with one worker killed mid-run. Each must store
//! what a single SQLite ingest of the same generated corpus stores.

use newsgraph_store::open_store;
use newsgraph_store::testing::{canonical, server};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn newsgraph(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A small generated corpus (one file per article) and its single-worker
/// SQLite ingest, as canonical text.
fn corpus(dir: &Path, count: usize) -> (PathBuf, String) {
    let articles = dir.join("corpus");
    let n = count.to_string();
    ok(
        newsgraph(&[
            "generate-corpus",
            "--out",
            articles.to_str().unwrap(),
            "--count",
            &n,
            "--paragraphs",
            "1",
            "--seed",
            "7",
        ])
        .output()
        .unwrap(),
        "generate-corpus",
    );
    let db = dir.join("one.db");
    ok(
        newsgraph(&[
            "ingest",
            articles.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap(),
        "single SQLite ingest",
    );
    let store = open_store(db.to_str().unwrap()).unwrap();
    assert_eq!(store.stats().unwrap().documents, count as u64);
    (articles, canonical(store.as_ref()))
}

fn wait_all(children: Vec<Child>) {
    for (i, child) in children.into_iter().enumerate() {
        ok(child.wait_with_output().unwrap(), &format!("worker {i}"));
    }
}

#[test]
#[ignore = "known defect: cross-document event merging is order-dependent once events are extracted (reports that chain through partly overlapping actors merge differently in another arrival order: 1 of 186 events differs in its actor list); run with --ignored"]
fn four_sharded_workers_on_postgres_store_what_one_sqlite_ingest_does() {
    let Some(server) = server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (articles, expected) = corpus(dir.path(), 60);
    let url = server.new_database();
    let workers: Vec<Child> = (1..=4)
        .map(|i| {
            newsgraph(&[
                "ingest",
                articles.to_str().unwrap(),
                "--db",
                &url,
                "--shard",
                &format!("{i}/4"),
                "--batch",
                "4",
            ])
            .spawn()
            .unwrap()
        })
        .collect();
    wait_all(workers);
    let pg = open_store(&url).unwrap();
    assert_eq!(pg.stats().unwrap().documents, 60);
    assert_eq!(canonical(pg.as_ref()), expected);
}

#[test]
#[ignore = "known defect: cross-document event merging is order-dependent once events are extracted (reports that chain through partly overlapping actors merge differently in another arrival order: 1 of 186 events differs in its actor list); run with --ignored"]
fn queue_workers_take_over_the_files_of_a_killed_one() {
    let Some(server) = server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (articles, expected) = corpus(dir.path(), 60);
    let url = server.new_database();
    let spawn = || {
        newsgraph(&[
            "ingest",
            articles.to_str().unwrap(),
            "--db",
            &url,
            "--queue",
            "--batch",
            "2",
        ])
        .spawn()
        .unwrap()
    };
    // The victim starts alone; once it has stored something it is killed
    // (SIGKILL: no clean-up of its own), holding claimed files.
    let mut victim = spawn();
    let started = Instant::now();
    loop {
        let stored = open_store(&url)
            .ok()
            .and_then(|s| s.stats().ok())
            .map_or(0, |s| s.documents);
        if stored >= 4 || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let claimed_before_kill = claimed(&url);
    victim.kill().unwrap();
    victim.wait().unwrap();
    assert!(
        claimed_before_kill > 0,
        "the victim held no claim when killed"
    );
    let workers: Vec<Child> = (0..3).map(|_| spawn()).collect();
    wait_all(workers);
    let pg = open_store(&url).unwrap();
    assert_eq!(pg.stats().unwrap().documents, 60);
    assert_eq!(canonical(pg.as_ref()), expected);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let not_done: i64 = client
        .query_one("SELECT COUNT(*) FROM work_items WHERE state <> 'done'", &[])
        .unwrap()
        .get(0);
    assert_eq!(not_done, 0);
}

/// Files claimed (locked) by some worker right now.
fn claimed(url: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let free: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM (SELECT item FROM work_items WHERE state = 'pending'
             FOR UPDATE SKIP LOCKED) AS f",
            &[],
        )
        .unwrap()
        .get(0);
    let pending: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM work_items WHERE state = 'pending'",
            &[],
        )
        .unwrap()
        .get(0);
    pending - free
}
