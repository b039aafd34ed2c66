//! The front door shared by every binary (`vmlab` and the `vm-*` demos): colour
//! choice, the error line and exit code, and the whole `main` of a demo binary.
//! This is the one module of the library that prints; everything it prints comes
//! from the records the rest of the library returns. Here: what every binary does at
//! start and end; `demo` runs demos, the tour and the report; `sim` the simulators
//! and the OSTEP scripts.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

mod demo;
mod sim;

pub use demo::*;
pub use sim::*;

use crate::error::{Error, Result, exit};
use crate::render::{Palette, Screen};

/// `--color auto|always|never`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless NO_COLOR is set or TERM is `dumb`.
    #[default]
    Auto,
    /// Always colour, also into a pipe or a file.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    pub fn palette(self) -> Palette {
        let enabled = match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // A terminal that says it is dumb shows escape codes as junk.
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                    && io::stdout().is_terminal()
            }
        };
        Palette { enabled }
    }
}

/// The screen output goes to: colours from `color`, and the width `--width` asks for,
/// else `COLUMNS`, else the terminal's, else [`Screen::DEFAULT_WIDTH`].
pub fn screen(color: ColorChoice, width: Option<u16>, wide: bool) -> Screen {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let terminal = terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| w.0 as usize);
    let width = width
        .map(usize::from)
        .or(columns)
        .or(terminal)
        .unwrap_or(Screen::DEFAULT_WIDTH);
    Screen {
        wide,
        ..Screen::new(color.palette(), width)
    }
}

/// Chooses the language before anything is printed, `--help` included: `--lang X`
/// (or `--lang=X`) from the command line, else the environment (see
/// [`crate::i18n::Lang::from_env`]). clap parses `--lang` again, to refuse bad values.
pub fn choose_language() -> crate::i18n::Lang {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let flag = args.iter().enumerate().find_map(|(i, a)| {
        let value = match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1)?.as_str(),
            Some(v) => v.strip_prefix('=')?,
            None => return None,
        };
        <crate::i18n::Lang as ValueEnum>::from_str(value, true).ok()
    });
    crate::i18n::choose(flag)
}

/// What every binary does first, once its language is chosen: catch the termination
/// signals (so that a system setting a demo changes is put back whatever ends the
/// run), then put back what a killed earlier run left changed, saying so on stderr.
pub fn start() {
    crate::signals::install();
    report_repairs(crate::settings::recover());
}

/// One `note:` line on stderr for each journal of a dead run found and dealt with.
fn report_repairs(repairs: Vec<crate::settings::Recovery>) {
    for r in repairs {
        eprintln!("{}", crate::tr!("note", text = r.message()));
    }
}

/// Ends a binary: exit code from the result; errors as one `error:` line and
/// `caused by:` lines; a closed output pipe (`| head`) counts as success.
pub fn finish(result: Result<u8>) -> ExitCode {
    // A demo that waited for its turn at a setting may have found a killed run's
    // leftovers there, and put them back first.
    report_repairs(crate::settings::take_reports());
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let message = e.to_string();
            eprintln!("{}", crate::tr!("error-line", message = message.as_str()));
            // A cause the message already quotes is not worth a second line.
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                let text = cause.to_string();
                if !message.contains(&text) {
                    eprintln!("{}", crate::tr!("error-caused-by", cause = text));
                }
                source = cause.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Parses arguments; on `--help`/`--version` prints and exits 0, on bad usage prints
/// clap's message and exits 2.
pub fn parse_or_exit<T: Parser>() -> std::result::Result<T, ExitCode> {
    T::try_parse().map_err(clap_exit)
}

/// The end of a run that clap finished: `--help` and `--version` printed (exit 0, or 3
/// when the output could not be written: a full disk, a closed descriptor), or a usage
/// error (exit 2).
pub fn clap_exit(e: clap::Error) -> ExitCode {
    let printed = e.print();
    if e.use_stderr() {
        return ExitCode::from(exit::USAGE);
    }
    // clap writes --help through a buffered stdout, which reports nothing when the
    // descriptor is closed; flush and check it here.
    let flushed = printed.and_then(|_| io::stdout().flush());
    match flushed {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => finish(Err(Error::Output(err))),
    }
}

/// Refuses to start when standard output was closed (`vmlab tour >&-`), instead of
/// printing into nothing. Exit 3, as for any output that cannot be written.
///
/// Rust's runtime, before `main`, reopens a closed standard descriptor on `/dev/null`,
/// read-write, so the closed descriptor itself is never seen. A shell's `>/dev/null`
/// opens it write-only; so a read-write `/dev/null` on descriptor 1 is the runtime's
/// stand-in for a closed output.
pub fn require_stdout() -> std::result::Result<(), ExitCode> {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    let stdout = io::stdout();
    let mode = fcntl(&stdout, FcntlArg::F_GETFL).map(OFlag::from_bits_truncate);
    let null = std::fs::metadata("/dev/null").ok();
    let target = nix::sys::stat::fstat(&stdout).ok();
    let on_null = match (null, target) {
        (Some(n), Some(t)) => {
            use std::os::unix::fs::MetadataExt;
            t.st_rdev == n.rdev() && t.st_mode & libc::S_IFMT == libc::S_IFCHR
        }
        _ => false,
    };
    let read_write = mode.is_ok_and(|m| m & OFlag::O_ACCMODE == OFlag::O_RDWR);
    if mode.is_err() || (on_null && read_write) {
        let closed = io::Error::from_raw_os_error(libc::EBADF);
        return Err(finish(Err(Error::Output(closed))));
    }
    Ok(())
}

/// `note: ...` on stderr, wrapped to the screen: what this user cannot see, and how
/// to see it. Every command says it this way.
pub fn notice(text: &str, screen: Screen) {
    let note = crate::tr!("note", text = text);
    for line in crate::render::text::wrap(&note, screen.width) {
        eprintln!("{}", screen.palette.warn(&line));
    }
}
