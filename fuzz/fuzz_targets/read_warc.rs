//! WARC archives, plain and gzip. The first byte picks the mode:
//! 0 the rest as `crawl.warc`; 1 the rest as `crawl.warc.gz` (raw, so broken
//! or truncated gzip); 2 the rest gzip-compressed (one member per record
//! split at `WARC/1.` so the fuzzer mutates the archive, not the deflate
//! stream) as `crawl.warc.gz`.
#![no_main]
use flate2::write::GzEncoder;
use flate2::Compression;
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn gzip_members(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut cuts: Vec<usize> = data
        .windows(7)
        .enumerate()
        .filter(|(i, w)| *i > 0 && *w == b"WARC/1.")
        .map(|(i, _)| i)
        .collect();
    cuts.push(data.len());
    for end in cuts {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&data[start..end]).unwrap();
        out.extend(gz.finish().unwrap());
        start = end;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => newsgraph_fuzz::read_and_check("fuzz/crawl.warc", rest),
        1 => newsgraph_fuzz::read_and_check("fuzz/crawl.warc.gz", rest),
        _ => newsgraph_fuzz::read_and_check("fuzz/crawl.warc.gz", &gzip_members(rest)),
    };
});
