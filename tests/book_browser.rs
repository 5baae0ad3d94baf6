//! The built book in a real headless browser (Chromium): the pages of chapter 3
//! load from a server on 127.0.0.1 with no network, their diagrams are drawn,
//! their quiz appears, and their code and hidden solution are there.
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

#[test]
fn chapter_3_diagram_is_drawn_in_the_browser() {
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
    let diagram = dom
        .find("class=\"mermaid\"")
        .map(|at| &dom[at..])
        .expect("the page has no mermaid diagram");
    assert!(
        diagram
            .split("</pre>")
            .next()
            .unwrap_or("")
            .contains("<svg"),
        "mermaid did not draw the diagram: its <pre> holds no <svg> after the scripts ran"
    );
}

#[test]
fn chapter_3_quiz_appears_in_the_browser() {
    let Some((browser, port)) = setup() else {
        return;
    };
    let dom = rendered(
        &browser,
        &format!("http://127.0.0.1:{port}/03-race-conditions/summary.html"),
    );
    let quiz = dom
        .find("quiz-placeholder")
        .map(|at| &dom[at..])
        .expect("the page has no quiz placeholder");
    // mdbook-quiz's script fills the empty placeholder with the quiz: a header
    // that counts the questions and a Start button.
    let inside = quiz.split_once('>').map(|(_, rest)| rest).unwrap_or("");
    assert!(
        inside.starts_with("<div class=\"mdbook-quiz-wrapper\">")
            && inside.contains("questions</div>"),
        "the quiz placeholder was not filled in after the scripts ran: mdbook-quiz's script did not run"
    );
    assert!(
        inside.contains(">Start</button>"),
        "the quiz has no Start button"
    );
}

#[test]
fn chapter_3_exercises_hide_their_solutions_in_the_browser() {
    let Some((browser, port)) = setup() else {
        return;
    };
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
