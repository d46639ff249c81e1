use super::*;
use EntityLabel::*;

/// A tiny hand-written corpus (invented people and companies), in BIO.
const TINY: &str = "\
-DOCSTART- O

Mirela O
Vantorp O
met O
Osric B-PER
Dalby I-PER
in O
Quellmouth B-LOC
. O

Dalby B-PER
said O
Brannock B-ORG
Holdings I-ORG
would O
open O
an O
office O
in O
Quellmouth B-LOC
. O

-DOCSTART- O

The O
Zerlandic B-MISC
envoy O
Tamsin B-PER
Okoro I-PER
visited O
Brannock B-ORG
Holdings I-ORG
on O
Friday O
. O

Okoro B-PER
flew O
back O
to O
Vessa B-LOC
. O
";

fn tiny_docs() -> Vec<ConllDoc> {
    let mut docs = read_conll(TINY).unwrap();
    // "Mirela Vantorp" is a person; fix the gold here so the text above stays readable.
    docs[0].sentences[0].spans.insert(
        0,
        EntitySpan {
            start: 0,
            end: 2,
            label: Per,
        },
    );
    docs
}

fn predict(rec: &EntityRecognizer, doc: &ConllDoc) -> Vec<Vec<EntitySpan>> {
    let refs: Vec<Vec<&str>> = doc.sentences.iter().map(|s| s.word_refs()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let mut out = Vec::new();
    rec.recognize(&slices, &mut out);
    out
}

fn tiny_options() -> NerTrainOptions {
    let mut opts = NerTrainOptions::default();
    opts.train.epochs = 15;
    opts.train.patience = 15;
    opts.train.verbose = false;
    opts.clusters.sizes = vec![4, 8];
    opts.clusters.min_count = 1;
    opts
}

#[test]
fn overfits_tiny_corpus_and_survives_save_and_reload() {
    let docs = tiny_docs();
    let unlabeled: Vec<Vec<String>> = vec!["Okoro met Dalby in Vessa ."
        .split(' ')
        .map(String::from)
        .collect()];
    let (rec, report) = train_ner(&docs, &docs, &unlabeled, &tiny_options());
    assert_eq!(report.dev.f1, 1.0, "{report:?}");
    assert!(report.cluster_words > 10);
    for doc in &docs {
        let gold: Vec<Vec<EntitySpan>> = doc.sentences.iter().map(|s| s.spans.clone()).collect();
        assert_eq!(predict(&rec, doc), gold);
    }
    let bytes = rec.save().unwrap();
    let back = EntityRecognizer::load(&bytes).unwrap();
    assert_eq!(back.n_features(), rec.n_features());
    assert!(back.gazetteer_matches());
    for doc in &docs {
        assert_eq!(predict(&back, doc), predict(&rec, doc));
    }
    // Saving is deterministic.
    assert_eq!(back.save().unwrap(), bytes);
}

#[test]
fn bad_model_bytes_are_errors() {
    assert!(EntityRecognizer::load(b"not a model").is_err());
    let tagger_like = newsgraph_learn::format::encode("tagger", &1u32).unwrap();
    let err = EntityRecognizer::load(&tagger_like).unwrap_err();
    assert!(err.to_string().contains("expected `ner`"), "{err}");
}

#[test]
fn eval_counts_exact_spans_and_types() {
    let docs = tiny_docs();
    let (rec, _) = train_ner(&docs, &docs, &[], &tiny_options());
    let eval = eval_ner(&rec, TINY).unwrap();
    // TINY as written lacks the "Mirela Vantorp" span the model learned: one false positive.
    assert_eq!(eval.tokens, 36);
    assert_eq!(eval.recall, 1.0);
    assert!((eval.precision - 10.0 / 11.0).abs() < 1e-9, "{eval:?}");
    assert_eq!(eval.per_type["PER"].precision, 0.8);
    assert_eq!(eval.per_type["LOC"].f1, 1.0);
    let json = serde_json::to_value(&eval).unwrap();
    assert!(json["per_type"]["MISC"]["f1"].is_number());
}

#[test]
fn bilou_helpers_keep_sequences_well_formed() {
    let spans = vec![
        EntitySpan {
            start: 0,
            end: 1,
            label: Org,
        },
        EntitySpan {
            start: 2,
            end: 5,
            label: Per,
        },
    ];
    let mut classes = Vec::new();
    gold_classes(6, &spans, &mut classes);
    let b_per = bilou_class(Per, 0);
    assert_eq!(
        classes,
        vec![bilou_class(Org, 3), 0, b_per, b_per + 1, b_per + 2, 0]
    );
    let mut back = Vec::new();
    classes_to_spans(&classes, &mut back);
    assert_eq!(back, spans);
    // Inside a PER entity, I-ORG may not follow; outside, I-/L- may not start one.
    assert!(!allowed(Some(b_per), bilou_class(Org, 1)));
    assert!(allowed(Some(b_per), bilou_class(Per, 2)));
    assert!(!allowed(None, bilou_class(Per, 1)));
    assert_eq!(close(b_per), bilou_class(Per, 3));
    assert_eq!(close(b_per + 1), b_per + 2);
}

#[test]
fn refinement_gives_gpe_and_norp() {
    let g = Gazetteer::builtin();
    let r = |label, words: &[&str]| refine_entity_type(label, words, g);
    assert_eq!(r(Loc, &["Russia"]), EntityType::Gpe);
    assert_eq!(r(Loc, &["the", "United", "States"]), EntityType::Gpe);
    assert_eq!(r(Loc, &["Sochi"]), EntityType::Gpe);
    assert_eq!(r(Loc, &["Texas"]), EntityType::Gpe);
    assert_eq!(r(Loc, &["Middle", "East"]), EntityType::Loc);
    assert_eq!(r(Loc, &["Mount", "Elbrus"]), EntityType::Loc);
    assert_eq!(r(Misc, &["Russian"]), EntityType::Norp);
    assert_eq!(r(Misc, &["Ukrainians"]), EntityType::Norp);
    assert_eq!(r(Misc, &["Shi'ite"]), EntityType::Norp);
    assert_eq!(r(Misc, &["World", "Cup"]), EntityType::Misc);
    assert_eq!(r(Per, &["Osric", "Dalby"]), EntityType::Person);
    assert_eq!(r(Org, &["NATO"]), EntityType::Org);
}

/// The shipped model on a few news sentences written for this test.
#[test]
fn builtin_model_finds_clear_entities() {
    let rec = EntityRecognizer::builtin().expect("models/ner.bin");
    assert!(
        rec.gazetteer_matches(),
        "retrain models/ner.bin after editing the lexicons"
    );
    let text = [
        "U.S. Secretary of State John Kerry met Russian President Vladimir Putin in Sochi on Tuesday .",
        "Kerry told reporters that NATO and the European Union would send observers to Ukraine .",
        "The Kremlin said Putin had spoken with German Chancellor Angela Merkel by telephone .",
        "Shares of General Motors fell 3 percent in New York , a spokesman for the company said .",
    ];
    let words: Vec<Vec<&str>> = text.iter().map(|s| s.split(' ').collect()).collect();
    let slices: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
    let mut out = Vec::new();
    rec.recognize(&slices, &mut out);
    let found: Vec<Vec<(String, EntityLabel)>> = out
        .iter()
        .zip(&words)
        .map(|(spans, w)| {
            spans
                .iter()
                .map(|s| (w[s.start..s.end].join(" "), s.label))
                .collect()
        })
        .collect();
    let mut missing = Vec::new();
    let mut has = |s: usize, name: &str, label| {
        if !found[s].contains(&(name.to_string(), label)) {
            missing.push(format!(
                "sentence {s}: {label} `{name}` not in {:?}",
                found[s]
            ));
        }
    };
    has(0, "John Kerry", Per);
    has(0, "Vladimir Putin", Per);
    has(0, "Sochi", Loc);
    has(0, "Russian", Misc);
    has(1, "Kerry", Per);
    has(1, "NATO", Org);
    has(1, "European Union", Org);
    has(1, "Ukraine", Loc);
    has(2, "Putin", Per);
    has(2, "Angela Merkel", Per);
    has(2, "German", Misc);
    has(3, "General Motors", Org);
    has(3, "New York", Loc);
    assert!(missing.is_empty(), "{missing:#?}");
    // Output-contract types.
    let g = Gazetteer::builtin();
    assert_eq!(refine_entity_type(Loc, &["Sochi"], g), EntityType::Gpe);
    assert_eq!(refine_entity_type(Misc, &["Russian"], g), EntityType::Norp);
}

#[test]
fn empty_documents_and_sentences_give_no_spans() {
    let rec = EntityRecognizer::builtin().unwrap();
    let mut out = vec![vec![EntitySpan {
        start: 0,
        end: 1,
        label: Per,
    }]];
    rec.recognize(&[], &mut out);
    assert!(out.is_empty());
    let empty: &[&str] = &[];
    rec.recognize(&[empty, &["Paris"]], &mut out);
    assert_eq!(out.len(), 2);
    assert!(out[0].is_empty());
}

#[test]
fn a_dateline_is_read_apart_from_the_sentence_after_its_dash() {
    let words = |s: &'static str| s.split(' ').collect::<Vec<&str>>();
    let opening = words(
        "BRNO , Oct 10 ( Meridian ) - Czech Justice Minister Jana Dvorska resigned on Thursday , a day after parliament rejected her bill .",
    );
    assert_eq!(dateline_dash(&opening), Some(7));
    assert_eq!(dateline_dash(&words("VANTOR - The talks ended .")), Some(1));
    assert_eq!(
        dateline_dash(&words("( Meridian ) - Talks ended .")),
        Some(3)
    );
    // A headline in capitals, a dash inside a sentence, a parenthesis with words.
    assert_eq!(
        dateline_dash(&words("SOCCER - JAPAN GET LUCKY WIN .")),
        None
    );
    assert_eq!(dateline_dash(&words("Talks ended - for now .")), None);
    assert_eq!(
        dateline_dash(&words("Okoro ( pictured ) - resigned .")),
        None
    );
    let rec = EntityRecognizer::builtin().unwrap();
    let mut out = Vec::new();
    rec.recognize(&[&opening], &mut out);
    let found: Vec<(String, EntityLabel)> = out[0]
        .iter()
        .map(|s| (opening[s.start..s.end].join(" "), s.label))
        .collect();
    // Read as one sentence, "Czech Justice" after the dash was an organisation.
    assert!(
        found.contains(&("Jana Dvorska".to_string(), Per))
            && !found.iter().any(|(_, label)| *label == Org),
        "{found:?}"
    );
}

#[test]
fn a_document_s_dateline_gives_its_place_and_dash() {
    let read = |s: &str| dateline(&one_sentence_doc(s)).map(|d| (d.place, d.dash));
    assert_eq!(
        read("ST PETERSBURG , Russia , March 3 ( Meridian ) - Police detained 40 people ."),
        Some((0..2, 10))
    );
    assert_eq!(read("KYIV - Police detained 40 people ."), Some((0..1, 1)));
    assert_eq!(
        read("WASHINGTON ( Meridian ) - The talks ended ."),
        Some((0..1, 4))
    );
    assert_eq!(read("Talks ended - for now ."), None);
    assert_eq!(read("SOCCER - JAPAN GET LUCKY WIN ."), None);
}

#[test]
fn a_colon_dateline_needs_a_known_place_in_capitals() {
    let words = |s: &'static str| s.split(' ').collect::<Vec<&str>>();
    let read = |s: &'static str| dateline_colon(&words(s));
    assert_eq!(
        read("ISLAMABAD : Police fired tear gas at marchers on Sunday ."),
        Some(1)
    );
    assert_eq!(
        read("NEW DELHI , March 3 : The court adjourned the hearing ."),
        Some(5)
    );
    assert_eq!(read("DOHA , Oct . 10 : Envoys met again ."), Some(5));
    assert_eq!(read("PAKISTAN : Floods cut the highway ."), Some(1));
    assert_eq!(
        read("PESHAWAR , Pakistan , March 3 : Schools reopened ."),
        Some(6)
    );
    // Labels, capital words that are no place, lowercase places, a colon
    // too far in, capitals after the colon, a comma followed by no date.
    assert_eq!(read("UPDATE : Police fired tear gas ."), None);
    assert_eq!(read("BREAKING : The minister resigned ."), None);
    assert_eq!(read("EXCLUSIVE : Inside the talks ."), None);
    assert_eq!(read("WATCH : Crowds gather in the square ."), None);
    assert_eq!(read("ANALYSIS : Why the talks failed ."), None);
    assert_eq!(read("OPINION : A budget for nobody ."), None);
    assert_eq!(read("NOTE : This story has been corrected ."), None);
    assert_eq!(read("SOCCER : Rovers win again ."), None);
    // A town the gazetteer lacks, named with its country.
    assert_eq!(
        read("VELKOVO , Bulgaria , May 2 : Farmers blocked roads ."),
        Some(6)
    );
    assert_eq!(read("VELKOVO , May 2 : Farmers blocked roads ."), None);
    assert_eq!(read("SOCCER , Rovers , May 2 : Fans cheered ."), None);
    assert_eq!(read("Islamabad : Police fired tear gas ."), None);
    assert_eq!(read("KARACHI : CITY BRACES FOR STORM"), None);
    assert_eq!(read("KARACHI , police said : The storm passed ."), None);
    assert_eq!(read("Police said : the storm passed ."), None);
}

#[test]
fn a_document_s_colon_dateline_gives_its_place_and_colon() {
    let read = |s: &str| dateline(&one_sentence_doc(s)).map(|d| (d.place, d.dash));
    assert_eq!(
        read("NEW DELHI , March 3 : The court adjourned the hearing ."),
        Some((0..2, 5))
    );
    assert_eq!(read("KARACHI : Rain flooded the port ."), Some((0..1, 1)));
    assert_eq!(read("UPDATE : Rain flooded the port ."), None);
    // The dash form is read first, as before.
    assert_eq!(read("KYIV - Police said : go home ."), Some((0..1, 1)));
    // The recogniser reads the text after the colon as a sentence of its own.
    let opening = words_of("LAHORE : Police arrested Imran Qadir Baloch on Sunday .");
    let rec = EntityRecognizer::builtin().unwrap();
    let mut out = Vec::new();
    rec.recognize(&[&opening], &mut out);
    let found: Vec<String> = out[0]
        .iter()
        .map(|s| opening[s.start..s.end].join(" "))
        .collect();
    assert!(found.contains(&"LAHORE".to_string()), "{found:?}");
    assert!(
        out[0].iter().all(|s| s.start > 1 || s.end <= 1),
        "{found:?}"
    );
}

fn words_of(s: &'static str) -> Vec<&'static str> {
    s.split(' ').collect()
}

/// A document of one sentence with whitespace tokens.
fn one_sentence_doc(s: &str) -> newsgraph_core::Doc {
    let mut d = newsgraph_core::Doc::new(s, newsgraph_core::DocMeta::default());
    let mut at = 0;
    let mut tokens = Vec::new();
    for w in s.split(' ') {
        tokens.push(newsgraph_core::TextRange::new(at, at + w.len()));
        at += w.len() + 1;
    }
    let n = tokens.len() as u32;
    d.set_tokens(tokens).unwrap();
    d.set_sentences(std::slice::from_ref(&(0..n))).unwrap();
    d
}
