//! The machine a report was made on, as the kernel describes it: the facts a reader
//! needs to judge the verdicts (a claim about huge pages means little without the THP
//! mode, a frame number nothing without the privilege that showed it).

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::addr::{Paging, PagingLevels};
use crate::demos::mem::{THP_DIR, selected};
use crate::demos::{meminfo_bytes, setting};
use crate::frames::Access;
use crate::inspect::Inspector;
use crate::privilege::Privilege;
use crate::render::human_size;
use crate::tr;

/// What the report says about the machine, read when the report starts.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// `uname`: system, release and version (`Linux 6.18.0 #1 SMP ...`).
    pub kernel: String,
    /// `uname -m`: `x86_64`.
    pub arch: String,
    /// The first `model name` of /proc/cpuinfo.
    pub cpu: Option<String>,
    /// Logical CPUs online.
    pub cpus: usize,
    /// `MemTotal` of /proc/meminfo, in bytes.
    pub memory: Option<u64>,
    pub paging: Paging,
    /// The THP settings as sysfs prints them (`always [madvise] never`).
    pub thp_enabled: Option<String>,
    pub thp_defrag: Option<String>,
    /// `kernel.randomize_va_space`.
    pub aslr: Option<String>,
    pub privilege: Privilege,
    /// Seconds since the epoch when the report was started.
    pub started: u64,
    pub vmlab_version: &'static str,
}

impl Machine {
    /// Reads the facts now; what cannot be read stays `None` (and the report says
    /// "unknown").
    pub fn read(inspector: &Inspector) -> Machine {
        let uname = nix::sys::utsname::uname().ok();
        let part = |f: fn(&nix::sys::utsname::UtsName) -> &std::ffi::OsStr| {
            uname
                .as_ref()
                .map(|u| f(u).to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let kernel = [
            part(|u| u.sysname()),
            part(|u| u.release()),
            part(|u| u.version()),
        ]
        .join(" ")
        .trim()
        .to_string();
        let cpus = nix::unistd::sysconf(nix::unistd::SysconfVar::_NPROCESSORS_ONLN)
            .ok()
            .flatten()
            .map_or(1, |n| n.max(1) as usize);
        Machine {
            kernel,
            arch: part(|u| u.machine()),
            cpu: cpu_model(),
            cpus,
            memory: meminfo_bytes("MemTotal").ok(),
            paging: inspector.paging,
            thp_enabled: setting(&format!("{THP_DIR}/enabled")),
            thp_defrag: setting(&format!("{THP_DIR}/defrag")),
            aslr: setting("/proc/sys/kernel/randomize_va_space"),
            privilege: inspector.privilege.clone(),
            started: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            vmlab_version: env!("CARGO_PKG_VERSION"),
        }
    }

    /// The facts as (what, value) lines, in the chosen language.
    pub fn facts(&self) -> Vec<(String, String)> {
        let unknown = || tr!("report-unknown");
        let levels = match self.paging.levels {
            PagingLevels::Four => 4,
            PagingLevels::Five => 5,
        };
        vec![
            (tr!("report-machine-kernel"), self.kernel.clone()),
            (tr!("report-machine-arch"), self.arch.clone()),
            (
                tr!("report-machine-cpu"),
                tr!(
                    "report-machine-cpu-value",
                    model = self.cpu.clone().unwrap_or_else(unknown),
                    count = self.cpus
                ),
            ),
            (
                tr!("report-machine-memory"),
                self.memory.map_or_else(unknown, human_size),
            ),
            (
                tr!("report-machine-paging"),
                tr!(
                    "report-machine-paging-value",
                    page = human_size(self.paging.page_size),
                    levels = levels,
                    end = format!("{:#x}", self.paging.user_space_end())
                ),
            ),
            (tr!("report-machine-thp"), self.thp()),
            (
                tr!("report-machine-aslr"),
                self.aslr.clone().unwrap_or_else(unknown),
            ),
            (tr!("report-machine-privilege"), privilege(&self.privilege)),
            (tr!("report-machine-started"), utc(self.started)),
            (tr!("report-machine-vmlab"), self.vmlab_version.to_string()),
        ]
    }

    /// `madvise (always [madvise] never); defrag: madvise`.
    fn thp(&self) -> String {
        let Some(enabled) = &self.thp_enabled else {
            return tr!("report-machine-thp-absent", dir = THP_DIR);
        };
        let choice = |raw: &str| selected(raw).unwrap_or(raw).to_string();
        tr!(
            "report-machine-thp-value",
            enabled = choice(enabled),
            raw = enabled.as_str(),
            defrag = self
                .thp_defrag
                .as_deref()
                .map_or_else(|| tr!("report-unknown"), choice)
        )
    }
}

/// Who vmlab ran as and what the kernel showed it.
fn privilege(p: &Privilege) -> String {
    let who = if p.euid == 0 {
        "root".to_string()
    } else {
        format!("uid {}", p.euid)
    };
    let frames = match (p.kpagecount, p.kpageflags) {
        (Access::Readable, Access::Readable) => "readable",
        (Access::Missing, _) | (_, Access::Missing) => "missing",
        _ => "denied",
    };
    tr!(
        "report-privilege",
        who = who,
        cap = if p.cap_sys_admin { "yes" } else { "no" },
        pfns = if p.pfns_visible { "yes" } else { "no" },
        frames = frames
    )
}

/// The first `model name` (x86) or `Processor`/`cpu model` line of /proc/cpuinfo.
fn cpu_model() -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        let key = key.trim();
        (key == "model name" || key == "cpu model" || key == "Processor")
            .then(|| value.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

/// `2026-12-02 04:15 UTC`: a date needs no time-zone database when it is said in UTC.
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {hour:02}:{minute:02} UTC")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        // 2000-02-29 12:34:56 UTC, a leap day of a century leap year.
        assert_eq!(utc(951_827_696), "2000-02-29 12:34 UTC");
        // 2024-12-31 23:59:59 UTC.
        assert_eq!(utc(1_735_689_599), "2024-12-31 23:59 UTC");
    }

    #[test]
    fn the_facts_are_the_kernels() {
        let m = Machine::read(&Inspector::new());
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        assert!(m.kernel.contains(release.trim()), "{}", m.kernel);
        assert_eq!(m.facts().len(), 10);
        assert!(m.cpus >= 1);
    }
}
