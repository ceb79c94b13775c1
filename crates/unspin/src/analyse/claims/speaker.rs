//! Who makes a claim in a transcript: the label of the speaker turn holding it
//! (`TRUMP: We closed up 60,000 factories.`), found by the segmenter, and the actor that
//! label names.

use crate::analysis::{Actor, ActorType};
use crate::document::Document;

/// Labels that name a role, not a person: never linked to an actor.
const ROLES: &[&str] = &[
    "announcer",
    "answer",
    "anchor",
    "audience",
    "chairman",
    "chair",
    "correspondent",
    "crosstalk",
    "female",
    "host",
    "interviewer",
    "male",
    "member",
    "members",
    "moderator",
    "narrator",
    "panelist",
    "participant",
    "participants",
    "president",
    "question",
    "questioner",
    "reporter",
    "speaker",
    "system",
    "unidentified",
    "unknown",
    "voice",
];

/// The speaker of the turn holding code point `pos`, as the label writes it ("MR. TRUMP"),
/// or `None` outside a transcript's turns.
pub fn speaker_at(doc: &Document, pos: usize) -> Option<String> {
    let t = doc.turn_at(pos)?;
    Some(doc.slice(t.speaker_start, t.speaker_end).to_owned())
}

/// The id of the person the speaker of the turn holding `pos` is: among the person actors
/// with a name word equal to the label's surname (its last word, case-insensitive: "MR.
/// TRUMP" → "Donald Trump"), the one mentioned most (the first on a tie). `None` for roles
/// ("MODERATOR", "Q") and when no actor matches.
pub fn speaker_actor_at(doc: &Document, actors: &[Actor], pos: usize) -> Option<String> {
    let t = doc.turn_at(pos)?;
    let label = doc.slice(t.speaker_start, t.speaker_end);
    let surname = label
        .rsplit(' ')
        .next()?
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    if surname.chars().count() < 2 || ROLES.contains(&surname.as_str()) {
        return None;
    }
    let names_it = |a: &&Actor| {
        a.kind == ActorType::Person
            && a.name
                .split(|c: char| c.is_whitespace() || c == '-')
                .map(|w| {
                    w.trim_end_matches("'s")
                        .trim_end_matches("’s")
                        .trim_matches(|c: char| !c.is_alphabetic())
                })
                .any(|w| w.to_lowercase() == surname)
    };
    let mut best: Option<&Actor> = None;
    for a in actors.iter().filter(names_it) {
        if best.is_none_or(|b| a.mentions.len() > b.mentions.len()) {
            best = Some(a);
        }
    }
    best.map(|a| a.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: &str, name: &str, kind: ActorType, mentions: usize) -> Actor {
        Actor {
            id: id.into(),
            name: name.into(),
            kind,
            mentions: (0..mentions)
                .map(|_| {
                    serde_json::from_str(r#"{"start":0,"end":1,"text":"x","kind":"name"}"#).unwrap()
                })
                .collect(),
            descriptors: Vec::new(),
        }
    }

    #[test]
    fn speakers_and_their_actors() {
        let doc = Document::new(
            "HOLT: Good evening.\nMR. TRUMP: We closed up 60,000 factories.\n\
             MODERATOR: Thank you.\nCLINTON: Not accurate.\n",
            Default::default(),
        );
        let pos = |s: &str| doc.text().find(s).unwrap();
        assert_eq!(
            speaker_at(&doc, pos("We closed")).as_deref(),
            Some("MR. TRUMP")
        );
        assert_eq!(
            speaker_at(&doc, pos("HOLT")),
            None,
            "the label is not in its turn"
        );
        let actors = vec![
            actor("a1", "Clinton Foundation", ActorType::Organisation, 5),
            actor("a2", "Donald Trump", ActorType::Person, 2),
            actor("a3", "Melania Trump", ActorType::Person, 1),
            actor("a4", "Hillary Clinton", ActorType::Person, 1),
        ];
        assert_eq!(
            speaker_actor_at(&doc, &actors, pos("We closed")).as_deref(),
            Some("a2")
        );
        assert_eq!(
            speaker_actor_at(&doc, &actors, pos("Not accurate")).as_deref(),
            Some("a4")
        );
        assert_eq!(speaker_actor_at(&doc, &actors, pos("Good evening")), None);
        assert_eq!(speaker_actor_at(&doc, &actors, pos("Thank you")), None);
    }

    #[test]
    fn no_speaker_outside_a_transcript() {
        let doc = Document::new("NOTE: We closed up 60,000 factories.\n", Default::default());
        assert_eq!(speaker_at(&doc, 10), None);
    }
}
