//! Escaping text for HTML element content and attribute values.

use std::borrow::Cow;

/// Escapes `&`, `<`, `>`, `"` and `'`, so that the result is safe both as element content
/// and inside a quoted attribute value. Control characters other than tab, line feed and
/// carriage return (not allowed in HTML) become U+FFFD.
pub fn escape(s: &str) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'')
            || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A URL that may be linked to: `http` or `https` only (never `javascript:` or `data:`).
pub fn safe_link(url: &str) -> Option<&str> {
    let lower = url.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert!(matches!(escape("plain 😀 текст"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{0}b\nc"), "a\u{FFFD}b\nc");
    }

    #[test]
    fn links_only_to_the_web() {
        assert_eq!(
            safe_link("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("HTTP://x"), Some("HTTP://x"));
        assert_eq!(safe_link("ftp"), None);
    }
}
