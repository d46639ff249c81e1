//! Integration tests of the readers, on fixture files and on files written to a temp dir.

mod archives;
mod batch;
mod formats;
mod robustness;

use newsgraph_ingest::{Article, ReadError};
use std::path::{Path, PathBuf};

/// The fixture directory of this crate.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// One line per result, with `base` removed from paths, for whole-batch comparisons:
/// `ok <origin> id=<id>` plus ` warning: ...` per warning, or `error: <message>`.
pub fn summary(results: &[Result<Article, ReadError>], base: &Path) -> Vec<String> {
    let base = format!("{}/", base.display());
    results
        .iter()
        .map(|r| match r {
            Ok(a) => {
                let mut line = format!("ok {} id={}", a.origin, a.id.as_deref().unwrap_or("-"));
                for w in &a.warnings {
                    line.push_str(&format!(" warning: {w}"));
                }
                line.replace(&base, "")
            }
            Err(e) => format!("error: {e}").replace(&base, ""),
        })
        .collect()
}
