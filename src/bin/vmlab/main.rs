//! `vmlab`: the inspector. A doorway: parse arguments, call the library, print, and
//! turn errors into one line and an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use vmlab::cli;
use vmlab::demos;
use vmlab::error::{Error, Result, exit};
use vmlab::render;

mod args;
mod inspect;

use args::{Cli, Command};
use inspect::inspect;

fn main() -> ExitCode {
    // vm-segments runs copies of this program to see where ASLR puts things.
    demos::segments::answer_probe();
    cli::choose_language();
    cli::start();
    if let Err(code) = cli::require_stdout() {
        return code;
    }
    match cli::parse_or_exit::<Cli>() {
        Ok(args) => cli::finish(run(args)),
        Err(code) => code,
    }
}

fn run(cli: Cli) -> Result<u8> {
    let screen = cli::screen(cli.color, cli.width, cli.wide);
    if let Some(code) = run_experiments(&cli, screen)? {
        return Ok(code);
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match &cli.command {
        Command::Completions { .. }
        | Command::Man { .. }
        | Command::Course
        | Command::Glossary
        | Command::Demos => listing(&cli, &mut out, screen)?,
        _ => inspect(&cli, &mut out, screen)?,
    }
    out.flush().map_err(Error::Output)?;
    Ok(exit::OK)
}

/// The commands that run experiments or exercises and write as they go (the tour, a
/// demo, a simulator, an OSTEP script, the report): their exit code; `None` for the
/// others.
fn run_experiments(cli: &Cli, screen: render::Screen) -> Result<Option<u8>> {
    let opts = cli::RunOptions {
        json: cli.json,
        screen,
        tour: false,
        brief: false,
        pause: false,
    };
    let code = match &cli.command {
        Command::Tour { brief, pause } => {
            let all: Vec<&demos::Demo> = demos::DEMOS.iter().collect();
            let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
            if *pause && !interactive {
                let warning = vmlab::tr!("tour-pause-needs-terminal");
                eprintln!("{}", screen.palette.warn(&warning));
            }
            let opts = cli::RunOptions {
                tour: true,
                brief: *brief,
                pause: *pause && interactive,
                ..opts
            };
            cli::run_demos(&all, &demos::Lab::new(), opts)?
        }
        Command::Demo { name, options } => {
            let demo = demos::find(name)?;
            let lab = demos::Lab::with_options(options.clone().for_demo(demo)?);
            cli::run_demos(&[demo], &lab, opts)?
        }
        Command::Sim { sim } => cli::run_sim(sim, cli.json, screen)?,
        // The flags after `ostep` are the script's; `vmlab ostep --help` is ostep's.
        Command::Ostep { script, .. } if script == "--help" || script == "-h" => ostep_help()?,
        Command::Ostep { script, args } => cli::run_ostep(script, args, screen)?,
        Command::Report {
            demos: names,
            output,
            pid,
        } => {
            if cli.json {
                let refused = vmlab::tr!("report-json-refused");
                return Err(vmlab::error::InputError::Message(refused).into());
            }
            let list: Vec<&demos::Demo> = if names.is_empty() {
                demos::DEMOS.iter().collect()
            } else {
                names
                    .iter()
                    .map(|n| demos::find(n))
                    .collect::<Result<_>>()?
            };
            let options = cli::ReportOptions {
                output: output.clone(),
                pid: pid.clone(),
            };
            cli::run_report(&list, &options, screen)?
        }
        _ => return Ok(None),
    };
    Ok(Some(code))
}

/// `vmlab ostep --help`: the help of the `ostep` subcommand itself.
fn ostep_help() -> Result<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let help = cmd
        .find_subcommand_mut("ostep")
        .expect("ostep is a subcommand")
        .render_long_help();
    print!("{help}");
    io::stdout()
        .flush()
        .map(|_| exit::OK)
        .map_err(Error::Output)
}

/// The commands that list what vmlab holds: completions, man pages, the course, the
/// glossary, the demos.
fn listing(cli: &Cli, out: &mut dyn Write, screen: render::Screen) -> Result<()> {
    match &cli.command {
        Command::Completions { shell } => {
            // clap_complete panics when its writer fails (a closed pipe): generate into
            // memory, then write, so that a failed write is an ordinary error.
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "vmlab", &mut script);
            out.write_all(&script).map_err(Error::Output)?;
        }
        Command::Man { dir } => man(out, dir.as_deref())?,
        Command::Course => {
            let chapters = vmlab::course::chapters();
            if cli.json {
                print_json(out, &serde_json::json!({ "chapters": chapters }))?;
            } else {
                render::render_course(out, &chapters, screen).map_err(Error::Output)?;
            }
        }
        Command::Glossary => {
            let entries = vmlab::glossary::entries();
            if cli.json {
                print_json(out, &serde_json::json!({ "terms": entries }))?;
            } else {
                render::render_glossary(out, &entries, screen).map_err(Error::Output)?;
            }
        }
        Command::Demos if cli.json => {
            let list: Vec<serde_json::Value> = demos::DEMOS
                .iter()
                .map(|d| serde_json::json!({"name": d.name, "binary": format!("vm-{}", d.name), "summary": d.summary()}))
                .collect();
            print_json(out, &serde_json::json!({ "demos": list }))?;
        }
        Command::Demos => print_demo_list(out, screen)?,
        _ => unreachable!("run hands only the listings here"),
    }
    Ok(())
}

/// One line per demo binary, its summary wrapped under itself so that the list fits
/// the screen's width (the summaries are longer than 60 or 80 columns).
fn print_demo_list(out: &mut dyn Write, screen: render::Screen) -> Result<()> {
    let width = demos::DEMOS.iter().map(|d| d.name.len()).max().unwrap_or(0) + 3;
    let indent = width + 2;
    let text_width = screen.width.saturating_sub(indent).max(20);
    for d in demos::DEMOS {
        let binary = format!("vm-{}", d.name);
        let lines = render::text::wrap(&d.summary(), text_width);
        for (i, line) in lines.iter().enumerate() {
            let head = if i == 0 { binary.as_str() } else { "" };
            writeln!(out, "{head:<width$}  {line}").map_err(Error::Output)?;
        }
    }
    Ok(())
}

/// The manual: `vmlab.1` on `out`, or every command's page into `dir`.
fn man(out: &mut dyn Write, dir: Option<&std::path::Path>) -> Result<()> {
    let cmd = <Cli as clap::CommandFactory>::command();
    match dir {
        None => clap_mangen::Man::new(cmd)
            .render(out)
            .map_err(Error::Output),
        Some(dir) => clap_mangen::generate_to(cmd, dir).map_err(|e| Error::Write {
            path: dir.to_path_buf(),
            why: e.to_string(),
        }),
    }
}

/// `value` as a top-level JSON document, with its `schema_version` (see vmlab::json).
pub(crate) fn print_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    vmlab::json::write(out, value)
}
