//! `--real`: the C library's malloc in this very process. The kernel has no free
//! list to show; it only hands the heap out in pages (brk, mmap).

use crate::experiment::Table;
use crate::sim::Block;
use crate::tr;

/// The request measured.
const N: usize = 100;

/// Three blocks, the first's usable size, and the block a malloc after two frees
/// gets back.
struct Measured {
    blocks: [u64; 3],
    usable: u64,
    again: u64,
}

/// The measured part.
pub fn blocks() -> Vec<Block> {
    let mut out = vec![Block::Prose(tr!("freespace-real-intro"))];
    let Some(m) = measure() else {
        out.push(Block::Note(tr!("freespace-real-null")));
        return out;
    };
    let mut t = Table::with_columns(vec![
        tr!("freespace-real-col-call"),
        tr!("freespace-real-col-returned"),
    ]);
    for (i, p) in m.blocks.iter().enumerate() {
        t.row(vec![format!("p{i} = malloc({N})"), format!("{p:#x}")]);
    }
    t.row(vec![
        format!("free(p1), free(p0); malloc({N})"),
        format!("{:#x}", m.again),
    ]);
    out.push(Block::Table(t));
    let gaps: Vec<i128> = m
        .blocks
        .windows(2)
        .map(|w| w[1] as i128 - w[0] as i128)
        .collect();
    let align = m
        .blocks
        .iter()
        .map(|x| 1u64 << x.trailing_zeros().min(12))
        .min()
        .unwrap_or(1);
    out.push(Block::Item(tr!(
        "freespace-real-align",
        align = align.to_string(),
        usable = m.usable.to_string(),
        request = N
    )));
    out.push(Block::Item(if gaps[0] == gaps[1] && gaps[0] > 0 {
        let chunk = gaps[0] as u64;
        tr!(
            "freespace-real-adjacent",
            chunk = chunk.to_string(),
            request = N,
            overhead = chunk.saturating_sub(N as u64).to_string()
        )
    } else {
        tr!(
            "freespace-real-apart",
            first = gaps[0].to_string(),
            second = gaps[1].to_string()
        )
    }));
    out.push(Block::Item(if m.again == m.blocks[0] {
        tr!("freespace-real-again-last")
    } else if m.again == m.blocks[1] {
        tr!("freespace-real-again-first")
    } else {
        tr!("freespace-real-again-neither")
    }));
    out
}

/// Three mallocs, two frees and a malloc, in this process; `None` when malloc
/// returned NULL.
fn measure() -> Option<Measured> {
    // SAFETY: malloc/free/malloc_usable_size on blocks this function owns; every block
    // is freed before returning, and none is read or written through.
    unsafe {
        let p: Vec<*mut libc::c_void> = (0..3).map(|_| libc::malloc(N)).collect();
        if p.iter().any(|x| x.is_null()) {
            p.iter().for_each(|x| libc::free(*x));
            return None;
        }
        let usable = libc::malloc_usable_size(p[0]) as u64;
        libc::free(p[1]);
        libc::free(p[0]);
        let again = libc::malloc(N);
        libc::free(again);
        libc::free(p[2]);
        Some(Measured {
            blocks: [p[0] as u64, p[1] as u64, p[2] as u64],
            usable,
            again: again as u64,
        })
    }
}
