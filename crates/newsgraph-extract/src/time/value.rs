//! Calendar points at a granularity (day, week, month, season, year, decade,
//! century) and their TIMEX3 spelling; arithmetic is done by `jiff`.

use super::lexicon::{Season, Unit};
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

/// A calendar point at the granularity the text gave it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Point {
    Day(Date),
    /// ISO week-numbering year and week.
    Week(i16, i8),
    Weekend(i16, i8),
    Month(i32, i8),
    Quarter(i32, i8),
    /// A half-year: 1 (January-June) or 2 (July-December).
    Half(i32, i8),
    Season(i32, Season),
    Year(i32),
    /// TIMEX3 decade: 199 for the 1990s.
    Decade(i32),
    /// TIMEX3 century: 18 for the 1800s ("the 19th century").
    Century(i32),
}

impl Point {
    /// The TIMEX3 value: "2015-05-12", "2015-W20", "2015-W20-WE", "2015-05",
    /// "2015-Q2", "2015-H1", "2015-SU", "2015", "199", "18", "BC0508".
    pub(crate) fn timex(self) -> String {
        match self {
            Point::Day(d) => format!(
                "{}-{:02}-{:02}",
                year_str(d.year() as i32),
                d.month(),
                d.day()
            ),
            Point::Week(y, w) => format!("{}-W{:02}", year_str(y as i32), w),
            Point::Weekend(y, w) => format!("{}-W{:02}-WE", year_str(y as i32), w),
            Point::Month(y, m) => format!("{}-{:02}", year_str(y), m),
            Point::Quarter(y, q) => format!("{}-Q{}", year_str(y), q),
            Point::Half(y, h) => format!("{}-H{}", year_str(y), h),
            Point::Season(y, s) => format!("{}-{}", year_str(y), s.code()),
            Point::Year(y) => year_str(y),
            Point::Decade(d) => format!("{d:03}"),
            Point::Century(c) => format!("{c:02}"),
        }
    }

    /// The year the point lies in (the start year for decades and centuries).
    pub(crate) fn year(self) -> i32 {
        match self {
            Point::Day(d) => d.year() as i32,
            Point::Week(y, w) | Point::Weekend(y, w) => week_start(y, w)
                .map(|d| d.year() as i32)
                .unwrap_or(y as i32),
            Point::Month(y, _)
            | Point::Quarter(y, _)
            | Point::Half(y, _)
            | Point::Season(y, _)
            | Point::Year(y) => y,
            Point::Decade(d) => d * 10,
            Point::Century(c) => c * 100,
        }
    }

    /// A day inside the point, used to do arithmetic from it.
    pub(crate) fn representative_day(self) -> Option<Date> {
        match self {
            Point::Day(d) => Some(d),
            Point::Week(y, w) | Point::Weekend(y, w) => week_start(y, w),
            Point::Month(y, m) => date(y, m, 1),
            Point::Quarter(y, q) => date(y, (q - 1) * 3 + 1, 1),
            Point::Half(y, h) => date(y, (h - 1) * 6 + 1, 1),
            Point::Season(y, s) => date(y, s.start_month(), 1),
            Point::Year(y) => date(y, 1, 1),
            Point::Decade(d) => date(d * 10, 1, 1),
            Point::Century(c) => date(c * 100, 1, 1),
        }
    }
}

/// TIMEX3 years: four digits; negative years are BC ("BC0508").
///
/// Invariant: internally year `-n` means "n BC" (there is no year-0 shift), which
/// is how texts count ("10,000 years ago" from 2019 is 7981 BC) and how GUM writes it.
fn year_str(y: i32) -> String {
    if y < 0 {
        format!("BC{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

pub(crate) fn date(y: i32, m: i8, d: i8) -> Option<Date> {
    let y = i16::try_from(y).ok()?;
    Date::new(y, m, d).ok()
}

/// Monday of ISO week `w` of ISO year `y`.
pub(crate) fn week_start(y: i16, w: i8) -> Option<Date> {
    jiff::civil::ISOWeekDate::new(y, w, Weekday::Monday)
        .ok()
        .map(|d| d.date())
}

/// The point of `unit` granularity containing `day`.
pub(crate) fn point_of(day: Date, unit: Unit) -> Point {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => Point::Day(day),
        Unit::Week | Unit::Fortnight => {
            let w = day.iso_week_date();
            Point::Week(w.year(), w.week())
        }
        Unit::Weekend => {
            let w = day.iso_week_date();
            Point::Weekend(w.year(), w.week())
        }
        Unit::Month => Point::Month(day.year() as i32, day.month()),
        Unit::Quarter => Point::Quarter(day.year() as i32, (day.month() - 1) / 3 + 1),
        Unit::Year => Point::Year(day.year() as i32),
        Unit::Decade => Point::Decade(day.year() as i32 / 10),
        Unit::Century => Point::Century(day.year() as i32 / 100),
    }
}

/// `day` moved by `n` units (negative: back). Years beyond jiff's range give `None`.
///
/// Spans are built with jiff's fallible constructors: `n` comes from the
/// text ("99999999999 days later"), and an out-of-range span would panic
/// (found by `crates/newsgraph/tests/fuzz.rs`).
pub(crate) fn shift(day: Date, unit: Unit, n: i64) -> Option<Date> {
    let span = jiff::Span::new();
    let span = match unit {
        // A day moves by the whole days the count holds: "48 hours later"
        // is two days on, "six hours later" the same day.
        Unit::Second => span.try_days(n / 86_400),
        Unit::Minute => span.try_days(n / 1_440),
        Unit::Hour => span.try_days(n / 24),
        Unit::Day => span.try_days(n),
        Unit::Week | Unit::Weekend => span.try_weeks(n),
        Unit::Fortnight => span.try_weeks(n.checked_mul(2)?),
        Unit::Month => span.try_months(n),
        Unit::Quarter => span.try_months(n.checked_mul(3)?),
        Unit::Year => span.try_years(n),
        Unit::Decade => span.try_years(n.checked_mul(10)?),
        Unit::Century => span.try_years(n.checked_mul(100)?),
    };
    day.checked_add(span.ok()?).ok()
}

/// Move a point by `n` of its own units ("the following month" after "May 2015").
pub(crate) fn shift_point(p: Point, n: i64) -> Option<Point> {
    Some(match p {
        Point::Day(d) => Point::Day(d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()?),
        Point::Week(..) => point_of(shift(p.representative_day()?, Unit::Week, n)?, Unit::Week),
        Point::Weekend(..) => point_of(
            shift(p.representative_day()?, Unit::Week, n)?,
            Unit::Weekend,
        ),
        Point::Month(..) => point_of(shift(p.representative_day()?, Unit::Month, n)?, Unit::Month),
        Point::Quarter(..) => point_of(
            shift(p.representative_day()?, Unit::Quarter, n)?,
            Unit::Quarter,
        ),
        Point::Half(y, h) => {
            let k = i64::from(y) * 2 + i64::from(h - 1) + n;
            Point::Half(
                i32::try_from(k.div_euclid(2)).ok()?,
                (k.rem_euclid(2) + 1) as i8,
            )
        }
        Point::Season(y, s) => Point::Season(y + n as i32, s),
        Point::Year(y) => Point::Year(y + n as i32),
        Point::Decade(d) => Point::Decade(d + n as i32),
        Point::Century(c) => Point::Century(c + n as i32),
    })
}

/// The point of granularity `unit` that contains point `p` (coarsening only;
/// finer units return `p` itself).
pub(crate) fn coarsen(p: Point, unit: Unit) -> Point {
    match (p, unit) {
        (_, Unit::Year) => Point::Year(p.year()),
        (_, Unit::Decade) => Point::Decade(p.year().div_euclid(10)),
        (_, Unit::Century) => Point::Century(p.year().div_euclid(100)),
        (Point::Day(d), u) => point_of(d, u),
        (Point::Week(..) | Point::Weekend(..), Unit::Month | Unit::Quarter) => p
            .representative_day()
            .map(|d| point_of(d, unit))
            .unwrap_or(p),
        _ => p,
    }
}

/// An ISO 8601 duration: "P3Y", "PT8H", "P2.5Y", "PXD" (unspecified count).
pub(crate) fn duration(n: Option<f32>, unit: Unit) -> String {
    let (des, mult, time) = unit.designator();
    let t = if time { "T" } else { "" };
    match n {
        None if mult == 1 => format!("P{t}X{des}"),
        None => match unit {
            Unit::Decade => "PXDE".to_string(),
            _ => "PXCE".to_string(),
        },
        Some(x) => {
            let x = x * mult as f32;
            if unit == Unit::Weekend {
                return format!("P{}WE", fmt_num(x));
            }
            format!("P{t}{}{des}", fmt_num(x))
        }
    }
}

fn fmt_num(x: f32) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The most recent day with weekday `wd` on or before `day` (`dir` < 0), on or
/// after (`dir` > 0), or the nearest (`dir` == 0, ties go back).
pub(crate) fn weekday_near(day: Date, wd: i8, dir: i32) -> Option<Date> {
    let cur = day.weekday().to_monday_one_offset();
    let back = (cur - wd).rem_euclid(7) as i64;
    let fwd = (wd - cur).rem_euclid(7) as i64;
    let off = match dir {
        d if d < 0 => -back,
        d if d > 0 => fwd,
        _ if back <= fwd => -back,
        _ => fwd,
    };
    day.checked_add(off.days()).ok()
}

/// Easter Sunday (Gregorian computus, Meeus/Jones/Butcher).
pub(crate) fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as i8, day as i8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_timex_values() {
        let d = date(2015, 5, 12).unwrap();
        assert_eq!(Point::Day(d).timex(), "2015-05-12");
        assert_eq!(point_of(d, Unit::Week).timex(), "2015-W20");
        assert_eq!(point_of(d, Unit::Quarter).timex(), "2015-Q2");
        assert_eq!(Point::Half(2015, 2).timex(), "2015-H2");
        assert_eq!(
            shift_point(Point::Half(2015, 2), 1),
            Some(Point::Half(2016, 1))
        );
        assert_eq!(
            shift_point(Point::Half(2015, 1), -1),
            Some(Point::Half(2014, 2))
        );
        assert_eq!(Point::Year(-508).timex(), "BC0508");
        assert_eq!(Point::Decade(199).timex(), "199");
        assert_eq!(Point::Century(18).timex(), "18");
        assert_eq!(duration(Some(8.0), Unit::Hour), "PT8H");
        assert_eq!(duration(Some(2.5), Unit::Year), "P2.5Y");
        assert_eq!(duration(None, Unit::Year), "PXY");
        assert_eq!(duration(Some(1.0), Unit::Decade), "P10Y");
        assert_eq!(easter(2015), date(2015, 4, 5));
        assert_eq!(weekday_near(d, 2, -1), Some(d));
        assert_eq!(weekday_near(d, 1, 1), date(2015, 5, 18));
    }
}
