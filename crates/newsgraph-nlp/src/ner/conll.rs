//! Reader for CoNLL-2003-style NER column files (IOB1 or BIO tags), grouped into documents.
//!
//! Columns are separated by whitespace; the first is the word and the last
//! the entity tag. Blank lines end sentences and `-DOCSTART-` lines start
//! documents. Files without `-DOCSTART-` lines are split into documents at
//! their datelines (a short line such as `BRUSSELS 1996-08-22`, whose
//! preceding line is the headline), so that document-level features keep
//! roughly their scope.

use thiserror::Error;

use super::{EntityLabel, EntitySpan};

/// A line of a column file that could not be read.
#[derive(Debug, Error)]
#[error("CoNLL file line {line}: {message}")]
pub struct ConllError {
    pub line: usize,
    pub message: String,
}

/// A sentence with its gold entity spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConllSentence {
    pub words: Vec<String>,
    /// Invariant: sorted, non-overlapping.
    pub spans: Vec<EntitySpan>,
}

impl ConllSentence {
    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// A document: the sentences between two `-DOCSTART-` lines (or datelines).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConllDoc {
    pub sentences: Vec<ConllSentence>,
}

impl ConllDoc {
    pub fn n_tokens(&self) -> usize {
        self.sentences.iter().map(|s| s.words.len()).sum()
    }
}

fn parse_tag(tag: &str) -> Option<(char, Option<EntityLabel>)> {
    if tag == "O" {
        return Some(('O', None));
    }
    let (prefix, ty) = tag.split_once('-')?;
    let prefix = match prefix {
        "B" | "I" | "E" | "S" | "L" | "U" => prefix.chars().next()?,
        _ => return None,
    };
    Some((prefix, Some(EntityLabel::parse(ty)?)))
}

/// Turn per-token tags into spans. Works for IOB1 (`I-` starts a span unless it
/// continues one of the same type; `B-` separates adjacent spans of the same type),
/// BIO/IOB2 and BILOU/BIOES alike, with conlleval's chunk semantics.
pub fn tags_to_spans(tags: &[(char, Option<EntityLabel>)]) -> Vec<EntitySpan> {
    let mut spans: Vec<EntitySpan> = Vec::new();
    let mut open: Option<EntitySpan> = None;
    for (i, &(prefix, label)) in tags.iter().enumerate() {
        let continues = matches!(
            (&open, prefix, label),
            (Some(s), 'I' | 'L' | 'E', Some(l)) if s.label == l
        );
        if continues {
            if let Some(s) = &mut open {
                s.end = i + 1;
            }
        } else {
            spans.extend(open.take());
            if let Some(label) = label {
                open = Some(EntitySpan {
                    start: i,
                    end: i + 1,
                    label,
                });
            }
        }
        if matches!(prefix, 'L' | 'E' | 'U' | 'S') {
            spans.extend(open.take());
        }
    }
    spans.extend(open);
    spans
}

fn is_dateline(words: &[String]) -> bool {
    let Some(last) = words.last() else {
        return false;
    };
    let b = last.as_bytes();
    let date = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    date && words.len() <= 8
}

/// Read a column file into documents.
pub fn read_conll(text: &str) -> Result<Vec<ConllDoc>, ConllError> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut has_docstart = false;
    let mut cur = ConllDoc::default();
    let mut words: Vec<String> = Vec::new();
    let mut tags: Vec<(char, Option<EntityLabel>)> = Vec::new();
    let flush_sentence = |cur: &mut ConllDoc,
                          words: &mut Vec<String>,
                          tags: &mut Vec<(char, Option<EntityLabel>)>| {
        if !words.is_empty() {
            cur.sentences.push(ConllSentence {
                words: std::mem::take(words),
                spans: tags_to_spans(tags),
            });
            tags.clear();
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let mut cols = line.split_whitespace();
        let Some(word) = cols.next() else {
            flush_sentence(&mut cur, &mut words, &mut tags);
            continue;
        };
        if word == "-DOCSTART-" {
            has_docstart = true;
            flush_sentence(&mut cur, &mut words, &mut tags);
            if !cur.sentences.is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let tag = cols.last().ok_or_else(|| ConllError {
            line: n + 1,
            message: format!("expected a word and a tag column: `{line}`"),
        })?;
        let parsed = parse_tag(tag).ok_or_else(|| ConllError {
            line: n + 1,
            message: format!(
                "unknown entity tag `{tag}` (expected O, B-X or I-X with X in PER, ORG, LOC, MISC)"
            ),
        })?;
        words.push(word.to_string());
        tags.push(parsed);
    }
    flush_sentence(&mut cur, &mut words, &mut tags);
    if !cur.sentences.is_empty() {
        docs.push(cur);
    }
    if has_docstart {
        return Ok(docs);
    }
    // No document markers: split at datelines; the headline before a dateline opens the document.
    let sentences: Vec<ConllSentence> = docs.into_iter().flat_map(|d| d.sentences).collect();
    let mut starts = vec![0usize];
    for (i, sentence) in sentences.iter().enumerate().skip(1) {
        if is_dateline(&sentence.words) {
            let s = i - 1;
            if s > *starts.last().expect("non-empty") {
                starts.push(s);
            }
        }
    }
    starts.push(sentences.len());
    let mut out = Vec::with_capacity(starts.len());
    let mut it = sentences.into_iter();
    for w in starts.windows(2) {
        let doc = ConllDoc {
            sentences: it.by_ref().take(w[1] - w[0]).collect(),
        };
        if !doc.sentences.is_empty() {
            out.push(doc);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityLabel::*;

    fn span(start: usize, end: usize, label: EntityLabel) -> EntitySpan {
        EntitySpan { start, end, label }
    }

    #[test]
    fn iob1_and_bio_give_the_same_spans() {
        // "U.N. official Ekeus heads for Baghdad ." in IOB1, with two adjacent PER spans.
        let iob1 = "-DOCSTART- -X- O O\n\nU.N. NNP I-NP I-ORG\nofficial NN I-NP O\n\
                    Ekeus NNP I-NP I-PER\nSmith NNP I-NP I-PER\nJones NNP I-NP B-PER\n\
                    heads VBZ I-VP O\nfor IN I-PP O\nBaghdad NNP I-NP I-LOC\n. . O O\n\n\
                    -DOCSTART- -X- O O\n\nNew I-LOC\nYork I-LOC\n";
        let bio = "U.N. B-ORG\nofficial O\nEkeus B-PER\nSmith I-PER\nJones B-PER\n\
                   heads O\nfor O\nBaghdad B-LOC\n. O\n";
        let a = read_conll(iob1).unwrap();
        let b = read_conll(bio).unwrap();
        assert_eq!(a.len(), 2, "two documents");
        let want = vec![
            span(0, 1, Org),
            span(2, 4, Per),
            span(4, 5, Per),
            span(7, 8, Loc),
        ];
        assert_eq!(a[0].sentences[0].spans, want);
        assert_eq!(b[0].sentences[0].spans, want);
        assert_eq!(a[1].sentences[0].spans, vec![span(0, 2, Loc)]);
        assert_eq!(a[0].sentences[0].words[2], "Ekeus");
        assert_eq!(a[0].n_tokens(), 9);
    }

    #[test]
    fn bio_i_after_other_type_starts_a_span() {
        let tags = [
            ('B', Some(Per)),
            ('I', Some(Org)),
            ('O', None),
            ('I', Some(Loc)),
        ];
        assert_eq!(
            tags_to_spans(&tags),
            vec![span(0, 1, Per), span(1, 2, Org), span(3, 4, Loc)]
        );
    }

    #[test]
    fn files_without_docstart_split_at_datelines() {
        let text = "EU B-ORG\nrejects O\n\nBRUSSELS B-LOC\n1996-08-22 O\n\nThe O\nend O\n\n\
                    Headline O\n\nLONDON B-LOC\n1996-08-22 O\n\nText O\n";
        let docs = read_conll(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 3);
        assert_eq!(docs[1].sentences[0].words, vec!["Headline"]);
    }

    #[test]
    fn bad_tags_name_the_line() {
        let err = read_conll("a O\nb B-FOO\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().contains("B-FOO"));
        assert!(read_conll("lonely\n").is_err());
    }
}
