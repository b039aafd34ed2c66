//! `vmlab sim policy`: page replacement: FIFO, LRU, MRU, OPT, RAND, CLOCK; hit rates and Belady's anomaly. (Being built.)

use super::Exercise;
use crate::error::{Error, Result};

/// The parameters of `vmlab sim policy`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Params {}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(_params: &Params, _seed: u64, _real: bool) -> Result<Exercise> {
    Err(Error::Unsupported {
        what: "vmlab sim policy".into(),
        why: "not built yet".into(),
    })
}
