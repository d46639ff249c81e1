//! The output contract (`output-format.md`): a [`Doc`] as JSON with character offsets.

use crate::doc::Doc;
use crate::records::*;
use crate::{CharOffsets, TextRange};
use serde::Serialize;

/// Options for [`DocJson::new`].
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonOptions {
    /// Include every token with its tags, lemma and parse (`extract --tokens`).
    pub tokens: bool,
}

/// A `{start, end}` span in characters.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct SpanJson {
    pub start: u32,
    pub end: u32,
}

/// A span with its text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TextSpanJson<'a> {
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TokenJson<'a> {
    pub text: &'a str,
    pub start: u32,
    pub end: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upos: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xpos: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lemma: Option<&'a str>,
    /// 1-based index within the sentence, 0 for the root (CoNLL-U convention).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprel: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MentionJson<'a> {
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
    pub kind: MentionKind,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntityJson<'a> {
    pub id: String,
    pub name: &'a str,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub country: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub roles: &'a [String],
    pub place: Option<&'a Place>,
    pub mentions: Vec<MentionJson<'a>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimeJson<'a> {
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
    #[serde(rename = "type")]
    pub time_type: TimeType,
    pub value: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteJson<'a> {
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
    pub kind: QuoteKind,
    pub speaker: Option<String>,
    pub speaker_mention: Option<TextSpanJson<'a>>,
    pub cue: Option<TextSpanJson<'a>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActorJson<'a> {
    pub entity: Option<String>,
    pub text: &'a str,
    pub start: u32,
    pub end: u32,
    pub country: Option<&'a str>,
    pub sector: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimeRefJson<'a> {
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
    pub value: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LocationJson<'a> {
    pub name: &'a str,
    pub country: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventJson<'a> {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub mode: &'a str,
    pub context: &'a [String],
    pub source: Vec<ActorJson<'a>>,
    pub target: Vec<ActorJson<'a>>,
    pub trigger: TextSpanJson<'a>,
    pub sentence: SpanJson,
    pub date: Option<&'a str>,
    pub time: Option<TimeRefJson<'a>>,
    pub location: Option<LocationJson<'a>>,
    pub modality: Modality,
    pub attribution: Option<String>,
    pub confidence: f32,
    pub rule: &'a str,
}

/// One document in the output contract's shape.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocJson<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub published: Option<&'a str>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub language: &'a str,
    pub text: &'a str,
    pub sentences: Vec<SpanJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<TokenJson<'a>>>,
    pub entities: Vec<EntityJson<'a>>,
    pub times: Vec<TimeJson<'a>>,
    pub quotes: Vec<QuoteJson<'a>>,
    pub events: Vec<EventJson<'a>>,
    pub warnings: Vec<String>,
}

fn entity_id(i: usize) -> String {
    format!("e{}", i + 1)
}

impl<'a> DocJson<'a> {
    pub fn new(doc: &'a Doc, opts: JsonOptions) -> DocJson<'a> {
        let map = CharOffsets::new(doc.text());
        let span = |r: TextRange| {
            let (start, end) = map.range(r);
            SpanJson { start, end }
        };
        let text_span = |r: TextRange| {
            let (start, end) = map.range(r);
            TextSpanJson {
                start,
                end,
                text: doc.slice(r),
            }
        };
        let sentences = doc.sentence_data().iter().map(|s| span(s.range)).collect();
        let tokens = opts.tokens.then(|| {
            let sents = doc.sentence_data();
            let mut out = Vec::with_capacity(doc.len());
            for s in sents {
                for i in s.tokens.0..s.tokens.1 {
                    let t = doc.token(i as usize);
                    let (start, end) = map.range(t.range());
                    let head = t.deprel().map(|_| match t.head() {
                        None => 0,
                        Some(h) => h.index() as u32 - s.tokens.0 + 1,
                    });
                    out.push(TokenJson {
                        text: t.text(),
                        start,
                        end,
                        upos: t.upos().map(|u| u.as_str()),
                        xpos: t.xpos().map(|x| x.as_str()),
                        lemma: t.lemma(),
                        head,
                        deprel: t.deprel().map(|d| d.as_str()),
                    });
                }
            }
            out
        });
        let entities = doc
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| EntityJson {
                id: entity_id(i),
                name: &e.name,
                entity_type: e.entity_type,
                country: e.country.as_deref(),
                sector: e.sector.as_deref(),
                roles: &e.roles,
                place: e.place.as_ref(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|m| {
                        let (start, end) = map.range(m.range);
                        MentionJson {
                            start,
                            end,
                            text: doc.slice(m.range),
                            kind: m.kind,
                        }
                    })
                    .collect(),
            })
            .collect();
        let times = doc
            .times
            .iter()
            .map(|t| {
                let (start, end) = map.range(t.range);
                TimeJson {
                    start,
                    end,
                    text: doc.slice(t.range),
                    time_type: t.time_type,
                    value: t.value.as_deref(),
                }
            })
            .collect();
        let quotes = doc
            .quotes
            .iter()
            .map(|q| {
                let (start, end) = map.range(q.range);
                QuoteJson {
                    start,
                    end,
                    text: doc.slice(q.range),
                    kind: q.kind,
                    speaker: q.speaker.map(entity_id),
                    speaker_mention: q.speaker_mention.map(text_span),
                    cue: q.cue.map(text_span),
                }
            })
            .collect();
        let actor = |a: &'a Actor| {
            let (start, end) = map.range(a.range);
            ActorJson {
                entity: a.entity.map(entity_id),
                text: doc.slice(a.range),
                start,
                end,
                country: a.country.as_deref(),
                sector: a.sector.as_deref(),
            }
        };
        let events = doc
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| EventJson {
                id: format!("v{}", i + 1),
                event_type: e.event_type,
                mode: &e.mode,
                context: &e.context,
                source: e.source.iter().map(actor).collect(),
                target: e.target.iter().map(actor).collect(),
                trigger: text_span(e.trigger),
                sentence: span(doc.sentence_data()[e.sentence].range),
                date: e.date.as_deref(),
                time: e.time.map(|t| {
                    let t = &doc.times[t];
                    let (start, end) = map.range(t.range);
                    TimeRefJson {
                        start,
                        end,
                        text: doc.slice(t.range),
                        value: t.value.as_deref(),
                    }
                }),
                location: e.location.as_ref().map(|l| {
                    let (start, end) = map.range(l.range);
                    LocationJson {
                        name: l
                            .place
                            .as_ref()
                            .map_or(doc.slice(l.range), |p| p.name.as_str()),
                        country: l.place.as_ref().and_then(|p| p.country.as_deref()),
                        lat: l.place.as_ref().map(|p| p.lat),
                        lon: l.place.as_ref().map(|p| p.lon),
                        start,
                        end,
                    }
                }),
                modality: e.modality,
                attribution: e.attribution.map(entity_id),
                confidence: e.confidence,
                rule: &e.rule,
            })
            .collect();
        DocJson {
            id: &doc.meta.id,
            title: doc.meta.title.as_deref(),
            published: doc.meta.published.as_deref(),
            source: doc.meta.source.as_deref(),
            url: doc.meta.url.as_deref(),
            language: &doc.meta.language,
            text: doc.text(),
            sentences,
            tokens,
            entities,
            times,
            quotes,
            events,
            warnings: doc
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.origin, d.message))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::DocMeta;

    #[test]
    fn offsets_are_characters() {
        let text = "“Hi,” said Zoë. Bye.";
        let mut doc = Doc::new(
            text,
            DocMeta {
                id: "d".into(),
                language: "en".into(),
                ..DocMeta::default()
            },
        );
        let toks: Vec<TextRange> = ["“", "Hi", ",", "”", "said", "Zoë", ".", "Bye", "."]
            .iter()
            .scan(0usize, |pos, t| {
                let start = text[*pos..].find(t).unwrap() + *pos;
                *pos = start + t.len();
                Some(TextRange::new(start, *pos))
            })
            .collect();
        doc.set_tokens(toks).unwrap();
        doc.set_sentences(&[0..7, 7..9]).unwrap();
        let json = DocJson::new(&doc, JsonOptions { tokens: true });
        let chars: Vec<char> = text.chars().collect();
        for s in &json.sentences {
            let _ = &chars[s.start as usize..s.end as usize];
        }
        assert_eq!(json.sentences[1], SpanJson { start: 16, end: 20 });
        let toks = json.tokens.as_ref().unwrap();
        assert_eq!(toks[5].text, "Zoë");
        let s: String = chars[toks[5].start as usize..toks[5].end as usize]
            .iter()
            .collect();
        assert_eq!(s, "Zoë");
        let v = serde_json::to_value(&json).unwrap();
        assert_eq!(v["entities"], serde_json::json!([]));
        assert_eq!(v["language"], "en");
    }
}
