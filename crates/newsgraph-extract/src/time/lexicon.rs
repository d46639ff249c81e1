//! The words of time expressions: each token is classified once into a [`Lex`]
//! so the rules compare small enums, never strings, in their hot loop.

/// A calendar unit, as in "three *weeks*", "last *month*", "every *year*".
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Weekend,
    Week,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    /// The ISO 8601 duration designator and multiplier: ("H", 1, time part), ("Y", 10, ...).
    pub(crate) fn designator(self) -> (&'static str, u32, bool) {
        match self {
            Unit::Second => ("S", 1, true),
            Unit::Minute => ("M", 1, true),
            Unit::Hour => ("H", 1, true),
            Unit::Day => ("D", 1, false),
            Unit::Weekend => ("WE", 1, false),
            Unit::Week => ("W", 1, false),
            Unit::Fortnight => ("W", 2, false),
            Unit::Month => ("M", 1, false),
            Unit::Quarter => ("Q", 1, false),
            Unit::Year => ("Y", 1, false),
            Unit::Decade => ("Y", 10, false),
            Unit::Century => ("Y", 100, false),
        }
    }
}

/// A season; TIMEX3 writes them `SP`, `SU`, `FA`, `WI`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    /// The month the season starts in (northern hemisphere, as GUM annotates it).
    pub(crate) fn start_month(self) -> i8 {
        match self {
            Season::Spring => 3,
            Season::Summer => 6,
            Season::Fall => 9,
            Season::Winter => 12,
        }
    }
}

/// A part of the day; TIMEX3 writes them `MO`, `MI`, `AF`, `EV`, `NI`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum PartOfDay {
    Morning,
    Noon,
    Afternoon,
    Evening,
    Night,
    Midnight,
}

impl PartOfDay {
    /// The TIMEX3 suffix after `T`: `MO`, `12:00`, ...
    pub(crate) fn code(self) -> &'static str {
        match self {
            PartOfDay::Morning => "MO",
            PartOfDay::Noon => "12:00",
            PartOfDay::Afternoon => "AF",
            PartOfDay::Evening => "EV",
            PartOfDay::Night => "NI",
            PartOfDay::Midnight => "24:00",
        }
    }
}

/// Function words and modifiers the rules look for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    The,
    A,
    This,
    That,
    These,
    Last,
    Next,
    Past,
    Coming,
    Following,
    Previous,
    Same,
    Ago,
    Later,
    Earlier,
    Early,
    Late,
    Mid,
    Before,
    After,
    Of,
    In,
    On,
    At,
    And,
    Or,
    To,
    Through,
    Until,
    Between,
    From,
    For,
    Over,
    Within,
    Since,
    By,
    Every,
    Each,
    Per,
    Once,
    Twice,
    Times,
    Few,
    Several,
    Couple,
    Many,
    Half,
    Yesterday,
    Today,
    Tomorrow,
    Tonight,
    Overnight,
    Now,
    Currently,
    Nowadays,
    Present,
    Moment,
    Recently,
    Lately,
    Soon,
    Future,
    Recent,
    Beginning,
    End,
    /// "year-end": the end of a year in one word.
    YearEnd,
    /// "Good" (Friday) and "Boxing" (Day): the first words of two holidays.
    Good,
    Boxing,
    Middle,
    Am,
    Pm,
    OClock,
    Bc,
    Ad,
    Daily,
    Weekly,
    Monthly,
    Annually,
    Hourly,
    Nightly,
    Christmas,
    Eve,
    NewYear,
    Easter,
    Thanksgiving,
    Halloween,
    Valentine,
    Possessive,
    Timezone,
    Right,
    Old,
    Whole,
    Entire,
    /// "dawn", "daybreak", "sunrise": the morning's start.
    Dawn,
    /// "dusk", "sunset", "nightfall": the evening's start.
    Dusk,
    /// "fiscal", "FY": a fiscal year ("fiscal 2016", "FY 2016").
    Fiscal,
}

/// What a token is, as far as time expressions care.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) enum Lex {
    Other,
    /// A hyphen or dash between two parts ("1990 - 1999", "8 - May").
    Dash,
    Comma,
    /// Month number 1..=12 ("May", "Feb.", "Sept"); `cap` is whether it is capitalised.
    Month(i8),
    /// ISO weekday 1 (Monday) ..= 7 (Sunday).
    Weekday(i8),
    /// Plural weekday ("Mondays"): sets.
    Weekdays(i8),
    /// Digits only; `digits` is the number of digits ("0512" has 4).
    Int {
        n: u32,
        digits: u8,
    },
    /// "12th", "first", "twenty-first".
    Ordinal(u32),
    /// A number word: "one" .. "ninety", "hundred", "thousand", "dozen".
    NumWord(u32),
    /// "ten thousand" style multipliers are handled by the rules; "1,000" and "2.5" here.
    Number(f32),
    Unit {
        unit: Unit,
        plural: bool,
    },
    /// "two-day", "8-hour", "21-year": a count and a unit in one token.
    CountUnit {
        n: u32,
        unit: Unit,
    },
    Season {
        season: Season,
        plural: bool,
    },
    PartOfDay(PartOfDay),
    /// "1990s" → 199, "'90s" → 199, "sixties" → 196 (the TIMEX3 decade value); `mid` for "mid-1990s".
    Decade {
        value: i32,
        two_digit: bool,
    },
    /// "'99" → 1999.
    ShortYear(i32),
    /// "1600s" → 16 (the TIMEX3 century value).
    Century(i32),
    /// "2015-05-12" (or "2015-05" with day 0).
    IsoDate {
        year: i32,
        month: i8,
        day: i8,
    },
    /// "05/12/2015": the three numbers as written; the year may be two digits.
    SlashDate(u32, u32, u32),
    /// "1871-72", "2015-16", "1990–1999".
    YearRange(i32, i32),
    /// "15:30", "9:00".
    Clock {
        hour: u8,
        minute: u8,
    },
    /// "3pm", "10am".
    ClockAmPm {
        hour: u8,
        pm: bool,
    },
    /// "mid-August", "mid-2015", "mid-1990s": a modifier fused to its head.
    MidMonth(i8),
    MidYear(i32),
    /// "FY2016", "FY16": a fiscal year in one token.
    FiscalYear(i32),
    /// "Q3", "3Q": a quarter in the business press's shorthand (capital Q).
    QuarterCode(i8),
    /// "H1", "2H": a half year in the same shorthand (capital H).
    HalfCode(i8),
    Word(Word),
}

impl Lex {
    /// Whether the token can start or modify a time expression at all; the rules
    /// are tried only at such tokens.
    pub(crate) fn is_candidate(self) -> bool {
        !matches!(self, Lex::Other | Lex::Comma | Lex::Dash)
    }
}

/// Classify one token. `text` is the token as written.
pub(crate) fn classify(text: &str) -> Lex {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return Lex::Other;
    };
    if bytes.len() > 24 {
        return Lex::Other;
    }
    if let Some(code) = year_part_code(bytes) {
        return code;
    }
    if first.is_ascii_digit() {
        return classify_numeric(text);
    }
    if first == b'\'' || text.starts_with('\u{2019}') || text.starts_with('\u{2018}') {
        return classify_apostrophe(text);
    }
    if text == "," {
        return Lex::Comma;
    }
    if matches!(text, "-" | "\u{2013}" | "\u{2014}" | "--") {
        return Lex::Dash;
    }
    if !first.is_ascii_alphabetic() {
        return Lex::Other;
    }
    let mut buf = [0u8; 24];
    let lower = lowercase(bytes, &mut buf);
    classify_word(lower)
}

/// "Q3", "3Q", "H1", "2H": a quarter or half of a year written as a
/// capital letter and its number, either way round. A lower-case "h" is
/// an hour ("2h"), so only capitals count.
fn year_part_code(bytes: &[u8]) -> Option<Lex> {
    let &[a, b] = bytes else {
        return None;
    };
    let (letter, digit) = if a.is_ascii_digit() { (b, a) } else { (a, b) };
    let n = digit.checked_sub(b'0')? as i8;
    match letter {
        b'Q' if (1..=4).contains(&n) => Some(Lex::QuarterCode(n)),
        b'H' if (1..=2).contains(&n) => Some(Lex::HalfCode(n)),
        _ => None,
    }
}

fn lowercase<'b>(bytes: &[u8], buf: &'b mut [u8; 24]) -> &'b str {
    let n = bytes.len();
    for (d, s) in buf.iter_mut().zip(bytes) {
        *d = s.to_ascii_lowercase();
    }
    // Non-ASCII bytes are copied unchanged, so the buffer is still UTF-8.
    std::str::from_utf8(&buf[..n]).unwrap_or("")
}

fn classify_word(w: &str) -> Lex {
    use Lex::Word as W;
    match w {
        "january" | "jan" | "jan." => Lex::Month(1),
        "february" | "feb" | "feb." => Lex::Month(2),
        "march" | "mar." => Lex::Month(3),
        "april" | "apr" | "apr." => Lex::Month(4),
        "may" => Lex::Month(5),
        "june" | "jun." => Lex::Month(6),
        "july" | "jul." => Lex::Month(7),
        "august" | "aug" | "aug." => Lex::Month(8),
        "september" | "sept" | "sept." | "sep." => Lex::Month(9),
        "october" | "oct" | "oct." => Lex::Month(10),
        "november" | "nov" | "nov." => Lex::Month(11),
        "december" | "dec" | "dec." => Lex::Month(12),
        "monday" | "mon." => Lex::Weekday(1),
        "tuesday" | "tue." | "tues." => Lex::Weekday(2),
        "wednesday" | "wed." => Lex::Weekday(3),
        "thursday" | "thu." | "thur." | "thurs." => Lex::Weekday(4),
        "friday" | "fri." => Lex::Weekday(5),
        "saturday" | "sat." => Lex::Weekday(6),
        "sunday" | "sun." => Lex::Weekday(7),
        "mondays" => Lex::Weekdays(1),
        "tuesdays" => Lex::Weekdays(2),
        "wednesdays" => Lex::Weekdays(3),
        "thursdays" => Lex::Weekdays(4),
        "fridays" => Lex::Weekdays(5),
        "saturdays" => Lex::Weekdays(6),
        "sundays" => Lex::Weekdays(7),
        "seconds" | "sec" | "secs" => unit(Unit::Second, w),
        "second" => Lex::Ordinal(2),
        "minute" | "minutes" | "min" | "mins" => unit(Unit::Minute, w),
        "hour" | "hours" | "hrs" => unit(Unit::Hour, w),
        "day" | "days" => unit(Unit::Day, w),
        "weekend" | "weekends" => unit(Unit::Weekend, w),
        "week" | "weeks" => unit(Unit::Week, w),
        "fortnight" | "fortnights" => unit(Unit::Fortnight, w),
        "month" | "months" => unit(Unit::Month, w),
        "quarter" | "quarters" => unit(Unit::Quarter, w),
        "year" | "years" | "yr" | "yrs" => unit(Unit::Year, w),
        "decade" | "decades" => unit(Unit::Decade, w),
        "century" | "centuries" => unit(Unit::Century, w),
        "spring" | "springtime" => season(Season::Spring, false),
        "summer" | "summertime" => season(Season::Summer, false),
        "autumn" | "fall" => season(Season::Fall, false),
        "winter" | "wintertime" => season(Season::Winter, false),
        "springs" => season(Season::Spring, true),
        "summers" => season(Season::Summer, true),
        "autumns" => season(Season::Fall, true),
        "winters" => season(Season::Winter, true),
        "morning" | "mornings" => Lex::PartOfDay(PartOfDay::Morning),
        "noon" | "midday" => Lex::PartOfDay(PartOfDay::Noon),
        "afternoon" | "afternoons" => Lex::PartOfDay(PartOfDay::Afternoon),
        "evening" | "evenings" => Lex::PartOfDay(PartOfDay::Evening),
        "night" | "nights" => Lex::PartOfDay(PartOfDay::Night),
        "midnight" => Lex::PartOfDay(PartOfDay::Midnight),
        "the" => W(Word::The),
        "a" | "an" | "one" => {
            if w == "one" {
                Lex::NumWord(1)
            } else {
                W(Word::A)
            }
        }
        "this" => W(Word::This),
        "that" => W(Word::That),
        "these" => W(Word::These),
        "last" => W(Word::Last),
        "next" => W(Word::Next),
        "past" => W(Word::Past),
        "coming" | "upcoming" => W(Word::Coming),
        "following" | "subsequent" => W(Word::Following),
        "previous" | "preceding" | "prior" => W(Word::Previous),
        "same" => W(Word::Same),
        "ago" => W(Word::Ago),
        "later" => W(Word::Later),
        "earlier" => W(Word::Earlier),
        "early" => W(Word::Early),
        "late" => W(Word::Late),
        "mid" => W(Word::Mid),
        "before" => W(Word::Before),
        "after" => W(Word::After),
        "of" => W(Word::Of),
        "in" => W(Word::In),
        "on" => W(Word::On),
        "at" => W(Word::At),
        "and" => W(Word::And),
        "or" => W(Word::Or),
        "to" => W(Word::To),
        "through" | "thru" => W(Word::Through),
        "until" | "till" | "til" => W(Word::Until),
        "between" => W(Word::Between),
        "from" => W(Word::From),
        "for" => W(Word::For),
        "over" => W(Word::Over),
        "within" => W(Word::Within),
        "since" => W(Word::Since),
        "by" => W(Word::By),
        "every" => W(Word::Every),
        "each" => W(Word::Each),
        "per" => W(Word::Per),
        "once" => W(Word::Once),
        "twice" => W(Word::Twice),
        "times" => W(Word::Times),
        "few" => W(Word::Few),
        "several" => W(Word::Several),
        "couple" => W(Word::Couple),
        "many" => W(Word::Many),
        "half" => W(Word::Half),
        "yesterday" => W(Word::Yesterday),
        "today" => W(Word::Today),
        "tomorrow" => W(Word::Tomorrow),
        "tonight" => W(Word::Tonight),
        "overnight" => W(Word::Overnight),
        "now" => W(Word::Now),
        "currently" | "presently" => W(Word::Currently),
        "nowadays" => W(Word::Nowadays),
        "present" => W(Word::Present),
        "moment" => W(Word::Moment),
        "recently" => W(Word::Recently),
        "lately" => W(Word::Lately),
        "soon" => W(Word::Soon),
        "future" => W(Word::Future),
        "recent" => W(Word::Recent),
        "beginning" | "start" => W(Word::Beginning),
        "end" => W(Word::End),
        "year-end" | "yearend" => W(Word::YearEnd),
        "middle" => W(Word::Middle),
        "am" | "a.m." | "a.m" => W(Word::Am),
        "pm" | "p.m." | "p.m" => W(Word::Pm),
        "o'clock" => W(Word::OClock),
        "bc" | "b.c." | "bce" | "b.c.e." => W(Word::Bc),
        "ad" | "a.d." | "ce" | "c.e." => W(Word::Ad),
        "daily" => W(Word::Daily),
        "weekly" => W(Word::Weekly),
        "monthly" => W(Word::Monthly),
        "annually" | "yearly" | "annual" => W(Word::Annually),
        "hourly" => W(Word::Hourly),
        "nightly" => W(Word::Nightly),
        "christmas" | "xmas" => W(Word::Christmas),
        "eve" => W(Word::Eve),
        "easter" => W(Word::Easter),
        "good" => W(Word::Good),
        "boxing" => W(Word::Boxing),
        "thanksgiving" => W(Word::Thanksgiving),
        "halloween" => W(Word::Halloween),
        "valentine" => W(Word::Valentine),
        "'s" | "\u{2019}s" => W(Word::Possessive),
        "gmt" | "utc" | "est" | "edt" | "cst" | "cdt" | "pst" | "pdt" | "cet" | "cest" | "bst" => {
            W(Word::Timezone)
        }
        "right" => W(Word::Right),
        "old" => W(Word::Old),
        "whole" => W(Word::Whole),
        "entire" => W(Word::Entire),
        "dawn" | "daybreak" | "sunrise" => W(Word::Dawn),
        "dusk" | "sunset" | "nightfall" => W(Word::Dusk),
        "fiscal" | "fy" => W(Word::Fiscal),
        "new" => W(Word::NewYear),
        _ => classify_rare_word(w),
    }
}

fn unit(u: Unit, w: &str) -> Lex {
    Lex::Unit {
        unit: u,
        plural: w.ends_with('s') && !matches!(w, "hrs" | "yrs" | "mins" | "secs")
            || w == "centuries",
    }
}

fn season(season: Season, plural: bool) -> Lex {
    Lex::Season { season, plural }
}

/// Number words, ordinals, decades in words, hyphenated compounds.
fn classify_rare_word(w: &str) -> Lex {
    if let Some(n) = number_word(w) {
        return Lex::NumWord(n);
    }
    if let Some(n) = ordinal_word(w) {
        return Lex::Ordinal(n);
    }
    if let Some(d) = decade_word(w) {
        return Lex::Decade {
            value: d,
            two_digit: true,
        };
    }
    // "fy2016", "fy16" (the text was lowercased).
    if let Some(y) = w.strip_prefix("fy").and_then(|d| {
        let n = parse_u32(d)?;
        match d.len() {
            4 if (1900..=2200).contains(&n) => Some(n as i32),
            2 if n < 30 => Some(2000 + n as i32),
            2 => Some(1900 + n as i32),
            _ => None,
        }
    }) {
        return Lex::FiscalYear(y);
    }
    if let Some(rest) = w.strip_prefix("mid-") {
        return match classify(rest) {
            Lex::Month(m) => Lex::MidMonth(m),
            Lex::Int { n, digits: 4 } => Lex::MidYear(n as i32),
            d @ Lex::Decade { .. } => d,
            _ => Lex::Other,
        };
    }
    if let Some((a, b)) = w.split_once('-') {
        // "two-day", "eight-hour", "twenty-one", "twenty-first", "21-year" (digits handled elsewhere)
        if let (Some(t), Some(u)) = (number_word(a), number_word(b)) {
            if t >= 20 && t % 10 == 0 && u < 10 {
                return Lex::NumWord(t + u);
            }
        }
        if let (Some(t), Some(u)) = (number_word(a), ordinal_word(b)) {
            if t >= 20 && t % 10 == 0 && u < 10 {
                return Lex::Ordinal(t + u);
            }
        }
        if let (Some(n), Some(unit)) = (number_word(a), count_unit(b)) {
            return Lex::CountUnit { n, unit };
        }
        if a == "new" && b == "year's" {
            return Lex::Word(Word::NewYear);
        }
    }
    Lex::Other
}

/// The unit of a compound's second half: "two-*day*", "8-*hour*", "21-*year*".
pub(crate) fn count_unit(w: &str) -> Option<Unit> {
    Some(match w {
        "second" => Unit::Second,
        "minute" => Unit::Minute,
        "hour" => Unit::Hour,
        "day" => Unit::Day,
        "week" => Unit::Week,
        "month" => Unit::Month,
        "year" => Unit::Year,
        "decade" => Unit::Decade,
        "century" => Unit::Century,
        _ => return None,
    })
}

pub(crate) fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "thousand" => 1000,
        "dozen" => 12,
        _ => return None,
    })
}

fn ordinal_word(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

fn decade_word(w: &str) -> Option<i32> {
    Some(match w {
        "twenties" => 192,
        "thirties" => 193,
        "forties" => 194,
        "fifties" => 195,
        "sixties" => 196,
        "seventies" => 197,
        "eighties" => 198,
        "nineties" => 199,
        _ => return None,
    })
}

fn parse_u32(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Tokens that start with a digit.
fn classify_numeric(t: &str) -> Lex {
    if let Some(n) = parse_u32(t) {
        return Lex::Int {
            n,
            digits: t.len() as u8,
        };
    }
    let b = t.as_bytes();
    // Ordinals: 1st 2nd 3rd 4th 21st.
    if t.len() >= 3 && t.is_char_boundary(t.len() - 2) {
        let (num, suf) = t.split_at(t.len() - 2);
        if let Some(n) = parse_u32(num) {
            let suf = suf.to_ascii_lowercase();
            if matches!(suf.as_str(), "st" | "nd" | "rd" | "th") {
                return Lex::Ordinal(n);
            }
            if suf == "am" || suf == "pm" {
                if (1..=12).contains(&n) {
                    return Lex::ClockAmPm {
                        hour: n as u8,
                        pm: suf == "pm",
                    };
                }
                return Lex::Other;
            }
        }
    }
    // Decades: 1990s, 1990's, 90s, 90's.
    let lower = t.to_ascii_lowercase();
    if let Some(num) = lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix("\u{2019}s"))
        .or_else(|| lower.strip_suffix('s'))
    {
        if let Some(n) = parse_u32(num) {
            // "the 1600s" is a century; "the 2000s" is read as the decade.
            if num.len() == 4 && n % 100 == 0 && n != 2000 {
                return Lex::Century((n / 100) as i32);
            }
            if num.len() == 4 && n % 10 == 0 {
                return Lex::Decade {
                    value: (n / 10) as i32,
                    two_digit: false,
                };
            }
            if num.len() == 2 && n % 10 == 0 {
                return Lex::Decade {
                    value: two_digit_decade(n),
                    two_digit: true,
                };
            }
        }
    }
    // 2015-05-12, 2015-05, 1871-72, 1990-1999, two-day style "8-hour".
    if let Some((a, rest)) = t.split_once(['-', '\u{2013}']) {
        if let Some(x) = parse_u32(a) {
            if a.len() == 4 {
                if let Some((m, d)) = rest.split_once('-') {
                    if let (Some(m), Some(d)) = (parse_u32(m), parse_u32(d)) {
                        if (1..=12).contains(&m) && (1..=31).contains(&d) {
                            return Lex::IsoDate {
                                year: x as i32,
                                month: m as i8,
                                day: d as i8,
                            };
                        }
                    }
                    return Lex::Other;
                }
                if let Some(y) = parse_u32(rest) {
                    if rest.len() == 4 && y > x && y - x < 200 {
                        return Lex::YearRange(x as i32, y as i32);
                    }
                    if rest.len() == 2 {
                        let second = (x / 100 * 100 + y) as i32;
                        if second > x as i32 {
                            return Lex::YearRange(x as i32, second);
                        }
                        // "2015-05" is a year and a month.
                        if (1..=12).contains(&y) {
                            return Lex::IsoDate {
                                year: x as i32,
                                month: y as i8,
                                day: 0,
                            };
                        }
                    }
                }
            }
            if let Some(unit) = count_unit(&rest.to_ascii_lowercase()) {
                return Lex::CountUnit { n: x, unit };
            }
        }
        return Lex::Other;
    }
    // 05/12/2015
    if b.contains(&b'/') {
        let mut it = t.split('/');
        if let (Some(a), Some(m), Some(c), None) = (it.next(), it.next(), it.next(), it.next()) {
            if let (Some(a), Some(m), Some(c)) = (parse_u32(a), parse_u32(m), parse_u32(c)) {
                return Lex::SlashDate(a, m, c);
            }
        }
        return Lex::Other;
    }
    // 15:30
    if let Some((h, m)) = t.split_once(':') {
        if let (Some(h), Some(mm)) = (parse_u32(h), parse_u32(m)) {
            if h <= 24 && mm < 60 && m.len() == 2 {
                return Lex::Clock {
                    hour: h as u8,
                    minute: mm as u8,
                };
            }
        }
        return Lex::Other;
    }
    // 1,000 and 2.5
    if b.iter()
        .all(|c| c.is_ascii_digit() || *c == b',' || *c == b'.')
    {
        let s: String = t.chars().filter(|c| *c != ',').collect();
        if let Ok(x) = s.parse::<f32>() {
            return Lex::Number(x);
        }
    }
    Lex::Other
}

/// "'90s" → 199; two-digit decades before the 20s are read as this century.
fn two_digit_decade(n: u32) -> i32 {
    if n < 30 {
        200 + (n / 10) as i32
    } else {
        190 + (n / 10) as i32
    }
}

/// "'99" (a year), "'90s" (a decade), "'s".
fn classify_apostrophe(t: &str) -> Lex {
    let rest = t
        .strip_prefix('\'')
        .or_else(|| t.strip_prefix('\u{2019}'))
        .or_else(|| t.strip_prefix('\u{2018}'))
        .unwrap_or(t);
    if rest == "s" || rest == "S" {
        return Lex::Word(Word::Possessive);
    }
    if let Some(n) = parse_u32(rest) {
        if rest.len() == 2 {
            let y = if n < 30 { 2000 + n } else { 1900 + n };
            return Lex::ShortYear(y as i32);
        }
        return Lex::Other;
    }
    let lower = rest.to_ascii_lowercase();
    if let Some(num) = lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix("\u{2019}s"))
        .or_else(|| lower.strip_suffix('s'))
    {
        if let Some(n) = parse_u32(num) {
            if num.len() == 2 && n % 10 == 0 {
                return Lex::Decade {
                    value: two_digit_decade(n),
                    two_digit: true,
                };
            }
        }
    }
    Lex::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_common_forms() {
        assert_eq!(classify("Feb."), Lex::Month(2));
        assert_eq!(classify("TUESDAY"), Lex::Weekday(2));
        assert_eq!(classify("2015"), Lex::Int { n: 2015, digits: 4 });
        assert_eq!(classify("12th"), Lex::Ordinal(12));
        assert_eq!(
            classify("1990s"),
            Lex::Decade {
                value: 199,
                two_digit: false
            }
        );
        assert_eq!(
            classify("\u{2019}80s"),
            Lex::Decade {
                value: 198,
                two_digit: true
            }
        );
        assert_eq!(
            classify("2015-05-12"),
            Lex::IsoDate {
                year: 2015,
                month: 5,
                day: 12
            }
        );
        assert_eq!(classify("1871-72"), Lex::YearRange(1871, 1872));
        assert_eq!(
            classify("two-day"),
            Lex::CountUnit {
                n: 2,
                unit: Unit::Day
            }
        );
        assert_eq!(
            classify("8-hour"),
            Lex::CountUnit {
                n: 8,
                unit: Unit::Hour
            }
        );
        assert_eq!(classify("twenty-first"), Lex::Ordinal(21));
        assert_eq!(classify("'99"), Lex::ShortYear(1999));
        assert_eq!(classify("mid-August"), Lex::MidMonth(8));
        assert_eq!(
            classify("15:30"),
            Lex::Clock {
                hour: 15,
                minute: 30
            }
        );
        assert_eq!(classify("3pm"), Lex::ClockAmPm { hour: 3, pm: true });
        assert_eq!(classify("1,000"), Lex::Number(1000.0));
        assert_eq!(classify("people"), Lex::Other);
        assert_eq!(classify("FY2016"), Lex::FiscalYear(2016));
        assert_eq!(classify("FY16"), Lex::FiscalYear(2016));
        assert_eq!(classify("FY216"), Lex::Other);
        assert_eq!(classify("dusk"), Lex::Word(Word::Dusk));
    }
}
