//! Reads the given paths (`-` for stdin) and prints one line per article or error.
//!
//! `cargo run -p newsgraph-ingest --example read -- crates/newsgraph-ingest/tests/fixtures`

use newsgraph_ingest::{read_paths, ReadOptions};
use std::path::PathBuf;

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    for result in read_paths(&paths, &ReadOptions::default()) {
        match result {
            Ok(a) => {
                println!(
                    "{}\tid={}\tpublished={}\ttitle={}\t{} chars",
                    a.origin,
                    a.id.as_deref().unwrap_or("-"),
                    a.published.as_deref().unwrap_or("-"),
                    a.title.as_deref().unwrap_or("-"),
                    a.text.chars().count()
                );
                for w in &a.warnings {
                    println!("  warning: {w}");
                }
            }
            Err(e) => eprintln!("error: {e}"),
        }
    }
}
