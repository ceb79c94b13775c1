//! Reported (indirect) speech: a reporting cue outside quotation marks with the clause it
//! reports — "X said on Tuesday that …", "X insisted the figures …", "…, X conceded, but
//! …", "according to X, …", "Article 5 states that …", "accused Y of …", "called for …".

use std::collections::HashSet;

use unspin_segment::Segmentation;

use crate::analysis::QuoteKind;

use super::super::actors::{Entities, Words};
use super::Found;
use super::cues::{self, is};
use super::direct::{clause_end, cue_end};
use super::speaker::{self, Speaker};

/// Words that may open a reported clause without "that".
fn opens_clause(ws: &Words, k: usize) -> bool {
    let Some(x) = ws.words.get(k) else {
        return false;
    };
    x.kind == unspin_segment::TokenKind::Number
        || matches!(
            x.lower.as_str(),
            "the"
                | "a"
                | "an"
                | "his"
                | "her"
                | "its"
                | "their"
                | "this"
                | "these"
                | "those"
                | "he"
                | "she"
                | "it"
                | "they"
                | "we"
                | "there"
                | "no"
                | "most"
                | "some"
                | "all"
                | "every"
                | "many"
                | "nobody"
                | "none"
        )
        || (x.cap && x.is_word())
        || (x.is_word()
            && !matches!(
                x.lower.as_str(),
                "to" | "on"
                    | "in"
                    | "at"
                    | "for"
                    | "with"
                    | "by"
                    | "from"
                    | "about"
                    | "of"
                    | "yesterday"
                    | "today"
                    | "earlier"
                    | "later"
                    | "last"
                    | "after"
                    | "before"
                    | "during"
                    | "also"
                    | "then"
                    | "again"
                    | "so"
                    | "as"
                    | "nothing"
                    | "little"
                    | "much"
                    | "more"
                    | "only"
                    | "through"
                    | "via"
                    | "when"
                    | "if"
                    | "whether"
                    | "what"
                    | "how"
                    | "why"
                    | "who"
                    | "and"
                    | "or"
                    | "but"
                    | "not"
                    | "repeatedly"
                    | "privately"
                    | "publicly"
            ))
}

fn make(ws: &Words, s: usize, e: usize, cue: (usize, usize), speaker: Speaker) -> Option<Found> {
    let w = &ws.words;
    (s <= e && e < w.len() && w[s].start < w[e].end).then(|| Found {
        start: w[s].start,
        end: w[e].end,
        kind: QuoteKind::Indirect,
        cue: Some(cue),
        speaker,
        sentences: (w[s].sent, w[e].sent),
        open_ended: false,
        joins_previous: false,
    })
}

/// Cues whose content is an infinitive ("vowed to repeal", "urged voters to back her").
const INFINITIVE_CUES: &[&str] = &[
    "promised",
    "promises",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "urged",
    "urges",
    "threatened",
    "threatens",
    "refused",
    "refuses",
    "declined",
    "declines",
    "wants",
    "wanted",
    "plans",
    "planned",
    "agreed",
    "agrees",
    "offered",
    "offers",
    "intends",
    "intended",
    "sought",
    "seeks",
    "asked",
    "asks",
    "told",
    "tells",
    "called",
    "hopes",
    "hoped",
];

/// Cues whose content is a question ("asked whether …", "wondered how …").
const QUESTION_CUES: &[&str] = &["asked", "asks", "wondered", "wonders", "questioned"];

/// Where the content of an infinitive or question cue at word `v` starts: right after the
/// cue when "to" and a verb, or a question word, follow within a few words of the same
/// clause ("urged him to resign" gives "him to resign").
fn complement(ws: &Words, v: usize) -> Option<usize> {
    let w = &ws.words;
    let lower = w[v].lower.as_str();
    let infinitive = is(INFINITIVE_CUES, lower);
    let question = is(QUESTION_CUES, lower);
    if !infinitive && !question {
        return None;
    }
    let sent = w[v].sent;
    let found = (v + 1..(v + 5).min(w.len()))
        .take_while(|&k| w[k].sent == sent && w[k].is_word() && !w[k].marked)
        .find(|&k| {
            (infinitive
                && w[k].lower == "to"
                && w.get(k + 1)
                    .is_some_and(|n| n.is_word() && !n.cap && n.sent == sent))
                || (question
                    && matches!(
                        w[k].lower.as_str(),
                        "whether" | "if" | "why" | "how" | "what" | "who" | "when" | "where"
                    ))
        })?;
    // "called on X to", "told reporters to": the content starts after the cue.
    let _ = found;
    w.get(v + 1).filter(|x| x.sent == sent).map(|_| v + 1)
}

/// First word of the sentence holding word `k`.
fn sentence_start(ws: &Words, k: usize) -> usize {
    let mut s = k;
    while s > 0 && ws.words[s - 1].sent == ws.words[k].sent {
        s -= 1;
    }
    s
}

/// Indirect quotes; cues in `used` (already framing a quote in marks) and clauses that
/// overlap a quote in `marked` are left out.
pub fn reported(
    ws: &Words,
    _seg: &Segmentation,
    ents: &Entities,
    outer: &[bool],
    used: &HashSet<usize>,
    marked: &[Found],
) -> Vec<Found> {
    let w = &ws.words;
    let mut out: Vec<Found> = Vec::new();
    let inside_marks = |k: usize| w[k].marked;
    for v in 0..w.len() {
        if used.contains(&v) || !w[v].is_word() || inside_marks(v) {
            continue;
        }
        let lower = w[v].lower.as_str();
        let sent = w[v].sent;
        let start = sentence_start(ws, v);
        // "according to X, …" and "…, according to X".
        if lower == "according" && w.get(v + 1).is_some_and(|x| x.lower == "to") {
            let mut s = speaker::speaker_after(ws, ents, outer, v + 2);
            if !s.found() {
                // "according to exit polls", "according to state corporate records": the
                // source is the phrase itself, up to a comma or the sentence's end.
                let end = (v + 2..(v + 12).min(w.len()))
                    .take_while(|&k| {
                        w[k].sent == sent && !matches!(w[k].text.as_str(), "," | "." | ";" | "(")
                    })
                    .last();
                match end {
                    Some(e) if w[v + 2..=e].iter().any(|x| x.is_word()) => {
                        s.words = Some((v + 2, e));
                    }
                    _ => continue,
                }
            }
            let cue = (v, v + 1);
            let after = s.mention.map_or_else(
                || s.words.map_or(v + 2, |(_, b)| b),
                |i| ents.mentions[i].last,
            );
            // The comma closing "according to X," inside a sentence.
            let comma = (after + 1..w.len())
                .take_while(|&k| w[k].sent == sent)
                .find(|&k| w[k].is(","))
                .filter(|&c| c == after + 1);
            if v == start {
                if let Some(c) = (after + 1..w.len())
                    .take_while(|&k| w[k].sent == sent)
                    .find(|&k| w[k].is(","))
                {
                    out.extend(make(ws, c + 1, clause_end(ws, c + 1), cue, s));
                }
            } else if v > start + 1 && w[v - 1].is(",") {
                let first = make(ws, start, v - 2, cue, s.clone());
                let has_first = first.is_some();
                out.extend(first);
                // "One Sunday in 2001, according to X, Fiorina sat …": the sentence goes on
                // after the source, as the same report.
                if let Some(c) = comma
                    && has_first
                    && w.get(c + 1).is_some_and(|x| x.sent == sent && x.is_word())
                    && let Some(mut rest) = make(ws, c + 1, clause_end(ws, c + 1), cue, s)
                {
                    rest.joins_previous = true;
                    out.push(rest);
                }
            }
            continue;
        }
        if !is(cues::SPEECH, lower) {
            continue;
        }
        let cue = (v, cue_end(ws, v));
        let subject = speaker::subject_before(ws, ents, outer, v);
        // "…, Mensah conceded, but …", "…, police said.", "…, UMWA Director Phil Smith
        // told POLITICO": the clause comes first, the subject (titles and all) after a comma.
        // A group or unnamed subject only when the cue ends the sentence ("…, police said.").
        let ends_sentence = w.get(v + 1).is_none_or(|x| x.sent != sent || x.is("."));
        let subject_span = subject
            .mention
            .map(|i| (ents.mentions[i].first, ents.mentions[i].last))
            .or(subject.words.filter(|_| ends_sentence));
        if let Some((a, b)) = subject_span {
            let mut comma = a;
            while comma > start + 1
                && !w[comma - 1].is(",")
                && (w[comma - 1].cap || w[comma - 1].lower == "of")
                && a - comma < 6
            {
                comma -= 1;
            }
            if comma > start + 1 && w[comma - 1].is(",") && b + 1 == v {
                let first = make(ws, start, comma - 2, cue, subject.clone());
                if first.is_some() {
                    out.extend(first);
                    if w.get(v + 1).is_some_and(|x| x.is(","))
                        && w.get(v + 2)
                            .is_some_and(|x| matches!(x.lower.as_str(), "but" | "and"))
                        && w.get(v + 3).is_some_and(|x| x.sent == sent)
                    {
                        out.extend(make(ws, v + 3, clause_end(ws, v + 3), cue, subject.clone()));
                    }
                    continue;
                }
            }
        }
        if v > start + 1 && w[v - 1].is(",") && !subject.found() {
            let s = speaker::inverted_speaker(ws, ents, outer, v, cue.1 + 1);
            if s.found() {
                out.extend(make(ws, start, v - 2, cue, s));
                continue;
            }
        }
        let speaker = if subject.found() {
            subject
        } else {
            speaker::inverted_speaker(ws, ents, outer, v, cue.1 + 1)
        };
        // The reported clause after the cue.
        let that = (cue.1 + 1..(cue.1 + 10).min(w.len()))
            .take_while(|&k| {
                w[k].sent == sent
                    && !matches!(w[k].text.as_str(), "." | ";" | ":" | "“" | "\"" | "”")
            })
            .find(|&k| w[k].lower == "that");
        let s = if let Some(t) = that {
            Some(t + 1)
        } else if !speaker.found() {
            None
        } else if matches!(lower, "accused" | "accuses") {
            (v + 1..(v + 7).min(w.len()))
                .take_while(|&k| w[k].sent == sent)
                .find(|&k| w[k].lower == "of")
                .map(|k| k + 1)
        } else if cue.1 > v {
            (w[cue.1].lower == "for").then_some(cue.1 + 1)
        } else if let Some(k) = complement(ws, v) {
            // "promised to take bold action", "urged him to resign", "asked whether …".
            Some(k)
        } else if (matches!(lower, "denied" | "denies")
            && w.get(v + 1).is_some_and(|x| x.lower.ends_with("ing")))
            || (is(cues::BARE_CLAUSE, lower)
                && opens_clause(ws, v + 1)
                && speaker
                    .mention
                    .is_none_or(|i| ents.mentions[i].first != v + 1))
        {
            Some(v + 1)
        } else {
            None
        };
        let Some(s) = s else { continue };
        // A reported statement needs someone who reports it; "require" reports only what a
        // document requires ("Article 5 requires that …"), not what a plan would need.
        if !speaker.found() {
            continue;
        }
        if matches!(lower, "require" | "requires" | "required")
            && !speaker.mention.is_some_and(|i| {
                ents.entities[ents.mentions[i].entity].kind == crate::analysis::ActorType::Document
            })
        {
            continue;
        }
        if s >= w.len() || w[s].sent != sent || inside_marks(s) {
            continue;
        }
        let e = clause_end(ws, s);
        let (cs, ce) = (w[s].start, w[e].end);
        if marked
            .iter()
            .chain(&out)
            .any(|f| f.start < ce && cs < f.end)
        {
            continue;
        }
        out.extend(make(ws, s, e, cue, speaker));
    }
    out
}
