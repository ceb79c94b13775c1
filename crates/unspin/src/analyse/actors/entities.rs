//! The actors of one document as the analysers build them: entities with their canonical
//! name, type, gender and country, and every mention with how it was linked.

use std::collections::{HashMap, HashSet};

use crate::analysis::{ActorType, MentionKind};

use super::lexicon::Gender;

/// Someone or something the document names.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    /// Kind of actor.
    pub kind: ActorType,
    /// Gender, for people, when a name, title, honorific or pronoun says it.
    pub gender: Option<Gender>,
    /// Index of the country (in the lexicon) the entity is, belongs to or stands for.
    pub country: Option<usize>,
    /// What identifies it when clustering names: a lexicon entry or its lower-cased name.
    pub key: String,
    /// An alliance or union of states ("the bloc").
    pub bloc: bool,
    /// Role words from its titles and descriptors, lower case ("minister", "leader").
    pub roles: Vec<String>,
    /// Descriptor spans (code points).
    pub descriptors: Vec<(usize, usize)>,
    /// Words of its full name, for people (to match surnames).
    pub name_words: Vec<String>,
}

impl Entity {
    /// A new entity with nothing but a name, a kind and a key.
    pub fn new(name: impl Into<String>, kind: ActorType, key: impl Into<String>) -> Entity {
        Entity {
            name: name.into(),
            kind,
            gender: None,
            country: None,
            key: key.into(),
            bloc: false,
            roles: Vec::new(),
            descriptors: Vec::new(),
            name_words: Vec::new(),
        }
    }
}

/// One place where the text names an entity.
#[derive(Debug, Clone)]
pub struct EntityMention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// First word.
    pub first: usize,
    /// Last word.
    pub last: usize,
    /// Name, surname, role phrase or pronoun.
    pub kind: MentionKind,
    /// Index of the entity.
    pub entity: usize,
    /// How the mention was linked to its entity, in plain words.
    pub how: String,
}

/// Everything the actors analyser found in a document.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// The entities, in order of creation.
    pub entities: Vec<Entity>,
    /// Their mentions, in text order once [`Entities::finish`] ran.
    pub mentions: Vec<EntityMention>,
    /// Entity index by key.
    keys: HashMap<String, usize>,
    /// Spans that already have a mention.
    spans: HashSet<(usize, usize)>,
}

impl Entities {
    /// Index of the entity with this key, creating it with `make` if there is none.
    pub fn get_or_add(&mut self, key: &str, make: impl FnOnce() -> Entity) -> usize {
        if let Some(&i) = self.keys.get(key) {
            return i;
        }
        let e = make();
        self.keys.insert(e.key.clone(), self.entities.len());
        self.keys
            .entry(key.to_owned())
            .or_insert(self.entities.len());
        self.entities.push(e);
        self.entities.len() - 1
    }

    /// Index of the entity with this key, if any.
    pub fn key(&self, key: &str) -> Option<usize> {
        self.keys.get(key).copied()
    }

    /// Adds a mention unless one already covers exactly the same code points.
    pub fn mention(&mut self, m: EntityMention) {
        if self.spans.insert((m.start, m.end)) {
            self.mentions.push(m);
        }
    }

    /// Sorts mentions into text order.
    pub fn finish(&mut self) {
        self.mentions.sort_by_key(|m| (m.start, m.end));
        for e in &mut self.entities {
            e.descriptors.sort_unstable();
            e.descriptors.dedup();
        }
    }
}
