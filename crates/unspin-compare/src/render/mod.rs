//! Renderers of a [`crate::Comparison`]: a terminal report, JSON and a self-contained HTML
//! page. They only print; every figure comes from the comparison.

pub mod html;
pub mod text;

/// The comparison as pretty JSON (the shape of `docs/schema.md`, "Comparison").
pub fn json(c: &crate::Comparison) -> String {
    serde_json::to_string_pretty(c).unwrap_or_else(|_| "{}".into())
}
