//! What cxm must never harm: special files behind `-o`, file modes, its inputs and
//! config, a second output, temporary files after a signal, a closed stdout.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Workdir;

/// Two tickets: A answered after 1 h, B after 30 min, so the CSV output is known.
const TICKETS: &[u8] = b"ticket_id,created_at,first_response_at\n\
A,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\n\
B,2025-03-03T09:00:00Z,2025-03-03T09:30:00Z\n";

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("cxm")
}

/// `script` run by bash in `wd`, with cxm's path as `$0`.
fn in_bash(wd: &Workdir, script: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(bin())
        .current_dir(wd.dir.path())
        .output()
        .unwrap()
}

/// The report is the CSV of two tickets (checked on its content, not its bytes).
fn assert_two_ticket_report(bytes: &[u8]) {
    let rows = crate::common::parse_csv(bytes);
    assert_eq!(rows.len(), 1, "{}", String::from_utf8_lossy(bytes));
    assert_eq!(rows[0]["tickets"], "2");
    assert_eq!(rows[0]["first_response_mean_hours"], "0.75");
}

fn no_temp_files_in(dir: &std::path::Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".cxm-") || n.starts_with("cxm-input-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn output_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    std::fs::create_dir(wd.path("real")).unwrap();
    wd.write("real/out.csv", b"old\n");
    std::os::unix::fs::symlink("real/out.csv", wd.path("link.csv")).unwrap();
    wd.cxm()
        .args(["tickets", "t.csv", "-o", "link.csv"])
        .assert()
        .success();
    let meta = std::fs::symlink_metadata(wd.path("link.csv")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_two_ticket_report(&std::fs::read(wd.path("real/out.csv")).unwrap());
    no_temp_files_in(wd.dir.path());
    no_temp_files_in(&wd.path("real"));
}

/// A report file with another name (a hard link) is replaced under the name given,
/// atomically: that name shows the new report, the other keeps the old one (written
/// in place, an interrupted run would leave half a report under both).
#[test]
fn output_onto_a_hard_linked_file_replaces_the_name_given() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    wd.write("out.csv", b"old\n");
    std::fs::hard_link(wd.path("out.csv"), wd.path("other.csv")).unwrap();
    wd.cxm()
        .args(["tickets", "t.csv", "-o", "out.csv"])
        .assert()
        .success();
    assert_two_ticket_report(&std::fs::read(wd.path("out.csv")).unwrap());
    assert_eq!(std::fs::read(wd.path("other.csv")).unwrap(), b"old\n");
    no_temp_files_in(wd.dir.path());
}

#[test]
fn output_to_a_dangling_symlink_creates_its_target() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    std::os::unix::fs::symlink("made.csv", wd.path("link.csv")).unwrap();
    wd.cxm()
        .args(["tickets", "t.csv", "-o", "link.csv"])
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(wd.path("link.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_two_ticket_report(&std::fs::read(wd.path("made.csv")).unwrap());
}

#[test]
fn output_to_a_fifo_writes_through_it() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let fifo = wd.path("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // The reader must be there for the writer's open to return.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    wd.cxm()
        .args(["tickets", "t.csv", "--format", "csv", "-o", "pipe"])
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    assert_two_ticket_report(&reader.join().unwrap());
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
    no_temp_files_in(wd.dir.path());
}

/// A character device made by the test (the null device's numbers, 1:3) stays a
/// device. Only root may make one; elsewhere the test checks nothing more.
#[test]
fn output_to_a_device_node_keeps_the_device() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: no device node can be made, skipped");
        return;
    }
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let made = Command::new("mknod")
        .arg(wd.path("null"))
        .args(["c", "1", "3"])
        .status()
        .unwrap();
    assert!(made.success());
    for args in [
        &["tickets", "t.csv", "-o", "null"][..],
        &["tickets", "t.csv", "--rejects", "null"],
    ] {
        wd.cxm().args(args).assert().success();
        // Both outputs to one device is fine: nothing is replaced, nothing lost.
        wd.cxm()
            .args(["tickets", "t.csv", "-o", "null", "--rejects", "null"])
            .assert()
            .success();
        let meta = std::fs::symlink_metadata(wd.path("null")).unwrap();
        assert!(
            meta.file_type().is_char_device(),
            "{args:?}: device replaced"
        );
        assert_eq!(meta.rdev(), libc::makedev(1, 3), "{args:?}");
    }
    no_temp_files_in(wd.dir.path());
}

#[test]
fn a_new_output_gets_the_umask_mode_and_a_replaced_one_keeps_its_mode() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let run = |umask: &str, out: &str| {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" tickets t.csv -o {out} --rejects r-{out}"
            ))
            .arg(bin())
            .current_dir(wd.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    };
    let mode = |name: &str| std::fs::metadata(wd.path(name)).unwrap().mode() & 0o7777;
    run("027", "new.csv");
    assert_eq!(mode("new.csv"), 0o640);
    assert_eq!(mode("r-new.csv"), 0o640);
    run("022", "other.csv");
    assert_eq!(mode("other.csv"), 0o644);

    wd.write("kept.csv", b"old\n");
    std::fs::set_permissions(wd.path("kept.csv"), std::fs::Permissions::from_mode(0o604)).unwrap();
    run("077", "kept.csv");
    assert_eq!(mode("kept.csv"), 0o604);
    assert_two_ticket_report(&std::fs::read(wd.path("kept.csv")).unwrap());
}

#[test]
fn outputs_never_land_on_a_directory_input_the_config_or_each_other() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets.csv", TICKETS);
    wd.write("t.csv", TICKETS);
    let config = b"sla = \"1h\"\n";
    wd.write("cx.toml", config);
    wd.write("out.csv", b"earlier report\n");
    // Another name of the input (a hard link): replacing it would leave the input's
    // name on the old data and this one on the report, or (written in place) lose it.
    std::fs::hard_link(wd.path("d/tickets.csv"), wd.path("linked.csv")).unwrap();
    std::fs::hard_link(wd.path("cx.toml"), wd.path("linked.toml")).unwrap();
    for (args, says) in [
        (
            &["tickets", "d", "-o", "d/tickets.csv"][..],
            "is an input file",
        ),
        (&["tickets", "d", "-o", "linked.csv"], "is an input file"),
        (
            &[
                "tickets",
                "t.csv",
                "--config",
                "cx.toml",
                "-o",
                "linked.toml",
            ],
            "--config file",
        ),
        (
            &["tickets", "d", "--rejects", "./d/../d/tickets.csv"],
            "is an input file",
        ),
        (
            &["surveys", "s.csv", "--tickets", "d", "-o", "d/tickets.csv"],
            "is an input file",
        ),
        (&["report", "d", "-o", "d/tickets.csv"], "is an input file"),
        (
            &["tickets", "t.csv", "--config", "cx.toml", "-o", "cx.toml"],
            "--config file",
        ),
        (
            &[
                "report",
                "--tickets",
                "t.csv",
                "--config",
                "cx.toml",
                "--rejects",
                "cx.toml",
            ],
            "--config file",
        ),
        (
            &["tickets", "t.csv", "--rejects", "out.csv", "-o", "out.csv"],
            "name the same file",
        ),
        (
            &[
                "tickets",
                "t.csv",
                "--rejects",
                "new.csv",
                "-o",
                "./new.csv",
            ],
            "name the same file",
        ),
        (
            &[
                "report",
                "--tickets",
                "t.csv",
                "--rejects",
                "out.csv",
                "-o",
                "out.csv",
            ],
            "name the same file",
        ),
    ] {
        let out = wd.cxm().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(std::fs::read(wd.path("d/tickets.csv")).unwrap(), TICKETS);
        assert_eq!(std::fs::read(wd.path("cx.toml")).unwrap(), config);
        assert_eq!(
            std::fs::read(wd.path("out.csv")).unwrap(),
            b"earlier report\n"
        );
        assert!(!wd.path("new.csv").exists());
    }
}

#[test]
fn a_closed_stdout_is_an_error_not_a_lost_report() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    for cmd in [
        "exec \"$0\" tickets t.csv >&-",
        "exec \"$0\" inspect t.csv >&-",
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .arg(bin())
            .current_dir(wd.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {stderr}");
        assert!(stderr.contains("stdout is closed"), "{stderr}");
    }
    // With -o the report does not need stdout.
    let status = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" tickets t.csv -o out.csv >&-")
        .arg(bin())
        .current_dir(wd.dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert_two_ticket_report(&std::fs::read(wd.path("out.csv")).unwrap());
}

/// `sh -c CMD` in `wd`, with cxm as `$0`.
fn in_shell(wd: &Workdir, cmd: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .arg(bin())
        .current_dir(wd.dir.path())
        .output()
        .unwrap()
}

/// `-` with stdin closed (`<&-`) says so (exit 3), where it read as an empty file; a
/// named file needs no stdin.
#[test]
fn a_closed_stdin_is_said_to_be_closed() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let run = |cmd: &str| in_shell(&wd, cmd);
    let out = run("exec \"$0\" tickets - <&-");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("<stdin>: stdin is closed"), "{stderr}");
    let out = run("exec \"$0\" tickets - < /dev/null");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the file is empty"), "{stderr}");
    let out = run("exec \"$0\" tickets t.csv <&-");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_two_ticket_report(&out.stdout);
}

/// A run stopped by SIGTERM or SIGINT while it reads stdin removes the spool it was
/// filling, and dies of the signal as a shell expects.
#[test]
fn a_signal_removes_temporary_files() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let wd = Workdir::new();
        let tmp = wd.path("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let mut child = Command::new(bin())
            .args(["tickets", "-", "-o", "out.csv"])
            .current_dir(wd.dir.path())
            .env("TMPDIR", &tmp)
            .stdin(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, TICKETS).unwrap();
        // Wait for the spool to appear: the run is then blocked reading stdin.
        let start = Instant::now();
        while std::fs::read_dir(&tmp).unwrap().next().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no spool appeared"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: signalling a child this test started.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(signal),
            "{status:?}"
        );
        no_temp_files_in(&tmp);
        assert!(std::fs::read_dir(&tmp).unwrap().next().is_none());
        assert!(!wd.path("out.csv").exists());
    }
}

/// A signal the run was started ignoring (`nohup` ignores SIGHUP) stays ignored once
/// temporary files exist: SIGHUP sent while the spool of stdin fills does not end
/// the run, which goes on to write its report.
#[test]
fn an_ignored_hangup_stays_ignored() {
    use std::os::unix::process::CommandExt;
    let wd = Workdir::new();
    let tmp = wd.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut command = Command::new(bin());
    command
        .args(["tickets", "-", "-o", "out.csv"])
        .current_dir(wd.dir.path())
        .env("TMPDIR", &tmp)
        .stdin(Stdio::piped())
        .stderr(Stdio::null());
    // SAFETY: only sets a signal's disposition in the child before exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, TICKETS).unwrap();
    let start = Instant::now();
    while std::fs::read_dir(&tmp).unwrap().next().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no spool appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: signalling a child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
    std::thread::sleep(Duration::from_millis(200));
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert_two_ticket_report(&std::fs::read(wd.path("out.csv")).unwrap());
}

/// `cxm … | head`: a reader that stops early ends the run quietly with exit 0, for
/// every streamed format (the 5,000 rows of `--by ticket_id` overflow a pipe's buffer).
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    let tickets = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/tickets.csv");
    for format in ["csv", "json", "ndjson", "table", "markdown"] {
        let mut child = Command::new(bin())
            .args([
                "tickets",
                tickets,
                "--by",
                "ticket_id",
                "-q",
                "--format",
                format,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // The pipe's read end is closed here.
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{format}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `cxm … 2>&1 | head -1` once its reader is gone: a warning (or the error itself)
/// that cannot be written is lost, and the run ends with its own exit code, not a
/// panic's 101. Here stderr is a pipe whose read end is closed before the run.
#[test]
fn a_stderr_whose_reader_is_gone_is_not_a_panic() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    // Warnings (the tickets and responses have no `plan`) and exit 0; an unreadable
    // file and 3.
    for (args, code) in [
        (
            vec!["customers", sample, "--by", "plan", "--period", "2025-Q2"],
            0,
        ),
        (vec!["tickets", "no-such-file.csv"], 3),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(bin())
            .args(&args)
            .stdout(Stdio::null())
            .stderr(writer)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

/// `cxm tickets - -o t.csv < t.csv`: stdin is the output's file, an input like any
/// other, so the run is refused and the file kept; from a pipe, it goes ahead.
#[test]
fn output_to_the_file_on_stdin_is_refused() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let out = Command::new(bin())
        .current_dir(wd.dir.path())
        .args(["tickets", "-", "-o", "t.csv"])
        .stdin(std::fs::File::open(wd.path("t.csv")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stdin"));
    assert_eq!(std::fs::read(wd.path("t.csv")).unwrap(), TICKETS);
    let status = Command::new(bin())
        .current_dir(wd.dir.path())
        .args(["tickets", "-", "-o", "out.csv"])
        .stdin(std::fs::File::open(wd.path("t.csv")).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    assert_two_ticket_report(&std::fs::read(wd.path("out.csv")).unwrap());
}

/// `-o /dev/stdout`, `-o /dev/fd/N` of a shell's `>(…)`: the descriptor the shell
/// opened is written through, never replaced. After `>>` the report is appended to
/// what the file held; a process substitution gets the report.
#[test]
fn descriptors_behind_o_are_written_through() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let sh = |script: &str| {
        let out = Command::new("bash")
            .arg("-c")
            .arg(script)
            .arg(bin())
            .current_dir(wd.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(wd.path("app.out"), "PREVIOUS\n").unwrap();
    sh("\"$0\" tickets t.csv -o /dev/stdout >> app.out; echo after >> app.out");
    let text = std::fs::read_to_string(wd.path("app.out")).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    assert_eq!(first, "PREVIOUS");
    let report = rest
        .strip_suffix("after\n")
        .unwrap_or_else(|| panic!("{text}"));
    assert_two_ticket_report(report.as_bytes());
    sh("\"$0\" tickets t.csv -o >(cat > sub.csv); wait; sleep 0.2");
    assert_two_ticket_report(&std::fs::read(wd.path("sub.csv")).unwrap());
    no_temp_files_in(wd.dir.path());
}

/// Past the file-size limit, the write fails with an error (exit 1), the output
/// is untouched and no temporary file is left (the signal is not the end); the
/// `--rejects` file (small enough to fit) is untouched too, as the run failed.
#[test]
fn a_file_size_limit_is_an_error() {
    let wd = Workdir::new();
    let many: String = std::iter::once("ticket_id,created_at\n".to_string())
        .chain((0..3000).map(|i| format!("T{i:05},2025-03-03T09:00:00Z\n")))
        .chain(std::iter::once("T99999,not a time\n".to_string()))
        .collect();
    wd.write("t.csv", many.as_bytes());
    std::fs::create_dir(wd.path("out")).unwrap();
    std::fs::write(wd.path("out/r.csv"), "old\n").unwrap();
    std::fs::write(wd.path("out/rejects.csv"), "old rejects\n").unwrap();
    let out = in_bash(&wd, "ulimit -f 1; exec \"$0\" tickets t.csv --by ticket_id -o out/r.csv --rejects out/rejects.csv -q");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("File too large"));
    assert_eq!(
        std::fs::read_to_string(wd.path("out/r.csv")).unwrap(),
        "old\n"
    );
    assert_eq!(
        std::fs::read_to_string(wd.path("out/rejects.csv")).unwrap(),
        "old rejects\n"
    );
    no_temp_files_in(&wd.path("out"));
}

/// A spool of stdin or of a gzip cut short by the file-size limit is the machine's
/// failure (exit 1), not an unreadable input (exit 3): 3,000 tickets (over 90 KB)
/// past `ulimit -f 64` (32 KB in bash's 512-byte blocks).
#[test]
fn a_spool_past_the_size_limit_is_an_io_failure() {
    let wd = Workdir::new();
    let many: String = std::iter::once("ticket_id,created_at\n".to_string())
        .chain((0..3000).map(|i| format!("T{i:05},2025-03-03T09:00:00Z\n")))
        .collect();
    wd.write("t.csv", many.as_bytes());
    let tmp = wd.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let script = format!(
        "export TMPDIR={}; ulimit -f 64; exec \"$0\" tickets - -q < t.csv",
        tmp.display()
    );
    let out = in_bash(&wd, &script);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot copy to a temporary file in"), "{err}");
    assert!(err.contains("file too large"), "{err}");
    assert!(!err.contains("cxm-input-"), "{err}");
    no_temp_files_in(&tmp);
}

/// `cxm sample` writes each file beside the one it replaces and puts all three in
/// place once whole: a run cut short by the file-size limit leaves the folder's
/// files as they were and no temporary file; a whole run replaces them.
#[test]
fn a_failing_sample_leaves_the_folder_as_it_was() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("s")).unwrap();
    let names = [
        "tickets.csv",
        "surveys.csv",
        "subscriptions.csv",
        "events.csv",
    ];
    for name in names {
        std::fs::write(wd.path("s").join(name), "old\n").unwrap();
    }
    let out = in_bash(
        &wd,
        "ulimit -f 64; exec \"$0\" sample --out s --tickets 5000 --events 100",
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write s/tickets.csv"), "{err}");
    assert!(!err.contains(".cxm-"), "{err}");
    for name in names {
        let kept = std::fs::read_to_string(wd.path("s").join(name)).unwrap();
        assert_eq!(kept, "old\n", "{name}");
    }
    no_temp_files_in(&wd.path("s"));
    // A whole run replaces them: a private file stays private, a link stays a link
    // and its target is written.
    let tickets = wd.path("s/tickets.csv");
    std::fs::set_permissions(&tickets, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::remove_file(wd.path("s/surveys.csv")).unwrap();
    std::fs::write(wd.path("elsewhere.csv"), "old\n").unwrap();
    std::os::unix::fs::symlink("../elsewhere.csv", wd.path("s/surveys.csv")).unwrap();
    let out = in_bash(&wd, "exec \"$0\" sample --out s --tickets 50 --events 10");
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&tickets).unwrap();
    assert_eq!(text.lines().count(), 51);
    let mode = std::fs::metadata(&tickets).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let link = std::fs::symlink_metadata(wd.path("s/surveys.csv")).unwrap();
    assert!(link.file_type().is_symlink());
    let surveys = std::fs::read_to_string(wd.path("elsewhere.csv")).unwrap();
    assert!(surveys.starts_with("response_id,"), "{surveys}");
    let events = std::fs::read_to_string(wd.path("s/events.csv")).unwrap();
    assert!(events.starts_with("ticket_id,at,"), "{events}");
    no_temp_files_in(&wd.path("s"));
    // A place that is no regular file (a link to a device, a folder) is refused
    // before any work (exit 2), the device left as it is and nothing replaced.
    std::fs::create_dir(wd.path("dev")).unwrap();
    std::os::unix::fs::symlink("/dev/null", wd.path("dev/tickets.csv")).unwrap();
    let out = in_bash(&wd, "exec \"$0\" sample --out dev --tickets 50");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    std::fs::remove_file(wd.path("s/events.csv")).unwrap();
    std::fs::create_dir_all(wd.path("s/events.csv/x")).unwrap();
    let before = std::fs::read(&tickets).unwrap();
    let out = in_bash(&wd, "exec \"$0\" sample --out s --tickets 60 --events 10");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(std::fs::read(&tickets).unwrap(), before);
}

/// A `--rejects` (or `-o`) path in a folder the user cannot write to is refused
/// before any work (exit 1), so the report is not written either: run as `nobody`
/// (uid 65534, through `setpriv`), which only root can do; elsewhere the test checks
/// nothing more.
#[test]
fn an_output_in_a_read_only_folder_is_refused_before_the_run() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("not root, or no setpriv: cannot run as another user, skipped");
        return;
    }
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    std::fs::create_dir(wd.path("ro")).unwrap();
    std::fs::set_permissions(wd.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(wd.path("t.csv"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(wd.path("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    // A sticky folder (as /tmp) with root's file, writable by all, in it: the file
    // cannot be renamed over by another user.
    std::fs::create_dir(wd.path("st")).unwrap();
    std::fs::write(wd.path("st/f.csv"), "old\n").unwrap();
    std::fs::set_permissions(wd.path("st/f.csv"), std::fs::Permissions::from_mode(0o666)).unwrap();
    std::fs::set_permissions(wd.path("st"), std::fs::Permissions::from_mode(0o1777)).unwrap();
    for (args, named) in [
        (
            &["-o", "st/f.csv"][..],
            "cannot write st/f.csv: in st: Permission denied",
        ),
        (
            &["-o", "r.csv", "--rejects", "ro/rejects.csv"][..],
            "cannot write ro/rejects.csv: in ro: Permission denied",
        ),
        (
            &["-o", "ro/r.csv"][..],
            "cannot write ro/r.csv: in ro: Permission denied",
        ),
    ] {
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .args(["tickets", "t.csv"])
            .args(args)
            .current_dir(wd.dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(
            !wd.path("r.csv").exists(),
            "{args:?}: the report was written"
        );
    }
    assert_eq!(
        std::fs::read_to_string(wd.path("st/f.csv")).unwrap(),
        "old\n"
    );
}

/// `-o` through a link into an input folder is refused as the path itself is: the
/// next run would read the file written there as data.
#[test]
fn a_link_into_an_input_folder_is_refused() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/t.csv", TICKETS);
    std::os::unix::fs::symlink("d/new.csv", wd.path("o.txt")).unwrap();
    let out = wd
        .cxm()
        .args(["tickets", "d", "-o", "o.txt", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is an input folder"), "{err}");
    assert!(!wd.path("d/new.csv").exists());
}

/// A `--rejects` path that is a link to the `-o` file not made yet names the same
/// file: refused (exit 2), as for a file already there, or one output would be lost.
/// `--rejects -` with stdout closed is refused before the run, naming the rejects.
#[test]
fn a_link_to_the_other_output_and_a_closed_stdout_are_refused() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    std::os::unix::fs::symlink("r.csv", wd.path("link.csv")).unwrap();
    for args in [
        &["--rejects", "link.csv", "-o", "r.csv"][..],
        &["--rejects", "r.csv", "-o", "link.csv"],
    ] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("name the same file: one output would be lost"),
            "{err}"
        );
        assert!(!wd.path("r.csv").exists(), "{args:?}");
    }
    let out = in_bash(&wd, "exec \"$0\" tickets t.csv --rejects - -o r.csv >&-");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--rejects -: stdout is closed: give the rejects a file"),
        "{err}"
    );
    assert!(!wd.path("r.csv").exists());
}

/// A rejects file too large to write fails the run (exit 1) after the report, and
/// the `--fail-if` rule the report broke is still said: 30 tickets breach
/// `tickets>1`. The old rejects file is left as it was, no temporary file behind.
#[test]
fn a_rejects_file_that_cannot_be_written_still_says_the_breach() {
    let wd = Workdir::new();
    let rows: String = std::iter::once("ticket_id,created_at,team\n".to_string())
        .chain((0..30).map(|i| format!("G{i},2025-01-01T00:00:00Z,a\n")))
        .chain((0..3000).map(|i| format!("T{i},2025-01-01T99:00:00Z,{}\n", "x".repeat(40))))
        .collect();
    wd.write("t.csv", rows.as_bytes());
    std::fs::create_dir(wd.path("out")).unwrap();
    std::fs::write(wd.path("out/rejects.csv"), "old rejects\n").unwrap();
    let out = in_bash(&wd, "ulimit -f 64; exec \"$0\" tickets t.csv -o out/r.csv --rejects out/rejects.csv --fail-if 'tickets>1'");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--fail-if 'tickets>1' breached: tickets: tickets = 30"),
        "{err}"
    );
    assert!(
        err.contains("cannot write out/rejects.csv: File too large"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(wd.path("out/rejects.csv")).unwrap(),
        "old rejects\n"
    );
    no_temp_files_in(&wd.path("out"));
}

/// An output path that cannot be a file is a usage error before any work, and
/// nothing is written: a path through a file, a missing folder's name ending in `/`,
/// and a report written into a folder of inputs (the next run would read it as data;
/// a `.json` there is not read, so it may go there).
#[test]
fn outputs_that_cannot_be_files_or_would_be_read_back_are_refused() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/t.csv", TICKETS);
    for (args, says) in [
        (
            &["tickets", "t.csv", "-o", "t.csv/x.csv"][..],
            "a part of the path is a file, not a folder",
        ),
        (
            &["tickets", "t.csv", "-o", "newdir/"],
            "names a folder, which does not exist",
        ),
        (
            &["tickets", "d", "-o", "d/weekly.csv"],
            "d is an input folder, and the next run would read this output as data",
        ),
        (
            &["tickets", "d", "--rejects", "d/rejects.csv"],
            "d is an input folder",
        ),
        (
            &["report", "d", "--rejects", "d/rejects.csv"],
            "d is an input folder",
        ),
    ] {
        let out = wd.cxm().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(!wd.path("newdir").exists());
    let names: Vec<_> = std::fs::read_dir(wd.path("d")).unwrap().collect();
    assert_eq!(names.len(), 1);
    wd.cxm()
        .args(["tickets", "d", "-o", "d/weekly.json", "-q"])
        .assert()
        .success();
    // The folder's next run reads its one data file still.
    wd.cxm().args(["tickets", "d", "-q"]).assert().success();
}

/// `cxm report . > report.csv` inside the data folder: the shell creates the empty
/// output first; it is the report being written, skipped with a warning, not a data
/// file that is empty (exit 3).
#[test]
fn a_report_redirected_into_its_own_folder_skips_that_file() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets.csv", TICKETS);
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" report d --format csv > d/report.csv")
        .arg(bin())
        .current_dir(wd.dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("report.csv: skipped, the file this report is being written to"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(wd.path("d/report.csv")).unwrap();
    assert!(written.starts_with("section,"), "{written}");
    assert!(written.contains("tickets,,tickets,2"), "{written}");
    // Another redirect into the folder (`2> d/err.csv`) leaves an empty file there
    // too: no data of any kind, skipped with a warning.
    std::fs::remove_file(wd.path("d/report.csv")).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" report d --format csv 2> d/err.csv")
        .arg(bin())
        .current_dir(wd.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let said = std::fs::read_to_string(wd.path("d/err.csv")).unwrap();
    assert!(said.contains("err.csv: skipped, empty (0 bytes)"), "{said}");
    // An empty file named as data (`tickets.csv`) is an export gone wrong: a stop.
    wd.write("d/tickets.csv", b"");
    let out = wd.cxm().args(["report", "d", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tickets.csv: the file is empty"));
}

/// `cxm tickets d > d/out.csv`: the metric commands refuse (exit 2) the file the
/// shell created in their input folder, as they refuse `-o d/out.csv`, rather than
/// stopping on it as an empty export; the report written outside it is fine.
#[test]
fn stdout_redirected_into_an_input_folder_is_refused() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets.csv", TICKETS);
    let run = |redirect: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" tickets d --format csv > {redirect}"))
            .arg(bin())
            .current_dir(wd.dir.path())
            .output()
            .unwrap()
    };
    let out = run("d/out.csv");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("stdout goes to d/out.csv, in the input folder d"),
        "{stderr}"
    );
    std::fs::remove_file(wd.path("d/out.csv")).unwrap();
    let out = run("out.csv");
    assert_eq!(out.status.code(), Some(0));
    assert_two_ticket_report(&std::fs::read(wd.path("out.csv")).unwrap());
}

/// Stdout appended to an input file (`>> t.csv`, the file named or on stdin, for a
/// command and for `report`) is refused (exit 2) and the file keeps its bytes; with
/// `-o` the report goes to its file and stdout carries nothing, so that runs (and the
/// folder's export is read as usual: 2 tickets).
#[test]
fn stdout_appended_to_an_input_file_is_refused() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/t.csv", TICKETS);
    wd.write("cx.toml", b"tz = \"UTC\"\n");
    for script in [
        "exec \"$0\" tickets t.csv >> t.csv",
        "exec \"$0\" tickets - < t.csv >> t.csv",
        "exec \"$0\" report --tickets t.csv >> t.csv",
        "exec \"$0\" inspect t.csv >> t.csv",
        // The rejects on stdout, the report in a file.
        "exec \"$0\" tickets t.csv -o r.csv --rejects - >> t.csv",
        // An export of the folder a report reads.
        "exec \"$0\" report d >> d/t.csv",
        "exec \"$0\" tickets t.csv --config cx.toml >> cx.toml",
        "exec \"$0\" sql tickets --dialect duckdb --config cx.toml >> cx.toml",
        // An export of a folder a metric command reads.
        "exec \"$0\" tickets d >> d/t.csv",
    ] {
        let out = in_bash(&wd, script);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{script}: {err}");
        assert!(err.contains("an input file"), "{err}");
        assert!(err.contains("cxm never writes to its inputs"), "{err}");
        assert_eq!(
            std::fs::read(wd.path("t.csv")).unwrap(),
            TICKETS,
            "{script}"
        );
        assert_eq!(
            std::fs::read(wd.path("d/t.csv")).unwrap(),
            TICKETS,
            "{script}"
        );
        assert_eq!(
            std::fs::read(wd.path("cx.toml")).unwrap(),
            b"tz = \"UTC\"\n"
        );
    }
    // The way out named: the report's file, or the rejects'.
    for (script, way_out) in [
        (
            "exec \"$0\" tickets t.csv >> t.csv",
            "(send the report elsewhere, or give -o)",
        ),
        (
            "exec \"$0\" tickets t.csv -o - >> t.csv",
            "(give -o a file)",
        ),
        (
            "exec \"$0\" report d -o r.csv --rejects - >> d/t.csv",
            "(give --rejects a file)",
        ),
    ] {
        let err = String::from_utf8_lossy(&in_bash(&wd, script).stderr).into_owned();
        assert!(err.contains(way_out), "{script}: {err}");
    }
    // With -o nothing goes to stdout: the append writes nothing, and the run goes on.
    let out = in_bash(&wd, "exec \"$0\" tickets d -o r.csv >> d/t.csv");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read(wd.path("d/t.csv")).unwrap(), TICKETS);
    let out = in_bash(&wd, "exec \"$0\" report d -o r.csv >> d/t.csv");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read(wd.path("d/t.csv")).unwrap(), TICKETS);
    let report = String::from_utf8(std::fs::read(wd.path("r.csv")).unwrap()).unwrap();
    assert!(report.contains("tickets,,tickets,2\n"), "{report}");
    let out = in_bash(&wd, "exec \"$0\" tickets t.csv -o r.csv >> t.csv");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(wd.path("t.csv")).unwrap(), TICKETS);
    assert_two_ticket_report(&std::fs::read(wd.path("r.csv")).unwrap());
}

/// An output in an input folder that the folder's reader does not take (a hidden
/// name, a Markdown report) is written on every run, not refused on the second as
/// "an input file".
#[test]
fn an_output_the_folder_does_not_read_is_written_again() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/t.csv", TICKETS);
    for out in ["d/.summary.csv", "d/summary.md"] {
        for run in 0..2 {
            let done = wd
                .cxm()
                .args(["tickets", "d", "-o", out, "-q"])
                .output()
                .unwrap();
            assert!(done.status.success(), "{out}, run {run}: {done:?}");
        }
    }
    assert_two_ticket_report(&std::fs::read(wd.path("d/.summary.csv")).unwrap());
}

/// Rejected rows and the report never share stdout (one broken CSV): `--rejects -`
/// or `/dev/stdout` with the report on stdout is a usage error; with `-o FILE`,
/// `--rejects -` prints the rejects (one row: line 3's unreadable time).
#[test]
fn rejects_and_the_report_never_share_stdout() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-03-03T09:00:00Z\nB,soon\n",
    );
    for rejects in ["-", "/dev/stdout"] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--rejects", rejects])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{rejects}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("the report goes to stdout too"));
    }
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--rejects", "-", "-o", "r.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rejects = crate::common::parse_csv(&out.stdout);
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(
        (rejects[0]["line"].as_str(), rejects[0]["value"].as_str()),
        ("3", "soon")
    );
    assert_eq!(
        crate::common::parse_csv(&std::fs::read(wd.path("r.csv")).unwrap())[0]["tickets"],
        "1"
    );
    assert!(!wd.path("-").exists());
    // Stdout thrown away (`> /dev/null`), the rejects may go there too.
    for script in [
        "\"$0\" tickets t.csv --rejects /dev/null > /dev/null",
        "\"$0\" tickets t.csv --rejects - > /dev/null",
    ] {
        let out = in_bash(&wd, script);
        assert_eq!(out.status.code(), Some(0), "{script}: {out:?}");
    }
}

/// `-o /dev/stdin` (or `--rejects`) while stdin is a pipe read as `-` names the
/// input, refused before any work (exit 2), as a file on stdin is; it ran the whole
/// report and failed writing (exit 1).
#[test]
fn writing_to_the_pipe_on_stdin_is_refused() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    for script in [
        "cat t.csv | \"$0\" tickets - -o /dev/stdin",
        "cat t.csv | \"$0\" tickets - -o r.csv --rejects /dev/stdin",
    ] {
        let out = in_bash(&wd, script);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{script}: {err}");
        assert!(err.contains("that is the file on stdin, an input"), "{err}");
    }
}

/// Stdout that refuses writes is said (exit 1) by every command, `sql` and the help
/// included: opened read-only (`1<file`, the report was written nowhere with exit
/// 0), closed (`sql` gave exit 0), or a full disk (`--version`, `--help` gave 0). A
/// reader that stops early ends the run quietly (exit 0), also through `-o` onto a
/// descriptor (`-o /dev/fd/3 3>&1 | true` said "Broken pipe", exit 1) and for `sql`.
#[test]
fn stdout_that_refuses_writes_is_said_by_every_command() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    wd.write("ro.txt", b"");
    let run = |cmd: &str| in_shell(&wd, cmd);
    for (cmd, says) in [
        (
            "exec \"$0\" tickets t.csv 1<ro.txt",
            "cannot write to stdout",
        ),
        (
            "exec \"$0\" inspect t.csv 1<ro.txt",
            "cannot write to stdout",
        ),
        (
            "exec \"$0\" sql tickets --dialect duckdb 1<ro.txt",
            "cannot write to stdout",
        ),
        (
            "exec \"$0\" sql tickets --dialect duckdb >&-",
            "stdout is closed",
        ),
        (
            "exec \"$0\" --version >/dev/full",
            "No space left on device",
        ),
        (
            "exec \"$0\" tickets --help >/dev/full",
            "No space left on device",
        ),
        ("exec \"$0\" --help 1<ro.txt", "cannot write to stdout"),
        (
            "exec \"$0\" --help >&-",
            "stdout is closed: nowhere to write the help",
        ),
    ] {
        let out = run(cmd);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {stderr}");
        assert!(stderr.contains(says), "{cmd}: {stderr}");
    }
    let many: String = (0..20_000)
        .map(|i| format!("T{i},2025-03-03T10:00:00Z\n"))
        .collect();
    wd.write(
        "many.csv",
        format!("ticket_id,created_at\n{many}").as_bytes(),
    );
    for cmd in [
        "\"$0\" tickets many.csv --by ticket_id --format csv | true",
        "\"$0\" tickets many.csv --by ticket_id -o /dev/fd/3 3>&1 | head -c 1 >/dev/null",
        "\"$0\" sql tickets --dialect duckdb | head -c 1 >/dev/null",
    ] {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("set -o pipefail; {cmd}"))
            .arg(bin())
            .current_dir(wd.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{cmd}: {stderr}");
        assert!(stderr.is_empty(), "{cmd}: {stderr}");
    }
    // `--version` still prints where it can.
    let out = run("exec \"$0\" --version");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("cxm "));
}

/// A line break in an output path or a config path is written `\n` in the messages
/// naming it (a folder named so forged a line `cxm: error: …`).
#[test]
fn line_breaks_in_output_and_config_paths_are_escaped() {
    let wd = Workdir::new();
    wd.write("t.csv", TICKETS);
    let odd = "x\ncxm: error: FORGED";
    std::fs::create_dir(wd.path(odd)).unwrap();
    for args in [
        vec![
            "tickets".to_string(),
            "t.csv".into(),
            "-o".into(),
            odd.into(),
        ],
        vec![
            "tickets".into(),
            "t.csv".into(),
            "-o".into(),
            format!("{odd}/no/r.csv"),
        ],
        vec![
            "tickets".into(),
            "t.csv".into(),
            "--config".into(),
            format!("{odd}/none.toml"),
        ],
    ] {
        let out = wd.cxm().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("x\\ncxm: error: FORGED"), "{args:?}: {err}");
        assert!(
            !err.lines().any(|l| l.starts_with("cxm: error: FORGED")),
            "{err}"
        );
    }
}
