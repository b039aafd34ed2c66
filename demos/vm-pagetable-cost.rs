//! vm-pagetable-cost: what page tables cost.
//! The experiment itself, a lab handout in code, is `src/demos/pagetable_cost.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("pagetable-cost")
}
