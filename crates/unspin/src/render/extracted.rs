//! Output of `unspin extract`: a document's extracted text and metadata.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::document::Document;

/// The extracted text and metadata of one document, as `unspin extract --format jsonl`
/// writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedRecord {
    /// The input as found: a path, a URL, `dump.jsonl:17`, `crawl.warc.gz#12`.
    pub input: String,
    /// Article title.
    pub title: Option<String>,
    /// Main text, one paragraph per line.
    pub text: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Publication date as given by the page.
    pub published: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// The article URL.
    pub url: Option<String>,
    /// Language code (`en`, `ru`, … or `und`).
    pub language: String,
}

impl From<&Document> for ExtractedRecord {
    fn from(doc: &Document) -> Self {
        let s = &doc.source;
        ExtractedRecord {
            input: s.input.clone(),
            title: s.title.clone(),
            text: doc.text().to_owned(),
            authors: s.authors.clone(),
            published: s.published.clone(),
            site: s.site.clone(),
            url: s.url.clone(),
            language: s.language.clone(),
        }
    }
}

impl ExtractedRecord {
    /// Writes the record for a person: a metadata header, a rule, then the text.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# {}", self.title.as_deref().unwrap_or("(untitled)"))?;
        writeln!(out, "input:     {}", self.input)?;
        let fields = [
            ("url", self.url.clone()),
            ("site", self.site.clone()),
            ("published", self.published.clone()),
            (
                "authors",
                (!self.authors.is_empty()).then(|| self.authors.join("; ")),
            ),
            ("language", Some(self.language.clone())),
        ];
        for (name, value) in fields {
            if let Some(v) = value {
                writeln!(out, "{:<10} {v}", format!("{name}:"))?;
            }
        }
        writeln!(out)?;
        writeln!(out, "{}", self.text.trim_end())?;
        writeln!(out)
    }
}
