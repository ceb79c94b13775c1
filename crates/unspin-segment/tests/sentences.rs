//! Table-driven sentence tests, plus a check on the seed article.

use std::path::PathBuf;
use unspin_segment::{OffsetMap, segment};

fn sentences(text: &str) -> Vec<String> {
    let map = OffsetMap::new(text);
    segment(text)
        .sentences
        .iter()
        .map(|s| map.slice(text, s.start, s.end).to_string())
        .collect()
}

#[test]
fn sentence_table() {
    let cases: &[(&str, &[&str])] = &[
        // plain
        ("One. Two. Three.", &["One.", "Two.", "Three."]),
        ("Is it? Yes! Fine.", &["Is it?", "Yes!", "Fine."]),
        ("Really?! Yes.", &["Really?!", "Yes."]),
        // titles and abbreviations
        (
            "Mr. Smith met Mrs. Jones and Dr. Brown.",
            &["Mr. Smith met Mrs. Jones and Dr. Brown."],
        ),
        (
            "Gen. Milley spoke. Sen. Paul and Rep. Ocasio-Cortez left.",
            &[
                "Gen. Milley spoke.",
                "Sen. Paul and Rep. Ocasio-Cortez left.",
            ],
        ),
        (
            "He lives in St. Petersburg now.",
            &["He lives in St. Petersburg now."],
        ),
        (
            "It happened on Jan. 20 in the capital.",
            &["It happened on Jan. 20 in the capital."],
        ),
        ("He wore No. 5 for years.", &["He wore No. 5 for years."]),
        (
            "The answer was no. Then he left.",
            &["The answer was no.", "Then he left."],
        ),
        (
            "Some fruit, e.g. apples, are sweet.",
            &["Some fruit, e.g. apples, are sweet."],
        ),
        (
            "Some fruit (i.e. apples) are sweet.",
            &["Some fruit (i.e. apples) are sweet."],
        ),
        (
            "It is Ali vs. Frazier tonight.",
            &["It is Ali vs. Frazier tonight."],
        ),
        (
            "Apple Inc. said profits rose.",
            &["Apple Inc. said profits rose."],
        ),
        (
            "He joined Acme Corp. The firm grew.",
            &["He joined Acme Corp.", "The firm grew."],
        ),
        (
            "Books, pens, etc. are sold. Prices vary.",
            &["Books, pens, etc. are sold.", "Prices vary."],
        ),
        // acronyms followed by a capitalised word
        (
            "Troops arrived in the U.S. The war ended.",
            &["Troops arrived in the U.S.", "The war ended."],
        ),
        (
            "The U.S. Army and the U.K. Navy met.",
            &["The U.S. Army and the U.K. Navy met."],
        ),
        (
            "He moved to the U.K. He was happy.",
            &["He moved to the U.K.", "He was happy."],
        ),
        (
            "It starts at 5 p.m. Friday.",
            &["It starts at 5 p.m. Friday."],
        ),
        (
            "Reporters met in Washington, D.C. In June, they left.",
            &["Reporters met in Washington, D.C.", "In June, they left."],
        ),
        (
            "He visited Tucson, Ariz. – the heat was brutal.",
            &["He visited Tucson, Ariz. – the heat was brutal."],
        ),
        // initials
        ("J. K. Rowling wrote it.", &["J. K. Rowling wrote it."]),
        (
            "Attorney Christopher P. Smith spoke.",
            &["Attorney Christopher P. Smith spoke."],
        ),
        (
            "George W. Bush spoke. He left.",
            &["George W. Bush spoke.", "He left."],
        ),
        (
            "They chose plan B. The rest failed.",
            &["They chose plan B.", "The rest failed."],
        ),
        // numbers and versions
        (
            "Growth was 3.5 percent. It fell.",
            &["Growth was 3.5 percent.", "It fell."],
        ),
        (
            "Version 1.2.3 shipped. Users cheered.",
            &["Version 1.2.3 shipped.", "Users cheered."],
        ),
        (
            "It cost $1,000.50 in 2019. Prices rose.",
            &["It cost $1,000.50 in 2019.", "Prices rose."],
        ),
        // URLs, e-mails, domains
        (
            "Read it on rt.com today. It is long.",
            &["Read it on rt.com today.", "It is long."],
        ),
        (
            "See https://example.org/a.b?c=1. Then stop.",
            &["See https://example.org/a.b?c=1.", "Then stop."],
        ),
        (
            "Write to jane.doe@example.com for help.",
            &["Write to jane.doe@example.com for help."],
        ),
        // ellipses
        ("Wait... what happened?", &["Wait... what happened?"]),
        (
            "He paused… Then he spoke.",
            &["He paused…", "Then he spoke."],
        ),
        (
            "He said the plan […] has many issues.",
            &["He said the plan […] has many issues."],
        ),
        (
            "The plan [...] There was more.",
            &["The plan [...] There was more."],
        ),
        // quotes and brackets
        (
            "“It is over,” he said. She agreed.",
            &["“It is over,” he said.", "She agreed."],
        ),
        (
            "He said \"no.\" Then he left.",
            &["He said \"no.\"", "Then he left."],
        ),
        (
            "She wrote: “We won.” Nobody believed it.",
            &["She wrote: “We won.”", "Nobody believed it."],
        ),
        ("He asked ‘why?’ and left.", &["He asked ‘why?’ and left."]),
        ("\"Why?\" he asked.", &["\"Why?\" he asked."]),
        (
            "It ended (finally.) The rest is history.",
            &["It ended (finally.)", "The rest is history."],
        ),
        (
            "It ended (finally.) Good times.",
            &["It ended (finally.) Good times."],
        ), // known limit
        (
            "He left. (Nobody knew why.) Then rain.",
            &["He left.", "(Nobody knew why.)", "Then rain."],
        ),
        (
            "William (“nighty-night baby!”) Tobin laughed.",
            &["William (“nighty-night baby!”) Tobin laughed."],
        ),
        (
            "He said: \"Go!\" \"Now!\" They ran.",
            &["He said: \"Go!\"", "\"Now!\"", "They ran."],
        ),
        // list marker at paragraph start
        ("1. First point is here.", &["1. First point is here."]),
        // other scripts
        ("Привет. Как дела?", &["Привет.", "Как дела?"]),
        (
            "これはペンです。あれは本です。",
            &["これはペンです。", "あれは本です。"],
        ),
        // no final punctuation
        ("A heading without a stop", &["A heading without a stop"]),
        (
            "   Spaces around.   Here too.  ",
            &["Spaces around.", "Here too."],
        ),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = sentences(input);
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
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
fn seed_article_sentences() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples/victory-plan-rt.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED seed_article_sentences: {} not found",
            path.display()
        );
        return;
    };
    let map = OffsetMap::new(&text);
    let seg = segment(&text);
    assert!(
        seg.sentences.len() > 20,
        "too few sentences: {}",
        seg.sentences.len()
    );
    for s in &seg.sentences {
        let slice = map.slice(&text, s.start, s.end);
        // the slice is exactly the code-point range
        let by_chars: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(slice, by_chars);
        assert_eq!(slice, slice.trim(), "untrimmed sentence {slice:?}");
        // never split right after an abbreviation
        let last = slice.split_whitespace().last().unwrap_or("");
        for abbr in [
            "U.S.", "U.K.", "Gen.", "Mr.", "Mrs.", "Dr.", "St.", "Jan.", "Sen.", "Rep.", "No.",
            "e.g.", "i.e.", "vs.", "Inc.", "Corp.",
        ] {
            if last == abbr {
                let next = &text[map.char_to_byte(s.end)..];
                let next_word = next.split_whitespace().next().unwrap_or("");
                assert!(
                    next_word.is_empty() || next_word.starts_with(|c: char| c.is_uppercase()),
                    "split after {abbr} before {next_word:?}"
                );
            }
        }
    }
    // The article's headings and list items.
    let kinds: Vec<_> = seg.paragraphs.iter().map(|p| p.kind).collect();
    assert_eq!(kinds[0], unspin_segment::ParagraphKind::Heading, "title");
    let points: Vec<_> = seg
        .paragraphs
        .iter()
        .filter(|p| map.slice(&text, p.start, p.end).starts_with("Point "))
        .collect();
    assert!(!points.is_empty());
    assert!(
        points
            .iter()
            .all(|p| p.kind == unspin_segment::ParagraphKind::ListItem)
    );
    // The URL line is its own Body paragraph.
    let last = seg.paragraphs.last().unwrap();
    assert!(
        map.slice(&text, last.start, last.end)
            .starts_with("https://")
    );
    assert_eq!(last.kind, unspin_segment::ParagraphKind::Body);
    // "[…]" inside a quote does not end a sentence.
    assert!(
        !seg.sentences
            .iter()
            .any(|s| map.slice(&text, s.start, s.end).ends_with('…'))
    );
}
