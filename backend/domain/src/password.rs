//! New passwords chosen at registration or reset (docs/accounts.md, "Registration and passwords").

use crate::FieldError;
use mezha_api_types::limits::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

/// Shortest acceptable password, in characters.
const MIN_CHARS: usize = PASSWORD_MIN_CHARS as usize;
/// Longest acceptable password, in characters (bounds the hashing work).
const MAX_CHARS: usize = PASSWORD_MAX_CHARS as usize;

/// The most common passwords of at least eight characters, lowercase, one a
/// line (English and Russian-speaking users' favourites).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// [`COMMON_PASSWORDS`] as a set, built on first use.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// Keyboard rows and alphabets (digits wrap around, so `90123456` counts):
/// any contiguous piece of one of these, read forwards or backwards, is a
/// "run" such as `12345678`, `87654321`, `qwertyui`, `йцукенгш` or
/// `1q2w3e4r`. Lowercase.
const RUNS: &[&str] = &[
    "01234567890123456789",
    "1234567890-=",
    "!@#$%^&*()_+",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop[]",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "qwertyuiopasdfghjklzxcvbnm",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "1q2w3e4r5t6y7u8i9o0p",
    "q1w2e3r4t5y6u7i8o9p0",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "йцукенгшщзхъфывапролджэячсмитьбю",
];

/// A password that meets the policy: 8–128 characters and not trivially
/// guessable. The text is kept verbatim (not trimmed) because it is what the
/// user will type; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `input` against the policy.
    ///
    /// Refusals, in this order: `too_short` (under 8 characters), `too_long`
    /// (over 128), `too_common` (on the common-password list, a single
    /// repeated character, or a run of digits or keyboard keys; compared
    /// case-insensitively after trimming). Length counts characters, not bytes.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err(FieldError::new(
                "too_short",
                format!("a password needs at least {MIN_CHARS} characters"),
            ));
        }
        if chars > MAX_CHARS {
            return Err(FieldError::new(
                "too_long",
                format!("a password has at most {MAX_CHARS} characters"),
            ));
        }
        if is_too_common(input) {
            return Err(FieldError::new(
                "too_common",
                "this password is too common or too easy to guess",
            ));
        }
        Ok(Self(input.to_owned()))
    }

    /// The password itself, for hashing. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Whether `password` is listed, one repeated character, or a run.
fn is_too_common(password: &str) -> bool {
    let norm = password.trim().to_lowercase();
    COMMON.contains(norm.as_str()) || is_repeated_char(&norm) || is_run(&norm)
}

/// Whether `s` is empty or made of one character repeated.
fn is_repeated_char(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        None => true,
        Some(first) => chars.all(|c| c == first),
    }
}

/// Whether `s` is a contiguous piece of one of [`RUNS`], either direction.
fn is_run(s: &str) -> bool {
    let reversed: String = s.chars().rev().collect();
    RUNS.iter()
        .any(|row| row.contains(s) || row.contains(reversed.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        NewPassword::parse(input).unwrap_err().code
    }

    #[test]
    fn accepts_reasonable_passwords() {
        for ok in [
            "correct horse battery staple",
            "Tr0ub4dor&3",
            "n7#kQ!x2",
            "межа-2025-кадастр",
            "  spaces around are kept  ",
        ] {
            assert_eq!(NewPassword::parse(ok).unwrap().expose(), ok);
        }
    }

    #[test]
    fn enforces_length_in_characters() {
        assert_eq!(code(""), "too_short");
        assert_eq!(code("n7#kQ!x"), "too_short");
        assert!(NewPassword::parse("n7#kQ!x2").is_ok());
        // Seven Cyrillic letters are 14 bytes but only 7 characters.
        assert_eq!(code("жзкдлоф"), "too_short");
        assert!(NewPassword::parse("жзкдлофы").is_ok());

        let max = "aB3$".repeat(32);
        assert_eq!(max.chars().count(), 128);
        assert!(NewPassword::parse(&max).is_ok());
        assert_eq!(code(&format!("{max}x")), "too_long");
        assert_eq!(code(&"я".repeat(129)), "too_long");
    }

    #[test]
    fn refuses_listed_passwords_in_any_case() {
        for bad in [
            "password",
            "Password1",
            "PASSWORD123",
            "qwerty123",
            "QwErTy123",
            "1q2w3e4r",
            "1qaz2wsx",
            "iloveyou",
            "p@ssw0rd",
            "йцукенгш",
            "ЙЦУКЕНГШ",
            "пароль123",
            "gfhjkm123",
            "  sunshine  ",
        ] {
            assert_eq!(code(bad), "too_common", "{bad}");
        }
    }

    #[test]
    fn refuses_repeated_characters() {
        for bad in [
            "aaaaaaaa",
            "AAAAaaaa",
            "zzzzzzzzzzzzzz",
            "ЖЖЖЖЖЖЖЖ",
            "        ",
        ] {
            assert_eq!(code(bad), "too_common", "{bad:?}");
        }
        // Padding around a single character is still one character.
        assert_eq!(code("   x    "), "too_common");
        assert!(NewPassword::parse("aaaaaaab").is_ok());
    }

    #[test]
    fn refuses_digit_and_keyboard_runs() {
        for bad in [
            "23456789",
            "98765432",
            "3456789012",
            "0987654321",
            "abcdefghij",
            "ponmlkjihg",
            "wertyuio",
            "oiuytrew",
            "sdfghjkl",
            "tyuiopas",
            "ZXCVBNM,.",
            "q2w3e4r5t6",
            "2wsx3edc4rfv",
            "цукенгшщ",
            "фывапрол",
            "лорпавыф",
            "абвгдеёжз",
        ] {
            assert_eq!(code(bad), "too_common", "{bad}");
        }
        // Almost-runs are fine.
        assert!(NewPassword::parse("12345687").is_ok());
        assert!(NewPassword::parse("qwertyuP1").is_ok());
    }

    #[test]
    fn debug_hides_the_password() {
        let p = NewPassword::parse("n7#kQ!x2").unwrap();
        let shown = format!("{p:?}");
        assert_eq!(shown, "NewPassword(***)");
        assert!(!shown.contains("n7#"));
        assert_eq!(format!("{:?}", Ok::<_, ()>(p)), "Ok(NewPassword(***))");
    }

    #[test]
    fn common_list_is_normalised() {
        let mut seen = HashSet::new();
        let mut count = 0;
        for line in COMMON_PASSWORDS.lines() {
            count += 1;
            assert_eq!(line, line.trim(), "{line:?} has spaces around");
            assert_eq!(line, line.to_lowercase(), "{line} is not lowercase");
            assert!(line.chars().count() >= MIN_CHARS, "{line} is short");
            assert!(seen.insert(line), "{line} is listed twice");
        }
        assert!(count >= 300, "only {count} common passwords");
        assert_eq!(COMMON.len(), count);
    }

    #[test]
    fn runs_are_lowercase() {
        for row in RUNS {
            assert_eq!(*row, row.to_lowercase());
        }
    }
}
