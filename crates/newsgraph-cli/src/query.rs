//! `newsgraph events | entities | quotes | stats`: query the store and print
//! an aligned table on a terminal, CSV, JSON Lines or JSON otherwise.

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};
use newsgraph_store::export::{write_event_jsonl, EventCsv};
use newsgraph_store::{
    open_store, CorpusEntity, CorpusEvent, EntityFilter, EventActor, EventFilter, QuoteFilter,
    Store, StoreError, StoredQuote,
};
use serde::Serialize;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum QueryFormat {
    /// Aligned columns (the default on a terminal).
    Table,
    /// Comma-separated values with a header (events: the GDELT-like flat export).
    Csv,
    /// One JSON object per line (the default when piped; events: PLOVER-style records).
    Jsonl,
    /// One pretty-printed JSON array.
    Json,
}

/// Arguments every query command takes.
#[derive(Debug, Args)]
pub struct Common {
    /// The store: a SQLite file.
    #[arg(long, default_value = "newsgraph.db")]
    db: String,
    /// Output format; default: table on a terminal, jsonl otherwise.
    #[arg(long, value_enum)]
    format: Option<QueryFormat>,
    /// Print at most this many records.
    #[arg(long)]
    limit: Option<u64>,
}

impl Common {
    fn format(&self) -> QueryFormat {
        self.format.unwrap_or(if io::stdout().is_terminal() {
            QueryFormat::Table
        } else {
            QueryFormat::Jsonl
        })
    }

    fn open(&self) -> Result<Box<dyn Store>> {
        let is_url = self.db.contains("://");
        if !is_url && !Path::new(&self.db).exists() {
            bail!(
                "database `{}` does not exist\nhint: create it with `newsgraph ingest PATH... --db {}`",
                self.db,
                self.db
            );
        }
        Ok(open_store(&self.db)?)
    }
}

fn parse_event_type(s: &str) -> Result<EventType, String> {
    EventType::from_str(&s.trim().to_ascii_uppercase()).ok_or_else(|| {
        let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        format!(
            "unknown PLOVER type `{s}` (expected one of {})",
            all.join(", ")
        )
    })
}

fn parse_modality(s: &str) -> Result<Modality, String> {
    Modality::from_str(&s.trim().to_ascii_lowercase()).ok_or_else(|| {
        format!("unknown modality `{s}` (expected asserted, negated, future, conditional or hypothetical)")
    })
}

fn parse_entity_type(s: &str) -> Result<EntityType, String> {
    EntityType::from_str(&s.trim().to_ascii_uppercase()).ok_or_else(|| {
        format!(
            "unknown entity type `{s}` (expected PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or MISC)"
        )
    })
}

fn parse_quote_kind(s: &str) -> Result<QuoteKind, String> {
    QuoteKind::from_str(&s.trim().to_ascii_lowercase())
        .ok_or_else(|| format!("unknown quote kind `{s}` (expected direct, indirect or mixed)"))
}

fn parse_day(s: &str) -> Result<String, String> {
    if newsgraph_store::day_number(s).is_some() && s.len() == 10 {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a date (expected YYYY-MM-DD)"))
    }
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// PLOVER event types (comma-separated), e.g. REJECT,ACCUSE.
    #[arg(long = "type", value_delimiter = ',', value_parser = parse_event_type)]
    types: Vec<EventType>,
    /// PLOVER mode, e.g. visit.
    #[arg(long)]
    mode: Option<String>,
    /// Country code of a source actor (ISO 3166-1 alpha-3 or UNO, EUR, IGO, ...).
    #[arg(long)]
    source_country: Option<String>,
    /// Sector of a source actor (GOV, MIL, ...).
    #[arg(long)]
    source_sector: Option<String>,
    #[arg(long)]
    target_country: Option<String>,
    #[arg(long)]
    target_sector: Option<String>,
    /// An actor's name or alias contains these words ("Putin").
    #[arg(long)]
    entity: Option<String>,
    /// Events on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    from: Option<String>,
    /// Events on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    to: Option<String>,
    /// Country code of the event's place.
    #[arg(long)]
    country: Option<String>,
    /// Words of the event's place name.
    #[arg(long)]
    place: Option<String>,
    /// asserted, negated, future, conditional or hypothetical.
    #[arg(long, value_parser = parse_modality)]
    modality: Option<Modality>,
    /// Minimum confidence (0..1).
    #[arg(long)]
    min_confidence: Option<f32>,
    /// Reported by at least this many distinct outlets.
    #[arg(long)]
    min_sources: Option<u32>,
    /// Words that must all occur in a reporting document.
    #[arg(long)]
    q: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Words of the name or of an alias.
    #[arg(long)]
    name: Option<String>,
    /// PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or MISC.
    #[arg(long = "type", value_parser = parse_entity_type)]
    entity_type: Option<EntityType>,
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    sector: Option<String>,
    /// Words of a role ("foreign minister").
    #[arg(long)]
    role: Option<String>,
    /// Mentioned in at least this many documents.
    #[arg(long)]
    min_documents: Option<u32>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// Words of the speaker's name or alias.
    #[arg(long)]
    speaker: Option<String>,
    /// Words that must all occur in the quote.
    #[arg(long)]
    q: Option<String>,
    /// direct, indirect or mixed.
    #[arg(long, value_parser = parse_quote_kind)]
    kind: Option<QuoteKind>,
    /// Published on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    from: Option<String>,
    /// Published on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    to: Option<String>,
    /// The outlet.
    #[arg(long)]
    source: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The store: a SQLite file.
    #[arg(long, default_value = "newsgraph.db")]
    db: String,
    /// table (default on a terminal) or json.
    #[arg(long, value_enum)]
    format: Option<QueryFormat>,
}

/// Rows for the table and CSV outputs.
trait Row {
    fn header() -> &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

fn actor_cell(actors: &[EventActor]) -> String {
    let mut parts = Vec::new();
    for a in actors.iter().take(2) {
        let codes: Vec<&str> = [a.country.as_deref(), a.sector.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if codes.is_empty() {
            parts.push(a.name.clone());
        } else {
            parts.push(format!("{} [{}]", a.name, codes.join(" ")));
        }
    }
    if actors.len() > 2 {
        parts.push(format!("+{}", actors.len() - 2));
    }
    parts.join(", ")
}

impl Row for CorpusEvent {
    fn header() -> &'static [&'static str] {
        &[
            "id", "date", "type", "mode", "modality", "source", "target", "place", "reports",
            "sources", "conf",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.date.clone().unwrap_or_default(),
            self.event_type.to_string(),
            self.mode.clone(),
            self.modality.to_string(),
            actor_cell(&self.source),
            actor_cell(&self.target),
            self.location
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            self.n_reports.to_string(),
            self.n_sources.to_string(),
            format!("{:.2}", self.confidence),
        ]
    }
}

impl Row for CorpusEntity {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "type",
            "country",
            "sector",
            "documents",
            "mentions",
            "first_seen",
            "last_seen",
            "roles",
            "aliases",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.entity_type.to_string(),
            self.country.clone().unwrap_or_default(),
            self.sector.clone().unwrap_or_default(),
            self.n_documents.to_string(),
            self.n_mentions.to_string(),
            self.first_seen.clone().unwrap_or_default(),
            self.last_seen.clone().unwrap_or_default(),
            self.roles
                .iter()
                .map(|r| r.role.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            self.aliases.join("; "),
        ]
    }
}

impl Row for StoredQuote {
    fn header() -> &'static [&'static str] {
        &["published", "source", "document", "speaker", "kind", "text"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.published.clone().unwrap_or_default(),
            self.source.clone().unwrap_or_default(),
            self.document.clone(),
            self.speaker_name.clone().unwrap_or_default(),
            self.kind.to_string(),
            self.text.clone(),
        ]
    }
}

fn io_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(io::Error::other(e.to_string()))
}

/// Prints the records `visit` yields in `format`: as they come (CSV, JSON
/// Lines, JSON) or collected and aligned (table). Returns how many.
fn print_records<T: Row + Serialize>(
    format: QueryFormat,
    visit: impl FnOnce(&mut dyn FnMut(T) -> Result<(), StoreError>) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut n = 0u64;
    match format {
        QueryFormat::Table => {
            let mut rows = Vec::new();
            visit(&mut |r| {
                rows.push(r.cells());
                Ok(())
            })?;
            n = rows.len() as u64;
            write_table(&mut out, T::header(), &rows)?;
        }
        QueryFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(T::header()).map_err(io_err)?;
            visit(&mut |r| {
                n += 1;
                w.write_record(r.cells()).map_err(io_err)
            })?;
            w.flush()?;
        }
        QueryFormat::Jsonl => visit(&mut |r| {
            n += 1;
            serde_json::to_writer(&mut out, &r).map_err(io_err)?;
            out.write_all(b"\n")?;
            Ok(())
        })?,
        QueryFormat::Json => {
            out.write_all(b"[")?;
            visit(&mut |r| {
                n += 1;
                out.write_all(if n == 1 { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut out, &r).map_err(io_err)
            })?;
            out.write_all(if n == 0 { b"]\n" } else { b"\n]\n" })?;
        }
    }
    out.flush()?;
    Ok(n)
}

/// Aligned columns; cells longer than 60 characters are cut with `…`.
fn write_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    const MAX: usize = 60;
    let cut = |s: &str| -> String {
        let one_line = s.replace(['\n', '\t'], " ");
        if one_line.chars().count() > MAX {
            let mut t: String = one_line.chars().take(MAX - 1).collect();
            t.push('…');
            t
        } else {
            one_line
        }
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cut(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.extend(std::iter::repeat_n(' ', w - c.chars().count()));
            }
        }
        s
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in &rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// Prints how many records matched, on stderr, when nothing did (an empty
/// table is easy to mistake for an error).
fn report_empty(n: u64, what: &str) {
    if n == 0 {
        eprintln!("newsgraph: no {what} match");
    }
}

pub fn events(args: EventsArgs) -> Result<ExitCode> {
    let store = args.common.open()?;
    let filter = EventFilter {
        types: args.types,
        mode: args.mode,
        source_country: args.source_country,
        source_sector: args.source_sector,
        target_country: args.target_country,
        target_sector: args.target_sector,
        entity: args.entity,
        date_from: args.from,
        date_to: args.to,
        country: args.country,
        place: args.place,
        modality: args.modality,
        min_confidence: args.min_confidence,
        min_sources: args.min_sources,
        text: args.q,
        limit: args.common.limit,
        ..EventFilter::default()
    };
    let format = args.common.format();
    let n = match format {
        // The exports of the issue: flat CSV and PLOVER-style JSON Lines.
        QueryFormat::Csv => {
            let mut csv = EventCsv::new(BufWriter::new(io::stdout().lock()))?;
            let mut n = 0;
            store.visit_events(&filter, &mut |e| {
                n += 1;
                csv.write(&e)
            })?;
            csv.finish()?.flush()?;
            n
        }
        QueryFormat::Jsonl => {
            let mut out = BufWriter::new(io::stdout().lock());
            let mut n = 0;
            store.visit_events(&filter, &mut |e| {
                n += 1;
                write_event_jsonl(&mut out, &e)
            })?;
            out.flush()?;
            n
        }
        _ => print_records::<CorpusEvent>(format, |f| store.visit_events(&filter, f))?,
    };
    report_empty(n, "events");
    Ok(ExitCode::SUCCESS)
}

pub fn entities(args: EntitiesArgs) -> Result<ExitCode> {
    let store = args.common.open()?;
    let filter = EntityFilter {
        name: args.name,
        entity_type: args.entity_type,
        country: args.country,
        sector: args.sector,
        role: args.role,
        min_documents: args.min_documents,
        limit: args.common.limit,
        ..EntityFilter::default()
    };
    let n =
        print_records::<CorpusEntity>(args.common.format(), |f| store.visit_entities(&filter, f))?;
    report_empty(n, "entities");
    Ok(ExitCode::SUCCESS)
}

pub fn quotes(args: QuotesArgs) -> Result<ExitCode> {
    let store = args.common.open()?;
    let filter = QuoteFilter {
        speaker: args.speaker,
        text: args.q,
        kind: args.kind,
        date_from: args.from,
        date_to: args.to,
        source: args.source,
        limit: args.common.limit,
        ..QuoteFilter::default()
    };
    let n = print_records::<StoredQuote>(args.common.format(), |f| store.visit_quotes(&filter, f))?;
    report_empty(n, "quotes");
    Ok(ExitCode::SUCCESS)
}

pub fn stats(args: StatsArgs) -> Result<ExitCode> {
    let common = Common {
        db: args.db,
        format: args.format,
        limit: None,
    };
    let store = common.open()?;
    let stats = store.stats()?;
    let mut out = BufWriter::new(io::stdout().lock());
    match common.format() {
        QueryFormat::Table => {
            let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
            let mut rows = vec![
                (
                    "database",
                    format!(
                        "{} ({}, schema version {})",
                        common.db, stats.backend, stats.schema_version
                    ),
                ),
                ("documents", stats.documents.to_string()),
                ("sources", stats.sources.to_string()),
                (
                    "published",
                    format!(
                        "{} .. {}",
                        opt(&stats.first_published),
                        opt(&stats.last_published)
                    ),
                ),
                ("entities", stats.entities.to_string()),
                ("mentions", stats.mentions.to_string()),
                ("time expressions", stats.times.to_string()),
                ("quotes", stats.quotes.to_string()),
                ("events", stats.events.to_string()),
                ("event reports", stats.event_reports.to_string()),
            ];
            if let Some(bytes) = stats.size_bytes {
                rows.push((
                    "size",
                    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0)),
                ));
            }
            for (k, v) in rows {
                writeln!(out, "{k:<17} {v}")?;
            }
            for (t, n) in &stats.events_by_type {
                writeln!(out, "  {:<15} {n}", t.as_str())?;
            }
        }
        _ => {
            serde_json::to_writer_pretty(&mut out, &stats)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
