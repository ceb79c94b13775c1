//! `unspin analyze` on a debate transcript from stdin: the JSON (with `claims[].speaker`)
//! follows the schema and its offsets are exact.

mod common;

use common::*;
use serde_json::Value;

const DEBATE: &str = "HOLT: Good evening from Hofstra University in Hempstead, New York. \
Tonight Hillary Clinton and Donald Trump will answer questions about the economy and trade.\n\
TRUMP: Our jobs are fleeing the country. We closed up 60,000 factories.\n\
They're going to Mexico. They're going to many other countries.\n\
CLINTON: Well, I think that's just not accurate. The economy added 15 million private-sector \
jobs after the recession, and the unemployment rate fell to 4.9 percent last year.\n\
MR. TRUMP: Ford announced in 2016 that it would move its small-car production to Mexico.\n";

#[test]
fn a_transcript_gives_speakers_that_follow_the_schema() {
    let (code, out, err) = unspin(
        &["analyze", "--format", "json", "-"],
        Some(DEBATE.as_bytes()),
    );
    assert_eq!(code, 0, "stderr: {err}");
    let a: Value = serde_json::from_str(&out).expect("one JSON document");
    assert_schema_valid(&a);
    assert_offsets_exact(&a);
    assert_eq!(a["schema_version"], "1.3");
    let claims = a["claims"].as_array().unwrap();
    let factories = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("60,000 factories"))
        .expect("the factories claim");
    assert_eq!(factories["speaker"], "TRUMP");
    assert!(factories["speaker_actor"].is_string(), "{factories}");
}
