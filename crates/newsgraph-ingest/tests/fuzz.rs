//! Fuzzing the readers with proptest: arbitrary bytes and near-valid inputs
//! (a valid file of each format, then cut, spliced or sprinkled with random
//! bytes) never panic, and whatever comes out keeps the readers' promises.
//!
//! These generators run inside `cargo test` and shrink failures to a small
//! input. The coverage-guided counterparts are the `read_*` targets in
//! `fuzz/` (cargo-fuzz with libFuzzer on stable, see fuzz/README.md).
//!
//! `PROPTEST_CASES` sets the number of cases per generator (default: a short
//! pass for CI, see [`cases`]); for a long run:
//! `PROPTEST_CASES=200000 cargo test --release -p newsgraph-ingest --test fuzz`.

use flate2::write::GzEncoder;
use flate2::Compression;
use newsgraph_ingest::{parse_date, read_bytes, Article, Format, ReadError, ReadOptions};
use proptest::prelude::*;
use std::io::Write;

/// Cases per generator: `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        // Failures are reported with the shrunk input; no files written next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What every result of a read must satisfy.
fn check(name: &str, results: &[Result<Article, ReadError>]) {
    let shown = if name == "-" { "<stdin>" } else { name };
    for r in results {
        match r {
            Ok(a) => {
                assert!(!a.text.trim().is_empty(), "empty article from {name}");
                let stray = |c: char| c.is_control() && c != '\n' && c != '\t';
                assert!(!a.text.contains(stray), "control character in {:?}", a.text);
                assert!(
                    a.origin.starts_with(shown),
                    "origin {} for {name}",
                    a.origin
                );
                if let Some(d) = &a.published {
                    // A normalised date parses back to itself.
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

const FORMATS: [Option<Format>; 7] = [
    None,
    Some(Format::Text),
    Some(Format::Html),
    Some(Format::JsonLines),
    Some(Format::Json),
    Some(Format::Feed),
    Some(Format::Warc),
];

const NAMES: [&str; 9] = [
    "-",
    "a.txt",
    "a.html",
    "a.jsonl",
    "a.json",
    "a.rss",
    "a.warc",
    "a.warc.gz",
    "a",
];

fn read_all_ways(bytes: &[u8]) {
    for name in NAMES {
        let results = read_bytes(name, bytes, &ReadOptions::default());
        check(name, &results);
    }
    for format in FORMATS {
        let opts = ReadOptions {
            format,
            max_file_bytes: 64 * 1024,
            ..ReadOptions::default()
        };
        let results = read_bytes("x", bytes, &opts);
        check("x", &results);
    }
}

// ---- near-valid inputs -----------------------------------------------------------

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "Negotiators", "met", "in", "Valmora", "on", "Tuesday", ".", ",", "the", "minister",
            "said", "“talks”", "Zoë", "東京", "Москва", "\u{200B}", "&amp;", "&#x0;", "<", ">",
            "\"", "\\", "\\u0000", "{", "}", "\n", "\n\n", "\r\n", "\t", "\u{7}", "\u{FEFF}",
            "2015-02-30", "May 12, 2015", "\u{FFFD}",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..max).prop_map(|w| w.join(" "))
}

fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        (1000u32..3000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (
            1900u32..2100,
            0u32..14,
            0u32..33,
            0u32..25,
            0u32..61,
            -15i32..15
        )
            .prop_map(|(y, m, d, h, mi, z)| format!(
                "{y}-{m:02}-{d:02}T{h:02}:{mi:02}:00{z:+03}:00"
            )),
        (0u32..40, 0usize..13, 1900u32..2100).prop_map(|(d, m, y)| {
            let months = [
                "Jan", "February", "Mar.", "Sept.", "May", "June", "jul", "AUG", "Oct", "Nov",
                "Dec", "Foo", "",
            ];
            format!("{} {d}, {y}", months[m])
        }),
        "[0-9A-Za-z ,.:+/-]{0,30}",
        "\\PC{0,40}",
    ]
}

fn text_file() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    "Title", "Date", "Source", "URL", "Id", "Author", "title", "DATE", "X",
                ]),
                prop_oneof![words(6), date_like()],
            ),
            0..6,
        ),
        prop::sample::select(vec!["\n", "\r\n", "", "\n\n", " \n"]),
        words(60),
    )
        .prop_map(|(header, blank, body)| {
            let mut s = String::new();
            for (k, v) in header {
                s.push_str(&format!("{k}: {v}\n"));
            }
            s.push_str(blank);
            s.push_str(&body);
            s.into_bytes()
        })
}

fn html_file() -> impl Strategy<Value = Vec<u8>> {
    let tag = prop::sample::select(vec![
        "p", "div", "article", "nav", "footer", "script", "style", "h1", "li", "ul", "span", "b",
        "a", "table", "td", "tr", "br", "img", "svg", "template", "aside", "main", "noscript",
        "iframe", "pre", "select", "option", "frameset", "math", "title",
    ]);
    let node = (
        tag,
        prop::sample::select(vec![
            "",
            " class=\"ad\"",
            " id=\"related\"",
            " class=\"story-body\"",
            " hidden",
        ]),
        words(12),
        any::<bool>(),
    )
        .prop_map(|(t, attr, text, close)| {
            if close {
                format!("<{t}{attr}>{text}</{t}>")
            } else {
                format!("<{t}{attr}>{text}")
            }
        });
    (
        date_like(),
        words(5),
        prop::collection::vec(node, 0..40),
        prop::sample::select(vec![
            "",
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":",
            "<script type=\"application/ld+json\">[{\"datePublished\": null}, 3, \"x\"]</script>",
            "<script type=\"application/ld+json\">{\"@graph\":[{\"headline\":{\"a\":1}}]}</script>",
        ]),
    )
        .prop_map(|(date, title, nodes, ld)| {
            format!(
                "<!DOCTYPE html><html><head><title>{title}</title>\
                 <meta property=\"article:published_time\" content=\"{date}\">\
                 <meta property=\"og:site_name\" content=\"{title}\">{ld}</head><body>{}</body></html>",
                nodes.concat()
            )
            .into_bytes()
        })
}

fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        words(20).prop_map(|w| serde_json::to_string(&w).unwrap()),
        date_like().prop_map(|w| serde_json::to_string(&w).unwrap()),
        Just("null".to_string()),
        Just("12".to_string()),
        Just("-1e999".to_string()),
        Just("[\"a\", {\"b\": []}]".to_string()),
        Just("{\"text\": \"nested\"}".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("true".to_string()),
    ]
}

fn jsonl_file() -> impl Strategy<Value = Vec<u8>> {
    let key = prop::sample::select(vec![
        "id",
        "title",
        "text",
        "body",
        "content",
        "date",
        "published",
        "publish_date",
        "source",
        "url",
        "other",
    ]);
    let record = prop::collection::vec((key, json_value()), 0..8).prop_map(|fields| {
        let inner: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{{}}}", inner.join(", "))
    });
    (
        prop::collection::vec(record, 0..6),
        any::<bool>(),
        prop::sample::select(vec!["\n", "\r\n", "\n\n"]),
    )
        .prop_map(|(records, array, sep)| {
            if array {
                format!("[{}]", records.join(",\n")).into_bytes()
            } else {
                records.join(sep).into_bytes()
            }
        })
}

fn feed_file() -> impl Strategy<Value = Vec<u8>> {
    let item = (words(6), words(30), date_like(), any::<bool>()).prop_map(
        |(title, body, date, atom)| {
            let esc = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            };
            if atom {
                format!(
                    "<entry><title>{}</title><id>urn:x:{}</id><updated>{}</updated>\
                     <content type=\"html\">&lt;p&gt;{}&lt;/p&gt;</content></entry>",
                    esc(&title),
                    title.len(),
                    esc(&date),
                    esc(&body)
                )
            } else {
                format!(
                    "<item><title>{}</title><link>https://x.example/{}</link>\
                     <pubDate>{}</pubDate><description><![CDATA[<p>{body}</p>]]></description></item>",
                    esc(&title),
                    title.len(),
                    esc(&date)
                )
            }
        },
    );
    (prop::collection::vec(item, 0..5), any::<bool>()).prop_map(|(items, atom)| {
        if atom {
            format!(
                "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>{}</feed>",
                items.concat()
            )
        } else {
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{}</channel></rss>",
                items.concat()
            )
        }
        .into_bytes()
    })
}

fn warc_file() -> impl Strategy<Value = Vec<u8>> {
    let record = (
        prop::sample::select(vec!["response", "request", "warcinfo", "resource", "junk"]),
        prop::sample::select(vec![
            "text/html",
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "image/png",
            "",
        ]),
        prop::sample::select(vec![
            "",
            "Transfer-Encoding: chunked\r\n",
            "Content-Encoding: gzip\r\n",
            "Content-Encoding: br\r\n",
        ]),
        html_file(),
        -3i64..3,
        date_like(),
    )
        .prop_map(|(kind, ctype, extra, body, lie, date)| {
            let http = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n{extra}\r\n{}",
                String::from_utf8_lossy(&body)
            );
            let length = (http.len() as i64 + lie).max(0);
            format!(
                "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://x.example/\r\n\
                 WARC-Date: {date}\r\nContent-Type: application/http; msgtype=response\r\n\
                 Content-Length: {length}\r\n\r\n{http}\r\n\r\n"
            )
            .into_bytes()
        });
    (prop::collection::vec(record, 0..4), any::<bool>()).prop_map(|(records, gz)| {
        if !gz {
            return records.concat();
        }
        let mut out = Vec::new();
        for r in records {
            let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
            enc.write_all(&r).unwrap();
            out.extend(enc.finish().unwrap());
        }
        out
    })
}

/// A random edit of a valid file: cut it, overwrite, insert or delete bytes.
fn mutate(valid: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        valid,
        prop::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 0..6),
    )
        .prop_map(|(mut bytes, edits)| {
            for (kind, at, byte) in edits {
                if bytes.is_empty() {
                    bytes.push(byte);
                    continue;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes.truncate(i),
                    1 => bytes[i] = byte,
                    2 => bytes.insert(i, byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_all_ways(&bytes);
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        read_all_ways(text.as_bytes());
    }

    #[test]
    fn utf16_with_bom(text in words(40), big_endian in any::<bool>(), odd in any::<bool>()) {
        let mut bytes: Vec<u8> = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        if odd {
            bytes.push(b'x');
        }
        read_all_ways(&bytes);
    }

    #[test]
    fn near_valid_text(bytes in mutate(text_file())) {
        read_all_ways(&bytes);
    }

    #[test]
    fn near_valid_html(bytes in mutate(html_file())) {
        read_all_ways(&bytes);
    }

    #[test]
    fn near_valid_json_lines(bytes in mutate(jsonl_file())) {
        read_all_ways(&bytes);
    }

    #[test]
    fn near_valid_feeds(bytes in mutate(feed_file())) {
        read_all_ways(&bytes);
    }

    #[test]
    fn near_valid_warc(bytes in mutate(warc_file())) {
        read_all_ways(&bytes);
    }

    #[test]
    fn dates_are_valid_or_rejected(s in date_like()) {
        if let Some(d) = parse_date(&s) {
            // Normalised output is ISO 8601 and stable.
            prop_assert!(d.len() >= 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-', "{d}");
            prop_assert_eq!(parse_date(&d), Some(d.clone()));
        }
    }
}
