//! The docs' examples as written: each `$ cxm …` of README.md and docs/*.md whose
//! output is fixed (a machine format or Markdown, nothing written to a file) prints
//! the lines the doc shows, and the warnings it shows.

use std::path::{Path, PathBuf};

/// One example: the shell lines that set variables before it in its block, the
/// command, and the lines shown after it.
struct Example {
    doc: String,
    setup: Vec<String>,
    command: String,
    shown: Vec<String>,
}

/// The examples of one document's code blocks.
fn examples(doc: &str, text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let (mut in_block, mut setup) = (false, Vec::new());
    let mut current: Option<Example> = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            out.extend(current.take());
            in_block = !in_block;
            setup.clear();
            continue;
        }
        if !in_block {
            continue;
        }
        let Some(command) = line.strip_prefix("$ ") else {
            if let Some(e) = current.as_mut() {
                e.shown.push(line.trim_end().to_string());
            }
            continue;
        };
        out.extend(current.take());
        let mut command = command.to_string();
        while command.ends_with('\\') {
            command.pop();
            command.push_str(lines.next().unwrap_or("").trim_start());
        }
        // `L=file`: a variable the block's later commands use.
        if command.split_whitespace().count() == 1 && command.contains('=') {
            setup.push(command);
            continue;
        }
        current = Some(Example {
            doc: doc.to_string(),
            setup: setup.clone(),
            command,
            shown: Vec::new(),
        });
    }
    out.extend(current);
    out
}

/// Is the example's output fixed whatever the terminal: a machine format or Markdown,
/// printed (no `-o`, no redirection), no comment saying what a terminal shows.
fn fixed(e: &Example) -> bool {
    let c = &e.command;
    c.starts_with("cxm ")
        && [
            "--format csv",
            "--format json",
            "--format ndjson",
            "--format markdown",
        ]
        .iter()
        .any(|f| c.contains(f))
        && ![" -o ", " > ", "#"].iter().any(|s| c.contains(s))
        && !e.shown.is_empty()
}

#[test]
fn the_docs_examples_print_what_they_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("cxm");
    let dir = bin.parent().unwrap_or(Path::new(".")).to_path_buf();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut docs = vec![root.join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    let mut run = 0;
    for doc in &docs {
        let text = std::fs::read_to_string(doc).unwrap();
        let name = doc.strip_prefix(root).unwrap_or(doc).display().to_string();
        for e in examples(&name, &text).iter().filter(|e| fixed(e)) {
            let script = format!("{}\n{}", e.setup.join("\n"), e.command);
            let out = std::process::Command::new("sh")
                .args(["-c", &script])
                .current_dir(root)
                .env("PATH", &path)
                .env("COLUMNS", "100")
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            let (stdout, stderr) = (
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
            let printed: Vec<&str> = stdout.lines().map(str::trim_end).collect();
            let mut shown: Vec<&str> = (e.shown.iter())
                .map(String::as_str)
                .filter(|l| !l.starts_with("cxm: "))
                .collect();
            // A blank line between examples of one block.
            while shown.last() == Some(&"") {
                shown.pop();
            }
            // An abridged listing (a `…` in it) shows the start of each line it keeps.
            let abridged = shown.iter().any(|l| l.contains('…'));
            let agrees = match abridged {
                false => printed == shown,
                true => (shown.iter().enumerate()).all(|(i, s)| {
                    (printed.get(i)).is_some_and(|p| p.starts_with(s.trim_end_matches('…')))
                }),
            };
            assert!(
                agrees,
                "{}: $ {}\nprinted: {printed:#?}\nshown: {shown:#?}\n{stderr}",
                e.doc, e.command
            );
            for warning in e.shown.iter().filter(|l| l.starts_with("cxm: warning")) {
                assert!(
                    stderr.contains(warning.as_str()),
                    "{}: $ {}: no '{warning}' in:\n{stderr}",
                    e.doc,
                    e.command
                );
            }
            run += 1;
        }
    }
    // The examples are there to be run: a parse that found none would pass anything.
    assert!(run >= 15, "only {run} examples run");
}
