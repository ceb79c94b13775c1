//! Who speaks: the subject before a reporting cue, the name right after an inverted cue
//! ("said Rafael Monteiro"), or an unnamed source ("one farmer"), and how the speaker
//! resolves to an actor.

use crate::analysis::{Actor, ActorRef, MentionKind};
use crate::span::TextSpan;

use super::super::actors::{Entities, Words, actor_ref};
use super::cues::{self, is};

const PREPOSITIONS: &[&str] = &[
    "of",
    "by",
    "for",
    "from",
    "with",
    "in",
    "at",
    "to",
    "on",
    "about",
    "against",
    "than",
    "(",
    "into",
    "over",
    "under",
    "among",
    "between",
    "like",
    "inside",
    "outside",
    "across",
    "through",
    "toward",
    "towards",
    "within",
    "without",
    "near",
    "behind",
    "beyond",
    "during",
    "via",
    "per",
    "despite",
    "amid",
    "upon",
    "onto",
    "around",
    "throughout",
];

/// Words that may stand between a subject and its verb ("Virtanen later told").
const BETWEEN: &[&str] = &[
    "also",
    "later",
    "then",
    "has",
    "had",
    "have",
    "had",
    "again",
    "once",
    "still",
    "only",
    "repeatedly",
    "publicly",
    "previously",
    "reportedly",
    "has",
    "would",
    "will",
    "did",
    "himself",
    "herself",
    "themselves",
    "itself",
    "privately",
    "quickly",
    "recently",
    "often",
    "never",
    "always",
    "initially",
    "first",
    "subsequently",
    "angrily",
    "flatly",
];

/// Words that end a noun phrase on its left or cannot be part of one.
const NOT_IN_PHRASE: &[&str] = &[
    "and", "or", "but", "that", "which", "who", "whom", "whose", "when", "while", "as", "if",
    "because", "since", "after", "before", "where", "than", "so", "not", "also", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "it", "he", "she", "they", "we", "i", "you",
    "this", "there", "here", "then", "now", "yet", "still", "even", "just", "only", "what", "how",
    "why", "said", "says", "say",
];

/// Determiners and quantifiers that may open a group noun phrase ("the", "many", "both").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "some", "many", "most", "both", "several", "few", "all", "other", "these",
    "those", "his", "her", "their", "its", "our", "two", "three", "four", "five",
];

/// Head nouns that speak for a named person or body ("the Obama campaign", "Trump aides").
const SPEAKING_HEADS: &[&str] = &[
    "campaign",
    "campaigns",
    "aides",
    "aide",
    "advisers",
    "adviser",
    "advisors",
    "advisor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "officials",
    "official",
    "supporters",
    "allies",
    "lawyers",
    "lawyer",
    "attorneys",
    "attorney",
    "staff",
    "staffers",
    "administration",
    "camp",
    "team",
    "office",
    "allies",
    "backers",
    "critics",
    "surrogates",
    "representatives",
    "representative",
    "loyalists",
    "voters",
    "delegates",
    "donors",
    "lawmakers",
    "leaders",
    "senators",
    "strategists",
    "operatives",
    "people",
    "organizers",
    "organisers",
    "members",
    "group",
    "committee",
    "press",
    "secretary",
];

/// A group or an unnamed speaker written as a lower-case noun phrase ending just before
/// word `end` (exclusive): "political experts", "28 percent of voters", "both candidates",
/// "Democratic lawmakers", "the Obama campaign". Returns its first and last word.
pub fn noun_phrase_before(ws: &Words, start: usize, end: usize) -> Option<(usize, usize)> {
    let w = &ws.words;
    if end == 0 || end <= start {
        return None;
    }
    let head = &w[end - 1];
    let plain = |x: &super::super::actors::words::Word| {
        x.is_word()
            && !is(NOT_IN_PHRASE, &x.lower)
            && !x.lower.ends_with("ly")
            && !PREPOSITIONS.contains(&x.lower.as_str())
    };
    // A capitalised head only where the sentence's first word is capitalised ("Police say").
    if !plain(head)
        || (head.cap && !(head.initial && end - 1 == start))
        || head.lower.chars().count() < 3
        || head.lower.ends_with("ing")
    {
        return None;
    }
    if is(TIME_WORDS, &head.lower) {
        return None;
    }
    let mut first = end - 1;
    while first > start {
        let x = &w[first - 1];
        if is(DETERMINERS, &x.lower) {
            first -= 1;
            break;
        }
        let of_phrase = x.lower == "of"
            && first >= 2
            && (w[first - 2].kind == unspin_segment::TokenKind::Number
                || matches!(
                    w[first - 2].lower.as_str(),
                    "percent" | "many" | "most" | "some" | "majority" | "half" | "number" | "group"
                ));
        if !(plain(x) || x.kind == unspin_segment::TokenKind::Number || of_phrase) {
            break;
        }
        first -= 1;
    }
    // The phrase must open its clause: not the object of a preposition or a verb.
    let opens = (start..first).all(|k| {
        matches!(
            w[k].lower.as_str(),
            "just" | "only" | "even" | "but" | "and" | "yet" | "so" | "now" | "still" | "also"
        )
    }) || matches!(
        w[first - 1].lower.as_str(),
        "," | "and"
            | "but"
            | "that"
            | "while"
            | "as"
            | "—"
            | "–"
            | ":"
            | "after"
            | "before"
            | "when"
            | "because"
            | "since"
            | "if"
            | "although"
            | "though"
            | "until"
            | "once"
    );
    opens.then_some((first, end - 1))
}

/// Words of time that end phrases which are not speakers ("this month", "last week").
const TIME_WORDS: &[&str] = &[
    "month",
    "week",
    "year",
    "day",
    "days",
    "weeks",
    "months",
    "years",
    "today",
    "yesterday",
    "tonight",
    "morning",
    "evening",
    "night",
    "afternoon",
    "time",
    "ever",
    "never",
    "again",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "statement",
    "interview",
    "streets",
];

/// The speaker of a quote: the mention in the text (if any) and who it is.
#[derive(Debug, Clone, Default)]
pub struct Speaker {
    /// Index into the entities' mentions of the speaker's mention.
    pub mention: Option<usize>,
    /// The speaker's words when no mention covers them ("one farmer").
    pub words: Option<(usize, usize)>,
}

impl Speaker {
    /// True when some words name the speaker.
    pub fn found(&self) -> bool {
        self.mention.is_some() || self.words.is_some()
    }
}

/// For each mention, true when no other mention contains it.
pub fn outermost(ents: &Entities) -> Vec<bool> {
    let mut order: Vec<usize> = (0..ents.mentions.len()).collect();
    order.sort_by_key(|&i| {
        (
            ents.mentions[i].start,
            std::cmp::Reverse(ents.mentions[i].end),
        )
    });
    let mut out = vec![true; ents.mentions.len()];
    let mut max_end = 0;
    for (n, &i) in order.iter().enumerate() {
        let m = &ents.mentions[i];
        if n > 0 && max_end >= m.end {
            out[i] = false;
        }
        max_end = max_end.max(m.end);
    }
    out
}

/// The outermost mention whose first word is `k`.
pub fn mention_starting(ws: &Words, ents: &Entities, outer: &[bool], k: usize) -> Option<usize> {
    let w = &ws.words;
    let find = |k: usize| {
        let at = w.get(k)?.start;
        let from = ents.mentions.partition_point(|m| m.start < at);
        (from..ents.mentions.len())
            .take_while(|&i| ents.mentions[i].start == at)
            .find(|&i| outer[i])
    };
    find(k).or_else(|| {
        w.get(k)
            .is_some_and(|x| x.lower == "the")
            .then(|| find(k + 1))
            .flatten()
    })
}

/// An unnamed source starting at word `k`: "one farmer", "an official", "one of them",
/// "someone in the audience".
pub fn anonymous_at(ws: &Words, k: usize) -> Option<(usize, usize)> {
    let w = &ws.words;
    let first = w.get(k)?;
    if !is(cues::ANONYMOUS, &first.lower) {
        return None;
    }
    let mut last = k;
    for j in k + 1..(k + 5).min(w.len()) {
        let x = &w[j];
        if !x.is_word()
            || x.sent != first.sent
            || (x.cap && j > k + 1)
            || is(cues::SPEECH, &x.lower)
            || x.lower == "who"
        {
            break;
        }
        last = j;
        if !matches!(
            x.lower.as_str(),
            "of" | "in" | "the" | "senior" | "local" | "former" | "western" | "government"
        ) && j > k
        {
            // The noun: stop after it unless "of them", "in the audience" follow.
            if !w
                .get(j + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "of" | "in"))
            {
                break;
            }
        }
    }
    (last > k || matches!(first.lower.as_str(), "someone" | "somebody")).then_some((k, last))
}

/// The subject of the reporting verb at word `v`: the last mention of its clause before it
/// that is not a possessor, not inside brackets and not the object of a preposition; or an
/// unnamed source.
pub fn subject_before(ws: &Words, ents: &Entities, outer: &[bool], v: usize) -> Speaker {
    let w = &ws.words;
    let sent = w[v].sent;
    let mut start = v;
    while start > 0
        && w[start - 1].sent == sent
        && !matches!(w[start - 1].text.as_str(), ";" | ":" | "”" | "“" | "\"")
    {
        start -= 1;
    }
    // "…, Nefzi said, adding, “…”": an "-ing" cue right after another cue and its comma
    // speaks for that cue's subject.
    if v >= start + 3
        && w[v].lower.ends_with("ing")
        && w[v - 1].is(",")
        && crate::analyse::speech::SPEECH.contains(&w[v - 2].lower.as_str())
    {
        let s = subject_before(ws, ents, outer, v - 2);
        if s.mention.is_some_and(|i| ents.mentions[i].last + 3 == v) {
            return s;
        }
    }
    let mut best = None;
    let mut first_subject = None;
    // The last word of a mention left out as a preposition's object: a mention after it and
    // a comma belongs to the same phrase ("At a rally in Portsmouth, N.H., Sanders said").
    let mut object_end = None;
    let from = ents.mentions.partition_point(|m| m.start < w[start].start);
    let to = ents.mentions.partition_point(|m| m.start < w[v].start);
    for (i, m) in ents.mentions.iter().enumerate().take(to).skip(from) {
        if !outer[i] || m.first < start || m.last >= v || w[m.last].poss || w[m.first].quoted {
            continue;
        }
        // Only a subject pronoun speaks: not "his", "him", "her".
        if m.kind == MentionKind::Pronoun
            && matches!(
                w[m.first].lower.as_str(),
                "his" | "him" | "her" | "hers" | "its" | "their" | "them"
            )
        {
            continue;
        }
        let mut p = m.first;
        loop {
            if p > start && matches!(w[p - 1].lower.as_str(), "the") {
                p -= 1;
            } else if p > start + 1 && abbreviation_dot(ws, p - 1) {
                // "about Mr. Trump": the honorific and its dot.
                p -= 2;
            } else if p > start
                && crate::analyse::actors::lexicon::Lexicon::get()
                    .honorifics
                    .contains_key(&w[p - 1].lower)
            {
                p -= 1;
            } else {
                break;
            }
        }
        if p > start && PREPOSITIONS.contains(&w[p - 1].lower.as_str()) {
            object_end = Some(m.last);
            continue;
        }
        if p >= start + 2
            && w[p - 1].is(",")
            && object_end == Some(p - 2)
            && w.get(m.last + 1).is_some_and(|x| x.is(","))
        {
            object_end = Some(m.last);
            continue;
        }
        let in_description = ents.entities.iter().enumerate().any(|(e, x)| {
            e != m.entity
                && x.descriptors
                    .iter()
                    .any(|&(a, b)| a <= m.start && m.end <= b && (a, b) != (m.start, m.end))
        });
        if in_description {
            continue;
        }
        if first_subject.is_none() {
            first_subject = Some(i);
        }
        best = Some(i);
    }
    // "X attacked Trump, saying …": after a comma, an "-ing" cue's subject is the clause's
    // first subject, not the last name before it.
    // "X aims to …, and expects …": a verb joined by "and" shares the first subject too.
    if v > start
        && (w[v].lower.ends_with("ing") && w[v - 1].is(",")
            || matches!(w[v - 1].lower.as_str(), "and" | "but"))
        && let Some(i) = first_subject
    {
        best = Some(i);
    }
    // Words between the subject and the verb that belong to neither: "Virtanen later told".
    let mut p = v;
    while p > start && is(BETWEEN, &w[p - 1].lower) {
        p -= 1;
    }
    // "… made no mention of Jeb Bush, who announced …": a relative pronoun's verb speaks for
    // the phrase the pronoun attaches to, not for the clause's subject.
    if p > start + 1 && matches!(w[p - 1].lower.as_str(), "who" | "which" | "that") {
        return antecedent(ws, ents, outer, start, p - 1);
    }
    if let Some(i) = best {
        let m = &ents.mentions[i];
        // "the Obama campaign said", "Trump aides say": the group speaks, not the name.
        if m.last + 1 < p
            && is(SPEAKING_HEADS, &w[p - 1].lower)
            && (m.last + 1..p)
                .all(|k| w[k].is_word() && !w[k].cap || is(SPEAKING_HEADS, &w[k].lower))
        {
            let mut a = m.first;
            if a > start && is(DETERMINERS, &w[a - 1].lower) {
                a -= 1;
            }
            return Speaker {
                mention: None,
                words: Some((a, p - 1)),
            };
        }
        // "Appearing on Face the Nation, the GOP front-runner said": the name sits in an
        // opening phrase; the subject follows the comma.
        if let Some(c) = (m.last + 1..p).rev().find(|&k| w[k].is(","))
            && let Some(words) = noun_phrase_before(ws, c + 1, p)
            && words.0 == c + 1
        {
            return Speaker {
                mention: None,
                words: Some(words),
            };
        }
        if m.last + 1 == p || !(m.last + 1..p).all(|k| w[k].is_word() && !w[k].cap) {
            return Speaker {
                mention: Some(i),
                words: None,
            };
        }
        // Words after the name that may be a phrase of its own ("Trump said" vs. "Trump
        // supporters said") fall through to the phrase below only when it ends in a noun.
        if noun_phrase_before(ws, m.last + 1, p).is_none() {
            return Speaker {
                mention: Some(i),
                words: None,
            };
        }
    }
    // A pronoun no one could be found for: "they said".
    if p > start && matches!(w[p - 1].lower.as_str(), "he" | "she" | "they" | "it" | "we") {
        return Speaker {
            mention: None,
            words: Some((p - 1, p - 1)),
        };
    }
    // "One farmer said", "Someone in the audience shouted".
    for k in start..v {
        if let Some((a, b)) = anonymous_at(ws, k)
            && b < v
            && (b + 1..v).all(|j| is(BETWEEN, &w[j].lower))
        {
            return Speaker {
                mention: None,
                words: Some((a, b)),
            };
        }
    }
    // A group or an unnamed speaker: "political experts said", "police said".
    if let Some(words) = noun_phrase_before(ws, start, p) {
        return Speaker {
            mention: None,
            words: Some(words),
        };
    }
    Speaker::default()
}

/// The phrase the relative pronoun at word `r` attaches to: the mention or noun phrase that
/// ends just before it (and its comma), within the clause from `start`; nobody when there is
/// none (an unnamed speaker is better than the wrong one).
fn antecedent(ws: &Words, ents: &Entities, outer: &[bool], start: usize, r: usize) -> Speaker {
    let w = &ws.words;
    let mut e = r;
    if e > start && w[e - 1].is(",") {
        e -= 1;
    }
    if e == start || w[e - 1].quoted {
        return Speaker::default();
    }
    let from = ents.mentions.partition_point(|m| m.start < w[start].start);
    let to = ents.mentions.partition_point(|m| m.start < w[e].start);
    if let Some(i) = (from..to).rev().find(|&i| {
        let m = &ents.mentions[i];
        outer[i] && m.last + 1 == e && m.first >= start && !w[m.last].poss
    }) {
        return Speaker {
            mention: Some(i),
            words: None,
        };
    }
    match noun_phrase_before(ws, start, e) {
        Some(words) if words.1 + 1 == e => Speaker {
            mention: None,
            words: Some(words),
        },
        _ => Speaker::default(),
    }
}

/// True when word `k` is the dot of an abbreviated title or an initial inside a name ("Dr.
/// Harold Varmus", "Rep. Jason Chaffetz", "Donald J. Trump"): it ends no clause.
pub fn abbreviation_dot(ws: &Words, k: usize) -> bool {
    let w = &ws.words;
    k > 0
        && w.get(k).is_some_and(|x| x.is("."))
        && w.get(k + 1).is_some_and(|n| n.cap && n.is_word())
        && (crate::analyse::actors::heads::is(
            crate::analyse::actors::heads::TITLE_ABBREVIATIONS,
            &w[k - 1].lower,
        ) || (w[k - 1].cap && w[k - 1].text.chars().count() == 1))
}

/// Cues that never stand before their speaker: "showed", "believes", "told X" (X is told,
/// not the speaker), and every "-ing" form ("saying", "telling").
const NOT_INVERTED: &[&str] = &[
    "shows",
    "showed",
    "show",
    "found",
    "finds",
    "requires",
    "required",
    "require",
    "reads",
    "read",
    "believes",
    "believed",
    "thinks",
    "thought",
    "hopes",
    "hoped",
    "fears",
    "feared",
    "worries",
    "worried",
    "expects",
    "expected",
    "indicated",
    "indicates",
    "ruled",
    "rules",
    "accused",
    "accuses",
    "called",
    "calls",
    "told",
    "tells",
    "tell",
    "criticized",
    "criticised",
    "criticizes",
    "praised",
    "praises",
    "attacked",
    "attacks",
    "blasted",
    "blasts",
    "mocked",
    "mocks",
    "thanked",
    "thanks",
    "declined",
    "commanded",
    "urged",
    "urges",
    "promised",
    "promises",
];

/// The speaker after the cue at word `v`, starting at word `k`, when the cue is one that
/// may be inverted ("said Rafael Monteiro"); nobody otherwise.
pub fn inverted_speaker(
    ws: &Words,
    ents: &Entities,
    outer: &[bool],
    v: usize,
    k: usize,
) -> Speaker {
    let lower = ws.words[v].lower.as_str();
    if is(NOT_INVERTED, lower) || lower.ends_with("ing") {
        return Speaker::default();
    }
    speaker_after(ws, ents, outer, k)
}

/// The speaker named right after an inverted cue: "said Rafael Monteiro", "said one farmer".
pub fn speaker_after(ws: &Words, ents: &Entities, outer: &[bool], k: usize) -> Speaker {
    let w = &ws.words;
    // Over a title: "said Justice Rafael Monteiro", "said Minister Salazar".
    let mut j = k;
    while j < w.len() && j < k + 4 {
        if let Some(i) = mention_starting(ws, ents, outer, j) {
            return Speaker {
                mention: Some(i),
                words: None,
            };
        }
        if !(w[j].is_word() && (w[j].cap || w[j].lower == "the")) || w[j].sent != w[k].sent {
            break;
        }
        j += if abbreviation_dot(ws, j + 1) { 2 } else { 1 };
    }
    match anonymous_at(ws, k) {
        Some(words) => Speaker {
            mention: None,
            words: Some(words),
        },
        None => Speaker::default(),
    }
}

/// The speaker's span, its actor and the sentence saying how it was found.
pub fn resolve(
    ws: &Words,
    ents: &Entities,
    actors: &[Actor],
    index: &[Option<usize>],
    s: &Speaker,
) -> (Option<TextSpan>, Option<ActorRef>, String) {
    let w = &ws.words;
    if let Some(i) = s.mention {
        let m = &ents.mentions[i];
        let span = TextSpan {
            start: m.start,
            end: m.end,
            text: ws.slice(m.start, m.end),
        };
        let Some(a) = index[m.entity] else {
            return (
                Some(span),
                None,
                "the speaker's mention belongs to no actor".into(),
            );
        };
        let actor = actor_ref(actors, a);
        let how = match m.kind {
            MentionKind::Pronoun | MentionKind::RolePhrase => m.how.clone(),
            MentionKind::Surname if m.how.starts_with("surname") => {
                format!("named in the sentence ({})", m.how)
            }
            _ if m.how == "named" => "named in the sentence".to_owned(),
            _ => format!("named in the sentence ({})", m.how),
        };
        return (Some(span), Some(actor), how);
    }
    if let Some((a, b)) = s.words {
        let span = TextSpan {
            start: w[a].start,
            end: w[b].end,
            text: ws.slice(w[a].start, w[b].end),
        };
        let why = format!("unresolved: the speaker ('{}') is not named", span.text);
        return (Some(span), None, why);
    }
    (
        None,
        None,
        "unresolved: no speaker is named in or just before the quote".into(),
    )
}
