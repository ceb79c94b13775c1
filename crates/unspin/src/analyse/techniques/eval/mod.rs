//! Measuring the techniques model.
//!
//! - [`metrics`]: the task's metrics on code-point spans (SI, TC, full task, span
//!   distributions, calibration).
//! - [`cv`]: cross-validation by article, as `unspin eval techniques` runs it.

pub mod cv;
pub mod metrics;

pub use cv::{CvReport, MIN_CONFIDENCE_STEPS, MinConfidenceRow, cross_validate};
