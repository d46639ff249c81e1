//! Trained components: tagger, lemmatizer, dependency parser.
