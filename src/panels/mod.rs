//! The panels of the app. Each reads derived state from the [`crate::sim::SimController`]
//! and sends it commands; none holds simulation state of its own.

pub mod analogies;
pub mod cluster;
pub mod dns;
pub mod editor;
pub mod glossary;
pub mod header;
pub mod lesson;
pub mod terminal;
pub mod traffic;
pub mod workbench;

pub use crate::input::dns_name_or_ip;
