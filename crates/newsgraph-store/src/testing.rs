//! A throwaway PostgreSQL server for tests: `initdb` and `pg_ctl` from the
//! installed PostgreSQL (Debian's `postgresql` package puts them under
//! `/usr/lib/postgresql/<version>/bin`; `NEWSGRAPH_PG_BIN` names another
//! directory), in a temporary directory, on a free loopback port, with
//! durability off (`fsync=off`) for speed. One server per test process,
//! started on first use and stopped when the process ends; each test gets
//! its own fresh database from [`TestServer::new_database`].
//!
//! When the binaries are absent, [`server`] prints a loud notice and returns
//! `None` so that the PostgreSQL half of a test skips; with
//! `NEWSGRAPH_REQUIRE_PG=1` (CI sets it) it panics instead.
//!
//! ```no_run
//! if let Some(server) = newsgraph_store::testing::server() {
//!     let url = server.new_database();
//!     let store = newsgraph_store::PostgresStore::connect(&url).unwrap();
//! }
//! ```

use crate::{EntityFilter, EventFilter, QuoteFilter, Store};
use newsgraph_core::records::*;
use newsgraph_core::{Doc, DocMeta, TextRange};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// A running server.
#[derive(Debug)]
pub struct TestServer {
    port: u16,
    bin: PathBuf,
    dir: PathBuf,
    databases: AtomicU32,
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`, if installed.
pub fn find_binaries() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NEWSGRAPH_PG_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").exists().then_some(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The shared server of this test process, started on first call; `None`
/// (after a loud notice) when PostgreSQL is not installed.
pub fn server() -> Option<&'static TestServer> {
    static SERVER: OnceLock<Option<TestServer>> = OnceLock::new();
    SERVER
        .get_or_init(|| match find_binaries() {
            Some(bin) => Some(TestServer::start(bin)),
            None => {
                let notice = "PostgreSQL binaries (initdb, pg_ctl) not found under \
                              /usr/lib/postgresql/*/bin or $NEWSGRAPH_PG_BIN: \
                              SKIPPING the PostgreSQL half of the store tests. \
                              Install them with `apt-get install postgresql`.";
                if std::env::var("NEWSGRAPH_REQUIRE_PG").is_ok_and(|v| v == "1") {
                    panic!("{notice} (NEWSGRAPH_REQUIRE_PG=1)");
                }
                eprintln!("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! {notice}\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
                None
            }
        })
        .as_ref()
}

/// Whether this process runs as root (initdb refuses to).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the `postgres` user when we are root.
fn command(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut c: Command, what: &str) {
    let out = c
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("test PostgreSQL: {what}: {e}"));
    assert!(
        out.status.success(),
        "test PostgreSQL: {what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestServer {
    fn start(bin: PathBuf) -> TestServer {
        let dir = std::env::temp_dir().join(format!(
            "newsgraph-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).expect("test PostgreSQL: temporary directory");
        if is_root() {
            let mut chown = Command::new("chown");
            chown.arg("postgres:postgres").arg(&dir);
            run(chown, "chown of the data directory");
        }
        let data = dir.join("data");
        let mut initdb = command(&bin.join("initdb"));
        initdb.arg("-D").arg(&data).args([
            "-U",
            "newsgraph",
            "--auth=trust",
            "--no-locale",
            "-E",
            "UTF8",
        ]);
        run(initdb, "initdb");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("test PostgreSQL: a free port");
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=60",
            dir.display()
        );
        let mut start = command(&bin.join("pg_ctl"));
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-w", "-o", &options, "start"]);
        run(start, "pg_ctl start");
        // Stop the server and remove its files when this process ends.
        let pg_ctl = bin.join("pg_ctl");
        let stop = if is_root() {
            format!("runuser -u postgres -- {}", pg_ctl.display())
        } else {
            pg_ctl.display().to_string()
        };
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            data = data.display(),
            dir = dir.display(),
        );
        // Never waited for: it outlives this process, by design.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &watchdog])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("test PostgreSQL: watchdog");
        TestServer {
            port,
            bin,
            dir,
            databases: AtomicU32::new(0),
        }
    }

    /// The URL of the server's maintenance database (`postgres`).
    pub fn admin_url(&self) -> String {
        format!("postgres://newsgraph@127.0.0.1:{}/postgres", self.port)
    }

    /// Creates an empty database and returns its URL.
    pub fn new_database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::SeqCst);
        let name = format!("test_{n}");
        let mut client = postgres::Client::connect(&self.admin_url(), postgres::NoTls)
            .expect("test PostgreSQL: connect");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("test PostgreSQL: CREATE DATABASE");
        format!("postgres://newsgraph@127.0.0.1:{}/{name}", self.port)
    }

    /// The directory of the server's binaries.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// The server's temporary directory (data, socket, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// What a store holds, as sorted lines of text without its ids (which
/// depend on arrival order): entities, events with their actors (by name)
/// and reports, quotes, and the counts of [`Store::stats`]. Two stores
/// with equal canonical forms hold the same corpus.
pub fn canonical(store: &dyn Store) -> String {
    let entities = store.entities(&EntityFilter::default()).unwrap();
    let name_of = |id: Option<i64>| {
        id.and_then(|id| entities.iter().find(|e| e.id == id))
            .map(|e| e.name.clone())
    };
    let mut lines = Vec::new();
    for mut e in entities.clone() {
        e.id = 0;
        e.aliases.sort();
        lines.push(format!("entity {e:?}"));
    }
    for mut e in store.events(&EventFilter::default()).unwrap() {
        e.id = 0;
        for a in e.source.iter_mut().chain(e.target.iter_mut()) {
            a.name = name_of(a.entity).unwrap_or(a.name.clone());
            a.entity = None;
        }
        e.reports.sort_by(|x, y| x.document.cmp(&y.document));
        lines.push(format!("event {e:?}"));
    }
    for mut q in store.quotes(&QuoteFilter::default()).unwrap() {
        q.speaker = None;
        lines.push(format!("quote {q:?}"));
    }
    let mut stats = store.stats().unwrap();
    stats.backend.clear();
    stats.schema_version = 0;
    stats.size_bytes = None;
    lines.push(format!("stats {stats:?}"));
    lines.sort();
    lines.join("\n")
}

/// A document built by hand for store, server and CLI tests: whitespace
/// tokens, sentences ending at `.` (not inside abbreviations like "U.S."), and
/// entities, actors, events, quotes and times placed by their words.
#[derive(Debug)]
pub struct DocBuilder {
    /// The document built so far; take it when done.
    pub doc: Doc,
}

/// The range of the first occurrence of `needle` in `text`; panics when absent.
pub fn range_of(text: &str, needle: &str) -> TextRange {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in `{text}`"));
    TextRange::new(start, start + needle.len())
}

impl DocBuilder {
    /// A document with an invented title and URL derived from `id` and `source`.
    pub fn new(id: &str, source: &str, published: &str, text: &str) -> DocBuilder {
        let meta = DocMeta {
            id: id.into(),
            title: Some(format!("Title of {id}")),
            published: Some(published.into()),
            source: Some(source.into()),
            url: Some(format!(
                "https://{}.example/{id}",
                source.replace(' ', "-").to_lowercase()
            )),
            language: "en".into(),
        };
        let mut doc = Doc::new(text, meta);
        let mut tokens = Vec::new();
        let mut sentences = Vec::new();
        let mut sentence_start = 0u32;
        let mut pos = 0;
        for word in text.split_whitespace() {
            let start = text[pos..].find(word).unwrap() + pos;
            pos = start + word.len();
            tokens.push(TextRange::new(start, pos));
            let abbreviation = word.len() > 1 && word[..word.len() - 1].contains('.');
            if (word.ends_with('.') && !abbreviation) || word.ends_with(".\"") {
                sentences.push(sentence_start..tokens.len() as u32);
                sentence_start = tokens.len() as u32;
            }
        }
        if (sentence_start as usize) < tokens.len() {
            sentences.push(sentence_start..tokens.len() as u32);
        }
        doc.set_tokens(tokens).unwrap();
        doc.set_sentences(&sentences).unwrap();
        DocBuilder { doc }
    }

    /// Drops the URL.
    pub fn no_url(mut self) -> Self {
        self.doc.meta.url = None;
        self
    }

    /// Adds an entity whose name-mentions are every occurrence of `surfaces`.
    pub fn entity(
        &mut self,
        name: &str,
        entity_type: EntityType,
        country: Option<&str>,
        sector: Option<&str>,
        roles: &[&str],
        surfaces: &[&str],
    ) -> usize {
        let text = self.doc.text().to_string();
        let mut mentions: Vec<Mention> = Vec::new();
        for s in surfaces {
            for (start, m) in text.match_indices(s) {
                mentions.push(Mention {
                    range: TextRange::new(start, start + m.len()),
                    kind: MentionKind::Name,
                });
            }
        }
        mentions.sort_by_key(|m| m.range.start);
        self.doc.entities.push(Entity {
            name: name.into(),
            entity_type,
            country: country.map(Into::into),
            sector: sector.map(Into::into),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            place: None,
            mentions,
        });
        self.doc.entities.len() - 1
    }

    /// An actor on the first occurrence of `surface`.
    pub fn actor(
        &self,
        entity: Option<usize>,
        surface: &str,
        country: Option<&str>,
        sector: Option<&str>,
    ) -> Actor {
        Actor {
            entity,
            range: range_of(self.doc.text(), surface),
            country: country.map(Into::into),
            sector: sector.map(Into::into),
        }
    }

    /// Adds an event whose trigger is the first occurrence of `trigger`.
    #[allow(clippy::too_many_arguments)]
    pub fn event(
        &mut self,
        event_type: EventType,
        mode: &str,
        source: Vec<Actor>,
        target: Vec<Actor>,
        trigger: &str,
        date: Option<&str>,
        place: Option<(&str, &str, f64, f64)>,
        modality: Modality,
        confidence: f32,
    ) {
        let trigger = range_of(self.doc.text(), trigger);
        let sentence = self
            .doc
            .sentence_data()
            .iter()
            .position(|s| s.range.contains(trigger))
            .unwrap();
        let location = place.map(|(name, country, lat, lon)| Location {
            range: range_of(self.doc.text(), name),
            place: Some(Place {
                name: name.into(),
                country: Some(country.into()),
                lat,
                lon,
                feature: "city".into(),
            }),
        });
        self.doc.events.push(Event {
            event_type,
            mode: mode.into(),
            context: vec![],
            source,
            target,
            trigger,
            sentence,
            date: date.map(Into::into),
            time: None,
            location,
            modality,
            attribution: None,
            confidence,
            rule: format!("{}.test", event_type.as_str().to_lowercase()),
        });
    }

    /// Adds a quote of `words` with its cue word.
    pub fn quote(&mut self, words: &str, kind: QuoteKind, speaker: Option<usize>, cue: &str) {
        let text = self.doc.text();
        self.doc.quotes.push(Quote {
            range: range_of(text, words),
            kind,
            speaker,
            speaker_mention: None,
            cue: Some(range_of(text, cue)),
        });
    }

    /// Adds a DATE time expression.
    pub fn time(&mut self, surface: &str, value: &str) {
        self.doc.times.push(TimeExpr {
            range: range_of(self.doc.text(), surface),
            time_type: TimeType::Date,
            value: Some(value.into()),
        });
    }
}
