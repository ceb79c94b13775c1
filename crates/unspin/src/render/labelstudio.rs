//! Label Studio tasks with predictions, so that an annotation team can review and correct
//! the technique spans in Label Studio.
//!
//! One task per document: `{"data": {"text", "meta"}, "predictions": [{"model_version",
//! "score", "result": [...]}]}`, each result a `labels` region on the `text` object.
//! Label Studio's text regions count offsets in the browser's JavaScript strings, that is
//! in UTF-16 code units, so `start` and `end` here are UTF-16 offsets (they differ from the
//! analysis's code points after any character outside the Basic Multilingual Plane, such as
//! an emoji). `docs/reports.md` gives the labelling configuration to import them with.

use std::io::{self, Write};

use serde::Serialize;

use super::Render;
use crate::analysis::Analysis;

/// The `from_name` of every result: the name of the `<Labels>` tag in the labelling config.
pub const FROM_NAME: &str = "label";
/// The `to_name` of every result: the name of the `<Text>` tag in the labelling config.
pub const TO_NAME: &str = "text";

/// Writes one Label Studio task (a JSON object) per analysis; the command line gathers
/// them into the JSON array that Label Studio imports.
#[derive(Debug, Clone, Copy, Default)]
pub struct LabelStudio {
    /// Indent the JSON.
    pub pretty: bool,
}

/// A Label Studio task.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// What the annotator sees.
    pub data: TaskData,
    /// The model's spans, to review.
    pub predictions: Vec<Prediction>,
}

/// The task's data: the text and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct TaskData {
    /// The document text.
    pub text: String,
    /// Source and provenance, shown in Label Studio's data manager.
    pub meta: serde_json::Value,
}

/// One model's predictions for a task.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    /// Model name and version, e.g. `techniques-ptc v2`.
    pub model_version: String,
    /// Mean confidence of the spans (0 when there are none).
    pub score: f32,
    /// The spans.
    pub result: Vec<Region>,
}

/// One labelled text region.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    /// Region id, unique within the task.
    pub id: String,
    /// Name of the `<Labels>` tag ([`FROM_NAME`]).
    pub from_name: &'static str,
    /// Name of the `<Text>` tag ([`TO_NAME`]).
    pub to_name: &'static str,
    /// Always `labels`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Where and what.
    pub value: RegionValue,
    /// Calibrated confidence.
    pub score: f32,
}

/// The offsets, text and label of a region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionValue {
    /// First UTF-16 code unit.
    pub start: usize,
    /// One past the last UTF-16 code unit.
    pub end: usize,
    /// The region's text.
    pub text: String,
    /// The technique, spelled as in the corpus.
    pub labels: Vec<String>,
}

/// Converts code-point offsets of `text` to UTF-16 offsets.
pub struct Utf16Offsets(Vec<usize>);

impl Utf16Offsets {
    /// Maps every code-point offset of `text` (0 to its length) to a UTF-16 offset.
    pub fn new(text: &str) -> Self {
        let mut v = Vec::with_capacity(text.len() + 1);
        let mut units = 0;
        v.push(0);
        for c in text.chars() {
            units += c.len_utf16();
            v.push(units);
        }
        Utf16Offsets(v)
    }

    /// The UTF-16 offset of a code-point offset (clamped to the end of the text).
    pub fn at(&self, code_point: usize) -> usize {
        self.0[code_point.min(self.0.len() - 1)]
    }
}

/// The Label Studio labelling configuration the tasks fit: a `<Labels>` tag named
/// [`FROM_NAME`] with the 14 techniques (spelled as in the corpus, in the report colours)
/// on a `<Text>` tag named [`TO_NAME`].
pub fn labeling_config() -> String {
    let mut xml = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for t in crate::analysis::Technique::ALL {
        let g = super::guide::guide(t);
        xml.push_str(&format!(
            "    <Label value=\"{}\" background=\"{}\"/>\n",
            t.as_str(),
            g.colour
        ));
    }
    xml.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    xml
}

impl LabelStudio {
    /// The task for one analysis.
    pub fn task(analysis: &Analysis) -> Task {
        let utf16 = Utf16Offsets::new(&analysis.text);
        let result: Vec<Region> = analysis
            .techniques
            .iter()
            .enumerate()
            .map(|(i, t)| Region {
                id: format!("t{}", i + 1),
                from_name: FROM_NAME,
                to_name: TO_NAME,
                kind: "labels",
                value: RegionValue {
                    start: utf16.at(t.start),
                    end: utf16.at(t.end),
                    text: t.text.clone(),
                    labels: vec![t.technique.as_str().to_owned()],
                },
                score: t.confidence,
            })
            .collect();
        let score = if result.is_empty() {
            0.0
        } else {
            result.iter().map(|r| r.score).sum::<f32>() / result.len() as f32
        };
        let model_version = analysis
            .provenance
            .models
            .iter()
            .find(|m| m.name.starts_with("techniques"))
            .map_or_else(
                || format!("unspin {}", analysis.provenance.unspin_version),
                |m| format!("{} v{}", m.name, m.version),
            );
        let s = &analysis.source;
        let meta = serde_json::json!({
            "input": s.input,
            "id": s.id,
            "title": s.title,
            "url": s.url,
            "published": s.published,
            "site": s.site,
            "language": s.language,
            "offsets": "utf-16 code units",
            "text_sha256": analysis.provenance.text_sha256,
            "unspin_version": analysis.provenance.unspin_version,
        });
        Task {
            data: TaskData {
                text: analysis.text.clone(),
                meta,
            },
            predictions: vec![Prediction {
                model_version,
                score,
                result,
            }],
        }
    }
}

impl Render for LabelStudio {
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()> {
        let task = LabelStudio::task(analysis);
        if self.pretty {
            serde_json::to_writer_pretty(&mut *out, &task)?;
        } else {
            serde_json::to_writer(&mut *out, &task)?;
        }
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a browser's `text.substring(start, end)` gives.
    fn js_substring(text: &str, start: usize, end: usize) -> String {
        let units: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&units[start..end]).expect("offsets fall between characters")
    }

    #[test]
    fn regions_match_the_text_as_the_browser_counts_it() {
        let mut analyses = vec![crate::render::test_support::mixed()];
        analyses.extend(crate::render::test_support::seed());
        for a in analyses {
            let task = LabelStudio::task(&a);
            assert_eq!(task.data.text, a.text);
            let p = &task.predictions[0];
            assert_eq!(p.result.len(), a.techniques.len());
            for (r, t) in p.result.iter().zip(&a.techniques) {
                assert_eq!(js_substring(&a.text, r.value.start, r.value.end), t.text);
                assert_eq!(r.value.text, t.text);
                assert_eq!(r.value.labels, [t.technique.as_str()]);
                assert_eq!(
                    (r.from_name, r.to_name, r.kind),
                    ("label", "text", "labels")
                );
            }
            let json = serde_json::to_value(&task).unwrap();
            assert!(json["data"]["text"].is_string());
            assert!(json["predictions"][0]["model_version"].is_string());
        }
    }

    #[test]
    fn the_documented_config_is_the_one_the_tasks_fit() {
        let xml = labeling_config();
        assert_eq!(xml.matches("<Label ").count(), 14);
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reports.md");
        let docs = std::fs::read_to_string(docs).expect("docs/reports.md exists");
        assert!(
            docs.contains(&xml),
            "docs/reports.md gives the labelling config"
        );
    }

    #[test]
    fn utf16_offsets() {
        let text = "😀 Привет 中文 𝄞x";
        let u = Utf16Offsets::new(text);
        assert_eq!(u.at(0), 0);
        assert_eq!(u.at(1), 2); // the emoji is two UTF-16 units
        assert_eq!(u.at(2), 3);
        assert_eq!(u.at(12), 13); // after "中文 ", before 𝄞
        assert_eq!(u.at(13), 15);
        assert_eq!(u.at(99), 16);
        let js: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16_lossy(&js[u.at(2)..u.at(8)]), "Привет");
    }
}
