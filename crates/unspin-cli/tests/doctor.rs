//! `unspin doctor`: all fine with the shipped models; a damaged model, a file that is not a
//! store, an unreachable PostgreSQL server are problems with what to do, and exit 1.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs `unspin doctor ARGS` with `UNSPIN_MODELS` set to `models` (if any); returns (exit
/// code, stdout, stderr).
fn doctor(args: &[&str], models: Option<&Path>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unspin"));
    cmd.arg("doctor").args(args).env_remove("UNSPIN_DB");
    if let Some(m) = models {
        cmd.env("UNSPIN_MODELS", m);
    }
    let out = cmd.output().expect("unspin runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn shipped_models() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

#[test]
fn the_shipped_models_are_fine() {
    let (code, out, err) = doctor(&[], None);
    assert_eq!(code, 0, "{out}{err}");
    for file in [
        "techniques-ptc-v4.unspin",
        "attribution-confidence-v1.unspin",
        "claims-checkworthiness-v1.unspin",
        "news-idf-v1.unspin",
    ] {
        assert!(
            out.lines()
                .any(|l| l.starts_with("ok") && l.contains(file) && l.contains("sha256")),
            "{out}"
        );
    }
    for analyser in ["techniques", "quotes", "actors", "claims"] {
        assert!(out.contains(&format!("analysis  {analyser}: ran")), "{out}");
    }
    assert!(out.trim_end().ends_with("checks fine"), "{out}");
    let (code, out, _) = doctor(&["--json"], None);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["problems"], 0);
    assert!(v["checks"].as_array().unwrap().len() >= 9);
}

#[test]
fn a_damaged_model_is_a_problem_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(shipped_models()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let damaged = dir.path().join("claims-checkworthiness-v1.unspin");
    let mut bytes = std::fs::read(&damaged).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&damaged, bytes).unwrap();
    let (code, out, _) = doctor(&[], Some(dir.path()));
    assert_eq!(code, 1, "{out}");
    let line = out
        .lines()
        .position(|l| l.starts_with("PROBLEM") && l.contains("claims-checkworthiness-v1.unspin"))
        .unwrap_or_else(|| panic!("{out}"));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[line].contains("checksum"), "{out}");
    assert!(
        lines[line + 1].contains("what to do:") && lines[line + 1].contains("git checkout"),
        "{out}"
    );
    assert!(out.contains("found a problem"), "{out}");
}

#[test]
fn stores_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    // A new path in a writable folder is fine.
    let new = dir.path().join("corpus.db");
    let (code, out, _) = doctor(&["--db", new.to_str().unwrap()], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no file yet; its folder is writable"), "{out}");
    assert!(!new.exists(), "doctor creates nothing");
    // A store made by unspin index is writable and current.
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "The council approved the ferry contract on Monday.\n",
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args([
            "-q",
            "index",
            "--db",
            new.to_str().unwrap(),
            article.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let (code, out, _) = doctor(&["--db", new.to_str().unwrap()], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("SQLite, writable, schema version"), "{out}");
    // A file that is not a store is a problem.
    let (code, out, _) = doctor(&["--db", article.to_str().unwrap()], None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PROBLEM database"), "{out}");
    // An unreachable PostgreSQL server is a problem, named without its password.
    let (code, out, _) = doctor(&["--db", "postgres://u:secret@127.0.0.1:1/corpus"], None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("PROBLEM database") && out.contains("what to do"),
        "{out}"
    );
    assert!(!out.contains("secret"), "{out}");
    // A reachable one, when the tests have a server.
    if let Ok(server) = std::env::var("UNSPIN_TEST_POSTGRES") {
        let (code, out, _) = doctor(&["--db", &server], None);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("PostgreSQL reachable"), "{out}");
    }
}
