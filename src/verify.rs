//! `vmlab maps --verify`: each region's Rss, Pss and Swap from smaps, reconciled with
//! what pagemap and kpagecount say of its pages.
//!
//! smaps' counters are the kernel's own sums over a region's page-table entries:
//! - Rss: pages in RAM that are normal pages. The zero page is not (pagemap shows it
//!   present; smaps leaves it out), and hugetlb pages are counted apart
//!   (`Private_Hugetlb`, `Shared_Hugetlb`).
//! - Pss: each resident page's size divided by how many page-table entries map it,
//!   its map count (kpagecount); a page mapped once counts whole.
//! - Swap: the region's pages that are on swap.
//!
//! vmlab sums the same from pagemap and kpagecount, and names why a region differs:
//! zero pages and hugetlb pages (by design), or pages that changed between the two
//! reads (the process ran: `--freeze` stops it).

use std::io::Write;

use serde::Serialize;

use crate::addr::AddrRange;
use crate::error::Result;
use crate::frames::flag;
use crate::inspect::{Inspector, PageOptions, PagePlan, PageRow, PageSink, Segment, Target};
use crate::pagemap::PageState;
use crate::space::{AddressSpace, Region};

/// One region, both ways.
#[derive(Clone, Debug, Serialize)]
pub struct RegionCheck {
    pub region: Region,
    /// What pagemap and kpagecount give, in bytes.
    pub rss: u64,
    /// `None` without map counts (not root).
    pub pss: Option<u64>,
    pub swap: u64,
    /// Pages pagemap shows present on the zero page; `None` without kpageflags.
    pub zero_pages: Option<u64>,
    /// Pages in hugetlb pages; `None` without kpageflags.
    pub hugetlb_pages: Option<u64>,
    /// Whether smaps and the pages disagree on Rss, Pss or Swap.
    pub differs: bool,
    /// Why, as catalogue keys (`verify-why-zero-page` ...).
    pub reasons: Vec<String>,
}

/// Every region, and the totals both ways.
#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub target: Target,
    pub regions: Vec<RegionCheck>,
    pub differ: u64,
    pub frozen: bool,
    pub pss_known: bool,
}

/// Sums each region's pages as they are scanned.
struct Sums {
    current: Option<Acc>,
    done: Vec<Acc>,
}

#[derive(Default)]
struct Acc {
    present: u64,
    zero: u64,
    hugetlb: u64,
    swapped: u64,
    /// Σ page size / map count, in bytes × 2^12 (as the kernel's PSS_SHIFT keeps
    /// fractions).
    pss_scaled: u128,
    counts_known: bool,
    flags_known: bool,
}

impl PageSink for Sums {
    fn region(&mut self, _: &Region) -> Result<()> {
        if let Some(a) = self.current.take() {
            self.done.push(a);
        }
        self.current = Some(Acc {
            counts_known: true,
            flags_known: true,
            ..Acc::default()
        });
        Ok(())
    }
    fn gap(&mut self, _: AddrRange) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, row: &PageRow) -> Result<()> {
        let Some(a) = self.current.as_mut() else {
            return Ok(());
        };
        match row.state {
            PageState::Swapped => a.swapped += row.pages,
            PageState::Present => {
                let zero = row.flags.is_some_and(|f| f.has(flag::ZERO_PAGE));
                let huge = row.flags.is_some_and(|f| f.has(flag::HUGE));
                a.flags_known &= row.flags.is_some();
                a.zero += zero as u64;
                a.hugetlb += huge as u64;
                a.present += 1;
                match row.map_count {
                    Some(c) if !zero && !huge => {
                        a.pss_scaled += ((row.page_size() as u128) << 12) / c.max(1) as u128
                    }
                    Some(_) => {}
                    None => a.counts_known = false,
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Reads smaps, then the pages of every region, and compares.
pub fn verify(ins: &Inspector, target: &Target, frozen: bool) -> Result<VerifyReport> {
    let space = AddressSpace::read_in(&target.handle, true)?;
    let user_end = ins.paging.user_space_end();
    let regions: Vec<Region> = space
        .regions
        .into_iter()
        .filter(|r| r.start.0 < user_end)
        .collect();
    let plan = PagePlan {
        segments: regions.iter().cloned().map(Segment::Region).collect(),
        notes: Vec::new(),
    };
    let options = PageOptions {
        populated_only: true,
        frozen,
        ..PageOptions::default()
    };
    let mut sums = Sums {
        current: None,
        done: Vec::new(),
    };
    ins.scan_pages(target, &plan, options, &mut sums)?;
    if let Some(a) = sums.current.take() {
        sums.done.push(a);
    }
    let ps = ins.paging.page_size;
    let checks: Vec<RegionCheck> = regions
        .into_iter()
        .zip(sums.done)
        .map(|(region, a)| check(region, &a, ps, frozen))
        .collect();
    Ok(VerifyReport {
        target: target.clone(),
        differ: checks.iter().filter(|c| c.differs).count() as u64,
        regions: checks,
        frozen,
        pss_known: ins.privilege.pfns_visible
            && ins.privilege.kpagecount == crate::frames::Access::Readable,
    })
}

fn check(region: Region, a: &Acc, ps: u64, frozen: bool) -> RegionCheck {
    let usage = region.usage.unwrap_or_default();
    let normal = a.present - a.zero - a.hugetlb;
    let rss = normal * ps;
    let pss = a.counts_known.then_some((a.pss_scaled >> 12) as u64);
    let swap = a.swapped * ps;
    // smaps prints whole kB: compare in kB, Pss rounded down as the kernel does.
    let kb = |b: u64| b / 1024;
    let pss_differs = pss.is_some_and(|p| kb(p).abs_diff(kb(usage.pss)) > 1);
    let differs = kb(rss) != kb(usage.rss) || kb(swap) != kb(usage.swap) || pss_differs;
    let mut reasons = Vec::new();
    if a.zero > 0 {
        reasons.push("verify-why-zero-page".to_string());
    }
    if a.hugetlb > 0 {
        reasons.push("verify-why-hugetlb".to_string());
    }
    if differs && !a.flags_known {
        reasons.push("verify-why-hidden".to_string());
    } else if differs {
        reasons.push(if frozen {
            "verify-why-unexplained".to_string()
        } else {
            "verify-why-changed".to_string()
        });
    }
    RegionCheck {
        region,
        rss,
        pss,
        swap,
        zero_pages: a.flags_known.then_some(a.zero),
        hugetlb_pages: a.flags_known.then_some(a.hugetlb),
        differs,
        reasons,
    }
}

/// The text of `maps --verify`: the regions that differ, or carry a reason, each with
/// both sets of numbers and the why; then the totals.
pub fn render(out: &mut dyn Write, r: &VerifyReport, screen: crate::render::Screen) -> Result<()> {
    use crate::render::{human_size, text::wrap};
    let o = |e| crate::error::Error::Output(e);
    let say = |out: &mut dyn Write, text: &str, indent: usize| -> Result<()> {
        for line in wrap(text, screen.width.saturating_sub(indent).max(20)) {
            writeln!(out, "{}{line}", " ".repeat(indent)).map_err(o)?;
        }
        Ok(())
    };
    say(
        out,
        &crate::tr!(
            "verify-intro",
            pid = r.target.pid,
            command = r.target.command.as_str()
        ),
        0,
    )?;
    let mut shown = 0;
    for c in r
        .regions
        .iter()
        .filter(|c| c.differs || !c.reasons.is_empty())
    {
        shown += 1;
        let u = c.region.usage.unwrap_or_default();
        let name = crate::space::display_name(
            c.region
                .backing_bytes
                .as_deref()
                .unwrap_or(c.region.backing.as_bytes()),
        );
        writeln!(out).map_err(o)?;
        let head = format!(
            "{:x}-{:x} {} {}",
            c.region.start.0,
            c.region.end.0,
            c.region.kind.name(),
            name
        );
        say(out, &screen.palette.accent(&head), 0)?;
        let pss = c.pss.map_or("?".to_string(), human_size);
        let line = crate::tr!(
            "verify-numbers",
            smaps_rss = human_size(u.rss),
            rss = human_size(c.rss),
            smaps_pss = human_size(u.pss),
            pss = pss,
            smaps_swap = human_size(u.swap),
            swap = human_size(c.swap)
        );
        say(out, &line, 2)?;
        for key in &c.reasons {
            let why = crate::i18n::tr(key, None);
            let text = crate::tr!("verify-because", text = why.as_str());
            say(out, &text, 2)?;
        }
    }
    writeln!(out).map_err(o)?;
    let total = crate::tr!(
        "verify-total",
        regions = r.regions.len(),
        differ = r.differ,
        shown = shown
    );
    say(out, &screen.palette.bold(&total), 0)?;
    say(out, &crate::tr!("verify-pss-is"), 0)?;
    if !r.pss_known {
        say(
            out,
            &screen.palette.warn(&crate::tr!("verify-pss-hidden")),
            0,
        )?;
    }
    Ok(())
}
