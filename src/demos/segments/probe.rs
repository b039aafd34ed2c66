//! Fresh copies of this program: vm-segments runs `/proc/self/exe` again with
//! [`PROBE_ENV`] set, and every vmlab binary, first thing in `main`, calls
//! [`answer_probe`], which turns such a copy into a probe. A fresh copy is what we
//! need twice: to see where ASLR puts things at each exec, and to see how much of a
//! program's code is in memory while it has run almost nothing.
//!
//! The copy prints one line of JSON (its layout and its code pages) and exits; the
//! parent reads it back into a [`Run`].

use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::text::{self, TextPages, TextProblem};
use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::Evidence;
use crate::space::{AddressSpace, RegionKind};

/// The environment variable that turns a copy of this program into a probe.
pub const PROBE_ENV: &str = "VMLAB_ADDRESS_PROBE";

/// Where the kernel put things in one copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// A function of the program (its Text).
    pub text: VirtAddr,
    /// A variable on its Stack.
    pub stack: VirtAddr,
    /// A fresh anonymous mmap.
    pub mmap: VirtAddr,
    /// The start of its Heap (brk).
    pub brk: VirtAddr,
    /// Distance from the end of the program's last segment to the start of the heap.
    pub brk_gap: u64,
}

/// What one copy reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub layout: Layout,
    /// Its code pages in its page table; missing when it could not count them (why).
    pub text: Evidence<TextPages>,
}

/// What a copy prints: the same, with the problem named rather than explained, since
/// the copy has not chosen a language.
#[derive(Serialize, Deserialize)]
struct Report {
    layout: Layout,
    text: std::result::Result<TextPages, TextProblem>,
}

/// If this process was started as a probe, measures, prints its report and exits.
/// Every vmlab binary calls this first thing in `main`.
pub fn answer_probe() {
    if std::env::var_os(PROBE_ENV).is_none() {
        return;
    }
    // The code pages first, while the copy has run as little as possible.
    let text = text::measure_own_text();
    let report = Report {
        layout: own_layout(),
        text,
    };
    println!("{}", serde_json::to_string(&report).unwrap_or_default());
    std::process::exit(0);
}

/// Runs `n` fresh copies of this program, one after the other, and reads their reports.
pub fn run_copies(n: usize) -> Result<Vec<Run>> {
    (0..n).map(|_| run_copy()).collect()
}

fn run_copy() -> Result<Run> {
    let mut copy = Command::new("/proc/self/exe");
    copy.env(PROBE_ENV, "1").stdin(Stdio::null());
    let out = crate::child::die_with_parent(&mut copy)
        .output()
        .map_err(|err| Error::Child(format!("running a copy of this program: {err}")))?;
    let report: Report = serde_json::from_slice(&out.stdout).map_err(|err| {
        Error::Child(format!(
            "the copy of this program printed {:?} ({err})",
            String::from_utf8_lossy(&out.stdout)
        ))
    })?;
    Ok(Run {
        layout: report.layout,
        text: match report.text {
            Ok(t) => Evidence::Seen(t),
            Err(problem) => Evidence::missing(problem.reason()),
        },
    })
}

/// Where this copy's stack, a fresh mmap, the heap and a function are.
fn own_layout() -> Layout {
    let local = std::hint::black_box(0u64);
    let len = std::num::NonZeroUsize::new(4096).expect("non-zero");
    // SAFETY: a fresh anonymous mapping whose address we only print; never accessed.
    let mmap = unsafe {
        nix::sys::mman::mmap_anonymous(
            None,
            len,
            nix::sys::mman::ProtFlags::PROT_NONE,
            nix::sys::mman::MapFlags::MAP_PRIVATE,
        )
    }
    .map(|p| p.as_ptr() as u64)
    .unwrap_or(0);
    let brk = stat_field(47).unwrap_or(0);
    let program_end = AddressSpace::read_layout(std::process::id() as i32)
        .ok()
        .and_then(|s| {
            s.regions
                .iter()
                .filter(|r| {
                    matches!(
                        r.kind,
                        RegionKind::Text | RegionKind::Rodata | RegionKind::Data | RegionKind::Bss
                    )
                })
                .map(|r| r.end.0)
                .max()
        })
        .unwrap_or(brk);
    Layout {
        text: VirtAddr(answer_probe as *const () as u64),
        stack: VirtAddr(&local as *const u64 as u64),
        mmap: VirtAddr(mmap),
        brk: VirtAddr(brk),
        brk_gap: brk.saturating_sub(program_end),
    }
}

/// Field `n` (1-based, as in proc_pid_stat(5)) of /proc/self/stat.
pub(super) fn stat_field(n: usize) -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may contain spaces, start at field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(n - 3)?.parse().ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Three copies as this machine shows them (randomize_va_space = 2).
    pub(crate) fn runs() -> Vec<Run> {
        let run = |text: u64, stack: u64, mmap: u64, brk: u64, gap: u64| Run {
            layout: Layout {
                text: VirtAddr(text),
                stack: VirtAddr(stack),
                mmap: VirtAddr(mmap),
                brk: VirtAddr(brk),
                brk_gap: gap << 20,
            },
            text: Evidence::Seen(TextPages {
                total: 1059,
                present: 212,
                function: VirtAddr(text & !0xfff_ffff | 0x25_2000),
                before: false,
                after: true,
            }),
        };
        vec![
            run(
                0x559e_d366_4360,
                0x7ffd_27df_49d0,
                0x7f17_4f52_6000,
                0x559f_04d1_a000,
                788,
            ),
            run(
                0x55bb_edc5_1360,
                0x7ffe_962f_17a0,
                0x7f64_51ad_e000,
                0x55bc_15b6_1000,
                636,
            ),
            run(
                0x55e0_9e50_1360,
                0x7ffd_979b_a4d0,
                0x7fe5_9bf9_0000,
                0x55e0_b3ff_5000,
                344,
            ),
        ]
    }

    #[test]
    fn a_report_reads_back() {
        let r = Report {
            layout: runs()[0].layout,
            text: Err(TextProblem::NoFunction),
        };
        let line = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&line).unwrap();
        assert_eq!(back.layout, r.layout);
        assert!(back.text.is_err());
    }
}
