//! Pieces shared by the panes.

pub mod detail;
pub mod help;
pub mod listing;
pub mod status;
pub mod table;
pub mod triage;
