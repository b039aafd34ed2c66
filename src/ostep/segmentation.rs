//! segmentation.py: two segments, one selector bit. Segment 0 grows up from its base;
//! segment 1 grows down from its base (the top). The script draws the two limits, then
//! the bases, then the addresses; vmlab draws the same with [`PyRandom`] and
//! translates with [`crate::sim::segment`]'s model.
//!
//! The script's checks have holes, and vmlab says so in a marked line where a setup
//! slips through them: segment 0 may end one byte past physical memory (the check is
//! off by one), segment 1's top is never checked, and an overlap is caught only when
//! segment 1 lies above segment 0. Where the script hangs (no room for a segment) or
//! crashes (a size or an address that is not a number), vmlab stops with an error.

use super::optparse::{ADDRESSES, Kind, Opt, Parsed, SEED, asize, num, opt, physmem};
use super::size::convert;
use super::{PyInt, PyRandom, Run, Script, refuse};
use crate::error::Result;
use crate::sim::segment::model::{self, Kind as SegmentKind, Problem, Segment};
use crate::sim::{Answer, Question, Word};
use crate::tr;

pub const SCRIPT: Script = Script {
    name: "segmentation.py",
    about: "ostep-segmentation-about",
    options: OPTIONS,
    run,
};

const OPTIONS: &[Opt] = &[
    SEED,
    ADDRESSES,
    asize("1k"),
    physmem("16k"),
    num("numaddrs"),
    opt(
        Some("b0"),
        'b',
        "base0",
        Kind::Str("-1"),
        "ostep-segmentation-opt-base0",
    ),
    opt(
        Some("l0"),
        'l',
        "len0",
        Kind::Str("-1"),
        "ostep-segmentation-opt-len0",
    ),
    opt(
        Some("b1"),
        'B',
        "base1",
        Kind::Str("-1"),
        "ostep-segmentation-opt-base1",
    ),
    opt(
        Some("l1"),
        'L',
        "len1",
        Kind::Str("-1"),
        "ostep-segmentation-opt-len1",
    ),
    opt(None, 'c', "solve", Kind::Flag, "ostep-opt-compute"),
];

/// The registers as the script holds them: `base1` is segment 1's lowest address.
#[derive(Clone, Copy, Debug)]
struct Registers {
    base0: i64,
    len0: i64,
    base1: i64,
    len1: i64,
}

/// `abort_if`: prints `Error: message`, and the script exits 1.
fn abort(out: &mut Run, message: &str) {
    out.say(format!("Error: {message}"));
    out.exit = 1;
}

fn run(p: &Parsed, out: &mut Run) -> Result<()> {
    out.say(format!("ARG seed {}", p.int("seed")));
    out.say(format!("ARG address space size {}", p.str("asize")));
    out.say(format!("ARG phys mem size {}", p.str("psize")));
    out.say("");
    let mut rng = PyRandom::seeded(p.int("seed"));
    let asize = convert("-a", p.str("asize"))?;
    let psize = convert("-p", p.str("psize"))?;
    if psize <= 4 {
        abort(out, "must specify a bigger physical memory size");
        return Ok(());
    }
    if asize == 0 {
        abort(out, "must specify a non-zero address-space size");
        return Ok(());
    }
    if psize <= asize {
        abort(
            out,
            "physical memory size > address space size (for this simulation)",
        );
        return Ok(());
    }
    if asize < 0 {
        return Err(refuse(tr!("ostep-negative", flag = "-a", value = asize)));
    }
    let Some(r) = registers(p, out, &mut rng, asize, psize)? else {
        return Ok(());
    };
    print_registers(out, r);
    if r.len0 + r.base0 > r.base1 && r.base1 > r.base0 {
        abort(out, "segments overlap in physical memory");
        return Ok(());
    }
    notes(out, r, psize);
    let addresses = addresses(p, &mut rng, asize)?;
    trace(out, p.flag("solve"), r, asize, psize, &addresses)
}

/// The limits and bases, drawn or given, checked as the script checks them; `None`
/// when the script stops with an error line.
fn registers(
    p: &Parsed,
    out: &mut Run,
    rng: &mut PyRandom,
    asize: i64,
    psize: i64,
) -> Result<Option<Registers>> {
    let len0 = convert("-l", p.str("len0"))?;
    let len1 = convert("-L", p.str("len1"))?;
    let base0 = convert("-b", p.str("base0"))?;
    let base1 = convert("-B", p.str("base1"))?;
    for (flag, v) in [("-l", len0), ("-L", len1), ("-b", base0), ("-B", base1)] {
        if v < -1 {
            return Err(refuse(tr!("ostep-negative", flag = flag, value = v)));
        }
    }
    let mut draw_len = |len: i64| match len {
        -1 => (asize as f64 / 4.0 + asize as f64 / 4.0 * rng.random()) as i64,
        l => l,
    };
    let (len0, len1) = (draw_len(len0), draw_len(len1));
    if (base0 == -1 || base1 == -1) && psize <= 2 * asize {
        abort(
            out,
            "physical memory must be 2x GREATER than address space size (if randomly generating base registers)",
        );
        return Ok(None);
    }
    let base0 = match base0 {
        -1 if len0 >= psize => {
            return Err(refuse(tr!(
                "ostep-segmentation-no-base",
                segment = 0,
                limit = len0,
                psize = psize
            )));
        }
        -1 => super::draw_until(rng, psize, |b| b + len0 < psize)?,
        b => b,
    };
    let base1 = match base1 {
        -1 => draw_base1(rng, psize, base0, len0, len1)?,
        b if b < len1 => {
            return Err(refuse(tr!(
                "ostep-segmentation-below-zero",
                base = b,
                limit = len1
            )));
        }
        b => b - len1,
    };
    if psize < base0 + len0 - 1 {
        abort(out, "seg0 is not in physical memory");
        return Ok(None);
    }
    if psize < base1 {
        abort(out, "seg1 is not in physical memory");
        return Ok(None);
    }
    if len0 as f64 > asize as f64 / 2.0 {
        abort(out, "length0 register is too large for this address space");
        return Ok(None);
    }
    if len1 as f64 > asize as f64 / 2.0 {
        abort(out, "length1 register is too large for this address space");
        return Ok(None);
    }
    Ok(Some(Registers {
        base0,
        len0,
        base1,
        len1,
    }))
}

/// The script's loop for segment 1: anywhere below psize, not overlapping segment 0.
/// It never ends when there is no such place: vmlab says so instead.
fn draw_base1(rng: &mut PyRandom, psize: i64, base0: i64, len0: i64, len1: i64) -> Result<i64> {
    let above = base0 + len0 + 1 + len1 < psize;
    let below = len1 < base0.min(psize);
    if !above && !below {
        return Err(refuse(tr!(
            "ostep-segmentation-no-base",
            segment = 1,
            limit = len1,
            psize = psize
        )));
    }
    super::draw_until(rng, psize, |b| {
        b + len1 < psize && (b > base0 + len0 || b + len1 < base0)
    })
}

fn print_registers(out: &mut Run, r: Registers) {
    let top1 = r.base1 + r.len1;
    out.say("Segment register information:");
    out.say("");
    out.say(format!(
        "  Segment 0 base  (grows positive) : 0x{:08x} (decimal {})",
        r.base0, r.base0
    ));
    out.say(format!("  Segment 0 limit                  : {}", r.len0));
    out.say("");
    out.say(format!(
        "  Segment 1 base  (grows negative) : 0x{top1:08x} (decimal {top1})"
    ));
    out.say(format!("  Segment 1 limit                  : {}", r.len1));
    out.say("");
}

/// Marked lines for the setups the script's checks let through.
fn notes(out: &mut Run, r: Registers, psize: i64) {
    if r.base0 + r.len0 > psize {
        out.note(tr!(
            "ostep-segmentation-seg0-outside",
            end = r.base0 + r.len0,
            psize = psize
        ));
    }
    if r.base1 + r.len1 > psize {
        out.note(tr!(
            "ostep-segmentation-seg1-outside",
            top = r.base1 + r.len1,
            psize = psize
        ));
    }
    let (a, b) = ((r.base0, r.base0 + r.len0), (r.base1, r.base1 + r.len1));
    if a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1 {
        out.note(tr!(
            "ostep-segmentation-overlap",
            start0 = format!("0x{:x}", a.0),
            end0 = format!("0x{:x}", a.1),
            start1 = format!("0x{:x}", b.0),
            end1 = format!("0x{:x}", b.1)
        ));
    }
}

/// The addresses: drawn, or `-A`'s list as text (each read when its turn comes, as
/// the script reads it).
fn addresses(p: &Parsed, rng: &mut PyRandom, asize: i64) -> Result<Vec<String>> {
    if p.str("addresses") != "-1" {
        return Ok(p.str("addresses").split(',').map(String::from).collect());
    }
    let num = super::count(p, "-n", "num")? as i64;
    Ok((0..num)
        .map(|_| rng.below(asize as f64).to_string())
        .collect())
}

/// The trace, translated by vmlab's segmentation model.
fn trace(
    out: &mut Run,
    solve: bool,
    r: Registers,
    asize: i64,
    psize: i64,
    addresses: &[String],
) -> Result<()> {
    out.say("Virtual Address Trace");
    for (i, text) in addresses.iter().enumerate() {
        let va = PyInt::parse(text)
            .and_then(|v| v.to_i64())
            .ok_or_else(|| refuse(tr!("ostep-bad-address", value = crate::error::quote(text))))?;
        if va < 0 || va >= asize {
            out.say(format!(
                "Error: virtual address {va} cannot be generated in an address space of size {asize}"
            ));
            out.exit = 1;
            return Ok(());
        }
        let (pa, seg) = translate(r, asize, psize, va as u64);
        let head = format!("  VA {i:2}: 0x{va:08x} (decimal: {va:4}) --> ");
        let line = match (solve, pa) {
            (false, _) => format!("{head}PA or segmentation violation?"),
            (true, Some(pa)) => format!("{head}VALID in SEG{seg}: 0x{pa:08x} (decimal: {pa:4})"),
            (true, None) => format!("{head}SEGMENTATION VIOLATION (SEG{seg})"),
        };
        out.say(line);
        let answer = pa.map_or(Answer::word(Word::Fault), |pa| Answer::hex(pa, 8));
        out.questions
            .push(Question::new(i, format!("VA {i}: 0x{va:08x}"), answer));
    }
    out.say("");
    if !solve {
        for line in EPILOGUE {
            out.say(*line);
        }
    }
    Ok(())
}

const EPILOGUE: &[&str] = &[
    "For each virtual address, either write down the physical address it translates to",
    "OR write down that it is an out-of-bounds address (a segmentation violation). For",
    "this problem, you should assume a simple address space with two segments: the top",
    "bit of the virtual address can thus be used to check whether the virtual address",
    "is in segment 0 (topbit=0) or segment 1 (topbit=1). Note that the base/limit pairs",
    "given to you grow in different directions, depending on the segment, i.e., segment 0",
    "grows in the positive direction, whereas segment 1 in the negative. ",
    "",
];

/// `va` through the model: the physical address (none: a violation) and the segment.
///
/// The script splits the space at `asize / 2` (a float) and counts segment 1 down
/// from `asize`; the model splits at `asize >> 1`. Both agree for an even size; for
/// an odd one the model is given every address, size and register doubled (an even
/// space, the same comparisons), and the physical address is halved back.
fn translate(r: Registers, asize: i64, psize: i64, va: u64) -> (Option<u64>, u8) {
    let k = if asize % 2 == 1 { 2 } else { 1 };
    let segments = vec![
        Segment {
            kind: SegmentKind::CodeHeap,
            selector: 0,
            base: (r.base0 * k) as u64,
            limit: (r.len0 * k) as u64,
            grows_down: false,
        },
        Segment {
            kind: SegmentKind::Stack,
            selector: 1,
            base: ((r.base1 + r.len1) * k) as u64,
            limit: (r.len1 * k) as u64,
            grows_down: true,
        },
    ];
    let problem = Problem {
        asize: (asize * k) as u64,
        physmem: (psize * k) as u64,
        seg_bits: 1,
        segments,
        addresses: vec![va * k as u64],
        allocation: None,
    };
    let t = model::solve(&problem).translations[0];
    (t.pa.map(|pa| pa / k as u64), t.selector as u8)
}
