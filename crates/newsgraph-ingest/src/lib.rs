//! Readers: turn files (plain text, HTML pages, JSON Lines, JSON, RSS/Atom
//! feeds, WARC archives) and stdin into [`Article`]s, the cleaned body text plus metadata that the rest of
//! newsgraph works on.
//!
//! [`read_paths`] walks files and directories (and `-` for stdin) and yields,
//! lazily, one `Result<Article, ReadError>` per article or per problem, so a
//! batch goes on past a bad file or a bad record. [`read_bytes`] does the same
//! for bytes already in memory. Both detect the [`Format`] from the extension,
//! then from the content, unless [`ReadOptions::format`] forces one.
//! A [`ReadError`] names the file (and the line of a record) and the cause;
//! smaller problems (an unparseable date, invalid UTF-8) do not stop the
//! article and are pushed onto [`Article::warnings`] instead. [`parse_date`]
//! is the date recogniser the readers use, exposed for `--date` and others.
//!
//! ```
//! use newsgraph_ingest::{read_bytes, ReadOptions};
//!
//! let file = b"Title: Port talks resume\nDate: Tue, 12 May 2015 10:00:00 GMT\n\n\
//!              Negotiators met in Valmora on Tuesday.\n\nThey will meet again in June.\n";
//! let results = read_bytes("news/port.txt", file, &ReadOptions::default());
//! let article = results[0].as_ref().unwrap();
//! assert_eq!(article.id.as_deref(), Some("port"));
//! assert_eq!(article.title.as_deref(), Some("Port talks resume"));
//! assert_eq!(article.published.as_deref(), Some("2015-05-12T10:00:00Z"));
//! assert!(article.text.starts_with("Negotiators met"));
//!
//! let lines = b"{\"text\": \"One.\"}\n{\"text\": \n{\"body\": \"Three.\"}\n";
//! let results = read_bytes("wire.jsonl", lines, &ReadOptions::default());
//! assert_eq!(results.len(), 3);
//! assert_eq!(results[1].as_ref().unwrap_err().to_string(),
//!            "wire.jsonl:2: invalid JSON: EOF while parsing a value at column 9");
//! assert_eq!(results[2].as_ref().unwrap().id.as_deref(), Some("wire-3"));
//! ```

mod date;
mod encoding;
mod error;
mod feed;
mod format;
mod html;
mod json;
mod text;
mod walk;
mod warc;

pub use date::parse_date;
pub use error::ReadError;
pub use format::{Format, UnknownFormat};
pub use newsgraph_core::Article;
pub use walk::ReadPaths;

use format::Detected;
use std::path::{Path, PathBuf};

/// The default of [`ReadOptions::max_file_bytes`]: 20 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The default of [`ReadOptions::max_html_depth`]: 256 nested elements.
pub const DEFAULT_MAX_HTML_DEPTH: usize = 256;

/// The name standard input goes by in messages and origins.
const STDIN_NAME: &str = "<stdin>";

/// How to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Larger files are an error, checked before reading. Default 20 MiB.
    pub max_file_bytes: u64,
    /// Read every input as this format instead of detecting it.
    pub format: Option<Format>,
    /// HTML pages nested deeper than this many elements skip main-content
    /// extraction (whose time grows with the square of the depth) and keep
    /// every paragraph instead, with a warning. Default 256; real pages stay
    /// far below.
    pub max_html_depth: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            format: None,
            max_html_depth: DEFAULT_MAX_HTML_DEPTH,
        }
    }
}

/// Walks the given paths — files, directories (recursively, entries in
/// sorted order, hidden ones skipped) and `-` for stdin — and yields one item
/// per article or per error, lazily, so a batch can go on past bad files.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions) -> ReadPaths {
    ReadPaths::new(paths, opts)
}

/// Reads articles from bytes in memory (stdin, tests).
///
/// `name` stands for the file: it appears in messages and origins, its
/// extension helps detect the format, and its stem is the id of a
/// single-article file (`<stem>-<line>` for records without an id). `-` or
/// `<stdin>` mean standard input: the format comes from the content alone and
/// articles get no default id.
pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<Result<Article, ReadError>> {
    let input = if name == "-" || name == STDIN_NAME {
        Input::stdin()
    } else {
        Input::file(Path::new(name))
    };
    read_input(&input, bytes, opts)
}

/// Where the bytes being read came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    /// The path as given, or `<stdin>`; used in messages and origins.
    path: &'a Path,
    /// The file stem, for default ids; `None` for stdin.
    stem: Option<&'a str>,
    /// Whether the extension may be used to detect the format.
    use_extension: bool,
}

impl<'a> Input<'a> {
    pub(crate) fn file(path: &'a Path) -> Input<'a> {
        Input {
            path,
            stem: path.file_stem().and_then(|s| s.to_str()),
            use_extension: true,
        }
    }

    pub(crate) fn stdin() -> Input<'static> {
        Input {
            path: Path::new(STDIN_NAME),
            stem: None,
            use_extension: false,
        }
    }

    /// The `origin` of a single-article input.
    pub(crate) fn origin(&self) -> String {
        self.path.display().to_string()
    }

    /// The `origin` of a record starting at `line`.
    pub(crate) fn record_origin(&self, line: u64) -> String {
        format!("{}:{line}", self.path.display())
    }
}

/// Reads all articles of one input: size, binary and emptiness checks,
/// decoding, format detection, then the format's reader.
pub(crate) fn read_input(
    input: &Input<'_>,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Vec<Result<Article, ReadError>> {
    let path = || input.path.to_path_buf();
    // WARC archives (often gzip) are read record by record, each record
    // under the size limit: see `warc::WarcRecords`.
    let warc = match opts.format {
        Some(format) => format == Format::Warc,
        None => {
            (input.use_extension && warc::is_warc_name(input.path)) || bytes.starts_with(b"WARC/1.")
        }
    };
    if warc {
        let raw = Box::new(std::io::Cursor::new(bytes.to_vec()));
        return warc::WarcRecords::new(input.path, raw, opts).collect();
    }
    let size = bytes.len() as u64;
    if size > opts.max_file_bytes {
        return vec![Err(ReadError::TooLarge {
            path: path(),
            size: Some(size),
            limit: opts.max_file_bytes,
        })];
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return vec![Err(ReadError::Empty { path: path() })];
    }
    if let Some(reason) = encoding::binary_reason(bytes) {
        return vec![Err(ReadError::Binary {
            path: path(),
            reason,
        })];
    }
    let decoded = encoding::decode(bytes);
    if decoded.text.trim().is_empty() {
        return vec![Err(ReadError::Empty { path: path() })];
    }

    let detected = match opts.format {
        Some(format) => Detected::Format(format),
        None => format::detect(input.use_extension.then_some(input.path), &decoded.text),
    };
    match detected {
        Detected::Unsupported(what) => vec![Err(ReadError::Unsupported {
            path: path(),
            what: what.to_string(),
        })],
        Detected::Format(Format::Text) => vec![text::read_text(input, &decoded)],
        Detected::Format(Format::Html) => {
            let warnings = decoded.warning().into_iter().collect();
            vec![html::read_html(
                input,
                &decoded.text,
                warnings,
                opts.max_html_depth,
            )]
        }
        Detected::Format(Format::JsonLines) => json::read_json_lines(input, &decoded),
        Detected::Format(Format::Json) => json::read_json(input, &decoded),
        Detected::Format(Format::Feed) => feed::read_feed(input, decoded.text.as_bytes()),
        Detected::Format(Format::Warc) => {
            let raw = Box::new(std::io::Cursor::new(bytes.to_vec()));
            warc::WarcRecords::new(input.path, raw, opts).collect()
        }
    }
}
