//! What a person sees on a terminal: run under `script`, which gives cxm a terminal
//! for stderr and records what it draws there.

use std::process::Command;

use crate::common::Workdir;

/// A warning said while the spinner is drawn clears the spinner's line first: it was
/// written after the spinner's text, which stayed on screen above every warning. The
/// tickets come through a FIFO a second late, so the spinner (drawn after 0.4 s) is up
/// when `report` warns that the window (January 2030) holds none of them.
#[test]
fn a_warning_said_mid_run_clears_the_spinner_line() {
    let wd = Workdir::new();
    wd.write(
        "data.csv",
        b"ticket_id,created_at,first_response_at\nA,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\n",
    );
    let run = format!(
        "mkfifo t.csv && (sleep 1; cat data.csv > t.csv) & \
         script -q -e -c 'env -u CI TERM=xterm {} report --tickets t.csv --period 2030-01 -o out.csv' drawn < /dev/null > /dev/null",
        assert_cmd::cargo::cargo_bin("cxm").display()
    );
    let status = Command::new("bash")
        .arg("-c")
        .arg(&run)
        .current_dir(wd.dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{run}");
    let drawn = String::from_utf8_lossy(&std::fs::read(wd.path("drawn")).unwrap()).into_owned();
    // The spinner was drawn, else nothing here is tested.
    assert!(drawn.contains("cxm: computing the report"), "{drawn}");
    let at = drawn
        .find("cxm: warning: the window")
        .unwrap_or_else(|| panic!("{drawn}"));
    // What comes before the warning: the line cleared (`\r`, ESC [2K), or a line end.
    let before = &drawn[..at];
    assert!(
        before.ends_with("\r\u{1b}[2K") || before.ends_with('\n'),
        "the warning follows {:?}",
        before.chars().rev().take(60).collect::<String>()
    );
}

/// `inspect` lays its table out in the terminal's width (`COLUMNS`), its panels
/// repeating the column's name alone: at 80 columns every line of the sample tickets'
/// table fits, and every panel starts with `column` (it was one table 114 wide).
#[test]
fn inspect_fits_the_terminal_width() {
    let tickets = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/tickets.csv");
    let out = Command::new(assert_cmd::cargo::cargo_bin("cxm"))
        .args(["inspect", tickets])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let table: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
        .collect();
    assert!(!table.is_empty(), "{text}");
    for line in &table {
        assert!(line.chars().count() <= 80, "{line}");
    }
    let headers: Vec<&str> = text
        .lines()
        .zip(text.lines().skip(1))
        .filter(|(top, _)| top.starts_with('┌'))
        .map(|(_, header)| header)
        .collect();
    assert!(headers.len() >= 2, "{text}");
    for h in &headers {
        assert!(h.starts_with("│ column "), "{h}");
    }
    // Every column of the findings is in some panel.
    for name in ["field", "type", "format", "empty", "example"] {
        assert_eq!(
            headers.iter().filter(|h| h.contains(name)).count(),
            1,
            "{name}: {text}"
        );
    }
}

/// Every command's `--help` is wrapped at the terminal's width (`COLUMNS`): no line
/// of it is wider than 80 columns at 80 (they ran to 294, broken mid-word by the
/// terminal).
#[test]
fn help_is_wrapped_at_the_terminal_width() {
    let commands = [
        "",
        "tickets",
        "surveys",
        "churn",
        "report",
        "customers",
        "drivers",
        "inspect",
        "sql",
        "sample",
    ];
    for command in commands {
        let mut args: Vec<&str> = vec![command, "--help"];
        args.retain(|a| !a.is_empty());
        let out = Command::new(assert_cmd::cargo::cargo_bin("cxm"))
            .args(&args)
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.lines().count() > 10, "{command}: {help}");
        for line in help.lines() {
            assert!(line.chars().count() <= 80, "{command}: {line}");
        }
        // `COLUMNS=0` (a terminal that reports no size) is no width: the help as
        // when it is unset, not one word a line.
        let help_at = |columns: Option<&str>| {
            let mut run = Command::new(assert_cmd::cargo::cargo_bin("cxm"));
            run.args(&args).env_remove("COLUMNS");
            if let Some(c) = columns {
                run.env("COLUMNS", c);
            }
            String::from_utf8(run.output().unwrap().stdout).unwrap()
        };
        assert_eq!(help_at(Some("0")), help_at(None), "{command}");
    }
}

/// Ctrl-C while the spinner is drawn clears its line before the run ends: the line
/// stayed on screen above the shell's prompt. The tickets come through a FIFO held
/// open and never written, so the run waits with the spinner up until the signal.
#[test]
fn an_interrupted_run_clears_the_spinner_line() {
    let wd = Workdir::new();
    let bin = assert_cmd::cargo::cargo_bin("cxm");
    let run = format!(
        "mkfifo t.csv && (exec 3>t.csv; sleep 6) & \
         (sleep 1.5; pkill -INT -f '^{bin} report --tickets t.csv') & \
         script -q -e -c 'env -u CI TERM=xterm {bin} report --tickets t.csv -o out.csv' drawn < /dev/null > /dev/null; \
         echo \"exit $?\" > status",
        bin = bin.display()
    );
    let status = Command::new("bash")
        .arg("-c")
        .arg(&run)
        .current_dir(wd.dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{run}");
    // Killed by SIGINT: 130, as the shell reports it.
    let status = std::fs::read_to_string(wd.path("status")).unwrap();
    assert_eq!(status.trim(), "exit 130");
    let drawn = String::from_utf8_lossy(&std::fs::read(wd.path("drawn")).unwrap()).into_owned();
    let last = drawn
        .rfind("cxm: computing the report")
        .unwrap_or_else(|| panic!("the spinner was not drawn: {drawn:?}"));
    // `script` ends its record with a line of its own.
    let after = drawn[last..]
        .split("\nScript done")
        .next()
        .unwrap_or_default();
    assert!(
        after.trim_end_matches(['\r', '\n']).ends_with("\u{1b}[2K"),
        "the spinner's line is left as {after:?}"
    );
    assert!(!wd.path("out.csv").exists());
}

/// The help on a terminal is styled as clap styles it, and plain where `NO_COLOR` is
/// set or the terminal is dumb (written through cxm's own output since the help's
/// write errors are checked, it was styled whatever these said).
#[test]
fn help_on_a_terminal_follows_no_color() {
    let wd = Workdir::new();
    let drawn = |env: &str| {
        let run = format!(
            // `CI` set styles it even on a dumb terminal, as clap does.
            "script -q -e -c 'env -u CI {env} {} --help' drawn < /dev/null > /dev/null",
            assert_cmd::cargo::cargo_bin("cxm").display()
        );
        let status = Command::new("bash")
            .arg("-c")
            .arg(&run)
            .current_dir(wd.dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "{run}");
        String::from_utf8_lossy(&std::fs::read(wd.path("drawn")).unwrap()).into_owned()
    };
    let styled = drawn("TERM=xterm");
    assert!(
        styled.contains("Usage") && styled.contains("\u{1b}["),
        "{styled}"
    );
    for env in [
        "TERM=xterm NO_COLOR=1",
        "TERM=dumb",
        "TERM=xterm CLICOLOR=0",
        "-u TERM",
    ] {
        let plain = drawn(env);
        assert!(plain.contains("Usage: cxm"), "{env}: {plain}");
        assert!(!plain.contains("\u{1b}["), "{env}: {plain}");
    }
}

/// `CLICOLOR_FORCE` styles the help off a terminal too, as clap styles its usage
/// errors.
#[test]
fn clicolor_force_styles_the_help_anywhere() {
    let out = Command::new(assert_cmd::cargo::cargo_bin("cxm"))
        .arg("--help")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    // `NO_COLOR` comes first, as for clap's usage errors.
    let out = Command::new(assert_cmd::cargo::cargo_bin("cxm"))
        .arg("--help")
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
}
