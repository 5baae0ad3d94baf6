//! `cargo xtask progress`: one line per exercise of every lab, grouped by
//! chapter, with a count and a bar. See [`crate::course`] for what "done" means
//! and how results are cached.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::Result;
use crate::course::{self, Item, Status};

/// `cargo xtask progress`.
pub fn run(limit: Duration) -> Result {
    let items = course::items()?;
    if items.is_empty() {
        println!("No lab has exercises yet.");
        return Ok(());
    }
    let started = Instant::now();
    let statuses = refresh(&items, limit)?;
    let checked = statuses.1;
    print!("{}", render(&items, &statuses.0, width()));
    match statuses.0.iter().position(|s| !s.is_done()) {
        Some(i) => print!(
            "\n{}",
            wrap(
                &format!(
                    "Next: exercise {} ({}). `cargo xtask watch` shows it and re-runs its tests \
                     as you save; `cargo xtask hint` gives its hint.",
                    items[i].ex.id,
                    items[i].file().display()
                ),
                "",
                "",
                width()
            )
        ),
        None => println!("\nEvery exercise is done."),
    }
    let _ = std::io::stdout().flush();
    let took = crate::test::seconds(started.elapsed());
    let total = items.len();
    eprintln!(
        "{}",
        match checked {
            0 => format!(
                "(all {total} from the cache: no file they depend on changed since their last check)"
            ),
            n if n == total => format!("(all {total} checked now, in {took})"),
            n => format!(
                "({n} of {total} checked now, in {took}; the other {} from the cache, their files unchanged)",
                total - n
            ),
        }
    );
    Ok(())
}

/// Where `cargo xtask capture` writes the progress view the introduction shows.
pub const CAPTURED: &str = "book/captured/progress.txt";

/// The width of the captured view (a book's code block).
const CAPTURED_WIDTH: usize = 100;

/// `cargo xtask capture`'s part: runs the progress check for real on the
/// repository's own exercise files, which must be the starter code (as on a
/// fresh clone; nothing of yours is touched), and writes the view to
/// [`CAPTURED`]. A unit test keeps it true between captures: the view of a
/// course whose exercises are all open must be the same text.
pub fn capture() -> Result {
    let root = crate::repo_root();
    let items = course::items()?;
    let edited: Vec<&str> = items
        .iter()
        .filter(|it| {
            std::fs::read(root.join(it.file())).ok()
                != std::fs::read(root.join(it.lab.rel("starter", &it.ex.file))).ok()
        })
        .map(|it| it.ex.id.as_str())
        .collect();
    if !edited.is_empty() {
        return crate::fail(format!(
            "the captured progress view shows a fresh clone, but your exercise files of {} \
             differ from their starter code; `cargo xtask reset --all` saves them and puts the \
             starter back (or capture in a fresh clone)",
            edited.join(", ")
        ));
    }
    let (statuses, _) = refresh(&items, course::DEFAULT_LIMIT)?;
    let text = render(&items, &statuses, CAPTURED_WIDTH);
    let path = root.join(CAPTURED);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .or_else(|e| crate::fail(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(&path, text)
        .or_else(|e| crate::fail(format!("cannot write {}: {e}", path.display())))?;
    println!("capture: wrote {CAPTURED} (cargo xtask progress on the starter code)");
    Ok(())
}

/// The statuses of every item: cached where the files are unchanged, checked
/// now elsewhere (building and running what is needed). Returns them and how
/// many were checked now.
pub fn refresh(items: &[Item], limit: Duration) -> Result<(Vec<Status>, usize)> {
    let mut statuses = course::cached(items);
    let stale: Vec<usize> = (0..items.len())
        .filter(|&i| statuses[i] == Status::Unknown)
        .collect();
    if stale.is_empty() {
        return Ok((statuses, 0));
    }
    let mut line = StatusLine::new();
    let cancel = Arc::new(AtomicBool::new(false));
    let fresh = course::check(items, &stale, limit, &cancel, &mut |what| line.say(what));
    line.clear();
    for (i, status) in fresh? {
        statuses[i] = status;
    }
    Ok((statuses, stale.len()))
}

/// One line of "what is happening" on stderr: rewritten in place on a terminal,
/// and on a pipe printed only when the step changes (not per crate compiled).
struct StatusLine {
    tty: bool,
    last_step: String,
    /// When the last line was printed on a pipe, in seconds from the start.
    last_print: u64,
    shown: bool,
    started: Instant,
}

impl StatusLine {
    fn new() -> Self {
        StatusLine {
            tty: std::io::stderr().is_terminal(),
            last_step: String::new(),
            last_print: 0,
            shown: false,
            started: Instant::now(),
        }
    }

    fn say(&mut self, what: &str) {
        let step = what.split(':').next().unwrap_or(what);
        let step = step.split(" (").next().unwrap_or(step).to_owned();
        let elapsed = self.started.elapsed().as_secs();
        if self.tty {
            let mut text = format!("[{}:{:02}] {what}", elapsed / 60, elapsed % 60);
            text.truncate(width().saturating_sub(1));
            eprint!("\r\x1b[2K{text}");
            self.shown = true;
        } else if step != self.last_step || elapsed >= self.last_print + 30 {
            eprintln!("[{}:{:02}] {what}", elapsed / 60, elapsed % 60);
            self.last_print = elapsed;
        }
        self.last_step = step;
    }

    fn clear(&mut self) {
        if self.tty && self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The terminal's width, or 100 columns when stdout is not a terminal.
pub fn width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
    {
        return usize::from(cols).clamp(60, 160);
    }
    100
}

/// The progress view: a count and a bar, then each chapter (its lab, its count
/// and its exercises page) with one line per exercise: status, id, the section's
/// title and the task, cut to the width. A lab that does not compile adds the
/// compiler's first error under its chapter; a stopped run adds what it looks like.
pub fn render(items: &[Item], statuses: &[Status], width: usize) -> String {
    let done = statuses.iter().filter(|s| s.is_done()).count();
    let total = items.len();
    let mut out = String::new();
    out.push_str(&format!(
        "Your progress: {done} of {total} exercises done\n{}\n",
        bar(done, total, width.min(100))
    ));
    let mut i = 0;
    while i < items.len() {
        let lab = &items[i].lab;
        let end = (i..items.len())
            .find(|&j| items[j].lab.name != lab.name)
            .unwrap_or(items.len());
        let chapter_done = statuses[i..end].iter().filter(|s| s.is_done()).count();
        out.push_str(&format!("\n{}\n", chapter_title(&items[i])));
        out.push_str(&cut(
            &format!(
                "  {}, {chapter_done} of {} done, explained in book/{}",
                lab.name,
                end - i,
                items[i].ex.page
            ),
            width,
        ));
        if let Some(Status::DoesNotCompile { error, .. }) = statuses[i..end]
            .iter()
            .find(|s| matches!(s, Status::DoesNotCompile { .. }))
        {
            out.push_str(&wrap(
                &format!("the lab does not compile: {error}"),
                "  ",
                "    ",
                width,
            ));
        }
        for j in i..end {
            out.push_str(&line(&items[j], &statuses[j], width));
        }
        i = end;
    }
    out
}

/// `[##########--------------------]  33%`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let cells = width.saturating_sub(8).clamp(10, 50);
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {percent:>3}%",
        "#".repeat(filled),
        "-".repeat(cells - filled)
    )
}

/// One exercise on one line: `  open              3.1   a safe transfer: Fix …`
/// (and, for a stopped run, what it looks like, wrapped below it).
fn line(item: &Item, status: &Status, width: usize) -> String {
    let title = item
        .ex
        .section
        .split_once(": ")
        .map(|(_, t)| t)
        .unwrap_or(&item.ex.section);
    let mut out = cut(
        &format!(
            "  {:<16}  {:<5} {title}: {}",
            status.label(),
            item.ex.id,
            item.ex.task
        ),
        width,
    );
    if let Status::Hung { detail } = status {
        out.push_str(&wrap(detail, "      ", "      ", width));
    }
    out
}

/// `text` on one line of at most `width` characters, cut with `…` if longer.
pub fn cut(text: &str, width: usize) -> String {
    let mut line: String = if text.chars().count() > width {
        let mut kept: String = text.chars().take(width.saturating_sub(1)).collect();
        kept.truncate(kept.trim_end().len());
        kept.push('…');
        kept
    } else {
        text.to_owned()
    };
    line.push('\n');
    line
}

/// `Chapter 3: Race conditions, and how to catch them`, from the first heading of
/// the chapter's `index.md` (the folder's name if it has none).
pub fn chapter_title(item: &Item) -> String {
    let folder = item.ex.page.split('/').next().unwrap_or_default();
    let number = item.ex.id.split('.').next().unwrap_or_default();
    let index = crate::repo_root()
        .join("book")
        .join(folder)
        .join("index.md");
    let title = std::fs::read_to_string(index)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_owned()))
        })
        .unwrap_or_else(|| folder.to_owned());
    format!("Chapter {number}: {title}")
}

/// Word-wraps `text` to `width` columns: the first line after `first`, the
/// others after `rest`.
pub fn wrap(text: &str, first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_owned();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// [`wrap`] for a line whose own leading spaces are kept, after `prefix`, on
/// every line it wraps to (a hint's numbered points, an indented message).
pub fn wrap_indented(line: &str, prefix: &str, width: usize) -> String {
    let body = line.trim_start();
    let lead = format!("{prefix}{}", &line[..line.len() - body.len()]);
    wrap(body, &lead, &lead, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The captured view in the introduction is what `progress` prints on a
    /// fresh clone: `cargo xtask test` proves that the starter code fails every
    /// exercise, so every status there is "open".
    #[test]
    fn the_captured_progress_view_is_current() {
        let items = course::items().expect("the labs' exercises");
        let open = Status::Open {
            failed: 1,
            tests: 1,
            detail: String::new(),
            failing: Vec::new(),
        };
        let statuses = vec![open; items.len()];
        let expected = render(&items, &statuses, CAPTURED_WIDTH);
        let path = crate::repo_root().join(CAPTURED);
        let captured = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            captured == expected,
            "{CAPTURED} is not what `cargo xtask progress` prints on a fresh clone; \
             regenerate it with `cargo xtask capture` (it expected:\n{expected})"
        );
    }

    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, 30), format!("[{}]   0%", "-".repeat(22)));
        assert_eq!(
            bar(2, 4, 30),
            format!("[{}{}]  50%", "#".repeat(11), "-".repeat(11))
        );
        assert_eq!(bar(4, 4, 30), format!("[{}] 100%", "#".repeat(22)));
        assert_eq!(bar(0, 0, 30), format!("[{}]   0%", "-".repeat(22)));
    }

    #[test]
    fn a_long_line_is_cut_to_the_width() {
        assert_eq!(cut("short", 10), "short\n");
        assert_eq!(cut("one two three four", 10), "one two t…\n");
        assert_eq!(cut("one two  three four", 9), "one two…\n");
    }

    #[test]
    fn long_text_wraps_under_its_indent() {
        let text = wrap("one two three four five six", "- ", "  ", 12);
        assert_eq!(text, "- one two\n  three four\n  five six\n");
        for line in text.lines() {
            assert!(line.len() <= 12, "{line:?}");
        }
    }
}
