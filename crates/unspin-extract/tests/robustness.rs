//! Robustness: pathological nesting on a normal 2 MB stack, random tag soup never panics.
//!
//! Each deep-nesting case runs `extract` in a thread spawned with
//! `std::thread::Builder::new().stack_size(2 * 1024 * 1024)` (the default size of spawned
//! threads, smaller than the 8 MB main thread) and asserts it succeeds. Timing (< 2 s) is
//! measured by the `extraction_bench` example, not here.

use proptest::prelude::*;
use unspin_extract::{ExtractError, ExtractOptions, extract};

const STACK: usize = 2 * 1024 * 1024;

fn on_small_stack(html: String) -> Result<unspin_extract::Extracted, ExtractError> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || extract(&html, &ExtractOptions::default()))
        .expect("spawn")
        .join()
        .expect("extract must not overflow the stack or panic")
}

fn deep(open: &str, close: &str) {
    let n = 100_000;
    let mut html = open.repeat(n);
    html.push_str("The deeply nested article text is still found by the extractor.");
    html.push_str(&close.repeat(n));
    let e = on_small_stack(html).expect("text found");
    assert!(e.text.contains("deeply nested article text"), "{}", e.text);
}

#[test]
fn deep_div() {
    deep("<div>", "</div>");
}

#[test]
fn deep_div_unclosed() {
    let mut html = "<div>".repeat(100_000);
    html.push_str("The deeply nested article text is still found by the extractor.");
    let e = on_small_stack(html).expect("text found");
    assert!(e.text.contains("deeply nested article text"));
}

#[test]
fn deep_b() {
    deep("<b>", "</b>");
}

#[test]
fn deep_span() {
    deep("<span>", "</span>");
}

#[test]
fn deep_table() {
    deep("<table>", "</table>");
}

#[test]
fn misnested_formatting_is_bounded() {
    // Each unclosed <b> survives </p> and would be re-created in every later paragraph
    // (quadratic time and memory in a plain WHATWG tree builder).
    let mut html: String = (0..100_000)
        .map(|i| format!("<p><b id={i}>x</p>"))
        .collect();
    html.push_str("<p>The final paragraph of text is here and is kept.</p>");
    let e = on_small_stack(html).expect("text found");
    assert!(e.text.contains("final paragraph"));
}

#[test]
fn deep_anchors_and_fonts() {
    deep("<a href=x>", "</a>");
    deep("<font size=2>", "");
}

#[test]
fn deep_mixed_soup() {
    deep("<div><span><b><i><p><table><tr><td><ul><li>", "");
}

#[test]
fn deep_json_ld_and_title_do_not_recurse() {
    let mut html = String::from("<script type=\"application/ld+json\">");
    html.push_str(&"[".repeat(100_000));
    html.push_str("</script><title>");
    html.push_str(&"a | ".repeat(100_000));
    html.push_str("</title><p>Some article text that is long enough to be kept, surely.</p>");
    on_small_stack(html).expect("text found");
}

#[test]
fn empty_pages_are_errors() {
    for html in [
        "",
        "<html><head><title>x</title></head><body></body></html>",
        "<script>var a=1</script>",
    ] {
        assert_eq!(
            extract(html, &ExtractOptions::default()),
            Err(ExtractError::NoMainText)
        );
    }
}

#[test]
fn text_format_invariants() {
    let e = extract(
        "<body><article><h1>T</h1><p>  First   paragraph,\n with spaces. </p>\n\n<p>Second<br>line</p><ul><li>item one</li><li>item two</li></ul></article></body>",
        &ExtractOptions::default(),
    )
    .unwrap();
    for line in e.text.split('\n') {
        assert!(!line.is_empty());
        assert_eq!(line, line.trim());
    }
    assert!(e.text.contains("First paragraph, with spaces."));
    assert!(e.text.contains("item one\nitem two"));
}

fn soup_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<table>",
            "<tr>",
            "<td>",
            "</table>",
            "<b>",
            "</b>",
            "<i>",
            "<a href=x>",
            "</a>",
            "<ul>",
            "<li>",
            "</ul>",
            "<script>",
            "</script>",
            "<style>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<svg>",
            "<math>",
            "</svg>",
            "<template>",
            "<select>",
            "<option>",
            "<frameset>",
            "<head>",
            "<body>",
            "<html>",
            "</html>",
            "<br/>",
            "<img src=x>",
            "<form>",
            "<textarea>",
            "<title>",
            "&amp;",
            "&#0;",
            "\u{0}",
            "<",
            ">",
            "<h1>",
            "<article>",
            "<nav class=menu>",
            "<div class=\"share related\">",
            "<meta name=author content=\"By X\">",
            "<noscript>",
            "<plaintext>",
            "<xmp>",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z ,.]{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn tag_soup_never_panics(pieces in prop::collection::vec(soup_piece(), 0..200)) {
        let html: String = pieces.concat();
        let opts = ExtractOptions { max_depth: 16, base_url: Some("https://e.com/a".into()) };
        if let Ok(e) = extract(&html, &opts) {
            for line in e.text.split('\n') {
                prop_assert!(!line.is_empty());
                prop_assert_eq!(line, line.trim());
            }
        }
        let _ = extract(&html, &ExtractOptions::default());
    }
}
