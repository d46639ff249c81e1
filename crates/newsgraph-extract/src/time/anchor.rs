//! The anchor date relative expressions are resolved against: the date of a
//! dateline at the start of the text ("ANKARA, March 18 (Meridian) -") when it
//! has one, else the publication date.

use super::lexicon::Lex;
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
    /// Token index (in the first sentence) of the dash or colon that ends
    /// the dateline.
    pub dash: usize,
    /// The dateline's date, when it has one and a year can be given to it.
    pub date: Option<Date>,
}

/// Find a dateline in the first sentence where the shared test
/// ([`newsgraph_nlp::ner::dateline_dash`], else
/// [`newsgraph_nlp::ner::dateline_colon`]) finds one: "TALLINN, June 4
/// (HNS) -", "LAGOS -", "WASHINGTON, May 12, 2015 (Reuters) --", "NEW
/// DELHI, March 3: ...". Its date is the first month outside parentheses
/// read as `date.month_day_year`; a date without a year takes the year that
/// puts it nearest the publication date.
pub(crate) fn dateline(toks: &[Tok<'_>], published: Option<Date>) -> Option<Dateline> {
    let words: Vec<&str> = toks.iter().take(64).map(|t| t.text).collect();
    let end = newsgraph_nlp::ner::dateline_dash(&words)
        .or_else(|| newsgraph_nlp::ner::dateline_colon(&words))?;
    let mut date = None;
    let mut depth = 0u32;
    for (i, t) in toks[..end].iter().enumerate() {
        match t.text {
            // "(Reuters)", "(HNS)": an agency, not a date.
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 || !matches!(t.lex, Lex::Month(_)) {
            continue;
        }
        let Some(part) = rules::apply_at(toks, i, "date.month_day_year") else {
            continue;
        };
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
        break;
    }
    Some(Dateline { dash: end, date })
}

/// The date with this month and day nearest to `p` (within the years around it).
fn nearest_year(p: Date, month: i8, day: i8) -> Option<Date> {
    let y = p.year() as i32;
    [y - 1, y, y + 1]
        .iter()
        .filter_map(|&y| super::value::date(y, month, day))
        .min_by_key(|d| (*d - p).get_days().abs())
}
