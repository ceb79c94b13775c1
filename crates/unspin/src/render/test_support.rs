//! Analyses the renderer tests run on: the seed article (read from ../shared at test time)
//! and an original text mixing emoji, Cyrillic and Chinese with hand-placed highlights.

use std::path::Path;

use crate::analysis::{Analysis, Technique, TechniqueSpan};
use crate::document::Document;

/// The seed article analysed with the shipped model, or `None` (with a message) when the
/// shared data or the model is absent.
pub fn seed() -> Option<Analysis> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/examples/victory-plan-rt.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    };
    let mut doc = Document::from_text(text);
    doc.source.input = path.display().to_string();
    let a = crate::analyze(&doc).expect("the seed article analyses");
    if a.techniques.is_empty() {
        eprintln!("skipped: the techniques model is absent, so the seed has no highlights");
        return None;
    }
    Some(a)
}

/// The original mixed-script text.
pub const MIXED: &str = "Brave officials 😀 promised a glorious future for everyone.\n\n\
Привет мир, said the visitor from Novosibirsk, and 中文 signs greeted her at the <b>station</b> & \"square\".\n\n\
This disastrous, shameful plan will destroy our great nation 🇺🇦 forever, critics warned.";

/// The mixed text analysed by the real pipeline, plus highlights placed by hand (found by
/// their text, so that the offsets are real code points): disjoint, nested, crossing,
/// starting and ending on emoji, in Cyrillic and in Chinese.
pub fn mixed() -> Analysis {
    let mut a = crate::analyze(&Document::from_text(MIXED)).expect("the mixed text analyses");
    let extra = [
        ("😀 promised a glorious", Technique::LoadedLanguage),
        ("glorious future for everyone", Technique::Slogans),
        ("Привет мир", Technique::FlagWaving),
        ("中文 signs", Technique::Doubt),
        ("<b>station</b> & \"square\"", Technique::Repetition),
        ("disastrous, shameful plan", Technique::NameCallingLabeling),
        ("shameful", Technique::LoadedLanguage),
        ("nation 🇺🇦", Technique::BandwagonReductioAdHitlerum),
    ];
    for (i, (needle, technique)) in extra.into_iter().enumerate() {
        let byte = MIXED.find(needle).expect("the needle is in the text");
        let start = MIXED[..byte].chars().count();
        a.techniques.push(TechniqueSpan {
            start,
            end: start + needle.chars().count(),
            text: needle.to_owned(),
            technique,
            confidence: 0.1 + 0.05 * i as f32,
            explanation: format!("Placed by the test <{i}> & \"quoted\"."),
            reliable: i % 2 == 0,
        });
    }
    a.techniques.sort_by_key(|t| (t.start, t.end, t.technique));
    a
}

/// The mixed text with its first sentence marked likely persuasive, the second scored but
/// not marked, and the rest without the layer.
pub fn mixed_with_sentence_layer() -> Analysis {
    use crate::analysis::{LikelyTechnique, SentencePersuasion};
    let mut a = mixed();
    assert!(a.sentences.len() >= 3);
    // The shipped model scores every sentence; start from none.
    for s in &mut a.sentences {
        s.persuasion = None;
    }
    a.sentences[0].persuasion = Some(SentencePersuasion {
        probability: 0.72,
        persuasive: true,
        techniques: vec![
            LikelyTechnique {
                technique: crate::analysis::Technique::LoadedLanguage,
                probability: 0.41,
            },
            LikelyTechnique {
                technique: crate::analysis::Technique::Doubt,
                probability: 0.18,
            },
        ],
    });
    a.sentences[1].persuasion = Some(SentencePersuasion {
        probability: 0.2,
        persuasive: false,
        techniques: Vec::new(),
    });
    a
}
