//! Code is loaded on demand. The course notes say that to run a program the OS copies
//! its instructions into memory. Linux does not copy them: exec maps the program file,
//! and a page of code gets a frame and a page-table entry the first time it runs, by a
//! page fault (demand paging, as for any other page).
//!
//! A fresh copy of this program (see [`super::probe`]) looks at its own pagemap: how
//! many pages of its Text are present, out of how many; then whether the page of a
//! function that has never run is present, calls it, and looks again.
//!
//! One care is needed. On a fault on a file page, the kernel also maps the neighbouring
//! pages it already holds in the page cache, up to `fault_around_bytes` (64 KiB by
//! default, a debugfs knob), in the hope they will run soon; and where the page cache
//! holds the file in large folios (a `cp` makes 128 KiB ones, a `dd bs=4M` 2 MiB ones),
//! recent kernels map the whole folio at once. So a page of code can be present without
//! ever having run, because a neighbour ran. The function we call sits alone: a page of
//! its own with 128 KiB of filler on each side, so that no fault on other code can map
//! it early in those common cases. Should its page be present before the call anyway,
//! the claim says it cannot tell, and why.

use serde::{Deserialize, Serialize};

use super::probe::Run;
use crate::addr::VirtAddr;
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::pagemap::{PageEntry, Pagemap};
use crate::space::{AddressSpace, RegionKind};
use crate::{claim, tr};

/// One copy's code pages, as its own pagemap showed them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPages {
    /// Pages of the program's Text (its executable mappings).
    pub total: u64,
    /// How many of them were present in its page table, counted after the call.
    pub present: u64,
    /// A function that had never run in that copy.
    pub function: VirtAddr,
    /// Whether the function's page was present just before its first call, and just
    /// after.
    pub before: bool,
    pub after: bool,
}

/// Why a copy could not count its code pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextProblem {
    /// Its maps or pagemap could not be read, or it has no Text region.
    Unreadable,
    /// This build has no function set apart for the test (x86-64 only).
    NoFunction,
}

impl TextProblem {
    pub fn reason(self) -> String {
        match self {
            TextProblem::Unreadable => tr!("segments-text-unreadable"),
            TextProblem::NoFunction => tr!("segments-text-no-function"),
        }
    }
}

// The function that has never run: `mov eax, 42; ret`, alone in its own page, with
// 128 KiB of int3 filler before and after it. A fault on other code maps the 64 KiB
// around it (fault-around), or a whole large folio of the page cache (128 KiB after a
// `cp`), so it cannot reach this page; a larger folio can, and then the claim says so.
#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".pushsection .text.vmlab_untouched,\"ax\",@progbits",
    ".balign 4096",
    ".skip 131072, 0xcc",
    ".globl vmlab_untouched_code",
    ".hidden vmlab_untouched_code",
    ".type vmlab_untouched_code, @function",
    "vmlab_untouched_code:",
    "    mov eax, 42",
    "    ret",
    ".size vmlab_untouched_code, . - vmlab_untouched_code",
    ".balign 4096, 0xcc",
    ".skip 131072, 0xcc",
    ".popsection",
);

#[cfg(target_arch = "x86_64")]
unsafe extern "C" {
    fn vmlab_untouched_code() -> u32;
}

/// The address of the function that has never run, and a way to run it.
#[cfg(target_arch = "x86_64")]
fn untouched() -> Option<(u64, fn() -> u32)> {
    fn call() -> u32 {
        // SAFETY: the function above takes nothing, touches no memory and returns 42
        // in eax, as the C calling convention wants.
        unsafe { vmlab_untouched_code() }
    }
    Some((vmlab_untouched_code as *const () as u64, call))
}

#[cfg(not(target_arch = "x86_64"))]
fn untouched() -> Option<(u64, fn() -> u32)> {
    None
}

/// In a fresh copy: looks at the untouched function's page, calls the function, looks
/// again; then counts the Text pages present.
pub fn measure_own_text() -> Result<TextPages, TextProblem> {
    let me = std::process::id() as i32;
    let ps = page_size();
    let pagemap = Pagemap::open(me).map_err(|_| TextProblem::Unreadable)?;
    let present_now = |va: u64| -> Result<bool, TextProblem> {
        match pagemap.entry(va / ps) {
            Ok(Some(e)) => Ok(e.present()),
            _ => Err(TextProblem::Unreadable),
        }
    };
    let (function, call) = untouched().ok_or(TextProblem::NoFunction)?;
    // Look once at a page of code that has run, so that the looking code's own first
    // run (whose faults can map pages near it) is over before we look at the function:
    // between the two looks at the function's page, only the call itself runs.
    present_now(measure_own_text as *const () as u64)?;
    let before = present_now(function)?;
    std::hint::black_box(call());
    let after = present_now(function)?;
    let (total, present) = count_text(me, &pagemap, ps)?;
    Ok(TextPages {
        total,
        present,
        function: VirtAddr(function),
        before,
        after,
    })
}

/// How many pages the program's Text has, and how many of them are present.
fn count_text(me: i32, pagemap: &Pagemap, ps: u64) -> Result<(u64, u64), TextProblem> {
    let space = AddressSpace::read_layout(me).map_err(|_| TextProblem::Unreadable)?;
    let (mut total, mut present) = (0, 0);
    for r in space.regions.iter().filter(|r| r.kind == RegionKind::Text) {
        let mut entries = vec![PageEntry::default(); (r.size() / ps) as usize];
        let n = pagemap
            .read(r.start.0 / ps, &mut entries)
            .map_err(|_| TextProblem::Unreadable)?;
        total += n as u64;
        present += entries[..n].iter().filter(|e| e.present()).count() as u64;
    }
    if total == 0 {
        return Err(TextProblem::Unreadable);
    }
    Ok((total, present))
}

fn page_size() -> u64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .map_or(4096, |v| v as u64)
}

/// The step that tells what each copy saw of its code.
pub fn narrate(runs: &[Run]) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("segments-header-run"),
        tr!("segments-header-text-pages"),
        tr!("segments-header-present"),
        tr!("segments-header-function"),
        tr!("segments-header-before"),
        tr!("segments-header-after"),
    ]);
    for (i, r) in runs.iter().enumerate() {
        let row = match &r.text {
            Evidence::Seen(t) => vec![
                t.total.to_string(),
                t.present.to_string(),
                t.function.hex(),
                mapped(t.before),
                mapped(t.after),
            ],
            Evidence::Missing(m) => vec![m.missing.clone()],
        };
        let mut cells = vec![(i + 1).to_string()];
        cells.extend(row);
        t.row(cells);
    }
    Step::show(tr!("segments-step-text"), t)
}

fn mapped(present: bool) -> String {
    if present {
        tr!("segments-mapped")
    } else {
        tr!("segments-not-mapped")
    }
}

/// The claims about code loaded on demand.
pub fn judge(runs: &[Run]) -> Vec<Claim> {
    vec![partly_mapped(runs), mapped_on_call(runs)]
}

/// Every copy's code pages, or the reason of the first that could not count them.
fn text_of(runs: &[Run]) -> Evidence<Vec<TextPages>> {
    let mut seen = Vec::new();
    for r in runs {
        match &r.text {
            Evidence::Seen(t) => seen.push(*t),
            Evidence::Missing(m) => return Evidence::Missing(m.clone()),
        }
    }
    Evidence::from_option(Some(seen).filter(|s| !s.is_empty()), || {
        tr!("segments-too-few-runs")
    })
}

fn partly_mapped(runs: &[Run]) -> Claim {
    claim!("segments-text-partial").on(text_of(runs), |ts| {
        let counts: Vec<String> = ts
            .iter()
            .map(|t| tr!("segments-present-of", present = t.present, total = t.total))
            .collect();
        (counts.join(", "), ts.iter().all(|t| t.present < t.total))
    })
}

fn mapped_on_call(runs: &[Run]) -> Claim {
    let draft = claim!("segments-text-on-call");
    let ts = match text_of(runs) {
        Evidence::Seen(ts) => ts,
        Evidence::Missing(m) => return draft.unverifiable(m.missing),
    };
    // Only a page absent before the call can show the call brought it in.
    let fresh: Vec<&TextPages> = ts.iter().filter(|t| !t.before).collect();
    if fresh.is_empty() {
        return draft.unverifiable(tr!("segments-text-mapped-early", runs = ts.len()));
    }
    let loaded = fresh.iter().filter(|t| t.after).count();
    let seen = tr!(
        "segments-text-on-call-seen",
        loaded = loaded,
        fresh = fresh.len(),
        early = ts.len() - fresh.len()
    );
    draft.decide(seen, loaded == fresh.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::demos::claimtest::Builder;
    use crate::demos::segments::Observation;

    fn each(o: &mut Observation, f: impl Fn(&mut TextPages)) {
        for r in &mut o.runs {
            if let Evidence::Seen(t) = &mut r.text {
                f(t);
            }
        }
    }

    pub(crate) fn cases(b: Builder<Observation>) -> Builder<Observation> {
        b.case(
            "segments-text-partial",
            |o| each(o, |t| t.present = t.total),
            |o| o.runs[1].text = Evidence::missing("no pagemap"),
        )
        .case(
            "segments-text-on-call",
            |o| each(o, |t| t.after = false),
            |o| each(o, |t| t.before = true),
        )
    }

    #[test]
    fn a_page_mapped_early_is_unverifiable_not_contradicted() {
        let mut o = crate::demos::segments::tests::holding();
        each(&mut o, |t| {
            t.before = true;
            t.after = true;
        });
        let c = mapped_on_call(&o.runs);
        let reason = match &c.verdict {
            crate::experiment::Verdict::Unverifiable(r) => r.clone(),
            v => panic!("{v:?}"),
        };
        assert!(reason.contains("fault-around"), "{reason}");
    }

    #[test]
    fn the_untouched_function_is_alone_in_its_page() {
        let (va, call) = untouched().expect("x86-64 has the function");
        assert_eq!(va % 4096, 0, "it starts a page");
        assert_eq!(call(), 42);
    }
}
