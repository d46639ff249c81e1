//! Abbreviations that keep their final period, and how each behaves at a sentence end.
//!
//! The list is the project's own, written for English news; it is checked
//! against the UD English treebanks by `eval`, not copied from them.

/// What an abbreviation says about the sentence boundary after it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum AbbrevKind {
    /// Precedes a name or a number ("Mr.", "Gen.", "St.", "No."): never ends a sentence
    /// unless a paragraph ends there.
    Prefix,
    /// May end a sentence ("Inc.", "etc.", "Jan.", "U.S."): a boundary when the next
    /// word looks like a sentence start.
    Other,
    /// Only an abbreviation before a number ("No. 10", "p. 5", "Vol. 3").
    BeforeNumber,
}

/// Titles and words that stand before a name or a number.
const PREFIX: &[&str] = &[
    "Adm", "Amb", "Ald", "Atty", "Brig", "Capt", "Cdr", "Cmdr", "Col", "Comdr", "Cpl", "Det", "Dr",
    "Drs", "Fr", "Gen", "Gov", "Hon", "Insp", "Lt", "Maj", "Messrs", "Mme", "Mmes", "Mr", "Mrs",
    "Ms", "Msgr", "Mt", "Ft", "Pres", "Prof", "Pvt", "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt",
    "Sr", "Sra", "Srta", "St", "Ste", "Supt", "Cllr", "Sec", "Lieut", "Gens", "Dept", "Univ",
    "approx", "ca", "cf", "vs", "viz", "Mssrs", "Pte", "Sq", "Sta",
];

/// Abbreviations that may also end a sentence.
const OTHER: &[&str] = &[
    // Months and days.
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon",
    "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat",
    // Companies and organisations.
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Plc", "Assn", "Assoc", "Dept", "Govt", "Intl",
    // Name suffixes and degrees.
    "Jr", "Sr", "Esq", // US states (AP style).
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans",
    "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
    "Pa", "Penn", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wisc", "Wyo",
    // Streets and places.
    "Ave", "Blvd", "Rd", "Hwy", "Apt", "Bldg", // Scholarly and general.
    "etc", "al", "approx", "dept", "est", "govt", "ibid", "misc", "Fig", "Figs", "Eq", "Ch", "Sec",
    "Mt", "Jr", "min", "max", "hrs", "yrs", "mos", "ft", "lb", "lbs", "oz", "Tel", "tel", "ext",
    "Ext", "Mln", "mln", "bln", "Bln", "Ph", "Ed", "Eds", "eds", "ed", "Rs",
];

/// Abbreviations only before a number.
const BEFORE_NUMBER: &[&str] = &[
    "No", "Nos", "no", "nos", "Vol", "vol", "Vols", "p", "pp", "Art", "art", "Nr",
];

/// The kind of `word` (without its period) as an abbreviation, if it is one.
///
/// `next_is_digit`: the token after the period starts with a digit.
pub(crate) fn kind(word: &str, next_is_digit: bool) -> Option<AbbrevKind> {
    if PREFIX.contains(&word) {
        return Some(AbbrevKind::Prefix);
    }
    if OTHER.contains(&word) {
        return Some(AbbrevKind::Other);
    }
    if next_is_digit && BEFORE_NUMBER.contains(&word) {
        return Some(AbbrevKind::BeforeNumber);
    }
    // Dotted abbreviations: "U.S", "e.g", "a.m", "Ph.D" (the final period is not in `word`).
    if is_dotted(word) {
        return Some(AbbrevKind::Other);
    }
    // Single-letter initials: "J." in "J. R. Tolkien".
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return Some(AbbrevKind::Prefix);
        }
    }
    None
}

/// Letters separated by periods, each piece short: "U.S", "e.g", "Ph.D", "a.m".
fn is_dotted(word: &str) -> bool {
    if !word.contains('.') {
        return false;
    }
    word.split('.')
        .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind("Mr", false), Some(AbbrevKind::Prefix));
        assert_eq!(kind("J", false), Some(AbbrevKind::Prefix));
        assert_eq!(kind("U.S", false), Some(AbbrevKind::Other));
        assert_eq!(kind("e.g", false), Some(AbbrevKind::Other));
        assert_eq!(kind("No", true), Some(AbbrevKind::BeforeNumber));
        assert_eq!(kind("No", false), None);
        assert_eq!(kind("said", false), None);
        assert_eq!(kind("enron.com", false), None);
        assert_eq!(kind("3.5", false), None);
    }
}
