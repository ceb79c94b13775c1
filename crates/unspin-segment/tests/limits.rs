//! The sentence length cap, at the cap and one past it.

use unspin_segment::{MAX_SENTENCE_CHARS, segment};

/// `n` code points of words ("word word …", no sentence end), multi-byte letters included.
fn words(n: usize) -> String {
    let mut s: String = "wörd ".repeat(n / 5 + 1).chars().take(n).collect();
    if s.ends_with(' ') {
        s.pop();
        s.push('x');
    }
    s
}

fn lengths(text: &str) -> Vec<usize> {
    segment(text)
        .sentences
        .iter()
        .map(|s| s.end - s.start)
        .collect()
}

#[test]
fn a_sentence_at_the_cap_is_kept_whole() {
    let text = words(MAX_SENTENCE_CHARS);
    assert_eq!(text.chars().count(), MAX_SENTENCE_CHARS);
    assert_eq!(lengths(&text), vec![MAX_SENTENCE_CHARS]);
}

#[test]
fn one_code_point_more_is_cut_at_the_last_space() {
    let text = words(MAX_SENTENCE_CHARS + 1);
    let seg = segment(&text);
    assert_eq!(seg.sentences.len(), 2);
    let chars: Vec<char> = text.chars().collect();
    for s in &seg.sentences {
        assert!(s.end - s.start <= MAX_SENTENCE_CHARS);
        assert!(!chars[s.start].is_whitespace() && !chars[s.end - 1].is_whitespace());
    }
    // The cut is at a space: the first piece ends a word, the second starts one.
    let (a, b) = (&seg.sentences[0], &seg.sentences[1]);
    assert!(chars[a.end].is_whitespace());
    assert_eq!(b.start, a.end + 1);
    assert_eq!(b.end, chars.len());
    // Tokens stay inside their (new) sentences.
    for t in &seg.tokens {
        let s = &seg.sentences[t.sentence];
        assert!(s.start <= t.start && t.end <= s.end);
    }
}

#[test]
fn text_without_spaces_is_cut_at_the_cap() {
    let text = "é".repeat(MAX_SENTENCE_CHARS + 1);
    assert_eq!(lengths(&text), vec![MAX_SENTENCE_CHARS, 1]);
}

#[test]
fn a_megabyte_without_a_sentence_end_gives_bounded_sentences() {
    let text = words(1_000_000);
    let seg = segment(&text);
    assert!(seg.sentences.len() >= 1_000_000 / MAX_SENTENCE_CHARS);
    assert!(
        seg.sentences
            .iter()
            .all(|s| s.end - s.start <= MAX_SENTENCE_CHARS)
    );
    // Every non-space code point is still in a sentence.
    let covered: usize = seg.sentences.iter().map(|s| s.end - s.start).sum();
    let spaces_between = seg.sentences.len() - 1;
    assert_eq!(covered + spaces_between, text.chars().count());
}

/// The cap cuts no sentence of the labelled articles (`../shared/data/*/articles`): it only
/// bounds text that has no sentence ends. Prints the longest sentence found.
#[test]
fn no_labelled_sentence_reaches_the_cap() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let Ok(sets) = std::fs::read_dir(&data) else {
        println!("skipped: {} is absent", data.display());
        return;
    };
    let mut longest = (0, String::new());
    for set in sets.flatten() {
        let Ok(files) = std::fs::read_dir(set.path().join("articles")) else {
            continue;
        };
        for f in files.flatten() {
            let Ok(text) = std::fs::read_to_string(f.path()) else {
                continue;
            };
            for s in segment(&text).sentences {
                if s.end - s.start > longest.0 {
                    longest = (s.end - s.start, f.path().display().to_string());
                }
            }
        }
    }
    println!(
        "longest labelled sentence: {} code points, in {}",
        longest.0, longest.1
    );
    assert!(longest.0 < MAX_SENTENCE_CHARS, "{longest:?}");
}
