//! Fetching `http(s)://` sources with ureq.

use std::io::Read;

use crate::sniff::ContentType;
use crate::{IngestError, IngestOptions};

/// A fetched HTTP body.
pub(crate) struct Fetched {
    /// The URL after redirects.
    pub final_url: String,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<ContentType>,
    /// The (content-decoded) body, at most `max_bytes` long.
    pub body: Vec<u8>,
}

/// Media types we accept from a server.
pub(crate) fn acceptable(mime: &str) -> bool {
    matches!(mime, "text/html" | "application/xhtml+xml" | "text/plain")
}

fn fetch_error(url: &str, message: impl Into<String>) -> IngestError {
    IngestError::Fetch {
        input: url.to_string(),
        message: message.into(),
    }
}

/// Refuses a response whose media type is not HTML, XHTML or plain text.
pub(crate) fn check_media_type(url: &str, ct: &ContentType) -> Result<(), IngestError> {
    if acceptable(&ct.mime) {
        return Ok(());
    }
    Err(fetch_error(
        url,
        format!(
            "unsupported content type \"{}\" (expected text/html, application/xhtml+xml or text/plain)",
            ct.mime
        ),
    ))
}

/// Builds the HTTP agent from the options.
fn agent(opts: &IngestOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_global(Some(opts.timeout))
        .max_redirects(opts.max_redirects)
        .max_redirects_will_error(true)
        .http_status_as_error(false)
        .user_agent(format!("unspin/{}", env!("CARGO_PKG_VERSION")))
        .accept("text/html, application/xhtml+xml, text/plain;q=0.9, */*;q=0.1")
        .build()
        .into()
}

/// Fetches `url`, following redirects, and checks status, type and size.
pub(crate) fn fetch(url: &str, opts: &IngestOptions) -> Result<Fetched, IngestError> {
    let response = agent(opts).get(url).call().map_err(|e| {
        let message = match &e {
            ureq::Error::TooManyRedirects => {
                format!("too many redirects (limit is {})", opts.max_redirects)
            }
            ureq::Error::Timeout(t) => format!("request timed out ({t})"),
            ureq::Error::HostNotFound => "host not found".to_string(),
            ureq::Error::BadUri(u) => format!("invalid URL: {u}"),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    "unreachable: connection refused".to_string()
                }
                std::io::ErrorKind::TimedOut => "request timed out".to_string(),
                _ => format!("network error: {io}"),
            },
            ureq::Error::ConnectionFailed => "unreachable: could not connect".to_string(),
            other => format!("request failed: {other}"),
        };
        fetch_error(url, message.replace('\n', " "))
    })?;

    let status = response.status();
    let final_url = ureq::ResponseExt::get_uri(&response).to_string();
    if status.is_redirection() {
        return Err(fetch_error(
            url,
            format!(
                "HTTP {status} redirect not followed (redirect limit is {})",
                opts.max_redirects
            ),
        ));
    }
    if !status.is_success() {
        return Err(fetch_error(url, format!("HTTP {status}")));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(ContentType::parse);
    if let Some(ct) = &content_type {
        check_media_type(url, ct)?;
    }
    let declared_len = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let too_large = |size: Option<u64>| IngestError::TooLarge {
        input: url.to_string(),
        size,
        limit: opts.max_bytes,
    };
    // Content-Length describes the encoded body; only trust it when the body
    // is not content-encoded (ureq decodes gzip transparently).
    let encoded = response.headers().contains_key("content-encoding");
    if let Some(len) = declared_len
        && !encoded
        && len > opts.max_bytes
    {
        return Err(too_large(Some(len)));
    }

    let mut body = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(opts.max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| {
            fetch_error(
                url,
                format!("error reading response body: {e}").replace('\n', " "),
            )
        })?;
    if body.len() as u64 > opts.max_bytes {
        return Err(too_large(None));
    }
    Ok(Fetched {
        final_url,
        content_type,
        body,
    })
}
