//! Plain-text articles: an optional `Key: value` header block, then the body.

use crate::date::parse_date;
use crate::encoding::{clean_field, clean_text, Decoded};
use crate::{Input, ReadError};
use newsgraph_core::Article;

/// Header keys, lowercase.
const KEYS: [&str; 5] = ["title", "date", "source", "url", "id"];

/// Reads a plain-text article.
///
/// The header is the run of `Key: value` lines at the very top, when the first
/// of them is a known key (`Title`, `Date`, `Source`, `URL`, `Id`, any case);
/// it ends at the first line that is not `Key: value`, normally one blank line.
/// Unknown keys inside the header are ignored with a warning. Without a header
/// the whole file is the body. Blank lines inside the body are kept (they are
/// paragraph breaks); leading blank lines and trailing whitespace are dropped.
pub(crate) fn read_text(input: &Input<'_>, decoded: &Decoded) -> Result<Article, ReadError> {
    let text = clean_text(&decoded.text);
    let mut article = Article {
        id: input.stem.map(str::to_string),
        origin: input.origin(),
        warnings: decoded.warning().into_iter().collect(),
        ..Article::default()
    };

    let mut body_start = 0;
    if first_line_is_header(&text) {
        let mut lines: Vec<(usize, String, &str)> = Vec::new();
        for line in text.split_inclusive('\n') {
            let Some((key, value)) = header_line(line) else {
                break;
            };
            lines.push((line.len(), key, value));
        }
        let header_len: usize = lines.iter().map(|(len, ..)| len).sum();
        let next_line = text[header_len..]
            .split_inclusive('\n')
            .next()
            .unwrap_or("");
        let ended_by_blank = next_line.trim().is_empty();
        if !ended_by_blank {
            // Without the blank line we cannot tell `Author: X` in a header
            // from `WASHINGTON: The minister...` in a body: only known keys
            // count as header then.
            let known = lines
                .iter()
                .take_while(|(_, key, _)| KEYS.contains(&key.as_str()))
                .count();
            lines.truncate(known);
        }
        for (len, key, value) in &lines {
            body_start += len;
            apply_header(&mut article, key, value);
        }
        if ended_by_blank {
            body_start += next_line.len();
        } else {
            article
                .warnings
                .push("header not followed by a blank line".to_string());
        }
    }

    let body = &text[body_start..];
    // Drop leading blank lines, but keep the first line's own indentation.
    let first_content = body
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(body.len());
    let line_start = body[..first_content].rfind('\n').map_or(0, |i| i + 1);
    let body = body[line_start..].trim_end();
    if body.is_empty() {
        return Err(ReadError::NoArticleText {
            path: input.path.to_path_buf(),
        });
    }
    article.text = body.to_string();
    Ok(article)
}

fn first_line_is_header(text: &str) -> bool {
    let first = text.split('\n').next().unwrap_or("");
    header_line(first).is_some_and(|(key, _)| KEYS.contains(&key.as_str()))
}

/// `Key: value` with a key of one word (letters, digits, `-`, `_`), lowercased.
fn header_line(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.split_once(':')?;
    let valid_key = !key.is_empty()
        && key.len() <= 32
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    // `URL: https://...` has a colon in its value; that's fine, the key is before the first.
    valid_key.then(|| (key.to_ascii_lowercase(), value.trim()))
}

fn apply_header(article: &mut Article, key: &str, value: &str) {
    let value = clean_field(value);
    match key {
        "title" => article.title = value,
        "source" => article.source = value,
        "url" => article.url = value,
        "id" => {
            if value.is_some() {
                article.id = value;
            }
        }
        "date" => {
            if let Some(raw) = value {
                match parse_date(&raw) {
                    Some(date) => article.published = Some(date),
                    None => article
                        .warnings
                        .push(format!("could not parse date `{raw}`")),
                }
            }
        }
        other => article
            .warnings
            .push(format!("unknown header `{other}` ignored")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::decode;
    use std::path::Path;

    fn read(text: &str) -> Result<Article, ReadError> {
        let input = Input::file(Path::new("news/kerry.txt"));
        read_text(&input, &decode(text.as_bytes()))
    }

    #[test]
    fn header_and_body() {
        let a = read(
            "Title: Minister visits port\ndate: May 12, 2015\nSOURCE: Harbour Post\n\
             Url: https://example.com/a?b=c:d\nId: hp-1\n\nFirst paragraph.\n\nSecond.\n\n",
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Minister visits port"));
        assert_eq!(a.published.as_deref(), Some("2015-05-12"));
        assert_eq!(a.source.as_deref(), Some("Harbour Post"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/a?b=c:d"));
        assert_eq!(a.id.as_deref(), Some("hp-1"));
        assert_eq!(a.text, "First paragraph.\n\nSecond.");
        assert_eq!(a.origin, "news/kerry.txt");
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    }

    #[test]
    fn no_header_means_all_body_and_stem_id() {
        let a = read("Note: this line is body, not a header.\n\nMore.").unwrap();
        assert_eq!(a.text, "Note: this line is body, not a header.\n\nMore.");
        assert_eq!(a.title, None);
        assert_eq!(a.id.as_deref(), Some("kerry"));
    }

    #[test]
    fn header_problems_are_warnings() {
        let a = read("Title: T\nAuthor: Someone\nDate: someday\n\nBody.").unwrap();
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.published, None);
        assert_eq!(a.text, "Body.");
        assert_eq!(
            a.warnings,
            [
                "unknown header `author` ignored",
                "could not parse date `someday`",
            ]
        );
    }

    #[test]
    fn header_without_blank_line_keeps_key_like_body_lines() {
        let a = read("Title: T\nDate: 2015-05-12\nKYIV: The minister said.\nMore.").unwrap();
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.published.as_deref(), Some("2015-05-12"));
        assert_eq!(a.text, "KYIV: The minister said.\nMore.");
        assert_eq!(a.warnings, ["header not followed by a blank line"]);
    }

    #[test]
    fn blank_lines_inside_body_are_kept() {
        let a = read("\n\n  Indented lead.\n\n\nAfter two blank lines.  \n \n").unwrap();
        assert_eq!(a.text, "  Indented lead.\n\n\nAfter two blank lines.");
    }

    #[test]
    fn header_only_is_an_error() {
        let err = read("Title: Nothing else\n\n   \n").unwrap_err();
        assert_eq!(err.to_string(), "news/kerry.txt: no article text found");
    }
}
