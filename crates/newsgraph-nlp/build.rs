//! Prepares the shipped models (`models/*.bin`) for embedding.
//!
//! A model whose zstd compression saves little (the parser's weights: 14.7 MB
//! raw, 11.6 MB compressed) is rewritten with its payload stored uncompressed
//! (`newsgraph_learn::format::store_uncompressed`), so start-up skips its
//! decompression for a few MB of binary. A model that compresses well (the
//! tagger's mostly-zero weight rows: 51 MB raw, 5.6 MB compressed) stays
//! compressed. The conversion runs on whatever the repository holds, so a
//! retrained file needs no manual step. `src/embedded.rs` includes the
//! results from `OUT_DIR`.

use std::path::{Path, PathBuf};

/// Store a model uncompressed when that makes it at most this many times
/// larger than its compressed form.
const MAX_GROWTH: u64 = 4;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let models = manifest.join("../../models");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    for name in ["tagger", "parser", "ner", "clusters"] {
        let src = models.join(format!("{name}.bin"));
        println!("cargo:rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src)
            .unwrap_or_else(|e| panic!("cannot read model {}: {e}", src.display()));
        write_if_changed(&out.join(format!("{name}.bin")), &prepare(&bytes, &src));
    }
}

/// The bytes to embed: stored uncompressed when that is cheap in size, else
/// the file as it is (also when it cannot be converted: loading it reports
/// the problem with the file's name at run time, as before).
fn prepare(bytes: &[u8], src: &Path) -> Vec<u8> {
    match newsgraph_learn::format::store_uncompressed(bytes, &src.display().to_string()) {
        Ok(stored) if (stored.len() as u64) <= bytes.len() as u64 * MAX_GROWTH => stored,
        _ => bytes.to_vec(),
    }
}

fn write_if_changed(path: &Path, bytes: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
