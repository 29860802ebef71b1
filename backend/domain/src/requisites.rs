//! Bank details (реквизиты) for contracts (docs/accounts.md, "Requisites"): BIK, settlement
//! and correspondent accounts with their control keys, KPP.
//!
//! A Russian settlement account is checked against the bank's BIK with the
//! Bank of Russia's control-key rule: the last three digits of the BIK
//! followed by the 20 account digits, weighted 7, 1, 3, 7, 1, 3, …, must
//! give a sum whose last digit is 0. A correspondent account is checked the
//! same way with `0` and the BIK's 5th–6th digits in front.

use crate::FieldError;

fn digits_only(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn exactly_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the 23 digits pass the Bank of Russia control-key rule.
fn control_key_ok(digits: &str) -> bool {
    const WEIGHTS: [u32; 3] = [7, 1, 3];
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| (u32::from(b - b'0') * WEIGHTS[i % 3]) % 10)
        .sum();
    sum.is_multiple_of(10)
}

/// A bank identification code: 9 digits starting with `04`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bik(String);

impl Bik {
    /// Refusal: `bik_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = digits_only(input);
        if !exactly_digits(&s, 9) || !s.starts_with("04") {
            return Err(FieldError::new(
                "bik_format",
                "a BIK is 9 digits starting with 04",
            ));
        }
        Ok(Self(s))
    }

    /// The 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A settlement account (расчётный счёт), checked against a BIK.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Account(String);

impl Account {
    /// Refusals: `account_format` (not 20 digits), `account_checksum` (the
    /// control key does not match the bank's BIK).
    pub fn parse(input: &str, bik: &Bik) -> Result<Self, FieldError> {
        let s = digits_only(input);
        if !exactly_digits(&s, 20) {
            return Err(FieldError::new(
                "account_format",
                "an account number is 20 digits",
            ));
        }
        if !control_key_ok(&format!("{}{s}", &bik.0[6..9])) {
            return Err(FieldError::new(
                "account_checksum",
                "the account number does not match the bank's BIK (control key)",
            ));
        }
        Ok(Self(s))
    }

    /// The 20 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A bank's correspondent account (корр. счёт), `30101…`, checked against
/// its BIK.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CorrespondentAccount(String);

impl CorrespondentAccount {
    /// Refusals: `account_format` (not 20 digits starting with 30101),
    /// `account_checksum` (the control key does not match the BIK).
    pub fn parse(input: &str, bik: &Bik) -> Result<Self, FieldError> {
        let s = digits_only(input);
        if !exactly_digits(&s, 20) || !s.starts_with("30101") {
            return Err(FieldError::new(
                "account_format",
                "a correspondent account is 20 digits starting with 30101",
            ));
        }
        if !control_key_ok(&format!("0{}{s}", &bik.0[4..6])) {
            return Err(FieldError::new(
                "account_checksum",
                "the correspondent account does not match the bank's BIK (control key)",
            ));
        }
        Ok(Self(s))
    }

    /// The 20 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tax registration reason code (КПП): 4 digits, 2 digits or capital
/// Latin letters, 3 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Kpp(String);

impl Kpp {
    /// Refusal: `kpp_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s: String = input.trim().to_owned();
        let b = s.as_bytes();
        let ok = b.len() == 9
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4..6]
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && b[6..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(FieldError::new(
                "kpp_format",
                "a KPP is 9 characters: 4 digits, 2 digits or capital letters, 3 digits",
            ));
        }
        Ok(Self(s))
    }

    /// The 9 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A required free-text field of the requisites (recipient, bank name):
/// trimmed, inner whitespace collapsed, 1–`max` characters, no control
/// characters. Refusals: `required`, `too_long`, `invalid_text`.
pub fn text(input: &str, max: usize) -> Result<String, FieldError> {
    let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err(FieldError::new("required", "This field is required."));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(
            "too_long",
            format!("Must be at most {max} characters."),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(
            "invalid_text",
            "control characters are not allowed",
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SBER: &str = "044525225";

    #[test]
    fn bik() {
        assert_eq!(Bik::parse(" 044525225 ").unwrap().as_str(), SBER);
        for bad in ["", "04452522", "0445252250", "144525225", "04452522x"] {
            assert_eq!(Bik::parse(bad).unwrap_err().code, "bik_format", "{bad}");
        }
    }

    #[test]
    fn accounts_match_the_bik() {
        let bik = Bik::parse(SBER).unwrap();
        assert!(Account::parse("40702810938000012345", &bik).is_ok());
        assert!(Account::parse("4080 2810 1000 0000 0001", &bik).is_ok());
        assert_eq!(
            Account::parse("40702810038000012345", &bik)
                .unwrap_err()
                .code,
            "account_checksum"
        );
        assert_eq!(
            Account::parse("4070281093800001234", &bik)
                .unwrap_err()
                .code,
            "account_format"
        );
        assert!(CorrespondentAccount::parse("30101810400000000225", &bik).is_ok());
        assert_eq!(
            CorrespondentAccount::parse("30101810500000000225", &bik)
                .unwrap_err()
                .code,
            "account_checksum"
        );
        assert_eq!(
            CorrespondentAccount::parse("40702810938000012345", &bik)
                .unwrap_err()
                .code,
            "account_format"
        );
    }

    #[test]
    fn kpp() {
        assert!(Kpp::parse("773601001").is_ok());
        assert!(Kpp::parse("7736AB001").is_ok());
        for bad in ["77360100", "7736ab001", "A73601001", "7736010011"] {
            assert_eq!(Kpp::parse(bad).unwrap_err().code, "kpp_format", "{bad}");
        }
    }

    #[test]
    fn free_text() {
        assert_eq!(text("  ООО   «Ромашка» ", 300).unwrap(), "ООО «Ромашка»");
        assert_eq!(text("   ", 300).unwrap_err().code, "required");
        assert_eq!(text("abcd", 3).unwrap_err().code, "too_long");
    }
}
