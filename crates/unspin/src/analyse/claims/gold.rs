//! The claims evaluation set: annotated documents in JSONL (see `evalsets/claims/README.md`)
//! and the offsets-only annotation of a text kept elsewhere.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::ClaimKind;

/// Why a clause is not check-worthy (gold label 0), for the hard cases worth naming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativeCase {
    /// A value judgement.
    Opinion,
    /// A rhetorical question.
    Question,
    /// Hedged speculation ("may", "could perhaps", "probably").
    Hedge,
    /// A numeric opinion or idiom ("a hundred reasons to doubt").
    Idiom,
    /// Sarcasm.
    Sarcasm,
    /// A call to action.
    Call,
}

/// One annotated clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldClause {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The clause text (absent in offsets-only files).
    #[serde(default)]
    pub text: Option<String>,
    /// 2 clearly check-worthy, 1 borderline, 0 not.
    pub label: u8,
    /// Kind of claim, for labels 1 and 2.
    pub kind: Option<ClaimKind>,
    /// Hard case, for label 0.
    pub case: Option<NegativeCase>,
}

impl GoldClause {
    /// True for clauses that count as relevant in strict precision and recall (label 2).
    pub fn is_relevant(&self) -> bool {
        self.label == 2
    }
}

/// One annotated document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldDoc {
    /// Identifier, unique within its file.
    pub id: String,
    /// `article` or `passage`.
    pub genre: String,
    /// What the document is about (offsets-only files: absent).
    #[serde(default)]
    pub topic: String,
    /// The document text (offsets-only files: read from `source`).
    #[serde(default)]
    pub text: String,
    /// Annotated clauses in text order.
    pub claims: Vec<GoldClause>,
    /// Offsets-only files: path of the text, relative to the annotation file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Offsets-only files: SHA-256 (hex) of the text as UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl GoldDoc {
    /// True for multi-paragraph articles (as opposed to short passages).
    pub fn is_article(&self) -> bool {
        self.genre == "article"
    }
}

/// Why an evaluation file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line or file is not valid annotation JSON.
    #[error("{path}:{line}: not a claims annotation: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line (1 for a whole-file JSON document).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An annotation does not fit its text.
    #[error("{path}: document {id}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The document.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads a JSONL file of annotated documents and checks every annotation against its text.
pub fn load_jsonl(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    let raw = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut docs = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: GoldDoc = serde_json::from_str(line).map_err(|e| GoldError::Parse {
            path: path.to_owned(),
            line: i + 1,
            message: e.to_string(),
        })?;
        validate(&doc).map_err(|message| GoldError::Invalid {
            path: path.to_owned(),
            id: doc.id.clone(),
            message,
        })?;
        docs.push(doc);
    }
    Ok(docs)
}

/// An offsets-only annotation file whose text lives elsewhere (e.g. in `../shared`).
#[derive(Debug, Clone)]
pub struct OffsetsOnly {
    /// The annotation, with an empty `text`.
    pub doc: GoldDoc,
    /// Where the text should be: `source` resolved against the annotation file's folder.
    pub text_path: PathBuf,
}

/// Reads an offsets-only annotation (one JSON document) and resolves its `source` against
/// the folder holding it.
pub fn load_offsets_only(path: &Path) -> Result<OffsetsOnly, GoldError> {
    let raw = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: path.to_owned(),
        source,
    })?;
    let doc: GoldDoc = serde_json::from_str(&raw).map_err(|e| GoldError::Parse {
        path: path.to_owned(),
        line: 1,
        message: e.to_string(),
    })?;
    let Some(source) = doc.source.clone() else {
        return Err(GoldError::Invalid {
            path: path.to_owned(),
            id: doc.id,
            message: "an offsets-only file needs a `source` path".into(),
        });
    };
    Ok(OffsetsOnly {
        text_path: path.parent().unwrap_or(Path::new(".")).join(source),
        doc,
    })
}

impl OffsetsOnly {
    /// Reads the text from [`text_path`](Self::text_path) and checks the annotation against
    /// it; `Ok(None)` when the text file is absent (the shared data is not beside the
    /// repository), an error naming the file when it cannot be used.
    pub fn read(self) -> Result<Option<GoldDoc>, String> {
        match std::fs::read_to_string(&self.text_path) {
            Ok(text) => self.with_text(text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", self.text_path.display())),
        }
    }

    /// Fills in the text (which must have the recorded SHA-256) and checks every annotation.
    pub fn with_text(mut self, text: String) -> Result<GoldDoc, String> {
        let sha = crate::pipeline::hex_sha256(text.as_bytes());
        if let Some(want) = &self.doc.sha256
            && *want != sha
        {
            return Err(format!(
                "{}: the text has SHA-256 {sha}, the annotation was made on {want}",
                self.text_path.display()
            ));
        }
        self.doc.text = text;
        let chars: Vec<char> = self.doc.text.chars().collect();
        for c in &mut self.doc.claims {
            if c.end <= chars.len() {
                c.text = Some(chars[c.start.min(c.end)..c.end].iter().collect());
            }
        }
        validate(&self.doc)?;
        Ok(self.doc)
    }
}

/// Checks a document's annotations: offsets inside the text and matching `text`, no edge
/// whitespace, no overlaps, in order, a kind for labels 1–2 and no kind for label 0.
pub fn validate(doc: &GoldDoc) -> Result<(), String> {
    let chars: Vec<char> = doc.text.chars().collect();
    let mut prev_end = 0;
    for c in &doc.claims {
        let at = format!("clause {}..{}", c.start, c.end);
        if c.start >= c.end || c.end > chars.len() {
            return Err(format!(
                "{at}: outside the text ({} code points)",
                chars.len()
            ));
        }
        if c.start < prev_end {
            return Err(format!("{at}: overlaps or precedes the clause before it"));
        }
        prev_end = c.end;
        let covered: String = chars[c.start..c.end].iter().collect();
        if let Some(t) = &c.text
            && *t != covered
        {
            return Err(format!(
                "{at}: text {t:?} but the offsets cover {covered:?}"
            ));
        }
        if covered.trim() != covered {
            return Err(format!("{at}: starts or ends with whitespace"));
        }
        let word = |i: usize| chars.get(i).is_some_and(|ch| ch.is_alphanumeric());
        if (c.start > 0 && word(c.start - 1) && word(c.start)) || (word(c.end - 1) && word(c.end)) {
            return Err(format!("{at}: cuts a word"));
        }
        match (c.label, c.kind, c.case) {
            (1 | 2, Some(_), None) | (0, None, Some(_)) => {}
            (l, ..) if l > 2 => return Err(format!("{at}: label {l} (expected 0, 1 or 2)")),
            _ => {
                return Err(format!(
                    "{at}: labels 1 and 2 need a `kind` and no `case`; label 0 needs a `case` and no `kind`"
                ));
            }
        }
    }
    Ok(())
}
