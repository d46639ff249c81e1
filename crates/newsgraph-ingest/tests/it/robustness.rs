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
        "<div>".repeat(2_000),
        "</div>".repeat(2_000)
    );
    let results = read_bytes("deep.html", html.as_bytes(), &ReadOptions::default());
    assert_eq!(results.len(), 1);
    let article = results[0].as_ref().unwrap();
    assert_eq!(article.text, "Deep inside the page.");
    assert_eq!(
        article.warnings,
        ["page is nested 2003 elements deep: main-content extraction skipped, all paragraphs used"]
    );
}
