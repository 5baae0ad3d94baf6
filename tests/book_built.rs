//! The built book (`BOOK_BUILD_DIR`, set by `cargo xtask test` after it builds
//! the book): every preprocessor ran, every link inside the book resolves,
//! nothing is fetched from the network, and chapter 3 shows what it promises.
//! Without `BOOK_BUILD_DIR` each test prints one "skipped" line and passes.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use book_tests::{
    SKIP_NOT_BUILT, assert_no_problems, attributes, built_book, chapter_folder_number,
    files_with_ext, ids, is_external, is_network, normalize, percent_decode,
};

/// The built book's folder, or `None` after printing the skip line.
fn book() -> Option<PathBuf> {
    let dir = built_book();
    if dir.is_none() {
        println!("{SKIP_NOT_BUILT}");
    }
    dir
}

/// `path` relative to the built book, for messages.
fn shown(root: &Path, path: &Path) -> String {
    format!(
        "target/book/html/{}",
        path.strip_prefix(root).unwrap_or(path).display()
    )
}

/// Every built HTML page with its text.
fn pages(root: &Path) -> Vec<(PathBuf, String)> {
    files_with_ext(root, ".html")
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p, text)
        })
        .collect()
}

/// The built pages of a chapter folder (`03-race-conditions`), by name.
fn chapter_pages(root: &Path, number: u32) -> Vec<(PathBuf, String)> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut folders: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            chapter_folder_number(&e.file_name().to_string_lossy()) == Some(number)
                && e.path().is_dir()
        })
        .map(|e| e.path())
        .collect();
    folders.sort();
    folders.iter().flat_map(|f| pages(f)).collect()
}

#[test]
fn no_preprocessor_syntax_is_left_in_the_built_pages() {
    let Some(root) = book() else { return };
    let mut problems = Vec::new();
    for (page, html) in pages(&root) {
        for (i, line) in html.lines().enumerate() {
            if let Some(at) = line.find("{{#") {
                let snippet: String = line[at..].chars().take(60).collect();
                problems.push(format!(
                    "{}:{}: `{snippet}` was not expanded; check the directive's name and path \
                     in the page's .md (and that its preprocessor is in book.toml)",
                    shown(&root, &page),
                    i + 1
                ));
            }
        }
    }
    assert_no_problems("unexpanded directives", &problems);
}

#[test]
fn every_link_inside_the_book_resolves() {
    let Some(root) = book() else { return };
    let pages = pages(&root);
    let ids_of: HashMap<PathBuf, _> = pages
        .iter()
        .map(|(p, html)| (normalize(p), ids(html)))
        .collect();
    let mut problems = Vec::new();
    let mut count = 0;
    for (page, html) in &pages {
        // The print page holds every chapter, its links rewritten to anchors of its
        // own, and keeps the paths plugins wrote for a chapter's depth (mdbook-quiz's
        // `../quiz/…`); the same links are checked on the chapters' own pages.
        if page.file_name().is_some_and(|n| n == "print.html") {
            continue;
        }
        // 404.html is served at any depth, with `<base href="/">`.
        let base = if attributes(html, &["href"])
            .iter()
            .any(|a| a.tag == "base" && a.value == "/")
        {
            root.clone()
        } else {
            page.parent().unwrap_or(&root).to_path_buf()
        };
        for attr in attributes(html, &["href", "src"]) {
            let url = attr.value.trim();
            if attr.tag == "base" || url.is_empty() || is_external(url) {
                continue;
            }
            count += 1;
            let at = format!("{}:{}", shown(&root, page), attr.line);
            let (path_part, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path_part = path_part.split('?').next().unwrap_or_default();
            let target = if path_part.is_empty() {
                page.clone()
            } else if let Some(abs) = path_part.strip_prefix('/') {
                normalize(&root.join(percent_decode(abs)))
            } else {
                normalize(&base.join(percent_decode(path_part)))
            };
            let target = if target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            if !target.starts_with(&root) || !target.is_file() {
                problems.push(format!(
                    "{at}: <{} {}=\"{url}\"> leads to no file of the built book; fix the link \
                     in the page's .md (links are relative to the page, to .md files)",
                    attr.tag, attr.name
                ));
                continue;
            }
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            if !target.to_string_lossy().ends_with(".html") {
                continue;
            }
            let fragment = percent_decode(fragment);
            let found = ids_of
                .get(&normalize(&target))
                .is_some_and(|ids| ids.contains(&fragment));
            if !found {
                problems.push(format!(
                    "{at}: <{} {}=\"{url}\">: {} has no id=\"{fragment}\"; link to a heading \
                     that exists (its id is the heading in lower case, words joined by `-`)",
                    attr.tag,
                    attr.name,
                    shown(&root, &target)
                ));
            }
        }
    }
    assert_no_problems(
        &format!("links inside the book ({count} checked)"),
        &problems,
    );
}

#[test]
fn nothing_is_loaded_from_the_network() {
    let Some(root) = book() else { return };
    let mut problems = Vec::new();
    for (page, html) in pages(&root) {
        for attr in attributes(&html, &["href", "src"]) {
            // Links a reader follows are fine; what the page loads is not.
            let loads = attr.name == "src" || attr.tag == "link";
            if loads && is_network(attr.value.trim()) {
                problems.push(format!(
                    "{}:{}: <{} {}=\"{}\"> is fetched from the network; the book must work \
                     offline: serve the file from the book itself",
                    shown(&root, &page),
                    attr.line,
                    attr.tag,
                    attr.name,
                    attr.value
                ));
            }
        }
    }
    for css in files_with_ext(&root, ".css") {
        let text = fs::read_to_string(&css).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_ascii_lowercase().replace([' ', '\'', '"'], "");
            if lower.contains("url(http")
                || lower.contains("url(//")
                || lower.contains("@importhttp")
            {
                problems.push(format!(
                    "{}:{}: loads from the network: `{}`; the book must work offline",
                    shown(&root, &css),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert_no_problems("network loads", &problems);
}

/// Whether some page's text contains `needle`.
fn any_contains(pages: &[(PathBuf, String)], needle: &str) -> bool {
    pages.iter().any(|(_, html)| html.contains(needle))
}

#[test]
fn chapter_3_shows_a_diagram_a_quiz_lab_code_and_a_hidden_solution() {
    let Some(root) = book() else { return };
    let pages = chapter_pages(&root, 3);
    assert!(
        !pages.is_empty(),
        "the built book has no pages of chapter 3 (no 03-*/ folder with .html in {}); \
         list book/03-race-conditions/index.md in SUMMARY.md",
        root.display()
    );
    let mut problems = Vec::new();
    let expect = [
        (
            "<pre class=\"mermaid\">",
            "a mermaid diagram (a ```mermaid block, drawn by mdbook-mermaid)",
        ),
        (
            "class=\"quiz-placeholder\"",
            "the quiz (`{{#quiz quiz.toml}}`, expanded by mdbook-quiz)",
        ),
        (
            "SplitLockCounter",
            "the lab's code (`{{#include …/labs/lab-03/src/counter.rs:split_lock}}`)",
        ),
        ("<details", "a hidden solution (`<details>` … `</details>`)"),
    ];
    for (needle, what) in expect {
        if !any_contains(&pages, needle) {
            problems.push(format!(
                "no built page of chapter 3 shows {what}: none contains `{needle}`"
            ));
        }
    }
    assert_no_problems("chapter 3", &problems);
}

/// The `src` of every `<script>` of a page, resolved to a file.
fn scripts(page: &Path, html: &str) -> Vec<PathBuf> {
    let dir = page.parent().unwrap_or(Path::new(""));
    attributes(html, &["src"])
        .into_iter()
        .filter(|a| a.tag == "script" && !is_external(&a.value))
        .map(|a| normalize(&dir.join(a.value.split(['?', '#']).next().unwrap_or(""))))
        .collect()
}

#[test]
fn diagrams_and_quizzes_have_their_scripts_in_the_book() {
    let Some(root) = book() else { return };
    let mut problems = Vec::new();
    let mut diagrams = 0;
    let mut quizzes = 0;
    for (page, html) in pages(&root) {
        if page.file_name().is_some_and(|n| n == "print.html") {
            continue;
        }
        let scripts = scripts(&page, &html);
        let has = |needle: &str, ext: &str| {
            scripts.iter().any(|s| {
                let name = s.file_name().unwrap_or_default().to_string_lossy();
                name.contains(needle) && name.ends_with(ext) && s.is_file()
            })
        };
        if html.contains("class=\"mermaid\"") {
            diagrams += 1;
            // book/mermaid-loader.js loads mermaid/mermaid.min.js and
            // mermaid/mermaid-init.js on a page that has a diagram.
            if !has("mermaid-loader", ".js") {
                problems.push(format!(
                    "{}: has a diagram but does not load mermaid-loader.js from the book; \
                     check `additional-js` in book.toml",
                    shown(&root, &page)
                ));
            }
        }
        if has("mermaid", ".min.js") {
            problems.push(format!(
                "{}: loads mermaid.min.js itself; only book/mermaid-loader.js should, and only \
                 on a page with a diagram",
                shown(&root, &page)
            ));
        }
        if html.contains("class=\"quiz-placeholder\"") {
            quizzes += 1;
            if !has("quiz-embed", ".js") {
                problems.push(format!(
                    "{}: has a quiz but does not load mdbook-quiz's quiz-embed JavaScript \
                     from the book",
                    shown(&root, &page)
                ));
            }
        }
    }
    // What the loader loads: mermaid.min.js is megabytes; a stub or an error page is not.
    for (file, least) in [
        ("mermaid/mermaid.min.js", 100_000),
        ("mermaid/mermaid-init.js", 100),
    ] {
        match fs::metadata(root.join(file)) {
            Ok(m) if m.len() >= least => {}
            Ok(_) => problems.push(format!(
                "the built book's {file} is too small to be what mdbook-mermaid writes; \
                 regenerate it with `cargo xtask build`"
            )),
            Err(_) => problems.push(format!(
                "the built book has no {file}; `cargo xtask build` writes it into book/mermaid/ \
                 and mdBook copies it in"
            )),
        }
    }
    for file in ["quiz/quiz-embed.iife.js", "quiz/style.css"] {
        if !root.join(file).is_file() {
            problems.push(format!(
                "the built book has no {file}; mdbook-quiz writes it into book/quiz/ on every build"
            ));
        }
    }
    assert_no_problems(
        &format!("scripts ({diagrams} page(s) with diagrams, {quizzes} with quizzes)"),
        &problems,
    );
}
