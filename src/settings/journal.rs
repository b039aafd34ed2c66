//! The journal: one file per process that has changed a system setting,
//! `/run/vmlab/settings-<pid>.json`, written (atomically, through a rename) before
//! each change. It names its writer by pid, start time and boot, so a later run can
//! tell a live writer from a dead one whose pid was handed out again, and a journal
//! from before a reboot (which reset the settings) from a fresh one.
//!
//! The directory is root's and not writable by others; each journal is readable and
//! writable by root only. A journal that breaks these rules, or names a file outside
//! /sys and /proc/sys, is not trusted: a root process writes what journals say.

use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::tr;

/// Where journals live: `/run` is emptied at boot on most systems, and the boot id
/// covers those where it is not.
pub const DIR: &str = "/run/vmlab";
const FORMAT: &str = "vmlab settings journal 1";
/// A journal holds at most a few settings; a larger file is not one of ours.
const MAX_BYTES: u64 = 64 * 1024;
/// Directory entries looked at, at most.
const MAX_FILES: usize = 4096;

/// The process that wrote a journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Writer {
    pub pid: i32,
    /// Field 22 of `/proc/<pid>/stat`: clock ticks from boot to the process's start.
    pub start_time: u64,
    /// /proc/sys/kernel/random/boot_id when it wrote.
    pub boot_id: String,
    /// Its program's name (`vm-shared`, `vmlab`), for messages.
    pub program: String,
}

/// A setting changed, its value before, and the lock its writer held (its turn).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub original: String,
    pub turn: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub format: String,
    pub writer: Writer,
    /// In the order they were changed.
    pub settings: Vec<Entry>,
}

/// Whether a journal's writer still runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liveness {
    Alive,
    /// Exited (or a zombie), or its pid now belongs to another process.
    Gone,
    /// Written before the last boot.
    OtherBoot,
}

impl Journal {
    pub fn new(writer: Writer) -> Journal {
        Journal {
            format: FORMAT.into(),
            writer,
            settings: Vec::new(),
        }
    }
}

impl Writer {
    /// This process.
    pub fn this_process() -> Result<Writer, String> {
        let pid = std::process::id() as i32;
        let (_, start_time) = stat(pid).ok_or_else(|| tr!("settings-no-own-stat"))?;
        let boot_id = boot_id().ok_or_else(|| tr!("settings-no-boot-id"))?;
        let program = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "vmlab".into());
        Ok(Writer {
            pid,
            start_time,
            boot_id,
            program,
        })
    }

    pub fn liveness(&self) -> Liveness {
        if boot_id().is_some_and(|b| b != self.boot_id) {
            return Liveness::OtherBoot;
        }
        match stat(self.pid) {
            Some((state, start)) if start == self.start_time && !matches!(state, 'Z' | 'X') => {
                Liveness::Alive
            }
            _ => Liveness::Gone,
        }
    }
}

/// The state and start time of process `pid`, from `/proc/<pid>/stat`.
fn stat(pid: i32) -> Option<(char, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: count fields after it.
    let mut fields = text[text.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    // Field 3 was the state; the start time is field 22.
    let start = fields.nth(22 - 4)?.parse().ok()?;
    Some((state, start))
}

fn boot_id() -> Option<String> {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(id.trim().to_string()).filter(|s| !s.is_empty())
}

/// The journal file of process `pid`.
pub fn path_of(dir: &Path, pid: i32) -> PathBuf {
    dir.join(format!("settings-{pid}.json"))
}

fn temporary_of(dir: &Path, pid: i32) -> PathBuf {
    dir.join(format!("settings-{pid}.json.tmp"))
}

/// Creates the directory (mode 0755: others may see that a journal exists, not
/// read it) if it is missing, and checks it may be trusted.
pub fn ensure_dir(dir: &Path) -> Result<(), String> {
    match std::fs::DirBuilder::new().mode(0o755).create(dir) {
        Ok(()) => {
            // The umask may have taken bits away; others only need to list it.
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e.to_string()),
    }
    check_dir(dir)
}

/// A real directory (not a link), ours, writable by no one else.
pub fn check_dir(dir: &Path) -> Result<(), String> {
    let m = std::fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
    if !m.is_dir() {
        return Err(tr!("settings-journal-dir-not-dir"));
    }
    check_owner_and_mode(&m, 0o022)
}

/// Owned by us (root, in practice), and none of the bits of `forbidden` set.
fn check_owner_and_mode(m: &std::fs::Metadata, forbidden: u32) -> Result<(), String> {
    let me = nix::unistd::geteuid().as_raw();
    if m.uid() != me {
        return Err(tr!("settings-journal-owner", uid = m.uid(), me = me));
    }
    if m.mode() & forbidden != 0 {
        let mode = format!("{:o}", m.mode() & 0o7777);
        return Err(tr!("settings-journal-mode", mode = mode));
    }
    Ok(())
}

/// Writes `journal` in place of its writer's file, atomically (a temporary file and a
/// rename): a kill in between leaves the old journal or the new, never half of one.
/// With no settings left, removes the file instead, and the directory if that was the
/// last journal (nothing is left behind).
pub fn save(dir: &Path, journal: &Journal) -> std::io::Result<()> {
    let path = path_of(dir, journal.writer.pid);
    if journal.settings.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => {
                remove_dir_if_empty(dir);
                Ok(())
            }
        };
    }
    let temporary = temporary_of(dir, journal.writer.pid);
    let text = serde_json::to_vec_pretty(journal).map_err(std::io::Error::other)?;
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&temporary)
    };
    let mut f = match open() {
        // Another run removed the directory, empty, since we made sure of it.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            ensure_dir(dir).map_err(std::io::Error::other)?;
            open()?
        }
        other => other?,
    };
    f.write_all(&text)?;
    drop(f);
    std::fs::rename(&temporary, &path)
}

/// Removes `dir` if it holds nothing (rmdir fails on a directory that is not empty:
/// no journal is ever lost).
pub fn remove_dir_if_empty(dir: &Path) {
    let _ = std::fs::remove_dir(dir);
}

/// Reads a journal, and checks it may be trusted: a regular file of ours, readable by
/// no one else, small, in our format, named after its writer, and naming only
/// settings under /sys or /proc/sys, each under its turn.
pub fn load(path: &Path) -> Result<Journal, String> {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| e.to_string())?;
    let m = f.metadata().map_err(|e| e.to_string())?;
    if !m.is_file() {
        return Err(tr!("settings-journal-not-file"));
    }
    check_owner_and_mode(&m, 0o077)?;
    let mut text = Vec::new();
    f.take(MAX_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_BYTES {
        return Err(tr!("settings-journal-too-big", bytes = MAX_BYTES));
    }
    let journal: Journal = serde_json::from_slice(&text)
        .map_err(|e| tr!("settings-journal-not-json", detail = e.to_string()))?;
    let named = pid_in_name(path);
    if journal.format != FORMAT || named != Some(journal.writer.pid) {
        return Err(tr!("settings-journal-not-ours"));
    }
    for e in &journal.settings {
        if !super::allowed(&e.path) || !super::allowed(&e.turn) || !under(&e.path, &e.turn) {
            return Err(tr!("settings-journal-bad-path", path = e.path.as_str()));
        }
    }
    Ok(journal)
}

/// `path` is `turn` or inside it.
pub fn under(path: &str, turn: &str) -> bool {
    Path::new(path).starts_with(turn)
}

/// `settings-<pid>.json` → pid.
fn pid_in_name(path: &Path) -> Option<i32> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix("settings-")?
        .strip_suffix(".json")?
        .parse()
        .ok()
}

/// The journals in `dir`, by pid (an error if `dir` cannot be read; none if it does
/// not exist).
pub fn list(dir: &Path) -> std::io::Result<Vec<(i32, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    let mut found: Vec<(i32, PathBuf)> = entries
        .take(MAX_FILES)
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            pid_in_name(&path).map(|pid| (pid, path))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Removes temporary files that dead writers left between writing and renaming.
pub fn remove_stray_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.take(MAX_FILES).flatten() {
        let name = e.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix("settings-")?.strip_suffix(".json.tmp"))
            .and_then(|p| p.parse::<i32>().ok());
        if pid.is_some_and(|p| stat(p).is_none()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Process `pid` exists (for a user who may list journals but not read them).
pub fn pid_exists(pid: i32) -> bool {
    stat(pid).is_some_and(|(state, _)| !matches!(state, 'Z' | 'X'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vmlab-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        ensure_dir(&dir).unwrap();
        dir
    }

    fn entry(path: &str, original: &str) -> Entry {
        Entry {
            path: path.into(),
            original: original.into(),
            turn: "/sys/kernel/mm/ksm".into(),
        }
    }

    #[test]
    fn a_journal_round_trips_root_only_and_goes_when_empty() {
        let dir = scratch("round");
        let mut j = Journal::new(Writer::this_process().unwrap());
        j.settings.push(entry("/sys/kernel/mm/ksm/run", "0"));
        save(&dir, &j).unwrap();
        let path = path_of(&dir, j.writer.pid);
        let mode = std::fs::metadata(&path).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(load(&path).unwrap(), j);
        assert_eq!(list(&dir).unwrap(), vec![(j.writer.pid, path.clone())]);
        j.settings.clear();
        save(&dir, &j).unwrap();
        assert!(!path.exists());
        assert!(
            !dir.exists(),
            "the last journal takes its directory with it"
        );
        assert!(list(&dir).unwrap().is_empty());
        j.settings.push(entry("/sys/kernel/mm/ksm/run", "0"));
        save(&dir, &j).unwrap();
        assert!(path.exists(), "the directory comes back when needed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn untrusted_journals_are_refused() {
        let dir = scratch("refused");
        let mut j = Journal::new(Writer::this_process().unwrap());
        let path = path_of(&dir, j.writer.pid);
        j.settings.push(entry("/etc/passwd", "x"));
        save(&dir, &j).unwrap();
        assert!(load(&path).is_err(), "a file outside /sys and /proc/sys");
        j.settings = vec![entry("/sys/kernel/mm/ksm/../../../../etc/passwd", "x")];
        save(&dir, &j).unwrap();
        assert!(load(&path).is_err(), "a way out of /sys");
        j.settings = vec![entry("/sys/kernel/mm/ksm/run", "0")];
        save(&dir, &j).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load(&path).is_err(), "readable by others");
        let other = path_of(&dir, j.writer.pid + 1);
        std::fs::rename(&path, &other).unwrap();
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load(&other).is_err(), "named after another writer");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(check_dir(&dir).is_err(), "a directory others may write");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_writer_is_alive_only_while_its_process_runs() {
        let me = Writer::this_process().unwrap();
        assert_eq!(me.liveness(), Liveness::Alive);
        let reused = Writer {
            start_time: me.start_time + 1,
            ..me.clone()
        };
        assert_eq!(
            reused.liveness(),
            Liveness::Gone,
            "its pid, another process"
        );
        let rebooted = Writer {
            boot_id: "another boot".into(),
            ..me.clone()
        };
        assert_eq!(rebooted.liveness(), Liveness::OtherBoot);
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        child.wait().unwrap();
        let dead = Writer { pid, ..me };
        assert_eq!(dead.liveness(), Liveness::Gone);
        assert!(!pid_exists(pid));
    }
}
