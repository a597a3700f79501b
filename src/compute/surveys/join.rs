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
            Some(t) if t.has_column(name) => Side::Either(own, t.group_column(name)?),
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
