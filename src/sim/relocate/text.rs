//! The exercise's text: the problem, one question per address, the worked solution.

use super::Config;
use super::model::{Access, Problem, Solution};
use crate::experiment::Table;
use crate::render::human_size;
use crate::sim::params::{hex, hex_width};
use crate::sim::{Answer, Block, Exercise, Word};
use crate::tr;

/// The exercise for problem `p` and its solution `s`.
pub fn exercise(c: &Config, p: &Problem, s: &Solution) -> Exercise {
    let w = hex_width(p.asize.max(p.physmem));
    let mut e = Exercise {
        problem: problem(c, p, w),
        ..Exercise::default()
    };
    e.solution = rules(p, w);
    for a in &s.accesses {
        let prompt = tr!(
            "relocate-question",
            va = hex(a.va, w),
            decimal = a.va.to_string()
        );
        let answer = match a.pa {
            Some(pa) => Answer::hex(pa, w),
            None => Answer::word(Word::Fault),
        };
        let id = e.ask(prompt, answer);
        e.solution.push(Block::Step {
            id,
            text: step(p, a, w),
        });
    }
    e.solution.extend(closing(p, s));
    e
}

fn problem(c: &Config, p: &Problem, w: usize) -> Vec<Block> {
    let mut registers = Table::with_columns(vec![
        tr!("relocate-col-register"),
        tr!("relocate-col-hex"),
        tr!("relocate-col-decimal"),
    ]);
    registers.row(vec![
        tr!("relocate-reg-base"),
        hex(p.base, w),
        p.base.to_string(),
    ]);
    registers.row(vec![
        tr!("relocate-reg-bounds"),
        hex(p.bounds, w),
        p.bounds.to_string(),
    ]);
    let mut blocks = vec![
        Block::Prose(tr!(
            "relocate-sizes",
            asize = p.asize.to_string(),
            asize_human = human_size(p.asize),
            physmem = p.physmem.to_string(),
            physmem_human = human_size(p.physmem)
        )),
        Block::Prose(tr!("relocate-registers")),
        Block::Table(registers),
        Block::Note(tr!("relocate-limit-note")),
        Block::Prose(String::new()),
        Block::Prose(tr!("relocate-task")),
    ];
    if p.addresses.is_empty() {
        blocks.push(Block::Note(tr!("sim-no-addresses")));
    }
    if c.one_listed {
        blocks.push(Block::Note(tr!("sim-one-listed")));
    }
    blocks
}

/// The rule, before the steps.
fn rules(p: &Problem, w: usize) -> Vec<Block> {
    let valid = match p.bounds {
        0 => tr!("relocate-rule-none"),
        b => tr!(
            "relocate-rule-valid",
            bounds = b.to_string(),
            bounds_hex = hex(b, w),
            last = (b - 1).to_string(),
            last_hex = hex(b - 1, w)
        ),
    };
    let map = tr!(
        "relocate-rule-map",
        base = hex(p.base, w),
        last = hex((p.base + p.bounds).saturating_sub(1), w)
    );
    vec![
        Block::Prose(valid),
        Block::Prose(map),
        Block::Prose(String::new()),
    ]
}

/// One address worked out.
fn step(p: &Problem, a: &Access, w: usize) -> String {
    match a.pa {
        Some(pa) => tr!(
            "relocate-step-valid",
            va = hex(a.va, w),
            decimal = a.va.to_string(),
            bounds = p.bounds.to_string(),
            base = hex(p.base, w),
            pa = hex(pa, w),
            pa_decimal = pa.to_string()
        ),
        None => tr!(
            "relocate-step-fault",
            va = hex(a.va, w),
            decimal = a.va.to_string(),
            bounds = p.bounds.to_string()
        ),
    }
}

/// The share of valid addresses, and where this formula stands among the others.
fn closing(p: &Problem, s: &Solution) -> Vec<Block> {
    let mut blocks = vec![Block::Prose(String::new())];
    if !s.accesses.is_empty() {
        let expected = p.bounds as f64 * 100.0 / p.asize as f64;
        blocks.push(Block::Prose(tr!(
            "relocate-share",
            valid = s.valid,
            total = s.accesses.len(),
            expected = format!("{expected:.0}%")
        )));
    }
    blocks.extend([
        Block::Prose(tr!("relocate-compare")),
        Block::Item(tr!("relocate-compare-bb")),
        Block::Item(tr!("relocate-compare-segment")),
        Block::Item(tr!("relocate-compare-paging")),
    ]);
    blocks
}
