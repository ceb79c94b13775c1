//! Page metadata: title, authors, publication date, site, canonical URL, language.
//!
//! Sources, in order of preference:
//! * title: `og:title` / `twitter:title`, JSON-LD `headline`, `<title>` without its
//!   " | Site" / " - Site" suffix, first `<h1>`;
//! * authors: JSON-LD `author` (string, object or array), `author` / `article:author` /
//!   `parsely-author` / `sailthru.author` / `dc.creator` meta, `rel=author` links, elements
//!   whose class or itemprop says byline/author;
//! * published: `article:published_time` and common meta names, JSON-LD `datePublished`,
//!   `itemprop=datePublished`, `<time datetime>` (ISO 8601 values only, kept as found);
//! * site: `og:site_name`, JSON-LD `publisher.name`, `application-name`;
//! * canonical URL: `link rel=canonical`, `og:url`, resolved against the base URL;
//! * language: `<html lang>`, `content-language` / `language` meta, `og:locale`.

use std::collections::HashMap;

use serde_json::Value;

use crate::dom::{Dom, NONE};

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

#[derive(Default)]
struct Collected {
    /// Lower-cased meta property/name/itemprop → first non-empty content.
    meta: HashMap<String, String>,
    meta_authors: Vec<String>,
    title_tag: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    html_lang: Option<String>,
    rel_authors: Vec<String>,
    byline: Option<String>,
    time_datetime: Option<String>,
    ld: Vec<Value>,
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

fn collect(dom: &Dom) -> Collected {
    let mut c = Collected::default();
    let mut cur = dom.node(0).first_child;
    while cur != NONE {
        let n = dom.node(cur);
        let mut descend = true;
        if n.is_element() {
            let tag = &**n.tag();
            match tag {
                "html" if c.html_lang.is_none() => {
                    c.html_lang = n.attr("lang").or(n.attr("xml:lang")).map(clean);
                }
                "meta" => {
                    let content = n.attr("content").map(clean).unwrap_or_default();
                    if !content.is_empty() {
                        for key in [
                            n.attr("property"),
                            n.attr("name"),
                            n.attr("itemprop"),
                            n.attr("http-equiv"),
                        ]
                        .into_iter()
                        .flatten()
                        {
                            let key = key.trim().to_ascii_lowercase();
                            if matches!(
                                key.as_str(),
                                "author"
                                    | "article:author"
                                    | "parsely-author"
                                    | "sailthru.author"
                                    | "dc.creator"
                                    | "dcterms.creator"
                            ) {
                                c.meta_authors.push(content.clone());
                            }
                            c.meta.entry(key).or_insert_with(|| content.clone());
                        }
                    }
                }
                "title" => {
                    if c.title_tag.is_none() {
                        c.title_tag = non_empty(clean(&dom.text_of(cur)));
                    }
                    descend = false;
                }
                "h1" if c.h1.is_none() => {
                    c.h1 = non_empty(clean(&dom.text_of(cur)));
                }
                "link" => {
                    let rel = n.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && c.canonical.is_none() {
                        c.canonical = n.attr("href").map(|h| h.trim().to_string());
                    }
                }
                "a" => {
                    let rel = n.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "author") {
                        let t = clean(&dom.text_of(cur));
                        if !t.is_empty() {
                            c.rel_authors.push(t);
                        }
                    }
                }
                "time" => {
                    if let Some(dt) = n.attr("datetime") {
                        let pub_hint = n.attr("pubdate").is_some()
                            || n.attr("itemprop") == Some("datePublished");
                        if c.time_datetime.is_none() || pub_hint {
                            if pub_hint {
                                c.meta
                                    .entry("time:published".into())
                                    .or_insert_with(|| clean(dt));
                            }
                            if c.time_datetime.is_none() {
                                c.time_datetime = Some(clean(dt));
                            }
                        }
                    }
                }
                "script" => {
                    if n.attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                    {
                        let raw = dom.text_of(cur);
                        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                            c.ld.push(v);
                        }
                    }
                    descend = false;
                }
                "style" | "noscript" | "template" | "svg" => descend = false,
                _ => {}
            }
            if c.byline.is_none() && tag != "meta" && tag != "html" && tag != "body" {
                let ip = n.attr("itemprop").unwrap_or("");
                let class = n.attr("class").unwrap_or("").to_ascii_lowercase();
                let is_byline = ip == "author"
                    || class.split_whitespace().any(|w| {
                        w == "byline"
                            || w == "author"
                            || w == "author-name"
                            || w.ends_with("__author")
                            || w.ends_with("-byline")
                            || w == "contributor"
                    });
                if is_byline {
                    let t = clean(&dom.text_of(cur));
                    if !t.is_empty() && t.len() < 120 {
                        c.byline = Some(t);
                    }
                }
            }
        }
        cur = if descend {
            dom.next_in(cur, 0)
        } else {
            dom.next_skipping_children(cur, 0)
        };
    }
    c
}

/// JSON-LD objects, flattened out of arrays and `@graph`, iteratively.
fn ld_objects(values: &[Value]) -> Vec<&serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = values.iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(a) => stack.extend(a.iter().rev()),
            Value::Object(o) => {
                out.push(o);
                if let Some(g) = o.get("@graph") {
                    stack.push(g);
                }
            }
            _ => {}
        }
    }
    out
}

fn ld_type_is_article(o: &serde_json::Map<String, Value>) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "Report" | "LiveBlogPosting" | "OpinionNewsArticle" | "Posting"
            )
    };
    match o.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str().is_some_and(is)),
        _ => false,
    }
}

fn ld_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => non_empty(clean(s)),
        Value::Array(a) => a.iter().find_map(|x| ld_str(Some(x))),
        Value::Object(o) => ld_str(o.get("name")),
        _ => None,
    }
}

fn ld_names(v: Option<&Value>, out: &mut Vec<String>) {
    match v {
        Some(Value::String(s)) => out.push(clean(s)),
        Some(Value::Object(o)) => {
            if let Some(n) = o.get("name").and_then(|n| n.as_str()) {
                out.push(clean(n));
            }
        }
        Some(Value::Array(a)) => {
            for x in a {
                match x {
                    Value::String(s) => out.push(clean(s)),
                    Value::Object(o) => {
                        if let Some(n) = o.get("name").and_then(|n| n.as_str()) {
                            out.push(clean(n));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Whether `s` starts like an ISO 8601 date (`YYYY-MM-DD`).
fn looks_iso(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// Split a separator-joined title ("Headline | Site") and return the headline.
/// Strips repeatedly ("Headline | Section | Site"), at most a few times.
fn strip_title_suffix(title: &str, site: Option<&str>) -> String {
    let mut title = title.trim();
    let site_l = site.map(str::to_lowercase);
    'outer: for _ in 0..4 {
        for sep in [" | ", " - ", " — ", " – ", " :: ", " · ", " « ", " » "] {
            if let Some(pos) = title.rfind(sep) {
                let (head, tail) = (title[..pos].trim(), title[pos + sep.len()..].trim());
                let tail_is_site = site_l.as_deref().is_some_and(|s| {
                    let t = tail.to_lowercase();
                    !t.is_empty() && (t.contains(s) || s.contains(&t))
                });
                let short_tail = tail.split_whitespace().count() <= 4 && head.len() > tail.len();
                if !head.is_empty() && (tail_is_site || short_tail) {
                    title = head;
                    continue 'outer;
                }
            }
        }
        break;
    }
    title.to_string()
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

fn clean_author(s: &str) -> Option<String> {
    let mut t = clean(s);
    for prefix in ["By ", "by ", "BY ", "Von ", "Par ", "Por "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim().to_string();
        }
    }
    let t = t.trim_matches(|c: char| c == ',' || c == '|' || c.is_whitespace());
    if t.is_empty() || is_url(t) || t.len() > 80 || !t.chars().any(char::is_alphabetic) {
        return None;
    }
    Some(t.to_string())
}

fn push_authors(raw: &str, out: &mut Vec<String>) {
    // "A and B", "A, B & C" — split only when every part looks like a full name.
    let normalised = raw.replace(" and ", ", ").replace(" & ", ", ");
    let parts: Vec<&str> = normalised.split([',', ';']).map(str::trim).collect();
    let all_names = parts.len() > 1 && parts.iter().all(|p| p.split_whitespace().count() >= 2);
    if all_names {
        for p in parts {
            if let Some(a) = clean_author(p) {
                out.push(a);
            }
        }
    } else if let Some(a) = clean_author(raw) {
        out.push(a);
    }
}

fn normalise_lang(s: &str) -> Option<String> {
    let s = s.split([',', ';']).next()?.trim().replace('_', "-");
    if s.is_empty()
        || s.len() > 35
        || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        || !s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    // BCP 47 casing: language lower, 2-letter region upper.
    let mut parts = s.split('-');
    let mut out = parts.next()?.to_ascii_lowercase();
    for p in parts {
        out.push('-');
        if p.len() == 2 {
            out.push_str(&p.to_ascii_uppercase());
        } else {
            out.push_str(p);
        }
    }
    Some(out)
}

fn resolve(url: &str, base: Option<&str>) -> String {
    let url = url.trim();
    if let Some(b) = base.and_then(|b| url::Url::parse(b).ok())
        && let Ok(u) = b.join(url)
    {
        return u.to_string();
    }
    url.to_string()
}

pub(crate) fn read(dom: &Dom, base_url: Option<&str>) -> Meta {
    let c = collect(dom);
    let m = |k: &str| c.meta.get(k).cloned();
    let objs = ld_objects(&c.ld);
    let article = objs.iter().find(|o| ld_type_is_article(o)).copied();

    let site = m("og:site_name")
        .or_else(|| article.and_then(|a| ld_str(a.get("publisher"))))
        .or_else(|| m("application-name"));

    let title = m("og:title")
        .or_else(|| m("twitter:title"))
        .or_else(|| article.and_then(|a| ld_str(a.get("headline"))))
        .map(|t| strip_title_suffix(&t, site.as_deref()).trim().to_string())
        .filter(|t| !t.is_empty())
        .or_else(|| {
            c.title_tag
                .as_deref()
                .map(|t| strip_title_suffix(t, site.as_deref()))
                .filter(|t| !t.is_empty())
        })
        .or_else(|| c.h1.clone());

    let mut authors = Vec::new();
    if let Some(a) = article {
        let mut names = Vec::new();
        ld_names(a.get("author"), &mut names);
        for n in names {
            push_authors(&n, &mut authors);
        }
    }
    if authors.is_empty() {
        for a in &c.meta_authors {
            push_authors(a, &mut authors);
        }
    }
    if authors.is_empty() {
        for a in &c.rel_authors {
            push_authors(a, &mut authors);
        }
    }
    if authors.is_empty()
        && let Some(b) = &c.byline
    {
        push_authors(b, &mut authors);
    }
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.to_lowercase()));

    let published = [
        "article:published_time",
        "og:published_time",
        "article:published",
        "datepublished",
        "time:published",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dc.date",
        "dcterms.created",
        "dcterms.date",
        "date",
        "article.published",
        "cxenseparse:recs:publishtime",
    ]
    .iter()
    .filter_map(|k| m(k))
    .chain(article.and_then(|a| ld_str(a.get("datePublished"))))
    .chain(c.time_datetime.clone())
    .find(|d| looks_iso(d));

    let canonical_url = c
        .canonical
        .filter(|u| !u.is_empty())
        .or_else(|| m("og:url"))
        .map(|u| resolve(&u, base_url));

    let language = c
        .html_lang
        .as_deref()
        .and_then(normalise_lang)
        .or_else(|| m("content-language").as_deref().and_then(normalise_lang))
        .or_else(|| m("language").as_deref().and_then(normalise_lang))
        .or_else(|| m("og:locale").as_deref().and_then(normalise_lang));

    Meta {
        title,
        authors,
        published,
        site,
        canonical_url,
        language,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str, base: Option<&str>) -> Meta {
        read(&Dom::parse(html, 512), base)
    }

    #[test]
    fn og_and_head_tags() {
        let m = meta(
            r#"<html lang="en_us"><head>
            <title>Ignored | Example News</title>
            <meta property="og:title" content="Big Story">
            <meta property="og:site_name" content="Example News">
            <meta name="author" content="Jane Doe">
            <meta property="article:published_time" content="2020-01-02T03:04:05Z">
            <link rel="canonical" href="/news/big-story">
            </head><body><p>x</p></body></html>"#,
            Some("https://example.com/a/b?q=1"),
        );
        assert_eq!(m.title.as_deref(), Some("Big Story"));
        assert_eq!(m.site.as_deref(), Some("Example News"));
        assert_eq!(m.authors, vec!["Jane Doe"]);
        assert_eq!(m.published.as_deref(), Some("2020-01-02T03:04:05Z"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://example.com/news/big-story")
        );
        assert_eq!(m.language.as_deref(), Some("en-US"));
    }

    #[test]
    fn title_tag_suffix_is_stripped() {
        let m = meta(
            "<title>Council votes to close the library | Politics | The Gazette</title>",
            None,
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Council votes to close the library")
        );
        let m = meta("<title>Hello there - world</title><h1>H</h1>", None);
        assert_eq!(m.title.as_deref(), Some("Hello there"));
        let m = meta("<body><h1> Only  heading </h1></body>", None);
        assert_eq!(m.title.as_deref(), Some("Only heading"));
    }

    #[test]
    fn json_ld_article() {
        let m = meta(
            r#"<script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Site"},
              {"@type":"NewsArticle","headline":"LD headline",
               "author":[{"@type":"Person","name":"A. Writer"},"B Writer"],
               "datePublished":"2019-11-19",
               "publisher":{"@type":"Organization","name":"The Daily"}}]}
            </script>"#,
            None,
        );
        assert_eq!(m.title.as_deref(), Some("LD headline"));
        assert_eq!(m.authors, vec!["A. Writer", "B Writer"]);
        assert_eq!(m.published.as_deref(), Some("2019-11-19"));
        assert_eq!(m.site.as_deref(), Some("The Daily"));
    }

    #[test]
    fn json_ld_author_string_and_object() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"Article","author":"Sam Smith"}</script>"#,
            None,
        );
        assert_eq!(m.authors, vec!["Sam Smith"]);
        let m = meta(
            r#"<script type="application/ld+json">[{"@type":["Article"],"author":{"name":"Kim Lee"}}]</script>"#,
            None,
        );
        assert_eq!(m.authors, vec!["Kim Lee"]);
    }

    #[test]
    fn rel_author_byline_and_time() {
        let m = meta(
            r#"<body><div class="byline">By Ann Example and Bob Example</div>
            <time datetime="2021-05-06T07:08">May 6</time><p>text</p></body>"#,
            None,
        );
        assert_eq!(m.authors, vec!["Ann Example", "Bob Example"]);
        assert_eq!(m.published.as_deref(), Some("2021-05-06T07:08"));
        let m = meta(r#"<a rel="author" href="/u/x">Xavier Y</a>"#, None);
        assert_eq!(m.authors, vec!["Xavier Y"]);
    }

    #[test]
    fn author_urls_and_non_iso_dates_are_ignored() {
        let m = meta(
            r#"<meta property="article:author" content="https://facebook.com/someone">
               <meta name="date" content="Nov 19, 2019">"#,
            None,
        );
        assert!(m.authors.is_empty());
        assert!(m.published.is_none());
    }

    #[test]
    fn site_language_fallbacks() {
        let m = meta(
            r#"<meta name="application-name" content="App Site">
               <meta http-equiv="content-language" content="de-de">
               <meta property="og:url" content="https://x.org/p">"#,
            None,
        );
        assert_eq!(m.site.as_deref(), Some("App Site"));
        assert_eq!(m.language.as_deref(), Some("de-DE"));
        assert_eq!(m.canonical_url.as_deref(), Some("https://x.org/p"));
        let m = meta(r#"<meta property="og:locale" content="fr_FR">"#, None);
        assert_eq!(m.language.as_deref(), Some("fr-FR"));
    }
}
