//! `vmlab sim` and `vmlab ostep`: the simulators' command line and how each runs.

use std::io::{self, Write};

use crate::error::{Error, Result, exit};
use crate::render::{self, Screen};

/// What every `vmlab sim` simulator takes.
#[derive(clap::Args, Debug, Clone)]
pub struct SimCommon {
    /// The random seed: the same seed (and parameters) gives the same problem.
    #[arg(short = 's', long, default_value_t = 0)]
    pub seed: u64,

    /// Print the answers and the worked solution (with --json: put them in the JSON).
    #[arg(short = 'c', long)]
    pub solve: bool,

    /// Grade the answers in FILE (one per line, `NUMBER: ANSWER`; hex numbers with `0x`;
    /// words in English or Spanish) against the exercise of --seed and the parameters
    /// given: exit 0 when all are right, 1 when some are wrong, 2 when the file is
    /// malformed, binary or larger than 1 MiB.
    #[arg(long, value_name = "FILE", conflicts_with = "solve")]
    pub check: Option<std::path::PathBuf>,

    /// Also run the concept on this machine, where the kernel shows it, and print the
    /// measured part beside the simulated one (not for `policy`: the kernel's page
    /// replacement cannot be watched access by access).
    #[arg(long)]
    pub real: bool,
}

/// The simulators of `vmlab sim`.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum SimCommand {
    /// Base and bounds: physical = base + virtual, if virtual < bounds.
    Relocate {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::relocate::Options,
    },
    /// Segmentation: code, heap and stack segments; violations; fragmentation and
    /// compaction.
    Segment {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::segment::Options,
    },
    /// A free-list allocator: first/best/worst/next fit, coalescing, fragmentation.
    Freespace {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::freespace::Options,
    },
    /// A linear page table: translate virtual addresses with valid bits.
    Paging {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::paging::Options,
    },
    /// A multi-level page-table walk from a memory dump.
    Multilevel {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::multilevel::Options,
    },
    /// A TLB of N entries under a replacement policy: hits and misses.
    Tlb {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::tlb::Options,
    },
    /// Page replacement: FIFO, LRU, MRU, OPT, RAND, CLOCK; Belady's anomaly.
    Policy {
        #[command(flatten)]
        common: SimCommon,
        #[command(flatten)]
        options: crate::sim::policy::Options,
    },
}

/// Runs `vmlab sim ...`: prints the exercise (or its grade) and returns the exit code.
/// An error is printed here, wrapped to the screen like the rest (a sim error quotes
/// parameters and explains them: it is longer than one line of a terminal).
pub fn run_sim(cmd: &SimCommand, json: bool, screen: Screen) -> Result<u8> {
    print_error_wrapped(dispatch(cmd, json, screen), screen)
}

/// Runs `vmlab ostep SCRIPT ARGS...`; errors printed wrapped, as `vmlab sim`'s.
pub fn run_ostep(script: &str, args: &[String], screen: Screen) -> Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = crate::ostep::main(script, args, &mut out, screen);
    // The lines printed before an error go out before it.
    let flushed = out.flush().map_err(Error::Output);
    print_error_wrapped(flushed.and(result), screen)
}

/// An error (but a failed write, which has no screen left to go to) printed on stderr
/// wrapped to the screen, and its exit code.
fn print_error_wrapped(result: Result<u8>, screen: Screen) -> Result<u8> {
    match result {
        Err(Error::Output(e)) => Err(Error::Output(e)),
        Err(e) => {
            let text = format!("error: {e}");
            for line in render::text::wrap(&text, screen.width) {
                eprintln!("{line}");
            }
            Ok(e.exit_code())
        }
        ok => ok,
    }
}

/// The one dispatch from a subcommand to its simulator.
fn dispatch(cmd: &SimCommand, json: bool, screen: Screen) -> Result<u8> {
    use crate::sim::freespace::FreespaceSim;
    use crate::sim::multilevel::MultilevelSim;
    use crate::sim::segment::SegmentSim;
    use crate::sim::{paging::PagingSim, policy::PolicySim, relocate::RelocateSim, tlb::TlbSim};
    match cmd {
        SimCommand::Relocate { common, options } => {
            run::<RelocateSim>(common, options, json, screen)
        }
        SimCommand::Segment { common, options } => run::<SegmentSim>(common, options, json, screen),
        SimCommand::Freespace { common, options } => {
            run::<FreespaceSim>(common, options, json, screen)
        }
        SimCommand::Paging { common, options } => run::<PagingSim>(common, options, json, screen),
        SimCommand::Multilevel { common, options } => {
            run::<MultilevelSim>(common, options, json, screen)
        }
        SimCommand::Tlb { common, options } => run::<TlbSim>(common, options, json, screen),
        SimCommand::Policy { common, options } => run::<PolicySim>(common, options, json, screen),
    }
}

/// Runs one simulator: its exercise, or the grade of an answers file against it.
fn run<S: crate::sim::Simulator>(
    common: &SimCommon,
    options: &S::Options,
    json: bool,
    screen: Screen,
) -> Result<u8> {
    use crate::sim::{self, grade};
    let sheet = sim::make::<S>(options, common.seed, common.real)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = if let Some(path) = &common.check {
        let text = grade::read_text_file(path, grade::MAX_ANSWERS_BYTES)?;
        let grade = sheet.grade(&text)?;
        if json {
            write_json(&mut out, &grade)?;
        } else {
            render::render_grade(&mut out, &grade, screen).map_err(Error::Output)?;
        }
        grade.exit_code()
    } else {
        if json {
            // Without --solve, no answer: the JSON is a problem to solve too.
            write_json(&mut out, &sheet.json(common.solve))?;
        } else {
            render::render_sheet(&mut out, &sheet, common.solve, screen).map_err(Error::Output)?;
        }
        exit::OK
    };
    out.flush().map_err(Error::Output)?;
    Ok(code)
}

/// `value` as pretty JSON and a newline.
fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    crate::json::write(out, value)
}
