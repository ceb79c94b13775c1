//! The HTML report: one self-contained page (inline CSS and script, no network, no external
//! fonts) that shows an analysis to a person.
//!
//! The article is written with every technique highlight as a `<mark>` holding exactly the
//! highlighted code points (the text is split on the Rust side, by code point, so the
//! browser's UTF-16 string indexing never comes into it). Overlapping highlights nest; where
//! two cross, the later one is split in two `<mark>`s with the same `data-span`. Each mark
//! points with `aria-describedby` at a numbered note giving the technique, the confidence,
//! whether the technique is reliable and the explanation; the script shows that note as a
//! tooltip on hover and on keyboard focus, and drives the filters. Everything else (chart,
//! tables, legend) is plain HTML and SVG that reads without the script and prints.
//!
//! Sentences the techniques model marks likely persuasive carry a gutter mark in the
//! article's left margin (a bar, not colour alone) that takes keyboard focus and says how
//! likely and which techniques; a legend line above the article explains it, the summary
//! counts them and a filter turns the marks off.

mod article;
mod chart;
pub mod escape;
mod tables;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Render;
use super::facts::{
    CharIndex, actor_names, actors_by_prominence, model_reliability, persuasive_counts,
    shown_claims, technique_counts, word_count,
};
use super::guide::{guide, index};
use crate::analyse::techniques::detector::TechniqueReliability;
use crate::analysis::{AnalyserStatus, Analysis, Technique};
use escape::escape;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Renders an analysis as one standalone HTML page.
///
/// `Html::default()` shows the per-technique reliability of the techniques model named in
/// the analysis's provenance when that model file is found where the default model is
/// looked for; [`Html::with_reliability`] supplies it directly.
#[derive(Debug, Clone, Default)]
pub struct Html {
    reliability: Option<Vec<TechniqueReliability>>,
}

impl Html {
    /// Uses these per-technique figures (e.g. `LoadedModel::model.reliability`) in the
    /// legend instead of looking the model up.
    pub fn with_reliability(mut self, reliability: Vec<TechniqueReliability>) -> Self {
        self.reliability = Some(reliability);
        self
    }

    /// The renderer for analyses made by `pipeline`: the legend shows the reliability of the
    /// techniques model that pipeline loaded (whatever file it came from).
    pub fn for_pipeline(pipeline: &crate::Pipeline) -> Self {
        match pipeline.technique_reliability() {
            Some(r) => Html::default().with_reliability(r.to_vec()),
            None => Html::default(),
        }
    }

    /// The complete page as a string.
    pub fn page(&self, analysis: &Analysis) -> String {
        let found;
        let reliability = match &self.reliability {
            Some(r) => Some(r.as_slice()),
            None => {
                found = model_reliability(analysis);
                found.as_deref()
            }
        };
        page(analysis, reliability)
    }
}

impl Render for Html {
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.page(analysis).as_bytes())
    }
}

/// A probability as a whole percentage.
fn percent(p: f32) -> String {
    format!("{:.0}%", (p * 100.0).clamp(0.0, 100.0))
}

fn page(a: &Analysis, reliability: Option<&[TechniqueReliability]>) -> String {
    let idx = CharIndex::new(&a.text);
    let paragraphs = crate::render::facts::paragraph_ranges(a, idx.len()).len();
    let mut out = String::with_capacity(a.text.len() * 4 + 40_000);
    let title = super::facts::title(a);
    let lang = if a.source.language.is_empty() || a.source.language == "und" {
        "en".to_string()
    } else {
        a.source.language.clone()
    };
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"unspin {ver}\">\n\
         <title>{t} · unspin report</title>\n<style>\n{STYLE}{css}</style>\n</head>\n<body>\n\
         <a class=\"sr-only\" href=\"#article\">Skip to the article</a>\n<div class=\"page\">",
        ver = escape(&a.provenance.unspin_version),
        t = escape(&title),
        css = technique_css(),
    );
    write_header(a, &title, &mut out);
    out.push_str("<main>\n");
    write_summary(a, &mut out);
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"article\">\n<h2 id=\"article\">The article, highlighted</h2>"
    );
    write_techniques_status(a, &mut out);
    write_toolbar(a, &mut out);
    write_sentence_legend(a, &mut out);
    let _ = writeln!(out, "<div lang=\"{}\">", escape(&lang));
    article::write_article(a, &idx, &mut out);
    out.push_str("</div>\n");
    article::write_notes(a, &mut out);
    out.push_str("</section>\n");
    out.push_str(
        "<section aria-labelledby=\"where\">\n<h2 id=\"where\">Where the techniques fall</h2>\n",
    );
    chart::write_chart(a, paragraphs, &mut out);
    out.push_str(
        "</section>\n<section aria-labelledby=\"quotes\">\n<h2 id=\"quotes\">Who is quoted</h2>\n",
    );
    tables::write_quotes(a, &mut out);
    out.push_str("</section>\n<section aria-labelledby=\"actors\">\n<h2 id=\"actors\">Who and what the article is about</h2>\n");
    tables::write_actors(a, &mut out);
    out.push_str("</section>\n<section aria-labelledby=\"claims\">\n<h2 id=\"claims\">Claims worth checking</h2>\n");
    tables::write_claims(a, &mut out);
    out.push_str("</section>\n<section aria-labelledby=\"legend\">\n<h2 id=\"legend\">The 14 techniques</h2>\n");
    tables::write_legend(a, reliability, &mut out);
    out.push_str("</section>\n<section aria-labelledby=\"provenance\">\n<h2 id=\"provenance\">How this report was made</h2>\n");
    tables::write_provenance(a, &mut out);
    out.push_str("</section>\n</main>\n");
    let _ = writeln!(
        out,
        "<footer>Made by unspin {} on this computer; nothing in this page loads anything from the network. \
         Highlights are a model's guesses with calibrated confidences: read them as pointers to passages worth a second look.</footer>\n\
         </div>\n<div id=\"tip\" role=\"tooltip\" hidden></div>\n<script>\n{SCRIPT}</script>\n</body>\n</html>",
        escape(&a.provenance.unspin_version)
    );
    out
}

/// Colours of the 14 highlight classes `t0`…`t13`.
fn technique_css() -> String {
    let mut css = String::new();
    for t in Technique::ALL {
        let g = guide(t);
        let k = index(t);
        let _ = writeln!(
            css,
            "mark.hl.t{k} {{ background: {c}55; border-bottom-color: {c}; }} mark.hl.t{k}.weak {{ background: {c}2e; }}",
            c = g.colour
        );
    }
    css
}

fn write_header(a: &Analysis, title: &str, out: &mut String) {
    let s = &a.source;
    let _ = writeln!(
        out,
        "<header>\n<p class=\"kicker\">unspin report</p>\n<h1>{}</h1>\n<dl class=\"meta\">",
        escape(title)
    );
    let mut item = |k: &str, v: String| {
        let _ = writeln!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    };
    if let Some(site) = &s.site {
        item("Site", escape(site).into_owned());
    }
    if let Some(p) = &s.published {
        item("Published", escape(p).into_owned());
    }
    if !s.authors.is_empty() {
        item("By", escape(&s.authors.join(", ")).into_owned());
    }
    item("Words", format_count(word_count(&a.text)));
    if let Some(u) = &s.url {
        item("Source", tables::link(u));
    } else {
        item("Input", escape(&s.input).into_owned());
    }
    out.push_str("</dl>\n<nav class=\"toc\" aria-label=\"Sections\"><ul>\
        <li><a href=\"#summary\">Summary</a></li><li><a href=\"#article\">Article</a></li>\
        <li><a href=\"#where\">Where</a></li><li><a href=\"#quotes\">Quotes</a></li>\
        <li><a href=\"#actors\">Actors</a></li><li><a href=\"#claims\">Claims</a></li>\
        <li><a href=\"#legend\">The 14 techniques</a></li><li><a href=\"#provenance\">How this was made</a></li>\
        </ul></nav>\n</header>\n");
}

/// 1234567 → "1,234,567".
fn format_count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn write_summary(a: &Analysis, out: &mut String) {
    out.push_str("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">At a glance</h2>\n<div class=\"summary\">\n");
    // Techniques.
    let counts = technique_counts(a);
    let weak = a.techniques.iter().filter(|t| !t.reliable).count();
    let _ = write!(
        out,
        "<section><h3><span class=\"big\">{}</span> highlighted passage{}</h3>",
        a.techniques.len(),
        if a.techniques.len() == 1 { "" } else { "s" }
    );
    if counts.is_empty() {
        out.push_str("<p class=\"note\">No technique found.</p>");
    } else {
        out.push_str("<ul>");
        for (t, c) in &counts {
            let g = guide(*t);
            let _ = write!(
                out,
                "<li><mark class=\"hl t{k} d0{dashed}\" aria-hidden=\"true\">{code}</mark> <a href=\"#legend-t{k}\">{name}</a>: <strong>{c}</strong></li>",
                k = index(*t),
                dashed = if g.dashed { " dashed" } else { "" },
                code = g.code,
                name = escape(g.name)
            );
        }
        out.push_str("</ul>");
        if weak > 0 {
            let _ = write!(
                out,
                "<p class=\"note\">{weak} of them are of techniques the model finds poorly (marked <span class=\"weak-label\">weak</span>).</p>"
            );
        }
    }
    let (persuasive, scored) = persuasive_counts(a);
    if scored > 0 {
        let _ = write!(
            out,
            "<p class=\"ps-count\"><span class=\"pmark-sample\" aria-hidden=\"true\"></span> \
             <strong>{persuasive}</strong> of {scored} sentence{} likely persuasive</p>",
            if scored == 1 { "" } else { "s" }
        );
    }
    out.push_str("</section>\n");
    // Quotes.
    let _ = write!(
        out,
        "<section><h3><span class=\"big\">{}</span> quote{}</h3>",
        a.quotes.len(),
        if a.quotes.len() == 1 { "" } else { "s" }
    );
    let mut speakers: Vec<(String, usize)> = Vec::new();
    for q in &a.quotes {
        let who = q
            .actor
            .as_ref()
            .map(|r| r.name.clone())
            .or_else(|| q.speaker.as_ref().map(|s| s.text.clone()))
            .unwrap_or_else(|| "unattributed".into());
        match speakers.iter_mut().find(|(n, _)| *n == who) {
            Some((_, c)) => *c += 1,
            None => speakers.push((who, 1)),
        }
    }
    if !speakers.is_empty() {
        out.push_str("<ul>");
        for (who, c) in &speakers {
            let _ = write!(out, "<li>{}: {c}</li>", escape(who));
        }
        out.push_str("</ul>");
    }
    let elided = a.quotes.iter().filter(|q| q.elided).count();
    if elided > 0 {
        let _ = write!(
            out,
            "<p class=\"note\"><span class=\"flag\">{elided} elided</span> (words cut).</p>"
        );
    }
    out.push_str("</section>\n");
    // Actors.
    let _ = write!(
        out,
        "<section><h3><span class=\"big\">{}</span> actor{}</h3><ul>",
        a.actors.len(),
        if a.actors.len() == 1 { "" } else { "s" }
    );
    for actor in actors_by_prominence(a).into_iter().take(5) {
        let names: Vec<String> = actor_names(actor)
            .into_iter()
            .filter(|(n, _)| *n != actor.name)
            .map(|(n, _)| format!("“{}”", escape(&n)))
            .collect();
        let also = if names.is_empty() {
            String::new()
        } else {
            format!(", also {}", names.join(", "))
        };
        let _ = write!(
            out,
            "<li><strong>{}</strong>{also}</li>",
            escape(&actor.name)
        );
    }
    out.push_str("</ul></section>\n");
    // Claims.
    let shown = shown_claims(a);
    let _ = write!(
        out,
        "<section><h3><span class=\"big\">{}</span> claim{} to check</h3><ol>",
        shown.len(),
        if shown.len() == 1 { "" } else { "s" }
    );
    for c in shown.into_iter().take(3) {
        let text: String = c.text.chars().take(140).collect();
        let more = if c.text.chars().count() > 140 {
            "…"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<li>{}{more} <span class=\"muted\">({})</span></li>",
            escape(&text),
            percent(c.score)
        );
    }
    out.push_str("</ol></section>\n</div>\n</section>\n");
}

/// Says so when the techniques analyser did not run on this document.
fn write_techniques_status(a: &Analysis, out: &mut String) {
    if let Some(r) = a
        .analysers
        .iter()
        .find(|r| r.name == "techniques" && r.status != AnalyserStatus::Ran)
    {
        let _ = writeln!(
            out,
            "<p class=\"note\"><strong>Techniques were not looked for:</strong> {}</p>",
            escape(r.reason.as_deref().unwrap_or("the analyser did not run"))
        );
    }
}

/// The filters (hidden until the script runs, since they need it).
fn write_toolbar(a: &Analysis, out: &mut String) {
    let counts = technique_counts(a);
    let persuasive = persuasive_counts(a).0;
    if counts.is_empty() && persuasive == 0 {
        return;
    }
    out.push_str("<form class=\"toolbar\" id=\"filters\" hidden onsubmit=\"return false\">\n<fieldset>\n<legend>Show</legend>\n");
    for (t, c) in &counts {
        let g = guide(*t);
        let _ = writeln!(
            out,
            "<label><input type=\"checkbox\" checked data-t=\"{k}\"> <mark class=\"hl t{k} d0{dashed}\" aria-hidden=\"true\">{code}</mark> {name} ({c})</label>",
            k = index(*t),
            dashed = if g.dashed { " dashed" } else { "" },
            code = g.code,
            name = escape(g.name)
        );
    }
    if persuasive > 0 {
        let _ = writeln!(
            out,
            "<label><input type=\"checkbox\" id=\"show-ps\" checked> <span class=\"pmark-sample\" aria-hidden=\"true\"></span> mark likely persuasive sentences ({persuasive})</label>"
        );
    }
    out.push_str(
        "<label><input type=\"checkbox\" id=\"show-weak\" checked> weak techniques</label>\n\
         <label>lowest confidence <input type=\"range\" id=\"min-conf\" min=\"0\" max=\"0.7\" step=\"0.05\" value=\"0\"> <output id=\"min-conf-out\" for=\"min-conf\">0%</output></label>\n\
         <button type=\"button\" id=\"filter-all\">all</button> <button type=\"button\" id=\"filter-none\">none</button>\n\
         </fieldset>\n</form>\n<p class=\"note screen-only\">Hover over a highlight or move to it with the Tab key to read why it was marked. \
         The small label after each highlight gives the technique's code and the note's number; a question mark flags a weak technique.</p>\n",
    );
}

/// The legend of the sentence layer's gutter mark, when some sentence has it.
fn write_sentence_legend(a: &Analysis, out: &mut String) {
    let (persuasive, scored) = persuasive_counts(a);
    if persuasive == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note ps-legend\"><span class=\"pmark-sample\" aria-hidden=\"true\"></span> \
         <strong>A bar in the left margin</strong> marks a sentence that is likely persuasive \
         ({persuasive} of {scored} here): the model's probability that it uses a persuasion technique \
         reaches its threshold for marking, whether or not a passage in it is highlighted. \
         Hover over the bar or move to it with the Tab key to read how likely, and which techniques.</p>"
    );
}
