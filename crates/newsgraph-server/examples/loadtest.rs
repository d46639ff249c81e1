//! Load test of the API: latency of filtered `/api/events` queries and
//! behaviour under many concurrent clients, over real loopback TCP.
//!
//! ```text
//! cargo run --release -p newsgraph-server --example loadtest -- \
//!     [--db PATH | --synthetic N] [--clients 200] [--requests 25] [--duration SECS]
//! ```
//!
//! `--db` serves an existing store (e.g. one `newsgraph ingest` built);
//! `--synthetic N` first writes N invented articles with three events each
//! through the store API into a temporary store (the pipeline does not
//! extract events yet, so ingested corpora have none). Then `--clients`
//! keep-alive connections each send `--requests` requests, cycling through
//! a set of filtered event queries, and the latencies are reported
//! (p50/p95/p99/max) with the number of non-200 answers. With `--duration
//! SECS` the concurrent clients instead send requests until that much time
//! has passed (a soak: issue 12 asks for 200 clients for 60 s), and the
//! process's resident memory is printed after each quarter of the run so
//! that growth shows. Only loopback is ever contacted, and every loop is
//! bounded by a count or a deadline. `--synthetic N --out PATH` only writes
//! the synthetic store to PATH (a demo database).

use newsgraph_core::records::*;
use newsgraph_core::{Doc, DocMeta, TextRange};
use newsgraph_server::{app, ServerOptions};
use newsgraph_store::{SqliteStore, Store};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const COUNTRIES: &[&str] = &[
    "USA", "RUS", "CHN", "DEU", "FRA", "GBR", "TUR", "UKR", "IRN", "ISR", "EGY", "NGA", "KEN",
    "BRA", "IND", "PAK", "JPN", "KOR", "MEX", "ZAF",
];
const GIVEN: &[&str] = &[
    "Amara", "Boris", "Chen", "Dalia", "Emil", "Farah", "Goran", "Hana", "Ilya", "Jonas",
];
const FAMILY: &[&str] = &[
    "Okafor",
    "Varga",
    "Lindqvist",
    "Mendez",
    "Tanaka",
    "Haddad",
    "Kowalski",
    "Nguyen",
    "Petrov",
    "Osei",
];
const PLACES: &[(&str, f64, f64)] = &[
    ("Harbourton", 10.0, 20.0),
    ("Kessa", 38.0, 35.0),
    ("Valmora", 45.2, 7.1),
    ("Orlan", -12.5, 130.0),
    ("Tessin", 52.0, -1.0),
];
const VERBS: &[(EventType, &str)] = &[
    (EventType::Consult, "met"),
    (EventType::Accuse, "accused"),
    (EventType::Agree, "promised"),
    (EventType::Assault, "attacked"),
    (EventType::Reject, "rebuffed"),
    (EventType::Aid, "supplied"),
    (EventType::Threaten, "warned"),
    (EventType::Protest, "picketed"),
];

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn person(i: usize) -> (String, &'static str) {
    (
        format!(
            "{} {}",
            GIVEN[i % GIVEN.len()],
            FAMILY[(i / GIVEN.len()) % FAMILY.len()]
        ),
        COUNTRIES[i % COUNTRIES.len()],
    )
}

fn synthetic_doc(n: usize, rng: &mut Rng) -> Doc {
    let day = 19_000 + rng.below(730) as i64;
    let date = newsgraph_store::date_of_day(day);
    let mut text = String::new();
    let mut parts = Vec::new();
    for _ in 0..3 {
        let (a, b) = (rng.below(100), rng.below(100));
        let (verb_type, verb) = VERBS[rng.below(VERBS.len())];
        let place = PLACES[rng.below(PLACES.len())];
        let (sa, sc) = person(a);
        let (ta, tc) = person(if a == b { b + 1 } else { b });
        let start = text.len();
        text.push_str(&format!("{sa} {verb} {ta} in {} on Monday. ", place.0));
        parts.push((start, sa, sc, ta, tc, verb_type, verb, place));
    }
    let meta = DocMeta {
        id: format!("synthetic-{n}"),
        title: Some(format!("Synthetic report {n}")),
        published: Some(date.clone()),
        source: Some(format!("Outlet {}", n % 25)),
        url: None,
        language: "en".into(),
    };
    let mut doc = Doc::new(text.clone(), meta);
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    let mut first = 0u32;
    let mut pos = 0;
    for word in text.split_whitespace() {
        let s = text[pos..].find(word).unwrap() + pos;
        pos = s + word.len();
        tokens.push(TextRange::new(s, pos));
        if word.ends_with('.') {
            sentences.push(first..tokens.len() as u32);
            first = tokens.len() as u32;
        }
    }
    doc.set_tokens(tokens).unwrap();
    doc.set_sentences(&sentences).unwrap();
    for (i, (start, sa, sc, ta, tc, t, verb, place)) in parts.into_iter().enumerate() {
        let mut actor = |name: &str, country: &str, at: usize| -> Actor {
            let range = TextRange::new(at, at + name.len());
            doc.entities.push(Entity {
                name: name.to_string(),
                entity_type: EntityType::Person,
                country: Some(country.into()),
                sector: Some("GOV".into()),
                roles: vec![],
                place: None,
                mentions: vec![Mention {
                    range,
                    kind: MentionKind::Name,
                }],
            });
            Actor {
                entity: Some(doc.entities.len() - 1),
                range,
                country: Some(country.into()),
                sector: Some("GOV".into()),
            }
        };
        let source = actor(&sa, sc, start);
        let verb_at = start + sa.len() + 1;
        let target = actor(&ta, tc, verb_at + verb.len() + 1);
        let place_at = verb_at + verb.len() + 1 + ta.len() + 4;
        doc.events.push(Event {
            event_type: t,
            mode: String::new(),
            context: vec![],
            source: vec![source],
            target: vec![target],
            trigger: TextRange::new(verb_at, verb_at + verb.len()),
            sentence: i,
            date: Some(date.clone()),
            time: None,
            location: Some(Location {
                range: TextRange::new(place_at, place_at + place.0.len()),
                place: Some(Place {
                    name: place.0.into(),
                    country: Some(sc.into()),
                    lat: place.1,
                    lon: place.2,
                    feature: "city".into(),
                }),
            }),
            modality: Modality::Asserted,
            attribution: None,
            confidence: 0.5 + (rng.below(50) as f32) / 100.0,
            rule: "synthetic".into(),
        });
    }
    // Entities must be sorted per mention; each has one mention already.
    doc
}

const QUERIES: &[&str] = &[
    "/api/events?type=ASSAULT&source_country=RUS&limit=50",
    "/api/events?from=2022-06-01&to=2022-06-30&sort=-date&limit=50",
    "/api/events?entity=Okafor&limit=50",
    "/api/events?country=DEU&type=CONSULT,AGREE&limit=50",
    "/api/events?target_country=CHN&min_confidence=0.8&sort=-confidence&limit=50",
    "/api/events?place=Kessa&offset=500&limit=50",
    "/api/events?q=rebuffed&limit=50",
];

/// One keep-alive client: `n` requests, or requests until `until` when set.
async fn client(
    addr: std::net::SocketAddr,
    id: usize,
    n: usize,
    until: Option<Instant>,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::with_capacity(n);
    let mut failures = 0;
    let stream = TcpStream::connect(addr).await.expect("connect");
    let mut stream = BufReader::new(stream);
    for i in 0.. {
        match until {
            Some(t) if Instant::now() >= t => break,
            None if i >= n => break,
            _ => {}
        }
        let path = QUERIES[(id + i) % QUERIES.len()];
        let t0 = Instant::now();
        let req =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
        stream
            .get_mut()
            .write_all(req.as_bytes())
            .await
            .expect("write");
        let mut status = String::new();
        stream.read_line(&mut status).await.expect("status");
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            stream.read_line(&mut line).await.expect("header");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        stream.read_exact(&mut body).await.expect("body");
        latencies.push(t0.elapsed());
        if !status.contains(" 200 ") {
            failures += 1;
        }
    }
    (latencies, failures)
}

/// Resident and peak memory of this process (Linux), for the soak report.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?".to_string(), |v| v.trim().to_string())
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let clients: usize = arg("--clients").map_or(200, |s| s.parse().unwrap());
    let requests: usize = arg("--requests").map_or(25, |s| s.parse().unwrap());
    let duration: Option<Duration> =
        arg("--duration").map(|s| Duration::from_secs(s.parse().unwrap()));
    let _dir;
    let db: PathBuf = match (arg("--db"), arg("--synthetic")) {
        (Some(db), _) => PathBuf::from(db),
        (None, n) => {
            let n: usize = n.map_or(10_000, |s| s.parse().unwrap());
            let dir = tempfile::tempdir().unwrap();
            let path = arg("--out").map_or_else(|| dir.path().join("synthetic.db"), PathBuf::from);
            let t0 = Instant::now();
            let mut store = SqliteStore::open(&path).unwrap();
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
            let mut batch = Vec::new();
            for i in 0..n {
                batch.push(synthetic_doc(i, &mut rng));
                if batch.len() == 500 {
                    store.put_documents(&batch).unwrap();
                    batch.clear();
                }
            }
            store.put_documents(&batch).unwrap();
            let stats = store.stats().unwrap();
            eprintln!(
                "synthetic store: {} documents, {} events, {} entities, {:.1} MiB, written in {:.1} s",
                stats.documents,
                stats.events,
                stats.entities,
                stats.size_bytes.unwrap_or(0) as f64 / 1048576.0,
                t0.elapsed().as_secs_f64()
            );
            _dir = dir;
            if arg("--out").is_some() {
                return;
            }
            path
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let p = db.clone();
        let router = app(
            Box::new(move || Ok(Box::new(SqliteStore::open_read_only(&p)?) as Box<dyn Store>)),
            ServerOptions::default(),
        )
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { newsgraph_server::serve(listener, router).await });

        // Sequential latency first (one client), then the concurrent load.
        for (label, n_clients, n_requests) in [
            ("1 client", 1, QUERIES.len() * 20),
            ("concurrent", clients, requests),
        ] {
            let t0 = Instant::now();
            let until = duration.filter(|_| label == "concurrent").map(|d| t0 + d);
            let tasks: Vec<_> = (0..n_clients)
                .map(|id| tokio::spawn(client(addr, id, n_requests, until)))
                .collect();
            if let Some(d) = duration.filter(|_| label == "concurrent") {
                eprintln!("soak start: {}", memory());
                for q in 1..=4 {
                    tokio::time::sleep(d / 4).await;
                    eprintln!("soak {}/4: {}", q, memory());
                }
            }
            let mut all = Vec::new();
            let mut failures = 0;
            for t in tasks {
                let (l, f) = t.await.unwrap();
                all.extend(l);
                failures += f;
            }
            let wall = t0.elapsed();
            if label == "1 client" {
                // The one client sent QUERIES in turn: the median of each.
                for (k, query) in QUERIES.iter().enumerate() {
                    let mut mine: Vec<Duration> =
                        all.iter().skip(k).step_by(QUERIES.len()).copied().collect();
                    mine.sort();
                    println!(
                        "  {query}: median {:.1} ms, max {:.1} ms",
                        mine[mine.len() / 2].as_secs_f64() * 1e3,
                        mine.last().unwrap().as_secs_f64() * 1e3
                    );
                }
            }
            all.sort();
            let q = |f: f64| all[((all.len() as f64 * f) as usize).min(all.len() - 1)];
            let per_client = if until.is_some() {
                "until the deadline".to_string()
            } else {
                format!("{n_requests} requests")
            };
            println!(
                "{label}: {n_clients} clients x {per_client} = {} in {:.2} s ({:.0} req/s); \
                 latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; non-200: {failures}",
                all.len(),
                wall.as_secs_f64(),
                all.len() as f64 / wall.as_secs_f64(),
                q(0.50).as_secs_f64() * 1e3,
                q(0.95).as_secs_f64() * 1e3,
                q(0.99).as_secs_f64() * 1e3,
                all.last().unwrap().as_secs_f64() * 1e3,
            );
        }
    });
}
