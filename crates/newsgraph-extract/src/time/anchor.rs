//! The anchor date relative expressions are resolved against: the date of a
//! dateline at the start of the text ("ANKARA, March 18 (Meridian) -") when it
//! has one, else the publication date.

use super::lexicon::{Lex, Word};
use super::{rules, Spec, Tok};
use jiff::civil::Date;

/// Parse the date part of an ISO 8601 date or datetime ("2015-05-12",
/// "2015-05-12T09:30:00Z"); `None` for anything else.
pub fn parse_anchor(s: &str) -> Option<Date> {
    let s = s.trim();
    let head = s.get(..10).filter(|h| h.is_ascii())?;
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i16 = head[..4].parse().ok()?;
    let m: i8 = head[5..7].parse().ok()?;
    let d: i8 = head[8..10].parse().ok()?;
    Date::new(y, m, d).ok()
}

/// A dateline found at the start of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// Token index (in the first sentence) of the dash that ends the dateline.
    pub dash: usize,
    /// The dateline's date, when it has one and a year can be given to it.
    pub date: Option<Date>,
}

/// Find a dateline in the first sentence: an upper-case place name, optional
/// region and date, optional "(Agency)", then a dash: "TALLINN, June 4 (HNS) -",
/// "LAGOS -", "WASHINGTON, May 12, 2015 (Reuters) --"; or the colon of a
/// dateline as [`newsgraph_nlp::ner::dateline_colon`] reads it ("NEW
/// DELHI, March 3: ..."). A date without a year takes the year that puts it
/// nearest the publication date.
pub(crate) fn dateline(toks: &[Tok<'_>], published: Option<Date>) -> Option<Dateline> {
    let first = toks.first()?;
    if !is_upper_word(first.text) {
        return None;
    }
    let words: Vec<&str> = toks.iter().take(64).map(|t| t.text).collect();
    let colon = newsgraph_nlp::ner::dateline_colon(&words);
    let mut i = 1;
    let mut date = None;
    let limit = toks.len().min(16);
    while i < limit {
        let t = toks[i];
        if t.lex == Lex::Dash || t.text == "\u{2014}" || colon == Some(i) {
            return Some(Dateline { dash: i, date });
        }
        if t.text == "(" {
            // "(Reuters)", "(HNS)": skip to the closing parenthesis.
            let close = toks[i..limit].iter().position(|t| t.text == ")")?;
            i += close + 1;
            continue;
        }
        if let Lex::Month(_) = t.lex {
            if date.is_some() {
                return None;
            }
            let part = rules::apply_at(toks, i, "date.month_day_year")?;
            date = match part.spec {
                Spec::Calendar {
                    year,
                    month,
                    day: Some(day),
                    ..
                } => match year {
                    Some(y) => super::value::date(y, month, day),
                    None => published.and_then(|p| nearest_year(p, month, day)),
                },
                _ => None,
            };
            i = part.end;
            continue;
        }
        let placeish = t.lex == Lex::Comma
            || is_upper_word(t.text)
            || (t.text.starts_with(|c: char| c.is_ascii_uppercase())
                && !matches!(t.lex, Lex::Word(_)))
            || t.lex == Lex::Word(Word::Of);
        if !placeish {
            return None;
        }
        i += 1;
    }
    None
}

/// "ANKARA", "ST.", "D.C.", "BODØ": letters (and dots, hyphens), all upper case.
fn is_upper_word(t: &str) -> bool {
    t.chars().count() >= 2
        && t.chars().any(char::is_uppercase)
        && t.chars()
            .all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\''))
}

/// The date with this month and day nearest to `p` (within the years around it).
fn nearest_year(p: Date, month: i8, day: i8) -> Option<Date> {
    let y = p.year() as i32;
    [y - 1, y, y + 1]
        .iter()
        .filter_map(|&y| super::value::date(y, month, day))
        .min_by_key(|d| (*d - p).get_days().abs())
}
