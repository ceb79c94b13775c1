//! Clusters names into entities: list entries by their entry, other names by their text,
//! acronyms defined in brackets or matching an organisation's initials, surnames by the
//! full names they end (or start, for names written surname first), capitals by context
//! (a government, or a place after "in"), and lone capitalised words by what surrounds them.

use crate::analysis::{ActorType, MentionKind};

use super::entities::{Entities, Entity, EntityMention};
use super::heads::{self, is};
use super::lexicon::{Gender, Lexicon};
use super::recogniser::{Name, NameKind};
use super::words::Words;

/// True when the name at word `first` stands for a place: after a preposition of place
/// (skipping "the") or an indefinite article ("a Tokyo bank"), unless a state noun follows.
fn locative(ws: &Words, first: usize, last: usize) -> bool {
    let w = &ws.words;
    if w.get(last + 1)
        .is_some_and(|n| is(heads::STATE_NOUNS, &n.lower))
    {
        return false;
    }
    let mut k = first;
    while k > 0 && w[k - 1].lower == "the" {
        k -= 1;
    }
    k > 0
        && w[k - 1].sent == w[first].sent
        && (is(heads::LOCATIVE, &w[k - 1].lower) || matches!(w[k - 1].lower.as_str(), "a" | "an"))
}

/// Initials of a name's capitalised words ("World Health Organization" → "WHO").
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|p| p.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|p| p.chars().next())
        .collect()
}

/// The entity of a country of the lexicon.
fn country(lx: &Lexicon, c: usize) -> Entity {
    let mut e = Entity::new(
        lx.countries[c].name.clone(),
        ActorType::Country,
        format!("country:{c}"),
    );
    e.country = Some(c);
    e
}

/// Clusters the names into `ents`; returns the entity of each name (None for names left
/// to later stages, such as parts of documents).
pub fn cluster(
    ws: &Words,
    names: &[Name],
    lx: &Lexicon,
    ents: &mut Entities,
) -> Vec<Option<usize>> {
    let w = &ws.words;
    let mut of: Vec<Option<usize>> = vec![None; names.len()];
    let mut aliases: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let span = |n: &Name| (w[n.first].start, w[n.last].end);
    let mention = |ents: &mut Entities, n: &Name, e: usize, kind: MentionKind, how: String| {
        let (start, end) = span(n);
        ents.mention(EntityMention {
            start,
            end,
            first: n.first,
            last: n.last,
            kind,
            entity: e,
            how,
        });
    };
    // Pass 1: names that identify their entity by themselves.
    for (ni, n) in names.iter().enumerate() {
        let (start, end) = span(n);
        let text = ws.slice(start, end);
        let lower = text.to_lowercase();
        // "(WHO)" right after a name defines an acronym; later uses of it are the same actor.
        let defined = n.first >= 2
            && w[n.first - 1].is("(")
            && w.get(n.last + 1).is_some_and(|x| x.is(")"))
            && ni > 0
            && names[ni - 1].last + 2 == n.first
            && text
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        let alias = aliases.get(&text).copied().or_else(|| {
            of.get(ni.wrapping_sub(1))
                .copied()
                .flatten()
                .filter(|_| defined)
        });
        if let Some(e) = alias {
            aliases.insert(text.clone(), e);
            of[ni] = Some(e);
            let how = format!("acronym of {}", ents.entities[e].name);
            mention(ents, n, e, MentionKind::Name, how);
            continue;
        }
        let (key, make): (String, Box<dyn Fn() -> Entity>) = match n.kind {
            NameKind::Country(c) => (format!("country:{c}"), Box::new(move || country(lx, c))),
            NameKind::Capital(c) if !locative(ws, n.first, n.last) => {
                (format!("country:{c}"), Box::new(move || country(lx, c)))
            }
            NameKind::Capital(_) | NameKind::Place => {
                let (t, k) = (text.clone(), format!("place:{lower}"));
                (
                    k.clone(),
                    Box::new(move || Entity::new(t.clone(), ActorType::Place, k.clone())),
                )
            }
            NameKind::Organisation(Some(o)) => (
                format!("org:{o}"),
                Box::new(move || {
                    let mut e = Entity::new(
                        lx.organisations[o].name.clone(),
                        ActorType::Organisation,
                        format!("org:{o}"),
                    );
                    e.bloc = lx.organisations[o].bloc;
                    e
                }),
            ),
            NameKind::Organisation(None) => {
                let (t, k) = (text.clone(), format!("name:{lower}"));
                (
                    k.clone(),
                    Box::new(move || Entity::new(t.clone(), ActorType::Organisation, k.clone())),
                )
            }
            NameKind::Document => {
                let (t, k) = (text.clone(), format!("doc:{lower}"));
                (
                    k.clone(),
                    Box::new(move || Entity::new(t.clone(), ActorType::Document, k.clone())),
                )
            }
            NameKind::Person if n.first < n.last => {
                let (t, k) = (text.clone(), format!("person:{lower}"));
                (
                    k.clone(),
                    Box::new(move || Entity::new(t.clone(), ActorType::Person, k.clone())),
                )
            }
            _ => continue,
        };
        let e = ents.get_or_add(&key, make);
        of[ni] = Some(e);
        let ent = &mut ents.entities[e];
        let how = match n.kind {
            NameKind::Capital(c) if ent.kind == ActorType::Country => {
                format!(
                    "'{text}', the seat of government, standing for {}",
                    lx.countries[c].name
                )
            }
            _ => "named".to_owned(),
        };
        if ent.kind == ActorType::Person {
            ent.name_words = w[n.first..=n.last]
                .iter()
                .filter(|x| x.cap)
                .map(|x| x.text.clone())
                .collect();
            if ent.gender.is_none() {
                ent.gender = n
                    .gender
                    .or_else(|| lx.given_names.get(&w[n.first].text).copied().flatten());
            }
        }
        mention(ents, n, e, MentionKind::Name, how);
    }
    // Pass 2: single words, matched against the full names of the whole document.
    let full_names: Vec<(usize, usize)> = ents
        .mentions
        .iter()
        .filter(|m| ents.entities[m.entity].kind == ActorType::Person)
        .map(|m| (m.entity, m.start))
        .collect();
    let people: Vec<usize> = (0..ents.entities.len())
        .filter(|&e| {
            ents.entities[e].kind == ActorType::Person && ents.entities[e].name_words.len() > 1
        })
        .collect();
    let orgs: Vec<(usize, String)> = (0..ents.entities.len())
        .filter(|&e| ents.entities[e].kind == ActorType::Organisation)
        .map(|e| (e, initials(&ents.entities[e].name)))
        .collect();
    for (ni, n) in names.iter().enumerate() {
        if of[ni].is_some() || n.kind == NameKind::DocumentPart {
            continue;
        }
        let (start, end) = span(n);
        let text = ws.slice(start, end);
        let lower = text.to_lowercase();
        let near = |e: usize| -> (usize, usize) {
            full_names
                .iter()
                .filter(|m| m.0 == e)
                .map(|m| (usize::from(m.1 > start), m.1.abs_diff(start)))
                .min()
                .unwrap_or((2, usize::MAX))
        };
        let person = people
            .iter()
            .copied()
            .filter(|&e| ents.entities[e].name_words.contains(&text))
            .min_by_key(|&e| {
                let last = ents.entities[e]
                    .name_words
                    .last()
                    .is_some_and(|p| *p == text);
                (usize::from(!last), near(e))
            });
        if let Some(e) = person {
            of[ni] = Some(e);
            let how = format!("surname of {}", ents.entities[e].name);
            mention(ents, n, e, MentionKind::Surname, how);
            continue;
        }
        let upper = text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let org = ents
            .key(&format!("name:{lower}"))
            .or_else(|| ents.key(&format!("place:{lower}")))
            .or_else(|| {
                (upper && text.len() >= 2)
                    .then(|| orgs.iter().find(|(_, i)| *i == text).map(|(e, _)| *e))
                    .flatten()
            });
        if let Some(e) = org {
            of[ni] = Some(e);
            let how = if ents.entities[e].key.ends_with(&lower) {
                "named".to_owned()
            } else {
                format!("initials of {}", ents.entities[e].name)
            };
            mention(ents, n, e, MentionKind::Name, how);
            continue;
        }
        let after_place = ni > 0
            && n.first >= 2
            && (w[n.first - 1].is(",") || w[n.first - 1].lower == "and")
            && of[ni - 1].is_some_and(|p| ents.entities[p].kind == ActorType::Place)
            && names[ni - 1].last + 3 >= n.first;
        let (kind, key) = if n.kind == NameKind::Person {
            (ActorType::Person, format!("person:{lower}"))
        } else if locative(ws, n.first, n.last) || after_place {
            (ActorType::Place, format!("place:{lower}"))
        } else {
            (ActorType::Organisation, format!("name:{lower}"))
        };
        let gender: Option<Gender> = n.gender;
        let e = ents.get_or_add(&key, || {
            let mut x = Entity::new(text.clone(), kind, key.clone());
            x.gender = gender;
            x.name_words = vec![text.clone()];
            x
        });
        of[ni] = Some(e);
        let mk = if kind == ActorType::Person {
            MentionKind::Surname
        } else {
            MentionKind::Name
        };
        mention(ents, n, e, mk, "named".to_owned());
    }
    of
}
