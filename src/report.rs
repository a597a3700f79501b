//! The report: what every command produces and every renderer consumes. A
//! [`Table`] is plain owned values, so renderers never see a polars frame and CSV,
//! JSON and tables cannot drift apart.

use polars::prelude::*;

use crate::calendar::bucket_label;
use crate::calendar::Every;
use crate::error::{CxmError, Result};
use crate::metrics::PERIOD;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

/// A rectangular result: named columns, rows of values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// A titled table with the messages that belong with it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub title: String,
    pub table: Table,
}

/// One section of `cxm report`: a key (`tickets`, `surveys`, `churn`), its titled
/// table, and which of its columns are group columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub key: String,
    pub report: Report,
    pub groups: Vec<String>,
}

/// What `cxm report` renders: header lines (window, files, row counts) and sections.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: String,
    pub header: Vec<String>,
    pub sections: Vec<Section>,
}

impl Table {
    /// Convert a collected frame. A `period` column of dates becomes bucket labels.
    pub fn from_frame(df: &DataFrame, every: Option<Every>) -> Result<Table> {
        let columns: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let mut cols: Vec<Vec<Value>> = Vec::with_capacity(columns.len());
        for c in df.columns() {
            let s = c.as_materialized_series();
            let values = match s.dtype() {
                DataType::Date if c.name() == PERIOD => {
                    let every = every.unwrap_or(Every::Day);
                    s.date()?
                        .as_date_iter()
                        .map(|d| d.map_or(Value::Null, |d| Value::Text(bucket_label(d, every))))
                        .collect()
                }
                DataType::Float32 | DataType::Float64 => s
                    .cast(&DataType::Float64)?
                    .f64()?
                    .iter()
                    .map(|v| {
                        v.filter(|x| x.is_finite())
                            .map_or(Value::Null, Value::Float)
                    })
                    .collect(),
                dt if dt.is_integer() => s
                    .cast(&DataType::Int64)?
                    .i64()?
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Int))
                    .collect(),
                DataType::Boolean => s
                    .bool()?
                    .iter()
                    .map(|v| v.map_or(Value::Null, |b| Value::Text(b.to_string())))
                    .collect(),
                _ => s
                    .cast(&DataType::String)?
                    .str()?
                    .iter()
                    .map(|v| v.map_or(Value::Null, |t| Value::Text(t.to_string())))
                    .collect(),
            };
            cols.push(values);
        }
        let n = df.height();
        let mut rows = vec![Vec::with_capacity(columns.len()); n];
        for col in cols {
            if col.len() != n {
                return Err(CxmError::Internal("column length mismatch".into()));
            }
            for (row, v) in rows.iter_mut().zip(col) {
                row.push(v);
            }
        }
        Ok(Table { columns, rows })
    }
}
