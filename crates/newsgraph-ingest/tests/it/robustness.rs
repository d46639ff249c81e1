//! Malformed input of every kind gives articles or errors, never a panic.

use newsgraph_ingest::{parse_date, read_bytes, Format, ReadOptions};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that are likely to hit edge cases when glued together at random.
const PIECES: [&str; 40] = [
    "<p>",
    "</p>",
    "<div class=\"ad\">",
    "</div>",
    "<html>",
    "<body>",
    "</body>",
    "<script>",
    "<!--",
    "-->",
    "<br>",
    "<article>",
    "&amp;",
    "{",
    "}",
    "[",
    "]",
    "\"text\"",
    ":",
    ",",
    "\"id\"",
    "\"date\"",
    "\"2015-02-30\"",
    "null",
    "12",
    "\n",
    "\r\n",
    "\r",
    "Title:",
    "Date:",
    " ",
    "\t",
    "\u{feff}",
    "é",
    "\u{fffd}",
    "May 12, 2015",
    "+03:00",
    "Z",
    "\\u0000",
    "\"",
];

fn random_input(rng: &mut Rng) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..rng.below(60) {
        match rng.below(10) {
            0 => bytes.push(rng.below(256) as u8),
            _ => bytes.extend_from_slice(PIECES[rng.below(PIECES.len())].as_bytes()),
        }
    }
    bytes
}

#[test]
fn random_inputs_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let formats = [
        None,
        Some(Format::Text),
        Some(Format::Html),
        Some(Format::JsonLines),
        Some(Format::Json),
    ];
    for _ in 0..400 {
        let bytes = random_input(&mut rng);
        for format in formats {
            let opts = ReadOptions {
                format,
                ..ReadOptions::default()
            };
            for name in ["-", "x.txt", "x"] {
                for article in read_bytes(name, &bytes, &opts).into_iter().flatten() {
                    assert!(!article.text.trim().is_empty());
                    let stray_control = |c: char| c.is_control() && c != '\n' && c != '\t';
                    assert!(!article.text.contains(stray_control));
                }
            }
        }
        let _ = parse_date(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn deeply_nested_html_does_not_crash() {
    let html = format!(
        "<html><body><nav><p>Menu</p></nav>{}<p>Deep inside the page.</p>{}\
         <footer><p>Copyright</p></footer></body></html>",
        "<div>".repeat(500),
        "</div>".repeat(500)
    );
    let results = read_bytes("deep.html", html.as_bytes(), &ReadOptions::default());
    assert_eq!(results.len(), 1);
    let article = results[0].as_ref().unwrap();
    assert_eq!(article.text, "Deep inside the page.");
    assert_eq!(
        article.warnings,
        ["page is nested 503 elements deep (limit 256): main-content extraction skipped, all paragraphs used"]
    );
}

#[test]
fn a_hundred_thousand_nested_html_elements() {
    let html = format!(
        "<html><body>{}<p>Deep inside the page.</p>{}</body></html>",
        "<div><p>Layer.</p>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let started = std::time::Instant::now();
    let results = read_bytes("deep.html", html.as_bytes(), &ReadOptions::default());
    let article = results[0].as_ref().unwrap();
    assert!(article.text.ends_with("Layer.\n\nDeep inside the page."));
    assert_eq!(
        article.warnings,
        ["page is nested about 100000 elements deep: tags below depth 1024 dropped (their text kept); \
          main-content extraction skipped, all paragraphs used"]
    );
    assert_eq!(article.text.matches("Layer.").count(), 100_000);
    // Seconds (in a debug build), not the minutes the parser takes on the whole depth.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn the_html_depth_limit_is_configurable() {
    let html = format!(
        "<html><body><nav><p>Menu</p></nav>{}<p>Inside.</p>{}</body></html>",
        "<div>".repeat(40),
        "</div>".repeat(40)
    );
    let strict = ReadOptions {
        max_html_depth: 10,
        ..ReadOptions::default()
    };
    let article = read_bytes("a.html", html.as_bytes(), &strict)
        .remove(0)
        .unwrap();
    assert_eq!(article.text, "Inside.");
    assert!(
        article.warnings[0].contains("nested 43 elements deep (limit 10)"),
        "{:?}",
        article.warnings
    );
    let article = read_bytes("a.html", html.as_bytes(), &ReadOptions::default())
        .remove(0)
        .unwrap();
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
}

#[test]
fn deeply_nested_feeds_and_json_are_errors_not_crashes() {
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>Deep</title>\
         <description>{}x{}</description></item></channel></rss>",
        "<b>".repeat(100_000),
        "</b>".repeat(100_000)
    );
    let results = read_bytes("deep.rss", feed.as_bytes(), &ReadOptions::default());
    assert!(!results.is_empty());
    for r in &results {
        if let Err(e) = r {
            assert!(e.to_string().starts_with("deep.rss:"), "{e}");
        }
    }
    let json = format!(
        "{{\"text\": \"Deep.\", \"extra\": {}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let results = read_bytes("deep.jsonl", json.as_bytes(), &ReadOptions::default());
    let err = results[0].as_ref().unwrap_err().to_string();
    assert!(
        err.starts_with("deep.jsonl:1: invalid JSON: recursion limit exceeded"),
        "{err}"
    );
}

#[test]
fn a_second_xml_declaration_is_an_error_not_a_crash() {
    // quick-xml panicked on a later declaration naming an encoding.
    let feed =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Harbour Desk</title><?xml version=\"1.0\" encoding=\"utf-16\"?>\
         <entry><title>Ferry talks</title><published>2021-04-02</published>\
         <summary>Port officials in Valmora met ferry operators.</summary></entry></feed>";
    let results = read_bytes("twice.atom", feed.as_bytes(), &ReadOptions::default());
    let err = results[0].as_ref().unwrap_err().to_string();
    assert!(
        err.starts_with("twice.atom:") && err.contains("XML declaration"),
        "{err}"
    );
    // One declaration at the start (after blanks) is fine.
    let good = feed.replacen("<?xml version=\"1.0\" encoding=\"utf-16\"?>", "", 1);
    let results = read_bytes(
        "once.atom",
        format!("\n {good}").as_bytes(),
        &ReadOptions::default(),
    );
    assert!(results[0].is_ok(), "{results:?}");
}

#[test]
fn dates_that_do_not_exist_are_warnings() {
    let results = read_bytes(
        "a.jsonl",
        b"{\"text\": \"Budget passed.\", \"date\": \"2015-02-30\"}\n{\"text\": \"Leap.\", \"date\": \"2016-02-29\"}\n",
        &ReadOptions::default(),
    );
    let a = results[0].as_ref().unwrap();
    assert_eq!(a.published, None);
    assert_eq!(a.warnings, ["could not parse date `2015-02-30`"]);
    assert_eq!(
        results[1].as_ref().unwrap().published.as_deref(),
        Some("2016-02-29")
    );
}

/// Found by `tests/fuzz.rs` (near_valid_feeds): a control character in an
/// item's guid reached the article's id.
#[test]
fn regression_feed_guid_with_a_control_character() {
    let feed = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\
                <entry><title>Talks</title><id>\u{18}urn:x:43</id><updated>2015-05-12T10:00:00Z</updated>\
                <link href=\"https://x.example/\u{7}a\"/>\
                <content type=\"html\">&lt;p&gt;Talks resumed.&lt;/p&gt;</content></entry></feed>";
    let results = read_bytes("a.atom", feed.as_bytes(), &ReadOptions::default());
    let article = results[0].as_ref().unwrap();
    assert_eq!(article.id.as_deref(), Some("urn:x:43"));
    assert_eq!(article.url.as_deref(), Some("https://x.example/%07a"));
}
