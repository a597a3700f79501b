//! Which churn a file supports: subscriptions, a snapshot or activity.

use super::*;

/// Which churn the data supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Subscriptions,
    Snapshot,
    Activity,
}

impl Mode {
    /// Choose from the mapped fields: `--inactive-after` asks for activity churn;
    /// otherwise subscription dates beat a churn flag (they say when, not only whether).
    pub fn choose(input: &Input, inactive_after: bool) -> Result<Mode> {
        let file = &input.files[0];
        // Spans belong to customers; a snapshot without ids counts each row as one.
        let need_ids = || {
            if input.has("customer_id") {
                Ok(())
            } else {
                Err(crate::input::fields::missing_field(
                    &file.source.name,
                    "customer_id",
                    &file.sniffed.headers,
                ))
            }
        };
        if inactive_after {
            if input.has("event_at") {
                need_ids()?;
                tickets_as_customers(input)?;
                return Ok(Mode::Activity);
            }
            return Err(data_err!(
                "{}: --inactive-after needs an event timestamp column (headers found: {}); map one with --map event_at=COLUMN",
                file.source.name,
                crate::text::headers_shown(&file.sniffed.headers)
            ));
        }
        if input.has("start_date") {
            need_ids()?;
            Ok(Mode::Subscriptions)
        } else if input.has("churned") {
            Ok(Mode::Snapshot)
        } else {
            Err(data_err!(
                "{}: no start_date (subscriptions) or churned flag (snapshot) column (headers found: {}); map one with --map start_date=COLUMN or --map churned=COLUMN, or give --inactive-after for activity churn{}",
                file.source.name,
                crate::text::headers_shown(&file.sniffed.headers),
                input.misfit_note(0)
            ))
        }
    }

    /// One line saying what is measured, for stderr and `inspect`.
    pub fn describe(self, input: &Input) -> String {
        // Each file's column where files read a field from different ones.
        let col = |f: &str| {
            let read: Vec<(&str, &str)> = (input.files.iter())
                .map(|file| (file.mapping.get(f).unwrap_or(f), file.source.name.as_str()))
                .collect();
            match read.iter().all(|(c, _)| *c == read[0].0) {
                true => format!("'{}'", read.first().map_or(f, |(c, _)| c)),
                false => (read.iter())
                    .map(|(c, file)| format!("'{c}' in {file}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        };
        match self {
            Mode::Subscriptions => {
                // (Not where it is the start's own column: an export without the other.)
                let apart = (input.files.iter()).any(|f| {
                    f.mapping.get("scheduled_start").is_some_and(|c| f.mapping.get("start_date") != Some(c))
                });
                let start = match apart {
                    true => format!(
                        "{} (where blank, the scheduled start {})",
                        col("start_date"),
                        col("scheduled_start")
                    ),
                    false => col("start_date"),
                };
                let mut s = format!(
                    "subscription churn from {start} to {}",
                    if input.has("end_date") {
                        col("end_date")
                    } else {
                        "(no end date: every subscription still running)".into()
                    }
                );
                if input.has("churned") {
                    s += &format!(
                        "; the churn flag {} is not used (dates win)",
                        col("churned")
                    );
                }
                s
            }
            Mode::Snapshot if !input.has("customer_id") => format!(
                "snapshot churn from the flag {}; no customer_id column: each row counts as a customer",
                col("churned")
            ),
            Mode::Snapshot => format!("snapshot churn from the flag {}", col("churned")),
            Mode::Activity => format!(
                "activity churn from events in {}, customers by {}",
                col("event_at"),
                col("customer_id")
            ),
        }
    }
}

/// Activity from a known ticket export whose customer column is not the one `cxm
/// tickets` reads as the customer (Help Scout's conversation `id` beside
/// `primaryCustomer.email`), or from a file whose customer column is its tickets' own
/// id: each ticket would be a customer of its own, churned once its one event is old.
/// Refused unless mapped by hand.
fn tickets_as_customers(input: &Input) -> Result<()> {
    for file in &input.files {
        let Some(customer) = file.mapping.get("customer_id") else {
            continue;
        };
        if file.mapping.explicit.contains(&"customer_id") {
            continue;
        }
        // In a file of tickets (a known export's, or told by its headers): their own
        // id, or not the customer column the tickets read. Elsewhere, an `id` beside a
        // `ticket_id` is each row's own (a comment's, a rating's).
        use crate::input::fields::{classify, normalize, Dataset};
        let as_tickets = crate::input::ticket_columns(file);
        let headers = &file.sniffed.headers;
        let known = crate::input::preset::detect(headers, Dataset::Tickets).is_some();
        let tickets = known || classify(headers) == Some(Dataset::Tickets);
        let theirs = as_tickets.get("customer_id");
        let their_id = as_tickets.get("ticket_id");
        let other = known && theirs.is_some_and(|c| c != customer);
        let own_id = tickets && their_id == Some(customer);
        // A ticket's id under any of its names but the bare `id` (a conversation's, a
        // case's) beside it.
        let ticket_names = (crate::input::fields::TICKET_FIELDS.iter())
            .find(|f| f.name == "ticket_id")
            .map_or(&[][..], |f| f.synonyms);
        let names_a_ticket = |h: &String| {
            let n = normalize(h);
            n != "id" && ticket_names.contains(&n.as_str())
        };
        let row_id = normalize(customer) == "id"
            && (their_id.is_some_and(|t| t != customer) || headers.iter().any(names_a_ticket));
        if !(other || own_id || row_id) {
            continue;
        }
        let hint = match theirs {
            Some(c) => format!(
                " (tickets read the customer from '{}': --map customer_id={})",
                crate::text::printable(c),
                crate::text::shell_word(c)
            ),
            None => String::new(),
        };
        let why = if own_id {
            "which a file of tickets holds as their own id (this one is read as tickets): each ticket would be a customer of its own (if its rows are customers, --map customer_id=id says so)"
        } else if other {
            "not the tickets' customer column: each ticket could be a customer of its own"
        } else {
            "each row's own id beside the ticket's (a comment's, a rating's): each row would be a customer of its own"
        };
        return Err(data_err!(
            "{}: activity churn would read the customers from '{}', {why}; give the customer's column with --map customer_id=COLUMN{hint}",
            file.source.name,
            crate::text::printable(customer)
        ));
    }
    Ok(())
}
