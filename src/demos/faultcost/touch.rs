//! The measuring instrument: touch one byte in each of some pages, timed, and count
//! the page faults it took (getrusage).

use std::time::Instant;

use serde::{Deserialize, Serialize};

/// The cache-line size of x86-64: each page is touched one line further in than the last.
const LINE: u64 = 64;

/// What touching some pages took: the wall time and the faults getrusage counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    /// Nanoseconds, from the monotonic clock.
    pub ns: u64,
    pub minor: u64,
    pub major: u64,
}

impl Touch {
    /// Nanoseconds per `count` (pages, faults), NaN for none.
    pub fn ns_per(&self, count: u64) -> f64 {
        if count == 0 {
            f64::NAN
        } else {
            self.ns as f64 / count as f64
        }
    }
}

/// This process's (minor, major) page faults so far.
fn faults() -> (u64, u64) {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .map(|u| (u.minor_page_faults() as u64, u.major_page_faults() as u64))
        .unwrap_or((0, 0))
}

/// Times `f` and counts the faults it took.
#[inline(always)]
fn measured(f: impl FnOnce()) -> Touch {
    let (minor, major) = faults();
    let start = Instant::now();
    f();
    let ns = start.elapsed().as_nanos() as u64;
    let (minor2, major2) = faults();
    Touch {
        ns,
        minor: minor2.saturating_sub(minor),
        major: major2.saturating_sub(major),
    }
}

/// Writes one byte to each of the first `pages` pages of `mem`, `passes` times over,
/// timed, counting faults. Not inlined, so that the warm-up and every measured run
/// execute the same code.
#[inline(never)]
pub fn write_each(mem: &mut [u8], pages: u64, ps: u64, passes: u32) -> Touch {
    assert!(ps.is_power_of_two() && pages * ps <= mem.len() as u64);
    let base = mem.as_mut_ptr();
    measured(|| {
        for _ in 0..passes {
            // SAFETY: every address written lies in page i < pages of `mem` (asserted
            // above), which we hold mutably.
            unsafe { stride_loop::<true>(base, pages, ps) };
        }
    })
}

/// Reads one byte of each of the first `pages` pages of `mem`, timed, counting faults.
#[inline(never)]
pub fn read_each(mem: &[u8], pages: u64, ps: u64) -> Touch {
    assert!(ps.is_power_of_two() && pages * ps <= mem.len() as u64);
    let base = mem.as_ptr().cast_mut();
    // SAFETY: every address read lies in page i < pages of `mem` (asserted above);
    // nothing is written.
    measured(|| unsafe { stride_loop::<false>(base, pages, ps) })
}

/// One byte written (`WRITE`) or read in each page `base + i * stride` for `i < count`
/// (`stride` a power of two, the page size), at offset `i * LINE` modulo the page: one
/// cache line further in each page, so that the accesses do not all fall into the same
/// cache set (a page-sized stride would make every access a cache miss, and we want to
/// time the page, not the cache's associativity).
///
/// On x86-64 the loop is four instructions of assembly, so that what is timed is the
/// accesses and not the loop: a debug build would otherwise spend tens of nanoseconds
/// per page on bounds and overflow checks, and a present access costs about one.
///
/// # Safety
/// Every address touched must lie in memory of this process that may be read (and,
/// with `WRITE`, written), which no Rust reference aliases while we write.
#[inline(always)]
unsafe fn stride_loop<const WRITE: bool>(base: *mut u8, count: u64, stride: u64) {
    if count == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the caller guarantees every address is valid; the loop touches only
    // those, keeps no stack, and clobbers only the registers named here.
    unsafe {
        if WRITE {
            std::arch::asm!(
                "2:",
                "mov byte ptr [{p} + {o}], 1",
                "add {p}, {s}",
                "add {o}, {l}",
                "and {o}, {m}",
                "dec {n}",
                "jnz 2b",
                p = inout(reg) base => _,
                n = inout(reg) count => _,
                o = inout(reg) 0u64 => _,
                s = in(reg) stride,
                l = in(reg) LINE,
                m = in(reg) stride - 1,
                options(nostack),
            );
        } else {
            std::arch::asm!(
                "2:",
                "movzx {t:e}, byte ptr [{p} + {o}]",
                "add {p}, {s}",
                "add {o}, {l}",
                "and {o}, {m}",
                "dec {n}",
                "jnz 2b",
                p = inout(reg) base => _,
                n = inout(reg) count => _,
                o = inout(reg) 0u64 => _,
                s = in(reg) stride,
                l = in(reg) LINE,
                m = in(reg) stride - 1,
                t = out(reg) _,
                options(nostack, readonly),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    for i in 0..count as usize {
        // SAFETY: the caller guarantees every address is valid.
        unsafe {
            let offset = (i * LINE as usize) & (stride as usize - 1);
            let p = base.add(i * stride as usize + offset);
            if WRITE {
                std::ptr::write_volatile(p, 1);
            } else {
                std::ptr::read_volatile(p);
            }
        }
    }
}
