//! Typed errors. The library says precisely what went wrong; the `vmlab` binary turns
//! each error into one line and an exit code (see [`Error::exit_code`]).

use std::io;
use std::path::{Path, PathBuf};

/// Something the user typed that cannot be used: the fix is to type something else.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("'{input}' is not a valid address or size: {why}")]
    Malformed { input: String, why: String },

    #[error("range '{input}' is reversed: its end is below its start")]
    Reversed { input: String },

    #[error("range '{input}' is empty")]
    EmptyRange { input: String },

    #[error(
        "range '{input}' is not page-aligned (pages are {page_size} bytes); the pages that cover it are {suggestion}"
    )]
    Unaligned {
        input: String,
        page_size: u64,
        suggestion: String,
    },

    #[error(
        "'{input}' is outside user space: user addresses end at 0x{user_end:x} on this machine ({levels}-level paging)"
    )]
    OutsideUserSpace {
        input: String,
        user_end: u64,
        levels: u8,
    },

    #[error("'{input}' is not a process id: expected a number such as 4242, or 'self'")]
    BadPid { input: String },

    #[error("vm-{demo} has no --{option} option")]
    UnsupportedOption { demo: String, option: String },

    #[error("answers file, line {line} ('{text}'): {why}")]
    BadAnswers {
        line: usize,
        text: String,
        why: String,
    },

    #[error("--{name}: {why}")]
    BadParameter { name: String, why: String },
}

/// Every error the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),

    #[error("no process with pid {pid} (it may have exited already)")]
    NoSuchProcess { pid: i32 },

    #[error("process {pid} exited while vmlab was reading {what}")]
    ProcessExited { pid: i32, what: String },

    #[error("process {pid} is a kernel thread: it has no user address space to show")]
    KernelThread { pid: i32 },

    #[error("{}", pid_text("error-zombie", *.pid))]
    Zombie { pid: i32 },

    #[error("{}", pid_text("error-pid-reused", *.pid))]
    ProcessReplaced { pid: i32 },

    /// Something vmlab cannot show this user; the text says what and how to see it.
    #[error("{what}")]
    NeedsPrivilege { what: String },

    #[error("permission denied reading {path}: {hint}")]
    PermissionDenied { path: PathBuf, hint: String },

    #[error("no region of process {pid} is called '{name}'; its regions are: {available}")]
    RegionNotFound {
        pid: i32,
        name: String,
        available: String,
    },

    #[error("'{name}' names several regions of process {pid}: {candidates}; be more specific")]
    RegionAmbiguous {
        pid: i32,
        name: String,
        candidates: String,
    },

    #[error("experiment child process: {0}")]
    Child(String),

    #[error("unknown demo '{name}'; the demos are: {known}")]
    UnknownDemo { name: String, known: String },

    #[error("writing output: {0}")]
    Output(#[source] io::Error),

    #[error("{what} is not available on this kernel: {why}")]
    Unsupported { what: String, why: String },

    #[error("could not parse {path}: {detail}")]
    Malformed { path: PathBuf, detail: String },

    #[error("writing {path}: {why}")]
    Write { path: PathBuf, why: String },

    #[error("interrupted{detail}")]
    Interrupted { detail: String },

    #[error("reading {path}: {source}")]
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

/// Exit codes of every vmlab binary (documented in the README).
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
    /// Interrupted by Ctrl-C (SIGINT), as shells report it: 128 + 2. Whatever the demo
    /// had changed was put back first.
    pub const INTERRUPTED: u8 = 130;
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
            Error::Interrupted { .. } => exit::INTERRUPTED,
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
        Some(uid) if uid != me && me != 0 => format!(
            "process {pid} belongs to uid {uid} and you are uid {me}; only its owner or root may read its memory map (try sudo)"
        ),
        Some(_) if me == 0 => format!(
            "even root was refused: process {pid} may be protected by a sandbox, a Yama ptrace scope, or a security module"
        ),
        _ => "reading another process's memory map needs ptrace access to it (try sudo)".into(),
    }
}
