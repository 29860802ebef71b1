//! INN, the Russian taxpayer identification number (ИНН).

use crate::FieldError;
use std::fmt;

/// Weights of the 10th digit of a legal entity's INN.
const WEIGHTS_10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
/// Weights of the 11th digit of a person's INN.
const WEIGHTS_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
/// Weights of the 12th digit of a person's INN.
const WEIGHTS_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// Whose INN it is, told by its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InnKind {
    /// 12 digits: a natural person, including a sole proprietor (ИП).
    Person,
    /// 10 digits: a legal entity (ЮЛ).
    LegalEntity,
}

/// An INN whose check digits are right: 10 digits for a legal entity, 12 for
/// a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Inn(String);

impl Inn {
    /// Parses an INN after trimming surrounding whitespace.
    ///
    /// Refusals: `inn_format` (not exactly 10 or 12 ASCII digits),
    /// `inn_checksum` (check digits wrong, per the Federal Tax Service
    /// algorithm: each check digit is the weighted sum of the digits before it
    /// modulo 11, then modulo 10).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        let all_ascii_digits = s.bytes().all(|b| b.is_ascii_digit());
        if !all_ascii_digits || !(d.len() == 10 || d.len() == 12) {
            return Err(FieldError::new(
                "inn_format",
                "an INN has 10 digits (legal entity) or 12 digits (person)",
            ));
        }
        let valid = if d.len() == 10 {
            check_digit(&d[..9], &WEIGHTS_10) == d[9]
        } else {
            check_digit(&d[..10], &WEIGHTS_11) == d[10]
                && check_digit(&d[..11], &WEIGHTS_12) == d[11]
        };
        if !valid {
            return Err(FieldError::new(
                "inn_checksum",
                "INN check digits do not match",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Person (12 digits) or legal entity (10 digits).
    pub fn kind(&self) -> InnKind {
        if self.0.len() == 12 {
            InnKind::Person
        } else {
            InnKind::LegalEntity
        }
    }
}

/// `sum(digit * weight) % 11 % 10`.
fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum % 11 % 10
}

impl fmt::Display for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        Inn::parse(input).unwrap_err().code
    }

    #[test]
    fn accepts_valid_legal_entities() {
        // Sberbank, Yandex, VTB, Tinkoff Bank.
        for ok in ["7707083893", "7736207543", "7702070139", "7710140679"] {
            let inn = Inn::parse(ok).unwrap();
            assert_eq!(inn.as_str(), ok);
            assert_eq!(inn.kind(), InnKind::LegalEntity);
            assert_eq!(inn.to_string(), ok);
        }
    }

    #[test]
    fn accepts_valid_persons() {
        for ok in ["500100732259", "773370857141", "366317287617"] {
            let inn = Inn::parse(ok).unwrap();
            assert_eq!(inn.as_str(), ok);
            assert_eq!(inn.kind(), InnKind::Person);
        }
    }

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(Inn::parse(" 7707083893\n").unwrap().as_str(), "7707083893");
    }

    #[test]
    fn refuses_wrong_check_digits() {
        for bad in [
            "7707083894", // last digit changed
            "7707083993", // a body digit changed
            "7736207542",
            "500100732258", // 12th digit changed
            "500100732269", // 11th digit changed
            "500100742259", // a body digit changed
            "773370857142",
            "772053470602",
        ] {
            assert_eq!(code(bad), "inn_checksum", "{bad}");
        }
    }

    #[test]
    fn refuses_bad_formats() {
        for bad in [
            "",
            "   ",
            "770708389",
            "77070838930",
            "5001007322590",
            "7707 083893",
            "7707-083893",
            "77070838ab",
            "+707083893",
            "٧٧٠٧٠٨٣٨٩٣",
        ] {
            assert_eq!(code(bad), "inn_format", "{bad:?}");
        }
    }

    #[test]
    fn check_digit_examples() {
        assert_eq!(check_digit(&[7, 7, 0, 7, 0, 8, 3, 8, 9], &WEIGHTS_10), 3);
        assert_eq!(check_digit(&[5, 0, 0, 1, 0, 0, 7, 3, 2, 2], &WEIGHTS_11), 5);
        assert_eq!(
            check_digit(&[5, 0, 0, 1, 0, 0, 7, 3, 2, 2, 5], &WEIGHTS_12),
            9
        );
    }
}
