//! Phone numbers, normalised to E.164.

use crate::FieldError;
use std::fmt;

/// Fewest digits after `+` accepted as an international number.
const MIN_E164_DIGITS: usize = 8;
/// Most digits after `+` (E.164 maximum).
const MAX_E164_DIGITS: usize = 15;

/// A phone number in E.164 form (`+79123456789`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses a phone number as people type it.
    ///
    /// Whitespace, hyphens, dots and parentheses are dropped first. Then:
    /// `8XXXXXXXXXX` and `7XXXXXXXXXX` (11 digits, Russian trunk or country
    /// prefix) become `+7XXXXXXXXXX`; a 10-digit number starting with 9 (a
    /// Russian mobile without prefix) becomes `+79…`; `+` followed by 8–15
    /// digits, the first not 0, is taken as E.164. Anything else is refused
    /// with `phone_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let compact: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')')))
            .collect();
        normalise(&compact).map(Self).ok_or_else(|| {
            FieldError::new(
                "phone_format",
                "enter a phone number such as +7 912 345-67-89",
            )
        })
    }

    /// The number in E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// E.164 form of a number without separators, if it is one.
fn normalise(s: &str) -> Option<String> {
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = s.strip_prefix('+') {
        let ok = all_digits(rest)
            && (MIN_E164_DIGITS..=MAX_E164_DIGITS).contains(&rest.len())
            && !rest.starts_with('0');
        return ok.then(|| s.to_owned());
    }
    if !all_digits(s) {
        return None;
    }
    match (s.len(), s.as_bytes()[0]) {
        (11, b'7' | b'8') => Some(format!("+7{}", &s[1..])),
        (10, b'9') => Some(format!("+7{s}")),
        _ => None,
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str) -> String {
        Phone::parse(input).unwrap().as_str().to_owned()
    }

    #[test]
    fn normalises_russian_numbers() {
        for typed in [
            "+7 (912) 345-67-89",
            "+79123456789",
            "8 (912) 345-67-89",
            "89123456789",
            "7 912 345 67 89",
            "79123456789",
            "912 345-67-89",
            "9123456789",
            "8.912.345.67.89",
            "  +7\u{a0}912\t345 67 89 ",
        ] {
            assert_eq!(e164(typed), "+79123456789", "{typed:?}");
        }
        // Landlines with the 8 trunk prefix too.
        assert_eq!(e164("8 (495) 123-45-67"), "+74951234567");
    }

    #[test]
    fn accepts_international_numbers() {
        assert_eq!(e164("+375 29 123-45-67"), "+375291234567");
        assert_eq!(e164("+44 20 7946 0958"), "+442079460958");
        assert_eq!(e164("+1 (202) 555-0143"), "+12025550143");
        assert_eq!(e164("+12345678"), "+12345678"); // 8 digits: the shortest
        assert_eq!(e164("+123456789012345"), "+123456789012345"); // 15: the longest
        assert_eq!(
            Phone::parse("+79123456789").unwrap().to_string(),
            "+79123456789"
        );
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "   ",
            "+",
            "+1234567",
            "+1234567890123456",
            "+0123456789",
            "++79123456789",
            "+7912345678a",
            "7+9123456789",
            "8912345678",
            "891234567890",
            "69123456789",
            "8123456789",
            "912345678",
            "12345",
            "+7 912 345/67/89",
            "+7 912 345 67 89 ext 1",
            "８９１２３４５６７８９",
        ] {
            assert_eq!(
                Phone::parse(bad).unwrap_err().code,
                "phone_format",
                "{bad:?}"
            );
        }
    }
}
