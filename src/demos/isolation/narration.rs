//! What vm-isolation tells: the steps, from the record.

use super::*;

/// A process, as the narration names it: `first child 4242`.
fn label(who: Who, pid: i32) -> String {
    match who {
        Who::FirstChild => tr!("isolation-first-child", pid = pid),
        Who::SecondChild => tr!("isolation-second-child", pid = pid),
        Who::Parent => tr!("isolation-parent", pid = pid),
    }
}

/// `first child 4242: 0x11, ...` for each holder, with `f` giving what to show.
fn each_holder(o: &Observation, f: impl Fn(&Holder) -> String) -> String {
    o.holders
        .iter()
        .map(|h| format!("{}: {}", label(h.who, h.pid), f(h)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_text(v: &Evidence<u64>) -> String {
    v.seen()
        .map_or_else(|| tr!("isolation-no-page"), |v| format!("{v:#x}"))
}

pub(super) fn reply_text(r: &Evidence<Reply>) -> String {
    match r {
        Evidence::Seen(Reply::Value(v)) => format!("{v:#x}"),
        Evidence::Seen(Reply::NoAnswer) => tr!("isolation-no-answer"),
        Evidence::Missing(m) => m.missing.clone(),
    }
}

pub(super) fn ending_text(e: &Evidence<Ending>) -> String {
    match e {
        Evidence::Seen(Ending::Killed { signal }) => {
            tr!("isolation-killed-by", signal = signal.as_str())
        }
        Evidence::Seen(Ending::Exited { code }) => tr!("isolation-exited", code = *code),
        Evidence::Missing(m) => m.missing.clone(),
    }
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let third = tr!("isolation-third-child", pid = o.crasher.pid);
    let mut before: Vec<(String, &Page)> = o
        .holders
        .iter()
        .map(|h| (label(h.who, h.pid), &h.page))
        .collect();
    before.push((third, &o.crasher.page));
    let after: Vec<(String, &Page)> = o
        .holders
        .iter()
        .filter_map(|h| Some((label(h.who, h.pid), h.page_after_crash.seen()?)))
        .collect();
    let addr = o.address.hex();
    vec![
        Step::show(
            tr!(
                "isolation-step-map",
                addr = addr.clone(),
                first = format!("{FIRST_VALUE:#x}"),
                second = format!("{SECOND_VALUE:#x}"),
                parent = format!("{PARENT_VALUE:#x}")
            ),
            page_table(&before),
        )
        .with_terms(&["term-isolation", "term-transparency"]),
        Step::say(tr!(
            "isolation-step-read",
            reads = each_holder(o, |h| value_text(&h.read_back))
        )),
        Step::say(tr!(
            "isolation-step-crash",
            addr = addr,
            ending = ending_text(&o.crasher.ended)
        )),
        Step::show(
            tr!(
                "isolation-step-after",
                answers = each_holder(o, |h| reply_text(&h.after_crash))
            ),
            page_table(&after),
        ),
    ]
}
