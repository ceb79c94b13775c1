//! The comparison as a plain-text report for the terminal.

use std::fmt::Write;

use crate::{Comparison, Coverage};

/// Rows shown per list before "… N more".
const SHOWN: usize = 12;

fn cut(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

fn more(out: &mut String, n: usize) {
    if n > SHOWN {
        let _ = writeln!(
            out,
            "    … {} more (--format json lists them all)",
            n - SHOWN
        );
    }
}

/// The report: versions, pair similarity, claims by coverage, how each version names each
/// actor, whom each quotes, techniques per 1,000 words and headlines.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} versions of one story", c.versions.len());
    for v in &c.versions {
        let _ = writeln!(
            out,
            "  {}  [{}]{}{}, {} words",
            v.label,
            v.outlet,
            v.title
                .as_deref()
                .map(|t| format!("  “{}”", cut(t, 90)))
                .unwrap_or_default(),
            v.published
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default(),
            v.words
        );
    }
    if !c.pairs.is_empty() {
        let _ = writeln!(
            out,
            "\nSimilarity (0 unrelated … 1 the same story told alike)"
        );
        for p in &c.pairs {
            let _ = writeln!(
                out,
                "  {:.2}  {} ↔ {}   (text {:.2}, shared claims {:.2}, shared actors {:.2})",
                p.similarity, p.a, p.b, p.text, p.claims, p.actors
            );
        }
    }
    let count = |k: Coverage| c.claims.iter().filter(|x| x.coverage == k).count();
    let _ = writeln!(
        out,
        "\nClaims: {} in all versions, {} in some, {} in one only",
        count(Coverage::All),
        count(Coverage::Some),
        count(Coverage::One)
    );
    for (kind, title) in [
        (Coverage::All, "in all"),
        (Coverage::Some, "in some"),
        (Coverage::One, "in one only"),
    ] {
        let group: Vec<_> = c.claims.iter().filter(|x| x.coverage == kind).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title}:");
        for a in group.iter().take(SHOWN) {
            let s = &a.statements[0];
            let _ = writeln!(out, "    [{}] {}", a.labels().join(", "), cut(&s.text, 140));
        }
        more(&mut out, group.len());
    }
    let _ = writeln!(
        out,
        "\nActors, and how each version names them (! hostile label)"
    );
    for a in c.actors.iter().take(SHOWN) {
        let _ = writeln!(
            out,
            "  {} ({:?}), in {} of {} versions",
            a.name,
            a.kind,
            a.naming.len(),
            c.versions.len()
        );
        for v in &c.versions {
            match a.naming.iter().find(|n| n.version == v.label) {
                Some(n) => {
                    let names: Vec<String> = n
                        .names
                        .iter()
                        .take(5)
                        .map(|l| {
                            format!(
                                "{}“{}” ×{}",
                                if l.hostile { "!" } else { "" },
                                l.text,
                                l.count
                            )
                        })
                        .collect();
                    let desc: Vec<String> = n
                        .descriptors
                        .iter()
                        .take(3)
                        .map(|l| {
                            format!("{}“{}”", if l.hostile { "!" } else { "" }, cut(&l.text, 60))
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        "    {}: {}{}",
                        v.label,
                        if names.is_empty() {
                            "pronouns only".into()
                        } else {
                            names.join(", ")
                        },
                        if desc.is_empty() {
                            String::new()
                        } else {
                            format!("; described as {}", desc.join(", "))
                        }
                    );
                }
                None => {
                    let _ = writeln!(out, "    {}: not named", v.label);
                }
            }
        }
    }
    more(&mut out, c.actors.len());
    let _ = writeln!(out, "\nWhom each version quotes");
    for q in &c.quotes {
        let top: Vec<String> = q
            .speakers
            .iter()
            .take(6)
            .map(|s| format!("{} {}× ({} words)", s.name, s.quotes, s.words))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {} quotes, {} words{}{}",
            q.version,
            q.quotes,
            q.words,
            if top.is_empty() { "" } else { ": " },
            top.join("; ")
        );
    }
    let _ = writeln!(out, "\nTechniques per 1,000 words");
    for t in &c.techniques {
        let list: Vec<String> = t
            .techniques
            .iter()
            .map(|u| {
                format!(
                    "{} {} ({:.1})",
                    u.technique.as_str(),
                    u.count,
                    u.per_1000_words
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {}: {:.1}{}{}",
            t.version,
            t.per_1000_words,
            if list.is_empty() {
                " (none found)"
            } else {
                " — "
            },
            list.join(", ")
        );
        for u in t.techniques.iter().take(3) {
            if let Some(p) = u.passages.first() {
                let _ = writeln!(
                    out,
                    "      {}: “{}”",
                    u.technique.as_str(),
                    cut(&p.text, 100)
                );
            }
        }
    }
    let _ = writeln!(out, "\nHeadlines");
    for h in &c.headlines {
        let Some(title) = &h.title else {
            let _ = writeln!(out, "  {}: no headline", h.version);
            continue;
        };
        let _ = writeln!(out, "  {}: “{}”", h.version, cut(title, 120));
        let names: Vec<String> = h
            .actors
            .iter()
            .filter_map(|x| {
                let a = c.actors.iter().find(|a| a.id == x.actor)?;
                Some(format!("{} as “{}”", a.name, x.names.join("”, “")))
            })
            .collect();
        if !names.is_empty() {
            let _ = writeln!(out, "      names {}", names.join("; "));
        }
        if !h.techniques.is_empty() {
            let t: Vec<&str> = h.techniques.iter().map(|t| t.as_str()).collect();
            let _ = writeln!(out, "      techniques: {}", t.join(", "));
        }
        if !h.distinct_words.is_empty() {
            let _ = writeln!(
                out,
                "      words no other headline uses: {}",
                h.distinct_words.join(", ")
            );
        }
    }
    out
}
