//! The two regions the curves are measured on: the same number of pages, once backed
//! by 4 KiB pages (MADV_NOHUGEPAGE) and once by 2 MiB transparent huge pages
//! (MADV_HUGEPAGE, 2 MiB-aligned), every page written before anything is timed so that
//! no page fault lands in a measurement. Whether the kernel really gave the second
//! region huge pages is read back from smaps (AnonHugePages): the 2 MiB curve is a
//! control only if it did.

use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::{Deserialize, Serialize};

use super::super::mem::{AnonMap, THP_DIR, ThpSettings};
use super::super::{Lab, meminfo_bytes, setting};
use super::{DEFAULT_MAX_PAGES, LIMIT_PAGES, chart};
use crate::addr::VirtAddr;
use crate::error::{Error, InputError, Result};
use crate::render::human_size;
use crate::tr;

/// What the demo will measure, checked before anything is mapped.
pub struct Plan {
    pub page: u64,
    /// The size one page-directory entry maps (`hpage_pmd_size`, 2 MiB on x86-64).
    pub huge: u64,
    pub max: u64,
    /// The 4 KiB region: `max` pages.
    pub small_bytes: u64,
    /// The 2 MiB region: `max` pages rounded up to whole huge pages.
    pub huge_bytes: u64,
}

/// The two mappings, alive while the curves are measured.
pub struct Maps {
    pub small: AnonMap,
    /// Where the 4 KiB region starts.
    pub small_at: u64,
    pub big: AnonMap,
    /// Where the 2 MiB region starts: the first huge-page boundary in `big`.
    pub big_at: u64,
}

/// The regions as the kernel showed them once every page was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regions {
    pub small: VirtAddr,
    pub small_bytes: u64,
    pub big: VirtAddr,
    pub big_bytes: u64,
    /// smaps AnonHugePages of each region.
    pub small_anon_huge: u64,
    pub big_anon_huge: u64,
    /// The THP settings, as the kernel printed them.
    pub thp: ThpSettings,
}

/// Checks `--max-pages` and `--plot`, and that the two regions fit in memory.
pub fn plan(lab: &Lab) -> Result<Plan> {
    let page = lab.page_size();
    let max = lab.options.max_pages.unwrap_or(DEFAULT_MAX_PAGES);
    if !max.is_power_of_two() || !(2..=LIMIT_PAGES).contains(&max) {
        return Err(InputError::BadParameter {
            name: "max-pages".into(),
            why: format!("{max} is not a power of two from 2 to {LIMIT_PAGES}"),
        }
        .into());
    }
    if let Some(p) = &lab.options.plot {
        chart::check_plot_path(p)?;
    }
    let huge = setting(&format!("{THP_DIR}/hpage_pmd_size"))
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(page / 8 * page);
    let small_bytes = max * page;
    let huge_bytes = small_bytes.next_multiple_of(huge);
    let available = meminfo_bytes("MemAvailable")?;
    if small_bytes + huge_bytes + huge > available / 2 {
        return Err(Error::Unsupported {
            what: format!("measuring {max} pages"),
            why: format!(
                "it needs {} of memory ({} per backing) and MemAvailable is {}; use a \
                 smaller --max-pages",
                human_size(small_bytes + huge_bytes),
                human_size(small_bytes),
                human_size(available)
            ),
        });
    }
    Ok(Plan {
        page,
        huge,
        max,
        small_bytes,
        huge_bytes,
    })
}

/// Maps both regions with their advice and writes every page.
pub fn map(plan: &Plan) -> Result<Maps> {
    let mmap = |bytes: u64| {
        AnonMap::new(bytes, MapFlags::empty())
            .map_err(|err| Error::Child(format!("mmap of {}: {err}", human_size(bytes))))
    };
    let small = mmap(plan.small_bytes)?;
    let small_at = small.addr();
    small.advise(small_at, plan.small_bytes, MmapAdvise::MADV_NOHUGEPAGE)?;
    // One huge page more than needed, so that a 2 MiB boundary lies inside.
    let big = mmap(plan.huge_bytes + plan.huge)?;
    let big_at = big.addr().next_multiple_of(plan.huge);
    big.advise(big_at, plan.huge_bytes, MmapAdvise::MADV_HUGEPAGE)?;
    for i in 0..plan.max {
        small.touch(small_at + i * plan.page, 1);
    }
    for i in 0..plan.huge_bytes / plan.page {
        big.touch(big_at + i * plan.page, 1);
    }
    Ok(Maps {
        small,
        small_at,
        big,
        big_at,
    })
}

/// Reads smaps once for both regions, and the THP settings.
pub fn observe(plan: &Plan, maps: &Maps) -> Result<Regions> {
    let space = crate::space::AddressSpace::read(std::process::id() as i32)?;
    let anon_huge = |va: u64| -> Result<u64> {
        space
            .find(VirtAddr(va))
            .and_then(|r| r.usage)
            .map(|u| u.anon_huge)
            .ok_or_else(|| Error::Child(format!("no smaps usage for {va:#x}")))
    };
    let s = ThpSettings::read();
    Ok(Regions {
        small: VirtAddr(maps.small_at),
        small_bytes: plan.small_bytes,
        big: VirtAddr(maps.big_at),
        big_bytes: plan.huge_bytes,
        small_anon_huge: anon_huge(maps.small_at)?,
        big_anon_huge: anon_huge(maps.big_at)?,
        thp: s,
    })
}

impl Regions {
    /// Why the 2 MiB region is not (all) huge pages, if it is not: then its curve is no
    /// control for the 4 KiB one.
    pub fn huge_missing(&self) -> Option<String> {
        self.thp.forbids().or_else(|| {
            (self.big_anon_huge < self.big_bytes).then(|| {
                tr!(
                    "tlb-thp-declined",
                    got = human_size(self.big_anon_huge),
                    size = human_size(self.big_bytes),
                    settings = self.thp.describe()
                )
            })
        })
    }
}
