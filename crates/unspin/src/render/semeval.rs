//! The SemEval-2020 Task 11 full-task format for one analysed document:
//! `ID<TAB>technique<TAB>start<TAB>end` (code points, end exclusive), as `unspin predict
//! --format semeval-flc` writes for a folder.

use std::io::{self, Write};
use std::path::Path;

use super::Render;
use crate::analyse::techniques::data::semeval::{FlcRow, article_id, write_flc};
use crate::analysis::Analysis;
use crate::document::Source;

/// Writes an analysis's technique spans as SemEval-2020 Task 11 FLC rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct SemevalFlc;

/// The id written for a document: the `<ID>` of an `article<ID>.txt` input, else the
/// input's file stem, else the container's id, else `-`; whitespace becomes `_` so that the
/// row keeps its four columns.
pub fn flc_id(source: &Source) -> String {
    let input = source.input.as_str();
    let name = Path::new(input).file_name().and_then(|n| n.to_str());
    let id = match name.and_then(article_id) {
        Some(id) => id.to_owned(),
        None => {
            let looks_like_file = !input.contains("://") && !input.contains(['#', ':']);
            let stem = Path::new(input).file_stem().and_then(|s| s.to_str());
            match (looks_like_file, stem, &source.id) {
                (true, Some(stem), _) if input != "-" => stem.to_owned(),
                (_, _, Some(id)) => id.clone(),
                _ => input.to_owned(),
            }
        }
    };
    id.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

impl Render for SemevalFlc {
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()> {
        let id = flc_id(&analysis.source);
        let rows: Vec<FlcRow> = analysis
            .techniques
            .iter()
            .map(|t| FlcRow {
                id: id.clone(),
                technique: t.technique,
                start: t.start,
                end: t.end,
            })
            .collect();
        write_flc(out, &rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(input: &str, container: Option<&str>) -> String {
        flc_id(&Source {
            input: input.into(),
            id: container.map(str::to_owned),
            ..Source::default()
        })
    }

    #[test]
    fn seed_rows() {
        let Some(a) = crate::render::test_support::seed() else {
            return;
        };
        let mut out = Vec::new();
        SemevalFlc.render(&a, &mut out).unwrap();
        let rows = crate::analyse::techniques::data::semeval::parse_flc(
            std::str::from_utf8(&out).unwrap(),
            "out",
        )
        .unwrap();
        assert_eq!(rows.len(), a.techniques.len());
        for (r, t) in rows.iter().zip(&a.techniques) {
            assert_eq!(r.id, "victory-plan-rt");
            assert_eq!((r.technique, r.start, r.end), (t.technique, t.start, t.end));
        }
    }

    #[test]
    fn ids() {
        assert_eq!(id("data/articles/article111111112.txt", None), "111111112");
        assert_eq!(id("/tmp/my story.html", None), "my_story");
        assert_eq!(id("dump.jsonl:17", Some("doc 9")), "doc_9");
        assert_eq!(id("-", None), "-");
        assert_eq!(id("https://example.org/x", None), "https://example.org/x");
    }
}
