//! The book's sources hang together: SUMMARY.md, the chapter folders and their
//! labs, every include and quiz, the exercises' pointers into the book. Pure
//! Rust on the Markdown sources; needs no tools and no build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use book_tests::{
    Summary, assert_no_problems, book_dir, book_pages, chapter_folder_number, check_include,
    code_blocks, directives, files_with_ext, headings, is_include_line, labs, line_of, normalize,
    read, rel, repo_root,
};

/// Loose title keywords of the chapters 1-11 and appendices A, B (from the
/// curriculum): a title must contain one of its keywords, case-insensitively.
const CHAPTER_KEYWORDS: &[&[&str]] = &[
    &["concurrency", "parallelism"],
    &["thread"],
    &["race"],
    &["lock", "condition"],
    &["semaphore"],
    &["atomic", "ordering"],
    &["message", "channel"],
    &["parallel"],
    &["async"],
    &["async", "pitfall", "coordination"],
    &["choos", "combin"],
];
const APPENDIX_KEYWORDS: &[&[&str]] = &[&["python"], &["loom", "model check"]];

fn summary_path() -> String {
    rel(&book_dir().join("SUMMARY.md"))
}

/// The chapter folders of the book as listed in SUMMARY.md, with their number.
fn chapter_folders() -> Vec<(u32, String)> {
    Summary::load()
        .chapter_folders()
        .into_iter()
        .map(|(n, folder, _)| (n, folder))
        .collect()
}

/// The pages of a chapter folder, sorted.
fn pages_in(folder: &str) -> Vec<PathBuf> {
    files_with_ext(&book_dir().join(folder), ".md")
}

#[test]
fn summary_links_exist_and_drafts_are_empty_links() {
    let text = read(&book_dir().join("SUMMARY.md"));
    let summary = Summary::parse(&text);
    let mut problems = Vec::new();
    for item in &summary.items {
        let Some(link) = &item.link else { continue };
        let at = format!("{}:{}", summary_path(), item.line);
        if !link.ends_with(".md") {
            problems.push(format!(
                "{at}: `{link}` is not a .md page; link a page under book/, or write a draft as `[{}]()`",
                item.title
            ));
        } else if !book_dir().join(link).is_file() {
            problems.push(format!(
                "{at}: `{link}` does not exist under book/; create it, fix the path, \
                 or make the chapter a draft: `[{}]()`",
                item.title
            ));
        }
    }
    // A list item that is not a link would silently drop out of the book.
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if (t.starts_with("- ") || t.starts_with("* ")) && !t[2..].trim_start().starts_with('[') {
            problems.push(format!(
                "{}:{}: `{}` is not a chapter; write `[Title](path.md)` or a draft `[Title]()`",
                summary_path(),
                i + 1,
                line.trim()
            ));
        }
    }
    assert_no_problems("SUMMARY.md's links", &problems);
}

#[test]
fn summary_lists_eleven_chapters_and_two_appendices() {
    let summary = Summary::load();
    let chapters = summary.chapters();
    let appendices = summary.appendices();
    let mut problems = Vec::new();
    if chapters.len() != CHAPTER_KEYWORDS.len() {
        problems.push(format!(
            "{}: lists {} numbered chapters (top-level list items outside \"# Appendices\"); \
             the book has {} (drafts as `[Title]()`): {:?}",
            summary_path(),
            chapters.len(),
            CHAPTER_KEYWORDS.len(),
            chapters.iter().map(|c| &c.title).collect::<Vec<_>>()
        ));
    }
    if appendices.len() != APPENDIX_KEYWORDS.len() {
        problems.push(format!(
            "{}: lists {} appendices (top-level list items under a part titled \"Appendices\"); \
             the book has {}: A (Coming from Python) and B (Model checking with loom)",
            summary_path(),
            appendices.len(),
            APPENDIX_KEYWORDS.len()
        ));
    }
    let expected = CHAPTER_KEYWORDS
        .iter()
        .enumerate()
        .map(|(i, k)| (format!("chapter {}", i + 1), *k))
        .zip(chapters.iter())
        .chain(
            APPENDIX_KEYWORDS
                .iter()
                .zip(["appendix A", "appendix B"])
                .map(|(k, name)| (name.to_owned(), *k))
                .zip(appendices.iter()),
        );
    for ((name, keywords), item) in expected {
        let title = item.title.to_lowercase();
        if !keywords.iter().any(|k| title.contains(k)) {
            problems.push(format!(
                "{}:{}: {name} is \"{}\", which mentions none of {keywords:?}; \
                 the chapters follow the curriculum's order (/work/shared/curriculum.md)",
                summary_path(),
                item.line,
                item.title
            ));
        }
    }
    assert_no_problems("SUMMARY.md's chapters", &problems);
}

#[test]
fn summary_lists_every_page() {
    let listed = Summary::load().pages();
    let mut problems = Vec::new();
    for page in book_pages() {
        let name = page
            .strip_prefix(book_dir())
            .expect("page under book/")
            .to_string_lossy()
            .replace('\\', "/");
        if name != "SUMMARY.md" && !listed.contains(&name) {
            problems.push(format!(
                "{}: is not listed in {}, so mdBook never builds it; add `[Title]({name})`, \
                 or delete the page",
                rel(&page),
                summary_path()
            ));
        }
    }
    assert_no_problems("pages missing from SUMMARY.md", &problems);
}

#[test]
fn chapter_folders_are_numbered_by_their_place_in_the_book() {
    let summary = Summary::load();
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for (i, item) in summary.chapters().iter().enumerate() {
        let Some(folder) = item.folder() else {
            continue;
        };
        listed.insert(folder.to_owned());
        if chapter_folder_number(folder) != Some(i as u32 + 1) {
            problems.push(format!(
                "{}:{}: chapter {} lives in `{folder}/`; name its folder `{:02}-<name>/`",
                summary_path(),
                item.line,
                i + 1,
                i + 1
            ));
        }
    }
    // Sub-pages of a chapter live in its folder.
    let mut current: Option<&str> = None;
    for item in &summary.items {
        match item.depth {
            Some(0) => current = item.folder(),
            Some(_) => {
                if let (Some(chapter), Some(folder)) = (current, item.folder())
                    && chapter != folder
                {
                    problems.push(format!(
                        "{}:{}: `{}` is a section of the chapter in `{chapter}/` but lives in \
                         `{folder}/`; move it into `{chapter}/`",
                        summary_path(),
                        item.line,
                        item.link.as_deref().unwrap_or_default()
                    ));
                }
            }
            None => {}
        }
    }
    for entry in std::fs::read_dir(book_dir())
        .expect("book/ exists")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir()
            && chapter_folder_number(&name).is_some()
            && !listed.contains(&name)
        {
            problems.push(format!(
                "book/{name}/: no chapter of {} lives here; link its index.md from SUMMARY.md \
                 (instead of a draft `[Title]()`) or remove the folder",
                summary_path()
            ));
        }
    }
    assert_no_problems("chapter folders", &problems);
}

#[test]
fn every_chapter_names_its_lab_and_every_lab_has_a_chapter() {
    let folders = chapter_folders();
    let mut problems = Vec::new();
    for (n, folder) in &folders {
        let command = format!("cargo test -p lab-{n:02}");
        let named = pages_in(folder).iter().any(|p| read(p).contains(&command));
        if !named {
            problems.push(format!(
                "book/{folder}/: no page says `{command}`; tell the reader how to run the \
                 chapter's lab (usually in index.md or exercises.md)"
            ));
        }
        if !repo_root().join(format!("labs/lab-{n:02}")).is_dir() {
            problems.push(format!(
                "book/{folder}/: chapter {n} has no lab: labs/lab-{n:02} does not exist"
            ));
        }
    }
    for (n, lab) in labs() {
        if !folders.iter().any(|(m, _)| *m == n) {
            problems.push(format!(
                "{}: has no chapter; list `book/{n:02}-<name>/index.md` as chapter {n} in {}",
                rel(&lab),
                summary_path()
            ));
        }
    }
    assert_no_problems("chapters and labs", &problems);
}

#[test]
fn every_include_resolves_to_a_file_and_a_non_empty_anchor() {
    let mut problems = Vec::new();
    let mut count = 0;
    for page in book_pages() {
        for d in directives(&read(&page)) {
            if !d.is_file_include() {
                continue;
            }
            count += 1;
            if let Err(e) = check_include(&page, &d) {
                problems.push(format!("{}:{}: {e}", rel(&page), d.line));
            }
        }
    }
    assert_no_problems(&format!("includes ({count} checked)"), &problems);
}

#[test]
fn code_in_the_book_is_included_from_the_labs_never_typed() {
    let labs_dir = repo_root().join("labs");
    let mut problems = Vec::new();
    for page in book_pages() {
        let text = read(&page);
        let at = |line: usize| format!("{}:{line}", rel(&page));
        for block in code_blocks(&text) {
            if !block.closed {
                problems.push(format!(
                    "{}: this code block is never closed; add its closing fence",
                    at(block.line)
                ));
            }
            let checked = match block.lang.as_str() {
                lang if lang.starts_with("rust") => true,
                "text" => true,
                "" => {
                    problems.push(format!(
                        "{}: a code block without a language; write ```text with an include \
                         of captured output, ```rust with an include of lab code, or \
                         ```console for a command",
                        at(block.line)
                    ));
                    false
                }
                _ => false,
            };
            if !checked {
                continue;
            }
            for (n, line) in &block.body {
                if line.trim().is_empty() {
                    continue;
                }
                if !is_include_line(line) {
                    problems.push(format!(
                        "{}: ```{} blocks hold only `{{{{#include …}}}}` or \
                         `{{{{#rustdoc_include …}}}}` lines: {}; put the text in a lab file \
                         (code) or a captured/ file (output) and include it",
                        at(*n),
                        block.info,
                        if block.lang == "text" {
                            "output is captured by `cargo xtask capture`, never typed"
                        } else {
                            "code comes from the labs, never typed"
                        }
                    ));
                    continue;
                }
                if block.lang.starts_with("rust") {
                    let d = &directives(line)[0];
                    if !d.target(&page).starts_with(&labs_dir) {
                        problems.push(format!(
                            "{}: `{}` includes code from outside labs/; code in the book comes \
                             from the labs",
                            at(*n),
                            d.raw
                        ));
                    }
                }
            }
        }
    }
    assert_no_problems("code blocks", &problems);
}

#[test]
fn every_captured_file_is_included_and_not_empty() {
    let mut included = BTreeSet::new();
    let mut problems = Vec::new();
    for page in book_pages() {
        for d in directives(&read(&page)) {
            if !d.is_file_include() {
                continue;
            }
            let target = d.target(&page);
            if target.components().any(|c| c.as_os_str() == "captured") {
                if std::fs::metadata(&target).is_ok_and(|m| m.len() == 0) {
                    problems.push(format!(
                        "{}:{}: includes {}, which is empty; regenerate it with \
                         `cargo xtask capture`",
                        rel(&page),
                        d.line,
                        rel(&target)
                    ));
                }
                included.insert(target);
            }
        }
        // A chart is shown as an image, `![…](captured/chart.svg)`, not included.
        let text = read(&page);
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let Some(end) = rest.find(')') else { continue };
            let link = &rest[..end];
            if link.contains("captured/") && !link.contains("://") {
                let target = normalize(&page.parent().unwrap_or(&page).join(link));
                if !target.is_file() {
                    problems.push(format!(
                        "{}:{}: shows {link}, which does not exist; regenerate it with \
                         `cargo xtask capture`",
                        rel(&page),
                        line_of(&text, at)
                    ));
                }
                included.insert(target);
            }
        }
    }
    for file in files_with_ext(&book_dir(), "") {
        let in_captured = file
            .strip_prefix(book_dir())
            .is_ok_and(|p| p.components().any(|c| c.as_os_str() == "captured"));
        if in_captured && !included.contains(&normalize(&file)) {
            problems.push(format!(
                "{}: no page includes this captured output; include it, or delete it (and its \
                 capture) if the book no longer shows it",
                rel(&file)
            ));
        }
    }
    assert_no_problems("captured output", &problems);
}

#[test]
fn every_exercise_points_to_its_files_and_its_section_of_the_book() {
    let mut problems = Vec::new();
    for (n, lab) in labs() {
        let toml = lab.join("exercises.toml");
        if !toml.is_file() {
            continue;
        }
        let exercises = match lab_support::exercise::load(&lab) {
            Ok(ex) => ex,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let lab_name = format!("lab-{n:02}");
        for ex in exercises {
            let at = format!("{} (exercise {})", rel(&toml), ex.id);
            if !ex.id.starts_with(&format!("{n}.")) {
                problems.push(format!(
                    "{at}: the id of an exercise of chapter {n} starts with `{n}.`"
                ));
            }
            for folder in ["exercises", "starter", "solutions"] {
                if !lab.join(folder).join(&ex.file).is_file() {
                    problems.push(format!(
                        "{at}: file = {:?}, but labs/{lab_name}/{folder}/{} does not exist",
                        ex.file, ex.file
                    ));
                }
            }
            let page = book_dir().join(&ex.page);
            let Ok(text) = std::fs::read_to_string(&page) else {
                problems.push(format!(
                    "{at}: page = {:?}, but book/{} does not exist (the path is relative to book/)",
                    ex.page, ex.page
                ));
                continue;
            };
            if !headings(&text).iter().any(|h| h.text == ex.section) {
                problems.push(format!(
                    "{at}: section = {:?}, but book/{} has no heading with exactly that text; \
                     add `## {}` to the page or correct `section`",
                    ex.section, ex.page, ex.section
                ));
            }
            let path = format!("labs/{lab_name}/exercises/{}", ex.file);
            if !text.contains(&path) {
                problems.push(format!(
                    "{at}: book/{} never mentions `{path}`; tell the reader which file to edit",
                    ex.page
                ));
            }
        }
    }
    assert_no_problems("exercises", &problems);
}

/// The names of the files directly in `dir`.
fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_exercise_file_has_a_starter_and_a_solution() {
    let mut problems = Vec::new();
    for (_, lab) in labs() {
        let folders = ["exercises", "starter", "solutions"];
        let sets: Vec<BTreeSet<String>> =
            folders.iter().map(|f| file_names(&lab.join(f))).collect();
        let all: BTreeSet<&String> = sets.iter().flatten().collect();
        for name in all {
            for (folder, set) in folders.iter().zip(&sets) {
                if !set.contains(name) {
                    problems.push(format!(
                        "{}/{folder}/{name}: missing; every exercise file has a copy in \
                         exercises/, starter/ and solutions/",
                        rel(&lab)
                    ));
                }
            }
        }
    }
    assert_no_problems("exercise files", &problems);
}

/// The problems of one quiz file (mdbook-quiz 0.5's schema).
fn quiz_problems(file: &Path) -> Vec<String> {
    let at = rel(file);
    let table: toml::Table = match read(file).parse() {
        Ok(t) => t,
        Err(e) => return vec![format!("{at}: is not valid TOML: {e}")],
    };
    let Some(questions) = table.get("questions").and_then(|q| q.as_array()) else {
        return vec![format!("{at}: has no `[[questions]]`")];
    };
    let mut problems = Vec::new();
    if questions.len() < 4 {
        problems.push(format!(
            "{at}: has {} question(s); a chapter's quiz has at least 4",
            questions.len()
        ));
    }
    let mut ids = BTreeSet::new();
    for (i, q) in questions.iter().enumerate() {
        let at = format!("{at}: question {}", i + 1);
        let text = |v: Option<&toml::Value>| {
            v.and_then(|v| v.as_str())
                .is_some_and(|s| !s.trim().is_empty())
        };
        let prompt = q.get("prompt");
        let answer = q.get("answer");
        match q.get("id").and_then(|v| v.as_str()) {
            Some(id) if !ids.insert(id.to_owned()) => {
                problems.push(format!("{at}: id {id:?} is used twice; ids are unique"))
            }
            Some(_) => {}
            None => problems.push(format!(
                "{at}: has no `id`; give it one (mdbook-quiz writes one into the file during \
                 the build otherwise), e.g. a fresh UUID"
            )),
        }
        match q.get("type").and_then(|v| v.as_str()) {
            Some("MultipleChoice") => {
                if prompt
                    .and_then(|p| p.get("distractors"))
                    .and_then(|d| d.as_array())
                    .is_none_or(|d| d.is_empty())
                {
                    problems.push(format!(
                        "{at}: a MultipleChoice question needs `prompt.distractors`"
                    ));
                }
            }
            Some("ShortAnswer") => {}
            Some("Tracing") => {
                if !text(prompt.and_then(|p| p.get("program"))) {
                    problems.push(format!("{at}: a Tracing question needs `prompt.program`"));
                }
                if answer.and_then(|a| a.get("doesCompile")).is_none() {
                    problems.push(format!(
                        "{at}: a Tracing question needs `answer.doesCompile`"
                    ));
                }
            }
            other => problems.push(format!(
                "{at}: type = {other:?}; use \"MultipleChoice\", \"ShortAnswer\" or \"Tracing\""
            )),
        }
        let is_tracing = q.get("type").and_then(|v| v.as_str()) == Some("Tracing");
        if !is_tracing && !text(prompt.and_then(|p| p.get("prompt"))) {
            problems.push(format!("{at}: needs a non-empty `prompt.prompt`"));
        }
        if !is_tracing
            && answer
                .and_then(|a| a.get("answer"))
                .is_none_or(|v| v.as_str().is_some_and(|s| s.trim().is_empty()))
        {
            problems.push(format!("{at}: needs `answer.answer`"));
        }
        if !text(q.get("context")) {
            problems.push(format!("{at}: needs a `context` that explains the answer"));
        }
    }
    problems
}

#[test]
fn quizzes_parse_and_follow_the_schema() {
    let mut problems = Vec::new();
    for page in book_pages() {
        for d in directives(&read(&page)) {
            if d.name != "quiz" {
                continue;
            }
            let file = d.target(&page);
            if !file.is_file() {
                problems.push(format!(
                    "{}:{}: `{}`: {} does not exist; the path is relative to the page",
                    rel(&page),
                    d.line,
                    d.raw,
                    rel(&file)
                ));
                continue;
            }
            problems.extend(quiz_problems(&file));
        }
    }
    assert_no_problems("quizzes", &problems);
}

#[test]
fn every_chapter_has_a_quiz() {
    let mut problems = Vec::new();
    for (_, folder) in chapter_folders() {
        let has_quiz = pages_in(&folder)
            .iter()
            .any(|p| directives(&read(p)).iter().any(|d| d.name == "quiz"));
        if !has_quiz {
            problems.push(format!(
                "book/{folder}/: no page has a `{{{{#quiz quiz.toml}}}}`; every chapter ends \
                 with a short quiz"
            ));
        }
    }
    assert_no_problems("quizzes", &problems);
}

#[test]
fn every_chapter_opens_with_what_you_will_learn_and_has_exercises_and_a_summary() {
    let listed = Summary::load().pages();
    let mut problems = Vec::new();
    for (_, folder) in chapter_folders() {
        let index = book_dir().join(&folder).join("index.md");
        match std::fs::read_to_string(&index) {
            Ok(text) => {
                let near_top = text
                    .lines()
                    .take(15)
                    .any(|l| l.to_lowercase().contains("what you will learn"));
                if !near_top {
                    problems.push(format!(
                        "{}: needs \"What you will learn\" (a heading or a line) in its first \
                         15 lines",
                        rel(&index)
                    ));
                }
            }
            Err(_) => problems.push(format!(
                "{}: missing; a chapter's first page is its folder's index.md",
                rel(&index)
            )),
        }
        for page in ["exercises.md", "summary.md"] {
            let name = format!("{folder}/{page}");
            if !listed.contains(&name) {
                problems.push(format!(
                    "book/{name}: every chapter has this page, listed in {} under the chapter",
                    summary_path()
                ));
            }
        }
    }
    assert_no_problems("chapter pages", &problems);
}

// ---------------------------------------------------------------- "Be the scheduler" puzzles

/// One `div.sched-puzzle` embed on a page (see book/scheduler/engine.js).
struct PuzzleEmbed {
    page: PathBuf,
    /// 1-based line of the `<div>`.
    line: usize,
    id: String,
    /// The puzzle file the page includes, `puzzles/ID.json` resolved.
    json: PathBuf,
    /// The checker's trace (loom's or shuttle's) the page includes, as written
    /// (relative to the page).
    trace_rel: String,
    trace: PathBuf,
}

/// The puzzle embeds of every page; a problem for each one that does not have
/// the exact three-block shape.
fn puzzle_embeds(problems: &mut Vec<String>) -> Vec<PuzzleEmbed> {
    let mut out = Vec::new();
    for page in book_pages() {
        let text = read(&page);
        let lines: Vec<&str> = text.lines().collect();
        let mask = book_tests::code_mask(&text);
        for (i, line) in lines.iter().enumerate() {
            if mask.get(i).copied().unwrap_or(false) || !line.contains("sched-puzzle") {
                continue;
            }
            if line.contains("id=\"sched-puzzle-") {
                continue; // the second block, checked with its div
            }
            let at = format!("{}:{}", rel(&page), i + 1);
            let id = line
                .strip_prefix("<div class=\"sched-puzzle\" data-puzzle=\"")
                .and_then(|r| r.strip_suffix("\"></div>"))
                .unwrap_or("");
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                problems.push(format!(
                    "{at}: a puzzle embed starts with exactly \
                     `<div class=\"sched-puzzle\" data-puzzle=\"ID\"></div>`, ID in [a-z0-9-]: {line}"
                ));
                continue;
            }
            let get = |k: usize| lines.get(i + k).copied().unwrap_or("");
            let include = |k: usize| {
                let ds = directives(get(k));
                (is_include_line(get(k)) && ds[0].name == "include" && ds[0].selector.is_none())
                    .then(|| ds[0].path.clone())
            };
            let json_rel = format!("puzzles/{id}.json");
            let shape_ok = i.checked_sub(1).is_none_or(|p| lines[p].trim().is_empty())
                && get(1).is_empty()
                && get(2) == format!("<script type=\"application/json\" id=\"sched-puzzle-{id}\">")
                && include(3).as_deref() == Some(json_rel.as_str())
                && get(4) == "</script>"
                && get(5).is_empty()
                && (get(6) == format!("<script type=\"text/plain\" id=\"sched-loom-{id}\">")
                    || get(6) == format!("<script type=\"text/plain\" id=\"sched-trace-{id}\">"))
                && include(7).is_some_and(|p| p.starts_with("captured/"))
                && get(8) == "</script>"
                && get(9).trim().is_empty();
            if !shape_ok {
                problems.push(format!(
                    "{at}: puzzle `{id}` is not embedded in the three-block shape (a blank line \
                     before and after each block): the div; `<script type=\"application/json\" \
                     id=\"sched-puzzle-{id}\">`, `{{{{#include {json_rel}}}}}`, `</script>`; \
                     `<script type=\"text/plain\" id=\"sched-loom-{id}\">` (or \
                     `sched-trace-{id}`), `{{{{#include captured/FILE.txt}}}}`, `</script>`"
                ));
                continue;
            }
            let trace_rel = include(7).unwrap_or_default();
            let dir = page.parent().unwrap_or(Path::new(""));
            out.push(PuzzleEmbed {
                page: page.clone(),
                line: i + 1,
                id: id.to_owned(),
                json: normalize(&dir.join(&json_rel)),
                trace: normalize(&dir.join(&trace_rel)),
                trace_rel,
            });
        }
    }
    out
}

/// Every puzzle file: `book/<chapter>/puzzles/*.json`.
fn puzzle_files() -> Vec<PathBuf> {
    files_with_ext(&book_dir(), ".json")
        .into_iter()
        .filter(|p| {
            p.parent()
                .and_then(|d| d.file_name())
                .is_some_and(|n| n == "puzzles")
        })
        .collect()
}

fn collapse_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The thread (or task) labels of a captured loom or shuttle trace: the
/// numbered events between `The execution, step by step:` and the first line
/// starting with `Then`.
fn loom_trace_labels(trace: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut on = false;
    for line in trace.lines() {
        if !on {
            on = line.contains("The execution, step by step:");
            continue;
        }
        if line.trim_start().starts_with("Then") {
            break;
        }
        let mut words = line.split_whitespace();
        let (Some(n), Some(label)) = (words.next(), words.next()) else {
            continue;
        };
        if n.strip_suffix('.')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        {
            labels.push(label.to_owned());
        }
    }
    labels
}

/// The problems of one puzzle JSON against its embed.
/// The whole numbers in `text` ("execution 10 of 27" gives 10 and 27).
fn numbers_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The whole numbers in the captured files of `page`'s chapter.
fn captured_numbers(page: &Path) -> BTreeSet<String> {
    let captured = page.parent().unwrap_or(Path::new("")).join("captured");
    files_with_ext(&captured, ".txt")
        .iter()
        .flat_map(|f| numbers_in(&read(f)))
        .collect()
}

/// The keys of a puzzle, of its `trace` (or `loom`, the old name), of a
/// version, of a step and of a select's arm (engine.js, THE PUZZLE FORMAT).
const PUZZLE_KEYS: &[&str] = &[
    "id",
    "title",
    "goal",
    "goal_when",
    "checker",
    "trace",
    "loom",
    "solution",
    "broken",
    "fixed",
];
const LOOM_KEYS: &[&str] = &["file", "test", "misses_goal", "then"];
const VERSION_KEYS: &[&str] = &[
    "label", "source", "verdict", "why", "shared", "locks", "condvars", "notifies", "wakers",
    "threads",
];
const STEP_KEYS: &[&str] = &[
    "code", "note", "do", "label", "indent", "loom", "trace", "run", "lock", "to", "if", "condvar",
    "notify", "on", "until", "arms", "biased",
];
const ARM_KEYS: &[&str] = &["to", "name", "drops"];

/// The checkers whose traces a puzzle can replay (engine.js, `checker`).
const CHECKERS: &[&str] = &["loom", "shuttle"];

/// Whether `click` is a click of a puzzle with `count` threads: a thread
/// number, 1 to `count`, or `"N.A"`, arm A of thread N's select.
fn is_click(click: &serde_json::Value, count: u64) -> bool {
    if let Some(n) = click.as_u64() {
        return (1..=count).contains(&n);
    }
    click
        .as_str()
        .and_then(|s| s.split_once('.'))
        .and_then(|(n, a)| Some((n.parse::<u64>().ok()?, a.parse::<u64>().ok()?)))
        .is_some_and(|(n, a)| (1..=count).contains(&n) && a >= 1)
}

fn check_puzzle(e: &PuzzleEmbed, problems: &mut Vec<String>) {
    use serde_json::Value;
    let at = format!("{} (embedded at {}:{})", rel(&e.json), rel(&e.page), e.line);
    let Ok(raw) = std::fs::read_to_string(&e.json) else {
        problems.push(format!("{at}: the puzzle file does not exist"));
        return;
    };
    if raw.lines().any(|l| l.trim().is_empty()) {
        problems.push(format!(
            "{at}: has a blank line; a blank line would end the HTML block in the page"
        ));
    }
    let p: Value = match serde_json::from_str(&raw) {
        Ok(v) => v,
        Err(err) => {
            problems.push(format!("{at}: not valid JSON: {err}"));
            return;
        }
    };
    let stem = e
        .json
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if p["id"].as_str() != Some(e.id.as_str()) || stem != e.id {
        problems.push(format!(
            "{at}: id {} must equal the file stem `{stem}` and data-puzzle `{}`",
            p["id"], e.id
        ));
    }
    for key in ["title", "goal", "goal_when"] {
        if p[key].as_str().is_none_or(|s| s.trim().is_empty()) {
            problems.push(format!("{at}: needs a non-empty string `{key}`"));
        }
    }
    // `trace` (or `loom`, its old name): exactly one of the two.
    let (trace_key, tr) = match (p.get("trace"), p.get("loom")) {
        (Some(t), None) => ("trace", t.clone()),
        (None, Some(l)) => ("loom", l.clone()),
        _ => {
            problems.push(format!(
                "{at}: needs `trace` (or `loom`, its old name), exactly one of the two"
            ));
            ("trace", Value::Null)
        }
    };
    let checker = p.get("checker").map_or(Some("loom"), Value::as_str);
    if !checker.is_some_and(|c| CHECKERS.contains(&c)) {
        problems.push(format!(
            "{at}: checker is {}, one of {CHECKERS:?} (or absent: loom)",
            p["checker"]
        ));
    }
    if trace_key == "loom" && checker != Some("loom") {
        problems.push(format!(
            "{at}: a {} puzzle names its trace `trace`, not `loom`",
            checker.unwrap_or("?")
        ));
    }
    let checker = checker.unwrap_or("loom");
    match tr["file"].as_str() {
        Some(f) if f == e.trace_rel => {}
        other => problems.push(format!(
            "{at}: {trace_key}.file is {other:?}, but the page includes `{}`",
            e.trace_rel
        )),
    }
    if !tr["test"]
        .as_str()
        .is_some_and(|t| t.starts_with("cargo test"))
    {
        problems.push(format!(
            "{at}: {trace_key}.test names the `cargo test …` command that prints the trace"
        ));
    }
    // A key the format does not know is a typo (`miss_goal`) that the widget
    // would ignore without a word.
    for (object, value, known) in [
        ("the puzzle", &p, PUZZLE_KEYS),
        (trace_key, &tr, LOOM_KEYS),
        ("broken", &p["broken"], VERSION_KEYS),
        ("fixed", &p["fixed"], VERSION_KEYS),
    ] {
        for key in value.as_object().into_iter().flat_map(|o| o.keys()) {
            if !known.contains(&key.as_str()) {
                problems.push(format!(
                    "{at}: {object} has the key `{key}`, which the format (book/scheduler/engine.js) \
                     does not know; it knows {known:?}"
                ));
            }
        }
    }
    // loom.misses_goal: the replay of broken is not meant to reach the goal,
    // and this sentence, shown when it ends, says why. Its numbers (a bound,
    // an execution, a count) come from the captured files, as a verdict's do.
    if let Some(misses) = tr.get("misses_goal") {
        match misses.as_str() {
            Some(text) if !text.trim().is_empty() => {
                let captured = captured_numbers(&e.page);
                for number in numbers_in(text) {
                    if !captured.contains(&number) {
                        problems.push(format!(
                            "{at}: {trace_key}.misses_goal says {number}, which no file in {} says",
                            rel(&e.page.parent().unwrap_or(Path::new("")).join("captured"))
                        ));
                    }
                }
            }
            _ => problems.push(format!(
                "{at}: {trace_key}.misses_goal, where present, is a non-empty sentence: why \
                 {checker}'s replay does not reach the goal"
            )),
        }
    }
    let trace = std::fs::read_to_string(&e.trace).unwrap_or_default();
    let labels: BTreeSet<String> = loom_trace_labels(&trace).into_iter().collect();
    if labels.is_empty() {
        problems.push(format!(
            "{at}: {} holds no {checker} events (`The execution, step by step:` then `N. LABEL text`)",
            rel(&e.trace)
        ));
    }
    let mut names_of = Vec::new();
    for version in ["broken", "fixed"] {
        let v = &p[version];
        let vat = format!("{at}: {version}");
        if !v.is_object() {
            problems.push(format!("{vat}: missing"));
            names_of.push(Vec::new());
            continue;
        }
        for key in ["label", "source", "verdict"] {
            if v[key].as_str().is_none_or(|s| s.trim().is_empty()) {
                problems.push(format!("{vat}: needs a non-empty string `{key}`"));
            }
        }
        // loom's verdict quotes numbers (an execution, a count, a bound): each
        // must come from a captured file of the chapter, never typed by hand.
        let captured = captured_numbers(&e.page);
        for number in numbers_in(v["verdict"].as_str().unwrap_or("")) {
            if !captured.contains(&number) {
                problems.push(format!(
                    "{vat}: the verdict says {number}, which no file in {} says",
                    rel(&e.page.parent().unwrap_or(Path::new("")).join("captured"))
                ));
            }
        }
        if version == "fixed" && v["why"].as_str().is_none_or(|s| s.trim().is_empty()) {
            problems.push(format!(
                "{vat}: needs `why`, why the goal cannot be reached"
            ));
        }
        if !v["shared"].is_object() {
            problems.push(format!("{vat}: needs an object `shared`"));
        }
        let source_path = repo_root().join(v["source"].as_str().unwrap_or(""));
        let source = match std::fs::read_to_string(&source_path) {
            Ok(s) => collapse_ws(&s),
            Err(_) => {
                problems.push(format!(
                    "{vat}: source {} is not a file (a path from the repository root)",
                    v["source"]
                ));
                String::new()
            }
        };
        let threads = v["threads"].as_array().cloned().unwrap_or_default();
        if threads.is_empty() {
            problems.push(format!("{vat}: needs at least one thread"));
        }
        // The names a step may use: the version's locks, condvars, Notify
        // values and waker lists.
        let declared = |key: &str| -> Vec<String> {
            v[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        };
        let lists: Vec<(&str, Vec<String>)> = ["lock", "condvar", "notify", "on"]
            .into_iter()
            .zip(["locks", "condvars", "notifies", "wakers"])
            .map(|(field, key)| (field, declared(key)))
            .collect();
        let mut names = Vec::new();
        for t in &threads {
            let name = t["name"].as_str().unwrap_or("").to_owned();
            let steps = t["steps"].as_array().cloned().unwrap_or_default();
            if name.is_empty() || steps.is_empty() {
                problems.push(format!("{vat}: every thread needs a `name` and `steps`"));
            }
            let labels_here: BTreeSet<&str> =
                steps.iter().filter_map(|s| s["label"].as_str()).collect();
            for (n, step) in steps.iter().enumerate() {
                let sat = format!("{vat}, {name} step {}", n + 1);
                let code = step["code"].as_str().unwrap_or("");
                if step["note"].as_str().is_none() {
                    problems.push(format!("{sat}: needs a `note`"));
                }
                for key in step.as_object().into_iter().flat_map(|o| o.keys()) {
                    if !STEP_KEYS.contains(&key.as_str()) {
                        problems.push(format!(
                            "{sat}: has the key `{key}`, which the format (book/scheduler/engine.js) \
                             does not know; it knows {STEP_KEYS:?}"
                        ));
                    }
                }
                let what = step["do"].as_str().unwrap_or("");
                let has = |key: &str| step.get(key).is_some();
                let needs: &[&str] = match what {
                    "run" => &["run"],
                    "lock" | "unlock" | "relock" => &["lock"],
                    "jump" => &["to"],
                    "wait" => &["condvar", "lock"],
                    "notify_all" => &["condvar"],
                    // A condvar's, or (in a task) a tokio Notify's.
                    "notify_one" if has("notify") => &["notify"],
                    "notify_one" => &["condvar"],
                    "register" | "notify_waiters" => &["notify"],
                    "await" if has("notify") => &["notify"],
                    "await" => &["on", "until"],
                    "wake" => &["on"],
                    "select" | "complete" => &[],
                    _ => {
                        problems.push(format!("{sat}: unknown `do`: {:?}", step["do"]));
                        &[]
                    }
                };
                for key in needs {
                    if step[*key].as_str().is_none() {
                        problems.push(format!("{sat}: `do: {what}` needs a string `{key}`"));
                    }
                }
                if what == "notify_one" && has("notify") && has("condvar") {
                    problems.push(format!(
                        "{sat}: `do: notify_one` names a `condvar` or a `notify`, not both"
                    ));
                }
                if what == "await" && has("notify") && (has("on") || has("until")) {
                    problems.push(format!(
                        "{sat}: `do: await` waits on a `notify`, or on a waker list `on` \
                         `until` a condition, not both"
                    ));
                }
                // Every lock, condvar, Notify and waker list a step names is
                // declared by its version.
                for (field, names) in &lists {
                    if let Some(used) = step[*field].as_str()
                        && !names.iter().any(|n| n == used)
                    {
                        problems.push(format!(
                            "{sat}: names the {field} `{used}`, which the version does not \
                             declare (it declares {names:?})"
                        ));
                    }
                }
                if let Some(mark) = step.get("trace").or_else(|| step.get("loom"))
                    && mark != &serde_json::Value::Bool(true)
                    && mark.as_str().is_none_or(|m| m.trim().is_empty())
                {
                    problems.push(format!(
                        "{sat}: `trace` (or `loom`) is true or a non-empty string, the text of \
                         the events it completes"
                    ));
                }
                // A jump's, an arm's and a complete's `to` is a label of this thread.
                let mut targets: Vec<&str> = Vec::new();
                if matches!(what, "jump" | "complete")
                    && let Some(to) = step["to"].as_str()
                {
                    targets.push(to);
                }
                if what == "select" {
                    match step["arms"].as_array() {
                        Some(arms) if !arms.is_empty() => {
                            for (k, arm) in arms.iter().enumerate() {
                                for key in arm.as_object().into_iter().flat_map(|o| o.keys()) {
                                    if !ARM_KEYS.contains(&key.as_str()) {
                                        problems.push(format!(
                                            "{sat}: arm {} has the key `{key}`; an arm knows \
                                             {ARM_KEYS:?}",
                                            k + 1
                                        ));
                                    }
                                }
                                match (arm["to"].as_str(), arm["name"].as_str()) {
                                    (Some(to), Some(n)) if !n.trim().is_empty() => targets.push(to),
                                    _ => problems.push(format!(
                                        "{sat}: arm {} needs a label `to` and a `name`",
                                        k + 1
                                    )),
                                }
                                if arm.get("drops").is_some_and(|d| {
                                    !d.as_array()
                                        .is_some_and(|d| d.iter().all(|x| x.is_string()))
                                }) {
                                    problems.push(format!(
                                        "{sat}: arm {}'s `drops` is a list of locals' names",
                                        k + 1
                                    ));
                                }
                            }
                        }
                        _ => problems
                            .push(format!("{sat}: `do: select` needs a non-empty list `arms`")),
                    }
                }
                for to in targets {
                    if !labels_here.contains(to) {
                        problems.push(format!(
                            "{sat}: goes to the label `{to}`, which no step of {name} has"
                        ));
                    }
                }
                if code.trim().is_empty() {
                    problems.push(format!("{sat}: needs its `code`"));
                } else if !source.is_empty() && !source.contains(&collapse_ws(code)) {
                    problems.push(format!(
                        "{sat}: `{code}` does not occur in {} (whitespace collapsed); \
                         copy the line from the lab",
                        v["source"].as_str().unwrap_or("")
                    ));
                }
            }
            names.push(name);
        }
        names_of.push(names);
    }
    if names_of.len() == 2 && names_of[0] != names_of[1] {
        problems.push(format!(
            "{at}: broken's threads {:?} and fixed's {:?} must be the same, in the same order",
            names_of[0], names_of[1]
        ));
    }
    let broken: BTreeSet<String> = names_of
        .first()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect();
    if !labels.is_empty() && broken != labels {
        problems.push(format!(
            "{at}: broken's thread names {broken:?} must be the labels of {checker}'s trace in {}: {labels:?}",
            rel(&e.trace)
        ));
    }
    let count = names_of.first().map_or(0, Vec::len) as u64;
    match p["solution"].as_array() {
        Some(clicks) if !clicks.is_empty() && clicks.iter().all(|c| is_click(c, count)) => {}
        _ => problems.push(format!(
            "{at}: `solution` is a non-empty list of clicks: thread numbers, 1 to {count}, or \
             \"N.A\" for arm A of thread N's select"
        )),
    }
    if let Some(then) = tr.get("then")
        && !then
            .as_array()
            .is_some_and(|c| !c.is_empty() && c.iter().all(|c| is_click(c, count)))
    {
        problems.push(format!(
            "{at}: {trace_key}.then, where present, is a non-empty list of clicks, as `solution`"
        ));
    }
}

#[test]
fn puzzles_are_embedded_in_the_three_block_shape_and_match_their_labs() {
    let mut problems = Vec::new();
    let embeds = puzzle_embeds(&mut problems);
    for e in &embeds {
        check_puzzle(e, &mut problems);
    }
    assert_no_problems(
        &format!("\"Be the scheduler\" puzzles ({} checked)", embeds.len()),
        &problems,
    );
}

/// The engine's own check of every puzzle, under node (engine.js,
/// `check`): both versions load, the solution is taken whole and reaches the
/// goal in broken and does not in fixed, the checker's trace (loom's or
/// shuttle's, with `then`) replays to the goal in broken (or ends without it,
/// where `misses_goal` says so) and is blocked or misses it in fixed, and no
/// sequence of clicks at all reaches the goal in fixed (`explore`, a search
/// of every state the reader can click to; random walks where there are too
/// many): a `goal_when` that holds whatever happens fails there. The
/// browser tests check the same through the widget; this runs wherever node
/// is on the PATH, and prints one "skipped" line where it is not.
const NODE_CHECK: &str = r#"
const E = require(process.argv[1]);
const fs = require("fs");
const out = [];
for (let k = 2; k + 1 < process.argv.length; k += 2) {
  try {
    const puzzle = JSON.parse(fs.readFileSync(process.argv[k], "utf8"));
    const trace = fs.readFileSync(process.argv[k + 1], "utf8");
    for (const problem of E.check(puzzle, trace)) out.push(process.argv[k] + ": " + problem);
  } catch (e) {
    out.push(process.argv[k] + ": " + e.message);
  }
}
console.log(JSON.stringify(out));
"#;

#[test]
fn every_puzzle_plays_out_in_its_engine_under_node() {
    let node = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("node"))
        .find(|p| p.is_file());
    let Some(node) = node else {
        println!("skipped: no node on the PATH to run book/scheduler/engine.js");
        return;
    };
    let embeds = puzzle_embeds(&mut Vec::new());
    assert!(
        !embeds.is_empty(),
        "expected \"Be the scheduler\" puzzles in the book, found none"
    );
    let mut command = std::process::Command::new(&node);
    command
        .arg("-e")
        .arg(NODE_CHECK)
        .arg(book_dir().join("scheduler/engine.js"));
    for e in &embeds {
        command.arg(&e.json).arg(&e.trace);
    }
    let output = command.output().expect("cannot run node");
    assert!(
        output.status.success(),
        "node failed on book/scheduler/engine.js: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: Vec<String> = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "node printed no list of problems ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let root = format!("{}/", repo_root().display());
    let problems: Vec<String> = found.iter().map(|p| p.replace(&root, "")).collect();
    assert_no_problems(
        &format!("puzzles played under node ({} checked)", embeds.len()),
        &problems,
    );
}

#[test]
fn every_puzzle_file_is_embedded_exactly_once() {
    let mut ignored = Vec::new();
    let embeds = puzzle_embeds(&mut ignored);
    let mut problems = Vec::new();
    for file in puzzle_files() {
        let file = normalize(&file);
        let on: Vec<String> = embeds
            .iter()
            .filter(|e| e.json == file)
            .map(|e| format!("{}:{}", rel(&e.page), e.line))
            .collect();
        if on.len() != 1 {
            problems.push(format!(
                "{}: embedded {} times ({}); embed every puzzle on exactly one page",
                rel(&file),
                on.len(),
                on.join(", ")
            ));
        }
    }
    assert_no_problems("puzzle files", &problems);
}

#[test]
fn chapters_three_to_five_have_at_least_six_puzzles() {
    let count = puzzle_files()
        .iter()
        .filter(|f| {
            f.strip_prefix(book_dir())
                .ok()
                .and_then(|p| p.components().next())
                .and_then(|c| chapter_folder_number(&c.as_os_str().to_string_lossy()))
                .is_some_and(|n| (3..=5).contains(&n))
        })
        .count();
    assert!(
        count >= 6,
        "chapters 3 to 5 have {count} \"Be the scheduler\" puzzles; they need at least 6"
    );
}
