//! The unique charge identifier (УИН, «уникальный идентификатор начисления»)
//! of the Federal Treasury's payment system (ГИС ГМП): the number a payer
//! puts in the «Код» field (22) of a payment order so that the payment is
//! matched to the charge, e.g. the state fee of a deal's registration (SPEC §4).
//!
//! Two forms exist (Приказ Минфина России от 12.11.2013 № 107н and the
//! Treasury's rules of ГИС ГМП):
//!
//! ```text
//! 20 digits: PPP SSSSSSSSSSSSSSSS C   prefix of the payee (e.g. 321, Rosreestr's
//!                                     code of the chief revenue administrator),
//!                                     then the payee's serial number, then C
//! 25 digits: UUUUUUUU SSSSSSSSSSSSSSSS C
//!                                     the payee's 8-digit УРН (its registration
//!                                     number in ГИС ГМП), a 16-digit serial, C
//! ```
//!
//! `C` is the control digit («контрольный разряд») of all the digits before
//! it, by the algorithm of the all-Russian classifiers (the «Методика
//! расчета контрольного числа» that 107н refers to):
//!
//! 1. the digits, from the most significant, get the weights 1, 2, …, 10,
//!    1, 2, … (the series repeats);
//! 2. the control digit is the sum of digit × weight modulo 11;
//! 3. if that is 10, the sum is taken again with the series shifted by two
//!    (3, 4, …, 10, 1, 2, 3, …); if the remainder is 10 again, the control
//!    digit is 0.
//!
//! All the digits may not be zero at once (107н: «все знаки … одновременно
//! не могут принимать значение ноль»), and «0» alone — what a payment order
//! carries when there is no УИН — is not a УИН.

use crate::FieldError;
use std::fmt;

/// Digits of the short form.
const SHORT: usize = 20;
/// Digits of the long form.
const LONG: usize = 25;
/// Digits of a payee's УРН, which starts the long form.
const URN_DIGITS: usize = 8;

/// Which of the two forms a [`Uin`] has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UinForm {
    /// 20 digits: a payee prefix, a serial number and the control digit.
    Twenty,
    /// 25 digits: the payee's 8-digit УРН, a 16-digit serial number and the
    /// control digit.
    TwentyFive,
}

/// A УИН whose control digit is right: 20 or 25 ASCII digits, not all zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uin(String);

impl Uin {
    /// Parses a УИН after trimming surrounding whitespace.
    ///
    /// Refusals: `uin_format` (not exactly 20 or 25 ASCII digits, or all of
    /// them zero), `uin_control_digit` (the last digit is not the control
    /// digit of the others).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if !(s.len() == SHORT || s.len() == LONG) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_error("a UIN has 20 or 25 digits"));
        }
        if s.bytes().all(|b| b == b'0') {
            return Err(format_error("a UIN cannot be all zeros"));
        }
        let (body, last) = s.as_bytes().split_at(s.len() - 1);
        if control_digit(body) != last[0] - b'0' {
            return Err(FieldError::new(
                "uin_control_digit",
                "the UIN's control digit does not match",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// Issues the УИН of a payee's charge number `serial`: the payee's code,
    /// the serial padded with zeros on the left, and the control digit.
    ///
    /// `payee_code` is either the payee's 8-digit УРН, which makes the
    /// 25-digit form (a serial below 10¹⁶), or, of any other length from 1
    /// to 18 digits, the prefix of the 20-digit form (the serial fills the
    /// 19 − length digits between the prefix and the control digit). An
    /// 8-digit prefix of the 20-digit form therefore cannot be issued.
    ///
    /// Refusals: `uin_format` (the code is not 1 to 18 ASCII digits, the
    /// serial does not fit its digits, or every digit would be zero).
    pub fn issue(payee_code: &str, serial: u64) -> Result<Self, FieldError> {
        if payee_code.is_empty()
            || payee_code.len() > SHORT - 2
            || !payee_code.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format_error(
                "the payee code of a UIN is an 8-digit URN or a prefix of 1 to 18 digits",
            ));
        }
        let total = if payee_code.len() == URN_DIGITS {
            LONG
        } else {
            SHORT
        };
        let width = total - 1 - payee_code.len();
        let serial = serial.to_string();
        if serial.len() > width {
            return Err(format_error(format!(
                "the serial number does not fit the {width} digits after the payee code"
            )));
        }
        let mut digits = String::with_capacity(total);
        digits.push_str(payee_code);
        digits.extend(std::iter::repeat_n('0', width - serial.len()));
        digits.push_str(&serial);
        if digits.bytes().all(|b| b == b'0') {
            return Err(format_error("a UIN cannot be all zeros"));
        }
        let control = control_digit(digits.as_bytes());
        digits.push(char::from(b'0' + control));
        Ok(Self(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Which form: 20 or 25 digits.
    pub fn form(&self) -> UinForm {
        if self.0.len() == LONG {
            UinForm::TwentyFive
        } else {
            UinForm::Twenty
        }
    }

    /// The payee's УРН, the first 8 digits of the 25-digit form; `None` for
    /// the 20-digit form, whose prefix length depends on the payee.
    pub fn urn(&self) -> Option<&str> {
        (self.form() == UinForm::TwentyFive).then(|| &self.0[..URN_DIGITS])
    }
}

fn format_error(message: impl Into<String>) -> FieldError {
    FieldError::new("uin_format", message)
}

/// The control digit of `body` (ASCII digits): the weighted sum modulo 11
/// with the weights 1‥10 repeated, or, when that is 10, with the series
/// shifted by two (3‥10, 1, 2, …); 0 when both are 10.
fn control_digit(body: &[u8]) -> u8 {
    match remainder(body, 1) {
        10 => match remainder(body, 3) {
            10 => 0,
            r => r,
        },
        r => r,
    }
}

/// `sum(digit × weight) % 11`, the weights running `first`, `first + 1`, …,
/// 10, 1, 2, … along the digits.
fn remainder(body: &[u8], first: u32) -> u8 {
    let sum: u32 = body
        .iter()
        .zip((1..=10u32).cycle().skip(first as usize - 1))
        .map(|(d, weight)| u32::from(d - b'0') * weight)
        .sum();
    // Below 11, so it fits.
    (sum % 11) as u8
}

impl fmt::Display for Uin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Uin {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        Uin::parse(input).unwrap_err().code
    }

    /// Vectors of an independent implementation of the same algorithm: the
    /// `UIN_VECTORS` of a TypeScript anonymiser's `checksums.test.ts`
    /// ("computed by `tonnaprava.common.uin.control_digit`"), found with the
    /// code search. Two of them (`10659935…655`, `34788783…756`) need the
    /// second, shifted series. The Treasury publishes the algorithm
    /// (107н; the classifiers' «Методика расчета контрольного числа», quoted
    /// e.g. at learn.chistoug.ru/kontrolnoe-chislo-dlya-koda-po-okpo-…) but no
    /// worked УИН; the worked examples below follow its steps by hand.
    const INDEPENDENT: [&str; 9] = [
        "10655260181590830162",
        "10656131860913909968",
        "10650308246281948214",
        "10659935181909378655",
        "1065797543231948757491189",
        "1065625276018955597971140",
        "1065710497465075291703420",
        "1065366712768426846563218",
        "34788783848372616756",
    ];

    #[test]
    fn accepts_the_vectors_of_an_independent_implementation() {
        for uin in INDEPENDENT {
            let parsed = Uin::parse(uin).unwrap();
            assert_eq!(parsed.as_str(), uin);
            let (body, last) = uin.as_bytes().split_at(uin.len() - 1);
            assert_eq!(control_digit(body), last[0] - b'0', "{uin}");
        }
    }

    #[test]
    fn worked_examples_follow_the_published_steps() {
        // (body, first-series sum, second-series sum, control digit)
        for (body, first, second, control) in [
            // 3·1 + 2·2 + 1·3 + 4·9 + 2·10 = 60; 60 % 11 = 5.
            ("3210000000000000042", 60, 64, 5),
            // 549 % 11 = 10, so again from weight 3: 599 % 11 = 5.
            ("1065993518190937865", 549, 599, 5),
            // 505 % 11 = 10 and 527 % 11 = 10: the control digit is 0.
            ("3215557966163752913", 505, 527, 0),
            // 25 digits: the weights wrap after 10 (0·1 + 1·2 + … + 1·4 = 6).
            ("010000000000000000000001", 6, 10, 6),
        ] {
            let sum = |first_weight: usize| -> u32 {
                body.bytes()
                    .zip((1..=10u32).cycle().skip(first_weight - 1))
                    .map(|(d, w)| u32::from(d - b'0') * w)
                    .sum()
            };
            assert_eq!((sum(1), sum(3)), (first, second), "{body}");
            assert_eq!(remainder(body.as_bytes(), 1), (first % 11) as u8);
            assert_eq!(remainder(body.as_bytes(), 3), (second % 11) as u8);
            assert_eq!(control_digit(body.as_bytes()), control, "{body}");
            let uin = format!("{body}{control}");
            assert!(Uin::parse(&uin).is_ok(), "{uin}");
        }
    }

    #[test]
    fn table_of_edges() {
        for (input, expected) in [
            ("32100000000000000425", Ok(UinForm::Twenty)),
            ("  32100000000000000425\t", Ok(UinForm::Twenty)),
            ("32155579661637529130", Ok(UinForm::Twenty)),
            ("0100000000000000000000016", Ok(UinForm::TwentyFive)),
            // The smallest bodies: a single 1 at the end.
            ("00000000000000000019", Ok(UinForm::Twenty)),
            ("0000000000000000000000014", Ok(UinForm::TwentyFive)),
            ("", Err("uin_format")),
            ("0", Err("uin_format")),
            ("00000000000000000000", Err("uin_format")),
            ("0000000000000000000000000", Err("uin_format")),
            ("3210000000000000042", Err("uin_format")),
            ("321000000000000004250", Err("uin_format")),
            ("010000000000000000000001", Err("uin_format")),
            ("01000000000000000000000160", Err("uin_format")),
            ("3210000000000000042 5", Err("uin_format")),
            ("321-0000000000000-0425", Err("uin_format")),
            ("3210000000000000042X", Err("uin_format")),
            ("+3210000000000000425", Err("uin_format")),
            (
                "３２１００００００００００００００４２５",
                Err("uin_format"),
            ),
            ("32100000000000000424", Err("uin_control_digit")),
            ("32155579661637529131", Err("uin_control_digit")),
            ("0100000000000000000000010", Err("uin_control_digit")),
            // The control digit of an all-zero body would be 0, but a
            // trailing non-zero digit is checked like any other.
            ("00000000000000000001", Err("uin_control_digit")),
        ] {
            let got = Uin::parse(input).map(|u| u.form()).map_err(|e| e.code);
            assert_eq!(got, expected, "{input:?}");
        }
    }

    /// Every string one digit away from `uin`, with the position changed.
    fn neighbours(uin: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for position in 0..uin.len() {
            for digit in b'0'..=b'9' {
                let mut changed = uin.as_bytes().to_vec();
                if changed[position] != digit {
                    changed[position] = digit;
                    out.push((position, String::from_utf8(changed).unwrap()));
                }
            }
        }
        out
    }

    #[test]
    fn a_single_digit_change_is_refused_unless_the_fallback_hides_it() {
        // Every weight is below 11, so changing one digit of the body always
        // changes the first remainder. The change goes unnoticed only when
        // the remainder-10 fallback is involved: the original's or the
        // changed body's first remainder is 10 and the second series happens
        // to give the old control digit. Such a string is a valid УИН in its
        // own right (the algorithm cannot tell), so it must be accepted.
        let mut hidden = 0;
        for uin in INDEPENDENT
            .iter()
            .copied()
            .chain(["32155579661637529130", "32100000000000000425"])
        {
            let (body, _) = uin.as_bytes().split_at(uin.len() - 1);
            for (position, changed) in neighbours(uin) {
                let Ok(_) = Uin::parse(&changed) else {
                    continue;
                };
                assert!(position < uin.len() - 1, "{uin} -> {changed}");
                let changed_body = &changed.as_bytes()[..uin.len() - 1];
                assert!(
                    remainder(body, 1) == 10 || remainder(changed_body, 1) == 10,
                    "{uin} -> {changed}"
                );
                hidden += 1;
            }
        }
        assert!(
            hidden > 0,
            "the limit of the algorithm shows in the vectors"
        );
    }

    #[test]
    fn every_single_digit_change_is_refused_where_the_fallback_cannot_hide_it() {
        // The control digit itself: exactly one value is right.
        for uin in INDEPENDENT {
            for (position, changed) in neighbours(uin) {
                if position == uin.len() - 1 {
                    assert_eq!(code(&changed), "uin_control_digit", "{changed}");
                }
            }
        }
        // УИНы none of whose neighbours reaches a remainder of 10 with the
        // same fallback digit: every one of their 9 × length neighbours is
        // refused.
        for uin in ["0100000000000000000000016", "32100000000000000026"] {
            let neighbours = neighbours(uin);
            assert_eq!(neighbours.len(), 9 * uin.len());
            for (_, changed) in neighbours {
                assert!(Uin::parse(&changed).is_err(), "{uin} -> {changed}");
            }
        }
    }

    #[test]
    fn the_fallback_can_hide_a_change() {
        // 3210000000000000042|5: the fifth digit 0 → 1 adds 5 to the first
        // sum (60 → 65, remainder 10); the shifted series gives 64 + 7 = 71,
        // remainder 5 — the same control digit. Both are valid УИНы.
        assert!(Uin::parse("32100000000000000425").is_ok());
        assert!(Uin::parse("32101000000000000425").is_ok());
    }

    #[test]
    fn issue_builds_both_forms() {
        let short = Uin::issue("321", 42).unwrap();
        assert_eq!(short.as_str(), "32100000000000000425");
        assert_eq!(short.form(), UinForm::Twenty);
        assert_eq!(short.urn(), None);

        let long = Uin::issue("01000000", 1).unwrap();
        assert_eq!(long.as_str(), "0100000000000000000000016");
        assert_eq!(long.form(), UinForm::TwentyFive);
        assert_eq!(long.urn(), Some("01000000"));
        assert_eq!(long.to_string(), "0100000000000000000000016");

        // The widest serials fill every digit.
        let widest = Uin::issue("7", 999_999_999_999_999_999).unwrap();
        assert_eq!(&widest.as_str()[..19], "7999999999999999999");
        let widest = Uin::issue("12345678", 9_999_999_999_999_999).unwrap();
        assert_eq!(&widest.as_str()[..24], "123456789999999999999999");
        let longest_prefix = Uin::issue("123456789012345678", 9).unwrap();
        assert_eq!(longest_prefix.as_str().len(), 20);

        // Whatever is issued parses, serial after serial.
        for serial in 0..2_000u64 {
            for code in ["321", "01234567", "18810"] {
                let uin = Uin::issue(code, serial).unwrap();
                assert_eq!(Uin::parse(uin.as_str()), Ok(uin.clone()));
                assert!(uin.as_str().starts_with(code));
            }
        }
    }

    #[test]
    fn issue_refuses_what_cannot_be_a_uin() {
        for (code, serial) in [
            ("", 1),
            ("32a", 1),
            ("１２３", 1),
            ("1234567890123456789", 1),
            ("321", 10_000_000_000_000_000),
            ("12345678", 10_000_000_000_000_000),
            ("123456789012345678", 10),
            ("000", 0),
            ("00000000", 0),
        ] {
            assert_eq!(
                Uin::issue(code, serial).unwrap_err().code,
                "uin_format",
                "{code:?} {serial}"
            );
        }
    }

    #[test]
    fn from_str_parses() {
        let uin: Uin = "32100000000000000425".parse().unwrap();
        assert_eq!(uin.as_str(), "32100000000000000425");
        assert_eq!(code("32100000000000000426"), "uin_control_digit");
    }
}
