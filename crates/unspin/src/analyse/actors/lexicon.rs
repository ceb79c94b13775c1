//! The general word lists the actors analyser reads, compiled into the binary from
//! `lexicon/`: countries (with other names, demonyms and capitals), international
//! organisations and blocs, titles and roles, honorifics, and given names with the gender
//! they usually mark. None of them is about any particular article.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Grammatical gender a name, title or pronoun points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// he, him, his.
    Male,
    /// she, her, hers.
    Female,
}

/// A country of the list.
#[derive(Debug, Clone)]
pub struct Country {
    /// Canonical name.
    pub name: String,
    /// Demonyms ("Finnish").
    pub demonyms: Vec<String>,
}

/// An organisation of the list.
#[derive(Debug, Clone)]
pub struct Organisation {
    /// Canonical name.
    pub name: String,
    /// True for alliances and unions of states ("the bloc").
    pub bloc: bool,
}

/// What a lower-cased sequence of words is in the lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A country's name or other name.
    Country(usize),
    /// A country's capital or seat of government.
    Capital(usize),
    /// An organisation's name or acronym.
    Organisation(usize),
}

/// The compiled lists.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Countries.
    pub countries: Vec<Country>,
    /// Organisations.
    pub organisations: Vec<Organisation>,
    /// Names, other names, capitals and acronyms, lower-cased, words joined by one space.
    pub entries: HashMap<String, Entry>,
    /// Demonyms, lower-cased, to countries.
    pub demonyms: HashMap<String, usize>,
    /// Titles and roles, lower-cased, with the gender they mark if any.
    pub titles: HashMap<String, Option<Gender>>,
    /// Honorifics, lower-cased, with the gender they mark if any.
    pub honorifics: HashMap<String, Option<Gender>>,
    /// Given names, as written, with the gender they usually mark (None for both).
    pub given_names: HashMap<String, Option<Gender>>,
    /// Longest entry, title or demonym in words.
    pub max_words: usize,
}

/// Lines of a list file without comments and blank lines.
fn lines(raw: &'static str) -> impl Iterator<Item = &'static str> {
    raw.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// A word list with optional `=f` / `=m` gender marks.
fn gendered(raw: &'static str) -> HashMap<String, Option<Gender>> {
    lines(raw)
        .map(|l| match l.split_once('=') {
            Some((w, "f")) => (w.trim().to_owned(), Some(Gender::Female)),
            Some((w, "m")) => (w.trim().to_owned(), Some(Gender::Male)),
            _ => (l.trim().to_owned(), None),
        })
        .collect()
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

impl Lexicon {
    /// The lists shipped with unspin, parsed once.
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let mut lx = Lexicon::default();
        let split = |f: &'static str| f.split(';').map(str::trim).filter(|s| !s.is_empty());
        for line in lines(include_str!("lexicon/countries.tsv")) {
            let f: Vec<&str> = line.split('\t').collect();
            let i = lx.countries.len();
            let name = f[0].trim();
            lx.entries.insert(name.to_lowercase(), Entry::Country(i));
            for alias in f.get(1).map(|s| split(s)).into_iter().flatten() {
                lx.entries.insert(alias.to_lowercase(), Entry::Country(i));
            }
            for capital in f.get(3).map(|s| split(s)).into_iter().flatten() {
                lx.entries
                    .entry(capital.to_lowercase())
                    .or_insert(Entry::Capital(i));
            }
            let demonyms: Vec<String> = f
                .get(2)
                .map(|s| split(s))
                .into_iter()
                .flatten()
                .map(str::to_owned)
                .collect();
            for d in &demonyms {
                lx.demonyms.entry(d.to_lowercase()).or_insert(i);
            }
            lx.countries.push(Country {
                name: name.to_owned(),
                demonyms,
            });
        }
        for line in lines(include_str!("lexicon/organisations.tsv")) {
            let f: Vec<&str> = line.split('\t').collect();
            let i = lx.organisations.len();
            lx.entries
                .insert(f[0].trim().to_lowercase(), Entry::Organisation(i));
            for alias in f.get(1).map(|s| split(s)).into_iter().flatten() {
                lx.entries
                    .insert(alias.to_lowercase(), Entry::Organisation(i));
            }
            lx.organisations.push(Organisation {
                name: f[0].trim().to_owned(),
                bloc: f.get(2).is_some_and(|k| k.trim() == "bloc"),
            });
        }
        lx.titles = gendered(include_str!("lexicon/titles.txt"));
        lx.honorifics = gendered(include_str!("lexicon/honorifics.txt"));
        lx.given_names = lines(include_str!("lexicon/given-names.tsv"))
            .filter_map(|l| l.split_once('\t'))
            .map(|(n, g)| {
                let g = match g.trim() {
                    "f" => Some(Gender::Female),
                    "m" => Some(Gender::Male),
                    _ => None,
                };
                (n.trim().to_owned(), g)
            })
            .collect();
        lx.max_words = lx
            .entries
            .keys()
            .chain(lx.titles.keys())
            .chain(lx.demonyms.keys())
            .map(|k| words(k))
            .max()
            .unwrap_or(1);
        lx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_parse() {
        let lx = Lexicon::get();
        assert!(lx.countries.len() > 100);
        let Some(Entry::Capital(c)) = lx.entries.get("oslo") else {
            panic!("oslo")
        };
        assert_eq!(lx.countries[*c].name, "Norway");
        assert_eq!(
            lx.demonyms
                .get("ukrainian")
                .map(|&i| lx.countries[i].name.as_str()),
            Some("Ukraine")
        );
        let Some(Entry::Organisation(o)) = lx.entries.get("nato") else {
            panic!("nato")
        };
        assert!(lx.organisations[*o].bloc);
        assert_eq!(lx.titles.get("secretary general"), Some(&None));
        assert_eq!(lx.titles.get("spokeswoman"), Some(&Some(Gender::Female)));
        assert_eq!(lx.given_names.get("Mark"), Some(&Some(Gender::Male)));
        assert!(lx.max_words >= 4);
    }
}
