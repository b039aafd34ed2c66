//! relocation.py: base and bounds. The script draws the limit (a quarter to a half of
//! the address space), then a base where the space fits, then the addresses; vmlab
//! draws the same with [`PyRandom`] and translates with [`crate::sim::relocate`].
//!
//! Where the script hangs (a limit as large as physical memory: no base fits, and it
//! draws forever) or prints nonsense (a negative size or base), vmlab stops with an
//! error that says why.

use super::optparse::{Kind, Opt, Parsed, SEED, asize, num, opt, physmem};
use super::size::convert;
use super::{PyRandom, Run, Script, refuse};
use crate::error::Result;
use crate::sim::relocate::model::{self, Problem};
use crate::sim::{Answer, Question, Word};
use crate::tr;

pub const SCRIPT: Script = Script {
    name: "relocation.py",
    about: "ostep-relocation-about",
    options: OPTIONS,
    run,
};

const OPTIONS: &[Opt] = &[
    SEED,
    asize("1k"),
    physmem("16k"),
    num("addresses"),
    opt(
        Some("b"),
        'b',
        "base",
        Kind::Str("-1"),
        "ostep-relocation-opt-base",
    ),
    opt(
        Some("l"),
        'l',
        "limit",
        Kind::Str("-1"),
        "ostep-relocation-opt-limit",
    ),
    opt(
        Some("compute"),
        'c',
        "solve",
        Kind::Flag,
        "ostep-opt-compute",
    ),
];

fn run(p: &Parsed, out: &mut Run) -> Result<()> {
    let seed = p.int("seed");
    out.say("");
    out.say(format!("ARG seed {seed}"));
    out.say(format!("ARG address space size {}", p.str("asize")));
    out.say(format!("ARG phys mem size {}", p.str("psize")));
    out.say("");
    let mut rng = PyRandom::seeded(seed);
    let asize = convert("-a", p.str("asize"))?;
    let psize = convert("-p", p.str("psize"))?;
    let stop = |out: &mut Run, line: &str| {
        out.say(line);
        out.exit = 1;
    };
    if psize <= 1 {
        stop(out, "Error: must specify a non-zero physical memory size.");
        return Ok(());
    }
    if asize == 0 {
        stop(out, "Error: must specify a non-zero address-space size.");
        return Ok(());
    }
    if psize <= asize {
        stop(
            out,
            "Error: physical memory size must be GREATER than address space size (for this simulation)",
        );
        return Ok(());
    }
    if asize < 0 {
        return Err(refuse(tr!("ostep-negative", flag = "-a", value = asize)));
    }
    let limit = match convert("-l", p.str("limit"))? {
        -1 => (asize as f64 / 4.0 + asize as f64 / 4.0 * rng.random()) as i64,
        l => l,
    };
    let base = match convert("-b", p.str("base"))? {
        -1 => draw_base(&mut rng, psize, limit)?,
        b if b < 0 => return Err(refuse(tr!("ostep-negative", flag = "-b", value = b))),
        b => b,
    };
    registers(out, base, limit);
    if base.saturating_add(limit) > psize {
        out.say(
            "Error: address space does not fit into physical memory with those base/bounds values.",
        );
        out.say(format!(
            "Base + Limit: {}   Psize: {psize}",
            base as i128 + limit as i128
        ));
        out.exit = 1;
        return Ok(());
    }
    let num = super::count(p, "-n", "num")? as i64;
    let addresses: Vec<u64> = (0..num).map(|_| rng.below(asize as f64) as u64).collect();
    trace(out, p.flag("solve"), base, limit, asize, psize, addresses);
    Ok(())
}

/// The script's loop: a base anywhere below psize, until the space fits below psize.
/// It never ends when the limit is psize or more: vmlab says so instead.
fn draw_base(rng: &mut PyRandom, psize: i64, limit: i64) -> Result<i64> {
    if limit >= psize {
        return Err(refuse(tr!(
            "ostep-relocation-no-base",
            limit = limit,
            psize = psize
        )));
    }
    super::draw_until(rng, psize, |base| base + limit < psize)
}

fn registers(out: &mut Run, base: i64, limit: i64) {
    out.say("Base-and-Bounds register information:");
    out.say("");
    out.say(format!("  Base   : 0x{base:08x} (decimal {base})"));
    out.say(format!("  Limit  : {limit}"));
    out.say("");
}

/// The addresses, translated by vmlab's base-and-bounds model; the questions.
fn trace(
    out: &mut Run,
    solve: bool,
    base: i64,
    limit: i64,
    asize: i64,
    psize: i64,
    addresses: Vec<u64>,
) {
    if limit < 0 {
        out.note(tr!("ostep-relocation-negative-limit", limit = limit));
    }
    let problem = Problem {
        asize: asize as u64,
        physmem: psize as u64,
        base: base as u64,
        // A negative limit bounds nothing: every address is out of bounds.
        bounds: limit.max(0) as u64,
        addresses,
    };
    let solution = model::solve(&problem);
    out.say("Virtual Address Trace");
    for (i, a) in solution.accesses.iter().enumerate() {
        let va = a.va;
        let head = format!("  VA {i:2}: 0x{va:08x} (decimal: {va:4}) --> ");
        let answer = match a.pa {
            Some(pa) => {
                if solve {
                    out.say(format!("{head}VALID: 0x{pa:08x} (decimal: {pa:4})"));
                }
                Answer::hex(pa, 8)
            }
            None => {
                if solve {
                    out.say(format!("{head}SEGMENTATION VIOLATION"));
                }
                Answer::word(Word::Fault)
            }
        };
        if !solve {
            out.say(format!("{head}PA or segmentation violation?"));
        }
        out.questions
            .push(Question::new(i, format!("VA {i}: 0x{va:08x}"), answer));
    }
    out.say("");
    if !solve {
        out.say(
            "For each virtual address, either write down the physical address it translates to",
        );
        out.say(
            "OR write down that it is an out-of-bounds address (a segmentation violation). For",
        );
        out.say("this problem, you should assume a simple virtual address space of a given size.");
        out.say("");
    }
}
