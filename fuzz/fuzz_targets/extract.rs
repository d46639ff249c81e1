//! The whole `newsgraph extract` path on arbitrary bytes: the first byte
//! picks the file name (standard input, or a file whose extension selects
//! the reader, or none that does), then the same reader
//! (`newsgraph_ingest::read_bytes`, which `read_paths` uses per file) and
//! `Pipeline::standard().process` with a default publication date, as
//! `newsgraph extract --tokens --date` does. Checks the readers' promises
//! and that every span of the JSON output slices the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 10] = [
    "-",
    "fuzz/article.txt",
    "fuzz/article",
    "fuzz/page.html",
    "fuzz/wire.jsonl",
    "fuzz/wire.json",
    "fuzz/feed.rss",
    "fuzz/feed.atom",
    "fuzz/crawl.warc",
    "fuzz/crawl.warc.gz",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let date = match pick as usize / NAMES.len() % 3 {
        0 => None,
        1 => Some("2015-05-12"),
        _ => Some("1999-12-31"),
    };
    for article in newsgraph_fuzz::read_and_check(name, rest)
        .into_iter()
        .flatten()
    {
        newsgraph_fuzz::extract_and_check(article, date);
    }
});
