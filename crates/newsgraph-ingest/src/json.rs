//! JSON Lines and JSON records: one article per object, one error per bad record.

use crate::date::parse_date;
use crate::encoding::{clean_field, clean_text, Decoded};
use crate::html::html_to_text;
use crate::{Input, ReadError};
use newsgraph_core::Article;
use serde_json::value::RawValue;
use serde_json::Value;

/// Keys that may hold the article text, in order of preference.
const TEXT_KEYS: [&str; 3] = ["text", "body", "content"];
/// Keys that may hold the publication date, in order of preference.
const DATE_KEYS: [&str; 4] = ["date", "published", "publish_date", "published_at"];

/// Reads JSON Lines: every non-blank line is one record. A bad line gives an
/// error naming it and the others are still read.
pub(crate) fn read_json_lines(
    input: &Input<'_>,
    decoded: &Decoded,
) -> Vec<Result<Article, ReadError>> {
    let text = &decoded.text;
    let mut out = Vec::new();
    let mut start = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let range = start..start + line.len();
        start = range.end;
        if line.trim().is_empty() {
            continue;
        }
        let line_no = index as u64 + 1;
        let record = match serde_json::from_str::<Value>(line.trim_end_matches(['\n', '\r'])) {
            Ok(value) => value,
            Err(e) => {
                out.push(Err(ReadError::InvalidJson {
                    path: input.path.to_path_buf(),
                    line: line_no,
                    message: json_message(&e),
                }));
                continue;
            }
        };
        let warning = decoded.warning_for(range);
        out.push(record_to_article(input, &record, Some(line_no), warning));
    }
    out
}

/// Reads a JSON document: an array of records, or one record object.
///
/// A record in an array is named by the line where it starts. A single
/// record object is a single-article file: its id defaults to the file stem.
pub(crate) fn read_json(input: &Input<'_>, decoded: &Decoded) -> Vec<Result<Article, ReadError>> {
    let text = &decoded.text;
    let path = || input.path.to_path_buf();
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let items: Vec<&RawValue> = match serde_json::from_str(text) {
            Ok(items) => items,
            Err(e) => return vec![Err(invalid_document(input, &e))],
        };
        return items
            .into_iter()
            .map(|raw| {
                // `raw` borrows from `text`: its address gives its offset.
                let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
                let line = line_of(text, offset);
                let value: Value =
                    serde_json::from_str(raw.get()).map_err(|e| ReadError::InvalidJson {
                        path: path(),
                        line,
                        message: json_message(&e),
                    })?;
                let warning = decoded.warning_for(offset..offset + raw.get().len());
                record_to_article(input, &value, Some(line), warning)
            })
            .collect();
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        // JSON Lines saved as `.json`: one object, then "trailing characters".
        Err(e) if e.to_string().starts_with("trailing characters") => {
            return read_json_lines(input, decoded);
        }
        Err(e) => return vec![Err(invalid_document(input, &e))],
    };
    let offset = text.len() - trimmed.len();
    let line = line_of(text, offset);
    if !value.is_object() {
        return vec![Err(ReadError::NotARecord {
            path: path(),
            line,
            found: kind(&value),
        })];
    }
    // A lone record is a single-article file: named by the file, not a line.
    let mut result = record_to_article(input, &value, None, decoded.warning());
    if let Err(ReadError::MissingText { line: l, .. }) = &mut result {
        *l = line;
    }
    vec![result]
}

fn invalid_document(input: &Input<'_>, e: &serde_json::Error) -> ReadError {
    ReadError::InvalidJson {
        path: input.path.to_path_buf(),
        line: e.line() as u64,
        message: json_message(e),
    }
}

/// serde_json's message without its `at line L column C` suffix, with the
/// column added back when the line is named elsewhere (`at column C`).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&suffix) {
        Some(message) if e.column() > 0 => format!("{message} at column {}", e.column()),
        Some(message) => message.to_string(),
        None => full,
    }
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset].bytes().filter(|&b| b == b'\n').count() as u64 + 1
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns one record into an article. `line` is where a record of a
/// multi-record file starts; `None` for a single-record file.
fn record_to_article(
    input: &Input<'_>,
    value: &Value,
    line: Option<u64>,
    decode_warning: Option<String>,
) -> Result<Article, ReadError> {
    let record_line = line.unwrap_or(1);
    let Value::Object(record) = value else {
        return Err(ReadError::NotARecord {
            path: input.path.to_path_buf(),
            line: record_line,
            found: kind(value),
        });
    };
    let mut warnings: Vec<String> = decode_warning.into_iter().collect();

    let text = TEXT_KEYS
        .iter()
        .find_map(|k| record_text(record.get(*k)?))
        .ok_or_else(|| ReadError::MissingText {
            path: input.path.to_path_buf(),
            line: record_line,
        })?;

    let given_id = match record.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => clean_field(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            warnings.push(format!(
                "ignored `id`: expected a string or number, found {}",
                kind(other)
            ));
            None
        }
    };
    let id = given_id.or_else(|| match line {
        Some(line) => input.stem.map(|stem| format!("{stem}-{line}")),
        None => input.stem.map(str::to_string),
    });

    let mut string_field = |key: &str| match record.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => clean_field(s),
        Some(other) => {
            warnings.push(format!(
                "ignored `{key}`: expected a string, found {}",
                kind(other)
            ));
            None
        }
    };
    let title = string_field("title");
    let source = string_field("source");
    let url = string_field("url");

    let mut published = None;
    if let Some((key, raw)) = DATE_KEYS
        .iter()
        .find_map(|k| record.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v)))
    {
        match raw {
            Value::String(s) => match parse_date(s) {
                Some(date) => published = Some(date),
                None => warnings.push(format!("could not parse date `{}`", s.trim())),
            },
            other => warnings.push(format!("could not parse date `{other}` (in `{key}`)")),
        }
    }

    Ok(Article {
        id,
        title,
        published,
        source,
        url,
        text,
        origin: match line {
            Some(line) => input.record_origin(line),
            None => input.origin(),
        },
        warnings,
    })
}

/// The cleaned text of a text field: a string, or an array of strings (one
/// paragraph each). HTML is reduced to its text. `None` when empty.
fn record_text(value: &Value) -> Option<String> {
    let raw = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            parts.join("\n\n")
        }
        _ => return None,
    };
    let text = if looks_like_html(&raw) {
        html_to_text(&raw)
    } else {
        clean_text(&raw).trim().to_string()
    };
    (!text.is_empty()).then_some(text)
}

/// Whether a record's text is HTML markup rather than prose with a stray `<`.
fn looks_like_html(s: &str) -> bool {
    const TAGS: [&str; 20] = [
        "p",
        "/p",
        "br",
        "div",
        "/div",
        "a",
        "/a",
        "span",
        "b",
        "i",
        "em",
        "strong",
        "h1",
        "h2",
        "h3",
        "ul",
        "li",
        "blockquote",
        "img",
        "figure",
    ];
    let lower = s.to_ascii_lowercase();
    lower.match_indices('<').any(|(at, _)| {
        let rest = &lower[at + 1..];
        TAGS.iter().any(|tag| {
            rest.strip_prefix(tag)
                .is_some_and(|after| after.starts_with(['>', ' ', '/', '\n', '\t']))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::decode;
    use std::path::Path;

    fn jsonl(text: &str) -> Vec<Result<Article, ReadError>> {
        read_json_lines(
            &Input::file(Path::new("in/wire.jsonl")),
            &decode(text.as_bytes()),
        )
    }

    fn json(text: &str) -> Vec<Result<Article, ReadError>> {
        read_json(
            &Input::file(Path::new("in/wire.json")),
            &decode(text.as_bytes()),
        )
    }

    #[test]
    fn keys_and_fallbacks() {
        let got = jsonl(
            "{\"id\": 17, \"title\": \" Port  talks \", \"body\": \"Text one.\", \"published_at\": \"2015-05-12T10:00:00+03:00\", \"source\": \"Wire\", \"url\": \"https://example.com/1\"}\n\
             \n\
             {\"content\": \"Text two.\", \"date\": \"not a date\"}\n",
        );
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.id.as_deref(), Some("17"));
        assert_eq!(a.title.as_deref(), Some("Port talks"));
        assert_eq!(a.text, "Text one.");
        assert_eq!(a.published.as_deref(), Some("2015-05-12T10:00:00+03:00"));
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/1"));
        assert_eq!(a.origin, "in/wire.jsonl:1");
        let b = got[1].as_ref().unwrap();
        assert_eq!(b.id.as_deref(), Some("wire-3"));
        assert_eq!(b.origin, "in/wire.jsonl:3");
        assert_eq!(b.warnings, ["could not parse date `not a date`"]);
    }

    #[test]
    fn bad_lines_are_errors_and_reading_goes_on() {
        let got = jsonl("{\"text\": \"a\"}\n{\"text\": \n[1]\n{\"text\": \"\"}\n{\"text\": \"b\"}");
        let summary: Vec<String> = got
            .iter()
            .map(|r| match r {
                Ok(a) => format!("ok {}", a.text),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "ok a",
                "in/wire.jsonl:2: invalid JSON: EOF while parsing a value at column 9",
                "in/wire.jsonl:3: expected a record (a JSON object), found an array",
                "in/wire.jsonl:4: record has no text (`text`, `body` or `content` missing or empty)",
                "ok b",
            ]
        );
    }

    #[test]
    fn html_text_is_stripped() {
        let got = jsonl(r#"{"text": "<p>First <em>one</em>.</p><p>Second &amp; last.</p>"}"#);
        assert_eq!(
            got[0].as_ref().unwrap().text,
            "First one.\n\nSecond & last."
        );
        let got = jsonl(r#"{"text": "Turnout was <5% in the north."}"#);
        assert_eq!(
            got[0].as_ref().unwrap().text,
            "Turnout was <5% in the north."
        );
    }

    #[test]
    fn odd_field_types_are_warnings() {
        let got = jsonl(r#"{"text": "x", "title": 5, "id": true, "date": 1431424800}"#);
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.title, None);
        assert_eq!(a.id.as_deref(), Some("wire-1"));
        assert_eq!(
            a.warnings,
            [
                "ignored `id`: expected a string or number, found a boolean",
                "ignored `title`: expected a string, found a number",
                "could not parse date `1431424800` (in `date`)",
            ]
        );
    }

    #[test]
    fn json_array_records_are_named_by_line() {
        let got = json("[\n  {\"text\": \"one\"},\n  {\"title\": \"no text\"},\n  {\"text\": \"three\", \"id\": \"x\"}\n]\n");
        assert_eq!(got.len(), 3);
        let a = got[0].as_ref().unwrap();
        assert_eq!(
            (a.id.as_deref(), a.origin.as_str()),
            (Some("wire-2"), "in/wire.json:2")
        );
        assert_eq!(
            got[1].as_ref().unwrap_err().to_string(),
            "in/wire.json:3: record has no text (`text`, `body` or `content` missing or empty)"
        );
        assert_eq!(got[2].as_ref().unwrap().id.as_deref(), Some("x"));
    }

    #[test]
    fn json_single_object_is_a_single_article_file() {
        let got = json("{\n  \"text\": \"Only one.\"\n}\n");
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.id.as_deref(), Some("wire"));
        assert_eq!(a.origin, "in/wire.json");
    }

    #[test]
    fn json_lines_in_a_json_file_are_read_as_json_lines() {
        let got = json("{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        let origins: Vec<_> = got
            .iter()
            .map(|r| r.as_ref().unwrap().origin.as_str())
            .collect();
        assert_eq!(origins, ["in/wire.json:1", "in/wire.json:2"]);
    }

    #[test]
    fn json_document_errors() {
        let got = json("[\n  {\"text\": \"one\"},\n  {\"text\": \"two\"\n]\n");
        assert_eq!(
            got[0].as_ref().unwrap_err().to_string(),
            "in/wire.json:4: invalid JSON: expected `,` or `}` at column 1"
        );
        let got = json("\"just a string\"");
        assert_eq!(
            got[0].as_ref().unwrap_err().to_string(),
            "in/wire.json:1: expected a record (a JSON object), found a string"
        );
    }
}
