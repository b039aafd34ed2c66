//! Test hooks: named moments at which a debug build can be told to wait, so the tests
//! can signal a real run at a known moment (KSM runs for tens of milliseconds only).
//!
//! `VMLAB_TEST_HOLD=ksm` (several points: `ksm,library`) makes a debug build, on
//! reaching that point, print `vmlab-test-hold <point> <pid>` on stderr and wait up to
//! [`HOLD`] before going on. Release builds do not read the variable: [`hold`] is
//! empty there, so normal runs are not slowed.
//!
//! The points: `anon` (vm-shared's forked child is alive), `library` (its `sleep`
//! helper runs), `ksm` (KSM is on, its settings changed).

use std::time::Duration;

/// The longest a run waits at a point.
pub const HOLD: Duration = Duration::from_secs(60);

/// The variable that names the points to wait at.
pub const VARIABLE: &str = "VMLAB_TEST_HOLD";

/// Waits at `point` if the tests asked for it (debug builds only).
pub fn hold(point: &str) {
    if cfg!(debug_assertions) && asked(point) {
        eprintln!("vmlab-test-hold {point} {}", std::process::id());
        std::thread::sleep(HOLD);
    }
}

fn asked(point: &str) -> bool {
    std::env::var(VARIABLE).is_ok_and(|v| v.split(',').any(|p| p.trim() == point))
}
