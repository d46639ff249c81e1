//! Score the time normaliser on a GUM-style CoNLL-U file until
//! `newsgraph eval time` is wired: `cargo run --release -p newsgraph-extract
//! --example eval_time -- FILE.conllu [--gold-tags] [--verbose]`.

use newsgraph_extract::time::{eval_time_with, EvalOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: eval_time FILE.conllu [--gold-tags] [--verbose]")?;
    let mut opts = EvalOptions::default();
    for a in args {
        match a.as_str() {
            "--gold-tags" => opts.gold_tags = true,
            "--verbose" => opts.verbose = true,
            other => return Err(format!("unknown option `{other}`").into()),
        }
    }
    let input = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let scores = eval_time_with(&input, opts).map_err(|e| format!("{path}: {e}"))?;
    println!("{}", serde_json::to_string(&scores)?);
    Ok(())
}
