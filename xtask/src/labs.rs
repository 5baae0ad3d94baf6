//! The labs (`labs/lab-*`), their exercises, and `hint` and `reset`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use lab_support::exercise::{self, Exercise};

use crate::{Result, fail, usage};

/// One lab crate: `labs/lab-NN`.
#[derive(Debug, Clone)]
pub struct Lab {
    /// The folder and package name, e.g. `lab-03`.
    pub name: String,
    pub dir: PathBuf,
}

impl Lab {
    /// The lab's exercises, or none if it has no `exercises.toml`.
    pub fn exercises(&self) -> Result<Vec<Exercise>> {
        if !self.dir.join("exercises.toml").exists() {
            return Ok(Vec::new());
        }
        exercise::load(&self.dir).or_else(fail)
    }

    /// `labs/lab-NN/<folder>/<file>` relative to the repository root.
    pub fn rel(&self, folder: &str, file: &str) -> PathBuf {
        Path::new("labs").join(&self.name).join(folder).join(file)
    }
}

/// Every `labs/lab-*` folder, sorted by name.
pub fn all() -> Result<Vec<Lab>> {
    let labs_dir = crate::repo_root().join("labs");
    let entries = std::fs::read_dir(&labs_dir)
        .or_else(|e| fail(format!("cannot read {}: {e}", labs_dir.display())))?;
    let mut labs: Vec<Lab> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with("lab-").then(|| Lab {
                name,
                dir: entry.path(),
            })
        })
        .collect();
    labs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(labs)
}

/// The lab called `name` (`lab-03`; `03` and `3` are accepted too).
pub fn find(name: &str) -> Result<Lab> {
    let labs = all()?;
    let wanted = if name.starts_with("lab-") {
        name.to_owned()
    } else {
        match name.parse::<u32>() {
            Ok(n) => format!("lab-{n:02}"),
            Err(_) => name.to_owned(),
        }
    };
    if let Some(lab) = labs.iter().find(|l| l.name == wanted) {
        return Ok(lab.clone());
    }
    let names: Vec<&str> = labs.iter().map(|l| l.name.as_str()).collect();
    usage(format!(
        "unknown lab {name}; the labs are: {}",
        names.join(", ")
    ))
}

/// Finds exercise `id` in every lab's `exercises.toml`.
fn find_exercise(id: &str) -> Result<(Lab, Exercise)> {
    let mut ids = Vec::new();
    for lab in all()? {
        for ex in lab.exercises()? {
            if ex.id == id {
                return Ok((lab, ex));
            }
            ids.push(ex.id);
        }
    }
    if ids.is_empty() {
        return usage(format!("unknown exercise {id}: no lab has exercises yet"));
    }
    usage(format!(
        "unknown exercise {id}; the exercises are: {}",
        ids.join(", ")
    ))
}

/// `cargo xtask hint ID`.
pub fn hint(id: &str) -> Result {
    let (lab, ex) = find_exercise(id)?;
    println!("exercise {}: {}", ex.id, ex.task);
    println!("  edit:  {}", lab.rel("exercises", &ex.file).display());
    println!("  read:  \"{}\" in book/{}", ex.section, ex.page);
    println!("  test:  cargo test -p {}", lab.name);
    println!();
    println!("hint:");
    for line in ex.hint.trim().lines() {
        println!("  {line}");
    }
    Ok(())
}

/// `cargo xtask reset ID`: copies the starter file over the learner's, after
/// saving the learner's under `target/exercise-backups/<unix-seconds>/`.
pub fn reset(id: &str) -> Result {
    let (lab, ex) = find_exercise(id)?;
    let root = crate::repo_root();
    let starter_rel = lab.rel("starter", &ex.file);
    let mine_rel = lab.rel("exercises", &ex.file);
    let starter = std::fs::read(root.join(&starter_rel))
        .or_else(|e| fail(format!("cannot read {}: {e}", starter_rel.display())))?;
    let mine = std::fs::read(root.join(&mine_rel)).ok();
    if mine.as_deref() == Some(&starter[..]) {
        println!(
            "{} is already the starter code of exercise {id}; nothing to do.",
            mine_rel.display()
        );
        return Ok(());
    }
    if let Some(mine) = mine {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let backup_rel = Path::new("target")
            .join("exercise-backups")
            .join(secs.to_string())
            .join(&lab.name)
            .join(&ex.file);
        let backup = root.join(&backup_rel);
        if let Some(parent) = backup.parent() {
            std::fs::create_dir_all(parent)
                .or_else(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(&backup, mine).or_else(|e| {
            fail(format!(
                "cannot save your version to {}: {e}; nothing was reset",
                backup_rel.display()
            ))
        })?;
        println!(
            "saved your version of {} to {}",
            mine_rel.display(),
            backup_rel.display()
        );
    }
    let dest = root.join(&mine_rel);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)
            .or_else(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(&dest, &starter)
        .or_else(|e| fail(format!("cannot write {}: {e}", mine_rel.display())))?;
    println!(
        "reset {} to the starter code of exercise {id} ({})",
        mine_rel.display(),
        starter_rel.display()
    );
    Ok(())
}
