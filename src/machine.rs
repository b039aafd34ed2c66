//! `vmlab frames`: what every frame of the machine holds, from `/proc/kpageflags` and
//! `/proc/kpagecount` (tools/mm/page-types without `-p`).
//!
//! Both files are arrays indexed by PFN and end at the last frame of RAM. They are read
//! in batches of 64 Ki frames; the summary (flags only, as page-types reads) runs on
//! every CPU, each thread taking batches in turn; rows (runs of alike frames) are read
//! in order, with map counts.

use std::collections::BTreeMap;
use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::error::{Error, InputError, Result};
use crate::frames::read_words;
use crate::inspect::FlagTable;
use crate::pageflags::{Filter, View};

/// Frames a batch reads from each file.
const BATCH: u64 = 64 * 1024;

/// A range of frame numbers, `[start, end)`; `end` is `None` for "to the last frame".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PfnRange {
    pub start: u64,
    pub end: Option<u64>,
}

impl PfnRange {
    /// `N` (one frame), `N-M` (N up to M, M excluded), `N+COUNT`, `N-` (N to the end);
    /// numbers in decimal or hex (`0x`).
    pub fn parse(text: &str) -> Result<PfnRange> {
        let bad = |why: &str| -> Error {
            InputError::Malformed {
                input: text.to_string(),
                why: why.to_string(),
            }
            .into()
        };
        let too_large = || bad(&crate::tr!("frames-range-too-large"));
        let num = |t: &str| crate::addr::parse_number(t.trim());
        let t = text.trim();
        let (start, end) = if let Some((a, b)) = t.split_once('+') {
            let a = num(a)?;
            (a, Some(a.checked_add(num(b)?).ok_or_else(too_large)?))
        } else if let Some((a, b)) = t.split_once('-') {
            let a = num(a)?;
            (
                a,
                if b.trim().is_empty() {
                    None
                } else {
                    Some(num(b)?)
                },
            )
        } else {
            let a = num(t)?;
            (a, Some(a.checked_add(1).ok_or_else(too_large)?))
        };
        // A reversed range gets the same message as `vmlab pages`' reversed ranges.
        if end.is_some_and(|e| e < start) {
            return Err(InputError::Reversed {
                input: text.to_string(),
            }
            .into());
        }
        if end == Some(start) {
            return Err(bad(&crate::tr!("frames-range-empty")));
        }
        Ok(PfnRange { start, end })
    }
}

/// A run of consecutive frames with the same map count and flags.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrameRun {
    #[serde(serialize_with = "crate::json::hex")]
    pub pfn: u64,
    pub frames: u64,
    pub map_count: Option<u64>,
    /// The flags in the chosen view, hex.
    pub flags: String,
    pub names: Vec<String>,
    #[serde(skip)]
    pub word: u64,
}

/// Totals of a walk.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FrameSummary {
    /// The first frame read, and one past the last (PFNs).
    #[serde(serialize_with = "crate::json::hex")]
    pub start: u64,
    #[serde(serialize_with = "crate::json::hex")]
    pub end: u64,
    /// Frames that matched (all of them without `--flags`).
    pub frames: u64,
    pub by_flags: FlagTable,
    /// Frames by map count; rows only (the summary reads flags alone, as page-types).
    #[serde(serialize_with = "crate::json::frames_by_map_count")]
    pub map_counts: Option<BTreeMap<u64, u64>>,
}

/// The two frame files, opened; a clear error when this user may not read them.
pub struct Machine {
    flags: File,
    count: Option<File>,
}

impl Machine {
    pub fn open() -> Result<Machine> {
        let denied = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::PermissionDenied => Error::NeedsPrivilege {
                what: crate::tr!("frames-needs-root"),
            },
            _ => Error::Io {
                path: "/proc/kpageflags".into(),
                source: e,
            },
        };
        let flags = File::open("/proc/kpageflags").map_err(denied)?;
        let count = File::open("/proc/kpagecount").ok();
        Ok(Machine { flags, count })
    }

    /// Fails, saying so, when `range` starts past the machine's last frame: there
    /// /proc/kpageflags has no word, and a scan would read nothing without a word why.
    pub fn check_start(&self, range: PfnRange) -> Result<()> {
        let mut word = Vec::new();
        read_words(&self.flags, "/proc/kpageflags", range.start, 1, &mut word)?;
        if word.is_empty() {
            return Err(InputError::Malformed {
                input: format!("{:#x}", range.start),
                why: crate::tr!("frames-range-past-end"),
            }
            .into());
        }
        Ok(())
    }

    /// Every run of alike frames of `range`, in order, to `visit`; with map counts.
    pub fn walk(
        &self,
        range: PfnRange,
        view: View,
        filter: &Filter,
        mut visit: impl FnMut(&FrameRun) -> Result<()>,
    ) -> Result<FrameSummary> {
        let mut s = self.empty(range, view);
        s.map_counts = self.count.as_ref().map(|_| BTreeMap::new());
        let (mut flags, mut counts) = (Vec::new(), Vec::new());
        let mut run: Option<FrameRun> = None;
        let mut pfn = range.start;
        while range.end.is_none_or(|e| pfn < e) {
            let n = range.end.map_or(BATCH, |e| (e - pfn).min(BATCH)) as usize;
            read_words(&self.flags, "/proc/kpageflags", pfn, n, &mut flags)?;
            if flags.is_empty() {
                break;
            }
            if let Some(c) = &self.count {
                read_words(c, "/proc/kpagecount", pfn, flags.len(), &mut counts)?;
            }
            for (i, &f) in flags.iter().enumerate() {
                let word = view.word(f, 0);
                if !filter.accepts(word) {
                    continue;
                }
                let count = counts.get(i).copied().filter(|_| self.count.is_some());
                s.count(word, count);
                let p = pfn + i as u64;
                match run.as_mut() {
                    Some(r) if r.word == word && r.map_count == count && r.pfn + r.frames == p => {
                        r.frames += 1
                    }
                    _ => {
                        if let Some(done) = run.replace(FrameRun::new(p, word, count)) {
                            visit(&done)?;
                        }
                    }
                }
            }
            pfn += flags.len() as u64;
        }
        if let Some(done) = run {
            visit(&done)?;
        }
        s.end = pfn;
        Ok(s)
    }

    /// The flag table of `range`, flags only, on every CPU.
    pub fn summarize(&self, range: PfnRange, view: View, filter: &Filter) -> Result<FrameSummary> {
        let next = AtomicU64::new(range.start);
        let end_seen = AtomicU64::new(range.start);
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let work = || -> Result<FrameSummary> {
            let mut s = self.empty(range, view);
            let mut flags = Vec::new();
            loop {
                let pfn = next.fetch_add(BATCH, Ordering::Relaxed);
                if range.end.is_some_and(|e| pfn >= e) {
                    break;
                }
                let n = range.end.map_or(BATCH, |e| (e - pfn).min(BATCH)) as usize;
                read_words(&self.flags, "/proc/kpageflags", pfn, n, &mut flags)?;
                if flags.is_empty() {
                    break;
                }
                end_seen.fetch_max(pfn + flags.len() as u64, Ordering::Relaxed);
                for &f in &flags {
                    let word = view.word(f, 0);
                    if filter.accepts(word) {
                        s.count(word, None);
                    }
                }
            }
            Ok(s)
        };
        let parts: Vec<Result<FrameSummary>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::Child("a thread panicked".into())))
                })
                .collect()
        });
        let mut total = self.empty(range, view);
        for p in parts {
            let p = p?;
            total.frames += p.frames;
            for (w, n) in p.by_flags.counts {
                *total.by_flags.counts.entry(w).or_default() += n;
            }
        }
        total.end = end_seen.into_inner();
        Ok(total)
    }

    fn empty(&self, range: PfnRange, view: View) -> FrameSummary {
        FrameSummary {
            start: range.start,
            end: range.start,
            by_flags: FlagTable {
                view,
                counts: BTreeMap::new(),
            },
            ..FrameSummary::default()
        }
    }
}

impl FrameSummary {
    fn count(&mut self, word: u64, map_count: Option<u64>) {
        self.frames += 1;
        *self.by_flags.counts.entry(word).or_default() += 1;
        if let (Some(m), Some(c)) = (self.map_counts.as_mut(), map_count) {
            *m.entry(c).or_default() += 1;
        }
    }
}

impl FrameRun {
    fn new(pfn: u64, word: u64, map_count: Option<u64>) -> FrameRun {
        FrameRun {
            pfn,
            frames: 1,
            map_count,
            flags: format!("0x{word:016x}"),
            names: crate::pageflags::names(word),
            word,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_like_page_types_addr_specs() {
        let r = |t: &str| PfnRange::parse(t).unwrap();
        assert_eq!(
            r("10"),
            PfnRange {
                start: 10,
                end: Some(11)
            }
        );
        assert_eq!(
            r("0x10-0x20"),
            PfnRange {
                start: 16,
                end: Some(32)
            }
        );
        assert_eq!(
            r("100+5"),
            PfnRange {
                start: 100,
                end: Some(105)
            }
        );
        assert_eq!(
            r("7-"),
            PfnRange {
                start: 7,
                end: None
            }
        );
        let reversed = PfnRange::parse("20-10").unwrap_err().to_string();
        assert!(reversed.contains("reversed"), "{reversed}");
        let max = format!("{:#x}", u64::MAX);
        for text in [max.clone(), format!("{max}+1")] {
            let err = PfnRange::parse(&text).unwrap_err().to_string();
            assert!(err.contains("beyond"), "{err}");
        }
        assert!(PfnRange::parse("zz").is_err());
    }
}
