//! Headless reports printed to stdout (never while the TUI owns the terminal).

pub mod audit;
