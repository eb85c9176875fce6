//! Diagnostics: errors and warnings about what the user typed, each with a stable code, a
//! position, English text as kubectl or the API server words it, and arguments the UI uses
//! to render the message in another language.

use serde::{Deserialize, Serialize};

/// A position in the user's text: line and column, both 1-based. `line == 0` means "no
/// position" (for example an object built by a terminal command rather than a manifest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable id, e.g. `yaml.syntax`, `decode.unknown_field`, `lint.selector_matches_nothing`.
    pub code: String,
    pub pos: Pos,
    /// English text, as kubectl would print it.
    pub message: String,
    /// Values the translated message interpolates as `{0}`, `{1}`, ...
    pub args: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &str, pos: Pos, message: String) -> Self {
        Diagnostic { severity: Severity::Error, code: code.to_string(), pos, message, args: Vec::new() }
    }
    pub fn warning(code: &str, pos: Pos, message: String) -> Self {
        Diagnostic { severity: Severity::Warning, code: code.to_string(), pos, message, args: Vec::new() }
    }
    pub fn with_args(mut self, args: &[&str]) -> Self {
        self.args = args.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
