//! vm-tlb: the TLB, measured. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "tlb",
        "the TLB, measured",
        "the TLB, measured: time per access against pages touched, and where it jumps.",
    ))
}
