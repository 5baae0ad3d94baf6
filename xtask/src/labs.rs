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
    let items = crate::course::items()?;
    let i = crate::course::find(&items, id)?;
    let item = items[i].clone();
    Ok((item.lab, item.ex))
}

/// `cargo xtask hint [ID]`: without an id, the hint of the current exercise
/// (the first one that is not done, as `cargo xtask progress` finds it).
pub fn hint(id: Option<&str>) -> Result {
    let (lab, ex) = match id {
        Some(id) => find_exercise(id)?,
        None => {
            let items = crate::course::items()?;
            if items.is_empty() {
                return usage("no lab has exercises yet: there is no hint to show");
            }
            let (statuses, checked) =
                crate::progress::refresh(&items, crate::course::DEFAULT_LIMIT)?;
            let Some(i) = statuses.iter().position(|s| !s.is_done()) else {
                println!(
                    "Every exercise is done: no current exercise. `cargo xtask hint ID` shows \
                     the hint of any of them."
                );
                return Ok(());
            };
            if checked > 0 {
                println!();
            }
            println!(
                "(your current exercise, the first one not done yet: {})\n",
                items[i].ex.id
            );
            (items[i].lab.clone(), items[i].ex.clone())
        }
    };
    println!("exercise {}: {}", ex.id, ex.task);
    println!("  edit:  {}", lab.rel("exercises", &ex.file).display());
    println!("  read:  \"{}\" in book/{}", ex.section, ex.page);
    println!(
        "  test:  cargo test -p {} exercise_{}",
        lab.name,
        ex.id.replace('.', "_")
    );
    println!();
    println!("hint:");
    for line in ex.hint.trim().lines() {
        println!("  {line}");
    }
    Ok(())
}

/// `cargo xtask reset ID`: copies the starter file over the learner's, after
/// saving the learner's under `exercise-backups/<UTC date and time>/`
/// (a new folder if that one already holds this file: a backup is never
/// overwritten).
pub fn reset(id: &str) -> Result {
    let (lab, ex) = find_exercise(id)?;
    for line in reset_one(&lab, &ex)? {
        println!("{line}");
    }
    Ok(())
}

/// One exercise's reset (see [`reset`]); returns what it did, line by line.
pub fn reset_one(lab: &Lab, ex: &Exercise) -> Result<Vec<String>> {
    let root = crate::repo_root();
    let starter_rel = lab.rel("starter", &ex.file);
    let mine_rel = lab.rel("exercises", &ex.file);
    let starter = std::fs::read(root.join(&starter_rel))
        .or_else(|e| fail(format!("cannot read {}: {e}", starter_rel.display())))?;
    let mine = std::fs::read(root.join(&mine_rel)).ok();
    if mine.as_deref() == Some(&starter[..]) {
        return Ok(vec![format!(
            "{} is already the starter code of exercise {}; nothing to do.",
            mine_rel.display(),
            ex.id
        )]);
    }
    let mut said = Vec::new();
    if let Some(mine) = mine {
        let folder = backup_folder(&[lab.name.clone() + "/" + &ex.file]);
        let backup_rel = folder.join(&lab.name).join(&ex.file);
        save_backup(&backup_rel, &mine)?;
        said.push(format!(
            "Saved your version of {} to {}.",
            mine_rel.display(),
            backup_rel.display()
        ));
    }
    write_starter(&mine_rel, &starter)?;
    said.push(format!(
        "Reset {} to the starter code of exercise {} ({}).",
        mine_rel.display(),
        ex.id,
        starter_rel.display()
    ));
    Ok(said)
}

/// `cargo xtask reset --all`: every exercise file that differs from its starter
/// code is saved into one new backup folder first, and only when all are saved
/// are the starter files put back. Asks first; only `y` or `yes` goes ahead.
pub fn reset_all(answer: &mut dyn std::io::BufRead) -> Result {
    let root = crate::repo_root();
    let mut changed = Vec::new();
    for item in crate::course::items()? {
        let starter_rel = item.lab.rel("starter", &item.ex.file);
        let starter = std::fs::read(root.join(&starter_rel))
            .or_else(|e| fail(format!("cannot read {}: {e}", starter_rel.display())))?;
        let mine = std::fs::read(root.join(item.file())).ok();
        if mine.as_deref() != Some(&starter[..]) {
            changed.push((item, starter, mine));
        }
    }
    if changed.is_empty() {
        println!("Every exercise file is already its starter code; nothing to do.");
        return Ok(());
    }
    println!(
        "These {} exercise files differ from their starter code:",
        changed.len()
    );
    for (item, _, mine) in &changed {
        let note = if mine.is_none() { " (missing)" } else { "" };
        println!("  {}  {}{note}", item.ex.id, item.file().display());
    }
    print!(
        "Reset all of them to the starter code? Each is saved under exercise-backups/ \
         first. [y/N] "
    );
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let mut line = String::new();
    let _ = answer.read_line(&mut line);
    if !matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        println!("\nNothing was reset.");
        return Ok(());
    }
    let names: Vec<String> = changed
        .iter()
        .map(|(item, _, _)| format!("{}/{}", item.lab.name, item.ex.file))
        .collect();
    let folder = backup_folder(&names);
    // Every backup first: if one cannot be saved, no file has been reset yet.
    for (item, _, mine) in &changed {
        if let Some(mine) = mine {
            save_backup(&folder.join(&item.lab.name).join(&item.ex.file), mine)?;
        }
    }
    println!("Saved your versions under {}.", folder.display());
    for (item, starter, _) in &changed {
        write_starter(&item.file(), starter)?;
        println!("Reset {} (exercise {}).", item.file().display(), item.ex.id);
    }
    Ok(())
}

/// `exercise-backups/<UTC date and time>[-N]`: the first such folder
/// that holds none of `files` (`lab-03/transfer.rs`, …), relative to the root.
fn backup_folder(files: &[String]) -> PathBuf {
    let root = crate::repo_root();
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let backups = PathBuf::from("exercise-backups");
    let stamp = utc_stamp(secs);
    (1..)
        .map(|n| {
            let folder = if n == 1 {
                stamp.clone()
            } else {
                format!("{stamp}-{n}")
            };
            backups.join(folder)
        })
        .find(|candidate| files.iter().all(|f| !root.join(candidate).join(f).exists()))
        .expect("some backup folder name is free")
}

/// Writes a backup, never over an existing file.
fn save_backup(backup_rel: &Path, contents: &[u8]) -> Result {
    let backup = crate::repo_root().join(backup_rel);
    if let Some(parent) = backup.parent() {
        std::fs::create_dir_all(parent)
            .or_else(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    }
    // create_new: never overwrite a backup, even one made at the same moment.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup)
        .and_then(|mut file| std::io::Write::write_all(&mut file, contents))
        .or_else(|e| {
            fail(format!(
                "cannot save your version to {}: {e}; nothing was reset",
                backup_rel.display()
            ))
        })
}

fn write_starter(mine_rel: &Path, starter: &[u8]) -> Result {
    let dest = crate::repo_root().join(mine_rel);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)
            .or_else(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(&dest, starter)
        .or_else(|e| fail(format!("cannot write {}: {e}", mine_rel.display())))
}

/// A folder name for the moment `secs` (Unix time), in UTC, readable and
/// sortable, with no character that a file system refuses:
/// `2026-12-01_19-54-51_UTC`.
fn utc_stamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}_{:02}-{:02}-{:02}_UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01: Howard
/// Hinnant's `civil_from_days` ("chrono-Compatible Low-Level Date
/// Algorithms"), so that xtask needs no date crate.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::utc_stamp;

    #[test]
    fn backup_folders_are_named_by_a_readable_utc_time() {
        assert_eq!(utc_stamp(0), "1970-01-01_00-00-00_UTC");
        // 2026-12-01 19:54:51 UTC
        assert_eq!(utc_stamp(1_796_154_891), "2026-12-01_19-54-51_UTC");
        // A leap day, and the last second of a year.
        assert_eq!(utc_stamp(951_782_400), "2000-02-29_00-00-00_UTC");
        assert_eq!(utc_stamp(1_924_991_999), "2030-12-31_23-59-59_UTC");
    }
}
