//! vm-dirty: dirty and accessed bits. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "dirty",
        "dirty and accessed bits",
        "the dirty and accessed bits of a page-table entry, as Linux shows them.",
    ))
}
