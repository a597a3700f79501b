//! One module per subcommand; each turns its arguments into a typed request, runs
//! the metrics and hands a [`crate::report::Report`] to the renderer.

pub mod churn;
pub mod inspect;
pub mod report;
pub mod sample;
pub mod surveys;
pub mod tickets;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, Format, OutputArgs};
use crate::error::Result;
use crate::render::{self, Target};
use crate::report::{Document, Report};
use crate::threshold;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Tickets(a) => tickets::run(&a),
        Command::Surveys(a) => surveys::run(&a),
        Command::Churn(a) => churn::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Inspect(a) => inspect::run(&a),
        Command::Sample(a) => sample::run(&a),
    }
}

/// Refuse to write (`-o`, `--rejects`) over any input file: cxm never writes to its
/// inputs. Checked before any work.
pub fn refuse_overwriting_inputs(inputs: &[PathBuf], outputs: &[Option<&Path>]) -> Result<()> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    for out in outputs.iter().flatten() {
        if let Some(input) = inputs.iter().find(|i| same(i, out)) {
            return Err(crate::usage_err!(
                "{} is an input file: cxm never writes to its inputs (choose another output path)",
                input.display()
            ));
        }
    }
    Ok(())
}

/// Resolved output settings, checked before any work.
pub struct Output {
    pub format: Format,
    pub target: Target,
    pub width: u16,
}

impl Output {
    pub fn from_args(a: &OutputArgs) -> Result<Output> {
        let tty = std::io::stdout().is_terminal();
        let format = render::choose_format(a.format, a.output.as_deref(), tty);
        let target = match &a.output {
            Some(p) if p.as_os_str() != "-" => Target::File(p.clone()),
            _ => Target::Stdout,
        };
        target.check()?;
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| {
                if tty {
                    comfy_table::Table::new().width()
                } else {
                    None
                }
            })
            .unwrap_or(100);
        Ok(Output {
            format,
            target,
            width,
        })
    }

    pub fn emit(&self, report: &Report) -> Result<()> {
        self.target
            .write(&render::render(report, self.format, self.width))
    }

    pub fn write_document(&self, doc: &Document) -> Result<()> {
        self.target
            .write(&render::document::render(doc, self.format, self.width))
    }

    /// Check `--fail-if` names real columns, write the report, then enforce the rules.
    pub fn emit_checked(&self, report: &Report, a: &OutputArgs, section: &str) -> Result<()> {
        let tables = [(section, &report.table)];
        let rules = threshold::parse_all(&a.fail_if, &tables)?;
        self.emit(report)?;
        threshold::enforce(&rules, &tables)
    }
}
