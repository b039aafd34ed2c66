//! The inspector at scale: the PAGEMAP_SCAN path and the pread path give the same rows
//! and counts, and `--summary` counts what the rows show. (Not timed: the benchmark in
//! benches/inspector.rs measures speed.)

mod common;

use common::*;
use memmap2::MmapOptions;
use serde_json::Value;

/// A mapping of `groups` groups of pages: in each, `written` pages written, then one
/// page only read (it maps the zero page), then `untouched` pages never touched. Many
/// small populated ranges: more than the 4096 regions one PAGEMAP_SCAN call returns,
/// so the scan must continue correctly from where the kernel stopped.
struct Layout {
    map: memmap2::MmapMut,
    ps: usize,
}

impl Layout {
    fn new(groups: usize, written: usize, untouched: usize) -> Layout {
        let ps = page_size() as usize;
        let per = written + 1 + untouched;
        let mut map = MmapOptions::new()
            .len(groups * per * ps)
            .map_anon()
            .expect("mmap");
        for g in 0..groups {
            for w in 0..written {
                map[(g * per + w) * ps] = 1;
            }
            std::hint::black_box(map[(g * per + written) * ps]);
        }
        Layout { map, ps }
    }

    fn range(&self) -> String {
        format!("{:#x}+{}", self.map.as_ptr() as usize, self.map.len())
    }

    fn pages(&self) -> usize {
        self.map.len() / self.ps
    }
}

fn pages_json(range: &str, extra: &[&str]) -> Value {
    let pid = std::process::id().to_string();
    let mut args = vec!["pages", pid.as_str(), range];
    args.extend_from_slice(extra);
    vmlab_json(&args)
}

/// The kernel ages pages on its own (IDLE, REFERENCED, ACTIVE, LRU move between two
/// reads), so two runs are compared on what does not change by itself.
const VOLATILE_FLAGS: [&str; 5] = ["IDLE", "REFERENCED", "ACTIVE", "LRU", "YOUNG"];

/// Every page of a report, runs expanded, as text of its stable fields.
fn stable_pages(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for row in page_rows(doc) {
        let n = row["pages"].as_u64().unwrap();
        let first = row["pfn"].as_str().map(|_| hex(&row["pfn"]));
        let stepping = first != row["last_pfn"].as_str().map(|_| hex(&row["last_pfn"]));
        let flags: Vec<&str> = row["flags"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter_map(|x| x.as_str())
                    .filter(|x| !VOLATILE_FLAGS.contains(x))
                    .collect()
            })
            .unwrap_or_default();
        for k in 0..n {
            let pfn = first.map(|p| if stepping { p + k } else { p });
            out.push(format!(
                "vpn {} {} pfn {pfn:?} maps {} excl {} sd {} file {} wp {} flags {flags:?}",
                hex(&row["vpn"]) + k,
                row["state"],
                row["map_count"],
                row["exclusive"],
                row["soft_dirty"],
                row["file_or_shared"],
                row["uffd_wp"],
            ));
        }
    }
    out
}

/// The summary without what depends on how it was made (the method; huge mappings,
/// which only PAGEMAP_SCAN reports) or changes by itself between two reads (the flag
/// table: the kernel ages pages, IDLE and REFERENCED move).
fn counts(doc: &Value) -> Value {
    let mut s = doc["summary"].clone();
    let o = s.as_object_mut().unwrap();
    for k in ["method", "huge_mapped", "thp", "by_flags"] {
        o.remove(k);
    }
    s
}

#[test]
fn pagemap_scan_and_pread_give_the_same_rows() {
    let layout = Layout::new(5000, 2, 2);
    let range = layout.range();
    for extra in [&[][..], &["--runs"][..], &["--present"][..]] {
        let scan = pages_json(&range, &[&["--method", "pagemap-scan"], extra].concat());
        let pread = pages_json(&range, &[&["--method", "pread"], extra].concat());
        assert_eq!(scan["summary"]["method"], "pagemap-scan");
        assert_eq!(pread["summary"]["method"], "pread");
        let (a, b) = (stable_pages(&scan), stable_pages(&pread));
        assert_eq!(a.len(), b.len(), "page counts differ with {extra:?}");
        // Between the two reads the kernel may migrate a page (compaction on a busy
        // machine): its frame and the flags that go with the frame change, nothing
        // else does. A few such pages are the kernel's doing; many would be ours.
        let mut moved = 0;
        for i in 0..a.len() {
            if a[i] == b[i] {
                continue;
            }
            let frame_only = a[i].split(" pfn ").next() == b[i].split(" pfn ").next()
                && a[i]
                    .split(" maps ")
                    .nth(1)
                    .map(|t| t.split(" flags ").next())
                    == b[i]
                        .split(" maps ")
                        .nth(1)
                        .map(|t| t.split(" flags ").next());
            assert!(
                frame_only,
                "page {i} differs with {extra:?}:\n scan:  {}\n pread: {}",
                a[i], b[i]
            );
            moved += 1;
        }
        assert!(
            moved * 100 <= a.len(),
            "{moved} of {} pages moved between the reads with {extra:?}",
            a.len()
        );
        assert_eq!(
            counts(&scan),
            counts(&pread),
            "counts differ with {extra:?}"
        );
    }
    let all = pages_json(&range, &["--method", "pagemap-scan"]);
    assert_eq!(all["summary"]["pages"], layout.pages() as u64);
    // 2 written + 1 read (zero page) present in each group of 5.
    assert_eq!(all["summary"]["present"], 3 * 5000);
    assert_eq!(all["summary"]["absent"], 2 * 5000);
}

#[test]
fn summary_counts_what_the_rows_show() {
    let layout = Layout::new(3000, 3, 5);
    let range = layout.range();
    let rows_doc = pages_json(&range, &[]);
    let rows = page_rows(&rows_doc);
    assert_eq!(rows.len(), layout.pages());
    for method in ["pagemap-scan", "pread"] {
        let summary = pages_json(&range, &["--summary", "--method", method, "--map-counts"]);
        assert!(page_rows(&summary).is_empty(), "--summary prints no rows");
        let s = &summary["summary"];
        let count = |f: &dyn Fn(&Value) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
        let present = |r: &Value| r["state"] == "present";
        assert_eq!(s["pages"], rows.len() as u64);
        assert_eq!(s["present"], count(&present));
        assert_eq!(s["absent"], count(&|r| r["state"] == "absent"));
        assert_eq!(
            s["exclusive"],
            count(&|r| present(r) && r["exclusive"] == true)
        );
        if is_root() {
            // The map-count distribution adds up to the present pages, count by count.
            let mut by_count = std::collections::BTreeMap::<String, u64>::new();
            for r in rows.iter().filter(|r| present(r)) {
                *by_count.entry(r["map_count"].to_string()).or_default() += 1;
            }
            let reported: std::collections::BTreeMap<String, u64> = s["map_counts"]
                .as_array()
                .expect("map counts as root")
                .iter()
                .map(|c| (c["map_count"].to_string(), c["pages"].as_u64().unwrap()))
                .collect();
            assert_eq!(reported, by_count, "{method}");
            let zero = count(&|r| {
                r["flags"]
                    .as_array()
                    .is_some_and(|f| f.iter().any(|x| x == "ZERO_PAGE"))
            });
            assert_eq!(s["zero_page"], zero);
            assert_eq!(zero, 3000, "one read page per group maps the zero page");
        } else {
            assert_eq!(s["map_counts"], Value::Null, "map counts need root");
        }
        // Without --map-counts no page is counted by map count, and the shared count,
        // from pagemap's exclusive bit where it says, is what the rows' counts say.
        let lean = pages_json(&range, &["--summary", "--method", method]);
        let l = &lean["summary"];
        assert_eq!(l["map_counts"], Value::Null, "{method}");
        assert_eq!(l["present"], s["present"]);
        if is_root() {
            let shared = count(&|r| present(r) && r["map_count"].as_u64() >= Some(2));
            assert_eq!(l["shared"], shared, "{method}");
            assert_eq!(
                l["by_flags"]["rows"].as_array().map(Vec::len),
                s["by_flags"]["rows"].as_array().map(Vec::len)
            );
        }
    }
}

#[test]
fn a_sparse_gigabyte_summarized_both_ways() {
    let ps = page_size() as usize;
    let len = 1 << 30;
    let mut map = MmapOptions::new().len(len).map_anon().expect("mmap");
    let step = 97;
    for p in (0..len / ps).step_by(step) {
        map[p * ps] = 7;
    }
    let range = format!("{:#x}+1G", map.as_ptr() as usize);
    let scan = pages_json(&range, &["--summary", "--method", "pagemap-scan"]);
    let pread = pages_json(&range, &["--summary", "--method", "pread"]);
    assert_eq!(counts(&scan), counts(&pread));
    let touched = (len / ps).div_ceil(step) as u64;
    assert_eq!(scan["summary"]["present"], touched);
    assert_eq!(scan["summary"]["exclusive"], touched);
}

#[test]
fn summary_text_and_bad_combinations() {
    let layout = Layout::new(10, 1, 1);
    let pid = std::process::id().to_string();
    let range = layout.range();
    let o = vmlab(&["pages", &pid, &layout.range(), "--summary"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("read 1 region with "), "{out}");
    assert!(out.contains("30 pages: 20 present"), "{out}");
    let o = vmlab(&["pages", &pid, &layout.range(), "--summary", "--runs"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--summary with --runs is a usage error"
    );
    let o = vmlab(&["pages", &pid, &layout.range(), "--method", "fast"]);
    assert_eq!(o.status.code(), Some(2));
    for alone in [&[][..], &["--runs"], &["--present"]] {
        let mut args = vec!["pages", pid.as_str(), &range, "--map-counts"];
        args.extend_from_slice(alone);
        let o = vmlab(&args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "--map-counts goes with --summary: {args:?}"
        );
    }
}
