//! Third-person pronoun resolution: the most salient compatible antecedent, subjects of the previous clause first.
//!
//! Constraints and preferences, in order:
//! - An object pronoun ("protesters attacked them", "police urged them to
//!   leave", "killing 15 of them") never refers to the subject of its own
//!   clause (nor, for a participle or infinitive without a subject, to the
//!   subject of the clause it hangs on): that would be "themselves".
//! - He/she take people, and names the recogniser typed otherwise that
//!   hold a first name ("Klára Horáková" read as an organisation) or a
//!   person's title by apposition; it/its never take those.
//! - They/them take a plural; when the best antecedent is none (a singular
//!   body, "the ministry"), a plural group of people or organisations nearby
//!   that the mention stage left out ("urged about 1,800 French citizens
//!   ... to stay indoors") becomes a mention, if the rules then pick it.
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
                (etype == EntityType::Person || self.person_named(k) || self.person_named_as_org(k))
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
            // "It"/"its" is no person, not even one the recogniser typed an
            // organisation ("Santo Kuol, a spokesman for ...": no "its"). A
            // state named by a plural ("the United States", "the
            // Philippines") is one.
            _ => {
                matches!(etype, EntityType::Org | EntityType::Gpe)
                    && (cl.number != Some(Number::Plural) || etype == EntityType::Gpe)
                    && cl.gender.is_none()
                    && !self.person_named(k)
                    && !self.person_named_as_org(k)
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
        let mut order: Vec<usize> = (0..self.cands.len()).collect();
        for p in 0..self.cands.len() {
            if self.cands[p].kind != MentionKind::Pronoun {
                continue;
            }
            let pt = self.cands[p].tokens.start;
            if let Some(k) = self
                .possessors
                .iter()
                .find(|&&(t, _)| t == pt)
                .and_then(|&(_, a)| {
                    self.cands
                        .iter()
                        .find(|c| c.head == a && c.kind == MentionKind::Name)
                })
                .and_then(|c| c.cluster)
            {
                self.join(p, k);
                continue;
            }
            let mut k = self.pronoun_antecedent(p, &quoted, &order);
            // "They"/"them" whose only antecedent is no plural: a plural
            // group the mention stage did not take ("about 1,800 citizens",
            // "supporters of the junta") becomes a mention of its own.
            let plural = |k: Option<usize>| {
                k.is_some_and(|k| self.clusters[k].number == Some(Number::Plural))
            };
            if self.cands[p].number == Number::Plural && !plural(k) {
                if let Some(g) = self.plural_group_for(p) {
                    let c = self.push_cand(
                        g,
                        MentionKind::Nominal,
                        EntityType::Person,
                        PhraseInfo::default(),
                    );
                    self.cands[c].number = Number::Plural;
                    self.new_cluster(c);
                    let at = order.partition_point(|&o| {
                        (
                            self.cands[o].tokens.start,
                            std::cmp::Reverse(self.cands[o].tokens.end),
                        ) < (
                            self.cands[c].tokens.start,
                            std::cmp::Reverse(self.cands[c].tokens.end),
                        )
                    });
                    order.insert(at, c);
                    let again = self.pronoun_antecedent(p, &quoted, &order);
                    if again.is_some_and(|a| self.cands[c].cluster == Some(a)) {
                        k = again;
                    } else {
                        // Not the antecedent after all: no mention.
                        order.remove(at);
                        self.cands.pop();
                        self.clusters.pop();
                    }
                }
            }
            if let Some(k) = k {
                self.join(p, k);
            }
        }
        if order.len() < self.cands.len() || order.iter().enumerate().any(|(i, &o)| i != o) {
            self.reorder_cands(&order);
        }
    }
    /// Put the candidates in text order again after mentions were added
    /// (`order` lists them in that order); cluster members follow.
    fn reorder_cands(&mut self, order: &[usize]) {
        let mut new_index = vec![0; self.cands.len()];
        for (i, &o) in order.iter().enumerate() {
            new_index[o] = i;
        }
        let old = std::mem::take(&mut self.cands);
        let mut slots: Vec<Option<Cand>> = old.into_iter().map(Some).collect();
        self.cands = order.iter().map(|&o| slots[o].take().unwrap()).collect();
        for cl in &mut self.clusters {
            for m in &mut cl.members {
                *m = new_index[*m];
            }
            cl.members.sort_unstable();
        }
    }
    /// A plural noun phrase of people or organisations before the plural
    /// pronoun `p` (same sentence, nearest first, else the previous sentence,
    /// subjects first) that is no mention yet: "the ministry said about 1,800
    /// French citizens were registered and urged them to stay indoors". The
    /// head must be a plural noun for actors ([`actor_plural`]) outside any
    /// mention with that head; the span runs from the head's leftmost
    /// contiguous modifier ("about 1,800 French") to the head.
    fn plural_group_for(&self, p: usize) -> Option<Range<usize>> {
        if !self.parsed {
            return None;
        }
        let pt = self.cands[p].tokens.start;
        let s = self.sent_of[pt];
        let own = self.doc.sentence(s).token_indices();
        let is_group = |h: usize| {
            self.doc.token(h).xpos() == Some(Xpos::Nns)
                && actor_plural(&self.lower[h])
                && !self.cands.iter().any(|c| c.head == h)
                && !self.clause_subjects(pt).contains(&h)
        };
        let mut heads: Vec<usize> = (own.start..pt).rev().filter(|&h| is_group(h)).collect();
        if heads.is_empty() && s > 0 {
            let prev = self.doc.sentence(s - 1).token_indices();
            let mut found: Vec<usize> = prev.filter(|&h| is_group(h)).collect();
            found.sort_by_key(|&h| !self.is_subject(h));
            heads = found;
        }
        let h = *heads.first()?;
        let sentence = self.doc.sentence(self.sent_of[h]).token_indices();
        let mut start = h;
        while start > sentence.start {
            let j = start - 1;
            if self.upos(j) == Some(Upos::Punct) || !self.descends(j, h, &(j..h + 1)) {
                break;
            }
            start = j;
        }
        Some(self.quantified_start(start, h)..h + 1)
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
    /// The cluster pronoun `p` refers to; `order` lists the candidates in text order.
    pub(super) fn pronoun_antecedent(
        &self,
        p: usize,
        quoted: &[TextRange],
        order: &[usize],
    ) -> Option<usize> {
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
        let before: Vec<usize> = order
            .iter()
            .copied()
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
            let in_sentence: Vec<usize> = order
                .iter()
                .copied()
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

/// A plural noun that names people or organisations, the head of a group a
/// plural pronoun may refer to: agent nouns ("supporters", "inspectors",
/// "activists", "civilians") and a list of collective nouns, not objects
/// ("orders", "borders", "talks").
pub(super) fn actor_plural(w: &str) -> bool {
    const LIST: &[&str] = &[
        "people",
        "citizens",
        "nationals",
        "members",
        "crews",
        "forces",
        "troops",
        "factions",
        "groups",
        "parties",
        "outlets",
        "charities",
        "companies",
        "firms",
        "families",
        "children",
        "women",
        "men",
        "residents",
        "students",
        "opponents",
        "parents",
        "agents",
        "migrants",
        "immigrants",
        "inhabitants",
        "participants",
        "militants",
        "applicants",
        "authorities",
        "governments",
        "countries",
        "nations",
        "states",
        "allies",
        "partners",
        "rivals",
        "neighbours",
        "neighbors",
        "planes",
        "aircraft",
        "jets",
        "ships",
        "vessels",
        "boats",
        "units",
        "unions",
        "banks",
        "lenders",
        "victims",
        "hostages",
        "captives",
        "detainees",
        "prisoners",
        "suspects",
        "delegates",
        "delegations",
        "envoys",
        "elders",
        "youths",
        "relatives",
        "colleagues",
        "allies",
        "sides",
        "clans",
        "tribes",
        "communities",
        "agencies",
        "ministries",
        "associations",
        "organisations",
        "organizations",
        "networks",
        "newspapers",
        "broadcasters",
        "retailers",
        "refugees",
    ];
    const NOT: &[&str] = &[
        "numbers",
        "borders",
        "orders",
        "powers",
        "waters",
        "papers",
        "matters",
        "centers",
        "quarters",
        "letters",
        "headquarters",
        "layers",
        "barriers",
        "chambers",
        "offers",
        "answers",
        "dangers",
        "towers",
        "corridors",
        "floors",
        "doors",
        "sectors",
        "factors",
        "errors",
        "motors",
        "mirrors",
        "colors",
        "colours",
        "terrors",
        "lists",
        "twists",
        "plans",
        "loans",
        "scans",
        "bans",
    ];
    if LIST.contains(&w) {
        return true;
    }
    if NOT.contains(&w) || w.len() < 6 {
        return false;
    }
    ["ers", "ors", "ists", "ians", "eers"]
        .iter()
        .any(|suffix| w.ends_with(suffix))
}
