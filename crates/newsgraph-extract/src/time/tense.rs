//! The tense of the verb that governs a time expression, which decides whether
//! a bare "Tuesday" or "March" lies before or after the anchor date.
//!
//! With part-of-speech tags: VBD, and VBN after a form of *have*, are past; MD
//! *will*/*'ll*/*shall*/*would* and *going to* are future; VBZ/VBP present.
//! Without tags a word list stands in: common irregular past forms and `-ed`
//! words for the past, *will*, *'ll*, *shall*, *plans to*, *is expected to*,
//! *due on/in/by* and *scheduled for* for the future. Reporting verbs ("said",
//! "says") are weak cues: they count only when the sentence has no other,
//! since "X will visit Ankara on Tuesday, the ministry said" is about a future
//! Tuesday.

use super::Tok;
use newsgraph_core::Xpos;

/// Tense of a clause, as far as resolving dates needs it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tense {
    Past,
    Present,
    Future,
    /// No verb cue found.
    Unknown,
}

/// A tense cue at a token position; `weak` for reporting verbs.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Cue {
    pub pos: usize,
    pub tense: Tense,
    pub weak: bool,
    /// Clause boundaries before the cue in its sentence.
    pub clause: u32,
}

/// Words and marks that start another clause: a cue beyond one governs less.
fn is_boundary(t: &str) -> bool {
    [
        ";", "that", "which", "who", "because", "but", "while", "although", "whereas", "if",
        "unless",
    ]
    .iter()
    .any(|w| lower_eq(t, w))
}

/// The tense cues of a sentence and where its clause boundaries are.
#[derive(Debug, Default)]
pub(crate) struct Cues {
    cues: Vec<Cue>,
    boundaries: Vec<usize>,
}

/// The tense cues of one sentence, in token order; `clause` gets, per token,
/// the number of clause boundaries ("that", "which", ";", "but") before it.
pub(crate) fn cues(toks: &[Tok<'_>], all: &mut Cues) {
    all.cues.clear();
    all.boundaries.clear();
    let out = &mut all.cues;
    let mut clause = 0u32;
    for i in 0..toks.len() {
        let t = toks[i];
        if is_boundary(t.text) {
            clause += 1;
            all.boundaries.push(i);
        }
        let cue = match t.xpos {
            Some(x) => tagged(toks, i, x),
            None => untagged(toks, i),
        };
        if let Some(tense) = cue {
            out.push(Cue {
                pos: i,
                tense,
                weak: is_reporting(t.text),
                clause,
            });
        }
    }
}

/// The tense governing tokens `start..end`: the nearest cue outside the span
/// (ties go left), where each clause boundary between them adds distance. A reporting verb ("said") loses to a future cue less than twice
/// as far away: "X will visit Ankara on Tuesday, the ministry said" is future.
pub(crate) fn tense_at(all: &Cues, start: usize, end: usize) -> Tense {
    let mut strong: Option<(usize, Tense)> = None;
    let mut weak: Option<(usize, Tense)> = None;
    let clause = all.boundaries.iter().filter(|&&b| b < start).count() as u32;
    for c in &all.cues {
        if c.pos >= start && c.pos < end {
            continue;
        }
        let d = if c.pos < start {
            start - c.pos
        } else {
            c.pos - end + 1
        };
        // A cue in another clause ("said on Sunday that talks would go on") counts as far away.
        let d = d + 6 * c.clause.abs_diff(clause) as usize;
        let slot = if c.weak { &mut weak } else { &mut strong };
        if slot.is_none_or(|(bd, _)| d < bd) {
            *slot = Some((d, c.tense));
        }
    }
    match (strong, weak) {
        (Some((ds, Tense::Future)), Some((dw, tw))) => {
            if ds <= 2 * dw {
                Tense::Future
            } else {
                tw
            }
        }
        (Some((ds, ts)), Some((dw, tw))) => {
            if ds <= dw {
                ts
            } else {
                tw
            }
        }
        (Some((_, t)), None) | (None, Some((_, t))) => t,
        (None, None) => Tense::Unknown,
    }
}

/// The tense that places the expression over tokens `start..end` of a
/// sentence: [`tense_at`], except where the words around the expression say
/// more than the clause's verb:
/// - "since January", "held since March": the past, whatever the clause's
///   tense ("will release prisoners held since January");
/// - "until March 5", "till Friday", "by June": a bound, which in news lies
///   as often ahead as behind a past-tense verb ("ordered him held until
///   March 5", "gave them until Friday"), and so does a date before
///   "deadline" ("the June 30 deadline"): the nearest one ([`Tense::Present`],
///   which places weekdays and months nearest the anchor);
/// - "Monday's planned strike", "Tuesday's scheduled vote": the future.
///
/// Otherwise the verb the expression hangs from in the parse decides
/// ([`from_parse`]), and without a parse the nearest word cue ([`tense_at`]).
///
/// `month`: the expression names a month without a day ("June", "the end of March").
pub(crate) fn governing(
    toks: &[Tok<'_>],
    deps: &[Dep],
    all: &Cues,
    start: usize,
    end: usize,
    month: bool,
) -> Tense {
    let before = start.checked_sub(1).map(|k| toks[k].text);
    if before.is_some_and(|b| lower_eq(b, "since")) {
        return Tense::Past;
    }
    // "the June 30 deadline", "a March deadline": a bound too.
    let deadline = toks.get(end).is_some_and(|t| lower_eq(t.text, "deadline"));
    let until = before.is_some_and(|b| lower_eq(b, "until") || lower_eq(b, "till"));
    // "by June", "by the end of March" are deadlines; "by Thursday night" in a
    // past sentence is usually a past bound ("had been shared a million times
    // by Thursday night"), so "by" counts only before months.
    let by_month = month && before.is_some_and(|b| lower_eq(b, "by"));
    if deadline || until || by_month {
        return Tense::Present;
    }
    let possessive = toks
        .get(end)
        .is_some_and(|t| t.text == "'s" || t.text == "\u{2019}s");
    if possessive
        && toks
            .get(end + 1)
            .is_some_and(|t| is_plan_participle(t.text) || lower_eq(t.text, "upcoming"))
    {
        return Tense::Future;
    }
    from_parse(toks, deps, start, end).unwrap_or_else(|| tense_at(all, start, end))
}

fn lower_eq(t: &str, w: &str) -> bool {
    t.eq_ignore_ascii_case(w)
}

fn is_have(t: &str) -> bool {
    ["have", "has", "had", "'ve", "'d", "having"]
        .iter()
        .any(|w| lower_eq(t, w))
}

fn is_reporting(t: &str) -> bool {
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "adds",
        "stated",
        "reported",
        "announced",
    ]
    .iter()
    .any(|w| lower_eq(t, w))
}

fn is_future_modal(t: &str) -> bool {
    ["will", "'ll", "shall", "wo", "would", "\u{2019}ll"]
        .iter()
        .any(|w| lower_eq(t, w))
}

/// Modals of possibility and obligation: "might agree before a June
/// deadline", "must leave by Friday" look forward, unless "have" follows
/// ("might have met on Tuesday"). "can" and "could" stay present: "could"
/// is as often the past of "can" ("police could not say on Tuesday").
fn is_forward_modal(toks: &[Tok<'_>], i: usize) -> bool {
    let t = toks[i].text;
    let modal = ["might", "may", "should", "must", "ought"]
        .iter()
        .any(|w| t == *w || (t.len() > 1 && lower_eq(t, w) && *w != "may"));
    let perfect = toks
        .iter()
        .skip(i + 1)
        .take(2)
        .any(|n| lower_eq(n.text, "have"));
    modal && !perfect
}

/// Participles that announce plans, not past acts: "Monday's planned strike".
fn is_plan_participle(t: &str) -> bool {
    [
        "planned",
        "scheduled",
        "expected",
        "proposed",
        "slated",
        "set",
    ]
    .iter()
    .any(|w| lower_eq(t, w))
}

fn is_be(t: &str) -> bool {
    ["is", "are", "am", "be", "been", "being", "'s", "'re", "'m"]
        .iter()
        .any(|w| lower_eq(t, w))
}

/// "going to VERB", "plans to", "is expected to", "is scheduled to", "is due to".
fn future_phrase(toks: &[Tok<'_>], i: usize) -> bool {
    let t = toks[i].text;
    // "is set for December", "scheduled for Friday"
    if toks.get(i + 1).is_some_and(|n| lower_eq(n.text, "for"))
        && ["set", "scheduled", "slated", "planned"]
            .iter()
            .any(|w| lower_eq(t, w))
    {
        return true;
    }
    // "talks due on Thursday", "a report due in March" (but "was due on Monday").
    if lower_eq(t, "due")
        && toks.get(i + 1).is_some_and(|n| {
            ["on", "in", "by", "for", "next"]
                .iter()
                .any(|w| lower_eq(n.text, w))
        })
        && !(i > 0
            && ["was", "were"]
                .iter()
                .any(|w| lower_eq(toks[i - 1].text, w)))
    {
        return true;
    }
    let next_is_to = toks.get(i + 1).is_some_and(|n| lower_eq(n.text, "to"));
    if !next_is_to {
        return false;
    }
    // "is to be held", "are to travel"
    if ["is", "are", "am"].iter().any(|w| lower_eq(t, w)) {
        return toks
            .get(i + 2)
            .is_some_and(|n| n.text.bytes().all(|b| b.is_ascii_lowercase()) && !is_det(n.text));
    }
    if lower_eq(t, "going") {
        // "going to Ankara" is motion; "going to meet" is future.
        return toks
            .get(i + 2)
            .is_some_and(|n| n.text.bytes().all(|b| b.is_ascii_lowercase()) && !is_det(n.text));
    }
    // "was due to", "had been expected to", "were scheduled to": a plan seen
    // from the past, which may lie on either side of the anchor.
    if i > 0
        && ["was", "were", "been"]
            .iter()
            .any(|w| lower_eq(toks[i - 1].text, w))
    {
        return false;
    }
    [
        "plans",
        "plan",
        "expected",
        "scheduled",
        "due",
        "intends",
        "set",
    ]
    .iter()
    .any(|w| lower_eq(t, w))
}

/// "is visiting", "am publishing": the present progressive mostly announces
/// planned events when a date goes with it ("is visiting Ankara on Tuesday").
fn progressive(toks: &[Tok<'_>], i: usize) -> bool {
    let t = toks[i].text;
    if !["is", "are", "am", "'m", "'re"]
        .iter()
        .any(|w| lower_eq(t, w))
    {
        return false;
    }
    toks.get(i + 1).is_some_and(|n| {
        n.text.len() > 4
            && n.text.ends_with("ing")
            && n.text.starts_with(|c: char| c.is_ascii_lowercase())
            && !lower_eq(n.text, "going")
    })
}

fn is_det(t: &str) -> bool {
    [
        "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that",
    ]
    .iter()
    .any(|w| lower_eq(t, w))
}

fn tagged(toks: &[Tok<'_>], i: usize, x: Xpos) -> Option<Tense> {
    let t = toks[i].text;
    if future_phrase(toks, i) {
        return Some(Tense::Future);
    }
    match x {
        Xpos::Md => Some(if is_future_modal(t) || is_forward_modal(toks, i) {
            Tense::Future
        } else {
            Tense::Present
        }),
        Xpos::Vbd => Some(Tense::Past),
        Xpos::Vbn => {
            let lo = i.saturating_sub(3);
            if toks[lo..i].iter().any(|p| is_future_modal(p.text)) {
                Some(Tense::Future)
            } else if toks[lo..i].iter().any(|p| is_have(p.text)) {
                Some(Tense::Past)
            } else if is_plan_participle(t) || (i > 0 && is_be(toks[i - 1].text)) {
                // "the planned strike"; "is signed", "will be held": the auxiliary decides.
                None
            } else {
                // A participle on its own modifies a noun: "an accord signed
                // on Wednesday", "the prisoners released on Tuesday".
                Some(Tense::Past)
            }
        }
        Xpos::Vbz | Xpos::Vbp => {
            // "has/have" + participle is decided at the participle.
            if is_have(t) {
                None
            } else if progressive(toks, i) {
                Some(Tense::Future)
            } else {
                Some(Tense::Present)
            }
        }
        _ => None,
    }
}

/// Common irregular past forms (simple past or participle) of verbs in news.
const IRREGULAR_PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "said",
    "met",
    "went",
    "came",
    "took",
    "made",
    "told",
    "gave",
    "left",
    "held",
    "began",
    "saw",
    "found",
    "got",
    "knew",
    "thought",
    "became",
    "brought",
    "bought",
    "fought",
    "sought",
    "caught",
    "taught",
    "built",
    "sent",
    "spent",
    "lost",
    "won",
    "led",
    "fled",
    "fell",
    "felt",
    "kept",
    "meant",
    "paid",
    "ran",
    "rose",
    "sat",
    "stood",
    "spoke",
    "struck",
    "threw",
    "wrote",
    "broke",
    "chose",
    "drove",
    "flew",
    "forgot",
    "froze",
    "grew",
    "hid",
    "hit",
    "hung",
    "heard",
    "laid",
    "lay",
    "lit",
    "quit",
    "read",
    "rode",
    "rang",
    "sang",
    "sank",
    "shot",
    "shut",
    "slept",
    "slid",
    "sold",
    "stole",
    "stuck",
    "swore",
    "swept",
    "tore",
    "understood",
    "woke",
    "wore",
    "withdrew",
    "overthrew",
    "undertook",
    "upheld",
    "been",
    "done",
    "gone",
    "seen",
    "taken",
    "given",
    "known",
    "shown",
    "spoken",
    "written",
    "begun",
    "broken",
    "chosen",
    "driven",
    "eaten",
    "fallen",
    "forgotten",
    "grown",
    "hidden",
    "ridden",
    "risen",
    "stolen",
    "sworn",
    "thrown",
    "woken",
    "worn",
    "withdrawn",
    "born",
];

/// Words ending in -ed that are not past forms.
const NOT_PAST_ED: &[&str] = &[
    "need",
    "needed",
    "feed",
    "speed",
    "seed",
    "shed",
    "bed",
    "red",
    "indeed",
    "hundred",
    "proceed",
    "exceed",
    "succeed",
    "breed",
    "deed",
    "greed",
    "weed",
    "bleed",
    "embed",
    "united",
    "expected",
    "scheduled",
    "planned",
    "supposed",
    "based",
    "concerned",
    "interested",
    "related",
    "alleged",
    "advanced",
    "limited",
    "detailed",
    "sacred",
    "wicked",
    "naked",
    "beloved",
    "learned",
    "aged",
    "armed",
    "used",
    "tired",
    "married",
];

fn untagged(toks: &[Tok<'_>], i: usize) -> Option<Tense> {
    let t = toks[i].text;
    if future_phrase(toks, i) {
        return Some(Tense::Future);
    }
    if is_future_modal(t) || is_forward_modal(toks, i) {
        return Some(Tense::Future);
    }
    let b = t.as_bytes();
    if b.is_empty() || !b[0].is_ascii_lowercase() {
        // Capitalised words are names or sentence-initial; "Was" is rare.
        if !(t.len() > 1 && (lower_eq(t, "was") || lower_eq(t, "were") || lower_eq(t, "had"))) {
            return None;
        }
    }
    if is_have(t) {
        // "has been", "have met": the participle that follows is the past cue.
        return None;
    }
    let past = IRREGULAR_PAST.iter().any(|w| lower_eq(t, w))
        || (t.len() >= 5 && t.ends_with("ed") && !NOT_PAST_ED.iter().any(|w| lower_eq(t, w)));
    if past {
        // "will be held", "is to be held", "are expected to be released": a
        // participle after a future modal or phrase is future.
        let lo = i.saturating_sub(4);
        if toks[lo..i].iter().any(|p| is_future_modal(p.text))
            || (lo..i).any(|k| future_phrase(toks, k))
        {
            return Some(Tense::Future);
        }
        return Some(Tense::Past);
    }
    if progressive(toks, i) {
        return Some(Tense::Future);
    }
    if [
        "is",
        "are",
        "am",
        "says",
        "do",
        "does",
        "remains",
        "continues",
    ]
    .iter()
    .any(|w| lower_eq(t, w))
    {
        return Some(Tense::Present);
    }
    None
}

/// A token's place in the dependency parse, sentence-relative: its head
/// (`None` for the root or outside the sentence) and whether it is an
/// auxiliary (`aux`, `aux:pass`).
#[derive(Copy, Clone, Debug)]
pub(crate) struct Dep {
    pub head: Option<usize>,
    pub aux: bool,
    /// A copula ("was" in "was due to"): counts as an auxiliary of a
    /// predicate adjective, never as the verb itself.
    pub cop: bool,
}

/// The tense of the verb an expression over `start..end` hangs from in the
/// dependency parse ("rejected calls for a ceasefire on Sunday, saying a
/// pause would ..." → *rejected*, past; "pledged aid on Wednesday and will
/// send a team" → *pledged*). Participles and infinitives without an
/// auxiliary ("saying", "to ratify") pass the question to their own head.
/// `None` when there is no parse or no verb decides (the word cues then do).
pub(crate) fn from_parse(
    toks: &[Tok<'_>],
    deps: &[Dep],
    start: usize,
    end: usize,
) -> Option<Tense> {
    if deps.len() != toks.len() {
        return None;
    }
    // The span's own head: the token whose head lies outside it.
    let top = (start..end).find(|&k| deps[k].head.is_none_or(|h| h < start || h >= end))?;
    let mut v = deps[top].head?;
    // Whether an infinitive ("vowed to ratify in July") was passed on the way up.
    let mut infinitive = false;
    for _ in 0..6 {
        let x = toks[v].xpos?;
        let verb = x.as_str().starts_with("VB") && !deps[v].aux && !deps[v].cop;
        // A predicate adjective with a past auxiliary or copula carries the
        // clause's tense: "had been due to take effect on Oct. 15", "was
        // expected to arrive on Friday" (future seen from the past, either
        // side of the anchor).
        if !verb && x == Xpos::Jj && infinitive {
            let past = (0..v).any(|k| {
                (deps[k].aux || deps[k].cop)
                    && deps[k].head == Some(v)
                    && (toks[k].xpos == Some(Xpos::Vbd)
                        || (toks[k].xpos == Some(Xpos::Vbn) && lower_eq(toks[k].text, "been")))
            });
            if past {
                return Some(Tense::Present);
            }
        }
        if verb {
            if let Some(t) = verb_tense(toks, deps, v, x) {
                // What is to be done lies after the verb that plans it: after a
                // past verb it may lie on either side of the anchor, after a
                // present one ahead of it.
                return Some(match (infinitive, t) {
                    (false, t) => t,
                    (true, Tense::Past) => Tense::Present,
                    (true, _) => Tense::Future,
                });
            }
            // "saying ...", "to ratify ...": ask the verb above.
            if !matches!(x, Xpos::Vbg | Xpos::Vb) {
                return None;
            }
            infinitive |= x == Xpos::Vb
                && (0..v).any(|k| deps[k].head == Some(v) && lower_eq(toks[k].text, "to"));
        }
        v = deps[v].head?;
    }
    None
}

/// The tense of verb `v` from its own tag and its auxiliaries.
fn verb_tense(toks: &[Tok<'_>], deps: &[Dep], v: usize, x: Xpos) -> Option<Tense> {
    let auxes = (0..v).filter(|&k| deps[k].aux && deps[k].head == Some(v));
    let mut have = false;
    let mut present_aux = false;
    for k in auxes {
        let t = toks[k].text;
        if is_future_modal(t) || is_forward_modal(toks, k) {
            return Some(Tense::Future);
        }
        match toks[k].xpos {
            Some(Xpos::Vbd) => {
                // "was expected to", "had been planned": still past.
                return Some(Tense::Past);
            }
            Some(Xpos::Md) => return Some(Tense::Present),
            Some(Xpos::Vbz | Xpos::Vbp) if is_have(t) => have = true,
            Some(Xpos::Vbz | Xpos::Vbp) => present_aux = true,
            _ => {}
        }
    }
    match x {
        Xpos::Vbd => Some(Tense::Past),
        Xpos::Vbn if have => Some(Tense::Past),
        Xpos::Vbn if present_aux => Some(Tense::Present),
        Xpos::Vbn if is_plan_participle(toks[v].text) => None,
        Xpos::Vbn => Some(Tense::Past),
        Xpos::Vbg if present_aux => Some(Tense::Future),
        Xpos::Vbz | Xpos::Vbp => Some(Tense::Present),
        _ => None,
    }
}
