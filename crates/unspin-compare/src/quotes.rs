//! Whom each version quotes, and how much.

use crate::actors::linked_of;
use crate::{LinkedActor, QuotedSpeaker, Version, VersionQuotes};

/// The speakers each version quotes: linked actors by name, unresolved speakers by their
/// words, and quotes with no speaker as `unattributed`; most quoted words first.
pub fn by_version(versions: &[Version], linked: &[LinkedActor]) -> Vec<VersionQuotes> {
    versions
        .iter()
        .map(|v| {
            let mut speakers: Vec<QuotedSpeaker> = Vec::new();
            let mut words_all = 0;
            for q in &v.analysis.quotes {
                let words = q.text.split_whitespace().count();
                words_all += words;
                let actor = q
                    .actor
                    .as_ref()
                    .and_then(|r| linked_of(linked, &v.label, &r.id));
                let (name, id) = match (actor, &q.speaker) {
                    (Some(a), _) => (a.name.clone(), Some(a.id.clone())),
                    (None, Some(s)) => (
                        s.text.split_whitespace().collect::<Vec<_>>().join(" "),
                        None,
                    ),
                    (None, None) => ("unattributed".to_owned(), None),
                };
                match speakers
                    .iter_mut()
                    .find(|s| s.actor == id && (id.is_some() || s.name == name))
                {
                    Some(s) => {
                        s.quotes += 1;
                        s.words += words;
                    }
                    None => speakers.push(QuotedSpeaker {
                        name,
                        actor: id,
                        quotes: 1,
                        words,
                    }),
                }
            }
            speakers.sort_by(|a, b| b.words.cmp(&a.words).then(a.name.cmp(&b.name)));
            VersionQuotes {
                version: v.label.clone(),
                quotes: v.analysis.quotes.len(),
                words: words_all,
                speakers,
            }
        })
        .collect()
}
