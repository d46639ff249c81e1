//! The grammar: named rules, each a token pattern and the `Spec` it gives.
//!
//! Every rule is tried at every candidate token of a sentence; the longest
//! match wins (ties: the earlier rule in [`RULES`]), then matching continues
//! after it. Spans follow TIMEX3: they include determiners and modifiers
//! ("the 1990s", "last week", "earlier this year") but not prepositions
//! ("on Tuesday" → "Tuesday").

use super::lexicon::{Lex, PartOfDay, Unit, Word};
use super::value::{duration, Point};
use super::{Holiday, Part, Shift, Spec, TimeOfDay, Tok, YearPart};
use newsgraph_core::records::TimeType;
use newsgraph_core::Xpos;

/// A named rule: `apply(tokens, i)` returns the parts it recognises starting at `i`.
#[derive(Debug)]
pub struct Rule {
    pub name: &'static str,
    apply: fn(&Cx<'_>, usize) -> Option<Vec<Part>>,
}

/// Every rule, in priority order for equally long matches.
pub static RULES: &[Rule] = &[
    Rule {
        name: "date.iso",
        apply: date_iso,
    },
    Rule {
        name: "date.slash",
        apply: date_slash,
    },
    Rule {
        name: "date.month_day_year",
        apply: date_month_day_year,
    },
    Rule {
        name: "date.day_month_year",
        apply: date_day_month_year,
    },
    Rule {
        name: "date.month_year",
        apply: date_month_year,
    },
    Rule {
        name: "date.year_range",
        apply: date_year_range,
    },
    Rule {
        name: "date.year",
        apply: date_year,
    },
    Rule {
        name: "date.decade",
        apply: date_decade,
    },
    Rule {
        name: "date.century",
        apply: date_century,
    },
    Rule {
        name: "date.turn_of",
        apply: date_turn_of,
    },
    Rule {
        name: "date.quarter",
        apply: date_quarter,
    },
    Rule {
        name: "date.half_year",
        apply: date_half_year,
    },
    Rule {
        name: "date.fiscal_year",
        apply: date_fiscal_year,
    },
    Rule {
        name: "date.season",
        apply: date_season,
    },
    Rule {
        name: "date.holiday",
        apply: date_holiday,
    },
    Rule {
        name: "date.day_of_month",
        apply: date_day_of_month,
    },
    Rule {
        name: "date.weekday",
        apply: date_weekday,
    },
    Rule {
        name: "date.month",
        apply: date_month,
    },
    Rule {
        name: "date.deictic_day",
        apply: date_deictic_day,
    },
    Rule {
        name: "date.relative_unit",
        apply: date_relative_unit,
    },
    Rule {
        name: "date.ago",
        apply: date_ago,
    },
    Rule {
        name: "date.weeks_from_weekday",
        apply: date_weeks_from_weekday,
    },
    Rule {
        name: "date.weekday_week",
        apply: date_weekday_week,
    },
    Rule {
        name: "date.this_time_last",
        apply: date_this_time_last,
    },
    Rule {
        name: "date.week_of_month",
        apply: date_week_of_month,
    },
    Rule {
        name: "date.anaphoric",
        apply: date_anaphoric,
    },
    Rule {
        name: "date.earlier_later_in",
        apply: date_earlier_later_in,
    },
    Rule {
        name: "date.boundary_of",
        apply: date_boundary_of,
    },
    Rule {
        name: "time.clock",
        apply: time_clock,
    },
    Rule {
        name: "time.part_of_day",
        apply: time_part_of_day,
    },
    Rule {
        name: "time.part_of_day_of",
        apply: time_part_of_day_of,
    },
    Rule {
        name: "time.dawn_dusk",
        apply: time_dawn_dusk,
    },
    Rule {
        name: "duration.span",
        apply: duration_span,
    },
    Rule {
        name: "duration.count",
        apply: duration_count,
    },
    Rule {
        name: "duration.compound",
        apply: duration_compound,
    },
    Rule {
        name: "duration.vague",
        apply: duration_vague,
    },
    Rule {
        name: "set.every",
        apply: set_every,
    },
    Rule {
        name: "set.frequency",
        apply: set_frequency,
    },
    Rule {
        name: "set.adverb",
        apply: set_adverb,
    },
    Rule {
        name: "ref.past",
        apply: ref_past,
    },
    Rule {
        name: "ref.present",
        apply: ref_present,
    },
    Rule {
        name: "ref.future",
        apply: ref_future,
    },
];

/// Find all expressions in one sentence's tokens: longest match at each
/// position, left to right; then year propagation across ranges
/// ("between March and May 2015": March gets 2015).
///
/// Invariant of the output: sorted, non-overlapping.
pub(crate) fn find(toks: &[Tok<'_>]) -> Vec<Part> {
    let cx = Cx { t: toks };
    let mut out: Vec<Part> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].lex.is_candidate() {
            i += 1;
            continue;
        }
        let mut best: Option<Vec<Part>> = None;
        let mut best_end = i;
        for rule in RULES {
            if let Some(mut parts) = (rule.apply)(&cx, i) {
                let end = parts.last().map_or(i, |p| p.end);
                if end > best_end {
                    for p in &mut parts {
                        p.rule = rule.name;
                    }
                    best_end = end;
                    best = Some(parts);
                }
            }
        }
        match best {
            Some(parts) => {
                out.extend(parts);
                i = best_end;
            }
            None => i += 1,
        }
    }
    propagate_years(toks, &mut out);
    out
}

/// Apply one rule by name at a position (the dateline reader uses this).
pub(crate) fn apply_at(toks: &[Tok<'_>], i: usize, name: &str) -> Option<Part> {
    let rule = RULES.iter().find(|r| r.name == name)?;
    let cx = Cx { t: toks };
    (rule.apply)(&cx, i)?.into_iter().next()
}

/// In "March - May 2015", "between March and May 2015", "from 3 to 5 May 2015",
/// a yearless first part takes the year of the second.
fn propagate_years(toks: &[Tok<'_>], parts: &mut [Part]) {
    for k in 1..parts.len() {
        let (a, b) = parts.split_at_mut(k);
        let first = &mut a[k - 1];
        let second = &b[0];
        let gap = &toks[first.end..second.start];
        let joined = gap.len() == 1
            && matches!(
                gap[0].lex,
                Lex::Dash
                    | Lex::Word(Word::To | Word::And | Word::Through | Word::Until | Word::Or)
            );
        if !joined {
            continue;
        }
        if let (
            Spec::Calendar {
                year: year @ None, ..
            },
            Spec::Calendar { year: Some(y), .. },
        ) = (&mut first.spec, &second.spec)
        {
            *year = Some(*y);
        }
    }
}

/// The tokens of one sentence, with lookups that return `Lex::Other` past the end.
pub(crate) struct Cx<'a> {
    t: &'a [Tok<'a>],
}

impl Cx<'_> {
    fn lex(&self, i: usize) -> Lex {
        self.t.get(i).map_or(Lex::Other, |t| t.lex)
    }

    fn is(&self, i: usize, w: Word) -> bool {
        self.lex(i) == Lex::Word(w)
    }

    fn text(&self, i: usize) -> &str {
        self.t.get(i).map_or("", |t| t.text)
    }

    fn xpos(&self, i: usize) -> Option<Xpos> {
        self.t.get(i).and_then(|t| t.xpos)
    }

    fn cap(&self, i: usize) -> bool {
        self.text(i).starts_with(|c: char| c.is_ascii_uppercase())
    }

    /// A unit token at `i`, with its plurality.
    fn unit(&self, i: usize) -> Option<(Unit, bool)> {
        match self.lex(i) {
            Lex::Unit { unit, plural } => Some((unit, plural)),
            _ => None,
        }
    }

    /// A day of the month: "12", "12th", "first".
    fn day(&self, i: usize) -> Option<i8> {
        match self.lex(i) {
            Lex::Int { n, digits } if digits <= 2 && (1..=31).contains(&n) => Some(n as i8),
            Lex::Ordinal(n) if (1..=31).contains(&n) => Some(n as i8),
            _ => None,
        }
    }

    /// A year written in full after a month or day: "2015", "'99" (3-4 digits).
    fn year_after_date(&self, i: usize) -> Option<i32> {
        match self.lex(i) {
            Lex::Int { n, digits: 3..=4 } if n <= 2200 => Some(n as i32),
            Lex::ShortYear(y) => Some(y),
            _ => None,
        }
    }

    /// A month name that is a month, not the modal "may" or a verb "march".
    fn month(&self, i: usize) -> Option<i8> {
        let Lex::Month(m) = self.lex(i) else {
            return None;
        };
        let text = self.text(i);
        if !self.cap(i) {
            return None;
        }
        if m == 5 || m == 3 {
            if self
                .xpos(i)
                .is_some_and(|x| x == Xpos::Md || x.as_str().starts_with("VB"))
            {
                return None;
            }
            // Sentence-initial "May we ..." / "May I ..." / "March on ...".
            let next = self.text(i + 1);
            if i == 0 && matches!(next, "I" | "We" | "You" | "He" | "She" | "They" | "It") {
                return None;
            }
            if i == 0 && next.starts_with(|c: char| c.is_ascii_lowercase()) {
                let next = self.lex(i + 1);
                if !matches!(next, Lex::Word(Word::Of)) {
                    return None;
                }
            }
        }
        // "Mar." "Sat." need the period; bare "Mar" "Sat" are words.
        if text.len() == 3 && matches!(m, 3 | 6 | 7) {
            return None;
        }
        Some(m)
    }

    fn weekday(&self, i: usize) -> Option<i8> {
        match self.lex(i) {
            Lex::Weekday(d) if self.cap(i) => Some(d),
            _ => None,
        }
    }

    /// A count: "three", "3", "a", "an", "twenty-one", "ten thousand",
    /// "two and a half", "half a", "1.5", "5,000". Returns (count, next index);
    /// `None` count for vague ones: "a few", "several", "a couple of", "many".
    fn count(&self, i: usize) -> Option<(Option<f32>, usize)> {
        let (mut n, mut j) = match self.lex(i) {
            Lex::Int { n, digits } if digits <= 6 => (n as f32, i + 1),
            Lex::Number(x) => (x, i + 1),
            Lex::NumWord(n) => (n as f32, i + 1),
            Lex::Word(Word::A) => {
                if self.is(i + 1, Word::Few) {
                    return Some((None, i + 2));
                }
                if self.is(i + 1, Word::Couple) {
                    let j = if self.is(i + 2, Word::Of) {
                        i + 3
                    } else {
                        i + 2
                    };
                    return Some((None, j));
                }
                (1.0, i + 1)
            }
            Lex::Word(Word::Few | Word::Several | Word::Many) => return Some((None, i + 1)),
            Lex::Word(Word::Half) if matches!(self.lex(i + 1), Lex::Word(Word::A)) => {
                return Some((Some(0.5), i + 2))
            }
            _ => return None,
        };
        // "ten thousand", "two hundred"
        while let Lex::NumWord(m @ (100 | 1000)) = self.lex(j) {
            n *= m as f32;
            j += 1;
        }
        // "twenty one" written apart
        if let (Lex::NumWord(t), Lex::NumWord(u)) = (self.lex(i), self.lex(j)) {
            if t >= 20 && t % 10 == 0 && u < 10 && j == i + 1 {
                n = (t + u) as f32;
                j += 1;
            }
        }
        // "two and a half"
        if self.is(j, Word::And) && self.is(j + 1, Word::A) && self.is(j + 2, Word::Half) {
            n += 0.5;
            j += 3;
        }
        Some((Some(n), j))
    }
}

fn part(start: usize, end: usize, base: TimeType, spec: Spec) -> Part {
    Part {
        start,
        end,
        base,
        spec,
        tod: None,
        rule: "",
    }
}

fn one(p: Part) -> Option<Vec<Part>> {
    Some(vec![p])
}

fn date(start: usize, end: usize, spec: Spec) -> Option<Vec<Part>> {
    one(part(start, end, TimeType::Date, spec))
}

fn cal(year: Option<i32>, month: i8, day: Option<i8>) -> Spec {
    Spec::Calendar {
        year,
        month,
        day,
        shift: Shift::Bare,
    }
}

/// Skip a leading "Tuesday ," before a full date: returns the index after it.
/// A modified weekday needs the comma: "last Friday, July 16" names the date
/// twice, and the date decides ("last Friday July" is not a date).
fn after_weekday(cx: &Cx<'_>, i: usize) -> usize {
    let modified = matches!(
        cx.lex(i),
        Lex::Word(Word::Last | Word::Next | Word::This | Word::Past | Word::Coming)
    );
    if modified {
        if cx.weekday(i + 1).is_some() && cx.lex(i + 2) == Lex::Comma {
            return i + 3;
        }
        return i;
    }
    if cx.weekday(i).is_some() {
        if cx.lex(i + 1) == Lex::Comma {
            return i + 2;
        }
        return i + 1;
    }
    i
}

/// A time of day right after a date: "Tuesday *night*", "May 12 *at 3 p.m.*".
fn trailing_tod(cx: &Cx<'_>, j: usize) -> Option<(TimeOfDay, usize)> {
    if let Lex::PartOfDay(p) = cx.lex(j) {
        if !cx.text(j).ends_with('s') {
            return Some((TimeOfDay::Part(p), j + 1));
        }
    }
    let k = if cx.is(j, Word::At) { j + 1 } else { j };
    if k > j {
        if let Some(p) = dawn_dusk(cx, k) {
            return Some((TimeOfDay::Part(p), k + 1));
        }
    }
    clock_at(cx, k).map(|(h, m, e)| (TimeOfDay::Clock(h, m), e))
}

/// "dawn", "daybreak", "sunrise" (the morning) or "dusk", "sunset",
/// "nightfall" (the evening) at `i`, written in lower case ("Dawn" is also
/// a name and a newspaper).
fn dawn_dusk(cx: &Cx<'_>, i: usize) -> Option<PartOfDay> {
    if cx.cap(i) {
        return None;
    }
    match cx.lex(i) {
        Lex::Word(Word::Dawn) => Some(PartOfDay::Morning),
        Lex::Word(Word::Dusk) => Some(PartOfDay::Evening),
        _ => None,
    }
}

/// A day named at `k` (a weekday, "yesterday", a date) that a time of day
/// before it belongs to, as one part from `start` with that time of day:
/// "3 p.m. (on) Tuesday", "dawn on Friday", "the night of March 3".
fn day_after_time(cx: &Cx<'_>, start: usize, k: usize, tod: TimeOfDay) -> Option<Vec<Part>> {
    for f in [
        date_weekday,
        date_deictic_day,
        date_month_day_year,
        date_day_month_year,
    ] {
        if let Some(mut parts) = f(cx, k) {
            // "the early hours of Monday morning": the same part twice.
            if parts.len() == 1 && parts[0].tod.is_none_or(|t| t == tod) {
                let mut p = parts.remove(0);
                p.start = start;
                p.tod = Some(tod);
                return one(p);
            }
        }
    }
    None
}

/// ## What it recognises
/// ISO dates in one token: "2015-05-12" → 2015-05-12, "2015-05" → 2015-05.
fn date_iso(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let Lex::IsoDate { year, month, day } = cx.lex(i) else {
        return None;
    };
    let day = (day > 0).then_some(day);
    let mut p = part(i, i + 1, TimeType::Date, cal(Some(year), month, day));
    if let Some((tod, e)) = trailing_tod(cx, i + 1).filter(|_| day.is_some()) {
        p.tod = Some(tod);
        p.end = e;
    }
    one(p)
}

/// ## What it recognises
/// Numeric dates with slashes, month first (US news) unless the first number
/// cannot be a month: "05/12/2015" → 2015-05-12, "25/12/2015" → 2015-12-25,
/// "5/12/15" → 2015-05-12.
/// ## Not recognised
/// Two-part "9/11" (fractions, scores and anniversaries are too alike).
fn date_slash(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let Lex::SlashDate(a, b, c) = cx.lex(i) else {
        return None;
    };
    let year = match c {
        0..=29 => 2000 + c,
        30..=99 => 1900 + c,
        1000..=2200 => c,
        _ => return None,
    } as i32;
    let (m, d) = if (1..=12).contains(&a) && (1..=31).contains(&b) {
        (a, b)
    } else if (1..=12).contains(&b) && (1..=31).contains(&a) {
        (b, a)
    } else {
        return None;
    };
    super::value::date(year, m as i8, d as i8)?;
    date(i, i + 1, cal(Some(year), m as i8, Some(d as i8)))
}

/// ## What it recognises
/// Month-first dates, with an optional weekday before and year after:
/// "May 12, 2015" → 2015-05-12, "Feb. 17" → 2015-02-17 (year by tense),
/// "Friday, May 8, 2009" → 2009-05-08, "May 12th" → 2015-05-12,
/// "last Friday, May 8" → 2015-05-08 (the date decides, the span is whole),
/// "Tuesday, May 12 at 3 p.m." → 2015-05-12T15:00.
/// Day ranges give two dates: "March 3-5, 2015" → 2015-03-03 and 2015-03-05.
fn date_month_day_year(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let j = after_weekday(cx, i);
    let month = cx.month(j)?;
    let day = cx.day(j + 1)?;
    let mut end = j + 2;
    // "May 12 - 14", "May 12 to 14"
    let mut second: Option<(usize, i8)> = None;
    if matches!(cx.lex(end), Lex::Dash | Lex::Word(Word::To | Word::And)) {
        if let Some(d2) = cx.day(end + 1) {
            if d2 > day && !matches!(cx.lex(end + 2), Lex::Month(_) | Lex::Unit { .. }) {
                second = Some((end + 1, d2));
                end += 2;
            }
        }
    }
    let mut year = None;
    let k = if cx.lex(end) == Lex::Comma {
        end + 1
    } else {
        end
    };
    if let Some(y) = cx.year_after_date(k) {
        if !matches!(cx.lex(k + 1), Lex::Unit { .. }) {
            year = Some(y);
            end = k + 1;
        }
    }
    // "May 12" where "12" is a count ("May 12 people"): a plural noun follows.
    if year.is_none() && second.is_none() && follows_count_noun(cx, j + 2) {
        return None;
    }
    super::value::date(year.unwrap_or(2000), month, day)?;
    let tod = trailing_tod(cx, end);
    match second {
        None => {
            let mut p = part(i, end, TimeType::Date, cal(year, month, Some(day)));
            if let Some((t, e)) = tod {
                p.tod = Some(t);
                p.end = e;
            }
            one(p)
        }
        Some((s2, d2)) => Some(vec![
            part(i, s2 - 1, TimeType::Date, cal(year, month, Some(day))),
            part(s2, end, TimeType::Date, cal(year, month, Some(d2))),
        ]),
    }
}

/// Whether token `j` is a plural noun that makes the number before it a count.
fn follows_count_noun(cx: &Cx<'_>, j: usize) -> bool {
    if let Some(x) = cx.xpos(j) {
        return x == Xpos::Nns;
    }
    let t = cx.text(j);
    let plural = t.len() > 3
        && t.ends_with('s')
        && !t.ends_with("ss")
        && !t.ends_with("us")
        && !t.ends_with("is")
        && t.starts_with(|c: char| c.is_ascii_lowercase())
        && !matches!(
            t,
            "was"
                | "has"
                | "his"
                | "its"
                | "this"
                | "thus"
                | "always"
                | "perhaps"
                | "whereas"
                | "towards"
                | "afterwards"
                | "besides"
                | "across"
                | "unless"
                | "does"
                | "goes"
                | "says"
                | "yes"
                | "plus"
                | "sometimes"
                | "news"
                | "hers"
                | "ours"
                | "theirs"
        );
    plural
        || matches!(
            t,
            "people" | "men" | "women" | "children" | "police" | "percent" | "%"
        )
}

/// ## What it recognises
/// Day-first dates: "12 May 2015" → 2015-05-12, "the 12th of May" → 2015-05-12,
/// "8 - May - 2006" → 2006-05-08, "Tuesday 12 May" → 2015-05-12,
/// "the fifth of January" → 2016-01-05. Day ranges give two dates:
/// "3 - 4 September 1999" → 1999-09-03 and 1999-09-04.
fn date_day_month_year(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let mut j = after_weekday(cx, i);
    let the = cx.is(j, Word::The);
    if the {
        j += 1;
    }
    let day = cx.day(j)?;
    if the && !matches!(cx.lex(j), Lex::Ordinal(_)) {
        return None;
    }
    let mut k = j + 1;
    let mut first: Option<(usize, i8)> = None;
    let mut day = day;
    // "3 - 4 September", "14 and 15 March"
    if matches!(cx.lex(k), Lex::Dash | Lex::Word(Word::And | Word::To)) {
        if let Some(d2) = cx.day(k + 1) {
            if cx.month(k + 2).is_some() || (cx.is(k + 2, Word::Of) && cx.month(k + 3).is_some()) {
                first = Some((j, day));
                day = d2;
                k += 2;
            }
        }
    }
    // "the 1st day of February"
    if the && cx.unit(k) == Some((Unit::Day, false)) && cx.is(k + 1, Word::Of) {
        k += 1;
    }
    if cx.is(k, Word::Of) || cx.lex(k) == Lex::Dash {
        k += 1;
    }
    let month = cx.month(k)?;
    let mut end = k + 1;
    let mut year = None;
    let mut y = end;
    if matches!(cx.lex(y), Lex::Dash | Lex::Comma) {
        y += 1;
    }
    if let Some(yr) = cx.year_after_date(y) {
        if !matches!(cx.lex(y + 1), Lex::Unit { .. }) {
            year = Some(yr);
            end = y + 1;
        }
    }
    super::value::date(year.unwrap_or(2000), month, day)?;
    // "the 12th of October last", "the 1st of June next" (older English).
    let mut spec = cal(year, month, Some(day));
    if year.is_none() && first.is_none() {
        if let Spec::Calendar { shift, .. } = &mut spec {
            if cx.is(end, Word::Last) {
                *shift = Shift::Last;
                end += 1;
            } else if cx.is(end, Word::Next) && !next_is_word(cx, end + 1) {
                *shift = Shift::Next;
                end += 1;
            }
        }
    }
    match first {
        None => {
            let mut p = part(i, end, TimeType::Date, spec);
            if let Some((t, e)) = trailing_tod(cx, end) {
                p.tod = Some(t);
                p.end = e;
            }
            one(p)
        }
        Some((s1, d1)) => Some(vec![
            part(
                i.min(s1),
                s1 + 1,
                TimeType::Date,
                cal(year, month, Some(d1)),
            ),
            part(s1 + 2, end, TimeType::Date, cal(year, month, Some(day))),
        ]),
    }
}

/// ## What it recognises
/// A month with a year: "May 2015" → 2015-05, "November of 2009" → 2009-11,
/// "October, 1805" → 1805-10, "early June 2015" → 2015-06; with the
/// anchor's year moved: "January last year" said in 2015 → 2014-01, "in
/// March of next year" → 2016-03, "June this year" → 2015-06.
fn date_month_year(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let j = if matches!(cx.lex(i), Lex::Word(Word::Early | Word::Late | Word::Mid)) {
        i + 1
    } else {
        i
    };
    let month = match cx.lex(j) {
        Lex::MidMonth(m) => m,
        _ => cx.month(j)?,
    };
    let mut k = j + 1;
    if cx.is(k, Word::Of) || cx.lex(k) == Lex::Comma {
        k += 1;
    }
    let moved = match cx.lex(k) {
        Lex::Word(Word::Last) => Some(-1),
        Lex::Word(Word::Next) => Some(1),
        Lex::Word(Word::This) => Some(0),
        _ => None,
    };
    if let Some(n) = moved.filter(|_| cx.unit(k + 1) == Some((Unit::Year, false))) {
        let part = YearPart::Month(month);
        return date(i, k + 2, Spec::InYear { part, n });
    }
    let year = match cx.lex(k) {
        Lex::Int { n, digits: 4 } if n <= 2200 => n as i32,
        // "December of 384"
        Lex::Int { n, digits: 3 } if cx.is(k - 1, Word::Of) => n as i32,
        Lex::ShortYear(y) => y,
        _ => return None,
    };
    if matches!(cx.lex(k + 1), Lex::Unit { .. }) || follows_count_noun(cx, k + 1) {
        return None;
    }
    date(i, k + 1, cal(Some(year), month, None))
}

/// Whether a four-digit number at `i` reads as a year.
fn year_at(cx: &Cx<'_>, i: usize) -> Option<i32> {
    let Lex::Int { n, digits: 4 } = cx.lex(i) else {
        return None;
    };
    if !(1000..=2200).contains(&n) {
        return None;
    }
    if let Some(x) = cx.xpos(i) {
        if x != Xpos::Cd {
            return None;
        }
    }
    let prev = if i > 0 { cx.text(i - 1) } else { "" };
    if matches!(
        prev,
        "$" | "€"
            | "£"
            | "#"
            | "No."
            | "no."
            | "No"
            | "number"
            | "Number"
            | "US$"
            | "page"
            | "p."
            | "pp."
            | "Route"
            | "route"
            | "Highway"
            | "Flight"
            | "flight"
            | "Room"
            | "room"
            | "Model"
            | "model"
            | "about"
            | "nearly"
            | "almost"
            | "some"
            | "over"
            | "than"
            | "approximately"
            | "around"
            | "roughly"
    ) {
        return None;
    }
    let next = cx.lex(i + 1);
    if matches!(next, Lex::Unit { .. } | Lex::Int { .. } | Lex::Number(_)) {
        return None;
    }
    let prep_before = matches!(
        prev,
        "in" | "In"
            | "since"
            | "Since"
            | "of"
            | "by"
            | "until"
            | "from"
            | "to"
            | "before"
            | "after"
            | "during"
            | "between"
            | "and"
            | "the"
            | "The"
            | ","
            | "("
            | "year"
    );
    if follows_count_noun(cx, i + 1) && !prep_before {
        return None;
    }
    Some(n as i32)
}

/// A number of one to three digits that may be a year of the first
/// millennium, when nothing after it makes it a count or an amount.
fn early_year(cx: &Cx<'_>, i: usize) -> Option<i32> {
    let Lex::Int { n, digits: 1..=3 } = cx.lex(i) else {
        return None;
    };
    if n == 0 || cx.xpos(i).is_some_and(|x| x != Xpos::Cd) {
        return None;
    }
    let next = cx.lex(i + 1);
    if matches!(
        next,
        Lex::Unit { .. } | Lex::Int { .. } | Lex::Number(_) | Lex::Word(Word::Bc | Word::Ad)
    ) || cx.text(i + 1).starts_with('%')
        || follows_count_noun(cx, i + 1)
    {
        return None;
    }
    Some(n as i32)
}

/// ## What it recognises
/// Years: "2015" → 2015, "the year 2015" → 2015, "the year 980" → 0980,
/// "c. 347" → 0347, "In 348 Pachomius died" → 0348, "3000 BC" → BC3000,
/// "AD 394" → 0394, "'99" → 1999, "mid-2015" → 2015.
/// ## Not recognised
/// Counts and money: "2015 people", "$1999", "No. 1500".
fn date_year(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    // "the year 2015", "the year 980"
    if cx.is(i, Word::The) && cx.unit(i + 1) == Some((Unit::Year, false)) {
        if let Some(y) = year_at(cx, i + 2).or_else(|| early_year(cx, i + 2)) {
            return date(i, i + 3, Spec::Point(Point::Year(y)));
        }
    }
    // "c. 347", "circa 980", "In 348 Pachomius died": an early year where
    // the words say it is one (not "in 348 cases", "c. 300 people").
    if let Some(y) = early_year(cx, i) {
        let prev = if i > 0 { cx.text(i - 1) } else { "" };
        let next = cx.text(i + 1);
        let circa = matches!(prev, "c." | "c" | "ca." | "circa" | "Circa");
        // After "in", a name must be the subject of a finite verb ("In 348
        // Pachomius died"): "in 20 European cities", "in 14 NATO countries"
        // count things.
        let subject_then_verb = cx.xpos(i + 1) == Some(Xpos::Nnp)
            && matches!(
                cx.xpos(i + 2),
                Some(Xpos::Vbd | Xpos::Vbz | Xpos::Vbp | Xpos::Md)
            );
        let in_then_clause = matches!(prev, "In" | "in") && (next == "," || subject_then_verb);
        if circa || in_then_clause {
            return date(i, i + 1, Spec::Point(Point::Year(y)));
        }
    }
    // "AD 394"
    if cx.is(i, Word::Ad) && cx.text(i).starts_with(|c: char| c.is_ascii_uppercase()) {
        if let Lex::Int { n, digits: 1..=4 } = cx.lex(i + 1) {
            return date(i, i + 2, Spec::Point(Point::Year(n as i32)));
        }
    }
    let j = if matches!(cx.lex(i), Lex::Word(Word::Early | Word::Late | Word::Mid))
        && matches!(cx.lex(i + 1), Lex::Int { digits: 4, .. })
    {
        i + 1
    } else {
        i
    };
    match cx.lex(j) {
        // "508 BC", "394 AD", "3,000 BC"
        Lex::Int { n, digits: 1..=4 }
            if matches!(cx.lex(j + 1), Lex::Word(Word::Bc | Word::Ad)) =>
        {
            let y = if cx.is(j + 1, Word::Bc) {
                -(n as i32)
            } else {
                n as i32
            };
            date(i, j + 2, Spec::Point(Point::Year(y)))
        }
        Lex::Number(x) if cx.is(j + 1, Word::Bc) && x.fract() == 0.0 => {
            date(i, j + 2, Spec::Point(Point::Year(-(x as i32))))
        }
        Lex::ShortYear(y) => date(i, j + 1, Spec::Point(Point::Year(y))),
        Lex::MidYear(y) => date(i, j + 1, Spec::Point(Point::Year(y))),
        Lex::YearRange(a, _) => date(i, j + 1, Spec::Point(Point::Year(a))),
        _ => {
            let y = year_at(cx, j)?;
            // "1990 's" is a decade, handled by date.decade.
            date(i, j + 1, Spec::Point(Point::Year(y)))
        }
    }
}

/// ## What it recognises
/// Year ranges written in three tokens: "1871 - 72" → 1871 and 1872,
/// "1990 - 1999" → 1990 and 1999, "2014 to 2015" → 2014 and 2015.
fn date_year_range(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let a = year_at(cx, i).or_else(|| match cx.lex(i) {
        Lex::Int { n, digits: 4 } if (1000..=2200).contains(&n) => Some(n as i32),
        _ => None,
    })?;
    if !matches!(cx.lex(i + 1), Lex::Dash | Lex::Word(Word::To)) {
        return None;
    }
    let b = match cx.lex(i + 2) {
        Lex::Int { n, digits: 4 } if (a as u32) < n && n - (a as u32) < 200 => n as i32,
        Lex::Int { n, digits: 2 } if cx.lex(i + 1) == Lex::Dash => {
            let b = a / 100 * 100 + n as i32;
            if b <= a {
                return None;
            }
            b
        }
        _ => return None,
    };
    Some(vec![
        part(i, i + 1, TimeType::Date, Spec::Point(Point::Year(a))),
        part(i + 2, i + 3, TimeType::Date, Spec::Point(Point::Year(b))),
    ])
}

/// ## What it recognises
/// Decades: "the 1990s" → 199, "the '90s" → 199, "the early 2000s" → 200,
/// "the sixties" → 196, "mid-1980s" → 198, "1990 's" → 199.
fn date_decade(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let mut j = i;
    if cx.is(j, Word::The) {
        j += 1;
    }
    if matches!(cx.lex(j), Lex::Word(Word::Early | Word::Late | Word::Mid)) {
        j += 1;
    }
    let value = match cx.lex(j) {
        Lex::Decade { value, .. } => value,
        Lex::Century(c) => return date(i, j + 1, Spec::Point(Point::Century(c))),
        Lex::Int { n, digits: 4 }
            if n % 10 == 0
                && (1000..=2100).contains(&n)
                && cx.is(j + 1, Word::Possessive)
                && j > i =>
        {
            return date(i, j + 2, Spec::Point(Point::Decade((n / 10) as i32)));
        }
        _ => return None,
    };
    date(i, j + 1, Spec::Point(Point::Decade(value)))
}

/// ## What it recognises
/// Centuries: "the 19th century" → 18, "the twentieth century" → 19,
/// "the 21st - century" → 20, "the late 19th century" → 18, "the 5th century BC" → BC04.
fn date_century(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let mut j = i;
    if cx.is(j, Word::The) {
        j += 1;
    }
    if matches!(cx.lex(j), Lex::Word(Word::Early | Word::Late | Word::Mid)) {
        j += 1;
    }
    let Lex::Ordinal(n) = cx.lex(j) else {
        return None;
    };
    if !(1..=22).contains(&n) {
        return None;
    }
    let mut k = j + 1;
    if cx.lex(k) == Lex::Dash {
        k += 1;
    }
    if cx.unit(k) != Some((Unit::Century, false)) {
        return None;
    }
    if cx.is(k + 1, Word::Bc) {
        // The 5th century BC is 500-401 BC; TIMEX3 writes it BC04.
        return date(i, k + 2, Spec::Literal(format!("BC{:02}", n - 1)));
    }
    date(i, k + 1, Spec::Point(Point::Century(n as i32 - 1)))
}

/// ## What it recognises
/// The turn of a century, valued as the year that opened it: "the turn of
/// the century" said in 2015 → 2000 (the last turn for the past tense, the
/// next for the future, the nearest otherwise; in a text narrating another
/// period, the turn nearest its year: 1900 after "in 1865"), "the turn of the 20th
/// century" → 1900 (the years about 1900, when the 20th century began).
/// ## Not recognised
/// "the turn of the year", "the turn of events".
fn date_turn_of(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::The)
        || !cx.text(i + 1).eq_ignore_ascii_case("turn")
        || !cx.is(i + 2, Word::Of)
    {
        return None;
    }
    let k = i + 3;
    if cx.is(k, Word::The) && cx.unit(k + 1) == Some((Unit::Century, false)) {
        return date(i, k + 2, Spec::TurnOfCentury);
    }
    let century = date_century(cx, k)?.into_iter().next()?;
    match century.spec {
        Spec::Point(Point::Century(c)) => date(
            i,
            century.end,
            Spec::Point(Point::Year(c.checked_mul(100)?)),
        ),
        _ => None,
    }
}

/// The year after a quarter or half ("the first quarter *of 2015*"), from
/// token `k`: a year written out, with or without "of"; after "of", the
/// anchor's year moved ("of the year", "of this year" → 0, "of next year"
/// → 1, "of last year" → -1) or a fiscal year ("of fiscal 2016"). Returns
/// the part's spec and the index after the year.
fn year_of_part(cx: &Cx<'_>, k: usize, part: YearPart) -> Option<(Spec, usize)> {
    let of = cx.is(k, Word::Of);
    let y = if of { k + 1 } else { k };
    if let Some(year) = year_at(cx, y) {
        return Some((Spec::Point(part.of(year)), y + 1));
    }
    if !of {
        return None;
    }
    if let Some((fy, end)) = fiscal_year_at(cx, y) {
        return Some((Spec::Literal(format!("FY{fy:04}-{}", part.code())), end));
    }
    let n = match cx.lex(y) {
        Lex::Word(Word::The | Word::This) => 0,
        Lex::Word(Word::Next) => 1,
        Lex::Word(Word::Last) => -1,
        _ => return None,
    };
    if cx.unit(y + 1) != Some((Unit::Year, false)) {
        return None;
    }
    Some((Spec::InYear { part, n }, y + 2))
}

/// ## What it recognises
/// Quarters: "the second quarter of 2015" → 2015-Q2, "the first quarter" → 2015-Q1
/// (year by tense), "the third quarter of next year" → 2016-Q3, "the
/// fourth quarter of the year" → 2015-Q4, "the first quarter of fiscal
/// 2016" → FY2016-Q1, "last quarter" (→ date.relative_unit); the
/// business press's codes: "Q3 2016", "3Q 2016" → 2016-Q3, "H1 2027",
/// "1H 2027" → 2027-H1, "in Q1" → 2015-Q1 (year by tense).
/// ## Not recognised
/// A half code without its year ("H1" is also a visa, a heading), a
/// quarter code without a year or a preposition of time before it.
fn date_quarter(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if let Some(p) = year_part_code(cx, i) {
        return Some(p);
    }
    let j = if cx.is(i, Word::The) { i + 1 } else { i };
    let Lex::Ordinal(q @ 1..=4) = cx.lex(j) else {
        return None;
    };
    if cx.unit(j + 1) != Some((Unit::Quarter, false)) {
        return None;
    }
    let k = j + 2;
    if let Some((spec, end)) = year_of_part(cx, k, YearPart::Quarter(q as i8)) {
        return date(i, end, spec);
    }
    date(
        i,
        k,
        Spec::Quarter {
            quarter: q as i8,
            shift: Shift::Bare,
        },
    )
}

/// "Q3 2016", "3Q16"-style codes at `i` (see [`date_quarter`]).
fn year_part_code(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let part = match cx.lex(i) {
        Lex::QuarterCode(q) => YearPart::Quarter(q),
        Lex::HalfCode(h) => YearPart::Half(h),
        _ => return None,
    };
    if let Some((spec, end)) = year_of_part(cx, i + 1, part) {
        return date(i, end, spec);
    }
    let after_preposition = i > 0
        && ["in", "for", "during", "by", "since", "until"]
            .iter()
            .any(|w| cx.text(i - 1).eq_ignore_ascii_case(w));
    match part {
        YearPart::Quarter(quarter) if after_preposition => date(
            i,
            i + 1,
            Spec::Quarter {
                quarter,
                shift: Shift::Bare,
            },
        ),
        _ => None,
    }
}

/// ## What it recognises
/// Halves of a year: "the first half of 2014" → 2014-H1, "the second half
/// of the year" → 2015-H2, "the first half of next year" → 2016-H1, "the
/// second half of fiscal 2016" → FY2016-H2.
/// ## Not recognised
/// A half without its year ("the first half" of a match, of a speech).
fn date_half_year(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::The) || !cx.is(i + 2, Word::Half) {
        return None;
    }
    let h = match cx.lex(i + 1) {
        Lex::Ordinal(h @ 1..=2) => h as i8,
        _ => return None,
    };
    if !cx.is(i + 3, Word::Of) {
        return None;
    }
    let (spec, end) = year_of_part(cx, i + 3, YearPart::Half(h))?;
    date(i, end, spec)
}

/// A fiscal year at `i`: "fiscal 2016", "fiscal year 2016", "FY 2016",
/// "FY2016", "FY16", "the 2016 fiscal year" (with "the"). Returns the year
/// and the index after it.
fn fiscal_year_at(cx: &Cx<'_>, i: usize) -> Option<(i32, usize)> {
    if let Lex::FiscalYear(y) = cx.lex(i) {
        return Some((y, i + 1));
    }
    if cx.is(i, Word::Fiscal) {
        let k = if cx.unit(i + 1) == Some((Unit::Year, false)) {
            i + 2
        } else {
            i + 1
        };
        return year_at(cx, k).map(|y| (y, k + 1));
    }
    if cx.is(i, Word::The) && cx.is(i + 2, Word::Fiscal) {
        let y = year_at(cx, i + 1)?;
        if cx.unit(i + 3) == Some((Unit::Year, false)) {
            return Some((y, i + 4));
        }
    }
    None
}

/// ## What it recognises
/// Fiscal years, which TIMEX3 keeps apart from calendar years (a company's
/// or a government's year may start in any month): "fiscal 2016" →
/// FY2016, "fiscal year 2016", "FY2016", "FY 2016", "FY16" → FY2016, "the
/// 2016 fiscal year" → FY2016.
/// ## Not recognised
/// "the fiscal year" without its year.
fn date_fiscal_year(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (y, end) = fiscal_year_at(cx, i)?;
    date(i, end, Spec::Literal(format!("FY{y:04}")))
}

/// Modifiers before a weekday, month, season or holiday: returns (shift, index after).
fn shift_prefix(cx: &Cx<'_>, i: usize) -> (Shift, usize) {
    let mut j = i;
    if matches!(cx.lex(j), Lex::Word(Word::Early | Word::Late | Word::Mid)) {
        j += 1;
    }
    match cx.lex(j) {
        Lex::Word(Word::Last | Word::Past) => (Shift::Last, j + 1),
        Lex::Word(Word::Next | Word::Coming) => (Shift::Next, j + 1),
        Lex::Word(Word::This) => {
            // "this past summer", "this coming Tuesday"
            match cx.lex(j + 1) {
                Lex::Word(Word::Past) => (Shift::Last, j + 2),
                Lex::Word(Word::Coming) => (Shift::Next, j + 2),
                _ => (Shift::This, j + 1),
            }
        }
        Lex::Word(Word::The) if j == i => (Shift::Bare, j + 1),
        _ => (Shift::Bare, j),
    }
}

/// ## What it recognises
/// Seasons: "summer" → 2015-SU (year by tense), "last winter" → 2014-WI,
/// "this spring" → 2015-SP, "the summer of 2012" → 2012-SU, "fall 2015" → 2015-FA.
/// ## Not recognised
/// "fall" and "spring" as verbs or nouns ("prices fall"): a bare "fall" needs a
/// modifier or a year, a bare season a preposition before it.
fn date_season(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    // "the following autumn", "the next summer": after the last date mentioned.
    if cx.is(i, Word::The) && matches!(cx.lex(i + 1), Lex::Word(Word::Following | Word::Next)) {
        if let Lex::Season {
            season,
            plural: false,
        } = cx.lex(i + 2)
        {
            return date(
                i,
                i + 3,
                Spec::Season {
                    season,
                    shift: Shift::Following,
                },
            );
        }
    }
    let (shift, j) = shift_prefix(cx, i);
    let Lex::Season {
        season,
        plural: false,
    } = cx.lex(j)
    else {
        return None;
    };
    // "summer of 2012", "fall 2015"
    let k = if cx.is(j + 1, Word::Of) { j + 2 } else { j + 1 };
    if let Some(y) = year_at(cx, k).or_else(|| match cx.lex(k) {
        Lex::ShortYear(y) => Some(y),
        _ => None,
    }) {
        return date(i, k + 1, Spec::Point(Point::Season(y, season)));
    }
    let modified = j > i;
    let is_fall = cx.text(j).eq_ignore_ascii_case("fall");
    if is_fall && !modified {
        return None;
    }
    if cx.xpos(j).is_some_and(|x| x.as_str().starts_with("VB")) {
        return None;
    }
    // Part of a name: "Arab Spring", "the 2004 Summer Olympics", "Summer Palace".
    let prev_name = j > 0
        && j == i
        && (cx.cap(j - 1) && !matches!(cx.lex(j - 1), Lex::Word(_))
            || matches!(cx.lex(j - 1), Lex::Int { .. }));
    let next_name = cx.cap(j + 1) && !matches!(cx.lex(j + 1), Lex::Word(_));
    // "a spring of water", "the spring of the river" (a year would have matched above).
    let of_noun = cx.is(j + 1, Word::Of) && !cx.is(j + 2, Word::The);
    if prev_name || next_name || of_noun || cx.is(i.wrapping_sub(1), Word::A) {
        return None;
    }
    date(i, j + 1, Spec::Season { season, shift })
}

/// ## What it recognises
/// Holidays: "Christmas" → 2015-12-25 (year by tense), "Christmas Eve" → 2015-12-24,
/// "New Year's Day" → 2016-01-01, "Easter" → 2015-04-05, "Thanksgiving" →
/// 2015-11-26, "Halloween", "Valentine's Day", "Christmas 2014" → 2014-12-25,
/// "Good Friday" → 2015-04-03 (two days before Easter), "Boxing Day" →
/// 2015-12-26.
/// ## Not recognised
/// Feasts of the lunar calendars ("Ramadan", "Eid al-Fitr", "Diwali",
/// "Lunar New Year"): their Gregorian dates need an observed or computed
/// calendar this module does not keep, and a span without a value would
/// give an event no date while claiming one; they are left out.
fn date_holiday(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (shift, j) = shift_prefix(cx, i);
    if !cx.cap(j) {
        return None;
    }
    let day_word = |k: usize| cx.unit(k) == Some((Unit::Day, false)) && cx.cap(k);
    let (holiday, mut end) = match cx.lex(j) {
        Lex::Word(Word::Christmas) => {
            if cx.is(j + 1, Word::Eve) {
                (Holiday::ChristmasEve, j + 2)
            } else if day_word(j + 1) {
                (Holiday::Christmas, j + 2)
            } else {
                (Holiday::Christmas, j + 1)
            }
        }
        Lex::Word(Word::NewYear) => {
            // "New Year 's Day", "New Year's Eve", "New-Year's"
            let mut k = j + 1;
            if cx.text(j).eq_ignore_ascii_case("new") {
                if cx.unit(k) != Some((Unit::Year, false)) || !cx.cap(k) {
                    return None;
                }
                k += 1;
            }
            if cx.is(k, Word::Possessive) {
                k += 1;
            }
            if cx.is(k, Word::Eve) {
                (Holiday::NewYearsEve, k + 1)
            } else if day_word(k) {
                (Holiday::NewYearsDay, k + 1)
            } else {
                return None;
            }
        }
        Lex::Word(Word::Easter) => {
            if cx.lex(j + 1) == Lex::Weekday(7) {
                (Holiday::Easter, j + 2)
            } else {
                (Holiday::Easter, j + 1)
            }
        }
        // "Good Friday", "Boxing Day"
        // Not "the Good Friday Agreement": a name goes on in capitals.
        Lex::Word(Word::Good)
            if cx.lex(j + 1) == Lex::Weekday(5) && cx.cap(j + 1) && !cx.cap(j + 2) =>
        {
            (Holiday::GoodFriday, j + 2)
        }
        Lex::Word(Word::Boxing) if day_word(j + 1) => (Holiday::BoxingDay, j + 2),
        Lex::Word(Word::Thanksgiving) => (Holiday::Thanksgiving, j + 1 + day_word(j + 1) as usize),
        Lex::Word(Word::Halloween) => (Holiday::Halloween, j + 1),
        Lex::Word(Word::Valentine) => {
            let k = if cx.is(j + 1, Word::Possessive) {
                j + 2
            } else {
                j + 1
            };
            if !day_word(k) {
                return None;
            }
            (Holiday::Valentines, k + 1)
        }
        _ => return None,
    };
    let mut year = None;
    if let Some(y) = year_at(cx, end) {
        year = Some(y);
        end += 1;
    }
    date(
        i,
        end,
        Spec::Holiday {
            holiday,
            year,
            shift,
        },
    )
}

/// ## What it recognises
/// Weekdays: "Tuesday" → the Tuesday before the anchor in a past-tense
/// sentence, after it in a future one, the nearest otherwise; "last Tuesday",
/// "next Tuesday", "this Tuesday", "Tuesday night" → 2015-05-12TNI,
/// "Tuesday at 3 p.m." → 2015-05-12T15:00, "the previous Thursday" →
/// 2015-05-07; "this past Sunday" → 2015-05-10, "this coming Friday" →
/// 2015-05-15; "the following Monday" → the first Monday after the last
/// date mentioned; "late Thursday", "early Saturday", "earlier Tuesday",
/// "later Friday" → that day (TIMEX3 would add mod="END"/"START");
/// "(at|over) the weekend" → 2015-W19-WE in a past-tense sentence,
/// 2015-W20-WE in a future one.
fn date_weekday(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    // "late Thursday", "early Saturday", "earlier Tuesday" (wire copy's
    // "said earlier Tuesday"): the span starts at the modifier.
    let s = if matches!(
        cx.lex(i),
        Lex::Word(Word::Early | Word::Late | Word::Earlier | Word::Later)
    ) && cx.weekday(i + 1).is_some()
    {
        i + 1
    } else {
        i
    };
    let (shift, j) = match (cx.lex(s), cx.lex(s + 1)) {
        (Lex::Word(Word::Last | Word::Past), _) => (Shift::Last, s + 1),
        (Lex::Word(Word::Next | Word::Coming), _) => (Shift::Next, s + 1),
        // "this past Sunday", "this coming Friday"
        (Lex::Word(Word::This), Lex::Word(Word::Past)) => (Shift::Last, s + 2),
        (Lex::Word(Word::This), Lex::Word(Word::Coming)) => (Shift::Next, s + 2),
        (Lex::Word(Word::This | Word::That), _) => (Shift::This, s + 1),
        // "the previous Thursday" (before the anchor, as news uses it)
        (Lex::Word(Word::The), Lex::Word(Word::Previous)) => (Shift::Last, s + 2),
        (Lex::Word(Word::The), Lex::Word(Word::Following | Word::Next)) => {
            (Shift::Following, s + 2)
        }
        _ => (Shift::Bare, s),
    };
    // "at the weekend", "over the weekend": the last one in a past-tense
    // clause, the coming one in a future-tense one.
    if shift == Shift::Bare
        && cx.is(i, Word::The)
        && cx.unit(i + 1) == Some((Unit::Weekend, false))
        && i > 0
        && ["at", "over", "during", "on", "across"]
            .iter()
            .any(|w| cx.text(i - 1).eq_ignore_ascii_case(w))
    {
        return date(i, i + 2, Spec::Weekend);
    }
    let weekday = cx.weekday(j)?;
    // Bare "last"/"next" (not "this past", "the previous", "this coming").
    let skip_adjacent = j == s + 1 && matches!(cx.lex(s), Lex::Word(Word::Last | Word::Next));
    let mut p = part(
        i,
        j + 1,
        TimeType::Date,
        Spec::Weekday {
            weekday,
            shift,
            weeks: 0,
            skip_adjacent,
        },
    );
    if let Some((t, e)) = trailing_tod(cx, j + 1) {
        p.tod = Some(t);
        p.end = e;
    }
    one(p)
}

/// ## What it recognises
/// A day of the month without its month, after "on", "by", "until" or
/// "since": "on the 15th" → the 15th of the month last mentioned (two
/// sentences back at most), else of the month around the anchor that the
/// tense points to: "resumed on the 15th" said on 2015-05-12 → 2015-04-15,
/// "will rule on the 15th" → 2015-05-15; with the month named from the
/// anchor's: "the 1st of next month" → 2015-06-01, "the 30th of last
/// month" → 2015-04-30.
/// ## Not recognised
/// Ordinals before a noun: "on the 15th floor", "on the 3rd day".
fn date_day_of_month(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::The) {
        return None;
    }
    // "the 1st of next month", "the first of this month", "the 30th of
    // last month": the month is named, so no preposition is needed.
    if let (Lex::Ordinal(day @ 1..=31), true) = (cx.lex(i + 1), cx.is(i + 2, Word::Of)) {
        let n = match cx.lex(i + 3) {
            Lex::Word(Word::Next) => Some(1),
            Lex::Word(Word::This) => Some(0),
            Lex::Word(Word::Last) => Some(-1),
            _ => None,
        };
        if let (Some(n), Some((Unit::Month, false))) = (n, cx.unit(i + 4)) {
            return date(i, i + 5, Spec::DayInMonth { day: day as i8, n });
        }
    }
    if i == 0 {
        return None;
    }
    if !matches!(
        cx.lex(i - 1),
        Lex::Word(Word::On | Word::By | Word::Until | Word::Since)
    ) {
        return None;
    }
    let Lex::Ordinal(day @ 1..=31) = cx.lex(i + 1) else {
        return None;
    };
    // Written as a number ("15th"), not a word ("the first" is rarely a date).
    if !cx.text(i + 1).starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "the 15th of May" is date.day_month_year; "the 15th floor" a noun phrase.
    let next = cx.text(i + 2);
    let noun_follows = next.starts_with(|c: char| c.is_alphanumeric())
        && !matches!(
            cx.lex(i + 2),
            Lex::Word(
                Word::And | Word::Or | Word::To | Word::At | Word::In | Word::After | Word::Before
            )
        )
        && !matches!(next, "when" | "but" | "as" | "with")
        || cx.lex(i + 2) == Lex::Dash;
    if noun_follows {
        return None;
    }
    date(i, i + 2, Spec::DayOfMonth { day: day as i8 })
}

/// ## What it recognises
/// A month alone: "March" → 2015-03 (year by tense), "last December" said in
/// January 2016 → 2015-12, "next March" → 2016-03, "this June" → 2015-06,
/// "early March", "mid-August" → 2015-08.
fn date_month(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (shift, j) = shift_prefix(cx, i);
    let month = match cx.lex(j) {
        Lex::MidMonth(m) => m,
        _ => cx.month(j)?,
    };
    if j == i
        && cx.text(i).len() <= 4
        && !cx.text(i).ends_with('.')
        && month != 5
        && month != 6
        && month != 7
    {
        // Bare abbreviations ("Jan", "Dec") alone are names more often than months.
        return None;
    }
    if month == 5 && j == i && !cx.cap(i) {
        return None;
    }
    // "the March rally", "the June 30 deadline": without a modifier "the"
    // belongs to the noun phrase, and the month is matched from its own token
    // (where "June 30" can win as a whole; matching here would consume "June").
    if cx.is(i, Word::The) && shift == Shift::Bare {
        return None;
    }
    date(
        i,
        j + 1,
        Spec::Calendar {
            year: None,
            month,
            day: None,
            shift,
        },
    )
}

/// ## What it recognises
/// Days named relative to the anchor: "yesterday" → 2015-05-11, "today" →
/// 2015-05-12, "tomorrow" → 2015-05-13, "tonight" → 2015-05-12TNI,
/// "yesterday morning" → 2015-05-11TMO, "last night" → 2015-05-11TNI,
/// "this morning" → 2015-05-12TMO, "the day before yesterday" → 2015-05-10,
/// "this day" → 2015-05-12, "overnight" → 2015-05-12.
fn date_deictic_day(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let rel = |n| Spec::Relative { unit: Unit::Day, n };
    // "the day before yesterday", "the day after tomorrow"
    if cx.is(i, Word::The) && cx.unit(i + 1) == Some((Unit::Day, false)) {
        if cx.is(i + 2, Word::Before) && cx.is(i + 3, Word::Yesterday) {
            return date(i, i + 4, rel(-2));
        }
        if cx.is(i + 2, Word::After) && cx.is(i + 3, Word::Tomorrow) {
            return date(i, i + 4, rel(2));
        }
    }
    // "USA TODAY", "Russia Today": a capitalised "Today" after a capitalised
    // word inside the sentence is part of a name.
    if cx.is(i, Word::Today) && cx.cap(i) && i > 0 && cx.cap(i - 1) && cx.lex(i - 1) == Lex::Other {
        return None;
    }
    let (n, tod, end) = match cx.lex(i) {
        Lex::Word(Word::Yesterday) => (-1, None, i + 1),
        Lex::Word(Word::Today) => (0, None, i + 1),
        Lex::Word(Word::Tomorrow) => (1, None, i + 1),
        Lex::Word(Word::Tonight) => (0, Some(TimeOfDay::Part(PartOfDay::Night)), i + 1),
        // "struck the refinery overnight": the night that ended on the
        // anchor's day, dated by that day as news dates it (not "an
        // overnight curfew").
        Lex::Word(Word::Overnight)
            if !(i > 0 && matches!(cx.lex(i - 1), Lex::Word(Word::A | Word::The))
                || cx.text(i + 1).starts_with(|c: char| c.is_ascii_lowercase())) =>
        {
            (0, None, i + 1)
        }
        Lex::Word(Word::Last) => match cx.lex(i + 1) {
            Lex::PartOfDay(p @ (PartOfDay::Night | PartOfDay::Evening)) => {
                (-1, Some(TimeOfDay::Part(p)), i + 2)
            }
            _ => return None,
        },
        Lex::Word(Word::This) => match cx.lex(i + 1) {
            Lex::PartOfDay(p) if !cx.text(i + 1).ends_with('s') => {
                (0, Some(TimeOfDay::Part(p)), i + 2)
            }
            Lex::Unit {
                unit: Unit::Day,
                plural: false,
            } => (0, None, i + 2),
            _ => return None,
        },
        _ => return None,
    };
    let mut p = part(i, end, TimeType::Date, rel(n));
    p.tod = tod;
    if tod.is_none() {
        if let Some((t, e)) = trailing_tod(cx, end) {
            p.tod = Some(t);
            p.end = e;
        }
    }
    one(p)
}

/// ## What it recognises
/// A calendar unit named relative to the anchor, with optional "early/late/
/// earlier/later/mid" before it: "last week" → 2015-W19, "this week" →
/// 2015-W20, "next month" → 2015-06, "last year" → 2014, "this weekend" →
/// 2015-W20-WE, "earlier this year" → 2015, "late last year" → 2014,
/// "this past week" → 2015-W19, "the coming year" → 2016, "last quarter" → 2015-Q1.
fn date_relative_unit(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let mut j = i;
    if matches!(
        cx.lex(j),
        Lex::Word(Word::Early | Word::Late | Word::Earlier | Word::Later | Word::Mid)
    ) {
        j += 1;
    }
    let (n, k) = match (cx.lex(j), cx.lex(j + 1)) {
        (Lex::Word(Word::Last), _) => (-1, j + 1),
        (Lex::Word(Word::Next), _) => (1, j + 1),
        (Lex::Word(Word::This), Lex::Word(Word::Past)) => (-1, j + 2),
        (Lex::Word(Word::This), Lex::Word(Word::Coming)) => (1, j + 2),
        (Lex::Word(Word::This), _) => (0, j + 1),
        (Lex::Word(Word::The), Lex::Word(Word::Coming)) if j == i => (1, j + 2),
        _ => return None,
    };
    let (unit, plural) = cx.unit(k)?;
    if plural || matches!(unit, Unit::Second | Unit::Minute | Unit::Hour | Unit::Day) {
        return None;
    }
    date(i, k + 1, Spec::Relative { unit, n })
}

/// ## What it recognises
/// A count of weeks after a coming weekday: "a week from Friday" said on
/// Tuesday 2015-05-12 → Friday 2015-05-15 plus seven days, 2015-05-22;
/// "two weeks from Monday" → 2015-05-18 plus 14 days, 2015-06-01. The
/// weekday is the coming one (on or after the anchor) whatever the tense:
/// the phrase looks forward.
/// ## Not recognised
/// Other units ("three days from Friday"), vague counts ("a few weeks from
/// Friday"), "a week from now" (see `date.ago`).
fn date_weeks_from_weekday(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (count, j) = cx.count(i)?;
    let n = count?;
    if cx.unit(j)? != (Unit::Week, n != 1.0) || !cx.is(j + 1, Word::From) {
        return None;
    }
    if n.fract() != 0.0 || !(1.0..=8.0).contains(&n) {
        return None;
    }
    let weekday = cx.weekday(j + 2)?;
    date(
        i,
        j + 3,
        Spec::Weekday {
            weekday,
            shift: Shift::Next,
            weeks: n as i8,
            skip_adjacent: false,
        },
    )
}

/// ## What it recognises
/// The British "Friday week": a week after the coming Friday, as
/// dictionaries give it ("a week from Friday"): said on Tuesday
/// 2015-05-12, "Friday week" → 2015-05-22, "Tuesday week" → 2015-05-19
/// (said on a Tuesday, a week from that day).
/// ## Not recognised
/// A weekday and "week" followed by a noun or "of" ("the Friday week of
/// talks"), a plural ("Friday weeks"), a weekday with "last", "next" or
/// "this" before it (read by `date.weekday`).
fn date_weekday_week(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let weekday = cx.weekday(i)?;
    if cx.unit(i + 1)? != (Unit::Week, false) || !cx.text(i + 1).eq_ignore_ascii_case("week") {
        return None;
    }
    if i > 0
        && matches!(
            cx.lex(i - 1),
            Lex::Word(Word::Last | Word::Next | Word::This | Word::That | Word::The)
        )
    {
        return None;
    }
    let noun_after = matches!(
        cx.xpos(i + 2),
        Some(Xpos::Nn | Xpos::Nns | Xpos::Nnp | Xpos::Nnps)
    );
    if noun_after || cx.is(i + 2, Word::Of) {
        return None;
    }
    date(
        i,
        i + 2,
        Spec::Weekday {
            weekday,
            shift: Shift::Next,
            weeks: 1,
            skip_adjacent: false,
        },
    )
}

/// ## What it recognises
/// A week of a month by its order, valued as TIMEX3 values a week (an ISO
/// week): "the first week of June" → the ISO week holding June 4, so at
/// least four of June 1-7: said on 2015-05-12 in a past-tense sentence,
/// 2014-W23 (June 2-8, 2014); in a future one, 2015-W23 (June 1-7, 2015).
/// "the second/third/fourth week of" → the weeks after it; "the last
/// (final) week of August" → the week holding the 4th day from the
/// month's end (2015: August 28, 2015-W35); "the second week of March
/// 2016" → 2016-W10. The month without a year is placed by tense like a
/// bare month.
/// ## Not recognised
/// A fifth week, "the first week of talks" (no month), "the first weeks
/// of June" (plural: a vaguer stretch).
fn date_week_of_month(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::The) {
        return None;
    }
    let nth = match cx.lex(i + 1) {
        Lex::Ordinal(n @ 1..=4) => n as i8,
        Lex::Word(Word::Last) => -1,
        _ if cx.text(i + 1).eq_ignore_ascii_case("final") => -1,
        _ => return None,
    };
    if cx.unit(i + 2)? != (Unit::Week, false) || !cx.is(i + 3, Word::Of) {
        return None;
    }
    let month = cx.month(i + 4)?;
    let (year, end) = match cx.lex(i + 5) {
        Lex::Int { n, digits: 4 } if (1000..3000).contains(&n) => (Some(n as i32), i + 6),
        _ => (None, i + 5),
    };
    date(
        i,
        end,
        Spec::WeekOfMonth {
            nth,
            year,
            month,
            shift: Shift::Bare,
        },
    )
}

/// ## What it recognises
/// The anchor's day one week, month or year back or on: "this time last
/// year" said on 2015-05-12 → 2014-05-12, "this time next year" →
/// 2016-05-12, "this time last month" → 2015-04-12, "this time last week"
/// → 2015-05-05 (a day: the phrase names the same point in an earlier
/// cycle, not the whole year).
/// ## Not recognised
/// "this time" alone, "by this time" without a unit, other units ("this
/// time last decade").
fn date_this_time_last(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::This) || !cx.text(i + 1).eq_ignore_ascii_case("time") {
        return None;
    }
    let n = match cx.lex(i + 2) {
        Lex::Word(Word::Last) => -1,
        Lex::Word(Word::Next) => 1,
        _ => return None,
    };
    let (unit, plural) = cx.unit(i + 3)?;
    if plural || !matches!(unit, Unit::Week | Unit::Month | Unit::Year) {
        return None;
    }
    date(
        i,
        i + 4,
        Spec::RelativeFine {
            step: unit,
            n,
            unit: Unit::Day,
        },
    )
}

/// ## What it recognises
/// Counts of units before or after now: "two days ago" → 2015-05-10,
/// "three weeks ago" → 2015-W17, "a year ago" → 2014, "ten years ago" →
/// 2005, "5,000 years ago" → BC2985, "two weeks from now" → 2015-W22,
/// "(in) two weeks' time" → 2015-W22, "(in) a month's time" → 2015-06;
/// counted from the last date mentioned: "two days later" → the day two days
/// after it, "a year later", "three years earlier".
/// "several years ago", "a few days ago" → PAST_REF.
fn date_ago(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (mut count, mut j) = cx.count(i)?;
    let (unit, plural) = cx.unit(j)?;
    let _ = plural;
    // "a year and a half ago": the half after the unit.
    if cx.is(j + 1, Word::And) && cx.is(j + 2, Word::A) && cx.is(j + 3, Word::Half) {
        count = count.map(|n| n + 0.5);
        j += 3;
    }
    let anaphoric = match cx.lex(j + 1) {
        Lex::Word(Word::Ago) => false,
        Lex::Word(Word::From) if cx.is(j + 2, Word::Now) => {
            let n = count?.round() as i64;
            return date(i, j + 3, Spec::Relative { unit, n });
        }
        // "in two weeks' time", "in a month's time"
        _ if matches!(cx.text(j + 1), "'" | "\u{2019}" | "'s" | "\u{2019}s")
            && cx.text(j + 2) == "time" =>
        {
            let n = count?.round() as i64;
            return date(i, j + 3, Spec::Relative { unit, n });
        }
        Lex::Word(Word::Later | Word::Earlier) => true,
        Lex::Word(Word::Before | Word::After) => {
            // Only when nothing follows ("the day before"); "two days before the vote"
            // is relative to an event we cannot date.
            let next = cx.lex(j + 2);
            if !matches!(next, Lex::Other | Lex::Comma) || next_is_word(cx, j + 2) {
                return None;
            }
            true
        }
        _ => return None,
    };
    let Some(n) = count else {
        if anaphoric {
            return None;
        }
        return date(i, j + 2, Spec::Ref("PAST_REF"));
    };
    let sign = match cx.lex(j + 1) {
        Lex::Word(Word::Ago | Word::Earlier | Word::Before) => -1,
        _ => 1,
    };
    if n.fract() != 0.0 {
        // "six and a half months ago", "two and a half years ago": counted
        // in a smaller unit, valued at the granularity of the unit said.
        let (step, per) = match unit {
            Unit::Century => (Unit::Year, 100.0),
            Unit::Decade => (Unit::Year, 10.0),
            Unit::Year => (Unit::Month, 12.0),
            Unit::Quarter => (Unit::Month, 3.0),
            Unit::Month => (Unit::Day, 30.44),
            Unit::Week | Unit::Fortnight => {
                (Unit::Day, if unit == Unit::Week { 7.0 } else { 14.0 })
            }
            _ => return None,
        };
        if anaphoric || !(0.0..1e6).contains(&n) {
            return None;
        }
        let gran = match unit {
            Unit::Century | Unit::Decade => Unit::Year,
            u => u,
        };
        let steps = sign * (n * per).round() as i64;
        return date(
            i,
            j + 2,
            Spec::RelativeFine {
                step,
                n: steps,
                unit: gran,
            },
        );
    }
    let n = sign * n as i64;
    if anaphoric {
        date(i, j + 2, Spec::Anaphoric { unit, n })
    } else {
        let unit = if unit == Unit::Decade || unit == Unit::Century {
            // "a decade ago" is a year: 2005.
            // A count no calendar holds ("111111114444444441111 decades
            // ago") is no date.
            let years = n.checked_mul(if unit == Unit::Decade { 10 } else { 100 })?;
            return date(
                i,
                j + 2,
                Spec::Relative {
                    unit: Unit::Year,
                    n: years,
                },
            );
        } else {
            unit
        };
        date(i, j + 2, Spec::Relative { unit, n })
    }
}

fn next_is_word(cx: &Cx<'_>, j: usize) -> bool {
    cx.text(j).starts_with(|c: char| c.is_alphanumeric())
}

/// ## What it recognises
/// Dates relative to the last date mentioned: "the following day", "the next
/// day", "the previous week", "the same day", "that year", "that night",
/// "the day before", "the week after", "the week before that",
/// "the following morning" → (that day + 1)TMO, "the night before" →
/// (that day - 1)TNI, "the morning after" → (that day + 1)TMO; counted
/// from the anchor: "the week before last" → 2015-W18, "the year after
/// next" → 2017.
fn date_anaphoric(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    // "the night before", "the morning after": only when nothing follows
    // ("the morning after the vote" is counted from an event we cannot date).
    if let (Lex::Word(Word::The), Lex::PartOfDay(p)) = (cx.lex(i), cx.lex(i + 1)) {
        let n = match cx.lex(i + 2) {
            Lex::Word(Word::Before) => -1,
            Lex::Word(Word::After) => 1,
            _ => return None,
        };
        if cx.text(i + 1).ends_with('s') || next_is_word(cx, i + 3) {
            return None;
        }
        let mut p2 = part(
            i,
            i + 3,
            TimeType::Date,
            Spec::Anaphoric { unit: Unit::Day, n },
        );
        p2.tod = Some(TimeOfDay::Part(p));
        return one(p2);
    }
    let (n, j) = match (cx.lex(i), cx.lex(i + 1)) {
        (Lex::Word(Word::The), Lex::Word(Word::Following | Word::Next)) => (1, i + 2),
        (Lex::Word(Word::The), Lex::Word(Word::Previous)) => (-1, i + 2),
        (Lex::Word(Word::The), Lex::Word(Word::Same)) => (0, i + 2),
        (Lex::Word(Word::That), Lex::Word(Word::Same)) => (0, i + 2),
        (Lex::Word(Word::That), _) => (0, i + 1),
        (Lex::Word(Word::The), Lex::Unit { plural: false, .. }) => {
            // "the day before", "the week after that"
            let (unit, _) = cx.unit(i + 1)?;
            let n = match cx.lex(i + 2) {
                Lex::Word(Word::Before) => -1,
                Lex::Word(Word::After) => 1,
                _ => return None,
            };
            let mut end = i + 3;
            // "the week before last", "the year after next": two units
            // from the anchor's, not from the last date mentioned.
            let far = match (n, cx.lex(end)) {
                (-1, Lex::Word(Word::Last)) => Some(-2),
                (1, Lex::Word(Word::Next)) => Some(2),
                _ => None,
            };
            if let Some(n) =
                far.filter(|_| !matches!(unit, Unit::Second | Unit::Minute | Unit::Hour))
            {
                return date(i, end + 1, Spec::Relative { unit, n });
            }
            if cx.is(end, Word::That) {
                end += 1;
            } else if next_is_word(cx, end) {
                return None;
            }
            if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
                return None;
            }
            return date(i, end, Spec::Anaphoric { unit, n });
        }
        _ => return None,
    };
    match cx.lex(j) {
        Lex::Unit {
            unit,
            plural: false,
        } if !matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) => {
            // "the next five years" is a duration, "the next day" a date.
            date(i, j + 1, Spec::Anaphoric { unit, n })
        }
        Lex::PartOfDay(p) if !cx.text(j).ends_with('s') => {
            let mut p2 = part(
                i,
                j + 1,
                TimeType::Date,
                Spec::Anaphoric { unit: Unit::Day, n },
            );
            p2.tod = Some(TimeOfDay::Part(p));
            one(p2)
        }
        _ => None,
    }
}

/// ## What it recognises
/// A stretch of the period of the last date mentioned (else of the
/// anchor's), before or after that moment: "earlier in the day" → that
/// day, "later in the week" said on 2015-05-12 → 2015-W20, "later in the
/// year" → 2015, "later that day" → that day, "earlier that night" → that
/// day's night. The value is the period's (TIMEX3 would add a mod).
/// ## Not recognised
/// Clock units ("later that hour") and plurals ("later in the weeks").
fn date_earlier_later_in(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !matches!(cx.lex(i), Lex::Word(Word::Earlier | Word::Later)) {
        return None;
    }
    let (k, that) = if cx.is(i + 1, Word::In) && cx.is(i + 2, Word::The) {
        (i + 3, false)
    } else if cx.is(i + 1, Word::That) {
        (i + 2, true)
    } else {
        return None;
    };
    match cx.lex(k) {
        Lex::Unit {
            unit,
            plural: false,
        } if !matches!(
            unit,
            Unit::Second | Unit::Minute | Unit::Hour | Unit::Weekend
        ) =>
        {
            date(i, k + 1, Spec::Anaphoric { unit, n: 0 })
        }
        Lex::PartOfDay(p) if that && !cx.text(k).ends_with('s') => {
            let mut p2 = part(
                i,
                k + 1,
                TimeType::Date,
                Spec::Anaphoric {
                    unit: Unit::Day,
                    n: 0,
                },
            );
            p2.tod = Some(TimeOfDay::Part(p));
            one(p2)
        }
        _ => None,
    }
}

/// ## What it recognises
/// Boundaries of a period: "the end of the year" → 2015, "the beginning of
/// next month" → 2015-06, "the end of May" → 2015-05, "the start of 2015" → 2015,
/// "year-end", "year's end" → 2015, "year-end 2016" → 2016.
/// The value is the period's (TIMEX3 would add mod="END").
fn date_boundary_of(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let j = if cx.is(i, Word::The) { i + 1 } else { i };
    // "year-end (2016)", "year - end", "(the) year's end"
    let year_end = match cx.lex(j) {
        Lex::Word(Word::YearEnd) => Some(j + 1),
        Lex::Unit {
            unit: Unit::Year,
            plural: false,
        } if matches!(cx.lex(j + 1), Lex::Dash | Lex::Word(Word::Possessive))
            && cx.is(j + 2, Word::End) =>
        {
            Some(j + 3)
        }
        _ => None,
    };
    if let Some(end) = year_end {
        if let Some(y) = year_at(cx, end) {
            return date(i, end + 1, Spec::Point(Point::Year(y)));
        }
        return date(
            i,
            end,
            Spec::Relative {
                unit: Unit::Year,
                n: 0,
            },
        );
    }
    if !matches!(
        cx.lex(j),
        Lex::Word(Word::Beginning | Word::End | Word::Middle)
    ) || !cx.is(j + 1, Word::Of)
    {
        return None;
    }
    let k = j + 2;
    // "the end of the year/month/week" is this year/month/week.
    if cx.is(k, Word::The) {
        if let Some((unit, false)) = cx.unit(k + 1) {
            if !matches!(unit, Unit::Second | Unit::Minute | Unit::Hour | Unit::Day) {
                return date(i, k + 2, Spec::Relative { unit, n: 0 });
            }
        }
    }
    let inner = [
        date_relative_unit,
        date_month_year,
        date_month,
        date_year,
        date_decade,
        date_century,
    ]
    .iter()
    .find_map(|f| f(cx, k))?;
    let mut p = inner.into_iter().next()?;
    p.start = i;
    one(p)
}

/// A clock time at `i`: "3 p.m.", "3pm", "15:30", "9:00 a.m.", "10 o'clock",
/// "0600 GMT", optionally followed by a time zone or "local time". Returns
/// (hour, minute, end).
fn clock_at(cx: &Cx<'_>, i: usize) -> Option<(u8, u8, usize)> {
    let (mut h, m, mut end) = match cx.lex(i) {
        Lex::Clock { hour, minute } => (hour, minute, i + 1),
        Lex::ClockAmPm { hour, pm } => {
            let h = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
            (h, 0, i + 1)
        }
        Lex::Int { n, digits: 1..=2 } if (1..=12).contains(&n) => {
            if !matches!(cx.lex(i + 1), Lex::Word(Word::Am | Word::Pm | Word::OClock)) {
                return None;
            }
            (n as u8, 0, i + 1)
        }
        Lex::PartOfDay(PartOfDay::Noon) => (12, 0, i + 1),
        Lex::PartOfDay(PartOfDay::Midnight) => (24, 0, i + 1),
        // Wire copy's "0600 GMT", "1430 UTC": four digits need the zone.
        Lex::Int { n, digits: 4 }
            if n / 100 < 24 && n % 100 < 60 && cx.is(i + 1, Word::Timezone) =>
        {
            ((n / 100) as u8, (n % 100) as u8, i + 1)
        }
        _ => return None,
    };
    match cx.lex(end) {
        Lex::Word(Word::Pm) if h < 12 => {
            h += 12;
            end += 1;
        }
        Lex::Word(Word::Am) => {
            if h == 12 {
                h = 0;
            }
            end += 1;
        }
        Lex::Word(Word::Pm | Word::OClock) => end += 1,
        _ => {}
    }
    if cx.is(end, Word::Timezone) {
        end += 1;
    } else if cx.text(end).eq_ignore_ascii_case("local") && cx.text(end + 1) == "time" {
        end += 2;
    }
    Some((h, m, end))
}

/// ## What it recognises
/// Clock times, on the day last mentioned (else the anchor): "3 p.m." →
/// 2015-05-12T15:00, "15:30 GMT" → 2015-05-12T15:30, "noon" → 2015-05-12T12:00,
/// "3 p.m. Tuesday" → 2015-05-12T15:00, "8 p.m. local time" →
/// 2015-05-12T20:00, "0600 GMT" → 2015-05-12T06:00.
/// ## Not recognised
/// Four digits without a zone ("at 0600"): years and counts look the same.
fn time_clock(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (h, m, end) = clock_at(cx, i)?;
    // "noon" and "midnight" alone need "at" or "by" before them.
    if matches!(cx.lex(i), Lex::PartOfDay(_))
        && !(i > 0
            && matches!(
                cx.text(i - 1),
                "at" | "by" | "until" | "before" | "after" | "At" | "By"
            ))
    {
        return None;
    }
    // "3 p.m. Tuesday", "3 p.m. on Tuesday"
    let k = if cx.is(end, Word::On) { end + 1 } else { end };
    if let Some(p) = day_after_time(cx, i, k, TimeOfDay::Clock(h, m)) {
        return Some(p);
    }
    let mut p = part(i, end, TimeType::Time, Spec::Clock);
    p.tod = Some(TimeOfDay::Clock(h, m));
    one(p)
}

/// ## What it recognises
/// Parts of the current reference day after "in the"/"during the": "the
/// morning" → 2015-05-12TMO, "the evening" → 2015-05-12TEV.
fn time_part_of_day(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::The)
        || i == 0
        || !matches!(cx.text(i - 1), "in" | "during" | "In" | "During" | "by")
    {
        return None;
    }
    // "in the early hours": the morning of the day last mentioned.
    if early_hours(cx, i) && !cx.is(i + 3, Word::Of) {
        let mut part = part(i, i + 3, TimeType::Time, Spec::Clock);
        part.tod = Some(TimeOfDay::Part(PartOfDay::Morning));
        return one(part);
    }
    let Lex::PartOfDay(p @ (PartOfDay::Morning | PartOfDay::Afternoon | PartOfDay::Evening)) =
        cx.lex(i + 1)
    else {
        return None;
    };
    if cx.text(i + 1).ends_with('s') || cx.is(i + 2, Word::Of) {
        return None;
    }
    let mut part = part(i, i + 2, TimeType::Time, Spec::Clock);
    part.tod = Some(TimeOfDay::Part(p));
    one(part)
}

/// "the early hours", "the small hours", "the wee hours" at `i`: the hours
/// after midnight.
fn early_hours(cx: &Cx<'_>, i: usize) -> bool {
    cx.is(i, Word::The)
        && (cx.is(i + 1, Word::Early)
            || ["small", "wee"]
                .iter()
                .any(|w| cx.text(i + 1).eq_ignore_ascii_case(w)))
        && cx.unit(i + 2) == Some((Unit::Hour, true))
}

/// ## What it recognises
/// A part of a named day: "the night of March 3" → 2015-03-03TNI, "the
/// morning of May 3" → 2015-05-03TMO, "the evening of Tuesday" →
/// 2015-05-12TEV (the day placed as on its own); "the early hours of
/// Sunday", "the small hours of Monday morning" → that day's morning
/// (2015-05-10TMO: the hours after midnight).
/// ## Not recognised
/// Plurals and other nouns after "of": "the mornings of May", "the night
/// of the attack".
fn time_part_of_day_of(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if early_hours(cx, i) && cx.is(i + 3, Word::Of) {
        return day_after_time(cx, i, i + 4, TimeOfDay::Part(PartOfDay::Morning));
    }
    if !cx.is(i, Word::The) || !cx.is(i + 2, Word::Of) {
        return None;
    }
    let Lex::PartOfDay(
        p @ (PartOfDay::Morning | PartOfDay::Afternoon | PartOfDay::Evening | PartOfDay::Night),
    ) = cx.lex(i + 1)
    else {
        return None;
    };
    if cx.text(i + 1).ends_with('s') {
        return None;
    }
    day_after_time(cx, i, i + 3, TimeOfDay::Part(p))
}

/// ## What it recognises
/// Dawn and dusk after a preposition of time, on the day last mentioned
/// (else the anchor) or on the day that follows: "at dawn" →
/// 2015-05-12TMO, "before dawn on Friday" → 2015-05-08TMO (past tense),
/// "by nightfall" → 2015-05-12TEV, "at daybreak", "after sunset".
/// ## Not recognised
/// Other uses of the words: "the dawn of a new era", "Dawn" (a name, a
/// newspaper), "a dawn raid" (a modifier, no preposition); the daily
/// stretch "from dusk to dawn", "from sunset to sunrise" (a curfew's or a
/// habit's hours, no one day).
fn time_dawn_dusk(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let p = dawn_dusk(cx, i)?;
    let prep = i > 0
        && ["at", "by", "before", "after", "until", "till", "around"]
            .iter()
            .any(|w| cx.text(i - 1).eq_ignore_ascii_case(w));
    if !prep {
        return None;
    }
    let k = if cx.is(i + 1, Word::On) { i + 2 } else { i + 1 };
    if let Some(parts) = day_after_time(cx, i, k, TimeOfDay::Part(p)) {
        return Some(parts);
    }
    let mut part = part(i, i + 1, TimeType::Time, Spec::Clock);
    part.tod = Some(TimeOfDay::Part(p));
    one(part)
}

/// ## What it recognises
/// Stretches up to or from the anchor: "the past three years" → P3Y, "the
/// last few months" → PXM, "the next five years" → P5Y, "the past decade" →
/// P10Y, "the past 24 hours" → PT24H, "the last year" → P1Y.
fn duration_span(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    if !cx.is(i, Word::The) {
        return None;
    }
    let j = i + 1;
    if !matches!(
        cx.lex(j),
        Lex::Word(
            Word::Past | Word::Last | Word::Next | Word::Coming | Word::Previous | Word::Following
        )
    ) {
        return None;
    }
    let j = j + 1;
    if let Some((unit, false)) = cx.unit(j) {
        // "the next day" is a date (date.anaphoric), "the past year" a duration.
        let anaphoric = matches!(
            cx.lex(j - 1),
            Lex::Word(Word::Following | Word::Next | Word::Previous)
        );
        if unit != Unit::Weekend && !anaphoric {
            return one(part(
                i,
                j + 1,
                TimeType::Duration,
                Spec::Literal(duration(Some(1.0), unit)),
            ));
        }
        return None;
    }
    let (count, k) = cx.count(j)?;
    let (unit, _) = cx.unit(k)?;
    one(part(
        i,
        k + 1,
        TimeType::Duration,
        Spec::Literal(duration(count, unit)),
    ))
}

/// ## What it recognises
/// Counted durations: "eight hours" → PT8H, "three years" → P3Y, "a week" →
/// P1W, "two and a half years" → P2.5Y, "several months" → PXM, "a decade" →
/// P10Y, "half an hour" → PT0.5H, "10 minutes" → PT10M.
fn duration_count(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (count, j) = cx.count(i)?;
    let (unit, plural) = cx.unit(j)?;
    if let Some(n) = count {
        // "a day" after "once"/"twice"/"times" is a set, and "one day" is often "some day".
        if n == 1.0 && plural {
            return None;
        }
        if n > 1.0 && !plural {
            return None;
        }
    }
    if cx.is(j + 1, Word::Old) || cx.text(j + 1) == "-old" {
        return None;
    }
    // "a year" in "$5 million a year" is a rate: leave it.
    if cx.is(i, Word::A)
        && i > 0
        && matches!(
            cx.lex(i - 1),
            Lex::Int { .. } | Lex::Number(_) | Lex::NumWord(_) | Lex::Other
        )
        && !next_is_word(cx, i - 1)
    {
        return None;
    }
    one(part(
        i,
        j + 1,
        TimeType::Duration,
        Spec::Literal(duration(count, unit)),
    ))
}

/// ## What it recognises
/// Count-unit compounds: "a two-day visit" → P2D, "an eight-hour meeting" →
/// PT8H, "the 21 - year reign" → P21Y.
/// ## Not recognised
/// Ages: "a 10-year-old boy".
fn duration_compound(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (n, end) = match cx.lex(i) {
        Lex::CountUnit { n, unit } => (Some((n, unit)), i + 1),
        Lex::Int { n, digits: 1..=3 } | Lex::NumWord(n) if cx.lex(i + 1) == Lex::Dash => {
            match cx.unit(i + 2) {
                Some((unit, false)) => (Some((n, unit)), i + 3),
                _ => (None, i),
            }
        }
        _ => (None, i),
    };
    let (n, unit) = n?;
    if cx.lex(end) == Lex::Dash || cx.text(end).starts_with("-old") || cx.is(end, Word::Old) {
        return None;
    }
    one(part(
        i,
        end,
        TimeType::Duration,
        Spec::Literal(duration(Some(n as f32), unit)),
    ))
}

/// ## What it recognises
/// Unquantified durations after "for", "over" or "within": "for years" →
/// PXY, "for decades" → PXDE, "for hours" → PTXH, "for months" → PXM.
fn duration_vague(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let (unit, true) = cx.unit(i)? else {
        return None;
    };
    if i == 0 || !matches!(cx.lex(i - 1), Lex::Word(Word::For | Word::Within)) {
        return None;
    }
    if matches!(cx.lex(i + 1), Lex::Word(Word::Of | Word::Ago)) {
        return None;
    }
    one(part(
        i,
        i + 1,
        TimeType::Duration,
        Spec::Literal(duration(None, unit)),
    ))
}

/// The TIMEX3 set value of a unit: day → P1D, year → P1Y, hour → PT1H.
fn unit_set(unit: Unit, n: u32) -> String {
    duration(Some(n as f32), unit)
}

/// ## What it recognises
/// "every"/"each" + a period: "every Monday" → XXXX-WXX-1, "every year" →
/// P1Y, "every two years" → P2Y, "each morning" → XXXX-XX-XXTMO, "every
/// January" → XXXX-01, "every summer" → XXXX-SU, "every other week" → P2W;
/// plural weekdays after "on": "on Mondays" → XXXX-WXX-1.
fn set_every(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let set = |end: usize, v: String| one(part(i, end, TimeType::Set, Spec::Literal(v)));
    if let Lex::Weekdays(d) = cx.lex(i) {
        if i > 0 && cx.is(i - 1, Word::On) && cx.cap(i) {
            return set(i + 1, format!("XXXX-WXX-{d}"));
        }
        return None;
    }
    if !matches!(cx.lex(i), Lex::Word(Word::Every | Word::Each)) {
        return None;
    }
    let mut j = i + 1;
    let mut n = 1;
    if cx.text(j).eq_ignore_ascii_case("other") {
        n = 2;
        j += 1;
    } else if let Lex::Int {
        n: k,
        digits: 1..=2,
    }
    | Lex::NumWord(k) = cx.lex(j)
    {
        n = k;
        j += 1;
    }
    match cx.lex(j) {
        Lex::Unit { unit, .. } => set(j + 1, unit_set(unit, n)),
        Lex::Weekday(d) if n == 1 => set(j + 1, format!("XXXX-WXX-{d}")),
        Lex::Month(m) if n == 1 && cx.cap(j) => set(j + 1, format!("XXXX-{m:02}")),
        Lex::Season { season, .. } if n == 1 => set(j + 1, format!("XXXX-{}", season.code())),
        Lex::PartOfDay(p) if n == 1 => set(j + 1, format!("XXXX-XX-XXT{}", p.code())),
        _ => None,
    }
}

/// ## What it recognises
/// Frequencies: "once a week" → P1W, "twice a year" → P1Y, "three times a
/// month" → P1M, "once per day" → P1D.
fn set_frequency(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let j = match cx.lex(i) {
        Lex::Word(Word::Once | Word::Twice) => i + 1,
        Lex::Int { .. } | Lex::NumWord(_) if cx.is(i + 1, Word::Times) => i + 2,
        _ => return None,
    };
    if !matches!(cx.lex(j), Lex::Word(Word::A | Word::Per)) {
        return None;
    }
    let (unit, false) = cx.unit(j + 1)? else {
        return None;
    };
    one(part(
        i,
        j + 2,
        TimeType::Set,
        Spec::Literal(unit_set(unit, 1)),
    ))
}

/// ## What it recognises
/// Frequency adverbs: "daily" → P1D, "weekly" → P1W, "monthly" → P1M,
/// "annually" / "yearly" → P1Y, "hourly" → PT1H, "nightly" → XXXX-XX-XXTNI.
/// ## Not recognised
/// The adjectives before a noun: "a daily newspaper", "the annual summit".
fn set_adverb(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let v = match cx.lex(i) {
        Lex::Word(Word::Daily) => "P1D",
        Lex::Word(Word::Weekly) => "P1W",
        Lex::Word(Word::Monthly) => "P1M",
        Lex::Word(Word::Annually) => {
            if cx.text(i).eq_ignore_ascii_case("annual") {
                return None;
            }
            "P1Y"
        }
        Lex::Word(Word::Hourly) => "PT1H",
        Lex::Word(Word::Nightly) => "XXXX-XX-XXTNI",
        _ => return None,
    };
    if let Some(x) = cx.xpos(i) {
        if x != Xpos::Rb {
            return None;
        }
    } else {
        // Untagged: an adverb ends the clause or precedes a preposition/punctuation.
        let next = cx.text(i + 1);
        let adverbial = next.is_empty()
            || !next.starts_with(|c: char| c.is_alphanumeric())
            || matches!(
                cx.lex(i + 1),
                Lex::Word(_) | Lex::Int { .. } | Lex::Number(_)
            );
        if !adverbial || (i > 0 && matches!(cx.lex(i - 1), Lex::Word(Word::A | Word::The))) {
            return None;
        }
    }
    one(part(i, i + 1, TimeType::Set, Spec::Literal(v.to_string())))
}

/// ## What it recognises
/// Vague past references: "recently", "lately", "the past" (after "in"),
/// "recent years" / "recent months" (after "in").
fn ref_past(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let r = |end| date(i, end, Spec::Ref("PAST_REF"));
    match cx.lex(i) {
        Lex::Word(Word::Recently | Word::Lately) => r(i + 1),
        Lex::Word(Word::The)
            if cx.is(i + 1, Word::Past)
                && i > 0
                && cx.is(i - 1, Word::In)
                && !matches!(
                    cx.lex(i + 2),
                    Lex::Unit { .. }
                        | Lex::Int { .. }
                        | Lex::NumWord(_)
                        | Lex::Word(Word::Few | Word::Several | Word::Couple)
                ) =>
        {
            r(i + 2)
        }
        Lex::Word(Word::Recent) if matches!(cx.unit(i + 1), Some((_, true))) => r(i + 2),
        _ => None,
    }
}

/// ## What it recognises
/// Vague present references: "now", "right now", "currently", "nowadays",
/// "at present" → "present", "at the moment" → "the moment", "these days".
fn ref_present(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let r = |start, end| date(start, end, Spec::Ref("PRESENT_REF"));
    match cx.lex(i) {
        Lex::Word(Word::Right) if cx.is(i + 1, Word::Now) => r(i, i + 2),
        Lex::Word(Word::Now) => {
            // "now that ..." is a conjunction; "until now" / "by now" are fine.
            if cx.xpos(i).is_some_and(|x| x != Xpos::Rb) {
                return None;
            }
            r(i, i + 1)
        }
        Lex::Word(Word::Currently | Word::Nowadays) => r(i, i + 1),
        Lex::Word(Word::Present) if i > 0 && cx.is(i - 1, Word::At) => r(i, i + 1),
        Lex::Word(Word::The) if cx.is(i + 1, Word::Moment) && i > 0 && cx.is(i - 1, Word::At) => {
            r(i, i + 2)
        }
        Lex::Word(Word::These) if cx.unit(i + 1) == Some((Unit::Day, true)) => r(i, i + 2),
        _ => None,
    }
}

/// ## What it recognises
/// Vague future references: "soon", "the future" / "the near future" (after
/// "in"), "the coming days/weeks/months/years" → FUTURE_REF.
fn ref_future(cx: &Cx<'_>, i: usize) -> Option<Vec<Part>> {
    let r = |end| date(i, end, Spec::Ref("FUTURE_REF"));
    match cx.lex(i) {
        Lex::Word(Word::Soon) => {
            // "as soon as" is a conjunction.
            if cx.text(i + 1).eq_ignore_ascii_case("as")
                || (i > 0 && cx.text(i - 1).eq_ignore_ascii_case("as"))
            {
                return None;
            }
            r(i + 1)
        }
        Lex::Word(Word::The) => {
            let mut j = i + 1;
            if cx.text(j).eq_ignore_ascii_case("near")
                || cx.text(j).eq_ignore_ascii_case("foreseeable")
            {
                j += 1;
            }
            if cx.is(j, Word::Future) && !cx.is(j + 1, Word::Of) {
                return r(j + 1);
            }
            if cx.is(i + 1, Word::Coming) && matches!(cx.unit(i + 2), Some((_, true))) {
                return r(i + 3);
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique() {
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn a_count_of_decades_or_centuries_too_large_to_multiply_is_no_date() {
        // Found by the `time` fuzz target: the count times ten overflowed.
        for text in [
            "It began 111111114444444441111 decades ago.",
            "It began 99999999999999999999 centuries ago.",
        ] {
            let found = crate::time::normalize_text(text, Some("2015-05-12"));
            // Read as a (huge) duration at most, never as a date.
            assert!(
                found.iter().all(|f| f.time_type != TimeType::Date),
                "{found:?}"
            );
        }
        let found = crate::time::normalize_text("It began a decade ago.", Some("2015-05-12"));
        assert_eq!(found[0].value.as_deref(), Some("2005"));
    }
}
