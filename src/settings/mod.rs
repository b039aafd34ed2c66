//! System settings a demo changes for a moment (a knob under /sys, a sysctl under
//! /proc/sys), and the guarantee that they go back as they were, whatever ends the run.
//!
//! - **Journal first.** Before a setting is changed, its original value is written to
//!   a journal that outlives the process ([`journal`]: `/run/vmlab/settings-<pid>.json`,
//!   root-only, naming its writer by pid, start time and boot).
//! - **Put back on every way out.** [`Changes`] writes every original back when it is
//!   dropped (a normal end, an error, a panic). A termination signal (INT, TERM, HUP,
//!   QUIT) writes them back from the handler ([`crate::signals`]), which reads the
//!   copy kept for it in fixed, signal-safe memory (`armed.rs`).
//! - **Repaired after the fact.** SIGKILL, a crash or a power cut leave the journal
//!   behind. Every vmlab binary, when it starts ([`recover`]), writes back the values of
//!   every journal whose writer is gone, and says so.
//! - **Runs take turns.** A [`Changes`] holds an flock on its *turn*, the directory
//!   (or file) that holds its settings, for as long as they are changed, and every
//!   setting it changes lies under it. Having got its turn, it first puts back what a
//!   dead run left changed there, so it never reads leftovers as the originals;
//!   recovery too takes the turn before writing, so it never writes under a live run.
//!   The flock goes with the process, so a killed run never blocks the next.
//!
//! A demo that changes a setting: `Changes::take(turn)`, then `set` each setting,
//! then `restore` (or let it drop).

mod armed;
pub mod journal;
mod recover;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tr;
use journal::{Entry, Journal, Writer};

pub use armed::put_back_for_signal;
use recover::recover_in;
pub use recover::{Recovery, recover, take_reports};

/// A setting: its file, and a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub path: String,
    pub value: String,
}

/// The settings vmlab may change: files under /sys or /proc/sys, by a plain path.
pub fn allowed(path: &str) -> bool {
    (path.starts_with("/sys/") || path.starts_with("/proc/sys/"))
        && path.len() < armed::PATH_MAX
        && !path.chars().any(char::is_control)
        && Path::new(path).components().all(|c| {
            matches!(
                c,
                std::path::Component::RootDir | std::path::Component::Normal(_)
            )
        })
}

/// A setting's current value, as it can be written back: trimmed, and for a file that
/// lists choices with the current one in brackets (`always [madvise] never`), that one.
pub fn read(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    Ok(writable_form(&text))
}

fn writable_form(text: &str) -> String {
    let chosen = text
        .split_whitespace()
        .find_map(|w| w.strip_prefix('[')?.strip_suffix(']'));
    chosen.unwrap_or(text.trim()).to_string()
}

/// This process's journal as last written (`None` until a first change).
static JOURNAL: Mutex<Option<Journal>> = Mutex::new(None);
/// What was repaired when a [`Changes`] got its turn, for the binary to print.
static REPORTS: Mutex<Vec<Recovery>> = Mutex::new(Vec::new());

/// Settings changed together under one turn; every original goes back when this is
/// restored or dropped.
pub struct Changes {
    turn: String,
    _lock: Flock<File>,
    /// The originals, in the order the settings were first changed.
    changed: Vec<Setting>,
}

impl Changes {
    /// Waits up to `patience` for the turn on `turn` (a directory under /sys or
    /// /proc/sys; `None` if another run kept it), then puts back what a dead run left
    /// changed under it. Fails if the journal cannot be kept: nothing is changed
    /// without one.
    pub fn take(turn: &Path, patience: Duration) -> Result<Option<Changes>> {
        let turn = checked(turn)?;
        let dir = Path::new(journal::DIR);
        journal::ensure_dir(dir).map_err(|why| Error::Write {
            path: dir.into(),
            why,
        })?;
        let Some(lock) = lock(Path::new(&turn), patience) else {
            return Ok(None);
        };
        let repaired = recover_in(dir, Some(&turn), Duration::ZERO);
        lock_ignoring_poison(&REPORTS).extend(repaired);
        Ok(Some(Changes {
            turn,
            _lock: lock,
            changed: Vec::new(),
        }))
    }

    /// Sets `path` to `value`, having journalled its original value first (on its
    /// first change only: the original is what it was before this group).
    pub fn set(&mut self, path: &Path, value: &str) -> Result<()> {
        let p = checked(path)?;
        if !journal::under(&p, &self.turn) || value.len() >= armed::VALUE_MAX {
            return Err(not_a_setting(path));
        }
        if !self.changed.iter().any(|s| s.path == p) {
            let original = read(path)?;
            remember(&p, &original, &self.turn)?;
            self.changed.push(Setting {
                path: p,
                value: original,
            });
        }
        std::fs::write(path, value).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })
    }

    /// Writes every original back, the last changed first; returns them, in that
    /// order. One that cannot be written back stays journalled (and a later run
    /// tries again); the first such error is returned.
    pub fn restore(mut self) -> Result<Vec<Setting>> {
        self.put_back()
    }

    fn put_back(&mut self) -> Result<Vec<Setting>> {
        let mut back = Vec::new();
        let mut failed = None;
        while let Some(s) = self.changed.pop() {
            match std::fs::write(&s.path, &s.value) {
                Ok(()) => {
                    forget(&s.path);
                    back.push(s);
                }
                Err(source) => {
                    failed.get_or_insert(Error::Io {
                        path: PathBuf::from(&s.path),
                        source,
                    });
                }
            }
        }
        failed.map_or(Ok(back), Err)
    }
}

impl Drop for Changes {
    fn drop(&mut self) {
        let _ = self.put_back();
    }
}

fn lock_ignoring_poison<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn checked(path: &Path) -> Result<String> {
    path.to_str()
        .filter(|p| allowed(p))
        .map(str::to_string)
        .ok_or_else(|| not_a_setting(path))
}

fn not_a_setting(path: &Path) -> Error {
    Error::Write {
        path: path.into(),
        why: tr!("settings-not-a-setting"),
    }
}

/// Journals `path`'s original value and arms the handler's copy, before the change.
fn remember(path: &str, original: &str, turn: &str) -> Result<()> {
    let dir = Path::new(journal::DIR);
    let mut guard = lock_ignoring_poison(&JOURNAL);
    if guard.is_none() {
        let writer = Writer::this_process().map_err(|why| Error::Write {
            path: dir.into(),
            why,
        })?;
        // A dead run that had our pid, and whose journal could not be repaired yet:
        // writing ours would lose it.
        let file = journal::path_of(dir, writer.pid);
        if file.exists() {
            let why = tr!("settings-journal-taken");
            return Err(Error::Write { path: file, why });
        }
        *guard = Some(Journal::new(writer));
    }
    let j = guard.as_mut().expect("set just above");
    armed::update(|| {
        j.settings.push(Entry {
            path: path.into(),
            original: original.into(),
            turn: turn.into(),
        });
        let saved = journal::save(dir, j).map_err(|e| e.to_string());
        let armed = saved.and_then(|()| {
            armed::arm(path, original)
                .then_some(())
                .ok_or_else(|| tr!("settings-too-many", max = armed::SLOTS))
        });
        if let Err(why) = armed {
            j.settings.pop();
            let _ = journal::save(dir, j);
            let file = journal::path_of(dir, j.writer.pid);
            return Err(Error::Write { path: file, why });
        }
        prepare_lines(j);
        Ok(())
    })
}

/// Takes a setting that is back as it was out of the journal and the handler's copy.
fn forget(path: &str) {
    let dir = Path::new(journal::DIR);
    let mut guard = lock_ignoring_poison(&JOURNAL);
    let Some(j) = guard.as_mut() else {
        return;
    };
    armed::update(|| {
        armed::disarm(path);
        j.settings.retain(|e| e.path != path);
        // Should the rewrite fail, the journal names a setting already back: a later
        // run writes the same value again, which changes nothing.
        let _ = journal::save(dir, j);
        prepare_lines(j);
    });
}

/// The lines the handler prints, one per caught signal, for the settings now
/// journalled (listed in the order they go back).
fn prepare_lines(j: &Journal) {
    let list = setting_list(j.settings.iter().rev().map(|e| (&e.path, &e.original)));
    let lines = crate::signals::CAUGHT.map(|s| {
        let message = tr!(
            "settings-signal-restored",
            signal = s.as_str(),
            settings = list.as_str()
        );
        tr!("error-line", message = message)
    });
    let file = journal::path_of(Path::new(journal::DIR), j.writer.pid);
    let file = file.to_string_lossy();
    let failed = tr!("settings-signal-failed", journal = file.as_ref());
    armed::prepare(&file, lines, &failed);
}

/// `path=value, path=value`.
fn setting_list<'a>(settings: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let list: Vec<String> = settings.map(|(p, v)| format!("{p}={v}")).collect();
    list.join(", ")
}

/// Waits up to `patience` for an exclusive flock on `path`.
fn lock(path: &Path, patience: Duration) -> Option<Flock<File>> {
    let deadline = Instant::now() + patience;
    let mut file = File::open(path).ok()?;
    loop {
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => return Some(lock),
            Err((back, nix::errno::Errno::EWOULDBLOCK)) if Instant::now() < deadline => {
                file = back;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_sys_and_proc_sys_are_settings() {
        assert!(allowed("/sys/kernel/mm/ksm/run"));
        assert!(allowed("/proc/sys/vm/overcommit_memory"));
        for bad in [
            "/etc/passwd",
            "sys/kernel/mm/ksm/run",
            "/sys/kernel/../../etc/passwd",
            "/proc/self/mem",
            "/sys/kernel/mm/ksm/run\n",
        ] {
            assert!(!allowed(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_value_written_back_is_the_one_chosen() {
        assert_eq!(writable_form("always [madvise] never\n"), "madvise");
        assert_eq!(writable_form("100\n"), "100");
        assert_eq!(writable_form("4\t4\t1\t7\n"), "4\t4\t1\t7");
    }
}
