//! A reader for CoNLL-U, the Universal Dependencies treebank format.
//!
//! Parses from a string (no I/O): comments and metadata (`# text =`,
//! `# newdoc`, `# newpar`, `# sent_id`, `# meta::...`), word lines,
//! multi-word token lines (`3-4`) and empty nodes (`8.1`, skipped but counted).

use thiserror::Error;

/// One syntactic word of a sentence (a line whose ID is an integer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// 1-based index within the sentence.
    pub id: u32,
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 for the root; `None` when the column is `_`.
    pub head: Option<u32>,
    pub deprel: String,
    pub misc: String,
}

/// A multi-word token line (`3-4  don't`): a surface token spanning words `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiwordToken {
    pub first: u32,
    pub last: u32,
    pub form: String,
    pub misc: String,
}

/// One sentence with its comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based line number of the sentence's first line in the input.
    pub line: usize,
    pub sent_id: Option<String>,
    /// The `# text =` line.
    pub text: Option<String>,
    /// `# newdoc` seen before this sentence (with its id, if any, in `doc_id`).
    pub newdoc: bool,
    pub doc_id: Option<String>,
    /// `# newpar` seen before this sentence.
    pub newpar: bool,
    /// Every comment line, without the leading `#` and surrounding spaces.
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub multiword: Vec<MultiwordToken>,
    /// Empty nodes (`8.1`) skipped.
    pub empty_nodes: usize,
}

impl Sentence {
    /// The value of a `# key = value` comment.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    /// Surface tokens: each multi-word token once, other words as themselves.
    /// Yields `(form, first_word_index, last_word_index)` with 0-based word indices.
    pub fn surface_tokens(&self) -> Vec<(&str, usize, usize)> {
        let mut out = Vec::with_capacity(self.words.len());
        let mut mw = self.multiword.iter().peekable();
        let mut i = 0;
        while i < self.words.len() {
            let id = self.words[i].id;
            if let Some(m) = mw.peek() {
                if m.first == id {
                    let last = (m.last - 1) as usize;
                    out.push((m.form.as_str(), i, last.min(self.words.len() - 1)));
                    i = last + 1;
                    mw.next();
                    continue;
                }
            }
            out.push((self.words[i].form.as_str(), i, i));
            i += 1;
        }
        out
    }

    /// Whether the surface token ending with word `i` (0-based) is followed by a space,
    /// from `SpaceAfter=No` in the MISC column of the word or its multi-word token.
    pub fn space_after(&self, i: usize) -> bool {
        let id = self.words[i].id;
        if let Some(m) = self.multiword.iter().find(|m| m.last == id) {
            return !m.misc.split('|').any(|f| f == "SpaceAfter=No");
        }
        !self.words[i].misc.split('|').any(|f| f == "SpaceAfter=No")
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConlluError {
    #[error("line {line}: expected 10 tab-separated columns, found {found}")]
    Columns { line: usize, found: usize },
    #[error("line {line}: bad ID `{id}`")]
    BadId { line: usize, id: String },
    #[error("line {line}: bad HEAD `{head}`")]
    BadHead { line: usize, head: String },
}

/// Parse a whole CoNLL-U document into sentences.
pub fn parse(input: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut started = false;
    for (n, line) in input.lines().enumerate() {
        let lineno = n + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            started = false;
            continue;
        }
        if !started {
            cur.line = lineno;
            started = true;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if c.starts_with("newdoc") {
                cur.newdoc = true;
                cur.newpar = true;
                if let Some((_, v)) = c.split_once('=') {
                    cur.doc_id = Some(v.trim().to_string());
                }
            } else if c.starts_with("newpar") {
                cur.newpar = true;
            } else if let Some((k, v)) = c.split_once('=') {
                match k.trim() {
                    "text" => cur.text = Some(v.trim().to_string()),
                    "sent_id" => cur.sent_id = Some(v.trim().to_string()),
                    _ => {}
                }
            }
            cur.comments.push(c.to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(ConlluError::Columns {
                line: lineno,
                found: cols.len(),
            });
        }
        let id = cols[0];
        if id.contains('.') {
            cur.empty_nodes += 1;
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let bad = || ConlluError::BadId {
                line: lineno,
                id: id.to_string(),
            };
            let first = a.parse().map_err(|_| bad())?;
            let last = b.parse().map_err(|_| bad())?;
            cur.multiword.push(MultiwordToken {
                first,
                last,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        let id: u32 = id.parse().map_err(|_| ConlluError::BadId {
            line: lineno,
            id: id.to_string(),
        })?;
        let head = match cols[6] {
            "_" => None,
            h => Some(h.parse().map_err(|_| ConlluError::BadHead {
                line: lineno,
                head: h.to_string(),
            })?),
        };
        cur.words.push(Word {
            id,
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# sent_id = s1\n# newpar\n# text = I don't know.\n\
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t4:conj\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n\
# text = Yes.\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n";

    #[test]
    fn parses_comments_multiword_and_empty_nodes() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 2);
        assert!(s[0].newdoc && s[0].newpar);
        assert_eq!(s[0].doc_id.as_deref(), Some("d1"));
        assert_eq!(s[0].text.as_deref(), Some("I don't know."));
        assert_eq!(s[0].words.len(), 5);
        assert_eq!(s[0].empty_nodes, 1);
        assert_eq!(s[0].words[3].head, Some(0));
        let toks: Vec<_> = s[0].surface_tokens().iter().map(|t| t.0).collect();
        assert_eq!(toks, ["I", "don't", "know", "."]);
        assert!(!s[0].space_after(3));
        assert!(s[0].space_after(0));
        assert!(!s[1].newpar);
        assert_eq!(s[1].line, 13);
    }

    #[test]
    fn reports_line_of_bad_input() {
        let err = parse("# text = x\n1\tx\n").unwrap_err();
        assert_eq!(err, ConlluError::Columns { line: 2, found: 2 });
        let err = parse("1\tx\tx\tX\tX\t_\tq\tdep\t_\t_\n").unwrap_err();
        assert!(matches!(err, ConlluError::BadHead { line: 1, .. }));
    }
}
