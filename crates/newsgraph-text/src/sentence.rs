//! A rule-based sentence splitter over tokens.
//!
//! Candidates are sentence-final punctuation (`.`, `!`, `?`, `…`, `...`),
//! abbreviations with their period, and line breaks; closing quotes and
//! brackets that follow a full stop stay in its sentence. A paragraph break
//! (a line holding only whitespace) always ends a sentence.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use newsgraph_core::TextRange;

use crate::abbrev::{self, AbbrevKind};

/// The default of [`max_sentence_tokens`]: far above any real sentence (the
/// longest in UD English EWT has 159 tokens), low enough that a page of text
/// without punctuation, or a 10 MB line, does not become one sentence.
pub const DEFAULT_MAX_SENTENCE_TOKENS: usize = 500;

static MAX_SENTENCE_TOKENS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_SENTENCE_TOKENS);

/// Sets, for the whole process, the most tokens [`split_sentences`] puts in
/// one sentence (at least 2; smaller values are raised to 2). A longer run
/// of tokens is cut after a comma, semicolon, colon or dash near the limit,
/// else at the limit. The `newsgraph` CLI sets it from `--max-sentence-tokens`.
pub fn set_max_sentence_tokens(n: usize) {
    MAX_SENTENCE_TOKENS.store(n.max(2), Ordering::Relaxed);
}

/// The most tokens in one sentence; see [`set_max_sentence_tokens`].
pub fn max_sentence_tokens() -> usize {
    MAX_SENTENCE_TOKENS.load(Ordering::Relaxed)
}

/// Sentence boundaries over the tokens of `text`: each sentence is a half-open
/// range of token indices, in order, covering every token exactly once, and
/// none longer than [`max_sentence_tokens`].
///
/// ```
/// let text = "Gen. Smith met U.S. officials. They talked.";
/// let tokens = newsgraph_text::tokenize(text);
/// let sentences = newsgraph_text::split_sentences(text, &tokens);
/// assert_eq!(sentences, [0..6, 6..9]);
/// ```
pub fn split_sentences(text: &str, tokens: &[TextRange]) -> Vec<Range<u32>> {
    let mut out = Vec::with_capacity(tokens.len() / 16 + 1);
    let mut start = 0usize;
    let mut i = 0usize;
    while i < tokens.len() {
        let end = match boundary_after(text, tokens, i) {
            Some(end) => end,
            None => {
                i += 1;
                continue;
            }
        };
        out.push(start as u32..end as u32);
        start = end;
        i = end;
    }
    if start < tokens.len() {
        out.push(start as u32..tokens.len() as u32);
    }
    let max = max_sentence_tokens();
    if out.iter().any(|s| (s.end - s.start) as usize > max) {
        out = cap_sentences(text, tokens, out, max);
    }
    out
}

/// Cuts sentences longer than `max` tokens: after the last comma, semicolon,
/// colon or dash in the second half of each `max`-token window, else at `max`.
fn cap_sentences(
    text: &str,
    tokens: &[TextRange],
    sentences: Vec<Range<u32>>,
    max: usize,
) -> Vec<Range<u32>> {
    let max = max.max(2);
    let mut out = Vec::with_capacity(sentences.len() + 1);
    for s in sentences {
        let (mut start, end) = (s.start as usize, s.end as usize);
        while end - start > max {
            let limit = start + max;
            let soft = (start + max / 2..limit).rev().find(|&i| {
                matches!(
                    tokens[i].slice(text),
                    "," | ";" | ":" | "-" | "--" | "\u{2013}" | "\u{2014}"
                )
            });
            let cut = soft.map_or(limit, |i| i + 1);
            out.push(start as u32..cut as u32);
            start = cut;
        }
        out.push(start as u32..end as u32);
    }
    out
}

/// How the gap between two tokens breaks lines.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Gap {
    /// No whitespace at all.
    None,
    /// Spaces, no line break.
    Space,
    /// One line break.
    Line,
    /// A line holding only whitespace: a paragraph break.
    Paragraph,
}

fn gap(text: &str, a: TextRange, b: TextRange) -> Gap {
    let between = &text.as_bytes()[a.end as usize..b.start as usize];
    if between.is_empty() {
        return Gap::None;
    }
    let newlines = between.iter().filter(|&&c| c == b'\n').count();
    // "\r\r" (old Mac) and Unicode paragraph separators count too.
    let crs = if newlines == 0 {
        between.iter().filter(|&&c| c == b'\r').count()
    } else {
        0
    };
    let para_sep = between.windows(3).any(|w| w == "\u{2029}".as_bytes());
    match newlines.max(crs) {
        _ if para_sep => Gap::Paragraph,
        0 => Gap::Space,
        1 => Gap::Line,
        _ => Gap::Paragraph,
    }
}

fn is_closing(s: &str) -> bool {
    matches!(
        s,
        "\"" | "'" | "”" | "’" | "»" | "›" | ")" | "]" | "}" | "''" | "\"\"" | "'\""
    )
}

fn is_terminal(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b.iter().all(|&c| matches!(c, b'!' | b'?'))
            || b.iter().all(|&c| c == b'.')
            || s == "…"
            || s == "。"
            || s == "！"
            || s == "？")
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// Words that, capitalized, usually start a sentence rather than continue a name:
/// used after abbreviations that may or may not end a sentence ("in the U.S. The next day").
fn is_sentence_starter(word: &str) -> bool {
    const STARTERS: &[&str] = &[
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "You",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "My",
        "But",
        "And",
        "Or",
        "So",
        "In",
        "On",
        "At",
        "As",
        "After",
        "Before",
        "For",
        "If",
        "When",
        "While",
        "What",
        "Why",
        "How",
        "Who",
        "Where",
        "Yet",
        "Still",
        "Meanwhile",
        "However",
        "Some",
        "Many",
        "Most",
        "Both",
        "All",
        "Also",
        "Then",
        "Now",
        "Thus",
        "Since",
        "Although",
        "Though",
        "Because",
        "Such",
        "Each",
        "Every",
        "Other",
        "Another",
        "Last",
        "Next",
        "Earlier",
        "Later",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Officials",
        "Please",
        "Thanks",
        "Thank",
        "Do",
        "Does",
        "Did",
        "Is",
        "Are",
        "Was",
        "Were",
        "Let",
        "Here",
        "Not",
        "No",
        "Yes",
        "One",
        "Two",
        "Under",
        "By",
        "From",
        "With",
        "Without",
        "To",
        "Of",
        "Despite",
    ];
    STARTERS.contains(&word)
}

/// If a sentence ends after token `i` (possibly extended over closing quotes and
/// brackets), the index one past its last token.
fn boundary_after(text: &str, tokens: &[TextRange], i: usize) -> Option<usize> {
    let n = tokens.len();
    if i + 1 >= n {
        return None;
    }
    let tok = tokens[i].slice(text);
    let next_gap = gap(text, tokens[i], tokens[i + 1]);
    if next_gap == Gap::Paragraph {
        return Some(i + 1);
    }

    if is_terminal(tok) {
        // Closing quotes and brackets right after the full stop belong to this sentence.
        let mut end = i + 1;
        while end < n
            && gap(text, tokens[end - 1], tokens[end]) == Gap::None
            && is_closing(tokens[end].slice(text))
        {
            end += 1;
        }
        // Citation markers after the full stop ("... in 1971. [1] [2]") belong to it.
        while end + 2 < n
            && gap(text, tokens[end - 1], tokens[end]) != Gap::Paragraph
            && gap(text, tokens[end], tokens[end + 1]) == Gap::None
            && tokens[end].slice(text) == "["
            && tokens[end + 1]
                .slice(text)
                .bytes()
                .all(|c| c.is_ascii_digit())
            && tokens[end + 2].slice(text) == "]"
            && gap(text, tokens[end + 1], tokens[end + 2]) == Gap::None
        {
            end += 3;
        }
        if end >= n {
            return None;
        }
        // Invariant: a paragraph break always ends the sentence, whatever follows it.
        if gap(text, tokens[end - 1], tokens[end]) == Gap::Paragraph {
            return Some(end);
        }
        // "1. Introduction", "2. The attachment ...": a number opening a line or paragraph.
        // "... open issue. 5. In Section 6": a list label after a sentence end.
        if tok == "."
            && i > 0
            && is_number(tokens[i - 1].slice(text))
            && (starts_line(text, tokens, i - 1) || i > 1 && is_terminal(tokens[i - 2].slice(text)))
        {
            return None;
        }
        // An emoticon after the full stop ends the sentence with it ("... a great time. :)").
        if is_emoticon(tokens[end].slice(text)) && end + 1 < n {
            return Some(end + 1);
        }
        let next = tokens[end].slice(text);
        let c = first_char(next);
        if gap(text, tokens[end - 1], tokens[end]) == Gap::None && c.is_alphanumeric() {
            // "Yahoo!Mail", "end.Next": not a boundary without a space.
            return None;
        }
        if c.is_lowercase() {
            // After a plain full stop a lowercase word still starts a sentence in
            // informal text ("in florida. i am"); after "?" or "!" or a closing quote it
            // usually continues it ("\"Why?\" he asked").
            return (end == i + 1 && (tok == "." || tok.starts_with(['?', '!']))).then_some(end);
        }
        // Spaced ellipses (". . .") and repeated marks ("? ? ?") continue the run.
        if is_terminal(next) && !next.starts_with("..")
            || matches!(next, "," | ";" | ":" | ")" | "]" | "%")
        {
            return None;
        }
        if tok.starts_with('.') && tok.len() > 1 || tok == "…" {
            // An ellipsis ends a sentence only before a capitalized word or a quote.
            if !(c.is_uppercase() || matches!(next, "\"" | "“" | "‘" | "'")) {
                return None;
            }
        }
        return Some(end);
    }

    if is_emoticon(tok) && next_gap != Gap::None {
        let c = first_char(tokens[i + 1].slice(text));
        return c.is_uppercase().then_some(i + 1);
    }

    // An abbreviation with its period: "U.S." may end a sentence, "Mr." may not.
    if tok.len() > 1 && tok.ends_with('.') {
        let word = &tok[..tok.len() - 1];
        let next = tokens[i + 1].slice(text);
        let kind = abbrev::kind(word, first_char(next).is_ascii_digit());
        return match kind {
            Some(AbbrevKind::Other) if is_sentence_starter(next) || next_gap == Gap::Line => {
                Some(i + 1)
            }
            _ => None,
        };
    }

    // A single line break after a line without final punctuation: a headline, a
    // dateline or a list item ends there when the next line starts like a sentence.
    if next_gap == Gap::Line {
        let next = tokens[i + 1].slice(text);
        let c = first_char(next);
        let line_start = text[..tokens[i].end as usize]
            .rfind('\n')
            .map_or(0, |p| p + 1);
        let line_len = tokens[i].end as usize - line_start;
        let starts_item = matches!(next, "-" | "*" | "•" | "–" | "—" | "·");
        // A wrapped line usually ends inside a phrase: on a lowercase word or a comma.
        let last = first_char(tok);
        let line_ends_open =
            last.is_lowercase() || matches!(tok, "," | ";" | ":" | "(" | "-" | "&");
        let starts_like_sentence = c.is_uppercase() || c.is_ascii_digit() || is_opening_quote(next);
        if starts_item || (starts_like_sentence && !line_ends_open && line_len < 60) {
            return Some(i + 1);
        }
    }
    None
}

/// Whether token `k` is the first token of a line (or of the text).
fn starts_line(text: &str, tokens: &[TextRange], k: usize) -> bool {
    k == 0 || text.as_bytes()[tokens[k - 1].end as usize..tokens[k].start as usize].contains(&b'\n')
}

/// "3", "2.1": digits, possibly with inner periods.
fn is_number(s: &str) -> bool {
    s.len() <= 6
        && s.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && s.as_bytes()[0].is_ascii_digit()
}

fn is_emoticon(s: &str) -> bool {
    matches!(
        s,
        ":)" | ":-)"
            | ":("
            | ":-("
            | ";)"
            | ";-)"
            | ":D"
            | ":-D"
            | ":P"
            | ":p"
            | "=)"
            | "^_^"
            | "<3"
            | "XD"
            | "xD"
    )
}

fn is_opening_quote(s: &str) -> bool {
    matches!(s, "\"" | "“" | "‘" | "«")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize;

    fn sents(text: &str) -> Vec<String> {
        let toks = tokenize(text);
        split_sentences(text, &toks)
            .into_iter()
            .map(|r| {
                let a = toks[r.start as usize].start as usize;
                let b = toks[r.end as usize - 1].end as usize;
                text[a..b].to_string()
            })
            .collect()
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn overlong_sentences_are_cut_at_a_comma_or_the_limit() {
        // 10 words then a comma, 25 times: one sentence of 275 tokens.
        let text = "one two three four five six seven eight nine ten, ".repeat(25);
        let tokens = tokenize(&text);
        let whole = split_sentences(&text, &tokens);
        assert_eq!(whole, [0..275]);
        let capped = cap_sentences(&text, &tokens, whole, 100);
        // The last comma within the second half of each 100-token window.
        assert_eq!(capped, [0..99, 99..198, 198..275]);
        assert_eq!(tokens[98].slice(&text), ",");
        // No comma at all: cut at the limit.
        let text = "word ".repeat(250);
        let tokens = tokenize(&text);
        let capped = cap_sentences(&text, &tokens, vec![0..250], 100);
        assert_eq!(capped, [0..100, 100..200, 200..250]);
        assert_eq!(max_sentence_tokens(), DEFAULT_MAX_SENTENCE_TOKENS);
    }

    #[test]
    fn full_stops_and_abbreviations() {
        assert_eq!(
            sents("Gen. Smith met U.S. officials on Monday. J. R. Tolkien wrote it. Mr. Jones agreed."),
            [
                "Gen. Smith met U.S. officials on Monday.",
                "J. R. Tolkien wrote it.",
                "Mr. Jones agreed."
            ]
        );
        assert_eq!(
            sents("He flew to the U.S. The next day he left."),
            ["He flew to the U.S.", "The next day he left."]
        );
        assert_eq!(
            sents("He lives at No. 5 Main St. in town."),
            ["He lives at No. 5 Main St. in town."]
        );
    }

    #[test]
    fn quotes_after_full_stop() {
        assert_eq!(
            sents("\"We will win,\" he said. \"It is over.\" Then he left."),
            [
                "\"We will win,\" he said.",
                "\"It is over.\"",
                "Then he left."
            ]
        );
        assert_eq!(
            sents("“It is over.” Then he left (finally.) Good!"),
            ["“It is over.”", "Then he left (finally.)", "Good!"]
        );
        assert_eq!(sents("\"Why?\" he asked."), ["\"Why?\" he asked."]);
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            sents("Well... maybe. And then… Nothing."),
            ["Well... maybe.", "And then…", "Nothing."]
        );
    }

    #[test]
    fn paragraph_break_before_an_emoticon_or_citation_still_ends_the_sentence() {
        for text in [
            "It ended.\n \n:) Then more.",
            "It ended. \n\n[1] Notes here.",
            "Done.\r\n\r\n:)\n\nNext",
        ] {
            let tokens = crate::tokenize(text);
            let sentences = split_sentences(text, &tokens);
            for s in &sentences {
                let span = &text[tokens[s.start as usize].start as usize
                    ..tokens[s.end as usize - 1].end as usize];
                assert!(
                    span.matches('\n').count() < 2,
                    "{span:?} crosses a paragraph break"
                );
            }
        }
    }

    #[test]
    fn paragraph_breaks_always_end_a_sentence() {
        assert_eq!(
            sents("Kerry in Sochi\n\nThe talks lasted"),
            ["Kerry in Sochi", "The talks lasted"]
        );
        assert_eq!(sents("Mr.\n \nSmith"), ["Mr.", "Smith"]);
        assert_eq!(
            sents("SOCHI, Russia (AP)\nU.S. Secretary of State John Kerry met Putin in\nSochi on Tuesday."),
            ["SOCHI, Russia (AP)", "U.S. Secretary of State John Kerry met Putin in\nSochi on Tuesday."]
        );
    }

    #[test]
    fn empty_and_single() {
        assert!(split_sentences("", &[]).is_empty());
        assert_eq!(sents("Hello"), ["Hello"]);
    }
}
