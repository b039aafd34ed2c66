//! vmlab run by an unprivileged user: the kernel hides frame numbers and denies the
//! frame files, and vmlab must say so once, show `hidden`, and still show the rest.
//! These tests need root to become another user (setpriv); as a normal user they
//! run the binary directly, which is the same situation.

mod common;

use std::process::Command;

use common::*;

#[test]
fn pages_says_once_what_is_hidden_and_shows_the_rest() {
    let Some(o) = run_unprivileged(VMLAB, &["pages", "self", "stack"]) else {
        return;
    };
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        err.matches("frame numbers (PFN) are hidden").count(),
        1,
        "one clear line: {err}"
    );
    assert!(err.contains("sudo"), "{err}");
    let present: Vec<&str> = out.lines().filter(|l| l.contains(" present ")).collect();
    assert!(!present.is_empty(), "the stack has present pages: {out}");
    for line in &present {
        assert!(
            line.contains(" hidden "),
            "PFN shown as hidden, not 0x0: {line}"
        );
        assert!(!line.contains(" 0x0 "), "{line}");
        // The exclusive bit is still shown to unprivileged users.
        assert!(line.contains(" yes ") || line.contains(" no "), "{line}");
    }
    assert!(out.contains(" present, "), "summary still printed: {out}");
}

#[test]
fn json_reports_the_privilege_and_nulls_not_zeros() {
    let Some(o) = run_unprivileged(VMLAB, &["pages", "self", "stack", "--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["privilege"]["pfns_visible"], false);
    assert_eq!(v["privilege"]["kpageflags"], "denied");
    assert!(v["notice"].as_str().unwrap().contains("hidden"));
    let rows = v["segments"][0]["pages"].as_array().unwrap();
    let present: Vec<_> = rows.iter().filter(|r| r["state"] == "present").collect();
    assert!(!present.is_empty());
    for r in present {
        assert!(
            r["pfn"].is_null() && r["pa"].is_null() && r["map_count"].is_null(),
            "{r}"
        );
    }
    assert!(v["summary"]["shared"].is_null(), "unknown, not zero");
    assert!(v["summary"]["zero_page"].is_null());
}

#[test]
fn maps_works_and_translate_says_hidden() {
    let Some(o) = run_unprivileged(VMLAB, &["maps", "self"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("[stack]"));
    assert!(
        stderr(&o).is_empty(),
        "maps needs no privilege: {}",
        stderr(&o)
    );

    // A process of the same unprivileged user, whose stack top is certainly present.
    let mut sleeper = if is_root() {
        as_nobody().args(["sleep", "30"]).spawn().unwrap()
    } else {
        Command::new("sleep").arg("30").spawn().unwrap()
    };
    let pid = sleeper.id().to_string();
    // Wait for setpriv to have exec'd sleep: until then the stack is setpriv's.
    let stack_top = loop {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap();
        if comm.trim() != "sleep" {
            std::thread::sleep(std::time::Duration::from_millis(5));
            continue;
        }
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
        if let Some(line) = maps.lines().find(|l| l.ends_with("[stack]")) {
            let end = line.split(['-', ' ']).nth(1).unwrap();
            break u64::from_str_radix(end, 16).unwrap() - 8;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let o = run_unprivileged(VMLAB, &["translate", &pid, &format!("{stack_top:#x}")]).unwrap();
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.contains("present=1"), "{out}");
    assert!(
        out.contains("hidden: the kernel shows frame numbers only to CAP_SYS_ADMIN"),
        "{out}"
    );
    assert!(!out.contains("PA = PFN"), "{out}");
}

#[test]
fn another_users_process_is_denied_with_the_reason() {
    if skip_unless_root("running vmlab as nobody against a root process") {
        return;
    }
    let Some(o) = run_unprivileged(VMLAB, &["maps", &my_pid()]) else {
        return;
    };
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.starts_with("error: permission denied reading"), "{err}");
    assert!(
        err.contains("belongs to uid 0 and you are uid 65534"),
        "{err}"
    );
}
