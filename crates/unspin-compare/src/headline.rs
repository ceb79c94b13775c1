//! How each headline frames the story: whom it names and how, its techniques, and the words
//! no other headline uses.

use std::collections::BTreeSet;

use unspin::MentionKind;
use unspin_stories::tfidf;

use crate::actors::linked_of;
use crate::{Headline, HeadlineActor, LinkedActor, Version};

/// A headline and, when it is the text's first paragraph, its span there.
pub type Title = (String, Option<(usize, usize)>);

/// The headline and its span in the text: the source's title, located in the text when
/// its first paragraph is the title; else the first paragraph when it is short and ends
/// without a full stop.
pub fn title(v: &Version) -> Option<Title> {
    let a = &v.analysis;
    let first = a.paragraphs.first();
    let first_text = first.map(|p| p.text.trim());
    match &a.source.title {
        Some(t) if !t.trim().is_empty() => {
            let span = first
                .filter(|p| p.text.trim() == t.trim())
                .map(|p| (p.start, p.end));
            Some((t.trim().to_owned(), span))
        }
        _ => {
            let p = first?;
            let text = first_text?;
            let words = text.split_whitespace().count();
            (words > 0 && words <= 25 && !text.ends_with('.'))
                .then(|| (text.to_owned(), Some((p.start, p.end))))
        }
    }
}

/// The headline of each version.
pub fn by_version(versions: &[Version], linked: &[LinkedActor]) -> Vec<Headline> {
    let titles: Vec<Option<Title>> = versions.iter().map(title).collect();
    let words: Vec<BTreeSet<String>> = titles
        .iter()
        .map(|t| {
            t.as_ref()
                .map(|(t, _)| tfidf::tokens(t).collect())
                .unwrap_or_default()
        })
        .collect();
    versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (text, span) = match &titles[i] {
                Some((t, s)) => (Some(t.clone()), *s),
                None => (None, None),
            };
            let mut actors: Vec<HeadlineActor> = Vec::new();
            let mut techniques = Vec::new();
            if let Some((s, e)) = span {
                for a in &v.analysis.actors {
                    let names: Vec<String> = a
                        .mentions
                        .iter()
                        .filter(|m| s <= m.start && m.end <= e && m.kind != MentionKind::Pronoun)
                        .map(|m| m.text.clone())
                        .collect();
                    if names.is_empty() {
                        continue;
                    }
                    if let Some(x) = linked_of(linked, &v.label, &a.id) {
                        match actors.iter_mut().find(|h| h.actor == x.id) {
                            Some(h) => h.names.extend(names),
                            None => actors.push(HeadlineActor {
                                actor: x.id.clone(),
                                names,
                            }),
                        }
                    }
                }
                for t in &v.analysis.techniques {
                    if t.start < e && s < t.end && !techniques.contains(&t.technique) {
                        techniques.push(t.technique);
                    }
                }
            }
            let others: BTreeSet<&String> = words
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .flat_map(|(_, w)| w.iter())
                .collect();
            let distinct_words = if versions.len() > 1 {
                words[i]
                    .iter()
                    .filter(|w| !others.contains(w))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            Headline {
                version: v.label.clone(),
                title: text,
                actors,
                techniques,
                distinct_words,
            }
        })
        .collect()
}
