//! `vmlab frames` and `vmlab flags`, checked against kpageflags and kpagecount as the
//! test reads them itself.

mod common;

use std::fs::File;
use std::os::unix::fs::FileExt;

use common::*;

/// Flags the kernel changes on its own between two reads (aging, idle tracking).
const VOLATILE: u64 = (1 << 2) | (1 << 5) | (1 << 6) | (1 << 25);

fn word(path: &str, pfn: u64) -> u64 {
    let mut b = [0u8; 8];
    File::open(path)
        .unwrap()
        .read_exact_at(&mut b, pfn * 8)
        .unwrap();
    u64::from_ne_bytes(b)
}

fn hex_word(v: &serde_json::Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[test]
fn frames_show_what_kpageflags_and_kpagecount_say() {
    if skip_unless_root("reading /proc/kpageflags") {
        return;
    }
    let mut m = memmap2::MmapMut::map_anon(page_size() as usize).unwrap();
    m[0] = 3;
    let pfn = pfn_of(own_pagemap_entry(m.as_ptr() as u64));
    let doc = vmlab_json(&["frames", &format!("{pfn:#x}")]);
    let row = &doc["rows"][0];
    assert_eq!(hex(&row["pfn"]), pfn);
    assert_eq!(row["frames"], 1);
    assert_eq!(row["map_count"], word("/proc/kpagecount", pfn));
    // page-types' default view: no bits from 32 up (a small page has no compound bits).
    let flags = word("/proc/kpageflags", pfn) & !(0xffff << 32);
    assert_eq!(hex_word(&row["flags"]) & !VOLATILE, flags & !VOLATILE);
    // The raw view decodes OWNER_2 of this anonymous, exclusive page as ANON_EXCLUSIVE.
    let raw = vmlab_json(&["frames", &format!("{pfn:#x}"), "--raw"]);
    let names = raw["rows"][0]["names"].as_array().unwrap().clone();
    if word("/proc/kpageflags", pfn) & (1 << 34) != 0 {
        assert!(names.contains(&"ANON_EXCLUSIVE".into()), "{names:?}");
        assert!(!names.contains(&"OWNER_2".into()), "{names:?}");
    }
    assert!(row["names"].as_array().unwrap().contains(&"ANON".into()));
    drop(m);
}

#[test]
fn a_frame_summary_counts_every_frame_of_the_range() {
    if skip_unless_root("reading /proc/kpageflags") {
        return;
    }
    // A range of kernel memory near the start of RAM: the same range read here.
    let (start, n) = (0x1000u64, 4096u64);
    let doc = vmlab_json(&["frames", &format!("{start:#x}+{n}"), "--summary"]);
    let s = &doc["summary"];
    assert_eq!(s["frames"], n);
    let rows = s["by_flags"]["rows"].as_array().unwrap();
    let total: u64 = rows.iter().map(|r| r["pages"].as_u64().unwrap()).sum();
    assert_eq!(total, n);
    // Every row's flags are the default view of frames that exist in the range.
    let f = File::open("/proc/kpageflags").unwrap();
    let mut buf = vec![0u8; n as usize * 8];
    f.read_exact_at(&mut buf, start * 8).unwrap();
    let seen: std::collections::BTreeSet<u64> = buf
        .chunks_exact(8)
        .map(|c| {
            let w = u64::from_ne_bytes(c.try_into().unwrap()) & !(0xffff << 32);
            if w & (3 << 15) != 0 && w & (1 << 17) == 0 {
                w & !(3 << 15)
            } else {
                w
            }
        })
        .map(|w| w & !VOLATILE)
        .collect();
    for r in rows {
        assert!(seen.contains(&(hex_word(&r["flags"]) & !VOLATILE)), "{r}");
    }
    // --flags: only the frames that match.
    let slab = vmlab_json(&[
        "frames",
        &format!("{start:#x}+{n}"),
        "--summary",
        "--flags",
        "slab",
    ]);
    let expected = buf
        .chunks_exact(8)
        .filter(|c| u64::from_ne_bytes((*c).try_into().unwrap()) & (1 << 7) != 0)
        .count() as u64;
    let got = slab["summary"]["frames"].as_u64().unwrap();
    assert!(got.abs_diff(expected) <= n / 100, "{got} vs {expected}");
}

#[test]
fn frames_unprivileged_say_they_need_root() {
    let Some(o) = run_unprivileged(VMLAB, &["frames", "--summary"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("only root may read"), "{}", stderr(&o));
}

#[test]
fn flags_explain_every_bit_in_both_languages() {
    let all = vmlab_json(&["flags"]);
    let docs = all["flags"].as_array().unwrap();
    assert!(docs.len() >= 37 + 7 + 8);
    let anon = docs.iter().find(|d| d["name"] == "ANON").unwrap();
    assert_eq!(anon["page_types"], "anonymous");
    assert_eq!(anon["bit"], 12);
    assert!(!anon["when"].as_str().unwrap().is_empty());
    let excl = docs.iter().find(|d| d["name"] == "ANON_EXCLUSIVE").unwrap();
    assert_eq!(excl["source"], "raw-view");
    assert!(
        docs.iter()
            .any(|d| d["source"] == "pagemap" && d["bits"] == "0-54")
    );
    let es = vmlab_json(&["flags", "thp", "--lang", "es"]);
    assert!(
        es["flags"][0]["meaning"]
            .as_str()
            .unwrap()
            .contains("página enorme"),
        "{es}"
    );
    let o = vmlab(&["flags", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let o = vmlab(&["flags", "--width", "60"]);
    assert!(
        stdout(&o).lines().all(|l| l.chars().count() <= 60),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_range_past_the_last_frame_says_so() {
    if skip_unless_root("reading /proc/kpageflags") {
        return;
    }
    // 2^52 frames of 4 KiB are 2^64 bytes: no machine has a frame there.
    let o = vmlab(&["frames", "0x10000000000000-0x10000000000010", "--summary"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no frame there"), "{}", stderr(&o));
    // A range inside RAM reads as before.
    let o = vmlab(&["frames", "0x1000+4", "--summary"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
