//! `unspin eval`: quality and speed of a stage on labelled data.

use std::io;
use std::process::ExitCode;

use unspin::extract::{
    ExtractOptions,
    eval::{DevSet, cross_validate, evaluate_dir},
};

/// Folds of the site-grouped cross-validation printed by `eval extract`.
const EXTRACT_FOLDS: usize = 8;

use unspin::analyse::quote_actor_eval::{dataset, polnear, run};

use crate::cli::{EvalArgs, EvalTarget};

/// Runs the quotes and actors analysers on an evaluation set folder and prints one table
/// (or the JSON of every score), noting offsets-only annotations whose text is absent.
fn who(
    data: &std::path::Path,
    json: bool,
    what: &str,
    table: fn(&run::Rows) -> String,
) -> io::Result<ExitCode> {
    let set = dataset::read_dir(data).map_err(|e| io::Error::other(e.to_string()))?;
    for reason in &set.skipped {
        eprintln!("note: {reason}");
    }
    let rows = run::evaluate_set(&set);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&run::to_json(&rows)).map_err(io::Error::other)?
        );
    } else {
        println!("{what} on {}:", data.display());
        print!("{}", table(&rows));
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the chosen evaluation and prints its report on standard output.
pub fn run(args: &EvalArgs) -> io::Result<ExitCode> {
    match &args.target {
        EvalTarget::Extract { data, per_page } => {
            let opts = ExtractOptions::default();
            let report = evaluate_dir(data, &opts)
                .map_err(|e| io::Error::other(format!("{}: {e}", data.display())))?;
            if *per_page {
                println!("{report}");
            } else {
                println!(
                    "extraction on {}: pages {}  precision {:.4}  recall {:.4}  F1 {:.4}  {:.1} pages/s (one thread, {:.2} s)",
                    data.display(),
                    report.pages.len(),
                    report.precision,
                    report.recall,
                    report.f1,
                    report.pages_per_sec,
                    report.seconds
                );
            }
            // The honest figure: rule selection re-run without each fold's sites.
            let set = DevSet::load(data)
                .map_err(|e| io::Error::other(format!("{}: {e}", data.display())))?;
            let sites = {
                let mut h = set.hosts.clone();
                h.sort();
                h.dedup();
                h.len()
            };
            let cv = cross_validate(&set, &opts, EXTRACT_FOLDS);
            println!(
                "  plain (shipped rules, all {} pages): precision {:.4}  recall {:.4}  F1 {:.4}",
                report.pages.len(),
                report.precision,
                report.recall,
                report.f1
            );
            println!(
                "  cross-validated by site, {} folds ({sites} sites; rules chosen without the held-out sites): precision {:.4}  recall {:.4}  F1 {:.4}",
                cv.k, cv.precision, cv.recall, cv.f1
            );
            if !cv.shipped_matches_full() {
                eprintln!(
                    "note: the shipped rules differ from what the selection chooses on this set"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTarget::Claims {
            data,
            per_doc,
            json,
            tune,
        } if unspin::analyse::claims::debates::is_dev_dir(data) => {
            crate::claims::eval_debates(data, *per_doc, *json, tune)
        }
        EvalTarget::Claims { data, per_doc, .. } => crate::claims::eval(data, *per_doc),
        EvalTarget::Quotes { data, json, errors } if polnear::is_polnear_dir(data) => {
            crate::quotes::eval(data, *json, errors.as_deref())
        }
        EvalTarget::Quotes { data, json, .. } => who(data, *json, "quotes", run::quote_table),
        EvalTarget::Actors { data, json } => who(data, *json, "actors", run::actor_table),
        EvalTarget::Techniques {
            data,
            folds,
            seed,
            classes,
        } => crate::techniques::eval(data, *folds, *seed, classes),
        EvalTarget::Stories {
            data,
            folds,
            seed,
            json,
            blocking,
        } => crate::stories::eval(data, *folds, *seed, *json, blocking.params()),
        EvalTarget::Compare { data, seed, json } => crate::compare::eval(data, *seed, *json),
    }
}
