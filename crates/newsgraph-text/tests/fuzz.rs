//! Fuzzing beyond `properties.rs`: long and hostile inputs (runs without
//! punctuation or spaces, control characters, every script, lone combining
//! marks), the sentence-length limit, and the language guess, with proptest
//! inside `cargo test`. The coverage-guided counterpart is the `tokenize`
//! target in `fuzz/` (cargo-fuzz, see fuzz/README.md). `PROPTEST_CASES` sets
//! the cases per generator; the default is a short pass for CI.

use newsgraph_text::{
    detect_language, max_sentence_tokens, split_sentences, split_words, tokenize,
    DEFAULT_MAX_SENTENCE_TOKENS,
};
use proptest::prelude::*;

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

fn check(text: &str) {
    let tokens = tokenize(text);
    let mut prev = 0;
    for t in &tokens {
        assert!(t.start >= prev && t.start < t.end && t.end as usize <= text.len());
        assert!(text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize));
        prev = t.end;
    }
    let sentences = split_sentences(text, &tokens);
    let mut next = 0;
    for s in &sentences {
        assert_eq!(s.start, next);
        assert!(s.end > s.start);
        assert!((s.end - s.start) as usize <= max_sentence_tokens());
        next = s.end;
    }
    assert_eq!(next as usize, tokens.len());
    for w in split_words(text, &tokens) {
        assert!(text.get(w.range.as_range()).is_some());
    }
    if let Some(language) = detect_language(text) {
        assert_eq!(language.code.len(), 2);
    }
}

fn chunk() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}",
        1 => "[,;:]",
        1 => prop::sample::select(vec![
            "\u{0}", "\u{7}", "\u{1b}[31m", "\u{85}", "\u{2028}", "\u{2029}", "\u{200B}",
            "\u{FEFF}", "\u{301}", "\u{FFFD}", "\r", "\u{b}", "\u{c}",
            "Москва", "東京", "القاهرة", "ירושלים", "नई", "서울", "กรุงเทพ", "Αθήνα",
            "🇺🇦", "👍🏽", "a\u{301}\u{302}\u{303}",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{1,4}",
    ]
}

proptest! {
    #![proptest_config(config(64))]

    /// Up to 3,000 chunks with no sentence-final punctuation: the limit cuts them.
    #[test]
    fn long_runs_without_full_stops(chunks in prop::collection::vec(chunk(), 0..3000),
                                    sep in prop::sample::select(vec![" ", "", "\t", "\n"])) {
        check(&chunks.join(sep));
    }

    #[test]
    fn any_text(text in any::<String>()) {
        check(&text);
    }
}

#[test]
fn the_default_limit_holds() {
    assert_eq!(max_sentence_tokens(), DEFAULT_MAX_SENTENCE_TOKENS);
    let text = "word ".repeat(10 * DEFAULT_MAX_SENTENCE_TOKENS + 7);
    let tokens = tokenize(&text);
    let sentences = split_sentences(&text, &tokens);
    assert_eq!(sentences.len(), 11);
    assert!(sentences
        .iter()
        .all(|s| (s.end - s.start) as usize <= DEFAULT_MAX_SENTENCE_TOKENS));
    // One 10 MB line of words is tokenized and split without trouble.
    let line = "lorem ipsum dolor sit amet ".repeat(400_000);
    let tokens = tokenize(&line);
    assert_eq!(tokens.len(), 2_000_000);
    let sentences = split_sentences(&line, &tokens);
    assert_eq!(sentences.len(), 4000);
    // A 10 MB "word" with no space at all is one token.
    let blob = "x".repeat(10_000_000);
    assert_eq!(tokenize(&blob).len(), 1);
}
