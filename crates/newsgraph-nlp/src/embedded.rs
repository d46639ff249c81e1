//! The shipped models' bytes, as prepared by `build.rs` from `models/*.bin`
//! (some stored uncompressed so start-up skips their decompression).

pub(crate) static TAGGER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tagger.bin"));
pub(crate) static PARSER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/parser.bin"));
pub(crate) static NER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ner.bin"));
pub(crate) static CLUSTERS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/clusters.bin"));
