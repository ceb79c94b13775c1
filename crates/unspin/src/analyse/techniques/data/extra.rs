//! Training-only labelled sets in other schemes or of other text types, read as
//! [`Article`]s so that they can join any fold's training side.
//!
//! Two layouts are read, told apart by what the path is:
//! - a folder in the PTC layout (`articles/`, `techniques.tsv` with the 14 labels,
//!   optional `spans.tsv` holding every persuasive span whatever its technique), such as
//!   the CheckThat! 2024 articles mapped to the 14 techniques;
//! - a JSON Lines file of short texts, one `{"id", "text", "spans": [{"start", "end",
//!   "technique14"}]}` a line, such as the SemEval-2021 meme texts. A span whose
//!   `technique14` is null (a technique with no 14-class counterpart) still marks a
//!   persuasive passage for span identification, so it joins `si_spans` but not `spans`.
//!
//! Article ids get a prefix naming the set (`<set>:<id>`), so they never collide with the
//! corpus the model is evaluated on.

use std::path::Path;

use serde::Deserialize;

use crate::analyse::techniques::data::corpus::{
    Article, Corpus, CorpusError, GoldSpan, LoadOptions, OutOfRangePolicy,
};
use crate::analyse::techniques::eval::metrics::Span;
use crate::analysis::Technique;

/// Reads a training-only set from `path`: a PTC-layout folder or a JSON Lines file (see
/// the module docs). Label rows past the end of their article are clamped or dropped, as
/// for the main corpus.
pub fn load(path: &Path) -> Result<Vec<Article>, CorpusError> {
    let set = path
        .file_stem()
        .map_or_else(|| "extra".to_owned(), |s| s.to_string_lossy().into_owned());
    let mut articles = if path.is_dir() {
        Corpus::load_with(
            path,
            LoadOptions {
                out_of_range: OutOfRangePolicy::Clamp,
            },
        )?
        .articles
    } else {
        load_jsonl(path)?
    };
    for a in &mut articles {
        a.id = format!("{set}:{}", a.id);
    }
    Ok(articles)
}

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    split: Option<String>,
    text: String,
    #[serde(default)]
    spans: Vec<RecordSpan>,
}

#[derive(Deserialize)]
struct RecordSpan {
    start: usize,
    end: usize,
    #[serde(default)]
    technique14: Option<String>,
}

/// Reads a JSON Lines set of short texts with technique spans.
fn load_jsonl(path: &Path) -> Result<Vec<Article>, CorpusError> {
    let io_err = |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    };
    let input = std::fs::read_to_string(path).map_err(io_err)?;
    let mut out = Vec::new();
    for (n, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: String| {
            io_err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {}: {why}", n + 1),
            ))
        };
        let r: Record = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let len = r.text.chars().count();
        let mut spans = Vec::new();
        let mut si = Vec::new();
        for s in &r.spans {
            if s.start >= s.end || s.end > len {
                return Err(bad(format!(
                    "span {}..{} of {:?} does not fit its text ({len} code points)",
                    s.start, s.end, r.id
                )));
            }
            si.push(Span::new(s.start, s.end));
            if let Some(name) = &s.technique14 {
                let technique: Technique = name
                    .parse()
                    .map_err(|_| bad(format!("unknown technique {name:?}")))?;
                spans.push(GoldSpan {
                    start: s.start,
                    end: s.end,
                    technique,
                });
            }
        }
        spans.sort();
        spans.dedup();
        si.sort();
        si.dedup();
        // The same id can occur in two splits of one set.
        let id = match &r.split {
            Some(split) => format!("{}-{split}", r.id),
            None => r.id,
        };
        out.push(Article {
            id,
            text: r.text,
            spans,
            si_spans: Some(si),
        });
    }
    if out.is_empty() {
        return Err(io_err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "no records",
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_texts_with_unmapped_spans() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("memes.jsonl");
        std::fs::write(
            &p,
            concat!(
                r#"{"id":"1","split":"train","text":"ONLY TWO CHOICES, NO ÉXCUSES","spans":[{"start":0,"end":16,"technique14":"Black-and-White_Fallacy"},{"start":18,"end":28,"technique14":null}]}"#,
                "\n",
                r#"{"id":"1","split":"test","text":"plain","spans":[]}"#,
                "\n"
            ),
        )
        .unwrap();
        let a = load(&p).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].id, "memes:1-train");
        assert_eq!(a[1].id, "memes:1-test");
        assert_eq!(a[0].spans.len(), 1);
        assert_eq!(a[0].spans[0].technique, Technique::BlackAndWhiteFallacy);
        assert_eq!(
            a[0].si_spans,
            Some(vec![Span::new(0, 16), Span::new(18, 28)])
        );
        assert_eq!(a[0].slice(18, 28), Some("NO ÉXCUSES"));
    }

    #[test]
    fn rejects_spans_past_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.jsonl");
        std::fs::write(
            &p,
            r#"{"id":"1","text":"abc","spans":[{"start":0,"end":9}]}"#,
        )
        .unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("0..9"), "{e}");
    }

    #[test]
    fn reads_shared_sets() {
        let root =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/persuasion-extra");
        if !root.is_dir() {
            eprintln!("skipped: {} is absent", root.display());
            return;
        }
        let memes = load(&root.join("memes-2021/memes.jsonl")).unwrap();
        assert_eq!(memes.len(), 951);
        let news = load(&root.join("checkthat24-en")).unwrap();
        assert_eq!(news.len(), 98);
        assert!(news.iter().all(|a| a.id.starts_with("checkthat24-en:")));
        let rows: usize = news.iter().map(|a| a.spans.len()).sum();
        assert_eq!(rows, 2020);
    }
}
