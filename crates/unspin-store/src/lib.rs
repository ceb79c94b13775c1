//! unspin pipeline stage: store.
//!
//! Keeps the analyses of a corpus in a database that can be queried: every document with
//! its source metadata, text and analysis JSON, and its findings in tables of their own
//! (technique spans, quotes with speakers, actors with their names and descriptors,
//! claims). A document is keyed by its input (the path, or JSONL line, or WARC record it
//! was read from) and the SHA-256 of its content, so a rerun over an unchanged corpus
//! skips every document it already holds.
//!
//! [`Store`] is the storage trait; [`sqlite::SqliteStore`] is the embedded default (one
//! file, nothing to install) and [`postgres::PostgresStore`] the server one, which also
//! offers a [`WorkQueue`] so that several indexing processes can share one corpus. Writes
//! are transactions: a killed run leaves either a whole document or none of it.

#![deny(missing_docs)]

use std::collections::HashMap;

use serde::Serialize;
use thiserror::Error;
use unspin::Analysis;

pub mod export;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod postgres;
pub mod rows;
pub mod sqlite;
pub mod stats;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Why the store failed. `Display` is one line naming the database.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("{db}: {message}")]
    Database {
        /// The database as given (a URL without its password).
        db: String,
        /// What went wrong.
        message: String,
    },
    /// The database was written by a newer unspin.
    #[error(
        "{db}: store schema version {found} is newer than this unspin's ({supported}); upgrade unspin"
    )]
    TooNew {
        /// The database as given (a URL without its password).
        db: String,
        /// Version found.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
}

/// What the store knows of one input, to decide whether to analyse it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// SHA-256 of the content stored for it.
    pub content_sha256: String,
    /// The model versions its analysis was made with ([`models_key`]).
    pub models: String,
}

/// One analysed document to store.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// The input it was read from (`path`, `dump.jsonl:17`, `crawl.warc.gz#3`).
    pub input: String,
    /// SHA-256 of the content as read (before extraction), hex.
    pub content_sha256: String,
    /// Its analysis.
    pub analysis: Analysis,
}

/// A search: full-text query plus filters; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Full-text query (words, "phrases", OR, NOT, prefix*); empty: every document.
    pub text: String,
    /// Only documents with a span of this technique (its code, e.g. `Name_Calling,Labeling`).
    pub technique: Option<String>,
    /// Only documents of this outlet (site).
    pub outlet: Option<String>,
    /// Only documents published on or after this date (`YYYY-MM-DD` or a prefix).
    pub since: Option<String>,
    /// Only documents published before the end of this date (`YYYY-MM-DD` or a prefix).
    pub until: Option<String>,
    /// Only documents where this actor appears under any of its names.
    pub actor: Option<String>,
    /// Only documents quoting this speaker.
    pub speaker: Option<String>,
    /// At most this many results (None: all).
    pub limit: Option<usize>,
}

/// One finding of a search hit that matches its filters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `technique`, `quote`, `actor` or `claim`.
    pub kind: String,
    /// First code point in the document text.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The passage.
    pub text: String,
    /// The technique, speaker or actor name it is about.
    pub label: String,
}

/// One document found by a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The input it was read from.
    pub input: String,
    /// Its id in the store.
    pub id: i64,
    /// URL, when known.
    pub url: Option<String>,
    /// Title, when known.
    pub title: Option<String>,
    /// Outlet (site), when known.
    pub outlet: Option<String>,
    /// Publication date, when known.
    pub published: Option<String>,
    /// A passage around the first match of the text query (or the text's opening).
    pub snippet: String,
    /// Findings matching the technique, actor and speaker filters.
    pub findings: Vec<Finding>,
}

/// Counts of what a store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Stored documents.
    pub documents: usize,
    /// Inputs recorded as failed.
    pub errors: usize,
}

/// A stored document: its identity in the store and its analysis.
#[derive(Debug, Clone)]
pub struct StoredAnalysis {
    /// Its id in the store.
    pub id: i64,
    /// The input it was read from.
    pub input: String,
    /// SHA-256 of the content as read, hex.
    pub content_sha256: String,
    /// The model versions its analysis was made with ([`models_key`]).
    pub models: String,
    /// Its analysis, as stored.
    pub analysis: Analysis,
}

/// One story as `unspin stories --db` stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRow {
    /// Its id (`s1`, `s2`, …).
    pub story: String,
    /// Its label.
    pub label: String,
    /// Articles that are not copies.
    pub size: usize,
    /// The story as JSON (outlets, dates, members, why).
    pub json: String,
}

/// A store of analysed documents.
pub trait Store: Send {
    /// What the store holds for each input (to skip unchanged documents).
    fn known(&self) -> Result<HashMap<String, Known>, StoreError>;
    /// Stores documents in one transaction, replacing any earlier version of the same
    /// input, and clears their inputs' error records.
    fn put(&mut self, docs: &[StoredDocument]) -> Result<(), StoreError>;
    /// Records that an input could not be read or analysed, and why.
    fn put_error(&mut self, input: &str, reason: &str) -> Result<(), StoreError>;
    /// Finds documents.
    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError>;
    /// Counts what is stored.
    fn counts(&self) -> Result<Counts, StoreError>;
    /// Every stored document's id and input, in no particular order.
    fn documents(&self) -> Result<Vec<(i64, String)>, StoreError>;
    /// The stored document `id` (None: no such document).
    fn analysis(&self, id: i64) -> Result<Option<StoredAnalysis>, StoreError>;
    /// The counts per (outlet, month) cell that [`stats::compute`] turns into statistics.
    fn cells(&self) -> Result<stats::Cells, StoreError>;
    /// Replaces the store's stories (from `unspin stories --db`): every story, and each
    /// member document's story id and the document it is a copy of. Documents not in
    /// `members` are left without a story.
    fn put_stories(
        &mut self,
        stories: &[StoryRow],
        members: &[(i64, String, Option<i64>)],
    ) -> Result<(), StoreError>;
    /// The ids of the documents of a story, in id order; None when no such story is stored.
    fn story_documents(&self, story: &str) -> Result<Option<Vec<i64>>, StoreError>;
    /// The documents of a story that are copies, each with the document it copies; None
    /// when no such story is stored. A backend that does not record copies says none is.
    fn story_copies(&self, story: &str) -> Result<Option<Vec<(i64, i64)>>, StoreError> {
        Ok(self.story_documents(story)?.map(|_| Vec::new()))
    }
    /// The store's work queue, when it has one (several indexing processes sharing one
    /// corpus); None for a store that one process fills alone.
    fn work_queue(&mut self) -> Option<&mut dyn WorkQueue> {
        None
    }
}

/// A document waiting in a [`WorkQueue`]: everything a worker needs to analyse it without
/// the original files.
#[derive(Debug, Clone)]
pub struct QueuedDocument {
    /// The document as read (input, id, URL, format, text, charset, container metadata).
    pub raw: unspin::ingest::RawDocument,
    /// SHA-256 of `raw.text`, hex ([`content_sha256`]).
    pub content_sha256: String,
    /// How often it has been claimed, this claim included (0 before any claim).
    pub attempts: u32,
}

/// What is left in a [`WorkQueue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueState {
    /// Documents not finished yet (waiting, or claimed by a worker).
    pub unfinished: usize,
    /// Of those, the ones under a live lease (a worker is on them).
    pub leased: usize,
}

/// A queue of documents to analyse that several workers (processes, on one machine or
/// several) share: each input is enqueued once, a worker claims a batch under a lease,
/// analyses it and finishes it in one transaction; a batch whose lease runs out (its
/// worker died) is claimed again by another worker.
pub trait WorkQueue {
    /// Adds documents to the queue. An input already queued is left alone unless its
    /// content changed (then it is queued again, and a claim on the old content is void),
    /// it failed before this store was opened (tried again), or `reanalyse` is set and it
    /// was finished with other models than `models`. Returns how many were (re)queued.
    fn enqueue(
        &mut self,
        docs: &[QueuedDocument],
        models: &str,
        reanalyse: bool,
    ) -> Result<usize, StoreError>;
    /// Claims up to `n` unfinished documents whose lease is free or ran out, in queue order,
    /// for `lease` under the id `claim` (unique per claim).
    fn claim(
        &mut self,
        claim: &str,
        n: usize,
        lease: std::time::Duration,
    ) -> Result<Vec<QueuedDocument>, StoreError>;
    /// Extends the lease of every unfinished document of `claim`; returns how many it holds.
    fn renew(&mut self, claim: &str, lease: std::time::Duration) -> Result<usize, StoreError>;
    /// In one transaction: marks the documents and failed inputs of `claim` finished, stores
    /// the documents and records the failures (`(input, reason)`), for the inputs the claim
    /// still holds only (another worker may have taken over an expired lease, or the
    /// content may have changed). Returns the inputs it finished.
    fn finish(
        &mut self,
        claim: &str,
        docs: &[StoredDocument],
        errors: &[(String, String)],
        models: &str,
    ) -> Result<Vec<String>, StoreError>;
    /// How many documents are unfinished, and how many of those are leased.
    fn state(&mut self) -> Result<QueueState, StoreError>;
}

/// The model versions of an analysis as one comparable string
/// (`name version sha256-prefix; …`, sorted).
pub fn models_key(models: &[unspin::analysis::ModelInfo]) -> String {
    let mut v: Vec<String> = models
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                m.name,
                m.version,
                &m.sha256[..m.sha256.len().min(12)]
            )
        })
        .collect();
    v.sort();
    v.join("; ")
}

/// SHA-256 of content, hex.
pub fn content_sha256(content: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(content.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Opens the store named by `db`: a `postgres://` or `postgresql://` URL for PostgreSQL
/// (the database must exist; its tables are created when absent), else a file path for
/// SQLite (created when absent).
pub fn open(db: &str) -> Result<Box<dyn Store>, StoreError> {
    if postgres::is_postgres_url(db) {
        return Ok(Box::new(PostgresStore::open(db)?));
    }
    Ok(Box::new(SqliteStore::open(db)?))
}
