//! Tokenizer and sentence splitter: turns an article's text into UD English tokens and sentences.
//!
//! [`tokenize`] cuts text into surface tokens (byte ranges, as the UD English
//! treebanks tokenize: "don't" and "Bush's" stay one token, punctuation is split
//! off, "U.S." keeps its period); [`split_sentences`] groups those tokens into
//! sentences (ranges of token indices); [`split_words`] divides contractions into
//! the syntactic words UD models are trained on ("ca" + "n't"). [`eval`] scores
//! all of it against a CoNLL-U treebank. [`detect_language`] guesses, cheaply,
//! when a text is not English, so that it can be marked rather than mangled.
//!
//! ```
//! use newsgraph_text::{split_sentences, tokenize};
//!
//! let text = "Kerry met Putin in Sochi. \"It was frank,\" he said.\n\nU.S. officials didn't comment.";
//! let tokens = tokenize(text);
//! let sentences = split_sentences(text, &tokens);
//! let first: Vec<&str> = tokens[sentences[0].start as usize..sentences[0].end as usize]
//!     .iter()
//!     .map(|t| t.slice(text))
//!     .collect();
//! assert_eq!(first, ["Kerry", "met", "Putin", "in", "Sochi", "."]);
//! assert_eq!(sentences.len(), 3);
//! assert_eq!(tokens[sentences[2].start as usize].slice(text), "U.S.");
//! ```

mod abbrev;
pub mod eval;
mod lang;
mod sentence;
mod tokenize;
mod words;

pub use lang::{detect_language, Language};
pub use sentence::{
    max_sentence_tokens, set_max_sentence_tokens, split_sentences, DEFAULT_MAX_SENTENCE_TOKENS,
};
pub use tokenize::{tokenize, tokenize_into};
pub use words::{clitic_split, split_words, WordRange};
