//! Every JSON document vmlab prints follows the rules of docs/json.md: the top level
//! is an object with the current `schema_version`, every key at any depth is a
//! snake_case identifier, and addresses, VPNs and PFNs are hex strings. The test runs
//! every command's `--json`: the tour, each demo, each simulator (problem, solution,
//! grade), and the inspector.

mod common;

use common::*;
use serde_json::Value;

/// The schema version every document carries (vmlab::json::SCHEMA_VERSION).
const SCHEMA_VERSION: u64 = vmlab::json::SCHEMA_VERSION as u64;

/// Keys whose values name places in memory: hex strings (or null, or lists of them).
const HEX_KEYS: [&str; 8] = [
    "va",
    "pa",
    "vpn",
    "pfn",
    "last_pfn",
    "address",
    "page_base",
    "entry_addr",
];

fn is_snake_case(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_hex(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s
            .strip_prefix("0x")
            .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())),
        Value::Array(items) => items.iter().all(is_hex),
        _ => false,
    }
}

/// Every rule broken anywhere in `v`, with the path where.
fn problems(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let at = format!("{path}.{k}");
                if !is_snake_case(k) {
                    out.push(format!("{at}: key is not snake_case"));
                }
                if HEX_KEYS.contains(&k.as_str()) && !is_hex(child) {
                    out.push(format!("{at}: {child} is not a hex string"));
                }
                problems(child, &at, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                problems(child, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Runs `vmlab ARGS --json` and returns what is wrong with its document.
fn check(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--json");
    let o = vmlab(&all);
    // A demo whose claim the kernel contradicts exits 1, a wrong answer too: the
    // document is still whole.
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{all:?}: {:?}\n{}",
        o.status,
        stderr(&o)
    );
    let doc: Value = match serde_json::from_slice(&o.stdout) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("{all:?}: not JSON ({e})")],
    };
    let mut found = Vec::new();
    if doc["schema_version"].as_u64() != Some(SCHEMA_VERSION) {
        found.push(format!("no schema_version {SCHEMA_VERSION} at the top"));
    }
    problems(&doc, "", &mut found);
    found.into_iter().map(|p| format!("{all:?}: {p}")).collect()
}

fn assert_all(commands: &[Vec<String>]) {
    let mut found = Vec::new();
    for c in commands {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        found.extend(check(&args));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

#[test]
fn the_tour_and_every_demo_follow_the_json_rules() {
    let list = vmlab_json(&["demos"]);
    let mut commands = vec![strings(&["tour"]), strings(&["demos"])];
    for d in list["demos"].as_array().unwrap() {
        commands.push(strings(&["demo", d["name"].as_str().unwrap()]));
    }
    assert!(commands.len() >= 14, "{commands:?}");
    assert_all(&commands);
}

#[test]
fn every_simulator_follows_the_json_rules() {
    let answers = write_temp("json-answers", "1: 0x10\n2: fallo\n");
    let check_file = answers.display().to_string();
    let mut commands = Vec::new();
    for sim in SIMS {
        commands.push(strings(&["sim", sim, "--seed", "3"]));
        commands.push(strings(&["sim", sim, "--seed", "3", "--solve"]));
        commands.push(strings(&[
            "sim",
            sim,
            "--seed",
            "3",
            "--check",
            &check_file,
        ]));
    }
    assert_all(&commands);
    let _ = std::fs::remove_file(answers);
}

#[test]
fn the_inspector_follows_the_json_rules() {
    let map = shared_memfd("vmlab-json-rules", 2, 1);
    let va = format!("{:#x}", map.as_ptr() as u64 + 0x10);
    let pid = my_pid();
    let mut commands = vec![
        strings(&["maps", &pid]),
        strings(&["pages", &pid, "stack"]),
        strings(&["pages", &pid, "--runs"]),
        strings(&["pages", &pid, "--summary"]),
        strings(&["pages", &pid, "--summary", "--map-counts"]),
        strings(&["translate", &pid, &va]),
        strings(&["translate", &pid, "0x1000"]),
        strings(&["cache", "/proc/self/exe"]),
        strings(&["flags"]),
        strings(&["course"]),
        strings(&["glossary"]),
    ];
    if is_root() {
        commands.push(strings(&["maps", &pid, "--verify"]));
        commands.push(strings(&["frames", "0x1000+512"]));
        commands.push(strings(&["frames", "0x1000+512", "--summary"]));
    } else {
        skipped("frames and maps --verify --json need root");
    }
    assert_all(&commands);
    drop(map);
}

#[test]
fn the_checker_catches_what_breaks_the_rules() {
    let bad = serde_json::json!({
        "function_(text)": 1,
        "rows": [{"pfn": 12, "va": "0x1000"}],
        "map_counts": {"1": 5},
    });
    let mut found = Vec::new();
    problems(&bad, "", &mut found);
    assert_eq!(found.len(), 3, "{found:#?}");
}
