//! The shipped techniques model's explanations, checked on every PTC dev article: each
//! cites only content words of the highlight or its sentence, never a function word,
//! punctuation or the span's length or shape, and always gives the technique's definition.

use std::path::Path;

use unspin::analyse::techniques::analyser::default_model;
use unspin::analyse::techniques::explain::{is_content_word, is_function_word};
use unspin::render::guide::definition;
use unspin_segment::{OffsetMap, segment};

/// Reasons of the old explanations that say nothing to a reader.
const SHAPE_REASONS: &[&str] = &[
    "words long",
    "a single word",
    "starts with",
    "ends with",
    "the span",
    "capital",
    "quotation mark",
    "exclamation",
    "a number",
    "start of its sentence",
    "end of its sentence",
    "in the title",
    "marked passage",
    "spelled like",
];

/// The words of a quoted phrase.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '‑')))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn explanations_cite_content_words_and_define_the_technique() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ptc-dev"
    ))
    .join("articles");
    if !dir.is_dir() {
        eprintln!(
            "skipping explanations test: no PTC dev articles at {}",
            dir.display()
        );
        return;
    }
    let model = match default_model() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("skipping explanations test: {e}");
            return;
        }
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let (mut total, mut with_words) = (0usize, 0usize);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let seg = segment(&text);
        let offsets = OffsetMap::new(&text);
        for d in model.model.detect(&text, &seg) {
            total += 1;
            let e = &d.explanation;
            let span = offsets.slice(&text, d.start, d.end);
            let (mut ss, mut se) = (d.start, d.end);
            for s in seg
                .sentences
                .iter()
                .filter(|s| s.start < d.end.max(d.start + 1) && s.end > d.start)
            {
                ss = ss.min(s.start);
                se = se.max(s.end);
            }
            let sentence = offsets.slice(&text, ss, se);
            let at = || format!("{} {}..{}: {e}", path.display(), d.start, d.end);
            assert!(
                e.contains(definition(d.technique)),
                "no definition: {}",
                at()
            );
            assert_eq!(e.matches('"').count() % 2, 0, "unbalanced quotes: {}", at());
            let quoted: Vec<&str> = e.split('"').skip(1).step_by(2).collect();
            with_words += usize::from(!quoted.is_empty());
            for q in &quoted {
                assert!(
                    span.contains(q) || sentence.contains(q),
                    "{q:?} is not in the span or its sentence: {}",
                    at()
                );
                let ws = words(q);
                assert!(
                    ws.first().is_some_and(|w| is_content_word(w))
                        && ws.last().is_some_and(|w| is_content_word(w)),
                    "{q:?} is not led and ended by content words: {}",
                    at()
                );
                assert!(
                    !(ws.len() == 1 && is_function_word(ws[0])),
                    "function word {q:?} given as a reason: {}",
                    at()
                );
            }
            // Outside the quotes, no reason is about the span's length, position or shape.
            let prose: String = e.split('"').step_by(2).collect::<Vec<_>>().join(" ");
            let prose = prose.to_lowercase();
            let prose = prose.replace(&definition(d.technique).to_lowercase(), "");
            for bad in SHAPE_REASONS {
                assert!(!prose.contains(bad), "shape reason {bad:?}: {}", at());
            }
        }
    }
    eprintln!(
        "{total} highlights in {} articles, {with_words} citing words of the passage",
        files.len()
    );
    assert!(total > 0);
    assert!(
        with_words * 2 > total,
        "only {with_words} of {total} explanations cite a word"
    );
}
