//! The store through the binary: `ingest` (examples, feeds, WARC, re-ingest,
//! kill -9 and resume) and the query commands.

use newsgraph_store::SqliteStore;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn newsgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run newsgraph")
}

fn ok(args: &[&str]) -> Output {
    let out = newsgraph(args);
    assert!(
        out.status.success(),
        "newsgraph {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stats(db: &Path) -> Value {
    let out = ok(&["stats", "--db", s(db), "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dump(db: &Path) -> String {
    SqliteStore::open(db).unwrap().dump().unwrap()
}

#[test]
fn ingesting_the_examples_twice_stores_them_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    let first = ok(&["ingest", s(&examples()), "--db", s(&db)]);
    let extracted = ok(&["extract", s(&examples())]);
    let n_examples = String::from_utf8_lossy(&extracted.stdout).lines().count() as u64;
    let st = stats(&db);
    assert_eq!(st["documents"], n_examples);
    assert_eq!(st["schema_version"], 2);
    assert!(
        stderr(&first).contains(&format!(
            "{n_examples} read, {n_examples} stored, 0 duplicates skipped, 0 failed"
        )),
        "{}",
        stderr(&first)
    );
    let before = dump(&db);

    let again = ok(&["ingest", s(&examples()), "--db", s(&db)]);
    assert!(
        stderr(&again).contains(&format!(
            "{n_examples} read, 0 stored, {n_examples} duplicates skipped"
        )),
        "{}",
        stderr(&again)
    );
    assert_eq!(dump(&db), before);

    // A stored document comes back as `extract` printed it.
    let store = SqliteStore::open(&db).unwrap();
    for line in String::from_utf8_lossy(&extracted.stdout).lines() {
        let doc: Value = serde_json::from_str(line).unwrap();
        let id = doc["id"].as_str().unwrap();
        let stored = newsgraph_store::Store::document_json(&store, id)
            .unwrap()
            .unwrap();
        assert_eq!(serde_json::from_str::<Value>(&stored).unwrap(), doc, "{id}");
    }
}

#[test]
fn feeds_and_warc_archives_are_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("ledger.rss"),
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Valmora Ledger</title>
<item><title>Dockers strike</title><link>https://ledger.example/strike</link>
<pubDate>Wed, 20 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Dockers in Valmora went on strike on Wednesday over pay.&lt;/p&gt;</description></item>
</channel></rss>"#,
    )
    .unwrap();
    let html = "<html><head><title>Council vote</title></head><body><article><p>The Kessen council voted on Tuesday to close the old ferry terminal, officials said.</p><p>Ferry workers said they would appeal.</p></article></body></html>";
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://kessen.example/vote\r\nWARC-Date: 2024-03-19T12:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    );
    std::fs::write(input.join("crawl.warc"), warc).unwrap();
    let db = dir.path().join("news.db");
    ok(&["ingest", s(&input), "--db", s(&db)]);
    let st = stats(&db);
    assert_eq!(st["documents"], 2);
    assert_eq!(st["first_published"], "2024-03-19T12:00:00Z");
    let dumped = dump(&db);
    assert!(
        dumped.contains(r#"url="https://ledger.example/strike""#),
        "{dumped}"
    );
    assert!(
        dumped.contains(r#"url="https://kessen.example/vote""#),
        "{dumped}"
    );
    assert!(dumped.contains(r#"source="Valmora Ledger""#), "{dumped}");
}

#[test]
fn query_commands_and_their_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    ok(&["ingest", s(&examples()), "--db", s(&db)]);
    // Every format works on an empty result.
    for cmd in ["events", "entities", "quotes"] {
        let csv = ok(&[cmd, "--db", s(&db), "--format", "csv"]);
        let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
        assert!(!reader.headers().unwrap().is_empty());
        let json = ok(&[cmd, "--db", s(&db), "--format", "json"]);
        assert!(
            serde_json::from_slice::<Vec<Value>>(&json.stdout).is_ok(),
            "{cmd}"
        );
        ok(&[cmd, "--db", s(&db), "--format", "table"]);
        ok(&[cmd, "--db", s(&db), "--format", "jsonl"]);
    }
    let csv = ok(&["events", "--db", s(&db), "--format", "csv"]);
    assert!(
        String::from_utf8_lossy(&csv.stdout).starts_with("id,date,type,mode,modality,source_name,")
    );
    // Every filter is accepted.
    ok(&[
        "events",
        "--db",
        s(&db),
        "--type",
        "REJECT,consult",
        "--mode",
        "visit",
        "--source-country",
        "RUS",
        "--source-sector",
        "GOV",
        "--target-country",
        "USA",
        "--target-sector",
        "GOV",
        "--entity",
        "Putin",
        "--from",
        "2015-01-01",
        "--to",
        "2015-12-31",
        "--country",
        "RUS",
        "--place",
        "Sochi",
        "--modality",
        "asserted",
        "--min-confidence",
        "0.5",
        "--min-sources",
        "2",
        "--q",
        "sanctions",
        "--limit",
        "5",
    ]);
    ok(&[
        "entities",
        "--db",
        s(&db),
        "--name",
        "Putin",
        "--type",
        "person",
        "--country",
        "RUS",
        "--sector",
        "GOV",
        "--role",
        "president",
        "--min-documents",
        "2",
    ]);
    ok(&[
        "quotes",
        "--db",
        s(&db),
        "--speaker",
        "Ushakov",
        "--q",
        "sanctions",
        "--kind",
        "direct",
        "--from",
        "2015-01-01",
        "--to",
        "2016-01-01",
        "--source",
        "Reuters",
    ]);
    // Text search finds words of the examples' documents (events are empty
    // until the extractors land, so search through stats of a fresh query).
    let bad = newsgraph(&["events", "--db", s(&db), "--type", "MEETING"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("unknown PLOVER type `MEETING`"),
        "{}",
        stderr(&bad)
    );
    let bad = newsgraph(&["events", "--db", s(&db), "--from", "May 2015"]);
    assert!(stderr(&bad).contains("is not a date"), "{}", stderr(&bad));
    let missing = dir.path().join("nope.db");
    let out = newsgraph(&["events", "--db", s(&missing)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("nope.db` does not exist")
            && stderr(&out).contains("hint: create it with `newsgraph ingest"),
        "{}",
        stderr(&out)
    );
    assert!(!missing.exists(), "a query must not create a database");
    let out = newsgraph(&["stats", "--db", "postgres://u@localhost/news"]);
    assert!(
        stderr(&out).contains("cannot connect to `postgres://u@localhost/news`"),
        "{}",
        stderr(&out)
    );
}

/// How many documents a database holds (0 while it cannot be read).
fn stored_documents(db: &Path) -> u64 {
    if !db.exists() {
        return 0;
    }
    rusqlite::Connection::open(db)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0)))
        .map_or(0, |n| n as u64)
}

/// Documents with their number of time expressions: a document stored
/// without its records would show a smaller count than in a complete run.
fn per_document_records(db: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT d.id, (SELECT COUNT(*) FROM times t WHERE t.doc_key = d.doc_key)
             FROM documents d ORDER BY d.id",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn killed_ingests_resume_to_the_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    ok(&[
        "generate-corpus",
        "--out",
        s(&corpus),
        "--count",
        "300",
        "--seed",
        "11",
        "--paragraphs",
        "3",
    ]);
    let whole = dir.path().join("whole.db");
    ok(&["ingest", s(&corpus), "--db", s(&whole), "--batch", "8"]);
    let expected = per_document_records(&whole);
    assert_eq!(expected.len(), 300);

    let resumed = dir.path().join("resumed.db");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = seed | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut kills = 0;
    let mut stored_midway = Vec::new();
    // Each round is killed once the store holds a random number of documents
    // more than before, plus a random delay (so mostly in the middle of a batch).
    let mut target = 0;
    for round in 0..5 {
        target += 20 + next() % 40;
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["ingest", s(&corpus), "--db", s(&resumed), "--batch", "8"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if stored_documents(&resumed) >= target || started.elapsed() > Duration::from_secs(120)
            {
                std::thread::sleep(Duration::from_millis(next() % 30));
                child.kill().unwrap(); // SIGKILL
                kills += 1;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.wait().unwrap();
        // Whatever was committed is whole documents with all their records.
        let partial = per_document_records(&resumed);
        if partial.len() < expected.len() {
            stored_midway.push(partial.len());
        }
        for row in &partial {
            assert!(
                expected.contains(row),
                "seed {seed}, round {round}: half-written document {row:?}"
            );
        }
    }
    ok(&["ingest", s(&corpus), "--db", s(&resumed), "--batch", "8"]);
    eprintln!("seed {seed}: {kills} kills, documents stored when killed: {stored_midway:?}");
    assert!(
        stored_midway.iter().any(|&n| n > 0),
        "seed {seed}: the ingest was never killed between commits"
    );
    assert_eq!(per_document_records(&resumed), expected, "seed {seed}");
    assert_eq!(
        dump(&resumed),
        dump(&whole),
        "seed {seed}: resumed database differs"
    );
}
