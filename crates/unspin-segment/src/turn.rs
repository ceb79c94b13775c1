//! Turn pass: speaker labels of transcripts ("TRUMP: Our jobs are fleeing …").
//!
//! Works on the trimmed lines of the paragraph pass, before lines are grouped, so that a
//! labelled line always starts a paragraph and the sentence pass can start after its label.
//!
//! A line-initial **label** is a name of 1–4 words (letters, `.`, `'`, `’`, `-`), at most
//! 40 code points, optionally followed by a parenthetical (`SANDERS (D-VT)`), then `:`,
//! whitespace and some speech, holding a letter, on the same line. It is written either
//! - in **upper case** (`TRUMP`, `MR. TRUMP`, `SEN. SANDERS`, `Q`, `MODERATOR`), or
//! - in **mixed case**, every word capitalised except name particles inside it
//!   (`Lester Holt`, `Mr. Trump`, `Ursula von der Leyen`).
//!
//! Labels that are not speakers (`NOTE`, `UPDATE`, `EDITOR'S NOTE`, `READ MORE`, `PHOTO`,
//! `SOURCE`, weekdays, …: every word in [`STOP`]) are never counted.
//!
//! The text is a **transcript** when it holds at least three labelled lines. Upper-case
//! labels always count; mixed-case ones count only when there are at least three of them,
//! by at least two speakers, someone speaks again after someone else ("A, B, A": an
//! article's "Price: …", "Pros: …", "Verdict: …" lines do not), and there are fewer
//! [`Case::Field`] lines (`Number of nuns: 245`, `Clinton: 1,769.`) than mixed-case labels.
//! In a text that is not a transcript nothing changes. In a transcript, each label starts a
//! turn holding the speech after it and every following line up to the next label, a
//! non-speaker label or a Markdown heading; the last turn spans at most as many lines as the
//! longest earlier one (an article quoting a transcript goes on after it).

use std::collections::HashSet;

use crate::chars::is_space;
use crate::paragraph::{Line, is_markdown_heading};

/// Words that make a label a non-speaker heading when every word of it is one of them
/// (lower case, without a final dot).
const STOP: &[&str] = &[
    "about",
    "ad",
    "advertisement",
    "alert",
    "also",
    "analysis",
    "article",
    "attachment",
    "author",
    "background",
    "bcc",
    "bottom",
    "breaking",
    "by",
    "caption",
    "caution",
    "cc",
    "chapter",
    "check",
    "claim",
    "clarification",
    "commentary",
    "comments",
    "cons",
    "contact",
    "context",
    "correction",
    "cost",
    "coverage",
    "credit",
    "credits",
    "danger",
    "date",
    "dateline",
    "disclaimer",
    "disclosure",
    "e-mail",
    "editor's",
    "editor’s",
    "editors",
    "email",
    "example",
    "exclusive",
    "fact",
    "facts",
    "false",
    "fax",
    "featured",
    "file",
    "filed",
    "follow",
    "friday",
    "from",
    "full",
    "fw",
    "fwd",
    "gallery",
    "getty",
    "headline",
    "headlines",
    "here",
    "how",
    "image",
    "images",
    "important",
    "key",
    "latest",
    "line",
    "link",
    "links",
    "listen",
    "live",
    "location",
    "media",
    "monday",
    "more",
    "n.b",
    "nb",
    "new",
    "news",
    "next",
    "note",
    "notes",
    "now",
    "official",
    "opinion",
    "part",
    "phone",
    "photo",
    "photos",
    "picture",
    "pictures",
    "point",
    "points",
    "posted",
    "previous",
    "price",
    "pros",
    "p.s",
    "ps",
    "published",
    "rating",
    "re",
    "read",
    "related",
    "report",
    "reporting",
    "saturday",
    "section",
    "see",
    "share",
    "source",
    "sources",
    "sponsored",
    "statement",
    "step",
    "story",
    "subject",
    "subscribe",
    "summary",
    "sunday",
    "tags",
    "tel",
    "the",
    "thursday",
    "time",
    "tip",
    "tips",
    "title",
    "to",
    "top",
    "topics",
    "transcript",
    "translation",
    "trending",
    "true",
    "tuesday",
    "update",
    "updated",
    "updates",
    "url",
    "verdict",
    "via",
    "video",
    "videos",
    "warning",
    "watch",
    "web",
    "website",
    "wednesday",
    "what",
    "when",
    "where",
    "who",
    "why",
];

/// Lower-case name particles allowed inside a mixed-case label ("von der Leyen").
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "dos", "du", "el", "la",
    "le", "st", "ten", "ter", "van", "von", "y",
];

/// Most bytes before the colon of a label (names plus a parenthetical).
const MAX_HEAD_BYTES: usize = 120;
/// Most code points in a label's name.
const MAX_NAME_CHARS: usize = 40;
/// Most code points in a label's parenthetical.
const MAX_PAREN_CHARS: usize = 30;
/// Fewest labelled lines that make a transcript.
const MIN_LABELLED_LINES: usize = 3;

/// How a label is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// `TRUMP`, `MR. TRUMP`, `Q`.
    Upper,
    /// `Lester Holt`, `Ursula von der Leyen`.
    Mixed,
    /// Not a speaker: a field name in sentence case (`Path taken`, `Number of nuns`) or a
    /// name followed by no words (`Clinton: 1,769.`), which make a text a form or a table
    /// rather than a transcript.
    Field,
}

/// A label at the start of a line, byte offsets into the text.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    line: usize,
    name_s: usize,
    name_e: usize,
    /// First byte of the speech after the label.
    body: usize,
    case: Case,
    /// A non-speaker heading ("NOTE", "UPDATE").
    stop: bool,
}

/// A turn in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ByteTurn {
    /// Start of the labelled line (the label's first byte).
    pub line_s: usize,
    /// The speaker's name, without the colon.
    pub name_s: usize,
    pub name_e: usize,
    /// First byte of the speech.
    pub body: usize,
    /// End of the turn's last line.
    pub end: usize,
}

/// The turns of a text and the lines that must start a paragraph.
#[derive(Debug, Default)]
pub(crate) struct Turns {
    pub turns: Vec<ByteTurn>,
    /// For each line, whether it starts a paragraph group (empty when the text is not a
    /// transcript).
    pub breaks: Vec<bool>,
}

/// A label at the start of `line` (already trimmed): the name's byte range within the
/// line (it starts the line and never has whitespace at its edges: words are separated
/// by single spaces and start with a letter), the byte where the speech starts, and how
/// the name is written.
fn parse(line: &str) -> Option<(usize, usize, usize, Case)> {
    let first = line.chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let colon = find_colon(line.as_bytes())?;
    // The colon is followed by whitespace and then speech.
    let rest = &line[colon + 1..];
    if !rest.starts_with(is_space) {
        return None;
    }
    let speech = rest.trim_start_matches(is_space);
    if speech.is_empty() {
        return None;
    }
    let body = line.len() - speech.len();
    let head = &line[..colon];
    let name = match head.strip_suffix(')') {
        Some(inner) => {
            let open = inner.rfind('(')?;
            let paren = &inner[open + 1..];
            let n = paren.chars().count();
            if n == 0 || n > MAX_PAREN_CHARS || paren.contains(['(', ')']) {
                return None;
            }
            inner[..open].strip_suffix(' ')?
        }
        None => head,
    };
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return None;
    }
    let mut words = 0;
    let (mut lower, mut upper) = (false, false);
    let mut mixed_ok = true;
    let n_words = name.split(' ').count();
    for (k, w) in name.split(' ').enumerate() {
        words += 1;
        let mut chars = w.chars();
        let c0 = chars.next()?;
        if !c0.is_alphabetic() {
            return None;
        }
        for c in w.chars() {
            if c.is_alphabetic() {
                if c.is_lowercase() {
                    lower = true;
                } else if c.is_uppercase() {
                    upper = true;
                } else {
                    // Letters without case (CJK, Arabic): not a label.
                    return None;
                }
            } else if !matches!(c, '.' | '\'' | '’' | '-') {
                return None;
            }
        }
        if !c0.is_uppercase() {
            let inner = k > 0 && k + 1 < n_words;
            let lw = w.trim_end_matches('.');
            if !(inner && PARTICLES.contains(&lw)) {
                mixed_ok = false;
            }
        }
    }
    if !(1..=4).contains(&words) || !upper {
        return None;
    }
    let case = if !speech.contains(char::is_alphabetic) {
        // "Clinton: 1,769." is a table row, not speech.
        Case::Field
    } else if !lower {
        Case::Upper
    } else if mixed_ok {
        Case::Mixed
    } else if words >= 2 && first.is_uppercase() {
        Case::Field
    } else {
        return None;
    };
    Some((0, name.len(), body, case))
}

/// The colon ending a possible label at the start of `bytes`: a cheap scan that gives up
/// at the first byte no label holds before its parenthetical (a digit, a comma, …) or at
/// the fifth word, so prose lines cost a few bytes each.
#[inline]
fn find_colon(bytes: &[u8]) -> Option<usize> {
    // Most lines hold no colon near their start (memchr-fast).
    if !bytes[..bytes.len().min(MAX_HEAD_BYTES)].contains(&b':') {
        return None;
    }
    let mut spaces = 0;
    for (i, &b) in bytes.iter().enumerate().take(MAX_HEAD_BYTES) {
        match b {
            b':' => return Some(i),
            b' ' => {
                spaces += 1;
                if spaces > 4 {
                    return None;
                }
            }
            b'(' => {
                // The parenthetical: anything up to its `)`, which the colon follows.
                let close = bytes[i..]
                    .iter()
                    .take(MAX_HEAD_BYTES)
                    .position(|&c| c == b')')?;
                let j = i + close + 1;
                return (bytes.get(j) == Some(&b':')).then_some(j);
            }
            b'.' | b'\'' | b'-' => {}
            _ if b.is_ascii_alphabetic() || b >= 0x80 => {}
            _ => return None,
        }
    }
    None
}

/// True when every word of the label is a non-speaker word ("EDITOR'S NOTE", "Read more").
fn is_stop(name: &str) -> bool {
    name.split(' ').all(|w| {
        let w = w.trim_end_matches('.');
        if w.is_ascii() {
            let mut buf = [0u8; 16];
            w.len() <= buf.len() && {
                let lw = &mut buf[..w.len()];
                lw.copy_from_slice(w.as_bytes());
                lw.make_ascii_lowercase();
                STOP.iter().any(|s| s.as_bytes() == lw)
            }
        } else {
            let lw = w.to_lowercase();
            STOP.contains(&lw.as_str())
        }
    })
}

/// Finds the speaker turns among the trimmed non-blank `lines` of `text`.
pub(crate) fn find(text: &str, lines: &[Line]) -> Turns {
    let mut cands: Vec<Candidate> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = &text[l.s..l.e];
        if let Some((ns, ne, body, case)) = parse(t) {
            let stop = is_stop(&t[ns..ne]);
            cands.push(Candidate {
                line: i,
                name_s: l.s + ns,
                name_e: l.s + ne,
                body: l.s + body,
                case,
                stop,
            });
        }
    }
    let name = |c: &Candidate| &text[c.name_s..c.name_e];
    let mixed: Vec<&str> = cands
        .iter()
        .filter(|c| !c.stop && c.case == Case::Mixed)
        .map(name)
        .collect();
    let fields = cands.iter().filter(|c| c.case == Case::Field).count();
    let mixed_ok = mixed.len() >= MIN_LABELLED_LINES && fields < mixed.len() && is_exchange(&mixed);
    let accepted = |c: &Candidate| match c.case {
        Case::Upper => !c.stop,
        Case::Mixed => !c.stop && mixed_ok,
        Case::Field => false,
    };
    if cands.iter().filter(|c| accepted(c)).count() < MIN_LABELLED_LINES {
        return Turns::default();
    }
    let mut breaks = vec![false; lines.len()];
    let mut turns: Vec<ByteTurn> = Vec::new();
    // The last line of each turn, and the most lines any turn but the last spans.
    let mut last_line: Vec<usize> = Vec::new();
    let mut longest = 0;
    let mut open = false;
    let mut next = cands.iter().peekable();
    for (i, l) in lines.iter().enumerate() {
        let cand = next.next_if(|c| c.line == i);
        match cand {
            Some(c) if accepted(c) => {
                breaks[i] = true;
                if let (Some(t), Some(&end)) = (turns.last(), last_line.last()) {
                    let first = lines.partition_point(|x| x.s < t.line_s);
                    longest = longest.max(end + 1 - first);
                }
                turns.push(ByteTurn {
                    line_s: l.s,
                    name_s: c.name_s,
                    name_e: c.name_e,
                    body: c.body,
                    end: l.e,
                });
                last_line.push(i);
                open = true;
            }
            Some(c) if c.stop => {
                breaks[i] = true;
                open = false;
            }
            _ if open && is_markdown_heading(&text[l.s..l.e]) => open = false,
            _ => {
                if open && let (Some(t), Some(end)) = (turns.last_mut(), last_line.last_mut()) {
                    t.end = l.e;
                    *end = i;
                }
            }
        }
    }
    // A transcript quoted inside an article: the article goes on after the last turn. So
    // the last turn spans at most as many lines as the longest earlier one.
    if turns.len() >= 2
        && let (Some(t), Some(&end)) = (turns.last_mut(), last_line.last())
    {
        let first = lines.partition_point(|x| x.s < t.line_s);
        if end + 1 - first > longest {
            t.end = lines[first + longest - 1].e;
            // The rest is the article's: no paragraph runs on into it.
            breaks[first + longest] = true;
        }
    }
    Turns { turns, breaks }
}

/// Do these mixed-case labels, in text order, read as an exchange: at least two speakers,
/// and someone who speaks again after someone else ("A, B, A")? Field names of a form
/// ("Federation", "Federation", "Present Problems") and headings do not.
fn is_exchange(names: &[&str]) -> bool {
    let mut before: HashSet<&str> = HashSet::new();
    for k in 1..names.len() {
        if k >= 2 {
            before.insert(names[k - 2]);
        }
        if names[k - 1] != names[k] && before.contains(names[k]) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(line: &str) -> Option<(&str, &str, Case)> {
        parse(line).map(|(s, e, b, c)| (&line[s..e], &line[b..], c))
    }

    #[test]
    fn upper_case_labels() {
        assert_eq!(
            label("TRUMP: Our jobs are fleeing."),
            Some(("TRUMP", "Our jobs are fleeing.", Case::Upper))
        );
        assert_eq!(
            label("MR. TRUMP:  Wrong."),
            Some(("MR. TRUMP", "Wrong.", Case::Upper))
        );
        assert_eq!(label("SEN. SANDERS: Yes.").unwrap().0, "SEN. SANDERS");
        assert_eq!(label("Q: Why?").unwrap().0, "Q");
        assert_eq!(label("O’ROURKE: No.").unwrap().0, "O’ROURKE");
        assert_eq!(label("SANDERS (D-VT): No.").unwrap().0, "SANDERS");
        assert_eq!(label("UNIDENTIFIED MALE: Hello.").unwrap().2, Case::Upper);
        assert_eq!(label("ЖИРИНОВСКИЙ: Да.").unwrap().0, "ЖИРИНОВСКИЙ");
    }

    #[test]
    fn mixed_case_labels() {
        assert_eq!(
            label("Lester Holt: Good evening."),
            Some(("Lester Holt", "Good evening.", Case::Mixed))
        );
        assert_eq!(
            label("Ursula von der Leyen: Thanks.").unwrap().0,
            "Ursula von der Leyen"
        );
        // Sentence-case heads are form fields, which count against a transcript.
        assert_eq!(label("Point one: NATO membership").unwrap().2, Case::Field);
        assert_eq!(
            label("The reason is simple: money.").unwrap().2,
            Case::Field
        );
        assert_eq!(label("Clinton: 1,769.").unwrap().2, Case::Field);
        assert_eq!(label("TOTAL: 45").unwrap().2, Case::Field);
        assert_eq!(label("however: no"), None);
    }

    #[test]
    fn not_labels() {
        for line in [
            "TRUMP:no space",
            "TRUMP:",
            "TRUMP: ",
            "TRUMP : spaced",
            "FIVE WORDS IN THE NAME: no",
            "COVID-19: a virus",
            "9:30 the meeting",
            "“TRUMP: quoted”",
            "- TRUMP: a list item",
            "東京: 一",
            "A very long mixed case head that goes on: and on",
        ] {
            assert_eq!(label(line), None, "{line}");
        }
    }

    #[test]
    fn stop_labels() {
        for name in [
            "NOTE",
            "EDITOR'S NOTE",
            "Editor’s note",
            "READ MORE",
            "UPDATE",
            "P.S.",
        ] {
            assert!(is_stop(name), "{name}");
        }
        for name in ["TRUMP", "Q", "MODERATOR", "Lester Holt", "QUESTION"] {
            assert!(!is_stop(name), "{name}");
        }
    }
}
