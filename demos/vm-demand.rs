//! vm-demand: demand paging: frames on first touch.
//! The experiment itself, a lab handout in code, is `src/demos/demand.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("demand")
}
