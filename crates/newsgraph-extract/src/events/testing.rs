//! Hand-built parsed documents for tests and examples (no model needed), in
//! the spirit of spaCy's `Doc(words=..., heads=..., deps=...)`.

use newsgraph_core::records::{
    Actor, Entity, EntityType, Event, EventType, Mention, MentionKind, TimeExpr, TimeType,
};
use newsgraph_core::tags::{Deprel, Upos, Xpos};
use newsgraph_core::{Doc, DocMeta, Layers, TextRange};

/// A one-sentence document from space-separated `text` and one
/// `(lemma, upos, xpos, head, deprel)` per word (heads 1-based, 0 = root).
///
/// Panics on malformed input: it is for tests.
pub fn parsed(text: &str, words: &[(&str, &str, &str, u32, &str)], published: Option<&str>) -> Doc {
    let meta = DocMeta {
        published: published.map(str::to_string),
        ..DocMeta::default()
    };
    let mut doc = Doc::new(text, meta);
    let mut ranges = Vec::new();
    let mut at = 0;
    for w in text.split(' ') {
        ranges.push(TextRange::new(at, at + w.len()));
        at += w.len() + 1;
    }
    assert_eq!(ranges.len(), words.len(), "one analysis per word");
    let n = ranges.len() as u32;
    doc.set_tokens(ranges).unwrap();
    #[allow(clippy::single_range_in_vec_init)]
    doc.set_sentences(&[0..n]).unwrap();
    doc.set_tags(
        words
            .iter()
            .map(|w| (Upos::from_str(w.1).unwrap(), Xpos::from_str(w.2).unwrap()))
            .collect(),
    )
    .unwrap();
    doc.set_lemmas(words.iter().map(|w| w.0)).unwrap();
    doc.set_parse(
        words
            .iter()
            .map(|w| if w.3 == 0 { u32::MAX } else { w.3 - 1 })
            .collect(),
        words
            .iter()
            .map(|w| Deprel::from_str(w.4).unwrap())
            .collect(),
    )
    .unwrap();
    doc.mark(Layers::ENTITIES | Layers::TIMES);
    doc
}

/// Add an entity with one mention per listed surface string (first occurrence each).
pub fn add_entity(
    doc: &mut Doc,
    name: &str,
    t: EntityType,
    country: Option<&str>,
    mentions: &[&str],
) {
    let mut ms = Vec::new();
    for m in mentions {
        let at = doc.text().find(m).expect("mention occurs in the text");
        ms.push(Mention {
            range: TextRange::new(at, at + m.len()),
            kind: MentionKind::Name,
        });
    }
    doc.entities.push(Entity {
        name: name.into(),
        entity_type: t,
        country: country.map(str::to_string),
        sector: None,
        roles: Vec::new(),
        place: None,
        mentions: ms,
    });
}

/// Add a DATE time expression.
pub fn add_time(doc: &mut Doc, surface: &str, value: &str) {
    let at = doc.text().find(surface).expect("time occurs in the text");
    doc.times.push(TimeExpr {
        range: TextRange::new(at, at + surface.len()),
        time_type: TimeType::Date,
        value: Some(value.into()),
    });
}

/// The first event [`super::extract`] finds in `doc` that `pick` accepts.
///
/// Panics naming `what` when there is none: it is for tests.
pub fn event_where(doc: &Doc, what: &str, pick: impl Fn(&Event) -> bool) -> Event {
    super::extract(doc)
        .into_iter()
        .find(|e| pick(e))
        .unwrap_or_else(|| panic!("no {what} event in {:?}", doc.text()))
}

/// The first event of type `t` in `doc` (panics when there is none).
pub fn event_of(doc: &Doc, t: EventType) -> Event {
    event_where(doc, t.as_str(), |e| e.event_type == t)
}

/// The words of each actor, in order.
pub fn actor_words<'d>(doc: &'d Doc, actors: &[Actor]) -> Vec<&'d str> {
    actors.iter().map(|a| doc.slice(a.range)).collect()
}
