//! Fuzzing the whole pipeline and the time normaliser with proptest:
//! arbitrary bytes (decoded as the readers do), near-valid news text full
//! of dates, names, quotes and numbers, and any publication date, from
//! year 1 to 9999. Nothing panics; every span slices the text; every time
//! value is well formed.
//!
//! These run inside `cargo test`; the coverage-guided counterparts are the
//! `extract` and `time` targets in `fuzz/` (cargo-fuzz, see fuzz/README.md).
//! `PROPTEST_CASES` sets the cases per
//! generator (a short pass by default, for CI); a long run:
//! `PROPTEST_CASES=20000 cargo test --release -p newsgraph --test fuzz`.

use newsgraph_core::json::{DocJson, JsonOptions};
use newsgraph_core::Article;
use newsgraph_extract::time::normalize_text;
use proptest::prelude::*;

mod common;

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A TIMEX3 value as the normaliser writes them: dates (`2015-05-12`,
/// `2015-05`, `2015-W20`, `201`, `XXXX-05-12`...), times, durations (`P3D`,
/// `PT8H`), sets and the reference words.
fn well_formed_value(v: &str) -> bool {
    !v.is_empty()
        && v.len() < 64
        && v.chars().all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | '_' | '+')
        })
}

fn check(text: &str, date: Option<&str>) {
    let article = Article {
        text: text.to_string(),
        published: date.map(str::to_string),
        ..Article::default()
    };
    let doc = common::pipeline().process(article, None).unwrap();
    let json = serde_json::to_value(DocJson::new(&doc, JsonOptions { tokens: true })).unwrap();
    let chars: Vec<char> = json["text"].as_str().unwrap().chars().collect();
    assert_eq!(chars.iter().collect::<String>(), text, "text is kept as is");
    let within = |v: &serde_json::Value| {
        let (a, b) = (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
        assert!(
            a < b && b as usize <= chars.len(),
            "span {a}..{b} of {}",
            chars.len()
        );
        chars[a as usize..b as usize].iter().collect::<String>()
    };
    for key in ["tokens", "sentences"] {
        for span in json[key].as_array().unwrap() {
            within(span);
        }
    }
    for t in json["times"].as_array().unwrap() {
        assert_eq!(within(t), t["text"].as_str().unwrap());
        if let Some(v) = t["value"].as_str() {
            assert!(well_formed_value(v), "value {v:?} for {:?}", t["text"]);
        }
    }
    for e in json["entities"].as_array().unwrap() {
        for m in e["mentions"].as_array().into_iter().flatten() {
            assert_eq!(within(m), m["text"].as_str().unwrap());
        }
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => prop::sample::select(vec![
            "The", "minister", "Ana", "Kovač", "said", "on", "Tuesday", "last", "next", "week",
            "year", "month", "ago", "since", "until", "by", "the", "end", "of", "May", "Sept.",
            "2015", "1999", "9999", "0001", "12", "31", "30", "29", "February", "Feb.", "30th",
            "1st", "a.m.", "p.m.", "noon", "midnight", "10:30", "25:99", "GMT", "+03:00",
            "spring", "Q3", "1990s", "'90s", "decade", "century", "weekend", "tonight",
            "yesterday", "tomorrow", "later", "earlier", "hours", "days", "three", "dozen",
            "every", "daily", "Monday", "mid-", "early", "late", "-", "–", "/", ",", ".", "\"",
            "“", "”", "(", ")", "\n", "\n\n", "U.S.", "Moscow", "Москва", "東京", "didn't",
            "according", "to", "officials", "in", "at", "9/11", "2015-05-12", "2015-02-30",
            "12/05/2015", "FY2016", "the following day", "that day", "the day before",
        ])
        .prop_map(str::to_string),
        1 => (0u32..100_000).prop_map(|n| n.to_string()),
        1 => "\\PC{1,6}",
    ]
}

fn news_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (piece(), prop::sample::select(vec![" ", " ", "", "\n"])),
        0..80,
    )
    .prop_map(|parts| {
        parts.into_iter().fold(String::new(), |mut s, (p, sep)| {
            s.push_str(&p);
            s.push_str(sep);
            s
        })
    })
}

fn publication_date() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        4 => (1u32..=9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| Some(format!("{y:04}-{m:02}-{d:02}"))),
        1 => prop::sample::select(vec![
            "0001-01-01", "9999-12-31", "2016-02-29", "2015-02-30", "2015-13-01", "", "garbage",
            "2015-05-12T23:59:59+14:00", "2015-05-12T00:00:00-12:00", "2015-05",
        ])
        .prop_map(|s| Some(s.to_string())),
    ]
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn pipeline_on_near_valid_news(text in news_text(), date in publication_date()) {
        check(&text, date.as_deref());
    }

    #[test]
    fn pipeline_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        // What the readers would hand over: lossy UTF-8, control characters included.
        check(&String::from_utf8_lossy(&bytes), Some("2015-05-12"));
    }

    #[test]
    fn time_normaliser_on_any_anchor(text in news_text(), date in publication_date()) {
        for found in normalize_text(&text, date.as_deref()) {
            prop_assert!(text.get(found.range.as_range()).is_some());
            prop_assert_eq!(&text[found.range.as_range()], found.text.as_str());
            if let Some(v) = &found.value {
                prop_assert!(well_formed_value(v), "value {:?} for {:?} ({})", v, found.text, found.rule);
            }
        }
    }
}

/// Inputs found by fuzzing or written to hit edges: each stays a test.
#[test]
fn regressions() {
    for (text, date) in [
        ("next year", Some("9999-12-31")),
        ("last year", Some("0001-01-01")),
        ("the day before yesterday", Some("0001-01-01")),
        ("in the 9990s and next century", Some("9999-06-01")),
        ("on February 29", Some("2015-05-12")),
        ("on 30 February 2015", Some("2015-05-12")),
        ("10000 years ago", Some("2015-05-12")),
        ("99999999999999999999 days later", Some("2015-05-12")),
        ("", Some("2015-02-30")),
        ("Tuesday", Some("garbage")),
        ("\u{0}\u{1}\u{7f}", None),
    ] {
        check(text, date);
        let _ = normalize_text(text, date);
    }
}
