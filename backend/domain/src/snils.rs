//! SNILS, the Russian individual insurance account number (СНИЛС).

use crate::FieldError;
use std::fmt;

/// Number of digits in a SNILS.
const DIGITS: usize = 11;
/// The check number is defined only for numbers above 001-001-998.
const CHECKED_ABOVE: u32 = 1_001_998;

/// A SNILS: 11 digits whose last two are the check number of the first nine.
///
/// Stored as the bare digits; [`Snils::formatted`] (and `Display`) give the
/// usual `NNN-NNN-NNN NN` form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snils(String);

impl Snils {
    /// Parses a SNILS typed with or without separators.
    ///
    /// Accepts 11 digits with optional spaces or hyphens between them
    /// (`112-233-445 95`, `11223344595`); surrounding whitespace is trimmed.
    /// Refusals: `snils_format` (anything else), `snils_checksum` (the last
    /// two digits are not the check number of the first nine). Numbers up to
    /// 001-001-998 are accepted without the check, for which the algorithm is
    /// not defined.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits = extract_digits(input.trim()).ok_or_else(|| {
            FieldError::new("snils_format", "a SNILS has 11 digits, e.g. 112-233-445 95")
        })?;
        let bytes = digits.as_bytes();
        let number = bytes[..9]
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        if number > CHECKED_ABOVE {
            let given = u32::from(bytes[9] - b'0') * 10 + u32::from(bytes[10] - b'0');
            if check_number(&bytes[..9]) != given {
                return Err(FieldError::new(
                    "snils_checksum",
                    "SNILS check digits do not match",
                ));
            }
        }
        Ok(Self(digits))
    }

    /// The 11 digits without separators.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The usual written form, `NNN-NNN-NNN NN`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!("{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

/// The 11 ASCII digits of `s`, when `s` is exactly 11 digits with optional
/// runs of whitespace or hyphens between them; `None` otherwise.
fn extract_digits(s: &str) -> Option<String> {
    let mut digits = String::with_capacity(DIGITS);
    let mut after_separator = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if digits.len() == DIGITS {
                return None;
            }
            digits.push(c);
            after_separator = false;
        } else if c == '-' || c.is_whitespace() {
            if digits.is_empty() {
                return None;
            }
            after_separator = true;
        } else {
            return None;
        }
    }
    (digits.len() == DIGITS && !after_separator).then_some(digits)
}

/// The check number of the first nine digits (ASCII bytes).
fn check_number(first9: &[u8]) -> u32 {
    let sum: u32 = first9
        .iter()
        .zip((1..=9u32).rev())
        .map(|(d, weight)| u32::from(d - b'0') * weight)
        .sum();
    match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            check => check,
        },
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        Snils::parse(input).unwrap_err().code
    }

    #[test]
    fn accepts_the_reference_number_in_every_spelling() {
        for ok in [
            "112-233-445 95",
            "11223344595",
            "112 233 445 95",
            "112-233-445-95",
            "  112-233-445 95\t",
            "1 1 2 2 3 3 4 4 5 9 5",
            "112 - 233 - 445  95",
        ] {
            let s = Snils::parse(ok).unwrap();
            assert_eq!(s.digits(), "11223344595", "{ok:?}");
            assert_eq!(s.formatted(), "112-233-445 95");
            assert_eq!(s.to_string(), "112-233-445 95");
        }
    }

    #[test]
    fn checks_the_check_number() {
        // (first nine digits, check number): sums below 100, exactly 100 and
        // 101 (check 00), above 101, and with sum % 101 == 100 (check 00).
        for (valid, invalid) in [
            ("11223344595", "11223344594"),
            ("12345678964", "12345678965"),
            ("10058205299", "10058205298"),
            ("05023431600", "05023431601"),
            ("01610339600", "01610339601"),
            ("70020162101", "70020162100"),
            ("82098123300", "82098123399"),
            ("36889897500", "36889897501"),
            ("08765430300", "08765430301"),
            ("99999999901", "99999999900"),
            ("98765432183", "98765432188"),
        ] {
            assert!(Snils::parse(valid).is_ok(), "{valid}");
            assert_eq!(code(invalid), "snils_checksum", "{invalid}");
        }
        // A changed digit among the first nine breaks the check too.
        assert_eq!(code("112-233-446 95"), "snils_checksum");
    }

    #[test]
    fn check_number_follows_the_algorithm() {
        assert_eq!(check_number(b"112233445"), 95);
        assert_eq!(check_number(b"050234316"), 0); // sum 100
        assert_eq!(check_number(b"016103396"), 0); // sum 101
        assert_eq!(check_number(b"700201621"), 1); // sum 102
        assert_eq!(check_number(b"820981233"), 0); // sum 201: 201 % 101 = 100
        assert_eq!(check_number(b"100582052"), 99); // sum 99
    }

    #[test]
    fn small_numbers_skip_the_check() {
        // 001-001-998 and below: the check number is not defined.
        assert!(Snils::parse("001-001-998 00").is_ok());
        assert!(Snils::parse("001-001-998 77").is_ok());
        assert!(Snils::parse("000-000-001 42").is_ok());
        // 001-001-999 is the first checked number (sum 65).
        assert!(Snils::parse("001-001-999 65").is_ok());
        assert_eq!(code("001-001-999 00"), "snils_checksum");
    }

    #[test]
    fn refuses_bad_formats() {
        for bad in [
            "",
            "   ",
            "1122334459",
            "112233445955",
            "112-233-445 9",
            "112_233_445_95",
            "112.233.445 95",
            "112-233-445 9a",
            "-11223344595",
            "11223344595-",
            "SNILS 11223344595",
            "١١٢٢٣٣٤٤٥٩٥",
            "１１２２３３４４５９５",
        ] {
            assert_eq!(code(bad), "snils_format", "{bad:?}");
        }
    }
}
