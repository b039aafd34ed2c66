//! Running demos: a demo binary's whole `main`, `vmlab demo`, the tour, and the
//! report.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use super::{
    ColorChoice, choose_language, clap_exit, finish, notice, require_stdout, screen, start,
};
use crate::demos::{self, Lab};
use crate::error::{Error, Result};
use crate::render::{self, Screen};

/// Arguments every demo binary takes.
#[derive(Parser, Debug)]
#[command(
    version,
    after_help = "Exit codes: 0 every claim holds (or is unverifiable, with the reason), 1 the \
                  kernel contradicted a claim, 2 bad usage, 3 the system refused or failed, \
                  128+n killed by signal n (130 Ctrl-C, 143 SIGTERM), after putting back any \
                  system setting it had changed.\n\
                  Run with sudo to see frame numbers, map counts and frame flags."
)]
pub struct DemoArgs {
    /// Print the experiment as JSON (stable field names) instead of a handout.
    #[arg(long)]
    pub json: bool,

    /// When to colour the output. `auto` colours a terminal unless NO_COLOR is set or
    /// TERM is `dumb`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The language of the output: `en` or `es`. Default: VMLAB_LANG, else the locale
    /// (LC_ALL, LC_MESSAGES, LANG: any es_* is Spanish), else English.
    #[arg(long, value_enum)]
    pub lang: Option<crate::i18n::Lang>,

    /// Lay the output out for N columns. Default: COLUMNS, else the terminal's
    /// width, else 80.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..))]
    pub width: Option<u16>,

    /// Keep every column of wide tables, even past the width.
    #[arg(long)]
    pub wide: bool,

    #[command(flatten)]
    pub options: OptionArgs,
}

/// The options only some demos take (see `Demo::options`); hidden from the help of
/// the others, and refused there.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct OptionArgs {
    /// vm-tlb only: also draw the measurements as a plot into FILE (SVG; the name must
    /// end in .svg).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<std::path::PathBuf>,

    /// vm-tlb only: measure up to N pages (a power of two) instead of the default.
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
    choose_language();
    start();
    if let Err(code) = require_stdout() {
        return code;
    }
    let demo = match demos::find(name) {
        Ok(d) => d,
        Err(e) => return finish(Err(e)),
    };
    let cmd = <DemoArgs as clap::CommandFactory>::command()
        .name(format!("vm-{}", demo.name))
        .about(demo.summary());
    let cmd = OptionArgs::hide_unused(cmd, demo);
    let args = match cmd.try_get_matches() {
        Ok(m) => <DemoArgs as clap::FromArgMatches>::from_arg_matches(&m),
        Err(e) => Err(e),
    };
    let args = match args {
        Ok(a) => a,
        Err(e) => return clap_exit(e),
    };
    let options = match args.options.for_demo(demo) {
        Ok(o) => o,
        Err(e) => return finish(Err(e)),
    };
    let opts = RunOptions {
        json: args.json,
        screen: screen(args.color, args.width, args.wide),
        tour: false,
        brief: false,
        pause: false,
    };
    finish(run_demos(&[demo], &Lab::with_options(options), opts))
}

/// How demos are run and printed.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// JSON instead of handouts: one object for a single demo, for a tour an object
    /// with every experiment and the totals.
    pub json: bool,
    pub screen: Screen,
    /// A tour: the privilege note once at the top, progress lines, a summary table.
    pub tour: bool,
    /// Claims and verdicts only, one line each.
    pub brief: bool,
    /// On a terminal, wait for Enter between demos.
    pub pause: bool,
}

/// Runs demos in order and prints each as it finishes. Returns the exit code.
pub fn run_demos(list: &[&demos::Demo], lab: &Lab, opts: RunOptions) -> Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut run = TourRun::new(opts);
    run.start(&mut out, lab).map_err(Error::Output)?;
    for (i, demo) in list.iter().enumerate() {
        if i > 0 && !run.pause_before_next(&mut out).map_err(Error::Output)? {
            break;
        }
        run.progress(&mut out, i, list.len(), demo)
            .map_err(Error::Output)?;
        let e = (demo.run)(lab)?;
        run.show(&mut out, e).map_err(Error::Output)?;
    }
    run.finish(&mut out)?;
    out.flush().map_err(Error::Output)?;
    Ok(run.total.exit_code())
}

/// What `vmlab report` was asked for.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// The HTML file to write (`-o`).
    pub output: std::path::PathBuf,
    /// The process whose address space is drawn (`--pid`, default vmlab itself).
    pub pid: Option<String>,
}

/// `vmlab report`: checks the output file and the process first (nothing runs for a
/// report that could not be written), runs the demos with a progress line each on
/// stderr, writes the page, and says on stdout where it went and what the claims
/// came to. The exit code is the tour's: 1 when a claim was contradicted.
pub fn run_report(list: &[&demos::Demo], options: &ReportOptions, screen: Screen) -> Result<u8> {
    use crate::report;
    let output = report::Output::prepare(&options.output)?;
    let target = crate::inspect::Target::resolve(options.pid.as_deref().unwrap_or("self"))?;
    let lab = Lab::new();
    if let Some(n) = lab.inspector.privilege.notice() {
        notice(&n, screen);
    }
    let space = lab.inspector.maps(&target)?;
    let machine = report::Machine::read(&lab.inspector);
    let mut experiments = Vec::with_capacity(list.len());
    for (i, demo) in list.iter().enumerate() {
        let line = crate::tr!(
            "tour-progress",
            n = i + 1,
            total = list.len(),
            name = demo.name,
            summary = demo.summary()
        );
        for l in render::text::wrap(&line, screen.width) {
            eprintln!("{l}");
        }
        experiments.push((demo.run)(&lab)?);
    }
    let page = report::html(&report::Report {
        machine: &machine,
        space: &space,
        experiments: &experiments,
    });
    let bytes = output.write(&page)?;
    let total = report::totals(&experiments);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let wrote = crate::tr!(
        "report-wrote",
        path = output.shown.display().to_string(),
        size = render::human_size(bytes)
    );
    for l in render::text::wrap(&wrote, screen.width) {
        writeln!(out, "{l}").map_err(Error::Output)?;
    }
    render::render_summary_line(&mut out, &total, screen).map_err(Error::Output)?;
    out.flush().map_err(Error::Output)?;
    Ok(total.exit_code())
}

/// The state of a run of demos: what was shown, and what a tour has seen so far.
struct TourRun {
    opts: RunOptions,
    experiments: Vec<crate::experiment::Experiment>,
    total: crate::experiment::Outcome,
    legend: render::Legend,
    /// Footnotes of a brief run.
    reasons: Vec<String>,
    /// The frames each earlier demo showed, to explain one seen again.
    frames_seen: Vec<(String, std::collections::BTreeSet<u64>)>,
}

impl TourRun {
    fn new(opts: RunOptions) -> TourRun {
        TourRun {
            opts,
            experiments: Vec::new(),
            total: Default::default(),
            legend: Default::default(),
            reasons: Vec::new(),
            frames_seen: Vec::new(),
        }
    }

    fn human(&self) -> bool {
        !self.opts.json
    }

    /// Says once, on stderr, what this run cannot see (not once per demo, and not in
    /// the output a student hands in or pipes on); a tour then opens with the goals.
    fn start(&self, out: &mut dyn Write, lab: &Lab) -> io::Result<()> {
        let screen = self.opts.screen;
        if self.human()
            && let Some(n) = lab.inspector.privilege.notice()
        {
            notice(&n, screen);
        }
        if self.opts.tour && self.human() {
            if self.opts.brief {
                render::render_brief_key(out, screen)?;
            } else {
                render::render_goals(out, screen)?;
                writeln!(out)?;
            }
        }
        Ok(())
    }

    fn progress(
        &self,
        out: &mut dyn Write,
        i: usize,
        n: usize,
        demo: &demos::Demo,
    ) -> io::Result<()> {
        if self.opts.tour && self.human() && !self.opts.brief {
            let line = crate::tr!(
                "tour-progress",
                n = i + 1,
                total = n,
                name = demo.name,
                summary = demo.summary()
            );
            for l in crate::render::text::wrap(&line, self.opts.screen.width) {
                writeln!(out, "{}", self.opts.screen.palette.dim(&l))?;
            }
        }
        // Show each demo as it finishes, not all at the end of the tour.
        out.flush()
    }

    fn show(&mut self, out: &mut dyn Write, e: crate::experiment::Experiment) -> io::Result<()> {
        self.total.add(e.outcome);
        let screen = self.opts.screen;
        if self.human() && self.opts.brief {
            let name_width = demos::DEMOS.iter().map(|d| d.name.len()).max().unwrap_or(0);
            render::render_brief(out, &e, screen, name_width, &mut self.reasons)?;
        } else if self.human() {
            render::render_experiment(out, &e, screen, &mut self.legend)?;
            if self.opts.tour {
                self.frames_again(out, &e)?;
            }
            writeln!(out)?;
        }
        self.experiments.push(e);
        out.flush()
    }

    /// Says so when this demo shows a frame an earlier demo showed: frames freed by one
    /// demo are handed out again, and the zero page or a library is shared by all.
    fn frames_again(
        &mut self,
        out: &mut dyn Write,
        e: &crate::experiment::Experiment,
    ) -> io::Result<()> {
        let mine = frames_in(&e.observation);
        let earlier: Vec<(String, usize)> = self
            .frames_seen
            .iter()
            .map(|(name, seen)| (name.clone(), seen.intersection(&mine).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        if !earlier.is_empty() {
            let demos: Vec<String> = earlier.iter().map(|(n, _)| format!("vm-{n}")).collect();
            let count: usize = earlier.iter().map(|(_, n)| n).sum();
            let text = crate::tr!("tour-frames-again", count = count, demos = demos.join(", "));
            for line in crate::render::text::wrap(&text, self.opts.screen.width) {
                writeln!(out, "{}", self.opts.screen.palette.dim(&line))?;
            }
        }
        self.frames_seen.push((e.name.clone(), mine));
        Ok(())
    }

    /// Between demos, with `--pause` on a terminal: waits for Enter; `q` stops.
    fn pause_before_next(&self, out: &mut dyn Write) -> io::Result<bool> {
        if !(self.opts.pause && self.human()) {
            return Ok(true);
        }
        out.flush()?;
        eprint!("{}", crate::tr!("tour-pause"));
        let mut line = String::new();
        io::stdin().read_line(&mut line)?;
        Ok(line.trim() != "q")
    }

    fn finish(&self, out: &mut dyn Write) -> Result<()> {
        let screen = self.opts.screen;
        if self.opts.json {
            let text = if self.opts.tour {
                serde_json::to_string_pretty(&TourJson {
                    schema_version: crate::experiment::SCHEMA_VERSION,
                    totals: self.total,
                    experiments: &self.experiments,
                })
            } else {
                serde_json::to_string_pretty(&self.experiments[0])
            };
            let text = text.map_err(|e| Error::Output(e.into()))?;
            writeln!(out, "{text}").map_err(Error::Output)?;
        } else if self.opts.brief {
            render::render_brief_reasons(out, &self.reasons, screen).map_err(Error::Output)?;
            render::render_summary_line(out, &self.total, screen).map_err(Error::Output)?;
        } else if self.opts.tour {
            render::render_tour_summary(out, &self.experiments, screen).map_err(Error::Output)?;
        }
        if self.opts.tour && self.human() && !self.opts.brief {
            // What the kernel cannot show is in the simulators: say where.
            writeln!(out).map_err(Error::Output)?;
            for line in crate::render::text::wrap(&crate::tr!("tour-simulators"), screen.width) {
                writeln!(out, "{}", screen.palette.dim(&line)).map_err(Error::Output)?;
            }
        }
        Ok(())
    }
}

/// `vmlab tour --json`: every experiment, and the totals.
#[derive(serde::Serialize)]
struct TourJson<'a> {
    schema_version: u32,
    totals: crate::experiment::Outcome,
    experiments: &'a [crate::experiment::Experiment],
}

/// The frame numbers an observation record shows: every `pfn` of its page snapshots.
fn frames_in(v: &serde_json::Value) -> std::collections::BTreeSet<u64> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                // Frame numbers are hex strings in JSON (see crate::json).
                let pfn = map
                    .get("pfn")
                    .and_then(|p| p.as_str())
                    .and_then(|p| p.strip_prefix("0x"))
                    .and_then(|h| u64::from_str_radix(h, 16).ok());
                if let Some(p) = pfn {
                    found.insert(p);
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}
