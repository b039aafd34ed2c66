//! The front door shared by every binary (`vmlab` and the `vm-*` demos): colour
//! choice, the error line and exit code, and the whole `main` of a demo binary.
//! This is the one module of the library that prints; everything it prints comes
//! from the records the rest of the library returns.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use crate::demos::{self, Lab};
use crate::error::{Error, Result, exit};
use crate::render::{self, Palette};

/// `--color auto|always|never`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always colour, also into a pipe or a file.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    pub fn palette(self) -> Palette {
        let enabled = match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal()
            }
        };
        Palette { enabled }
    }
}

/// Ends a binary: exit code from the result; errors as one `error:` line and
/// `caused by:` lines; a closed output pipe (`| head`) counts as success.
pub fn finish(result: Result<u8>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Parses arguments; on `--help`/`--version` prints and exits 0, on bad usage prints
/// clap's message and exits 2.
pub fn parse_or_exit<T: Parser>() -> std::result::Result<T, ExitCode> {
    T::try_parse().map_err(|e| {
        let _ = e.print();
        if e.use_stderr() {
            ExitCode::from(exit::USAGE)
        } else {
            ExitCode::SUCCESS
        }
    })
}

/// Arguments every demo binary takes.
#[derive(Parser, Debug)]
#[command(
    version,
    after_help = "Exit codes: 0 every claim holds (or is unverifiable, with the reason), 1 the \
                  kernel contradicted a claim, 2 bad usage, 3 the system refused or failed.\n\
                  Run with sudo to see frame numbers, map counts and frame flags."
)]
pub struct DemoArgs {
    /// Print the experiment as JSON (stable field names) instead of a handout.
    #[arg(long)]
    pub json: bool,

    /// When to colour the output. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub options: OptionArgs,
}

/// The options only some demos take (see `Demo::options`); hidden from the help of
/// the others, and refused there.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct OptionArgs {
    /// Also draw the measurements as a plot into FILE (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<std::path::PathBuf>,

    /// Measure up to N pages (a power of two) instead of the default.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,
}

impl OptionArgs {
    /// The options, checked against what `demo` takes.
    pub fn for_demo(self, demo: &demos::Demo) -> Result<demos::DemoOptions> {
        let given = [
            ("plot", self.plot.is_some()),
            ("max-pages", self.max_pages.is_some()),
        ];
        for (name, is_given) in given {
            if is_given && !demo.options.contains(&name) {
                return Err(Error::Input(crate::error::InputError::UnsupportedOption {
                    demo: demo.name.into(),
                    option: name.into(),
                }));
            }
        }
        Ok(demos::DemoOptions {
            plot: self.plot,
            max_pages: self.max_pages,
        })
    }

    /// Hides, in a demo's `--help`, the options it does not take.
    pub fn hide_unused(mut cmd: clap::Command, demo: &demos::Demo) -> clap::Command {
        for name in ["plot", "max-pages"] {
            if !demo.options.contains(&name) {
                let id = name.replace('-', "_");
                cmd = cmd.mut_arg(id, |a| a.hide(true));
            }
        }
        cmd
    }
}

/// The whole `main` of the demo binary `vm-<name>`.
pub fn demo_main(name: &str) -> ExitCode {
    demos::segments::answer_probe();
    let demo = match demos::find(name) {
        Ok(d) => d,
        Err(e) => return finish(Err(e)),
    };
    let cmd = <DemoArgs as clap::CommandFactory>::command()
        .name(format!("vm-{}", demo.name))
        .about(demo.summary);
    let cmd = OptionArgs::hide_unused(cmd, demo);
    let args = match cmd.try_get_matches() {
        Ok(m) => <DemoArgs as clap::FromArgMatches>::from_arg_matches(&m),
        Err(e) => Err(e),
    };
    let args = match args {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let options = match args.options.for_demo(demo) {
        Ok(o) => o,
        Err(e) => return finish(Err(e)),
    };
    finish(run_demos(
        &[demo],
        &Lab::with_options(options),
        args.json,
        args.color.palette(),
        false,
    ))
}

/// Runs demos in order and prints them (as handouts, or as JSON: one object for a
/// single demo, an array for a tour). Returns the exit code.
pub fn run_demos(
    list: &[&demos::Demo],
    lab: &Lab,
    json: bool,
    palette: Palette,
    tour: bool,
) -> Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut experiments = Vec::new();
    let mut total = crate::experiment::Outcome::default();
    for (i, demo) in list.iter().enumerate() {
        if tour && !json {
            writeln!(
                out,
                "{}",
                palette.dim(&format!(
                    "[{}/{}] vm-{}: {}",
                    i + 1,
                    list.len(),
                    demo.name,
                    demo.summary
                ))
            )
            .map_err(Error::Output)?;
        }
        let e = (demo.run)(lab)?;
        total.add(e.outcome);
        if !json {
            render::render_experiment(&mut out, &e, palette).map_err(Error::Output)?;
            writeln!(out).map_err(Error::Output)?;
            // Show each demo as it finishes, not all at the end of the tour.
            out.flush().map_err(Error::Output)?;
        }
        experiments.push(e);
    }
    if json {
        let text = if tour {
            serde_json::to_string_pretty(&experiments)
        } else {
            serde_json::to_string_pretty(&experiments[0])
        };
        let text = text.map_err(|e| Error::Output(e.into()))?;
        writeln!(out, "{text}").map_err(Error::Output)?;
    } else if tour {
        render::render_tour_summary(&mut out, &experiments, palette).map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    Ok(total.exit_code())
}
