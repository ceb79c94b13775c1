//! Check-worthy claims: clauses that state something a fact-checker could check, scored
//! and explained.
//!
//! - [`gold`] reads the annotated evaluation set (`evalsets/claims/`) and [`metrics`]
//!   scores a ranking against it: precision at 5 and 10, recall, score distributions;
//!   [`eval`] runs a pipeline over the set and prints the report.

pub mod eval;
pub mod gold;
pub mod metrics;
