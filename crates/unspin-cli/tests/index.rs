//! `unspin index`, `search`, `stats` and `export` on real inputs: a folder of articles from
//! two outlets plus bad files, and a URL list; reruns skip unchanged documents; bad inputs
//! land in the errors table and the run goes on; a run killed at random points and rerun
//! ends with the same store as an uninterrupted one; search filters by text, technique,
//! outlet, date, actor and speaker; stats and exports are the same whatever the order the
//! store was filled in.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::unspin;
use serde_json::Value;
use unspin_store::{SqliteStore, Store};

/// An HTML article of `outlet`, published on `date`, about council `n`.
fn article(outlet: &str, date: &str, n: usize) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Council {n} approves budget</title>\
         <meta property=\"og:site_name\" content=\"{outlet}\">\
         <meta property=\"article:published_time\" content=\"{date}T09:00:00Z\"></head><body><article>\
         <h1>Council {n} approves budget</h1>\
         <p>The regional council of district {n} met on Monday and approved a budget of {n} million euros for new bridges and schools, \
         the mayor, Anna Kovacs, told reporters after the vote.</p>\
         <p>“This is a reckless gamble with public money,” said Peter Lang, the leader of the opposition, who called the mayor a puppet of the developers.</p>\
         <p>Kovacs said the council had cut spending on consultants by 12 percent last year. A final vote is expected in the spring, \
         according to officials who spoke to the press after the meeting.</p>\
         </article></body></html>"
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
fn stored(db: &Path) -> BTreeMap<String, (String, String)> {
    SqliteStore::open(db.to_str().unwrap())
        .unwrap()
        .known()
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k, (v.content_sha256, v.models)))
        .collect()
}

#[test]
fn index_skips_unchanged_documents_and_records_bad_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 6);
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), [0u8, 1, 2, 3, 255, 254, 0, 0]).unwrap();
    let db = tmp.path().join("corpus.db");
    let dbs = db.to_str().unwrap();
    let d = dir.to_str().unwrap();
    let (code, out, err) = unspin(&["index", "--db", dbs, "--jobs", "2", d], None);
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
    // A rerun does no analysis work.
    let (_, _, err) = unspin(&["index", "--db", dbs, d], None);
    assert!(
        err.contains("0 stored, 6 skipped (unchanged), 2 failed"),
        "{err}"
    );
    // A changed document is analysed again and replaces its old version.
    std::fs::write(
        dir.join("a000.html"),
        article("North Gazette", "2024-09-15", 99),
    )
    .unwrap();
    std::fs::remove_file(dir.join("empty.txt")).unwrap();
    std::fs::remove_file(dir.join("binary.txt")).unwrap();
    let (code, _, err) = unspin(&["index", "--db", dbs, d], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 stored, 5 skipped (unchanged), 0 failed"),
        "{err}"
    );
    assert!(
        err.contains("the store holds 6 documents and 2 failed inputs"),
        "{err}"
    );
    let (_, out, _) = unspin(
        &["search", "--db", dbs, "district 99", "--format", "json"],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 1);
    let (_, out, _) = unspin(
        &["search", "--db", dbs, "district 1", "--format", "json"],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["results"].as_array().unwrap().len(),
        0,
        "the old version is gone"
    );
}

#[test]
fn search_filters_by_text_outlet_date_technique_actor_and_speaker() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 4);
    let db = tmp.path().join("c.db");
    let dbs = db.to_str().unwrap();
    let (code, _, err) = unspin(&["index", "--db", dbs, dir.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    let search = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["search", "--db", dbs, "--format", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = unspin(&all, None);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        v["results"].as_array().unwrap().clone()
    };
    assert_eq!(search(&[]).len(), 4);
    let r = search(&["bridges"]);
    assert_eq!(r.len(), 4);
    for key in [
        "input",
        "id",
        "url",
        "title",
        "outlet",
        "published",
        "snippet",
        "findings",
    ] {
        assert!(r[0].get(key).is_some(), "{key} in {}", r[0]);
    }
    assert!(
        r[0]["snippet"].as_str().unwrap().contains("[bridges]"),
        "{}",
        r[0]
    );
    assert_eq!(search(&["--outlet", "South Herald"]).len(), 2);
    assert_eq!(search(&["--since", "2024-10"]).len(), 2);
    assert_eq!(search(&["--until", "2024-09"]).len(), 2);
    assert_eq!(search(&["--until", "2024-09-13"]).len(), 0);
    assert_eq!(search(&["bridges", "--limit", "3"]).len(), 3);
    // Actors under any of their names: "Kovacs" finds the mayor named "Anna Kovacs".
    let r = search(&["--actor", "Kovacs"]);
    assert_eq!(r.len(), 4);
    let f = r[0]["findings"].as_array().unwrap();
    assert!(f.iter().all(|f| f["kind"] == "actor"), "{f:?}");
    assert!(f.iter().any(|f| f["text"] == "Anna Kovacs"), "{f:?}");
    // The quoted speaker.
    let r = search(&["--speaker", "Peter Lang"]);
    assert_eq!(r.len(), 4, "{r:?}");
    assert!(
        r[0]["findings"][0]["text"]
            .as_str()
            .unwrap()
            .contains("reckless gamble")
    );
    assert!(search(&["--speaker", "Nobody Else"]).is_empty());
    // Techniques: the findings are the spans of that technique, offsets into the text.
    let (_, out, _) = unspin(
        &[
            "analyze",
            "--format",
            "json",
            dir.join("a000.html").to_str().unwrap(),
        ],
        None,
    );
    let a: Value = serde_json::from_str(&out).unwrap();
    let technique = a["techniques"][0]["technique"]
        .as_str()
        .expect("the article has a technique span")
        .to_owned();
    let r = search(&["--technique", &technique]);
    assert!(!r.is_empty());
    for hit in &r {
        let f = hit["findings"].as_array().unwrap();
        assert!(!f.is_empty());
        for f in f {
            assert_eq!(f["label"], technique.as_str());
            assert!(f["end"].as_u64() > f["start"].as_u64());
        }
    }
    // Table and CSV for people and spreadsheets.
    let (_, out, _) = unspin(&["search", "--db", dbs, "bridges", "--format", "csv"], None);
    assert_eq!(out.lines().count(), 5);
    assert!(out.starts_with("id,input,url,title,outlet,published,findings,snippet"));
    let (_, out, _) = unspin(
        &["search", "--db", dbs, "bridges", "--format", "table"],
        None,
    );
    assert!(out.starts_with("4 results"), "{out}");
    // A store that does not exist is a clear error.
    let missing = tmp.path().join("none.db");
    let (code, _, err) = unspin(&["search", "--db", missing.to_str().unwrap(), "x"], None);
    assert_ne!(code, 0);
    assert!(
        err.contains("none.db") && err.contains("no such store"),
        "{err}"
    );
}

#[test]
fn a_killed_index_run_resumes_to_the_same_store() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 40);
    let d = dir.to_str().unwrap();
    let whole = tmp.path().join("whole.db");
    let (code, _, err) = unspin(&["index", "--db", whole.to_str().unwrap(), d], None);
    assert_eq!(code, 0, "{err}");
    let expected = stored(&whole);
    assert_eq!(expected.len(), 40);
    let db = tmp.path().join("killed.db");
    let dbs = db.to_str().unwrap();
    // Kill -9 at random points (the seed is printed to replay a failure), each rerun going
    // further; then finish.
    let mut next = common::kill_points();
    for round in 0..4u64 {
        let wait_ms = 100 + round * 150 + next() % 250;
        let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
            .args(["index", "--db", dbs, "--jobs", "2", "--batch", "3", d])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever is stored is whole: every stored document is one of the inputs, with
        // the same content hash as the uninterrupted run's.
        for (input, v) in stored(&db) {
            assert_eq!(expected.get(&input), Some(&v), "{input}");
        }
    }
    let (code, _, err) = unspin(&["index", "--db", dbs, d], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(stored(&db), expected);
    // The same store, table for table: statistics and every exported row byte for byte.
    let dump = |db: &str| {
        let (_, stats, _) = unspin(&["stats", "--db", db, "--by", "outlet,month"], None);
        let (_, claims, _) = unspin(&["export", "--db", db, "--table", "claims"], None);
        let (_, names, _) = unspin(&["export", "--db", db, "--table", "actor_names"], None);
        let (_, spans, _) = unspin(&["export", "--db", db, "--table", "techniques"], None);
        [stats, claims, names, spans]
    };
    assert_eq!(dump(dbs), dump(whole.to_str().unwrap()));
    let (_, out, _) = unspin(&["search", "--db", dbs, "--format", "json"], None);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["results"].as_array().unwrap().len(),
        40,
        "no document stored twice"
    );
}

/// Two stores of the same six articles, indexed in opposite orders with 1 and 2 jobs.
fn two_stores(tmp: &Path) -> (PathBuf, PathBuf) {
    let dir = tmp.join("corpus");
    std::fs::create_dir(&dir).unwrap();
    corpus(&dir, 6);
    let d = dir.to_str().unwrap();
    let one = tmp.join("one.db");
    let two = tmp.join("two.db");
    let (code, _, err) = unspin(
        &["index", "--db", one.to_str().unwrap(), "--jobs", "1", d],
        None,
    );
    assert_eq!(code, 0, "{err}");
    // The same documents, read in another order and in parallel, into another store.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    files.reverse();
    let mut args = vec!["index", "--db", two.to_str().unwrap(), "--jobs", "2"];
    args.extend(files.iter().map(String::as_str));
    let (code, _, err) = unspin(&args, None);
    assert_eq!(code, 0, "{err}");
    (one, two)
}

#[test]
fn stats_by_outlet_and_month_are_deterministic_and_carry_counts_and_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = two_stores(tmp.path());
    let stats = |db: &Path, by: &str, format: &str| {
        let (code, out, err) = unspin(
            &[
                "stats",
                "--db",
                db.to_str().unwrap(),
                "--by",
                by,
                "--format",
                format,
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    for by in ["outlet", "month", "outlet,month"] {
        for format in ["json", "csv", "table"] {
            assert_eq!(
                stats(&one, by, format),
                stats(&two, by, format),
                "{by} {format}"
            );
        }
    }
    let v: Value = serde_json::from_str(&stats(&one, "outlet", "json")).unwrap();
    assert_eq!(v["by"], serde_json::json!(["outlet"]));
    let groups = v["groups"].as_array().unwrap();
    let outlets: Vec<&str> = groups
        .iter()
        .map(|g| g["outlet"].as_str().unwrap())
        .collect();
    assert_eq!(outlets, ["North Gazette", "South Herald"]);
    let g = &groups[0];
    assert_eq!(g["articles"], 3);
    assert_eq!(g["small"], true, "3 articles is a small group");
    assert!(g.get("month").is_none());
    let spans = &g["technique_spans"];
    assert!(spans["low"].as_f64() <= spans["rate"].as_f64());
    assert!(spans["rate"].as_f64() <= spans["high"].as_f64());
    assert_eq!(
        (g["quotes"]["count"].as_u64().unwrap() as f64 / 3.0 * 1e4).round() / 1e4,
        g["quotes"]["rate"].as_f64().unwrap()
    );
    let actors = g["actors"].as_array().unwrap();
    let kovacs = actors
        .iter()
        .find(|a| a["actor"] == "Anna Kovacs")
        .expect("the mayor is an actor");
    let names: Vec<&str> = kovacs["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Kovacs") && names.contains(&"Anna Kovacs"),
        "{names:?}"
    );
    assert!(!g["claims"].as_array().unwrap().is_empty());
    let v: Value = serde_json::from_str(&stats(&one, "outlet,month", "json")).unwrap();
    let keys: Vec<(String, String)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["outlet"].as_str().unwrap().to_owned(),
                g["month"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("North Gazette".into(), "2024-09".into()),
            ("South Herald".into(), "2024-10".into())
        ]
    );
    let csv = stats(&one, "month", "csv");
    assert!(csv.starts_with(
        "outlet,month,articles,words,small,technique,spans,per_1000_words,low,high\n"
    ));
    assert!(
        csv.lines()
            .any(|l| l.starts_with(",2024-09,3,") && l.contains(",all,")),
        "{csv}"
    );
    let (code, _, err) = unspin(
        &["stats", "--db", one.to_str().unwrap(), "--by", "author"],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("--by author"), "{err}");
}

#[test]
fn export_writes_every_table_alike_from_either_store_as_csv_and_parquet() {
    use arrow_array::{Array, Int64Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = two_stores(tmp.path());
    let export = |db: &Path, format: &str, out: &Path| {
        let (code, stdout, err) = unspin(
            &[
                "export",
                "--db",
                db.to_str().unwrap(),
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        assert!(stdout.is_empty(), "tables go to files: {stdout}");
        assert!(err.contains("exported 6 documents"), "{err}");
    };
    let tables = [
        "documents",
        "techniques",
        "quotes",
        "actors",
        "actor_names",
        "mentions",
        "claims",
    ];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    export(&one, "csv", &a);
    export(&two, "csv", &b);
    for t in tables {
        let x = std::fs::read(a.join(format!("{t}.csv"))).unwrap();
        assert_eq!(x, std::fs::read(b.join(format!("{t}.csv"))).unwrap(), "{t}");
        let head = String::from_utf8(x).unwrap();
        assert!(
            head.starts_with("input,content_sha256,models,"),
            "{t}: every row says where it comes from"
        );
    }
    // One table to standard output is the same CSV.
    let (code, out, err) = unspin(
        &["export", "--db", one.to_str().unwrap(), "--table", "quotes"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, std::fs::read_to_string(a.join("quotes.csv")).unwrap());
    let (code, _, err) = unspin(&["export", "--db", one.to_str().unwrap()], None);
    assert_ne!(code, 0);
    assert!(err.contains("--out"), "{err}");

    // Parquet holds the same rows, typed; every span slices its document's stored text.
    let p = tmp.path().join("p");
    export(&one, "parquet", &p);
    let store = SqliteStore::open(one.to_str().unwrap()).unwrap();
    let texts: BTreeMap<String, String> = store
        .documents()
        .unwrap()
        .into_iter()
        .map(|(id, input)| (input, store.analysis(id).unwrap().unwrap().analysis.text))
        .collect();
    for t in tables {
        let file = std::fs::File::open(p.join(format!("{t}.parquet"))).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let mut rows = 0;
        for batch in reader {
            let batch = batch.unwrap();
            rows += batch.num_rows();
            let col = |name: &str| batch.column_by_name(name).unwrap().clone();
            let input = col("input");
            let input = input.as_any().downcast_ref::<StringArray>().unwrap();
            let hash = col("content_sha256");
            let hash = hash.as_any().downcast_ref::<StringArray>().unwrap();
            for i in 0..batch.num_rows() {
                assert!(texts.contains_key(input.value(i)), "{t}");
                assert_eq!(hash.value(i).len(), 64, "{t}");
            }
            if let (Some(start), Some(end), Some(text)) = (
                batch.column_by_name("start"),
                batch.column_by_name("end"),
                batch.column_by_name("text"),
            ) {
                let start = start.as_any().downcast_ref::<Int64Array>().unwrap();
                let end = end.as_any().downcast_ref::<Int64Array>().unwrap();
                let text = text.as_any().downcast_ref::<StringArray>().unwrap();
                for i in 0..batch.num_rows() {
                    let doc = &texts[input.value(i)];
                    let slice: String = doc
                        .chars()
                        .skip(start.value(i) as usize)
                        .take((end.value(i) - start.value(i)) as usize)
                        .collect();
                    assert_eq!(slice, text.value(i), "{t} row {i}");
                }
            }
        }
        let csv_rows = csv::Reader::from_path(a.join(format!("{t}.csv")))
            .unwrap()
            .records()
            .count();
        assert_eq!(rows, csv_rows, "{t}: Parquet and CSV hold the same rows");
        assert!(rows > 0, "{t}: the articles give rows in every table");
    }
}

#[test]
fn index_fetches_a_url_list_and_records_its_bad_lines_and_dead_urls() {
    use common::{closed_port, http_response, serve};
    let tmp = tempfile::tempdir().unwrap();
    let base = serve(vec![
        http_response(
            "200 OK",
            "text/html; charset=utf-8",
            article("North Gazette", "2024-09-14", 1).as_bytes(),
        ),
        http_response(
            "200 OK",
            "text/html; charset=utf-8",
            article("South Herald", "2024-10-02", 2).as_bytes(),
        ),
    ]);
    let list = tmp.path().join("urls.txt");
    std::fs::write(
        &list,
        format!(
            "# the week's articles\n{base}/one.html\n\nftp://example.org/two\n{base}/two.html\nhttp://127.0.0.1:{}/gone\n",
            closed_port()
        ),
    )
    .unwrap();
    let db = tmp.path().join("u.db");
    let dbs = db.to_str().unwrap();
    let (code, out, err) = unspin(
        &[
            "index",
            "--db",
            dbs,
            "--jobs",
            "1",
            "--urls",
            list.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 1, "two lines failed: {err}");
    assert!(out.is_empty());
    assert!(
        err.contains("2 stored") && err.contains("2 failed"),
        "{err}"
    );
    assert!(
        err.contains("urls.txt:4") && err.contains("not an http"),
        "{err}"
    );
    let stored = stored(&db);
    let inputs: Vec<&str> = stored.keys().map(String::as_str).collect();
    assert_eq!(
        inputs,
        [format!("{base}/one.html"), format!("{base}/two.html")],
        "a document fetched from a URL is keyed by its URL"
    );
    let (_, out, _) = unspin(
        &[
            "search",
            "--db",
            dbs,
            "--outlet",
            "South Herald",
            "--format",
            "json",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"][0]["url"], format!("{base}/two.html"));
    let counts = SqliteStore::open(dbs).unwrap().counts().unwrap();
    assert_eq!(
        counts.errors, 2,
        "the bad line and the dead URL are in the errors table"
    );
}
