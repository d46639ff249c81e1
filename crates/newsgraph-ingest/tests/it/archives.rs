//! Feeds (RSS, Atom) and WARC archives, on fixtures written here (invented prose).

use flate2::write::GzEncoder;
use flate2::Compression;
use newsgraph_ingest::{read_bytes, read_paths, Article, ReadError, ReadOptions};
use std::io::Write;
use std::path::Path;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Valmora Ledger</title>
  <link>https://ledger.example/</link>
  <description>News from the coast</description>
  <item>
    <title>Port talks resume in Valmora</title>
    <link>https://ledger.example/2024/03/port-talks</link>
    <guid isPermaLink="false">ledger-4471</guid>
    <pubDate>Mon, 18 Mar 2024 09:30:00 GMT</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>Negotiators from the two harbour unions met in Valmora on Monday.</p><p>Mediator Ilse Varga said the talks would resume on Thursday.</p>]]></content:encoded>
  </item>
  <item>
    <title>Grain barges delayed</title>
    <link>https://ledger.example/2024/03/grain</link>
    <pubDate>Tue, 19 Mar 2024 07:00:00 +0100</pubDate>
    <description>&lt;p&gt;Fog kept &lt;b&gt;twelve&lt;/b&gt; grain barges at anchor off Kessen.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Empty item</title>
    <link>https://ledger.example/2024/03/empty</link>
  </item>
</channel>
</rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbor Post</title>
  <id>urn:harbor-post</id>
  <updated>2025-06-05T12:00:00Z</updated>
  <entry>
    <title>Coast guard boards trawler</title>
    <id>urn:harbor-post:8812</id>
    <link href="https://harbor.example/8812"/>
    <published>2025-06-05T10:15:00Z</published>
    <updated>2025-06-05T11:00:00Z</updated>
    <summary>Summary only.</summary>
    <content type="html">&lt;p&gt;The coast guard boarded a trawler near Manila on Thursday, officials said.&lt;/p&gt;</content>
  </entry>
</feed>"#;

fn ok(results: &[Result<Article, ReadError>]) -> Vec<&Article> {
    results.iter().filter_map(|r| r.as_ref().ok()).collect()
}

#[test]
fn rss_items_become_articles() {
    let results = read_bytes("ledger.rss", RSS.as_bytes(), &ReadOptions::default());
    assert_eq!(results.len(), 3);
    let a = results[0].as_ref().unwrap();
    assert_eq!(a.id.as_deref(), Some("ledger-4471"));
    assert_eq!(a.title.as_deref(), Some("Port talks resume in Valmora"));
    assert_eq!(a.source.as_deref(), Some("Valmora Ledger"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://ledger.example/2024/03/port-talks")
    );
    assert_eq!(a.published.as_deref(), Some("2024-03-18T09:30:00Z"));
    assert_eq!(
        a.text,
        "Negotiators from the two harbour unions met in Valmora on Monday.\n\n\
         Mediator Ilse Varga said the talks would resume on Thursday."
    );
    assert_eq!(a.origin, "ledger.rss#1");
    let b = results[1].as_ref().unwrap();
    assert_eq!(b.text, "Fog kept twelve grain barges at anchor off Kessen.");
    assert_eq!(b.published.as_deref(), Some("2024-03-19T06:00:00Z"));
    assert_eq!(
        results[2].as_ref().unwrap_err().to_string(),
        "ledger.rss: item 3: no text (neither content nor description)"
    );
}

#[test]
fn atom_entries_become_articles_and_feeds_are_sniffed() {
    // No extension: recognised from the content.
    let results = read_bytes("harbor-feed", ATOM.as_bytes(), &ReadOptions::default());
    let a = ok(&results)[0];
    assert_eq!(a.id.as_deref(), Some("urn:harbor-post:8812"));
    assert_eq!(a.source.as_deref(), Some("Harbor Post"));
    assert_eq!(a.published.as_deref(), Some("2025-06-05T10:15:00Z"));
    assert_eq!(
        a.text,
        "The coast guard boarded a trawler near Manila on Thursday, officials said."
    );
    assert_eq!(a.url.as_deref(), Some("https://harbor.example/8812"));
}

#[test]
fn a_broken_feed_is_an_error_naming_the_file() {
    let results = read_bytes("bad.rss", b"<rss><channel><item>", &ReadOptions::default());
    assert_eq!(results.len(), 1);
    let msg = results[0].as_ref().unwrap_err().to_string();
    assert!(msg.starts_with("bad.rss: invalid feed:"), "{msg}");
}

// ---- WARC -----------------------------------------------------------------------

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"\"></head>\
         <body><nav>Home | World</nav><article><h1>{title}</h1>{body}</article></body></html>"
    )
}

fn warc_record(kind: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        uri.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A small crawl: warcinfo, a request, three HTML responses (one chunked),
/// a redirect and an image.
fn crawl() -> Vec<Vec<u8>> {
    let p1 = page(
        "Ferry strike ends in Kessen",
        "<p>Ferry workers in Kessen ended a four-day strike on Wednesday after the port authority agreed to a new rota.</p>\
         <p>Union leader Marta Oduya said crews would sail again on Friday.</p>",
    );
    let p2 = page(
        "Lagos council debates fuel levy",
        "<p>The Lagos state council debated a proposed fuel levy for six hours on Tuesday.</p>\
         <p>Traders protested outside the chamber, and police kept the road open.</p>",
    );
    let p3 = page(
        "Sahel truce holds",
        "<p>A ceasefire between the army and a rebel group in the northern Sahel held for a third day, monitors said.</p>\
         <p>Aid convoys reached two towns for the first time since April.</p>",
    );
    let chunked = {
        let (a, b) = p3.split_at(40);
        format!("{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n", a.len(), b.len())
    };
    vec![
        warc_record(
            "warcinfo",
            "",
            "2024-03-20T00:00:00Z",
            "application/warc-fields",
            b"software: newsgraph-test\r\n",
        ),
        warc_record(
            "request",
            "https://kessen.example/ferry",
            "2024-03-20T08:00:00Z",
            "application/http; msgtype=request",
            b"GET /ferry HTTP/1.1\r\nHost: kessen.example\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://kessen.example/ferry",
            "2024-03-20T08:00:01Z",
            "application/http; msgtype=response",
            &http_response(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                p1.as_bytes(),
            ),
        ),
        warc_record(
            "response",
            "https://lagos.example/levy",
            "2024-03-20T08:01:00Z",
            "application/http; msgtype=response",
            &http_response("200 OK", "Content-Type: text/html\r\n", p2.as_bytes()),
        ),
        warc_record(
            "response",
            "https://lagos.example/old",
            "2024-03-20T08:02:00Z",
            "application/http; msgtype=response",
            &http_response(
                "301 Moved Permanently",
                "Location: https://lagos.example/levy\r\n",
                b"",
            ),
        ),
        warc_record(
            "response",
            "https://img.example/a.png",
            "2024-03-20T08:03:00Z",
            "application/http; msgtype=response",
            &http_response(
                "200 OK",
                "Content-Type: image/png\r\n",
                b"\x89PNG\r\n\x1a\n....",
            ),
        ),
        warc_record(
            "response",
            "https://sahel.example/truce",
            "2024-03-20T08:04:00Z",
            "application/http; msgtype=response",
            &{
                let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
                r.extend_from_slice(chunked.as_bytes());
                r
            },
        ),
    ]
}

fn gzip_members(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(r).unwrap();
        out.extend(enc.finish().unwrap());
    }
    out
}

fn check_crawl(results: &[Result<Article, ReadError>], name: &str) {
    assert_eq!(results.len(), 3, "{results:#?}");
    let articles = ok(results);
    let urls: Vec<_> = articles.iter().map(|a| a.url.as_deref().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://kessen.example/ferry",
            "https://lagos.example/levy",
            "https://sahel.example/truce"
        ]
    );
    let a = articles[0];
    assert_eq!(a.title.as_deref(), Some("Ferry strike ends in Kessen"));
    assert!(
        a.text.starts_with("Ferry workers in Kessen ended"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("Home | World"));
    assert_eq!(
        a.published.as_deref(),
        Some("2024-03-20T08:00:01Z"),
        "WARC-Date is the fallback date"
    );
    assert_eq!(a.id, None);
    assert!(a.origin.ends_with(&format!("{name}#3")), "{}", a.origin);
    assert!(articles[2].text.contains("Aid convoys reached two towns"));
}

#[test]
fn warc_and_warc_gz_files_are_read_record_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let plain: Vec<u8> = crawl().concat();
    std::fs::write(dir.path().join("crawl.warc"), &plain).unwrap();
    std::fs::write(dir.path().join("crawl.warc.gz"), gzip_members(&crawl())).unwrap();
    // Larger than --max-bytes as a whole: archives are limited per record.
    let opts = ReadOptions {
        max_file_bytes: 2_000,
        ..ReadOptions::default()
    };
    assert!(plain.len() > 2_000);
    let results: Vec<_> = read_paths(&[dir.path().join("crawl.warc")], &opts).collect();
    check_crawl(&results, "crawl.warc");
    let results: Vec<_> = read_paths(&[dir.path().join("crawl.warc.gz")], &opts).collect();
    check_crawl(&results, "crawl.warc.gz");
    // The same, in memory.
    let results = read_bytes("mem.warc.gz", &gzip_members(&crawl()), &opts);
    check_crawl(&results, "mem.warc.gz");
}

#[test]
fn a_truncated_warc_gz_keeps_the_records_before_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let whole = gzip_members(&crawl());
    let path = dir.path().join("cut.warc.gz");
    std::fs::write(&path, &whole[..whole.len() - 60]).unwrap();
    let results: Vec<_> =
        read_paths(std::slice::from_ref(&path), &ReadOptions::default()).collect();
    assert_eq!(ok(&results).len(), 2, "{results:#?}");
    let err = results.last().unwrap().as_ref().unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}: record 7:", path.display())),
        "{err}"
    );
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn an_oversized_record_is_skipped_and_the_archive_goes_on() {
    // A bomb: 50 MB of zeros compress to ~50 KB; the limit is 1 MB.
    let bomb_body = vec![b'0'; 50_000_000];
    let mut records = vec![warc_record(
        "response",
        "https://bomb.example/",
        "2024-03-20T09:00:00Z",
        "application/http; msgtype=response",
        &http_response("200 OK", "Content-Type: text/html\r\n", &bomb_body),
    )];
    records.extend(crawl());
    let gz = gzip_members(&records);
    assert!(gz.len() < 1_000_000);
    let opts = ReadOptions {
        max_file_bytes: 1_000_000,
        ..ReadOptions::default()
    };
    let results = read_bytes("bomb.warc.gz", &gz, &opts);
    let err = results[0].as_ref().unwrap_err().to_string();
    assert!(
        err.starts_with("bomb.warc.gz: record 1: content of 500000"),
        "{err}"
    );
    assert!(
        err.ends_with(
            "bytes is over the 1000000 byte limit, skipped (set --max-bytes to raise it)"
        ),
        "{err}"
    );
    assert_eq!(ok(&results).len(), 3);
}

#[test]
fn garbage_where_a_record_should_start_ends_the_archive() {
    let mut bytes = crawl()[2].clone();
    bytes.extend_from_slice(b"this is not a record\r\n");
    let results = read_bytes(
        Path::new("odd.warc").to_str().unwrap(),
        &bytes,
        &ReadOptions::default(),
    );
    assert_eq!(ok(&results).len(), 1);
    assert_eq!(
        results[1].as_ref().unwrap_err().to_string(),
        "odd.warc: record 2: expected a `WARC/1.x` version line, found `this is not a record`"
    );
}
