//! vm-faultcost: what a page fault costs. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "faultcost",
        "what a page fault costs",
        "what a page fault costs, against an access to a present page.",
    ))
}
