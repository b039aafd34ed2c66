//! The rules every JSON document vmlab prints follows (docs/json.md tells users):
//!
//! - the top level is an object with a `schema_version`, the same number in every
//!   document, that grows when a field changes meaning or goes away;
//! - keys are snake_case identifiers (`^[a-z][a-z0-9_]*$`), never labels or numbers:
//!   a table keyed by numbers becomes a list of objects;
//! - addresses (virtual and physical), page offsets, VPNs and PFNs are hex strings
//!   (`"0x7f12a000"`): they are read as hex, and 5-level paging puts user addresses
//!   past 2^53, where many JSON readers lose digits; counts, sizes in bytes, times
//!   and bit positions are numbers.

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Serialize, Serializer};

use crate::error::{Error, Result};

/// The version of the shape of every JSON document vmlab prints (experiments, the
/// tour, the inspector, the simulators).
pub const SCHEMA_VERSION: u32 = 3;

/// A top-level document: `schema_version` and then the fields of `body`, which must
/// serialize as an object (a struct or a map).
#[derive(Serialize)]
pub struct Document<'a, T: Serialize + ?Sized> {
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// `body` as a top-level document.
pub fn document<T: Serialize + ?Sized>(body: &T) -> Document<'_, T> {
    Document {
        schema_version: SCHEMA_VERSION,
        body,
    }
}

/// Writes `body` as a top-level document, pretty, and a newline.
pub fn write<T: Serialize + ?Sized>(out: &mut dyn Write, body: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(body))
        .map_err(|e| Error::Output(e.into()))?;
    writeln!(out).map_err(Error::Output)
}

/// The start of a streamed top-level document: `{"schema_version":N,` (the caller
/// writes the fields and the closing brace).
pub fn stream_start(out: &mut dyn Write) -> Result<()> {
    write!(out, "{{\"schema_version\":{SCHEMA_VERSION},").map_err(Error::Output)
}

/// Numbers that name places in memory, and the shapes they come in (one, maybe one,
/// a list, a range), as JSON with every number a hex string.
pub trait Hexed {
    fn hexed(&self) -> serde_json::Value;
}

impl Hexed for u64 {
    fn hexed(&self) -> serde_json::Value {
        serde_json::Value::String(format!("{self:#x}"))
    }
}

impl Hexed for usize {
    fn hexed(&self) -> serde_json::Value {
        (*self as u64).hexed()
    }
}

impl<T: Hexed> Hexed for Option<T> {
    fn hexed(&self) -> serde_json::Value {
        self.as_ref().map_or(serde_json::Value::Null, Hexed::hexed)
    }
}

impl<T: Hexed> Hexed for Vec<T> {
    fn hexed(&self) -> serde_json::Value {
        serde_json::Value::Array(self.iter().map(Hexed::hexed).collect())
    }
}

impl<T: Hexed> Hexed for (T, T) {
    fn hexed(&self) -> serde_json::Value {
        serde_json::Value::Array(vec![self.0.hexed(), self.1.hexed()])
    }
}

/// For `#[serde(serialize_with = "crate::json::hex")]`: the number(s) as hex strings
/// (`"0x1f"`), `null` for none.
pub fn hex<T: Hexed, S: Serializer>(v: &T, s: S) -> std::result::Result<S::Ok, S::Error> {
    v.hexed().serialize(s)
}

/// How many pages have each map count, as `[{"map_count": 1, "pages": 5120}, ...]`.
pub fn pages_by_map_count<S: Serializer>(
    v: &Option<BTreeMap<u64, u64>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    by_map_count(v, "pages", s)
}

/// How many frames have each map count, as `[{"map_count": 1, "frames": 80}, ...]`.
pub fn frames_by_map_count<S: Serializer>(
    v: &Option<BTreeMap<u64, u64>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    by_map_count(v, "frames", s)
}

fn by_map_count<S: Serializer>(
    v: &Option<BTreeMap<u64, u64>>,
    what: &str,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let Some(counts) = v else {
        return s.serialize_none();
    };
    let rows: Vec<serde_json::Value> = counts
        .iter()
        .map(|(count, n)| serde_json::json!({ "map_count": count, what: n }))
        .collect();
    rows.serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Body {
        #[serde(serialize_with = "hex")]
        pfn: u64,
        #[serde(serialize_with = "hex")]
        range: Option<(u64, u64)>,
        #[serde(serialize_with = "pages_by_map_count")]
        map_counts: Option<BTreeMap<u64, u64>>,
    }

    #[test]
    fn documents_carry_the_version_hex_and_lists() {
        let body = Body {
            pfn: 0x1f,
            range: Some((16, 32)),
            map_counts: Some(BTreeMap::from([(1, 5), (2, 3)])),
        };
        let v = serde_json::to_value(document(&body)).unwrap();
        assert_eq!(v["schema_version"], SCHEMA_VERSION);
        assert_eq!(v["pfn"], "0x1f");
        assert_eq!(v["range"], serde_json::json!(["0x10", "0x20"]));
        assert_eq!(v["map_counts"][1]["map_count"], 2);
        assert_eq!(v["map_counts"][1]["pages"], 3);
    }
}
