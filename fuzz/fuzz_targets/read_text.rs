//! Plain text with a `Title:`/`Date:`/`Source:`/`URL:`/`Id:` header, by extension.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    newsgraph_fuzz::read_and_check("fuzz/article.txt", data);
});
