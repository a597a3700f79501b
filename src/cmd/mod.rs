//! One module per subcommand; each merges its arguments and the `--config` file into
//! a typed request ([`crate::request`]), runs it ([`crate::compute`]) and hands a
//! [`crate::report::Report`] to the renderer.

pub mod churn;
pub mod customers;
pub mod inspect;
pub mod report;
pub mod sample;
pub mod sql;
pub mod surveys;
pub mod tickets;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, Format, InputArgs, OutputArgs, WindowArgs};
use crate::config::Config;
use crate::error::{warnings_said, Result};
use crate::render::{self, Target};
use crate::report::{Document, Report};
use crate::request::{RowHandling, Scope, Sources};
use crate::threshold;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Tickets(a) => tickets::run(&a),
        Command::Surveys(a) => surveys::run(&a),
        Command::Churn(a) => churn::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Customers(a) => customers::run(&a),
        Command::Drivers(a) => customers::run_drivers(&a),
        Command::Sql(a) => sql::run(&a),
        Command::Inspect(a) => inspect::run(&a),
        Command::Sample(a) => sample::run(&a),
    }
}

/// The input options, the config file's presets and column `maps` filling what the
/// command line leaves unset.
/// An error naming `--map` for a pair the config file gave (`sources` merged it with
/// the command line's) names the config's table instead.
/// `sources`: each kind of file read (the tickets beside surveys, an event log).
pub fn config_maps_named(
    e: crate::error::CxmError,
    sources: &[Option<&Sources>],
    typed: &InputArgs,
) -> crate::error::CxmError {
    let configured: Vec<(String, String)> = (sources.iter().flatten())
        .flat_map(|s| s.map.iter())
        // A pair typed is `--map`'s; the same field typed for another file (the
        // responses' beside the tickets') leaves the config's pair its own.
        .filter(|pair| !typed.map.contains(pair))
        .cloned()
        .collect();
    crate::compute::report::config_maps_of(e, Some(&configured))
}

pub fn sources(
    a: &InputArgs,
    filters: &[crate::input::filter::Condition],
    cfg: &Config,
    maps: &BTreeMap<String, String>,
) -> Sources {
    let mut map = a.map.clone();
    for (field, column) in maps {
        if !map.iter().any(|(f, _)| f == field) {
            map.push((field.clone(), column.clone()));
        }
    }
    Sources {
        paths: a.inputs.clone(),
        map,
        presets: presets(&a.preset, cfg),
        presets_configured: a.preset.is_empty() && !cfg.preset.names().is_empty(),
        date_format: a.date_format.clone(),
        delimiter: a.delimiter,
        encoding: a.encoding,
        na: na(&a.na, cfg),
        sheet: a.sheet.clone(),
        filters: filters.to_vec(),
        filters_where_present: false,
        given_by_kind: false,
        ids_trimmed: false,
    }
}

/// The `--na` markers given, and the config file's.
pub fn na(given: &[String], cfg: &Config) -> Vec<String> {
    let mut out = given.to_vec();
    out.extend(cfg.na.iter().flatten().cloned());
    out
}

/// `--scale` once a measure: two scales for one (`csat=1-5` and `csat=1-7`) would
/// leave the figure to the order of the flags.
pub fn one_scale_each(scales: &[(String, String)]) -> Result<()> {
    for (i, (measure, scale)) in scales.iter().enumerate() {
        if let Some((_, other)) = scales[..i].iter().find(|(m, s)| m == measure && s != scale) {
            return Err(crate::usage_err!(
                "--scale {measure} is given twice ('{other}' and '{scale}'): give it once"
            ));
        }
    }
    Ok(())
}

/// The presets asked for, else the config file's.
pub fn presets(asked: &[String], cfg: &Config) -> Vec<String> {
    if asked.is_empty() {
        cfg.preset.names()
    } else {
        asked.to_vec()
    }
}

/// The window options resolved against the clock, the config file filling the zone,
/// the groups and the buckets where the command line is silent.
pub fn scope(w: &WindowArgs, cfg: &Config) -> Result<Scope> {
    let tz = w.tz.as_deref().or(cfg.tz.as_deref()).unwrap_or("UTC");
    let given = w.by_given()?;
    let by_configured = given.is_none() && cfg.by.as_ref().is_some_and(|b| !b.is_empty());
    let by = given.or_else(|| cfg.by.clone()).unwrap_or_default();
    let now = w.now.as_deref().or(cfg.now.as_deref());
    let from_config = w.period.is_none() && w.since.is_none() && w.until.is_none();
    let mut scope = Scope::resolve(
        &window_spec(w, cfg),
        tz,
        now,
        by,
        w.every_or(cfg.every.flatten()),
    )
    .map_err(|e| match (from_config, &cfg.path) {
        // The config's bounds, in the zone in force: named as the file's keys (a
        // `--now` error is the command line's: the file's `now` is checked on reading).
        (true, Some(path)) if !e.to_string().starts_with("--now") => crate::usage_err!(
            "--config {}: {} (in {tz})",
            crate::text::path_shown(path),
            e.to_string()
                .replace("--until", "until")
                .replace("--since", "since")
        ),
        _ => e,
    })?;
    scope.by_configured = by_configured;
    if w.every_given().is_none() && cfg.every.flatten().is_some() {
        scope.dates_configured.push("every");
    }
    if from_config {
        let keys = [
            ("period", &cfg.period),
            ("since", &cfg.since),
            ("until", &cfg.until),
        ];
        (scope.dates_configured).extend(keys.iter().filter(|(_, v)| v.is_some()).map(|(k, _)| *k));
    }
    Ok(scope)
}

/// The window the command line gives, else the config file's.
pub fn window_spec(w: &WindowArgs, cfg: &Config) -> crate::calendar::WindowSpec {
    if w.period.is_none() && w.since.is_none() && w.until.is_none() {
        crate::calendar::WindowSpec {
            since: cfg.since.clone(),
            until: cfg.until.clone(),
            period: cfg.period.clone(),
        }
    } else {
        w.spec()
    }
}

/// `--strict`, `--rejects` and `-v`.
pub fn rows(a: &InputArgs, o: &OutputArgs) -> RowHandling {
    RowHandling {
        strict: a.strict,
        rejects: a.rejects.clone(),
        verbose: o.verbose,
        used_since: None,
    }
}

/// What a run reads and writes, checked before any work: cxm never writes over its
/// inputs (a directory's files included) or its `--config` file, and never sends two
/// outputs to one file (one would be lost).
pub struct Paths<'a> {
    pub inputs: &'a [PathBuf],
    pub config: Option<&'a Path>,
    /// Each output with the option that named it.
    pub outputs: &'a [(&'a str, Option<&'a Path>)],
}

/// [`Paths::check`] for a single-dataset command: its inputs (and `extra` inputs,
/// such as the tickets behind surveys), its config, `-o` and `--rejects`.
/// A command that reads files was given some.
pub fn require_inputs(input: &InputArgs) -> Result<()> {
    if input.inputs.is_empty() {
        return Err(crate::usage_err!("give the FILEs to read (or - for stdin)"));
    }
    Ok(())
}

pub fn check_paths(input: &InputArgs, extra: &[PathBuf], output: &OutputArgs) -> Result<()> {
    let inputs: Vec<PathBuf> = input.inputs.iter().chain(extra).cloned().collect();
    if !output.quiet {
        warn_unused_sheet(input.sheet.as_deref(), &inputs);
    }
    Paths {
        inputs: &inputs,
        config: input.config.as_deref(),
        outputs: &[
            ("-o", output.output.as_deref()),
            ("--rejects", input.rejects.as_deref()),
        ],
    }
    .check()
}

impl Paths<'_> {
    pub fn check(&self) -> Result<()> {
        // Stdin named for two kinds of data (`surveys - --tickets -`) is one copy
        // read as both, as a file named twice so is; twice for one kind is refused
        // where its files are read.
        let mut read: Vec<PathBuf> = Vec::new();
        let folders: Vec<&PathBuf> = self.inputs.iter().filter(|i| i.is_dir()).collect();
        for input in self.inputs {
            if input.is_dir() {
                // The files its reader takes (not a hidden one, nor a report beside them).
                if let Ok(entries) = std::fs::read_dir(input) {
                    let paths = entries.filter_map(|e| e.ok().map(|e| e.path()));
                    read.extend(paths.filter(|p| crate::input::source::read_from_folder(p)));
                }
                let with_o = self.outputs.iter().any(|(f, p)| *f == "-o" && p.is_some());
                refuse_stdout_inside(input, self.stdout_used(), with_o)?;
            } else if input.as_os_str() != "-" {
                read.push(input.clone());
            }
        }
        self.refuse_two_on_stdout()?;
        self.refuse_stdout_into_an_input()?;
        // `--rejects -` with stdout closed: said before the work, not after it.
        if let Some((flag, _)) = (self.outputs.iter())
            .find(|(f, p)| *f != "-o" && p.is_some_and(|p| p.as_os_str() == "-"))
        {
            crate::render::Target::Stdout.check().map_err(|_| {
                crate::CxmError::Internal(format!(
                    "{flag} -: stdout is closed: give the rejects a file"
                ))
            })?;
        }
        let stdin_read = self.inputs.iter().any(|i| i.as_os_str() == "-");
        let mut written: Vec<(&str, &Path, PathBuf)> = Vec::new();
        for (flag, out) in self.outputs {
            let Some(out) = out.filter(|p| p.as_os_str() != "-") else {
                continue;
            };
            Target::File(out.to_path_buf()).check()?;
            let id = identity(out);
            // The same path, or another name of the same file (a hard link).
            if let Some(input) = read.iter().find(|i| identity(i) == id || same_file(i, out)) {
                return Err(crate::usage_err!(
                    "{flag} {}: {} is an input file, and cxm never writes to its inputs (choose another path)",
                    crate::text::path_shown(out),
                    crate::text::path_shown(input)
                ));
            }
            for folder in &folders {
                refuse_read_back(flag, out, folder)?;
            }
            // `cxm tickets - -o t.csv < t.csv`: stdin is the output's file; or its
            // pipe (`-o /dev/stdin`), which cannot be written.
            if stdin_read && same_node(Path::new("/dev/stdin"), out) {
                return Err(crate::usage_err!(
                    "{flag} {}: that is the file on stdin, an input, and cxm never writes to its inputs (choose another path)",
                    crate::text::path_shown(out)
                ));
            }
            if let Some(config) = (self.config).filter(|c| identity(c) == id || same_file(c, out)) {
                return Err(crate::usage_err!(
                    "{flag} {}: that is the --config file {} (choose another path)",
                    crate::text::path_shown(out),
                    crate::text::path_shown(config)
                ));
            }
            // Two outputs may share a device (`/dev/null`): only a file would lose one.
            let device = std::fs::metadata(out).is_ok_and(|m| !m.is_file());
            let same = written
                .iter()
                .find(|(_, _, w)| *w == id)
                .filter(|_| !device);
            if let Some((other, other_path, _)) = same {
                return Err(crate::usage_err!(
                    "{flag} {} and {other} {} name the same file: one output would be lost",
                    crate::text::path_shown(out),
                    crate::text::path_shown(other_path)
                ));
            }
            written.push((flag, out, id));
        }
        Ok(())
    }
}

impl Paths<'_> {
    /// The report on stdout while stdout is appended to an input file (`cxm tickets
    /// t.csv >> t.csv`, or `- < t.csv >> t.csv`): the export would gain the report's
    /// lines.
    /// Does anything go to stdout: the report, unless it goes to a file; the rejects,
    /// when they go to stdout?
    fn stdout_used(&self) -> bool {
        let output = |flag: &str| (self.outputs.iter()).find(|(f, _)| *f == flag);
        let on_stdout = |p: &Path| p.as_os_str() == "-" || crate::render::is_stdout(p);
        let report = output("-o").is_none_or(|(_, p)| p.is_none_or(on_stdout));
        let rejects = output("--rejects").is_some_and(|(_, p)| p.is_some_and(on_stdout));
        report || rejects
    }

    fn refuse_stdout_into_an_input(&self) -> Result<()> {
        let output = |flag: &str| (self.outputs.iter()).find(|(f, _)| *f == flag);
        if !self.stdout_used() {
            return Ok(());
        }
        let stdin = Path::new("/dev/stdin");
        let stdin_read = self.inputs.iter().any(|i| i.as_os_str() == "-");
        // Files named; a folder's (`cxm tickets d >> d/t.csv`) are refused before.
        let named = (self.inputs.iter()).filter(|i| i.as_os_str() != "-" && !i.is_dir());
        let inputs = named
            .map(PathBuf::as_path)
            .chain(stdin_read.then_some(stdin))
            .chain(self.config);
        // A terminal or a pipe may be both ends; only a file would be written into.
        let written_into = |p: &Path| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file()) && crate::render::is_stdout(p)
        };
        let on_stdout = |p: &Path| p.as_os_str() == "-" || crate::render::is_stdout(p);
        let way_out = match output("-o") {
            None => "send it elsewhere",
            Some((_, None)) => "send the report elsewhere, or give -o",
            // The report in a file: the rejects are what goes to stdout.
            Some((_, Some(p))) if !on_stdout(p) => "give --rejects a file",
            Some(_) => "give -o a file",
        };
        match inputs.into_iter().find(|p| written_into(p)) {
            Some(input) => Err(crate::usage_err!(
                "stdout goes to {}, an input file, and cxm never writes to its inputs ({way_out})",
                match (input == stdin, Some(input) == self.config) {
                    (true, _) => "the file on stdin".to_string(),
                    (_, true) => format!("the --config file {}", crate::text::path_shown(input)),
                    _ => crate::text::path_shown(input),
                }
            )),
            None => Ok(()),
        }
    }

    /// `--rejects -` (or `/dev/stdout`, or the file stdout goes to) while the report
    /// goes to stdout too would interleave two CSVs into one broken file.
    fn refuse_two_on_stdout(&self) -> Result<()> {
        let named = |flag: &str| {
            (self.outputs.iter())
                .find(|(f, _)| *f == flag)
                .and_then(|(_, p)| *p)
        };
        let on_stdout = |p: &Path| p.as_os_str() == "-" || crate::render::is_stdout(p);
        // Both thrown away (`> /dev/null`): nothing to break.
        if stdout_discarded() {
            return Ok(());
        }
        match named("--rejects") {
            Some(rejects) if on_stdout(rejects) && named("-o").is_none_or(on_stdout) => {
                Err(crate::usage_err!(
                    "--rejects {}: the report goes to stdout too, and the two would be one broken file: give the report a file with -o, or the rejects another path",
                    crate::text::path_shown(rejects)
                ))
            }
            _ => Ok(()),
        }
    }
}

/// An SLA target written as a bare number is hours (`--sla 30`: 30 h) whatever
/// `--time-unit`: said when the durations are shown in another unit, where `30` was
/// probably meant in it.
pub fn warn_sla_in_hours(sla: Option<&str>, unit: crate::metrics::tickets::TimeUnit) {
    let Some(text) = sla.map(str::trim).filter(|t| t.parse::<f64>().is_ok()) else {
        return;
    };
    if unit == crate::metrics::tickets::TimeUnit::Hours {
        return;
    }
    let short = &unit.suffix()[..1];
    let one = text.parse::<f64>().is_ok_and(|x| x == 1.0);
    let (hours, units) = match one {
        true => ("hour", unit.suffix().trim_end_matches('s')),
        false => ("hours", unit.suffix()),
    };
    crate::say!(
        "cxm: warning: the SLA target {text} has no unit, so it is {text} {hours} (--time-unit {} sets the output's unit only); write {text}{short} for {text} {units}",
        unit.suffix()
    );
}

/// `--sheet` with no workbook among the inputs (nor stdin, which may hold one): said,
/// not passed over in silence (a mistyped extension, or the wrong files).
pub fn warn_unused_sheet(sheet: Option<&str>, inputs: &[PathBuf]) {
    let Some(sheet) = sheet else {
        return;
    };
    // By its name, or by its content (a workbook is read as one whatever its name).
    let zipped = |p: &Path| {
        let mut head = [0u8; 4];
        let read = |r: &mut dyn std::io::Read, head: &mut [u8; 4]| r.read_exact(head).is_ok();
        let Ok(mut file) = std::fs::File::open(p) else {
            return false;
        };
        if !read(&mut file, &mut head) {
            return false;
        }
        // A gzip of a workbook (`book.xlsx.gz`) is read as the workbook it holds.
        if head[..2] == [0x1f, 0x8b] {
            let Ok(file) = std::fs::File::open(p) else {
                return false;
            };
            if !read(&mut flate2::read::GzDecoder::new(file), &mut head) {
                return false;
            }
        }
        &head == crate::input::excel::ZIP_MAGIC
    };
    let workbook =
        |p: &Path| crate::input::excel::is_workbook_name(p) || (p.is_file() && zipped(p));
    // Stdin, a pipe or a FIFO may hold a workbook: read as one when it does.
    let stream = |p: &Path| {
        p.as_os_str() == "-" || std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir())
    };
    let any = inputs.iter().any(|p| {
        stream(p)
            || workbook(p)
            || (p.is_dir())
                && std::fs::read_dir(p)
                    .is_ok_and(|d| d.filter_map(|e| e.ok()).any(|e| workbook(&e.path())))
    });
    if !any {
        crate::say!("cxm: warning: --sheet {sheet}: no workbook (.xlsx) among the inputs, so it applies to none");
    }
}

/// Stdout redirected into an input folder: `cxm tickets d > d/out.csv` has the shell
/// create a file that this run would read as data, as would the next; `>>
/// d/tickets.csv` would write into an export (unless nothing goes to stdout).
fn refuse_stdout_inside(folder: &Path, stdout_used: bool, with_o: bool) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(());
    };
    let stdout = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| crate::input::source::read_from_folder(p) && crate::render::is_stdout(p));
    let Some(file) = stdout else {
        return Ok(());
    };
    let empty = std::fs::metadata(&file).is_ok_and(|m| m.len() == 0);
    let way_out = match with_o {
        true => "send the report outside the folder",
        false => "send the report outside the folder or give -o",
    };
    match (empty, stdout_used) {
        (true, _) => Err(crate::usage_err!(
            "stdout goes to {}, in the input folder {}: it would be read as data (remove it, and {way_out})",
            crate::text::path_shown(&file),
            crate::text::path_shown(folder)
        )),
        (false, true) => Err(crate::usage_err!(
            "stdout goes to {}, an input file in {}, and cxm never writes to its inputs ({way_out})",
            crate::text::path_shown(&file),
            crate::text::path_shown(folder)
        )),
        (false, false) => Ok(()),
    }
}

/// An output written into an input folder under a name the folder's reader takes
/// (`exports/weekly.csv` of `cxm tickets exports/`) would be read as data by the next
/// run: refused before any work.
pub fn refuse_read_back(flag: &str, out: &Path, folder: &Path) -> Result<()> {
    // Through a link too: the file written is the one it names.
    let written = identity(out);
    let inside = render::parent_dir(&written) == identity(folder);
    if inside && crate::input::source::read_from_folder(&written) {
        return Err(crate::usage_err!(
            "{flag} {}: {} is an input folder, and the next run would read this output as data (choose a path outside it)",
            crate::text::path_shown(out),
            crate::text::path_shown(folder)
        ));
    }
    Ok(())
}

/// Do two paths name one regular file (same device and inode)?
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Does stdout go to `/dev/null`?
fn stdout_discarded() -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    match (
        std::fs::metadata("/dev/stdout"),
        std::fs::metadata("/dev/null"),
    ) {
        (Ok(out), Ok(null)) => out.file_type().is_char_device() && out.rdev() == null.rdev(),
        _ => false,
    }
}

/// Do both paths name one file or pipe (not a terminal, which reads and writes)?
fn same_node(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => {
            !a.file_type().is_char_device() && a.dev() == b.dev() && a.ino() == b.ino()
        }
        _ => false,
    }
}

/// A path as the file it finally names: symlinks followed, and for a file that does
/// not exist yet, its folder resolved.
fn identity(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    // A link to a file not made yet names the file it will write (`-o` of another
    // output), however many links lead there.
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&path) else {
            break;
        };
        path = render::parent_dir(&path).join(target);
    }
    let path = path.as_path();
    match (render::parent_dir(path).canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Resolved output settings, checked before any work.
pub struct Output {
    pub format: Format,
    pub target: Target,
    pub width: u16,
    /// What the report covers (window, grouping, inputs), under an HTML page's
    /// title: a page mailed by cron says which period it is.
    pub about: Vec<String>,
}

/// `-o NAME.tsv` (or `.xlsx`, `.parquet`…) without `--format`: a file named for a
/// format cxm does not write would get CSV under a name that says otherwise. A name
/// of an archive or compressed other than by gzip (`.zip`, `.bz2`…) is refused even
/// with `--format`: what is written is neither. `named`: how messages name the path
/// (`-o week.tsv`, or the saved report's key).
pub(crate) fn refuse_other_format(path: &Path, format_given: bool, named: &str) -> Result<()> {
    const OTHERS: &[&str] = &[
        "tsv", "tab", "xlsx", "xlsm", "xlsb", "xls", "ods", "numbers", "parquet", "pq", "feather",
        "arrow", "avro", "orc", "xml", "yaml", "yml", "jsonc", "json5", "pdf", "docx", "odt",
        "pptx",
    ];
    const ARCHIVES: &[&str] = &[
        "tar", "tar.gz", "tgz", "tar.bz2", "tbz2", "tar.xz", "txz", "tar.zst", "zip", "7z", "rar",
    ];
    const COMPRESSED: &[&str] = &["bz2", "xz", "zst", "zstd", "lz4", "lzma", "br", "z"];
    let name = path.to_string_lossy().to_ascii_lowercase();
    let ends = |ext: &&&str| name.ends_with(&format!(".{ext}"));
    if let Some(ext) = ARCHIVES.iter().find(ends) {
        return Err(crate::usage_err!(
            "{named}: cxm writes no .{ext} archive, one file alone; name it .csv, .json, .ndjson, .md, .html or .txt (.gz after any of them compresses it)"
        ));
    }
    if let Some(ext) = COMPRESSED.iter().find(ends) {
        return Err(crate::usage_err!(
            "{named}: cxm does not write .{ext} (it compresses with gzip alone); name the file .gz (week.csv.gz) or leave it uncompressed"
        ));
    }
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match OTHERS.iter().find(|e| name.ends_with(&format!(".{e}"))) {
        Some(ext) if !format_given => {
            let format = match named.starts_with("-o ") {
                true => "--format",
                false => "the report's format",
            };
            Err(crate::usage_err!(
                "{named}: cxm does not write .{ext}; name the file .csv, .json, .ndjson, .md, .html or .txt (a table), or give {format}"
            ))
        }
        _ => Ok(()),
    }
}

impl Output {
    pub fn from_args(a: &OutputArgs) -> Result<Output> {
        let tty = std::io::stdout().is_terminal();
        if let Some(path) = &a.output {
            let named = format!("-o {}", crate::text::path_shown(path));
            refuse_other_format(path, a.format.is_some(), &named)?;
        }
        // A rule that cannot be read is refused before any work (its metric is
        // looked for once the tables are made).
        for rule in &a.fail_if {
            crate::threshold::Rule::parse(rule)?;
        }
        let format = render::choose_format(a.format, a.output.as_deref(), tty);
        let target = match &a.output {
            Some(p) if p.as_os_str() != "-" => Target::File(p.clone()),
            _ => Target::Stdout,
        };
        if let Target::Stdout = target {
            target.check()?;
        }
        let width = table_width(tty, 100);
        Ok(Output {
            format,
            target,
            width,
            about: Vec::new(),
        })
    }

    pub fn emit(&self, report: &Report) -> Result<()> {
        if self.format == Format::Html {
            return self
                .target
                .write(render::html_page(report, &self.about, &warnings_said()).as_bytes());
        }
        self.target.write_with(&mut |out| {
            render::write(report, self.format, self.width, out)?;
            // A document for people says what stderr said, as the page does.
            match self.format {
                render::Format::Markdown => {
                    out.write_all(render::markdown::warnings(&warnings_said(), "###").as_bytes())
                }
                _ => Ok(()),
            }
        })
    }

    /// The lines of [`Output::about`]: the window and grouping, and each input with
    /// the rows read from it.
    pub fn covering(mut self, scope: &Scope, inputs: &[(&str, &[PathBuf])], rows: u64) -> Output {
        self.about = vec![format!("window: {}", scope.describe())];
        for (what, paths) in inputs.iter().filter(|(_, p)| !p.is_empty()) {
            let names: Vec<String> = paths.iter().map(|p| crate::text::path_shown(p)).collect();
            self.about.push(format!(
                "{what}: {}",
                crate::text::files_listed(&names, " + ")
            ));
        }
        match rows {
            0 => {}
            1 => self.about.push("1 row read".into()),
            _ => self.about.push(format!("{rows} rows read")),
        }
        self
    }

    /// One more line under the page's title (none when `line` is empty).
    pub fn also(mut self, line: String) -> Output {
        if !line.is_empty() {
            self.about.push(line);
        }
        self
    }

    pub fn write_document(&self, doc: &Document) -> Result<()> {
        self.target.write(&render::document::render(
            doc,
            self.format,
            self.width,
            &warnings_said(),
        ))
    }

    /// Check `--fail-if` names real columns, write the report, then enforce the rules.
    pub fn emit_checked(&self, report: &Report, a: &OutputArgs, section: &str) -> Result<()> {
        let tables = [(section, &report.table)];
        let rules = threshold::parse_all(&a.fail_if, &tables)?;
        threshold::write_then_enforce(&rules, &tables, a.quiet, || self.emit(report))
    }
}

/// The width tables are laid out in: `COLUMNS`, else the terminal's (stdout on one),
/// else `otherwise`. A width of 0 (`COLUMNS=0`, a terminal that reports no size) is
/// no width.
pub fn table_width(tty: bool, otherwise: u16) -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &u16| w > 0)
        .or_else(|| match tty {
            true => comfy_table::Table::new().width().filter(|&w| w > 0),
            false => None,
        })
        .unwrap_or(otherwise)
}
