//! Third-person pronoun resolution: the most salient compatible antecedent, subjects of the previous clause first.
//!
//! Constraints and preferences, in order:
//! - An object pronoun ("protesters attacked them", "police urged them to
//!   leave", "killing 15 of them") never refers to the subject of its own
//!   clause (nor, for a participle or infinitive without a subject, to the
//!   subject of the clause it hangs on): that would be "themselves".
//! - He/she take people, and names the recogniser typed otherwise that
//!   hold a first name ("Klára Horáková" read as an organisation).
//! - In the same sentence a subject before the pronoun comes first, else the
//!   nearest compatible mention (possessives and objects), while a subject
//!   pronoun prefers the previous sentence.
//! - In a previous sentence, a pronoun that is itself the subject of a speech
//!   verb ("It said ...", "He said ...") continues the previous speaker: the
//!   subject of that sentence's speech verb comes first. Otherwise subjects
//!   outside quotation marks come before subjects inside a quote ("“We will
//!   prove it,” said the lawyer. He ..." is the lawyer, not "we").

use super::*;
use crate::quotes::{marks, Cues};

impl<'a> Resolver<'a> {
    pub(super) fn is_subject(&self, i: usize) -> bool {
        let mut h = i;
        if self.deprel(h) == Some(Deprel::Conj) {
            if let Some(x) = self.head(h) {
                h = x;
            }
        }
        matches!(self.deprel(h), Some(Deprel::Nsubj | Deprel::NsubjPass))
    }
    pub(super) fn pronoun_compatible(&self, p: &Cand, k: usize) -> bool {
        let cl = &self.clusters[k];
        let w = self.lower[p.tokens.start].as_str();
        let etype = cl.etype.unwrap_or(EntityType::Person);
        match w {
            "he" | "him" | "his" | "himself" | "she" | "her" | "hers" | "herself" => {
                (etype == EntityType::Person || self.person_named(k))
                    && cl.number != Some(Number::Plural)
                    && cl.gender.is_none_or(|g| Some(g) == p.pronoun_gender)
                    && cl.members.iter().any(|&m| {
                        matches!(
                            self.cands[m].kind,
                            MentionKind::Name | MentionKind::Title | MentionKind::Pronoun
                        )
                    })
            }
            "they" | "them" | "their" | "theirs" | "themselves" => {
                matches!(
                    etype,
                    EntityType::Person | EntityType::Org | EntityType::Norp
                ) && matches!(cl.number, Some(Number::Plural | Number::Either))
                    || (etype == EntityType::Org
                        && cl
                            .members
                            .iter()
                            .any(|&m| self.cands[m].kind == MentionKind::Nominal))
            }
            _ => {
                matches!(etype, EntityType::Org | EntityType::Gpe)
                    && cl.number != Some(Number::Plural)
            }
        }
    }
    /// A cluster the recogniser typed otherwise whose name is a person's: a
    /// first name before the last word ("Klára Horáková", "Justice Minister
    /// Klára Horáková" read as an organisation) — he/she may take it.
    fn person_named(&self, k: usize) -> bool {
        self.clusters[k].members.iter().any(|&m| {
            let c = &self.cands[m];
            c.kind == MentionKind::Name
                && c.tokens.len() >= 2
                && (c.tokens.start..c.tokens.end - 1).any(|i| {
                    is_capitalised(self.text(i))
                        && self
                            .r
                            .gazetteer
                            .lookup_kind(self.text(i), GazKind::FirstName)
                            .next()
                            .is_some()
                })
        })
    }
    pub(super) fn resolve_pronouns(&mut self) {
        let quoted: Vec<TextRange> = marks::find(self.doc.text())
            .iter()
            .flat_map(|q| q.parts.iter().map(|p| p.inner))
            .collect();
        for p in 0..self.cands.len() {
            if self.cands[p].kind != MentionKind::Pronoun {
                continue;
            }
            if let Some(k) = self.pronoun_antecedent(p, &quoted) {
                self.join(p, k);
            }
        }
    }
    /// Whether token `v` is a speech verb ("said", "told", "announced").
    fn is_speech_verb(&self, v: usize) -> bool {
        self.upos(v) == Some(Upos::Verb)
            && Cues::builtin()
                .verb(self.doc.token(v).lemma(), &self.lower[v])
                .is_some()
    }
    /// The subject tokens of the clause of an object pronoun at `i` ("them"
    /// in "protesters attacked them"); empty for subjects and possessives.
    fn clause_subjects(&self, i: usize) -> Vec<usize> {
        let w = self.lower[i].as_str();
        let object = match w {
            "him" | "them" | "it" => true,
            "her" => self.deprel(i) != Some(Deprel::NmodPoss),
            _ => false,
        };
        if !object || !self.parsed || self.is_subject(i) {
            return Vec::new();
        }
        // The verb the pronoun belongs to: "attacked them", "15 of them".
        let mut v = i;
        for _ in 0..3 {
            match self.head(v) {
                Some(h) => v = h,
                None => return Vec::new(),
            }
            if self.upos(v) == Some(Upos::Verb) {
                break;
            }
        }
        if self.upos(v) != Some(Upos::Verb) {
            return Vec::new();
        }
        let sentence = self.doc.sentence(self.sent_of[i]).token_indices();
        let subjects_of = |v: usize| -> Vec<usize> {
            sentence
                .clone()
                .filter(|&k| {
                    self.head(k) == Some(v)
                        && matches!(self.deprel(k), Some(Deprel::Nsubj | Deprel::NsubjPass))
                })
                .collect()
        };
        let own = subjects_of(v);
        if !own.is_empty() {
            return own;
        }
        // "accusing them", "urged them to leave": the clause it hangs on.
        match (self.deprel(v), self.head(v)) {
            (Some(Deprel::Advcl | Deprel::Xcomp | Deprel::Conj | Deprel::Acl), Some(u)) => {
                subjects_of(u)
            }
            _ => Vec::new(),
        }
    }
    pub(super) fn pronoun_antecedent(&self, p: usize, quoted: &[TextRange]) -> Option<usize> {
        let pc = &self.cands[p];
        let s = self.sent_of[pc.head];
        let excluded: Vec<usize> = self
            .clause_subjects(pc.head)
            .into_iter()
            .filter_map(|t| {
                self.cands
                    .iter()
                    .find(|c| c.tokens.contains(&t) && c.head == t)
                    .and_then(|c| c.cluster)
            })
            .collect();
        let compatible = |m: usize| -> Option<usize> {
            // A dateline ("VIENNA, June 14 -") is no antecedent.
            let t = &self.cands[m].tokens;
            if self.sent_of[t.start] == 0
                && self.lower.get(t.end).is_some_and(|w| w == ",")
                && !self.span_text(t).chars().any(char::is_lowercase)
            {
                return None;
            }
            let k = self.cands[m].cluster?;
            (!self.clusters[k].dead && !excluded.contains(&k) && self.pronoun_compatible(pc, k))
                .then_some(k)
        };
        // Same sentence, before the pronoun: a subject first, else the nearest.
        let before: Vec<usize> = (0..p)
            .rev()
            .filter(|&m| {
                self.sent_of[self.cands[m].head] == s && self.cands[m].tokens.end <= pc.tokens.start
            })
            .collect();
        let mut nearest = None;
        for &m in &before {
            if let Some(k) = compatible(m) {
                if self.is_subject(self.cands[m].head) {
                    return Some(k);
                }
                nearest.get_or_insert(k);
            }
        }
        let w = self.lower[pc.tokens.start].as_str();
        if let Some(k) = nearest {
            // A possessive or object pronoun can refer to a non-subject nearby;
            // a subject pronoun prefers the previous sentence's subject.
            if !matches!(w, "he" | "she" | "they") || !self.is_subject(pc.head) {
                return Some(k);
            }
        }
        // Previous sentences: their subject first, else their first mention.
        let speaks = self.is_subject(pc.head)
            && self.head(pc.head).is_some_and(|v| self.is_speech_verb(v))
            && !quoted.iter().any(|q| q.contains(pc.range));
        let max_back = if matches!(w, "it" | "its" | "itself") {
            1
        } else {
            3
        };
        for back in 1..=max_back {
            if back > s {
                break;
            }
            let ps = s - back;
            let in_sentence: Vec<usize> = (0..p)
                .filter(|&m| self.sent_of[self.cands[m].head] == ps)
                .collect();
            let subjects: Vec<usize> = in_sentence
                .iter()
                .copied()
                .filter(|&m| self.is_subject(self.cands[m].head))
                .collect();
            if speaks {
                if let Some(k) = subjects
                    .iter()
                    .filter(|&&m| {
                        self.head(self.cands[m].head)
                            .is_some_and(|v| self.is_speech_verb(v))
                    })
                    .find_map(|&m| compatible(m))
                {
                    return Some(k);
                }
            }
            let in_quote = |m: usize| {
                let r = self.cands[m].range;
                quoted.iter().any(|q| q.contains(r))
            };
            let outside: Vec<usize> = subjects.iter().copied().filter(|&m| !in_quote(m)).collect();
            if let Some(k) = outside
                .first()
                .and_then(|&m| compatible(m))
                .or_else(|| outside.iter().find_map(|&m| compatible(m)))
                .or_else(|| subjects.iter().find_map(|&m| compatible(m)))
            {
                return Some(k);
            }
            if let Some(k) = in_sentence.iter().find_map(|&m| compatible(m)) {
                return Some(k);
            }
        }
        nearest
    }
}
