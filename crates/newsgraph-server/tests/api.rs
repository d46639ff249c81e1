//! API tests: every endpoint and filter over a temporary SQLite store filled
//! with invented articles through the store API, driven in-process with
//! `tower::ServiceExt::oneshot`.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use newsgraph_core::records::*;
use newsgraph_core::Doc;
use newsgraph_server::{app, ServerOptions, OPENAPI};
use newsgraph_store::testing::DocBuilder;
use newsgraph_store::{PutOutcome, SqliteStore, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

// ---- fixtures ---------------------------------------------------------------

use EntityType::Person;
use EventType as T;

fn corpus() -> Vec<Doc> {
    let mut a = DocBuilder::new(
        "harbor-1",
        "Harbor Post",
        "2024-03-18",
        "Foreign Minister Idris Banoko met Chancellor Mira Tellen in Ankara on Monday. \
         \"We agreed on grain corridors,\" Banoko said. Protesters rallied in Lagos.",
    );
    let banoko = a.entity(
        "Idris Banoko",
        Person,
        Some("TUR"),
        Some("GOV"),
        &["Foreign Minister"],
        &["Banoko"],
    );
    let tellen = a.entity(
        "Mira Tellen",
        Person,
        Some("DEU"),
        Some("GOV"),
        &["Chancellor"],
        &["Mira Tellen"],
    );
    let s = vec![a.actor(Some(banoko), "Idris Banoko", Some("TUR"), Some("GOV"))];
    let t = vec![a.actor(Some(tellen), "Mira Tellen", Some("DEU"), Some("GOV"))];
    a.event(
        T::Consult,
        "",
        s,
        t,
        "met",
        Some("2024-03-18"),
        Some(("Ankara", "TUR", 39.93, 32.86)),
        Modality::Asserted,
        0.9,
    );
    let s = vec![a.actor(None, "Protesters", Some("NGA"), Some("CVL"))];
    a.event(
        T::Protest,
        "",
        s,
        vec![],
        "rallied",
        None,
        Some(("Lagos", "NGA", 6.45, 3.4)),
        Modality::Asserted,
        0.6,
    );
    a.quote(
        "We agreed on grain corridors,",
        QuoteKind::Direct,
        Some(banoko),
        "said",
    );

    let mut b = DocBuilder::new(
        "meridian-2",
        "Meridian Wire",
        "2024-03-25",
        "Chancellor Mira Tellen accused Idris Banoko of delaying the corridor deal. \
         Troops shelled Kessa on Sunday.",
    );
    let tellen = b.entity(
        "Mira Tellen",
        Person,
        Some("DEU"),
        Some("GOV"),
        &["Chancellor"],
        &["Mira Tellen"],
    );
    let banoko = b.entity(
        "Idris Banoko",
        Person,
        Some("TUR"),
        Some("GOV"),
        &[],
        &["Idris Banoko"],
    );
    let s = vec![b.actor(Some(tellen), "Mira Tellen", Some("DEU"), Some("GOV"))];
    let t = vec![b.actor(Some(banoko), "Idris Banoko", Some("TUR"), Some("GOV"))];
    b.event(
        T::Accuse,
        "",
        s,
        t,
        "accused",
        Some("2024-03-25"),
        None,
        Modality::Asserted,
        0.8,
    );
    let s = vec![b.actor(None, "Troops", Some("DEU"), Some("MIL"))];
    let t = vec![b.actor(None, "Kessa", Some("TUR"), None)];
    b.event(
        T::Assault,
        "",
        s,
        t,
        "shelled",
        Some("2024-03-24"),
        Some(("Kessa", "TUR", 38.0, 35.0)),
        Modality::Asserted,
        0.7,
    );

    let mut c = DocBuilder::new(
        "harbor-3",
        "Harbor Post",
        "2024-04-02",
        "Idris Banoko promised aid to Mira Tellen after the floods.",
    );
    let banoko = c.entity(
        "Idris Banoko",
        Person,
        Some("TUR"),
        Some("GOV"),
        &["Foreign Minister"],
        &["Idris Banoko"],
    );
    let tellen = c.entity(
        "Mira Tellen",
        Person,
        Some("DEU"),
        Some("GOV"),
        &[],
        &["Mira Tellen"],
    );
    let s = vec![c.actor(Some(banoko), "Idris Banoko", Some("TUR"), Some("GOV"))];
    let t = vec![c.actor(Some(tellen), "Mira Tellen", Some("DEU"), Some("GOV"))];
    c.event(
        T::Agree,
        "",
        s,
        t,
        "promised",
        Some("2024-04-02"),
        None,
        Modality::Asserted,
        0.85,
    );
    vec![a.doc, b.doc, c.doc]
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    app: Router,
}

fn fixture_with(docs: &[Doc], options: ServerOptions) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.db");
    let mut store = SqliteStore::open(&path).unwrap();
    if !docs.is_empty() {
        let outcomes = store.put_documents(docs).unwrap();
        assert!(outcomes.iter().all(|o| *o == PutOutcome::Stored));
    }
    drop(store);
    let p = path.clone();
    let app = app(
        Box::new(move || Ok(Box::new(SqliteStore::open_read_only(&p)?) as Box<dyn Store>)),
        options,
    )
    .unwrap();
    Fixture {
        _dir: dir,
        path,
        app,
    }
}

fn fixture() -> Fixture {
    fixture_with(&corpus(), ServerOptions::default())
}

fn dump(path: &Path) -> String {
    SqliteStore::open_read_only(path).unwrap().dump().unwrap()
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, headers, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "{uri}: content type `{ct}`"
    );
    let v: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, v)
}

async fn ok(app: &Router, uri: &str) -> Value {
    let (status, v) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    v
}

/// A 400 whose message contains `needle`.
async fn bad(app: &Router, uri: &str, needle: &str) {
    let (status, v) = get(app, uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
    let msg = v["error"]["message"].as_str().unwrap();
    assert_eq!(v["error"]["status"], 400);
    assert!(msg.contains(needle), "{uri}: `{msg}` lacks `{needle}`");
}

fn types_of(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

async fn types(app: &Router, query: &str) -> Vec<String> {
    let mut t = types_of(&ok(app, &format!("/api/events?{query}")).await);
    t.sort();
    t
}

// ---- events -------------------------------------------------------------------

#[tokio::test]
async fn events_list_pages_sorts_and_filters() {
    let f = fixture();
    let app = &f.app;
    let all = ok(app, "/api/events").await;
    assert_eq!(all["total"], 5);
    assert_eq!(all["limit"], 50);
    assert_eq!(all["offset"], 0);
    // Default order: by date, then id. The protest has no date of its own:
    // the store dates it by its article.
    assert_eq!(
        types_of(&all),
        ["CONSULT", "PROTEST", "ASSAULT", "ACCUSE", "AGREE"]
    );
    assert_eq!(all["items"][1]["date"], "2024-03-18");
    assert_eq!(all["items"][0]["quad_class"], "verbal_cooperation");
    assert_eq!(all["items"][1]["quad_class"], "material_conflict");

    // Pagination.
    let p = ok(app, "/api/events?limit=2&offset=2").await;
    assert_eq!(
        (p["total"].as_u64(), p["limit"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(types_of(&p), ["ASSAULT", "ACCUSE"]);
    let past = ok(app, "/api/events?offset=10").await;
    assert_eq!(past["total"], 5);
    assert!(past["items"].as_array().unwrap().is_empty());

    // Sorting.
    let newest = ok(app, "/api/events?sort=-date").await;
    assert_eq!(types_of(&newest)[0], "AGREE");
    let conf = ok(app, "/api/events?sort=-confidence").await;
    assert_eq!(types_of(&conf)[0], "CONSULT");
    ok(app, "/api/events?sort=-reports").await;
    ok(app, "/api/events?sort=-sources").await;

    // Every filter of `newsgraph events`.
    assert_eq!(
        types(app, "type=accuse,assault").await,
        ["ACCUSE", "ASSAULT"]
    );
    assert_eq!(
        types(app, "type=ACCUSE&type=AGREE").await,
        ["ACCUSE", "AGREE"]
    );
    assert_eq!(types(app, "mode=").await.len(), 5);
    assert_eq!(
        types(app, "source_country=deu").await,
        ["ACCUSE", "ASSAULT"]
    );
    assert_eq!(
        types(app, "source_country=DEU&source_sector=MIL").await,
        ["ASSAULT"]
    );
    assert_eq!(types(app, "target_country=DEU").await, ["AGREE", "CONSULT"]);
    assert_eq!(
        types(app, "target_sector=GOV&target_country=TUR").await,
        ["ACCUSE"]
    );
    assert_eq!(
        types(app, "entity=Tellen").await,
        ["ACCUSE", "AGREE", "CONSULT"]
    );
    assert_eq!(
        types(app, "from=2024-03-20").await,
        ["ACCUSE", "AGREE", "ASSAULT"]
    );
    assert_eq!(types(app, "to=2024-03-20").await, ["CONSULT", "PROTEST"]);
    assert_eq!(
        types(app, "from=2024-03-24&to=2024-03-25").await,
        ["ACCUSE", "ASSAULT"]
    );
    assert_eq!(types(app, "country=NGA").await, ["PROTEST"]);
    assert_eq!(types(app, "place=ankara").await, ["CONSULT"]);
    assert_eq!(types(app, "modality=asserted").await.len(), 5);
    assert!(types(app, "modality=future").await.is_empty());
    assert_eq!(
        types(app, "min_confidence=0.85").await,
        ["AGREE", "CONSULT"]
    );
    assert_eq!(types(app, "min_sources=2").await, Vec::<String>::new());
    assert_eq!(types(app, "q=floods").await, ["AGREE"]);
    let banoko = ok(app, "/api/entities?name=Banoko").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        types(app, &format!("entity_id={banoko}")).await,
        ["ACCUSE", "AGREE", "CONSULT"]
    );
    // The total is of the filtered set.
    let f2 = ok(app, "/api/events?source_country=DEU&limit=1").await;
    assert_eq!(f2["total"], 2);
    assert_eq!(f2["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn events_bad_parameters_are_400s() {
    let f = fixture();
    let app = &f.app;
    bad(app, "/api/events?type=WAVE", "unknown PLOVER type `WAVE`").await;
    bad(app, "/api/events?from=2024-02-30", "not a date").await;
    bad(app, "/api/events?to=yesterday", "not a date").await;
    bad(app, "/api/events?modality=maybe", "unknown modality").await;
    bad(app, "/api/events?min_confidence=2", "from 0 to 1").await;
    bad(app, "/api/events?min_sources=many", "whole number").await;
    bad(app, "/api/events?entity_id=abc", "numeric id").await;
    bad(app, "/api/events?limit=0", "from 1 to 1000").await;
    bad(app, "/api/events?limit=100000", "from 1 to 1000").await;
    bad(app, "/api/events?offset=-3", "whole number").await;
    bad(app, "/api/events?sort=colour", "unknown order").await;
    bad(app, "/api/events?format=xml", "unknown format").await;
    bad(app, "/api/events?q=%22%2A%22", "no words").await;
    bad(app, "/api/events?colour=red", "unknown parameter `colour`").await;
}

#[tokio::test]
async fn events_csv_download() {
    let f = fixture();
    let (status, headers, body) = send(
        &f.app,
        Request::get("/api/events?format=csv&type=CONSULT,AGREE")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("events.csv"));
    let text = String::from_utf8(body).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(rows.records().count(), 2, "{text}");
}

#[tokio::test]
async fn one_event_with_its_evidence() {
    let f = fixture();
    let app = &f.app;
    let list = ok(app, "/api/events?type=CONSULT").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let e = ok(app, &format!("/api/events/{id}")).await;
    assert_eq!(e["type"], "CONSULT");
    assert_eq!(e["quad_class"], "verbal_cooperation");
    assert_eq!(e["source"][0]["name"], "Idris Banoko");
    let r = &e["reports"][0];
    assert_eq!(r["document"], "harbor-1");
    assert_eq!(r["trigger"]["text"], "met");
    let sentence = r["sentence"]["text"].as_str().unwrap();
    assert!(
        sentence.starts_with("Foreign Minister Idris Banoko met"),
        "{sentence}"
    );
    // The trigger's offsets point into the document text.
    let doc = ok(app, "/api/documents/harbor-1").await;
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let (s, t) = (
        r["trigger"]["start"].as_u64().unwrap() as usize,
        r["trigger"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..t].iter().collect::<String>(), "met");

    let (status, v) = get(app, "/api/events/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["status"], 404);
    bad(app, "/api/events/abc", "not a numeric id").await;
    bad(app, &format!("/api/events/{id}?x=1"), "unknown parameter").await;
}

// ---- entities, quotes, documents ------------------------------------------------

#[tokio::test]
async fn entities_list_and_page() {
    let f = fixture();
    let app = &f.app;
    let all = ok(app, "/api/entities").await;
    assert_eq!(all["total"], 2);
    let names: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(ok(app, "/api/entities?name=tellen").await["total"], 1);
    assert_eq!(ok(app, "/api/entities?type=PERSON").await["total"], 2);
    assert_eq!(ok(app, "/api/entities?type=ORG").await["total"], 0);
    assert_eq!(ok(app, "/api/entities?country=TUR").await["total"], 1);
    assert_eq!(ok(app, "/api/entities?sector=GOV").await["total"], 2);
    assert_eq!(ok(app, "/api/entities?role=chancellor").await["total"], 1);
    assert_eq!(ok(app, "/api/entities?min_documents=3").await["total"], 2);
    assert_eq!(ok(app, "/api/entities?min_documents=4").await["total"], 0);
    let p = ok(app, "/api/entities?limit=1&offset=1").await;
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    assert_eq!(p["items"][0]["id"], all["items"][1]["id"]);
    bad(app, "/api/entities?type=ROBOT", "unknown entity type").await;
    bad(app, "/api/entities?min_documents=x", "whole number").await;
    bad(app, "/api/entities?speaker=x", "unknown parameter").await;

    let banoko = ok(app, "/api/entities?name=Banoko").await["items"][0].clone();
    let id = banoko["id"].as_i64().unwrap();
    let page = ok(app, &format!("/api/entities/{id}")).await;
    assert_eq!(page["entity"]["name"], "Idris Banoko");
    assert_eq!(page["entity"]["roles"][0]["role"], "Foreign Minister");
    assert_eq!(page["entity"]["roles"][0]["first_seen"], "2024-03-18");
    assert_eq!(page["n_events"], 3);
    let src: Vec<&str> = page["events_as_source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(src, ["AGREE", "CONSULT"], "newest first");
    assert_eq!(page["events_as_target"][0]["type"], "ACCUSE");
    assert_eq!(page["n_quotes"], 1);
    assert_eq!(page["quotes"][0]["text"], "We agreed on grain corridors,");
    let (status, _) = get(app, "/api/entities/424242").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    bad(app, "/api/entities/banoko", "numeric id").await;
}

#[tokio::test]
async fn quotes_and_their_filters() {
    let f = fixture();
    let app = &f.app;
    assert_eq!(ok(app, "/api/quotes").await["total"], 1);
    assert_eq!(ok(app, "/api/quotes?speaker=Banoko").await["total"], 1);
    assert_eq!(ok(app, "/api/quotes?speaker=Tellen").await["total"], 0);
    assert_eq!(ok(app, "/api/quotes?q=grain").await["total"], 1);
    assert_eq!(ok(app, "/api/quotes?q=wheat").await["total"], 0);
    assert_eq!(ok(app, "/api/quotes?kind=direct").await["total"], 1);
    assert_eq!(ok(app, "/api/quotes?kind=indirect").await["total"], 0);
    assert_eq!(ok(app, "/api/quotes?from=2024-03-19").await["total"], 0);
    assert_eq!(ok(app, "/api/quotes?to=2024-03-18").await["total"], 1);
    assert_eq!(
        ok(app, "/api/quotes?source=harbor%20post").await["total"],
        1
    );
    let banoko = ok(app, "/api/entities?name=Banoko").await["items"][0]["id"].clone();
    assert_eq!(
        ok(app, &format!("/api/quotes?speaker_id={banoko}")).await["total"],
        1
    );
    let q = ok(app, "/api/quotes?limit=1&offset=1").await;
    assert_eq!(q["total"], 1);
    assert!(q["items"].as_array().unwrap().is_empty());
    bad(app, "/api/quotes?kind=shouted", "unknown quote kind").await;
    bad(app, "/api/quotes?from=March", "not a date").await;
}

#[tokio::test]
async fn a_document_with_all_layers_and_corpus_links() {
    let f = fixture();
    let app = &f.app;
    let d = ok(app, "/api/documents/harbor-1").await;
    for key in [
        "id",
        "title",
        "published",
        "source",
        "url",
        "language",
        "text",
        "sentences",
        "entities",
        "times",
        "quotes",
        "events",
        "warnings",
    ] {
        assert!(d.get(key).is_some(), "missing `{key}`");
    }
    assert!(d["text"].as_str().unwrap().starts_with("Foreign Minister"));
    assert_eq!(d["events"].as_array().unwrap().len(), 2);
    assert_eq!(d["events"][0]["trigger"]["text"], "met");
    assert_eq!(d["quotes"][0]["speaker"], "e1");
    // The corpus ids of e1 and v1.
    let banoko = ok(app, "/api/entities?name=Banoko").await["items"][0]["id"].clone();
    assert_eq!(d["corpus"]["entities"]["e1"], banoko);
    let consult = ok(app, "/api/events?type=CONSULT").await["items"][0]["id"].clone();
    assert_eq!(d["corpus"]["events"]["v1"], consult);
    let (status, v) = get(app, "/api/documents/no-such-doc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no-such-doc"));
}

// ---- aggregates ------------------------------------------------------------------

#[tokio::test]
async fn stats_timeline_network_search() {
    let f = fixture();
    let app = &f.app;
    let s = ok(app, "/api/stats").await;
    assert_eq!(s["documents"], 3);
    assert_eq!(s["events"], 5);
    assert_eq!(s["events_by_type"]["CONSULT"], 1);
    assert_eq!(s["events_by_quad_class"]["material_conflict"], 2);
    assert_eq!(s["events_by_quad_class"]["verbal_cooperation"], 2);
    bad(app, "/api/stats?x=1", "takes no parameters").await;

    let tl = ok(app, "/api/timeline").await;
    assert_eq!(tl["interval"], "month");
    assert_eq!(tl["group"], "quad");
    assert_eq!(tl["undated"], 0);
    assert_eq!(tl["buckets"][0]["period"], "2024-03");
    assert_eq!(tl["buckets"][0]["total"], 4);
    assert_eq!(tl["buckets"][0]["counts"]["material_conflict"], 2);
    assert_eq!(tl["buckets"][1]["period"], "2024-04");
    assert_eq!(tl["buckets"][1]["counts"]["verbal_cooperation"], 1);
    let days = ok(app, "/api/timeline?interval=day&group=type").await;
    assert_eq!(days["buckets"].as_array().unwrap().len(), 4);
    assert_eq!(days["buckets"][0]["period"], "2024-03-18");
    assert_eq!(days["buckets"][0]["counts"]["PROTEST"], 1);
    assert_eq!(days["buckets"][1]["period"], "2024-03-24");
    assert_eq!(days["buckets"][1]["counts"]["ASSAULT"], 1);
    assert_eq!(days["keys"].as_array().unwrap().len(), 16);
    // Weeks start on Monday: the 24th (a Sunday) is in the week of the 18th.
    let weeks = ok(app, "/api/timeline?interval=week").await;
    assert_eq!(weeks["buckets"][0]["period"], "2024-03-18");
    assert_eq!(weeks["buckets"][0]["total"], 3);
    assert_eq!(weeks["buckets"][1]["period"], "2024-03-25");
    let filtered = ok(app, "/api/timeline?source_country=DEU").await;
    assert_eq!(filtered["buckets"][0]["total"], 2);
    bad(app, "/api/timeline?interval=hour", "unknown interval").await;
    bad(app, "/api/timeline?group=colour", "unknown grouping").await;
    bad(app, "/api/timeline?type=X", "unknown PLOVER type").await;

    let net = ok(app, "/api/network").await;
    assert_eq!(net["node"], "entity");
    let edges = net["edges"].as_array().unwrap();
    // Banoko→Tellen (consult + agree), Tellen→Banoko (accuse), Troops→Kessa (assault).
    assert_eq!(edges.len(), 3, "{net}");
    assert_eq!(edges[0]["events"], 2);
    assert_eq!(edges[0]["score"], 1.0 / 2.0);
    let assault = edges.iter().find(|e| e["types"]["ASSAULT"] == 1).unwrap();
    assert_eq!(assault["score"], -1.0);
    assert_eq!(assault["source"], "n:troops");
    let nodes = net["nodes"].as_array().unwrap();
    assert!(nodes
        .iter()
        .any(|n| n["label"] == "Mira Tellen" && n["entity"].is_i64()));
    let by_country = ok(app, "/api/network?node=country").await;
    let edges = by_country["edges"].as_array().unwrap();
    let tur_deu = edges
        .iter()
        .find(|e| e["source"] == "c:TUR" && e["target"] == "c:DEU")
        .unwrap();
    assert_eq!(tur_deu["events"], 2);
    let deu_tur = edges
        .iter()
        .find(|e| e["source"] == "c:DEU" && e["target"] == "c:TUR")
        .unwrap();
    assert_eq!(deu_tur["events"], 2);
    assert_eq!(deu_tur["score"], -0.75);
    assert_eq!(
        ok(app, "/api/network?min_events=2").await["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        ok(app, "/api/network?limit=1").await["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        ok(app, "/api/network?type=ASSAULT").await["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    bad(app, "/api/network?node=city", "unknown node kind").await;

    let s = ok(app, "/api/search?q=corridor").await;
    assert_eq!(s["total"], 1);
    assert_eq!(s["documents"][0]["id"], "meridian-2");
    assert!(s["documents"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("corridor"));
    let s = ok(app, "/api/search?q=Tellen").await;
    assert_eq!(s["total"], 3);
    assert_eq!(s["entities"][0]["name"], "Mira Tellen");
    assert_eq!(
        ok(app, "/api/search?q=Tellen&limit=1&offset=2").await["documents"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    bad(app, "/api/search", "`q` is required").await;
    bad(app, "/api/search?q=%2A%2A", "no words").await;
}

#[tokio::test]
async fn an_empty_store_answers_everything() {
    let f = fixture_with(&[], ServerOptions::default());
    let app = &f.app;
    for uri in [
        "/api/events",
        "/api/entities",
        "/api/quotes",
        "/api/stats",
        "/api/timeline",
        "/api/network",
        "/api/search?q=anything",
    ] {
        ok(app, uri).await;
    }
    assert_eq!(ok(app, "/api/events").await["total"], 0);
    assert_eq!(ok(app, "/api/stats").await["documents"], 0);
}

// ---- the rest: OpenAPI, errors, read-only, extract, UI ------------------------

#[tokio::test]
async fn openapi_describes_every_route() {
    let f = fixture();
    let v = ok(&f.app, "/api/openapi.json").await;
    assert_eq!(v, serde_json::from_str::<Value>(OPENAPI).unwrap());
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<&str> = v["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for route in [
        "/api/events",
        "/api/events/{id}",
        "/api/entities",
        "/api/entities/{id}",
        "/api/quotes",
        "/api/documents/{id}",
        "/api/stats",
        "/api/timeline",
        "/api/network",
        "/api/search",
        "/api/openapi.json",
        "/api/extract",
    ] {
        assert!(paths.contains(&route), "{route} not described");
    }
    assert_eq!(paths.len(), 12);
    let (status, v) = get(&f.app, "/api/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"]["message"].as_str().unwrap().contains("openapi"));
}

#[tokio::test]
async fn nothing_writes_to_the_store() {
    let f = fixture();
    let before = dump(&f.path);
    for (method, uri) in [
        (Method::POST, "/api/events"),
        (Method::PUT, "/api/events/1"),
        (Method::DELETE, "/api/events/1"),
        (Method::DELETE, "/api/documents/harbor-1"),
        (Method::POST, "/api/entities"),
        (Method::PATCH, "/api/entities/1"),
        (Method::POST, "/api/quotes"),
        (Method::PUT, "/api/documents/harbor-1"),
        (Method::GET, "/api/extract"),
    ] {
        let (status, _, _) = send(
            &f.app,
            Request::builder()
                .method(method.clone())
                .uri(uri)
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
    }
    // Extract a document that is not in the store: it stays out.
    let (status, _, body) = send(
        &f.app,
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"text": "Envoy Tomas Reyk visited Orlan on Friday.", "date": "2024-05-03", "id": "posted-1"}"#,
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let (status, _) = get(&f.app, "/api/documents/posted-1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(dump(&f.path), before);
    assert_eq!(ok(&f.app, "/api/stats").await["documents"], 3);
}

#[tokio::test]
async fn extract_runs_the_pipeline_and_limits_size() {
    let f = fixture_with(
        &[],
        ServerOptions {
            max_extract_bytes: 2000,
            ..ServerOptions::default()
        },
    );
    let app = &f.app;
    let text = "Envoy Tomas Reyk visited Orlan on Friday. He said talks would resume.";
    let (status, headers, body) = send(
        app,
        Request::post("/api/extract?date=2024-05-03")
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from(text))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let d: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(d["text"], text);
    assert_eq!(d["published"], "2024-05-03");
    assert_eq!(d["sentences"].as_array().unwrap().len(), 2);
    for key in ["entities", "times", "quotes", "events", "warnings"] {
        assert!(d[key].is_array(), "{key}");
    }

    let (status, _, body) = send(
        app,
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(
                r#"{{"text": {}, "title": "Talks", "date": "2024-05-03"}}"#,
                serde_json::to_string(text).unwrap()
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let d: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(d["title"], "Talks");

    let big = "word ".repeat(1000);
    let (status, _, body) = send(
        app,
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2000 bytes"));

    for (ct, body, want) in [
        (
            "application/json",
            r#"{"txt": "x"}"#,
            StatusCode::BAD_REQUEST,
        ),
        ("application/json", "not json", StatusCode::BAD_REQUEST),
        ("text/plain", "   ", StatusCode::BAD_REQUEST),
        (
            "application/pdf",
            "%PDF",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            r#"{"text": "x", "date": "someday"}"#,
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, _, out) = send(
            app,
            Request::post("/api/extract")
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_eq!(
            status,
            want,
            "{ct} {body}: {}",
            String::from_utf8_lossy(&out)
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert!(v["error"]["message"].is_string());
    }
}

#[tokio::test]
async fn the_ui_is_embedded_light_and_self_contained() {
    let f = fixture();
    let app = &f.app;
    let (status, headers, body) = send(app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
    let html = String::from_utf8(body).unwrap();
    // Every src/href of the page is on this server.
    let mut refs = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            refs.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    assert!(refs.iter().any(|r| r == "/assets/app.js"));
    assert!(refs.iter().any(|r| r == "/assets/app.css"));
    for r in &refs {
        assert!(
            r.starts_with('/') || r.starts_with('#'),
            "external reference `{r}`"
        );
    }
    let mut total_gzip = 0;
    let mut names = vec!["/".to_string()];
    names.extend(refs.iter().filter(|r| r.starts_with("/assets/")).cloned());
    for name in &names {
        let (status, headers, body) = send(
            app,
            Request::get(name.as_str())
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{name}");
        if !name.ends_with(".svg") {
            assert_eq!(headers[header::CONTENT_ENCODING], "gzip", "{name}");
        }
        total_gzip += body.len();
    }
    assert!(
        total_gzip < 300 * 1024,
        "first page is {total_gzip} bytes gzipped"
    );
    // The scripts and styles load nothing from elsewhere.
    for asset in ["/assets/app.js", "/assets/app.css"] {
        let (_, _, body) = send(app, Request::get(asset).body(Body::empty()).unwrap()).await;
        let text = String::from_utf8(body).unwrap();
        for needle in ["http://", "https://", "@import", "//cdn", "import("] {
            assert!(!text.contains(needle), "{asset} contains `{needle}`");
        }
    }
    let (status, _, _) = send(
        app,
        Request::get("/assets/nope.js").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Conditional requests.
    let (_, headers, _) = send(
        app,
        Request::get("/assets/app.js").body(Body::empty()).unwrap(),
    )
    .await;
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    let (status, _, _) = send(
        app,
        Request::get("/assets/app.js")
            .header(header::IF_NONE_MATCH, etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn api_responses_are_gzipped() {
    let f = fixture();
    let (status, headers, _) = send(
        &f.app,
        Request::get("/api/openapi.json")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_requests_all_succeed() {
    let f = fixture();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let app = f.app.clone();
        tasks.push(tokio::spawn(async move {
            let uri = match i % 4 {
                0 => "/api/events?source_country=DEU",
                1 => "/api/network",
                2 => "/api/timeline",
                _ => "/api/entities",
            };
            app.oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
}

// ---- security: injection, traversal, limits -------------------------------------

/// Values meant to break out of an SQL string, a LIKE pattern or the
/// full-text syntax, or to overflow a number.
const HOSTILE_VALUES: &[&str] = &[
    "' OR '1'='1",
    "x'; DROP TABLE events; --",
    "\" OR \"\"=\"",
    "1) UNION SELECT sql, name FROM sqlite_master --",
    "1 OR 1=1",
    "%",
    "_",
    "\\",
    "%' --",
    "Banoko\" OR \"x",
    "NEAR(Banoko Tellen)",
    "Banoko AND NOT Tellen",
    "text:Banoko",
    "^Banoko*",
    "{text title}: Banoko",
    "Banoko\u{0}Tellen",
    "\u{202e}Banoko",
    "-1",
    "18446744073709551616",
    "9223372036854775808",
    "1e309",
    "NaN",
    "0x10",
];

/// The GET routes and their parameters, from the OpenAPI description.
fn documented_parameters() -> Vec<(String, Vec<(String, String)>)> {
    let api: Value = serde_json::from_str(OPENAPI).unwrap();
    let mut out = Vec::new();
    for (path, ops) in api["paths"].as_object().unwrap() {
        let Some(op) = ops.get("get") else { continue };
        let mut params = Vec::new();
        for p in op["parameters"].as_array().into_iter().flatten() {
            let p = match p["$ref"].as_str() {
                Some(r) => &api["components"]["parameters"][r.rsplit('/').next().unwrap()],
                None => p,
            };
            params.push((
                p["name"].as_str().unwrap().to_string(),
                p["in"].as_str().unwrap().to_string(),
            ));
        }
        out.push((path.clone(), params));
    }
    out
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// An error body that says nothing about the server's insides.
fn assert_clean_error(uri: &str, v: &Value, echoed: &str) {
    let msg = v["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{uri}: {v}"));
    let own = msg.replace(echoed, "").to_lowercase();
    for leak in [
        "sqlite",
        "syntax error",
        "no such",
        "postgres",
        "panicked",
        ".rs:",
        "/src/",
        "/home/",
        "/work/",
        "/tmp/",
        "backtrace",
    ] {
        assert!(
            !own.contains(leak),
            "{uri}: error message leaks `{leak}`: {msg}"
        );
    }
}

#[tokio::test]
async fn sql_injection_through_every_parameter_is_harmless() {
    let f = fixture();
    let app = &f.app;
    let before = dump(&f.path);
    let mut tried = 0;
    for (path, params) in documented_parameters() {
        for (name, place) in &params {
            for value in HOSTILE_VALUES {
                let uri = if place == "path" {
                    path.replace(&format!("{{{name}}}"), &percent(value))
                } else {
                    format!("{path}?{name}={}", percent(value))
                };
                let (status, headers, body) =
                    send(app, Request::get(uri.as_str()).body(Body::empty()).unwrap()).await;
                tried += 1;
                assert!(
                    matches!(
                        status,
                        StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
                    ),
                    "{uri}: {status} {}",
                    String::from_utf8_lossy(&body)
                );
                if headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
                {
                    continue;
                }
                let v: Value = serde_json::from_slice(&body).unwrap();
                if status != StatusCode::OK {
                    assert_clean_error(&uri, &v, value);
                    continue;
                }
                // A text filter answers exactly as it does for the words of
                // the value alone: quotes, operators, comments and wildcards
                // were compared as data, never run as SQL or pattern syntax.
                let text_filter = [
                    "mode",
                    "source_country",
                    "source_sector",
                    "target_country",
                    "target_sector",
                    "entity",
                    "country",
                    "place",
                    "name",
                    "sector",
                    "role",
                    "speaker",
                    "source",
                ]
                .contains(&name.as_str());
                if text_filter && place == "query" && value.chars().any(char::is_alphanumeric) {
                    let plain: String = value
                        .chars()
                        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                        .collect();
                    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
                    let count = |v: &Value| {
                        v["total"]
                            .as_u64()
                            .or_else(|| v["nodes"].as_array().map(|a| a.len() as u64))
                            .or_else(|| v["buckets"].as_array().map(|a| a.len() as u64))
                    };
                    let words = ok(app, &format!("{path}?{name}={}", percent(&plain))).await;
                    assert_eq!(count(&v), count(&words), "{uri} vs `{plain}`: {v}");
                }
            }
        }
    }
    assert!(tried > 1500, "only {tried} requests");
    // Nothing was changed, dropped or added.
    assert_eq!(dump(&f.path), before);
    assert_eq!(ok(app, "/api/stats").await["events"], 5);
}

#[tokio::test]
async fn search_text_is_words_never_query_syntax() {
    let f = fixture();
    let app = &f.app;
    let plain = ok(app, "/api/search?q=Banoko").await["total"].clone();
    assert!(plain.as_u64().unwrap() >= 1);
    // Operators, quotes, column filters and wildcards are read as words (or
    // dropped as punctuation): the answer is that of the words alone.
    for q in [
        "Banoko*",
        "\"Banoko\"",
        "(Banoko)",
        "Banoko:",
        "+Banoko",
        "-Banoko",
        "Banoko;",
        "'Banoko'--",
    ] {
        let v = ok(app, &format!("/api/search?q={}", percent(q))).await;
        assert_eq!(v["total"], plain, "{q}");
    }
    // `OR` is a word to find, not an operator that widens the search.
    let v = ok(app, "/api/search?q=Banoko%20OR%20Tellen").await;
    assert!(v["total"].as_u64().unwrap() <= plain.as_u64().unwrap());
    for q in [
        "Banoko NOT Tellen",
        "Banoko NEAR Tellen",
        "text: Banoko",
        "Ban*",
    ] {
        let (status, v) = get(app, &format!("/api/search?q={}", percent(q))).await;
        assert!(status == StatusCode::OK, "{q}: {status} {v}");
    }
    bad(app, "/api/search?q=%2A%22%28%29", "no words").await;
    bad(app, "/api/search", "q").await;
}

#[tokio::test]
async fn page_sizes_and_offsets_are_capped() {
    let f = fixture();
    let app = &f.app;
    // (path, largest page, whether `offset` pages)
    for (path, max, paged) in [
        ("/api/events?", 1000, true),
        ("/api/entities?", 1000, true),
        ("/api/quotes?", 1000, true),
        ("/api/search?q=Banoko&", 200, true),
        ("/api/network?", 5000, false),
    ] {
        for limit in [
            &(max + 1).to_string(),
            "4294967296",
            "18446744073709551616",
            "99999999999999999999999",
        ] {
            bad(app, &format!("{path}limit={limit}"), "limit").await;
        }
        let v = ok(app, &format!("{path}limit={max}")).await;
        assert!(v.is_object());
        // The largest offset is an empty page, not an overflow.
        for offset in ["9223372036854775807", "18446744073709551615"] {
            let v = ok(app, &format!("{path}offset={offset}")).await;
            if paged {
                let items = v["items"].as_array().or_else(|| v["documents"].as_array());
                assert_eq!(items.map(Vec::len), Some(0), "{path} offset {offset}: {v}");
            }
        }
        bad(app, &format!("{path}offset=18446744073709551616"), "offset").await;
    }
    // Repeated parameters: the last one counts, and each is still checked.
    bad(app, "/api/events?limit=5&limit=5000", "limit").await;
    // A long value is a 400 (a `LIKE` pattern that long is more than the
    // database takes), at the limit an answer.
    let long = "a".repeat(1001);
    bad(
        app,
        &format!("/api/events?entity={long}"),
        "longer than 1000",
    )
    .await;
    bad(
        app,
        &format!("/api/entities?name={long}"),
        "longer than 1000",
    )
    .await;
    let v = ok(app, &format!("/api/events?entity={}", &long[1..])).await;
    assert_eq!(v["total"], 0);
    bad(
        app,
        &format!("/api/search?q={}", "word+".repeat(250)),
        "longer",
    )
    .await;
}

#[tokio::test]
async fn extract_refuses_oversized_and_malformed_bodies() {
    let f = fixture_with(
        &[],
        ServerOptions {
            max_extract_bytes: 4096,
            ..ServerOptions::default()
        },
    );
    let app = &f.app;
    let post = |ct: &'static str, body: Body| {
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, ct)
            .body(body)
            .unwrap()
    };
    // Over the limit with an honest length, and streamed with no length at all.
    let (status, _, _) = send(app, post("text/plain", Body::from("x ".repeat(3000)))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..100).map(|_| Ok(vec![b'y'; 1000])).collect();
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let (status, _, body) = send(app, post("text/plain", streamed)).await;
    assert_eq!(
        status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        String::from_utf8_lossy(&body)
    );
    // A declared length far over the limit is refused before any body is read.
    let (status, _, _) = send(
        app,
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, "text/plain")
            .header(header::CONTENT_LENGTH, "10000000000")
            .body(Body::from("short"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Malformed bodies are 400s (or 415) with a message.
    let deep = format!("{}{}", "[".repeat(1500), "]".repeat(1500));
    for (ct, body, want) in [
        (
            "text/plain",
            vec![0xff, 0xfe, 0x41, 0x00],
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            deep.into_bytes(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            br#"{"text": 42}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            br#"{"text": "x", "text": "y"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            br#"{"text": "x""#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        ("application/json", b"".to_vec(), StatusCode::BAD_REQUEST),
        (
            "application/json",
            br#"{"text": "x", "date": "2015-02-30"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "multipart/form-data; boundary=x",
            b"--x--".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/x-www-form-urlencoded",
            b"text=hello".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ] {
        let (status, _, out) = send(app, post(ct, Body::from(body.clone()))).await;
        assert_eq!(
            status,
            want,
            "{ct} {}: {}",
            String::from_utf8_lossy(&body[..body.len().min(40)]),
            String::from_utf8_lossy(&out)
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_clean_error("/api/extract", &v, "");
    }
    // Hostile text is only text: it comes back as data, nothing is stored.
    let text = "<script>alert(1)</script> Minister Ana Vell said \"'; DROP TABLE documents; --\" on Monday.";
    let (status, _, out) = send(app, post("text/plain", Body::from(text))).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    let d: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(d["text"], text);
    assert_eq!(ok(app, "/api/stats").await["documents"], 0);
}

#[tokio::test]
async fn static_routes_serve_only_the_embedded_files() {
    let f = fixture();
    let app = &f.app;
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/..%2F..%2FCargo.toml",
        "/assets/%2e%2e%2f%2e%2e%2fsrc%2flib.rs",
        "/assets/..%5c..%5cCargo.toml",
        "/assets/app.js%00.css",
        "/assets/%2Fetc%2Fpasswd",
        "/assets/",
        "/assets/app.js/",
        "/assets/APP.JS",
        "/../../etc/passwd",
        "/index.html",
        "/ui/app.js",
        "/src/openapi.json",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/%2e%2e/assets/app.js",
    ] {
        let (status, _, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
            "{uri}: {status}"
        );
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("[package]") && !text.contains("root:x") && !text.contains("//!"),
            "{uri}: {text}"
        );
    }
    // The UI routes answer GET (and HEAD) only.
    for (method, uri) in [
        (Method::POST, "/"),
        (Method::PUT, "/assets/app.js"),
        (Method::DELETE, "/assets/app.css"),
        (Method::POST, "/api/openapi.json"),
        (Method::POST, "/api/stats"),
        (Method::PUT, "/api/search"),
        (Method::DELETE, "/api/timeline"),
        (Method::PATCH, "/api/network"),
        (Method::POST, "/api/events/1"),
        (Method::PUT, "/api/quotes"),
    ] {
        let (status, _, _) = send(
            app,
            Request::builder()
                .method(method.clone())
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
    }
    // No CORS: another origin gets no permission to read the answers.
    let (status, headers, _) = send(
        app,
        Request::get("/api/events")
            .header(header::ORIGIN, "https://elsewhere.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let (status, headers, _) = send(
        app,
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/events")
            .header(header::ORIGIN, "https://elsewhere.example")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "DELETE")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_ne!(status, StatusCode::OK);
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_METHODS).is_none());
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_a_503() {
    let f = fixture_with(
        &[],
        ServerOptions {
            request_timeout: std::time::Duration::from_millis(1),
            ..ServerOptions::default()
        },
    );
    // Loading the pipeline alone takes far longer than a millisecond.
    let (status, _, body) = send(
        &f.app,
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("Envoy Tomas Reyk visited Orlan on Friday."))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("time limit"),
        "{v}"
    );
}

#[tokio::test]
async fn a_token_guards_every_api_route_but_not_the_ui() {
    let f = fixture_with(
        &corpus(),
        ServerOptions {
            token: Some("s3cret-Token".into()),
            ..ServerOptions::default()
        },
    );
    let with = |uri: &str, auth: Option<&str>| {
        let mut r = Request::get(uri);
        if let Some(a) = auth {
            r = r.header(header::AUTHORIZATION, a);
        }
        r.body(Body::empty()).unwrap()
    };
    for uri in [
        "/api/events",
        "/api/stats",
        "/api/openapi.json",
        "/api/nope",
    ] {
        for auth in [
            None,
            Some("Bearer wrong"),
            Some("Bearer s3cret-Toke"),
            Some("s3cret-Token"),
        ] {
            let (status, headers, body) = send(&f.app, with(uri, auth)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri} {auth:?}");
            assert!(headers.get(header::WWW_AUTHENTICATE).is_some());
            let v: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["error"]["status"], 401);
            assert!(!String::from_utf8_lossy(&body).contains("s3cret"));
        }
    }
    let (status, _, body) = send(&f.app, with("/api/events", Some("Bearer s3cret-Token"))).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    let (status, _, _) = send(
        &f.app,
        Request::post("/api/extract")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("Envoy Tomas Reyk visited Orlan on Friday."))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The UI's files hold no data and load without the token.
    let (status, _, _) = send(&f.app, with("/", None)).await;
    assert_eq!(status, StatusCode::OK);
}

// ---- the same API on PostgreSQL -------------------------------------------------

/// A JSON answer without what differs between backends by design.
fn backend_neutral(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for key in ["backend", "size_bytes", "schema_version"] {
            o.remove(key);
        }
    }
    v
}

#[tokio::test]
async fn the_api_answers_the_same_on_postgresql() {
    // The sync PostgreSQL client runs its own runtime: connect off this one.
    let Some(url) =
        std::thread::spawn(|| newsgraph_store::testing::server().map(|s| s.new_database()))
            .join()
            .unwrap()
    else {
        return;
    };
    let pg = std::thread::spawn(move || {
        let mut store = newsgraph_store::PostgresStore::connect(&url).unwrap();
        assert!(store
            .put_documents(&corpus())
            .unwrap()
            .iter()
            .all(|o| *o == PutOutcome::Stored));
        drop(store);
        app(
            Box::new(move || {
                Ok(
                    Box::new(newsgraph_store::PostgresStore::connect_read_only(&url)?)
                        as Box<dyn Store>,
                )
            }),
            ServerOptions::default(),
        )
        .unwrap()
    })
    .join()
    .unwrap();
    let lite = fixture();
    for uri in [
        "/api/stats",
        "/api/events",
        "/api/events?sort=-reports&limit=2&offset=1",
        "/api/events?type=CONSULT",
        "/api/entities",
        "/api/entities?name=tellen",
        "/api/quotes",
        "/api/timeline",
        "/api/timeline?interval=day&group=type",
        "/api/network",
        "/api/documents/harbor-1",
    ] {
        assert_eq!(
            backend_neutral(ok(&pg, uri).await),
            backend_neutral(ok(&lite.app, uri).await),
            "{uri}"
        );
    }
    // Search ranks differently (ts_rank, bm25) but finds the same documents.
    let ids = |v: &Value| {
        let mut ids: Vec<String> = v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    for q in ["corridor", "Tellen"] {
        let uri = format!("/api/search?q={q}");
        let (a, b) = (ok(&pg, &uri).await, ok(&lite.app, &uri).await);
        assert_eq!((a["total"].clone(), ids(&a)), (b["total"].clone(), ids(&b)));
    }
    // `pg` (and the PostgreSQL stores in its pool) is dropped here, on the
    // test's runtime: `PostgresStore` closes its connection on a thread of its own.
}
