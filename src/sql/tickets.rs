//! The tickets query: the parse step of [`crate::metrics::tickets::parse`] over a
//! typed table, then the ticket metric records.
//!
//! The table: `ticket_id` and `created_at` (required), and by default
//! `first_response_at`, `resolved_at` (timestamps), `agent_replies` and `reopens`
//! (integers); `fcr` (boolean) replaces the replies rule for first contact, and
//! `closed_at` (a timestamp) stands in for an empty `resolved_at` (or is the
//! resolution without it), unless `status` (text) is given and reads as not resolved;
//! `sla_met` (boolean), the export's own SLA verdict, makes `sla_pct` its share of
//! true. One row per ticket: the warehouse's key, so no repeated-id pass.

use crate::error::Result;
use crate::metrics::tickets::{
    self, Extras, FIRST_CONTACT, FRT_S, REOPENED, REPLIES, RES_S, SLA_MET,
};

use super::records::column;
use super::{optional_columns, RecordQuery, SqlRequest};

const KNOWN: &[&str] = &[
    "first_response_at",
    "resolved_at",
    "closed_at",
    "status",
    "agent_replies",
    "reopens",
    "fcr",
    "sla_met",
];
const DEFAULT: &[&str] = &[
    "first_response_at",
    "resolved_at",
    "agent_replies",
    "reopens",
];

pub fn query(req: &SqlRequest) -> Result<String> {
    let d = req.dialect;
    let has = optional_columns(req, KNOWN, DEFAULT)?;
    let has = |c: &str| has.iter().any(|h| h == c);
    let null_float = d.null_float();
    // A ticket created at a time not read (`9999-12-31`) is not counted.
    let plausible = |field: &str| super::plausible_millis(d, field);
    let mut read = vec![format!("{} AS created_ms", plausible("created_at"))];
    // A duration below zero is a rejected value: absent from its metrics.
    let mut values = Vec::new();
    for (field, at, name) in [
        ("first_response_at", "responded_ms", FRT_S),
        ("resolved_at", "resolved_ms", RES_S),
    ] {
        // A ticket closed without a resolution time was resolved when closed.
        let closed = field == "resolved_at" && has("closed_at");
        // A rejected resolution time is not replaced by the close.
        let time = match (has(field), closed) {
            // Not where the status says the ticket is still open (the close is from
            // before it was reopened).
            (true, true) if has("status") => Some(format!(
                "CASE WHEN {field} IS NOT NULL THEN {} WHEN {} THEN NULL ELSE {} END",
                plausible(field),
                unresolved(req),
                plausible("closed_at")
            )),
            (true, true) => Some(format!(
                "CASE WHEN {field} IS NULL THEN {} ELSE {} END",
                plausible("closed_at"),
                plausible(field)
            )),
            (true, false) => Some(plausible(field)),
            (false, true) if has("status") => Some(format!(
                "CASE WHEN {} THEN NULL ELSE {} END",
                unresolved(req),
                plausible("closed_at")
            )),
            (false, true) => Some(plausible("closed_at")),
            (false, false) => None,
        };
        if let Some(time) = time {
            read.push(format!("{time} AS {at}"));
            values.push(format!(
                "CASE WHEN {at} >= created_ms THEN {} / 1000 END AS {}",
                d.float(&format!("{at} - created_ms")),
                column(name)
            ));
        } else {
            values.push(format!("{null_float} AS {}", column(name)));
        }
    }
    // Counts below zero, fractions and counts past a ticket's most are rejected
    // values too.
    let count = |field: &str| {
        if has(field) {
            format!(
                "CASE WHEN {field} >= 0 AND {field} <= {} AND {field} = FLOOR({field}) THEN {} END",
                d.number(crate::metrics::MOST_PER_TICKET),
                d.float(field)
            )
        } else {
            null_float.clone()
        }
    };
    read.push(format!("{} AS replies_n", count("agent_replies")));
    read.push(format!("{} AS reopens_n", count("reopens")));
    values.push(format!("replies_n AS {}", column(REPLIES)));
    values.push(format!("reopens_n > 0 AS {}", column(REOPENED)));
    if has("fcr") {
        read.push("fcr AS fcr_b".to_string());
    }
    let first_contact = if has("fcr") {
        "fcr_b"
    } else if has("agent_replies") && has("reopens") {
        // Unknown where either count is, as in the command.
        "CASE WHEN replies_n IS NULL OR reopens_n IS NULL THEN NULL ELSE replies_n = 1 AND reopens_n = 0 END"
    } else if has("agent_replies") {
        "replies_n = 1"
    } else {
        "CAST(NULL AS BOOLEAN)"
    };
    values.push(format!("{first_contact} AS {}", column(FIRST_CONTACT)));
    if has("sla_met") {
        read.push("sla_met AS sla_met_b".to_string());
        values.push(format!("sla_met_b AS {}", column(SLA_MET)));
    }

    let metrics = tickets::metrics(
        req.time_unit,
        req.sla_secs,
        Extras {
            from_timestamps: [true, true],
            unknown: [
                !has("first_response_at"),
                !has("resolved_at") && !has("closed_at"),
            ],
            vendor_sla: has("sla_met"),
            ..Extras::default()
        },
    );
    RecordQuery {
        undated: None,
        req,
        at: "created_at",
        required: vec![
            format!("{} IS NOT NULL", d.group_key("ticket_id")),
            format!("{} IS NOT NULL", plausible("created_at")),
        ],
        kept_if: None,
        read,
        values,
        metrics,
        keyed_as: Vec::new(),
        presence: None,
        cleaned: Vec::new(),
        kept: Vec::new(),
    }
    .sql()
}

/// `status` reads as a status not resolved (new, open, pending, hold), as the command
/// reads the word: trimmed, in any ASCII case (engines lower other letters each their
/// own way), `_` or `-` for a space.
fn unresolved(req: &SqlRequest) -> String {
    let d = req.dialect;
    let word = format!(
        "TRANSLATE({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_-', 'abcdefghijklmnopqrstuvwxyz  ')",
        d.trim_blanks(&d.text("status"))
    );
    let words: Vec<String> = (req.statuses.unresolved_words().iter())
        .map(|w| d.string(w))
        .collect();
    format!("{word} IN ({})", words.join(", "))
}
