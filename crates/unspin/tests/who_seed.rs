//! The quotes and actors analysers on the seed article (../shared/examples/victory-plan-rt.txt,
//! skipped with a message when absent), checked against the offsets-only gold annotation in
//! evalsets/quotes-actors/victory-plan-rt.json through the full default pipeline.

use std::path::PathBuf;

use unspin::analyse::quote_actor_eval::dataset::{Passage, read_offsets_only};
use unspin::analyse::quote_actor_eval::metrics::map_actors;
use unspin::{ActorType, Analysis, MentionKind};

fn seed() -> Option<(Passage, Analysis)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../evalsets/quotes-actors/victory-plan-rt.json");
    match read_offsets_only(&path).expect("the seed annotation reads") {
        Err(reason) => {
            eprintln!("skipped: {reason}");
            None
        }
        Ok(gold) => {
            let doc = unspin::Document::from_text(gold.text.clone());
            let analysis = unspin::analyze(&doc).expect("the seed article analyses");
            Some((gold, analysis))
        }
    }
}

/// The predicted quote overlapping a gold quote the most.
fn matching(analysis: &Analysis, start: usize, end: usize) -> &unspin::Quote {
    analysis
        .quotes
        .iter()
        .filter(|q| q.start < end && start < q.end)
        .max_by_key(|q| q.end.min(end) - q.start.max(start))
        .expect("a predicted quote overlaps the gold quote")
}

#[test]
fn the_elided_quote_is_the_secretary_generals_through_a_pronoun() {
    let Some((gold, analysis)) = seed() else {
        return;
    };
    let map = map_actors(&gold, &analysis.actors);
    let g = gold
        .quotes
        .iter()
        .find(|q| q.elided)
        .expect("gold has an elided quote");
    let q = matching(&analysis, g.start, g.end);
    assert!(q.elided, "{q:?}");
    let actor = q.actor.as_ref().expect("the quote has an actor");
    assert_eq!(map.get(&actor.id), g.actor.as_ref(), "{q:?}");
    assert_eq!(actor.name, "Mark Rutte");
    assert!(
        q.resolution.starts_with("pronoun 'he' → Mark Rutte"),
        "{}",
        q.resolution
    );
    assert_eq!(q.speaker.as_ref().map(|s| s.text.as_str()), Some("he"));
}

#[test]
fn the_treaty_article_speaks_for_the_alliance_charter() {
    let Some((gold, analysis)) = seed() else {
        return;
    };
    let map = map_actors(&gold, &analysis.actors);
    let doc_actor = gold.actors.iter().find(|a| {
        a.kind == ActorType::Document
            && a.mentions.iter().any(|m| {
                m.kind == MentionKind::Name
                    && m.text.as_deref().is_some_and(|t| t.starts_with("Article"))
            })
    });
    let doc_actor = doc_actor.expect("gold has the charter");
    let g = gold
        .quotes
        .iter()
        .find(|q| q.actor.as_ref() == Some(&doc_actor.id))
        .expect("a gold quote of the charter");
    let q = matching(&analysis, g.start, g.end);
    let actor = q.actor.as_ref().expect("the quote has an actor");
    assert_eq!(actor.kind, ActorType::Document, "{q:?}");
    assert_eq!(map.get(&actor.id), Some(&doc_actor.id), "{q:?}");
    assert!(actor.name.starts_with("NATO"), "{}", actor.name);
}

#[test]
fn the_ukrainian_leader_is_one_actor_with_every_name_and_label() {
    let Some((gold, analysis)) = seed() else {
        return;
    };
    let person = gold
        .actors
        .iter()
        .filter(|a| a.kind == ActorType::Person)
        .max_by_key(|a| a.mentions.len())
        .expect("gold people");
    let holder = analysis
        .actors
        .iter()
        .find(|a| {
            a.mentions
                .iter()
                .any(|m| m.start == person.mentions[0].start)
        })
        .expect("an actor holds the first gold mention");
    for m in &person.mentions {
        assert!(
            holder
                .mentions
                .iter()
                .any(|x| x.start == m.start && x.end == m.end),
            "{:?} ({:?}) is not a mention of {}",
            m.text,
            m.kind,
            holder.name
        );
    }
    for d in person
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::RolePhrase)
    {
        assert!(
            holder
                .descriptors
                .iter()
                .any(|x| x.start == d.start && x.end == d.end),
            "{:?} is no descriptor",
            d.text
        );
    }
    assert_eq!(holder.kind, ActorType::Person);
}

#[test]
fn quotes_and_actors_report_that_they_ran() {
    let Some((_, analysis)) = seed() else { return };
    for name in ["quotes", "actors"] {
        let r = analysis
            .analysers
            .iter()
            .find(|r| r.name == name)
            .expect("a report");
        assert_eq!(r.status, unspin::AnalyserStatus::Ran, "{name}: {r:?}");
    }
    for a in &analysis.actors {
        for m in &a.mentions {
            let text: String = analysis
                .text
                .chars()
                .skip(m.start)
                .take(m.end - m.start)
                .collect();
            assert_eq!(text, m.text);
        }
    }
}
