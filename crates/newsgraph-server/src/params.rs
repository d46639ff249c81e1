//! Query-string parameters: parsed by hand so that every mistake (unknown
//! name, bad value) is a 400 with a message saying what was expected.

use crate::ApiError;
use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};
use newsgraph_store::{EntityFilter, EventFilter, EventSort, QuoteFilter};
use std::collections::BTreeSet;

/// Default and largest page sizes of the list endpoints.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 1000;

/// The parameters of one request; each getter marks its name as known, and
/// [`Params::finish`] rejects the names no getter asked for.
#[derive(Debug)]
pub struct Params {
    pairs: Vec<(String, String)>,
    known: BTreeSet<&'static str>,
}

/// Longest parameter value, in characters: names, codes and search words
/// are far shorter, and a long value would only make a slow (or, for a
/// `LIKE` pattern, an impossible) query.
pub const MAX_VALUE_CHARS: usize = 1000;

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("malformed query string: {e}")))?;
        if let Some((k, _)) = pairs
            .iter()
            .find(|(_, v)| v.chars().count() > MAX_VALUE_CHARS)
        {
            return Err(ApiError::bad_request(format!(
                "parameter `{}` is longer than {MAX_VALUE_CHARS} characters",
                k.chars().take(40).collect::<String>()
            )));
        }
        Ok(Params {
            pairs,
            known: BTreeSet::new(),
        })
    }

    /// Every non-empty value of `key`, in order; comma-separated values split.
    pub fn all(&mut self, key: &'static str) -> Vec<String> {
        self.known.insert(key);
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The last non-empty value of `key`, trimmed.
    pub fn get(&mut self, key: &'static str) -> Option<String> {
        self.known.insert(key);
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    }

    /// [`Params::get`] parsed by `parse`, whose error message is prefixed by
    /// the parameter's name.
    pub fn parsed<T>(
        &mut self,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => parse(&v)
                .map(Some)
                .map_err(|m| ApiError::bad_request(format!("parameter `{key}`: {m}"))),
        }
    }

    /// Rejects parameters that no getter asked for.
    pub fn finish(self) -> Result<(), ApiError> {
        if let Some((k, _)) = self
            .pairs
            .iter()
            .find(|(k, _)| !self.known.contains(k.as_str()))
        {
            let known: Vec<&str> = self.known.iter().copied().collect();
            let expected = if known.is_empty() {
                "this endpoint takes no parameters".to_string()
            } else {
                format!("expected one of: {}", known.join(", "))
            };
            return Err(ApiError::bad_request(format!(
                "unknown parameter `{k}` ({expected})"
            )));
        }
        Ok(())
    }

    /// `limit` (1..=`max`, default `default`) and `offset` (default 0).
    pub fn page(&mut self, default: u64, max: u64) -> Result<(u64, u64), ApiError> {
        let limit = self
            .parsed("limit", |s| {
                s.parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| format!("`{s}` is not a number from 1 to {max}"))
            })?
            .unwrap_or(default);
        let offset = self.parsed("offset", uint)?.unwrap_or(0);
        Ok((limit, offset))
    }

    /// The filters of `newsgraph events` (same names as its options, with
    /// `from`, `to` and `q`), plus `entity_id`.
    pub fn event_filter(&mut self) -> Result<EventFilter, ApiError> {
        let mut types = Vec::new();
        for t in self.all("type") {
            types.push(
                event_type(&t)
                    .map_err(|m| ApiError::bad_request(format!("parameter `type`: {m}")))?,
            );
        }
        Ok(EventFilter {
            types,
            mode: self.get("mode"),
            source_country: self.get("source_country"),
            source_sector: self.get("source_sector"),
            target_country: self.get("target_country"),
            target_sector: self.get("target_sector"),
            entity: self.parsed("entity", words)?,
            date_from: self.parsed("from", day)?,
            date_to: self.parsed("to", day)?,
            country: self.get("country"),
            place: self.parsed("place", words)?,
            modality: self.parsed("modality", modality)?,
            min_confidence: self.parsed("min_confidence", |s| {
                s.parse::<f32>()
                    .ok()
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or_else(|| format!("`{s}` is not a number from 0 to 1"))
            })?,
            min_sources: self.parsed("min_sources", |s| {
                s.parse::<u32>()
                    .map_err(|_| format!("`{s}` is not a whole number"))
            })?,
            text: self.parsed("q", words)?,
            entity_id: self.parsed("entity_id", id)?,
            ..EventFilter::default()
        })
    }

    /// `sort` of the events list.
    pub fn event_sort(&mut self) -> Result<EventSort, ApiError> {
        Ok(self
            .parsed("sort", |s| {
                EventSort::from_str(s).ok_or_else(|| {
                    let all: Vec<&str> = EventSort::ALL.iter().map(|s| s.as_str()).collect();
                    format!("unknown order `{s}` (expected one of {})", all.join(", "))
                })
            })?
            .unwrap_or_default())
    }

    /// The filters of `newsgraph entities`.
    pub fn entity_filter(&mut self) -> Result<EntityFilter, ApiError> {
        Ok(EntityFilter {
            name: self.parsed("name", words)?,
            entity_type: self.parsed("type", entity_type)?,
            country: self.get("country"),
            sector: self.get("sector"),
            role: self.parsed("role", words)?,
            min_documents: self.parsed("min_documents", |s| {
                s.parse::<u32>()
                    .map_err(|_| format!("`{s}` is not a whole number"))
            })?,
            ..EntityFilter::default()
        })
    }

    /// The filters of `newsgraph quotes`, plus `speaker_id`.
    pub fn quote_filter(&mut self) -> Result<QuoteFilter, ApiError> {
        Ok(QuoteFilter {
            speaker: self.parsed("speaker", words)?,
            text: self.parsed("q", words)?,
            kind: self.parsed("kind", quote_kind)?,
            date_from: self.parsed("from", day)?,
            date_to: self.parsed("to", day)?,
            source: self.parsed("source", words)?,
            speaker_id: self.parsed("speaker_id", id)?,
            ..QuoteFilter::default()
        })
    }
}

fn uint(s: &str) -> Result<u64, String> {
    s.parse::<u64>()
        .map_err(|_| format!("`{s}` is not a whole number"))
}

/// A record id (path segment or parameter).
pub fn id(s: &str) -> Result<i64, String> {
    s.parse::<i64>()
        .map_err(|_| format!("`{s}` is not a numeric id"))
}

fn day(s: &str) -> Result<String, String> {
    if s.len() == 10 && newsgraph_store::day_number(s).is_some() {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a date (expected YYYY-MM-DD)"))
    }
}

/// Search text or a name to match: at least one word (a value of only
/// punctuation would otherwise match everything once normalised away).
fn words(s: &str) -> Result<String, String> {
    if s.chars().any(char::is_alphanumeric) {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` has no words to search for"))
    }
}

pub fn event_type(s: &str) -> Result<EventType, String> {
    EventType::from_str(&s.trim().to_ascii_uppercase()).ok_or_else(|| {
        let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        format!(
            "unknown PLOVER type `{s}` (expected one of {})",
            all.join(", ")
        )
    })
}

fn modality(s: &str) -> Result<Modality, String> {
    Modality::from_str(&s.trim().to_ascii_lowercase()).ok_or_else(|| {
        format!("unknown modality `{s}` (expected asserted, negated, future, conditional or hypothetical)")
    })
}

fn entity_type(s: &str) -> Result<EntityType, String> {
    EntityType::from_str(&s.trim().to_ascii_uppercase()).ok_or_else(|| {
        format!(
            "unknown entity type `{s}` (expected PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or MISC)"
        )
    })
}

fn quote_kind(s: &str) -> Result<QuoteKind, String> {
    QuoteKind::from_str(&s.trim().to_ascii_lowercase())
        .ok_or_else(|| format!("unknown quote kind `{s}` (expected direct, indirect or mixed)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_mistakes_are_400s() {
        let mut p =
            Params::parse(Some("type=reject,ACCUSE&from=2015-05-01&limit=10&q=Sochi")).unwrap();
        let f = p.event_filter().unwrap();
        assert_eq!(f.types, vec![EventType::Reject, EventType::Accuse]);
        assert_eq!(f.date_from.as_deref(), Some("2015-05-01"));
        assert_eq!(p.page(50, 1000).unwrap(), (10, 0));
        p.finish().unwrap();

        let mut p = Params::parse(Some("type=WAVE")).unwrap();
        let e = p.event_filter().unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.message.contains("unknown PLOVER type `WAVE`"),
            "{}",
            e.message
        );

        let mut p = Params::parse(Some("colour=red")).unwrap();
        p.event_filter().unwrap();
        let e = p.finish().unwrap_err();
        assert!(
            e.message.contains("unknown parameter `colour`"),
            "{}",
            e.message
        );

        for bad in ["limit=0", "limit=5000", "limit=x", "offset=-1"] {
            let mut p = Params::parse(Some(bad)).unwrap();
            assert_eq!(p.page(50, 1000).unwrap_err().status, 400, "{bad}");
        }
        let mut p = Params::parse(Some("from=2015-13-45")).unwrap();
        assert_eq!(p.event_filter().unwrap_err().status, 400);
    }
}
