//! The PostgreSQL store against a server: migrations (versioned, concurrent, a newer schema
//! refused), documents put and replaced, search filters, the work queue's claims and leases,
//! and the cells behind `stats` equal to SQLite's for the same documents.
//!
//! The server comes from `UNSPIN_TEST_POSTGRES` (e.g.
//! `postgres://postgres@127.0.0.1:54329/postgres`); each test makes a database of its own
//! and drops it. Without the variable the tests say they are skipped and pass, unless
//! `UNSPIN_REQUIRE_POSTGRES=1`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use unspin_store::postgres::{self, MIGRATIONS, PostgresStore};
use unspin_store::stats::{By, compute};
use unspin_store::{
    QueuedDocument, SearchQuery, SqliteStore, Store, StoredDocument, WorkQueue, content_sha256,
};

/// A fresh database on the test server, dropped at the end.
struct TestDb {
    server: String,
    name: String,
    url: String,
}

impl TestDb {
    fn new() -> Option<TestDb> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let server = match std::env::var("UNSPIN_TEST_POSTGRES") {
            Ok(s) if !s.is_empty() => s,
            _ => {
                assert!(
                    std::env::var("UNSPIN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "UNSPIN_REQUIRE_POSTGRES=1 but UNSPIN_TEST_POSTGRES is not set"
                );
                eprintln!("skipped: UNSPIN_TEST_POSTGRES is not set (a PostgreSQL server URL)");
                return None;
            }
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "unspin_test_{}_{nanos:08x}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let url = postgres::create_database(&server, &name).expect("test database created");
        Some(TestDb { server, name, url })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = postgres::drop_database(&self.server, &self.name);
    }
}

/// An HTML article of `outlet` (none: no site) published on `date` (none: no date).
fn article(outlet: Option<&str>, date: Option<&str>, n: usize) -> String {
    let site = outlet.map_or(String::new(), |o| {
        format!("<meta property=\"og:site_name\" content=\"{o}\">")
    });
    let published = date.map_or(String::new(), |d| {
        format!("<meta property=\"article:published_time\" content=\"{d}T09:00:00Z\">")
    });
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Council {n} approves budget</title>{site}{published}\
         </head><body><article><h1>Council {n} approves budget</h1>\
         <p>The regional council of district {n} met on Monday and approved a budget of {n} million euros for new bridges and schools, \
         the mayor, Anna Kovacs, told reporters after the vote.</p>\
         <p>“This is a reckless gamble with public money,” said Peter Lang, the leader of the opposition, who called the mayor a puppet of the developers.</p>\
         <p>Kovacs said the council had cut spending on consultants by {n} percent last year. A final vote is expected in the spring, \
         according to officials who spoke to the press after the meeting.</p>\
         </article></body></html>"
    )
}

fn raw(input: &str, html: &str) -> unspin::ingest::RawDocument {
    unspin::ingest::RawDocument {
        input: input.to_owned(),
        id: None,
        url: None,
        format: unspin::ingest::Format::Html,
        text: html.to_owned(),
        charset: "UTF-8".into(),
        charset_source: unspin::ingest::CharsetSource::Utf8Valid,
        warnings: Vec::new(),
        meta: Default::default(),
    }
}

/// Twelve analysed articles: three outlets (one unknown), three months (one unknown).
fn documents() -> Vec<StoredDocument> {
    let pipeline = unspin::Pipeline::new(unspin::Options::default()).expect("models load");
    let outlets = [Some("North Gazette"), Some("South Herald"), None];
    let dates = [Some("2024-09-14"), Some("2024-10-02"), None];
    (0..12)
        .map(|i| {
            let html = article(outlets[i % 3], dates[i % 4 % 3], i + 1);
            let input = format!("corpus/a{i:03}.html");
            let doc = pipeline.document(raw(&input, &html)).unwrap();
            StoredDocument {
                input,
                content_sha256: content_sha256(&html),
                analysis: pipeline.analyze(&doc).unwrap(),
            }
        })
        .collect()
}

#[test]
fn migrations_are_versioned_concurrent_and_refuse_a_newer_schema() {
    let Some(db) = TestDb::new() else { return };
    // Four workers starting together on an empty database.
    let opened: Vec<u32> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| PostgresStore::open(&db.url).unwrap().schema_version()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect()
    });
    assert_eq!(opened, vec![MIGRATIONS.len() as u32; 4]);
    let s = PostgresStore::open(&db.url).unwrap();
    assert_eq!(s.counts().unwrap(), Default::default());
    drop(s);
    let mut c = ::postgres::Client::connect(&db.url, ::postgres::NoTls).unwrap();
    c.execute(
        "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
        &[],
    )
    .unwrap();
    let e = PostgresStore::open(&db.url).err().expect("refused");
    assert!(e.to_string().contains("version 99"), "{e}");
    // A database without unspin's tables is no store to read.
    let Some(empty) = TestDb::new() else { return };
    let e = PostgresStore::open_existing(&empty.url)
        .err()
        .expect("refused");
    assert!(e.to_string().contains("no such store"), "{e}");
}

#[test]
fn errors_name_the_database_without_its_password() {
    let Some(db) = TestDb::new() else { return };
    let url = db
        .url
        .replacen("postgres://postgres@", "postgres://postgres:hunter2@", 1);
    assert_ne!(url, db.url, "the test server URL is postgres://postgres@…");
    let missing = postgres::with_database(&url, "no_such_database_here");
    let e = PostgresStore::open(&missing)
        .err()
        .expect("no such database");
    let shown = e.to_string();
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(
        shown.contains("postgres://postgres@") && shown.contains("no_such_database_here"),
        "{shown}"
    );
    // With the password (ignored by a trust server) the store opens.
    PostgresStore::open(&url).unwrap();
}

#[test]
fn documents_replace_their_earlier_version_and_clear_errors() {
    let Some(db) = TestDb::new() else { return };
    let mut s = PostgresStore::open(&db.url).unwrap();
    s.put_error("a.txt", "a.txt: empty (0 bytes)").unwrap();
    assert_eq!(s.counts().unwrap().errors, 1);
    let doc = |text: &str| {
        let d = unspin::Document::from_text(text);
        StoredDocument {
            input: "a.txt".into(),
            content_sha256: content_sha256(text),
            analysis: unspin::Pipeline::without_analysers(unspin::Options::default())
                .analyze(&d)
                .unwrap(),
        }
    };
    s.put(&[doc("First version of the text about bridges.")])
        .unwrap();
    let c = s.counts().unwrap();
    assert_eq!((c.documents, c.errors), (1, 0));
    s.put(&[doc("Second version of the text about tunnels.")])
        .unwrap();
    assert_eq!(s.counts().unwrap().documents, 1);
    let q = |t: &str| SearchQuery {
        text: t.into(),
        ..SearchQuery::default()
    };
    assert!(s.search(&q("bridges")).unwrap().is_empty());
    let hits = s.search(&q("tunnels")).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.contains("[tunnels]"), "{:?}", hits[0]);
    let (id, input) = s.documents().unwrap().remove(0);
    let a = s.analysis(id).unwrap().unwrap();
    assert_eq!(input, "a.txt");
    assert_eq!(a.analysis.text, "Second version of the text about tunnels.");
    assert_eq!(s.known().unwrap()["a.txt"].content_sha256, a.content_sha256);
}

#[test]
fn cells_and_search_equal_sqlites_for_the_same_documents() {
    let Some(db) = TestDb::new() else { return };
    let docs = documents();
    let tmp = tempfile::tempdir().unwrap();
    let mut lite = SqliteStore::open(tmp.path().join("s.db").to_str().unwrap()).unwrap();
    let mut pg = PostgresStore::open(&db.url).unwrap();
    // In two transactions, as an indexer writes them.
    for store in [&mut lite as &mut dyn Store, &mut pg] {
        store.put(&docs[..5]).unwrap();
        store.put(&docs[5..]).unwrap();
        store
            .put_error("corpus/bad.txt", "corpus/bad.txt: empty")
            .unwrap();
    }
    let sorted = |s: &dyn Store| {
        let c = s.cells().unwrap();
        let mut v = vec![
            format!("{:?}", {
                let mut x = c.documents.clone();
                x.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                x
            }),
            format!("{:?}", {
                let mut x = c.techniques.clone();
                x.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                x
            }),
            format!("{:?}", {
                let mut x = c.speakers.clone();
                x.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                x
            }),
            format!("{:?}", {
                let mut x = c.names.clone();
                x.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                x
            }),
            format!("{:?}", {
                let mut x = c.claims.clone();
                x.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                x
            }),
        ];
        for by in [By::Outlet, By::Month, By::OutletMonth] {
            v.push(serde_json::to_string(&compute(&c, by)).unwrap());
        }
        v
    };
    let (a, b) = (sorted(&lite), sorted(&pg));
    assert!(!a[4].is_empty() && a[4] != "[]", "the articles have claims");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    assert_eq!(lite.counts().unwrap(), pg.counts().unwrap());
    // Filters find the same documents, with the same findings, in the same order.
    let queries = [
        SearchQuery::default(),
        SearchQuery {
            outlet: Some("south HERALD".into()),
            ..Default::default()
        },
        SearchQuery {
            since: Some("2024-10".into()),
            ..Default::default()
        },
        SearchQuery {
            until: Some("2024-09".into()),
            ..Default::default()
        },
        SearchQuery {
            until: Some("2024-09-13".into()),
            ..Default::default()
        },
        SearchQuery {
            actor: Some("kovacs".into()),
            limit: Some(4),
            ..Default::default()
        },
        SearchQuery {
            speaker: Some("Peter Lang".into()),
            ..Default::default()
        },
        SearchQuery {
            speaker: Some("lang".into()),
            technique: Some("Loaded_Language".into()),
            ..Default::default()
        },
        SearchQuery {
            speaker: Some("Nobody Else".into()),
            ..Default::default()
        },
    ];
    for q in &queries {
        assert_eq!(lite.search(q).unwrap(), pg.search(q).unwrap(), "{q:?}");
    }
    // Text queries: the same documents (ranked each by its own engine), query words marked.
    for text in [
        "bridges",
        "\"reckless gamble\"",
        "district 7",
        "tunnels OR bridges",
        "bridges NOT district",
        "budg*",
        "Council 11",
    ] {
        let q = SearchQuery {
            text: text.into(),
            ..Default::default()
        };
        let inputs = |s: &dyn Store| {
            let mut v: Vec<String> = s.search(&q).unwrap().into_iter().map(|h| h.input).collect();
            v.sort();
            v
        };
        assert_eq!(inputs(&lite), inputs(&pg), "{text}");
    }
    let hits = pg
        .search(&SearchQuery {
            text: "gamble".into(),
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert!(hits[0].snippet.contains("[gamble]"), "{}", hits[0].snippet);
    // Every stored analysis reads back as written.
    for (id, input) in pg.documents().unwrap() {
        let d = docs.iter().find(|d| d.input == input).unwrap();
        assert_eq!(
            serde_json::to_string(&pg.analysis(id).unwrap().unwrap().analysis).unwrap(),
            serde_json::to_string(&d.analysis).unwrap()
        );
    }
}

#[test]
fn the_queue_hands_each_document_to_one_claim_and_takes_back_expired_leases() {
    let Some(db) = TestDb::new() else { return };
    let mut a = PostgresStore::open(&db.url).unwrap();
    let mut b = PostgresStore::open(&db.url).unwrap();
    let queued = |i: usize, text: &str| QueuedDocument {
        raw: raw(&format!("d{i}.html"), text),
        content_sha256: content_sha256(text),
        attempts: 0,
    };
    let docs: Vec<QueuedDocument> = (0..6).map(|i| queued(i, &article(None, None, i))).collect();
    assert_eq!(a.enqueue(&docs, "m1", false).unwrap(), 6);
    // Enqueued again by another worker: nothing new.
    assert_eq!(b.enqueue(&docs, "m1", false).unwrap(), 0);
    let lease = Duration::from_secs(2);
    let first = a.claim("a#1", 4, lease).unwrap();
    let second = b.claim("b#1", 4, lease).unwrap();
    let names = |v: &[QueuedDocument]| v.iter().map(|d| d.raw.input.clone()).collect::<Vec<_>>();
    assert_eq!(names(&first), ["d0.html", "d1.html", "d2.html", "d3.html"]);
    assert_eq!(names(&second), ["d4.html", "d5.html"]);
    assert_eq!(
        first[0].raw.text, docs[0].raw.text,
        "the queue holds the text"
    );
    assert_eq!(first[0].attempts, 1);
    assert!(b.claim("b#2", 4, lease).unwrap().is_empty(), "all leased");
    let st = b.state().unwrap();
    assert_eq!((st.unfinished, st.leased), (6, 6));
    // b finishes its claim: documents stored, one failure recorded.
    let pipeline = unspin::Pipeline::without_analysers(unspin::Options::default());
    let analyse = |d: &QueuedDocument| StoredDocument {
        input: d.raw.input.clone(),
        content_sha256: d.content_sha256.clone(),
        analysis: pipeline
            .analyze(&pipeline.document(d.raw.clone()).unwrap())
            .unwrap(),
    };
    let done = b
        .finish(
            "b#1",
            &[analyse(&second[0])],
            &[("d5.html".into(), "d5.html: broken".into())],
            "m1",
        )
        .unwrap();
    assert_eq!(done, ["d4.html", "d5.html"]);
    assert_eq!(b.counts().unwrap().documents, 1);
    assert_eq!(b.counts().unwrap().errors, 1);
    // a "dies"; once its lease runs out b takes its documents over, and a's late finish
    // stores nothing.
    std::thread::sleep(lease + Duration::from_millis(300));
    let taken = b.claim("b#3", 10, lease).unwrap();
    assert_eq!(names(&taken), names(&first));
    assert_eq!(taken[0].attempts, 2);
    let late: Vec<StoredDocument> = first.iter().map(analyse).collect();
    assert!(a.finish("a#1", &late, &[], "m1").unwrap().is_empty());
    assert_eq!(a.counts().unwrap().documents, 1, "a's finish was refused");
    // Changed content while b holds d0: queued again, b's claim on it void.
    let changed = queued(0, &article(Some("Changed"), None, 0));
    assert_eq!(a.enqueue(&[changed], "m1", false).unwrap(), 1);
    assert_eq!(b.renew("b#3", lease).unwrap(), 3);
    let done = b
        .finish(
            "b#3",
            &taken.iter().map(analyse).collect::<Vec<_>>(),
            &[],
            "m1",
        )
        .unwrap();
    assert_eq!(done, ["d1.html", "d2.html", "d3.html"]);
    let again = a.claim("a#2", 10, lease).unwrap();
    assert_eq!(names(&again), ["d0.html"]);
    assert!(again[0].raw.text.contains("Changed"));
    a.finish("a#2", &[analyse(&again[0])], &[], "m1").unwrap();
    assert_eq!(a.state().unwrap().unfinished, 0);
    assert_eq!(a.counts().unwrap().documents, 5);
    // A failure from before this store was opened is tried again; done documents are not.
    std::thread::sleep(Duration::from_millis(50));
    let mut c = PostgresStore::open(&db.url).unwrap();
    assert_eq!(
        c.enqueue(&docs, "m1", false).unwrap(),
        2,
        "d0 changed back, d5 failed"
    );
    // With other models and --reanalyse every document is queued again.
    assert_eq!(c.enqueue(&docs, "m2", true).unwrap(), 4);
}
