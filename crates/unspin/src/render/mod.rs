//! The render stage: writing analyses and extracted documents out. Renderers only print;
//! they never analyse.

pub mod extracted;
pub mod json;

use std::io::{self, Write};

use crate::analysis::Analysis;

/// Writes an analysis in one output format.
pub trait Render {
    /// Writes one analysis to `out`.
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()>;
}

pub use extracted::ExtractedRecord;
pub use json::{ErrorRecord, Json};
