//! `cxm sql`: print the warehouse query of a command's columns.

use crate::cli::SqlArgs;
use crate::cmd::scope;
use crate::config::Config;
use crate::error::Result;
use crate::metrics::surveys::{Measure, Scale};
use crate::metrics::tickets::TimeUnit;
use crate::sql::{self, SqlRequest};

pub fn run(a: &SqlArgs) -> Result<()> {
    // Its stdout appended to its --config file (`>> cx.toml`), as the other commands
    // refuse it.
    crate::cmd::Paths {
        inputs: &[],
        config: a.config.as_deref(),
        outputs: &[],
    }
    .check()?;
    if !a.window.filters.is_empty() {
        return Err(crate::usage_err!(
            "cxm sql has no --where: filter the table in a view, or in the query's FROM"
        ));
    }
    let given = [
        a.compare.is_some(),
        a.schedule.is_some(),
        a.sla_policy.is_some(),
        a.events.is_some(),
        a.per_ticket,
        a.keep.is_some(),
    ];
    if let Some(((option, _), _)) = NOT_RENDERED.iter().zip(given).find(|(_, given)| *given) {
        return Err(refusal(option));
    }
    // What the query's command does not take is refused, as that command refuses it.
    let not_for = |option: &str, commands: &str| {
        Err(crate::usage_err!(
            "{option} is an option of {commands}, not of cxm sql {}",
            a.dataset.command()
        ))
    };
    use sql::Dataset::{Churn, Surveys, Tickets};
    if a.movements && a.dataset != Churn {
        return not_for("--movements", "churn");
    }
    if a.sla.is_some() && a.dataset != Tickets {
        return not_for("--sla", "tickets");
    }
    // As `tickets` says of an export with its own verdicts.
    let verdicts = (a.columns.iter().flatten()).any(|c| c == "sla_met");
    if a.sla.is_some() && verdicts {
        crate::say!(
            "cxm: warning: --sla: sla_pct is the table's own SLA verdict (sla_met), whatever its target; the target given is not used"
        );
    }
    if a.time_unit.is_some() && a.dataset != Tickets {
        return not_for("--time-unit", "tickets");
    }
    crate::cmd::one_scale_each(&a.scale)?;
    if !a.scale.is_empty() && a.dataset != Surveys {
        return not_for("--scale", "surveys");
    }
    if a.dataset == Churn && a.window.every_given() == Some(None) {
        return Err(crate::usage_err!(
            "--every none: churn is counted per calendar bucket (day, week, month, quarter, year); leave --every out for months"
        ));
    }
    if a.table.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(crate::usage_err!("--table: an empty table name"));
    }
    let req = request(a)?;
    // BigQuery reads no table outside a dataset: the query would fail there.
    let qualified = req.table.contains('.') || req.table.contains("{{");
    if req.dialect == sql::Dialect::Bigquery && !qualified {
        crate::say!(
            "cxm: warning: --dialect bigquery: the table '{}' names no dataset, which BigQuery needs: give --table dataset.{} (or project.dataset.{})",
            req.table,
            req.table,
            req.table
        );
    }
    let text = sql::generate(&req)?;
    crate::render::Target::Stdout.write(text.as_bytes())
}

/// The commands' options that no query renders, and why (docs/warehouse.md, "Not in
/// the query"), in the order of [`SqlArgs`]' hidden fields.
const NOT_RENDERED: [(&str, &str); 6] = [
    (
        "--compare",
        "run the query once for each window (--period, or --since/--until)",
    ),
    ("--schedule", "business hours are not in the query"),
    ("--sla-policy", "SLA policies are not in the query"),
    ("--events", "event logs are not in the query"),
    (
        "--per-ticket",
        "the query gives the groups' figures; a ticket's own are its table's rows",
    ),
    ("--keep", "a warehouse table has one row per ticket"),
];

fn refusal(option: &str) -> crate::error::CxmError {
    let why = NOT_RENDERED
        .iter()
        .find(|(o, _)| *o == option)
        .map_or("", |(_, why)| why);
    crate::usage_err!("cxm sql has no {option}: {why}")
}

/// When the command line did not parse: the refusal of an option `cxm sql` does not
/// take, if one is given. Such an option takes the next word as its value, so
/// `cxm sql --schedule tickets` would otherwise be told only that the command is
/// missing.
pub fn refused_option(args: &[std::ffi::OsString]) -> Option<crate::error::CxmError> {
    let words: Vec<std::borrow::Cow<str>> =
        args.iter().skip(1).map(|a| a.to_string_lossy()).collect();
    let command = words.iter().position(|w| !w.starts_with('-'))?;
    if words[command] != "sql" {
        return None;
    }
    // Past `--`, words are values, not options.
    let options = words[command + 1..].iter().take_while(|w| *w != "--");
    options.into_iter().find_map(|word| {
        let word: &str = word;
        let option = word.split_once('=').map_or(word, |(o, _)| o);
        NOT_RENDERED
            .iter()
            .any(|(o, _)| *o == option)
            .then(|| refusal(option))
    })
}

/// The arguments, `--config` filling what the command line leaves unset.
pub fn request(a: &SqlArgs) -> Result<SqlRequest> {
    let cfg = Config::load(a.config.as_deref())?;
    let scale = |m: Measure, configured: &Option<String>| -> Result<Scale> {
        let name = a
            .scale
            .iter()
            .rev()
            .find(|(k, _)| k == m.name())
            .map(|(_, v)| v.clone())
            .or_else(|| configured.clone());
        match name {
            Some(name) => Scale::parse(m, &name).ok_or_else(|| {
                crate::usage_err!(
                    "--scale {}={name}: unknown scale (known: {})",
                    m.name(),
                    Scale::names(m)
                )
            }),
            None => Ok(Scale::default_for(m, &[])),
        }
        .and_then(|s| {
            let extra = match m {
                Measure::Csat => &cfg.labels.csat,
                Measure::Ces => &cfg.labels.ces,
                Measure::Nps => &cfg.labels.nps,
            };
            s.with_labels(m, extra, cfg.labels.file.as_deref())
        })
    };
    let mut scope = scope(&a.window, &cfg)?;
    // A canonical field in any case is that field (`--by Team` is `team`), as the
    // commands read it.
    let fields = match a.dataset {
        sql::Dataset::Tickets => crate::input::fields::TICKET_FIELDS,
        sql::Dataset::Surveys => crate::input::fields::SURVEY_FIELDS,
        sql::Dataset::Churn => crate::input::fields::CHURN_FIELDS,
    };
    for b in &mut scope.by {
        if let Some(f) = fields.iter().find(|f| f.name.eq_ignore_ascii_case(b)) {
            *b = f.name.to_string();
        }
    }
    Ok(SqlRequest {
        dataset: a.dataset,
        dialect: a.dialect,
        table: a
            .table
            .clone()
            .unwrap_or_else(|| a.dataset.default_table().to_string()),
        columns: a.columns.clone(),
        scope,
        time_unit: a.time_unit.or(cfg.time_unit).unwrap_or(TimeUnit::Hours),
        sla_secs: crate::calendar::duration_secs(a.sla.as_deref())
            .or(cfg.sla_secs())
            .unwrap_or(3600.0),
        csat: scale(Measure::Csat, &cfg.scale.csat)?,
        ces: scale(Measure::Ces, &cfg.scale.ces)?,
        nps: scale(Measure::Nps, &None)?,
        movements: a.movements,
        statuses: crate::metrics::events::EventWords::new(&cfg.statuses)
            .and_then(|w| w.with_roles(&cfg.roles))
            .map_err(|e| crate::usage_err!("{e}"))?,
    })
}
