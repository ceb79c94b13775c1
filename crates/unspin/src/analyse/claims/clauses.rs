//! Splitting a sentence into clauses: at semicolons between clauses (not inside lists), at
//! a comma before a conjunction that opens a new clause, and after a sentence-opening
//! subordinate clause ("While …, …").

use std::ops::Range;

use super::lexicon::{self, has};
use super::words::Word;

/// Shortest clause, in words, that a split may leave on either side.
const MIN_WORDS: usize = 4;

/// True when the words hold a finite-verb candidate: an auxiliary or modal (also
/// contracted: "we're", "it's", "didn't"), a reporting verb, an irregular past form or an
/// -ed form.
pub fn has_finite_verb(words: &[Word]) -> bool {
    words.iter().any(|w| {
        w.is_word()
            && (has(lexicon::AUXILIARIES, &w.lower)
                || is_contracted_verb(&w.lower)
                || has(lexicon::REPORTING, &w.lower)
                || has(lexicon::IRREGULAR_PAST, &w.lower)
                || is_ed_form(&w.lower))
    })
}

/// True for a word holding a contracted verb: "we're", "they've", "I'm", "she'll", "he'd",
/// "didn't", and "'s" after a pronoun or "there", "that", "what", "who" ("it's", "that's").
pub fn is_contracted_verb(lower: &str) -> bool {
    let w = lower.replace('’', "'");
    if ["'re", "'ve", "'m", "'ll", "'d", "n't"]
        .iter()
        .any(|s| w.ends_with(s))
    {
        return true;
    }
    w.strip_suffix("'s").is_some_and(|stem| {
        matches!(
            stem,
            "it" | "he" | "she" | "that" | "there" | "here" | "what" | "who" | "where" | "let"
        )
    })
}

/// True for a word ending in -ed that is not a known adjective.
pub fn is_ed_form(lower: &str) -> bool {
    lower.len() > 4 && lower.ends_with("ed") && !has(lexicon::ED_NOT_EVENT, lower)
}

fn word_count(words: &[Word]) -> usize {
    words
        .iter()
        .filter(|w| w.is_word() || w.has_digit())
        .count()
}

/// True when `words` can stand as a clause of its own.
fn clause_like(words: &[Word]) -> bool {
    word_count(words) >= MIN_WORDS && has_finite_verb(words)
}

/// Splits a sentence's words into clause ranges (indices into `words`), in order, covering
/// every word.
pub fn split(words: &[Word]) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = Vec::new();
    // A sentence-opening subordinate clause ends at its first comma that leaves a clause.
    let first_word = words.iter().position(Word::is_word);
    if let Some(f) = first_word
        && has(lexicon::SUBORDINATORS, &words[f].lower)
        && let Some(c) = (f + 1..words.len()).find(|&i| {
            words[i].is(",") && clause_like(&words[f..i]) && clause_like(&words[i + 1..])
        })
    {
        cuts.push(c + 1);
    }
    for i in 0..words.len() {
        let cut = if words[i].is(";") {
            // Semicolons separate clauses only when the next part is one (not a list item).
            let next_end = (i + 1..words.len())
                .find(|&j| words[j].is(";"))
                .unwrap_or(words.len());
            clause_like(&words[i + 1..next_end]) && clause_like(&words[..i])
        } else if words[i].is(",") {
            words
                .get(i + 1)
                .is_some_and(|w| has(lexicon::CLAUSE_CONJUNCTIONS, &w.lower))
                && clause_like(&words[i + 1..])
                && clause_like(&words[..i])
        } else {
            false
        };
        if cut {
            cuts.push(i + 1);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for c in cuts {
        if c > from && c < words.len() {
            out.push(from..c);
            from = c;
        }
    }
    if from < words.len() {
        out.push(from..words.len());
    }
    out
}
