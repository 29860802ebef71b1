//! A person's full name (ФИО).

use crate::FieldError;
use mezha_api_types::limits::FULL_NAME_MAX_CHARS;
use std::fmt;

/// Longest full name, in characters, after whitespace is collapsed.
const MAX_CHARS: usize = FULL_NAME_MAX_CHARS as usize;

/// Apostrophes people type in names: ASCII, typographic and the modifier
/// letter used in Ukrainian and Belarusian.
const APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{02BC}'];

/// A full name: letters of any script, with spaces, hyphens, apostrophes and
/// dots between them (`Анна-Мария Петрова`, `O'Neil J. R.`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FullName(String);

impl FullName {
    /// Trims `input` and collapses inner whitespace to single spaces, then
    /// checks it.
    ///
    /// Refusals: `required` (empty), `too_long` (over 200 characters),
    /// `full_name_chars` (a character other than a letter, space, hyphen,
    /// apostrophe or dot, or no letter at all).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(FieldError::new("required", "enter your full name"));
        }
        if name.chars().count() > MAX_CHARS {
            return Err(FieldError::new(
                "too_long",
                format!("a full name has at most {MAX_CHARS} characters"),
            ));
        }
        let allowed = |c: char| {
            c.is_alphabetic() || c == ' ' || c == '-' || c == '.' || APOSTROPHES.contains(&c)
        };
        if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
            return Err(FieldError::new(
                "full_name_chars",
                "a full name holds only letters, spaces, hyphens, apostrophes and dots",
            ));
        }
        Ok(Self(name))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        FullName::parse(input).unwrap_err().code
    }

    #[test]
    fn accepts_names_in_any_script() {
        for ok in [
            "Иванов Иван Иванович",
            "Салтыков-Щедрин Михаил Евграфович",
            "Ёлкина Алёна",
            "O'Neil",
            "D\u{2019}Artagnan",
            "Мар\u{02BC}яна",
            "John R. R. Tolkien",
            "Zoë Ångström",
            "Çağlar Şahin",
            "Γιώργος",
            "李小龍",
            "A",
        ] {
            assert_eq!(FullName::parse(ok).unwrap().as_str(), ok, "{ok}");
        }
    }

    #[test]
    fn trims_and_collapses_whitespace() {
        let n = FullName::parse("  Иванов \t Иван\n\nИванович  ").unwrap();
        assert_eq!(n.as_str(), "Иванов Иван Иванович");
        assert_eq!(n.to_string(), "Иванов Иван Иванович");
        assert_eq!(
            FullName::parse("Анна\u{a0}Петрова").unwrap().as_str(),
            "Анна Петрова"
        );
    }

    #[test]
    fn requires_a_value() {
        assert_eq!(code(""), "required");
        assert_eq!(code(" \t\n "), "required");
    }

    #[test]
    fn limits_the_length_after_collapsing() {
        let max = "я".repeat(MAX_CHARS);
        assert!(FullName::parse(&max).is_ok());
        assert_eq!(code(&"я".repeat(MAX_CHARS + 1)), "too_long");
        // Spaces that collapse do not count.
        let padded = format!("{}     {}", "a".repeat(99), "b".repeat(100));
        assert_eq!(FullName::parse(&padded).unwrap().as_str().len(), 200);
    }

    #[test]
    fn refuses_other_characters() {
        for bad in [
            "Иван2",
            "R2-D2",
            "user@example.com",
            "Иван, Пётр",
            "Иван_Иванов",
            "<script>",
            "Пётр (Петя)",
            "Иван\u{0}Иванов",
            "Smile 😀",
            "---",
            "' . -",
        ] {
            assert_eq!(code(bad), "full_name_chars", "{bad:?}");
        }
    }
}
