//! The quotes analyser: direct, partial, mixed and reported (indirect) quotes, each with
//! its reporting cue, its speaker's mention, the actor the speaker resolves to and how, and
//! whether the quoted words were cut (an ellipsis or a bracketed insertion).
//!
//! Quotation marks are paired first ([`marks`]); each quoted stretch is then classified
//! by where it stands in its sentence and which cue frames it ([`direct`]); reporting cues
//! outside quotation marks give indirect quotes ([`reported`]); speakers are found next to
//! the cue ([`speaker`]) and resolved through the actors analyser's entities. A quote with
//! no speaker in its sentence continues the speaker of the quote just before it, or, when it
//! runs over a paragraph break, the speaker of its continuation.

pub mod confidence;
pub mod confidence_trainer;
pub mod cues;
pub mod direct;
pub mod marks;
pub mod reported;
pub mod speaker;

use unspin_segment::Segmentation;

use crate::analyse::{Analyser, DocContext};
use crate::analysis::{Actor, Analysis, Quote, QuoteKind};
use crate::document::Document;
use crate::error::Error;
use crate::span::TextSpan;

use super::actors::{Entities, Words};

/// A quote being built: spans in code points, words for the sentence it ends in.
#[derive(Debug, Clone)]
pub struct Found {
    /// Quoted words (or reported clause).
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// Its kind.
    pub kind: QuoteKind,
    /// Words of the cue, if any.
    pub cue: Option<(usize, usize)>,
    /// Its speaker.
    pub speaker: speaker::Speaker,
    /// Sentence of its first and last word.
    pub sentences: (usize, usize),
    /// Paragraph it ends in; runs over a paragraph break without a closing mark.
    pub open_ended: bool,
    /// The rest of the report just before it, after the cue that splits them ("…, according
    /// to X, …").
    pub joins_previous: bool,
}

/// Finds the quotes of a text whose words and actors are known, each with the confidence
/// of its attribution when the confidence model is present.
pub fn find_quotes(
    ws: &Words,
    seg: &Segmentation,
    ents: &Entities,
    actors: &[Actor],
    index: &[Option<usize>],
) -> Vec<Quote> {
    let model = confidence::default_model();
    find_quotes_with_signals(ws, seg, ents, actors, index)
        .into_iter()
        .map(|(mut q, s)| {
            if let Some(m) = &model {
                let p = m.model.probability(&s);
                q.confidence = Some(confidence::round3(p));
                if p < UNCERTAIN_BELOW && q.speaker.is_some() {
                    q.resolution = format!("uncertain ({:.0}%): {}", p * 100.0, q.resolution);
                }
            }
            q
        })
        .collect()
}

/// Below this confidence a quote's resolution starts with "uncertain", and the reports
/// mark its speaker as uncertain.
pub const UNCERTAIN_BELOW: f64 = 0.5;

/// [`find_quotes`] without the confidence model: every quote with the signals of how its
/// speaker was found ([`confidence::Signals`]), for training and scoring that model.
pub fn find_quotes_with_signals(
    ws: &Words,
    seg: &Segmentation,
    ents: &Entities,
    actors: &[Actor],
    index: &[Option<usize>],
) -> Vec<(Quote, confidence::Signals)> {
    let outer = speaker::outermost(ents);
    let mut used_cues = std::collections::HashSet::new();
    let mut found = direct::quoted(ws, ents, &outer, &mut used_cues);
    found.extend(reported::reported(
        ws, seg, ents, &outer, &used_cues, &found,
    ));
    found.sort_by_key(|f| (f.start, f.end));
    // Speakers carried over: an unattributed quote continues the speaker of the quote just
    // before it; one running over a paragraph break takes its continuation's speaker.
    let mut how: Vec<Option<String>> = vec![None; found.len()];
    // The first part of the statement each quote continues, when it continues one.
    let mut continues: Vec<Option<usize>> = vec![None; found.len()];
    let quotation = |f: &Found| f.kind != QuoteKind::Indirect;
    for i in 0..found.len() {
        if i > 0 && found[i].joins_previous && found[i - 1].cue == found[i].cue {
            continues[i] = Some(continues[i - 1].unwrap_or(i - 1));
        }
        // "“A,” she said, “B.”": B is framed by the cue that follows A, and continues it.
        if i > 0
            && quotation(&found[i])
            && quotation(&found[i - 1])
            && let Some((c, _)) = found[i - 1].cue
            && ws.words[c].start >= found[i - 1].end
            && (found[i].cue.is_none_or(|(d, _)| d == c))
            && ws.words[c].sent + 1 >= found[i].sentences.0
            && ws.words[c].start < found[i].start
        {
            continues[i] = Some(continues[i - 1].unwrap_or(i - 1));
            if !found[i].speaker.found() && found[i - 1].speaker.found() {
                found[i].speaker = found[i - 1].speaker.clone();
                how[i] = Some("continues the quote before it, where".into());
            }
        }
        if found[i].speaker.found() {
            continue;
        }
        if found[i].open_ended
            && let Some(j) = (i + 1..found.len()).find(|&j| found[j].speaker.found())
            && found[j].sentences.0 <= found[i].sentences.1 + 3
        {
            found[i].speaker = found[j].speaker.clone();
            how[i] = Some("continues in the next paragraph, where".into());
            if j == i + 1 && quotation(&found[i]) && quotation(&found[j]) {
                continues[j] = Some(continues[i].unwrap_or(i));
            }
            continue;
        }
        // The sentence the quote before ends in, or its attribution when that follows.
        let ends = |f: &Found| {
            f.cue
                .map_or(f.sentences.1, |(_, b)| f.sentences.1.max(ws.words[b].sent))
        };
        if let Some(j) = (0..i).rev().find(|&j| found[j].speaker.found())
            && ends(&found[j]) + 1 >= found[i].sentences.0
        {
            found[i].speaker = found[j].speaker.clone();
            how[i] = Some("continues the quote before it, where".into());
            if j + 1 == i && quotation(&found[i]) && quotation(&found[j]) {
                continues[i] = Some(continues[j].unwrap_or(j));
            }
        }
    }
    found
        .iter()
        .zip(how)
        .zip(continues)
        .map(|((f, carried), continues)| {
            let signals = signals_of(ws, ents, actors, index, f, carried.as_deref());
            let (speaker, actor, resolution) =
                speaker::resolve(ws, ents, actors, index, &f.speaker);
            let resolution = match carried {
                Some(c) => format!(
                    "{c} {}",
                    resolution.replacen("named in the sentence", "the speaker is named", 1)
                ),
                None => resolution,
            };
            let text = ws.slice(f.start, f.end);
            let elided = crate::analyse::quote_actor_eval::dataset::has_elision(&text);
            let quote = Quote {
                start: f.start,
                end: f.end,
                text,
                kind: f.kind,
                cue: f.cue.map(|(a, b)| {
                    let (s, e) = (ws.words[a].start, ws.words[b].end);
                    TextSpan {
                        start: s,
                        end: e,
                        text: ws.slice(s, e),
                    }
                }),
                speaker,
                actor,
                resolution,
                elided,
                continues,
                confidence: None,
            };
            (quote, signals)
        })
        .collect()
}

/// The signals of how the speaker of `f` was found.
fn signals_of(
    ws: &Words,
    ents: &Entities,
    actors: &[Actor],
    index: &[Option<usize>],
    f: &Found,
    carried: Option<&str>,
) -> confidence::Signals {
    let w = &ws.words;
    let (qa, qb) = (
        direct::word_at(ws, f.start),
        direct::word_at(ws, f.end).saturating_sub(1),
    );
    let mut s = confidence::Signals {
        kind: Some(f.kind),
        cue: f.cue.is_some(),
        plain_cue: f.cue.is_some_and(|(a, _)| {
            matches!(
                w[a].lower.as_str(),
                "said" | "says" | "say" | "told" | "tells" | "according"
            )
        }),
        carried: match carried {
            Some(c) if c.contains("next paragraph") => 2,
            Some(_) => 1,
            None => 0,
        },
        unnamed: f.speaker.mention.is_none() && f.speaker.words.is_some(),
        words: (qa..=qb.max(qa))
            .filter(|&k| k < w.len() && w[k].is_word())
            .count(),
        people: actors
            .iter()
            .filter(|a| a.kind == crate::analysis::ActorType::Person)
            .count(),
        ..confidence::Signals::default()
    };
    let span = f
        .speaker
        .mention
        .map(|i| (ents.mentions[i].first, ents.mentions[i].last))
        .or(f.speaker.words);
    if let Some((a, b)) = span {
        s.distance = if b < qa { qa - b } else { a.saturating_sub(qb) };
        s.inverted = f.cue.is_some_and(|(c, _)| a > c);
    }
    if let Some(i) = f.speaker.mention {
        let m = &ents.mentions[i];
        s.mention = Some(m.kind);
        s.pronoun_spoke = m.how.contains("the last person who spoke");
        s.pronoun_last_named = m.how.contains("last named person");
        s.actor = index[m.entity].map(|_| ents.entities[m.entity].kind);
    }
    s
}

/// The `quotes` analyser (English). It uses the actors the document's [`DocContext`]
/// recognised, so that every quote's actor id is the id the `actors` array gives the same
/// actor (the recognition runs once for both analysers).
#[derive(Debug, Default, Clone, Copy)]
pub struct QuoteAnalyser;

impl Analyser for QuoteAnalyser {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn languages(&self) -> &[&'static str] {
        &["en"]
    }

    fn models(&self) -> Vec<crate::analysis::ModelInfo> {
        confidence::default_model()
            .map(|m| m.info())
            .into_iter()
            .collect()
    }

    fn analyse(&self, doc: &Document, seg: &Segmentation, out: &mut Analysis) -> Result<(), Error> {
        self.analyse_in(&DocContext::new(doc, seg), out)
    }

    fn analyse_in(&self, cx: &DocContext<'_>, out: &mut Analysis) -> Result<(), Error> {
        let a = cx.actors();
        out.quotes = find_quotes(&a.words, cx.seg, &a.entities, &a.actors, &a.index);
        Ok(())
    }
}
