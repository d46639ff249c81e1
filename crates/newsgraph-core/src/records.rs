//! Domain records that point back into a [`crate::Doc`]: entities and their
//! mentions, time expressions, quotes and events.
//!
//! They are plain data holding byte ranges ([`TextRange`]) and indices into the
//! document's other record lists; [`crate::json`] turns them into the
//! character-offset JSON of the output contract.

use crate::TextRange;
use serde::Serialize;

macro_rules! label_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { $(#[serde(rename = $s)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            #[allow(clippy::should_implement_trait)]
            pub fn from_str(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

label_enum! {
    /// Entity type (OntoNotes-style coarse types used by the output contract).
    EntityType {
        Person = "PERSON", Org = "ORG", Gpe = "GPE", Loc = "LOC", Norp = "NORP", Fac = "FAC",
        Event = "EVENT", Misc = "MISC",
    }
}

label_enum! {
    /// How an entity is mentioned.
    MentionKind { Name = "name", Title = "title", Pronoun = "pronoun", Nominal = "nominal" }
}

label_enum! {
    /// TIMEX3 type of a time expression.
    TimeType { Date = "DATE", Time = "TIME", Duration = "DURATION", Set = "SET" }
}

label_enum! {
    /// Kind of quotation.
    QuoteKind { Direct = "direct", Indirect = "indirect", Mixed = "mixed" }
}

label_enum! {
    /// The 16 PLOVER event types.
    EventType {
        Agree = "AGREE", Consult = "CONSULT", Support = "SUPPORT", Concede = "CONCEDE",
        Cooperate = "COOPERATE", Aid = "AID", Retreat = "RETREAT", Request = "REQUEST",
        Accuse = "ACCUSE", Reject = "REJECT", Threaten = "THREATEN", Protest = "PROTEST",
        Sanction = "SANCTION", Mobilize = "MOBILIZE", Coerce = "COERCE", Assault = "ASSAULT",
    }
}

label_enum! {
    /// Whether an event is asserted to have happened.
    Modality {
        Asserted = "asserted", Negated = "negated", Future = "future",
        Conditional = "conditional", Hypothetical = "hypothetical",
    }
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub range: TextRange,
    pub kind: MentionKind,
}

/// A resolved place: gazetteer entry with coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// Feature class, e.g. "city", "country", "region".
    pub feature: String,
}

/// A document-level entity: a coreference cluster of mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub name: String,
    pub entity_type: EntityType,
    /// ISO 3166-1 alpha-3 or an international code (UNO, EUR, IGO, ...).
    pub country: Option<String>,
    /// PLOVER sector code (GOV, MIL, ...).
    pub sector: Option<String>,
    pub roles: Vec<String>,
    pub place: Option<Place>,
    /// Invariant: sorted by start offset.
    pub mentions: Vec<Mention>,
}

/// A time expression normalised against the publication date.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    pub range: TextRange,
    pub time_type: TimeType,
    /// TIMEX3 value ("2015-06-30", "PT8H", "PAST_REF"); `None` when it cannot be normalised.
    pub value: Option<String>,
}

/// A quotation attributed (when possible) to a speaker.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The quoted words without quote marks, or the reported clause.
    pub range: TextRange,
    pub kind: QuoteKind,
    /// Index into `Doc::entities`.
    pub speaker: Option<usize>,
    pub speaker_mention: Option<TextRange>,
    pub cue: Option<TextRange>,
}

/// One participant of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Index into `Doc::entities`, when the actor is a known entity.
    pub entity: Option<usize>,
    pub range: TextRange,
    pub country: Option<String>,
    pub sector: Option<String>,
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub range: TextRange,
    pub place: Option<Place>,
}

/// A PLOVER event with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub event_type: EventType,
    /// PLOVER mode, or "" when none applies.
    pub mode: String,
    pub context: Vec<String>,
    pub source: Vec<Actor>,
    pub target: Vec<Actor>,
    pub trigger: TextRange,
    /// Index into `Doc::sentences`.
    pub sentence: usize,
    pub date: Option<String>,
    /// Index into `Doc::times` of the governing time expression.
    pub time: Option<usize>,
    pub location: Option<Location>,
    pub modality: Modality,
    /// Entity index of who reports the event, when it is only reported speech.
    pub attribution: Option<usize>,
    pub confidence: f32,
    /// The rule or model that produced the event (e.g. `consult.meet_with`).
    pub rule: String,
}
