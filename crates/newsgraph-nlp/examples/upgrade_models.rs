//! Rewrite model files in the current container format (load, then save):
//! the weights come out bit for bit the same, only their encoding changes
//! (see `newsgraph_learn::format`). Loading converts old files anyway; this
//! makes the shipped files load fast.
//!
//! ```text
//! cargo run --release -p newsgraph-nlp --example upgrade_models -- models/tagger.bin models/ner.bin
//! ```
//!
//! The kind of each file is read from its name (`tagger`, `ner`, `parser`).

use newsgraph_nlp::{EntityRecognizer, Parser, Tagger};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        return Err("usage: upgrade_models FILE.bin...".into());
    }
    for path in paths {
        let bytes = std::fs::read(&path)?;
        let name = std::path::Path::new(&path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        let out = match name {
            "tagger" => Tagger::load_from(&bytes, &path)?.save()?,
            "ner" => EntityRecognizer::load_from(&bytes, &path)?.save()?,
            "parser" => Parser::load_from(&bytes, &path)?.save(),
            _ => return Err(format!("{path}: not tagger.bin, ner.bin or parser.bin").into()),
        };
        std::fs::write(&path, &out)?;
        eprintln!("{path}: {} -> {} bytes", bytes.len(), out.len());
    }
    Ok(())
}
