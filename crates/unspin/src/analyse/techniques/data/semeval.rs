//! Reading and writing the SemEval-2020 Task 11 TSV formats.
//!
//! - span identification (SI): `ID<TAB>start<TAB>end`
//! - technique classification gold/predictions and the full task (FLC):
//!   `ID<TAB>technique<TAB>start<TAB>end`
//! - technique classification template: `ID<TAB>?<TAB>start<TAB>end`
//!
//! Offsets are code points, end exclusive; technique names are spelled exactly as in the
//! corpus files ([`Technique::as_str`]). Readers keep the file's order and duplicates, skip
//! empty lines (so a trailing newline or a blank last line is fine), accept `\r\n` line
//! ends, and reject anything else that does not fit with an error naming the file and the
//! 1-based line. A span must be non-empty (`start < end`). Writers emit `\n` line ends and a
//! final newline.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::analyse::techniques::data::corpus::GoldSpan;
use crate::analyse::techniques::eval::metrics::Span;
use crate::analysis::Technique;

/// Why a task TSV file could not be read.
#[derive(Debug, Error)]
pub enum SemevalError {
    /// The file could not be read (missing, unreadable, not UTF-8).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A line does not fit the format.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file (or the name given for in-memory input).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
}

/// A span-identification row: `ID<TAB>start<TAB>end`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiRow {
    /// Article id (the `<ID>` of `article<ID>.txt`).
    pub id: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A labelled row, used for FLC gold and predictions and for TC gold and predictions:
/// `ID<TAB>technique<TAB>start<TAB>end`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlcRow {
    /// Article id.
    pub id: String,
    /// The technique.
    pub technique: Technique,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A technique-classification template row, `ID<TAB>?<TAB>start<TAB>end`: a gold span
/// whose label is to be predicted. A span carrying two techniques appears twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TcTemplateRow {
    /// Article id.
    pub id: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl TcTemplateRow {
    /// The prediction row filling this template row with `technique`.
    pub fn fill(&self, technique: Technique) -> FlcRow {
        FlcRow {
            id: self.id.clone(),
            technique,
            start: self.start,
            end: self.end,
        }
    }
}

/// Groups labelled rows by article id, keeping each article's rows in file order.
pub fn flc_by_article(rows: &[FlcRow]) -> BTreeMap<String, Vec<GoldSpan>> {
    let mut out: BTreeMap<String, Vec<GoldSpan>> = BTreeMap::new();
    for r in rows {
        out.entry(r.id.clone()).or_default().push(GoldSpan {
            start: r.start,
            end: r.end,
            technique: r.technique,
        });
    }
    out
}

/// Groups SI rows by article id, keeping each article's rows in file order.
pub fn si_by_article(rows: &[SiRow]) -> BTreeMap<String, Vec<Span>> {
    let mut out: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for r in rows {
        out.entry(r.id.clone())
            .or_default()
            .push(Span::new(r.start, r.end));
    }
    out
}

/// Parses SI rows from `input`; `file` names the input in errors.
pub fn parse_si(input: &str, file: &str) -> Result<Vec<SiRow>, SemevalError> {
    Ok(parse_si_numbered(input, file)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// Parses FLC (labelled) rows from `input`; `file` names the input in errors.
pub fn parse_flc(input: &str, file: &str) -> Result<Vec<FlcRow>, SemevalError> {
    Ok(parse_flc_numbered(input, file)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// Parses TC template rows (`?` in the technique column) from `input`, keeping order and
/// duplicates; `file` names the input in errors.
pub fn parse_tc_template(input: &str, file: &str) -> Result<Vec<TcTemplateRow>, SemevalError> {
    let mut rows = Vec::new();
    for (line, fields) in lines(input) {
        let err = |message: String| parse_error(file, line, message);
        let [id, q, start, end] =
            expect_fields::<4>(&fields, "ID<TAB>?<TAB>start<TAB>end").map_err(err)?;
        if q != "?" {
            return Err(err(format!(
                "expected `?` in the technique column of a template row, found {q:?}"
            )));
        }
        let (start, end) = parse_offsets(start, end).map_err(err)?;
        rows.push(TcTemplateRow {
            id: parse_id(id).map_err(err)?,
            start,
            end,
        });
    }
    Ok(rows)
}

/// Reads an SI file.
pub fn read_si(path: &Path) -> Result<Vec<SiRow>, SemevalError> {
    parse_si(&read(path)?, &path.display().to_string())
}

/// Reads an FLC (labelled) file, e.g. the corpus's `techniques.tsv`.
pub fn read_flc(path: &Path) -> Result<Vec<FlcRow>, SemevalError> {
    parse_flc(&read(path)?, &path.display().to_string())
}

/// Reads a TC template file, keeping order and duplicates.
pub fn read_tc_template(path: &Path) -> Result<Vec<TcTemplateRow>, SemevalError> {
    parse_tc_template(&read(path)?, &path.display().to_string())
}

/// The article id of a corpus file name: `<ID>` of `article<ID>.txt`, `None` for any other
/// name.
pub fn article_id(file_name: &str) -> Option<&str> {
    file_name
        .strip_prefix("article")
        .and_then(|r| r.strip_suffix(".txt"))
        .filter(|id| !id.is_empty())
}

/// Formats SI rows, one a line, in the given order.
pub fn format_si(rows: &[SiRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let _ = writeln!(out, "{}\t{}\t{}", r.id, r.start, r.end);
    }
    out
}

/// Formats FLC (labelled) rows, one a line, in the given order.
pub fn format_flc(rows: &[FlcRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let _ = writeln!(out, "{}\t{}\t{}\t{}", r.id, r.technique, r.start, r.end);
    }
    out
}

/// Formats TC template rows (`?` in the technique column), one a line, in the given order.
pub fn format_tc_template(rows: &[TcTemplateRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let _ = writeln!(out, "{}\t?\t{}\t{}", r.id, r.start, r.end);
    }
    out
}

/// Writes SI rows to `w`.
pub fn write_si<W: io::Write>(mut w: W, rows: &[SiRow]) -> io::Result<()> {
    w.write_all(format_si(rows).as_bytes())
}

/// Writes FLC (labelled) rows to `w`.
pub fn write_flc<W: io::Write>(mut w: W, rows: &[FlcRow]) -> io::Result<()> {
    w.write_all(format_flc(rows).as_bytes())
}

/// Writes TC template rows to `w`.
pub fn write_tc_template<W: io::Write>(mut w: W, rows: &[TcTemplateRow]) -> io::Result<()> {
    w.write_all(format_tc_template(rows).as_bytes())
}

/// SI rows with their 1-based line numbers.
pub(crate) fn parse_si_numbered(
    input: &str,
    file: &str,
) -> Result<Vec<(usize, SiRow)>, SemevalError> {
    let mut rows = Vec::new();
    for (line, fields) in lines(input) {
        let err = |message: String| parse_error(file, line, message);
        let [id, start, end] = expect_fields::<3>(&fields, "ID<TAB>start<TAB>end").map_err(err)?;
        let (start, end) = parse_offsets(start, end).map_err(err)?;
        rows.push((
            line,
            SiRow {
                id: parse_id(id).map_err(err)?,
                start,
                end,
            },
        ));
    }
    Ok(rows)
}

/// FLC rows with their 1-based line numbers.
pub(crate) fn parse_flc_numbered(
    input: &str,
    file: &str,
) -> Result<Vec<(usize, FlcRow)>, SemevalError> {
    let mut rows = Vec::new();
    for (line, fields) in lines(input) {
        let err = |message: String| parse_error(file, line, message);
        let [id, technique, start, end] =
            expect_fields::<4>(&fields, "ID<TAB>technique<TAB>start<TAB>end").map_err(err)?;
        let technique: Technique = technique.parse().map_err(|e| err(format!("{e}")))?;
        let (start, end) = parse_offsets(start, end).map_err(err)?;
        rows.push((
            line,
            FlcRow {
                id: parse_id(id).map_err(err)?,
                technique,
                start,
                end,
            },
        ));
    }
    Ok(rows)
}

pub(crate) fn read(path: &Path) -> Result<String, SemevalError> {
    std::fs::read_to_string(path).map_err(|source| SemevalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_error(file: &str, line: usize, message: String) -> SemevalError {
    SemevalError::Parse {
        file: file.to_string(),
        line,
        message,
    }
}

/// Non-empty lines with their 1-based numbers, split on tabs.
fn lines(input: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    input.split('\n').enumerate().filter_map(|(i, l)| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        (!l.is_empty()).then(|| (i + 1, l.split('\t').collect()))
    })
}

fn expect_fields<'a, const N: usize>(
    fields: &[&'a str],
    shape: &str,
) -> Result<[&'a str; N], String> {
    <[&str; N]>::try_from(fields).map_err(|_| {
        format!(
            "expected {N} tab-separated fields ({shape}), found {}",
            fields.len()
        )
    })
}

fn parse_id(id: &str) -> Result<String, String> {
    if id.is_empty() || id.chars().any(char::is_whitespace) {
        return Err(format!("article id {id:?} is empty or contains whitespace"));
    }
    Ok(id.to_string())
}

fn parse_offsets(start: &str, end: &str) -> Result<(usize, usize), String> {
    let num = |what: &str, s: &str| {
        s.parse::<usize>()
            .map_err(|_| format!("{what} offset {s:?} is not a non-negative integer"))
    };
    let (start, end) = (num("start", start)?, num("end", end)?);
    if start >= end {
        return Err(format!(
            "span {start}..{end} is empty or reversed (need start < end)"
        ));
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_round_trip_keeps_order_and_duplicates() {
        let rows = vec![
            SiRow {
                id: "2".into(),
                start: 10,
                end: 20,
            },
            SiRow {
                id: "1".into(),
                start: 0,
                end: 5,
            },
            SiRow {
                id: "1".into(),
                start: 0,
                end: 5,
            },
        ];
        let text = format_si(&rows);
        assert_eq!(text, "2\t10\t20\n1\t0\t5\n1\t0\t5\n");
        assert_eq!(parse_si(&text, "t").unwrap(), rows);
    }

    #[test]
    fn flc_round_trip_with_every_technique_name() {
        let rows: Vec<FlcRow> = Technique::ALL
            .into_iter()
            .enumerate()
            .map(|(i, t)| FlcRow {
                id: "111111111".into(),
                technique: t,
                start: i,
                end: i + 3,
            })
            .collect();
        let text = format_flc(&rows);
        assert!(text.contains("111111111\tName_Calling,Labeling\t1\t4\n"));
        assert!(text.contains("\tWhataboutism,Straw_Men,Red_Herring\t"));
        assert_eq!(parse_flc(&text, "t").unwrap(), rows);
        let mut buf = Vec::new();
        write_flc(&mut buf, &rows).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), text);
    }

    #[test]
    fn tc_template_round_trip_keeps_duplicates() {
        let text = "7\t?\t3\t9\n7\t?\t3\t9\n5\t?\t0\t1\n";
        let rows = parse_tc_template(text, "t").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], rows[1]);
        assert_eq!(rows[2].id, "5");
        assert_eq!(format_tc_template(&rows), text);
        let filled = rows[0].fill(Technique::Doubt);
        assert_eq!(format_flc(&[filled]), "7\tDoubt\t3\t9\n");
    }

    #[test]
    fn technique_names_match_serde() {
        for t in Technique::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(t.as_str().parse::<Technique>(), Ok(t));
            assert_eq!(t.to_string(), t.as_str());
        }
        let distinct: std::collections::BTreeSet<&str> =
            Technique::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(distinct.len(), 14);
        assert!("loaded_language".parse::<Technique>().is_err());
        assert!(" Doubt".parse::<Technique>().is_err());
    }

    #[test]
    fn grouping_by_article_keeps_file_order() {
        let rows = parse_flc(
            "2\tDoubt\t5\t9\n1\tSlogans\t0\t3\n2\tRepetition\t0\t4\n",
            "t",
        )
        .unwrap();
        let g = flc_by_article(&rows);
        assert_eq!(g.keys().collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(g["2"][0].technique, Technique::Doubt);
        assert_eq!(g["2"][1].start, 0);
        let si = si_by_article(&parse_si("3\t1\t2\n3\t0\t1\n", "t").unwrap());
        assert_eq!(si["3"], vec![Span::new(1, 2), Span::new(0, 1)]);
    }

    #[test]
    fn crlf_and_blank_lines_are_accepted() {
        let rows = parse_si("1\t0\t5\r\n\r\n2\t1\t2\r\n\n", "t").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].id, "2");
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse_flc("1\tDoubt\t0\t5\n1\tDoubtful\t0\t5\n", "x.tsv").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("x.tsv:2: unknown technique \"Doubtful\""),
            "{msg}"
        );

        let e = parse_si("1\t0\t5\n\n1\t5\n", "y.tsv").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("y.tsv:3: expected 3 tab-separated fields"),
            "{e}"
        );

        let e = parse_si("1\t-1\t5\n", "y.tsv").unwrap_err();
        assert!(e.to_string().contains("start offset \"-1\""), "{e}");

        let e = parse_si("1\t5\t5\n", "y.tsv").unwrap_err();
        assert!(e.to_string().contains("empty or reversed"), "{e}");

        let e = parse_tc_template("1\tDoubt\t0\t5\n", "z.tsv").unwrap_err();
        assert!(e.to_string().starts_with("z.tsv:1: expected `?`"), "{e}");

        let e = parse_si(" 1\t0\t5\n", "y.tsv").unwrap_err();
        assert!(e.to_string().contains("whitespace"), "{e}");
    }

    #[test]
    fn missing_file_names_the_path() {
        let e = read_si(Path::new("/nonexistent/unspin/si.tsv")).unwrap_err();
        assert!(
            e.to_string().starts_with("/nonexistent/unspin/si.tsv: "),
            "{e}"
        );
    }
}
