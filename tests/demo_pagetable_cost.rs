//! vm-pagetable-cost on the real kernel: VmPTE grows by size/512 for dense use, by one
//! table page per touch for sparse use, and the claims are the same without root (none
//! of them needs privilege: VmPTE is in the process's own status file).

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-pagetable-cost");

/// Whether this machine lets a process reserve 64 GiB with MAP_NORESERVE.
fn can_reserve_64g() -> bool {
    let overcommit = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").unwrap();
    overcommit.trim() != "2"
}

#[test]
fn dense_use_costs_a_512th_and_sparse_use_a_table_per_touch() {
    let (code, e) = run_demo(BIN);
    let page = page_size() as i64;
    assert_eq!(signed(&e, "page_size"), page);
    let entries = page / 8;
    assert_eq!(signed(&e, "entries_per_table"), entries);
    let slack = signed(&e, "slack_tables");
    assert!(slack <= 4, "the tolerance stays small: {slack} pages");

    // (a) Dense: VmPTE grows by size / 512, within the upper tables and the slack.
    let dense = signed(&e, "dense_bytes");
    assert_eq!(dense, 256 << 20);
    let tables = signed(&e, "dense_predicted_tables");
    let span = entries * page;
    assert!(
        tables == dense / span || tables == dense / span + 1,
        "256 MiB spans {tables} lowest-level tables"
    );
    let growth = signed(&e, "dense_vmpte_growth");
    let upper = signed(&e, "dense_upper_tables");
    assert!(
        growth >= (tables - slack) * page && growth <= (tables + upper + slack) * page,
        "dense VmPTE growth {growth} vs {tables} tables (+{upper} upper, +{slack})"
    );
    // RssAnon may also count a few heap or stack pages the demo itself touched.
    let rss = signed(&e, "dense_rss_growth");
    assert!(
        rss >= dense && rss <= dense + 16 * page,
        "every page was written: RssAnon +{rss}"
    );
    assert_eq!(
        signed(&e, "dense_anon_huge"),
        0,
        "MADV_NOHUGEPAGE: 4 KiB pages"
    );
    let freed = signed(&e, "dense_vmpte_freed");
    assert!(
        freed >= tables * page && freed <= growth,
        "munmap freed {freed}"
    );

    // The flat table: 2^(va_bits - 12) entries x 8 bytes.
    let va_bits = signed(&e, "va_bits");
    assert!(va_bits == 48 || va_bits == 57);
    assert_eq!(
        signed(&e, "flat_table_bytes"),
        (1i64 << (va_bits - page.trailing_zeros() as i64)) * 8
    );

    let all = claims(&e);
    assert_eq!(all.len(), 6, "{all:?}");
    if !can_reserve_64g() {
        // Strict overcommit: the sparse claims say why they cannot be checked.
        for (s, v, reason) in &all[2..5] {
            assert_eq!(v, "unverifiable", "{s}");
            assert!(reason.contains("overcommit"), "{s}: {reason}");
        }
        return;
    }
    // (b) Sparse: one lowest-level table per touch, plus the tables above them.
    let touches = signed(&e, "sparse_touches");
    assert_eq!(touches, (64i64 << 30) / span);
    assert_eq!(signed(&e, "sparse_predicted_tables"), touches);
    assert_eq!(
        signed(&e, "sparse_vmpte_mapped_growth"),
        0,
        "mmap alone adds no table"
    );
    let growth = signed(&e, "sparse_vmpte_growth");
    let upper = signed(&e, "sparse_upper_tables");
    assert!(
        growth >= (touches - slack) * page && growth <= (touches + upper + slack) * page,
        "sparse VmPTE growth {growth} vs {touches} touches (+{upper} upper, +{slack})"
    );
    let rss = signed(&e, "sparse_rss_growth");
    assert!(
        rss >= touches * page && rss <= (touches + 16) * page,
        "one page of data per touch: RssAnon +{rss}"
    );
    assert_eq!(signed(&e, "sparse_anon_huge"), 0);
    let ratio = growth as f64 / rss as f64;
    assert!((0.95..=1.05).contains(&ratio), "tables/data = {ratio}");

    // Every verdict holds, with and without root: nothing here needs privilege.
    for (s, v, _) in &all {
        assert_eq!(v, "holds", "{s}\n{e:#}");
    }
    assert_eq!(code, 0);
    let left = signed(&e, "vmpte_end") - signed(&e, "vmpte_start");
    assert!(
        (0..=slack * page).contains(&left),
        "the tables of both regions are freed: {left} bytes left"
    );
}

/// With an address-space limit below 64 GiB the reservation is refused: the sparse
/// claims are unverifiable with the reason, the dense ones still hold.
#[test]
fn a_refused_reservation_is_unverifiable_not_contradicted() {
    use std::os::unix::process::CommandExt;
    let mut c = demo_cmd(BIN);
    // SAFETY: setrlimit(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 8 << 30,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(&o), stdout(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = claims(&e);
    assert_eq!(all.len(), 6);
    for (s, v, _) in all[..2].iter().chain(&all[5..]) {
        assert_eq!(v, "holds", "{s}");
    }
    for (s, v, reason) in &all[2..5] {
        assert_eq!(v, "unverifiable", "{s}");
        assert!(reason.contains("ulimit -v"), "{s}: {reason}");
    }
    assert!(e["observations"].get("sparse_vmpte_growth").is_none());
}

#[test]
fn unprivileged_run_makes_the_same_claims() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mine = claims(&e);
    for (s, v, reason) in &mine {
        match v.as_str() {
            "holds" => {}
            "unverifiable" => assert!(
                reason.contains("root") || reason.contains("sudo") || !can_reserve_64g(),
                "'{s}' unverifiable for another reason: {reason}"
            ),
            _ => panic!("as nobody: '{s}' is {v}\n{e:#}"),
        }
    }
    assert!(e["outcome"]["held"].as_u64().unwrap() >= 1);
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(statements(&e), statements(&privileged));
    }
}
