//! Typed errors. The library says precisely what went wrong; the `vmlab` binary turns
//! each error into one line and an exit code (see [`Error::exit_code`]).

use std::io;
use std::path::{Path, PathBuf};

use crate::tr;

/// How an error quotes what the user typed: whole when short, else its first
/// characters and its length, so that a 100 KB argument gives a one-line error.
pub fn quote(input: &str) -> String {
    const SHOWN: usize = 60;
    if input.chars().count() <= SHOWN + 20 {
        return input.to_string();
    }
    let head: String = input.chars().take(SHOWN).collect();
    tr!("error-quote-cut", head = head, bytes = input.len())
}

/// Something the user typed that cannot be used: the fix is to type something else.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("{}", tr!("error-malformed", input = quote(.input), why = .why.as_str()))]
    Malformed { input: String, why: String },

    #[error("{}", tr!("error-reversed", input = quote(.input)))]
    Reversed { input: String },

    #[error("{}", tr!("error-empty-range", input = quote(.input)))]
    EmptyRange { input: String },

    #[error("{}", tr!(
        "error-unaligned",
        input = quote(.input),
        page_size = *.page_size,
        suggestion = .suggestion.as_str()
    ))]
    Unaligned {
        input: String,
        page_size: u64,
        suggestion: String,
    },

    #[error("{}", tr!(
        "error-outside-user-space",
        input = quote(.input),
        user_end = format!("{:#x}", .user_end),
        levels = *.levels
    ))]
    OutsideUserSpace {
        input: String,
        user_end: u64,
        levels: u8,
    },

    #[error("{}", tr!("error-bad-pid", input = quote(.input)))]
    BadPid { input: String },

    #[error("{}", tr!("error-unsupported-option", demo = .demo.as_str(), option = .option.as_str()))]
    UnsupportedOption { demo: String, option: String },

    #[error("{}", tr!("error-bad-answers", line = *.line, text = quote(.text), why = .why.as_str()))]
    BadAnswers {
        line: usize,
        text: String,
        why: String,
    },

    #[error("{}", tr!("error-bad-parameter", name = .name.as_str(), why = .why.as_str()))]
    BadParameter { name: String, why: String },

    /// A message already in the output language (the simulators' input errors).
    #[error("{0}")]
    Message(String),
}

/// Every error the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),

    #[error("{}", tr!("error-no-such-process", pid = *.pid))]
    NoSuchProcess { pid: i32 },

    #[error("{}", tr!("error-process-exited", pid = *.pid, what = .what.as_str()))]
    ProcessExited { pid: i32, what: String },

    #[error("{}", tr!("error-kernel-thread", pid = *.pid))]
    KernelThread { pid: i32 },

    #[error("{}", pid_text("error-zombie", *.pid))]
    Zombie { pid: i32 },

    #[error("{}", pid_text("error-pid-reused", *.pid))]
    ProcessReplaced { pid: i32 },

    /// Something vmlab cannot show this user; the text says what and how to see it.
    #[error("{what}")]
    NeedsPrivilege { what: String },

    #[error("{}", tr!("error-permission-denied", path = .path.display().to_string(), hint = .hint.as_str()))]
    PermissionDenied { path: PathBuf, hint: String },

    #[error("{}", tr!("error-region-not-found", pid = *.pid, name = quote(.name), available = .available.as_str()))]
    RegionNotFound {
        pid: i32,
        name: String,
        available: String,
    },

    #[error("{}", tr!("error-region-ambiguous", pid = *.pid, name = quote(.name), candidates = .candidates.as_str()))]
    RegionAmbiguous {
        pid: i32,
        name: String,
        candidates: String,
    },

    #[error("{}", tr!("error-child", detail = .0.as_str()))]
    Child(String),

    #[error("{}", match .suggestion {
        Some(s) => tr!("error-unknown-demo-suggest", name = quote(.name), suggestion = s.as_str(), known = .known.as_str()),
        None => tr!("error-unknown-demo", name = quote(.name), known = .known.as_str()),
    })]
    UnknownDemo {
        name: String,
        /// A demo whose name is a likely typo of `name`.
        suggestion: Option<String>,
        known: String,
    },

    #[error("{}", tr!("error-output", detail = .0.to_string()))]
    Output(#[source] io::Error),

    #[error("{}", tr!("error-unsupported", what = .what.as_str(), why = .why.as_str()))]
    Unsupported { what: String, why: String },

    #[error("{}", tr!("error-malformed-file", path = .path.display().to_string(), detail = .detail.as_str()))]
    Malformed { path: PathBuf, detail: String },

    #[error("{}", tr!("error-write", path = .path.display().to_string(), why = .why.as_str()))]
    Write { path: PathBuf, why: String },

    #[error("{}", tr!("error-io", path = .path.display().to_string(), detail = .source.to_string()))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// A catalogue message about process `pid`.
fn pid_text(key: &'static str, pid: i32) -> String {
    let mut args = crate::i18n::Args::new();
    args.set("pid", pid);
    crate::i18n::tr(key, Some(&args))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit codes of every vmlab binary (documented in docs/exit-codes.md).
pub mod exit {
    /// Success: the command did what was asked; for a demo, no claim was contradicted.
    pub const OK: u8 = 0;
    /// A demo ran and the kernel contradicted at least one of theory's claims.
    pub const CONTRADICTED: u8 = 1;
    /// Bad input: unknown option, malformed address or range, no such process or region.
    pub const USAGE: u8 = 2;
    /// The system would not or could not answer: permission denied, a kernel feature
    /// missing, a process that vanished mid-read, an I/O error.
    pub const ENVIRONMENT: u8 = 3;

    /// What the shell reports for a run ended by a termination signal: 128 + its
    /// number (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT). vmlab puts back
    /// every system setting it had changed and dies of that same signal
    /// ([`crate::signals`]); after SIGKILL (137), the next run puts them back.
    pub const fn killed_by(signal: i32) -> u8 {
        (128 + signal) as u8
    }
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_)
            | Error::NoSuchProcess { .. }
            | Error::KernelThread { .. }
            | Error::RegionNotFound { .. }
            | Error::RegionAmbiguous { .. }
            | Error::UnknownDemo { .. } => exit::USAGE,
            Error::ProcessExited { .. }
            | Error::Zombie { .. }
            | Error::ProcessReplaced { .. }
            | Error::NeedsPrivilege { .. }
            | Error::PermissionDenied { .. }
            | Error::Unsupported { .. }
            | Error::Malformed { .. }
            | Error::Output(_)
            | Error::Child(_)
            | Error::Io { .. }
            | Error::Write { .. } => exit::ENVIRONMENT,
        }
    }

    /// Turns an I/O error on a file under `/proc/<pid>/` into the error a user can act
    /// on: the process is gone, access is denied (and why), or a plain I/O failure.
    pub fn from_proc_io(pid: i32, path: &Path, err: io::Error) -> Error {
        match err.raw_os_error() {
            Some(libc::ENOENT) | Some(libc::ESRCH) if process_gone(pid) => Error::ProcessExited {
                pid,
                what: path.display().to_string(),
            },
            Some(libc::EACCES) | Some(libc::EPERM) => Error::PermissionDenied {
                path: path.to_path_buf(),
                hint: access_hint(pid),
            },
            _ => Error::Io {
                path: path.to_path_buf(),
                source: err,
            },
        }
    }
}

/// The process has exited: its /proc directory is gone, or it is a zombie (exited,
/// not yet reaped by its parent), which has no memory left to read.
pub(crate) fn process_gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/status")) {
        Ok(status) => status
            .lines()
            .find_map(|l| l.strip_prefix("State:"))
            .is_some_and(|v| matches!(v.trim().chars().next(), Some('Z' | 'X'))),
        Err(_) => !Path::new(&format!("/proc/{pid}")).exists(),
    }
}

/// Why another process's /proc files can be closed to us, in words a student can act on.
fn access_hint(pid: i32) -> String {
    let me = nix::unistd::geteuid().as_raw();
    let owner = std::fs::metadata(format!("/proc/{pid}"))
        .ok()
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    match owner {
        Some(uid) if uid != me && me != 0 => tr!("hint-other-owner", pid = pid, uid = uid, me = me),
        Some(_) if me == 0 => tr!("hint-root-refused", pid = pid),
        _ => tr!("hint-needs-ptrace"),
    }
}
