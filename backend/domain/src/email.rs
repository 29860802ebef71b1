//! E-mail addresses.

use crate::FieldError;
use mezha_api_types::limits::EMAIL_MAX_CHARS;
use std::fmt;

/// Code of every refusal.
const CODE: &str = "invalid_email";
/// Longest address, in characters (RFC 5321 path limit).
const MAX_CHARS: usize = EMAIL_MAX_CHARS as usize;
/// Longest local part (before the `@`), in characters (RFC 5321).
const MAX_LOCAL_CHARS: usize = 64;
/// Longest domain label, in characters (RFC 1035).
const MAX_LABEL_CHARS: usize = 63;
/// Characters that the local part may not hold unquoted (RFC 5322 specials).
const LOCAL_FORBIDDEN: &[char] = &['"', '(', ')', ',', ':', ';', '<', '>', '[', '\\', ']'];

/// A syntactically valid e-mail address, trimmed and lowercased.
///
/// The rules are deliberately practical rather than the full RFC 5322
/// grammar: one `@`; a local part of 1–64 characters without spaces, control
/// characters, RFC 5322 specials, leading/trailing dots or `..`; a domain of at
/// least two dot-separated labels made of letters (any script, so IDN domains
/// pass), digits and inner hyphens; at most 254 characters in all. Whether the
/// mailbox exists is checked by the confirmation link, not here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Trims, lowercases and checks `input`; refuses it with `invalid_email`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(invalid("enter an e-mail address"));
        }
        if s.chars().count() > MAX_CHARS {
            return Err(invalid(format!(
                "an e-mail address has at most {MAX_CHARS} characters"
            )));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("an e-mail address has no spaces"));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(invalid("an e-mail address needs an @"));
        };
        if domain.contains('@') {
            return Err(invalid("an e-mail address has only one @"));
        }
        check_local(local)?;
        check_domain(domain)?;
        Ok(Self(s))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address as an owned `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Checks the part before the `@`.
fn check_local(local: &str) -> Result<(), FieldError> {
    if local.is_empty() {
        return Err(invalid("the part before @ is empty"));
    }
    if local.chars().count() > MAX_LOCAL_CHARS {
        return Err(invalid(format!(
            "the part before @ has at most {MAX_LOCAL_CHARS} characters"
        )));
    }
    if local.contains(LOCAL_FORBIDDEN) {
        return Err(invalid("the part before @ holds a forbidden character"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(invalid("misplaced dot before @"));
    }
    Ok(())
}

/// Checks the part after the `@`.
fn check_domain(domain: &str) -> Result<(), FieldError> {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid("the domain needs a dot, as in example.com"));
    }
    for label in &labels {
        let ok = !label.is_empty()
            && label.chars().count() <= MAX_LABEL_CHARS
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !ok {
            return Err(invalid("the domain after @ is not valid"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(invalid("the domain after @ is not valid"));
    }
    Ok(())
}

/// An `invalid_email` error.
fn invalid(message: impl Into<String>) -> FieldError {
    FieldError::new(CODE, message)
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "user@example.com",
            "first.last@example.co.uk",
            "user+tag@sub.example.org",
            "o'brien@example.ie",
            "a@b.cd",
            "user_name-1@my-domain.ru",
            "иван@почта.рф",
            "user@xn--80a1acny.xn--p1ai",
            "1234@domain123.com",
        ] {
            assert_eq!(Email::parse(ok).unwrap().as_str(), ok, "{ok}");
        }
    }

    #[test]
    fn trims_and_lowercases() {
        let e = Email::parse("  John.Doe@Example.COM \n").unwrap();
        assert_eq!(e.as_str(), "john.doe@example.com");
        assert_eq!(e.to_string(), "john.doe@example.com");
        assert_eq!(
            Email::parse("ИВАН@ПОЧТА.РФ").unwrap().as_str(),
            "иван@почта.рф"
        );
        assert_eq!(e.into_string(), "john.doe@example.com");
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "user@",
            "user@localhost",
            "user@@example.com",
            "a@b@example.com",
            "user name@example.com",
            "user@exa mple.com",
            "user\t@example.com",
            "user\u{0}@example.com",
            ".user@example.com",
            "user.@example.com",
            "us..er@example.com",
            "us\"er@example.com",
            "<user>@example.com",
            "user@.example.com",
            "user@example.com.",
            "user@example..com",
            "user@-example.com",
            "user@example-.com",
            "user@exa_mple.com",
            "user@exa!mple.com",
            "user@127.0.0.1",
            "user@[127.0.0.1]",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.code, "invalid_email", "{bad:?}");
        }
    }

    #[test]
    fn enforces_length_limits() {
        let local64 = "a".repeat(64);
        assert!(Email::parse(&format!("{local64}@example.com")).is_ok());
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());

        let label63 = "b".repeat(63);
        assert!(Email::parse(&format!("a@{label63}.com")).is_ok());
        assert!(Email::parse(&format!("a@{}.com", "b".repeat(64))).is_err());

        // 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 characters: the longest allowed.
        let longest = format!("{local64}@{label63}.{label63}.{}", "c".repeat(61));
        assert_eq!(longest.chars().count(), 254);
        assert!(Email::parse(&longest).is_ok());
        let too_long = format!("{local64}@{label63}.{label63}.{}", "c".repeat(62));
        assert_eq!(Email::parse(&too_long).unwrap_err().code, "invalid_email");
    }

    #[test]
    fn length_is_counted_in_characters() {
        // Cyrillic letters take two bytes each but count once.
        let local = "я".repeat(64);
        assert!(Email::parse(&format!("{local}@почта.рф")).is_ok());
    }
}
