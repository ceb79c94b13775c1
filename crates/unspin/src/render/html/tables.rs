//! The legend, the quotes, actors and claims tables, and the provenance.

use std::fmt::Write as _;

use super::escape::{escape, safe_link};
use super::percent;
use crate::analyse::techniques::detector::TechniqueReliability;
use crate::analysis::{AnalyserStatus, Analysis, QuoteKind, Technique};
use crate::render::facts::{
    actor_name, actor_names, actors_by_prominence, claims_by_score, pronoun_count, shown_claims,
    technique_counts,
};
use crate::render::guide::{guide, index};

/// Whether the model detects a technique reliably, and the figures behind it when known.
fn reliability_cell(
    t: Technique,
    a: &Analysis,
    reliability: Option<&[TechniqueReliability]>,
) -> String {
    if let Some(r) = reliability.and_then(|r| r.iter().find(|r| r.technique == t)) {
        let verdict = if r.reliable {
            "<span class=\"ok-label\">reliable</span>"
        } else {
            "<span class=\"weak-label\">weak</span>"
        };
        return format!(
            "{verdict}<br><span class=\"muted\">F1 {:.2} on {} training passages</span>",
            r.f1, r.support
        );
    }
    match a.techniques.iter().find(|s| s.technique == t) {
        Some(s) if s.reliable => "<span class=\"ok-label\">reliable</span>".into(),
        Some(_) => "<span class=\"weak-label\">weak</span>".into(),
        None => "<span class=\"muted\">not known</span>".into(),
    }
}

/// The legend: every technique with a sample of its highlight, a definition, an invented
/// example, how well the model finds it, and how often it appears here.
pub(super) fn write_legend(
    a: &Analysis,
    reliability: Option<&[TechniqueReliability]>,
    out: &mut String,
) {
    let counts = technique_counts(a);
    out.push_str(
        "<table class=\"legend\">\n<caption>Examples are invented for this guide. \
         “Reliable” means the model found the technique with an F1 of at least 0.15 when tested \
         on articles it had not been trained on, from at least 100 training passages; \
         highlights of weak techniques are hints, not findings.</caption>\n\
         <thead><tr><th scope=\"col\">Looks like</th><th scope=\"col\">Technique</th>\
         <th scope=\"col\">What it is</th><th scope=\"col\">Example</th>\
         <th scope=\"col\">How well the model finds it</th><th scope=\"col\" class=\"num\">Here</th></tr></thead>\n<tbody>\n",
    );
    for t in Technique::ALL {
        let g = guide(t);
        let k = index(t);
        let here = counts.iter().find(|(x, _)| *x == t).map_or(0, |(_, c)| *c);
        let _ = writeln!(
            out,
            "<tr id=\"legend-t{k}\"><td><mark class=\"hl t{k} d0 end{dashed}\" data-code=\"{code}\" data-n=\"\" aria-hidden=\"true\">passage</mark></td>\
             <th scope=\"row\">{name}<br><code>{corpus}</code></th><td>{def}</td><td class=\"example\">“{ex}”</td>\
             <td>{rel}</td><td class=\"num\">{here}</td></tr>",
            dashed = if g.dashed { " dashed" } else { "" },
            code = g.code,
            name = escape(g.name),
            corpus = escape(t.as_str()),
            def = escape(g.definition),
            ex = escape(g.example),
            rel = reliability_cell(t, a, reliability),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The quotes table: what was said, by whom as written, who that resolves to and how.
pub(super) fn write_quotes(a: &Analysis, out: &mut String) {
    if a.quotes.is_empty() {
        out.push_str("<p class=\"note\">No quotes found.</p>\n");
        return;
    }
    out.push_str(
        "<table class=\"quotes\">\n<caption>Elided quotes contain an ellipsis or a bracketed cut: \
         words were left out, so check the full statement.</caption>\n\
         <thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Quote</th>\
         <th scope=\"col\">Speaker as written</th><th scope=\"col\">Resolved to</th>\
         <th scope=\"col\">How it was resolved</th></tr></thead>\n<tbody>\n",
    );
    for (i, q) in a.quotes.iter().enumerate() {
        let kind = match q.kind {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect (reported)",
        };
        let speaker = q
            .speaker
            .as_ref()
            .map_or("<span class=\"muted\">none</span>".into(), |s| {
                escape(&s.text).into_owned()
            });
        let actor =
            q.actor
                .as_ref()
                .map_or("<span class=\"muted\">unresolved</span>".into(), |r| {
                    format!(
                        "{} <span class=\"muted\">({})</span>",
                        escape(&r.name),
                        kind_name(r.kind)
                    )
                });
        let cue = q
            .cue
            .as_ref()
            .map(|c| format!(" · cue “{}”", escape(&c.text)))
            .unwrap_or_default();
        let actor = match q.confidence {
            Some(p) if p < crate::analyse::quotes::UNCERTAIN_BELOW && q.speaker.is_some() => {
                format!(
                    "{actor} <span class=\"flag\">uncertain: {:.0}%</span>",
                    p * 100.0
                )
            }
            Some(p) => format!("{actor} <span class=\"muted\">{:.0}%</span>", p * 100.0),
            None => actor,
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{n}</td><td><span class=\"quote\">“{text}”</span><br>\
             <span class=\"muted\">{kind}{cue}</span>{elided}</td><td>{speaker}</td><td>{actor}</td><td>{how}</td></tr>",
            n = i + 1,
            text = escape(&q.text),
            elided = if q.elided {
                " <span class=\"flag\">elided: words cut</span>"
            } else {
                ""
            },
            how = escape(&q.resolution),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A reader-facing name of an actor type.
fn kind_name(kind: crate::analysis::ActorType) -> &'static str {
    use crate::analysis::ActorType::*;
    match kind {
        Person => "person",
        Organisation => "organisation",
        Country => "country",
        Place => "place",
        Document => "document",
    }
}

/// The actors table: each actor with every name the article gives it.
pub(super) fn write_actors(a: &Analysis, out: &mut String) {
    if a.actors.is_empty() {
        out.push_str("<p class=\"note\">No actors found.</p>\n");
        return;
    }
    out.push_str(
        "<table class=\"actors\">\n<caption>Names as the article writes them, in order of first \
         use, with how many times each is used; descriptors are the titles and labels the \
         article attaches to the actor.</caption>\n\
         <thead><tr><th scope=\"col\">Actor</th><th scope=\"col\">Type</th>\
         <th scope=\"col\">Named as</th><th scope=\"col\">Descriptors</th>\
         <th scope=\"col\" class=\"num\">Mentions</th></tr></thead>\n<tbody>\n",
    );
    for actor in actors_by_prominence(a) {
        let mut names = String::from("<ul class=\"names\">");
        for (name, count) in actor_names(actor).into_iter().filter(|(_, c)| *c > 0) {
            let times = if count > 1 {
                format!(" <span class=\"muted\">×{count}</span>")
            } else {
                String::new()
            };
            let _ = write!(names, "<li>{}{times}</li>", escape(&name));
        }
        let pronouns = pronoun_count(actor);
        if pronouns > 0 {
            let _ = write!(
                names,
                "<li class=\"muted\">{pronouns} pronoun{}</li>",
                if pronouns == 1 { "" } else { "s" }
            );
        }
        names.push_str("</ul>");
        let descriptors = if actor.descriptors.is_empty() {
            "<span class=\"muted\">none</span>".to_string()
        } else {
            let mut d = String::from("<ul class=\"names\">");
            let mut seen: Vec<&str> = Vec::new();
            for x in &actor.descriptors {
                if !seen.contains(&x.text.as_str()) {
                    seen.push(&x.text);
                    let _ = write!(d, "<li>{}</li>", escape(&x.text));
                }
            }
            d + "</ul>"
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{name}</th><td>{kind}</td><td>{names}</td><td>{descriptors}</td><td class=\"num\">{m}</td></tr>",
            name = escape(&actor.name),
            kind = kind_name(actor.kind),
            m = actor.mentions.len(),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The claims, highest check-worthiness first, with the reason for each score: those at
/// or above the report threshold in the claims table, the other statements in a folded
/// table under it.
pub(super) fn write_claims(a: &Analysis, out: &mut String) {
    let shown = shown_claims(a);
    let others: Vec<&crate::analysis::Claim> = claims_by_score(a)
        .into_iter()
        .filter(|c| c.score < crate::analyse::claims::REPORT_THRESHOLD)
        .collect();
    if shown.is_empty() {
        out.push_str("<p class=\"note\">No check-worthy claims found.</p>\n");
    } else {
        let _ = write!(
            out,
            "<table class=\"claims\">\n<caption>Score: how likely the statement is worth \
             checking (0 to 100%), learned from statements fact-checkers and annotators chose; \
             shown from {:.0}%.</caption>\n",
            crate::analyse::claims::REPORT_THRESHOLD * 100.0
        );
        claim_rows(a, &shown, 0, out);
    }
    if !others.is_empty() {
        let _ = write!(
            out,
            "<details class=\"statements\"><summary>{} other statement{} scoring below {:.0}%</summary>\n\
             <table class=\"statements\">\n",
            others.len(),
            if others.len() == 1 { "" } else { "s" },
            crate::analyse::claims::REPORT_THRESHOLD * 100.0
        );
        claim_rows(a, &others, shown.len(), out);
        out.push_str("</details>\n");
    }
}

/// The head and rows of a claims table, ranks counted from `first + 1`.
fn claim_rows(a: &Analysis, claims: &[&crate::analysis::Claim], first: usize, out: &mut String) {
    out.push_str(
        "<thead><tr><th scope=\"col\" class=\"num\">Rank</th><th scope=\"col\">Claim</th>\
         <th scope=\"col\" class=\"num\">Score</th><th scope=\"col\">Kind</th>\
         <th scope=\"col\">Why</th></tr></thead>\n<tbody>\n",
    );
    for (i, c) in claims.iter().enumerate() {
        let actors: Vec<String> = c
            .actors
            .iter()
            .filter_map(|id| actor_name(a, id))
            .map(|n| escape(n).into_owned())
            .collect();
        let involves = if actors.is_empty() {
            String::new()
        } else {
            format!(
                "<br><span class=\"muted\">involves {}</span>",
                actors.join(", ")
            )
        };
        // In a transcript, who says it.
        let speaker = c.speaker.as_deref().map_or(String::new(), |s| {
            format!("<span class=\"speaker\">{}:</span> ", escape(s))
        });
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{n}</td><td class=\"quote\">{speaker}{text}{involves}</td><td class=\"num\">{score}</td>\
             <td>{kind}</td><td>{reason}</td></tr>",
            n = first + i + 1,
            text = escape(&c.text),
            score = percent(c.score),
            kind = escape(&kind),
            reason = escape(&c.reason),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// What produced the analysis: version, models, options, source, analysers and warnings.
pub(super) fn write_provenance(a: &Analysis, out: &mut String) {
    let p = &a.provenance;
    let s = &a.source;
    out.push_str("<dl class=\"prov\">\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{v}</dd>", escape(k));
    };
    let models: Vec<String> = p
        .models
        .iter()
        .map(|m| {
            format!(
                "{} version {}{} <span class=\"muted\">(SHA-256 <code>{}</code>)</span>",
                escape(&m.name),
                escape(&m.version),
                m.variant
                    .as_deref()
                    .map_or_else(String::new, |v| format!(" ({})", escape(v))),
                escape(&m.sha256)
            )
        })
        .collect();
    row("unspin", format!("version {}", escape(&p.unspin_version)));
    row("analysis schema", escape(&a.schema_version).into_owned());
    row(
        "models",
        if models.is_empty() {
            "none".into()
        } else {
            models.join("<br>")
        },
    );
    for r in &a.analysers {
        let status = match r.status {
            AnalyserStatus::Ran => "ran".to_string(),
            AnalyserStatus::Skipped => "skipped".to_string(),
            AnalyserStatus::Unavailable => "unavailable".to_string(),
        };
        let reason = r
            .reason
            .as_deref()
            .map(|x| format!(": {}", escape(x)))
            .unwrap_or_default();
        row(&format!("{} analyser", r.name), format!("{status}{reason}"));
    }
    if !p.options.is_empty() {
        let opts: Vec<String> = p
            .options
            .iter()
            .map(|(k, v)| format!("{}={}", escape(k), escape(&v.to_string())))
            .collect();
        row("options", format!("<code>{}</code>", opts.join(" ")));
    }
    row("input", escape(&s.input).into_owned());
    if let Some(u) = &s.url {
        row("URL", link(u));
    }
    if let Some(c) = &s.canonical_url {
        row("canonical URL", link(c));
    }
    row(
        "language",
        format!("{} ({})", escape(&s.language), escape(&s.language_source)),
    );
    if let Some(c) = &s.charset {
        row("charset", escape(c).into_owned());
    }
    if let Some(e) = &s.extractor {
        row("extractor", escape(e).into_owned());
    }
    row(
        "text SHA-256",
        format!("<code>{}</code>", escape(&p.text_sha256)),
    );
    for w in &a.warnings {
        row("warning", escape(w).into_owned());
    }
    out.push_str("</dl>\n");
}

/// A link to a web URL, or the URL as text when it is not `http(s)`.
pub(super) fn link(url: &str) -> String {
    match safe_link(url) {
        Some(u) => format!(
            "<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
            escape(u)
        ),
        None => escape(url).into_owned(),
    }
}
