//! Time expressions: find dates, times, durations and sets in a [`Doc`]'s
//! tokens and normalise them to TIMEX3 values against the publication date.
//!
//! The design is HeidelTime's: a list of named [`rules`] (each a token pattern
//! plus the unresolved meaning it gives, a `Spec`) finds expressions; a
//! resolver turns each `Spec` into a value using the anchor date (dateline or
//! publication date), the tense of the governing verb ([`Tense`]) and the last
//! date the text mentioned (for "the following day").
//!
//! ```
//! use newsgraph_extract::time::normalize_text;
//! let found = normalize_text("Kerry met Putin on Tuesday.", Some("2015-05-14"));
//! assert_eq!(found[0].text, "Tuesday");
//! assert_eq!(found[0].value.as_deref(), Some("2015-05-12"));
//! ```

mod anchor;
mod eval;
mod lexicon;
pub mod rules;
mod tense;
mod value;

pub use anchor::{parse_anchor, Dateline};
pub use eval::{eval_time, eval_time_with, EvalOptions, TimeEval};
pub use tense::Tense;

use lexicon::{classify, Lex, PartOfDay, Season, Unit};
use newsgraph_core::records::{TimeExpr, TimeType};
use newsgraph_core::{Component, ComponentError, Deprel, Doc, Layers, TextRange, Xpos};
use value::Point;

/// Name under which the normaliser reports diagnostics.
const ORIGIN: &str = "time";

/// The [`Component`] that fills `doc.times`: requires tokens and sentences,
/// uses part-of-speech tags when the document has them.
///
/// Invariant of its output: `doc.times` sorted by start, non-overlapping.
#[derive(Debug, Default, Clone, Copy)]
pub struct TimeNormalizer;

impl TimeNormalizer {
    pub fn new() -> Self {
        TimeNormalizer
    }
}

impl Component for TimeNormalizer {
    fn name(&self) -> &str {
        "time"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES
    }

    fn assigns(&self) -> Layers {
        Layers::TIMES
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        let found = recognize(doc);
        doc.times = found
            .into_iter()
            .map(|f| TimeExpr {
                range: f.range,
                time_type: f.time_type,
                value: f.value,
            })
            .collect();
        doc.mark(Layers::TIMES);
        Ok(())
    }
}

/// One recognised expression with the rule that found it (for auditing).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub range: TextRange,
    pub text: String,
    pub time_type: TimeType,
    pub value: Option<String>,
    /// The rule's name, e.g. `date.month_day_year`.
    pub rule: &'static str,
}

/// Recognise and normalise every time expression of `doc` (which must have
/// tokens and sentences). Adds a warning to the document when relative
/// expressions cannot be anchored. Output sorted by start, non-overlapping.
pub fn recognize(doc: &mut Doc) -> Vec<Found> {
    let has_tags = doc.has(Layers::TAGS);
    let toks: Vec<Tok<'_>> = doc
        .tokens()
        .map(|t| Tok {
            text: t.text(),
            lex: classify(t.text()),
            xpos: if has_tags { t.xpos() } else { None },
        })
        .collect();
    let has_parse = doc.has(Layers::PARSE) && has_tags;
    let deps: Vec<tense::Dep> = if has_parse {
        doc.tokens()
            .map(|t| tense::Dep {
                head: t.head().map(|h| h.index()),
                aux: matches!(t.deprel(), Some(Deprel::Aux | Deprel::AuxPass)),
                cop: t.deprel() == Some(Deprel::Cop),
            })
            .collect()
    } else {
        Vec::new()
    };
    let sentences: Vec<std::ops::Range<usize>> =
        doc.sentences().map(|s| s.token_indices()).collect();
    let ranges = doc.token_ranges();
    let published = doc.meta.published.as_deref().and_then(parse_anchor);
    let first = sentences.first().cloned().unwrap_or(0..0);
    let dateline = anchor::dateline(&toks[first], published);
    let anchor = dateline.as_ref().and_then(|d| d.date).or(published);
    let mut resolver = Resolver::new(anchor);
    resolver.present_seen = dateline.as_ref().is_some_and(|d| d.date.is_some());
    let mut out: Vec<Found> = Vec::new();
    let mut cues = tense::Cues::default();
    let mut sdeps: Vec<tense::Dep> = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let stoks = &toks[s.clone()];
        if !stoks.iter().any(|t| t.lex.is_candidate()) {
            continue;
        }
        tense::cues(stoks, &mut cues);
        // Heads made sentence-relative; a head outside the sentence is none.
        sdeps.clear();
        if has_parse {
            sdeps.extend(deps[s.clone()].iter().map(|d| tense::Dep {
                head: d.head.filter(|h| s.contains(h)).map(|h| h - s.start),
                aux: d.aux,
                cop: d.cop,
            }));
        }
        resolver.sentence = si;
        // The previous part of this sentence: its index in `out`, tokens, and
        // whether it was a date without a year (a possible range start).
        let mut prev: Option<(usize, std::ops::Range<usize>, RangeEnd)> = None;
        for part in rules::find(stoks) {
            // "since January", "held since March": the time lies in the past whatever
            // the clause's tense ("will release prisoners held since January").
            let month = matches!(part.spec, Spec::Calendar { day: None, .. });
            let tense = tense::governing(stoks, &sdeps, &cues, part.start, part.end, month);
            let since = part.start > 0 && stoks[part.start - 1].text.eq_ignore_ascii_case("since");
            // "the 2016 migration deal", "a 2018 tender": determiner, date, noun.
            let determiner = part.start > 0
                && ["the", "a", "an", "its", "his", "her", "their"]
                    .iter()
                    .any(|w| stoks[part.start - 1].text.eq_ignore_ascii_case(w));
            let modifier = determiner
                && stoks.get(part.end).is_some_and(|t| {
                    t.text.starts_with(|c: char| c.is_ascii_lowercase()) && t.lex == Lex::Other
                });
            resolver.not_narrative = since || modifier;
            let a_day = matches!(
                part.spec,
                Spec::Calendar { day: Some(_), .. }
                    | Spec::Weekday { .. }
                    | Spec::DayOfMonth { .. }
                    | Spec::DayInMonth { .. }
                    | Spec::Holiday { .. }
            );
            let stated = a_day && states_today(stoks, part.start);
            // A diary moves forward: "it's Wednesday" after "it is Monday May
            // 3rd" is the Wednesday after it.
            let tense = if stated
                && resolver.today.is_some()
                && matches!(
                    part.spec,
                    Spec::Weekday {
                        shift: Shift::Bare,
                        ..
                    }
                ) {
                Tense::Future
            } else {
                tense
            };
            let value = resolver.resolve(&part, tense);
            if stated && value.is_some() {
                if let Some((Point::Day(d), _)) = resolver.reference {
                    resolver.today = Some(d);
                }
            }
            // Both ends of a range of the same kind: "from January 23 through
            // March 9", "from Monday to Wednesday".
            let kind = match part.spec {
                Spec::Calendar { year: None, .. } => RangeEnd::Yearless,
                Spec::Weekday {
                    shift: Shift::Bare,
                    weeks: 0,
                    ..
                } => RangeEnd::Weekday,
                _ => RangeEnd::Other,
            };
            let mut value = value;
            if let (Some((k, p, start)), Some(end)) = (&prev, value.clone()) {
                if *start == kind && is_range_link(stoks, p.clone(), part.start) {
                    match kind {
                        RangeEnd::Yearless => range_start_before_end(&mut out[*k].value, &end),
                        RangeEnd::Weekday => weekday_range(&mut out[*k].value, &mut value, tense),
                        RangeEnd::Other => {}
                    }
                }
            }
            let range = ranges[s.start + part.start].cover(ranges[s.start + part.end - 1]);
            out.push(Found {
                range,
                text: doc.slice(range).to_string(),
                time_type: part.time_type(),
                value,
                rule: part.rule,
            });
            prev = Some((out.len() - 1, part.start..part.end, kind));
        }
    }
    if resolver.unanchored {
        doc.warn(
            ORIGIN,
            "no publication date or dateline: relative time expressions are left without a value",
        );
    }
    out
}

/// Whether the expression starting at token `start` is what the text says
/// today is: "it is Monday May 3rd", "It's currently 2:25 a.m. on
/// Wednesday", "Today is May 7th" (a diary's or a vlog's own date).
fn states_today(toks: &[Tok<'_>], start: usize) -> bool {
    let mut k = start;
    while k > 0
        && ["currently", "now", "on", ",", "the"]
            .iter()
            .any(|w| toks[k - 1].text.eq_ignore_ascii_case(w))
    {
        k -= 1;
    }
    k >= 2
        && ["is", "'s", "\u{2019}s"]
            .iter()
            .any(|w| toks[k - 1].text.eq_ignore_ascii_case(w))
        && ["it", "today"]
            .iter()
            .any(|w| toks[k - 2].text.eq_ignore_ascii_case(w))
}

/// Whether the tokens between a part over `prev` and one starting at `next`
/// join them into a range: "from January 23 *through* March 9", "November 20
/// *to* December 11", "*between* May 3 *and* May 9".
fn is_range_link(toks: &[Tok<'_>], prev: std::ops::Range<usize>, next: usize) -> bool {
    if next != prev.end + 1 {
        return false;
    }
    let link = toks[prev.end].text;
    let between = prev.start > 0 && toks[prev.start - 1].text.eq_ignore_ascii_case("between");
    ["to", "through", "thru", "until", "till", "-", "\u{2013}"]
        .iter()
        .any(|w| link.eq_ignore_ascii_case(w))
        || (between && link.eq_ignore_ascii_case("and"))
}

/// What the ends of a range are, for placing one against the other.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeEnd {
    /// A date without a year ("January 23").
    Yearless,
    /// A weekday placed by tense alone ("Monday").
    Weekday,
    Other,
}

/// A range of weekdays runs forward. Each end of "from Monday to Wednesday"
/// is placed on its own by tense; when the end comes out before the start
/// (said on a Tuesday, "will run from Monday to Wednesday" gives next
/// Monday and tomorrow), the range lies in one week: in a past-tense clause
/// the start moves a week back, otherwise the end a week on.
fn weekday_range(start: &mut Option<String>, end: &mut Option<String>, tense: Tense) {
    let day = |v: &Option<String>| {
        v.as_deref()
            .and_then(|v| v.get(..10))
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    };
    let (Some(s), Some(e)) = (day(start), day(end)) else {
        return;
    };
    if s <= e {
        return;
    }
    let week = jiff::Span::new().weeks(1);
    let (target, moved) = if tense == Tense::Past {
        (start, s.checked_sub(week))
    } else {
        (end, e.checked_add(week))
    };
    if let (Some(v), Ok(d)) = (target.as_mut(), moved) {
        v.replace_range(..10, &d.to_string());
    }
}

/// A range's start precedes its end. Each end of "from January 23 through
/// March 9" is placed on its own by tense; when the start (a date given
/// without a year) comes out later than the end ("is to run from January 23
/// through March 9" written on January 28: 2015-01-23 and 2014-03-09), it is
/// the occurrence a year earlier, which also spans the turn of the year ("will
/// run from December 28 to January 14" written on January 10).
fn range_start_before_end(start: &mut Option<String>, end: &str) {
    let Some(v) = start.as_deref() else { return };
    let date_of = |v: &str| v.split('T').next().unwrap_or(v).len();
    let (sd, ed) = (&v[..date_of(v)], &end[..date_of(end)]);
    if sd.len() != ed.len() || sd.len() < 7 || sd <= ed || !sd.is_char_boundary(4) {
        return;
    }
    let Ok(y) = sd[..4].parse::<i32>() else {
        return;
    };
    let month = sd[5..7].parse::<i8>().ok();
    let day = sd.get(8..10).and_then(|d| d.parse::<i8>().ok());
    let valid = match (month, day) {
        (Some(m), Some(d)) => value::date(y - 1, m, d).is_some(),
        (Some(_), None) => true,
        _ => false,
    };
    if valid && y > 1000 {
        *start = Some(format!("{:04}{}", y - 1, &v[4..]));
    }
}

/// Recognise time expressions in plain text split on whitespace and
/// punctuation (for examples and quick checks; the pipeline uses the
/// project's tokenizer). `published` is an ISO date or datetime.
pub fn normalize_text(text: &str, published: Option<&str>) -> Vec<Found> {
    let mut doc = Doc::new(
        text,
        newsgraph_core::DocMeta {
            published: published.map(str::to_string),
            ..Default::default()
        },
    );
    let toks = simple_tokens(text);
    let n = toks.len() as u32;
    let whole = 0..n;
    let sentence = std::slice::from_ref(&whole);
    if doc.set_tokens(toks).is_err() || (n > 0 && doc.set_sentences(sentence).is_err()) {
        return Vec::new();
    }
    recognize(&mut doc)
}

/// Whitespace and punctuation splitting that keeps "Feb.", "p.m.", "2015-05-12",
/// "15:30", "1,000", "'90s" and "two-day" whole (UD-like, enough for examples);
/// short number ranges ("5-7") are split as the pipeline's tokenizer splits them.
pub fn simple_tokens(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    for (start, word) in split_whitespace_indices(text) {
        let mut s = start;
        let mut w = word;
        // Leading punctuation (except an apostrophe before digits: '90s).
        while let Some(c) = w.chars().next() {
            let keep = (c == '\'' || c == '\u{2019}')
                && w[c.len_utf8()..].starts_with(|d: char| d.is_ascii_digit());
            if c.is_alphanumeric() || keep {
                break;
            }
            out.push(TextRange::new(s, s + c.len_utf8()));
            s += c.len_utf8();
            w = &w[c.len_utf8()..];
        }
        // Trailing punctuation, keeping abbreviation periods ("Feb.", "p.m.").
        let mut tail = Vec::new();
        while let Some(c) = w.chars().last() {
            if c.is_alphanumeric() {
                break;
            }
            if c == '.' {
                let body = &w[..w.len() - 1];
                let lower = body.to_ascii_lowercase();
                let abbrev = body.contains('.')
                    || matches!(
                        lower.as_str(),
                        "jan"
                            | "feb"
                            | "mar"
                            | "apr"
                            | "jun"
                            | "jul"
                            | "aug"
                            | "sep"
                            | "sept"
                            | "oct"
                            | "nov"
                            | "dec"
                            | "mon"
                            | "tue"
                            | "tues"
                            | "wed"
                            | "thu"
                            | "thur"
                            | "thurs"
                            | "fri"
                            | "sat"
                            | "sun"
                            | "no"
                            | "st"
                            | "mr"
                            | "mrs"
                            | "dr"
                            | "c"
                            | "ca"
                    );
                if abbrev && !body.is_empty() {
                    break;
                }
            }
            let e = s + w.len();
            tail.push(TextRange::new(e - c.len_utf8(), e));
            w = &w[..w.len() - c.len_utf8()];
        }
        if !w.is_empty() {
            // Clitics: "'s", "'ll", "n't".
            let lower = w.to_ascii_lowercase();
            let clitic = ["'s", "'ll", "'re", "'ve", "'d", "'m", "n't", "\u{2019}s"]
                .iter()
                .find(|c| lower.ends_with(*c) && lower.len() > c.len());
            match clitic {
                Some(c) if !w.starts_with(|d: char| d.is_ascii_digit()) => {
                    let cut = w.len() - c.len();
                    out.push(TextRange::new(s, s + cut));
                    out.push(TextRange::new(s + cut, s + w.len()));
                }
                // "5-7", "10-5": a range or a score is three tokens, as the
                // pipeline's tokenizer splits it.
                _ if is_short_number_pair(w) => {
                    let dash = w.find(['-', '\u{2013}']).unwrap_or(0);
                    let after = dash + w[dash..].chars().next().map_or(1, char::len_utf8);
                    out.push(TextRange::new(s, s + dash));
                    out.push(TextRange::new(s + dash, s + after));
                    out.push(TextRange::new(s + after, s + w.len()));
                }
                _ => out.push(TextRange::new(s, s + w.len())),
            }
        }
        out.extend(tail.into_iter().rev());
    }
    out
}

/// "5-7", "10\u{2013}12": one or two digits, a hyphen or en dash, one or two digits.
fn is_short_number_pair(w: &str) -> bool {
    let Some((a, b)) = w.split_once(['-', '\u{2013}']) else {
        return false;
    };
    let short = |x: &str| (1..=2).contains(&x.len()) && x.bytes().all(|c| c.is_ascii_digit());
    short(a) && short(b)
}

fn split_whitespace_indices(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// A classified token of one sentence.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Tok<'a> {
    pub text: &'a str,
    pub lex: Lex,
    pub xpos: Option<Xpos>,
}

/// How a weekday, month, season or holiday without a year is placed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shift {
    /// By tense: past → on or before the anchor, future → on or after, else nearest.
    Bare,
    /// "last March": strictly before the anchor's month (day, season).
    Last,
    /// "next March": strictly after.
    Next,
    /// "this March": in the anchor's year (week for weekdays).
    This,
    /// "the following autumn", "the following Monday": the first one after
    /// the last date mentioned.
    Following,
}

/// Fixed and movable feasts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Holiday {
    Christmas,
    ChristmasEve,
    NewYearsDay,
    NewYearsEve,
    Easter,
    Thanksgiving,
    Halloween,
    Valentines,
    /// Two days before Easter.
    GoodFriday,
    /// December 26 (Britain and the Commonwealth).
    BoxingDay,
}

/// A part of a year named by its order.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum YearPart {
    /// 1..=4.
    Quarter(i8),
    /// 1..=2.
    Half(i8),
    /// 1..=12: "January last year".
    Month(i8),
}

impl YearPart {
    /// The part in year `y`.
    pub(crate) fn of(self, y: i32) -> Point {
        match self {
            YearPart::Quarter(q) => Point::Quarter(y, q),
            YearPart::Half(h) => Point::Half(y, h),
            YearPart::Month(m) => Point::Month(y, m),
        }
    }

    /// The TIMEX3 suffix after the year: "Q3", "H1", "01".
    pub(crate) fn code(self) -> String {
        match self {
            YearPart::Quarter(q) => format!("Q{q}"),
            YearPart::Half(h) => format!("H{h}"),
            YearPart::Month(m) => format!("{m:02}"),
        }
    }
}

/// Time of day attached to a date: "Tuesday *night*", "*3 p.m.* Tuesday".
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum TimeOfDay {
    Part(PartOfDay),
    Clock(u8, u8),
}

/// What an expression means before it is placed on the calendar.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Spec {
    /// A date by its calendar fields: "May 12, 2015", "March", "May 2015".
    /// `year: None` is placed by `shift` and tense.
    Calendar {
        year: Option<i32>,
        month: i8,
        day: Option<i8>,
        shift: Shift,
    },
    /// A fully given point: "2015", "the 1990s", "the 19th century", "summer of 2012".
    Point(Point),
    /// A weekday placed by `shift` and tense, then moved on by `weeks`
    /// weeks. With `weeks` > 0 ("a week from Friday", "Friday week") the
    /// weekday counted from is the coming one (on or after the anchor),
    /// whatever the tense.
    Weekday {
        weekday: i8,
        shift: Shift,
        weeks: i8,
        /// "last Monday", "next Wednesday" with the bare word: the day
        /// next to the anchor is not meant (a writer says "yesterday",
        /// "tomorrow" for it), so on a Tuesday "last Monday" is the one
        /// eight days back and "next Wednesday" the one eight days on.
        skip_adjacent: bool,
    },
    /// "the first week of June": the month's `nth` ISO week holding at
    /// least four of its days (the week of the 4th, then each week on;
    /// `nth` = -1: the week of the 4th day from its end), the month placed
    /// like a [`Spec::Calendar`] month.
    WeekOfMonth {
        nth: i8,
        year: Option<i32>,
        month: i8,
        shift: Shift,
    },
    /// "the weekend": the last one for the past, the next for the future.
    Weekend,
    /// "on the 15th": a day in the month last mentioned, else near the anchor.
    DayOfMonth {
        day: i8,
    },
    /// "the 1st of next month": a day of the anchor's month moved by `n`.
    DayInMonth {
        day: i8,
        n: i64,
    },
    Season {
        season: Season,
        shift: Shift,
    },
    Quarter {
        quarter: i8,
        shift: Shift,
    },
    /// A quarter or half of the anchor's year moved by `n` years: "the
    /// second half of the year" (0), "the first quarter of next year" (1).
    InYear {
        part: YearPart,
        n: i64,
    },
    Holiday {
        holiday: Holiday,
        year: Option<i32>,
        shift: Shift,
    },
    /// The anchor moved by `n` units, at that unit's granularity:
    /// "yesterday" (Day, -1), "last week" (Week, -1), "this year" (Year, 0).
    Relative {
        unit: Unit,
        n: i64,
    },
    /// The anchor moved by `n` of a smaller unit `step`, at the granularity
    /// of `unit`: "six and a half months ago" (198 days back, a month),
    /// "a year and a half ago" (18 months back, a year).
    RelativeFine {
        step: Unit,
        n: i64,
        unit: Unit,
    },
    /// The last mentioned date moved by `n` units: "the following day", "a year later", "that year".
    Anaphoric {
        unit: Unit,
        n: i64,
    },
    /// A clock time on the current reference day: "3 p.m.", "15:30".
    Clock,
    /// PAST_REF, PRESENT_REF, FUTURE_REF.
    Ref(&'static str),
    /// A ready value: durations ("P3Y") and sets ("XXXX-WXX-1").
    Literal(String),
    /// "the turn of the century": the year opening a century near the
    /// anchor (the last one for the past, the next for the future), or
    /// near the year of the period the text narrates.
    TurnOfCentury,
}

impl Spec {
    /// Whether the value depends on an anchor date.
    fn needs_anchor(&self) -> bool {
        match self {
            Spec::Calendar { year, .. }
            | Spec::Holiday { year, .. }
            | Spec::WeekOfMonth { year, .. } => year.is_none(),
            Spec::Point(_) | Spec::Ref(_) | Spec::Literal(_) => false,
            _ => true,
        }
    }
}

/// One recognised expression over tokens `start..end` of a sentence.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Part {
    pub start: usize,
    pub end: usize,
    pub base: TimeType,
    pub spec: Spec,
    pub tod: Option<TimeOfDay>,
    pub rule: &'static str,
}

impl Part {
    fn time_type(&self) -> TimeType {
        if self.tod.is_some() && self.base == TimeType::Date {
            TimeType::Time
        } else {
            self.base
        }
    }
}

/// Places `Spec`s on the calendar, remembering the last date mentioned.
#[derive(Debug)]
pub(crate) struct Resolver {
    anchor: Option<jiff::civil::Date>,
    /// The last resolved date and the sentence that mentioned it.
    reference: Option<(Point, usize)>,
    /// The last year given explicitly in the text, with its sentence.
    explicit_year: Option<(i32, usize)>,
    /// Whether the text has spoken of its own time: a year within one of the
    /// anchor's, a weekday or a date relative to the anchor ("on Tuesday",
    /// "last week", "today"), or a dateline date. Until it does, it narrates
    /// another period (a biography, a history) and a year it gave holds for
    /// every later date without one.
    pub(crate) present_seen: bool,
    /// The day the text says it is written on ("Good morning, it is Monday
    /// May 3rd", "It is May 7th, the day of my final"): a diary's, a
    /// letter's or a vlog's own date, which "today", "tomorrow" and weekdays
    /// after it count from instead of the publication date.
    today: Option<jiff::civil::Date>,
    sentence: usize,
    /// Set when a relative expression met no anchor.
    unanchored: bool,
    /// The part being resolved is a starting point ("since 2013") or a
    /// modifier ("the 2016 migration deal"): its year does not set the period
    /// the text narrates.
    pub(crate) not_narrative: bool,
}

impl Resolver {
    pub(crate) fn new(anchor: Option<jiff::civil::Date>) -> Self {
        Resolver {
            anchor,
            reference: None,
            explicit_year: None,
            present_seen: false,
            today: None,
            sentence: 0,
            unanchored: false,
            not_narrative: false,
        }
    }

    /// The TIMEX3 value of a part; updates the reference date.
    pub(crate) fn resolve(&mut self, part: &Part, tense: Tense) -> Option<String> {
        if part.spec.needs_anchor() && self.anchor.is_none() {
            let anaphoric_ok =
                matches!(part.spec, Spec::Anaphoric { .. }) && self.reference.is_some();
            if !anaphoric_ok {
                self.unanchored = true;
                return None;
            }
        }
        let point = match &part.spec {
            Spec::Ref(r) => return Some((*r).to_string()),
            Spec::Literal(v) => return Some(v.clone()),
            Spec::Clock => {
                let day = self.reference_day()?;
                Some(Point::Day(day))
            }
            spec => self.place(spec, tense),
        }?;
        if let Spec::Calendar { year: Some(y), .. } | Spec::Holiday { year: Some(y), .. } =
            part.spec
        {
            if !self.not_narrative {
                self.set_explicit_year(y);
            }
        }
        if let (Spec::Point(p), false) = (&part.spec, self.not_narrative) {
            let p = *p;
            if matches!(
                p,
                Point::Year(_) | Point::Month(..) | Point::Day(_) | Point::Season(..)
            ) {
                self.set_explicit_year(p.year());
            }
        }
        if matches!(
            part.spec,
            Spec::Weekday { .. }
                | Spec::Weekend
                | Spec::Relative { .. }
                | Spec::RelativeFine { .. }
                | Spec::InYear { .. }
        ) {
            self.present_seen = true;
        }
        self.reference = Some((point, self.sentence));
        let mut v = point.timex();
        match (part.tod, point) {
            (Some(TimeOfDay::Part(p)), Point::Day(_)) => {
                v.push('T');
                v.push_str(p.code());
            }
            (Some(TimeOfDay::Clock(h, m)), Point::Day(_)) => {
                v.push_str(&format!("T{h:02}:{m:02}"));
            }
            _ => {}
        }
        Some(v)
    }

    /// The day clock times and parts of day attach to: the last mentioned day, else the anchor.
    fn reference_day(&self) -> Option<jiff::civil::Date> {
        match self.reference {
            Some((Point::Day(d), s)) if s + 1 >= self.sentence => Some(d),
            _ => self.today.or(self.anchor),
        }
    }

    fn set_explicit_year(&mut self, y: i32) {
        self.explicit_year = Some((y, self.sentence));
        if self
            .anchor
            .is_some_and(|a| (a.year() as i32 - y).abs() <= 1)
        {
            self.present_seen = true;
        }
    }

    /// The year used for dates given without one: the anchor's, unless the
    /// text is narrating another period ("In 1805 ... On 12 March he ...").
    /// That is a year more than one from the anchor's, given in the last two
    /// sentences or, for a past-tense clause in a text that has not yet
    /// spoken of its own time, anywhere before ("wounded on 30 May 1832 ...
    /// the rising began on 5 June" three sentences on); and, for a past-tense clause, a
    /// year after the anchor's ("Holt opened 2012 with Altoona. He was
    /// promoted on September 1" in a text dated 2011): the past is not ahead
    /// of the anchor, the text was written later than its date says.
    fn narrative_year(&self, tense: Tense) -> Option<i32> {
        let (y, s) = self.explicit_year?;
        let anchor_year = self.anchor.map(|a| a.year() as i32);
        let far = anchor_year.is_none_or(|a| (a - y).abs() > 1);
        let ahead = tense == Tense::Past && anchor_year.is_some_and(|a| y > a);
        let recent = s + 2 >= self.sentence;
        // The longer reach needs a past-tense clause: "The monsoon occurs in
        // July" in a guide that said "built in 1999" is any year's July.
        let history = !self.present_seen && tense == Tense::Past;
        ((far && (recent || history)) || (ahead && recent)).then_some(y)
    }

    fn place(&self, spec: &Spec, tense: Tense) -> Option<Point> {
        use value::{date, point_of, shift, shift_point};
        match *spec {
            Spec::Point(p) => Some(p),
            Spec::Calendar {
                year: Some(y),
                month,
                day,
                ..
            } => Some(match day {
                Some(d) => Point::Day(date(y, month, d)?),
                None => Point::Month(y, month),
            }),
            Spec::Calendar {
                year: None,
                month,
                day,
                shift: sh,
            } => {
                let mut anchor = self.anchor;
                // A story set in another period is told in the past tense;
                // "the June 30 deadline" in a story that mentioned 2013 is not in 2013.
                let narrating = matches!(tense, Tense::Past | Tense::Unknown);
                if let Some(y) = self.narrative_year(tense) {
                    if sh == Shift::Bare && narrating {
                        return Some(match day {
                            Some(d) => Point::Day(date(y, month, d)?),
                            None => Point::Month(y, month),
                        });
                    }
                    // "the 12th of October last" in a story set in 1860: before
                    // the last date mentioned, not before the publication date.
                    if sh != Shift::Bare {
                        anchor = self
                            .reference
                            .and_then(|r| r.0.representative_day())
                            .or(anchor);
                    }
                }
                let anchor = anchor?;
                let y = pick_year(anchor, sh, tense, |y| {
                    let start = date(y, month, day.unwrap_or(1))?;
                    let end = match day {
                        Some(_) => start,
                        None => start.last_of_month(),
                    };
                    Some((start, end))
                })?;
                Some(match day {
                    Some(d) => Point::Day(date(y, month, d)?),
                    None => Point::Month(y, month),
                })
            }
            Spec::Season { season, shift: sh } => {
                let (anchor, sh) = match sh {
                    Shift::Following => (
                        self.reference
                            .and_then(|r| r.0.representative_day())
                            .or(self.anchor)?,
                        Shift::Next,
                    ),
                    _ => (self.anchor?, sh),
                };
                let y = pick_year(anchor, sh, tense, |y| three_months(y, season.start_month()))?;
                Some(Point::Season(y, season))
            }
            Spec::Quarter { quarter, shift: sh } => {
                let anchor = self.anchor?;
                let y = pick_year(anchor, sh, tense, |y| {
                    three_months(y, (quarter - 1) * 3 + 1)
                })?;
                Some(Point::Quarter(y, quarter))
            }
            Spec::InYear { part, n } => {
                let y = i64::from(self.anchor?.year()) + n;
                Some(part.of(i32::try_from(y).ok()?))
            }
            Spec::Holiday {
                holiday,
                year,
                shift: sh,
            } => {
                if let Some(y) = year {
                    return holiday_date(holiday, y).map(Point::Day);
                }
                let anchor = self.anchor?;
                let y = pick_year(anchor, sh, tense, |y| {
                    let d = holiday_date(holiday, y)?;
                    Some((d, d))
                })?;
                holiday_date(holiday, y).map(Point::Day)
            }
            Spec::Weekday {
                weekday,
                shift: sh,
                weeks,
                skip_adjacent,
            } => {
                let anchor = self.today.or(self.anchor)?;
                if weeks > 0 {
                    let d = value::weekday_near(anchor, weekday, 1)?;
                    let d = d
                        .checked_add(jiff::Span::new().weeks(i64::from(weeks)))
                        .ok()?;
                    return Some(Point::Day(d));
                }
                let step = jiff::Span::new().days(1 + i64::from(skip_adjacent));
                let d = match sh {
                    Shift::Last => {
                        value::weekday_near(anchor.checked_sub(step).ok()?, weekday, -1)?
                    }
                    Shift::Next => value::weekday_near(anchor.checked_add(step).ok()?, weekday, 1)?,
                    Shift::This => {
                        let dir = if tense == Tense::Past { -1 } else { 1 };
                        value::weekday_near(anchor, weekday, dir)?
                    }
                    // "the following Monday": the first after the last date
                    // mentioned (else after the anchor).
                    Shift::Following => {
                        let base = self
                            .reference
                            .and_then(|r| r.0.representative_day())
                            .unwrap_or(anchor);
                        value::weekday_near(base.tomorrow().ok()?, weekday, 1)?
                    }
                    Shift::Bare => {
                        // News mostly reports what happened: without a verb
                        // cue a weekday is the past one.
                        let dir = match tense {
                            Tense::Past | Tense::Unknown => -1,
                            Tense::Future => 1,
                            Tense::Present => 0,
                        };
                        value::weekday_near(anchor, weekday, dir)?
                    }
                };
                Some(Point::Day(d))
            }
            Spec::WeekOfMonth {
                nth,
                year,
                month,
                shift: sh,
            } => {
                let month = Spec::Calendar {
                    year,
                    month,
                    day: None,
                    shift: sh,
                };
                let Point::Month(y, m) = self.place(&month, tense)? else {
                    return None;
                };
                // The first week holds the 4th (so at least four of its
                // days are the month's), the last one the 4th day from the end.
                let day = if nth < 0 {
                    date(y, m, 1)?
                        .last_of_month()
                        .checked_sub(jiff::Span::new().days(3))
                        .ok()?
                } else {
                    date(y, m, 4)?
                        .checked_add(jiff::Span::new().weeks(i64::from(nth) - 1))
                        .ok()?
                };
                Some(point_of(day, Unit::Week))
            }
            Spec::Weekend => {
                let anchor = self.today.or(self.anchor)?;
                let dir = match tense {
                    Tense::Future => 1,
                    Tense::Present => 0,
                    Tense::Past | Tense::Unknown => -1,
                };
                let saturday = value::weekday_near(anchor, 6, dir)?;
                Some(point_of(saturday, Unit::Weekend))
            }
            Spec::DayOfMonth { day } => {
                if let Some((p, s)) = self.reference {
                    let month = match p {
                        Point::Day(d) => Some((d.year() as i32, d.month())),
                        Point::Month(y, m) => Some((y, m)),
                        _ => None,
                    };
                    if let Some((y, m)) = month.filter(|_| s + 2 >= self.sentence) {
                        return date(y, m, day).map(Point::Day);
                    }
                }
                let anchor = self.anchor?;
                let candidates: Vec<jiff::civil::Date> = [-1i64, 0, 1]
                    .iter()
                    .filter_map(|&k| {
                        let m = shift(anchor.first_of_month(), Unit::Month, k)?;
                        date(m.year() as i32, m.month(), day)
                    })
                    .collect();
                let pick = match tense {
                    Tense::Past => candidates.iter().rev().find(|d| **d <= anchor),
                    Tense::Future => candidates.iter().find(|d| **d >= anchor),
                    _ => candidates
                        .iter()
                        .min_by_key(|d| (**d - anchor).get_days().abs()),
                };
                pick.copied().map(Point::Day)
            }
            Spec::Relative { unit, n } => {
                let anchor = self.today.or(self.anchor)?;
                Some(point_of(shift(anchor, unit, n)?, unit))
            }
            Spec::RelativeFine { step, n, unit } => {
                let anchor = self.today.or(self.anchor)?;
                Some(point_of(shift(anchor, step, n)?, unit))
            }
            Spec::Anaphoric { unit, n } => {
                let base = self
                    .reference
                    .map(|r| r.0)
                    .or_else(|| self.anchor.map(Point::Day))?;
                let coarse = value::coarsen(base, unit);
                match (coarse, unit) {
                    (Point::Day(d), _) => Some(point_of(shift(d, unit, n)?, unit)),
                    (p, _) => shift_point(p, n),
                }
            }
            Spec::DayInMonth { day, n } => {
                let m = shift(self.anchor?.first_of_month(), Unit::Month, n)?;
                date(m.year() as i32, m.month(), day).map(Point::Day)
            }
            Spec::TurnOfCentury => {
                // A text narrating another period counts from its year: "from
                // 40,000 in 1865 to 300,000 at the turn of the century" is 1900.
                if let Some(y) = self.narrative_year(tense) {
                    return Some(Point::Year((y + 50).div_euclid(100) * 100));
                }
                let y = self.anchor?.year() as i32;
                let last = y.div_euclid(100) * 100;
                Some(Point::Year(match tense {
                    Tense::Past => last,
                    Tense::Future if last < y => last + 100,
                    Tense::Future => last,
                    _ => (y + 50).div_euclid(100) * 100,
                }))
            }
            Spec::Clock | Spec::Ref(_) | Spec::Literal(_) => None,
        }
    }
}

/// The three months from the first of `month` in year `y`, as a closed interval
/// (a season or a quarter).
fn three_months(y: i32, month: i8) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    let start = value::date(y, month, 1)?;
    let end = start
        .checked_add(jiff::Span::new().months(3))
        .ok()?
        .yesterday()
        .ok()?;
    Some((start, end))
}

/// Choose the year (anchor's year ± 1) for a yearless calendar item whose
/// interval in year `y` is `interval(y)`: before the anchor for the past and
/// "last", after it for the future and "next", the nearest otherwise.
fn pick_year(
    anchor: jiff::civil::Date,
    shift: Shift,
    tense: Tense,
    interval: impl Fn(i32) -> Option<(jiff::civil::Date, jiff::civil::Date)>,
) -> Option<i32> {
    let ay = anchor.year() as i32;
    if shift == Shift::This {
        return Some(ay);
    }
    let candidates = [ay - 1, ay, ay + 1];
    let iv: Vec<(i32, jiff::civil::Date, jiff::civil::Date)> = candidates
        .iter()
        .filter_map(|&y| interval(y).map(|(s, e)| (y, s, e)))
        .collect();
    let contains = |s: jiff::civil::Date, e: jiff::civil::Date| s <= anchor && anchor <= e;
    let pick = match (shift, tense) {
        (Shift::Last, _) => iv
            .iter()
            .rev()
            .find(|(_, _, e)| *e < anchor && !contains_month(anchor, *e)),
        (Shift::Next, _) => iv
            .iter()
            .find(|(_, s, _)| *s > anchor && !contains_month(anchor, *s)),
        (_, Tense::Past) => iv.iter().rev().find(|(_, s, _)| *s <= anchor),
        (_, Tense::Future) => iv.iter().find(|(_, _, e)| *e >= anchor),
        _ => iv.iter().min_by_key(|(_, s, e)| {
            if contains(*s, *e) {
                0
            } else {
                let a = (anchor - *e).get_days().abs();
                let b = (*s - anchor).get_days().abs();
                a.min(b) as i64
            }
        }),
    };
    pick.map(|p| p.0)
}

/// "last May" said in May means the previous year's May, not this one.
fn contains_month(anchor: jiff::civil::Date, d: jiff::civil::Date) -> bool {
    anchor.year() == d.year() && anchor.month() == d.month()
}

fn holiday_date(h: Holiday, y: i32) -> Option<jiff::civil::Date> {
    use value::date;
    match h {
        Holiday::Christmas => date(y, 12, 25),
        Holiday::ChristmasEve => date(y, 12, 24),
        Holiday::NewYearsDay => date(y, 1, 1),
        Holiday::NewYearsEve => date(y, 12, 31),
        Holiday::Easter => value::easter(y),
        Holiday::Halloween => date(y, 10, 31),
        Holiday::Valentines => date(y, 2, 14),
        Holiday::GoodFriday => value::easter(y)?
            .checked_sub(jiff::Span::new().days(2))
            .ok(),
        Holiday::BoxingDay => date(y, 12, 26),
        Holiday::Thanksgiving => {
            // Fourth Thursday of November (United States).
            let first = date(y, 11, 1)?;
            let first_thu = value::weekday_near(first, 4, 1)?;
            first_thu.checked_add(jiff::Span::new().weeks(3)).ok()
        }
    }
}
