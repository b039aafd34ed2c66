//! The exercise's text: the address split, one VPN and one hit/miss question per
//! address, the totals; the engine's table with the address and offset in front.

use super::{Drawn, TlbPolicy};
use crate::sim::policy::MAX_ASKED;
use crate::sim::policy::model::Run;
use crate::sim::policy::text::{PageFmt, access_answer, listing, order_note, totals, why};
use crate::sim::{Answer, Block, Exercise};
use crate::tr;

/// The exercise for `d` and its run.
pub fn exercise(d: &Drawn, run: &Run) -> Exercise {
    let pages = d.asize / d.page_size;
    let entries = d.vpns.frames;
    let aw = ((d.asize - 1).max(1).ilog2() / 4 + 1) as usize;
    let hexa = |a: u64| format!("0x{a:0aw$x}");
    let fmt = PageFmt { hex: false };
    let problem = vec![
        Block::Prose(tr!(
            "simtlb-shape",
            asize = d.asize.to_string(),
            page = d.page_size.to_string(),
            pages = pages.to_string(),
            vpn_bits = pages.trailing_zeros(),
            offset_bits = d.page_size.trailing_zeros()
        )),
        Block::Prose(tr!("simtlb-entries", entries = entries)),
        Block::Prose(tr!(
            "simtlb-rule",
            policy = d.vpns.policy.name(),
            rule = rule(d.tlb_policy)
        )),
        Block::Prose(tr!("simtlb-addresses", count = d.addresses.len())),
    ];
    let mut e = Exercise {
        problem,
        ..Exercise::default()
    };
    let shown: Vec<String> = d
        .addresses
        .iter()
        .take(MAX_ASKED)
        .map(|&a| hexa(a))
        .collect();
    e.problem.push(Block::Prose(shown.join(", ")));
    if d.addresses.len() > MAX_ASKED {
        e.problem.push(Block::Note(tr!(
            "policy-more",
            count = d.addresses.len() - MAX_ASKED
        )));
    }
    if !d.vpns.draws.is_empty() {
        e.problem.push(Block::Prose(tr!("simtlb-draws")));
        e.problem.extend(listing(&d.vpns.draws, fmt));
    }
    let asked = d.addresses.len() <= MAX_ASKED;
    e.problem.push(Block::Prose(if asked {
        tr!("simtlb-task")
    } else {
        tr!("policy-task-long", count = d.addresses.len())
    }));
    if asked {
        for (i, &a) in d.addresses.iter().enumerate() {
            e.ask(
                tr!("simtlb-question-vpn", va = hexa(a)),
                Answer::dec(a / d.page_size),
            );
            e.ask(
                tr!("simtlb-question-access", va = hexa(a)),
                access_answer(run, i, fmt),
            );
        }
    }
    totals(&mut e, run, "tlb");
    solution(&mut e, d, run, &hexa);
    e
}

fn rule(p: TlbPolicy) -> String {
    match p {
        TlbPolicy::Fifo => tr!("simtlb-rule-fifo"),
        TlbPolicy::Lru => tr!("simtlb-rule-lru"),
        TlbPolicy::Random => tr!("simtlb-rule-random"),
        TlbPolicy::Opt => tr!("simtlb-rule-opt"),
    }
}

fn solution(e: &mut Exercise, d: &Drawn, run: &Run, hexa: &dyn Fn(u64) -> String) {
    let fmt = PageFmt { hex: false };
    e.solution.push(Block::Prose(tr!(
        "simtlb-split",
        shift = d.page_size.trailing_zeros(),
        page = d.page_size.to_string(),
        mask = format!("{:#x}", d.page_size - 1)
    )));
    if run.steps.len() > MAX_ASKED {
        e.solution.push(Block::Note(tr!("policy-steps-in-json")));
    } else {
        let mut table = crate::sim::policy::text::table(run, fmt, "VPN");
        table.columns.insert(1, tr!("simtlb-col-va"));
        table.columns.insert(2, tr!("simtlb-col-offset"));
        table.optional = vec![2];
        for (row, &a) in table.rows.iter_mut().zip(&d.addresses) {
            row.insert(1, hexa(a));
            row.insert(2, format!("{:#x}", a % d.page_size));
        }
        e.solution.push(Block::Table(table));
        e.solution.push(Block::Note(order_note(run.policy)));
        let slot = tr!("simtlb-entry");
        for (i, (s, &a)) in run.steps.iter().zip(&d.addresses).enumerate() {
            let text = tr!(
                "simtlb-step",
                va = hexa(a),
                vpn = s.page.to_string(),
                why = why(s, fmt, &slot)
            );
            e.solution.push(Block::Step {
                id: 2 * i + 2,
                text,
            });
        }
    }
    e.solution.push(Block::Prose(tr!(
        "simtlb-summary",
        entries = run.frames,
        policy = run.policy.name(),
        hits = run.hits,
        misses = run.misses,
        compulsory = run.compulsory,
        rate = Answer::Rate {
            hits: run.hits as u64,
            total: run.steps.len() as u64
        }
        .canonical()
    )));
}
