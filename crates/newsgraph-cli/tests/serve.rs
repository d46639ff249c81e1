//! `newsgraph serve` end to end: ingest the examples, start the server on a
//! free loopback port, ask it over TCP, stop it; and the browser tests
//! (`crates/newsgraph-server/browser-tests/`): headless Chromium through
//! every view of the UI over the examples plus a hostile article.
//!
//! The browser tests need Debian's `chromium` (or `NEWSGRAPH_CHROMIUM`),
//! `node` and `npm ci` run in `browser-tests/`; without them they are
//! skipped with a notice, unless `NEWSGRAPH_REQUIRE_BROWSER=1` (CI sets it),
//! which makes a missing piece a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// A request over a fresh connection, the target sent as is (not
/// normalised), with a JSON body when `body` is not empty: (status line, body).
fn request(addr: &str, method: &str, target: &str, body: &str) -> (String, String) {
    request_with(addr, method, target, "", body)
}

/// [`request`] with extra header lines (each ending in `\r\n`).
fn request_with(
    addr: &str,
    method: &str,
    target: &str,
    extra: &str,
    body: &str,
) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut headers = extra.to_string();
    if !body.is_empty() {
        headers += &format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
    }
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n{body}"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.lines().next().unwrap_or_default().to_string();
    let body = raw.split_once("\r\n\r\n").map(|x| x.1).unwrap_or_default();
    (status, body.to_string())
}

/// A `GET` over a fresh connection: (status line, body).
fn get(addr: &str, path: &str) -> (String, String) {
    request(addr, "GET", path, "")
}

fn ingest(paths: &[&Path], db: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .arg("ingest")
        .args(paths)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `newsgraph serve`, killed when dropped.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        Server::start_with(db, &[])
    }

    fn start_with(db: &Path, env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .envs(env.iter().copied())
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(["--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let banner = lines.next().unwrap().unwrap();
        // Keep draining stderr so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let addr = banner
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in `{banner}`"))
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{banner}");
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts that serving left the store as it was: the database file
/// byte-identical, and no write-ahead log with anything in it. (A SQLite
/// reader of a WAL database creates the `-shm` index and an empty `-wal`
/// beside it when the directory allows; neither holds data.)
fn assert_unchanged(db: &Path, before: &[u8]) {
    assert!(
        std::fs::read(db).unwrap() == before,
        "serving modified the database file"
    );
    let wal = db.with_extension("db-wal");
    if let Ok(meta) = std::fs::metadata(&wal) {
        assert_eq!(meta.len(), 0, "serving wrote to {}", wal.display());
    }
}

#[test]
fn serve_the_ingested_examples() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    ingest(&[&examples()], &db);
    let server = Server::start(&db);
    let addr = server.addr.clone();

    let (status, body) = get(&addr, "/api/stats");
    assert!(status.contains(" 200 "), "{status}");
    let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(stats["documents"].as_u64().unwrap() >= 5, "{stats}");
    let (status, body) = get(&addr, "/");
    assert!(status.contains(" 200 "), "{status}");
    assert!(body.contains("/assets/app.js"));
    let (status, _) = get(&addr, "/api/events?type=NOPE");
    assert!(status.contains(" 400 "), "{status}");
}

#[test]
fn serve_with_a_token_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    ingest(&[&examples()], &db);
    let server = Server::start_with(&db, &[("NEWSGRAPH_TOKEN", "a-long-random-token")]);
    let addr = server.addr.clone();
    let (status, body) = get(&addr, "/api/stats");
    assert!(status.contains(" 401 "), "{status}");
    assert!(!body.contains("a-long-random-token"), "{body}");
    let (status, _) = request_with(
        &addr,
        "GET",
        "/api/stats",
        "Authorization: Bearer not-it\r\n",
        "",
    );
    assert!(status.contains(" 401 "), "{status}");
    let (status, body) = request_with(
        &addr,
        "GET",
        "/api/stats",
        "Authorization: Bearer a-long-random-token\r\n",
        "",
    );
    assert!(status.contains(" 200 "), "{status}");
    assert!(body.contains("documents"), "{body}");
    let (status, _) = get(&addr, "/");
    assert!(status.contains(" 200 "), "{status}");
}

#[test]
fn serve_refuses_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("missing.db");
    let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["serve", "--db", db.to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!db.exists(), "serve must not create a database");
}

#[test]
fn serving_never_writes_and_refuses_traversal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    ingest(&[&examples()], &db);
    let before = std::fs::read(&db).unwrap();
    let server = Server::start(&db);
    let addr = server.addr.as_str();
    // Path traversal on the static routes and the API, raw and percent-encoded.
    for target in [
        "/assets/../Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..\\\\..\\\\Cargo.toml",
        "/assets/app.js%00.png",
        "/assets//etc/passwd",
        "/assets/%2fetc%2fpasswd",
        "/../../../../etc/passwd",
        "/api/documents/..%2f..%2f..%2fetc%2fpasswd",
        "/api/../assets/app.js/../../Cargo.toml",
    ] {
        let (status, body) = get(addr, target);
        assert!(
            status.contains(" 404 ") || status.contains(" 400 "),
            "{target}: {status}"
        );
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{target}: {body}"
        );
        assert!(
            !body.contains("/work/") && !body.contains("/home/") && !body.contains(".rs:"),
            "{target}: {body}"
        );
    }
    // Writes of every kind are refused; reads go on.
    for (method, target) in [
        ("POST", "/api/events"),
        ("PUT", "/api/documents/meridian-2024-03-18-grain"),
        ("DELETE", "/api/entities/1"),
        ("PATCH", "/api/quotes"),
        ("POST", "/"),
        ("PUT", "/assets/app.js"),
    ] {
        let (status, _) = request(addr, method, target, "{}");
        assert!(
            status.starts_with("HTTP/1.1 405 "),
            "{method} {target}: {status}"
        );
    }
    for target in [
        "/api/events?q=grain&sort=-date&limit=1000",
        "/api/events?entity=x%27%3B%20DROP%20TABLE%20events%3B--",
        "/api/search?q=grain%22%20OR%20*",
        "/api/documents/meridian-2024-03-18-grain",
        "/api/timeline",
        "/api/network",
        "/api/stats",
    ] {
        let (status, _) = get(addr, target);
        assert!(!status.contains(" 500 "), "{target}: {status}");
    }
    drop(server);
    assert_unchanged(&db, &before);
}

/// The hostile article of the browser tests: markup and script in every field.
const HOSTILE: &str = r#"Title: <img src=/x data-xss=1 onerror="window.__xss=1">Minister <b data-xss=2>Vance</b> & "friends" <script>window.__xss=1</script>
Date: 2024-04-02
Source: <script data-xss=3>window.__xss=1</script>Herald & Co
URL: javascript:window.__xss=1
Id: hostile-<svg onload=alert(1)>&"'

Foreign Minister Dario <b data-xss=4>Vance</b> accused Orlania of <script data-xss=5>window.__xss=1</script> shelling the border town of Kessa on Monday. "<img src=/y data-xss=6 onerror=window.__xss=1> We will not forget," Vance said.

The Orlanian government rejected the <a href="javascript:window.__xss=1" data-xss=7>charge</a> and summoned the ambassador of Westria on Tuesday.
"#;

/// Why the browser tests cannot run here, if they cannot.
fn browser_missing(tests: &Path) -> Option<String> {
    let chromium =
        std::env::var("NEWSGRAPH_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "no Chromium at {chromium} (hint: apt-get install chromium)"
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("no `node` on PATH (hint: apt-get install nodejs npm)".into());
    }
    if !tests.join("node_modules/playwright-core").is_dir() {
        return Some(format!(
            "playwright-core is not installed (hint: cd {} && npm ci)",
            tests.display()
        ));
    }
    None
}

#[test]
fn browser_tests_every_view() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../newsgraph-server/browser-tests");
    if let Some(why) = browser_missing(&tests) {
        if std::env::var("NEWSGRAPH_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("browser tests cannot run: {why} (NEWSGRAPH_REQUIRE_BROWSER=1)");
        }
        eprintln!("skipping the browser tests: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.txt");
    std::fs::write(&hostile, HOSTILE).unwrap();
    let db = dir.path().join("news.db");
    ingest(&[&examples(), &hostile], &db);
    let hostile_id = HOSTILE
        .lines()
        .find_map(|l| l.strip_prefix("Id: "))
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let server = Server::start(&db);
    // Screenshots are kept beside the test binaries (CI keeps them as artifacts).
    let shots = std::env::var_os("NEWSGRAPH_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_BIN_EXE_newsgraph"))
                .parent()
                .unwrap()
                .join("browser-screenshots")
        });
    let _ = std::fs::remove_dir_all(&shots);
    let mut node = Command::new("node")
        .arg(tests.join("ui.test.mjs"))
        .args(["--base", &format!("http://{}", server.addr)])
        .arg("--screenshots")
        .arg(&shots)
        .args(["--hostile", hostile_id])
        .current_dir(&tests)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Their report goes through the test harness's capture (shown on failure
    // or with --nocapture).
    let mut stdout = node.stdout.take().unwrap();
    let report = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    // Bounded: every browser action has its own timeout, this is the backstop.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(900);
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = node.kill();
            panic!("the browser tests did not finish in 15 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    drop(server);
    println!("{}", report.join().unwrap());
    assert!(
        status.success(),
        "browser tests failed (their output is above; screenshots in {})",
        shots.display()
    );
    assert_unchanged(&db, &before);
}
