//! Names the actors analyser must read as a careful reader does, on original sentences:
//! abbreviated place words with their dot, and capitalised words after a colon that only
//! look like names because a heading starts there.

use unspin::analyse::quote_actor_eval::run::predict;

fn actors(text: &str) -> Vec<(String, String)> {
    predict(text)
        .actors
        .iter()
        .map(|a| {
            let kind = serde_json::to_value(a.kind).unwrap();
            (a.name.clone(), kind.as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

#[test]
fn abbreviated_place_words_keep_their_name_whole() {
    let found = actors("The ferry line will stop in St. Petersburg and Mt. Pleasant next May.");
    assert!(
        found.contains(&("St. Petersburg".into(), "place".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("Mt. Pleasant".into(), "place".into())),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(n, _)| n == "St" || n == "Petersburg"),
        "{found:?}"
    );
}

#[test]
fn a_capital_after_a_colon_needs_evidence_to_be_a_name() {
    let found =
        actors("Part three: Tariffs on steel from Brazil\n\nThe plan was drafted in Geneva.");
    assert!(!found.iter().any(|(n, _)| n == "Tariffs"), "{found:?}");
    assert!(found.iter().any(|(n, _)| n == "Brazil"), "{found:?}");
    assert!(found.iter().any(|(n, _)| n == "Geneva"), "{found:?}");
}
