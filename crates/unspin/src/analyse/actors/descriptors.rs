//! Descriptors: the titles, appositions and labels the text attaches to a name
//! ("Finance Minister Katrin Albrecht", "Codelco, Chile's state copper miner,", "the bloc's
//! new Secretary General Mark Rutte"), the role words they hold (used later to link "the
//! minister" to its person), the gender gendered roles mark, and the country a person is
//! tied to ("Ukraine's Vladimir Zelensky", "the Mexican minister").

use std::collections::HashMap;

use crate::analysis::{ActorType, MentionKind};

use super::entities::Entities;
use super::lexicon::{Entry, Lexicon};
use super::recogniser::{Name, entry_at};
use super::words::{Word, Words};

/// Words that end a descriptor when walking left from its head.
const FUNCTION_WORDS: &[&str] = &[
    "and", "or", "but", "with", "to", "of", "in", "on", "at", "for", "by", "from", "said", "says",
    "that", "as", "than", "when", "while", "after", "before", "met", "told", "is", "was", "are",
    "were", "has", "had", "have", "be", "been", "which", "who", "whom", "like",
];

/// Words that open a descriptor after a name and a comma.
const APPOSITION_OPENERS: &[&str] = &[
    "the", "a", "an", "who", "now", "its", "his", "her", "their", "once", "formerly", "also",
    "then", "himself", "herself",
];

const DETERMINERS: &[&str] = &["the", "a", "an", "its", "his", "her", "their", "our"];

/// Where a noun phrase ending at word `head` starts, walking left over modifiers and
/// possessors to a determiner; `None` when no determiner or possessor starts it and it does
/// not open its clause. `max_bare` modifiers are allowed without a determiner.
fn np_start(w: &[Word], head: usize, max_bare: usize) -> Option<usize> {
    let sent = w[head].sent;
    let mut k = head;
    let mut bare = 0;
    loop {
        if k == 0 || w[k - 1].sent != sent {
            return Some(k);
        }
        let p = &w[k - 1];
        if DETERMINERS.contains(&p.lower.as_str()) {
            return Some(k - 1);
        }
        if p.is_word() && p.poss {
            // The possessor: "Finland's", "the bloc's", "the WHO's".
            k -= 1;
            while k > 0
                && w[k - 1].sent == sent
                && w[k - 1].is_word()
                && w[k - 1].cap
                && !w[k - 1].poss
            {
                k -= 1;
            }
            if k > 0 && DETERMINERS.contains(&w[k - 1].lower.as_str()) {
                k -= 1;
            }
            return Some(k);
        }
        if !p.is_word() || FUNCTION_WORDS.contains(&p.lower.as_str()) {
            let opens = !p.is_word() && !p.is(",");
            return if opens || bare <= max_bare {
                Some(k)
            } else {
                None
            };
        }
        if bare >= 4 {
            return None;
        }
        bare += 1;
        k -= 1;
    }
}

/// The role words (titles lexicon, one or two words) inside words `a..=b`, lower case.
pub fn role_words(w: &[Word], a: usize, b: usize, lx: &Lexicon) -> Vec<String> {
    let mut out = Vec::new();
    for k in a..=b {
        if lx.titles.contains_key(&w[k].lower) {
            out.push(w[k].lower.clone());
        }
        if k > a {
            let two = format!("{} {}", w[k - 1].lower, w[k].lower);
            if lx.titles.contains_key(&two) {
                out.push(two);
            }
        }
    }
    out
}

/// The entity a word belongs to, through the name mentions found so far.
fn entity_of_words(ents: &Entities) -> HashMap<usize, usize> {
    let mut m = HashMap::new();
    for x in &ents.mentions {
        for k in x.first..=x.last {
            m.insert(k, x.entity);
        }
    }
    m
}

/// Adds descriptors, roles, gender and country ties for every name.
pub fn describe(
    ws: &Words,
    names: &[Name],
    of: &[Option<usize>],
    lx: &Lexicon,
    ents: &mut Entities,
) {
    let w = &ws.words;
    let owner = entity_of_words(ents);
    for (n, e) in names.iter().zip(of) {
        let Some(e) = *e else { continue };
        let mut spans: Vec<(usize, usize)> = Vec::new();
        // A title written before the name, extended to its determiner.
        if let Some((a, b)) = n.title {
            let a = np_start(w, a, 0).unwrap_or(a);
            spans.push((a, b));
        } else if n.first > 0
            && !w[n.first - 1].cap
            && lx.titles.contains_key(&w[n.first - 1].lower)
        {
            let b = n.first - 1;
            if let Some(a) = np_start(w, b, 1) {
                spans.push((a, b));
            }
        }
        // "Finland's energy minister, Elina Virtanen,".
        if n.first >= 2
            && w[n.first - 1].is(",")
            && !w[n.first - 2].cap
            && lx.titles.contains_key(&w[n.first - 2].lower)
        {
            let b = n.first - 2;
            if let Some(a) = np_start(w, b, 2) {
                spans.push((a, b));
            }
        }
        // "Codelco, Chile's state copper miner,".
        let mut k = n.last + 1;
        if w.get(k).is_some_and(|x| x.is("(")) {
            while k < w.len() && !w[k].is(")") {
                k += 1;
            }
            k += 1;
        }
        if w.get(k).is_some_and(|x| x.is(","))
            && w.get(k + 1).is_some_and(|x| x.sent == w[n.last].sent)
        {
            let a = k + 1;
            let opener = APPOSITION_OPENERS.contains(&w[a].lower.as_str())
                || (w[a].poss && w[a].cap)
                || lx.demonyms.contains_key(&w[a].lower);
            if opener {
                let mut b = a;
                let mut depth = 0i32;
                while b + 1 < w.len() && w[b + 1].sent == w[a].sent {
                    let x = &w[b + 1];
                    if x.is("(") {
                        depth += 1;
                    } else if x.is(")") {
                        depth -= 1;
                    } else if depth <= 0
                        && (x.is(",")
                            || x.is(";")
                            || x.is(".")
                            || x.is("”")
                            || x.is("“")
                            || x.is("\"")
                            || x.is(":"))
                    {
                        break;
                    }
                    b += 1;
                }
                if b - a < 20 && (b > a || w[a].lower != "the") {
                    spans.push((a, b));
                }
            }
        }
        let ent = &mut ents.entities[e];
        for &(a, b) in &spans {
            ent.descriptors.push((w[a].start, w[b].end));
            for r in role_words(w, a, b, lx) {
                if ent.gender.is_none() && ent.kind == ActorType::Person {
                    ent.gender = lx.titles.get(&r).copied().flatten();
                }
                if !ent.roles.contains(&r) {
                    ent.roles.push(r);
                }
            }
            // Country ties through the descriptor: a demonym or a country named in it.
            if ent.country.is_none() {
                ent.country = (a..=b).find_map(|k| {
                    lx.demonyms
                        .get(&w[k].lower)
                        .copied()
                        .or_else(|| match entry_at(w, k, lx) {
                            Some((_, Entry::Country(c) | Entry::Capital(c))) => Some(c),
                            _ => None,
                        })
                });
            }
        }
        if ents.entities[e].kind == ActorType::Person && ents.entities[e].country.is_none() {
            // "Ukraine's Vladimir Zelensky", "Fatima Ndiaye of Senegal".
            let before = (n.first > 0 && w[n.first - 1].poss)
                .then(|| owner.get(&(n.first - 1)))
                .flatten();
            let after = (w.get(n.last + 1).is_some_and(|x| x.lower == "of"))
                .then(|| owner.get(&(n.last + 2)))
                .flatten();
            for o in [before, after].into_iter().flatten() {
                if let Some(c) = ents.entities[*o]
                    .country
                    .filter(|_| ents.entities[*o].kind == ActorType::Country)
                {
                    ents.entities[e].country = Some(c);
                    break;
                }
            }
        }
    }
    // A person's gender from a given name on any mention.
    for m in &ents.mentions {
        if m.kind == MentionKind::Name
            && ents.entities[m.entity].kind == ActorType::Person
            && ents.entities[m.entity].gender.is_none()
        {
            ents.entities[m.entity].gender =
                lx.given_names.get(&w[m.first].text).copied().flatten();
        }
    }
}
