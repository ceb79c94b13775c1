//! `unspin eval`: quality and speed of a stage on labelled data.

use std::io;
use std::process::ExitCode;

use unspin::extract::{ExtractOptions, eval::evaluate_dir};

use crate::cli::{EvalArgs, EvalTarget};

/// Runs the chosen evaluation and prints its report on standard output.
pub fn run(args: &EvalArgs) -> io::Result<ExitCode> {
    match &args.target {
        EvalTarget::Extract { data, per_page } => {
            let report = evaluate_dir(data, &ExtractOptions::default())
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
            Ok(ExitCode::SUCCESS)
        }
        EvalTarget::Claims { data, per_doc } => crate::claims::eval(data, *per_doc),
        EvalTarget::Techniques {
            data,
            folds,
            seed,
            limit,
            classes,
        } => crate::techniques::eval(data, *folds, *seed, *limit, classes),
    }
}
