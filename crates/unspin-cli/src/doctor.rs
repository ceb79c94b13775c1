//! `unspin doctor`: whether unspin can run here, and what to do where it cannot.
//!
//! Each check has a status — fine, a problem (with what to do), or not checked — and the
//! command exits 0 only when no check found a problem. Nothing is changed: model files are
//! verified without being decoded twice, a SQLite store is opened without migrating it and
//! only a write transaction is tried (and rolled back), a PostgreSQL store is only read.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde::Serialize;
use serde_json::json;
use unspin::analyse::model_file::{self, ModelError};
use unspin::analyse::{claims, quotes, techniques, word_vectors};
use unspin::{AnalyserStatus, Document, Pipeline};
use unspin_store::postgres::{self, PostgresStore};
use unspin_store::sqlite::{self, SqliteStore};

use crate::cli::DoctorArgs;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Ok,
    Problem,
}

/// One check: what was checked, how it came out, what was found, and what to do.
#[derive(Debug, Serialize)]
struct Check {
    area: &'static str,
    name: String,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

impl Check {
    fn ok(area: &'static str, name: impl Into<String>, detail: impl Into<String>) -> Self {
        Check {
            area,
            name: name.into(),
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    fn problem(
        area: &'static str,
        name: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            area,
            name: name.into(),
            status: Status::Problem,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// The shipped model files: file name, kind, and what needs it.
const MODELS: &[(&str, &str, &str)] = &[
    (
        techniques::detector::DEFAULT_MODEL_FILE,
        "techniques",
        "persuasion techniques",
    ),
    (
        quotes::confidence::DEFAULT_MODEL_FILE,
        "attribution-confidence",
        "the confidence of quote attributions",
    ),
    (
        claims::worthiness::DEFAULT_MODEL_FILE,
        "claims-checkworthiness",
        "check-worthy claims",
    ),
    (
        word_vectors::DEFAULT_WORD_VECTORS_FILE,
        word_vectors::KIND,
        "training techniques models (not analysis)",
    ),
    (
        unspin_compare::idf::MODEL_FILE,
        "idf",
        "pair similarity in unspin compare",
    ),
];

/// What to do when a shipped model cannot be used.
fn model_fix(dirs: &[PathBuf]) -> String {
    format!(
        "put the shipped models (the repository's models/ folder) in one of {} or point \
         UNSPIN_MODELS at that folder",
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Every shipped model file: present, well formed, checksum right, a format this build reads.
fn check_models(checks: &mut Vec<Check>) {
    let dirs = model_file::model_dirs();
    for &(file, kind, what) in MODELS {
        let Some(path) = dirs.iter().map(|d| d.join(file)).find(|p| p.exists()) else {
            checks.push(Check::problem(
                "models",
                file,
                format!("not found (needed for {what})"),
                model_fix(&dirs),
            ));
            continue;
        };
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        match model_file::verify(&path, kind) {
            Ok((header, sha)) => checks.push(Check::ok(
                "models",
                file,
                format!(
                    "{} version {}, file format {}, sha256 {}…, {}",
                    header.name,
                    header.version,
                    header.format_version,
                    &sha[..12],
                    path.display()
                ),
            )),
            Err(e) => {
                let fix = match &e {
                    ModelError::Version { .. } => format!(
                        "this file was written by another unspin version; use the models/ \
                         folder of this unspin's release, or retrain: {}",
                        retrain(kind)
                    ),
                    ModelError::Corrupt { .. } | ModelError::NotAModel(_) => format!(
                        "the file is damaged; restore it from the repository (git checkout \
                         models/{file}) or retrain: {}",
                        retrain(kind)
                    ),
                    _ => model_fix(&dirs),
                };
                checks.push(Check::problem("models", file, e.to_string(), fix));
            }
        }
    }
}

/// The command that retrains a model of `kind` (see README).
fn retrain(kind: &str) -> &'static str {
    match kind {
        "techniques" => "unspin train techniques (docs/techniques.md)",
        "attribution-confidence" => "unspin train quotes (docs/actors-quotes.md)",
        "claims-checkworthiness" => "unspin train claims (docs/claims.md)",
        "idf" => "unspin train idf (docs/compare.md)",
        _ => "unspin train word-vectors (docs/techniques.md)",
    }
}

/// The default pipeline analyses a short text with every analyser.
fn check_pipeline(checks: &mut Vec<Check>) {
    let pipeline = match Pipeline::new(Default::default()) {
        Ok(p) => p,
        Err(e) => {
            checks.push(Check::problem(
                "analysis",
                "pipeline",
                e.to_string(),
                model_fix(&model_file::model_dirs()),
            ));
            return;
        }
    };
    let doc = Document::from_text(
        "The council approved the ferry contract on Monday. “This ends two years of \
         waiting,” said Mayor Anna Kovacs, who called the opposition's claims a disgrace. \
         Fares will rise by 4 percent in 2025."
            .to_owned(),
    );
    match pipeline.analyze(&doc) {
        Ok(a) => {
            for r in &a.analysers {
                if r.status == AnalyserStatus::Ran {
                    checks.push(Check::ok(
                        "analysis",
                        r.name.clone(),
                        "ran on a sample text",
                    ));
                } else {
                    checks.push(Check::problem(
                        "analysis",
                        r.name.clone(),
                        format!(
                            "did not run: {}",
                            r.reason.as_deref().unwrap_or("no reason given")
                        ),
                        model_fix(&model_file::model_dirs()),
                    ));
                }
            }
        }
        Err(e) => checks.push(Check::problem(
            "analysis",
            "pipeline",
            e.to_string(),
            "report this as a bug, with the output of unspin doctor --json",
        )),
    }
}

/// The store given with `--db` (or `UNSPIN_DB`).
fn check_db(db: &str, checks: &mut Vec<Check>) {
    if postgres::is_postgres_url(db) {
        let name = postgres::redact(db);
        let supported = postgres::MIGRATIONS.len() as u32;
        match PostgresStore::inspect(db) {
            Ok(0) => checks.push(Check::ok(
                "database",
                name.clone(),
                "PostgreSQL reachable; no unspin tables yet (unspin index --db creates them)",
            )),
            Ok(v) if v == supported => checks.push(Check::ok(
                "database",
                name,
                format!("PostgreSQL reachable, schema version {v} (this unspin's)"),
            )),
            Ok(v) if v < supported => checks.push(Check::problem(
                "database",
                name.clone(),
                format!("PostgreSQL reachable, schema version {v} of {supported}"),
                format!("run unspin index --db {name} (with no inputs) to migrate it"),
            )),
            Ok(v) => checks.push(Check::problem(
                "database",
                name,
                format!("schema version {v} is newer than this unspin's ({supported})"),
                "upgrade unspin",
            )),
            Err(e) => checks.push(Check::problem(
                "database",
                name.clone(),
                e.to_string()
                    .strip_prefix(&format!("{name}: "))
                    .map_or_else(|| e.to_string(), str::to_owned),
                "check that the server runs and accepts this user from here (host, port, \
                 password, pg_hba.conf), and that the database exists (createdb)",
            )),
        }
        return;
    }
    let path = Path::new(db);
    let supported = sqlite::MIGRATIONS.len() as u32;
    if !path.exists() {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let probe = dir.join(format!(".unspin-doctor-{}", std::process::id()));
        match std::fs::File::create(&probe) {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                checks.push(Check::ok(
                    "database",
                    db,
                    "SQLite: no file yet; its folder is writable (unspin index creates it)",
                ));
            }
            Err(e) => checks.push(Check::problem(
                "database",
                db,
                format!(
                    "SQLite: no file yet, and {} is not writable: {e}",
                    dir.display()
                ),
                "choose a path in a folder you can write to",
            )),
        }
        return;
    }
    match SqliteStore::inspect(db) {
        Ok((version, writable)) => {
            if let Err(e) = writable {
                checks.push(Check::problem(
                    "database",
                    db,
                    format!("SQLite: not writable: {e}"),
                    "make the file and its folder writable by this user, or stop the \
                     process holding a write lock on it",
                ));
            } else if version == supported {
                checks.push(Check::ok(
                    "database",
                    db,
                    format!("SQLite, writable, schema version {version} (this unspin's)"),
                ));
            } else if version == 0 {
                checks.push(Check::problem(
                    "database",
                    db,
                    "SQLite file without unspin's tables",
                    "give the path of a store made by unspin index, or a new path",
                ));
            } else if version < supported {
                checks.push(Check::ok(
                    "database",
                    db,
                    format!(
                        "SQLite, writable, schema version {version} of {supported}: the next \
                         unspin index, search or stats on it migrates it"
                    ),
                ));
            } else {
                checks.push(Check::problem(
                    "database",
                    db,
                    format!("schema version {version} is newer than this unspin's ({supported})"),
                    "upgrade unspin",
                ));
            }
        }
        Err(e) => checks.push(Check::problem(
            "database",
            db,
            format!("cannot open it as SQLite: {e}"),
            "give the path of a store made by unspin index",
        )),
    }
}

/// Chromium and ChromeDriver where the browser tests look for them.
fn check_browser(checks: &mut Vec<Check>) {
    for (name, path) in [
        ("chromium", "/usr/bin/chromium"),
        ("chromedriver", "/usr/bin/chromedriver"),
    ] {
        let run = Command::new(path).arg("--version").output();
        match run {
            Ok(out) if out.status.success() => checks.push(Check::ok(
                "browser",
                name,
                String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            )),
            Ok(out) => checks.push(Check::problem(
                "browser",
                name,
                format!(
                    "{path} --version failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
                "reinstall it: apt-get install --reinstall chromium chromium-driver",
            )),
            Err(e) => checks.push(Check::problem(
                "browser",
                name,
                format!("{path}: {e}"),
                "install Debian's packages: apt-get install chromium chromium-driver",
            )),
        }
    }
}

/// `unspin doctor`.
pub fn run(args: &DoctorArgs) -> io::Result<ExitCode> {
    let mut checks = Vec::new();
    check_models(&mut checks);
    check_pipeline(&mut checks);
    if let Some(db) = args.db.as_deref().filter(|d| !d.is_empty()) {
        check_db(db, &mut checks);
    }
    if args.browser {
        check_browser(&mut checks);
    }
    let problems = checks
        .iter()
        .filter(|c| c.status == Status::Problem)
        .count();
    let mut out = io::stdout().lock();
    if args.json {
        let v = json!({"problems": problems, "checks": checks});
        let text = serde_json::to_string_pretty(&v).map_err(io::Error::other)?;
        writeln!(out, "{text}")?;
    } else {
        for c in &checks {
            let mark = match c.status {
                Status::Ok => "ok     ",
                Status::Problem => "PROBLEM",
            };
            writeln!(out, "{mark} {:<9} {}: {}", c.area, c.name, c.detail)?;
            if let Some(fix) = &c.fix {
                writeln!(out, "        {:<9} what to do: {fix}", "")?;
            }
        }
        if problems == 0 {
            writeln!(out, "all {} checks fine", checks.len())?;
        } else {
            writeln!(out, "{problems} of {} checks found a problem", checks.len())?;
        }
    }
    out.flush()?;
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
