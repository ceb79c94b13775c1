//! `unspin export`: the store's findings as flat tables (CSV, or Parquet with the `parquet`
//! feature) for pandas, Polars, DuckDB or R.
//!
//! Every row starts with the document's `input`, `content_sha256` and `models`, so a figure
//! computed from the tables can be traced to the exact content and model versions it came
//! from. Rows are made in Rust from each stored analysis ([`crate::rows::rows`]), documents
//! in the byte order of their inputs and findings in the analysis' order, so the same stored
//! corpus exports byte-identical files whichever backend holds it.

use std::io::Write;

use thiserror::Error;

use crate::rows::{Rows, rows};
use crate::{Store, StoreError, StoredAnalysis};

/// Why an export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing a table failed.
    #[error("{path}: {message}")]
    Write {
        /// The file (or `-` for standard output).
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// One exported table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// One row per document: source metadata and word count.
    Documents,
    /// One row per technique span.
    Techniques,
    /// One row per quote.
    Quotes,
    /// One row per actor of a document.
    Actors,
    /// One row per name or descriptor an actor goes by in a document, with its count.
    ActorNames,
    /// One row per mention of an actor.
    Mentions,
    /// One row per claim.
    Claims,
}

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text, never missing.
    Text,
    /// Text that may be missing.
    OptionalText,
    /// A whole number (offsets, counts).
    Int,
    /// A score or confidence in [0, 1].
    Float,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A missing value (only in [`ColumnType::OptionalText`] columns).
    Null,
    /// A whole number.
    Int(i64),
    /// A score.
    Float(f32),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Text(s.clone())
    }
}

impl From<&Option<String>> for Value {
    fn from(s: &Option<String>) -> Self {
        s.as_ref().map_or(Value::Null, |s| Value::Text(s.clone()))
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Int(n as i64)
    }
}

impl From<f32> for Value {
    fn from(x: f32) -> Self {
        Value::Float(x)
    }
}

/// The columns every table starts with: where the row comes from.
const PROVENANCE: [(&str, ColumnType); 3] = [
    ("input", ColumnType::Text),
    ("content_sha256", ColumnType::Text),
    ("models", ColumnType::Text),
];

impl Table {
    /// Every table, in export order.
    pub const ALL: [Table; 7] = [
        Table::Documents,
        Table::Techniques,
        Table::Quotes,
        Table::Actors,
        Table::ActorNames,
        Table::Mentions,
        Table::Claims,
    ];

    /// The table's name (and file stem).
    pub fn name(self) -> &'static str {
        match self {
            Table::Documents => "documents",
            Table::Techniques => "techniques",
            Table::Quotes => "quotes",
            Table::Actors => "actors",
            Table::ActorNames => "actor_names",
            Table::Mentions => "mentions",
            Table::Claims => "claims",
        }
    }

    /// The table named `name`.
    pub fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Its columns, provenance first.
    pub fn columns(self) -> Vec<(&'static str, ColumnType)> {
        use ColumnType::{Float, Int, OptionalText as Opt, Text};
        let own: &[(&str, ColumnType)] = match self {
            Table::Documents => &[
                ("outlet", Opt),
                ("url", Opt),
                ("title", Opt),
                ("authors", Text),
                ("published", Opt),
                ("month", Opt),
                ("language", Text),
                ("words", Int),
            ],
            Table::Techniques => &[
                ("start", Int),
                ("end", Int),
                ("technique", Text),
                ("confidence", Float),
                ("text", Text),
            ],
            Table::Quotes => &[
                ("start", Int),
                ("end", Int),
                ("speaker", Opt),
                ("actor", Opt),
                ("kind", Text),
                ("text", Text),
            ],
            Table::Actors => &[
                ("actor", Text),
                ("name", Text),
                ("kind", Text),
                ("mentions", Int),
            ],
            Table::ActorNames => &[
                ("actor", Text),
                ("canonical", Text),
                ("name", Text),
                ("role", Text),
                ("count", Int),
            ],
            Table::Mentions => &[
                ("actor", Text),
                ("start", Int),
                ("end", Int),
                ("text", Text),
            ],
            Table::Claims => &[
                ("start", Int),
                ("end", Int),
                ("score", Float),
                ("kind", Text),
                ("speaker", Opt),
                ("text", Text),
            ],
        };
        PROVENANCE.iter().chain(own).copied().collect()
    }

    /// The rows of this table for one stored document, from its flattened analysis `r`
    /// ([`crate::rows::rows`], made once for every table).
    pub fn rows(self, doc: &StoredAnalysis, r: &Rows) -> Vec<Vec<Value>> {
        let head = || -> Vec<Value> {
            vec![
                (&doc.input).into(),
                (&doc.content_sha256).into(),
                (&doc.models).into(),
            ]
        };
        let row = |own: Vec<Value>| -> Vec<Value> {
            let mut v = head();
            v.extend(own);
            v
        };
        match self {
            Table::Documents => {
                let d = &r.document;
                vec![row(vec![
                    (&d.outlet).into(),
                    (&d.url).into(),
                    (&d.title).into(),
                    (&d.authors).into(),
                    (&d.published).into(),
                    (&d.month).into(),
                    (&d.language).into(),
                    d.words.into(),
                ])]
            }
            Table::Techniques => r
                .techniques
                .iter()
                .map(|t| {
                    row(vec![
                        t.start.into(),
                        t.end.into(),
                        (&t.technique).into(),
                        t.confidence.into(),
                        (&t.text).into(),
                    ])
                })
                .collect(),
            Table::Quotes => r
                .quotes
                .iter()
                .map(|q| {
                    row(vec![
                        q.start.into(),
                        q.end.into(),
                        (&q.speaker).into(),
                        (&q.actor).into(),
                        (&q.kind).into(),
                        (&q.text).into(),
                    ])
                })
                .collect(),
            Table::Actors => r
                .actors
                .iter()
                .map(|a| {
                    row(vec![
                        (&a.actor).into(),
                        (&a.name).into(),
                        (&a.kind).into(),
                        a.mentions.into(),
                    ])
                })
                .collect(),
            Table::ActorNames => r
                .actor_names
                .iter()
                .map(|n| {
                    row(vec![
                        (&n.actor).into(),
                        (&n.canonical).into(),
                        (&n.name).into(),
                        n.role.into(),
                        n.count.into(),
                    ])
                })
                .collect(),
            Table::Mentions => r
                .mentions
                .iter()
                .map(|m| {
                    row(vec![
                        (&m.actor).into(),
                        m.start.into(),
                        m.end.into(),
                        (&m.text).into(),
                    ])
                })
                .collect(),
            Table::Claims => r
                .claims
                .iter()
                .map(|c| {
                    row(vec![
                        c.start.into(),
                        c.end.into(),
                        c.score.into(),
                        (&c.kind).into(),
                        (&c.speaker).into(),
                        (&c.text).into(),
                    ])
                })
                .collect(),
        }
    }
}

/// A file format the tables can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header line (RFC 4180 quoting).
    Csv,
    /// Apache Parquet (typed columns, Snappy-compressed); needs the `parquet` feature.
    Parquet,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// Whether this build can write the format.
    pub fn available(self) -> bool {
        match self {
            Format::Csv => true,
            Format::Parquet => cfg!(feature = "parquet"),
        }
    }
}

/// Writes the rows of one table somewhere.
pub trait TableWriter {
    /// Writes one row (its values in [`Table::columns`] order).
    fn row(&mut self, row: &[Value]) -> Result<(), ExportError>;
    /// Finishes the table (flushes, writes footers).
    fn finish(self: Box<Self>) -> Result<(), ExportError>;
}

/// A writer of `table` in `format` to `out`; `path` names it in errors.
pub fn writer(
    format: Format,
    table: Table,
    out: Box<dyn Write + Send>,
    path: &str,
) -> Result<Box<dyn TableWriter>, ExportError> {
    match format {
        Format::Csv => Ok(Box::new(CsvTable::new(table, out, path)?)),
        #[cfg(feature = "parquet")]
        Format::Parquet => Ok(Box::new(crate::parquet::ParquetTable::new(
            table, out, path,
        )?)),
        #[cfg(not(feature = "parquet"))]
        Format::Parquet => Err(ExportError::Write {
            path: path.to_owned(),
            message: "this unspin was built without Parquet (cargo feature `parquet`)".into(),
        }),
    }
}

/// A CSV table.
struct CsvTable {
    out: csv::Writer<Box<dyn Write + Send>>,
    path: String,
}

impl CsvTable {
    fn new(table: Table, out: Box<dyn Write + Send>, path: &str) -> Result<Self, ExportError> {
        let mut t = CsvTable {
            out: csv::Writer::from_writer(out),
            path: path.to_owned(),
        };
        let header: Vec<&str> = table.columns().iter().map(|(n, _)| *n).collect();
        t.out.write_record(&header).map_err(|e| t.fail(e))?;
        Ok(t)
    }

    fn fail(&self, e: impl std::fmt::Display) -> ExportError {
        ExportError::Write {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }
}

impl TableWriter for CsvTable {
    fn row(&mut self, row: &[Value]) -> Result<(), ExportError> {
        let fields = row.iter().map(|v| match v {
            Value::Text(s) => s.clone(),
            Value::Null => String::new(),
            Value::Int(n) => n.to_string(),
            Value::Float(x) => x.to_string(),
        });
        self.out.write_record(fields).map_err(|e| self.fail(e))
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.out.flush().map_err(|e| self.fail(e))
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Documents exported.
    pub documents: usize,
    /// Rows written per table, in the order the tables were asked for.
    pub rows: Vec<(Table, usize)>,
}

/// Writes `tables` of every stored document, one writer per table made by `open`.
/// Documents go in the byte order of their inputs.
pub fn export(
    store: &dyn Store,
    tables: &[Table],
    mut open: impl FnMut(Table) -> Result<Box<dyn TableWriter>, ExportError>,
) -> Result<ExportSummary, ExportError> {
    let mut writers = tables
        .iter()
        .map(|&t| Ok((t, open(t)?, 0usize)))
        .collect::<Result<Vec<_>, ExportError>>()?;
    let mut docs = store.documents()?;
    docs.sort_by(|a, b| a.1.cmp(&b.1));
    let mut exported = 0;
    for (id, _) in &docs {
        // A document replaced since the listing is skipped; the rerun of the export sees it.
        let Some(doc) = store.analysis(*id)? else {
            continue;
        };
        exported += 1;
        let flat = rows(&doc.analysis);
        for (table, w, n) in &mut writers {
            for r in table.rows(&doc, &flat) {
                w.row(&r)?;
                *n += 1;
            }
        }
    }
    let mut summary = ExportSummary {
        documents: exported,
        rows: Vec::new(),
    };
    for (table, w, n) in writers {
        w.finish()?;
        summary.rows.push((table, n));
    }
    Ok(summary)
}
