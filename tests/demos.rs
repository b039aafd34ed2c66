//! The demos on the real kernel: each binary runs, and its verdicts and the
//! observations behind them are checked, as root (frames visible) and as nobody
//! (frames hidden: those claims must be Unverifiable, the rest must hold).

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::*;
use serde_json::Value;

const DEMOS: [(&str, &str); 5] = [
    ("segments", env!("CARGO_BIN_EXE_vm-segments")),
    ("translate", env!("CARGO_BIN_EXE_vm-translate")),
    ("isolation", env!("CARGO_BIN_EXE_vm-isolation")),
    ("cow", env!("CARGO_BIN_EXE_vm-cow")),
    ("shared", env!("CARGO_BIN_EXE_vm-shared")),
];

/// vm-shared starts KSM for a moment (runs of it take turns through an flock). The
/// test that compares the KSM settings before and after a run must not see another
/// test's run in between, so tests that run vm-shared take this lock too.
static KSM: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn binary(name: &str) -> &'static str {
    DEMOS.iter().find(|(n, _)| *n == name).unwrap().1
}

/// statement → verdict
fn verdicts(e: &Value) -> BTreeMap<String, String> {
    claims(e).into_iter().map(|(s, v, _)| (s, v)).collect()
}

#[track_caller]
fn all_hold(name: &str, code: i32, e: &Value) {
    let v = verdicts(e);
    let not_holding: Vec<_> = v
        .iter()
        .filter(|(_, verdict)| *verdict != "holds")
        .collect();
    assert!(not_holding.is_empty(), "vm-{name}: {not_holding:?}\n{e:#}");
    assert_eq!(code, 0, "vm-{name}");
    assert_eq!(e["outcome"]["contradicted"], 0);
}

#[test]
fn cow_shares_then_copies_only_written_pages() {
    use vmlab::demos::cow::Observation;
    let (code, e) = run_demo(binary("cow"));
    let o: Observation = observation(&e);
    let faults = o.child_faults.seen().expect("the child reports its faults");
    assert_eq!(faults.first, 3, "one write fault per written page");
    assert_eq!(faults.again, 0, "a copy is writable at once");
    assert_eq!(
        o.parent_faults.first, 3,
        "the parent's entries were read-only too"
    );
    assert_eq!(o.perms_after_fork.seen().map(String::as_str), Some("rw-p"));
    if skip_unless_root("the PFN checks of vm-cow") {
        assert_eq!(code, 0);
        return;
    }
    all_hold("cow", code, &e);
    let pfns = |pages: &[vmlab::demos::page::Page]| -> Vec<u64> {
        pages
            .iter()
            .map(|p| p.pfn.expect("root sees frames").0)
            .collect()
    };
    let before = pfns(&o.before_fork);
    assert_eq!(
        pfns(&o.parent_after_fork),
        pfns(&o.child_after_fork),
        "fork shares every frame"
    );
    assert_eq!(
        before,
        pfns(&o.parent_after_fork),
        "fork moves no frame of the parent"
    );
    assert!(o.parent_after_fork.iter().all(|p| p.map_count == Some(2)));
    let after = pfns(&o.child_after_child_write);
    for i in 0..8 {
        if i < 3 {
            assert_ne!(after[i], before[i], "written page {i} was copied");
        } else {
            assert_eq!(after[i], before[i], "page {i} was not written, not copied");
        }
    }
    assert_eq!(pfns(&o.parent_after_child_write), before);
    assert_eq!(
        pfns(&o.parent_after_own_write),
        before,
        "the parent's write reuses"
    );
}

#[test]
fn translate_maps_two_addresses_to_one_frame() {
    let (code, e) = run_demo(binary("translate"));
    assert_eq!(obs(&e, "read_via_b"), 0x5a);
    if skip_unless_root("the PFN checks of vm-translate") {
        assert_eq!(code, 0);
        return;
    }
    all_hold("translate", code, &e);
    assert_eq!(obs(&e, "pfn_a"), obs(&e, "pfn_b"));
    assert!(obs(&e, "pfn_a").as_u64().unwrap() > 0);
}

#[test]
fn isolation_gives_one_address_two_frames() {
    let (code, e) = run_demo(binary("isolation"));
    assert_eq!(obs(&e, "read_a"), 0x11);
    assert_eq!(obs(&e, "read_b"), 0x22);
    if skip_unless_root("the PFN checks of vm-isolation") {
        assert_eq!(code, 0);
        return;
    }
    all_hold("isolation", code, &e);
    assert_ne!(obs(&e, "pfn_a"), obs(&e, "pfn_b"));
}

#[test]
fn shared_frames_are_shared_and_ksm_is_restored() {
    use vmlab::demos::shared::Observation;
    let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    let (code, e) = run_demo(binary("shared"));
    assert_eq!(
        before,
        ksm_settings(),
        "vm-shared restores every KSM setting"
    );
    let o: Observation = observation(&e);
    assert_eq!(o.anon.child_wrote.seen(), Some(&0x42));
    assert_eq!(
        o.anon.parent_read, 0x42,
        "the parent sees the child's write"
    );
    assert_eq!(
        o.file.child_read, 0x46,
        "the child reads the file through its mapping"
    );
    assert_eq!(
        o.private.file_byte.seen(),
        Some(&0x46),
        "the file is unchanged"
    );
    let lib = o.library.seen().expect("this program uses a shared libc");
    let charge = lib.charge.seen().expect("smaps is readable");
    assert!(
        charge.pss < charge.rss,
        "libc's code is shared: PSS {} < RSS {}",
        charge.pss,
        charge.rss
    );
    if skip_unless_root("the PFN checks of vm-shared") {
        assert_eq!(code, 0);
        assert!(o.ksm.reason().unwrap().contains("root"));
        return;
    }
    let pfn = |p: &vmlab::demos::page::Page| p.pfn.expect("root sees frames").0;
    assert_eq!(pfn(&o.anon.parent), pfn(&o.anon.child));
    assert_eq!(pfn(&o.file.parent), pfn(&o.file.child));
    assert!(o.file.parent.file_or_shared && o.file.child.file_or_shared);
    assert_eq!(
        pfn(&o.private.cache),
        pfn(&o.private.read),
        "a read private page is the page-cache frame"
    );
    assert_ne!(
        pfn(&o.private.read),
        pfn(&o.private.written),
        "a written private page is a copy"
    );
    assert!(!lib.here.is_empty());
    assert!(
        lib.here
            .iter()
            .zip(&lib.there)
            .all(|(a, b)| pfn(a) == pfn(b))
    );
    assert!(lib.here.iter().all(|p| p.map_count >= Some(2)));
    let Some(ksm) = o.ksm.seen() else {
        // Without KSM the two KSM claims are unverifiable; the rest must hold.
        assert!(!std::path::Path::new("/sys/kernel/mm/ksm/run").exists());
        for c in e["claims"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            if !id.starts_with("shared-ksm-") {
                assert_eq!(c["verdict"], "holds", "{id}");
            }
        }
        return;
    };
    all_hold("shared", code, &e);
    let merged: Vec<u64> = ksm.merged.iter().map(pfn).collect();
    assert!(merged.iter().all(|&p| p == merged[0]), "{merged:?}");
    assert_ne!(pfn(&ksm.split), merged[0], "the write splits a copy off");
    // The settings it narrates are the ones it wrote and the ones it put back.
    let set: Vec<(&str, &str)> = ksm
        .set
        .iter()
        .map(|k| (k.name.as_str(), k.value.as_str()))
        .collect();
    assert_eq!(
        set,
        [
            ("pages_to_scan", "10000"),
            ("sleep_millisecs", "10"),
            ("run", "1")
        ]
    );
    assert_eq!(ksm.after, ksm.restored, "read back as written back");
    for k in &ksm.restored {
        let now = std::fs::read_to_string(format!("/sys/kernel/mm/ksm/{}", k.name)).unwrap();
        assert_eq!(now.trim(), k.value, "{}", k.name);
    }
}

/// The KSM settings vm-shared changes, as they are now.
fn ksm_settings() -> Vec<Option<String>> {
    ["run", "pages_to_scan", "sleep_millisecs"]
        .iter()
        .map(|k| std::fs::read_to_string(format!("/sys/kernel/mm/ksm/{k}")).ok())
        .collect()
}

#[test]
fn segments_are_in_order_with_their_permissions() {
    let (code, e) = run_demo(binary("segments"));
    // The layout claims need no privilege; the ASLR claim follows the machine's setting.
    all_hold("segments", code, &e);
    let aslr = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space").unwrap();
    assert_eq!(obs(&e, "randomize_va_space").to_string(), aslr.trim());
    let text = verdicts(&e);
    match aslr.trim() {
        "0" => assert!(text.contains_key("with ASLR off, every run gets the same layout")),
        _ => assert!(
            text.contains_key("with ASLR on, the stack and the mmap area move at every run")
        ),
    }
}

#[test]
fn unprivileged_runs_hide_frames_and_prove_the_rest() {
    for (name, bin) in DEMOS {
        let Some(o) = run_unprivileged(bin, &["--json"]) else {
            return;
        };
        assert_eq!(
            o.status.code(),
            Some(0),
            "vm-{name} as nobody: {}",
            stderr(&o)
        );
        let e: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            e["notice"].as_str().unwrap_or("").contains("hidden"),
            "vm-{name}"
        );
        for c in e["claims"].as_array().unwrap() {
            let verdict = c["verdict"].as_str().unwrap();
            let statement = c["statement"].as_str().unwrap();
            match verdict {
                "holds" => {}
                "unverifiable" => {
                    let reason = c["reason"].as_str().unwrap();
                    assert!(
                        reason.contains("root") || reason.contains("sudo"),
                        "vm-{name}: '{statement}' unverifiable for another reason: {reason}"
                    );
                }
                _ => panic!("vm-{name} as nobody: '{statement}' is {verdict}: {c}"),
            }
        }
        // Each demo still proves something without privilege.
        assert!(e["outcome"]["held"].as_u64().unwrap() >= 1, "vm-{name}");
        // And it makes the same claims as with root, so that --json has one shape.
        if is_root() {
            let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
            let (_, privileged) = run_demo(bin);
            assert_eq!(
                statements(&e),
                statements(&privileged),
                "vm-{name}: the claims differ with and without root"
            );
        }
    }
}

#[test]
fn tour_runs_every_demo_in_order() {
    let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let o = vmlab(&["tour", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema_version"], 2);
    let experiments = v["experiments"].as_array().unwrap();
    let names: Vec<&str> = experiments
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    let claims: usize = experiments.iter().map(|e| claim_ids(e).len()).sum();
    assert_eq!(
        v["totals"]["held"].as_u64().unwrap() as usize
            + ["contradicted", "unverifiable", "computed"]
                .iter()
                .map(|k| v["totals"][k].as_u64().unwrap() as usize)
                .sum::<usize>(),
        claims,
        "the totals count every claim once"
    );
    assert_eq!(
        names,
        [
            "segments",
            "translate",
            "isolation",
            "cow",
            "shared",
            "protect",
            "demand",
            "zeropage",
            "dirty",
            "pagetable-cost",
            "hugepages",
            "fragmentation",
            "tlb",
            "faultcost"
        ]
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = vmlab(&["tour"]);
    let out = stdout(&text);
    assert!(out.contains("[1/14] vm-segments"), "{out}");
    assert!(out.contains("tour summary"), "{out}");
    let list = vmlab(&["demos"]);
    assert_eq!(stdout(&list).lines().count(), 14);
}

#[test]
fn bad_demo_names_and_flags() {
    let o = vmlab(&["demo", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown demo 'nope'; the demos are: segments, translate"));
    let o = Command::new(binary("cow"))
        .args(["--plot", "x.svg"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("vm-cow has no --plot option"));
    let o = vmlab(&["demo", "cow", "--max-pages", "4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("vm-cow has no --max-pages option"));
    let o = Command::new(binary("cow")).arg("--bogus").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--bogus"));
    let o = Command::new(binary("cow")).arg("--help").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with("fork() shares frames"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn concurrent_ksm_runs_take_turns_and_restore_the_settings() {
    if skip_unless_root("starting KSM") {
        return;
    }
    if !std::path::Path::new("/sys/kernel/mm/ksm/run").exists() {
        eprintln!("skipped: this kernel has no KSM");
        return;
    }
    let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    let runs: Vec<_> = (0..3)
        .map(|_| std::thread::spawn(|| run_demo(binary("shared"))))
        .collect();
    for handle in runs {
        let (code, e) = handle.join().expect("a run thread panicked");
        all_hold("shared", code, &e);
        // Each run had its turn: it found the settings as they were before any run,
        // not another run's, and put them back.
        let o: vmlab::demos::shared::Observation = observation(&e);
        let ksm = o.ksm.seen().expect("every run got its turn at KSM");
        let mut found: Vec<(String, String)> = ksm
            .restored
            .iter()
            .map(|k| (k.name.clone(), k.value.clone()))
            .collect();
        found.sort();
        let mut was: Vec<(String, String)> = ["run", "pages_to_scan", "sleep_millisecs"]
            .iter()
            .zip(&before)
            .map(|(k, v)| {
                (
                    k.to_string(),
                    v.clone().unwrap_or_default().trim().to_string(),
                )
            })
            .collect();
        was.sort();
        assert_eq!(
            found, was,
            "a run saw another run's settings as the old ones"
        );
    }
    assert_eq!(
        before,
        ksm_settings(),
        "three overlapping runs leave KSM as it was"
    );
}

#[test]
fn an_unprivileged_tour_says_once_what_is_hidden() {
    let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let Some(o) = run_unprivileged(VMLAB, &["tour", "--color", "never"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("note: frame numbers").count(), 1, "{out}");
}

/// Display width of a line, as a terminal shows it (wide characters count two).
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

#[test]
fn a_brief_tour_is_one_screenful_of_verdicts() {
    let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
    for (lang, width) in [("en", "80"), ("es", "60")] {
        let o = vmlab(&[
            "tour", "--brief", "--color", "never", "--lang", lang, "--width", width,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() <= 150, "{} lines:\n{out}", lines.len());
        let width: usize = width.parse().unwrap();
        for line in &lines {
            assert!(columns(line) <= width, "wider than {width}: {line:?}");
        }
        // One line per claim: the JSON of the same tour has as many claims.
        let marks = lines
            .iter()
            .filter(|l| l.contains(" ✓ ") || l.contains(" ? ") || l.contains(" = "))
            .count();
        assert!(marks >= 100, "{out}");
    }
}
