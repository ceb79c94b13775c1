//! Personal pronouns (he, him, his, she, her, …) linked to people: the candidates are the
//! people of the right gender (or of unknown gender when none has it) mentioned in the same
//! or the three previous sentences, outside quoted speech; the nearest sentence wins, and
//! within a sentence the subject (the first person named in it, not a possessor and not after
//! a preposition) beats other mentions, then the later mention beats the earlier. A pronoun
//! that speaks ("he said") goes to the nearest person who spoke before it when there is one
//! in that window.

use crate::analysis::{ActorType, MentionKind};

use super::entities::{Entities, EntityMention};
use super::lexicon::Gender;
use super::words::Words;

const PREPOSITIONS: &[&str] = &[
    "of", "on", "about", "to", "with", "for", "from", "by", "at", "in", "against", "than", "over",
    "under", "between", "among", "replaced", "beside",
];

/// The gender a third-person singular pronoun marks.
pub fn pronoun_gender(lower: &str) -> Option<Gender> {
    match lower {
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    }
}

/// True when the words `first..=last` are the subject of a reporting verb ("Cruz said", "he
/// told") or follow an inverted one ("said Cruz").
fn speaks(ws: &Words, first: usize, last: usize) -> bool {
    use crate::analyse::speech::SPEECH;
    let is = |list: &[&str], w: &str| list.contains(&w);
    let w = &ws.words;
    let sent = w[first].sent;
    let mut k = last + 1;
    while w.get(k).is_some_and(|x| {
        x.sent == sent && matches!(x.lower.as_str(), "also" | "later" | "then" | "has" | "had")
    }) {
        k += 1;
    }
    w.get(k)
        .is_some_and(|x| x.sent == sent && is(SPEECH, &x.lower))
        || (first > 0 && w[first - 1].sent == sent && is(SPEECH, &w[first - 1].lower))
}

/// Links every pronoun outside quoted speech to a person, where the text allows.
pub fn resolve_pronouns(ws: &Words, ents: &mut Entities) {
    let w = &ws.words;
    ents.mentions.sort_by_key(|m| (m.start, m.end));
    // First code point of each sentence (of its first word).
    let sentences = w.last().map_or(0, |x| x.sent + 1);
    let mut sentence_starts = vec![usize::MAX; sentences + 1];
    for x in w.iter().rev() {
        sentence_starts[x.sent] = x.start;
    }
    for s in (0..sentences).rev() {
        sentence_starts[s] = sentence_starts[s].min(sentence_starts[s + 1]);
    }
    for k in 0..w.len() {
        let Some(g) = pronoun_gender(&w[k].lower) else {
            continue;
        };
        if w[k].quoted || !w[k].is_word() {
            continue;
        }
        let sent = w[k].sent;
        let at = w[k].start;
        // (mention index, sentence distance, rank)
        let mut cands: Vec<(usize, usize, u8, Option<Gender>)> = Vec::new();
        let mut first_in_sentence: std::collections::HashSet<usize> =
            std::collections::HashSet::new();
        let window = sentence_starts[sent.saturating_sub(3)];
        let from = ents.mentions.partition_point(|m| m.start < window);
        for (i, m) in ents.mentions.iter().enumerate().skip(from) {
            if m.start >= at {
                break;
            }
            let e = &ents.entities[m.entity];
            let ms = w[m.first].sent;
            if e.kind != ActorType::Person || ms + 3 < sent || w[m.first].quoted {
                continue;
            }
            let mut p = m.first;
            while p > 0 && w[p - 1].lower == "the" {
                p -= 1;
            }
            let after_prep = p > 0 && PREPOSITIONS.contains(&w[p - 1].lower.as_str());
            let rank = if w[m.last].poss || after_prep {
                2
            } else if first_in_sentence.insert(ms) {
                0
            } else {
                1
            };
            cands.push((i, sent - ms, rank, e.gender));
        }
        let exact: Vec<_> = cands.iter().filter(|c| c.3 == Some(g)).copied().collect();
        let pool = if exact.is_empty() {
            cands.into_iter().filter(|c| c.3.is_none()).collect()
        } else {
            exact
        };
        // A pronoun that speaks ("he said") is most often the last person who spoke: the
        // subject of a reporting verb or the name after an inverted one.
        // A person named earlier in the pronoun's own sentence keeps precedence ("X, the
        // director, said he expects …").
        let same_sentence = pool.iter().any(|c| c.1 == 0);
        let speaker_pool: Vec<_> = if speaks(ws, k, k) && !same_sentence {
            pool.iter()
                .copied()
                .filter(|c| speaks(ws, ents.mentions[c.0].first, ents.mentions[c.0].last))
                .collect()
        } else {
            Vec::new()
        };
        let pool = if speaker_pool.is_empty() {
            pool
        } else {
            speaker_pool
        };
        let Some(&(best, dist, rank, _)) = pool
            .iter()
            .min_by_key(|c| (c.1, c.2, std::cmp::Reverse(ents.mentions[c.0].start)))
        else {
            continue;
        };
        let spoke = speaks(ws, ents.mentions[best].first, ents.mentions[best].last);
        let entity = ents.mentions[best].entity;
        let latest =
            pool.iter().map(|c| ents.mentions[c.0].start).max() == Some(ents.mentions[best].start);
        let name = ents.entities[entity].name.clone();
        let why = if spoke && speaks(ws, k, k) {
            "the last person who spoke".to_owned()
        } else if latest {
            "last named person".to_owned()
        } else if dist == 0 {
            "the person named earlier in the sentence".to_owned()
        } else if rank == 0 {
            "the subject of the previous sentence".to_owned()
        } else {
            "the nearest person named before".to_owned()
        };
        if ents.entities[entity].gender.is_none() {
            ents.entities[entity].gender = Some(g);
        }
        let m = EntityMention {
            start: w[k].start,
            end: w[k].end,
            first: k,
            last: k,
            kind: MentionKind::Pronoun,
            entity,
            how: format!("pronoun '{}' → {name}, {why}", w[k].text),
        };
        let pos = ents.mentions.partition_point(|x| x.start < m.start);
        ents.mentions.insert(pos, m);
    }
}
