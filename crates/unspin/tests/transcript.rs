//! A debate transcript ("SPEAKER: …" lines) analysed end to end: sentences start after the
//! labels, claims carry their speaker (and the actor the speaker is), the reports show it,
//! and an article that is not a transcript has no speakers.

use unspin::render::{Html, Render, Text};
use unspin::{Analysis, Document};

/// A transcript written for this test (not a real debate's words beyond the brief's lines),
/// long enough to be detected as English.
const DEBATE: &str = "First presidential debate, partial transcript\n\
HOLT: Good evening from Hofstra University in Hempstead, New York. I'm Lester Holt, and \
tonight Hillary Clinton and Donald Trump will answer questions about the economy, trade and \
security.\n\
TRUMP: Our jobs are fleeing the country. We closed up 60,000 factories.\n\
They're going to Mexico. They're going to many other countries.\n\
CLINTON: Well, I think that's just not accurate. The economy added 15 million private-sector \
jobs after the recession, and the unemployment rate fell to 4.9 percent last year.\n\
MR. TRUMP: Ford announced in 2016 that it would move its small-car production to Mexico.\n\
Q: Secretary Clinton, what would you do about trade with China?\n\
CLINTON: I voted against the only multinational trade agreement that came before the Senate \
while I was there, and I will appoint a trade prosecutor.\n\
HOLT: Mr. Trump, the Federal Reserve raised interest rates in December 2015 for the first \
time in nearly a decade.\n";

/// The labels the transcript uses, with their colon and space.
const LABELS: &[&str] = &["HOLT: ", "TRUMP: ", "CLINTON: ", "MR. TRUMP: ", "Q: "];

fn analyse(text: &str) -> Analysis {
    let doc = Document::from_text(text);
    unspin::analyze(&doc).expect("analysis")
}

/// The speaker label of the line holding code point `pos`, found the obvious way:
/// the last line at or before it that starts with a label.
fn label_of_line(text: &str, pos: usize) -> Option<&'static str> {
    let before: String = text.chars().take(pos).collect();
    before.lines().rev().find_map(|line| {
        LABELS
            .iter()
            .find(|l| line.starts_with(*l))
            .map(|l| l.trim_end_matches(": ").trim_end())
    })
}

#[test]
fn claims_in_a_transcript_carry_their_speaker() {
    let a = analyse(DEBATE);
    assert_eq!(a.source.language, "en", "the transcript reads as English");
    assert_eq!(a.schema_version, "1.3");
    let claims_ran = a
        .analysers
        .iter()
        .any(|r| r.name == "claims" && r.status == unspin::AnalyserStatus::Ran);
    assert!(claims_ran, "{:?}", a.analysers);

    let factories = a
        .claims
        .iter()
        .find(|c| c.text.contains("We closed up 60,000 factories"))
        .unwrap_or_else(|| panic!("no factories claim in {:#?}", a.claims));
    assert_eq!(factories.speaker.as_deref(), Some("TRUMP"));
    // The speaker is linked to the actor the transcript names.
    let trump = a
        .actors
        .iter()
        .find(|x| x.name.contains("Trump"))
        .expect("an actor for Donald Trump");
    assert_eq!(factories.speaker_actor.as_deref(), Some(trump.id.as_str()));

    // Every claim has the speaker of its line; the label as written ("MR. TRUMP").
    for c in &a.claims {
        let want = label_of_line(DEBATE, c.start);
        assert_eq!(c.speaker.as_deref(), want, "{}", c.text);
    }
    let ford = a.claims.iter().find(|c| c.text.contains("Ford"));
    assert_eq!(
        ford.and_then(|c| c.speaker.as_deref()),
        Some("MR. TRUMP"),
        "{:#?}",
        a.claims
    );
    // Roles are not linked to an actor.
    for c in a
        .claims
        .iter()
        .filter(|c| c.speaker.as_deref() == Some("Q"))
    {
        assert_eq!(c.speaker_actor, None);
    }
}

#[test]
fn no_sentence_claim_or_highlight_starts_with_a_label() {
    let a = analyse(DEBATE);
    let starts_with_label = |t: &str| LABELS.iter().any(|l| t.starts_with(l));
    for s in &a.sentences {
        assert!(!starts_with_label(&s.text), "sentence {:?}", s.text);
    }
    assert_eq!(
        a.sentences[1].text,
        "Good evening from Hofstra University in Hempstead, New York."
    );
    for c in &a.claims {
        assert!(!starts_with_label(&c.text), "claim {:?}", c.text);
    }
    for t in &a.techniques {
        assert!(!starts_with_label(&t.text), "highlight {:?}", t.text);
    }
    for q in &a.quotes {
        assert!(!starts_with_label(&q.text), "quote {:?}", q.text);
    }
    // The paragraphs still hold the labels: the text is all there.
    assert!(
        a.paragraphs
            .iter()
            .any(|p| p.text.starts_with("TRUMP: Our jobs"))
    );
}

#[test]
fn the_reports_and_the_json_show_the_speaker() {
    let a = analyse(DEBATE);
    let json = serde_json::to_value(&a).unwrap();
    let claims = json["claims"].as_array().unwrap();
    assert!(
        claims
            .iter()
            .any(|c| c["speaker"] == "TRUMP" && c["text"].as_str().unwrap().contains("60,000"))
    );

    // The terminal report lists the top claims, each after its speaker.
    let mut out = Vec::new();
    Text::default().render(&a, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let top = &a.claims[0];
    let first_words: Vec<&str> = top.text.split_whitespace().take(5).collect();
    let shown = format!(
        "{}: {}",
        top.speaker.as_deref().unwrap(),
        first_words.join(" ")
    );
    assert!(flat.contains(&shown), "{shown:?} not in\n{text}");

    let mut out = Vec::new();
    Html::default().render(&a, &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert!(
        html.contains("<span class=\"speaker\">TRUMP:</span> We closed up 60,000 factories"),
        "no speaker in the claims table"
    );
}

#[test]
fn an_article_is_not_a_transcript() {
    let article = "Council signs ferry deal\n\
NOTE: This story has been updated with the operator's response.\n\
The council signed a contract with the ferry operator on Monday after a year of talks, \
agreeing to pay 4.2 million pounds a year for a service to the island until 2030. The \
operator said the new boats would run from May and carry 300 passengers each. Critics on \
the council said the price was too high and that the tender had been rushed through in \
three weeks.\n\
UPDATE: The operator confirmed on Tuesday that the first boat had been delivered.\n";
    let a = analyse(article);
    assert_eq!(a.source.language, "en");
    assert!(!a.claims.is_empty());
    assert!(
        a.claims
            .iter()
            .all(|c| c.speaker.is_none() && c.speaker_actor.is_none())
    );
    let json = serde_json::to_value(&a).unwrap();
    for c in json["claims"].as_array().unwrap() {
        assert!(
            c.get("speaker").is_none() && c.get("speaker_actor").is_none(),
            "{c}"
        );
    }
    assert!(
        a.sentences
            .iter()
            .any(|s| s.text.starts_with("NOTE: This story")),
        "the NOTE line is left as it was"
    );
}
