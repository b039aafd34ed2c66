//! The inspector fits the screen: at `--width 80` and `--width 60`, in English and in
//! Spanish, no line of `maps`, `pages`, `translate`, `frames`, `cache` or `flags` is
//! wider (Unicode display width), notes on stderr included; `--wide` keeps every
//! column. As root the rows carry frames, map counts and flags, their widest form.

mod common;

use common::*;

/// Every inspector command worth laying out, on this test process.
fn commands(va_present: u64, va_absent: u64) -> Vec<Vec<String>> {
    let pid = my_pid();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut all = vec![
        s(&["maps", &pid]),
        s(&["pages", &pid, "--runs"]),
        s(&["pages", &pid, "stack"]),
        s(&[
            "pages",
            &pid,
            "memfd:vmlab-a-rather-long-name-for-a-width-test",
        ]),
        s(&["pages", &pid, &format!("{va_present:#x}+16K")]),
        s(&["pages", &pid, "--summary"]),
        s(&["translate", &pid, &format!("{:#x}", va_present + 0x123)]),
        s(&["translate", &pid, &format!("{va_absent:#x}")]),
        s(&["translate", &pid, "0x1000"]),
        s(&["cache", "/proc/self/exe"]),
        s(&["flags"]),
    ];
    if is_root() {
        all.push(s(&["maps", &pid, "--verify"]));
        all.push(s(&["frames", "0x1000+512"]));
        all.push(s(&["frames", "0x1000+4096", "--summary"]));
        all.push(s(&["frames", "0x1000+512", "--raw"]));
    } else {
        skipped("frames and maps --verify at 60 and 80 columns need root");
    }
    all
}

#[test]
fn the_inspector_fits_80_and_60_columns_in_both_languages() {
    let map = shared_memfd("vmlab-a-rather-long-name-for-a-width-test", 4, 3);
    let absent = memmap2::MmapMut::map_anon(page_size() as usize).unwrap();
    let (present, untouched) = (map.as_ptr() as u64, absent.as_ptr() as u64);
    let mut failures = Vec::new();
    for args in commands(present, untouched) {
        for lang in ["en", "es"] {
            for width in [80usize, 60] {
                let w = width.to_string();
                let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
                all.extend(["--lang", lang, "--width", &w, "--color", "never"]);
                let o = vmlab(&all);
                assert!(o.status.success(), "{all:?}: {}", stderr(&o));
                let text = format!("{}{}", stdout(&o), stderr(&o));
                for line in too_wide(&text, width) {
                    failures.push(format!("{all:?}: {line}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    drop((map, absent));
}

#[test]
fn the_spanish_inspector_reads_as_spanish() {
    let map = shared_memfd("vmlab-spanish-inspector", 2, 3);
    let va = map.as_ptr() as u64;
    let pid = my_pid();
    for args in [
        vec!["maps", &pid],
        vec!["pages", &pid, "stack"],
        vec!["pages", &pid, "--summary"],
    ] {
        let mut all = args.clone();
        all.extend(["--lang", "es", "--color", "never"]);
        let o = vmlab(&all);
        let out = format!("{}{}", stdout(&o), stderr(&o));
        let english = english_lines(&out);
        assert!(english.is_empty(), "{all:?}: {english:#?}");
    }
    let at = format!("{:#x}", va + 0x10);
    let o = vmlab(&["translate", &pid, &at, "--lang", "es"]);
    let out = stdout(&o);
    assert!(out.contains("desplazamiento 0x10"), "{out}");
    assert!(english_lines(&out).is_empty(), "{out}");
    drop(map);
}

#[test]
fn wide_tables_leave_columns_out_and_wide_brings_them_back() {
    let map = shared_memfd("vmlab-wide-columns", 2, 3);
    let range = format!("{:#x}+8K", map.as_ptr() as u64);
    let pid = my_pid();
    let o = vmlab(&["pages", &pid, &range, "--width", "60"]);
    let out = stdout(&o);
    assert!(out.contains("left out to fit 60 columns: PA, VPN"), "{out}");
    let o = vmlab(&["pages", &pid, &range, "--width", "60", "--lang", "es"]);
    let out = stdout(&o);
    assert!(out.contains("se omite para caber en 60 columnas"), "{out}");
    let o = vmlab(&["pages", &pid, &range, "--width", "60", "--wide"]);
    let out = stdout(&o);
    let header = out.lines().next().unwrap_or_default();
    for column in [
        "VA", "VPN", "STATE", "PFN", "PA", "MAPS", "EXCL", "SDIRTY", "FLAGS",
    ] {
        assert!(header.split_whitespace().any(|c| c == column), "{header}");
    }
    assert!(!out.contains("left out"), "{out}");
    drop(map);
}
