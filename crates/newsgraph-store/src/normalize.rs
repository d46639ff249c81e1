//! Keys that decide identity across documents: normalised names, content hashes, calendar days.

use sha2::{Digest, Sha256};

/// The comparison form of a name: lowercase, dots and apostrophes removed
/// (`U.S.` = `US`, `Putin's` = `Putins`), every other non-alphanumeric run a
/// single space, a leading `the ` dropped.
///
/// ```
/// use newsgraph_store::normalize_name;
/// assert_eq!(normalize_name("  The U.S. State  Department"), "us state department");
/// assert_eq!(normalize_name("Jean-Luc Ménard"), "jean luc ménard");
/// ```
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if matches!(c, '.' | '\'' | '\u{2019}') {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => out,
    }
}

/// The content hash of an article's text: SHA-256 (hex) of its words joined
/// by single spaces, so re-wrapped or re-indented copies count as the same.
///
/// ```
/// use newsgraph_store::content_hash;
/// assert_eq!(content_hash("Kerry met  Putin.\n"), content_hash("Kerry met\nPutin."));
/// assert_ne!(content_hash("Kerry met Putin."), content_hash("Kerry met Lavrov."));
/// ```
pub fn content_hash(text: &str) -> String {
    let mut hasher = Sha256::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(word.as_bytes());
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The day number (days since 1970-01-01) of a string starting with
/// `YYYY-MM-DD`; `None` for anything less precise ("2015-05", "2015-W21").
pub fn day_number(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && b[10].is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = date.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `YYYY-MM-DD` of a day number.
pub fn date_of_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The `YYYY-MM-DD` prefix of an ISO 8601 date or datetime, when it is one.
pub(crate) fn date_part(date: Option<&str>) -> Option<String> {
    let date = date?;
    day_number(date).map(|_| date[..10].to_string())
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

// Howard Hinnant's algorithms (proleptic Gregorian calendar).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (day, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_of_day(day),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2015-05-12T10:00:00Z"), Some(16_567));
        assert_eq!(date_of_day(16_567), "2015-05-12");
        for day in [-700_000, -1, 0, 59, 11_016, 19_000, 2_000_000] {
            assert_eq!(day_number(&date_of_day(day)), Some(day));
        }
        assert_eq!(day_number("2015-02-29"), None);
        assert_eq!(day_number("2016-02-29"), Some(16_860));
        assert_eq!(day_number("2015-05"), None);
        assert_eq!(day_number("2015-W21"), None);
        assert_eq!(day_number("2015-05-123"), None);
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("the"), "the");
        assert_eq!(normalize_name("Putin’s"), "putins");
        assert_eq!(normalize_name("—"), "");
    }

    #[test]
    fn now_looks_like_a_timestamp() {
        let now = now_utc();
        assert_eq!(now.len(), 20, "{now}");
        assert!(day_number(&now).is_some());
    }
}
