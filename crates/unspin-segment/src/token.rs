//! Token pass: one scan over each sentence's bytes, ASCII fast path, grapheme
//! clusters (via `unicode-segmentation`) for non-ASCII text so that combining
//! marks, ZWJ emoji sequences and flags stay inside one token.

use crate::chars::{char_at, is_ascii_space, is_punct, is_single_char_word, is_space};
use crate::{Token, TokenKind};
use unicode_segmentation::UnicodeSegmentation;

/// End of the grapheme cluster starting at `i`, clamped to `end`.
#[inline]
fn unit_end(text: &str, i: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes[i] < 0x80 && (i + 1 >= end || bytes[i + 1] < 0x80) {
        return i + 1;
    }
    text[i..end]
        .graphemes(true)
        .next()
        .map_or(end, |g| i + g.len())
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

#[inline]
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

fn starts_with_ci(t: &str, p: &str) -> bool {
    t.len() >= p.len() && t.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

/// Length of a URL starting at the beginning of `t` (up to whitespace,
/// trailing punctuation excluded), if `t` starts with `http(s)://` or `www.`.
fn url_len(t: &str) -> Option<usize> {
    if !(starts_with_ci(t, "http://") || starts_with_ci(t, "https://") || starts_with_ci(t, "www."))
    {
        return None;
    }
    let raw = t.find(|c: char| is_space(c)).unwrap_or(t.len());
    let u = &t[..raw];
    let mut n = u.len();
    for (k, c) in u.char_indices().rev() {
        let unmatched_paren =
            c == ')' && u[..k].matches('(').count() <= u[..k].matches(')').count();
        if matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | ']' | '”' | '’' | '»'
        ) || unmatched_paren
        {
            n = k;
        } else {
            break;
        }
    }
    Some(n)
}

/// Length of a dotted acronym with its final dot ("U.S.", "e.g.", "a.m.").
fn dotted_len(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut n = 0;
    while n + 1 < b.len() && b[n].is_ascii_alphabetic() && b[n + 1] == b'.' {
        n += 2;
    }
    (n >= 4 && b.get(n).is_none_or(|c| !c.is_ascii_alphanumeric())).then_some(n)
}

/// Scans a word or number starting at `i`; returns its end and kind.
fn word(text: &str, i: usize, end: usize) -> (usize, TokenKind) {
    let t = &text[i..end];
    if let Some(n) = url_len(t).filter(|&n| n > 4) {
        return (i + n, TokenKind::Word);
    }
    if let Some(n) = dotted_len(t) {
        return (i + n, TokenKind::Word);
    }
    let first = char_at(text, i);
    if is_single_char_word(first) {
        return (unit_end(text, i, end), TokenKind::Word);
    }
    let numeric_start = first.is_numeric();
    let mut has_letter = !numeric_start;
    let mut prev = first;
    let mut j = unit_end(text, i, end);
    let bytes = text.as_bytes();
    while j < end {
        // ASCII fast path: a run of ASCII letters/digits not followed by a
        // possible combining mark.
        let run = j;
        while j < end && bytes[j].is_ascii_alphanumeric() && (j + 1 >= end || bytes[j + 1] < 0x80) {
            j += 1;
        }
        if j > run {
            has_letter |= bytes[run..j].iter().any(|b| b.is_ascii_alphabetic());
            prev = bytes[j - 1] as char;
            continue;
        }
        let c = char_at(text, j);
        if c.is_alphanumeric() && !is_single_char_word(c) {
            has_letter |= !c.is_numeric();
            prev = c;
            j = unit_end(text, j, end);
            continue;
        }
        let after = j + c.len_utf8();
        let next = if after < end {
            char_at(text, after)
        } else {
            ' '
        };
        let join = if is_apostrophe(c) {
            prev.is_alphabetic() && next.is_alphabetic()
        } else if is_hyphen(c) {
            prev.is_alphanumeric()
                && next.is_alphanumeric()
                && (prev.is_alphabetic() || next.is_alphabetic())
        } else if c == '.' || c == ',' {
            (numeric_start && !has_letter && prev.is_numeric() && next.is_numeric())
                || (c == '.'
                    && prev.is_alphabetic()
                    && (next.is_lowercase() || next.is_ascii_digit()))
        } else if c == '@' || c == '_' {
            prev.is_alphanumeric() && next.is_alphanumeric()
        } else if c == '%' {
            if numeric_start && !has_letter {
                j = after;
            }
            break;
        } else {
            false
        };
        if !join {
            break;
        }
        prev = c;
        j = after;
    }
    let kind = if numeric_start && !has_letter {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    (j, kind)
}

/// Tokenizes the sentence `[s, e)` into `out` (with **byte** offsets).
pub(crate) fn tokenize(text: &str, s: usize, e: usize, sent: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = s;
    while i < e {
        let b = bytes[i];
        let (c, ascii) = if b < 0x80 {
            if is_ascii_space(b) {
                i += 1;
                continue;
            }
            (b as char, true)
        } else {
            let c = char_at(text, i);
            if is_space(c) {
                i += c.len_utf8();
                continue;
            }
            (c, false)
        };
        let (j, kind) = if c.is_alphanumeric() {
            word(text, i, e)
        } else if ascii && (b == b'.' || b == b'-') && url_len(&text[i..e]).is_none() {
            // Runs of dots ("...") or hyphens ("--") are one token.
            let mut j = i + 1;
            while j < e && bytes[j] == b {
                j += 1;
            }
            if j < e && bytes[j] >= 0x80 {
                // Keep combining marks on the last dot inside the token.
                j = unit_end(text, j - 1, e);
            }
            (j, TokenKind::Punct)
        } else {
            let kind = if is_punct(c) {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            };
            (unit_end(text, i, e), kind)
        };
        out.push(Token {
            start: i,
            end: j,
            sentence: sent,
            kind,
        });
        i = j;
    }
}
