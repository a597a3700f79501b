//! Helpers: run the binary in a scratch folder and read its CSV output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Path of a fixture file.
pub fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// A scratch folder and the `cxm` command run in it.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn cxm(&self) -> Command {
        let mut c = Command::cargo_bin("cxm").unwrap();
        c.current_dir(self.dir.path()).env_remove("COLUMNS");
        c
    }

    /// The `--verbose` accounting line of a successful run of `cxm ARGS -v` here.
    pub fn accounting(&self, args: &[&str]) -> String {
        let out = self.cxm().args(args).arg("-v").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        err.lines()
            .find(|l| l.contains(" rows read = ") || l.contains(" row read = "))
            .unwrap_or_else(|| panic!("no accounting line in {err}"))
            .to_string()
    }

    /// Run `cxm ARGS --format csv` here, expect success, return rows as maps.
    pub fn csv_rows(&self, args: &[&str]) -> Vec<HashMap<String, String>> {
        parse_csv(&self.csv_output(args))
    }

    /// Run `cxm ARGS --format csv` here, expect success, return its stdout.
    pub fn csv_output(&self, args: &[&str]) -> Vec<u8> {
        self.csv_and_stderr(args).0
    }

    /// Run `cxm ARGS --format csv` here, expect success, return its stdout and
    /// stderr (the warnings).
    pub fn csv_and_stderr(&self, args: &[&str]) -> (Vec<u8>, String) {
        let out = self
            .cxm()
            .args(args)
            .args(["--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "cxm {args:?} failed ({}): {err}",
            out.status
        );
        (out.stdout, err)
    }
}

/// Run `cxm ARGS --format csv`, expect success, return rows as maps.
pub fn csv_rows(args: &[&str]) -> Vec<HashMap<String, String>> {
    Workdir::new().csv_rows(args)
}

pub fn parse_csv(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The header line of CSV output.
pub fn csv_header(bytes: &[u8]) -> Vec<String> {
    let mut r = csv::Reader::from_reader(bytes);
    r.headers().unwrap().iter().map(String::from).collect()
}

/// Assert a 4-decimal output cell equals `expected` (to the rounding of the output).
pub fn assert_num(row: &HashMap<String, String>, column: &str, expected: f64) {
    let cell = row
        .get(column)
        .unwrap_or_else(|| panic!("no column {column} in {row:?}"));
    let got: f64 = cell
        .parse()
        .unwrap_or_else(|_| panic!("{column}: '{cell}' is not a number"));
    assert!(
        (got - expected).abs() <= 5.1e-5,
        "{column}: got {got}, expected {expected}"
    );
}

/// Assert a cell is empty (no data).
pub fn assert_empty(row: &HashMap<String, String>, column: &str) {
    assert_eq!(
        row.get(column).map(String::as_str),
        Some(""),
        "{column} should be empty in {row:?}"
    );
}
