//! The [`Doc`]: one article's text and every annotation layer over it.

use crate::layers::Layers;
use crate::records::{Entity, Event, Quote, TimeExpr};
use crate::tags::{Deprel, Upos, Xpos};
use crate::{Article, TextRange};
use std::ops::Range;

/// Document metadata carried through to the output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    pub id: String,
    pub title: Option<String>,
    /// ISO 8601 date or datetime.
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// ISO 639-1 code of the text's language.
    pub language: String,
}

/// A per-document problem that does not stop the pipeline
/// ("Tuesday" with no publication date to anchor it, lossy decoding, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The component or reader that raised it.
    pub origin: String,
    pub message: String,
}

/// A sentence: a range of token indices and the text range it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceData {
    pub tokens: (u32, u32),
    pub range: TextRange,
}

/// Errors when a component sets a layer inconsistent with the document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LayerError {
    #[error("layer `{layer}` has {got} items but the document has {expected} tokens")]
    Length {
        layer: &'static str,
        got: usize,
        expected: usize,
    },
    #[error("layer `{layer}` is invalid: {reason}")]
    Invalid { layer: &'static str, reason: String },
}

/// One article's text and every annotation layer over it.
///
/// Layers are set once, by the component that assigns them; token-level layers
/// are parallel vectors indexed by token. Views ([`Token`], [`Sentence`]) are
/// cheap `Copy` handles holding indices.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub meta: DocMeta,
    text: String,
    layers: Layers,
    /// Invariant: sorted, non-overlapping, on char boundaries, non-empty.
    tokens: Vec<TextRange>,
    /// Invariant: contiguous token ranges covering all tokens in order.
    sentences: Vec<SentenceData>,
    tags: Vec<(Upos, Xpos)>,
    /// All lemmas concatenated; `lemma_ends[i]` is where token i's lemma ends.
    lemma_buf: String,
    lemma_ends: Vec<u32>,
    /// Per token: head as a token index into the document, `u32::MAX` for the root.
    heads: Vec<u32>,
    deprels: Vec<Deprel>,
    pub entities: Vec<Entity>,
    pub times: Vec<TimeExpr>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Marker for "no head" (the root of a sentence) in [`Doc`]'s head layer.
pub const ROOT: u32 = u32::MAX;

impl Doc {
    /// A document with text and metadata and no annotation yet.
    pub fn new(text: impl Into<String>, meta: DocMeta) -> Doc {
        Doc {
            text: text.into(),
            meta,
            ..Doc::default()
        }
    }

    /// Build a document from a read article; `default_date` fills `published`
    /// when the article has none. The id falls back to a stable hash of the text.
    pub fn from_article(article: Article, default_date: Option<&str>) -> Doc {
        let id = article
            .id
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("doc-{:016x}", stable_hash(&article.text)));
        let meta = DocMeta {
            id,
            title: article.title,
            published: article
                .published
                .or_else(|| default_date.map(str::to_string)),
            source: article.source,
            url: article.url,
            language: "en".to_string(),
        };
        let mut doc = Doc::new(article.text, meta);
        for w in article.warnings {
            doc.warn("reader", w);
        }
        doc
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn layers(&self) -> Layers {
        self.layers
    }

    pub fn has(&self, layers: Layers) -> bool {
        self.layers.contains(layers)
    }

    /// Record that a component set a record layer (entities, times, quotes, events).
    pub fn mark(&mut self, layers: Layers) {
        self.layers = self.layers | layers;
    }

    pub fn warn(&mut self, origin: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            origin: origin.to_string(),
            message: message.into(),
        });
    }

    // ---- tokens and sentences -------------------------------------------------

    /// Set the token layer. Checks the invariant (sorted, non-overlapping,
    /// non-empty, on char boundaries).
    pub fn set_tokens(&mut self, tokens: Vec<TextRange>) -> Result<(), LayerError> {
        let mut prev_end = 0u32;
        for t in &tokens {
            if t.start < prev_end || t.end <= t.start || t.end as usize > self.text.len() {
                return Err(invalid(
                    "tokens",
                    format!("bad token range {}..{}", t.start, t.end),
                ));
            }
            if !self.text.is_char_boundary(t.start as usize)
                || !self.text.is_char_boundary(t.end as usize)
            {
                return Err(invalid(
                    "tokens",
                    format!("range {}..{} splits a character", t.start, t.end),
                ));
            }
            prev_end = t.end;
        }
        self.tokens = tokens;
        self.mark(Layers::TOKENS);
        Ok(())
    }

    /// Set sentences as ranges of token indices, contiguous and covering all tokens.
    pub fn set_sentences(&mut self, sentences: &[Range<u32>]) -> Result<(), LayerError> {
        let mut next = 0u32;
        let mut out = Vec::with_capacity(sentences.len());
        for s in sentences {
            if s.start != next || s.end <= s.start || s.end as usize > self.tokens.len() {
                return Err(invalid(
                    "sentences",
                    format!(
                        "token range {}..{} leaves a gap or overlaps",
                        s.start, s.end
                    ),
                ));
            }
            let range = self.tokens[s.start as usize].cover(self.tokens[s.end as usize - 1]);
            out.push(SentenceData {
                tokens: (s.start, s.end),
                range,
            });
            next = s.end;
        }
        if next as usize != self.tokens.len() {
            return Err(invalid(
                "sentences",
                format!("cover {next} of {} tokens", self.tokens.len()),
            ));
        }
        self.sentences = out;
        self.mark(Layers::SENTENCES);
        Ok(())
    }

    pub fn token_ranges(&self) -> &[TextRange] {
        &self.tokens
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn token(&self, i: usize) -> Token<'_> {
        assert!(i < self.tokens.len(), "token {i} out of range");
        Token {
            doc: self,
            i: i as u32,
        }
    }

    pub fn tokens(&self) -> impl ExactSizeIterator<Item = Token<'_>> + '_ {
        (0..self.tokens.len() as u32).map(move |i| Token { doc: self, i })
    }

    pub fn sentence_data(&self) -> &[SentenceData] {
        &self.sentences
    }

    pub fn sentence(&self, i: usize) -> Sentence<'_> {
        Sentence {
            doc: self,
            i: i as u32,
        }
    }

    pub fn sentences(&self) -> impl ExactSizeIterator<Item = Sentence<'_>> + '_ {
        (0..self.sentences.len() as u32).map(move |i| Sentence { doc: self, i })
    }

    /// The text a range covers.
    pub fn slice(&self, r: TextRange) -> &str {
        r.slice(&self.text)
    }

    // ---- tags, lemmas, parse --------------------------------------------------

    pub fn set_tags(&mut self, tags: Vec<(Upos, Xpos)>) -> Result<(), LayerError> {
        self.check_len("tags", tags.len())?;
        self.tags = tags;
        self.mark(Layers::TAGS);
        Ok(())
    }

    /// Set lemmas from an iterator over one lemma per token.
    pub fn set_lemmas<'a>(
        &mut self,
        lemmas: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), LayerError> {
        let mut buf = String::new();
        let mut ends = Vec::with_capacity(self.tokens.len());
        for l in lemmas {
            buf.push_str(l);
            ends.push(buf.len() as u32);
        }
        self.set_lemma_buffer(buf, ends)
    }

    /// Set lemmas already concatenated in `buf`; `ends[i]` is where token i's
    /// lemma ends (so the caller can fill it without a `String` per token).
    pub fn set_lemma_buffer(&mut self, buf: String, ends: Vec<u32>) -> Result<(), LayerError> {
        self.check_len("lemmas", ends.len())?;
        if ends.windows(2).any(|w| w[0] > w[1])
            || ends.last().is_some_and(|&e| e as usize != buf.len())
        {
            return Err(invalid(
                "lemmas",
                "lemma ends are not increasing to the buffer's end".into(),
            ));
        }
        let mut start = 0;
        for &e in &ends {
            if !buf.is_char_boundary(e as usize) || !buf.is_char_boundary(start) {
                return Err(invalid(
                    "lemmas",
                    format!("lemma end {e} splits a character"),
                ));
            }
            start = e as usize;
        }
        self.lemma_buf = buf;
        self.lemma_ends = ends;
        self.mark(Layers::LEMMAS);
        Ok(())
    }

    /// Set the parse: per token, its head as a document token index (or [`ROOT`])
    /// and relation. Heads must stay inside the token's sentence.
    pub fn set_parse(&mut self, heads: Vec<u32>, deprels: Vec<Deprel>) -> Result<(), LayerError> {
        self.check_len("parse", heads.len())?;
        self.check_len("parse", deprels.len())?;
        for s in &self.sentences {
            for i in s.tokens.0..s.tokens.1 {
                let h = heads[i as usize];
                if h != ROOT && !(s.tokens.0..s.tokens.1).contains(&h) {
                    return Err(invalid(
                        "parse",
                        format!("token {i} has head {h} outside its sentence"),
                    ));
                }
            }
        }
        self.heads = heads;
        self.deprels = deprels;
        self.mark(Layers::PARSE);
        Ok(())
    }

    fn check_len(&self, layer: &'static str, got: usize) -> Result<(), LayerError> {
        if got != self.tokens.len() {
            return Err(LayerError::Length {
                layer,
                got,
                expected: self.tokens.len(),
            });
        }
        Ok(())
    }
}

fn invalid(layer: &'static str, reason: String) -> LayerError {
    LayerError::Invalid { layer, reason }
}

/// FNV-1a 64-bit: stable across platforms and releases (ids must not change).
pub fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A token of a [`Doc`]: a cheap handle.
#[derive(Copy, Clone, Debug)]
pub struct Token<'a> {
    doc: &'a Doc,
    i: u32,
}

impl<'a> Token<'a> {
    pub fn index(self) -> usize {
        self.i as usize
    }

    pub fn range(self) -> TextRange {
        self.doc.tokens[self.i as usize]
    }

    pub fn text(self) -> &'a str {
        self.doc.tokens[self.i as usize].slice(&self.doc.text)
    }

    pub fn upos(self) -> Option<Upos> {
        self.doc.tags.get(self.i as usize).map(|t| t.0)
    }

    pub fn xpos(self) -> Option<Xpos> {
        self.doc.tags.get(self.i as usize).map(|t| t.1)
    }

    pub fn lemma(self) -> Option<&'a str> {
        let i = self.i as usize;
        let end = *self.doc.lemma_ends.get(i)? as usize;
        let start = if i == 0 {
            0
        } else {
            self.doc.lemma_ends[i - 1] as usize
        };
        Some(&self.doc.lemma_buf[start..end])
    }

    /// The head token, `None` for the root or when there is no parse.
    pub fn head(self) -> Option<Token<'a>> {
        match *self.doc.heads.get(self.i as usize)? {
            ROOT => None,
            h => Some(Token {
                doc: self.doc,
                i: h,
            }),
        }
    }

    pub fn deprel(self) -> Option<Deprel> {
        self.doc.deprels.get(self.i as usize).copied()
    }

    /// Whitespace follows the token in the text.
    pub fn space_after(self) -> bool {
        let end = self.range().end as usize;
        self.doc.text[end..]
            .chars()
            .next()
            .is_some_and(char::is_whitespace)
    }
}

/// A sentence of a [`Doc`]: a cheap handle.
#[derive(Copy, Clone, Debug)]
pub struct Sentence<'a> {
    doc: &'a Doc,
    i: u32,
}

impl<'a> Sentence<'a> {
    pub fn index(self) -> usize {
        self.i as usize
    }

    pub fn range(self) -> TextRange {
        self.doc.sentences[self.i as usize].range
    }

    pub fn text(self) -> &'a str {
        self.range().slice(&self.doc.text)
    }

    /// Token indices of this sentence.
    pub fn token_indices(self) -> Range<usize> {
        let (a, b) = self.doc.sentences[self.i as usize].tokens;
        a as usize..b as usize
    }

    pub fn tokens(self) -> impl ExactSizeIterator<Item = Token<'a>> {
        let doc = self.doc;
        self.token_indices()
            .map(move |i| Token { doc, i: i as u32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with(text: &str, toks: &[(usize, usize)]) -> Doc {
        let mut d = Doc::new(text, DocMeta::default());
        d.set_tokens(toks.iter().map(|&(a, b)| TextRange::new(a, b)).collect())
            .unwrap();
        d
    }

    #[test]
    fn tokens_sentences_and_lemmas() {
        let mut d = doc_with(
            "Kerry met Putin. He left.",
            &[
                (0, 5),
                (6, 9),
                (10, 15),
                (15, 16),
                (17, 19),
                (20, 24),
                (24, 25),
            ],
        );
        d.set_sentences(&[0..4, 4..7]).unwrap();
        assert_eq!(d.sentence(1).text(), "He left.");
        assert_eq!(
            d.sentence(0).tokens().map(|t| t.text()).collect::<Vec<_>>(),
            ["Kerry", "met", "Putin", "."]
        );
        d.set_lemmas(["Kerry", "meet", "Putin", ".", "he", "leave", "."])
            .unwrap();
        assert_eq!(d.token(1).lemma(), Some("meet"));
        assert_eq!(d.token(0).lemma(), Some("Kerry"));
        assert!(d.token(0).space_after());
        assert!(!d.token(2).space_after());
        assert!(d.has(Layers::TOKENS | Layers::SENTENCES | Layers::LEMMAS));
        assert!(!d.has(Layers::TAGS));
    }

    #[test]
    fn rejects_inconsistent_layers() {
        let mut d = Doc::new("a b", DocMeta::default());
        assert!(d
            .set_tokens(vec![TextRange::new(0, 2), TextRange::new(1, 3)])
            .is_err());
        let mut d = doc_with("a b", &[(0, 1), (2, 3)]);
        assert!(d.set_sentences(std::slice::from_ref(&(0..1))).is_err());
        assert!(d.set_tags(vec![(Upos::X, Xpos::Xx)]).is_err());
        d.set_sentences(&[0..1, 1..2]).unwrap();
        assert!(d
            .set_parse(vec![ROOT, 0], vec![Deprel::Root, Deprel::Dep])
            .is_err());
        let d2 = doc_with("é", &[(0, 2)]);
        assert_eq!(d2.len(), 1);
        let mut d3 = Doc::new("é", DocMeta::default());
        assert!(d3.set_tokens(vec![TextRange::new(0, 1)]).is_err());
    }

    #[test]
    fn id_falls_back_to_stable_hash() {
        let a = Article {
            text: "Some text.".into(),
            ..Article::default()
        };
        let d = Doc::from_article(a.clone(), Some("2015-05-12"));
        assert_eq!(d.meta.id, format!("doc-{:016x}", stable_hash("Some text.")));
        assert_eq!(d.meta.published.as_deref(), Some("2015-05-12"));
        assert_eq!(Doc::from_article(a, None).meta.id, d.meta.id);
    }
}
