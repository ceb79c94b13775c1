//! Loading a PTC-format corpus folder and splitting it into cross-validation folds.
//!
//! The folder holds `articles/article<ID>.txt` (UTF-8 text; offsets point into it as is,
//! nothing is trimmed or normalised), `techniques.tsv` (`ID<TAB>technique<TAB>start<TAB>end`)
//! and optionally `spans.tsv` (`ID<TAB>start<TAB>end`, the span-identification labels as
//! distributed). Offsets are code points, end exclusive. Every row must name a loaded
//! article and lie inside its text; otherwise loading fails with an error naming the file
//! and line — except that spans running past the end of the text can instead be clamped
//! (or dropped when wholly outside) with [`OutOfRangePolicy::Clamp`], each change recorded
//! in [`Corpus::repairs`]. The PTC training split needs this for three rows.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::analyse::techniques::data::semeval::{self, FlcRow, SemevalError, TcTemplateRow};
use crate::analyse::techniques::eval::metrics::{Labelled, Span, SpanLike};
use crate::analysis::Technique;

/// Why a corpus folder could not be loaded.
#[derive(Debug, Error)]
pub enum CorpusError {
    /// A file or folder could not be read (missing, unreadable, not UTF-8).
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A label file has a malformed row.
    #[error(transparent)]
    Format(#[from] SemevalError),
    /// A label row names an article that has no `articles/article<ID>.txt`.
    #[error("{file}:{line}: no article {id:?} (expected articles/article{id}.txt)")]
    UnknownArticle {
        /// The label file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The article id in the row.
        id: String,
    },
    /// A label row's span runs past the end of its article (and the load options say to
    /// fail on that).
    #[error(
        "{file}:{line}: span {start}..{end} of article {id} is out of range (the text has {len} code points); load with OutOfRangePolicy::Clamp to clamp or drop such spans"
    )]
    OutOfRange {
        /// The label file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The article id.
        id: String,
        /// First code point of the span.
        start: usize,
        /// One past the last code point of the span.
        end: usize,
        /// The article's length in code points.
        len: usize,
    },
    /// Two corpora joined into one both hold an article with this id.
    #[error("article {id} is in two of the corpora given")]
    DuplicateArticle {
        /// The article id.
        id: String,
    },
    /// The `articles` folder holds no `article<ID>.txt` file.
    #[error("{dir}: no article<ID>.txt files")]
    NoArticles {
        /// The `articles` folder.
        dir: PathBuf,
    },
}

/// An annotated span: a technique over code points `start..end` of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoldSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The technique the annotators assigned.
    pub technique: Technique,
}

impl SpanLike for GoldSpan {
    fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

impl Labelled for GoldSpan {
    fn technique(&self) -> Technique {
        self.technique
    }
}

/// One article with its annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The id, the `<ID>` of `article<ID>.txt`.
    pub id: String,
    /// The full text of the file, exactly as read (title, blank line, body).
    pub text: String,
    /// Technique spans from `techniques.tsv`, sorted by (start, end, technique). The same
    /// range appears once per technique it carries; spans may overlap.
    pub spans: Vec<GoldSpan>,
    /// Span-identification labels from `spans.tsv`, sorted, or `None` when the folder has
    /// no `spans.tsv`. They may overlap; the SI metric merges overlaps before scoring.
    pub si_spans: Option<Vec<Span>>,
}

impl Article {
    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.text.chars().count()
    }

    /// The text of code points `start..end`, or `None` if the range is reversed or runs
    /// past the end of the text.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        if start > end {
            return None;
        }
        let byte = |cp: usize| {
            self.text
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(self.text.len()))
                .nth(cp)
        };
        let (s, e) = (byte(start)?, byte(end)?);
        Some(&self.text[s..e])
    }
}

/// A loaded PTC-format corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    /// Every article of the `articles` folder, sorted by id (shorter ids first, then
    /// lexicographically, so numeric ids sort numerically), including articles without
    /// annotations.
    pub articles: Vec<Article>,
    /// Label rows changed or dropped while loading under [`OutOfRangePolicy::Clamp`], in
    /// file order (`techniques.tsv` first). Empty under the default policy.
    pub repairs: Vec<Repair>,
}

/// What to do with a label row whose span runs past the end of its article.
///
/// The PTC training split has three such rows in `techniques.tsv` (and the same three
/// ranges in `spans.tsv`): two end one code point past the text, one lies wholly beyond it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutOfRangePolicy {
    /// Fail with [`CorpusError::OutOfRange`].
    #[default]
    Error,
    /// Clamp the end to the text length; drop the row if nothing is left. Each change is
    /// recorded in [`Corpus::repairs`].
    Clamp,
}

/// Options for [`Corpus::load_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadOptions {
    /// What to do with spans past the end of their article.
    pub out_of_range: OutOfRangePolicy,
}

/// A label row changed or dropped while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The label file.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// The article id.
    pub id: String,
    /// The technique, for `techniques.tsv` rows.
    pub technique: Option<Technique>,
    /// The span as written in the file.
    pub original: Span,
    /// The span kept, or `None` if the row was dropped.
    pub kept: Option<Span>,
}

impl Corpus {
    /// Loads the corpus folder `dir` (see the module docs for its layout), failing on any
    /// span past the end of its article. Files in `articles/` not named `article<ID>.txt`
    /// are ignored.
    pub fn load(dir: &Path) -> Result<Corpus, CorpusError> {
        Self::load_with(dir, LoadOptions::default())
    }

    /// Loads the corpus folder `dir` with `options`.
    pub fn load_with(dir: &Path, options: LoadOptions) -> Result<Corpus, CorpusError> {
        let articles_dir = dir.join("articles");
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CorpusError::Io { path, source }
        };
        let mut articles = Vec::new();
        for entry in std::fs::read_dir(&articles_dir).map_err(io_err(&articles_dir))? {
            let entry = entry.map_err(io_err(&articles_dir))?;
            let name = entry.file_name();
            let Some(id) = name
                .to_str()
                .and_then(|n| n.strip_prefix("article"))
                .and_then(|n| n.strip_suffix(".txt"))
                .filter(|id| !id.is_empty() && !id.chars().any(char::is_whitespace))
            else {
                continue;
            };
            let path = entry.path();
            let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
            articles.push(Article {
                id: id.to_string(),
                text,
                spans: Vec::new(),
                si_spans: None,
            });
        }
        if articles.is_empty() {
            return Err(CorpusError::NoArticles { dir: articles_dir });
        }
        articles.sort_by(|a, b| id_order(&a.id, &b.id));

        let index: HashMap<String, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let lens: Vec<usize> = articles.iter().map(Article::char_len).collect();
        let mut repairs = Vec::new();
        // The article index and the span to keep (None: drop the row).
        let mut check = |file: &Path,
                         line: usize,
                         id: &str,
                         technique: Option<Technique>,
                         start: usize,
                         end: usize|
         -> Result<(usize, Option<Span>), CorpusError> {
            let &i = index.get(id).ok_or_else(|| CorpusError::UnknownArticle {
                file: file.to_path_buf(),
                line,
                id: id.to_string(),
            })?;
            if end <= lens[i] {
                return Ok((i, Some(Span::new(start, end))));
            }
            match options.out_of_range {
                OutOfRangePolicy::Error => Err(CorpusError::OutOfRange {
                    file: file.to_path_buf(),
                    line,
                    id: id.to_string(),
                    start,
                    end,
                    len: lens[i],
                }),
                OutOfRangePolicy::Clamp => {
                    let kept = (start < lens[i]).then(|| Span::new(start, lens[i]));
                    repairs.push(Repair {
                        file: file.to_path_buf(),
                        line,
                        id: id.to_string(),
                        technique,
                        original: Span::new(start, end),
                        kept,
                    });
                    Ok((i, kept))
                }
            }
        };

        let techniques = dir.join("techniques.tsv");
        let input = semeval::read(&techniques)?;
        for (line, row) in semeval::parse_flc_numbered(&input, &techniques.display().to_string())? {
            let (i, kept) = check(
                &techniques,
                line,
                &row.id,
                Some(row.technique),
                row.start,
                row.end,
            )?;
            if let Some(k) = kept {
                articles[i].spans.push(GoldSpan {
                    start: k.start,
                    end: k.end,
                    technique: row.technique,
                });
            }
        }

        let spans = dir.join("spans.tsv");
        if spans.is_file() {
            for a in &mut articles {
                a.si_spans = Some(Vec::new());
            }
            let input = semeval::read(&spans)?;
            for (line, row) in semeval::parse_si_numbered(&input, &spans.display().to_string())? {
                let (i, kept) = check(&spans, line, &row.id, None, row.start, row.end)?;
                if let (Some(v), Some(k)) = (&mut articles[i].si_spans, kept) {
                    v.push(k);
                }
            }
        }

        for a in &mut articles {
            a.spans.sort();
            if let Some(v) = &mut a.si_spans {
                v.sort();
            }
        }
        Ok(Corpus { articles, repairs })
    }

    /// Adds the articles (and repairs) of `other`, e.g. a corpus's development split to its
    /// training split, keeping the articles in id order so that folds do not depend on the
    /// order the folders were given in. Fails on an id both hold.
    pub fn extend(&mut self, other: Corpus) -> Result<(), CorpusError> {
        let ids: std::collections::HashSet<&str> =
            self.articles.iter().map(|a| a.id.as_str()).collect();
        if let Some(a) = other.articles.iter().find(|a| ids.contains(a.id.as_str())) {
            return Err(CorpusError::DuplicateArticle { id: a.id.clone() });
        }
        self.articles.extend(other.articles);
        self.articles.sort_by(|a, b| id_order(&a.id, &b.id));
        self.repairs.extend(other.repairs);
        Ok(())
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when the corpus has no articles.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The article with id `id`.
    pub fn get(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// Number of gold spans of each technique (every technique present, zero if unused).
    pub fn technique_counts(&self) -> BTreeMap<Technique, usize> {
        let mut counts: BTreeMap<Technique, usize> =
            Technique::ALL.into_iter().map(|t| (t, 0)).collect();
        for s in self.articles.iter().flat_map(|a| &a.spans) {
            *counts.entry(s.technique).or_default() += 1;
        }
        counts
    }

    /// All technique spans as task rows, in article order, each article's in span order.
    pub fn flc_rows(&self) -> Vec<FlcRow> {
        self.articles
            .iter()
            .flat_map(|a| {
                a.spans.iter().map(|s| FlcRow {
                    id: a.id.clone(),
                    technique: s.technique,
                    start: s.start,
                    end: s.end,
                })
            })
            .collect()
    }

    /// The technique-classification template for the corpus's own spans (one row per
    /// technique span, so a range with two techniques appears twice), in the order of
    /// [`Corpus::flc_rows`].
    pub fn tc_template(&self) -> Vec<TcTemplateRow> {
        self.articles
            .iter()
            .flat_map(|a| {
                a.spans.iter().map(|s| TcTemplateRow {
                    id: a.id.clone(),
                    start: s.start,
                    end: s.end,
                })
            })
            .collect()
    }

    /// Splits the articles into `k` folds for cross-validation by article; see [`folds`].
    /// The result holds indices into [`Corpus::articles`].
    pub fn folds(&self, k: usize, seed: u64) -> Vec<Vec<usize>> {
        let ids: Vec<&str> = self.articles.iter().map(|a| a.id.as_str()).collect();
        folds(&ids, k, seed)
    }
}

/// Orders ids numerically when they are digit strings of different lengths, otherwise
/// lexicographically: by (length, bytes).
fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// Splits items with the given `ids` into `k` folds, returning for each fold the indices
/// into `ids` it holds, each fold sorted ascending.
///
/// Deterministic: which ids share a fold depends only on the set of (distinct) ids, `k` and
/// `seed` — not on the order they come in, the platform or the number of threads. The ids
/// are sorted (shorter first, then lexicographically; equal ids by index), shuffled with a
/// Fisher–Yates shuffle driven by SplitMix64 seeded with `seed`, and dealt round-robin, so
/// fold sizes differ by at most one. With `k` greater than the number of ids the last
/// folds are empty. Changing this procedure changes every published cross-validation
/// number, so it is pinned by a test.
///
/// # Panics
/// If `k` is zero.
pub fn folds(ids: &[&str], k: usize, seed: u64) -> Vec<Vec<usize>> {
    assert!(k > 0, "folds: k must be at least 1");
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| id_order(ids[a], ids[b]).then(a.cmp(&b)));
    let mut rng = SplitMix64(seed);
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let mut out = vec![Vec::new(); k];
    for (n, idx) in order.into_iter().enumerate() {
        out[n % k].push(idx);
    }
    for f in &mut out {
        f.sort_unstable();
    }
    out
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, well-mixed 64-bit generator; enough for
/// shuffling, and fully specified so folds never change with a dependency upgrade.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by rejection so there is no modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n) - 1;
        loop {
            let x = self.next_u64();
            if x <= zone {
                return x % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &str) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("unspin-corpus-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("articles")).unwrap();
        d
    }

    #[test]
    fn extends_in_id_order_and_refuses_an_id_twice() {
        let (a, b) = (temp_dir("ext-a"), temp_dir("ext-b"));
        write(&a, "articles/article20.txt", "twenty");
        write(&a, "techniques.tsv", "20\tDoubt\t0\t6\n");
        write(&b, "articles/article3.txt", "three");
        write(&b, "techniques.tsv", "");
        let mut c = Corpus::load(&a).unwrap();
        c.extend(Corpus::load(&b).unwrap()).unwrap();
        let ids: Vec<&str> = c.articles.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(
            ids,
            ["3", "20"],
            "numeric id order, whatever the folders' order"
        );
        let e = c.extend(Corpus::load(&b).unwrap()).unwrap_err();
        assert!(
            matches!(e, CorpusError::DuplicateArticle { ref id } if id == "3"),
            "{e}"
        );
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn loads_a_small_corpus_with_non_ascii_text() {
        let d = temp_dir("ok");
        // "Héllo wörld" — 11 code points, 13 bytes.
        write(&d, "articles/article10.txt", "Héllo wörld");
        write(&d, "articles/article9.txt", "abc");
        write(&d, "articles/README", "ignored");
        write(
            &d,
            "techniques.tsv",
            "10\tDoubt\t6\t11\n10\tLoaded_Language\t0\t5\n10\tDoubt\t0\t5\n",
        );
        write(&d, "spans.tsv", "10\t6\t11\n10\t0\t5\n");
        let c = Corpus::load(&d).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.articles[0].id, "9");
        assert!(c.articles[0].spans.is_empty());
        assert_eq!(c.articles[0].si_spans, Some(vec![]));
        let a = c.get("10").unwrap();
        assert_eq!(a.char_len(), 11);
        assert_eq!(
            a.spans,
            vec![
                GoldSpan {
                    start: 0,
                    end: 5,
                    technique: Technique::LoadedLanguage
                },
                GoldSpan {
                    start: 0,
                    end: 5,
                    technique: Technique::Doubt
                },
                GoldSpan {
                    start: 6,
                    end: 11,
                    technique: Technique::Doubt
                },
            ]
        );
        assert_eq!(a.slice(6, 11), Some("wörld"));
        assert_eq!(a.slice(0, 5), Some("Héllo"));
        assert_eq!(a.slice(11, 11), Some(""));
        assert_eq!(a.slice(5, 12), None);
        assert_eq!(a.si_spans.as_ref().unwrap()[1], Span::new(6, 11));
        assert_eq!(c.technique_counts()[&Technique::Doubt], 2);
        assert_eq!(c.technique_counts()[&Technique::Slogans], 0);

        // Corpus → FLC text → rows → per-article spans gives back the article's spans.
        let text = semeval::format_flc(&c.flc_rows());
        assert_eq!(
            text,
            "10\tLoaded_Language\t0\t5\n10\tDoubt\t0\t5\n10\tDoubt\t6\t11\n"
        );
        let back = semeval::flc_by_article(&semeval::parse_flc(&text, "t").unwrap());
        assert_eq!(back["10"], a.spans);
        let template = semeval::format_tc_template(&c.tc_template());
        assert_eq!(template, "10\t?\t0\t5\n10\t?\t0\t5\n10\t?\t6\t11\n");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn out_of_range_offsets_are_errors_counted_in_code_points() {
        let d = temp_dir("range");
        write(&d, "articles/article1.txt", "Héllo"); // 5 code points, 6 bytes
        write(&d, "techniques.tsv", "1\tDoubt\t0\t5\n1\tDoubt\t2\t6\n");
        let e = Corpus::load(&d).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("techniques.tsv:2: span 2..6 of article 1 is out of range (the text has 5 code points)"), "{msg}");

        // Clamped: 2..6 becomes 2..5; 7..9 (wholly past the end) is dropped.
        write(
            &d,
            "techniques.tsv",
            "1\tDoubt\t0\t5\n1\tDoubt\t2\t6\n1\tSlogans\t7\t9\n",
        );
        write(&d, "spans.tsv", "1\t2\t6\n");
        let options = LoadOptions {
            out_of_range: OutOfRangePolicy::Clamp,
        };
        let c = Corpus::load_with(&d, options).unwrap();
        let a = &c.articles[0];
        assert_eq!(
            a.spans,
            vec![
                GoldSpan {
                    start: 0,
                    end: 5,
                    technique: Technique::Doubt
                },
                GoldSpan {
                    start: 2,
                    end: 5,
                    technique: Technique::Doubt
                },
            ]
        );
        assert_eq!(a.si_spans, Some(vec![Span::new(2, 5)]));
        let r: Vec<(usize, Option<Technique>, Span, Option<Span>)> = c
            .repairs
            .iter()
            .map(|r| (r.line, r.technique, r.original, r.kept))
            .collect();
        assert_eq!(
            r,
            vec![
                (
                    2,
                    Some(Technique::Doubt),
                    Span::new(2, 6),
                    Some(Span::new(2, 5))
                ),
                (3, Some(Technique::Slogans), Span::new(7, 9), None),
                (1, None, Span::new(2, 6), Some(Span::new(2, 5))),
            ]
        );
        assert!(c.repairs[2].file.ends_with("spans.tsv"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn unknown_article_and_malformed_rows_are_errors() {
        let d = temp_dir("bad");
        write(&d, "articles/article1.txt", "Hello");
        write(&d, "techniques.tsv", "1\tDoubt\t0\t5\n2\tDoubt\t0\t1\n");
        let msg = Corpus::load(&d).unwrap_err().to_string();
        assert!(msg.contains("techniques.tsv:2: no article \"2\""), "{msg}");

        write(&d, "techniques.tsv", "1\tDoubt\t0\t5\n");
        write(&d, "spans.tsv", "1\t0\n");
        let msg = Corpus::load(&d).unwrap_err().to_string();
        assert!(
            msg.contains("spans.tsv:1: expected 3 tab-separated fields"),
            "{msg}"
        );

        std::fs::remove_file(d.join("techniques.tsv")).unwrap();
        let msg = Corpus::load(&d).unwrap_err().to_string();
        assert!(msg.contains("techniques.tsv: "), "{msg}");
        std::fs::remove_dir_all(&d).unwrap();

        let d = temp_dir("empty");
        let msg = Corpus::load(&d).unwrap_err().to_string();
        assert!(msg.ends_with("no article<ID>.txt files"), "{msg}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn folds_partition_and_are_stable() {
        let ids: Vec<String> = (0..23).map(|i| format!("{}", 1000 + i)).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let f = folds(&refs, 5, 42);
        assert_eq!(f.len(), 5);
        let mut all: Vec<usize> = f.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..23).collect::<Vec<_>>());
        for fold in &f {
            assert!(fold.len() == 4 || fold.len() == 5);
        }
        // Same call, same folds; another seed, other folds.
        assert_eq!(folds(&refs, 5, 42), f);
        assert_ne!(folds(&refs, 5, 43), f);
        // Independent of the order the ids come in: the same ids land in the same folds.
        let mut rev = refs.clone();
        rev.reverse();
        let fr = folds(&rev, 5, 42);
        let names = |f: &[Vec<usize>], ids: &[&str]| -> Vec<Vec<String>> {
            f.iter()
                .map(|fold| {
                    let mut v: Vec<String> = fold.iter().map(|&i| ids[i].to_string()).collect();
                    v.sort();
                    v
                })
                .collect()
        };
        assert_eq!(names(&fr, &rev), names(&f, &refs));
        // Pinned: a change to the shuffle changes every cross-validation number.
        assert_eq!(folds(&["a", "b", "c", "d", "e"], 2, 7), PINNED);
        // More folds than items: trailing folds are empty.
        let f = folds(&["x", "y"], 3, 1);
        assert_eq!(f.iter().map(Vec::len).collect::<Vec<_>>(), vec![1, 1, 0]);
    }

    const PINNED: [&[usize]; 2] = [&[2, 3, 4], &[0, 1]];

    #[test]
    fn splitmix64_matches_reference_values() {
        // Reference outputs of SplitMix64 seeded with 0 (from the published C code).
        let mut r = SplitMix64(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
