//! Unlabeled text for learning word clusters: CoNLL-U word forms, a CSV `text` column, or plain text.

use thiserror::Error;

/// Unlabeled text that could not be read.
#[derive(Debug, Error)]
#[error("unlabeled text `{file}`: {message}")]
pub struct UnlabeledError {
    pub file: String,
    pub message: String,
}

fn tokens(text: &str) -> Vec<String> {
    newsgraph_text::tokenize(text)
        .iter()
        .map(|t| t.slice(text).to_string())
        .collect()
}

/// Records of a CSV file (RFC 4180 quoting; fields may span lines).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Tokenized sentences of a file, by its name: `.conllu` gives the word forms
/// of each sentence; `.csv` the `text` column, tokenized line by line with
/// newsgraph-text; anything else is plain text, tokenized line by line.
pub fn read_unlabeled(file: &str, text: &str) -> Result<Vec<Vec<String>>, UnlabeledError> {
    let err = |message: String| UnlabeledError {
        file: file.to_string(),
        message,
    };
    if file.ends_with(".conllu") {
        let sents = newsgraph_core::conllu::parse(text).map_err(|e| err(e.to_string()))?;
        return Ok(sents
            .iter()
            .map(|s| s.words.iter().map(|w| w.form.clone()).collect())
            .collect());
    }
    if file.ends_with(".csv") {
        let records = csv_records(text);
        let col = records
            .first()
            .and_then(|h| h.iter().position(|h| h == "text"))
            .ok_or_else(|| err("no `text` column in the header".to_string()))?;
        return Ok(records[1..]
            .iter()
            .filter_map(|r| r.get(col))
            .flat_map(|t| t.lines().map(tokens).collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect());
    }
    Ok(text.lines().map(tokens).filter(|s| !s.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_text_column_and_plain_text() {
        let csv =
            "id,text,label\n1,\"Kerry met Putin, \"\"twice\"\".\nThen left.\",X\n2,Short one.,Y\n";
        let s = read_unlabeled("a.csv", csv).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0][0], "Kerry");
        assert!(s[0].contains(&"twice".to_string()));
        assert_eq!(s[2], vec!["Short", "one", "."]);
        assert!(read_unlabeled("b.csv", "a,b\n1,2\n").is_err());
        let plain = read_unlabeled("c.txt", "One line.\n\nTwo words\n").unwrap();
        assert_eq!(plain.len(), 2);
    }
}
