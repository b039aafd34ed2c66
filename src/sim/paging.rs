//! `vmlab sim paging`: a linear page table: translate virtual addresses, valid bits, the table's size. (Being built.)

use super::Exercise;
use crate::error::{Error, Result};

/// The parameters of `vmlab sim paging`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Params {}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(_params: &Params, _seed: u64, _real: bool) -> Result<Exercise> {
    Err(Error::Unsupported {
        what: "vmlab sim paging".into(),
        why: "not built yet".into(),
    })
}
