//! The time normaliser on any text against any publication date. The first
//! four bytes make the date (see `newsgraph_fuzz::publication_date`: none,
//! year 1 to 9999, impossible days such as 2015-02-30, with a time of day);
//! the rest, decoded as UTF-8 lossily, is the text. Checks: expressions are
//! in order, do not overlap, slice the text, and values are well formed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph_extract::time::normalize_text;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let date = newsgraph_fuzz::publication_date([data[0], data[1], data[2], data[3]]);
    let text = String::from_utf8_lossy(&data[4..]);
    let mut prev_end = 0u32;
    for found in normalize_text(&text, date.as_deref()) {
        let r = found.range;
        assert!(
            r.start >= prev_end && r.start < r.end,
            "{r:?} after {prev_end}"
        );
        assert!((r.end as usize) <= text.len());
        assert_eq!(r.slice(&text), found.text);
        if let Some(v) = &found.value {
            assert!(
                newsgraph_fuzz::well_formed_time_value(v),
                "value {v:?} for {:?}",
                found.text
            );
        }
        prev_end = r.end;
    }
});
