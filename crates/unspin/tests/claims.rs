//! The claims analyser on sentences that show each rule: checkable events without numbers
//! score high; opinions, rhetorical questions, hedges, numeric idioms, sarcasm and calls to
//! action score low; clauses split at semicolons but not inside lists; actors are cited.

use unspin::analyse::Analyser;
use unspin::analyse::claims::analyser::score_clauses;
use unspin::analyse::claims::{ClaimAnalyser, REPORT_THRESHOLD};
use unspin::{Actor, ActorType, ClaimKind, Document, Mention, MentionKind, Options, Pipeline};

/// Scored clauses of a text: (clause text, score).
fn scores(text: &str) -> Vec<(String, f32)> {
    let doc = Document::from_text(text);
    let seg = unspin::segment::segment(text);
    score_clauses(&doc, &seg)
        .into_iter()
        .map(|c| (doc.slice(c.start, c.end).to_owned(), c.scored.score))
        .collect()
}

/// The score of the one clause of a one-clause text.
fn one(text: &str) -> f32 {
    let s = scores(text);
    assert_eq!(s.len(), 1, "{s:?}");
    s[0].1
}

#[test]
fn checkable_events_without_numbers_score_high() {
    for t in [
        "Police arrested two men at the border crossing.",
        "Russian air defences intercepted the missiles over the coast.",
        "Protesters blocked the main road into the port of Calais.",
        "A jury in Manchester found the former councillor guilty of fraud.",
    ] {
        // About as likely check-worthy as not, or more (ClaimBuster's calibration: a
        // plain event without a figure or a date is borderline there); the opinions below
        // score under 0.3.
        assert!(one(t) >= 0.45, "{t}: {}", one(t));
    }
}

#[test]
fn opinions_questions_hedges_idioms_and_calls_score_low() {
    for t in [
        "I have a hundred reasons to doubt this government.",
        "The new phone is a million times better than the old one.",
        "Who really believes the minister did not know?",
        "The merger could perhaps save some money in the long run.",
        "This is the worst budget in living memory.",
        "Sign the petition today and tell Parliament to protect libraries.",
        "Residents should check on their elderly neighbours.",
    ] {
        assert!(one(t) < 0.3, "{t}: {}", one(t));
    }
}

#[test]
fn semicolons_split_clauses_but_not_lists() {
    let s = scores(
        "Air defences have become more effective; for example, they shot down four drones on Monday.",
    );
    assert_eq!(s.len(), 2, "{s:?}");
    assert!(s[1].0.starts_with("for example"));
    assert!(s[1].1 > s[0].1);
    let list = scores(
        "Targets included factories in three cities; airfields; command centres; and fuel depots near the coast.",
    );
    assert_eq!(list.len(), 1, "{list:?}");
}

#[test]
fn a_sentence_opening_subordinate_clause_is_its_own_clause() {
    let s = scores(
        "While the army has already struck several depots with its own missiles, the supply lines have not been disrupted.",
    );
    assert_eq!(s.len(), 2, "{s:?}");
}

#[test]
fn claims_cite_the_actors_mentioned_in_them() {
    let text =
        "Officials in Lisbon said on Monday that the minister resigned. The weather was fine.";
    let doc = Document::from_text(text);
    let seg = unspin::segment::segment(text);
    let mut a = Pipeline::without_analysers(Options::default())
        .analyze(&doc)
        .unwrap();
    let mention = |start: usize, end: usize, kind| Mention {
        start,
        end,
        text: doc.slice(start, end).to_owned(),
        kind,
    };
    a.actors = vec![
        Actor {
            id: "a1".into(),
            name: "Lisbon".into(),
            kind: ActorType::Place,
            mentions: vec![mention(13, 19, MentionKind::Name)],
            descriptors: Vec::new(),
        },
        Actor {
            id: "a2".into(),
            name: "the minister".into(),
            kind: ActorType::Person,
            mentions: vec![mention(40, 52, MentionKind::RolePhrase)],
            descriptors: Vec::new(),
        },
        Actor {
            id: "a3".into(),
            name: "weather".into(),
            kind: ActorType::Place,
            mentions: vec![mention(67, 74, MentionKind::Name)],
            descriptors: Vec::new(),
        },
    ];
    ClaimAnalyser::default()
        .analyse(&doc, &seg, &mut a)
        .unwrap();
    let top = &a.claims[0];
    assert!(top.text.starts_with("Officials in Lisbon"), "{top:?}");
    assert_eq!(top.actors, ["a1", "a2"]);
    assert_eq!(top.kind, ClaimKind::Attributed);
    let numbers: Vec<&str> = top.numbers.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(numbers, ["Monday"]);
}

#[test]
fn a_first_person_figure_is_a_claim_fact_checkers_would_check() {
    // "We" used to sink a clause (the writer's own voice); in debates it is how
    // politicians state their record.
    let s = one("We closed up 60,000 factories.");
    assert!(s >= REPORT_THRESHOLD, "{s}");
}

#[test]
fn scores_are_continuous_not_a_few_tied_values() {
    let texts = [
        "Police arrested two men at the border crossing.",
        "Russian air defences intercepted the missiles over the coast.",
        "Protesters blocked the main road into the port of Calais.",
        "A jury in Manchester found the former councillor guilty of fraud.",
        "Unemployment fell to 4.1 percent in March.",
        "The company sold 3 million cars last year.",
        "The senator voted against the bill twice.",
        "Prices rose faster than wages for the third year running.",
    ];
    let mut v: Vec<u32> = texts.iter().map(|t| one(t).to_bits()).collect();
    v.sort_unstable();
    v.dedup();
    assert_eq!(v.len(), texts.len());
}

#[test]
fn every_statement_is_a_claim_and_questions_never_are() {
    let text = "The council approved the budget on Tuesday. Is that the end of it? \
                Nobody likes paying more for less. The mayor said taxes would rise by 3 percent.";
    let doc = Document::from_text(text);
    let a = Pipeline::new(Options::default())
        .unwrap()
        .analyze(&doc)
        .unwrap();
    let texts: Vec<&str> = a.claims.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts.iter().all(|t| !t.contains('?')));
    // Highest first; the opinion last and below the report threshold.
    assert!(a.claims.windows(2).all(|w| w[0].score >= w[1].score));
    let opinion = a
        .claims
        .iter()
        .find(|c| c.text.starts_with("Nobody"))
        .unwrap();
    assert!(opinion.score < REPORT_THRESHOLD, "{opinion:?}");
    assert!(opinion.reason.starts_with("Low") || opinion.reason.starts_with("Borderline"));
    let figure = a
        .claims
        .iter()
        .find(|c| c.text.contains("3 percent"))
        .unwrap();
    assert!(figure.score >= REPORT_THRESHOLD, "{figure:?}");
    assert!(
        figure.reason.starts_with("Checkable ("),
        "{}",
        figure.reason
    );
}
