//! `unspin train attribution` and `unspin eval quotes` on PolNeAR-format data: the quotes
//! analyser's attribution quality and its confidence model.

use std::io;
use std::path::Path;
use std::process::ExitCode;

use unspin::analyse::model_file;
use unspin::analyse::quote_actor_eval::polnear;
use unspin::analyse::quotes::confidence::MODEL_KIND;
use unspin::analyse::quotes::confidence_trainer;

/// Folds of the confidence model's cross-validation.
const FOLDS: usize = 5;
/// Seed of its folds in `unspin eval quotes`.
const SEED: u64 = 20_180_507;
/// L2 penalty of the logistic regression.
const L2: f64 = 1.0;

/// Runs the quotes analyser on PolNeAR-format attribution data and prints its table (or
/// JSON); with `errors`, writes the wrong speakers and missed direct quotes there.
pub fn eval(
    data: &std::path::Path,
    json: bool,
    errors: Option<&std::path::Path>,
) -> io::Result<ExitCode> {
    let articles = polnear::read_dir(data).map_err(|e| io::Error::other(e.to_string()))?;
    let rows = polnear::evaluate_splits(&articles);
    let all: Vec<&polnear::Article> = articles.iter().collect();
    let cv = confidence_trainer::cross_validate(&all, FOLDS, SEED, L2);
    if let Some(path) = errors
        && let Some((_, all)) = rows.last()
    {
        use std::io::Write;
        let mut f = io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        );
        for e in &all.errors {
            writeln!(f, "{}", serde_json::to_string(e).map_err(io::Error::other)?)?;
        }
        for (id, words) in &all.missed_direct {
            let v = serde_json::json!({"article": id, "missed_direct": words});
            writeln!(f, "{v}")?;
        }
        for (id, cue, words) in &all.missed_indirect {
            let v = serde_json::json!({"article": id, "missed_indirect": words, "cue": cue});
            writeln!(f, "{v}")?;
        }
        for (id, kind, words) in &all.spurious {
            let v = serde_json::json!({"article": id, "spurious": words, "kind": kind});
            writeln!(f, "{v}")?;
        }
        f.flush()?;
        eprintln!(
            "wrote {} wrong speakers, {} missed direct quotes and {} quotations matching no direct content to {}",
            all.errors.len(),
            all.missed_direct.len(),
            all.spurious.len(),
            path.display()
        );
    }
    if json {
        let mut v = polnear::to_json(&rows);
        v["confidence"] = serde_json::to_value(&cv).map_err(io::Error::other)?;
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(io::Error::other)?
        );
    } else {
        println!("quote attribution on {}:", data.display());
        print!("{}", polnear::table(&rows));
        if let Some((_, all)) = rows.last() {
            println!(
                "{:.1} articles/s per thread over {} articles (actors and quotes analysers)",
                all.articles as f64 / all.seconds.max(1e-9),
                all.articles
            );
        }
        print!("{}", confidence_trainer::table(&cv));
    }
    Ok(ExitCode::SUCCESS)
}

/// Trains the attribution-confidence model on every article of `data` and writes it, with
/// its cross-validated calibration (folds by article) in the header.
pub fn train(data: &Path, out: &Path, seed: u64) -> io::Result<ExitCode> {
    let started = std::time::Instant::now();
    let articles = polnear::read_dir(data).map_err(|e| io::Error::other(e.to_string()))?;
    let all: Vec<&polnear::Article> = articles.iter().collect();
    let cv = confidence_trainer::cross_validate(&all, FOLDS, seed, L2);
    eprint!("{}", confidence_trainer::table(&cv));
    let examples = confidence_trainer::examples(&all);
    let model = confidence_trainer::fit(&examples, L2);
    let metrics = serde_json::json!({
        "cross_validation": cv,
        "weights": model.features.iter().zip(&model.weights)
            .map(|(f, w)| (f.clone(), serde_json::json!((w * 1e4).round() / 1e4)))
            .collect::<serde_json::Map<_, _>>(),
    });
    let header = crate::folder_model_header(
        MODEL_KIND,
        "attribution-confidence-polnear",
        "1",
        data,
        articles.len(),
        examples.len(),
        seed,
        metrics,
    )?;
    model_file::write(out, header, &model).map_err(|e| io::Error::other(e.to_string()))?;
    eprintln!(
        "unspin: wrote {} ({} quotes from {} articles) in {:.1} s",
        out.display(),
        examples.len(),
        articles.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
