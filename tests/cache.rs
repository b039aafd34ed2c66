//! `vmlab cache` against the page cache as the test reads it itself: mincore for which
//! pages are cached, its own mapping and pagemap for their frames, kpageflags for their
//! flags.

mod common;

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

use common::*;

/// A file of `pages` pages, written, synced, and then the odd pages dropped from the
/// page cache (POSIX_FADV_DONTNEED on clean pages does drop them).
fn half_cached(name: &str, pages: usize) -> (PathBuf, File) {
    let ps = page_size() as usize;
    let dir = std::env::temp_dir().join(format!("vmlab-cache-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data");
    std::fs::write(&path, vec![0x5au8; pages * ps]).unwrap();
    let f = File::open(&path).unwrap();
    f.sync_all().unwrap();
    for p in (1..pages).step_by(2) {
        // SAFETY: advice on our own open file.
        unsafe {
            libc::posix_fadvise(
                std::os::fd::AsRawFd::as_raw_fd(&f),
                (p * ps) as i64,
                ps as i64,
                libc::POSIX_FADV_DONTNEED,
            )
        };
    }
    (path, f)
}

/// The file's cached pages, by the test's own mincore.
fn cached_pages(f: &File, pages: usize) -> Vec<bool> {
    let ps = page_size() as usize;
    // SAFETY: a read-only shared mapping of our own file, never read through.
    let map = unsafe { memmap2::Mmap::map(f) }.unwrap();
    let mut vec = vec![0u8; pages];
    // SAFETY: `map` is `pages` pages long and `vec` has a byte for each.
    assert_eq!(
        unsafe { libc::mincore(map.as_ptr() as *mut _, pages * ps, vec.as_mut_ptr()) },
        0
    );
    vec.iter().map(|b| b & 1 == 1).collect()
}

/// The indices of the pages vmlab's runs cover.
fn run_pages(file: &serde_json::Value) -> Vec<u64> {
    let mut out = Vec::new();
    for r in file["runs"].as_array().unwrap() {
        let (i, n) = (r["index"].as_u64().unwrap(), r["pages"].as_u64().unwrap());
        out.extend(i..i + n);
    }
    out
}

#[test]
fn cache_shows_the_pages_mincore_shows() {
    let (path, f) = half_cached("pages", 32);
    let doc = vmlab_json(&["cache", path.to_str().unwrap()]);
    let file = &doc["files"][0];
    assert_eq!(file["path"], path.to_str().unwrap());
    assert_eq!(file["pages"], 32);
    let mine = cached_pages(&f, 32);
    let expected: Vec<u64> = (0..32).filter(|&p| mine[p as usize]).collect();
    assert_eq!(run_pages(file), expected);
    assert_eq!(file["cached"], expected.len() as u64);
    if let Some(stat) = file["stat"].as_object() {
        assert_eq!(stat["cached"], expected.len() as u64, "cachestat agrees");
    }
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn cache_frames_are_the_kernels() {
    if skip_unless_root("frame numbers of the page cache") {
        return;
    }
    let (path, f) = half_cached("frames", 16);
    let doc = vmlab_json(&["cache", path.to_str().unwrap()]);
    // The test maps the file too, touches the cached pages, and reads its pagemap.
    let ps = page_size() as usize;
    // SAFETY: a read-only shared mapping of our own file.
    let map = unsafe { memmap2::Mmap::map(&f) }.unwrap();
    let mine = cached_pages(&f, 16);
    let kf = File::open("/proc/kpageflags").unwrap();
    for r in doc["files"][0]["runs"].as_array().unwrap() {
        let (i, n) = (
            r["index"].as_u64().unwrap() as usize,
            r["pages"].as_u64().unwrap() as usize,
        );
        for p in i..i + n {
            assert!(mine[p]);
            std::hint::black_box(map[p * ps]);
            let pfn = pfn_of(own_pagemap_entry(map.as_ptr() as u64 + (p * ps) as u64));
            assert_eq!(pfn, hex(&r["pfn"]) + (p - i) as u64, "page {p}");
        }
        let pfn = hex(&r["pfn"]);
        let mut b = [0u8; 8];
        kf.read_exact_at(&mut b, pfn * 8).unwrap();
        let names = r["names"].as_array().unwrap();
        // A page-cache page: up to date, not anonymous.
        assert_eq!(
            u64::from_ne_bytes(b) & (1 << 3) != 0,
            names.contains(&"UPTODATE".into())
        );
        assert!(!names.contains(&"ANON".into()));
    }
    // A directory: its files, links not followed.
    let dir = path.parent().unwrap();
    std::os::unix::fs::symlink(&path, dir.join("link")).unwrap();
    std::fs::write(dir.join("other"), b"x").unwrap();
    let all = vmlab_json(&["cache", dir.to_str().unwrap(), "--summary"]);
    assert_eq!(all["summary"]["files"], 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cache_unprivileged_says_what_the_kernel_will_not_tell() {
    let (path, _f) = half_cached("unpriv", 4);
    // Readable by anyone, owned by whoever runs the tests.
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    if is_root() {
        let Some(o) = run_unprivileged(VMLAB, &["cache", path.to_str().unwrap()]) else {
            return;
        };
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("only to its owner"), "{out}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cache_of_a_missing_file_prints_nothing_before_its_error() {
    for json in [false, true] {
        let mut args = vec!["cache", "/nonexistent/vmlab-test"];
        if json {
            args.push("--json");
        }
        let o = vmlab(&args);
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        assert_eq!(stdout(&o), "", "json={json}");
        assert!(
            stderr(&o).contains("/nonexistent/vmlab-test"),
            "{}",
            stderr(&o)
        );
    }
}
