//! Vigil: a terminal security-operations console for AWS.

pub mod model;
pub mod pane;
pub mod sanitize;
pub mod source;
