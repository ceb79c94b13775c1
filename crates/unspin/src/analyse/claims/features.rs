//! The cues of one clause: what in its words makes it checkable (an event, a figure, a
//! date, a name, a source, a comparison, a cause, a prediction) or not (hedges, evaluative
//! words, questions, calls to action, figures of speech, first and second person).

use std::ops::Range;

use super::clauses::{has_finite_verb, is_ed_form};
use super::lexicon::{self, has};
use super::numbers::{self, NumberSpan};
use super::words::Word;

/// A cue that moves a clause's check-worthiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cue {
    /// A past-tense verb reporting something that happened ("intercepted", "were evacuated").
    PastEvent,
    /// A present-perfect verb ("has unveiled").
    PerfectEvent,
    /// A progressive verb: something going on ("is providing").
    Ongoing,
    /// A figure, amount, percentage or measure.
    Quantity,
    /// A number written as a word ("two men").
    NumberWord,
    /// A year, month, weekday or relative date.
    Date,
    /// Names: capitalised words and acronyms (value: distinct names, at most 3).
    Names,
    /// A reporting verb or "according to".
    Attribution,
    /// A comparative, superlative or "than".
    Comparison,
    /// A causal connective or verb.
    Causal,
    /// A future or expectation word.
    Future,
    /// Hedging words (value: how many, at most 2).
    Hedge,
    /// Hedging words inside an attributed statement: the source's own hedge.
    ReportedHedge,
    /// Evaluative words (value: how many, at most 2).
    Evaluative,
    /// A verb of belief or knowledge ("knows", "thinks").
    Mental,
    /// First or second person ("I", "we", "you").
    Personal,
    /// A question.
    Question,
    /// A call to action: an imperative opening or "must", "should".
    Call,
    /// A round number used as an idiom ("a hundred reasons").
    Idiom,
    /// A condition: "if", "would".
    Conditional,
    /// An exclamation mark.
    Exclamation,
    /// No finite verb: a fragment that states nothing.
    Fragment,
    /// The clause is a headline.
    Heading,
}

impl Cue {
    /// The cue's stable name (snake case), as the learned model's features call it.
    pub fn name(self) -> &'static str {
        match self {
            Cue::PastEvent => "past_event",
            Cue::PerfectEvent => "perfect_event",
            Cue::Ongoing => "ongoing",
            Cue::Quantity => "quantity",
            Cue::NumberWord => "number_word",
            Cue::Date => "date",
            Cue::Names => "names",
            Cue::Attribution => "attribution",
            Cue::Comparison => "comparison",
            Cue::Causal => "causal",
            Cue::Future => "future",
            Cue::Hedge => "hedge",
            Cue::ReportedHedge => "reported_hedge",
            Cue::Evaluative => "evaluative",
            Cue::Mental => "mental",
            Cue::Personal => "personal",
            Cue::Question => "question",
            Cue::Call => "call",
            Cue::Idiom => "idiom",
            Cue::Conditional => "conditional",
            Cue::Exclamation => "exclamation",
            Cue::Fragment => "fragment",
            Cue::Heading => "heading",
        }
    }
}

/// One cue found in a clause, with the words that triggered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The cue.
    pub cue: Cue,
    /// Its strength (1 for yes/no cues; a capped count otherwise).
    pub value: f32,
    /// The words that triggered it, as written (first few).
    pub words: Vec<String>,
}

/// Everything the scorer needs about one clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseFeatures {
    /// The cues found, each once.
    pub evidence: Vec<Evidence>,
    /// Numbers and dates in the clause.
    pub numbers: Vec<NumberSpan>,
    /// A reporting verb opens the clause's first half ("X said that …"), so what it reports
    /// is the claim; a trailing "…, police said" or "according to" does not count.
    pub attribution_leads: bool,
    /// A causal word other than "after": "because", "caused", "blamed", "led to".
    pub strong_causal: bool,
    /// A comparison with a yardstick: "than", "compared", a superlative, "up from", "record".
    pub strong_comparison: bool,
}

impl ClauseFeatures {
    /// The strength of a cue (0 when absent).
    pub fn value(&self, cue: Cue) -> f32 {
        self.evidence
            .iter()
            .find(|e| e.cue == cue)
            .map_or(0.0, |e| e.value)
    }

    /// True when the cue was found.
    pub fn has(&self, cue: Cue) -> bool {
        self.value(cue) > 0.0
    }
}

/// Collects evidence for cues, keeping a few example words per cue.
#[derive(Default)]
struct Collector {
    found: Vec<Evidence>,
}

impl Collector {
    fn add(&mut self, cue: Cue, word: &str) {
        match self.found.iter_mut().find(|e| e.cue == cue) {
            Some(e) => {
                e.value += 1.0;
                if e.words.len() < 3 && !e.words.iter().any(|w| w == word) {
                    e.words.push(word.to_owned());
                }
            }
            None => self.found.push(Evidence {
                cue,
                value: 1.0,
                words: vec![word.to_owned()],
            }),
        }
    }

    fn finish(mut self) -> Vec<Evidence> {
        for e in &mut self.found {
            let cap = match e.cue {
                Cue::Names => 3.0,
                Cue::Hedge | Cue::ReportedHedge | Cue::Evaluative => 2.0,
                _ => 1.0,
            };
            e.value = e.value.min(cap);
        }
        self.found.sort_by_key(|e| e.cue);
        self.found
    }
}

/// True for an adverb: an -ly word or one of [`lexicon::ADVERBS`].
fn is_adverb(lower: &str) -> bool {
    (lower.len() > 4 && lower.ends_with("ly")) || has(lexicon::ADVERBS, lower)
}

/// The nearest word before `i` that is not an adverb.
fn governing(words: &[Word], i: usize) -> Option<usize> {
    (0..i)
        .rev()
        .find(|&k| words[k].is_word() && !is_adverb(&words[k].lower))
}

/// True when the -ed or past form at `i` reports something that happened, not a state or
/// a noun modifier.
fn reports_event(words: &[Word], i: usize) -> bool {
    let prev = governing(words, i).map(|k| words[k].lower.as_str());
    let adjectival = prev.is_some_and(|p| {
        has(lexicon::LINKING, p) || has(lexicon::DETERMINERS, p) || p.ends_with("'s")
    }) || (i > 0 && words[i - 1].has_digit());
    !adjectival && !matches!(prev, Some("will" | "would" | "to" | "has" | "have"))
}

/// True for a present-tense verb that follows its subject ("Zelensky aims", "it states").
fn present_after_subject(words: &[Word], i: usize) -> bool {
    let w = &words[i];
    i > 0
        && !w.is_capitalised()
        && w.lower.len() > 3
        && w.lower.ends_with('s')
        && !w.lower.ends_with("ss")
        && (words[i - 1].is_capitalised() && words[i - 1].is_word()
            || matches!(words[i - 1].lower.as_str(), "he" | "she" | "it"))
}

/// Finds the cues of the clause `words[range]` of a sentence (`words` is the whole sentence).
pub fn extract(words: &[Word], range: Range<usize>, heading: bool) -> ClauseFeatures {
    let mut c = Collector::default();
    let clause = &words[range.clone()];
    let sentence_first = words.iter().position(Word::is_word);
    let clause_first = (range.clone()).find(|&i| words[i].is_word());
    let numbers = numbers::find(words, range.clone());
    let in_number = |i: usize| numbers.iter().any(|n| n.words.contains(&i));
    for n in &numbers {
        let text = join(&words[n.words.clone()]);
        if n.facts.idiom {
            c.add(Cue::Idiom, &text);
            continue;
        }
        if n.facts.quantity {
            c.add(Cue::Quantity, &text);
        } else if n.facts.number_word {
            c.add(Cue::NumberWord, &text);
        }
        if n.facts.date {
            c.add(Cue::Date, &text);
        }
    }
    let mut in_name = false;
    let mut has_present_verb = false;
    let attributed = clause.iter().any(|w| has(lexicon::REPORTING, &w.lower));
    for i in range.clone() {
        let w = &words[i];
        let prev = i.checked_sub(1).map(|p| words[p].lower.as_str());
        let next = words.get(i + 1).map(|n| n.lower.as_str());
        if !w.is_word() {
            in_name = false;
            match w.text {
                "?" => c.add(Cue::Question, "?"),
                "!" => c.add(Cue::Exclamation, "!"),
                _ => {}
            }
            continue;
        }
        let l = w.lower.as_str();
        // Names: runs of capitalised words; a sentence's first word only when it is not a
        // common word that any sentence may start with.
        let capital = w.is_capitalised() && l != "i" && !in_number(i);
        let first = Some(i) == sentence_first;
        let common_opener = is_adverb(l)
            || has(lexicon::FUNCTION_WORDS, l)
            || has(lexicon::IMPERATIVES, l)
            || has(lexicon::QUESTION_WORDS, l)
            || has(lexicon::PERSONAL, l)
            || has(lexicon::AUXILIARIES, l)
            || has(lexicon::HEDGES, l);
        if capital && (!first || !common_opener) {
            if !in_name {
                c.add(Cue::Names, w.text);
            }
            in_name = true;
        } else {
            in_name = false;
        }
        if has(lexicon::REPORTING, l) || (l == "according" && next == Some("to")) {
            c.add(Cue::Attribution, w.text);
        }
        let past = (has(lexicon::IRREGULAR_PAST, l) || is_ed_form(l))
            && !has(lexicon::REPORTING, l)
            && !w.is_capitalised();
        if past {
            let gov = governing(words, i).map(|k| words[k].lower.as_str());
            if matches!(gov, Some("has" | "have")) {
                c.add(Cue::PerfectEvent, w.text);
            } else if reports_event(words, i) {
                c.add(Cue::PastEvent, w.text);
            }
        }
        if l.len() > 5
            && l.ends_with("ing")
            && governing(words, i)
                .is_some_and(|k| matches!(words[k].lower.as_str(), "is" | "are" | "was" | "were"))
        {
            c.add(Cue::Ongoing, w.text);
        }
        if present_after_subject(words, i) {
            has_present_verb = true;
        }
        if has(lexicon::COMPARATIVES, l)
            || has(lexicon::SUPERLATIVES, l)
            || (l == "from" && matches!(prev, Some("up" | "down")))
        {
            c.add(Cue::Comparison, w.text);
        }
        if has(lexicon::CAUSAL, l) {
            c.add(Cue::Causal, w.text);
        }
        if has(lexicon::FUTURE, l)
            || (matches!(l, "plan" | "plans" | "aim" | "aims") && next == Some("to"))
            || (l == "going" && next == Some("to"))
            || (l == "next" && next.is_some_and(|n| has(lexicon::TIME_NOUNS, n)))
        {
            c.add(Cue::Future, w.text);
        }
        if matches!(l, "last" | "this") && next.is_some_and(|n| has(lexicon::TIME_NOUNS, n)) {
            c.add(Cue::Date, &format!("{} {}", w.text, words[i + 1].text));
        }
        if has(lexicon::HEDGES, l) {
            // A source's own hedge is part of what it said: the report stays checkable.
            c.add(
                if attributed {
                    Cue::ReportedHedge
                } else {
                    Cue::Hedge
                },
                w.text,
            );
        }
        if matches!(l, "if" | "would" | "unless") {
            c.add(Cue::Conditional, w.text);
        }
        if has(lexicon::EVALUATIVE, l) {
            c.add(Cue::Evaluative, w.text);
        }
        if has(lexicon::MENTAL, l) {
            c.add(Cue::Mental, w.text);
        }
        if has(lexicon::PERSONAL, l) {
            c.add(Cue::Personal, w.text);
        }
        if (has(lexicon::DEONTIC, l) && !attributed) || (first && has(lexicon::IMPERATIVES, l)) {
            c.add(Cue::Call, w.text);
        }
        if Some(i) == clause_first
            && has(lexicon::QUESTION_WORDS, l)
            && words[range.clone()].iter().any(|x| x.is("?"))
        {
            c.add(Cue::Question, w.text);
        }
    }
    if !has_finite_verb(clause) && !has_present_verb {
        c.add(Cue::Fragment, "");
    }
    if heading {
        c.add(Cue::Heading, "");
    }
    let lower = |i: usize| words[i].lower.as_str();
    let mid = range.start + (range.end - range.start) / 2;
    let attribution_leads = range
        .clone()
        .find(|&i| has(lexicon::REPORTING, lower(i)))
        .is_some_and(|i| i < mid && !lower(i).ends_with("ly"));
    let strong_causal = range
        .clone()
        .any(|i| has(lexicon::CAUSAL, lower(i)) && lower(i) != "after");
    let strong_comparison = range.clone().any(|i| {
        let l = lower(i);
        has(lexicon::SUPERLATIVES, l)
            || matches!(
                l,
                "than" | "compared" | "record" | "records" | "double" | "twice"
            )
            || (l == "from" && i > 0 && matches!(lower(i - 1), "up" | "down"))
    });
    ClauseFeatures {
        evidence: c.finish(),
        numbers,
        attribution_leads,
        strong_causal,
        strong_comparison,
    }
}

/// The words joined as written, with single spaces where the text has space between them.
pub fn join(words: &[Word]) -> String {
    let mut s = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 && words[k - 1].end < w.start {
            s.push(' ');
        }
        s.push_str(w.text);
    }
    s
}
