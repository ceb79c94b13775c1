//! Main-text extraction over the arena DOM.
//!
//! Algorithm (all passes are linear and iterative):
//! 1. **Prune**: mark non-content subtrees (scripts, navigation, forms controls, hidden
//!    elements, captions, elements whose class/id/role says share/related/comments/ads…).
//! 2. **Aggregate** text length, link-text length and commas bottom-up.
//! 3. **Fast path**: if the page marks its body (`itemprop=articleBody`, `article`, common
//!    body classes) and that container holds enough paragraph text, use it.
//! 4. **Score** paragraph-like blocks readability-style into their ancestors and pick the
//!    best container, then merge sibling blocks that look like content.
//! 5. **Emit** one line per block, dropping link-heavy blocks and boilerplate lines.
//!
//! Exposed (hidden from docs) for the benchmark example only.
#![allow(missing_docs)]

use crate::dom::{Dom, Kind, NONE, NodeId};

/// Variants the benchmark example can run (name, variant).
pub const VARIANTS: &[(&str, Variant)] = &[
    ("scored-only", Variant::ScoredOnly),
    ("selector-only", Variant::SelectorOnly),
];

/// Which extraction path to force (benchmark only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Full pipeline.
    Final,
    /// Readability-style scoring only.
    ScoredOnly,
    /// Article-body container only (falls back to scoring when none).
    SelectorOnly,
}

pub(crate) fn main_text(dom: &Dom) -> (String, &'static str) {
    main_text_variant(dom, Variant::Final)
}

/// Block-level elements: each starts a new output line.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "caption"
            | "figure"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "address"
            | "hr"
            | "br"
            | "center"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
            | "body"
            | "html"
    )
}

fn is_always_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
            | "select"
            | "button"
            | "input"
            | "textarea"
            | "option"
            | "label"
            | "nav"
            | "footer"
            | "aside"
            | "head"
            | "title"
            | "figcaption"
            | "dialog"
            | "menu"
            | "link"
            | "meta"
            | "img"
    )
}

/// Class/id words (prefix match) that mark boilerplate.
const NEG_PREFIX: &[&str] = &[
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "sidebar",
    "footer",
    "masthead",
    "newsletter",
    "subscri",
    "signup",
    "promo",
    "sponsor",
    "advert",
    "banner",
    "breadcrumb",
    "byline",
    "author",
    "caption",
    "credit",
    "tagcloud",
    "popup",
    "modal",
    "cookie",
    "recommend",
    "trending",
    "outbrain",
    "taboola",
    "disqus",
    "widget",
    "toolbar",
    "paginat",
    "pager",
    "login",
    "paywall",
    "readmore",
    "mostpopular",
    "popular",
    "follow",
    "navbar",
    "newsfeed",
    "morestories",
    "moreheadlines",
    "jump",
    "teaser",
    "overlay",
    "latest",
    "nextprev",
    "prevnext",
];
/// Class/id words (exact) that mark boilerplate.
const NEG_EXACT: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "tags",
    "tag",
    "rail",
    "meta",
    "dateline",
    "timestamp",
    "nav",
    "menu",
    "skip",
    "hidden",
    "print",
    "more",
    "sr",
    "promo",
    "shares",
    "date",
    "topics",
    "keywords",
    "categories",
    "subnav",
    "header",
    "top",
    "bottom",
    "next",
    "prev",
    "previous",
];
/// Class/id words that cancel a boilerplate match (embedded posts are content).
const KEEP_WORDS: &[&str] = &["embed", "embedded", "tweet", "twitter-tweet", "instagram"];
/// Class/id words (prefix match) that mark the article body.
const POS_PREFIX: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "text", "blog", "story",
];

/// Split class and id values into lowercase words (on non-alphanumerics and camelCase).
fn words(dom: &Dom, id: NodeId, out: &mut Vec<String>) {
    out.clear();
    let n = dom.node(id);
    for v in [n.attr("class"), n.attr("id")].into_iter().flatten() {
        let mut w = String::new();
        let mut prev_lower = false;
        for c in v.chars() {
            if c.is_alphanumeric() {
                if c.is_uppercase() && prev_lower && !w.is_empty() {
                    out.push(std::mem::take(&mut w));
                }
                prev_lower = c.is_lowercase();
                w.extend(c.to_lowercase());
            } else {
                prev_lower = false;
                if !w.is_empty() {
                    out.push(std::mem::take(&mut w));
                }
            }
        }
        if !w.is_empty() {
            out.push(w);
        }
    }
}

fn is_neg(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| NEG_EXACT.contains(&w.as_str()) || NEG_PREFIX.iter().any(|p| w.starts_with(p)))
        && !words.iter().any(|w| KEEP_WORDS.contains(&w.as_str()))
}

fn is_pos(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| POS_PREFIX.iter().any(|p| w.starts_with(p)))
}

/// Class/id weight, readability-style.
fn class_weight(words: &[String]) -> f64 {
    let mut w = 0.0;
    if is_neg(words) {
        w -= 25.0;
    }
    if is_pos(words) {
        w += 25.0;
    }
    w
}

/// Whether the element is hidden or has a non-content ARIA role.
fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let n = dom.node(id);
    if n.attr("hidden").is_some() || n.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = n.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = n.attr("role")
        && matches!(
            role,
            "navigation" | "complementary" | "banner" | "contentinfo" | "dialog" | "menu" | "alert"
        )
    {
        return true;
    }
    false
}

struct Analysis {
    /// Pre-order list of visited (non-skipped) nodes.
    order: Vec<NodeId>,
    skip: Vec<bool>,
    /// Normalised text length (non-whitespace chars + word gaps) under each node.
    text_len: Vec<u32>,
    link_len: Vec<u32>,
    commas: Vec<u32>,
    /// Number of `<p>` descendants.
    paras: Vec<u32>,
    /// Whether the node has a block-level element child.
    has_block: Vec<bool>,
    weight: Vec<f32>,
}

fn analyse(dom: &Dom) -> Analysis {
    let n = dom.nodes.len();
    let mut a = Analysis {
        order: Vec::with_capacity(n),
        skip: vec![false; n],
        text_len: vec![0; n],
        link_len: vec![0; n],
        commas: vec![0; n],
        paras: vec![0; n],
        has_block: vec![false; n],
        weight: vec![0.0; n],
    };
    // Pass 1: structural pruning (tags, hidden, roles) and raw text sizes.
    let mut cur = dom.node(0).first_child;
    while cur != NONE {
        let node = dom.node(cur);
        let skip = match &node.kind {
            Kind::Element(_) => is_always_skipped(node.tag()) || is_hidden(dom, cur),
            Kind::Text(_) => false,
            _ => true,
        };
        if skip {
            a.skip[cur as usize] = true;
            cur = dom.next_skipping_children(cur, 0);
            continue;
        }
        a.order.push(cur);
        if let Kind::Text(t) = &node.kind {
            let (len, commas) = measure(t);
            a.text_len[cur as usize] = len;
            a.commas[cur as usize] = commas;
        }
        cur = dom.next_in(cur, 0);
    }
    let raw = aggregate(dom, &a.order, &a.text_len);
    let body_len = dom
        .find_tag("body")
        .map_or(raw[0], |b| raw[b as usize])
        .max(1) as f64;
    // Pass 2: class/id boilerplate, guarded by size.
    let mut ws = Vec::new();
    let mut kept = Vec::with_capacity(a.order.len());
    let mut i = 0;
    while i < a.order.len() {
        let id = a.order[i];
        let node = dom.node(id);
        let parent_skipped = node.parent != NONE && a.skip[node.parent as usize];
        if parent_skipped {
            a.skip[id as usize] = true;
            i += 1;
            continue;
        }
        if node.is_element() {
            words(dom, id, &mut ws);
            if !ws.is_empty() {
                a.weight[id as usize] = class_weight(&ws) as f32;
                let tag = &**node.tag();
                if !matches!(tag, "html" | "body" | "article" | "main") && is_neg(&ws) {
                    let share = raw[id as usize] as f64 / body_len;
                    if share < 0.5 && (!is_pos(&ws) || share < 0.15) {
                        a.skip[id as usize] = true;
                        i += 1;
                        continue;
                    }
                }
            }
        }
        kept.push(id);
        i += 1;
    }
    a.order = kept;
    // Pass 3: aggregate over kept nodes.
    for &id in a.order.iter().rev() {
        let node = dom.node(id);
        let i = id as usize;
        let tag = &**node.tag();
        if tag == "a" {
            a.link_len[i] = a.text_len[i];
        }
        if tag == "p" {
            a.paras[i] += 1;
        }
        let p = node.parent as usize;
        if node.parent == NONE {
            continue;
        }
        a.text_len[p] += a.text_len[i];
        a.link_len[p] += a.link_len[i];
        a.commas[p] += a.commas[i];
        a.paras[p] += a.paras[i];
        if node.is_element() && is_block(tag) {
            a.has_block[p] = true;
        }
    }
    a
}

/// Bottom-up sums of `own` over the tree restricted to `order` (pre-order).
fn aggregate(dom: &Dom, order: &[NodeId], own: &[u32]) -> Vec<u32> {
    let mut sum = own.to_vec();
    for &id in order.iter().rev() {
        let p = dom.node(id).parent;
        if p != NONE {
            sum[p as usize] += sum[id as usize];
        }
    }
    sum
}

/// (normalised length, commas) of a text chunk.
fn measure(t: &str) -> (u32, u32) {
    let mut len = 0u32;
    let mut commas = 0u32;
    let mut gap = false;
    for c in t.chars() {
        if c.is_whitespace() {
            gap = true;
        } else {
            if gap && len > 0 {
                len += 1;
            }
            gap = false;
            len += 1;
            if c == ',' || c == '，' {
                commas += 1;
            }
        }
    }
    (len, commas)
}

impl Analysis {
    fn link_density(&self, id: NodeId) -> f64 {
        let t = self.text_len[id as usize];
        if t == 0 {
            0.0
        } else {
            self.link_len[id as usize] as f64 / t as f64
        }
    }
}

fn tag_weight(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Readability-style scoring; returns the best container.
fn score_candidates(dom: &Dom, a: &Analysis) -> Option<(NodeId, Vec<f64>)> {
    let mut score = vec![f64::NAN; dom.nodes.len()];
    for &id in &a.order {
        let node = dom.node(id);
        if !node.is_element() {
            continue;
        }
        let tag = &**node.tag();
        let para_like = matches!(tag, "p" | "pre" | "td")
            || (matches!(tag, "div" | "section" | "article" | "blockquote")
                && !a.has_block[id as usize]);
        if !para_like {
            continue;
        }
        let len = a.text_len[id as usize];
        if len < 25 {
            continue;
        }
        let s = 1.0 + a.commas[id as usize] as f64 + (len as f64 / 100.0).min(3.0);
        let mut anc = node.parent;
        let mut level = 0;
        while anc != NONE && level < 5 {
            let an = dom.node(anc);
            if !an.is_element() {
                break;
            }
            let i = anc as usize;
            if score[i].is_nan() {
                score[i] = tag_weight(an.tag()) + a.weight[i] as f64;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            score[i] += s / div;
            anc = an.parent;
            level += 1;
        }
    }
    let mut best = NONE;
    let mut best_s = f64::MIN;
    for (i, s) in score.iter_mut().enumerate() {
        if s.is_nan() {
            continue;
        }
        *s *= 1.0 - a.link_density(i as NodeId);
        if *s > best_s {
            best_s = *s;
            best = i as NodeId;
        }
    }
    if best == NONE {
        return None;
    }
    Some((best, score))
}

/// Known article-body containers.
fn selector_container(dom: &Dom, a: &Analysis) -> Option<NodeId> {
    let mut best = NONE;
    let mut best_len = 0u32;
    for &id in &a.order {
        let n = dom.node(id);
        if !n.is_element() {
            continue;
        }
        let tag = &**n.tag();
        let itemprop = n.attr("itemprop").unwrap_or("");
        let hit = itemprop.contains("articleBody")
            || tag == "article"
            || n.attr("class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                [
                    "article-body",
                    "articlebody",
                    "article__body",
                    "article-content",
                    "story-body",
                    "entry-content",
                    "post-content",
                    "post-body",
                    "article-text",
                    "story-content",
                    "article__content",
                ]
                .iter()
                .any(|k| c.split_whitespace().any(|w| w.contains(k)))
            });
        if !hit {
            continue;
        }
        let len = a.text_len[id as usize];
        if len > best_len && a.link_density(id) < 0.4 {
            best_len = len;
            best = id;
        }
    }
    if best == NONE || best_len < 400 {
        None
    } else {
        Some(best)
    }
}

pub fn main_text_variant(dom: &Dom, variant: Variant) -> (String, &'static str) {
    let a = analyse(dom);
    let scored_roots = || match score_candidates(dom, &a) {
        Some((top, scores)) => (with_siblings(dom, &a, top, &scores), "fast:scored"),
        None => (vec![], "none"),
    };
    let (roots, label): (Vec<NodeId>, &'static str) = match variant {
        Variant::SelectorOnly | Variant::Final => match selector_container(dom, &a) {
            Some(c) => (vec![c], "fast:selector"),
            None => scored_roots(),
        },
        Variant::ScoredOnly => scored_roots(),
    };
    let mut out = String::new();
    for r in roots {
        emit(dom, &a, r, &mut out);
    }
    if out.is_empty() {
        // Last resort: all text of the body.
        let body = dom.find_tag("body").unwrap_or(0);
        emit(dom, &a, body, &mut out);
        return (out, "fallback:body");
    }
    (out, label)
}

fn with_siblings(dom: &Dom, a: &Analysis, top: NodeId, scores: &[f64]) -> Vec<NodeId> {
    let top_s = scores[top as usize];
    let threshold = (top_s * 0.2).max(10.0);
    let parent = dom.node(top).parent;
    if parent == NONE {
        return vec![top];
    }
    let top_class = dom.node(top).attr("class").unwrap_or("");
    let mut out = Vec::new();
    for sib in dom.children(parent) {
        if a.skip[sib as usize] {
            continue;
        }
        if sib == top {
            out.push(sib);
            continue;
        }
        let sn = dom.node(sib);
        if !sn.is_element() {
            continue;
        }
        let mut bonus = 0.0;
        if !top_class.is_empty() && sn.attr("class") == Some(top_class) {
            bonus = top_s * 0.2;
        }
        let s = scores[sib as usize];
        if !s.is_nan() && s + bonus >= threshold {
            out.push(sib);
            continue;
        }
        if &**sn.tag() == "p" {
            let len = a.text_len[sib as usize];
            let ld = a.link_density(sib);
            if (len > 80 && ld < 0.25) || (len > 0 && ld == 0.0 && ends_sentence(&dom.text_of(sib)))
            {
                out.push(sib);
            }
        }
    }
    out
}

fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end();
    t.ends_with('.') || t.ends_with('!') || t.ends_with('?') || t.ends_with('"') || t.ends_with('”')
}

/// Whether a block inside the chosen container should be dropped (link lists etc.).
fn drop_block(dom: &Dom, a: &Analysis, id: NodeId) -> bool {
    let n = dom.node(id);
    let tag = &**n.tag();
    let i = id as usize;
    if tag == "h1" {
        return true;
    }
    let ld = a.link_density(id);
    let len = a.text_len[i];
    match tag {
        // A heading that is entirely a link is a teaser for another page.
        "h2" | "h3" | "h4" | "h5" | "h6" => len > 0 && ld > 0.9,
        "ul" | "ol" | "div" | "section" | "table" | "dl" | "header" => {
            ld > 0.5 || (a.weight[i] < 0.0 && len < 500)
        }
        "p" | "li" => ld > 0.8 && len < 200,
        _ => false,
    }
}

/// Append the text of `root`'s subtree, one block per line.
fn emit(dom: &Dom, a: &Analysis, root: NodeId, out: &mut String) {
    let mut line = String::new();
    let mut cur = root;
    loop {
        let node = dom.node(cur);
        let i = cur as usize;
        let mut descend = !a.skip[i];
        if descend && node.is_element() {
            let tag = &**node.tag();
            if is_block(tag) {
                flush(&mut line, out);
                if cur != root && drop_block(dom, a, cur) {
                    descend = false;
                }
            }
        } else if descend && let Kind::Text(t) = &node.kind {
            push_text(&mut line, t);
        }
        // Advance.
        let next = if descend && node.first_child != NONE {
            node.first_child
        } else {
            // Leaving this node (and possibly ancestors): flush at block ends.
            let mut c = cur;
            loop {
                if c == root {
                    break NONE;
                }
                let cn = dom.node(c);
                if cn.is_element() && is_block(cn.tag()) {
                    flush(&mut line, out);
                }
                if cn.next != NONE {
                    break cn.next;
                }
                c = cn.parent;
                if c == NONE {
                    break NONE;
                }
            }
        };
        if next == NONE {
            break;
        }
        cur = next;
    }
    flush(&mut line, out);
}

fn push_text(line: &mut String, t: &str) {
    let mut first = true;
    let starts_ws = t.starts_with(char::is_whitespace);
    for w in t.split_whitespace() {
        if (!first || starts_ws) && !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(w);
        first = false;
    }
    if t.ends_with(char::is_whitespace) && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
}

fn flush(line: &mut String, out: &mut String) {
    let t = line.trim();
    if !t.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(t);
    }
    line.clear();
}
