//! Fetching a URL on a client's behalf, safely.
//!
//! Before every connection (the first request and each redirect hop) the host is resolved
//! here and every address it resolves to is checked with [`refusal`]; the HTTP client is then
//! pinned to exactly those checked addresses, and any other name lookup it might try is
//! refused, so a DNS answer that changes between the check and the connection (DNS
//! rebinding) cannot reach an internal address. Proxies from the environment are ignored,
//! redirects are followed by hand (at most [`Fetcher::max_redirects`]), the whole fetch has a
//! deadline and the body a size cap. The bytes then go through the same ingest path as a URL
//! given to the command line.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use unspin::ingest::{self, IngestOptions, RawDocument};
use url::Host;

use crate::address::refusal;

/// Which addresses may be fetched.
#[derive(Debug, Clone, Default)]
pub struct UrlPolicy {
    /// Fetch loopback, private, link-local and other internal addresses too.
    pub allow_private: bool,
    /// Exact addresses (IP and port) fetched even when internal, e.g. an intranet mirror;
    /// every other internal address stays refused.
    pub allowed_addrs: Vec<SocketAddr>,
}

impl UrlPolicy {
    /// Why `addr` may not be fetched, if it may not.
    pub fn refusal(&self, addr: SocketAddr) -> Option<&'static str> {
        if self.allow_private || self.allowed_addrs.contains(&addr) {
            return None;
        }
        refusal(addr.ip())
    }
}

/// Why a URL could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL is not an absolute http(s) URL with a host.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given (or as a redirect named it).
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The host is or resolves to an address the policy refuses; nothing was sent to it.
    #[error("refused: {subject} {reason}; start the server with --allow-private-urls to allow it")]
    Refused {
        /// The URL's host.
        host: String,
        /// The refused address.
        ip: IpAddr,
        /// What the refusal is about, e.g. `127.0.0.1 is` or `redirect 1: localhost resolves
        /// to 127.0.0.1, which is`.
        subject: String,
        /// What kind of address it is.
        reason: &'static str,
    },
    /// The host name does not resolve.
    #[error("host not found: {host}")]
    HostNotFound {
        /// The URL's host.
        host: String,
    },
    /// Connecting, sending or reading failed.
    #[error("{url}: {message}")]
    Network {
        /// The URL of the hop that failed.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The whole fetch took longer than its deadline.
    #[error("fetching {url} took longer than {seconds:.1} s")]
    Timeout {
        /// The URL as given.
        url: String,
        /// The deadline in seconds.
        seconds: f64,
    },
    /// More redirects than allowed.
    #[error("{url}: too many redirects (limit is {limit})")]
    TooManyRedirects {
        /// The URL as given.
        url: String,
        /// The limit.
        limit: u32,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered HTTP {status}")]
    Status {
        /// The URL of the hop.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The page could not be read as an article (type, size, charset, binary, empty).
    #[error(transparent)]
    Ingest(#[from] ingest::IngestError),
}

/// Fetches pages for the server under a [`UrlPolicy`].
#[derive(Debug, Clone)]
pub struct Fetcher {
    /// Which addresses may be reached.
    pub policy: UrlPolicy,
    /// Deadline of a whole fetch, redirects included.
    pub timeout: Duration,
    /// Redirects followed at most.
    pub max_redirects: u32,
    /// Size cap of the body, and the other ingest options (charset).
    pub ingest: IngestOptions,
}

/// A resolver that answers nothing: every name the client needs has been resolved and
/// checked beforehand, so any other lookup is a bug and must not reach the network.
struct NoLookups;

impl Resolve for NoLookups {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            Err::<Addrs, _>(format!("{host}: lookup refused (not checked beforehand)").into())
        })
    }
}

/// Where a response sends the client next: `Some(url)` for a redirect with a usable
/// `Location`, `None` for any other response.
pub fn redirect_target(
    current: &Url,
    status: u16,
    location: Option<&str>,
) -> Result<Option<Url>, FetchError> {
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(location) = location else {
        return Err(FetchError::Network {
            url: current.to_string(),
            message: format!("HTTP {status} redirect without a Location header"),
        });
    };
    let next = current.join(location).map_err(|e| FetchError::InvalidUrl {
        url: location.to_owned(),
        reason: e.to_string(),
    })?;
    check_scheme(&next)?;
    Ok(Some(next))
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: "only http and https URLs are fetched".to_owned(),
        });
    }
    if url.host().is_none() {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: "no host".to_owned(),
        });
    }
    Ok(())
}

/// Parses a URL given by a client.
pub fn parse_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim()).map_err(|e| FetchError::InvalidUrl {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    check_scheme(&parsed)?;
    Ok(parsed)
}

impl Fetcher {
    /// Resolves the URL's host and checks every address; the checked addresses are the only
    /// ones the request may use. `hop` (0 for the URL given) only words the refusal.
    pub async fn checked_addrs(&self, url: &Url, hop: u32) -> Result<Vec<SocketAddr>, FetchError> {
        let port = url.port_or_known_default().unwrap_or(80);
        let (host, addrs, named) = match url.host() {
            Some(Host::Ipv4(ip)) => (
                ip.to_string(),
                vec![SocketAddr::new(ip.into(), port)],
                false,
            ),
            Some(Host::Ipv6(ip)) => (
                ip.to_string(),
                vec![SocketAddr::new(ip.into(), port)],
                false,
            ),
            Some(Host::Domain(name)) => {
                let name = name.to_owned();
                let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), port))
                    .await
                    .map_err(|_| FetchError::HostNotFound { host: name.clone() })?
                    .collect();
                if found.is_empty() {
                    return Err(FetchError::HostNotFound { host: name });
                }
                (name, found, true)
            }
            None => {
                return Err(FetchError::InvalidUrl {
                    url: url.to_string(),
                    reason: "no host".to_owned(),
                });
            }
        };
        for addr in &addrs {
            if let Some(reason) = self.policy.refusal(*addr) {
                let ip = addr.ip();
                let mut subject = if named {
                    format!("{host} resolves to {ip}, which is")
                } else {
                    format!("{ip} is")
                };
                if hop > 0 {
                    subject = format!("redirect {hop} goes to {url}: {subject}");
                }
                return Err(FetchError::Refused {
                    host,
                    ip,
                    subject,
                    reason,
                });
            }
        }
        Ok(addrs)
    }

    /// Fetches `url` (following redirects, each hop checked) and reads it as a document.
    pub async fn fetch(&self, url: &str) -> Result<RawDocument, FetchError> {
        let seconds = self.timeout.as_secs_f64();
        match tokio::time::timeout(self.timeout, self.fetch_unbounded(url)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout {
                url: url.to_owned(),
                seconds,
            }),
        }
    }

    async fn fetch_unbounded(&self, given: &str) -> Result<RawDocument, FetchError> {
        let mut url = parse_url(given)?;
        let mut hop = 0;
        loop {
            let addrs = self.checked_addrs(&url, hop).await?;
            let client = self.client_for(&url, &addrs)?;
            let network = |e: reqwest::Error| FetchError::Network {
                url: url.to_string(),
                message: describe(&e),
            };
            let response = client.get(url.clone()).send().await.map_err(network)?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok());
            if let Some(next) = redirect_target(&url, status, location)? {
                hop += 1;
                if hop > self.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: given.to_owned(),
                        limit: self.max_redirects,
                    });
                }
                url = next;
                continue;
            }
            if !response.status().is_success() {
                return Err(FetchError::Status {
                    url: url.to_string(),
                    status,
                });
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(ct) = &content_type
                && !ingest::acceptable_media_type(ct)
            {
                // Refused before the body is downloaded, in ingest's words.
                return Err(FetchError::Ingest(ingest::IngestError::Fetch {
                    input: given.to_owned(),
                    message: format!(
                        "unsupported content type \"{ct}\" (expected text/html, application/xhtml+xml or text/plain)"
                    ),
                }));
            }
            let limit = self.ingest.max_bytes;
            let mut body = Vec::new();
            let mut stream = response.bytes_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(network)?;
                body.extend_from_slice(&chunk);
                if body.len() as u64 > limit {
                    return Err(ingest::IngestError::TooLarge {
                        input: given.to_owned(),
                        size: None,
                        limit,
                    }
                    .into());
                }
            }
            return Ok(ingest::from_http_body(
                given,
                url.as_str(),
                content_type.as_deref(),
                &body,
                &self.ingest,
            )?);
        }
    }

    /// An HTTP client that can only connect to `addrs` for this URL's host.
    fn client_for(&self, url: &Url, addrs: &[SocketAddr]) -> Result<reqwest::Client, FetchError> {
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.timeout)
            .user_agent(concat!("unspin/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(NoLookups));
        if let Some(Host::Domain(name)) = url.host() {
            builder = builder.resolve_to_addrs(name, addrs);
        }
        builder.build().map_err(|e| FetchError::Network {
            url: url.to_string(),
            message: describe(&e),
        })
    }
}

/// One line from a reqwest error and its causes.
fn describe(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
