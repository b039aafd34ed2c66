//! Indexes the message catalogues (`src/i18n/{en,es}/*.ftl`, one file per area) at
//! build time: the areas, compiled in, and for each language which area defines each
//! message id, sorted for a binary search. `vmlab::i18n` includes the result.
//!
//! Built at run time instead, by a scan of every area, the index took about 0.4 ms of
//! every vmlab run: a sixth of a short `vmlab pages`.

use std::fmt::Write as _;
use std::path::Path;

const LANGS: [&str; 2] = ["en", "es"];

fn main() {
    for lang in LANGS {
        println!("cargo::rerun-if-changed=src/i18n/{lang}");
    }
    let areas = areas();
    let mut out = String::new();
    write_areas(&mut out, &areas);
    for lang in LANGS {
        write_index(&mut out, lang, &areas);
    }
    let path = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("catalogue_index.rs");
    std::fs::write(&path, out).expect("writing the catalogue index");
}

/// The areas: the English files' names, sorted. Each must exist in both languages.
fn areas() -> Vec<String> {
    let mut areas: Vec<String> = std::fs::read_dir("src/i18n/en")
        .expect("src/i18n/en")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".ftl").map(str::to_string)
        })
        .collect();
    areas.sort();
    assert!(areas.len() <= 256, "an area's index is a u8");
    for area in &areas {
        let es = format!("src/i18n/es/{area}.ftl");
        assert!(
            Path::new(&es).exists(),
            "{es} is missing: every area has both languages"
        );
    }
    areas
}

fn write_areas(out: &mut String, areas: &[String]) {
    out.push_str("/// Each area's name, English and Spanish catalogue text.\n");
    let _ = writeln!(
        out,
        "pub const AREAS: [(&str, &str, &str); {}] = [",
        areas.len()
    );
    for area in areas {
        let file = |lang: &str| {
            format!(
                "include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src/i18n/{lang}/{area}.ftl\"))"
            )
        };
        let _ = writeln!(out, "    ({area:?}, {}, {}),", file("en"), file("es"));
    }
    out.push_str("];\n");
}

/// `INDEX_EN` or `INDEX_ES`: every message id of the language, sorted, with the index
/// in `AREAS` of the area that defines it (the first, should two: the tests refuse
/// that).
fn write_index(out: &mut String, lang: &str, areas: &[String]) {
    let mut index: Vec<(String, usize)> = Vec::new();
    for (i, area) in areas.iter().enumerate() {
        let path = format!("src/i18n/{lang}/{area}.ftl");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        index.extend(message_ids(&text).map(|id| (id.to_string(), i)));
    }
    index.sort_by(|a, b| a.0.cmp(&b.0));
    index.dedup_by(|later, first| later.0 == first.0);
    let name = lang.to_uppercase();
    let _ = writeln!(out, "pub(crate) static INDEX_{name}: &[(&str, u8)] = &[");
    for (id, area) in index {
        let _ = writeln!(out, "    ({id:?}, {area}),");
    }
    out.push_str("];\n");
}

/// The ids of the messages `text` defines: its lines that start with an identifier
/// followed by `=` (comments start with `#`, attributes and continuations with a
/// space). The Fluent parser, run on every area by the tests, agrees.
fn message_ids(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(line.len());
        let (id, rest) = line.split_at(end);
        let starts = id.starts_with(|c: char| c.is_ascii_alphabetic());
        (starts && rest.trim_start().starts_with('=')).then_some(id)
    })
}
