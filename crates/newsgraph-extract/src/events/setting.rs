//! When and where an event happened: the time expression governing its
//! clause, else a fitting one in its sentence (past events take past times,
//! future events future ones), else for asserted past events the day of
//! the past week the story tells of (deeds, not words), else the dateline
//! or publication date; and the place attached to its clause (else the
//! dateline place).

use super::modality::Clause;
use super::tree::Tree;
use super::Candidate;
use newsgraph_core::records::{EntityType, Location, Modality, TimeType};
use newsgraph_core::tags::{Deprel, Upos, Xpos};
use newsgraph_core::{Doc, TextRange};
use newsgraph_nlp::ner::{GazKind, Gazetteer};

/// What the whole document says about time and place: its dateline and
/// publication date, and the clause head each time expression attaches to.
#[derive(Debug)]
pub struct DocSetting {
    /// Date of the dateline or else the publication date (YYYY-MM-DD).
    pub anchor: Option<String>,
    /// End of the dateline (its date is the anchor, never an event's own time).
    dateline_end: Option<u32>,
    /// The dateline's place (token range of the place words).
    pub dateline_place: Option<(usize, usize)>,
    /// For each time expression: its head token, and the words it hangs
    /// from up to the nearest verb (the verb last).
    times: Vec<(usize, Vec<usize>)>,
    /// The days of the past week the story tells of, in text order: (the
    /// sentence of the time expression, its day), outside the dateline.
    story_days: Vec<(u32, String)>,
}

impl DocSetting {
    pub fn new(doc: &Doc, tree: &Tree<'_>) -> DocSetting {
        let published = doc
            .meta
            .published
            .as_deref()
            .and_then(|p| p.get(..10))
            .map(str::to_string);
        let mut dateline_end = None;
        let mut dateline_place = None;
        if let Some(d) = tree.dateline() {
            dateline_end = Some(doc.token(d.dash).range().end);
            dateline_place = Some((d.place.start, d.place.end));
        }
        let dateline_date = dateline_end.and_then(|end| {
            doc.times
                .iter()
                .find(|t| t.range.end <= end && t.time_type == TimeType::Date)
                .and_then(|t| t.value.as_deref())
                .filter(|v| v.len() == 10 && v.as_bytes()[0].is_ascii_digit())
                .map(str::to_string)
        });
        let ranges = doc.token_ranges();
        let times = doc
            .times
            .iter()
            .map(|t| {
                let first = ranges.partition_point(|r| r.end <= t.range.start);
                let last = ranges
                    .partition_point(|r| r.start < t.range.end)
                    .max(first + 1);
                let head = (first..last.min(doc.len()))
                    .find(|&i| tree.head(i).is_none_or(|h| h < first || h >= last))
                    .unwrap_or(first);
                // Climb to the nearest verb or noun that is not itself a
                // preposition's object inside the time phrase. A time that
                // modifies a noun ("the 2015 nuclear deal", "Monday's
                // deadline") belongs to that noun alone; a possessive
                // ("Monday's vote", "boycotted Sunday's election") still
                // dates what is done to the noun.
                let mut path = Vec::new();
                if matches!(
                    tree.rel(head),
                    Some(Deprel::Compound | Deprel::Amod | Deprel::Nummod)
                ) {
                    path.extend(tree.head(head));
                    return (head, path);
                }
                let mut cur = head;
                for _ in 0..5 {
                    match tree.head(cur) {
                        Some(h) => {
                            cur = h;
                            path.push(h);
                            if matches!(tree.upos(h), Some(Upos::Verb)) {
                                break;
                            }
                        }
                        None => break,
                    }
                }
                (head, path)
            })
            .collect();
        let anchor = dateline_date.or(published);
        let story_days = story_days(doc, tree, ranges, dateline_end, anchor.as_deref());
        DocSetting {
            anchor,
            dateline_end,
            dateline_place,
            times,
            story_days,
        }
    }
}

impl DocSetting {
    /// Whether a range lies in the dateline ("ASTANA, April 23 (Meridian) -").
    fn in_dateline(&self, r: TextRange) -> bool {
        self.dateline_end.is_some_and(|end| r.end <= end)
    }
}

/// A day value ("2015-05-12", "2015-05-12TEV").
fn is_day(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// A usable calendar value of a time expression: a day (a time's day), an
/// ISO week, a month or a year ("2015-05-12", "2015-W21", "2015-05", "2015").
///
/// ```text
/// "2015-05-12T15:00" -> "2015-05-12"    "2015-W21-WE" -> "2015-W21"
/// "2015-SU", "P3Y", "PAST_REF" -> none
/// ```
fn calendar(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    if b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) {
        if is_day(v) {
            return Some(&v[..10]);
        }
        let week = b.len() >= 8
            && &b[4..6] == b"-W"
            && b[6..8].iter().all(u8::is_ascii_digit)
            && (b.len() == 8 || b[8] == b'-');
        if week {
            return Some(&v[..8]);
        }
        let month = b.len() == 7 && b[4] == b'-' && b[5..7].iter().all(u8::is_ascii_digit);
        if month || v.len() == 4 {
            return Some(v);
        }
        // "in the first quarter of 2014", "the second half of 2014": the year.
        if b.len() == 7 && b[4] == b'-' && matches!(b[5], b'Q' | b'H') && b[6].is_ascii_digit() {
            return Some(&v[..4]);
        }
    }
    None
}

/// The first and last day of a calendar value (see [`calendar`]).
fn interval(v: &str) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    use jiff::civil::{Date, ISOWeekDate, Weekday};
    let y: i16 = v.get(..4)?.parse().ok()?;
    match v.len() {
        4 => Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?)),
        7 => {
            let d = Date::new(y, v[5..7].parse().ok()?, 1).ok()?;
            Some((d, d.last_of_month()))
        }
        8 => {
            let w: i8 = v[6..8].parse().ok()?;
            let monday = ISOWeekDate::new(y, w, Weekday::Monday).ok()?.date();
            let sunday = ISOWeekDate::new(y, w, Weekday::Sunday).ok()?.date();
            Some((monday, sunday))
        }
        10 => {
            let d = Date::new(y, v[5..7].parse().ok()?, v[8..10].parse().ok()?).ok()?;
            Some((d, d))
        }
        _ => None,
    }
}

/// How a time expression must lie against the anchor to date an event.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Direction {
    /// A past event: the time starts on or before the anchor.
    Past,
    /// A future event: the time ends on or after the anchor.
    Future,
    Any,
}

/// Whether calendar value `v` fits an event looking in `dir` from `anchor`.
fn fits(v: &str, dir: Direction, anchor: Option<&str>) -> bool {
    let (Some((a, _)), Some((start, end))) = (anchor.and_then(interval), interval(v)) else {
        return true;
    };
    match dir {
        Direction::Past => start <= a,
        Direction::Future => end >= a,
        Direction::Any => true,
    }
}

/// Whether calendar value `v` lies wholly after `anchor`: "on Thursday",
/// "next month" in a story of Monday. An event the text dates there has not
/// happened yet.
pub fn after_anchor(v: &str, anchor: Option<&str>) -> bool {
    match (anchor.and_then(interval), interval(v)) {
        (Some((a, _)), Some((start, _))) => start > a,
        _ => false,
    }
}

/// The governing time expression and the event's date.
pub fn date(
    tree: &Tree<'_>,
    ctx: &DocSetting,
    c: &Candidate<'_>,
    clause: &Clause,
) -> (Option<usize>, Option<String>) {
    let doc = tree.doc;
    let sent = tree.sentence_of[c.token];
    let past = clause.modality == Modality::Asserted && past_tense(tree, c.clause);
    // A noun the clause's verb responds to ("dismissed calls from traders
    // on Monday", "rebuffed a Saudi proposal"): the noun's event came
    // before the response, whose time is not its own.
    let response = c.clause != c.token
        && tree.upos(c.token) == Some(Upos::Noun)
        && tree.head(c.token) == Some(c.clause)
        && responds(tree, c.clause);
    let alone;
    let (c, targets) = if response {
        alone = Candidate {
            clause: c.token,
            ..c.clone()
        };
        (&alone, vec![c.token])
    } else {
        let mut targets = vec![c.token, c.clause];
        targets.extend(clause.chain.iter().copied());
        (c, targets)
    };
    let attached = |target: usize| {
        doc.times.iter().enumerate().find(|(k, t)| {
            let (head, path) = &ctx.times[*k];
            tree.sentence_of[*head] == sent
                && !ctx.in_dateline(t.range)
                && path.contains(&target)
                && !until(tree, *head)
                && t.value.as_deref().and_then(calendar).is_some()
                && !other_clause(tree, path, &targets, c, past)
        })
    };
    for &t in &targets {
        if let Some((k, t)) = attached(t) {
            return (
                Some(k),
                t.value.as_deref().and_then(calendar).map(str::to_string),
            );
        }
    }
    let dir = if past {
        Direction::Past
    } else if clause.modality == Modality::Future {
        Direction::Future
    } else {
        Direction::Any
    };
    if past {
        if let Some((k, v)) = days_after(tree, ctx, c.token) {
            return (Some(k), Some(v));
        }
    }
    let own_clause = |k: usize| !other_clause(tree, &ctx.times[k].1, &targets, c, past);
    if let Some((k, v)) = in_sentence(tree, ctx, c.token, dir, own_clause) {
        return (Some(k), Some(v.to_string()));
    }
    // No time of its own: the story's day (see `story_day`), else the
    // dateline's date, else the publication date, for an asserted past
    // event only. A planned, negated, conditional or
    // hypothetical event, or one told in the present, stays undated.
    if past {
        let story = story_day(tree, ctx, c);
        return (None, story.or_else(|| ctx.anchor.clone()));
    }
    (None, None)
}

/// How far back a day may lie from the anchor to be the day a story tells
/// of: news tells of the past week.
const STORY_WINDOW_DAYS: i32 = 7;

/// The days of the past week that the time expressions outside the
/// dateline name ("opened fire on a market on Tuesday"), with their
/// sentences, in text order.
fn story_days(
    doc: &Doc,
    tree: &Tree<'_>,
    ranges: &[TextRange],
    dateline_end: Option<u32>,
    anchor: Option<&str>,
) -> Vec<(u32, String)> {
    let Some(anchor) = anchor.and_then(|a| a.parse::<jiff::civil::Date>().ok()) else {
        return Vec::new();
    };
    doc.times
        .iter()
        .filter(|t| dateline_end.is_none_or(|end| t.range.end > end))
        .filter_map(|t| {
            let v = t.value.as_deref().filter(|v| is_day(v))?;
            let day: jiff::civil::Date = v[..10].parse().ok()?;
            let back = (anchor - day).get_days();
            if day > anchor || back > STORY_WINDOW_DAYS {
                return None;
            }
            let first = ranges.partition_point(|r| r.end <= t.range.start);
            let sent = *tree.sentence_of.get(first)?;
            Some((sent, v[..10].to_string()))
        })
        .collect()
}

/// The day of a story's deeds for an asserted past event with no time of
/// its own: a day of the past week named in its sentence, else the last
/// one named before it. "Gunmen opened fire on a market on Tuesday ... The
/// attackers set fire to granaries": the granaries burned on Tuesday, not
/// on the dateline's Thursday.
///
/// Not for what is said (accusations, appeals, praise, threats,
/// rejections, pledges and agreements): a story reports those on the day it
/// is filed ("the minister condemned the attack"), so they keep the
/// dateline's date. Nor for a clause ordered against another time ("on
/// Friday after a court sentenced him", "two weeks after police arrested
/// a lecturer"), which may lie on another day.
fn story_day(tree: &Tree<'_>, ctx: &DocSetting, c: &Candidate<'_>) -> Option<String> {
    use newsgraph_core::records::EventType as E;
    let said = matches!(
        c.rule.event_type,
        E::Accuse | E::Request | E::Support | E::Threaten | E::Reject | E::Agree
    );
    const ORDER: [&str; 5] = ["after", "before", "since", "until", "once"];
    // "after" before the verb in its clause: its marker, or, as the parser
    // often has it, the case of the subject or of a word inside it ("two
    // weeks after police arrested a lecturer").
    let v = c.clause;
    let sent = tree.sentence_of[v];
    let ordered_here = (0..v)
        .rev()
        .take_while(|&k| tree.sentence_of[k] == sent)
        .any(|k| {
            tree.lower_is(k, &ORDER)
                && std::iter::successors(tree.head(k), |&h| tree.head(h))
                    .take(8)
                    .any(|h| h == v)
        });
    // "after a court in Dakar sentenced him", parsed as a clause of "court".
    let ordered_noun = tree.rel(v) == Some(Deprel::Acl)
        && tree.head(v).is_some_and(|h| {
            tree.kids_with(h, Deprel::Case)
                .any(|k| tree.lower_is(k, &ORDER))
        });
    let ordered = ordered_here || ordered_noun;
    if said || ordered {
        return None;
    }
    let days = &ctx.story_days;
    let sent = tree.sentence_of[c.token];
    days.iter()
        .find(|(s, _)| *s == sent)
        .or_else(|| days.iter().rev().find(|(s, _)| *s < sent))
        .map(|(_, v)| v.clone())
}

/// "suspended Congo on Wednesday, two days after soldiers detained the
/// president": an event told after a count of days or weeks and "after" or
/// "before" is that far from the main clause's day. Returns the main
/// clause's time expression and the event's day.
fn days_after(tree: &Tree<'_>, ctx: &DocSetting, trigger: usize) -> Option<(usize, String)> {
    let doc = tree.doc;
    let sent = tree.sentence_of[trigger];
    let ranges = doc.token_ranges();
    let in_sent = |k: usize| tree.sentence_of[ctx.times[k].0] == sent;
    // The duration, with the token after it: "two days after", "a week before".
    let (n, sign, at) = doc.times.iter().enumerate().find_map(|(k, t)| {
        if !in_sent(k) || t.time_type != TimeType::Duration {
            return None;
        }
        let after = ranges.partition_point(|r| r.start < t.range.end);
        if after >= trigger || after >= doc.len() {
            return None;
        }
        let sign = if tree.lower_is(after, &["after"]) {
            -1
        } else if tree.lower_is(after, &["before"]) {
            1
        } else {
            return None;
        };
        let v = t.value.as_deref()?.strip_prefix('P')?;
        let days = match v.as_bytes().last()? {
            b'D' => 1,
            b'W' => 7,
            _ => return None,
        };
        let n: i64 = v[..v.len() - 1].parse().ok()?;
        Some((n * days, sign, ctx.times[k].0))
    })?;
    // The main clause's day, told before: the time hanging from the
    // sentence's root.
    let (k, day) = doc.times.iter().enumerate().find_map(|(k, t)| {
        let root = ctx.times[k]
            .1
            .last()
            .is_some_and(|&v| tree.head(v).is_none());
        let v = t.value.as_deref().and_then(calendar)?;
        let before = ctx.times[k].0 < at;
        (in_sent(k) && root && before && !ctx.in_dateline(t.range) && is_day(v)).then_some((k, v))
    })?;
    let d: jiff::civil::Date = day.parse().ok()?;
    let moved = d
        .checked_add(jiff::Span::new().try_days(sign * n).ok()?)
        .ok()?;
    Some((k, moved.to_string()))
}

/// Whether the clause headed by `v` tells of the past. A finite verb has its
/// own tense (a past form, a perfect, a past passive or a past auxiliary); a
/// non-finite verb ("..., killing three people", "after meeting ministers")
/// and a noun trigger ("the release of", "despite demands from") take the
/// tense of the verb they depend on; a noun that depends on no verb (a
/// headline) and an unattached participle are past.
fn past_tense(tree: &Tree<'_>, v: usize) -> bool {
    let mut cur = v;
    for _ in 0..8 {
        let finite = matches!(
            tree.xpos(cur),
            Some(Xpos::Vbd | Xpos::Vbz | Xpos::Vbp | Xpos::Md)
        ) || tree.children(cur).iter().any(|&a| {
            matches!(
                tree.rel(a as usize),
                Some(Deprel::Aux | Deprel::AuxPass | Deprel::Cop)
            )
        });
        let verbal = matches!(tree.upos(cur), Some(Upos::Verb | Upos::Aux));
        if finite {
            return super::is_past(tree, cur);
        }
        match tree.head(cur) {
            Some(h) => cur = h,
            None => return !verbal || matches!(tree.xpos(cur), Some(Xpos::Vbn | Xpos::Vbd)),
        }
    }
    false
}

/// How a dependency edge on the way between an event's clause and a time's
/// clause joins them.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Link {
    /// One event, or events told as one: coordinated verbs ("arrived on
    /// Thursday and met"), control ("refused to sign"), participles
    /// ("shelled the town, killing three"), "when"/"as" clauses.
    Same,
    /// A report and what it reports ("X has not done Y, officials said on
    /// Friday"): the report's time dates an asserted past event (news
    /// reports it the day it happened), not a planned, negated or
    /// hypothetical one.
    Report,
    /// A clause with its own time: a relative clause ("a move the ambassador
    /// condemned", "a ban imposed last month"), a clause of another time
    /// ("after police refused", "if Caracas failed to release ... by the end
    /// of November"), or an event noun that another verb acts on ("a
    /// Ukrainian request ... was turned down by Berlin on Friday": the
    /// request came before).
    Bound,
}

/// Verbs of a response to an earlier act (a call, an offer, a proposal,
/// a request): "dismissed calls", "turned down an offer", "agreed to Iran's
/// request".
const RESPONSE_VERBS: &[&str] = &[
    "reject", "dismiss", "rebuff", "turn", "refuse", "decline", "ignore", "heed", "answer",
    "accept", "welcome", "agree", "grant", "deny", "snub", "spurn",
];

/// Whether verb `v` responds to what its object names.
fn responds(tree: &Tree<'_>, v: usize) -> bool {
    matches!(tree.upos(v), Some(Upos::Verb)) && RESPONSE_VERBS.contains(&tree.lemma(v))
}

/// Subordinators of a clause whose time is not the main clause's.
const OTHER_TIME_MARKS: &[&str] = &[
    "after", "before", "since", "until", "till", "because", "if", "unless", "although", "though",
    "despite", "once", "whereas",
];

/// How node `k` is joined to its head, seen from the event's side (`event`
/// true: `k` is the event's clause or above it) or the time's side.
fn link(tree: &Tree<'_>, k: usize, event: bool, first: bool) -> Link {
    let marked = || {
        tree.children(k).iter().any(|&m| {
            matches!(tree.rel(m as usize), Some(Deprel::Mark | Deprel::Case))
                && tree.lower_is(m as usize, OTHER_TIME_MARKS)
        })
    };
    // A past participle modifying a noun ("a ban imposed last month"); a
    // present one tells of the same moment ("fighters fleeing ... on
    // Wednesday night"). One hanging from a subject is more often the
    // clause's own verb misread ("border guards detained eleven men ...,
    // the service said").
    let reduced_relative = || {
        tree.xpos(k) == Some(Xpos::Vbn)
            && tree.head(k).is_some_and(|h| {
                matches!(tree.upos(h), Some(Upos::Noun | Upos::Propn))
                    && !matches!(
                        tree.rel(h),
                        Some(Deprel::Nsubj | Deprel::NsubjPass | Deprel::Root) | None
                    )
            })
    };
    // "despite repeated demands", not "after talks in Almaty on Friday
    // ended" read with the talks as the verb's oblique (the verb then has
    // no subject of its own).
    let verb_has_subject = || {
        tree.head(k).is_some_and(|h| {
            tree.first_kid(h, &[Deprel::Nsubj, Deprel::NsubjPass])
                .is_some()
        })
    };
    // A clause with a subject or a finite verb of its own ("after police
    // refused"), not a participle continuing its subject's acts ("abducted
    // eight people before setting fire to granaries").
    let finite = || {
        matches!(tree.xpos(k), Some(Xpos::Vbd | Xpos::Vbz | Xpos::Vbp))
            || tree
                .first_kid(k, &[Deprel::Nsubj, Deprel::NsubjPass, Deprel::Aux])
                .is_some()
    };
    let noun = || first && event && matches!(tree.upos(k), Some(Upos::Noun | Upos::Propn));
    match tree.rel(k) {
        Some(Deprel::AclRelcl | Deprel::AdvclRelcl | Deprel::Csubj | Deprel::CsubjPass) => {
            Link::Bound
        }
        Some(Deprel::Acl) if reduced_relative() => Link::Bound,
        Some(Deprel::Advcl) if marked() && finite() => Link::Bound,
        Some(Deprel::Ccomp | Deprel::Parataxis) => Link::Report,
        // An event noun that a verb acts on ("dismissed calls", "an offer
        // was turned down"), or one of another time ("despite demands",
        // "after talks"); not one the verb's act is for or at ("flew to
        // Warsaw on Saturday for talks", "agreed at Monday's talks").
        Some(Deprel::Obj | Deprel::Iobj | Deprel::NsubjPass) if noun() => Link::Bound,
        Some(Deprel::Obl | Deprel::Nmod)
            if noun()
                && ((marked() && verb_has_subject())
                    || tree.head(k).is_some_and(|h| responds(tree, h))) =>
        {
            Link::Bound
        }
        _ => Link::Same,
    }
}

/// Whether a time expression, hanging from the words of `path` (the verb it
/// belongs to last), tells the time of another clause than the event's:
/// one joined to the event's by a [`Link::Bound`] edge, or by a
/// [`Link::Report`] edge when the event is not an asserted past one. A time
/// with no verb of its own competes with no clause.
fn other_clause(
    tree: &Tree<'_>,
    path: &[usize],
    own: &[usize],
    c: &Candidate<'_>,
    past: bool,
) -> bool {
    let Some(&verb) = path
        .last()
        .filter(|&&v| matches!(tree.upos(v), Some(Upos::Verb | Upos::Aux)))
    else {
        return false;
    };
    if own.contains(&verb) {
        return false;
    }
    // From the event's clause, or from a noun trigger without a light verb
    // (whose time path may pass through it on the way to a verb acting on
    // it: "rebuffed a Saudi proposal for talks on Saturday").
    let event = if c.clause == c.token {
        c.token
    } else {
        c.clause
    };
    // A time of the noun trigger itself ("a brief exchange of fire last week").
    if path.first() == Some(&c.token) && c.clause == c.token {
        return false;
    }
    // Ancestors (the node first), without allocating: this runs for every
    // pair of an event and a time of its sentence.
    let up = |from: usize| {
        let mut v = [usize::MAX; 33];
        let mut n = 1;
        v[0] = from;
        while n < v.len() {
            match tree.head(v[n - 1]) {
                Some(h) => {
                    v[n] = h;
                    n += 1;
                }
                None => break,
            }
        }
        (v, n)
    };
    let (event_up, n_event) = up(event);
    let (time_up, n_time) = up(verb);
    let (from_event, from_time) = (&event_up[..n_event], &time_up[..n_time]);
    let Some(common) = from_event.iter().find(|n| from_time.contains(n)).copied() else {
        return false;
    };
    let mut worst = Link::Same;
    let mut note = |l: Link| {
        if l == Link::Bound || (l == Link::Report && worst == Link::Same) {
            worst = l;
        }
    };
    for (i, &k) in from_event.iter().take_while(|&&k| k != common).enumerate() {
        note(link(tree, k, true, i == 0));
    }
    for &k in from_time.iter().take_while(|&&k| k != common) {
        note(link(tree, k, false, false));
    }
    match worst {
        Link::Same => false,
        Link::Report => !past,
        Link::Bound => true,
    }
}

/// Whether a time expression (by its head token) ends a span: "held in
/// custody until March 5", "extended the ban until June". The span's end is
/// not when the act happened.
fn until(tree: &Tree<'_>, head: usize) -> bool {
    matches!(tree.case_of(head), Some("until" | "till"))
}

/// Whether a time expression (by its head token) can date a clause: not a
/// noun's modifier ("the 2016 arbitration ruling", "Monday's strike") and not
/// the start or end of a span ("killed 200 people since March").
fn dates_a_clause(tree: &Tree<'_>, head: usize) -> bool {
    let modifier = matches!(
        tree.rel(head),
        Some(Deprel::Compound | Deprel::Amod | Deprel::NmodPoss | Deprel::Nummod)
    );
    let bound = until(tree, head) || tree.case_of(head) == Some("since");
    !modifier && !bound
}

/// A time expression of the trigger's sentence that no parse path joins to
/// it: the first fitting one after the trigger, else the last one before it.
/// News puts the time after the verb ("rejected the demand, telling supporters
/// on Tuesday ..."; "talks in Almaty on Friday ended"), and a time before the
/// trigger usually sets the scene for the whole sentence ("On Wednesday, the
/// junta arrested five generals, whom it accused ...").
fn in_sentence<'d>(
    tree: &Tree<'d>,
    ctx: &DocSetting,
    trigger: usize,
    dir: Direction,
    own_clause: impl Fn(usize) -> bool,
) -> Option<(usize, &'d str)> {
    let doc = tree.doc;
    let sent = tree.sentence_of[trigger];
    let mut before = None;
    for (k, t) in doc.times.iter().enumerate() {
        let head = ctx.times[k].0;
        if tree.sentence_of[head] != sent || ctx.in_dateline(t.range) || !dates_a_clause(tree, head)
        {
            continue;
        }
        let Some(v) = t.value.as_deref().and_then(calendar) else {
            continue;
        };
        if !fits(v, dir, ctx.anchor.as_deref()) || !own_clause(k) {
            continue;
        }
        if head > trigger {
            return Some((k, v));
        }
        before = Some((k, v));
    }
    before
}

/// The place attached to the clause ("in Sochi", "at the border town of X"),
/// else to a verb conjoined with it that shares its subject ("met with the
/// minister and laid a wreath at the memorial in Sochi"), else the dateline
/// place for asserted events.
pub fn location(tree: &Tree<'_>, ctx: &DocSetting, c: &Candidate<'_>) -> Option<Location> {
    let doc = tree.doc;
    let mut verbs = vec![c.token, c.clause];
    let shares_subject = |v: usize| {
        tree.upos(v) == Some(Upos::Verb)
            && tree
                .first_kid(v, &[Deprel::Nsubj, Deprel::NsubjPass])
                .is_none()
    };
    verbs.extend(
        tree.kids_with(c.clause, Deprel::Conj)
            .filter(|&v| shares_subject(v)),
    );
    if tree.rel(c.clause) == Some(Deprel::Conj) && shares_subject(c.clause) {
        verbs.extend(tree.head(c.clause));
    }
    for &v in &verbs {
        // The verb's own obliques, then those the parser hung on its object
        // ("laid a wreath at the memorial in Sochi").
        let own = tree.children(v).iter().map(|&k| k as usize);
        let on_object = tree
            .kids_with(v, Deprel::Obj)
            .flat_map(|o| tree.children(o).iter().map(|&k| k as usize));
        for k in own.chain(on_object) {
            if !matches!(tree.rel(k), Some(Deprel::Obl | Deprel::Nmod)) {
                continue;
            }
            if !matches!(
                tree.case_of(k),
                Some("in" | "at" | "near" | "outside" | "inside")
            ) {
                continue;
            }
            if let Some(loc) = place_at(tree, k) {
                return Some(loc);
            }
            // "at the border town of X"
            for n in tree.kids_with(k, Deprel::Nmod) {
                if let Some(loc) = place_at(tree, n) {
                    return Some(loc);
                }
            }
        }
    }
    let (a, b) = ctx.dateline_place?;
    let range = doc.token(a).range().cover(doc.token(b - 1).range());
    Some(Location {
        range,
        place: place_of(doc, range),
    })
}

/// A place named by token `k`: an entity of a place type, or a gazetteer place.
fn place_at(tree: &Tree<'_>, k: usize) -> Option<Location> {
    let doc = tree.doc;
    let r = doc.token(k).range();
    for ent in &doc.entities {
        if !matches!(
            ent.entity_type,
            EntityType::Gpe | EntityType::Loc | EntityType::Fac
        ) {
            continue;
        }
        if let Some(m) = ent
            .mentions
            .iter()
            .find(|m| m.range.start <= r.start && r.end <= m.range.end)
        {
            return Some(Location {
                range: m.range,
                place: ent.place.clone(),
            });
        }
    }
    let gaz = Gazetteer::builtin();
    if tree.upos(k) == Some(Upos::Propn)
        && gaz.is_a(
            tree.text(k),
            &[
                GazKind::Capital,
                GazKind::City,
                GazKind::Region,
                GazKind::Country,
            ],
        )
    {
        return Some(Location {
            range: r,
            place: None,
        });
    }
    None
}

fn place_of(doc: &Doc, r: TextRange) -> Option<newsgraph_core::records::Place> {
    doc.entities.iter().find_map(|e| {
        e.mentions
            .iter()
            .any(|m| m.range.start <= r.start && r.end <= m.range.end)
            .then(|| e.place.clone())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::testing::{add_time, event_of, parsed};
    use newsgraph_core::records::EventType;

    #[test]
    fn calendar_values_events_can_take() {
        assert_eq!(calendar("2015-05-12T15:00"), Some("2015-05-12"));
        assert_eq!(calendar("2015-05-12"), Some("2015-05-12"));
        assert_eq!(calendar("2015-W21"), Some("2015-W21"));
        assert_eq!(calendar("2015-W21-WE"), Some("2015-W21"));
        assert_eq!(calendar("2015-05"), Some("2015-05"));
        assert_eq!(calendar("2015"), Some("2015"));
        assert_eq!(calendar("2014-Q3"), Some("2014"));
        assert_eq!(calendar("2014-H1"), Some("2014"));
        for v in ["2015-SU", "P3Y", "PAST_REF", "XXXX-WXX-1", "201"] {
            assert_eq!(calendar(v), None, "{v}");
        }
    }

    #[test]
    fn intervals_and_direction() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(
            interval("2015-W21"),
            Some((d("2015-05-18"), d("2015-05-24")))
        );
        assert_eq!(
            interval("2016-02"),
            Some((d("2016-02-01"), d("2016-02-29")))
        );
        assert_eq!(interval("2015"), Some((d("2015-01-01"), d("2015-12-31"))));
        let a = Some("2015-05-12");
        // "last week" dates a past event, "next week" does not.
        assert!(fits("2015-W19", Direction::Past, a));
        assert!(!fits("2015-W21", Direction::Past, a));
        // "this month" both looks back and forward.
        assert!(fits("2015-05", Direction::Past, a));
        assert!(fits("2015-05", Direction::Future, a));
        assert!(!fits("2015-04-30", Direction::Future, a));
        assert!(fits("2015-04-30", Direction::Any, a));
        assert!(fits("2015-06", Direction::Past, None));
    }

    /// "rejected the demand, telling reporters on Tuesday": the time hangs
    /// from "telling", not from the trigger, and still dates the event.
    #[test]
    fn a_time_after_the_trigger_in_its_sentence_dates_it() {
        let mut doc = parsed(
            "Kaya rejected the demand , telling reporters on Tuesday .",
            &[
                ("Kaya", "PROPN", "NNP", 2, "nsubj"),
                ("reject", "VERB", "VBD", 0, "root"),
                ("the", "DET", "DT", 4, "det"),
                ("demand", "NOUN", "NN", 2, "obj"),
                (",", "PUNCT", ",", 6, "punct"),
                ("tell", "VERB", "VBG", 2, "advcl"),
                ("reporters", "NOUN", "NNS", 6, "obj"),
                ("on", "ADP", "IN", 9, "case"),
                ("Tuesday", "PROPN", "NNP", 6, "obl"),
                (".", "PUNCT", ".", 2, "punct"),
            ],
            Some("2025-03-14"),
        );
        add_time(&mut doc, "Tuesday", "2025-03-11");
        let reject = event_of(&doc, EventType::Reject);
        assert_eq!(reject.date.as_deref(), Some("2025-03-11"));
    }

    /// "urged Beijing to respect the 2016 ruling": a year that modifies a
    /// noun is not the time of the urging.
    #[test]
    fn a_noun_modifier_does_not_date_the_event() {
        let mut doc = parsed(
            "Dizon urged Beijing to respect the 2016 ruling .",
            &[
                ("Dizon", "PROPN", "NNP", 2, "nsubj"),
                ("urge", "VERB", "VBD", 0, "root"),
                ("Beijing", "PROPN", "NNP", 2, "obj"),
                ("to", "PART", "TO", 5, "mark"),
                ("respect", "VERB", "VB", 2, "xcomp"),
                ("the", "DET", "DT", 8, "det"),
                ("2016", "NUM", "CD", 8, "compound"),
                ("ruling", "NOUN", "NN", 5, "obj"),
                (".", "PUNCT", ".", 2, "punct"),
            ],
            Some("2025-06-05"),
        );
        add_time(&mut doc, "2016", "2016");
        let urge = event_of(&doc, EventType::Request);
        assert_eq!(urge.date.as_deref(), Some("2025-06-05"));
    }

    /// The dateline's date is the anchor, not the time of the lead's event;
    /// a week value dates a planned meeting.
    #[test]
    fn the_dateline_date_is_not_an_event_time_and_weeks_are_dates() {
        let mut doc = parsed(
            "ANKARA , March 14 - Kaya will meet Aliyev next week .",
            &[
                ("ANKARA", "PROPN", "NNP", 8, "dep"),
                (",", "PUNCT", ",", 3, "punct"),
                ("March", "PROPN", "NNP", 1, "appos"),
                ("14", "NUM", "CD", 3, "nummod"),
                ("-", "PUNCT", ":", 1, "punct"),
                ("Kaya", "PROPN", "NNP", 8, "nsubj"),
                ("will", "AUX", "MD", 8, "aux"),
                ("meet", "VERB", "VB", 0, "root"),
                ("Aliyev", "PROPN", "NNP", 8, "obj"),
                ("next", "ADJ", "JJ", 11, "amod"),
                ("week", "NOUN", "NN", 8, "obl:tmod"),
                (".", "PUNCT", ".", 8, "punct"),
            ],
            Some("2025-03-14"),
        );
        add_time(&mut doc, "March 14", "2025-03-14");
        add_time(&mut doc, "next week", "2025-W12");
        let meet = event_of(&doc, EventType::Consult);
        assert_eq!(meet.date.as_deref(), Some("2025-W12"));
    }

    /// A dateline whose place is not in capitals ("Kyiv, March 14 - ...")
    /// places an event that names no place of its own; its place is the
    /// words before the comma (an empty place once made the range
    /// arithmetic underflow).
    #[test]
    fn a_mixed_case_dateline_places_the_event() {
        let doc = parsed(
            "Kyiv , March 14 - Kaya met Aliyev on Friday .",
            &[
                ("Kyiv", "PROPN", "NNP", 7, "dep"),
                (",", "PUNCT", ",", 3, "punct"),
                ("March", "PROPN", "NNP", 1, "appos"),
                ("14", "NUM", "CD", 3, "nummod"),
                ("-", "PUNCT", ":", 1, "punct"),
                ("Kaya", "PROPN", "NNP", 7, "nsubj"),
                ("meet", "VERB", "VBD", 0, "root"),
                ("Aliyev", "PROPN", "NNP", 7, "obj"),
                ("on", "ADP", "IN", 10, "case"),
                ("Friday", "PROPN", "NNP", 7, "obl"),
                (".", "PUNCT", ".", 7, "punct"),
            ],
            Some("2025-03-14"),
        );
        let meet = event_of(&doc, EventType::Consult);
        let place = meet.location.as_ref().expect("the dateline's place");
        assert_eq!(doc.slice(place.range), "Kyiv");
    }

    /// "after police arrested Aliyev": a finite clause of another time does
    /// not take the main clause's Friday; a past event with no time of its
    /// own takes the publication date.
    #[test]
    fn a_clause_after_another_keeps_its_own_time() {
        let mut doc = parsed(
            "Kaya left Baku on Friday after police arrested Aliyev .",
            &[
                ("Kaya", "PROPN", "NNP", 2, "nsubj"),
                ("leave", "VERB", "VBD", 0, "root"),
                ("Baku", "PROPN", "NNP", 2, "obj"),
                ("on", "ADP", "IN", 5, "case"),
                ("Friday", "PROPN", "NNP", 2, "obl"),
                ("after", "SCONJ", "IN", 8, "mark"),
                ("police", "NOUN", "NNS", 8, "nsubj"),
                ("arrest", "VERB", "VBD", 2, "advcl"),
                ("Aliyev", "PROPN", "NNP", 8, "obj"),
                (".", "PUNCT", ".", 2, "punct"),
            ],
            Some("2025-03-15"),
        );
        add_time(&mut doc, "Friday", "2025-03-14");
        let arrest = event_of(&doc, EventType::Coerce);
        assert_eq!(arrest.date.as_deref(), Some("2025-03-15"));
    }

    /// "Kaya has not met Aliyev, officials said on Friday": the report's
    /// day does not date a negated event.
    #[test]
    fn a_report_day_does_not_date_a_negated_event() {
        let mut doc = parsed(
            "Kaya has not met Aliyev , officials said on Friday .",
            &[
                ("Kaya", "PROPN", "NNP", 4, "nsubj"),
                ("have", "AUX", "VBZ", 4, "aux"),
                ("not", "PART", "RB", 4, "advmod"),
                ("meet", "VERB", "VBN", 8, "ccomp"),
                ("Aliyev", "PROPN", "NNP", 4, "obj"),
                (",", "PUNCT", ",", 8, "punct"),
                ("official", "NOUN", "NNS", 8, "nsubj"),
                ("say", "VERB", "VBD", 0, "root"),
                ("on", "ADP", "IN", 10, "case"),
                ("Friday", "PROPN", "NNP", 8, "obl"),
                (".", "PUNCT", ".", 8, "punct"),
            ],
            Some("2025-03-15"),
        );
        add_time(&mut doc, "Friday", "2025-03-14");
        let meet = event_of(&doc, EventType::Consult);
        assert_eq!(meet.date, None);
    }

    /// With no time expression in the sentence, only an asserted past event
    /// takes the publication date; planned, negated, conditional and present
    /// events stay undated.
    #[test]
    fn only_asserted_past_events_take_the_publication_date() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("met", "VBD", "", Some("2025-03-14")),
            ("will", "MD", "meet", None),
            ("did", "VBD", "meet", None),
            ("would", "MD", "meet", None),
            ("is", "VBZ", "meeting", None),
        ];
        for &(first, xpos, second, want) in cases {
            let text = if second.is_empty() {
                format!("Kaya {first} Aliyev .")
            } else if first == "did" {
                format!("Kaya {first} not {second} Aliyev .")
            } else {
                format!("Kaya {first} {second} Aliyev .")
            };
            let doc = if second.is_empty() {
                parsed(
                    &text,
                    &[
                        ("Kaya", "PROPN", "NNP", 2, "nsubj"),
                        ("meet", "VERB", xpos, 0, "root"),
                        ("Aliyev", "PROPN", "NNP", 2, "obj"),
                        (".", "PUNCT", ".", 2, "punct"),
                    ],
                    Some("2025-03-14"),
                )
            } else if first == "did" {
                parsed(
                    &text,
                    &[
                        ("Kaya", "PROPN", "NNP", 4, "nsubj"),
                        ("do", "AUX", xpos, 4, "aux"),
                        ("not", "PART", "RB", 4, "advmod"),
                        ("meet", "VERB", "VB", 0, "root"),
                        ("Aliyev", "PROPN", "NNP", 4, "obj"),
                        (".", "PUNCT", ".", 4, "punct"),
                    ],
                    Some("2025-03-14"),
                )
            } else {
                let verb_xpos = if second == "meeting" { "VBG" } else { "VB" };
                parsed(
                    &text,
                    &[
                        ("Kaya", "PROPN", "NNP", 3, "nsubj"),
                        (first, "AUX", xpos, 3, "aux"),
                        ("meet", "VERB", verb_xpos, 0, "root"),
                        ("Aliyev", "PROPN", "NNP", 3, "obj"),
                        (".", "PUNCT", ".", 3, "punct"),
                    ],
                    Some("2025-03-14"),
                )
            };
            let meet = event_of(&doc, EventType::Consult);
            assert_eq!(meet.date.as_deref(), want, "{text}");
        }
    }
}
