//! unspin pipeline stage: ingest (work in progress).
