//! `vmlab sim relocate`: base and bounds (dynamic relocation), as OSTEP's
//! relocation.py.
//!
//! The whole address space of a process sits in one contiguous piece of physical
//! memory. The MMU holds two registers: the base (where the piece starts) and the
//! bounds (its size, which relocation.py calls the limit). A virtual address `VA`
//! translates to `base + VA` when `VA < bounds`; any other address is a
//! segmentation violation. Segmentation (`vmlab sim segment`) applies the same
//! formula per segment; paging (`vmlab sim paging`) replaces it with a table lookup
//! per page.

use serde_json::json;

use super::{Exercise, Question, Rng, bad_param, size_param};
use crate::error::Result;

/// The largest address-space or physical-memory size the simulators accept (256 TiB,
/// the reach of x86-64's four-level paging): keeps every sum far from overflowing.
pub(crate) const MAX_SIZE: u64 = 1 << 48;
/// The most addresses one exercise asks about.
pub(crate) const MAX_ACCESSES: u64 = 10_000;

/// The parameters of `vmlab sim relocate`.
#[derive(clap::Args, Clone, Debug)]
pub struct Params {
    /// Address-space size (`1k`, `16k`, `0x4000` ...): virtual addresses are drawn
    /// from 0 to this size minus one.
    #[arg(short = 'a', long, value_name = "SIZE", default_value = "1k")]
    pub asize: String,

    /// Physical memory size; base and bounds must fit inside it, and it must be at
    /// least the address-space size.
    #[arg(short = 'p', long, value_name = "SIZE", default_value = "16k")]
    pub psize: String,

    /// How many virtual addresses to translate: random ones, half of them drawn among
    /// the valid addresses (see --addresses to choose them).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 5)]
    pub num: u64,

    /// The base register: where the address space starts in physical memory (random
    /// when not given, or -1 as in relocation.py).
    #[arg(short = 'b', long, value_name = "ADDR", allow_hyphen_values = true)]
    pub base: Option<String>,

    /// The bounds register (relocation.py's limit): the size of the address space in
    /// use; VA is valid when VA < bounds. Random (asize/4 to asize/2) when not given.
    #[arg(
        short = 'l',
        long,
        alias = "bounds",
        value_name = "SIZE",
        allow_hyphen_values = true
    )]
    pub limit: Option<String>,

    /// The virtual addresses to translate, comma-separated (`0x10,300,-1`; -1 is a
    /// random one). Overrides --num.
    #[arg(short = 'A', long, value_name = "LIST", allow_hyphen_values = true)]
    pub addresses: Option<String>,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

/// A problem with every value decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub asize: u64,
    pub psize: u64,
    pub base: u64,
    pub bounds: u64,
    pub addresses: Vec<u64>,
}

/// Base-and-bounds translation: `Some(base + va)` when `va < bounds`, `None` (a
/// segmentation violation) otherwise.
pub fn translate(base: u64, bounds: u64, va: u64) -> Option<u64> {
    if va < bounds {
        base.checked_add(va)
    } else {
        None
    }
}

/// An optional size parameter: absent or `-1` means "choose at random".
pub(crate) fn optional_size(name: &str, text: Option<&str>) -> Result<Option<u64>> {
    match text.map(|s| s.trim()) {
        None | Some("-1") => Ok(None),
        Some(t) => size_param(name, t).map(Some),
    }
}

/// A size parameter that must be positive and at most [`MAX_SIZE`].
pub(crate) fn positive_size(name: &str, text: &str) -> Result<u64> {
    let v = size_param(name, text)?;
    if v == 0 {
        return Err(bad_param(name, "must be more than 0"));
    }
    if v > MAX_SIZE {
        return Err(bad_param(
            name,
            format!("{v} is too large (at most {MAX_SIZE}, 256 TiB)"),
        ));
    }
    Ok(v)
}

/// The `--addresses` list: `None` entries (`-1`) are to be drawn at random. Every
/// given address must be inside the address space.
pub(crate) fn address_list(text: &str, asize: u64) -> Result<Vec<Option<u64>>> {
    let mut out = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad_param("addresses", "an empty entry in the list"));
        }
        if item == "-1" {
            out.push(None);
            continue;
        }
        let va = size_param("addresses", item)?;
        if va >= asize {
            return Err(bad_param(
                "addresses",
                format!(
                    "{item} is outside the address space (virtual addresses are 0 to {} = {})",
                    asize - 1,
                    hex(asize - 1, 1)
                ),
            ));
        }
        out.push(Some(va));
    }
    if out.len() as u64 > MAX_ACCESSES {
        return Err(bad_param(
            "addresses",
            format!("at most {MAX_ACCESSES} addresses"),
        ));
    }
    Ok(out)
}

/// Checks `--num`.
pub(crate) fn check_num(num: u64) -> Result<()> {
    if num > MAX_ACCESSES {
        return Err(bad_param(
            "num",
            format!("{num} addresses is too many (at most {MAX_ACCESSES})"),
        ));
    }
    Ok(())
}

/// `v` in hex, zero-padded to `width` digits, with `0x`.
pub(crate) fn hex(v: u64, width: usize) -> String {
    format!("0x{v:0width$x}")
}

/// How many hex digits the largest address below `size` needs (at least 4).
pub(crate) fn hex_width(size: u64) -> usize {
    let digits = (64 - size.saturating_sub(1).leading_zeros() as usize).div_ceil(4);
    digits.max(4)
}

impl Problem {
    /// Validates `params` and draws what is random from `seed`.
    pub fn new(params: &Params, seed: u64) -> Result<Problem> {
        let asize = positive_size("asize", &params.asize)?;
        let psize = positive_size("psize", &params.psize)?;
        if asize > psize {
            return Err(bad_param(
                "asize",
                format!(
                    "the address space ({asize} bytes) is larger than physical memory \
                     ({psize} bytes): base and bounds places the whole address space in \
                     one piece of physical memory, so it must fit"
                ),
            ));
        }
        check_num(params.num)?;
        let base = optional_size("base", params.base.as_deref())?;
        let bounds = optional_size("limit", params.limit.as_deref())?;
        let wanted = match &params.addresses {
            Some(text) => address_list(text, asize)?,
            None => vec![None; params.num as usize],
        };
        let mut rng = Rng::new(seed);
        let bounds = match bounds {
            Some(b) if b > asize => {
                return Err(bad_param(
                    "limit",
                    format!("the bounds {b} is larger than the address space ({asize} bytes)"),
                ));
            }
            Some(b) => b,
            // As relocation.py: a quarter to a half of the address space.
            None => rng.range(asize / 4, asize / 2),
        };
        let base = match base {
            Some(b) => {
                if b.checked_add(bounds).is_none_or(|end| end > psize) {
                    return Err(bad_param(
                        "base",
                        format!(
                            "base {} + bounds {bounds} ends past physical memory ({psize} \
                             bytes): the address space must fit",
                            hex(b, 1)
                        ),
                    ));
                }
                b
            }
            None => rng.range(0, psize - bounds),
        };
        let addresses = wanted
            .into_iter()
            .map(|w| {
                // Half the random addresses are drawn among the valid ones (relocation.py
                // draws over the whole space, where most fault): both outcomes appear.
                w.unwrap_or_else(|| {
                    if bounds > 0 && rng.chance(50) {
                        rng.below(bounds)
                    } else {
                        rng.below(asize)
                    }
                })
            })
            .collect();
        Ok(Problem {
            asize,
            psize,
            base,
            bounds,
            addresses,
        })
    }
}

/// Accepted spellings of a segmentation violation.
pub(crate) const FAULT_WORDS: &[&str] = &[
    "segfault",
    "violation",
    "segmentation violation",
    "sv",
    "invalid",
    "seg fault",
];

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    let p = Problem::new(params, seed)?;
    let w = hex_width(p.asize.max(p.psize));
    let mut problem = vec![
        format!(
            "Address space {} bytes ({}), physical memory {} bytes ({}).",
            p.asize,
            crate::render::human_size(p.asize),
            p.psize,
            crate::render::human_size(p.psize)
        ),
        "Base-and-bounds registers:".to_string(),
        format!("  base    {}  (decimal {})", hex(p.base, w), p.base),
        format!(
            "  bounds  {}  (decimal {}; relocation.py calls it the limit)",
            hex(p.bounds, w),
            p.bounds
        ),
        String::new(),
        "Translate each virtual address to a physical address, or write 'fault' for a \
         segmentation violation."
            .to_string(),
    ];
    if p.addresses.is_empty() {
        problem.push("(no addresses asked: --num 0)".into());
    }
    let mut questions = Vec::new();
    let mut solution = vec![
        format!(
            "The rule: VA is valid when VA < bounds = {} ({}), so the valid virtual \
             addresses are 0 to {}{}.",
            p.bounds,
            hex(p.bounds, w),
            p.bounds.saturating_sub(1),
            if p.bounds == 0 {
                " (none: every access faults)".to_string()
            } else {
                format!(" ({})", hex(p.bounds - 1, w))
            }
        ),
        format!(
            "A valid VA maps to PA = base + VA = {} + VA; the physical addresses used are {} \
             to {}.",
            hex(p.base, w),
            hex(p.base, w),
            hex((p.base + p.bounds).saturating_sub(1), w)
        ),
        String::new(),
    ];
    let mut accesses = Vec::new();
    for (i, &va) in p.addresses.iter().enumerate() {
        let id = i + 1;
        let prompt = format!(
            "VA {}  (decimal {:>w2$}) → PA or fault?",
            hex(va, w),
            va,
            w2 = 6
        );
        match translate(p.base, p.bounds, va) {
            Some(pa) => {
                questions.push(Question::new(id, prompt, hex(pa, w)));
                solution.push(format!(
                    "{id:>3}. VA {} ({va}) < bounds {}: valid. PA = {} + {} = {} (decimal {pa})",
                    hex(va, w),
                    p.bounds,
                    hex(p.base, w),
                    hex(va, w),
                    hex(pa, w),
                ));
                accesses.push(json!({"va": hex(va, w), "valid": true, "pa": hex(pa, w)}));
            }
            None => {
                questions.push(Question::new(id, prompt, "fault").or(FAULT_WORDS));
                solution.push(format!(
                    "{id:>3}. VA {} ({va}) ≥ bounds {}: SEGMENTATION VIOLATION. The MMU \
                     raises an exception before any memory access; the OS would kill the \
                     process.",
                    hex(va, w),
                    p.bounds
                ));
                accesses.push(json!({"va": hex(va, w), "valid": false, "pa": null}));
            }
        }
    }
    solution.extend([
        String::new(),
        "Where PA = base + VA applies, and where paging replaces it:".to_string(),
        "  • base and bounds: one (base, bounds) pair for the whole address space, so the \
         unused space between heap and stack still takes physical memory;"
            .to_string(),
        "  • segmentation (vmlab sim segment): the same formula once per segment, the top \
         bits of the VA choosing the pair (the stack's offset counted down);"
            .to_string(),
        "  • paging (vmlab sim paging): no single base; PA = frame(VA / page size) × page \
         size + VA mod page size, one page-table entry per page. x86-64 Linux translates \
         by paging only."
            .to_string(),
    ]);
    let data = json!({
        "asize": p.asize,
        "psize": p.psize,
        "base": hex(p.base, w),
        "bounds": hex(p.bounds, w),
        "valid_range": if p.bounds == 0 { json!(null) } else { json!([hex(0, w), hex(p.bounds - 1, w)]) },
        "accesses": accesses,
    });
    let params_json = json!({
        "asize": p.asize,
        "psize": p.psize,
        "base": p.base,
        "limit": p.bounds,
        "addresses": p.addresses.iter().map(|&a| hex(a, w)).collect::<Vec<_>>().join(","),
    });
    Ok(Exercise {
        simulator: "relocate".into(),
        seed,
        params: params_json,
        problem,
        questions,
        solution,
        real: if real { real_part() } else { Vec::new() },
        data,
    })
}

/// What this machine shows of base + offset: x86-64 ignores the code/data segment
/// bases in 64-bit mode, but the FS base still relocates thread-local storage.
fn real_part() -> Vec<String> {
    let mut out = vec![
        "x86-64 in 64-bit mode treats the CS, DS, ES and SS bases as 0 and checks no \
         limit: there is no base-and-bounds translation, only paging."
            .to_string(),
    ];
    match fs_base_and_tls() {
        Some((fs, tls)) => {
            let off = tls as i128 - fs as i128;
            let sign = if off < 0 { "-" } else { "+" };
            out.push(
                "One base register survives: FS. Thread-local variables are addressed \
                 as FS base + offset, with no bounds check:"
                    .to_string(),
            );
            out.push(format!(
                "  FS base of vmlab's main thread (arch_prctl ARCH_GET_FS)  0x{fs:016x}"
            ));
            out.push(format!(
                "  address of a thread-local variable of vmlab             0x{tls:016x}"
            ));
            out.push(format!(
                "  = FS base {sign} 0x{:x} (measured: the offset the compiler put in the \
                 instruction; the base differs per thread)",
                off.unsigned_abs()
            ));
        }
        None => out.push("(the FS base could not be read on this machine)".to_string()),
    }
    out.push(
        "Both of those addresses are virtual: paging translates them further. See the \
         whole address space with `vmlab demo segments`, and a real translation with \
         `vmlab sim paging --real`."
            .to_string(),
    );
    out
}

thread_local! {
    static TLS_PROBE: std::cell::Cell<u64> = const { std::cell::Cell::new(0x5eed) };
}

#[cfg(target_arch = "x86_64")]
fn fs_base_and_tls() -> Option<(u64, u64)> {
    const ARCH_GET_FS: libc::c_long = 0x1003;
    let mut base: u64 = 0;
    // SAFETY: ARCH_GET_FS writes one unsigned long to the address we pass, which is
    // our own local variable.
    let r = unsafe {
        libc::syscall(
            libc::SYS_arch_prctl,
            ARCH_GET_FS,
            &mut base as *mut u64 as libc::c_ulong,
        )
    };
    if r != 0 || base == 0 {
        return None;
    }
    let tls = TLS_PROBE.with(|c| c as *const std::cell::Cell<u64> as u64);
    Some((base, tls))
}

#[cfg(not(target_arch = "x86_64"))]
fn fs_base_and_tls() -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, InputError};

    fn params(asize: &str, psize: &str, base: &str, limit: &str, addrs: &str) -> Params {
        Params {
            asize: asize.into(),
            psize: psize.into(),
            num: 5,
            base: Some(base.into()),
            limit: Some(limit.into()),
            addresses: Some(addrs.into()),
        }
    }

    #[test]
    fn translation_from_the_definition() {
        // Base 0x3000, bounds 100: VA 0 → 0x3000, the last valid VA 99 → 0x3063,
        // the first invalid VA 100 faults.
        assert_eq!(translate(0x3000, 100, 0), Some(0x3000));
        assert_eq!(translate(0x3000, 100, 99), Some(0x3063));
        assert_eq!(translate(0x3000, 100, 100), None);
        assert_eq!(translate(0x3000, 0, 0), None);
    }

    #[test]
    fn a_hand_written_problem_has_the_known_answers() {
        // OSTEP chapter 15's example: base 16 KB, bounds 4 KB (asize 16k, psize 64k).
        let p = params("16k", "64k", "16k", "4k", "0,4095,4096,1000,15k");
        let e = exercise(&p, 0, false).unwrap();
        let answers: Vec<&str> = e.questions.iter().map(|q| q.answer.as_str()).collect();
        assert_eq!(answers, ["0x4000", "0x4fff", "fault", "0x43e8", "fault"]);
        assert!(e.questions[2].accepts("segfault"));
        assert!(e.questions[3].accepts("17384"));
    }

    #[test]
    fn same_seed_same_problem_and_random_values_fit() {
        for seed in 0..200 {
            let a = Problem::new(&Params::default(), seed).unwrap();
            assert_eq!(a, Problem::new(&Params::default(), seed).unwrap());
            assert!(a.bounds >= 256 && a.bounds <= 512);
            assert!(a.base + a.bounds <= a.psize);
            assert!(a.addresses.iter().all(|&v| v < a.asize));
        }
        let a = Problem::new(&Params::default(), 1).unwrap();
        let b = Problem::new(&Params::default(), 2).unwrap();
        assert_ne!(a, b);
    }

    fn bad(p: &Params) -> String {
        match Problem::new(p, 0) {
            Err(Error::Input(InputError::BadParameter { name, why })) => format!("{name}: {why}"),
            other => panic!("{p:?}: {other:?}"),
        }
    }

    #[test]
    fn bad_parameters_are_clear_errors() {
        let mut p = params("32k", "16k", "0", "10", "1");
        assert!(bad(&p).contains("larger than physical memory"));
        p = params("1k", "16k", "0", "2k", "1");
        assert!(bad(&p).contains("larger than the address space"));
        p = params("1k", "16k", "16000", "1k", "1");
        assert!(bad(&p).contains("ends past physical memory"));
        p = params("1k", "16k", "0", "10", "1,2000");
        assert!(bad(&p).contains("outside the address space"));
        p = params("0", "16k", "0", "10", "1");
        assert!(bad(&p).contains("more than 0"));
        p = params("1k", "lots", "0", "10", "1");
        assert!(bad(&p).starts_with("psize"));
        p = params("1k", "16k", "0", "10", "1,,2");
        assert!(bad(&p).contains("empty entry"));
        p = params("1k", "0xffffffffffffffff", "0", "10", "1");
        assert!(bad(&p).contains("too large"));
        p = Params {
            num: MAX_ACCESSES + 1,
            ..Params::default()
        };
        assert!(bad(&p).starts_with("num"));
    }

    #[test]
    fn minus_one_means_random_as_in_relocation_py() {
        let p = params("1k", "16k", "-1", "-1", "-1,5");
        let a = Problem::new(&p, 3).unwrap();
        assert_eq!(a.addresses.len(), 2);
        assert_eq!(a.addresses[1], 5);
    }

    #[test]
    fn hex_widths() {
        assert_eq!(hex_width(1024), 4);
        assert_eq!(hex_width(1 << 20), 5);
        assert_eq!(hex(0x1ae, 4), "0x01ae");
    }
}
