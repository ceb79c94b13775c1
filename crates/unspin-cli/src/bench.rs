//! `unspin bench`: throughput and peak memory of technique detection, measured the way a
//! user runs it (model loaded once, articles processed in parallel).

use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`), if known.
pub fn peak_rss_mib() -> Option<f64> {
    high_water_kib("self").map(|k| k as f64 / 1024.0)
}

/// Peak resident memory of process `pid` (a number, or `self`) since it started its
/// program, in KiB (Linux `VmHWM`), if known.
pub fn high_water_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs segmentation and technique detection over every `article<ID>.txt` in `dir`,
/// `repeat` times, on `jobs` threads, and prints articles per second and peak memory.
pub fn techniques(
    dir: &Path,
    model: Option<&unspin::TechniquesModelChoice>,
    jobs: usize,
    repeat: usize,
) -> io::Result<ExitCode> {
    let loaded = crate::techniques::model(model)?;
    let texts: Vec<String> = crate::techniques::articles(dir)?
        .iter()
        .map(|(_, p)| crate::techniques::read_article(p))
        .collect::<io::Result<_>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(io::Error::other)?;
    let mut best = f64::INFINITY;
    let mut spans = 0;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        spans = pool.install(|| {
            texts
                .par_iter()
                .map(|t| {
                    let seg = unspin::segment::segment(t);
                    loaded.model.detect(t, &seg).len()
                })
                .sum::<usize>()
        });
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "technique detection: {} articles ({:.1} MB), {} threads, best of {}: {:.2} s = {:.0} articles/s, {} spans; peak RSS {}",
        texts.len(),
        bytes as f64 / 1e6,
        jobs.max(1),
        repeat.max(1),
        best,
        texts.len() as f64 / best,
        spans,
        peak_rss_mib().map_or("unknown".into(), |m| format!("{m:.0} MiB")),
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs the full default analysis (segmentation, techniques, quotes, actors, and whatever
/// else the pipeline holds) over every `article<ID>.txt` in `dir` on `jobs` threads, then the
/// quotes and actors analysers alone on one thread, and prints articles per second and
/// milliseconds per 1,000 words.
pub fn analysis(dir: &Path, jobs: usize, repeat: usize) -> io::Result<ExitCode> {
    let pipeline = unspin::Pipeline::new(unspin::Options::default()).map_err(io::Error::other)?;
    let docs: Vec<unspin::Document> = crate::techniques::articles(dir)?
        .iter()
        .map(|(_, p)| crate::techniques::read_article(p).map(unspin::Document::from_text))
        .collect::<io::Result<_>>()?;
    let words: usize = docs
        .iter()
        .map(|d| d.text().split_whitespace().count())
        .sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(io::Error::other)?;
    let mut best = f64::INFINITY;
    let mut found = (0, 0);
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        found = pool.install(|| {
            docs.par_iter()
                .map(|d| {
                    pipeline
                        .analyze(d)
                        .map(|a| (a.quotes.len(), a.actors.len()))
                        .unwrap_or((0, 0))
                })
                .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        });
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "full analysis: {} articles ({} words), {} threads, best of {}: {:.2} s = {:.0} articles/s; {} quotes, {} actors",
        docs.len(),
        words,
        jobs.max(1),
        repeat.max(1),
        best,
        docs.len() as f64 / best,
        found.0,
        found.1
    );
    let segs: Vec<_> = docs
        .iter()
        .map(|d| unspin::segment::segment(d.text()))
        .collect();
    let mut alone = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        for (d, seg) in docs.iter().zip(&segs) {
            let p = unspin::analyse::quote_actor_eval::run::predict_segmented(d.text(), seg);
            std::hint::black_box(p);
        }
        alone = alone.min(started.elapsed().as_secs_f64());
    }
    println!(
        "quotes + actors alone (after segmentation), one thread: {:.2} s = {:.2} ms per 1,000 words ({:.2} ms per article); peak RSS {}",
        alone,
        alone * 1000.0 / (words as f64 / 1000.0),
        alone * 1000.0 / docs.len() as f64,
        peak_rss_mib().map_or("unknown".into(), |m| format!("{m:.0} MiB")),
    );
    Ok(ExitCode::SUCCESS)
}
