//! vm-zeropage: the zero page: many pages, one frame. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "zeropage",
        "the zero page: many pages, one frame",
        "reading never-written memory maps the kernel's one shared zero page.",
    ))
}
