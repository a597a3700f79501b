//! Terminal tables (comfy-table). A result wider than the terminal is split into
//! panels of columns, each repeating the group and period columns, so that every
//! panel stays readable at the given width (100 columns when not on a terminal).

use comfy_table::{
    presets, CellAlignment, ColumnConstraint, ContentArrangement, Table as Grid, Width,
};

use crate::metrics::retention::{COHORT_COLUMNS, SURVIVAL_COLUMNS};
use crate::metrics::PERIOD;
use crate::render::{human_cell, human_header, human_rows, HEADLINES};
use crate::report::Cell;
use crate::report::Report;
use crate::text::{columns_of, within_columns};

/// Columns repeated in every panel: everything before the first numeric column that
/// is no row's place (the period, a cohort's age, survival's month).
fn key_count(report: &Report) -> usize {
    let t = &report.table;
    let places = [PERIOD, COHORT_COLUMNS[1], SURVIVAL_COLUMNS[0]];
    t.columns
        .iter()
        .enumerate()
        .position(|(i, c)| !places.contains(&c.as_str()) && t.is_numeric(i))
        .unwrap_or(t.columns.len())
}

pub fn render(report: &Report, width: u16) -> String {
    render_with_keys(report, width, key_count(report))
}

/// [`render`], repeating the first `keys` columns in every panel.
pub fn render_with_keys(report: &Report, width: u16, keys: usize) -> String {
    let t = &report.table;
    let headers: Vec<String> = super::human_headers(t);
    let cells: Vec<Vec<String>> = human_rows(t);
    // Each column's widest cell, once: every block's table is laid out by them. In
    // terminal columns, as the table draws them (a CJK character takes two).
    let widest: Vec<usize> = (0..t.columns.len())
        .map(|i| cells.iter().map(|r| columns_of(&r[i])).max().unwrap_or(0))
        .collect();
    let keys = keys.min(t.columns.len());
    let col_width = |i: usize, cap: usize| {
        // A group column is at most `cap` wide: a long name wraps there rather than
        // leaving room for one figure a panel.
        let body = match i < keys {
            true => widest[i].min(cap),
            false => widest[i],
        };
        // Headers wrap at spaces onto about two lines; their longest word must fit.
        let words = headers[i].split(' ').map(columns_of).max().unwrap_or(0);
        let half = columns_of(&headers[i]).div_ceil(2) + 2;
        body.max(words).max(half).max(6) + 3
    };
    // The columns of each panel, and the group columns' width, with their cells at
    // most `cap` wide.
    let plan = |fit: usize| {
        let key_width: usize = (0..keys).map(|i| col_width(i, fit)).sum::<usize>() + 1;
        let mut panels: Vec<Vec<usize>> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut used = key_width;
        for i in keys..t.columns.len() {
            let w = col_width(i, fit);
            if !current.is_empty() && used + w > width as usize {
                panels.push(std::mem::take(&mut current));
                used = key_width;
            }
            current.push(i);
            used += w;
        }
        if !current.is_empty() || panels.is_empty() {
            panels.push(current);
        }
        (key_width, panels)
    };
    // Group values whole, else wrapped at a third of the width where that saves
    // panels.
    let fits = [usize::MAX, key_cap(t, keys, width)];
    // The plan with fewest panels wider than the terminal, then fewest panels.
    let score = |fit: usize, (key_width, panels): &(usize, Vec<Vec<usize>>)| {
        let too_wide = (panels.iter())
            .filter(|p| {
                key_width + p.iter().map(|&i| col_width(i, fit)).sum::<usize>() > width as usize
            })
            .count();
        (too_wide, panels.len())
    };
    let (cap, (key_width, mut panels)) = fits
        .into_iter()
        .map(|fit| (fit, plan(fit)))
        .reduce(
            |best, next| match score(next.0, &next.1) < score(best.0, &best.1) {
                true => next,
                false => best,
            },
        )
        .unwrap_or((usize::MAX, plan(usize::MAX)));
    // Group columns alone as wide as the terminal leave no room for a figure a panel:
    // one table, left to wrap, rather than a panel for each figure.
    if key_width >= width as usize {
        panels = vec![(keys..t.columns.len()).collect()];
    }
    let col_width = |i: usize| col_width(i, cap);
    let mut out = String::new();
    if !report.title.is_empty() {
        // Its lines name the files read: made safe to print, as the cells are.
        out.push_str(&crate::text::printable_lines(&report.title));
        out.push('\n');
    }
    // A long result is laid out a block of rows at a time, each its own table with
    // every column as wide as its widest cell of all rows: a terminal table of a
    // million rows held whole took sixteen times its size in memory. A panel wider
    // than the terminal (its group columns alone are) is left to wrap as one table,
    // whose widths would otherwise differ from block to block.
    let blocks: Vec<&[Vec<String>]> = match cells.is_empty() {
        true => vec![&cells[..]],
        false => cells.chunks(BLOCK_ROWS).collect(),
    };
    let whole: Vec<&[Vec<String>]> = vec![&cells[..]];
    // A planned panel that comes out wider than the terminal (its headers wrapped
    // otherwise than planned, its group values kept whole) is split in two, until
    // each fits or holds one figure.
    let mut queue: std::collections::VecDeque<Vec<usize>> = panels.into();
    let mut panels: Vec<Vec<usize>> = Vec::new();
    while let Some(panel) = queue.pop_front() {
        let panel_width = key_width + panel.iter().map(|&i| col_width(i)).sum::<usize>();
        if panel.len() < 2 || panel_width > width as usize {
            panels.push(panel);
            continue;
        }
        let blocked = blocks.len() > 1;
        let grid = panel_grid(
            t,
            &headers,
            &widest,
            blocks[0],
            (keys, cap),
            key_width,
            &panel,
            width,
            &col_width,
            blocked,
        );
        let drawn = grid.to_string().lines().map(columns_of).max().unwrap_or(0);
        match drawn <= width as usize {
            true => panels.push(panel),
            false => {
                let (first, second) = panel.split_at(panel.len() / 2);
                queue.push_front(second.to_vec());
                queue.push_front(first.to_vec());
            }
        }
    }
    let mut n = 0;
    for panel in &panels {
        let panel_width = key_width + panel.iter().map(|&i| col_width(i)).sum::<usize>();
        let fits = panel_width <= width as usize;
        let blocked = fits && blocks.len() > 1;
        for block in if fits { &blocks } else { &whole } {
            let grid = panel_grid(
                t,
                &headers,
                &widest,
                block,
                (keys, cap),
                key_width,
                panel,
                width,
                &col_width,
                blocked,
            );
            if n > 0 {
                out.push('\n');
            }
            n += 1;
            out.push_str(&grid.to_string());
            out.push('\n');
        }
    }
    if t.is_empty() {
        out.push_str("(no rows)\n");
    }
    out.push_str(&sparklines(report, keys, width as usize));
    out
}

/// Rows a terminal table holds at a time.
const BLOCK_ROWS: usize = 10_000;

/// The most characters a group column's cells take on a line at `width`: a third of
/// it, in a table of figures by groups (not in one of texts, as `inspect` shows).
fn key_cap(t: &crate::report::Table, keys: usize, width: u16) -> usize {
    match (keys..t.columns.len()).all(|i| !t.is_text(i)) {
        true => (width as usize / 3).max(20),
        false => usize::MAX,
    }
}

/// One panel's table of the rows `block`, its columns as wide as the `widest` cells
/// of all rows need (every column, when `blocked`: one block of several).
#[allow(clippy::too_many_arguments)]
fn panel_grid(
    t: &crate::report::Table,
    headers: &[String],
    widest: &[usize],
    block: &[Vec<String>],
    (keys, cap): (usize, usize),
    key_width: usize,
    panel: &[usize],
    width: u16,
    col_width: &dyn Fn(usize) -> usize,
    blocked: bool,
) -> Grid {
    let columns: Vec<usize> = (0..keys).chain(panel.iter().copied()).collect();
    let panel_width = key_width + panel.iter().map(|&i| col_width(i)).sum::<usize>();
    let mut grid = Grid::new();
    grid.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(panel_width as u16))
        .set_header(columns.iter().map(|&i| headers[i].clone()));
    for row in block {
        grid.add_row(columns.iter().map(|&i| row[i].clone()));
    }
    for (pos, &i) in columns.iter().enumerate() {
        if t.is_numeric(i) {
            if let Some(c) = grid.column_mut(pos) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        // A header wraps at its spaces only: its longest word keeps its width; a
        // number is never wrapped.
        let mut word = headers[i].split(' ').map(columns_of).max().unwrap_or(0);
        // A number is never wrapped; in a block, no cell of any block is (a group
        // value past the cap wraps in every block alike).
        if t.is_numeric(i) || blocked {
            word = match pos < keys {
                true => word.max(widest[i].min(cap)),
                false => word.max(widest[i]),
            };
        }
        if let Some(c) = grid.column_mut(pos) {
            c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                (word + 2) as u16,
            )));
        }
        // A group value (a bucket like `[0.5, 1)`) is read whole: wrapping it at
        // its space would split one label over two lines while space is unused.
        if pos < keys {
            let body = widest[i];
            // A period, a date or an id (one word with a digit) is never cut: `2025-0`
            // over `1` reads as another period. A name may be, to fit the terminal.
            let dated = (block.iter())
                .filter(|r| !r[i].is_empty())
                .all(|r| !r[i].contains(' ') && r[i].chars().any(|c| c.is_ascii_digit()));
            if dated && body <= cap {
                if let Some(c) = grid.column_mut(pos) {
                    c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                        (body.max(word) + 2) as u16,
                    )));
                }
            }
            if body > cap {
                // Past the cap: that wide, its long values wrapped.
                if let Some(c) = grid.column_mut(pos) {
                    c.set_constraint(ColumnConstraint::Absolute(Width::Fixed(
                        (cap.max(word) + 2) as u16,
                    )));
                }
            } else if body + key_width <= width as usize {
                if let Some(c) = grid.column_mut(pos) {
                    c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                        (body.max(word) + 2) as u16,
                    )));
                }
            }
        }
    }
    grid
}

/// With buckets: per group, a sparkline of the first headline metric over them (the
/// latest buckets that fit in `width`, after a `…`, when not all do).
fn sparklines(report: &Report, keys: usize, width: usize) -> String {
    let t = &report.table;
    let Some(period) = t.columns.iter().position(|c| c == PERIOD) else {
        return String::new();
    };
    // A headline the table has a value of (surveys without CSAT: their NPS).
    let valued = |at: usize| t.rows().any(|r| !matches!(r.get(at), Cell::Null));
    let Some((metric, at)) = HEADLINES.iter().find_map(|m| {
        let at = t.columns.iter().position(|c| c == m)?;
        valued(at).then_some((*m, at))
    }) else {
        return String::new();
    };
    let groups: Vec<usize> = (0..keys).filter(|&i| i != period).collect();
    // One mark per bucket of the whole table's span, so the groups' lines align and
    // a bucket without a row is a space.
    let labels: Vec<String> = t.rows().map(|r| human_cell(r.get(period))).collect();
    let timeline = crate::calendar::timeline(&labels);
    let slot: std::collections::HashMap<&str, usize> = timeline
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut lines: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for (row, label) in t.rows().zip(&labels) {
        let name: Vec<String> = groups.iter().map(|&i| human_cell(row.get(i))).collect();
        let name = if name.is_empty() {
            "all".to_string()
        } else {
            name.join(" · ")
        };
        let value = match row.get(at) {
            Cell::Int(i) => Some(i as f64),
            Cell::Float(f) if f.is_finite() => Some(f),
            _ => None,
        };
        if lines.last().is_none_or(|(n, _)| *n != name) {
            lines.push((name, vec![None; timeline.len()]));
        }
        let at = slot.get(label.as_str()).copied();
        if let (Some((_, values)), Some(at)) = (lines.last_mut(), at) {
            values[at] = value;
        }
    }
    if timeline.len() < 2 {
        return String::new();
    }
    // Names in terminal columns (an ideograph: two), at most what leaves the marks
    // of 24 buckets (or all, when fewer) within the width; a longer name is cut.
    let most = width.saturating_sub(4 + timeline.len().min(24)).max(10);
    let names = lines
        .iter()
        .map(|(n, _)| columns_of(n))
        .max()
        .unwrap_or(0)
        .min(most);
    let room = width.saturating_sub(names + 4).max(8);
    let mut out = format!("{} by {}:\n", human_header(metric), PERIOD);
    // Names that would read alike once cut keep their ends too.
    let cut: Vec<String> = lines
        .iter()
        .map(|(n, _)| within_columns(n, names))
        .collect();
    let alike = |i: usize| {
        (cut.iter().enumerate()).any(|(j, c)| j != i && *c == cut[i] && lines[j].0 != lines[i].0)
    };
    let mut shown: Vec<String> = (0..lines.len())
        .map(|i| match alike(i) {
            true => crate::text::within_columns_both_ends(&lines[i].0, names),
            false => cut[i].clone(),
        })
        .collect();
    // Alike at both ends too: each from a little before where it first differs from
    // the names it reads like (`…queue A for…`).
    let still: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            (0..lines.len()).any(|j| j != i && shown[j] == shown[i] && lines[j].0 != lines[i].0)
        })
        .collect();
    let before = shown.clone();
    for &i in &still {
        let name: Vec<char> = lines[i].0.chars().collect();
        let differs = (still.iter())
            .filter(|&&j| j != i && before[j] == before[i])
            .map(|&j| {
                let other: Vec<char> = lines[j].0.chars().collect();
                (name.iter().zip(&other))
                    .take_while(|(a, b)| a == b)
                    .count()
            })
            .min()
            .unwrap_or(0);
        let from = differs.saturating_sub(4);
        let rest: String = name[from..].iter().collect();
        shown[i] = within_columns(&format!("…{rest}"), names);
    }
    for ((_, values), name) in lines.into_iter().zip(shown) {
        let pad = names.saturating_sub(columns_of(&name));
        // Scaled over every bucket, then cut to the latest.
        let marks: Vec<char> = sparkline(&values).chars().collect();
        let line: String = match marks.len() > room {
            true => std::iter::once('…')
                .chain(marks[marks.len() - (room - 1)..].iter().copied())
                .collect(),
            false => marks.into_iter().collect(),
        };
        out.push_str(&format!("  {name}{}  {line}\n", " ".repeat(pad)));
    }
    out
}

/// Values as block characters from `▁` (the lowest) to `█` (the highest); a gap
/// as a space.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi <= lo => BARS[3],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past a block of rows, the table goes on as a second table with its own header,
    /// every row in order once, the columns as wide in both (the widest id is in the
    /// second block).
    /// Survival's `month` and a cohort's `age` place a row as `period` does: every
    /// panel repeats them (a panel of bands without its month could not be read).
    #[test]
    fn panels_repeat_a_rows_month_or_age() {
        use crate::report::{Table, Value};
        for place in ["month", "age"] {
            let mut columns = vec!["plan".to_string(), place.to_string()];
            columns.extend((0..8).map(|k| format!("figure_number_{k}")));
            let rows: Vec<Vec<Value>> = (0..3)
                .map(|m| {
                    let mut row = vec![Value::Text("basic".into()), Value::Int(m)];
                    row.extend((0..8).map(|k| Value::Float(k as f64 + 0.5)));
                    row
                })
                .collect();
            let report = Report {
                title: String::new(),
                table: Table::new(columns, rows),
            };
            let text = render(&report, 60);
            let panels = text.lines().filter(|l| l.starts_with('┌')).count();
            assert!(panels >= 2, "{text}");
            assert_eq!(text.matches(place).count(), panels, "{text}");
        }
    }

    #[test]
    fn long_tables_come_in_blocks_of_rows() {
        use crate::report::{Table, Value};
        let rows: Vec<Vec<Value>> = (0..BLOCK_ROWS + 2)
            .map(|k| vec![Value::Text(format!("g{k}")), Value::Int(k as i64)])
            .collect();
        let report = Report {
            title: String::new(),
            table: Table::new(vec!["group".into(), "tickets".into()], rows),
        };
        let text = render(&report, 100);
        assert_eq!(text.matches("group").count(), 2, "two headers");
        let ids: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .filter(|c| c.starts_with('g') && c != &"group")
            .collect();
        let want: Vec<String> = (0..BLOCK_ROWS + 2).map(|k| format!("g{k}")).collect();
        assert_eq!(ids, want);
        let width = |needle: &str| {
            text.lines()
                .find(|l| l.contains(needle))
                .map(|l| l.chars().count())
        };
        assert_eq!(width("g0 "), width(&format!("g{} ", BLOCK_ROWS + 1)));
        // A name of 24 letters in the second block only, at a width of 40: both
        // blocks' tables as wide as it needs; at 20, where the group column cannot
        // fit, one table (wrapping it), as before.
        let mut rows: Vec<Vec<Value>> = (0..BLOCK_ROWS + 2)
            .map(|k| vec![Value::Text(format!("g{k}")), Value::Int(k as i64)])
            .collect();
        rows[BLOCK_ROWS + 1][0] = Value::Text("abcdefghijklmnopqrstuvwx".into());
        let report = Report {
            title: String::new(),
            table: Table::new(vec!["group".into(), "tickets".into()], rows),
        };
        let tops = |text: &str| -> Vec<usize> {
            text.lines()
                .filter(|l| l.starts_with('┌'))
                .map(|l| l.chars().count())
                .collect()
        };
        let wide = tops(&render(&report, 40));
        assert_eq!(wide.len(), 2, "{wide:?}");
        assert_eq!(wide[0], wide[1]);
        assert!(wide[0] >= 24 + 4, "{wide:?}");
        assert_eq!(tops(&render(&report, 20)).len(), 1);
    }

    #[test]
    fn sparklines_span_the_lowest_to_the_highest_value() {
        assert_eq!(sparkline(&[Some(0.0), Some(7.0), None, Some(3.5)]), "▁█ ▅");
        assert_eq!(sparkline(&[Some(2.0), Some(2.0)]), "▄▄");
    }

    /// Names of ideographs and emoji (two columns a character) and a name longer
    /// than the width: every group's marks start at the same terminal column, and
    /// no line is wider than the width. Width 40, 3 buckets: names get at most
    /// 40 − 4 − 3 = 33 columns, so the 60-letter name is cut to 32 letters and `…`.
    #[test]
    fn sparklines_line_up_in_terminal_columns() {
        use crate::report::{Table, Value};
        let names = ["客服团队", "😀 emoji", "plain", &"x".repeat(60)];
        let mut rows = Vec::new();
        for name in names {
            for (k, month) in ["2025-01", "2025-02", "2025-03"].iter().enumerate() {
                rows.push(vec![
                    Value::Text(name.to_string()),
                    Value::Text(month.to_string()),
                    Value::Int(k as i64 + 1),
                ]);
            }
        }
        let columns = vec![
            "team".to_string(),
            PERIOD.to_string(),
            "tickets".to_string(),
        ];
        let report = Report {
            title: "t".into(),
            table: Table::new(columns, rows),
        };
        let out = sparklines(&report, 2, 40);
        let lines: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(lines.len(), 4, "{out}");
        for line in &lines {
            let marks = line.find('▁').unwrap_or_default();
            assert_eq!(columns_of(&line[..marks]), 2 + 33 + 2, "{out}");
            assert!(columns_of(line) <= 40, "{out}");
            assert!(line.ends_with("▁▅█"), "{out}");
        }
        assert!(lines[3].contains(&format!("{}…", "x".repeat(32))), "{out}");
    }

    /// Ideographs take two terminal columns each, and the columns are laid out so: a
    /// header of 7 of them (14 columns) never breaks inside its one word, and a group
    /// value of 16 (32 columns) that fits beside the figures at 200 columns is not
    /// wrapped (both broke where they had as many letters as columns).
    #[test]
    fn ideographs_are_laid_out_in_terminal_columns() {
        use crate::report::{Table, Value};
        let (header, value) = ("担当チーム名前", "カスタマーサポート第一チーム東京");
        let columns = vec![header.to_string(), "tickets".to_string()];
        let rows = vec![
            vec![Value::Text(value.into()), Value::Int(1)],
            vec![Value::Text("x".into()), Value::Int(1)],
        ];
        let report = Report {
            title: String::new(),
            table: Table::new(columns, rows),
        };
        for width in [80, 200] {
            let out = render(&report, width);
            assert!(out.contains(header), "{out}");
            assert!(out.contains(value), "{out}");
            assert!(
                out.lines().all(|l| columns_of(l) <= width as usize),
                "{out}"
            );
        }
    }

    /// A team name of 109 characters beside eight figures: at full width every panel
    /// would hold one figure (8 tables); wrapped at a third of 100 columns (33), the
    /// group column is 33 + 2 wide and two panels hold them all, every line within
    /// 100 columns. At 300 columns the name fits whole beside them all.
    #[test]
    fn a_long_group_name_wraps_at_a_third_of_the_width_where_it_saves_panels() {
        use crate::report::{Table, Value};
        let long = "a very long team name ".repeat(5).trim().to_string();
        let mut columns = vec!["team".to_string(), PERIOD.to_string()];
        columns.extend((0..8).map(|k| format!("m{k}")));
        let rows = [long.clone(), "billing".into()]
            .into_iter()
            .map(|name| {
                let mut row = vec![Value::Text(name), Value::Text("2025-01".into())];
                row.extend((0..8).map(Value::Int));
                row
            })
            .collect();
        let report = Report {
            title: String::new(),
            table: Table::new(columns, rows),
        };
        let out = render(&report, 100);
        assert!(!out.contains(&long), "{out}");
        assert_eq!(out.matches('┌').count(), 2, "{out}");
        let first_row = out
            .lines()
            .find(|l| l.contains("a very"))
            .unwrap_or_default();
        let cell = first_row.split('┆').next().unwrap_or_default();
        assert_eq!(columns_of(cell), 1 + 33 + 2, "{out}");
        assert!(out.lines().all(|l| columns_of(l) <= 100), "{out}");
        // One word of 109 characters alike (cut where it has no space).
        let word = "x".repeat(109);
        let mut one_word = report.clone();
        one_word.table = Table::new(
            one_word.table.columns.clone(),
            vec![{
                let mut row = vec![Value::Text(word.clone()), Value::Text("2025-01".into())];
                row.extend((0..8).map(Value::Int));
                row
            }],
        );
        let out = render(&one_word, 100);
        assert_eq!(out.matches('┌').count(), 2, "{out}");
        let first_row = out.lines().find(|l| l.contains("xxx")).unwrap_or_default();
        let cell = first_row.split('┆').next().unwrap_or_default();
        assert_eq!(columns_of(cell), 1 + 33 + 2, "{out}");
        assert!(out.lines().all(|l| columns_of(l) <= 100), "{out}");
        let wide = render(&report, 300);
        assert!(
            wide.contains(&long) && wide.matches('┌').count() == 1,
            "{wide}"
        );
    }

    /// Group columns wider than the terminal: one table (not a panel a figure), the
    /// period whole (a name may be cut to fit).
    #[test]
    fn group_columns_wider_than_the_terminal_stay_one_table() {
        use crate::report::{Table, Value};
        let mut columns: Vec<String> = ["team", "channel", "agent", PERIOD]
            .map(String::from)
            .to_vec();
        columns.extend((0..6).map(|k| format!("m{k}")));
        let mut row = ["onboarding", "email", "Chloe Martin", "2025-01"]
            .map(|v| Value::Text(v.into()))
            .to_vec();
        row.extend((0..6).map(Value::Int));
        let report = Report {
            title: String::new(),
            table: Table::new(columns, vec![row]),
        };
        let out = render(&report, 40);
        assert_eq!(out.matches('┌').count(), 1, "{out}");
        assert!(out.contains("2025-01"), "{out}");
    }

    /// A report of 1, 2 and 3 tickets in January to March 2025 for each team named.
    fn monthly(names: &[String]) -> Report {
        use crate::report::{Table, Value};
        let mut rows = Vec::new();
        for name in names {
            for (k, month) in ["2025-01", "2025-02", "2025-03"].iter().enumerate() {
                rows.push(vec![
                    Value::Text(name.clone()),
                    Value::Text(month.to_string()),
                    Value::Int(k as i64 + 1),
                ]);
            }
        }
        let columns = vec!["team".into(), PERIOD.to_string(), "tickets".into()];
        Report {
            title: "t".into(),
            table: Table::new(columns, rows),
        }
    }

    /// Names alike at both ends once cut (at 20 columns: 20 − 4 − 3 = 13 for names)
    /// are shown from 4 characters before where they first differ.
    #[test]
    fn sparkline_names_alike_at_both_ends_show_where_they_differ() {
        let names =
            ["A", "B"].map(|q| format!("Support EMEA queue {q} for enterprise customers North"));
        let out = sparklines(&monthly(&names), 2, 20);
        // Both differ at character 19 (`A`/`B`): shown from 15, `eue A…`.
        assert!(out.contains("  …eue A for e…  ▁▅█"), "{out}");
        assert!(out.contains("  …eue B for e…  ▁▅█"), "{out}");
    }

    /// Two long names alike at the start, cut to 33 columns, keep their ends: 16
    /// columns of the start, the `…`, 16 of the end, so the lines stay apart; a third,
    /// unlike them, is cut at its end.
    #[test]
    fn sparkline_names_alike_when_cut_keep_their_ends() {
        let long = "A very very long team name that goes on and on EMEA";
        let names = [
            format!("{long} North"),
            format!("{long} South"),
            "z".repeat(40),
        ];
        let out = sparklines(&monthly(&names), 2, 40);
        assert!(
            out.contains("A very very long…nd on EMEA North  ▁▅█"),
            "{out}"
        );
        assert!(
            out.contains("A very very long…nd on EMEA South  ▁▅█"),
            "{out}"
        );
        assert!(out.contains(&format!("{}…  ▁▅█", "z".repeat(32))), "{out}");
    }
}
