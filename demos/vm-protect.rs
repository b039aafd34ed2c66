//! vm-protect: protection faults: the MMU refuses, the kernel signals.
//! The experiment itself, a lab handout in code, is `src/demos/protect.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("protect")
}
