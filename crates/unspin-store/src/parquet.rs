//! Parquet tables for [`crate::export`], through the `arrow` and `parquet` crates: typed
//! columns (text as UTF-8, offsets and counts as 64-bit integers, scores as 32-bit floats),
//! Snappy compression, row groups written every [`BATCH_ROWS`] rows so memory stays flat.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Float32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::export::{ColumnType, ExportError, Table, TableWriter, Value};

/// Rows buffered before they are written as one record batch.
pub const BATCH_ROWS: usize = 8192;

/// One column being filled.
enum Column {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float32Builder),
}

impl Column {
    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Text(b) => Arc::new(b.finish()),
            Column::Int(b) => Arc::new(b.finish()),
            Column::Float(b) => Arc::new(b.finish()),
        }
    }
}

/// A Parquet table.
pub struct ParquetTable {
    writer: ArrowWriter<Box<dyn Write + Send>>,
    schema: SchemaRef,
    columns: Vec<Column>,
    buffered: usize,
    path: String,
}

impl ParquetTable {
    /// Starts the table `table` on `out`; `path` names it in errors.
    pub fn new(table: Table, out: Box<dyn Write + Send>, path: &str) -> Result<Self, ExportError> {
        let cols = table.columns();
        let schema: SchemaRef = Arc::new(Schema::new(
            cols.iter()
                .map(|(name, ty)| match ty {
                    ColumnType::Text => Field::new(*name, DataType::Utf8, false),
                    ColumnType::OptionalText => Field::new(*name, DataType::Utf8, true),
                    ColumnType::Int => Field::new(*name, DataType::Int64, false),
                    ColumnType::Float => Field::new(*name, DataType::Float32, false),
                })
                .collect::<Vec<_>>(),
        ));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(|e| {
            ExportError::Write {
                path: path.to_owned(),
                message: e.to_string(),
            }
        })?;
        let columns = cols
            .iter()
            .map(|(_, ty)| match ty {
                ColumnType::Text | ColumnType::OptionalText => Column::Text(StringBuilder::new()),
                ColumnType::Int => Column::Int(Int64Builder::new()),
                ColumnType::Float => Column::Float(Float32Builder::new()),
            })
            .collect();
        Ok(ParquetTable {
            writer,
            schema,
            columns,
            buffered: 0,
            path: path.to_owned(),
        })
    }

    fn fail(&self, e: impl std::fmt::Display) -> ExportError {
        ExportError::Write {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Writes the buffered rows as one record batch.
    fn flush(&mut self) -> Result<(), ExportError> {
        if self.buffered == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| self.fail(e))?;
        self.writer.write(&batch).map_err(|e| self.fail(e))?;
        self.buffered = 0;
        Ok(())
    }
}

impl TableWriter for ParquetTable {
    fn row(&mut self, row: &[Value]) -> Result<(), ExportError> {
        if row.len() != self.columns.len() {
            return Err(self.fail(format!(
                "a row of {} values for {} columns",
                row.len(),
                self.columns.len()
            )));
        }
        for (col, v) in self.columns.iter_mut().zip(row) {
            match (col, v) {
                (Column::Text(b), Value::Text(s)) => b.append_value(s),
                (Column::Text(b), Value::Null) => b.append_null(),
                (Column::Int(b), Value::Int(n)) => b.append_value(*n),
                (Column::Float(b), Value::Float(x)) => b.append_value(*x),
                (_, v) => {
                    return Err(ExportError::Write {
                        path: self.path.clone(),
                        message: format!("value {v:?} does not fit its column's type"),
                    });
                }
            }
        }
        self.buffered += 1;
        if self.buffered >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.flush()?;
        let path = self.path.clone();
        self.writer
            .close()
            .map(|_| ())
            .map_err(|e| ExportError::Write {
                path,
                message: e.to_string(),
            })
    }
}
