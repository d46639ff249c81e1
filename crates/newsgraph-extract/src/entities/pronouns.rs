//! Third-person pronoun resolution: the most salient compatible antecedent, subjects of the previous clause first.

use super::*;

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
                etype == EntityType::Person
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
    pub(super) fn resolve_pronouns(&mut self) {
        for p in 0..self.cands.len() {
            if self.cands[p].kind != MentionKind::Pronoun {
                continue;
            }
            if let Some(k) = self.pronoun_antecedent(p) {
                self.join(p, k);
            }
        }
    }
    pub(super) fn pronoun_antecedent(&self, p: usize) -> Option<usize> {
        let pc = &self.cands[p];
        let s = self.sent_of[pc.head];
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
            (!self.clusters[k].dead && self.pronoun_compatible(pc, k)).then_some(k)
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
            if let Some(k) = in_sentence
                .iter()
                .find(|&&m| self.is_subject(self.cands[m].head))
                .and_then(|&m| compatible(m))
            {
                return Some(k);
            }
            if let Some(k) = in_sentence
                .iter()
                .filter(|&&m| self.is_subject(self.cands[m].head))
                .find_map(|&m| compatible(m))
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
