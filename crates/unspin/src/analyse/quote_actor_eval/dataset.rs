//! The gold data of the quotes-and-actors evaluation set: passages with their quotes and
//! actors as code-point spans (`evalsets/quotes-actors/FORMAT.md` describes the files), and
//! the checks every annotation must pass.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::{ActorType, MentionKind, QuoteKind};

/// A gold span: code points `start..end` of the passage and, in the JSONL files, its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The covered text (absent in offsets-only annotations until filled from the text).
    #[serde(default)]
    pub text: Option<String>,
}

/// A gold mention of an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldMention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The covered text.
    #[serde(default)]
    pub text: Option<String>,
    /// How the mention names the actor.
    pub kind: MentionKind,
}

/// A gold actor with every annotated mention and descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldActor {
    /// Id within the passage (`a1`, …).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Kind of actor.
    #[serde(rename = "type")]
    pub kind: ActorType,
    /// Every mention, in text order.
    pub mentions: Vec<GoldMention>,
    /// Appositions, titles and labels, in text order.
    pub descriptors: Vec<GoldSpan>,
}

/// A gold quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldQuote {
    /// Id within the passage (`q1`, …), if given.
    #[serde(default)]
    pub id: Option<String>,
    /// First code point of the quoted words.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The quoted words.
    #[serde(default)]
    pub text: Option<String>,
    /// Direct, partial, mixed or indirect.
    pub kind: QuoteKind,
    /// The reporting cue, if any.
    pub cue: Option<GoldSpan>,
    /// The speaker's mention, if any.
    pub speaker: Option<GoldSpan>,
    /// Id of the gold actor who said it, or null when the text does not tell.
    pub actor: Option<String>,
    /// True when the quoted words contain an ellipsis or a bracketed cut.
    pub elided: bool,
    /// The annotator's note.
    #[serde(default)]
    pub note: String,
}

/// One annotated passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Passage id (`d01`, `h01`, `victory-plan-rt`).
    pub id: String,
    /// What the passage covers.
    #[serde(default)]
    pub topic: String,
    /// The passage text all offsets point into.
    pub text: String,
    /// Gold actors.
    pub actors: Vec<GoldActor>,
    /// Gold quotes.
    pub quotes: Vec<GoldQuote>,
}

/// An offsets-only annotation of a text kept outside the repository.
#[derive(Debug, Clone, Deserialize)]
pub struct OffsetsOnly {
    /// Path of the text, relative to the repository root (e.g. `../shared/examples/x.txt`).
    pub source: String,
    /// SHA-256 (hex) of the text as UTF-8.
    pub sha256: String,
    /// Gold actors (no `text` fields).
    pub actors: Vec<GoldActor>,
    /// Gold quotes (no `text` fields).
    pub quotes: Vec<GoldQuote>,
}

/// The evaluation set: development and held-out passages, and the offsets-only passages
/// whose texts were found.
#[derive(Debug, Clone, Default)]
pub struct EvalSet {
    /// Passages rules were written and tuned on.
    pub dev: Vec<Passage>,
    /// Passages written before any rule and never used to choose one.
    pub heldout: Vec<Passage>,
    /// Offsets-only annotations whose text was found and matched its hash.
    pub external: Vec<Passage>,
    /// Offsets-only annotations that could not be used, with the reason.
    pub skipped: Vec<String>,
}

/// A problem with the evaluation set, naming the file and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DatasetError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

fn err(path: &Path, message: impl Into<String>) -> DatasetError {
    DatasetError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads a JSONL file of passages and checks each one ([`check_passage`]).
pub fn read_jsonl(path: &Path) -> Result<Vec<Passage>, DatasetError> {
    let raw = std::fs::read_to_string(path).map_err(|e| err(path, e.to_string()))?;
    let mut passages = Vec::new();
    for (i, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let p: Passage =
            serde_json::from_str(line).map_err(|e| err(path, format!("line {}: {e}", i + 1)))?;
        check_passage(&p, true).map_err(|m| err(path, format!("line {}: {m}", i + 1)))?;
        passages.push(p);
    }
    Ok(passages)
}

/// Reads an offsets-only annotation and, when its text is found (by trying `source`
/// relative to each ancestor of the annotation's folder) and matches the hash, returns it
/// as a checked passage with every `text` filled in; `Ok(Err(reason))` when the text is
/// absent.
pub fn read_offsets_only(path: &Path) -> Result<Result<Passage, String>, DatasetError> {
    let raw = std::fs::read_to_string(path).map_err(|e| err(path, e.to_string()))?;
    let ann: OffsetsOnly = serde_json::from_str(&raw).map_err(|e| err(path, e.to_string()))?;
    let dir = std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_owned))
        .unwrap_or_default();
    let Some(text_path) = dir
        .ancestors()
        .map(|a| a.join(&ann.source))
        .find(|p| p.is_file())
    else {
        return Ok(Err(format!(
            "{}: its text {} is absent; skipped",
            path.display(),
            ann.source
        )));
    };
    let text = std::fs::read_to_string(&text_path).map_err(|e| err(&text_path, e.to_string()))?;
    let hash: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if hash != ann.sha256 {
        return Err(err(
            path,
            format!(
                "the text {} has SHA-256 {hash}, not the annotated {}",
                text_path.display(),
                ann.sha256
            ),
        ));
    }
    let id = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut p = Passage {
        id,
        topic: String::new(),
        text,
        actors: ann.actors,
        quotes: ann.quotes,
    };
    check_passage(&p, false).map_err(|m| err(path, m))?;
    fill_texts(&mut p);
    Ok(Ok(p))
}

/// Reads `dev.jsonl`, `heldout.jsonl` and every `*.json` offsets-only annotation of a folder.
pub fn read_dir(dir: &Path) -> Result<EvalSet, DatasetError> {
    let mut set = EvalSet {
        dev: read_jsonl(&dir.join("dev.jsonl"))?,
        heldout: read_jsonl(&dir.join("heldout.jsonl"))?,
        ..EvalSet::default()
    };
    let mut jsons: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| err(dir, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    jsons.sort();
    for path in jsons {
        match read_offsets_only(&path)? {
            Ok(p) => set.external.push(p),
            Err(reason) => set.skipped.push(reason),
        }
    }
    Ok(set)
}

/// Checks one passage: every span lies inside the text, is non-empty and has no space at
/// its edges; when `texts` is set every span's `text` equals the covered text; ids are
/// unique; quote actors name existing actors with mentions; a speaker is one of the
/// mentions of the quote's actor when both are given; `elided` agrees with the quoted words.
pub fn check_passage(p: &Passage, texts: bool) -> Result<(), String> {
    let chars: Vec<char> = p.text.chars().collect();
    let check = |what: &str, start: usize, end: usize, text: &Option<String>| {
        if start >= end || end > chars.len() {
            return Err(format!(
                "{}: {what} {start}..{end} is empty or outside the text ({} code points)",
                p.id,
                chars.len()
            ));
        }
        let covered: String = chars[start..end].iter().collect();
        if covered.trim() != covered {
            return Err(format!(
                "{}: {what} {start}..{end} {covered:?} has space at its edge",
                p.id
            ));
        }
        match text {
            Some(t) if *t != covered => Err(format!(
                "{}: {what} {start}..{end} says {t:?} but the text there is {covered:?}",
                p.id
            )),
            None if texts => Err(format!("{}: {what} {start}..{end} has no text", p.id)),
            _ => Ok(()),
        }
    };
    let mut ids = std::collections::HashSet::new();
    for a in &p.actors {
        if !ids.insert(a.id.as_str()) {
            return Err(format!("{}: actor id {} is used twice", p.id, a.id));
        }
        if a.mentions.is_empty() {
            return Err(format!("{}: actor {} has no mention", p.id, a.id));
        }
        for m in &a.mentions {
            check(&format!("mention of {}", a.id), m.start, m.end, &m.text)?;
        }
        for d in &a.descriptors {
            check(&format!("descriptor of {}", a.id), d.start, d.end, &d.text)?;
        }
    }
    for q in &p.quotes {
        check("quote", q.start, q.end, &q.text)?;
        for (what, s) in [("cue", &q.cue), ("speaker", &q.speaker)] {
            if let Some(s) = s {
                check(what, s.start, s.end, &s.text)?;
            }
        }
        if let Some(id) = &q.actor {
            let Some(actor) = p.actors.iter().find(|a| &a.id == id) else {
                return Err(format!(
                    "{}: quote {}..{} names no actor {id}",
                    p.id, q.start, q.end
                ));
            };
            if let Some(s) = &q.speaker
                && !actor
                    .mentions
                    .iter()
                    .any(|m| m.start == s.start && m.end == s.end)
            {
                return Err(format!(
                    "{}: the speaker {}..{} of quote {}..{} is no mention of {id}",
                    p.id, s.start, s.end, q.start, q.end
                ));
            }
        }
        let words: String = chars[q.start..q.end].iter().collect();
        if has_elision(&words) != q.elided {
            return Err(format!(
                "{}: quote {}..{} has elided={} but its words say otherwise",
                p.id, q.start, q.end, q.elided
            ));
        }
    }
    Ok(())
}

/// True when quoted words contain an ellipsis (`...`, `…`) or a bracketed cut or insertion.
pub fn has_elision(words: &str) -> bool {
    words.contains("...") || words.contains('…') || (words.contains('[') && words.contains(']'))
}

/// Fills every missing `text` of a passage's spans from its text.
fn fill_texts(p: &mut Passage) {
    let chars: Vec<char> = p.text.chars().collect();
    let slice = |s: usize, e: usize| Some(chars[s..e].iter().collect::<String>());
    for a in &mut p.actors {
        for m in &mut a.mentions {
            m.text = slice(m.start, m.end);
        }
        for d in &mut a.descriptors {
            d.text = slice(d.start, d.end);
        }
    }
    for q in &mut p.quotes {
        q.text = slice(q.start, q.end);
        for s in [&mut q.cue, &mut q.speaker].into_iter().flatten() {
            s.text = slice(s.start, s.end);
        }
    }
}
