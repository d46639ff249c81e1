//! Lemmatizer: (form, UPOS, XPOS) -> lemma, learned from treebank lemmas.
//!
//! Three layers, tried in order:
//! 1. an exceptions table for words seen in training where the rules below
//!    would be wrong (`was` VBD -> `be`, `better` JJR -> `good`, `n't` -> `not`);
//! 2. a casing decision per (tag, shape of the word): proper nouns keep their
//!    case, a sentence-initial `Annexed` is lowercased, an acronym is kept;
//! 3. a suffix-rewrite rule ("strip k chars, append s") chosen by the longest
//!    suffix of the word seen in training with that tag (a pruned suffix trie
//!    counted over word types, so it generalises to unseen words).
//!
//! An unseen verb form is where the suffix rules guess most often wrong: the
//! words ending in "-ened" seen in training are mostly "opened", "happened",
//! so "convened" became "conven". Given a vocabulary of known words
//! ([`Lemmatizer::with_vocabulary`], the tagger passes its word clusters' words),
//! a past or present participle or past tense whose rule-made lemma is no
//! known word takes the first known one of the regular base forms
//! ("convened" -> "convene", "looted" -> "loot", "planned" -> "plan"); a
//! plural noun likewise takes a known singular ("tranches" -> "tranche",
//! not "tranch"; "levies" -> "levy", not "levie").

use std::borrow::Cow;

use newsgraph_core::conllu::Sentence;
use newsgraph_core::{Upos, Xpos};
use newsgraph_learn::hash::{hash_lowercase, hash_str, mix};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest suffix (in chars) the rule trie looks at.
const MAX_SUFFIX: usize = 7;
/// A suffix-trie node needs this many word types behind it to be kept.
const MIN_TYPES: u32 = 2;

/// "Strip `strip` chars from the end, then append `append`."
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Rule {
    strip: u8,
    append: String,
}

impl Rule {
    fn identity() -> Self {
        Rule {
            strip: 0,
            append: String::new(),
        }
    }

    /// The rule that turns `form` into `lemma`.
    fn between(form: &str, lemma: &str) -> Rule {
        let common: usize = form
            .chars()
            .zip(lemma.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let strip = form[common..].chars().count().min(u8::MAX as usize) as u8;
        Rule {
            strip,
            append: lemma[common..].to_string(),
        }
    }

    fn is_identity(&self) -> bool {
        self.strip == 0 && self.append.is_empty()
    }

    /// Apply to `base`; `None` when the word is too short for the rule.
    fn apply<'a>(&self, base: Cow<'a, str>) -> Option<Cow<'a, str>> {
        if self.is_identity() {
            return Some(base);
        }
        let n = base.chars().count();
        let strip = self.strip as usize;
        if strip >= n {
            return None;
        }
        let cut = base
            .char_indices()
            .nth(n - strip)
            .map_or(base.len(), |(i, _)| i);
        let mut s = String::with_capacity(cut + self.append.len());
        s.push_str(&base[..cut]);
        s.push_str(&self.append);
        Some(Cow::Owned(s))
    }
}

/// Case pattern of a word, for the casing decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Casing {
    Lower,
    Title,
    AllCaps,
    Mixed,
}

fn casing(form: &str) -> Casing {
    let mut upper = 0;
    let mut lower = 0;
    let mut first_upper = false;
    for (i, c) in form.chars().enumerate() {
        if c.is_uppercase() {
            upper += 1;
            first_upper |= i == 0;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    match (upper, lower) {
        (0, _) => Casing::Lower,
        (1, _) if first_upper => Casing::Title,
        (_, 0) => Casing::AllCaps,
        _ if first_upper && upper == 1 => Casing::Title,
        _ => Casing::Mixed,
    }
}

#[inline]
fn tag_id(upos: Upos, xpos: Xpos) -> u64 {
    (upos.index() * 64 + xpos.index()) as u64
}

#[inline]
fn key(word_hash: u64, tag: u64) -> u64 {
    mix(mix(word_hash, tag), 0x5bd1_e995)
}

#[inline]
fn suffix_key(tag: u64, suffix_hash: u64, len: usize) -> u64 {
    mix(mix(mix(suffix_hash, tag), len as u64), 0x1b87_3593)
}

/// Learned lemmatizer; see the module docs for how it decides.
#[derive(Debug, Clone)]
pub struct Lemmatizer {
    rules: Vec<Rule>,
    /// (exact form, tag) -> lemma.
    exact: FxHashMap<u64, u32>,
    /// (lowercased form, tag) -> lemma, for capitalised forms whose lemma is lowercased.
    lowered: FxHashMap<u64, u32>,
    exception_lemmas: Vec<String>,
    /// (tag, lowercase suffix, suffix length) -> rule.
    suffixes: FxHashMap<u64, u32>,
    /// (tag, casing) -> keep the form's case?
    keep_case: FxHashMap<u64, bool>,
    /// What the tables were built from, kept for serialisation.
    store: LemmatizerStore,
    /// `hash_lowercase` of known words, to check the rules' verb lemmas.
    known: FxHashSet<u64>,
}

/// On-disk form: readable strings, hashed at load.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct LemmatizerStore {
    rules: Vec<Rule>,
    /// (form, upos, xpos, lemma, from_lowercase)
    exceptions: Vec<(String, String, String, String, bool)>,
    /// (upos, xpos, suffix, rule)
    suffixes: Vec<(String, String, String, u32)>,
    /// (upos, xpos, casing 1..=3, keep)
    keep_case: Vec<(String, String, u8, bool)>,
}

fn casing_id(c: Casing) -> u8 {
    match c {
        Casing::Lower => 0,
        Casing::Title => 1,
        Casing::AllCaps => 2,
        Casing::Mixed => 3,
    }
}

impl Lemmatizer {
    /// The lemma of a word with the given tags. Borrows `form` when the lemma is the form.
    pub fn lemma<'a>(&'a self, form: &'a str, upos: Upos, xpos: Xpos) -> Cow<'a, str> {
        let tag = tag_id(upos, xpos);
        if let Some(&l) = self.exact.get(&key(hash_str(form), tag)) {
            return self.exception(form, l);
        }
        let case = casing(form);
        let keep = case == Casing::Lower
            || self
                .keep_case
                .get(&(tag * 4 + casing_id(case) as u64))
                .copied()
                .unwrap_or(true);
        if !keep {
            if let Some(&l) = self.lowered.get(&key(hash_lowercase(form), tag)) {
                return self.exception(form, l);
            }
        }
        let rule = self.rule_for(form, tag);
        let base = if keep {
            Cow::Borrowed(form)
        } else {
            Cow::Owned(form.to_lowercase())
        };
        let lemma = match rule.apply(base) {
            Some(l) => l,
            None if keep => Cow::Borrowed(form),
            None => Cow::Owned(form.to_lowercase()),
        };
        if matches!(xpos, Xpos::Vbd | Xpos::Vbn | Xpos::Vbg | Xpos::Nns)
            && !self.known.is_empty()
            && !self.known.contains(&hash_lowercase(&lemma))
        {
            let lower = form.to_lowercase();
            let bases = if xpos == Xpos::Nns {
                plural_bases(&lower)
            } else {
                regular_bases(&lower)
            };
            if let Some(l) = bases
                .into_iter()
                .find(|c| self.known.contains(&hash_lowercase(c)))
            {
                return Cow::Owned(l);
            }
        }
        lemma
    }

    /// Words the rules' verb lemmas are checked against (see the module docs).
    /// The exceptions' lemmas are known too.
    pub fn with_vocabulary<'w>(mut self, words: impl IntoIterator<Item = &'w str>) -> Lemmatizer {
        let mut known: FxHashSet<u64> = words.into_iter().map(hash_lowercase).collect();
        known.extend(self.exception_lemmas.iter().map(|l| hash_lowercase(l)));
        self.known = known;
        self
    }

    fn exception<'a>(&'a self, form: &'a str, i: u32) -> Cow<'a, str> {
        let l = &self.exception_lemmas[i as usize];
        if l == form {
            Cow::Borrowed(form)
        } else {
            Cow::Borrowed(l.as_str())
        }
    }

    /// Longest-suffix match in the rule trie (lowercased suffixes).
    fn rule_for(&self, form: &str, tag: u64) -> &Rule {
        // Char start offsets of the last MAX_SUFFIX chars, longest first.
        let mut starts = [0usize; MAX_SUFFIX];
        let mut n = 0;
        for (i, _) in form.char_indices().rev().take(MAX_SUFFIX) {
            starts[n] = i;
            n += 1;
        }
        for len in (1..=n).rev() {
            let h = hash_lowercase(&form[starts[len - 1]..]);
            if let Some(&r) = self.suffixes.get(&suffix_key(tag, h, len)) {
                return &self.rules[r as usize];
            }
        }
        match self.suffixes.get(&suffix_key(tag, hash_str(""), 0)) {
            Some(&r) => &self.rules[r as usize],
            None => &self.rules[0],
        }
    }

    /// Learn from treebanks (form, UPOS, XPOS, lemma of every word), given in
    /// priority order: where corpora disagree on a word's lemma (EWT `people`
    /// -> `people`, GUM `people` -> `person`), the earlier corpus wins.
    pub fn train(corpora: &[&[Sentence]]) -> Lemmatizer {
        type Counts<K> = FxHashMap<K, (usize, FxHashMap<String, u32>)>;
        // (form, upos, xpos) -> (corpus, lemma counts in that corpus).
        let mut tokens: Counts<(String, Upos, Xpos)> = FxHashMap::default();
        // (upos, xpos, casing) -> [lowered, kept] counts.
        let mut case_counts: FxHashMap<(Upos, Xpos, u8), [u32; 2]> = FxHashMap::default();
        for (corpus, s) in corpora
            .iter()
            .enumerate()
            .flat_map(|(c, ss)| ss.iter().map(move |s| (c, s)))
        {
            for w in &s.words {
                if w.lemma == "_" && w.form != "_" {
                    continue;
                }
                let upos = Upos::from_str(&w.upos).unwrap_or(Upos::X);
                let xpos = Xpos::from_str(&w.xpos).unwrap_or(Xpos::Xx);
                let entry = tokens
                    .entry((w.form.clone(), upos, xpos))
                    .or_insert_with(|| (corpus, FxHashMap::default()));
                if entry.0 == corpus {
                    *entry.1.entry(w.lemma.clone()).or_default() += 1;
                }
                let case = casing(&w.form);
                if case != Casing::Lower {
                    let lemma_lower = w.lemma == w.lemma.to_lowercase();
                    let form_prefix_kept = w.lemma.chars().next() == w.form.chars().next();
                    if lemma_lower != form_prefix_kept {
                        let c = case_counts
                            .entry((upos, xpos, casing_id(case)))
                            .or_default();
                        c[form_prefix_kept as usize] += 1;
                    }
                }
            }
        }
        let best = |(_, m): &(usize, FxHashMap<String, u32>)| -> String {
            let mut v: Vec<_> = m.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            v[0].0.clone()
        };
        // Word types (lowercase form, tag) -> lemma for the suffix trie.
        let mut types: FxHashMap<(String, Upos, Xpos), String> = FxHashMap::default();
        let mut keys: Vec<_> = tokens.keys().cloned().collect();
        keys.sort();
        for k in &keys {
            let lemma = best(&tokens[k]);
            let lower = k.0.to_lowercase();
            let lemma_l = lemma.to_lowercase();
            types.entry((lower, k.1, k.2)).or_insert(lemma_l);
        }
        let mut rules: Vec<Rule> = vec![Rule::identity()];
        let mut rule_ids: FxHashMap<Rule, u32> = FxHashMap::default();
        rule_ids.insert(Rule::identity(), 0);
        let mut intern = |r: Rule, rules: &mut Vec<Rule>| -> u32 {
            *rule_ids.entry(r.clone()).or_insert_with(|| {
                rules.push(r);
                (rules.len() - 1) as u32
            })
        };
        // (upos, xpos, suffix) -> rule -> type count.
        let mut trie: FxHashMap<(Upos, Xpos, String), FxHashMap<u32, u32>> = FxHashMap::default();
        let mut type_keys: Vec<_> = types.keys().cloned().collect();
        type_keys.sort();
        for k in &type_keys {
            let (lower, upos, xpos) = k;
            let r = intern(Rule::between(lower, &types[k]), &mut rules);
            let chars: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
            for len in 0..=chars.len().min(MAX_SUFFIX) {
                let suffix = if len == 0 {
                    ""
                } else {
                    &lower[chars[chars.len() - len]..]
                };
                *trie
                    .entry((*upos, *xpos, suffix.to_string()))
                    .or_default()
                    .entry(r)
                    .or_default() += 1;
            }
        }
        // Keep a node when it has enough types and its best rule differs from its parent's.
        let best_rule = |m: &FxHashMap<u32, u32>| -> (u32, u32) {
            let total = m.values().sum();
            let (&r, _) = m
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .expect("non-empty");
            (r, total)
        };
        let mut trie_keys: Vec<_> = trie.keys().cloned().collect();
        // Shorter suffixes first so parents are decided before children.
        trie_keys.sort_by(|a, b| a.2.chars().count().cmp(&b.2.chars().count()).then(a.cmp(b)));
        let mut decided: FxHashMap<(Upos, Xpos, String), u32> = FxHashMap::default();
        let mut store = LemmatizerStore::default();
        for k in &trie_keys {
            let (r, total) = best_rule(&trie[k]);
            let parent = if k.2.is_empty() {
                None
            } else {
                let mut p = k.2.clone();
                p.remove(0);
                // The nearest kept ancestor decides the backoff.
                let mut p = Some(p);
                let mut found = None;
                while let Some(s) = p {
                    if let Some(&pr) = decided.get(&(k.0, k.1, s.clone())) {
                        found = Some(pr);
                        break;
                    }
                    p = if s.is_empty() {
                        None
                    } else {
                        let mut s = s;
                        s.remove(0);
                        Some(s)
                    };
                }
                Some(found.unwrap_or(0))
            };
            let keep = match parent {
                None => true,
                Some(pr) => total >= MIN_TYPES && pr != r,
            };
            if keep {
                decided.insert(k.clone(), r);
                store
                    .suffixes
                    .push((k.0.as_str().into(), k.1.as_str().into(), k.2.clone(), r));
            }
        }
        store.rules = rules;
        let mut case_keys: Vec<_> = case_counts.keys().copied().collect();
        case_keys.sort();
        for k in case_keys {
            let [lowered, kept] = case_counts[&k];
            store.keep_case.push((
                k.0.as_str().into(),
                k.1.as_str().into(),
                k.2,
                kept >= lowered,
            ));
        }
        // Exceptions: seen words where the rules give another lemma.
        let mut lem = Lemmatizer::from_store(store);
        let mut exceptions = Vec::new();
        for k in &keys {
            let lemma = best(&tokens[k]);
            if lem.lemma(&k.0, k.1, k.2) != lemma.as_str() {
                exceptions.push((
                    k.0.clone(),
                    k.1.as_str().to_string(),
                    k.2.as_str().to_string(),
                    lemma,
                    false,
                ));
            }
        }
        // Lowercased forms also serve their capitalised variants (sentence-initial `Was`).
        for e in &exceptions {
            if e.0.chars().all(|c| !c.is_uppercase()) && e.3.chars().all(|c| !c.is_uppercase()) {
                let mut e = e.clone();
                e.4 = true;
                lem.store.exceptions.push(e);
            }
        }
        lem.store.exceptions.extend(exceptions);
        Lemmatizer::from_store(lem.store)
    }

    fn from_store(store: LemmatizerStore) -> Lemmatizer {
        let tag = |u: &str, x: &str| {
            tag_id(
                Upos::from_str(u).unwrap_or(Upos::X),
                Xpos::from_str(x).unwrap_or(Xpos::Xx),
            )
        };
        let mut exact = FxHashMap::default();
        let mut lowered = FxHashMap::default();
        let mut exception_lemmas = Vec::new();
        for (form, u, x, lemma, from_lower) in &store.exceptions {
            let id = exception_lemmas.len() as u32;
            exception_lemmas.push(lemma.clone());
            if *from_lower {
                lowered.insert(key(hash_lowercase(form), tag(u, x)), id);
            } else {
                exact.insert(key(hash_str(form), tag(u, x)), id);
            }
        }
        let suffixes = store
            .suffixes
            .iter()
            .map(|(u, x, s, r)| (suffix_key(tag(u, x), hash_str(s), s.chars().count()), *r))
            .collect();
        let keep_case = store
            .keep_case
            .iter()
            .map(|(u, x, c, k)| (tag(u, x) * 4 + *c as u64, *k))
            .collect();
        Lemmatizer {
            rules: store.rules.clone(),
            exact,
            lowered,
            exception_lemmas,
            suffixes,
            keep_case,
            store,
            known: FxHashSet::default(),
        }
    }

    /// Number of exceptions and suffix rules (for model cards).
    pub fn sizes(&self) -> (usize, usize) {
        (self.store.exceptions.len(), self.store.suffixes.len())
    }
}

impl Serialize for Lemmatizer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.store.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Lemmatizer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Lemmatizer::from_store(LemmatizerStore::deserialize(d)?))
    }
}

/// The regular base forms an "-ed"/"-ing" verb form may come from, most
/// likely first: the stem ("looted" -> "loot"), the stem and "e"
/// ("convened" -> "convene"), the stem without a doubled last consonant
/// ("planned" -> "plan"), "-ied" as "-y" ("buried" -> "bury"). Expects a
/// lowercase form; empty for forms with neither suffix or a stem under two
/// letters. Callers pick the first candidate their vocabulary knows.
pub fn regular_bases(lower: &str) -> Vec<String> {
    let Some(stem) = lower
        .strip_suffix("ed")
        .or_else(|| lower.strip_suffix("ing"))
        .filter(|s| s.chars().count() >= 2)
    else {
        return Vec::new();
    };
    let mut candidates = vec![stem.to_string(), format!("{stem}e")];
    let mut rev = stem.chars().rev();
    if let (Some(a), Some(b)) = (rev.next(), rev.next()) {
        if a == b && !"aeiou".contains(a) {
            candidates.push(stem[..stem.len() - a.len_utf8()].to_string());
        }
    }
    if let Some(s) = stem.strip_suffix('i').filter(|_| lower.ends_with("ied")) {
        candidates.push(format!("{s}y"));
    }
    candidates
}

/// The regular singulars of a lowercase plural noun, most likely first:
/// "-ies" as "-y" ("levies" -> "levy"), "-s" dropped ("tranches" ->
/// "tranche"), "-es" dropped ("taxes" -> "tax"), "-ves" as "-f" or "-fe"
/// ("wolves" -> "wolf", "knives" -> "knife"). Empty for a form with no
/// "-s" or a stem under two letters. Callers pick the first candidate their
/// vocabulary knows.
pub fn plural_bases(lower: &str) -> Vec<String> {
    let Some(stem) = lower.strip_suffix('s').filter(|s| s.chars().count() >= 2) else {
        return Vec::new();
    };
    let mut candidates = Vec::new();
    if let Some(s) = lower.strip_suffix("ies") {
        candidates.push(format!("{s}y"));
    }
    candidates.push(stem.to_string());
    if let Some(s) = lower.strip_suffix("es") {
        candidates.push(s.to_string());
    }
    if let Some(s) = lower.strip_suffix("ves") {
        candidates.push(format!("{s}f"));
        candidates.push(format!("{s}fe"));
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_between_and_apply() {
        let r = Rule::between("annexed", "annex");
        assert_eq!(
            r,
            Rule {
                strip: 2,
                append: String::new()
            }
        );
        assert_eq!(r.apply(Cow::Borrowed("vexed")).unwrap(), "vex");
        let r = Rule::between("studies", "study");
        assert_eq!(r.apply(Cow::Borrowed("carries")).unwrap(), "carry");
        assert!(Rule::between("went", "go")
            .apply(Cow::Borrowed("ox"))
            .is_none());
        assert_eq!(Rule::between("naïve", "naïve"), Rule::identity());
    }

    #[test]
    fn plural_bases_most_likely_first() {
        assert_eq!(plural_bases("levies"), ["levy", "levie", "levi"]);
        assert_eq!(plural_bases("tranches"), ["tranche", "tranch"]);
        assert_eq!(plural_bases("wolves"), ["wolve", "wolv", "wolf", "wolfe"]);
        assert!(plural_bases("is").is_empty());
        assert!(plural_bases("talk").is_empty());
    }

    #[test]
    fn casing_classes() {
        assert_eq!(casing("talks"), Casing::Lower);
        assert_eq!(casing("Talks"), Casing::Title);
        assert_eq!(casing("NATO"), Casing::AllCaps);
        assert_eq!(casing("iPhone"), Casing::Mixed);
        assert_eq!(casing("McDonald"), Casing::Mixed);
        assert_eq!(casing("A"), Casing::Title);
    }
}
