//! The error every value type's `parse` returns.

/// A value given for one field was refused.
///
/// `code` is a stable snake_case identifier (`invalid_email`, `too_short`,
/// `snils_checksum`, …) that clients switch on; `message` is a short English
/// explanation for people. The HTTP layer puts both into the `errors` map of a
/// `validation_failed` problem, keyed by the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// Stable snake_case code, e.g. `too_short`.
    pub code: &'static str,
    /// Human-readable explanation (English).
    pub message: String,
}

/// The problems of several fields at once: each field's name and what is
/// wrong with it, in the order the rule found them.
pub type FieldProblems = Vec<(&'static str, FieldError)>;

impl FieldError {
    /// An error with the given code and message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keeps_code_and_message() {
        let e = FieldError::new("too_short", "at least 8 characters");
        assert_eq!(e.code, "too_short");
        assert_eq!(e.message, "at least 8 characters");
    }

    #[test]
    fn displays_the_message_only() {
        let e = FieldError::new("invalid_email", String::from("not an e-mail"));
        assert_eq!(e.to_string(), "not an e-mail");
    }
}
