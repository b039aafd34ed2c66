//! paging-multilevel-translate.py: a two-level page table in 4 KiB of physical memory
//! (128 pages of 32 bytes, one-byte entries, a 32 KiB address space), its dump, and
//! addresses to translate.
//!
//! The script's draws are followed one by one: the directory's frame, then for each
//! allocated virtual page its number, its frame, the frame of a page table when the
//! directory has none for it yet, and its 32 bytes; then each address. The memory is
//! built in [`crate::sim::multilevel`]'s [`Memory`], which does the walks.
//!
//! The script's lines stay English, as it prints them.

use super::{Kind, Opt, Parsed, PyRandom, Run, Script};
use crate::error::{Error, InputError, Result};
use crate::sim::multilevel::geometry::Geometry;
use crate::sim::multilevel::model::{Memory, Walk};
use crate::sim::{Answer, Question, Word};
use crate::tr;

/// 32-byte pages, 128 of them, 1024 virtual pages: the script's `OS`.
const PAGE_SIZE: u64 = 32;
const FRAMES: u64 = 128;
const VPAGES: u64 = 1024;

/// The script, for [`super::SCRIPTS`].
pub const SCRIPT: Script = Script {
    name: "paging-multilevel-translate.py",
    about: "ostep-multilevel-about",
    options: OPTIONS,
    run,
};

/// The script's options, in its order.
pub const OPTIONS: &[Opt] = &[
    Opt {
        short: Some('s'),
        long: Some("seed"),
        dest: "seed",
        kind: Kind::Int(0),
        help: "ostep-multilevel-help-seed",
    },
    Opt {
        short: Some('a'),
        long: Some("allocated"),
        dest: "allocated",
        kind: Kind::Int(64),
        help: "ostep-multilevel-help-allocated",
    },
    Opt {
        short: Some('n'),
        long: Some("addresses"),
        dest: "num",
        kind: Kind::Int(10),
        help: "ostep-multilevel-help-num",
    },
    Opt {
        short: Some('c'),
        long: Some("solve"),
        dest: "solve",
        kind: Kind::Flag,
        help: "ostep-multilevel-help-solve",
    },
];

fn input(text: String) -> Error {
    Error::Input(InputError::Message(text))
}

/// The frames in use, found as the script's `findFree` finds them: random frames
/// until one is free.
struct Frames {
    used: Vec<bool>,
    count: u64,
}

impl Frames {
    fn find(&mut self, rng: &mut PyRandom) -> Option<u64> {
        if self.count >= FRAMES {
            return None;
        }
        loop {
            let f = rng.below(FRAMES as f64) as usize;
            if !self.used[f] {
                self.used[f] = true;
                self.count += 1;
                return Some(f as u64);
            }
        }
    }
}

/// Builds the memory as `procAlloc` does; the virtual pages allocated, in order.
/// `None` where the script stops with an AssertionError: no free frame left.
fn allocate(rng: &mut PyRandom, allocated: i64) -> Option<(Memory, Vec<u64>)> {
    let g = Geometry::new(PAGE_SIZE, PAGE_SIZE * FRAMES, 2, Some(PAGE_SIZE * VPAGES))
        .expect("the script's geometry is valid");
    let mut frames = Frames {
        used: vec![false; FRAMES as usize],
        count: 0,
    };
    let pdbr = frames.find(rng)?;
    let mut memory = Memory::new(g, || 0, pdbr);
    let mut taken = vec![false; VPAGES as usize];
    let mut order = Vec::new();
    for _ in 0..allocated.max(0) {
        let vp = loop {
            let vp = rng.below(VPAGES as f64) as usize;
            if !taken[vp] {
                break vp;
            }
        };
        taken[vp] = true;
        order.push(vp as u64);
        let pp = frames.find(rng)?;
        memory.map(vp as u64, pp, || frames.find(rng))?;
        let at = (pp * PAGE_SIZE) as usize;
        for b in &mut memory.bytes[at..at + PAGE_SIZE as usize] {
            *b = rng.below(31.0) as u8;
        }
    }
    Some((memory, order))
}

/// Runs the script.
pub fn run(p: &Parsed, out: &mut Run) -> Result<()> {
    let (seed, allocated, num) = (p.int("seed"), p.int("allocated"), p.int("num"));
    let solve = p.flag("solve");
    out.say(format!("ARG seed {seed}"));
    out.say(format!("ARG allocated {allocated}"));
    out.say(format!("ARG num {num}"));
    out.say("");
    let mut rng = PyRandom::seeded(seed);
    // More than 128 pages cannot be allocated; the script's own assertion fires first.
    let allocated_n = allocated.to_i64().unwrap_or(i64::MAX).min(FRAMES as i64);
    let (memory, used) = allocate(&mut rng, allocated_n).ok_or_else(|| {
        input(tr!(
            "ostep-multilevel-out-of-frames",
            allocated = allocated.to_string()
        ))
    })?;
    for (i, page) in memory.bytes.chunks(PAGE_SIZE as usize).enumerate() {
        let hex: String = page.iter().map(|b| format!("{b:02x}")).collect();
        out.say(format!("page {i:3}:{hex}"));
    }
    out.say("");
    out.say(format!(
        "PDBR: {}  (decimal) [This means the page directory is held in this page]",
        memory.pdbr
    ));
    out.say("");
    let num = num.to_i64().unwrap_or(i64::MAX);
    if num > MAX_ADDRESSES {
        let why = tr!(
            "ostep-multilevel-too-many",
            num = num.to_string(),
            max = MAX_ADDRESSES.to_string()
        );
        return Err(input(why));
    }
    for i in 0..num.max(0) as usize {
        let va = address(&mut rng, i, &used);
        let walk = memory.walk(va);
        out.questions.push(question(i, &walk));
        if solve {
            translation(out, &walk);
        } else {
            out.say(format!(
                "Virtual Address {va:04x}: Translates To What Physical Address (And Fetches what Value)? Or Fault?"
            ));
        }
    }
    out.say("");
    Ok(())
}

/// The most addresses asked for (the script would print any number).
const MAX_ADDRESSES: i64 = 1_000_000;

/// The `i`-th address, drawn as the script draws it: half the time (and always once
/// the allocated pages run out) anywhere in the address space, else in the `i`-th
/// page allocated.
fn address(rng: &mut PyRandom, i: usize, used: &[u64]) -> u64 {
    let anywhere = rng.random() * 100.0 > 50.0;
    if anywhere || i >= used.len() {
        rng.below((VPAGES * PAGE_SIZE) as f64) as u64
    } else {
        (used[i] << 5) | rng.below(PAGE_SIZE as f64) as u64
    }
}

/// The walk as `-c` prints it.
fn translation(out: &mut Run, walk: &Walk) {
    out.say(format!("Virtual Address 0x{:04x}:", walk.va));
    for s in &walk.steps {
        let (indent, name) = if s.level == 0 {
            ("  ", "pde")
        } else {
            ("    ", "pte")
        };
        let (valid, pfn) = (s.entry >> 7, s.entry & 0x7f);
        out.say(format!(
            "{indent}--> {name} index:0x{:x} [decimal {}] {name} contents:0x{:x} (valid {valid}, pfn 0x{pfn:02x} [decimal {pfn}])",
            s.index, s.index, s.entry
        ));
    }
    match (walk.pa, walk.steps.len()) {
        (Some(pa), _) => out.say(format!(
            "      --> Translates to Physical Address 0x{pa:03x} --> Value: 0x{:02x}",
            walk.value.unwrap_or(0)
        )),
        (None, 1) => out.say("      --> Fault (page directory entry not valid)"),
        (None, _) => out.say("      --> Fault (page table entry not valid)"),
    }
}

/// Question `i` (0-based, as the addresses come): the physical address, or a fault.
fn question(i: usize, walk: &Walk) -> Question {
    let prompt = tr!(
        "ostep-multilevel-question",
        va = format!("0x{:04x}", walk.va)
    );
    let answer = match walk.pa {
        Some(pa) => Answer::hex(pa, 3),
        None => Answer::word(Word::Fault),
    };
    Question::new(i, prompt, answer)
}
