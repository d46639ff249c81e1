//! A dependency-tree view of a parsed [`Doc`]: children lists, lowercase lemmas
//! and the small queries event rules ask of a clause.

use newsgraph_core::tags::{Deprel, Upos, Xpos};
use newsgraph_core::Doc;
use std::borrow::Cow;

/// Relative pronouns, which stand for the noun their clause modifies.
pub const RELATIVE_PRONOUNS: &[&str] = &["who", "which", "that"];

/// Children of every token (CSR layout), built once per document.
#[derive(Debug)]
pub struct Tree<'a> {
    pub doc: &'a Doc,
    start: Vec<u32>,
    kids: Vec<u32>,
    lemmas: Vec<Cow<'a, str>>,
    /// Sentence index of every token.
    pub sentence_of: Vec<u32>,
}

impl<'a> Tree<'a> {
    pub fn new(doc: &'a Doc) -> Tree<'a> {
        let n = doc.len();
        let mut count = vec![0u32; n + 1];
        for t in doc.tokens() {
            if let Some(h) = t.head() {
                count[h.index() + 1] += 1;
            }
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut kids = vec![0u32; count[n] as usize];
        for t in doc.tokens() {
            if let Some(h) = t.head() {
                kids[fill[h.index()] as usize] = t.index() as u32;
                fill[h.index()] += 1;
            }
        }
        let lemmas = doc
            .tokens()
            .map(|t| {
                let l = t.lemma().unwrap_or_else(|| t.text());
                if l.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(l.to_lowercase())
                } else {
                    Cow::Borrowed(l)
                }
            })
            .collect();
        let mut sentence_of = vec![0u32; n];
        for s in doc.sentences() {
            for i in s.token_indices() {
                sentence_of[i] = s.index() as u32;
            }
        }
        Tree {
            doc,
            start: count,
            kids,
            lemmas,
            sentence_of,
        }
    }

    /// Children of `i`, in text order.
    pub fn children(&self, i: usize) -> &[u32] {
        &self.kids[self.start[i] as usize..self.start[i + 1] as usize]
    }

    /// Children of `i` with relation `rel` (exactly, subtype included).
    pub fn kids_with(&self, i: usize, rel: Deprel) -> impl Iterator<Item = usize> + '_ {
        self.children(i)
            .iter()
            .map(|&c| c as usize)
            .filter(move |&c| self.rel(c) == Some(rel))
    }

    pub fn first_kid(&self, i: usize, rels: &[Deprel]) -> Option<usize> {
        self.children(i)
            .iter()
            .map(|&c| c as usize)
            .find(|&c| self.rel(c).is_some_and(|r| rels.contains(&r)))
    }

    pub fn lemma(&self, i: usize) -> &str {
        &self.lemmas[i]
    }

    pub fn text(&self, i: usize) -> &'a str {
        self.doc.token(i).text()
    }

    pub fn lower_is(&self, i: usize, words: &[&str]) -> bool {
        let t = self.text(i);
        words.iter().any(|w| t.eq_ignore_ascii_case(w))
    }

    pub fn rel(&self, i: usize) -> Option<Deprel> {
        self.doc.token(i).deprel()
    }

    pub fn head(&self, i: usize) -> Option<usize> {
        self.doc.token(i).head().map(|h| h.index())
    }

    /// The noun that the relative clause headed by `v` modifies ("the blaze
    /// that destroyed the market": blaze), if `v` heads one.
    pub fn relative_head(&self, v: usize) -> Option<usize> {
        self.head(v)
            .filter(|_| self.rel(v) == Some(Deprel::AclRelcl))
    }

    pub fn upos(&self, i: usize) -> Option<Upos> {
        self.doc.token(i).upos()
    }

    pub fn xpos(&self, i: usize) -> Option<Xpos> {
        self.doc.token(i).xpos()
    }

    /// The preposition (case/mark child, or fixed "out of") of a nominal argument.
    pub fn case_of(&self, i: usize) -> Option<&str> {
        self.children(i)
            .iter()
            .map(|&c| c as usize)
            .find(|&c| matches!(self.rel(c), Some(Deprel::Case | Deprel::Mark)) && c < i)
            .map(|c| self.lemma(c))
    }

    /// The dateline of the first sentence ("KHUJAND, Tajikistan, Feb 16
    /// (Meridian) -"): the index of its dash, as
    /// [`newsgraph_nlp::ner::dateline`] reads it.
    pub fn dateline_dash(&self) -> Option<usize> {
        self.dateline().map(|d| d.dash)
    }

    /// The document's dateline (its place's tokens and the dash or colon
    /// ending it), as [`newsgraph_nlp::ner::dateline`] reads it.
    pub fn dateline(&self) -> Option<newsgraph_nlp::ner::Dateline> {
        newsgraph_nlp::ner::dateline(self.doc)
    }

    /// The token range of `i`'s noun phrase: its subtree without clauses,
    /// coordination, appositions and punctuation at the edges.
    pub fn phrase(&self, i: usize) -> (usize, usize) {
        let mut lo = i;
        let mut hi = i;
        self.extend_phrase(i, &mut lo, &mut hi, 0);
        (lo, hi + 1)
    }

    fn extend_phrase(&self, i: usize, lo: &mut usize, hi: &mut usize, depth: u32) {
        if depth > 8 {
            return;
        }
        for &c in self.children(i) {
            let c = c as usize;
            let keep = match self.rel(c) {
                Some(
                    Deprel::Det
                    | Deprel::Amod
                    | Deprel::Compound
                    | Deprel::Flat
                    | Deprel::NmodPoss
                    | Deprel::Nummod
                    | Deprel::DetPoss
                    | Deprel::DetPredet
                    | Deprel::FlatForeign
                    | Deprel::Case,
                ) => !(self.rel(c) == Some(Deprel::Case) && depth == 0),
                Some(Deprel::Nmod) => c > i && self.case_of(c) == Some("of"),
                _ => false,
            };
            if keep {
                *lo = (*lo).min(c);
                *hi = (*hi).max(c);
                self.extend_phrase(c, lo, hi, depth + 1);
            }
        }
    }
}
