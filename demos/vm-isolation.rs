//! vm-isolation: one virtual address, two processes, two frames.
//! The experiment itself, a lab handout in code, is `src/demos/isolation.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("isolation")
}
