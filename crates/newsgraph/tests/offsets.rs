//! Property: whatever the input text, every span in the JSON output slices the
//! text exactly (character offsets), tokens are in order without overlap, and
//! sentences tile the tokens.

use newsgraph_core::json::{DocJson, JsonOptions};
use proptest::prelude::*;

mod common;

fn check(text: &str) {
    let doc = common::run(text, None);
    let json = serde_json::to_value(DocJson::new(&doc, JsonOptions { tokens: true })).unwrap();
    let chars: Vec<char> = json["text"].as_str().unwrap().chars().collect();
    let slice = |a: u64, b: u64| chars[a as usize..b as usize].iter().collect::<String>();
    let mut prev = 0;
    for t in json["tokens"].as_array().unwrap() {
        let (a, b) = (t["start"].as_u64().unwrap(), t["end"].as_u64().unwrap());
        assert!(prev <= a && a < b && b as usize <= chars.len());
        assert_eq!(slice(a, b), t["text"].as_str().unwrap());
        assert!(!slice(a, b).chars().any(char::is_whitespace));
        prev = b;
    }
    let mut prev = 0;
    for s in json["sentences"].as_array().unwrap() {
        let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(prev <= a && a < b && b as usize <= chars.len());
        assert!(
            !slice(a, b).contains("\n\n"),
            "a sentence never crosses a paragraph break"
        );
        prev = b;
    }
    // Every non-whitespace character is inside some token.
    let mut covered = vec![false; chars.len()];
    for t in json["tokens"].as_array().unwrap() {
        for c in
            &mut covered[t["start"].as_u64().unwrap() as usize..t["end"].as_u64().unwrap() as usize]
        {
            *c = true;
        }
    }
    for (i, c) in chars.iter().enumerate() {
        assert!(
            covered[i] || c.is_whitespace(),
            "character {i} {c:?} is in no token"
        );
    }
}

const NEWSY: &str = r#"[A-Za-z0-9ÀÉéüğşçñ日本“”‘’"'.,;:!?()\-—–…$%@#/ \n]{0,200}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_slice_the_text_for_newsy_strings(text in NEWSY) {
        check(&text);
    }

    #[test]
    fn spans_slice_the_text_for_any_unicode(text in "\\PC{0,120}") {
        check(&text);
    }
}

#[test]
fn hard_cases() {
    for t in [
        "",
        " ",
        "\n\n\n",
        "U.S.",
        "“”",
        "a\u{301}b",
        "🇺🇦 flag",
        "don't'n't",
        "e.g.. ..",
        "Mr. J. R. R. Smith's",
    ] {
        check(t);
    }
}
