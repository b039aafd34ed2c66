//! `--real`: where this machine's TLB is measured, and what the CPU says of its size.

use crate::sim::Block;
use crate::tr;

/// The measured part: a pointer to vm-tlb, and the TLB size /proc/cpuinfo reports.
pub fn blocks() -> Vec<Block> {
    let mut out = vec![Block::Prose(tr!("simtlb-real-where"))];
    let line = match std::fs::read_to_string("/proc/cpuinfo") {
        Ok(text) => match text
            .lines()
            .find(|l| l.starts_with("TLB size"))
            .and_then(|l| l.split_once(':'))
        {
            Some((_, v)) => tr!("simtlb-real-cpuinfo", size = v.trim()),
            None => tr!("simtlb-real-no-size"),
        },
        Err(e) => tr!("simtlb-real-unreadable", error = e.to_string()),
    };
    out.push(Block::Prose(line));
    out.push(Block::Prose(tr!("simtlb-real-model")));
    out
}
