//! Which scale each measure's scores are on, and the checks of the sampled cells:
//! scores off the default scale, numbered answers against their labels, a layout
//! left unread.

use super::*;

/// A measure's sampled scores, as read (decimal commas as points) or as written: its
/// column in wide form; in long form, the scores of the rows whose survey names it
/// (the column mixes every measure's scores).
fn measure_sample(input: &Input, shape: Shape, m: Measure, as_written: bool) -> Vec<String> {
    let named = |cell: &str| m.is_named_by(cell);
    let (field, rows): (&str, Option<crate::input::RowTest>) = match shape {
        Shape::Wide => (m.name(), None),
        Shape::Long => ("score", Some(("survey", &named))),
    };
    match as_written {
        true => input.sample_where_as_written(field, rows),
        false => input.sample_where(field, rows),
    }
}

/// The CSAT words that tell the good-bad scale from Help Scout's (`good`, `bad`,
/// `great`, `okay`, `not good`…).
const TELLING: &[&str] = &[
    "good",
    "good with comment",
    "bad",
    "bad with comment",
    "great",
    "okay",
    "not good",
];

/// A measure's sample for judging its scale: for CSAT, where the sampled words leave
/// the scale open (`Bad` or `Okay` but neither `Good` nor `Great` with `Bad`: a file
/// sorted by rating shows one word only in its first rows; or no answer at all), also
/// each telling word written past the sample, once.
fn scale_sample(input: &Input, shape: Shape, m: Measure) -> Vec<String> {
    let sample = measure_sample(input, shape, m, false);
    if m != Measure::Csat {
        return sample;
    }
    let said = |w: &str| sample.iter().any(|v| surveys::normalized(v) == w);
    let words = TELLING.iter().any(|w| said(w));
    let settled = said("good") || said("good with comment") || (said("great") && said("bad"));
    let past = input
        .files
        .iter()
        .any(|f| f.sniffed.sample.len() >= SAMPLED);
    // No answer at all in the sample (a file sorted with its `Offered` rows first)
    // leaves the scale open too.
    let answered = sample.iter().any(|v| surveys::is_answer(v));
    if (words || !answered) && !settled && past {
        // The whole column's answers stand for the sample, each as often as written
        // (up to the sample's size): one stray `Good` after a thousand scores or
        // five-point labels is no good/bad column.
        if let Ok(cells) = cells_past_the_sample(input, shape) {
            return cells;
        }
    }
    sample
}

/// Rows sniffed from a file (more may follow).
const SAMPLED: usize = 2000;

/// The CSAT answers of the whole input, each distinct one as many times as it is
/// written, up to [`SAMPLED`] (and the first [`SAMPLED`] distinct ones).
fn cells_past_the_sample(input: &Input, shape: Shape) -> Result<Vec<String>> {
    let mut found: Vec<String> = Vec::new();
    for (cell, times) in answer_counts(input, shape, Measure::Csat)?
        .into_iter()
        .take(SAMPLED)
    {
        let n = times.min(SAMPLED as u64) as usize;
        found.extend(std::iter::repeat_n(cell, n));
    }
    Ok(found)
}

/// A measure's answers in the whole input (not surveys offered and not answered),
/// each distinct one with how often it is written.
fn answer_counts(input: &Input, shape: Shape, m: Measure) -> Result<Vec<(String, u64)>> {
    let columns: &[&str] = match shape {
        Shape::Wide => &[m.name()],
        Shape::Long => &["survey", "score"],
    };
    const TIMES: &str = "__times";
    // Each block's distinct cells and their counts, on every core, then the input's.
    let keys = || columns.iter().map(|c| col(*c)).collect::<Vec<_>>();
    let blocks = input.map_blocks(columns, &[], |_, block| {
        Ok(block
            .group_by(keys())
            .agg([len().cast(DataType::UInt64).alias(TIMES)])
            .collect()?
            .lazy())
    })?;
    let distinct = concat(blocks, UnionArgs::default())?
        .group_by(keys())
        .agg([col(TIMES).sum()])
        .collect()?;
    let cells = distinct.column(columns[columns.len() - 1])?.str()?.clone();
    let times = distinct.column(TIMES)?.u64()?.clone();
    let kinds = match shape {
        Shape::Long => Some(distinct.column("survey")?.str()?.clone()),
        Shape::Wide => None,
    };
    let mut found: Vec<(String, u64)> = Vec::new();
    for (k, cell) in cells.iter().enumerate() {
        let of_csat = kinds
            .as_ref()
            .is_none_or(|s| s.get(k).is_some_and(|v| m.is_named_by(v)));
        let Some(cell) = cell.filter(|c| of_csat && surveys::is_answer(c)) else {
            continue;
        };
        found.push((cell.to_string(), times.get(k).unwrap_or(0)));
    }
    Ok(found)
}

/// The scale a measure is read on without `--scale`, judged from the sampled cells.
pub fn default_scale(input: &Input, shape: Shape, m: Measure) -> Scale {
    let sample = scale_sample(input, shape, m);
    let refs: Vec<&str> = sample.iter().map(String::as_str).collect();
    Scale::default_for_column(m, &refs)
}

/// A scale `--scale` gives, with what the sampled cells say of it (Help Scout's
/// `Bad` on 1–5).
pub fn given_scale(input: &Input, shape: Shape, m: Measure, scale: Scale) -> Scale {
    let sample = scale_sample(input, shape, m);
    let refs: Vec<&str> = sample.iter().map(String::as_str).collect();
    scale.help_scout_bad(m, &refs)
}

/// A measure whose sampled scores mostly fall off its default scale: why the metric
/// commands stop, naming the scale that holds them all, else the one that holds the
/// most (`None`: they fit, and a stray bad score is rejected on its own).
pub fn default_scale_misfit(input: &Input, shape: Shape, m: Measure) -> Option<String> {
    let field = match shape {
        Shape::Wide => m.name(),
        Shape::Long => "score",
    };
    let sample = measure_sample(input, shape, m, false);
    let refs: Vec<&str> = sample.iter().map(String::as_str).collect();
    let scale = Scale::default_for_column(m, &refs);
    let (out, of, example, better) = scale.misfit(m, &refs)?;
    // Shown as the file writes it (`9,5`, not `9.5` as read).
    let written = measure_sample(input, shape, m, true);
    let example = (refs.iter().position(|v| *v == example))
        .and_then(|k| written.get(k).cloned())
        .unwrap_or(example);
    // Named by the file the example comes from (of several, the first holding it;
    // in long form, on a row naming the measure).
    let holds = |f: &&crate::input::InputFile| {
        let at = |field: &str| {
            let column = f.mapping.get(field).unwrap_or(field);
            f.sniffed.headers.iter().position(|h| h == column)
        };
        let (score, survey) = (at(field), at("survey"));
        let of_measure = |r: &csv::StringRecord| match (shape, survey) {
            (Shape::Long, Some(s)) => r.get(s).is_some_and(|cell| m.is_named_by(cell)),
            _ => true,
        };
        score.is_some_and(|at| {
            f.sniffed
                .rows()
                .any(|r| r.get(at) == Some(&example) && of_measure(r))
        })
    };
    let file = input.files.iter().find(holds).unwrap_or(&input.files[0]);
    let way_out = match better {
        Ok(all) => format!("give --scale {}={all}", m.name()),
        Err(most) => {
            let nearest = most.map_or(String::new(), |n| {
                format!(
                    "; --scale {}={n} reads those it holds and rejects the rest",
                    m.name()
                )
            });
            let check = match most {
                Some(_) => String::new(),
                None => format!(
                    ": is it the {} column? (--map {}=COLUMN)",
                    m.name(),
                    m.name()
                ),
            };
            format!(
                "no {} scale cxm reads ({}) holds them all{nearest}{check}",
                m.name().to_uppercase(),
                Scale::names(m),
            )
        }
    };
    Some(format!(
        "{}: column '{}' ({}): {out} of {of} sampled scores (e.g. '{}') fall outside the default {} scale {}, so most rows would be rejected; {way_out}",
        file.source.name,
        crate::text::printable(file.mapping.get(field).unwrap_or(field)),
        m.name(),
        crate::text::value_shown(&example),
        m.name().to_uppercase(),
        scale.name,
    ))
}

/// A file with a kind and score column and the measures' own columns is read one
/// way ([`shape`]): the columns of the other are said to be unread, with what reads
/// them and what that would leave.
pub fn unread_layout(input: &Input, shape: Shape) -> Option<String> {
    let file = &input.files[0];
    let long = ["survey", "score"].iter().all(|f| file.mapping.has(f));
    let measures: Vec<String> = (Measure::ALL.iter())
        .filter_map(|m| Some(format!("'{}' ({})", file.mapping.get(m.name())?, m.name())))
        .collect();
    if !long || measures.is_empty() {
        return None;
    }
    // Read wide, the pair is said only where it could hold scores: its kinds name a
    // measure, or its sampled score cells are numbers (not comments, not amounts of
    // another kind: a `Response` column of free text beside a survey's name).
    let cells = |field: &str| -> Vec<String> {
        let column = file.mapping.get(field).unwrap_or(field);
        let Some(at) = file.sniffed.headers.iter().position(|h| h == column) else {
            return Vec::new();
        };
        (file.sniffed.rows())
            .filter_map(|r| {
                r.get(at)
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
            })
            .collect()
    };
    let kinds = cells("survey");
    let scores = cells("score");
    let could_be_scores = kinds
        .iter()
        .any(|k| Measure::ALL.iter().any(|m| m.is_named_by(k)))
        || (!scores.is_empty()
            && scores
                .iter()
                .all(|c| metrics::surveys::score_number(c).is_some()));
    if shape == Shape::Wide && !could_be_scores {
        return None;
    }
    let pair = format!(
        "'{}' and '{}' (survey, score)",
        file.mapping.get("survey").unwrap_or("survey"),
        file.mapping.get("score").unwrap_or("score")
    );
    let (read, unread, switch) = match shape {
        Shape::Long => (
            format!("one a row from {pair}"),
            measures.join(", "),
            format!(
                "--map {}=COLUMN reads the measures' own columns instead, and not these",
                Measure::ALL.iter().find(|m| file.mapping.has(m.name())).map_or("csat", |m| m.name())
            ),
        ),
        Shape::Wide => (
            format!("from the measures' own columns, {},", measures.join(", ")),
            pair,
            "the long form is read where no measure's column is given with --map and the sampled survey cells name csat, ces or nps".to_string(),
        ),
    };
    Some(format!(
        "{}: the scores are read {read} and {unread} not read ({switch})",
        file.source.name
    ))
}

/// Sampled answers written as a number and a label (`1 - Very satisfied`) whose label
/// reads another point of the scale: read by their number, as such answers are, they
/// may count the choices' order rather than scores (a satisfied answer as the least
/// satisfied). Said once a measure, with an example.
pub(super) fn numbers_against_labels(input: &Input, params: &SurveyParams) -> Vec<String> {
    let mut out = Vec::new();
    for &m in &params.measures {
        let scale = params.scale(m);
        if !scale.numeric {
            // Numbers are no answers on a scale of labels (good/bad): rejected.
            continue;
        }
        let sample = measure_sample(input, params.shape, m, false);
        let against: Vec<(&String, f64, f64)> = (sample.iter())
            .filter_map(|cell| {
                let v = metrics::surveys::normalized(cell);
                // An answer given its own score (`[labels]`) is read by it.
                if scale.labels.iter().any(|(label, _)| *label == v) {
                    return None;
                }
                let (number, words) = metrics::surveys::split_numbered(&v)?;
                let (_, point) = scale
                    .labels
                    .iter()
                    .rev()
                    .find(|(label, _)| label == words)?;
                // Read by its number: a number on the scale (one past a float's
                // range, or off the scale, is rejected as it is).
                let read = number.is_finite() && number >= scale.lo && number <= scale.hi;
                (read && *point != number).then_some((cell, number, *point))
            })
            .collect();
        let Some(&(cell, number, point)) = against.first() else {
            continue;
        };
        let field = match params.shape {
            Shape::Wide => m.name(),
            Shape::Long => "score",
        };
        // Named by the file holding the example.
        let holds = |f: &&crate::input::InputFile| {
            let column = f.mapping.get(field).unwrap_or(field);
            let at = f.sniffed.headers.iter().position(|h| h == column);
            at.is_some_and(|at| f.sniffed.rows().any(|r| r.get(at) == Some(cell.as_str())))
        };
        let file = input.files.iter().find(holds).unwrap_or(&input.files[0]);
        // Another scale on which every numbered answer's label reads its number (a
        // 1–7 item's `4 - Neutral`, read on 1–5) is the likelier cause.
        let candidates: &[&str] = match m {
            Measure::Csat => &["1-5", "1-7", "1-10"],
            Measure::Ces => &["1-5", "1-7", "5-1", "7-1"],
            Measure::Nps => &[],
        };
        let agrees = |other: &Scale| {
            let mut numbered = (sample.iter()).filter_map(|cell| {
                let v = metrics::surveys::normalized(cell);
                let (number, words) = metrics::surveys::split_numbered(&v)?;
                let (_, point) = other
                    .labels
                    .iter()
                    .rev()
                    .find(|(label, _)| label == words)?;
                Some(number == *point && number >= other.lo && number <= other.hi)
            });
            numbered.clone().next().is_some() && numbered.all(|agree| agree)
        };
        let other = (candidates.iter())
            .filter(|name| **name != scale.name)
            .find(|name| Scale::parse(m, name).is_some_and(|other| agrees(&other)));
        let way_out = match other {
            Some(name) => format!(
                "is it the {name} scale? (--scale {}={name})",
                m.name()
            ),
            None => format!(
                "are the numbers the choices' order? Give each answer its score under [labels.{}] in a --config file",
                m.name()
            ),
        };
        out.push(format!(
            "{}: column '{}' ({}): {} of the sampled answers read by their number disagree with their label (e.g. '{}': {} by its number, {} by its label on the {} scale): {way_out}",
            file.source.name,
            crate::text::printable(file.mapping.get(field).unwrap_or(field)),
            m.name(),
            against.len(),
            crate::text::value_shown(cell),
            crate::render::number(number, 4),
            crate::render::number(point, 4),
            scale.name,
        ));
    }
    out
}

/// CES answers rejected as unknown labels that are the older effort item's words
/// (`Very low effort`), met past the rows sampled to choose the scale (which would
/// have chosen `5-1`): said, naming `--scale ces=5-1`.
pub(super) fn effort_words_unread(
    input: &Input,
    req: &SurveysRequest,
    params: &SurveyParams,
    rejected: &[crate::rejects::Rejected],
) -> Option<String> {
    let m = Measure::Ces;
    let given = req.scales.iter().any(|(k, _)| k == m.name());
    if given || !params.measures.contains(&m) || params.scale(m).reversed {
        return None;
    }
    let rule = params.rule(m, metrics::reason::UNKNOWN_LABEL);
    rejected.iter().find(|r| r.rule == rule)?;
    // Among every unknown label, not only the first (a stray `Skipped` before them).
    let answers = answer_counts(input, params.shape, m).ok()?;
    let effort = |cell: &str| {
        let word = metrics::surveys::normalized(cell);
        crate::metrics::surveys::EFFORT_WORDS.contains(&word.as_ref())
    };
    // The most written, for an example the same every run.
    let (cell, _) = (answers.iter())
        .filter(|(cell, _)| effort(cell))
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
    let times: u64 = (answers.iter())
        .filter(|(c, _)| effort(c))
        .map(|(_, n)| n)
        .sum();
    Some(format!(
        "ces: {times} answers such as '{}' are of the effort item asked the other way round (1 = the least effort), rejected as unknown labels: the rows sampled to choose scales held none; give --scale ces=5-1",
        crate::text::value_shown(cell)
    ))
}

/// Two of a scale's built-in labels that read as one point, both among a measure's
/// sampled answers (`Satisfied` and `Somewhat satisfied`, both 4 on 1–5): answers of
/// a scale with more points (seven satisfaction answers), squeezed onto this one.
/// Said once a measure; labels of the config's `[labels]` are the user's choice.
pub fn labels_sharing_a_point(
    input: &Input,
    shape: Shape,
    scales: &[(Measure, &Scale)],
) -> Vec<String> {
    let mut out = Vec::new();
    for &(m, scale) in scales {
        let built_in = Scale::parse(m, scale.name).is_some_and(|b| b.labels == scale.labels);
        // Good/bad's labels share their two points by design.
        if !built_in || !scale.numeric {
            continue;
        }
        // Each label met, as first written, with its point.
        let mut met: Vec<(String, &String, f64)> = Vec::new();
        for cell in measure_sample(input, shape, m, false) {
            let v = metrics::surveys::normalized(&cell).into_owned();
            let Some((label, point)) = scale.labels.iter().rev().find(|(l, _)| *l == v) else {
                continue;
            };
            if !met.iter().any(|(_, l, _)| *l == label) {
                met.push((cell.trim().to_string(), label, *point));
            }
        }
        let shared = met.iter().enumerate().find_map(|(i, a)| {
            let b = met[i + 1..].iter().find(|b| b.2 == a.2)?;
            Some((a, b))
        });
        let Some((a, b)) = shared else {
            continue;
        };
        // The scale of more points the same way round; on the longest, two labels of
        // one point are synonyms (`Neutral`, `Neither agree nor disagree`).
        let longer = match (m, scale.name) {
            (Measure::Csat, "1-5") | (Measure::Ces, "1-5") => "1-7",
            (Measure::Ces, "5-1") => "7-1",
            _ => continue,
        };
        out.push(format!(
            "{}: '{}' and '{}' both read as {} on the {} scale: answers of a scale with more points? Give each answer its score under [labels.{}] in a --config file (and its scale: --scale {}={longer})",
            m.name(),
            crate::text::value_shown(&a.0),
            crate::text::value_shown(&b.0),
            crate::render::number(a.2, 4),
            scale.name,
            m.name(),
            m.name(),
        ));
    }
    out
}

/// A measure whose rows mostly fell off its default scale, which the sampled rows
/// did not show (long form: none of them named it; wide form: they were on it, and
/// the later rows were not): said, from the whole run's counts. A warning, not
/// [`default_scale_misfit`]'s stop: the values that would show a scale holding them
/// all were not kept.
pub(super) fn unsampled_misfit(
    input: &Input,
    req: &SurveysRequest,
    params: &SurveyParams,
    counts: &DataFrame,
    rejected: &[crate::rejects::Rejected],
) -> Vec<String> {
    let long = params.shape == Shape::Long;
    params.measures.iter().filter_map(|&m| {
        let given = req.scales.iter().any(|(k, _)| k == m.name());
        let sample = measure_sample(input, params.shape, m, false);
        let refs: Vec<&str> = sample.iter().map(String::as_str).collect();
        // Long form: no sampled row named it. Wide form: its sampled scores mostly
        // fit (when they did not, the run stopped or rejected them as it read).
        // Either way, a sample of surveys offered and not answered shows no scale.
        let answered = sample.iter().any(|v| surveys::is_answer(v));
        let unseen = match long {
            true => !answered,
            false => params.scale(m).misfit(m, &refs).is_none(),
        };
        if given || !unseen {
            return None;
        }
        let rule = params.rule(m, metrics::reason::OUT_OF_SCALE);
        let off = rejected.iter().find(|r| r.rule == rule)?;
        let counted = match long {
            true => format!("__named_{}", m.name()),
            false => format!("__given_{}", m.name()),
        };
        let sum = |c: &str| -> Option<u64> {
            counts.column(c).ok()?.as_materialized_series().sum::<u64>().ok()
        };
        // Surveys offered and not answered (a column sorted with them first) are no
        // scores, on the scale or off it: CSAT's answers are counted when the sample
        // held none.
        let named = match m {
            Measure::Csat if !answered && off.count as usize >= Scale::FEW_OFF => {
                let answers = answer_counts(input, params.shape, m).ok()?;
                answers.iter().map(|(_, n)| n).sum()
            }
            _ => sum(&counted)?,
        };
        // A few rows off the scale are rejects, said as such.
        let many = off.count as usize >= Scale::FEW_OFF;
        (many && off.count * 2 > named).then(|| {
            let example = off.first.as_ref().map_or_else(String::new, |e| {
                format!(
                    " (first at {}:{}: '{}')",
                    e.file,
                    e.line,
                    crate::text::value_shown(&e.value)
                )
            });
            // Wide form: few sampled scores, or few off it, among those sampled.
            let scale = params.scale(m);
            let numbers: Vec<f64> = (refs.iter())
                .filter_map(|v| surveys::score_number(v))
                .collect();
            let off_sampled = (numbers.iter()).filter(|x| **x < scale.lo || **x > scale.hi).count();
            let sampled = match long {
                _ if !sample.is_empty() && !answered => {
                    "the rows sampled to choose scales held no answer (surveys offered, not answered)"
                }
                true => "the rows sampled to choose scales held none of them",
                false if off_sampled * 2 > numbers.len() => {
                    "the rows sampled to choose scales held too few of them off it to choose another"
                }
                false => "no more than half the rows sampled to choose scales were off it",
            };
            // Only CSAT has wider scales to give; CES and NPS have none.
            let way_out = match m {
                Measure::Csat => {
                    // The other numeric scales.
                    let others: Vec<&str> = ["1-5", "1-7", "1-10"]
                        .into_iter()
                        .filter(|n| *n != params.scale(m).name)
                        .collect();
                    format!(
                        "if they use another scale cxm reads ({}), give --scale {}=…",
                        others.join(", "),
                        m.name()
                    )
                }
                _ => format!("no other {} scale holds more: are they another measure's scores?", m.name().to_uppercase()),
            };
            // The counts are over every file: named together.
            let names: Vec<&str> = (input.files.iter()).map(|f| f.source.name.as_str()).collect();
            let file = crate::text::files_listed(&names, " + ");
            format!(
                "{file}: {} of {named} {} rows score outside the default {} scale {}{example} and were rejected; {sampled}: {way_out}",
                off.count,
                m.name(),
                m.name().to_uppercase(),
                params.scale(m).name,
            )
        })
    }).collect()
}

/// The scale measure `m`'s scores are read on: `--scale`'s (checked against the
/// data), else the default, which the sampled scores must fit (or the run stops);
/// with the labels `--label` and the labels file add.
pub(super) fn scale_of(
    input: &Input,
    shape: Shape,
    req: &SurveysRequest,
    m: Measure,
) -> Result<Scale> {
    let scale_for = |m: Measure| -> Result<Scale> {
        match req.scales.iter().rev().find(|(k, _)| k == m.name()) {
            Some((_, name)) => {
                let scale = Scale::parse(m, name).ok_or_else(|| {
                    usage_err!(
                        "--scale {}={name}: unknown scale (known: {})",
                        m.name(),
                        Scale::names(m)
                    )
                })?;
                Ok(given_scale(input, shape, m, scale))
            }
            None => {
                let read = req.uses.is_empty() || req.uses.contains(&m);
                if let Some(misfit) = default_scale_misfit(input, shape, m).filter(|_| read) {
                    return Err(data_err!("{misfit}"));
                }
                Ok(default_scale(input, shape, m))
            }
        }
    };
    let scale = |m: Measure| -> Result<Scale> {
        let extra = match m {
            Measure::Csat => &req.labels.csat,
            Measure::Ces => &req.labels.ces,
            Measure::Nps => &req.labels.nps,
        };
        // A label `--na` marks missing is never read (the config's own `na` and the
        // built-in markers are refused where the file is read).
        if let Some(label) = extra.keys().find(|l| input.is_missing(l)) {
            return Err(crate::usage_err!(
                "labels.{}.{}: '{label}' marks a missing value (--na): a cell holding it is blank, never read as a label",
                m.name(),
                crate::config::key_name(label)
            ));
        }
        scale_for(m)?.with_labels(m, extra, req.labels.file.as_deref())
    };
    scale(m)
}
