//! Cross-article actor linking scored against NewsWCL50's hand-coded mentions
//! (../shared/data/outlets-dev/newswcl50, read at test time; skipped with a message when
//! absent).

use std::path::PathBuf;

use unspin_compare::eval_actors::evaluate_dir;

#[test]
fn linking_finds_and_joins_most_gold_actor_mentions() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/outlets-dev/newswcl50");
    if !dir.join("mentions.csv").is_file() || !dir.join("articles.jsonl").is_file() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let s = evaluate_dir(&dir, &unspin::Pipeline::default()).expect("NewsWCL50 reads");
    eprintln!("{}", serde_json::to_string_pretty(&s).unwrap());
    assert_eq!((s.articles, s.stories), (50, 10));
    // Nearly every gold mention of the kept types is found in the text.
    assert!(s.gold_rows > 3000, "{} rows", s.gold_rows);
    assert!(
        (s.not_located as f64) < 0.02 * s.gold_rows as f64,
        "{} of {} not located",
        s.not_located,
        s.gold_rows
    );
    let floor = |name: &str, got: f64, min: f64| {
        assert!(got >= min, "{name}: {got:.3} below the floor {min:.3}")
    };
    floor("coverage", s.coverage, COVERAGE);
    floor("B3 F1", s.linking.all.f1, F1);
    floor("cross-article B3 F1", s.linking.cross_article.f1, CROSS_F1);
    // Linking across articles joins what each article's actors keep apart.
    assert!(s.linking.cross_article.recall > s.within_article_only.cross_article.recall);
}

/// Floors: the figures measured when the test was written, less a margin of 0.03.
const COVERAGE: f64 = 0.76;
const F1: f64 = 0.46;
const CROSS_F1: f64 = 0.46;
