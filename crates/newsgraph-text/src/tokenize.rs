//! A byte-level tokenizer that cuts text into UD English surface tokens.
//!
//! The scanner works on one whitespace-delimited chunk at a time and, inside
//! it, on one token at a time: a word (letters and digits with the connectors
//! UD keeps inside words), a URL, an e-mail address, a handle or hashtag, an
//! emoticon, or punctuation. Clitics stay in their surface token ("don't",
//! "Bush's") as in the UD English treebanks, where they are multi-word tokens;
//! [`crate::split_words`] gives the syntactic words.

use newsgraph_core::TextRange;

use crate::abbrev;

/// Tokens of `text` as byte ranges, in order, non-overlapping, on char boundaries,
/// never covering whitespace.
///
/// ```
/// let text = "Mr. Kerry didn't say.";
/// let tokens: Vec<&str> = newsgraph_text::tokenize(text).iter().map(|t| t.slice(text)).collect();
/// assert_eq!(tokens, ["Mr.", "Kerry", "didn't", "say", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<TextRange> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut out);
    out
}

/// Like [`tokenize`], appending to `out` (which is not cleared) so a buffer can be reused.
pub fn tokenize_into(text: &str, out: &mut Vec<TextRange>) {
    assert!(
        text.len() <= u32::MAX as usize,
        "text of {} bytes is too long for u32 offsets",
        text.len()
    );
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (ws, n) = space_at(text, i);
        if ws {
            i += n;
            continue;
        }
        // A chunk: the run of non-whitespace starting at `i`.
        let chunk_end = chunk_end(text, i);
        let chunk_start = i;
        while i < chunk_end {
            let end = token_end(text, chunk_start, i, chunk_end);
            debug_assert!(end > i && end <= chunk_end);
            let end = extend_marks(text, end, chunk_end);
            out.push(TextRange::new(i, end));
            i = end;
        }
    }
}

/// Whether the char at byte `i` is whitespace, and its length in bytes.
#[inline]
fn space_at(text: &str, i: usize) -> (bool, usize) {
    let c = text.as_bytes()[i];
    if c < 0x80 {
        (matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), 1)
    } else {
        let ch = char_at(text, i);
        (ch.is_whitespace(), ch.len_utf8())
    }
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

/// The char ending just before byte `i` (which must be a char boundary > 0).
#[inline]
fn char_before(text: &str, i: usize) -> char {
    text[..i].chars().next_back().unwrap_or('\0')
}

fn chunk_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                break;
            }
            i += 1;
        } else {
            let ch = char_at(text, i);
            if ch.is_whitespace() {
                break;
            }
            i += ch.len_utf8();
        }
    }
    i
}

/// Letters and digits of any script, and `_`.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        c.is_alphanumeric()
    }
}

/// Word char at byte `i` (false at or past `end`).
#[inline]
fn word_at(text: &str, i: usize, end: usize) -> bool {
    if i >= end {
        return false;
    }
    let c = text.as_bytes()[i];
    if c < 0x80 {
        c.is_ascii_alphanumeric() || c == b'_'
    } else {
        is_word_char(char_at(text, i))
    }
}

#[inline]
fn digit_at(b: &[u8], i: usize, end: usize) -> bool {
    i < end && b[i].is_ascii_digit()
}

/// Combining marks, variation selectors, joiners and skin-tone modifiers: they
/// belong to the token before them.
#[inline]
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x200C | 0x200D | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F | 0xE0100..=0xE01EF)
        || (!c.is_alphanumeric() && is_combining_category(c))
}

/// Nonspacing marks outside the ranges above that `is_alphanumeric` does not cover
/// (most Indic and other script marks are Alphabetic and so already word chars).
#[inline]
fn is_combining_category(c: char) -> bool {
    matches!(c as u32, 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F)
}

/// Extend a token over following marks (and, after a zero-width joiner, over the
/// joined char: emoji ZWJ sequences stay one token).
fn extend_marks(text: &str, mut end: usize, chunk_end: usize) -> usize {
    let b = text.as_bytes();
    while end < chunk_end && b[end] >= 0x80 {
        let c = char_at(text, end);
        if !is_mark(c) {
            break;
        }
        end += c.len_utf8();
        if c == '\u{200D}' && end < chunk_end {
            end += char_at(text, end).len_utf8();
        }
    }
    end
}

/// The end of the token that starts at byte `i` inside the chunk `chunk_start..chunk_end`.
fn token_end(text: &str, chunk_start: usize, i: usize, chunk_end: usize) -> usize {
    let b = text.as_bytes();
    let c = b[i];
    if c < 0x80 {
        if c.is_ascii_alphanumeric() || c == b'_' {
            if let Some(end) = url_end(text, i, chunk_end) {
                return end;
            }
            if let Some(end) = email_end(text, i, chunk_end) {
                return end;
            }
            return word_end(text, i, chunk_end);
        }
        if i == chunk_start {
            if let Some(end) = emoticon_end(b, i, chunk_end) {
                return end;
            }
        }
        if c == b'\'' && is_decade(b, i + 1, chunk_end) {
            return decade_end(b, i + 1, chunk_end);
        }
        if c == b'\'' {
            if let Some(end) = detached_clitic_end(b, i + 1, chunk_end) {
                return end;
            }
        }
        return punct_end(text, i, chunk_end);
    }
    let ch = char_at(text, i);
    if is_word_char(ch) {
        if let Some(end) = email_end(text, i, chunk_end) {
            return end;
        }
        return word_end(text, i, chunk_end);
    }
    // "’72": an apostrophe standing for a century.
    if ch == '’' && is_decade(b, i + 3, chunk_end) {
        return decade_end(b, i + 3, chunk_end);
    }
    if ch == '’' {
        if let Some(end) = detached_clitic_end(b, i + 3, chunk_end) {
            return end;
        }
    }
    // Other non-ASCII: curly quotes, dashes, ellipsis, symbols, emoji: one char each,
    // except doubled single quotes ("‘‘", "’’") standing for a double quote.
    let n = ch.len_utf8();
    if matches!(ch, '‘' | '’') && b[i + n..chunk_end].starts_with(&b[i..i + n]) {
        return i + 2 * n;
    }
    i + n
}

/// A clitic written apart from its host ("Bush 's"): the letters after the
/// apostrophe at `i`, when they are a clitic and end the word.
fn detached_clitic_end(b: &[u8], i: usize, end: usize) -> Option<usize> {
    let mut j = i;
    while j < end && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    let ends_word = j == end || (b[j] < 0x80 && !b[j].is_ascii_alphanumeric() && b[j] != b'\'');
    let clitic = ["s", "re", "ve", "ll", "d", "m"]
        .iter()
        .any(|c| c.as_bytes().eq_ignore_ascii_case(&b[i..j]));
    (ends_word && clitic).then_some(j)
}

/// Two digits (and an optional "s") after an apostrophe: "'72", "’90s".
fn is_decade(b: &[u8], i: usize, end: usize) -> bool {
    let j = decade_end(b, i, end);
    j > i && (j == end || !b[j].is_ascii_alphanumeric())
}

fn decade_end(b: &[u8], i: usize, end: usize) -> usize {
    if i + 2 <= end && b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() {
        if i + 2 < end && b[i + 2] == b's' {
            i + 3
        } else {
            i + 2
        }
    } else {
        i
    }
}

/// ASCII punctuation and symbols: runs of the same mark are one token
/// ("...", "--", "!!!", "?!", "**"), `#tag` and `@handle` are kept whole.
fn punct_end(text: &str, i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let c = b[i];
    match c {
        b'#' | b'@' if word_at(text, i + 1, end) && !digit_at(b, i + 1, end) => {
            let mut j = i + 1;
            while j < end {
                let ch = char_at(text, j);
                if !is_word_char(ch) {
                    break;
                }
                j += ch.len_utf8();
            }
            j
        }
        b'!' | b'?' => {
            let mut j = i + 1;
            while j < end && matches!(b[j], b'!' | b'?') {
                j += 1;
            }
            j
        }
        b'.' | b'-' | b'=' | b'*' | b'<' | b'>' | b'~' | b'#' | b'+' | b'`' | b'\'' | b'/'
        | b'^' | b'_' | b'|' => {
            let mut j = i + 1;
            while j < end && b[j] == c {
                j += 1;
            }
            j
        }
        _ => i + 1,
    }
}

/// Emoticons at the start of a chunk, when the chunk ends right after them or
/// only closing punctuation follows.
fn emoticon_end(b: &[u8], i: usize, end: usize) -> Option<usize> {
    const EMOTICONS: &[&[u8]] = &[
        b":-)", b":-(", b";-)", b":-D", b":-P", b":-p", b":'(", b":')", b"^_^", b"^^", b":)",
        b":(", b";)", b":D", b":P", b":p", b":/", b"=)", b"=(", b"(:", b"):", b"<3", b":|", b";(",
        b":-/", b"XD", b"xD", b"-_-", b":O", b":o",
    ];
    let rest = &b[i..end];
    for e in EMOTICONS {
        if rest.starts_with(e) {
            let after = i + e.len();
            if after == end || matches!(b[after], b'.' | b',' | b'!' | b'?' | b')' | b';') {
                // "(:" and "):" only alone, so "(:" never eats the paren of "(:foo".
                if (e[0] == b'(' || e[1] == b':') && after != end {
                    continue;
                }
                return Some(after);
            }
        }
    }
    None
}

/// A URL starting at `i`: `http://`, `https://`, `ftp://` or `www.`, to the end of
/// the chunk less trailing punctuation (and a closing bracket it does not open).
fn url_end(text: &str, i: usize, end: usize) -> Option<usize> {
    let b = text.as_bytes();
    let rest = &b[i..end];
    let starts = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if !(starts(b"http://") || starts(b"https://") || starts(b"ftp://") || starts(b"www.")) {
        return None;
    }
    let mut j = end;
    loop {
        let last = char_before(text, j);
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '’' | '”' | '»' => true,
            ')' | ']' => {
                let (open, close) = if last == ')' {
                    (b'(', b')')
                } else {
                    (b'[', b']')
                };
                let s = &b[i..j];
                s.iter().filter(|&&x| x == close).count() > s.iter().filter(|&&x| x == open).count()
            }
            _ => false,
        };
        if !trim || j - last.len_utf8() <= i + 4 {
            break;
        }
        j -= last.len_utf8();
    }
    Some(j)
}

/// An e-mail address starting at `i` ("carol.st.clair@enron.com", "Rice@ENRON").
fn email_end(text: &str, i: usize, end: usize) -> Option<usize> {
    let b = text.as_bytes();
    let at = i + memchr_at(&b[i..end])?;
    // Local part: word chars and . - + %.
    let local_ok = b[i..at]
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'%' | b'_'));
    if !local_ok || at == i || !word_at(text, at + 1, end) {
        return None;
    }
    let mut j = at + 1;
    while j < end && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'.' | b'-' | b'_')) {
        j += 1;
    }
    while matches!(b[j - 1], b'.' | b'-') {
        j -= 1;
    }
    Some(j)
}

#[inline]
fn memchr_at(s: &[u8]) -> Option<usize> {
    s.iter().position(|&c| c == b'@')
}

/// Units and suffixes written after a number ("5pm", "$3bn", "10km") that UD
/// English makes tokens of their own; ordinals ("5th") and plurals ("1990s") stay.
fn is_unit_after_number(b: &[u8], i: usize, end: usize) -> bool {
    const UNITS: &[&[u8]] = &[
        b"m", b"pm", b"am", b"k", b"b", b"bn", b"mn", b"mm", b"cm", b"km", b"kg", b"g", b"ft",
        b"lb", b"lbs", b"mph", b"kph", b"hz", b"khz", b"mhz", b"ghz", b"kb", b"mb", b"gb", b"tb",
        b"sq", b"min", b"mins", b"hrs", b"x", b"kw", b"mw", b"gw", b"kwh", b"mwh",
    ];
    let mut j = i;
    while j < end && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    (j == end || !b[j].is_ascii_alphanumeric() && b[j] < 0x80)
        && UNITS.iter().any(|u| u.eq_ignore_ascii_case(&b[i..j]))
}

/// Prefixes that UD English keeps attached by a hyphen ("non-avian", "e-mail",
/// "pro-Beijing"); other hyphens between words are tokens of their own.
fn is_hyphen_prefix(seg: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[
        b"e", b"non", b"pre", b"post", b"pro", b"anti", b"co", b"re", b"mid", b"multi", b"ex",
        b"semi", b"sub", b"cross", b"counter", b"mini", b"inter", b"neo", b"socio", b"over", b"bi",
        b"tri", b"intra", b"trans", b"ultra", b"quasi", b"micro", b"macro", b"uni", b"pseudo",
        b"extra", b"infra", b"meta",
    ];
    seg.len() <= 7 && PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(seg))
}

/// Digits joined by hyphens that UD keeps as one token: phone numbers and dates
/// ("713-853-3989", "944-3737", "2015-05-12"), not ranges ("5-10", "1990-2000").
fn digit_chain_joins(b: &[u8], start: usize, end: usize) -> bool {
    let mut lens = [0usize; 4];
    let mut n = 0;
    let mut j = start;
    loop {
        let s = j;
        while j < end && b[j].is_ascii_digit() {
            j += 1;
        }
        if n < lens.len() {
            lens[n] = j - s;
        }
        n += 1;
        if j + 1 < end && b[j] == b'-' && b[j + 1].is_ascii_digit() {
            j += 1;
        } else {
            break;
        }
    }
    n >= 3 || (n == 2 && lens[0] == 3 && lens[1] == 4)
}

/// A word: letters and digits, with the connectors UD English keeps inside a token.
fn word_end(text: &str, start: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let mut i = start;
    // Start of the current hyphen-separated segment.
    let mut seg = start;
    let mut all_digits = true;
    let mut digit_chain = false;
    loop {
        // A run of word chars.
        while i < end {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() || c == b'_' {
                    if all_digits
                        && c.is_ascii_alphabetic()
                        && i > start
                        && is_unit_after_number(b, i, end)
                    {
                        // "$170m", "5pm", "10kg": UD splits the unit off the number.
                        return i;
                    }
                    all_digits &= c.is_ascii_digit();
                    i += 1;
                } else {
                    break;
                }
            } else {
                let ch = char_at(text, i);
                if is_word_char(ch) || is_mark(ch) {
                    all_digits = false;
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
        }
        if i >= end {
            return i;
        }
        let prev_digit = b[i - 1].is_ascii_digit();
        match b[i] {
            // "U.S", "3.5", "enron.com": periods between word chars stay inside.
            b'.' if word_at(text, i + 1, end) => i += 1,
            // "1,000" but not "1,2" lists or "yes,no".
            b',' if prev_digit
                && all_digits
                && digit_at(b, i + 3, end)
                && digit_at(b, i + 1, end)
                && digit_at(b, i + 2, end)
                && !digit_at(b, i + 4, end) =>
            {
                i += 1
            }
            b':' if prev_digit && digit_at(b, i + 1, end) => i += 1,
            b'/' if prev_digit && all_digits && digit_at(b, i + 1, end) => i += 1,
            b'&' if word_at(text, i + 1, end) && b[i - 1].is_ascii_alphanumeric() => {
                all_digits = false;
                i += 1
            }
            // A cut-off word ("th- there", "pro- and anti-war") keeps its hyphen.
            b'-' if i + 1 == end && !all_digits => return end,
            b'-' if word_at(text, i + 1, end) => {
                let joins = if prev_digit && digit_at(b, i + 1, end) && all_digits {
                    digit_chain = digit_chain || digit_chain_joins(b, start, end);
                    digit_chain
                } else {
                    is_hyphen_prefix(&b[seg..i])
                };
                if !joins {
                    return i;
                }
                i += 1;
                seg = i;
            }
            b'\'' => {
                if letter_at(text, i + 1, end) {
                    all_digits = false;
                    i += 1;
                } else {
                    return possessive_end(b, i, 1, end);
                }
            }
            // ’ (U+2019) as an apostrophe.
            0xE2 if b[i..end].starts_with("’".as_bytes()) => {
                if letter_at(text, i + 3, end) {
                    all_digits = false;
                    i += 3;
                } else {
                    return possessive_end(b, i, 3, end);
                }
            }
            b'.' => return period_end(text, start, i, end),
            _ => return i,
        }
    }
}

#[inline]
fn letter_at(text: &str, i: usize, end: usize) -> bool {
    i < end && char_at(text, i).is_alphabetic()
}

/// "leaders'": an apostrophe (of `len` bytes at `i`) after a plural s is the
/// possessive and stays in the word, when nothing but punctuation follows.
fn possessive_end(b: &[u8], i: usize, len: usize, end: usize) -> usize {
    if matches!(b[i - 1], b's' | b'S') && (i + len == end || !b[i + len].is_ascii_alphanumeric()) {
        i + len
    } else {
        i
    }
}

/// The word `start..i` is followed by a period at `i`: keep the period when the
/// word is an abbreviation ("Mr.", "U.S.", "J."), and not when it starts an ellipsis.
fn period_end(text: &str, start: usize, i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    if i + 1 < end && b[i + 1] == b'.' {
        return i;
    }
    let next_is_digit = next_token_starts_with_digit(text, i + 1);
    if abbrev::kind(&text[start..i], next_is_digit).is_some() {
        i + 1
    } else {
        i
    }
}

/// Whether the first non-space char at or after `i` is an ASCII digit.
fn next_token_starts_with_digit(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    j > i && j < b.len() && b[j].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.slice(text)).collect()
    }

    #[test]
    fn clitics_stay_in_surface_tokens() {
        assert_eq!(
            toks("I can't, won't, don't: I'm sure they're we've you'll he'd."),
            [
                "I", "can't", ",", "won't", ",", "don't", ":", "I'm", "sure", "they're", "we've",
                "you'll", "he'd", "."
            ]
        );
        assert_eq!(toks("Putin’s aides didn’t"), ["Putin’s", "aides", "didn’t"]);
        assert_eq!(toks("the leaders' meeting"), ["the", "leaders'", "meeting"]);
        assert_eq!(toks("o'clock L'Enfant"), ["o'clock", "L'Enfant"]);
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            toks("Mr. Smith of the U.S. met Gen. Jones in Jan. at No. 10 Downing St."),
            [
                "Mr.", "Smith", "of", "the", "U.S.", "met", "Gen.", "Jones", "in", "Jan.", "at",
                "No.", "10", "Downing", "St."
            ]
        );
        assert_eq!(toks("He said no."), ["He", "said", "no", "."]);
        assert_eq!(toks("J. R. Tolkien"), ["J.", "R.", "Tolkien"]);
        assert_eq!(
            toks("e.g. this, i.e. that"),
            ["e.g.", "this", ",", "i.e.", "that"]
        );
        assert_eq!(toks("Acme Inc. said"), ["Acme", "Inc.", "said"]);
        assert_eq!(toks("in the U.S."), ["in", "the", "U.S."]);
        assert_eq!(toks("at 9 a.m. today"), ["at", "9", "a.m.", "today"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1,000 people paid $4.5 million, 10% more, on 2015-05-12 at 9:30."),
            [
                "1,000",
                "people",
                "paid",
                "$",
                "4.5",
                "million",
                ",",
                "10",
                "%",
                "more",
                ",",
                "on",
                "2015-05-12",
                "at",
                "9:30",
                "."
            ]
        );
        assert_eq!(
            toks("5-10 years, call 713-853-3989"),
            ["5", "-", "10", "years", ",", "call", "713-853-3989"]
        );
        assert_eq!(
            toks("on 9/11 and 11/28/2000"),
            ["on", "9/11", "and", "11/28/2000"]
        );
        assert_eq!(toks("1,2,3"), ["1", ",", "2", ",", "3"]);
    }

    #[test]
    fn web_tokens() {
        assert_eq!(
            toks("See http://example.com/a_b?x=1&y=(2). Mail jane.doe@example.org, @jdoe #Elections2016!"),
            [
                "See", "http://example.com/a_b?x=1&y=(2)", ".", "Mail", "jane.doe@example.org", ",",
                "@jdoe", "#Elections2016", "!"
            ]
        );
        assert_eq!(toks("(www.example.com)"), ["(", "www.example.com", ")"]);
        assert_eq!(toks(":) great ;-)"), [":)", "great", ";-)"]);
        assert_eq!(toks("#1"), ["#", "1"]);
    }

    #[test]
    fn punctuation_and_quotes() {
        assert_eq!(
            toks("\"We won,\" he said. “No—never…” Wait... what?! -- yes"),
            [
                "\"", "We", "won", ",", "\"", "he", "said", ".", "“", "No", "—", "never", "…", "”",
                "Wait", "...", "what", "?!", "--", "yes"
            ]
        );
        assert_eq!(toks("(AP)"), ["(", "AP", ")"]);
    }

    #[test]
    fn hyphens_follow_ud_english() {
        assert_eq!(toks("so-called"), ["so", "-", "called"]);
        assert_eq!(
            toks("pro-Russian non-profit e-mail"),
            ["pro-Russian", "non-profit", "e-mail"]
        );
        assert_eq!(toks("al-Qaeda"), ["al", "-", "Qaeda"]);
    }

    #[test]
    fn non_ascii_text() {
        assert_eq!(toks("Zürich, Erdoğan's"), ["Zürich", ",", "Erdoğan's"]);
        assert_eq!(toks("東京で会った。"), ["東京で会った", "。"]);
        assert_eq!(toks("great 👍🏽 👨‍👩‍👧 day"), ["great", "👍🏽", "👨‍👩‍👧", "day"]);
        assert_eq!(toks("a\u{00A0}b\u{3000}c"), ["a", "b", "c"]);
        assert_eq!(toks("e\u{301}te"), ["e\u{301}te"]);
    }
}
