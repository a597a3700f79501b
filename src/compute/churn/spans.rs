//! Subscriptions as spans: read from the rows, checked (stale windows, ends after
//! `--now`, exact repeats), bucketed, and per customer.

use super::*;

/// Most buckets one report may have (guards against a stray year-1 date with `--every day`).
pub(super) const MAX_BUCKETS: usize = 100_000;

/// How many spans repeat an earlier one exactly.
pub(super) fn exact_repeats(spans: &[Span]) -> usize {
    let mut seen = hashbrown::HashSet::with_capacity(spans.len());
    spans
        .iter()
        .filter(|s| !seen.insert((s.customer, s.key, s.start, s.end, s.mrr.to_bits())))
        .count()
}

/// SPEC §14 "stale data" for spans: a window that none of them is active in, while
/// the files have some, is a warning naming the spans' dates (a cron job must notice
/// a stale export). So is a window starting after the files' latest date: the
/// subscriptions still open are then taken as active through it, and a month of an
/// export a year old reads as a month without churn.
pub(super) fn stale_spans(
    spans: &[Span],
    extent: &Extent,
    scope: &crate::request::Scope,
    what: &str,
    files: &str,
    activity: bool,
) -> Option<String> {
    let window = &scope.window;
    if window.since.is_none() && window.until.is_none() {
        return None;
    }
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&scope.tz).format("%Y-%m-%d").to_string())
    };
    let from = window.since.map_or(i64::MIN, |s| s.timestamp_millis());
    let to = window.until.map_or(i64::MAX, |u| u.timestamp_millis());
    if spans
        .iter()
        .any(|s| s.start < to && s.end.is_none_or(|e| e > from))
    {
        let latest = extent.latest;
        // A window open at its end ends at the latest date: here, before it starts.
        let open_end = match window.until {
            Some(_) => "those still open are taken as active through it",
            None => "the window, open at its end, ends there too (give --until to count those still open through the buckets after it)",
        };
        return (!activity && latest < from).then(|| {
            Some(format!(
                "the {what}' latest date is {} ({files}), before the window ({}) starts: {open_end}; a stale export?",
                at(latest)?,
                scope.describe_window()
            ))
        })?;
    }
    let first = spans.iter().map(|s| s.start).min()?;
    let last = spans
        .iter()
        .map(|s| s.end.unwrap_or(s.start).max(s.start))
        .max()?;
    // Spans on both sides of the window, or only after it: no stale export.
    // (An end is exclusive: one on the window's start is before it.)
    let stale = last <= from;
    Some(format!(
        "the window ({}) holds none of the {what}: they run from {} to {} ({files}){}",
        scope.describe_window(),
        at(first)?,
        at(last)?,
        if stale { "; a stale export?" } else { "" }
    ))
}

/// Churn in buckets reaching past `--now` that comes of ends after it (cancellations
/// scheduled, not yet happened; for activity, windows closing after it, which events
/// not yet in the data may keep open): counted as the data gives it, said. A customer
/// churns in bucket [d0, d1) when active at d0 and not at d1; here, by an end past
/// `--now`.
pub(super) fn scheduled_ends(
    spans: &[Span],
    bounds: &[i64],
    scope: &crate::request::Scope,
    (counted_as, last_age, activity): (&str, Option<i64>, bool),
) -> Option<String> {
    let cohorts = last_age.is_some();
    let now = scope.now.timestamp_millis();
    let mut churned = 0;
    // Cohorts: a customer of a cohort shown, by its first start, as they are counted.
    let (first, end) = (bounds.first().copied(), bounds.last().copied());
    let shown = |customer: &[Span]| {
        let start = customer.iter().map(|s| s.start).min();
        !cohorts
            || start
                .zip(first.zip(end))
                .is_some_and(|(s, (a, b))| a <= s && s < b)
    };
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        if !shown(customer) {
            continue;
        }
        let active = |t: i64| customer.iter().any(|s| s.active_at(t));
        // Each end past --now, with the first bound at or after it (found by halving:
        // daily buckets over decades are many): the bucket it falls in ends there.
        let ends = customer.iter().filter_map(|s| s.end).filter(|&e| e > now);
        let at_or_after = |e: i64| bounds.partition_point(|&t| t < e);
        let gone = if cohorts {
            // Gone at the first age measured after an end past --now, if shown.
            let shown_age = |t: i64| last_age.is_some_and(|last| t <= last);
            ends.into_iter().any(|e| {
                let k = at_or_after(e);
                bounds.get(k).is_some_and(|&t| shown_age(t) && !active(t))
            })
        } else {
            // Leaves so in some bucket ending after --now (once however often): active
            // at its start, not at its end, with such an end inside it.
            ends.into_iter().any(|e| {
                let k = at_or_after(e);
                k > 0 && k < bounds.len() && active(bounds[k - 1]) && !active(bounds[k])
            })
        };
        churned += usize::from(gone);
    }
    (churned > 0).then(|| {
        let now = scope.now.with_timezone(&scope.tz).format("%Y-%m-%d %H:%M %Z");
        let who = match (churned, activity) {
            (1, false) => "1 customer leaves by a subscription end".to_string(),
            (n, false) => format!("{n} customers leave by subscription ends"),
            (1, true) => "1 customer's activity window closes".to_string(),
            (n, true) => format!("{n} customers' activity windows close"),
        };
        match activity {
            false => format!(
                "{who} after --now ({now}) in the buckets shown: counted as {counted_as} already, as the data schedules it"
            ),
            true => format!(
                "{who} after --now ({now}) in the buckets shown: counted as {counted_as} already, though events after --now, not in the data, may yet keep them active"
            ),
        }
    })
}

/// The data's first start and latest date (UTC ms): the last start or end; for
/// activity, the last event. No first and a latest of 0 without spans.
pub(super) struct Extent {
    pub(super) first: Option<i64>,
    pub(super) latest: i64,
}

impl Extent {
    pub(super) fn of(spans: &[Span], activity: bool) -> Extent {
        let latest = spans
            .iter()
            .map(|s| match (activity, s.end) {
                (false, Some(e)) => e.max(s.start),
                _ => s.start,
            })
            .max()
            .unwrap_or(0);
        Extent {
            first: spans.iter().map(|s| s.start).min(),
            latest,
        }
    }
}

/// Marks the rows of [`per_customer`] whose subscriptions overlap the window; the
/// others are customers whose subscription starts at its end.
pub const IN_WINDOW: &str = "__subscribed_in_window";

/// `customer_id, mrr, churned` for the customers with a subscription in [from, end)
/// or active at `end` (one that starts at `end` is a customer then, as `churn`'s
/// `customers_end` counts it): MRR at `end`; churned, for those active then, whether
/// they are not at `later` (None: not yet known).
/// With group columns, one row per customer and group: the customer's subscriptions
/// in that group alone. Without MRR in the data (`with_mrr`), its column is empty.
pub(super) fn per_customer(
    spans: &[Span],
    names: &[String],
    (keys, group_by): (&Keys, &[String]),
    (from, end): (i64, i64),
    later: Option<i64>,
    with_mrr: bool,
) -> Result<DataFrame> {
    let (mut ids, mut mrr, mut churned) = (Vec::new(), Vec::new(), Vec::new());
    let mut in_window = Vec::new();
    let mut groups: Vec<u32> = Vec::new();
    let mut key_order: Vec<u32> = Vec::new();
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        key_order.clear();
        for s in customer {
            if !key_order.contains(&s.key) {
                key_order.push(s.key);
            }
        }
        for &key in &key_order {
            let own = || customer.iter().filter(move |s| s.key == key);
            // A subscription ending the day it starts was never active: it overlaps
            // no window, however wide.
            let overlaps =
                own().any(|s| s.start < end && s.end.is_none_or(|e| e > from.max(s.start)));
            let at_end: Vec<&Span> = own().filter(|s| s.active_at(end)).collect();
            if !overlaps && at_end.is_empty() {
                continue;
            }
            in_window.push(overlaps);
            ids.push(names[customer[0].customer as usize].as_str());
            groups.push(key);
            mrr.push(with_mrr.then(|| at_end.iter().map(|s| s.mrr).sum::<f64>()));
            // Churn is the customer's, as `churn --by` counts it: moving to another
            // plan (group) is not leaving.
            churned.push(match later {
                Some(t) if !at_end.is_empty() => Some(!customer.iter().any(|s| s.active_at(t))),
                _ => None,
            });
        }
    }
    let mut columns = vec![Column::new("customer_id".into(), ids)];
    for (j, name) in group_by.iter().enumerate() {
        let values: Vec<Option<&str>> = groups
            .iter()
            .map(|&k| keys.values[k as usize][j].as_deref())
            .collect();
        columns.push(Column::new(name.as_str().into(), values));
    }
    columns.push(Column::new("mrr".into(), mrr));
    columns.push(Column::new("churned".into(), churned));
    columns.push(Column::new(IN_WINDOW.into(), in_window));
    Ok(DataFrame::new_infer_height(columns)?)
}

/// Typed spans sorted by customer, the interned group keys (index 0 always exists),
/// (when asked) the customers' ids by number, and how many end dates were read as no
/// end: from 2100 on, as billing systems write "never" (`9999-12-31`); taken as a
/// date, it would churn the customer in 9999 and stretch the buckets to it
/// (`open_ends`: subscriptions' end dates, not an activity's windows).
pub(super) fn spans_from(
    df: &DataFrame,
    group_by: &[String],
    want_names: bool,
    open_ends: bool,
    tz: chrono_tz::Tz,
) -> Result<(Vec<Span>, Keys, Vec<String>, usize)> {
    let customer = df.column("customer_id")?.str()?.rechunk();
    let start = df.column(START_MS)?.i64()?.rechunk();
    let end = df.column(END_MS)?.i64()?.rechunk();
    let mrr = df.column(MRR)?.cast(&DataType::Float64)?;
    let mrr = mrr.f64()?.rechunk();
    let group_cols = group_by
        .iter()
        .map(|g| Ok(df.column(g.as_str())?.str()?.rechunk().into_owned()))
        .collect::<Result<Vec<_>>>()?;
    let mut keys = Keys::default();
    if group_by.is_empty() {
        keys.intern(Vec::new());
    }
    let mut ids: hashbrown::HashMap<&str, u32> = hashbrown::HashMap::new();
    // Group values as borrowed from the frame → their key index.
    let mut seen: hashbrown::HashMap<Vec<Option<&str>>, u32> = hashbrown::HashMap::new();
    let mut groups: Vec<_> = group_cols.iter().map(|g| g.iter()).collect();
    let mut key_values: Vec<Option<&str>> = Vec::with_capacity(group_by.len());
    let mut spans = Vec::with_capacity(df.height());
    let mut open_ended = 0;
    let open_end_from = local_midnight(tz, OPEN_END_FROM).timestamp_millis();
    let rows = customer
        .iter()
        .zip(start.iter())
        .zip(end.iter())
        .zip(mrr.iter());
    for (((c, s), e), m) in rows {
        key_values.clear();
        key_values.extend(groups.iter_mut().map(|g| g.next().flatten()));
        let (Some(c), Some(s)) = (c, s) else {
            continue;
        };
        let next = ids.len() as u32;
        let id = *ids.entry(c).or_insert(next);
        let key = match seen.get(key_values.as_slice()) {
            Some(&k) => k,
            None if group_by.is_empty() => 0,
            None => {
                let k = keys.intern(key_values.iter().map(|v| v.map(str::to_string)).collect());
                seen.insert(key_values.clone(), k);
                k
            }
        };
        let never = open_ends && e.is_some_and(|e| e >= open_end_from);
        open_ended += usize::from(never);
        spans.push(Span {
            customer: id,
            start: s,
            end: e.filter(|_| !never),
            mrr: m.unwrap_or(0.0),
            key,
        });
    }
    // Spans starting together are ordered by their group as the output sorts groups
    // (blanks last): the latest-started span at a bound is then the one whose group
    // sorts last, and the first span the one whose group sorts first, not file order
    // (and as the warehouse SQL orders them).
    let mut rank = vec![0u32; keys.values.len()];
    for (position, k) in churn::sorted_keys(&keys, 0..keys.values.len())
        .into_iter()
        .enumerate()
    {
        rank[k] = position as u32;
    }
    spans.sort_by_key(|s| (s.customer, s.start, rank[s.key as usize]));
    let mut names = Vec::new();
    if want_names {
        names = vec![String::new(); ids.len()];
        for (name, id) in ids {
            names[id as usize] = name.to_string();
        }
    }
    Ok((spans, keys, names, open_ended))
}

/// An end from this day on is read as no end: its local midnight in `tz`, as a date
/// is read (in Tokyo, 2100-01-01 is 15:00 UTC the day before).
pub(super) const OPEN_END_FROM: chrono::NaiveDate =
    match chrono::NaiveDate::from_ymd_opt(2100, 1, 1) {
        Some(d) => d,
        None => chrono::NaiveDate::MAX,
    };

/// The buckets to report: those overlapping the window, or without one, from the bucket
/// of the earliest start to the bucket of the latest date in the data (start or end;
/// for activity, the latest event).
pub(super) fn bucket_starts(
    extent: &Extent,
    window: &Window,
    every: Every,
    tz: chrono_tz::Tz,
) -> Result<Vec<NaiveDate>> {
    let local = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz).date_naive())
    };
    let first = match window.since {
        Some(s) => Some(s.with_timezone(&tz).date_naive()),
        None => extent.first.and_then(local),
    };
    let last = match window.until {
        Some(u) => local(u.timestamp_millis() - 1),
        None if extent.first.is_none() => None,
        None => local(extent.latest),
    };
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Vec::new());
    };
    let mut starts = crate::calendar::bucket_starts_between(first, last, every, MAX_BUCKETS)
        .ok_or_else(|| {
            data_err!(
                "the data spans more than {MAX_BUCKETS} buckets ({first} to {last}); give --since/--until or a coarser --every"
            )
        })?;
    // A day the zone never had (Samoa's 30 December 2011, skipped crossing the date
    // line) has no instant: no bucket, as `tickets` shows none.
    if every == Every::Day {
        let midnight = |d: NaiveDate| crate::calendar::local_midnight(tz, d);
        starts.retain(|&d| d.succ_opt().is_none_or(|next| midnight(d) < midnight(next)));
    }
    Ok(starts)
}

/// A window starting or ending inside a bucket it shows (`--since 2025-01-15`,
/// monthly): said, since churn counts that bucket whole (its customers at its start
/// and at its end), beyond the window.
pub(super) fn cut_buckets_warning(
    scope: &crate::request::Scope,
    every: Every,
    shown: &[NaiveDate],
) -> Option<String> {
    let shown: Vec<String> = (shown.iter())
        .map(|d| crate::calendar::bucket_label(*d, every))
        .collect();
    let mut cut = crate::calendar::cut_buckets(&scope.window, every, scope.tz);
    cut.retain(|label| shown.contains(label));
    if cut.is_empty() {
        return None;
    }
    let unit = every.name();
    Some(format!(
        "the window ({}) starts or ends inside {}, which churn counts whole, from the {unit}'s start to its end: beyond the window",
        scope.describe_window(),
        cut.join(" and ")
    ))
}
