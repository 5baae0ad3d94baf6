//! Helpers for the tests of the whole book (`tests/*.rs`): where things are,
//! reading SUMMARY.md, scanning Markdown for code blocks, headings and mdBook
//! directives (`{{#include …}}`), checking anchors, and reading the built HTML.
//!
//! Every check collects all the problems it finds as `path:line: what is wrong;
//! what to do` lines and fails once with all of them ([`assert_no_problems`]).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

// ---------------------------------------------------------------- paths

/// The repository root (this package's manifest directory).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The book's sources: `book/`.
pub fn book_dir() -> PathBuf {
    repo_root().join("book")
}

/// `path` relative to the repository root, for messages (`book/03-x/index.md`).
pub fn rel(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Reads a text file; panics with a message naming it if it cannot.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", rel(path)))
}

/// Removes `.` and `a/..` from a path without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Every file under `dir` whose name ends with `ext` (e.g. ".md"), sorted;
/// empty if `dir` does not exist.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The Markdown pages of the book: every `.md` under `book/` except the
/// folders preprocessors write into (`book/quiz/`).
pub fn book_pages() -> Vec<PathBuf> {
    let quiz = book_dir().join("quiz");
    files_with_ext(&book_dir(), ".md")
        .into_iter()
        .filter(|p| !p.starts_with(&quiz))
        .collect()
}

/// The labs: `labs/lab-NN` folders, with their number, sorted.
pub fn labs() -> Vec<(u32, PathBuf)> {
    let mut out: Vec<(u32, PathBuf)> = fs::read_dir(repo_root().join("labs"))
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let n = name.strip_prefix("lab-")?.parse().ok()?;
                    e.path().is_dir().then(|| (n, e.path()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The chapter number of a book folder named `NN-name` (`03-race-conditions` -> 3).
pub fn chapter_folder_number(folder: &str) -> Option<u32> {
    let (num, rest) = folder.split_once('-')?;
    if num.len() == 2 && num.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty() {
        num.parse().ok()
    } else {
        None
    }
}

/// Fails with every problem, one per line, if there are any.
#[track_caller]
pub fn assert_no_problems(what: &str, problems: &[String]) {
    if !problems.is_empty() {
        panic!(
            "{what}: {} problem(s):\n  {}\n",
            problems.len(),
            problems.join("\n  ")
        );
    }
}

// ---------------------------------------------------------------- SUMMARY.md

/// One entry of SUMMARY.md: `[Title](path.md)`, or a draft `[Title]()`.
#[derive(Debug, Clone)]
pub struct SummaryItem {
    /// The link text.
    pub title: String,
    /// The page, relative to `book/`; `None` for a draft chapter.
    pub link: Option<String>,
    /// 1-based line in SUMMARY.md.
    pub line: usize,
    /// `None` for a prefix or suffix chapter (not in a list); otherwise the
    /// nesting level of the list item, 0 for a top-level chapter.
    pub depth: Option<usize>,
    /// The part title (`# Part I: …`) the entry is under, if any.
    pub part: Option<String>,
}

impl SummaryItem {
    /// A top-level list item that is not under an "Appendices" part.
    pub fn is_numbered_chapter(&self) -> bool {
        self.depth == Some(0) && !self.is_appendix()
    }

    /// A top-level list item under a part whose title mentions "appendi".
    pub fn is_appendix(&self) -> bool {
        self.depth == Some(0)
            && self
                .part
                .as_deref()
                .is_some_and(|p| p.to_lowercase().contains("appendi"))
    }

    /// The folder of the page, if the page is `FOLDER/page.md`.
    pub fn folder(&self) -> Option<&str> {
        let link = self.link.as_deref()?;
        let (folder, _) = link.split_once('/')?;
        Some(folder)
    }
}

/// SUMMARY.md, parsed into its entries (in order).
#[derive(Debug, Clone)]
pub struct Summary {
    /// Every `[Title](…)` entry.
    pub items: Vec<SummaryItem>,
}

impl Summary {
    /// Reads and parses `book/SUMMARY.md`.
    pub fn load() -> Summary {
        Summary::parse(&read(&book_dir().join("SUMMARY.md")))
    }

    /// Parses the text of a SUMMARY.md. Lines that are neither a title nor a
    /// link (separators, blank lines) are skipped.
    pub fn parse(text: &str) -> Summary {
        let mut items = Vec::new();
        let mut part = None;
        let mut seen_title = false;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if let Some(heading) = trimmed.strip_prefix('#') {
                // The first heading is the book's "# Summary"; later ones are parts.
                let heading = heading.trim_start_matches('#').trim().to_owned();
                if seen_title {
                    part = Some(heading);
                }
                seen_title = true;
                continue;
            }
            let indent = line.len() - trimmed.len();
            let (depth, rest) = match trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("* "))
            {
                Some(rest) => (Some(indent / 2), rest.trim_start()),
                None => (None, trimmed),
            };
            let Some(after_open) = rest.strip_prefix('[') else {
                continue;
            };
            let Some((title, after_title)) = after_open.split_once("](") else {
                continue;
            };
            let Some((link, _)) = after_title.split_once(')') else {
                continue;
            };
            let link = link.trim();
            items.push(SummaryItem {
                title: title.trim().to_owned(),
                link: (!link.is_empty()).then(|| link.to_owned()),
                line: i + 1,
                depth,
                part: part.clone(),
            });
        }
        Summary { items }
    }

    /// The numbered chapters (top-level list items outside the appendices), in order.
    pub fn chapters(&self) -> Vec<&SummaryItem> {
        self.items
            .iter()
            .filter(|i| i.is_numbered_chapter())
            .collect()
    }

    /// The appendices (top-level list items under an "Appendices" part), in order.
    pub fn appendices(&self) -> Vec<&SummaryItem> {
        self.items.iter().filter(|i| i.is_appendix()).collect()
    }

    /// The folders `NN-name` of the non-draft numbered chapters, with their
    /// number (its position in the book) and entry.
    pub fn chapter_folders(&self) -> Vec<(u32, String, &SummaryItem)> {
        self.chapters()
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let folder = item.folder()?;
                chapter_folder_number(folder)?;
                Some((i as u32 + 1, folder.to_owned(), item))
            })
            .collect()
    }

    /// Every page SUMMARY.md links to, relative to `book/`.
    pub fn pages(&self) -> BTreeSet<String> {
        self.items.iter().filter_map(|i| i.link.clone()).collect()
    }
}

// ---------------------------------------------------------------- Markdown

/// A fenced code block (```` ``` ```` or `~~~`).
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// Everything after the opening fence, trimmed (`rust,ignore`).
    pub info: String,
    /// The first word of the info string (`rust`), lower case; empty if none.
    pub lang: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The lines inside the fences, with their 1-based line numbers.
    pub body: Vec<(usize, String)>,
    /// Whether the closing fence was found.
    pub closed: bool,
}

/// The opening fence of a line: its character, length and info string.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then(|| (c, n, t[n..].trim()))
}

/// The fenced code blocks of a Markdown text, in order.
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize, CodeBlock)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        match &mut open {
            None => {
                if let Some((c, len, info)) = fence(line) {
                    let lang = info
                        .split(|x: char| x == ',' || x.is_whitespace() || x == '{')
                        .next()
                        .unwrap_or("")
                        .to_lowercase();
                    let block = CodeBlock {
                        info: info.to_owned(),
                        lang,
                        line: n,
                        body: Vec::new(),
                        closed: false,
                    };
                    open = Some((c, len, block));
                }
            }
            Some((c, len, block)) => match fence(line) {
                Some((c2, len2, rest)) if c2 == *c && len2 >= *len && rest.is_empty() => {
                    block.closed = true;
                    out.push(open.take().expect("open block").2);
                }
                _ => block.body.push((n, line.to_owned())),
            },
        }
    }
    if let Some((_, _, block)) = open {
        out.push(block);
    }
    out
}

/// For each line of `text`, whether it is inside a fenced code block (fences included).
pub fn code_mask(text: &str) -> Vec<bool> {
    let mut mask = vec![false; text.lines().count()];
    for block in code_blocks(text) {
        let end = block.body.last().map_or(block.line, |(n, _)| *n) + usize::from(block.closed);
        for slot in mask.iter_mut().take(end).skip(block.line - 1) {
            *slot = true;
        }
    }
    mask
}

/// A heading outside code blocks: `## Text {#id}` gives level 2 and "Text".
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, ….
    pub level: usize,
    /// The heading's text, without `#`s and without a trailing `{#id …}`.
    pub text: String,
    /// 1-based line.
    pub line: usize,
}

/// The ATX headings (`# …`) of a Markdown text, outside code blocks.
pub fn headings(text: &str) -> Vec<Heading> {
    let mask = code_mask(text);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if mask[i] || line.starts_with("    ") {
            continue;
        }
        let t = line.trim_start();
        let level = t.chars().take_while(|c| *c == '#').count();
        if !(1..=6).contains(&level) {
            continue;
        }
        let rest = &t[level..];
        if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
            continue;
        }
        let mut text = rest.trim();
        if text.ends_with('}')
            && let Some(open) = text.rfind('{')
        {
            text = text[..open].trim_end();
        }
        let text = text.trim_end_matches('#').trim_end();
        out.push(Heading {
            level,
            text: text.to_owned(),
            line: i + 1,
        });
    }
    out
}

/// An mdBook directive in a page: `{{#include path:anchor}}`, `{{#quiz path}}`, ….
#[derive(Debug, Clone)]
pub struct Directive {
    /// `include`, `rustdoc_include`, `playground`, `quiz`, `title`, ….
    pub name: String,
    /// The path, relative to the page (for directives that take one).
    pub path: String,
    /// What follows the path after the first `:` (an anchor or a line range).
    pub selector: Option<String>,
    /// 1-based line in the page.
    pub line: usize,
    /// The whole directive as written.
    pub raw: String,
}

/// What part of a file an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The whole file.
    All,
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
    /// Lines `start..=end` (1-based); `None` is the start or end of the file.
    Lines(Option<usize>, Option<usize>),
}

impl Directive {
    /// Whether this directive pulls a file into the page.
    pub fn is_file_include(&self) -> bool {
        matches!(
            self.name.as_str(),
            "include" | "rustdoc_include" | "playground"
        )
    }

    /// The file it names, resolved against the page that holds it.
    pub fn target(&self, page: &Path) -> PathBuf {
        normalize(&page.parent().unwrap_or(Path::new("")).join(&self.path))
    }

    /// The part of the file it takes, mdBook's way: a number or `N:M` range is
    /// a line range (`:N` alone is the single line N), anything else an anchor.
    pub fn selection(&self) -> Result<Selection, String> {
        let Some(sel) = self.selector.as_deref() else {
            return Ok(Selection::All);
        };
        let num = |s: &str| -> Result<Option<usize>, String> {
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse::<usize>()
                    .map(Some)
                    .map_err(|_| format!("`{s}` is not a line number"))
            }
        };
        match sel.split_once(':') {
            Some((a, b)) => Ok(Selection::Lines(num(a)?, num(b)?)),
            None if sel.bytes().all(|b| b.is_ascii_digit()) => {
                let n = num(sel)?;
                Ok(Selection::Lines(n, n))
            }
            None => Ok(Selection::Anchor(sel.to_owned())),
        }
    }
}

/// The mdBook directives `{{#name args}}` of a Markdown text (escaped ones,
/// `\{{#…}}`, are not directives), in order.
pub fn directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(pos) = line[from..].find("{{#") {
            let start = from + pos;
            let Some(len) = line[start..].find("}}") else {
                break;
            };
            let end = start + len + 2;
            from = end;
            if line[..start].ends_with('\\') {
                continue;
            }
            let inner = line[start + 3..end - 2].trim();
            let mut words = inner.split_whitespace();
            let name = words.next().unwrap_or("").to_owned();
            let arg = words.next().unwrap_or("");
            let (path, selector) = match arg.split_once(':') {
                Some((p, s)) => (p.to_owned(), Some(s.to_owned())),
                None => (arg.to_owned(), None),
            };
            out.push(Directive {
                name,
                path,
                selector,
                line: i + 1,
                raw: line[start..end].to_owned(),
            });
        }
    }
    out
}

/// Whether a line holds exactly one include directive and nothing else.
pub fn is_include_line(line: &str) -> bool {
    let t = line.trim();
    let ds = directives(t);
    ds.len() == 1 && ds[0].is_file_include() && ds[0].name != "playground" && t == ds[0].raw
}

/// The name after `marker` (`ANCHOR:` or `ANCHOR_END:`) on a line, mdBook's way.
fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let at = line.find(marker)?;
    let rest = line[at + marker.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Whether a line is an anchor line (`ANCHOR: x` or `ANCHOR_END: x`).
pub fn is_anchor_line(line: &str) -> bool {
    anchor_name(line, "ANCHOR:").is_some() || anchor_name(line, "ANCHOR_END:").is_some()
}

/// Checks that the file text `text` has anchor `name` exactly once, ended once,
/// in that order, around at least one line that is neither blank nor an anchor.
/// Returns the selected lines.
pub fn anchored_lines<'a>(text: &'a str, name: &str) -> Result<Vec<&'a str>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| anchor_name(lines[i], "ANCHOR:") == Some(name))
        .collect();
    let ends: Vec<usize> = (0..lines.len())
        .filter(|&i| anchor_name(lines[i], "ANCHOR_END:") == Some(name))
        .collect();
    match (starts.as_slice(), ends.as_slice()) {
        ([s], [e]) if s < e => {
            let body: Vec<&str> = lines[s + 1..*e]
                .iter()
                .copied()
                .filter(|l| !is_anchor_line(l))
                .collect();
            if body.iter().all(|l| l.trim().is_empty()) {
                Err(format!(
                    "anchor `{name}` (lines {}-{}) is empty",
                    s + 1,
                    e + 1
                ))
            } else {
                Ok(body)
            }
        }
        ([s], [e]) => Err(format!(
            "`ANCHOR_END: {name}` (line {}) comes before `ANCHOR: {name}` (line {})",
            e + 1,
            s + 1
        )),
        _ => Err(format!(
            "needs exactly one `ANCHOR: {name}` and one `ANCHOR_END: {name}` line; \
             found {} and {}",
            starts.len(),
            ends.len()
        )),
    }
}

/// Checks a file include: the file exists and the selected part is there and
/// not empty. The error says what to fix.
pub fn check_include(page: &Path, d: &Directive) -> Result<PathBuf, String> {
    let target = d.target(page);
    if d.path.is_empty() {
        return Err(format!("`{}` names no file", d.raw));
    }
    let text = fs::read_to_string(&target).map_err(|e| {
        format!(
            "`{}`: cannot read {} ({e}); the path is relative to the page",
            d.raw,
            rel(&target)
        )
    })?;
    match d.selection().map_err(|e| format!("`{}`: {e}", d.raw))? {
        Selection::All => {}
        Selection::Anchor(name) => {
            anchored_lines(&text, &name)
                .map_err(|e| format!("`{}`: {}: {e}", d.raw, rel(&target)))?;
        }
        Selection::Lines(start, end) => {
            let count = text.lines().count();
            let s = start.unwrap_or(1);
            let e = end.unwrap_or(count);
            if s == 0 || s > e || e > count {
                return Err(format!(
                    "`{}`: lines {s} to {e} are not within {} ({count} lines)",
                    d.raw,
                    rel(&target)
                ));
            }
        }
    }
    Ok(target)
}

// ---------------------------------------------------------------- the built book

/// What a test prints when the built book is needed but not there.
pub const SKIP_NOT_BUILT: &str = "skipped: the book is not built (cargo xtask test builds it)";

/// The folder of the built HTML book, from `BOOK_BUILD_DIR`: its `html/`
/// subfolder (book.toml builds into `target/book/html/`, and `cargo xtask
/// test` sets `BOOK_BUILD_DIR=target/book`), or the folder itself when
/// `BOOK_BUILD_DIR` names the HTML folder directly. `None` when `BOOK_BUILD_DIR` is
/// not set: the caller prints [`SKIP_NOT_BUILT`] and returns. Panics when it is
/// set but holds no built book.
pub fn built_book() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("BOOK_BUILD_DIR")?);
    for candidate in [dir.join("html"), dir.clone()] {
        if candidate.join("index.html").is_file() {
            return Some(candidate);
        }
    }
    panic!(
        "BOOK_BUILD_DIR={} holds no built book (no index.html in it or in its html/); \
         build it with `cargo xtask build`",
        dir.display()
    );
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text[..at].bytes().filter(|b| *b == b'\n').count() + 1
}

/// Decodes the entities mdBook writes in attribute values.
pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Decodes `%XX` escapes in a URL path.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An attribute in an HTML page: `href="…"`, with the tag it is on.
#[derive(Debug, Clone)]
pub struct Attr {
    /// The tag name, lower case (`a`, `script`, `link`, …).
    pub tag: String,
    /// The attribute name (`href`, `src`, `id`).
    pub name: String,
    /// The value, with entities decoded.
    pub value: String,
    /// 1-based line in the page.
    pub line: usize,
}

/// The values of the attributes named `names` on every tag of an HTML page.
/// A small scanner for mdBook's output: tags are `<name …>`, values quoted.
/// The contents of `<script>` and `<style>` elements are skipped.
pub fn attributes(html: &str, names: &[&str]) -> Vec<Attr> {
    let mut out = Vec::new();
    let mut i = 0;
    // Line counting kept incremental: print.html is large.
    let (mut line, mut counted_to) = (1, 0);
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let end = start + len;
        let tag_text = &html[start + 1..end];
        i = end + 1;
        let tag: String = tag_text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if tag.is_empty() {
            continue;
        }
        line += html.as_bytes()[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start;
        scan_attrs(tag_text, &tag, names, line, &mut out);
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            match html[i..].find(&close) {
                Some(p) => i += p,
                None => break,
            }
        }
    }
    out
}

fn scan_attrs(tag_text: &str, tag: &str, names: &[&str], line: usize, out: &mut Vec<Attr>) {
    let b = tag_text.as_bytes();
    let mut i = tag.len();
    while i < b.len() {
        if !b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
            i += 1;
        }
        let name = tag_text[name_start..i].to_ascii_lowercase();
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        i += 1;
        let (value, next) = match b.get(i) {
            Some(q @ (b'"' | b'\'')) => {
                let close = tag_text[i + 1..]
                    .find(*q as char)
                    .map_or(b.len(), |p| i + 1 + p);
                (&tag_text[i + 1..close.min(b.len())], close + 1)
            }
            _ => {
                let close = tag_text[i..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(b.len(), |p| i + p);
                (&tag_text[i..close], close)
            }
        };
        if names.contains(&name.as_str()) {
            out.push(Attr {
                tag: tag.to_owned(),
                name,
                value: decode_entities(value),
                line,
            });
        }
        i = next;
    }
}

/// The `id`s of an HTML page.
pub fn ids(html: &str) -> HashSet<String> {
    attributes(html, &["id"])
        .into_iter()
        .map(|a| a.value)
        .collect()
}

/// Whether a URL names another site or scheme (`https:`, `mailto:`, `//host`).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && !scheme.contains(['/', '?', '#'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Whether a URL is fetched from the network (`http:`, `https:`, `//host`).
pub fn is_network(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_parts_drafts_and_nesting() {
        let s = Summary::parse(
            "# Summary\n\n[Intro](intro.md)\n\n# Part I\n\n- [One]()\n- [Three](03-x/index.md)\n  \
             - [Sub](03-x/sub.md)\n\n# Appendices\n\n- [A]()\n",
        );
        let titles = |v: Vec<&SummaryItem>| v.iter().map(|i| i.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(s.chapters()), ["One", "Three"]);
        assert_eq!(titles(s.appendices()), ["A"]);
        assert_eq!(s.items[0].depth, None);
        assert_eq!(s.items[1].link, None);
        assert_eq!(s.items[3].depth, Some(1));
        assert_eq!(s.chapter_folders()[0].0, 2);
        assert_eq!(s.chapter_folders()[0].1, "03-x");
    }

    #[test]
    fn code_blocks_and_headings() {
        let text = "# Title {#t}\n\n```rust,ignore\n{{#include a.rs:x}}\n# not a heading\n```\n\n   ~~~~\n## in\n~~~~\n## Real ##\n";
        let blocks = code_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].lang, "rust");
        assert_eq!(blocks[0].line, 3);
        assert!(blocks[0].closed && blocks[1].closed);
        assert!(is_include_line(&blocks[0].body[0].1));
        assert!(!is_include_line("let x = 1; {{#include a.rs}}"));
        let h: Vec<String> = headings(text).into_iter().map(|h| h.text).collect();
        assert_eq!(h, ["Title", "Real"]);
    }

    #[test]
    fn directives_and_selections() {
        let ds = directives(
            r"{{#include a.rs:name}} \{{#include b.rs}} {{#rustdoc_include c.rs:2:5}} {{#include d.rs:7}} {{#quiz q.toml}}",
        );
        assert_eq!(ds.len(), 4);
        assert_eq!(ds[0].selection(), Ok(Selection::Anchor("name".into())));
        assert_eq!(ds[1].selection(), Ok(Selection::Lines(Some(2), Some(5))));
        assert_eq!(ds[2].selection(), Ok(Selection::Lines(Some(7), Some(7))));
        assert_eq!(ds[3].name, "quiz");
        assert!(!ds[3].is_file_include());
        assert_eq!(
            ds[0].target(Path::new("/r/book/03-x/p.md")),
            PathBuf::from("/r/book/03-x/a.rs")
        );
        let up = Directive {
            path: "../../labs/x.rs".into(),
            ..ds[0].clone()
        };
        assert_eq!(
            up.target(Path::new("/r/book/03-x/p.md")),
            PathBuf::from("/r/labs/x.rs")
        );
    }

    #[test]
    fn anchors_must_be_single_ordered_and_non_empty() {
        let ok = "a\n// ANCHOR: x\n  // ANCHOR: y\ncode\n  // ANCHOR_END: y\n// ANCHOR_END: x\n";
        assert_eq!(anchored_lines(ok, "x"), Ok(vec!["code"]));
        assert_eq!(anchored_lines(ok, "y"), Ok(vec!["code"]));
        assert!(anchored_lines(ok, "z").is_err());
        assert!(anchored_lines("// ANCHOR: x\n\n// ANCHOR_END: x\n", "x").is_err());
        assert!(anchored_lines("// ANCHOR_END: x\nc\n// ANCHOR: x\n", "x").is_err());
        assert!(anchored_lines("// ANCHOR: x\nc\n// ANCHOR_END: x\n// ANCHOR: x\n", "x").is_err());
        // `x_long` is another anchor, not `x`.
        assert!(anchored_lines("// ANCHOR: x_long\nc\n// ANCHOR_END: x_long\n", "x").is_err());
    }

    #[test]
    fn html_attributes_ids_and_urls() {
        let html = "<a href=\"a.html#b&amp;c\">x</a>\n<script>var s = '<img src=\"no\">';</script>\n<h2 id='h'>t</h2><link rel=stylesheet href=x.css>";
        let attrs = attributes(html, &["href", "src", "id"]);
        let values: Vec<(&str, &str, usize)> = attrs
            .iter()
            .map(|a| (a.tag.as_str(), a.value.as_str(), a.line))
            .collect();
        assert_eq!(
            values,
            [("a", "a.html#b&c", 1), ("h2", "h", 3), ("link", "x.css", 3)]
        );
        assert!(ids(html).contains("h"));
        assert!(is_external("https://x") && is_external("mailto:a@b") && is_external("//cdn"));
        assert!(!is_external("a.html#x:y") && !is_external("../b.html"));
        assert!(is_network("HTTPS://x") && !is_network("mailto:a"));
        assert_eq!(percent_decode("a%20b%zz"), "a b%zz");
    }
}
