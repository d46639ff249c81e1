//! Modality and attribution of an event from its clause: negation, modal and
//! future auxiliaries, control and raising verbs ("plans to", "failed to",
//! "is expected to"), conditional clauses, and reported speech.

use super::roles::Coder;
use super::tree::Tree;
use newsgraph_core::records::Modality;
use newsgraph_core::tags::{Deprel, Upos};
use newsgraph_core::TextRange;

/// What the verbs above a trigger say about it.
#[derive(Debug)]
pub struct Clause {
    /// The clause's verb and the verbs it is the xcomp of, innermost first
    /// ("meet" in "plans to meet", then "plans").
    pub chain: Vec<usize>,
    pub modality: Modality,
}

/// Verbs taking an xcomp that leave the event in the future.
const FUTURE_WRAPPERS: &[&str] = &[
    "plan",
    "intend",
    "aim",
    "expect",
    "due",
    "set",
    "schedule",
    "prepare",
    "go",
    "hope",
    "want",
    "wish",
    "seek",
    "look",
    "vow",
    "decide",
    "agree",
    "promise",
    "pledge",
    "offer",
    "propose",
    "arrange",
    "slate",
    "poise",
    "ready",
    "likely",
    "about",
    "eager",
    "keen",
    "determine",
    "resolve",
    "mean",
    "threaten",
    "warn",
    "urge",
    "ask",
    "call",
    "demand",
    "invite",
    "need",
    "have",
];
/// Wrappers that leave the event only possible.
const HYPOTHETICAL_WRAPPERS: &[&str] = &[
    "try", "attempt", "consider", "mull", "weigh", "struggle", "able", "unable", "willing",
    "ready", "possible", "unlikely", "may", "could", "might",
];
/// Wrappers that deny the event.
const NEGATING_WRAPPERS: &[&str] = &["fail", "refuse", "decline", "neglect", "avoid", "cease"];
/// Wrappers that assert the event.
const ASSERTING_WRAPPERS: &[&str] = &[
    "begin", "start", "continue", "manage", "resume", "keep", "help", "move", "proceed", "go on",
    "stop", "appear", "seem", "say", "report", "claim", "allege", "believe", "know", "think",
];

impl Clause {
    /// Read the clause headed by `head` (the trigger or its light verb).
    pub fn read(tree: &Tree<'_>, head: usize, trigger: usize) -> Clause {
        let mut chain = vec![head];
        let mut cur = head;
        // Climb xcomp links ("plans to try to meet") and "is due to".
        for _ in 0..4 {
            match (tree.rel(cur), tree.head(cur)) {
                (Some(Deprel::Xcomp), Some(h)) => {
                    chain.push(h);
                    cur = h;
                }
                _ => break,
            }
        }
        let mut modality = Modality::Asserted;
        // Innermost-first: the first non-asserted reading wins, except that
        // negation anywhere on the chain negates ("did not plan to meet").
        let mut negated = false;
        let mut found: Option<Modality> = None;
        let note = |m: Modality, found: &mut Option<Modality>| {
            if found.is_none() {
                *found = Some(m);
            }
        };
        for (depth, &v) in chain.iter().enumerate() {
            if has_negation(tree, v) {
                negated = true;
            }
            if depth > 0 {
                let l = tree.lemma(v);
                if NEGATING_WRAPPERS.contains(&l) {
                    negated = !negated;
                    continue;
                }
                if HYPOTHETICAL_WRAPPERS.contains(&l) {
                    note(Modality::Hypothetical, &mut found);
                } else if FUTURE_WRAPPERS.contains(&l) && !is_past_event_wrapper(tree, v) {
                    note(Modality::Future, &mut found);
                } else if ASSERTING_WRAPPERS.contains(&l) {
                    // Keep looking at auxiliaries on this verb.
                }
            }
            // "had no plans to withdraw", "has no intention of meeting"
            // (the verb hung from the noun or from "have"): negated; with a
            // plan and no "no", future.
            if let Some(p) = planned_by(tree, v, depth) {
                if has_negation(tree, p) {
                    negated = true;
                } else {
                    note(Modality::Future, &mut found);
                }
            }
            if let Some(m) = aux_modality(tree, v) {
                note(m, &mut found);
            }
            if conditional(tree, v) {
                found = Some(Modality::Conditional);
            }
        }
        if denied(tree, &chain, trigger) {
            negated = true;
        }
        // A noun trigger: "no agreement", "the planned meeting", "proposed talks".
        if trigger != head || tree.upos(trigger) == Some(Upos::Noun) {
            // "cancelled the talks", "called off Monday's planned strike":
            // the act will not happen; "did not call off the strike": it will.
            if let Some(c) = canceller(tree, head, trigger) {
                // The canceller's own "not" is already counted when it is on
                // the chain (a light verb, or the noun's xcomp head).
                if chain.contains(&c) || !has_negation(tree, c) {
                    negated = !negated;
                }
            }
            for &k in tree.children(trigger) {
                let k = k as usize;
                match tree.rel(k) {
                    Some(Deprel::Det) if tree.lower_is(k, &["no"]) => negated = true,
                    Some(Deprel::Amod | Deprel::Compound)
                        if matches!(
                            tree.lemma(k),
                            "planned"
                                | "plan"
                                | "upcoming"
                                | "proposed"
                                | "propose"
                                | "scheduled"
                                | "schedule"
                                | "expected"
                                | "expect"
                                | "future"
                                | "possible"
                                | "potential"
                                | "next"
                        ) =>
                    {
                        note(
                            if matches!(tree.lemma(k), "possible" | "potential") {
                                Modality::Hypothetical
                            } else {
                                Modality::Future
                            },
                            &mut found,
                        )
                    }
                    _ => {}
                }
            }
        }
        // A purpose infinitive takes the mood of what it is for: "would meet
        // opposition leaders next week to discuss the dispute".
        if found.is_none() {
            let top = *chain.last().unwrap_or(&head);
            let purpose = tree.rel(top) == Some(Deprel::Advcl)
                && tree
                    .kids_with(top, Deprel::Mark)
                    .any(|m| tree.lower_is(m, &["to"]));
            if let Some(h) = tree.head(top).filter(|_| purpose) {
                found = aux_modality(tree, h);
            }
        }
        // A clause inside an if/unless clause, up the tree.
        if found.is_none() {
            let mut cur = *chain.last().unwrap_or(&head);
            for _ in 0..6 {
                let Some(h) = tree.head(cur) else { break };
                if matches!(tree.rel(cur), Some(Deprel::Advcl | Deprel::Acl))
                    && is_if_clause(tree, cur)
                {
                    found = Some(Modality::Conditional);
                    break;
                }
                if !matches!(
                    tree.rel(cur),
                    Some(Deprel::Conj | Deprel::Xcomp | Deprel::Ccomp)
                ) {
                    break;
                }
                cur = h;
            }
        }
        if let Some(m) = found {
            modality = m;
        }
        if negated {
            modality = Modality::Negated;
        }
        Clause { chain, modality }
    }
}

/// Words that deny the clause they take: "denied that its jets had bombed
/// a camp".
const DENYING_VERBS: &[&str] = &["deny", "refute"];

/// Nouns that, with "no", deny the clause they take: "there was no sign
/// that troops had attacked the village".
const EVIDENCE_NOUNS: &[&str] = &["sign", "evidence", "indication", "proof", "suggestion"];

/// Verbs that say an act named by their noun subject happened: "the rally
/// did not go ahead", "the vote did not take place".
const HAPPENING_VERBS: &[&str] = &["go", "take", "happen", "occur", "proceed"];

/// Whether the clause (its `chain`, innermost first) or noun `trigger` is
/// denied by what it hangs from: a denial ("denied that ..."), "no sign
/// that ...", "without" ("ended without an agreement", "left without
/// meeting the colonel"), "stopped short of threatening sanctions", a
/// subject that is nobody ("Neither side agreed"), a noun whose act did
/// not happen ("the rally did not go ahead").
fn denied(tree: &Tree<'_>, chain: &[usize], trigger: usize) -> bool {
    let top = *chain.last().unwrap_or(&trigger);
    let nobody = |v: usize| {
        tree.kids_with(v, Deprel::Nsubj).any(|s| {
            matches!(tree.lemma(s), "neither" | "none" | "nobody")
                || tree
                    .kids_with(s, Deprel::Det)
                    .any(|d| tree.lower_is(d, &["neither", "no"]))
        })
    };
    if chain.iter().any(|&v| nobody(v)) {
        return true;
    }
    for w in [top, trigger] {
        let marked = |words: &[&str]| {
            tree.kids_with(w, Deprel::Mark)
                .chain(tree.kids_with(w, Deprel::Case))
                .any(|m| tree.lower_is(m, words))
        };
        if marked(&["without"]) {
            return true;
        }
        let Some(h) = tree.head(w) else { continue };
        match tree.rel(w) {
            Some(Deprel::Ccomp) if DENYING_VERBS.contains(&tree.lemma(h)) => return true,
            Some(Deprel::Acl | Deprel::Ccomp)
                if EVIDENCE_NOUNS.contains(&tree.lemma(h))
                    && tree
                        .kids_with(h, Deprel::Det)
                        .any(|d| tree.lower_is(d, &["no"])) =>
            {
                return true
            }
            // "short" is the xcomp of "stopped", or its modifier.
            Some(Deprel::Advcl)
                if marked(&["of"])
                    && (tree.lemma(h) == "short"
                        && tree.head(h).is_some_and(|s| tree.lemma(s) == "stop")
                        || tree.lemma(h) == "stop"
                            && tree
                                .children(h)
                                .iter()
                                .any(|&k| tree.lower_is(k as usize, &["short"]))) =>
            {
                return true
            }
            _ => {}
        }
    }
    // (A noun act that is called off is read by the caller, see `canceller`.)
    trigger == chain[0]
        && tree.upos(trigger) == Some(Upos::Noun)
        && tree.rel(trigger) == Some(Deprel::Nsubj)
        && tree
            .head(trigger)
            .is_some_and(|h| HAPPENING_VERBS.contains(&tree.lemma(h)) && has_negation(tree, h))
}

/// The verb that calls off noun act `trigger`, if any: its light verb `head`
/// ("cancelled the talks") or, with no light verb, the verb it is the
/// object of ("called off Monday's planned strike").
fn canceller(tree: &Tree<'_>, head: usize, trigger: usize) -> Option<usize> {
    let c = if trigger != head {
        head
    } else if tree.upos(trigger) == Some(Upos::Noun)
        && matches!(
            tree.rel(trigger),
            Some(Deprel::Obj | Deprel::Obl | Deprel::Xcomp)
        )
    {
        tree.head(trigger)?
    } else {
        return None;
    };
    cancels(tree, c).then_some(c)
}

/// "wanted to meet but" is still future; "agreed to meet" in the past is
/// future for the meeting. A past wrapper does not make the event asserted,
/// so this only exempts "went on to".
fn is_past_event_wrapper(tree: &Tree<'_>, v: usize) -> bool {
    tree.lemma(v) == "go"
        && tree
            .children(v)
            .iter()
            .any(|&k| tree.lower_is(k as usize, &["on"]))
}

/// Verbs that call off the act they take as object.
const CANCELLING_VERBS: &[&str] = &["cancel", "postpone", "scrap", "shelve", "defer", "suspend"];

/// Whether `v` calls off its object's act: a cancelling verb, "call off" or
/// "put off".
pub fn cancels(tree: &Tree<'_>, v: usize) -> bool {
    CANCELLING_VERBS.contains(&tree.lemma(v))
        || matches!(tree.lemma(v), "call" | "put")
            && tree
                .kids_with(v, Deprel::CompoundPrt)
                .chain(
                    tree.children(v)
                        .iter()
                        .map(|&k| k as usize)
                        .flat_map(|k| tree.kids_with(k, Deprel::Case).filter(move |&p| p < k)),
                )
                .any(|p| tree.lower_is(p, &["off"]))
}

/// Nouns of intent that put the act they take in the future.
const PLAN_NOUNS: &[&str] = &["plan", "intention", "intent"];

/// The plan noun over verb `v` of a clause chain: the noun `v` hangs from
/// ("plans to withdraw"), or, above the trigger, the object of "have" ("had
/// no plans" with "to withdraw" parsed as the xcomp of "had").
fn planned_by(tree: &Tree<'_>, v: usize, depth: usize) -> Option<usize> {
    let is_plan = |n: usize| PLAN_NOUNS.contains(&tree.lemma(n));
    if matches!(tree.rel(v), Some(Deprel::Acl)) {
        if let Some(h) = tree.head(v).filter(|&h| is_plan(h)) {
            return Some(h);
        }
    }
    if depth > 0 && tree.lemma(v) == "have" {
        return tree.kids_with(v, Deprel::Obj).find(|&o| is_plan(o));
    }
    None
}

fn has_negation(tree: &Tree<'_>, v: usize) -> bool {
    tree.children(v).iter().any(|&k| {
        let k = k as usize;
        matches!(
            tree.rel(k),
            Some(Deprel::Advmod | Deprel::Det | Deprel::Aux)
        ) && tree.lower_is(
            k,
            &["not", "n't", "never", "no", "cannot", "neither", "nor"],
        )
    })
}

/// Modality from the auxiliaries of `v`.
fn aux_modality(tree: &Tree<'_>, v: usize) -> Option<Modality> {
    for &k in tree.children(v) {
        let k = k as usize;
        if !matches!(tree.rel(k), Some(Deprel::Aux)) {
            continue;
        }
        let w = tree.text(k).to_ascii_lowercase();
        match w.as_str() {
            "will" | "shall" | "'ll" | "wo" => return Some(Modality::Future),
            "would" | "'d" => {
                return Some(if conditional(tree, v) || if_follows(tree, v) {
                    Modality::Conditional
                } else {
                    Modality::Future
                })
            }
            "might" | "may" | "could" | "can" | "should" | "must" | "ca" => {
                return Some(Modality::Hypothetical)
            }
            _ => {}
        }
    }
    // "is going to meet", "is to meet": the verb "be" + to.
    None
}

/// An "if"/"unless" later in the sentence of `v`, however it was attached
/// ("would lift sanctions only if ...").
fn if_follows(tree: &Tree<'_>, v: usize) -> bool {
    let s = tree.sentence_of[v];
    (v + 1..tree.doc.len())
        .take_while(|&k| tree.sentence_of[k] == s)
        .any(|k| tree.lower_is(k, &["if", "unless"]))
}

/// `v` has an if/unless adverbial clause, or an "only if" condition.
fn conditional(tree: &Tree<'_>, v: usize) -> bool {
    tree.children(v).iter().any(|&k| {
        let k = k as usize;
        tree.rel(k) == Some(Deprel::Advcl) && is_if_clause(tree, k)
    })
}

/// The if/unless clause a conditional clause hangs on ("would strike if
/// Congress passed the bill" -> "passed"), looked for on the clause's verbs.
pub fn if_clause(tree: &Tree<'_>, clause: &Clause) -> Option<usize> {
    // The parser often hangs the condition on the object ("would call off
    // the protests only if ...") or on a purpose infinitive ("would reopen
    // crossings to trade only if ...").
    clause.chain.iter().find_map(|&v| {
        tree.kids_with(v, Deprel::Advcl)
            .chain(
                tree.kids_with(v, Deprel::Obj)
                    .flat_map(|o| tree.kids_with(o, Deprel::Acl)),
            )
            .chain(
                tree.kids_with(v, Deprel::Xcomp)
                    .flat_map(|x| tree.kids_with(x, Deprel::Advcl)),
            )
            .find(|&k| is_if_clause(tree, k))
    })
}

fn is_if_clause(tree: &Tree<'_>, clause: usize) -> bool {
    tree.children(clause).iter().any(|&m| {
        let m = m as usize;
        tree.rel(m) == Some(Deprel::Mark)
            && tree.lower_is(
                m,
                &["if", "unless", "provided", "providing", "once", "whether"],
            )
    })
}

/// Verbs that report what someone said.
pub const REPORTING: &[&str] = &[
    "say",
    "tell",
    "claim",
    "report",
    "announce",
    "state",
    "add",
    "insist",
    "allege",
    "assert",
    "declare",
    "confirm",
    "write",
    "note",
    "argue",
    "suggest",
    "indicate",
    "stress",
    "hint",
    "believe",
    "deny",
    "contend",
    "maintain",
    "acknowledge",
    "admit",
    "explain",
    "reveal",
];

/// The speaker of the quote or reported clause the event lies in.
pub fn attribution(
    tree: &Tree<'_>,
    coder: &Coder<'_>,
    trigger: TextRange,
    clause: usize,
) -> Option<usize> {
    let doc = tree.doc;
    for q in &doc.quotes {
        if q.range.start <= trigger.start && trigger.end <= q.range.end {
            if let Some(s) = q.speaker {
                return Some(s);
            }
        }
    }
    // "X said (that) Y met Z": the ccomp of a reporting verb.
    let mut cur = clause;
    for _ in 0..6 {
        let h = tree.head(cur)?;
        match tree.rel(cur) {
            Some(Deprel::Ccomp | Deprel::Parataxis) if REPORTING.contains(&tree.lemma(h)) => {
                let s = tree.first_kid(h, &[Deprel::Nsubj])?;
                return coder.entity_of(s);
            }
            Some(Deprel::Conj | Deprel::Xcomp | Deprel::Advcl) => cur = h,
            _ => return None,
        }
    }
    None
}
