//! vm-hugepages: huge pages: 512 pages in one. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "hugepages",
        "huge pages: 512 pages in one",
        "transparent huge pages: one 2 MiB frame, one fault, one level fewer.",
    ))
}
