//! Each input format, read through the public API.

use crate::{fixture, summary};
use newsgraph_ingest::{read_bytes, read_paths, Article, Format, ReadError, ReadOptions};
use std::path::Path;

fn read_one(path: &Path) -> Article {
    let mut results: Vec<_> = read_paths(&[path.to_path_buf()], &ReadOptions::default()).collect();
    assert_eq!(results.len(), 1, "{results:?}");
    results.remove(0).unwrap()
}

#[test]
fn plain_text_with_header() {
    let a = read_one(&fixture("port-talks.txt"));
    assert_eq!(a.id.as_deref(), Some("hp-2015-05-12-valmora"));
    assert_eq!(
        a.title.as_deref(),
        Some("Valmora port talks resume after two-year freeze")
    );
    assert_eq!(a.published.as_deref(), Some("2015-05-12T10:00:00Z"));
    assert_eq!(a.source.as_deref(), Some("Harbour Post"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.com/2015/05/12/valmora-port-talks")
    );
    assert!(a
        .text
        .starts_with("VALMORA (Harbour Post) - Trade ministers"));
    assert!(a.text.ends_with("September or November."));
    // Three paragraphs, separated by blank lines as in the file.
    assert_eq!(a.text.split("\n\n").count(), 3);
    assert!(a.origin.ends_with("tests/fixtures/port-talks.txt"));
    assert!(a.warnings.is_empty());
}

#[test]
fn crlf_bom_and_control_characters() {
    let bytes = b"\xEF\xBB\xBFTitle: Line ends\r\nDate: 12 May 2015\r\n\r\nFirst line.\r\nSecond\x07line.\rThird.\r\n\r\nNext paragraph.\r\n\r\n";
    let results = read_bytes("dispatch.txt", bytes, &ReadOptions::default());
    let a = results[0].as_ref().unwrap();
    assert_eq!(a.title.as_deref(), Some("Line ends"));
    assert_eq!(a.published.as_deref(), Some("2015-05-12"));
    assert_eq!(
        a.text,
        "First line.\nSecond line.\nThird.\n\nNext paragraph."
    );
    assert_eq!(a.id.as_deref(), Some("dispatch"));
}

#[test]
fn utf16_with_bom() {
    let text =
        "Title: Zoë Falk re-elected\n\nZoë Falk won a third term as mayor of Brenå on Sunday.\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for bytes in [le, be] {
        let results = read_bytes("falk.txt", &bytes, &ReadOptions::default());
        let a = results[0].as_ref().unwrap();
        assert_eq!(a.title.as_deref(), Some("Zoë Falk re-elected"));
        assert_eq!(
            a.text,
            "Zoë Falk won a third term as mayor of Brenå on Sunday."
        );
        assert!(a.warnings.is_empty());
    }
}

#[test]
fn html_article_without_boilerplate() {
    let a = read_one(&fixture("harbour-post.html"));
    assert_eq!(
        a.title.as_deref(),
        Some("Flood barrier vote delayed in Kessen"),
        "the ` - Harbour Post` suffix is the site name and is dropped"
    );
    assert_eq!(a.published.as_deref(), Some("2015-03-04T07:45:00+01:00"));
    assert_eq!(a.source.as_deref(), Some("Harbour Post"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.com/2015/03/04/flood-barrier-vote")
    );
    assert_eq!(a.id.as_deref(), Some("harbour-post"));

    let paragraphs: Vec<&str> = a.text.split("\n\n").collect();
    assert!(paragraphs[0].starts_with("KESSEN (Harbour Post) - The city council of Kessen"));
    assert!(paragraphs.contains(&"Costs under review"));
    assert!(paragraphs
        .last()
        .unwrap()
        .ends_with("as soon as the new figures were confirmed."));
    // Whitespace inside a paragraph is collapsed.
    assert!(paragraphs
        .iter()
        .all(|p| !p.contains('\n') && !p.contains("  ")));
    for boilerplate in [
        "Business",            // navigation
        "Subscribe now",       // banner ad
        "mortgage rates",      // ad inside the article
        "Related stories",     // related links
        "River levels rise",   // related links
        "All rights reserved", // footer
        "trackPageView",       // script
        "loadComments",        // script
        "display: block",      // style
    ] {
        assert!(
            !a.text.contains(boilerplate),
            "{boilerplate:?} in {:?}",
            a.text
        );
    }
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

#[test]
fn html_metadata_from_json_ld() {
    let a = read_one(&fixture("kessen-courier.html"));
    assert_eq!(a.title.as_deref(), Some("Council approves ferry subsidy"));
    // `datePublished` of the NewsArticle in the `@graph`.
    assert_eq!(a.published.as_deref(), Some("2015-02-17"));
    // The publisher is a reference to the Organization of the graph.
    assert_eq!(a.source.as_deref(), Some("Kessen Courier"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://courier.example.org/ferry-subsidy")
    );
    assert!(a
        .text
        .starts_with("KESSEN - The Kessen city council voted 21 to 9"));
    assert!(!a.text.contains("Share on social media"));
    assert!(!a.text.contains("Contact"));
}

#[test]
fn html_meta_name_date_and_time_element() {
    let html = r#"<html><head><title>Short item</title><meta name="dc.date" content="sometime"></head>
        <body><article><time datetime="2015-06-01T12:00:00Z">June 1</time>
        <p>A short item with one paragraph only.</p></article></body></html>"#;
    let results = read_bytes("item.html", html.as_bytes(), &ReadOptions::default());
    let a = results[0].as_ref().unwrap();
    // The unparseable meta date is passed over for the article's <time>.
    assert_eq!(a.published.as_deref(), Some("2015-06-01T12:00:00Z"));
    assert_eq!(a.title.as_deref(), Some("Short item"));
    assert!(a.text.contains("A short item with one paragraph only."));

    let html = r#"<html><head><meta name="pubdate" content="last week"></head>
        <body><p>Only text.</p></body></html>"#;
    let results = read_bytes("item.html", html.as_bytes(), &ReadOptions::default());
    let a = results[0].as_ref().unwrap();
    assert_eq!(a.published, None);
    assert_eq!(a.warnings, ["could not parse date `last week`"]);
}

#[test]
fn html_without_body_is_an_error_not_a_panic() {
    let path = fixture("no-body.html");
    let results: Vec<_> =
        read_paths(std::slice::from_ref(&path), &ReadOptions::default()).collect();
    assert_eq!(
        summary(&results, path.parent().unwrap()),
        ["error: no-body.html: no article text found"]
    );
    for html in [
        "<html></html>",
        "<!DOCTYPE html>",
        "<html><head><title>t</title>",
        "<p></p>",
        "</body>",
    ] {
        let results = read_bytes("x.html", html.as_bytes(), &ReadOptions::default());
        assert!(
            matches!(results[..], [Err(ReadError::NoArticleText { .. })]),
            "{html:?}: {results:?}"
        );
    }
}

#[test]
fn json_lines_with_a_broken_record_in_the_middle() {
    let path = fixture("wire.jsonl");
    let results: Vec<_> =
        read_paths(std::slice::from_ref(&path), &ReadOptions::default()).collect();
    assert_eq!(
        summary(&results, path.parent().unwrap()),
        [
            "ok wire.jsonl:1 id=wire-001",
            "ok wire.jsonl:2 id=2",
            "error: wire.jsonl:3: invalid JSON: EOF while parsing an object at column 93",
            "ok wire.jsonl:4 id=wire-4",
            "error: wire.jsonl:5: record has no text (`text`, `body` or `content` missing or empty)",
            "ok wire.jsonl:6 id=wire-6 warning: could not parse date `31.03.2015`",
        ]
    );
    let first = results[0].as_ref().unwrap();
    assert_eq!(
        first.title.as_deref(),
        Some("Dock workers end strike in Valmora")
    );
    assert_eq!(first.published.as_deref(), Some("2015-05-11"));
    assert_eq!(first.source.as_deref(), Some("Northern Wire"));
    assert_eq!(first.url.as_deref(), Some("https://wire.example.com/001"));
    // `body` and `published` are accepted for `text` and `date`.
    let second = results[1].as_ref().unwrap();
    assert!(second.text.starts_with("Estravia and Lundmark agreed"));
    assert_eq!(second.published.as_deref(), Some("2015-05-12"));
    // HTML in a record is reduced to paragraphs.
    let fourth = results[3].as_ref().unwrap();
    assert_eq!(
        fourth.text,
        "Fisheries officials from both countries will meet in Kessen next month.\n\nNo date has been set."
    );
    assert_eq!(fourth.published.as_deref(), Some("2015-05-13"));

    let err = results[2].as_ref().unwrap_err();
    assert_eq!(err.line(), Some(3));
    assert_eq!(err.path(), path);
}

#[test]
fn json_array() {
    let path = fixture("wire-batch.json");
    let results: Vec<_> =
        read_paths(std::slice::from_ref(&path), &ReadOptions::default()).collect();
    assert_eq!(
        summary(&results, path.parent().unwrap()),
        [
            "ok wire-batch.json:2 id=batch-1",
            "ok wire-batch.json:9 id=wire-batch-9"
        ]
    );
    let a = results[0].as_ref().unwrap();
    assert_eq!(a.published.as_deref(), Some("2015-05-14T09:30:00+02:00"));
    assert_eq!(
        a.text,
        "The Valmora harbour authority awarded a dredging contract to a local firm on Thursday.\n\nWork is expected to start in August."
    );
    let b = results[1].as_ref().unwrap();
    assert_eq!(b.published.as_deref(), Some("2015-05-15"));
    assert_eq!(b.source, None);
}

#[test]
fn stdin_detects_format_from_content_and_has_no_default_id() {
    let opts = ReadOptions::default();
    let lines = b"{\"text\": \"One.\"}\n{\"text\": \"Two.\", \"id\": \"b\"}\n";
    let results = read_bytes("-", lines, &opts);
    assert_eq!(
        summary(&results, Path::new("/nowhere")),
        ["ok <stdin>:1 id=-", "ok <stdin>:2 id=b"]
    );

    let html = b"  <!DOCTYPE html><html><body><p>From a pipe.</p></body></html>";
    let results = read_bytes("-", html, &opts);
    let a = results[0].as_ref().unwrap();
    assert_eq!(
        (a.text.as_str(), a.id.as_deref(), a.origin.as_str()),
        ("From a pipe.", None, "<stdin>")
    );

    let text = b"Title: Piped\n\nPlain words.";
    let a = read_bytes("-", text, &opts).remove(0).unwrap();
    assert_eq!(
        (a.title.as_deref(), a.text.as_str()),
        (Some("Piped"), "Plain words.")
    );
}

#[test]
fn forced_format_overrides_detection() {
    let opts = ReadOptions {
        format: Some(Format::Text),
        ..ReadOptions::default()
    };
    let a = read_bytes("page.html", b"<p>Kept as is.</p>", &opts)
        .remove(0)
        .unwrap();
    assert_eq!(a.text, "<p>Kept as is.</p>");

    let opts = ReadOptions {
        format: Some(Format::JsonLines),
        ..ReadOptions::default()
    };
    let results = read_bytes("records.txt", b"{\"text\": \"x\"}\n", &opts);
    assert_eq!(results[0].as_ref().unwrap().origin, "records.txt:1");
}

#[test]
fn a_feed_without_items_is_an_error() {
    let results = read_bytes(
        "-",
        b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel></channel></rss>",
        &ReadOptions::default(),
    );
    assert_eq!(
        results[0].as_ref().unwrap_err().to_string(),
        "<stdin>: invalid feed: the feed has no items"
    );
}
