//! Quotations and reported speech, attributed to their speakers.
//!
//! Three passes over a tagged, parsed [`Doc`] whose entities are known:
//!
//! 1. **Quotation marks** ([`marks`]): pair opening and closing marks (straight,
//!    curly, British single marks told apart from apostrophes), continue a
//!    quote over paragraphs, join a quote interrupted by its attribution
//!    (`“We have seen,” he said, “what happens.”` is one quote). A quote that
//!    opens its sentence (or follows a colon or a cue and a comma) is `direct`;
//!    one embedded in the syntax of a sentence (`called the decision
//!    “disrespectful”`) is `mixed`.
//! 2. **Reported speech**: a speech verb of the lexicon
//!    (`lexicons/speech_cues.txt`) with a clausal complement (`ccomp`), or
//!    attached as `parataxis` to the clause it reports (`..., X said`), or
//!    "according to X"; surface fallbacks ("said that ...", ", X said.",
//!    ", saying ...") when the parse has no clause. The reported clause is the quote (`indirect`);
//!    a reported clause that holds a quoted fragment becomes one `mixed` quote.
//! 3. **Attribution**: the cue next to the quote (inside an interrupted quote,
//!    right after it, or before it in the sentence or a sentence ending with a
//!    colon), its subject from the parse (or the noun phrase next to the cue),
//!    and the speaker entity: the entity with a mention covering the speaker's
//!    head word (an appositive name counts: "the envoy, Khalid al-Maskari").
//!    Pronouns ("he said") get their entity through coreference, i.e. when an
//!    entity has that pronoun among its mentions; a he/she/it that coreference
//!    left alone takes the speaker of the previous attributed quote in the
//!    same or the previous paragraph when the type fits. A quote paragraph with no
//!    cue of its own continues the run of the nearest preceding speaker (in the
//!    same or the previous paragraph). Anything else stays unattributed (null):
//!    the extractor never guesses by proximity.
//!
//! ```
//! use newsgraph_extract::quotes::marks;
//! let text = "“We have seen,” he said, “what happens.”\n\nShe called it ‘a farce’.";
//! let found: Vec<Vec<&str>> = marks::find(text)
//!     .iter()
//!     .map(|q| q.parts.iter().map(|p| p.inner.slice(text)).collect())
//!     .collect();
//! assert_eq!(found, [vec!["We have seen,"], vec!["what happens."], vec!["a farce"]]);
//! ```
//!
//! [`Doc`]: newsgraph_core::Doc

pub mod cues;
mod eval;
pub mod marks;

pub use cues::{CueKind, Cues};
pub use eval::{eval_quotes, QuoteEval, QuoteScores};

use marks::{Part, Quoted};
use newsgraph_core::records::{Quote, QuoteKind};
use newsgraph_core::{Component, ComponentError, Deprel, Doc, Layers, TextRange, Upos};

/// The [`Component`] that fills `doc.quotes`.
///
/// Invariant of its output: `doc.quotes` sorted by start; speakers index
/// `doc.entities`.
#[derive(Debug, Default, Clone, Copy)]
pub struct QuoteExtractor;

impl QuoteExtractor {
    pub fn new() -> Self {
        QuoteExtractor
    }
}

impl Component for QuoteExtractor {
    fn name(&self) -> &str {
        "quotes"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS
            | Layers::SENTENCES
            | Layers::TAGS
            | Layers::LEMMAS
            | Layers::PARSE
            | Layers::ENTITIES
    }

    fn assigns(&self) -> Layers {
        Layers::QUOTES
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        let found = extract(doc);
        doc.quotes = found.into_iter().map(|f| f.quote).collect();
        doc.mark(Layers::QUOTES);
        Ok(())
    }
}

/// One extracted quote with the rule that attributed it (for auditing):
/// `gap` (inside an interrupted quote), `after`, `before`, `colon` (a
/// preceding sentence ending with a colon), `governor` (the verb that governs
/// a quoted fragment), `run` (continues the previous speaker), `ccomp`,
/// `parataxis`, `that`, `comma_said`, `participle`, `according_to`, or `none`.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub quote: Quote,
    pub rule: &'static str,
}

/// Extract every quote of `doc` (which needs tokens, sentences, tags, lemmas,
/// parse; entities for speakers). Sorted by start.
pub fn extract(doc: &Doc) -> Vec<Found> {
    if doc.is_empty() {
        return Vec::new();
    }
    let cx = Ctx::new(doc);
    let quoted = join_interrupted(&cx, marks::find(doc.text()));
    let mut out: Vec<Cand> = quoted.iter().map(|q| cx.marked(q)).collect();
    let indirect = cx.reported_speech(&out);
    // A reported clause absorbs the quoted fragments inside it; one that would
    // cover a direct quote is that quote (already attributed).
    let mut absorbed = vec![false; out.len()];
    let mut clauses: Vec<Cand> = Vec::new();
    'clause: for mut c in indirect {
        let mut inside = Vec::new();
        for (i, q) in out.iter().enumerate() {
            if q.range.overlap(c.range) == 0 {
                continue;
            }
            if q.kind == QuoteKind::Direct {
                continue 'clause;
            }
            // A fragment that opens inside the clause and runs past its end
            // ('... of trying “to sabotage the talks.”', the full stop inside
            // the marks and outside the parse's clause) ends the clause.
            if c.range.start <= q.range.start && q.range.start < c.range.end {
                c.range.end = c.range.end.max(q.range.end);
                c.outer = c.range;
            }
            if !c.range.contains(q.range) {
                continue 'clause;
            }
            inside.push(i);
        }
        if !inside.is_empty() {
            c.kind = QuoteKind::Mixed;
            for i in inside {
                absorbed[i] = true;
            }
        }
        clauses.push(c);
    }
    // A clause inside another reported clause is part of it.
    let keep: Vec<bool> = clauses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            !clauses
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && o.range.contains(c.range) && (o.range != c.range || j < i))
        })
        .collect();
    let mut all: Vec<Cand> = out
        .drain(..)
        .zip(absorbed)
        .filter(|(_, a)| !a)
        .map(|(q, _)| q)
        .chain(
            clauses
                .into_iter()
                .zip(keep)
                .filter(|(_, k)| *k)
                .map(|(c, _)| c),
        )
        .collect();
    all.sort_by_key(|c| (c.range.start, c.range.end));
    cx.continue_runs(&mut all);
    let mut found: Vec<Found> = Vec::with_capacity(all.len());
    // (paragraph, speaker entity) of the quotes attributed so far.
    let mut spoken: Vec<(usize, usize)> = Vec::new();
    for c in all {
        let (speaker, speaker_mention) = match c.speaker {
            Some(Speaker::Head(h)) => {
                let (e, m) = cx.speaker_entity(h, c.cue.map(|r| cx.token_at(r.start)));
                let e = e.or_else(|| cx.pronoun_from_previous_speaker(h, c.para, &spoken));
                (e, Some(m))
            }
            Some(Speaker::Resolved(e, m)) => (e, Some(m)),
            None => (None, None),
        };
        if let Some(e) = speaker {
            spoken.push((c.para, e));
        }
        found.push(Found {
            quote: Quote {
                range: c.range,
                kind: c.kind,
                speaker,
                speaker_mention,
                cue: c.cue,
            },
            rule: c.rule,
        });
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Speaker {
    /// The speaker's head word (token index); the entity is looked up at the end.
    Head(usize),
    /// Copied from another quote (runs): entity and mention.
    Resolved(Option<usize>, TextRange),
}

#[derive(Debug, Clone)]
struct Cand {
    range: TextRange,
    kind: QuoteKind,
    speaker: Option<Speaker>,
    cue: Option<TextRange>,
    rule: &'static str,
    /// For marked quotes: the outer range including marks; for clauses, the range.
    outer: TextRange,
    /// Paragraph index of the quote's start.
    para: usize,
    /// Paragraph index of the quote's end (a continued quote spans several).
    end_para: usize,
    /// The quote opens its paragraph (a "quote paragraph").
    opens_para: bool,
}

/// Per-document lookups.
struct Ctx<'a> {
    doc: &'a Doc,
    cues: &'static Cues,
    paras: Vec<TextRange>,
    /// Per token: its sentence.
    sent: Vec<u32>,
    /// Children of each token (CSR: `child_start[i]..child_start[i+1]` in `children`).
    child_start: Vec<u32>,
    children: Vec<u32>,
    /// Per token: subtree hull (first, last token index).
    hull: Vec<(u32, u32)>,
    /// Entity mentions: (range, entity index), sorted by start.
    mentions: Vec<(TextRange, usize)>,
    dateline: Option<newsgraph_nlp::ner::Dateline>,
}

const MAX_ATTRIBUTION: usize = 16;

impl<'a> Ctx<'a> {
    fn new(doc: &'a Doc) -> Ctx<'a> {
        let n = doc.len();
        let mut sent = vec![0u32; n];
        for s in doc.sentences() {
            for i in s.token_indices() {
                sent[i] = s.index() as u32;
            }
        }
        let heads: Vec<Option<usize>> = doc.tokens().map(|t| t.head().map(|h| h.index())).collect();
        let mut count = vec![0u32; n + 1];
        for h in heads.iter().flatten() {
            count[*h + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let child_start = count.clone();
        let mut fill = count;
        let mut children = vec![0u32; child_start[n] as usize];
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                children[fill[h] as usize] = i as u32;
                fill[h] += 1;
            }
        }
        let mut hull: Vec<(u32, u32)> = (0..n as u32).map(|i| (i, i)).collect();
        for i in 0..n {
            let mut h = heads[i];
            let mut steps = 0;
            while let Some(a) = h {
                let e = &mut hull[a];
                e.0 = e.0.min(i as u32);
                e.1 = e.1.max(i as u32);
                h = heads[a];
                steps += 1;
                if steps > n {
                    break; // a cycle would be a parser bug; never loop forever
                }
            }
        }
        let mut mentions: Vec<(TextRange, usize)> = doc
            .entities
            .iter()
            .enumerate()
            .flat_map(|(e, ent)| ent.mentions.iter().map(move |m| (m.range, e)))
            .collect();
        mentions.sort_by_key(|(r, _)| (r.start, r.end));
        Ctx {
            doc,
            cues: Cues::builtin(),
            paras: marks::paragraphs(doc.text()),
            sent,
            child_start,
            children,
            hull,
            mentions,
            dateline: newsgraph_nlp::ner::dateline(doc),
        }
    }

    fn text(&self, i: usize) -> &'a str {
        self.doc.token(i).text()
    }

    fn range(&self, i: usize) -> TextRange {
        self.doc.token_ranges()[i]
    }

    fn upos(&self, i: usize) -> Option<Upos> {
        self.doc.token(i).upos()
    }

    fn deprel(&self, i: usize) -> Option<Deprel> {
        self.doc.token(i).deprel()
    }

    fn head(&self, i: usize) -> Option<usize> {
        self.doc.token(i).head().map(|h| h.index())
    }

    fn kids(&self, i: usize) -> &[u32] {
        &self.children[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }

    fn sentence_tokens(&self, i: usize) -> std::ops::Range<usize> {
        self.doc.sentence(self.sent[i] as usize).token_indices()
    }

    fn para_of(&self, byte: u32) -> usize {
        self.paras
            .partition_point(|p| p.end <= byte)
            .min(self.paras.len().saturating_sub(1))
    }

    /// The token covering or following byte offset `b`.
    fn token_at(&self, b: u32) -> usize {
        self.doc
            .token_ranges()
            .partition_point(|r| r.end <= b)
            .min(self.doc.len() - 1)
    }

    fn is_punct(&self, i: usize) -> bool {
        self.upos(i) == Some(Upos::Punct) || !self.text(i).chars().any(char::is_alphanumeric)
    }

    fn is_quote_mark(&self, i: usize) -> bool {
        is_quote_mark(self.text(i))
    }

    fn is_sentence_end(&self, i: usize) -> bool {
        matches!(self.text(i), "." | "!" | "?" | "…")
    }

    /// The speech cue at token `i`: a verb of the lexicon, a noun, or the first
    /// word of a multiword cue (returned with its last token).
    fn cue(&self, i: usize) -> Option<(CueKind, usize)> {
        let t = self.doc.token(i);
        let lower = t.text().to_lowercase();
        for m in &self.cues.multi {
            if m.first() == Some(&lower)
                && (1..m.len())
                    .all(|k| i + k < self.doc.len() && self.text(i + k).eq_ignore_ascii_case(&m[k]))
            {
                return Some((CueKind::Report, i + m.len() - 1));
            }
        }
        match t.upos() {
            Some(Upos::Verb) => self.cues.verb(t.lemma(), &lower).map(|k| (k, i)),
            Some(Upos::Noun) => {
                let lemma = t.lemma().map(str::to_lowercase);
                (self.cues.noun(&lower) || lemma.is_some_and(|l| self.cues.noun(&l)))
                    .then_some((CueKind::Noun, i))
            }
            // A speech verb mis-tagged as an adjective or noun ("said" is rare as
            // anything else): trust the form for the common reporting verbs.
            Some(Upos::Adj | Upos::Aux) | None => {
                matches!(lower.as_str(), "said" | "told" | "says" | "added")
                    .then_some((CueKind::Report, i))
            }
            _ => None,
        }
    }

    fn is_multi(&self, i: usize) -> bool {
        let lower = self.text(i).to_lowercase();
        self.cues.multi.iter().any(|m| m[0] == lower)
    }

    fn negated(&self, c: usize) -> bool {
        self.kids(c).iter().any(|&k| {
            let t = self.text(k as usize).to_lowercase();
            matches!(t.as_str(), "not" | "n't" | "never")
        })
    }

    // ---- speakers -------------------------------------------------------------

    /// The speaker of cue `c`: its subject from the parse, else the noun phrase
    /// next to it (within `lo..hi`).
    fn speaker_of(&self, c: usize, last: usize, lo: usize, hi: usize) -> Option<usize> {
        if self.is_multi(c) {
            // "according to X": X follows the multiword cue; "according to a
            // police statement": X is who issued the statement.
            let h = self.np_right(last + 1, hi)?;
            let document = self.cues.document(
                &self.text(h).to_lowercase(),
                self.doc.token(h).lemma().unwrap_or(""),
            );
            return Some(if document {
                self.author(h).unwrap_or(h)
            } else {
                h
            });
        }
        if self.upos(c) == Some(Upos::Noun) {
            // "in a statement from X" / "X's statement".
            for &k in self.kids(c) {
                let k = k as usize;
                if matches!(self.deprel(k), Some(Deprel::NmodPoss | Deprel::Nmod))
                    && self.nominal(k)
                {
                    return Some(k);
                }
            }
            return self.author(c);
        }
        if self.participle_after_comma(c, lo) {
            // "Tarn rejected the demand, saying ...": the participle has no
            // subject of its own; the speaker is the subject of the clause it
            // hangs on, however the parse attached it (advcl, acl, conj).
            let mut a = Some(c);
            for _ in 0..4 {
                let Some(v) = a else { break };
                if let Some(s) = self.subject(v, 0).filter(|&s| lo <= s && s < hi && s < c) {
                    return Some(s).filter(|&s| !self.in_dateline(s));
                }
                a = self.head(v);
            }
            return None;
        }
        let inverted = c == lo || self.is_punct(c - 1);
        // The object of "told" is the audience, never the speaker.
        let addressee = matches!(
            self.doc.token(c).lemma().unwrap_or(""),
            "tell" | "inform" | "assure" | "ask" | "urge"
        );
        self.subject(c, 0)
            .filter(|&s| lo <= s && s < hi)
            .or_else(|| self.np_left(c, lo))
            .or_else(|| {
                (inverted && !addressee)
                    .then(|| self.np_right(c + 1, hi))
                    .flatten()
            })
            .filter(|&s| !self.in_dateline(s))
    }

    /// Who issued the statement or document at noun `n`: its owner ("the
    /// ministry's statement", "a statement of the army"), the party it came
    /// "from" or was issued "by" ("a statement issued by his party"), else
    /// a nominal modifier naming its author ("a police statement").
    fn author(&self, n: usize) -> Option<usize> {
        let sentence = self.sentence_tokens(n);
        if let Some(o) = crate::entities::owner_of(self.doc, sentence, n) {
            return Some(o);
        }
        let by = |k: usize| {
            matches!(
                self.deprel(k),
                Some(Deprel::Nmod | Deprel::Obl | Deprel::OblAgent)
            ) && self.nominal(k)
                && self.kids(k).iter().any(|&p| {
                    self.deprel(p as usize) == Some(Deprel::Case)
                        && matches!(self.text(p as usize).to_lowercase().as_str(), "by" | "from")
                })
        };
        for &k in self.kids(n) {
            let k = k as usize;
            if by(k) {
                return Some(k);
            }
            // "a statement issued by the party".
            if matches!(self.deprel(k), Some(Deprel::Acl)) {
                if let Some(&a) = self.kids(k).iter().find(|&&a| by(a as usize)) {
                    return Some(a as usize);
                }
            }
        }
        self.kids(n).iter().map(|&k| k as usize).find(|&k| {
            k < n
                && self.deprel(k) == Some(Deprel::Compound)
                && matches!(self.upos(k), Some(Upos::Noun | Upos::Propn))
        })
    }

    /// A present participle right after a comma: "..., saying ...", "..., adding ...".
    fn participle_after_comma(&self, c: usize, lo: usize) -> bool {
        c > lo
            && self.text(c - 1) == ","
            && self.upos(c) == Some(Upos::Verb)
            && self.text(c).to_lowercase().ends_with("ing")
    }

    /// The dash that ends a dateline ("LAGOS -", "ANKARA, March 18 (Meridian) -")
    /// in the first sentence ([`newsgraph_nlp::ner::dateline`]).
    fn dateline_end(&self) -> Option<usize> {
        self.dateline.as_ref().map(|d| d.dash)
    }

    /// "MONROVIA, Oct 5 (Meridian) -": a dateline's place is never a speaker.
    fn in_dateline(&self, i: usize) -> bool {
        self.dateline.as_ref().is_some_and(|d| d.place.contains(&i))
    }

    fn nominal(&self, i: usize) -> bool {
        matches!(
            self.upos(i),
            Some(Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num)
        )
    }

    /// Subject of verb `v` from the parse; a verb in a `conj`/`advcl`/`xcomp`
    /// chain without its own subject ("rejected the demand, saying ...") takes
    /// its governor's.
    fn subject(&self, v: usize, depth: usize) -> Option<usize> {
        // Two subjects is a parse error ("FNT secretary-general Marta Giménez
        // said"): the one nearest the verb is the better bet, unless it is a
        // time ("the court on Tuesday ordered").
        let subj = self
            .kids(v)
            .iter()
            .map(|&k| k as usize)
            .filter(|&k| matches!(self.deprel(k), Some(Deprel::Nsubj | Deprel::NsubjOuter)))
            .filter(|&k| {
                let r = self.range(k);
                !self
                    .doc
                    .times
                    .iter()
                    .any(|t| t.range.start <= r.start && r.end <= t.range.end)
            })
            .min_by_key(|&k| k.abs_diff(v));
        if let Some(k) = subj {
            return self
                .unrelative(k)
                .filter(|&s| self.nominal(s) && !self.in_dateline(s));
        }
        if depth < 3
            && matches!(
                self.deprel(v),
                Some(Deprel::Conj | Deprel::Advcl | Deprel::Xcomp)
            )
        {
            return self.head(v).and_then(|h| self.subject(h, depth + 1));
        }
        None
    }

    /// "the minister, who said ...": a relative pronoun stands for the noun its clause modifies.
    fn unrelative(&self, s: usize) -> Option<usize> {
        let lower = self.text(s).to_lowercase();
        if matches!(lower.as_str(), "who" | "which" | "that") {
            let verb = self.head(s)?;
            if self.deprel(verb) == Some(Deprel::AclRelcl) {
                return self.head(verb);
            }
            return None;
        }
        Some(s)
    }

    /// The noun phrase ending just left of `c` (skipping adverbs and auxiliaries:
    /// "Kerry also said", "he has said"), not before `lo`. Returns its head.
    fn np_left(&self, c: usize, lo: usize) -> Option<usize> {
        // "Zafar Nazarov, a spokesman for the ministry, said": step over the
        // appositive between commas to the subject before it.
        if c > lo + 1 && self.text(c - 1) == "," {
            let comma = (c.saturating_sub(14).max(lo)..c - 1)
                .rev()
                .find(|&k| self.text(k) == ",")?;
            // "a lawyer for the party, Ana Ruiz, said": the name between the
            // commas is the speaker (not in a relative clause: "the agency,
            // which charged Ruiz, said").
            let plain = (comma + 1..c - 1)
                .all(|k| !matches!(self.upos(k), Some(Upos::Verb | Upos::Aux | Upos::Pron)));
            if let Some(name) = (comma + 1..c - 1).rev().filter(|_| plain).find(|&k| {
                self.upos(k) == Some(Upos::Propn)
                    && self
                        .mention_covering(k)
                        .is_some_and(|(_, e)| self.is_person(e))
            }) {
                return Some(name);
            }
            // Else the subject before the appositive: the head of "a spokesman
            // for the ministry", not the object of its preposition.
            let mut j = self.np_left(comma, lo)?;
            for _ in 0..3 {
                match self.head(j) {
                    Some(h)
                        if self.deprel(j) == Some(Deprel::Nmod)
                            && lo <= h
                            && h < j
                            && self.nominal(h) =>
                    {
                        j = h
                    }
                    _ => break,
                }
            }
            return Some(j);
        }
        let mut j = c;
        while j > lo {
            j -= 1;
            // "the Electoral Commission (EC) said": step over the parenthesis.
            if self.text(j) == ")" {
                match (lo..j).rev().take(6).find(|&k| self.text(k) == "(") {
                    Some(o) => {
                        j = o;
                        continue;
                    }
                    None => return None,
                }
            }
            match self.upos(j) {
                Some(Upos::Adv | Upos::Aux | Upos::Part)
                    if !matches!(self.text(j), "'s" | "’s") =>
                {
                    continue
                }
                Some(Upos::Noun | Upos::Propn) => {
                    return self
                        .unrelative(self.pp_head(j, lo))
                        .filter(|&s| self.nominal(s))
                }
                Some(Upos::Pron) => return self.unrelative(j).filter(|&s| self.nominal(s)),
                _ => return None,
            }
        }
        None
    }

    /// The first noun of a noun phrase whose last noun is `j`, across its
    /// prepositional modifiers, by the words alone ("officials in both
    /// capitals", "a spokesman for the ministry", "residents of the town"):
    /// the parse often hangs such a phrase before a clause-final "said" on
    /// the wrong word.
    fn pp_head(&self, j: usize, lo: usize) -> usize {
        let mut head = j;
        let mut k = j;
        while k > lo {
            k -= 1;
            match self.upos(k) {
                Some(Upos::Det | Upos::Adj | Upos::Num | Upos::Noun | Upos::Propn) => {}
                Some(Upos::Adp)
                    if k > lo
                        && matches!(self.upos(k - 1), Some(Upos::Noun | Upos::Propn))
                        && matches!(
                            self.text(k).to_ascii_lowercase().as_str(),
                            "of" | "in" | "for" | "from" | "at" | "with" | "on" | "near" | "across"
                        ) =>
                {
                    k -= 1;
                    head = k;
                }
                _ => break,
            }
        }
        head
    }

    /// The noun phrase starting at `j` ("said the minister", "according to
    /// Western diplomats"), not reaching `hi`. Returns its head: the last noun
    /// of the first run of nouns.
    fn np_right(&self, mut j: usize, hi: usize) -> Option<usize> {
        while j < hi && matches!(self.upos(j), Some(Upos::Det | Upos::Adj | Upos::Num)) {
            j += 1;
        }
        if j >= hi {
            return None;
        }
        if self.upos(j) == Some(Upos::Pron) {
            return Some(j);
        }
        let mut head = None;
        while j < hi && matches!(self.upos(j), Some(Upos::Noun | Upos::Propn)) {
            head = Some(j);
            j += 1;
            // "the Kremlin's adviser": follow a possessive.
            if j + 1 < hi && matches!(self.text(j), "'s" | "’s") {
                j += 1;
            }
        }
        head
    }

    /// The entity a speaker's head word refers to and the mention to show: the
    /// smallest entity mention covering the word, else one covering an
    /// appositive of it, else the word's noun phrase with no entity.
    fn speaker_entity(&self, h: usize, cue: Option<usize>) -> (Option<usize>, TextRange) {
        let covering = self.mention_covering(h);
        if let Some((r, e)) = covering.filter(|&(_, e)| self.is_person(e)) {
            // "Russia's ambassador in Vienna, Vadim Orlov, said": the name in
            // apposition is surer than coreference of the bare title.
            if !self.is_name(r, e) {
                if let Some((ar, ae)) = self.appositive(h).filter(|&(_, ae)| self.is_person(ae)) {
                    return (Some(ae), ar);
                }
            }
            return (Some(e), r);
        }
        // "AU Peace and Security Commissioner Tunde Adebayo told", "IAEA
        // Director General Henrik Aaltonen said": the person named in the
        // subject, nearest the cue (not a possessor: "Kerry's spokesman", nor
        // the object of a preposition: "the mother of ...").
        let (mut l, mut r) = (self.hull[h].0 as usize, self.hull[h].1 as usize);
        // Within the subject's words around the head, not across a comma.
        if let Some(k) = (l..h).rev().find(|&k| self.is_punct(k)) {
            l = k + 1;
        }
        if let Some(k) = (h..=r).find(|&k| self.is_punct(k)) {
            r = k.saturating_sub(1).max(h);
        }
        let (l, r) = (self.range(l).start, self.range(r).end);
        let near = self
            .mentions
            .iter()
            .filter(|(m, e)| l <= m.start && m.end <= r && self.is_person(*e))
            .filter(|(m, _)| {
                let first = self.token_at(m.start);
                let last = self.token_at(m.end - 1);
                let poss = last + 1 < self.doc.len()
                    && matches!(self.text(last + 1), "'s" | "’s" | "'" | "’");
                let prep = first > 0 && self.upos(first - 1) == Some(Upos::Adp);
                // "His lawyer said": the possessor is not the speaker.
                let possessive = self.deprel(last) == Some(Deprel::NmodPoss)
                    || self.doc.token(last).xpos() == Some(newsgraph_core::Xpos::PrpS);
                !poss && !prep && !possessive
            })
            .min_by_key(|(m, _)| match cue {
                Some(c) => self
                    .range(c)
                    .start
                    .abs_diff(m.start)
                    .min(self.range(c).start.abs_diff(m.end)),
                None => 0,
            })
            .copied();
        if let Some((m, e)) = near {
            return (Some(e), m);
        }
        if let Some((r, e)) = covering {
            return (Some(e), r);
        }
        if let Some((r, e)) = self.appositive(h) {
            return (Some(e), r);
        }
        (None, self.np_range(h))
    }

    /// The entity named in apposition to head word `h`, with its mention.
    fn appositive(&self, h: usize) -> Option<(TextRange, usize)> {
        for &k in self.kids(h) {
            let right_compound =
                self.deprel(k as usize) == Some(Deprel::Compound) && k as usize > h;
            if right_compound
                || matches!(self.deprel(k as usize), Some(Deprel::Appos | Deprel::Flat))
            {
                if let Some((r, e)) = self.mention_covering(k as usize) {
                    return Some((r, e));
                }
            }
        }
        // "special envoy Wanjiru Kariuki": a title before the name.
        if h + 1 < self.doc.len()
            && self.upos(h) == Some(Upos::Noun)
            && self.upos(h + 1) == Some(Upos::Propn)
        {
            if let Some((r, e)) = self.mention_covering(h + 1) {
                return Some((r, e));
            }
        }
        // "the envoy, Khalid al-Maskari, told", "the UN coordinator in Mali,
        // Awa Sidibe, said": an appositive name the parse missed, after the
        // head and its prepositional modifier.
        let sent_end = self.sentence_tokens(h).end;
        let comma = (h + 1..sent_end.min(h + 7))
            .take_while(|&k| {
                self.text(k) == ","
                    || matches!(
                        self.upos(k),
                        Some(Upos::Adp | Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn)
                    )
            })
            .find(|&k| self.text(k) == ",");
        if let Some(k) = comma.filter(|&k| k + 1 < sent_end) {
            if self.upos(k + 1) == Some(Upos::Propn) {
                if let Some((r, e)) = self.mention_covering(k + 1) {
                    if k == h + 1 || self.is_person(e) {
                        return Some((r, e));
                    }
                }
            }
        }
        None
    }

    fn is_name(&self, r: TextRange, e: usize) -> bool {
        self.doc.entities[e]
            .mentions
            .iter()
            .any(|m| m.range == r && m.kind == newsgraph_core::records::MentionKind::Name)
    }

    /// A pronoun speaker coreference left without an entity ("..., he said"
    /// where no entity has that "he"): the speaker of the nearest attributed
    /// quote before it in the same or the previous paragraph, when the
    /// pronoun fits that entity (he/she: a person; it: not a person). News
    /// writes a pronoun right after the speaker's own quote or clause.
    fn pronoun_from_previous_speaker(
        &self,
        h: usize,
        para: usize,
        spoken: &[(usize, usize)],
    ) -> Option<usize> {
        if self.upos(h) != Some(Upos::Pron) {
            return None;
        }
        let person = match self.text(h).to_lowercase().as_str() {
            "he" | "she" => true,
            "it" => false,
            _ => return None,
        };
        let &(p, e) = spoken.last()?;
        (p + 1 >= para && self.is_person(e) == person).then_some(e)
    }

    fn is_person(&self, e: usize) -> bool {
        self.doc.entities[e].entity_type == newsgraph_core::records::EntityType::Person
    }

    fn mention_covering(&self, i: usize) -> Option<(TextRange, usize)> {
        let t = self.range(i);
        self.mentions
            .iter()
            .take_while(|(r, _)| r.start <= t.start)
            .filter(|(r, _)| r.contains(t))
            .min_by_key(|(r, _)| r.len())
            .copied()
    }

    /// The noun phrase around head `h`: left over determiners, adjectives,
    /// numbers and nouns, right over proper-noun continuations.
    fn np_range(&self, h: usize) -> TextRange {
        let s = self.sentence_tokens(h);
        let mut l = h;
        if self.upos(h) != Some(Upos::Pron) {
            while l > s.start
                && (matches!(
                    self.upos(l - 1),
                    Some(Upos::Det | Upos::Adj | Upos::Num | Upos::Noun | Upos::Propn)
                ) || matches!(self.text(l - 1), "'s" | "’s"))
            {
                l -= 1;
            }
        }
        let mut r = h;
        while r + 1 < s.end
            && self.upos(h) == Some(Upos::Propn)
            && self.upos(r + 1) == Some(Upos::Propn)
        {
            r += 1;
        }
        self.range(l).cover(self.range(r))
    }

    // ---- quotes in marks ------------------------------------------------------

    /// A quote in marks: kind and attribution.
    fn marked(&self, q: &Quoted) -> Cand {
        let outer = q.outer();
        let range = q.inner();
        let open = self.token_at(q.parts[0].open.start);
        let last = q.parts[q.parts.len() - 1];
        let close_tok = last.close.map(|c| self.token_at(c.start));
        let para = self.para_of(outer.start);
        let opens_para = self.paras[para].start == outer.start;
        let direct = q.parts.len() > 1 || self.opens_clause(open);
        let kind = if direct {
            QuoteKind::Direct
        } else {
            QuoteKind::Mixed
        };
        let mut cand = Cand {
            range,
            kind,
            speaker: None,
            cue: None,
            rule: "none",
            outer,
            para,
            end_para: self.para_of(outer.end.saturating_sub(1)),
            opens_para,
        };
        let attr = if direct {
            self.in_gaps(&q.parts)
                .or_else(|| close_tok.and_then(|c| self.after(c, q.double)))
                .or_else(|| self.before(open))
                .or_else(|| self.colon_before(open))
        } else {
            self.governor(open, close_tok).or_else(|| {
                close_tok
                    .and_then(|c| self.after(c, q.double))
                    .filter(|a| a.2 == "after")
            })
        };
        if let Some((speaker, cue, rule)) = attr {
            cand.speaker = speaker.map(Speaker::Head);
            cand.cue = Some(cue);
            cand.rule = rule;
        }
        cand
    }

    /// Whether a quote opening at token `open` starts a clause of its own: at
    /// the start of its sentence, after a colon, or after a comma that follows
    /// a speech cue ("said on Friday, “...”").
    fn opens_clause(&self, open: usize) -> bool {
        let s = self.sentence_tokens(open);
        let mut j = open;
        while j > s.start && self.is_quote_mark(j - 1) {
            j -= 1;
        }
        if j == s.start
            || self.paras[self.para_of(self.range(open).start)].start == self.range(open).start
        {
            return true;
        }
        match self.text(j - 1) {
            ":" | "—" | "–" => true,
            "," => (j.saturating_sub(6).max(s.start)..j - 1).any(|k| self.cue(k).is_some()),
            _ => false,
        }
    }

    /// Attribution inside the gaps of an interrupted quote.
    fn in_gaps(&self, parts: &[Part]) -> Option<Attribution> {
        parts.windows(2).find_map(|w| {
            let c = self.token_at(w[0].close?.end);
            let o = self.token_at(w[1].open.start);
            self.find_cue(c, o)
        })
    }

    /// The first cue in `lo..hi` with its speaker.
    fn find_cue(&self, lo: usize, hi: usize) -> Option<Attribution> {
        let mut i = lo;
        while i < hi {
            if let Some((kind, last)) = self.cue(i) {
                if kind != CueKind::Frame && last < hi {
                    let speaker = self.speaker_of(i, last, lo, hi);
                    let cue = self.range(i).cover(self.range(last));
                    return Some((speaker, cue, "gap"));
                }
            }
            i += 1;
        }
        None
    }

    /// Attribution right after the closing mark (token `c`): `”, he said`,
    /// `” said Ushakov`, `”, the ministry said in a statement`. The window
    /// stops at the sentence's end, another quotation mark or a paragraph break.
    fn after(&self, c: usize, _double: bool) -> Option<Attribution> {
        let n = self.doc.len();
        let para = self.para_of(self.range(c).start);
        let lo = c + 1;
        let mut hi = lo;
        while hi < n && hi - lo < MAX_ATTRIBUTION {
            if self.is_quote_mark(hi) || self.para_of(self.range(hi).start) != para {
                break;
            }
            if self.is_sentence_end(hi) || self.text(hi) == ";" {
                break;
            }
            hi += 1;
        }
        // A quote that ends its sentence with a full stop ('.”') is not followed
        // by its attribution: that takes a comma, '?' or '!'.
        let mut k = c;
        while k > 0 && self.is_quote_mark(k) {
            k -= 1;
        }
        if self.text(k) == "." {
            return None;
        }
        // Only the cue's subject stands between the quote and the cue:
        // "”, he said", "” said Ushakov", "”, Saudi spokesman Faisal al-Otaibi said".
        let mut i = lo;
        while i < hi {
            if let Some((kind, last)) = self.cue(i) {
                if matches!(kind, CueKind::Report | CueKind::Quote)
                    || (kind == CueKind::Noun && i == lo)
                {
                    let speaker = self.speaker_of(i, last, lo, hi);
                    // The cue's subject must be outside the quote, not the quote's words.
                    let cue = self.range(i).cover(self.range(last));
                    return Some((speaker, cue, "after"));
                }
                return None;
            }
            // Only a subject may stand between the quote and the cue.
            if !(self.upos(i).is_none()
                || self.is_punct(i)
                || self.nominal(i)
                || matches!(
                    self.upos(i),
                    Some(
                        Upos::Det
                            | Upos::Adj
                            | Upos::Adv
                            | Upos::Aux
                            | Upos::Part
                            | Upos::Adp
                            | Upos::Cconj
                    )
                ))
            {
                return None;
            }
            i += 1;
        }
        None
    }

    /// Attribution before the opening mark (token `open`) in the same sentence:
    /// `Kerry said: “...”`, `He told reporters, “...”`.
    fn before(&self, open: usize) -> Option<Attribution> {
        let s = self.sentence_tokens(open);
        let lo = s.start;
        let mut i = open;
        while i > lo {
            i -= 1;
            if self.is_quote_mark(i) {
                return None;
            }
            if let Some((kind, last)) = self.cue(i) {
                if kind == CueKind::Frame || last >= open {
                    continue;
                }
                let speaker = self.speaker_of(i, last, lo, open);
                return Some((speaker, self.range(i).cover(self.range(last)), "before"));
            }
        }
        None
    }

    /// A quote opening its sentence after a sentence (in the same or the
    /// previous paragraph) that ends with a colon and holds a cue:
    /// `Kerry told reporters:\n\n“...”`.
    fn colon_before(&self, open: usize) -> Option<Attribution> {
        let s = self.sentence_tokens(open);
        if s.start == 0 {
            return None;
        }
        let mut j = s.start;
        while j > 0 && self.is_quote_mark(j - 1) {
            j -= 1;
        }
        let prev_end = if s.start < open { j.min(open) } else { s.start };
        let end = prev_end.checked_sub(1)?;
        if self.text(end) != ":" {
            return None;
        }
        let ps = self.sentence_tokens(end);
        let lo = ps.start;
        let mut i = end;
        while i > lo {
            i -= 1;
            if let Some((kind, last)) = self.cue(i) {
                if kind == CueKind::Frame {
                    continue;
                }
                let speaker = self.speaker_of(i, last, lo, end);
                return Some((speaker, self.range(i).cover(self.range(last)), "colon"));
            }
        }
        None
    }

    /// A quoted fragment governed by a speech or framing verb: `He accused the
    /// guards of “reckless provocations”`, `what they called “security issues”`.
    fn governor(&self, open: usize, close: Option<usize>) -> Option<Attribution> {
        let s = self.sentence_tokens(open);
        let first = (open + 1..close.unwrap_or(s.end).min(s.end)).find(|&i| !self.is_punct(i))?;
        // The fragment's own highest word, then its governors.
        let mut h = Some(first);
        let mut steps = 0;
        let inside = |i: usize| i > open && close.is_none_or(|c| i < c);
        while let Some(i) = h {
            if !inside(i) {
                if let Some((kind, last)) = self.cue(i) {
                    if kind != CueKind::Noun && !self.is_multi(i) {
                        let speaker = self.speaker_of(i, last, s.start, s.end);
                        return Some((speaker, self.range(i).cover(self.range(last)), "governor"));
                    }
                }
            }
            h = self.head(i);
            steps += 1;
            if steps > 12 {
                break;
            }
        }
        None
    }

    // ---- reported speech ------------------------------------------------------

    /// Reported clauses of every sentence.
    fn reported_speech(&self, marked: &[Cand]) -> Vec<Cand> {
        let in_direct = |r: TextRange| {
            marked
                .iter()
                .any(|q| q.outer.start <= r.start && r.end <= q.outer.end)
        };
        let mut out = Vec::new();
        for s in self.doc.sentences() {
            let toks = s.token_indices();
            let mut i = toks.start;
            while i < toks.end {
                let Some((kind, last)) = self.cue(i) else {
                    i += 1;
                    continue;
                };
                let here = i;
                i = last + 1;
                if kind != CueKind::Report || in_direct(self.range(here)) || self.negated(here) {
                    continue;
                }
                let speaker = self.speaker_of(here, last, toks.start, toks.end);
                let found = if self.is_multi(here) {
                    self.according_to(here, last, toks.clone())
                } else {
                    self.clause_of(here, speaker, toks.clone())
                };
                let Some((l, r, rule)) = found else { continue };
                // A clause never holds its own cue and speaker ("..., witnesses said").
                let (l, r) = if l <= here && here <= r {
                    let (cl, cr) = (self.hull[here].0 as usize, self.hull[here].1 as usize);
                    let cl = cl.min(speaker.unwrap_or(cl));
                    if cl > l {
                        (l, cl - 1)
                    } else if cr < r {
                        (cr + 1, r)
                    } else {
                        continue;
                    }
                } else {
                    (l, r)
                };
                // "ANKARA, March 18 (Meridian) - ...": the dateline is not reported speech.
                let l = match self.dateline_end() {
                    Some(d) if l <= d && d < r => d + 1,
                    _ => l,
                };
                let Some((l, r)) = self.trim(l, r) else {
                    continue;
                };
                let lower = self.text(l).to_lowercase();
                if matches!(
                    lower.as_str(),
                    "whether" | "if" | "how" | "what" | "why" | "when" | "who" | "where"
                ) {
                    continue;
                }
                if r + 1 - l < 3
                    || !(l..=r).any(|k| matches!(self.upos(k), Some(Upos::Verb | Upos::Aux)))
                {
                    continue;
                }
                let speaker = speaker.filter(|&sp| !(l..=r).contains(&sp));
                let range = self.range(l).cover(self.range(r));
                let para = self.para_of(range.start);
                out.push(Cand {
                    range,
                    kind: QuoteKind::Indirect,
                    speaker: speaker.map(Speaker::Head),
                    cue: Some(self.range(here).cover(self.range(last))),
                    rule,
                    outer: range,
                    para,
                    end_para: para,
                    opens_para: false,
                });
            }
        }
        out
    }

    /// The clause speech verb `c` (whose speaker is `speaker`) reports, as
    /// token bounds.
    fn clause_of(
        &self,
        c: usize,
        speaker: Option<usize>,
        s: std::ops::Range<usize>,
    ) -> Option<(usize, usize, &'static str)> {
        // "X said (that) CLAUSE" / "CLAUSE, X said" with a ccomp. Two ccomps is
        // a parse error that hangs the previous conjunct on the verb too ("The
        // bank pledged loans, and the fund said it was ready"): the clause after
        // the verb is the one it reports.
        let ccomp = self
            .kids(c)
            .iter()
            .map(|&k| k as usize)
            .filter(|&k| self.deprel(k) == Some(Deprel::Ccomp))
            .min_by_key(|&k| (k < c, k));
        if let Some(k) = ccomp {
            let (l, r) = self.hull[k];
            let (l, r) = (l as usize, r as usize);
            if k < c {
                return Some((l, self.to_speakers_comma(speaker, r), "ccomp"));
            }
            // The right clause's hull must not swallow the cue's own subject.
            return Some((l.max(c + 1), r, "ccomp"));
        }
        // "..., saying CLAUSE" / "..., adding CLAUSE": a participle after a comma
        // reports what follows it even when the parse found no clause.
        if self.participle_after_comma(c, s.start) {
            let l = c + 1;
            let r = s.end - 1;
            if l < r && (l..=r).any(|k| matches!(self.upos(k), Some(Upos::Verb | Upos::Aux))) {
                return Some((l, r, "participle"));
            }
        }
        // "CLAUSE, X said": the speech verb hangs off the clause as parataxis.
        if self.deprel(c) == Some(Deprel::Parataxis) {
            let h = self.head(c)?;
            let (hl, hr) = (self.hull[h].0 as usize, self.hull[h].1 as usize);
            let (cl, cr) = (self.hull[c].0 as usize, self.hull[c].1 as usize);
            if cl > hl {
                let r = if cr >= hr { cl - 1 } else { hr };
                return Some((hl, r, "parataxis"));
            }
            if cr < hr {
                return Some((cr + 1, hr, "parataxis"));
            }
            return None;
        }
        // Surface fallbacks. "said (on Tuesday) that CLAUSE".
        if let Some(t) =
            (c + 1..s.end.min(c + 8)).find(|&k| self.text(k).eq_ignore_ascii_case("that"))
        {
            if (c + 1..t).all(|k| !self.is_punct(k) && self.cue(k).is_none()) {
                return Some((t + 1, s.end - 1, "that"));
            }
        }
        // "CLAUSE, X said (on Tuesday)." with the speech verb near the sentence's end.
        let mut j = c;
        while j > s.start && !self.is_punct(j - 1) {
            j -= 1;
        }
        // Not "..., a charge the delegation denied" (a relative clause).
        let simple_np = (j..c).filter(|&k| self.upos(k) == Some(Upos::Det)).count() <= 1;
        let relative = matches!(self.deprel(c), Some(Deprel::AclRelcl | Deprel::Acl));
        // Not "Kaya, who was arrested in May, has denied it": no speaker
        // between the comma and the verb.
        let speaker_between = (j..c).any(|k| self.nominal(k));
        if j > s.start + 2
            && self.text(j - 1) == ","
            && c - j <= 6
            && simple_np
            && !relative
            && speaker_between
        {
            let tail_ok = (c + 1..s.end)
                .all(|k| !matches!(self.upos(k), Some(Upos::Verb)) || self.is_punct(k));
            if tail_ok {
                return Some((s.start, j - 2, "comma_said"));
            }
        }
        None
    }

    /// "CLAUSE after three days of clashes, officials said": a clause
    /// before its cue runs on to the comma before the speaker, over words
    /// the parse hung on the cue (`r` is where the clause's subtree ends,
    /// `speaker` the cue's speaker).
    fn to_speakers_comma(&self, speaker: Option<usize>, r: usize) -> usize {
        let Some(sp) = speaker else {
            return r;
        };
        // The speaker's phrase, without a comma the parse hung on it.
        let start = (self.hull[sp].0 as usize..sp)
            .find(|&k| !self.is_punct(k))
            .unwrap_or(sp);
        let plain = |k: usize| !self.is_quote_mark(k) && self.cue(k).is_none();
        if start > r + 2 && self.text(start - 1) == "," && (r + 1..start - 1).all(plain) {
            start - 2
        } else {
            r
        }
    }

    /// "according to X, CLAUSE" / "CLAUSE, according to X".
    fn according_to(
        &self,
        a: usize,
        last: usize,
        s: std::ops::Range<usize>,
    ) -> Option<(usize, usize, &'static str)> {
        let starts = (s.start..a).all(|k| self.is_punct(k));
        if starts {
            let comma = (last + 1..s.end).find(|&k| self.text(k) == ",")?;
            Some((comma + 1, s.end - 1, "according_to"))
        } else {
            let mut j = a;
            while j > s.start && self.is_punct(j - 1) {
                j -= 1;
            }
            (j > s.start).then(|| (s.start, j - 1, "according_to"))
        }
    }

    /// Trim a clause's token bounds: leading "that", punctuation and
    /// conjunctions; trailing punctuation (a closing quotation mark stays when
    /// its opening mark is inside).
    fn trim(&self, mut l: usize, mut r: usize) -> Option<(usize, usize)> {
        // A leading quotation mark stays only when its closing mark is inside.
        while l <= r
            && (self.is_punct(l)
                && (!self.is_quote_mark(l) || !(l + 1..=r).any(|k| self.is_quote_mark(k)))
                || self.text(l).eq_ignore_ascii_case("that") && self.upos(l) == Some(Upos::Sconj)
                || matches!(self.upos(l), Some(Upos::Cconj)))
        {
            l += 1;
        }
        while r > l && self.is_punct(r) {
            if self.is_quote_mark(r) && (l..r).any(|k| self.is_quote_mark(k)) {
                break;
            }
            r -= 1;
        }
        (l < r).then_some((l, r))
    }

    /// A quote paragraph with no cue continues the nearest preceding speaker:
    /// the last attributed quote in the same or the previous paragraph.
    fn continue_runs(&self, all: &mut [Cand]) {
        for i in 0..all.len() {
            if all[i].speaker.is_some() || all[i].kind != QuoteKind::Direct || all[i].cue.is_some()
            {
                continue;
            }
            let para = all[i].para;
            if !all[i].opens_para && !all[..i].iter().any(|p| p.para == para) {
                continue;
            }
            let prev = all[..i]
                .iter()
                .rev()
                .take_while(|p| p.end_para + 1 >= para)
                .find(|p| p.speaker.is_some());
            let Some(p) = prev else { continue };
            let resolved = match p.speaker {
                Some(Speaker::Head(h)) => {
                    let (e, m) = self.speaker_entity(h, p.cue.map(|r| self.token_at(r.start)));
                    Speaker::Resolved(e, m)
                }
                Some(s) => s,
                None => continue,
            };
            all[i].speaker = Some(resolved);
            all[i].rule = "run";
        }
    }
}

/// (speaker head word, cue range, rule)
type Attribution = (Option<usize>, TextRange, &'static str);

/// Join a quote interrupted by its attribution with its continuation:
/// `“We have seen,” he said, “what happens.”` and `“It took patience,” the
/// envoy told reporters. “The next step is bigger.”` are one quote each. The
/// gap must be short, in one paragraph, hold a speech cue and no other
/// quotation, and the second part must not carry a cue of its own.
fn join_interrupted(cx: &Ctx<'_>, quoted: Vec<Quoted>) -> Vec<Quoted> {
    let mut out: Vec<Quoted> = Vec::with_capacity(quoted.len());
    for q in quoted {
        if let Some(prev) = out.last_mut() {
            if joinable(cx, prev, &q) {
                prev.parts.extend(q.parts);
                continue;
            }
        }
        out.push(q);
    }
    out
}

fn joinable(cx: &Ctx<'_>, a: &Quoted, b: &Quoted) -> bool {
    let Some(close) = a.parts[a.parts.len() - 1].close else {
        return false;
    };
    if a.double != b.double {
        return false;
    }
    let open = b.parts[0].open;
    if cx.para_of(close.start) != cx.para_of(open.start) {
        return false;
    }
    let c = cx.token_at(close.start);
    let o = cx.token_at(open.start);
    if o <= c + 1 || o - c - 1 > MAX_ATTRIBUTION {
        return false;
    }
    // The first part opens a clause (a full quote, not a fragment), and so does the second.
    let a_open = cx.token_at(a.parts[0].open.start);
    if !(a.parts.len() > 1 || cx.opens_clause(a_open)) {
        return false;
    }
    let gap_end = cx.text(o - 1);
    if !matches!(gap_end, "," | "." | ":") {
        return false;
    }
    if cx.find_cue(c + 1, o).is_none() {
        return false;
    }
    // The second part has its own attribution: two speakers, two quotes.
    let b_close = b.parts[b.parts.len() - 1]
        .close
        .map(|cl| cx.token_at(cl.start));
    if b_close.and_then(|bc| cx.after(bc, b.double)).is_some() {
        return false;
    }
    true
}

/// Whether a token's text is a quotation mark (straight, curly, guillemet,
/// low-9 or PTB-style).
pub(crate) fn is_quote_mark(t: &str) -> bool {
    matches!(
        t,
        "\"" | "“" | "”" | "‘" | "’" | "'" | "«" | "»" | "„" | "``" | "''"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_core::DocMeta;

    /// Whitespace-and-punctuation tokens, one sentence, no tags: the extractor
    /// must still work (with fewer cues) and never panic.
    fn bare_doc(text: &str) -> Doc {
        let mut doc = Doc::new(text, DocMeta::default());
        let toks = crate::time::simple_tokens(text);
        let n = toks.len() as u32;
        doc.set_tokens(toks).unwrap();
        if n > 0 {
            doc.set_sentences(std::slice::from_ref(&(0..n))).unwrap();
        }
        doc
    }

    #[test]
    fn garbage_never_panics_and_spans_stay_inside_the_text() {
        for text in [
            "",
            "\"",
            "” said",
            "“ ” “",
            "said said said",
            "“Unclosed at the end, he said",
            "'''' ‘’ ’‘ “”””",
            "He said: “\n\n”",
            "according to",
            "“a” “b” “c”, he said, “d”",
        ] {
            let doc = bare_doc(text);
            for f in extract(&doc) {
                assert!(f.quote.range.end as usize <= text.len(), "{text:?}");
                assert!(!f.quote.range.is_empty(), "{text:?}");
            }
        }
    }

    #[test]
    fn untagged_text_still_finds_said() {
        let text = "“We will stay,” Dale said.";
        let doc = bare_doc(text);
        let found = extract(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(doc.slice(found[0].quote.range), "We will stay,");
        assert_eq!(found[0].quote.kind, QuoteKind::Direct);
        assert_eq!(found[0].quote.cue.map(|c| doc.slice(c)), Some("said"));
    }
}

/// The attribution rules on hand-built parses (no model needed).
#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::events::testing::{add_entity, parsed};
    use newsgraph_core::records::{EntityType, MentionKind};

    /// A one-sentence doc from space-separated words and one `(upos, head,
    /// deprel)` per word (heads 1-based, 0 = root); lemma = lowercase word.
    fn doc(text: &str, spec: &[(&str, u32, &str)]) -> Doc {
        let words: Vec<String> = text.split(' ').map(str::to_lowercase).collect();
        let xpos = |upos: &str, w: &str| match upos {
            "NOUN" => "NN",
            "PROPN" => "NNP",
            "VERB" if w.ends_with("ing") => "VBG",
            "VERB" => "VBD",
            "AUX" => "MD",
            "PRON" => "PRP",
            "DET" => "DT",
            "ADP" | "SCONJ" => "IN",
            "ADJ" => "JJ",
            "CCONJ" => "CC",
            "PART" => "TO",
            "ADV" => "RB",
            "NUM" => "CD",
            _ => ",",
        };
        let rows: Vec<(&str, &str, &str, u32, &str)> = spec
            .iter()
            .zip(&words)
            .map(|(&(u, h, d), w)| (w.as_str(), u, xpos(u, w), h, d))
            .collect();
        parsed(text, &rows, None)
    }

    /// (quote text, speaker entity name or "-", rule)
    fn found(doc: &Doc) -> Vec<(String, String, &'static str)> {
        extract(doc)
            .into_iter()
            .map(|f| {
                (
                    doc.slice(f.quote.range).to_string(),
                    f.quote
                        .speaker
                        .map_or("-".to_string(), |e| doc.entities[e].name.clone()),
                    f.rule,
                )
            })
            .collect()
    }

    #[test]
    fn two_ccomps_report_the_clause_after_the_verb() {
        let mut d = doc(
            "The bank pledged loans , and the fund said it was ready .",
            &[
                ("DET", 2, "det"),
                ("PROPN", 3, "nsubj"),
                ("VERB", 9, "ccomp"),
                ("NOUN", 3, "obj"),
                ("PUNCT", 9, "punct"),
                ("CCONJ", 9, "cc"),
                ("DET", 8, "det"),
                ("NOUN", 9, "nsubj"),
                ("VERB", 0, "root"),
                ("PRON", 12, "nsubj"),
                ("AUX", 12, "cop"),
                ("ADJ", 9, "ccomp"),
                ("PUNCT", 9, "punct"),
            ],
        );
        add_entity(&mut d, "the fund", EntityType::Org, None, &["the fund"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "it was ready");
        assert_eq!(f[0].1, "the fund");
    }

    #[test]
    fn participle_after_a_comma_reports_what_follows_and_takes_the_main_subject() {
        let mut d = doc(
            "Dale rejected the demand , saying troops were at home .",
            &[
                ("PROPN", 2, "nsubj"),
                ("VERB", 0, "root"),
                ("DET", 4, "det"),
                ("NOUN", 2, "obj"),
                ("PUNCT", 6, "punct"),
                ("VERB", 4, "acl"),
                ("NOUN", 6, "obj"),
                ("AUX", 10, "cop"),
                ("ADP", 10, "case"),
                ("NOUN", 6, "obl"),
                ("PUNCT", 2, "punct"),
            ],
        );
        add_entity(&mut d, "Dale", EntityType::Person, None, &["Dale"]);
        add_entity(&mut d, "troops", EntityType::Person, None, &["troops"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "troops were at home");
        assert_eq!(f[0].1, "Dale");
        assert_eq!(f[0].2, "participle");
    }

    #[test]
    fn a_fragment_running_past_the_clause_joins_it_as_one_mixed_quote() {
        let mut d = doc(
            "It said drones hit a camp and accused them of “ wrecking peace . ”",
            &[
                ("PRON", 2, "nsubj"),
                ("VERB", 0, "root"),
                ("NOUN", 4, "nsubj"),
                ("VERB", 2, "ccomp"),
                ("DET", 6, "det"),
                ("NOUN", 4, "obj"),
                ("CCONJ", 8, "cc"),
                ("VERB", 4, "conj"),
                ("PRON", 8, "obj"),
                ("SCONJ", 12, "mark"),
                ("PUNCT", 12, "punct"),
                ("VERB", 8, "advcl"),
                ("NOUN", 12, "obj"),
                ("PUNCT", 2, "punct"),
                ("PUNCT", 2, "punct"),
            ],
        );
        add_entity(&mut d, "the army", EntityType::Org, None, &["It"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].0.starts_with("drones hit a camp"), "{f:?}");
        assert!(f[0].0.contains("wrecking peace"), "{f:?}");
        assert_eq!(f[0].1, "the army");
        assert_eq!(extract(&d)[0].quote.kind, QuoteKind::Mixed);
    }

    #[test]
    fn a_name_in_apposition_beats_coreference_of_the_bare_title() {
        let mut d = doc(
            "The envoy in Oslo , Ivo Rask , said talks would resume .",
            &[
                ("DET", 2, "det"),
                ("NOUN", 9, "nsubj"),
                ("ADP", 4, "case"),
                ("PROPN", 2, "nmod"),
                ("PUNCT", 6, "punct"),
                ("PROPN", 4, "conj"),
                ("PROPN", 6, "flat"),
                ("PUNCT", 2, "punct"),
                ("VERB", 0, "root"),
                ("NOUN", 12, "nsubj"),
                ("AUX", 12, "aux"),
                ("VERB", 9, "ccomp"),
                ("PUNCT", 9, "punct"),
            ],
        );
        // Coreference put the title with someone else.
        add_entity(&mut d, "Mara Lund", EntityType::Person, None, &["envoy"]);
        d.entities[0].mentions[0].kind = MentionKind::Nominal;
        add_entity(&mut d, "Ivo Rask", EntityType::Person, None, &["Ivo Rask"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].1, "Ivo Rask");
    }

    /// "CLAUSE after days of clashes , officials in both capitals said":
    /// parsed with "officials" as a conjunct of "clashes" and the time
    /// phrase on "said", the clause still runs to the comma and the speaker
    /// is the phrase's first noun, not "capitals".
    #[test]
    fn a_clause_final_speaker_phrase_is_read_by_its_words() {
        let mut d = doc(
            "Kestria agreed to talks after days of clashes , officials in both capitals said .",
            &[
                ("PROPN", 2, "nsubj"),
                ("VERB", 14, "ccomp"),
                ("ADP", 4, "case"),
                ("NOUN", 2, "obl"),
                ("ADP", 6, "case"),
                ("NOUN", 14, "obl"),
                ("ADP", 8, "case"),
                ("NOUN", 6, "nmod"),
                ("PUNCT", 10, "punct"),
                ("NOUN", 8, "conj"),
                ("ADP", 13, "case"),
                ("DET", 13, "det"),
                ("NOUN", 8, "nmod"),
                ("VERB", 0, "root"),
                ("PUNCT", 14, "punct"),
            ],
        );
        add_entity(
            &mut d,
            "officials",
            EntityType::Person,
            None,
            &["officials"],
        );
        add_entity(&mut d, "capitals", EntityType::Gpe, None, &["capitals"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "Kestria agreed to talks after days of clashes");
        assert_eq!(f[0].1, "officials");
    }

    #[test]
    fn the_name_between_commas_is_the_speaker_of_a_subjectless_verb() {
        let mut d = doc(
            "A lawyer for the party , Ana Ruiz , said it would appeal .",
            &[
                ("DET", 2, "det"),
                ("NOUN", 10, "conj"),
                ("ADP", 5, "case"),
                ("DET", 5, "det"),
                ("NOUN", 2, "nmod"),
                ("PUNCT", 7, "punct"),
                ("PROPN", 2, "appos"),
                ("PROPN", 7, "flat"),
                ("PUNCT", 2, "punct"),
                ("VERB", 0, "root"),
                ("PRON", 13, "nsubj"),
                ("AUX", 13, "aux"),
                ("VERB", 10, "ccomp"),
                ("PUNCT", 10, "punct"),
            ],
        );
        add_entity(&mut d, "the party", EntityType::Org, None, &["the party"]);
        add_entity(&mut d, "Ana Ruiz", EntityType::Person, None, &["Ana Ruiz"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].1, "Ana Ruiz");
    }

    #[test]
    fn a_relative_clause_and_a_parenthesis_are_stepped_over_to_the_subject() {
        let mut d = doc(
            "The Audit Board ( TAB ) , which charged Ruiz , said it would appeal .",
            &[
                ("DET", 3, "det"),
                ("PROPN", 3, "compound"),
                ("PROPN", 0, "root"),
                ("PUNCT", 5, "punct"),
                ("PROPN", 3, "appos"),
                ("PUNCT", 5, "punct"),
                ("PUNCT", 9, "punct"),
                ("PRON", 9, "nsubj"),
                ("VERB", 3, "acl:relcl"),
                ("PROPN", 9, "obj"),
                ("PUNCT", 12, "punct"),
                ("VERB", 9, "parataxis"),
                ("PRON", 15, "nsubj"),
                ("AUX", 15, "aux"),
                ("VERB", 12, "ccomp"),
                ("PUNCT", 3, "punct"),
            ],
        );
        add_entity(
            &mut d,
            "Audit Board",
            EntityType::Org,
            None,
            &["The Audit Board"],
        );
        add_entity(&mut d, "Ruiz", EntityType::Person, None, &["Ruiz"]);
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "it would appeal");
        assert_eq!(f[0].1, "Audit Board");
    }

    #[test]
    fn an_unresolved_pronoun_after_a_speakers_clause_is_that_speaker() {
        let mut d = doc(
            "Ruiz warned that ports would close . “ We are ready , ” he said .",
            &[
                ("PROPN", 2, "nsubj"),
                ("VERB", 0, "root"),
                ("SCONJ", 6, "mark"),
                ("NOUN", 6, "nsubj"),
                ("AUX", 6, "aux"),
                ("VERB", 2, "ccomp"),
                ("PUNCT", 2, "punct"),
                ("PUNCT", 11, "punct"),
                ("PRON", 11, "nsubj"),
                ("AUX", 11, "cop"),
                ("ADJ", 15, "ccomp"),
                ("PUNCT", 11, "punct"),
                ("PUNCT", 11, "punct"),
                ("PRON", 15, "nsubj"),
                ("VERB", 2, "parataxis"),
                ("PUNCT", 15, "punct"),
            ],
        );
        add_entity(&mut d, "Ana Ruiz", EntityType::Person, None, &["Ruiz"]);
        let f = found(&d);
        let q = f
            .iter()
            .find(|q| q.0.contains("We are ready"))
            .expect("found");
        assert_eq!(q.1, "Ana Ruiz", "{f:?}");
        // "he" never takes an organisation's identity.
        let mut d2 = d.clone();
        d2.entities[0].entity_type = EntityType::Org;
        let f2 = found(&d2);
        let q2 = f2
            .iter()
            .find(|q| q.0.contains("We are ready"))
            .expect("found");
        assert_eq!(q2.1, "-", "{f2:?}");
    }

    #[test]
    fn a_court_ruling_is_reported_speech() {
        let mut d = doc(
            "The judge ruled that the evidence was weak .",
            &[
                ("DET", 2, "det"),
                ("NOUN", 3, "nsubj"),
                ("VERB", 0, "root"),
                ("SCONJ", 8, "mark"),
                ("DET", 6, "det"),
                ("NOUN", 8, "nsubj"),
                ("AUX", 8, "cop"),
                ("ADJ", 3, "ccomp"),
                ("PUNCT", 3, "punct"),
            ],
        );
        add_entity(
            &mut d,
            "the judge",
            EntityType::Person,
            None,
            &["The judge"],
        );
        let f = found(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "the evidence was weak");
        assert_eq!(f[0].1, "the judge");
    }
}
