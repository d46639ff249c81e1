//! Quotation marks: pair opening and closing marks into quoted stretches of text.
//!
//! Works on the raw text (no tokens needed), paragraph by paragraph:
//!
//! - double marks: straight `"` (open or close decided by what flanks it, else by
//!   whether a quote is open), curly `“ ”`, low `„`, guillemets `« »`;
//! - single marks used as quotation marks in British style (`‘…’`, `'…'`), told
//!   apart from apostrophes: an opening single mark follows a space or an opening
//!   bracket and precedes a letter; a closing one follows a non-space and precedes a
//!   space or punctuation; a closer that looks like a plural possessive ("the
//!   leaders' decision") is used only when no better closer follows;
//! - a double quote still open at the end of a paragraph continues when the next
//!   paragraph opens with a quotation mark (the newspaper convention); otherwise
//!   it stops at the paragraph's end.
//!
//! Stray marks never produce a quote: a closing mark with nothing open is
//! ignored, an opening mark followed by another opening mark is dropped, and a
//! quote with no letter or digit inside is not a quote.

use newsgraph_core::TextRange;

/// One quoted stretch: one or more parts (a quote continued over paragraphs has
/// one part per paragraph; an interrupted quote is joined later, by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    /// The words inside the marks, trimmed of surrounding spaces.
    /// Invariant: non-empty, sorted, non-overlapping.
    pub parts: Vec<Part>,
    /// Double marks (`"`, `“”`, ...) rather than single (`‘’`, `'`).
    pub double: bool,
}

/// One part of a quote: the inner range and its marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub inner: TextRange,
    /// Byte range of the opening mark.
    pub open: TextRange,
    /// Byte range of the closing mark; `None` when the part runs to the end of
    /// its paragraph (continued in the next one, or never closed).
    pub close: Option<TextRange>,
}

impl Quoted {
    fn empty() -> Quoted {
        Quoted {
            parts: Vec::new(),
            double: true,
        }
    }

    /// From the first opening mark to the last closing mark (or the end of the last part).
    pub fn outer(&self) -> TextRange {
        let first = self.parts[0];
        let last = self.parts[self.parts.len() - 1];
        TextRange::new(
            first.open.start as usize,
            last.close.map_or(last.inner.end, |c| c.end) as usize,
        )
    }

    /// From the start of the first part's words to the end of the last part's.
    pub fn inner(&self) -> TextRange {
        self.parts[0]
            .inner
            .cover(self.parts[self.parts.len() - 1].inner)
    }
}

/// Paragraphs of `text` as byte ranges: separated by a blank line (two line
/// breaks with only spaces between) or U+2029; when the text has no blank line
/// at all, each line is a paragraph.
pub fn paragraphs(text: &str) -> Vec<TextRange> {
    let blank = has_blank_line(text);
    let mut out = Vec::new();
    let mut start = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let brk = if bytes[i] == 0xE2 && text[i..].starts_with('\u{2029}') {
            Some(i + '\u{2029}'.len_utf8())
        } else if bytes[i] == b'\n' {
            if blank {
                // A line break followed by optional spaces and another line break.
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                    j += 1;
                }
                (j < bytes.len() && bytes[j] == b'\n').then_some(j + 1)
            } else {
                Some(i + 1)
            }
        } else {
            None
        };
        match brk {
            Some(next) => {
                push_trimmed(text, start, i, &mut out);
                start = next;
                i = next;
            }
            // Only ASCII bytes and the first byte of U+2029 matter; continuation
            // bytes never equal either, so stepping bytewise is safe.
            None => i += 1,
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn has_blank_line(text: &str) -> bool {
    let mut last_nl = false;
    for c in text.chars() {
        match c {
            '\n' if last_nl => return true,
            '\n' => last_nl = true,
            ' ' | '\t' | '\r' => {}
            '\u{2029}' => return true,
            _ => last_nl = false,
        }
    }
    false
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<TextRange>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if !t.is_empty() {
        out.push(TextRange::new(start + lead, start + lead + t.len()));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Open,
    Close,
    /// Could be either: decided by whether a quote is open.
    Either,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    len: usize,
    dir: Dir,
}

/// Find every quoted stretch of `text`, in text order.
pub fn find(text: &str) -> Vec<Quoted> {
    let paras = paragraphs(text);
    let mut out: Vec<Quoted> = Vec::new();
    // A double quote left open at the end of the previous paragraph, which
    // this paragraph reopens. Invariant: while set, the only open mark of this
    // paragraph that may continue it is the one that starts the paragraph.
    let mut carry: Option<Quoted> = None;
    for (pi, &para) in paras.iter().enumerate() {
        let mut open: Option<Mark> = None;
        let mut first = true;
        for m in double_marks(text, para) {
            let dir = match m.dir {
                Dir::Either if open.is_some() => Dir::Close,
                Dir::Either => Dir::Open,
                d => d,
            };
            match dir {
                Dir::Open => {
                    if !(first && is_paragraph_start(text, para, m.at)) {
                        flush(&mut carry, &mut out);
                    }
                    // An opening mark while one is open: the earlier one was stray.
                    open = Some(m);
                }
                Dir::Close => {
                    if let Some(o) = open.take() {
                        match part(text, o, Some(m), m.at) {
                            Some(p) => {
                                let mut q = carry.take().unwrap_or_else(Quoted::empty);
                                q.parts.push(p);
                                out.push(q);
                            }
                            None => flush(&mut carry, &mut out),
                        }
                    }
                }
                Dir::Either => {}
            }
            first = false;
        }
        match open.and_then(|o| part(text, o, None, para.end as usize)) {
            Some(p) => {
                let mut q = carry.take().unwrap_or_else(Quoted::empty);
                q.parts.push(p);
                let next_reopens = paras
                    .get(pi + 1)
                    .is_some_and(|n| starts_with_open_mark(n.slice(text)));
                if next_reopens {
                    carry = Some(q);
                } else {
                    out.push(q);
                }
            }
            None => flush(&mut carry, &mut out),
        }
    }
    flush(&mut carry, &mut out);
    let mut singles = single_quotes(text, &paras, &out);
    out.append(&mut singles);
    out.sort_by_key(|q| q.parts[0].open.start);
    out
}

fn is_paragraph_start(text: &str, para: TextRange, at: usize) -> bool {
    text[para.start as usize..at].trim().is_empty()
}

fn flush(pending: &mut Option<Quoted>, out: &mut Vec<Quoted>) {
    if let Some(q) = pending.take() {
        out.push(q);
    }
}

fn starts_with_open_mark(s: &str) -> bool {
    matches!(s.chars().next(), Some('"' | '“' | '„' | '«'))
}

/// The part between opening mark `o` and closing mark `c` (or `end`), trimmed;
/// `None` when it holds no letter or digit.
fn part(text: &str, o: Mark, c: Option<Mark>, end: usize) -> Option<Part> {
    let start = o.at + o.len;
    let end = c.map_or(end, |c| c.at);
    if end <= start {
        return None;
    }
    let s = &text[start..end];
    if !s.chars().any(char::is_alphanumeric) {
        return None;
    }
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    Some(Part {
        inner: TextRange::new(start + lead, start + lead + t.len()),
        open: TextRange::new(o.at, o.at + o.len),
        close: c.map(|c| TextRange::new(c.at, c.at + c.len)),
    })
}

fn prev_char(text: &str, at: usize, floor: usize) -> Option<char> {
    text[floor..at].chars().next_back()
}

fn next_char(text: &str, at: usize, ceil: usize) -> Option<char> {
    text[at..ceil].chars().next()
}

/// Opening context: start of paragraph, a space, an opening bracket or a dash.
fn left_open(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':'),
    }
}

/// Closing context: end of paragraph, a space or punctuation that follows words.
fn right_close(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…'
                )
        }
    }
}

fn double_marks(text: &str, para: TextRange) -> Vec<Mark> {
    let (lo, hi) = (para.start as usize, para.end as usize);
    let mut out = Vec::new();
    for (off, c) in text[lo..hi].char_indices() {
        let at = lo + off;
        let len = c.len_utf8();
        let prev = prev_char(text, at, lo);
        let next = next_char(text, at + len, hi);
        let (lf, rf) = (left_open(prev), right_close(next));
        let dir = match c {
            '"' => {
                // 5'10" or a 12" screen: inches, not a quotation mark.
                if prev.is_some_and(|p| p.is_ascii_digit())
                    && !next.is_some_and(char::is_alphanumeric)
                {
                    out.push(Mark {
                        at,
                        len,
                        dir: Dir::Either,
                    });
                    continue;
                }
                match (lf, rf) {
                    (true, false) => Dir::Open,
                    (false, true) => Dir::Close,
                    _ => Dir::Either,
                }
            }
            // Curly marks say which they are, unless their context says the
            // opposite unambiguously (typography from a careless converter).
            '“' | '„' | '«' => {
                if !lf && rf {
                    Dir::Close
                } else {
                    Dir::Open
                }
            }
            '”' | '»' => {
                if lf && !rf {
                    Dir::Open
                } else {
                    Dir::Close
                }
            }
            _ => continue,
        };
        out.push(Mark { at, len, dir });
    }
    // Inches: an Either mark right after a digit only closes an open quote;
    // drop it when nothing is open (decided in `find`'s loop by Either → Open
    // otherwise, which would open a garbage quote).
    let mut open = false;
    out.retain(|m| {
        let inch = m.dir == Dir::Either
            && prev_char(text, m.at, lo).is_some_and(|p| p.is_ascii_digit())
            && !next_char(text, m.at + m.len, hi).is_some_and(char::is_alphanumeric);
        let keep = !inch || open;
        if keep {
            open = match m.dir {
                Dir::Open => true,
                Dir::Close => false,
                Dir::Either => !open,
            };
        }
        keep
    });
    out
}

/// Single quotation marks outside double-quoted text (British style).
fn single_quotes(text: &str, paras: &[TextRange], doubles: &[Quoted]) -> Vec<Quoted> {
    let inside_double = |at: usize| {
        doubles.iter().any(|q| {
            let o = q.outer();
            (o.start as usize) <= at && at < o.end as usize
        })
    };
    let mut out = Vec::new();
    for &para in paras {
        let (lo, hi) = (para.start as usize, para.end as usize);
        // Candidate openers and closers.
        let mut openers = Vec::new();
        let mut closers: Vec<(usize, usize, bool)> = Vec::new(); // (at, len, weak)
        for (off, c) in text[lo..hi].char_indices() {
            if !matches!(c, '\'' | '‘' | '’' | '‚') {
                continue;
            }
            let at = lo + off;
            let len = c.len_utf8();
            if inside_double(at) {
                continue;
            }
            let prev = prev_char(text, at, lo);
            let next = next_char(text, at + len, hi);
            let after = &text[at + len..hi];
            if c != '’'
                && left_open(prev)
                && next.is_some_and(char::is_alphabetic)
                && !is_elision(after)
            {
                openers.push((at, len));
                continue;
            }
            if c != '‘' && prev.is_some_and(|p| !p.is_whitespace()) && right_close(next) {
                // "leaders' decision": a plural possessive, not a closing mark.
                let weak = prev == Some('s')
                    && next.is_some_and(char::is_whitespace)
                    && after
                        .trim_start()
                        .starts_with(|c: char| c.is_alphanumeric());
                closers.push((at, len, weak));
            }
        }
        let mut last_end = lo;
        for &(oat, olen) in &openers {
            if oat < last_end {
                continue;
            }
            let later: Vec<_> = closers.iter().filter(|c| c.0 > oat).collect();
            let Some(&&(cat, clen, _)) = later.iter().find(|c| !c.2).or_else(|| later.first())
            else {
                continue;
            };
            // An opener between this one and its closer means this one was stray.
            if openers.iter().any(|&(o2, _)| o2 > oat && o2 < cat) {
                continue;
            }
            let o = Mark {
                at: oat,
                len: olen,
                dir: Dir::Open,
            };
            let c = Mark {
                at: cat,
                len: clen,
                dir: Dir::Close,
            };
            if let Some(p) = part(text, o, Some(c), cat) {
                out.push(Quoted {
                    parts: vec![p],
                    double: false,
                });
                last_end = cat + clen;
            }
        }
    }
    out
}

/// Words that begin with an apostrophe standing for dropped letters.
fn is_elision(after: &str) -> bool {
    let w: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        w.as_str(),
        "em" | "tis" | "twas" | "n" | "til" | "cause" | "bout" | "round"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<Vec<&str>> {
        find(text)
            .iter()
            .map(|q| q.parts.iter().map(|p| p.inner.slice(text)).collect())
            .collect()
    }

    #[test]
    fn straight_and_curly_double_marks() {
        assert_eq!(
            quotes("\"We won,\" she said. “We lost,” he said."),
            [vec!["We won,"], vec!["We lost,"]]
        );
    }

    #[test]
    fn british_single_marks_and_apostrophes() {
        let t = "‘The ministers' plan won't work,’ said Mr Dale. He's sure.";
        assert_eq!(quotes(t), [vec!["The ministers' plan won't work,"]]);
        let t = "She called it 'a farce' and left the leaders' meeting in the '90s.";
        assert_eq!(quotes(t), [vec!["a farce"]]);
        assert!(quotes("Rock 'n' roll isn't dead, the fans' chant goes.").is_empty());
    }

    #[test]
    fn continued_over_paragraphs() {
        let t = "“It is over. We go home.\n\n“Tomorrow we rest,” he said.\n\nThen “no” came.";
        assert_eq!(
            quotes(t),
            [
                vec!["It is over. We go home.", "Tomorrow we rest,"],
                vec!["no"]
            ]
        );
        let t = "\"One.\n\n\"Two.\n\n\"Three,\" she said.";
        assert_eq!(quotes(t), [vec!["One.", "Two.", "Three,"]]);
    }

    #[test]
    fn unclosed_quote_ends_with_its_paragraph() {
        let t = "He said “we will stay\n\nNext paragraph here.";
        assert_eq!(quotes(t), [vec!["we will stay"]]);
    }

    #[test]
    fn stray_marks_make_no_quotes() {
        for t in [
            "”",
            "“",
            "\"",
            "He is 6'2\" tall.",
            "A “ ” gap and ” stray and “ .",
            "''''\"\"\"“”“”",
            "’Tis the season, ‘",
        ] {
            for q in find(t) {
                for p in &q.parts {
                    assert!(p.inner.slice(t).chars().any(char::is_alphanumeric), "{t:?}");
                }
            }
        }
        assert_eq!(
            quotes("A 12\" screen and \"a deal\" here."),
            [vec!["a deal"]]
        );
    }
}
