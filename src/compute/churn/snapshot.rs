//! Snapshot churn: a churn flag per customer, through the engine.

use super::*;

/// Each row's customer id hash (`id`) combined with its groups' (`group0`, …): equal
/// for two rows of one customer in one group. Null where the id is.
pub(super) fn ids_in_groups(df: &DataFrame) -> Result<UInt64Chunked> {
    let id = df.column("id")?.u64()?;
    let groups: Vec<&UInt64Chunked> = (df.columns().iter().skip(1))
        .map(|c| c.u64())
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|row| {
            let id = id.get(row)?;
            Some(groups.iter().fold(id, |h, g| {
                // A blank group is a value of its own.
                let g = g.get(row).unwrap_or(0x9E37_79B9_7F4A_7C15);
                (h ^ g.rotate_left(29)).wrapping_mul(0x0100_0000_01b3)
            }))
        })
        .collect())
}

/// Snapshot churn, through the engine: its metrics are records.
pub(super) fn snapshot(
    input: &Input,
    req: &ChurnRequest,
    fields: &[&str],
    raw: &[String],
    grouping: &Grouping,
) -> Result<Computed> {
    let ids = input.has("customer_id");
    let mut rules = churn::snapshot_rules(ids);
    rules.push(metrics::ragged_rule());
    let parse = |_: usize, lf: LazyFrame| churn::snapshot_parse(lf, ids);
    let prepare = Prepare::each_file(&parse);
    let records = churn::snapshot_metrics();
    let inputs = record::inputs_of(&records);
    let rows = |lf: LazyFrame| {
        grouping.rows(
            churn::snapshot_rows(metrics::well_formed(lf)),
            None,
            Some(&inputs),
        )
    };
    let categories = churn::snapshot_categories();
    let mut counts = metrics::reject_count_exprs(&rules);
    counts.extend(categories.exprs());
    // A snapshot has a row a customer: ids on several rows of a group are said, not
    // merged (monthly snapshots in one file, `--by snapshot_date`, repeat none).
    let repeats = ids.then(crate::compute::tickets::RepeatCheck::new);
    // Only the rows counted: a rejected row's id repeats nothing.
    let counted = categories.used.clone().and(col(crate::input::RAGGED).not());
    let id_rows = |lf: LazyFrame| {
        let lf = lf.filter(counted.clone());
        // Ids compared trimmed, as subscriptions read them.
        let id = col("customer_id").str().strip_chars(lit(NULL));
        let mut hashes = vec![crate::compute::tickets::id_hash(id).alias("id")];
        for (i, g) in grouping.group_by.iter().enumerate() {
            let text = col(g.as_str()).cast(DataType::String);
            hashes.push(crate::compute::tickets::id_hash(text).alias(format!("group{i}")));
        }
        lf.select(hashes)
    };
    let seen = |df: DataFrame| -> Result<()> {
        if let Some(repeats) = &repeats {
            repeats.add(&ids_in_groups(&df)?);
        }
        Ok(())
    };
    let hooks: [engine::Hook; 1] = [(&id_rows, &seen)];
    let pass = engine::Pass {
        fields,
        raw,
        prepare: &prepare,
        rows: &rows,
        metrics: &records,
        grouping,
        counts: &counts,
        also: if repeats.is_some() { &hooks } else { &[] },
        numbered: None,
        classes: &[],
        keep: None,
        firsts: None,
        values_of: None,
    };
    let (df, counts) = engine::run(input, &pass)?;
    let repeated = repeats
        .map(crate::compute::tickets::RepeatCheck::repeated)
        .transpose()?
        .unwrap_or_default();
    let mut warnings = Vec::new();
    if !repeated.is_empty() {
        let ids = match repeated.len() {
            1 => "1 customer id is".to_string(),
            n => format!("{n} customer ids are"),
        };
        let of_a_group = match grouping.group_by.is_empty() {
            true => "",
            false => " of a group",
        };
        warnings.push(format!(
            "{ids} on more than one row{of_a_group}: each row counts as a customer (a snapshot has one row a customer; de-duplicate the export to count each once)"
        ));
    }
    let (rejected, rows_read) = account(
        input,
        &req.rows,
        (&counts, None),
        &categories,
        &rules,
        fields,
        raw,
        &prepare,
    )?;
    warnings.extend(crate::compute::kept_none(input, &counts, fields, raw)?);
    Ok(Computed {
        metrics: df,
        rejected,
        rows_read,
        events_read: None,
        warnings,
        summary: None,
        sla_verdict: None,
        first_responses: None,
    })
}
