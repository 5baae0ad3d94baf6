//! The learner's commands end to end, on a scratch copy of a tiny fixture course
//! (`tests/fixtures/course`: one lab, two exercises, no dependencies), so that no
//! learner file is ever touched and each test builds little.
//!
//! `progress`, `hint`, `reset --all` and the errors run as plain child
//! processes; `watch` runs in a pseudo-terminal (Unix only), driven by keys and
//! file saves. No test sleeps to synchronize: each waits for the text it
//! expects to appear, with a deadline that only a broken build would reach.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A scratch copy of the fixture course, removed when dropped.
struct Course {
    root: PathBuf,
}

impl Course {
    fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("xtask-course-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course");
        copy_dir(&fixture, &root);
        Course { root }
    }

    fn exercise(&self, file: &str) -> PathBuf {
        self.root.join("labs/lab-01/exercises").join(file)
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.exercise(file), text).expect("write an exercise file");
    }

    fn solve(&self, file: &str) {
        let solution = self.root.join("labs/lab-01/solutions").join(file);
        std::fs::copy(solution, self.exercise(file)).expect("copy a solution");
    }

    fn xtask(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(args)
            .current_dir(&self.root)
            .env("XTASK_REPO_ROOT", &self.root)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("CARGO_BUILD_RUSTC_WRAPPER");
        cmd
    }

    /// Runs `cargo xtask ARGS` with `input` on its stdin.
    fn run(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .xtask(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start xtask");
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes());
        child.wait_with_output().expect("wait for xtask")
    }
}

impl Drop for Course {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a scratch folder");
    for entry in std::fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("a fixture entry");
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &dest);
            }
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy a fixture file");
        }
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text with every run of white space made one space: wrapped lines read
/// as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn progress_lists_every_exercise_and_caches_what_did_not_change() {
    let course = Course::new("progress");
    let out = course.run(&["progress"], "");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains("Your progress: 0 of 2 exercises done"),
        "{text}"
    );
    assert!(text.contains("\nChapter 1: A fixture chapter\n"), "{text}");
    assert!(
        text.contains("  lab-01, 0 of 2 done, explained in book/01-fixture/exercises.md\n"),
        "{text}"
    );
    // One line per exercise: status, id, the section's title, the task.
    assert!(
        text.contains(
            "  open              1.1   adding: Make `add` return the sum of its two arguments.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  open              1.2   doubling: Make `double` return twice its argument.\n"
        ),
        "{text}"
    );
    assert!(
        stderr(&out).contains("(all 2 checked now, in "),
        "{}",
        stderr(&out)
    );

    // Nothing changed: every status comes from the cache, nothing is built.
    let again = course.run(&["progress"], "");
    assert_eq!(stdout(&again), text);
    assert!(
        stderr(&again).contains("(all 2 from the cache"),
        "{}",
        stderr(&again)
    );

    course.solve("add.rs");
    let solved = course.run(&["progress"], "");
    let text = stdout(&solved);
    assert!(
        text.contains("Your progress: 1 of 2 exercises done"),
        "{text}"
    );
    assert!(text.contains("  done              1.1"), "{text}");
    assert!(text.contains("  open              1.2"), "{text}");
}

#[test]
fn a_lab_that_does_not_compile_shows_its_first_error_on_every_exercise() {
    let course = Course::new("broken");
    course.write(
        "add.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    \"five\"\n}\n",
    );
    let out = course.run(&["progress"], "");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        flat(&text).contains(
            "the lab does not compile: error[E0308]: mismatched types at labs/lab-01/exercises/add.rs:2:5"
        ),
        "{text}"
    );
    assert_eq!(text.matches("does not compile").count(), 3, "{text}");
}

#[test]
fn a_run_that_hangs_is_stopped_and_says_what_it_looks_like() {
    let course = Course::new("hangs");
    // 1.1 spins for ever, 1.2 waits for ever: both in the one test binary.
    course.write(
        "add.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    loop {\n        std::hint::black_box(a + b);\n    }\n}\n",
    );
    course.write(
        "double.rs",
        "pub fn double(_: i32) -> i32 {\n    loop {\n        std::thread::park();\n    }\n}\n",
    );
    let out = course.run(&["progress", "--limit", "3"], "");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert_eq!(text.matches("stopped (hung)").count(), 2, "{text}");
    assert!(text.contains("stopped after 3 s"), "{text}");
    assert!(
        flat(&text).contains("Still running: exercise_1_1_adds"),
        "{text}"
    );
    assert!(text.contains("exercise_1_2_doubles"), "{text}");
    // Both were stopped in one run, with CPU kept busy by 1.1's spin.
    if cfg!(target_os = "linux") {
        assert!(
            flat(&text).contains("it looks like an endless loop"),
            "{text}"
        );
    }
}

#[test]
fn a_waiting_run_is_called_a_deadlock() {
    let course = Course::new("waits");
    course.solve("add.rs");
    course.write(
        "double.rs",
        "pub fn double(_: i32) -> i32 {\n    loop {\n        std::thread::park();\n    }\n}\n",
    );
    let out = course.run(&["progress", "--limit", "3"], "");
    let text = stdout(&out);
    assert!(text.contains("  done              1.1"), "{text}");
    assert!(text.contains("stopped (hung)"), "{text}");
    if cfg!(target_os = "linux") {
        assert!(flat(&text).contains("it looks like a deadlock"), "{text}");
    }
}

#[test]
fn hint_without_an_id_shows_the_current_exercise() {
    let course = Course::new("hint");
    course.solve("add.rs");
    let out = course.run(&["hint"], "");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("the first one not done yet: 1.2"), "{text}");
    assert!(text.contains("Add the argument to itself."), "{text}");
}

#[test]
fn reset_all_asks_and_backs_every_file_up_first() {
    let course = Course::new("reset");
    course.write("add.rs", "// my attempt at 1.1\n");
    course.write("double.rs", "// my attempt at 1.2\n");

    let no = course.run(&["reset", "--all"], "n\n");
    assert!(
        stdout(&no).contains("Nothing was reset."),
        "{}",
        stdout(&no)
    );
    assert_eq!(
        std::fs::read_to_string(course.exercise("add.rs")).unwrap(),
        "// my attempt at 1.1\n"
    );
    // No answer at all (stdin closed) is a no as well.
    let silent = course.run(&["reset", "--all"], "");
    assert!(stdout(&silent).contains("Nothing was reset."));

    let yes = course.run(&["reset", "--all"], "y\n");
    let text = stdout(&yes);
    assert!(yes.status.success(), "{text}{}", stderr(&yes));
    assert!(text.contains("These 2 exercise files differ"), "{text}");
    let starter = course.root.join("labs/lab-01/starter");
    for file in ["add.rs", "double.rs"] {
        assert_eq!(
            std::fs::read(course.exercise(file)).unwrap(),
            std::fs::read(starter.join(file)).unwrap()
        );
    }
    let backups: Vec<PathBuf> = std::fs::read_dir(course.root.join("exercise-backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        backups.len(),
        1,
        "one folder for the whole reset: {backups:?}"
    );
    assert_eq!(
        std::fs::read_to_string(backups[0].join("lab-01/add.rs")).unwrap(),
        "// my attempt at 1.1\n"
    );
    assert_eq!(
        std::fs::read_to_string(backups[0].join("lab-01/double.rs")).unwrap(),
        "// my attempt at 1.2\n"
    );
    let nothing = course.run(&["reset", "--all"], "y\n");
    assert!(stdout(&nothing).contains("already its starter code"));
}

#[test]
fn bad_input_gets_one_line_and_the_valid_choices() {
    let course = Course::new("bad");
    let cases: [(&[&str], &str); 5] = [
        (
            &["hint", "9.9"],
            "unknown exercise 9.9; the exercises are: 1.1, 1.2",
        ),
        (
            &["watch", "9.9"],
            "unknown exercise 9.9; the exercises are: 1.1, 1.2",
        ),
        (
            &["watch", "lab-99"],
            "unknown lab lab-99; the labs are: lab-01",
        ),
        (&["reset", "--everything"], "it takes one exercise id"),
        (
            &["progress", "--limit", "soon"],
            "is not a number of seconds",
        ),
    ];
    for (args, wanted) in cases {
        let out = course.run(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn watch_without_a_terminal_says_to_use_progress() {
    let course = Course::new("no-tty");
    let out = course.run(&["watch"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("needs an interactive terminal"), "{err}");
    assert!(err.contains("cargo xtask progress"), "{err}");
}

#[cfg(unix)]
mod pty {
    use super::*;
    use std::os::fd::BorrowedFd;
    use std::os::unix::process::CommandExt;
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::{Duration, Instant};

    /// What the child has written to its terminal so far, shared with a reader thread.
    #[derive(Default)]
    struct Screen {
        bytes: Mutex<(Vec<u8>, bool)>,
        grew: Condvar,
    }

    /// `watch` in a pseudo-terminal of 120 × 40.
    struct Watch {
        child: std::process::Child,
        keys: std::fs::File,
        screen: Arc<Screen>,
        /// Where in the output the next wait starts looking.
        seen: usize,
        /// watch's log of events (XTASK_WATCH_LOG).
        log: PathBuf,
    }

    impl Watch {
        fn start(course: &Course) -> Self {
            use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
            let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("openpt");
            grantpt(&master).expect("grantpt");
            unlockpt(&master).expect("unlockpt");
            let name = ptsname(&master, Vec::new()).expect("ptsname");
            let slave = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(name.to_str().expect("a pty name"))
                .expect("open the pty's other end");
            let size = rustix::termios::Winsize {
                ws_row: 40,
                ws_col: 120,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            rustix::termios::tcsetwinsize(&slave, size).expect("set the window size");
            let mut cmd = course.xtask(&["watch"]);
            cmd.env("XTASK_WATCH_LOG", course.root.join("watch.log"));
            cmd.stdin(slave.try_clone().unwrap())
                .stdout(slave.try_clone().unwrap())
                .stderr(slave);
            // SAFETY: only async-signal-safe calls (setsid, ioctl) between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    rustix::process::setsid()?;
                    rustix::process::ioctl_tiocsctty(BorrowedFd::borrow_raw(0))?;
                    Ok(())
                });
            }
            let child = cmd.spawn().expect("start xtask watch");
            let master = std::fs::File::from(master);
            let keys = master.try_clone().expect("a second handle on the pty");
            let screen = Arc::new(Screen::default());
            let feed = screen.clone();
            std::thread::spawn(move || {
                let mut master = master;
                let mut buf = [0u8; 4096];
                loop {
                    // EIO once the child has exited and closed its end.
                    let n = std::io::Read::read(&mut master, &mut buf).unwrap_or(0);
                    let mut bytes = match feed.bytes.lock() {
                        Ok(bytes) => bytes,
                        Err(_) => return, // the test has failed already
                    };
                    if n == 0 {
                        bytes.1 = true;
                        feed.grew.notify_all();
                        return;
                    }
                    bytes.0.extend_from_slice(&buf[..n]);
                    feed.grew.notify_all();
                }
            });
            Watch {
                child,
                keys,
                screen,
                seen: 0,
                log: course.root.join("watch.log"),
            }
        }

        /// Waits until all of `texts` have appeared since the last wait, and
        /// returns what appeared; fails with the screen if `within` passes first.
        fn wait_for(&mut self, texts: &[&str], within: Duration) -> String {
            let deadline = Instant::now() + within;
            let mut bytes = self.screen.bytes.lock().unwrap();
            loop {
                let fresh = strip(&bytes.0[self.seen..]);
                if texts.iter().all(|t| fresh.contains(t)) {
                    self.seen = bytes.0.len();
                    return fresh;
                }
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() || bytes.1 {
                    drop(bytes);
                    panic!(
                        "waited for {texts:?}; the terminal showed:\n{fresh}\n\
                         watch's events ({}):\n{}",
                        self.log.display(),
                        std::fs::read_to_string(&self.log).unwrap_or_default()
                    );
                }
                bytes = self.screen.grew.wait_timeout(bytes, left).unwrap().0;
            }
        }

        fn press(&mut self, key: &str) {
            self.keys.write_all(key.as_bytes()).expect("type a key");
        }

        /// Waits for the child to exit, at most `within`.
        fn exit(&mut self, within: Duration) -> (std::process::ExitStatus, String) {
            let deadline = Instant::now() + within;
            {
                let mut bytes = self.screen.bytes.lock().unwrap();
                while !bytes.1 {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        let _ = self.child.kill();
                        panic!(
                            "watch did not quit; it showed:\n{}",
                            strip(&bytes.0[self.seen..])
                        );
                    }
                    bytes = self.screen.grew.wait_timeout(bytes, left).unwrap().0;
                }
            }
            let status = self.child.wait().expect("wait for watch");
            let bytes = self.screen.bytes.lock().unwrap();
            (status, strip(&bytes.0[self.seen..]))
        }
    }

    impl Drop for Watch {
        /// A test that failed leaves no watch behind.
        fn drop(&mut self) {
            if self.child.try_wait().ok().flatten().is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }

    /// The text of terminal output, without its escape sequences.
    fn strip(bytes: &[u8]) -> String {
        let text = String::from_utf8_lossy(bytes);
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for c in chars.by_ref() {
                        if c.is_ascii_alphabetic() {
                            break;
                        }
                    }
                }
            } else if c != '\r' {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn watch_shows_the_exercise_reruns_on_a_save_moves_on_and_quits_on_q() {
        let course = Course::new("watch");
        let mut watch = Watch::start(&course);
        // It builds the fixture (seconds), then shows the first open exercise.
        let screen = watch.wait_for(
            &[
                "Exercise 1.1 (lab-01): open: 2 of its 2 tests fail",
                "Edit:  labs/lab-01/exercises/add.rs",
                "add(2, 3) returned 0, not 5",
                "Keys: h hint, n next, p previous, l list, r reset, q quit.",
            ],
            Duration::from_secs(180),
        );
        assert!(screen.contains("Make `add` return the sum"), "{screen}");

        watch.press("h");
        watch.wait_for(
            &["Hint for exercise 1.1:", "Use the + operator."],
            Duration::from_secs(30),
        );
        watch.press("x");
        watch.wait_for(&["Exercise 1.1 (lab-01)"], Duration::from_secs(30));

        // A wrong fix, saved: re-run, still open, with the new failure.
        course.write(
            "add.rs",
            "pub fn add(a: i32, b: i32) -> i32 {\n    a + b.abs()\n}\n",
        );
        watch.wait_for(
            &[
                "open: 1 of its 2 tests fail",
                "add(-2, -3) returned 1, not -5",
            ],
            Duration::from_secs(120),
        );

        // The right fix: it passes and moves on to 1.2.
        course.solve("add.rs");
        watch.wait_for(
            &[
                "Exercise 1.1 passes (2 tests). On to exercise 1.2.",
                "Exercise 1.2 (lab-01): open: 1 of its 1 tests fail",
            ],
            Duration::from_secs(120),
        );

        watch.press("l");
        watch.wait_for(
            &["Your progress: 1 of 2 exercises done"],
            Duration::from_secs(30),
        );
        watch.press(" ");
        watch.press("q");
        let (status, after) = watch.exit(Duration::from_secs(20));
        assert!(status.success(), "{status:?}: {after}");
        assert!(after.contains("1 of 2 exercises done"), "{after}");
        // The learner's file is the one written above, untouched by watch.
        assert_eq!(
            std::fs::read(course.exercise("add.rs")).unwrap(),
            std::fs::read(course.root.join("labs/lab-01/solutions/add.rs")).unwrap()
        );
    }

    /// The processes (other than this test's) whose command line names `root`.
    #[cfg(target_os = "linux")]
    fn processes_under(root: &Path) -> Vec<String> {
        let root = root.to_string_lossy().into_owned();
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.parse::<u32>().is_err() || name == std::process::id().to_string() {
                continue;
            }
            if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
                let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                if cmdline.contains(&root) {
                    found.push(format!("{name}: {cmdline}"));
                }
            }
        }
        found
    }

    #[test]
    fn quitting_during_a_hung_run_leaves_no_process_behind() {
        let course = Course::new("watch-quit");
        let mut watch = Watch::start(&course);
        watch.wait_for(&["Exercise 1.1 (lab-01): open"], Duration::from_secs(180));
        // A save that spins for ever: the run is under way, and stays so.
        course.write(
            "add.rs",
            "pub fn add(a: i32, b: i32) -> i32 {\n    loop {\n        std::hint::black_box(a + b);\n    }\n}\n",
        );
        watch.wait_for(
            &["running the tests of exercise 1.1"],
            Duration::from_secs(120),
        );
        watch.press("q");
        let (status, _) = watch.exit(Duration::from_secs(20));
        assert!(status.success(), "{status:?}");
        // watch waited for its run to kill the test binary before it exited.
        #[cfg(target_os = "linux")]
        {
            let left = processes_under(&course.root);
            assert!(left.is_empty(), "still running after watch quit: {left:#?}");
        }
    }

    #[test]
    fn watch_resets_an_exercise_only_after_a_yes() {
        let course = Course::new("watch-reset");
        course.write(
            "add.rs",
            "pub fn add(a: i32, b: i32) -> i32 {\n    a - b\n}\n",
        );
        let mut watch = Watch::start(&course);
        watch.wait_for(&["Exercise 1.1 (lab-01): open"], Duration::from_secs(180));
        watch.press("r");
        watch.wait_for(
            &["Reset exercise 1.1 to its starter code?"],
            Duration::from_secs(30),
        );
        watch.press("n");
        watch.wait_for(&["Nothing was reset."], Duration::from_secs(30));
        watch.press("r");
        watch.wait_for(&["any other key: keep it."], Duration::from_secs(30));
        watch.press("y");
        watch.wait_for(
            &["Saved your version of labs/lab-01/exercises/add.rs to exercise-backups/"],
            Duration::from_secs(30),
        );
        watch.press("q");
        let (status, _) = watch.exit(Duration::from_secs(20));
        assert!(status.success());
        assert_eq!(
            std::fs::read(course.exercise("add.rs")).unwrap(),
            std::fs::read(course.root.join("labs/lab-01/starter/add.rs")).unwrap()
        );
        let backups = course.root.join("exercise-backups");
        let folder = std::fs::read_dir(&backups)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        assert_eq!(
            std::fs::read_to_string(folder.join("lab-01/add.rs")).unwrap(),
            "pub fn add(a: i32, b: i32) -> i32 {\n    a - b\n}\n"
        );
    }
}
