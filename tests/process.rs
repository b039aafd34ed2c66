//! Every process can be inspected: names that are not UTF-8 (or hold a newline, or end
//! in spaces), a PID reused mid-read, a summary over several regions. Each test makes
//! the case on the real kernel and checks what vmlab printed against the kernel.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use common::*;
use serde_json::Value;

/// A one-page file named `name` in a fresh directory, mapped into this process.
struct OddFile {
    dir: PathBuf,
    path: PathBuf,
    map: memmap2::Mmap,
}

impl OddFile {
    fn new(tag: &str, name: &[u8]) -> OddFile {
        let dir = std::env::temp_dir().join(format!("vmlab-names-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(OsStr::from_bytes(name));
        std::fs::write(&path, vec![7u8; page_size() as usize]).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        // SAFETY: the file is ours, in a directory of our own, and nobody writes it.
        let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
        std::hint::black_box(map[0]);
        OddFile { dir, path, map }
    }

    fn va(&self) -> u64 {
        self.map.as_ptr() as u64
    }
}

impl Drop for OddFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The JSON region of a `maps --json` report starting at `va`.
fn region_at(report: &Value, va: u64) -> Value {
    report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| hex(&r["start"]) == va)
        .unwrap_or_else(|| panic!("no region at {va:#x}"))
        .clone()
}

#[test]
fn odd_file_names_are_read_as_bytes() {
    let files = [
        OddFile::new("latin1", b"caf\xe9"),
        OddFile::new("newline", b"two\nlines"),
        OddFile::new("spaces", b"ends in spaces  "),
    ];
    let report = vmlab_json(&["maps", &my_pid()]);
    for f in &files {
        let r = region_at(&report, f.va());
        let full = f.path.as_os_str().as_bytes();
        match std::str::from_utf8(full) {
            // UTF-8 names come back exactly, newline and trailing spaces included.
            Ok(text) => {
                assert_eq!(r["backing"], text);
                assert!(r.get("backing_bytes").is_none(), "{r}");
            }
            // Other names come back byte for byte.
            Err(_) => {
                let bytes: Vec<u8> = r["backing_bytes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b.as_u64().unwrap() as u8)
                    .collect();
                assert_eq!(bytes, full);
                assert!(r["backing"].as_str().unwrap().ends_with("caf\\xe9"), "{r}");
            }
        }
    }
    // The table shows each name on one line, escaped, spaces quoted.
    let o = vmlab(&["maps", &my_pid(), "--wide"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("caf\\xe9"), "{out}");
    assert!(out.contains("two\\nlines"), "{out}");
    assert!(out.contains("ends in spaces  \""), "{out}");
    // pages and translate read the same maps, and work too.
    for f in &files {
        let at = format!("{:#x}", f.va());
        let pages = vmlab_json(&["pages", &my_pid(), &format!("{at}+4K")]);
        assert_eq!(page_rows(&pages)[0]["state"], "present");
        let t = vmlab_json(&["translate", &my_pid(), &at]);
        assert_eq!(t["entry"]["state"], "present");
        // Their tables name the region on one line, escaped.
        for cmd in ["pages", "translate"] {
            let arg = if cmd == "pages" {
                format!("{at}+4K")
            } else {
                at.clone()
            };
            let o = vmlab(&[cmd, &my_pid(), &arg]);
            let out = stdout(&o);
            assert!(
                !out.contains("two\nlines") || out.contains("two\\nlines"),
                "{out}"
            );
            assert!(
                out.lines().all(|l| !l.ends_with("two")),
                "a name broke a line: {out}"
            );
        }
    }
}

#[test]
fn a_reused_pid_is_refused() {
    if skip_unless_root("giving a new process a chosen PID (ns_last_pid)") {
        return;
    }
    let first = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let pid = first.id() as i32;
    let target = vmlab::inspect::Target::resolve(&pid.to_string()).unwrap();
    let mut first = first;
    first.kill().unwrap();
    first.wait().unwrap();
    // Ask the kernel to hand out `pid` next; other processes may take it first, so try
    // a few times.
    let mut second = None;
    for _ in 0..20 {
        std::fs::write("/proc/sys/kernel/ns_last_pid", (pid - 1).to_string()).unwrap();
        let mut c = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        if c.id() as i32 == pid {
            second = Some(c);
            break;
        }
        let _ = c.kill();
        let _ = c.wait();
    }
    let Some(mut second) = second else {
        eprintln!("skipped: another process took PID {pid} each time");
        return;
    };
    let inspector = vmlab::inspect::Inspector::new();
    let err = inspector.maps(&target).unwrap_err();
    assert!(
        matches!(err, vmlab::error::Error::ProcessReplaced { pid: p } if p == pid),
        "{err}"
    );
    assert!(
        err.to_string().contains("now belongs to another process"),
        "{err}"
    );
    let plan = inspector.plan_pages(&target, None);
    assert!(plan.is_err(), "the old process's pages must not be read");
    let _ = second.kill();
    let _ = second.wait();
}

#[test]
fn a_summary_over_several_regions_says_what_it_read() {
    // Three one-page mappings with unmapped pages between them, far from where the
    // kernel puts other mappings (tests run in parallel and would fill the holes).
    let ps = page_size() as usize;
    let base = 0x3000_0000_0000usize + (std::process::id() as usize % 4096) * (1 << 24);
    for p in [0, 2, 4] {
        let at = (base + p * ps) as *mut libc::c_void;
        // SAFETY: MAP_FIXED_NOREPLACE maps only where nothing is mapped, and fails
        // otherwise; the page is written once and unmapped at the end.
        let got = unsafe {
            libc::mmap(
                at,
                ps,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
                -1,
                0,
            )
        };
        assert_eq!(got, at, "{}", std::io::Error::last_os_error());
        // SAFETY: just mapped, readable and writable.
        unsafe { *(got as *mut u8) = 1 };
    }
    let range = format!("{base:#x}+{}", 5 * ps);
    let doc = vmlab_json(&["pages", &my_pid(), &range, "--summary"]);
    let s = &doc["summary"];
    assert_eq!(s["method"], "pagemap-scan", "{s}");
    assert_eq!(s["regions"], 3, "{s}");
    assert_eq!(s["present"], 3);
    assert_eq!(s["unmapped"], 2);
    let o = vmlab(&["pages", &my_pid(), &range, "--summary"]);
    let out = stdout(&o);
    assert!(out.contains("read 3 regions with PAGEMAP_SCAN"), "{out}");
    assert!(!out.contains("nothing read"), "{out}");
    // SAFETY: the range holds only the three pages mapped above.
    unsafe { libc::munmap(base as *mut _, 5 * ps) };
}
