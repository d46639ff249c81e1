//! Scoring the tokenizer and sentence splitter against a CoNLL-U treebank.
//!
//! As in the CoNLL 2018 shared task: the raw text is rebuilt from the `# text =`
//! lines (sentences of a paragraph joined by a space, paragraphs and documents
//! by a blank line), gold surface tokens and sentences are aligned to byte spans
//! of that text, and a prediction is correct when its span equals a gold span.

use std::time::Instant;

use newsgraph_core::conllu::{self, ConlluError};
use newsgraph_core::TextRange;
use serde::Serialize;

/// Token and sentence scores, and the speed of tokenize + split on the rebuilt text.
#[derive(Debug, Clone, Serialize)]
pub struct TokenizeEval {
    pub tokens: Prf,
    pub sentences: Prf,
    pub tokens_per_sec: f64,
}

/// Precision, recall and F1, as fractions in 0..1.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    /// From counts of correct, predicted and gold items.
    pub fn from_counts(correct: usize, predicted: usize, gold: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(correct, predicted);
        let recall = ratio(correct, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// The raw text rebuilt from a treebank, with its gold tokens and sentences as byte spans.
#[derive(Debug, Clone, Default)]
pub struct Gold {
    pub text: String,
    /// Invariant: sorted, non-overlapping.
    pub tokens: Vec<TextRange>,
    /// Gold surface tokens that could not be found in the text (their form differs).
    pub unaligned_tokens: usize,
    /// Invariant: sorted, non-overlapping.
    pub sentences: Vec<TextRange>,
}

impl Gold {
    /// Rebuild the raw text of a CoNLL-U document and align its gold spans.
    pub fn from_conllu(input: &str) -> Result<Gold, ConlluError> {
        let sentences = conllu::parse(input)?;
        let mut gold = Gold::default();
        for (k, s) in sentences.iter().enumerate() {
            if k > 0 {
                gold.text.push_str(if s.newpar { "\n\n" } else { " " });
            }
            let start = gold.text.len();
            let surface = s.surface_tokens();
            match &s.text {
                Some(t) => gold.text.push_str(t),
                None => {
                    for (j, (form, _, last)) in surface.iter().enumerate() {
                        gold.text.push_str(form);
                        if j + 1 < surface.len() && s.space_after(*last) {
                            gold.text.push(' ');
                        }
                    }
                }
            }
            let end = gold.text.len();
            gold.sentences.push(TextRange::new(start, end));
            // Align surface forms left to right within the sentence.
            let mut pos = start;
            for (form, _, _) in surface {
                let rest = &gold.text[pos..end];
                let skipped = rest.len() - rest.trim_start().len();
                let at = pos + skipped;
                if gold.text[at..end].starts_with(form) {
                    gold.tokens.push(TextRange::new(at, at + form.len()));
                    pos = at + form.len();
                } else if let Some(off) = gold.text[at..end].find(form) {
                    gold.tokens
                        .push(TextRange::new(at + off, at + off + form.len()));
                    pos = at + off + form.len();
                } else {
                    gold.unaligned_tokens += 1;
                }
            }
        }
        Ok(gold)
    }

    /// Number of gold surface tokens, aligned or not.
    pub fn token_count(&self) -> usize {
        self.tokens.len() + self.unaligned_tokens
    }
}

/// Predicted tokens and sentences (as byte spans) for `text`.
pub fn predict(text: &str) -> (Vec<TextRange>, Vec<TextRange>) {
    let tokens = crate::tokenize(text);
    let sentences = crate::split_sentences(text, &tokens)
        .into_iter()
        .map(|r| TextRange {
            start: tokens[r.start as usize].start,
            end: tokens[r.end as usize - 1].end,
        })
        .collect();
    (tokens, sentences)
}

/// Number of spans present in both sorted lists.
pub fn matching(a: &[TextRange], b: &[TextRange]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Score tokenizer + splitter against a CoNLL-U file's contents, as
/// `newsgraph eval tokenize` prints it.
pub fn evaluate(conllu: &str) -> Result<TokenizeEval, ConlluError> {
    let gold = Gold::from_conllu(conllu)?;
    let (tokens, sentences) = predict(&gold.text);

    // Speed: best of a few runs of tokenize + split with reused buffers.
    let mut best = f64::INFINITY;
    let mut buf = Vec::with_capacity(tokens.len());
    for _ in 0..5 {
        buf.clear();
        let t0 = Instant::now();
        crate::tokenize_into(&gold.text, &mut buf);
        let s = crate::split_sentences(&gold.text, &buf);
        std::hint::black_box(&s);
        best = best.min(t0.elapsed().as_secs_f64());
    }
    let tokens_per_sec = gold.token_count() as f64 / best.max(1e-9);

    Ok(TokenizeEval {
        tokens: Prf::from_counts(
            matching(&tokens, &gold.tokens),
            tokens.len(),
            gold.token_count(),
        ),
        sentences: Prf::from_counts(
            matching(&sentences, &gold.sentences),
            sentences.len(),
            gold.sentences.len(),
        ),
        tokens_per_sec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar\n# text = I don't know.\n\
1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t2\txcomp\t_\tSpaceAfter=No\n\
5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n\
# text = Yes.\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n\
# newpar\n# text = Bye\n1\tBye\tbye\tINTJ\tUH\t_\t0\troot\t_\t_\n";

    #[test]
    fn rebuilds_text_and_scores() {
        let gold = Gold::from_conllu(SAMPLE).unwrap();
        assert_eq!(gold.text, "I don't know. Yes.\n\nBye");
        assert_eq!(gold.sentences.len(), 3);
        let eval = evaluate(SAMPLE).unwrap();
        assert!(eval.sentences.f1 > 0.99, "{eval:?}");
        assert_eq!(eval.tokens.f1, 1.0, "{eval:?}");
        let json = serde_json::to_string(&eval).unwrap();
        assert!(
            json.starts_with(
                r#"{"tokens":{"precision":1.0,"recall":1.0,"f1":1.0},"sentences":{"precision":"#
            ),
            "{json}"
        );
        assert!(json.contains(r#"},"tokens_per_sec":"#), "{json}");
    }

    #[test]
    fn prf_counts() {
        let p = Prf::from_counts(8, 10, 16);
        assert!((p.precision - 0.8).abs() < 1e-12 && (p.recall - 0.5).abs() < 1e-12);
        assert_eq!(Prf::from_counts(0, 0, 0).f1, 0.0);
    }
}
