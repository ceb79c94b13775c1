//! Main-text extraction.

use crate::dom::Dom;

pub(crate) fn main_text(dom: &Dom) -> (String, &'static str) {
    let mut out = String::new();
    for d in dom.descendants(0) {
        if &**dom.node(d).tag() == "p" {
            let t = dom.text_of(d);
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&t);
            }
        }
    }
    (out, "fast")
}
