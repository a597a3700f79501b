//! Responses attributed through tickets: which input a `--by` column comes from,
//! and the checks of the join.

use super::*;

/// Set by the ticket join: the response needs its ticket for a `--by` column.
pub(super) const NEEDS_TICKET: &str = "__needs_ticket";

/// Which input a `--by` column comes from.
pub(super) enum Side {
    Surveys(GroupColumn),
    Tickets(GroupColumn),
    /// Both have it: the response's own value, else (blank) its ticket's.
    Either(GroupColumn, GroupColumn),
}

/// Ticket rows left out of the join (their creation time unreadable, another row of
/// their id there): said. Not an error under `--strict`, which judges the responses'
/// rows: the ticket may be one no response in the window names.
pub(super) fn left_out_tickets(tickets: &Input, lookup: &Lookup) -> Option<String> {
    let (file, id) = lookup.first_unusable.as_ref()?;
    let name = tickets
        .files
        .get(*file)
        .map_or("", |f| f.source.name.as_str());
    let n = lookup.unusable;
    let (rows, their) = match n {
        1 => ("row", "its"),
        _ => ("rows", "their"),
    };
    Some(format!(
        "{name}: {n} ticket {rows} left out of the join: {their} created_at cannot be read, and another row of the same ticket_id gives the responses' groups (first: ticket_id '{id}')"
    ))
}

/// Responses are attributed to tickets by `ticket_id`: both sides need it.
pub fn check_join(tickets: &Input, surveys: &Input) -> Result<()> {
    for side in [tickets, surveys] {
        if !side.has("ticket_id") {
            let f = &side.files[0];
            // `--map` maps the responses here: the tickets' columns are mapped in the
            // config file.
            let missing = match std::ptr::eq(side, tickets) {
                true => crate::input::fields::missing_field_mapped_by(
                    &f.source.name,
                    "ticket_id",
                    &f.sniffed.headers,
                    "ticket_id = \"COLUMN\" in the [map.tickets] table of --config (--map pairs here map the responses)",
                ),
                false => missing_field(&f.source.name, "ticket_id", &f.sniffed.headers),
            };
            // A file of another kind given as the tickets (subscriptions): said.
            let fields = crate::input::fields::Dataset::Tickets.fields();
            let other = (std::ptr::eq(side, tickets))
                .then(|| crate::input::fields::another_kind(&f.sniffed.headers, fields, false))
                .flatten();
            return Err(match other {
                Some(why) => data_err!("{missing}; {why}"),
                None => missing,
            });
        }
    }
    Ok(())
}

/// The column of `headers` that a ticket file with these headers would read as
/// `field` (by its preset, else by the field's usual names).
fn ticket_column_of(headers: &[String], field: &str) -> Option<String> {
    use crate::input::fields::{map_headers, normalize, Dataset};
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let by_preset = crate::input::preset::detect(headers, Dataset::Tickets).and_then(|p| {
        let (_, names) = p.map.iter().find(|(f, _)| *f == field)?;
        let at = names
            .iter()
            .find_map(|n| normalized.iter().position(|h| h == n))?;
        Some(headers[at].clone())
    });
    by_preset.or_else(|| {
        let mapping = map_headers("", headers, TICKET_FIELDS, &[]).ok()?;
        mapping.get(field).map(String::from)
    })
}

/// A `--by` column from the responses if they have it, else from the tickets.
pub(super) fn group_side(name: &str, surveys: &Input, tickets: Option<&Input>) -> Result<Side> {
    // Files that spell the column differently, or only some response files with it:
    // an error naming them, whatever the tickets have.
    if surveys.has_usable_column(name)? {
        let own = surveys.group_column(name)?;
        return Ok(match tickets {
            // Ticket files that spell it differently, or only some with it, stop the
            // run naming them (their values would be lost for blank survey cells).
            Some(t) if t.has_usable_column(name)? => Side::Either(own, t.group_column(name)?),
            _ => Side::Surveys(own),
        });
    }
    match tickets {
        // The same of the ticket files, when the column comes from them.
        Some(t) if t.has_usable_column(name)? => Ok(Side::Tickets(t.group_column(name)?)),
        Some(t) => Err(data_err!(
            "--by {name}: neither the responses ({}) nor the tickets ({}) have it (survey headers: {}; ticket headers: {})",
            surveys.files[0].source.name,
            t.files[0].source.name,
            crate::text::headers_shown(&surveys.files[0].sniffed.headers),
            crate::text::headers_shown(&t.files[0].sniffed.headers)
        )),
        None => {
            let ticket_field = TICKET_FIELDS.iter().any(|f| f.name == name);
            // A ticket export read as responses (its own CSAT) holds the column the
            // tickets would read as this field: named, to group by it as it is.
            let own = match ticket_field {
                true => ticket_column_of(&surveys.files[0].sniffed.headers, name),
                false => None,
            };
            let hint = match (ticket_field, own) {
                (true, Some(column)) => format!(
                    "; '{name}' is a ticket field: group by this file's own column (--by '{column}'), or give --tickets FILE to attribute responses through their tickets"
                ),
                (true, None) => format!("; '{name}' is a ticket field: give --tickets FILE to attribute responses through their tickets"),
                _ => String::new(),
            };
            // The file that lacks it named, as the other commands name it.
            match surveys.group_column(name) {
                Err(e) => Err(data_err!("{}{hint}", e.to_string())),
                Ok(_) => Err(data_err!("--by {name}: no such field or column{hint}")),
            }
        }
    }
}

/// What the responses take from their tickets: the ticket columns looked up (fields,
/// then raw columns), and the survey column each fills where blank ([`Side::Either`]).
pub(super) struct TicketSide {
    pub fields: Vec<&'static str>,
    pub raw: Vec<String>,
    pub fills: Vec<Option<String>>,
}

/// The `--by` columns' sides: the survey columns they read added to `fields` and
/// `raw`, the ticket columns they look up returned.
pub(super) fn plan(
    sides: &[Side],
    fields: &mut Vec<&'static str>,
    raw: &mut Vec<String>,
) -> TicketSide {
    let (mut ticket_fields, mut ticket_raw) = (Vec::new(), Vec::new());
    let survey_side =
        |g: &GroupColumn, fields: &mut Vec<&'static str>, raw: &mut Vec<String>| match g {
            GroupColumn::Field(f) if !fields.contains(f) => fields.push(f),
            GroupColumn::Field(_) => {}
            GroupColumn::Raw(r) => raw.push(r.clone()),
        };
    // The ticket columns looked up, and the survey column each fills (Either).
    let (mut field_fills, mut raw_fills): (Vec<Option<String>>, Vec<Option<String>>) =
        (Vec::new(), Vec::new());
    for side in sides {
        let (ticket, fill) = match side {
            Side::Surveys(g) => {
                survey_side(g, fields, raw);
                continue;
            }
            Side::Tickets(t) => (t, None),
            Side::Either(g, t) => {
                survey_side(g, fields, raw);
                (t, Some(g.name().to_string()))
            }
        };
        match ticket {
            GroupColumn::Field(f) if !ticket_fields.contains(f) => {
                ticket_fields.push(*f);
                field_fills.push(fill);
            }
            GroupColumn::Field(_) => {}
            GroupColumn::Raw(r) => {
                ticket_raw.push(r.clone());
                raw_fills.push(fill);
            }
        }
    }
    TicketSide {
        fields: ticket_fields,
        raw: ticket_raw,
        fills: field_fills.into_iter().chain(raw_fills).collect(),
    }
}

/// Each response's ticket: the group columns (`columns`) of the ticket row of its id
/// that `--keep` counts (the first with `--keep first`, else the last); none without
/// tickets. `-v` says how many ticket rows were read and ids found.
pub(super) fn lookup(
    input: &Input,
    tickets: Option<&Input>,
    req: &SurveysRequest,
    columns: (&[&'static str], &[String]),
) -> Result<Option<Arc<Lookup>>> {
    let Some(t) = tickets else {
        return Ok(None);
    };
    let first_row = req.keep == crate::metrics::tickets::Keep::First;
    // Of a ticket id on several rows, a row rejected whole (its creation time
    // unreadable) is not the ticket's. Read again, with the times, only then: clean
    // exports pay nothing. Where the times cannot be read at all, every row counts
    // (the join needs only ids and groups).
    let build = |usable: &crate::input::join::Usable| {
        Lookup::build(input, t, "ticket_id", columns, (first_row, usable))
    };
    let every_row = |_: usize, lf: LazyFrame| lf;
    let found = build(&crate::input::join::Usable {
        reads: &[],
        rows: &every_row,
    })?;
    // Each file's format on its own: one whose dates cannot be told keeps all
    // its rows, the others are judged.
    let formats = match (found.repeated > 0, t.has("created_at")) {
        (true, true) => t.timestamp_formats_each(&["created_at"]),
        _ => Vec::new(),
    };
    let tz = req.scope.tz;
    let format_of = |i: usize| formats.get(i)?.as_ref()?.get("created_at");
    let created = |i: usize, lf: LazyFrame| match format_of(i) {
        Some(format) => lf.filter(
            crate::metrics::tickets::plausible(format.to_epoch_ms(col("created_at"), tz))
                .is_not_null(),
        ),
        None => lf,
    };
    let none_read = (0..formats.len()).all(|i| format_of(i).is_none());
    let lookup = match none_read {
        true => found,
        false => build(&crate::input::join::Usable {
            reads: &["created_at"],
            rows: &created,
        })?,
    };
    if req.rows.verbose {
        let files: Vec<&str> = t.files.iter().map(|f| f.source.name.as_str()).collect();
        let ragged = match lookup.ragged {
            0 => String::new(),
            n => format!(" ({n} with more fields than the header, rejected whole)"),
        };
        crate::say!(
            "cxm: {}: {} ticket {} read for the join{ragged}; {} of the {} ticket ids the survey rows name are there",
            crate::text::files_listed(&files, ", "),
            lookup.rows_read,
            if lookup.rows_read == 1 { "row" } else { "rows" },
            lookup.keys_found,
            lookup.keys_named
        );
    }
    Ok(Some(Arc::new(lookup)))
}
