//! Role phrases and documents named without a proper name: "the minister", "the Ukrainian
//! leader", "the head of the X regime", "the ministry", "the bloc", "the treaty",
//! "the bloc's own charter", "Article 5", "the first point", and short quoted names of
//! documents ("his ‘peace plan’"). Each is linked to an entity by general rules — a
//! country tie, a shared role word, a shared head word, the one person just named — or
//! left out when nothing in the text supports a link.

use crate::analysis::{ActorType, MentionKind};

use super::entities::{Entities, Entity, EntityMention};
use super::heads::{self, is};
use super::lexicon::{Entry, Lexicon};
use super::recogniser::{Name, NameKind, entry_at};
use super::words::{Word, Words};

/// Roles that stand for whoever leads a country.
const LEADER_ROLES: &[&str] = &[
    "leader",
    "president",
    "head",
    "premier",
    "prime minister",
    "ruler",
    "dictator",
    "strongman",
    "autocrat",
    "chancellor",
    "king",
    "queen",
    "emir",
    "sultan",
    "despot",
    "tyrant",
];

/// Role words that may stand for each other.
const ROLE_SYNONYMS: &[&[&str]] = &[
    &["chief", "executive", "chief executive", "head", "boss"],
    &["chair", "chairman", "chairwoman", "chairperson"],
    &["head", "leader"],
    &["spokesman", "spokeswoman", "spokesperson"],
    &["minister", "secretary"],
];

fn same_role(a: &str, b: &str) -> bool {
    a == b
        || ROLE_SYNONYMS
            .iter()
            .any(|g| g.contains(&a) && g.contains(&b))
}

const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "last", "final",
];

/// What a role phrase's head noun says about whom it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Organisation = 0,
    Document = 1,
    Person = 2,
}

/// A role phrase found in the text: words `first..=last`, head word `head`.
struct Phrase {
    first: usize,
    last: usize,
    head: usize,
    kind: Head,
    /// The possessor's word ("the bloc's own charter"), if any.
    possessor: Option<usize>,
    /// A country tied to the phrase by a demonym or "of the X regime".
    country: Option<usize>,
}

/// Index of the mention covering word `k`, if any.
fn mention_at(ents: &Entities, k: usize) -> Option<usize> {
    ents.mentions
        .iter()
        .position(|m| m.first <= k && k <= m.last)
}

fn push(
    ents: &mut Entities,
    w: &[Word],
    first: usize,
    last: usize,
    e: usize,
    kind: MentionKind,
    how: String,
) {
    ents.mention(EntityMention {
        start: w[first].start,
        end: w[last].end,
        first,
        last,
        kind,
        entity: e,
        how,
    });
}

/// The entity of the mention nearest to `at` among `candidates`: the closest before it,
/// else the closest after it.
fn nearest(ents: &Entities, at: usize, candidates: impl Fn(&Entity) -> bool) -> Option<usize> {
    let mut before: Option<(usize, usize)> = None;
    let mut after: Option<(usize, usize)> = None;
    for m in &ents.mentions {
        if !candidates(&ents.entities[m.entity]) {
            continue;
        }
        if m.start < at {
            if before.is_none_or(|(s, _)| m.start > s) {
                before = Some((m.start, m.entity));
            }
        } else if after.is_none_or(|(s, _)| m.start < s) {
            after = Some((m.start, m.entity));
        }
    }
    before.or(after).map(|(_, e)| e)
}

/// Finds role phrases, document parts and quoted document names, and links them.
pub fn link_roles(ws: &Words, names: &[Name], lx: &Lexicon, ents: &mut Entities) {
    let w = &ws.words;
    quoted_documents(ws, ents);
    let mut owner: Vec<Option<usize>> = vec![None; w.len()];
    for (i, m) in ents.mentions.iter().enumerate() {
        for o in &mut owner[m.first..=m.last] {
            o.get_or_insert(i);
        }
    }
    let mut phrases = Vec::new();
    let mut k = 0;
    while k < w.len() {
        // "the bloc" in "the bloc's new Secretary General".
        if matches!(w[k].lower.as_str(), "the" | "its" | "their")
            && w.get(k + 1)
                .is_some_and(|x| x.poss && !x.cap && x.sent == w[k].sent)
            && role_kind(&w[k + 1].lower, lx).is_some_and(|h| h != Head::Person)
        {
            phrases.push(Phrase {
                first: k,
                last: k + 1,
                head: k + 1,
                kind: role_kind(&w[k + 1].lower, lx).unwrap_or(Head::Organisation),
                possessor: None,
                country: None,
            });
        }
        if let Some(p) = phrase_at(ws, k, lx, ents, &owner) {
            k = p.last + 1;
            phrases.push(p);
        } else {
            k += 1;
        }
    }
    // Organisations, then documents, then people: each may hang on the ones before.
    phrases.sort_by_key(|p| (p.kind as u8, p.first));
    for p in phrases {
        let how;
        let head = w[p.head].lower.as_str();
        let at = w[p.first].start;
        let target = match p.kind {
            Head::Organisation => {
                let by_name = nearest(ents, at, |e| {
                    e.kind == ActorType::Organisation
                        && e.name
                            .split_whitespace()
                            .any(|x| x.to_lowercase().ends_with(head))
                });
                let by_bloc = || {
                    is(heads::BLOC_ROLES, head)
                        .then(|| nearest(ents, at, |e| e.bloc))
                        .flatten()
                };
                let generic = || {
                    is(heads::GENERIC_ORG_ROLES, head)
                        .then(|| nearest(ents, at, |e| e.kind == ActorType::Organisation))
                        .flatten()
                };
                if let Some(e) = by_name {
                    how = format!(
                        "role phrase → {}, the organisation named with '{head}'",
                        ents.entities[e].name
                    );
                    Some(e)
                } else if let Some(e) = by_bloc() {
                    how = format!(
                        "role phrase → {}, the alliance named nearby",
                        ents.entities[e].name
                    );
                    Some(e)
                } else if let Some(e) = generic() {
                    how = format!(
                        "role phrase → {}, the organisation named nearby",
                        ents.entities[e].name
                    );
                    Some(e)
                } else {
                    how = String::new();
                    None
                }
            }
            Head::Document => {
                let words = heads::doc_role(head).unwrap_or(&[]);
                let by_name = nearest(ents, at, |e| {
                    e.kind == ActorType::Document
                        && e.name
                            .split_whitespace()
                            .any(|x| words.contains(&x.to_lowercase().as_str()))
                });
                if let Some(e) = by_name {
                    how = format!(
                        "role phrase → {}, the document named nearby",
                        ents.entities[e].name
                    );
                    Some(e)
                } else if let Some(o) = p
                    .possessor
                    .and_then(|q| mention_at(ents, q))
                    .map(|m| ents.mentions[m].entity)
                {
                    let name = format!("{}'s {head}", ents.entities[o].name);
                    let key = format!("doc:{}", name.to_lowercase());
                    let e = ents.get_or_add(&key, || {
                        Entity::new(name.clone(), ActorType::Document, key.clone())
                    });
                    how = format!("the {head} of {}", ents.entities[o].name);
                    Some(e)
                } else {
                    how = String::new();
                    None
                }
            }
            Head::Person => match person_target(ws, &p, lx, ents) {
                Some((e, why)) => {
                    how = why;
                    Some(e)
                }
                None => {
                    how = String::new();
                    None
                }
            },
        };
        if let Some(e) = target {
            push(
                ents,
                w,
                p.first,
                p.last,
                e,
                MentionKind::RolePhrase,
                how.clone(),
            );
            let ent = &mut ents.entities[e];
            ent.descriptors.push((w[p.first].start, w[p.last].end));
            if p.kind == Head::Person && !ent.roles.iter().any(|r| r == head) {
                ent.roles.push(head.to_owned());
            }
        }
    }
    document_parts(ws, names, ents);
}

/// The role phrase starting at word `k`, if one does.
fn phrase_at(
    ws: &Words,
    k: usize,
    lx: &Lexicon,
    ents: &Entities,
    owner: &[Option<usize>],
) -> Option<Phrase> {
    let at = |k: usize| owner.get(k).copied().flatten();
    let w = &ws.words;
    let det = matches!(w[k].lower.as_str(), "the" | "its" | "his" | "her" | "their");
    let possessor_name = w[k].poss && w[k].cap && at(k).is_some();
    if !det && !possessor_name {
        return None;
    }
    let sent = w[k].sent;
    let mut possessor = None;
    let mut country = None;
    let mut j = k;
    // A possessor: "the bloc's", "the board's", "Zelensky's".
    if det && w.get(k + 1).is_some_and(|x| x.poss && x.sent == sent) {
        j = k + 1;
    }
    if w[j].poss {
        possessor = Some(j);
    }
    let mut head = None;
    for h in j + 1..(j + 5).min(w.len()) {
        let x = &w[h];
        if x.sent != sent || !x.is_word() || x.poss {
            break;
        }
        if let Some(&c) = lx.demonyms.get(&x.lower) {
            country = Some(c);
            continue;
        }
        if x.cap {
            let single = h == j + 1 && !w.get(h + 1).is_some_and(|n| n.cap && n.is_word());
            let kind = role_kind(&x.lower, lx);
            if single
                && matches!(kind, Some(Head::Organisation | Head::Document))
                && at(h).is_none()
            {
                head = kind.map(|kind| (h, kind));
            }
            break;
        }
        let next_role = w
            .get(h + 1)
            .is_some_and(|n| n.sent == sent && !n.cap && role_kind(&n.lower, lx).is_some());
        if let Some(kind) = role_kind(&x.lower, lx)
            && !next_role
        {
            head = Some((h, kind));
            break;
        }
        if is(heads::DOC_PARTS, &x.lower) || FUNCTION_STOP.contains(&x.lower.as_str()) {
            break;
        }
    }
    let (h, kind) = head?;
    let mut last = h;
    // "the head of the X regime": a state tie.
    if w.get(h + 1).is_some_and(|x| x.lower == "of") {
        let mut a = h + 2;
        if w.get(a).is_some_and(|x| x.lower == "the") {
            a += 1;
        }
        if let Some(x) = w.get(a).filter(|x| x.sent == sent) {
            let c = match entry_at(w, a, lx) {
                Some((e, Entry::Country(c) | Entry::Capital(c))) => Some((e, c)),
                _ => lx.demonyms.get(&x.lower).map(|&c| (a, c)),
            };
            if let Some((e, c)) = c {
                if w.get(e + 1)
                    .is_some_and(|n| is(heads::STATE_NOUNS, &n.lower))
                {
                    country = Some(c);
                    last = e + 1;
                } else if kind == Head::Person {
                    country = Some(c);
                    last = e;
                }
            } else if kind == Head::Person && x.cap && at(a).is_some() {
                // "the butcher of Homs": an epithet with a place.
                let m = &ents.mentions[at(a).unwrap_or_default()];
                if ents.entities[m.entity].kind == ActorType::Place {
                    last = m.last;
                }
            }
        }
    }
    // A title before a name, or a description set off before one, is a descriptor.
    let next = w.get(last + 1);
    if next.is_some_and(|x| x.cap && x.is_word() && x.sent == sent && at(last + 1).is_some()) {
        return None;
    }
    if next.is_some_and(|x| x.is(","))
        && w.get(last + 2)
            .is_some_and(|x| x.cap && at(last + 2).is_some())
    {
        return None;
    }
    if k >= 2 && w[k - 1].is(",") && at(k - 2).is_some() {
        return None;
    }
    // Inside a speaker's own words, "the minister" is the speaker's reference.
    if w[k].quoted && kind == Head::Person {
        return None;
    }
    Some(Phrase {
        first: k,
        last,
        head: h,
        kind,
        possessor,
        country,
    })
}

/// Words that end the search for a role noun.
const FUNCTION_STOP: &[&str] = &[
    "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "that", "is", "was", "has",
    "had", "said", "says", "will", "would", "could", "should",
];

/// What a role noun can stand for.
fn role_kind(word: &str, lx: &Lexicon) -> Option<Head> {
    if heads::doc_role(word).is_some() {
        Some(Head::Document)
    } else if heads::is_org_role(word) {
        Some(Head::Organisation)
    } else if lx.titles.contains_key(word)
        && !matches!(word, "official" | "deputy" | "analyst" | "officer")
    {
        Some(Head::Person)
    } else {
        None
    }
}

/// The person a person's role phrase stands for, and why.
fn person_target(
    ws: &Words,
    p: &Phrase,
    _lx: &Lexicon,
    ents: &Entities,
) -> Option<(usize, String)> {
    let w = &ws.words;
    let head = w[p.head].lower.as_str();
    let at = w[p.first].start;
    let people = |f: &dyn Fn(&Entity) -> bool| -> Vec<usize> {
        (0..ents.entities.len())
            .filter(|&e| ents.entities[e].kind == ActorType::Person && f(&ents.entities[e]))
            .collect()
    };
    let count = |e: usize| ents.mentions.iter().filter(|m| m.entity == e).count();
    if let Some(c) = p.country {
        let tied = people(&|e| e.country == Some(c));
        let with_role: Vec<usize> = tied
            .iter()
            .copied()
            .filter(|&e| ents.entities[e].roles.iter().any(|r| same_role(r, head)))
            .collect();
        let pick = if let Some(&e) = with_role.first() {
            Some(e)
        } else if is(LEADER_ROLES, head) {
            tied.iter()
                .copied()
                .max_by_key(|&e| (count(e), std::cmp::Reverse(e)))
        } else {
            None
        };
        if let Some(e) = pick {
            let country = &ents
                .entities
                .iter()
                .find(|x| x.country == Some(c) && x.kind == ActorType::Country)
                .map_or_else(String::new, |x| x.name.clone());
            let country = if country.is_empty() {
                "the same country".to_owned()
            } else {
                country.clone()
            };
            return Some((
                e,
                format!(
                    "role phrase → {}, the person the text ties to {country}",
                    ents.entities[e].name
                ),
            ));
        }
        return None;
    }
    let with_role = nearest(ents, at, |e| {
        e.kind == ActorType::Person && e.roles.iter().any(|r| same_role(r, head))
    });
    if let Some(e) = with_role {
        return Some((
            e,
            format!(
                "role phrase → {}, described as {head}",
                ents.entities[e].name
            ),
        ));
    }
    // The one person named in this or the previous two sentences.
    let sent = w[p.first].sent;
    let mut recent: Vec<usize> = ents
        .mentions
        .iter()
        .filter(|m| {
            m.start < at
                && w[m.first].sent + 2 >= sent
                && ents.entities[m.entity].kind == ActorType::Person
        })
        .map(|m| m.entity)
        .collect();
    recent.sort_unstable();
    recent.dedup();
    if let [e] = recent[..] {
        return Some((
            e,
            format!(
                "role phrase → {}, the only person named just before",
                ents.entities[e].name
            ),
        ));
    }
    None
}

/// Short quoted names ending in a document word ("‘peace plan’") are documents.
fn quoted_documents(ws: &Words, ents: &mut Entities) {
    let w = &ws.words;
    for q in &ws.quotes {
        let from = w.partition_point(|x| x.start < q.start);
        let inner: Vec<usize> = (from..w.len())
            .take_while(|&k| w[k].end <= q.end)
            .filter(|&k| w[k].is_word())
            .take(6)
            .collect();
        let Some(&last) = inner.last() else { continue };
        if inner.len() > 5 || !is(heads::DOC_HEADS, &w[last].lower) {
            continue;
        }
        let first = inner[0];
        let name = ws.slice(w[first].start, w[last].end);
        let key = format!("doc:{}", name.to_lowercase());
        let e = ents.get_or_add(&key, || {
            Entity::new(name.clone(), ActorType::Document, key.clone())
        });
        push(
            ents,
            w,
            first,
            last,
            e,
            MentionKind::Name,
            "a document's name in quotation marks".into(),
        );
    }
}

/// "Article 5" and "the first point" stand for the document they belong to: the one named
/// right after ("of the convention") or the last document named before.
fn document_parts(ws: &Words, names: &[Name], ents: &mut Entities) {
    let w = &ws.words;
    let mut parts: Vec<(usize, usize, MentionKind)> = names
        .iter()
        .filter(|n| n.kind == NameKind::DocumentPart)
        .map(|n| (n.first, n.last, MentionKind::Name))
        .collect();
    for k in 0..w.len().saturating_sub(2) {
        if w[k].lower == "the"
            && ORDINALS.contains(&w[k + 1].lower.as_str())
            && is(heads::DOC_PARTS, &w[k + 2].lower)
            && w.get(k + 3).is_none_or(|x| x.lower != "of")
        {
            parts.push((k, k + 2, MentionKind::RolePhrase));
        }
    }
    for (first, last, kind) in parts {
        let at = w[first].start;
        let sent = w[first].sent;
        // "Article 15 of the convention".
        let of = (w.get(last + 1).is_some_and(|x| x.lower == "of"))
            .then(|| {
                ents.mentions.iter().find(|m| {
                    m.first > last + 1
                        && m.first <= last + 3
                        && ents.entities[m.entity].kind == ActorType::Document
                })
            })
            .flatten()
            .map(|m| m.entity);
        let before = ents
            .mentions
            .iter()
            .filter(|m| {
                m.start < at
                    && w[m.first].sent + 3 >= sent
                    && ents.entities[m.entity].kind == ActorType::Document
            })
            .max_by_key(|m| m.start)
            .map(|m| m.entity);
        let Some(e) = of.or(before) else { continue };
        let how = format!("a part of {}", ents.entities[e].name);
        push(ents, w, first, last, e, kind, how);
    }
}
