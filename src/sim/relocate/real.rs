//! `--real`: what this machine shows of base + offset. x86-64 ignores the code and
//! data segment bases in 64-bit mode, but the FS base still relocates thread-local
//! storage: measured here, on vmlab's own main thread.

use crate::experiment::Table;
use crate::sim::Block;
use crate::tr;

/// The measured part.
pub fn blocks() -> Vec<Block> {
    let mut out = vec![Block::Prose(tr!("relocate-real-no-bb"))];
    match fs_base_and_tls() {
        Some((fs, tls)) => {
            out.push(Block::Prose(tr!("relocate-real-fs")));
            let mut t = Table::with_columns(vec![
                tr!("relocate-real-col-what"),
                tr!("relocate-real-col-address"),
            ]);
            t.row(vec![tr!("relocate-real-fs-base"), format!("0x{fs:016x}")]);
            t.row(vec![tr!("relocate-real-tls"), format!("0x{tls:016x}")]);
            out.push(Block::Table(t));
            let off = tls as i128 - fs as i128;
            out.push(Block::Prose(tr!(
                "relocate-real-offset",
                sign = if off < 0 { "-" } else { "+" },
                offset = format!("0x{:x}", off.unsigned_abs())
            )));
        }
        None => out.push(Block::Note(tr!("relocate-real-unreadable"))),
    }
    out.push(Block::Prose(tr!("relocate-real-virtual")));
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
