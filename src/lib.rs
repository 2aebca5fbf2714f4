//! Vigil: a terminal security-operations console for AWS.

pub mod action;
pub mod app;
pub mod audit;
pub mod cache;
pub mod cli;
pub mod clipboard;
pub mod command;
pub mod config;
pub mod files;
pub mod history_file;
pub mod keymap;
pub mod location;
pub mod logging;
pub mod model;
pub mod pane;
pub mod report;
pub mod runner;
pub mod sanitize;
pub mod snapshot;
pub mod source;
pub mod text;
pub mod tui;
pub mod ui;
pub mod view;
