//! Line charts as inline SVG, for the HTML output: one line per group over the
//! buckets, the y axis from the data's range (from 0 when all values are positive and
//! near it), labels as SVG text that the reader's browser or mail client lays out.
//!
//! Written here rather than with a charting crate: the crates that draw SVG measure
//! text with a font library (and bring it in) to place labels, while a chart for a
//! mail body needs none of that: a few polylines and text elements in a fixed box.

use std::fmt::Write;

/// Colours of the series, in order (cycled).
const PALETTE: &[&str] = &[
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 160.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 36.0;

/// One line: its name and a value per bucket (None: no data there).
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// How big the group is, the same in every chart of a table (its tickets or
    /// responses): with more groups than fit, the biggest are drawn, so each chart
    /// draws the same ones in the same colours. None: by the sum of `values`.
    pub weight: Option<f64>,
    /// Each place's own bucket, for its points' tooltips, where it is not the x
    /// axis's (the previous window's days beside the current ones).
    pub labels: Option<Vec<String>>,
    /// Its colour's place in the palette, the same for a group in every chart of a
    /// page. None: by its place among the chart's series.
    pub colour: Option<usize>,
}

/// Lines a chart draws at most (each its own colour, the legend within the box);
/// with more groups, the largest and a note that the table has the rest.
const MOST_SERIES: usize = 8;
/// Room for a legend name, in ems of its 11-pixel font: from its place past the
/// swatch to the chart's right edge, less a margin. A longer name is cut with `…`
/// (the whole name is the tooltip).
const LEGEND_EMS: f64 = (RIGHT - 26.0 - 4.0) / 11.0;

/// The series a chart draws: all when they fit, else the [`MOST_SERIES`] − 1 with the
/// largest weights (else sums; in their order), and how many are left out.
fn drawn<'a>(series: &[&'a Series]) -> (Vec<&'a Series>, usize) {
    if series.len() <= MOST_SERIES {
        return (series.to_vec(), 0);
    }
    let keep = MOST_SERIES - 1;
    let sum = |s: &Series| -> f64 {
        s.weight
            .unwrap_or_else(|| s.values.iter().flatten().filter(|v| v.is_finite()).sum())
    };
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by(|&a, &b| sum(series[b]).total_cmp(&sum(series[a])));
    let mut kept: Vec<usize> = order[..keep].to_vec();
    kept.sort_unstable();
    (
        kept.iter().map(|&i| series[i]).collect(),
        series.len() - keep,
    )
}

/// A legend name cut to `room` ems ([`LEGEND_EMS`] in a chart) by the widths its characters take in a
/// sans-serif font (at most: a wide `W` or `m`, an ideograph or an emoji), so that
/// the cut name ends inside the chart whatever its script. Measured as it is shown:
/// a control character as its escape (a tab as `\t`).
fn legend_name(name: &str, room: f64) -> String {
    // Each character as shown: an escape is cut whole or not at all.
    let shown: Vec<String> = name.chars().map(shown_char).collect();
    let width = |s: &String| s.chars().map(ems).sum::<f64>();
    if shown.iter().map(width).sum::<f64>() <= room {
        return shown.concat();
    }
    let room = room - ems('…');
    let (mut used, mut cut) = (0.0, String::new());
    for c in &shown {
        used += width(c);
        if used > room {
            break;
        }
        cut.push_str(c);
    }
    format!("{}…", cut.trim_end())
}

/// The legend names of the drawn series: each cut at its end ([`legend_name`]), or,
/// when two would then read alike ("Enterprise Cus…" for EMEA and APAC), each cut in
/// its middle, keeping the ends that tell them apart.
fn legend_names(names: &[&str], room: f64) -> Vec<String> {
    // The names of `cut` that another name's cut reads alike, per name.
    let alike = |cut: &[String], i: usize| -> Vec<usize> {
        (0..cut.len())
            .filter(|&j| j != i && cut[j] == cut[i] && names[j] != names[i])
            .collect()
    };
    let plain: Vec<String> = names.iter().map(|n| legend_name(n, room)).collect();
    let middle: Vec<String> = names.iter().map(|n| legend_name_middle(n, room)).collect();
    (0..names.len())
        .map(|i| {
            if alike(&plain, i).is_empty() {
                return plain[i].clone();
            }
            let twins = alike(&middle, i);
            if twins.is_empty() {
                return middle[i].clone();
            }
            // Alike at both ends ("Support Europe North … Tier 1", "… South … Tier
            // 1"): the words it shares with those at the start left out, the rest cut
            // at its end.
            let group: Vec<&str> = std::iter::once(i).chain(twins).map(|j| names[j]).collect();
            match names[i].get(shared_words(&group)..) {
                Some(rest) if rest.len() < names[i].len() && !rest.is_empty() => {
                    legend_name(&format!("…{rest}"), room)
                }
                _ => middle[i].clone(),
            }
        })
        .collect()
}

/// Bytes of the words every name starts with (up to a space after them).
fn shared_words(names: &[&str]) -> usize {
    let Some(first) = names.first() else {
        return 0;
    };
    let mut common = first.len();
    for n in &names[1..] {
        common = (first.bytes().zip(n.bytes()))
            .take(common)
            .take_while(|(a, b)| a == b)
            .count();
    }
    first[..common].rfind(' ').map_or(0, |space| space + 1)
}

/// [`legend_name`] with the `…` in the middle: the name's end in up to half the room,
/// its start in the rest.
fn legend_name_middle(name: &str, room: f64) -> String {
    let shown: Vec<String> = name.chars().map(shown_char).collect();
    let width = |s: &String| s.chars().map(ems).sum::<f64>();
    if shown.iter().map(width).sum::<f64>() <= room {
        return shown.concat();
    }
    let room = room - ems('…');
    let (mut tail, mut used) = (0, 0.0);
    for c in shown.iter().rev() {
        if used + width(c) > room / 2.0 {
            break;
        }
        used += width(c);
        tail += 1;
    }
    let mut head = 0;
    for c in &shown[..shown.len() - tail] {
        if used + width(c) > room {
            break;
        }
        used += width(c);
        head += 1;
    }
    format!(
        "{}…{}",
        shown[..head].concat().trim_end(),
        shown[shown.len() - tail..].concat().trim_start()
    )
}

/// A character as the chart shows it: a control character (or a direction mark, a
/// line separator) as its escape, as the tables show it (a tab as `\t`).
fn shown_char(c: char) -> String {
    match crate::text::unprintable(c) {
        true => c.escape_default().to_string(),
        false => c.to_string(),
    }
}

/// About the widest a character is drawn in the sans-serif fonts a browser picks
/// (Arial, Helvetica, Liberation Sans, DejaVu Sans), in ems: Latin letters and
/// digits by their class, other one-column letters (Cyrillic, Greek, `Æ`) as an
/// `M`, two-column characters (ideographs, emoji) as emoji fonts draw them.
fn ems(c: char) -> f64 {
    use unicode_width::UnicodeWidthChar;
    match c {
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.28,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' => 0.4,
        'm' | 'M' | 'W' | '@' => 1.02,
        'w' | '%' => 0.9,
        'A'..='Z' => 0.8,
        'a'..='z' | '0'..='9' => 0.64,
        c if c.is_ascii() => 0.84,
        'Æ' | 'Œ' | 'æ' | 'œ' => 1.02,
        'À'..='Ö' | 'Ø'..='Þ' => 0.8,
        'ß'..='ö' | 'ø'..='ÿ' => 0.64,
        '…' => 1.0,
        c => match c.width() {
            Some(2) => 1.25,
            Some(0) => 0.0,
            _ => 1.02,
        },
    }
}

/// An SVG line chart titled `title` over the bucket labels `x`; None when no series
/// has a value. `from_zero`: the axis starts at 0 (counts), else at the data's low.
pub fn line_chart(title: &str, x: &[String], series: &[Series], from_zero: bool) -> Option<String> {
    let given = series;
    // Each series keeps its colour when another has no value (the current window's,
    // beside the previous one's), as long as every series can have its own.
    let colour_of = |k: usize, s: &Series| -> usize {
        if let Some(at) = s.colour {
            return at % PALETTE.len();
        }
        let at = match given.len() <= PALETTE.len() {
            true => given.iter().position(|g| std::ptr::eq(g, s)).unwrap_or(k),
            false => k,
        };
        at % PALETTE.len()
    };
    // A series without a value (no previous period, a group with no responses) is
    // neither drawn nor in the legend.
    let series: Vec<&Series> = series
        .iter()
        .filter(|s| s.values.iter().flatten().any(|v| v.is_finite()))
        .collect();
    let (series, left_out) = drawn(&series);
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = values
        .iter()
        .fold(None, |acc: Option<(f64, f64)>, &v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        })?;
    if lo > 0.0 && (from_zero || lo < hi * 0.5) {
        lo = 0.0;
    }
    // One value throughout: an axis of one unit ending at it (a constant 100 % is
    // drawn on 99–100, not on 100–101, past what a share can be), or from it when
    // it is not above 0.
    if hi == lo {
        match lo > 0.0 {
            true => lo = (hi - 1.0).max(0.0),
            false => hi = lo + 1.0,
        }
    }
    // Three labels with one count of decimals; the axis ends on values they write
    // exactly (12.44 on an axis of whole numbers ends it at 13, not at a line
    // labelled 12). Counts (`from_zero`) in whole numbers: no `0.0 / 1.0 / 2.0`.
    let decimals = match from_zero && values.iter().all(|v| v.fract() == 0.0) {
        true => 0,
        false => axis_decimals(hi - lo),
    };
    let scale = 10f64.powi(decimals as i32);
    let (lo, hi) = ((lo * scale).floor() / scale, (hi * scale).ceil() / scale);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = if x.len() > 1 {
        plot_w / (x.len() - 1) as f64
    } else {
        0.0
    };
    let px = |i: usize| LEFT + step * i as f64;
    let py = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{t}"><title>{t}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><text x="{LEFT}" y="16" font-family="sans-serif" font-size="13" font-weight="bold" fill="#222">{t}</text>"##,
        t = escape(title)
    );
    // Axes and the two y labels.
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}" stroke="#999"/><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/>"##,
        b = TOP + plot_h,
        r = LEFT + plot_w
    );
    // Faint lines across at the upper two labels: an axis that does not start at 0
    // shows how narrow its range is. The middle line where its label says (8 of
    // 0–17, not 8.5 labelled 8), left out where it would repeat an end (the middle
    // of 0–1 in whole numbers).
    let middle = ((lo + hi) / 2.0 * scale).round() / scale;
    let ticks = match middle > lo && middle < hi {
        true => vec![lo, middle, hi],
        false => vec![lo, hi],
    };
    for v in ticks {
        if v != lo {
            let _ = write!(
                svg,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{r}" y2="{y:.1}" stroke="#e4e4e4" stroke-dasharray="3 3"/>"##,
                y = py(v),
                r = LEFT + plot_w
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{}" y="{:.1}" font-family="sans-serif" font-size="11" text-anchor="end" fill="#555">{}</text>"##,
            LEFT - 6.0,
            py(v) + 4.0,
            crate::render::thousands(&format!("{v:.decimals$}"))
        );
    }
    // Every bucket labelled where the labels fit side by side, else every k-th one
    // and the last labelled (places past it are the previous window's further
    // buckets), by the widest label's room.
    let labelled = x.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
    let widest = (x.iter().take(labelled))
        .map(|l| l.chars().map(ems).sum::<f64>() * 11.0)
        .fold(0.0, f64::max);
    let every = match step > 0.0 {
        true => ((widest + 8.0) / step).ceil().max(1.0) as usize,
        false => 1,
    };
    let mut marks: Vec<usize> = (0..labelled).step_by(every).collect();
    let last = labelled.saturating_sub(1);
    if marks.last().is_some_and(|&m| m != last) {
        if marks.last().is_some_and(|&m| m != 0 && last - m < every) {
            marks.pop();
        }
        marks.push(last);
    }
    for i in marks {
        if let Some(label) = x.get(i) {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
                px(i),
                TOP + plot_h + 16.0,
                escape(label)
            );
        }
    }
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let legends = legend_names(&names, LEGEND_EMS);
    // Two lines of one chart never share a colour: the page's first eight groups
    // keep theirs; a later one whose colour (wrapped round the palette) is taken here
    // gets the first one free.
    let own = |s: &Series| s.colour.is_none_or(|at| at < PALETTE.len());
    let mut taken: Vec<usize> = (series.iter().enumerate())
        .filter(|(_, s)| own(s))
        .map(|(k, s)| colour_of(k, s))
        .collect();
    let colours: Vec<&str> = (series.iter().enumerate())
        .map(|(k, s)| {
            let wanted = colour_of(k, s);
            if own(s) {
                return PALETTE[wanted];
            }
            let at = match taken.contains(&wanted) {
                true => (0..PALETTE.len())
                    .find(|c| !taken.contains(c))
                    .unwrap_or(wanted),
                false => wanted,
            };
            taken.push(at);
            PALETTE[at]
        })
        .collect();
    for (k, s) in series.iter().enumerate() {
        let colour = colours[k];
        // A gap in the data breaks the line.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in s.values.iter().enumerate() {
            match v.filter(|v| v.is_finite()) {
                Some(v) => runs.last_mut().map_or((), |r| r.push((px(i), py(v)))),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| !r.is_empty()) {
            if run.len() == 1 {
                let _ = write!(
                    svg,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"/>"##,
                    run[0].0, run[0].1
                );
                continue;
            }
            let points: Vec<String> = run.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            let _ = write!(
                svg,
                r##"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"##,
                points.join(" ")
            );
        }
        // Each value a point with its bucket and figure as a tooltip, where the points
        // stand apart (not a year of days).
        if step >= 6.0 {
            for (i, v) in s.values.iter().enumerate() {
                let Some(v) = v.filter(|v| v.is_finite()) else {
                    continue;
                };
                // A count as a whole number, as its axis shows it.
                let cell = match from_zero && v.fract() == 0.0 && v.abs() < 1e15 {
                    true => crate::report::Cell::Int(v as i64),
                    false => crate::report::Cell::Float(v),
                };
                let shown = crate::render::thousands(&crate::render::human_cell(cell));
                let bucket = match &s.labels {
                    Some(own) => own.get(i),
                    None => x.get(i),
                };
                let place = (bucket.filter(|b| !b.is_empty()))
                    .map_or(String::new(), |b| format!("{}: ", escape(b)));
                let _ = write!(
                    svg,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{colour}"><title>{}: {place}{}</title></circle>"##,
                    px(i),
                    py(v),
                    escape(&s.name),
                    shown
                );
            }
        }
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="11" fill="#333"><title>{}</title>{}</text>"##,
            WIDTH - RIGHT + 12.0,
            TOP + 14.0 * k as f64,
            WIDTH - RIGHT + 26.0,
            TOP + 14.0 * k as f64 + 9.0,
            escape(&s.name),
            escape(&legends[k])
        );
    }
    if left_out > 0 {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="11" fill="#555">+ {left_out} more in the table</text>"##,
            WIDTH - RIGHT + 12.0,
            TOP + 14.0 * series.len() as f64 + 9.0,
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// An SVG bar chart titled `title`: one bar per label, heights from 0 to the largest
/// value, each bar labelled with its value. None when there are no bars.
pub fn bar_chart(title: &str, labels: &[String], values: &[f64]) -> Option<String> {
    if labels.is_empty() {
        return None;
    }
    // Headroom above the tallest bar for its label.
    let hi = values.iter().copied().fold(0.0, f64::max).max(1.0) * 1.1;
    let plot_w = WIDTH - LEFT - 20.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / labels.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{t}"><title>{t}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><text x="{LEFT}" y="16" font-family="sans-serif" font-size="13" font-weight="bold" fill="#222">{t}</text><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/>"##,
        t = escape(title),
        b = TOP + plot_h,
        r = LEFT + plot_w
    );
    for (i, (label, &v)) in labels.iter().zip(values).enumerate() {
        let h = plot_h * v / hi;
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let w = slot * 0.7;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="{}"/><text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#333">{}</text><text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
            TOP + plot_h - h,
            PALETTE[0],
            x + w / 2.0,
            TOP + plot_h - h - 4.0,
            crate::render::thousands(&short(v)),
            x + w / 2.0,
            TOP + plot_h + 16.0,
            escape(label)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// Decimals of a y axis's labels: enough to tell its low, middle and high apart (one
/// more than the range's first digit asks), at most 4.
fn axis_decimals(range: f64) -> usize {
    match range > 0.0 && range.is_finite() {
        true => (1 - range.log10().floor() as i64).clamp(0, 4) as usize,
        false => 0,
    }
}

/// A value as an axis label: at most 3 significant decimals.
fn short(v: f64) -> String {
    let r = crate::render::rounded(v, if v.abs() >= 100.0 { 0 } else { 2 });
    format!("{r}")
}

/// Text for HTML and SVG.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::text::unprintable(c) => out.push_str(&shown_char(c)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The legend room the cuts below are worked out for: 100 px of an 11 px font.
    const ROOM: f64 = 100.0 / 11.0;

    fn series(name: &str, values: &[Option<f64>]) -> Series {
        Series {
            name: name.into(),
            values: values.to_vec(),
            weight: None,
            labels: None,
            colour: None,
        }
    }

    /// The colour of the legend entry named `name` in a chart.
    fn legend_fill(svg: &str, name: &str) -> Option<String> {
        (svg.split("<rect x=").skip(1)).find_map(|entry| {
            let colour = entry.split("fill=\"").nth(1)?.split('"').next()?;
            let named = entry.split("<title>").nth(1)?.split('<').next()?;
            (named == name).then(|| colour.to_string())
        })
    }

    /// A page's colours are kept (its third group's, the palette's third), but two
    /// lines of one chart never share one: a ninth group, whose place wraps to the
    /// first colour beside the first group, takes the next free one.
    #[test]
    fn lines_of_one_chart_never_share_a_colour() {
        let x = ["2025-01".to_string(), "2025-02".to_string()];
        let coloured = |name: &str, at: usize| Series {
            colour: Some(at),
            ..series(name, &[Some(1.0), Some(2.0)])
        };
        let svg = line_chart(
            "t",
            &x,
            &[coloured("a", 0), coloured("i", 8), coloured("c", 2)],
            true,
        )
        .unwrap_or_default();
        assert_eq!(legend_fill(&svg, "a").as_deref(), Some(PALETTE[0]));
        assert_eq!(legend_fill(&svg, "c").as_deref(), Some(PALETTE[2]));
        assert_eq!(legend_fill(&svg, "i").as_deref(), Some(PALETTE[1]));
        // The ninth drawn first keeps out of the way of the first, drawn after it.
        let svg =
            line_chart("t", &x, &[coloured("i", 8), coloured("a", 0)], true).unwrap_or_default();
        assert_eq!(legend_fill(&svg, "a").as_deref(), Some(PALETTE[0]));
        assert_eq!(legend_fill(&svg, "i").as_deref(), Some(PALETTE[1]));
    }

    /// A legend name is cut between the characters it shows, an escape being one:
    /// `sales\u{200e}\u{200f}` was cut to `sales\u{200e}\u…`.
    #[test]
    fn a_legend_name_is_never_cut_inside_an_escape() {
        let name = "sales\u{200e}\u{200f}\u{61c}\tx";
        let units: Vec<String> = name.chars().map(shown_char).collect();
        let prefixes: Vec<String> = (0..=units.len()).map(|k| units[..k].concat()).collect();
        for tenths in 10..400 {
            let cut = legend_name(name, f64::from(tenths) / 10.0);
            let kept = cut.strip_suffix('…').unwrap_or(&cut);
            assert!(prefixes.iter().any(|p| p.trim_end() == kept), "{cut}");
        }
    }

    #[test]
    fn lines_scale_to_the_box_and_gaps_break_them() {
        let x: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let svg = line_chart(
            "T",
            &x,
            &[series("s", &[Some(0.0), Some(10.0), None])],
            false,
        )
        .unwrap_or_default();
        // 0 at the bottom (TOP + plot height = 204), 10 at the top (28); x from 56
        // in steps of (520 − 56 − 160) ÷ 2 = 152.
        assert!(svg.contains(r#"points="56.0,204.0 208.0,28.0""#), "{svg}");
        // Both values are points with their bucket and figure as a tooltip.
        assert!(
            svg.contains(r##"<circle cx="208.0" cy="28.0" r="2.5" fill="#1f77b4"><title>s: b: 10.00</title>"##),
            "{svg}"
        );
        assert_eq!(svg.matches("<polyline").count(), 1);
        let svg = line_chart(
            "T",
            &x,
            &[series("s", &[Some(1.0), None, Some(2.0)])],
            false,
        )
        .unwrap_or_default();
        assert_eq!(svg.matches("<polyline").count(), 0);
        assert_eq!(svg.matches(r#"r="3""#).count(), 2);
    }

    /// A constant 100 is drawn at the top of a 99–100 axis (y = 28, the box's
    /// top), not at the bottom of 100–101; a constant 0 at the bottom of 0–1. A
    /// series with no value is not in the legend.
    #[test]
    fn a_constant_sits_on_an_axis_it_ends_and_empty_series_are_left_out() {
        let x: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let full = series("sla", &[Some(100.0), Some(100.0)]);
        let none = series("previous period", &[None, None]);
        let svg = line_chart("T", &x, &[full, none], false).unwrap_or_default();
        assert!(svg.contains(r#"points="56.0,28.0 360.0,28.0""#), "{svg}");
        assert!(
            svg.contains(">99.0<") && svg.contains(">100.0<") && !svg.contains(">101"),
            "{svg}"
        );
        assert!(!svg.contains("previous period"), "{svg}");
        let zero = series("s", &[Some(0.0), Some(0.0)]);
        let svg = line_chart("T", &x, &[zero], false).unwrap_or_default();
        assert!(svg.contains(r#"points="56.0,204.0 360.0,204.0""#), "{svg}");
    }

    /// The previous period keeps its colour (the palette's second) when the current
    /// window has no value and is left out of the chart.
    #[test]
    fn a_series_keeps_its_colour_when_one_before_it_is_empty() {
        let x: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let current = series("all", &[None, None]);
        let previous = series("previous period", &[Some(1.0), Some(2.0)]);
        let svg = line_chart("T", &x, &[current, previous], false).unwrap_or_default();
        assert!(
            svg.contains(&format!(r#"stroke="{}""#, PALETTE[1])),
            "{svg}"
        );
        assert!(!svg.contains(PALETTE[0]), "{svg}");
    }

    /// The y labels share their decimals, one more than the range's first digit:
    /// 88.18–88.94 (range 0.76) in hundredths with its middle 88.56; 57.3–63.52 (6.22)
    /// in tenths; 0–2,219 in whole numbers with thousands separators.
    #[test]
    fn axis_labels_share_their_decimals() {
        let x: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let labels = |lo: f64, hi: f64| {
            let svg = line_chart("T", &x, &[series("s", &[Some(lo), Some(hi)])], false)
                .unwrap_or_default();
            svg.split(r##"text-anchor="end" fill="#555">"##)
                .skip(1)
                .map(|t| t.split('<').next().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(88.18, 88.94), ["88.18", "88.56", "88.94"]);
        // The axis ends where its labels say: 63.52 in tenths ends it at 63.6.
        assert_eq!(labels(57.3, 63.52), ["57.3", "60.5", "63.6"]);
        assert_eq!(labels(1.0, 2219.0), ["0", "1,110", "2,219"]);
        // 0–17 in whole numbers: the middle 8.5 is labelled 9 and drawn at 9, 176 ×
        // (1 − 9/17) = 82.8 below the top (28): y = 110.8.
        assert_eq!(labels(1.0, 17.0), ["0", "9", "17"]);
        let svg = line_chart("T", &x, &[series("s", &[Some(1.0), Some(17.0)])], false)
            .unwrap_or_default();
        assert!(svg.contains(r#"y1="110.8""#), "{svg}");
        // 0.5–10.49 in whole numbers ends at 11, its middle 5.5 labelled and drawn at
        // 6: the top point 10.49 is 176 × (1 − 10.49/11) = 8.2 below the top line.
        assert_eq!(labels(0.5, 10.49), ["0", "6", "11"]);
        let svg = line_chart("T", &x, &[series("s", &[Some(0.5), Some(10.49)])], false)
            .unwrap_or_default();
        assert!(svg.contains(r#"cy="36.2""#), "{svg}");
    }

    #[test]
    fn bars_rise_from_the_axis_to_their_share_of_the_largest() {
        let labels: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let svg = bar_chart("B", &labels, &[2.0, 4.0]).unwrap_or_default();
        // Plot height 176 over 4 × 1.1: 4 is 160 high, 2 is 80; the axis is at 204.
        assert!(
            svg.contains(r#"height="80.0""#) && svg.contains(r#"height="160.0""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"y="124.0""#) && svg.contains(r#"y="44.0""#),
            "{svg}"
        );
        assert_eq!(svg.matches("<rect").count(), 3); // the background and two bars
    }

    #[test]
    fn nothing_to_draw_is_no_chart_and_text_is_escaped() {
        let x = vec!["a".to_string()];
        assert!(line_chart("T", &x, &[series("s", &[None])], false).is_none());
        let svg = line_chart("<b>", &x, &[series("R&D", &[Some(1.0)])], true).unwrap_or_default();
        assert!(
            svg.contains("&lt;b&gt;") && svg.contains("R&amp;D"),
            "{svg}"
        );
    }

    /// Bucket labels: all four quarters fit (each at most 4.4 ems, 48.4 px, of a
    /// 304 ÷ 3 = 101.3 px step); twelve months (4.24 ems, 46.6 px + 8 of a 27.6 px
    /// step) are labelled every second one, the last (not its neighbour) at the end.
    /// Counts label whole numbers: 0, 1, 2.
    #[test]
    fn buckets_labelled_as_they_fit_and_counts_whole() {
        let bottom_labels = |x: &[String], values: &[Option<f64>], counts: bool| {
            let svg = line_chart("T", x, &[series("s", values)], counts).unwrap_or_default();
            let (axis, buckets) = (
                r##"text-anchor="end" fill="#555">"##,
                r##"text-anchor="middle" fill="#555">"##,
            );
            let texts = |marker: &str| -> Vec<String> {
                svg.split(marker)
                    .skip(1)
                    .map(|t| t.split('<').next().unwrap_or_default().to_string())
                    .collect()
            };
            (texts(buckets), texts(axis))
        };
        let quarters: Vec<String> = (1..=4).map(|q| format!("2025-Q{q}")).collect();
        let (labels, _) = bottom_labels(&quarters, &[Some(1.0); 4], false);
        assert_eq!(labels, quarters);
        let months: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
        let (labels, _) = bottom_labels(&months, &[Some(1.0); 12], false);
        assert_eq!(
            labels,
            ["2025-01", "2025-03", "2025-05", "2025-07", "2025-09", "2025-12"]
        );
        let (_, axis) = bottom_labels(&quarters[..2], &[Some(1.0), Some(2.0)], true);
        assert_eq!(axis, ["0", "1", "2"]);
        let (_, axis) = bottom_labels(&quarters[..2], &[Some(0.0), Some(1.0)], true);
        assert_eq!(axis, ["0", "1"]);
    }

    /// Twelve groups: the seven with the largest sums are drawn (g5…g11, each its own
    /// colour) and a note says five more are in the table; a long name is cut in the
    /// legend, whole in its tooltip: the room is (160 − 30) ÷ 11 = 11.82 ems, the
    /// whole name 19.22; "Reimbursement" is 8.4, " Clai" 2.28 more (10.68), and with
    /// the `m` (1.02) it would pass the 10.82 left before the `…`.
    #[test]
    fn many_groups_are_capped_and_long_names_cut() {
        let x = vec!["a".to_string(), "b".to_string()];
        let many: Vec<Series> = (0..12)
            .map(|i| series(&format!("g{i}"), &[Some(i as f64), Some(i as f64)]))
            .collect();
        let svg = line_chart("T", &x, &many, true).unwrap_or_default();
        assert_eq!(svg.matches("<polyline").count(), 7, "{svg}");
        assert!(svg.contains("+ 5 more in the table"), "{svg}");
        assert!(svg.contains(">g11<") && !svg.contains(">g4<"), "{svg}");
        let colours: std::collections::HashSet<&str> = PALETTE.iter().copied().collect();
        assert_eq!(colours.len(), PALETTE.len());
        let long = "Reimbursement Claims and Refunds";
        let svg =
            line_chart("T", &x, &[series(long, &[Some(1.0), Some(2.0)])], true).unwrap_or_default();
        assert!(
            svg.contains(&format!("<title>{long}</title>Reimbursement Clai…<")),
            "{svg}"
        );
    }

    /// A legend name is cut by the room its characters take, not by their count:
    /// the room is 100 px of an 11 px font (9.09 ems); a `W` (or a Cyrillic `Ж`)
    /// takes at most 1.02 em, an ideograph or emoji 1.25, `…` 1. Eight W's (8.16
    /// ems) fit whole; of nine (9.18), seven stay before the `…` (7 × 1.02 + 1 =
    /// 8.14; eight would be 9.16). Seven ideographs (8.75) fit; of eight, six (6 ×
    /// 1.25 + 1 = 8.5) stay. A tab is shown, and measured, as `\t`.
    #[test]
    fn legend_names_are_cut_by_their_width() {
        assert_eq!(legend_name(&"W".repeat(8), ROOM), "W".repeat(8));
        assert_eq!(
            legend_name(&"W".repeat(9), ROOM),
            format!("{}…", "W".repeat(7))
        );
        assert_eq!(
            legend_name(&"Ж".repeat(11), ROOM),
            format!("{}…", "Ж".repeat(7))
        );
        assert_eq!(legend_name(&"客".repeat(7), ROOM), "客".repeat(7));
        assert_eq!(
            legend_name(&"客".repeat(8), ROOM),
            format!("{}…", "客".repeat(6))
        );
        assert_eq!(
            legend_name(&"😀".repeat(12), ROOM),
            format!("{}…", "😀".repeat(6))
        );
        assert_eq!(legend_name("billing", ROOM), "billing");
    }

    /// Names alike in their first 9 ems are cut in the middle, their ends kept in up
    /// to half of the 8.09 ems before the `…` (4.05): " EMEA" is 0.28 + 0.8 + 1.02 +
    /// 0.8 + 0.8 = 3.7 (with the `s` before it, 4.34, too much), and the start takes
    /// what is left, 4.39: "Enterpri" is 0.8, 3 × 0.64 (n, e, p), 3 × 0.4 (t, r, r)
    /// and 0.28 (i), 4.2 ("Enterpris", 4.84, is over). " APAC" is 3.48, and its
    /// start the same 4.2 of 4.61.
    /// Names a plain cut tells apart keep it.
    #[test]
    fn alike_legend_names_keep_their_ends() {
        let names = [
            "Enterprise Customer Success EMEA",
            "Enterprise Customer Success APAC",
        ];
        assert_eq!(
            legend_names(&names, ROOM),
            ["Enterpri…EMEA", "Enterpri…APAC"]
        );
        // Alike at both ends: the shared first words left out. "…North Region Tier 1"
        // is cut to 8.09 ems: … 1.0, N 0.8, o 0.64, r 0.4, t 0.4, h 0.64, space 0.28,
        // R 0.8, e g 1.28, i 0.28, o n 1.28 = 7.8 ("…North Region" and its space 8.08;
        // "T" would pass 8.09).
        let regions = [
            "Customer Support Europe North Region Tier 1",
            "Customer Support Europe South Region Tier 1",
        ];
        assert_eq!(
            legend_names(&regions, ROOM),
            ["…North Region…", "…South Region…"]
        );
        // Each name by its own rule: "Billing" whole beside them.
        let mixed = [regions[0], regions[1], "Billing"];
        assert_eq!(
            legend_names(&mixed, ROOM),
            ["…North Region…", "…South Region…", "Billing"]
        );
        assert_eq!(
            legend_names(&["Enterprise Customer Success EMEA", "Billing"], ROOM),
            [
                legend_name("Enterprise Customer Success EMEA", ROOM),
                "Billing".to_string()
            ]
        );
        // Narrow letters: 30 i's (8.4 ems) fit whole.
        assert_eq!(legend_name(&"i".repeat(30), ROOM), "i".repeat(30));
        // A tab is `\t`: `\` 0.84, t 0.4 = 1.24 ems. `ab` (1.28), a tab (2.52), `cd`
        // (3.8), a tab (5.04), `ef` (6.08: f is narrow), a tab (7.32), `g` (7.96) fit
        // the 8.09 ems before the `…`; `h` (8.6) does not (the whole name is 10.4).
        assert_eq!(legend_name("ab\tcd\tef\tgh\tij", ROOM), "ab\\tcd\\tef\\tg…");
    }
}
