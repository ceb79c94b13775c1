//! Finds names: runs of capitalised words (joined by "of", "for", "and" after a head word
//! and by name particles), looked up in the lists and typed by their head words, with
//! titles and honorifics split off the front of people's names.

use super::heads::{self, is};
use super::lexicon::{Entry, Gender, Lexicon};
use super::words::{Word, Words};

/// What a name looks like before it is clustered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A country of the list.
    Country(usize),
    /// A capital of the list: its country, or a place, depending on context.
    Capital(usize),
    /// An organisation, from the list or not.
    Organisation(Option<usize>),
    /// A person's name.
    Person,
    /// A place.
    Place,
    /// A document.
    Document,
    /// A part of a document ("Article 5").
    DocumentPart,
    /// One capitalised word of unknown kind.
    Unknown,
}

/// A name found in the text: words `first..=last`.
#[derive(Debug, Clone)]
pub struct Name {
    /// First word.
    pub first: usize,
    /// Last word.
    pub last: usize,
    /// What it looks like.
    pub kind: NameKind,
    /// Words `a..=b` of a title written before the name ("Finance Minister").
    pub title: Option<(usize, usize)>,
    /// Gender marked by an honorific or a title before the name.
    pub gender: Option<Gender>,
    /// Had a title or an honorific: certainly a person.
    pub titled: bool,
}

fn all_caps(w: &Word) -> bool {
    w.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.text.chars().all(|c| !c.is_lowercase())
}

/// True for a word that may be part of a name.
fn name_word(w: &Word) -> bool {
    w.is_word() && w.cap && (!is(heads::NOT_NAMES, &w.lower) || all_caps(w))
}

/// The longest run of words from `i` (at most the lexicon's longest entry) that is an entry.
pub fn entry_at(ws: &[Word], i: usize, lx: &Lexicon) -> Option<(usize, Entry)> {
    let mut key = String::new();
    let mut best = None;
    for k in i..(i + lx.max_words).min(ws.len()) {
        if !ws[k].is_word() && !ws[k].is(".") {
            break;
        }
        if k > i && !ws[k].is(".") && !ws[k - 1].is(".") {
            key.push(' ');
        }
        key.push_str(&ws[k].lower);
        if let Some(e) = lx.entries.get(&key) {
            best = Some((k, *e));
        }
        if ws[k].poss {
            break;
        }
    }
    best
}

/// True when the capitalised word is known to be a name wherever it stands: in the lists,
/// a given name, an acronym, or capitalised elsewhere in the document where it does not
/// start a sentence.
fn evidenced(
    ws: &Words,
    i: usize,
    lx: &Lexicon,
    mid_caps: &std::collections::HashSet<&str>,
) -> bool {
    let w = &ws.words[i];
    all_caps(w)
        || lx.given_names.contains_key(&w.text)
        || entry_at(&ws.words, i, lx).is_some()
        || mid_caps.contains(w.text.as_str())
}

/// Finds every name of the document, in text order.
pub fn names(ws: &Words, lx: &Lexicon) -> Vec<Name> {
    let w = &ws.words;
    let mid_caps: std::collections::HashSet<&str> = w
        .iter()
        .filter(|x| name_word(x) && !x.initial)
        .map(|x| x.text.as_str())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        if !(name_word(&w[i]) || w[i].lower == "article" && w[i].cap) {
            i += 1;
            continue;
        }
        // Parts of documents: "Article 5".
        if is(heads::DOC_PARTS, &w[i].lower)
            && w.get(i + 1)
                .is_some_and(|n| n.kind == unspin_segment::TokenKind::Number && n.sent == w[i].sent)
        {
            out.push(Name {
                first: i,
                last: i + 1,
                kind: NameKind::DocumentPart,
                title: None,
                gender: None,
                titled: false,
            });
            i += 2;
            continue;
        }
        let last = run_end(w, i);
        let mut first = i;
        // A sentence's first word needs evidence that it is a name.
        while first <= last
            && w[first].initial
            && !evidenced(ws, first, lx, &mid_caps)
            && !(first < last && name_word(&w[first + 1]) && !w[first].poss)
            && !apposition_follows(w, first, last)
            && !speech_follows(w, last)
            && !lx.titles.contains_key(&w[first].lower)
            && !lx.honorifics.contains_key(&w[first].lower)
        {
            first += 1;
            while first <= last && !w[first].cap {
                first += 1;
            }
        }
        if first > last {
            i = last + 1;
            continue;
        }
        let mut last = last;
        let doc_word = !w[last].poss
            && w.get(last + 1).is_some_and(|n| {
                n.is_word() && !n.cap && n.sent == w[last].sent && is(heads::DOC_HEADS, &n.lower)
            })
            && entry_at(w, first, lx).is_none_or(|(e, _)| e != last)
            && first > 0
            && (w[first - 1].poss
                || matches!(
                    w[first - 1].lower.as_str(),
                    "the" | "a" | "an" | "this" | "his" | "her" | "its" | "their"
                ));
        if doc_word {
            last += 1;
        }
        if let Some(mut name) = classify(ws, first, last, lx) {
            if doc_word && name.first < last {
                name.kind = NameKind::Document;
            }
            out.push(name);
        }
        i = last + 1;
    }
    out
}

/// True when a verb of speech follows the run ("Sanders replied."): a sentence's first
/// word that speaks is a name.
fn speech_follows(w: &[Word], last: usize) -> bool {
    w.get(last + 1)
        .is_some_and(|x| x.sent == w[last].sent && is(crate::analyse::speech::SPEECH, &x.lower))
        && !is(heads::COMMON_SPEAKERS, &w[last].lower)
        && !w.iter().any(|x| !x.cap && x.lower == w[last].lower)
}

/// True when a comma and an apposition follow the run ("Codelco, Chile's state miner,").
fn apposition_follows(w: &[Word], first: usize, last: usize) -> bool {
    first == last
        && w.get(last + 1).is_some_and(|x| x.is(","))
        && w.get(last + 2).is_some_and(|x| {
            matches!(x.lower.as_str(), "the" | "a" | "an" | "who") || (x.poss && x.cap)
        })
}

/// The last word of the run of name words starting at `i`.
fn run_end(w: &[Word], i: usize) -> usize {
    let sent = w[i].sent;
    let mut last = i;
    let mut joined_of = is_head(&w[i].lower);
    let mut k = i + 1;
    while k < w.len() && w[k].sent == sent && !w[last].poss {
        // "St. Petersburg", "Mt. Everest": an abbreviated place word, its dot, a name.
        if w[k].is(".")
            && k == last + 1
            && is(heads::PLACE_ABBREVIATIONS, &w[last].lower)
            && w.get(k + 1).is_some_and(|n| n.sent == sent && name_word(n))
        {
            last = k + 1;
            k += 2;
            continue;
        }
        // "Gov. Jay Inslee", "Donald J. Trump", "Sen. Ted Cruz": an abbreviated title or an
        // initial, its dot, a name.
        if w[k].is(".")
            && k == last + 1
            && (is(heads::TITLE_ABBREVIATIONS, &w[last].lower) || is_initial(&w[last]))
            && w.get(k + 1).is_some_and(|n| n.sent == sent && name_word(n))
        {
            last = k + 1;
            k += 2;
            continue;
        }
        if name_word(&w[k]) {
            last = k;
            joined_of |= is_head(&w[k].lower);
            k += 1;
            continue;
        }
        // Joiners after a head word, name particles between capitalised words.
        let mut j = k;
        while j < w.len()
            && w[j].sent == sent
            && w[j].is_word()
            && !w[j].cap
            && (is(heads::NAME_JOINERS, &w[j].lower) || is(heads::NAME_PARTICLES, &w[j].lower))
            && j - k < 2
        {
            j += 1;
        }
        // A comma in "Ministry of Economy, Trade and Industry".
        if j == k && joined_of && w[k].is(",") {
            let and = (k + 1..(k + 4).min(w.len())).find(|&a| w[a].lower == "and");
            if let Some(a) = and
                && (k + 1..a).all(|b| name_word(&w[b]))
                && w.get(a + 1).is_some_and(name_word)
            {
                j = k + 1;
            }
        }
        if j > k
            && j < w.len()
            && w[j].sent == sent
            && name_word(&w[j])
            && (joined_of
                || is(heads::NAME_PARTICLES, &w[k].lower)
                || ends_in_doc_head(w, j)
                || (last == i && ends_in_head(w, j) && !is_given(&w[i].text)))
        {
            last = j;
            joined_of |= is_head(&w[j].lower);
            k = j + 1;
            continue;
        }
        break;
    }
    last
}

/// A single capital letter: a middle initial ("J." in "Donald J. Trump").
fn is_initial(w: &Word) -> bool {
    let mut c = w.text.chars();
    c.next().is_some_and(char::is_uppercase) && c.next().is_none()
}

/// True when the plain run of name words from `j` is followed by a lower-case document
/// word ("State of the Climate report").
fn ends_in_doc_head(w: &[Word], j: usize) -> bool {
    let mut k = j;
    while k + 1 < w.len() && name_word(&w[k + 1]) && !w[k].poss {
        k += 1;
    }
    !w[k].poss
        && w.get(k + 1)
            .is_some_and(|n| n.is_word() && !n.cap && is(heads::DOC_HEADS, &n.lower))
}

fn is_given(word: &str) -> bool {
    Lexicon::get().given_names.contains_key(word)
}

/// True when the plain run of name words from `j` ends in a head word ("Information Act").
fn ends_in_head(w: &[Word], j: usize) -> bool {
    let mut k = j;
    while k + 1 < w.len() && name_word(&w[k + 1]) && !w[k].poss {
        k += 1;
    }
    is_head(&w[k].lower)
}

fn is_head(lower: &str) -> bool {
    is(heads::ORG_HEADS, lower) || is(heads::DOC_HEADS, lower) || is(heads::PLACE_HEADS, lower)
}

/// Splits titles and honorifics off the front of a run and decides what it names.
fn classify(ws: &Words, first: usize, last: usize, lx: &Lexicon) -> Option<Name> {
    let w = &ws.words;
    let mut first = first;
    let mut gender = None;
    let mut titled = false;
    if let Some(g) = lx.honorifics.get(&w[first].lower) {
        gender = *g;
        titled = true;
        first += 1;
        while first <= last && w[first].is(".") {
            first += 1;
        }
    }
    // The longest title ending before the last word: "Secretary General Mark Rutte".
    let mut title = None;
    // Not inside a listed name, but a listed place may come first ("Washington Gov.").
    if first < last && entry_at(w, first, lx).is_none_or(|(e, _)| e + 1 < last) {
        let mut split = None;
        for p in first..last {
            for q in first..=p {
                let key: Vec<&str> = w[q..=p]
                    .iter()
                    .filter(|x| !x.is("."))
                    .map(|x| x.lower.as_str())
                    .collect();
                if key.is_empty() {
                    continue;
                }
                if let Some(g) = lx.titles.get(&key.join(" ")) {
                    split = Some(p);
                    if gender.is_none() {
                        gender = *g;
                    }
                    break;
                }
            }
            if w[p].poss {
                break;
            }
        }
        // The name starts after the title and its dot ("Gov. Jay Inslee").
        let after = split.map(|p| if w[p + 1].is(".") { p + 2 } else { p + 1 });
        if let (Some(p), Some(a)) = (split, after)
            && a <= last
            && name_word(&w[a])
            && !is_head(&w[last].lower)
        {
            title = Some((first, p));
            titled = true;
            first = a;
        }
    }
    if first > last {
        return None;
    }
    let n = last - first + 1;
    let lower_last = &w[last].lower;
    let joined: Vec<&str> = w[first..=last].iter().map(|x| x.lower.as_str()).collect();
    let joined = joined.join(" ");
    if n == 1 && is(heads::REGION_ADJECTIVES, &joined) {
        return None;
    }
    // "the Commission", "the Treaty": a role noun, linked by the role phrases.
    if n == 1
        && first > 0
        && w[first - 1].lower == "the"
        && (heads::is_org_role(&joined) || heads::doc_role(&joined).is_some())
    {
        return None;
    }
    let kind = if is(heads::REGIONS, &joined) {
        NameKind::Place
    } else if let Some((end, entry)) = entry_at(w, first, lx).filter(|(e, _)| *e == last) {
        let _ = end;
        match entry {
            Entry::Country(c) => NameKind::Country(c),
            Entry::Capital(c) => NameKind::Capital(c),
            Entry::Organisation(o) => NameKind::Organisation(Some(o)),
        }
    } else if is(heads::DOC_HEADS, &w[first].lower) && n > 1 || is(heads::DOC_HEADS, lower_last) {
        NameKind::Document
    } else if w[first..=last]
        .iter()
        .any(|x| is(heads::ORG_HEADS, &x.lower))
    {
        NameKind::Organisation(None)
    } else if is(heads::PLACE_HEADS, &w[first].lower)
        || is(heads::PLACE_HEADS, lower_last)
        || n > 1 && is(heads::PLACE_ABBREVIATIONS, &w[first].lower)
    {
        NameKind::Place
    } else if n > 1
        && w[first..=last].iter().any(|x| {
            lx.demonyms.contains_key(&x.lower)
                || matches!(lx.entries.get(&x.lower), Some(Entry::Country(_)))
        })
    {
        NameKind::Organisation(None)
    } else if titled || lx.given_names.contains_key(&w[first].text) {
        NameKind::Person
    } else if n > 1 {
        if w[first..=last].iter().all(all_caps) {
            NameKind::Organisation(None)
        } else {
            NameKind::Person
        }
    } else if all_caps(&w[first]) {
        NameKind::Organisation(None)
    } else if lx.demonyms.contains_key(&w[first].lower) {
        return None;
    } else if speech_follows(w, last)
        || (first > 0
            && matches!(
                w[first - 1].lower.as_str(),
                "said" | "says" | "told" | "added"
            )
            && w.get(last + 1).is_none_or(|x| !x.is_word()))
    {
        // One unknown word that speaks ("Sanders replied", "said Paradis."): a surname.
        NameKind::Person
    } else {
        NameKind::Unknown
    };
    Some(Name {
        first,
        last,
        kind,
        title,
        gender,
        titled,
    })
}
