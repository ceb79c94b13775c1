//! Sentence pass: one scan over each paragraph's bytes.
//!
//! A boundary is considered after a run of terminators (`.`, `!`, `?`, `…`,
//! `...`, `?!`, CJK stops) plus any closing quotes/brackets, when whitespace
//! (or the paragraph end) follows. Whether it is taken depends on the next
//! word and, after a single `.`, on the word before it; see [`split_here`].

use crate::Sentence;
use crate::chars::{
    char_at, char_before, is_closer, is_opener, is_space, is_spaceless_terminator, is_terminator,
    skip_spaces,
};

/// Abbreviations after which a sentence never ends (titles, "e.g.", "vs.").
const NEVER: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "mmes", "dr", "prof", "gen", "sen", "sens", "rep", "reps", "gov",
    "lt", "col", "capt", "cpt", "sgt", "maj", "adm", "cmdr", "cdr", "brig", "rev", "hon", "pres",
    "supt", "insp", "det", "st", "ste", "mt", "ft", "fr", "vs", "v", "e.g", "i.e", "cf", "viz",
    "approx", "appx", "ca", "dept", "univ", "assn", "ave", "blvd", "esp", "incl", "mme", "mlle",
    "sr", "jr",
];

/// Abbreviations that precede a number ("No. 5", "Jan. 20"): no boundary
/// when a digit follows, a boundary otherwise (subject to the lowercase rule).
const NUMERIC: &[&str] = &[
    "no", "nos", "art", "vol", "vols", "fig", "figs", "p", "pp", "ch", "sec", "sect", "para", "op",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Abbreviations that often end a sentence ("Inc.", "Corp.", "et al."):
/// treated like acronyms (boundary only before a common sentence starter).
const FINAL_CAPABLE: &[&str] = &[
    "inc", "corp", "ltd", "co", "llc", "plc", "al", "bros", "gmbh", "ag", "sa",
];

/// U.S. state abbreviations (matched case-sensitively, so "ill." and
/// "mass." stay ordinary words): treated like acronyms.
const STATES: &[&str] = &[
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans",
    "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
    "Pa", "Penn", "Tenn", "Tex", "Vt", "Va", "Wash", "Wis", "Wyo",
];

/// Capitalised words that usually start a sentence rather than continue a
/// name ("the U.S. The ..." splits, "the U.S. Army" does not).
const STARTERS: &[&str] = &[
    "a",
    "about",
    "according",
    "after",
    "again",
    "against",
    "all",
    "also",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "can",
    "could",
    "despite",
    "did",
    "do",
    "does",
    "during",
    "each",
    "earlier",
    "either",
    "even",
    "every",
    "everyone",
    "few",
    "finally",
    "first",
    "for",
    "from",
    "furthermore",
    "given",
    "had",
    "has",
    "have",
    "he",
    "hence",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "indeed",
    "instead",
    "is",
    "it",
    "it's",
    "its",
    "just",
    "last",
    "later",
    "let",
    "many",
    "may",
    "meanwhile",
    "might",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "my",
    "neither",
    "nevertheless",
    "next",
    "no",
    "nor",
    "not",
    "nothing",
    "now",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "over",
    "perhaps",
    "rather",
    "several",
    "she",
    "should",
    "similarly",
    "since",
    "so",
    "some",
    "still",
    "such",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "thus",
    "to",
    "today",
    "under",
    "unlike",
    "until",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "without",
    "would",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
];

fn in_list(list: &[&str], word: &str) -> bool {
    word.len() <= 12 && {
        let mut buf = [0u8; 12];
        let lw = &mut buf[..word.len()];
        lw.copy_from_slice(word.as_bytes());
        lw.make_ascii_lowercase();
        list.iter().any(|w| w.as_bytes() == lw)
    }
}

/// "U.S", "e.g", "Ph.D", "a.m": dot-separated segments of 1–2 letters.
fn is_dotted_acronym(word: &str) -> bool {
    word.contains('.')
        && word
            .split('.')
            .all(|seg| (1..=2).contains(&seg.len()) && seg.chars().all(char::is_alphabetic))
}

/// The word (with internal dots) ending at byte `end` (exclusive), starting
/// after whitespace or an opening quote/bracket; never before `min`.
fn word_before(text: &str, min: usize, end: usize) -> (usize, &str) {
    let mut s = end;
    while s > min {
        let Some((i, c)) = char_before(text, s) else {
            break;
        };
        if is_space(c) || (is_opener(c) && c != '-' && c != '\'') || c == '/' {
            break;
        }
        s = i;
    }
    (s, &text[s..end])
}

/// The first word at byte `i` (letters, digits, apostrophes).
fn word_at(text: &str, i: usize, end: usize) -> &str {
    let t = &text[i..end];
    let n = t
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map_or(t.len(), |(k, _)| k);
    &t[..n]
}

/// Decides whether a sentence ends at a candidate boundary.
///
/// * `ps`: paragraph start; `ts`: start of the terminator run; `single_period`:
///   the run is exactly one `.`; `k`: the next non-space char, `pe`: paragraph end.
///
/// Rule (documented in the README):
/// 1. Never split inside a bracketed ellipsis (`[…]`, `(...)`, `(!)`).
/// 2. Skip opening quotes/brackets/dashes at `k`. If the next word starts
///    lowercase, do not split (e.g. `etc. and`, `"Why?" he asked`).
/// 3. After `!`, `?`, `…`, `...`: split.
/// 4. After a single `.`, look at the word before it:
///    - a list marker at the start of the paragraph (`1.`, `a.`): no split;
///    - a title or never-final abbreviation (`Mr.`, `Gen.`, `St.`, `e.g.`,
///      `vs.`): no split;
///    - a number-introducing abbreviation (`No.`, `Jan.`, `p.`): no split
///      before a digit, split otherwise;
///    - an initial (`J.`), a dotted acronym (`U.S.`, `a.m.`) or a
///      final-capable abbreviation (`Inc.`, `Corp.`, `et al.`): split only
///      when the next word is a common sentence starter (`The`, `He`, `In`,
///      `But`, ...);
///    - any other word: split.
fn split_here(text: &str, ps: usize, ts: usize, single_period: bool, k: usize, pe: usize) -> bool {
    if let Some((_, prev)) = char_before(text, ts)
        && ts > ps
        && matches!(prev, '[' | '(')
    {
        return false;
    }
    let w = skip_openers(text, k, pe);
    let next = if w < pe { char_at(text, w) } else { ' ' };
    if next.is_lowercase() {
        return false;
    }
    if !single_period {
        return true;
    }
    let (ws, word) = word_before(text, ps, ts);
    if word.is_empty() {
        return true;
    }
    if ws == ps && word.len() <= 3 && word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // "1. First point", "a. ...", "iv. ..." at the start of a paragraph.
        let is_marker = word.bytes().all(|b| b.is_ascii_digit())
            || word.len() == 1
            || word
                .bytes()
                .all(|b| matches!(b, b'i' | b'v' | b'x' | b'I' | b'V' | b'X'));
        if is_marker {
            return false;
        }
    }
    let mut wc = word.chars();
    let initial = matches!((wc.next(), wc.next()), (Some(c), None) if c.is_uppercase());
    if !initial && in_list(NEVER, word) {
        return false;
    }
    if !initial && in_list(NUMERIC, word) {
        return !next.is_numeric();
    }
    if initial || is_dotted_acronym(word) || in_list(FINAL_CAPABLE, word) || STATES.contains(&word)
    {
        let nw = word_at(text, w, pe);
        return in_list(STARTERS, nw);
    }
    true
}

/// The byte offset of the first character at or after `k` (before `pe`) that is not an
/// opening quote or bracket.
fn skip_openers(text: &str, k: usize, pe: usize) -> usize {
    let mut w = k;
    while w < pe {
        let c = char_at(text, w);
        if !is_opener(c) {
            break;
        }
        w += c.len_utf8();
    }
    w
}

/// Is the word at `k` (after opening quotes/brackets) a common sentence starter?
fn starter_at(text: &str, k: usize, pe: usize) -> bool {
    let w = skip_openers(text, k, pe);
    in_list(STARTERS, word_at(text, w, pe))
}

/// `William ("nighty-night!") Tobin`: the closers `[ts, j)` include a `)`
/// that closes a `(` opened inside the current sentence (not at its start).
fn closes_inner_parenthetical(text: &str, cur: usize, ts: usize, j: usize) -> bool {
    if !text[ts..j].contains(')') {
        return false;
    }
    let before = &text[cur..ts];
    match before.rfind('(') {
        Some(open) => open > 0 && !before[open..].contains(')'),
        None => false,
    }
}

/// Splits the paragraph `[ps, pe)` (already trimmed) into sentences (with
/// **byte** offsets).
pub(crate) fn split(text: &str, ps: usize, pe: usize, para: usize, out: &mut Vec<Sentence>) {
    let bytes = text.as_bytes();
    let mut cur = ps;
    let mut i = ps;
    while i < pe {
        let b = bytes[i];
        let c = if b < 0x80 {
            if !matches!(b, b'.' | b'!' | b'?') {
                i += 1;
                continue;
            }
            b as char
        } else if b < 0xC0 {
            i += 1;
            continue;
        } else {
            let c = char_at(text, i);
            if !is_terminator(c) {
                i += c.len_utf8();
                continue;
            }
            c
        };
        // Terminator run.
        let ts = i;
        let mut j = i + c.len_utf8();
        let mut spaceless = is_spaceless_terminator(c);
        while j < pe {
            let d = char_at(text, j);
            if !is_terminator(d) {
                break;
            }
            spaceless |= is_spaceless_terminator(d);
            j += d.len_utf8();
        }
        let single_period = c == '.' && j == ts + 1;
        // Closing quotes and brackets (and further terminators: `?")`).
        while j < pe {
            let d = char_at(text, j);
            if !(is_closer(d) || is_terminator(d)) {
                break;
            }
            j += d.len_utf8();
        }
        if j >= pe {
            break;
        }
        let d = char_at(text, j);
        let followed_by_space = is_space(d);
        if !followed_by_space && !spaceless {
            i = j;
            continue;
        }
        let k = skip_spaces(text, j, pe);
        if k >= pe {
            break;
        }
        if spaceless
            || (split_here(text, ps, ts, single_period, k, pe)
                && (!closes_inner_parenthetical(text, cur, ts, j) || starter_at(text, k, pe)))
        {
            out.push(Sentence {
                start: cur,
                end: j,
                paragraph: para,
            });
            cur = k;
        }
        i = k;
    }
    if cur < pe {
        out.push(Sentence {
            start: cur,
            end: pe,
            paragraph: para,
        });
    }
}
