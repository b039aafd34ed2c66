//! `vmlab sim multilevel`: a multi-level page-table walk from a memory dump, and the space it saves. (Being built.)

use super::Exercise;
use crate::error::{Error, Result};

/// The parameters of `vmlab sim multilevel`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Params {}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(_params: &Params, _seed: u64, _real: bool) -> Result<Exercise> {
    Err(Error::Unsupported {
        what: "vmlab sim multilevel".into(),
        why: "not built yet".into(),
    })
}
