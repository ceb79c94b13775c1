//! Speaker turns of transcripts: labels, continuation lines, non-transcripts, offsets.

use unspin_segment::{OffsetMap, ParagraphKind, Segmentation, Turn, segment, turns};

/// (speaker, speech) of every turn, sliced from the text by code points.
fn speakers(text: &str) -> Vec<(String, String)> {
    let map = OffsetMap::new(text);
    let seg = segment(text);
    assert_eq!(seg.turns, turns(text), "segment and turns agree");
    seg.turns
        .iter()
        .map(|t| {
            (
                map.slice(text, t.speaker_start, t.speaker_end).to_string(),
                map.slice(text, t.start, t.end).to_string(),
            )
        })
        .collect()
}

fn sentences(text: &str) -> Vec<String> {
    let map = OffsetMap::new(text);
    segment(text)
        .sentences
        .iter()
        .map(|s| map.slice(text, s.start, s.end).to_string())
        .collect()
}

/// The turn holding code point `pos`, if any.
fn turn_at(seg: &Segmentation, pos: usize) -> Option<&Turn> {
    seg.turns.iter().find(|t| t.start <= pos && pos < t.end)
}

const DEBATE: &str = "HOLT: Good evening from Hofstra University in Hempstead, New York.\n\
TRUMP: Our jobs are fleeing the country. We closed up 60,000 factories.\n\
They're going to Mexico.\n\
CLINTON: Well, I think that's just not accurate.\n\
MR. TRUMP: It is accurate.\n\
Q: What about trade?\n";

#[test]
fn labels_start_turns_and_lines_without_one_continue_them() {
    let got = speakers(DEBATE);
    let want = [
        (
            "HOLT",
            "Good evening from Hofstra University in Hempstead, New York.",
        ),
        (
            "TRUMP",
            "Our jobs are fleeing the country. We closed up 60,000 factories.\nThey're going to Mexico.",
        ),
        ("CLINTON", "Well, I think that's just not accurate."),
        ("MR. TRUMP", "It is accurate."),
        ("Q", "What about trade?"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn sentences_start_after_the_label() {
    let got = sentences(DEBATE);
    assert_eq!(
        got,
        [
            "Good evening from Hofstra University in Hempstead, New York.",
            "Our jobs are fleeing the country.",
            "We closed up 60,000 factories.",
            "They're going to Mexico.",
            "Well, I think that's just not accurate.",
            "It is accurate.",
            "What about trade?",
        ]
    );
    // No token is part of a label; every sentence lies in a turn with the right speaker.
    let seg = segment(DEBATE);
    let chars: Vec<char> = DEBATE.chars().collect();
    for t in &seg.turns {
        assert_eq!(chars[t.speaker_end], ':');
        assert!(
            seg.tokens
                .iter()
                .all(|k| k.end <= t.speaker_start || k.start >= t.start)
        );
    }
    let factories = DEBATE.find("We closed").unwrap();
    let turn = turn_at(&seg, factories).unwrap();
    assert_eq!(&DEBATE[turn.speaker_start..turn.speaker_end], "TRUMP");
    // Paragraphs still hold the whole line, label included.
    let map = OffsetMap::new(DEBATE);
    let paras: Vec<(&str, ParagraphKind)> = seg
        .paragraphs
        .iter()
        .map(|p| (map.slice(DEBATE, p.start, p.end), p.kind))
        .collect();
    assert_eq!(
        paras[1].0,
        "TRUMP: Our jobs are fleeing the country. We closed up 60,000 factories."
    );
    assert!(
        paras.iter().all(|p| p.1 == ParagraphKind::Body),
        "{paras:?}"
    );
}

#[test]
fn short_unlabelled_lines_in_a_turn_are_body_text() {
    // "They're going to Mexico" has no final stop and is followed by body text: outside a
    // transcript it would read as a heading.
    let text = "TRUMP: We closed up 60,000 factories.\nThey're going to Mexico\n\
CLINTON: That is not accurate.\nTRUMP: It is.\n";
    let seg = segment(text);
    assert_eq!(seg.paragraphs.len(), 4);
    assert!(seg.paragraphs.iter().all(|p| p.kind == ParagraphKind::Body));
    // A first line "TRUMP: Thank you" is not a title either.
    let text = "TRUMP: Thank you\nCLINTON: Thank you, Lester.\nHOLT: Let us begin.\n";
    assert!(
        segment(text)
            .paragraphs
            .iter()
            .all(|p| p.kind == ParagraphKind::Body)
    );
}

#[test]
fn hard_wrapped_speech_stays_one_paragraph() {
    let text = "HOLT: Tonight the candidates will answer questions about the economy,\n\
about security, and about the direction of the country.\n\
TRUMP: Thank you, Lester.\n\
CLINTON: Thank you.\n";
    let seg = segment(text);
    assert_eq!(seg.paragraphs.len(), 3, "{:?}", seg.paragraphs);
    assert_eq!(
        sentences(text)[0],
        "Tonight the candidates will answer questions about the economy,\nabout security, and about the direction of the country."
    );
}

#[test]
fn three_labelled_lines_are_needed() {
    let two = "TRUMP: Our jobs are fleeing the country.\nCLINTON: That is not accurate.\n";
    assert!(segment(two).turns.is_empty());
    assert_eq!(
        sentences(two)[0],
        "TRUMP: Our jobs are fleeing the country."
    );
    // One speaker speaking three times is a transcript (a speech with applause lines).
    let three = "TRUMP: Thank you.\n(APPLAUSE)\nTRUMP: Thank you very much.\nTRUMP: We will win.\n";
    let got = speakers(three);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].1, "Thank you.\n(APPLAUSE)");
}

#[test]
fn an_article_with_a_note_or_an_update_line_is_not_a_transcript() {
    let article = "Ferry deal signed\n\
NOTE: This story has been updated.\n\
The council signed the ferry contract on Monday after a year of talks.\n\
UPDATE: The mayor resigned on Tuesday.\n\
EDITOR'S NOTE: An earlier version misspelled the operator's name.\n\
READ MORE: Council approves budget\n\
The operator said the boats would run from May.\n";
    let seg = segment(article);
    assert!(seg.turns.is_empty());
    assert!(sentences(article).contains(&"NOTE: This story has been updated.".to_string()));
    // A dateline-style upper-case label once, in an article, changes nothing either.
    let dateline = "WASHINGTON: The Senate passed the bill on Friday.\nIt now goes to the House.\n";
    assert!(segment(dateline).turns.is_empty());
    assert_eq!(
        sentences(dateline)[0],
        "WASHINGTON: The Senate passed the bill on Friday."
    );
}

#[test]
fn a_note_inside_a_transcript_ends_the_turn() {
    let text =
        "HOLT: Welcome.\nTRUMP: Thank you.\nNOTE: The audio dropped here.\nCLINTON: Thanks.\n";
    let got = speakers(text);
    assert_eq!(
        got.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["HOLT", "TRUMP", "CLINTON"]
    );
    assert_eq!(got[1].1, "Thank you.");
    assert!(sentences(text).contains(&"NOTE: The audio dropped here.".to_string()));
}

#[test]
fn mixed_case_labels_need_a_real_exchange() {
    let interview = "Lester Holt: Good evening.\nDonald Trump: Thank you, Lester.\n\
Lester Holt: Let us start with jobs.\nHillary Clinton: Thank you.\n";
    let got = speakers(interview);
    assert_eq!(
        got.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        [
            "Lester Holt",
            "Donald Trump",
            "Lester Holt",
            "Hillary Clinton"
        ]
    );
    // A review's "Price: … / Pros: … / Cons: …" lines: no speaker speaks twice.
    let review = "Price: $200 at most shops.\nBattery Life: Two days.\nBuild Quality: Solid.\n\
Screen: Bright and sharp.\n";
    assert!(segment(review).turns.is_empty());
    // Three labels by one mixed-case "speaker" are not an exchange either, and non-speaker
    // labels never count.
    let tips = "Chef Anna: Save the stock.\nChef Anna: Salt late.\nChef Anna: Rest the meat.\n";
    assert!(segment(tips).turns.is_empty());
    let notes = "Editor's Note: One.\nRead More: Two.\nEditor's Note: Three.\nRead More: Four.\n";
    assert!(segment(notes).turns.is_empty());
}

#[test]
fn offsets_are_code_points_in_non_ascii_text() {
    let text = "Débat — « transcription »\n\
MÉLENCHON: Les salaires ont baissé de 3 % en 2023.\n\
LE PEN: C’est faux, ça n’a pas baissé.\n\
MÉLENCHON: Si. Les chiffres de l’Insee 🇫🇷 le montrent.\n\
ЖИРИНОВСКИЙ: Да.\n";
    let seg = segment(text);
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    let got: Vec<(String, String)> = seg
        .turns
        .iter()
        .map(|t| (slice(t.speaker_start, t.speaker_end), slice(t.start, t.end)))
        .collect();
    assert_eq!(
        got,
        [
            (
                "MÉLENCHON".to_string(),
                "Les salaires ont baissé de 3 % en 2023.".to_string()
            ),
            (
                "LE PEN".to_string(),
                "C’est faux, ça n’a pas baissé.".to_string()
            ),
            (
                "MÉLENCHON".to_string(),
                "Si. Les chiffres de l’Insee 🇫🇷 le montrent.".to_string()
            ),
            ("ЖИРИНОВСКИЙ".to_string(), "Да.".to_string()),
        ]
    );
    let sents: Vec<String> = seg
        .sentences
        .iter()
        .map(|s| slice(s.start, s.end))
        .collect();
    assert_eq!(sents[1], "Les salaires ont baissé de 3 % en 2023.");
    assert_eq!(sents[3], "Si.");
    assert!(sents.iter().all(|s| !s.contains(':')));
}

#[test]
fn the_json_of_a_non_transcript_has_no_turns_field() {
    let seg = segment("A plain sentence. Another one.");
    let json = serde_json::to_string(&seg).unwrap();
    assert!(!json.contains("turns"), "{json}");
    let back: Segmentation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, seg);
    let seg = segment(DEBATE);
    let json = serde_json::to_string(&seg).unwrap();
    assert!(json.contains("\"turns\":[{\"start\":6,"), "{json}");
    assert_eq!(serde_json::from_str::<Segmentation>(&json).unwrap(), seg);
}

/// A CheckThat! debate rebuilt as "SPEAKER: text" lines, one line per sentence with the
/// label only where the speaker changes: the text and each sentence's (speaker, start, end).
fn rebuild(debate: &serde_json::Value) -> (String, Vec<(String, usize, usize)>) {
    let mut text = String::new();
    let mut spans: Vec<(String, usize, usize)> = Vec::new();
    let mut prev: Option<&str> = None;
    let mut chars = 0usize;
    for s in debate["sentences"].as_array().unwrap() {
        let speaker = s["speaker"].as_str().unwrap_or("");
        let said = s["text"].as_str().unwrap_or("").trim();
        if said.is_empty() {
            continue;
        }
        if prev != Some(speaker) {
            let label = format!("{speaker}: ");
            chars += label.chars().count();
            text.push_str(&label);
        }
        prev = Some(speaker);
        spans.push((speaker.to_string(), chars, chars + said.chars().count()));
        text.push_str(said);
        text.push('\n');
        chars += said.chars().count() + 1;
    }
    (text, spans)
}

/// Share of the sentences lying in a detected turn of their speaker.
fn speaker_share(text: &str, seg: &Segmentation, spans: &[(String, usize, usize)]) -> f64 {
    let map = OffsetMap::new(text);
    let right = spans
        .iter()
        .filter(|(speaker, s, e)| {
            turn_at(seg, *s).is_some_and(|t| {
                t.end >= *e && map.slice(text, t.speaker_start, t.speaker_end) == speaker
            })
        })
        .count();
    right as f64 / spans.len().max(1) as f64
}

/// CheckThat! 2019 debates (`{"id", "sentences": [{"speaker", "text", …}]}`, one per line):
/// the first debate, rebuilt as "SPEAKER: text" lines, must give at least 95 % of its
/// sentences their speaker. The shares of the other debates are printed.
#[test]
fn checkthat_debate_speakers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/claims-dev/checkthat/ct19-train.jsonl"
    );
    let Ok(data) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found (the shared CheckThat! data is absent)");
        return;
    };
    for (k, line) in data.lines().enumerate() {
        let debate: serde_json::Value = serde_json::from_str(line).unwrap();
        let (text, spans) = rebuild(&debate);
        let seg = segment(&text);
        let share = speaker_share(&text, &seg, &spans);
        eprintln!(
            "{}: {} sentences, {} turns; {share:.3} in a turn of their speaker",
            debate["id"],
            spans.len(),
            seg.turns.len()
        );
        if k > 0 {
            continue;
        }
        assert!(
            share >= 0.95,
            "only {share:.3} of the sentences have their speaker"
        );
        // No sentence at a line start starts with a label (of 1–4 words: the data holds one
        // "speaker" that is a sentence run into the name, as the debate's published
        // transcript has it, which puts that name's label mid-line).
        let mut labels: Vec<String> = spans
            .iter()
            .filter(|(sp, _, _)| (1..=4).contains(&sp.split_whitespace().count()))
            .map(|(sp, _, _)| format!("{sp}: "))
            .collect();
        labels.sort();
        labels.dedup();
        let map = OffsetMap::new(&text);
        let chars: Vec<char> = text.chars().collect();
        for s in &seg.sentences {
            if s.start > 0 && chars[s.start - 1] != '\n' {
                continue;
            }
            let t = map.slice(&text, s.start, s.end);
            assert!(!labels.iter().any(|l| t.starts_with(l.as_str())), "{t}");
        }
    }
}
