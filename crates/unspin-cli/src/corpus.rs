//! `unspin index` and `unspin search`: a corpus analysed into a store, and searched.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use unspin_store::{
    Known, SearchHit, SearchQuery, Store, StoredDocument, content_sha256, models_key,
};

use crate::batch::{Batch, Outcome};
use crate::cli::{IndexArgs, SearchArgs, SearchFormat};

/// What a worker made of one document.
enum Indexed {
    /// Stored already, unchanged, with the current models.
    Unchanged,
    /// Analysed, to be stored.
    Analysed(Box<StoredDocument>),
}

/// Longest a batch of analysed documents waits before it is written.
const FLUSH_EVERY: Duration = Duration::from_secs(2);

/// `unspin index`.
pub fn index(args: &IndexArgs, quiet: bool) -> io::Result<ExitCode> {
    if args.input.output.is_some() {
        return Err(io::Error::other(
            "--output is not used by index: the analyses go to --db",
        ));
    }
    let started = Instant::now();
    let mut store = unspin_store::open(&args.db).map_err(io::Error::other)?;
    let known: HashMap<String, Known> = store.known().map_err(io::Error::other)?;
    let pipeline = crate::pipeline(&args.input, None)?;
    let current_models = models_key(&pipeline.models());
    let batch = Batch {
        inputs: &args.input.inputs,
        ingest: crate::ingest_options(&args.input),
        jobs: args
            .input
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        progress: !quiet && !args.input.no_progress,
    };
    let reanalyse = args.reanalyse;
    let process = |raw: unspin::ingest::RawDocument| -> Result<Indexed, unspin::Error> {
        let hash = content_sha256(&raw.text);
        if let Some(k) = known.get(&raw.input)
            && k.content_sha256 == hash
            && (!reanalyse || k.models == current_models)
        {
            return Ok(Indexed::Unchanged);
        }
        let input = raw.input.clone();
        let doc = pipeline.document(raw)?;
        let analysis = pipeline.analyze(&doc)?;
        Ok(Indexed::Analysed(Box::new(StoredDocument {
            input,
            content_sha256: hash,
            analysis,
        })))
    };
    let (mut stored, mut unchanged, mut failed) = (0usize, 0usize, 0usize);
    let mut pending: Vec<StoredDocument> = Vec::new();
    let mut last_flush = Instant::now();
    let flush = |store: &mut Box<dyn Store>, pending: &mut Vec<StoredDocument>| -> io::Result<()> {
        if !pending.is_empty() {
            store.put(pending).map_err(io::Error::other)?;
            pending.clear();
        }
        Ok(())
    };
    batch.run(process, |outcome: Outcome<Indexed>, bar: &ProgressBar| {
        crate::report(&outcome, quiet, bar);
        match outcome.result {
            Ok(Indexed::Unchanged) => unchanged += 1,
            Ok(Indexed::Analysed(doc)) => {
                stored += 1;
                pending.push(*doc);
            }
            Err(e) => {
                failed += 1;
                store
                    .put_error(&outcome.input, &e)
                    .map_err(io::Error::other)?;
            }
        }
        if pending.len() >= args.batch.max(1) || last_flush.elapsed() >= FLUSH_EVERY {
            flush(&mut store, &mut pending)?;
            last_flush = Instant::now();
        }
        bar.set_message(format!(
            "{stored} stored, {unchanged} unchanged, {failed} failed"
        ));
        Ok(())
    })?;
    flush(&mut store, &mut pending)?;
    let counts = store.counts().map_err(io::Error::other)?;
    if !quiet {
        eprintln!(
            "unspin: {}: {stored} stored, {unchanged} skipped (unchanged), {failed} failed, in {:.1} s; the store holds {} documents and {} failed inputs",
            args.db,
            started.elapsed().as_secs_f64(),
            counts.documents,
            counts.errors
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `unspin search`.
pub fn search(args: &SearchArgs) -> io::Result<ExitCode> {
    if !std::path::Path::new(&args.db).exists() {
        return Err(io::Error::other(format!(
            "{}: no such store (create it with unspin index --db {} INPUT…)",
            args.db, args.db
        )));
    }
    let store = unspin_store::open(&args.db).map_err(io::Error::other)?;
    let q = SearchQuery {
        text: args.query.clone(),
        technique: args.technique.clone(),
        outlet: args.outlet.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        actor: args.actor.clone(),
        speaker: args.speaker.clone(),
        limit: args.limit,
    };
    let hits = store.search(&q).map_err(io::Error::other)?;
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        SearchFormat::Table
    } else {
        SearchFormat::Json
    });
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        SearchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "results": hits }))?;
            writeln!(out)?;
        }
        SearchFormat::Csv => write_csv(&mut out, &hits)?,
        SearchFormat::Table => write_table(&mut out, &hits)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A CSV field, quoted when it needs to be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn write_csv(out: &mut impl Write, hits: &[SearchHit]) -> io::Result<()> {
    writeln!(out, "id,input,url,title,outlet,published,findings,snippet")?;
    for h in hits {
        let fields = [
            h.id.to_string(),
            h.input.clone(),
            h.url.clone().unwrap_or_default(),
            h.title.clone().unwrap_or_default(),
            h.outlet.clone().unwrap_or_default(),
            h.published.clone().unwrap_or_default(),
            h.findings.len().to_string(),
            h.snippet.clone(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

fn write_table(out: &mut impl Write, hits: &[SearchHit]) -> io::Result<()> {
    writeln!(
        out,
        "{} result{}",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" }
    )?;
    for h in hits {
        let title = h.title.clone().unwrap_or_else(|| h.input.clone());
        writeln!(
            out,
            "{:>6}  {:<18} {:<10}  {}",
            h.id,
            clip(h.outlet.as_deref().unwrap_or("(unknown outlet)"), 18),
            h.published.as_deref().map_or("", |p| &p[..p.len().min(10)]),
            clip(&title, 60)
        )?;
        writeln!(out, "        {}", clip(&h.snippet, 110))?;
        for f in h.findings.iter().take(3) {
            writeln!(
                out,
                "        · {} ({}): {}",
                f.kind,
                f.label,
                clip(&f.text, 80)
            )?;
        }
        if h.findings.len() > 3 {
            writeln!(out, "        · … and {} more", h.findings.len() - 3)?;
        }
    }
    Ok(())
}
