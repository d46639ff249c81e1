//! Publication dates as news writes them, normalised to ISO 8601.
//!
//! Two recognisers: a strict numeric one for year-first forms (ISO 8601,
//! RFC 3339, `2015/05/12`) and a token-based one for forms with a month name
//! (`May 12, 2015`, `Tue, 12 May 2015 10:00:00 GMT`, `Sept. 3, 2015`). Numeric
//! day-month orders (`12.05.2015`, `05/12/2015`) are ambiguous and rejected.
//! jiff checks that the date and time exist.

use jiff::civil::{Date, Time};

/// Parses a date or date-time in the forms news sites and feeds use, and
/// returns it as ISO 8601.
///
/// A date alone gives `YYYY-MM-DD`; a date with a time gives RFC 3339
/// (`2015-05-12T10:00:00Z`, or with the offset the input gave, such as
/// `2015-05-12T10:00:00+03:00`). A time without a zone is taken as UTC.
/// Seconds fractions are dropped. Returns `None` for anything not recognised,
/// for ambiguous numeric forms and for dates that do not exist.
///
/// ```
/// use newsgraph_ingest::parse_date;
/// assert_eq!(parse_date("Tue, 12 May 2015 10:00:00 GMT").as_deref(), Some("2015-05-12T10:00:00Z"));
/// assert_eq!(parse_date("Sept. 3, 2015").as_deref(), Some("2015-09-03"));
/// assert_eq!(parse_date("12.05.2015"), None); // 12 May or December 5?
/// assert_eq!(parse_date("2015-02-30"), None);
/// ```
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    // Real dates are short; this bounds the work on junk.
    if s.is_empty() || s.len() > 120 {
        return None;
    }
    let parsed = parse_numeric(s).or_else(|| parse_textual(s))?;
    Some(parsed.render())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed {
    date: Date,
    time: Option<Time>,
    /// Seconds east of UTC; `None` when the input gave a time without a zone.
    offset: Option<i32>,
}

impl Parsed {
    fn render(self) -> String {
        let Some(time) = self.time else {
            return self.date.to_string();
        };
        let clock = format!(
            "{}T{:02}:{:02}:{:02}",
            self.date,
            time.hour(),
            time.minute(),
            time.second()
        );
        match self.offset {
            None | Some(0) => format!("{clock}Z"),
            Some(secs) => {
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.unsigned_abs();
                format!("{clock}{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60)
            }
        }
    }
}

fn make_date(year: u32, month: u32, day: u32) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

fn make_time(hour: u32, minute: u32, second: u32) -> Option<Time> {
    Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()
}

/// A cursor over ASCII bytes for the numeric forms.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.bytes.get(self.pos..self.pos + n)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(
            slice
                .iter()
                .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0')),
        )
    }

    /// One or two ASCII digits.
    fn one_or_two_digits(&mut self) -> Option<u32> {
        let first = self.digits(1)?;
        match self.digits(1) {
            Some(second) => Some(first * 10 + second),
            None => Some(first),
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    fn rest(&self) -> &[u8] {
        &self.bytes[self.pos..]
    }
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, optionally followed by `T` or a
/// space, `HH:MM[:SS[.fff]]` and a zone (`Z`, `UTC`, `GMT`, `±HH:MM`, `±HHMM`, `±HH`).
fn parse_numeric(s: &str) -> Option<Parsed> {
    let mut c = Cursor {
        bytes: s.as_bytes(),
        pos: 0,
    };
    let year = c.digits(4)?;
    let sep = c.peek().filter(|b| matches!(b, b'-' | b'/' | b'.'))?;
    c.pos += 1;
    let month = c.one_or_two_digits()?;
    if !c.eat(sep) {
        return None;
    }
    let day = c.one_or_two_digits()?;
    let date = make_date(year, month, day)?;
    if c.rest().is_empty() {
        return Some(Parsed {
            date,
            time: None,
            offset: None,
        });
    }
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    c.skip_spaces();
    let hour = c.digits(2)?;
    if !c.eat(b':') {
        return None;
    }
    let minute = c.digits(2)?;
    let mut second = 0;
    if c.eat(b':') {
        second = c.digits(2)?;
        if c.eat(b'.') || c.eat(b',') {
            let start = c.pos;
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                c.pos += 1;
            }
            if c.pos == start {
                return None;
            }
        }
    }
    let time = make_time(hour, minute, second)?;
    c.skip_spaces();
    let offset = numeric_zone(c.rest())?;
    Some(Parsed {
        date,
        time: Some(time),
        offset,
    })
}

/// The zone after an ISO time: `Some(None)` when there is none.
fn numeric_zone(rest: &[u8]) -> Option<Option<i32>> {
    let upper = rest.to_ascii_uppercase();
    match upper.as_slice() {
        b"" => Some(None),
        b"Z" | b"UTC" | b"GMT" | b"UT" => Some(Some(0)),
        _ => {
            let rest = upper
                .strip_prefix(b"UTC")
                .or_else(|| upper.strip_prefix(b"GMT"))
                .unwrap_or(&upper);
            parse_offset(rest).map(Some)
        }
    }
}

/// `+03:00`, `-0500`, `+03` as seconds east of UTC; the whole input must match.
fn parse_offset(s: &[u8]) -> Option<i32> {
    let (&sign, rest) = s.split_first()?;
    let sign = match sign {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let mut c = Cursor {
        bytes: rest,
        pos: 0,
    };
    let hours = c.digits(2)?;
    let minutes = if c.rest().is_empty() {
        0
    } else {
        c.eat(b':');
        c.digits(2)?
    };
    if !c.rest().is_empty() || hours > 18 || minutes > 59 {
        return None;
    }
    let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
    Some(sign * secs)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// Lowercase letters, dots removed (`Sept.` -> `sept`, `p.m.` -> `pm`).
    Word(String),
    /// A number and how many digits it was written with; ordinal suffixes dropped.
    Num(u32, usize),
    Time(u32, u32, u32),
    Offset(i32),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || matches!(c, ',' | '.' | '/' | '|') {
            i += 1;
        } else if c == '(' {
            // `Tue May 12 2015 10:00:00 GMT+0300 (Moscow Standard Time)`: the
            // parenthesised zone name repeats the offset.
            break;
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '.') {
                if chars[i] != '.' {
                    word.extend(chars[i].to_lowercase());
                }
                i += 1;
            }
            toks.push(Tok::Word(word));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            if digits > 4 {
                return None;
            }
            let value: u32 = chars[start..i].iter().collect::<String>().parse().ok()?;
            if chars.get(i) == Some(&':') {
                let (time, next) = clock(&chars, value, i)?;
                toks.push(time);
                i = next;
                continue;
            }
            // Ordinals: 1st, 2nd, 3rd, 12th.
            let suffix: String = chars[i..].iter().take(2).collect::<String>().to_lowercase();
            if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
                && !chars.get(i + 2).is_some_and(|c| c.is_alphabetic())
            {
                i += 2;
            }
            toks.push(Tok::Num(value, digits));
        } else if c == '+' || c == '-' {
            let after_time_or_zone = matches!(toks.last(), Some(Tok::Time(..)))
                || matches!(toks.last(), Some(Tok::Word(w)) if matches!(w.as_str(), "gmt" | "utc" | "ut"));
            if after_time_or_zone && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                let mut end = i + 1;
                while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == ':') {
                    end += 1;
                }
                let text: String = chars[i..end].iter().collect();
                toks.push(Tok::Offset(parse_offset(text.as_bytes())?));
                i = end;
            } else if c == '-' {
                // `12-May-2015`
                i += 1;
            } else {
                return None;
            }
        } else {
            return None;
        }
    }
    Some(toks)
}

/// Reads `:MM[:SS[.fff]]` after an hour already read; returns the token and the next index.
fn clock(chars: &[char], hour: u32, mut i: usize) -> Option<(Tok, usize)> {
    let mut parts = [0u32; 2];
    for (n, part) in parts.iter_mut().enumerate() {
        if chars.get(i) != Some(&':') {
            if n == 0 {
                return None;
            }
            break;
        }
        let a = chars.get(i + 1)?.to_digit(10)?;
        let b = chars.get(i + 2)?.to_digit(10)?;
        *part = a * 10 + b;
        i += 3;
    }
    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        i += 1;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    Some((Tok::Time(hour, parts[0], parts[1]), i))
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() == 3 && m.starts_with(word)))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        "mon"
            | "monday"
            | "tue"
            | "tues"
            | "tuesday"
            | "wed"
            | "weds"
            | "wednesday"
            | "thu"
            | "thur"
            | "thurs"
            | "thursday"
            | "fri"
            | "friday"
            | "sat"
            | "saturday"
            | "sun"
            | "sunday"
    )
}

/// Zone abbreviations with one meaning: RFC 2822's plus a few common in news.
fn zone_offset(word: &str) -> Option<i32> {
    let hours = match word {
        "z" | "ut" | "utc" | "gmt" | "wet" => 0,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" | "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" => -8,
        "cet" | "west" => 1,
        "cest" | "eet" => 2,
        "eest" | "msk" => 3,
        "jst" => 9,
        _ => return None,
    };
    Some(hours * 3600)
}

/// Forms with a month name: `May 12, 2015`, `12 May 2015`, each optionally
/// after a weekday and before a time (`10:00`, `3:45 p.m.`, `at 10:00`) and a
/// zone (`GMT`, `+0300`, `GMT+0300`, `EDT`).
fn parse_textual(s: &str) -> Option<Parsed> {
    let toks = tokenize(s)?;
    let mut i = 0;
    // Leading words that do not change the date.
    while let Some(Tok::Word(w)) = toks.get(i) {
        if is_weekday(w) || matches!(w.as_str(), "published" | "posted" | "on") {
            i += 1;
        } else {
            break;
        }
    }
    let (month, day, year) = match (toks.get(i), toks.get(i + 1), toks.get(i + 2)) {
        (Some(Tok::Word(m)), Some(&Tok::Num(d, dn)), Some(&Tok::Num(y, 4))) if dn <= 2 => {
            (month_number(m)?, d, y)
        }
        (Some(&Tok::Num(d, dn)), Some(Tok::Word(m)), Some(&Tok::Num(y, 4))) if dn <= 2 => {
            (month_number(m)?, d, y)
        }
        _ => return None,
    };
    i += 3;
    let date = make_date(year, month, day)?;
    let date_only = Parsed {
        date,
        time: None,
        offset: None,
    };

    if matches!(toks.get(i), Some(Tok::Word(w)) if w == "at") {
        i += 1;
    }
    let Some(&Tok::Time(mut hour, minute, second)) = toks.get(i) else {
        return (i == toks.len()).then_some(date_only);
    };
    i += 1;
    if let Some(Tok::Word(w)) = toks.get(i) {
        if w == "am" || w == "pm" {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (w.as_str(), hour) {
                ("am", 12) => 0,
                ("pm", h) if h < 12 => h + 12,
                (_, h) => h,
            };
            i += 1;
        }
    }
    let time = make_time(hour, minute, second)?;
    let mut offset = None;
    match toks.get(i) {
        None => {}
        Some(&Tok::Offset(secs)) => {
            offset = Some(secs);
            i += 1;
        }
        Some(Tok::Word(w)) => {
            if let Some(secs) = zone_offset(w) {
                offset = Some(secs);
                i += 1;
                if let Some(&Tok::Offset(secs)) = toks.get(i) {
                    // `GMT+0300`
                    offset = Some(secs);
                    i += 1;
                }
            } else if (2..=5).contains(&w.len()) && i + 1 == toks.len() {
                // An abbreviation we cannot place (`ET`, `IST`): the local date
                // is still right, the instant is not known.
                return Some(date_only);
            } else {
                return None;
            }
        }
        Some(_) => return None,
    }
    (i == toks.len()).then_some(Parsed {
        date,
        time: Some(time),
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(cases: &[(&str, Option<&str>)]) {
        for (input, want) in cases {
            assert_eq!(parse_date(input).as_deref(), *want, "input: {input:?}");
        }
    }

    #[test]
    fn iso_and_rfc3339() {
        check(&[
            ("2015-05-12", Some("2015-05-12")),
            ("  2015-05-12\n", Some("2015-05-12")),
            ("2015-05-12T10:00:00Z", Some("2015-05-12T10:00:00Z")),
            (
                "2015-05-12T10:00:00+03:00",
                Some("2015-05-12T10:00:00+03:00"),
            ),
            (
                "2015-05-12T10:00:00-04:00",
                Some("2015-05-12T10:00:00-04:00"),
            ),
            (
                "2015-05-12T10:00:00.123-0400",
                Some("2015-05-12T10:00:00-04:00"),
            ),
            ("2015-05-12T10:00:00+00:00", Some("2015-05-12T10:00:00Z")),
            ("2015-05-12T10:00Z", Some("2015-05-12T10:00:00Z")),
            ("2015-05-12 10:00", Some("2015-05-12T10:00:00Z")),
            ("2015-05-12 10:00:30 UTC", Some("2015-05-12T10:00:30Z")),
            (
                "2015-05-12T10:00:00 +05:30",
                Some("2015-05-12T10:00:00+05:30"),
            ),
            ("2015/05/12", Some("2015-05-12")),
            ("2015.5.2", Some("2015-05-02")),
        ]);
    }

    #[test]
    fn rfc2822() {
        check(&[
            (
                "Tue, 12 May 2015 10:00:00 GMT",
                Some("2015-05-12T10:00:00Z"),
            ),
            (
                "Tue, 12 May 2015 10:00:00 +0300",
                Some("2015-05-12T10:00:00+03:00"),
            ),
            ("12 May 2015 10:00 -0500", Some("2015-05-12T10:00:00-05:00")),
            (
                "Tue, 12 May 2015 10:00:00 EDT",
                Some("2015-05-12T10:00:00-04:00"),
            ),
        ]);
    }

    #[test]
    fn month_names() {
        check(&[
            ("May 12, 2015", Some("2015-05-12")),
            ("12 May 2015", Some("2015-05-12")),
            ("May 12 2015", Some("2015-05-12")),
            ("Tuesday, May 12, 2015", Some("2015-05-12")),
            ("Tue May 12 2015", Some("2015-05-12")),
            ("Feb. 17, 2015", Some("2015-02-17")),
            ("Feb 17, 2015", Some("2015-02-17")),
            ("Sept. 3, 2015", Some("2015-09-03")),
            ("SEPTEMBER 3, 2015", Some("2015-09-03")),
            ("3rd September 2015", Some("2015-09-03")),
            ("May 1st, 2015", Some("2015-05-01")),
            ("12-May-2015", Some("2015-05-12")),
            ("Published on May 12, 2015", Some("2015-05-12")),
        ]);
    }

    #[test]
    fn month_names_with_times() {
        check(&[
            (
                "May 12, 2015 at 3:45 p.m. EDT",
                Some("2015-05-12T15:45:00-04:00"),
            ),
            ("May 12, 2015 12:10 AM", Some("2015-05-12T00:10:00Z")),
            ("May 12, 2015, 12:10 PM", Some("2015-05-12T12:10:00Z")),
            (
                "Tue May 12 2015 10:00:00 GMT+0300 (Moscow Standard Time)",
                Some("2015-05-12T10:00:00+03:00"),
            ),
            // A zone we cannot place keeps the local date.
            ("May 12, 2015 10:00 ET", Some("2015-05-12")),
        ]);
    }

    #[test]
    fn rejected() {
        check(&[
            ("", None),
            ("   ", None),
            ("yesterday", None),
            ("May 2015", None),
            ("2015", None),
            // Ambiguous day/month orders.
            ("12.05.2015", None),
            ("05/12/2015", None),
            ("12/05/15", None),
            // Dates and times that do not exist.
            ("2015-02-30", None),
            ("February 30, 2015", None),
            ("2015-13-01", None),
            ("2015-05-12T25:00:00Z", None),
            ("May 12, 2015 13:00 pm", None),
            // Two-digit years and trailing junk.
            ("May 12, 15", None),
            ("2015-05-12 garbage", None),
            ("May 12, 2015 and then some words", None),
            ("Smarch 12, 2015", None),
            ("2015-05-12T10:00:00+99:00", None),
        ]);
    }

    #[test]
    fn leap_days() {
        check(&[("2016-02-29", Some("2016-02-29")), ("Feb 29, 2015", None)]);
    }
}
