//! Sharing with a forked child. Alone in its own test binary on purpose: fork()
//! shares *every* private page of the test process copy-on-write, so while the child
//! lives, pages of any test running in parallel would lose their exclusive bit and
//! gain a map count of 2. Cargo runs test binaries one after another, so here the
//! fork disturbs no other test.

mod common;

use common::*;

#[test]
fn a_page_shared_with_a_child_has_map_count_two() {
    if skip_unless_root("reading map counts from /proc/kpagecount") {
        return;
    }
    let map = shared_memfd("vmlab-test-shared", 1, 0x42);
    let mut private = memmap2::MmapMut::map_anon(page_size() as usize).unwrap();
    private[0] = 9;
    let (shared_va, private_va) = (map.as_ptr() as u64, private.as_ptr() as u64);
    let child = ForkedChild::spawn(&[shared_va]);

    let report = vmlab_json(&["pages", &my_pid(), &format!("{shared_va:#x}")]);
    let row = &page_rows(&report)[0];
    assert_eq!(
        row["map_count"], 2,
        "parent and child map the memfd page: {row}"
    );
    assert_eq!(row["file_or_shared"], true);
    assert_eq!(report["summary"]["shared"], 1);

    // The private page is shared copy-on-write: same frame in both, not exclusive.
    let mine = vmlab_json(&["pages", &my_pid(), &format!("{private_va:#x}")]);
    let theirs = vmlab_json(&["pages", &child.pid.to_string(), &format!("{private_va:#x}")]);
    let (mine, theirs) = (&page_rows(&mine)[0], &page_rows(&theirs)[0]);
    assert_eq!(mine["pfn"], theirs["pfn"]);
    assert_eq!(mine["map_count"], 2);
    assert_eq!(mine["exclusive"], false);

    // A summary counts both pages shared: the private one from pagemap's exclusive bit
    // alone (no kpagecount read), the memfd one as well; with --map-counts, by their
    // map counts read from kpagecount.
    for (va, what) in [(private_va, "private"), (shared_va, "memfd")] {
        let range = format!("{va:#x}");
        let lean = vmlab_json(&["pages", &my_pid(), &range, "--summary"]);
        assert_eq!(lean["summary"]["shared"], 1, "{what}: {}", lean["summary"]);
        assert_eq!(lean["summary"]["map_counts"], serde_json::Value::Null);
        let full = vmlab_json(&["pages", &my_pid(), &range, "--summary", "--map-counts"]);
        assert_eq!(full["summary"]["shared"], 1, "{what}");
        assert_eq!(
            full["summary"]["map_counts"],
            serde_json::json!([{"map_count": 2, "pages": 1}]),
            "{what}"
        );
    }
    drop(child);
    drop(private);
}
