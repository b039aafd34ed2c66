//! Address space layout randomisation: where the kernel puts the stack, the mmap area
//! and the heap at each exec, compared with what `kernel.randomize_va_space` says it
//! does: 0 nothing moves; 1 the stack, the mmap area (libraries) and a PIE program
//! move; 2 the heap's start moves too.

use serde::{Deserialize, Serialize};

use super::probe::{Layout, Run};
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::render::human_size;
use crate::{claim, tr};

/// The ASLR setting the copies ran under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aslr {
    /// `kernel.randomize_va_space`, or why it could not be read.
    pub setting: Evidence<u8>,
    /// This process runs with the ADDR_NO_RANDOMIZE personality (`setarch -R`), which
    /// turns ASLR off for it and its children whatever the setting.
    pub no_randomize: bool,
}

/// Reads the setting and this process's personality.
pub fn setting() -> Aslr {
    let path = "/proc/sys/kernel/randomize_va_space";
    let setting = std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.trim().parse::<u8>().ok());
    // SAFETY: personality(0xffffffff) only queries the current persona.
    let persona = unsafe { libc::personality(0xffff_ffff) };
    Aslr {
        setting: Evidence::from_option(setting, || tr!("segments-aslr-unreadable", path = path)),
        no_randomize: persona != -1 && persona & libc::ADDR_NO_RANDOMIZE != 0,
    }
}

/// The setting in effect for the copies: 0 under ADDR_NO_RANDOMIZE.
fn effective(a: &Aslr) -> Evidence<u8> {
    if a.no_randomize {
        Evidence::Seen(0)
    } else {
        a.setting.clone()
    }
}

/// The step that shows where each copy's pieces landed.
pub fn narrate(a: &Aslr, runs: &[Run]) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("segments-header-run"),
        tr!("segments-header-text"),
        tr!("segments-header-stack"),
        tr!("segments-header-mmap"),
        tr!("segments-header-brk"),
        tr!("segments-header-brk-gap"),
    ]);
    for (i, r) in runs.iter().enumerate() {
        let l = &r.layout;
        t.row(vec![
            (i + 1).to_string(),
            l.text.hex(),
            l.stack.hex(),
            l.mmap.hex(),
            l.brk.hex(),
            human_size(l.brk_gap),
        ]);
    }
    let setting = a
        .setting
        .seen()
        .map_or_else(|| tr!("segments-unknown"), u8::to_string);
    let narration = tr!(
        "segments-step-aslr",
        setting = setting,
        persona = if a.no_randomize { "yes" } else { "no" },
        runs = runs.len()
    );
    Step::show(narration, t)
}

/// The ASLR claims: they say what the setting in effect predicts.
pub fn judge(a: &Aslr, runs: &[Run]) -> Vec<Claim> {
    vec![layout_moves(a, runs), heap_gap(a, runs)]
}

/// The setting in effect, and the layouts, when there are at least two to compare.
fn evidence(a: &Aslr, runs: &[Run]) -> Evidence<(u8, Vec<Layout>)> {
    let layouts: Vec<Layout> = runs.iter().map(|r| r.layout).collect();
    let enough = Evidence::from_option(Some(layouts).filter(|l| l.len() >= 2), || {
        tr!("segments-too-few-runs")
    });
    effective(a).zip(enough)
}

fn all_same(layouts: &[Layout], f: fn(&Layout) -> u64) -> bool {
    layouts.iter().all(|l| f(l) == f(&layouts[0]))
}

fn listed(layouts: &[Layout], f: fn(&Layout) -> u64) -> String {
    let v: Vec<String> = layouts.iter().map(|l| format!("{:#x}", f(l))).collect();
    v.join(", ")
}

fn layout_moves(a: &Aslr, runs: &[Run]) -> Claim {
    let mode = match effective(a).seen() {
        Some(0) => "off",
        Some(_) => "on",
        None => "unknown",
    };
    claim!("segments-aslr-layout", mode = mode).on(evidence(a, runs), |(setting, l)| {
        let stacks = listed(&l, |l| l.stack.0);
        if setting == 0 {
            let same = all_same(&l, |l| l.text.0)
                && all_same(&l, |l| l.stack.0)
                && all_same(&l, |l| l.mmap.0)
                && all_same(&l, |l| l.brk.0);
            (tr!("segments-aslr-stacks", stacks = stacks), same)
        } else {
            let moved = !all_same(&l, |l| l.stack.0) && !all_same(&l, |l| l.mmap.0);
            let mmaps = listed(&l, |l| l.mmap.0);
            let seen = tr!("segments-aslr-stacks-mmaps", stacks = stacks, mmaps = mmaps);
            (seen, moved)
        }
    })
}

fn heap_gap(a: &Aslr, runs: &[Run]) -> Claim {
    let mode = match effective(a).seen() {
        Some(s) if *s >= 2 => "full",
        Some(_) => "partial",
        None => "unknown",
    };
    claim!("segments-aslr-heap", mode = mode).on(evidence(a, runs), |(setting, l)| {
        let gaps: Vec<String> = l.iter().map(|l| human_size(l.brk_gap)).collect();
        let same = all_same(&l, |l| l.brk_gap);
        (gaps.join(", "), if setting >= 2 { !same } else { same })
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::addr::VirtAddr;
    use crate::demos::claimtest::Builder;
    use crate::demos::segments::Observation;
    use crate::experiment::Verdict;

    pub(crate) fn cases(b: Builder<Observation>) -> Builder<Observation> {
        b.case(
            "segments-aslr-layout",
            |o| {
                for r in &mut o.runs {
                    r.layout.stack = VirtAddr(0x7fff_ffff_e000);
                }
            },
            |o| o.aslr.setting = Evidence::missing("unreadable"),
        )
        .case(
            "segments-aslr-heap",
            |o| {
                for r in &mut o.runs {
                    r.layout.brk_gap = 0;
                }
            },
            |o| o.runs.truncate(1),
        )
    }

    #[test]
    fn aslr_off_predicts_the_same_layout_and_the_same_gap() {
        let mut o = crate::demos::segments::tests::holding();
        o.aslr.no_randomize = true;
        let claims = judge(&o.aslr, &o.runs);
        assert!(claims.iter().all(|c| c.verdict == Verdict::Contradicted));
        let first = o.runs[0].layout;
        for r in &mut o.runs {
            r.layout = first;
        }
        let claims = judge(&o.aslr, &o.runs);
        assert!(claims.iter().all(|c| c.verdict == Verdict::Holds));
        assert!(
            claims[0].statement.contains("off"),
            "{}",
            claims[0].statement
        );
    }
}
