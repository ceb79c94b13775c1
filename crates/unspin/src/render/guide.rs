//! What a reader needs to know about each technique: a short code, a plain-language
//! definition, an example written for this guide (not taken from any corpus) and the
//! colour and line style that mark it in reports.

use crate::analyse::techniques::detector::display_name;
use crate::analysis::Technique;

/// How one technique is explained and drawn in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TechniqueGuide {
    /// The technique.
    pub technique: Technique,
    /// Two-letter code printed beside each highlight (a cue that needs no colour).
    pub code: &'static str,
    /// Reader-facing name, e.g. "loaded language".
    pub name: &'static str,
    /// What the technique is, in one or two plain sentences.
    pub definition: &'static str,
    /// An invented sentence that uses the technique.
    pub example: &'static str,
    /// Highlight colour from the Okabe–Ito palette (safe for colour-blind readers), `#rrggbb`.
    pub colour: &'static str,
    /// True when the highlight's underline is dashed rather than solid, so that two
    /// techniques sharing a colour still look different.
    pub dashed: bool,
}

/// The seven Okabe–Ito colours that show on a white page (black is left out).
const OKABE_ITO: [&str; 7] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
];

/// Codes, definitions and examples, indexed like [`Technique::ALL`].
const TEXTS: [(&str, &str, &str); 14] = [
    (
        "LL",
        "Words picked for the feelings they stir rather than for what they say, so that the \
         reader reacts before thinking.",
        "The council's reckless, job-killing budget will gut every neighbourhood in town.",
    ),
    (
        "NC",
        "Pinning a label on a person or group that the audience is meant to fear, despise or \
         admire, instead of making an argument about them.",
        "The mayor's cronies in the so-called reform caucus pushed the vote through at midnight.",
    ),
    (
        "RE",
        "Saying the same word, phrase or message again and again until it sticks and starts \
         to feel true.",
        "It is a bad deal. A bad deal for drivers, a bad deal for shops, a bad deal for all of us.",
    ),
    (
        "DO",
        "Casting doubt on someone's honesty or competence, often with a question and without \
         evidence.",
        "Can we really trust flood maps from an office that could not even count its own staff?",
    ),
    (
        "EM",
        "Making something look far bigger, better or worse than it is, or brushing a serious \
         matter aside as trivial.",
        "The new parking rules are the greatest threat this town has ever faced.",
    ),
    (
        "FE",
        "Winning support by making the audience afraid of the alternative, or by playing on \
         prejudice against a group.",
        "If the bridge is not rebuilt this year, it is our children who will pay for it.",
    ),
    (
        "FW",
        "Justifying an idea by appealing to patriotism or pride in a group, as if backing it \
         were what any loyal member does.",
        "Every true patriot knows that buying home-grown apples is a duty to the nation.",
    ),
    (
        "CO",
        "Pinning a complicated outcome on one single cause.",
        "Bus fares went up for one reason and one reason only: the new transport minister.",
    ),
    (
        "AA",
        "Saying a claim is true because an authority or expert says so, without other \
         support.",
        "A Nobel laureate has praised the scheme, so there is nothing left to debate.",
    ),
    (
        "SL",
        "A short, catchy phrase that packs an argument into a line that is easy to repeat.",
        "Clean streets, safe streets!",
    ),
    (
        "BW",
        "Presenting two options as the only ones possible when there are more.",
        "You either back the new stadium or you simply do not care about this city.",
    ),
    (
        "WH",
        "Dodging criticism by pointing at someone else's faults (whataboutism), twisting the \
         other side's position (straw man) or changing the subject (red herring).",
        "Why complain about our river pollution when the next county dumps twice as much?",
    ),
    (
        "TC",
        "A stock phrase that shuts a discussion down instead of answering the question.",
        "It is what it is, and that is all there is to say about the closures.",
    ),
    (
        "BH",
        "Urging people to join in because everyone else does (bandwagon), or rejecting an \
         idea because a hated group supports it (reductio ad hitlerum).",
        "Thousands of families have already switched to the new plan; why haven't you?",
    ),
];

/// The guide entry of a technique.
pub fn guide(technique: Technique) -> TechniqueGuide {
    let i = index(technique);
    let (code, definition, example) = TEXTS[i];
    TechniqueGuide {
        technique,
        code,
        name: display_name(technique),
        definition,
        example,
        colour: OKABE_ITO[i % OKABE_ITO.len()],
        dashed: i >= OKABE_ITO.len(),
    }
}

/// What a technique is, in one or two plain sentences (the guide's definition, also quoted
/// in every highlight's explanation).
pub fn definition(technique: Technique) -> &'static str {
    TEXTS[index(technique)].1
}

/// Position of a technique in [`Technique::ALL`] (also its CSS class number `t<i>`).
pub fn index(technique: Technique) -> usize {
    Technique::ALL
        .iter()
        .position(|&t| t == technique)
        .expect("Technique::ALL lists every technique")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_technique_has_a_distinct_code_and_look() {
        let codes: HashSet<_> = Technique::ALL.iter().map(|&t| guide(t).code).collect();
        assert_eq!(codes.len(), 14);
        let looks: HashSet<_> = Technique::ALL
            .iter()
            .map(|&t| (guide(t).colour, guide(t).dashed))
            .collect();
        assert_eq!(looks.len(), 14);
        for t in Technique::ALL {
            let g = guide(t);
            assert!(g.definition.len() > 30 && g.example.len() > 10, "{t}");
        }
    }
}
