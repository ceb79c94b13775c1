//! Actors linked across versions: one person, whatever each article calls them.
//!
//! Each version's actors analyser has already gathered the mentions of an actor within the
//! article. Across articles two actors are one when they are of the same kind (a person and
//! a person; organisations and countries may meet, "Russia" and "Moscow"'s government aside)
//! and their names agree: the same name, or for people the same surname with compatible
//! given names ("Kim Jong Un" / "Kim Jong-un" / "Kim"; "Donald Trump" / "Donald J. Trump" /
//! "Trump"). Links are transitive (union–find), but a surname alone joins a person only when
//! it points at a single full name in the comparison, so "Mr. Kim" does not merge two Kims.
//! A one-word organisation or place that is a person's surname in the comparison is read as
//! that surname: the analyser types a bare surname by its context ("Trump said" after a
//! headline word), which differs from article to article.

use std::collections::HashMap;

use unspin::{ActorType, MentionKind, Technique};

use crate::{Label, LinkedActor, Naming, Version};

/// Words of a name, lower-cased, letters and digits only ("Jong-un" → "jong", "un"),
/// without honorifics.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "mr" | "mrs" | "ms" | "dr"))
        .collect()
}

/// A name's generational suffix ("Jr", "III") and the words before it.
fn suffix(words: &[String]) -> (&[String], Option<&str>) {
    match words.split_last() {
        Some((last, rest))
            if !rest.is_empty() && matches!(last.as_str(), "jr" | "sr" | "ii" | "iii" | "iv") =>
        {
            (rest, Some(last.as_str()))
        }
        _ => (words, None),
    }
}

/// Whether two person names can be one person: the same surname (last word) and suffix
/// ("Donald Trump Jr." is not "Donald Trump"), and given names that agree where both have
/// them (a word or its initial).
fn same_person(a: &[String], b: &[String]) -> bool {
    let ((a, xa), (b, xb)) = (suffix(a), suffix(b));
    let (Some(sa), Some(sb)) = (a.last(), b.last()) else {
        return false;
    };
    if xa != xb && (a.len() > 1 && b.len() > 1) {
        return false;
    }
    if sa != sb {
        // "Kim Jong Un" / "Kim": a one-word name may be the first word of an East Asian name.
        return a.len() == 1 && b.first() == Some(sa) || b.len() == 1 && a.first() == Some(sb);
    }
    // Given names agree when one side has none, or some word of each agrees: the same
    // word, or an initial and a word it begins ("Donald J. Trump", "President Donald
    // Trump", "D. Trump" all meet "Donald Trump"; "Ivanka Trump" does not).
    let (ga, gb) = (&a[..a.len() - 1], &b[..b.len() - 1]);
    let agree = |x: &String, y: &String| {
        x == y
            || (x.chars().count() == 1 || y.chars().count() == 1)
                && x.chars().next() == y.chars().next()
    };
    ga.is_empty() || gb.is_empty() || ga.iter().any(|x| gb.iter().any(|y| agree(x, y)))
}

fn kind_group(k: ActorType) -> u8 {
    match k {
        ActorType::Person => 0,
        ActorType::Organisation | ActorType::Country => 1,
        ActorType::Place => 2,
        ActorType::Document => 3,
    }
}

struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let next = self.0[y];
            self.0[y] = r;
            y = next;
        }
        r
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// One actor of one version.
struct Node<'a> {
    version: usize,
    actor: &'a unspin::Actor,
    words: Vec<String>,
}

/// Links the versions' actors and says how each version names each one; actors most
/// mentioned first.
pub fn link(versions: &[Version]) -> Vec<LinkedActor> {
    let nodes: Vec<Node> = versions
        .iter()
        .enumerate()
        .flat_map(|(v, ver)| {
            ver.analysis.actors.iter().map(move |a| Node {
                version: v,
                actor: a,
                words: name_words(&a.name),
            })
        })
        .filter(|n| !n.words.is_empty())
        .collect();
    let mut sets = Sets((0..nodes.len()).collect());
    // Full names (several words) each single-word person name could be.
    let full: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].actor.kind == ActorType::Person && nodes[i].words.len() > 1)
        .collect();
    // A one-word organisation or place that is a person's surname in the comparison is
    // read as that surname ("Trump said" typed as an organisation): the actors analyser
    // types a bare surname by its context, which varies from article to article.
    let surnames: std::collections::HashSet<&str> = full
        .iter()
        .filter_map(|&k| suffix(&nodes[k].words).0.last().map(String::as_str))
        .collect();
    let person = |n: &Node| {
        n.actor.kind == ActorType::Person
            || matches!(n.actor.kind, ActorType::Organisation | ActorType::Place)
                && n.words.len() == 1
                && surnames.contains(n.words[0].as_str())
    };
    for i in 0..nodes.len() {
        for j in i + 1..nodes.len() {
            let (a, b) = (&nodes[i], &nodes[j]);
            let people = person(a) && person(b);
            if kind_group(a.actor.kind) != kind_group(b.actor.kind) && !people {
                continue;
            }
            let linked = if a.words == b.words {
                true
            } else if people {
                if a.words.len() > 1 && b.words.len() > 1 {
                    same_person(&a.words, &b.words)
                } else {
                    // A surname alone: only when every full name it fits is one person.
                    let (short, long) = if a.words.len() == 1 { (a, b) } else { (b, a) };
                    same_person(&short.words, &long.words) && {
                        // "Trump" is Donald Trump, not Donald Trump Jr.: a suffix is
                        // always written.
                        let fits: Vec<&Vec<String>> = full
                            .iter()
                            .map(|&k| &nodes[k].words)
                            .filter(|w| same_person(&short.words, w) && suffix(w).1.is_none())
                            .collect();
                        suffix(&long.words).1.is_none()
                            && fits.iter().all(|w| same_person(w, &long.words))
                    }
                }
            } else {
                false
            };
            if linked {
                sets.union(i, j);
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..nodes.len() {
        groups.entry(sets.find(i)).or_default().push(i);
    }
    let mut out: Vec<LinkedActor> = groups
        .into_values()
        .map(|members| linked_actor(versions, &nodes, &members))
        .collect();
    out.sort_by(|a, b| {
        b.naming
            .len()
            .cmp(&a.naming.len())
            .then(b.mentions().cmp(&a.mentions()))
            .then(a.name.cmp(&b.name))
    });
    for (k, a) in out.iter_mut().enumerate() {
        a.id = format!("x{}", k + 1);
    }
    out
}

fn linked_actor(versions: &[Version], nodes: &[Node], members: &[usize]) -> LinkedActor {
    // The name: the most frequent canonical name, the longest on ties.
    let mut names: HashMap<&str, usize> = HashMap::new();
    for &m in members {
        *names.entry(nodes[m].actor.name.as_str()).or_default() += 1;
    }
    let name = names
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then(a.0.len().cmp(&b.0.len()))
                .then(b.0.cmp(a.0))
        })
        .map(|(n, _)| (*n).to_owned())
        .unwrap_or_default();
    // The kind: the one most of the mentions have (a surname typed as an organisation in
    // one article does not make the person one).
    let mut kinds: Vec<(ActorType, usize)> = Vec::new();
    for &m in members {
        let a = nodes[m].actor;
        match kinds.iter_mut().find(|(k, _)| *k == a.kind) {
            Some(e) => e.1 += a.mentions.len(),
            None => kinds.push((a.kind, a.mentions.len())),
        }
    }
    let kind = kinds
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(nodes[members[0]].actor.kind, |(k, _)| *k);
    let mut naming = Vec::new();
    for (v, ver) in versions.iter().enumerate() {
        let actors: Vec<&unspin::Actor> = members
            .iter()
            .filter(|&&m| nodes[m].version == v)
            .map(|&m| nodes[m].actor)
            .collect();
        if actors.is_empty() {
            continue;
        }
        let hostile = hostile_spans(&ver.analysis);
        // A label is hostile when a name-calling or loaded-language passage covers it and
        // is about the label itself (at most three times its length), not a long passage
        // that happens to hold a name.
        let is_hostile = |s: usize, e: usize| {
            hostile
                .iter()
                .any(|&(a, b)| a < e && s < b && (b - a) <= 3 * (e - s).max(4))
        };
        let mut names = Labels::default();
        let mut descriptors = Labels::default();
        let mut mentions = 0;
        for a in &actors {
            mentions += a.mentions.len();
            for m in a.mentions.iter().filter(|m| m.kind != MentionKind::Pronoun) {
                // A name is what the person is called; only role phrases label.
                let label = m.kind == MentionKind::RolePhrase;
                names.add(&m.text, label && is_hostile(m.start, m.end));
            }
            for d in &a.descriptors {
                descriptors.add(&d.text, is_hostile(d.start, d.end));
            }
        }
        naming.push(Naming {
            version: ver.label.clone(),
            actor_ids: actors.iter().map(|a| a.id.clone()).collect(),
            mentions,
            names: names.sorted(),
            descriptors: descriptors.sorted(),
        });
    }
    LinkedActor {
        id: String::new(),
        name,
        kind,
        naming,
    }
}

/// Passages of name-calling and loaded language: the words inside them are hostile labels.
fn hostile_spans(a: &unspin::Analysis) -> Vec<(usize, usize)> {
    a.techniques
        .iter()
        .filter(|t| {
            matches!(
                t.technique,
                Technique::NameCallingLabeling | Technique::LoadedLanguage
            )
        })
        .map(|t| (t.start, t.end))
        .collect()
}

/// Names or descriptors as written, counted.
#[derive(Default)]
struct Labels(Vec<crate::Label>);

impl Labels {
    fn add(&mut self, text: &str, hostile: bool) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match self.0.iter_mut().find(|l| l.text == text) {
            Some(l) => {
                l.count += 1;
                l.hostile |= hostile;
            }
            None => self.0.push(Label {
                text,
                count: 1,
                hostile,
            }),
        }
    }

    fn sorted(mut self) -> Vec<Label> {
        self.0
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
        self.0
    }
}

/// The linked actor of actor `id` in version `label`, if any.
pub fn linked_of<'a>(linked: &'a [LinkedActor], label: &str, id: &str) -> Option<&'a LinkedActor> {
    linked.iter().find(|x| {
        x.naming
            .iter()
            .any(|n| n.version == label && n.actor_ids.iter().any(|a| a == id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        name_words(s)
    }

    #[test]
    fn people_are_one_by_surname_and_compatible_given_names() {
        assert!(same_person(&w("Donald Trump"), &w("Donald J. Trump")));
        assert!(same_person(&w("Trump"), &w("Donald Trump")));
        assert!(same_person(&w("D. Trump"), &w("Donald Trump")));
        assert!(!same_person(&w("Ivanka Trump"), &w("Donald Trump")));
        assert!(same_person(&w("Kim"), &w("Kim Jong Un")));
        assert!(same_person(&w("Kim Jong-un"), &w("Kim Jong Un")));
        assert!(!same_person(&w("Mike Pence"), &w("Mike Pompeo")));
        assert!(!same_person(&w("Donald Trump Jr."), &w("Donald Trump")));
        assert!(same_person(
            &w("United States Donald Trump"),
            &w("Donald Trump")
        ));
        assert!(same_person(
            &w("Donald Trump Jr."),
            &w("Donald J. Trump Jr")
        ));
    }
}
