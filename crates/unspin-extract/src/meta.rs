//! Page metadata.

use crate::dom::Dom;

/// Metadata read from the page head / JSON-LD / markup.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub site: Option<String>,
    pub canonical_url: Option<String>,
    pub language: Option<String>,
}

pub(crate) fn read(dom: &Dom, _base_url: Option<&str>) -> Meta {
    let title = dom
        .find_tag("title")
        .map(|t| dom.text_of(t).trim().to_string())
        .filter(|t| !t.is_empty());
    Meta {
        title,
        ..Default::default()
    }
}
