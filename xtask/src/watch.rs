//! `cargo xtask watch`: the current exercise on one screen, its tests re-run on
//! every save of a file under `labs/*/exercises/`.
//!
//! The screen is drawn from a [`State`], which changes only through
//! [`State::handle`]: a pure step from one [`Event`] (a key, a saved file, a
//! finished run) to the next state and a list of [`Action`]s for the loop to
//! carry out (start a run, cancel one, reset a file, quit). The unit tests below
//! drive it event by event; `xtask/tests/learner_loop.rs` drives the whole
//! command in a pseudo-terminal.
//!
//! Nothing here waits without a bound: a run of the tests is stopped after its
//! time limit (see [`crate::course::run_tests`]), a build is cancelled when a
//! file changes or the learner quits, and the loop itself only ever waits for
//! the next event, which the key reader always can send.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant, SystemTime};

use crate::course::{self, Item, Status};
use crate::{Result, fail, labs, progress, usage};

/// What can happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A key was pressed (`\u{1b}` for Escape).
    Key(char),
    /// Files under `labs/*/exercises/` were saved: their paths from the root.
    Changed(Vec<PathBuf>),
    /// The run numbered `run` says what it is doing.
    Activity { run: u64, what: String },
    /// The run numbered `run` finished: fresh statuses, or why it could not run.
    Finished {
        run: u64,
        outcome: std::result::Result<Vec<(usize, Status)>, String>,
    },
    /// A reset asked for by [`Action::Reset`] is done: what it printed.
    ResetDone(std::result::Result<Vec<String>, String>),
    /// Draw again (the terminal changed size, or a second passed during a run).
    Redraw,
}

/// What the loop must do after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run the tests of item `item` as run number `run`.
    Run { run: u64, item: usize },
    /// Cancel run number `run`.
    Cancel { run: u64 },
    /// Put the starter code of item `item` back (with a backup first).
    Reset { item: usize },
    /// Leave.
    Quit,
}

/// Which view is on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Exercise,
    Hint,
    List,
    /// "Reset this exercise? [y/N]".
    ConfirmReset,
}

/// Everything the screen shows.
#[derive(Debug, Clone)]
pub struct State {
    pub statuses: Vec<Status>,
    pub current: usize,
    pub view: View,
    /// The run in flight, if any.
    pub running: Option<u64>,
    /// The number of the last run started.
    pub runs: u64,
    /// What the run in flight is doing.
    pub activity: String,
    /// How long the run in flight has taken, in seconds (set by the loop).
    pub running_secs: u64,
    /// A message about what just happened (a pass, a reset, a finished run).
    pub banner: Option<String>,
    pub quit: bool,
}

impl State {
    /// The state at start: exercise `current`, no run in flight.
    pub fn new(statuses: Vec<Status>, current: usize) -> Self {
        State {
            statuses,
            current,
            view: View::Exercise,
            running: None,
            runs: 0,
            activity: String::new(),
            running_secs: 0,
            banner: None,
            quit: false,
        }
    }

    /// The first exercise that is not done, after `from` (wrapping around), or
    /// `None` if every exercise is done.
    pub fn next_open(&self, from: usize) -> Option<usize> {
        let n = self.statuses.len();
        (1..=n)
            .map(|k| (from + k) % n)
            .find(|&i| !self.statuses[i].is_done())
    }

    fn start_run(&mut self, actions: &mut Vec<Action>) {
        if let Some(run) = self.running.take() {
            actions.push(Action::Cancel { run });
        }
        self.runs += 1;
        self.running = Some(self.runs);
        self.activity = "starting…".to_owned();
        self.running_secs = 0;
        actions.push(Action::Run {
            run: self.runs,
            item: self.current,
        });
    }

    fn go_to(&mut self, item: usize, actions: &mut Vec<Action>) {
        self.current = item;
        self.banner = None;
        self.start_run(actions);
    }

    /// One step: what `event` does to the state, and what the loop must do.
    pub fn handle(&mut self, items: &[Item], event: Event) -> Vec<Action> {
        let mut actions = Vec::new();
        let n = items.len();
        match event {
            Event::Key(key) => match self.view {
                View::ConfirmReset => {
                    self.view = View::Exercise;
                    if key == 'y' || key == 'Y' {
                        actions.push(Action::Reset { item: self.current });
                    } else {
                        self.banner = Some("Nothing was reset.".to_owned());
                    }
                }
                View::Hint | View::List if key != 'q' => self.view = View::Exercise,
                _ => match key {
                    'q' => {
                        if let Some(run) = self.running.take() {
                            actions.push(Action::Cancel { run });
                        }
                        self.quit = true;
                        actions.push(Action::Quit);
                    }
                    'h' => self.view = View::Hint,
                    'l' => self.view = View::List,
                    'r' => self.view = View::ConfirmReset,
                    'n' => self.go_to((self.current + 1) % n, &mut actions),
                    'p' => self.go_to((self.current + n - 1) % n, &mut actions),
                    _ => {}
                },
            },
            Event::Changed(files) => {
                // A save of another exercise's file shows that exercise.
                let current_file = items[self.current].file();
                if !files.contains(&current_file)
                    && let Some(other) = items.iter().position(|it| files.contains(&it.file()))
                {
                    self.current = other;
                }
                self.banner = None;
                self.start_run(&mut actions);
            }
            Event::Activity { run, what } => {
                if self.running == Some(run) {
                    self.activity = what;
                }
            }
            Event::Finished { run, outcome } => {
                if self.running != Some(run) {
                    return actions; // a cancelled run: its results are stale
                }
                self.running = None;
                self.activity.clear();
                match outcome {
                    Err(why) => self.banner = Some(format!("Run {run} did not complete: {why}")),
                    Ok(fresh) => {
                        for (i, status) in fresh {
                            self.statuses[i] = status;
                        }
                        let id = &items[self.current].ex.id;
                        match &self.statuses[self.current] {
                            Status::Done { tests } => {
                                let tests = *tests;
                                let plural = if tests == 1 { "" } else { "s" };
                                match self.next_open(self.current) {
                                    Some(next) => {
                                        self.banner = Some(format!(
                                            "Exercise {id} passes ({tests} test{plural}). \
                                             On to exercise {}.",
                                            items[next].ex.id
                                        ));
                                        self.current = next;
                                        self.start_run(&mut actions);
                                    }
                                    None => {
                                        self.banner = Some(format!(
                                            "Exercise {id} passes ({tests} test{plural}), and \
                                             with it every exercise of the course is done."
                                        ));
                                    }
                                }
                            }
                            other => {
                                // Keep a reset's message; otherwise say the run is over.
                                if self.banner.is_none() {
                                    self.banner = Some(format!(
                                        "Run {run} finished: exercise {id} is {}.",
                                        other.label()
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            Event::Redraw => {}
            Event::ResetDone(outcome) => {
                self.banner = Some(match outcome {
                    Ok(lines) => lines.join(" "),
                    Err(why) => format!("Nothing was reset: {why}"),
                });
                self.start_run(&mut actions);
            }
        }
        actions
    }
}

/// The screen for a state, as at most `height` lines of at most `width` columns.
pub fn render(items: &[Item], state: &State, width: usize, height: usize) -> Vec<String> {
    let item = &items[state.current];
    let done = state.statuses.iter().filter(|s| s.is_done()).count();
    let mut head = progress::wrap(
        &format!(
            "cargo xtask watch: exercise {} ({} of {} in the course), {done} of {} done",
            item.ex.id,
            state.current + 1,
            items.len(),
            items.len()
        ),
        "",
        "  ",
        width,
    );
    head.push_str(&format!("{}\n", "-".repeat(width.min(80))));

    let mut foot = String::new();
    if let Some(banner) = &state.banner {
        foot.push_str(&progress::wrap(banner, ">> ", "   ", width));
    }
    if state.running.is_some() {
        foot.push_str(&progress::cut(
            &format!("Running ({} s): {}", state.running_secs, state.activity),
            width,
        ));
    }
    let keys = match state.view {
        View::ConfirmReset => format!(
            "Reset exercise {} to its starter code? Your {} is saved under exercise-backups/ \
             first. y: reset; any other key: keep it.",
            item.ex.id,
            item.file().display()
        ),
        View::Hint | View::List => "q quits; any other key: back to the exercise.".to_owned(),
        View::Exercise => "Save the file to re-run its tests. Keys: h hint, n next, p previous, \
                           l list, r reset, q quit."
            .to_owned(),
    };
    foot.push_str(&progress::wrap(&keys, "", "", width));

    let room = height
        .saturating_sub(head.lines().count() + foot.lines().count())
        .max(3);
    let body: Vec<String> = match state.view {
        View::List => {
            let mut lines: Vec<String> = progress::render(items, &state.statuses, width)
                .lines()
                .map(str::to_owned)
                .collect();
            // Mark the current exercise, and show the part of the list around it.
            let mark = format!(" {:<5} ", item.ex.id);
            let at = lines
                .iter()
                .position(|l| {
                    l.starts_with("  ") && l.get(19..).is_some_and(|r| r.starts_with(&mark))
                })
                .unwrap_or(0);
            if let Some(line) = lines.get_mut(at) {
                line.replace_range(0..1, ">");
            }
            window(lines, at, room)
        }
        View::Hint => {
            let mut text = format!("Hint for exercise {}:\n\n", item.ex.id);
            for line in item.ex.hint.trim().lines() {
                text.push_str(&progress::wrap_indented(line, "  ", width));
            }
            window(text.lines().map(str::to_owned).collect(), 0, room)
        }
        View::Exercise | View::ConfirmReset => {
            let status = &state.statuses[state.current];
            let verdict = match status {
                Status::Open { failed, tests, .. } => {
                    format!("open: {failed} of its {tests} tests fail")
                }
                Status::Done { tests } => format!("done: its {tests} tests pass"),
                other => other.label().to_owned(),
            };
            let mut text = format!("Exercise {} ({}): {verdict}\n\n", item.ex.id, item.lab.name);
            text.push_str(&progress::wrap(&item.ex.task, "Task:  ", "       ", width));
            text.push_str(&progress::wrap(
                &item.file().display().to_string(),
                "Edit:  ",
                "       ",
                width,
            ));
            let page = item.ex.page.trim_end_matches(".md");
            text.push_str(&progress::wrap(
                &format!(
                    "{} (served by cargo xtask serve at http://127.0.0.1:3000/{page}.html)",
                    item.where_explained()
                ),
                "Read:  ",
                "       ",
                width,
            ));
            text.push('\n');
            let detail = match status {
                Status::Open {
                    detail, failing, ..
                } => Some(format!(
                    "Failing: {}\n{}",
                    failing.join(", "),
                    shown_detail(detail)
                )),
                Status::DoesNotCompile { full, .. } => Some(format!(
                    "It does not compile. The compiler's first error:\n{full}"
                )),
                Status::Hung { detail } => Some(match &item.ex.hang {
                    Some(hang) => format!(
                        "The run was {detail}\nIn this exercise, that usually means: {hang}"
                    ),
                    None => format!("The run was {detail}"),
                }),
                Status::NoTests => Some(format!(
                    "The lab's tests have no test named {}…",
                    item.test_prefix()
                )),
                _ => None,
            };
            if let Some(detail) = detail {
                for line in detail.lines() {
                    text.push_str(&progress::wrap_indented(line, "  ", width));
                }
            }
            window(text.lines().map(str::to_owned).collect(), 0, room)
        }
    };
    let mut screen: Vec<String> = head.lines().map(str::to_owned).collect();
    screen.extend(body);
    screen.extend(foot.lines().map(str::to_owned));
    screen
}

/// At most `room` of `lines`, keeping line `at` in view; a last line says how
/// many were left out.
fn window(lines: Vec<String>, at: usize, room: usize) -> Vec<String> {
    if lines.len() <= room {
        return lines;
    }
    let shown = room.saturating_sub(1).max(1);
    let start = at.saturating_sub(shown / 3).min(lines.len() - shown);
    let mut out: Vec<String> = lines[start..start + shown].to_vec();
    let hidden = lines.len() - shown;
    out.push(format!(
        "  … {hidden} more line{} (a taller terminal shows them; cargo xtask progress lists all)",
        if hidden == 1 { "" } else { "s" }
    ));
    out
}

/// What an open exercise's failing test saw: the part after "What the test
/// saw:" when the exercise check printed one (the rest repeats the task).
fn shown_detail(detail: &str) -> String {
    match detail.find("What the test saw:") {
        Some(at) => detail[at..].to_owned(),
        None => detail.to_owned(),
    }
}

/// `cargo xtask watch [ID | LAB] [--limit SECS]`.
pub fn run(pick: Option<&str>, limit: Duration) -> Result {
    let items = course::items()?;
    if items.is_empty() {
        return fail("no lab has exercises yet: nothing to watch");
    }
    let picked = match pick {
        None => None,
        Some(p) if p.starts_with("lab-") || p.parse::<u32>().is_ok() => {
            let lab = labs::find(p)?;
            let first = items
                .iter()
                .position(|it| it.lab.name == lab.name)
                .ok_or_else(|| crate::Failure::Usage(format!("{} has no exercises", lab.name)))?;
            Some((lab.name, first))
        }
        Some(id) => Some((String::new(), course::find(&items, id)?)),
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return usage(
            "`watch` needs an interactive terminal (its keys are read from one); \
             for a one-time view of your exercises, run: cargo xtask progress",
        );
    }
    println!("cargo xtask watch: checking where you are (cargo xtask progress)…");
    let (statuses, _) = progress::refresh(&items, limit)?;
    let mut state = State::new(statuses, 0);
    state.current = match picked {
        // A lab: its first exercise that is not done.
        Some((lab, first)) if !lab.is_empty() => (first..items.len())
            .take_while(|&i| items[i].lab.name == lab)
            .find(|&i| !state.statuses[i].is_done())
            .unwrap_or(first),
        Some((_, i)) => i,
        None => state
            .statuses
            .iter()
            .position(|s| !s.is_done())
            .unwrap_or(0),
    };
    course::OWN_PROCESS_GROUP.store(true, Ordering::Relaxed);
    let terminal = Terminal::enter()?;
    let outcome = event_loop(&items, state, limit);
    drop(terminal);
    if let Ok(state) = &outcome {
        let done = state.statuses.iter().filter(|s| s.is_done()).count();
        println!(
            "{done} of {} exercises done. `cargo xtask progress` lists them all.",
            items.len()
        );
    }
    outcome.map(|_| ())
}

fn event_loop(items: &[Item], mut state: State, limit: Duration) -> Result<State> {
    let (tx, rx) = mpsc::channel::<Event>();
    spawn_key_reader(tx.clone());
    let files = Arc::new(Mutex::new(fingerprint()));
    spawn_file_watcher(tx.clone(), files.clone());
    // Every run not yet finished, cancelled or not: quitting waits for them to
    // stop their child processes.
    let mut in_flight: Vec<(u64, Arc<AtomicBool>)> = Vec::new();
    let mut run_started = Instant::now();
    // XTASK_WATCH_LOG=FILE: every event and the actions it led to, one per line
    // (for xtask's own tests, to say what happened when one fails).
    let mut log = std::env::var_os("XTASK_WATCH_LOG").and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    draw(items, &state);
    loop {
        let event = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(event) => event,
            // A second passed: redraw the running time if a run is under way.
            Err(mpsc::RecvTimeoutError::Timeout) if state.running.is_some() => Event::Redraw,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return fail("watch: its event sources stopped");
            }
        };
        if let Event::Finished { run, .. } = &event {
            in_flight.retain(|(r, _)| r != run);
        }
        let logged = log.as_ref().map(|_| format!("{event:?}"));
        let actions = state.handle(items, event);
        if let (Some(file), Some(event)) = (log.as_mut(), logged) {
            let _ = writeln!(file, "{event} -> {actions:?}");
        }
        for action in actions {
            match action {
                Action::Run { run, item } => {
                    let cancel = Arc::new(AtomicBool::new(false));
                    in_flight.push((run, cancel.clone()));
                    run_started = Instant::now();
                    let tx = tx.clone();
                    let items = items.to_vec();
                    std::thread::spawn(move || {
                        let report_tx = tx.clone();
                        let mut say = |what: &str| {
                            let _ = report_tx.send(Event::Activity {
                                run,
                                what: what.to_owned(),
                            });
                        };
                        let outcome = course::check(&items, &[item], limit, &cancel, &mut say)
                            .map_err(|f| match f {
                                crate::Failure::Failed(m) | crate::Failure::Usage(m) => m,
                            });
                        let _ = tx.send(Event::Finished { run, outcome });
                    });
                }
                Action::Cancel { run } => {
                    for (r, cancel) in &in_flight {
                        if *r == run {
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                }
                Action::Reset { item } => {
                    // Under the watcher's lock, and the watcher's view of the
                    // files updated after: the reset's own write is not a save.
                    let mut seen = files.lock().unwrap_or_else(|e| e.into_inner());
                    let outcome =
                        labs::reset_one(&items[item].lab, &items[item].ex).map_err(|f| match f {
                            crate::Failure::Failed(m) | crate::Failure::Usage(m) => m,
                        });
                    *seen = fingerprint();
                    drop(seen);
                    let _ = tx.send(Event::ResetDone(outcome));
                }
                Action::Quit => {
                    for (_, cancel) in &in_flight {
                        cancel.store(true, Ordering::Relaxed);
                    }
                    // Each run checks its flag five to ten times a second, kills
                    // its child process (a build with its compilers, a test
                    // binary) and reports: wait for that, a few seconds at most.
                    let deadline = Instant::now() + Duration::from_secs(5);
                    while !in_flight.is_empty() {
                        let left = deadline.saturating_duration_since(Instant::now());
                        match rx.recv_timeout(left) {
                            Ok(Event::Finished { run, .. }) => in_flight.retain(|(r, _)| *r != run),
                            Ok(_) => {}
                            Err(_) => break,
                        }
                    }
                    return Ok(state);
                }
            }
        }
        if state.quit {
            return Ok(state);
        }
        state.running_secs = run_started.elapsed().as_secs();
        draw(items, &state);
    }
}

fn draw(items: &[Item], state: &State) {
    let (width, height) = crossterm::terminal::size()
        .map(|(w, h)| (usize::from(w).clamp(40, 160), usize::from(h).max(12)))
        .unwrap_or((80, 24));
    let mut out = String::from("\x1b[2J\x1b[H");
    for line in render(items, state, width, height) {
        out.push_str(&line);
        out.push_str("\r\n");
    }
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}

/// Raw mode on the alternate screen, undone on drop (a panic included), so the
/// learner's terminal is never left raw.
struct Terminal;

impl Terminal {
    fn enter() -> Result<Self> {
        crossterm::terminal::enable_raw_mode()
            .or_else(|e| fail(format!("cannot put the terminal in raw mode: {e}")))?;
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(b"\x1b[?1049h\x1b[?25l");
        let _ = stdout.flush();
        Ok(Terminal)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(b"\x1b[?25h\x1b[?1049l");
        let _ = stdout.flush();
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

fn spawn_key_reader(tx: mpsc::Sender<Event>) {
    use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
    std::thread::spawn(move || {
        loop {
            let key = match event::read() {
                Ok(TermEvent::Key(k)) if k.kind != KeyEventKind::Release => k,
                Ok(TermEvent::Resize(..)) => {
                    if tx.send(Event::Redraw).is_err() {
                        return;
                    }
                    continue;
                }
                Ok(_) => continue,
                Err(_) => {
                    let _ = tx.send(Event::Key('q'));
                    return;
                }
            };
            let c = match key.code {
                KeyCode::Char('c') | KeyCode::Char('d')
                    if key.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    'q'
                }
                KeyCode::Char(c) => c,
                KeyCode::Esc => '\u{1b}',
                KeyCode::Enter => '\n',
                _ => continue,
            };
            if tx.send(Event::Key(c)).is_err() {
                return;
            }
        }
    });
}

/// A file's path (from the root), size and modification time.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// Looks at every file under `labs/*/exercises/` four times a second and sends
/// [`Event::Changed`] with the files that were saved (size or modification
/// time changed). Polling rather than a file-notification crate: the folders
/// hold a few dozen small files, and polling behaves the same on every OS and
/// editor (some save by renaming a new file over the old one).
///
/// `seen` is its view of the files, taken before the first screen is drawn (a
/// save made as soon as the screen shows must count) and shared with the loop,
/// which updates it after a reset so that the reset's own write is not a save.
fn spawn_file_watcher(tx: mpsc::Sender<Event>, seen: Arc<Mutex<Fingerprint>>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let mut last = seen.lock().unwrap_or_else(|e| e.into_inner());
            let now = fingerprint();
            if now != *last {
                let changed: Vec<PathBuf> = now
                    .iter()
                    .filter(|entry| !last.contains(entry))
                    .chain(last.iter().filter(|entry| !now.contains(entry)))
                    .map(|(path, _, _)| path.clone())
                    .collect();
                *last = now;
                drop(last);
                if tx.send(Event::Changed(changed)).is_err() {
                    return;
                }
            }
        }
    });
}

fn fingerprint() -> Fingerprint {
    let mut out = Vec::new();
    let Ok(labs) = labs::all() else {
        return out;
    };
    let root = crate::repo_root();
    for lab in labs {
        let mut files = Vec::new();
        // Dot files (an editor's swap files) are left out.
        course::collect_files(&lab.dir.join("exercises"), &mut files);
        for file in files {
            let meta = std::fs::metadata(&file).ok();
            out.push((
                file.strip_prefix(&root).unwrap_or(&file).to_path_buf(),
                meta.as_ref().map(|m| m.len()).unwrap_or(0),
                meta.and_then(|m| m.modified().ok()),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::Lab;
    use lab_support::exercise::Exercise;

    fn items() -> Vec<Item> {
        ["1.1", "1.2", "2.1"]
            .iter()
            .map(|id| Item {
                lab: Lab {
                    name: format!("lab-0{}", &id[..1]),
                    dir: PathBuf::from("labs/lab-01"),
                },
                ex: Exercise {
                    id: (*id).into(),
                    file: "x.rs".into(),
                    task: format!("Do {id}."),
                    page: "01-x/exercises.md".into(),
                    section: format!("Exercise {id}"),
                    hint: format!("Hint for {id}."),
                    hang: None,
                },
            })
            .collect()
    }

    fn open() -> Status {
        Status::Open {
            failed: 1,
            tests: 2,
            detail: "exercise is not done yet\n\nWhat the test saw:\n  nope".into(),
            failing: vec!["exercise_1_2_works".into()],
        }
    }

    fn started() -> (Vec<Item>, State) {
        let items = items();
        let state = State::new(vec![Status::Done { tests: 1 }, open(), open()], 1);
        (items, state)
    }

    #[test]
    fn a_save_runs_the_current_exercise_and_a_second_save_cancels_the_first_run() {
        let (items, mut state) = started();
        assert_eq!(
            state.handle(&items, Event::Changed(vec![])),
            vec![Action::Run { run: 1, item: 1 }]
        );
        assert_eq!(state.running, Some(1));
        assert_eq!(
            state.handle(&items, Event::Changed(vec![])),
            vec![Action::Cancel { run: 1 }, Action::Run { run: 2, item: 1 }]
        );
        // The first run's late result changes nothing.
        let stale = Event::Finished {
            run: 1,
            outcome: Ok(vec![(1, Status::Done { tests: 2 })]),
        };
        assert_eq!(state.handle(&items, stale), vec![]);
        assert_eq!(state.statuses[1], open());
        assert_eq!(state.running, Some(2));
    }

    #[test]
    fn a_pass_says_so_and_moves_on_to_the_next_open_exercise() {
        let (items, mut state) = started();
        state.handle(&items, Event::Changed(vec![]));
        let passed = Event::Finished {
            run: 1,
            outcome: Ok(vec![(1, Status::Done { tests: 2 })]),
        };
        assert_eq!(
            state.handle(&items, passed),
            vec![Action::Run { run: 2, item: 2 }]
        );
        assert_eq!(state.current, 2);
        let banner = state.banner.clone().unwrap();
        assert!(banner.contains("Exercise 1.2 passes (2 tests)"), "{banner}");
        assert!(banner.contains("On to exercise 2.1"), "{banner}");
        let screen = render(&items, &state, 80, 40).join("\n");
        assert!(screen.contains("Exercise 2.1 (lab-02)"), "{screen}");
        assert!(screen.contains("Exercise 1.2 passes"), "{screen}");
    }

    #[test]
    fn the_last_pass_says_the_course_is_done_and_starts_nothing() {
        let items = items();
        let mut state = State::new(
            vec![Status::Done { tests: 1 }, Status::Done { tests: 1 }, open()],
            2,
        );
        state.handle(&items, Event::Changed(vec![]));
        let passed = Event::Finished {
            run: 1,
            outcome: Ok(vec![(2, Status::Done { tests: 3 })]),
        };
        assert_eq!(state.handle(&items, passed), vec![]);
        assert!(
            state
                .banner
                .unwrap()
                .contains("every exercise of the course is done")
        );
    }

    #[test]
    fn a_failing_run_keeps_the_exercise_and_shows_what_the_test_saw() {
        let (items, mut state) = started();
        state.handle(&items, Event::Changed(vec![]));
        let failed = Event::Finished {
            run: 1,
            outcome: Ok(vec![(1, open())]),
        };
        assert_eq!(state.handle(&items, failed), vec![]);
        assert_eq!((state.current, state.running), (1, None));
        let screen = render(&items, &state, 80, 40).join("\n");
        assert!(screen.contains("open: 1 of its 2 tests fail"), "{screen}");
        assert!(screen.contains("What the test saw:"), "{screen}");
        assert!(
            screen.contains("Edit:  labs/lab-01/exercises/x.rs"),
            "{screen}"
        );
    }

    #[test]
    fn keys_show_the_hint_and_the_list_and_any_key_comes_back() {
        let (items, mut state) = started();
        state.handle(&items, Event::Key('h'));
        assert_eq!(state.view, View::Hint);
        assert!(
            render(&items, &state, 80, 40)
                .join("\n")
                .contains("Hint for 1.2.")
        );
        state.handle(&items, Event::Key('x'));
        assert_eq!(state.view, View::Exercise);
        state.handle(&items, Event::Key('l'));
        let list = render(&items, &state, 80, 40).join("\n");
        assert!(list.contains("1 of 3 exercises done"), "{list}");
        state.handle(&items, Event::Key(' '));
        assert_eq!(state.view, View::Exercise);
    }

    #[test]
    fn next_and_previous_step_through_the_course_and_wrap_around() {
        let (items, mut state) = started();
        assert_eq!(
            state.handle(&items, Event::Key('n')),
            vec![Action::Run { run: 1, item: 2 }]
        );
        // From the last exercise, next wraps to the first, done or not.
        let actions = state.handle(&items, Event::Key('n'));
        assert_eq!(
            actions,
            vec![Action::Cancel { run: 1 }, Action::Run { run: 2, item: 0 }]
        );
        state.handle(&items, Event::Key('p'));
        assert_eq!(state.current, 2);
    }

    #[test]
    fn saving_another_exercises_file_shows_that_exercise() {
        let (items, mut state) = started();
        let file = items[2].file();
        assert_eq!(
            state.handle(&items, Event::Changed(vec![file])),
            vec![Action::Run { run: 1, item: 2 }]
        );
        assert_eq!(state.current, 2);
        // A save of the current exercise's file (or of no exercise's) keeps it.
        state.handle(
            &items,
            Event::Changed(vec![PathBuf::from("labs/lab-01/exercises/notes.txt")]),
        );
        assert_eq!(state.current, 2);
    }

    #[test]
    fn a_run_that_changes_nothing_still_says_it_finished() {
        let (items, mut state) = started();
        state.handle(&items, Event::Changed(vec![]));
        state.handle(
            &items,
            Event::Finished {
                run: 1,
                outcome: Ok(vec![(1, open())]),
            },
        );
        assert_eq!(
            state.banner.as_deref(),
            Some("Run 1 finished: exercise 1.2 is open.")
        );
        let screen = render(&items, &state, 80, 40).join("\n");
        assert!(screen.contains("Failing: exercise_1_2_works"), "{screen}");
    }

    #[test]
    fn the_list_marks_the_current_exercise_and_fits_the_screen() {
        let (items, mut state) = started();
        state.handle(&items, Event::Key('l'));
        let screen = render(&items, &state, 80, 40);
        assert!(
            screen
                .iter()
                .any(|l| l.starts_with("> open              1.2")),
            "{screen:#?}"
        );
        let short = render(&items, &state, 80, 12);
        assert!(short.len() <= 12, "{short:#?}");
        assert!(short.iter().any(|l| l.contains("more line")), "{short:#?}");
        assert!(
            short
                .iter()
                .any(|l| l.starts_with("> open              1.2")),
            "{short:#?}"
        );
    }

    #[test]
    fn reset_asks_first_and_only_yes_resets() {
        let (items, mut state) = started();
        assert_eq!(state.handle(&items, Event::Key('r')), vec![]);
        assert_eq!(state.view, View::ConfirmReset);
        let screen = render(&items, &state, 100, 40).join("\n");
        assert!(
            screen.contains("Reset exercise 1.2 to its starter code?"),
            "{screen}"
        );
        // Anything but y leaves the file alone, q included.
        assert_eq!(state.handle(&items, Event::Key('q')), vec![]);
        assert!(!state.quit);
        assert_eq!(state.banner.as_deref(), Some("Nothing was reset."));
        state.handle(&items, Event::Key('r'));
        assert_eq!(
            state.handle(&items, Event::Key('y')),
            vec![Action::Reset { item: 1 }]
        );
        let done = Event::ResetDone(Ok(vec!["saved your version".into()]));
        assert_eq!(
            state.handle(&items, done),
            vec![Action::Run { run: 1, item: 1 }]
        );
    }

    #[test]
    fn quit_cancels_the_run_in_flight() {
        let (items, mut state) = started();
        state.handle(&items, Event::Changed(vec![]));
        assert_eq!(
            state.handle(&items, Event::Key('q')),
            vec![Action::Cancel { run: 1 }, Action::Quit]
        );
        assert!(state.quit);
    }

    #[test]
    fn a_run_that_could_not_complete_says_why() {
        let (items, mut state) = started();
        state.handle(&items, Event::Changed(vec![]));
        state.handle(
            &items,
            Event::Activity {
                run: 1,
                what: "compiling (3 crates so far)".into(),
            },
        );
        assert!(
            render(&items, &state, 80, 40)
                .join("\n")
                .contains("Running (0 s): compiling")
        );
        let broken = Event::Finished {
            run: 1,
            outcome: Err("could not run cargo".into()),
        };
        state.handle(&items, broken);
        assert!(state.banner.unwrap().contains("could not run cargo"));
    }

    #[test]
    fn every_line_fits_the_width() {
        let (mut items, mut state) = started();
        items[1].ex.task = "word ".repeat(60);
        for view in [View::Exercise, View::Hint, View::List, View::ConfirmReset] {
            state.view = view;
            let screen = render(&items, &state, 60, 30);
            assert!(screen.len() <= 30, "{view:?}: {} lines", screen.len());
            for line in screen {
                assert!(line.chars().count() <= 60, "{view:?}: {line:?}");
            }
        }
    }
}
