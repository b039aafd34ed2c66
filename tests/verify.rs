//! `maps --verify` against smaps and against the test's own sums over pagemap and
//! kpagecount; `--freeze` stops and always resumes the target.

mod common;

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Mutex;
use std::time::Duration;

use common::*;

/// One fork of this test process at a time: a child forked by another test shares the
/// pages a test wrote with its own child, and changes their map count between smaps
/// and kpagecount.
static FORKS: Mutex<()> = Mutex::new(());

fn state(pid: i32) -> char {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &s[s.rfind(')').unwrap() + 2..];
    after.chars().next().unwrap()
}

/// Σ page size / map count over the present, non-zero pages of `[va, va+len)` of
/// process `pid`, as the kernel's Pss sums it, read here.
fn pss_of(pid: i32, va: u64, len: u64) -> u64 {
    let pm = File::open(format!("/proc/{pid}/pagemap")).unwrap();
    let kc = File::open("/proc/kpagecount").unwrap();
    let kf = File::open("/proc/kpageflags").unwrap();
    let ps = page_size();
    let mut b = [0u8; 8];
    let mut total = 0u128;
    for p in 0..len / ps {
        pm.read_exact_at(&mut b, (va / ps + p) * 8).unwrap();
        let e = u64::from_ne_bytes(b);
        if e >> 63 == 0 {
            continue;
        }
        kf.read_exact_at(&mut b, pfn_of(e) * 8).unwrap();
        if u64::from_ne_bytes(b) & (1 << 24) != 0 {
            continue; // the zero page: not in Rss or Pss
        }
        kc.read_exact_at(&mut b, pfn_of(e) * 8).unwrap();
        total += ((ps as u128) << 12) / u64::from_ne_bytes(b).max(1) as u128;
    }
    (total >> 12) as u64
}

#[test]
fn verify_reconciles_smaps_with_the_pages() {
    let _one = FORKS.lock().unwrap_or_else(|p| p.into_inner());
    if skip_unless_root("map counts (kpagecount)") {
        return;
    }
    let ps = page_size() as usize;
    // 16 pages written (shared with the child after fork: map count 2), then 16 only
    // read (the zero page), then 16 never touched.
    let mut m = memmap2::MmapMut::map_anon(48 * ps).unwrap();
    for p in 0..16 {
        m[p * ps] = 1;
    }
    for p in 16..32 {
        std::hint::black_box(m[p * ps]);
    }
    let va = m.as_ptr() as u64;
    let child = ForkedChild::spawn(&[]);
    let pid = child.pid.as_raw();
    let doc = vmlab_json(&["maps", &pid.to_string(), "--verify", "--freeze"]);
    assert_eq!(doc["frozen"], true);
    let regions = doc["regions"].as_array().unwrap();
    // The child is frozen, but this test process is not: its other threads (the
    // harness, parallel tests) write their pages and so break copy-on-write sharing
    // with the child, which changes the child's Pss between smaps and kpagecount. Only
    // the region this test alone writes must agree; the count must match the regions.
    let differing = regions.iter().filter(|c| c["differs"] == true).count();
    assert_eq!(doc["differ"], differing as u64, "{doc:#}");
    let region = regions
        .iter()
        .find(|c| hex(&c["region"]["start"]) <= va && va < hex(&c["region"]["end"]))
        .unwrap()
        .clone();
    assert_eq!(region["differs"], false, "{region:#}");
    let (start, end) = (
        hex(&region["region"]["start"]),
        hex(&region["region"]["end"]),
    );
    // vmlab's Pss is the test's own sum, and smaps'.
    assert_eq!(
        region["pss"].as_u64().unwrap() / 1024,
        pss_of(pid, start, end - start) / 1024
    );
    assert_eq!(
        region["pss"].as_u64().unwrap() / 1024,
        region["region"]["usage"]["pss"].as_u64().unwrap() / 1024
    );
    assert!(region["zero_pages"].as_u64().unwrap() >= 16, "{region:#}");
    let reasons: Vec<&str> = region["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"verify-why-zero-page"), "{reasons:?}");
    assert_ne!(state(pid), 'T', "the child was resumed");
    // The text explains PSS and shows the region.
    let o = vmlab(&["maps", &pid.to_string(), "--verify", "--width", "60"]);
    let out = stdout(&o);
    assert!(out.contains("PSS (proportional set size)"), "{out}");
    assert!(out.contains("zero page"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    drop(child);
    drop(m);
}

#[test]
fn freeze_stops_and_always_resumes() {
    let _one = FORKS.lock().unwrap_or_else(|p| p.into_inner());
    let child = ForkedChild::spawn(&[]);
    let pid = child.pid.as_raw();
    let o = vmlab(&["pages", &pid.to_string(), "--summary", "--freeze"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(state(pid), 'T');
    // An error while frozen (a region that does not exist) resumes it too.
    let o = vmlab(&["pages", &pid.to_string(), "no-such-region", "--freeze"]);
    assert_eq!(o.status.code(), Some(2));
    assert_ne!(state(pid), 'T');
    // A process stopped before stays stopped.
    nix::sys::signal::kill(child.pid, nix::sys::signal::Signal::SIGSTOP).unwrap();
    while state(pid) != 'T' {
        std::thread::sleep(Duration::from_millis(1));
    }
    let o = vmlab(&["translate", &pid.to_string(), "0x1000", "--freeze"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(state(pid), 'T');
    nix::sys::signal::kill(child.pid, nix::sys::signal::Signal::SIGCONT).unwrap();
    // vmlab never stops itself.
    let o = vmlab(&["maps", "self", "--freeze"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot stop itself"), "{}", stderr(&o));
}

#[test]
fn ctrl_c_while_frozen_resumes_the_target() {
    let _one = FORKS.lock().unwrap_or_else(|p| p.into_inner());
    // Enough pages that listing them takes a while.
    let ps = page_size() as usize;
    let mut m = memmap2::MmapOptions::new()
        .len(1 << 32)
        .no_reserve_swap()
        .map_anon()
        .unwrap();
    for p in (0..(1usize << 32) / ps).step_by(16) {
        m[p * ps] = 1;
    }
    let child = ForkedChild::spawn(&[]);
    let pid = child.pid.as_raw();
    let range = format!("{:#x}+4G", m.as_ptr() as usize);
    let mut run = vmlab_cmd(&["pages", &pid.to_string(), &range, "--freeze"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it has stopped the child, then interrupt it.
    let mut waited = 0;
    while state(pid) != 'T' && waited < 5000 {
        std::thread::sleep(Duration::from_millis(1));
        waited += 1;
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(run.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    drop(run.stdout.take());
    let status = run.wait().unwrap();
    assert!(!status.success());
    std::thread::sleep(Duration::from_millis(20));
    assert_ne!(state(pid), 'T', "Ctrl-C left the target stopped");
    drop(child);
    drop(m);
}
