//! The report's file: checked before any demo runs (a tour is not run for nothing),
//! and written whole or not at all. The page goes into a new file beside the
//! destination, is flushed to disk, and is renamed over it: a reader, or a crash, sees
//! the old file or the new one, never half of one.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, InputError, Result};
use crate::tr;

/// Where the report will be written.
#[derive(Clone, Debug)]
pub struct Output {
    /// The path as given, for messages.
    pub shown: PathBuf,
    /// The file replaced: the path, or what it links to.
    target: PathBuf,
}

impl Output {
    /// Checks that `path` names an HTML file vmlab can create or replace: the name
    /// ends in `.html` (or `.htm`), it is not a directory, and a file can be made in
    /// its directory (tried: a probe file is made and removed at once).
    pub fn prepare(path: &Path) -> Result<Output> {
        let bad = |why: String| -> Error {
            InputError::BadParameter {
                name: "output".into(),
                why,
            }
            .into()
        };
        let shown = path.display().to_string();
        let html = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if !html {
            return Err(bad(tr!("report-output-not-html", path = shown)));
        }
        if path.is_dir() {
            return Err(bad(tr!("report-output-is-dir", path = shown)));
        }
        // A link is followed: the file it names is replaced, the link kept.
        let target = match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::canonicalize(path).map_err(|e| write_error(path, &e))?
            }
            _ => path.to_path_buf(),
        };
        let probe = temp_beside(&target, "probe");
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
            .map_err(|e| write_error(path, &e))?;
        fs::remove_file(&probe).map_err(|e| write_error(path, &e))?;
        Ok(Output {
            shown: path.to_path_buf(),
            target,
        })
    }

    /// Writes `contents` to a new file beside the destination and renames it over the
    /// destination. Ctrl-C and SIGTERM wait until the rename is done (they are
    /// blocked meanwhile), so no half-written temp file is left behind. Returns the
    /// bytes written.
    pub fn write(&self, contents: &str) -> Result<u64> {
        use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
        let mut block = SigSet::empty();
        for s in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            block.add(s);
        }
        let mut old = SigSet::empty();
        let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&block), Some(&mut old)).is_ok();
        let written = self.replace(contents);
        if blocked {
            let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
        }
        written
    }

    fn replace(&self, contents: &str) -> Result<u64> {
        let temp = temp_beside(&self.target, "tmp");
        // An existing report keeps its permissions; a new one gets 0666 less the umask.
        let mode = fs::metadata(&self.target).map_or(0o666, |m| m.permissions().mode() & 0o7777);
        let result = (|| -> std::io::Result<()> {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(mode)
                .open(&temp)?;
            f.write_all(contents.as_bytes())?;
            f.sync_all()?;
            fs::rename(&temp, &self.target)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&temp);
            return Err(write_error(&self.shown, &e));
        }
        // The rename itself is durable once the directory is flushed; a directory that
        // cannot be opened for that is no reason to fail a report already in place.
        if let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(contents.len() as u64)
    }
}

/// `.NAME.vmlab-PID.WHAT` in the directory of `path`: hidden, and named for whoever
/// finds one after a power cut.
fn temp_beside(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = format!(".{name}.vmlab-{}.{what}", std::process::id());
    path.with_file_name(temp)
}

fn write_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vmlab-report-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_replaced_whole_and_nothing_else_is_left() {
        let dir = scratch("replace");
        let path = dir.join("r.html");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let out = Output::prepare(&path).unwrap();
        assert_eq!(listing(&dir), ["r.html"], "the probe is gone");
        assert_eq!(out.write("<p>new</p>").unwrap(), 10);
        assert_eq!(fs::read_to_string(&path).unwrap(), "<p>new</p>");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "the old file's permissions are kept");
        assert_eq!(listing(&dir), ["r.html"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_link_is_kept_and_its_file_replaced() {
        let dir = scratch("link");
        fs::write(dir.join("real.html"), "old").unwrap();
        std::os::unix::fs::symlink("real.html", dir.join("link.html")).unwrap();
        Output::prepare(&dir.join("link.html"))
            .unwrap()
            .write("new")
            .unwrap();
        assert!(
            fs::symlink_metadata(dir.join("link.html"))
                .unwrap()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(dir.join("real.html")).unwrap(), "new");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_paths_are_refused_before_anything_is_written() {
        let dir = scratch("refuse");
        let usage = |p: &Path| Output::prepare(p).unwrap_err().exit_code();
        assert_eq!(usage(&dir.join("r.txt")), 2, "not .html");
        fs::create_dir(dir.join("d.html")).unwrap();
        assert_eq!(usage(&dir.join("d.html")), 2, "a directory");
        assert_eq!(usage(&dir.join("missing/r.html")), 3, "no such directory");
        assert_eq!(listing(&dir), ["d.html"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
