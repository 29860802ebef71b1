//! Cadastral numbers (кадастровый номер): `NN:NN:NNNNNNN:NNNN`.

use crate::FieldError;
use std::fmt;

/// A cadastral number: district (2 digits), area (2), quarter (6 or 7) and
/// the object's number within the quarter (1 to 7 digits), separated by
/// colons, e.g. `50:23:0040312:118`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CadastralNumber(String);

impl CadastralNumber {
    /// Parses a cadastral number; surrounding whitespace is trimmed and
    /// spaces around the colons are dropped. Refusal: `cadastral_number_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "cadastral_number_format",
                "a cadastral number looks like 50:23:0040312:118 (NN:NN:NNNNNNN:NNNN)",
            )
        };
        let parts: Vec<&str> = input.trim().split(':').map(str::trim).collect();
        let [district, area, quarter, object] = parts.as_slice() else {
            return Err(invalid());
        };
        let digits = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if digits(district, 2, 2)
            && digits(area, 2, 2)
            && digits(quarter, 6, 7)
            && digits(object, 1, 7)
        {
            Ok(Self(format!("{district}:{area}:{quarter}:{object}")))
        } else {
            Err(invalid())
        }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The cadastral district (the first two digits).
    pub fn district(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for CadastralNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_forms() {
        let n = CadastralNumber::parse(" 50:23:0040312:118 ").unwrap();
        assert_eq!(n.as_str(), "50:23:0040312:118");
        assert_eq!(n.district(), "50");
        assert_eq!(
            CadastralNumber::parse("77 : 01 : 000401 : 1")
                .unwrap()
                .as_str(),
            "77:01:000401:1"
        );
        assert!(CadastralNumber::parse("23:43:0000000:1234567").is_ok());
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "50:23:0040312",
            "50:23:0040312:118:1",
            "5:23:0040312:118",
            "50:233:0040312:118",
            "50:23:00403:118",
            "50:23:00403120:118",
            "50:23:0040312:",
            "50:23:0040312:12345678",
            "50-23-0040312-118",
            "5a:23:0040312:118",
            "５０:23:0040312:118",
        ] {
            let err = CadastralNumber::parse(bad).unwrap_err();
            assert_eq!(err.code, "cadastral_number_format", "{bad}");
        }
    }
}
