//! vm-hugepages: huge pages: 512 pages in one.
//! The experiment itself, a lab handout in code, is `src/demos/hugepages/`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("hugepages")
}
