//! The field's check-worthiness data (`../shared/data/claims-dev/`): ClaimBuster's
//! crowd-labelled debate sentences and the CheckThat! 2019 and 2020 debate-ranking training
//! sets. The folder's READMEs give the formats; this module reads them.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

/// One labelled sentence, from either source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LabelledSentence {
    /// The sentence.
    pub text: String,
    /// 1 check-worthy, 0 not.
    pub label: u8,
}

/// One debate (or speech, or stretch of transcript) whose sentences are ranked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debate {
    /// The set's id for it (for ClaimBuster, a pseudo-debate of sentences grouped by id).
    pub id: String,
    /// Its sentences in order.
    pub sentences: Vec<LabelledSentence>,
}

impl Debate {
    /// Number of check-worthy sentences.
    pub fn positives(&self) -> usize {
        self.sentences.iter().filter(|s| s.label == 1).count()
    }
}

/// The sets of the development folder.
#[derive(Debug, Clone, Default)]
pub struct DevData {
    /// ClaimBuster sentences, as one pseudo-debate per 100 ids (the release gives no
    /// debate), so that folds can be drawn the same way for every set.
    pub claimbuster: Vec<Debate>,
    /// CheckThat! 2019 training debates.
    pub ct19: Vec<Debate>,
    /// CheckThat! 2020 training parts (13 of them are 2019 debates again).
    pub ct20: Vec<Debate>,
}

impl DevData {
    /// The sets by name, in report order, skipping absent ones.
    pub fn sets(&self) -> Vec<(&'static str, &[Debate])> {
        [
            ("claimbuster", self.claimbuster.as_slice()),
            ("checkthat-2019", self.ct19.as_slice()),
            ("checkthat-2020", self.ct20.as_slice()),
        ]
        .into_iter()
        .filter(|(_, d)| !d.is_empty())
        .collect()
    }

    /// Sentences in all sets.
    pub fn sentences(&self) -> usize {
        self.sets()
            .iter()
            .flat_map(|(_, d)| d.iter())
            .map(|d| d.sentences.len())
            .sum()
    }
}

/// Why the development data could not be read.
#[derive(Debug, Error)]
pub enum DebateError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line is not in the documented format.
    #[error("{}:{line}: {what}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// Line number, from 1.
        line: usize,
        /// What is wrong.
        what: String,
    },
    /// The folder holds none of the sets.
    #[error("{}: no claimbuster/sentences.jsonl or checkthat/ct19-train.jsonl, ct20-train.jsonl here", .0.display())]
    Empty(PathBuf),
}

/// ClaimBuster file, relative to the development folder.
pub const CLAIMBUSTER_FILE: &str = "claimbuster/sentences.jsonl";
/// CheckThat! 2019 file.
pub const CT19_FILE: &str = "checkthat/ct19-train.jsonl";
/// CheckThat! 2020 file.
pub const CT20_FILE: &str = "checkthat/ct20-train.jsonl";

/// True when `dir` holds at least one of the sets.
pub fn is_dev_dir(dir: &Path) -> bool {
    [CLAIMBUSTER_FILE, CT19_FILE, CT20_FILE]
        .iter()
        .any(|f| dir.join(f).is_file())
}

/// Reads every set present in `dir`.
pub fn read_dir(dir: &Path) -> Result<DevData, DebateError> {
    if !is_dev_dir(dir) {
        return Err(DebateError::Empty(dir.to_path_buf()));
    }
    let opt = |f: &str| {
        let p = dir.join(f);
        p.is_file().then_some(p)
    };
    Ok(DevData {
        claimbuster: match opt(CLAIMBUSTER_FILE) {
            Some(p) => read_claimbuster(&p)?,
            None => Vec::new(),
        },
        ct19: match opt(CT19_FILE) {
            Some(p) => read_checkthat(&p)?,
            None => Vec::new(),
        },
        ct20: match opt(CT20_FILE) {
            Some(p) => read_checkthat(&p)?,
            None => Vec::new(),
        },
    })
}

fn lines(path: &Path) -> Result<Vec<(usize, String)>, DebateError> {
    let io = |source| DebateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut out = Vec::new();
    for (i, l) in std::io::BufReader::new(f).lines().enumerate() {
        let l = l.map_err(io)?;
        if !l.trim().is_empty() {
            out.push((i + 1, l));
        }
    }
    Ok(out)
}

fn parse<T: for<'de> Deserialize<'de>>(
    path: &Path,
    line: usize,
    text: &str,
) -> Result<T, DebateError> {
    serde_json::from_str(text).map_err(|e| DebateError::Format {
        path: path.to_path_buf(),
        line,
        what: e.to_string(),
    })
}

/// Sentences per ClaimBuster pseudo-debate.
const CLAIMBUSTER_GROUP: u64 = 100;

/// Reads ClaimBuster's `sentences.jsonl` into pseudo-debates of neighbouring ids (ids are
/// assigned in transcript order, so neighbours mostly come from one debate).
pub fn read_claimbuster(path: &Path) -> Result<Vec<Debate>, DebateError> {
    #[derive(Deserialize)]
    struct Line {
        id: u64,
        text: String,
        label: u8,
    }
    let mut groups: HashMap<u64, Vec<(u64, LabelledSentence)>> = HashMap::new();
    for (n, l) in lines(path)? {
        let x: Line = parse(path, n, &l)?;
        groups.entry(x.id / CLAIMBUSTER_GROUP).or_default().push((
            x.id,
            LabelledSentence {
                text: x.text,
                label: u8::from(x.label > 0),
            },
        ));
    }
    let mut keys: Vec<u64> = groups.keys().copied().collect();
    keys.sort_unstable();
    Ok(keys
        .into_iter()
        .map(|k| {
            let mut s = groups.remove(&k).unwrap_or_default();
            s.sort_by_key(|(id, _)| *id);
            Debate {
                id: format!(
                    "claimbuster:{}-{}",
                    k * CLAIMBUSTER_GROUP,
                    (k + 1) * CLAIMBUSTER_GROUP - 1
                ),
                sentences: s.into_iter().map(|(_, s)| s).collect(),
            }
        })
        .collect())
}

/// Reads a CheckThat! file: one debate per line.
pub fn read_checkthat(path: &Path) -> Result<Vec<Debate>, DebateError> {
    #[derive(Deserialize)]
    struct Line {
        id: String,
        sentences: Vec<LabelledSentence>,
    }
    lines(path)?
        .into_iter()
        .map(|(n, l)| {
            let x: Line = parse(path, n, &l)?;
            Ok(Debate {
                id: x.id,
                sentences: x.sentences,
            })
        })
        .collect()
}

/// A sentence's text reduced for duplicate detection: lowercase letters and digits only.
pub fn fingerprint(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_case_space_and_punctuation() {
        assert_eq!(
            fingerprint("We closed up 60,000 factories."),
            fingerprint("we closed up 60000 FACTORIES")
        );
    }
}
