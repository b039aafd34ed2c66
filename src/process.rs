//! A process opened once: a directory descriptor of `/proc/<pid>`, through which every
//! file of the process is read.
//!
//! A PID is only a number: when a process exits, the kernel hands the number to the
//! next process that needs one. Reading `/proc/4242/maps`, then `/proc/4242/pagemap`
//! by path can therefore read two different processes, and show the pages of the
//! second under the regions of the first. A descriptor of the `/proc/4242` directory
//! names one process for good: once that process is gone, opening anything through it
//! fails (the kernel finds no task behind it) instead of reaching a newcomer. vmlab
//! opens the directory once, notes the process's start time, and when an open fails
//! tells apart "exited", "is a zombie" and "the PID now belongs to another process".

use std::ffi::CString;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;

use crate::error::{Error, Result};

/// An open `/proc/<pid>` directory and what identifies the process behind it.
#[derive(Debug)]
pub struct ProcessHandle {
    pub pid: i32,
    dir: OwnedFd,
    /// A pidfd (Linux 5.3+): it names this process and no later one, and says whether
    /// it has been reaped. `None` where the kernel has none.
    pidfd: Option<OwnedFd>,
    /// When the process started, in clock ticks after boot (field 22 of `stat`): with
    /// the PID, what tells this process from a later one given the same number.
    pub start_time: u64,
}

/// The fields of `/proc/<pid>/stat` vmlab uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// `R`, `S`, `D`, `T`, `Z` ...
    pub state: char,
    pub start_time: u64,
}

impl Stat {
    /// Parses the text of `/proc/<pid>/stat`. The command name (field 2) is in
    /// parentheses and may itself hold spaces and parentheses, so the fields are
    /// counted from the last `)`.
    pub fn parse(text: &[u8]) -> Option<Stat> {
        let close = text.iter().rposition(|&b| b == b')')?;
        let rest = std::str::from_utf8(&text[close + 1..]).ok()?;
        let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
        // `rest` starts at field 3 (state); start time is field 22.
        Some(Stat {
            state: fields.first()?.chars().next()?,
            start_time: fields.get(19)?.parse().ok()?,
        })
    }
}

impl ProcessHandle {
    /// Opens `/proc/<pid>`. [`Error::NoSuchProcess`] when there is no such process.
    pub fn open(pid: i32) -> Result<ProcessHandle> {
        let path = PathBuf::from(format!("/proc/{pid}"));
        let dir = File::open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NoSuchProcess { pid },
            _ => Error::from_proc_io(pid, &path, e),
        })?;
        let dir = OwnedFd::from(dir);
        // SAFETY: pidfd_open(pid, 0) takes two integers and returns a new descriptor
        // (or -1), which becomes ours alone.
        let raw = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        // SAFETY: `raw` is a descriptor just returned to us, owned by nobody else.
        let pidfd = (raw >= 0).then(|| unsafe { OwnedFd::from_raw_fd(raw as i32) });
        let mut handle = ProcessHandle {
            pid,
            dir,
            pidfd,
            start_time: 0,
        };
        let stat = handle.stat().map_err(|e| match e {
            Error::ProcessExited { .. } => Error::NoSuchProcess { pid },
            e => e,
        })?;
        handle.start_time = stat.start_time;
        Ok(handle)
    }

    /// The handle of vmlab's own process.
    pub fn myself() -> Result<ProcessHandle> {
        ProcessHandle::open(std::process::id() as i32)
    }

    /// The directory descriptor, for `*at` calls.
    pub fn dir(&self) -> std::os::fd::BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.dir.as_fd()
    }

    /// The process's `stat`, read through the handle.
    pub fn stat(&self) -> Result<Stat> {
        let text = self.read("stat")?;
        Stat::parse(&text).ok_or_else(|| Error::Malformed {
            path: self.path("stat"),
            detail: "no state or start time".into(),
        })
    }

    /// `/proc/<pid>/<name>`, for messages.
    pub fn path(&self, name: &str) -> PathBuf {
        PathBuf::from(format!("/proc/{}/{name}", self.pid))
    }

    /// Opens `/proc/<pid>/<name>` through the handle: the file of this process, never
    /// of a later one with the same PID.
    pub fn open_file(&self, name: &str) -> Result<File> {
        let c = CString::new(name).map_err(|_| Error::Malformed {
            path: self.path(name),
            detail: "a NUL byte in a file name".into(),
        })?;
        // SAFETY: `dir` is an open directory descriptor we own; `c` is a NUL-terminated
        // relative name; the returned descriptor, if valid, is ours alone.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(self.explain(name, std::io::Error::last_os_error()));
        }
        // SAFETY: `fd` was just returned by openat and is owned by nobody else.
        Ok(File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// The whole of `/proc/<pid>/<name>`.
    pub fn read(&self, name: &str) -> Result<Vec<u8>> {
        let mut f = self.open_file(name)?;
        let mut out = Vec::new();
        f.read_to_end(&mut out).map_err(|e| self.explain(name, e))?;
        Ok(out)
    }

    /// Why reading `name` failed, in words a user can act on: the process exited, is a
    /// zombie, or its PID now belongs to another process; else what the I/O error says.
    pub fn explain(&self, name: &str, err: std::io::Error) -> Error {
        let path = self.path(name);
        if !matches!(err.raw_os_error(), Some(libc::ENOENT | libc::ESRCH)) {
            return Error::from_proc_io(self.pid, &path, err);
        }
        self.gone_error(&path.display().to_string())
            .unwrap_or_else(|| Error::from_proc_io(self.pid, &path, err))
    }

    /// Whether the process is still there (running, or a zombie not yet reaped):
    /// signal 0 through the pidfd, which fails once it is reaped, whoever has its PID.
    fn reaped(&self) -> Option<bool> {
        let fd = self.pidfd.as_ref()?;
        // SAFETY: pidfd_send_signal with signal 0 only checks; `fd` is our pidfd and the
        // info pointer may be null.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                fd.as_raw_fd(),
                0,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            )
        };
        Some(rc != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH))
    }

    /// What became of the process, if it is no longer there to read: `None` while it
    /// still runs. A reused PID is told apart by the pidfd, else by the start time
    /// (which has only clock-tick resolution).
    pub fn gone_error(&self, what: &str) -> Option<Error> {
        let pid = self.pid;
        let now = std::fs::read(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|t| Stat::parse(&t));
        let reaped = self.reaped();
        match now {
            None => Some(Error::ProcessExited {
                pid,
                what: what.to_string(),
            }),
            Some(_) if reaped == Some(true) => Some(Error::ProcessReplaced { pid }),
            Some(s) if reaped.is_none() && s.start_time != self.start_time => {
                Some(Error::ProcessReplaced { pid })
            }
            Some(s) if matches!(s.state, 'Z' | 'X') => Some(Error::Zombie { pid }),
            Some(_) => None,
        }
    }

    /// [`Error::Zombie`] if the process has exited and waits to be reaped.
    pub fn check_not_zombie(&self) -> Result<()> {
        match self.stat()?.state {
            'Z' | 'X' => Err(Error::Zombie { pid: self.pid }),
            _ => Ok(()),
        }
    }
}

impl PartialEq for ProcessHandle {
    fn eq(&self, other: &Self) -> bool {
        self.pid == other.pid && self.start_time == other.start_time
    }
}

impl Eq for ProcessHandle {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_from_the_last_parenthesis() {
        let text = b"4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 10 18446744073709551615";
        let s = Stat::parse(text).unwrap();
        assert_eq!(s.state, 'S');
        assert_eq!(s.start_time, 98765);
        assert_eq!(Stat::parse(b"garbage"), None);
    }

    #[test]
    fn own_files_read_through_the_handle() {
        let me = ProcessHandle::myself().unwrap();
        assert!(me.start_time > 0);
        let comm = me.read("comm").unwrap();
        assert!(!comm.is_empty());
        assert!(me.gone_error("x").is_none());
        assert!(matches!(
            ProcessHandle::open(i32::MAX),
            Err(Error::NoSuchProcess { .. })
        ));
    }
}
