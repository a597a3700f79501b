//! The windows of `--compare previous`.

use super::*;

/// `--compare previous`: the metrics of the window with those of the window of equal
/// length before it, or (with `--every`) of each bucket with the bucket before it.
/// `period`: the named period the window came from; a calendar one (`2026-Q1`,
/// `last-month`) is compared with the calendar period before it (Q4, not the 90 days
/// before), a rolling one (`last-7d`) or a `--since/--until` window with the window
/// of equal length just before.
pub(super) fn compared(
    parsed: LazyFrame,
    p: &SurveyParams,
    window: &Window,
    period: Option<&str>,
) -> Result<LazyFrame> {
    let g = &p.grouping;
    match g.every {
        Some(every) => {
            // Each bucket beside the one before it as shown; the first beside the
            // whole bucket before the window. The buckets shown hold the window's
            // rows only, as without --compare (a window starting mid-bucket leaves the
            // first one partial).
            let current = surveys::aggregate(parsed.clone(), p)?;
            let first = window
                .since
                .map(|s| bucket_floor(s.with_timezone(&p.tz).date_naive(), every));
            let all = match first {
                Some(d) => {
                    let before = Window {
                        since: Some(local_midnight(p.tz, previous_bucket(d, every))),
                        until: Some(local_midnight(p.tz, d)),
                    };
                    let extra = surveys::aggregate(parsed, &with_window(p, before))?;
                    concat([current.clone(), extra], UnionArgs::default())?
                }
                None => current.clone(),
            };
            let last = window.until.map(|u| {
                let end = u - chrono::Duration::milliseconds(1);
                bucket_floor(end.with_timezone(&p.tz).date_naive(), every)
            });
            Ok(surveys::with_previous(
                current,
                all,
                &g.group_by,
                Some((every, last)),
            ))
        }
        None => {
            // `surveys` also compares each bucket with the one before.
            let before = crate::calendar::previous_window(window, period, p.tz)
                .map_err(|e| crate::usage_err!("{e} (or --every)"))?;
            let current = surveys::aggregate(parsed.clone(), p)?;
            let previous = surveys::aggregate(parsed, &with_window(p, before))?;
            Ok(surveys::with_previous(current, previous, &g.group_by, None))
        }
    }
}

/// The span [`compared`] reads rows from: the window and the one before it (with
/// buckets, from the bucket before the first; a window starting mid-bucket leaves
/// that bucket's earlier rows counted as read though unused). None: no bound.
pub(super) fn compared_span(
    window: &Window,
    p: &SurveyParams,
    period: Option<&str>,
) -> Option<Window> {
    let since = match p.grouping.every {
        Some(every) => {
            let first = bucket_floor(window.since?.with_timezone(&p.tz).date_naive(), every);
            local_midnight(p.tz, previous_bucket(first, every))
        }
        None => {
            crate::calendar::previous_window(window, period, p.tz)
                .ok()?
                .since?
        }
    };
    Some(Window {
        since: Some(since),
        until: window.until,
    })
}

fn with_window(p: &SurveyParams, window: Window) -> SurveyParams {
    let mut q = p.clone();
    q.grouping.window = window;
    q
}
