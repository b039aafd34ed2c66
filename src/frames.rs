//! What the kernel says about a physical frame: `/proc/kpagecount` and `/proc/kpageflags`.
//!
//! Both files are arrays indexed by PFN, one u64 per frame:
//! - kpagecount: how many page-table entries map the frame (its *map count*). A frame
//!   shared copy-on-write after fork has 2; the shared zero page reports 0.
//! - kpageflags: the frame's flags (include/uapi/linux/kernel-page-flags.h for bits
//!   0-26; bits 32-41 are kernel-internal and named by tools/mm/page-types.c).
//!
//! Both are readable by root only (mode 0400). vmlab reads them in batches: the PFNs
//! wanted are sorted, and each run of consecutive PFNs is one `pread`.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde::{Serialize, Serializer};

use crate::addr::Pfn;
use crate::error::{Error, Result};

/// One named bit of kpageflags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagInfo {
    pub bit: u32,
    pub name: &'static str,
    /// The catalogue key of what it means (`flag-dirty`); its `.when` attribute says
    /// when the kernel sets it.
    pub key: &'static str,
    /// tools/mm/page-types' one-letter symbol, for its symbolic column.
    pub letter: char,
    /// tools/mm/page-types' name (`anonymous`, `zero_page`), accepted by `--flags`.
    pub long: &'static str,
}

impl FlagInfo {
    /// What the flag means, in the chosen language.
    pub fn meaning(&self) -> String {
        crate::i18n::tr(self.key, None)
    }
}

macro_rules! flag_table {
    ($($bit:literal $name:ident $key:literal $letter:literal $long:literal;)*) => {
        /// Named kpageflags bits, as constants (`KpageFlags::has(DIRTY)`).
        pub mod flag {
            $(pub const $name: u32 = $bit;)*
        }
        /// Every kpageflags bit vmlab knows, lowest first.
        pub const FLAGS: &[FlagInfo] = &[
            $(FlagInfo { bit: $bit, name: stringify!($name), key: $key, letter: $letter, long: $long },)*
        ];
    };
}

/// The bits tools/mm/page-types uses, in its raw view (`-r`, `--raw`), for what an
/// overloaded kpageflags bit means on this page, and for the pagemap bits of the page
/// that maps it. Not kernel ABI: page-types' free slots, which vmlab keeps so that its
/// raw words equal page-types'.
pub const OVERLOADED: &[FlagInfo] = &[
    FlagInfo {
        bit: 47,
        name: "ANON_EXCLUSIVE",
        key: "flag-anon-exclusive",
        letter: 'd',
        long: "anon_exclusive",
    },
    FlagInfo {
        bit: 48,
        name: "READAHEAD",
        key: "flag-readahead",
        letter: 'I',
        long: "readahead",
    },
    FlagInfo {
        bit: 50,
        name: "SLUB_FROZEN",
        key: "flag-slub-frozen",
        letter: 'A',
        long: "slub_frozen",
    },
    FlagInfo {
        bit: 51,
        name: "SLUB_DEBUG",
        key: "flag-slub-debug",
        letter: 'E',
        long: "slub_debug",
    },
    FlagInfo {
        bit: 61,
        name: "FILE",
        key: "flag-file",
        letter: 'F',
        long: "file",
    },
    FlagInfo {
        bit: 62,
        name: "SWAP",
        key: "flag-swap",
        letter: 'w',
        long: "swap",
    },
    FlagInfo {
        bit: 63,
        name: "MMAP_EXCLUSIVE",
        key: "flag-mmap-exclusive",
        letter: '1',
        long: "mmap_exclusive",
    },
];

/// Every named bit: the kernel's, then page-types' raw-view bits, lowest first.
pub fn all_flags() -> impl Iterator<Item = &'static FlagInfo> {
    let mut all: Vec<&'static FlagInfo> = FLAGS.iter().chain(OVERLOADED).collect();
    all.sort_by_key(|f| f.bit);
    all.into_iter()
}

/// The flag of `bit`, kernel or raw-view.
pub fn flag_info(bit: u32) -> Option<&'static FlagInfo> {
    FLAGS.iter().chain(OVERLOADED).find(|f| f.bit == bit)
}

flag_table! {
    0 LOCKED "flag-locked" 'L' "locked";
    1 ERROR "flag-error" 'E' "error";
    2 REFERENCED "flag-referenced" 'R' "referenced";
    3 UPTODATE "flag-uptodate" 'U' "uptodate";
    4 DIRTY "flag-dirty" 'D' "dirty";
    5 LRU "flag-lru" 'l' "lru";
    6 ACTIVE "flag-active" 'A' "active";
    7 SLAB "flag-slab" 'S' "slab";
    8 WRITEBACK "flag-writeback" 'W' "writeback";
    9 RECLAIM "flag-reclaim" 'I' "reclaim";
    10 BUDDY "flag-buddy" 'B' "buddy";
    11 MMAP "flag-mmap" 'M' "mmap";
    12 ANON "flag-anon" 'a' "anonymous";
    13 SWAPCACHE "flag-swapcache" 's' "swapcache";
    14 SWAPBACKED "flag-swapbacked" 'b' "swapbacked";
    15 COMPOUND_HEAD "flag-compound-head" 'H' "compound_head";
    16 COMPOUND_TAIL "flag-compound-tail" 'T' "compound_tail";
    17 HUGE "flag-huge" 'G' "huge";
    18 UNEVICTABLE "flag-unevictable" 'u' "unevictable";
    19 HWPOISON "flag-hwpoison" 'X' "hwpoison";
    20 NOPAGE "flag-nopage" 'n' "nopage";
    21 KSM "flag-ksm" 'x' "ksm";
    22 THP "flag-thp" 't' "thp";
    23 OFFLINE "flag-offline" 'o' "offline";
    24 ZERO_PAGE "flag-zero-page" 'z' "zero_page";
    25 IDLE "flag-idle" 'i' "idle_page";
    26 PGTABLE "flag-pgtable" 'g' "pgtable";
    32 RESERVED "flag-reserved" 'r' "reserved";
    33 MLOCKED "flag-mlocked" 'm' "mlocked";
    34 OWNER_2 "flag-owner-2" 'd' "owner_2";
    35 PRIVATE "flag-private" 'P' "private";
    36 PRIVATE_2 "flag-private-2" 'p' "private_2";
    37 OWNER_PRIVATE "flag-owner-private" 'O' "owner_private";
    38 ARCH "flag-arch" 'h' "arch";
    39 UNCACHED "flag-uncached" 'c' "uncached";
    40 SOFTDIRTY "flag-softdirty" 'f' "softdirty";
    41 ARCH_2 "flag-arch-2" 'H' "arch_2";
}

/// A frame's kpageflags word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KpageFlags(pub u64);

impl KpageFlags {
    pub fn has(self, bit: u32) -> bool {
        self.0 & (1 << bit) != 0
    }

    /// The names of the bits that are set, lowest bit first. Bits vmlab has no name
    /// for are shown as `BIT<n>` rather than dropped.
    pub fn names(self) -> Vec<String> {
        (0..64)
            .filter(|&b| self.has(b))
            .map(|b| match flag_info(b) {
                Some(f) => f.name.to_string(),
                None => format!("BIT{b}"),
            })
            .collect()
    }
}

impl Serialize for KpageFlags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.names().serialize(s)
    }
}

impl KpageFlags {
    /// The flags named in `names` (as [`KpageFlags::names`] gives them, `BIT<n>`
    /// included); `None` if a name is unknown.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Option<KpageFlags> {
        let mut word = 0u64;
        for name in names {
            let name = name.as_ref();
            let bit = match FLAGS.iter().chain(OVERLOADED).find(|f| f.name == name) {
                Some(f) => f.bit,
                None => name
                    .strip_prefix("BIT")?
                    .parse()
                    .ok()
                    .filter(|&b: &u32| b < 64)?,
            };
            word |= 1 << bit;
        }
        Some(KpageFlags(word))
    }
}

impl<'de> serde::Deserialize<'de> for KpageFlags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        KpageFlags::from_names(&names)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown flag in {names:?}")))
    }
}

/// What kpagecount and kpageflags say of one frame. A field is `None` when its file
/// could not be read (not root) or has no entry for the PFN (beyond RAM).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FrameInfo {
    pub map_count: Option<u64>,
    pub flags: Option<KpageFlags>,
}

/// Whether a /proc file could be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Readable,
    Denied,
    Missing,
}

/// Reads kpagecount and kpageflags for batches of frames.
pub struct FrameReader {
    count: Option<File>,
    flags: Option<File>,
    pub count_access: Access,
    pub flags_access: Access,
}

/// Frames fetched by one `pread`, at most: 8 Ki frames = 64 KiB.
const RUN_LIMIT: usize = 8 * 1024;

/// PFNs this close are read in one `pread`, with the frames between them: a syscall
/// costs about as much as the kernel's work for a few frames.
const RUN_GAP: u64 = 4;

/// Buffers a lookup reuses, so that a scan of millions of pages allocates once.
#[derive(Default)]
pub struct Scratch {
    /// The frames to read, PFN order: each a [`SortKey`].
    order: Vec<SortKey>,
    words: Vec<u64>,
}

impl FrameReader {
    /// Opens both files; never fails: a file that cannot be opened is recorded as
    /// denied or missing, and its fields read as `None`.
    pub fn open() -> FrameReader {
        let (count, count_access) = open_access("/proc/kpagecount");
        let (flags, flags_access) = open_access("/proc/kpageflags");
        FrameReader {
            count,
            flags,
            count_access,
            flags_access,
        }
    }

    /// A reader that reads nothing (for when PFNs are hidden and lookups are moot).
    pub fn none() -> FrameReader {
        FrameReader {
            count: None,
            flags: None,
            count_access: Access::Denied,
            flags_access: Access::Denied,
        }
    }

    /// The same files opened again, for one thread of a parallel scan: threads
    /// reading through one open file pass its reference count from CPU to CPU on
    /// every `pread` (measured: a tenth of a dense scan's time).
    /// A file that opened once and not again (no file descriptor left) is an error,
    /// not a quiet hole in the counts.
    pub fn reopen(&self) -> Result<FrameReader> {
        let again = |file: &Option<File>, path: &str| -> Result<Option<File>> {
            match file {
                None => Ok(None),
                Some(_) => File::open(path).map(Some).map_err(|source| Error::Io {
                    path: Path::new(path).to_path_buf(),
                    source,
                }),
            }
        };
        Ok(FrameReader {
            count: again(&self.count, "/proc/kpagecount")?,
            flags: again(&self.flags, "/proc/kpageflags")?,
            count_access: self.count_access,
            flags_access: self.flags_access,
        })
    }

    pub fn is_useful(&self) -> bool {
        self.count.is_some() || self.flags.is_some()
    }

    pub fn lookup_one(&self, pfn: Pfn) -> Result<FrameInfo> {
        Ok(self.lookup(&[pfn])?[0])
    }

    /// Looks up every PFN in `pfns` (any order, duplicates allowed); the result is in
    /// the same order. Costs one `pread` per file per run of near PFNs.
    pub fn lookup(&self, pfns: &[Pfn]) -> Result<Vec<FrameInfo>> {
        let mut out = Vec::new();
        self.lookup_into(pfns, &mut out, &mut Scratch::default(), |_, _| {
            CountNeed::Read
        })?;
        Ok(out)
    }

    /// [`FrameReader::lookup`] into `out`, with caller-owned buffers. `count(i, flags)`
    /// says, once the flags of `pfns[i]` are read, whether its map count must be read
    /// from kpagecount, is known already, or is not wanted ([`CountNeed`]).
    pub fn lookup_into(
        &self,
        pfns: &[Pfn],
        out: &mut Vec<FrameInfo>,
        scratch: &mut Scratch,
        count: impl Fn(usize, Option<KpageFlags>) -> CountNeed,
    ) -> Result<()> {
        out.clear();
        out.resize(pfns.len(), FrameInfo::default());
        if !self.is_useful() {
            return Ok(());
        }
        // In parts of as many frames as a sort key can index (a scan asks for fewer).
        for (k, part) in pfns.chunks(SortKey::MAX_INDEX).enumerate() {
            let base = k * SortKey::MAX_INDEX;
            let out = &mut out[base..base + part.len()];
            self.lookup_part(part, out, scratch, |i, f| count(base + i, f))?;
        }
        Ok(())
    }

    fn lookup_part(
        &self,
        pfns: &[Pfn],
        out: &mut [FrameInfo],
        scratch: &mut Scratch,
        count: impl Fn(usize, Option<KpageFlags>) -> CountNeed,
    ) -> Result<()> {
        scratch.order.clear();
        // A PFN too large for a key is beyond any RAM: no file has a word for it.
        scratch.order.extend(
            pfns.iter()
                .enumerate()
                .filter_map(|(i, p)| SortKey::new(p.0, i)),
        );
        scratch.order.sort_unstable();
        if let Some(f) = &self.flags {
            read_runs(
                f,
                "/proc/kpageflags",
                &scratch.order,
                &mut scratch.words,
                |i, w| out[i].flags = Some(KpageFlags(w)),
            )?;
        }
        let Some(f) = &self.count else { return Ok(()) };
        // Only the frames whose count is wanted and not known already are read.
        scratch.order.retain(|&key| {
            let i = key.index();
            match count(i, out[i].flags) {
                CountNeed::Read => true,
                CountNeed::Known(n) => {
                    out[i].map_count = Some(n);
                    false
                }
                CountNeed::Skip => false,
            }
        });
        read_runs(
            f,
            "/proc/kpagecount",
            &scratch.order,
            &mut scratch.words,
            |i, w| out[i].map_count = Some(w),
        )
    }
}

/// What a lookup does about one frame's map count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountNeed {
    /// Read it from kpagecount.
    Read,
    /// Known without a read.
    Known(u64),
    /// Not wanted: left `None`.
    Skip,
}

/// Whether a page is mapped more than once, from its pagemap entry's exclusive bit
/// (56) and its frame's flags, without kpagecount; `None` where the bit cannot say.
///
/// The kernel sets the bit when the page's map count is 1 (fs/proc/task_mmu.c:
/// `folio_precise_page_mapcount() == 1`; kernels built without per-page map counts
/// ask whether the folio may be mapped shared instead). For a page that is not part of
/// a large folio both mean the same, so there the bit answers exactly: set, mapped once;
/// clear, mapped two times or more. It says so only for a page the kernel found behind
/// the entry: a mapped (MMAP) anonymous or file page. Not for a large folio's page
/// (what the bit means there changed between kernels), the zero page, or a special
/// mapping's frame (no page found: bit clear, whatever the count). "Mapped, and
/// anonymous or file" stands for "the kernel found a page": an anonymous page that a
/// driver also maps by PFN (remap_pfn_range) would count as shared here, and rightly
/// so, though that second entry has no page behind it.
pub fn shared_by_pagemap(flags: KpageFlags, exclusive: bool, file: bool) -> Option<bool> {
    let small = !flags.has(flag::COMPOUND_HEAD) && !flags.has(flag::COMPOUND_TAIL);
    let found = flags.has(flag::MMAP) && (file || flags.has(flag::ANON));
    (small && found && !flags.has(flag::ZERO_PAGE)).then_some(!exclusive)
}

/// A frame to read, as one integer that sorts by PFN: the PFN in the high bits, the
/// index of the page that asked in the low 24. Sorting plain integers is several times
/// faster than sorting indices by a key looked up elsewhere (measured: a tenth of a
/// dense scan's user time went to that). PFNs use at most 40 bits (52-bit physical
/// addresses, 4 KiB pages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey(u64);

impl SortKey {
    const INDEX_BITS: u32 = 24;
    const MAX_INDEX: usize = 1 << Self::INDEX_BITS;

    fn new(pfn: u64, index: usize) -> Option<SortKey> {
        (pfn < 1 << (64 - Self::INDEX_BITS))
            .then_some(SortKey(pfn << Self::INDEX_BITS | index as u64))
    }

    fn pfn(self) -> u64 {
        self.0 >> Self::INDEX_BITS
    }

    fn index(self) -> usize {
        (self.0 & (Self::MAX_INDEX as u64 - 1)) as usize
    }
}

/// Reads `file` at the frames `order` lists (sort keys, in PFN order), one `pread`
/// per run of near PFNs, and hands each asking index its word. A PFN the file has no
/// word for (beyond RAM) gets none.
fn read_runs(
    file: &File,
    path: &str,
    order: &[SortKey],
    words: &mut Vec<u64>,
    mut set: impl FnMut(usize, u64),
) -> Result<()> {
    let pfn = |k: usize| order[k].pfn();
    let mut i = 0;
    while i < order.len() {
        let first = pfn(i);
        let mut j = i + 1;
        while j < order.len() {
            let p = pfn(j);
            if p - first >= RUN_LIMIT as u64 || p > pfn(j - 1) + RUN_GAP {
                break;
            }
            j += 1;
        }
        let len = (pfn(j - 1) - first + 1) as usize;
        read_words(file, path, first, len, words)?;
        for &key in &order[i..j] {
            if let Some(&w) = words.get((key.pfn() - first) as usize) {
                set(key.index(), w);
            }
        }
        i = j;
    }
    Ok(())
}

fn open_access(path: &str) -> (Option<File>, Access) {
    match File::open(path) {
        Ok(f) => (Some(f), Access::Readable),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (None, Access::Missing),
        Err(_) => (None, Access::Denied),
    }
}

/// Reads `len` u64 words starting at index `first` into `out`; fewer where the file
/// ends (a PFN beyond the end of RAM has no entry).
pub fn read_words(
    file: &File,
    path: &str,
    first: u64,
    len: usize,
    out: &mut Vec<u64>,
) -> Result<()> {
    out.clear();
    out.resize(len, 0);
    // SAFETY: a u64 slice is `8 × len` initialised bytes, and any bytes are a valid
    // u64; the kernel writes native-endian words.
    let bytes = unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<u8>(), len * 8) };
    let mut filled = 0;
    let mut offset = first * 8;
    while filled < bytes.len() {
        match file.read_at(&mut bytes[filled..], offset) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Past the end of RAM the kernel answers EINVAL on some versions.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => break,
            Err(e) => {
                return Err(Error::Io {
                    path: Path::new(path).to_path_buf(),
                    source: e,
                });
            }
        }
    }
    out.truncate(filled / 8);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_has_a_distinct_bit_and_name() {
        for (i, f) in FLAGS.iter().enumerate() {
            for g in &FLAGS[i + 1..] {
                assert_ne!(f.bit, g.bit);
                assert_ne!(f.name, g.name);
            }
            assert_eq!(KpageFlags(1 << f.bit).names(), [f.name]);
            assert_ne!(
                f.meaning(),
                f.key,
                "{} has no meaning in the catalogue",
                f.name
            );
        }
        assert_eq!(FLAGS.len(), 27 + 10);
    }

    #[test]
    fn decodes_the_uapi_bits() {
        // Values from include/uapi/linux/kernel-page-flags.h.
        assert_eq!(flag::DIRTY, 4);
        assert_eq!(flag::ANON, 12);
        assert_eq!(flag::COMPOUND_HEAD, 15);
        assert_eq!(flag::KSM, 21);
        assert_eq!(flag::THP, 22);
        assert_eq!(flag::ZERO_PAGE, 24);
        assert_eq!(flag::PGTABLE, 26);
        assert_eq!(flag::RESERVED, 32);
        let zero_page = KpageFlags((1 << flag::ZERO_PAGE) | (1 << flag::RESERVED));
        assert_eq!(zero_page.names(), ["ZERO_PAGE", "RESERVED"]);
        assert!(zero_page.has(flag::ZERO_PAGE) && !zero_page.has(flag::ANON));
        assert_eq!(KpageFlags(1 << 49).names(), ["BIT49"]);
    }

    #[test]
    fn pagemap_tells_sharing_only_for_small_mapped_pages() {
        let f = |bits: &[u32]| KpageFlags(bits.iter().fold(0, |w, b| w | 1 << b));
        let anon = f(&[flag::MMAP, flag::ANON]);
        assert_eq!(shared_by_pagemap(anon, true, false), Some(false));
        assert_eq!(shared_by_pagemap(anon, false, false), Some(true));
        let file = f(&[flag::MMAP]);
        assert_eq!(shared_by_pagemap(file, false, true), Some(true));
        // No page found behind the entry (special mapping): the bit says nothing.
        assert_eq!(shared_by_pagemap(file, false, false), None);
        for other in [flag::COMPOUND_HEAD, flag::COMPOUND_TAIL, flag::ZERO_PAGE] {
            let w = KpageFlags(anon.0 | 1 << other);
            assert_eq!(shared_by_pagemap(w, false, false), None, "bit {other}");
        }
        assert_eq!(
            shared_by_pagemap(f(&[flag::ANON]), false, false),
            None,
            "not mapped"
        );
    }

    #[test]
    fn sort_keys_order_by_frame_and_keep_the_index() {
        let a = SortKey::new(5, 7).unwrap();
        let b = SortKey::new(6, 0).unwrap();
        assert!(a < b);
        assert_eq!((a.pfn(), a.index()), (5, 7));
        let last = SortKey::MAX_INDEX - 1;
        let k = SortKey::new((1 << 40) - 1, last).unwrap();
        assert_eq!((k.pfn(), k.index()), ((1 << 40) - 1, last));
        assert_eq!(SortKey::new(1 << 40, 0), None, "beyond any RAM");
    }

    #[test]
    fn lookup_keeps_order_and_handles_duplicates() {
        let r = FrameReader::open();
        if r.flags_access != Access::Readable {
            eprintln!("skipped: /proc/kpageflags is not readable (needs root)");
            return;
        }
        // PFNs far beyond RAM have no entry: None, not an error.
        let huge = Pfn(1 << 50);
        let got = r.lookup(&[huge, Pfn(1), huge]).unwrap();
        assert_eq!(got[0].flags, None);
        assert_eq!(got[0], got[2]);
        assert_eq!(got.len(), 3);
    }
}
