//! The figures of each view of the spans: the buckets' churn, cohorts, survival, and
//! one row per customer.

use super::*;

/// The spans laid out for the views: bucket bounds and starts, the groups' keys.
pub(super) struct Laid<'a> {
    pub spans: &'a [Span],
    pub bounds: &'a [i64],
    pub starts: &'a [NaiveDate],
    pub keys: &'a Keys,
    pub names: &'a [String],
    pub group_by: &'a [String],
    /// The data's latest date (ms).
    pub latest: i64,
    pub with_mrr: bool,
    pub is_activity: bool,
}

/// The view's table (and survival's summary) into `computed`, with its warnings.
pub(super) fn figures(req: &ChurnRequest, laid: &Laid, computed: &mut Computed) -> Result<()> {
    match req.view {
        ChurnView::Buckets { movements } => {
            if movements && !laid.with_mrr {
                // Activity has no MRR to ask for (a usage error); a subscription file
                // without the column is input missing a required column (exit 3).
                return Err(match laid.is_activity {
                    true => usage_err!("--movements needs MRR, which activity churn (--inactive-after) has none of: give subscriptions with an mrr column"),
                    false => data_err!("--movements needs MRR, and no column of the subscriptions holds it: map an mrr column (--map mrr=COLUMN), or an amount and its billing interval"),
                });
            }
            let counts = churn::by_bucket(laid.spans, laid.bounds, laid.keys.values.len());
            let columns = churn::Columns {
                mrr: laid.with_mrr,
                movements,
            };
            let seen = churn::groups_seen(laid.spans, laid.bounds, laid.keys.values.len());
            computed.metrics = churn::frame(
                &counts,
                &seen,
                laid.keys,
                laid.group_by,
                laid.starts,
                columns,
            )?;
        }
        ChurnView::Cohorts => {
            let last = req
                .scope
                .window
                .until
                .map_or(laid.latest, |u| u.timestamp_millis());
            let rows = retention::cohort_rows(laid.bounds, laid.keys.values.len(), last);
            if rows > MAX_COHORT_ROWS {
                let groups = match laid.keys.values.len() {
                    1 => String::new(),
                    n => format!(", in {n} groups"),
                };
                return Err(data_err!(
                    "the cohort table would hold {rows} rows ({} buckets, each cohort with its ages{groups}): more than {MAX_COHORT_ROWS}; give --since/--until or a coarser --every (a far end date such as 2099-12-31 stretches the range)",
                    laid.starts.len(),
                ));
            }
            let cohorts = retention::cohorts(laid.spans, laid.bounds, laid.keys.values.len(), last);
            // The groups the churn table of the range shows.
            let seen = churn::groups_seen(laid.spans, laid.bounds, laid.keys.values.len());
            let shown = (seen.iter().enumerate())
                .map(|(k, &s)| {
                    laid.group_by.is_empty() || s || cohorts[k].iter().any(|c| c.customers > 0)
                })
                .collect::<Vec<bool>>();
            computed.metrics = retention::cohort_frame(
                &cohorts,
                &shown,
                laid.keys,
                laid.group_by,
                laid.starts,
                laid.with_mrr,
            )?;
        }
        ChurnView::Survival { grace_secs, now } => {
            // By default the data's latest date (SPEC §10): one after the present (a
            // subscription's planned end) would count time not yet lived.
            let present = req.scope.now.timestamp_millis();
            if now.is_none() && laid.latest > present {
                let shown = |ms: i64| {
                    chrono::DateTime::from_timestamp_millis(ms).map_or(String::new(), |t| {
                        t.with_timezone(&req.scope.tz)
                            .format("%Y-%m-%d %H:%M %Z")
                            .to_string()
                    })
                };
                computed.warnings.push(format!(
                    "the survival is censored at the data's latest date, {}, after the present ({}): customers still active count as lasting until then; give --now to censor them earlier",
                    shown(laid.latest),
                    shown(present)
                ));
            }
            let now = now.map_or(laid.latest, |n| n.timestamp_millis());
            let grace = crate::calendar::ms_of_secs(grace_secs);
            let from = req
                .scope
                .window
                .since
                .map_or(i64::MIN, |s| s.timestamp_millis());
            let to = req
                .scope
                .window
                .until
                .map_or(i64::MAX, |u| u.timestamp_millis());
            let (lifetimes, after_now) =
                retention::lifetimes_by_key(laid.spans, grace, now, from, to, req.scope.tz);
            if after_now > 0 {
                computed.warnings.push(format!(
                    "{after_now} {} after the censoring moment (--now) and {} left out of the survival",
                    if after_now == 1 { "customer starts" } else { "customers start" },
                    if after_now == 1 { "is" } else { "are" }
                ));
            }
            let (rows, summary) = retention::survival_frames(lifetimes, laid.keys, laid.group_by)?;
            computed.metrics = rows;
            computed.summary = Some(summary);
        }
        ChurnView::PerCustomer { horizon_secs } => {
            let end = req
                .scope
                .window
                .until
                .unwrap_or(req.scope.now)
                .timestamp_millis();
            let horizon = crate::calendar::ms_of_secs(horizon_secs);
            let later = crate::calendar::later_on_the_clock(end, horizon, req.scope.tz);
            let known = later <= req.scope.now.timestamp_millis();
            if !known {
                computed.warnings.push(format!(
                    "the churn horizon ends after --now ({}): `churned` is left empty",
                    req.scope.now.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            let from = req
                .scope
                .window
                .since
                .map_or(i64::MIN, |s| s.timestamp_millis());
            computed.metrics = per_customer(
                laid.spans,
                laid.names,
                (laid.keys, laid.group_by),
                (from, end),
                known.then_some(later),
                laid.with_mrr,
            )?;
        }
    }
    Ok(())
}
