//! Paragraph pass: lines, blank-line blocks, hard-wrap detection, kinds.
//!
//! Every non-blank line is a paragraph, except inside a hard-wrapped block
//! (lines of a blank-line-separated block that run on mid-sentence), which is
//! one paragraph. See [`is_wrapped`] for the heuristic. In a transcript (see
//! [`crate::turn`]) every labelled line starts a paragraph.

use crate::ParagraphKind;
use crate::chars::{char_at, char_before, is_closer, is_terminator, trim};
use crate::turn::{self, ByteTurn};

/// One non-blank line: trimmed byte range plus a few cheap features.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub(crate) s: usize,
    pub(crate) e: usize,
    /// Number of code points in the trimmed line.
    chars: usize,
    /// Whether a blank line (or the start of the text) precedes this line.
    after_blank: bool,
}

/// A paragraph as byte offsets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BytePara {
    pub s: usize,
    pub e: usize,
    pub kind: ParagraphKind,
    /// Number of lines merged into it (1 unless hard-wrapped).
    pub lines: usize,
    /// Where its sentences start: after the speaker label of a transcript turn, else `s`.
    pub body: usize,
    /// Whether it lies inside a transcript turn.
    pub in_turn: bool,
}

fn count_chars(s: &str) -> usize {
    // Every byte that is not a UTF-8 continuation byte starts a char.
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// Splits the text into trimmed non-blank lines. Line breaks: LF, CR, CRLF,
/// VT, FF, NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH SEPARATOR (U+2029).
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = 0usize;
    let mut i = 0usize;
    let mut after_blank = true;
    let mut push = |s: usize, e: usize, after_blank: &mut bool| {
        let (s, e) = trim(text, s, e);
        if s < e {
            out.push(Line {
                s,
                e,
                chars: count_chars(&text[s..e]),
                after_blank: *after_blank,
            });
            *after_blank = false;
        } else {
            *after_blank = true;
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        let brk = match b {
            b'\n' | 0x0B | 0x0C => 1,
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                }
            }
            0xC2 if bytes.get(i + 1) == Some(&0x85) => 2,
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(&0xA8) | Some(&0xA9)) =>
            {
                3
            }
            _ => 0,
        };
        if brk > 0 {
            push(start, i, &mut after_blank);
            i += brk;
            start = i;
        } else {
            i += 1;
        }
    }
    push(start, bytes.len(), &mut after_blank);
    out
}

/// Ordinal and cardinal number words used in "Point one:" style list items.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
];

/// Length in bytes of a list marker (bullet, `1.`, `1)`, `a)`, `(a)`) at the
/// start of `line`, including the following whitespace, if any.
pub(crate) fn list_marker_len(line: &str) -> Option<usize> {
    let mut it = line.char_indices();
    let (_, c) = it.next()?;
    let after = |n: usize| -> Option<usize> {
        // The marker must be followed by whitespace and some content.
        let rest = &line[n..];
        let t = rest.trim_start();
        (t.len() < rest.len() && !t.is_empty()).then_some(n)
    };
    match c {
        '-' | '*' | '+' | '•' | '‣' | '◦' | '▪' | '▫' | '●' | '○' | '■' | '□' | '➢' | '►' | '✓'
        | '✔' | '–' | '—' => after(c.len_utf8()),
        '0'..='9' => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 3 {
                return None;
            }
            match line.as_bytes().get(digits) {
                Some(b'.') | Some(b')') => after(digits + 1),
                _ => None,
            }
        }
        'a'..='z' => match line.as_bytes().get(1) {
            Some(b')') => after(2),
            _ => None,
        },
        '(' => {
            let inner = line[1..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if (1..=3).contains(&inner) && line.as_bytes().get(1 + inner) == Some(&b')') {
                after(inner + 2)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// "Point one: NATO membership", "Step 2: ...", "Reason #3: ...".
fn is_labelled_item(line: &str) -> bool {
    let Some(colon) = line.find(':') else {
        return false;
    };
    if colon > 40 {
        return false;
    }
    let head = &line[..colon];
    let mut words = head.split_whitespace();
    let (Some(label), Some(num), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    if !label.chars().next().is_some_and(char::is_uppercase)
        || !label.chars().all(char::is_alphabetic)
    {
        return false;
    }
    let num = num.trim_start_matches(['#', '№']);
    let is_num = (!num.is_empty() && num.len() <= 3 && num.bytes().all(|b| b.is_ascii_digit()))
        || NUMBER_WORDS.contains(&num.to_ascii_lowercase().as_str());
    // Content must follow the colon.
    is_num && !line[colon + 1..].trim().is_empty()
}

/// A Markdown ATX heading: 1–6 `#` followed by a space or the line end.
pub(crate) fn is_markdown_heading(line: &str) -> bool {
    let n = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&n)
        && line
            .as_bytes()
            .get(n)
            .is_none_or(|&b| b == b' ' || b == b'\t')
}

/// A Markdown thematic break or setext underline: only `-`, `=`, `*`, `_`
/// (at least three) and spaces.
fn is_rule(line: &str) -> bool {
    let mut n = 0;
    let mut first = 0u8;
    for b in line.bytes() {
        match b {
            b'-' | b'=' | b'*' | b'_' => {
                if first == 0 {
                    first = b;
                } else if b != first {
                    return false;
                }
                n += 1;
            }
            b' ' | b'\t' => {}
            _ => return false,
        }
    }
    n >= 3
}

fn is_url_line(line: &str) -> bool {
    let l = line.as_bytes();
    let starts = |p: &str| l.len() >= p.len() && l[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    (starts("http://") || starts("https://") || starts("www."))
        && !line.contains(char::is_whitespace)
}

/// Last char of the line once trailing closing quotes/brackets are skipped.
fn last_significant(line: &str) -> Option<char> {
    line.chars().rev().find(|&c| !is_closer(c))
}

fn ends_sentence(line: &str) -> bool {
    last_significant(line).is_some_and(is_terminator)
}

/// Does the joint between `a` and the next line `b` run on mid-sentence?
/// Returns (strong, weak) evidence.
fn joint(text: &str, a: &Line, b: &Line, max_len: usize, n_lines: usize) -> (bool, bool) {
    let Some((_, last)) = char_before(text, a.e) else {
        return (false, false);
    };
    let next = char_at(text, b.s);
    if matches!(
        last,
        ',' | ';' | '(' | '-' | '–' | '—' | '&' | '/' | '“' | '‘'
    ) {
        return (true, false);
    }
    if last.is_alphanumeric() {
        if next.is_lowercase() {
            return (true, false);
        }
        // Long line ending in a word, followed by a capitalised line: weak
        // evidence (a name may follow), only counted in longer blocks.
        if n_lines >= 3 && a.chars >= 40 && a.chars * 10 >= max_len * 6 {
            return (false, true);
        }
    }
    (false, false)
}

/// Hard-wrap heuristic for a group of consecutive lines (no blank line, no
/// list marker or heading between them): every line but the last is at most
/// 200 code points, at least one joint runs on mid-sentence with strong
/// evidence (the line ends with `,`/`;`/dash/opening bracket, or ends with a
/// word and the next line starts lowercase), and at least half of all joints
/// are mid-sentence counting weak evidence too (a long line ending in a word).
fn is_wrapped(text: &str, group: &[Line]) -> bool {
    let n = group.len();
    if n < 2 {
        return false;
    }
    let body = &group[..n - 1];
    let max_len = body.iter().map(|l| l.chars).max().unwrap_or(0);
    if max_len > 200 {
        return false;
    }
    let (mut strong, mut weak) = (0usize, 0usize);
    for w in group.windows(2) {
        let (s, wk) = joint(text, &w[0], &w[1], max_len, n);
        strong += s as usize;
        weak += wk as usize;
    }
    strong >= 1 && 2 * (strong + weak) >= n - 1
}

/// Splits `text` into paragraphs (byte offsets) with their kinds, and finds its speaker
/// turns if it is a transcript.
pub(crate) fn split(text: &str) -> (Vec<BytePara>, Vec<ByteTurn>) {
    let lines = lines(text);
    let turn::Turns { turns, breaks } = turn::find(text, &lines);
    let breaks_at = |j: usize| breaks.get(j).copied().unwrap_or(false);
    let mut paras: Vec<BytePara> = Vec::with_capacity(lines.len());
    // Group consecutive lines: a blank line, a list item, a heading or a rule
    // starts a new group; headings and rules are groups of their own.
    let mut i = 0;
    while i < lines.len() {
        let first = &text[lines[i].s..lines[i].e];
        let standalone = is_markdown_heading(first) || is_rule(first);
        let mut j = i + 1;
        if !standalone {
            while j < lines.len() {
                let l = &lines[j];
                let t = &text[l.s..l.e];
                if l.after_blank
                    || breaks_at(j)
                    || list_marker_len(t).is_some()
                    || is_markdown_heading(t)
                    || is_rule(t)
                {
                    break;
                }
                j += 1;
            }
        }
        let group = &lines[i..j];
        if is_wrapped(text, group) {
            paras.push(BytePara {
                s: group[0].s,
                e: group[group.len() - 1].e,
                kind: ParagraphKind::Body,
                lines: group.len(),
                body: group[0].s,
                in_turn: false,
            });
        } else {
            paras.extend(group.iter().map(|l| BytePara {
                s: l.s,
                e: l.e,
                kind: ParagraphKind::Body,
                lines: 1,
                body: l.s,
                in_turn: false,
            }));
        }
        i = j;
    }
    if !turns.is_empty() {
        mark_turns(&mut paras, &turns);
    }
    classify(text, &mut paras);
    (paras, turns)
}

/// Marks the paragraphs inside turns, and starts the sentences of each labelled paragraph
/// after its label. Paragraphs never straddle a turn's edge: labelled lines, non-speaker
/// labels and headings, which end turns, all start a paragraph.
fn mark_turns(paras: &mut [BytePara], turns: &[ByteTurn]) {
    let mut k = 0;
    for p in paras.iter_mut() {
        while k < turns.len() && turns[k].end < p.e {
            k += 1;
        }
        let Some(t) = turns.get(k) else {
            break;
        };
        if t.line_s <= p.s && p.e <= t.end {
            p.in_turn = true;
            if p.s == t.line_s {
                p.body = t.body;
            }
        }
    }
}

/// Assigns paragraph kinds.
///
/// - `Heading`: Markdown `#` headings; a line underlined by `===`/`---`; the
///   first paragraph (title) when it is one line of at most 250 code points
///   not ending in `.`, `,` or `;` and followed by another paragraph; any
///   short line (≤ 100 code points, ≤ 15 words) starting with an uppercase
///   letter or digit, without sentence-final punctuation, followed by body
///   text (a paragraph ending with sentence-final punctuation or ≥ 120 code
///   points long).
/// - `ListItem`: bullets (`-`, `*`, `+`, `•`, ...), `1.`, `1)`, `a)`, `(a)`,
///   and "Label number: text" lines such as "Point one: NATO membership".
/// - `Body`: everything else, including URL-only lines, and in a transcript every
///   labelled line and every line of a turn that is not a list item.
fn classify(text: &str, paras: &mut [BytePara]) {
    let n = paras.len();
    for k in 0..n {
        let p = paras[k];
        let t = &text[p.s..p.e];
        let kind = if is_markdown_heading(t) {
            ParagraphKind::Heading
        } else if p.in_turn && p.body > p.s {
            // A labelled line: "TRUMP: …" is speech, not a heading or a "Label: text" item.
            ParagraphKind::Body
        } else if list_marker_len(t).is_some() || (p.lines == 1 && is_labelled_item(t)) {
            ParagraphKind::ListItem
        } else if p.in_turn || p.lines > 1 || is_url_line(t) || is_rule(t) {
            ParagraphKind::Body
        } else if k + 1 < n
            && (is_setext_underline(text, paras[k + 1]) || is_heading_like(text, k, paras))
        {
            ParagraphKind::Heading
        } else {
            ParagraphKind::Body
        };
        paras[k].kind = kind;
    }
}

/// `===` or `---` line under a heading (Markdown setext).
fn is_setext_underline(text: &str, p: BytePara) -> bool {
    let r = &text[p.s..p.e];
    is_rule(r) && (r.starts_with('=') || r.starts_with('-'))
}

fn is_heading_like(text: &str, k: usize, paras: &[BytePara]) -> bool {
    let p = paras[k];
    let t = &text[p.s..p.e];
    let chars = count_chars(t);
    let last = last_significant(t);
    if k == 0 && chars <= 250 && !matches!(last, Some('.') | Some(',') | Some(';')) {
        return true;
    }
    if chars > 100 || t.split_whitespace().count() > 15 {
        return false;
    }
    if last.is_none_or(|c| is_terminator(c) || matches!(c, ',' | ';' | ':')) {
        return false;
    }
    let Some(first) = t.chars().find(|c| c.is_alphanumeric()) else {
        return false;
    };
    if !(first.is_uppercase() || first.is_numeric()) {
        return false;
    }
    let next = paras[k + 1];
    let nt = &text[next.s..next.e];
    !is_url_line(nt) && (ends_sentence(nt) || count_chars(nt) >= 120)
}
