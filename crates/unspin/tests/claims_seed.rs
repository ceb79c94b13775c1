//! Claims on the seed article (`../shared/examples/victory-plan-rt.txt`, read at test time,
//! never copied): the clauses the issue names are found and ranked by general rules. The
//! clauses are located by the offsets of `evalsets/claims/victory-plan-rt.json`.

use std::path::Path;

use unspin::analyse::claims::gold;
use unspin::analyse::claims::metrics::spans_match;
use unspin::analyse::claims::{MIN_SCORE, eval};
use unspin::{Options, Pipeline};

/// The missile interception the issue requires among the top five claims.
const INTERCEPTION: (usize, usize) = (4014, 4099);
/// The three opinions the issue names (in the headline, the first paragraph and the
/// Article 5 discussion).
const OPINIONS: [(usize, usize); 3] = [(27, 68), (465, 541), (1752, 1854)];

#[test]
fn interception_is_a_top_five_claim_and_named_opinions_score_low() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../evalsets/claims/victory-plan-rt.json");
    let seed = gold::load_offsets_only(&file).unwrap_or_else(|e| panic!("{e}"));
    let path = seed.text_path.clone();
    let Some(doc) = seed.read().unwrap_or_else(|e| panic!("{e}")) else {
        println!("skipped: {} is absent", path.display());
        return;
    };
    for span in OPINIONS.iter().chain([&INTERCEPTION]) {
        assert!(
            doc.claims.iter().any(|c| (c.start, c.end) == *span),
            "{span:?} is not an annotated clause"
        );
    }
    let pipeline = Pipeline::new(Options::default()).unwrap();
    let a = eval::analyse(&pipeline, &doc).unwrap();
    let rank = a
        .claims
        .iter()
        .position(|c| spans_match((c.start, c.end), INTERCEPTION));
    assert!(
        rank.is_some_and(|r| r < 5),
        "interception ranked {rank:?}; top five: {:#?}",
        &a.claims[..5.min(a.claims.len())]
    );
    for span in OPINIONS {
        for c in a
            .claims
            .iter()
            .filter(|c| spans_match((c.start, c.end), span))
        {
            assert!(
                c.score < 0.35,
                "opinion {span:?} scored {} ({})",
                c.score,
                c.reason
            );
        }
    }
    assert!(a.claims.iter().all(|c| c.score >= MIN_SCORE));
}
