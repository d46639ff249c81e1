//! The tagger and lemmatizer of `newsgraph-nlp` as a pipeline component.

use newsgraph_core::{Component, ComponentError, Doc, Layers};
use newsgraph_nlp::Tagger;

/// Assigns UPOS/XPOS tags and lemmas, one sentence at a time (a wire
/// dateline apart from the lead it opens).
#[derive(Debug)]
pub struct TaggerComponent {
    tagger: Tagger,
}

impl TaggerComponent {
    pub fn new(tagger: Tagger) -> Self {
        TaggerComponent { tagger }
    }
}

impl Component for TaggerComponent {
    fn name(&self) -> &str {
        "tagger"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES
    }

    fn assigns(&self) -> Layers {
        Layers::TAGS | Layers::LEMMAS
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        let mut tags = Vec::with_capacity(doc.len());
        let mut sentence_tags = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for u in crate::units::units(doc) {
            words.clear();
            words.extend(u.tokens.map(|i| doc.token(i).text()));
            self.tagger.tag(&words, &mut sentence_tags);
            tags.extend_from_slice(&sentence_tags);
        }
        let lemmatizer = self.tagger.lemmatizer();
        let mut buf = String::with_capacity(doc.text().len());
        let mut ends = Vec::with_capacity(doc.len());
        for (t, &(upos, xpos)) in doc.tokens().zip(&tags) {
            buf.push_str(&lemmatizer.lemma(t.text(), upos, xpos));
            ends.push(buf.len() as u32);
        }
        doc.set_lemma_buffer(buf, ends)
            .map_err(|e| ComponentError::layer("tagger", e))?;
        doc.set_tags(tags)
            .map_err(|e| ComponentError::layer("tagger", e))?;
        Ok(())
    }
}
