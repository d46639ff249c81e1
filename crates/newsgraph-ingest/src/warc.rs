//! WARC archives (`.warc`, `.warc.gz`, as Common Crawl's CC-NEWS publishes
//! news): response records with HTML payloads become articles, read one
//! record at a time.

use crate::date::parse_date;
use crate::encoding::{clean_field, decode};
use crate::html::read_html;
use crate::{Input, ReadError, ReadOptions};
use flate2::read::{GzDecoder, MultiGzDecoder};
use newsgraph_core::Article;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Longest header line, and most header bytes, of a record.
const MAX_LINE: usize = 16 * 1024;
const MAX_HEADER: usize = 256 * 1024;

/// Whether a file name says WARC: `.warc` or `.warc.gz` (any case).
pub(crate) fn is_warc_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// The records of one WARC file, lazily: one item per article, per skipped
/// record worth reporting, or for the error that ends the file.
///
/// Gzip (one member per record, or the whole file) is recognised from its
/// magic bytes. A record whose declared length is over `record_limit` is
/// skipped unread (decompressed into nothing, never into memory), so a
/// compression bomb costs time, not memory. A truncated or corrupt archive
/// ends with one error naming the file and the record; the records before it
/// have been yielded already. Records that are not HTML responses (warcinfo,
/// request, metadata, images, redirects) are skipped silently.
pub(crate) struct WarcRecords {
    path: PathBuf,
    reader: Box<dyn BufRead + Send>,
    record_limit: u64,
    /// [`ReadOptions::max_html_depth`].
    html_depth: usize,
    /// Records read so far.
    records: u64,
    /// The record being read (1-based), for messages.
    reading: u64,
    done: bool,
}

impl std::fmt::Debug for WarcRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarcRecords")
            .field("path", &self.path)
            .field("records", &self.records)
            .finish()
    }
}

/// Why reading a record stopped.
enum Stop {
    /// The archive cannot be read on.
    Fatal(String),
    /// This record is skipped; the next can be read.
    Skip(String),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Fatal(if e.kind() == io::ErrorKind::UnexpectedEof {
            "archive is truncated (unexpected end of the compressed stream)".to_string()
        } else {
            format!("read error: {e}")
        })
    }
}

/// A record's header fields and payload.
struct Record {
    warc_type: String,
    target_uri: Option<String>,
    date: Option<String>,
    content_type: String,
    payload: Vec<u8>,
}

impl WarcRecords {
    /// Reads from `raw`, which is decompressed when it starts as gzip does.
    pub(crate) fn new(path: &Path, raw: Box<dyn Read + Send>, opts: &ReadOptions) -> WarcRecords {
        let mut buffered = BufReader::new(raw);
        let gzip = matches!(buffered.fill_buf(), Ok([0x1f, 0x8b, ..]));
        let reader: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::new(MultiGzDecoder::new(buffered)))
        } else {
            Box::new(buffered)
        };
        WarcRecords {
            path: path.to_path_buf(),
            reader,
            record_limit: opts.max_file_bytes,
            html_depth: opts.max_html_depth,
            records: 0,
            reading: 0,
            done: false,
        }
    }

    fn item_error(&self, message: String) -> ReadError {
        ReadError::Item {
            path: self.path.clone(),
            kind: "record",
            item: self.records,
            message,
        }
    }

    /// One line without its end, at most [`MAX_LINE`] bytes; `None` at the end of input.
    fn read_line(&mut self) -> Result<Option<Vec<u8>>, Stop> {
        let mut line = Vec::new();
        let n = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if line.len() > MAX_LINE {
            return Err(Stop::Fatal(format!(
                "record {}: header line longer than {MAX_LINE} bytes",
                self.records + 1
            )));
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        Ok(Some(line))
    }

    /// The next record; `Ok(None)` at a clean end of the archive.
    fn read_record(&mut self) -> Result<Option<Record>, Stop> {
        self.reading = self.records + 1;
        // Records are separated by blank lines.
        let version = loop {
            match self.read_line()? {
                None => return Ok(None),
                Some(line) if line.is_empty() => continue,
                Some(line) => break line,
            }
        };
        let n = self.records + 1;
        if !version.starts_with(b"WARC/") {
            let shown = String::from_utf8_lossy(&version[..version.len().min(40)]).into_owned();
            return Err(Stop::Fatal(format!(
                "record {n}: expected a `WARC/1.x` version line, found `{shown}`"
            )));
        }
        let mut record = Record {
            warc_type: String::new(),
            target_uri: None,
            date: None,
            content_type: String::new(),
            payload: Vec::new(),
        };
        let mut length: Option<u64> = None;
        let mut header_bytes = 0;
        loop {
            let Some(line) = self.read_line()? else {
                return Err(Stop::Fatal(format!(
                    "record {n}: archive ends inside the record header"
                )));
            };
            if line.is_empty() {
                break;
            }
            header_bytes += line.len();
            if header_bytes > MAX_HEADER {
                return Err(Stop::Fatal(format!(
                    "record {n}: header longer than {MAX_HEADER} bytes"
                )));
            }
            let line = String::from_utf8_lossy(&line);
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "warc-type" => record.warc_type = value.to_ascii_lowercase(),
                // A header line may hold any byte: the URL becomes the
                // article's `url` and appears in messages, so control
                // characters go (found by the `extract` fuzz target).
                "warc-target-uri" => {
                    record.target_uri = clean_field(value.trim_matches(['<', '>']))
                }
                "warc-date" => record.date = Some(value),
                "content-type" => record.content_type = value.to_ascii_lowercase(),
                "content-length" => {
                    length = Some(value.parse().map_err(|_| {
                        Stop::Fatal(format!("record {n}: bad Content-Length `{value}`"))
                    })?)
                }
                _ => {}
            }
        }
        self.records = n;
        let Some(length) = length else {
            return Err(Stop::Fatal(format!("record {n}: no Content-Length")));
        };
        let wanted = record.warc_type == "response" || record.warc_type == "resource";
        if !wanted || length > self.record_limit {
            let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())?;
            if skipped < length {
                return Err(Stop::Fatal(format!(
                    "record {n}: archive is truncated ({skipped} of {length} content bytes)"
                )));
            }
            if wanted {
                return Err(Stop::Skip(format!(
                    "content of {length} bytes is over the {} byte limit, skipped (set --max-bytes to raise it)",
                    self.record_limit
                )));
            }
            return Ok(Some(record));
        }
        let mut payload = Vec::with_capacity(length.min(1 << 20) as usize);
        (&mut self.reader).take(length).read_to_end(&mut payload)?;
        if (payload.len() as u64) < length {
            return Err(Stop::Fatal(format!(
                "record {n}: archive is truncated ({} of {length} content bytes)",
                payload.len()
            )));
        }
        record.payload = payload;
        Ok(Some(record))
    }

    /// The article of an HTML response record; `None` for other records.
    fn article(&self, record: Record) -> Option<Result<Article, ReadError>> {
        let (content_type, body, warnings) = match record.warc_type.as_str() {
            "response" if record.content_type.starts_with("application/http") => {
                match http_body(&record.payload, self.record_limit) {
                    Ok(Some(parts)) => parts,
                    Ok(None) => return None,
                    Err(message) => return Some(Err(self.item_error(message))),
                }
            }
            "response" | "resource" => (record.content_type.clone(), record.payload, Vec::new()),
            _ => return None,
        };
        let looks_html = content_type.contains("html")
            || (content_type.is_empty() && body.trim_ascii_start().starts_with(b"<"));
        if !looks_html {
            return None;
        }
        let mut warnings = warnings;
        let text: String = if is_latin1(&content_type) {
            body.iter().map(|&b| char::from(b)).collect()
        } else {
            let decoded = decode(&body);
            warnings.extend(decoded.warning());
            decoded.text
        };
        Some(self.finish(record.target_uri, record.date, &text, warnings))
    }

    fn finish(
        &self,
        url: Option<String>,
        date: Option<String>,
        html: &str,
        warnings: Vec<String>,
    ) -> Result<Article, ReadError> {
        let input = Input {
            path: &self.path,
            stem: None,
            use_extension: false,
        };
        match read_html(&input, html, warnings, self.html_depth) {
            Ok(mut article) => {
                article.id = None;
                article.origin = format!("{}#{}", self.path.display(), self.records);
                if url.is_some() {
                    article.url = url;
                }
                if article.published.is_none() {
                    article.published = date.as_deref().and_then(parse_date);
                }
                Ok(article)
            }
            Err(ReadError::NoArticleText { .. }) => Err(self.item_error(format!(
                "no article text found in {}",
                url.as_deref().unwrap_or("the page")
            ))),
            Err(e) => Err(e),
        }
    }
}

impl Iterator for WarcRecords {
    type Item = Result<Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.read_record() {
                Ok(None) => self.done = true,
                Ok(Some(record)) => {
                    if let Some(item) = self.article(record) {
                        return Some(item);
                    }
                }
                Err(Stop::Skip(message)) => return Some(Err(self.item_error(message))),
                Err(Stop::Fatal(message)) => {
                    self.done = true;
                    let message = if message.starts_with("record ") {
                        message
                    } else {
                        format!("record {}: {message}", self.reading)
                    };
                    return Some(Err(ReadError::Archive {
                        path: self.path.clone(),
                        message,
                    }));
                }
            }
        }
        None
    }
}

fn is_latin1(content_type: &str) -> bool {
    ["iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252"]
        .iter()
        .any(|c| content_type.contains(&format!("charset={c}")))
}

/// The content type, body and warnings of an HTTP response; `None` when it is
/// not a success (redirects, errors).
/// An HTTP response's content type (lowercase), decoded body and warnings.
type HttpBody = (String, Vec<u8>, Vec<String>);

fn http_body(payload: &[u8], limit: u64) -> Result<Option<HttpBody>, String> {
    let split = find(payload, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(payload, b"\n\n").map(|i| (i, i + 2)));
    let Some((head_end, body_start)) = split else {
        return Err("HTTP response without a header end".to_string());
    };
    let head = String::from_utf8_lossy(&payload[..head_end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| "HTTP response without a status line".to_string())?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let (mut content_type, mut chunked, mut encoding) = (String::new(), false, String::new());
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = value,
            "transfer-encoding" => chunked = value.contains("chunked"),
            "content-encoding" => encoding = value,
            _ => {}
        }
    }
    let mut body = payload[body_start..].to_vec();
    if chunked {
        body = dechunk(&body).ok_or_else(|| "malformed chunked HTTP body".to_string())?;
    }
    let mut warnings = Vec::new();
    if encoding.contains("gzip") || encoding.contains("deflate") {
        let mut out = Vec::new();
        let read = if encoding.contains("gzip") {
            GzDecoder::new(body.as_slice())
                .take(limit + 1)
                .read_to_end(&mut out)
        } else {
            flate2::read::ZlibDecoder::new(body.as_slice())
                .take(limit + 1)
                .read_to_end(&mut out)
        };
        if read.is_err() {
            return Err(format!("HTTP body is not valid {encoding}"));
        }
        if out.len() as u64 > limit {
            return Err(format!(
                "decompressed HTTP body is over the {limit} byte limit, skipped"
            ));
        }
        body = out;
    } else if !encoding.is_empty() && encoding != "identity" {
        warnings.push(format!("unknown Content-Encoding `{encoding}`, read as is"));
    }
    Ok(Some((content_type, body, warnings)))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Undoes `Transfer-Encoding: chunked`.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = find(body, b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_warc_name(Path::new("CC-NEWS-2024.warc.gz")));
        assert!(is_warc_name(Path::new("a.WARC")));
        assert!(!is_warc_name(Path::new("a.gz")));
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;x=1\r\n, world\r\n0\r\n\r\n").as_deref(),
            Some(&b"Hello, world"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
    }

    /// Fuzzing regression: a NUL in `WARC-Target-URI` ended up in the
    /// article's `url`.
    #[test]
    fn control_characters_leave_the_target_uri() {
        let html = b"<html><body><p>Ferry services to Orlen resumed on Monday.</p></body></html>";
        let mut warc = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <https://ferry\0.example/\x07a>\r\n\
             Content-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            html.len()
        )
        .into_bytes();
        warc.extend_from_slice(html);
        warc.extend_from_slice(b"\r\n\r\n");
        let results = crate::read_bytes("crawl.warc", &warc, &ReadOptions::default());
        let article = results[0].as_ref().unwrap();
        assert_eq!(article.url.as_deref(), Some("https://ferry .example/ a"));
    }

    #[test]
    fn http_statuses() {
        let ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>";
        let (ct, body, _) = http_body(ok, 100).unwrap().unwrap();
        assert_eq!(
            (ct.as_str(), body.as_slice()),
            ("text/html", &b"<p>x</p>"[..])
        );
        assert!(http_body(b"HTTP/1.1 301 Moved\r\n\r\n", 100)
            .unwrap()
            .is_none());
        assert!(http_body(b"garbage", 100).is_err());
    }
}
