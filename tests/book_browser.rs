//! The built book in a real headless browser (Chromium), served from 127.0.0.1
//! with no network: every page loads without a console error and without
//! fetching anything from elsewhere, every diagram is drawn, every quiz
//! appears and can be answered, every chart loads, search works, chapter 3's
//! code and hidden solutions are there, and every "be the scheduler" puzzle
//! can be solved in its broken version and not in its fixed one (with the
//! keyboard too, on a narrow screen, in a dark theme; screenshots of each go to
//! `target/browser-screenshots/`).
//!
//! The browser is driven over the Chrome DevTools Protocol by the small client
//! in `browser/cdp.rs` (one Chromium per test).
//!
//! Needs the built book (`BOOK_BUILD_DIR`, set by `cargo xtask test`) and
//! Chromium (`chromium` on the PATH, or `BOOK_BROWSER=/path/to/chrome`).
//! Without either, each test prints one "skipped" line and passes, unless
//! `BOOK_REQUIRE_BROWSER=1` is set (as `.ci/run` does), which makes a missing
//! browser a failure.

#[path = "browser/cdp.rs"]
mod cdp;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use book_tests::{SKIP_NOT_BUILT, built_book};
use cdp::{Browser, Click};
use serde_json::{Value, json};

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
/// A page the server makes up, empty, on the book's origin: the puzzle tests
/// set local storage there before they open a puzzle's page.
const BLANK: &str = "__blank.html";

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
    // Read the whole request head before answering: closing a socket with
    // unread data resets the connection, which the browser reports as an error.
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    if path == BLANK {
        let body = "<!doctype html><title>blank</title><link rel=\"icon\" href=\"data:,\">";
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        return;
    }
    let mut file = root.join(if path.is_empty() { "index.html" } else { path });
    if file.is_dir() {
        file = file.join("index.html");
    }
    // The files do not change during a test run: letting the browser cache
    // them (and V8 its compiled scripts, mermaid's 3 MB above all) makes each
    // page load several times faster.
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
        Some("png") => "image/png",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: max-age=600\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

/// The built book, the browser and the server, or `None` if the test is skipped.
fn setup() -> Option<(PathBuf, u16)> {
    if std::env::var_os("BOOK_BROWSER_ELSEWHERE").is_some() {
        println!(
            "skipped here: `cargo xtask test` runs the browser tests on their own, beside the others"
        );
        return None;
    }
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

/// A fresh headless Chromium with one tab (killed when dropped).
fn open(browser: &Path) -> Browser {
    Browser::start(browser)
}

/// The chapter folders of SUMMARY.md (`03-race-conditions`, ...).
fn chapter_folders() -> Vec<String> {
    book_tests::Summary::load()
        .chapter_folders()
        .into_iter()
        .map(|(_, folder, _)| folder)
        .collect()
}

/// Fails with every problem found, one per line.
fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: expected none, found {}:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Every page of the book (every page SUMMARY.md lists) loads with no
/// uncaught exception, no console error or warning, and no request that leaves
/// the machine: every URL it asks for is on the local server, `data:` or
/// `blob:`. On the way, every mermaid diagram is drawn (each
/// `<pre class="mermaid">` of the source holds an `<svg>`) and every quiz
/// appears (mdbook-quiz fills its placeholder with a header that counts the
/// questions and a Start button): one walk through the book checks all three,
/// since loading a page is what costs the time.
#[test]
fn every_page_loads_cleanly_and_draws_its_diagrams_and_quizzes() {
    let Some((binary, port)) = setup() else {
        return;
    };
    let mut b = open(&binary);
    let local = format!("http://127.0.0.1:{port}/");
    let mut problems = Vec::new();
    let (mut diagrams, mut quizzes) = (0, 0);
    let pages = written_pages();
    for (page, text) in &pages {
        b.navigate(&url(port, page));
        let expected = text.matches("```mermaid").count();
        let found = b.eval("document.querySelectorAll('pre.mermaid').length");
        if found != json!(expected) {
            problems.push(format!(
                "{page}: expected {expected} diagrams (as in the source), the page has {found}"
            ));
        }
        b.wait_until(
            "[...document.querySelectorAll('pre.mermaid')].every(p => p.querySelector('svg'))",
            cdp::TIMEOUT,
            &format!(
                "{page}: mermaid to draw every diagram (each <pre class=\"mermaid\"> to hold an <svg>)"
            ),
        );
        diagrams += expected;
        if text.contains("{{#quiz ") {
            let placeholder = b.eval("!!document.querySelector('.quiz-placeholder')");
            assert_eq!(
                placeholder,
                json!(true),
                "{page}: expected a quiz placeholder, found none"
            );
            b.wait_until(
                "document.querySelector('.quiz-placeholder > .mdbook-quiz-wrapper')",
                cdp::TIMEOUT,
                &format!("{page}: mdbook-quiz's script to fill the quiz placeholder"),
            );
            let counter =
                b.eval("document.querySelector('.mdbook-quiz .counter')?.textContent ?? ''");
            if !counter.as_str().is_some_and(|c| c.ends_with("questions")) {
                problems.push(format!(
                    "{page}: expected the quiz header to count its questions (\"N questions\"), found {counter}"
                ));
            }
            let start = b.eval(
                "[...document.querySelectorAll('.mdbook-quiz button')].some(b => b.textContent.trim() === 'Start')",
            );
            if start != json!(true) {
                problems.push(format!(
                    "{page}: expected a Start button in the quiz, found none"
                ));
            }
            quizzes += 1;
        }
        for p in b.problems(Duration::from_millis(50)) {
            problems.push(format!("{page}: {}: {}", p.kind, p.text));
        }
        for request in b.requests() {
            if !(request.starts_with(&local)
                || request.starts_with("data:")
                || request.starts_with("blob:"))
            {
                problems.push(format!(
                    "{page}: requested {request} (expected only {local}…, data: or blob: URLs)"
                ));
            }
        }
    }
    assert!(
        pages.len() > 10,
        "expected SUMMARY.md to list the book's pages, it lists only {}",
        pages.len()
    );
    assert!(diagrams > 0, "expected diagrams in the book, found none");
    assert!(quizzes > 0, "expected quizzes in the book, found none");
    assert_none(
        "console errors, warnings, exceptions, outside requests or missing diagrams and quizzes \
         while loading every page",
        &problems,
    );
}

/// Every image the book shows (the charts) is served and is an SVG the
/// browser can parse.
#[test]
fn every_image_loads_in_the_browser() {
    let Some((binary, port)) = setup() else {
        return;
    };
    let mut b = open(&binary);
    for (page, text) in written_pages() {
        for (at, _) in text.match_indices("![") {
            // An image is `![alt](target)` on one line: the alt text's `]` is
            // followed at once by `(`. Anything else (`vec![0; n]` in prose)
            // is not an image.
            let rest = &text[at + 2..];
            let Some(close) = rest.find(']') else {
                continue;
            };
            if rest[..close].contains('\n') || !rest[close + 1..].starts_with('(') {
                continue;
            }
            let Some(link) = rest[close + 2..].split_once(')') else {
                continue;
            };
            let folder = Path::new(&page).parent().unwrap_or(Path::new(""));
            let target = folder.join(link.0);
            b.navigate(&format!("http://127.0.0.1:{port}/{}", target.display()));
            let root = b.eval(
                "document.querySelector('parsererror') ? 'a parser error' : document.documentElement.localName",
            );
            assert_eq!(
                root,
                json!("svg"),
                "{page}: expected the image {} to load as an SVG, the browser shows {root}",
                link.0
            );
        }
    }
}

#[test]
fn chapter_3_shows_its_code_and_hides_its_solutions_in_the_browser() {
    let Some((binary, port)) = setup() else {
        return;
    };
    let mut b = open(&binary);
    b.navigate(&format!(
        "http://127.0.0.1:{port}/03-race-conditions/lost-update.html"
    ));
    let code = b.eval("document.querySelector('main').textContent.includes('SplitLockCounter')");
    assert_eq!(
        code,
        json!(true),
        "lost-update.html: expected the included lab code (SplitLockCounter) in the page, it is missing"
    );
    b.navigate(&format!(
        "http://127.0.0.1:{port}/03-race-conditions/exercises.html"
    ));
    let hidden = b.eval("document.querySelectorAll('main details').length");
    assert!(
        hidden.as_u64().unwrap_or(0) > 0,
        "exercises.html: expected a hidden (<details>) solution, found none"
    );
    for title in [
        "Exercise 3.1: a safe transfer",
        "Exercise 3.2: a loom test of your own",
    ] {
        let found = b.eval(&format!(
            "document.querySelector('main').textContent.includes({})",
            json!(title)
        ));
        assert_eq!(
            found,
            json!(true),
            "exercises.html: expected the heading {title:?}, it is missing"
        );
    }
}

/// mdBook's search finds "Mutex": press `s`, type the word, and at least one
/// result links to a chapter page.
#[test]
fn search_finds_mutex() {
    let Some((binary, port)) = setup() else {
        return;
    };
    let mut b = open(&binary);
    b.navigate(&format!("http://127.0.0.1:{port}/index.html"));
    b.press("s");
    b.wait_until(
        "!document.getElementById('mdbook-search-wrapper').classList.contains('hidden') \
         && document.activeElement === document.getElementById('mdbook-searchbar')",
        cdp::TIMEOUT,
        "the search bar to open and take the focus after pressing `s`",
    );
    b.wait_until(
        "window.search && window.search.index",
        cdp::TIMEOUT,
        "the search index to load",
    );
    b.type_text("Mutex");
    let links = b.wait_until(
        "(() => { const a = [...document.querySelectorAll('#mdbook-searchresults li a')].map(a => a.href); \
           return a.length ? a : null; })()",
        cdp::TIMEOUT,
        "search results for \"Mutex\"",
    );
    let links: Vec<String> = links
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let folders = chapter_folders();
    let local = format!("http://127.0.0.1:{port}/");
    let to_chapter = links.iter().any(|link| {
        link.strip_prefix(&local)
            .is_some_and(|path| folders.iter().any(|f| path.starts_with(&format!("{f}/"))))
    });
    assert!(
        to_chapter,
        "expected a search result for \"Mutex\" that links to a chapter page ({local}NN-…/…), found: {links:?}"
    );
    assert_none(
        "console problems while searching",
        &b.problems(Duration::ZERO)
            .iter()
            .map(|p| format!("{}: {}", p.kind, p.text))
            .collect::<Vec<_>>(),
    );
}

/// A quiz can be answered: on chapter 3's summary page, Start, answer every
/// question (the first option, or "x" where a text is asked for), and the
/// answer review appears, marking each answer right or wrong.
#[test]
fn a_quiz_can_be_answered_and_shows_its_review() {
    let Some((binary, port)) = setup() else {
        return;
    };
    let mut b = open(&binary);
    let page = "03-race-conditions/summary.html";
    b.navigate(&format!("http://127.0.0.1:{port}/{page}"));
    b.wait_until(
        "document.querySelector('.mdbook-quiz button.start')",
        cdp::TIMEOUT,
        &format!("{page}: the quiz's Start button"),
    );
    let total = b.eval("parseInt(document.querySelector('.mdbook-quiz .counter').textContent)");
    let total = total.as_u64().unwrap_or(0);
    assert!(
        total > 0,
        "{page}: expected the quiz to count its questions, it shows {total}"
    );
    assert_eq!(b.click(".mdbook-quiz button.start"), Click::Clicked);
    for n in 1..=total {
        b.wait_until(
            &format!(
                "document.querySelector('.mdbook-quiz .counter')?.textContent.trim() === 'Question {n} / {total}' \
                 && document.querySelector('.mdbook-quiz form.response')"
            ),
            cdp::TIMEOUT,
            &format!("{page}: question {n} of {total} to be shown"),
        );
        let form = ".mdbook-quiz form.response";
        b.click(&format!("{form} input[type=radio]"));
        b.click(&format!("{form} input[type=checkbox]"));
        if b.click(&format!("{form} input[type=text], {form} textarea")) == Click::Clicked {
            b.type_text("x");
        }
        assert_eq!(
            b.click(&format!("{form} input[type=submit]")),
            Click::Clicked,
            "{page}: expected question {n} to have a submit button"
        );
    }
    let review = b.wait_until(
        "document.querySelector('.mdbook-quiz section h3')?.textContent === 'Answer Review' \
         && document.querySelector('.mdbook-quiz section').textContent",
        cdp::TIMEOUT,
        &format!("{page}: the answer review after the last question"),
    );
    let review = review.as_str().unwrap_or("");
    assert!(
        review.contains(&format!("/{total} questions correctly")),
        "{page}: expected the review to say how many of the {total} answers were right, it says: {review}"
    );
    let marked = b.eval(
        "[...document.querySelectorAll('.mdbook-quiz .answer-wrapper')]\
           .filter(w => w.querySelector('.correct, .incorrect')).length",
    );
    assert_eq!(
        marked,
        json!(total),
        "{page}: expected each of the {total} answers to be marked correct or incorrect in the review"
    );
    assert_none(
        "console problems while answering the quiz",
        &b.problems(Duration::ZERO)
            .iter()
            .map(|p| format!("{}: {}", p.kind, p.text))
            .collect::<Vec<_>>(),
    );
}

// ---------------------------------------------------------------- puzzles

/// The "be the scheduler" puzzles of the book: (page under the book, puzzle id).
type Puzzles = Vec<(String, String)>;

/// The puzzles on the pages SUMMARY.md lists, from the built HTML.
fn puzzles(book: &Path) -> Puzzles {
    let mut out = Vec::new();
    for page in book_tests::Summary::load().pages() {
        let html_page = page.replace(".md", ".html");
        let Ok(html) = std::fs::read_to_string(book.join(&html_page)) else {
            continue;
        };
        for (at, _) in html.match_indices("<div class=\"sched-puzzle\"") {
            let tag = &html[at..at + html[at..].find('>').unwrap_or(0)];
            if let Some(id) = tag
                .split_once("data-puzzle=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(id, _)| id.to_owned())
            {
                out.push((html_page.clone(), id));
            }
        }
    }
    out
}

/// Where the screenshots go: `target/browser-screenshots/` in the repository.
fn screenshot_path(name: &str) -> PathBuf {
    book_tests::repo_root()
        .join("target/browser-screenshots")
        .join(name)
}

/// Drives one puzzle widget in the tab.
struct Puzzle<'a> {
    b: &'a mut Browser,
    page: String,
    id: String,
    url: String,
}

impl Puzzle<'_> {
    fn root(&self) -> String {
        format!("div.sched-puzzle[data-puzzle=\"{}\"]", self.id)
    }

    fn what(&self) -> String {
        format!("{} (puzzle {})", self.page, self.id)
    }

    /// Opens the page (optionally with empty local storage and a theme) and
    /// waits for the widget.
    fn open(&mut self, clear: bool, theme: Option<&str>) {
        if clear || theme.is_some() {
            // The storage is set on a blank page of the same origin, so that the
            // puzzle's page (with its diagrams) loads once, not twice.
            let origin = self.url.split('/').take(3).collect::<Vec<_>>().join("/");
            self.b.navigate(&format!("{origin}/{BLANK}"));
            let set_theme = theme
                .map(|t| format!("localStorage.setItem('mdbook-theme', {});", json!(t)))
                .unwrap_or_default();
            self.b.eval(&format!(
                "{}{set_theme}",
                if clear { "localStorage.clear();" } else { "" }
            ));
        }
        self.b.navigate(&self.url);
        let root = self.root();
        let what = self.what();
        self.b.wait_until(
            &format!("document.querySelector('{root}')?.dataset.ready === 'true'"),
            cdp::TIMEOUT,
            &format!("{what}: the widget to be ready (data-ready=\"true\")"),
        );
    }

    /// A data-* attribute of the root.
    fn attr(&mut self, name: &str) -> String {
        let root = self.root();
        let value = self.b.eval(&format!(
            "document.querySelector('{root}').getAttribute('data-{name}')"
        ));
        value.as_str().unwrap_or("(none)").to_owned()
    }

    fn text(&mut self, role: &str) -> String {
        let root = self.root();
        let value = self.b.eval(&format!(
            "document.querySelector('{root} [data-role=\"{role}\"]')?.textContent ?? '(no [data-role=\"{role}\"])'"
        ));
        value.as_str().unwrap_or("").trim().to_owned()
    }

    /// Clicks a control of the widget that must be there and enabled.
    fn press_button(&mut self, inner: &str) {
        let selector = format!("{} {inner}", self.root());
        let what = self.what();
        let clicked = self.b.click(&selector);
        assert_eq!(
            clicked,
            Click::Clicked,
            "{what}: expected to click {inner}, but it is {clicked:?}"
        );
    }

    fn choose(&mut self, version: &str) {
        self.press_button(&format!("button[data-version-choice=\"{version}\"]"));
        let root = self.root();
        let what = self.what();
        self.b.wait_until(
            &format!("document.querySelector('{root}').dataset.version === '{version}'"),
            cdp::TIMEOUT,
            &format!("{what}: data-version to become {version} after choosing it"),
        );
    }

    fn step(&mut self, thread: u64) -> Click {
        let selector = format!("{} button[data-step=\"{thread}\"]", self.root());
        self.b.click(&selector)
    }

    /// Clicks "Show me loom's interleaving" (or "Show me shuttle's schedule")
    /// and waits for the replay to end.
    fn replay(&mut self) -> String {
        self.press_button("button[data-action=\"replay\"]");
        let root = self.root();
        let what = self.what();
        let state = self.b.wait_until(
            &format!(
                "(r => ['done', 'blocked'].includes(r.dataset.replay) && r.dataset.replay)\
                 (document.querySelector('{root}'))"
            ),
            cdp::TIMEOUT,
            &format!("{what}: the replay to end (data-replay=\"done\" or \"blocked\")"),
        );
        state.as_str().unwrap_or("").to_owned()
    }

    /// The puzzle's `trace.misses_goal` (`loom.misses_goal` in the loom
    /// puzzles; engine.js, REPLAY): set when the checker's replay of broken is
    /// not meant to reach the goal.
    fn misses_goal(&mut self) -> Option<String> {
        let id = self.id.clone();
        self.b
            .eval(&format!(
                "(p => (p.trace ?? p.loom).misses_goal ?? null)\
                 (JSON.parse(document.getElementById('sched-puzzle-{id}').textContent))"
            ))
            .as_str()
            .map(str::to_owned)
    }

    /// Waits until the widget has taken `clicks` steps (data-clicks), then
    /// returns its preemption count (see [`Self::preemptions`]).
    fn preemptions_after(&mut self, clicks: usize) -> u64 {
        let root = self.root();
        let what = self.what();
        self.b.wait_until(
            &format!("document.querySelector('{root}').dataset.clicks === '{clicks}'"),
            cdp::TIMEOUT,
            &format!("{what}: the widget to have taken {clicks} steps (data-clicks=\"{clicks}\")"),
        );
        self.preemptions()
    }

    /// The preemption count now: data-preemptions, after checking that the
    /// counter shows the same number ("Preemptions: N") and can be seen.
    fn preemptions(&mut self) -> u64 {
        let what = self.what();
        let attr = self.attr("preemptions");
        let shown = self.text("preemptions");
        let visible = self.visible("[data-role=\"preemptions\"]");
        assert!(
            shown == format!("Preemptions: {attr}") && visible,
            "{what}: expected the counter [data-role=\"preemptions\"] to be visible and to show \
             \"Preemptions: {attr}\" (data-preemptions=\"{attr}\"), it shows {shown:?} (visible: {visible})"
        );
        attr.parse()
            .unwrap_or_else(|_| panic!("{what}: data-preemptions is {attr:?}, not a number"))
    }

    /// Whether an element of the widget is rendered and not hidden.
    fn visible(&mut self, inner: &str) -> bool {
        let selector = json!(format!("{} {inner}", self.root()));
        self.b.eval(&format!(
            "(e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')\
             (document.querySelector({selector}))"
        )) == json!(true)
    }

    fn solution(&mut self) -> Vec<u64> {
        let id = self.id.clone();
        let what = self.what();
        let json = self.b.eval(&format!(
            "JSON.parse(document.getElementById('sched-puzzle-{id}').textContent).solution"
        ));
        // A click "N.A" (arm A of thread N's select, engine.js) would need its
        // own button here: say so rather than skip it.
        assert!(
            json.as_array()
                .is_none_or(|a| a.iter().all(|c| c.as_u64().is_some())),
            "{what}: the solution {json} has a click that is not a thread number; this test \
             clicks only button[data-step=\"N\"]: extend it for arm clicks (\"N.A\")"
        );
        let steps: Vec<u64> = json
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        assert!(
            !steps.is_empty(),
            "{what}: expected a non-empty `solution` in #sched-puzzle-{id}, found {json}"
        );
        steps
    }

    /// Saves a picture of the widget as
    /// `target/browser-screenshots/<id>-<name>.png` and prints its path.
    fn screenshot(&mut self, name: &str) {
        let shot = screenshot_path(&format!("{}-{name}.png", self.id));
        let root = self.root();
        self.b.screenshot(&shot, Some(&root));
        println!("screenshot: {}", shot.display());
    }

    fn console_problems(&mut self) -> Vec<String> {
        let what = self.what();
        self.b
            .problems(Duration::ZERO)
            .into_iter()
            .map(|p| format!("{what}: {}: {}", p.kind, p.text))
            .collect()
    }
}

/// The puzzles of the built book, or `None` if the test is skipped.
fn puzzle_setup() -> Option<(PathBuf, u16, Puzzles)> {
    let (binary, port) = setup()?;
    let book = built_book()?;
    let found = puzzles(&book);
    assert!(
        !found.is_empty(),
        "expected \"be the scheduler\" puzzles (div.sched-puzzle) in the book, found none"
    );
    Some((binary, port, found))
}

/// Runs `check` on every puzzle of the built book, one after the other in one
/// browser (with that window size, if given). `check` adds the problems it
/// finds to the list; the console problems of each puzzle's page are added
/// after it, and the test fails with the whole list, headed `what`.
fn check_every_puzzle(
    viewport: Option<(u32, u32)>,
    what: &str,
    mut check: impl FnMut(&mut Puzzle<'_>, &mut Vec<String>),
) {
    let Some((binary, port, found)) = puzzle_setup() else {
        return;
    };
    let mut b = open(&binary);
    if let Some((width, height)) = viewport {
        b.viewport(width, height);
    }
    let mut problems = Vec::new();
    for (page, id) in found {
        let mut p = Puzzle {
            url: format!("http://127.0.0.1:{port}/{page}"),
            b: &mut b,
            page,
            id,
        };
        check(&mut p, &mut problems);
        problems.extend(p.console_problems());
    }
    assert_none(what, &problems);
}

/// Preemption counts worked out by hand from the puzzle files (engine.js,
/// PREEMPTIONS: a step by another thread while the one that took the last
/// step could have stepped counts one): (puzzle, after its solution in broken,
/// after loom's replay in broken).
const PREEMPTIONS: &[(&str, u64, u64)] = &[
    // Solution 3 3 2 2 1 1: T3 takes fork 2 and asks for fork 0; T2 steps
    // while T3 could take fork 0 (1); T2 takes fork 1 and blocks on fork 2, T1
    // takes fork 0 and blocks on fork 1: switches away from blocked threads,
    // free. The replay is loom's order, as in "philosophers".
    ("philosophers-one-preemption", 1, 2),
    // 1 1 2 2 3 3, loom's order too: T2 steps while T1 could take fork 1 (1),
    // T3 while T2 could take fork 2 (2); T3 then blocks on fork 0.
    ("philosophers", 2, 2),
    // 1 1 1, then 2 six times, then 1 1 1: T2 steps while T1 could lock value
    // again (1); back to T1 once T2 is done, free. loom's replay switches at
    // the same two places.
    ("lost-update", 1, 1),
];

/// Every puzzle: in `broken`, clicking its solution reaches the goal (and
/// the status says so), the solved state survives a reload, and loom's
/// replayed interleaving reaches it too, unless the puzzle says it does not
/// (`loom.misses_goal`: then the replay ends without the goal, and the widget
/// says why); in `fixed`, the same clicks do not (a disabled step button
/// means that interleaving cannot happen), nor does playing on from there to
/// the end, and the replay is blocked or misses the goal. The preemption
/// counter shows the count of the clicks so far, and
/// for the puzzles of [`PREEMPTIONS`] the count worked out by hand.
/// Screenshots of the end states go to `target/browser-screenshots/`.
#[test]
fn every_puzzle_reaches_its_goal_in_broken_and_not_in_fixed() {
    let mut counted: Vec<String> = Vec::new();
    let mut visited = 0;
    check_every_puzzle(
        Some((1000, 900)),
        "console problems while solving the puzzles",
        |p, problems| {
            visited += 1;
            let what = p.what();
            p.open(true, None);
            let solution = p.solution();
            let by_hand = PREEMPTIONS
                .iter()
                .find(|(id, _, _)| *id == p.id)
                .map(|&(_, solution, replay)| (solution, replay));
            if by_hand.is_some() {
                counted.push(p.id.clone());
            }
            let fresh = p.preemptions_after(0);
            if fresh != 0 {
                problems.push(format!(
                    "{what}: expected \"Preemptions: 0\" before the first step, found {fresh}"
                ));
            }

            // broken: the solution reaches the goal.
            p.choose("broken");
            for (k, &thread) in solution.iter().enumerate() {
                let clicked = p.step(thread);
                assert_eq!(
                    clicked,
                    Click::Clicked,
                    "{what}: in broken, click {} of the solution steps thread {thread}: expected its \
                 button[data-step=\"{thread}\"] to be enabled, it is {clicked:?} (status: {})",
                    k + 1,
                    p.text("status")
                );
            }
            let goal = p.attr("goal");
            let status = p.text("status");
            assert_eq!(
                goal, "reached",
                "{what}: expected data-goal=\"reached\" after clicking the solution {solution:?} in broken; status: {status}"
            );
            assert!(
                status.contains("Goal reached"),
                "{what}: expected the status to say \"Goal reached: …\" after the solution, it says: {status}"
            );
            let after_solution = p.preemptions_after(solution.len());
            if let Some((expected, _)) = by_hand
                && after_solution != expected
            {
                problems.push(format!(
                    "{what}: expected \"Preemptions: {expected}\" after the solution {solution:?} \
                     in broken, the counter shows {after_solution}"
                ));
            }
            p.screenshot("broken-goal-reached");

            // The progress is stored and restored on reload.
            let stored = p.b.eval(&format!(
            "(() => {{ try {{ return JSON.parse(localStorage.getItem('sched-puzzle:{}')); }} catch (e) {{ return String(e); }} }})()",
            p.id
        ));
            assert_eq!(
                stored["solved"]["broken"],
                json!(true),
                "{what}: expected localStorage 'sched-puzzle:{}' to record solved.broken = true, it holds {stored}",
                p.id
            );
            p.open(false, None);
            let (version, goal) = (p.attr("version"), p.attr("goal"));
            assert!(
                version == "broken" && goal == "reached",
                "{what}: expected the solved puzzle to be restored after a reload (broken, goal reached), \
             found data-version=\"{version}\", data-goal=\"{goal}\""
            );
            let restored = p.preemptions_after(solution.len());
            if restored != after_solution {
                problems.push(format!(
                    "{what}: the count follows from the history: expected \"Preemptions: \
                     {after_solution}\" after the reload restored the solution, found {restored}"
                ));
            }

            // reset, then loom's interleaving reaches the goal in broken
            // (or, where the puzzle says so, misses it and says why).
            p.press_button("button[data-action=\"reset\"]");
            let goal = p.attr("goal");
            assert_eq!(
                goal, "open",
                "{what}: expected data-goal=\"open\" after reset, found {goal}"
            );
            let reset = p.preemptions_after(0);
            if reset != 0 {
                problems.push(format!(
                    "{what}: expected \"Preemptions: 0\" after reset, found {reset}"
                ));
            }
            let replay = p.replay();
            let goal = p.attr("goal");
            let status = p.text("status");
            match p.misses_goal() {
                None => assert!(
                    replay == "done" && goal == "reached",
                    "{what}: expected loom's replay to finish (data-replay=\"done\") and reach the goal in broken, \
                     found data-replay=\"{replay}\", data-goal=\"{goal}\"; status: {status}"
                ),
                Some(why) => {
                    assert!(
                        replay == "done" && goal == "open",
                        "{what}: loom.misses_goal is set: expected loom's replay to finish \
                         (data-replay=\"done\") without reaching the goal in broken, found \
                         data-replay=\"{replay}\", data-goal=\"{goal}\"; status: {status}"
                    );
                    let note = p.text("replay-note");
                    let shown = p.visible("[data-role=\"replay-note\"]");
                    if !(shown && note.contains(&why) && status.contains("goal is not reached")) {
                        problems.push(format!(
                            "{what}: expected the end of the replay to say that the goal is not \
                             reached (in the status) and why (loom.misses_goal: {why:?}, in a \
                             visible [data-role=\"replay-note\"]); the status says {status:?}, \
                             the note {note:?} (visible: {shown})"
                        ));
                    }
                    p.screenshot("broken-replay-misses-goal");
                }
            }
            let after_replay = p.preemptions();
            if let Some((_, expected)) = by_hand
                && after_replay != expected
            {
                problems.push(format!(
                    "{what}: expected \"Preemptions: {expected}\" after loom's replay in broken, \
                     the counter shows {after_replay}"
                ));
            }

            // fixed: the same clicks do not reach the goal.
            p.choose("fixed");
            p.press_button("button[data-action=\"reset\"]");
            let mut impossible = None;
            for (k, &thread) in solution.iter().enumerate() {
                match p.step(thread) {
                    Click::Clicked => {}
                    Click::Disabled => {
                        impossible = Some(k + 1);
                        break;
                    }
                    Click::Missing => {
                        panic!(
                            "{what}: in fixed, expected a button[data-step=\"{thread}\"], there is none"
                        )
                    }
                }
            }
            let goal = p.attr("goal");
            assert_eq!(
                goal,
                "open",
                "{what}: expected the solution {solution:?} not to reach the goal in fixed ({}), but data-goal=\"{goal}\"",
                impossible.map_or("every click was possible".to_owned(), |k| format!(
                    "click {k} was impossible"
                ))
            );
            // ... nor does playing on from there to the end: each time the
            // first thread or task whose step button is enabled, until none
            // is (every one done, or stuck). engine.js's check, run by
            // book_structure under node, searches every path of fixed.
            let buttons = format!("{} button[data-step]", p.root());
            let count =
                p.b.eval(&format!(
                    "document.querySelectorAll({}).length",
                    json!(buttons)
                ))
                .as_u64()
                .unwrap_or(0);
            let mut played = Vec::new();
            'play: for _ in 0..400 {
                for thread in 1..=count {
                    if p.step(thread) == Click::Clicked {
                        played.push(thread);
                        continue 'play;
                    }
                }
                break;
            }
            let goal = p.attr("goal");
            assert_eq!(
                goal,
                "open",
                "{what}: in fixed, the solution's clicks and then {played:?} (the first enabled \
                 step each time) reach the goal: data-goal=\"{goal}\"; status: {}",
                p.text("status")
            );
            let why = p.text("why");
            assert!(
                !why.is_empty() && !why.starts_with("(no "),
                "{what}: expected [data-role=\"why\"] to explain the fixed version, found {why:?}"
            );
            let replay = p.replay();
            let goal = p.attr("goal");
            assert!(
                replay == "blocked" || goal == "open",
                "{what}: expected loom's replay to be blocked or to miss the goal in fixed, \
             found data-replay=\"{replay}\", data-goal=\"{goal}\""
            );
            p.screenshot("fixed-after-replay");
        },
    );
    // Skipped (no book or no browser) when no puzzle was visited.
    let missing: Vec<&str> = PREEMPTIONS
        .iter()
        .map(|(id, _, _)| *id)
        .filter(|id| !counted.iter().any(|c| c == id))
        .collect();
    assert!(
        visited == 0 || missing.is_empty(),
        "expected the puzzles {missing:?} of PREEMPTIONS (counts worked out by hand) in the built book, \
         they are not there: update PREEMPTIONS"
    );
}

/// The philosophers at one preemption (book/04-locks-and-conditions/deadlock.md),
/// click by click: the counter counts the one switch of the solution that
/// preempts a thread that could go on and none of the switches away from
/// blocked threads; undo takes a preemption back; the same deadlock played in
/// loom's order takes 2 preemptions, and the widget says that the goal is not
/// reached.
#[test]
fn the_one_preemption_puzzle_counts_its_preemptions_click_by_click() {
    let Some((binary, port, found)) = puzzle_setup() else {
        return;
    };
    let id = "philosophers-one-preemption";
    let Some((page, _)) = found.iter().find(|(_, p)| p == id).cloned() else {
        panic!("expected the puzzle {id} in the built book, it is not there; found {found:?}");
    };
    let mut b = open(&binary);
    b.viewport(1000, 900);
    let mut p = Puzzle {
        url: format!("http://127.0.0.1:{port}/{page}"),
        b: &mut b,
        page,
        id: id.to_owned(),
    };
    let what = p.what();
    p.open(true, None);
    p.choose("broken");
    let mut problems = Vec::new();

    // (clicks, the count after each): the solution, then loom's order.
    let solution = p.solution();
    for (clicks, counts, goal) in [
        (solution.clone(), [0, 0, 1, 1, 1, 1], "reached"),
        (vec![1, 1, 2, 2, 3, 3], [0, 0, 1, 1, 2, 2], "open"),
    ] {
        p.press_button("button[data-action=\"reset\"]");
        p.preemptions_after(0);
        for (k, (&thread, &expected)) in clicks.iter().zip(&counts).enumerate() {
            let clicked = p.step(thread);
            assert_eq!(
                clicked,
                Click::Clicked,
                "{what}: click {} of {clicks:?} steps thread {thread}: expected its button to be \
                 enabled, it is {clicked:?} (status: {})",
                k + 1,
                p.text("status")
            );
            let shown = p.preemptions_after(k + 1);
            let status = p.text("status");
            if shown != expected {
                problems.push(format!(
                    "{what}: after click {} of {clicks:?}, expected \"Preemptions: {expected}\", \
                     the counter shows {shown} (status: {status})",
                    k + 1
                ));
            }
            let preempts = k > 0 && counts[k] > counts[k - 1];
            if preempts != status.contains("That is preemption") {
                problems.push(format!(
                    "{what}: click {} of {clicks:?} is {}a preemption, but the status says: {status}",
                    k + 1,
                    if preempts { "" } else { "not " }
                ));
            }
        }
        let (found_goal, status) = (p.attr("goal"), p.text("status"));
        let enabled = p.b.eval(&format!(
            "document.querySelectorAll('{} button[data-step]:not(:disabled)').length",
            p.root()
        ));
        if found_goal != goal || enabled != json!(0) {
            problems.push(format!(
                "{what}: after {clicks:?}, expected every thread blocked (no enabled Step button) and \
                 data-goal=\"{goal}\", found {enabled} enabled and data-goal=\"{found_goal}\"; \
                 status: {status}"
            ));
        }
        let expected = if goal == "reached" {
            "Goal reached".to_owned()
        } else {
            format!(
                "deadlock, after {} preemptions, and the goal is not reached",
                counts[5]
            )
        };
        if !status.contains(&expected) {
            problems.push(format!(
                "{what}: after {clicks:?}, expected the status to say {expected:?}, it says: {status}"
            ));
        }
    }

    // Undo back to before the third click of loom's order takes both
    // preemptions back; stepping T2 again counts one again.
    for clicks in [5, 4, 3, 2] {
        p.press_button("button[data-action=\"undo\"]");
        let shown = p.preemptions_after(clicks);
        let expected = [0, 0, 1, 1, 2, 2][..clicks].last().copied().unwrap_or(0);
        if shown != expected {
            problems.push(format!(
                "{what}: after undoing to {clicks} clicks of [1, 1, 2, 2, 3, 3], expected \
                 \"Preemptions: {expected}\", the counter shows {shown}"
            ));
        }
    }
    assert_eq!(
        p.step(2),
        Click::Clicked,
        "{what}: T2's Step button after the undos"
    );
    let again = p.preemptions_after(3);
    if again != 1 {
        problems.push(format!(
            "{what}: T2 stepping while T1 could take fork 1 is a preemption: expected \
             \"Preemptions: 1\", the counter shows {again}"
        ));
    }
    problems.extend(p.console_problems());
    assert_none("problems while counting the preemptions", &problems);
}

/// Every puzzle answers the keyboard: with the puzzle focused, `1` steps
/// thread 1, `u` undoes it, `r` resets.
#[test]
fn every_puzzle_answers_the_keyboard() {
    check_every_puzzle(
        None,
        "console problems while using the puzzles' keys",
        |p, _| {
            let what = p.what();
            let root = p.root();
            p.open(true, None);
            p.choose("broken");
            // Thread 1's column: where its next-step marker is, and what it shows.
            let thread_1 = format!(
                "(() => {{ const c = document.querySelector('{root} [data-thread=\"1\"]'); \
               if (!c) return 'no [data-thread=\"1\"] column'; \
               const all = [...c.querySelectorAll('*')]; \
               const cur = c.querySelector('[aria-current=\"step\"]'); \
               return 'marker at ' + (cur ? all.indexOf(cur) : 'none') + ': ' + c.innerText; }})()"
            );
            let focused = p.b.eval(&format!(
            "(r => {{ r.focus(); return document.activeElement === r; }})(document.querySelector('{root}'))"
        ));
            assert_eq!(
                focused,
                json!(true),
                "{what}: expected the puzzle (tabindex=0) to take the focus"
            );
            let before = p.b.eval(&thread_1);
            p.b.press("1");
            p.b.wait_until(
                &format!("{thread_1} !== {before}"),
                Duration::from_secs(5),
                &format!("{what}: key `1` to step thread 1 (its column to change from {before})"),
            );
            p.b.press("u");
            p.b.wait_until(
                &format!("{thread_1} === {before}"),
                Duration::from_secs(5),
                &format!("{what}: key `u` to undo thread 1's step (its column back to {before})"),
            );
            p.b.press("1");
            p.b.press("1");
            p.b.press("r");
            p.b.wait_until(
                &format!("{thread_1} === {before}"),
                Duration::from_secs(5),
                &format!("{what}: key `r` to reset (thread 1's column back to {before})"),
            );
        },
    );
}

/// WCAG relative luminance contrast of two CSS `rgb(...)`/`rgba(...)` colours.
fn contrast(a: &str, b: &str) -> f64 {
    fn luminance(c: &str) -> f64 {
        let parts: Vec<f64> = c
            .trim_start_matches(|ch: char| ch.is_alphabetic() || ch == '(')
            .trim_end_matches(')')
            .split([',', ' ', '/'])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        let lin = |v: f64| {
            let v = v / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        match parts.as_slice() {
            [r, g, b, ..] => 0.2126 * lin(*r) + 0.7152 * lin(*g) + 0.0722 * lin(*b),
            _ => f64::NAN,
        }
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every puzzle fits a 375 px wide screen (the page does not scroll
/// sideways) and is readable in mdBook's dark "coal" theme (its text colour
/// stands out from its background). A screenshot of each goes to
/// `target/browser-screenshots/`.
#[test]
fn every_puzzle_fits_a_narrow_screen_in_the_coal_theme() {
    check_every_puzzle(
        Some((375, 812)),
        "problems on a narrow screen in the coal theme",
        |p, problems| {
            let what = p.what();
            let root = p.root();
            p.open(true, Some("coal"));
            let coal =
                p.b.eval("document.documentElement.classList.contains('coal')");
            assert_eq!(
                coal,
                json!(true),
                "{what}: expected the coal theme to be applied (html.coal)"
            );
            let width = p.b.eval(&format!(
                "(() => {{ const r = document.querySelector('{root}').getBoundingClientRect(); \
               return [document.documentElement.scrollWidth, window.innerWidth, r.right]; }})()"
            ));
            let (scroll, inner, right) = (
                width[0].as_f64().unwrap_or(f64::NAN),
                width[1].as_f64().unwrap_or(f64::NAN),
                width[2].as_f64().unwrap_or(f64::NAN),
            );
            if !(scroll <= inner && right <= inner + 0.5) {
                problems.push(format!(
                    "{what}: at 375 px, expected nothing wider than the window ({inner} px), \
                 found the page {scroll} px wide and the puzzle's right edge at {right} px"
                ));
            }
            // Text colour against the background actually behind it.
            let colours = p.b.eval(&format!(
            "(() => {{ const bg = e => {{ for (; e; e = e.parentElement) {{ \
                 const c = getComputedStyle(e).backgroundColor; \
                 if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c; }} \
                 return getComputedStyle(document.body).backgroundColor; }}; \
               const r = document.querySelector('{root}'); \
               return [r, r.querySelector('[data-role=\"status\"]'), r.querySelector('button[data-step]'), \
                       r.querySelector('[data-thread] code'), r.querySelector('[data-role=\"preemptions\"]') ] \
                 .filter(e => e).map(e => [e.localName + (e.dataset.role ? '[' + e.dataset.role + ']' : ''), \
                                          getComputedStyle(e).color, bg(e)]); }})()"
        ));
            for c in colours.as_array().into_iter().flatten() {
                let (el, fg, bg) = (
                    c[0].as_str().unwrap_or("?"),
                    c[1].as_str().unwrap_or("?"),
                    c[2].as_str().unwrap_or("?"),
                );
                let ratio = contrast(fg, bg);
                if fg == bg || ratio.is_nan() || ratio < 3.0 {
                    problems.push(format!(
                    "{what}: in the coal theme, expected {el}'s text colour to stand out from its background \
                     (contrast at least 3:1), found colour {fg} on {bg} (contrast {ratio:.2})"
                ));
                }
            }
            let counter = p.b.eval(&format!(
                "(e => e ? [e.getClientRects().length > 0, e.getBoundingClientRect().right] : null)\
                 (document.querySelector('{root} [data-role=\"preemptions\"]'))"
            ));
            // NaN (no right edge) does not fit.
            let fits = counter[1]
                .as_f64()
                .is_some_and(|right| right <= inner + 0.5);
            if counter[0] != json!(true) || !fits {
                problems.push(format!(
                    "{what}: at 375 px, expected the preemption counter [data-role=\"preemptions\"] \
                     to be shown within the window ({inner} px), found {counter}"
                ));
            }
            p.screenshot("narrow-coal");
        },
    );
}
