//! What this process may see of physical memory, found by asking the kernel.
//!
//! Since Linux 4.2 the kernel zeroes the PFN field of pagemap entries for readers
//! without CAP_SYS_ADMIN (a frame number helps attacks such as Rowhammer), and
//! `/proc/kpageflags` and `/proc/kpagecount` are readable by root only. vmlab does not
//! guess from the uid: it reads its own pagemap entry for a page it has just written,
//! and tries to open the frame files. Every printer then says once, plainly, what is
//! hidden and how to see it.

use serde::Serialize;

use crate::frames::{Access, FrameReader};
use crate::pagemap::Pagemap;
use crate::tr;

/// What the kernel shows to this process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Privilege {
    /// Pagemap entries carry real frame numbers.
    pub pfns_visible: bool,
    pub kpagecount: Access,
    pub kpageflags: Access,
    /// The effective capability set holds CAP_SYS_ADMIN.
    pub cap_sys_admin: bool,
    pub euid: u32,
}

const CAP_SYS_ADMIN: u32 = 21;

impl Privilege {
    /// Probes the running kernel. `frames` is the reader whose open told us whether
    /// kpagecount/kpageflags are readable.
    pub fn probe(frames: &FrameReader, page_size: u64) -> Privilege {
        Privilege {
            pfns_visible: own_pfn_visible(page_size),
            kpagecount: frames.count_access,
            kpageflags: frames.flags_access,
            cap_sys_admin: has_cap_sys_admin(),
            euid: nix::unistd::geteuid().as_raw(),
        }
    }

    /// Frame flags can be read: frame numbers are visible and kpageflags readable.
    pub fn flags_visible(&self) -> bool {
        self.pfns_visible && self.kpageflags == Access::Readable
    }

    /// Everything is visible: nothing to explain.
    pub fn full(&self) -> bool {
        self.pfns_visible
            && self.kpagecount == Access::Readable
            && self.kpageflags == Access::Readable
    }

    /// One sentence for the user when something is hidden, `None` when nothing is.
    pub fn notice(&self) -> Option<String> {
        if self.full() {
            return None;
        }
        let mut hidden = Vec::new();
        if !self.pfns_visible {
            hidden.push(tr!("privilege-pfns-hidden"));
        }
        match (self.kpagecount, self.kpageflags) {
            (Access::Readable, Access::Readable) => {}
            (Access::Missing, _) | (_, Access::Missing) => {
                hidden.push(tr!("privilege-kpage-missing"))
            }
            _ => hidden.push(tr!("privilege-kpage-root-only")),
        }
        let why = if self.cap_sys_admin {
            tr!("privilege-even-with-cap")
        } else {
            tr!("privilege-without-cap")
        };
        Some(tr!(
            "privilege-notice",
            hidden = hidden.join("; "),
            why = why
        ))
    }
}

/// Reads this process's own pagemap entry for a page it has just written. The entry
/// is present, so a PFN of 0 can only mean "hidden".
fn own_pfn_visible(page_size: u64) -> bool {
    let page = std::hint::black_box(Box::new([0x5au8; 64]));
    let va = page.as_ptr() as u64;
    Pagemap::open(std::process::id() as i32)
        .and_then(|pm| pm.entry(va / page_size))
        .ok()
        .flatten()
        .is_some_and(|e| e.present() && e.raw_pfn() != 0)
}

fn has_cap_sys_admin() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("CapEff:"))
                .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        })
        .is_some_and(|caps| caps & (1 << CAP_SYS_ADMIN) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_agrees_with_capabilities() {
        let p = Privilege::probe(
            &FrameReader::open(),
            crate::addr::Paging::detect().page_size,
        );
        // The kernel shows PFNs exactly to openers with CAP_SYS_ADMIN.
        assert_eq!(p.pfns_visible, p.cap_sys_admin);
        assert_eq!(p.notice().is_none(), p.full());
    }

    #[test]
    fn notice_names_what_is_hidden_and_the_fix() {
        let p = Privilege {
            pfns_visible: false,
            kpagecount: Access::Denied,
            kpageflags: Access::Denied,
            cap_sys_admin: false,
            euid: 1000,
        };
        let n = p.notice().unwrap();
        assert!(n.contains("frame numbers (PFN) are hidden"), "{n}");
        assert!(n.contains("root-only"), "{n}");
        assert!(n.contains("sudo"), "{n}");
    }
}
