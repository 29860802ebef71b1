//! OGRN, the primary state registration number (ОГРН) of a legal entity,
//! and OGRNIP (ОГРНИП), that of a sole proprietor (docs/accounts.md,
//! "Requisites").

use crate::FieldError;
use crate::inn::InnKind;
use std::fmt;

/// Whose registration number it is, told by its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OgrnKind {
    /// 13 digits: a legal entity (ОГРН).
    LegalEntity,
    /// 15 digits: a sole proprietor (ОГРНИП).
    SoleProprietor,
}

/// An OGRN or OGRNIP whose check digit is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ogrn(String);

impl Ogrn {
    /// Parses an OGRN (13 digits) or OGRNIP (15 digits) after trimming
    /// surrounding whitespace.
    ///
    /// Refusals: `ogrn_format` (not 13 or 15 ASCII digits), `ogrn_checksum`
    /// (the last digit is not the number of the digits before it modulo 11
    /// for an OGRN, modulo 13 for an OGRNIP, then modulo 10).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) || !(s.len() == 13 || s.len() == 15) {
            return Err(FieldError::new(
                "ogrn_format",
                "an OGRN has 13 digits (legal entity), an OGRNIP 15 (sole proprietor)",
            ));
        }
        let (body, check) = s.split_at(s.len() - 1);
        let modulus = if s.len() == 13 { 11 } else { 13 };
        // At most 14 digits: fits a u64.
        let number: u64 = body.parse().unwrap_or(0);
        let expected = number % modulus % 10;
        if check.parse::<u64>().ok() != Some(expected) {
            return Err(FieldError::new(
                "ogrn_checksum",
                "the OGRN's check digit does not match",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// Parses `input` as the registration number of the holder of an INN
    /// of `inn` kind: an OGRN for a legal entity's, an OGRNIP for a
    /// person's (who is then a sole proprietor). Refusal beyond
    /// [`Ogrn::parse`]'s: `ogrn_inn_mismatch`.
    pub fn parse_for(input: &str, inn: InnKind) -> Result<Self, FieldError> {
        let ogrn = Self::parse(input)?;
        match (inn, ogrn.kind()) {
            (InnKind::LegalEntity, OgrnKind::LegalEntity)
            | (InnKind::Person, OgrnKind::SoleProprietor) => Ok(ogrn),
            (InnKind::LegalEntity, OgrnKind::SoleProprietor) => Err(FieldError::new(
                "ogrn_inn_mismatch",
                "a legal entity (10-digit INN) has a 13-digit OGRN",
            )),
            (InnKind::Person, OgrnKind::LegalEntity) => Err(FieldError::new(
                "ogrn_inn_mismatch",
                "a sole proprietor (12-digit INN) has a 15-digit OGRNIP",
            )),
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Legal entity (13 digits) or sole proprietor (15 digits).
    pub fn kind(&self) -> OgrnKind {
        if self.0.len() == 15 {
            OgrnKind::SoleProprietor
        } else {
            OgrnKind::LegalEntity
        }
    }
}

impl fmt::Display for Ogrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        Ogrn::parse(input).unwrap_err().code
    }

    #[test]
    fn accepts_registered_numbers() {
        // Sberbank, VTB, Tinkoff Bank: OGRN.
        for ok in ["1027700132195", "1027739609391", "1027739642281"] {
            let ogrn = Ogrn::parse(ok).unwrap();
            assert_eq!(ogrn.as_str(), ok);
            assert_eq!(ogrn.kind(), OgrnKind::LegalEntity);
        }
        for ok in ["304500116000157", "304463210700212"] {
            let ogrn = Ogrn::parse(&format!(" {ok}\n")).unwrap();
            assert_eq!(ogrn.to_string(), ok);
            assert_eq!(ogrn.kind(), OgrnKind::SoleProprietor);
        }
    }

    #[test]
    fn refuses_wrong_check_digits_and_formats() {
        assert_eq!(code("1027700132196"), "ogrn_checksum");
        assert_eq!(code("304500116000158"), "ogrn_checksum");
        for bad in [
            "",
            "102770013219",
            "10277001321955",
            "1027700132l95",
            "１０２７７００１３２１９５",
        ] {
            assert_eq!(code(bad), "ogrn_format", "{bad:?}");
        }
    }

    #[test]
    fn the_number_matches_the_inn() {
        assert!(Ogrn::parse_for("1027700132195", InnKind::LegalEntity).is_ok());
        assert!(Ogrn::parse_for("304500116000157", InnKind::Person).is_ok());
        let wrong = |input, inn| Ogrn::parse_for(input, inn).unwrap_err().code;
        assert_eq!(
            wrong("304500116000157", InnKind::LegalEntity),
            "ogrn_inn_mismatch"
        );
        assert_eq!(wrong("1027700132195", InnKind::Person), "ogrn_inn_mismatch");
    }
}
