//! Putting back what a dead run left changed, from its journal.

use std::path::Path;
use std::time::{Duration, Instant};

use super::journal::{self, Journal, Liveness};
use super::{REPORTS, Setting, lock, lock_ignoring_poison, setting_list};
use crate::tr;

/// How long a starting binary waits, in all, for the turns of dead runs' settings
/// held by a live program (a run of another vmlab version, which keeps no journal):
/// about the longest a demo keeps a setting changed.
const STARTUP_PATIENCE: Duration = Duration::from_secs(10);
/// How long to wait for the journal directory's lock, held only while a journal is
/// read and rewritten.
const DIRECTORY_PATIENCE: Duration = Duration::from_secs(5);

/// What was done with one journal, for the binary to say on stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// A run that is gone had left these settings changed; they are back.
    Restored {
        pid: i32,
        program: String,
        settings: Vec<Setting>,
    },
    /// One could not be written back; the journal keeps it for a later run.
    Failed {
        pid: i32,
        setting: Setting,
        why: String,
        journal: String,
    },
    /// A journal from before the last boot, removed: the reboot reset the settings.
    Stale { pid: i32, program: String },
    /// Another program has the turn for these settings now; left for a later run.
    Busy { pid: i32, turn: String },
    /// A file or directory vmlab will not trust, left as it is.
    Untrusted { path: String, why: String },
    /// A dead run's journal, seen by a user who may not read or repair it.
    NeedsRoot { pid: i32 },
}

impl Recovery {
    /// One sentence, in the chosen language.
    pub fn message(&self) -> String {
        match self {
            Recovery::Restored {
                pid,
                program,
                settings,
            } => {
                let list = setting_list(settings.iter().map(|s| (&s.path, &s.value)));
                tr!(
                    "settings-recovered",
                    pid = *pid,
                    program = program.as_str(),
                    settings = list
                )
            }
            Recovery::Failed {
                pid,
                setting,
                why,
                journal,
            } => tr!(
                "settings-recover-failed",
                pid = *pid,
                path = setting.path.as_str(),
                value = setting.value.as_str(),
                why = why.as_str(),
                journal = journal.as_str()
            ),
            Recovery::Stale { pid, program } => {
                tr!(
                    "settings-recover-stale",
                    pid = *pid,
                    program = program.as_str()
                )
            }
            Recovery::Busy { pid, turn } => {
                tr!("settings-recover-busy", pid = *pid, turn = turn.as_str())
            }
            Recovery::Untrusted { path, why } => {
                tr!(
                    "settings-recover-untrusted",
                    path = path.as_str(),
                    why = why.as_str()
                )
            }
            Recovery::NeedsRoot { pid } => tr!("settings-recover-needs-root", pid = *pid),
        }
    }
}

/// At the start of every vmlab binary: puts back what every dead run's journal names
/// (as root), or says that a dead run's journal waits for root (otherwise).
pub fn recover() -> Vec<Recovery> {
    let dir = Path::new(journal::DIR);
    if !nix::unistd::geteuid().is_root() {
        // The directory may be listed, its journals not read.
        let found = journal::list(dir).unwrap_or_default();
        return found
            .into_iter()
            .filter(|(pid, _)| !journal::pid_exists(*pid))
            .map(|(pid, _)| Recovery::NeedsRoot { pid })
            .collect();
    }
    recover_in(dir, None, STARTUP_PATIENCE)
}

/// What was repaired when a run got its turn (see [`super::Changes::take`]), once.
pub fn take_reports() -> Vec<Recovery> {
    std::mem::take(&mut *lock_ignoring_poison(&REPORTS))
}

/// Repairs the journals in `dir` whose writer is gone; with `held`, only those that
/// name that turn, which the caller holds. Waits at most `patience` in all for turns
/// held by others.
pub(super) fn recover_in(dir: &Path, held: Option<&str>, patience: Duration) -> Vec<Recovery> {
    let deadline = Instant::now() + patience;
    let found = match journal::list(dir) {
        Ok(found) => found,
        Err(e) => {
            let path = dir.display().to_string();
            return vec![Recovery::Untrusted {
                path,
                why: e.to_string(),
            }];
        }
    };
    if found.is_empty() {
        return Vec::new();
    }
    if let Err(why) = journal::check_dir(dir) {
        let path = dir.display().to_string();
        return vec![Recovery::Untrusted { path, why }];
    }
    journal::remove_stray_temporaries(dir);
    // This process's own journal is among them once it has changed something: its
    // writer is alive, so it is skipped (a dead run that had our pid is not).
    found
        .into_iter()
        .flat_map(|(_, path)| {
            let left = deadline.saturating_duration_since(Instant::now());
            recover_one(dir, &path, held, left)
        })
        .collect()
}

fn recover_one(dir: &Path, path: &Path, held: Option<&str>, patience: Duration) -> Vec<Recovery> {
    let j = match journal::load(path) {
        Ok(j) => j,
        Err(why) => {
            let path = path.display().to_string();
            return vec![Recovery::Untrusted { path, why }];
        }
    };
    let mut turns: Vec<String> = j.settings.iter().map(|e| e.turn.clone()).collect();
    turns.sort();
    turns.dedup();
    if held.is_some_and(|h| !turns.iter().any(|t| t == h)) {
        return Vec::new();
    }
    match j.writer.liveness() {
        Liveness::Alive => return Vec::new(),
        Liveness::OtherBoot => {
            let _ = std::fs::remove_file(path);
            journal::remove_dir_if_empty(dir);
            let (pid, program) = (j.writer.pid, j.writer.program);
            return vec![Recovery::Stale { pid, program }];
        }
        Liveness::Gone => {}
    }
    // The turns of its settings, each locked for the writing (the one held already
    // excepted), kept until the journal is rewritten.
    let (mut locks, mut busy) = (Vec::new(), Vec::new());
    for t in turns.into_iter().filter(|t| Some(t.as_str()) != held) {
        match lock(Path::new(&t), patience) {
            Some(l) => locks.push(l),
            None => busy.push(t),
        }
    }
    // Another run may have repaired it meanwhile: read it again, under the lock of
    // the directory, which every repair holds while it rewrites a journal.
    let Some(_directory) = lock(dir, DIRECTORY_PATIENCE) else {
        return Vec::new();
    };
    let repaired = match journal::load(path) {
        Ok(j) => put_back(dir, path, j, &busy),
        Err(_) => Vec::new(),
    };
    drop(locks);
    repaired
}

/// Writes back a dead run's settings, last changed first, but those under a `busy`
/// turn; keeps in its journal what is not back.
fn put_back(dir: &Path, path: &Path, mut j: Journal, busy: &[String]) -> Vec<Recovery> {
    let (pid, program) = (j.writer.pid, j.writer.program.clone());
    let journal_path = path.display().to_string();
    let (mut back, mut keep, mut events) = (Vec::new(), Vec::new(), Vec::new());
    for e in j.settings.iter().rev() {
        if busy.contains(&e.turn) {
            keep.push(e.clone());
            continue;
        }
        let setting = Setting {
            path: e.path.clone(),
            value: e.original.clone(),
        };
        match std::fs::write(&e.path, &e.original) {
            Ok(()) => back.push(setting),
            Err(err) => {
                events.push(Recovery::Failed {
                    pid,
                    setting,
                    why: err.to_string(),
                    journal: journal_path.clone(),
                });
                keep.push(e.clone());
            }
        }
    }
    keep.reverse();
    j.settings = keep;
    // Should this fail, a later run writes the same values again: no harm.
    let _ = journal::save(dir, &j);
    if !back.is_empty() {
        events.insert(
            0,
            Recovery::Restored {
                pid,
                program,
                settings: back,
            },
        );
    }
    let mut busy = busy.to_vec();
    busy.dedup();
    events.extend(busy.into_iter().map(|turn| Recovery::Busy { pid, turn }));
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::journal::{Entry, Writer};
    use std::os::unix::fs::PermissionsExt;

    /// The pid of a process that has exited and been reaped.
    fn dead_pid() -> i32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        child.wait().unwrap();
        pid
    }

    fn journal(writer: Writer) -> Journal {
        let mut j = Journal::new(writer);
        j.settings.push(Entry {
            path: "/sys/kernel/mm/ksm/run".into(),
            original: "0".into(),
            turn: "/sys/kernel/mm/ksm".into(),
        });
        j
    }

    /// Nothing here writes a setting: a live writer's journal, one from another boot,
    /// an untrusted file, and a dead writer whose turn another holder has (this test).
    #[test]
    fn only_dead_writers_whose_turn_is_free_are_put_back() {
        let Some(_turn) = lock(Path::new("/sys/kernel/mm/ksm"), Duration::ZERO) else {
            eprintln!("skipped: no KSM directory to hold, or another run has its turn");
            return;
        };
        let dir = std::env::temp_dir().join(format!("vmlab-recover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        journal::ensure_dir(&dir).unwrap();
        let me = Writer::this_process().unwrap();
        let (stale, busy, odd) = (dead_pid(), dead_pid(), dead_pid());
        journal::save(&dir, &journal(me.clone())).unwrap();
        let other_boot = Writer {
            pid: stale,
            boot_id: "another boot".into(),
            ..me.clone()
        };
        journal::save(&dir, &journal(other_boot)).unwrap();
        journal::save(
            &dir,
            &journal(Writer {
                pid: busy,
                ..me.clone()
            }),
        )
        .unwrap();
        journal::save(
            &dir,
            &journal(Writer {
                pid: odd,
                ..me.clone()
            }),
        )
        .unwrap();
        let odd_path = journal::path_of(&dir, odd);
        std::fs::set_permissions(&odd_path, std::fs::Permissions::from_mode(0o644)).unwrap();

        let events = recover_in(&dir, None, Duration::from_millis(50));
        let kept = |pid| journal::path_of(&dir, pid).exists();
        let (mine, stale_kept, busy_kept, odd_kept) =
            (kept(me.pid), kept(stale), kept(busy), kept(odd));
        std::fs::remove_dir_all(&dir).unwrap();

        assert!(events.contains(&Recovery::Stale {
            pid: stale,
            program: me.program.clone()
        }));
        let turn = "/sys/kernel/mm/ksm".to_string();
        assert!(
            events.contains(&Recovery::Busy { pid: busy, turn }),
            "{events:?}"
        );
        assert!(
            events.iter().any(
                |e| matches!(e, Recovery::Untrusted { path, .. } if path.contains(&odd.to_string()))
            ),
            "{events:?}"
        );
        assert_eq!(events.len(), 3, "nothing about the live writer: {events:?}");
        assert!(mine && busy_kept && odd_kept, "kept for later");
        assert!(!stale_kept, "a journal from another boot is removed");
    }
}
