//! The library pipeline: offsets stay exact through every stage, on any text.

use proptest::prelude::*;
use unspin::{AnalyserStatus, Document, analyze};

/// Slices by code points.
fn cp(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn check(text: &str) {
    let doc = Document::from_text(text);
    let Ok(a) = analyze(&doc) else {
        assert!(text.trim().is_empty(), "only blank text may fail");
        return;
    };
    assert_eq!(a.text, text);
    let n = text.chars().count();
    let mut prev_end = 0;
    for p in &a.paragraphs {
        assert!(p.start < p.end && p.end <= n);
        assert!(p.start >= prev_end, "paragraphs overlap");
        prev_end = p.end;
        assert_eq!(cp(text, p.start, p.end), p.text);
    }
    let mut prev_end = 0;
    for s in &a.sentences {
        let p = &a.paragraphs[s.paragraph];
        assert!(
            p.start <= s.start && s.end <= p.end,
            "sentence outside its paragraph"
        );
        assert!(s.start < s.end && s.start >= prev_end, "sentences overlap");
        prev_end = s.end;
        assert_eq!(cp(text, s.start, s.end), s.text);
    }
    assert_eq!(a.analysers.len(), 4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_unicode_text_gives_exact_spans(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn article_like_text_gives_exact_spans(
        lines in prop::collection::vec(
            prop::sample::select(vec![
                "The U.S. Army said on Jan. 5 that 3.5% of troops left.",
                "“It is over,” he said. “We lost.”",
                "Point one: NATO membership",
                "Mr. Smith — the minister — resigned… Why?!",
                "Путин заявил, что переговоры возможны.",
                "كتب الصحفي مقالة طويلة.",
                "- a list item",
                "",
                "  ",
                "\u{feff}",
                "👍🏽 emoji 🇺🇦 flags",
                "e\u{301}te\u{301} combining",
            ]),
            0..20,
        )
    ) {
        check(&lines.join("\n"));
        check(&lines.join("\r\n"));
    }
}

#[test]
fn text_metadata_lines_fill_the_source_but_stay_in_the_text() {
    let text = "A headline without a full stop\nFirst paragraph of the story.\nSecond one.\nhttps://news.example/story/1\n";
    let doc = Document::from_text(text);
    assert_eq!(doc.text(), text);
    assert_eq!(
        doc.source.title.as_deref(),
        Some("A headline without a full stop")
    );
    assert_eq!(
        doc.source.url.as_deref(),
        Some("https://news.example/story/1")
    );
    // A one-line text has no title line.
    let doc = Document::from_text("Just one sentence here.");
    assert_eq!(doc.source.title, None);
}

#[test]
fn analysers_absent_from_the_build_are_reported_unavailable() {
    let a = analyze(&Document::from_text("The bridge reopened on Monday.")).unwrap();
    let names: Vec<&str> = a.analysers.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["techniques", "quotes", "actors", "claims"]);
    for r in &a.analysers {
        if r.status == AnalyserStatus::Unavailable {
            assert!(r.reason.as_deref().is_some_and(|s| s.contains(&r.name)));
        }
    }
}

/// An analyser that marks every sentence, used to check the language gate.
struct EnglishOnly;

impl unspin::analyse::Analyser for EnglishOnly {
    fn name(&self) -> &'static str {
        "claims"
    }
    fn languages(&self) -> &[&'static str] {
        &["en"]
    }
    fn analyse(
        &self,
        doc: &Document,
        seg: &unspin::segment::Segmentation,
        out: &mut unspin::Analysis,
    ) -> Result<(), unspin::Error> {
        for s in &seg.sentences {
            let span = doc.span(s.start, s.end);
            out.claims.push(unspin::Claim {
                start: span.start,
                end: span.end,
                text: span.text,
                score: 0.5,
                kind: unspin::ClaimKind::Event,
                actors: Vec::new(),
                numbers: Vec::new(),
                reason: "every sentence".into(),
                speaker: None,
                speaker_actor: None,
            });
        }
        Ok(())
    }
}

#[test]
fn analysers_are_skipped_with_a_reason_on_other_languages() {
    let pipeline = unspin::Pipeline::default().with_analyser(Box::new(EnglishOnly));
    let en = pipeline
        .analyze(&Document::from_text(
            "The council approved the budget on Tuesday. The vote was close.",
        ))
        .unwrap();
    assert_eq!(en.claims.len(), 2);
    let report = en.analysers.iter().find(|r| r.name == "claims").unwrap();
    assert_eq!(report.status, AnalyserStatus::Ran);

    let ru = pipeline
        .analyze(&Document::from_text(
            "Совет утвердил бюджет во вторник. Голосование было напряжённым, но закон приняли.",
        ))
        .unwrap();
    assert!(ru.claims.is_empty());
    let report = ru.analysers.iter().find(|r| r.name == "claims").unwrap();
    assert_eq!(report.status, AnalyserStatus::Skipped);
    let reason = report.reason.as_deref().unwrap();
    assert!(reason.contains("'ru'") && reason.contains("en"), "{reason}");
}

/// The HTML report of a pipeline's analyses shows the reliability of the model that
/// pipeline loaded; a pipeline whose techniques analyser was replaced has none to show.
#[test]
fn the_pipeline_knows_its_techniques_models_reliability() {
    let pipeline = unspin::Pipeline::default();
    let Some(r) = pipeline.technique_reliability() else {
        eprintln!("skipped: the shipped techniques model is not found");
        return;
    };
    assert_eq!(r.len(), unspin::Technique::ALL.len());
    assert!(r.iter().any(|t| t.support > 0 && t.f1 > 0.0));
    let replaced = pipeline.with_analyser(Box::new(Techniqueless));
    assert!(replaced.technique_reliability().is_none());
}

/// A techniques analyser that finds nothing.
struct Techniqueless;

impl unspin::analyse::Analyser for Techniqueless {
    fn name(&self) -> &'static str {
        "techniques"
    }
    fn languages(&self) -> &[&'static str] {
        &["en"]
    }
    fn analyse(
        &self,
        _: &Document,
        _: &unspin::segment::Segmentation,
        _: &mut unspin::Analysis,
    ) -> Result<(), unspin::Error> {
        Ok(())
    }
}
