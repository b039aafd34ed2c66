//! The address space of a process: its regions, from `/proc/<pid>/smaps`.
//!
//! Each line of `/proc/<pid>/maps` is one *virtual memory area* (VMA): a range of
//! pages with one set of permissions and one backing (a file, or nothing). `smaps`
//! repeats those lines, each followed by counters such as Rss (resident), Pss (resident,
//! shared pages divided among their users) and Swap. vmlab reads smaps once, parses it
//! with the procfs crate, and names each region with the segment the course would draw:
//!
//! ```text
//!   high  [stack]            stack    grows down from near the top of user space
//!         ...libc.so.6 rw-p  lib-data
//!         ...libc.so.6 r-xp  lib-text shared libraries, mapped in the mmap area
//!         (anonymous)        anon     mmap'd memory, thread stacks, big mallocs
//!         [heap]             heap     grows up from the end of bss (brk)
//!         (anonymous)        bss      zero-initialised globals beyond the file
//!         /usr/bin/prog rw-p data     initialised globals
//!         /usr/bin/prog r--p rodata   constants, ELF headers, relocated read-only data
//!   low   /usr/bin/prog r-xp text     machine code
//! ```

use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::addr::{AddrRange, VirtAddr};
use crate::error::{Error, Result};
use crate::process::ProcessHandle;

mod parse;

pub use parse::{display_name, parse_lines};

/// What a region is, in the course's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionKind {
    Text,
    Rodata,
    Data,
    Bss,
    Heap,
    Stack,
    ThreadStack,
    LibText,
    LibData,
    File,
    Shm,
    Anon,
    Guard,
    Vdso,
    Vvar,
    Vsyscall,
    Other,
}

impl RegionKind {
    pub const ALL: [RegionKind; 17] = [
        RegionKind::Text,
        RegionKind::Rodata,
        RegionKind::Data,
        RegionKind::Bss,
        RegionKind::Heap,
        RegionKind::Stack,
        RegionKind::ThreadStack,
        RegionKind::LibText,
        RegionKind::LibData,
        RegionKind::File,
        RegionKind::Shm,
        RegionKind::Anon,
        RegionKind::Guard,
        RegionKind::Vdso,
        RegionKind::Vvar,
        RegionKind::Vsyscall,
        RegionKind::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RegionKind::Text => "text",
            RegionKind::Rodata => "rodata",
            RegionKind::Data => "data",
            RegionKind::Bss => "bss",
            RegionKind::Heap => "heap",
            RegionKind::Stack => "stack",
            RegionKind::ThreadStack => "thread-stack",
            RegionKind::LibText => "lib-text",
            RegionKind::LibData => "lib-data",
            RegionKind::File => "file",
            RegionKind::Shm => "shm",
            RegionKind::Anon => "anon",
            RegionKind::Guard => "guard",
            RegionKind::Vdso => "vdso",
            RegionKind::Vvar => "vvar",
            RegionKind::Vsyscall => "vsyscall",
            RegionKind::Other => "other",
        }
    }

    /// A few words for the legend, in the chosen language.
    pub fn meaning(self) -> String {
        use crate::tr;
        match self {
            RegionKind::Text => tr!("kind-text"),
            RegionKind::Rodata => tr!("kind-rodata"),
            RegionKind::Data => tr!("kind-data"),
            RegionKind::Bss => tr!("kind-bss"),
            RegionKind::Heap => tr!("kind-heap"),
            RegionKind::Stack => tr!("kind-stack"),
            RegionKind::ThreadStack => tr!("kind-thread-stack"),
            RegionKind::LibText => tr!("kind-lib-text"),
            RegionKind::LibData => tr!("kind-lib-data"),
            RegionKind::File => tr!("kind-file"),
            RegionKind::Shm => tr!("kind-shm"),
            RegionKind::Anon => tr!("kind-anon"),
            RegionKind::Guard => tr!("kind-guard"),
            RegionKind::Vdso => tr!("kind-vdso"),
            RegionKind::Vvar => tr!("kind-vvar"),
            RegionKind::Vsyscall => tr!("kind-vsyscall"),
            RegionKind::Other => tr!("kind-other"),
        }
    }
}

/// Region permissions, as the `rwxp`/`rwxs` column of maps shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Perms {
    pub read: bool,
    pub write: bool,
    pub exec: bool,
    /// MAP_SHARED: writes go to the backing object and are seen by every mapper.
    /// Otherwise private: copy-on-write.
    pub shared: bool,
}

impl Perms {
    /// From the `rwxp` column of maps; `None` unless it is four such letters.
    pub fn parse(text: &[u8]) -> Option<Perms> {
        let [r, w, x, s] = text else { return None };
        let flag = |b: u8, on: u8| match b {
            b'-' => Some(false),
            _ if b == on => Some(true),
            _ => None,
        };
        Some(Perms {
            read: flag(*r, b'r')?,
            write: flag(*w, b'w')?,
            exec: flag(*x, b'x')?,
            shared: match s {
                b's' => true,
                b'p' => false,
                _ => return None,
            },
        })
    }

    pub fn none(self) -> bool {
        !self.read && !self.write && !self.exec
    }
}

impl std::fmt::Display for Perms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = |on: bool, ch: char| if on { ch } else { '-' };
        write!(
            f,
            "{}{}{}{}",
            c(self.read, 'r'),
            c(self.write, 'w'),
            c(self.exec, 'x'),
            if self.shared { 's' } else { 'p' }
        )
    }
}

impl Serialize for Perms {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Memory use of one region, in bytes, from its smaps record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Resident: pages of this region in RAM and mapped by this process.
    pub rss: u64,
    /// Proportional: each resident page divided by the number of processes mapping it.
    pub pss: u64,
    pub swap: u64,
    /// Resident pages that are anonymous (not from a file).
    pub anonymous: u64,
    /// Anonymous memory backed by transparent huge pages.
    pub anon_huge: u64,
    pub private_dirty: u64,
    pub shared_dirty: u64,
    pub referenced: u64,
}

impl Usage {
    /// Takes one `Key: N kB` line of smaps; other keys are left alone.
    fn set(&mut self, key: &[u8], bytes: u64) {
        let field = match key {
            b"Rss" => &mut self.rss,
            b"Pss" => &mut self.pss,
            b"Swap" => &mut self.swap,
            b"Anonymous" => &mut self.anonymous,
            b"AnonHugePages" => &mut self.anon_huge,
            b"Private_Dirty" => &mut self.private_dirty,
            b"Shared_Dirty" => &mut self.shared_dirty,
            b"Referenced" => &mut self.referenced,
            _ => return,
        };
        *field = bytes;
    }

    pub fn add(&mut self, o: &Usage) {
        self.rss += o.rss;
        self.pss += o.pss;
        self.swap += o.swap;
        self.anonymous += o.anonymous;
        self.anon_huge += o.anon_huge;
        self.private_dirty += o.private_dirty;
        self.shared_dirty += o.shared_dirty;
        self.referenced += o.referenced;
    }
}

/// One virtual memory area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    pub start: VirtAddr,
    pub end: VirtAddr,
    pub perms: Perms,
    pub kind: RegionKind,
    /// What the kernel prints in the last column: a path, `[heap]`, or empty. Exactly
    /// the name (trailing spaces and newlines kept) when it is UTF-8; otherwise with
    /// each byte that is not shown as `\xNN`, and the bytes in `backing_bytes`.
    pub backing: String,
    /// The name's bytes, when they are not UTF-8 (a file name is any bytes but `/`
    /// and NUL): what the kernel gave, lossless.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backing_bytes: Option<Vec<u8>>,
    pub offset: u64,
    pub inode: u64,
    /// Memory counters from smaps; `None` when the space was read from maps only.
    pub usage: Option<Usage>,
}

impl Region {
    pub fn range(&self) -> AddrRange {
        AddrRange {
            start: self.start,
            end: self.end,
        }
    }

    pub fn size(&self) -> u64 {
        self.end.0 - self.start.0
    }

    /// The backing as a short name: a file's base name, or the bracketed kernel name.
    pub fn short_name(&self) -> &str {
        if self.backing.starts_with('/') {
            Path::new(&self.backing)
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or(&self.backing)
        } else {
            &self.backing
        }
    }
}

/// The regions of one process, lowest address first.
#[derive(Clone, Debug, Serialize)]
pub struct AddressSpace {
    pub pid: i32,
    /// The program's executable (readlink of `/proc/<pid>/exe`), if it could be read.
    pub exe: Option<PathBuf>,
    pub regions: Vec<Region>,
}

impl AddressSpace {
    /// Reads `/proc/<pid>/smaps`: the regions with their memory counters. The kernel
    /// walks every page table to count them, so this costs time on a large process.
    pub fn read(pid: i32) -> Result<AddressSpace> {
        Self::read_in(&ProcessHandle::open(pid)?, true)
    }

    /// Reads `/proc/<pid>/maps`: the regions only (`usage` is `None`), cheaply.
    pub fn read_layout(pid: i32) -> Result<AddressSpace> {
        Self::read_in(&ProcessHandle::open(pid)?, false)
    }

    /// Reads smaps (with `usage`) or maps of the process `handle` names, streamed: the
    /// text is parsed as it comes, so memory holds the regions, not the text.
    pub fn read_in(handle: &ProcessHandle, usage: bool) -> Result<AddressSpace> {
        let name = if usage { "smaps" } else { "maps" };
        let file = handle.open_file(name)?;
        let exe = nix::fcntl::readlinkat(handle.dir(), "exe")
            .ok()
            .map(PathBuf::from);
        // 64 KiB: below glibc's mmap threshold (128 KiB), so the buffer comes from the
        // heap. A buffer mmap'd next to an anonymous region of the process being read
        // (vmlab's own, in the demos) would merge with it and change what is read.
        let reader = std::io::BufReader::with_capacity(64 * 1024, file);
        let space = Self::parse_from(handle.pid, reader, exe).map_err(|e| match e {
            parse::Failure::Io(e) => handle.explain(name, e),
            parse::Failure::Bad(detail) => Error::Malformed {
                path: handle.path(name),
                detail,
            },
        })?;
        if space.regions.is_empty() {
            // No memory at all: a zombie, a process that has exited, or a kernel thread.
            if let Some(e) = handle.gone_error(&handle.path(name).display().to_string()) {
                return Err(e);
            }
            handle.check_not_zombie()?;
            return Err(Error::KernelThread { pid: handle.pid });
        }
        Ok(space)
    }

    /// Parses smaps (or maps) text. `exe` names the program's file; without it the
    /// lowest file mapping at offset 0 is taken for the program, which is where
    /// execve puts it.
    pub fn parse(pid: i32, text: &[u8], exe: Option<PathBuf>) -> Result<AddressSpace, String> {
        Self::parse_from(pid, text, exe).map_err(|e| match e {
            parse::Failure::Io(e) => e.to_string(),
            parse::Failure::Bad(d) => d,
        })
    }

    fn parse_from(
        pid: i32,
        text: impl BufRead,
        exe: Option<PathBuf>,
    ) -> Result<AddressSpace, parse::Failure> {
        use std::os::unix::ffi::OsStrExt;
        let maps = parse_lines(text)?;
        let exe = exe.or_else(|| {
            maps.iter()
                .find(|m| m.offset == 0 && m.name.first() == Some(&b'/'))
                .map(|m| PathBuf::from(std::ffi::OsStr::from_bytes(&m.name)))
        });
        let exe_bytes = exe.as_ref().map(|p| p.as_os_str().as_bytes());
        let regions = classify(&maps, exe_bytes);
        Ok(AddressSpace { pid, exe, regions })
    }

    pub fn find(&self, va: VirtAddr) -> Option<&Region> {
        self.regions.iter().find(|r| r.range().contains(va))
    }

    pub fn total(&self) -> Usage {
        let mut t = Usage::default();
        for u in self.regions.iter().filter_map(|r| r.usage.as_ref()) {
            t.add(u);
        }
        t
    }

    pub fn total_size(&self) -> u64 {
        self.regions.iter().map(Region::size).sum()
    }

    /// The regions a name selects. Names are tried from the most to the least exact,
    /// and the first tier that matches wins:
    /// 1. a kernel name with or without brackets (`heap`, `[stack]`, `vdso`), or a
    ///    region kind (`text`, `bss`, `lib-data`, `anon` ...);
    /// 2. a backing path, in full;
    /// 3. a file's base name (`libc.so.6`);
    /// 4. the start of a base name (`libc`, `ld-linux`).
    ///
    /// A tier that matches regions of more than one file is ambiguous.
    pub fn select(&self, name: &str) -> Result<Vec<&Region>> {
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        let special: Vec<&Region> = self
            .regions
            .iter()
            .filter(|r| {
                r.backing.trim_start_matches('[').trim_end_matches(']') == bare
                    && r.backing.starts_with('[')
                    || r.kind.name() == bare
            })
            .collect();
        if !special.is_empty() {
            return Ok(special);
        }
        let files = |pred: &dyn Fn(&Region) -> bool| -> Vec<&Region> {
            self.regions
                .iter()
                .filter(|r| r.backing.starts_with('/') && pred(r))
                .collect()
        };
        let base = |r: &Region| r.short_name().trim_end_matches(" (deleted)").to_string();
        let tiers: [Vec<&Region>; 3] = [
            files(&|r| r.backing == name),
            files(&|r| base(r) == name),
            files(&|r| base(r).starts_with(name)),
        ];
        for tier in tiers {
            let distinct: Vec<&str> = {
                let mut seen = HashSet::new();
                tier.iter()
                    .map(|r| r.backing.as_str())
                    .filter(|b| seen.insert(*b))
                    .collect()
            };
            match distinct.len() {
                0 => continue,
                1 => return Ok(tier),
                _ => {
                    return Err(Error::RegionAmbiguous {
                        pid: self.pid,
                        name: name.to_string(),
                        candidates: distinct.join(", "),
                    });
                }
            }
        }
        Err(Error::RegionNotFound {
            pid: self.pid,
            name: name.to_string(),
            available: self.names().join(", "),
        })
    }

    /// The distinct names `select` accepts for this process, for error messages.
    pub fn names(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out: Vec<String> = self
            .regions
            .iter()
            .map(|r| {
                if r.backing.is_empty() {
                    r.kind.name().to_string()
                } else {
                    r.short_name().to_string()
                }
            })
            .filter(|n| seen.insert(n.clone()))
            .collect();
        out.truncate(24);
        out
    }
}

/// Names every mapping with its segment. The rules read only what the kernel shows:
/// - kernel-named areas (`[heap]`, `[stack]`, `[vdso]`, `[vvar]`, `[vvar_vclock]`,
///   `[vsyscall]`, `[anon:name]`) by their name;
/// - a mapping with no access at all is a guard (ELF alignment gaps, guard pages
///   below thread stacks, reserved address space);
/// - the program's file: executable → text, writable → data, else rodata;
/// - a file mapped executable somewhere in this space is a shared library: its
///   executable part is lib-text, the rest lib-data;
/// - an anonymous private mapping that starts exactly where the writable data of the
///   program (or a library) ends is its bss: the zeroed globals beyond the file's
///   last page;
/// - an anonymous read-write mapping that starts exactly where an anonymous no-access
///   mapping ends is a thread stack above its guard page (glibc and Rust map thread
///   stacks that way; a malloc arena is the other way round, its reserve above it);
/// - shared anonymous memory (`/dev/zero`, SysV shm, memfd, `[anon_shmem:]`) is shm;
/// - any other file is a file mapping, any other anonymous mapping anon.
fn classify(maps: &[parse::RawRegion], exe: Option<&[u8]>) -> Vec<Region> {
    let is_path = |m: &&parse::RawRegion| m.name.first() == Some(&b'/');
    let libraries: HashSet<&[u8]> = maps
        .iter()
        .filter(|m| m.perms.exec)
        .filter(is_path)
        .map(|m| m.name.as_slice())
        .filter(|p| Some(*p) != exe)
        .collect();
    let mut regions: Vec<Region> = Vec::with_capacity(maps.len());
    for m in maps {
        let perms = m.perms;
        let kind = if m.name.is_empty() {
            anonymous_kind(perms, regions.last(), m.start)
        } else if m.name.first() == Some(&b'[') {
            bracketed_kind(&m.name)
        } else if perms.none() {
            RegionKind::Guard
        } else if Some(m.name.as_slice()) == exe {
            if perms.exec {
                RegionKind::Text
            } else if perms.write {
                RegionKind::Data
            } else {
                RegionKind::Rodata
            }
        } else if libraries.contains(m.name.as_slice()) {
            if perms.exec {
                RegionKind::LibText
            } else {
                RegionKind::LibData
            }
        } else if [&b"/memfd:"[..], b"/dev/zero", b"/SYSV"]
            .iter()
            .any(|p| m.name.starts_with(p))
        {
            RegionKind::Shm
        } else {
            RegionKind::File
        };
        let (backing, backing_bytes) = match std::str::from_utf8(&m.name) {
            Ok(text) => (text.to_string(), None),
            Err(_) => (display_name(&m.name), Some(m.name.clone())),
        };
        regions.push(Region {
            start: VirtAddr(m.start),
            end: VirtAddr(m.end),
            perms,
            kind,
            backing,
            backing_bytes,
            offset: m.offset,
            inode: m.inode,
            usage: m.usage,
        });
    }
    regions
}

/// The kind of a kernel-named area (`[heap]`, `[vdso]`, `[anon:name]` ...).
fn bracketed_kind(name: &[u8]) -> RegionKind {
    let inner = name.strip_prefix(b"[").unwrap_or(name);
    match inner {
        b"heap]" => RegionKind::Heap,
        b"vdso]" => RegionKind::Vdso,
        b"vsyscall]" => RegionKind::Vsyscall,
        _ if inner.starts_with(b"stack") => RegionKind::Stack,
        _ if inner.starts_with(b"vvar") => RegionKind::Vvar,
        _ if inner.starts_with(b"anon_shmem:") => RegionKind::Shm,
        _ if inner.starts_with(b"anon:") => RegionKind::Anon,
        _ => RegionKind::Other,
    }
}

/// The kind of an anonymous mapping, from its permissions and the region below it.
fn anonymous_kind(perms: Perms, prev: Option<&Region>, start: u64) -> RegionKind {
    let above_guard = prev
        .is_some_and(|p| p.end.0 == start && p.kind == RegionKind::Guard && p.backing.is_empty());
    let follows_data = prev.is_some_and(|p| {
        p.end.0 == start
            && p.perms.write
            && matches!(p.kind, RegionKind::Data | RegionKind::LibData)
    });
    if perms.none() {
        RegionKind::Guard
    } else if perms.shared {
        RegionKind::Shm
    } else if above_guard && perms.read && perms.write {
        RegionKind::ThreadStack
    } else if follows_data {
        match prev.map(|p| p.kind) {
            Some(RegionKind::Data) => RegionKind::Bss,
            _ => RegionKind::LibData,
        }
    } else {
        RegionKind::Anon
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLEEP_MAPS: &str = "\
561d1105b000-561d1105d000 r--p 00000000 fe:00 247774                     /usr/bin/sleep
561d1105d000-561d11062000 r-xp 00002000 fe:00 247774                     /usr/bin/sleep
561d11062000-561d11064000 r--p 00007000 fe:00 247774                     /usr/bin/sleep
561d11065000-561d11066000 rw-p 0000a000 fe:00 247774                     /usr/bin/sleep
561d11066000-561d11068000 rw-p 00000000 00:00 0 
561d47fa5000-561d47fc6000 rw-p 00000000 00:00 0                          [heap]
7f7ed7414000-7f7ed7417000 rw-p 00000000 00:00 0 
7f7ed7417000-7f7ed743d000 r--p 00000000 fe:00 326279                     /usr/lib/x86_64-linux-gnu/libc.so.6
7f7ed743d000-7f7ed7593000 r-xp 00026000 fe:00 326279                     /usr/lib/x86_64-linux-gnu/libc.so.6
7f7ed75ea000-7f7ed75ec000 rw-p 001d3000 fe:00 326279                     /usr/lib/x86_64-linux-gnu/libc.so.6
7f7ed75ec000-7f7ed75f9000 rw-p 00000000 00:00 0 
7f7ed75fa000-7f7ed7601000 r--s 00000000 fe:00 325745                     /usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache
7f7ed7601000-7f7ed7602000 ---p 00000000 00:00 0 
7f7ed7602000-7f7ed7604000 rw-s 00000000 00:01 1042                       /memfd:vmlab (deleted)
7f7ed7604000-7f7ed7608000 r--p 00000000 00:00 0                          [vvar]
7f7ed7608000-7f7ed760a000 r--p 00000000 00:00 0                          [vvar_vclock]
7f7ed760a000-7f7ed760c000 r-xp 00000000 00:00 0                          [vdso]
7f7ed760c000-7f7ed760d000 r--p 00000000 fe:00 325843                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7f7ed760d000-7f7ed7633000 r-xp 00001000 fe:00 325843                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7fff677c3000-7fff677e4000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
";

    fn space() -> AddressSpace {
        AddressSpace::parse(42, SLEEP_MAPS.as_bytes(), Some("/usr/bin/sleep".into())).unwrap()
    }

    #[test]
    fn classifies_every_kind_of_line() {
        let kinds: Vec<&str> = space().regions.iter().map(|r| r.kind.name()).collect();
        assert_eq!(
            kinds,
            [
                "rodata", "text", "rodata", "data", "bss", "heap", "anon", "lib-data", "lib-text",
                "lib-data", "lib-data", "file", "guard", "shm", "vvar", "vvar", "vdso", "lib-data",
                "lib-text", "stack", "vsyscall"
            ]
        );
    }

    #[test]
    fn exe_defaults_to_first_file_at_offset_zero() {
        let s = AddressSpace::parse(42, SLEEP_MAPS.as_bytes(), None).unwrap();
        assert_eq!(s.exe.as_deref(), Some(Path::new("/usr/bin/sleep")));
        assert_eq!(s.regions[1].kind, RegionKind::Text);
    }

    #[test]
    fn selects_by_kernel_name_kind_path_and_prefix() {
        let s = space();
        let starts = |name: &str| -> Vec<u64> {
            s.select(name).unwrap().iter().map(|r| r.start.0).collect()
        };
        assert_eq!(starts("heap"), [0x561d47fa5000]);
        assert_eq!(starts("[heap]"), [0x561d47fa5000]);
        assert_eq!(starts("[vdso]"), [0x7f7ed760a000]);
        assert_eq!(starts("vvar"), [0x7f7ed7604000, 0x7f7ed7608000]);
        assert_eq!(starts("bss"), [0x561d11066000]);
        assert_eq!(starts("libc.so.6").len(), 3);
        assert_eq!(starts("libc").len(), 3);
        assert_eq!(
            starts("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2").len(),
            2
        );
        assert_eq!(starts("ld-linux").len(), 2);
        assert_eq!(starts("memfd:vmlab"), [0x7f7ed7602000]);
    }

    #[test]
    fn ambiguous_and_unknown_names_are_errors() {
        let s = space();
        match s.select("l").unwrap_err() {
            Error::RegionAmbiguous { candidates, .. } => {
                assert!(candidates.contains("libc.so.6") && candidates.contains("ld-linux"))
            }
            e => panic!("{e}"),
        }
        match s.select("libfoo").unwrap_err() {
            Error::RegionNotFound { available, .. } => assert!(available.contains("[heap]")),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn perms_print_like_maps() {
        let s = space();
        assert_eq!(s.regions[1].perms.to_string(), "r-xp");
        assert_eq!(s.regions[11].perms.to_string(), "r--s");
        assert_eq!(s.regions[12].perms.to_string(), "---p");
    }
}
