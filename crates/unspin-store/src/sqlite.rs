//! The embedded store: one SQLite file (through `rusqlite`, SQLite bundled), full-text
//! search with FTS5, write-ahead logging so readers never see half a transaction.
//!
//! The schema is versioned: [`MIGRATIONS`] lists every step, `meta.schema_version` says how
//! many have run, and opening an older database runs the missing ones.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::rows::rows;
use crate::stats::{CellKey, Cells};
use crate::{
    Counts, Finding, Known, SearchHit, SearchQuery, Store, StoreError, StoredAnalysis,
    StoredDocument, StoryRow,
};

/// The schema, one migration per version (version N = the first N steps run).
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    input TEXT NOT NULL UNIQUE,
    content_sha256 TEXT NOT NULL,
    models TEXT NOT NULL,
    outlet TEXT,
    url TEXT,
    title TEXT,
    authors TEXT NOT NULL,
    published TEXT,
    month TEXT,
    language TEXT NOT NULL,
    words INTEGER NOT NULL,
    text TEXT NOT NULL,
    analysis TEXT NOT NULL
);
CREATE INDEX documents_outlet_month ON documents (outlet, month);
CREATE INDEX documents_published ON documents (published);
CREATE TABLE techniques (
    document INTEGER NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
    technique TEXT NOT NULL, confidence REAL NOT NULL, text TEXT NOT NULL
);
CREATE INDEX techniques_document ON techniques (document);
CREATE INDEX techniques_technique ON techniques (technique, document);
CREATE TABLE quotes (
    document INTEGER NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
    speaker TEXT, actor TEXT, kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX quotes_document ON quotes (document);
CREATE INDEX quotes_speaker ON quotes (speaker COLLATE NOCASE);
CREATE INDEX quotes_actor ON quotes (actor COLLATE NOCASE);
CREATE TABLE actors (
    document INTEGER NOT NULL, actor TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    mentions INTEGER NOT NULL
);
CREATE INDEX actors_document ON actors (document);
CREATE INDEX actors_name ON actors (name COLLATE NOCASE);
CREATE TABLE actor_names (
    document INTEGER NOT NULL, actor TEXT NOT NULL, canonical TEXT NOT NULL,
    name TEXT NOT NULL, role TEXT NOT NULL, count INTEGER NOT NULL
);
CREATE INDEX actor_names_document ON actor_names (document);
CREATE INDEX actor_names_name ON actor_names (name COLLATE NOCASE);
CREATE TABLE mentions (
    document INTEGER NOT NULL, actor TEXT NOT NULL, span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX mentions_document ON mentions (document);
CREATE TABLE claims (
    document INTEGER NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
    score REAL NOT NULL, kind TEXT NOT NULL, speaker TEXT, text TEXT NOT NULL
);
CREATE INDEX claims_document ON claims (document);
CREATE TABLE errors (input TEXT PRIMARY KEY, reason TEXT NOT NULL);
CREATE VIRTUAL TABLE documents_fts USING fts5 (title, text);
"#,
    // Version 2: the analysis JSON is stored deflated (`analysis_deflate`; `analysis` stays
    // for rows written by version 1), and the full-text index
    // reads title and text from `documents` instead of keeping a copy of its own.
    r#"
ALTER TABLE documents ADD COLUMN analysis_deflate BLOB;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5 (title, text, content = 'documents', content_rowid = 'id');
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
"#,
    // Version 3: technique spans, quotes, actor names and claims carry their document's outlet
    // and month, indexed, so that `stats` counts each (outlet, month) cell from an index alone,
    // without a join to the documents' large rows or a sort of a whole table.
    r#"
ALTER TABLE techniques ADD COLUMN outlet TEXT;
ALTER TABLE techniques ADD COLUMN month TEXT;
UPDATE techniques SET (outlet, month) =
    (SELECT d.outlet, d.month FROM documents d WHERE d.id = techniques.document);
CREATE INDEX techniques_cell ON techniques (outlet, month, technique);
ALTER TABLE quotes ADD COLUMN outlet TEXT;
ALTER TABLE quotes ADD COLUMN month TEXT;
UPDATE quotes SET (outlet, month) =
    (SELECT d.outlet, d.month FROM documents d WHERE d.id = quotes.document);
CREATE INDEX quotes_cell ON quotes (outlet, month, actor, speaker);
CREATE INDEX documents_cell ON documents (outlet, month, words);
ALTER TABLE actor_names ADD COLUMN outlet TEXT;
ALTER TABLE actor_names ADD COLUMN month TEXT;
UPDATE actor_names SET (outlet, month) =
    (SELECT d.outlet, d.month FROM documents d WHERE d.id = actor_names.document);
CREATE INDEX actor_names_cell ON actor_names (outlet, month, canonical, name, role, count);
ALTER TABLE claims ADD COLUMN outlet TEXT;
ALTER TABLE claims ADD COLUMN month TEXT;
UPDATE claims SET (outlet, month) =
    (SELECT d.outlet, d.month FROM documents d WHERE d.id = claims.document);
CREATE INDEX claims_cell ON claims (outlet, month, score DESC);
"#,
    // Version 4: stories (`unspin stories --db`): one row per story, and each document's
    // story id and the document it is a copy of (cleared when the document is re-stored).
    r#"
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    json TEXT NOT NULL
);
ALTER TABLE documents ADD COLUMN story TEXT;
ALTER TABLE documents ADD COLUMN copy_of INTEGER;
CREATE INDEX documents_story ON documents (story);
"#,
];

/// The tables holding one row per finding, keyed by `document`.
const FINDING_TABLES: [&str; 6] = [
    "techniques",
    "quotes",
    "actors",
    "actor_names",
    "mentions",
    "claims",
];

/// A SQLite store.
pub struct SqliteStore {
    conn: Connection,
    name: String,
}

impl SqliteStore {
    /// Opens (or creates) the database file `path` and brings its schema up to date.
    pub fn open(path: &str) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|e| err(path, e))?;
        let mut store = SqliteStore {
            conn,
            name: path.to_owned(),
        };
        store
            .conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;")
            .map_err(|e| err(path, e))?;
        store.migrate()?;
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        err(&self.name, e)
    }

    /// Looks at an existing database file without changing it: its schema version, and
    /// whether a write transaction can be taken (the file and its folder writable, no other
    /// writer holding it for longer than the busy timeout). For `unspin doctor`.
    pub fn inspect(path: &str) -> Result<(u32, Result<(), StoreError>), StoreError> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| err(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| err(path, e))?;
        let store = SqliteStore {
            conn,
            name: path.to_owned(),
        };
        let version = store.schema_version()?;
        let writable = store
            .conn
            .execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
            .map_err(|e| store.err(e));
        Ok((version, writable))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let has_meta: bool = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| self.err(e))?
            > 0;
        if !has_meta {
            return Ok(0);
        }
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let found = self.schema_version()?;
        let supported = MIGRATIONS.len() as u32;
        if found > supported {
            return Err(StoreError::TooNew {
                db: self.name.clone(),
                found,
                supported,
            });
        }
        let name = self.name.clone();
        let tx = self.conn.transaction().map_err(|e| err(&name, e))?;
        for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(step).map_err(|e| err(&name, e))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![(i + 1).to_string()],
            )
            .map_err(|e| err(&name, e))?;
        }
        tx.commit().map_err(|e| err(&name, e))
    }
}

fn err(db: &str, e: rusqlite::Error) -> StoreError {
    StoreError::Database {
        db: db.to_owned(),
        message: e.to_string(),
    }
}

/// Deletes a document and its findings (inside the caller's transaction).
fn delete_document(tx: &rusqlite::Transaction<'_>, id: i64) -> rusqlite::Result<()> {
    for t in FINDING_TABLES {
        tx.execute(&format!("DELETE FROM {t} WHERE document = ?1"), [id])?;
    }
    // The index keeps no copy of the text: it is told what it indexed to forget it.
    tx.execute(
        "INSERT INTO documents_fts (documents_fts, rowid, title, text)
         SELECT 'delete', id, coalesce(title, ''), text FROM documents WHERE id = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    Ok(())
}

/// The analysis JSON, deflated at the fast level (a fraction of a millisecond per article).
fn deflate(a: &unspin::Analysis) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    // Serialised first, then compressed in one write: the encoder's many small writes
    // each zero a 32 KB buffer.
    let json = serde_json::to_vec(a)?;
    let mut z = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(json.len() / 3),
        flate2::Compression::fast(),
    );
    z.write_all(&json)?;
    z.finish()
}

/// The analysis stored in a row: deflated (version 2) or plain JSON (version 1).
fn inflate(plain: &str, deflated: Option<&[u8]>) -> Result<unspin::Analysis, String> {
    match deflated {
        Some(z) => {
            serde_json::from_reader(flate2::read::DeflateDecoder::new(z)).map_err(|e| e.to_string())
        }
        None => serde_json::from_str(plain).map_err(|e| e.to_string()),
    }
}

fn insert_document(tx: &rusqlite::Transaction<'_>, d: &StoredDocument) -> rusqlite::Result<()> {
    if let Some(old) = tx
        .query_row(
            "SELECT id FROM documents WHERE input = ?1",
            [&d.input],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
    {
        delete_document(tx, old)?;
    }
    let a = &d.analysis;
    let r = rows(a);
    let doc = &r.document;
    let json = deflate(a).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    tx.execute(
        "INSERT INTO documents (input, content_sha256, models, outlet, url, title, authors,
             published, month, language, words, text, analysis, analysis_deflate)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, '', ?13)",
        params![
            d.input,
            d.content_sha256,
            crate::models_key(&a.provenance.models),
            doc.outlet,
            doc.url,
            doc.title,
            doc.authors,
            doc.published,
            doc.month,
            doc.language,
            doc.words as i64,
            a.text,
            json
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
        params![id, doc.title.as_deref().unwrap_or(""), a.text],
    )?;
    let mut st = tx.prepare_cached(
        "INSERT INTO techniques (document, span_start, span_end, technique, confidence, text,
             outlet, month)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for t in &r.techniques {
        st.execute(params![
            id,
            t.start as i64,
            t.end as i64,
            t.technique,
            f64::from(t.confidence),
            t.text,
            doc.outlet,
            doc.month
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO quotes (document, span_start, span_end, speaker, actor, kind, text, outlet,
             month)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for q in &r.quotes {
        st.execute(params![
            id,
            q.start as i64,
            q.end as i64,
            q.speaker,
            q.actor,
            q.kind,
            q.text,
            doc.outlet,
            doc.month
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO actors (document, actor, name, kind, mentions) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for x in &r.actors {
        st.execute(params![id, x.actor, x.name, x.kind, x.mentions as i64])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO actor_names (document, actor, canonical, name, role, count, outlet, month)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for n in &r.actor_names {
        st.execute(params![
            id,
            n.actor,
            n.canonical,
            n.name,
            n.role,
            n.count as i64,
            doc.outlet,
            doc.month
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO mentions (document, actor, span_start, span_end, text) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for m in &r.mentions {
        st.execute(params![id, m.actor, m.start as i64, m.end as i64, m.text])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO claims (document, span_start, span_end, score, kind, speaker, text, outlet, month)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for c in &r.claims {
        st.execute(params![
            id,
            c.start as i64,
            c.end as i64,
            f64::from(c.score),
            c.kind,
            c.speaker,
            c.text,
            doc.outlet,
            doc.month
        ])?;
    }
    tx.execute("DELETE FROM errors WHERE input = ?1", [&d.input])?;
    Ok(())
}

/// A condition matching an actor by any of its names in the document `d.id`.
const ACTOR_MATCH: &str = "(n.name = ?{p} COLLATE NOCASE OR n.canonical = ?{p} COLLATE NOCASE
     OR lower(n.canonical) LIKE '% ' || lower(?{p}))";

/// A condition matching a quote's speaker by name or actor.
const SPEAKER_MATCH: &str = "(q.speaker = ?{p} COLLATE NOCASE OR q.actor = ?{p} COLLATE NOCASE
     OR lower(q.actor) LIKE '% ' || lower(?{p}) OR lower(q.speaker) LIKE '% ' || lower(?{p}))";

impl Store for SqliteStore {
    fn known(&self) -> Result<HashMap<String, Known>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT input, content_sha256, models FROM documents")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Known {
                        content_sha256: r.get(1)?,
                        models: r.get(2)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn put(&mut self, docs: &[StoredDocument]) -> Result<(), StoreError> {
        let name = self.name.clone();
        let tx = self.conn.transaction().map_err(|e| err(&name, e))?;
        for d in docs {
            insert_document(&tx, d).map_err(|e| err(&name, e))?;
        }
        tx.commit().map_err(|e| err(&name, e))
    }

    fn put_error(&mut self, input: &str, reason: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO errors (input, reason) VALUES (?1, ?2)
                 ON CONFLICT (input) DO UPDATE SET reason = excluded.reason",
                params![input, reason],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let mut sql = String::from("SELECT d.id, d.input, d.url, d.title, d.outlet, d.published, ");
        let mut args: Vec<String> = Vec::new();
        let text = q.text.trim();
        if text.is_empty() {
            sql.push_str("substr(d.text, 1, 200) FROM documents d WHERE 1");
        } else {
            sql.push_str(
                "snippet(documents_fts, 1, '[', ']', '…', 16) FROM documents_fts f
                 JOIN documents d ON d.id = f.rowid WHERE documents_fts MATCH ?1",
            );
            args.push(text.to_owned());
        }
        let mut add = |cond: &str, value: &str, args: &mut Vec<String>| {
            args.push(value.to_owned());
            sql.push_str(" AND ");
            sql.push_str(&cond.replace("{p}", &args.len().to_string()));
        };
        if let Some(o) = &q.outlet {
            add("d.outlet = ?{p} COLLATE NOCASE", o, &mut args);
        }
        if let Some(s) = &q.since {
            add("d.published >= ?{p}", s, &mut args);
        }
        if let Some(u) = &q.until {
            add("substr(d.published, 1, length(?{p})) <= ?{p}", u, &mut args);
        }
        if let Some(t) = &q.technique {
            add(
                "EXISTS (SELECT 1 FROM techniques t WHERE t.document = d.id AND t.technique = ?{p})",
                t,
                &mut args,
            );
        }
        if let Some(a) = &q.actor {
            add(
                &format!(
                    "EXISTS (SELECT 1 FROM actor_names n WHERE n.document = d.id AND {ACTOR_MATCH})"
                ),
                a,
                &mut args,
            );
        }
        if let Some(s) = &q.speaker {
            add(
                &format!(
                    "EXISTS (SELECT 1 FROM quotes q WHERE q.document = d.id AND {SPEAKER_MATCH})"
                ),
                s,
                &mut args,
            );
        }
        sql.push_str(if text.is_empty() {
            " ORDER BY d.id"
        } else {
            " ORDER BY bm25(documents_fts), d.id"
        });
        if let Some(n) = q.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let hits: Vec<SearchHit> = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(SearchHit {
                    id: r.get(0)?,
                    input: r.get(1)?,
                    url: r.get(2)?,
                    title: r.get(3)?,
                    outlet: r.get(4)?,
                    published: r.get(5)?,
                    snippet: r
                        .get::<_, String>(6)?
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    findings: Vec::new(),
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        hits.into_iter()
            .map(|mut h| {
                h.findings = self.findings(h.id, q).map_err(|e| self.err(e))?;
                Ok(h)
            })
            .collect()
    }

    fn documents(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT id, input FROM documents")
            .map_err(|e| self.err(e))?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))
    }

    fn analysis(&self, id: i64) -> Result<Option<StoredAnalysis>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT input, content_sha256, models, analysis, analysis_deflate
                 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<Vec<u8>>>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(input, content_sha256, models, json, deflated)| {
            let analysis =
                inflate(&json, deflated.as_deref()).map_err(|e| StoreError::Database {
                    db: self.name.clone(),
                    message: format!("document {id} ({input}): stored analysis unreadable: {e}"),
                })?;
            Ok(StoredAnalysis {
                id,
                input,
                content_sha256,
                models,
                analysis,
            })
        })
        .transpose()
    }

    fn cells(&self) -> Result<Cells, StoreError> {
        let usize_at = |r: &rusqlite::Row<'_>, i: usize| r.get::<_, i64>(i).map(|n| n as usize);
        let quotes: HashMap<CellKey, usize> = self
            .cell_rows(
                "SELECT outlet, month, count(*) FROM quotes GROUP BY outlet, month",
                |k, r| Ok((k, usize_at(r, 2)?)),
            )?
            .into_iter()
            .collect();
        let documents = self.cell_rows(
            "SELECT outlet, month, count(*), sum(words) FROM documents GROUP BY outlet, month",
            |k, r| {
                let q = quotes.get(&k).copied().unwrap_or(0);
                Ok((k, usize_at(r, 2)?, usize_at(r, 3)?, q))
            },
        )?;
        let techniques = self.cell_rows(
            "SELECT outlet, month, technique, count(*) FROM techniques
             GROUP BY outlet, month, technique",
            |k, r| Ok((k, r.get(2)?, usize_at(r, 3)?)),
        )?;
        let speakers = self.cell_rows(
            "SELECT outlet, month, coalesce(actor, speaker) AS who, count(*) FROM quotes
             WHERE who IS NOT NULL GROUP BY outlet, month, who",
            |k, r| Ok((k, r.get(2)?, usize_at(r, 3)?)),
        )?;
        let names = self.cell_rows(
            "SELECT outlet, month, canonical, name, role, sum(count) FROM actor_names
             GROUP BY outlet, month, canonical, name, role",
            |k, r| Ok((k, r.get(2)?, r.get(3)?, r.get(4)?, usize_at(r, 5)?)),
        )?;
        // The best claims of each cell, read from the cell's index in score order.
        let mut claims = Vec::new();
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.score, c.text, d.input FROM claims c JOIN documents d ON d.id = c.document
                 WHERE c.outlet IS ?1 AND c.month IS ?2
                 ORDER BY c.score DESC, d.input, c.text LIMIT {}",
                crate::stats::TOP
            ))
            .map_err(|e| self.err(e))?;
        for (key, _, _, _) in &documents {
            let rows = st
                .query_map(params![key.0, key.1], |r| {
                    Ok((key.clone(), r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|e| self.err(e))?;
            claims.extend(rows);
        }
        Ok(Cells {
            documents,
            techniques,
            speakers,
            names,
            claims,
        })
    }

    fn put_stories(
        &mut self,
        stories: &[StoryRow],
        members: &[(i64, String, Option<i64>)],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let tx = self.conn.transaction().map_err(|e| err(&name, e))?;
        let run = || -> rusqlite::Result<()> {
            tx.execute("DELETE FROM stories", [])?;
            tx.execute("UPDATE documents SET story = NULL, copy_of = NULL", [])?;
            let mut st =
                tx.prepare("INSERT INTO stories (id, label, size, json) VALUES (?1, ?2, ?3, ?4)")?;
            for s in stories {
                st.execute(params![s.story, s.label, s.size as i64, s.json])?;
            }
            let mut st =
                tx.prepare("UPDATE documents SET story = ?2, copy_of = ?3 WHERE id = ?1")?;
            for (id, story, copy) in members {
                st.execute(params![id, story, copy])?;
            }
            Ok(())
        };
        run().map_err(|e| err(&name, e))?;
        tx.commit().map_err(|e| err(&name, e))
    }

    fn story_documents(&self, story: &str) -> Result<Option<Vec<i64>>, StoreError> {
        let known: i64 = self
            .conn
            .query_row("SELECT count(*) FROM stories WHERE id = ?1", [story], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))?;
        if known == 0 {
            return Ok(None);
        }
        let mut st = self
            .conn
            .prepare("SELECT id FROM documents WHERE story = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let ids = st
            .query_map([story], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>())
            .map_err(|e| self.err(e))?;
        Ok(Some(ids))
    }

    fn story_copies(&self, story: &str) -> Result<Option<Vec<(i64, i64)>>, StoreError> {
        let Some(_) = self.story_documents(story)? else {
            return Ok(None);
        };
        let mut st = self
            .conn
            .prepare(
                "SELECT id, copy_of FROM documents WHERE story = ?1 AND copy_of IS NOT NULL ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let copies = st
            .query_map([story], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<(i64, i64)>>>())
            .map_err(|e| self.err(e))?;
        Ok(Some(copies))
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let count = |t: &str| -> Result<usize, StoreError> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as usize)
                .map_err(|e| self.err(e))
        };
        Ok(Counts {
            documents: count("documents")?,
            errors: count("errors")?,
        })
    }
}

impl SqliteStore {
    /// Rows of `sql` whose first two columns are the (outlet, month) cell.
    fn cell_rows<T>(
        &self,
        sql: &str,
        f: impl Fn(CellKey, &rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut st = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        st.query_map([], |r| f((r.get(0)?, r.get(1)?), r))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))
    }

    /// The findings of document `id` that match the query's technique, actor and speaker
    /// filters, in text order.
    fn findings(&self, id: i64, q: &SearchQuery) -> rusqlite::Result<Vec<Finding>> {
        let mut out = Vec::new();
        let mut collect = |sql: &str, kind: &str, arg: &str| -> rusqlite::Result<()> {
            let mut st = self.conn.prepare_cached(sql)?;
            let found = st.query_map(params![id, arg], |r| {
                Ok(Finding {
                    kind: kind.to_owned(),
                    start: r.get::<_, i64>(0)? as usize,
                    end: r.get::<_, i64>(1)? as usize,
                    text: r.get(2)?,
                    label: r.get(3)?,
                })
            })?;
            for f in found {
                out.push(f?);
            }
            Ok(())
        };
        if let Some(t) = &q.technique {
            collect(
                "SELECT span_start, span_end, text, technique FROM techniques
                 WHERE document = ?1 AND technique = ?2",
                "technique",
                t,
            )?;
        }
        if let Some(a) = &q.actor {
            collect(
                &format!(
                    "SELECT m.span_start, m.span_end, m.text, n.canonical FROM mentions m
                     JOIN (SELECT DISTINCT actor, canonical FROM actor_names n
                           WHERE n.document = ?1 AND {}) n ON n.actor = m.actor
                     WHERE m.document = ?1",
                    ACTOR_MATCH.replace("{p}", "2")
                ),
                "actor",
                a,
            )?;
        }
        if let Some(s) = &q.speaker {
            collect(
                &format!(
                    "SELECT span_start, span_end, text, coalesce(actor, speaker) FROM quotes q
                     WHERE document = ?1 AND {}",
                    SPEAKER_MATCH.replace("{p}", "2")
                ),
                "quote",
                s,
            )?;
        }
        out.sort_by(|a, b| (a.start, a.end, &a.kind).cmp(&(b.start, b.end, &b.kind)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_is_migrated_and_reopens() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.db");
        let p = path.to_str().unwrap();
        let s = SqliteStore::open(p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as u32);
        assert_eq!(s.counts().unwrap(), Counts::default());
        drop(s);
        let s = SqliteStore::open(p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as u32);
    }

    #[test]
    fn a_database_from_a_newer_unspin_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.db");
        let p = path.to_str().unwrap();
        drop(SqliteStore::open(p).unwrap());
        let c = Connection::open(p).unwrap();
        c.execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
        drop(c);
        let e = SqliteStore::open(p).err().expect("refused");
        assert!(e.to_string().contains("version 99"), "{e}");
    }

    #[test]
    fn documents_replace_their_earlier_version_and_clear_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.db");
        let mut s = SqliteStore::open(path.to_str().unwrap()).unwrap();
        s.put_error("a.txt", "a.txt: empty (0 bytes)").unwrap();
        let doc = |text: &str| {
            let d = unspin::Document::from_text(text);
            StoredDocument {
                input: "a.txt".into(),
                content_sha256: crate::content_sha256(text),
                analysis: unspin::Pipeline::without_analysers(unspin::Options::default())
                    .analyze(&d)
                    .unwrap(),
            }
        };
        s.put(&[doc("First version of the text about bridges.")])
            .unwrap();
        assert_eq!(
            s.counts().unwrap(),
            Counts {
                documents: 1,
                errors: 0
            }
        );
        s.put(&[doc("Second version of the text about tunnels.")])
            .unwrap();
        assert_eq!(s.counts().unwrap().documents, 1);
        let q = |t: &str| SearchQuery {
            text: t.into(),
            ..SearchQuery::default()
        };
        assert!(s.search(&q("bridges")).unwrap().is_empty());
        assert_eq!(s.search(&q("tunnels")).unwrap().len(), 1);
    }

    #[test]
    fn a_version_1_database_is_migrated_and_its_documents_stay_readable_and_searchable() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("v1.db");
        let p = path.to_str().unwrap();
        // A database as version 1 wrote it: plain JSON analysis, the index with its own copy.
        let text = "The old bridge over the river stays closed until March.";
        let analysis = unspin::Pipeline::without_analysers(unspin::Options::default())
            .analyze(&unspin::Document::from_text(text))
            .unwrap();
        {
            let c = Connection::open(p).unwrap();
            c.execute_batch(MIGRATIONS[0]).unwrap();
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
                [],
            )
            .unwrap();
            c.execute(
                "INSERT INTO documents (input, content_sha256, models, authors, language, words,
                     text, analysis, title)
                 VALUES ('old.txt', 'h', '', '', 'en', 10, ?1, ?2, 'Bridge closed')",
                params![text, serde_json::to_string(&analysis).unwrap()],
            )
            .unwrap();
            c.execute(
                "INSERT INTO documents_fts (rowid, title, text) VALUES (1, 'Bridge closed', ?1)",
                [text],
            )
            .unwrap();
        }
        let mut s = SqliteStore::open(p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as u32);
        let stored = s.analysis(1).unwrap().expect("the old document");
        assert_eq!(stored.analysis, analysis);
        let q = |t: &str| SearchQuery {
            text: t.into(),
            ..SearchQuery::default()
        };
        assert_eq!(
            s.search(&q("river")).unwrap().len(),
            1,
            "the index was rebuilt"
        );
        assert_eq!(s.search(&q("closed")).unwrap()[0].input, "old.txt");
        // Replacing it forgets its words; the new version is stored deflated.
        let new = "The new tunnel opens in spring.";
        s.put(&[StoredDocument {
            input: "old.txt".into(),
            content_sha256: crate::content_sha256(new),
            analysis: unspin::Pipeline::without_analysers(unspin::Options::default())
                .analyze(&unspin::Document::from_text(new))
                .unwrap(),
        }])
        .unwrap();
        assert!(s.search(&q("river")).unwrap().is_empty());
        assert_eq!(s.search(&q("tunnel")).unwrap().len(), 1);
        let (id, _) = s.documents().unwrap()[0].clone();
        assert_eq!(s.analysis(id).unwrap().unwrap().analysis.text, new);
        let plain: String = s
            .conn
            .query_row("SELECT analysis FROM documents", [], |r| r.get(0))
            .unwrap();
        assert!(plain.is_empty(), "new rows keep only the deflated JSON");
    }
}
