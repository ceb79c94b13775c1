//! The article text with its technique highlights, and the numbered notes that explain each
//! highlight (the tooltips' text, and what screen readers announce).
//!
//! Sentences the techniques model marks likely persuasive get a gutter mark (`span.pmark`,
//! focusable, its text in `aria-label` and `title`) where they start, and their text is
//! written in `span.ps` pieces inside the innermost element holding it, so that they never
//! cross a highlight's tags.

use std::fmt::Write as _;

use super::escape::escape;
use super::percent;
use crate::analysis::{Analysis, ParagraphKind, TechniqueSpan};
use crate::render::facts::{CharIndex, highlight_ranges, paragraph_ranges, persuasion_summary};
use crate::render::guide::{guide, index};
use crate::render::layers::{Event, Piece, events, laminate_within};

/// Writes the article: one `<p>` per paragraph, each highlight a `<mark>` (split only where
/// highlights cross or a paragraph ends), holding exactly the highlighted code points.
pub(super) fn write_article(a: &Analysis, idx: &CharIndex, out: &mut String) {
    let n = idx.len();
    let spans = highlight_ranges(a, n);
    // Highlights already opened: the first piece of each is the one that takes focus (a
    // highlight may start between paragraphs, where no piece starts).
    let mut opened = vec![false; spans.len()];
    let mut layer = Layer::new(a, n);
    out.push_str("<div class=\"article\" id=\"article-text\">\n");
    for (pi, (ps, pe, kind)) in paragraph_ranges(a, n).into_iter().enumerate() {
        // The highlights of this paragraph, clipped to it.
        let (_, pieces) = laminate_within(&spans, ps, pe);
        let class = match kind {
            ParagraphKind::Body => "body",
            ParagraphKind::Heading => "heading",
            ParagraphKind::ListItem => "item",
        };
        let _ = write!(
            out,
            "<p id=\"p{0}\" data-n=\"{0}\" class=\"{class}\">",
            pi + 1
        );
        for event in events(&pieces, ps, pe) {
            match event {
                Event::Text(s, e) => layer.text(a, idx, s, e, out),
                Event::Open(p) => {
                    layer.enter(a, p.start, out);
                    let first = !std::mem::replace(&mut opened[p.span], true);
                    open_mark(&a.techniques[p.span], p, spans[p.span], first, out)
                }
                Event::Close(_) => out.push_str("</mark>"),
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("</div>\n");
}

/// Where the sentences marked likely persuasive lie, and which have their gutter mark.
struct Layer {
    /// For each code point, the index in `sentences` of the marked sentence holding it.
    at: Vec<Option<usize>>,
    /// Marked sentences whose gutter mark is written.
    written: Vec<bool>,
}

impl Layer {
    fn new(a: &Analysis, n: usize) -> Self {
        let mut at = vec![None; n];
        for (i, s) in a.sentences.iter().enumerate() {
            if s.persuasion.as_ref().is_some_and(|p| p.persuasive) {
                let start = s.start.min(n);
                at[start..s.end.min(n).max(start)].fill(Some(i));
            }
        }
        Layer {
            at,
            written: vec![false; a.sentences.len()],
        }
    }

    fn get(&self, i: usize) -> Option<usize> {
        self.at.get(i).copied().flatten()
    }

    /// Writes the gutter mark of the marked sentence holding code point `i`, if not yet
    /// written.
    fn enter(&mut self, a: &Analysis, i: usize, out: &mut String) {
        let Some(s) = self.get(i) else { return };
        if std::mem::replace(&mut self.written[s], true) {
            return;
        }
        let Some(p) = &a.sentences[s].persuasion else {
            return;
        };
        let label = persuasion_summary(p);
        let _ = write!(
            out,
            "<span class=\"pmark\" role=\"img\" tabindex=\"0\" data-s=\"{n}\" aria-label=\"{l}\" title=\"{l}\"></span>",
            n = s + 1,
            l = escape(&label),
        );
    }

    /// Writes the text `from..to`, the parts in marked sentences as `span.ps`.
    fn text(&mut self, a: &Analysis, idx: &CharIndex, from: usize, to: usize, out: &mut String) {
        let mut s = from;
        while s < to {
            let m = self.get(s);
            let e = (s + 1..to).find(|&i| self.get(i) != m).unwrap_or(to);
            let text = escape(idx.slice(s, e));
            match m {
                Some(i) => {
                    self.enter(a, s, out);
                    let _ = write!(out, "<span class=\"ps\" data-s=\"{}\">{text}</span>", i + 1);
                }
                None => out.push_str(&text),
            }
            s = e;
        }
    }
}

/// The opening tag of one piece of highlight `p.span` (numbered from 1 in the page);
/// `first` for its first piece, which takes keyboard focus.
fn open_mark(t: &TechniqueSpan, p: &Piece, whole: (usize, usize), first: bool, out: &mut String) {
    let g = guide(t.technique);
    let k = index(t.technique);
    let num = p.span + 1;
    let mut class = format!("hl t{k} d{}", p.depth.min(3));
    if g.dashed {
        class.push_str(" dashed");
    }
    if !t.reliable {
        class.push_str(" weak");
    }
    if p.end == whole.1 {
        class.push_str(" end");
    }
    let title = format!(
        "{} · {} confidence{}",
        g.name,
        percent(t.confidence),
        if t.reliable { "" } else { " · weak technique" }
    );
    let _ = write!(
        out,
        "<mark class=\"{class}\" data-span=\"{num}\" data-n=\"{num}\" data-t=\"{k}\" data-code=\"{code}\" \
         data-conf=\"{conf}\" aria-describedby=\"hl-{num}\" title=\"{title}\"{focus}>",
        code = g.code,
        conf = t.confidence,
        title = escape(&title),
        focus = if first {
            " data-first=\"\" tabindex=\"0\""
        } else {
            ""
        },
    );
}

/// Writes the numbered notes: technique, confidence, reliability, the passage and why.
pub(super) fn write_notes(a: &Analysis, out: &mut String) {
    if a.techniques.is_empty() {
        return;
    }
    out.push_str(
        "<h3 id=\"highlights\">Every highlight, explained</h3>\n<ol class=\"hl-notes\">\n",
    );
    for (i, t) in a.techniques.iter().enumerate() {
        let g = guide(t.technique);
        let k = index(t.technique);
        let _ = writeln!(
            out,
            "<li id=\"hl-{n}\" class=\"t{k}{weak}\" data-t=\"{k}\" data-conf=\"{conf}\" style=\"border-left-color:{colour}\">\
             <strong><span class=\"tag\">{code}&nbsp;{n}</span> {name}</strong> · {pct} confidence · {rel}<br>\
             <span class=\"quote\">“{text}”</span><br><span class=\"why\">{why}</span></li>",
            n = i + 1,
            weak = if t.reliable { "" } else { " weak" },
            conf = t.confidence,
            colour = g.colour,
            code = g.code,
            name = escape(g.name),
            pct = percent(t.confidence),
            rel = if t.reliable {
                "<span class=\"ok-label\">reliable technique</span>"
            } else {
                "<span class=\"weak-label\">weak technique: treat as a hint</span>"
            },
            text = escape(&t.text),
            why = escape(&t.explanation),
        );
    }
    out.push_str("</ol>\n");
}
