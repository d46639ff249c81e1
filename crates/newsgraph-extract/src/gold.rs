//! Gold annotations of the project's own dev sets (`dev/README.md`): annotated
//! articles (`NN-slug.txt` with inline mention markup + `NN-slug.json` with gold
//! entities, quotes and events) and sentence-level event records
//! (`sentences.jsonl`). Everything is turned into byte ranges ([`TextRange`])
//! over the clean text the pipeline sees, so scorers compare ranges.
//!
//! ```
//! use newsgraph_extract::gold::parse_markup;
//! let (text, marks) = parse_markup("[Selim Kaya]{kaya} said [he]{kaya} met [[Azerbaijani]{aze} officials]{off}.").unwrap();
//! assert_eq!(text, "Selim Kaya said he met Azerbaijani officials.");
//! let spans: Vec<_> = marks.iter().map(|m| (&text[m.range.start as usize..m.range.end as usize], m.entity.as_str())).collect();
//! assert_eq!(spans, [("Selim Kaya", "kaya"), ("he", "kaya"), ("Azerbaijani officials", "off"), ("Azerbaijani", "aze")]);
//! ```

use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};
use newsgraph_core::{Article, TextRange};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A problem in a gold file, naming the file and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct GoldError {
    pub path: String,
    pub message: String,
}

fn err(path: &str, message: impl Into<String>) -> GoldError {
    GoldError {
        path: path.to_string(),
        message: message.into(),
    }
}

/// One gold mention: a span of the clean text and the gold entity it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldMention {
    pub range: TextRange,
    pub entity: String,
}

/// Coordinates of a gold place.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldPlace {
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

/// A gold entity of an annotated article.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEntity {
    pub id: String,
    pub name: String,
    pub entity_type: EntityType,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub roles: Vec<String>,
    pub place: Option<GoldPlace>,
}

/// A gold quotation.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldQuote {
    /// From the start of the first part to the end of the last.
    pub range: TextRange,
    pub kind: QuoteKind,
    /// Gold entity id; `None` for an unattributed quote.
    pub speaker: Option<String>,
}

/// A gold event participant.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldActor {
    /// Gold entity id (articles).
    pub entity: Option<String>,
    /// The words naming the actor (sentence records: the given text; articles: the entity name).
    pub text: String,
    /// Where `text` occurs, for sentence records.
    pub range: Option<TextRange>,
    pub country: Option<String>,
    pub sector: Option<String>,
}

/// A gold event.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    pub trigger: TextRange,
    /// The span of the `sentence` hint (articles) or the whole record text.
    pub context: TextRange,
    pub event_type: EventType,
    pub mode: String,
    pub source: Vec<GoldActor>,
    pub target: Vec<GoldActor>,
    pub date: Option<String>,
    pub modality: Modality,
    /// Gold entity id (articles) or the speaker's words (sentence records).
    pub attribution: Option<String>,
}

/// One gold document: an annotated article or a sentence record.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldDoc {
    pub id: String,
    /// Where it came from: `path` or `path:line`.
    pub origin: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub text: String,
    /// Whether entity, mention and quote gold is present (articles).
    pub annotated: bool,
    /// Sorted by start, then by longer span first.
    pub mentions: Vec<GoldMention>,
    pub entities: BTreeMap<String, GoldEntity>,
    pub quotes: Vec<GoldQuote>,
    pub events: Vec<GoldEvent>,
}

impl GoldDoc {
    /// The article to run the pipeline on: the clean text and the metadata.
    pub fn article(&self) -> Article {
        Article {
            id: Some(self.id.clone()),
            title: self.title.clone(),
            published: self.published.clone(),
            source: self.source.clone(),
            url: None,
            text: self.text.clone(),
            origin: self.origin.clone(),
            warnings: Vec::new(),
        }
    }

    /// The surface words of a range.
    pub fn slice(&self, r: TextRange) -> &str {
        &self.text[r.start as usize..r.end as usize]
    }

    /// Mentions of one gold entity, in text order.
    pub fn mentions_of<'a>(&'a self, entity: &'a str) -> impl Iterator<Item = &'a GoldMention> {
        self.mentions.iter().filter(move |m| m.entity == entity)
    }
}

/// Load gold documents from files and directories: a directory yields its
/// `*.txt` articles (each with the `.json` beside it) and `*.jsonl` record
/// files, sorted by name; a file is an article (`.txt` or `.json` of a pair)
/// or a `.jsonl` file.
pub fn load(paths: &[PathBuf]) -> Result<Vec<GoldDoc>, GoldError> {
    let mut docs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| err(&path.display().to_string(), e.to_string()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| matches!(ext(p), "txt" | "jsonl"))
                .collect();
            files.sort();
            for f in files {
                load_file(&f, &mut docs)?;
            }
        } else {
            load_file(path, &mut docs)?;
        }
    }
    Ok(docs)
}

fn ext(p: &Path) -> &str {
    p.extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn load_file(path: &Path, docs: &mut Vec<GoldDoc>) -> Result<(), GoldError> {
    let name = path.display().to_string();
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| err(&p.display().to_string(), e.to_string()))
    };
    match ext(path) {
        "jsonl" => {
            let content = read(path)?;
            for (i, line) in content.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                docs.push(parse_record(line, &format!("{name}:{}", i + 1))?);
            }
            Ok(())
        }
        "txt" | "json" => {
            let txt = path.with_extension("txt");
            let json = path.with_extension("json");
            docs.push(parse_article(
                &read(&txt)?,
                &read(&json)?,
                &txt.display().to_string(),
            )?);
            Ok(())
        }
        _ => Err(err(
            &name,
            "not a gold file (expected .txt, .json or .jsonl)",
        )),
    }
}

/// Remove `[words]{id}` marks from annotated text; returns the clean text and
/// the marks as byte ranges over it, sorted by start (longer first).
pub fn parse_markup(marked: &str) -> Result<(String, Vec<GoldMention>), String> {
    let mut text = String::with_capacity(marked.len());
    let mut open: Vec<usize> = Vec::new();
    let mut marks = Vec::new();
    let mut chars = marked.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some((_, '[' | ']'))) => {
                let (_, escaped) = chars.next().expect("peeked");
                text.push(escaped);
            }
            '[' => open.push(text.len()),
            ']' => {
                let start = open
                    .pop()
                    .ok_or_else(|| format!("unopened ']' at byte {i}"))?;
                let rest = &marked[i + 1..];
                let close = rest
                    .strip_prefix('{')
                    .and_then(|r| r.find('}'))
                    .ok_or_else(|| format!("']' at byte {i} is not followed by {{id}}"))?;
                let id = &rest[1..close + 1];
                if id.is_empty() || id.contains(char::is_whitespace) {
                    return Err(format!("bad entity id {id:?} at byte {i}"));
                }
                if start == text.len() {
                    return Err(format!("empty mention at byte {i}"));
                }
                marks.push(GoldMention {
                    range: TextRange::new(start, text.len()),
                    entity: id.to_string(),
                });
                // Skip "{id}".
                for _ in 0..id.chars().count() + 2 {
                    chars.next();
                }
            }
            _ => text.push(c),
        }
    }
    if let Some(start) = open.pop() {
        return Err(format!(
            "'[' never closed (clean text byte {start}: {:?})",
            &text[start..(start + 40).min(text.len())]
        ));
    }
    marks.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    Ok((text, marks))
}

/// Split `Key: value` header lines (up to the first blank line) from the body.
fn split_header(content: &str) -> (BTreeMap<String, String>, &str) {
    let mut header = BTreeMap::new();
    let mut offset = 0;
    for line in content.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            return (header, &content[offset + line.len()..]);
        }
        match trimmed.split_once(':') {
            Some((k, v)) if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()) => {
                header.insert(k.to_ascii_lowercase(), v.trim().to_string());
            }
            _ => return (BTreeMap::new(), content),
        }
        offset += line.len();
    }
    (BTreeMap::new(), content)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityJson {
    name: String,
    #[serde(rename = "type")]
    entity_type: String,
    country: Option<String>,
    sector: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    place: Option<GoldPlace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteJson {
    text: String,
    #[serde(default)]
    rest: Vec<String>,
    kind: String,
    speaker: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ActorJson {
    Id(String),
    Inline {
        text: String,
        country: Option<String>,
        sector: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventJson {
    sentence: Option<String>,
    trigger: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    source: Vec<ActorJson>,
    #[serde(default)]
    target: Vec<ActorJson>,
    date: Option<String>,
    modality: String,
    attribution: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleJson {
    #[serde(default)]
    entities: BTreeMap<String, EntityJson>,
    #[serde(default)]
    quotes: Vec<QuoteJson>,
    #[serde(default)]
    events: Vec<EventJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson {
    id: String,
    published: Option<String>,
    text: String,
    #[serde(default)]
    events: Vec<EventJson>,
}

/// Byte offsets of whole-string occurrences of `needle` in `hay`.
fn occurrences<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(needle).map(|(i, _)| i)
}

/// Find `words` (optionally `words@n`, the n-th occurrence) inside `within`.
fn find_in(text: &str, within: TextRange, words: &str) -> Result<TextRange, String> {
    let (needle, nth) = match words.rsplit_once('@') {
        Some((w, n)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => {
            (w, n.parse::<usize>().map_err(|e| e.to_string())?)
        }
        _ => (words, 1),
    };
    if needle.is_empty() || nth == 0 {
        return Err(format!("bad reference {words:?}"));
    }
    let hay = &text[within.start as usize..within.end as usize];
    let at = occurrences(hay, needle)
        .nth(nth - 1)
        .ok_or_else(|| format!("{words:?} not found in {hay:?}"))?;
    let start = within.start as usize + at;
    Ok(TextRange::new(start, start + needle.len()))
}

fn unique(text: &str, needle: &str) -> Result<TextRange, String> {
    let mut found = occurrences(text, needle);
    let first = found
        .next()
        .ok_or_else(|| format!("{needle:?} not found in the text"))?;
    if found.next().is_some() {
        return Err(format!("{needle:?} occurs more than once in the text"));
    }
    Ok(TextRange::new(first, first + needle.len()))
}

fn entity_type(s: &str) -> Result<EntityType, String> {
    EntityType::from_str(s).ok_or_else(|| format!("unknown entity type {s:?}"))
}

fn event_type(s: &str) -> Result<EventType, String> {
    EventType::from_str(s).ok_or_else(|| format!("unknown event type {s:?}"))
}

fn modality(s: &str) -> Result<Modality, String> {
    Modality::from_str(s).ok_or_else(|| format!("unknown modality {s:?}"))
}

fn quote_kind(s: &str) -> Result<QuoteKind, String> {
    QuoteKind::from_str(s).ok_or_else(|| format!("unknown quote kind {s:?}"))
}

/// Parse an annotated article: the marked-up `.txt` content and its `.json` gold.
pub fn parse_article(marked: &str, json: &str, origin: &str) -> Result<GoldDoc, GoldError> {
    let (header, body) = split_header(marked);
    let (text, mentions) = parse_markup(body).map_err(|m| err(origin, m))?;
    let json_origin = origin
        .strip_suffix(".txt")
        .map(|o| format!("{o}.json"))
        .unwrap_or_else(|| origin.to_string());
    let gold: ArticleJson =
        serde_json::from_str(json).map_err(|e| err(&json_origin, e.to_string()))?;
    let e = |m: String| err(&json_origin, m);

    let mut entities = BTreeMap::new();
    for (id, ej) in gold.entities {
        entities.insert(
            id.clone(),
            GoldEntity {
                id: id.clone(),
                name: ej.name,
                entity_type: entity_type(&ej.entity_type).map_err(e)?,
                country: ej.country,
                sector: ej.sector,
                roles: ej.roles,
                place: ej.place,
            },
        );
    }
    for m in &mentions {
        if !entities.contains_key(&m.entity) {
            return Err(err(
                origin,
                format!(
                    "mention {:?} refers to undefined entity {:?}",
                    &text[m.range.start as usize..m.range.end as usize],
                    m.entity
                ),
            ));
        }
    }
    for id in entities.keys() {
        if !mentions.iter().any(|m| &m.entity == id) {
            return Err(e(format!("entity {id:?} has no mention in the text")));
        }
    }
    let known = |id: &Option<String>, what: &str| -> Result<(), GoldError> {
        match id {
            Some(id) if !entities.contains_key(id) => {
                Err(e(format!("{what} refers to undefined entity {id:?}")))
            }
            _ => Ok(()),
        }
    };

    let whole = TextRange::new(0, text.len());
    let mut quotes = Vec::new();
    for q in gold.quotes {
        known(&q.speaker, "quote speaker")?;
        let first = unique(&text, &q.text)
            .or_else(|_| find_in(&text, whole, &q.text))
            .map_err(e)?;
        let mut range = first;
        for part in &q.rest {
            let after = TextRange::new(range.end as usize, text.len());
            range = range.cover(find_in(&text, after, part).map_err(e)?);
        }
        quotes.push(GoldQuote {
            range,
            kind: quote_kind(&q.kind).map_err(e)?,
            speaker: q.speaker,
        });
    }

    let mut events = Vec::new();
    for ev in gold.events {
        let hint = ev
            .sentence
            .as_deref()
            .ok_or_else(|| e(format!("event {:?} has no \"sentence\"", ev.trigger)))?;
        let context = unique(&text, hint).map_err(e)?;
        let trigger = find_in(&text, context, &ev.trigger).map_err(e)?;
        let actors = |list: Vec<ActorJson>| -> Result<Vec<GoldActor>, GoldError> {
            list.into_iter()
                .map(|a| match a {
                    ActorJson::Id(id) => {
                        let ent = entities
                            .get(&id)
                            .ok_or_else(|| e(format!("event actor {id:?} is undefined")))?;
                        Ok(GoldActor {
                            entity: Some(id),
                            text: ent.name.clone(),
                            range: None,
                            country: ent.country.clone(),
                            sector: ent.sector.clone(),
                        })
                    }
                    ActorJson::Inline {
                        text: words,
                        country,
                        sector,
                    } => Ok(GoldActor {
                        range: find_in(&text, context, &words).ok(),
                        entity: None,
                        text: words,
                        country,
                        sector,
                    }),
                })
                .collect()
        };
        let source = actors(ev.source)?;
        let target = actors(ev.target)?;
        known(&ev.attribution, "event attribution")?;
        events.push(GoldEvent {
            trigger,
            context,
            event_type: event_type(&ev.event_type).map_err(e)?,
            mode: ev.mode,
            source,
            target,
            date: ev.date,
            modality: modality(&ev.modality).map_err(e)?,
            attribution: ev.attribution,
        });
    }

    let stem = Path::new(origin)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(origin);
    Ok(GoldDoc {
        id: header
            .get("id")
            .cloned()
            .unwrap_or_else(|| stem.to_string()),
        origin: origin.to_string(),
        title: header.get("title").cloned(),
        published: header.get("date").cloned(),
        source: header.get("source").cloned(),
        text,
        annotated: true,
        mentions,
        entities,
        quotes,
        events,
    })
}

/// Parse one sentence-level record (a line of a `.jsonl` file).
pub fn parse_record(line: &str, origin: &str) -> Result<GoldDoc, GoldError> {
    let rec: RecordJson = serde_json::from_str(line).map_err(|e| err(origin, e.to_string()))?;
    let e = |m: String| err(origin, format!("{}: {m}", rec.id));
    let text = rec.text.clone();
    let whole = TextRange::new(0, text.len());
    let mut events = Vec::new();
    for ev in &rec.events {
        let context = match &ev.sentence {
            Some(hint) => unique(&text, hint).map_err(e)?,
            None => whole,
        };
        let trigger = find_in(&text, context, &ev.trigger).map_err(e)?;
        let actors = |list: &[ActorJson]| -> Result<Vec<GoldActor>, GoldError> {
            list.iter()
                .map(|a| match a {
                    ActorJson::Inline {
                        text: words,
                        country,
                        sector,
                    } => Ok(GoldActor {
                        entity: None,
                        range: Some(find_in(&text, whole, words).map_err(e)?),
                        text: words.clone(),
                        country: country.clone(),
                        sector: sector.clone(),
                    }),
                    ActorJson::Id(id) => Err(e(format!(
                        "actor {id:?}: sentence records give actors as {{text, country, sector}}"
                    ))),
                })
                .collect()
        };
        events.push(GoldEvent {
            trigger,
            context,
            event_type: event_type(&ev.event_type).map_err(e)?,
            mode: ev.mode.clone(),
            source: actors(&ev.source)?,
            target: actors(&ev.target)?,
            date: ev.date.clone(),
            modality: modality(&ev.modality).map_err(e)?,
            attribution: ev.attribution.clone(),
        });
    }
    Ok(GoldDoc {
        id: rec.id,
        origin: origin.to_string(),
        title: None,
        published: rec.published,
        source: None,
        text,
        annotated: false,
        mentions: Vec::new(),
        entities: BTreeMap::new(),
        quotes: Vec::new(),
        events,
    })
}

/// `a / b`, or 0 when `b` is 0: the precision, recall and accuracy of the
/// dev-set scorers.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Counts of what a set of gold documents holds, for `newsgraph eval gold`.
#[derive(Debug, Default, serde::Serialize)]
pub struct GoldSummary {
    pub documents: usize,
    pub annotated_articles: usize,
    pub words: usize,
    pub entities: usize,
    pub mentions: usize,
    pub quotes: BTreeMap<String, usize>,
    pub events: usize,
    pub events_per_type: BTreeMap<String, usize>,
    pub events_per_modality: BTreeMap<String, usize>,
    pub documents_without_events: usize,
}

/// Summarise gold documents.
pub fn summarize(docs: &[GoldDoc]) -> GoldSummary {
    let mut s = GoldSummary {
        documents: docs.len(),
        ..GoldSummary::default()
    };
    for d in docs {
        s.annotated_articles += d.annotated as usize;
        s.words += d.text.split_whitespace().count();
        s.entities += d.entities.len();
        s.mentions += d.mentions.len();
        for q in &d.quotes {
            *s.quotes.entry(q.kind.to_string()).or_default() += 1;
        }
        s.events += d.events.len();
        s.documents_without_events += d.events.is_empty() as usize;
        for ev in &d.events {
            *s.events_per_type
                .entry(ev.event_type.to_string())
                .or_default() += 1;
            *s.events_per_modality
                .entry(ev.modality.to_string())
                .or_default() += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "Title: Talks in Baku\nDate: 2025-03-14\n\nBAKU, March 13 - [Selim Kaya]{kaya} met [his]{kaya} counterpart \\[sic\\] in [Baku]{baku} on Wednesday. \"We agreed on nothing,\" [he]{kaya} said, \"but we talked.\"\n";
    const JSON: &str = r#"{
      "entities": {
        "kaya": {"name": "Selim Kaya", "type": "PERSON", "country": "TUR", "sector": "GOV", "roles": ["Foreign Minister"]},
        "baku": {"name": "Baku", "type": "GPE", "country": "AZE", "sector": null, "place": {"country": "AZE", "lat": 40.4, "lon": 49.9}}
      },
      "quotes": [{"text": "We agreed on nothing", "rest": ["but we talked."], "kind": "direct", "speaker": "kaya"}],
      "events": [{"sentence": "Kaya met his counterpart", "trigger": "met", "type": "CONSULT", "mode": "visit",
                  "source": ["kaya"], "target": [], "date": "2025-03-12", "modality": "asserted", "attribution": null}]
    }"#;

    #[test]
    fn article_markup_quotes_and_events_become_ranges() {
        let doc = parse_article(TXT, JSON, "dev/articles/01-baku.txt").unwrap();
        assert_eq!(doc.id, "01-baku");
        assert_eq!(doc.published.as_deref(), Some("2025-03-14"));
        assert!(doc
            .text
            .starts_with("BAKU, March 13 - Selim Kaya met his counterpart [sic] in Baku"));
        let mentions: Vec<_> = doc.mentions.iter().map(|m| doc.slice(m.range)).collect();
        assert_eq!(mentions, ["Selim Kaya", "his", "Baku", "he"]);
        assert_eq!(
            doc.slice(doc.quotes[0].range),
            "We agreed on nothing,\" he said, \"but we talked."
        );
        let ev = &doc.events[0];
        assert_eq!(doc.slice(ev.trigger), "met");
        assert_eq!(ev.source[0].country.as_deref(), Some("TUR"));
        assert_eq!(doc.mentions_of("kaya").count(), 3);
    }

    #[test]
    fn problems_name_the_file_and_the_cause() {
        let e = parse_article("[Kaya]{kaya met", "{}", "a.txt").unwrap_err();
        assert!(e.to_string().starts_with("a.txt: "), "{e}");
        let e = parse_article("[Kaya]{nobody} met", "{}", "a.txt").unwrap_err();
        assert!(e.to_string().contains("undefined entity"), "{e}");
        let bad = JSON.replace("\"CONSULT\"", "\"MEET\"");
        let e = parse_article(TXT, &bad, "a.txt").unwrap_err();
        assert!(
            e.to_string()
                .contains("a.json: unknown event type \"MEET\""),
            "{e}"
        );
        let e = parse_article("Kaya] met", "{}", "a.txt").unwrap_err();
        assert!(e.to_string().contains("unopened"), "{e}");
    }

    #[test]
    fn sentence_records_resolve_nth_triggers_and_inline_actors() {
        let line = r#"{"id": "s1", "published": "2025-01-02", "text": "The police said protesters met police again.", "events": [{"trigger": "police@2", "type": "COERCE", "mode": "", "source": [{"text": "protesters", "country": null, "sector": "CVL"}], "target": [], "date": null, "modality": "asserted", "attribution": "Police"}]}"#;
        let doc = parse_record(line, "s.jsonl:1").unwrap();
        assert!(!doc.annotated);
        assert_eq!(doc.events[0].trigger, TextRange::new(31, 37));
        assert_eq!(
            doc.slice(doc.events[0].source[0].range.unwrap()),
            "protesters"
        );
        let e = parse_record(&line.replace("police@2", "police@3"), "s.jsonl:1").unwrap_err();
        assert!(e.to_string().starts_with("s.jsonl:1: s1: "), "{e}");
    }
}
