//! Store tests on hand-built documents: idempotency, merging, every query
//! filter, exports. Each test body takes a `&mut dyn Store` so that other
//! backends can run the same bodies.

use newsgraph_core::records::*;
use newsgraph_core::Doc;
use newsgraph_store::export::{write_event_jsonl, EventCsv, CSV_COLUMNS};
use newsgraph_store::testing::DocBuilder;
use newsgraph_store::*;

use EntityType::{Gpe, Person};
use EventType as T;
use Modality as M;

const SOCHI: Option<(&str, &str, f64, f64)> = Some(("Sochi", "RUS", 43.6, 39.73));

/// Harbor Post's report of the Kerry–Putin meeting.
fn harbor_kerry() -> Doc {
    let mut b = DocBuilder::new(
        "harbor-1",
        "Harbor Post",
        "2015-05-12T10:00:00Z",
        "U.S. Secretary of State John Kerry met Russian President Vladimir Putin in Sochi on Tuesday. \
         \"We had a frank discussion,\" Kerry said.",
    );
    let kerry = b.entity(
        "John Kerry",
        Person,
        Some("USA"),
        Some("GOV"),
        &["Secretary of State"],
        &["John Kerry"],
    );
    let putin = b.entity(
        "Vladimir Putin",
        Person,
        Some("RUS"),
        Some("GOV"),
        &["President"],
        &["Vladimir Putin"],
    );
    let src = vec![b.actor(Some(kerry), "John Kerry", Some("USA"), Some("GOV"))];
    let tgt = vec![b.actor(Some(putin), "Vladimir Putin", Some("RUS"), Some("GOV"))];
    b.event(
        T::Consult,
        "visit",
        src,
        tgt,
        "met",
        Some("2015-05-12"),
        SOCHI,
        M::Asserted,
        0.9,
    );
    b.quote(
        "We had a frank discussion",
        QuoteKind::Direct,
        Some(kerry),
        "said",
    );
    b.time("on Tuesday", "2015-05-12");
    b.doc
}

/// Meridian Wire's report of the same meeting, in other words.
fn meridian_kerry() -> Doc {
    let mut b = DocBuilder::new(
        "meridian-7",
        "Meridian Wire",
        "2015-05-12",
        "Vladimir Putin hosted Kerry in Sochi for eight hours of talks. \
         Putin said the talks were useful.",
    );
    let putin = b.entity(
        "Vladimir Putin",
        Person,
        Some("RUS"),
        Some("GOV"),
        &["President"],
        &["Vladimir Putin", "Putin said"],
    );
    // Best name "John Kerry" from elsewhere in the story; no country given here.
    let kerry = b.entity("John Kerry", Person, None, None, &[], &["Kerry"]);
    let src = vec![b.actor(Some(kerry), "Kerry", None, None)];
    let tgt = vec![b.actor(Some(putin), "Vladimir Putin", Some("RUS"), Some("GOV"))];
    b.event(
        T::Consult,
        "",
        src,
        tgt,
        "hosted",
        None,
        SOCHI,
        M::Asserted,
        0.8,
    );
    b.quote(
        "the talks were useful",
        QuoteKind::Indirect,
        Some(putin),
        "said",
    );
    b.doc
}

/// A second Harbor Post story two days later: a rejection and a protest.
fn harbor_parade() -> Doc {
    let mut b = DocBuilder::new(
        "harbor-2",
        "Harbor Post",
        "2015-05-14T08:30:00Z",
        "Western leaders declined an invitation from Putin to the parade in Moscow on Wednesday. \
         Protesters rallied in Lagos against fuel prices.",
    );
    let putin = b.entity(
        "Vladimir Putin",
        Person,
        Some("RUS"),
        Some("GOV"),
        &["President"],
        &["Putin"],
    );
    let src = vec![b.actor(None, "Western leaders", None, None)];
    let tgt = vec![b.actor(Some(putin), "Putin", Some("RUS"), Some("GOV"))];
    b.event(
        T::Reject,
        "meet",
        src,
        tgt,
        "declined",
        Some("2015-05-13"),
        Some(("Moscow", "RUS", 55.75, 37.62)),
        M::Asserted,
        0.7,
    );
    let src = vec![b.actor(None, "Protesters", Some("NGA"), Some("CVL"))];
    b.event(
        T::Protest,
        "demo",
        src,
        vec![],
        "rallied",
        None,
        Some(("Lagos", "NGA", 6.45, 3.4)),
        M::Asserted,
        0.6,
    );
    b.doc
}

/// Kessen Courier: a planned meeting (future) and an accusation.
fn kessen_plans() -> Doc {
    let mut b = DocBuilder::new(
        "kessen-3",
        "Kessen Courier",
        "2015-05-13",
        "Kerry will meet Ukrainian Foreign Minister Pavlo Klimkin in Antalya. \
         Kyiv accused Moscow of shelling Donetsk.",
    )
    .no_url();
    let kerry = b.entity(
        "John Kerry",
        Person,
        Some("USA"),
        Some("GOV"),
        &["Secretary of State"],
        &["Kerry"],
    );
    let klimkin = b.entity(
        "Pavlo Klimkin",
        Person,
        Some("UKR"),
        Some("GOV"),
        &["Foreign Minister"],
        &["Pavlo Klimkin"],
    );
    let src = vec![b.actor(Some(kerry), "Kerry", None, None)];
    let tgt = vec![b.actor(Some(klimkin), "Pavlo Klimkin", None, None)];
    b.event(
        T::Consult,
        "",
        src,
        tgt,
        "will meet",
        Some("2015-05-14"),
        Some(("Antalya", "TUR", 36.9, 30.7)),
        M::Future,
        0.75,
    );
    let src = vec![b.actor(None, "Kyiv", Some("UKR"), Some("GOV"))];
    let tgt = vec![b.actor(None, "Moscow", Some("RUS"), Some("GOV"))];
    b.event(
        T::Accuse,
        "allege",
        src,
        tgt,
        "accused",
        None,
        None,
        M::Asserted,
        0.5,
    );
    b.quote("of shelling Donetsk", QuoteKind::Indirect, None, "accused");
    b.doc
}

fn corpus() -> Vec<Doc> {
    vec![
        harbor_kerry(),
        meridian_kerry(),
        harbor_parade(),
        kessen_plans(),
    ]
}

// ---- backends -------------------------------------------------------------------

/// A store under test with what the tests need beyond [`Store`].
trait TestStore: Store {
    fn dump(&self) -> String;
    fn schema_version(&self) -> u32;
    fn as_store(&self) -> &dyn Store;
}

impl TestStore for SqliteStore {
    fn dump(&self) -> String {
        SqliteStore::dump(self).unwrap()
    }
    fn schema_version(&self) -> u32 {
        SqliteStore::schema_version(self).unwrap()
    }
    fn as_store(&self) -> &dyn Store {
        self
    }
}

impl TestStore for PostgresStore {
    fn dump(&self) -> String {
        PostgresStore::dump(self).unwrap()
    }
    fn schema_version(&self) -> u32 {
        PostgresStore::schema_version(self).unwrap()
    }
    fn as_store(&self) -> &dyn Store {
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh store: a SQLite file in a temporary directory, or a new database
/// on the test process's PostgreSQL server.
struct Fixture {
    _dir: Option<tempfile::TempDir>,
    /// The `--db` argument naming it.
    db: String,
    store: Box<dyn TestStore>,
}

impl Fixture {
    /// The same database, opened again.
    fn reopen(&self) -> Box<dyn TestStore> {
        if is_postgres_url(&self.db) {
            Box::new(PostgresStore::connect(&self.db).unwrap())
        } else {
            Box::new(SqliteStore::open(&self.db).unwrap())
        }
    }
}

fn fresh(backend: Backend) -> Fixture {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let db = dir.path().join("news.db").display().to_string();
            let store = Box::new(SqliteStore::open(&db).unwrap());
            Fixture {
                _dir: Some(dir),
                db,
                store,
            }
        }
        Backend::Postgres => {
            let server = newsgraph_store::testing::server().expect("checked by `both!`");
            let db = server.new_database();
            let store = Box::new(PostgresStore::connect(&db).unwrap());
            Fixture {
                _dir: None,
                db,
                store,
            }
        }
    }
}

fn loaded(backend: Backend) -> Fixture {
    let mut s = fresh(backend);
    let outcomes = s.store.put_documents(&corpus()).unwrap();
    assert!(
        outcomes.iter().all(|o| *o == PutOutcome::Stored),
        "{outcomes:?}"
    );
    s
}

/// One test body, two backends: `both! { fn name(b) { ... } }` makes the
/// tests `name::sqlite` and `name::postgres` (which skips, loudly, when
/// PostgreSQL is not installed).
macro_rules! both {
    (fn $name:ident($b:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body($b: Backend) $body

            #[test]
            fn sqlite() {
                body(Backend::Sqlite)
            }

            #[test]
            fn postgres() {
                if newsgraph_store::testing::server().is_some() {
                    body(Backend::Postgres)
                }
            }
        }
    };
}

fn event_ids(store: &dyn Store, filter: EventFilter) -> Vec<(EventType, Option<String>)> {
    store
        .events(&filter)
        .unwrap()
        .into_iter()
        .map(|e| (e.event_type, e.date))
        .collect()
}

fn types(store: &dyn Store, filter: EventFilter) -> Vec<&'static str> {
    store
        .events(&filter)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type.as_str())
        .collect()
}

// ---- idempotency ----------------------------------------------------------------

both! {
fn same_document_twice_is_stored_once(b) {
    let mut s = loaded(b);
    let before = s.store.dump();
    let again = s.store.put_documents(&corpus()).unwrap();
    assert!(again.iter().all(|o| matches!(o, PutOutcome::Duplicate(_))));
    assert_eq!(
        s.store.dump(),
        before,
        "re-ingesting changed the store"
    );

    // Same text under another id: duplicate by content.
    let mut copy = harbor_kerry();
    copy.meta.id = "mirror-1".into();
    copy.meta.url = Some("https://mirror.example/1".into());
    let dup = |matched, existing: &str| {
        PutOutcome::Duplicate(Duplicate {
            existing: existing.into(),
            matched,
        })
    };
    assert_eq!(
        s.store.put_document(&copy).unwrap(),
        dup(DuplicateOf::Content, "harbor-1")
    );
    // Same URL, new text: duplicate by URL.
    let mut updated =
        DocBuilder::new("harbor-1b", "Harbor Post", "2015-05-12", "Updated story.").doc;
    updated.meta.url = Some("https://harbor-post.example/harbor-1".into());
    assert_eq!(
        s.store.put_document(&updated).unwrap(),
        dup(DuplicateOf::Url, "harbor-1")
    );
    // Same id.
    let same_id = DocBuilder::new("harbor-2", "X", "2015-05-12", "Other words.")
        .no_url()
        .doc;
    assert_eq!(
        s.store.put_document(&same_id).unwrap(),
        dup(DuplicateOf::Id, "harbor-2")
    );
    // Twice in one batch: the second is the duplicate.
    let fresh = DocBuilder::new("fresh", "X", "2015-05-12", "Brand new words.").doc;
    let outcomes = s.store.put_documents(&[fresh.clone(), fresh]).unwrap();
    assert_eq!(outcomes[0], PutOutcome::Stored);
    assert_eq!(outcomes[1], dup(DuplicateOf::Id, "fresh"));
    assert_eq!(s.store.stats().unwrap().documents, 5);
    let key = DocKey {
        id: None,
        url: None,
        content_hash: &content_hash("Brand  new\nwords."),
    };
    assert_eq!(
        s.store.find_duplicate(&key).unwrap().map(|d| d.existing),
        Some("fresh".to_string())
    );
}
}

both! {
fn a_document_comes_back_as_extract_printed_it(b) {
    let s = loaded(b);
    let doc = harbor_kerry();
    let expected = serde_json::to_string(&newsgraph_core::json::DocJson::new(
        &doc,
        Default::default(),
    ))
    .unwrap();
    assert_eq!(s.store.document_json("harbor-1").unwrap(), Some(expected));
    assert_eq!(s.store.document_json("nope").unwrap(), None);
}
}

both! {
fn reopening_keeps_data_and_schema(b) {
    let s = loaded(b);
    let dump = s.store.dump();
    let store = s.reopen();
    let latest = if b == Backend::Sqlite { 2 } else { 4 };
    assert_eq!(store.schema_version(), latest);
    assert_eq!(store.dump(), dump);
}
}

#[test]
fn errors_name_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.db");
    std::fs::write(
        &bad,
        "this is not a database, just some text that is long enough to matter".repeat(20),
    )
    .unwrap();
    let err = SqliteStore::open(&bad).unwrap_err().to_string();
    assert!(
        err.contains("notes.db") && err.contains("not a database"),
        "{err}"
    );

    let missing = dir.path().join("no/such/dir/news.db");
    let err = SqliteStore::open(&missing).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot open database") && err.contains("no/such/dir"),
        "{err}"
    );

    let newer = dir.path().join("newer.db");
    drop(SqliteStore::open(&newer).unwrap());
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute("INSERT INTO schema_version VALUES (99, 'later')", [])
        .unwrap();
    drop(conn);
    let err = SqliteStore::open(&newer).unwrap_err().to_string();
    assert!(
        err.contains("schema version 99") && err.contains("newer.db"),
        "{err}"
    );

    // Nothing listens on port 1; the password stays out of the message.
    let err = open_store("postgres://u:secret@127.0.0.1:1/news")
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.starts_with("cannot connect to `postgres://u:***@127.0.0.1:1/news`")
            && !err.contains("secret"),
        "{err}"
    );
}

// ---- the two backends against each other ---------------------------------------

#[test]
fn both_backends_store_the_same_corpus() {
    if newsgraph_store::testing::server().is_none() {
        return;
    }
    let (mut lite, mut pg) = (fresh(Backend::Sqlite), fresh(Backend::Postgres));
    let mut docs = corpus();
    docs.extend(many_reports(12));
    for store in [&mut lite.store, &mut pg.store] {
        // Two batches, and the first one again: duplicates change nothing.
        store.put_documents(&docs[..7]).unwrap();
        store.put_documents(&docs[7..]).unwrap();
        store.put_documents(&docs[..7]).unwrap();
    }
    let (a, b) = (lite.store.dump(), pg.store.dump());
    assert!(a.len() > 1000, "{a}");
    if a != b {
        let diff: Vec<_> = a
            .lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .take(5)
            .collect();
        panic!("the backends differ: {diff:#?}");
    }
    let export = |s: &Fixture| {
        serde_json::to_string(&s.store.events(&EventFilter::default()).unwrap()).unwrap()
    };
    assert_eq!(export(&lite), export(&pg));
}

#[test]
fn postgres_refuses_a_newer_schema() {
    let Some(server) = newsgraph_store::testing::server() else {
        return;
    };
    let url = server.new_database();
    drop(PostgresStore::connect(&url).unwrap());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute("INSERT INTO schema_version VALUES (99, 'later')")
        .unwrap();
    let err = PostgresStore::connect(&url).unwrap_err().to_string();
    assert!(
        err.contains("schema version 99") && err.contains(&url),
        "{err}"
    );
}

/// `n` reports of meetings between a few officials by a few outlets on three
/// dates far enough apart that the merge does not depend on arrival order.
fn many_reports(n: usize) -> Vec<Doc> {
    let people = [
        ("Ana Varga", "HUN"),
        ("Tomas Ruiz", "ESP"),
        ("Mira Okafor", "NGA"),
        ("Jon Halvorsen", "NOR"),
    ];
    let outlets = ["Harbor Post", "Meridian Wire", "Kessen Daily"];
    let dates = ["2016-03-01", "2016-03-10", "2016-03-20"];
    (0..n)
        .map(|k| {
            let (a, ac) = people[k % 4];
            let (t, tc) = people[(k / 4 + k % 4 + 1) % 4];
            let date = dates[k % 3];
            let text = format!(
                "Minister {a} met {t} in Geneva on {date} ({k}). \"Talks went well,\" {a} said."
            );
            let mut b = DocBuilder::new(&format!("m-{k}"), outlets[k % 3], date, &text);
            let ea = b.entity(a, Person, Some(ac), Some("GOV"), &["Minister"], &[a]);
            let et = b.entity(t, Person, Some(tc), Some("GOV"), &[], &[t]);
            let src = vec![b.actor(Some(ea), a, None, None)];
            let tgt = vec![b.actor(Some(et), t, None, None)];
            b.event(
                T::Consult,
                "meet",
                src,
                tgt,
                "met",
                Some(date),
                Some(("Geneva", "CHE", 46.2, 6.14)),
                M::Asserted,
                0.5 + (k % 5) as f32 / 10.0,
            );
            b.quote("Talks went well", QuoteKind::Direct, Some(ea), "said");
            b.doc
        })
        .collect()
}

#[test]
fn four_concurrent_writers_store_what_one_does() {
    let Some(server) = newsgraph_store::testing::server() else {
        return;
    };
    let mut docs = corpus();
    docs.extend(many_reports(120));
    let mut lite = fresh(Backend::Sqlite);
    for batch in docs.chunks(5) {
        lite.store.put_documents(batch).unwrap();
    }
    let url = server.new_database();
    drop(PostgresStore::connect(&url).unwrap());
    // Every worker gets every document (in its own order, in batches of 5):
    // each is stored once, and merged as one writer would.
    std::thread::scope(|scope| {
        for w in 0..4usize {
            let (docs, url) = (&docs, &url);
            scope.spawn(move || {
                let mut store = PostgresStore::connect(url).unwrap();
                let mut mine: Vec<Doc> = docs.clone();
                mine.rotate_left(w * docs.len() / 4);
                for batch in mine.chunks(5) {
                    store.put_documents(batch).unwrap();
                }
            });
        }
    });
    let pg = PostgresStore::connect(&url).unwrap();
    assert_eq!(pg.stats().unwrap().documents, docs.len() as u64);
    assert_eq!(
        newsgraph_store::testing::canonical(&pg),
        newsgraph_store::testing::canonical(lite.store.as_store())
    );
}

// ---- merging --------------------------------------------------------------------

/// A small deterministic generator (an LCG) for the order tests.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.next(i + 1));
        }
    }
}

/// Reports that chain: a few officials and bodies, partly overlapping actor
/// lists (one or two a side, sometimes an empty side), actors without an
/// entity (by country and sector, or by name), three days, two places,
/// several modes and contexts — the cases where merging in arrival order
/// could group reports differently.
fn chaining_reports(n: usize, seed: u64) -> Vec<Doc> {
    let people = [
        ("Ana Varga", "HUN"),
        ("Tomas Ruiz", "ESP"),
        ("Mira Okafor", "NGA"),
        ("Jon Halvorsen", "NOR"),
        ("Lena Brandt", "DEU"),
        ("Omar Haddad", "JOR"),
        ("Sara Lind", "SWE"),
        ("Piotr Nowak", "POL"),
    ];
    let days = [
        "2016-04-01",
        "2016-04-02",
        "2016-04-05",
        "2016-04-06",
        "2016-04-10",
        "2016-04-20",
    ];
    let places = [
        Some(("Geneva", "CHE", 46.2, 6.14)),
        Some(("Vienna", "AUT", 48.21, 16.37)),
        None,
    ];
    let modes = ["", "meet", "visit"];
    let mut rng = Lcg(seed);
    (0..n)
        .map(|k| {
            let date = days[rng.next(days.len())];
            let src: Vec<usize> = (0..1 + rng.next(2))
                .map(|_| rng.next(people.len()))
                .collect();
            let tgt: Vec<usize> = (0..rng.next(3)).map(|_| rng.next(people.len())).collect();
            let names: Vec<&str> = src.iter().chain(&tgt).map(|&i| people[i].0).collect();
            let text = format!(
                "{} met in Geneva or Vienna with officials and Valmoran police ({k}).",
                names.join(" and ")
            );
            let mut b = DocBuilder::new(
                &format!("o-{k}"),
                ["Harbor Post", "Kessen Daily"][k % 2],
                date,
                &text,
            );
            let mut entity_of = std::collections::HashMap::new();
            for &i in src.iter().chain(&tgt) {
                let (name, country) = people[i];
                // Spellings and sectors that vary between documents.
                let spelled = match rng.next(3) {
                    0 => name.to_uppercase(),
                    _ => name.to_string(),
                };
                let sector = ["GOV", "ELI"][rng.next(2)];
                let role = ["Minister", "minister"][rng.next(2)];
                entity_of.entry(i).or_insert_with(|| {
                    b.entity(
                        &spelled,
                        Person,
                        Some(country),
                        Some(sector),
                        &[role],
                        &[name],
                    )
                });
            }
            // Unnamed "officials" of one country, another or none: which
            // coded one existed first must not decide where the uncoded go.
            let officials = b.entity(
                "officials",
                Person,
                [Some("KEN"), Some("TUR"), None][k % 3],
                Some("GOV"),
                &[],
                &["officials"],
            );
            for m in &mut b.doc.entities[officials].mentions {
                m.kind = MentionKind::Nominal;
            }
            let side = |b: &DocBuilder, list: &[usize]| -> Vec<Actor> {
                list.iter()
                    .map(|&i| b.actor(Some(entity_of[&i]), people[i].0, None, None))
                    .collect()
            };
            let mut source = side(&b, &src);
            let mut target = side(&b, &tgt);
            match rng.next(4) {
                0 => source.push(b.actor(None, "officials", Some("CHE"), Some("GOV"))),
                1 => target.push(b.actor(None, "Valmoran police", None, None)),
                _ => {}
            }
            b.event(
                T::Consult,
                modes[rng.next(modes.len())],
                source,
                target,
                "met",
                Some(date),
                places[rng.next(places.len())],
                M::Asserted,
                0.5 + rng.next(5) as f32 / 10.0,
            );
            if rng.next(2) == 0 {
                b.doc.events[0].context = vec![["summit", "bilateral"][rng.next(2)].to_string()];
            }
            b.doc
        })
        .collect()
}

both! {
fn merging_does_not_depend_on_arrival_order(b) {
    let docs = chaining_reports(60, 11);
    let ingest = |order: &[Doc], batch: usize| {
        let mut s = fresh(b);
        for chunk in order.chunks(batch) {
            s.store.put_documents(chunk).unwrap();
        }
        newsgraph_store::testing::canonical(s.store.as_store())
    };
    let expected = ingest(&docs, 60);
    // The reports chain: some corpus event has reports that do not all match each other.
    let s = {
        let mut s = fresh(b);
        s.store.put_documents(&docs).unwrap();
        s
    };
    let events = s.store.events(&EventFilter::default()).unwrap();
    assert!(events.iter().any(|e| e.n_reports >= 4), "{events:#?}");
    assert!(events.len() >= 3, "{events:#?}");
    let mut reversed = docs.clone();
    reversed.reverse();
    assert_eq!(ingest(&reversed, 1), expected, "reversed, one at a time");
    let mut rng = Lcg(5);
    for round in 0..4 {
        let mut shuffled = docs.clone();
        rng.shuffle(&mut shuffled);
        assert_eq!(ingest(&shuffled, 1 + round * 3), expected, "shuffle {round}");
    }
}
}

both! {
fn two_outlets_reporting_one_meeting_make_one_event(b) {
    let s = loaded(b);
    let consults = s
        .store
        .events(&EventFilter {
            types: vec![T::Consult],
            modality: Some(M::Asserted),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(consults.len(), 1, "{consults:#?}");
    let e = &consults[0];
    assert_eq!((e.n_reports, e.n_documents, e.n_sources), (2, 2, 2));
    assert_eq!(e.date.as_deref(), Some("2015-05-12"));
    assert_eq!(e.mode, "visit");
    assert_eq!(e.first_report.as_deref(), Some("2015-05-12"));
    assert_eq!(e.last_report.as_deref(), Some("2015-05-12T10:00:00Z"));
    assert!((e.confidence - 0.9).abs() < 1e-6);
    assert_eq!(e.source.len(), 1);
    assert_eq!(e.source[0].name, "John Kerry");
    assert_eq!(e.source[0].n_reports, 2);
    assert_eq!(e.target[0].name, "Vladimir Putin");
    let docs: Vec<&str> = e.reports.iter().map(|r| r.document.as_str()).collect();
    assert_eq!(docs, ["meridian-7", "harbor-1"]);
    assert_eq!(e.reports[1].trigger.text, "met");
    assert!(e.reports[1].sentence.text.starts_with("U.S. Secretary"));
    assert!(e.reports[1].sentence.text.ends_with("on Tuesday."));
}
}

both! {
fn counts_update_as_reports_arrive(b) {
    let mut s = loaded(b);
    // A third report from an outlet already counted, the next day, same place.
    let mut b = DocBuilder::new(
        "harbor-9",
        "Harbor Post",
        "2015-05-13",
        "Kerry and Putin talked in Sochi.",
    );
    let kerry = b.entity(
        "John Kerry",
        Person,
        Some("USA"),
        Some("GOV"),
        &[],
        &["Kerry"],
    );
    let putin = b.entity(
        "Vladimir Putin",
        Person,
        Some("RUS"),
        Some("GOV"),
        &[],
        &["Putin"],
    );
    let src = vec![b.actor(Some(kerry), "Kerry", None, None)];
    let tgt = vec![b.actor(Some(putin), "Putin", None, None)];
    b.event(
        T::Consult,
        "",
        src,
        tgt,
        "talked",
        Some("2015-05-13"),
        SOCHI,
        M::Asserted,
        0.95,
    );
    s.store.put_document(&b.doc).unwrap();
    let e = &s
        .store
        .events(&EventFilter {
            types: vec![T::Consult],
            modality: Some(M::Asserted),
            ..Default::default()
        })
        .unwrap()[0];
    assert_eq!((e.n_reports, e.n_documents, e.n_sources), (3, 3, 2));
    assert_eq!(e.last_report.as_deref(), Some("2015-05-13"));
    assert!((e.confidence - 0.95).abs() < 1e-6);
}
}

both! {
fn events_stay_apart_when_the_rules_say_so(b) {
    let base = |id: &str,
                date: &str,
                place: Option<(&str, &str, f64, f64)>,
                t: EventType,
                m: Modality,
                target: &str| {
        let mut b = DocBuilder::new(
            id,
            id,
            date,
            &format!("Kerry met {target} in Sochi or Oslo or Bergen ({id})."),
        );
        let kerry = b.entity(
            "John Kerry",
            Person,
            Some("USA"),
            Some("GOV"),
            &[],
            &["Kerry"],
        );
        let other = b.entity(target, Person, Some("RUS"), Some("GOV"), &[], &[target]);
        let src = vec![b.actor(Some(kerry), "Kerry", None, None)];
        let tgt = vec![b.actor(Some(other), target, None, None)];
        b.event(t, "", src, tgt, "met", Some(date), place, m, 0.5);
        b.doc
    };
    let oslo = Some(("Oslo", "NOR", 59.91, 10.75));
    let bergen = Some(("Bergen", "NOR", 60.39, 5.32));
    let mut s = fresh(b);
    let docs = [
        base("a", "2015-06-01", SOCHI, T::Consult, M::Asserted, "Putin"),
        base("b", "2015-06-02", SOCHI, T::Consult, M::Asserted, "Putin"), // ±1 day, same place: merges
        base("c", "2015-05-31", bergen, T::Consult, M::Asserted, "Putin"), // ±1 day, other place: apart
        base("d", "2015-06-01", oslo, T::Consult, M::Asserted, "Putin"), // same day, other place: merges with a
        base("e", "2015-06-01", SOCHI, T::Support, M::Asserted, "Putin"), // other type
        base("f", "2015-06-01", SOCHI, T::Consult, M::Future, "Putin"),  // other modality
        base("g", "2015-06-01", SOCHI, T::Consult, M::Asserted, "Lavrov"), // other target
        base("h", "2015-06-03", SOCHI, T::Consult, M::Asserted, "Putin"), // 1 day after b, same place: merges (through b)
        base("i", "2015-06-05", SOCHI, T::Consult, M::Asserted, "Putin"), // 2 days after h: apart
    ];
    s.store.put_documents(&docs).unwrap();
    let mut groups: Vec<Vec<String>> = s
        .store
        .events(&EventFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| e.reports.into_iter().map(|r| r.document).collect())
        .collect();
    groups.iter_mut().for_each(|g| g.sort());
    groups.sort();
    assert_eq!(
        groups,
        [
            vec!["a", "b", "d", "h"],
            vec!["c"],
            vec!["e"],
            vec!["f"],
            vec!["g"],
            vec!["i"]
        ]
    );
}
}

both! {
fn actors_without_entities_match_by_country_and_sector(b) {
    let mut s = fresh(b);
    let mut docs = Vec::new();
    for (id, src_text) in [("x1", "Ukrainian officials"), ("x2", "Kyiv")] {
        let mut b = DocBuilder::new(
            id,
            id,
            "2015-05-20",
            &format!("{src_text} accused Moscow of shelling."),
        );
        let src = vec![b.actor(None, src_text, Some("UKR"), Some("GOV"))];
        let tgt = vec![b.actor(None, "Moscow", Some("RUS"), Some("GOV"))];
        b.event(
            T::Accuse,
            "",
            src,
            tgt,
            "accused",
            None,
            None,
            M::Asserted,
            0.5,
        );
        docs.push(b.doc);
    }
    s.store.put_documents(&docs).unwrap();
    let events = s.store.events(&EventFilter::default()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].n_sources, 2);
    assert_eq!(events[0].source[0].country.as_deref(), Some("UKR"));
}
}

both! {
fn entities_merge_across_documents(b) {
    let s = loaded(b);
    let all = s.store.entities(&EntityFilter::default()).unwrap();
    let putin = all.iter().find(|e| e.name == "Vladimir Putin").unwrap();
    assert_eq!(putin.n_documents, 3);
    assert_eq!(putin.first_seen.as_deref(), Some("2015-05-12"));
    assert_eq!(putin.last_seen.as_deref(), Some("2015-05-14"));
    assert!(
        putin.aliases.contains(&"Putin".to_string()),
        "{:?}",
        putin.aliases
    );
    assert_eq!(putin.roles.len(), 1);
    assert_eq!(putin.roles[0].role, "President");
    assert_eq!(putin.roles[0].n_documents, 3);
    assert_eq!(
        (
            putin.roles[0].first_seen.as_deref(),
            putin.roles[0].last_seen.as_deref()
        ),
        (Some("2015-05-12"), Some("2015-05-14"))
    );
    // "John Kerry" (USA) in harbor-1 and kessen-3 and without a country in
    // meridian-7 is one entity.
    let kerrys: Vec<_> = all.iter().filter(|e| e.name.contains("Kerry")).collect();
    assert_eq!(kerrys.len(), 1);
    assert_eq!(kerrys[0].n_documents, 3);
    assert_eq!(kerrys[0].country.as_deref(), Some("USA"));
    assert_eq!(kerrys[0].aliases, ["Kerry", "John Kerry"]);
}
}

both! {
fn entity_countries_must_be_compatible(b) {
    let mut s = fresh(b);
    let mk = |id: &str, country: Option<&str>, sector: Option<&str>| {
        let mut b = DocBuilder::new(id, id, "2016-01-01", &format!("Ahmed Said spoke ({id})."));
        b.entity("Ahmed Said", Person, country, sector, &[], &["Ahmed Said"]);
        b.doc
    };
    s.store
        .put_documents(&[
            mk("p1", None, None),
            mk("p2", Some("EGY"), Some("GOV")),
            mk("p3", Some("SDN"), None),
            mk("p4", None, None),
        ])
        .unwrap();
    let found = s
        .store
        .entities(&EntityFilter {
            name: Some("ahmed said".into()),
            ..Default::default()
        })
        .unwrap();
    // p1 unknown; p2 fills in EGY; p3 (SDN) is someone else; p4 unknown joins the first.
    let summary: Vec<(Option<&str>, Option<&str>, u32)> = found
        .iter()
        .map(|e| (e.country.as_deref(), e.sector.as_deref(), e.n_documents))
        .collect();
    assert_eq!(
        summary,
        [(Some("EGY"), Some("GOV"), 3), (Some("SDN"), None, 1)]
    );
}
}

// ---- every event filter ---------------------------------------------------------

both! {
fn event_filters(b) {
    let s = loaded(b);
    let st = s.store.as_store();
    let all = types(st, EventFilter::default());
    assert_eq!(all, ["CONSULT", "REJECT", "ACCUSE", "PROTEST", "CONSULT"]);
    let f = EventFilter::default;
    assert_eq!(
        types(
            st,
            EventFilter {
                types: vec![T::Reject, T::Protest],
                ..f()
            }
        ),
        ["REJECT", "PROTEST"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                mode: Some("demo".into()),
                ..f()
            }
        ),
        ["PROTEST"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                source_country: Some("ukr".into()),
                ..f()
            }
        ),
        ["ACCUSE"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                source_sector: Some("CVL".into()),
                ..f()
            }
        ),
        ["PROTEST"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                source_country: Some("USA".into()),
                source_sector: Some("GOV".into()),
                ..f()
            }
        ),
        ["CONSULT", "CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                target_country: Some("RUS".into()),
                ..f()
            }
        ),
        ["CONSULT", "REJECT", "ACCUSE"]
    );
    // Klimkin's actor has no codes of its own: his entity's UKR GOV count.
    assert_eq!(
        types(
            st,
            EventFilter {
                target_sector: Some("GOV".into()),
                ..f()
            }
        ),
        ["CONSULT", "REJECT", "ACCUSE", "CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                entity: Some("Putin".into()),
                ..f()
            }
        ),
        ["CONSULT", "REJECT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                entity: Some("klimkin".into()),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                entity: Some("western".into()),
                ..f()
            }
        ),
        ["REJECT"]
    );
    assert_eq!(
        event_ids(
            st,
            EventFilter {
                date_from: Some("2015-05-13".into()),
                date_to: Some("2015-05-13".into()),
                ..f()
            }
        ),
        [
            (T::Reject, Some("2015-05-13".into())),
            (T::Accuse, Some("2015-05-13".into()))
        ]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                date_from: Some("2015-05-14".into()),
                ..f()
            }
        ),
        ["PROTEST", "CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                date_to: Some("2015-05-12".into()),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                country: Some("NGA".into()),
                ..f()
            }
        ),
        ["PROTEST"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                place: Some("sochi".into()),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                place: Some("Antalya".into()),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                modality: Some(M::Future),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                min_confidence: Some(0.72),
                ..f()
            }
        ),
        ["CONSULT", "CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                min_sources: Some(2),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                text: Some("fuel".into()),
                ..f()
            }
        ),
        ["REJECT", "PROTEST"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                text: Some("eight hours".into()),
                ..f()
            }
        ),
        ["CONSULT"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                text: Some("\"parade\" (".into()),
                ..f()
            }
        ),
        ["REJECT", "PROTEST"]
    );
    assert_eq!(
        types(
            st,
            EventFilter {
                limit: Some(2),
                ..f()
            }
        ),
        ["CONSULT", "REJECT"]
    );
    // Filters combine.
    assert!(types(
        st,
        EventFilter {
            types: vec![T::Protest],
            country: Some("RUS".into()),
            ..f()
        }
    )
    .is_empty());
    // Bad input is an error that says what is wrong.
    let err = st
        .events(&EventFilter {
            date_from: Some("May 2015".into()),
            ..f()
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "--from date `May 2015` is not a date (expected YYYY-MM-DD)"
    );
    let err = st
        .events(&EventFilter {
            text: Some("--".into()),
            ..f()
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "search text `--` has no words");
}
}

both! {
fn entity_filters(b) {
    let s = loaded(b);
    let names = |filter: EntityFilter| -> Vec<String> {
        let mut v: Vec<String> = s
            .store
            .entities(&filter)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        v.sort();
        v
    };
    let f = EntityFilter::default;
    assert_eq!(names(f()).len(), 3);
    assert_eq!(
        names(EntityFilter {
            name: Some("putin".into()),
            ..f()
        }),
        ["Vladimir Putin"]
    );
    assert_eq!(
        names(EntityFilter {
            name: Some("kerry".into()),
            ..f()
        }),
        ["John Kerry"]
    );
    assert_eq!(
        names(EntityFilter {
            entity_type: Some(Gpe),
            ..f()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        names(EntityFilter {
            entity_type: Some(Person),
            ..f()
        })
        .len(),
        3
    );
    assert_eq!(
        names(EntityFilter {
            country: Some("UKR".into()),
            ..f()
        }),
        ["Pavlo Klimkin"]
    );
    assert_eq!(
        names(EntityFilter {
            sector: Some("gov".into()),
            ..f()
        })
        .len(),
        3
    );
    assert_eq!(
        names(EntityFilter {
            role: Some("foreign minister".into()),
            ..f()
        }),
        ["Pavlo Klimkin"]
    );
    assert_eq!(
        names(EntityFilter {
            min_documents: Some(3),
            ..f()
        }),
        ["John Kerry", "Vladimir Putin"]
    );
    assert_eq!(
        s.store
            .entities(&EntityFilter {
                limit: Some(1),
                ..f()
            })
            .unwrap()[0]
            .name,
        "Vladimir Putin"
    );
}
}

both! {
fn quote_filters(b) {
    let s = loaded(b);
    let texts = |filter: QuoteFilter| -> Vec<String> {
        s.store
            .quotes(&filter)
            .unwrap()
            .into_iter()
            .map(|q| q.text)
            .collect()
    };
    let f = QuoteFilter::default;
    assert_eq!(
        texts(f()),
        [
            "We had a frank discussion",
            "the talks were useful",
            "of shelling Donetsk"
        ]
    );
    assert_eq!(
        texts(QuoteFilter {
            speaker: Some("Putin".into()),
            ..f()
        }),
        ["the talks were useful"]
    );
    assert_eq!(
        texts(QuoteFilter {
            speaker: Some("john kerry".into()),
            ..f()
        }),
        ["We had a frank discussion"]
    );
    assert_eq!(
        texts(QuoteFilter {
            text: Some("frank".into()),
            ..f()
        }),
        ["We had a frank discussion"]
    );
    assert_eq!(
        texts(QuoteFilter {
            kind: Some(QuoteKind::Indirect),
            ..f()
        }),
        ["the talks were useful", "of shelling Donetsk"]
    );
    assert_eq!(
        texts(QuoteFilter {
            date_from: Some("2015-05-13".into()),
            ..f()
        }),
        ["of shelling Donetsk"]
    );
    assert_eq!(
        texts(QuoteFilter {
            date_to: Some("2015-05-12".into()),
            ..f()
        })
        .len(),
        2
    );
    assert_eq!(
        texts(QuoteFilter {
            source: Some("meridian wire".into()),
            ..f()
        }),
        ["the talks were useful"]
    );
    assert_eq!(
        texts(QuoteFilter {
            limit: Some(1),
            ..f()
        })
        .len(),
        1
    );
    let q = &s
        .store
        .quotes(&QuoteFilter {
            text: Some("frank".into()),
            ..f()
        })
        .unwrap()[0];
    assert_eq!(q.speaker_name.as_deref(), Some("John Kerry"));
    assert_eq!(q.cue.as_deref(), Some("said"));
    assert_eq!(q.document, "harbor-1");
}
}

both! {
fn stats_count_everything(b) {
    let s = loaded(b);
    let st = s.store.stats().unwrap();
    assert_eq!(st.documents, 4);
    assert_eq!(st.sources, 3);
    assert_eq!(st.events, 5);
    assert_eq!(st.event_reports, 6);
    assert_eq!(st.entities, 3);
    assert_eq!(st.quotes, 3);
    assert_eq!(st.times, 1);
    assert_eq!(st.events_by_type[0], (T::Consult, 2));
    assert_eq!(st.first_published.as_deref(), Some("2015-05-12"));
    assert_eq!(st.schema_version, s.store.schema_version());
    assert_eq!(st.backend, s.store.backend());
    assert!(st.size_bytes.unwrap() > 0);
}
}

// ---- exports --------------------------------------------------------------------

#[derive(Debug, serde::Deserialize, PartialEq)]
struct CsvRow {
    id: i64,
    date: Option<String>,
    #[serde(rename = "type")]
    event_type: String,
    mode: String,
    modality: String,
    source_name: String,
    source_country: Option<String>,
    source_sector: Option<String>,
    target_name: Option<String>,
    target_country: Option<String>,
    target_sector: Option<String>,
    place: Option<String>,
    place_country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    n_reports: u32,
    n_documents: u32,
    n_sources: u32,
    first_report: Option<String>,
    last_report: Option<String>,
    confidence: f32,
}

both! {
fn csv_export_round_trips(b) {
    let s = loaded(b);
    let events = s.store.events(&EventFilter::default()).unwrap();
    let mut csv_out = EventCsv::new(Vec::new()).unwrap();
    for e in &events {
        csv_out.write(e).unwrap();
    }
    let bytes = csv_out.finish().unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_COLUMNS
    );
    let rows: Vec<CsvRow> = reader.deserialize().map(Result::unwrap).collect();
    assert_eq!(rows.len(), events.len());
    for (row, e) in rows.iter().zip(&events) {
        assert_eq!(row.id, e.id);
        assert_eq!(row.date, e.date);
        assert_eq!(row.event_type, e.event_type.as_str());
        assert_eq!(row.mode, e.mode);
        assert_eq!(row.modality, e.modality.as_str());
        assert_eq!(row.source_name, e.source[0].name);
        assert_eq!(row.source_country, e.source[0].country);
        assert_eq!(row.source_sector, e.source[0].sector);
        assert_eq!(row.target_name, e.target.first().map(|a| a.name.clone()));
        assert_eq!(
            row.target_country,
            e.target.first().and_then(|a| a.country.clone())
        );
        assert_eq!(
            row.target_sector,
            e.target.first().and_then(|a| a.sector.clone())
        );
        let place = e.location.as_ref();
        assert_eq!(row.place, place.map(|p| p.name.clone()));
        assert_eq!(row.place_country, place.and_then(|p| p.country.clone()));
        assert_eq!(row.lat, place.and_then(|p| p.lat));
        assert_eq!(row.lon, place.and_then(|p| p.lon));
        assert_eq!(
            (row.n_reports, row.n_documents, row.n_sources),
            (e.n_reports, e.n_documents, e.n_sources)
        );
        assert_eq!(row.first_report, e.first_report);
        assert_eq!(row.last_report, e.last_report);
        assert!((row.confidence - e.confidence).abs() < 1e-3);
    }
}
}

both! {
fn jsonl_export_round_trips(b) {
    let s = loaded(b);
    let events = s.store.events(&EventFilter::default()).unwrap();
    let mut out = Vec::new();
    for e in &events {
        write_event_jsonl(&mut out, e).unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    let parsed: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(parsed.len(), events.len());
    for (v, e) in parsed.iter().zip(&events) {
        let reparsed: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap();
        assert_eq!(v, &reparsed);
        assert_eq!(v["id"], e.id);
        assert_eq!(v["date"].as_str(), e.date.as_deref());
        assert!((v["confidence"].as_f64().unwrap() - f64::from(e.confidence)).abs() < 1e-6);
        assert_eq!(v["type"], e.event_type.as_str());
        assert_eq!(v["reports"].as_array().unwrap().len(), e.reports.len());
    }
    let first = &parsed[0];
    assert_eq!(first["source"][0]["country"], "USA");
    assert_eq!(first["location"]["name"], "Sochi");
    assert_eq!(first["n_sources"], 2);
    assert_eq!(first["modality"], "asserted");
}
}

// ---- pagination, single records, aggregates (the API's queries) -----------------

both! {
fn pages_sorts_and_counts(b) {
    let s = loaded(b);
    let store = s.store.as_store();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(
        store.count_events(&EventFilter::default()).unwrap(),
        all.len() as u64
    );
    // Pages in the default order put together are the whole list.
    let mut paged = Vec::new();
    for page in 0..all.len() as u64 {
        let mut f = EventFilter {
            limit: Some(1),
            offset: Some(page),
            ..EventFilter::default()
        };
        paged.extend(store.events(&f).unwrap().into_iter().map(|e| e.id));
        f.limit = None;
        assert_eq!(store.count_events(&f).unwrap(), all.len() as u64);
    }
    assert_eq!(paged, all.iter().map(|e| e.id).collect::<Vec<_>>());
    // An offset alone works too.
    let rest = store
        .events(&EventFilter {
            offset: Some(1),
            ..EventFilter::default()
        })
        .unwrap();
    assert_eq!(rest.len(), all.len() - 1);

    let dates = |sort| -> Vec<Option<String>> {
        store
            .events(&EventFilter {
                sort,
                ..EventFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|e| e.date)
            .collect()
    };
    let asc = dates(EventSort::Date);
    let desc = dates(EventSort::DateDesc);
    let dated = |v: &[Option<String>]| v.iter().flatten().cloned().collect::<Vec<_>>();
    let mut reversed = dated(&asc);
    reversed.reverse();
    assert_eq!(dated(&desc), reversed);
    let reports: Vec<u32> = store
        .events(&EventFilter {
            sort: EventSort::Reports,
            ..EventFilter::default()
        })
        .unwrap()
        .iter()
        .map(|e| e.n_reports)
        .collect();
    assert_eq!(reports[0], 2, "the merged meeting first: {reports:?}");
    for sort in EventSort::ALL {
        assert_eq!(EventSort::from_str(sort.as_str()), Some(*sort));
    }

    let n_entities = store.entities(&EntityFilter::default()).unwrap().len() as u64;
    assert_eq!(
        store.count_entities(&EntityFilter::default()).unwrap(),
        n_entities
    );
    let second = store
        .entities(&EntityFilter {
            offset: Some(1),
            limit: Some(1),
            ..EntityFilter::default()
        })
        .unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(
        second[0].id,
        store.entities(&EntityFilter::default()).unwrap()[1].id
    );
    let f = QuoteFilter {
        speaker: Some("Kerry".into()),
        ..QuoteFilter::default()
    };
    assert_eq!(store.count_quotes(&f).unwrap(), 1);
    assert_eq!(store.count_quotes(&QuoteFilter::default()).unwrap(), 3);
}
}

both! {
fn single_records_and_entity_links(b) {
    let s = loaded(b);
    let store = s.store.as_store();
    let meeting = &store
        .events(&EventFilter {
            types: vec![T::Consult],
            modality: Some(M::Asserted),
            ..EventFilter::default()
        })
        .unwrap()[0];
    assert_eq!(store.event(meeting.id).unwrap().as_ref(), Some(meeting));
    assert_eq!(store.event(999_999).unwrap(), None);

    let kerry = store
        .entities(&EntityFilter {
            name: Some("Kerry".into()),
            ..EntityFilter::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(store.entity(kerry.id).unwrap().as_ref(), Some(&kerry));
    assert_eq!(store.entity(-1).unwrap(), None);

    // Events with Kerry as an actor: the meeting and the planned one.
    let with_kerry = store
        .events(&EventFilter {
            entity_id: Some(kerry.id),
            ..EventFilter::default()
        })
        .unwrap();
    assert_eq!(with_kerry.len(), 2);
    assert!(with_kerry
        .iter()
        .all(|e| e.source.iter().any(|a| a.entity == Some(kerry.id))));
    let quotes = store
        .quotes(&QuoteFilter {
            speaker_id: Some(kerry.id),
            ..QuoteFilter::default()
        })
        .unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].text, "We had a frank discussion");

    let links = store.document_links("harbor-1").unwrap().unwrap();
    assert_eq!(links.entities.len(), 2);
    assert!(links.entities.contains(&(0, kerry.id)));
    assert_eq!(links.events, vec![(0, meeting.id)]);
    assert_eq!(store.document_links("nope").unwrap(), None);
}
}

both! {
fn counts_by_date_and_actor_pairs(b) {
    let s = loaded(b);
    let store = s.store.as_store();
    let counts = store.event_counts(&EventFilter::default()).unwrap();
    let total: u64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, store.count_events(&EventFilter::default()).unwrap());
    assert!(counts
        .iter()
        .any(|c| c.date.as_deref() == Some("2015-05-12")
            && c.event_type == T::Consult
            && c.count == 1));
    let only_reject = store
        .event_counts(&EventFilter {
            types: vec![T::Reject],
            ..EventFilter::default()
        })
        .unwrap();
    assert_eq!(only_reject.len(), 1);

    let pairs = store.actor_pairs(&EventFilter::default()).unwrap();
    // The protest has no target: no pair.
    assert!(pairs.iter().all(|p| p.event_type != T::Protest));
    let meeting = pairs
        .iter()
        .find(|p| p.event_type == T::Consult && p.target.name == "Vladimir Putin")
        .unwrap();
    assert_eq!(meeting.source.name, "John Kerry");
    assert_eq!(meeting.count, 1);
    assert!(pairs
        .iter()
        .any(|p| p.source.country.as_deref() == Some("UKR")
            && p.target.country.as_deref() == Some("RUS")
            && p.event_type == T::Accuse));
    assert_eq!(QuadClass::of(T::Accuse), QuadClass::VerbalConflict);
    assert_eq!(QuadClass::of(T::Aid), QuadClass::MaterialCooperation);
}
}

both! {
fn document_search(b) {
    let s = loaded(b);
    let store = s.store.as_store();
    let hits = store.search_documents("Sochi", 10, 0).unwrap();
    assert_eq!(hits.total, 2);
    let ids: Vec<&str> = hits.hits.iter().map(|h| h.id.as_str()).collect();
    assert!(ids.contains(&"harbor-1") && ids.contains(&"meridian-7"));
    assert!(hits.hits.iter().all(|h| h.snippet.contains("Sochi")));
    let page2 = store.search_documents("Sochi", 1, 1).unwrap();
    assert_eq!((page2.total, page2.hits.len()), (2, 1));
    assert_eq!(
        store.search_documents("Lagos fuel", 10, 0).unwrap().total,
        1
    );
    assert_eq!(store.search_documents("zeppelin", 10, 0).unwrap().total, 0);
    assert!(matches!(
        store.search_documents("  \"*", 10, 0),
        Err(StoreError::InvalidFilter(_))
    ));
}
}

both! {
fn read_only_store_reads_and_refuses_writes(b) {
    let s = loaded(b);
    let before = s.store.dump();
    let mut ro = open_store_read_only(&s.db).unwrap();
    assert_eq!(ro.stats().unwrap().documents, 4);
    let mut d = DocBuilder::new("new-1", "Nowhere News", "2015-06-01", "Nothing happened.");
    d.entity("Nobody", Person, None, None, &[], &["Nothing"]);
    assert!(ro.put_document(&d.doc).is_err());
    assert_eq!(s.store.dump(), before);
    if b == Backend::Sqlite {
        // A missing file is an error, not a new database.
        let missing = std::path::Path::new(&s.db).with_file_name("missing.db");
        assert!(SqliteStore::open_read_only(&missing).is_err());
        assert!(!missing.exists());
    }
}
}
