//! SurveyMonkey's expanded layout: a question answered by choosing one option gets a
//! column per option, only the first named by the question (the answer-label row
//! below names every option), and a respondent's answer is the one cell they filled.
//! Each such question is read as one column named by the question, holding that
//! cell: mapped with `--map csat="Overall, how satisfied…"`, every answer counts,
//! not only those who chose the first option.

use std::fs::File;
use std::io::{Read, Write};

use crate::error::{CxmError, Result};
use crate::input::source::{FileFormat, Source};

/// The one-choice questions spread over several columns: each one's first column
/// and the end of its run (a named header, then blank ones whose answer label is not
/// blank), where in every sampled response at most one of its columns is filled, and
/// with its own column's label (or any text, in an `Other (please specify)` column). A
/// matrix (a rating in each row's column: `Speed`, `Quality`) or a check-all-that-apply
/// question is left as it is.
pub fn questions(headers: &[String], sample: &[csv::StringRecord]) -> Vec<(usize, usize)> {
    questions_where(headers, sample, true)
}

/// The questions spread over several columns that some sampled respondent answered
/// in more than one (check all that apply), each by its header and its options'
/// labels: no one value per response, so no grouping.
pub fn several_answers(
    headers: &[String],
    sample: &[csv::StringRecord],
) -> Vec<(String, Vec<String>)> {
    let responses = sample.get(1..).unwrap_or_default();
    let several = |&(s, e): &(usize, usize)| {
        let filled = |r: &csv::StringRecord| {
            (s..e)
                .filter(|&k| r.get(k).is_some_and(|c| !c.trim().is_empty()))
                .count()
        };
        responses.iter().any(|r| filled(r) > 1)
    };
    let labels = sample.first();
    let label = |k: usize| {
        labels
            .and_then(|l| l.get(k))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    (questions_where(headers, sample, false).into_iter())
        .filter(several)
        .map(|(s, e)| (headers[s].clone(), (s..e).map(label).collect()))
        .collect()
}

fn questions_where(
    headers: &[String],
    sample: &[csv::StringRecord],
    one_choice_only: bool,
) -> Vec<(usize, usize)> {
    let Some((labels, responses)) = sample.split_first() else {
        return Vec::new();
    };
    let one_choice = |(s, e): (usize, usize)| {
        responses.iter().all(|r| {
            let filled: Vec<usize> = (s..e)
                .filter(|&k| r.get(k).is_some_and(|c| !c.trim().is_empty()))
                .collect();
            match filled[..] {
                [] => true,
                // Its option's label, or what was typed into `Other (please specify)`.
                [k] => {
                    let (cell, label) = (r.get(k).unwrap_or(""), labels.get(k).unwrap_or(""));
                    let other = label.trim().to_ascii_lowercase().starts_with("other");
                    other || cell.trim().eq_ignore_ascii_case(label.trim())
                }
                _ => false,
            }
        })
    };
    let blank = |h: &String| h.trim().is_empty();
    let labelled = |k: usize| labels.get(k).is_some_and(|l| !l.trim().is_empty());
    let mut out = Vec::new();
    let mut k = 0;
    while k < headers.len() {
        let mut end = k + 1;
        while end < headers.len() && blank(&headers[end]) && labelled(end) {
            end += 1;
        }
        if !blank(&headers[k])
            && labelled(k)
            && end > k + 1
            && (!one_choice_only || one_choice((k, end)))
        {
            out.push((k, end));
        }
        k = end;
    }
    out
}

/// A copy of `src` with each of `questions` as one column: the cells filled among
/// its columns, joined by `; ` (one, for a one-choice question). Every record keeps
/// its line, so rejects still name the file's own.
pub fn condensed(src: Source, delimiter: u8, questions: &[(usize, usize)]) -> Result<Source> {
    if src.format == FileFormat::Parquet {
        return condensed(super::parquet::as_csv(src)?, b',', questions);
    }
    let name = src.name.clone();
    let cannot = |e: std::io::Error| crate::data_err!("{name}: cannot read: {e}");
    let mut file = File::open(&src.path).map_err(cannot)?;
    let mut bom = [0u8; 3];
    let n = file.read(&mut bom).map_err(cannot)?;
    let head = match &bom[..n] {
        b"\xEF\xBB\xBF" => Vec::new(),
        other => other.to_vec(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(std::io::Cursor::new(head).chain(file));
    let tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    let mut writer = std::io::BufWriter::new(tmp);
    let starts = |k: usize| questions.iter().find(|(s, _)| *s == k);
    let inside = |k: usize| questions.iter().any(|(s, e)| k > *s && k < *e);
    let mut record = csv::ByteRecord::new();
    let mut out: Vec<Vec<u8>> = Vec::new();
    let copy_err = |e: std::io::Error| CxmError::Internal(format!("{name}: cannot copy: {e}"));
    // The line the next record written starts on: blank lines the reader passes over
    // are written again, so that every record keeps its line.
    let mut line = 1;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| crate::data_err!("{name}: {e}"))?
    {
        let at = record.position().map_or(line, |p| p.line());
        if at > line {
            let blanks = vec![b'\n'; (at - line) as usize];
            writer.write_all(&blanks).map_err(copy_err)?;
            line = at;
        }
        let breaks = record.iter().flatten().filter(|&&b| b == b'\n').count() as u64;
        line += 1 + breaks;
        out.clear();
        for (k, cell) in record.iter().enumerate() {
            if let Some(&(s, e)) = starts(k) {
                let filled: Vec<&[u8]> = (s..e)
                    .filter_map(|j| record.get(j))
                    .filter(|c| !c.trim_ascii().is_empty())
                    .collect();
                out.push(filled.join(&b"; "[..]));
            } else if !inside(k) {
                out.push(cell.to_vec());
            }
        }
        write_record(&mut writer, &out, delimiter).map_err(copy_err)?;
    }
    let tmp = writer
        .into_inner()
        .map_err(|e| CxmError::Internal(format!("{name}: cannot copy: {}", e.error())))?;
    let mut copy = Source::spooled(name, tmp, FileFormat::Csv, src.sheet_row);
    copy.line_offset = src.line_offset;
    copy.note = src.note;
    copy.footer_zone = src.footer_zone;
    copy.skipped_beside = src.skipped_beside;
    copy.typed_dates = src.typed_dates;
    copy.long_numbers = src.long_numbers;
    copy.parquet_copy = src.parquet_copy;
    copy.delimiter = src.delimiter;
    copy.other_sheets = src.other_sheets;
    copy.other_tables = src.other_tables;
    let options: usize = questions.iter().map(|(s, e)| e - s).sum();
    let said = match questions.len() {
        1 => format!("a question's {options} answer columns read as one column, named by the question"),
        q => format!("{q} questions' {options} answer columns read as one column each, named by its question"),
    };
    copy.left_out = Some(match src.left_out {
        Some(before) => format!("{before}; {said}"),
        None => said,
    });
    Ok(copy)
}

/// One record, its fields quoted where they hold the delimiter, a quote or a line
/// break (inner quotes doubled).
fn write_record(out: &mut impl Write, fields: &[Vec<u8>], delimiter: u8) -> std::io::Result<()> {
    for (k, field) in fields.iter().enumerate() {
        if k > 0 {
            out.write_all(&[delimiter])?;
        }
        let quoted = field
            .iter()
            .any(|&b| b == delimiter || matches!(b, b'"' | b'\r' | b'\n'));
        match quoted {
            false => out.write_all(field)?,
            true => {
                out.write_all(b"\"")?;
                for &b in field {
                    match b {
                        b'"' => out.write_all(b"\"\"")?,
                        _ => out.write_all(&[b])?,
                    }
                }
                out.write_all(b"\"")?;
            }
        }
    }
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A question over four columns (blank headers, each labelled) and one of a
    /// single column; a blank header without a label stays apart.
    #[test]
    fn questions_are_a_named_column_and_the_labelled_blank_ones_after_it() {
        let headers: Vec<String> = ["Respondent ID", "How satisfied?", "", "", "", "Q2", ""]
            .map(String::from)
            .to_vec();
        let row = |cells: [&str; 7]| csv::StringRecord::from(cells.to_vec());
        let labels = row([
            "",
            "Very",
            "Somewhat",
            "Neither",
            "Not",
            "Open-Ended Response",
            "",
        ]);
        let answer = row(["1", "", "somewhat ", "", "", "text", ""]);
        assert_eq!(questions(&headers, &[labels.clone(), answer]), [(1, 5)]);
        assert!(questions(&headers, &[]).is_empty());
        // A matrix: a rating in each sub-question's column, not its label.
        let matrix = row(["2", "Very satisfied", "Satisfied", "", "", "", ""]);
        assert!(questions(&headers, &[labels.clone(), matrix]).is_empty());
        // Two options checked: not a one-choice question.
        let both = row(["3", "Very", "Somewhat", "", "", "", ""]);
        assert!(questions(&headers, &[labels, both]).is_empty());
    }
}
