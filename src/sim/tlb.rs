//! `vmlab sim tlb`: a TLB of N entries under FIFO, LRU, random or optimal replacement: hits and misses. (Being built.)

use super::Exercise;
use crate::error::{Error, Result};

/// The parameters of `vmlab sim tlb`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Params {}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(_params: &Params, _seed: u64, _real: bool) -> Result<Exercise> {
    Err(Error::Unsupported {
        what: "vmlab sim tlb".into(),
        why: "not built yet".into(),
    })
}
