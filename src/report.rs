//! The report: what every command produces and every renderer consumes. Renderers
//! read a [`Table`]'s cells one way, whatever holds them, so CSV, JSON and tables
//! cannot drift apart.

use polars::prelude::*;
use polars_arrow::array::{Array, PrimitiveArray, Utf8ViewArray};
use polars_arrow::bitmap::Bitmap;
use polars_arrow::types::NativeType;
use polars_buffer::Buffer;

use crate::calendar::bucket_label;
use crate::calendar::Every;
use crate::error::{CxmError, Result};
use crate::metrics::retention::COHORT;
use crate::metrics::PERIOD;

/// One cell, owned: what a table built by hand holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
}

impl Value {
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Value::Null => Cell::Null,
            Value::Int(i) => Cell::Int(*i),
            Value::Float(f) => Cell::Float(*f),
            Value::Text(t) => Cell::Text(t),
            Value::Bool(b) => Cell::Bool(*b),
        }
    }
}

/// One cell as renderers read it (a non-finite float reads as null).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Float(f64),
    Text(&'a str),
    /// A yes/no column (JSON `true`/`false`, `true`/`false` elsewhere).
    Bool(bool),
}

impl Cell<'_> {
    pub fn is_number(self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(_))
    }

    pub fn to_value(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Int(i),
            Cell::Float(f) => Value::Float(f),
            Cell::Text(t) => Value::Text(t.to_string()),
            Cell::Bool(b) => Value::Bool(b),
        }
    }
}

/// A rectangular result: named columns of cells. A table from a frame keeps the
/// frame's own columns (no copy, no value per cell: a million-group result is as
/// big as its frame); one built by hand holds [`Value`]s.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<String>,
    data: Vec<Column>,
    height: usize,
}

/// A frame's column as one arrow array (read a cell at a time, a chunk look-up per
/// cell was a fifth of writing a million-row result).
#[derive(Debug, Clone)]
enum Column {
    Values(Vec<Value>),
    Text(Utf8ViewArray),
    Float(Numbers<f64>),
    Int(Numbers<i64>),
}

#[derive(Debug, Clone)]
struct Numbers<T: NativeType> {
    values: Buffer<T>,
    validity: Option<Bitmap>,
}

impl<T: NativeType> Numbers<T> {
    /// The array of a column made one chunk (none: an empty column).
    fn of(array: Option<&PrimitiveArray<T>>) -> Numbers<T> {
        match array {
            Some(a) => Numbers {
                values: a.values().clone(),
                validity: a.validity().cloned(),
            },
            None => Numbers {
                values: Buffer::default(),
                validity: None,
            },
        }
    }

    #[inline]
    fn get(&self, row: usize) -> Option<T> {
        let v = *self.values.get(row)?;
        match &self.validity {
            Some(valid) if !valid.get_bit(row) => None,
            _ => Some(v),
        }
    }

    fn len(&self) -> usize {
        self.values.len()
    }
}

fn text_array(c: &StringChunked) -> Utf8ViewArray {
    let c = c.rechunk();
    let array = c.downcast_iter().next().cloned();
    array.unwrap_or_else(|| Utf8ViewArray::new_empty(ArrowDataType::Utf8View))
}

impl Column {
    #[inline]
    fn get(&self, row: usize) -> Cell<'_> {
        match self {
            Column::Values(v) => v.get(row).map_or(Cell::Null, Value::cell),
            Column::Text(a) if row < a.len() && a.is_valid(row) => Cell::Text(a.value(row)),
            Column::Text(_) => Cell::Null,
            Column::Float(c) => c
                .get(row)
                .filter(|x| x.is_finite())
                .map_or(Cell::Null, Cell::Float),
            Column::Int(c) => c.get(row).map_or(Cell::Null, Cell::Int),
        }
    }
}

/// One row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    index: usize,
}

impl<'a> Row<'a> {
    pub fn get(&self, column: usize) -> Cell<'a> {
        self.table
            .data
            .get(column)
            .map_or(Cell::Null, |c| c.get(self.index))
    }

    pub fn cells(&self) -> impl Iterator<Item = Cell<'a>> + 'a {
        let (table, index) = (self.table, self.index);
        table.data.iter().map(move |c| c.get(index))
    }
}

impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.columns == other.columns
            && self.height == other.height
            && self
                .rows()
                .zip(other.rows())
                .all(|(a, b)| a.cells().eq(b.cells()))
    }
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
    /// With `--compare previous` and buckets: the same sections over the previous
    /// window, which the HTML charts draw beside the current ones.
    pub previous: Option<Box<Document>>,
    /// With `--compare previous` and buckets, every bucket of the window in order
    /// (its own, in `previous`): the charts draw the previous window's k-th bucket
    /// beside the current's k-th, a day without data keeping its place. Empty: the
    /// charts' buckets are those of the data.
    pub buckets: Vec<String>,
    /// `--by`, in its order: the group columns of a tidy CSV keep it, though each
    /// section has only the groups its data has.
    pub by: Vec<String>,
}

impl Table {
    /// Remove the column of this name, if there is one.
    pub fn drop_column(&mut self, name: &str) {
        if let Some(i) = self.columns.iter().position(|c| c == name) {
            self.columns.remove(i);
            self.data.remove(i);
        }
    }

    /// A table of these rows (each as long as `columns`).
    pub fn new(columns: Vec<String>, rows: Vec<Vec<Value>>) -> Table {
        let mut table = Table {
            data: columns.iter().map(|_| Column::Values(Vec::new())).collect(),
            columns,
            height: 0,
        };
        for row in rows {
            table.push_row(row);
        }
        table
    }

    /// Add a row to a table built by hand ([`Table::new`]).
    pub fn push_row(&mut self, row: Vec<Value>) {
        let mut cells = row.into_iter();
        for column in &mut self.data {
            if let Column::Values(v) = column {
                v.push(cells.next().unwrap_or(Value::Null));
            }
        }
        self.height += 1;
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn is_empty(&self) -> bool {
        self.height == 0
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        (0..self.height).map(move |index| Row { table: self, index })
    }

    /// Row `index` (its cells are null past the last row).
    pub fn row(&self, index: usize) -> Row<'_> {
        Row { table: self, index }
    }

    /// Is column `i` a count (whole numbers), whatever its rows hold?
    pub fn is_count(&self, i: usize) -> bool {
        matches!(self.data.get(i), Some(Column::Int(_)))
    }

    /// Is column `i` text (a group key or a label), not a figure?
    pub fn is_text(&self, i: usize) -> bool {
        match self.data.get(i) {
            Some(Column::Text(_)) => true,
            Some(Column::Values(v)) => {
                v.iter().any(|v| matches!(v, Value::Text(_)))
                    && v.iter().all(|v| matches!(v, Value::Text(_) | Value::Null))
            }
            _ => false,
        }
    }

    /// Is column `i` a number column (any number, or a frame's numeric column)?
    pub fn is_numeric(&self, i: usize) -> bool {
        match self.data.get(i) {
            // A number column is one with no values too (right-aligned week after week).
            Some(Column::Float(_)) | Some(Column::Int(_)) => true,
            Some(Column::Values(v)) => v.iter().any(|v| v.cell().is_number()),
            Some(Column::Text(_)) | None => false,
        }
    }

    /// Convert a collected frame, keeping its columns. A `period` column of dates
    /// becomes bucket labels; booleans become `true`/`false`.
    pub fn from_frame(df: &DataFrame, every: Option<Every>) -> Result<Table> {
        let columns: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let mut data = Vec::with_capacity(columns.len());
        for c in df.columns() {
            let s = c.as_materialized_series();
            let column = match s.dtype() {
                DataType::Date if c.name() == PERIOD || c.name() == COHORT => {
                    let every = every.unwrap_or(Every::Day);
                    Column::Values(
                        s.date()?
                            .as_date_iter()
                            .map(|d| d.map_or(Value::Null, |d| Value::Text(bucket_label(d, every))))
                            .collect(),
                    )
                }
                DataType::Float32 | DataType::Float64 => {
                    let c = s.cast(&DataType::Float64)?.f64()?.rechunk().into_owned();
                    let numbers = Numbers::of(c.downcast_iter().next());
                    Column::Float(numbers)
                }
                dt if dt.is_integer() => {
                    let c = s.cast(&DataType::Int64)?.i64()?.rechunk().into_owned();
                    let numbers = Numbers::of(c.downcast_iter().next());
                    Column::Int(numbers)
                }
                DataType::Boolean => Column::Values(
                    s.bool()?
                        .iter()
                        .map(|v| v.map_or(Value::Null, Value::Bool))
                        .collect(),
                ),
                _ => Column::Text(text_array(s.cast(&DataType::String)?.str()?)),
            };
            data.push(column);
        }
        let height = df.height();
        let lengths_agree = data.iter().all(|c| match c {
            Column::Values(v) => v.len() == height,
            Column::Text(c) => c.len() == height,
            Column::Float(c) => c.len() == height,
            Column::Int(c) => c.len() == height,
        });
        if !lengths_agree {
            return Err(CxmError::Internal("column length mismatch".into()));
        }
        Ok(Table {
            columns,
            data,
            height,
        })
    }
}
