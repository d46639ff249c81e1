//! The place gazetteer's pre-built binary form, written at build time from
//! the [`FILES`] under `data/` and read in place at run time (no parsing, no hash map,
//! no per-name allocation at start-up).
//!
//! This file is shared: `build.rs` includes it (`#[path]`) to [`build`] the
//! index, `places.rs` to read it. It uses `std` only.
//!
//! Layout (little-endian): [`MAGIC`]; `u32` counts of entries, names and
//! references and the string pool's length; the entries ([`ENTRY_LEN`]
//! bytes each: latitude and longitude as `f64` bits, population `u64`, name
//! offset and length, country offset, country length and feature as one byte
//! each); the names ([`NAME_LEN`] bytes each: offset and length of the
//! lowercased name in the pool, first reference and reference count), sorted
//! by their bytes; the references (`u32`: entry index << 1 | 1 for the
//! entry's main name), per name in file order; the string pool (UTF-8).

#![allow(dead_code)] // each includer uses its half

use std::collections::HashMap;

pub const MAGIC: &[u8; 8] = b"NGPLACE1";
pub const HEADER_LEN: usize = 8 + 4 * 4;
pub const ENTRY_LEN: usize = 40;
pub const NAME_LEN: usize = 16;

/// Feature codes of the `feature` byte, in this order.
pub const FEATURES: [&str; 8] = [
    "country",
    "capital",
    "city",
    "continent",
    "region",
    "town",
    "water",
    "land",
];

/// The data files of the index under `data/`, read one after the other.
pub const FILES: [&str; 2] = ["places.tsv", "geography.tsv"];

/// One TSV line's fields.
pub struct Row<'a> {
    pub name: &'a str,
    pub alternates: &'a str,
    pub country: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub feature: u8,
}

/// The entries of the TSV format written by `scripts/build_places.sh`;
/// comments, blank and malformed lines are skipped (the file is generated,
/// and checked by a test).
pub fn rows(text: &str) -> impl Iterator<Item = Row<'_>> {
    text.lines().filter_map(|line| {
        if line.starts_with('#') || line.is_empty() {
            return None;
        }
        let mut f = line.split('\t');
        let (name, alternates, country) = (f.next()?, f.next()?, f.next()?);
        let (lat, lon, pop, feat) = (f.next()?, f.next()?, f.next()?, f.next()?);
        let feature = FEATURES.iter().position(|&x| x == feat)? as u8;
        Some(Row {
            name,
            alternates,
            country,
            lat: lat.parse().ok()?,
            lon: lon.parse().ok()?,
            population: pop.parse().unwrap_or(0),
            feature,
        })
    })
}

/// The binary index of a TSV text.
pub fn build(text: &str) -> Vec<u8> {
    let mut pool = String::new();
    let intern = |s: &str, pool: &mut String| {
        let off = pool.len() as u32;
        pool.push_str(s);
        (off, s.len() as u32)
    };
    let mut entries = Vec::new();
    // Lowercased name -> its references in file order.
    let mut names: Vec<(String, Vec<u32>)> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    let mut add = |key: String, reference: u32| {
        let i = *slot.entry(key.clone()).or_insert_with(|| {
            names.push((key, Vec::new()));
            names.len() - 1
        });
        names[i].1.push(reference);
    };
    for (i, row) in rows(text).enumerate() {
        let i = i as u32;
        let (name_off, name_len) = intern(row.name, &mut pool);
        let (country_off, country_len) = intern(row.country, &mut pool);
        let mut e = Vec::with_capacity(ENTRY_LEN);
        e.extend_from_slice(&row.lat.to_bits().to_le_bytes());
        e.extend_from_slice(&row.lon.to_bits().to_le_bytes());
        e.extend_from_slice(&row.population.to_le_bytes());
        e.extend_from_slice(&name_off.to_le_bytes());
        e.extend_from_slice(&name_len.to_le_bytes());
        e.extend_from_slice(&country_off.to_le_bytes());
        e.push(u8::try_from(country_len).expect("a short country code"));
        e.push(row.feature);
        e.resize(ENTRY_LEN, 0);
        entries.push(e);
        add(row.name.to_lowercase(), i << 1 | 1);
        for alt in row.alternates.split(';').filter(|a| !a.is_empty()) {
            add(alt.to_lowercase(), i << 1);
        }
    }
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let n_refs: usize = names.iter().map(|n| n.1.len()).sum();
    let mut name_table = Vec::with_capacity(names.len() * NAME_LEN);
    let mut refs = Vec::with_capacity(n_refs * 4);
    for (key, list) in &names {
        let (off, len) = intern(key, &mut pool);
        for x in [off, len, (refs.len() / 4) as u32, list.len() as u32] {
            name_table.extend_from_slice(&x.to_le_bytes());
        }
        for r in list {
            refs.extend_from_slice(&r.to_le_bytes());
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    for n in [entries.len(), names.len(), n_refs, pool.len()] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for e in &entries {
        out.extend_from_slice(e);
    }
    out.extend_from_slice(&name_table);
    out.extend_from_slice(&refs);
    out.extend_from_slice(pool.as_bytes());
    out
}

/// Little-endian `u32` at `at`.
#[inline]
pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

/// Little-endian `u64` at `at`.
#[inline]
pub fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}
