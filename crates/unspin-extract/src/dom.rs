//! A small arena DOM built by html5ever, with a bounded depth.
//!
//! Browsers parse malformed HTML with the WHATWG algorithm; html5ever implements it. Two
//! things are added here so that hostile input (e.g. 100,000 nested `<div>`s) stays cheap:
//!
//! * a token filter between the tokenizer and the tree builder drops start tags (and their
//!   matching end tags) once an approximate open-element depth reaches the limit, so the
//!   tree builder's stack of open elements, whose scope checks are linear in its height,
//!   never grows past roughly `max_depth` (otherwise the parse is quadratic);
//! * the tree sink itself never attaches a node deeper than `max_depth`: a node whose
//!   parent already sits at the limit is appended to the ancestor at `max_depth - 1`
//!   instead (the tree is flattened, as browsers do).
//!
//! Nodes live in one `Vec`, linked by indices, so dropping the tree is iterative, and every
//! traversal in this crate uses an explicit stack or the sibling/parent links: nothing
//! recurses over the DOM.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};
use markup5ever::TokenizerResult;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = u32;
/// "No node".
pub const NONE: NodeId = u32::MAX;

/// What a node is.
#[derive(Debug)]
pub enum Kind {
    /// The document root.
    Document,
    /// An element with its attributes.
    Element(Vec<Attribute>),
    /// A text node.
    Text(StrTendril),
    /// Comments, doctypes, processing instructions.
    Other,
}

/// One node of the arena.
#[derive(Debug)]
pub struct Node {
    /// Parent or [`NONE`].
    pub parent: NodeId,
    /// First child or [`NONE`].
    pub first_child: NodeId,
    /// Last child or [`NONE`].
    pub last_child: NodeId,
    /// Next sibling or [`NONE`].
    pub next: NodeId,
    /// Previous sibling or [`NONE`].
    pub prev: NodeId,
    /// Depth when attached (the document is 0).
    pub depth: u32,
    /// Element name (empty local name for non-elements).
    pub name: QualName,
    /// Node payload.
    pub kind: Kind,
}

impl Node {
    /// Local name of an element (empty for other nodes).
    #[inline]
    pub fn tag(&self) -> &LocalName {
        &self.name.local
    }
    /// Whether this node is an element.
    #[inline]
    pub fn is_element(&self) -> bool {
        matches!(self.kind, Kind::Element(_))
    }
    /// Attribute value by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match &self.kind {
            Kind::Element(attrs) => attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| &*a.value),
            _ => None,
        }
    }
    /// All attributes (empty for non-elements).
    pub fn attrs(&self) -> &[Attribute] {
        match &self.kind {
            Kind::Element(attrs) => attrs,
            _ => &[],
        }
    }
}

/// The parsed document.
#[derive(Debug)]
pub struct Dom {
    /// All nodes; index 0 is the document.
    pub nodes: Vec<Node>,
}

impl Dom {
    /// Parse `html` as a browser would, never building a tree deeper than `max_depth`.
    pub fn parse(html: &str, max_depth: usize) -> Dom {
        let max_depth = max_depth.clamp(8, 100_000) as u32;
        let sink = Sink {
            nodes: RefCell::new(vec![Node {
                parent: NONE,
                first_child: NONE,
                last_child: NONE,
                next: NONE,
                prev: NONE,
                depth: 0,
                name: empty_name(),
                kind: Kind::Document,
            }]),
            max_depth,
        };
        let tb = TreeBuilder::new(
            sink,
            TreeBuilderOpts {
                scripting_enabled: false,
                ..Default::default()
            },
        );
        let filter = DepthFilter {
            inner: tb,
            stack: RefCell::new(Vec::new()),
            dropped: RefCell::new(HashMap::new()),
            // Leave headroom for elements the tree builder implies (html, body, tbody…).
            limit: max_depth.saturating_sub(4).max(4) as usize,
            dropping: Cell::new(0),
            formatting: RefCell::new(Vec::new()),
            node_budget: 200_000 + html.len() / 4,
        };
        let tok = Tokenizer::new(filter, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        while !matches!(tok.feed(&input), TokenizerResult::Done) {}
        tok.end();
        let sink = tok.sink.inner.sink;
        Dom {
            nodes: sink.nodes.into_inner(),
        }
    }

    /// Node by id.
    #[inline]
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// Iterate over the children of `id`.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.node(id).first_child,
        }
    }

    /// Pre-order iterator over the descendants of `id` (excluding `id`), iterative.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: self.node(id).first_child,
        }
    }

    /// Next node in pre-order after `id`'s subtree, staying inside `root`.
    #[inline]
    pub fn next_skipping_children(&self, mut id: NodeId, root: NodeId) -> NodeId {
        loop {
            if id == root {
                return NONE;
            }
            let n = self.node(id);
            if n.next != NONE {
                return n.next;
            }
            id = n.parent;
            if id == NONE {
                return NONE;
            }
        }
    }

    /// Next node in pre-order after `id`, staying inside `root`.
    #[inline]
    pub fn next_in(&self, id: NodeId, root: NodeId) -> NodeId {
        let n = self.node(id);
        if n.first_child != NONE {
            return n.first_child;
        }
        self.next_skipping_children(id, root)
    }

    /// Concatenated text of all descendant text nodes.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut s = String::new();
        for d in self.descendants(id) {
            if let Kind::Text(t) = &self.node(d).kind {
                s.push_str(t);
            }
        }
        s
    }

    /// First element (pre-order) with the given local name.
    pub fn find_tag(&self, tag: &str) -> Option<NodeId> {
        self.descendants(0)
            .find(|&d| self.node(d).is_element() && &**self.node(d).tag() == tag)
    }
}

/// Iterator over children.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.node(id).next;
        Some(id)
    }
}

/// Iterator over descendants in pre-order.
pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.next_in(id, self.root);
        Some(id)
    }
}

fn empty_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

// ---------------------------------------------------------------------------
// Token filter

fn is_void(name: &LocalName) -> bool {
    matches!(
        &**name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
            | "image"
    )
}

/// Elements whose start implicitly closes an open element of the same name.
fn self_closing_peer(name: &str) -> bool {
    matches!(
        name,
        "p" | "li" | "dt" | "dd" | "tr" | "td" | "th" | "option" | "a" | "table" | "form"
    )
}

struct DepthFilter<S> {
    inner: S,
    /// Approximate stack of open (non-void) elements, by name.
    stack: RefCell<Vec<LocalName>>,
    /// Number of dropped, still-open start tags per name.
    dropped: RefCell<HashMap<LocalName, usize>>,
    limit: usize,
    dropping: Cell<usize>,
    /// Formatting elements whose end tag has not been seen (they survive `</p>` in the
    /// tree builder's list of active formatting elements and are re-created for every
    /// later paragraph, so their number must stay small).
    formatting: RefCell<Vec<LocalName>>,
    /// Once the tree holds this many nodes, further tags are ignored (text is kept).
    node_budget: usize,
}

type Builder = TreeBuilder<NodeId, Sink>;

impl TokenSink for DepthFilter<Builder> {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        if let Token::TagToken(tag) = &token
            && (self.inner.sink.nodes.borrow().len() >= self.node_budget || !self.keep(tag))
        {
            return TokenSinkResult::Continue;
        }
        self.inner.process_token(token, line)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Maximum number of unclosed formatting elements passed to the tree builder.
const MAX_OPEN_FORMATTING: usize = 48;

fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

impl<S> DepthFilter<S> {
    fn drop_start(&self, name: &LocalName) -> bool {
        *self.dropped.borrow_mut().entry(name.clone()).or_insert(0) += 1;
        self.dropping.set(self.dropping.get() + 1);
        false
    }

    /// Whether to pass this tag to the tree builder.
    fn keep(&self, tag: &Tag) -> bool {
        let name = &tag.name;
        if matches!(&**name, "html" | "head" | "body") || is_void(name) {
            return true;
        }
        let formatting = is_formatting(name);
        let mut stack = self.stack.borrow_mut();
        match tag.kind {
            TagKind::StartTag => {
                if tag.self_closing {
                    // Only meaningful in foreign content; treat as not opening anything.
                    return stack.len() < self.limit;
                }
                if formatting && self.formatting.borrow().len() >= MAX_OPEN_FORMATTING {
                    return self.drop_start(name);
                }
                if self_closing_peer(name)
                    && let Some(pos) = stack.iter().rev().take(4).position(|n| n == name)
                {
                    let keep = stack.len() - 1 - pos;
                    stack.truncate(keep);
                }
                if stack.len() >= self.limit {
                    return self.drop_start(name);
                }
                stack.push(name.clone());
                if formatting {
                    self.formatting.borrow_mut().push(name.clone());
                }
                true
            }
            TagKind::EndTag => {
                if self.dropping.get() > 0 {
                    let mut dropped = self.dropped.borrow_mut();
                    if let Some(c) = dropped.get_mut(name)
                        && *c > 0
                    {
                        *c -= 1;
                        self.dropping.set(self.dropping.get() - 1);
                        return false;
                    }
                }
                if formatting {
                    let mut f = self.formatting.borrow_mut();
                    if let Some(pos) = f.iter().rposition(|n| n == name) {
                        f.remove(pos);
                    }
                }
                if let Some(pos) = stack.iter().rposition(|n| n == name) {
                    stack.truncate(pos);
                }
                true
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Tree sink

struct Sink {
    nodes: RefCell<Vec<Node>>,
    max_depth: u32,
}

impl Sink {
    fn new_node(&self, name: QualName, kind: Kind) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        let id = nodes.len() as NodeId;
        nodes.push(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            prev: NONE,
            depth: 0,
            name,
            kind,
        });
        id
    }

    /// The node to attach children of `parent` to, honouring the depth limit.
    fn capped_parent(nodes: &[Node], mut parent: NodeId, max_depth: u32) -> NodeId {
        while nodes[parent as usize].depth >= max_depth {
            let p = nodes[parent as usize].parent;
            if p == NONE {
                break;
            }
            parent = p;
        }
        parent
    }

    fn detach(nodes: &mut [Node], id: NodeId) {
        let (parent, prev, next) = {
            let n = &nodes[id as usize];
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            nodes[prev as usize].next = next;
        } else {
            nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            nodes[next as usize].prev = prev;
        } else {
            nodes[parent as usize].last_child = prev;
        }
        let n = &mut nodes[id as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    fn append_child(nodes: &mut [Node], parent: NodeId, child: NodeId) {
        Self::detach(nodes, child);
        let last = nodes[parent as usize].last_child;
        let depth = nodes[parent as usize].depth + 1;
        {
            let c = &mut nodes[child as usize];
            c.parent = parent;
            c.prev = last;
            c.next = NONE;
            c.depth = depth;
        }
        if last != NONE {
            nodes[last as usize].next = child;
        } else {
            nodes[parent as usize].first_child = child;
        }
        nodes[parent as usize].last_child = child;
    }

    fn insert_before(nodes: &mut [Node], sibling: NodeId, child: NodeId) {
        Self::detach(nodes, child);
        let (parent, prev, depth) = {
            let s = &nodes[sibling as usize];
            (s.parent, s.prev, s.depth)
        };
        {
            let c = &mut nodes[child as usize];
            c.parent = parent;
            c.prev = prev;
            c.next = sibling;
            c.depth = depth;
        }
        nodes[sibling as usize].prev = child;
        if prev != NONE {
            nodes[prev as usize].next = child;
        } else if parent != NONE {
            nodes[parent as usize].first_child = child;
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Self;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |n| &n[*target as usize].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        self.new_node(name, Kind::Element(attrs))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.new_node(empty_name(), Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.new_node(empty_name(), Kind::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        let parent = Self::capped_parent(&nodes, *parent, self.max_depth);
        match child {
            NodeOrText::AppendNode(c) => Self::append_child(&mut nodes, parent, c),
            NodeOrText::AppendText(t) => {
                let last = nodes[parent as usize].last_child;
                if last != NONE
                    && let Kind::Text(existing) = &mut nodes[last as usize].kind
                {
                    existing.push_tendril(&t);
                    return;
                }
                drop(nodes);
                let id = self.new_node(empty_name(), Kind::Text(t));
                let mut nodes = self.nodes.borrow_mut();
                Self::append_child(&mut nodes, parent, id);
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let id = match new_node {
            NodeOrText::AppendNode(c) => c,
            NodeOrText::AppendText(t) => {
                {
                    let mut nodes = self.nodes.borrow_mut();
                    let prev = nodes[*sibling as usize].prev;
                    if prev != NONE
                        && let Kind::Text(existing) = &mut nodes[prev as usize].kind
                    {
                        existing.push_tendril(&t);
                        return;
                    }
                }
                self.new_node(empty_name(), Kind::Text(t))
            }
        };
        let mut nodes = self.nodes.borrow_mut();
        Self::insert_before(&mut nodes, *sibling, id);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element(existing) = &mut nodes[*target as usize].kind {
            for a in attrs {
                if !existing.iter().any(|e| e.name == a.name) {
                    existing.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let new_parent = Self::capped_parent(&nodes, *new_parent, self.max_depth);
        let mut c = nodes[*node as usize].first_child;
        while c != NONE {
            let next = nodes[c as usize].next;
            Self::append_child(&mut nodes, new_parent, c);
            c = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_depth(dom: &Dom) -> u32 {
        // Recompute real depths iteratively.
        let mut depth = vec![0u32; dom.nodes.len()];
        let mut max = 0;
        for d in dom.descendants(0) {
            let p = dom.node(d).parent;
            depth[d as usize] = depth[p as usize] + 1;
            max = max.max(depth[d as usize]);
        }
        max
    }

    #[test]
    fn parses_simple() {
        let dom = Dom::parse("<p>Hello <b>world</b></p>", 512);
        let p = dom.find_tag("p").unwrap();
        assert_eq!(dom.text_of(p), "Hello world");
    }

    #[test]
    fn malformed_like_browsers() {
        let dom = Dom::parse("<p>one<p>two<table><tr><td>x</table>", 512);
        let ps: Vec<_> = dom
            .descendants(0)
            .filter(|&d| &**dom.node(d).tag() == "p")
            .collect();
        assert_eq!(ps.len(), 2);
        assert!(dom.find_tag("tbody").is_some());
    }

    #[test]
    fn depth_is_capped() {
        let html = format!("{}deep text", "<div>".repeat(5000));
        let dom = Dom::parse(&html, 100);
        assert!(max_depth(&dom) <= 100, "{}", max_depth(&dom));
        assert!(dom.text_of(0).contains("deep text"));
    }

    #[test]
    fn unclosed_paragraphs_are_not_dropped() {
        let html = format!("<div>{}</div>", "<p>para ".repeat(3000));
        let dom = Dom::parse(&html, 64);
        let ps = dom
            .descendants(0)
            .filter(|&d| &**dom.node(d).tag() == "p")
            .count();
        assert_eq!(ps, 3000);
    }
}
