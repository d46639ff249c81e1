//! `newsgraph train`: train a model from annotated corpora and write the model file.

use crate::{read_conllu, read_text};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use newsgraph_learn::TrainOptions;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Part-of-speech tagger (UPOS + XPOS) and lemmatizer, from CoNLL-U treebanks.
    Tagger(TrainArgs),
    /// Dependency parser, from CoNLL-U treebanks; trained on 5-fold jack-knifed
    /// tags from the tagger's training code, so it learns from real tagging errors.
    Parser(TrainArgs),
    /// Named-entity recogniser, from CoNLL-2003-style column files (IOB1/BIO).
    Ner(NerArgs),
    /// Event classifier (beside the trigger lexicon), from the NGEC synthetic
    /// stories (`synthetic_events.csv`: `text` and story-level `label`
    /// columns); see `models/events.md`.
    Events(EventsArgs),
    /// Brown word clusters from unlabeled text (.conllu word forms, .csv story
    /// text, else CoNLL columns: the first column of each line).
    Clusters(ClustersArgs),
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training files, in priority order (where they disagree on a lemma, the first wins).
    #[arg(long, num_args = 1.., required = true)]
    train: Vec<PathBuf>,
    /// Development file: scored after each epoch; the best epoch is kept.
    #[arg(long)]
    dev: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Maximum number of epochs (default: the component's own).
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of the shuffling RNG (same seed and data, same model).
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
    /// Tagger feature templates, 2 or 3 (default: the shipped tagger's); for
    /// `train parser`, those of the taggers that make its jack-knifed tags.
    #[arg(long, value_parser = parse_templates)]
    templates: Option<newsgraph_nlp::TaggerTemplates>,
}

fn parse_templates(s: &str) -> Result<newsgraph_nlp::TaggerTemplates, String> {
    s.parse()
        .ok()
        .and_then(newsgraph_nlp::TaggerTemplates::from_number)
        .ok_or_else(|| format!("unknown tagger template set `{s}` (2 or 3)"))
}

impl TrainArgs {
    fn options(&self) -> TrainOptions {
        let defaults = TrainOptions::default();
        TrainOptions {
            epochs: self.epochs.unwrap_or(defaults.epochs),
            seed: self.seed,
            ..defaults
        }
    }
}

#[derive(Debug, Args)]
pub struct NerArgs {
    /// Training file (CoNLL-2003 columns: word POS chunk tag).
    #[arg(long)]
    train: PathBuf,
    /// Development file: scored after each epoch; the best epoch is kept.
    #[arg(long)]
    dev: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Unlabeled text for the word clusters (.conllu, .csv with a `text` column, or plain text).
    #[arg(long, num_args = 1..)]
    unlabeled: Vec<PathBuf>,
    /// Maximum number of epochs (default: the recogniser's own).
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of the shuffling RNG.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(cmd: TrainCommand) -> Result<ExitCode> {
    match cmd {
        TrainCommand::Events(args) => train_events(&args)?,
        TrainCommand::Clusters(args) => {
            let mut corpus = if args.lowercase {
                newsgraph_learn::ClusterCorpus::lowercase()
            } else {
                newsgraph_learn::ClusterCorpus::new()
            };
            for path in &args.text_from {
                let before = corpus.tokens();
                add_cluster_text(&mut corpus, path, &args.csv_column)?;
                eprintln!("{}: {} words", path.display(), corpus.tokens() - before);
            }
            eprintln!(
                "clustering: {} words, {} sentences, {} distinct words",
                corpus.tokens(),
                corpus.sentences(),
                corpus.types()
            );
            let opts = newsgraph_learn::ClusterOptions {
                clusters: args.clusters,
                min_count: args.min_count,
                lowercase: args.lowercase,
                verbose: true,
            };
            let (clusters, report) = corpus.brown(&opts);
            let bytes = clusters.save().context("encoding the clusters")?;
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
            if let Some(paths) = &args.paths {
                let mut lines: Vec<(String, &str)> = clusters
                    .iter()
                    .map(|(w, code)| {
                        let (bits, len) = newsgraph_learn::clusters::code_bits(code);
                        (newsgraph_learn::clusters::bits_string(bits, len), w)
                    })
                    .collect();
                lines.sort();
                let text: String = lines.iter().map(|(b, w)| format!("{b}\t{w}\n")).collect();
                std::fs::write(paths, text)
                    .with_context(|| format!("cannot write {}", paths.display()))?;
            }
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        TrainCommand::Tagger(args) => {
            let corpora = args
                .train
                .iter()
                .map(|p| read_conllu(p))
                .collect::<Result<Vec<_>>>()?;
            let corpora: Vec<&[_]> = corpora.iter().map(Vec::as_slice).collect();
            let dev = read_conllu(&args.dev)?;
            eprintln!(
                "training tagger on {} sentences, dev {} sentences",
                corpora.iter().map(|c| c.len()).sum::<usize>(),
                dev.len()
            );
            let start = Instant::now();
            let templates = args.templates.unwrap_or_default();
            let (tagger, report) =
                newsgraph_nlp::train_tagger_with(&corpora, &dev, &args.options(), templates);
            eprintln!("trained in {:.1}s", start.elapsed().as_secs_f64());
            let bytes = tagger.save().context("encoding the model")?;
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        TrainCommand::Ner(args) => {
            let read_docs = |p: &PathBuf| -> Result<Vec<newsgraph_nlp::ner::ConllDoc>> {
                newsgraph_nlp::ner::read_conll(&read_text(p)?)
                    .with_context(|| format!("{}", p.display()))
            };
            let train = read_docs(&args.train)?;
            let dev = read_docs(&args.dev)?;
            let mut unlabeled = Vec::new();
            for p in &args.unlabeled {
                let name = p.display().to_string();
                unlabeled.extend(newsgraph_nlp::ner::read_unlabeled(&name, &read_text(p)?)?);
            }
            eprintln!(
                "training entity recogniser on {} documents, dev {} documents, {} unlabeled sentences",
                train.len(),
                dev.len(),
                unlabeled.len()
            );
            let mut opts = newsgraph_nlp::ner::NerTrainOptions::default();
            opts.train.seed = args.seed;
            if let Some(e) = args.epochs {
                opts.train.epochs = e;
            }
            let (rec, report) = newsgraph_nlp::train_ner(&train, &dev, &unlabeled, &opts);
            let bytes = rec.save().context("encoding the model")?;
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!(
                "wrote {} ({} bytes) in {:.1}s",
                args.out.display(),
                bytes.len(),
                report.seconds
            );
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        TrainCommand::Parser(args) => {
            let mut train = Vec::new();
            for p in &args.train {
                train.extend(read_conllu(p)?);
            }
            let dev = read_conllu(&args.dev)?;
            eprintln!(
                "training parser on {} sentences, dev {} sentences",
                train.len(),
                dev.len()
            );
            let defaults = newsgraph_nlp::ParserTrainOptions::default();
            let opts = newsgraph_nlp::ParserTrainOptions {
                epochs: args.epochs.unwrap_or(defaults.epochs),
                seed: args.seed,
                tagger_templates: args.templates.unwrap_or(defaults.tagger_templates),
                ..defaults
            };
            let start = Instant::now();
            let (parser, report) = newsgraph_nlp::train_parser(&train, &dev, &opts);
            eprintln!("trained in {:.1}s", start.elapsed().as_secs_f64());
            let bytes = parser.save();
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct ClustersArgs {
    /// Text files: `.conllu` (word forms), `.csv` (the `--csv-column` column,
    /// tokenized like the pipeline), anything else CoNLL columns (first column;
    /// blank lines end sentences; `-DOCSTART-` lines are skipped).
    #[arg(long, num_args = 1.., required = true)]
    text_from: Vec<PathBuf>,
    /// Where to write the clusters.
    #[arg(long)]
    out: PathBuf,
    /// Number of clusters (distinct bit strings).
    #[arg(long, default_value_t = 256)]
    clusters: usize,
    /// Words seen fewer times are not clustered.
    #[arg(long, default_value_t = 3)]
    min_count: u32,
    /// Cluster lowercased words.
    #[arg(long)]
    lowercase: bool,
    /// Column of `.csv` files holding the text.
    #[arg(long, default_value = "text")]
    csv_column: String,
    /// Also write the paths as text (`bits<TAB>word` per line, for inspection).
    #[arg(long)]
    paths: Option<PathBuf>,
}

/// Add the sentences of one file to the clustering corpus.
fn add_cluster_text(
    corpus: &mut newsgraph_learn::ClusterCorpus,
    path: &std::path::Path,
    csv_column: &str,
) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("conllu") {
        for s in read_conllu(path)? {
            corpus.add_sentence(s.words.iter().map(|w| w.form.as_str()));
        }
    } else if ext.eq_ignore_ascii_case("csv") {
        let mut reader = csv::Reader::from_path(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let col = headers
            .iter()
            .position(|h| h == csv_column)
            .with_context(|| format!("{}: no column `{csv_column}`", path.display()))?;
        for record in reader.records() {
            let record = record.with_context(|| format!("{}", path.display()))?;
            let text = record.get(col).unwrap_or("");
            let tokens = newsgraph_text::tokenize(text);
            let words = newsgraph_text::split_words(text, &tokens);
            let mut w = 0;
            for sent in newsgraph_text::split_sentences(text, &tokens) {
                let start = w;
                while w < words.len() && words[w].token < sent.end {
                    w += 1;
                }
                corpus.add_sentence(words[start..w].iter().map(|x| x.range.slice(text)));
            }
        }
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut sent: Vec<&str> = Vec::new();
        for line in text.lines().chain(std::iter::once("")) {
            match line.split_whitespace().next() {
                Some("-DOCSTART-") => {}
                Some(word) => sent.push(word),
                None => {
                    if !sent.is_empty() {
                        corpus.add_sentence(sent.drain(..));
                    }
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Story file: CSV with `text` and `label` (a PLOVER type) columns.
    #[arg(long)]
    data: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Use only the first N stories (for quick experiments).
    #[arg(long)]
    limit: Option<usize>,
    /// Every Nth story is held out to pick the epoch.
    #[arg(long, default_value_t = 10)]
    holdout_every: usize,
    /// Weak labels: a verb the lexicon misses must occur in this many stories...
    #[arg(long, default_value_t = 8)]
    weak_min_stories: usize,
    /// ... and this share of them must carry one label ...
    #[arg(long, default_value_t = 0.6)]
    weak_min_share: f64,
    /// ... and that share must be this many times the label's base rate.
    #[arg(long, default_value_t = 3.0)]
    weak_lift: f64,
    /// Maximum number of epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Seed of the shuffling RNG.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// `newsgraph train events`: run the standard pipeline over every story,
/// turn its candidate triggers into examples (lexicon types, weak labels from
/// the story label, "no event"), train the perceptron, write the model.
fn train_events(args: &EventsArgs) -> Result<()> {
    use newsgraph_core::records::EventType;
    use newsgraph_extract::events::classifier as cls;
    use rayon::prelude::*;
    let mut reader = csv::Reader::from_path(&args.data)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column `{name}`", args.data.display()))
    };
    let (text_col, label_col) = (col("text")?, col("label")?);
    let mut stories = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{} record {}", args.data.display(), n + 1))?;
        let label = record.get(label_col).unwrap_or("");
        let t = EventType::from_str(label).with_context(|| {
            format!(
                "{} record {}: unknown label `{label}`",
                args.data.display(),
                n + 1
            )
        })?;
        stories.push((t, record.get(text_col).unwrap_or("").to_string()));
        if args.limit.is_some_and(|l| stories.len() >= l) {
            break;
        }
    }
    eprintln!("processing {} stories", stories.len());
    let start = Instant::now();
    let pipeline = newsgraph::Pipeline::standard()?;
    let mut processed = stories
        .par_iter()
        .enumerate()
        .map(|(k, (label, text))| {
            let article = newsgraph_core::Article {
                id: Some(format!("story-{k}")),
                title: None,
                published: None,
                source: None,
                url: None,
                text: text.clone(),
                origin: format!("{} record {}", args.data.display(), k + 1),
                warnings: Vec::new(),
            };
            let doc = pipeline.process(article, None)?;
            Ok((*label, cls::training_examples(&doc, *label)))
        })
        .collect::<Result<Vec<_>>>()?;
    eprintln!("processed in {:.1}s", start.elapsed().as_secs_f64());
    let weak = cls::label_weakly(
        &mut processed,
        args.weak_min_stories,
        args.weak_min_share,
        args.weak_lift,
    );
    eprintln!("{} verbs weakly labelled:", weak.len());
    for (lemma, t, n) in &weak {
        eprintln!("  {lemma} -> {t} ({n} stories)");
    }
    let every = args.holdout_every.max(2);
    let mut train = Vec::new();
    let mut dev = Vec::new();
    for (k, (_, exs)) in processed.into_iter().enumerate() {
        if k % every == 0 {
            dev.extend(exs);
        } else {
            train.extend(exs);
        }
    }
    let mut counts = vec![0usize; cls::N_CLASSES];
    for e in &train {
        counts[e.class] += 1;
    }
    eprintln!(
        "{} training examples, {} held out; per class {:?}",
        train.len(),
        dev.len(),
        counts
    );
    let opts = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        ..TrainOptions::default()
    };
    let mut p = newsgraph_learn::Perceptron::new(cls::N_CLASSES);
    let (model, report) = newsgraph_learn::train(
        &mut p,
        &train,
        &opts,
        |p, e| (usize::from(p.train_step(&e.feats, e.class) == e.class), 1),
        |m| {
            // Macro F1 over the 16 types on the held-out stories.
            let mut tp = [0usize; cls::N_CLASSES];
            let mut fp = [0usize; cls::N_CLASSES];
            let mut fn_ = [0usize; cls::N_CLASSES];
            for e in &dev {
                let g = m.predict(&e.feats);
                if g == e.class {
                    tp[g] += 1;
                } else {
                    fp[g] += 1;
                    fn_[e.class] += 1;
                }
            }
            let mut sum = 0.0;
            for c in 0..cls::NONE {
                let d = (2 * tp[c] + fp[c] + fn_[c]).max(1) as f64;
                sum += 2.0 * tp[c] as f64 / d;
            }
            sum / cls::NONE as f64
        },
    );
    let bytes = cls::EventClassifier { model }
        .save()
        .context("encoding the model")?;
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "stories": stories.len(),
            "weak_verbs": weak.len(),
            "train_examples": train.len(),
            "heldout_examples": dev.len(),
            "per_class": counts,
            "report": report,
        }))?
    );
    Ok(())
}
