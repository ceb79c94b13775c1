//! Numbers and dates in a clause: runs of figures, number words, currency signs, scales,
//! units, months and days ("€1.3 billion", "14 September 1981", "8.2 percent", "on Tuesday").

use std::ops::Range;

use super::lexicon::{self, has};
use super::words::Word;

/// What a number span holds, for the features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberFacts {
    /// A figure with a unit, currency or percent, or a figure that is not a year.
    pub quantity: bool,
    /// A measure: a figure with a unit, currency, percent or scale ("€1.3 billion", "8 percent").
    pub measure: bool,
    /// A number written as a word ("two men").
    pub number_word: bool,
    /// A year, a month or a weekday.
    pub date: bool,
    /// A round number word used as an idiom ("a hundred reasons", "a million times").
    pub idiom: bool,
}

/// One number or date found in a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberSpan {
    /// Word indices (into the sentence) of the span.
    pub words: Range<usize>,
    /// What it holds.
    pub facts: NumberFacts,
}

fn is_currency(w: &Word) -> bool {
    matches!(w.text, "$" | "€" | "£" | "¥" | "₽" | "₴")
}

/// True for a year written as four digits between 1800 and 2099.
fn is_year(w: &Word) -> bool {
    w.text.len() == 4
        && w.text.bytes().all(|b| b.is_ascii_digit())
        && w.text
            .parse::<u16>()
            .is_ok_and(|y| (1800..=2099).contains(&y))
}

/// True when the word is a month name: capitalised, and for "May" not at a sentence start
/// unless a figure follows.
fn is_month(words: &[Word], i: usize) -> bool {
    let w = &words[i];
    if !w.is_capitalised() || !has(lexicon::MONTHS, &w.lower) {
        return false;
    }
    if w.lower == "may" {
        let next_is_figure = words.get(i + 1).is_some_and(Word::has_digit);
        let prev_is_figure = i > 0 && words[i - 1].has_digit();
        let after_in =
            i > 0 && matches!(words[i - 1].lower.as_str(), "in" | "since" | "until" | "by");
        return next_is_figure || prev_is_figure || after_in;
    }
    true
}

/// Finds the number and date spans among `words[range]`.
pub fn find(words: &[Word], range: Range<usize>) -> Vec<NumberSpan> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let w = &words[i];
        let starts = w.has_digit()
            || (w.is_word() && has(lexicon::NUMBER_WORDS, &w.lower))
            || (is_currency(w) && words.get(i + 1).is_some_and(Word::has_digit))
            || is_month(words, i)
            || (w.is_capitalised() && has(lexicon::DAYS, &w.lower))
            || matches!(w.lower.as_str(), "yesterday" | "overnight");
        if !starts {
            i += 1;
            continue;
        }
        let mut facts = NumberFacts::default();
        let mut j = i;
        let mut seen_figure = false;
        while j < range.end {
            let x = &words[j];
            let adjacent = j == i || words[j - 1].end + 1 >= x.start;
            if !adjacent {
                break;
            }
            let part = if x.has_digit() {
                seen_figure = true;
                if is_year(x) {
                    facts.date = true;
                } else {
                    facts.quantity = true;
                    facts.measure |= x.text.ends_with('%');
                }
                true
            } else if is_currency(x) {
                facts.quantity = true;
                facts.measure = true;
                true
            } else if x.is_word() && has(lexicon::NUMBER_WORDS, &x.lower) {
                if seen_figure {
                    facts.measure = true;
                } else {
                    facts.number_word = true;
                }
                true
            } else if is_month(words, j)
                || (x.is_capitalised() && has(lexicon::DAYS, &x.lower))
                || matches!(x.lower.as_str(), "yesterday" | "overnight")
            {
                facts.date = true;
                true
            } else if j > i && (x.is("%") || has(lexicon::UNITS, &x.lower)) {
                facts.quantity = true;
                facts.measure = true;
                true
            } else {
                j > i
                    && (matches!(x.lower.as_str(), "a.m." | "p.m.")
                        || (x.is(":") && words.get(j + 1).is_some_and(Word::has_digit)))
            };
            if !part {
                break;
            }
            j += 1;
        }
        let j = j.max(i + 1);
        // "a hundred reasons", "a million times better", "a thousand ways"
        let round_word = (i..j).all(|k| !words[k].has_digit())
            && (i..j).any(|k| has(lexicon::SCALES, &words[k].lower));
        let after_a = i > 0 && matches!(words[i - 1].lower.as_str(), "a" | "one");
        let idiom_noun =
            (j..(j + 2).min(words.len())).any(|k| has(lexicon::IDIOM_NOUNS, &words[k].lower));
        facts.idiom = round_word && after_a && idiom_noun;
        out.push(NumberSpan { words: i..j, facts });
        i = j;
    }
    out
}
