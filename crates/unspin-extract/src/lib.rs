//! unspin pipeline stage: extract (work in progress).
