//! Shared checks of the fuzz targets: every target asserts the promises of
//! the code it drives (spans slice the text, dates re-parse to themselves,
//! errors name the file), not only "no panic".

use newsgraph::Pipeline;
use newsgraph_core::json::{DocJson, JsonOptions};
use newsgraph_ingest::{parse_date, read_bytes, Article, ReadError, ReadOptions};
use serde_json::Value;
use std::sync::OnceLock;

/// Reader options for fuzzing: the defaults, with a smaller size limit so a
/// decompression bomb or a large input costs little time per run.
pub fn read_options() -> ReadOptions {
    ReadOptions {
        max_file_bytes: 1 << 20,
        ..ReadOptions::default()
    }
}

/// Reads `bytes` as the file `name` and checks every result.
pub fn read_and_check(name: &str, bytes: &[u8]) -> Vec<Result<Article, ReadError>> {
    let results = read_bytes(name, bytes, &read_options());
    check_read(name, &results);
    results
}

/// What every result of a read must satisfy: articles have a non-empty text
/// without stray control characters, an origin naming the input and a
/// normalised date; errors name the input.
pub fn check_read(name: &str, results: &[Result<Article, ReadError>]) {
    let shown = if name == "-" { "<stdin>" } else { name };
    let stray = |c: char| c.is_control() && c != '\n' && c != '\t';
    for r in results {
        match r {
            Ok(a) => {
                assert!(!a.text.trim().is_empty(), "empty article from {name}");
                assert!(!a.text.contains(stray), "control character in {:?}", a.text);
                assert!(
                    a.origin.starts_with(shown),
                    "origin {} for {name}",
                    a.origin
                );
                if let Some(d) = &a.published {
                    assert_eq!(parse_date(d).as_deref(), Some(d.as_str()), "date {d}");
                }
                for field in [&a.title, &a.source, &a.url, &a.id].into_iter().flatten() {
                    assert!(!field.contains(stray), "control character in {field:?}");
                }
            }
            Err(e) => {
                let message = e.to_string();
                assert!(
                    message.starts_with(&format!("{shown}:")),
                    "error does not name the file: {message}"
                );
                assert_eq!(e.path().display().to_string(), shown);
            }
        }
    }
}

/// The standard pipeline, loaded once per fuzzing process.
pub fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::standard().expect("the built-in models load"))
}

/// Runs the pipeline on `article` as `newsgraph extract --tokens` does and
/// checks the JSON: the text is kept as is, and every `{start, end}` span
/// (tokens, sentences, mentions, times, quotes, cues, actors, locations...)
/// lies within the text, in characters, and slices its `text` when it has one.
pub fn extract_and_check(article: Article, default_date: Option<&str>) {
    let text = article.text.clone();
    let doc = pipeline()
        .process(article, default_date)
        .expect("the standard pipeline does not fail on a read article");
    let json = serde_json::to_value(DocJson::new(&doc, JsonOptions { tokens: true }))
        .expect("a document serialises");
    assert_eq!(
        json["text"].as_str(),
        Some(text.as_str()),
        "text is kept as is"
    );
    let chars: Vec<char> = text.chars().collect();
    check_spans(&json, &chars);
    for t in json["times"].as_array().into_iter().flatten() {
        if let Some(v) = t["value"].as_str() {
            assert!(well_formed_time_value(v), "time value {v:?}");
        }
    }
}

fn check_spans(v: &Value, chars: &[char]) {
    match v {
        Value::Object(map) => {
            if let (Some(a), Some(b)) = (
                map.get("start").and_then(Value::as_u64),
                map.get("end").and_then(Value::as_u64),
            ) {
                assert!(
                    a < b && b as usize <= chars.len(),
                    "span {a}..{b} of {}",
                    chars.len()
                );
                if let Some(t) = map.get("text").and_then(Value::as_str) {
                    let s: String = chars[a as usize..b as usize].iter().collect();
                    assert_eq!(s, t, "span {a}..{b} does not slice its text");
                }
            }
            for (key, child) in map {
                if key != "text" {
                    check_spans(child, chars);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| check_spans(c, chars)),
        _ => {}
    }
}

/// A TIMEX3 value as the normaliser writes them: dates (`2015-05-12`,
/// `2015-W20`, `XXXX-05-12`...), times, durations (`P3D`, `PT8H`), sets and
/// the reference words (`PRESENT_REF`).
pub fn well_formed_time_value(v: &str) -> bool {
    !v.is_empty()
        && v.len() < 64
        && v.chars().all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | '_' | '+')
        })
}

/// A publication date from four fuzzer bytes: absent, a calendar date of
/// any year 1..=9999 (day and month possibly out of range, like
/// "2015-02-30"), a date with a time of day, or a reader-normalised date.
pub fn publication_date(b: [u8; 4]) -> Option<String> {
    let year = u16::from_le_bytes([b[1], b[2]]) % 10000;
    let year = year.max(1);
    let month = b[3] % 13 + 1; // 1..=13
    let day = b[0] / 4 % 32 + 1; // 1..=32
    match b[0] % 4 {
        0 => None,
        1 => Some(format!("{year:04}-{month:02}-{day:02}")),
        2 => Some(format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:00Z",
            b[3] % 24,
            b[2] % 60
        )),
        _ => parse_date(&format!("{year:04}-{month:02}-{day:02}")),
    }
}
