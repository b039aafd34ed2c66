//! Colour on a terminal: `--color auto` colours a terminal, but not one whose TERM is
//! `dumb` nor when NO_COLOR is set; `--color always` and `never` say it outright.
//! vmlab runs here with its output on a pseudo-terminal, as in a real session.

mod common;

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

use common::*;

/// A pseudo-terminal: (controller, terminal) ends.
fn pty() -> (OwnedFd, OwnedFd) {
    let (mut controller, mut terminal) = (0, 0);
    // SAFETY: openpty writes two file descriptors into the integers given; the
    // name, termios and window size pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened for us and nothing else owns them.
    unsafe {
        (
            OwnedFd::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}

/// What vmlab prints with `args` on a terminal, with `env` set.
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let (controller, terminal) = pty();
    let mut cmd = vmlab_cmd(args);
    cmd.envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::from(terminal.try_clone().unwrap()))
        .stderr(Stdio::from(terminal));
    let mut child = cmd.spawn().expect("run vmlab");
    // The command holds the terminal's only other copies: drop it, so that reading
    // ends (with EIO) once vmlab has exited.
    drop(cmd);
    let mut out = Vec::new();
    let mut reader = std::fs::File::from(controller);
    let mut buf = [0u8; 4096];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    assert!(child.wait().unwrap().success());
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let args = ["maps", "--width", "80"];
    let coloured = on_terminal(&args, &[("TERM", "xterm-256color")]);
    assert!(
        coloured.contains("\x1b["),
        "a terminal is coloured: {coloured}"
    );
    let dumb = on_terminal(&args, &[("TERM", "dumb")]);
    assert!(!dumb.contains('\x1b'), "TERM=dumb: {dumb}");
    assert!(dumb.contains("BACKING"), "{dumb}");
    let no_color = on_terminal(&args, &[("TERM", "xterm"), ("NO_COLOR", "1")]);
    assert!(!no_color.contains('\x1b'), "NO_COLOR: {no_color}");
    // Asked outright, colour comes or goes whatever TERM says.
    let always = on_terminal(&["maps", "--color", "always"], &[("TERM", "dumb")]);
    assert!(always.contains("\x1b["), "--color always: {always}");
    let never = on_terminal(&["maps", "--color", "never"], &[("TERM", "xterm")]);
    assert!(!never.contains('\x1b'), "--color never: {never}");
}

#[test]
fn a_simulator_on_a_dumb_terminal_gets_no_colour() {
    let args = ["sim", "paging", "--seed", "7", "--solve"];
    let coloured = on_terminal(&args, &[("TERM", "xterm")]);
    let dumb = on_terminal(&args, &[("TERM", "dumb")]);
    assert!(!dumb.contains('\x1b'), "TERM=dumb: {dumb}");
    if !coloured.contains("\x1b[") {
        skipped("the paging simulator prints no colour on a terminal either");
    }
}
