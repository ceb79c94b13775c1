//! The quotes-and-actors evaluation set is well formed: every offset and text of the
//! development and held-out passages, and every offset of the seed article's annotation
//! (read from ../shared, skipped with a message when absent).

use std::path::PathBuf;

use unspin::analyse::quote_actor_eval::dataset::{read_dir, read_jsonl, read_offsets_only};

fn evalset() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../evalsets/quotes-actors")
}

#[test]
fn dev_and_heldout_annotations_are_consistent() {
    let dev = read_jsonl(&evalset().join("dev.jsonl")).unwrap();
    let heldout = read_jsonl(&evalset().join("heldout.jsonl")).unwrap();
    assert!(dev.len() >= 40, "{} development passages", dev.len());
    assert!(heldout.len() >= 12, "{} held-out passages", heldout.len());
    let all = dev.iter().chain(&heldout);
    let mut ids = std::collections::HashSet::new();
    for p in all {
        assert!(ids.insert(p.id.clone()), "passage id {} twice", p.id);
        let mut spans = std::collections::HashSet::new();
        for a in &p.actors {
            for m in &a.mentions {
                assert!(
                    spans.insert((m.start, m.end)),
                    "{}: mention {}..{} twice",
                    p.id,
                    m.start,
                    m.end
                );
            }
        }
    }
    let quotes: usize = dev.iter().chain(&heldout).map(|p| p.quotes.len()).sum();
    let null: usize = dev
        .iter()
        .chain(&heldout)
        .flat_map(|p| &p.quotes)
        .filter(|q| q.actor.is_none())
        .count();
    assert!(
        quotes >= 100 && null >= 4,
        "{quotes} quotes, {null} with no speaker"
    );
}

#[test]
fn seed_annotation_matches_the_seed_text() {
    let path = evalset().join("victory-plan-rt.json");
    match read_offsets_only(&path).unwrap() {
        Err(reason) => eprintln!("skipped: {reason}"),
        Ok(p) => {
            assert!(p.quotes.iter().any(|q| q.elided));
            assert!(p.actors.iter().any(|a| a.mentions.len() >= 10));
        }
    }
}

#[test]
fn the_whole_folder_reads() {
    let set = read_dir(&evalset()).unwrap();
    assert_eq!(set.external.len() + set.skipped.len(), 1);
    for reason in &set.skipped {
        eprintln!("skipped: {reason}");
    }
}
