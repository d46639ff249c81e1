//! Exports of corpus events: PLOVER-style JSON Lines and a GDELT-like flat CSV.
//!
//! The CSV has one row per corpus event and these columns, in order
//! ([`CSV_COLUMNS`]): `id, date, type, mode, modality, source_name,
//! source_country, source_sector, target_name, target_country, target_sector,
//! place, place_country, lat, lon, n_reports, n_documents, n_sources,
//! first_report, last_report, confidence`. The source and target columns
//! describe each side's main actor (named by most reports, then first seen);
//! the JSON Lines keep every actor and every report.

use crate::{CorpusEvent, EventActor, StoreError};
use std::io::Write;

/// The header of the CSV export.
pub const CSV_COLUMNS: [&str; 21] = [
    "id",
    "date",
    "type",
    "mode",
    "modality",
    "source_name",
    "source_country",
    "source_sector",
    "target_name",
    "target_country",
    "target_sector",
    "place",
    "place_country",
    "lat",
    "lon",
    "n_reports",
    "n_documents",
    "n_sources",
    "first_report",
    "last_report",
    "confidence",
];

/// Writes events as CSV: call [`EventCsv::write`] per event, then [`EventCsv::finish`].
#[derive(Debug)]
pub struct EventCsv<W: Write> {
    writer: csv::Writer<W>,
}

fn csv_err(e: csv::Error) -> StoreError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => StoreError::Io(io),
        other => StoreError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

impl<W: Write> EventCsv<W> {
    /// Starts the CSV: writes the header.
    pub fn new(out: W) -> Result<EventCsv<W>, StoreError> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(CSV_COLUMNS).map_err(csv_err)?;
        Ok(EventCsv { writer })
    }

    /// Writes one event's row.
    pub fn write(&mut self, e: &CorpusEvent) -> Result<(), StoreError> {
        let opt = |s: Option<&str>| s.unwrap_or("").to_string();
        let actor = |a: Option<&EventActor>| {
            [
                opt(a.map(|a| a.name.as_str())),
                opt(a.and_then(|a| a.country.as_deref())),
                opt(a.and_then(|a| a.sector.as_deref())),
            ]
        };
        let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
        let place = e.location.as_ref();
        let [sn, sc, ss] = actor(e.source.first());
        let [tn, tc, ts] = actor(e.target.first());
        let row = [
            e.id.to_string(),
            opt(e.date.as_deref()),
            e.event_type.as_str().to_string(),
            e.mode.clone(),
            e.modality.as_str().to_string(),
            sn,
            sc,
            ss,
            tn,
            tc,
            ts,
            opt(place.map(|p| p.name.as_str())),
            opt(place.and_then(|p| p.country.as_deref())),
            num(place.and_then(|p| p.lat)),
            num(place.and_then(|p| p.lon)),
            e.n_reports.to_string(),
            e.n_documents.to_string(),
            e.n_sources.to_string(),
            opt(e.first_report.as_deref()),
            opt(e.last_report.as_deref()),
            format!("{:.3}", e.confidence),
        ];
        self.writer.write_record(&row).map_err(csv_err)
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> Result<W, StoreError> {
        self.writer
            .into_inner()
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))
    }
}

/// Writes one event as a PLOVER-style JSON line (the [`CorpusEvent`] shape).
pub fn write_event_jsonl(out: &mut impl Write, e: &CorpusEvent) -> Result<(), StoreError> {
    serde_json::to_writer(&mut *out, e).map_err(|e| StoreError::Io(e.into()))?;
    out.write_all(b"\n")?;
    Ok(())
}
