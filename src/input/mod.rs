//! Loading: the only place that reads input files and calls polars' CSV reader.
//!
//! [`Input::open`] resolves the sources, reads each header, maps columns to canonical
//! fields and checks that every file maps the same ones. [`Input::scan`] then builds
//! one lazy scan over all files that reads only the requested columns, as strings,
//! renamed to their canonical names (parsing is the metrics' business, so that a bad
//! value can be counted instead of failing the read). [`Input::map_blocks`] yields the
//! same rows a block of records at a time, on every core (see [`blocks`]).

mod around;
pub mod blocks;
pub mod classes;
pub mod decimal;
mod encoding;
pub mod excel;
mod expanded;
pub mod fields;
pub mod filter;
mod float_ids;
mod formats;
mod group_columns;
pub mod iso;
pub mod join;
pub mod keys;
pub mod missing;
mod months;
pub mod parquet;
pub mod preset;
pub mod records;
mod scan;
pub mod source;
pub mod split;
mod text;
pub mod timestamp;
pub mod unchanged;

use std::collections::BTreeMap;

use chrono_tz::Tz;
use polars::prelude::*;

use crate::data_err;
use crate::error::{CxmError, Result};
use crate::request::Sources;
use fields::{Field, Kind, Mapping};
pub use group_columns::{add_group_columns, ticket_columns, GroupColumn};
use preset::Preset;
use source::{FileFormat, Sniffed, Source};
use timestamp::{Detected, Order, TsFormat};

/// Which sampled rows a sample reads: a field and a test of its cell.
pub type RowTest<'a> = (&'a str, &'a dyn Fn(&str) -> bool);

/// Name of the record-number column added for locating rejects.
pub const ROW_INDEX: &str = "__row";

/// Column [`Input::scan_numbered`] adds: the index of the row's file in `files`.
pub const FILE_INDEX: &str = "__file";

/// The column holding the first field beyond the header (a ragged row).
pub const EXTRA: &str = "(fields beyond the header)";

/// Flag column: this row has more fields than the header.
pub const RAGGED: &str = "__ragged";

/// The longest record read, in bytes: 64 MiB, or `CXM_MAX_RECORD_MB` MiB. A longer
/// one (a file with no line ends, `/dev/zero`, a gzip bomb) stops the run with exit 3
/// instead of growing memory or a spool without bound.
pub fn max_record_bytes() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| record_limit_setting().unwrap_or(64 << 20))
}

/// `CXM_MAX_RECORD_MB` in bytes; unset is 64 MiB. A value that is not a whole
/// number of MiB above 0 is a usage error, checked before the run: ignoring it would
/// leave a limit the user believes changed.
pub fn record_limit_setting() -> Result<usize> {
    let Some(raw) = std::env::var_os("CXM_MAX_RECORD_MB").filter(|v| !v.is_empty()) else {
        return Ok(64 << 20);
    };
    let text = raw.to_string_lossy();
    match text.trim().parse::<usize>() {
        Ok(mb) if mb > 0 => Ok(mb.saturating_mul(1 << 20)),
        _ => Err(crate::usage_err!(
            "CXM_MAX_RECORD_MB='{}': give the longest record to read as a whole number of MiB, 1 or more (unset or empty, it is 64)",
            crate::text::printable(&text)
        )),
    }
}

/// The error for a record over [`max_record_bytes`] that starts on `line`.
pub fn record_too_long(line: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "line {line}: a record longer than {} MiB (a file without line ends, or a quote never closed?); set CXM_MAX_RECORD_MB to allow longer records",
            max_record_bytes() >> 20
        ),
    )
}

/// Rows of a Parquet file read at a time.
const PARQUET_SLICE: usize = 1 << 18;

/// Rows read per file to detect formats.
const SAMPLE_ROWS: usize = 2000;

/// The timestamp format of each timestamp field of one file.
pub type Formats = BTreeMap<&'static str, TsFormat>;

/// How a dataset's rows are made ready for its metrics: `file` runs on the rows of
/// file `i` (parsing, which follows that file's own formats), `all` on the rows of
/// every file together (what compares rows, such as marking duplicates).
pub struct Prepare<'a> {
    pub file: &'a (dyn Fn(usize, LazyFrame) -> LazyFrame + Sync),
    pub all: &'a (dyn Fn(LazyFrame) -> LazyFrame + Sync),
}

impl<'a> Prepare<'a> {
    /// A step for each file's rows, nothing over all of them.
    pub fn each_file(file: &'a (dyn Fn(usize, LazyFrame) -> LazyFrame + Sync)) -> Prepare<'a> {
        Prepare { file, all: &same }
    }
}

fn same(lf: LazyFrame) -> LazyFrame {
    lf
}

/// One input file with its header and mapping.
#[derive(Debug)]
pub struct InputFile {
    pub source: Source,
    pub sniffed: Sniffed,
    pub mapping: Mapping,
    /// `--where`, bound to this file's columns.
    pub filter: filter::FileFilter,
    /// The preset that mapped it, and whether it was detected rather than asked for.
    pub preset: Option<(&'static Preset, bool)>,
    /// The config file's presets for its kind of data, none of whose columns it has,
    /// passed over for the preset detected from its headers.
    pub configured_presets_passed: Vec<&'static str>,
    /// Its number fields written with a decimal comma ([`decimal`]).
    pub decimal_comma: Vec<&'static str>,
    /// Its number fields written with a decimal point and thousands commas or
    /// currency signs ([`decimal::writes_grouped`]), and whether its thousands
    /// commas are read.
    pub grouped: Vec<(&'static str, bool)>,
    /// Its id fields that write every id as a whole float (`7.0`), read as integers
    /// ([`float_ids`]).
    pub float_ids: Vec<&'static str>,
    /// Customer ids read trimmed ([`crate::request::Sources::ids_trimmed`]).
    pub ids_trimmed: bool,
    /// The zones its extra header rows declare for its columns (Qualtrics'
    /// import ids): their times without an offset are in that zone, not `--tz`.
    pub declared_zones: Vec<(String, Tz)>,
    /// Its missing-value markers: `--na`'s and its preset's (Freshdesk's `00:00:00`),
    /// read as blank cells.
    pub markers: std::sync::Arc<missing::Markers>,
    /// SurveyMonkey questions answered in several columns by some respondent (check
    /// all that apply), by header, with their options: not one value a response.
    pub several_answers: Vec<(String, Vec<String>)>,
    /// Whether a quote left open runs records together ([`blocks::runaway_quote`]),
    /// looked for once, by the first scan of the whole file.
    pub(super) runaway_quote: std::sync::OnceLock<bool>,
    /// The day/month order taken where no date tells it (a 12-hour clock's, the US
    /// month-first), said: a day-first export of the first twelve days of months
    /// reads alike.
    order_assumed: std::sync::Mutex<Option<String>>,
    /// Every date read both ways and nothing telling the order, in a run of several
    /// files: the stop to make unless the others tell it.
    order_undecided: std::sync::Mutex<Option<String>>,
    /// Each column's first values past the sample, read once when asked for
    /// ([`source::past_sample`]).
    past_sample: std::sync::OnceLock<Vec<Vec<String>>>,
}

impl InputFile {
    /// The day/month order taken where no date of the file told it, said.
    pub fn order_assumed(&self) -> Option<String> {
        self.order_assumed.lock().ok()?.clone()
    }

    pub(super) fn assume_order(&self, said: String) {
        if let Ok(mut note) = self.order_assumed.lock() {
            *note = Some(said);
        }
    }

    /// Column `k`'s first values past the sample (none for a file read whole in it).
    pub fn past_sample(&self, k: usize) -> &[String] {
        let all = self.past_sample.get_or_init(|| {
            source::past_sample(&self.source, &self.sniffed, |c| {
                !c.trim().is_empty() && !self.markers.is_missing(c)
            })
        });
        all.get(k).map_or(&[], Vec::as_slice)
    }

    /// The stop this file's dates make unless the run's other files tell their
    /// order ([`InputFile::order_undecided`]).
    pub(super) fn order_undecided(&self) -> Option<String> {
        self.order_undecided.lock().ok()?.clone()
    }

    pub(super) fn leave_order_undecided(&self, stop: String) {
        if let Ok(mut note) = self.order_undecided.lock() {
            *note = Some(stop);
        }
    }

    /// The order taken is another file's (`None`: what was said is withdrawn).
    pub(super) fn order_told(&self, said: Option<String>) {
        if let Ok(mut note) = self.order_assumed.lock() {
            *note = said;
        }
    }

    /// A number field's value as the metric commands read it: a decimal comma turned
    /// into a point, or thousands commas and a currency sign left out, as the file
    /// writes them ([`decimal`]).
    pub fn number_as_read<'a>(&self, field: &str, v: &'a str) -> std::borrow::Cow<'a, str> {
        match (self.decimal_comma.contains(&field), self.thousands(field)) {
            (true, _) => decimal::normalized(v),
            (false, Some(thousands)) => decimal::ungrouped(v, thousands),
            (false, None) => v.into(),
        }
    }

    /// For a field of [`InputFile::grouped`], whether its thousands commas are read
    /// (`None`: another field).
    pub fn thousands(&self, field: &str) -> Option<bool> {
        (self.grouped.iter())
            .find(|(f, _)| *f == field)
            .map(|(_, thousands)| *thousands)
    }
}

/// All input files of one dataset, mapped to canonical fields.
#[derive(Debug)]
pub struct Input {
    pub files: Vec<InputFile>,
    pub fields: &'static [Field],
    pub tz: Tz,
    date_format: Option<String>,
    /// Missing-value markers (`--na`'s; a file's own are in [`InputFile::markers`]),
    /// read as blank cells.
    pub markers: std::sync::Arc<missing::Markers>,
    /// `--where` conditions left out because these files lack their column (with
    /// [`Sources::filters_where_present`]).
    pub filters_skipped: Vec<String>,
    /// How its files are read when a file is read for another dataset too (a ticket
    /// export's own CSAT read as survey responses), for the lines that name them.
    pub read_as: Option<String>,
    /// [`Sources::given_by_kind`].
    pub given_by_kind: bool,
    /// While set, `--where` keeps every row and says in [`WHERE_KEPT`] whether it
    /// holds (see [`Input::with_where_flagged`]).
    where_flagged: std::sync::atomic::AtomicBool,
    /// Each raw column found under a typed name (`--by region`): the name it is read
    /// under (the first file's spelling) and every file's own spelling of it.
    raw_spellings: std::sync::RwLock<Vec<(String, Vec<String>)>>,
}

/// Flag column: `--where` holds for this row (only while [`Input::with_where_flagged`]).
pub const WHERE_KEPT: &str = "__where_kept";

impl Input {
    /// `; ` and why file `i` may not be what the command reads, for an error that may
    /// come of it: its asked-for preset does not fit it, or its headers say it holds
    /// another kind of data (empty when neither).
    /// A sheet read for want of `--sheet` also names the workbook's other sheets.
    pub fn misfit_note(&self, i: usize) -> String {
        let file = &self.files[i];
        let headers = &file.sniffed.headers;
        let misfit = (file.preset.and_then(|p| misfit(headers, p)))
            .or_else(|| fields::another_kind(headers, self.fields, self.given_by_kind))
            .map(|m| format!("; {m}"))
            .unwrap_or_default();
        match file.source.other_sheets.is_empty() {
            true => misfit,
            false => format!(
                "{misfit}; the workbook's other sheets: {} (give --sheet NAME, or save it as a file of its own)",
                file.source.other_sheets.join(", ")
            ),
        }
    }

    /// Files given a `--preset` whose headers are another export's (another preset's
    /// signature), or hold none of its own signature's columns: the preset asked for
    /// reads columns the file does not have, or generic ones it does for another
    /// meaning. One warning a file.
    pub fn unfitting_presets(&self) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|f| {
                let preset = f.preset?;
                // The config's presets serve many files: one of another export is
                // read as detected, and said to be.
                if !f.configured_presets_passed.is_empty() {
                    return Some(format!(
                        "{}: preset {} in --config: its headers are those of the {}: read with the {} preset, detected from them",
                        f.source.name,
                        f.configured_presets_passed.join(", "),
                        preset.0.export(),
                        preset.0.name
                    ));
                }
                let why = misfit(&f.sniffed.headers, preset)?;
                Some(format!("{}: {why}", f.source.name))
            })
            .collect()
    }

    /// A number field written with decimal commas in one file and decimal points in
    /// another: each file is read as its sample writes, said so (`1.200` is twelve
    /// hundred in the one, 1.2 in the other).
    pub fn decimal_marks_differ(&self) -> Vec<String> {
        let mut out = Vec::new();
        for field in self.fields.iter().filter(|f| f.reads_numbers()) {
            let writes_comma = |i: &usize| self.files[*i].decimal_comma.contains(&field.name);
            let Some(comma) = (0..self.files.len()).find(writes_comma) else {
                continue;
            };
            let point = (0..self.files.len()).find(|i| {
                !writes_comma(i)
                    && self.files[*i].mapping.get(field.name).is_some()
                    && (self.file_sample_where(*i, field.name, None).iter())
                        .any(|v| v.contains('.'))
            });
            if let Some(point) = point {
                out.push(format!(
                    "{}: {} writes decimal commas and {} decimal points: each file is read as it writes ('1.200' is 1200 in the one, 1.2 in the other)",
                    field.name,
                    self.files[comma].source.name,
                    self.files[point].source.name
                ));
            }
        }
        out
    }

    /// Id columns whose sampled values a spreadsheet rewrote in scientific notation
    /// (`1.03006E+13`, as Excel shows a long number): such ids have lost digits, so
    /// distinct tickets or customers merge. One warning per column.
    pub fn mangled_ids(&self) -> Vec<String> {
        let scientific = |v: &str| {
            let v = v.trim();
            let Some((mantissa, exponent)) = v.split_once(['E', 'e']) else {
                return false;
            };
            let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let whole_or_point = match mantissa.split_once('.') {
                Some((a, b)) => digits(a) && digits(b),
                None => digits(mantissa),
            };
            // Excel writes a number this way from 12 digits on (`1.03006E+13`); a
            // shorter `1e5` loses nothing.
            whole_or_point && digits(exponent) && exponent.parse::<u32>().is_ok_and(|e| e >= 11)
        };
        let mut out = Vec::new();
        for (i, file) in self.files.iter().enumerate() {
            for field in ["ticket_id", "customer_id", "response_id", "message_id"] {
                let Some(column) = file.mapping.get(field) else {
                    continue;
                };
                // A workbook's number cells keep 15 significant digits.
                let long = (file.source.long_numbers.iter()).find(|(c, ..)| c == column);
                if let Some((_, n, first)) = long {
                    let values = if *n == 1 {
                        "value is a number"
                    } else {
                        "values are numbers"
                    };
                    out.push(format!(
                        "{}: column '{column}' ({field}): {n} {values} of 16 or more digits in the workbook's number cells (e.g. '{first}'), which keep 15 significant digits: such ids have lost digits, so distinct ones merge; format the column as text before the ids are typed or pasted in, or export them as text",
                        file.source.name,
                    ));
                    continue;
                }
                let values = self.file_sample(i, field);
                let odd: Vec<&String> = values.iter().filter(|v| scientific(v)).collect();
                if let Some(example) = odd.first() {
                    out.push(format!(
                        "{}: column '{column}' ({field}): {} of the first {} values look like numbers a spreadsheet rewrote in scientific notation (e.g. '{example}'): such ids have lost digits, so distinct ones merge; export the ids as text",
                        file.source.name,
                        odd.len(),
                        values.len()
                    ));
                }
            }
        }
        out
    }

    /// Is `value`, a cell, missing: blank, or a marker (`NA`, `N/A`, `--na`), as the
    /// metric commands read it?
    pub fn is_missing(&self, value: &str) -> bool {
        let markers = self.files.first().map_or(&self.markers, |f| &f.markers);
        markers.is_missing(value)
    }

    /// Resolve, sniff and map every input. Missing required fields are exit-3 errors.
    pub fn open(args: &Sources, fields: &'static [Field], tz: Tz) -> Result<Input> {
        Self::open_with(args, fields, tz, true)
    }

    /// [`Input::open`], optionally without failing on a missing required field
    /// (`inspect` lists it as a problem instead).
    pub fn open_with(
        args: &Sources,
        fields: &'static [Field],
        tz: Tz,
        require: bool,
    ) -> Result<Input> {
        let sources = source::resolve_with(
            &args.paths,
            args.encoding,
            args.sheet.as_deref(),
            args.delimiter,
        )?;
        Self::open_sources(sources, args, fields, tz, require)
    }

    /// [`Input::open_with`] of sources already resolved (stdin can be read once).
    pub fn open_sources(
        sources: Vec<Source>,
        args: &Sources,
        fields: &'static [Field],
        tz: Tz,
        require: bool,
    ) -> Result<Input> {
        // Two columns for one field: which was meant is not for cxm to guess.
        for (k, (field, column)) in args.map.iter().enumerate() {
            let twice = args.map[..k]
                .iter()
                .find(|(f, c)| f == field && c != column);
            if let Some((_, other)) = twice {
                return Err(CxmError::Usage(format!(
                    "--map {field} is given twice ('{other}' and '{column}'): give it once"
                )));
            }
        }
        let mut files = Vec::with_capacity(sources.len());
        let several = sources.len() > 1;
        let mut by_names: Vec<fields::Mapping> = Vec::new();
        for source in sources {
            let mut sniffed = source::sniff(&source, args.delimiter, SAMPLE_ROWS)?;
            // A legacy Qualtrics export names its columns in its second row.
            let legacy = preset::legacy_qualtrics_header(&sniffed.headers, &sniffed.sample);
            let source = match legacy.as_deref() {
                Some(header) => {
                    let renamed = source::with_header(source, sniffed.delimiter, Some(header), 1)?;
                    sniffed = source::sniff(&renamed, Some(sniffed.delimiter), SAMPLE_ROWS)?;
                    renamed
                }
                None => source,
            };
            let legacy_preset = (legacy.is_some() && args.presets.is_empty())
                .then(|| preset::find("qualtrics"))
                .flatten()
                .filter(|p| p.dataset.reads(fields))
                .map(|p| (p, true));
            let preset = choose_preset(args, fields, &sniffed.headers).or(legacy_preset);
            let configured_presets_passed = match preset {
                Some((_, true)) if args.presets_configured => (args.presets.iter())
                    .filter_map(|n| preset::find(n))
                    .filter(|p| p.dataset.reads(fields))
                    .map(|p| p.name)
                    .collect(),
                _ => Vec::new(),
            };
            // SurveyMonkey's expanded questions: a column per answer, read as one.
            let monkey = preset.is_some_and(|(p, _)| p.name == "surveymonkey");
            let (spread, several_answers) = match monkey {
                true => (
                    expanded::questions(&sniffed.headers, &sniffed.sample),
                    expanded::several_answers(&sniffed.headers, &sniffed.sample),
                ),
                false => (Vec::new(), Vec::new()),
            };
            let source = match spread.is_empty() {
                true => source,
                false => {
                    let condensed = expanded::condensed(source, sniffed.delimiter, &spread)?;
                    sniffed = source::sniff(&condensed, Some(sniffed.delimiter), SAMPLE_ROWS)?;
                    condensed
                }
            };
            // An export's extra header rows (question texts, import ids) are not data;
            // the zones they declare are kept.
            let extra = preset.map_or(0, |(p, _)| {
                (p.header_rows)(&sniffed.headers, &sniffed.sample)
            });
            let (declared_zones, unknown_zones) = match extra {
                // A footer's zone serves every column.
                0 => (
                    (source.footer_zone.iter())
                        .flat_map(|z| sniffed.headers.iter().map(|h| (h.clone(), *z)))
                        .collect(),
                    Vec::new(),
                ),
                _ => preset::declared_zones(
                    &sniffed.headers,
                    &sniffed.sample[..extra.min(sniffed.sample.len())],
                ),
            };
            let source = if extra > 0 {
                let skipped = source::without_records(source, sniffed.delimiter, extra)?;
                sniffed = source::sniff(&skipped, Some(sniffed.delimiter), SAMPLE_ROWS)?;
                skipped
            } else {
                source
            };
            let markers = missing::Markers::new(&with_preset_markers(&args.na, preset));
            let past_sample = std::sync::OnceLock::new();
            // Each file on its own (as `inspect` reads it): one whose end date column
            // is blank reads its cancellations though another file's has churn dates.
            // Several files group by one column, though ([`one_group_column`]).
            let filled = |field: &str, k: usize| {
                let cells = || (sniffed.rows()).filter_map(|r| r.get(k));
                let values = || cells().filter(|c| !markers.is_missing(c));
                if field == "interval_count" {
                    // Whole, as pandas writes them too (`3.0`).
                    let whole = |c: &str| {
                        c.trim()
                            .parse::<f64>()
                            .is_ok_and(|x| x >= 0.0 && x.fract() == 0.0)
                    };
                    return values().next().is_some() && values().all(whole);
                }
                // A field every row needs (a ticket's creation) is read from the column
                // the sample fills: one mostly blank beside it would reject its rows.
                let required = (fields.iter()).any(|f| f.name == field && f.required);
                let past = || {
                    past_sample.get_or_init(|| {
                        source::past_sample(&source, &sniffed, |c| {
                            !c.trim().is_empty() && !markers.is_missing(c)
                        })
                    })
                };
                values().next().is_some()
                    || !required && past().get(k).is_some_and(|v| !v.is_empty())
            };
            let mapping =
                map_with_preset(&source.name, &sniffed, fields, &args.map, preset, &filled)?;
            // Of several files, a group read from a column in one is read from it in
            // all (below): the choice each would make by names alone.
            if several {
                let by_name = map_with_preset(
                    &source.name,
                    &sniffed,
                    fields,
                    &args.map,
                    preset,
                    &|_, _| true,
                )?;
                by_names.push(by_name);
            }
            if require {
                fields::check_unambiguous(&source.name, &sniffed.headers, &mapping)?;
            }
            if let Some(f) = fields
                .iter()
                .find(|f| require && f.required && !mapping.has(f.name))
            {
                // A preset asked for another export's file is the likelier cause;
                // else another kind of data.
                let misfit = preset
                    .and_then(|p| misfit(&sniffed.headers, p))
                    .or_else(|| fields::another_kind(&sniffed.headers, fields, args.given_by_kind));
                let misfit = match source.other_sheets.is_empty() {
                    true => misfit,
                    false => Some(format!(
                        "{}the workbook's other sheets: {} (give --sheet NAME, or save it as a file of its own)",
                        misfit.map_or(String::new(), |m| format!("{m}; ")),
                        source.other_sheets.join(", ")
                    )),
                };
                return Err(
                    match (
                        fields::missing_field(&source.name, f.name, &sniffed.headers),
                        misfit,
                    ) {
                        (CxmError::Data(e), Some(m)) => CxmError::Data(format!("{e}; {m}")),
                        (e, _) => e,
                    },
                );
            }
            // A file of a header alone gives zeros: said, for the run that reads an
            // export gone wrong (or the wrong sheet).
            let mut source = source;
            if sniffed.sample.is_empty() && source.note.is_none() {
                let sheets = match source.other_sheets.is_empty() {
                    true => String::new(),
                    false => format!(
                        "; the workbook's other sheets: {} (give --sheet NAME, or save it as a file of its own)",
                        source.other_sheets.join(", ")
                    ),
                };
                source.note = Some(format!("{}: no rows under the header{sheets}", source.name));
            }
            if !unknown_zones.is_empty() {
                let said = format!(
                    "{}: its import ids name the time zone '{}', which cxm does not know: those times are read in --tz",
                    source.name,
                    unknown_zones.join("', '")
                );
                source.note = Some(match source.note.take() {
                    Some(note) => format!("{note}; {said}"),
                    None => said,
                });
            }
            // A vendor's business-hours duration left unread, with nothing else to give
            // its measure: a column of blanks, said.
            let tickets = fields.iter().any(|f| f.name == "first_response_at");
            let unread = tickets
                .then(|| {
                    preset::unread_note(&sniffed.headers, preset.map(|(p, _)| p.name), |f| {
                        fields.iter().any(|x| x.name == f) && mapping.has(f)
                    })
                })
                .flatten();
            // Two NPS questions of one survey, each beside its group column: the first
            // is read, said.
            let several = preset.and_then(|(p, _)| p.several_companions(&sniffed.headers));
            let several = several.filter(|_| !args.map.iter().any(|(f, _)| f == "nps"));
            if let Some(several) = several {
                let said = format!("{}: {several}", source.name);
                source.note = Some(match source.note.take() {
                    Some(note) => format!("{note}; {said}"),
                    None => said,
                });
            }
            if let Some(unread) = unread {
                let said = format!("{}: {unread}", source.name);
                source.note = Some(match source.note.take() {
                    Some(note) => format!("{note}; {said}"),
                    None => said,
                });
            }
            // Scores too: `4,5` of a label column is a number, not a label.
            let sampled = |name: &str| -> Vec<&str> {
                let at = mapping
                    .get(name)
                    .and_then(|c| sniffed.headers.iter().position(|h| h == c));
                match at {
                    Some(k) => sniffed.rows().filter_map(|r| r.get(k)).collect(),
                    None => Vec::new(),
                }
            };
            let numbers = || fields.iter().filter(|f| f.reads_numbers());
            let decimal_comma: Vec<&'static str> = numbers()
                .filter(|f| decimal::writes_decimal_comma(&sampled(f.name)))
                .map(|f| f.name)
                .collect();
            // Not scores: a money sign in a satisfaction score is a broken export.
            let grouped = numbers()
                .filter(|f| f.kind == fields::Kind::Number)
                .filter_map(|f| {
                    decimal::writes_grouped(&sampled(f.name), sniffed.delimiter)
                        .map(|thousands| (f.name, thousands))
                })
                .collect();
            let float_ids = (float_ids::FIELDS.iter().copied())
                .filter(|f| fields.iter().any(|x| x.name == *f))
                .filter(|f| float_ids::written_as_floats(&sampled(f), &markers))
                .collect();
            files.push(InputFile {
                source,
                sniffed,
                mapping,
                filter: filter::FileFilter::default(),
                preset,
                configured_presets_passed,
                decimal_comma,
                grouped,
                float_ids,
                ids_trimmed: args.ids_trimmed,
                declared_zones,
                markers: std::sync::Arc::new(markers),
                several_answers,
                runaway_quote: std::sync::OnceLock::new(),
                order_assumed: std::sync::Mutex::new(None),
                order_undecided: std::sync::Mutex::new(None),
                past_sample,
            });
        }
        one_group_column(&mut files, &by_names, fields);
        if let Some((first, rest)) = files.split_first() {
            let want: Vec<&&str> = first.mapping.columns.keys().collect();
            for other in rest {
                let got: Vec<&&str> = other.mapping.columns.keys().collect();
                if got != want {
                    let odd = [other, first].into_iter().find_map(|f| {
                        fields::another_kind(&f.sniffed.headers, fields, args.given_by_kind)
                            .map(|why| format!("; {}: {why}", f.source.name))
                    });
                    // What differs first, then the whole lists.
                    let (a, b) = (&first.source.name, &other.source.name);
                    let missing = |of: &[&&str], from: &[&&str]| -> Vec<String> {
                        (of.iter())
                            .filter(|f| !from.contains(f))
                            .map(|f| f.to_string())
                            .collect()
                    };
                    let lacks = |name: &str, fields: Vec<String>| {
                        (!fields.is_empty())
                            .then(|| format!("{name} has no column for {}", fields.join(", ")))
                    };
                    let differ: Vec<String> = [
                        lacks(b, missing(&want, &got)),
                        lacks(a, missing(&got, &want)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    // Event logs, given apart, are still read as one log.
                    let log = fields.iter().any(|f| f.name == "author_role");
                    let how = match log {
                        true => "event logs are read as one log: join a comments export and a status history into one file with the columns of both (blank where an event has none), or give the same column name in each (--map FIELD=COLUMN names one column for all)",
                        // Two helpdesks' exports (a Zendesk and a Freshdesk one) never map
                        // alike: one run each, a folder or a saved report apiece.
                        false => "exports of two layouts (two helpdesks?) are read one run each: give each file (or a folder of its own) to its own run or saved report, or give the same column name in each (--map FIELD=COLUMN names one column for all)",
                    };
                    // A file of another kind of data is the cause: its advice alone.
                    let advice = match odd {
                        Some(odd) => odd.trim_start_matches("; ").to_string(),
                        None => how.to_string(),
                    };
                    return Err(data_err!(
                        "{}: concatenated files must map to the same fields ({a}: {}; {b}: {}); {advice}",
                        differ.join("; "),
                        join(&want),
                        join(&got),
                    ));
                }
            }
        }
        let mut input = Input {
            files,
            fields,
            tz,
            date_format: args.date_format.clone(),
            markers: std::sync::Arc::new(missing::Markers::new(&args.na)),
            filters_skipped: Vec::new(),
            read_as: None,
            given_by_kind: args.given_by_kind,
            where_flagged: std::sync::atomic::AtomicBool::new(false),
            raw_spellings: Default::default(),
        };
        input.bind_filters(args)?;
        // Each condition is bound file by file: the spellings it looked up name no
        // column a scan reads (they would clash with a `--by` of another case).
        input
            .raw_spellings
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        Ok(input)
    }

    /// Bind each `--where` condition to every file's column for it: a mapped field's
    /// column, else a raw column in any case. A condition some file cannot read is an
    /// error, or skipped (and listed) when the request allows it.
    fn bind_filters(&mut self, args: &Sources) -> Result<()> {
        for condition in &args.filters {
            // The column `--by` would read under this name, in every file alike, so
            // that `--by TEAM --where TEAM=x` mean one column; else file by file.
            let as_group = self.group_column(&condition.column).ok();
            let mut bound = Vec::with_capacity(self.files.len());
            for file in &self.files {
                let column = match &as_group {
                    Some(GroupColumn::Field(f)) => file.mapping.get(f).map(str::to_string),
                    // Each file's own spelling of the name typed, as `--by` reads it.
                    Some(GroupColumn::Raw(_)) => {
                        Self::file_raw_header(file, &condition.column, "--where")?
                    }
                    None => None,
                };
                let column = match column {
                    Some(c) => Some(c),
                    None => match file.mapping.get(&condition.column) {
                        Some(c) => Some(c.to_string()),
                        None => match Self::file_raw_header(file, &condition.column, "--where")? {
                            Some(raw) => Some(raw),
                            // `--where TEAM=x`: no column of that name, but the field `team`.
                            None => (file.mapping)
                                .get(&condition.column.to_ascii_lowercase())
                                .map(str::to_string),
                        },
                    },
                };
                bound.push(column);
            }
            if bound.iter().any(Option::is_none) {
                if args.filters_where_present {
                    self.filters_skipped.push(condition.text.clone());
                    continue;
                }
                let file = bound
                    .iter()
                    .position(Option::is_none)
                    .map_or(&self.files[0], |i| &self.files[i]);
                let as_tickets = group_columns::ticket_field_column(self, file, &condition.column);
                let hint = match as_tickets {
                    Some(header) => format!(
                        "; churn reads a ticket export's columns by their own names: the tickets' {} is '{}' here",
                        condition.column,
                        crate::text::printable(&header)
                    ),
                    None => crate::text::spaced_like(&file.sniffed.headers, &condition.column),
                };
                return Err(data_err!(
                    "{}: --where {}: no field or column '{}' (headers found: {}){hint}",
                    file.source.name,
                    crate::text::condition_shown(&condition.text),
                    condition.column,
                    crate::text::headers_shown(&file.sniffed.headers),
                ));
            }
            // A question answered in several columns is no one value to test.
            for (file, column) in self.files.iter().zip(&bound) {
                let Some(column) = column else { continue };
                if let Some((_, options)) = file.several_answers.iter().find(|(h, _)| h == column) {
                    return Err(crate::usage_err!(
                        "--where {}: in {}, this question's answers are spread over columns of their own ({}) and some respondents filled more than one, so a response has no one value to test",
                        crate::text::condition_shown(&condition.text),
                        file.source.name,
                        options.join(", ")
                    ));
                }
            }
            let shared = std::sync::Arc::new(condition.clone());
            for (file, column) in self.files.iter_mut().zip(bound) {
                if let Some(column) = column {
                    let integers = (float_ids::FIELDS.iter())
                        .any(|f| file.mapping.get(f) == Some(column.as_str()));
                    if integers && !file.filter.integer_ids.contains(&column) {
                        file.filter.integer_ids.push(column.clone());
                    }
                    file.filter.tests.push((shared.clone(), column));
                }
            }
        }
        Ok(())
    }

    /// Does any file drop rows by `--where`?
    pub fn is_filtered(&self) -> bool {
        self.files.iter().any(|f| !f.filter.tests.is_empty())
    }

    /// Run `f` with `--where` read as a flag: every row is kept, [`WHERE_KEPT`] saying
    /// whether the conditions hold, for a step that must see the rows the filter
    /// leaves out (which of a ticket id's rows is its last).
    pub fn with_where_flagged<T>(&self, f: impl FnOnce() -> T) -> T {
        use std::sync::atomic::Ordering;
        self.where_flagged.store(true, Ordering::SeqCst);
        let out = f();
        self.where_flagged.store(false, Ordering::SeqCst);
        out
    }

    fn is_where_flagged(&self) -> bool {
        self.where_flagged.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The mapping (the same fields in every file; column names may differ).
    pub fn mapping(&self) -> &Mapping {
        &self.files[0].mapping
    }

    /// Is this canonical field mapped?
    pub fn has(&self, field: &str) -> bool {
        self.mapping().has(field)
    }

    /// Does any file's sample hold a value of `field` (not blank, nor a marker of a
    /// missing value)?
    pub fn sampled_filled(&self, field: &str) -> bool {
        (self.sample_column_as_written(field).iter()).any(|v| !v.trim().is_empty())
    }

    /// Does file `i` hold a value of `field` past its sample? Whether a column is
    /// blank throughout is the whole file's to say.
    pub fn filled_past_sample(&self, i: usize, field: &str) -> bool {
        let file = &self.files[i];
        let name = file.mapping.get(field);
        let k = name.and_then(|name| file.sniffed.headers.iter().position(|h| h == name));
        k.is_some_and(|k| !file.past_sample(k).is_empty())
    }

    /// The sampled values of a mapped field, across files, as the files write them
    /// (beside [`Input::sample_column`], value for value).
    pub fn sample_column_as_written(&self, field: &str) -> Vec<String> {
        self.sample_where_as_written(field, None)
    }

    /// [`Input::sample_column_as_written`] of the sampled rows whose cell of another
    /// field passes a test (`rows`: the field and the test; none: every row).
    pub fn sample_where_as_written(&self, field: &str, rows: Option<RowTest>) -> Vec<String> {
        (0..self.files.len())
            .flat_map(|i| self.file_sample_where(i, field, rows))
            .collect()
    }

    /// The sampled values of a mapped field, across files, as the metrics read them:
    /// a file's decimal commas as points (`5,0` is 5).
    pub fn sample_column(&self, field: &str) -> Vec<String> {
        self.sample_where(field, None)
    }

    /// [`Input::sample_column`] of the sampled rows whose cell of another field passes
    /// a test (`rows`: the field and the test; none: every row).
    pub fn sample_where(&self, field: &str, rows: Option<RowTest>) -> Vec<String> {
        (0..self.files.len())
            .flat_map(|i| {
                let file = &self.files[i];
                self.file_sample_where(i, field, rows)
                    .into_iter()
                    .map(move |v| file.number_as_read(field, &v).into_owned())
            })
            .collect()
    }

    fn field(&self, name: &str) -> Result<&'static str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.name)
            .ok_or_else(|| data_err!("unknown field '{name}'"))
    }

    /// Where record `index` (from 0) of file `i` is, as a person finds it: the line it
    /// starts on (CSV, where a quoted field may span lines), or its row number from 1
    /// (Parquet; see [`Input::by_row`]).
    pub fn location(&self, i: usize, index: u64) -> Result<u64> {
        let source = &self.files[i].source;
        if let Some(header) = source.sheet_row {
            return Ok(header + 1 + index);
        }
        match source.format {
            FileFormat::Parquet => Ok(index + 1),
            FileFormat::Csv => {
                let mut found = 0;
                records::visit(
                    &source.path,
                    index,
                    |k| k == index,
                    |_, line, _| found = line,
                )
                .map_err(|e| data_err!("{}: cannot read: {e}", source.name))?;
                Ok(found + source.line_offset)
            }
        }
    }

    /// Are file `i`'s locations row numbers rather than lines?
    pub fn by_row(&self, i: usize) -> bool {
        self.files[i].source.format == FileFormat::Parquet
            || self.files[i].source.sheet_row.is_some()
    }

    /// Call `visit(index, location, cells)` for each record of file `i` whose index
    /// (from 0) `wanted` holds, in order: its own cells, under the file's headers.
    pub fn visit_records(
        &self,
        i: usize,
        wanted: &std::collections::BTreeSet<u64>,
        mut visit: impl FnMut(u64, u64, Vec<String>),
    ) -> Result<()> {
        let file = &self.files[i];
        let Some(&last) = wanted.iter().next_back() else {
            return Ok(());
        };
        match file.source.format {
            FileFormat::Csv => {
                let mut batch = records::Batch::new(file.sniffed.delimiter);
                records::visit(
                    &file.source.path,
                    last,
                    |k| wanted.contains(&k),
                    |index, line, bytes| {
                        let line = file
                            .source
                            .sheet_row
                            .map_or(line + file.source.line_offset, |h| h + 1 + index);
                        batch.push(index, line, bytes, &mut visit);
                    },
                )
                .map_err(|e| data_err!("{}: cannot read: {e}", file.source.name))?;
                batch.flush(&mut visit);
                Ok(())
            }
            FileFormat::Parquet => {
                let rows: Vec<IdxSize> = wanted.iter().map(|&k| k as IdxSize).collect();
                let wanted_rows = parquet::scan(&file.source, &[])?
                    .with_row_index(ROW_INDEX, None)
                    .filter(
                        col(ROW_INDEX)
                            .is_in(lit(Series::new("rows".into(), rows)).implode(false), false),
                    );
                let df = parquet::collect(&file.source, wanted_rows)?;
                let index = df.column(ROW_INDEX)?.cast(&DataType::UInt64)?;
                let cells = parquet::rows(&df, &file.sniffed.headers)?;
                for (k, row) in index.u64()?.iter().zip(cells) {
                    if let Some(k) = k {
                        visit(k, k + 1, row);
                    }
                }
                Ok(())
            }
        }
    }

    /// Total number of data rows in all files (a full scan of one column).
    /// [`Input::count_rows`], and how many of them are blank rows.
    pub fn count_rows_and_blank(&self) -> Result<(u64, u64)> {
        let (mut total, mut blank) = (0u64, 0u64);
        for file in &self.files {
            let (rows, blanks) = match file.source.format {
                FileFormat::Csv => {
                    let (path, delimiter) = (&file.source.path, file.sniffed.delimiter);
                    let width = file.sniffed.headers.len();
                    blocks::count_records_and_blank(path, (delimiter, width), &file.markers)
                        .map_err(|e| data_err!("{}: cannot read: {e}", file.source.name))?
                }
                FileFormat::Parquet => parquet::count_rows_and_blank(&file.source, &file.markers)?,
            };
            total += rows;
            blank += blanks;
        }
        Ok((total, blank))
    }

    pub fn count_rows(&self) -> Result<u64> {
        let mut total = 0u64;
        for file in &self.files {
            total += match file.source.format {
                FileFormat::Csv => blocks::count_records(&file.source.path)
                    .map_err(|e| data_err!("{}: cannot read: {e}", file.source.name))?,
                FileFormat::Parquet => parquet::count_rows(&file.source)?,
            };
        }
        Ok(total)
    }
}

/// Which rows a read gives: those `--where` keeps (every read but one), or those it
/// leaves out (counted for `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    Kept,
    FilteredOut,
}

/// The files' scans one after another, in the order given.
fn in_order(frames: Vec<LazyFrame>) -> Result<LazyFrame> {
    Ok(concat(
        frames,
        UnionArgs {
            parallel: true,
            rechunk: false,
            ..Default::default()
        },
    )?)
}

/// The preset for a file of `fields`: the one asked for (`--preset`) whose dataset
/// reads these fields, else the one its headers match unambiguously.
fn choose_preset(
    args: &Sources,
    fields: &'static [Field],
    headers: &[String],
) -> Option<(&'static Preset, bool)> {
    let asked = &args.presets;
    let reads_these = |p: &Preset| p.dataset.reads(fields);
    // Of several asked for this kind of data (a config's `preset = ["zendesk",
    // "freshdesk"]` serving many files), the one whose columns the file has most of,
    // the first of equals.
    let asked: Vec<&'static Preset> = (asked.iter())
        .filter_map(|n| preset::find(n))
        .filter(|p| reads_these(p))
        .collect();
    let share = |p: &Preset| p.signature_found(headers) as f64 / p.signature.len().max(1) as f64;
    let best = asked
        .iter()
        .copied()
        .reduce(|best, p| match share(p) > share(best) {
            true => p,
            false => best,
        });
    let detected = || {
        (preset::PRESETS.iter())
            .filter(|p| reads_these(p))
            .find_map(|p| preset::detect(headers, p.dataset))
    };
    if !args.presets_configured {
        return match best {
            Some(p) => Some((p, false)),
            None => detected().map(|p| (p, true)),
        };
    }
    // The config's list serves many files: one carrying another export's whole
    // signature (a Zammad download sharing `Created At` with Zendesk's), or none of
    // its presets' columns, is read as detected; one with some of their columns and
    // no other export's, by the best of them.
    if let Some(p) = best.filter(|p| share(p) >= 1.0) {
        return Some((p, false));
    }
    match detected() {
        Some(p) => Some((p, !asked.iter().any(|a| a.name == p.name))),
        None => best.filter(|p| share(p) > 0.0).map(|p| (p, false)),
    }
}

/// Several files group by one column: a text field each file read from a column of
/// its own choosing (osTicket's `Team Assigned`, blank in one month's export, beside
/// another's filled one) is read in every file from the column names alone choose,
/// as long as one file reads it from there; where every file passed that column over
/// (blank throughout in all), they agree already.
fn one_group_column(files: &mut [InputFile], by_names: &[fields::Mapping], fields: &[Field]) {
    if files.len() < 2 || by_names.len() != files.len() {
        return;
    }
    let scores = ["csat", "ces", "nps", "score"];
    let groups = fields
        .iter()
        .filter(|f| f.kind == fields::Kind::Text && !scores.contains(&f.name));
    for field in groups {
        let chosen: Vec<Option<&str>> = files.iter().map(|f| f.mapping.get(field.name)).collect();
        if chosen.windows(2).all(|w| w[0] == w[1]) {
            continue;
        }
        let named_here = |i: usize| by_names[i].get(field.name);
        let somewhere = (0..files.len()).any(|i| chosen[i].is_some() && chosen[i] == named_here(i));
        if !somewhere {
            continue;
        }
        for (i, file) in files.iter_mut().enumerate() {
            if let Some(column) = named_here(i) {
                file.mapping.columns.insert(field.name, column.to_string());
            }
        }
    }
}

/// [`fields::map_headers`] with a preset's pairs after the user's `--map` (which wins)
/// and its ignored columns hidden from automatic matching; of a field's columns, the
/// first `column_filled` (by index) is preferred.
fn map_with_preset(
    file: &str,
    sniffed: &Sniffed,
    fields: &'static [Field],
    user: &[(String, String)],
    preset: Option<(&'static Preset, bool)>,
    column_filled: &dyn Fn(&str, usize) -> bool,
) -> Result<Mapping> {
    let headers = &sniffed.headers;
    let filled = |field: &str, header: &str| {
        let at = headers.iter().position(|h| h == header);
        fields::blank_is_a_value(field, header, headers)
            || at.is_some_and(|k| column_filled(field, k))
    };
    let Some((preset, _)) = preset else {
        return fields::map_headers_filled(file, headers, fields, user, &filled);
    };
    let mut pairs = user.to_vec();
    for (field, column) in preset.pairs_filled(headers, filled) {
        if pairs.iter().any(|(f, _)| *f == field) {
            continue;
        }
        if headers.iter().filter(|h| **h == column).count() > 1 {
            return Err(data_err!(
                "{file}: the {} preset reads {field} from '{column}', a header that appears more than once; rename one of them, or give --map {field}=COLUMN",
                preset.name
            ));
        }
        pairs.push((field, column));
    }
    // Hidden from automatic matching only: a column the user maps stays visible.
    let visible: Vec<String> = headers
        .iter()
        .filter(|h| {
            preset.visible(std::slice::from_ref(h)).len() == 1
                || user
                    .iter()
                    .any(|(_, c)| c == *h || crate::text::same_in_any_case(c.trim(), h.trim()))
        })
        .cloned()
        .collect();
    let mut mapping = fields::map_headers_filled(file, &visible, fields, &pairs, &filled)?;
    mapping
        .explicit
        .retain(|f| user.iter().any(|(u, _)| u == f));
    Ok(mapping)
}

/// [`misfit`] of a preset asked for, for a file whose kind of data it does not read.
pub fn preset_misfit(headers: &[String], preset: &Preset) -> Option<String> {
    misfit(headers, (preset, false))
}

/// Why a preset asked for (not detected) does not fit a file: its headers carry
/// another export's whole signature (of any kind of data: a survey export read as
/// tickets too), or none of the preset's own.
fn misfit(headers: &[String], (preset, detected): (&Preset, bool)) -> Option<String> {
    let other = (preset::PRESETS.iter())
        .filter(|o| o.name != preset.name)
        .find(|o| o.signature_found(headers) == o.signature.len());
    if detected || (other.is_none() && preset.signature_found(headers) > 0) {
        return None;
    }
    let (name, export) = (preset.name, preset.export());
    Some(match other {
        Some(o) => format!(
            "--preset {name}: its headers are those of the {} (the {} preset), not the {export}",
            o.export(),
            o.name
        ),
        None => format!(
            "--preset {name}: the file has none of the columns that mark the {export}: is it one? (the preset maps columns by that export's names)"
        ),
    })
}

/// `--na`'s markers and those of a file's preset (Freshdesk's `00:00:00`).
fn with_preset_markers(na: &[String], preset: Option<(&'static Preset, bool)>) -> Vec<String> {
    let mut out = na.to_vec();
    for marker in preset.map_or(&[][..], |(p, _)| p.missing) {
        if !out.iter().any(|m| m == marker) {
            out.push(marker.to_string());
        }
    }
    out
}

fn join(v: &[&&str]) -> String {
    match v.is_empty() {
        true => "no field".to_string(),
        false => v.iter().map(|s| **s).collect::<Vec<_>>().join(", "),
    }
}

/// Polars' lazy CSV scan of one file, every column a string, blank cells null. The
/// schema is the sniffed header (BOM removed, repeated names made unique) plus one
/// [`EXTRA`] column that holds the first field beyond the header, so a row with too
/// many fields is a value to reject rather than a read error.
fn scan_csv(src: &Source, sniffed: &Sniffed) -> Result<LazyFrame> {
    let path = scan_path(&src.path);
    csv_options(LazyCsvReader::new(PlRefPath::new(path)), sniffed)
        // A file's name, never a pattern: `subs [2025].csv` read `subs 2.csv`.
        .with_glob(false)
        .with_has_header(true)
        .finish()
        .map_err(|e| data_err!("{}: cannot read as CSV: {e}", src.name))
}

/// A file's path as polars is given it: absolute, so that a name polars would take for
/// a URL (`file:x/t.csv`, a folder `https:`) is the local file so named.
pub(crate) fn scan_path(path: &std::path::Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.to_string_lossy().into_owned()
}

/// The sniffed header (BOM removed, repeated names made unique), every column a
/// string, plus [`EXTRA`].
fn csv_schema(sniffed: &Sniffed) -> Schema {
    let mut schema = Schema::default();
    for (i, h) in sniffed.headers.iter().enumerate() {
        let name = if schema.contains(h) {
            format!("{h}__{i}")
        } else {
            h.clone()
        };
        schema.with_column(name.into(), DataType::String);
    }
    schema.with_column(EXTRA.into(), DataType::String);
    schema
}

/// The reader options of every scan (see [`scan_csv`]).
fn csv_options(reader: LazyCsvReader, sniffed: &Sniffed) -> LazyCsvReader {
    reader
        .with_schema(Some(std::sync::Arc::new(csv_schema(sniffed))))
        .with_truncate_ragged_lines(true)
        .with_separator(sniffed.delimiter)
        .with_infer_schema_length(Some(0))
        .with_missing_is_null(true)
        .with_null_values(Some(NullValues::AllColumns(vec![
            "".into(),
            "null".into(),
            "NULL".into(),
        ])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            20 => Just(b",".to_vec()),
            5 => Just(b";".to_vec()),
            5 => Just(b"\t".to_vec()),
            10 => Just(b"\n".to_vec()),
            3 => Just(b"\r\n".to_vec()),
            1 => Just(b"\r".to_vec()),
            2 => Just(b"\"".to_vec()),
            1 => Just(b"\"\"".to_vec()),
            2 => Just(b"null".to_vec()),
            1 => Just(b"NULL".to_vec()),
            2 => Just(b" ".to_vec()),
            5 => Just(b"2025-03-03T09:00:00Z".to_vec()),
            2 => Just("é".as_bytes().to_vec()),
            // Not UTF-8: rare, or nearly every file would be refused when sniffed.
            1 => Just(vec![0xE9]),
            30 => "[a-z0-9]{1,5}".prop_map(String::into_bytes),
        ]
    }

    /// A header (after an optional byte-order mark or blank lines), then random pieces.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        (
            prop_oneof![
                Just(&b""[..]),
                Just(&b"\xEF\xBB\xBF"[..]),
                Just(&b"\n\r\n"[..])
            ],
            prop_oneof![
                Just("ticket_id,created_at,team"),
                Just("ticket_id;created_at;team;x"),
                Just("ticket_id\tcreated_at\tx"),
                Just("\"ticket_id\",created_at,\"te\nam\",team"),
                // Columns not read, after the last one read: passed over.
                Just("ticket_id,notes,team,y,z"),
            ],
            prop_oneof![Just("\n"), Just("\r\n")],
            proptest::collection::vec(piece(), 0..200),
        )
            .prop_map(|(before, header, end, pieces)| {
                let mut text = before.to_vec();
                text.extend_from_slice(header.as_bytes());
                text.extend_from_slice(end.as_bytes());
                text.extend(pieces.concat());
                text
            })
    }

    fn args(paths: Vec<std::path::PathBuf>) -> Sources {
        Sources {
            paths,
            ..Sources::default()
        }
    }

    /// The rows of every file as [`Input::scan`] reads them, and as the blocks of
    /// [`Input::map_blocks_of`] do (both `None` on a read error).
    fn both_ways(
        paths: Vec<std::path::PathBuf>,
        block: usize,
    ) -> Option<(Option<DataFrame>, Option<DataFrame>)> {
        let input = Input::open_with(&args(paths), fields::TICKET_FIELDS, Tz::UTC, false).ok()?;
        let fields: Vec<&str> = fields::TICKET_FIELDS
            .iter()
            .map(|f| f.name)
            .filter(|f| input.has(f))
            .collect();
        let raw: Vec<String> = ["x"]
            .iter()
            .filter(|c| input.has_column(c))
            .map(|c| c.to_string())
            .collect();
        let scan = input
            .scan(&fields, &raw)
            .and_then(|lf| Ok(lf.collect()?))
            .ok();
        let blocks = input
            .map_blocks_of(
                block,
                Rows::Kept,
                &fields,
                &raw,
                (&[], false),
                |_, _, lf| Ok(lf.collect()?),
            )
            .ok()
            .and_then(|frames| {
                let mut frames = frames.into_iter();
                let mut all = frames.next()?;
                for f in frames {
                    all.vstack_mut(&f).ok()?;
                }
                Some(all)
            });
        Some((scan, blocks))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Blocks of any size, with or without quotes, hold what polars' scan holds.
        #[test]
        fn blocks_hold_what_the_scan_holds(text in text(), block in 1usize..40) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.csv");
            std::fs::write(&path, &text).unwrap();
            // The record count of `-v` equals polars' count of the same file.
            if let Ok(input) = Input::open_with(&args(vec![path.clone()]), fields::TICKET_FIELDS, Tz::UTC, false) {
                let file = &input.files[0];
                let polars_count = scan_csv(&file.source, &file.sniffed)
                    .and_then(|lf| Ok(lf.select([len().alias("n")]).collect()?))
                    .ok()
                    .and_then(|df| df.column("n").ok()?.as_materialized_series().sum::<u64>().ok());
                if let Some(want) = polars_count {
                    prop_assert_eq!(blocks::count_records(&file.source.path).ok(), Some(want), "{:?}", String::from_utf8_lossy(&text));
                }
            }
            // A stray quote (`a"b`) is read one way by polars' scan of the whole file
            // and another by a block that starts at its record (or not at all): the
            // file is not CSV, and the blocks' reading of it is only kept from
            // panicking (the run stops naming it where a reader fails).
            let delimiter = Input::open_with(&args(vec![path.clone()]), fields::TICKET_FIELDS, Tz::UTC, false)
                .map_or(b',', |i| i.files[0].sniffed.delimiter);
            let stray_quote = records::any_misplaced_quote(&path, delimiter).ok().flatten().is_some();
            // A file ending inside a quoted field (cut short) stops the blocks'
            // reading, where polars' scan reads the field to the end.
            let cut_short = memchr::memchr_iter(b'"', &text).count() % 2 == 1;
            if let Some((scan, blocks)) = both_ways(vec![path], block).filter(|_| !stray_quote) {
                match (scan, blocks) {
                    (_, blocks) if cut_short => prop_assert!(
                        blocks.is_none(),
                        "{:?}: read though cut short",
                        String::from_utf8_lossy(&text)
                    ),
                    (Some(a), Some(b)) => prop_assert!(
                        a.equals_missing(&b),
                        "{:?}\nscan: {:?}\nblocks: {:?}",
                        String::from_utf8_lossy(&text),
                        a.columns(),
                        b.columns()
                    ),
                    (None, None) => {}
                    (a, b) => prop_assert!(
                        false,
                        "{:?}\nscan: {:?}\nblocks: {:?}",
                        String::from_utf8_lossy(&text),
                        a.map(|a| a.columns().to_vec()),
                        b.map(|b| b.columns().to_vec())
                    ),
                }
            }
        }
    }

    /// Worked by hand: the second file's rows follow the first's; a quoted newline
    /// spans a block boundary; `\r\n` ends records; the ragged row keeps its extra field.
    #[test]
    fn blocks_of_two_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "ticket_id,team\r\nT1,\"sup\nport\"\r\nT2,,extra\r\n").unwrap();
        std::fs::write(&b, "ticket_id,team\nT3,billing\n\nT4\n").unwrap();
        for block in [1, 5, 1 << 20] {
            let (scan, blocks) = both_ways(vec![a.clone(), b.clone()], block).unwrap();
            let (scan, blocks) = (scan.unwrap(), blocks.unwrap());
            assert!(scan.equals_missing(&blocks), "{scan}\n{blocks}");
            let strings = |c: &str| -> Vec<Option<String>> {
                blocks
                    .column(c)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect()
            };
            let s = |v: &str| Some(v.to_string());
            assert_eq!(strings("ticket_id"), [s("T1"), s("T2"), s("T3"), s("T4")]);
            assert_eq!(strings("team"), [s("sup\nport"), None, s("billing"), None]);
            assert_eq!(strings(EXTRA), [None, s("extra"), None, None]);
        }
    }
}
