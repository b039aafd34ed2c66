//! vm-pagetable-cost on the real kernel: VmPTE grows by size/512 for dense use, by one
//! table page per touch for sparse use, and the claims are the same without root (none
//! of them needs privilege: VmPTE is in the process's own status file).

mod common;

use common::*;
use serde_json::Value;
use vmlab::demos::pagetable_cost::{Observation, Run};

const BIN: &str = env!("CARGO_BIN_EXE_vm-pagetable-cost");

/// The claims that need the 64 GiB reservation.
const SPARSE_CLAIMS: [&str; 3] = [
    "pagetable-cost-reserve",
    "pagetable-cost-sparse",
    "pagetable-cost-as-data",
];
/// The claims that need only the dense run, and the machine's RAM.
const DENSE_CLAIMS: [&str; 3] = [
    "pagetable-cost-dense",
    "pagetable-cost-munmap",
    "pagetable-cost-flat-ram",
];

/// Whether this machine lets a process reserve 64 GiB with MAP_NORESERVE.
fn can_reserve_64g() -> bool {
    let overcommit = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").unwrap();
    overcommit.trim() != "2"
}

fn reason<'a>(e: &'a Value, id: &str) -> &'a str {
    e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["reason"].as_str())
        .unwrap_or("")
}

/// VmPTE growth from the writes, and the drop at munmap, in bytes.
fn growth(r: &Run) -> i64 {
    r.touched.vm_pte as i64 - r.mapped.vm_pte as i64
}

#[test]
fn dense_use_costs_a_512th_and_sparse_use_a_table_per_touch() {
    let (code, e) = run_demo(BIN);
    let o: Observation = observation(&e);
    let page = page_size() as i64;
    assert_eq!(o.paging.page_size as i64, page);
    let slack = o.slack_tables as i64;
    assert!(slack <= 4, "the tolerance stays small: {slack} pages");
    check_dense(&o, &e, page, slack);
    check_flat_table(&o, &e, page);
    assert_eq!(
        claim_ids(&e),
        [
            "pagetable-cost-dense",
            "pagetable-cost-munmap",
            "pagetable-cost-reserve",
            "pagetable-cost-sparse",
            "pagetable-cost-as-data",
            "pagetable-cost-flat",
            "pagetable-cost-flat-ram",
        ]
    );
    if !can_reserve_64g() {
        // Strict overcommit: the sparse claims say why they cannot be checked.
        for id in SPARSE_CLAIMS {
            assert_eq!(verdict(&e, id), "unverifiable", "{id}");
            assert!(reason(&e, id).contains("overcommit"), "{id}");
        }
        return;
    }
    check_sparse(&o, page, slack);
    // Every kernel verdict holds, with and without root: nothing here needs privilege.
    for id in SPARSE_CLAIMS.iter().chain(&DENSE_CLAIMS) {
        assert_eq!(verdict(&e, id), "holds", "{id}\n{e:#}");
    }
    assert_eq!(code, 0);
    let left = o.end.vm_pte as i64 - o.start.vm_pte as i64;
    assert!(
        (0..=slack * page).contains(&left),
        "the tables of both regions are freed: {left} bytes left"
    );
}

/// (a) Dense: VmPTE grows by size / 512, within the upper tables and the slack, and
/// munmap gives the tables back.
fn check_dense(o: &Observation, e: &Value, page: i64, slack: i64) {
    let span = (page / 8) * page;
    let dense = o.dense.seen().expect("256 MiB can be mapped here");
    assert_eq!(dense.bytes, 256 << 20);
    let tables = dense.predicted_tables as i64;
    assert!(
        tables == dense.bytes as i64 / span || tables == dense.bytes as i64 / span + 1,
        "256 MiB spans {tables} lowest-level tables"
    );
    let g = growth(dense);
    let upper = dense.upper_tables as i64;
    assert!(
        g >= (tables - slack) * page && g <= (tables + upper + slack) * page,
        "dense VmPTE growth {g} vs {tables} tables (+{upper} upper, +{slack})"
    );
    // RssAnon may also count a few heap or stack pages the demo itself touched.
    let rss = dense.touched.rss_anon as i64 - dense.mapped.rss_anon as i64;
    assert!(
        rss >= dense.bytes as i64 && rss <= dense.bytes as i64 + 16 * page,
        "every page was written: RssAnon +{rss}"
    );
    assert_eq!(dense.anon_huge, 0, "MADV_NOHUGEPAGE: 4 KiB pages");
    // munmap frees the tables the region had to itself; a table at an unaligned edge
    // that also maps a neighbour stays (free_pgtables' floor and ceiling), hence slack.
    let freed = dense.touched.vm_pte as i64 - dense.unmapped.vm_pte as i64;
    assert!(
        freed >= (tables - slack) * page && freed <= g + slack * page,
        "munmap freed {freed} of {tables} tables (slack {slack})"
    );
    assert_eq!(verdict(e, "pagetable-cost-munmap"), "holds");
}

/// The flat table: one 8-byte entry per page of user space, 2^47 bytes with four
/// levels (2^35 entries, 256 GiB), 2^56 with five; theory's arithmetic.
fn check_flat_table(o: &Observation, e: &Value, page: i64) {
    let user_bits = o.paging.user_bits();
    assert!(user_bits == 47 || user_bits == 56);
    let flat = (1u64 << user_bits) / page as u64 * 8;
    assert_eq!(o.paging.flat_table_bytes(), flat);
    assert_eq!(verdict(e, "pagetable-cost-flat"), "computed");
    let total = *o.mem_total.seen().expect("/proc/meminfo has MemTotal");
    if flat > total {
        assert_eq!(verdict(e, "pagetable-cost-flat-ram"), "holds");
    }
}

/// (b) Sparse: one lowest-level table per touch, plus the tables above them.
fn check_sparse(o: &Observation, page: i64, slack: i64) {
    let span = (page / 8) * page;
    let sparse = o.sparse.seen().expect("64 GiB can be reserved here");
    let touches = sparse.touches as i64;
    assert_eq!(touches, (64i64 << 30) / span);
    assert_eq!(sparse.predicted_tables as i64, touches);
    assert_eq!(
        sparse.mapped.vm_pte, sparse.before.vm_pte,
        "mmap alone adds no table"
    );
    let g = growth(sparse);
    let upper = sparse.upper_tables as i64;
    assert!(
        g >= (touches - slack) * page && g <= (touches + upper + slack) * page,
        "sparse VmPTE growth {g} vs {touches} touches (+{upper} upper, +{slack})"
    );
    let rss = sparse.touched.rss_anon as i64 - sparse.mapped.rss_anon as i64;
    assert!(
        rss >= touches * page && rss <= (touches + 16) * page,
        "one page of data per touch: RssAnon +{rss}"
    );
    assert_eq!(sparse.anon_huge, 0);
    let ratio = g as f64 / rss as f64;
    assert!((0.95..=1.05).contains(&ratio), "tables/data = {ratio}");
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
    let rec: Observation = observation(&e);
    for id in DENSE_CLAIMS {
        assert_eq!(verdict(&e, id), "holds", "{id}");
    }
    for id in SPARSE_CLAIMS {
        assert_eq!(verdict(&e, id), "unverifiable", "{id}");
        assert!(reason(&e, id).contains("ulimit -v"), "{id}");
    }
    assert!(
        rec.sparse.reason().is_some_and(|r| r.contains("8 GiB")),
        "the reason names the limit: {:?}",
        rec.sparse
    );
    assert!(rec.dense.seen().is_some());
}

#[test]
fn unprivileged_run_makes_the_same_claims() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rec: Observation = observation(&e);
    assert!(rec.dense.seen().is_some(), "VmPTE needs no privilege");
    for id in DENSE_CLAIMS {
        assert_eq!(verdict(&e, id), "holds", "as nobody: {id}\n{e:#}");
    }
    for id in SPARSE_CLAIMS {
        let v = verdict(&e, id);
        assert!(
            v == "holds" || (v == "unverifiable" && !can_reserve_64g()),
            "as nobody: {id} is {v}\n{e:#}"
        );
    }
    assert_eq!(verdict(&e, "pagetable-cost-flat"), "computed");
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(claim_ids(&e), claim_ids(&privileged));
    }
}
