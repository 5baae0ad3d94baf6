//! Exercises: what each one asks, where the book explains it, and its hint, kept
//! in one file per lab (`labs/lab-NN/exercises.toml`), and the check that turns a
//! failing exercise test into one clear line.
//!
//! Each lab keeps three copies of every exercise file:
//! `exercises/` (yours to edit), `starter/` (the untouched starter, which
//! `cargo xtask reset` copies back) and `solutions/` (the reference solutions).
//! `cargo test -p lab-NN` compiles `exercises/`; `cargo xtask test` compiles the
//! other two and checks that the solutions pass and the starter fails.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One exercise, as described in `exercises.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Chapter and number, e.g. "3.1".
    pub id: String,
    /// The file under `exercises/` (and `starter/`, `solutions/`).
    pub file: String,
    /// What to do, in one sentence.
    pub task: String,
    /// The book page that explains it, relative to `book/`.
    pub page: String,
    /// The heading on that page.
    pub section: String,
    /// Shown by `cargo xtask hint ID`.
    pub hint: String,
    /// What a hang of this exercise usually means, added to the watchdog's
    /// message when a test of it does not finish in time (optional).
    #[serde(default)]
    pub hang: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExercisesFile {
    exercise: Vec<Exercise>,
}

/// Reads and checks `exercises.toml` in a lab's directory.
pub fn load(lab_dir: &Path) -> Result<Vec<Exercise>, String> {
    let path = lab_dir.join("exercises.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: ExercisesFile =
        toml::from_str(&text).map_err(|e| format!("{} is not valid: {e}", path.display()))?;
    for ex in &file.exercise {
        if ex.id.is_empty() || ex.task.is_empty() || ex.hint.is_empty() {
            return Err(format!(
                "{}: exercise {:?} needs an id, a task and a hint",
                path.display(),
                ex.id
            ));
        }
    }
    Ok(file.exercise)
}

/// Which copy of the exercise files a build uses (set by the lab's build script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `exercises/`: the learner's files. The default (no feature).
    Learner,
    /// `solutions/`: the reference solutions (`--features solutions`).
    Solutions,
    /// `starter/`: the untouched starter code (`--features starter`).
    Starter,
}

impl Variant {
    /// Parses the value the lab's build script stored in the compile-time
    /// variable `LAB_VARIANT` (from the lab's features: none, `solutions` or
    /// `starter`).
    pub fn from_name(name: &str) -> Self {
        match name {
            "solutions" => Variant::Solutions,
            "starter" => Variant::Starter,
            _ => Variant::Learner,
        }
    }

    /// The folder of the lab this variant compiles.
    pub fn folder(self) -> &'static str {
        match self {
            Variant::Learner => "exercises",
            Variant::Solutions => "solutions",
            Variant::Starter => "starter",
        }
    }
}

/// An exercise test under way: made by [`exercise!`](crate::exercise!).
#[derive(Debug)]
pub struct Check {
    exercise: Exercise,
    variant: Variant,
    file: PathBuf,
}

/// The text that marks an open exercise; `cargo xtask test` looks for it.
pub const OPEN_MARK: &str = "is not done yet";

impl Check {
    /// Looks up exercise `id` of the lab in `lab_dir`. Panics with a clear message if
    /// `exercises.toml` is missing, invalid, or has no such exercise.
    pub fn new(lab_dir: &str, variant: &str, id: &str) -> Self {
        let lab_dir = Path::new(lab_dir);
        let exercises = load(lab_dir).unwrap_or_else(|e| panic!("{e}"));
        let Some(exercise) = exercises.into_iter().find(|e| e.id == id) else {
            panic!(
                "{}: no exercise with id {id:?}",
                lab_dir.join("exercises.toml").display()
            );
        };
        let variant = Variant::from_name(variant);
        let lab = lab_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = Path::new("labs")
            .join(lab)
            .join(variant.folder())
            .join(&exercise.file);
        Check {
            exercise,
            variant,
            file,
        }
    }

    /// The exercise being checked.
    pub fn exercise(&self) -> &Exercise {
        &self.exercise
    }

    /// Runs one test of the exercise under the [watchdog](crate::watchdog). If it
    /// fails, the test fails with one line that names the exercise, says what to
    /// do, where the book explains it and how to get a hint, followed by what went
    /// wrong.
    #[track_caller]
    pub fn run<F>(&self, test: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // The test's own panic is reported below, inside the exercise's message.
        let quiet_test = move || crate::quietly(test);
        // The watchdog's own panic (a hang) is quiet too: it is printed once,
        // inside the exercise's message.
        let outcome = crate::quietly(|| {
            panic::catch_unwind(AssertUnwindSafe(|| crate::watchdog::watchdog(quiet_test)))
        });
        if let Err(payload) = outcome {
            let what = crate::panic_message(&*payload);
            let hang = match &self.exercise.hang {
                Some(hang) if what.starts_with(crate::watchdog::HANG_MARK) => {
                    format!("\nIn this exercise, that usually means: {hang}\n")
                }
                _ => String::new(),
            };
            panic!("{self}\n\nWhat the test saw:\n{}{hang}", indent(&what));
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ex = &self.exercise;
        match self.variant {
            Variant::Learner | Variant::Starter => write!(
                f,
                "exercise {} {OPEN_MARK}: {} Edit {}; the book explains it in \"{}\" (book/{}). \
                 For a hint: cargo xtask hint {}",
                ex.id,
                ex.task,
                self.file.display(),
                ex.section,
                ex.page,
                ex.id
            ),
            Variant::Solutions => write!(
                f,
                "the reference solution of exercise {} ({}) fails its own test",
                ex.id,
                self.file.display()
            ),
        }
    }
}

/// Starts an exercise check for exercise `$id` of the calling lab:
/// `lab_support::exercise!("3.1").run(|| { ... })`.
#[macro_export]
macro_rules! exercise {
    ($id:expr) => {
        $crate::exercise::Check::new(env!("CARGO_MANIFEST_DIR"), env!("LAB_VARIANT"), $id)
    };
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
