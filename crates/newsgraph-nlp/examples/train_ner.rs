//! Train the entity recogniser and score it on dev (temporary, until the CLI
//! has `newsgraph train ner` / `newsgraph eval ner`).
//!
//! cargo run --release -p newsgraph-nlp --example train_ner -- \
//!     --train eng.train --dev eng.testa --out models/ner.bin [--epochs N] [--seed N]
//!     [--min-count N] [--prune X] [--no-gazetteer] [--no-history] [--no-doc-case]
//!     [--unlabeled FILE...] [--unlabeled-gum-cc-by GUM.conllu] [--clusters 64,256,1024 | --no-clusters]
//!     [--cluster-iterations N] [--cluster-min-count N] [--pos-tags] [--no-two-pass]
//!
//! `--unlabeled` files give extra text for the word clusters (see
//! `newsgraph_nlp::ner::read_unlabeled`: `.conllu`, `.csv` with a `text` column, or plain text).
//! cargo run --release -p newsgraph-nlp --example train_ner -- --eval eng.testa [--model FILE]
//!     [--repeat N (best speed of N runs)] [--errors (print the sentences with mistakes)]
//! cargo run --release -p newsgraph-nlp --example train_ner -- --gazetteer-stats

use std::time::Instant;

use newsgraph_nlp::ner::{
    eval_ner, read_conll, read_unlabeled, train_ner, EntityRecognizer, GazKind, Gazetteer,
    NerTrainOptions,
};

/// GUM genres under CC BY (the rest of GUM is CC BY-NC-SA); see ../shared/data/README.md.
const GUM_CC_BY: &[&str] = &[
    "news",
    "interview",
    "bio",
    "voyage",
    "textbook",
    "speech",
    "vlog",
    "conversation",
];

/// Sentences of a GUM CoNLL-U file whose document genre is CC BY.
fn gum_cc_by(path: &str) -> Vec<Vec<String>> {
    let sents =
        newsgraph_core::conllu::parse(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut keep = false;
    let mut out = Vec::new();
    for s in &sents {
        if let Some(id) = &s.doc_id {
            keep = GUM_CC_BY
                .iter()
                .any(|g| id.starts_with(&format!("GUM_{g}_")));
        }
        if keep {
            out.push(s.words.iter().map(|w| w.form.clone()).collect());
        }
    }
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Print the sentences where the prediction differs from gold: `-` gold only, `+` predicted only.
fn print_errors(rec: &EntityRecognizer, text: &str) {
    let docs = read_conll(text).expect("column file");
    let mut out = Vec::new();
    for doc in &docs {
        let refs: Vec<Vec<&str>> = doc.sentences.iter().map(|s| s.word_refs()).collect();
        let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        rec.recognize(&slices, &mut out);
        for (s, pred) in doc.sentences.iter().zip(&out) {
            if &s.spans == pred {
                continue;
            }
            println!("{}", s.words.join(" "));
            let show = |sp: &newsgraph_nlp::EntitySpan| {
                format!("{} {}", sp.label, s.words[sp.start..sp.end].join(" "))
            };
            for g in s.spans.iter().filter(|g| !pred.contains(g)) {
                println!("  - {}", show(g));
            }
            for p in pred.iter().filter(|p| !s.spans.contains(p)) {
                println!("  + {}", show(p));
            }
        }
    }
}

fn main() {
    let (mut train, mut dev, mut out, mut eval, mut model) = (None, None, None, None, None);
    let mut opts = NerTrainOptions::default();
    let mut unlabeled_files = Vec::new();
    let mut errors = false;
    let mut gum_files = Vec::new();
    let mut repeat = 1;
    let mut args = std::env::args().skip(1).peekable();
    let num = |a: Option<String>, what: &str| -> f64 {
        a.and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{what} needs a number"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--train" => train = args.next(),
            "--dev" => dev = args.next(),
            "--out" => out = args.next(),
            "--eval" => eval = args.next(),
            "--model" => model = args.next(),
            "--errors" => errors = true,
            "--gazetteer-stats" => {
                let g = Gazetteer::builtin();
                for kind in GazKind::ALL {
                    println!("{kind}\t{}", g.count(kind));
                }
                println!("total\t{}", g.len());
                return;
            }
            "--repeat" => repeat = num(args.next(), "--repeat") as usize,
            "--epochs" => opts.train.epochs = num(args.next(), "--epochs") as usize,
            "--seed" => opts.train.seed = num(args.next(), "--seed") as u64,
            "--patience" => opts.train.patience = num(args.next(), "--patience") as usize,
            "--min-count" => opts.train.finalize.min_count = num(args.next(), "--min-count") as u32,
            "--prune" => opts.train.finalize.prune = num(args.next(), "--prune") as f32,
            "--no-gazetteer" => opts.features.gazetteer = false,
            "--no-history" => opts.features.history = false,
            "--no-doc-case" => opts.features.doc_case = false,
            "--pos-tags" => opts.features.pos_tags = true,
            "--no-two-pass" => opts.features.two_pass = false,
            "--no-clusters" => opts.clusters.sizes.clear(),
            "--clusters" => {
                opts.clusters.sizes = args
                    .next()
                    .expect("--clusters 64,256")
                    .split(',')
                    .map(|n| n.parse().expect("--clusters 64,256"))
                    .collect()
            }
            "--cluster-min-count" => {
                opts.clusters.min_count = num(args.next(), "--cluster-min-count") as u32
            }
            "--cluster-iterations" => {
                opts.clusters.iterations = num(args.next(), "--cluster-iterations") as usize
            }
            "--unlabeled-gum-cc-by" => {
                gum_files.push(args.next().expect("--unlabeled-gum-cc-by FILE"))
            }
            "--unlabeled" => {
                while let Some(p) = args.next_if(|p| !p.starts_with("--")) {
                    unlabeled_files.push(p);
                }
            }
            other => panic!("unknown argument `{other}`"),
        }
    }
    if let Some(path) = eval {
        let start = Instant::now();
        let rec = match &model {
            Some(m) => EntityRecognizer::load_from(&std::fs::read(m).expect("model file"), m)
                .expect("load"),
            None => EntityRecognizer::builtin().expect("built-in model"),
        };
        eprintln!("loaded in {:.3}s", start.elapsed().as_secs_f64());
        if errors {
            print_errors(&rec, &read(&path));
            return;
        }
        let text = read(&path);
        let mut scores = eval_ner(&rec, &text).expect("column file");
        for _ in 1..repeat {
            // Best of N: the machine may be shared; the fastest run is the least disturbed.
            let again = eval_ner(&rec, &text).expect("column file");
            scores.tokens_per_sec = scores.tokens_per_sec.max(again.tokens_per_sec);
        }
        println!("{}", serde_json::to_string_pretty(&scores).unwrap());
        return;
    }
    let train = read_conll(&read(&train.expect("--train FILE"))).expect("train file");
    let dev = read_conll(&read(&dev.expect("--dev FILE"))).expect("dev file");
    eprintln!(
        "train: {} documents, dev: {} documents",
        train.len(),
        dev.len()
    );
    let unlabeled: Vec<Vec<String>> = unlabeled_files
        .iter()
        .flat_map(|p| read_unlabeled(p, &read(p)).unwrap_or_else(|e| panic!("{e}")))
        .chain(gum_files.iter().flat_map(|p| gum_cc_by(p)))
        .collect();
    eprintln!(
        "unlabeled: {} sentences, {} words",
        unlabeled.len(),
        unlabeled.iter().map(Vec::len).sum::<usize>()
    );
    let (rec, report) = train_ner(&train, &dev, &unlabeled, &opts);
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    if let Some(out) = out {
        let bytes = rec.save().expect("encode");
        std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("{out}: {e}"));
        eprintln!("wrote {out} ({} bytes)", bytes.len());
    }
}
