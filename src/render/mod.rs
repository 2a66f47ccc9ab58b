//! Render: the model, its redlines and the series view as text for people and data for scripts.
//! `style` decides colour in one place; each output format has its own module; the exports
//! (HTML, Markdown, Word) share `layout` and write files through `output`.

pub mod docx;
pub mod html;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod outline;
pub mod output;
pub mod redline;
pub mod series;
pub mod style;
pub mod tables;
