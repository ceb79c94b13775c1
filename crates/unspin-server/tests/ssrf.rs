//! The URL-safety refusals of `docs/server.md` as a suite that cannot regress: generated
//! spellings of internal addresses (decimal, octal, hex and short IPv4; mapped, compatible,
//! NAT64 and 6to4 IPv6; unspecified, unique-local, link-local, metadata), redirects into
//! them, and names that resolve to them are each answered `403 url_refused` by
//! `POST /api/v1/analyze`; schemes other than http(s) are `400 invalid_url`; public
//! addresses are not refused by the address rules. Every server the tests talk to listens
//! on 127.0.0.1; a refused URL is refused before any connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use proptest::prelude::*;
use serde_json::{Value, json};
use tower::ServiceExt;
use unspin::{Options, Pipeline};
use unspin_server::address::refusal;
use unspin_server::{App, ServerConfig, router};

/// One app for the whole file (building the pipeline loads the models).
fn app_with(config: ServerConfig) -> Arc<App> {
    App::new(
        config,
        Pipeline::new(Options::default()).expect("default pipeline"),
    )
}

fn shared_app() -> &'static Arc<App> {
    static APP: std::sync::OnceLock<Arc<App>> = std::sync::OnceLock::new();
    APP.get_or_init(|| app_with(ServerConfig::default()))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// Posts `{"url": url}` to the analysis API; returns the status, the error code and message.
async fn analyze_url(app: &Arc<App>, url: &str) -> (StatusCode, String, String) {
    let request = Request::post("/api/v1/analyze")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "url": url }).to_string()))
        .unwrap();
    let response = router(Arc::clone(app)).oneshot(request).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (
        status,
        v["error"]["code"].as_str().unwrap_or("").to_owned(),
        v["error"]["message"].as_str().unwrap_or("").to_owned(),
    )
}

fn assert_refused(url: &str, status: StatusCode, code: &str, message: &str) {
    assert_eq!(
        (status, code),
        (StatusCode::FORBIDDEN, "url_refused"),
        "{url}: {message}"
    );
    assert!(message.starts_with("refused:"), "{url}: {message}");
    assert!(message.contains("--allow-private-urls"), "{url}: {message}");
}

/// An IPv4 address inside one of the refused ranges.
fn internal_v4() -> impl Strategy<Value = Ipv4Addr> {
    prop_oneof![
        any::<[u8; 3]>().prop_map(|[b, c, d]| Ipv4Addr::new(127, b, c, d)),
        any::<[u8; 3]>().prop_map(|[b, c, d]| Ipv4Addr::new(10, b, c, d)),
        (16u8..32, any::<[u8; 2]>()).prop_map(|(b, [c, d])| Ipv4Addr::new(172, b, c, d)),
        any::<[u8; 2]>().prop_map(|[c, d]| Ipv4Addr::new(192, 168, c, d)),
        any::<[u8; 2]>().prop_map(|[c, d]| Ipv4Addr::new(169, 254, c, d)),
        Just(Ipv4Addr::new(169, 254, 169, 254)),
        (64u8..128, any::<[u8; 2]>()).prop_map(|(b, [c, d])| Ipv4Addr::new(100, b, c, d)),
        any::<[u8; 3]>().prop_map(|[b, c, d]| Ipv4Addr::new(0, b, c, d)),
        Just(Ipv4Addr::new(0, 0, 0, 0)),
        (240u8..=255, any::<[u8; 3]>()).prop_map(|(a, [b, c, d])| Ipv4Addr::new(a, b, c, d)),
        (224u8..240, any::<[u8; 3]>()).prop_map(|(a, [b, c, d])| Ipv4Addr::new(a, b, c, d)),
    ]
}

/// An IPv6 address inside one of the refused ranges (not an IPv4 one written as IPv6).
fn internal_v6() -> impl Strategy<Value = Ipv6Addr> {
    let rest = any::<[u16; 7]>();
    prop_oneof![
        Just(Ipv6Addr::LOCALHOST),
        Just(Ipv6Addr::UNSPECIFIED),
        Just(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)),
        (0xfc00u16..0xfe00, rest).prop_map(|(a, r)| seg(a, r)),
        (0xfe80u16..0xfec0, rest).prop_map(|(a, r)| seg(a, r)),
        (0xfec0u16..0xff00, rest).prop_map(|(a, r)| seg(a, r)),
        (0xff00u16..=0xffff, rest).prop_map(|(a, r)| seg(a, r)),
    ]
}

fn seg(a: u16, r: [u16; 7]) -> Ipv6Addr {
    Ipv6Addr::new(a, r[0], r[1], r[2], r[3], r[4], r[5], r[6])
}

/// Ways URL parsers accept to write an IPv4 host (WHATWG: decimal, octal and hex parts,
/// and the short forms whose last part fills the remaining bytes).
fn spell_v4(ip: Ipv4Addr, style: u8) -> String {
    let [a, b, c, d] = ip.octets();
    let n = u32::from(ip);
    match style % 9 {
        0 => format!("{a}.{b}.{c}.{d}"),
        1 => format!("{n}"),
        2 => format!("0x{n:x}"),
        3 => format!("0{a:o}.0{b:o}.0{c:o}.0{d:o}"),
        4 => format!("0x{a:x}.0x{b:x}.0x{c:x}.0x{d:x}"),
        5 => format!("{a}.{b}.{}", (u32::from(c) << 8) | u32::from(d)),
        6 => format!("{a}.{}", n & 0x00ff_ffff),
        7 => format!("0x{a:X}.{b}.0{c:o}.{d}"),
        _ => format!("{a}.{b}.{c}.{d}."),
    }
}

/// Ways to write an IPv4 address inside an IPv6 host.
fn spell_v4_in_v6(ip: Ipv4Addr, style: u8) -> String {
    let [a, b, c, d] = ip.octets();
    let (hi, lo) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
    match style % 6 {
        0 => format!("[::ffff:{ip}]"),
        1 => format!("[::ffff:{hi:x}:{lo:x}]"),
        2 => format!("[0:0:0:0:0:ffff:{ip}]"),
        3 => format!("[::{ip}]"),
        4 => format!("[64:ff9b::{ip}]"),
        _ => format!("[2002:{hi:x}:{lo:x}::1]"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Internal IPv4 addresses, however spelled, with or without a port or path.
    #[test]
    fn internal_ipv4_spellings_are_refused(ip in internal_v4(), style in any::<u8>(), port in proptest::option::of(1u16..)) {
        let host = spell_v4(ip, style);
        let url = match port {
            Some(p) => format!("http://{host}:{p}/x"),
            None => format!("https://{host}/"),
        };
        prop_assert!(refusal(IpAddr::V4(ip)).is_some(), "{ip}");
        let (s, code, m) = runtime().block_on(analyze_url(shared_app(), &url));
        assert_refused(&url, s, &code, &m);
    }

    /// Internal IPv4 addresses written as IPv6 (mapped, compatible, NAT64, 6to4).
    #[test]
    fn ipv4_inside_ipv6_is_refused(ip in internal_v4(), style in any::<u8>()) {
        let url = format!("http://{}:9/", spell_v4_in_v6(ip, style));
        let (s, code, m) = runtime().block_on(analyze_url(shared_app(), &url));
        assert_refused(&url, s, &code, &m);
    }

    /// Internal IPv6 addresses: loopback, unspecified, unique-local, link-local,
    /// site-local, multicast, the metadata address.
    #[test]
    fn internal_ipv6_is_refused(ip in internal_v6(), zero_padded in any::<bool>()) {
        prop_assert!(refusal(IpAddr::V6(ip)).is_some(), "{ip}");
        let host = if zero_padded {
            ip.segments().iter().map(|s| format!("{s:04x}")).collect::<Vec<_>>().join(":")
        } else {
            ip.to_string()
        };
        let url = format!("http://[{host}]:9/");
        let (s, code, m) = runtime().block_on(analyze_url(shared_app(), &url));
        assert_refused(&url, s, &code, &m);
    }

    /// A public IPv4 address (outside every refused range) is not refused by the address
    /// rules, nor is its mapped IPv6 form.
    #[test]
    fn public_addresses_pass_the_address_rules(a in 1u8..224, b: u8, c: u8, d: u8) {
        let ip = Ipv4Addr::new(a, b, c, d);
        let special = ip.is_private() || ip.is_loopback() || ip.is_link_local()
            || (a == 100 && (64..128).contains(&b)) || (a == 192 && b == 0 && c == 0)
            || ip.is_documentation() || (a == 198 && (b == 18 || b == 19)) || a == 0;
        prop_assume!(!special);
        prop_assert_eq!(refusal(IpAddr::V4(ip)), None);
        prop_assert_eq!(refusal(IpAddr::V6(ip.to_ipv6_mapped())), None);
    }

    /// Schemes other than http and https are invalid URLs, whatever the host.
    #[test]
    fn other_schemes_are_invalid(scheme in prop::sample::select(vec!["file", "ftp", "gopher", "ws", "wss", "data", "javascript", "dict", "ldap", "sftp"]), ip in internal_v4()) {
        let url = format!("{scheme}://{ip}/etc/passwd");
        let (s, code, m) = runtime().block_on(analyze_url(shared_app(), &url));
        prop_assert_eq!((s, code.as_str()), (StatusCode::BAD_REQUEST, "invalid_url"), "{}: {}", url, m);
    }
}

/// Names that resolve to loopback through the machine's resolver are refused, naming the
/// address they resolve to.
#[test]
fn names_that_resolve_to_loopback_are_refused() {
    // ("localhost." with its root dot does not resolve here: it is a 502 "host not found",
    // never a connection.)
    for name in ["localhost", "LOCALHOST", "LocalHost"] {
        let url = format!("http://{name}:9/");
        let (s, code, m) = runtime().block_on(analyze_url(shared_app(), &url));
        assert_refused(&url, s, &code, &m);
        assert!(m.contains("resolves to"), "{url}: {m}");
    }
}

/// A page server on 127.0.0.1 that redirects `/to?u=URL` to `URL`.
async fn redirector() -> SocketAddr {
    use axum::extract::Query;
    use axum::routing::get;
    use std::collections::HashMap;
    let pages = axum::Router::new().route(
        "/to",
        get(|Query(q): Query<HashMap<String, String>>| async move {
            axum::response::Redirect::temporary(&q["u"])
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, pages).await });
    addr
}

/// Redirects from an allowed page into internal addresses, however spelled, are refused at
/// the hop that goes there.
#[test]
fn redirects_into_internal_addresses_are_refused() {
    let rt = runtime();
    let from = rt.block_on(redirector());
    let app = app_with(ServerConfig {
        allowed_fetch_addrs: vec![from],
        ..ServerConfig::default()
    });
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(internal_v4(), any::<u8>(), any::<bool>(), internal_v6()),
            |(ip, style, v6, ip6)| {
                let target = if v6 {
                    format!("http://[{ip6}]:9/")
                } else {
                    format!("http://{}:9/", spell_v4(ip, style))
                };
                let url = format!(
                    "http://{from}/to?u={}",
                    target
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect::<String>()
                );
                let (s, code, m) = rt.block_on(analyze_url(&app, &url));
                assert_refused(&url, s, &code, &m);
                prop_assert!(m.contains("redirect 1 goes to"), "{}: {}", url, m);
                Ok(())
            },
        )
        .unwrap();
    // And a redirect to a name resolving to loopback.
    let url = format!("http://{from}/to?u=http%3A%2F%2Flocalhost%3A9%2F");
    let (s, code, m) = rt.block_on(analyze_url(&app, &url));
    assert_refused(&url, s, &code, &m);
    assert!(m.contains("redirect 1 goes to"), "{m}");
}
