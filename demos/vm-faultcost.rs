//! vm-faultcost: what a page fault costs.
//! The experiment itself, a lab handout in code, is `src/demos/faultcost/`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("faultcost")
}
