//! Which drawing a page shows for what: a step's figure drawn as SVG (an address space
//! as [`super::space`] draws it, curves as vm-tlb's plot draws them, knees marked when
//! the record is vm-tlb's), and the drawings made from a record itself (vm-faultcost's
//! costs as bars).

use crate::demos::{faultcost, tlb};
use crate::experiment::{Experiment, Figure};
use crate::tr;

use super::{bars, space};

/// The SVG of a step's figure; `caption` names it for screen readers.
pub fn of_step(e: &Experiment, f: &Figure, caption: &str, page: u64) -> Result<String, String> {
    match f {
        Figure::Map { regions } => Ok(space::draw(&space::bands_of_figure(regions), page, caption)),
        Figure::Chart(chart) => match record::<tlb::Observation>(e, "tlb") {
            Some(o) => tlb::plot_svg(&o),
            None => {
                let labels = tlb::Labels {
                    title: String::new(),
                    x: chart.x_label.clone(),
                    y: chart.y_unit.clone(),
                };
                tlb::chart_svg(&labels, &chart.curves, &[])
            }
        },
    }
}

/// A drawing made from the experiment's record, after its steps: vm-faultcost's costs
/// per 4 KiB page as bars. `None` for the other experiments.
pub fn from_record(e: &Experiment) -> Option<(String, Result<String, String>)> {
    let o = record::<faultcost::Observation>(e, "faultcost")?;
    let page = crate::demos::exact_size(o.page_size);
    let bars: Vec<bars::Bar> = faultcost::costs::per_page(&o)
        .into_iter()
        .map(|(label, cost)| bars::Bar { label, cost })
        .collect();
    let caption = tr!(
        "report-faultcost-caption",
        page = page.as_str(),
        runs = o.small.len()
    );
    let axis = tr!("report-faultcost-axis", page = page.as_str());
    let svg = bars::draw(&bars, &caption, &axis);
    Some((caption, Ok(svg)))
}

/// The typed record of `e` when it is the experiment `name`, read back from its JSON.
fn record<T: serde::de::DeserializeOwned>(e: &Experiment, name: &str) -> Option<T> {
    if e.name != name {
        return None;
    }
    serde_json::from_value(e.observation.clone()).ok()
}
