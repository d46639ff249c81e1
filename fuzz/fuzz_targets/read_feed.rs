//! RSS and Atom feeds: one article per item or entry.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    newsgraph_fuzz::read_and_check("fuzz/feed.rss", data);
});
