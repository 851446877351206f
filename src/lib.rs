//! kith: a desktop app for networking the right way (know, like, trust).
//!
//! Layers, from the bottom:
//! - [`model`]: pure data, changed only through [`action::Action`] values.
//! - [`document`]: the model with undo/redo and a change feed.
//! - [`storage`]: the RON data folder (atomic, incremental, never overwrites damaged files).
//! - [`history`]: interactions read from calendar, mail and chat exports (pure).
//! - [`insight`]: pure analysis (shared interests, introductions, health, follow-ups).
//! - [`app`]: the egui user interface, which only draws and emits actions.

pub mod action;
pub mod app;
pub mod cli;
pub mod desktop;
pub mod document;
pub mod exchange;
pub mod history;
pub mod insight;
pub mod model;
pub mod photo;
pub mod search;
pub mod session;
pub mod storage;
pub mod sync;
pub mod synth;
