//! Loads the PTC training split from the shared data folder (if present) and checks it
//! against its README, the offset model, the folds and the metrics.

use std::collections::BTreeMap;
use std::path::PathBuf;

use unspin::Technique;
use unspin::analyse::techniques::data::corpus::{
    Corpus, CorpusError, LoadOptions, OutOfRangePolicy,
};
use unspin::analyse::techniques::data::semeval;
use unspin::analyse::techniques::eval::metrics::{
    FlcAccumulator, PredictedSpan, SiAccumulator, TcAccumulator,
};
use unspin::segment::OffsetMap;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc-train")
}

fn load() -> Option<Corpus> {
    let dir = corpus_dir();
    if !dir.join("techniques.tsv").is_file() {
        eprintln!(
            "skipping: PTC training split not found at {} (tests that need it do nothing)",
            dir.display()
        );
        return None;
    }
    let options = LoadOptions {
        out_of_range: OutOfRangePolicy::Clamp,
    };
    Some(Corpus::load_with(&dir, options).expect("the PTC training split loads"))
}

/// The split has three rows whose spans run past the end of their article (the same three
/// ranges in both label files): strict loading names the first, clamped loading records
/// all six rows.
#[test]
fn out_of_range_rows_are_reported_and_repaired() {
    let Some(c) = load() else { return };
    let err = Corpus::load(&corpus_dir()).unwrap_err();
    assert!(
        matches!(&err, CorpusError::OutOfRange { line: 1317, id, start: 2445, end: 2699, len: 2698, .. } if id == "723844295"),
        "{err}"
    );
    let got: Vec<String> = c
        .repairs
        .iter()
        .map(|r| {
            let kept = r
                .kept
                .map_or("dropped".to_string(), |k| format!("{}..{}", k.start, k.end));
            format!(
                "{}:{} {} {}..{} -> {kept}",
                r.file.file_name().unwrap().to_string_lossy(),
                r.line,
                r.id,
                r.original.start,
                r.original.end
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "techniques.tsv:1317 723844295 2445..2699 -> 2445..2698",
            "techniques.tsv:3167 765029945 1643..1653 -> 1643..1652",
            "techniques.tsv:4155 776368676 4187..4225 -> dropped",
            "spans.tsv:1132 723844295 2445..2699 -> 2445..2698",
            "spans.tsv:2773 765029945 1643..1653 -> 1643..1652",
            "spans.tsv:3627 776368676 4187..4225 -> dropped",
        ]
    );
}

#[test]
fn ptc_train_matches_its_readme() {
    let Some(c) = load() else { return };
    assert_eq!(c.len(), 371);

    // Label counts as listed in the README.
    let expected: BTreeMap<Technique, usize> = [
        ("Loaded_Language", 2200),
        ("Name_Calling,Labeling", 1105),
        ("Repetition", 621),
        ("Doubt", 496),
        ("Exaggeration,Minimisation", 493),
        ("Appeal_to_fear-prejudice", 321),
        ("Flag-Waving", 250),
        ("Causal_Oversimplification", 212),
        ("Appeal_to_Authority", 155),
        ("Slogans", 138),
        ("Black-and-White_Fallacy", 112),
        ("Whataboutism,Straw_Men,Red_Herring", 109),
        ("Thought-terminating_Cliches", 80),
        ("Bandwagon,Reductio_ad_hitlerum", 77),
    ]
    .into_iter()
    .map(|(name, n)| (name.parse::<Technique>().unwrap(), n))
    .collect();
    // Loaded spans plus the rows dropped as wholly out of range give the README's counts.
    let mut counts = c.technique_counts();
    for r in c.repairs.iter().filter(|r| r.kept.is_none()) {
        if let Some(t) = r.technique {
            *counts.get_mut(&t).unwrap() += 1;
        }
    }
    assert_eq!(counts, expected);
    let total: usize = c.articles.iter().map(|a| a.spans.len()).sum();
    assert_eq!(total, 6369 - 1);

    // The README: 346 of the 371 articles contain non-ASCII characters.
    assert_eq!(
        c.articles.iter().filter(|a| !a.text.is_ascii()).count(),
        346
    );

    // spans.tsv is loaded for every article.
    assert!(c.articles.iter().all(|a| a.si_spans.is_some()));
}

#[test]
fn every_gold_span_slices_its_article_by_code_points() {
    let Some(c) = load() else { return };
    let mut checked = 0;
    for a in &c.articles {
        let map = OffsetMap::new(&a.text);
        let si = a.si_spans.as_deref().unwrap_or_default();
        let ranges = a
            .spans
            .iter()
            .map(|s| (s.start, s.end))
            .chain(si.iter().map(|s| (s.start, s.end)));
        for (start, end) in ranges {
            assert!(
                start < end && end <= map.char_len(),
                "{}: {start}..{end}",
                a.id
            );
            let via_map = map.slice(&a.text, start, end);
            let via_article = a.slice(start, end).expect("in range");
            assert_eq!(via_map, via_article);
            assert_eq!(via_map.chars().count(), end - start);
            checked += 1;
        }
    }
    assert!(checked > 6000, "{checked}");
}

#[test]
fn folds_partition_the_articles() {
    let Some(c) = load() else { return };
    for (k, seed) in [(5, 0), (10, 2020)] {
        let f = c.folds(k, seed);
        assert_eq!(f.len(), k);
        let mut all: Vec<usize> = f.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..c.len()).collect::<Vec<_>>());
        let (min, max) = (
            f.iter().map(Vec::len).min().unwrap(),
            f.iter().map(Vec::len).max().unwrap(),
        );
        assert!(max - min <= 1);
        assert_eq!(c.folds(k, seed), f, "deterministic");
    }
}

#[test]
fn task_files_round_trip_on_the_corpus() {
    let Some(c) = load() else { return };
    let rows = c.flc_rows();
    let text = semeval::format_flc(&rows);
    assert_eq!(semeval::parse_flc(&text, "flc").unwrap(), rows);
    let by_article = semeval::flc_by_article(&rows);
    for a in c.articles.iter().filter(|a| !a.spans.is_empty()) {
        assert_eq!(by_article[&a.id], a.spans);
    }
    let template = c.tc_template();
    assert_eq!(template.len(), rows.len());
    let text = semeval::format_tc_template(&template);
    assert_eq!(semeval::parse_tc_template(&text, "tc").unwrap(), template);
}

#[test]
fn gold_against_gold_scores_one() {
    let Some(c) = load() else { return };
    let (mut si, mut si_dist, mut flc, mut tc) = (
        SiAccumulator::new(),
        SiAccumulator::new(),
        FlcAccumulator::new(),
        TcAccumulator::new(),
    );
    for a in &c.articles {
        si.add(&a.spans, &a.spans);
        let d = a.si_spans.as_deref().unwrap_or_default();
        si_dist.add(d, d);
        let pred: Vec<PredictedSpan> = a
            .spans
            .iter()
            .map(|s| PredictedSpan {
                start: s.start,
                end: s.end,
                technique: s.technique,
                confidence: 1.0,
            })
            .collect();
        flc.add(&a.spans, &pred);
        tc.add(&a.spans, &pred);
    }
    for (name, prf) in [
        ("SI", si.score().prf),
        ("SI spans.tsv", si_dist.score().prf),
        ("FLC", flc.score().overall.prf),
        ("TC", tc.score().micro),
    ] {
        assert!(
            (prf.precision - 1.0).abs() < 1e-9
                && (prf.recall - 1.0).abs() < 1e-9
                && (prf.f1 - 1.0).abs() < 1e-9,
            "{name}: {prf:?}"
        );
    }
    assert_eq!(tc.score().gold_rows, 6368);
}
