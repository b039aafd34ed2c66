//! The inspector on the real kernel: the test process maps pages it controls, runs the
//! `vmlab` binary against itself, and checks what vmlab printed against what the
//! kernel says when asked directly.

mod common;

use common::*;
use serde_json::Value;

/// Finds the JSON region that starts at `va` in a `maps --json` report.
fn region_at(report: &Value, va: u64) -> Value {
    report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| hex(&r["start"]) == va)
        .unwrap_or_else(|| panic!("no region starts at {va:#x}"))
        .clone()
}

#[test]
fn maps_finds_and_classifies_a_memfd_page() {
    let map = shared_memfd("vmlab-test-maps", 2, 0x5a);
    let va = map.as_ptr() as u64;
    let report = vmlab_json(&["maps", &my_pid()]);
    assert_eq!(
        report["target"]["pid"].as_i64().unwrap(),
        std::process::id() as i64
    );
    let r = region_at(&report, va);
    assert_eq!(hex(&r["end"]), va + 2 * page_size());
    assert_eq!(r["kind"], "shm");
    assert_eq!(r["perms"], "rw-s");
    assert!(
        r["backing"]
            .as_str()
            .unwrap()
            .contains("memfd:vmlab-test-maps")
    );
    // Both pages were written, so both are resident.
    assert_eq!(r["usage"]["rss"].as_u64().unwrap(), 2 * page_size());

    // The test binary's own segments are named as the course names them.
    let kinds: Vec<&str> = report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    for k in ["text", "data", "heap", "stack", "lib-text", "vdso"] {
        assert!(kinds.contains(&k), "no {k} region among {kinds:?}");
    }
    // The test harness runs tests on threads: their stacks sit above guard pages.
    assert!(kinds.contains(&"thread-stack"), "{kinds:?}");
    drop(map);
}

#[test]
fn maps_table_has_totals_and_legend() {
    let o = vmlab(&["maps", &my_pid()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("process {} (", std::process::id())),
        "{out}"
    );
    assert!(out.contains("START") && out.contains("BACKING"));
    assert!(out.contains(" total "), "{out}");
    assert!(out.contains("kinds: text (program code)"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    // Fitted to the width: columns left out (and said so), the backing cut on the left.
    let o = vmlab(&["maps", &my_pid(), "--width", "60"]);
    let out = stdout(&o);
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    assert!(out.contains("left out to fit 60 columns"), "{out}");
}

#[test]
fn pages_reports_present_and_absent_pages_with_the_kernels_pfn() {
    let mut anon = memmap2::MmapMut::map_anon(4 * page_size() as usize).unwrap();
    anon[0] = 1; // page 0 touched, pages 1-3 never
    let va = anon.as_ptr() as u64;
    let range = format!("{va:#x}+16K");
    let report = vmlab_json(&["pages", &my_pid(), &range]);
    let rows = page_rows(&report);
    assert_eq!(rows.len(), 4, "one row per page: {rows:?}");
    assert_eq!(hex(&rows[0]["va"]), va);
    assert_eq!(hex(&rows[0]["vpn"]), va / page_size());
    assert_eq!(rows[0]["state"], "present");
    assert_eq!(rows[0]["exclusive"], true);
    for r in &rows[1..] {
        assert_eq!(r["state"], "absent", "an untouched page has no frame: {r}");
        assert!(r["pfn"].is_null());
    }
    let s = &report["summary"];
    assert_eq!(s["present"], 1);
    assert_eq!(s["absent"], 3);

    if is_root() {
        let kernel_pfn = pfn_of(own_pagemap_entry(va));
        assert_ne!(kernel_pfn, 0);
        assert_eq!(hex(&rows[0]["pfn"]), kernel_pfn);
        assert_eq!(hex(&rows[0]["pa"]), kernel_pfn * page_size());
        assert_eq!(rows[0]["map_count"], 1);
        let flags: Vec<&str> = rows[0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert!(flags.contains(&"ANON"), "{flags:?}");
    } else {
        skipped("PFN comparison needs root (PFNs are hidden otherwise)");
        assert_eq!(report["privilege"]["pfns_visible"], false);
        assert!(rows[0]["pfn"].is_null());
    }
    drop(anon);
}

#[test]
fn pages_table_marks_rows_and_summary() {
    let mut anon = memmap2::MmapMut::map_anon(2 * page_size() as usize).unwrap();
    anon[page_size() as usize] = 7; // only the second page
    let va = anon.as_ptr() as u64;
    let o = vmlab(&["pages", &my_pid(), &format!("{va:#x}+8K")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // At 80 columns a line says which columns were left out.
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with("left out to fit"))
        .collect();
    assert!(lines[0].starts_with("VA "), "{out}");
    assert!(lines[1].starts_with("── "), "region header: {out}");
    assert!(lines[2].starts_with(&format!("{va:x}")) && lines[2].contains(" absent "));
    assert!(lines[3].contains(" present "), "{out}");
    assert!(
        out.contains("2 pages: 1 present, 0 swapped, 1 absent"),
        "summary line: {out}"
    );
    // --wide brings every column back, PA and VPN among them.
    let o = vmlab(&["pages", &my_pid(), &format!("{va:#x}+8K"), "--wide"]);
    let out = stdout(&o);
    assert!(out.starts_with("VA ") && out.contains(" VPN ") && out.contains(" PA "));
    assert!(!out.contains("left out"), "{out}");
    drop(anon);
}

#[test]
fn runs_fold_a_gigabyte_of_untouched_pages_into_one_row() {
    let len = 1usize << 30;
    let map = memmap2::MmapOptions::new().len(len).map_anon().unwrap();
    let va = map.as_ptr() as u64;
    let report = vmlab_json(&["pages", &my_pid(), &format!("{va:#x}+1G"), "--runs"]);
    let rows = page_rows(&report);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0]["pages"].as_u64().unwrap(),
        (len as u64) / page_size()
    );
    assert_eq!(rows[0]["state"], "absent");
    assert_eq!(report["summary"]["absent"].as_u64().unwrap(), 262_144);

    let o = vmlab(&["pages", &my_pid(), &format!("{va:#x}+1G"), "--present"]);
    assert!(o.status.success());
    assert!(
        !stdout(&o).contains(" absent "),
        "--present hides absent pages"
    );
    drop(map);
}

#[test]
fn gaps_in_a_range_are_shown_as_unmapped() {
    // Map three pages and unmap the middle one: the range now spans a hole.
    let map = memmap2::MmapMut::map_anon(3 * page_size() as usize).unwrap();
    let va = map.as_ptr() as u64;
    // SAFETY: the middle page belongs to `map`, which is not touched again except to
    // be dropped; munmap of the whole mapping later ignores the hole.
    let rc = unsafe {
        libc::munmap(
            (va + page_size()) as *mut libc::c_void,
            page_size() as usize,
        )
    };
    assert_eq!(rc, 0);
    let report = vmlab_json(&["pages", &my_pid(), &format!("{va:#x}+12K")]);
    let segs = report["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 3, "{segs:?}");
    assert_eq!(hex(&segs[1]["gap"]["start"]), va + page_size());
    assert_eq!(segs[1]["gap"]["pages"], 1);
    assert_eq!(report["summary"]["unmapped"], 1);
    drop(map);
}

#[test]
fn translate_walks_to_the_kernels_frame() {
    let map = shared_memfd("vmlab-test-translate", 1, 0x77);
    let va = map.as_ptr() as u64 + 0x123;
    let t = vmlab_json(&["translate", &my_pid(), &format!("{va:#x}")]);
    assert_eq!(hex(&t["address"]), va);
    assert_eq!(hex(&t["vpn"]), va / page_size());
    assert_eq!(t["offset"], 0x123);
    assert_eq!(t["region"]["kind"], "shm");
    let levels: Vec<u64> = t["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["index"].as_u64().unwrap())
        .collect();
    let expect: Vec<u64> = (0..levels.len() as u64)
        .rev()
        .map(|i| (va >> (12 + 9 * i)) & 0x1ff)
        .collect();
    assert_eq!(levels, expect);
    assert_eq!(t["entry"]["state"], "present");
    if is_root() {
        let pfn = pfn_of(own_pagemap_entry(va));
        assert_eq!(hex(&t["pfn"]), pfn);
        assert_eq!(hex(&t["physical"]), pfn * page_size() + 0x123);
        assert_eq!(t["frame"]["map_count"], 1);
    } else {
        assert!(t["pfn"].is_null() && t["pfn_hidden"] == true);
    }

    let o = vmlab(&["translate", &my_pid(), &format!("{va:#x}")]);
    let out = stdout(&o);
    assert!(out.contains("offset 0x123"), "{out}");
    assert!(out.contains("PML4["), "{out}");
    if is_root() {
        assert!(out.contains("PA = PFN × 4096 + offset"), "{out}");
    }
    drop(map);
}

#[test]
fn translate_explains_absent_and_unmapped_addresses() {
    let map = memmap2::MmapMut::map_anon(page_size() as usize).unwrap();
    let va = map.as_ptr() as u64;
    let o = vmlab(&["translate", &my_pid(), &format!("{va:#x}")]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("demand paging"), "{}", stdout(&o));
    // Page 1 of user space is never mapped (mmap_min_addr).
    let o = vmlab(&["translate", &my_pid(), "0x1000"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("SEGV_MAPERR"), "{}", stdout(&o));
    drop(map);
}

#[test]
fn region_names_select_pages() {
    let map = shared_memfd("vmlab-test-byname", 3, 1);
    let report = vmlab_json(&["pages", &my_pid(), "memfd:vmlab-test-byname"]);
    let rows = page_rows(&report);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["state"] == "present"));
    let heap = vmlab_json(&["pages", &my_pid(), "heap", "--runs"]);
    assert_eq!(heap["segments"][0]["region"]["kind"], "heap");
    drop(map);
}

#[test]
fn json_field_names_are_stable() {
    let map = shared_memfd("vmlab-test-fields", 1, 1);
    let va = map.as_ptr() as u64;
    let pages = vmlab_json(&["pages", &my_pid(), &format!("{va:#x}")]);
    for k in [
        "target",
        "page_size",
        "privilege",
        "notice",
        "segments",
        "summary",
        "notes",
    ] {
        assert!(pages.get(k).is_some(), "pages JSON lacks {k}");
    }
    let row = &page_rows(&pages)[0];
    for k in [
        "va",
        "vpn",
        "pages",
        "state",
        "pfn",
        "last_pfn",
        "pa",
        "map_count",
        "exclusive",
        "soft_dirty",
        "file_or_shared",
        "uffd_wp",
        "swap_type",
        "swap_offset",
        "flags",
    ] {
        assert!(row.get(k).is_some(), "page row lacks {k}");
    }
    for k in [
        "pages",
        "present",
        "swapped",
        "absent",
        "unmapped",
        "exclusive",
        "shared",
        "soft_dirty",
        "file_or_shared",
        "zero_page",
        "huge_mapped",
        "thp",
        "large_folio",
        "hugetlb",
        "by_flags",
        "regions",
    ] {
        assert!(pages["summary"].get(k).is_some(), "summary lacks {k}");
    }
    let maps = vmlab_json(&["maps", &my_pid()]);
    let r = &maps["regions"][0];
    for k in [
        "start", "end", "perms", "kind", "backing", "offset", "inode", "usage",
    ] {
        assert!(r.get(k).is_some(), "region lacks {k}");
    }
    for k in [
        "rss",
        "pss",
        "swap",
        "anonymous",
        "anon_huge",
        "private_dirty",
    ] {
        assert!(r["usage"].get(k).is_some(), "usage lacks {k}");
    }
    drop(map);
}

#[test]
fn color_follows_the_flag() {
    let o = vmlab(&["maps", "--color", "always"]);
    assert!(
        stdout(&o).contains("\x1b["),
        "--color always colours a pipe"
    );
    let o = vmlab(&["maps", "--color", "never"]);
    assert!(!stdout(&o).contains('\x1b'));
    let o = vmlab_cmd(&["maps", "--color", "auto"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn piping_into_head_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    let mut child = vmlab_cmd(&["pages", "self"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone: vmlab's next write gets EPIPE.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("VA "), "{first}");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        stderr(&out)
    );
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn read_only_memory_maps_the_zero_page() {
    if skip_unless_root("reading /proc/kpageflags for ZERO_PAGE") {
        return;
    }
    let map = memmap2::MmapMut::map_anon(4 * page_size() as usize).unwrap();
    // Read, never write, pages 0 and 2.
    let _ = std::hint::black_box(map[0]);
    let _ = std::hint::black_box(map[2 * page_size() as usize]);
    let va = map.as_ptr() as u64;
    let report = vmlab_json(&["pages", &my_pid(), &format!("{va:#x}+16K")]);
    let rows = page_rows(&report);
    assert_eq!(rows[0]["state"], "present");
    assert_eq!(
        rows[0]["pfn"], rows[2]["pfn"],
        "both reads map the same frame"
    );
    assert!(
        rows[0]["flags"]
            .as_array()
            .unwrap()
            .contains(&"ZERO_PAGE".into())
    );
    assert_eq!(rows[0]["exclusive"], false);
    assert_eq!(rows[1]["state"], "absent");
    assert_eq!(report["summary"]["zero_page"], 2);
    let t = vmlab(&["translate", &my_pid(), &format!("{va:#x}")]);
    assert!(
        stdout(&t).contains("the shared zero page"),
        "{}",
        stdout(&t)
    );
    drop(map);
}

#[test]
fn a_transparent_huge_page_is_512_contiguous_frames() {
    if skip_unless_root("reading PFNs and kpageflags") {
        return;
    }
    let thp =
        std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").unwrap_or_default();
    if thp.is_empty() || thp.contains("[never]") {
        skipped(&format!(
            "transparent huge pages are off on this kernel ({thp:?})"
        ));
        return;
    }
    // 4 MiB of address space holds one 2 MiB-aligned huge page for sure.
    let huge = 2usize << 20;
    let mut map = memmap2::MmapMut::map_anon(2 * huge).unwrap();
    let aligned = (map.as_ptr() as usize).next_multiple_of(huge) - map.as_ptr() as usize;
    // SAFETY: the range is inside `map`, which stays alive until the end of the test.
    unsafe {
        libc::madvise(
            map.as_mut_ptr().add(aligned).cast(),
            huge,
            libc::MADV_HUGEPAGE,
        );
    }
    map[aligned..aligned + huge].fill(1);
    let va = map.as_ptr() as u64 + aligned as u64;
    // Whether the kernel found a free 2 MiB block is its business: ask smaps.
    let space = vmlab::space::AddressSpace::read(std::process::id() as i32).unwrap();
    let anon_huge = space
        .find(vmlab::addr::VirtAddr(va))
        .unwrap()
        .usage
        .unwrap()
        .anon_huge;
    let report = vmlab_json(&["pages", &my_pid(), &format!("{va:#x}+2M"), "--runs"]);
    let rows = page_rows(&report);
    if anon_huge == 0 {
        assert_eq!(
            report["summary"]["thp"], 0,
            "smaps says no huge page: {rows:?}"
        );
        skipped("the kernel did not back this range with a huge page");
        return;
    }
    assert_eq!(report["summary"]["thp"], 512, "{rows:?}");
    assert_eq!(report["summary"]["huge_mapped"], 512, "{rows:?}");
    assert_eq!(
        report["summary"]["hugetlb"], 0,
        "a THP is not hugetlb: {rows:?}"
    );
    // Head then 511 tails, physically contiguous.
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0]["flags"]
            .as_array()
            .unwrap()
            .contains(&"COMPOUND_HEAD".into())
    );
    assert_eq!(rows[1]["pages"], 511);
    let head = hex(&rows[0]["pfn"]);
    assert_eq!(head % 512, 0, "a 2 MiB frame is 2 MiB-aligned");
    assert_eq!(hex(&rows[1]["pfn"]), head + 1);
    assert_eq!(hex(&rows[1]["last_pfn"]), head + 511);
    drop(map);
}
