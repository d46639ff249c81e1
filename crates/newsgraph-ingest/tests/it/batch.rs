//! Walking directories: a batch goes on past bad files, and says what was wrong with each.

use crate::summary;
use newsgraph_ingest::{read_paths, ReadError, ReadOptions};
use std::fs;
use std::path::PathBuf;

#[test]
fn directory_with_good_and_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("a-good.txt"),
        "Title: Bridge reopens\nDate: 2015-04-02\n\nThe Orla bridge reopened to traffic on Thursday.\n",
    )
    .unwrap();
    fs::write(root.join("b-empty.txt"), "").unwrap();
    fs::write(root.join("c-blank.txt"), " \n\t\n").unwrap();
    fs::write(
        root.join("d-image.bin"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    fs::write(
        root.join("e-latin1.txt"),
        b"Mayor Ren\xe9 Sall\xe9 opened the new market hall on Saturday.\n",
    )
    .unwrap();
    fs::write(
        root.join("f-feed.jsonl"),
        "{\"id\": \"f1\", \"text\": \"Rail strike called off.\"}\n{\"id\": \"f2\", \"text\": \"Unterminated\n{\"id\": \"f3\", \"text\": \"Harbour tolls frozen.\"}\n",
    )
    .unwrap();
    // Nested directories are walked in sorted order; hidden entries are skipped.
    fs::create_dir(root.join("g-sub")).unwrap();
    fs::write(root.join("g-sub/story"), "A story without an extension.\n").unwrap();
    fs::write(root.join(".hidden.txt"), "Not read.\n").unwrap();
    fs::create_dir(root.join(".git")).unwrap();
    fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();

    let results: Vec<_> = read_paths(&[root.to_path_buf()], &ReadOptions::default()).collect();
    assert_eq!(
        summary(&results, root),
        [
            "ok a-good.txt id=a-good",
            "error: b-empty.txt: empty file",
            "error: c-blank.txt: empty file",
            "error: d-image.bin: binary file (NUL bytes in the first 8 KiB), skipped",
            "ok e-latin1.txt id=e-latin1 warning: invalid UTF-8 decoded with replacement characters (2 bytes)",
            "ok f-feed.jsonl:1 id=f1",
            "error: f-feed.jsonl:2: invalid JSON: EOF while parsing a string at column 34",
            "ok f-feed.jsonl:3 id=f3",
            "ok g-sub/story id=story",
        ]
    );
    let latin1 = results[4].as_ref().unwrap();
    assert_eq!(
        latin1.text,
        "Mayor Ren\u{FFFD} Sall\u{FFFD} opened the new market hall on Saturday."
    );
    let good = results[0].as_ref().unwrap();
    assert_eq!(good.published.as_deref(), Some("2015-04-02"));
}

#[test]
fn size_limit_is_checked_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let small = dir.path().join("small.txt");
    fs::write(&big, "word ".repeat(1000)).unwrap();
    fs::write(&small, "A short dispatch.").unwrap();
    let opts = ReadOptions {
        max_file_bytes: 2048,
        ..ReadOptions::default()
    };
    let results: Vec<_> = read_paths(&[big.clone(), small], &opts).collect();
    assert_eq!(
        summary(&results, dir.path()),
        [
            "error: big.txt: file is 4.9 KiB, over the 2 KiB limit (set --max-bytes to raise it)",
            "ok small.txt id=small",
        ]
    );
    match &results[0] {
        Err(ReadError::TooLarge { path, size, limit }) => {
            assert_eq!((path, *size, *limit), (&big, Some(5000), 2048));
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn missing_path_is_an_error_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let there = dir.path().join("there.txt");
    fs::write(&there, "Still read.").unwrap();
    let missing = dir.path().join("missing.txt");
    let results: Vec<_> = read_paths(&[missing.clone(), there], &ReadOptions::default()).collect();
    assert_eq!(results.len(), 2);
    let err = results[0].as_ref().unwrap_err();
    assert!(matches!(err, ReadError::Io { .. }));
    assert_eq!(err.path(), missing);
    assert!(err
        .to_string()
        .starts_with(&format!("{}: ", missing.display())));
    assert_eq!(results[1].as_ref().unwrap().text, "Still read.");
}

#[test]
fn files_are_read_lazily() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("1.txt");
    let second = dir.path().join("2.txt");
    fs::write(&first, "First.").unwrap();
    fs::write(&second, "Second, as written before the walk.").unwrap();
    let mut iter = read_paths(&[dir.path().to_path_buf()], &ReadOptions::default());
    assert_eq!(iter.next().unwrap().unwrap().text, "First.");
    // The second file has not been read yet: a change now is seen.
    fs::write(&second, "Second, as changed during the walk.").unwrap();
    assert_eq!(
        iter.next().unwrap().unwrap().text,
        "Second, as changed during the walk."
    );
    assert!(iter.next().is_none());
}

#[test]
fn explicit_paths_keep_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = ["z.txt", "a.txt"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    for p in &paths {
        fs::write(p, "Text.").unwrap();
    }
    let ids: Vec<_> = read_paths(&paths, &ReadOptions::default())
        .map(|r| r.unwrap().id.unwrap())
        .collect();
    assert_eq!(ids, ["z", "a"]);
}
