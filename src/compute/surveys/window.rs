//! The windows of `--compare previous`.

use super::*;

/// `--compare previous`: the window, and the window it is compared with: the window
/// of equal length before it, or (with `--every`) the whole bucket before its first
/// (none without a start). `period`: the named period the window came from; a
/// calendar one (`2026-Q1`, `last-month`) is compared with the calendar period before
/// it (Q4, not the 90 days before), a rolling one (`last-7d`) or a `--since/--until`
/// window with the window of equal length just before.
pub(super) fn compared_windows(
    window: &Window,
    p: &SurveyParams,
    period: Option<&str>,
) -> Result<(Window, Option<Window>)> {
    let before = match p.grouping.every {
        // Each bucket is compared with the one before it as shown; the first with the
        // whole bucket before the window. The buckets shown hold the window's rows
        // only, as without --compare (a window starting mid-bucket leaves the first
        // one partial).
        Some(every) => window.since.map(|s| {
            let first = bucket_floor(s.with_timezone(&p.tz).date_naive(), every);
            Window {
                since: Some(local_midnight(p.tz, previous_bucket(first, every))),
                until: Some(local_midnight(p.tz, first)),
            }
        }),
        None => Some(
            crate::calendar::previous_window(window, period, p.tz)
                .map_err(|e| crate::usage_err!("{e} (or --every)"))?,
        ),
    };
    Ok((window.clone(), before))
}

/// The table of `--compare previous` from one pass's metrics over
/// [`surveys::compared_rows`] (keyed by [`surveys::COMPARED`] first): each group of
/// the window beside its figures of the window before (with `--every`, each bucket
/// beside the one before it).
pub(super) fn compared(ran: DataFrame, p: &SurveyParams, window: &Window) -> Result<LazyFrame> {
    let g = &p.grouping;
    let part = |tag: &str| -> Result<LazyFrame> {
        let rows = ran
            .clone()
            .lazy()
            .filter(col(surveys::COMPARED).eq(lit(tag)))
            .drop(cols([surveys::COMPARED]))
            .collect()?;
        // Without keys a window is one row, with or without responses.
        let whole = g.group_by.is_empty() && g.every.is_none();
        Ok(match whole && rows.height() == 0 {
            true => metrics::record::over_nothing(&surveys::compared_metrics(p))?.lazy(),
            false => rows.lazy(),
        })
    };
    let (current, before) = (part(surveys::NOW)?, part(surveys::BEFORE)?);
    Ok(match g.every {
        Some(every) => {
            let all = concat([current.clone(), before], UnionArgs::default())?;
            let last = window.until.map(|u| {
                let end = u - chrono::Duration::milliseconds(1);
                bucket_floor(end.with_timezone(&p.tz).date_naive(), every)
            });
            surveys::with_previous(current, all, &g.group_by, Some((every, last)))
        }
        None => surveys::with_previous(current, before, &g.group_by, None),
    })
}

/// The span [`compared_windows`] reads rows from: the window and the one before it (with
/// buckets, from the bucket before the first; a window starting mid-bucket leaves
/// that bucket's earlier rows counted as read though unused). None: no bound.
pub(super) fn compared_span(
    window: &Window,
    p: &SurveyParams,
    period: Option<&str>,
) -> Option<Window> {
    let (_, before) = compared_windows(window, p, period).ok()?;
    Some(Window {
        since: before?.since,
        until: window.until,
    })
}
