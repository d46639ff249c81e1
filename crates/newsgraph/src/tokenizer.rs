//! The tokenizer and sentence splitter of `newsgraph-text` as a pipeline component.

use newsgraph_core::{Component, ComponentError, Doc, Layers};

/// Assigns tokens and sentences.
///
/// The `Doc`'s tokens are UD *syntactic words*: surface tokens from
/// `newsgraph_text::tokenize`, with contractions divided by
/// `newsgraph_text::split_words` ("don't" → "do" + "n't", "Putin's" → "Putin" +
/// "'s"), because that is what the tagger and parser are trained on. Every word
/// is a byte range inside its surface token, so spans still slice the text.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tokenizer;

impl Component for Tokenizer {
    fn name(&self) -> &str {
        "tokenizer"
    }

    fn requires(&self) -> Layers {
        Layers::NONE
    }

    fn assigns(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        let text = doc.text();
        let tokens = newsgraph_text::tokenize(text);
        let sentences = newsgraph_text::split_sentences(text, &tokens);
        let words = newsgraph_text::split_words(text, &tokens);
        // first_word[t] = index of the first word of surface token t; words are in token order.
        let mut first_word = Vec::with_capacity(tokens.len() + 1);
        for (i, w) in words.iter().enumerate() {
            if first_word.len() == w.token as usize {
                first_word.push(i as u32);
            }
        }
        first_word.push(words.len() as u32);
        let sentences: Vec<_> = sentences
            .iter()
            .map(|s| first_word[s.start as usize]..first_word[s.end as usize])
            .collect();
        let ranges = words.into_iter().map(|w| w.range).collect();
        doc.set_tokens(ranges)
            .map_err(|e| ComponentError::layer(self.name(), e))?;
        doc.set_sentences(&sentences)
            .map_err(|e| ComponentError::layer(self.name(), e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_core::DocMeta;

    #[test]
    fn contractions_become_words_and_sentences_follow() {
        let mut doc = Doc::new(
            "Kerry didn't go. Putin's aide can't say.",
            DocMeta::default(),
        );
        Tokenizer.annotate(&mut doc).unwrap();
        let words: Vec<&str> = doc.tokens().map(|t| t.text()).collect();
        assert_eq!(
            words,
            ["Kerry", "did", "n't", "go", ".", "Putin", "'s", "aide", "ca", "n't", "say", "."]
        );
        let s: Vec<usize> = doc.sentences().map(|s| s.token_indices().len()).collect();
        assert_eq!(s, [5, 7]);
    }
}
