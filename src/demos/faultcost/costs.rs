//! The costs the record holds, run by run and as quartiles: what the table shows and
//! the timing claims compare. A pure function of the record, like the claims.

use super::Observation;
use super::huge::HugeRun;
use super::stats::Spread;
use crate::demos::exact_size;
use crate::demos::hugepages::thp::{self, huge_pages};
use crate::experiment::Evidence;
use crate::tr;

/// Each cost in nanoseconds, over the runs; `None` where nothing was measured.
pub struct Costs {
    /// One demand fault (the demand writes' time per fault).
    pub fault: Option<Spread>,
    /// The demand writes per page (a fault and an access).
    pub demand_page: Option<Spread>,
    /// A write to a present, cached page.
    pub access: Option<Spread>,
    /// The first write to a present page, no warm-up.
    pub cold: Option<Spread>,
    /// The MAP_POPULATE mmap call, per page.
    pub populate_page: Option<Spread>,
    /// A write to a MAP_POPULATE'd page.
    pub populated: Option<Spread>,
    /// One huge-page fault, over the runs that got a huge page.
    pub huge_fault: Option<Spread>,
    /// One major fault, and the reads per page.
    pub major: Option<Spread>,
    pub major_page: Option<Spread>,
}

impl Costs {
    pub fn of(o: &Observation) -> Costs {
        let small = |f: &dyn Fn(&super::SmallRun) -> f64| {
            Spread::of(&o.small.iter().map(f).collect::<Vec<_>>())
        };
        let populate = |f: &dyn Fn(&super::PopulateRun) -> f64| {
            Spread::of(&o.populate.iter().map(f).collect::<Vec<_>>())
        };
        let major = |f: &dyn Fn(&super::MajorRun) -> f64| {
            let runs = o.major.seen().map_or(&[][..], |m| &m.runs[..]);
            Spread::of(&runs.iter().map(f).collect::<Vec<_>>())
        };
        let cached_writes = o.pages * o.warm_passes as u64;
        let huge: Vec<f64> = given(o).iter().map(|r| r.touch.ns as f64).collect();
        let file_pages = o.major.seen().map_or(0, |m| m.pages);
        Costs {
            fault: small(&|r| r.demand.ns_per(r.demand.minor)),
            demand_page: small(&|r| r.demand.ns_per(o.pages)),
            access: small(&|r| r.present.ns_per(cached_writes)),
            cold: small(&|r| r.cold.ns_per(o.pages)),
            populate_page: populate(&|r| r.mmap_ns as f64 / o.pages as f64),
            populated: populate(&|r| r.touch.ns_per(o.pages)),
            huge_fault: Spread::of(&huge),
            major: major(&|r| r.touch.ns_per(r.touch.major)),
            major_page: major(&|r| r.touch.ns_per(file_pages)),
        }
    }
}

/// Pages in a huge page.
pub fn huge_pages_per(o: &Observation) -> u64 {
    o.huge_size / o.page_size
}

/// Whether the kernel gave run `r` a huge page by any account: more than the written
/// page present, a page mapped huge, or AnonHugePages.
pub fn got_huge(o: &Observation, r: &HugeRun) -> bool {
    let n = huge_pages_per(o) as usize;
    let scanned = r
        .mapping
        .seen()
        .is_some_and(|m| huge_pages(m, r.va, n, o.page_size).contains(&true));
    scanned || r.anon_huge > 0 || r.present > 1
}

/// The runs that got a huge page.
pub fn given(o: &Observation) -> Vec<&HugeRun> {
    o.huge.iter().filter(|r| got_huge(o, r)).collect()
}

/// The runs the huge-page claims are decided on: all but those where the kernel
/// counted a fallback (no free huge frame); or why there are none (THP off, or every
/// run fell back).
pub fn decided(o: &Observation) -> Evidence<Vec<&HugeRun>> {
    let size = exact_size(o.huge_size);
    let mut last_reason = None;
    let mut runs = Vec::new();
    for r in &o.huge {
        let why = thp::why_undecidable(
            &o.thp,
            r.madvise_error.as_deref(),
            &r.thp_faults,
            got_huge(o, r),
            &size,
        );
        match why {
            Some(why) => last_reason = Some(why),
            None => runs.push(r),
        }
    }
    match (runs.is_empty(), last_reason) {
        (false, _) => Evidence::Seen(runs),
        (true, why) => Evidence::missing(why.unwrap_or_else(|| tr!("faultcost-no-runs"))),
    }
}

/// Every cost per 4 KiB page, labelled as the handout's table labels its rows, in the
/// table's order: what a chart of the costs draws. The huge page's one fault is spread
/// over the pages it made present.
pub fn per_page(o: &Observation) -> Vec<(String, Option<Spread>)> {
    let c = Costs::of(o);
    let n = huge_pages_per(o).max(1) as f64;
    vec![
        (
            tr!("faultcost-row-present", passes = o.warm_passes),
            c.access,
        ),
        (tr!("faultcost-row-cold"), c.cold),
        (tr!("faultcost-row-demand"), c.demand_page),
        (tr!("faultcost-row-populate-mmap"), c.populate_page),
        (tr!("faultcost-row-populated"), c.populated),
        (
            tr!("faultcost-row-huge", size = exact_size(o.huge_size)),
            c.huge_fault.map(|s| s.times(1.0 / n)),
        ),
        (tr!("faultcost-row-major"), c.major_page),
    ]
}
