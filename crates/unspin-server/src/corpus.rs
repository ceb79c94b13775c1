//! The corpus pages of `unspin serve --db`: search a store with the CLI's filters, open each
//! stored article's report, and see each outlet's technique rates month by month.
//!
//! - `GET /corpus` — the page: a search form (full text, technique, outlet, dates, actor,
//!   speaker), the matching articles linking to their reports, and one small chart per
//!   outlet of technique spans per 1,000 words over the months (inline SVG, drawn here, no
//!   script and no network), with 95 % intervals and small months marked;
//! - `GET /corpus/doc/{id}` — the stored article's HTML report;
//! - `GET /api/v1/corpus/search` — the same search as JSON (`{"results": […]}`, the shape
//!   of `unspin search --format json`);
//! - `GET /api/v1/corpus/stats?by=outlet,month` — `unspin stats --format json`.
//!
//! The store is read on blocking threads, one request at a time (reads are short; SQLite
//! in write-ahead-log mode lets an indexer write meanwhile).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use unspin::analysis::Technique;
use unspin::render::Render;
use unspin::render::guide::guide;
use unspin::render::html::escape::escape;
use unspin_store::stats::{self, By, Group, Stats};
use unspin_store::{SearchHit, SearchQuery, Store};

use crate::App;
use crate::error::ApiError;

/// Results shown on the page unless the form asks for fewer or more.
const PAGE_RESULTS: usize = 50;
/// Most results one request may ask for.
const MAX_RESULTS: usize = 1000;
/// Outlets drawn, the largest first.
const CHART_OUTLETS: usize = 12;

/// A store opened for the web app.
pub struct Corpus {
    store: Mutex<Box<dyn Store>>,
    name: String,
}

impl Corpus {
    /// Serves `store`; `name` is shown on the page (the file name, never a password).
    pub fn new(store: Box<dyn Store>, name: impl Into<String>) -> Self {
        Corpus {
            store: Mutex::new(store),
            name: name.into(),
        }
    }
}

/// The search form's fields (all optional), as query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct CorpusParams {
    q: Option<String>,
    technique: Option<String>,
    outlet: Option<String>,
    since: Option<String>,
    until: Option<String>,
    actor: Option<String>,
    speaker: Option<String>,
    limit: Option<usize>,
    /// The technique drawn in the charts (empty: all techniques).
    chart: Option<String>,
}

/// A field's value, None when absent or blank.
fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl CorpusParams {
    fn query(&self, default_limit: usize) -> SearchQuery {
        SearchQuery {
            text: given(&self.q).unwrap_or_default(),
            technique: given(&self.technique),
            outlet: given(&self.outlet),
            since: given(&self.since),
            until: given(&self.until),
            actor: given(&self.actor),
            speaker: given(&self.speaker),
            limit: Some(self.limit.unwrap_or(default_limit).clamp(1, MAX_RESULTS)),
        }
    }
}

/// The query parameters of the stats endpoint.
#[derive(Debug, Deserialize)]
pub struct StatsParams {
    by: Option<String>,
}

fn no_corpus() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_corpus",
        "this server has no corpus; start it with unspin serve --db corpus.db",
    )
}

fn store_error(e: impl std::fmt::Display) -> ApiError {
    tracing::error!("corpus: {e}");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "store_error",
        format!("the corpus could not be read: {e}"),
    )
}

/// Runs `f` on the store, on a blocking thread.
async fn with_store<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&dyn Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    if app.corpus.is_none() {
        return Err(no_corpus());
    }
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || {
        let corpus = app.corpus.as_ref().ok_or_else(no_corpus)?;
        let store = corpus.store.lock().unwrap_or_else(|e| e.into_inner());
        f(store.as_ref())
    })
    .await
    .map_err(store_error)?
}

/// `GET /api/v1/corpus/search`.
pub async fn api_search(
    State(app): State<Arc<App>>,
    Query(params): Query<CorpusParams>,
) -> Result<Response, ApiError> {
    let mut q = params.query(MAX_RESULTS);
    if params.limit.is_none() {
        // The API lists every match, as `unspin search` does, unless asked for fewer.
        q.limit = None;
    }
    let hits = with_store(&app, move |s| s.search(&q).map_err(store_error)).await?;
    Ok(axum::Json(serde_json::json!({ "results": hits })).into_response())
}

/// `GET /api/v1/corpus/stats`.
pub async fn api_stats(
    State(app): State<Arc<App>>,
    Query(params): Query<StatsParams>,
) -> Result<Response, ApiError> {
    let by_text = params.by.unwrap_or_else(|| "outlet".into());
    let by = By::parse(&by_text).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("by={by_text}: expected outlet, month or outlet,month"),
        )
    })?;
    let stats = with_store(&app, move |s| {
        Ok(stats::compute(&s.cells().map_err(store_error)?, by))
    })
    .await?;
    Ok(axum::Json(stats).into_response())
}

/// `GET /corpus/doc/{id}`: the stored article's report.
pub async fn doc(State(app): State<Arc<App>>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let stored = with_store(&app, move |s| s.analysis(id).map_err(store_error)).await?;
    let Some(stored) = stored else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("the corpus has no document {id}"),
        ));
    };
    let mut page = Vec::new();
    unspin::render::Html::default()
        .render(&stored.analysis, &mut page)
        .map_err(store_error)?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}

/// `GET /corpus`: the page.
pub async fn page(
    State(app): State<Arc<App>>,
    Query(params): Query<CorpusParams>,
) -> Result<Response, ApiError> {
    let Some(name) = app.corpus.as_ref().map(|c| c.name.clone()) else {
        return Ok((
            StatusCode::NOT_FOUND,
            Html(
                "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>No corpus · unspin</title>\
                 <p>This server has no corpus. Start it with <code>unspin serve --db corpus.db</code> \
                 after <code>unspin index --db corpus.db INPUT…</code>. <a href=\"/\">Analyse one article</a>.</p></html>"
                    .to_owned(),
            ),
        )
            .into_response());
    };
    // One result more than shown says whether there are more.
    let mut q = params.query(PAGE_RESULTS);
    let shown = q.limit.unwrap_or(PAGE_RESULTS);
    q.limit = Some(shown + 1);
    let (hits, stats, counts) = with_store(&app, move |s| {
        let hits = s.search(&q).map_err(store_error)?;
        let cells = s.cells().map_err(store_error)?;
        let counts = s.counts().map_err(store_error)?;
        Ok((hits, stats::compute(&cells, By::OutletMonth), counts))
    })
    .await?;
    let html = render_page(&name, &params, &hits, shown, &stats, counts);
    Ok(([(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response())
}

/// The technique a code names, for its reader-facing name.
fn technique_name(code: &str) -> String {
    code.parse::<Technique>()
        .map(|t| guide(t).name.to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

fn render_page(
    name: &str,
    params: &CorpusParams,
    hits: &[SearchHit],
    shown: usize,
    stats: &Stats,
    counts: unspin_store::Counts,
) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let field = |v: &Option<String>| escape(v.as_deref().unwrap_or("")).into_owned();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Corpus · unspin</title><style>{STYLE}</style></head><body>\n\
         <header><h1>Corpus</h1><p class=\"note\">{} — {} articles stored, {} inputs failed. \
         <a href=\"/\">Analyse one article</a></p></header>\n",
        escape(name),
        counts.documents,
        counts.errors
    );
    // The form.
    let mut outlets: Vec<String> = stats
        .groups
        .iter()
        .filter_map(|g| g.outlet.clone().flatten())
        .collect();
    outlets.sort();
    outlets.dedup();
    let mut techniques: Vec<String> = stats
        .groups
        .iter()
        .flat_map(|g| g.techniques.keys().cloned())
        .collect();
    techniques.sort();
    techniques.dedup();
    let options = |selected: &Option<String>, none: &str| {
        let mut s = format!("<option value=\"\">{none}</option>");
        for t in &techniques {
            let sel = if selected.as_deref() == Some(t.as_str()) {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                s,
                "<option value=\"{}\"{sel}>{}</option>",
                escape(t),
                escape(&technique_name(t))
            );
        }
        s
    };
    let _ = writeln!(
        out,
        "<form method=\"get\" action=\"/corpus\" id=\"search\" role=\"search\">\
         <label>Words <input name=\"q\" type=\"search\" value=\"{}\" placeholder='victory plan, \"paper tiger\", regime OR junta'></label>\
         <label>Technique <select name=\"technique\">{}</select></label>\
         <label>Outlet <input name=\"outlet\" list=\"outlets\" value=\"{}\"></label>\
         <datalist id=\"outlets\">{}</datalist>\
         <label>From <input name=\"since\" value=\"{}\" placeholder=\"2024-10\" size=\"10\"></label>\
         <label>To <input name=\"until\" value=\"{}\" placeholder=\"2024-12\" size=\"10\"></label>\
         <label>Actor <input name=\"actor\" value=\"{}\" placeholder=\"Zelensky\"></label>\
         <label>Quoted speaker <input name=\"speaker\" value=\"{}\"></label>\
         <label>Chart <select name=\"chart\">{}</select></label>\
         <button type=\"submit\">Search</button></form>",
        field(&params.q),
        options(&given(&params.technique), "any"),
        field(&params.outlet),
        outlets
            .iter()
            .map(|o| format!("<option value=\"{}\">", escape(o)))
            .collect::<String>(),
        field(&params.since),
        field(&params.until),
        field(&params.actor),
        field(&params.speaker),
        options(&given(&params.chart), "all techniques"),
    );
    write_charts(&mut out, stats, given(&params.chart).as_deref());
    write_results(&mut out, hits, shown);
    out.push_str("</body></html>\n");
    out
}

fn write_results(out: &mut String, hits: &[SearchHit], shown: usize) {
    let more = hits.len() > shown;
    let hits = &hits[..hits.len().min(shown)];
    let _ = writeln!(
        out,
        "<section id=\"results\" aria-label=\"Results\"><h2>{} article{}{}</h2>",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" },
        if more {
            " (the first; narrow the search or raise the limit)"
        } else {
            ""
        }
    );
    if hits.is_empty() {
        out.push_str("<p class=\"note\">Nothing matches.</p>");
    }
    out.push_str("<ol class=\"results\">\n");
    for h in hits {
        let title = h.title.clone().unwrap_or_else(|| h.input.clone());
        let _ = write!(
            out,
            "<li class=\"result\"><a class=\"title\" href=\"/corpus/doc/{}\">{}</a> \
             <span class=\"meta\">{} · {}</span><p class=\"snippet\">{}</p>",
            h.id,
            escape(&title),
            escape(h.outlet.as_deref().unwrap_or("unknown outlet")),
            escape(
                h.published
                    .as_deref()
                    .map_or("no date", |p| &p[..p.len().min(10)])
            ),
            snippet_html(&h.snippet)
        );
        if !h.findings.is_empty() {
            out.push_str("<ul class=\"findings\">");
            for f in h.findings.iter().take(4) {
                let label = if f.kind == "technique" {
                    technique_name(&f.label)
                } else {
                    f.label.clone()
                };
                let _ = write!(
                    out,
                    "<li><span class=\"kind\">{} · {}</span> “{}”</li>",
                    escape(&f.kind),
                    escape(&label),
                    escape(&f.text)
                );
            }
            if h.findings.len() > 4 {
                let _ = write!(out, "<li>… and {} more</li>", h.findings.len() - 4);
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol></section>\n");
}

/// The snippet with the search's `[match]` marks as `<mark>`.
fn snippet_html(s: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    for part in s.split_inclusive(['[', ']']) {
        let (text, mark) = match part.chars().last() {
            Some(c @ ('[' | ']')) => (&part[..part.len() - 1], Some(c)),
            _ => (part, None),
        };
        out.push_str(&escape(text));
        match mark {
            Some('[') if !open => {
                out.push_str("<mark>");
                open = true;
            }
            Some(']') if open => {
                out.push_str("</mark>");
                open = false;
            }
            Some(c) => out.push(c),
            None => {}
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// One point of an outlet's line: a month's rate with its interval.
struct Point {
    month: String,
    rate: f64,
    low: f64,
    high: f64,
    count: usize,
    articles: usize,
    small: bool,
}

/// The rate of `technique` (None: all) in a group.
fn rate_of(g: &Group, technique: Option<&str>) -> stats::Rate {
    match technique {
        None => g.technique_spans,
        Some(t) => g
            .techniques
            .get(t)
            .copied()
            .unwrap_or_else(|| stats::rate(0, g.words as f64, 1000.0)),
    }
}

fn write_charts(out: &mut String, stats: &Stats, technique: Option<&str>) {
    let what = technique.map_or_else(|| "all techniques".to_owned(), technique_name);
    let _ = writeln!(
        out,
        "<section id=\"charts\" aria-label=\"Technique rates by outlet over time\">\
         <h2>{} per 1,000 words, by outlet and month</h2>\
         <p class=\"note\">Each line is one outlet; the band is the 95 % interval of the rate. \
         Hollow points are months with fewer than {} articles: their rates are noise, do not \
         compare them. Months without a date and articles without an outlet are left out of the \
         lines (they are in the statistics).</p>",
        escape(&capitalise(&what)),
        stats::MIN_GROUP_ARTICLES
    );
    // Outlet → month → point, dated months only.
    let mut lines: BTreeMap<String, (usize, Vec<Point>)> = BTreeMap::new();
    let mut months: Vec<String> = Vec::new();
    for g in &stats.groups {
        let (Some(Some(outlet)), Some(Some(month))) = (&g.outlet, &g.month) else {
            continue;
        };
        let r = rate_of(g, technique);
        let e = lines.entry(outlet.clone()).or_default();
        e.0 += g.articles;
        e.1.push(Point {
            month: month.clone(),
            rate: r.rate,
            low: r.low,
            high: r.high,
            count: r.count,
            articles: g.articles,
            small: g.small,
        });
        months.push(month.clone());
    }
    months.sort();
    months.dedup();
    if lines.is_empty() {
        out.push_str(
            "<p class=\"note\">No dated articles with a known outlet yet: nothing to draw.</p></section>\n",
        );
        return;
    }
    let mut order: Vec<(&String, &(usize, Vec<Point>))> = lines.iter().collect();
    order.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    let left_out = order.len().saturating_sub(CHART_OUTLETS);
    order.truncate(CHART_OUTLETS);
    // One scale for every chart, so that outlets compare at a glance: room for the highest
    // rate and its interval, but a small month's wide interval may not squash the rest.
    let max_of = |f: fn(&Point) -> f64| {
        order
            .iter()
            .flat_map(|(_, (_, pts))| pts.iter().map(f))
            .fold(0.0f64, f64::max)
    };
    let (max_rate, max_high) = (max_of(|p| p.rate), max_of(|p| p.high));
    let top = nice_ceiling((max_rate * 1.15).max(max_high.min(max_rate * 2.0)).max(0.1));
    out.push_str("<div class=\"charts\">\n");
    for (outlet, (articles, pts)) in order {
        write_chart(out, outlet, *articles, pts, &months, top);
    }
    out.push_str("</div>\n");
    if left_out > 0 {
        let _ = write!(
            out,
            "<p class=\"note\">{left_out} smaller outlet{} not drawn; search by outlet to see them.</p>",
            if left_out == 1 { "" } else { "s" }
        );
    }
    out.push_str("</section>\n");
}

/// An axis label: no needless decimals.
fn tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-9 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `v`: an axis top that reads well.
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&x| x >= v * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// One outlet's chart: months on x (the corpus' months), rate on y (shared scale `top`).
fn write_chart(
    out: &mut String,
    outlet: &str,
    articles: usize,
    pts: &[Point],
    months: &[String],
    top: f64,
) {
    const W: f64 = 320.0;
    const H: f64 = 150.0;
    const L: f64 = 36.0;
    const R: f64 = 10.0;
    const T: f64 = 10.0;
    const B: f64 = 28.0;
    let x = |m: &str| {
        let i = months.iter().position(|x| x == m).unwrap_or(0) as f64;
        let n = (months.len().max(2) - 1) as f64;
        if months.len() == 1 {
            L + (W - L - R) / 2.0
        } else {
            L + i / n * (W - L - R)
        }
    };
    let y = |v: f64| T + (1.0 - (v / top).clamp(0.0, 1.0)) * (H - T - B);
    let _ = write!(
        out,
        "<figure class=\"chart\" data-outlet=\"{o}\"><figcaption>{o} <span class=\"note\">({articles} articles)</span></figcaption>\
         <svg viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{o}: rate per 1,000 words by month\">",
        o = escape(outlet)
    );
    // Axes and labels.
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{L}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>\
         <line class=\"axis\" x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{b}\"/>\
         <line class=\"grid\" x1=\"{L}\" y1=\"{mid}\" x2=\"{r}\" y2=\"{mid}\"/>\
         <text x=\"{lx}\" y=\"{ty}\" class=\"tick\" text-anchor=\"end\">{}</text>\
         <text x=\"{lx}\" y=\"{my}\" class=\"tick\" text-anchor=\"end\">{}</text>\
         <text x=\"{lx}\" y=\"{b}\" class=\"tick\" text-anchor=\"end\">0</text>",
        tick(top),
        tick(top / 2.0),
        b = H - B,
        r = W - R,
        lx = L - 4.0,
        ty = T + 8.0,
        mid = y(top / 2.0),
        my = y(top / 2.0) + 3.0,
    );
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        let _ = write!(
            out,
            "<text x=\"{L}\" y=\"{yb}\" class=\"tick\">{}</text>",
            escape(first),
            yb = H - 8.0
        );
        if last != first {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{yb}\" class=\"tick\" text-anchor=\"end\">{}</text>",
                W - R,
                escape(last),
                yb = H - 8.0
            );
        }
    }
    // The interval band, then the line, then the points (with their figures as titles).
    if pts.len() > 1 {
        let upper: Vec<String> = pts
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(&p.month), y(p.high)))
            .collect();
        let lower: Vec<String> = pts
            .iter()
            .rev()
            .map(|p| format!("{:.1},{:.1}", x(&p.month), y(p.low)))
            .collect();
        let _ = write!(
            out,
            "<polygon class=\"band\" points=\"{} {}\"/>",
            upper.join(" "),
            lower.join(" ")
        );
        let line: Vec<String> = pts
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(&p.month), y(p.rate)))
            .collect();
        let _ = write!(
            out,
            "<polyline class=\"line\" points=\"{}\"/>",
            line.join(" ")
        );
    }
    for p in pts {
        let _ = write!(
            out,
            "<circle class=\"{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{} · {}: {:.2} per 1,000 words [{:.2}, {:.2}], {} spans in {} articles{}</title></circle>",
            if p.small { "point small" } else { "point" },
            x(&p.month),
            y(p.rate),
            escape(outlet),
            escape(&p.month),
            p.rate,
            p.low,
            p.high,
            p.count,
            p.articles,
            if p.small { " (small month)" } else { "" }
        );
    }
    out.push_str("</svg></figure>\n");
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 1rem;color:#1d1d1f}\
h1{margin:.8rem 0 .2rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}.note{color:#555;font-size:.9rem}\
form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;padding:.6rem;background:#f4f4f6;border-radius:6px}\
label{display:flex;flex-direction:column;font-size:.85rem}input,select,button{font:inherit}\
ol.results{padding-left:1.4rem}.result{margin:.6rem 0}.title{font-weight:600}.meta{color:#555;font-size:.85rem}\
.snippet{margin:.2rem 0}mark{background:#fff0a8}.findings{margin:.1rem 0;font-size:.88rem}.kind{color:#555}\
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure.chart{margin:0}figcaption{font-weight:600;font-size:.9rem}\
.axis{stroke:#888}.grid{stroke:#e3e3e8}.tick{font-size:10px;fill:#555}.band{fill:#c9d8f0;stroke:none}\
.line{fill:none;stroke:#1f5fbf;stroke-width:2}.point{fill:#1f5fbf;stroke:#1f5fbf}.point.small{fill:#fff}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_read_well() {
        assert_eq!(nice_ceiling(28.6), 50.0);
        assert_eq!(nice_ceiling(2.1), 2.5);
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(0.13), 0.2);
        assert_eq!(tick(25.0), "25");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(0.25), "0.25");
    }

    #[test]
    fn snippets_mark_matches_and_escape_the_rest() {
        assert_eq!(
            snippet_html("a [paper] <b> [tiger]"),
            "a <mark>paper</mark> &lt;b&gt; <mark>tiger</mark>"
        );
        assert_eq!(snippet_html("unclosed [mark"), "unclosed <mark>mark</mark>");
        assert_eq!(snippet_html("stray ] bracket"), "stray ] bracket");
    }
}
