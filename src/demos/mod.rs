//! The demos: one experiment per concept of the course.
//!
//! Each module here is a lab handout in code: it says what it does, does it on the
//! real kernel, and returns an [`Experiment`] whose claims compare theory with what
//! was observed. The binaries in `demos/` (`vm-cow`, ...) and `vmlab tour` only run
//! these functions and print the result.

use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::Experiment;
use crate::inspect::{Inspector, PageRow};

#[cfg(test)]
pub mod claimtest;
pub mod cow;
pub mod demand;
pub mod dirty;
pub mod faultcost;
pub mod fragmentation;
pub mod hugepages;
pub mod isolation;
pub mod mem;
pub mod page;
pub mod pagetable_cost;
pub mod protect;
pub mod segments;
pub mod shared;
pub mod tlb;
pub mod translate;
pub mod zeropage;

/// A demo: its name (the binary is `vm-<name>`), one line about it, and its body.
pub struct Demo {
    pub name: &'static str,
    /// The catalogue key of the one line about it (see [`Demo::summary`]).
    pub summary_key: &'static str,
    pub run: fn(&Lab) -> Result<Experiment>,
    /// The [`DemoOptions`] this demo reads (`"plot"`, `"max-pages"`); any other is
    /// refused on its command line.
    pub options: &'static [&'static str],
    /// Its claims' cases: each can be contradicted and can lack its evidence (see
    /// [`claimtest`]).
    #[cfg(test)]
    pub claim_tests: fn() -> claimtest::ClaimTests,
}

/// Every demo, in the order of the course (and of `vmlab tour`).
pub const DEMOS: &[Demo] = &[
    Demo {
        name: "segments",
        summary_key: "segments-summary",
        run: segments::run,
        options: &[],
        #[cfg(test)]
        claim_tests: segments::tests::claim_tests,
    },
    Demo {
        name: "translate",
        summary_key: "translate-summary",
        run: translate::run,
        options: &[],
        #[cfg(test)]
        claim_tests: translate::tests::claim_tests,
    },
    Demo {
        name: "isolation",
        summary_key: "isolation-summary",
        run: isolation::run,
        options: &[],
        #[cfg(test)]
        claim_tests: isolation::tests::claim_tests,
    },
    Demo {
        name: "cow",
        summary_key: "cow-summary",
        run: cow::run,
        options: &[],
        #[cfg(test)]
        claim_tests: cow::tests::claim_tests,
    },
    Demo {
        name: "shared",
        summary_key: "shared-summary",
        run: shared::run,
        options: &[],
        #[cfg(test)]
        claim_tests: shared::tests::claim_tests,
    },
    Demo {
        name: "protect",
        summary_key: "protect-summary",
        run: protect::run,
        options: &[],
        #[cfg(test)]
        claim_tests: protect::tests::claim_tests,
    },
    Demo {
        name: "demand",
        summary_key: "demand-summary",
        run: demand::run,
        options: &[],
        #[cfg(test)]
        claim_tests: demand::tests::claim_tests,
    },
    Demo {
        name: "zeropage",
        summary_key: "zeropage-summary",
        run: zeropage::run,
        options: &[],
        #[cfg(test)]
        claim_tests: zeropage::tests::claim_tests,
    },
    Demo {
        name: "dirty",
        summary_key: "dirty-summary",
        run: dirty::run,
        options: &[],
        #[cfg(test)]
        claim_tests: dirty::tests::claim_tests,
    },
    Demo {
        name: "pagetable-cost",
        summary_key: "pagetable-cost-summary",
        run: pagetable_cost::run,
        options: &[],
        #[cfg(test)]
        claim_tests: pagetable_cost::tests::claim_tests,
    },
    Demo {
        name: "hugepages",
        summary_key: "hugepages-summary",
        run: hugepages::run,
        options: &[],
        #[cfg(test)]
        claim_tests: hugepages::tests::claim_tests,
    },
    Demo {
        name: "fragmentation",
        summary_key: "fragmentation-summary",
        run: fragmentation::run,
        options: &[],
        #[cfg(test)]
        claim_tests: fragmentation::tests::claim_tests,
    },
    Demo {
        name: "tlb",
        summary_key: "tlb-summary",
        run: tlb::run,
        options: &["plot", "max-pages"],
        #[cfg(test)]
        claim_tests: tlb::tests::claim_tests,
    },
    Demo {
        name: "faultcost",
        summary_key: "faultcost-summary",
        run: faultcost::run,
        options: &[],
        #[cfg(test)]
        claim_tests: faultcost::tests::claim_tests,
    },
];

impl Demo {
    /// One line about the demo, in the chosen language.
    pub fn summary(&self) -> String {
        crate::i18n::tr(self.summary_key, None)
    }
}

/// Finds a demo by name (`cow` or `vm-cow`).
pub fn find(name: &str) -> Result<&'static Demo> {
    let bare = name.strip_prefix("vm-").unwrap_or(name);
    DEMOS
        .iter()
        .find(|d| d.name == bare)
        .ok_or_else(|| Error::UnknownDemo {
            name: name.to_string(),
            suggestion: closest(bare, DEMOS.iter().map(|d| d.name)).map(String::from),
            known: DEMOS.iter().map(|d| d.name).collect::<Vec<_>>().join(", "),
        })
}

/// The candidate nearest to `typed`, if near enough to be a typo: at most a third of
/// its letters edited (`cwo` → `cow`, `zeropgae` → `zeropage`), or a prefix of it.
pub fn closest<'a>(typed: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_ascii_lowercase();
    candidates
        .map(|c| (edit_distance(&typed, c), c))
        .filter(|&(d, c)| d <= (c.len() / 3).max(1) || (typed.len() >= 3 && c.starts_with(&typed)))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit (`cwo`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// What every demo needs: the inspector (paging, privilege, frame files).
pub struct Lab {
    pub inspector: Inspector,
    pub options: DemoOptions,
}

/// Options a demo may take on its command line (see [`Demo::options`]).
#[derive(Clone, Debug, Default)]
pub struct DemoOptions {
    /// `--plot FILE`: also draw the measurements into this file (.svg or .png).
    pub plot: Option<std::path::PathBuf>,
    /// `--max-pages N`: measure up to this many pages instead of the default.
    pub max_pages: Option<u64>,
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

impl Lab {
    pub fn new() -> Lab {
        Lab::with_options(DemoOptions::default())
    }

    pub fn with_options(options: DemoOptions) -> Lab {
        Lab {
            inspector: Inspector::new(),
            options,
        }
    }

    pub fn page_size(&self) -> u64 {
        self.inspector.paging.page_size
    }

    /// One page of a process, as the kernel shows it now.
    pub fn page(&self, pid: i32, va: u64) -> Result<PageRow> {
        self.inspector.page(pid, VirtAddr(va))
    }

    /// The pages at `va`, `va + page`, ... (`count` of them) of a process, read at once.
    pub fn pages(&self, pid: i32, va: u64, count: usize) -> Result<Vec<PageRow>> {
        self.inspector.pages(pid, VirtAddr(va), count)
    }

    /// A new experiment that already carries this run's privilege notice.
    pub fn experiment(
        &self,
        name: &str,
        title: impl Into<String>,
        about: impl Into<String>,
    ) -> Experiment {
        let mut e = Experiment::new(name, title, about);
        e.notice = self.inspector.privilege.notice();
        e
    }
}

/// This process's minor page faults so far (getrusage).
pub fn minor_faults() -> u64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .map(|u| u.minor_page_faults() as u64)
        .unwrap_or(0)
}

/// Writes one byte to page `i` at `base` for each `i` of `indices`, and returns the
/// minor faults that took. Not inlined, so that a warm-up run and the measured run
/// execute the same instructions (the first run of a code page can fault too).
#[inline(never)]
pub fn write_pages_counting_faults(base: usize, indices: &[u64], ps: u64) -> u64 {
    let before = minor_faults();
    for &i in indices {
        // SAFETY: callers pass a private read-write mapping of this process that holds
        // every page index in `indices`.
        unsafe { std::ptr::write_volatile((base as u64 + i * ps) as *mut u8, 1) };
    }
    minor_faults() - before
}

/// Reads one byte of page `i` at `base` for each `i` of `indices`, and returns the
/// minor faults that took; not inlined, like [`write_pages_counting_faults`].
#[inline(never)]
pub fn read_pages_counting_faults(base: usize, indices: &[u64], ps: u64) -> u64 {
    let before = minor_faults();
    let mut sum = 0u8;
    for &i in indices {
        // SAFETY: callers pass a readable mapping of this process that holds every page
        // index in `indices`.
        sum = sum
            .wrapping_add(unsafe { std::ptr::read_volatile((base as u64 + i * ps) as *const u8) });
    }
    std::hint::black_box(sum);
    minor_faults() - before
}

/// Writes to the next `STACK_PREFAULT` bytes of stack below the caller, so that a
/// forked child's own stack no longer shares frames copy-on-write with its parent.
///
/// A child that counts its page faults must do this first: otherwise the first write to
/// a stack page (a local, the buffer getrusage fills) is a copy-on-write fault too, and
/// whether one happens depends on where ASLR put the stack within its page. Only plain
/// memory writes: async-signal-safe, fit for a child of fork().
#[inline(never)]
pub fn prefault_stack() {
    const STACK_PREFAULT: usize = 32 * 1024;
    let mut buf = [0u8; STACK_PREFAULT];
    for i in (0..STACK_PREFAULT).step_by(512) {
        // SAFETY: i < STACK_PREFAULT, so the pointer is inside `buf`.
        unsafe { std::ptr::write_volatile(buf.as_mut_ptr().add(i), 1) };
    }
    std::hint::black_box(&buf);
}

/// The region that holds `va` in process `pid`, with its smaps usage, read now.
pub fn region_at(pid: i32, va: u64) -> Result<crate::space::Region> {
    let space = crate::space::AddressSpace::read(pid)?;
    space
        .find(VirtAddr(va))
        .cloned()
        .ok_or_else(|| Error::Child(format!("no region of process {pid} holds {va:#x}")))
}

/// The smaps usage (RSS, Private_Dirty, Referenced, AnonHugePages ...) of the region
/// that holds `va` in process `pid`, read now.
pub fn usage_at(pid: i32, va: u64) -> Result<crate::space::Usage> {
    region_at(pid, va)?
        .usage
        .ok_or_else(|| Error::Child(format!("smaps of process {pid} has no usage for {va:#x}")))
}

/// A size field of `/proc/<pid>/status` (`VmRSS`, `VmPTE` ...), in bytes.
pub fn status_bytes(pid: i32, field: &str) -> Result<u64> {
    let path = std::path::PathBuf::from(format!("/proc/{pid}/status"));
    let text =
        std::fs::read_to_string(&path).map_err(|err| Error::from_proc_io(pid, &path, err))?;
    text.lines()
        .find_map(|line| {
            let value = line.strip_prefix(field)?.strip_prefix(':')?;
            let kib: u64 = value.trim().strip_suffix("kB")?.trim().parse().ok()?;
            Some(kib * 1024)
        })
        .ok_or_else(|| Error::Child(format!("{} has no {field} line", path.display())))
}

/// A size field of `/proc/meminfo` (`MemTotal`, `SwapTotal` ...), in bytes.
pub fn meminfo_bytes(field: &str) -> Result<u64> {
    let path = "/proc/meminfo";
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    text.lines()
        .find_map(|l| {
            let v = l.strip_prefix(field)?.strip_prefix(':')?;
            v.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()
        })
        .map(|kib| kib * 1024)
        .ok_or_else(|| Error::Malformed {
            path: path.into(),
            detail: format!("no {field} line"),
        })
}

/// A kernel setting from a file such as `/proc/sys/vm/overcommit_memory` or
/// `/sys/kernel/mm/transparent_hugepage/enabled`, trimmed; `None` if unreadable.
pub fn setting(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The median of the finite values of `values` (NaN when there are none): the
/// middle one, or the mean of the two middle ones.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// A size as an exact count of its largest whole unit: `2 MiB`, `4 KiB`, `1536 bytes`.
pub fn exact_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b.is_multiple_of(1 << 20) => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b.is_multiple_of(1 << 10) => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_can_fail_and_can_say_it_cannot_tell() {
        let problems: Vec<String> = DEMOS
            .iter()
            .flat_map(|d| claimtest::problems(d.name, &(d.claim_tests)()))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn typos_of_demo_names_are_suggested() {
        let names = || DEMOS.iter().map(|d| d.name);
        assert_eq!(closest("cwo", names()), Some("cow"));
        assert_eq!(closest("zeropgae", names()), Some("zeropage"));
        assert_eq!(closest("pagetable", names()), Some("pagetable-cost"));
        assert_eq!(closest("nope", names()), None);
        assert_eq!(closest("tbl", names()), Some("tlb"));
    }

    #[test]
    fn every_demo_summary_is_in_the_catalogue() {
        for d in DEMOS {
            assert_ne!(d.summary(), d.summary_key, "{}", d.name);
        }
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(median(&[f64::NAN, 5.0]), 5.0);
    }

    #[test]
    fn exact_sizes() {
        assert_eq!(exact_size(2 << 20), "2 MiB");
        assert_eq!(exact_size(4096), "4 KiB");
        assert_eq!(exact_size(1536), "1536 bytes");
    }
}
