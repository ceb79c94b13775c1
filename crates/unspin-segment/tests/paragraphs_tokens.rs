//! Paragraph (kinds, hard-wrap detection) and token tests.

use unspin_segment::{OffsetMap, ParagraphKind, TokenKind, segment};

fn paras(text: &str) -> Vec<(String, ParagraphKind)> {
    let map = OffsetMap::new(text);
    segment(text)
        .paragraphs
        .iter()
        .map(|p| (map.slice(text, p.start, p.end).to_string(), p.kind))
        .collect()
}

fn tokens(text: &str) -> Vec<(String, TokenKind)> {
    let map = OffsetMap::new(text);
    segment(text)
        .tokens
        .iter()
        .map(|t| (map.slice(text, t.start, t.end).to_string(), t.kind))
        .collect()
}

#[test]
fn one_line_per_paragraph() {
    let text = "A Title Line Here\nThe standfirst explains the story in one long sentence that keeps going on.\n\
                First body paragraph. It has two sentences.\nSecond body paragraph ends here.\n\
                Point one: Membership\nThe first point says something important about it.\n\
                https://example.com/news/1\n";
    let p = paras(text);
    use ParagraphKind::*;
    let kinds: Vec<_> = p.iter().map(|x| x.1).collect();
    assert_eq!(
        kinds,
        vec![Heading, Body, Body, Body, ListItem, Body, Body],
        "{p:?}"
    );
    assert_eq!(p[4].0, "Point one: Membership");
    assert_eq!(p[6].0, "https://example.com/news/1");
}

#[test]
fn blank_line_separated_lines_stay_separate() {
    let text = "Title of the piece\n\nFirst paragraph is a full sentence.\nSecond paragraph is another one.\n\nThird.\n";
    let p = paras(text);
    assert_eq!(p.len(), 4, "{p:?}");
    assert_eq!(p[0].1, ParagraphKind::Heading);
}

#[test]
fn hard_wrapped_blocks_are_one_paragraph() {
    let text = "# Release notes\n\n\
This release changes the way that the parser handles long\n\
documents, which used to be split into one paragraph per line\n\
even when the lines ran on in the middle of a sentence. Now the\n\
whole block is kept together.\n\
\n\
A second block follows here, also wrapped at a fixed width so\n\
that it reads like an e-mail.\n\
\n\
- a list item that is itself wrapped over\n  two lines of text\n\
- another item\n";
    let p = paras(text);
    assert_eq!(p.len(), 5, "{p:#?}");
    assert_eq!(
        p[0],
        ("# Release notes".to_string(), ParagraphKind::Heading)
    );
    assert!(p[1].0.starts_with("This release") && p[1].0.ends_with("kept together."));
    assert_eq!(p[1].1, ParagraphKind::Body);
    assert!(p[2].0.ends_with("e-mail."));
    assert_eq!(p[3].1, ParagraphKind::ListItem);
    assert!(p[3].0.ends_with("two lines of text"));
    assert_eq!(
        p[4],
        ("- another item".to_string(), ParagraphKind::ListItem)
    );
    // A sentence may span the wrapped lines, but not the paragraphs.
    let seg = segment(text);
    let map = OffsetMap::new(text);
    let s: Vec<_> = seg
        .sentences
        .iter()
        .map(|s| map.slice(text, s.start, s.end))
        .collect();
    assert!(
        s.iter()
            .any(|x| x.starts_with("This release") && x.contains('\n') && x.ends_with("sentence."))
    );
}

#[test]
fn heading_followed_by_paragraph_without_blank_line_is_not_merged() {
    let text = "Short heading\nThe body text follows directly below the heading line.\n";
    let p = paras(text);
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].1, ParagraphKind::Heading);
}

#[test]
fn list_items_and_markers() {
    let text = "Intro paragraph ends here.\n* star item\n• bullet item\n1. numbered item\n2) other item\na) lettered item\n(b) paren item\nStep 3: do it\n";
    let p = paras(text);
    assert_eq!(p[0].1, ParagraphKind::Body);
    assert!(
        p[1..].iter().all(|x| x.1 == ParagraphKind::ListItem),
        "{p:?}"
    );
    // "1. numbered item" is one sentence
    let seg = segment(text);
    assert_eq!(seg.sentences.len(), 8);
}

#[test]
fn setext_heading_and_markdown_levels() {
    let p = paras("Big Title\n=========\n\n## Section two\nBody text here.\n");
    assert_eq!(p[0].1, ParagraphKind::Heading);
    assert_eq!(p[2], ("## Section two".to_string(), ParagraphKind::Heading));
}

#[test]
fn crlf_and_unicode_line_separators() {
    let text = "\u{feff}First line.\r\nSecond line.\u{2028}Third line.\rFourth.";
    let p = paras(text);
    assert_eq!(p.len(), 4, "{p:?}");
    let seg = segment(text);
    // The BOM is never inside a span.
    assert!(
        seg.paragraphs[0].start == 1 && seg.sentences[0].start == 1 && seg.tokens[0].start == 1
    );
}

#[test]
fn token_table() {
    use TokenKind::*;
    let cases: &[(&str, &[(&str, TokenKind)])] = &[
        ("Don't stop", &[("Don't", Word), ("stop", Word)]),
        (
            "Ukraine’s far-fetched plan",
            &[("Ukraine’s", Word), ("far-fetched", Word), ("plan", Word)],
        ),
        (
            "3.5% of 1,000,000",
            &[("3.5%", Number), ("of", Word), ("1,000,000", Number)],
        ),
        (
            "the 1st of 2019-2020",
            &[
                ("the", Word),
                ("1st", Word),
                ("of", Word),
                ("2019", Number),
                ("-", Punct),
                ("2020", Number),
            ],
        ),
        (
            "COVID-19 in the U.S.",
            &[
                ("COVID-19", Word),
                ("in", Word),
                ("the", Word),
                ("U.S.", Word),
            ],
        ),
        (
            "$5 + €3 = ¥8",
            &[
                ("$", Symbol),
                ("5", Number),
                ("+", Symbol),
                ("€", Symbol),
                ("3", Number),
                ("=", Symbol),
                ("¥", Symbol),
                ("8", Number),
            ],
        ),
        (
            "“Wait...” – he said!",
            &[
                ("“", Punct),
                ("Wait", Word),
                ("...", Punct),
                ("”", Punct),
                ("–", Punct),
                ("he", Word),
                ("said", Word),
                ("!", Punct),
            ],
        ),
        (
            "see https://rt.com/a-b. ok",
            &[
                ("see", Word),
                ("https://rt.com/a-b", Word),
                (".", Punct),
                ("ok", Word),
            ],
        ),
        (
            "mail jane.doe@rt.com",
            &[("mail", Word), ("jane.doe@rt.com", Word)],
        ),
        (
            "Москва и Kyiv",
            &[("Москва", Word), ("и", Word), ("Kyiv", Word)],
        ),
        (
            "cafe\u{301} 👍🏽 👨‍👩‍👧",
            &[("cafe\u{301}", Word), ("👍🏽", Symbol), ("👨‍👩‍👧", Symbol)],
        ),
        (
            "東京へ行く",
            &[
                ("東", Word),
                ("京", Word),
                ("へ", Word),
                ("行", Word),
                ("く", Word),
            ],
        ),
        ("version 1.2.3", &[("version", Word), ("1.2.3", Number)]),
        (
            "players' rights",
            &[("players", Word), ("'", Punct), ("rights", Word)],
        ),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = tokens(input);
        let want: Vec<(String, TokenKind)> =
            want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
        if got != want {
            failures.push(format!(
                "input: {input:?}\n  want: {want:?}\n  got:  {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn serde_names() {
    assert_eq!(
        serde_json::to_string(&ParagraphKind::ListItem).unwrap(),
        "\"list_item\""
    );
    assert_eq!(
        serde_json::to_string(&ParagraphKind::Body).unwrap(),
        "\"body\""
    );
    assert_eq!(
        serde_json::to_string(&ParagraphKind::Heading).unwrap(),
        "\"heading\""
    );
    assert_eq!(
        serde_json::to_string(&TokenKind::Punct).unwrap(),
        "\"punct\""
    );
    let seg = segment("Hello world. Bye.");
    let json = serde_json::to_string(&seg).unwrap();
    let back: unspin_segment::Segmentation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, seg);
}

#[test]
fn empty_and_blank_texts() {
    for t in ["", " ", "\n\n", "\u{feff}", "\u{feff}\n \t\u{2028}"] {
        let seg = segment(t);
        assert!(
            seg.paragraphs.is_empty() && seg.sentences.is_empty() && seg.tokens.is_empty(),
            "{t:?}"
        );
    }
}
