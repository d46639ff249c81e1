//! The tokenizer, sentence splitter and word (clitic) splitter on any text.
//! The first byte sets the sentence limit (2..=65, or the default 500 when
//! it is 64 or more); the rest, decoded as UTF-8 lossily, is the text.
//! Checks: tokens are non-empty, in order, on char boundaries, without
//! whitespace, and cover every non-space character; sentences cover all
//! tokens in order, none empty, none longer than the limit, none across a
//! paragraph break; words concatenate to their tokens.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph_core::TextRange;
use newsgraph_text::{
    max_sentence_tokens, set_max_sentence_tokens, split_sentences, split_words, tokenize,
    DEFAULT_MAX_SENTENCE_TOKENS,
};

fuzz_target!(|data: &[u8]| {
    let Some((&limit, rest)) = data.split_first() else {
        return;
    };
    set_max_sentence_tokens(if limit < 64 {
        limit as usize + 2
    } else {
        DEFAULT_MAX_SENTENCE_TOKENS
    });
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();

    let tokens = tokenize(text);
    let mut covered = vec![false; text.len()];
    let mut prev_end = 0u32;
    for t in &tokens {
        assert!(!t.is_empty(), "empty token");
        assert!(t.start >= prev_end, "tokens out of order or overlapping");
        assert!((t.end as usize) <= text.len());
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
        assert!(c.is_whitespace() || covered[i], "{c:?} at {i} not covered");
    }

    let limit = max_sentence_tokens();
    let sentences = split_sentences(text, &tokens);
    let mut next = 0u32;
    for s in &sentences {
        assert_eq!(s.start, next, "sentences must cover all tokens in order");
        assert!(s.end > s.start, "empty sentence");
        assert!(
            (s.end - s.start) as usize <= limit,
            "sentence of {} tokens, limit {limit}",
            s.end - s.start
        );
        for w in tokens[s.start as usize..s.end as usize].windows(2) {
            let gap = &text[w[0].end as usize..w[1].start as usize];
            assert!(
                gap.matches('\n').count() < 2 && !gap.contains('\u{2029}'),
                "sentence crosses a paragraph break"
            );
        }
        next = s.end;
    }
    assert_eq!(next as usize, tokens.len());

    let words = split_words(text, &tokens);
    let mut rebuilt: Vec<TextRange> = Vec::with_capacity(tokens.len());
    for w in &words {
        assert!(!w.range.is_empty() && text.is_char_boundary(w.range.start as usize));
        match rebuilt.get_mut(w.token as usize) {
            Some(r) => *r = r.cover(w.range),
            None => {
                assert_eq!(w.token as usize, rebuilt.len(), "words out of order");
                rebuilt.push(w.range)
            }
        }
    }
    assert_eq!(rebuilt, tokens, "words must concatenate to their tokens");
});
