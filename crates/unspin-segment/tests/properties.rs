//! Property tests: span invariants on arbitrary and structured text, and
//! OffsetMap round-trips.

use proptest::prelude::*;
use unspin_segment::{OffsetMap, segment};

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// Checks every documented invariant of `segment(text)`.
fn check(text: &str) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let seg = segment(text);
    let edge_ok = |s: usize, e: usize| !is_space(chars[s]) && !is_space(chars[e - 1]);
    let mut prev_end = 0;
    for p in &seg.paragraphs {
        prop_assert!(
            p.start < p.end && p.end <= n,
            "paragraph out of range {:?}",
            p
        );
        prop_assert!(p.start >= prev_end, "paragraphs overlap or unordered");
        prop_assert!(edge_ok(p.start, p.end), "paragraph not trimmed");
        prev_end = p.end;
    }
    // Every non-space char outside paragraphs is... none: paragraphs cover all.
    let mut covered = vec![false; n];
    for p in &seg.paragraphs {
        covered[p.start..p.end].fill(true);
    }
    for (i, &c) in chars.iter().enumerate() {
        prop_assert!(
            covered[i] || is_space(c),
            "char {i} {c:?} not in any paragraph"
        );
    }
    let mut prev_end = 0;
    let mut in_sentence = vec![false; n];
    for s in &seg.sentences {
        prop_assert!(
            s.start < s.end && s.end <= n,
            "sentence out of range {:?}",
            s
        );
        prop_assert!(s.start >= prev_end, "sentences overlap or unordered");
        prop_assert!(edge_ok(s.start, s.end), "sentence not trimmed");
        let p = seg.paragraphs.get(s.paragraph);
        prop_assert!(p.is_some(), "bad paragraph index");
        let p = p.unwrap();
        prop_assert!(
            p.start <= s.start && s.end <= p.end,
            "sentence outside its paragraph"
        );
        in_sentence[s.start..s.end].fill(true);
        prev_end = s.end;
    }
    // Turns: ordered, disjoint, the label (a name, then ':') before the speech, inside one
    // paragraph's line; the label is in no sentence, the speech's sentences in the turn.
    let mut in_label = vec![false; n];
    let mut prev_end = 0;
    for t in &seg.turns {
        prop_assert!(
            prev_end <= t.speaker_start
                && t.speaker_start < t.speaker_end
                && t.speaker_end < t.start
                && t.start < t.end
                && t.end <= n,
            "turn out of order {:?}",
            t
        );
        prop_assert!(edge_ok(t.speaker_start, t.speaker_end) && edge_ok(t.start, t.end));
        let gap: String = chars[t.speaker_end..t.start].iter().collect();
        let gap = gap.trim_end_matches(is_space);
        prop_assert!(
            gap == ":" || (gap.starts_with(" (") && gap.ends_with("):")),
            "only the colon (after a parenthetical) and spaces between name and speech: {:?}",
            gap
        );
        prop_assert!(
            seg.paragraphs
                .iter()
                .any(|p| p.start == t.speaker_start && t.start < p.end),
            "a turn's label starts a paragraph"
        );
        prop_assert!(
            seg.sentences
                .iter()
                .all(|s| s.end <= t.speaker_start || s.start >= t.start),
            "a sentence holds a label"
        );
        in_label[t.speaker_start..t.start].fill(true);
        prev_end = t.end;
    }
    for p in &seg.paragraphs {
        for i in p.start..p.end {
            prop_assert!(
                in_sentence[i] || in_label[i] || is_space(chars[i]),
                "char {i} not in any sentence"
            );
        }
    }
    prop_assert_eq!(&seg.turns, &unspin_segment::turns(text));
    let mut prev_end = 0;
    for t in &seg.tokens {
        prop_assert!(t.start < t.end && t.end <= n, "token out of range {:?}", t);
        prop_assert!(t.start >= prev_end, "tokens overlap or unordered");
        let s = seg.sentences.get(t.sentence);
        prop_assert!(s.is_some(), "bad sentence index");
        let s = s.unwrap();
        prop_assert!(
            s.start <= t.start && t.end <= s.end,
            "token outside its sentence"
        );
        prop_assert!(!is_space(chars[t.start]), "token starts with space");
        prev_end = t.end;
    }
    // Leading BOM never inside a span.
    if chars.first() == Some(&'\u{feff}') {
        prop_assert!(seg.paragraphs.iter().all(|p| p.start > 0));
    }
    check_offsets(text)
}

fn check_offsets(text: &str) -> Result<(), TestCaseError> {
    let map = OffsetMap::new(text);
    let n = text.chars().count();
    prop_assert_eq!(map.char_len(), n);
    let mut bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bounds.push(text.len());
    for (ci, &b) in bounds.iter().enumerate() {
        prop_assert_eq!(map.char_to_byte(ci), b);
        prop_assert_eq!(map.byte_to_char(b), ci);
    }
    // bytes inside a char map to that char
    for (ci, (b, c)) in text.char_indices().enumerate() {
        for k in 1..c.len_utf8() {
            prop_assert_eq!(map.byte_to_char(b + k), ci);
        }
    }
    if n > 0 {
        let (s, e) = (n / 3, n - n / 3);
        let want: String = text.chars().skip(s).take(e - s).collect();
        prop_assert_eq!(map.slice(text, s, e), want.as_str());
    }
    Ok(())
}

/// Pieces that stress the segmenter: scripts, emoji, combining marks, line
/// breaks of every kind, BOM, quotes, abbreviations, numbers, URLs.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("word".to_string()),
        Just("Word".to_string()),
        Just("U.S.".to_string()),
        Just("Mr.".to_string()),
        Just("e.g.".to_string()),
        Just("3.5".to_string()),
        Just("1,000".to_string()),
        Just("rt.com".to_string()),
        Just("https://x.org/a?b=1.".to_string()),
        Just("...".to_string()),
        Just("…".to_string()),
        Just("?!".to_string()),
        Just(".".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("’".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[…]".to_string()),
        Just("-".to_string()),
        Just("1.".to_string()),
        Just("#".to_string()),
        Just("• ".to_string()),
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{2029}".to_string()),
        Just("\u{85}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{301}".to_string()),
        Just("e\u{301}".to_string()),
        Just("👨‍👩‍👧".to_string()),
        Just("🇺🇦".to_string()),
        Just("Привет".to_string()),
        Just("東京".to_string()),
        Just("。".to_string()),
        Just("مرحبا".to_string()),
        Just("\t".to_string()),
        Just("\nTRUMP: ".to_string()),
        Just("\nMR. TRUMP: ".to_string()),
        Just("\nQ: ".to_string()),
        Just("\nNOTE: ".to_string()),
        Just("\nÉLYSÉE (FR): ".to_string()),
        Just("\nLester Holt: ".to_string()),
        Just(":".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("the"),
        Just("plan"),
        Just("NATO"),
        Just("Kiev"),
        Just("U.S."),
        Just("Gen."),
        Just("Mr."),
        Just("J."),
        Just("3.5"),
        Just("rt.com"),
        Just("don’t"),
        Just("far-fetched"),
        Just("“quoted,”"),
        Just("(aside)"),
        Just("e.g."),
        Just("No."),
        Just("5"),
        Just("Army"),
        Just("The"),
        Just("war"),
        Just("Москва"),
    ];
    (
        proptest::collection::vec(word, 1..15),
        prop_oneof![
            Just("."),
            Just("?"),
            Just("!"),
            Just("…"),
            Just(".”"),
            Just("")
        ],
    )
        .prop_map(|(ws, end)| {
            let mut s = ws.join(" ");
            s.push_str(end);
            s
        })
}

fn document() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        Just(""),
        Just(""),
        Just("TRUMP: "),
        Just("CLINTON: "),
        Just("MR. HOLT: "),
        Just("Lester Holt: "),
        Just("NOTE: "),
    ];
    let para = (label, proptest::collection::vec(sentence(), 1..6))
        .prop_map(|(l, ss)| format!("{l}{}", ss.join(" ")));
    let sep = prop_oneof![Just("\n"), Just("\n\n"), Just("\r\n"), Just("\n  \n")];
    (
        proptest::bool::ANY,
        proptest::collection::vec((para, sep), 1..8),
        proptest::bool::ANY,
    )
        .prop_map(|(bom, ps, wrap)| {
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            for (p, sep) in ps {
                if wrap {
                    // hard-wrap at ~40 columns
                    let mut col = 0;
                    for (k, w) in p.split(' ').enumerate() {
                        if k > 0 {
                            if col + w.len() > 40 {
                                out.push('\n');
                                col = 0;
                            } else {
                                out.push(' ');
                                col += 1;
                            }
                        }
                        out.push_str(w);
                        col += w.len();
                    }
                } else {
                    out.push_str(&p);
                }
                out.push_str(sep);
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn arbitrary_pieces(pieces in proptest::collection::vec(piece(), 0..60)) {
        check(&pieces.concat())?;
    }

    #[test]
    fn structured_documents(text in document()) {
        check(&text)?;
        // Every generated sentence boundary is respected inside paragraphs:
        // no sentence starts with a space and each ends where the text says.
        let seg = segment(&text);
        prop_assert!(!seg.sentences.is_empty());
    }
}

/// Every invariant holds on every PTC training article (skipped if absent).
#[test]
fn ptc_articles_invariants() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ptc-train/articles");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!(
            "SKIPPED ptc_articles_invariants: {} not found",
            dir.display()
        );
        return;
    };
    let mut n = 0;
    let mut merged = 0;
    for entry in rd.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if let Err(e) = check(&text) {
            panic!("{}: {e}", entry.path().display());
        }
        let map = OffsetMap::new(&text);
        merged += segment(&text)
            .paragraphs
            .iter()
            .filter(|p| map.slice(&text, p.start, p.end).contains('\n'))
            .count();
        n += 1;
    }
    eprintln!("checked {n} PTC articles; {merged} hard-wrapped paragraphs detected");
    assert!(n > 0);
}
