//! The compare page and API: several versions of one story (pasted texts or URLs) side by
//! side, as `unspin compare` shows them.
//!
//! - `GET /compare`: a form of up to [`MAX_VERSIONS`] boxes, each a URL or a pasted text.
//! - `POST /compare` (the form): the side-by-side HTML report.
//! - `POST /api/v1/compare`: `{"versions": [{"text"|"html"|"url": …, "label"?: …}, …]}`,
//!   answered with the comparison JSON (`docs/schema.md`, "Comparison").

use std::sync::Arc;

use axum::Form;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use unspin_compare::{Version, compare, render};

use crate::App;
use crate::error::ApiError;
use crate::routes::{Input, admitted, fetch, input_of};

/// Versions one comparison takes at most.
pub const MAX_VERSIONS: usize = 6;

const FORM: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Compare versions of a story · unspin</title>
<style>
body { margin:0; font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; color:#1b1b1b; }
main { max-width:60rem; margin:0 auto; padding:1.2rem; }
h1 { font-size:1.5rem; }
.note { color:#555; font-size:.9rem; }
fieldset { border:1px solid #d0d0d0; border-radius:6px; margin:.6rem 0; padding:.5rem .8rem; }
legend { font-weight:600; }
textarea { width:100%; min-height:6rem; font:inherit; font-size:.9rem; }
input[type=text] { width:100%; font:inherit; }
button { font:inherit; padding:.4rem 1.2rem; margin-top:.6rem; }
</style></head><body><main>
<h1>Compare versions of one story</h1>
<p class="note">Paste two to six versions of one story, each a URL or the article's text. unspin analyses each on this
machine and sets them side by side: what each includes and omits, how each names the people involved, whom each quotes,
the techniques each uses, and how alike each pair is. <a href="/">Analyse one article</a>.</p>
<form method="post" action="/compare">
{{BOXES}}
<button type="submit" id="compare">Compare</button>
</form></main></body></html>
"#;

/// `GET /compare`: the form.
pub async fn page() -> Response {
    let boxes: String = (1..=MAX_VERSIONS)
        .map(|i| {
            format!(
                "<fieldset><legend>Version {i}</legend>\
                 <label>Name (optional) <input type=\"text\" name=\"label{i}\" id=\"label{i}\"></label>\
                 <label>URL or text <textarea name=\"v{i}\" id=\"v{i}\"></textarea></label></fieldset>\n"
            )
        })
        .collect();
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Html(FORM.replace("{{BOXES}}", &boxes)),
    )
        .into_response()
}

/// One version as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionRequest {
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    label: Option<String>,
}

/// The body of `POST /api/v1/compare`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompareRequest {
    versions: Vec<VersionRequest>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
}

/// Analyses the versions (fetching URLs under the server's policy) and compares them.
async fn run(
    app: &Arc<App>,
    versions: Vec<(String, Input)>,
) -> Result<unspin_compare::Comparison, ApiError> {
    if versions.len() < 2 || versions.len() > MAX_VERSIONS {
        return Err(invalid(format!(
            "give between 2 and {MAX_VERSIONS} versions, not {}",
            versions.len()
        )));
    }
    let mut raws = Vec::new();
    for (label, input) in versions {
        let raw = match input {
            Input::Raw(raw) => *raw,
            Input::Url(url) => fetch(app, &url).await.map_err(|e| ApiError {
                message: format!("{label}: {}", e.message),
                ..e
            })?,
        };
        raws.push((label, raw));
    }
    let pipeline = Arc::clone(&app.pipeline);
    admitted(app, move || {
        let mut out = Vec::new();
        for (label, raw) in raws {
            let doc = pipeline.document(raw)?;
            out.push(Version::new(label, pipeline.analyze(&doc)?));
        }
        unspin_compare::distinct_labels(&mut out);
        Ok(compare(&out))
    })
    .await
}

/// `POST /api/v1/compare`.
pub async fn api(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let request: CompareRequest = serde_json::from_slice(&body).map_err(|e| {
        invalid(format!(
            "expected {{\"versions\": [{{\"text\"|\"html\"|\"url\": …, \"label\"?: …}}, …]}}: {e}"
        ))
    })?;
    let mut versions = Vec::new();
    for (i, v) in request.versions.into_iter().enumerate() {
        let label = v
            .label
            .clone()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| v.url.clone())
            .unwrap_or_else(|| format!("version {}", i + 1));
        let input = input_of(v.text, v.html, v.url, &label).map_err(|e| ApiError {
            message: format!("versions[{i}]: {}", e.message),
            ..e
        })?;
        versions.push((label, input));
    }
    let c = run(&app, versions).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        render::json(&c),
    )
        .into_response())
}

/// `POST /compare`: the form's boxes, each a URL (one line starting with http:// or
/// https://) or a text; empty boxes are skipped.
pub async fn page_report(
    State(app): State<Arc<App>>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let mut versions = Vec::new();
    for i in 1..=MAX_VERSIONS {
        let Some(value) = form
            .get(&format!("v{i}"))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        let is_url = !value.contains('\n')
            && (value.starts_with("http://") || value.starts_with("https://"));
        let label = form
            .get(&format!("label{i}"))
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| {
                if is_url {
                    value.to_owned()
                } else {
                    format!("version {i}")
                }
            });
        let input = if is_url {
            input_of(None, None, Some(value.to_owned()), &label)?
        } else {
            input_of(Some(value.to_owned()), None, None, &label)?
        };
        versions.push((label, input));
    }
    let c = run(&app, versions).await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Html(render::html::render(&c)),
    )
        .into_response())
}
