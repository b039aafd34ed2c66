//! Transparent huge pages on this machine, as the kernel itself tells it: may a
//! region have them (the settings in sysfs and the process's own switch), did the
//! kernel try one and fail (its fault counters in /proc/vmstat), and how is each page
//! of a region mapped (PAGEMAP_SCAN: by a page-table entry, or by one huge PD entry).
//!
//! vm-hugepages and vm-faultcost both ask these questions, so the answers live here.
//! Nothing is assumed: THP may be `always`, `madvise` or `never`, per size or
//! globally, and defrag decides how hard a fault tries to find a free 2 MiB frame.

use serde::{Deserialize, Serialize};

use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::Evidence;
use crate::pagemap::{Pagemap, scan};
use crate::tr;

pub use super::super::mem::{PerSize, ThpSettings};

/// The kernel's count of huge-page faults, machine-wide (/proc/vmstat): pages
/// allocated, and faults that wanted a huge page and fell back to 4 KiB pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThpFaults {
    /// `thp_fault_alloc`.
    pub alloc: u64,
    /// `thp_fault_fallback`: no free huge frame (or the memory cgroup refused it).
    pub fallback: u64,
}

/// Counters of /proc/vmstat, by name, now; `None` for a name the kernel does not count.
fn vmstat(names: &[&str]) -> Vec<Option<u64>> {
    let text = std::fs::read_to_string("/proc/vmstat").unwrap_or_default();
    let get = |name: &str| {
        text.lines().find_map(|l| {
            let (key, value) = l.split_once(' ')?;
            (key == name).then(|| value.trim().parse().ok())?
        })
    };
    names.iter().map(|n| get(n)).collect()
}

/// The THP fault counters now; `None` when /proc/vmstat has none (no THP here).
pub fn fault_counters() -> Option<ThpFaults> {
    match vmstat(&["thp_fault_alloc", "thp_fault_fallback"])[..] {
        [Some(alloc), Some(fallback)] => Some(ThpFaults { alloc, fallback }),
        _ => None,
    }
}

/// Pages the kernel has moved so far, machine-wide: page migrations tried (compaction
/// making room for huge pages, NUMA balancing) and NUMA hinting faults. A page being
/// moved is briefly unmapped, so touching it then faults: an extra minor fault that is
/// no demand fault. `None` on a kernel that counts no migrations.
pub fn migrations() -> Option<u64> {
    let counts = vmstat(&["pgmigrate_success", "pgmigrate_fail", "numa_hint_faults"]);
    let tried = counts[0]? + counts[1]?;
    Some(tried + counts[2].unwrap_or(0))
}

/// How many pages the kernel moved between two readings of [`migrations`], or why
/// that is not known.
pub fn migrated(before: Option<u64>, after: Option<u64>) -> Evidence<u64> {
    match (before, after) {
        (Some(b), Some(a)) => Evidence::Seen(a.saturating_sub(b)),
        _ => Evidence::missing(tr!("hugepages-no-migration-counters")),
    }
}

/// How much the counters grew between two readings, or why that is not known. The
/// counters are the whole machine's: another process's huge-page fault in between
/// counts too, so only "no fallback at all" is a sharp statement.
pub fn counted(before: Option<ThpFaults>, after: Option<ThpFaults>) -> Evidence<ThpFaults> {
    match (before, after) {
        (Some(b), Some(a)) => Evidence::Seen(ThpFaults {
            alloc: a.alloc.saturating_sub(b.alloc),
            fallback: a.fallback.saturating_sub(b.fallback),
        }),
        _ => Evidence::missing(tr!("hugepages-no-counters")),
    }
}

/// Why a fault count that differs from theory's need not be theory failing: the
/// kernel moved pages meanwhile (or cannot say whether it did). `None` when it moved
/// none: then the count stands as it is.
pub fn explained(migrated: &Evidence<u64>) -> Option<String> {
    match migrated {
        Evidence::Seen(0) => None,
        Evidence::Seen(n) => Some(tr!("hugepages-pages-migrated", pages = *n)),
        Evidence::Missing(m) => Some(m.missing.clone()),
    }
}

/// A run of pages that PAGEMAP_SCAN reports with the same categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapped {
    pub start: VirtAddr,
    pub end: VirtAddr,
    /// PAGE_IS_PRESENT.
    pub present: bool,
    /// PAGE_IS_HUGE: mapped by one entry of the PD level (a PMD), not by a page table.
    pub huge: bool,
    /// PAGE_IS_PFNZERO: the shared zero page (or the huge zero page).
    pub zero_page: bool,
}

/// How each page of `[va, va + len)` of process `pid` is mapped, from the kernel's
/// PAGEMAP_SCAN (no privilege needed); missing, with the reason, on a kernel without it.
pub fn mapping(pid: i32, va: u64, len: u64) -> Result<Evidence<Vec<Mapped>>> {
    use scan::{PAGE_IS_HUGE, PAGE_IS_PFNZERO, PAGE_IS_PRESENT};
    let masks = scan::Masks {
        returned: PAGE_IS_PRESENT | PAGE_IS_HUGE | PAGE_IS_PFNZERO,
        ..scan::Masks::default()
    };
    match Pagemap::open(pid)?.page_regions(va, va + len, masks) {
        Ok(regions) => Ok(Evidence::Seen(
            regions
                .iter()
                .map(|r| Mapped {
                    start: VirtAddr(r.start),
                    end: VirtAddr(r.end),
                    present: r.categories & PAGE_IS_PRESENT != 0,
                    huge: r.categories & PAGE_IS_HUGE != 0,
                    zero_page: r.categories & PAGE_IS_PFNZERO != 0,
                })
                .collect(),
        )),
        Err(Error::Unsupported { why, .. }) => {
            Ok(Evidence::missing(tr!("hugepages-no-scan", error = why)))
        }
        Err(e) => Err(e),
    }
}

/// For each of `pages` pages of `page_size` bytes from `va`: does PAGEMAP_SCAN say a
/// huge entry maps it? A page no region covers is not.
pub fn huge_pages(regions: &[Mapped], va: VirtAddr, pages: usize, page_size: u64) -> Vec<bool> {
    let mut out = vec![false; pages];
    let end = va.0 + pages as u64 * page_size;
    for r in regions.iter().filter(|r| r.huge) {
        for a in (r.start.0.max(va.0)..r.end.0.min(end)).step_by(page_size as usize) {
            out[((a - va.0) / page_size) as usize] = true;
        }
    }
    out
}

/// Why the claims about a huge page in a MADV_HUGEPAGE region cannot be decided, if
/// they cannot: the settings forbid it, madvise refused, or the kernel gave no huge
/// page and its counters say it tried and fell back (no free `size` frame). Where it
/// gave none and counted no fallback, `None`: the claims are decided, and fail.
pub fn why_undecidable(
    settings: &ThpSettings,
    madvise_error: Option<&str>,
    faults: &Evidence<ThpFaults>,
    got_huge: bool,
    size: &str,
) -> Option<String> {
    if let Some(why) = settings.forbids() {
        return Some(why);
    }
    if let Some(error) = madvise_error {
        return Some(tr!("hugepages-madvise-failed", error = error));
    }
    if got_huge {
        return None;
    }
    match faults {
        Evidence::Seen(f) if f.fallback > 0 => Some(tr!(
            "hugepages-thp-declined",
            fallback = f.fallback,
            size = size,
            settings = settings.describe()
        )),
        Evidence::Seen(_) => None,
        Evidence::Missing(m) => Some(m.missing.clone()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::demos::mem::THP_DIR;

    /// This machine's settings: THP on request, the 2 MiB size following the global
    /// switch, defrag on request.
    pub(crate) fn madvise_mode() -> ThpSettings {
        ThpSettings {
            enabled: Some("always [madvise] never".into()),
            per_size: Some(PerSize {
                path: format!("{THP_DIR}/hugepages-2048kB/enabled"),
                value: "always [inherit] madvise never".into(),
            }),
            defrag: Some("always defer defer+madvise [madvise] never".into()),
            process: Some("1".into()),
            pmd_size: Some(2 << 20),
        }
    }

    #[test]
    fn settings_say_when_thp_cannot_be_had() {
        let mut s = madvise_mode();
        assert_eq!(s.forbids(), None);
        s.enabled = Some("always madvise [never]".into());
        assert!(s.forbids().unwrap().contains("[never]"));
        // The per-size switch overrides the global one unless it inherits.
        s.per_size.as_mut().unwrap().value = "always inherit [madvise] never".into();
        assert_eq!(s.forbids(), None);
        s.per_size.as_mut().unwrap().value = "always inherit madvise [never]".into();
        assert!(s.forbids().unwrap().contains("hugepages-2048kB"));
        let mut p = madvise_mode();
        p.process = Some("0".into());
        assert!(p.forbids().unwrap().contains("PR_SET_THP_DISABLE"));
        p.enabled = None;
        assert!(p.forbids().unwrap().contains("does not exist"));
    }

    #[test]
    fn a_fallback_makes_the_claims_undecidable_and_none_decides_them() {
        let s = madvise_mode();
        let fell = Evidence::Seen(ThpFaults {
            alloc: 0,
            fallback: 1,
        });
        let clean = Evidence::Seen(ThpFaults {
            alloc: 1,
            fallback: 0,
        });
        assert!(
            why_undecidable(&s, None, &fell, false, "2 MiB")
                .unwrap()
                .contains("fell back")
        );
        assert_eq!(why_undecidable(&s, None, &fell, true, "2 MiB"), None);
        assert_eq!(why_undecidable(&s, None, &clean, false, "2 MiB"), None);
        assert!(why_undecidable(&s, Some("EINVAL"), &clean, true, "2 MiB").is_some());
    }

    #[test]
    fn huge_pages_are_read_per_page() {
        let ps = 4096;
        let va = VirtAddr(0x20_0000);
        let regions = [
            Mapped {
                start: VirtAddr(0x1f_f000),
                end: VirtAddr(0x20_2000),
                present: true,
                huge: true,
                zero_page: false,
            },
            Mapped {
                start: VirtAddr(0x20_2000),
                end: VirtAddr(0x20_4000),
                present: true,
                huge: false,
                zero_page: false,
            },
        ];
        assert_eq!(huge_pages(&regions, va, 4, ps), [true, true, false, false]);
    }

    #[test]
    fn this_kernel_counts_thp_faults_and_scans_mappings() {
        // Where THP exists, /proc/vmstat counts its faults.
        if std::path::Path::new(THP_DIR).exists() {
            assert!(fault_counters().is_some());
        }
        let local = std::hint::black_box([1u8; 64]);
        let page = (local.as_ptr() as u64) & !4095;
        let m = mapping(std::process::id() as i32, page, 4096).unwrap();
        if let Some(regions) = m.seen() {
            assert!(regions.iter().all(|r| r.present), "{regions:?}");
        }
    }
}
