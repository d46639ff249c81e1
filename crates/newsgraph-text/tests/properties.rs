//! Property tests: the tokenizer and splitter invariants hold on arbitrary and news-like text.

use newsgraph_core::TextRange;
use newsgraph_text::{split_sentences, split_words, tokenize};
use proptest::prelude::*;

/// Checks every invariant of tokens and sentences for `text`.
fn check(text: &str) {
    let tokens = tokenize(text);
    let mut covered = vec![false; text.len()];
    let mut prev_end = 0u32;
    for t in &tokens {
        assert!(!t.is_empty(), "empty token in {text:?}");
        assert!(
            t.start >= prev_end,
            "tokens out of order or overlapping in {text:?}"
        );
        assert!(text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize));
        let s = t.slice(text);
        assert!(
            !s.chars().any(char::is_whitespace),
            "token {s:?} has whitespace"
        );
        covered[t.as_range()].iter_mut().for_each(|c| *c = true);
        prev_end = t.end;
    }
    for (i, c) in text.char_indices() {
        assert!(
            c.is_whitespace() || covered[i],
            "{c:?} at {i} not covered in {text:?}"
        );
    }

    let sentences = split_sentences(text, &tokens);
    let mut next = 0u32;
    for s in &sentences {
        assert_eq!(s.start, next, "sentences must cover all tokens in order");
        assert!(s.end > s.start, "empty sentence");
        // No sentence crosses a paragraph break.
        for w in tokens[s.start as usize..s.end as usize].windows(2) {
            let gap = &text[w[0].end as usize..w[1].start as usize];
            assert!(
                !is_paragraph_break(gap),
                "sentence crosses a paragraph break in {text:?}"
            );
        }
        next = s.end;
    }
    assert_eq!(next as usize, tokens.len());

    let words = split_words(text, &tokens);
    let rebuilt: Vec<TextRange> = words.iter().fold(Vec::<TextRange>::new(), |mut acc, w| {
        match acc.get_mut(w.token as usize) {
            Some(r) => *r = r.cover(w.range),
            None => acc.push(w.range),
        }
        acc
    });
    assert_eq!(rebuilt, tokens, "words must concatenate to their tokens");
    for w in &words {
        assert!(text.is_char_boundary(w.range.start as usize) && !w.range.is_empty());
    }
}

/// A line holding only whitespace between two tokens.
fn is_paragraph_break(gap: &str) -> bool {
    gap.matches('\n').count() >= 2 || gap.contains('\u{2029}')
}

fn news_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Mr.",
        "U.S.",
        "Gen.",
        "J.",
        "R.",
        "Tolkien",
        "said",
        "didn't",
        "can't",
        "won't",
        "Putin's",
        "leaders'",
        "cannot",
        "gonna",
        "\"",
        "“",
        "”",
        "‘",
        "’",
        "'",
        "(",
        ")",
        "[1]",
        ".",
        ",",
        "!",
        "?",
        "...",
        "…",
        "--",
        "—",
        "-",
        "so-called",
        "1,000",
        "3.5",
        "$4.5",
        "10%",
        "2015-05-12",
        "9:30",
        "No.",
        "10",
        "http://example.com/a?b=1.",
        "jane@example.org",
        "@handle",
        "#tag",
        ":)",
        "Zürich",
        "Erdoğan",
        "東京",
        "👍🏽",
        "e\u{301}",
        "The",
        "talks",
        "ended",
        "in",
        "Sochi",
        "a.m.",
        "etc.",
        "Inc.",
        "\u{200D}",
        "\u{FE0F}",
        "'72",
        "5pm",
        "th-",
    ])
    .prop_map(str::to_string)
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " ", " ", " ", "", "\n", "\n\n", " \n \n", "\t", "\u{00A0}", "\r\n\r\n",
    ])
}

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec((news_piece(), separator()), 0..40).prop_map(|parts| {
        parts.into_iter().fold(String::new(), |mut s, (w, sep)| {
            s.push_str(&w);
            s.push_str(sep);
            s
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn invariants_on_arbitrary_unicode(text in "\\PC{0,80}") {
        check(&text);
    }

    #[test]
    fn invariants_on_any_chars(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn invariants_on_ascii_punctuation(text in "[a-zA-Z0-9 .,!?'\"()\\-@#:/$%&\n]{0,60}") {
        check(&text);
    }

    #[test]
    fn invariants_on_news_like_text(text in news_like()) {
        check(&text);
    }
}
