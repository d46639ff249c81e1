//! Input formats and how a file's format is recognised: extension first, then content.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// An input format the readers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text with an optional `Title:`/`Date:`/`Source:`/`URL:`/`Id:` header.
    Text,
    /// An HTML page; the article is extracted from the boilerplate around it.
    Html,
    /// One JSON record per line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// A JSON array of records, or one record object (`.json`).
    Json,
    /// An RSS or Atom feed (`.rss`, `.atom`): one article per item.
    Feed,
    /// A WARC archive (`.warc`, `.warc.gz`): one article per HTML response record.
    Warc,
}

impl Format {
    /// The short name used on the command line: `text`, `html`, `jsonl`, `json`, `feed`, `warc`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::JsonLines => "jsonl",
            Format::Json => "json",
            Format::Feed => "feed",
            Format::Warc => "warc",
        }
    }

    /// The format a file extension stands for (case-insensitive), if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "json" => Some(Format::Json),
            "rss" | "atom" | "feed" => Some(Format::Feed),
            "warc" => Some(Format::Warc),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of [`Format::from_str`]: the name that was not recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format `{0}` (expected text, html, jsonl, json, feed or warc)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the names of [`Format::name`] and the usual extensions (`txt`, `htm`, `ndjson`).
    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        Format::from_extension(s).ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// What a file looks like: a format we read, or a kind we know and skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    Format(Format),
    /// A known kind of input that is not read (yet); the text names it, plural.
    Unsupported(&'static str),
}

/// Extensions of inputs that are recognised but not read, so that they get a
/// clear message instead of being read as text.
fn unsupported_extension(ext: &str) -> Option<&'static str> {
    match ext.to_ascii_lowercase().as_str() {
        "gz" | "bz2" | "xz" | "zst" | "zip" | "tar" | "7z" => Some("compressed files"),
        "pdf" => Some("PDF files"),
        "csv" | "tsv" => Some("CSV/TSV files"),
        "doc" | "docx" | "odt" | "rtf" => Some("word-processor documents"),
        _ => None,
    }
}

/// Detects the format of `text` read from `path` (`None` for stdin).
pub(crate) fn detect(path: Option<&Path>, text: &str) -> Detected {
    if path.is_some_and(crate::warc::is_warc_name) {
        return Detected::Format(Format::Warc);
    }
    if let Some(ext) = path.and_then(Path::extension).and_then(|e| e.to_str()) {
        if let Some(format) = Format::from_extension(ext) {
            return Detected::Format(format);
        }
        if let Some(what) = unsupported_extension(ext) {
            return Detected::Unsupported(what);
        }
    }
    sniff(text)
}

/// Content sniffing, for stdin and files without a known extension.
fn sniff(text: &str) -> Detected {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if trimmed.starts_with('{') {
        let mut lines = trimmed.lines().filter(|l| !l.trim().is_empty());
        lines.next();
        return match lines.next() {
            None => Detected::Format(Format::JsonLines),
            Some(second) if second.trim_start().starts_with('{') => {
                Detected::Format(Format::JsonLines)
            }
            Some(_) => Detected::Format(Format::Json),
        };
    }
    if let Some(rest) = trimmed.strip_prefix('[') {
        // An array of records; `[Editor's note] ...` is prose.
        if rest.trim_start().starts_with(['{', ']']) {
            return Detected::Format(Format::Json);
        }
    }
    if trimmed.starts_with("WARC/1.") {
        return Detected::Format(Format::Warc);
    }
    if trimmed.starts_with('<') {
        let head: String = trimmed
            .chars()
            .take(2048)
            .collect::<String>()
            .to_ascii_lowercase();
        // Feeds first: their items may quote HTML.
        if !head.contains("<!doctype html")
            && ["<rss", "<feed", "<rdf:rdf"]
                .iter()
                .any(|m| head.contains(m))
        {
            return Detected::Format(Format::Feed);
        }
        if ["<!doctype html", "<html", "<head", "<body"]
            .iter()
            .any(|m| head.contains(m))
            || starts_with_html_tag(&head)
        {
            return Detected::Format(Format::Html);
        }
    }
    Detected::Format(Format::Text)
}

/// A fragment such as `<p>Text</p>` or `<article>...`.
fn starts_with_html_tag(lower: &str) -> bool {
    const TAGS: [&str; 14] = [
        "p", "div", "article", "section", "main", "meta", "title", "h1", "h2", "h3", "span", "ul",
        "table", "!--",
    ];
    let Some(rest) = lower.strip_prefix('<') else {
        return false;
    };
    TAGS.iter().any(|tag| {
        rest.strip_prefix(tag)
            .is_some_and(|after| *tag == "!--" || after.starts_with(['>', ' ', '/', '\n', '\t']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_name(name: &str, text: &str) -> Detected {
        detect(Some(Path::new(name)), text)
    }

    #[test]
    fn extension_wins() {
        assert_eq!(
            detect_name("a.TXT", "<html>"),
            Detected::Format(Format::Text)
        );
        assert_eq!(
            detect_name("a.htm", "plain"),
            Detected::Format(Format::Html)
        );
        assert_eq!(
            detect_name("a.ndjson", ""),
            Detected::Format(Format::JsonLines)
        );
        assert_eq!(
            detect_name("a.json", "{}\n{}"),
            Detected::Format(Format::Json)
        );
        assert_eq!(
            detect_name("feed.rss", "<rss>"),
            Detected::Format(Format::Feed)
        );
        assert_eq!(detect_name("a.atom", ""), Detected::Format(Format::Feed));
        assert_eq!(detect_name("x.warc", ""), Detected::Format(Format::Warc));
        assert_eq!(
            detect_name("CC-NEWS-1.warc.gz", ""),
            Detected::Format(Format::Warc)
        );
        assert_eq!(
            detect_name("a.gz", ""),
            Detected::Unsupported("compressed files")
        );
        assert_eq!(
            detect_name("events.csv", "a,b\n1,2"),
            Detected::Unsupported("CSV/TSV files")
        );
    }

    #[test]
    fn content_sniffing() {
        let text = |t| detect(None, t);
        assert_eq!(text("{\"a\":1}"), Detected::Format(Format::JsonLines));
        assert_eq!(
            text("{\"a\":1}\n\n{\"a\":2}\n"),
            Detected::Format(Format::JsonLines)
        );
        assert_eq!(text("{\n  \"a\": 1\n}\n"), Detected::Format(Format::Json));
        assert_eq!(text("  [ {} ]"), Detected::Format(Format::Json));
        assert_eq!(text("[\n  {\"a\": 1}\n]"), Detected::Format(Format::Json));
        assert_eq!(
            text("[Editor's note] Prose."),
            Detected::Format(Format::Text)
        );
        assert_eq!(
            text("\u{FEFF}<!DOCTYPE html><p>x"),
            Detected::Format(Format::Html)
        );
        assert_eq!(text("<html lang=en>"), Detected::Format(Format::Html));
        assert_eq!(text("<p>Hello</p>"), Detected::Format(Format::Html));
        assert_eq!(
            text("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            Detected::Format(Format::Feed)
        );
        assert_eq!(
            text("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"html\">&lt;html"),
            Detected::Format(Format::Feed)
        );
        assert_eq!(text("WARC/1.1\r\n"), Detected::Format(Format::Warc));
        assert_eq!(text("<3 this story"), Detected::Format(Format::Text));
        assert_eq!(text("Title: x\n\nBody"), Detected::Format(Format::Text));
        // Unknown extension: sniffed.
        assert_eq!(
            detect_name("story.md", "[{}]"),
            Detected::Format(Format::Json)
        );
        assert_eq!(detect_name("story", "Body"), Detected::Format(Format::Text));
    }

    #[test]
    fn names_round_trip() {
        for f in [
            Format::Text,
            Format::Html,
            Format::JsonLines,
            Format::Json,
            Format::Feed,
            Format::Warc,
        ] {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!(
            "csv".parse::<Format>().unwrap_err().to_string(),
            "unknown input format `csv` (expected text, html, jsonl, json, feed or warc)"
        );
    }
}
