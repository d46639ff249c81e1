//! The SQLite schema, as versioned migrations applied in order on open.
//!
//! Invariant: a migration, once released, never changes; a new schema is a new
//! entry at the end. Character offsets (`start`, `end`) are those of the
//! output contract: characters into `documents.text`.

/// `(version, SQL)`, in order; version numbers start at 1 and have no gaps.
pub(crate) const MIGRATIONS: &[(u32, &str)] = &[(1, V1), (2, V2)];

const V1: &str = r#"
CREATE TABLE documents (
    doc_key      INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    title        TEXT,
    published    TEXT,               -- ISO 8601 as read
    pub_date     TEXT,               -- its YYYY-MM-DD, for filters
    source       TEXT,
    url          TEXT UNIQUE,
    language     TEXT NOT NULL,
    text         TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    ingested_at  TEXT NOT NULL,
    json         TEXT NOT NULL       -- as `extract` prints it, with "text":null (the text is above)
);
CREATE INDEX documents_pub_date ON documents(pub_date);
CREATE INDEX documents_source ON documents(source);

-- detail=none: word search only (no phrases), a much smaller and faster index.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='doc_key',
    tokenize='unicode61 remove_diacritics 2', detail=none
);

-- Corpus entities: the same actor across documents.
CREATE TABLE entities (
    entity_id   INTEGER PRIMARY KEY,
    norm_name   TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    country     TEXT,
    sector      TEXT,
    n_mentions  INTEGER NOT NULL DEFAULT 0,
    n_documents INTEGER NOT NULL DEFAULT 0,
    first_seen  TEXT,
    last_seen   TEXT
);
CREATE INDEX entities_key ON entities(norm_name, type);

CREATE TABLE entity_aliases (
    entity_id  INTEGER NOT NULL REFERENCES entities(entity_id),
    norm_alias TEXT NOT NULL,
    alias      TEXT NOT NULL,        -- first spelling seen
    n_mentions INTEGER NOT NULL,
    PRIMARY KEY (entity_id, norm_alias)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_alias ON entity_aliases(norm_alias);

CREATE TABLE entity_roles (
    entity_id   INTEGER NOT NULL REFERENCES entities(entity_id),
    norm_role   TEXT NOT NULL,
    role        TEXT NOT NULL,
    first_seen  TEXT,
    last_seen   TEXT,
    n_documents INTEGER NOT NULL,
    PRIMARY KEY (entity_id, norm_role)
) WITHOUT ROWID;

-- Document entity i (the `e{i+1}` of the document's JSON) is corpus entity entity_id.
CREATE TABLE doc_entities (
    doc_key   INTEGER NOT NULL REFERENCES documents(doc_key),
    idx       INTEGER NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(entity_id),
    name      TEXT NOT NULL,
    PRIMARY KEY (doc_key, idx)
) WITHOUT ROWID;
CREATE INDEX doc_entities_entity ON doc_entities(entity_id);

CREATE TABLE mentions (
    mention_key INTEGER PRIMARY KEY,
    doc_key     INTEGER NOT NULL REFERENCES documents(doc_key),
    doc_entity  INTEGER NOT NULL,
    entity_id   INTEGER NOT NULL REFERENCES entities(entity_id),
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc_key);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE times (
    time_key INTEGER PRIMARY KEY,
    doc_key  INTEGER NOT NULL REFERENCES documents(doc_key),
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    text     TEXT NOT NULL,
    type     TEXT NOT NULL,
    value    TEXT
);
CREATE INDEX times_doc ON times(doc_key);

CREATE TABLE quotes (
    quote_key      INTEGER PRIMARY KEY,
    doc_key        INTEGER NOT NULL REFERENCES documents(doc_key),
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    text           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    speaker_entity INTEGER REFERENCES entities(entity_id),
    speaker_name   TEXT,             -- the document entity's name
    cue            TEXT
);
CREATE INDEX quotes_doc ON quotes(doc_key);
CREATE INDEX quotes_speaker ON quotes(speaker_entity);

CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content='quotes', content_rowid='quote_key',
    tokenize='unicode61 remove_diacritics 2', detail=none
);

-- Corpus events: one happening, however many reports.
CREATE TABLE events (
    event_id      INTEGER PRIMARY KEY,
    type          TEXT NOT NULL,
    mode          TEXT NOT NULL,
    context       TEXT NOT NULL,     -- JSON array
    modality      TEXT NOT NULL,
    date          TEXT,              -- YYYY-MM-DD
    day           INTEGER,           -- days since 1970-01-01, for the ±1 day match
    place_key     TEXT,              -- normalised place name or rounded coordinates
    place_name    TEXT,
    place_country TEXT,
    lat           REAL,
    lon           REAL,
    confidence    REAL NOT NULL,
    n_reports     INTEGER NOT NULL DEFAULT 0,
    n_documents   INTEGER NOT NULL DEFAULT 0,
    n_sources     INTEGER NOT NULL DEFAULT 0,
    first_report  TEXT,
    last_report   TEXT
);
CREATE INDEX events_match ON events(type, modality, day);
CREATE INDEX events_date ON events(date);

CREATE TABLE event_reports (
    report_key     INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(event_id),
    doc_key        INTEGER NOT NULL REFERENCES documents(doc_key),
    idx            INTEGER NOT NULL, -- the `v{idx+1}` of the document's JSON
    date           TEXT,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    trigger_text   TEXT NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    modality       TEXT NOT NULL,
    confidence     REAL NOT NULL,
    rule           TEXT NOT NULL
);
CREATE INDEX event_reports_event ON event_reports(event_id);
CREATE INDEX event_reports_doc ON event_reports(doc_key);

CREATE TABLE event_actors (
    event_id  INTEGER NOT NULL REFERENCES events(event_id),
    role      TEXT NOT NULL,         -- source | target
    actor_key TEXT NOT NULL,         -- e:<entity_id> | c:<country>/<sector> | n:<normalised name>
    ord       INTEGER NOT NULL,      -- order of first appearance
    entity_id INTEGER REFERENCES entities(entity_id),
    name      TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    country   TEXT,
    sector    TEXT,
    n_reports INTEGER NOT NULL,
    PRIMARY KEY (event_id, role, actor_key)
) WITHOUT ROWID;
CREATE INDEX event_actors_entity ON event_actors(entity_id);
CREATE INDEX event_actors_country ON event_actors(role, country, sector);
"#;

const V2: &str = r#"
-- Order-independent merging (see crate::merge): each report keeps what the
-- merge rules compare and what a corpus event's fields are recomputed from
-- (type, day, mode, context, place, and its own actors), so that reports
-- match reports and a corpus event is a function of its reports.
ALTER TABLE event_reports ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE event_reports ADD COLUMN day INTEGER;
ALTER TABLE event_reports ADD COLUMN mode TEXT NOT NULL DEFAULT '';
ALTER TABLE event_reports ADD COLUMN context TEXT NOT NULL DEFAULT '[]';
ALTER TABLE event_reports ADD COLUMN place_key TEXT;
ALTER TABLE event_reports ADD COLUMN place_name TEXT;
ALTER TABLE event_reports ADD COLUMN place_country TEXT;
ALTER TABLE event_reports ADD COLUMN lat REAL;
ALTER TABLE event_reports ADD COLUMN lon REAL;
-- Stores written before: each report takes its event's fields and actors.
UPDATE event_reports SET
    type = (SELECT e.type FROM events e WHERE e.event_id = event_reports.event_id),
    mode = (SELECT e.mode FROM events e WHERE e.event_id = event_reports.event_id),
    context = (SELECT e.context FROM events e WHERE e.event_id = event_reports.event_id),
    place_key = (SELECT e.place_key FROM events e WHERE e.event_id = event_reports.event_id),
    place_name = (SELECT e.place_name FROM events e WHERE e.event_id = event_reports.event_id),
    place_country = (SELECT e.place_country FROM events e WHERE e.event_id = event_reports.event_id),
    lat = (SELECT e.lat FROM events e WHERE e.event_id = event_reports.event_id),
    lon = (SELECT e.lon FROM events e WHERE e.event_id = event_reports.event_id),
    day = CAST(julianday(substr(date, 1, 10)) - 2440587.5 AS INTEGER);
CREATE INDEX event_reports_match ON event_reports(type, modality, day);

CREATE TABLE report_actors (
    report_key INTEGER NOT NULL REFERENCES event_reports(report_key),
    role       TEXT NOT NULL,        -- source | target
    actor_key  TEXT NOT NULL,        -- as event_actors.actor_key
    entity_id  INTEGER REFERENCES entities(entity_id),
    name       TEXT NOT NULL,
    norm_name  TEXT NOT NULL,
    country    TEXT,
    sector     TEXT,
    PRIMARY KEY (report_key, role, actor_key)
) WITHOUT ROWID;
INSERT INTO report_actors (report_key, role, actor_key, entity_id, name, norm_name, country, sector)
SELECT r.report_key, a.role, a.actor_key, a.entity_id, a.name, a.norm_name, a.country, a.sector
FROM event_reports r JOIN event_actors a ON a.event_id = r.event_id;
"#;
