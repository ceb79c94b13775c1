//! Quotes in quotation marks: direct when set off (the sentence opens with them, or a cue
//! and a colon or comma lead into them, or a cue follows them), partial when a framing verb
//! weaves a few quoted words into the writer's sentence ("called the deal “a betrayal”"),
//! mixed when they sit inside a reported clause ("said the cuts were “painful” and would
//! last"). Short quoted words with no cue are scare quotes or titles, not quotes.

use std::collections::HashSet;

use crate::analysis::{ActorType, QuoteKind};

use super::super::actors::{Entities, Words};
use super::Found;
use super::cues::{self, is};
use super::speaker::{self, Speaker};

/// Index of the first word starting at or after code point `pos`.
pub fn word_at(ws: &Words, pos: usize) -> usize {
    ws.words.partition_point(|x| x.start < pos)
}

/// True when word `k` lies inside (or is a mark of) a quoted stretch.
fn in_marks(ws: &Words, k: usize) -> bool {
    ws.words[k].marked
}

/// The last word of the clause that starts at word `s`: to the end of the sentence, or
/// before "; ", ", but" or a comma followed by a pronoun subject, never inside quotation
/// marks; trailing punctuation other than closing marks is left out.
pub fn clause_end(ws: &Words, s: usize) -> usize {
    let w = &ws.words;
    let sent = w[s].sent;
    let mut k = s;
    while k + 1 < w.len() && w[k + 1].sent == sent {
        let n = &w[k + 1];
        if !in_marks(ws, k + 1) {
            if n.is(";") {
                break;
            }
            if n.is(",")
                && w.get(k + 2).is_some_and(|x| {
                    matches!(
                        x.lower.as_str(),
                        "but"
                            | "he"
                            | "she"
                            | "they"
                            | "we"
                            | "it"
                            | "while"
                            | "although"
                            | "though"
                    )
                })
            {
                break;
            }
        }
        k += 1;
    }
    while k > s
        && matches!(
            w[k].text.as_str(),
            "." | "," | ";" | ":" | "!" | "?" | "—" | "–"
        )
    {
        k -= 1;
    }
    k
}

/// A cue after a closing mark: "” he said", ",” said Rafael Monteiro", "” the ministry said".
fn attribution_after(
    ws: &Words,
    ents: &Entities,
    outer: &[bool],
    close: usize,
) -> Option<((usize, usize), Speaker)> {
    let w = &ws.words;
    let mut sent = w[close].sent;
    let mut j = close + 1;
    // The second apostrophe of a '' mark.
    while w.get(j).is_some_and(|x| x.is("'")) {
        j += 1;
    }
    if w.get(j).is_some_and(|x| x.is(",")) {
        j += 1;
    }
    // A dash and a name, as under a quotation in a list: "“…” ― Francisco Herrero".
    if w.get(j)
        .is_some_and(|x| matches!(x.text.as_str(), "―" | "—" | "–" | "-"))
        && let Some(i) = speaker::mention_starting(ws, ents, outer, j + 1)
        && w.get(ents.mentions[i].last + 1)
            .is_none_or(|n| n.sent != w[j].sent || !n.is_word())
    {
        return Some((
            (j, j),
            Speaker {
                mention: Some(i),
                words: None,
            },
        ));
    }
    // A question or an exclamation ends the sentence before its attribution: "“Why?”
    // Sanders replied." The attribution may then open the next sentence, close by.
    let mut reach = 12;
    if w.get(j).is_some_and(|x| x.sent == sent + 1)
        && close > 0
        && matches!(w[close - 1].text.as_str(), "?" | "!")
    {
        sent += 1;
        reach = 6;
    }
    let first = w.get(j).filter(|x| x.sent == sent)?;
    if is(cues::SPEECH, &first.lower) {
        let cue = (j, cue_end(ws, j));
        return Some((
            cue,
            speaker::inverted_speaker(ws, ents, outer, j, cue.1 + 1),
        ));
    }
    let v = (j + 1..(j + reach).min(w.len()))
        .take_while(|&k| {
            w[k].sent == sent
                && (!matches!(w[k].text.as_str(), "“" | "\"" | "." | ";")
                    || speaker::abbreviation_dot(ws, k))
        })
        .find(|&k| is(cues::SPEECH, &w[k].lower))?;
    let s = speaker::subject_before(ws, ents, outer, v);
    let s = if s.found() {
        s
    } else if matches!(first.lower.as_str(), "he" | "she" | "they" | "it" | "we") {
        Speaker {
            mention: None,
            words: Some((j, j)),
        }
    } else {
        speaker::speaker_after(ws, ents, outer, j)
    };
    Some(((v, cue_end(ws, v)), s))
}

/// "told reporters", "called for": the cue's last word.
pub fn cue_end(ws: &Words, v: usize) -> usize {
    let w = &ws.words;
    match w.get(v + 1).map(|x| x.lower.as_str()) {
        Some("reporters" | "journalists") if matches!(w[v].lower.as_str(), "told" | "tells") => {
            v + 1
        }
        Some("for") if matches!(w[v].lower.as_str(), "called" | "calls") => v + 1,
        _ => v,
    }
}

/// The last reporting cue of the sentence before word `open` (within 25 words).
fn cue_before(ws: &Words, open: usize, list: &[&str]) -> Option<usize> {
    let w = &ws.words;
    let sent = w[open].sent;
    (open.saturating_sub(25)..open)
        .rev()
        .take_while(|&k| w[k].sent == sent && !matches!(w[k].text.as_str(), "”" | "."))
        .find(|&k| is(list, &w[k].lower) && !in_marks(ws, k))
}

/// Quotes in quotation marks, with their cues and speakers; cue words used go into `used`.
pub fn quoted(
    ws: &Words,
    ents: &Entities,
    outer: &[bool],
    used: &mut HashSet<usize>,
) -> Vec<Found> {
    let w = &ws.words;
    let mut out = Vec::new();
    for m in ws.quotes.iter().filter(|m| m.depth == 0) {
        let open = word_at(ws, m.open);
        let a = word_at(ws, m.start);
        let b = word_at(ws, m.end).saturating_sub(1);
        if open >= w.len() || a > b || b >= w.len() {
            continue;
        }
        let inner = (a..=b).filter(|&k| w[k].is_word()).count();
        if inner == 0 {
            continue;
        }
        let is_doc = ents.mentions.iter().any(|x| {
            x.first >= a
                && x.last <= b
                && ents.entities[x.entity].kind == ActorType::Document
                && x.start == ws.words[a].start
        });
        if is_doc && inner <= 5 {
            continue;
        }
        let sent = w[open].sent;
        let prev = (open > 0 && w[open - 1].sent == sent).then(|| open - 1);
        let close = m.close.map(|c| word_at(ws, c));
        let after = close.and_then(|c| attribution_after(ws, ents, outer, c));
        let inner_text = ws.slice(m.start, m.end);
        let ends_like_speech = inner_text.ends_with([',', '.', '!', '?', '…']);
        let before = match prev.map(|p| w[p].text.as_str()) {
            Some(":" | ",") => cue_before(ws, open, cues::SPEECH).map(|v| {
                let c = (v, cue_end(ws, v));
                // "Fallon told Politico, “…”": the subject speaks, not the one told; "said
                // Fallon: “…”" names the speaker after the cue.
                let s = speaker::subject_before(ws, ents, outer, v);
                let s = if s.found() || matches!(w[v].lower.as_str(), "told" | "tells") {
                    s
                } else {
                    speaker::inverted_speaker(ws, ents, outer, v, c.1 + 1)
                };
                (c, s)
            }),
            _ => None,
        };
        let set_off = prev.is_none()
            || prev.is_some_and(|p| w[p].is(":"))
            || (prev.is_some_and(|p| w[p].is(",")) && before.is_some())
            || (w[a].cap && after.is_some() && ends_like_speech);
        let sentences = (w[a].sent, w[b].sent);
        let mut found = Found {
            start: m.start,
            end: m.end,
            kind: QuoteKind::Direct,
            cue: None,
            speaker: Speaker::default(),
            sentences,
            open_ended: m.close.is_none(),
            joins_previous: false,
        };
        if set_off {
            if let Some((cue, s)) = after.or(before) {
                used.insert(cue.0);
                found.cue = Some(cue);
                found.speaker = s;
            }
            out.push(found);
            continue;
        }
        // Embedded in the writer's sentence.
        // The nearest cue before the quote, framing or reporting.
        let v = cue_before(ws, open, cues::FRAMING).max(cue_before(ws, open, cues::SPEECH));
        let Some(v) = v else {
            // Attributed after it: "Clinton is “the most dishonest …,” Pence said." The
            // writer's words before the marks are part of what is reported.
            if let Some((cue, s)) = after {
                used.insert(cue.0);
                let first = (0..open)
                    .rev()
                    .take_while(|&k| w[k].sent == sent && !w[k].marked)
                    .last()
                    .unwrap_or(open);
                found.kind = QuoteKind::Mixed;
                found.start = w[first].start;
                found.end = m.close.map_or(m.end, |c| c + 1);
                found.sentences = (w[first].sent, w[b].sent);
                found.cue = Some(cue);
                found.speaker = s;
                out.push(found);
                continue;
            }
            if inner > 3 {
                found.kind = QuoteKind::Partial;
                out.push(found);
            }
            continue;
        };
        let cue = (v, cue_end(ws, v));
        used.insert(v);
        found.cue = Some(cue);
        let s = speaker::subject_before(ws, ents, outer, v);
        found.speaker = if s.found() {
            s
        } else {
            speaker::inverted_speaker(ws, ents, outer, v, cue.1 + 1)
        };
        if is(cues::FRAMING, &w[v].lower) || !is(cues::SPEECH, &w[v].lower) {
            found.kind = QuoteKind::Partial;
        } else {
            let that = (cue.1 + 1..open).find(|&k| w[k].lower == "that");
            let s = that.map_or(cue.1 + 1, |t| t + 1);
            if s >= open {
                found.kind = QuoteKind::Partial;
            } else {
                let e = clause_end(ws, s).max(word_at(ws, m.end).min(w.len() - 1));
                found.kind = QuoteKind::Mixed;
                found.start = w[s].start;
                found.end = w[e].end.max(m.close.map_or(m.end, |c| c + 1));
                found.sentences = (w[s].sent, w[e].sent);
            }
        }
        out.push(found);
    }
    out
}
