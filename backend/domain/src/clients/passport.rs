//! A Russian internal passport (паспорт гражданина РФ): its series, its
//! number and the issuing office's code (код подразделения).

use crate::FieldError;
use std::fmt;

/// A passport series: 4 digits, the region's two and the year's two
/// (`45 06`).
///
/// Stored as the bare digits (`4506`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassportSeries(String);

impl PassportSeries {
    /// Parses a series after trimming surrounding whitespace.
    ///
    /// Accepts 4 ASCII digits, either together (`4506`) or as two pairs
    /// separated by one space (`45 06`). Refusal: `passport_series_format`
    /// (anything else).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let digits: String = match s.split_once(' ') {
            Some((region, year)) if region.len() == 2 && year.len() == 2 => [region, year].concat(),
            Some(_) => String::new(),
            None => s.to_owned(),
        };
        if digits.len() == 4 && all_ascii_digits(&digits) {
            Ok(Self(digits))
        } else {
            Err(FieldError::new(
                "passport_series_format",
                "a passport series has 4 digits, e.g. 45 06",
            ))
        }
    }

    /// The 4 digits without the space.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PassportSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A passport number: 6 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassportNumber(String);

impl PassportNumber {
    /// Parses a number after trimming surrounding whitespace.
    ///
    /// Refusal: `passport_number_format` (not exactly 6 ASCII digits).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.len() == 6 && all_ascii_digits(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(
                "passport_number_format",
                "a passport number has 6 digits",
            ))
        }
    }

    /// The 6 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PassportNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The code of the office that issued a passport (код подразделения):
/// 6 digits, written `NNN-NNN`.
///
/// Stored in the written form (`770-001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IssuerCode(String);

impl IssuerCode {
    /// Parses an issuer code after trimming surrounding whitespace.
    ///
    /// Accepts `NNN-NNN` and the bare `NNNNNN`, normalised to `NNN-NNN`.
    /// Refusal: `issuer_code_format` (anything else).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let (office, unit) = match s.split_once('-') {
            Some(halves) => halves,
            None if s.is_char_boundary(3) => s.split_at(3),
            None => ("", ""),
        };
        if office.len() == 3
            && unit.len() == 3
            && all_ascii_digits(office)
            && all_ascii_digits(unit)
        {
            Ok(Self(format!("{office}-{unit}")))
        } else {
            Err(FieldError::new(
                "issuer_code_format",
                "an issuer code has 6 digits, e.g. 770-001",
            ))
        }
    }

    /// The code as `NNN-NNN`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IssuerCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether every byte of `s` is an ASCII digit (true for an empty `s`).
fn all_ascii_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_accepts_and_normalises() {
        for (input, digits) in [
            ("4506", "4506"),
            ("45 06", "4506"),
            ("  45 06\t", "4506"),
            (" 0000 ", "0000"),
        ] {
            let s = PassportSeries::parse(input).unwrap();
            assert_eq!(s.as_str(), digits, "{input:?}");
            assert_eq!(s.to_string(), digits, "{input:?}");
        }
    }

    #[test]
    fn series_refuses_bad_formats() {
        for bad in [
            "",
            "   ",
            "450",
            "45066",
            "45  06",
            "4 506",
            "450 6",
            "45-06",
            "45\t06",
            "45 0 6",
            "45a6",
            "٤٥٠٦",
            "４５０６",
            "45\u{a0}06",
        ] {
            assert_eq!(
                PassportSeries::parse(bad).unwrap_err().code,
                "passport_series_format",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn number_accepts_six_digits() {
        for (input, digits) in [("123456", "123456"), (" 000001\n", "000001")] {
            let n = PassportNumber::parse(input).unwrap();
            assert_eq!(n.as_str(), digits, "{input:?}");
            assert_eq!(n.to_string(), digits);
        }
    }

    #[test]
    fn number_refuses_bad_formats() {
        for bad in [
            "",
            "   ",
            "12345",
            "1234567",
            "123 456",
            "123-456",
            "12345a",
            "+12345",
            "١٢٣٤٥٦",
            "１２３４５６",
        ] {
            assert_eq!(
                PassportNumber::parse(bad).unwrap_err().code,
                "passport_number_format",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn issuer_code_accepts_and_normalises() {
        for (input, code) in [
            ("770-001", "770-001"),
            ("770001", "770-001"),
            (" 500-100 ", "500-100"),
            ("000000", "000-000"),
        ] {
            let c = IssuerCode::parse(input).unwrap();
            assert_eq!(c.as_str(), code, "{input:?}");
            assert_eq!(c.to_string(), code);
        }
    }

    #[test]
    fn issuer_code_refuses_bad_formats() {
        for bad in [
            "",
            "   ",
            "77000",
            "7700011",
            "770-01",
            "7700-01",
            "77-0001",
            "770 001",
            "770--001",
            "770-001-",
            "-770001",
            "770_001",
            "77a-001",
            "ж70001",
            "770ж01",
            "٧٧٠-٠٠١",
        ] {
            assert_eq!(
                IssuerCode::parse(bad).unwrap_err().code,
                "issuer_code_format",
                "{bad:?}"
            );
        }
    }
}
