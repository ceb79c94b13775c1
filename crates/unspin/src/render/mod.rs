//! The render stage: writing analyses and extracted documents out. Renderers only print;
//! they never analyse.

pub mod extracted;
pub mod facts;
pub mod guide;
pub mod html;
pub mod json;
pub mod labelstudio;
pub mod layers;
pub mod semeval;
pub mod text;

#[cfg(test)]
mod test_support;

use std::io::{self, Write};

use crate::analysis::Analysis;

/// Writes an analysis in one output format.
pub trait Render {
    /// Writes one analysis to `out`.
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()>;
}

pub use extracted::ExtractedRecord;
pub use html::Html;
pub use json::{ErrorRecord, Json};
pub use labelstudio::LabelStudio;
pub use semeval::SemevalFlc;
pub use text::Text;
