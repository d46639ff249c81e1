//! Component tests on hand-built Docs: the `TimeNormalizer` contract (layers,
//! sorted non-overlapping output, warnings), datelines and the use of tags.

use newsgraph_core::component::check_order;
use newsgraph_core::records::TimeType;
use newsgraph_core::{Component, Doc, DocMeta, Layers, TextRange, Upos, Xpos};
use newsgraph_extract::time::{simple_tokens, TimeNormalizer};

/// Build a Doc from words (joined by single spaces) split into sentences.
struct DocBuilder {
    sentences: Vec<Vec<&'static str>>,
    published: Option<&'static str>,
    xpos: Option<Vec<&'static str>>,
}

impl DocBuilder {
    fn new(sentences: &[&[&'static str]]) -> Self {
        DocBuilder {
            sentences: sentences.iter().map(|s| s.to_vec()).collect(),
            published: None,
            xpos: None,
        }
    }

    fn published(mut self, d: &'static str) -> Self {
        self.published = Some(d);
        self
    }

    fn xpos(mut self, tags: &[&'static str]) -> Self {
        self.xpos = Some(tags.to_vec());
        self
    }

    fn build(self) -> Doc {
        let mut text = String::new();
        let mut tokens = Vec::new();
        let mut sents = Vec::new();
        for s in &self.sentences {
            let first = tokens.len() as u32;
            for w in s {
                if !text.is_empty() {
                    text.push(' ');
                }
                tokens.push(TextRange::new(text.len(), text.len() + w.len()));
                text.push_str(w);
            }
            sents.push(first..tokens.len() as u32);
        }
        let meta = DocMeta {
            published: self.published.map(str::to_string),
            ..DocMeta::default()
        };
        let mut doc = Doc::new(text, meta);
        doc.set_tokens(tokens).unwrap();
        doc.set_sentences(&sents).unwrap();
        if let Some(tags) = self.xpos {
            let tags = tags
                .iter()
                .map(|t| (Upos::X, Xpos::from_str(t).expect("known tag")))
                .collect();
            doc.set_tags(tags).unwrap();
        }
        doc
    }
}

fn values(doc: &Doc) -> Vec<(&str, Option<&str>)> {
    doc.times
        .iter()
        .map(|t| (doc.slice(t.range), t.value.as_deref()))
        .collect()
}

#[test]
fn declares_its_layers_and_fits_after_the_tokenizer() {
    let c = TimeNormalizer::new();
    assert_eq!(c.name(), "time");
    assert_eq!(c.requires(), Layers::TOKENS | Layers::SENTENCES);
    assert_eq!(c.assigns(), Layers::TIMES);
    assert!(check_order(Layers::TOKENS | Layers::SENTENCES, &[&c]).is_ok());
    assert!(check_order(Layers::TOKENS, &[&c]).is_err());
}

#[test]
fn fills_times_sorted_and_non_overlapping() {
    let mut doc = DocBuilder::new(&[
        &[
            "Kerry", "met", "Putin", "on", "Tuesday", "for", "eight", "hours", ".",
        ],
        &[
            "He", "will", "fly", "to", "Antalya", "next", "week", "and", "return", "on", "June",
            "30", ".",
        ],
    ])
    .published("2015-05-12")
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert!(doc.has(Layers::TIMES));
    assert_eq!(
        values(&doc),
        [
            ("Tuesday", Some("2015-05-12")),
            ("eight hours", Some("PT8H")),
            ("next week", Some("2015-W21")),
            ("June 30", Some("2015-06-30")),
        ]
    );
    assert_eq!(doc.times[1].time_type, TimeType::Duration);
    for w in doc.times.windows(2) {
        assert!(
            w[0].range.end <= w[1].range.start,
            "sorted, non-overlapping"
        );
    }
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn without_publication_date_relative_values_are_null_and_warned_once() {
    let mut doc = DocBuilder::new(&[
        &["They", "met", "on", "Tuesday", "and", "yesterday", "."],
        &[
            "The", "treaty", "of", "May", "12", ",", "2015", "stands", ".",
        ],
        &["Talks", "resume", "next", "week", "."],
    ])
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(
        values(&doc),
        [
            ("Tuesday", None),
            ("yesterday", None),
            ("May 12 , 2015", Some("2015-05-12")),
            ("next week", None),
        ]
    );
    assert_eq!(doc.diagnostics.len(), 1);
    assert_eq!(doc.diagnostics[0].origin, "time");
}

#[test]
fn dateline_date_takes_precedence_over_publication_date() {
    let text = "ANKARA, March 18 (Meridian) - Turkish and Iraqi ministers met on Tuesday.";
    let mut doc = Doc::new(
        text,
        DocMeta {
            published: Some("2015-03-20".into()),
            ..DocMeta::default()
        },
    );
    let toks = simple_tokens(text);
    let n = toks.len() as u32;
    doc.set_tokens(toks).unwrap();
    doc.set_sentences(std::slice::from_ref(&(0..n))).unwrap();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(
        values(&doc),
        [
            ("March 18", Some("2015-03-18")),
            ("Tuesday", Some("2015-03-17"))
        ]
    );
}

#[test]
fn dateline_without_date_keeps_the_publication_date() {
    let mut doc = DocBuilder::new(&[&[
        "LAGOS", "-", "Gunmen", "attacked", "a", "village", "on", "Sunday", ".",
    ]])
    .published("2015-05-12")
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(values(&doc), [("Sunday", Some("2015-05-10"))]);
}

#[test]
fn dateline_gives_an_anchor_when_there_is_no_publication_date() {
    let mut doc = DocBuilder::new(&[&[
        "TALLINN",
        ",",
        "June",
        "4",
        ",",
        "2015",
        "(",
        "HNS",
        ")",
        "-",
        "The",
        "president",
        "will",
        "visit",
        "Riga",
        "on",
        "Friday",
        ".",
    ]])
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(
        values(&doc),
        [
            ("June 4 , 2015", Some("2015-06-04")),
            ("Friday", Some("2015-06-05"))
        ]
    );
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn uses_tags_for_tense_when_present() {
    // "put" is past here only by its tag; the word list cannot tell.
    let words: &[&'static str] = &[
        "Police", "put", "the", "curfew", "in", "place", "on", "Friday", ".",
    ];
    let mut untagged = DocBuilder::new(&[words]).published("2015-05-12").build();
    TimeNormalizer::new().annotate(&mut untagged).unwrap();
    let mut tagged = DocBuilder::new(&[words])
        .published("2015-05-12")
        .xpos(&["NNS", "VBD", "DT", "NN", "IN", "NN", "IN", "NNP", "."])
        .build();
    TimeNormalizer::new().annotate(&mut tagged).unwrap();
    // Without a cue a weekday is the past one; with the VBD tag too.
    assert_eq!(values(&tagged), [("Friday", Some("2015-05-08"))]);
    assert_eq!(values(&untagged), [("Friday", Some("2015-05-08"))]);

    // "may" tagged MD is the modal, not the month.
    let mut modal = DocBuilder::new(&[&["May", "we", "go", "?"]])
        .published("2015-05-12")
        .xpos(&["MD", "PRP", "VB", "."])
        .build();
    TimeNormalizer::new().annotate(&mut modal).unwrap();
    assert!(modal.times.is_empty());

    // A VBZ "meets" is present: the nearest Friday.
    let mut present = DocBuilder::new(&[&["The", "council", "meets", "on", "Friday", "."]])
        .published("2015-05-12")
        .xpos(&["DT", "NN", "VBZ", "IN", "NNP", "."])
        .build();
    TimeNormalizer::new().annotate(&mut present).unwrap();
    assert_eq!(values(&present), [("Friday", Some("2015-05-15"))]);
}

#[test]
fn anaphora_follow_the_last_date_across_sentences() {
    let mut doc = DocBuilder::new(&[
        &[
            "The", "summit", "opened", "on", "May", "3", ",", "2010", ".",
        ],
        &["The", "following", "day", ",", "talks", "collapsed", "."],
        &["Two", "days", "later", ",", "they", "resumed", "."],
    ])
    .published("2015-05-12")
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(
        values(&doc),
        [
            ("May 3 , 2010", Some("2010-05-03")),
            ("The following day", Some("2010-05-04")),
            ("Two days later", Some("2010-05-06")),
        ]
    );
}

/// A text that has not spoken of its own time (no weekday, no "last week",
/// no year near the anchor's) narrates the period of the last year it gave,
/// however many sentences back; once it has, that year holds for two
/// sentences only.
#[test]
fn a_history_keeps_its_year_a_news_story_returns_to_its_own() {
    let mut doc = DocBuilder::new(&[
        &["He", "was", "wounded", "on", "30", "May", "1832", "."],
        &["His", "funeral", "ended", "in", "riots", "."],
        &["Troops", "were", "called", "out", "."],
        &["The", "rising", "began", "on", "5", "June", "."],
    ])
    .published("2004-08-18")
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(values(&doc)[1], ("5 June", Some("1832-06-05")));

    let mut doc = DocBuilder::new(&[
        &["The", "treaty", "was", "signed", "in", "2009", "."],
        &["Officials", "met", "on", "Tuesday", "."],
        &["They", "spoke", "again", "."],
        &["Talks", "resumed", "."],
        &["The", "envoys", "left", "on", "May", "5", "."],
    ])
    .published("2015-05-12")
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(values(&doc)[2], ("May 5", Some("2015-05-05")));
}

/// A diary's or a vlog's own date ("it is Monday May 3rd") is the day
/// "today", "tomorrow" and weekdays after it count from.
#[test]
fn the_day_the_text_says_it_is_anchors_today_and_tomorrow() {
    let mut doc = DocBuilder::new(&[
        &[
            "Good", "morning", ",", "it", "is", "Monday", "May", "3rd", ".",
        ],
        &["I", "will", "revise", "chemistry", "today", "."],
        &["It", "'s", "currently", "on", "Wednesday", "."],
        &["The", "exam", "is", "tomorrow", "."],
    ])
    .published("2021-05-30")
    .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(
        values(&doc),
        [
            ("Monday May 3rd", Some("2021-05-03")),
            ("today", Some("2021-05-03")),
            ("currently", Some("PRESENT_REF")),
            ("Wednesday", Some("2021-05-05")),
            ("tomorrow", Some("2021-05-06")),
        ]
    );
    // Without such a sentence "today" is the publication date.
    let mut doc = DocBuilder::new(&[&["The", "court", "rules", "today", "."]])
        .published("2021-05-30")
        .build();
    TimeNormalizer::new().annotate(&mut doc).unwrap();
    assert_eq!(values(&doc), [("today", Some("2021-05-30"))]);
}

/// Tense comes from the clause of the time expression, not from a conditional
/// clause after it; "since" always looks back.
#[test]
fn conditional_clause_and_since() {
    use newsgraph_extract::time::normalize_text;
    let found = normalize_text(
        "The union said it would begin a strike on Monday if its demands were not met.",
        Some("2023-11-02"),
    );
    let monday = found.iter().find(|f| f.text == "Monday").unwrap();
    assert_eq!(monday.value.as_deref(), Some("2023-11-06"));
    let found = normalize_text(
        "Both sides will release prisoners held since January.",
        Some("2025-06-06"),
    );
    let january = found.iter().find(|f| f.text == "January").unwrap();
    assert_eq!(january.value.as_deref(), Some("2025-01"));
}
