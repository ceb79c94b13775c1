use scraper::{Html as Doc, Selector};

use super::Html;
use crate::analysis::{Analysis, Technique};
use crate::render::test_support::{mixed, mixed_with_sentence_layer, seed};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

/// Checks the page's structure against the analysis it shows.
fn check_page(a: &Analysis, page: &str) {
    let doc = Doc::parse_document(page);
    // Every highlight's marks hold exactly its text.
    for (i, t) in a.techniques.iter().enumerate() {
        let n = i + 1;
        let pieces: Vec<String> = doc
            .select(&sel(&format!("#article-text mark[data-span=\"{n}\"]")))
            .map(|m| m.text().collect())
            .collect();
        assert!(!pieces.is_empty(), "highlight {n} has a mark");
        // Where a highlight crosses another it is split; joined, its pieces give its text
        // (no highlight of these analyses crosses a paragraph break).
        assert_eq!(pieces.concat(), t.text, "highlight {n}");
        let first = doc
            .select(&sel(&format!("mark[data-span=\"{n}\"][data-first]")))
            .count();
        assert_eq!(first, 1, "highlight {n} has one focusable mark");
        let note = doc
            .select(&sel(&format!("li#hl-{n}")))
            .next()
            .expect("each highlight has its note");
        let note_text: String = note.text().collect();
        assert!(note_text.contains(&t.explanation), "note {n} explains");
    }
    for m in doc.select(&sel("#article-text mark")) {
        let target = m.value().attr("aria-describedby").expect("described");
        assert!(doc.select(&sel(&format!("#{target}"))).next().is_some());
    }
    // The article text is all there, paragraph by paragraph.
    let shown: String = doc
        .select(&sel("#article-text p"))
        .map(|p| p.text().collect::<String>())
        .collect();
    let expected: String = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(shown, expected);
    // The legend explains all 14 techniques.
    assert_eq!(doc.select(&sel("table.legend tbody tr")).count(), 14);
    for t in Technique::ALL {
        assert!(page.contains(t.as_str()), "{t} in the legend");
    }
    assert_eq!(
        doc.select(&sel("table.quotes tbody tr")).count(),
        a.quotes.len()
    );
    assert_eq!(
        doc.select(&sel("table.actors tbody tr")).count(),
        a.actors.len()
    );
    // Claims at or above the report threshold in the claims table, the others folded.
    let shown = a
        .claims
        .iter()
        .filter(|c| c.score >= crate::analyse::claims::REPORT_THRESHOLD)
        .count();
    assert_eq!(doc.select(&sel("table.claims tbody tr")).count(), shown);
    assert_eq!(
        doc.select(&sel("details.statements table tbody tr"))
            .count(),
        a.claims.len() - shown
    );
    assert!(doc.select(&sel("[role=tooltip]")).next().is_some());
    // The chart's table counts every highlight once.
    let counted: usize = doc
        .select(&sel("table.where tbody tr td:nth-child(2)"))
        .map(|td| td.text().collect::<String>().parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, a.techniques.len());
    assert_self_contained(page);
}

/// Nothing in the page is fetched from anywhere.
pub(crate) fn assert_self_contained(page: &str) {
    let lower = page.to_ascii_lowercase();
    for bad in [
        "<script src",
        " src=",
        "<link",
        "url(",
        "@import",
        "<iframe",
        "<img",
    ] {
        assert!(!lower.contains(bad), "the page contains {bad:?}");
    }
}

#[test]
fn seed_report() {
    let Some(a) = seed() else { return };
    let page = Html::default().page(&a);
    check_page(&a, &page);
    // The shipped model's figures are found and weak techniques are labelled.
    assert!(page.contains("F1 0."), "reliability figures shown");
    assert!(page.contains("weak"));
    assert!(page.contains("Zelensky"));
}

#[test]
fn mixed_scripts_emoji_overlaps_and_markup() {
    let a = mixed();
    let page = Html::default().page(&a);
    check_page(&a, &page);
    // The article's markup is text, not tags.
    let doc = Doc::parse_document(&page);
    assert!(doc.select(&sel("#article-text b")).next().is_none());
    assert!(page.contains("&lt;b&gt;station&lt;/b&gt; &amp; &quot;square&quot;"));
    assert!(page.contains("Placed by the test &lt;4&gt; &amp; &quot;quoted&quot;."));
    // The nested highlight sits inside its parent; the crossing one is split in two.
    let shameful = doc
        .select(&sel("#article-text mark"))
        .find(|m| m.text().collect::<String>() == "shameful")
        .expect("a mark holds exactly \"shameful\"");
    let parent = scraper::ElementRef::wrap(shameful.parent().unwrap()).unwrap();
    assert_eq!(parent.value().name(), "mark");
    let slogan = a
        .techniques
        .iter()
        .position(|t| t.technique == Technique::Slogans)
        .unwrap()
        + 1;
    let pieces = doc
        .select(&sel(&format!("mark[data-span=\"{slogan}\"]")))
        .count();
    assert!(
        pieces >= 2,
        "the crossing slogan is split ({pieces} pieces)"
    );
}

#[test]
fn hostile_metadata_is_escaped() {
    let mut a = mixed();
    a.source.title = Some("</title><script>alert(1)</script>".into());
    a.source.url = Some("javascript:alert(2)".into());
    a.source.site = Some("\"><img onerror=x>".into());
    let page = Html::default().page(&a);
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("href=\"javascript"));
    assert!(!page.contains("<img"));
    let doc = Doc::parse_document(&page);
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(h1, "</title><script>alert(1)</script>");
    assert_eq!(doc.select(&sel("script")).count(), 1);
}

#[test]
fn an_analysis_without_highlights_still_reads() {
    let mut a = mixed();
    a.techniques.clear();
    a.paragraphs.clear();
    let page = Html::default().page(&a);
    let doc = Doc::parse_document(&page);
    let shown: String = doc
        .select(&sel("#article-text p"))
        .map(|p| p.text().collect::<String>())
        .collect();
    assert_eq!(shown, a.text);
    assert!(page.contains("No highlights to place."));
    assert_self_contained(&page);
}

#[test]
fn a_highlight_across_paragraphs_is_split_at_the_break() {
    let mut a = mixed();
    a.techniques.clear();
    let text = "everyone.\n\nПривет";
    let byte = a.text.find(text).unwrap();
    let start = a.text[..byte].chars().count();
    a.techniques.push(crate::analysis::TechniqueSpan {
        start,
        end: start + text.chars().count(),
        text: text.to_owned(),
        technique: Technique::Doubt,
        confidence: 0.2,
        explanation: "Crosses a paragraph break.".into(),
        reliable: true,
    });
    let page = Html::default().page(&a);
    let doc = Doc::parse_document(&page);
    let pieces: Vec<String> = doc
        .select(&sel("mark[data-span=\"1\"]"))
        .map(|m| m.text().collect())
        .collect();
    assert_eq!(pieces, ["everyone.", "Привет"]);
    assert_eq!(doc.select(&sel("mark[data-first]")).count(), 1);
    assert_eq!(doc.select(&sel("#article-text mark.end")).count(), 1);
}

#[test]
fn persuasive_sentences_get_a_gutter_mark() {
    let a = mixed_with_sentence_layer();
    let page = Html::default().page(&a);
    check_page(&a, &page);
    let doc = Doc::parse_document(&page);
    // One gutter mark, for the first sentence, focusable, with its text.
    let marks: Vec<_> = doc.select(&sel("#article-text .pmark")).collect();
    assert_eq!(marks.len(), 1);
    let m = marks[0].value();
    assert_eq!(m.attr("data-s"), Some("1"));
    assert_eq!(m.attr("tabindex"), Some("0"));
    let label = "likely persuasive: 72% — loaded language 41%, doubt 18%";
    assert_eq!(m.attr("aria-label"), Some(label));
    assert_eq!(m.attr("title"), Some(label));
    assert_eq!(marks[0].text().count(), 0, "the mark adds no text");
    // The sentence starts where a highlight does: the mark comes before it, in the `<p>`.
    let parent = scraper::ElementRef::wrap(marks[0].parent().unwrap()).unwrap();
    assert_eq!(parent.value().name(), "p");
    // The sentence's pieces give its text; the other sentences have none.
    let pieces: String = doc
        .select(&sel("#article-text .ps[data-s=\"1\"]"))
        .flat_map(|e| e.text())
        .collect();
    assert_eq!(pieces, a.sentences[0].text);
    assert_eq!(
        doc.select(&sel("#article-text .ps")).count(),
        doc.select(&sel("#article-text .ps[data-s=\"1\"]")).count()
    );
    // Legend, count and filter.
    assert!(doc.select(&sel("p.ps-legend")).next().is_some());
    let count: String = doc
        .select(&sel("p.ps-count"))
        .next()
        .expect("the count")
        .text()
        .collect();
    assert_eq!(count.trim(), "1 of 2 sentences likely persuasive");
    assert!(doc.select(&sel("#filters input#show-ps")).next().is_some());
    assert_self_contained(&page);
}

#[test]
fn no_gutter_mark_when_not_persuasive_or_without_the_layer() {
    let mut a = mixed_with_sentence_layer();
    a.sentences[0].persuasion.as_mut().unwrap().persuasive = false;
    let page = Html::default().page(&a);
    check_page(&a, &page);
    let doc = Doc::parse_document(&page);
    for s in [".pmark", ".ps", "p.ps-legend", "#show-ps"] {
        assert!(doc.select(&sel(s)).next().is_none(), "{s}");
    }
    let count: String = doc
        .select(&sel("p.ps-count"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(count.trim(), "0 of 2 sentences likely persuasive");
    for s in &mut a.sentences {
        s.persuasion = None;
    }
    let page = Html::default().page(&a);
    let doc = Doc::parse_document(&page);
    for s in [".pmark", ".ps", "p.ps-legend", "#show-ps", "p.ps-count"] {
        assert!(doc.select(&sel(s)).next().is_none(), "{s}");
    }
}
