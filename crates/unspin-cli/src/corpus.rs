//! `unspin index` and `unspin search`: a corpus analysed into a store, and searched.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use unspin_store::{
    Known, SearchHit, SearchQuery, Store, StoredDocument, content_sha256, models_key,
};

use crate::batch::Outcome;
use crate::cli::{
    ExportArgs, ExportFormat, IndexArgs, SearchArgs, SearchFormat, StatsArgs, StatsFormat,
};
use unspin_store::stats::By;

/// What a worker made of one document.
enum Indexed {
    /// Stored already, unchanged, with the current models.
    Unchanged,
    /// Analysed, to be stored.
    Analysed(Box<StoredDocument>),
}

/// What the writer thread is given, in input order.
enum ToStore {
    /// Documents to store in one transaction.
    Documents(Vec<StoredDocument>),
    /// An input that failed, and why.
    Error(String, String),
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
    if store.work_queue().is_some() {
        return crate::corpus_queue::index(args, quiet, store, started);
    }
    let known: HashMap<String, Known> = store.known().map_err(io::Error::other)?;
    let pipeline = crate::pipeline(&args.input, None)?;
    let current_models = models_key(&pipeline.models());
    let batch = crate::batch(&args.input, quiet);
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
    // A thread of its own writes, in order, so that workers never wait for a transaction.
    let (tx, rx) = crossbeam_channel::bounded::<ToStore>(2);
    let store = std::thread::scope(|scope| -> io::Result<Box<dyn Store>> {
        let writer = scope.spawn(move || -> io::Result<Box<dyn Store>> {
            for w in rx {
                match w {
                    ToStore::Documents(docs) => store.put(&docs),
                    ToStore::Error(input, reason) => store.put_error(&input, &reason),
                }
                .map_err(io::Error::other)?;
            }
            Ok(store)
        });
        let send = |w: ToStore| {
            tx.send(w)
                .map_err(|_| io::Error::other("the store's writer stopped"))
        };
        let ran = batch.run(process, |outcome: Outcome<Indexed>, bar: &ProgressBar| {
            crate::report(&outcome, quiet, bar);
            match outcome.result {
                Ok(Indexed::Unchanged) => unchanged += 1,
                Ok(Indexed::Analysed(doc)) => {
                    stored += 1;
                    pending.push(*doc);
                }
                Err(e) => {
                    failed += 1;
                    if !pending.is_empty() {
                        send(ToStore::Documents(std::mem::take(&mut pending)))?;
                    }
                    send(ToStore::Error(outcome.input.clone(), e))?;
                }
            }
            if !pending.is_empty()
                && (pending.len() >= args.batch.max(1) || last_flush.elapsed() >= FLUSH_EVERY)
            {
                send(ToStore::Documents(std::mem::take(&mut pending)))?;
                last_flush = Instant::now();
            }
            bar.set_message(format!(
                "{stored} stored, {unchanged} unchanged, {failed} failed"
            ));
            Ok(())
        });
        let flushed = match ran {
            Ok(_) if !pending.is_empty() => send(ToStore::Documents(std::mem::take(&mut pending))),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        drop(tx);
        // The writer's own error says more than "stopped".
        let store = writer
            .join()
            .map_err(|_| io::Error::other("the store's writer panicked"))??;
        flushed?;
        Ok(store)
    })?;
    summary(
        store.as_ref(),
        &args.db,
        [stored, unchanged, failed],
        started,
        quiet,
    )
}

/// The closing line of `index` on stderr (the database named without a password) and its
/// exit code: 1 when any input failed.
pub(crate) fn summary(
    store: &dyn Store,
    db: &str,
    [stored, unchanged, failed]: [usize; 3],
    started: Instant,
    quiet: bool,
) -> io::Result<ExitCode> {
    let counts = store.counts().map_err(io::Error::other)?;
    if !quiet {
        eprintln!(
            "unspin: {}: {stored} stored, {unchanged} skipped (unchanged), {failed} failed, in {:.1} s; the store holds {} documents and {} failed inputs",
            unspin_store::postgres::redact(db),
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

/// Opens an existing store (a missing one is an error, not an empty new store).
pub(crate) fn open_existing(db: &str) -> io::Result<Box<dyn Store>> {
    if unspin_store::postgres::is_postgres_url(db) {
        let store = unspin_store::PostgresStore::open_existing(db).map_err(io::Error::other)?;
        return Ok(Box::new(store));
    }
    if !std::path::Path::new(db).exists() {
        return Err(io::Error::other(format!(
            "{db}: no such store (create it with unspin index --db {db} INPUT…)"
        )));
    }
    unspin_store::open(db).map_err(io::Error::other)
}

/// `unspin stats`.
pub fn stats(args: &StatsArgs) -> io::Result<ExitCode> {
    let by = By::parse(&args.by).ok_or_else(|| {
        io::Error::other(format!(
            "--by {}: expected outlet, month or outlet,month",
            args.by
        ))
    })?;
    let store = open_existing(&args.db)?;
    let stats = unspin_store::stats::compute(&store.cells().map_err(io::Error::other)?, by);
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        StatsFormat::Table
    } else {
        StatsFormat::Json
    });
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &stats)?;
            writeln!(out)?;
        }
        StatsFormat::Csv => {
            writeln!(
                out,
                "outlet,month,articles,words,small,technique,spans,per_1000_words,low,high"
            )?;
            for g in &stats.groups {
                let key = |v: &Option<Option<String>>| {
                    csv_field(&v.clone().flatten().unwrap_or_default())
                };
                for (t, r) in std::iter::once(("all", &g.technique_spans))
                    .chain(g.techniques.iter().map(|(t, r)| (t.as_str(), r)))
                {
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{},{},{},{}",
                        key(&g.outlet),
                        key(&g.month),
                        g.articles,
                        g.words,
                        g.small,
                        csv_field(t),
                        r.count,
                        r.rate,
                        r.low,
                        r.high
                    )?;
                }
            }
        }
        StatsFormat::Table => write_stats_table(&mut out, &stats)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_stats_table(out: &mut impl Write, stats: &unspin_store::stats::Stats) -> io::Result<()> {
    for g in &stats.groups {
        let mut key = Vec::new();
        if let Some(o) = &g.outlet {
            key.push(o.clone().unwrap_or_else(|| "(unknown outlet)".into()));
        }
        if let Some(m) = &g.month {
            key.push(m.clone().unwrap_or_else(|| "(no date)".into()));
        }
        writeln!(
            out,
            "{}: {} articles, {} words{}",
            key.join(" · "),
            g.articles,
            g.words,
            if g.small {
                "  (small group: rates are noise)"
            } else {
                ""
            }
        )?;
        let r = &g.technique_spans;
        writeln!(
            out,
            "  technique spans per 1,000 words: {:.2} [{:.2}, {:.2}] ({} spans)",
            r.rate, r.low, r.high, r.count
        )?;
        let mut ts: Vec<_> = g.techniques.iter().collect();
        ts.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        for (t, r) in ts.iter().take(5) {
            writeln!(
                out,
                "    {t:<40} {:>6.2} [{:.2}, {:.2}] ({})",
                r.rate, r.low, r.high, r.count
            )?;
        }
        let q = &g.quotes;
        writeln!(
            out,
            "  quotes per article: {:.2} [{:.2}, {:.2}] ({} quotes)",
            q.rate, q.low, q.high, q.count
        )?;
        if !g.speakers.is_empty() {
            let s: Vec<String> = g
                .speakers
                .iter()
                .take(5)
                .map(|n| format!("{} ({})", n.text, n.count))
                .collect();
            writeln!(out, "  most quoted: {}", s.join(", "))?;
        }
        for a in g.actors.iter().take(5) {
            let names: Vec<String> = a
                .names
                .iter()
                .take(4)
                .map(|n| format!("{} ({})", n.text, n.count))
                .collect();
            let desc: Vec<String> = a
                .descriptors
                .iter()
                .take(3)
                .map(|n| format!("{} ({})", n.text, n.count))
                .collect();
            writeln!(
                out,
                "  {} — {} mentions: {}{}",
                a.actor,
                a.mentions,
                names.join(", "),
                if desc.is_empty() {
                    String::new()
                } else {
                    format!("; described as {}", desc.join(", "))
                }
            )?;
        }
        for c in g.claims.iter().take(3) {
            writeln!(
                out,
                "  claim {:.0}%: {}",
                c.score * 100.0,
                clip(&c.text, 100)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `unspin export`.
pub fn export(args: &ExportArgs, quiet: bool) -> io::Result<ExitCode> {
    use unspin_store::export::{Format, Table, writer};
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Parquet => Format::Parquet,
    };
    if !format.available() {
        return Err(io::Error::other(
            "--format parquet: this unspin was built without Parquet (cargo feature `parquet`)",
        ));
    }
    let tables: Vec<Table> = if args.table.is_empty() {
        Table::ALL.to_vec()
    } else {
        args.table
            .iter()
            .map(|t| {
                Table::parse(t.trim()).ok_or_else(|| {
                    let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                    io::Error::other(format!(
                        "--table {t}: no such table (expected one of {})",
                        names.join(", ")
                    ))
                })
            })
            .collect::<io::Result<_>>()?
    };
    let to_stdout = args.out.is_none();
    if to_stdout {
        if tables.len() != 1 {
            return Err(io::Error::other(
                "give --out DIR to export several tables (or one --table to standard output)",
            ));
        }
        if format == Format::Parquet && io::stdout().is_terminal() {
            return Err(io::Error::other(
                "Parquet is binary: give --out DIR or redirect standard output to a file",
            ));
        }
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| io::Error::other(format!("{}: {e}", dir.display())))?;
    }
    let store = open_existing(&args.db)?;
    let mut written: Vec<String> = Vec::new();
    let summary = unspin_store::export::export(store.as_ref(), &tables, |table| {
        let (out, path): (Box<dyn Write + Send>, String) = match &args.out {
            None => (Box::new(io::stdout()), "-".to_owned()),
            Some(dir) => {
                let path = dir.join(format!("{}.{}", table.name(), format.extension()));
                let shown = path.display().to_string();
                let file = std::fs::File::create(&path).map_err(|e| {
                    unspin_store::export::ExportError::Write {
                        path: shown.clone(),
                        message: e.to_string(),
                    }
                })?;
                (Box::new(io::BufWriter::new(file)), shown)
            }
        };
        written.push(path.clone());
        writer(format, table, out, &path)
    })
    .map_err(io::Error::other)?;
    if !quiet {
        let rows: Vec<String> = summary
            .rows
            .iter()
            .map(|(t, n)| format!("{} {n}", t.name()))
            .collect();
        eprintln!(
            "unspin: exported {} documents ({} rows){}",
            summary.documents,
            rows.join(", "),
            if to_stdout {
                String::new()
            } else {
                format!(" to {}", written.join(", "))
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `unspin search`.
pub fn search(args: &SearchArgs) -> io::Result<ExitCode> {
    let store = open_existing(&args.db)?;
    let q = SearchQuery {
        text: args.query.clone(),
        technique: args.technique.clone(),
        outlet: args.outlet.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        actor: args.actor.clone(),
        speaker: args.speaker.clone(),
        limit: if args.story.is_some() {
            None
        } else {
            args.limit
        },
    };
    let mut hits = store.search(&q).map_err(io::Error::other)?;
    if let Some(story) = &args.story {
        hits = crate::stories::in_story(store.as_ref(), story, hits, args.limit)?;
    }
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
