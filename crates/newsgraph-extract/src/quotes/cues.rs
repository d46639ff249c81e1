//! The speech-cue lexicon (`lexicons/speech_cues.txt`): verbs, nouns and
//! multiword expressions that introduce quotations and reported speech.

use std::collections::HashMap;
use std::sync::OnceLock;

/// What a cue word can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// Reports speech and may take a reported clause ("said that ...").
    Report,
    /// Introduces a direct quote only ("she asked", "he continued").
    Quote,
    /// Frames a quoted word or phrase ("called the plan “reckless”").
    Frame,
    /// A noun naming an utterance ("in a statement").
    Noun,
}

/// The lexicon: lemmas and inflected forms to their cue kind, plus multiword cues.
#[derive(Debug, Default)]
pub struct Cues {
    verbs: HashMap<String, CueKind>,
    forms: HashMap<String, CueKind>,
    nouns: HashMap<String, ()>,
    /// Multiword cues as lowercase word sequences ("according", "to").
    pub multi: Vec<Vec<String>>,
}

/// Nouns for documents that speak for whoever issued them, beside the
/// speech nouns of the lexicon: "according to a police report".
const DOCUMENT_NOUNS: &[&str] = &[
    "report",
    "document",
    "letter",
    "notice",
    "memo",
    "bulletin",
    "filing",
    "release",
    "estimate",
    "tally",
    "count",
    "figure",
    "data",
    "record",
    "assessment",
];

impl Cues {
    /// Parse the lexicon format (see the file's header). Unknown kinds are an error
    /// naming the line, so a typo in the shipped file fails the tests.
    pub fn parse(src: &str) -> Result<Cues, String> {
        let mut cues = Cues::default();
        for (n, line) in src.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let kind = words.next().unwrap_or_default();
            let Some(lemma) = words.next() else {
                return Err(format!("line {}: a cue needs a lemma: {line:?}", n + 1));
            };
            let lemma = lemma.to_lowercase();
            let verb_kind = match kind {
                "verb" => Some(CueKind::Report),
                "quote" => Some(CueKind::Quote),
                "frame" => Some(CueKind::Frame),
                "noun" | "multi" => None,
                _ => return Err(format!("line {}: unknown cue kind {kind:?}", n + 1)),
            };
            match (kind, verb_kind) {
                (_, Some(k)) => {
                    // A verb listed as both report and frame ("describe") keeps the stronger use.
                    let e = cues.verbs.entry(lemma.clone()).or_insert(k);
                    if k == CueKind::Report {
                        *e = k;
                    }
                    for f in std::iter::once(lemma.as_str()).chain(words) {
                        let e = cues.forms.entry(f.to_lowercase()).or_insert(k);
                        if k == CueKind::Report {
                            *e = k;
                        }
                    }
                }
                ("noun", None) => {
                    for f in std::iter::once(lemma.as_str()).chain(words) {
                        cues.nouns.insert(f.to_lowercase().replace('_', " "), ());
                    }
                }
                _ => cues
                    .multi
                    .push(lemma.split('_').map(str::to_string).collect()),
            }
        }
        Ok(cues)
    }

    /// The lexicon shipped with the crate.
    pub fn builtin() -> &'static Cues {
        static CUES: OnceLock<Cues> = OnceLock::new();
        CUES.get_or_init(|| {
            Cues::parse(include_str!("../../lexicons/speech_cues.txt"))
                .expect("lexicons/speech_cues.txt is valid (checked by the tests)")
        })
    }

    /// The cue kind of a verb, by lemma first, then by its lowercase form.
    pub fn verb(&self, lemma: Option<&str>, lower_form: &str) -> Option<CueKind> {
        lemma
            .and_then(|l| {
                self.verbs
                    .get(l)
                    .or_else(|| self.verbs.get(&l.to_lowercase()))
            })
            .or_else(|| self.forms.get(lower_form))
            .copied()
    }

    /// Whether a lowercase word (or lemma) names an utterance.
    pub fn noun(&self, lower: &str) -> bool {
        self.nouns.contains_key(lower)
    }

    /// Whether a noun (lowercased form, lemma) names a statement or a
    /// document, which speaks for whoever issued it: a speech noun, or a
    /// report, letter, tally ...
    pub fn document(&self, lower: &str, lemma: &str) -> bool {
        self.noun(lower) || DOCUMENT_NOUNS.contains(&lemma)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicon_parses() {
        let c = Cues::parse(include_str!("../../lexicons/speech_cues.txt")).unwrap();
        assert_eq!(c.verb(Some("say"), "said"), Some(CueKind::Report));
        assert_eq!(c.verb(None, "told"), Some(CueKind::Report));
        assert_eq!(c.verb(Some("continue"), "continued"), Some(CueKind::Quote));
        assert_eq!(c.verb(Some("call"), "called"), Some(CueKind::Frame));
        assert_eq!(c.verb(Some("eat"), "ate"), None);
        assert!(c.noun("statement"));
        assert!(c
            .multi
            .contains(&vec!["according".to_string(), "to".to_string()]));
    }

    #[test]
    fn bad_kind_names_the_line() {
        let e = Cues::parse("# c\nverb say\nverbb tell\n").unwrap_err();
        assert!(e.contains("line 3"), "{e}");
    }
}
