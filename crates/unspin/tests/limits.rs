//! The documented caps (`unspin::limits`, docs/limits.md) hold at cap + 1: input size, HTML
//! depth, sentence length and spans per layer.

use unspin::extract::ExtractOptions;
use unspin::ingest::{Format, IngestError, IngestOptions, RawDocument};
use unspin::limits::{
    Limits, MAX_HTML_DEPTH, MAX_INPUT_BYTES, MAX_SENTENCE_CHARS, MAX_SPANS_PER_LAYER,
};
use unspin::{Analysis, Document, Options, Pipeline};

/// A report of many checkable, attributed statements about a few people.
fn busy_text() -> String {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "Officials said on Monday that {} people had died in the floods in Valencia, the worst since 1957. \
             \"This is a catastrophe,\" the mayor, Anna Berg, told reporters. \
             The shameful delay will cost the town {} million euros, critics claim.\n\n",
            10 + i,
            4 + i
        ));
    }
    text
}

fn analyse(text: &str, limits: Limits) -> Analysis {
    let pipeline = Pipeline::new(Options {
        limits,
        ..Options::default()
    })
    .expect("default pipeline");
    pipeline
        .analyze(&Document::from_text(text.to_owned()))
        .expect("an analysis")
}

fn mentions(a: &Analysis) -> usize {
    a.actors.iter().map(|x| x.mentions.len()).sum()
}

#[test]
fn the_documented_defaults_are_the_ones_in_force() {
    assert_eq!(IngestOptions::default().max_bytes, MAX_INPUT_BYTES);
    assert_eq!(ExtractOptions::default().max_depth, MAX_HTML_DEPTH);
    assert_eq!(Limits::default().max_spans, MAX_SPANS_PER_LAYER);
    assert_eq!(MAX_SENTENCE_CHARS, unspin::segment::MAX_SENTENCE_CHARS);
}

#[test]
fn spans_per_layer_at_the_cap_and_one_past_it() {
    let text = busy_text();
    let full = analyse(&text, Limits::default());
    let claims = full.claims.len();
    assert!(claims >= 40, "{claims} claims");
    assert!(full.warnings.is_empty(), "{:?}", full.warnings);
    // At the cap: nothing cut.
    let at = analyse(
        &text,
        Limits {
            max_spans: claims
                .max(full.quotes.len())
                .max(full.techniques.len())
                .max(mentions(&full)),
        },
    );
    assert_eq!(at.claims, full.claims);
    assert!(at.warnings.is_empty(), "{:?}", at.warnings);
    // One span over: the claims layer keeps the first `cap`, in text order, and says so.
    let cap = claims - 1;
    let cut = analyse(&text, Limits { max_spans: cap });
    assert_eq!(cut.claims.len(), cap);
    assert_eq!(cut.claims[..], full.claims[..cap]);
    assert!(
        cut.warnings.iter().any(
            |w| w.contains(&format!("claims layer found {claims} spans"))
                && w.contains(&format!("limit of {cap}"))
        ),
        "{:?}",
        cut.warnings
    );
    // Every layer over the cap is cut and named; what is kept still refers to what exists.
    for (layer, found, kept) in [
        ("techniques", full.techniques.len(), cut.techniques.len()),
        ("quotes", full.quotes.len(), cut.quotes.len()),
    ] {
        if found > cap {
            assert_eq!(kept, cap, "{layer}");
            assert!(
                cut.warnings
                    .iter()
                    .any(|w| w.contains(&format!("the {layer} layer")))
            );
        } else {
            assert_eq!(kept, found, "{layer}");
        }
    }
    if mentions(&full) > cap {
        assert!(mentions(&cut) <= cap + cut.actors.len());
        assert!(cut.actors.iter().all(|a| !a.mentions.is_empty()));
    }
    for (i, q) in cut.quotes.iter().enumerate() {
        assert!(q.continues.is_none_or(|c| c < i));
    }
    let ids: Vec<&str> = cut.actors.iter().map(|a| a.id.as_str()).collect();
    for q in &cut.quotes {
        if let Some(actor) = &q.actor {
            assert!(ids.contains(&actor.id.as_str()));
        }
    }
    for c in &cut.claims {
        assert!(c.actors.iter().all(|id| ids.contains(&id.as_str())));
    }
}

#[test]
fn a_text_without_sentence_ends_gives_sentences_within_the_cap() {
    let text = "word ".repeat(3 * MAX_SENTENCE_CHARS / 5);
    let a = analyse(&text, Limits::default());
    assert!(a.sentences.len() >= 2);
    assert!(
        a.sentences
            .iter()
            .all(|s| s.end - s.start <= MAX_SENTENCE_CHARS)
    );
}

#[test]
fn html_one_level_past_the_depth_cap_keeps_its_text() {
    for depth in [MAX_HTML_DEPTH, MAX_HTML_DEPTH + 1] {
        let html = format!(
            "<html><body>{}<p>The deepest paragraph holds the article's only sentence, and it is long enough to be the main text of the page.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let pipeline = Pipeline::default();
        let doc = pipeline
            .document(RawDocument::given("deep.html", html, Format::Html))
            .expect("a document");
        assert!(
            doc.text().contains("The deepest paragraph holds"),
            "depth {depth}: {}",
            doc.text()
        );
    }
}

#[test]
fn a_given_text_at_the_size_cap_passes_and_one_byte_more_is_refused() {
    let text = "a".repeat(1000);
    assert!(RawDocument::given_within("t", text.clone(), Format::Text, 1000).is_ok());
    let err = RawDocument::given_within("t", format!("{text}é"), Format::Text, 1001)
        .expect_err("1,002 bytes over a 1,001-byte cap");
    assert!(matches!(
        err,
        IngestError::TooLarge {
            size: Some(1002),
            limit: 1001,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "t: too large: 1002 bytes, over the limit of 1001 bytes"
    );
}
