//! Evaluation of the quotes and actors analysers on a hand-annotated set of passages
//! (`evalsets/quotes-actors/`): the gold data and its checks ([`dataset`]), the metrics
//! ([`metrics`]) and a runner that analyses every passage and scores it ([`run`]).

pub mod dataset;
pub mod metrics;
pub mod polnear;
pub mod run;
