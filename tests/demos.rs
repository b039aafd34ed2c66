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

/// claim id → verdict
fn verdicts(e: &Value) -> BTreeMap<String, String> {
    claim_ids(e)
        .into_iter()
        .map(|id| {
            let v = verdict(e, &id).to_string();
            (id, v)
        })
        .collect()
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

/// Every claim holds but the `computed` ones, which are theory's arithmetic.
#[track_caller]
fn all_hold_but_computed(name: &str, code: i32, e: &Value, computed: &[&str]) {
    for c in e["claims"].as_array().unwrap() {
        let (id, v) = (c["id"].as_str().unwrap(), c["verdict"].as_str().unwrap());
        let expected = if computed.contains(&id) {
            "computed"
        } else {
            "holds"
        };
        assert_eq!(v, expected, "vm-{name}: {id}: {c}");
    }
    assert_eq!(code, 0, "vm-{name}");
}

#[test]
fn translate_maps_two_addresses_to_one_frame() {
    use vmlab::demos::translate::Observation;
    let (code, e) = run_demo(binary("translate"));
    let o: Observation = observation(&e);
    // The whole page was read through B, and the one byte written through A is
    // there, at the offset it was written to, and nowhere else.
    assert_eq!(o.through_b.scanned, page_size());
    let bytes: Vec<(u64, u8)> = o
        .through_b
        .nonzero
        .iter()
        .map(|b| (b.offset, b.value))
        .collect();
    assert_eq!(bytes, [(0x234, 0x5a)]);
    assert_eq!(o.a.va.0 % page_size(), 0x234);
    assert_eq!(o.b.va.0 % page_size(), 0x234);
    assert_ne!(o.a.vpn, o.b.vpn, "two virtual pages");
    assert_eq!(verdict(&e, "translate-book-example"), "computed");
    let book = e["claims"][0]["kernel"].as_str().unwrap();
    assert!(book.ends_with("= 0x2234"), "{book}");
    if skip_unless_root("the PFN checks of vm-translate") {
        assert_eq!(code, 0);
        assert_eq!(verdict(&e, "translate-same-frame"), "unverifiable");
        return;
    }
    all_hold_but_computed("translate", code, &e, &["translate-book-example"]);
    let (a, b) = (
        o.a.page.pfn.expect("root sees A's frame"),
        o.b.page.pfn.expect("and B's"),
    );
    assert_eq!(a, b, "one frame behind both addresses");
    assert!(a.0 > 0);
}

/// Runs vm-isolation in a directory of its own, with core files allowed as far as
/// the hard limit does, and checks that the crash left no file there (core_pattern
/// may be a plain file name, written to the working directory; the soft limit may
/// be 0 and hide a dump).
fn run_isolation_where_cores_would_show() -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("vmlab-isolation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = demo_cmd(binary("isolation"));
    cmd.current_dir(&dir);
    // SAFETY: between fork and exec the hook only calls getrlimit and setrlimit, which
    // are async-signal-safe system calls, on a buffer of its own stack.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_CORE, &mut lim) == 0 {
                lim.rlim_cur = lim.rlim_max;
                libc::setrlimit(libc::RLIMIT_CORE, &lim);
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|f| f.file_name())
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(left.is_empty(), "the demo left files behind: {left:?}");
    out
}

#[test]
fn isolation_gives_one_address_three_frames_and_survives_a_crash() {
    use vmlab::demos::isolation::{Ending, Observation, Reply};
    let out = run_isolation_where_cores_would_show();
    let (code, e) = (out.status.code().unwrap_or(-1), experiment_of(&out));
    let o: Observation = observation(&e);
    let read: Vec<Option<u64>> = o
        .holders
        .iter()
        .map(|h| h.read_back.seen().copied())
        .collect();
    assert_eq!(read, [Some(0x11), Some(0x22), Some(0x33)]);
    for h in &o.holders {
        assert_eq!(h.page.va, o.address);
        assert!(h.page.present() && h.page.exclusive, "{h:?}");
    }
    assert!(
        !o.crasher.page.present(),
        "the third child has nothing there"
    );
    let segv = Ending::Killed {
        signal: "SIGSEGV".into(),
    };
    assert_eq!(o.crasher.ended.seen(), Some(&segv));
    let after: Vec<Option<Reply>> = o
        .holders
        .iter()
        .map(|h| h.after_crash.seen().copied())
        .collect();
    let values = [0x11, 0x22, 0x33].map(|v| Some(Reply::Value(v)));
    assert_eq!(
        after, values,
        "the others still answer, with their own values"
    );
    for id in [
        "isolation-own-values",
        "isolation-exclusive",
        "isolation-crash-signal",
        "isolation-siblings-survive",
        "isolation-parent-intact",
    ] {
        assert_eq!(verdict(&e, id), "holds", "{id}");
    }
    if skip_unless_root("the PFN checks of vm-isolation") {
        assert_eq!(code, 0);
        assert_eq!(verdict(&e, "isolation-three-frames"), "unverifiable");
        return;
    }
    all_hold("isolation", code, &e);
    let mut pfns: Vec<u64> = o.holders.iter().map(|h| h.page.pfn.unwrap().0).collect();
    pfns.sort_unstable();
    pfns.dedup();
    assert_eq!(pfns.len(), 3, "three frames behind one address");
    for h in &o.holders {
        let later = h.page_after_crash.seen().expect("its page after the crash");
        assert_eq!(
            later.pfn, h.page.pfn,
            "the crash moved no frame of {:?}",
            h.who
        );
    }
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
    shared_frames_as_root(&o, lib);
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
    ksm_merged_and_restored(ksm);
}

fn frame_of(p: &vmlab::demos::page::Page) -> u64 {
    p.pfn.expect("root sees frames").0
}

/// vm-shared as root: the frames each pair of mappings share, or do not.
fn shared_frames_as_root(
    o: &vmlab::demos::shared::Observation,
    lib: &vmlab::demos::shared::Library,
) {
    let pfn = frame_of;
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
}

/// vm-shared's KSM step: the pages merged into one frame, a write split one off, and
/// the settings it changed were put back.
fn ksm_merged_and_restored(ksm: &vmlab::demos::shared::Ksm) {
    let merged: Vec<u64> = ksm.merged.iter().map(frame_of).collect();
    assert!(merged.iter().all(|&p| p == merged[0]), "{merged:?}");
    assert_ne!(
        frame_of(&ksm.split),
        merged[0],
        "the write splits a copy off"
    );
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
fn segments_are_in_order_and_code_comes_in_on_demand() {
    use vmlab::demos::segments::{Observation, Thing};
    let (code, e) = run_demo(binary("segments"));
    // No claim needs privilege; the ASLR claims follow the machine's setting.
    all_hold("segments", code, &e);
    let o: Observation = observation(&e);
    let region = |thing: Thing| {
        o.items
            .iter()
            .find(|i| i.thing == thing)
            .and_then(|i| i.region.seen().cloned())
            .unwrap_or_else(|| panic!("no region for {thing:?}"))
    };
    assert_eq!(region(Thing::Function).kind, "text");
    assert_eq!(region(Thing::SmallMalloc).kind, "heap");
    assert_eq!(region(Thing::StackVariable).kind, "stack");
    assert_eq!(
        region(Thing::Argv).start,
        region(Thing::StackVariable).start
    );
    let aslr = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space").unwrap();
    assert_eq!(
        o.aslr.setting.seen().map(u8::to_string).as_deref(),
        Some(aslr.trim())
    );
    assert_eq!(o.runs.len(), 3);
    let stacks: Vec<u64> = o.runs.iter().map(|r| r.layout.stack.0).collect();
    match aslr.trim() {
        "0" => assert!(stacks.iter().all(|&s| s == stacks[0]), "{stacks:x?}"),
        _ => assert!(stacks.iter().any(|&s| s != stacks[0]), "{stacks:x?}"),
    }
    // The copies run this very binary: their text is as long as ours.
    let text = region(Thing::Function);
    let text_pages = (text.end.0 - text.start.0) / page_size();
    for r in &o.runs {
        let t = r.text.seen().expect("each copy counts its code pages");
        assert_eq!(t.total, text_pages);
        assert!(t.present < t.total, "{t:?}");
        assert_eq!(t.function.0 % page_size(), 0, "the function starts a page");
        assert!(!t.before && t.after, "mapped by its first call: {t:?}");
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
                // Theory's arithmetic needs no privilege either.
                "holds" | "computed" => {}
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
                claim_ids(&e),
                claim_ids(&privileged),
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
    assert_eq!(v["schema_version"], 3);
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
    let listed = stdout(&list);
    assert_eq!(listed.lines().filter(|l| l.starts_with("vm-")).count(), 14);
    // The summaries wrap to the screen: a narrow terminal gets no line wider than it.
    let narrow = stdout(&vmlab(&["demos", "--width", "60"]));
    for line in narrow.lines() {
        assert!(line.chars().count() <= 60, "wider than 60: {line}");
    }
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
        skipped("this kernel has no KSM");
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
    assert_eq!(out.matches("note: frame numbers").count(), 0, "{out}");
    let err = stderr(&o);
    assert_eq!(err.matches("note: frame numbers").count(), 1, "{err}");
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

#[test]
fn the_tour_reads_in_spanish_and_fits_the_width() {
    let _ksm = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let runs = [
        (
            "--lang es",
            vmlab_cmd(&["tour", "--lang", "es", "--width", "80", "--color", "never"]),
        ),
        ("LANG=es_ES", {
            let mut c = vmlab_cmd(&["tour", "--width", "60", "--color", "never"]);
            c.env("LANG", "es_ES.UTF-8");
            c
        }),
    ];
    for (how, mut cmd) in runs {
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{how}: {}", stderr(&o));
        let out = stdout(&o);
        let width = if how == "LANG=es_ES" { 60 } else { 80 };
        for line in out.lines() {
            assert!(
                columns(line) <= width,
                "{how}: wider than {width}: {line:?}"
            );
        }
        assert!(out.contains("resumen del recorrido"), "{how}");
        assert!(out.contains("afirmaciones"), "{how}");
        let english = english_lines(&out);
        assert!(
            english.is_empty(),
            "{how}: English in the Spanish tour: {english:#?}"
        );
    }
    let o = vmlab(&["tour", "--width", "60", "--color", "never"]);
    for line in stdout(&o).lines() {
        assert!(columns(line) <= 60, "English at 60: {line:?}");
    }
}
