//! (d) Soft-dirty: pagemap bit 55, cleared by clear_refs 4, set again by a write.
//!
//! Soft-dirty is a software copy of the dirty bit that the kernel keeps for userspace
//! (checkpoint/restore uses it): clear_refs 4 clears it and write-protects the pages,
//! so the next write faults and sets it. Kernels built without
//! CONFIG_MEM_SOFT_DIRTY (this one among them) keep bit 55 at 0 whatever happens: the
//! claim is then unverifiable, with the configuration line that says why.

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::region_smaps;
use super::{PAGES, WRITTEN, bits, clear_refs, err, marks, page_list, pagemap_bits};
use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::page::yes_no;
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::pagemap::PageEntry;
use crate::{claim, tr};

/// What (d) saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoftDirty {
    pub va: VirtAddr,
    /// The pages written after clear_refs 4.
    pub written: Vec<usize>,
    pub perms: Evidence<String>,
    /// What the kernel's build configuration says of soft-dirty.
    pub config: KernelConfig,
    /// Why `echo 4 > /proc/self/clear_refs` failed, if it did.
    pub clear_refs_failed: Option<String>,
    /// Pagemap bit 55 of each page, after the writes.
    pub bits: Evidence<Vec<bool>>,
}

/// One option of the running kernel's build configuration, as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelConfig {
    pub option: String,
    /// The file it was read from; `None` when no configuration is readable.
    pub source: Option<String>,
    /// Its value (`y`, `m`, ...); `None` when not set.
    pub value: Option<String>,
}

impl KernelConfig {
    /// Reads `option` where procfs finds the configuration: /proc/config.gz, else
    /// `/boot/config-<release>`, else /boot/config.
    pub fn read(option: &str) -> KernelConfig {
        use procfs::ConfigSetting;
        let release = nix::sys::utsname::uname()
            .map(|u| u.release().to_string_lossy().into_owned())
            .unwrap_or_default();
        let candidates = [
            "/proc/config.gz".to_string(),
            format!("/boot/config-{release}"),
            "/boot/config".to_string(),
        ];
        let source = candidates
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let config = procfs::kernel_config().ok();
        let value = config.as_ref().and_then(|c| match c.get(option)? {
            ConfigSetting::Yes => Some("y".to_string()),
            ConfigSetting::Module => Some("m".to_string()),
            ConfigSetting::Value(v) => Some(v.clone()),
        });
        KernelConfig {
            option: option.into(),
            source: source.filter(|_| config.is_some()),
            value,
        }
    }

    /// `Some(true)` when built in or a module, `Some(false)` when not set, `None` when
    /// the configuration could not be read.
    pub fn built_in(&self) -> Option<bool> {
        self.source.as_ref()?;
        Some(matches!(self.value.as_deref(), Some("y" | "m")))
    }

    /// The configuration line, as the file says it, with its source.
    pub fn text(&self) -> String {
        match (&self.source, &self.value) {
            (None, _) => tr!("dirty-config-unreadable"),
            (Some(source), Some(value)) => format!("{source}: {}={value}", self.option),
            (Some(source), None) => format!("{source}: # {} is not set", self.option),
        }
    }
}

/// Writes every page, clears the soft-dirty bits, writes the [`WRITTEN`] pages again,
/// and reads bit 55.
pub fn gather(lab: &Lab) -> Result<SoftDirty> {
    let ps = lab.page_size() as usize;
    let mut mem = MmapMut::map_anon(PAGES * ps).map_err(err("mmap"))?;
    mem.fill(1);
    let va = mem.as_ptr() as u64;
    let clear_refs_failed = clear_refs("4").err();
    for &p in &WRITTEN {
        mem[p * ps] = 2;
    }
    Ok(SoftDirty {
        va: VirtAddr(va),
        written: WRITTEN.to_vec(),
        perms: region_smaps(va).map(|s| s.perms),
        config: KernelConfig::read("CONFIG_MEM_SOFT_DIRTY"),
        clear_refs_failed,
        bits: pagemap_bits(va, PAGES, ps as u64, PageEntry::soft_dirty),
    })
}

pub fn narrate(d: &SoftDirty) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("dirty-header-perms"),
        tr!("dirty-header-written-after-clear"),
        tr!("dirty-header-soft-dirty"),
    ]);
    let perms = d.perms.seen().cloned().unwrap_or_else(|| "?".into());
    let seen = d.bits.seen();
    for p in 0..PAGES {
        t.row(vec![
            p.to_string(),
            perms.clone(),
            yes_no(d.written.contains(&p)),
            seen.and_then(|b| b.get(p))
                .map_or("?".into(), |&b| yes_no(b)),
        ]);
    }
    Step::show(
        tr!(
            "dirty-step-soft-dirty",
            pages = PAGES,
            written = page_list(&d.written),
            config = d.config.text()
        ),
        t,
    )
}

/// Decided where the kernel has soft-dirty (its configuration says so, or a bit was
/// seen set); unverifiable, with the configuration line, where it has not.
pub fn judge(d: &SoftDirty) -> Claim {
    let draft = claim!("dirty-soft-dirty", written = page_list(&d.written));
    if let Some(why) = &d.clear_refs_failed {
        return draft.unverifiable(why.as_str());
    }
    let seen = match &d.bits {
        Evidence::Seen(b) => b,
        Evidence::Missing(m) => return draft.unverifiable(m.missing.as_str()),
    };
    let config = d.config.text();
    match (d.config.built_in(), seen.contains(&true)) {
        (Some(false), false) => {
            draft.unverifiable(tr!("dirty-soft-dirty-compiled-out", config = config))
        }
        (None, false) => draft.unverifiable(tr!("dirty-soft-dirty-absent", config = config)),
        _ => draft.decide(
            tr!("dirty-soft-dirty-seen", bits = bits(seen), config = config),
            *seen == marks(&d.written),
        ),
    }
}
