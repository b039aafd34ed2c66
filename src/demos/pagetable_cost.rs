//! vm-pagetable-cost: what page tables cost. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "pagetable-cost",
        "what page tables cost",
        "the space page tables cost: dense vs sparse, and why tables have levels.",
    ))
}
