//! Where the techniques fall: an inline SVG grid, one row per technique found, one column
//! per paragraph, each cell holding the number of highlights that start there. Drawn here,
//! so it needs no script; counts are written in the cells, so it needs no colour either.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::escape;
use crate::analysis::{Analysis, Technique};
use crate::render::facts::{paragraph_of, technique_counts};
use crate::render::guide::guide;

const LABEL_W: usize = 230;
const ROW_H: usize = 24;
const HEAD_H: usize = 22;

/// Writes the chart (nothing when the article has no highlights or no paragraphs).
pub(super) fn write_chart(a: &Analysis, paragraphs: usize, out: &mut String) {
    let rows: Vec<Technique> = technique_counts(a).into_iter().map(|(t, _)| t).collect();
    if rows.is_empty() || paragraphs == 0 {
        out.push_str("<p class=\"note\">No highlights to place.</p>\n");
        return;
    }
    let mut cells: BTreeMap<(Technique, usize), usize> = BTreeMap::new();
    let mut per_par = vec![0usize; paragraphs];
    for t in &a.techniques {
        let p = paragraph_of(a, t.start).unwrap_or(0).min(paragraphs - 1);
        *cells.entry((t.technique, p)).or_default() += 1;
        per_par[p] += 1;
    }
    let cell_w = (720 / paragraphs).clamp(6, 30);
    let width = LABEL_W + cell_w * paragraphs + 10;
    let height = HEAD_H + ROW_H * (rows.len() + 1) + 6;
    let every = match cell_w {
        16.. => 1,
        8..=15 => 5,
        _ => 10,
    };
    let busiest = per_par
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
        .map_or(0, |(i, _)| i + 1);
    let _ = writeln!(
        out,
        "<figure>\n<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"chart-title chart-desc\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n\
         <title id=\"chart-title\">Highlights per paragraph</title>\n\
         <desc id=\"chart-desc\">{n} highlights over {paragraphs} paragraphs; the most in paragraph {busiest}.</desc>",
        n = a.techniques.len()
    );
    // Paragraph numbers.
    for p in 0..paragraphs {
        if p.is_multiple_of(every) || p + 1 == paragraphs {
            let _ = writeln!(
                out,
                "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" fill=\"#555\">{n}</text>",
                x = LABEL_W + p * cell_w + cell_w / 2,
                y = HEAD_H - 7,
                n = p + 1
            );
        }
    }
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"end\" fill=\"#555\">paragraph</text>",
        x = LABEL_W - 8,
        y = HEAD_H - 7
    );
    let max = per_par.iter().copied().max().unwrap_or(1).max(1);
    let mut row = |label: &str,
                   y: usize,
                   counts: &dyn Fn(usize) -> usize,
                   colour: &str,
                   bold: bool| {
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\"{weight}>{label}</text>",
            x = LABEL_W - 8,
            ty = y + ROW_H / 2 + 4,
            weight = if bold { " font-weight=\"700\"" } else { "" },
            label = escape(label)
        );
        for p in 0..paragraphs {
            let c = counts(p);
            let x = LABEL_W + p * cell_w;
            let (fill, opacity) = if c == 0 {
                ("#f2f2f2", 1.0)
            } else {
                (colour, 0.35 + 0.65 * c as f64 / max as f64)
            };
            let _ = write!(
                out,
                "<a href=\"#p{n}\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{fill}\" fill-opacity=\"{opacity:.2}\" stroke=\"#fff\">\
                 <title>paragraph {n}: {c} × {label}</title></rect>",
                n = p + 1,
                w = cell_w,
                h = ROW_H - 2,
                label = escape(label)
            );
            if c > 0 && cell_w >= 12 {
                let _ = write!(
                    out,
                    "<text x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"700\" fill=\"#000\" pointer-events=\"none\">{c}</text>",
                    cx = x + cell_w / 2,
                    cy = y + ROW_H / 2 + 3
                );
            }
            out.push_str("</a>\n");
        }
    };
    row("all techniques", HEAD_H, &|p| per_par[p], "#555555", true);
    for (r, t) in rows.iter().enumerate() {
        let g = guide(*t);
        let label = format!("{} {}", g.code, g.name);
        let y = HEAD_H + ROW_H * (r + 1);
        let count = |p: usize| cells.get(&(*t, p)).copied().unwrap_or(0);
        row(&label, y, &count, g.colour, false);
    }
    out.push_str("</svg>\n");
    write_table(&cells, &per_par, out);
    out.push_str("<figcaption>Each cell counts the highlights that start in that paragraph (darker = more); select a cell to jump to the paragraph.</figcaption>\n</figure>\n");
}

/// The chart's figures as a table, for screen readers and for anyone who prefers numbers:
/// each paragraph with highlights and what they are.
fn write_table(cells: &BTreeMap<(Technique, usize), usize>, per_par: &[usize], out: &mut String) {
    out.push_str(
        "<details><summary>The same as a table</summary>\n<table class=\"where\">\n\
         <thead><tr><th scope=\"col\" class=\"num\">Paragraph</th><th scope=\"col\" class=\"num\">Highlights</th>\
         <th scope=\"col\">Techniques</th></tr></thead>\n<tbody>\n",
    );
    for (p, &n) in per_par.iter().enumerate().filter(|(_, n)| **n > 0) {
        let what: Vec<String> = cells
            .iter()
            .filter(|((_, q), _)| *q == p)
            .map(|((t, _), c)| {
                let name = escape(guide(*t).name);
                if *c > 1 {
                    format!("{name} ×{c}")
                } else {
                    name.into_owned()
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td class=\"num\"><a href=\"#p{0}\">{0}</a></td><td class=\"num\">{n}</td><td>{1}</td></tr>",
            p + 1,
            what.join(", ")
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}
