//! Check-worthy claims: clauses that state something a fact-checker could check, scored
//! and explained.
//!
//! - [`words`] reads a sentence's tokens; [`clauses`] splits sentences into clauses;
//! - [`numbers`] finds figures and dates; [`features`] finds the cues of a clause, from
//!   the word lists in [`lexicon`];
//! - [`scorer`] combines the cues into a score and a kind; [`reason`] says why in words;
//! - [`analyser`] is the pipeline step;
//! - [`gold`] reads the annotated evaluation set (`evalsets/claims/`) and [`metrics`]
//!   scores a ranking against it: precision at 5 and 10, recall, score distributions;
//!   [`eval`] runs a pipeline over the set and prints the report.

pub mod analyser;
pub mod clauses;
pub mod debates;
pub mod eval;
pub mod features;
pub mod gold;
pub mod lexicon;
pub mod metrics;
pub mod numbers;
pub mod ranking;
pub mod reason;
pub mod scorer;
pub mod speaker;
pub mod words;
pub mod worthiness;
pub mod worthiness_trainer;

pub use analyser::{ClaimAnalyser, MIN_SCORE, REPORT_THRESHOLD};
