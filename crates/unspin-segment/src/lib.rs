//! unspin pipeline stage: segment (work in progress).
