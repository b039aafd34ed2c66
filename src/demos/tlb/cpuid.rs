//! What the CPU itself reports of its data TLBs, through CPUID.
//!
//! AMD: leaf 0x80000005 (L1: EBX for 4 KiB pages, EAX for 2/4 MiB pages; dTLB entries
//! in bits 23:16) and leaf 0x80000006 (L2: the same registers, dTLB entries in bits
//! 27:16). Intel: leaf 0x18 (deterministic address translation parameters: one subleaf
//! per TLB, with its type, level, page sizes, ways and sets), or else the one-byte
//! descriptors of leaf 2. The decoders are pure functions of register values; only
//! [`read`] executes CPUID.

use serde::{Deserialize, Serialize};

use crate::tr;

/// CPUID's four result registers: eax, ebx, ecx, edx.
pub type Regs = [u32; 4];

/// Page size a TLB entry maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageKind {
    #[serde(rename = "4K")]
    K4,
    #[serde(rename = "2M")]
    M2,
}

/// What a TLB caches translations for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlbKind {
    /// Data accesses.
    Data,
    /// Data and instructions (a second-level TLB).
    Unified,
    /// Loads only (Intel splits some first-level dTLBs into load and store).
    Load,
    /// Stores only.
    Store,
}

/// One data TLB (or unified second-level TLB) for one page size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlbEntry {
    /// 1 for the first level, 2 for the second.
    pub level: u8,
    pub kind: TlbKind,
    pub page: PageKind,
    pub entries: u32,
}

/// What CPUID said, and what it could not say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuTlbs {
    /// The machine's architecture (`x86_64`, `aarch64`): CPUID exists on x86 only.
    pub arch: String,
    /// The vendor string of CPUID leaf 0 (`AuthenticAMD`, `GenuineIntel`).
    pub vendor: String,
    /// CPUID.1:ECX bit 31: running under a hypervisor, which chooses what CPUID shows.
    pub hypervisor: bool,
    /// The leaves the sizes come from (`none` when there are none to read).
    pub source: String,
    pub tlbs: Vec<TlbEntry>,
}

impl CpuTlbs {
    /// Entries of the data TLB at `level` for `page`, if the CPU reported it.
    pub fn entries(&self, level: u8, page: PageKind) -> Option<u32> {
        self.tlbs
            .iter()
            .find(|t| t.level == level && t.page == page && t.kind != TlbKind::Store)
            .map(|t| t.entries)
    }

    /// Why the CPU reported no data TLB, in the chosen language; `None` when it did.
    pub fn unknown(&self) -> Option<String> {
        if !self.tlbs.is_empty() {
            return None;
        }
        let why = match self.vendor.as_str() {
            _ if self.arch != "x86_64" && self.arch != "x86" => {
                tr!("tlb-cpuid-not-x86", arch = self.arch.as_str())
            }
            "AuthenticAMD" | "HygonGenuine" | "GenuineIntel" => tr!(
                "tlb-cpuid-no-dtlb",
                vendor = self.vendor.as_str(),
                source = self.source.as_str()
            ),
            v => tr!("tlb-cpuid-unknown-vendor", vendor = v),
        };
        Some(if self.hypervisor {
            tr!("tlb-cpuid-hypervisor-hides", why = why)
        } else {
            why
        })
    }
}

fn bits(v: u32, hi: u32, lo: u32) -> u32 {
    (v >> lo) & ((1u64 << (hi - lo + 1)) - 1) as u32
}

/// AMD leaves 0x80000005 and 0x80000006 → data TLBs.
pub fn decode_amd(l1: Regs, l2: Regs) -> Vec<TlbEntry> {
    let mut out = Vec::new();
    let mut push = |level, page, entries| {
        if entries > 0 {
            out.push(TlbEntry {
                level,
                kind: TlbKind::Data,
                page,
                entries,
            });
        }
    };
    push(1, PageKind::K4, bits(l1[1], 23, 16));
    push(1, PageKind::M2, bits(l1[0], 23, 16));
    // An L2 TLB whose associativity field is 0 is disabled.
    if bits(l2[1], 31, 28) != 0 {
        push(2, PageKind::K4, bits(l2[1], 27, 16));
    }
    if bits(l2[0], 31, 28) != 0 {
        push(2, PageKind::M2, bits(l2[0], 27, 16));
    }
    out
}

/// Intel leaf 0x18, all its subleaves (subleaf 0 first) → data and unified TLBs.
pub fn decode_intel_18(subleaves: &[Regs]) -> Vec<TlbEntry> {
    let mut out = Vec::new();
    for r in subleaves {
        let kind = match bits(r[3], 4, 0) {
            1 => TlbKind::Data,
            3 => TlbKind::Unified,
            4 => TlbKind::Load,
            5 => TlbKind::Store,
            _ => continue, // 0: no TLB here; 2: instruction TLB
        };
        let level = bits(r[3], 7, 5) as u8;
        let entries = bits(r[1], 31, 16) * r[2];
        for (bit, page) in [(0, PageKind::K4), (1, PageKind::M2)] {
            if r[1] & (1 << bit) != 0 && entries > 0 {
                out.push(TlbEntry {
                    level,
                    kind,
                    page,
                    entries,
                });
            }
        }
    }
    out
}

/// Intel's leaf-2 descriptors for data TLBs: (byte, level, kind, 4 KiB, 2 MiB entries).
const DESCRIPTORS: &[(u8, u8, TlbKind, u32, u32)] = &[
    (0x03, 1, TlbKind::Data, 64, 0),
    (0x57, 1, TlbKind::Data, 16, 0),
    (0x59, 1, TlbKind::Data, 16, 0),
    (0x5A, 1, TlbKind::Data, 0, 32),
    (0x5B, 1, TlbKind::Data, 64, 0),
    (0x5C, 1, TlbKind::Data, 128, 0),
    (0x5D, 1, TlbKind::Data, 256, 0),
    (0x64, 1, TlbKind::Data, 512, 0),
    (0xA0, 1, TlbKind::Data, 32, 0),
    (0xB3, 1, TlbKind::Data, 128, 0),
    (0xB4, 1, TlbKind::Data, 256, 0),
    (0xBA, 1, TlbKind::Data, 64, 0),
    (0xC0, 1, TlbKind::Data, 8, 0),
    (0xC1, 2, TlbKind::Unified, 1024, 1024),
    (0xC2, 1, TlbKind::Data, 16, 16),
    (0xC3, 2, TlbKind::Unified, 1536, 1536),
    (0xC4, 1, TlbKind::Data, 0, 32),
    (0xCA, 2, TlbKind::Unified, 512, 0),
];

/// Intel leaf 2 → the data TLBs its descriptors name, and whether it defers to leaf
/// 0x18 (descriptor 0xFF).
pub fn decode_intel_2(r: Regs) -> (Vec<TlbEntry>, bool) {
    let mut out = Vec::new();
    let mut defer = false;
    for (i, reg) in r.iter().enumerate() {
        if reg & (1 << 31) != 0 {
            continue; // bit 31 set: this register holds no descriptors
        }
        for (b, byte) in reg.to_le_bytes().into_iter().enumerate() {
            if i == 0 && b == 0 {
                continue; // AL is the iteration count, not a descriptor
            }
            if byte == 0xFF {
                defer = true;
            }
            if let Some(&(_, level, kind, k4, m2)) = DESCRIPTORS.iter().find(|d| d.0 == byte) {
                for (page, entries) in [(PageKind::K4, k4), (PageKind::M2, m2)] {
                    if entries > 0 {
                        out.push(TlbEntry {
                            level,
                            kind,
                            page,
                            entries,
                        });
                    }
                }
            }
        }
    }
    (out, defer)
}

/// The vendor string of leaf 0 (EBX, EDX, ECX).
pub fn vendor(r: Regs) -> String {
    let mut v = Vec::with_capacity(12);
    for reg in [r[1], r[3], r[2]] {
        v.extend_from_slice(&reg.to_le_bytes());
    }
    String::from_utf8_lossy(&v).into_owned()
}

/// Decodes what a CPU with these leaves reports; `leaf(l, s)` gives leaf `l` subleaf `s`.
pub fn decode(leaf: impl Fn(u32, u32) -> Regs) -> CpuTlbs {
    let l0 = leaf(0, 0);
    let vendor = vendor(l0);
    let hypervisor = l0[0] >= 1 && leaf(1, 0)[2] & (1 << 31) != 0;
    let max_ext = leaf(0x8000_0000, 0)[0];
    let (source, tlbs) = match vendor.as_str() {
        "AuthenticAMD" | "HygonGenuine" if max_ext >= 0x8000_0006 => (
            "CPUID 0x80000005/0x80000006",
            decode_amd(leaf(0x8000_0005, 0), leaf(0x8000_0006, 0)),
        ),
        "GenuineIntel" if l0[0] >= 0x18 => {
            let max_sub = leaf(0x18, 0)[0].min(64);
            let subs: Vec<Regs> = (0..=max_sub).map(|s| leaf(0x18, s)).collect();
            let t = decode_intel_18(&subs);
            if t.is_empty() && l0[0] >= 2 {
                ("CPUID leaf 2", decode_intel_2(leaf(2, 0)).0)
            } else {
                ("CPUID leaf 0x18", t)
            }
        }
        "GenuineIntel" if l0[0] >= 2 => ("CPUID leaf 2", decode_intel_2(leaf(2, 0)).0),
        _ => ("none", Vec::new()),
    };
    CpuTlbs {
        arch: std::env::consts::ARCH.into(),
        vendor,
        hypervisor,
        source: source.into(),
        tlbs,
    }
}

/// What this CPU reports.
pub fn read() -> CpuTlbs {
    #[cfg(target_arch = "x86_64")]
    {
        decode(|leaf, sub| {
            // SAFETY: CPUID exists on every x86-64 CPU and only reads identification
            // registers (it is a safe function in newer Rust, hence the allow).
            #[allow(unused_unsafe)]
            let r = unsafe { core::arch::x86_64::__cpuid_count(leaf, sub) };
            [r.eax, r.ebx, r.ecx, r.edx]
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        CpuTlbs {
            arch: std::env::consts::ARCH.into(),
            vendor: String::new(),
            hypervisor: false,
            source: "none".into(),
            tlbs: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amd_zen_leaves_decode_to_64_and_2048_entries() {
        // AMD EPYC (Zen 2): L1 dTLB 64 entries fully associative for every page size;
        // L2 dTLB 2048 entries for 4 KiB (8-way, code 6) and 2048 for 2 MiB.
        let l1 = [0xff40_ff40, 0xff40_ff40, 0x2004_0140, 0x2004_0140];
        let l2 = [0x6800_6400, 0x6800_6400, 0x0200_6140, 0x0200_6140];
        let t = decode_amd(l1, l2);
        let c = CpuTlbs {
            arch: "x86_64".into(),
            vendor: "AuthenticAMD".into(),
            hypervisor: false,
            source: String::new(),
            tlbs: t,
        };
        assert_eq!(c.entries(1, PageKind::K4), Some(64));
        assert_eq!(c.entries(1, PageKind::M2), Some(64));
        assert_eq!(c.entries(2, PageKind::K4), Some(2048));
        assert_eq!(c.entries(2, PageKind::M2), Some(2048));
    }

    #[test]
    fn amd_disabled_or_zero_tlbs_are_left_out() {
        assert!(decode_amd([0; 4], [0; 4]).is_empty());
        // Entries given but associativity 0 (disabled) at L2.
        let t = decode_amd([0, 0x0040_0000, 0, 0], [0, 0x0800_0000, 0, 0]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].entries, 64);
    }

    #[test]
    fn intel_leaf_18_multiplies_ways_by_sets() {
        // Subleaf 0: max subleaf 2, an instruction TLB; 1: L1 load dTLB 4-way x 16 sets
        // for 4K; 2: L2 unified 12-way x 128 sets for 4K and 2M.
        let subs = [
            [2, 0x0008_0001, 16, 0x0000_0022],
            [0, 0x0004_0001, 16, 0x0000_0024],
            [0, 0x000c_0003, 128, 0x0000_0043],
        ];
        let t = decode_intel_18(&subs);
        let c = CpuTlbs {
            arch: "x86_64".into(),
            vendor: "GenuineIntel".into(),
            hypervisor: false,
            source: String::new(),
            tlbs: t,
        };
        assert_eq!(c.entries(1, PageKind::K4), Some(64));
        assert_eq!(c.entries(1, PageKind::M2), None);
        assert_eq!(c.entries(2, PageKind::K4), Some(1536));
        assert_eq!(c.entries(2, PageKind::M2), Some(1536));
    }

    #[test]
    fn intel_leaf_2_descriptors() {
        // A Core 2-era leaf 2: AL = 1, descriptors 0x5A 0x03 0x55 in EAX; 0xCA in EBX;
        // ECX invalid (bit 31).
        let (t, defer) = decode_intel_2([0x5503_5A01, 0x0000_00CA, 0x8000_0000, 0]);
        assert!(!defer);
        assert!(t.contains(&TlbEntry {
            level: 1,
            kind: TlbKind::Data,
            page: PageKind::K4,
            entries: 64
        }));
        assert!(
            t.iter()
                .any(|e| e.level == 1 && e.page == PageKind::M2 && e.entries == 32)
        );
        assert!(t.iter().any(|e| e.level == 2 && e.entries == 512));
        let (_, defer) = decode_intel_2([0x00FF_0001, 0, 0, 0]);
        assert!(defer);
    }

    #[test]
    fn vendor_and_hypervisor_and_unknown() {
        // "AuthenticAMD" = EBX "Auth", EDX "enti", ECX "cAMD".
        let amd0 = [0x10, 0x6874_7541, 0x444d_4163, 0x6974_6e65];
        assert_eq!(vendor(amd0), "AuthenticAMD");
        let zero_leaves = decode(|l, _| match l {
            0 => amd0,
            1 => [0, 0, 1 << 31, 0],
            0x8000_0000 => [0x8000_0008, 0, 0, 0],
            _ => [0; 4],
        });
        assert!(zero_leaves.hypervisor);
        assert!(zero_leaves.tlbs.is_empty());
        let why = zero_leaves.unknown().unwrap();
        assert!(why.contains("hypervisor"), "{why}");
        let other = decode(|l, _| {
            if l == 0 {
                [1, 0x4141_4141, 0x4141_4141, 0x4141_4141]
            } else {
                [0; 4]
            }
        });
        assert!(other.unknown().unwrap().contains("AAAA"));
        let arm = CpuTlbs {
            arch: "aarch64".into(),
            ..other
        };
        assert!(arm.unknown().unwrap().contains("aarch64"));
    }
}
