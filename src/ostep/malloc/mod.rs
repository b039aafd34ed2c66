//! malloc.py: a free-list allocator, its operations drawn from the seed (or given
//! with `-A`), and the free list after each.
//!
//! Two heaps of [`crate::sim::freespace`] run the same operations: one kept as a
//! free list should be ([`Rules::Stable`]: the list stays in its order, a freed chunk
//! merges with its neighbours in memory), which vmlab prints, and one kept by
//! malloc.py's rules ([`Rules::MallocPy`]), which says what the script prints. Where
//! the two differ, vmlab prints its answer and a marked line with the script's and why
//! (the `ostep-malloc-why-*` messages); where the script crashes, a marked line says so and vmlab goes on.
//!
//! The script's lines stay English, as it prints them.

use std::collections::BTreeMap;

use super::{Kind, Opt, Parsed, PyInt, PyRandom, Run, Script};

mod replay;
use crate::error::{Error, InputError, Result};
use crate::sim::fit::Fit;
use crate::sim::freespace::heap::Heap;
use crate::sim::freespace::{Allocator, Order, Rules};
use crate::sim::{Answer, Question, Word};
use crate::tr;

/// The script, for [`super::SCRIPTS`].
pub const SCRIPT: Script = Script {
    name: "malloc.py",
    about: "ostep-malloc-about",
    options: OPTIONS,
    run,
};

/// The script's options, in its order.
pub const OPTIONS: &[Opt] = &[
    opt('s', "seed", "seed", Kind::Int(0)),
    opt('S', "size", "heapSize", Kind::Int(100)),
    opt('b', "baseAddr", "baseAddr", Kind::Int(1000)),
    opt('H', "headerSize", "headerSize", Kind::Int(0)),
    opt('a', "alignment", "alignment", Kind::Int(-1)),
    opt('p', "policy", "policy", Kind::Str("BEST")),
    opt('l', "listOrder", "order", Kind::Str("ADDRSORT")),
    opt('C', "coalesce", "coalesce", Kind::Flag),
    opt('n', "numOps", "opsNum", Kind::Int(10)),
    opt('r', "range", "opsRange", Kind::Int(10)),
    opt('P', "percentAlloc", "opsPAlloc", Kind::Int(50)),
    opt('A', "allocList", "opsList", Kind::Str("")),
    opt('c', "compute", "solve", Kind::Flag),
];

const fn opt(short: char, long: &'static str, dest: &'static str, kind: Kind) -> Opt {
    Opt {
        short: Some(short),
        long: Some(long),
        dest,
        kind,
        help: help_id(short),
    }
}

const fn help_id(short: char) -> &'static str {
    match short {
        's' => "ostep-malloc-help-seed",
        'S' => "ostep-malloc-help-size",
        'b' => "ostep-malloc-help-base",
        'H' => "ostep-malloc-help-header",
        'a' => "ostep-malloc-help-alignment",
        'p' => "ostep-malloc-help-policy",
        'l' => "ostep-malloc-help-order",
        'C' => "ostep-malloc-help-coalesce",
        'n' => "ostep-malloc-help-num",
        'r' => "ostep-malloc-help-range",
        'P' => "ostep-malloc-help-percent",
        'A' => "ostep-malloc-help-list",
        _ => "ostep-malloc-help-compute",
    }
}

/// The most operations in a run.
const MAX_OPS: i64 = 100_000;

fn input(text: String) -> Error {
    Error::Input(InputError::Message(text))
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// One operation as the script lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    /// `ptr[k] = Alloc(size)`, and the bytes asked of the heap (aligned, no header).
    Alloc { size: i64, request: u64 },
    /// `Free(ptr[k])`.
    Free(usize),
    /// `-A` freeing a `ptr[k]` never allocated: `Invalid Free: Skipping`.
    Skip,
}

/// The settings checked, as the script's constructor and asserts check them.
struct Setup {
    allocator: Allocator,
    header: u64,
    /// `-a`, or `None` for -1 (no alignment).
    align: Option<u64>,
    solve: bool,
    given: bool,
}

fn int(p: &Parsed, dest: &str) -> i64 {
    p.int(dest).to_i64().unwrap_or(i64::MAX)
}

fn setup(p: &Parsed) -> Result<Setup> {
    let fit = match p.str("policy") {
        "FIRST" => Fit::First,
        "BEST" => Fit::Best,
        "WORST" => Fit::Worst,
        other => return Err(input(tr!("ostep-malloc-bad-policy", policy = other))),
    };
    let order = match p.str("order") {
        "ADDRSORT" => Order::Addr,
        "SIZESORT+" => Order::SizeUp,
        "SIZESORT-" => Order::SizeDown,
        "INSERT-FRONT" => Order::Front,
        "INSERT-BACK" => Order::Back,
        other => return Err(input(tr!("ostep-malloc-bad-order", order = other))),
    };
    let align = match int(p, "alignment") {
        -1 => None,
        a if a > 0 => Some(a as u64),
        a => {
            return Err(input(tr!(
                "ostep-malloc-bad-alignment",
                value = a.to_string()
            )));
        }
    };
    let (size, base, header) = (int(p, "heapSize"), int(p, "baseAddr"), int(p, "headerSize"));
    for (flag, v) in [("-S", size), ("-b", base), ("-H", header)] {
        if v < 0 || v > u32::MAX as i64 {
            return Err(input(tr!(
                "ostep-malloc-bad-number",
                option = flag,
                value = v.to_string()
            )));
        }
    }
    let allocator = Allocator {
        base: base as u64,
        heap_size: size as u64,
        header: header as u64,
        align: 1,
        fit,
        order,
        coalesce: p.flag("coalesce"),
        rules: Rules::Stable,
    };
    Ok(Setup {
        allocator,
        header: header as u64,
        align,
        solve: p.flag("solve"),
        given: !p.str("opsList").is_empty(),
    })
}

/// Runs the script.
pub fn run(p: &Parsed, out: &mut Run) -> Result<()> {
    both(p, out).map(drop)
}

/// What malloc.py itself prints for these options (up to where it stops): the lines
/// that vmlab's marked lines quote. For tests against the script's output.
pub fn transcript(p: &Parsed) -> Result<Vec<String>> {
    let mut run = Run::default();
    let said = both(p, &mut run)?;
    let text = run.text();
    let mut lines: Vec<String> = text.lines().take(HEADER_LINES).map(String::from).collect();
    lines.extend(said);
    Ok(lines)
}

/// The settings printed first, and the blank line after them.
const HEADER_LINES: usize = 14;

/// vmlab's run into `out`; the lines malloc.py prints after its settings.
fn both(p: &Parsed, out: &mut Run) -> Result<Vec<String>> {
    let s = setup(p)?;
    header(out, p);
    let items = if s.given {
        given(&s, p.str("opsList"))?
    } else {
        drawn(&s, p)?
    };
    Ok(replay::replay(out, &s, &items))
}

/// The settings, as the script prints them first.
fn header(out: &mut Run, p: &Parsed) {
    let shown = |dest: &str| match p.value(dest) {
        super::optparse::Value::Int(n) => n.to_string(),
        super::optparse::Value::Str(s) => s.clone(),
        super::optparse::Value::Flag(b) => py_bool(*b).to_string(),
    };
    let names = [
        ("seed", "seed"),
        ("size", "heapSize"),
        ("baseAddr", "baseAddr"),
        ("headerSize", "headerSize"),
        ("alignment", "alignment"),
        ("policy", "policy"),
        ("listOrder", "order"),
        ("coalesce", "coalesce"),
        ("numOps", "opsNum"),
        ("range", "opsRange"),
        ("percentAlloc", "opsPAlloc"),
        ("allocList", "opsList"),
        ("compute", "solve"),
    ];
    for (name, dest) in names {
        out.say(format!("{name} {}", shown(dest)));
    }
    out.say("");
}

/// The bytes a malloc of `size` asks of the heap: `size` rounded up to the alignment
/// (the script adds the header after aligning); an error for a negative size, or
/// where the script would make a chunk of no bytes.
fn request(s: &Setup, size: i64) -> Result<u64> {
    let aligned = match s.align {
        Some(a) => {
            let a = a as i64;
            let left = size.rem_euclid(a);
            size + if left != 0 { a - left } else { 0 }
        }
        None => size,
    };
    if aligned < 0 || aligned + (s.header as i64) <= 0 {
        return Err(input(tr!(
            "ostep-malloc-empty-chunk",
            size = size.to_string()
        )));
    }
    Ok(aligned.max(0) as u64)
}

/// The operations drawn from the seed, as the script draws them: a heap kept by its
/// rules says which mallocs succeed (only those can be freed).
fn drawn(s: &Setup, p: &Parsed) -> Result<Vec<Item>> {
    let percent = int(p, "opsPAlloc") as f64 / 100.0;
    if percent <= 0.0 {
        return Err(input(tr!(
            "ostep-malloc-percent-zero",
            value = int(p, "opsPAlloc").to_string()
        )));
    }
    let (num, range) = (int(p, "opsNum"), int(p, "opsRange"));
    if num > MAX_OPS {
        return Err(input(tr!(
            "ostep-malloc-too-many",
            num = num.to_string(),
            max = MAX_OPS.to_string()
        )));
    }
    let mut rng = PyRandom::seeded(p.int("seed"));
    let mut heap = Heap::new(Allocator {
        rules: Rules::MallocPy,
        ..s.allocator
    });
    let (mut items, mut live, mut made) = (Vec::new(), Vec::<usize>::new(), 0usize);
    let mut ptrs = BTreeMap::new();
    while (items.len() as i64) < num {
        if rng.random() < percent {
            let size = rng.below(range as f64) + 1;
            let request = request(s, size)?;
            if let Some(ptr) = heap.malloc(made, request).ptr {
                ptrs.insert(made, ptr);
                live.push(made);
            }
            items.push(Item::Alloc { size, request });
            made += 1;
        } else if !live.is_empty() {
            let d = rng.below(live.len() as f64) as usize;
            let id = live.remove(d);
            heap.free(id, ptrs.get(&id).copied(), None);
            items.push(Item::Free(id));
        }
    }
    Ok(items)
}

/// The operations of `-A`: `+10,-0`. A free of a `ptr[k]` not yet allocated is
/// skipped, as the script skips it; anything else it cannot read is an error.
fn given(s: &Setup, list: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut made = 0usize;
    for op in list.split(',') {
        if items.len() as i64 >= MAX_OPS {
            return Err(input(tr!(
                "ostep-malloc-too-many",
                num = ">".to_string() + &MAX_OPS.to_string(),
                max = MAX_OPS.to_string()
            )));
        }
        let bad = || input(tr!("ostep-malloc-bad-op", op = op));
        let number = |sign: char| {
            op.split(sign)
                .nth(1)
                .and_then(PyInt::parse)
                .and_then(|n| n.to_i64())
                .ok_or_else(bad)
        };
        match op.chars().next() {
            Some('+') => {
                let size = number('+')?;
                items.push(Item::Alloc {
                    size,
                    request: request(s, size)?,
                });
                made += 1;
            }
            Some('-') => {
                let k = number('-')?;
                match usize::try_from(k) {
                    Ok(k) if k < made => items.push(Item::Free(k)),
                    _ => items.push(Item::Skip),
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok(items)
}

/// Answers for `--check`: each malloc's pointer (0-based, `ptr[k]`), or NULL.
fn question(k: usize, size: i64, ptr: Option<u64>) -> Question {
    let prompt = tr!("ostep-malloc-question", k = k, size = size.to_string());
    let answer = match ptr {
        Some(p) => Answer::dec(p),
        None => Answer::word(Word::Null),
    };
    Question::new(k, prompt, answer)
}
