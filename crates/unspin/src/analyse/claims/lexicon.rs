//! Word lists behind the claim features: general English, no entries from any particular
//! article. Every list is sorted (a test checks) and looked up by binary search on the
//! lowercased word.

/// Looks a lowercased word up in a sorted list.
pub fn has(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// Verbs and phrases that report what someone said or wrote.
pub const REPORTING: &[&str] = &[
    "accused",
    "acknowledged",
    "added",
    "admitted",
    "alleged",
    "allegedly",
    "announced",
    "announces",
    "argued",
    "asserted",
    "called",
    "claimed",
    "confirmed",
    "confirms",
    "declared",
    "demanded",
    "denied",
    "denies",
    "disclosed",
    "estimated",
    "estimates",
    "explained",
    "insisted",
    "insists",
    "maintained",
    "noted",
    "pledged",
    "promised",
    "reported",
    "reportedly",
    "reports",
    "revealed",
    "said",
    "say",
    "says",
    "stated",
    "states",
    "stressed",
    "testified",
    "told",
    "tweeted",
    "vowed",
    "warned",
    "warns",
    "wrote",
];

/// Irregular past-tense forms that report an event.
pub const IRREGULAR_PAST: &[&str] = &[
    "beat",
    "began",
    "bought",
    "brought",
    "built",
    "burnt",
    "came",
    "caught",
    "chose",
    "cut",
    "dealt",
    "drew",
    "drove",
    "fell",
    "fled",
    "flew",
    "fought",
    "found",
    "froze",
    "gave",
    "grew",
    "held",
    "hit",
    "hung",
    "hurt",
    "kept",
    "knew",
    "laid",
    "led",
    "left",
    "lent",
    "lost",
    "made",
    "met",
    "paid",
    "put",
    "quit",
    "ran",
    "rose",
    "sank",
    "sat",
    "saw",
    "sent",
    "set",
    "shot",
    "shut",
    "slid",
    "sold",
    "spent",
    "split",
    "spoke",
    "spread",
    "stole",
    "stood",
    "struck",
    "swore",
    "threw",
    "took",
    "tore",
    "underwent",
    "upheld",
    "went",
    "withdrew",
    "won",
    "wore",
    "wrote",
];

/// Words ending in -ed that are not (usually) reports of an event.
pub const ED_NOT_EVENT: &[&str] = &[
    "advanced",
    "alleged",
    "armed",
    "ashamed",
    "based",
    "biased",
    "bored",
    "concerned",
    "detailed",
    "embed",
    "exceed",
    "excited",
    "experienced",
    "feed",
    "hundred",
    "indeed",
    "interested",
    "limited",
    "naked",
    "need",
    "needed",
    "pleased",
    "prepared",
    "proceed",
    "red",
    "scared",
    "seed",
    "shed",
    "skilled",
    "so-called",
    "speed",
    "succeed",
    "talented",
    "tired",
    "unprecedented",
    "used",
    "wed",
    "weed",
    "wicked",
    "worried",
];

/// Auxiliaries and modals: finite verbs that make a run of words a clause.
pub const AUXILIARIES: &[&str] = &[
    "am", "are", "can", "could", "did", "does", "had", "has", "have", "is", "may", "might", "must",
    "shall", "should", "was", "were", "will", "would",
];

/// Forms of "be" and linking verbs after which an -ed word is an adjective, not an event.
pub const LINKING: &[&str] = &[
    "am", "appear", "appears", "are", "be", "become", "becomes", "been", "being", "feel", "feels",
    "get", "gets", "is", "look", "looks", "remain", "remains", "seem", "seems",
];

/// Words that hedge: speculation, possibility, appearance.
pub const HEDGES: &[&str] = &[
    "apparently",
    "appear",
    "appears",
    "arguably",
    "conceivably",
    "could",
    "guess",
    "likely",
    "looks",
    "may",
    "maybe",
    "might",
    "perhaps",
    "possibly",
    "presumably",
    "probably",
    "seem",
    "seemed",
    "seemingly",
    "seems",
    "speculate",
    "suggest",
    "suggested",
    "suggests",
    "suppose",
    "unlikely",
];

/// Verbs of belief and knowledge: claims about minds, not checkable facts.
pub const MENTAL: &[&str] = &[
    "believe", "believes", "doubt", "doubts", "feel", "feels", "hope", "hopes", "imagine", "know",
    "knows", "realise", "realises", "realize", "realizes", "reckon", "suspect", "think", "thinks",
    "wonder",
];

/// Evaluative words: value judgements, emphasis and loaded labels.
pub const EVALUATIVE: &[&str] = &[
    "absurd",
    "abysmal",
    "admirable",
    "amazing",
    "appalling",
    "awful",
    "bad",
    "beautiful",
    "best",
    "bizarre",
    "brave",
    "brilliant",
    "catastrophic",
    "clearly",
    "crazy",
    "cruel",
    "dangerous",
    "deplorable",
    "deserve",
    "deserved",
    "deserves",
    "disappointing",
    "disaster",
    "disastrous",
    "disgrace",
    "disgraceful",
    "dishonest",
    "dreadful",
    "embarrassing",
    "embarrassment",
    "excellent",
    "extraordinary",
    "fabulous",
    "fantastic",
    "foolish",
    "frankly",
    "glorious",
    "good",
    "great",
    "heartbreaking",
    "hopeless",
    "horrible",
    "idiotic",
    "important",
    "incompetent",
    "incredible",
    "irresponsible",
    "joke",
    "laughable",
    "lovely",
    "ludicrous",
    "magnificent",
    "mess",
    "miracle",
    "naive",
    "nightmare",
    "obviously",
    "outrageous",
    "pathetic",
    "proud",
    "reckless",
    "remarkable",
    "ridiculous",
    "sad",
    "scandalous",
    "shameful",
    "shocking",
    "short-sighted",
    "silly",
    "simply",
    "splendid",
    "stupid",
    "surely",
    "terrible",
    "thrilled",
    "timid",
    "tragedy",
    "tragic",
    "triumph",
    "truly",
    "unacceptable",
    "unbelievable",
    "unfair",
    "unnecessary",
    "useless",
    "vanity",
    "welcome",
    "wonderful",
    "worst",
    "worthless",
    "wrong",
];

/// First- and second-person words: the writer addressing or including the reader.
pub const PERSONAL: &[&str] = &[
    "i", "i'd", "i'm", "i've", "me", "my", "our", "ours", "us", "we", "we're", "we've", "you",
    "you're", "your", "yours",
];

/// Words that oblige or urge: the mark of a call to action.
pub const DEONTIC: &[&str] = &["must", "ought", "should"];

/// Verbs that open an imperative sentence ("Sign the petition").
pub const IMPERATIVES: &[&str] = &[
    "act", "avoid", "buy", "call", "check", "consider", "contact", "demand", "do", "don't",
    "donate", "fix", "get", "give", "go", "help", "imagine", "join", "keep", "leave", "let",
    "let's", "look", "remember", "share", "sign", "stay", "stop", "support", "take", "tell",
    "think", "vote", "watch", "write",
];

/// Words that make a comparison.
pub const COMPARATIVES: &[&str] = &[
    "compared", "double", "doubled", "fewer", "halved", "higher", "larger", "less", "lower",
    "more", "most", "record", "records", "smaller", "than", "tripled", "twice",
];

/// Superlatives and "first"-type ranks that make a checkable comparison.
pub const SUPERLATIVES: &[&str] = &[
    "biggest",
    "busiest",
    "deadliest",
    "fastest",
    "first",
    "heaviest",
    "highest",
    "largest",
    "lowest",
    "oldest",
    "slowest",
    "smallest",
    "strongest",
    "warmest",
    "weakest",
];

/// Connectives and verbs that state a cause.
pub const CAUSAL: &[&str] = &[
    "after",
    "because",
    "blame",
    "blamed",
    "blames",
    "caused",
    "causes",
    "consequence",
    "driven",
    "led",
    "owing",
    "result",
];

/// Words that look ahead.
pub const FUTURE: &[&str] = &[
    "due",
    "expect",
    "expected",
    "expects",
    "forecast",
    "forecasts",
    "predict",
    "predicted",
    "predicts",
    "projected",
    "scheduled",
    "will",
];

/// Number words (zero to twelve, tens, and scales).
pub const NUMBER_WORDS: &[&str] = &[
    "billion",
    "dozen",
    "dozens",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "fourteen",
    "hundred",
    "hundreds",
    "million",
    "millions",
    "nine",
    "nineteen",
    "ninety",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "ten",
    "thirteen",
    "thirty",
    "thousand",
    "thousands",
    "three",
    "trillion",
    "twelve",
    "twenty",
    "two",
];

/// Number words that make a round, possibly figurative amount ("a hundred", "a million").
pub const SCALES: &[&str] = &["billion", "hundred", "million", "thousand", "trillion"];

/// Nouns that turn a round number into an idiom ("a hundred reasons", "a million times").
pub const IDIOM_NOUNS: &[&str] = &[
    "excuses",
    "miles",
    "pieces",
    "questions",
    "reasons",
    "things",
    "times",
    "ways",
    "words",
];

/// Units and measures that follow a number.
pub const UNITS: &[&str] = &[
    "acres",
    "celsius",
    "cent",
    "centimetres",
    "days",
    "degrees",
    "dollars",
    "doses",
    "euros",
    "fahrenheit",
    "feet",
    "grams",
    "hectares",
    "hours",
    "kg",
    "kilograms",
    "kilometers",
    "kilometres",
    "km",
    "litres",
    "meters",
    "metres",
    "miles",
    "minutes",
    "months",
    "percent",
    "points",
    "pounds",
    "seconds",
    "tonnes",
    "tons",
    "weeks",
    "years",
    "yen",
    "zloty",
];

/// Month names (capitalised in text).
pub const MONTHS: &[&str] = &[
    "april",
    "august",
    "december",
    "february",
    "january",
    "july",
    "june",
    "march",
    "may",
    "november",
    "october",
    "september",
];

/// Weekday names and relative day words.
pub const DAYS: &[&str] = &[
    "friday",
    "monday",
    "overnight",
    "saturday",
    "sunday",
    "thursday",
    "today",
    "tuesday",
    "wednesday",
    "yesterday",
];

/// Words that are capitalised at the start of a sentence without naming anything.
pub const FUNCTION_WORDS: &[&str] = &[
    "a",
    "after",
    "all",
    "also",
    "an",
    "and",
    "another",
    "any",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "however",
    "if",
    "in",
    "it",
    "its",
    "many",
    "meanwhile",
    "more",
    "most",
    "much",
    "my",
    "no",
    "nobody",
    "none",
    "not",
    "now",
    "of",
    "oh",
    "on",
    "one",
    "only",
    "or",
    "our",
    "over",
    "since",
    "so",
    "some",
    "still",
    "such",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "thus",
    "to",
    "under",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "with",
    "yet",
];

/// Words that open a subordinate clause at the start of a sentence.
pub const SUBORDINATORS: &[&str] = &["although", "though", "whereas", "while"];

/// Conjunctions after a comma that may start a new clause.
pub const CLAUSE_CONJUNCTIONS: &[&str] = &["and", "but", "though", "whereas", "while", "yet"];

/// Question words that open a question.
pub const QUESTION_WORDS: &[&str] = &["how", "what", "when", "where", "who", "why"];

/// Words before which an -ed form modifies a noun ("the proposed plan", "few classified points").
pub const DETERMINERS: &[&str] = &[
    "a", "all", "an", "few", "her", "his", "its", "many", "most", "other", "our", "several",
    "some", "the", "their", "these", "this", "those", "your",
];

/// Adverbs skipped when looking for the word that governs a verb ("is currently engaged").
pub const ADVERBS: &[&str] = &[
    "already", "also", "even", "ever", "just", "less", "more", "never", "not", "now", "so",
    "still", "then", "too", "very",
];

/// Nouns of time after "last", "this" or "next".
pub const TIME_NOUNS: &[&str] = &[
    "autumn", "month", "season", "spring", "summer", "week", "weekend", "winter", "year",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_lowercase_and_unique() {
        for list in [
            REPORTING,
            IRREGULAR_PAST,
            ED_NOT_EVENT,
            AUXILIARIES,
            LINKING,
            HEDGES,
            MENTAL,
            EVALUATIVE,
            PERSONAL,
            DEONTIC,
            IMPERATIVES,
            COMPARATIVES,
            SUPERLATIVES,
            CAUSAL,
            FUTURE,
            NUMBER_WORDS,
            SCALES,
            IDIOM_NOUNS,
            UNITS,
            MONTHS,
            DAYS,
            FUNCTION_WORDS,
            SUBORDINATORS,
            CLAUSE_CONJUNCTIONS,
            QUESTION_WORDS,
        ] {
            for w in list.windows(2) {
                assert!(w[0] < w[1], "{:?} before {:?}", w[0], w[1]);
            }
            assert!(list.iter().all(|w| w.to_lowercase() == *w));
        }
        assert!(has(REPORTING, "said") && !has(REPORTING, "sad"));
    }
}
