//! Many `newsgraph ingest` workers against one PostgreSQL database (the
//! test process's own server, see `newsgraph_store::testing`): sharded, and
//! through the work queue with one worker killed mid-run. Each must store
//! what a single SQLite ingest of the same generated corpus stores. And
//! `ingest --watch`, which picks up files as they arrive.

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

/// Documents stored in a SQLite store, by text.
fn stored_texts(db: &Path) -> Vec<String> {
    let Ok(conn) = rusqlite::Connection::open(db) else {
        return Vec::new();
    };
    let Ok(mut stmt) = conn.prepare("SELECT text FROM documents ORDER BY text") else {
        return Vec::new();
    };
    stmt.query_map([], |r| r.get(0))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
}

fn wait_for_documents(db: &Path, n: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let texts = stored_texts(db);
        if texts.len() >= n || started.elapsed() > Duration::from_secs(180) {
            return texts;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn watch_ingests_files_as_they_arrive_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let incoming = dir.path().join("incoming");
    std::fs::create_dir(&incoming).unwrap();
    let db = dir.path().join("news.db");
    let story = |city: &str| {
        format!(
            "The council of {city} met on Tuesday and voted to reopen the northern bridge, \
             the mayor, Ines Kadlec, told reporters after the session.\n"
        )
    };
    std::fs::write(incoming.join("a.txt"), story("Valmora")).unwrap();
    let child = newsgraph(&[
        "ingest",
        incoming.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--watch",
        "--settle-ms",
        "500",
    ])
    .spawn()
    .unwrap();
    assert_eq!(
        wait_for_documents(&db, 1).len(),
        1,
        "the file already there"
    );

    // A file written in two steps is read whole, once it stops changing.
    let slow = incoming.join("b.txt");
    std::fs::write(&slow, story("Kessen")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&slow)
        .unwrap();
    std::io::Write::write_all(
        &mut f,
        b"The harbour workers ended their strike on Wednesday.\n",
    )
    .unwrap();
    drop(f);
    // A file written under a temporary name is read after its rename.
    let tmp = incoming.join("c.txt.tmp");
    std::fs::write(&tmp, story("Ostrava")).unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(stored_texts(&db).len(), 2, "the .tmp file is left alone");
    std::fs::rename(&tmp, incoming.join("c.txt")).unwrap();
    let texts = wait_for_documents(&db, 3);
    assert_eq!(texts.len(), 3, "{texts:?}");
    let kessen = texts.iter().find(|t| t.contains("Kessen")).unwrap();
    assert!(
        kessen.contains("ended their strike"),
        "read half-way: {kessen}"
    );

    // SIGINT: a clean stop with the summary of every round.
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("3 read, 3 stored"), "{stderr}");
    assert!(stderr.contains("stopped watching on SIGINT"), "{stderr}");
}
