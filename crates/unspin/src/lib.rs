//! unspin
