//! Laying overlapping highlights out as properly nested pieces, so that a renderer can wrap
//! each piece in an element (or a pair of markers) without crossing tags.
//!
//! Two highlights that cross (`[a (b a] b)`) cannot both be one element; the later one is
//! split where the earlier one ends. Nested and disjoint highlights are never split.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A part of a highlight, nested in or disjoint from every other piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Index of the highlight this piece belongs to.
    pub span: usize,
    /// How many pieces enclose this one.
    pub depth: usize,
    /// True for the piece that starts where its highlight starts.
    pub first: bool,
    /// True for the piece that ends where its highlight ends.
    pub last: bool,
}

/// Splits highlights (`(start, end)` code-point ranges, indexed by position) into pieces
/// that nest or are disjoint, ordered by start, longest first. Empty ranges give no piece.
pub fn laminate(spans: &[(usize, usize)]) -> Vec<Piece> {
    let mut queue: BinaryHeap<Reverse<(usize, Reverse<usize>, usize)>> = spans
        .iter()
        .enumerate()
        .filter(|(_, (s, e))| s < e)
        .map(|(i, &(s, e))| Reverse((s, Reverse(e), i)))
        .collect();
    let mut open: Vec<usize> = Vec::new();
    let mut pieces = Vec::new();
    while let Some(Reverse((start, Reverse(end), span))) = queue.pop() {
        while open.last().is_some_and(|&e| e <= start) {
            open.pop();
        }
        let end = match open.last() {
            Some(&outer) if end > outer => {
                queue.push(Reverse((outer, Reverse(end), span)));
                outer
            }
            _ => end,
        };
        pieces.push(Piece {
            start,
            end,
            span,
            depth: open.len(),
            first: start == spans[span].0,
            last: end == spans[span].1,
        });
        open.push(end);
    }
    pieces
}

/// The highlights that touch the stretch `from..to` (a paragraph), clipped to it and laid out
/// by [`laminate`]: returns their indices in `spans`, and the pieces, whose `span` indexes
/// `spans` (not the clipped list).
pub fn laminate_within(
    spans: &[(usize, usize)],
    from: usize,
    to: usize,
) -> (Vec<usize>, Vec<Piece>) {
    let local: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].0 < to && spans[i].1 > from)
        .collect();
    let clipped: Vec<(usize, usize)> = local
        .iter()
        .map(|&i| (spans[i].0.max(from), spans[i].1.min(to)))
        .collect();
    let pieces = laminate(&clipped)
        .into_iter()
        .map(|p| Piece {
            span: local[p.span],
            ..p
        })
        .collect();
    (local, pieces)
}

/// One step of writing out a stretch of text with its pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'p> {
    /// Plain text between two code points.
    Text(usize, usize),
    /// A piece begins.
    Open(&'p Piece),
    /// A piece ends.
    Close(&'p Piece),
}

/// The events that write the code points `from..to` with the pieces that lie inside it
/// (from [`laminate`]), in order; tags always close in reverse order of opening.
pub fn events(pieces: &[Piece], from: usize, to: usize) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut stack: Vec<&Piece> = Vec::new();
    let mut pos = from;
    let text = |out: &mut Vec<Event<'_>>, pos: &mut usize, upto: usize| {
        if upto > *pos {
            out.push(Event::Text(*pos, upto));
            *pos = upto;
        }
    };
    for p in pieces.iter().filter(|p| p.start >= from && p.end <= to) {
        while let Some(top) = stack.last().copied().filter(|t| t.end <= p.start) {
            text(&mut out, &mut pos, top.end);
            out.push(Event::Close(top));
            stack.pop();
        }
        text(&mut out, &mut pos, p.start);
        out.push(Event::Open(p));
        stack.push(p);
    }
    while let Some(top) = stack.pop() {
        text(&mut out, &mut pos, top.end);
        out.push(Event::Close(top));
    }
    text(&mut out, &mut pos, to);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` with `[` and `]<span>` markers.
    fn mark(text: &str, spans: &[(usize, usize)]) -> String {
        let chars: Vec<char> = text.chars().collect();
        let pieces = laminate(spans);
        let mut s = String::new();
        for e in events(&pieces, 0, chars.len()) {
            match e {
                Event::Text(a, b) => s.extend(&chars[a..b]),
                Event::Open(_) => s.push('['),
                Event::Close(p) => s.push_str(&format!("]{}", p.span)),
            }
        }
        s
    }

    #[test]
    fn nested_disjoint_and_crossing() {
        assert_eq!(mark("abcdef", &[(0, 2), (3, 5)]), "[ab]0c[de]1f");
        assert_eq!(mark("abcdef", &[(0, 6), (1, 3)]), "[a[bc]1def]0");
        assert_eq!(mark("abcdef", &[(0, 4), (2, 6)]), "[ab[cd]1]0[ef]1");
        assert_eq!(mark("abcdef", &[(1, 3), (1, 3)]), "a[[bc]1]0def");
        assert_eq!(mark("abc", &[(1, 1), (2, 3)]), "ab[c]1");
    }

    #[test]
    fn pieces_cover_each_span_exactly() {
        let spans = [(0, 10), (5, 15), (7, 20), (12, 13), (0, 3)];
        let pieces = laminate(&spans);
        for (i, &(s, e)) in spans.iter().enumerate() {
            let mut covered: Vec<usize> = pieces
                .iter()
                .filter(|p| p.span == i)
                .flat_map(|p| p.start..p.end)
                .collect();
            covered.sort_unstable();
            assert_eq!(covered, (s..e).collect::<Vec<_>>(), "span {i}");
        }
        for a in &pieces {
            for b in &pieces {
                let disjoint = a.end <= b.start || b.end <= a.start;
                let nested = (a.start <= b.start && b.end <= a.end)
                    || (b.start <= a.start && a.end <= b.end);
                assert!(disjoint || nested, "{a:?} crosses {b:?}");
            }
        }
    }
}
