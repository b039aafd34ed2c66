//! `--flags` and the table of pages by flag combination, checked against kpageflags as
//! the test reads it itself (the test maps the pages, so it knows what they are).

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::os::unix::fs::FileExt;

use common::*;
use serde_json::Value;

/// Flags the kernel changes on its own between two reads (aging, idle tracking).
const VOLATILE: u64 = (1 << 2) | (1 << 5) | (1 << 6) | (1 << 25);

/// page-types' default view of a kpageflags word: no bits from 32 up, compound bits
/// only for hugetlb.
fn default_view(mut f: u64) -> u64 {
    f &= !(0xffff << 32);
    let compound = (1 << 15) | (1 << 16);
    if f & compound != 0 && f & (1 << 17) == 0 {
        f &= !compound;
    }
    f
}

/// The kpageflags word of each present page of `[va, va + pages × ps)`, read here.
fn kernel_words(va: u64, pages: u64) -> Vec<u64> {
    let pm = File::open("/proc/self/pagemap").unwrap();
    let kf = File::open("/proc/kpageflags").unwrap();
    let mut out = Vec::new();
    let mut b = [0u8; 8];
    for i in 0..pages {
        pm.read_exact_at(&mut b, (va / page_size() + i) * 8)
            .unwrap();
        let e = u64::from_ne_bytes(b);
        if e >> 63 == 1 {
            kf.read_exact_at(&mut b, pfn_of(e) * 8).unwrap();
            out.push(u64::from_ne_bytes(b));
        }
    }
    out
}

/// A range of anonymous pages, some written, some only read (zero page), some never.
fn mixed() -> memmap2::MmapMut {
    let ps = page_size() as usize;
    let mut m = memmap2::MmapMut::map_anon(96 * ps).unwrap();
    for p in 0..32 {
        m[p * ps] = 1;
    }
    for p in 32..64 {
        std::hint::black_box(m[p * ps]);
    }
    m
}

fn table(doc: &Value) -> BTreeMap<u64, u64> {
    let mut t = BTreeMap::new();
    for row in doc["summary"]["by_flags"]["rows"].as_array().unwrap() {
        let w = u64::from_str_radix(row["flags"].as_str().unwrap().trim_start_matches("0x"), 16);
        *t.entry(w.unwrap() & !VOLATILE).or_default() += row["pages"].as_u64().unwrap();
    }
    t
}

#[test]
fn the_flag_table_counts_what_kpageflags_says() {
    if skip_unless_root("reading kpageflags") {
        return;
    }
    let m = mixed();
    let va = m.as_ptr() as u64;
    let range = format!("{va:#x}+{}", m.len());
    let doc = vmlab_json(&["pages", &my_pid(), &range, "--summary"]);
    let mut expected = BTreeMap::new();
    for w in kernel_words(va, 96) {
        *expected.entry(default_view(w) & !VOLATILE).or_default() += 1u64;
    }
    assert_eq!(table(&doc), expected);
    assert_eq!(doc["summary"]["zero_page"], 32);
    // The raw view keeps what the default hides: the zero page is RESERVED (bit 32).
    let raw = vmlab_json(&["pages", &my_pid(), &range, "--summary", "--raw"]);
    assert_eq!(raw["summary"]["by_flags"]["view"], "raw");
    assert!(table(&raw).keys().any(|w| w & (1 << 32) != 0), "{raw:#}");
    // The text shows the same table.
    let o = vmlab(&["pages", &my_pid(), &range, "--summary", "--width", "60"]);
    let out = stdout(&o);
    assert!(out.contains("Pages by flag combination"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    drop(m);
}

#[test]
fn flags_select_rows_runs_and_summaries() {
    if skip_unless_root("reading kpageflags") {
        return;
    }
    let m = mixed();
    let va = m.as_ptr() as u64;
    let range = format!("{va:#x}+{}", m.len());
    let words = kernel_words(va, 96);
    let anon = words.iter().filter(|w| *w & (1 << 12) != 0).count() as u64;
    let zero = words.iter().filter(|w| *w & (1 << 24) != 0).count() as u64;
    // Any of: anonymous pages only, every row says so.
    let doc = vmlab_json(&["pages", &my_pid(), &range, "--flags", "anon"]);
    let rows = page_rows(&doc);
    assert_eq!(rows.len() as u64, anon);
    assert!(
        rows.iter()
            .all(|r| r["flags"].as_array().unwrap().contains(&"ANON".into()))
    );
    // Set and clear: pages of the zero page are not anonymous.
    let s = vmlab_json(&[
        "pages",
        &my_pid(),
        &range,
        "--summary",
        "--flags",
        "zero_page,~anon",
    ]);
    assert_eq!(s["summary"]["present"], zero);
    // Exact: nothing is exactly ANON alone.
    let s = vmlab_json(&["pages", &my_pid(), &range, "--summary", "--flags", "=anon"]);
    assert_eq!(s["summary"]["pages"], 0);
    // Runs keep to the pages that match.
    let runs = vmlab_json(&["pages", &my_pid(), &range, "--runs", "--flags", "anonymous"]);
    let total: u64 = page_rows(&runs)
        .iter()
        .map(|r| r["pages"].as_u64().unwrap())
        .sum();
    assert_eq!(total, anon);
    // A name that is no flag is a usage error, with the names.
    let o = vmlab(&["pages", &my_pid(), &range, "--flags", "bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("anonymous"), "{}", stderr(&o));
    drop(m);
}

#[test]
fn flags_unprivileged_say_what_they_need() {
    let Some(o) = run_unprivileged(VMLAB, &["pages", "self", "heap", "--flags", "anon"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("only root may read it"),
        "{}",
        stderr(&o)
    );
}
