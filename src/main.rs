//! The `cxm` binary: parse arguments, run, map errors to exit codes (SPEC §3).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A Parquet timestamp is an instant in UTC whatever zone it is labelled with;
    // polars refuses a label it cannot name (`+05:30`, which pandas writes for
    // offsets read from text). Set before any thread starts.
    std::env::set_var("POLARS_IGNORE_TIMEZONE_PARSE_ERROR", "1");
    // A `COLUMNS` that is no width (`0`: a terminal that reports no size) is unset, as
    // the tables take it: clap would wrap the help at one word a line.
    let width = std::env::var("COLUMNS").ok().map(|c| c.parse::<u16>());
    if matches!(width, Some(Ok(0) | Err(_))) {
        std::env::remove_var("COLUMNS");
    }
    cxm::render::guard_stdout();
    cxm::cleanup::fail_writes_past_size_limit();
    // Inputs are mapped (by the block reader and by polars' own scans).
    cxm::cleanup::stop_on_cut_short_input();
    let cli = match cxm::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            match cxm::cmd::sql::refused_option(&args) {
                Some(refusal) => {
                    cxm::say!("cxm: error: {refusal}");
                    return ExitCode::from(refusal.exit_code());
                }
                None => {
                    // clap's message quotes what was typed: an argument holding a
                    // control character (an escape sequence) gets the plain message,
                    // whose text has them stripped, not one a terminal would run.
                    let unprintable = |a: &std::ffi::OsString| {
                        a.to_string_lossy().chars().any(cxm::text::unprintable)
                    };
                    // And quotes it whole: a `--where` list of thousands of ids by its
                    // start, as cxm's own messages quote it.
                    let long = |a: &std::ffi::OsString| a.len() > 120;
                    if !args.iter().any(unprintable) && !args.iter().any(long) {
                        e.exit()
                    }
                    let mut text = e.to_string();
                    for arg in args.iter().filter(|a| long(a)) {
                        let arg = arg.to_string_lossy();
                        // `--where=…`: clap quotes the value alone.
                        let value = match arg.strip_prefix("--") {
                            Some(option) => option.split_once('=').map_or(&*arg, |(_, v)| v),
                            None => &*arg,
                        };
                        text = text.replace(value, &cxm::text::condition_shown(value));
                    }
                    // Escaped as every message is (clap strips an escape sequence
                    // and leaves a direction mark or a line separator as it is).
                    eprint!("{}", cxm::text::printable_lines(&text));
                    return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
                }
            }
        }
        // Help and version, written as a report is (styled on a terminal, as clap
        // prints them), so that a full disk or a closed or read-only stdout is said
        // (exit 1) rather than passed over.
        Err(e) => {
            let text = match help_styled() {
                true => e.render().ansi().to_string(),
                false => e.render().to_string(),
            };
            if cxm::render::stdout_closed() {
                cxm::say!("cxm: error: stdout is closed: nowhere to write the help or version");
                return ExitCode::from(1);
            }
            if let Err(why) = cxm::render::Target::Stdout.write(text.as_bytes()) {
                cxm::say!("cxm: error: {why}");
                return ExitCode::from(why.exit_code());
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(0));
        }
    };
    cxm::panics::install();
    match cxm::panics::catch(|| cxm::run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            cxm::say!("cxm: error: {}", cxm::text::cut_message(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
        Err(message) => {
            cxm::say!("cxm: error: internal error (a bug in cxm): {message}");
            ExitCode::from(1)
        }
    }
}

/// Whether the help is styled, decided in the order clap's usage errors are
/// (anstream's): `NO_COLOR` leaves it plain, then `CLICOLOR_FORCE` styles it
/// anywhere, `CLICOLOR=0` leaves it plain; otherwise a terminal styles it where
/// `TERM` names one that is not dumb, `CLICOLOR` asks for colour, or `CI` is set.
fn help_styled() -> bool {
    let var = |key: &str| std::env::var_os(key).filter(|v| !v.is_empty());
    if var("NO_COLOR").is_some() {
        return false;
    }
    if var("CLICOLOR_FORCE").is_some() {
        return true;
    }
    let clicolor = std::env::var_os("CLICOLOR");
    if clicolor.as_ref().is_some_and(|v| v == "0") {
        return false;
    }
    let term = std::env::var_os("TERM").is_some_and(|t| t != "dumb");
    let asked = term || clicolor.is_some() || std::env::var_os("CI").is_some();
    asked && std::io::IsTerminal::is_terminal(&std::io::stdout())
}
