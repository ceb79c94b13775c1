//! The actors analyser: people, organisations, countries, places and documents, each with
//! every way the text names it (name, surname, role phrase, pronoun) and the descriptors the
//! text attaches to it (titles, appositions, labels).
//!
//! It works offline with rules and general word lists (`lexicon/`), in stages over the
//! document's tokens ([`words`]):
//!
//! 1. [`recogniser`]: runs of capitalised words become names, typed by the lists
//!    (countries, capitals, organisations) and by head words ("Ministry", "Treaty",
//!    "River"); titles and honorifics are split off people's names.
//! 2. [`clustering`]: names become entities — surnames join the full name they end,
//!    acronyms join the name they abbreviate, capitals stand for their country unless they
//!    are a place ("in Oslo").
//! 3. [`descriptors`]: titles and appositions attach to names; their role words, gender
//!    and country ties are kept.
//! 4. [`roles`]: role phrases ("the minister", "the Ukrainian leader", "the head of the X
//!    regime", "the bloc", "the treaty") and parts of documents ("Article 5") are linked.
//! 5. [`pronouns`]: he/she/his/her are linked to people by gender and salience.
//!
//! `docs/actors-quotes.md` describes the approach and its measured quality.

pub mod clustering;
pub mod descriptors;
pub mod entities;
pub mod heads;
pub mod lexicon;
pub mod pronouns;
pub mod recogniser;
pub mod roles;
pub mod words;

use unspin_segment::Segmentation;

use crate::analyse::{Analyser, DocContext};
use crate::analysis::{Actor, ActorRef, Analysis, Mention};
use crate::document::Document;
use crate::error::Error;
use crate::span::TextSpan;

pub use entities::{Entities, Entity, EntityMention};
pub use words::Words;

/// Finds the actors of a text: its words (with quoted passages) and its entities with
/// their mentions in text order.
pub fn recognise(text: &str, seg: &Segmentation) -> (Words, Entities) {
    let lx = lexicon::Lexicon::get();
    let ws = Words::new(text, seg);
    let names = recogniser::names(&ws, lx);
    let mut ents = Entities::default();
    let of = clustering::cluster(&ws, &names, lx, &mut ents);
    descriptors::describe(&ws, &names, &of, lx, &mut ents);
    roles::link_roles(&ws, &names, lx, &mut ents);
    pronouns::resolve_pronouns(&ws, &mut ents);
    ents.finish();
    (ws, ents)
}

/// The actors as written in an analysis: ids `a1`, `a2`, … in order of first mention,
/// every mention and descriptor with its text. Also returns, for each entity, its index in
/// the returned list (None for entities with no mention).
pub fn to_actors(ws: &Words, ents: &Entities) -> (Vec<Actor>, Vec<Option<usize>>) {
    let mut order: Vec<usize> = Vec::new();
    let mut seen = vec![false; ents.entities.len()];
    let mut by_entity: Vec<Vec<usize>> = vec![Vec::new(); ents.entities.len()];
    for (i, m) in ents.mentions.iter().enumerate() {
        if !seen[m.entity] {
            seen[m.entity] = true;
            order.push(m.entity);
        }
        by_entity[m.entity].push(i);
    }
    let mut index = vec![None; ents.entities.len()];
    let actors = order
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            index[e] = Some(i);
            let ent = &ents.entities[e];
            let mentions: Vec<Mention> = by_entity[e]
                .iter()
                .map(|&k| {
                    let m = &ents.mentions[k];
                    Mention {
                        start: m.start,
                        end: m.end,
                        text: ws.slice(m.start, m.end),
                        kind: m.kind,
                    }
                })
                .collect();
            let descriptors = ent
                .descriptors
                .iter()
                .map(|&(start, end)| TextSpan {
                    start,
                    end,
                    text: ws.slice(start, end),
                })
                .collect();
            Actor {
                id: format!("a{}", i + 1),
                name: ent.name.clone(),
                kind: ent.kind,
                mentions,
                descriptors,
            }
        })
        .collect();
    (actors, index)
}

/// A reference to an actor of [`to_actors`]'s list.
pub fn actor_ref(actors: &[Actor], i: usize) -> ActorRef {
    ActorRef {
        id: actors[i].id.clone(),
        name: actors[i].name.clone(),
        kind: actors[i].kind,
    }
}

/// The `actors` analyser (English).
#[derive(Debug, Default, Clone, Copy)]
pub struct ActorAnalyser;

impl Analyser for ActorAnalyser {
    fn name(&self) -> &'static str {
        "actors"
    }

    fn languages(&self) -> &[&'static str] {
        &["en"]
    }

    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error> {
        self.analyse_in(&DocContext::new(doc, seg), out)
    }

    fn analyse_in(&self, cx: &DocContext<'_>, out: &mut Analysis) -> Result<(), Error> {
        out.actors = cx.actors().actors.clone();
        Ok(())
    }
}
