//! Builds the place gazetteer's binary index from `data/places.tsv`
//! (`src/entities/places_index.rs`), so start-up reads it in place instead
//! of parsing the TSV.

#[path = "src/entities/places_index.rs"]
mod places_index;

fn main() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/places.tsv");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed=src/entities/places_index.rs");
    let text = std::fs::read_to_string(&src)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("places.idx"), places_index::build(&text))
        .expect("cannot write the places index");
}
