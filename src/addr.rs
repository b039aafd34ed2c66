//! Addresses, pages, and the paging geometry of this machine.
//!
//! A virtual address is split by the MMU into a *virtual page number* (VPN) and an
//! *offset* inside the page. With 4 KiB pages the offset is the low 12 bits:
//!
//! ```text
//!   63            48 47                                      12 11          0
//!  +----------------+------------------------------------------+-------------+
//!  | sign extension |              VPN (35 bits)               | offset (12) |
//!  +----------------+------------------------------------------+-------------+
//! ```
//!
//! On x86-64 the VPN is itself cut into one 9-bit index per level of the page table
//! (four levels, or five when the CPU runs with LA57):
//!
//! ```text
//!   56    48 47    39 38    30 29    21 20    12 11          0
//!  +--------+--------+--------+--------+--------+-------------+
//!  |  PML5  |  PML4  |  PDPT  |   PD   |   PT   |   offset    |
//!  +--------+--------+--------+--------+--------+-------------+
//!   (5-level only)
//! ```
//!
//! This module also parses what users type: addresses (`0x7ffd1234`, `4096`, `4K`),
//! ranges (`START-END`, `START+LEN`) and region names (`heap`, `[vdso]`, `libc`).

use std::fmt;
use std::io::BufRead;

use serde::{Deserialize, Serialize, Serializer};

use crate::error::InputError;
use crate::tr;

/// A virtual address in some process's address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VirtAddr(pub u64);

/// A physical address: a frame number times the page size, plus an offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhysAddr(pub u64);

/// A physical frame number: the index of a page-sized frame of RAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pfn(pub u64);

impl VirtAddr {
    /// The address in short hex, as prose quotes it: `0x7f12a000`.
    pub fn hex(self) -> String {
        format!("{:#x}", self.0)
    }
}

impl fmt::Display for VirtAddr {
    /// Zero-padded to 16 hex digits so that columns of addresses line up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:016x}", self.0)
    }
}

impl fmt::Display for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:012x}", self.0)
    }
}

impl fmt::Display for Pfn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

// Addresses go to JSON as hex strings: user addresses with 5-level paging and the
// vsyscall page exceed 2^53, which JSON numbers cannot hold exactly in most readers.
impl Serialize for VirtAddr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("0x{:x}", self.0))
    }
}

impl Serialize for PhysAddr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("0x{:x}", self.0))
    }
}

// Frame numbers are hex strings too, as addresses are (see crate::json): one rule
// for every number that names a place in memory.
impl Serialize for Pfn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("0x{:x}", self.0))
    }
}

/// Reads an address or frame number back from JSON: a hex string (`"0x7f12"`, as
/// vmlab writes addresses) or a plain number.
pub(crate) fn hex_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u64),
        Text(String),
    }
    match Either::deserialize(d)? {
        Either::Number(n) => Ok(n),
        Either::Text(t) => t
            .strip_prefix("0x")
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .ok_or_else(|| serde::de::Error::custom(format!("'{t}' is not a 0x hex number"))),
    }
}

impl<'de> Deserialize<'de> for VirtAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        hex_or_number(d).map(VirtAddr)
    }
}

impl<'de> Deserialize<'de> for PhysAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        hex_or_number(d).map(PhysAddr)
    }
}

impl<'de> Deserialize<'de> for Pfn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        hex_or_number(d).map(Pfn)
    }
}

/// Bytes per page-table entry: 8 on x86-64 (and on every 64-bit MMU Linux supports),
/// so one 4 KiB table page holds 512 entries.
pub const PTE_BYTES: u64 = 8;

/// How many levels the x86-64 page table has on this machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PagingLevels {
    /// PML4 → PDPT → PD → PT: 48-bit virtual addresses, user space below 2^47.
    Four,
    /// PML5 → PML4 → PDPT → PD → PT: 57-bit virtual addresses, user space below 2^56.
    Five,
}

/// One step of a page-table walk: the level's name and the index into its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LevelIndex {
    pub level: &'static str,
    /// The address bits that select the entry, highest first (e.g. 47 and 39).
    pub high_bit: u32,
    pub low_bit: u32,
    pub index: u64,
    /// How much memory one entry at this level covers.
    pub entry_covers: u64,
}

/// The machine's paging geometry: page size and number of page-table levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    pub page_size: u64,
    pub page_shift: u32,
    pub levels: PagingLevels,
}

impl Paging {
    /// Reads the geometry of the running kernel: the page size from `sysconf`, and
    /// 5-level paging when the CPU advertises `la57` and the kernel was not booted with
    /// `no5lvl` (the kernel then always runs with five levels).
    pub fn detect() -> Paging {
        let page_size = nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .map(|v| v as u64)
            .filter(|v| v.is_power_of_two())
            .unwrap_or(4096);
        // The first CPU's flags line is enough: the kernel clears la57 for every CPU
        // when it runs on four levels, and reading on would have it describe them all.
        let cpu_has_la57 = std::fs::File::open("/proc/cpuinfo")
            .map(|f| {
                std::io::BufReader::new(f)
                    .lines()
                    .map_while(|l| l.ok())
                    .find(|l| l.starts_with("flags"))
                    .is_some_and(|l| l.split_whitespace().any(|f| f == "la57"))
            })
            .unwrap_or(false);
        let disabled = std::fs::read_to_string("/proc/cmdline")
            .map(|s| s.split_whitespace().any(|w| w == "no5lvl"))
            .unwrap_or(false);
        let levels = if cpu_has_la57 && !disabled {
            PagingLevels::Five
        } else {
            PagingLevels::Four
        };
        Paging::new(page_size, levels)
    }

    /// A geometry for the given page size (a power of two) and levels.
    pub fn new(page_size: u64, levels: PagingLevels) -> Paging {
        Paging {
            page_size,
            page_shift: page_size.trailing_zeros(),
            levels,
        }
    }

    /// How many bits a user-space address has: user space is the lower half of the
    /// 48-bit (four levels) or 57-bit (five levels) address space, so it spans 2^47 or
    /// 2^56 bytes. The upper half belongs to the kernel.
    pub fn user_bits(&self) -> u32 {
        match self.levels {
            PagingLevels::Four => 47,
            PagingLevels::Five => 56,
        }
    }

    /// The first address above user space (the kernel's TASK_SIZE): 2^47 or 2^56 minus
    /// one page, which the kernel keeps unmapped as a guard below the non-canonical hole.
    pub fn user_space_end(&self) -> u64 {
        (1u64 << self.user_bits()) - self.page_size
    }

    /// log2 of [`Paging::flat_table_entries`]: `35` for 2^35 entries.
    pub fn flat_table_entries_log2(&self) -> u32 {
        self.user_bits() - self.page_shift
    }

    /// The entries of a *flat* (one-level, linear) page table for one process's user
    /// space: one entry per page of it, used or not. With four levels and 4 KiB pages
    /// that is 2^47 / 2^12 = 2^35 entries; with five levels, 2^56 / 2^12 = 2^44. The
    /// kernel half of the address space is left out: its tables are the kernel's, shared
    /// by every process. Theory's arithmetic, for comparing with the tables the kernel
    /// really allocates (which have levels, so that unused space costs nothing).
    pub fn flat_table_entries(&self) -> u64 {
        1u64 << self.flat_table_entries_log2()
    }

    /// The bytes of that flat table, at [`PTE_BYTES`] per entry: 2^35 × 8 = 2^38 bytes =
    /// 256 GiB with four levels and 4 KiB pages; 2^44 × 8 = 2^47 bytes = 128 TiB with
    /// five.
    pub fn flat_table_bytes(&self) -> u64 {
        self.flat_table_entries() * PTE_BYTES
    }

    pub fn vpn(&self, va: VirtAddr) -> u64 {
        va.0 >> self.page_shift
    }

    pub fn offset(&self, va: VirtAddr) -> u64 {
        va.0 & (self.page_size - 1)
    }

    pub fn page_base(&self, va: VirtAddr) -> VirtAddr {
        VirtAddr(va.0 & !(self.page_size - 1))
    }

    pub fn is_aligned(&self, value: u64) -> bool {
        value & (self.page_size - 1) == 0
    }

    /// `PA = PFN × page size + offset`: the formula every textbook draws.
    pub fn physical(&self, pfn: Pfn, offset: u64) -> PhysAddr {
        PhysAddr((pfn.0 << self.page_shift) | offset)
    }

    /// The x86-64 page-walk indices of `va`, top level first. Each level uses 9 bits
    /// (512 eight-byte entries fill one 4 KiB table page).
    pub fn walk_indices(&self, va: VirtAddr) -> Vec<LevelIndex> {
        let names: &[&'static str] = match self.levels {
            PagingLevels::Four => &["PML4", "PDPT", "PD", "PT"],
            PagingLevels::Five => &["PML5", "PML4", "PDPT", "PD", "PT"],
        };
        let n = names.len() as u32;
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let low_bit = self.page_shift + 9 * (n - 1 - i as u32);
                LevelIndex {
                    level: name,
                    high_bit: low_bit + 8,
                    low_bit,
                    index: (va.0 >> low_bit) & 0x1ff,
                    entry_covers: 1u64 << low_bit,
                }
            })
            .collect()
    }
}

/// A half-open range of virtual addresses `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AddrRange {
    pub start: VirtAddr,
    pub end: VirtAddr,
}

impl AddrRange {
    pub fn len(&self) -> u64 {
        self.end.0 - self.start.0
    }

    pub fn is_empty(&self) -> bool {
        self.end.0 <= self.start.0
    }

    pub fn contains(&self, va: VirtAddr) -> bool {
        self.start <= va && va < self.end
    }

    pub fn intersect(&self, other: &AddrRange) -> Option<AddrRange> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(AddrRange { start, end })
    }
}

impl fmt::Display for AddrRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}-0x{:x}", self.start.0, self.end.0)
    }
}

/// What the user asked `vmlab pages` to show: numbers, or the name of a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A range of addresses (a single address selects the page that holds it).
    Range(AddrRange),
    /// A region name to look up in the address space: `heap`, `[vdso]`, `libc` ...
    Region(String),
}

/// Parses a number as users write addresses and sizes: `0x7ffd1234` (hex), `4096`
/// (decimal), `4K`, `2M`, `1G`, `1T` (binary multiples; `KiB`, `kb` and so on too),
/// with optional `_` separators.
pub fn parse_number(text: &str) -> Result<u64, InputError> {
    let s = text.trim().replace('_', "");
    let malformed = |why: &str| InputError::Malformed {
        input: text.to_string(),
        why: why.to_string(),
    };
    if s.is_empty() {
        return Err(malformed(&tr!("why-empty")));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(malformed(&tr!("why-hex-digits")));
        }
        if hex.trim_start_matches('0').len() > 16 {
            return Err(malformed(&tr!("why-too-big")));
        }
        return u64::from_str_radix(hex, 16).map_err(|_| malformed(&tr!("why-too-big")));
    }
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, suffix) = s.split_at(digits_end);
    if digits.is_empty() {
        if s.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(malformed(&tr!("why-hex-prefix", text = s.as_str())));
        }
        return Err(malformed(&tr!("why-not-a-number")));
    }
    let shift = match suffix.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ if suffix.chars().all(|c| c.is_ascii_hexdigit()) => {
            return Err(malformed(&tr!("why-hex-prefix", text = s.as_str())));
        }
        _ => {
            return Err(malformed(&tr!("why-unknown-suffix", suffix = suffix)));
        }
    };
    let value: u64 = digits.parse().map_err(|_| malformed(&tr!("why-too-big")))?;
    value
        .checked_mul(1u64 << shift)
        .ok_or_else(|| malformed(&tr!("why-too-big")))
}

/// Parses a `pages` selection: `START-END`, `START+LEN`, a single address, or else a
/// region name. Region names can contain `-` and `+` (`ld-linux-x86-64.so.2`), so a
/// text is a range only when both of its sides parse as numbers; a text that starts
/// like a number but does not parse is reported as malformed rather than looked up.
pub fn parse_selection(text: &str) -> Result<Selection, InputError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(InputError::Malformed {
            input: text.to_string(),
            why: tr!("why-empty"),
        });
    }
    for sep in ['-', '+'] {
        if let Some((a, b)) = s.split_once(sep)
            && let (Ok(start), Ok(second)) = (parse_number(a), parse_number(b))
        {
            let end = if sep == '-' {
                second
            } else {
                start
                    .checked_add(second)
                    .ok_or_else(|| InputError::Malformed {
                        input: text.to_string(),
                        why: tr!("why-range-overflow"),
                    })?
            };
            return Ok(Selection::Range(AddrRange {
                start: VirtAddr(start),
                end: VirtAddr(end),
            }));
        }
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        // A single address, or a malformed number: either way not a region name.
        let Some((first, rest)) = s.split_once(['-', '+']) else {
            let va = parse_number(s)?;
            return Ok(Selection::Range(AddrRange {
                start: VirtAddr(va),
                end: VirtAddr(va.saturating_add(1)),
            }));
        };
        // A range whose sides did not both parse: say which side and why.
        let (start_bad, text_of_side) = match parse_number(first) {
            Err(_) => (true, first),
            Ok(_) => (false, rest),
        };
        let why = match parse_number(text_of_side) {
            Err(InputError::Malformed { why, .. }) => why,
            _ => tr!("why-not-a-number"),
        };
        let why = if start_bad {
            tr!("why-bad-start", side = text_of_side, why = why)
        } else {
            tr!("why-bad-end", side = text_of_side, why = why)
        };
        return Err(InputError::Malformed {
            input: text.to_string(),
            why,
        });
    }
    Ok(Selection::Region(s.to_string()))
}

/// Checks a range typed by the user against the machine's paging: not reversed, not
/// empty, page-aligned at both ends, inside user space. A one-byte range (a single
/// address) is widened to its page.
pub fn validate_range(
    input: &str,
    range: AddrRange,
    paging: &Paging,
) -> Result<AddrRange, InputError> {
    let mut range = range;
    if range.end.0 == range.start.0.saturating_add(1) && !input.contains(['-', '+']) {
        let base = paging.page_base(range.start);
        range = AddrRange {
            start: base,
            end: VirtAddr(base.0.saturating_add(paging.page_size)),
        };
    }
    if range.end < range.start {
        return Err(InputError::Reversed {
            input: input.to_string(),
        });
    }
    if range.is_empty() {
        return Err(InputError::EmptyRange {
            input: input.to_string(),
        });
    }
    check_user_address(input, range.end.0 - 1, paging)?;
    if !paging.is_aligned(range.start.0) || !paging.is_aligned(range.end.0) {
        // Inside user space, so rounding the end up cannot overflow.
        let start = paging.page_base(range.start).0;
        let end = range.end.0.div_ceil(paging.page_size) * paging.page_size;
        return Err(InputError::Unaligned {
            input: input.to_string(),
            page_size: paging.page_size,
            suggestion: format!("0x{start:x}-0x{end:x}"),
        });
    }
    Ok(range)
}

/// Fails when `addr` is above the top of user space.
pub fn check_user_address(input: &str, addr: u64, paging: &Paging) -> Result<(), InputError> {
    if addr >= paging.user_space_end() {
        return Err(InputError::OutsideUserSpace {
            input: input.to_string(),
            user_end: paging.user_space_end(),
            levels: match paging.levels {
                PagingLevels::Four => 4,
                PagingLevels::Five => 5,
            },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const P4: Paging = Paging {
        page_size: 4096,
        page_shift: 12,
        levels: PagingLevels::Four,
    };

    #[test]
    fn numbers_in_every_notation() {
        assert_eq!(parse_number("0x7ffd1234").unwrap(), 0x7ffd1234);
        assert_eq!(parse_number("0X10").unwrap(), 16);
        assert_eq!(parse_number("4096").unwrap(), 4096);
        assert_eq!(parse_number("4K").unwrap(), 4096);
        assert_eq!(parse_number("4kib").unwrap(), 4096);
        assert_eq!(parse_number("2M").unwrap(), 2 << 20);
        assert_eq!(parse_number("1G").unwrap(), 1 << 30);
        assert_eq!(parse_number("64GiB").unwrap(), 64 << 30);
        assert_eq!(parse_number("1_000").unwrap(), 1000);
        assert_eq!(parse_number("0xffffffffffffffff").unwrap(), u64::MAX);
    }

    #[test]
    fn malformed_numbers_say_why() {
        let why = |s: &str| match parse_number(s).unwrap_err() {
            InputError::Malformed { why, .. } => why,
            e => panic!("unexpected {e:?}"),
        };
        assert!(why("7ffd1234").contains("0x7ffd1234"));
        assert!(why("deadbeef").contains("0xdeadbeef"));
        assert!(why("0x").contains("hex digits"));
        assert!(why("0xzz").contains("hex digits"));
        assert!(why("4Q").contains("suffix"));
        assert!(why("0x1ffffffffffffffff").contains("64 bits"));
        assert!(why("99999999999999999999").contains("64 bits"));
        assert!(why("20000000T").contains("64 bits"));
        assert!(why("").contains("empty"));
    }

    #[test]
    fn selections() {
        let r = |a, b| {
            Selection::Range(AddrRange {
                start: VirtAddr(a),
                end: VirtAddr(b),
            })
        };
        assert_eq!(parse_selection("0x1000-0x3000").unwrap(), r(0x1000, 0x3000));
        assert_eq!(parse_selection("0x1000+8K").unwrap(), r(0x1000, 0x3000));
        assert_eq!(parse_selection("0x1234").unwrap(), r(0x1234, 0x1235));
        assert_eq!(
            parse_selection("ld-linux-x86-64.so.2").unwrap(),
            Selection::Region("ld-linux-x86-64.so.2".into())
        );
        assert_eq!(
            parse_selection("[vdso]").unwrap(),
            Selection::Region("[vdso]".into())
        );
        match parse_selection("0x1000-0xzz").unwrap_err() {
            InputError::Malformed { why, .. } => {
                assert!(why.contains("end or length '0xzz'"), "{why}")
            }
            e => panic!("{e:?}"),
        }
        match parse_selection("0x1000-").unwrap_err() {
            InputError::Malformed { input, why } => {
                assert_eq!(input, "0x1000-");
                assert!(why.contains("empty"), "{why}");
            }
            e => panic!("{e:?}"),
        }
        match parse_selection("12x-0x2000").unwrap_err() {
            InputError::Malformed { why, .. } => assert!(why.contains("start '12x'"), "{why}"),
            e => panic!("{e:?}"),
        }
        assert!(matches!(
            parse_selection("0xffffffffffffffff+2"),
            Err(InputError::Malformed { .. })
        ));
    }

    #[test]
    fn range_validation() {
        let v = |s: &str| match parse_selection(s).unwrap() {
            Selection::Range(r) => validate_range(s, r, &P4),
            _ => unreachable!(),
        };
        assert_eq!(
            v("0x1234").unwrap(),
            AddrRange {
                start: VirtAddr(0x1000),
                end: VirtAddr(0x2000)
            }
        );
        assert!(matches!(
            v("0x3000-0x1000"),
            Err(InputError::Reversed { .. })
        ));
        assert!(matches!(
            v("0x1000-0x1000"),
            Err(InputError::EmptyRange { .. })
        ));
        assert!(matches!(v("0x1000+0"), Err(InputError::EmptyRange { .. })));
        match v("0x1234-0x2345") {
            Err(InputError::Unaligned { suggestion, .. }) => {
                assert_eq!(suggestion, "0x1000-0x3000")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            v("0x7ffffffff000-0x800000000000"),
            Err(InputError::OutsideUserSpace { .. })
        ));
        assert!(v("0x7fffffffe000-0x7ffffffff000").is_ok());
        assert!(matches!(
            v("0xffffffffff600000"),
            Err(InputError::OutsideUserSpace { .. })
        ));
    }

    #[test]
    fn textbook_split() {
        // The course's example: VA 0x1234 with 4 KiB pages is VPN 0x1, offset 0x234;
        // if VPN 0x1 maps to frame 0x2, the physical address is 0x2234.
        let va = VirtAddr(0x1234);
        assert_eq!(P4.vpn(va), 1);
        assert_eq!(P4.offset(va), 0x234);
        assert_eq!(P4.physical(Pfn(2), P4.offset(va)), PhysAddr(0x2234));
    }

    #[test]
    fn four_level_indices() {
        let va = VirtAddr((3 << 39) | (5 << 30) | (7 << 21) | (9 << 12) | 0xabc);
        let idx: Vec<_> = P4
            .walk_indices(va)
            .iter()
            .map(|l| (l.level, l.index))
            .collect();
        assert_eq!(idx, [("PML4", 3), ("PDPT", 5), ("PD", 7), ("PT", 9)]);
        let top = P4.walk_indices(va)[0];
        assert_eq!((top.high_bit, top.low_bit), (47, 39));
        assert_eq!(top.entry_covers, 512 << 30);
        assert_eq!(P4.walk_indices(va)[3].entry_covers, 4096);
    }

    #[test]
    fn five_level_indices_and_user_top() {
        let p5 = Paging::new(4096, PagingLevels::Five);
        let va = VirtAddr((17 << 48) | (3 << 39));
        let idx: Vec<_> = p5
            .walk_indices(va)
            .iter()
            .map(|l| (l.level, l.index))
            .collect();
        assert_eq!(idx[0], ("PML5", 17));
        assert_eq!(idx[1], ("PML4", 3));
        assert_eq!(p5.user_space_end(), (1 << 56) - 4096);
        assert_eq!(P4.user_space_end(), 0x7fff_ffff_f000);
    }

    #[test]
    fn a_flat_table_for_user_space() {
        // Four levels, 4 KiB pages: user space is 2^47 bytes = 2^35 pages, one 8-byte
        // entry each: 2^38 bytes = 256 GiB.
        assert_eq!(P4.user_bits(), 47);
        assert_eq!(P4.flat_table_entries_log2(), 35);
        assert_eq!(P4.flat_table_entries(), 1 << 35);
        assert_eq!(P4.flat_table_bytes(), 256 << 30);
        // One entry per page below the top of user space (guard page included).
        assert_eq!(
            P4.flat_table_entries(),
            (P4.user_space_end() + P4.page_size) / P4.page_size
        );
        // Five levels: 2^56 bytes = 2^44 pages, 2^47 bytes = 128 TiB of table.
        let p5 = Paging::new(4096, PagingLevels::Five);
        assert_eq!(p5.flat_table_entries(), 1 << 44);
        assert_eq!(p5.flat_table_bytes(), 128 << 40);
        // Bigger pages, fewer entries: 64 KiB pages make 2^31 entries = 16 GiB.
        let big = Paging::new(64 << 10, PagingLevels::Four);
        assert_eq!(big.flat_table_entries(), 1 << 31);
        assert_eq!(big.flat_table_bytes(), 16 << 30);
    }

    #[test]
    fn the_geometry_reads_back_from_json() {
        let json = serde_json::to_value(P4).unwrap();
        assert_eq!(json["levels"], "four");
        assert_eq!(serde_json::from_value::<Paging>(json).unwrap(), P4);
    }
}
