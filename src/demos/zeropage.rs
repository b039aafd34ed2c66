//! vm-zeropage: the zero page: many pages, one frame.
//!
//! Theory: fresh anonymous memory must read as zeros. A page that is only ever read
//! needs no frame of its own: the kernel keeps one frame full of zeros (the *zero page*)
//! and, on a read fault, maps it read-only into the page table. Any number of pages, in
//! any number of processes, can point at that one frame. The kernel does not even count
//! those mappings (the zero page is not reference-counted). The first *write* to such a
//! page faults again: now the kernel allocates a frame, zeroes it and maps it writable:
//! the page gets its own frame, like copy-on-write with the zero page as the original.
//!
//! What we do: map 64 private anonymous pages, read each (counting our page faults),
//! and look at the pagemap (present? exclusive? which PFN?), at the frame's kpageflags
//! and kpagecount, at the region's smaps `Rss`, and at the kernel's own verdict through
//! the PAGEMAP_SCAN ioctl (category PFNZERO, Linux 6.7+). Then we write to a few of the
//! pages and look again.

use nix::sys::mman::{MapFlags, MmapAdvise};

use super::demand::{kib, region_rss, unless_merged};
use super::mem::AnonMap;
use super::{
    FRAMES_HIDDEN, Lab, PFNS_HIDDEN, hex_list, labelled, page_table, pfns,
    read_pages_counting_faults, write_pages_counting_faults,
};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment};
use crate::frames::flag;
use crate::inspect::PageRow;
use crate::pagemap::Pagemap;

/// Pages mapped and read.
const PAGES: u64 = 64;
/// The pages then written (indices).
const WRITTEN: [u64; 4] = [0, 5, 17, 42];
/// Extra faults tolerated over the predicted count.
const FAULT_SLACK: u64 = 2;
/// Rows of the page table printed (the rest look the same).
const SHOWN: usize = 6;

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "zeropage",
        "the zero page: many pages, one frame",
        "Reading never-written anonymous memory maps the kernel's one shared frame of zeros; \
         the first write to a page gives it a frame of its own.",
    );
    let ps = lab.page_size();
    let me = std::process::id() as i32;
    let len = PAGES * ps;
    let mapping = || {
        AnonMap::new(len, MapFlags::empty())
            .map_err(|e| Error::Child(format!("mmap of {len} bytes: {e}")))
    };
    let region = mapping()?;
    let scratch = mapping()?;
    // Huge pages off for this region: a read of a huge-page region maps the *huge* zero
    // page instead (vm-hugepages); here we want the base-page case.
    let nohuge = region
        .advise(region.addr(), len, MmapAdvise::MADV_NOHUGEPAGE)
        .is_ok();
    let va = region.addr();

    // Warm-up: the measuring code runs once on pages we own, so that its own first-run
    // faults (code, stack) do not land in the counts.
    let all: Vec<u64> = (0..PAGES).collect();
    write_pages_counting_faults(scratch.addr() as usize, &all, ps);
    read_pages_counting_faults(scratch.addr() as usize, &[0], ps);
    read_pages_counting_faults(scratch.addr() as usize, &all[1..], ps);
    write_pages_counting_faults(scratch.addr() as usize, &WRITTEN, ps);

    let untouched_rss = region_rss(me, va, len)?;
    // Read the first page alone: the zero page's map count now, and after 63 more.
    let first_faults = read_pages_counting_faults(region.addr() as usize, &[0], ps);
    let first = lab.page(me, va)?;
    let rest_faults = read_pages_counting_faults(region.addr() as usize, &all[1..], ps);
    let read_faults = first_faults + rest_faults;
    let read = lab.pages(me, va, PAGES as usize)?;
    let first_again = lab.page(me, va)?;
    let read_rss = region_rss(me, va, len)?;
    let read_scan = pfnzero_pages(va, PAGES, ps);
    e.show(
        format!(
            "We map {PAGES} private anonymous pages at {va:#x} (MADV_NOHUGEPAGE{}) and read one \
             byte of each: {read_faults} page faults (getrusage). smaps Rss of the region: {} \
             before, {} after. The first {SHOWN} pages:",
            if nohuge { "" } else { " refused" },
            kib(untouched_rss),
            kib(read_rss)
        ),
        page_table(&labelled("page", &read[..SHOWN])),
    );

    let write_faults = write_pages_counting_faults(region.addr() as usize, &WRITTEN, ps);
    let written = lab.pages(me, va, PAGES as usize)?;
    let written_rss = region_rss(me, va, len)?;
    let written_scan = pfnzero_pages(va, PAGES, ps);
    let shown: Vec<(String, &PageRow)> = written[..SHOWN]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let what = if WRITTEN.contains(&(i as u64)) {
                "written"
            } else {
                "read"
            };
            (format!("page {i} ({what})"), r)
        })
        .collect();
    e.show(
        format!(
            "We write one byte to pages {WRITTEN:?}: {write_faults} more page faults, although \
             those pages were already present. smaps Rss: {}. The first {SHOWN} pages:",
            kib(written_rss)
        ),
        page_table(&shown),
    );
    drop(region);
    drop(scratch);

    let read_pfns = pfns(&read);
    let zero_pfn = read_pfns.as_ref().and_then(|p| p.first().copied());
    let written_pfns = pfns(&written);
    let zero_flags = read.first().and_then(|r| r.flags);
    let counts = first.map_count.zip(first_again.map_count);
    e.observe("page_size", ps);
    e.observe("va", format!("{va:#x}"));
    e.observe("pages", PAGES);
    e.observe("written", WRITTEN);
    e.observe("madv_nohugepage", nohuge);
    e.observe("rss_untouched", untouched_rss);
    e.observe("read_faults", read_faults);
    e.observe(
        "read_present",
        read.iter().filter(|r| is_present(r)).count(),
    );
    e.observe(
        "read_exclusive",
        read.iter().filter(|r| r.exclusive).count(),
    );
    e.observe("rss_after_read", read_rss);
    e.observe("read_pfns", &read_pfns);
    e.observe("zero_pfn", zero_pfn);
    e.observe("zero_page_flags", zero_flags);
    e.observe("zero_map_count_first", first.map_count);
    e.observe("zero_map_count_all", first_again.map_count);
    e.observe("pfnzero_after_read", read_scan.as_ref().ok());
    e.observe("write_faults", write_faults);
    e.observe("written_pfns", &written_pfns);
    e.observe(
        "written_exclusive",
        written.iter().map(|r| r.exclusive).collect::<Vec<_>>(),
    );
    e.observe("rss_after_write", written_rss);
    e.observe("pfnzero_after_write", written_scan.as_ref().ok());

    // Claims: first what anyone may see, then what needs root.
    let present = read.iter().filter(|r| is_present(r)).count() as u64;
    e.claim(Claim::check(
        "reading never-written pages makes them present",
        &format!("{PAGES} of {PAGES} present in pagemap"),
        format!("{present} of {PAGES} present"),
        present == PAGES,
    ));
    e.claim(Claim::check(
        "each first read still takes a page fault",
        &format!("{PAGES} minor faults (up to {FAULT_SLACK} more tolerated)"),
        format!("{read_faults} minor faults"),
        (PAGES..=PAGES + FAULT_SLACK).contains(&read_faults),
    ));
    e.claim(unless_merged(
        untouched_rss.is_some() && read_rss.is_some(),
        Claim::check(
            "the read pages use no memory of their own",
            "smaps Rss of the region stays 0",
            format!(
                "Rss {} before, {} after reading {PAGES} pages",
                kib(untouched_rss),
                kib(read_rss)
            ),
            untouched_rss == Some(0) && read_rss == Some(0),
        ),
    ));
    let excl = read.iter().filter(|r| r.exclusive).count();
    e.claim(Claim::check(
        "no read page is exclusively ours",
        "exclusive = no for every page (the frame is shared by all)",
        format!("{excl} of {PAGES} exclusive"),
        excl == 0,
    ));
    let theory = "PAGEMAP_SCAN reports PFNZERO for every read page";
    match &read_scan {
        Ok(zero) => {
            let n = zero.iter().filter(|&&z| z).count() as u64;
            e.claim(Claim::check(
                "the kernel itself says each read page maps the zero page",
                theory,
                format!("PFNZERO on {n} of {PAGES} pages"),
                n == PAGES,
            ));
        }
        Err(why) => e.claim(Claim::unverifiable(
            "the kernel itself says each read page maps the zero page",
            theory,
            why,
        )),
    }
    e.claim(Claim::check_if(
        "many pages, one frame: every read page maps the same PFN",
        &format!("one PFN for all {PAGES} pages"),
        read_pfns.as_ref(),
        |p| {
            let mut d: Vec<u64> = p.to_vec();
            d.sort_unstable();
            d.dedup();
            (
                format!("{} distinct PFN(s): {}", d.len(), hex_list(&d)),
                d.len() == 1,
            )
        },
        PFNS_HIDDEN,
    ));
    e.claim(Claim::check_if(
        "that frame is the kernel's zero page",
        "kpageflags ZERO_PAGE",
        zero_flags,
        |f| {
            (
                format!("flags: {}", f.names().join(" ").to_lowercase()),
                f.has(flag::ZERO_PAGE),
            )
        },
        if read_pfns.is_none() {
            PFNS_HIDDEN
        } else {
            FRAMES_HIDDEN
        },
    ));
    e.claim(Claim::check_if(
        "mapping the zero page more times leaves its map count unchanged",
        &format!("kpagecount the same after 1 and after {PAGES} mappings"),
        counts,
        |&(one, all)| {
            (
                format!("map count {one} after 1 page, {all} after {PAGES}"),
                one == all,
            )
        },
        if read_pfns.is_none() {
            PFNS_HIDDEN
        } else {
            FRAMES_HIDDEN
        },
    ));
    let nw = WRITTEN.len() as u64;
    e.claim(Claim::check(
        "the first write to a zero-page page faults again",
        &format!("{nw} minor faults for {nw} written pages"),
        format!("{write_faults} minor faults"),
        (nw..=nw + FAULT_SLACK).contains(&write_faults),
    ));
    let excl_now: Vec<u64> = (0..PAGES)
        .filter(|&i| written[i as usize].exclusive)
        .collect();
    e.claim(unless_merged(
        written_rss.is_some(),
        Claim::check(
            "after the write, exactly the written pages are our own",
            &format!("exclusive pages {WRITTEN:?}; Rss {nw} x {} KiB", ps / 1024),
            format!("exclusive pages {excl_now:?}; Rss {}", kib(written_rss)),
            excl_now == WRITTEN && written_rss == Some(nw * ps),
        ),
    ));
    let theory = "PFNZERO on the unwritten pages only";
    match &written_scan {
        Ok(zero) => {
            let zero_idx: Vec<u64> = (0..PAGES).filter(|&i| zero[i as usize]).collect();
            let expect: Vec<u64> = (0..PAGES).filter(|i| !WRITTEN.contains(i)).collect();
            e.claim(Claim::check(
                "the kernel itself says the written pages left the zero page",
                theory,
                format!(
                    "PFNZERO on {} pages; the written ones among them: {:?}",
                    zero_idx.len(),
                    WRITTEN
                        .iter()
                        .filter(|i| zero_idx.contains(i))
                        .collect::<Vec<_>>()
                ),
                zero_idx == expect,
            ));
        }
        Err(why) => e.claim(Claim::unverifiable(
            "the kernel itself says the written pages left the zero page",
            theory,
            why,
        )),
    }
    e.claim(Claim::check_if(
        "the first write gives the page a frame of its own",
        "written pages: new, distinct PFNs; the others still the zero page",
        zero_pfn.zip(written_pfns.as_ref()),
        |(z, w)| {
            let own: Vec<u64> = WRITTEN.iter().map(|&i| w[i as usize]).collect();
            let mut d = own.clone();
            d.sort_unstable();
            d.dedup();
            let others_zero = (0..PAGES)
                .filter(|i| !WRITTEN.contains(i))
                .all(|i| w[i as usize] == *z);
            (
                format!(
                    "written: {}; zero page {z:#x}; {} of {} unwritten still on it",
                    hex_list(&own),
                    (0..PAGES)
                        .filter(|i| !WRITTEN.contains(i) && w[*i as usize] == *z)
                        .count(),
                    PAGES - nw
                ),
                d.len() == own.len() && !d.contains(z) && others_zero,
            )
        },
        PFNS_HIDDEN,
    ));
    Ok(e)
}

fn is_present(r: &PageRow) -> bool {
    r.state == crate::pagemap::PageState::Present
}

/// For each of `count` pages at `va` of this process: does PAGEMAP_SCAN say it maps the
/// zero page? `Err` with the reason when the kernel has no PAGEMAP_SCAN.
fn pfnzero_pages(va: u64, count: u64, ps: u64) -> std::result::Result<Vec<bool>, String> {
    use crate::pagemap::scan::{Masks, PAGE_IS_PFNZERO, PAGE_IS_PRESENT, pages_with};
    let masks = Masks {
        any_of: PAGE_IS_PRESENT | PAGE_IS_PFNZERO,
        returned: PAGE_IS_PRESENT | PAGE_IS_PFNZERO,
        ..Masks::default()
    };
    let regions = Pagemap::open(std::process::id() as i32)
        .and_then(|pm| pm.page_regions(va, va + count * ps, masks))
        .map_err(|e| e.to_string())?;
    Ok(pages_with(
        &regions,
        va,
        count as usize,
        ps,
        PAGE_IS_PFNZERO,
    ))
}
