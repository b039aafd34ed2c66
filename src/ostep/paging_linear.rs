//! paging-linear-translate.py: a linear page table. The script draws, page by page,
//! whether the page is used (`-u` percent) and a free frame for it, then the
//! addresses; vmlab draws the same with [`PyRandom`] and translates with
//! [`crate::sim::paging`]'s model.
//!
//! With `-c`, the script crashes (IndexError) on an address past the end of the
//! address space, and answers for another address past 4 GiB (it masks the VPN to 32
//! bits): vmlab answers (the access faults: there is no such entry) with a marked
//! line. Sizes the script crashes on (a page size of 0, text that is not a number)
//! and negative addresses are errors.

use std::collections::HashSet;

use super::optparse::{ADDRESSES, Kind, Opt, Parsed, SEED, asize, num, opt, physmem};
use super::size::convert;
use super::{PyInt, PyRandom, Run, Script, refuse};
use crate::error::Result;
use crate::sim::paging::model::{Geometry, translate};
use crate::sim::{Answer, Question, Word};
use crate::tr;

pub const SCRIPT: Script = Script {
    name: "paging-linear-translate.py",
    about: "ostep-paging-linear-about",
    options: OPTIONS,
    run,
};

const OPTIONS: &[Opt] = &[
    ADDRESSES,
    SEED,
    asize("16k"),
    physmem("64k"),
    opt(
        Some("pagesize"),
        'P',
        "pagesize",
        Kind::Str("4k"),
        "ostep-paging-linear-opt-pagesize",
    ),
    num("numaddrs"),
    opt(
        Some("used"),
        'u',
        "used",
        Kind::Int(50),
        "ostep-paging-linear-opt-used",
    ),
    opt(
        None,
        'v',
        "verbose",
        Kind::Flag,
        "ostep-paging-linear-opt-verbose",
    ),
    opt(None, 'c', "solve", Kind::Flag, "ostep-opt-compute"),
];

/// Python's `'%08x' % n`, negative numbers included (`-0000005`).
fn hex8(n: i64) -> String {
    if n < 0 {
        format!("-{:07x}", n.unsigned_abs())
    } else {
        format!("{n:08x}")
    }
}

fn run(p: &Parsed, out: &mut Run) -> Result<()> {
    out.say(format!("ARG seed {}", p.int("seed")));
    out.say(format!("ARG address space size {}", p.str("asize")));
    out.say(format!("ARG phys mem size {}", p.str("psize")));
    out.say(format!("ARG page size {}", p.str("pagesize")));
    let verbose = p.flag("verbose");
    out.say(format!(
        "ARG verbose {}",
        if verbose { "True" } else { "False" }
    ));
    out.say(format!("ARG addresses {}", p.str("addresses")));
    out.say("");
    let mut rng = PyRandom::seeded(p.int("seed"));
    let asize = convert("-a", p.str("asize"))?;
    let psize = convert("-p", p.str("psize"))?;
    let pagesize = convert("-P", p.str("pagesize"))?;
    let Some(geometry) = check_sizes(out, asize, psize, pagesize)? else {
        return Ok(());
    };
    let used = p.int("used").to_i64().unwrap_or(i64::MAX);
    let table = page_table(out, &mut rng, &geometry, used, verbose);
    let addresses: Vec<String> = if p.str("addresses") == "-1" {
        let num = super::count(p, "-n", "num")? as i64;
        (0..num)
            .map(|_| rng.below(asize as f64).to_string())
            .collect()
    } else {
        p.str("addresses").split(',').map(String::from).collect()
    };
    trace(out, p.flag("solve"), &geometry, &table, &addresses)
}

/// The script's checks of the sizes, in its order, with its error lines; the
/// geometry when they pass.
fn check_sizes(out: &mut Run, asize: i64, psize: i64, pagesize: i64) -> Result<Option<Geometry>> {
    let mut stop = |line: &str| {
        out.say(line);
        out.exit = 1;
        Ok(None)
    };
    const GIB: i64 = 1 << 30;
    if psize <= 1 {
        return stop("Error: must specify a non-zero physical memory size.");
    }
    if asize < 1 {
        return stop("Error: must specify a non-zero address-space size.");
    }
    if psize <= asize {
        return stop(
            "Error: physical memory size must be GREATER than address space size (for this simulation)",
        );
    }
    if psize >= GIB || asize >= GIB {
        return stop("Error: must use smaller sizes (less than 1 GB) for this simulation.");
    }
    if pagesize <= 0 {
        return Err(refuse(tr!(
            "ostep-paging-linear-bad-pagesize",
            value = pagesize
        )));
    }
    if asize % pagesize != 0 {
        return stop("Error in argument: address space must be a multiple of the pagesize");
    }
    if psize % pagesize != 0 {
        return stop("Error in argument: physical memory must be a multiple of the pagesize");
    }
    if !(asize as u64).is_power_of_two() {
        return stop("Error in argument: address space must be a power of 2");
    }
    if !(pagesize as u64).is_power_of_two() {
        return stop("Error in argument: page size must be a power of 2");
    }
    if (asize / pagesize) as u64 > super::MAX_LINES {
        let entries = (asize / pagesize).to_string();
        return Err(super::too_many("-a / -P", &entries));
    }
    // The script's entries are 32 bits: the valid bit on top, the PFN below.
    Geometry::uncapped(asize as u64, psize as u64, pagesize as u64, 4).map(Some)
}

/// The script's page table: for each virtual page, a draw decides whether it is used
/// (and then a draw picks a frame, again until a free one) or not. Printed as drawn.
fn page_table(
    out: &mut Run,
    rng: &mut PyRandom,
    g: &Geometry,
    used: i64,
    verbose: bool,
) -> Vec<Option<u64>> {
    for line in INTRO {
        out.say(*line);
    }
    let frames = g.frames() as f64;
    let mut taken = HashSet::new();
    let mut table = Vec::with_capacity(g.pages() as usize);
    for v in 0..g.pages() {
        let entry = loop {
            if rng.random() * 100.0 > 100.0 - used as f64 {
                let u = rng.below(frames) as u64;
                if taken.insert(u) {
                    break Some(u);
                }
            } else {
                break None;
            }
        };
        let lead = if verbose {
            format!("  [{v:8}]  ")
        } else {
            "  ".into()
        };
        out.say(format!("{lead}0x{:08x}", g.entry(entry)));
        table.push(entry);
    }
    out.say("");
    table
}

const INTRO: &[&str] = &[
    "",
    "The format of the page table is simple:",
    "The high-order (left-most) bit is the VALID bit.",
    "  If the bit is 1, the rest of the entry is the PFN.",
    "  If the bit is 0, the page is not valid.",
    "Use verbose mode (-v) if you want to print the VPN # by",
    "each entry of the page table.",
    "",
    "Page Table (from entry 0 down to the max size)",
];

/// The trace, translated by vmlab's linear page-table model.
fn trace(
    out: &mut Run,
    solve: bool,
    g: &Geometry,
    table: &[Option<u64>],
    addresses: &[String],
) -> Result<()> {
    out.say("Virtual Address Trace");
    for (i, text) in addresses.iter().enumerate() {
        let va = PyInt::parse(text)
            .and_then(|v| v.to_i64())
            .ok_or_else(|| refuse(tr!("ostep-bad-address", value = crate::error::quote(text))))?;
        if va < 0 {
            return Err(refuse(tr!("ostep-negative", flag = "-A", value = va)));
        }
        let head = format!("  VA 0x{} (decimal: {va:8}) --> ", hex8(va));
        let t = translate(g, table, va as u64);
        if !solve {
            out.say(format!("{head}PA or invalid address?"));
        } else if let Some(pa) = t.pa {
            out.say(format!("{head}{pa:08x} (decimal {pa:8}) [VPN {}]", t.vpn));
        } else {
            out.say(format!("{head} Invalid (VPN {} not valid)", t.vpn));
        }
        if solve && va as u64 >= g.asize {
            out.note(outside_note(g, va as u64));
        }
        let answer =
            t.pa.map_or(Answer::word(Word::Fault), |pa| Answer::hex(pa, 8));
        out.questions
            .push(Question::new(i, format!("VA 0x{va:08x}"), answer));
    }
    out.say("");
    if !solve {
        out.say("For each virtual address, write down the physical address it translates to");
        out.say("OR write down that it is an out-of-bounds address (e.g., segfault).");
        out.say("");
    }
    Ok(())
}

/// What the script does with an address past the address space, and why vmlab's
/// answer differs.
fn outside_note(g: &Geometry, va: u64) -> String {
    let vpn_mask = 0xffff_ffffu64 & !(g.page_size - 1);
    let script_vpn = (va & vpn_mask) >> g.offset_bits();
    if script_vpn < g.pages() {
        tr!(
            "ostep-paging-linear-aliased",
            asize = g.asize,
            vpn = script_vpn
        )
    } else {
        tr!("ostep-paging-linear-outside", asize = g.asize)
    }
}
