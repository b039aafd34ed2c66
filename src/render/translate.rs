//! `vmlab translate`: the walk of one address, numbered like a textbook's figure.

use std::io::{self, Write};

use super::{Palette, human_size, region_label};
use crate::frames::flag;
use crate::inspect::Translation;
use crate::pagemap::PageState;

pub fn render_translation(
    out: &mut dyn Write,
    t: &Translation,
    palette: Palette,
) -> io::Result<()> {
    let step = |n: u32, name: &str| palette.bold(&format!("{n}. {name:<10}"));
    let pad = " ".repeat(14);
    writeln!(
        out,
        "{} 0x{:x} in process {} ({})",
        palette.bold("translate"),
        t.address.0,
        t.target.pid,
        t.target.command
    )?;
    writeln!(out)?;

    match &t.region {
        Some(r) => writeln!(out, "{} {}", step(1, "region"), region_label(r))?,
        None => writeln!(
            out,
            "{} {}",
            step(1, "region"),
            palette.warn(
                "none: no mapping contains this address, so an access faults (SIGSEGV, SEGV_MAPERR)"
            )
        )?,
    }

    writeln!(
        out,
        "{} page size {} = 2^{}, so the low {} bits are the offset",
        step(2, "split"),
        human_size(t.page_size),
        t.offset_bits,
        t.offset_bits
    )?;
    writeln!(
        out,
        "{pad}VA 0x{:x} = VPN 0x{:x} | offset 0x{:x}",
        t.address.0, t.vpn, t.offset
    )?;

    let walk: Vec<String> = t
        .levels
        .iter()
        .map(|l| format!("{}[{}]", l.level, l.index))
        .collect();
    let bits: Vec<String> = t
        .levels
        .iter()
        .map(|l| format!("{}-{}", l.high_bit, l.low_bit))
        .collect();
    writeln!(out, "{} {}", step(3, "walk"), walk.join(" → "))?;
    writeln!(
        out,
        "{pad}{}",
        palette.dim(&format!(
            "indices from VA bits {}; 9 bits each: 512 entries of 8 bytes fill one table page",
            bits.join(", ")
        ))
    )?;

    let Some(entry) = &t.entry else {
        let why = if t.region.is_some() {
            "the pagemap has no entry for this address (it lies outside the user page tables)"
        } else {
            "no entry: the walk would find an invalid entry at some level"
        };
        writeln!(out, "{} {}", step(4, "PTE"), palette.warn(why))?;
        return Ok(());
    };
    let b = &entry.bits;
    let flag = |name: &str, on: bool| format!("{name}={}", on as u8);
    writeln!(
        out,
        "{} pagemap entry {}: {} {} {} {} {} {}",
        step(4, "PTE"),
        entry.raw,
        flag("present", b.present),
        flag("swapped", b.swapped),
        flag("exclusive", b.exclusive),
        flag("file/shared", b.file_or_shared),
        flag("soft-dirty", b.soft_dirty),
        flag("uffd-wp", b.uffd_wp),
    )?;

    match entry.state {
        PageState::Present => {}
        PageState::Swapped => {
            writeln!(
                out,
                "{} {}",
                step(5, "frame"),
                palette.warn(&format!(
                    "none: the page is on swap device {} at slot 0x{:x}; an access faults and the kernel reads it back",
                    entry.swap_type.unwrap_or(0),
                    entry.swap_offset.unwrap_or(0)
                ))
            )?;
            return Ok(());
        }
        _ => {
            writeln!(
                out,
                "{} {}",
                step(5, "frame"),
                palette.warn(
                    "none yet: the page is mapped but not present; the first access faults and the kernel gives it a frame (demand paging)"
                )
            )?;
            return Ok(());
        }
    }

    let Some(pfn) = t.pfn else {
        writeln!(
            out,
            "{} {}",
            step(5, "frame"),
            palette.warn(
                "hidden: the kernel shows frame numbers only to CAP_SYS_ADMIN; run with sudo to see the frame and physical address"
            )
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "{} PFN {}",
        step(5, "frame"),
        palette.good(&pfn.to_string())
    )?;
    if let Some(pa) = t.physical {
        writeln!(
            out,
            "{} PA = PFN × {} + offset = 0x{:x} × 0x{:x} + 0x{:x} = {}",
            step(6, "physical"),
            t.page_size,
            pfn.0,
            t.page_size,
            t.offset,
            palette.good(&format!("0x{:x}", pa.0))
        )?;
    }
    if let Some(f) = &t.frame {
        let count = f
            .map_count
            .map_or("unknown (/proc/kpagecount unreadable)".into(), |c| {
                format!("{c} (page-table entries mapping this frame)")
            });
        let flags = f
            .flags
            .map_or("unknown (/proc/kpageflags unreadable)".into(), |fl| {
                fl.names().join(" ")
            });
        writeln!(out, "{} map count {count}", step(7, "frame info"))?;
        writeln!(out, "{pad}flags {flags}")?;
        if let Some(fl) = f.flags {
            if fl.has(flag::ZERO_PAGE) {
                writeln!(
                    out,
                    "{pad}{}",
                    palette.dim(
                        "the shared zero page: memory that was read but never written maps this one frame; the kernel keeps no map count for it (hence 0); the first write gives the page a frame of its own"
                    )
                )?;
            }
            if fl.has(flag::THP) {
                writeln!(
                    out,
                    "{pad}{}",
                    palette.dim(
                        "part of a transparent huge page: where a PD entry maps it whole, the walk stops at PD and the low 21 bits are the offset"
                    )
                )?;
            }
        }
    }
    Ok(())
}
