//! End-to-end tests of the `newsgraph` binary: extraction on the bundled
//! examples (golden snapshots), bad inputs in a batch, and exit codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn newsgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("run newsgraph")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn jsonl(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

/// Characters `start..end` of `text`, as Python's `text[start:end]`.
fn char_slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// A rendering made for reading: metadata, then each sentence with its tokens.
fn render(doc: &Value) -> String {
    let text = doc["text"].as_str().unwrap();
    let mut s = String::new();
    for key in ["id", "title", "published", "source", "url", "language"] {
        s.push_str(&format!("{key}: {}\n", doc[key]));
    }
    let tokens = doc["tokens"].as_array().unwrap();
    let mut ti = 0;
    for (i, sent) in doc["sentences"].as_array().unwrap().iter().enumerate() {
        let (a, b) = (
            sent["start"].as_u64().unwrap(),
            sent["end"].as_u64().unwrap(),
        );
        s.push_str(&format!(
            "sentence {} [{a}..{b}]: {:?}\n  ",
            i + 1,
            char_slice(text, a, b)
        ));
        let mut words = Vec::new();
        while ti < tokens.len() && tokens[ti]["end"].as_u64().unwrap() <= b {
            words.push(tokens[ti]["text"].as_str().unwrap().to_string());
            ti += 1;
        }
        s.push_str(&words.join(" | "));
        s.push('\n');
    }
    for e in doc["entities"].as_array().unwrap() {
        let mentions: Vec<String> = e["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| format!("{}..{}", m["start"], m["end"]))
            .collect();
        s.push_str(&format!(
            "entity {:?} {} country={} mentions=[{}]\n",
            e["name"].as_str().unwrap(),
            e["type"].as_str().unwrap(),
            e["country"],
            mentions.join(", ")
        ));
    }
    for t in doc["times"].as_array().unwrap() {
        s.push_str(&format!(
            "time {:?} {} {}\n",
            t["text"].as_str().unwrap(),
            t["type"],
            t["value"]
        ));
    }
    let entity_name = |id: &Value| {
        doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| &e["id"] == id)
            .map_or("null".to_string(), |e| {
                format!("{:?}", e["name"].as_str().unwrap())
            })
    };
    let span_text = |v: &Value| v.get("text").map_or("-".to_string(), |t| format!("{t}"));
    for q in doc["quotes"].as_array().unwrap() {
        s.push_str(&format!(
            "quote {} {:?} speaker={} mention={} cue={}\n",
            q["kind"].as_str().unwrap(),
            q["text"].as_str().unwrap(),
            entity_name(&q["speaker"]),
            span_text(&q["speaker_mention"]),
            span_text(&q["cue"]),
        ));
        assert_eq!(
            char_slice(
                text,
                q["start"].as_u64().unwrap(),
                q["end"].as_u64().unwrap()
            ),
            q["text"].as_str().unwrap()
        );
    }
    for e in doc["events"].as_array().unwrap() {
        let actors = |key: &str| -> String {
            e[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    format!(
                        "{:?} {} {}",
                        a["text"].as_str().unwrap(),
                        a["country"],
                        a["sector"]
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.push_str(&format!(
            "event {}/{} trigger={:?} rule={} modality={} date={} confidence={:.2}\n  source [{}]\n  target [{}]\n",
            e["type"].as_str().unwrap(),
            e["mode"].as_str().unwrap(),
            e["trigger"]["text"].as_str().unwrap(),
            e["rule"].as_str().unwrap(),
            e["modality"].as_str().unwrap(),
            e["date"],
            e["confidence"].as_f64().unwrap(),
            actors("source"),
            actors("target"),
        ));
        if !e["location"].is_null() {
            s.push_str(&format!(
                "  where {:?}\n",
                e["location"]["name"].as_str().unwrap()
            ));
        }
    }
    for w in doc["warnings"].as_array().unwrap() {
        s.push_str(&format!("warning: {}\n", w.as_str().unwrap()));
    }
    s
}

/// Every span in the document slices `text` exactly and tokens tile the sentences.
fn check_offsets(doc: &Value) {
    let text = doc["text"].as_str().unwrap();
    let n = text.chars().count() as u64;
    let mut prev = 0;
    for t in doc["tokens"].as_array().unwrap() {
        let (a, b) = (t["start"].as_u64().unwrap(), t["end"].as_u64().unwrap());
        assert!(prev <= a && a < b && b <= n, "token {t} out of order");
        assert_eq!(char_slice(text, a, b), t["text"].as_str().unwrap());
        prev = b;
    }
    let mut prev = 0;
    for s in doc["sentences"].as_array().unwrap() {
        let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(prev <= a && a < b && b <= n, "sentence {s} out of order");
        prev = b;
    }
}

#[test]
fn extract_examples_golden() {
    let out = newsgraph(&["extract", "examples", "--tokens"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = jsonl(&out);
    assert_eq!(
        docs.len(),
        5,
        "three records in the JSONL file, one txt, one html"
    );
    for doc in &docs {
        check_offsets(doc);
        for key in [
            "entities",
            "times",
            "quotes",
            "events",
            "warnings",
            "sentences",
        ] {
            assert!(doc[key].is_array(), "{key} is a list");
        }
        let name = doc["id"].as_str().unwrap().to_string();
        insta::assert_snapshot!(name, render(doc));
    }
}

#[test]
fn extract_without_tokens_follows_the_contract() {
    let out = newsgraph(&["extract", "examples/2024-03-18-ankara-grain-talks.txt"]);
    assert!(out.status.success());
    let docs = jsonl(&out);
    let doc = &docs[0];
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "id",
        "title",
        "published",
        "source",
        "url",
        "language",
        "text",
        "sentences",
        "entities",
        "times",
        "quotes",
        "events",
        "warnings",
    ];
    expected.sort();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    assert_eq!(keys_sorted, expected);
    assert_eq!(doc["id"], "meridian-2024-03-18-grain");
    assert_eq!(doc["published"], "2024-03-18");
}

#[test]
fn json_format_is_one_array() {
    let out = newsgraph(&["extract", "examples", "--format", "json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
}

#[test]
fn date_flag_fills_missing_dates_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nodate.txt");
    std::fs::write(&p, "Officials met in Geneva on Tuesday.").unwrap();
    let out = newsgraph(&["extract", p.to_str().unwrap(), "--date", "2015-05-12"]);
    assert_eq!(jsonl(&out)[0]["published"], "2015-05-12");
    assert_eq!(jsonl(&out)[0]["id"], "nodate");
    let out = newsgraph(&[
        "extract",
        "examples/2024-03-18-ankara-grain-talks.txt",
        "--date",
        "2015-05-12",
    ]);
    assert_eq!(jsonl(&out)[0]["published"], "2024-03-18");
    let out = newsgraph(&["extract", p.to_str().unwrap(), "--date", "yesterday"]);
    assert!(!out.status.success());
}

#[test]
fn a_batch_goes_on_past_bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("good.txt"),
        "Title: Good\n\nThe minister resigned on Friday. Parliament accepted.",
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(
        d.join("blob.bin"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 7, 8],
    )
    .unwrap();
    std::fs::write(d.join("latin1.txt"), b"The mayor of S\xe3o Paulo spoke.").unwrap();
    std::fs::write(
        d.join("records.jsonl"),
        "{\"id\": \"r1\", \"text\": \"Troops withdrew.\"}\n{not json\n{\"id\": \"r3\", \"text\": \"Talks resumed.\"}\n",
    )
    .unwrap();
    let out = newsgraph(&["extract", d.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "some inputs were read: {stderr}");
    let ids: Vec<String> = jsonl(&out)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["good", "latin1", "r1", "r3"]);
    assert!(stderr.contains("empty.txt"), "{stderr}");
    assert!(stderr.contains("blob.bin"), "{stderr}");
    assert!(stderr.contains("records.jsonl:2"), "{stderr}");
    let latin1 = &jsonl(&out)[1];
    assert!(
        latin1["warnings"][0].as_str().unwrap().contains("UTF-8"),
        "{latin1}"
    );
}

#[test]
fn nothing_readable_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = newsgraph(&["extract", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.txt"));
    let out = newsgraph(&["extract", "/nonexistent/path/x.txt"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/path/x.txt"));
}

#[test]
fn stdin_is_read() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["extract", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Rebels seized the town. The army retreated.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let docs = jsonl(&out);
    assert_eq!(docs[0]["sentences"].as_array().unwrap().len(), 2);
    assert!(docs[0]["id"].as_str().unwrap().starts_with("doc-"));
}

#[test]
fn bench_reports_speeds_per_stage_and_memory() {
    let out = newsgraph(&["bench", "examples/", "--reps", "1", "--date", "2015-05-12"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert!(report["documents"].as_u64().unwrap() >= 5);
    assert!(report["words"].as_u64().unwrap() > 0);
    assert!(
        report["single_thread"]["words_per_sec"]["median"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    let stages = report["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(&names[..2], ["tokenizer", "tagger"]);
    let shares: f64 = stages.iter().map(|s| s["share"].as_f64().unwrap()).sum();
    assert!(
        (shares - 1.0).abs() < 1e-6,
        "stage shares sum to one: {shares}"
    );
    if cfg!(target_os = "linux") {
        // CPU time is read from /proc: present for the pass and every stage.
        assert!(
            report["single_thread"]["cpu_words_per_sec"]["median"]
                .as_f64()
                .unwrap()
                > 0.0
        );
        assert!(stages
            .iter()
            .all(|s| s["cpu_words_per_sec"].as_f64().unwrap() > 0.0));
        assert!(report["peak_rss_mb"].as_f64().unwrap() > 0.0);
    }
}
