//! Reader-facing explanations of technique highlights.
//!
//! Each highlight says which *content words* of the passage fit the technique and why, in
//! plain words built from a technique-specific template (e.g. `"regime" is a label attached
//! to a person or group`), then the technique's one-line definition from the reader's guide
//! ([`definition`]) and how well the technique fits compared with the others.
//!
//! The words come from what the trained models expose at run time: the technique
//! classifier's [`Evidence`] and the span model's [`Cue`]s. Function words, punctuation,
//! single letters, bare numbers and the span's length, position or shape are never given as
//! reasons; when no content word remains the explanation says so instead of inventing one.
//! Every quoted word is a substring of the span or of its sentence.

use std::collections::HashSet;

use unspin_segment::Segmentation;

use crate::analyse::techniques::classify::features::Template;
use crate::analyse::techniques::classify::model::{Classification, Evidence, plain_name};
use crate::analyse::techniques::detector::display_name;
use crate::analyse::techniques::span::model::Cue;
use crate::analysis::Technique;
use crate::render::guide::definition;

/// Standard English function words (articles, pronouns, prepositions, conjunctions,
/// auxiliaries, and the bases of their contractions), lower case.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "couldn",
    "d",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "either",
    "else",
    "ever",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "ll",
    "m",
    "ma",
    "may",
    "me",
    "might",
    "mightn",
    "more",
    "most",
    "must",
    "mustn",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "re",
    "s",
    "same",
    "shall",
    "shan",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "ve",
    "very",
    "via",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won",
    "would",
    "wouldn",
    "y",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// At most this many words of the passage are cited.
const MAX_WORDS: usize = 2;

/// A further word is cited only if it weighed at least this share of the strongest one.
const MIN_SHARE: f32 = 0.5;

/// The passage a highlight covers, with what surrounds it.
#[derive(Debug, Clone, Copy)]
pub struct Passage<'a> {
    /// The whole article text.
    pub article: &'a str,
    /// What the explanations need of the whole article, computed once per article.
    pub words: &'a ArticleWords,
    /// The highlighted text.
    pub span: &'a str,
    /// The sentence (or sentences) holding the highlight.
    pub sentence: &'a str,
}

/// The code-point range of the sentences overlapping `start..end` (the range itself when
/// no sentence overlaps it).
pub fn sentence_bounds(seg: &Segmentation, start: usize, end: usize) -> (usize, usize) {
    let overlapping = seg
        .sentences
        .iter()
        .filter(|s| s.start < end.max(start + 1) && s.end > start);
    let (mut from, mut to) = (start, end);
    for s in overlapping {
        from = from.min(s.start);
        to = to.max(s.end);
    }
    (from, to)
}

/// True for a function word (stop word): `the`, `is`, `they're`, `don't`, … Case and the
/// kind of apostrophe do not matter.
pub fn is_function_word(word: &str) -> bool {
    let w = word.to_lowercase().replace('’', "'");
    let base = w.split('\'').next().unwrap_or("");
    STOP_WORDS.contains(&w.as_str()) || STOP_WORDS.contains(&base)
}

/// True for a word a reader can weigh as a reason: at least two characters, starting with
/// a letter, and not a function word (so never punctuation, a single letter or a number).
pub fn is_content_word(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_alphabetic()
        && chars.next().is_some()
        && word.chars().all(|c| c.is_alphanumeric() || is_joiner(c))
        && !is_function_word(word)
}

/// Characters allowed inside a word between two letters or digits.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‑')
}

/// Byte ranges of the words of `s`: runs of letters and digits, with apostrophes and
/// hyphens kept inside a word.
fn words(s: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (k, &(b, c)) in chars.iter().enumerate() {
        let inner = is_joiner(c)
            && start.is_some()
            && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(b);
        } else if let Some(a) = start.take() {
            out.push((a, b));
        }
    }
    if let Some(a) = start {
        out.push((a, s.len()));
    }
    out
}

/// The part of `cue` from its first to its last content word, if it has one and holds at
/// most `max_words` words and no quotation mark.
fn content_phrase(cue: &str, max_words: usize) -> Option<&str> {
    let ws = words(cue);
    let first = ws.iter().position(|&(a, b)| is_content_word(&cue[a..b]))?;
    let last = ws.iter().rposition(|&(a, b)| is_content_word(&cue[a..b]))?;
    let phrase = &cue[ws[first].0..ws[last].1];
    (last - first < max_words && !phrase.contains(['"', '“', '”', '„', '\n'])).then_some(phrase)
}

/// What explanations need of the whole article, computed once per article rather than
/// once per highlight: its words in lower case (for repetition counts) and how it writes
/// proper names.
#[derive(Debug)]
pub struct ArticleWords {
    names: Names,
    lower: Vec<String>,
}

impl ArticleWords {
    /// Reads `article` once.
    pub fn new(article: &str) -> Self {
        ArticleWords {
            names: Names::new(article),
            lower: lower_words(article),
        }
    }
}

/// How the article writes its words, to tell proper names from other words.
#[derive(Debug)]
struct Names {
    /// Words written in lower case somewhere, lower-cased.
    lower: HashSet<String>,
    /// Capitalised words written somewhere other than at the start of a sentence or line.
    mid_caps: HashSet<String>,
}

impl Names {
    fn new(article: &str) -> Self {
        let mut lower = HashSet::new();
        let mut mid_caps = HashSet::new();
        for (a, b) in words(article) {
            let w = article[a..b].replace('’', "'");
            let Some(first) = w.chars().next() else {
                continue;
            };
            if first.is_lowercase() {
                lower.insert(w);
            } else if first.is_uppercase() {
                let before = article[..a]
                    .chars()
                    .rev()
                    .find(|c| (!c.is_whitespace() || *c == '\n') && !is_opening(*c));
                if before.is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | '\n')) {
                    mid_caps.insert(w);
                }
            }
        }
        Names { lower, mid_caps }
    }

    /// True for a phrase made only of proper names: capitalised words that the article
    /// also capitalises in mid-sentence and never writes in lower case (e.g. "Tillerson",
    /// not "Worse" in a title or "Incredible" opening a sentence).
    fn is_name(&self, phrase: &str) -> bool {
        words(phrase).into_iter().all(|(a, b)| {
            let w = phrase[a..b].replace('’', "'");
            w.chars().next().is_some_and(char::is_uppercase)
                && self.mid_caps.contains(&w)
                && !self.lower.contains(&w.to_lowercase())
        })
    }
}

/// Quotation marks and brackets that may open a sentence.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '«')
}

/// True for the techniques whose templates fit a proper name (a nation, an authority, a
/// group).
fn names_fit(t: Technique) -> bool {
    matches!(
        t,
        Technique::FlagWaving
            | Technique::AppealToAuthority
            | Technique::AppealToFearPrejudice
            | Technique::BandwagonReductioAdHitlerum
            | Technique::Repetition
    )
}

/// Where a cited phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Inside the highlighted passage.
    Span,
    /// Around it, in its sentence.
    Context,
}

/// A phrase to cite, and where it is.
#[derive(Debug, Clone)]
struct Cited {
    phrase: String,
    place: Place,
    /// How much it weighed, on its source's scale.
    weight: f32,
    /// True when it comes from the technique classifier (which is what names the
    /// technique), false for the span model's cues.
    classifier: bool,
}

/// What the models point at, filtered to content words.
#[derive(Debug, Default)]
struct Findings {
    cited: Vec<Cited>,
    /// A phrase the classifier found repeated in the article, with its count.
    repeated: Option<(String, usize)>,
    /// The classifier weighed that the passage is (in) a question.
    question: bool,
}

impl Findings {
    /// Adds a phrase unless it, or a phrase holding it, is already cited.
    fn add(&mut self, phrase: &str, place: Place, weight: f32, classifier: bool) {
        let low = phrase.to_lowercase();
        if self.cited.iter().any(|c| {
            let o = c.phrase.to_lowercase();
            o.contains(&low) || low.contains(&o)
        }) {
            return;
        }
        self.cited.push(Cited {
            phrase: phrase.to_string(),
            place,
            weight,
            classifier,
        });
    }

    /// The phrases of the passage to cite for technique `t`: the classifier's strongest
    /// (the span model's when the classifier cites none), at most [`MAX_WORDS`], each
    /// weighing at least [`MIN_SHARE`] of the first. Proper names are left out for the
    /// techniques whose templates do not fit a name (a name is not "emotionally charged").
    fn in_span(&self, t: Technique, names: &Names) -> Vec<&str> {
        let fits =
            |c: &&Cited| c.place == Place::Span && (names_fit(t) || !names.is_name(&c.phrase));
        let from_classifier = self.cited.iter().filter(fits).any(|c| c.classifier);
        let pool: Vec<&Cited> = self
            .cited
            .iter()
            .filter(fits)
            .filter(|c| c.classifier == from_classifier)
            .collect();
        let top = pool.iter().map(|c| c.weight).fold(0.0f32, f32::max);
        pool.into_iter()
            .filter(|c| c.weight >= MIN_SHARE * top)
            .take(MAX_WORDS)
            .map(|c| c.phrase.as_str())
            .collect()
    }
}

/// Where `phrase` is in the passage, if it is there at all.
fn place_of(passage: &Passage<'_>, phrase: &str) -> Option<Place> {
    if passage.span.contains(phrase) {
        Some(Place::Span)
    } else if passage.sentence.contains(phrase) {
        Some(Place::Context)
    } else {
        None
    }
}

/// Gathers the citable content words from the classifier's evidence (strongest first),
/// then from the span model's cues.
fn findings(passage: &Passage<'_>, evidence: &[Evidence], cues: &[Cue]) -> Findings {
    let mut f = Findings::default();
    for e in evidence {
        match e.template {
            Some(Template::Punctuation) if e.feature.starts_with("p:question") => {
                f.question = passage.sentence.contains('?');
                continue;
            }
            Some(Template::Repeated) => {
                let phrase = e.cue.as_deref().and_then(|c| content_phrase(c, 12));
                if let Some(p) = phrase.filter(|p| passage.span.contains(p))
                    && e.count >= 2
                    && f.repeated.is_none()
                {
                    f.repeated = Some((p.to_string(), e.count));
                }
                continue;
            }
            Some(t) if !t.quotes_text() => continue,
            _ => {}
        }
        let context = matches!(
            e.template,
            Some(
                Template::LeftWord
                    | Template::RightWord
                    | Template::SentenceWord
                    | Template::ContextClass
            )
        );
        let Some(phrase) = e.cue.as_deref().and_then(|c| content_phrase(c, 4)) else {
            continue;
        };
        match place_of(passage, phrase) {
            Some(Place::Span) if !context => f.add(phrase, Place::Span, e.weight, true),
            Some(_) => f.add(phrase, Place::Context, e.weight, true),
            None => {}
        }
    }
    for c in cues.iter().filter(|c| c.weight > 0.0) {
        let Some(phrase) = content_phrase(&c.text, 3) else {
            continue;
        };
        if let Some(place) = place_of(passage, phrase) {
            f.add(phrase, place, c.weight, false);
        }
    }
    f
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
fn quoted_list(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|w| format!("\"{w}\"")).collect();
    match q.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Why words like the cited ones fit technique `t`: `(singular, plural)` sentences, `{}`
/// standing for the quoted words.
fn template(t: Technique) -> (&'static str, &'static str) {
    match t {
        Technique::LoadedLanguage => (
            "{} is an emotionally charged word, chosen for the feeling it stirs",
            "{} are emotionally charged words, chosen for the feelings they stir",
        ),
        Technique::NameCallingLabeling => (
            "{} is a label attached to a person or group",
            "{} are labels attached to a person or group",
        ),
        Technique::Repetition => (
            "{} echoes wording used elsewhere in the article",
            "{} echo wording used elsewhere in the article",
        ),
        Technique::Doubt => (
            "{} questions the credibility of someone or something",
            "{} question the credibility of someone or something",
        ),
        Technique::ExaggerationMinimisation => (
            "{} overstates or plays down how big or bad something is",
            "{} overstate or play down how big or bad something is",
        ),
        Technique::AppealToFearPrejudice => (
            "{} plays on fear of what could happen or of a group",
            "{} play on fear of what could happen or of a group",
        ),
        Technique::FlagWaving => (
            "The passage appeals to national or group identity ({})",
            "The passage appeals to national or group identity ({})",
        ),
        Technique::CausalOversimplification => (
            "{} pins the outcome on a single cause",
            "{} pin the outcome on a single cause",
        ),
        Technique::AppealToAuthority => (
            "The passage leans on the standing of whoever is cited ({}) rather than on evidence",
            "The passage leans on the standing of whoever is cited ({}) rather than on evidence",
        ),
        Technique::Slogans => (
            "{} is part of a short, catchy phrase made to be repeated",
            "{} are part of a short, catchy phrase made to be repeated",
        ),
        Technique::BlackAndWhiteFallacy => (
            "{} frames the matter as having only two sides",
            "{} frame the matter as having only two sides",
        ),
        Technique::WhataboutismStrawMenRedHerring => (
            "{} turns attention to someone else's faults or to another subject",
            "{} turn attention to someone else's faults or to another subject",
        ),
        Technique::ThoughtTerminatingCliches => (
            "{} is part of a stock phrase that closes the discussion",
            "{} are part of a stock phrase that closes the discussion",
        ),
        Technique::BandwagonReductioAdHitlerum => (
            "{} suggests that everyone is doing it, or ties the idea to a hated group",
            "{} suggest that everyone is doing it, or tie the idea to a hated group",
        ),
    }
}

/// The sentence of template `t` for the quoted words `items`.
fn fill(t: Technique, items: &[&str]) -> String {
    let (one, many) = template(t);
    let s = if items.len() == 1 { one } else { many };
    s.replace("{}", &quoted_list(items))
}

/// Lower-cased words of `s`.
fn lower_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .map(|(a, b)| s[a..b].to_lowercase().replace('’', "'"))
        .collect()
}

/// How many times the words of `phrase` occur in a row in `article_words`.
fn occurrences(article_words: &[String], phrase: &str) -> usize {
    let p = lower_words(phrase);
    if p.is_empty() || p.len() > article_words.len() {
        return 0;
    }
    article_words.windows(p.len()).filter(|w| *w == p).count()
}

/// The reasons for a repetition highlight: cited words that do recur in the article, or
/// else the span's most repeated content word.
fn repetition_reasons(passage: &Passage<'_>, found: &Findings) -> Vec<String> {
    let article = &passage.words.lower;
    let mut out = Vec::new();
    if let Some((p, n)) = &found.repeated {
        out.push(format!(
            "The wording \"{p}\" occurs {n} times in the article"
        ));
    }
    let mut counted: Vec<(&str, usize)> = found
        .cited
        .iter()
        .filter(|c| c.place == Place::Span)
        .map(|c| (c.phrase.as_str(), occurrences(article, &c.phrase)))
        .filter(|&(_, n)| n >= 2)
        .collect();
    if counted.is_empty() {
        let span = passage.span;
        let best = words(span)
            .into_iter()
            .map(|(a, b)| &span[a..b])
            .filter(|w| is_content_word(w))
            .map(|w| (w, occurrences(article, w)))
            .filter(|&(_, n)| n >= 2)
            .fold(None::<(&str, usize)>, |acc, x| match acc {
                Some(a) if a.1 >= x.1 => Some(a),
                _ => Some(x),
            });
        counted.extend(best);
    }
    for (w, n) in counted.into_iter().take(MAX_WORDS) {
        let in_phrase = |(p, _): &(String, usize)| p.to_lowercase().contains(&w.to_lowercase());
        if found.repeated.as_ref().is_some_and(in_phrase) {
            continue;
        }
        out.push(format!("\"{w}\" is repeated {n} times in the article"));
    }
    out
}

/// The explanation of one highlight of technique `t`, which the classifier rates `prob`
/// likely for the passage: the content words that drove it and why they fit, the
/// technique's definition, and how well it fits.
pub fn explain(
    t: Technique,
    prob: f32,
    passage: &Passage<'_>,
    cues: &[Cue],
    class: &Classification,
) -> String {
    let found = findings(passage, &class.evidence, cues);
    let mut reasons: Vec<String> = Vec::new();
    if t == Technique::Repetition {
        reasons.extend(repetition_reasons(passage, &found));
    } else {
        let words = found.in_span(t, &passage.words.names);
        if !words.is_empty() {
            reasons.push(fill(t, &words));
        }
        if let Some((p, n)) = &found.repeated {
            reasons.push(format!(
                "The same wording, \"{p}\", occurs {n} times in the article"
            ));
        }
    }
    if found.question {
        match t {
            Technique::Doubt => reasons
                .push("It is put as a question that casts doubt without offering evidence".into()),
            Technique::WhataboutismStrawMenRedHerring => {
                reasons.push("It is put as a question that turns attention elsewhere".into())
            }
            _ => {}
        }
    }
    let context: Vec<&str> = found
        .cited
        .iter()
        .filter(|c| c.place == Place::Context)
        .map(|c| c.phrase.as_str())
        .take(2)
        .collect();
    if reasons.len() < 2 && !context.is_empty() {
        reasons.push(format!(
            "The words around it ({}) are typical of {} in the training articles",
            quoted_list(&context),
            plain_name(t)
        ));
    }
    let mut s = String::new();
    if reasons.is_empty() {
        s.push_str(&format!(
            "No single word stands out; the passage's overall wording matches {}.",
            display_name(t)
        ));
    } else {
        for r in &reasons {
            s.push_str(r);
            s.push_str(". ");
        }
        s.pop();
    }
    let name = display_name(t);
    let mut cap = name.chars();
    let name: String = cap
        .next()
        .map(|c| c.to_uppercase().chain(cap).collect())
        .unwrap_or_default();
    s.push_str(&format!(
        " {name}: {} Of the 14 techniques, it fits this one best ({:.0}%).",
        definition(t),
        prob * 100.0
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(template: Template, feature: &str, cue: Option<&str>, count: usize) -> Evidence {
        Evidence {
            description: String::new(),
            cue: cue.map(str::to_string),
            weight: 1.0,
            template: Some(template),
            feature: feature.to_string(),
            count,
        }
    }

    fn class(t: Technique, evidence: Vec<Evidence>) -> Classification {
        let mut probs = [0.01f32; 14];
        let i = Technique::ALL.iter().position(|&x| x == t).unwrap();
        probs[i] = 0.87;
        Classification { probs, evidence }
    }

    fn cue(text: &str) -> Cue {
        Cue {
            text: text.into(),
            why: "word often marked in training articles".into(),
            weight: 1.0,
        }
    }

    /// The double-quoted pieces of an explanation.
    fn quoted(s: &str) -> Vec<&str> {
        s.split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn function_words_numbers_and_punctuation_are_not_content() {
        for w in [
            "a", "The", "is", "they're", "don’t", "of", "7", "1990", "?", "", "x", "--",
        ] {
            assert!(!is_content_word(w), "{w}");
        }
        for w in [
            "regime",
            "so-called",
            "Trump's",
            "patriots",
            "élite",
            "COVID-19",
        ] {
            assert!(is_content_word(w), "{w}");
        }
        assert_eq!(content_phrase("the regime", 4), Some("regime"));
        assert_eq!(content_phrase("a \"plan\" is", 4), Some("plan"));
        assert_eq!(content_phrase("of the", 4), None);
        assert_eq!(content_phrase("evil of the regime", 2), None);
        assert_eq!(
            words("it’s a so-called—plan"),
            [(0, 6), (7, 8), (9, 18), (21, 25)]
        );
    }

    #[test]
    fn name_calling_cites_the_label_and_the_definition() {
        let span = "the corrupt regime";
        let p = Passage {
            article: "They said the corrupt regime lies.",
            span,
            sentence: "They said the corrupt regime lies.",
            words: &ArticleWords::new("They said the corrupt regime lies."),
        };
        let c = class(
            Technique::NameCallingLabeling,
            vec![
                evidence(Template::FirstWord, "f:the", Some("the"), 0),
                evidence(Template::Length, "len:3", None, 3),
                evidence(Template::SpanWord, "u:regime", Some("regime"), 0),
                evidence(
                    Template::SpanBigram,
                    "b:the corrupt",
                    Some("the corrupt"),
                    0,
                ),
            ],
        );
        let s = explain(Technique::NameCallingLabeling, 0.87, &p, &[cue("a")], &c);
        assert!(
            s.starts_with("\"regime\" and \"corrupt\" are labels attached to a person or group. "),
            "{s}"
        );
        assert!(
            s.contains(definition(Technique::NameCallingLabeling)),
            "{s}"
        );
        assert!(s.contains("(87%)"), "{s}");
        assert!(!s.contains("long") && !s.contains("starts with"), "{s}");
        for q in quoted(&s) {
            assert!(span.contains(q) && is_content_word(q), "{q}");
        }
    }

    #[test]
    fn no_content_word_is_said_honestly() {
        let p = Passage {
            article: "It is what it is.",
            span: "It is what it is",
            sentence: "It is what it is.",
            words: &ArticleWords::new("It is what it is."),
        };
        let c = class(
            Technique::ThoughtTerminatingCliches,
            vec![
                evidence(Template::FirstWord, "f:it", Some("It"), 0),
                evidence(Template::Position, "cover:3", None, 0),
            ],
        );
        let s = explain(
            Technique::ThoughtTerminatingCliches,
            0.5,
            &p,
            &[cue("is"), cue("what it")],
            &c,
        );
        assert!(
            s.starts_with("No single word stands out; the passage's overall wording matches"),
            "{s}"
        );
        assert!(s.contains(definition(Technique::ThoughtTerminatingCliches)));
        assert!(quoted(&s).is_empty(), "{s}");
    }

    #[test]
    fn repetition_counts_the_repeated_word() {
        let article = "Build the wall. They want the wall. The wall, again and again.";
        let p = Passage {
            article,
            span: "The wall",
            sentence: "The wall, again and again.",
            words: &ArticleWords::new(article),
        };
        let c = class(Technique::Repetition, vec![]);
        let s = explain(Technique::Repetition, 0.6, &p, &[], &c);
        assert!(
            s.starts_with("\"wall\" is repeated 3 times in the article."),
            "{s}"
        );
    }

    #[test]
    fn doubt_question_and_flag_waving_templates() {
        let p = Passage {
            article: "Can we trust these so-called experts?",
            span: "Can we trust these so-called experts?",
            sentence: "Can we trust these so-called experts?",
            words: &ArticleWords::new("Can we trust these so-called experts?"),
        };
        let c = class(
            Technique::Doubt,
            vec![
                evidence(Template::Punctuation, "p:question", None, 0),
                evidence(Template::SpanWord, "u:so-called", Some("so-called"), 0),
            ],
        );
        let s = explain(Technique::Doubt, 0.7, &p, &[], &c);
        assert!(
            s.starts_with(
                "\"so-called\" questions the credibility of someone or something. It is put as a \
                 question that casts doubt"
            ),
            "{s}"
        );
        let p = Passage {
            article: "Every true patriot stands for America.",
            span: "Every true patriot",
            sentence: "Every true patriot stands for America.",
            words: &ArticleWords::new("Every true patriot stands for America."),
        };
        let c = class(
            Technique::FlagWaving,
            vec![
                evidence(Template::SpanWord, "u:patriot", Some("patriot"), 0),
                evidence(Template::RightWord, "r:stands", Some("stands"), 0),
            ],
        );
        let s = explain(Technique::FlagWaving, 0.7, &p, &[cue("America")], &c);
        assert!(
            s.starts_with(
                "The passage appeals to national or group identity (\"patriot\"). The words \
                 around it (\"stands\" and \"America\")"
            ),
            "{s}"
        );
    }

    #[test]
    fn proper_names_are_not_called_charged_words() {
        let article = "Incredible. They are invading Ukraine, and Ukraine resists.";
        let names = Names::new(article);
        assert!(names.is_name("Ukraine"));
        assert!(!names.is_name("Incredible") && !names.is_name("invading"));
        let p = Passage {
            article,
            span: "invading Ukraine",
            sentence: "They are invading Ukraine, and Ukraine resists.",
            words: &ArticleWords::new(article),
        };
        let c = class(
            Technique::LoadedLanguage,
            vec![
                evidence(Template::SpanWord, "u:ukraine", Some("Ukraine"), 0),
                evidence(Template::SpanWord, "u:invading", Some("invading"), 0),
            ],
        );
        let s = explain(Technique::LoadedLanguage, 0.8, &p, &[], &c);
        assert!(
            s.starts_with("\"invading\" is an emotionally charged word"),
            "{s}"
        );
        let p = Passage {
            article,
            span: "Incredible",
            sentence: "Incredible.",
            words: &ArticleWords::new(article),
        };
        let c = class(
            Technique::LoadedLanguage,
            vec![evidence(
                Template::WholeSpan,
                "w:incredible",
                Some("Incredible"),
                0,
            )],
        );
        let s = explain(Technique::LoadedLanguage, 0.8, &p, &[], &c);
        assert!(s.starts_with("\"Incredible\" is an emotionally"), "{s}");
    }

    #[test]
    fn sentence_bounds_cover_the_overlapping_sentences() {
        let text = "One here. Two there. Three.";
        let seg = unspin_segment::segment(text);
        assert_eq!(sentence_bounds(&seg, 10, 13), (10, 20));
        assert_eq!(sentence_bounds(&seg, 4, 13), (0, 20));
    }
}
