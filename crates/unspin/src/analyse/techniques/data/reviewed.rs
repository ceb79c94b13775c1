//! Reviewed Label Studio tasks as training articles: the import side of
//! `unspin analyze --format labelstudio`.
//!
//! The input is Label Studio's standard JSON export (*Export → JSON*): an array of tasks,
//! each
//!
//! ```json
//! {"id": 17,
//!  "data": {"text": "…", "meta": {"id": "730093263", "input": "articles/article730093263.txt"}},
//!  "annotations": [{"id": 5, "was_cancelled": false, "updated_at": "2026-12-06T10:00:00Z",
//!    "result": [{"id": "t1", "type": "labels", "from_name": "label", "to_name": "text",
//!                "value": {"start": 0, "end": 5, "text": "Crazy", "labels": ["Loaded_Language"]}}]}],
//!  "predictions": [ … ]}
//! ```
//!
//! Each reviewed task becomes an [`Article`] whose spans are the reviewer's final annotation:
//! the `result` of the latest annotation that was not cancelled (latest by `updated_at`,
//! then `created_at`, then annotation `id`, then position). Predictions are ignored — what
//! the reviewer accepted is in the annotation, what they deleted is not. Tasks without a
//! non-cancelled annotation were not reviewed; they are skipped and listed in
//! [`Reviewed::unreviewed`]. Results of other types than `labels` (a comment box, a
//! rating) are ignored. A region with several labels gives one span per label.
//!
//! **Offsets.** Label Studio's Python side (which writes the export) counts text offsets in
//! code points; the browser counts UTF-16 code units, which the renderer writes so the
//! editor shows predictions in the right place. The two agree on text without characters
//! outside the Basic Multilingual Plane. Each region is therefore checked: its `value.text`
//! must equal the code-point slice `start..end` of the text, or else the UTF-16 slice (and
//! the offsets are converted to code points). When neither matches, or the offsets lie
//! outside the text, the import fails naming the file, the task and the region. A region
//! without `value.text` is accepted only where the two counts agree.
//!
//! **Article id**: `data.meta.id` when present (the renderer writes the source's id), else
//! the `<ID>` of an `article<ID>.txt` in `data.meta.input`, else `ls<task id>`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use thiserror::Error;

use crate::analyse::techniques::data::corpus::{Article, GoldSpan};
use crate::analysis::Technique;

/// Why a Label Studio export could not be imported.
#[derive(Debug, Error)]
pub enum ReviewedError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The export file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{}: not JSON: {source}", path.display())]
    Json {
        /// The export file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The JSON is not an array of tasks.
    #[error(
        "{}: not a Label Studio JSON export (expected an array of tasks, found {found})",
        path.display()
    )]
    NotAnExport {
        /// The export file.
        path: PathBuf,
        /// What the top level is.
        found: &'static str,
    },
    /// One task is malformed: wrong shape, offsets outside the text or not matching the
    /// region's text, an unknown label.
    #[error("{}: task {task}: {problem}", path.display())]
    Task {
        /// The export file.
        path: PathBuf,
        /// The task's Label Studio id, or `#<position>` (0-based) when it has none.
        task: String,
        /// What is wrong.
        problem: String,
    },
}

/// The reviewed tasks of one export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reviewed {
    /// One article per reviewed task, in the export's order, spans sorted by (start, end,
    /// technique) without duplicates. `si_spans` is `None`.
    pub articles: Vec<Article>,
    /// Tasks skipped because no annotation was left (none, or all cancelled): their Label
    /// Studio ids (or `#<position>`).
    pub unreviewed: Vec<String>,
    /// How many regions were given in UTF-16 offsets and converted to code points.
    pub utf16_regions: usize,
}

/// Reads and parses the Label Studio JSON export at `path`.
pub fn load(path: &Path) -> Result<Reviewed, ReviewedError> {
    let bytes = std::fs::read(path).map_err(|source| ReviewedError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes, path)
}

/// Parses a Label Studio JSON export; `path` is only used in errors.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Reviewed, ReviewedError> {
    let json: Value = serde_json::from_slice(bytes).map_err(|source| ReviewedError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    let Value::Array(tasks) = json else {
        return Err(ReviewedError::NotAnExport {
            path: path.to_path_buf(),
            found: kind(&json),
        });
    };
    let mut out = Reviewed::default();
    for (i, task) in tasks.iter().enumerate() {
        let task_id = match task.get("id") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => format!("#{i}"),
        };
        let err = |problem: String| ReviewedError::Task {
            path: path.to_path_buf(),
            task: task_id.clone(),
            problem,
        };
        match parse_task(task, &task_id).map_err(err)? {
            Parsed::Article(a, utf16) => {
                out.utf16_regions += utf16;
                out.articles.push(a);
            }
            Parsed::Unreviewed => out.unreviewed.push(task_id.clone()),
        }
    }
    Ok(out)
}

enum Parsed {
    Article(Article, usize),
    Unreviewed,
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_task(task: &Value, task_id: &str) -> Result<Parsed, String> {
    let Value::Object(task) = task else {
        return Err(format!("expected a task object, found {}", kind(task)));
    };
    let data = task
        .get("data")
        .and_then(Value::as_object)
        .ok_or("no \"data\" object")?;
    let text = data
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no \"data.text\" string (the tasks of `unspin analyze --format labelstudio` keep the article there)")?;
    let annotations = match task.get("annotations") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => &a[..],
        Some(v) => return Err(format!("\"annotations\" is {}, not an array", kind(v))),
    };
    // The latest annotation that was not cancelled.
    let mut latest: Option<(AnnotationKey, &serde_json::Map<String, Value>)> = None;
    for (j, a) in annotations.iter().enumerate() {
        let Value::Object(a) = a else {
            return Err(format!("annotation {j} is {}, not an object", kind(a)));
        };
        if a.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let key = AnnotationKey {
            updated: a
                .get("updated_at")
                .and_then(Value::as_str)
                .map(str::to_owned),
            created: a
                .get("created_at")
                .and_then(Value::as_str)
                .map(str::to_owned),
            id: a.get("id").and_then(Value::as_i64),
            position: j,
        };
        if latest.as_ref().is_none_or(|(k, _)| key >= *k) {
            latest = Some((key, a));
        }
    }
    let Some((key, annotation)) = latest else {
        return Ok(Parsed::Unreviewed);
    };
    let which = match key.id {
        Some(id) => format!("annotation {id}"),
        None => format!("annotation {}", key.position),
    };
    let results = match annotation.get("result") {
        Some(Value::Array(r)) => &r[..],
        None | Some(Value::Null) => &[][..],
        Some(v) => return Err(format!("{which}: \"result\" is {}, not an array", kind(v))),
    };
    let offsets = Offsets::new(text);
    let mut spans = Vec::new();
    let mut utf16 = 0;
    for (k, r) in results.iter().enumerate() {
        let region = match r.get("id").and_then(Value::as_str) {
            Some(id) => format!("{which}, region {id}"),
            None => format!("{which}, region {k}"),
        };
        if r.get("type").and_then(Value::as_str) != Some("labels") {
            if r.get("type").is_none() {
                return Err(format!("{region}: no \"type\""));
            }
            continue;
        }
        let value = r
            .get("value")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{region}: no \"value\" object"))?;
        let offset = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_u64)
                .map(|v| v as usize)
                .ok_or_else(|| format!("{region}: \"value.{name}\" is not a non-negative integer"))
        };
        let (start, end) = (offset("start")?, offset("end")?);
        if start >= end {
            return Err(format!("{region}: empty or reversed range {start}..{end}"));
        }
        let shown = match value.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(v) => return Err(format!("{region}: \"value.text\" is {}", kind(v))),
        };
        let (start, end, converted) = offsets
            .resolve(start, end, shown)
            .map_err(|e| format!("{region}: {e}"))?;
        utf16 += usize::from(converted);
        let labels = value
            .get("labels")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{region}: no \"value.labels\" array"))?;
        if labels.is_empty() {
            return Err(format!("{region}: the region has no label"));
        }
        for l in labels {
            let name = l
                .as_str()
                .ok_or_else(|| format!("{region}: a label is {}, not a string", kind(l)))?;
            let technique: Technique = name.parse().map_err(|e| format!("{region}: {e}"))?;
            spans.push(GoldSpan {
                start,
                end,
                technique,
            });
        }
    }
    spans.sort();
    spans.dedup();
    let meta = data.get("meta");
    let id = meta
        .and_then(|m| m.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            let input = meta?.get("input")?.as_str()?;
            let name = input.rsplit(['/', '\\']).next()?;
            let id = name.strip_prefix("article")?.strip_suffix(".txt")?;
            (!id.is_empty()).then(|| id.to_owned())
        })
        .unwrap_or_else(|| format!("ls{}", task_id.trim_start_matches('#')));
    Ok(Parsed::Article(
        Article {
            id,
            text: text.to_owned(),
            spans,
            si_spans: None,
        },
        utf16,
    ))
}

/// An article of the training data replaced by a reviewed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The id of the article that was in the training data.
    pub old_id: String,
    /// The id of the reviewed article that took its place.
    pub new_id: String,
    /// Whether the two texts are identical (otherwise only the ids matched).
    pub same_text: bool,
}

/// Adds `reviewed` articles to `articles`: a reviewed article whose id or text equals one
/// already there replaces it in place (the reviewer's version wins); the others are
/// appended. Returns the replacements, in order.
pub fn merge_into(articles: &mut Vec<Article>, reviewed: Vec<Article>) -> Vec<Replaced> {
    let mut replaced = Vec::new();
    for r in reviewed {
        match articles
            .iter()
            .position(|a| a.id == r.id || a.text == r.text)
        {
            Some(i) => {
                replaced.push(Replaced {
                    old_id: articles[i].id.clone(),
                    new_id: r.id.clone(),
                    same_text: articles[i].text == r.text,
                });
                articles[i] = r;
            }
            None => articles.push(r),
        }
    }
    replaced
}

/// Orders annotations: the greatest is the latest.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct AnnotationKey {
    updated: Option<String>,
    created: Option<String>,
    id: Option<i64>,
    position: usize,
}

/// Byte offsets of every code point and of every UTF-16 unit boundary of a text.
struct Offsets<'a> {
    text: &'a str,
    /// Byte offset of code point `i` (and the text length at the end).
    cp_bytes: Vec<usize>,
    /// For UTF-16 offset `u`: the code-point offset, or `None` inside a surrogate pair.
    utf16_cp: Vec<Option<usize>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let mut cp_bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        cp_bytes.push(text.len());
        let mut utf16_cp = vec![Some(0)];
        for (i, c) in text.chars().enumerate() {
            if c.len_utf16() == 2 {
                utf16_cp.push(None);
            }
            utf16_cp.push(Some(i + 1));
        }
        Offsets {
            text,
            cp_bytes,
            utf16_cp,
        }
    }

    fn cp_slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let (s, e) = (*self.cp_bytes.get(start)?, *self.cp_bytes.get(end)?);
        Some(&self.text[s..e])
    }

    /// Code-point offsets of a region given as `start..end` with text `shown`, and whether
    /// they were converted from UTF-16.
    fn resolve(
        &self,
        start: usize,
        end: usize,
        shown: Option<&str>,
    ) -> Result<(usize, usize, bool), String> {
        let cp_len = self.cp_bytes.len() - 1;
        let utf16_len = self.utf16_cp.len() - 1;
        let as_cp = self.cp_slice(start, end);
        let from_utf16 = match (self.utf16_cp.get(start), self.utf16_cp.get(end)) {
            (Some(&Some(s)), Some(&Some(e))) => Some((s, e)),
            _ => None,
        };
        let as_utf16 = from_utf16.and_then(|(s, e)| self.cp_slice(s, e));
        if as_cp.is_none() && as_utf16.is_none() {
            return Err(format!(
                "offsets {start}..{end} lie outside the text ({cp_len} code points, {utf16_len} UTF-16 units)"
            ));
        }
        match shown {
            Some(shown) => {
                if as_cp == Some(shown) {
                    Ok((start, end, false))
                } else if as_utf16 == Some(shown) {
                    let (s, e) = from_utf16.expect("the UTF-16 slice exists");
                    Ok((s, e, s != start || e != end))
                } else {
                    let cut = |s: Option<&str>| {
                        s.map_or_else(
                            || "(out of range)".to_owned(),
                            |s| format!("{:?}", short(s)),
                        )
                    };
                    Err(format!(
                        "value.text {:?} is neither the code-point slice {start}..{end} ({}) nor the UTF-16 slice ({}) of the task's text",
                        short(shown),
                        cut(as_cp),
                        cut(as_utf16)
                    ))
                }
            }
            None if as_cp.is_some() && from_utf16 == Some((start, end)) => Ok((start, end, false)),
            None => Err(format!(
                "no value.text to tell whether offsets {start}..{end} count code points or UTF-16 units (they differ in this text)"
            )),
        }
    }
}

/// At most 60 characters of `s`, for error messages.
fn short(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_owned()
    } else {
        s.chars().take(57).chain("...".chars()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(text: &str, result: Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!([{
            "id": 3,
            "data": {"text": text, "meta": {"id": "42"}},
            "annotations": [{"id": 1, "was_cancelled": false, "result": result}],
        }]))
        .unwrap()
    }

    fn region(start: usize, end: usize, text: &str, label: &str) -> Value {
        serde_json::json!({"id": "r", "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}})
    }

    #[test]
    fn code_points_and_utf16_offsets_are_both_understood() {
        let text = "😀 so crazy";
        // Code points: "crazy" is 5..10; UTF-16: 6..11.
        for (s, e) in [(5, 10), (6, 11)] {
            let r = parse(
                &task(
                    text,
                    serde_json::json!([region(s, e, "crazy", "Loaded_Language")]),
                ),
                Path::new("x.json"),
            )
            .unwrap();
            let a = &r.articles[0];
            assert_eq!(a.id, "42");
            assert_eq!((a.spans[0].start, a.spans[0].end), (5, 10));
            assert_eq!(r.utf16_regions, usize::from(s == 6));
        }
    }

    #[test]
    fn errors_name_file_task_and_problem() {
        let p = Path::new("export.json");
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"not json".to_vec(), "not JSON"),
            (b"{}".to_vec(), "expected an array of tasks"),
            (
                task(
                    "abc",
                    serde_json::json!([region(1, 9, "bc", "Loaded_Language")]),
                ),
                "outside the text",
            ),
            (
                task("abc", serde_json::json!([region(1, 3, "bc", "Lies")])),
                "unknown technique \"Lies\"",
            ),
            (
                task(
                    "abc",
                    serde_json::json!([region(0, 2, "bc", "Loaded_Language")]),
                ),
                "neither the code-point slice",
            ),
            (br#"[{"id": 3, "data": {}}]"#.to_vec(), "data.text"),
        ];
        for (bytes, says) in cases {
            let e = parse(&bytes, p).unwrap_err().to_string();
            assert!(e.starts_with("export.json: "), "{e}");
            assert!(e.contains(says), "{e}");
            if says != "not JSON" && says != "expected an array of tasks" {
                assert!(e.contains("task 3"), "{e}");
            }
        }
    }

    #[test]
    fn latest_uncancelled_annotation_wins_and_unreviewed_tasks_are_counted() {
        let json = serde_json::json!([
            {"id": 1, "data": {"text": "abc def"}, "predictions": [{"result": [region(0, 3, "abc", "Doubt")]}]},
            {"id": 2, "data": {"text": "abc def"}, "annotations": [{"was_cancelled": true, "result": []}]},
            {"id": 4, "data": {"text": "abc def"}, "annotations": [
                {"id": 7, "updated_at": "2026-01-02T00:00:00Z", "result": [region(0, 3, "abc", "Doubt")]},
                {"id": 9, "updated_at": "2026-01-03T00:00:00Z", "result": [region(4, 7, "def", "Slogans")]},
                {"id": 10, "updated_at": "2026-01-04T00:00:00Z", "was_cancelled": true, "result": []},
            ]},
        ]);
        let r = parse(&serde_json::to_vec(&json).unwrap(), Path::new("e.json")).unwrap();
        assert_eq!(r.unreviewed, ["1", "2"]);
        assert_eq!(r.articles.len(), 1);
        assert_eq!(r.articles[0].id, "ls4");
        assert_eq!(
            r.articles[0].spans,
            [GoldSpan {
                start: 4,
                end: 7,
                technique: Technique::Slogans
            }]
        );
    }
}
