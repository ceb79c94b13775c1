//! Evaluation of the quotes and actors analysers on a hand-annotated set of passages
//! (`evalsets/quotes-actors/`): the gold data and its checks ([`dataset`]) and the metrics
//! ([`metrics`]).

pub mod dataset;
pub mod metrics;
