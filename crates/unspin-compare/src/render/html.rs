//! The comparison as one self-contained HTML page: the versions side by side, a column
//! each, no script and nothing fetched.

use std::fmt::Write;

use unspin::render::html::escape::escape;

use crate::{Comparison, Coverage};

const STYLE: &str = "
:root { --ink:#1b1b1b; --muted:#555; --rule:#d0d0d0; --accent:#0072B2; --hostile:#b3261e; }
body { margin:0; color:var(--ink); font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif; }
.page { max-width:90rem; margin:0 auto; padding:1.2rem 1.2rem 3rem; }
h1 { font-size:1.5rem; margin:.2rem 0 .8rem; }
h2 { font-size:1.2rem; margin:2rem 0 .5rem; padding-top:.5rem; border-top:2px solid var(--ink); }
.note { color:var(--muted); font-size:.88rem; max-width:50rem; }
table { border-collapse:collapse; width:100%; font-size:.9rem; }
th, td { border:1px solid var(--rule); padding:.35rem .5rem; vertical-align:top; text-align:left; }
th { background:#f4f4f4; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
.absent { color:var(--muted); font-style:italic; }
.hostile { color:var(--hostile); font-weight:600; }
.hostile::after { content:' (hostile)'; font-weight:400; font-size:.8em; }
.cov { font-size:.75rem; font-weight:600; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); }
blockquote { margin:.2rem 0; padding-left:.6rem; border-left:3px solid var(--rule); }
.bar { display:inline-block; height:.7rem; background:var(--accent); vertical-align:middle; }
";

fn e(s: &str) -> String {
    escape(s).into_owned()
}

/// The page.
pub fn render(c: &Comparison) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>unspin: {} versions compared</title><style>{STYLE}</style></head><body><main class=\"page\">",
        c.versions.len()
    );
    let _ = write!(
        h,
        "<h1>{} versions of one story, side by side</h1>",
        c.versions.len()
    );
    let _ = write!(
        h,
        "<p class=\"note\">Claims are aligned by their words (and numbers); actors are linked across the articles by name; \
         hostile labels are names and descriptors inside passages the techniques model marks as name-calling or loaded language. \
         Every figure comes from each article's own analysis.</p>"
    );
    // Versions.
    h.push_str("<h2 id=\"versions\">Versions</h2><table><tr><th>version</th><th>outlet</th><th>headline</th><th>published</th><th>words</th></tr>");
    for v in &c.versions {
        let label = match &v.url {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                format!("<a href=\"{}\">{}</a>", e(u), e(&v.label))
            }
            _ => e(&v.label),
        };
        let _ = write!(
            h,
            "<tr><td>{label}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            e(&v.outlet),
            v.title.as_deref().map(e).unwrap_or_default(),
            v.published.as_deref().map(e).unwrap_or_default(),
            v.words
        );
    }
    h.push_str("</table>");
    // Pairs.
    if !c.pairs.is_empty() {
        h.push_str("<h2 id=\"similarity\">Similarity of each pair</h2><table><tr><th>versions</th><th>similarity</th><th>text</th><th>shared claims</th><th>shared actors</th></tr>");
        for p in &c.pairs {
            let _ = write!(
                h,
                "<tr><td>{} ↔ {}</td><td class=\"num\"><span class=\"bar\" style=\"width:{:.0}px\"></span> {:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td></tr>",
                e(&p.a),
                e(&p.b),
                p.similarity * 80.0,
                p.similarity,
                p.text,
                p.claims,
                p.actors
            );
        }
        h.push_str("</table>");
    }
    let head: String = c
        .versions
        .iter()
        .map(|v| {
            format!(
                "<th>{}<br><small>{}</small></th>",
                e(&v.label),
                e(&v.outlet)
            )
        })
        .collect();
    // Claims.
    let _ = write!(
        h,
        "<h2 id=\"claims\">What each includes and omits</h2><table><tr><th>claim</th>{head}</tr>"
    );
    for a in &c.claims {
        let cov = match a.coverage {
            Coverage::All => "in all",
            Coverage::Some => "in some",
            Coverage::One => "in one",
        };
        let _ = write!(h, "<tr><td class=\"cov\">{cov}</td>");
        for v in &c.versions {
            let here: Vec<String> = a
                .statements
                .iter()
                .filter(|s| s.version == v.label)
                .map(|s| format!("<blockquote>{}</blockquote>", e(&s.text)))
                .collect();
            if here.is_empty() {
                h.push_str("<td class=\"absent\">not stated</td>");
            } else {
                let _ = write!(h, "<td>{}</td>", here.join(""));
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    // Actors.
    let _ = write!(
        h,
        "<h2 id=\"actors\">How each names each actor</h2><table><tr><th>actor</th>{head}</tr>"
    );
    for a in &c.actors {
        let _ = write!(
            h,
            "<tr><td><b>{}</b><br><small>{:?}</small></td>",
            e(&a.name),
            a.kind
        );
        for v in &c.versions {
            match a.naming.iter().find(|n| n.version == v.label) {
                Some(n) => {
                    let label = |l: &crate::Label| {
                        format!(
                            "<span{}>{}</span> ×{}",
                            if l.hostile { " class=\"hostile\"" } else { "" },
                            e(&l.text),
                            l.count
                        )
                    };
                    let names: Vec<String> = n.names.iter().map(label).collect();
                    let desc: Vec<String> = n.descriptors.iter().map(label).collect();
                    let _ = write!(
                        h,
                        "<td>{}{}<br><small>{} mentions</small></td>",
                        if names.is_empty() {
                            "pronouns only".to_owned()
                        } else {
                            names.join(", ")
                        },
                        if desc.is_empty() {
                            String::new()
                        } else {
                            format!("<br><i>described as</i> {}", desc.join(", "))
                        },
                        n.mentions
                    );
                }
                None => h.push_str("<td class=\"absent\">not named</td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    // Quotes.
    let _ = write!(
        h,
        "<h2 id=\"quotes\">Whom each quotes</h2><table><tr>{head}</tr><tr>"
    );
    for q in &c.quotes {
        let rows: Vec<String> = q
            .speakers
            .iter()
            .map(|s| {
                format!(
                    "<li>{}: {} quotes, {} words</li>",
                    e(&s.name),
                    s.quotes,
                    s.words
                )
            })
            .collect();
        let _ = write!(
            h,
            "<td>{} quotes, {} words<ul>{}</ul></td>",
            q.quotes,
            q.words,
            rows.join("")
        );
    }
    h.push_str("</tr></table>");
    // Techniques.
    let _ = write!(
        h,
        "<h2 id=\"techniques\">Techniques per 1,000 words</h2><table><tr>{head}</tr><tr>"
    );
    for t in &c.techniques {
        let mut cell = format!("<b>{:.1}</b> per 1,000 words", t.per_1000_words);
        for u in &t.techniques {
            let _ = write!(
                cell,
                "<details><summary>{} — {} ({:.1})</summary>{}</details>",
                e(u.technique.as_str()),
                u.count,
                u.per_1000_words,
                u.passages
                    .iter()
                    .map(|p| format!("<blockquote>{}</blockquote>", e(&p.text)))
                    .collect::<String>()
            );
        }
        let _ = write!(h, "<td>{cell}</td>");
    }
    h.push_str("</tr></table>");
    // Headlines.
    h.push_str("<h2 id=\"headlines\">Headlines</h2><table><tr><th>version</th><th>headline</th><th>names</th><th>techniques</th><th>words no other headline uses</th></tr>");
    for x in &c.headlines {
        let names: Vec<String> = x
            .actors
            .iter()
            .filter_map(|ha| {
                let a = c.actors.iter().find(|a| a.id == ha.actor)?;
                Some(format!("{} as “{}”", e(&a.name), e(&ha.names.join("”, “"))))
            })
            .collect();
        let t: Vec<&str> = x.techniques.iter().map(|t| t.as_str()).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&x.version),
            x.title
                .as_deref()
                .map(e)
                .unwrap_or_else(|| "<span class=\"absent\">none</span>".into()),
            names.join("; "),
            e(&t.join(", ")),
            e(&x.distinct_words.join(", "))
        );
    }
    h.push_str("</table></main></body></html>\n");
    h
}
