//! HTML pages: parsing, main-content extraction, the depth limit, metadata.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    newsgraph_fuzz::read_and_check("fuzz/page.html", data);
});
