//! Train and evaluate the dependency parser from CoNLL-U files.
//!
//! ```text
//! cargo run --release -p newsgraph-nlp --example train_parser -- \
//!     --train ../shared/data/ud-ewt/en_ewt-ud-train.conllu ../shared/data/gum/en_gum-ud-train.conllu \
//!     --dev ../shared/data/ud-ewt/en_ewt-ud-dev.conllu --out models/parser.bin [--epochs N] [--seed S]
//! cargo run --release -p newsgraph-nlp --example train_parser -- --eval models/parser.bin FILE.conllu
//!     [--tagger models/tagger.bin]
//! cargo run --release -p newsgraph-nlp --example train_parser -- \
//!     --ensemble A.bin B.bin ... --out models/parser.bin
//! ```
//!
//! `--ensemble` combines parsers trained with the same settings and
//! different seeds into one model that scores like their ensemble
//! ([`Parser::ensemble`]).
//!
//! Training jack-knifes the tags (5 folds) unless `--jackknife 0` (gold tags).
//! `--tagger FILE` also scores dev with that tagger's tags. For experiments,
//! `--tags-cache /tmp/FILE --tagger FILE` computes the jack-knifed training
//! tags and the dev tags once and reuses them (keep the cache out of the
//! repository: it is derived from the corpora). `--tagger-templates 3`
//! makes the jack-knifed taggers use the tagger's v3 feature templates (see
//! `TaggerTemplates`; default: the shipped tagger's). `--eval` also prints parsing
//! speed; with `CONFUSIONS=1` and `--tagger`, the most frequent label errors.

use std::path::PathBuf;
use std::time::Instant;

use newsgraph_core::conllu;
use newsgraph_core::tags::{Upos, Xpos};
use newsgraph_nlp::parser::{
    eval_parse, examples_with_tags, jackknife_tags, train_parser, train_parser_examples,
    ParseExample, Parser, ParserTrainOptions,
};
use newsgraph_nlp::{Tagger, TaggerTemplates};

fn read(path: &PathBuf) -> Vec<conllu::Sentence> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    conllu::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut train = Vec::new();
    let mut dev = None;
    let mut out = None;
    let mut eval = None;
    let mut tagger = None;
    let mut tags_cache: Option<PathBuf> = None;
    let mut ensemble: Vec<PathBuf> = Vec::new();
    let mut opts = ParserTrainOptions::default();
    let mut i = 0;
    let mut mode = "";
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--train" => mode = "train",
            "--dev" => {
                dev = Some(PathBuf::from(&args[i + 1]));
                i += 1;
                mode = "";
            }
            "--out" => {
                out = Some(PathBuf::from(&args[i + 1]));
                i += 1;
                mode = "";
            }
            "--epochs" => {
                opts.epochs = args[i + 1].parse().expect("--epochs N");
                i += 1;
            }
            "--patience" => {
                opts.patience = args[i + 1].parse().expect("--patience N");
                i += 1;
            }
            "--seed" => {
                opts.seed = args[i + 1].parse().expect("--seed S");
                i += 1;
            }
            "--min-count" => {
                opts.finalize.min_count = args[i + 1].parse().expect("--min-count N");
                i += 1;
            }
            "--prune" => {
                opts.finalize.prune = args[i + 1].parse().expect("--prune W");
                i += 1;
            }
            "--label-min-updates" => {
                opts.label_min_updates = args[i + 1].parse().expect("--label-min-updates N");
                i += 1;
            }
            "--label-prune" => {
                opts.label_prune = args[i + 1].parse().expect("--label-prune W");
                i += 1;
            }
            "--explore-prob" => {
                opts.explore_prob = args[i + 1].parse().expect("--explore-prob P");
                i += 1;
            }
            "--explore-from" => {
                opts.explore_from = args[i + 1].parse().expect("--explore-from N");
                i += 1;
            }
            "--jackknife" => {
                opts.jackknife = args[i + 1].parse().expect("--jackknife K");
                i += 1;
            }
            "--tagger-epochs" => {
                opts.tagger_epochs = args[i + 1].parse().expect("--tagger-epochs N");
                i += 1;
            }
            "--tagger-templates" => {
                let n = args[i + 1].parse().expect("--tagger-templates N");
                opts.tagger_templates =
                    TaggerTemplates::from_number(n).expect("--tagger-templates 2 or 3");
                i += 1;
            }
            "--no-clusters" => opts.clusters = false,
            "--tags-cache" => {
                tags_cache = Some(PathBuf::from(&args[i + 1]));
                i += 1;
            }
            "--tagger" => {
                tagger = Some(PathBuf::from(&args[i + 1]));
                i += 1;
            }
            "--ensemble" => mode = "ensemble",
            "--eval" => {
                eval = Some((PathBuf::from(&args[i + 1]), PathBuf::from(&args[i + 2])));
                i += 2;
            }
            _ if mode == "train" => train.push(PathBuf::from(a)),
            _ if mode == "ensemble" => ensemble.push(PathBuf::from(a)),
            _ => panic!("unexpected argument `{a}`"),
        }
        i += 1;
    }
    if !ensemble.is_empty() {
        let parsers: Vec<Parser> = ensemble
            .iter()
            .map(|p| Parser::load(&std::fs::read(p).expect("model file")).expect("valid model"))
            .collect();
        let refs: Vec<&Parser> = parsers.iter().collect();
        let parser = Parser::ensemble(&refs).expect("compatible parsers");
        let out = out.expect("--ensemble needs --out FILE");
        let bytes = parser.save();
        std::fs::write(&out, &bytes).expect("write model");
        eprintln!(
            "wrote {} ({} bytes, {:?} features)",
            out.display(),
            bytes.len(),
            parser.n_features()
        );
        return;
    }
    if let Some((model, file)) = eval {
        let start = Instant::now();
        let bytes = std::fs::read(&model).expect("model file");
        let parser = Parser::load(&bytes).expect("valid model");
        eprintln!(
            "loaded {} in {:.3}s",
            model.display(),
            start.elapsed().as_secs_f64()
        );
        let sentences = read(&file);
        let ev = eval_parse(&parser, None, &sentences);
        println!("gold tags: {}", serde_json::to_string(&ev).unwrap());
        // Speed: best of 5 passes (the machine is shared; the best pass is
        // the least disturbed one), and on-CPU time of this thread over 10
        // passes (Linux schedstat), which ignores time spent descheduled.
        let best = (0..5)
            .map(|_| eval_parse(&parser, None, &sentences).tokens_per_sec)
            .fold(0f64, f64::max);
        let cpu0 = thread_cpu_ns();
        let mut tokens = 0;
        for _ in 0..10 {
            tokens += eval_parse(&parser, None, &sentences).tokens;
        }
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            println!(
                "parse speed, on-CPU time over 10 passes: {:.0} tokens/s",
                tokens as f64 / ((b - a) as f64 / 1e9)
            );
        }
        println!("parse speed, best of 5 passes: {best:.0} tokens/s");
        if let Some(t) = &tagger {
            let tagger = Tagger::load(&std::fs::read(t).expect("tagger file")).expect("tagger");
            let ev = eval_parse(&parser, Some(&tagger), &sentences);
            println!(
                "predicted tags ({}): {}",
                t.display(),
                serde_json::to_string(&ev).unwrap()
            );
            if std::env::var_os("CONFUSIONS").is_some() {
                confusions(&parser, &tagger, &sentences);
            }
        }
        return;
    }
    let train: Vec<_> = train.iter().flat_map(read).collect();
    let dev = read(&dev.expect("--dev FILE"));
    eprintln!(
        "{} training sentences, {} dev sentences",
        train.len(),
        dev.len()
    );
    let (parser, report) = match &tags_cache {
        // Experiments: jack-knifed train tags and predicted dev tags computed
        // once and kept outside the repository.
        Some(cache) if opts.jackknife >= 2 => {
            let (train_tags, dev_tags) = if cache.exists() {
                let text = std::fs::read_to_string(cache).expect("tags cache");
                let mut lines = text.lines().map(|l| {
                    l.split(' ')
                        .filter(|t| !t.is_empty())
                        .map(|t| {
                            let (u, x) = t.split_once('_').expect("UPOS_XPOS");
                            (Upos::from_str(u).unwrap(), Xpos::from_str(x).unwrap())
                        })
                        .collect::<Vec<_>>()
                });
                let tr: Vec<_> = lines.by_ref().take(train.len()).collect();
                let dv: Vec<_> = lines.take(dev.len()).collect();
                (tr, dv)
            } else {
                let tr = jackknife_tags(&train, &dev, &opts);
                let tagger = match &tagger {
                    Some(t) => {
                        Tagger::load(&std::fs::read(t).expect("tagger file")).expect("tagger")
                    }
                    None => panic!("--tags-cache needs --tagger for dev tags"),
                };
                let dv: Vec<_> = examples_with_tags(&dev, Some(&tagger))
                    .into_iter()
                    .map(|e| e.tags)
                    .collect();
                let mut text = String::new();
                for t in tr.iter().chain(&dv) {
                    let line: Vec<String> = t.iter().map(|(u, x)| format!("{u}_{x}")).collect();
                    text.push_str(&line.join(" "));
                    text.push('\n');
                }
                std::fs::write(cache, text).expect("write tags cache");
                (tr, dv)
            };
            let mut tr: Vec<ParseExample> = train.iter().map(ParseExample::from_conllu).collect();
            for (e, t) in tr.iter_mut().zip(train_tags) {
                e.tags = t;
            }
            let mut dv: Vec<ParseExample> = dev.iter().map(ParseExample::from_conllu).collect();
            for (e, t) in dv.iter_mut().zip(dev_tags) {
                e.tags = t;
            }
            train_parser_examples(&tr, &dv, &opts)
        }
        _ => train_parser(&train, &dev, &opts),
    };
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    if let Some(out) = out {
        let bytes = parser.save();
        std::fs::write(&out, &bytes).expect("write model");
        eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    }
    if let Some(t) = &tagger {
        let tagger = Tagger::load(&std::fs::read(t).expect("tagger file")).expect("tagger");
        let ev = eval_parse(&parser, Some(&tagger), &dev);
        println!(
            "dev with predicted tags ({}): {}",
            t.display(),
            serde_json::to_string(&ev).unwrap()
        );
    }
}

/// The most frequent label errors on words that got the right head (analysis aid).
fn confusions(parser: &Parser, tagger: &Tagger, sentences: &[conllu::Sentence]) {
    use std::collections::HashMap;
    let mut conf: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for ex in examples_with_tags(sentences, Some(tagger)) {
        let words: Vec<&str> = ex.words.iter().map(String::as_str).collect();
        parser.parse(&words, &ex.tags, &mut out);
        for (i, &(h, rel)) in out.iter().enumerate() {
            if h == ex.heads[i] && rel != ex.deprels[i] {
                *conf
                    .entry((ex.deprels[i].to_string(), rel.to_string()))
                    .or_default() += 1;
            }
        }
    }
    let mut v: Vec<_> = conf.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    for ((g, p), n) in v.iter().take(25) {
        println!("{n:5}  gold {g:12} predicted {p}");
    }
}

/// Nanoseconds this thread has spent on a CPU (Linux only).
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
