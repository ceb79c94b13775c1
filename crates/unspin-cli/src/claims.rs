//! `unspin eval claims`: the claims analyser against the annotated set.

use std::io;
use std::path::Path;
use std::process::ExitCode;

use unspin::Pipeline;
use unspin::analyse::claims::eval::{self, DEV_FILE, HELDOUT_FILE, SEED_FILE};
use unspin::analyse::claims::gold;
use unspin::analyse::claims::{debates, worthiness_trainer};

use crate::cli::TuneArgs;
use unspin::analyse::claims::metrics::{self, KS};

/// Evaluates the default pipeline's claims on `dir` and prints the report.
pub fn eval(dir: &Path, per_doc: bool) -> io::Result<ExitCode> {
    let pipeline = Pipeline::new(unspin::Options::default()).map_err(io::Error::other)?;
    let err = |e: &dyn std::fmt::Display| io::Error::other(e.to_string());
    for (name, file, required) in [("dev", DEV_FILE, true), ("held-out", HELDOUT_FILE, false)] {
        let path = dir.join(file);
        if !required && !path.exists() {
            eprintln!(
                "unspin: note: {} is absent; no held-out figures",
                path.display()
            );
            continue;
        }
        let docs = eval::load_set(dir, file).map_err(|e| err(&e))?;
        let scores = eval::evaluate(&pipeline, &docs).map_err(|e| err(&e))?;
        print!("{}", eval::report(name, &scores, per_doc));
        let base = eval::evaluate_baseline(&docs);
        println!(
            "  baseline (every sentence, in text order): P@5 {:.3}  P@10 {:.3}  (articles: {:.3} / {:.3})",
            base.precision_at(0, false, false).unwrap_or(0.0),
            base.precision_at(1, false, false).unwrap_or(0.0),
            base.precision_at(0, true, false).unwrap_or(0.0),
            base.precision_at(1, true, false).unwrap_or(0.0),
        );
    }
    seed(&pipeline, &dir.join(SEED_FILE))?;
    Ok(ExitCode::SUCCESS)
}

/// The seed article: P@5, P@10 and the top ten claims with their gold labels.
fn seed(pipeline: &Pipeline, file: &Path) -> io::Result<()> {
    if !file.exists() {
        return Ok(());
    }
    let seed = gold::load_offsets_only(file).map_err(io::Error::other)?;
    let path = seed.text_path.clone();
    let Some(doc) = seed.read().map_err(io::Error::other)? else {
        println!("seed article: skipped, {} is absent", path.display());
        return Ok(());
    };
    let analysis = eval::analyse(pipeline, &doc).map_err(io::Error::other)?;
    let preds = eval::predictions(&analysis);
    let s = metrics::score_document(&doc, &preds);
    println!(
        "seed article ({}): P@{} {:.3}  P@{} {:.3}  relevant {} found {} reported {}",
        doc.id,
        KS[0],
        s.precision_at[0].unwrap_or(0.0),
        KS[1],
        s.precision_at[1].unwrap_or(0.0),
        s.relevant,
        s.found,
        s.predicted
    );
    let matched = metrics::match_ranked(&preds, &doc.claims);
    for (i, (c, m)) in analysis.claims.iter().zip(&matched).take(10).enumerate() {
        let label = m.map_or("-".to_owned(), |g| doc.claims[g].label.to_string());
        println!(
            "  {:>2}. {:.3} gold {label} {:?} {}",
            i + 1,
            c.score,
            c.kind,
            c.text
        );
    }
    Ok(())
}

/// `unspin bench claims`: the claims analyser alone on one thread (ms per 1,000 words) and
/// the full default analysis on `jobs` threads (articles per second), over every
/// `article<ID>.txt` in `dir`.
pub fn bench(dir: &Path, jobs: usize, repeat: usize) -> io::Result<ExitCode> {
    use rayon::prelude::*;
    use std::time::Instant;
    use unspin::analyse::claims::analyser::{ranked_claims, score_clauses};

    let docs: Vec<unspin::Document> = crate::techniques::articles(dir)?
        .iter()
        .map(|(_, p)| crate::techniques::read_article(p).map(unspin::Document::from_text))
        .collect::<io::Result<_>>()?;
    let segs: Vec<_> = docs
        .iter()
        .map(|d| unspin::segment::segment(d.text()))
        .collect();
    let words: usize = docs
        .iter()
        .map(|d| d.text().split_whitespace().count())
        .sum();
    let mut claims_best = f64::INFINITY;
    let mut claims_cpu = f64::INFINITY;
    let mut found = 0;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let cpu_started = cpu_seconds("thread-self");
        found = docs
            .iter()
            .zip(&segs)
            .map(|(d, s)| {
                ranked_claims(
                    d,
                    &score_clauses(d, s),
                    &[],
                    unspin::analyse::claims::MIN_SCORE,
                )
                .len()
            })
            .sum::<usize>();
        claims_best = claims_best.min(started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_started, cpu_seconds("thread-self")) {
            claims_cpu = claims_cpu.min(b - a);
        }
    }
    let per_kword = |s: f64| s * 1e3 / (words as f64 / 1e3);
    println!(
        "claims alone: {} articles, {} words, one thread, best of {}: {:.3} s wall = {:.2} ms per 1,000 words ({:.2} ms per article); CPU time {}; {found} claims",
        docs.len(),
        words,
        repeat.max(1),
        claims_best,
        per_kword(claims_best),
        claims_best * 1e3 / docs.len() as f64,
        if claims_cpu.is_finite() {
            format!("{:.2} ms per 1,000 words", per_kword(claims_cpu))
        } else {
            "unknown".into()
        },
    );
    let pipeline = Pipeline::new(unspin::Options::default()).map_err(io::Error::other)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(io::Error::other)?;
    let mut full_best = f64::INFINITY;
    let mut full_cpu = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let cpu_started = cpu_seconds("self");
        pool.install(|| {
            docs.par_iter()
                .map(|d| pipeline.analyze(d).map(|a| a.claims.len()))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(io::Error::other)?;
        full_best = full_best.min(started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_started, cpu_seconds("self")) {
            full_cpu = full_cpu.min(b - a);
        }
    }
    let n = docs.len() as f64;
    println!(
        "full analysis (all analysers of this build): {} threads, best of {}: {:.2} s = {:.0} articles/s wall; CPU time {}; peak RSS {}",
        jobs.max(1),
        repeat.max(1),
        full_best,
        n / full_best,
        if full_cpu.is_finite() {
            format!(
                "{:.1} ms per article = {:.0} articles/s per busy core",
                full_cpu * 1e3 / n,
                n / full_cpu
            )
        } else {
            "unknown".into()
        },
        crate::bench::peak_rss_mib().map_or("unknown".into(), |m| format!("{m:.0} MiB")),
    );
    Ok(ExitCode::SUCCESS)
}

/// CPU time (user + system) of this process (`"self"`) or the calling thread
/// (`"thread-self"`) in seconds, from Linux `/proc`; None elsewhere. On a shared machine it
/// measures the work done, where wall time also counts waiting for a core.
fn cpu_seconds(who: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{who}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The training choices: the defaults, with the seed and any overrides given.
pub fn train_config(seed: u64, tune: &TuneArgs) -> worthiness_trainer::TrainConfig {
    let d = worthiness_trainer::TrainConfig::default();
    worthiness_trainer::TrainConfig {
        seed,
        l2: tune.l2.unwrap_or(d.l2),
        checkthat_weight: tune.checkthat_weight.unwrap_or(d.checkthat_weight),
        rules_weight: tune.rules_weight.unwrap_or(d.rules_weight),
        ..d
    }
}

/// The development data, featurised, with out-of-fold raw and calibrated scores and the
/// report of every set.
struct CrossValidated {
    data: debates::DevData,
    prepared: Vec<worthiness_trainer::PreparedDebate>,
    raw: Vec<Vec<(f32, f32)>>,
    oof: Vec<Vec<worthiness_trainer::Scores>>,
    reports: Vec<worthiness_trainer::SetReport>,
}

fn cross_validated(
    dir: &Path,
    cfg: &worthiness_trainer::TrainConfig,
) -> io::Result<CrossValidated> {
    let data = debates::read_dir(dir).map_err(|e| io::Error::other(e.to_string()))?;
    let prepared = worthiness_trainer::prepare(&data, cfg.bits);
    let raw = worthiness_trainer::cross_validate_raw(&prepared, cfg);
    let oof = worthiness_trainer::calibrate(&prepared, cfg, &raw);
    let names: Vec<&str> = data.sets().iter().map(|(n, _)| *n).collect();
    let reports = worthiness_trainer::report(&names, &prepared, &oof);
    Ok(CrossValidated {
        data,
        prepared,
        raw,
        oof,
        reports,
    })
}

/// `unspin eval claims` on the check-worthiness development folder: cross-validated ranking
/// figures per set for the length baseline, the rules and the learned model.
pub fn eval_debates(
    dir: &Path,
    per_doc: bool,
    json: bool,
    tune: &TuneArgs,
) -> io::Result<ExitCode> {
    let started = std::time::Instant::now();
    let cfg = train_config(13, tune);
    let CrossValidated {
        data,
        prepared,
        oof,
        reports,
        ..
    } = cross_validated(dir, &cfg)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&reports).map_err(io::Error::other)?
        );
    } else {
        println!(
            "check-worthiness on {}: {} sentences, {}-fold cross-validation by debate (seed {}), L2 {:e}, CheckThat! weight {}, rules prior weight {}",
            dir.display(),
            data.sentences(),
            cfg.folds,
            cfg.seed,
            cfg.l2,
            cfg.checkthat_weight,
            cfg.rules_weight
        );
        print!("{}", worthiness_trainer::table(&reports));
        if per_doc {
            for (d, s) in prepared.iter().zip(&oof) {
                let labels: Vec<u8> = d.sentences.iter().map(|p| p.label).collect();
                let scores: Vec<f32> = s.iter().map(|x| x.clauses).collect();
                let r = unspin::analyse::claims::ranking::score_debate(&scores, &labels);
                println!(
                    "    {:<40} sentences {:>5} positives {:>4}  AP {}  P@5 {:.3}  P@10 {:.3}",
                    d.id,
                    labels.len(),
                    labels.iter().filter(|&&l| l == 1).count(),
                    r.ap.map_or("n/a".into(), |a| format!("{a:.3}")),
                    r.p5,
                    r.p10
                );
            }
        }
    }
    eprintln!(
        "unspin: evaluated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `unspin train claims`: fits the check-worthiness model on every development sentence and
/// writes it, with the cross-validated figures in its header.
pub fn train(dir: &Path, out: &Path, seed: u64, tune: &TuneArgs) -> io::Result<ExitCode> {
    use unspin::analyse::claims::worthiness::MODEL_KIND;
    use unspin::analyse::model_file;
    let started = std::time::Instant::now();
    let cfg = train_config(seed, tune);
    let CrossValidated {
        data,
        prepared,
        raw,
        reports,
        ..
    } = cross_validated(dir, &cfg)?;
    eprint!("{}", worthiness_trainer::table(&reports));
    let model = worthiness_trainer::fit_all(&prepared, &cfg, &raw);
    let metrics = serde_json::json!({
        "cross_validation": reports,
        "folds": cfg.folds,
        "l2": cfg.l2,
        "checkthat_weight": cfg.checkthat_weight,
        "bits": cfg.bits,
        "rules_weight": cfg.rules_weight,
    });
    let header = crate::folder_model_header(
        MODEL_KIND,
        "claims-checkworthiness",
        "1",
        dir,
        prepared.len(),
        data.sentences(),
        seed,
        metrics,
    )?;
    model_file::write(out, header, &model).map_err(|e| io::Error::other(e.to_string()))?;
    eprintln!(
        "unspin: wrote {} ({} sentences, {} debates) in {:.1} s",
        out.display(),
        data.sentences(),
        prepared.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
