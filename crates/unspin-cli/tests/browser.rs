//! End-to-end tests in a real browser: the built `unspin serve` is started on 127.0.0.1, and
//! Debian's Chromium, driven through ChromeDriver (WebDriver), uses the page as a person
//! would: paste an article, submit, see highlighted passages, move to one with the Tab key and
//! read its explanation; submit nothing, an oversized article and a refused URL and read
//! the errors.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (`.ci/run` installs them). Without
//! them the test says it is skipped and passes, unless UNSPIN_REQUIRE_BROWSER=1 (set by
//! `.ci/run`), when it fails. Nothing is ever downloaded; the browser runs with background
//! networking off and talks only to the server on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const TAB: &str = "\u{E004}";

/// An original article (written for these tests) used when the seed article is absent.
const ORIGINAL: &str = "Council delays bridge repairs again\n\n\
Officials said on Monday that the old river bridge would stay closed until March, the third delay this year.\n\n\
\"This is an absolute disaster for every family in the valley,\" the mayor, Anna Berg, told reporters outside the town hall. \
\"The council has betrayed ordinary people, and everyone knows it.\"\n\n\
Critics claim the shameful delay will cost the town 4 million euros. The council's spokesman, Piet Vos, \
said the repairs were complex and that safety came first.";

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        let required = std::env::var("UNSPIN_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "UNSPIN_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: browser tests need {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver; .ci/run installs them)"
        );
    }
    present
}

/// Starts `unspin serve` on a free port of 127.0.0.1; returns it with its address, read from
/// what the server prints once it listens.
fn start_server(extra: &[&str]) -> (Running, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unspin serve starts");
    let stderr = child.stderr.take().expect("stderr piped");
    let running = Running(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("unspin serve printed its address before exiting")
            .expect("stderr is readable");
        if let Some(rest) = line.split("serving on http://").nth(1) {
            let addr = rest.split('/').next().unwrap_or_default();
            break addr.parse().expect("a socket address");
        }
    };
    // Keep draining the server's log so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (running, addr)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts ChromeDriver on 127.0.0.1 and waits until it accepts connections.
fn start_chromedriver() -> (Running, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let running = Running(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen on port {port} within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (running, port)
}

async fn browser(driver_port: u16, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a browser session")
}

/// The seed article from ../shared, or the original article above when it is absent.
fn article() -> String {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/examples/victory-plan-rt.txt");
    match std::fs::read_to_string(&seed) {
        Ok(text) => text,
        Err(_) => {
            eprintln!(
                "note: {} is absent; using the test's own article instead of the seed",
                seed.display()
            );
            ORIGINAL.to_owned()
        }
    }
}

/// Puts `text` in the page's text box as a paste would (value set, input event fired).
async fn paste(c: &Client, text: &str) {
    c.execute(
        "const t = document.getElementById('text'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![Value::String(text.to_owned())],
    )
    .await
    .expect("text pasted");
}

/// Saves a screenshot as `<name>.png` in $UNSPIN_SCREENSHOTS, when that is set.
async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("UNSPIN_SCREENSHOTS") {
        let png = c.screenshot().await.expect("a screenshot");
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).expect("screenshot saved");
    }
}

/// Clicks Analyse and waits for the error box; returns its text.
async fn submit_for_error(c: &Client) -> String {
    c.find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let error = c.find(Locator::Id("error")).await.unwrap();
        if error.is_displayed().await.unwrap() {
            return error.text().await.unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no error shown within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_works_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let (_server, addr) = start_server(&["--max-body", "64KiB"]);
    let (_driver, driver_port) = start_chromedriver();
    let profile = tempfile::tempdir().expect("a profile folder");
    let c = browser(driver_port, profile.path()).await;
    let page = format!("http://{addr}/");

    // 1. Paste an article, submit, see the report with highlighted passages.
    c.goto(&page).await.unwrap();
    let heading = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "unspin");
    let lead = c
        .find(Locator::Css(".lead"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        lead.contains("persuasion techniques"),
        "the page says what it does: {lead}"
    );
    paste(&c, &article()).await;
    c.find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = c
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("#result:not([hidden])"))
        .await
        .expect("the report appears");
    assert!(result.is_displayed().await.unwrap());
    let status = c
        .find(Locator::Id("status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("Done"), "{status}");

    screenshot(&c, "report").await;

    // 2. Inside the report: highlights; Tab to the first one and read its explanation.
    c.find(Locator::Id("report"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    let marks = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("mark.hl[data-span]"))
        .await
        .expect("highlighted spans in the report");
    assert!(marks.is_displayed().await.unwrap());
    let count = c
        .find_all(Locator::Css("#article-text mark.hl[tabindex='0']"))
        .await
        .unwrap()
        .len();
    assert!(count > 0, "at least one highlight can be reached with Tab");
    // Start from the top of the report and press Tab until a highlight has the focus.
    c.execute("document.body.focus(); window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    let mut focused = None;
    for _ in 0..200 {
        c.active_element()
            .await
            .unwrap()
            .send_keys(TAB)
            .await
            .unwrap();
        let active = c.active_element().await.unwrap();
        if active.attr("data-span").await.unwrap().is_some() {
            focused = Some(active);
            break;
        }
    }
    let mark = focused.expect("Tab reaches a highlight");
    let note_id = mark
        .attr("aria-describedby")
        .await
        .unwrap()
        .expect("a highlight points at its explanation");
    let tip = c.find(Locator::Id("tip")).await.unwrap();
    assert!(
        tip.is_displayed().await.unwrap(),
        "focus shows the explanation"
    );
    let explanation = tip.text().await.unwrap();
    assert!(explanation.contains("confidence"), "{explanation}");
    let note = c
        .find(Locator::Id(&note_id))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        explanation.split_whitespace().collect::<Vec<_>>(),
        note.split_whitespace().collect::<Vec<_>>(),
        "the tooltip is the highlight's note"
    );
    c.enter_parent_frame().await.unwrap();
    screenshot(&c, "focused-highlight").await;

    // 3. Submitting nothing says what to do.
    c.goto(&page).await.unwrap();
    let error = submit_for_error(&c).await;
    assert!(error.contains("Nothing to analyse"), "{error}");

    // 4. An article over the server's size limit (64 KiB here) is refused with a reason.
    c.goto(&page).await.unwrap();
    paste(&c, &ORIGINAL.repeat(200)).await;
    let error = submit_for_error(&c).await;
    assert!(error.contains("larger than this server's limit"), "{error}");

    // 5. A URL to an internal address is refused before any connection, and says why.
    c.goto(&page).await.unwrap();
    let url = c.find(Locator::Id("url")).await.unwrap();
    url.send_keys(&format!("http://{addr}/healthz"))
        .await
        .unwrap();
    let error = submit_for_error(&c).await;
    assert!(
        error.contains("refused")
            && error.contains("loopback")
            && error.contains("--allow-private-urls"),
        "{error}"
    );

    // 6. The example button fills in an article that gives a report.
    c.goto(&page).await.unwrap();
    c.find(Locator::Id("example"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("#result:not([hidden])"))
        .await
        .expect("the example's report appears");

    c.close().await.expect("the browser closes");
}

/// A JSONL corpus of 12 articles with metadata: two outlets, three months.
fn corpus_jsonl() -> String {
    let mut out = String::new();
    for n in 0..12 {
        let outlet = if n % 2 == 0 {
            "North Gazette"
        } else {
            "South Herald"
        };
        let month = ["2024-08", "2024-09", "2024-10"][n % 3];
        let text = format!(
            "The regional council of district {n} met on Monday and approved a budget of {n} million euros for new bridges and schools, \
             the mayor, Anna Kovacs, told reporters after the vote.\n\n\
             “This is a reckless gamble with public money,” said Peter Lang, the leader of the opposition, who called the mayor a puppet of the developers.\n\n\
             Kovacs said the council had cut spending on consultants by 12 percent last year."
        );
        out.push_str(
            &json!({
                "id": n, "text": text, "title": format!("Council {n} approves budget"),
                "site": outlet, "published": format!("{month}-15"),
            })
            .to_string(),
        );
        out.push('\n');
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_corpus_page_searches_charts_and_opens_reports_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump.jsonl");
    std::fs::write(&dump, corpus_jsonl()).unwrap();
    let db = tmp.path().join("corpus.db");
    let status = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(["index", "--quiet", "--db", db.to_str().unwrap()])
        .arg(&dump)
        .status()
        .unwrap();
    assert!(status.success(), "the corpus is indexed");
    let (_server, addr) = start_server(&["--db", db.to_str().unwrap()]);
    let (_driver, driver_port) = start_chromedriver();
    let profile = tempfile::tempdir().expect("a profile folder");
    let c = browser(driver_port, profile.path()).await;

    // The page lists the corpus and draws one chart per outlet, a point per month.
    c.goto(&format!("http://{addr}/corpus")).await.unwrap();
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, "Corpus");
    assert_eq!(
        c.find_all(Locator::Css("li.result")).await.unwrap().len(),
        12
    );
    let charts = c.find_all(Locator::Css("figure.chart")).await.unwrap();
    assert_eq!(charts.len(), 2);
    for chart in &charts {
        assert!(chart.is_displayed().await.unwrap());
        let points = chart.find_all(Locator::Css("svg circle")).await.unwrap();
        assert_eq!(points.len(), 3, "a point per month");
    }
    screenshot(&c, "corpus").await;

    // Search with a filter, as a person would: type, pick, submit.
    let q = c.find(Locator::Css("input[name=q]")).await.unwrap();
    q.send_keys("reckless").await.unwrap();
    let outlet = c.find(Locator::Css("input[name=outlet]")).await.unwrap();
    outlet.send_keys("South Herald").await.unwrap();
    c.find(Locator::Css("form#search button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The new page replaces the old one: wait until its heading changes.
    let results = wait_for_text(&c, "#results h2", |t| !t.is_empty() && t != "12 articles").await;
    assert_eq!(results, "6 articles", "South Herald's six articles");
    let marked = c.find(Locator::Css("li.result mark")).await.unwrap();
    assert_eq!(marked.text().await.unwrap().to_lowercase(), "reckless");
    let outlets: Vec<String> = {
        let mut v = Vec::new();
        for m in c.find_all(Locator::Css("li.result .meta")).await.unwrap() {
            v.push(m.text().await.unwrap());
        }
        v
    };
    assert!(
        outlets.iter().all(|m| m.starts_with("South Herald")),
        "{outlets:?}"
    );

    // A result opens its report.
    let first = c.find(Locator::Css("li.result a.title")).await.unwrap();
    let title = first.text().await.unwrap();
    first.click().await.unwrap();
    let heading = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, title, "the report is the article's");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/corpus/doc/")
    );
    c.close().await.unwrap();
}

/// Waits (up to 30 s) until the first element matching `css` has a text that `done`
/// accepts, as a new page replaces the old one; returns that text.
async fn wait_for_text(c: &Client, css: &str, done: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let text = match c.find(Locator::Css(css)).await {
            Ok(h) => h.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if done(&text) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{css} did not change as awaited: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sets a form field's value as a paste would.
async fn paste_into(c: &Client, id: &str, text: &str) {
    c.execute(
        "const t = document.getElementById(arguments[0]); t.value = arguments[1]; \
         t.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![Value::String(id.to_owned()), Value::String(text.to_owned())],
    )
    .await
    .expect("text pasted");
}

#[tokio::test]
async fn the_compare_page_sets_pasted_versions_side_by_side_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let (_server, addr) = start_server(&[]);
    let (_driver, driver_port) = start_chromedriver();
    let profile = tempfile::tempdir().expect("a profile folder");
    let c = browser(driver_port, profile.path()).await;
    c.goto(&format!("http://{addr}/compare")).await.unwrap();
    let first = "Council approves new bridge\n\nThe city council approved a new bridge over the \
                 river on Monday, Mayor Anna Berg said. The bridge will cost 40 million euros \
                 and open in 2027, officials said.";
    let second = "Reckless council wastes millions on bridge\n\nThe out-of-touch city council \
                  rammed through a 40 million euro bridge on Monday. Mayor Anna Berg called it \
                  \"a bridge to the future\", but critics said the money was stolen from \
                  families.";
    paste_into(&c, "v1", first).await;
    paste_into(&c, "label1", "Daily Record").await;
    paste_into(&c, "v2", second).await;
    paste_into(&c, "label2", "The Tribune").await;
    c.find(Locator::Id("compare"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = wait_for_text(&c, "h1", |t| t.contains("side by side")).await;
    assert_eq!(heading, "2 versions of one story, side by side");
    let body = c
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Daily Record",
        "The Tribune",
        "Anna Berg",
        "Similarity of each pair",
    ] {
        assert!(body.contains(expected), "{expected} is shown: {body}");
    }
    let similarity = c
        .find(Locator::Css("#similarity + table td.num"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let s: f64 = similarity.trim().parse().expect("a similarity figure");
    assert!((0.0..=1.0).contains(&s), "{s}");
    screenshot(&c, "compare").await;
    c.close().await.unwrap();
}
