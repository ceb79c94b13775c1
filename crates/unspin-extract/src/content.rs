//! Main-text extraction over the arena DOM.
//!
//! Algorithm (all passes are linear and iterative):
//! 1. **Prune**: mark non-content subtrees (scripts, navigation, forms controls, hidden
//!    elements, captions, elements whose class/id words say share/related/comments/ads…).
//! 2. **Aggregate** text length, link-text length and commas bottom-up.
//! 3. **Fast path**: if the page marks its body (`itemprop=articleBody`, `article`, common
//!    body classes) and that container holds enough paragraph text, use it.
//! 4. **Score** paragraph-like blocks readability-style into their ancestors and pick the
//!    best container, then merge sibling blocks that look like content.
//! 5. **Emit** one line per block, dropping link-heavy blocks and boilerplate lines.
//!
//! Every tunable decision is a named entry of [`Rules`]: on/off rules (each class/id word,
//! each body-class selector, each special case) listed by [`rule_names`], and numeric
//! thresholds listed in [`THRESHOLDS`]. [`Rules::shipped`] is the set chosen by the
//! site-grouped selection procedure in [`crate::eval`] (see `docs/extraction.md`);
//! [`Rules::all`] is every candidate rule on with the prior thresholds.
//!
//! Exposed (hidden from docs) for the benchmark example and the evaluation only.
#![allow(missing_docs)]

use std::cell::Cell;
use std::sync::LazyLock;

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

// ---------------------------------------------------------------------------------------
// The rule set.
// ---------------------------------------------------------------------------------------

/// Class/id words (prefix match) that mark boilerplate (candidates).
pub const NEG_PREFIX: &[&str] = &[
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
/// Class/id words (exact) that mark boilerplate (candidates).
pub const NEG_EXACT: &[&str] = &[
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
pub const KEEP_WORDS: &[&str] = &["embed", "embedded", "tweet", "twitter-tweet", "instagram"];
/// Class/id words (prefix match) that mark the article body.
pub const POS_PREFIX: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "text", "blog", "story",
];
/// Class substrings of known article-body containers (fast path).
pub const BODY_CLASSES: &[&str] = &[
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
];
/// Tags pruned as non-content beyond the structural ones (scripts, media, form controls…).
pub const SKIP_TAGS: &[&str] = &[
    "nav",
    "footer",
    "aside",
    "figcaption",
    "label",
    "dialog",
    "menu",
];
/// ARIA roles that mark a non-content subtree.
pub const SKIP_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "banner",
    "contentinfo",
    "dialog",
    "menu",
    "alert",
];
/// Special-case rules, by name.
pub const SPECIAL: &[&str] = &[
    // Pruning.
    "hidden-attr",      // `hidden`, `aria-hidden=true`
    "style-hidden",     // `display:none`, `visibility:hidden`
    "neg-class-prune",  // prune elements with a boilerplate class/id word
    "camel-case-split", // split class words on camelCase
    // Container choice.
    "selector-path",        // the marked-article-body fast path
    "selector-itemprop",    // itemprop=articleBody marks a body
    "selector-article-tag", // <article> marks a body
    "class-weight",         // class/id words weight readability scores
    "sibling-merge",        // merge high-scoring siblings of the top candidate
    "sibling-same-class",   // bonus for a sibling with the top candidate's class
    "sibling-long-p",       // merge long low-link sibling paragraphs
    "sibling-sentence-p",   // merge link-free sibling paragraphs ending a sentence
    // Emission.
    "drop-h1",             // drop h1 (the title)
    "drop-linked-heading", // drop headings that are entirely a link
    "drop-link-block",     // drop link-dense lists/divs/tables
    "drop-neg-block",      // drop short blocks with negative class weight
    "drop-link-p",         // drop short, almost-all-link paragraphs / list items
];

const R_NEG_PREFIX: usize = 0;
const R_NEG_EXACT: usize = R_NEG_PREFIX + NEG_PREFIX.len();
const R_KEEP: usize = R_NEG_EXACT + NEG_EXACT.len();
const R_POS: usize = R_KEEP + KEEP_WORDS.len();
const R_BODY: usize = R_POS + POS_PREFIX.len();
const R_SKIP_TAG: usize = R_BODY + BODY_CLASSES.len();
const R_ROLE: usize = R_SKIP_TAG + SKIP_TAGS.len();
const R_SPECIAL: usize = R_ROLE + SKIP_ROLES.len();
/// Number of on/off rules.
pub const N_RULES: usize = R_SPECIAL + SPECIAL.len();

const S_HIDDEN_ATTR: usize = R_SPECIAL;
const S_STYLE_HIDDEN: usize = R_SPECIAL + 1;
const S_NEG_PRUNE: usize = R_SPECIAL + 2;
const S_CAMEL: usize = R_SPECIAL + 3;
const S_SELECTOR: usize = R_SPECIAL + 4;
const S_ITEMPROP: usize = R_SPECIAL + 5;
const S_ARTICLE_TAG: usize = R_SPECIAL + 6;
const S_CLASS_WEIGHT: usize = R_SPECIAL + 7;
const S_SIB_MERGE: usize = R_SPECIAL + 8;
const S_SIB_CLASS: usize = R_SPECIAL + 9;
const S_SIB_LONG_P: usize = R_SPECIAL + 10;
const S_SIB_SENT_P: usize = R_SPECIAL + 11;
const S_DROP_H1: usize = R_SPECIAL + 12;
const S_DROP_LINKED_H: usize = R_SPECIAL + 13;
const S_DROP_LINK_BLOCK: usize = R_SPECIAL + 14;
const S_DROP_NEG_BLOCK: usize = R_SPECIAL + 15;
const S_DROP_LINK_P: usize = R_SPECIAL + 16;

/// Bit set over the on/off rules.
pub type Mask = [u64; 4];
const _: () = assert!(N_RULES <= 256);

/// A numeric threshold: name, prior value, small grid searched by the selection.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    pub name: &'static str,
    pub prior: f64,
    pub grid: &'static [f64],
}

/// Numeric thresholds (index = position).
pub const THRESHOLDS: &[Threshold] = &[
    // A boilerplate-class element is pruned only when it holds less than this share of
    // the body text…
    Threshold {
        name: "neg-max-share",
        prior: 0.5,
        grid: &[0.3, 0.5, 0.7],
    },
    // …and, when it also has a body-like class word, less than this share.
    Threshold {
        name: "neg-pos-max-share",
        prior: 0.15,
        grid: &[0.05, 0.15, 0.3],
    },
    // Shortest paragraph (chars) that is scored.
    Threshold {
        name: "min-para-len",
        prior: 25.0,
        grid: &[15.0, 25.0, 50.0],
    },
    // Shortest marked article body (chars) taken by the fast path.
    Threshold {
        name: "selector-min-len",
        prior: 400.0,
        grid: &[200.0, 400.0, 800.0],
    },
    // Highest link density of a marked article body.
    Threshold {
        name: "selector-max-link-density",
        prior: 0.4,
        grid: &[0.25, 0.4, 0.6],
    },
    // Sibling merge: share of the top score a sibling needs.
    Threshold {
        name: "sibling-share",
        prior: 0.2,
        grid: &[0.1, 0.2, 0.35],
    },
    // Link density above which a list/div/table block is dropped.
    Threshold {
        name: "block-max-link-density",
        prior: 0.5,
        grid: &[0.35, 0.5, 0.7],
    },
    // Blocks with a negative class weight shorter than this (chars) are dropped.
    Threshold {
        name: "neg-block-max-len",
        prior: 500.0,
        grid: &[200.0, 500.0, 1000.0],
    },
    // Paragraph / list item dropped above this link density (when short)…
    Threshold {
        name: "p-max-link-density",
        prior: 0.8,
        grid: &[0.6, 0.8, 0.95],
    },
    // …and shorter than this (chars).
    Threshold {
        name: "p-drop-max-len",
        prior: 200.0,
        grid: &[100.0, 200.0, 400.0],
    },
    // Class weight (readability uses 25).
    Threshold {
        name: "class-weight",
        prior: 25.0,
        grid: &[10.0, 25.0, 50.0],
    },
];
const T_NEG_MAX_SHARE: usize = 0;
const T_NEG_POS_MAX_SHARE: usize = 1;
const T_MIN_PARA_LEN: usize = 2;
const T_SELECTOR_MIN_LEN: usize = 3;
const T_SELECTOR_MAX_LD: usize = 4;
const T_SIBLING_SHARE: usize = 5;
const T_BLOCK_MAX_LD: usize = 6;
const T_NEG_BLOCK_MAX_LEN: usize = 7;
const T_P_MAX_LD: usize = 8;
const T_P_DROP_MAX_LEN: usize = 9;
const T_CLASS_WEIGHT: usize = 10;
/// Number of thresholds.
pub const N_THRESHOLDS: usize = 11;
const _: () = assert!(THRESHOLDS.len() == N_THRESHOLDS);

/// General, well-known rules, exempt from the "serves one site" removal (they can still
/// be removed when removing them raises the training F1). Each is used by mainstream
/// extractors: readability's `unlikelyCandidates` / `negative` / `positive` class patterns,
/// trafilatura's discard and body XPaths, or HTML5 / ARIA / schema.org semantics.
pub const GENERAL: &[&str] = &[
    // readability unlikelyCandidates / negative, trafilatura discard XPaths
    "neg-prefix:comment",
    "neg-prefix:share",
    "neg-prefix:sharing",
    "neg-prefix:social",
    "neg-prefix:related",
    "neg-prefix:sidebar",
    "neg-prefix:footer",
    "neg-prefix:masthead",
    "neg-prefix:newsletter",
    "neg-prefix:subscri",
    "neg-prefix:promo",
    "neg-prefix:sponsor",
    "neg-prefix:advert",
    "neg-prefix:banner",
    "neg-prefix:breadcrumb",
    "neg-prefix:byline",
    "neg-prefix:author",
    "neg-prefix:caption",
    "neg-prefix:cookie",
    "neg-prefix:popup",
    "neg-prefix:modal",
    "neg-prefix:recommend",
    "neg-prefix:outbrain",
    "neg-prefix:taboola",
    "neg-prefix:disqus",
    "neg-prefix:widget",
    "neg-prefix:paginat",
    "neg-prefix:pager",
    "neg-prefix:paywall",
    "neg-prefix:popular",
    "neg-prefix:signup",
    "neg-prefix:login",
    "neg-exact:ad",
    "neg-exact:ads",
    "neg-exact:tags",
    "neg-exact:meta",
    "neg-exact:nav",
    "neg-exact:menu",
    "neg-exact:hidden",
    // embedded posts are content (readability keeps embeds; trafilatura keeps tweets)
    "keep:embed",
    "keep:twitter-tweet",
    // readability `positive`
    "pos-prefix:article",
    "pos-prefix:body",
    "pos-prefix:content",
    "pos-prefix:entry",
    "pos-prefix:main",
    "pos-prefix:post",
    "pos-prefix:text",
    "pos-prefix:blog",
    "pos-prefix:story",
    // trafilatura BODY_XPATH class names (common CMS templates)
    "body-class:article-body",
    "body-class:articlebody",
    "body-class:article__body",
    "body-class:article-content",
    "body-class:story-body",
    "body-class:entry-content",
    "body-class:post-content",
    "body-class:post-body",
    "body-class:article-text",
    "body-class:story-content",
    "body-class:article__content",
    // HTML5 sectioning / ARIA landmark semantics
    "skip-tag:nav",
    "skip-tag:footer",
    "skip-tag:aside",
    "skip-tag:dialog",
    "skip-tag:menu",
    "skip-role:navigation",
    "skip-role:complementary",
    "skip-role:banner",
    "skip-role:contentinfo",
    "skip-role:dialog",
    "skip-role:menu",
    "skip-role:alert",
    // readability's algorithm itself
    "special:hidden-attr",
    "special:style-hidden",
    "special:neg-class-prune",
    "special:selector-path",
    "special:selector-itemprop",
    "special:selector-article-tag",
    "special:class-weight",
    "special:sibling-merge",
    "special:sibling-same-class",
    "special:sibling-long-p",
    "special:sibling-sentence-p",
];

/// Rules switched off in the shipped set (chosen by `eval::select_rules` on all 88
/// development pages; see `docs/extraction.md`).
pub const SHIPPED_OFF: &[&str] = &[
    "neg-prefix:social",           // helps
    "neg-prefix:tagcloud",         // no effect
    "neg-prefix:trending",         // no effect
    "neg-prefix:toolbar",          // no effect
    "neg-prefix:readmore",         // no effect
    "neg-prefix:mostpopular",      // no effect
    "neg-prefix:follow",           // no effect
    "neg-prefix:navbar",           // no effect
    "neg-prefix:newsfeed",         // no effect
    "neg-prefix:morestories",      // no effect
    "neg-prefix:moreheadlines",    // no effect
    "neg-prefix:jump",             // no effect
    "neg-prefix:teaser",           // no effect
    "neg-prefix:overlay",          // one site
    "neg-prefix:latest",           // one site
    "neg-prefix:nextprev",         // no effect
    "neg-prefix:prevnext",         // no effect
    "neg-exact:adv",               // no effect
    "neg-exact:tag",               // helps
    "neg-exact:rail",              // no effect
    "neg-exact:dateline",          // no effect
    "neg-exact:skip",              // no effect
    "neg-exact:print",             // no effect
    "neg-exact:sr",                // no effect
    "neg-exact:promo",             // no effect
    "neg-exact:shares",            // no effect
    "neg-exact:topics",            // no effect
    "neg-exact:keywords",          // no effect
    "neg-exact:categories",        // no effect
    "neg-exact:subnav",            // no effect
    "neg-exact:top",               // no effect
    "neg-exact:bottom",            // no effect
    "neg-exact:next",              // no effect
    "neg-exact:prev",              // one site
    "neg-exact:previous",          // no effect
    "keep:embed",                  // helps
    "keep:embedded",               // one site
    "keep:tweet",                  // no effect
    "keep:instagram",              // no effect
    "pos-prefix:post",             // helps
    "pos-prefix:text",             // helps
    "body-class:article-content",  // helps
    "skip-tag:label",              // one site
    "special:drop-neg-block",      // no effect
    "pos-prefix:article",          // helps
    "special:selector-path",       // helps
    "special:sibling-merge",       // helps
    "special:drop-linked-heading", // one site
    "neg-exact:timestamp",         // no effect
    "neg-exact:date",              // no effect
    "skip-tag:aside",              // helps
    "special:hidden-attr",         // helps
];
/// Thresholds of the shipped set that differ from the prior (name, value).
pub const SHIPPED_THRESHOLDS: &[(&str, f64)] =
    &[("block-max-link-density", 0.35), ("p-drop-max-len", 400.0)];

/// Names of all on/off rules, indexed like the rule bits (`kind:word`).
pub fn rule_names() -> Vec<String> {
    let mut v = Vec::with_capacity(N_RULES);
    v.extend(NEG_PREFIX.iter().map(|w| format!("neg-prefix:{w}")));
    v.extend(NEG_EXACT.iter().map(|w| format!("neg-exact:{w}")));
    v.extend(KEEP_WORDS.iter().map(|w| format!("keep:{w}")));
    v.extend(POS_PREFIX.iter().map(|w| format!("pos-prefix:{w}")));
    v.extend(BODY_CLASSES.iter().map(|w| format!("body-class:{w}")));
    v.extend(SKIP_TAGS.iter().map(|w| format!("skip-tag:{w}")));
    v.extend(SKIP_ROLES.iter().map(|w| format!("skip-role:{w}")));
    v.extend(SPECIAL.iter().map(|w| format!("special:{w}")));
    v
}

/// Index of a rule by name.
pub fn rule_index(name: &str) -> Option<usize> {
    rule_names().iter().position(|n| n == name)
}

/// An extractor configuration: which rules are on, and the threshold values.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    off: Mask,
    th: [f64; N_THRESHOLDS],
}

static SHIPPED: LazyLock<Rules> = LazyLock::new(|| {
    let mut r = Rules::all();
    for n in SHIPPED_OFF {
        let i = rule_index(n).unwrap_or_else(|| panic!("unknown rule {n}"));
        r.set_on(i, false);
    }
    for (n, v) in SHIPPED_THRESHOLDS {
        let i = THRESHOLDS
            .iter()
            .position(|t| t.name == *n)
            .unwrap_or_else(|| panic!("unknown threshold {n}"));
        r.th[i] = *v;
    }
    r
});

impl Default for Rules {
    fn default() -> Self {
        Rules::shipped().clone()
    }
}

impl Rules {
    /// Every candidate rule on, thresholds at their prior values.
    pub fn all() -> Rules {
        Rules {
            off: [0; 4],
            th: std::array::from_fn(|i| THRESHOLDS[i].prior),
        }
    }
    /// The shipped defaults.
    pub fn shipped() -> &'static Rules {
        &SHIPPED
    }
    /// Whether rule `i` is on.
    #[inline]
    pub fn is_on(&self, i: usize) -> bool {
        self.off[i >> 6] >> (i & 63) & 1 == 0
    }
    /// Switch rule `i` on or off.
    pub fn set_on(&mut self, i: usize, on: bool) {
        if on {
            self.off[i >> 6] &= !(1 << (i & 63));
        } else {
            self.off[i >> 6] |= 1 << (i & 63);
        }
    }
    /// Value of threshold `i`.
    #[inline]
    pub fn threshold(&self, i: usize) -> f64 {
        self.th[i]
    }
    /// Set threshold `i`.
    pub fn set_threshold(&mut self, i: usize, v: f64) {
        self.th[i] = v;
    }
    /// Names of the rules that are off.
    pub fn off_names(&self) -> Vec<String> {
        rule_names()
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !self.is_on(*i))
            .map(|(_, n)| n)
            .collect()
    }
}

/// Rules plus a record of which rules decided something during one extraction: a rule
/// that never fired on a page cannot change that page's output when switched off.
struct Ctx<'r> {
    r: &'r Rules,
    fired: Cell<Mask>,
}

impl Ctx<'_> {
    /// Rule `i` applies here: returns whether it is on (and records that it fired).
    #[inline]
    fn on(&self, i: usize) -> bool {
        if !self.r.is_on(i) {
            return false;
        }
        let mut m = self.fired.get();
        m[i >> 6] |= 1 << (i & 63);
        self.fired.set(m);
        true
    }
    #[inline]
    fn th(&self, i: usize) -> f64 {
        self.r.th[i]
    }
}

pub(crate) fn main_text(dom: &Dom, rules: &Rules) -> (String, &'static str) {
    main_text_traced(dom, rules, Variant::Final).0
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

/// Never content: code, media, form controls, document head.
fn is_structural_skip(tag: &str) -> bool {
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
            | "head"
            | "title"
            | "link"
            | "meta"
            | "img"
    )
}

fn is_skipped_tag(cx: &Ctx, tag: &str) -> bool {
    if is_structural_skip(tag) {
        return true;
    }
    match SKIP_TAGS.iter().position(|t| *t == tag) {
        Some(k) => cx.on(R_SKIP_TAG + k),
        None => false,
    }
}

/// Split class and id values into lowercase words (on non-alphanumerics and camelCase).
fn words(cx: &Ctx, dom: &Dom, id: NodeId, out: &mut Vec<String>) {
    out.clear();
    let n = dom.node(id);
    let (class, idv) = (n.attr("class"), n.attr("id"));
    if class.is_none() && idv.is_none() {
        return;
    }
    let camel = cx.r.is_on(S_CAMEL);
    for v in [class, idv].into_iter().flatten() {
        let mut w = String::new();
        let mut prev_lower = false;
        for c in v.chars() {
            if c.is_alphanumeric() {
                if camel && c.is_uppercase() && prev_lower && !w.is_empty() {
                    // Recorded only when the split happens.
                    cx.on(S_CAMEL);
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

fn word_hits(cx: &Ctx, w: &str) -> bool {
    for (k, e) in NEG_EXACT.iter().enumerate() {
        if w == *e && cx.on(R_NEG_EXACT + k) {
            return true;
        }
    }
    for (k, p) in NEG_PREFIX.iter().enumerate() {
        if w.starts_with(p) && cx.on(R_NEG_PREFIX + k) {
            return true;
        }
    }
    false
}

fn is_neg(cx: &Ctx, words: &[String]) -> bool {
    if !words.iter().any(|w| word_hits(cx, w)) {
        return false;
    }
    for w in words {
        for (k, e) in KEEP_WORDS.iter().enumerate() {
            if w == e && cx.on(R_KEEP + k) {
                return false;
            }
        }
    }
    true
}

fn is_pos(cx: &Ctx, words: &[String]) -> bool {
    words.iter().any(|w| {
        POS_PREFIX
            .iter()
            .enumerate()
            .any(|(k, p)| w.starts_with(p) && cx.on(R_POS + k))
    })
}

/// Class/id weight, readability-style.
fn class_weight(cx: &Ctx, neg: bool, pos: bool) -> f64 {
    let mut w = 0.0;
    if (neg || pos) && !cx.on(S_CLASS_WEIGHT) {
        return 0.0;
    }
    let cw = cx.th(T_CLASS_WEIGHT);
    if neg {
        w -= cw;
    }
    if pos {
        w += cw;
    }
    w
}

/// Whether the element is hidden or has a non-content ARIA role.
fn is_hidden(cx: &Ctx, dom: &Dom, id: NodeId) -> bool {
    let n = dom.node(id);
    if (n.attr("hidden").is_some() || n.attr("aria-hidden") == Some("true")) && cx.on(S_HIDDEN_ATTR)
    {
        return true;
    }
    if let Some(style) = n.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if (s.contains("display:none") || s.contains("visibility:hidden")) && cx.on(S_STYLE_HIDDEN)
        {
            return true;
        }
    }
    if let Some(role) = n.attr("role")
        && let Some(k) = SKIP_ROLES.iter().position(|r| *r == role)
        && cx.on(R_ROLE + k)
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

fn analyse(cx: &Ctx, dom: &Dom) -> Analysis {
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
            Kind::Element(_) => is_skipped_tag(cx, node.tag()) || is_hidden(cx, dom, cur),
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
    let (max_share, pos_max_share) = (cx.th(T_NEG_MAX_SHARE), cx.th(T_NEG_POS_MAX_SHARE));
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
            words(cx, dom, id, &mut ws);
            if !ws.is_empty() {
                let neg = is_neg(cx, &ws);
                let pos = is_pos(cx, &ws);
                a.weight[id as usize] = class_weight(cx, neg, pos) as f32;
                let tag = &**node.tag();
                if neg && !matches!(tag, "html" | "body" | "article" | "main") {
                    let share = raw[id as usize] as f64 / body_len;
                    if share < max_share && (!pos || share < pos_max_share) && cx.on(S_NEG_PRUNE) {
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
fn score_candidates(cx: &Ctx, dom: &Dom, a: &Analysis) -> Option<(NodeId, Vec<f64>)> {
    let mut score = vec![f64::NAN; dom.nodes.len()];
    let min_len = cx.th(T_MIN_PARA_LEN);
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
        if (len as f64) < min_len {
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
fn selector_container(cx: &Ctx, dom: &Dom, a: &Analysis) -> Option<NodeId> {
    if !cx.r.is_on(S_SELECTOR) {
        return None;
    }
    let mut best = NONE;
    let mut best_len = 0u32;
    let max_ld = cx.th(T_SELECTOR_MAX_LD);
    let mut lc = String::new();
    for &id in &a.order {
        let n = dom.node(id);
        if !n.is_element() {
            continue;
        }
        let tag = &**n.tag();
        let itemprop = n.attr("itemprop").unwrap_or("");
        let hit = (itemprop.contains("articleBody") && cx.on(S_ITEMPROP))
            || (tag == "article" && cx.on(S_ARTICLE_TAG))
            || n.attr("class").is_some_and(|c| {
                lc.clear();
                lc.push_str(c);
                lc.make_ascii_lowercase();
                lc.split_whitespace().any(|w| {
                    BODY_CLASSES
                        .iter()
                        .enumerate()
                        .any(|(k, b)| w.contains(b) && cx.on(R_BODY + k))
                })
            });
        if !hit {
            continue;
        }
        let len = a.text_len[id as usize];
        if len > best_len && a.link_density(id) < max_ld {
            best_len = len;
            best = id;
        }
    }
    if best == NONE || (best_len as f64) < cx.th(T_SELECTOR_MIN_LEN) {
        None
    } else {
        cx.on(S_SELECTOR);
        Some(best)
    }
}

/// Extract with a forced path (benchmark example).
pub fn main_text_variant(dom: &Dom, variant: Variant) -> (String, &'static str) {
    main_text_traced(dom, Rules::shipped(), variant).0
}

/// Extract with `rules`; also returns the rules that fired (a rule that did not fire
/// cannot change this page's output when switched off).
pub fn main_text_traced(
    dom: &Dom,
    rules: &Rules,
    variant: Variant,
) -> ((String, &'static str), Mask) {
    let cx = Ctx {
        r: rules,
        fired: Cell::new([0; 4]),
    };
    let out = main_text_cx(&cx, dom, variant);
    (out, cx.fired.get())
}

fn main_text_cx(cx: &Ctx, dom: &Dom, variant: Variant) -> (String, &'static str) {
    let a = analyse(cx, dom);
    let scored_roots = || match score_candidates(cx, dom, &a) {
        Some((top, scores)) => (with_siblings(cx, dom, &a, top, &scores), "fast:scored"),
        None => (vec![], "none"),
    };
    let (roots, label): (Vec<NodeId>, &'static str) = match variant {
        Variant::SelectorOnly | Variant::Final => match selector_container(cx, dom, &a) {
            Some(c) => (vec![c], "fast:selector"),
            None => scored_roots(),
        },
        Variant::ScoredOnly => scored_roots(),
    };
    let mut out = String::new();
    for r in roots {
        emit(cx, dom, &a, r, &mut out);
    }
    if out.is_empty() {
        // Last resort: all text of the body.
        let body = dom.find_tag("body").unwrap_or(0);
        emit(cx, dom, &a, body, &mut out);
        return (out, "fallback:body");
    }
    (out, label)
}

fn with_siblings(cx: &Ctx, dom: &Dom, a: &Analysis, top: NodeId, scores: &[f64]) -> Vec<NodeId> {
    let top_s = scores[top as usize];
    let share = cx.th(T_SIBLING_SHARE);
    let threshold = (top_s * share).max(10.0);
    let parent = dom.node(top).parent;
    if parent == NONE || !cx.r.is_on(S_SIB_MERGE) {
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
        let same_class = !top_class.is_empty() && sn.attr("class") == Some(top_class);
        if same_class && cx.r.is_on(S_SIB_CLASS) {
            bonus = top_s * share;
        }
        let s = scores[sib as usize];
        if !s.is_nan() && s + bonus >= threshold {
            if bonus > 0.0 && s < threshold {
                cx.on(S_SIB_CLASS);
            }
            cx.on(S_SIB_MERGE);
            out.push(sib);
            continue;
        }
        if &**sn.tag() == "p" {
            let len = a.text_len[sib as usize];
            let ld = a.link_density(sib);
            if (len > 80 && ld < 0.25 && cx.on(S_SIB_LONG_P))
                || (len > 0 && ld == 0.0 && ends_sentence(&dom.text_of(sib)) && cx.on(S_SIB_SENT_P))
            {
                cx.on(S_SIB_MERGE);
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
fn drop_block(cx: &Ctx, dom: &Dom, a: &Analysis, id: NodeId) -> bool {
    let n = dom.node(id);
    let tag = &**n.tag();
    let i = id as usize;
    if tag == "h1" {
        return cx.on(S_DROP_H1);
    }
    let ld = a.link_density(id);
    let len = a.text_len[i];
    match tag {
        // A heading that is entirely a link is a teaser for another page.
        "h2" | "h3" | "h4" | "h5" | "h6" => len > 0 && ld > 0.9 && cx.on(S_DROP_LINKED_H),
        "ul" | "ol" | "div" | "section" | "table" | "dl" | "header" => {
            (ld > cx.th(T_BLOCK_MAX_LD) && cx.on(S_DROP_LINK_BLOCK))
                || (a.weight[i] < 0.0
                    && (len as f64) < cx.th(T_NEG_BLOCK_MAX_LEN)
                    && cx.on(S_DROP_NEG_BLOCK))
        }
        "p" | "li" => {
            ld > cx.th(T_P_MAX_LD) && (len as f64) < cx.th(T_P_DROP_MAX_LEN) && cx.on(S_DROP_LINK_P)
        }
        _ => false,
    }
}

/// Append the text of `root`'s subtree, one block per line.
fn emit(cx: &Ctx, dom: &Dom, a: &Analysis, root: NodeId, out: &mut String) {
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
                if cur != root && drop_block(cx, dom, a, cur) {
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
