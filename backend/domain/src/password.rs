//! New passwords chosen at registration or reset (docs/accounts.md, "Registration and passwords").

use crate::FieldError;
use flate2::read::GzDecoder;
use mezha_api_types::limits::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::sync::LazyLock;

/// Shortest acceptable password, in characters.
const MIN_CHARS: usize = PASSWORD_MIN_CHARS as usize;
/// Longest acceptable password, in characters (bounds the hashing work).
const MAX_CHARS: usize = PASSWORD_MAX_CHARS as usize;

/// Hand-picked common passwords of at least eight characters, lowercase, one a
/// line (English and Russian-speaking users' favourites, Cyrillic ones too),
/// checked besides the breached-password list [`BREACHED_GZ`].
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// [`COMMON_PASSWORDS`] as a set, built on first use.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// The breached-password list, gzipped: every password of at least eight
/// characters among the 100,000 most frequent of Mark Burnett's "10 million
/// passwords" breach compilation (as published by SecLists), lowercase,
/// deduplicated, sorted bytewise, one a line. Source, licence and how it is
/// made: `backend/domain/data/README.md`; `scripts/make-breached-passwords.sh`
/// regenerates it.
const BREACHED_GZ: &[u8] = include_bytes!("../data/breached_passwords.txt.gz");

/// [`BREACHED_GZ`] decompressed, on first use.
static BREACHED_TEXT: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::new();
    if let Err(e) = GzDecoder::new(BREACHED_GZ).read_to_string(&mut text) {
        // The file is embedded at build time and its tests decompress it, so
        // this cannot happen in a build that passed them.
        panic!("backend/domain/data/breached_passwords.txt.gz is broken: {e}");
    }
    text
});

/// The lines of [`BREACHED_TEXT`], sorted, for a binary search.
static BREACHED: LazyLock<Vec<&'static str>> = LazyLock::new(|| BREACHED_TEXT.lines().collect());

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

/// Whether `password` is listed (on either list), one repeated character, or
/// a run.
fn is_too_common(password: &str) -> bool {
    let norm = password.trim().to_lowercase();
    COMMON.contains(norm.as_str()) || is_breached(&norm) || is_repeated_char(&norm) || is_run(&norm)
}

/// Whether `norm` (trimmed, lowercase) is on the breached-password list.
fn is_breached(norm: &str) -> bool {
    BREACHED.binary_search(&norm).is_ok()
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
        // Almost-runs are not runs (12345687 is refused all the same: it is
        // on the breached-password list).
        assert!(!is_run("12345687"));
        assert!(NewPassword::parse("12345768").is_ok());
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

    /// Entries of at least eight characters of the source, with their rank
    /// among its 100,000 (most frequent first), from deep in the list.
    const DEEP_ENTRIES: &[(u32, &str)] = &[
        (49_993, "Cdtnkfyf"),
        (49_999, "Catherine"),
        (50_006, "carnegie"),
        (50_018, "calculator"),
        (50_022, "CADILLAC"),
        (95_000, "explosion"),
        (99_445, "12345love"),
        (99_685, "10xby49k"),
        (99_808, "0987654a"),
        (99_990, "07031969"),
    ];

    #[test]
    fn refuses_breached_passwords_from_deep_in_the_list_in_any_case() {
        for (rank, entry) in DEEP_ENTRIES {
            let lower = entry.to_lowercase();
            // Only the breached list catches these, not the other rules.
            assert!(!COMMON.contains(lower.as_str()), "{entry} is hand-picked");
            assert!(!is_repeated_char(&lower) && !is_run(&lower), "{entry}");
            assert!(is_breached(&lower), "rank {rank}: {entry} is not listed");
            for variant in [
                entry.to_string(),
                lower.clone(),
                entry.to_uppercase(),
                format!(" {} ", entry.to_uppercase()),
            ] {
                assert_eq!(code(&variant), "too_common", "rank {rank}: {variant:?}");
            }
        }
        // Cyrillic is folded too: the hand-picked list is checked the same way.
        assert_eq!(code("ПАРОЛЬ123"), "too_common");
        assert_eq!(code("ЙЦУКЕНГШ"), "too_common");
    }

    #[test]
    fn accepts_strong_passwords_off_the_lists() {
        for ok in ["xK9#mQ2$vL7!pR4w", "Жук-7пл@стина-Q9", "n7#kQ!x2"] {
            assert!(!is_breached(&ok.to_lowercase()), "{ok}");
            assert_eq!(NewPassword::parse(ok).unwrap().expose(), ok);
        }
    }

    #[test]
    fn breached_list_is_normalised_sorted_and_big() {
        let list = &*BREACHED;
        // 38,452 of the source's 100,000 have eight characters or more (once
        // lowercased and deduplicated); the rest are refused as too_short.
        assert_eq!(list.len(), 38_452);
        assert!(
            list.windows(2).all(|w| w[0] < w[1]),
            "not sorted or has duplicates"
        );
        for line in list {
            assert_eq!(*line, line.trim(), "{line:?} has spaces around");
            assert_eq!(*line, line.to_lowercase(), "{line} is not lowercase");
            assert!(line.chars().count() >= MIN_CHARS, "{line} is short");
        }
        // The most frequent ones of eight characters or more are there.
        for top in ["password", "12345678", "football", "baseball", "iloveyou"] {
            assert!(is_breached(top), "{top}");
        }
    }

    #[test]
    fn runs_are_lowercase() {
        for row in RUNS {
            assert_eq!(*row, row.to_lowercase());
        }
    }
}
