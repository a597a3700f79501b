//! `--by` names resolved to columns: a mapped field, or a raw column every file has
//! (in any case), with the errors that make a name unusable.

use super::{Input, InputFile};
use crate::data_err;
use crate::error::Result;

/// A `--by` column: a canonical field or a raw column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupColumn {
    Field(&'static str),
    Raw(String),
}

impl GroupColumn {
    /// The column's name in the scanned frame and in the output.
    pub fn name(&self) -> &str {
        match self {
            GroupColumn::Field(f) => f,
            GroupColumn::Raw(r) => r,
        }
    }
}

/// Add the columns `groups` read to a scan's canonical `fields` and raw `columns`.
pub fn add_group_columns(
    groups: &[GroupColumn],
    fields: &mut Vec<&'static str>,
    columns: &mut Vec<String>,
) {
    for g in groups {
        match g {
            GroupColumn::Field(f) if !fields.contains(f) => fields.push(f),
            GroupColumn::Raw(r) if !columns.contains(r) => columns.push(r.clone()),
            _ => {}
        }
    }
}

/// Polars reads `*` and `^…$` as patterns wherever a column is named: such a column
/// is read only through a field it is mapped to.
pub fn named_like_pattern(header: &str) -> bool {
    header == "*" || header.starts_with('^') && header.ends_with('$')
}

impl Input {
    /// The raw column `name` reads, where it is named like a pattern (and is no
    /// field's): a condition on it is refused, as a `--by` is.
    pub fn pattern_named_column(&self, name: &str) -> Result<Option<String>> {
        if self.has(name) {
            return Ok(None);
        }
        Ok(self.raw_header(name)?.filter(|h| named_like_pattern(h)))
    }

    /// A `--by` name: a mapped canonical field keeps its canonical name; otherwise it
    /// must be a raw column present in every file.
    pub fn group_column(&self, name: &str) -> Result<GroupColumn> {
        let column = self.resolved_group_column(name)?;
        self.refuse_several_answers(name, &column)?;
        Ok(column)
    }

    /// A question respondents answered in several columns (check all that apply) has
    /// no one value a response: grouped by its first column, those who did not tick
    /// the first option fell into the blank group.
    fn refuse_several_answers(&self, name: &str, column: &GroupColumn) -> Result<()> {
        for f in &self.files {
            let header = match column {
                GroupColumn::Field(field) => f.mapping.get(field).unwrap_or(field),
                GroupColumn::Raw(raw) => raw.as_str(),
            };
            if let Some((_, options)) = f.several_answers.iter().find(|(h, _)| h == header) {
                return Err(crate::usage_err!(
                    "--by '{name}': in {}, this question's answers are spread over columns of their own ({}) and some respondents filled more than one, so a response has no one value to group by",
                    f.source.name,
                    options.join(", ")
                ));
            }
        }
        Ok(())
    }

    fn resolved_group_column(&self, name: &str) -> Result<GroupColumn> {
        if self.has(name) {
            return Ok(GroupColumn::Field(self.field(name)?));
        }
        // `--by TEAM` of the column the field `team` reads in every file (`Team` in
        // one, `TEAM` in another): the field, named `team` as `--by team` names it.
        let lower = name.to_ascii_lowercase();
        let reads_it = |f: &InputFile| {
            (f.mapping.get(&lower)).is_some_and(|c| c.trim().eq_ignore_ascii_case(name.trim()))
        };
        if self.has(&lower) && self.files.iter().all(reads_it) {
            return Ok(GroupColumn::Field(self.field(&lower)?));
        }
        // Otherwise a raw column in any case, then the field, in the order `--where`
        // binds its columns, so that `--by TEAM --where TEAM=x` mean one column.
        if let Some(header) = self.raw_header(name)? {
            // `--by AGENT_REPLIES` names the column `agent_replies` that the field of
            // that name reads: the field (read twice, the two would share a name).
            let read_as = self.fields.iter().find(|f| {
                f.name == header
                    && (self.files.iter()).all(|file| file.mapping.get(f.name) == Some(f.name))
            });
            if read_as.is_none() && named_like_pattern(&header) {
                return Err(crate::usage_err!(
                    "--by {name}: a column named like a pattern ('{header}') is read only through a field: map it to one the file does not use (--map FIELD={}, then --by FIELD)",
                    crate::text::shell_word(&header)
                ));
            }
            return Ok(match read_as {
                Some(f) => GroupColumn::Field(f.name),
                None => GroupColumn::Raw(header),
            });
        }
        if self.has(&lower) {
            return Ok(GroupColumn::Field(self.field(&lower)?));
        }
        let file = self
            .files
            .iter()
            .find(|f| header_like(&f.sniffed.headers, name).is_empty())
            .unwrap_or(&self.files[0]);
        let canonical = self.fields.iter().any(|f| f.name == name);
        // `--by` splits at commas: a header holding one is reached through a field.
        let split = file.sniffed.headers.iter().find(|h| {
            h.contains(',')
                && h.split(',')
                    .any(|part| part.trim().eq_ignore_ascii_case(name))
        });
        // A wide-form survey file: a column per measure, no survey column to map.
        let measures = ["csat", "ces", "nps"];
        let wide = name == "survey" && measures.iter().any(|m| self.has(m));
        // Churn read from a ticket export names its columns as they are.
        let as_tickets = ticket_field_column(self, file, name);
        let hint = if let Some(header) = as_tickets {
            format!(
                "; churn reads a ticket export's columns by their own names: the tickets' {name} is '{}' here (--by {})",
                crate::text::printable(&header),
                crate::text::shell_word(&header)
            )
        } else if wide {
            "; the file is in wide form (a column per measure): each row holds every measure, whose figures are columns of their own (csat_*, ces_*, nps_*)".to_string()
        } else if canonical {
            format!("; map it with --map {name}=COLUMN")
        } else if let Some(h) = split {
            format!(
                "; --by splits at commas, so to group by the column '{}' map it to a field of this kind of data that the file does not use and group by that (--map FIELD={}, then --by FIELD)",
                crate::text::printable(h),
                crate::text::shell_word(h)
            )
        } else {
            crate::text::spaced_like(&file.sniffed.headers, name)
        };
        Err(data_err!(
            "{}: --by {name}: no such field or column (headers found: {}){hint}",
            file.source.name,
            crate::text::headers_shown(&file.sniffed.headers)
        ))
    }

    /// The raw column every file has under `name`, in any case, as the first file
    /// spells it (the name of its output column); None when some file has none. Each
    /// file's own spelling is read ([`Input::own_spelling`]: `Region` in one export,
    /// `REGION` in another). Two headers of one file that differ only in case are an
    /// error: which one was meant cannot be told.
    fn raw_header(&self, name: &str) -> Result<Option<String>> {
        let mut spellings = Vec::with_capacity(self.files.len());
        for file in &self.files {
            let Some(header) = Self::file_raw_header(file, name, "--by")? else {
                return Ok(None);
            };
            spellings.push(header);
        }
        let Some(first) = spellings.first().cloned() else {
            return Ok(None);
        };
        // Kept for the scans, which are given the column by its first spelling.
        let mut kept = self
            .raw_spellings
            .write()
            .unwrap_or_else(|p| p.into_inner());
        let taken = |read_as: &str| kept.iter().find(|(r, _)| r == read_as).map(|(_, s)| s);
        // Two names the first file reads as one column, another file as two
        // (`--by region,REGION` over `region`, and `region` with `REGION`): the
        // second is read under the name typed, when that is free.
        let typed = name.trim();
        if taken(&first).is_some_and(|before| *before != spellings) && typed != first {
            match taken(typed) {
                Some(before) if *before == spellings => return Ok(Some(typed.to_string())),
                Some(_) => {}
                None => {
                    kept.push((typed.to_string(), spellings));
                    return Ok(Some(typed.to_string()));
                }
            }
        }
        match kept.iter().find(|(read_as, _)| *read_as == first) {
            // Two names read under one (`--by region,REGION` over a file with only
            // `Region` and one with both): which column is which cannot be told.
            Some((_, before)) if *before != spellings => {
                let i = (0..spellings.len())
                    .find(|&i| before.get(i) != spellings.get(i))
                    .unwrap_or(0);
                Err(data_err!(
                    "{}: '{}' and '{}' are two columns here, but {} has one column for both ('{first}'), the name they would be read under; rename one of them",
                    self.files[i].source.name,
                    crate::text::printable(&before[i]),
                    crate::text::printable(&spellings[i]),
                    self.files[0].source.name,
                ))
            }
            Some(_) => Ok(Some(first)),
            None => {
                kept.push((first.clone(), spellings));
                Ok(Some(first))
            }
        }
    }

    /// Is `name` the name a raw column is read under, found earlier (and so not to be
    /// looked up again by that name, which a later file may spell otherwise)?
    pub fn is_raw_read_as(&self, name: &str) -> bool {
        let kept = self.raw_spellings.read().unwrap_or_else(|p| p.into_inner());
        kept.iter().any(|(read_as, _)| read_as == name)
    }

    /// File `i`'s own spelling of the raw column read as `name`: as
    /// [`Input::raw_header`] found it under the name typed, else the file's header
    /// equal to `name`, else the one alike in case and spaces around it (`name` itself
    /// when there is none or several).
    pub(super) fn own_spelling<'a>(&'a self, i: usize, name: &'a str) -> &'a str {
        let headers = &self.files[i].sniffed.headers;
        let kept = self.raw_spellings.read().unwrap_or_else(|p| p.into_inner());
        let found = (kept.iter())
            .find(|(read_as, _)| read_as == name)
            .and_then(|(_, spellings)| headers.iter().find(|h| Some(*h) == spellings.get(i)));
        if let Some(header) = found {
            return header;
        }
        if headers.iter().any(|h| h == name) {
            return name;
        }
        match header_like(headers, name)[..] {
            [one] => one,
            _ => name,
        }
    }

    /// The raw column of `file` under `name`, in any case (for `flag`'s messages).
    pub(super) fn file_raw_header(
        file: &InputFile,
        name: &str,
        flag: &str,
    ) -> Result<Option<String>> {
        let exact = file.sniffed.headers.iter().filter(|h| *h == name).count();
        if exact > 1 {
            // Which of the two holds the groups cannot be told.
            return Err(data_err!(
                "{}: {flag} {name}: the file has {exact} columns named '{name}'; rename all but one",
                file.source.name
            ));
        }
        let exact = exact == 1;
        let like = header_like(&file.sniffed.headers, name);
        // `Region` and `Region `: a name cannot tell them apart (names are trimmed).
        let twin_of = |h: &str| (like.iter().copied()).find(|g| *g != h && g.trim() == h.trim());
        // The column an exact name picks, else any two of those alike.
        let spaced = match exact {
            true => twin_of(name).map(|t| (name, t)),
            false => (like.iter()).find_map(|h| twin_of(h).map(|t| (*h, t))),
        };
        if let Some((one, other)) = spaced {
            let typed = crate::text::shell_word(other);
            let (one, other) = (crate::text::printable(one), crate::text::printable(other));
            return Err(crate::usage_err!(
                "{}: {flag} {name}: the file has columns '{one}' and '{other}', which differ only in spaces; rename one, or map the one meant to a field (--map FIELD={typed})",
                file.source.name,
            ));
        }
        Ok(match (exact, like.as_slice()) {
            (true, _) => Some(name.to_string()),
            (false, [one]) => Some(one.to_string()),
            (false, []) => None,
            // One spelling, twice: no spelling can tell the two apart.
            (false, several) if several.iter().all(|h| *h == several[0]) => {
                return Err(data_err!(
                    "{}: {flag} {name}: the file has {} columns named '{}'; rename all but one",
                    file.source.name,
                    several.len(),
                    several[0]
                ))
            }
            (false, several) => {
                // A spelling with spaces around it cannot be given (names are trimmed).
                let spaced = several.iter().find(|h| h.trim() != **h);
                let way_out = match spaced {
                    Some(h) => format!(
                        "give the exact spelling, or map '{}' to a field (--map FIELD={})",
                        crate::text::printable(h),
                        crate::text::shell_word(h)
                    ),
                    None => "give the exact spelling".to_string(),
                };
                let names: Vec<String> =
                    several.iter().map(|h| crate::text::form_shown(h)).collect();
                return Err(crate::usage_err!(
                    "{}: {flag} {name}: several columns match in case or Unicode form ({}); {way_out}",
                    file.source.name,
                    names.join(", ")
                ));
            }
        })
    }

    /// [`Input::group_column`] for each `--by` name.
    pub fn group_columns(&self, by: &[String]) -> Result<Vec<GroupColumn>> {
        by.iter().map(|b| self.group_column(b)).collect()
    }

    /// [`Input::has_column`], or the error that makes `--by name` unusable here, as
    /// the metric commands give it: a file with two columns of that name, files that
    /// spell it differently, or files of which only some have it (the error names
    /// one that lacks it).
    pub fn has_usable_column(&self, name: &str) -> Result<bool> {
        if self.has_column(name) {
            return Ok(true);
        }
        // File by file, as the metric commands read them: the first file that lacks
        // it or holds it twice decides the error.
        let (mut some, mut lacking) = (false, false);
        for file in &self.files {
            match Self::file_raw_header(file, name, "--by") {
                Ok(Some(_)) => some = true,
                Ok(None) => lacking = true,
                Err(_) if lacking => some = true,
                Err(e) => return Err(e),
            }
        }
        if some && lacking {
            // The error that names the first file that lacks it.
            self.group_column(name)?;
        }
        self.raw_header(name)?;
        Ok(false)
    }

    /// Is `name` a mapped canonical field, or a raw column of every file (in any case)?
    pub fn has_column(&self, name: &str) -> bool {
        // A column spelled two ways across the files is there: grouping by it says so.
        self.has(name)
            || !matches!(self.raw_header(name), Ok(None))
            || self.has(&name.to_ascii_lowercase())
    }
}

/// The headers equal to `name` but for case.
fn header_like<'a>(headers: &'a [String], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        // In any case, and past spaces around it (` Region`, as a sheet may write it).
        .filter(|h| crate::text::same_in_any_case(h.trim(), name.trim()))
        .map(String::as_str)
        .collect()
}

/// The column of `file` that the ticket field `name` (`team`, `channel`) would read
/// there as tickets, for the hint of a churn run on a ticket export (whose activity
/// churn reads columns by their own names). None for a field of the input's own kind
/// of data, or outside churn.
pub(super) fn ticket_field_column(input: &Input, file: &InputFile, name: &str) -> Option<String> {
    let lower = name.trim().to_ascii_lowercase();
    let churn = input.fields.iter().any(|f| f.name == "event_at");
    if !churn || input.fields.iter().any(|f| f.name == lower) {
        return None;
    }
    ticket_columns(file).get(&lower).map(str::to_string)
}

/// How `cxm tickets` would map this file's columns (its ticket preset's, else the
/// synonyms), sampled blanks aside.
pub fn ticket_columns(file: &InputFile) -> super::fields::Mapping {
    use super::fields::{map_headers, Dataset, TICKET_FIELDS};
    let headers = &file.sniffed.headers;
    let pairs = (super::preset::detect(headers, Dataset::Tickets))
        .map_or_else(Vec::new, |p| p.pairs(headers));
    map_headers("", headers, TICKET_FIELDS, &pairs).unwrap_or_default()
}
