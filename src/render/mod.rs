//! Render: the model, its redlines and the series view as text for people and data for scripts.
//! `style` decides colour in one place; each output format has its own module.

pub mod json;
pub mod outline;
pub mod redline;
pub mod series;
pub mod style;
pub mod tables;
