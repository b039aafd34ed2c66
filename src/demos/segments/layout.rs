//! The layout of this very process: one thing of each kind (a function, globals, a
//! small and a large allocation, stack variables, argv), where it is, and which region
//! of /proc/self/maps holds it; and the claims about their order and permissions.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::render::human_size;
use crate::space::{AddressSpace, Region, RegionKind};
use crate::{claim, tr};

/// An initialised global: it lives in .data.
static INITIALISED: AtomicU64 = AtomicU64::new(0x5eed);
/// A zero-initialised global: it lives in .bss.
static ZEROED: AtomicU64 = AtomicU64::new(0);

/// The sizes of the two allocations: one small enough for the brk heap, one large
/// enough that malloc maps it apart (glibc's threshold starts at 128 KiB).
const SMALL: usize = 64;
const LARGE: usize = 4 << 20;

/// What an address is the address of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Function,
    InitialisedGlobal,
    ZeroedGlobal,
    SmallMalloc,
    LargeMalloc,
    Vdso,
    ThreadStackVariable,
    StackVariable,
    Argv,
    Environment,
}

/// Something whose address we took, and the region that holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub thing: Thing,
    pub addr: VirtAddr,
    /// The region of /proc/self/maps that holds it, or why there is none.
    pub region: Evidence<Segment>,
}

/// One region of /proc/self/maps, as the record keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start: VirtAddr,
    pub end: VirtAddr,
    /// `r-xp`, as maps prints it.
    pub perms: String,
    /// vmlab's name for what the region is (`text`, `data`, `heap`, `stack` ...).
    pub kind: String,
    /// The backing file's base name, or the kernel's bracketed name.
    pub name: String,
    /// Its position among all the regions of maps, lowest first.
    pub index: usize,
}

impl Segment {
    fn of(index: usize, r: &Region) -> Segment {
        Segment {
            start: r.start,
            end: r.end,
            perms: r.perms.to_string(),
            kind: r.kind.name().to_string(),
            name: r.short_name().to_string(),
            index,
        }
    }

    fn is(&self, kind: RegionKind) -> bool {
        self.kind == kind.name()
    }

    /// Readable and writable, not executable.
    fn rw_only(&self) -> bool {
        self.perms.starts_with("rw-")
    }
}

/// Takes the address of one thing of each kind, reads /proc/self/maps, and returns the
/// items and the regions the drawing shows.
pub fn gather() -> Result<(Vec<Item>, Vec<Segment>)> {
    let small = Box::new([1u8; SMALL]);
    let large = vec![1u8; LARGE];
    let local = std::hint::black_box(7u64);
    let (arg_start, env_start) = arg_env_start()?;
    // SAFETY: getauxval only reads the auxiliary vector the kernel gave us.
    let vdso = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) };
    INITIALISED.fetch_add(0, Ordering::Relaxed);
    ZEROED.fetch_add(0, Ordering::Relaxed);
    let addrs = [
        (Thing::Function, gather as *const () as u64),
        (Thing::InitialisedGlobal, &INITIALISED as *const _ as u64),
        (Thing::ZeroedGlobal, &ZEROED as *const _ as u64),
        (Thing::SmallMalloc, small.as_ptr() as u64),
        (Thing::LargeMalloc, large.as_ptr() as u64),
        (Thing::Vdso, vdso),
        (Thing::ThreadStackVariable, thread_stack_address()?),
        (Thing::StackVariable, &local as *const u64 as u64),
        (Thing::Argv, arg_start),
        (Thing::Environment, env_start),
    ];
    let space = AddressSpace::read_layout(std::process::id() as i32)?;
    let items: Vec<Item> = addrs
        .iter()
        .map(|&(thing, addr)| Item {
            thing,
            addr: VirtAddr(addr),
            region: region_of(&space, addr),
        })
        .collect();
    let drawn = space
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            matches!(r.kind, RegionKind::Heap | RegionKind::Stack)
                || addrs.iter().any(|&(_, a)| r.range().contains(VirtAddr(a)))
        })
        .map(|(i, r)| Segment::of(i, r))
        .collect();
    drop((small, large));
    Ok((items, drawn))
}

/// The address of a local variable of a thread of ours: it lives on that thread's
/// stack (the thread has ended when we look, but glibc keeps its stack for reuse).
fn thread_stack_address() -> Result<u64> {
    std::thread::spawn(|| {
        let x = std::hint::black_box(0u64);
        &x as *const u64 as u64
    })
    .join()
    .map_err(|_| Error::Child("the probe thread panicked".into()))
}

/// Where the kernel put argv and the environment (fields 48 and 50 of stat).
fn arg_env_start() -> Result<(u64, u64)> {
    let stat = super::probe::stat_field;
    stat(48).zip(stat(50)).ok_or_else(|| {
        Error::Child("could not read arg_start/env_start from /proc/self/stat".into())
    })
}

fn region_of(space: &AddressSpace, addr: u64) -> Evidence<Segment> {
    let found = space
        .regions
        .iter()
        .enumerate()
        .find(|(_, r)| r.range().contains(VirtAddr(addr)))
        .map(|(i, r)| Segment::of(i, r));
    Evidence::from_option(found, || {
        tr!("segments-no-region", addr = VirtAddr(addr).hex())
    })
}

/// What an item is, in words.
pub fn label(thing: Thing) -> String {
    match thing {
        Thing::Function => tr!("segments-thing-function"),
        Thing::InitialisedGlobal => tr!("segments-thing-initialised"),
        Thing::ZeroedGlobal => tr!("segments-thing-zeroed"),
        Thing::SmallMalloc => tr!("segments-thing-small", size = human_size(SMALL as u64)),
        Thing::LargeMalloc => tr!("segments-thing-large", size = human_size(LARGE as u64)),
        Thing::Vdso => tr!("segments-thing-vdso"),
        Thing::ThreadStackVariable => tr!("segments-thing-thread-stack"),
        Thing::StackVariable => tr!("segments-thing-stack"),
        Thing::Argv => tr!("segments-thing-argv"),
        Thing::Environment => tr!("segments-thing-environment"),
    }
}

/// The steps about this process's layout: the table of items, and a note when bss
/// shares the data region.
pub fn narrate(items: &[Item]) -> Vec<Step> {
    let mut t = Table::with_columns(vec![
        tr!("segments-header-what"),
        tr!("segments-header-address"),
        tr!("segments-header-region"),
        tr!("segments-header-perms"),
        tr!("segments-header-kind"),
        tr!("segments-header-backing"),
    ]);
    for it in items {
        let (range, perms, kind, name) = match it.region.seen() {
            Some(r) => (
                format!("{:x}-{:x}", r.start.0, r.end.0),
                r.perms.clone(),
                r.kind.clone(),
                r.name.clone(),
            ),
            None => (tr!("segments-none"), "-".into(), "-".into(), String::new()),
        };
        t.row(vec![
            label(it.thing),
            it.addr.hex(),
            range,
            perms,
            kind,
            name,
        ]);
    }
    let mut steps = vec![Step::show(tr!("segments-step-items"), t)];
    if region(items, Thing::ZeroedGlobal)
        .seen()
        .is_some_and(|r| r.is(RegionKind::Data))
    {
        steps.push(Step::say(tr!("segments-step-bss-in-data")));
    }
    steps
}

/// The claims about this process's layout.
pub fn judge(items: &[Item]) -> Vec<Claim> {
    vec![
        order(items),
        text_perms(items),
        writable(items),
        large_apart(items),
        thread_stack(items),
        argv_env(items),
    ]
}

fn item(items: &[Item], thing: Thing) -> Option<&Item> {
    items.iter().find(|i| i.thing == thing)
}

/// The region that holds `thing`, or why the record has none.
fn region(items: &[Item], thing: Thing) -> Evidence<Segment> {
    match item(items, thing) {
        Some(i) => i.region.clone(),
        None => Evidence::missing(tr!("segments-item-missing", what = label(thing))),
    }
}

/// The regions of all of `things`, or the reason of the first missing.
fn regions(items: &[Item], things: &[Thing]) -> Evidence<Vec<Segment>> {
    let mut seen = Vec::new();
    for &t in things {
        match region(items, t) {
            Evidence::Seen(s) => seen.push(s),
            Evidence::Missing(m) => return Evidence::Missing(m),
        }
    }
    Evidence::Seen(seen)
}

fn order(items: &[Item]) -> Claim {
    use Thing::*;
    let chain = [
        Function,
        InitialisedGlobal,
        ZeroedGlobal,
        SmallMalloc,
        LargeMalloc,
        StackVariable,
    ];
    let addrs = regions(items, &chain).map(|_| {
        chain
            .iter()
            .filter_map(|&t| item(items, t).map(|i| i.addr.0))
            .collect::<Vec<u64>>()
    });
    claim!("segments-order").on(addrs, |a| {
        let shown: Vec<String> = a.iter().map(|v| format!("{v:#x}")).collect();
        (shown.join(" < "), a.windows(2).all(|w| w[0] < w[1]))
    })
}

fn text_perms(items: &[Item]) -> Claim {
    claim!("segments-text-perms").on(region(items, Thing::Function), |r| {
        let holds = r.perms.starts_with("r-x");
        (r.perms, holds)
    })
}

fn writable(items: &[Item]) -> Claim {
    use Thing::*;
    let four = [InitialisedGlobal, ZeroedGlobal, SmallMalloc, StackVariable];
    claim!("segments-writable").on(regions(items, &four), |rs| {
        let perms: Vec<&str> = rs.iter().map(|r| r.perms.as_str()).collect();
        (perms.join(" "), rs.iter().all(Segment::rw_only))
    })
}

fn large_apart(items: &[Item]) -> Claim {
    let pair = region(items, Thing::SmallMalloc).zip(region(items, Thing::LargeMalloc));
    claim!("segments-large-apart", size = human_size(LARGE as u64)).on(pair, |(small, large)| {
        let seen = tr!(
            "segments-large-seen",
            small = small.kind.as_str(),
            large = large.kind.as_str()
        );
        (
            seen,
            small.is(RegionKind::Heap) && !large.is(RegionKind::Heap),
        )
    })
}

fn thread_stack(items: &[Item]) -> Claim {
    let pair = region(items, Thing::StackVariable).zip(region(items, Thing::ThreadStackVariable));
    claim!("segments-thread-stack").on(pair, |(main, thread)| {
        let seen = tr!(
            "segments-thread-stack-seen",
            main = main.kind.as_str(),
            thread = thread.kind.as_str()
        );
        (
            seen,
            main.is(RegionKind::Stack) && thread.start != main.start,
        )
    })
}

fn argv_env(items: &[Item]) -> Claim {
    let pair = region(items, Thing::Argv).zip(region(items, Thing::Environment));
    claim!("segments-argv-env").on(pair, |(argv, env)| {
        let seen = tr!(
            "segments-argv-env-seen",
            argv = argv.kind.as_str(),
            env = env.kind.as_str()
        );
        (
            seen,
            argv.is(RegionKind::Stack) && env.is(RegionKind::Stack),
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::demos::claimtest::Builder;
    use crate::demos::segments::Observation;

    fn seg(
        index: usize,
        start: u64,
        end: u64,
        perms: &str,
        kind: RegionKind,
        name: &str,
    ) -> Segment {
        Segment {
            start: VirtAddr(start),
            end: VirtAddr(end),
            perms: perms.into(),
            kind: kind.name().into(),
            name: name.into(),
            index,
        }
    }

    /// The regions of a run on this machine (vm-segments, randomize_va_space = 2).
    pub(crate) fn regions() -> Vec<Segment> {
        use RegionKind::*;
        vec![
            seg(
                1,
                0x5649_1d57_e000,
                0x5649_1d9a_2000,
                "r-xp",
                Text,
                "vm-segments",
            ),
            seg(
                3,
                0x5649_1d9e_a000,
                0x5649_1d9e_c000,
                "rw-p",
                Data,
                "vm-segments",
            ),
            seg(
                4,
                0x5649_44e7_2000,
                0x5649_44e9_3000,
                "rw-p",
                Heap,
                "[heap]",
            ),
            seg(
                8,
                0x7fe9_ef62_0000,
                0x7fe9_ef82_0000,
                "rw-p",
                ThreadStack,
                "",
            ),
            seg(9, 0x7fe9_ef82_0000, 0x7fe9_efc2_3000, "rw-p", Anon, ""),
            seg(
                31,
                0x7fe9_eff1_6000,
                0x7fe9_eff1_8000,
                "r-xp",
                Vdso,
                "[vdso]",
            ),
            seg(
                37,
                0x7ffc_5080_c000,
                0x7ffc_5082_d000,
                "rw-p",
                Stack,
                "[stack]",
            ),
        ]
    }

    /// The items of the same run, each in its region.
    pub(crate) fn items() -> Vec<Item> {
        use Thing::*;
        let r = regions();
        let at = |thing, addr: u64, i: usize| Item {
            thing,
            addr: VirtAddr(addr),
            region: Evidence::Seen(r[i].clone()),
        };
        vec![
            at(Function, 0x5649_1d72_7720, 0),
            at(InitialisedGlobal, 0x5649_1d9e_a658, 1),
            at(ZeroedGlobal, 0x5649_1d9e_b080, 1),
            at(SmallMalloc, 0x5649_44e7_2fc0, 2),
            at(LargeMalloc, 0x7fe9_ef82_0010, 4),
            at(Vdso, 0x7fe9_eff1_6000, 5),
            at(ThreadStackVariable, 0x7fe9_ef81_eb68, 3),
            at(StackVariable, 0x7ffc_5082_7300, 6),
            at(Argv, 0x7ffc_5082_c9f2, 6),
            at(Environment, 0x7ffc_5082_ca0d, 6),
        ]
    }

    fn lost(o: &mut Observation, i: usize) {
        o.items[i].region = Evidence::missing("no region holds it");
    }

    pub(crate) fn cases(b: Builder<Observation>) -> Builder<Observation> {
        b.case(
            "segments-order",
            |o| o.items[3].addr = VirtAddr(0x7fe9_ef90_0000),
            |o| lost(o, 4),
        )
        .case(
            "segments-text-perms",
            |o| o.items[0].region = Evidence::Seen(seg(1, 0, 0, "rwxp", RegionKind::Text, "")),
            |o| lost(o, 0),
        )
        .case(
            "segments-writable",
            |o| o.items[7].region = Evidence::Seen(seg(37, 0, 0, "rwxp", RegionKind::Stack, "")),
            |o| lost(o, 2),
        )
        .case(
            "segments-large-apart",
            |o| o.items[4].region = o.items[3].region.clone(),
            |o| lost(o, 4),
        )
        .case(
            "segments-thread-stack",
            |o| o.items[6].region = o.items[7].region.clone(),
            |o| lost(o, 6),
        )
        .case(
            "segments-argv-env",
            |o| o.items[9].region = o.items[4].region.clone(),
            |o| lost(o, 8),
        )
    }
}
