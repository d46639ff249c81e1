//! RSS and Atom feeds: one article per item, from its content or description.

use crate::date::parse_date;
use crate::encoding::{clean_field, clean_text};
use crate::html::html_to_text;
use crate::{Input, ReadError};
use newsgraph_core::Article;

/// Reads every item of an RSS 0.9x/1.0/2.0, Atom or JSON Feed document.
///
/// Per item: the text is the full content (`content:encoded`, Atom
/// `<content>`) when there is one, else the description / summary; HTML in
/// it is reduced to paragraphs of text. The title, the first link (as `url`),
/// the publication date (`pubDate`, `published`, else `updated`) and the
/// item's guid / id (as `id`) are kept; the feed's title is the `source`. An
/// item without text is an error naming the item (1-based), and the other
/// items are read on. Origins are `path#N`.
/// Whether an XML declaration stands anywhere but at the start (after a
/// byte-order mark and blanks): malformed XML, and quick-xml 0.42 (under
/// feed-rs) panics on a second one that names an encoding (found by the
/// `read_feed` fuzz target).
fn misplaced_declaration(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lead = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let text = &text[lead..];
    let skip = if text.starts_with(b"<?xml") { 5 } else { 0 };
    text[skip..]
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"<?xml"))
}

pub(crate) fn read_feed(input: &Input<'_>, bytes: &[u8]) -> Vec<Result<Article, ReadError>> {
    let path = || input.path.to_path_buf();
    if misplaced_declaration(bytes) {
        return vec![Err(ReadError::InvalidFeed {
            path: path(),
            message: "an XML declaration (<?xml ...?>) after the start of the document".to_string(),
        })];
    }
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            return vec![Err(ReadError::InvalidFeed {
                path: path(),
                message: e.to_string(),
            })]
        }
    };
    let source = feed.title.as_ref().and_then(|t| clean_field(&t.content));
    if feed.entries.is_empty() {
        return vec![Err(ReadError::InvalidFeed {
            path: path(),
            message: "the feed has no items".to_string(),
        })];
    }
    let mut out = Vec::with_capacity(feed.entries.len());
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let item = i as u64 + 1;
        let body = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .filter(|b| !b.trim().is_empty())
            .or(entry.summary.as_ref().map(|s| s.content.as_str()))
            .map(markup_to_text)
            .unwrap_or_default();
        if body.is_empty() {
            out.push(Err(ReadError::Item {
                path: path(),
                kind: "item",
                item,
                message: "no text (neither content nor description)".to_string(),
            }));
            continue;
        }
        let published = entry
            .published
            .or(entry.updated)
            .and_then(|d| parse_date(&d.format("%Y-%m-%dT%H:%M:%SZ").to_string()));
        out.push(Ok(Article {
            // Cleaned like every field: a raw control character in a guid
            // (found by tests/fuzz.rs) must not reach the output.
            id: clean_field(&entry.id),
            title: entry
                .title
                .as_ref()
                .and_then(|t| clean_field(&markup_to_text(&t.content))),
            published,
            source: source.clone(),
            url: entry.links.first().and_then(|l| clean_field(&l.href)),
            text: body,
            origin: format!("{}#{item}", input.path.display()),
            warnings: Vec::new(),
        }));
    }
    out
}

/// Text of a feed field that may hold HTML (descriptions usually do).
fn markup_to_text(s: &str) -> String {
    if s.contains('<') {
        html_to_text(s)
    } else {
        clean_text(s.trim())
    }
}
