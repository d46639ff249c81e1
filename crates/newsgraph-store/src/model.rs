//! What goes in and out of a [`crate::Store`]: put outcomes, query filters and corpus records.

use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};
use serde::Serialize;

/// What identifies a document for duplicate detection: its id, its URL and
/// the hash of its text ([`crate::content_hash`]). A document matching a
/// stored one on any of the three is a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocKey<'a> {
    pub id: Option<&'a str>,
    pub url: Option<&'a str>,
    pub content_hash: &'a str,
}

/// Which of a [`DocKey`]'s parts matched a stored document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateOf {
    Id,
    Url,
    Content,
}

/// A stored document that a new one duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The id of the stored document.
    pub existing: String,
    pub matched: DuplicateOf,
}

/// What [`crate::Store::put_documents`] did with one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    /// Stored, with all its records.
    Stored,
    /// Skipped: the store already holds it.
    Duplicate(Duplicate),
}

/// Filters of [`crate::Store::visit_events`]; empty fields do not filter.
/// All given filters must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Any of these types.
    pub types: Vec<EventType>,
    pub mode: Option<String>,
    pub source_country: Option<String>,
    pub source_sector: Option<String>,
    pub target_country: Option<String>,
    pub target_sector: Option<String>,
    /// An actor (source or target) whose name or one of whose aliases
    /// contains these words (compared in [`crate::normalize_name`] form).
    pub entity: Option<String>,
    /// Event date on or after this `YYYY-MM-DD`.
    pub date_from: Option<String>,
    /// Event date on or before this `YYYY-MM-DD`.
    pub date_to: Option<String>,
    /// Country code of the event's place.
    pub country: Option<String>,
    /// Words of the event's place name.
    pub place: Option<String>,
    pub modality: Option<Modality>,
    pub min_confidence: Option<f32>,
    pub min_sources: Option<u32>,
    /// Full-text search over the reporting documents (all words must occur).
    pub text: Option<String>,
    /// A corpus entity that is an actor (source or target).
    pub entity_id: Option<i64>,
    /// Order of the results.
    pub sort: EventSort,
    /// Skip this many results (pagination; applied before `limit`).
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// Order of [`crate::Store::visit_events`] results; ties go by event id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSort {
    /// Oldest first, undated last (the default).
    #[default]
    Date,
    /// Newest first, undated last.
    DateDesc,
    /// Highest confidence first.
    Confidence,
    /// Most reports first.
    Reports,
    /// Most distinct outlets first.
    Sources,
}

impl EventSort {
    pub const ALL: &'static [EventSort] = &[
        EventSort::Date,
        EventSort::DateDesc,
        EventSort::Confidence,
        EventSort::Reports,
        EventSort::Sources,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventSort::Date => "date",
            EventSort::DateDesc => "-date",
            EventSort::Confidence => "-confidence",
            EventSort::Reports => "-reports",
            EventSort::Sources => "-sources",
        }
    }

    /// Parses [`EventSort::as_str`] forms; the leading `-` is optional for
    /// the descending-only orders.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Option<EventSort> {
        Some(match s.trim() {
            "date" | "+date" => EventSort::Date,
            "-date" => EventSort::DateDesc,
            "confidence" | "-confidence" => EventSort::Confidence,
            "reports" | "-reports" => EventSort::Reports,
            "sources" | "-sources" => EventSort::Sources,
            _ => return None,
        })
    }
}

/// Filters of [`crate::Store::visit_entities`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityFilter {
    /// Words of the name or of an alias.
    pub name: Option<String>,
    pub entity_type: Option<EntityType>,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// Words of a role ("foreign minister").
    pub role: Option<String>,
    pub min_documents: Option<u32>,
    /// Skip this many results (pagination; applied before `limit`).
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// Filters of [`crate::Store::visit_quotes`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteFilter {
    /// Words of the speaker's name or of one of the speaker's aliases.
    pub speaker: Option<String>,
    /// Full-text search over the quoted words.
    pub text: Option<String>,
    pub kind: Option<QuoteKind>,
    /// Publication date of the document on or after / before (`YYYY-MM-DD`).
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// The outlet that published the document.
    pub source: Option<String>,
    /// The corpus entity of the speaker.
    pub speaker_id: Option<i64>,
    /// Skip this many results (pagination; applied before `limit`).
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// A character span of a stored document with its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextSpan {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// A place as stored with an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPlace {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A participant of a corpus event, merged over its reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventActor {
    /// The corpus entity, when the actor was one.
    pub entity: Option<i64>,
    pub name: String,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// How many reports name this actor.
    pub n_reports: u32,
}

/// One document's report of a corpus event: the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    /// The document's id.
    pub document: String,
    /// The outlet.
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// The event date this report gives.
    pub date: Option<String>,
    pub trigger: TextSpan,
    pub sentence: TextSpan,
    pub modality: Modality,
    pub confidence: f32,
    pub rule: String,
}

/// An event of the corpus: one happening, however many documents report it.
///
/// Serialised, this is the PLOVER-style JSON line of `newsgraph events --format jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusEvent {
    pub id: i64,
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub mode: String,
    pub context: Vec<String>,
    pub modality: Modality,
    pub source: Vec<EventActor>,
    pub target: Vec<EventActor>,
    pub location: Option<EventPlace>,
    /// Highest confidence of its reports.
    pub confidence: f32,
    /// Reports (one per extracted event record), documents, distinct outlets.
    pub n_reports: u32,
    pub n_documents: u32,
    pub n_sources: u32,
    /// Earliest and latest publication time of a reporting document.
    pub first_report: Option<String>,
    pub last_report: Option<String>,
    pub reports: Vec<EventReport>,
}

/// A role of a corpus entity and when the corpus saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRole {
    pub role: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub n_documents: u32,
}

/// An entity of the corpus: the same actor across documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusEntity {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// Every name it went by, most frequent first.
    pub aliases: Vec<String>,
    pub roles: Vec<EntityRole>,
    pub n_mentions: u32,
    pub n_documents: u32,
    /// Publication dates of the first and last documents mentioning it.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// A stored quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredQuote {
    pub document: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub kind: QuoteKind,
    /// The corpus entity of the speaker, when attributed.
    pub speaker: Option<i64>,
    pub speaker_name: Option<String>,
    pub cue: Option<String>,
}

/// Counts over the whole store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub backend: String,
    pub schema_version: u32,
    pub documents: u64,
    pub sources: u64,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub entities: u64,
    pub mentions: u64,
    pub times: u64,
    pub quotes: u64,
    pub events: u64,
    pub event_reports: u64,
    /// Corpus events per type, most frequent first.
    pub events_by_type: Vec<(EventType, u64)>,
    /// Size of the database on disk, when the backend knows it.
    pub size_bytes: Option<u64>,
}

/// PLOVER's four quad classes: verbal or material, cooperation or conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuadClass {
    VerbalCooperation,
    MaterialCooperation,
    VerbalConflict,
    MaterialConflict,
}

impl QuadClass {
    pub const ALL: &'static [QuadClass] = &[
        QuadClass::VerbalCooperation,
        QuadClass::MaterialCooperation,
        QuadClass::VerbalConflict,
        QuadClass::MaterialConflict,
    ];

    /// The quad class of an event type (the table of `plover.md`).
    pub fn of(t: EventType) -> QuadClass {
        use EventType::*;
        match t {
            Agree | Consult | Support | Concede => QuadClass::VerbalCooperation,
            Cooperate | Aid | Retreat => QuadClass::MaterialCooperation,
            Request | Accuse | Reject | Threaten | Sanction => QuadClass::VerbalConflict,
            Protest | Mobilize | Coerce | Assault => QuadClass::MaterialConflict,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QuadClass::VerbalCooperation => "verbal_cooperation",
            QuadClass::MaterialCooperation => "material_cooperation",
            QuadClass::VerbalConflict => "verbal_conflict",
            QuadClass::MaterialConflict => "material_conflict",
        }
    }

    /// Weight on a cooperation (+) to conflict (−) scale: material +2,
    /// verbal cooperation +1, verbal conflict −1, material conflict −2.
    pub fn weight(self) -> i32 {
        match self {
            QuadClass::VerbalCooperation => 1,
            QuadClass::MaterialCooperation => 2,
            QuadClass::VerbalConflict => -1,
            QuadClass::MaterialConflict => -2,
        }
    }
}

/// Corpus events of one type on one date ([`crate::Store::event_counts`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventCount {
    /// `YYYY-MM-DD`, or `None` for undated events.
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub count: u64,
}

/// One side of an [`ActorPair`]: an event actor as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PairActor {
    pub entity: Option<i64>,
    pub name: String,
    pub country: Option<String>,
    pub sector: Option<String>,
}

/// Corpus events of one type with this source actor and this target actor
/// ([`crate::Store::actor_pairs`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorPair {
    pub source: PairActor,
    pub target: PairActor,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Distinct events.
    pub count: u64,
}

/// A document found by [`crate::Store::search_documents`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentHit {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// A short passage of the text around the first query word.
    pub snippet: String,
}

/// Documents matching a search, one page of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentHits {
    /// How many documents match in all.
    pub total: u64,
    pub hits: Vec<DocumentHit>,
}

/// How a stored document's records map to corpus records: document entity
/// `i` (the `e{i+1}` of its JSON) and document event `i` (`v{i+1}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentLinks {
    /// `(document entity index, corpus entity id)`.
    pub entities: Vec<(u32, i64)>,
    /// `(document event index, corpus event id)`.
    pub events: Vec<(u32, i64)>,
}
