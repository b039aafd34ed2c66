//! `vmlab maps` against procps `pmap -X`, the tool people already trust: the same
//! regions, sizes, permissions and memory counters, on fixture text captured from one
//! process here and on a live process.

mod common;

use std::collections::HashMap;
use std::process::Command;

use common::*;
use vmlab::space::AddressSpace;

/// One row of `pmap -X`, the columns vmlab also shows (kB as pmap prints them).
#[derive(Debug, PartialEq, Eq)]
struct PmapRow {
    start: u64,
    perms: String,
    size_kb: u64,
    rss_kb: u64,
    pss_kb: u64,
    swap_kb: u64,
}

/// Parses `pmap -X` output by its header, so column order changes do not matter.
fn parse_pmap_x(text: &str) -> Vec<PmapRow> {
    let mut lines = text.lines().skip(1);
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let col: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (*h, i)).collect();
    lines
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        // Region rows only: the totals row at the end also starts with a number.
        .filter(|f| f.len() > 6 && f[1].len() == 4 && f[1].chars().all(|c| "rwxsp-".contains(c)))
        .map(|f| {
            let n = |name: &str| f[col[name]].parse::<u64>().unwrap();
            PmapRow {
                start: u64::from_str_radix(f[0], 16).unwrap(),
                perms: f[col["Perm"]].to_string(),
                size_kb: n("Size"),
                rss_kb: n("Rss"),
                pss_kb: n("Pss"),
                swap_kb: n("Swap"),
            }
        })
        .collect()
}

fn rows_of(space: &AddressSpace) -> Vec<PmapRow> {
    space
        .regions
        .iter()
        .map(|r| PmapRow {
            start: r.start.0,
            perms: r.perms.to_string(),
            size_kb: r.size() / 1024,
            rss_kb: r.usage.unwrap().rss / 1024,
            pss_kb: r.usage.unwrap().pss / 1024,
            swap_kb: r.usage.unwrap().swap / 1024,
        })
        .collect()
}

/// The same regions with the same sizes, permissions, RSS and swap. PSS is compared
/// apart: it changes whenever another process maps or unmaps a shared library page
/// (the test harness starts processes in parallel), so two readings moments apart
/// can differ; it must still never exceed RSS.
#[track_caller]
fn assert_same_regions(got: &[PmapRow], expected: &[PmapRow]) {
    let without_pss = |rows: &[PmapRow]| -> Vec<(u64, String, u64, u64, u64)> {
        rows.iter()
            .map(|r| (r.start, r.perms.clone(), r.size_kb, r.rss_kb, r.swap_kb))
            .collect()
    };
    assert_eq!(without_pss(got), without_pss(expected));
    for (g, e) in got.iter().zip(expected) {
        assert!(g.pss_kb <= g.rss_kb && e.pss_kb <= e.rss_kb, "{g:?} {e:?}");
        if g.rss_kb == 0 || g.perms.ends_with('p') && g.perms.contains('w') {
            // Private writable pages are ours alone: PSS equals RSS, no race.
            assert_eq!(g.pss_kb, e.pss_kb, "{g:?} {e:?}");
        }
    }
}

#[test]
fn fixture_smaps_parses_to_what_pmap_printed() {
    // Both files were captured from the same `sleep 300` process on this machine.
    let smaps = include_bytes!("fixtures/smaps-sleep.txt");
    let pmap = include_str!("fixtures/pmap-X-sleep.txt");
    let space = AddressSpace::parse(4291, smaps, Some("/usr/bin/sleep".into())).unwrap();
    let expected = parse_pmap_x(pmap);
    assert_eq!(expected.len(), 37);
    assert_same_regions(&rows_of(&space), &expected);
    let kinds: Vec<&str> = space.regions.iter().map(|r| r.kind.name()).collect();
    assert_eq!(
        &kinds[..6],
        ["rodata", "text", "rodata", "rodata", "data", "heap"]
    );
    assert_eq!(kinds.iter().filter(|k| **k == "lib-text").count(), 2);
    assert_eq!(kinds.last(), Some(&"vsyscall"));
    // The anonymous region right after libc's data is libc's bss.
    let libc_bss = space
        .regions
        .iter()
        .find(|r| r.start.0 == 0x7eff95436000)
        .unwrap();
    assert_eq!(libc_bss.kind.name(), "lib-data");
}

#[test]
fn fixture_threads_and_memfd_are_classified() {
    let maps = include_bytes!("fixtures/maps-python-threads.txt");
    let space = AddressSpace::parse(1, maps, None).unwrap();
    let kind_at = |start: u64| {
        space
            .regions
            .iter()
            .find(|r| r.start.0 == start)
            .unwrap()
            .kind
            .name()
    };
    // Thread stacks: 4 KiB guard (---p) just below a rw-p stack.
    assert_eq!(kind_at(0x7f86472cd000), "guard");
    assert_eq!(kind_at(0x7f86472ce000), "thread-stack");
    // A malloc arena's reserve (---p above its rw-p part) is a guard, the arena anon.
    assert_eq!(kind_at(0x7f8638021000), "guard");
    assert_eq!(kind_at(0x7f8638000000), "anon");
    assert_eq!(kind_at(0x7f8649112000), "shm");
    assert_eq!(space.regions[1].kind.name(), "text");
}

#[test]
fn live_process_matches_pmap() {
    if Command::new("pmap").arg("-V").output().is_err() {
        skipped("pmap (procps) is not installed");
        return;
    }
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    let pid = child.id().to_string();
    // Wait until the process has settled: exec done and its maps unchanged for a while.
    let mut last = String::new();
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let now = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
        if now == last && now.contains("/sleep") {
            break;
        }
        last = now;
    }
    let pmap = Command::new("pmap").args(["-X", &pid]).output().unwrap();
    let report = vmlab_json(&["maps", &pid]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(pmap.status.success(), "{}", stderr(&pmap));
    let expected = parse_pmap_x(&String::from_utf8_lossy(&pmap.stdout));
    let got: Vec<PmapRow> = report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| PmapRow {
            start: hex(&r["start"]),
            perms: r["perms"].as_str().unwrap().to_string(),
            size_kb: (hex(&r["end"]) - hex(&r["start"])) / 1024,
            rss_kb: r["usage"]["rss"].as_u64().unwrap() / 1024,
            pss_kb: r["usage"]["pss"].as_u64().unwrap() / 1024,
            swap_kb: r["usage"]["swap"].as_u64().unwrap() / 1024,
        })
        .collect();
    assert!(expected.len() > 10, "{expected:?}");
    assert_same_regions(&got, &expected);
    let total_rss: u64 = got.iter().map(|r| r.rss_kb).sum();
    assert_eq!(report["total"]["rss"].as_u64().unwrap() / 1024, total_rss);
}
