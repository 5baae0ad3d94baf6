//! The built book in a real headless browser (Chromium), served from 127.0.0.1
//! with no network: every diagram is drawn, every quiz appears, every chart
//! loads, and chapter 3's code and hidden solutions are there.
//!
//! Needs the built book (`BOOK_BUILD_DIR`, set by `cargo xtask test`) and
//! Chromium (`chromium` on the PATH, or `BOOK_BROWSER=/path/to/chrome`).
//! Without either, each test prints one "skipped" line and passes, unless
//! `BOOK_REQUIRE_BROWSER=1` is set (as `.ci/run` does), which makes a missing
//! browser a failure.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use book_tests::{SKIP_NOT_BUILT, built_book};

/// The browser to drive, or `None` after printing why the test is skipped.
fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BOOK_BROWSER") {
        return Some(PathBuf::from(path));
    }
    let found = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("BOOK_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "BOOK_REQUIRE_BROWSER=1 but no Chromium was found: install it (apt-get install chromium) \
             or set BOOK_BROWSER to its path"
        );
        println!("skipped: no Chromium found (apt-get install chromium, or set BOOK_BROWSER)");
    }
    found
}

/// Serves the files under `root` on 127.0.0.1 (a port the OS picks), for as long
/// as the test process runs. GET only; nothing outside `root` is served.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot listen on 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || answer(stream, &root));
        }
    });
    port
}

fn answer(mut stream: TcpStream, root: &Path) {
    let mut request = String::new();
    if BufReader::new(&stream).read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let mut file = root.join(if path.is_empty() { "index.html" } else { path });
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match (path.contains(".."), std::fs::read(&file)) {
        (false, Ok(body)) => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

/// The page's DOM after its scripts ran, as Chromium prints it.
fn rendered(browser: &Path, url: &str) -> String {
    // A profile of its own for each run: Chromium locks the profile it uses.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let profile = std::env::temp_dir().join(format!("book-browser-{}-{run}", std::process::id()));
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Lets the page's timers and scripts run to completion before the DOM is dumped.
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", url])
        .output()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    assert!(
        output.status.success(),
        "{} failed on {url}: {}",
        browser.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The built book, the browser and the server, or `None` if the test is skipped.
fn setup() -> Option<(PathBuf, u16)> {
    let Some(book) = built_book() else {
        println!("{SKIP_NOT_BUILT}");
        return None;
    };
    let browser = browser()?;
    Some((browser, serve(book)))
}

/// The written pages of the book (every page listed in SUMMARY.md), as
/// (path under book/ with `.md`, its Markdown source).
fn written_pages() -> Vec<(String, String)> {
    let book = book_tests::book_dir();
    book_tests::Summary::load()
        .pages()
        .into_iter()
        .map(|page| {
            let text = std::fs::read_to_string(book.join(&page)).unwrap_or_default();
            (page, text)
        })
        .collect()
}

fn url(port: u16, page: &str) -> String {
    format!("http://127.0.0.1:{port}/{}", page.replace(".md", ".html"))
}

/// Every mermaid diagram in the book is drawn: after the page's scripts ran,
/// each `<pre class="mermaid">` holds an `<svg>`.
#[test]
fn every_diagram_is_drawn_in_the_browser() {
    let Some((browser, port)) = setup() else {
        return;
    };
    let mut checked = 0;
    for (page, text) in written_pages() {
        let expected = text.matches("```mermaid").count();
        if expected == 0 {
            continue;
        }
        let dom = rendered(&browser, &url(port, &page));
        let blocks: Vec<&str> = dom.split("class=\"mermaid\"").skip(1).collect();
        assert_eq!(
            blocks.len(),
            expected,
            "{page}: {expected} diagrams in the source, {} in the page",
            blocks.len()
        );
        for (n, block) in blocks.iter().enumerate() {
            assert!(
                block.split("</pre>").next().unwrap_or("").contains("<svg"),
                "{page}: mermaid did not draw diagram {}: its <pre> holds no <svg> after the scripts ran",
                n + 1
            );
        }
        checked += expected;
    }
    assert!(checked > 0, "no diagram found in the book");
}

/// Every quiz appears: mdbook-quiz's script fills the empty placeholder with
/// the quiz, a header that counts the questions and a Start button.
#[test]
fn every_quiz_appears_in_the_browser() {
    let Some((browser, port)) = setup() else {
        return;
    };
    let mut checked = 0;
    for (page, text) in written_pages() {
        if !text.contains("{{#quiz ") {
            continue;
        }
        let dom = rendered(&browser, &url(port, &page));
        let quiz = dom
            .find("quiz-placeholder")
            .map(|at| &dom[at..])
            .unwrap_or_else(|| panic!("{page}: no quiz placeholder in the page"));
        let inside = quiz.split_once('>').map(|(_, rest)| rest).unwrap_or("");
        assert!(
            inside.starts_with("<div class=\"mdbook-quiz-wrapper\">")
                && inside.contains("questions</div>"),
            "{page}: the quiz placeholder was not filled in after the scripts ran: \
             mdbook-quiz's script did not run"
        );
        assert!(
            inside.contains(">Start</button>"),
            "{page}: the quiz has no Start button"
        );
        checked += 1;
    }
    assert!(checked > 0, "no quiz found in the book");
}

/// Every image the book shows (the charts) is served and is an SVG the
/// browser can parse.
#[test]
fn every_image_loads_in_the_browser() {
    let Some((browser, port)) = setup() else {
        return;
    };
    for (page, text) in written_pages() {
        for (at, _) in text.match_indices("![") {
            let Some(link) = text[at..]
                .split_once("](")
                .and_then(|(_, r)| r.split_once(')'))
            else {
                continue;
            };
            let folder = Path::new(&page).parent().unwrap_or(Path::new(""));
            let target = folder.join(link.0);
            let dom = rendered(
                &browser,
                &format!("http://127.0.0.1:{port}/{}", target.display()),
            );
            assert!(
                dom.contains("<svg"),
                "{page}: the image {} did not load as an SVG",
                link.0
            );
        }
    }
}

#[test]
fn chapter_3_shows_its_code_and_hides_its_solutions_in_the_browser() {
    let Some((browser, port)) = setup() else {
        return;
    };
    let dom = rendered(
        &browser,
        &format!("http://127.0.0.1:{port}/03-race-conditions/lost-update.html"),
    );
    assert!(
        dom.contains("SplitLockCounter"),
        "the included lab code is missing from the page"
    );
    let dom = rendered(
        &browser,
        &format!("http://127.0.0.1:{port}/03-race-conditions/exercises.html"),
    );
    assert!(
        dom.contains("<details"),
        "the exercises page has no hidden (<details>) solution"
    );
    assert!(dom.contains("Exercise 3.1: a safe transfer"));
    assert!(dom.contains("Exercise 3.2: a loom test of your own"));
}
