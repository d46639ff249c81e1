//! Tokenizer and sentence splitter: Article -> Doc with tokens and sentences.
