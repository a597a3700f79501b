//! Ticket metrics from a [`TicketsRequest`]: the engine's block pass over the
//! ticket dataset, a second exact pass only when ticket ids repeat.

use std::sync::{Arc, Mutex};

use polars::prelude::*;

use crate::compute::{account, events, Computed};
use crate::engine;
use crate::error::Result;
use crate::input::classes::Class;
use crate::input::fields::{Dataset, TICKET_FIELDS};
use crate::input::preset;
use crate::input::{add_group_columns, GroupColumn, Input, Prepare};
use crate::metrics::sla::{Policies, SlaMetric};
use crate::metrics::tickets::{self, DurationSource, Extras, Keep, TicketParams};
use crate::metrics::{self, Grouping};
use crate::rejects;
use crate::request::TicketsRequest;
use crate::text::same_word;

/// Open the request's files (sniffed and mapped once).
pub fn open(req: &TicketsRequest) -> Result<Input> {
    if !req.sources.presets_configured {
        preset::check(&req.sources.presets, &[Dataset::Tickets])?;
    }
    Input::open(&req.sources, TICKET_FIELDS, req.scope.tz)
}

/// The metrics (full precision) and the rejected values found.
pub fn compute(req: &TicketsRequest) -> Result<Computed> {
    if req.sources.paths.is_empty() {
        let other = (req.sources.filters.iter()).find(|c| events::LogTicket::of(c).is_none());
        if let Some(c) = other {
            return Err(crate::usage_err!(
                "--where {}: an event log alone gives team or group (a ticket's last group), agent or assignee (its last assignee) and ticket_id; give the ticket files for other columns",
                crate::text::condition_shown(&c.text)
            ));
        }
        if let Some(log) = events::open(req)? {
            return events_alone(&log, req);
        }
    }
    let input = open(req)?;
    let (scope, warnings) = req.scope.usable_by(&[&input]);
    let req = TicketsRequest {
        scope,
        ..req.clone()
    };
    let mut done = compute_on(&input, &req)?;
    done.warnings.splice(0..0, warnings);
    Ok(done)
}

/// An event log without ticket files: its tickets, grouped by their last group
/// (`team`) or assignee (`agent`).
fn events_alone(log: &Input, req: &TicketsRequest) -> Result<Computed> {
    let mut scope = req.scope.clone();
    // `team` and `agent` in any case, as a ticket file's columns are named.
    for by in scope.by.iter_mut() {
        let Some(name) = ["team", "agent"].into_iter().find(|n| same_word(by, n)) else {
            return Err(crate::usage_err!(
                "--by {by}: an event log alone gives team (a ticket's last group: --by team) and agent (its last assignee: --by agent); give the ticket files for other columns"
            ));
        };
        *by = name.to_string();
    }
    // A `--by` the log has no column for is an error, as for a ticket file; the
    // config file's `by`, which serves other files too, is passed over with a warning.
    let mut warnings = Vec::new();
    for (by, field) in log_lacks(log, &scope.by) {
        let name = log
            .files
            .first()
            .map_or("the event log", |f| f.source.name.as_str());
        if !scope.by_configured {
            let headers = log.files.first().map_or(String::new(), |f| {
                crate::text::headers_shown(&f.sniffed.headers)
            });
            return Err(crate::data_err!(
                "{name}: --by {by}: the event log has no {field} column (headers found: {headers}); map it with --map {field}=COLUMN"
            ));
        }
        warnings.push(format!(
            "by = '{by}' in --config: the event log {name} has no {field} column; not grouped by it"
        ));
        scope.by.retain(|b| *b != by);
    }
    // A condition on a column the log has not would keep no ticket.
    for c in &req.sources.filters {
        let field = match events::LogTicket::of(c) {
            Some(events::LogTicket::Group) => "group",
            Some(events::LogTicket::Assignee) => "assignee",
            _ => continue,
        };
        if !log.has(field) {
            let (name, headers) = log.files.first().map_or(Default::default(), |f| {
                let headers = crate::text::headers_shown(&f.sniffed.headers);
                (f.source.name.clone(), headers)
            });
            return Err(crate::data_err!(
                "{name}: --where {}: the event log has no {field} column (headers found: {headers}); map it with --map {field}=COLUMN",
                c.text
            ));
        }
    }
    let scope = &scope;
    metrics::check_output_names(&scope.by, scope.every.is_some(), &[])?;
    let grouping = Grouping {
        window: scope.window.clone(),
        every: scope.every,
        tz: scope.tz,
        group_by: scope.by.clone(),
    };
    let mut done = events::compute_on(log, None, req, &grouping)?;
    let more = unjudged(&done.metrics, req, &done.warnings);
    done.warnings.extend(more);
    if !req.per_ticket {
        let edges = super::empty_edges_warning(scope, &done.metrics, &["tickets"], "tickets");
        done.warnings.extend(edges);
    }
    done.warnings.splice(0..0, warnings);
    Ok(done)
}

/// The `--by` names an event log alone groups by (`team`, `agent`) that it has no
/// column for (its group, its assignee), each with that field.
pub fn log_lacks(log: &Input, by: &[String]) -> Vec<(String, &'static str)> {
    [("team", "group"), ("agent", "assignee")]
        .into_iter()
        .filter(|(b, field)| by.iter().any(|x| x == b) && !log.has(field))
        .map(|(b, field)| (b.to_string(), field))
        .collect()
}

/// [`compute`] on files [`open`] already opened.
pub fn compute_on(input: &Input, req: &TicketsRequest) -> Result<Computed> {
    // Which of a ticket id's rows is kept is decided among all its rows, then
    // `--where` applies: a ticket moved out of a team is not counted in it by an old
    // row.
    let mut done = match where_after_repeats(input, req) {
        true => input.with_where_flagged(|| computed_on(input, req))?,
        false => computed_on(input, req)?,
    };
    let more = unjudged(&done.metrics, req, &done.warnings);
    done.warnings.extend(more);
    if !req.per_ticket {
        let edges = super::empty_edges_warning(&req.scope, &done.metrics, &["tickets"], "tickets");
        done.warnings.extend(edges);
    }
    Ok(done)
}

/// `--where` read as a flag and applied after repeated ids are resolved.
fn where_after_repeats(input: &Input, req: &TicketsRequest) -> bool {
    input.is_filtered() && req.keep != Keep::All
}

/// The SLA metrics no ticket was judged for, though tickets were there and a policy
/// has targets for them: the data's priorities are none the policies name, or no
/// `where` holds. Their columns are all zero or empty, and `--fail-if` on their
/// `pct` can never fire: say so.
/// A metric `said` already gives a reason for (no times to judge) is left out.
fn unjudged(df: &DataFrame, req: &TicketsRequest, said: &[String]) -> Vec<String> {
    let Some(policies) = policies(req) else {
        return Vec::new();
    };
    let sum = |name: &str| -> Option<f64> {
        let c = df.column(name).ok()?.cast(&DataType::Float64).ok()?;
        Some(c.f64().ok()?.sum().unwrap_or(0.0))
    };
    // Per ticket: a verdict column of words, empty where not counted.
    let per_ticket = |name: &str| -> Option<(usize, usize)> {
        let c = df.column(name).ok()?;
        Some((c.len() - c.null_count(), c.len()))
    };
    let mut out = Vec::new();
    // Next replies aside: a period may well have none to judge.
    for m in SlaMetric::ALL {
        if policies.list.iter().all(|p| p.targets(m).is_empty()) {
            continue;
        }
        let name = m.name();
        if said
            .iter()
            .any(|w| w.starts_with(&format!("--sla-policy: sla_{name}_*: ")))
        {
            continue;
        }
        let counts = ["achieved", "breached", "pending"]
            .map(|v| sum(&format!("sla_{name}_{v}")))
            .into_iter()
            .collect::<Option<Vec<f64>>>();
        let (judged, tickets) = match counts {
            Some(c) => (c.iter().sum::<f64>() > 0.0, sum("tickets").unwrap_or(0.0)),
            None => match per_ticket(&format!("sla_{name}")) {
                Some((judged, rows)) => (judged > 0, rows as f64),
                None => continue,
            },
        };
        // The first policy with targets for the metric, of no `where`, takes every
        // ticket: with a `default` target it has one for each, and the times were
        // what could not be judged.
        let targeted = (policies.list.iter())
            .find(|p| !p.targets(m).is_empty())
            .filter(|p| p.only.is_empty() && p.targets(m).has_default());
        match targeted {
            _ if judged || tickets <= 0.0 => {}
            Some(p) => out.push(format!(
                "--sla-policy: sla_{name}_*: no ticket was judged, though policy '{}' has a `default` target for every ticket: none has a time it can be judged by (a time before the ticket's creation is none: see the warnings)",
                p.name
            )),
            // Without a `default` anywhere, priorities no key names are the likelier
            // reason; with one, it cannot be told from the times.
            None if !(policies.list.iter()).any(|p| p.targets(m).has_default()) => {
                out.push(format!(
                    "--sla-policy: sla_{name}_*: no ticket was judged: none has a target for its priority (or a `default` one) under a policy whose `where` holds; compare the data's priorities with the policies' keys"
                ))
            }
            None => out.push(format!(
                "--sla-policy: sla_{name}_*: no ticket was judged: none has a target for its priority (or a `default` one) under a policy whose `where` holds, or none has a time it can be judged by (a time before the ticket's creation is none: see the warnings); compare the data's priorities with the policies' keys"
            )),
        }
    }
    out
}

fn computed_on(input: &Input, req: &TicketsRequest) -> Result<Computed> {
    let scope = &req.scope;
    let groups = input.group_columns(&scope.by)?;
    let policies = policies(req)
        .map(|p| spelled_as_read(input, &p))
        .transpose()?;
    let extras = Extras {
        business: req.schedule.is_some(),
        policies: policies.is_some(),
        ..Extras::default()
    };
    if !req.per_ticket {
        metrics::check_output_names(
            &groups
                .iter()
                .map(|g| g.name().to_string())
                .collect::<Vec<_>>(),
            scope.every.is_some(),
            &tickets::metric_columns(req.time_unit, extras),
        )?;
    }

    let grouping = Grouping {
        window: scope.window.clone(),
        every: scope.every,
        tz: scope.tz,
        group_by: groups.iter().map(|g| g.name().to_string()).collect(),
    };
    // The time and duration fields filled, told once for every file (each asking of
    // all the files' samples cost files × rows).
    let filled = filled_fields(input);
    // Each file parses with its own timestamp formats; the rest is the same for all.
    let per_file = input
        .timestamp_formats(&[
            "created_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
        ])?
        .iter()
        .zip(&input.files)
        .map(|(formats, file)| {
            let has = tickets::sourced(|f| input.has(f), |f| filled.contains(&f));
            let passed_over: Vec<&'static str> = ["first_response_at", "resolved_at", "closed_at"]
                .into_iter()
                .filter(|f| input.has(f) && !has(f))
                .collect();
            TicketParams::new(
                has,
                &input.mapping().explicit,
                formats,
                grouping.clone(),
                req.sla_secs,
                req.time_unit,
            )
            .map(|mut p| {
                // Read only when a target depends on it.
                if policies.as_ref().is_some_and(|p| p.by_priority()) && input.has("priority") {
                    p.mapped.push("priority");
                }
                // A close stands in for the resolution only on tickets whose status
                // is not still open; a resolved or deleted status is checked.
                if input.has("status") {
                    p.mapped.push("status");
                    let codes = file.preset.map_or(&[][..], |(preset, _)| preset.statuses);
                    p.statuses = Some(Arc::new(req.statuses.with_defaults(codes)));
                }
                p.log_may_resolve = req.events.is_some();
                p.unread_times = passed_over;
                TicketParams {
                    schedule: req.schedule.clone().map(Arc::new),
                    sla: policies.clone(),
                    ..p
                }
            })
            .ok_or_else(|| crate::data_err!("no format for created_at"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut params = per_file
        .first()
        .cloned()
        .ok_or_else(|| crate::data_err!("no input"))?;
    // The policies' rule inputs are read as classes in the block passes when nothing
    // else there reads them as texts (a metric, grouping, the per-ticket view, an
    // event log).
    let read_otherwise = |c: &Class| {
        tickets::FIELDS.contains(&c.read.as_str()) || groups.iter().any(|g| g.name() == c.read)
    };
    let classes: Vec<Class> = match &policies {
        Some(policies) if !req.per_ticket && req.events.is_none() => policies
            .rule_classes(params.has("priority"))
            .filter(|cs| !cs.iter().any(read_otherwise))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if !classes.is_empty() {
        params.rule_classes = Some(classes.clone());
    }
    if req.per_ticket {
        let mut columns = vec!["ticket_id".to_string()];
        columns.extend(
            tickets::per_ticket_values(&params)
                .into_iter()
                .map(|(n, _)| n),
        );
        let keys: Vec<String> = groups
            .iter()
            .map(|g| g.name().to_string())
            .filter(|k| k != "ticket_id" && k != "created_at")
            .collect();
        metrics::check_output_names(&keys, scope.every.is_some(), &columns)?;
    }

    let mut fields: Vec<&str> = tickets::FIELDS
        .iter()
        .copied()
        .filter(|f| input.has(f))
        .collect();
    if per_file.iter().any(|p| p.statuses.is_some()) {
        fields.push("status");
    }
    let mut raw: Vec<String> = Vec::new();
    add_group_columns(&groups, &mut fields, &mut raw);
    let mut warnings = super::input_warnings(input, "tickets");
    // The export's own verdicts give `sla_pct` (SPEC §5): a target given is not used.
    let sla_verdict = (params.has("sla_met")).then(|| {
        input
            .mapping()
            .get("sla_met")
            .unwrap_or("sla_met")
            .to_string()
    });
    // (A per-ticket table has no sla_pct to say it of.)
    if req.sla_given && params.has("sla_met") && !req.per_ticket {
        let column = input.mapping().get("sla_met").unwrap_or("sla_met");
        warnings.push(format!(
            "--sla: sla_pct is the export's own SLA verdict ('{column}'), whatever its target; the target given is not used"
        ));
    }
    // Business hours are counted between two times: a duration given as a number
    // (a vendor's column, a `--per-ticket` table read back) has none to count.
    if req.schedule.is_some() && req.events.is_none() {
        for (name, source) in [
            ("first_response", &params.first_response),
            ("resolution", &params.resolution),
        ] {
            if let DurationSource::Column(f, _) = source {
                // The file's own column; a table cxm wrote names its unit (`_minutes`).
                let unit = f.rsplit('_').next().unwrap_or("seconds");
                let column = input.mapping().get(f).unwrap_or(f);
                warnings.push(format!(
                    "--schedule: {name}_business_*: business hours are counted between times, and the data gives only {column} (a --per-ticket table keeps them as {name}_business_{unit}): no business-hours figure"
                ));
            }
        }
    }
    if let Some(policies) = &policies {
        add_group_columns(&policy_columns(input, policies)?, &mut fields, &mut raw);
        if policies.by_priority() && params.has("priority") && !fields.contains(&"priority") {
            fields.push("priority");
        }
        warnings.extend(policy_warnings(&params, policies, req.events.is_some()));
    }
    let keep = req.keep;
    let mut rules = tickets::reject_rules(&params);
    // A dropped repeat's values are not read: only kept rows are rejected or warned
    // of for them (a stale row of a ticket `--where` leaves out fails no `--strict`).
    let value_flags: Vec<String> = (rules.iter())
        .filter(|r| tickets::is_value_rule(r))
        .map(|r| r.flag.clone())
        .collect();
    rules.push(metrics::ragged_rule());
    // Clean exports have no repeated ids: look for them in the main pass, and pay for
    // marking duplicates (a window over ticket_id) only when there are some.
    let parse = |i: usize, lf: LazyFrame| tickets::parse(lf, &per_file[i]);
    let mark = |lf: LazyFrame, kept: Option<&Arc<tickets::Kept>>| {
        let marked = tickets::mark_duplicates(lf, kept);
        match kept {
            Some(_) => tickets::kept_only(marked, &value_flags),
            None => marked,
        }
    };
    let unmarked = |lf: LazyFrame| mark(lf, None);
    let plain = Prepare {
        file: &parse,
        all: &unmarked,
    };
    // With `--where` as a flag: the passes keep its rows for the metrics and counts,
    // a whole scan's prepared rows are its rows alone.
    // Ids are resolved before `--where`: a dropped repeat of a ticket it keeps is
    // counted as one (and warned of) whether or not the filter would keep the row;
    // the other rows of a ticket it leaves out are left out.
    let flagged = where_after_repeats(input, req);
    let where_or_repeat = (col(crate::input::WHERE_KEPT).and(col(tickets::STALE_LEFT_OUT).not()))
        .or(col(tickets::DUPLICATE));
    let where_keep = flagged.then(|| where_or_repeat.clone());
    let only_kept = |lf: LazyFrame| match flagged {
        true => lf.filter(where_or_repeat.clone()),
        false => lf,
    };
    let unmarked_whole = |lf: LazyFrame| only_kept(unmarked(lf));
    let plain_whole = Prepare {
        file: &parse,
        all: &unmarked_whole,
    };
    let repeats = (keep != Keep::All).then(RepeatCheck::new);
    let mut metrics = params.metrics();
    if req.count_reopened {
        metrics.push(tickets::reopened_tickets());
    }
    if req.compare_bases {
        let now_ms = req.scope.now.timestamp_millis();
        metrics.extend(tickets::compare_bases(params.extras(), now_ms));
    }
    let rows = |lf: LazyFrame| tickets::window_rows(kept(lf), &params, &metrics);
    let ids =
        |lf: LazyFrame| lf.select([trimmed_id_hash(col("ticket_id")).drop_nulls().alias("id")]);
    let seen = |df: DataFrame| -> Result<()> {
        if let Some(repeats) = &repeats {
            repeats.add(df.column("id")?.u64()?);
        }
        Ok(())
    };
    let pass = |prepare, (counts, firsts)| engine::Pass {
        fields: &fields,
        raw: &raw,
        prepare,
        rows: &rows,
        metrics: &metrics,
        grouping: &params.grouping,
        counts,
        also: &[],
        numbered: None,
        classes: &classes,
        keep: where_keep.clone(),
        firsts,
        values_of: req.wants_first_responses().then_some(tickets::FRT_S),
    };
    let counts = count_exprs(&rules, &params, req.rows.used_since);
    // Where each rule first fires, noted in the pass: a file with a few bad rows is
    // not read again to find them.
    let firsts = rejects::first_hits(input, &rules);
    let hooks: [engine::Hook; 1] = [(&ids, &seen)];
    let first = engine::Pass {
        also: if repeats.is_some() { &hooks } else { &[] },
        ..pass(&plain, (&counts, Some(&firsts)))
    };
    let mut ran = engine::run_counted(input, &first)?;
    let (mut metrics_df, mut counts_df) = (ran.metrics.clone(), ran.counts.clone());
    let mut first_responses = std::mem::take(&mut ran.values);
    let offsets = ran.offsets();
    let mut first_hits = ran.firsts;
    let repeated = repeats
        .map(RepeatCheck::repeated)
        .transpose()?
        .unwrap_or_default();
    // Only ids whose hash repeats can repeat: the rows to keep are found among them
    // (a small state), block by block, each row numbered among all rows as the first
    // pass counted them; then each block's rows are marked against them.
    let kept_ids = if repeated.is_empty() {
        None
    } else {
        let hashes = Arc::new(repeated);
        let candidates = trimmed_id_hash(col("ticket_id")).map(
            move |c| {
                let found: BooleanChunked = c
                    .u64()?
                    .iter()
                    .map(|h| h.map(|h| hashes.binary_search(&h).is_ok()))
                    .collect();
                Ok(found.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
        );
        let frames = input.map_blocks_indexed(&fields, &raw, |i, k, block| {
            let first = offsets.get(k).copied().unwrap_or(u64::MAX);
            let rows = parse(i, engine::numbered(block, first));
            Ok(tickets::candidate_rows(rows, candidates.clone(), flagged).collect()?)
        })?;
        Some(Arc::new(tickets::Kept::from_blocks(&frames, keep)?))
    };
    // In the block pass the engine numbers the rows; a whole scan (locating rejects)
    // numbers its own, alike.
    let marked = |lf: LazyFrame| mark(lf, kept_ids.as_ref());
    let marked_whole = |lf: LazyFrame| {
        only_kept(mark(
            lf.with_row_index(engine::ORDER, None),
            kept_ids.as_ref(),
        ))
    };
    let dedupe = Prepare {
        file: &parse,
        all: &marked,
    };
    let dedupe_whole = Prepare {
        file: &parse,
        all: &marked_whole,
    };
    let prepare = if kept_ids.is_some() {
        rules.extend(tickets::duplicate_rule(keep));
        let mut counts = count_exprs(&rules, &params, req.rows.used_since);
        if flagged {
            let repeat_left_out = col(tickets::DUPLICATE).and(col(crate::input::WHERE_KEPT).not());
            counts.push(
                repeat_left_out
                    .cast(DataType::UInt64)
                    .sum()
                    .alias(crate::accounting::FILTERED_REPEATS),
            );
        }
        let firsts = rejects::first_hits(input, &rules);
        let marking = engine::Pass {
            numbered: Some(&offsets),
            ..pass(&dedupe, (&counts, Some(&firsts)))
        };
        let ran = engine::run_counted(input, &marking)?;
        (metrics_df, counts_df, first_hits) = (ran.metrics, ran.counts, ran.firsts);
        if let Some(kept) = &kept_ids {
            let stale = [kept.stale_kept_by_where];
            let stale = Column::new(crate::accounting::STALE_LEFT_OUT.into(), stale);
            counts_df.with_column(stale)?;
        }
        first_responses = ran.values;
        &dedupe_whole
    } else {
        &plain_whole
    };

    let categories = tickets::categories(&params.grouping.window, req.rows.used_since);
    let (rejected, rows_read) = account(
        input,
        &req.rows,
        (&counts_df, Some(&first_hits)),
        &categories,
        &rules,
        &fields,
        &raw,
        prepare,
    )?;
    let stale = super::stale_warning(
        crate::accounting::all_outside(&counts_df),
        input,
        &fields,
        &raw,
        // Repeated ids are marked against all rows: one scan.
        (prepare, kept_ids.is_none()),
        tickets::CREATED_MS,
        "tickets",
        &req.scope,
    )?;
    // A window holding no tickets has no row to be cut; one row a ticket, none.
    let cut = match stale.is_some() || req.per_ticket {
        true => None,
        false => super::cut_buckets_warning(&req.scope),
    };
    let stale_at = stale.is_some().then_some(warnings.len());
    warnings.extend(stale);
    warnings.extend(super::kept_none(input, &counts_df, &fields, &raw)?);
    warnings.extend(cut);
    if let Some(log) = events::open(req)? {
        // Each row with its file, whose precision the log's creating events follow.
        let tagged = |i: usize, lf: LazyFrame| {
            (prepare.file)(i, lf).with_column(lit(i as u32).alias(events::TICKET_FILE))
        };
        let with_file = Prepare {
            file: &tagged,
            all: prepare.all,
        };
        // Read by the block reader on every core, each block's rows parsed and
        // marked as the passes did (numbered as they numbered them): the times and
        // counts are held parsed, not as the files' texts too. A ragged row stays,
        // with no creation time: its events are those of a ticket the files reject,
        // not of one they lack.
        // A group's and a policy's `where` read them as texts.
        let policy_reads: Vec<GroupColumn> = match &policies {
            Some(policies) => policy_columns(input, policies)?,
            None => Vec::new(),
        };
        let read_as_text = |f: &str| {
            (groups.iter().chain(&policy_reads)).any(|g| g.name() == f)
                || raw.iter().any(|r| r == f)
        };
        let parsed_texts: Vec<&str> = (tickets::FIELDS.iter().copied())
            .filter(|f| !matches!(*f, "ticket_id" | "fcr" | "sla_met"))
            .chain([crate::input::EXTRA])
            .filter(|f| !read_as_text(f))
            .collect();
        let blocks = input.map_blocks_indexed(&fields, &raw, |i, k, block| {
            let block = match kept_ids {
                Some(_) => engine::numbered(block, offsets.get(k).copied().unwrap_or(u64::MAX)),
                None => block,
            };
            let rows = only_kept(mark((with_file.file)(i, block), kept_ids.as_ref()))
                .with_column(
                    when(col(crate::input::RAGGED))
                        .then(lit(NULL).cast(DataType::Int64))
                        .otherwise(col(tickets::CREATED_MS))
                        .alias(tickets::CREATED_MS),
                )
                .filter(col(tickets::DUPLICATE).not());
            let mut df = rows.collect()?;
            for text in &parsed_texts {
                if df.column(text).is_ok() {
                    df.drop_in_place(text)?;
                }
            }
            Ok(df)
        })?;
        let blocks: Vec<LazyFrame> = blocks.into_iter().map(DataFrame::lazy).collect();
        let rows = concat(
            blocks,
            UnionArgs {
                rechunk: true,
                ..Default::default()
            },
        )?;
        let mut done = events::compute_on(&log, Some((rows, &params)), req, &params.grouping)?;
        // A log's creating event places a ticket of a file of dates in the window
        // where the file's midnight did not: the window is not stale then.
        if let Some(at) = stale_at.filter(|_| holds_tickets(&done.metrics)) {
            warnings.remove(at);
        }
        let events_read = done.rows_read;
        let mut all_rejected = rejected;
        all_rejected.append(&mut done.rejected);
        warnings.append(&mut done.warnings);
        return Ok(Computed {
            metrics: done.metrics,
            rejected: all_rejected,
            rows_read,
            events_read: Some(events_read),
            warnings,
            summary: None,
            sla_verdict,
            first_responses: done.first_responses,
        });
    }
    if req.per_ticket {
        let parsed = input.scan_prepared(&fields, &raw, prepare)?;
        metrics_df = tickets::per_ticket(kept(parsed), &params).collect()?;
    }
    Ok(Computed {
        metrics: metrics_df,
        rejected,
        rows_read,
        events_read: None,
        warnings,
        summary: None,
        sla_verdict,
        first_responses,
    })
}

/// Does a metrics table count any ticket?
fn holds_tickets(metrics: &DataFrame) -> bool {
    let counted = metrics
        .column("tickets")
        .and_then(|c| c.cast(&DataType::Float64));
    counted.is_ok_and(|c| c.f64().is_ok_and(|c| c.sum().unwrap_or(0.0) > 0.0))
}

/// `--sla-policy`'s policies, judged at `--now`.
pub(crate) fn policies(req: &TicketsRequest) -> Option<Arc<Policies>> {
    (!req.sla_policies.is_empty()).then(|| {
        Arc::new(Policies {
            list: req.sla_policies.clone(),
            now_ms: req.scope.now.timestamp_millis(),
        })
    })
}

/// The policies with each `where` column named as the tickets spell it (a raw
/// column is matched in any case, as `--by` matches it), and each value or priority
/// key that marks a missing one (`N/A`) read as the blank it is in the cells, as
/// `--where` reads it;
/// [`policy_columns`] says which column there is none of.
fn spelled_as_read(input: &Input, policies: &Policies) -> Result<Arc<Policies>> {
    let missing = |v: &str| input.is_missing(v);
    let mut list = (policies.list.iter())
        .map(|p| p.with_markers_blank(&missing))
        .collect::<Result<Vec<_>>>()?;
    for p in list.iter_mut() {
        for (name, _) in p.only.iter_mut() {
            if !input.has_column(name) {
                continue;
            }
            if let Some(header) = input.pattern_named_column(name)? {
                return Err(crate::usage_err!(
                    "{}: sla_policies.{}.where reads '{header}', a column named like a pattern, which is read only through a field: map it to one the file does not use ([map.tickets] FIELD = {}) and name that field in where",
                    input.files[0].source.name,
                    crate::config::key_name(&p.name),
                    crate::config::key_name(&header)
                ));
            }
            *name = input.group_column(name)?.name().to_string();
        }
    }
    Ok(Arc::new(Policies {
        list,
        now_ms: policies.now_ms,
    }))
}

/// The fields and columns the policies' `where` reads.
fn policy_columns(input: &Input, policies: &Policies) -> Result<Vec<GroupColumn>> {
    policies
        .where_columns()
        .iter()
        .map(|name| {
            // Named as read already ([`spelled_as_read`]): not looked up again.
            if !input.has(name) && input.is_raw_read_as(name) {
                return Ok(GroupColumn::Raw(name.clone()));
            }
            if !input.has_column(name) {
                let policy = (policies.list.iter())
                    .find(|p| p.only.iter().any(|(field, _)| field == name))
                    .map_or("?", |p| p.name.as_str());
                let file = &input.files[0];
                // Only a field is mapped; a raw column is named as the file has it.
                let field = crate::input::fields::TICKET_FIELDS
                    .iter()
                    .any(|f| f.name == name.as_str());
                let way = match field {
                    true => format!("map it with --map {name}=COLUMN"),
                    false => "name a column the file has".to_string(),
                };
                return Err(crate::data_err!(
                    "{}: sla_policies.{}.where reads '{name}', which is no field or column of the tickets (headers found: {}); {way}",
                    file.source.name,
                    crate::config::key_name(policy),
                    crate::text::headers_shown(&file.sniffed.headers)
                ));
            }
            input.group_column(name)
        })
        .collect()
}

/// What makes the policies' figures partial: no priority to look targets up by, or
/// no times to judge (an event log gives them when the tickets do not).
fn policy_warnings(p: &TicketParams, policies: &Policies, event_log: bool) -> Vec<String> {
    let mut out = Vec::new();
    if policies.by_priority() && !p.has("priority") {
        out.push(
            "--sla-policy: the tickets have no priority field, so only `default` targets apply (map it with --map priority=COLUMN)".to_string(),
        );
    }
    for (m, source) in [
        (SlaMetric::FirstResponse, &p.first_response),
        (SlaMetric::Resolution, &p.resolution),
    ] {
        let judged = |pol: &&crate::metrics::sla::SlaPolicy| !pol.targets(m).is_empty();
        if !policies.list.iter().any(|pol| judged(&pol)) {
            continue;
        }
        let business = policies
            .list
            .iter()
            .filter(judged)
            .any(|pol| pol.clock.is_some());
        let why = match source {
            DurationSource::Absent if event_log => continue,
            DurationSource::Absent => "the tickets have no time for it".to_string(),
            // Beside a log, the tickets it gives no time for are counted there.
            DurationSource::Column(..) if event_log => continue,
            DurationSource::Column(f, _) if business => format!(
                "a business-hours policy needs timestamps, and the data gives only {f} (a vendor's duration may already be in its own hours): tickets under such a policy are not counted"
            ),
            _ => continue,
        };
        out.push(format!("--sla-policy: sla_{}_*: {why}", m.name()));
    }
    // Next replies come from an event log alone: without one, no column is shown.
    let next_reply =
        |pol: &crate::metrics::sla::SlaPolicy| !pol.targets(SlaMetric::NextReply).is_empty();
    if !event_log && policies.list.iter().any(next_reply) {
        out.push(format!(
            "--sla-policy: sla_{}_*: next replies come from an event log (give --events LOG); a ticket file has none, so they are not shown",
            SlaMetric::NextReply.name()
        ));
    }
    out
}

/// The rows the metrics use: well-formed, not a dropped duplicate.
fn kept(parsed: LazyFrame) -> LazyFrame {
    metrics::well_formed(parsed).filter(col(tickets::DUPLICATE).not())
}

/// The count of each rule's flag and of each `--verbose` category.
fn count_exprs(
    rules: &[metrics::RejectRule],
    params: &TicketParams,
    used_since: Option<chrono::DateTime<chrono::Utc>>,
) -> Vec<Expr> {
    let mut counts = metrics::reject_count_exprs(rules);
    counts.extend(tickets::categories(&params.grouping.window, used_since).exprs());
    counts
}

/// Whether any of the 64-bit hashes added (from any thread) repeats. They are kept in
/// buckets by their top bits and each bucket is sorted at the end: 8 bytes an id, and
/// no hash table over all of them.
pub(crate) struct RepeatCheck {
    buckets: Vec<Mutex<Vec<u64>>>,
}

impl RepeatCheck {
    const BITS: u32 = 8;

    pub(crate) fn new() -> RepeatCheck {
        RepeatCheck {
            buckets: (0..1 << Self::BITS).map(|_| Mutex::default()).collect(),
        }
    }

    pub(crate) fn add(&self, hashes: &UInt64Chunked) {
        let mut local = vec![Vec::new(); self.buckets.len()];
        for h in hashes.iter().flatten() {
            local[(h >> (64 - Self::BITS)) as usize].push(h);
        }
        for (bucket, part) in self.buckets.iter().zip(local) {
            bucket
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend(part);
        }
    }

    /// The hashes that repeat, sorted (buckets hold ranges of hashes, in order).
    pub(crate) fn repeated(self) -> Result<Vec<u64>> {
        let mut buckets: Vec<Vec<u64>> = self
            .buckets
            .into_iter()
            .map(|b| b.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let per_thread = buckets.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = buckets
                .chunks_mut(per_thread)
                .map(|chunk| {
                    s.spawn(move || {
                        let mut out = Vec::new();
                        for b in chunk.iter_mut() {
                            b.sort_unstable();
                            for w in b.windows(2) {
                                if w[0] == w[1] && out.last() != Some(&w[0]) {
                                    out.push(w[0]);
                                }
                            }
                        }
                        out
                    })
                })
                .collect();
            let mut all = Vec::new();
            for h in handles {
                all.extend(h.join().map_err(|_| {
                    crate::error::CxmError::Internal(
                        "a thread looking for repeated ids failed".into(),
                    )
                })?);
            }
            Ok(all)
        })
    }
}

/// A 64-bit FNV-1a hash of each id: looking for repeats among hashes is cheaper than
/// among strings, and a collision only costs the exact duplicate pass.
pub(crate) fn id_hash(ids: Expr) -> Expr {
    hashed(ids, |s| s)
}

/// [`id_hash`] of each id trimmed: a ticket's or a response's id (` T1` is `T1`, as
/// the joins to tickets read it).
pub(crate) fn trimmed_id_hash(ids: Expr) -> Expr {
    hashed(ids, str::trim)
}

fn hashed(ids: Expr, key: fn(&str) -> &str) -> Expr {
    ids.map(
        move |c| {
            let hashed: UInt64Chunked = c
                .str()?
                .iter()
                .map(|v| {
                    v.map(|s| {
                        key(s).bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                        })
                    })
                })
                .collect();
            Ok(hashed.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::UInt64)),
    )
}

/// The time and duration fields the files fill: in the sample, or for a time blank
/// there beside a filled duration of its measure, anywhere in a file (read on, only
/// then). A time gives way to the duration only where it is blank throughout: an
/// export sorted by status opens with thousands of unresolved tickets. Told for the
/// run (the files share their reject rules).
pub(crate) fn filled_fields(input: &Input) -> Vec<&'static str> {
    let mut filled: Vec<&'static str> = (["first_response_at", "resolved_at", "closed_at"].iter())
        .chain(tickets::FIRST_RESPONSE_DURATIONS.iter().map(|(f, _)| f))
        .chain(tickets::RESOLUTION_DURATIONS.iter().map(|(f, _)| f))
        .copied()
        .filter(|f| input.has(f) && input.sampled_filled(f))
        .collect();
    let durations = [
        ("first_response_at", &tickets::FIRST_RESPONSE_DURATIONS[..]),
        ("resolved_at", &tickets::RESOLUTION_DURATIONS[..]),
        ("closed_at", &tickets::RESOLUTION_DURATIONS[..]),
    ];
    for (time, durations) in durations {
        let duration_filled = durations.iter().any(|(d, _)| filled.contains(d));
        let past = || (0..input.files.len()).any(|i| input.filled_past_sample(i, time));
        if duration_filled && input.has(time) && !filled.contains(&time) && past() {
            filled.push(time);
        }
    }
    filled
}
