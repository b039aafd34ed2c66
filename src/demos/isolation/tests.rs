use super::*;
use crate::addr::Pfn;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::pagemap::PageState;

const ADDR: u64 = 0x7f12_3456_7000;

fn page(pfn: u64) -> Page {
    Page {
        va: VirtAddr(ADDR),
        state: PageState::Present,
        pfn: Some(Pfn(pfn)),
        map_count: Some(1),
        exclusive: true,
        file_or_shared: false,
        flags: None,
    }
}

fn holder(who: Who, pid: i32, pfn: u64) -> Holder {
    let value = value_of(who);
    Holder {
        who,
        pid,
        value,
        read_back: Evidence::Seen(value),
        page: page(pfn),
        after_crash: Evidence::Seen(Reply::Value(value)),
        page_after_crash: Evidence::Seen(page(pfn)),
    }
}

/// What a run as root shows when everything goes as theory says.
fn holding() -> Observation {
    Observation {
        address: VirtAddr(ADDR),
        holders: vec![
            holder(Who::FirstChild, 4243, 0x2b1c4),
            holder(Who::SecondChild, 4244, 0x19e07),
            holder(Who::Parent, 4242, 0x3a550),
        ],
        crasher: Crasher {
            pid: 4245,
            page: Page {
                state: PageState::Unmapped,
                pfn: None,
                map_count: None,
                exclusive: false,
                ..page(0)
            },
            ended: Evidence::Seen(Ending::Killed {
                signal: "SIGSEGV".into(),
            }),
        },
    }
}

fn no_crash(o: &mut Observation) {
    o.crasher.ended = Evidence::Seen(Ending::Exited { code: 0 });
}

pub(crate) fn claim_tests() -> ClaimTests {
    claims_of(judge, holding())
        .case(
            "isolation-own-values",
            |o| o.holders[1].read_back = Evidence::Seen(FIRST_VALUE),
            |o| o.holders[2].read_back = Evidence::missing("mmap failed: EEXIST"),
        )
        .case(
            "isolation-three-frames",
            |o| o.holders[2].page.pfn = Some(Pfn(0x2b1c4)),
            |o| o.holders[0].page.pfn = None,
        )
        .case(
            "isolation-exclusive",
            |o| o.holders[1].page.exclusive = false,
            |o| o.holders[1].page.state = PageState::Absent,
        )
        .case("isolation-crash-signal", no_crash, |o| {
            o.crasher.ended = Evidence::missing("the child did not end")
        })
        .case(
            "isolation-siblings-survive",
            |o| o.holders[1].after_crash = Evidence::Seen(Reply::NoAnswer),
            no_crash,
        )
        .case(
            "isolation-parent-intact",
            |o| o.holders[2].after_crash = Evidence::Seen(Reply::Value(CRASH_VALUE)),
            no_crash,
        )
        .done()
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("isolation", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["crasher"]["ended"]["killed"]["signal"], "SIGSEGV");
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

#[test]
fn narration_tells_the_crash_and_the_answers() {
    let steps = narrate(&holding());
    assert_eq!(steps.len(), 4);
    assert!(
        steps[2].narration.contains("SIGSEGV"),
        "{}",
        steps[2].narration
    );
    assert!(
        steps[3].narration.contains("0x22"),
        "{}",
        steps[3].narration
    );
    assert_eq!(steps[0].table.as_ref().unwrap().rows.len(), 4);
}
