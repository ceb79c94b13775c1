//! An analysis flattened into the rows of the store's tables, the same for every backend.

use unspin::Analysis;

/// The document row: source metadata and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    /// Outlet: the source's site (None: unknown, a group of its own).
    pub outlet: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Authors, joined by "; ".
    pub authors: String,
    /// Publication date as given (ISO 8601 when known).
    pub published: Option<String>,
    /// `YYYY-MM` of the publication date, when it has one.
    pub month: Option<String>,
    /// Language (ISO 639-1, or `und`).
    pub language: String,
    /// Words in the text.
    pub words: usize,
}

/// A technique span.
#[derive(Debug, Clone, PartialEq)]
pub struct TechniqueRow {
    /// Span.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// Technique code.
    pub technique: String,
    /// Confidence.
    pub confidence: f32,
    /// Passage.
    pub text: String,
}

/// A quote.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteRow {
    /// Span.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// Speaker as named in the text (None: unattributed).
    pub speaker: Option<String>,
    /// Speaker's actor name, when resolved.
    pub actor: Option<String>,
    /// Kind (`direct`, `indirect`, …).
    pub kind: String,
    /// Passage.
    pub text: String,
}

/// One name (or descriptor) an actor goes by in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorNameRow {
    /// The actor's id within the document.
    pub actor: String,
    /// The actor's canonical name.
    pub canonical: String,
    /// The name or descriptor as written.
    pub name: String,
    /// `name` (a mention) or `descriptor`.
    pub role: &'static str,
    /// How often the document uses it.
    pub count: usize,
}

/// An actor.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRow {
    /// Id within the document.
    pub actor: String,
    /// Canonical name.
    pub name: String,
    /// Kind (`person`, `organisation`, …).
    pub kind: String,
    /// Mentions.
    pub mentions: usize,
}

/// One mention of an actor.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRow {
    /// The actor's id within the document.
    pub actor: String,
    /// Span.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// As written.
    pub text: String,
}

/// A claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    /// Span.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// Check-worthiness.
    pub score: f32,
    /// Kind.
    pub kind: String,
    /// Speaker in a transcript.
    pub speaker: Option<String>,
    /// Statement.
    pub text: String,
}

/// Every row of one analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The document.
    pub document: DocumentRow,
    /// Technique spans.
    pub techniques: Vec<TechniqueRow>,
    /// Quotes.
    pub quotes: Vec<QuoteRow>,
    /// Actors.
    pub actors: Vec<ActorRow>,
    /// The names and descriptors of each actor.
    pub actor_names: Vec<ActorNameRow>,
    /// Every mention of every actor.
    pub mentions: Vec<MentionRow>,
    /// Claims.
    pub claims: Vec<ClaimRow>,
}

/// The serde name of an enum value (`"direct"`, `"person"`).
fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `YYYY-MM` of a date that starts with one.
pub fn month_of(date: &str) -> Option<String> {
    let b = date.as_bytes();
    (b.len() >= 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit))
    .then(|| date[..7].to_owned())
}

/// Flattens an analysis.
pub fn rows(a: &Analysis) -> Rows {
    let s = &a.source;
    let document = DocumentRow {
        outlet: s.site.clone().filter(|x| !x.is_empty()),
        url: s.url.clone(),
        title: s.title.clone(),
        authors: s.authors.join("; "),
        published: s.published.clone(),
        month: s.published.as_deref().and_then(month_of),
        language: s.language.clone(),
        words: unspin::render::facts::word_count(&a.text),
    };
    let techniques = a
        .techniques
        .iter()
        .map(|t| TechniqueRow {
            start: t.start,
            end: t.end,
            technique: t.technique.as_str().to_owned(),
            confidence: t.confidence,
            text: t.text.clone(),
        })
        .collect();
    let quotes = a
        .quotes
        .iter()
        .map(|q| QuoteRow {
            start: q.start,
            end: q.end,
            speaker: q.speaker.as_ref().map(|s| s.text.clone()),
            actor: q.actor.as_ref().map(|r| r.name.clone()),
            kind: name_of(&q.kind),
            text: q.text.clone(),
        })
        .collect();
    let mut actor_names = Vec::new();
    for actor in &a.actors {
        let mut counted: Vec<(String, &'static str, usize)> = Vec::new();
        let mut add = |name: &str, role: &'static str| match counted
            .iter_mut()
            .find(|(n, r, _)| n == name && *r == role)
        {
            Some(e) => e.2 += 1,
            None => counted.push((name.to_owned(), role, 1)),
        };
        for m in &actor.mentions {
            add(&m.text, "name");
        }
        for d in &actor.descriptors {
            add(&d.text, "descriptor");
        }
        actor_names.extend(counted.into_iter().map(|(name, role, count)| ActorNameRow {
            actor: actor.id.clone(),
            canonical: actor.name.clone(),
            name,
            role,
            count,
        }));
    }
    let actors = a
        .actors
        .iter()
        .map(|x| ActorRow {
            actor: x.id.clone(),
            name: x.name.clone(),
            kind: name_of(&x.kind),
            mentions: x.mentions.len(),
        })
        .collect();
    let mentions = a
        .actors
        .iter()
        .flat_map(|x| {
            x.mentions.iter().map(|m| MentionRow {
                actor: x.id.clone(),
                start: m.start,
                end: m.end,
                text: m.text.clone(),
            })
        })
        .collect();
    let claims = a
        .claims
        .iter()
        .map(|c| ClaimRow {
            start: c.start,
            end: c.end,
            score: c.score,
            kind: name_of(&c.kind),
            speaker: c.speaker.clone(),
            text: c.text.clone(),
        })
        .collect();
    Rows {
        document,
        techniques,
        quotes,
        actors,
        actor_names,
        mentions,
        claims,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_come_from_iso_dates_only() {
        assert_eq!(month_of("2024-10-17T09:00:00Z").as_deref(), Some("2024-10"));
        assert_eq!(month_of("2024-10").as_deref(), Some("2024-10"));
        assert_eq!(month_of("17 October 2024"), None);
    }
}
