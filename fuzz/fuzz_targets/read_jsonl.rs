//! JSON Lines (one record per line) and, when the first byte is odd, the same
//! bytes as a `.json` file (an array of records or one record).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = match data.first() {
        Some(b) if b % 2 == 1 => "fuzz/wire.json",
        _ => "fuzz/wire.jsonl",
    };
    newsgraph_fuzz::read_and_check(name, data);
});
