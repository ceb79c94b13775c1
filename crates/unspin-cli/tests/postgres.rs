//! `unspin index`, `search`, `stats` and `export` on PostgreSQL: two workers index one
//! corpus together while one of them is killed at random points (the seed is printed; set
//! `UNSPIN_TEST_SEED` to replay it) and restarted; the final store holds every input once
//! and gives the same `stats` and `export` bytes as an uninterrupted SQLite run.
//!
//! The server comes from `UNSPIN_TEST_POSTGRES` (e.g.
//! `postgres://postgres@127.0.0.1:54329/postgres`); each test makes a database of its own
//! and drops it. Without the variable the tests say they are skipped and pass, unless
//! `UNSPIN_REQUIRE_POSTGRES=1`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::unspin;
use serde_json::Value;
use unspin_store::postgres::{self, PostgresStore};
use unspin_store::{SqliteStore, Store, WorkQueue};

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
            "unspin_cli_test_{}_{nanos:08x}_{}",
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

/// An HTML article of `outlet`, published on `date`, about council `n`: long enough that
/// a worker spends a while on each.
fn article(outlet: &str, date: &str, n: usize) -> String {
    let mut body = String::new();
    for k in 1..=6 {
        body.push_str(&format!(
            "<p>The regional council of district {n} met on Monday and approved a budget of {} million euros for new bridges and schools, \
             the mayor, Anna Kovacs, told reporters after the vote.</p>\
             <p>“This is a reckless gamble with public money,” said Peter Lang, the leader of the opposition, who called the mayor a puppet of the developers.</p>\
             <p>Kovacs said the council had cut spending on consultants by {} percent last year. A final vote is expected in the spring, \
             according to officials who spoke to the press after the meeting.</p>",
            n * k,
            k + 10
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Council {n} approves budget</title>\
         <meta property=\"og:site_name\" content=\"{outlet}\">\
         <meta property=\"article:published_time\" content=\"{date}T09:00:00Z\"></head><body><article>\
         <h1>Council {n} approves budget</h1>{body}</article></body></html>"
    )
}

/// A corpus folder: `n` articles alternating between two outlets and months.
fn corpus(dir: &Path, n: usize) {
    for i in 0..n {
        let (outlet, date) = if i % 2 == 0 {
            ("North Gazette", "2024-09-14")
        } else {
            ("South Herald", "2024-10-02")
        };
        std::fs::write(
            dir.join(format!("a{i:03}.html")),
            article(outlet, date, i + 1),
        )
        .unwrap();
    }
}

/// What a store holds: input → (content hash, model versions).
fn stored(store: &dyn Store) -> BTreeMap<String, (String, String)> {
    store
        .known()
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k, (v.content_sha256, v.models)))
        .collect()
}

/// The store's statistics and exports, as `unspin` prints them.
fn dump(db: &str) -> Vec<String> {
    let mut out = Vec::new();
    for by in ["outlet", "month", "outlet,month"] {
        for format in ["json", "csv"] {
            let (code, stats, err) =
                unspin(&["stats", "--db", db, "--by", by, "--format", format], None);
            assert_eq!(code, 0, "{err}");
            out.push(stats);
        }
    }
    for table in [
        "documents",
        "techniques",
        "quotes",
        "actors",
        "actor_names",
        "mentions",
        "claims",
    ] {
        let (code, csv, err) = unspin(&["export", "--db", db, "--table", table], None);
        assert_eq!(code, 0, "{err}");
        out.push(csv);
    }
    out
}

/// An `unspin index` worker on `db`, in the background.
fn worker(db: &str, dir: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args([
            "index",
            "--db",
            db,
            "--jobs",
            "1",
            "--batch",
            "2",
            "--no-progress",
            dir,
        ])
        .env("UNSPIN_LEASE_SECONDS", "2")
        .env_remove("UNSPIN_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_workers_one_killed_again_and_again_fill_the_same_store_as_sqlite() {
    let Some(pg) = TestDb::new() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 40);
    let d = dir.to_str().unwrap();
    let whole = tmp.path().join("whole.db");
    let whole = whole.to_str().unwrap();
    let (code, _, err) = unspin(&["index", "--db", whole, d], None);
    assert_eq!(code, 0, "{err}");
    let expected = stored(&SqliteStore::open(whole).unwrap());
    assert_eq!(expected.len(), 40);

    let mut next = common::kill_points();
    // Worker B runs throughout; worker A is killed at a random point and restarted, four
    // times; then A runs to the end.
    let b = worker(&pg.url, d);
    for _ in 0..4 {
        let mut a = worker(&pg.url, d);
        std::thread::sleep(Duration::from_millis(150 + next() % 900));
        let _ = a.kill();
        let _ = a.wait();
        // Whatever is stored is whole: every stored document is one of the inputs, with
        // the same content hash and models as the uninterrupted run's.
        let mut store = PostgresStore::open(&pg.url).unwrap();
        let now = stored(&store);
        for (input, v) in &now {
            assert_eq!(expected.get(input), Some(v), "{input}");
        }
        let left = store.state().unwrap();
        eprintln!(
            "killed A: {} stored, {} unfinished ({} leased)",
            now.len(),
            left.unfinished,
            left.leased
        );
    }
    let (code, _, err) = unspin(
        &["index", "--db", &pg.url, "--jobs", "2", "--no-progress", d],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 failed"), "{err}");
    let b = b.wait_with_output().unwrap();
    let b_err = String::from_utf8_lossy(&b.stderr);
    assert!(b.status.success(), "worker B: {b_err}");
    assert!(
        b_err.contains("the store holds 40 documents and 0 failed inputs"),
        "{b_err}"
    );

    // Every input stored exactly once, nothing left in the queue.
    let mut store = PostgresStore::open(&pg.url).unwrap();
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), 40, "one row per input");
    assert_eq!(stored(&store), expected);
    assert_eq!(store.state().unwrap().unfinished, 0);
    // The same store, table for table: statistics and every exported row byte for byte.
    let (a, b) = (dump(&pg.url), dump(whole));
    for (x, y) in a.iter().zip(&b) {
        assert!(!x.is_empty());
        assert_eq!(x, y);
    }
    let (_, out, _) = unspin(&["search", "--db", &pg.url, "--format", "json"], None);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 40);
}

#[test]
fn index_search_and_errors_on_postgres_behave_as_on_sqlite() {
    let Some(pg) = TestDb::new() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 6);
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), [0u8, 1, 2, 3, 255, 254, 0, 0]).unwrap();
    let d = dir.to_str().unwrap();
    let db = pg.url.as_str();
    // A database without a store is an error for the readers, naming it.
    let (code, _, err) = unspin(&["search", "--db", db, "x"], None);
    assert_ne!(code, 0);
    assert!(
        err.contains("no such store") && err.contains(&pg.name),
        "{err}"
    );
    let (code, out, err) = unspin(&["index", "--db", db, "--jobs", "2", d], None);
    assert_eq!(code, 1, "two inputs fail: {err}");
    assert!(out.is_empty(), "stdout carries nothing: {out}");
    assert!(
        err.contains("6 stored, 0 skipped (unchanged), 2 failed"),
        "{err}"
    );
    assert!(
        err.contains("empty.txt") && err.contains("binary.txt"),
        "{err}"
    );
    let (_, _, err) = unspin(&["index", "--db", db, d], None);
    assert!(
        err.contains("0 stored, 6 skipped (unchanged), 2 failed"),
        "{err}"
    );
    // A changed document replaces its old version.
    std::fs::write(
        dir.join("a000.html"),
        article("North Gazette", "2024-09-15", 99),
    )
    .unwrap();
    std::fs::remove_file(dir.join("empty.txt")).unwrap();
    std::fs::remove_file(dir.join("binary.txt")).unwrap();
    let (code, _, err) = unspin(&["index", "--db", db, d], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 stored, 5 skipped (unchanged), 0 failed")
            && err.contains("the store holds 6 documents and 2 failed inputs"),
        "{err}"
    );
    let search = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["search", "--db", db, "--format", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = unspin(&all, None);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        v["results"].as_array().unwrap().clone()
    };
    assert_eq!(search(&["district 99"]).len(), 1);
    assert!(
        search(&["\"district 1 met\""]).is_empty(),
        "the old version is gone"
    );
    let r = search(&["bridges"]);
    assert_eq!(r.len(), 6);
    assert!(r[0]["snippet"].as_str().unwrap().contains("[bridges]"));
    assert_eq!(search(&["--outlet", "South Herald"]).len(), 3);
    assert_eq!(search(&["--since", "2024-10"]).len(), 3);
    assert_eq!(search(&["bridges", "--limit", "2"]).len(), 2);
    let r = search(&["--actor", "Kovacs"]);
    assert_eq!(r.len(), 6);
    assert!(
        r[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["text"] == "Anna Kovacs")
    );
    assert_eq!(search(&["--speaker", "peter lang"]).len(), 6);
    let (code, out, _) = unspin(
        &["search", "--db", db, "bridges", "--format", "table"],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("6 results"), "{out}");
}

#[test]
fn stories_on_postgres_are_those_of_sqlite_and_searchable() {
    let Some(pg) = TestDb::new() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 6);
    let d = dir.to_str().unwrap();
    let sqlite = tmp.path().join("corpus.db");
    let sqlite = sqlite.to_str().unwrap();
    let mut grouped = Vec::new();
    for db in [pg.url.as_str(), sqlite] {
        let (code, _, err) = unspin(&["index", "--db", db, d], None);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = unspin(&["stories", "--db", db, "--format", "jsonl"], None);
        assert_eq!(code, 0, "{err}");
        let rows: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 6, "{out}");
        // Every story found is stored: searching within it gives its members.
        let mut stories: Vec<&str> = rows.iter().map(|r| r["story"].as_str().unwrap()).collect();
        stories.sort_unstable();
        stories.dedup();
        for s in &stories {
            let (code, out, err) = unspin(
                &["search", "--db", db, "--story", s, "--format", "json"],
                None,
            );
            assert_eq!(code, 0, "{err}");
            let v: Value = serde_json::from_str(&out).unwrap();
            let members = rows.iter().filter(|r| r["story"] == *s).count();
            assert_eq!(v["results"].as_array().unwrap().len(), members, "{out}");
        }
        let (code, _, err) = unspin(&["search", "--db", db, "--story", "s999"], None);
        assert_ne!(code, 0);
        assert!(err.contains("no story s999"), "{err}");
        // A story compared from the store (copies left out): with two originals or more
        // it is compared, else refused.
        let originals = |s: &str| {
            rows.iter()
                .filter(|r| r["story"] == s && r.get("copy_of").is_none_or(Value::is_null))
                .count()
        };
        let big = stories.iter().max_by_key(|s| originals(s)).unwrap();
        let (code, out, err) = unspin(
            &["compare", "--db", db, "--story", big, "--format", "json"],
            None,
        );
        if originals(big) >= 2 {
            assert_eq!(code, 0, "{err}");
            let v: Value = serde_json::from_str(&out).unwrap();
            assert!(!v["pairs"].as_array().unwrap().is_empty(), "{out}");
        } else {
            assert_ne!(code, 0, "{out}");
            assert!(err.contains("copies"), "{err}");
        }
        let mut sorted: Vec<String> = rows
            .iter()
            .map(|r| format!("{} {}", r["input"], r["story"]))
            .collect();
        sorted.sort();
        grouped.push(sorted);
    }
    assert_eq!(grouped[0], grouped[1], "PostgreSQL groups as SQLite does");
}
