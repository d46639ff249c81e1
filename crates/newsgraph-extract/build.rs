//! Builds the place gazetteer's binary index from `data/places.tsv` (the
//! generated GeoNames part) followed by `data/geography.tsv` (the
//! project-written seas, rivers, ranges, deserts and regions)
//! (`src/entities/places_index.rs`), so start-up reads it in place instead
//! of parsing the TSV.

#[path = "src/entities/places_index.rs"]
mod places_index;

fn main() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    println!("cargo:rerun-if-changed=src/entities/places_index.rs");
    let mut text = String::new();
    for file in places_index::FILES {
        let src = data.join(file);
        println!("cargo:rerun-if-changed={}", src.display());
        text += &std::fs::read_to_string(&src)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
    }
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("places.idx"), places_index::build(&text))
        .expect("cannot write the places index");
}
