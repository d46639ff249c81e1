//! PLOVER events: who did what to whom, when, where, and how sure, from the
//! dependency parse of each clause.
//!
//! [`EventExtractor`] is the pipeline component. For every sentence it
//!
//! 1. finds **triggers**: verbs and nouns whose lemma has a rule in the
//!    project's trigger lexicon (`lexicons/plover_triggers.txt`, read by
//!    [`lexicon::Lexicon`]) and whose dependents satisfy the rule's constraints
//!    ("lift" + object "sanctions" is CONCEDE, "call on" is REQUEST). Nouns
//!    ("talks between X and Y", "the arrest of", "held a protest") need an
//!    argument or a light verb; a noun that is the object of a trigger verb, or
//!    the event embedded under "agreed to", "refused to", "threatened to", is
//!    content of that verb's event, not an event of its own;
//! 2. reads the **clause** the trigger belongs to: control and raising verbs
//!    ("plans to meet", "failed to agree"), auxiliaries, negation and
//!    conditional clauses give the [`Modality`]; the clause's subject, agent,
//!    objects and prepositional arguments give the source and target
//!    [`Actor`]s (`roles.rs`); the time expression attached to the clause, the
//!    dateline or the publication date give the date, and a place attached to
//!    the clause (or the dateline) the location (`setting.rs`);
//! 3. scores each event with the prior of its rule, adjusted by how complete
//!    the record is, calibrated into a probability (`confidence.rs`).
//!
//! A trained classifier (`classifier.rs`) arbitrates between rules of
//! different types on one token; it can also type verbs the lexicon has no
//! rule for, which the shipped settings leave off (it cost precision on dev).
//!
//! ```
//! use newsgraph_core::records::{EventType, Modality};
//! use newsgraph_extract::events::testing::parsed;
//! use newsgraph_extract::events::extract;
//!
//! // A hand-built parse: "Kaya met Aliyev ." (no model needed).
//! let doc = parsed(
//!     "Kaya met Aliyev .",
//!     &[("Kaya", "PROPN", "NNP", 2, "nsubj"), ("meet", "VERB", "VBD", 0, "root"),
//!       ("Aliyev", "PROPN", "NNP", 2, "obj"), (".", "PUNCT", ".", 2, "punct")],
//!     Some("2025-03-12"),
//! );
//! let events = extract(&doc);
//! assert_eq!(events.len(), 1);
//! assert_eq!(events[0].event_type, EventType::Consult);
//! assert_eq!(events[0].modality, Modality::Asserted);
//! assert_eq!(doc.slice(events[0].source[0].range), "Kaya");
//! assert_eq!(events[0].date.as_deref(), Some("2025-03-12"));
//! ```
//!
//! [`Doc`]: newsgraph_core::Doc
//! [`Modality`]: newsgraph_core::records::Modality
//! [`Actor`]: newsgraph_core::records::Actor

pub mod classifier;
pub mod confidence;
mod content;
pub mod eval;
pub mod lexicon;
mod modality;
mod roles;
mod setting;
pub mod testing;
mod tree;

use lexicon::{Lexicon, Rule, TriggerPos};
use newsgraph_core::records::{
    Entity, EntityType, Event, EventType, Mention, MentionKind, Modality,
};
use newsgraph_core::tags::{Deprel, Upos, Xpos};
use newsgraph_core::{Component, ComponentError, Doc, Layers};
use std::borrow::Cow;
use tree::{Tree, RELATIVE_PRONOUNS};

/// How the event extractor runs: which trained classifier it uses and how
/// (`classifier.rs`). The default is the shipped model with the shipped
/// settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventOptions {
    pub model: classifier::ModelChoice,
    pub settings: classifier::Settings,
}

/// The pipeline component that assigns `doc.events`.
#[derive(Debug, Clone)]
pub struct EventExtractor {
    model: Option<Cow<'static, classifier::EventClassifier>>,
    settings: classifier::Settings,
}

impl Default for EventExtractor {
    fn default() -> Self {
        Self::new()
    }
}

impl EventExtractor {
    /// The extractor with the shipped model and settings.
    pub fn new() -> Self {
        EventExtractor {
            model: classifier::EventClassifier::builtin().map(Cow::Borrowed),
            settings: classifier::Settings::default(),
        }
    }

    /// The extractor `options` describe; fails when they name a model file
    /// that cannot be read or is no event model.
    pub fn with_options(options: &EventOptions) -> Result<Self, newsgraph_learn::ModelError> {
        Ok(EventExtractor {
            model: classifier::EventClassifier::choose(&options.model)?,
            settings: options.settings,
        })
    }

    /// Extract the events of a parsed document (tokens, sentences, tags,
    /// lemmas and parse; entities, times and quotes are used when present).
    pub fn extract(&self, doc: &Doc) -> Vec<Event> {
        if doc.is_empty() || doc.sentence_data().is_empty() {
            return Vec::new();
        }
        let tree = Tree::new(doc);
        let lex = Lexicon::builtin();
        let ctx = setting::DocSetting::new(doc, &tree);
        let coder = roles::Coder::new(doc, &tree);
        let model = self
            .model
            .as_deref()
            .map(|m| classifier::DocModel::new(doc, m, self.settings));
        let quotations = Quotations::new(doc.text());
        let mut events = Vec::new();
        for s in doc.sentences() {
            let mut cands = Vec::new();
            for i in s.token_indices() {
                let found = match_token(&tree, lex, i, model.as_ref())
                    .or_else(|| model.as_ref().and_then(|m| m.propose(&tree, lex, i)));
                if let Some(c) = found {
                    cands.push(c);
                }
            }
            suppress(&tree, &mut cands);
            drop_consequences(&tree, &mut cands);
            merge_meetings(&tree, &mut cands);
            for c in cands.iter_mut() {
                c.dropped |= in_condition(&tree, c.clause);
            }
            find_vows(&tree, &mut cands);
            for c in cands.iter_mut().filter(|c| c.rule.owncontent) {
                c.dropped |= !own_act(&tree, &coder, c.token);
            }
            for c in cands.iter().filter(|c| !c.dropped) {
                let e = build(&tree, &ctx, &coder, c, s.index(), &events);
                if quotations.contains(e.trigger.start as usize) && !said_in_quote(&tree, c, &e) {
                    continue;
                }
                // "claimed responsibility for the attack", "who led the
                // talks": a definite noun names an act of a type the story
                // has already told, the same act again.
                if e.modality == Modality::Asserted
                    && c.rule.pos == TriggerPos::Noun
                    && tree
                        .first_kid(c.token, &[Deprel::Det])
                        .is_some_and(|d| tree.lower_is(d, &["the", "this", "that"]))
                    && events
                        .iter()
                        .any(|o: &Event| o.event_type == e.event_type && o.sentence < e.sentence)
                {
                    continue;
                }
                events.push(e);
            }
        }
        confidence::calibrate(&mut events);
        events
    }
}

impl Component for EventExtractor {
    fn name(&self) -> &str {
        "events"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS
            | Layers::SENTENCES
            | Layers::TAGS
            | Layers::LEMMAS
            | Layers::PARSE
            | Layers::ENTITIES
            | Layers::TIMES
    }

    fn assigns(&self) -> Layers {
        Layers::EVENTS
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        doc.events = self.extract(doc);
        doc.mark(Layers::EVENTS);
        Ok(())
    }
}

/// A trigger found in a sentence, before its clause is read.
#[derive(Debug, Clone)]
struct Candidate<'r> {
    /// The trigger token.
    token: usize,
    /// A second token of the trigger ("met with", "held talks", "call on").
    extra: Option<usize>,
    rule: &'r Rule,
    /// The verb whose clause gives roles and modality: the trigger itself, or
    /// the light verb of a noun trigger ("held a protest").
    clause: usize,
    /// Dropped as the content of another event.
    dropped: bool,
    /// The classifier's probability, for a trigger it typed (`model.*` rule).
    model_p: Option<f32>,
    /// For a pledge whose content is a coercive act ("vowed that the
    /// attackers would be hunted down"): that act's rule. The pledge is a
    /// threat.
    vowed: Option<&'r Rule>,
}

/// Extract the events of a parsed document with the shipped model and
/// settings ([`EventExtractor::extract`]).
pub fn extract(doc: &Doc) -> Vec<Event> {
    EventExtractor::new().extract(doc)
}

/// The first rule of the lexicon that matches token `i`.
fn match_token<'r>(
    tree: &Tree<'_>,
    lex: &'r Lexicon,
    i: usize,
    model: Option<&classifier::DocModel<'_>>,
) -> Option<Candidate<'r>> {
    let upos = tree.upos(i)?;
    let lemma = tree.lemma(i);
    let pos = match upos {
        // "detained activists", "a visiting delegation": modifiers, not events.
        Upos::Verb if tree.rel(i) == Some(Deprel::Amod) => return None,
        Upos::Verb => TriggerPos::Verb,
        // Participles the tagger calls adjectives ("the arrested men" is not an
        // event, but "was detained" tagged ADJ is).
        Upos::Adj if tree.first_kid(i, &[Deprel::AuxPass, Deprel::Cop]).is_some() => {
            TriggerPos::Verb
        }
        Upos::Noun | Upos::Propn => TriggerPos::Noun,
        _ => return None,
    };
    if in_longer_name(tree, i) {
        return None;
    }
    let lemma = if pos == TriggerPos::Verb && !lex.has_verb(lemma) {
        // Lemmatizer misses ("shelled" -> "shelled"): try the form's stems.
        let form = tree.text(i).to_ascii_lowercase();
        let stem = verb_stems(&form).into_iter().find(|s| lex.has_verb(s))?;
        return first_rule(tree, lex, i, &stem, pos, model);
    } else if pos == TriggerPos::Noun && !lex.has_noun(lemma) {
        let lower = tree.text(i).to_ascii_lowercase();
        if !lex.has_noun(&lower) {
            return None;
        }
        return first_rule(tree, lex, i, &lower, pos, model);
    } else {
        lemma.to_string()
    };
    first_rule(tree, lex, i, &lemma, pos, model)
}

fn first_rule<'r>(
    tree: &Tree<'_>,
    lex: &'r Lexicon,
    i: usize,
    lemma: &str,
    pos: TriggerPos,
    model: Option<&classifier::DocModel<'_>>,
) -> Option<Candidate<'r>> {
    let args = Args::of(tree, i, pos);
    if pos == TriggerPos::Noun && !args.noun_licensed {
        return None;
    }
    let (rule, extra) = match model {
        // Several matching rules of different types: the classifier arbitrates.
        Some(m) => m.arbitrate(tree, lex, i, lemma, &args, pos)?,
        None => lex
            .rules_for(lemma, pos)
            .find_map(|rule| args.satisfies(tree, rule).map(|extra| (rule, extra)))?,
    };
    Some(Candidate {
        token: i,
        extra,
        rule,
        clause: clause_of(&args, i, pos),
        dropped: false,
        model_p: None,
        vowed: None,
    })
}

/// The verb whose clause gives a trigger's roles and modality: a noun's light
/// verb, else the trigger itself.
fn clause_of(args: &Args, i: usize, pos: TriggerPos) -> usize {
    if pos == TriggerPos::Noun {
        args.light_verb.unwrap_or(i)
    } else {
        i
    }
}

/// Candidate stems of an inflected verb form: "shelled" -> "shell",
/// "raided" -> "raid", "shelling" -> "shell", "seizes" -> "seize".
fn verb_stems(form: &str) -> Vec<String> {
    let mut out = newsgraph_nlp::lemmatizer::regular_bases(form);
    if form.len() > 3 && form.ends_with('s') {
        out.push(form[..form.len() - 1].to_string());
        if let Some(w) = form.strip_suffix("es") {
            out.push(w.to_string());
        }
    }
    out
}

/// The dependents of a trigger that rules test.
#[derive(Debug, Default)]
struct Args {
    objects: Vec<usize>,
    /// (preposition lemma token or particle, argument)
    preps: Vec<(usize, usize)>,
    /// Prepositional phrases on a verb's object (preposition, argument),
    /// which `pobj=` also reads.
    obj_preps: Vec<(usize, usize)>,
    preds: Vec<usize>,
    mods: Vec<usize>,
    subject: Option<usize>,
    /// The agent of a passive, or what a "by" phrase names ("killed by
    /// lightning").
    agent: Option<usize>,
    light_verb: Option<usize>,
    noun_licensed: bool,
    content: bool,
    /// The verb has "will" or "would".
    future: bool,
}

/// Verbs that make a noun object an event of the noun's type ("held talks",
/// "staged a protest", "launched an attack"). Any verb that is not itself a
/// trigger does; these are also accepted when the noun is their subject.
const HAPPEN_VERBS: &[&str] = &[
    "take",
    "begin",
    "start",
    "end",
    "continue",
    "resume",
    "emerge",
    "erupt",
    "break",
    "occur",
    "happen",
    "follow",
    "come",
    "collapse",
    "stall",
    "fail",
    "succeed",
    "conclude",
    "open",
    "close",
    "intensify",
    "spread",
    "escalate",
    "kill",
    "leave",
    "wound",
    "injure",
    "destroy",
];

/// Verbs whose object event has not happened, and may never: it is feared,
/// ruled out or headed off ("would not tolerate further unrest", "fears
/// fresh clashes", "to avert a strike"). Such a noun is no event.
const UNREAL_OBJECT_VERBS: &[&str] = &[
    "tolerate",
    "fear",
    "prevent",
    "avert",
    "avoid",
    "forestall",
    "risk",
    "expect",
    "predict",
    "anticipate",
    "forbid",
    // "posed no threat", "poses a threat to stability": a danger, not an act
    "pose",
];

/// Verbs whose object event is someone else's, which the subject reports,
/// sees, sets off, breaks or undergoes ("residents reported heavy shelling",
/// "the bill sparked protests", "both sides violated the truce", "the
/// government faced protests"): no light verb, the noun stands on its own
/// arguments.
const OUTSIDE_OBJECT_VERBS: &[&str] = &[
    "report",
    "witness",
    "see",
    "describe",
    "document",
    "investigate",
    "probe",
    "violate",
    "breach",
    "spark",
    "trigger",
    "provoke",
    "prompt",
    "fuel",
    "face",
    "suffer",
    "survive",
    "endure",
    "escape",
];

/// Particles of phrasal verbs that the parser takes for a preposition
/// ("called off the strike", "set up a committee").
const PARTICLES: &[&str] = &["off", "up", "down", "out"];

/// Verbs whose phrasal forms take an object ("call off", "carry out", "set
/// up", "round up"), unlike "walked off the job".
const PHRASAL_TRANSITIVE: &[&str] = &[
    "call", "carry", "set", "shut", "round", "break", "rule", "wipe", "lock", "step", "scale",
    "seal", "hand", "ramp", "tear", "lay", "beef", "put",
];

/// Of [`OUTSIDE_OBJECT_VERBS`], those whose subject undergoes the event
/// ("the government faced protests"): the subject is the noun's target.
const PATIENT_VERBS: &[&str] = &["face", "suffer", "survive", "endure", "escape"];

impl Args {
    fn of(tree: &Tree<'_>, i: usize, pos: TriggerPos) -> Args {
        let mut a = Args::default();
        for &c in tree.children(i) {
            let c = c as usize;
            match tree.rel(c) {
                Some(Deprel::Obj | Deprel::NsubjPass | Deprel::Iobj) => {
                    a.objects.push(c);
                    a.objects.extend(tree.kids_with(c, Deprel::Conj));
                    // "$5 million in aid", "25 tonnes of rice"
                    if pos == TriggerPos::Verb {
                        // "called that decision disrespectful" however the
                        // parser attached the adjective: a predicate.
                        for &k in tree.children(c) {
                            let k = k as usize;
                            for x in std::iter::once(k)
                                .chain(tree.children(k).iter().map(|&x| x as usize))
                            {
                                if tree.upos(x) == Some(Upos::Adj) && x > c {
                                    a.preds.push(x);
                                }
                            }
                            // "called the manoeuvres 'a deliberate
                            // provocation'", the quoted noun parsed as an
                            // apposition.
                            let quoted = tree.children(k).iter().any(|&q| {
                                let q = q as usize;
                                q < k
                                    && tree.rel(q) == Some(Deprel::Punct)
                                    && crate::quotes::is_quote_mark(tree.text(q))
                            });
                            if tree.rel(k) == Some(Deprel::Appos) && quoted {
                                a.preds.push(k);
                            }
                        }
                        a.objects.extend(
                            tree.kids_with(c, Deprel::Nmod)
                                .filter(|&n| matches!(tree.case_of(n), Some("in" | "of"))),
                        );
                        // "took the editor into custody": the parser often
                        // hangs the verb's prepositional phrase on its object.
                        for n in tree.kids_with(c, Deprel::Nmod) {
                            if let Some(p) = tree.first_kid(n, &[Deprel::Case]) {
                                a.obj_preps.push((p, n));
                            }
                        }
                        // "dismissed the claim as fabricated", with the
                        // as-phrase hung on the object: the verb's own "as".
                        for n in tree.children(c).iter().map(|&n| n as usize) {
                            if !matches!(tree.rel(n), Some(Deprel::Acl | Deprel::Nmod)) {
                                continue;
                            }
                            let as_ = tree.children(n).iter().map(|&m| m as usize).find(|&m| {
                                matches!(tree.rel(m), Some(Deprel::Mark | Deprel::Case))
                                    && m > c
                                    && tree.lower_is(m, &["as"])
                            });
                            if let Some(p) = as_ {
                                a.preps.push((p, n));
                            }
                        }
                    }
                }
                // "the blaze that destroyed the market": a relative
                // pronoun's subject is the noun the clause modifies.
                Some(Deprel::Nsubj)
                    if tree.lower_is(c, RELATIVE_PRONOUNS) && tree.relative_head(i).is_some() =>
                {
                    a.subject = tree.relative_head(i)
                }
                Some(Deprel::Nsubj) => a.subject = Some(c),
                Some(Deprel::Aux) if tree.lower_is(c, WILL) => a.future = true,
                Some(Deprel::CompoundPrt) => a.preps.push((c, c)),
                Some(
                    Deprel::Obl
                    | Deprel::OblAgent
                    | Deprel::Nmod
                    | Deprel::Advcl
                    | Deprel::Xcomp
                    | Deprel::Ccomp,
                ) => {
                    let case = tree.children(c).iter().map(|&k| k as usize).find(|&k| {
                        matches!(tree.rel(k), Some(Deprel::Case | Deprel::Mark)) && k < c
                    });
                    // "called off the strike", "called off Monday's strike":
                    // the parser often makes a phrasal verb's object an
                    // oblique, with the particle as its case or none.
                    if pos == TriggerPos::Verb
                        && tree.rel(c) == Some(Deprel::Obl)
                        && c > i
                        && PHRASAL_TRANSITIVE.contains(&tree.lemma(i))
                        && case.map_or(
                            tree.kids_with(i, Deprel::CompoundPrt).next().is_some(),
                            |p| tree.lower_is(p, PARTICLES),
                        )
                    {
                        a.objects.push(c);
                    }
                    if let Some(p) = case {
                        a.preps.push((p, c));
                        // "killed by lightning", however "by" was attached.
                        if tree.lemma(p) == "by" && a.agent.is_none() {
                            a.agent = Some(c);
                        }
                        if pos == TriggerPos::Noun
                            && tree.rel(c) == Some(Deprel::Nmod)
                            && tree.lemma(p) == "of"
                        {
                            a.objects.push(c);
                        }
                    }
                    if tree.rel(c) == Some(Deprel::Xcomp) {
                        a.preds.push(c);
                        // "called it the most important document": the
                        // predicate's adjectives judge too.
                        a.preds.extend(tree.kids_with(c, Deprel::Amod));
                        a.content = true;
                    }
                    if tree.rel(c) == Some(Deprel::Ccomp) {
                        a.content = true;
                    }
                }
                Some(Deprel::Compound | Deprel::Amod) => {
                    a.mods.push(c);
                    if pos == TriggerPos::Noun {
                        a.objects.push(c);
                    }
                }
                _ => {}
            }
        }
        // "had shot down 34 of the 81 missiles": a particle right after the
        // verb that the parser hung elsewhere is the verb's all the same.
        let next = i + 1;
        if pos == TriggerPos::Verb
            && next < tree.doc.len()
            && tree.sentence_of[next] == tree.sentence_of[i]
            && tree.lower_is(next, PARTICLES)
            && !a.preps.iter().any(|&(p, _)| p == next)
            && matches!(tree.rel(next), Some(Deprel::Advmod | Deprel::CompoundPrt))
        {
            a.preps.push((next, next));
        }
        if pos == TriggerPos::Noun {
            let has_arg = a.preps.iter().any(|&(p, arg)| {
                matches!(
                    tree.lemma(p),
                    "between"
                        | "with"
                        | "of"
                        | "against"
                        | "by"
                        | "on"
                        | "to"
                        | "in"
                        | "over"
                        | "for"
                        | "from"
                        | "among"
                        | "at"
                ) && arg > i
            }) || tree.first_kid(i, &[Deprel::NmodPoss]).is_some();
            let described = a.mods.iter().any(|&m| {
                matches!(tree.upos(m), Some(Upos::Propn)) || tree.rel(m) == Some(Deprel::Amod)
            });
            // A light verb: the noun is the object (or subject of "take place").
            let mut unreal = false;
            // "violated previous truces": an adjective alone does not make
            // another's event a new one.
            let mut outside = false;
            if let Some(h) = tree.head(i) {
                let hv = matches!(tree.upos(h), Some(Upos::Verb));
                match tree.rel(i) {
                    Some(Deprel::Obj) if hv && UNREAL_OBJECT_VERBS.contains(&tree.lemma(h)) => {
                        unreal = true
                    }
                    Some(Deprel::Obj) if hv && OUTSIDE_OBJECT_VERBS.contains(&tree.lemma(h)) => {
                        outside = true
                    }
                    Some(Deprel::Obj) if hv => a.light_verb = Some(h),
                    Some(Deprel::Nsubj | Deprel::NsubjPass)
                        if hv && HAPPEN_VERBS.contains(&tree.lemma(h)) =>
                    {
                        a.light_verb = Some(h)
                    }
                    _ => {}
                }
            }
            let det = tree.first_kid(i, &[Deprel::Det]);
            let no_det = det.is_some_and(|d| tree.lower_is(d, &["no"]));
            // "the talks", "the meeting" with no argument refer back to an
            // event already told: not a new one.
            let anaphoric =
                det.is_some_and(|d| tree.lower_is(d, &["the", "this", "that", "these", "those"]));
            // "rejected that demand", "those protests": a demonstrative
            // points back to an event already told, whatever follows. The
            // parser often reads "that" before a noun as a conjunction; a
            // bare singular noun after it is still its determiner's ("that
            // talks would resume" is a clause).
            let pointed = det
                .is_some_and(|d| tree.lower_is(d, &["this", "that", "these", "those"]))
                || i > 0
                    && (tree.lower_is(i - 1, &["this", "these", "those"])
                        || tree.lower_is(i - 1, &["that"])
                            && tree.xpos(i) == Some(Xpos::Nn)
                            && det.is_none());
            let has_arg = has_arg || (described && !outside);
            let generic = generic_noun(tree, i, det);
            // "blocked border crossings in protest against grain imports":
            // the manner of another act, not a protest of its own.
            let manner = det.is_none()
                && tree.lemma(i) == "protest"
                && tree
                    .kids_with(i, Deprel::Case)
                    .any(|c| c < i && tree.lower_is(c, &["in"]));
            a.noun_licensed = !unreal
                && !generic
                && !manner
                && !pointed
                && (has_arg || (a.light_verb.is_some() && !anaphoric) || no_det);
        }
        a
    }

    /// Whether the rule's constraints hold; `Some(extra)` names a second
    /// trigger token when the rule consumed one (a particle or an object).
    fn satisfies(&self, tree: &Tree<'_>, rule: &Rule) -> Option<Option<usize>> {
        let mut extra = None;
        let in_set = |set: &lexicon::LemmaSet, t: usize| {
            set.contains(tree.lemma(t)) || set.contains(&tree.text(t).to_ascii_lowercase())
        };
        if rule.trans && self.objects.is_empty() {
            return None;
        }
        if rule.intrans && !self.objects.is_empty() {
            return None;
        }
        if let Some(set) = &rule.obj {
            // For a noun, a light verb's other objects don't count; its own
            // modifiers and "of" arguments do.
            let o = self.objects.iter().copied().find(|&o| in_set(set, o))?;
            extra = Some(o);
        }
        if let Some(set) = &rule.noobj {
            if self.objects.iter().any(|&o| in_set(set, o)) {
                return None;
            }
        }
        if let Some(set) = &rule.prep {
            let (p, _) = self.preps.iter().copied().find(|&(p, _)| in_set(set, p))?;
            extra = extra.or(Some(p));
        }
        if let Some(set) = &rule.noprep {
            if self.preps.iter().any(|&(p, _)| in_set(set, p)) {
                return None;
            }
        }
        if let Some(set) = &rule.pred {
            self.preds.iter().copied().find(|&p| in_set(set, p))?;
        }
        if let Some(set) = &rule.modifier {
            self.mods.iter().copied().find(|&m| in_set(set, m))?;
        }
        if let Some(set) = &rule.notmod {
            if self.mods.iter().any(|&m| in_set(set, m)) {
                return None;
            }
        }
        if let Some(set) = &rule.subj {
            let s = self.subject?;
            if !in_set(set, s) {
                return None;
            }
        }
        if let Some(set) = &rule.nosubj {
            // A passive's agent is its subject: "killed by lightning".
            if self.subject.or(self.agent).is_some_and(|s| in_set(set, s)) {
                return None;
            }
        }
        if let Some(set) = &rule.pobj {
            let (p, _) = self
                .preps
                .iter()
                .chain(&self.obj_preps)
                .copied()
                .find(|&(_, a)| in_set(set, a))?;
            extra = extra.or(Some(p));
        }
        if let Some(set) = &rule.nopred {
            if self
                .preds
                .iter()
                .any(|&p| set.contains("*") || in_set(set, p))
            {
                return None;
            }
        }
        if rule.objent && !self.objects.iter().any(|&o| is_named(tree, o)) {
            return None;
        }
        if rule.pobjent && !self.preps.iter().any(|&(_, a)| is_named(tree, a)) {
            return None;
        }
        if rule.content && !self.content {
            return None;
        }
        if rule.future && !self.future {
            return None;
        }
        Some(extra)
    }
}

/// Whether token `t` is one word of a longer name: "Co-operation" in "the
/// Organization for Security and Co-operation in Europe", "Reconciliation"
/// in "the Truth and Reconciliation Commission", "Strike" in "Strike Force
/// Command". Such words name a body, not an event.
fn in_longer_name(tree: &Tree<'_>, t: usize) -> bool {
    let r = tree.doc.token(t).range();
    covering_mentions(tree, t).any(|(_, m)| m.kind == MentionKind::Name && m.range != r)
}

/// Whether a token lies in a mention of a person, organisation or country.
fn is_named(tree: &Tree<'_>, t: usize) -> bool {
    covering_mentions(tree, t).any(|(e, _)| {
        matches!(
            e.entity_type,
            EntityType::Person | EntityType::Org | EntityType::Gpe
        )
    }) || tree.upos(t) == Some(Upos::Propn)
}

/// The entity mentions whose span covers token `t`, with their entity.
fn covering_mentions<'a>(
    tree: &'a Tree<'_>,
    t: usize,
) -> impl Iterator<Item = (&'a Entity, &'a Mention)> + 'a {
    let r = tree.doc.token(t).range();
    tree.doc.entities.iter().flat_map(move |e| {
        e.mentions
            .iter()
            .filter(move |m| m.range.start <= r.start && r.end <= m.range.end)
            .map(move |m| (e, m))
    })
}

/// Nouns that name a speech act: their event stands beside the verb that
/// answers it ("turned down a request" is REJECT and REQUEST).
const SPEECH_ACT_NOUNS: &[&str] = &[
    "request",
    "demand",
    "call",
    "offer",
    "proposal",
    "invitation",
    "appeal",
    "plea",
    "ultimatum",
];

/// Whether a speech-act noun says whose it is: a possessor ("Kyiv's
/// request"), a from- or by-phrase ("an offer from Washington"), or a
/// capitalised modifier before it ("a Saudi proposal").
fn has_maker(tree: &Tree<'_>, n: usize) -> bool {
    tree.children(n)
        .iter()
        .map(|&k| k as usize)
        .any(|k| match tree.rel(k) {
            Some(Deprel::NmodPoss) => true,
            Some(Deprel::Nmod) => matches!(tree.case_of(k), Some("from" | "by")),
            Some(Deprel::Amod | Deprel::Compound) => {
                k < n && tree.text(k).chars().next().is_some_and(char::is_uppercase)
            }
            _ => false,
        })
}

/// Drop triggers that are the content of another event: the object of a
/// trigger verb ("declined invitations", "condemned the attack"), the xcomp of
/// an embedding verb ("agreed to provide", "refused to meet"), a noun that
/// modifies another trigger.
fn suppress(tree: &Tree<'_>, cands: &mut [Candidate<'_>]) {
    let n = cands.len();
    for a in 0..n {
        let ta = cands[a].token;
        let head_a = tree.head(ta);
        let noun_a = cands[a].rule.pos == TriggerPos::Noun;
        let speech_act = noun_a && SPEECH_ACT_NOUNS.contains(&tree.lemma(ta));
        for b in 0..n {
            let tb = cands[b].token;
            // A noun under a trigger dropped as content ("ready to join peace
            // talks") still belongs to that trigger.
            // So does the content of an answered request ("declined an
            // invitation to meet").
            let under_request = head_a == Some(tb)
                && cands[b].rule.pos == TriggerPos::Noun
                && SPEECH_ACT_NOUNS.contains(&tree.lemma(tb));
            if a == b || cands[b].dropped && !(noun_a && head_a == Some(tb)) && !under_request {
                continue;
            }
            let rule_b = cands[b].rule;
            // "accused Moscow of executing prisoners", "blamed the rebels
            // for shelling the town": the act alleged is the accusation's
            // content, not an event the story reports. The parser may hang
            // it one word below the verb ("accused Moscow on Wednesday of
            // executing", "accused each other of shelling").
            let alleged = rule_b.event_type == EventType::Accuse
                && tree.xpos(ta) == Some(Xpos::Vbg)
                && matches!(tree.rel(ta), Some(Deprel::Advcl | Deprel::Acl))
                && (head_a == Some(tb) || head_a.and_then(|h| tree.head(h)) == Some(tb))
                && tree
                    .children(ta)
                    .iter()
                    .map(|&m| m as usize)
                    .any(|m| m < ta && tree.lower_is(m, &["of", "for"]));
            let dropped = if alleged {
                true
            } else if head_a == Some(tb) {
                match tree.rel(ta) {
                    // "an invitation to meet", "calls to lift a curfew", "a
                    // demand for the resignation": the content of a speech act.
                    Some(Deprel::Acl | Deprel::Nmod | Deprel::Xcomp)
                        if rule_b.pos == TriggerPos::Noun
                            && SPEECH_ACT_NOUNS.contains(&tree.lemma(tb)) =>
                    {
                        true
                    }
                    // "refused to meet", "threatened on Tuesday to expel": the
                    // infinitive is the content of an embedding verb.
                    Some(Deprel::Xcomp | Deprel::Advcl | Deprel::Ccomp) => {
                        rule_b.embed && rule_b.pos == TriggerPos::Verb && has_to(tree, ta)
                            || rule_b.embed && tree.rel(ta) == Some(Deprel::Xcomp)
                    }
                    // "declined invitations", "threatened Belarus with sanctions",
                    // "recalled its ambassador in protest".
                    // An offer or request that is answered is an event of its
                    // own only when the text says whose it was ("rebuffed a
                    // Saudi proposal", "turned down an offer from Washington",
                    // not "declined an invitation to meet").
                    Some(Deprel::Obj | Deprel::NsubjPass) if noun_a => {
                        !speech_act || !has_maker(tree, ta)
                    }
                    Some(Deprel::Obl | Deprel::Iobj) if noun_a => !speech_act,
                    Some(Deprel::Compound) => true,
                    // "convicted ... and sentenced to ten years": one event.
                    Some(Deprel::Conj)
                        if rule_b.event_type == cands[a].rule.event_type
                            && tree.first_kid(ta, &[Deprel::Obj]).is_none()
                            && !noun_a =>
                    {
                        true
                    }
                    _ => cands[b].extra == Some(ta),
                }
            } else {
                cands[b].extra == Some(ta)
            };
            if dropped {
                cands[a].dropped = true;
                break;
            }
        }
    }
}

/// Whether the that-clause of verb `v`, if it has one, is the act of `v`'s
/// subject: its subject is a pronoun ("warned that they would strike"), the
/// same word, or a name of the subject's country ("the spokesman warned that
/// Iran would reconsider"), or it is passive ("any move would be met with
/// force"). A third party's act is a prediction, not a threat ("warned that
/// the army might use the lull").
fn own_act(tree: &Tree<'_>, coder: &roles::Coder<'_>, v: usize) -> bool {
    let Some(c) = tree.first_kid(v, &[Deprel::Ccomp]) else {
        return true;
    };
    if tree
        .first_kid(c, &[Deprel::NsubjPass, Deprel::AuxPass])
        .is_some()
    {
        return true;
    }
    // "that fighting could resume": an act as subject is nobody's own.
    let Some(s) = tree.first_kid(c, &[Deprel::Nsubj, Deprel::Csubj]) else {
        return true;
    };
    if tree.rel(s) == Some(Deprel::Csubj) {
        return false;
    }
    if tree.upos(s) == Some(Upos::Pron) {
        return true;
    }
    let Some(m) = tree.first_kid(v, &[Deprel::Nsubj]) else {
        return false;
    };
    if tree.lemma(m) == tree.lemma(s) {
        return true;
    }
    // A common noun takes the story's country whoever it is ("the army"):
    // only a name is compared.
    let country = |t: usize| coder.actor(t).country;
    tree.upos(s) == Some(Upos::Propn) && country(s).is_some_and(|x| Some(x) == country(m))
}

/// Whether events of type `t` are coercive acts: made conditional or vowed,
/// they are threats.
fn is_coercive(t: EventType) -> bool {
    matches!(
        t,
        EventType::Protest
            | EventType::Coerce
            | EventType::Sanction
            | EventType::Assault
            | EventType::Mobilize
    )
}

/// Mark a pledge whose content is a coercive act as a threat: "vowed that
/// the attackers would be hunted down", "pledged to retaliate". PLOVER codes
/// a promise to harm as THREATEN, not AGREE.
fn find_vows<'r>(tree: &Tree<'_>, cands: &mut [Candidate<'r>]) {
    for a in 0..cands.len() {
        let pledge = cands[a].rule.event_type == EventType::Agree
            && cands[a].rule.embed
            && cands[a].rule.pos == TriggerPos::Verb;
        if !pledge {
            continue;
        }
        let v = cands[a].token;
        let act = cands.iter().position(|c| {
            is_coercive(c.rule.event_type)
                && tree.head(c.token) == Some(v)
                && matches!(tree.rel(c.token), Some(Deprel::Xcomp | Deprel::Ccomp))
        });
        if let Some(j) = act {
            cands[a].vowed = Some(cands[j].rule);
            cands[j].dropped = true;
        }
    }
}

/// Drop a casualty participle that follows an attack already told in the
/// sentence: "shelled the city on Wednesday, killing two civilians", "struck
/// farmland, wounding two farm workers". The killing is what the attack did,
/// not a second attack. (After another kind of event it stands: "carried out
/// a joint operation ..., killing 14 militants".)
fn drop_consequences(tree: &Tree<'_>, cands: &mut [Candidate<'_>]) {
    for a in 0..cands.len() {
        let t = cands[a].token;
        let consequence = cands[a].rule.event_type == EventType::Assault
            && cands[a].rule.pos == TriggerPos::Verb
            && tree.xpos(t) == Some(Xpos::Vbg)
            && t > 0
            && tree.text(t - 1) == ",";
        if consequence
            && cands[..a]
                .iter()
                .any(|c| !c.dropped && c.rule.event_type == EventType::Assault)
        {
            cands[a].dropped = true;
        }
    }
}

/// One meeting told twice is one event: "arrived in Colombo for two days of
/// talks", "received a Hamas delegation to discuss a prisoner exchange",
/// "plans to visit Washington to hold talks". A CONSULT trigger hung from
/// another (through a purpose infinitive, a for/of phrase or an object,
/// three steps at most) goes with it; of the two, the rule with the lower
/// confidence is dropped (the dependent one on a tie).
fn merge_meetings(tree: &Tree<'_>, cands: &mut [Candidate<'_>]) {
    for b in 0..cands.len() {
        if cands[b].dropped || cands[b].rule.event_type != EventType::Consult {
            continue;
        }
        let mut cur = cands[b].token;
        let mut host = None;
        for _ in 0..3 {
            let Some(h) = tree.head(cur) else { break };
            let linked = match tree.rel(cur) {
                Some(Deprel::Advcl | Deprel::Xcomp) => has_to(tree, cur),
                Some(Deprel::Obl | Deprel::Nmod) => {
                    matches!(tree.case_of(cur), Some("for" | "of"))
                }
                Some(Deprel::Obj) => true,
                _ => false,
            };
            if !linked {
                break;
            }
            host = cands.iter().position(|c| {
                !c.dropped
                    && c.rule.event_type == EventType::Consult
                    && (c.token == h || c.clause == h)
            });
            if host.is_some() {
                break;
            }
            cur = h;
        }
        let Some(a) = host.filter(|&a| a != b) else {
            continue;
        };
        if cands[a].rule.conf < cands[b].rule.conf {
            cands[a].dropped = true;
        } else {
            cands[b].dropped = true;
        }
    }
}

/// Whether clause `v` is (or is a conjunct or infinitive inside) an
/// if/unless clause: "would strike if Israel attacked", "would lift the
/// measures only if the government freed the prisoners", "if convicted".
/// It names what may happen, not an event; the main clause's event is
/// conditional on it (and a threat when coercive).
fn in_condition(tree: &Tree<'_>, v: usize) -> bool {
    let mut cur = v;
    for _ in 0..4 {
        if tree
            .kids_with(cur, Deprel::Mark)
            .any(|m| tree.lower_is(m, &["if", "unless"]))
        {
            return true;
        }
        match (tree.rel(cur), tree.head(cur)) {
            (Some(Deprel::Xcomp | Deprel::Conj), Some(h)) => cur = h,
            _ => return false,
        }
    }
    false
}

/// Whether noun `i` (with determiner `det`) names a kind of act, not an
/// act: bare or indefinite as the subject of a copula with a noun
/// predicate ("Peaceful protest is a right", "a ceasefire in this country
/// is a season"), or bare as such a predicate ("blocking roads is not
/// protest"). "Protests were peaceful" and "it was a massacre" stand.
fn generic_noun(tree: &Tree<'_>, i: usize, det: Option<usize>) -> bool {
    let nominal = |h: usize| {
        matches!(tree.upos(h), Some(Upos::Noun | Upos::Propn))
            && tree.first_kid(h, &[Deprel::Cop]).is_some()
    };
    match tree.rel(i) {
        Some(Deprel::Nsubj) => {
            det.is_none_or(|d| tree.lower_is(d, &["a", "an"])) && tree.head(i).is_some_and(nominal)
        }
        _ => det.is_none() && nominal(i),
    }
}

/// Whether a clause is a to-infinitive.
fn has_to(tree: &Tree<'_>, v: usize) -> bool {
    tree.children(v)
        .iter()
        .any(|&k| tree.rel(k as usize) == Some(Deprel::Mark) && tree.lower_is(k as usize, &["to"]))
}

/// Read the clause of a candidate into an [`Event`].
fn build(
    tree: &Tree<'_>,
    ctx: &setting::DocSetting,
    coder: &roles::Coder<'_>,
    c: &Candidate<'_>,
    sentence: usize,
    earlier: &[Event],
) -> Event {
    let doc = tree.doc;
    let rule = c.rule;
    let trigger_range = match c.extra {
        Some(x) if x == c.token + 1 || (x + 1 == c.token) => {
            doc.token(c.token).range().cover(doc.token(x).range())
        }
        _ => doc.token(c.token).range(),
    };
    let clause = modality::Clause::read(tree, c.clause, c.token);
    let (source, mut target) = roles::roles(tree, coder, c, &clause);
    let mut modality = clause.modality;
    // "No agreement was reached", "reached no deal": the rule's object
    // denies the event.
    if modality == Modality::Asserted
        && c.extra.is_some_and(|x| {
            tree.first_kid(x, &[Deprel::Det])
                .is_some_and(|d| tree.lower_is(d, &["no"]))
        })
    {
        modality = Modality::Negated;
    }
    let mut event_type = rule.event_type;
    let mut mode = mode_for(tree, c);
    if let Some(act) = c.vowed {
        mode = threat_mode(act.event_type, &act.mode).into();
        event_type = EventType::Threaten;
    }
    // A refusal, like a threat, is made when it is reported.
    let refused =
        event_type == EventType::Consult && modality == Modality::Negated && refusal(tree, &clause);
    if refused {
        event_type = EventType::Reject;
        modality = Modality::Asserted;
        mode = "meet".into();
    }
    // "Police said they would not allow the crowd to block the road", "we
    // will not tolerate ...": a warning of force, made when it is reported.
    let forbidden = modality == Modality::Negated && forbids(tree, c.token, &clause);
    if forbidden {
        event_type = EventType::Threaten;
        modality = Modality::Asserted;
        mode = "restrict".into();
    }
    let refused = refused || forbidden;
    let (time, date) = if refused {
        (None, ctx.anchor.clone())
    } else {
        match conditional_threat(tree, c, &clause, !source.is_empty()) {
            Some(party) => {
                if event_type != EventType::Threaten {
                    mode = threat_mode(event_type, &mode).into();
                }
                event_type = EventType::Threaten;
                modality = Modality::Asserted;
                if let Some(p) = party {
                    target = coder.actors(p);
                }
                // The threat is made when it is reported.
                (None, ctx.anchor.clone())
            }
            None => setting::date(tree, ctx, c, &clause),
        }
    };
    // "threatened to fire more missiles if the drills went ahead", "we
    // will respond with force if they cross the line": the condition is the
    // threat's content; the threat itself is made.
    if event_type == EventType::Threaten && modality == Modality::Conditional {
        modality = Modality::Asserted;
    }
    // "is due to ratify the agreement on Thursday", "talks due next week":
    // an event the text dates after the story has not happened yet.
    if modality == Modality::Asserted
        && time.is_some()
        && date
            .as_deref()
            .is_some_and(|d| setting::after_anchor(d, ctx.anchor.as_deref()))
    {
        modality = Modality::Future;
    }
    // "would call off the protests only if the commission agreed to an
    // audit": a concession offered to the party whose act is the condition.
    if event_type == EventType::Concede && modality == Modality::Conditional && target.is_empty() {
        if let Some(s) = modality::if_clause(tree, &clause)
            .and_then(|cond| tree.first_kid(cond, &[Deprel::Nsubj]))
            .filter(|&s| roles::is_participant(tree, coder, s))
        {
            target = coder.actors(s);
        }
    }
    // "Kollie-Davies rejected that request", "a request the judge refused":
    // a refusal of a demand made earlier is aimed at whoever made it, and is
    // about what it asked.
    let unnamed = event_type == EventType::Reject
        && target.iter().all(|a| {
            ["that", "this", "it"]
                .iter()
                .any(|w| doc.slice(a.range).eq_ignore_ascii_case(w))
        });
    if unnamed {
        if let Some(asked) = answered_request(tree, c, sentence, earlier) {
            target = asked.source.clone();
            if mode.is_empty() {
                mode = asked.mode.clone();
            }
        }
    }
    aim_at_actor(tree, coder, &mut target, earlier);
    // "Foreign ministers of ASEAN met in Jakarta", "NATO defence ministers
    // will gather in Brussels": an organisation's members meeting among
    // themselves.
    if event_type == EventType::Consult
        && mode.is_empty()
        && target.is_empty()
        && !source.is_empty()
        && source
            .iter()
            .all(|a| matches!(a.country.as_deref(), Some("IGO" | "EUR")))
    {
        mode = "multilateral".into();
    }
    let attribution = modality::attribution(tree, coder, trigger_range, c.clause);
    let location = setting::location(tree, ctx, c);
    let prior = c.model_p.unwrap_or(rule.conf);
    let bare_noun = c.clause == c.token;
    let confidence = confidence::raw(rule, prior, &source, &target, bare_noun, modality);
    Event {
        event_type,
        mode,
        context: Vec::new(),
        source,
        target,
        trigger: trigger_range,
        sentence,
        date,
        time,
        location,
        modality,
        attribution,
        confidence,
        rule: rule.name.clone(),
    }
}

/// "condemned the sanctions", "criticised the ban": a target that is an act
/// told earlier in the story (a noun the lexicon has as a trigger of that
/// event type) is aimed at whoever did it, the latest such event's source
/// country. A phrase that names its own country keeps it ("a Ukrainian
/// request").
fn aim_at_actor(
    tree: &Tree<'_>,
    coder: &roles::Coder<'_>,
    target: &mut [newsgraph_core::records::Actor],
    earlier: &[Event],
) {
    let doc = tree.doc;
    let lex = Lexicon::builtin();
    for a in target
        .iter_mut()
        .filter(|a| a.entity.is_none() && a.sector.is_none())
    {
        // The phrase's head: its token whose head lies outside it.
        let ranges = doc.token_ranges();
        let first = ranges.partition_point(|r| r.end <= a.range.start);
        let last = ranges.partition_point(|r| r.start < a.range.end);
        let inside = |k: usize| (first..last).contains(&k);
        let Some(h) = (first..last).find(|&k| tree.head(k).is_none_or(|g| !inside(g))) else {
            continue;
        };
        if tree.upos(h) != Some(Upos::Noun) || coder.actor_as_written(h).country.is_some() {
            continue;
        }
        // The noun's type, and its mode when the rule has one ("expulsion"
        // is SANCTION/expel, not any sanction).
        let kinds: Vec<(EventType, &str)> = lex
            .rules_for(tree.lemma(h), TriggerPos::Noun)
            .map(|r| (r.event_type, r.mode.as_str()))
            .collect();
        let doer = earlier.iter().rev().find_map(|e| {
            kinds
                .iter()
                .any(|&(t, m)| t == e.event_type && (m.is_empty() || m == e.mode))
                .then(|| e.source.iter().find_map(|s| s.country.clone()))
                .flatten()
        });
        if let Some(country) = doer {
            a.country = Some(country);
        }
    }
}

/// Nouns that name a request another party made.
const REQUEST_NOUNS: &[&str] = &[
    "demand",
    "request",
    "call",
    "appeal",
    "plea",
    "petition",
    "ultimatum",
];

/// How many sentences back a request named again ("that demand") is looked
/// for.
const REQUEST_REACH: usize = 3;

/// The request a refusal answers, when its object names one ("rejected the
/// demand", "a request the judge refused"): the latest REQUEST with a source
/// in this sentence or the [`REQUEST_REACH`] before it, other than the
/// request noun itself.
fn answered_request<'e>(
    tree: &Tree<'_>,
    c: &Candidate<'_>,
    sentence: usize,
    earlier: &'e [Event],
) -> Option<&'e Event> {
    let v = c.clause;
    let names_request = |t: usize| REQUEST_NOUNS.contains(&tree.lemma(t));
    let noun = tree
        .kids_with(v, Deprel::Obj)
        .find(|&o| names_request(o))
        // "a request the judge refused"
        .or_else(|| {
            matches!(tree.rel(v), Some(Deprel::AclRelcl | Deprel::Acl))
                .then(|| tree.head(v))
                .flatten()
                .filter(|&h| names_request(h))
        })
        // The same, with the fronted request parsed as another dependent
        // before the subject.
        .or_else(|| {
            let subjects: Vec<usize> = tree.kids_with(v, Deprel::Nsubj).collect();
            tree.children(v)
                .iter()
                .map(|&k| k as usize)
                .find(|&k| names_request(k) && subjects.iter().any(|&s| s > k && s < v))
        })
        // "rejected that request", with "that" read as a complementizer.
        .or_else(|| {
            let same = |j: usize| tree.sentence_of.get(j) == Some(&tree.sentence_of[v]);
            let mut j = v + 1;
            if same(j) && tree.lower_is(j, &["that", "this", "the", "these", "those"]) {
                j += 1;
            }
            (same(j) && names_request(j)).then_some(j)
        })?;
    let noun_range = tree.doc.token(noun).range();
    earlier
        .iter()
        .rev()
        .take_while(|e| e.sentence + REQUEST_REACH >= sentence)
        .find(|e| {
            // A concession offered on a condition puts a demand to the
            // other party ("would reopen the border only if ...").
            let asks = e.event_type == EventType::Request
                || e.modality == Modality::Conditional
                    && matches!(e.event_type, EventType::Concede | EventType::Agree);
            asks && !e.source.is_empty() && e.trigger != noun_range
        })
}

/// A coercive act an actor says it would take if another party acts ("the
/// federation would call an indefinite strike if Congress approved the
/// bill", "would impose travel bans unless the junta stepped down") is a
/// threat, asserted, made to that party: PLOVER codes the warning, not the
/// act that may never come. Returns the party (the if-clause's subject,
/// when it is an actor) for such an event.
fn conditional_threat(
    tree: &Tree<'_>,
    c: &Candidate<'_>,
    clause: &modality::Clause,
    has_source: bool,
) -> Option<Option<usize>> {
    // "would retaliate firmly if ...": the threat is made now, whatever
    // the condition, and whoever the parser found as its maker; its target
    // is the condition's party. (The `future` rule has its "will" or
    // "would".)
    if c.rule.future && c.rule.event_type == EventType::Threaten {
        let party = modality::if_clause(tree, clause)
            .and_then(|k| tree.first_kid(k, &[Deprel::Nsubj, Deprel::NsubjPass]))
            .filter(|&s| roles::is_party(tree, s));
        return Some(party);
    }
    if !has_source {
        return None;
    }
    if !is_coercive(c.rule.event_type) || clause.modality != Modality::Conditional {
        return None;
    }
    let will = will_or_would(tree, clause);
    // "would call off street protests if ...": an act called off is a
    // concession offered, no threat.
    let called_off = tree.lemma(c.clause) != tree.lemma(c.token)
        && (modality::cancels(tree, c.clause)
            || matches!(
                tree.lemma(c.clause),
                "end" | "halt" | "stop" | "abandon" | "drop"
            ));
    let cond = modality::if_clause(tree, clause).filter(|_| will && !called_off)?;
    let party = tree
        .first_kid(cond, &[Deprel::Nsubj, Deprel::NsubjPass])
        .filter(|&s| roles::is_party(tree, s));
    Some(party)
}

/// "will", "would" and their contractions.
const WILL: &[&str] = &["will", "would", "'ll", "wo"];

/// Whether a verb of the clause's chain has "will" or "would".
fn will_or_would(tree: &Tree<'_>, clause: &modality::Clause) -> bool {
    clause.chain.iter().any(|&v| {
        tree.kids_with(v, Deprel::Aux)
            .any(|a| tree.lower_is(a, WILL))
    })
}

/// Whether a negated meeting is a refusal made by the speaker: "we will not
/// negotiate with terrorists", "I would not meet him unless ...". A meeting
/// that will not happen, told in the third person ("Petrovic will not
/// attend the summit"), stays a negated CONSULT.
fn refusal(tree: &Tree<'_>, clause: &modality::Clause) -> bool {
    let will = will_or_would(tree, clause);
    let first_person = clause.chain.iter().any(|&v| {
        tree.kids_with(v, Deprel::Nsubj)
            .any(|s| tree.lower_is(s, &["we", "i"]))
    });
    will && (first_person || modality::if_clause(tree, clause).is_some())
}

/// Whether a negated "allow"/"permit"/"tolerate" is a warning: "will" or
/// "would", and an active subject ("they would not allow", not "nobody will
/// be allowed").
fn forbids(tree: &Tree<'_>, token: usize, clause: &modality::Clause) -> bool {
    matches!(tree.lemma(token), "allow" | "permit" | "tolerate")
        && will_or_would(tree, clause)
        && tree.first_kid(token, &[Deprel::Nsubj]).is_some()
}

/// The THREATEN mode of a threatened act of type `t` and mode `mode`.
fn threat_mode(t: EventType, mode: &str) -> &'static str {
    match (t, mode) {
        (EventType::Coerce, "arrest") => "arrest",
        (EventType::Coerce | EventType::Sanction, "deport" | "expel") => "expel",
        (EventType::Coerce, _) | (EventType::Protest, _) => "restrict",
        (EventType::Sanction, "relations" | "break") => "relations",
        (EventType::Assault | EventType::Mobilize, _) => "violence",
        _ => "",
    }
}

/// The rule's mode, refined by the clause where the rule leaves it open.
fn mode_for(tree: &Tree<'_>, c: &Candidate<'_>) -> String {
    let rule = c.rule;
    if rule.event_type == EventType::Consult && rule.mode.is_empty() {
        // "met ... in Sochi" on a trip, "by phone".
        for &k in tree.children(c.clause) {
            let k = k as usize;
            if tree.lower_is(k, &["phone", "telephone"]) {
                return "phone".into();
            }
            if tree.rel(k) == Some(Deprel::Obl)
                && tree.case_of(k) == Some("by")
                && tree.lower_is(k, &["phone", "telephone", "videoconference", "video"])
            {
                return "phone".into();
            }
        }
        if let Some(m) = consult_mode(tree, c) {
            return m.into();
        }
    }
    if rule.event_type == EventType::Assault
        && matches!(
            rule.mode.as_str(),
            "" | "aerial" | "explosives" | "heavy-weapons"
        )
    {
        if let Some(m) = weapon_mode(tree, c) {
            return m.into();
        }
    }
    if rule.mode.is_empty() {
        if let Some(m) = content::mode(tree, c) {
            return m.into();
        }
    }
    rule.mode.clone()
}

/// The ASSAULT mode the weapon gives: what struck ("warplanes bombed a
/// market", "drones struck a refinery", "missiles hit power plants"), what
/// it was struck with ("attacked the base with drones"), or the kind of
/// attack a noun names ("a drone attack", "a missile strike").
fn weapon_mode(tree: &Tree<'_>, c: &Candidate<'_>) -> Option<&'static str> {
    let kind = |k: usize| -> Option<&'static str> {
        match tree.lemma(k) {
            "drone" => Some("drone"),
            "missile" | "rocket" | "artillery" | "shell" | "mortar" | "howitzer" => {
                Some("heavy-weapons")
            }
            "warplane" | "jet" | "aircraft" | "plane" | "helicopter" | "gunship" => Some("aerial"),
            // "the air force", "air strikes" are told by their modifier.
            "force" => tree
                .kids_with(k, Deprel::Compound)
                .any(|m| tree.lower_is(m, &["air"]))
                .then_some("aerial"),
            _ => None,
        }
    };
    let t = c.token;
    if tree.upos(t) == Some(Upos::Noun) {
        let modifier = tree
            .children(t)
            .iter()
            .map(|&k| k as usize)
            .filter(|&k| k < t && matches!(tree.rel(k), Some(Deprel::Compound | Deprel::Amod)));
        return modifier.filter_map(kind).next();
    }
    let v = c.clause;
    // "Russian missiles struck power plants", parsed as a participle on
    // "missiles".
    if tree.rel(v) == Some(Deprel::Acl) && tree.first_kid(v, &[Deprel::Obj]).is_some() {
        if let Some(m) = tree.head(v).and_then(kind) {
            return Some(m);
        }
    }
    let by = |k: usize| match tree.rel(k) {
        Some(Deprel::Nsubj | Deprel::OblAgent) => true,
        Some(Deprel::Obl) => matches!(tree.case_of(k), Some("with" | "by")),
        _ => false,
    };
    // "with rockets" may hang on the object ("attacked the camp with
    // rockets").
    let on_object = tree
        .kids_with(v, Deprel::Obj)
        .flat_map(|o| tree.kids_with(o, Deprel::Nmod))
        .filter(|&k| tree.case_of(k) == Some("with"));
    tree.children(v)
        .iter()
        .map(|&k| k as usize)
        .filter(|&k| by(k))
        .chain(on_object)
        .find_map(kind)
}

/// Nouns of a meeting of many parties.
const MULTILATERAL_NOUNS: &[&str] = &["summit", "conference", "gathering", "forum", "assembly"];

/// Verbs of a third party running a meeting ("mediated talks", "talks
/// hosted by Qatar").
const MEDIATING: &[&str] = &["mediate", "broker", "facilitate", "host", "chair"];

/// Verbs of travel: a meeting someone travelled to is a visit.
const TRAVEL_VERBS: &[&str] = &[
    "fly", "travel", "arrive", "cross", "head", "return", "jet", "drive",
];

/// The mode a meeting's setting gives it, in this order: "visit" when it is
/// what someone travelled for ("flew to Tehran and met", "would travel to
/// Washington to meet", "crossed into Tajikistan for five hours of talks",
/// "travelled to Pyongyang for a summit"); "multilateral" for a summit,
/// conference or gathering ("met for an emergency summit", "on the sidelines
/// of the G20 gathering"); "third-party" when another party mediated,
/// brokered, hosted or chaired it ("talks mediated by Kenya", "mediation
/// talks", "US-hosted talks").
fn consult_mode(tree: &Tree<'_>, c: &Candidate<'_>) -> Option<&'static str> {
    let t = c.token;
    // Up from the clause (or the noun) through conjuncts, purpose clauses
    // and for/of phrases (or phrases with no preposition), three steps at
    // most.
    let mut cur = c.clause;
    for _ in 0..3 {
        let Some(h) = tree.head(cur) else { break };
        let linked = match tree.rel(cur) {
            Some(Deprel::Conj | Deprel::Advcl | Deprel::Xcomp) => true,
            Some(Deprel::Obl | Deprel::Nmod) => {
                tree.case_of(cur).is_none_or(|p| matches!(p, "for" | "of"))
            }
            _ => false,
        };
        if !linked {
            break;
        }
        if TRAVEL_VERBS.contains(&tree.lemma(h)) {
            return Some("visit");
        }
        cur = h;
    }
    // A summit or conference the meeting is, is held at or is for: "met
    // for an emergency summit", "on the sidelines of the G20 gathering".
    let gathering = |n: usize| MULTILATERAL_NOUNS.contains(&tree.lemma(n));
    if gathering(t)
        || [t, c.clause].iter().any(|&v| {
            tree.children(v).iter().any(|&k| {
                let k = k as usize;
                matches!(tree.rel(k), Some(Deprel::Obj | Deprel::Obl | Deprel::Nmod))
                    && (gathering(k) || tree.kids_with(k, Deprel::Nmod).any(gathering))
            })
        })
    {
        return Some("multilateral");
    }
    // Mediated, brokered, hosted or chaired by another party: "talks
    // mediated by Kenya", "mediation talks", "US-hosted talks", "talks
    // chaired by the UN envoy", "held talks with African Union mediators".
    let mediating = |k: usize| MEDIATING.contains(&tree.lemma(k));
    let mediated = |k: usize| {
        matches!(tree.lemma(k), "mediate" | "broker" | "facilitate")
            || tree.children(k).iter().any(|&g| {
                let g = g as usize;
                match tree.rel(g) {
                    Some(Deprel::Acl | Deprel::Amod | Deprel::AclRelcl) => mediating(g),
                    Some(Deprel::Compound) => tree.lemma(g) == "mediation",
                    Some(Deprel::Obl | Deprel::Nmod) => {
                        matches!(tree.lemma(g), "mediator" | "mediation")
                    }
                    _ => false,
                }
            })
    };
    if mediated(t) || mediated(c.clause) || c.extra.is_some_and(mediated) {
        return Some("third-party");
    }
    None
}

/// Whether a token is a verb in the past (or a perfect/passive participle).
fn is_past(tree: &Tree<'_>, i: usize) -> bool {
    match tree.xpos(i) {
        Some(Xpos::Vbd) => true,
        Some(Xpos::Vbn) => tree.children(i).iter().any(|&a| {
            matches!(tree.rel(a as usize), Some(Deprel::Aux | Deprel::AuxPass))
                && matches!(
                    tree.text(a as usize).to_ascii_lowercase().as_str(),
                    "had" | "has" | "have" | "was" | "were" | "'d"
                )
        }),
        _ => tree.children(i).iter().any(|&a| {
            matches!(
                tree.rel(a as usize),
                Some(Deprel::Aux | Deprel::AuxPass | Deprel::Cop)
            ) && matches!(tree.xpos(a as usize), Some(Xpos::Vbd))
        }),
    }
}

/// Whether an event told inside a direct quotation is the speaker's own
/// speech act, which the story reports: a threat, refusal or accusation
/// ("We will answer every attack", "we will not negotiate with them"), what
/// the speaker's side will do ("we will shell every bridge"), or a request
/// or offer the speaker makes as they speak ("We urge the authorities to
/// release our colleagues", "We are ready to talk"). What a
/// quote recounts or argues ("we marched for a principle", "every president
/// has promised this plane") is the speaker's words, not the story's event.
fn said_in_quote(tree: &Tree<'_>, c: &Candidate<'_>, e: &Event) -> bool {
    if matches!(
        e.event_type,
        EventType::Threaten | EventType::Reject | EventType::Accuse
    ) {
        return true;
    }
    let v = c.clause;
    let first_person = tree
        .first_kid(v, &[Deprel::Nsubj])
        .is_some_and(|s| tree.lower_is(s, &["we", "i"]));
    // What the speaker's side will do: "we will shell every bridge".
    if first_person && e.modality == Modality::Future {
        return true;
    }
    if !matches!(e.event_type, EventType::Request | EventType::Agree) {
        return false;
    }
    // A simple present: "we urge", "we are ready".
    let present = |k: usize| matches!(tree.xpos(k), Some(Xpos::Vbp | Xpos::Vbz));
    first_person && (present(v) || tree.kids_with(v, Deprel::Cop).any(present))
}

/// The stretches of a text inside direct quotations: after an open curly
/// quote not yet closed, or an odd number of straight double quotes, within
/// a line (a paragraph: a line break ends every quotation, and one that runs
/// on opens the next paragraph again by convention, so a stray quote mark
/// cannot swallow the rest of a story). Found in one pass, looked up by
/// binary search.
struct Quotations(Vec<(usize, usize)>);

impl Quotations {
    fn new(text: &str) -> Quotations {
        let mut spans = Vec::new();
        let (mut curly, mut straight) = (0u32, false);
        let mut start: Option<usize> = None;
        for (i, ch) in text.char_indices() {
            match ch {
                '\u{201c}' => curly += 1,
                // A stray closing quote does not hide the next opening one.
                '\u{201d}' => curly = curly.saturating_sub(1),
                '"' => straight = !straight,
                '\n' => (curly, straight) = (0, false),
                _ => {}
            }
            let inside = curly > 0 || straight;
            match (start, inside) {
                (None, true) => start = Some(i + ch.len_utf8()),
                (Some(s), false) => {
                    spans.push((s, i + 1));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push((s, text.len() + 1));
        }
        Quotations(spans)
    }

    /// Whether byte offset `at` lies inside a quotation.
    fn contains(&self, at: usize) -> bool {
        let k = self.0.partition_point(|&(_, end)| end <= at);
        self.0.get(k).is_some_and(|&(start, _)| start <= at)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{add_entity, parsed};
    use newsgraph_core::records::{EntityType, EventType};

    #[test]
    fn quoted_offsets() {
        let text = "\"We marched,\" she said. \u{201c}They fled\u{201d} and left.\n\n\u{201c}A long quote\n\n\u{201c}goes on.\nA stray\" mark\nends with its line. \u{201d}Then \u{201c}a quote\u{201d}.";
        let q = super::Quotations::new(text);
        let at = |w: &str| text.find(w).unwrap();
        assert!(q.contains(at("We")));
        assert!(q.contains(at("marched")));
        assert!(!q.contains(at("said")));
        assert!(q.contains(at("fled")));
        assert!(!q.contains(at("left")));
        assert!(!q.contains(0));
        // A quotation running on into the next paragraph opens it again.
        assert!(q.contains(at("goes")));
        assert!(q.contains(at("mark")));
        assert!(!q.contains(at("ends")));
        assert!(!q.contains(at("Then")));
        assert!(q.contains(at("a quote")));
    }

    /// "Co-operation" in the OSCE's name is no COOPERATE event, though
    /// the same words with no name recognised give one.
    #[test]
    fn a_word_of_a_longer_name_is_no_trigger() {
        let words = [
            ("Kaya", "PROPN", "NNP", 2, "nsubj"),
            ("thank", "VERB", "VBD", 0, "root"),
            ("the", "DET", "DT", 4, "det"),
            ("Organization", "PROPN", "NNP", 2, "obj"),
            ("for", "ADP", "IN", 6, "case"),
            ("Security", "PROPN", "NNP", 4, "nmod"),
            ("and", "CCONJ", "CC", 8, "cc"),
            ("co-operation", "NOUN", "NN", 6, "conj"),
            ("in", "ADP", "IN", 10, "case"),
            ("Europe", "PROPN", "NNP", 8, "nmod"),
            (".", "PUNCT", ".", 2, "punct"),
        ];
        let text = "Kaya thanked the Organization for Security and Co-operation in Europe .";
        let name = "Organization for Security and Co-operation in Europe";
        let cooperations = |doc: &newsgraph_core::Doc| -> Vec<String> {
            super::extract(doc)
                .into_iter()
                .filter(|e| e.event_type == EventType::Cooperate)
                .map(|e| doc.slice(e.trigger).to_string())
                .collect()
        };
        let mut doc = parsed(text, &words, Some("2025-03-14"));
        assert_eq!(cooperations(&doc), ["Co-operation"]);
        add_entity(&mut doc, name, EntityType::Org, None, &[name]);
        assert!(cooperations(&doc).is_empty());
    }
}
