//! Splitting surface tokens into UD syntactic words ("can't" → "ca" + "n't").
//!
//! UD English annotates contractions and possessives as multi-word tokens whose
//! words concatenate to the surface form, so every word is a byte range inside
//! its token and models trained on UD words see the same pieces.

use newsgraph_core::TextRange;

/// A syntactic word: its byte range and the index of the surface token it is part of.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WordRange {
    pub range: TextRange,
    pub token: u32,
}

/// The syntactic words of `tokens` (from [`crate::tokenize`]), in order: one word
/// per token, or two for a contraction ("don't" → "do" + "n't", "Bush's" →
/// "Bush" + "'s", "cannot" → "can" + "not", "gonna" → "gon" + "na",
/// "leaders'" → "leaders" + "'").
///
/// ```
/// let text = "They can't go.";
/// let tokens = newsgraph_text::tokenize(text);
/// let words: Vec<&str> = newsgraph_text::split_words(text, &tokens)
///     .iter()
///     .map(|w| w.range.slice(text))
///     .collect();
/// assert_eq!(words, ["They", "ca", "n't", "go", "."]);
/// ```
pub fn split_words(text: &str, tokens: &[TextRange]) -> Vec<WordRange> {
    let mut out = Vec::with_capacity(tokens.len() + tokens.len() / 32);
    for (k, &t) in tokens.iter().enumerate() {
        let token = k as u32;
        match clitic_split(t.slice(text)) {
            Some(at) => {
                let mid = t.start + at as u32;
                out.push(WordRange {
                    range: TextRange {
                        start: t.start,
                        end: mid,
                    },
                    token,
                });
                out.push(WordRange {
                    range: TextRange {
                        start: mid,
                        end: t.end,
                    },
                    token,
                });
            }
            None => out.push(WordRange { range: t, token }),
        }
    }
    out
}

/// Byte offset inside `tok` where its second word starts, if it is a contraction.
pub fn clitic_split(tok: &str) -> Option<usize> {
    let b = tok.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_alphanumeric() && b[0] < 0x80 {
        return None;
    }
    let lower_ends = |suffix: &str| {
        b.len() > suffix.len()
            && b[b.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    // n't / n’t: "don't" → "do" + "n't".
    for suffix in ["n't", "n’t"] {
        if lower_ends(suffix) {
            let at = b.len() - suffix.len();
            return (at > 0).then_some(at);
        }
    }
    for apostrophe in ["'", "’"] {
        for clitic in ["s", "re", "ve", "ll", "d", "m"] {
            let n = apostrophe.len() + clitic.len();
            if b.len() > n
                && b[b.len() - n..].starts_with(apostrophe.as_bytes())
                && b[b.len() - clitic.len()..].eq_ignore_ascii_case(clitic.as_bytes())
            {
                return Some(b.len() - n);
            }
        }
        // Plural possessive: "leaders'" → "leaders" + "'".
        if b.len() > apostrophe.len() + 1
            && b.ends_with(apostrophe.as_bytes())
            && matches!(b[b.len() - apostrophe.len() - 1], b's' | b'S')
        {
            return Some(b.len() - apostrophe.len());
        }
    }
    const WHOLE: &[(&str, usize)] = &[
        ("cannot", 3),
        ("gonna", 3),
        ("wanna", 3),
        ("gotta", 3),
        ("outta", 3),
        ("dont", 2),
        ("didnt", 3),
        ("doesnt", 4),
        ("cant", 2),
        ("wont", 2),
        ("isnt", 2),
        ("wasnt", 3),
        ("arent", 3),
        ("werent", 4),
        ("couldnt", 5),
        ("wouldnt", 5),
        ("shouldnt", 6),
        ("hasnt", 3),
        ("havent", 4),
        ("hadnt", 3),
        ("aint", 2),
    ];
    WHOLE
        .iter()
        .find(|(w, _)| w.as_bytes().eq_ignore_ascii_case(b))
        .map(|&(_, at)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let tokens = crate::tokenize(text);
        split_words(text, &tokens)
            .iter()
            .map(|w| w.range.slice(text))
            .collect()
    }

    #[test]
    fn each_clitic() {
        assert_eq!(words("can't"), ["ca", "n't"]);
        assert_eq!(words("won't"), ["wo", "n't"]);
        assert_eq!(words("DON'T"), ["DO", "N'T"]);
        assert_eq!(words("didn’t"), ["did", "n’t"]);
        assert_eq!(words("Putin's"), ["Putin", "'s"]);
        assert_eq!(
            words("they're we've I'll she'd I'm"),
            ["they", "'re", "we", "'ve", "I", "'ll", "she", "'d", "I", "'m"]
        );
        assert_eq!(words("cannot gonna"), ["can", "not", "gon", "na"]);
        assert_eq!(words("leaders' talks"), ["leaders", "'", "talks"]);
        assert_eq!(words("o'clock L'Enfant"), ["o'clock", "L'Enfant"]);
        assert_eq!(words("'s"), ["'s"]);
    }
}
