//! The caps unspin holds to, whatever it is given: one place that names each, its default
//! and where it is set. `docs/limits.md` says what happens at each cap.
//!
//! | cap | default | set by |
//! |---|---|---|
//! | input size | [`MAX_INPUT_BYTES`] | [`IngestOptions::max_bytes`](crate::ingest::IngestOptions::max_bytes), `--max-size`, the server's `--max-body` / `--max-fetch-size`, Python's `max_bytes` |
//! | HTML element depth | [`MAX_HTML_DEPTH`] | [`ExtractOptions::max_depth`](crate::extract::ExtractOptions::max_depth) |
//! | sentence length | [`MAX_SENTENCE_CHARS`] | fixed |
//! | spans per layer of one document | [`MAX_SPANS_PER_LAYER`] | [`Limits::max_spans`] |
//!
//! The server's own caps (request body, headers, connections, concurrent analyses, deadlines)
//! are in `unspin_server::ServerConfig`.

use crate::analysis::Analysis;

pub use crate::segment::MAX_SENTENCE_CHARS;

/// Largest input read, in bytes, by default (a file, a URL's page, a JSONL line, a WARC
/// record's payload): 20 MiB. Larger inputs are refused with an error naming the input.
pub const MAX_INPUT_BYTES: u64 = crate::ingest::DEFAULT_MAX_BYTES;

/// Deepest HTML element nesting kept, by default (elements deeper are attached at this
/// depth, as browsers limit nesting too).
pub const MAX_HTML_DEPTH: usize = crate::extract::DEFAULT_MAX_DEPTH;

/// Most spans one analysis keeps in each layer (techniques, quotes, claims, actor mentions),
/// by default. Past it the layer keeps its first spans in text order and the analysis says
/// so in `warnings`.
pub const MAX_SPANS_PER_LAYER: usize = 50_000;

/// Caps on what one analysis holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most spans kept per layer; see [`MAX_SPANS_PER_LAYER`].
    pub max_spans: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_spans: MAX_SPANS_PER_LAYER,
        }
    }
}

/// Cuts each layer of `analysis` to `max` spans, keeping the first in text order, with a
/// warning per layer cut. Actors keep their first mention each, so every quote's and
/// claim's actor id still names an actor with a mention.
pub(crate) fn cap_spans(analysis: &mut Analysis, max: usize) {
    let max = max.max(1);
    let mut cut = |layer: &str, found: usize, last_kept: Option<usize>| {
        analysis.warnings.push(format!(
            "the {layer} layer found {found} spans, more than the limit of {max} per document; only the first {max} are kept{}",
            last_kept.map_or(String::new(), |end| format!(" (up to code point {end})"))
        ));
    };
    let found = analysis.techniques.len();
    if found > max {
        analysis.techniques.sort_by_key(|t| (t.start, t.end));
        analysis.techniques.truncate(max);
        cut(
            "techniques",
            found,
            analysis.techniques.last().map(|t| t.end),
        );
    }
    // Quotes refer to earlier quotes by index (`continues`): they stay in their order,
    // which is text order, and the tail goes.
    let found = analysis.quotes.len();
    if found > max {
        analysis.quotes.truncate(max);
        cut("quotes", found, analysis.quotes.last().map(|q| q.end));
    }
    let found = analysis.claims.len();
    if found > max {
        analysis.claims.truncate(max);
        cut("claims", found, analysis.claims.last().map(|c| c.end));
    }
    let found: usize = analysis.actors.iter().map(|a| a.mentions.len()).sum();
    if found > max {
        let mut starts: Vec<usize> = analysis
            .actors
            .iter()
            .flat_map(|a| a.mentions.iter().map(|m| m.start))
            .collect();
        starts.sort_unstable();
        let bound = starts[max - 1];
        let mut kept = 0usize;
        for actor in &mut analysis.actors {
            let mut first = true;
            actor.mentions.retain(|m| {
                let keep = first || (m.start <= bound && kept < max);
                first = false;
                if keep {
                    kept += 1;
                }
                keep
            });
        }
        cut("actor mentions", found, Some(bound));
    }
}
