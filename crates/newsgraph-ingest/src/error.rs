//! The one error type of the readers: what went wrong, in which file, at which line.

use std::io;
use std::path::{Path, PathBuf};

/// Why a file, or one record in it, could not be read.
///
/// Every variant carries the `path` it came from (`<stdin>` for standard
/// input); record-level variants also carry the 1-based `line` where the record
/// starts. The message names both and the cause, so a batch can print it as is:
/// `examples/bad.jsonl:3: invalid JSON: expected value at column 1`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file or directory could not be opened or read.
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: io::Error },

    /// The file is larger than [`ReadOptions::max_file_bytes`](crate::ReadOptions).
    /// `size` is `None` when it could not be known in advance (stdin).
    #[error("{}: {}", path.display(), too_large_message(*size, *limit))]
    TooLarge {
        path: PathBuf,
        size: Option<u64>,
        limit: u64,
    },

    /// The content is not text (NUL bytes or many control characters).
    #[error("{}: binary file ({reason}), skipped", path.display())]
    Binary { path: PathBuf, reason: String },

    /// The file is empty or holds only whitespace.
    #[error("{}: empty file", path.display())]
    Empty { path: PathBuf },

    /// A kind of input newsgraph recognises but does not read (yet), e.g. a feed.
    #[error("{}: {what} are not supported, skipped", path.display())]
    Unsupported { path: PathBuf, what: String },

    /// A JSON Lines line, or a JSON document, that does not parse.
    /// `message` is serde_json's, with the column relative to `line`.
    #[error("{}:{line}: invalid JSON: {message}", path.display())]
    InvalidJson {
        path: PathBuf,
        line: u64,
        message: String,
    },

    /// A JSON value where a record (an object) was expected.
    #[error("{}:{line}: expected a record (a JSON object), found {found}", path.display())]
    NotARecord {
        path: PathBuf,
        line: u64,
        found: &'static str,
    },

    /// A record whose text is missing or empty.
    #[error(
        "{}:{line}: record has no text (`text`, `body` or `content` missing or empty)",
        path.display()
    )]
    MissingText { path: PathBuf, line: u64 },

    /// A text or HTML file in which no article body was found.
    #[error("{}: no article text found", path.display())]
    NoArticleText { path: PathBuf },

    /// An RSS/Atom feed that does not parse, or has no items.
    #[error("{}: invalid feed: {message}", path.display())]
    InvalidFeed { path: PathBuf, message: String },

    /// One item of a feed or one record of a WARC archive (`kind`, 1-based
    /// `item`) that gives no article; the others are read on.
    #[error("{}: {kind} {item}: {message}", path.display())]
    Item {
        path: PathBuf,
        kind: &'static str,
        item: u64,
        message: String,
    },

    /// A WARC archive that cannot be read on (truncated, corrupt); the
    /// records before the problem were read. The message names the record.
    #[error("{}: {message}", path.display())]
    Archive { path: PathBuf, message: String },
}

impl ReadError {
    /// The file the error comes from (`<stdin>` for standard input).
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Binary { path, .. }
            | ReadError::Empty { path }
            | ReadError::Unsupported { path, .. }
            | ReadError::InvalidJson { path, .. }
            | ReadError::NotARecord { path, .. }
            | ReadError::MissingText { path, .. }
            | ReadError::NoArticleText { path }
            | ReadError::InvalidFeed { path, .. }
            | ReadError::Item { path, .. }
            | ReadError::Archive { path, .. } => path,
        }
    }

    /// The 1-based line of the record the error is about, for record-level errors.
    pub fn line(&self) -> Option<u64> {
        match self {
            ReadError::InvalidJson { line, .. }
            | ReadError::NotARecord { line, .. }
            | ReadError::MissingText { line, .. } => Some(*line),
            _ => None,
        }
    }
}

fn too_large_message(size: Option<u64>, limit: u64) -> String {
    let limit_text = human_bytes(limit);
    match size {
        None => format!("input is over the {limit_text} limit (set --max-bytes to raise it)"),
        Some(size) => {
            let mut size_text = human_bytes(size);
            // Rounding can make a file just over the limit print as the limit itself.
            if size_text == limit_text {
                size_text = format!("{size} bytes");
            }
            format!(
                "file is {size_text}, over the {limit_text} limit (set --max-bytes to raise it)"
            )
        }
    }
}

/// `512 bytes`, `1.5 KiB`, `31.2 MiB`, `20 MiB` (no `.0` on whole numbers).
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    // Precision loss is irrelevant for a one-decimal display.
    #[allow(clippy::cast_precision_loss)]
    let mut value = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in &UNITS[1..] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_reads_naturally() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(1023), "1023 bytes");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_bytes(32_715_571), "31.2 MiB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024), "3 GiB");
    }

    #[test]
    fn messages_name_file_line_and_cause() {
        let e = ReadError::InvalidJson {
            path: "examples/bad.jsonl".into(),
            line: 3,
            message: "expected value at column 1".into(),
        };
        assert_eq!(
            e.to_string(),
            "examples/bad.jsonl:3: invalid JSON: expected value at column 1"
        );
        assert_eq!(e.line(), Some(3));
        assert_eq!(e.path(), Path::new("examples/bad.jsonl"));

        let e = ReadError::TooLarge {
            path: "big.txt".into(),
            size: Some(32_715_571),
            limit: 20 * 1024 * 1024,
        };
        assert_eq!(
            e.to_string(),
            "big.txt: file is 31.2 MiB, over the 20 MiB limit (set --max-bytes to raise it)"
        );
        assert_eq!(e.line(), None);
    }

    #[test]
    fn size_just_over_the_limit_is_shown_in_bytes() {
        let e = ReadError::TooLarge {
            path: "a.txt".into(),
            size: Some(20 * 1024 * 1024 + 1),
            limit: 20 * 1024 * 1024,
        };
        assert_eq!(
            e.to_string(),
            "a.txt: file is 20971521 bytes, over the 20 MiB limit (set --max-bytes to raise it)"
        );
    }
}
