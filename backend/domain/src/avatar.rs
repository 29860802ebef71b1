//! Avatar image addresses.

use crate::FieldError;
use mezha_api_types::limits::URL_MAX_CHARS;
use std::fmt;

/// Longest avatar URL, in characters.
const MAX_CHARS: usize = URL_MAX_CHARS as usize;

/// Where a profile picture lives: an `https://` URL with a host, or an
/// absolute path on this server (`/files/…`).
///
/// Protocol-relative (`//host`) and backslash forms (`/\host`, which browsers
/// read as `//host`) are refused, as is userinfo (`https://user@host`), so the
/// value can be put in an `<img src>` without surprises.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AvatarUrl(String);

impl AvatarUrl {
    /// Trims `input` and checks it.
    ///
    /// Refusals: `too_long` (over 2048 characters), `invalid_url` (empty, not
    /// `https://host…` or `/path`, or holding whitespace, control characters
    /// or backslashes).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.chars().count() > MAX_CHARS {
            return Err(FieldError::new(
                "too_long",
                format!("a URL has at most {MAX_CHARS} characters"),
            ));
        }
        let clean = !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\');
        let shape = if let Some(rest) = s.strip_prefix("https://") {
            valid_authority(rest)
        } else {
            s.starts_with('/') && !s.starts_with("//")
        };
        if !clean || !shape {
            return Err(FieldError::new(
                "invalid_url",
                "use an https:// address or a path starting with /",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The URL or path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether what follows `https://` starts with a plausible `host[:port]`.
fn valid_authority(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let Some(first) = authority.chars().next() else {
        return false;
    };
    (first.is_alphanumeric() || first == '[')
        && authority
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'))
}

impl fmt::Display for AvatarUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        AvatarUrl::parse(input).unwrap_err().code
    }

    #[test]
    fn accepts_https_urls_and_local_paths() {
        for ok in [
            "https://example.com/a.png",
            "https://cdn.example.com:8443/img/avatar.jpg?size=128#x",
            "https://example.com",
            "https://example.com?v=1",
            "https://[2001:db8::1]/a.png",
            "https://пример.рф/аватар.png",
            "https://example.com/a%20b.png",
            "/files/avatars/42.png",
            "/",
        ] {
            assert_eq!(AvatarUrl::parse(ok).unwrap().as_str(), ok, "{ok}");
        }
    }

    #[test]
    fn trims() {
        let a = AvatarUrl::parse("  /files/a.png \n").unwrap();
        assert_eq!(a.as_str(), "/files/a.png");
        assert_eq!(a.to_string(), "/files/a.png");
    }

    #[test]
    fn refuses_other_shapes() {
        for bad in [
            "",
            "   ",
            "http://example.com/a.png",
            "HTTPS://example.com/a.png",
            "https://",
            "https:///a.png",
            "https://?x",
            "https://user:pass@example.com/a.png",
            "https://exa mple.com/a.png",
            "https://example.com/a b.png",
            "https://example.com/a\u{7}.png",
            "//evil.example/a.png",
            "/\\evil.example/a.png",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "files/a.png",
            "ftp://example.com/a.png",
        ] {
            assert_eq!(code(bad), "invalid_url", "{bad:?}");
        }
    }

    #[test]
    fn limits_the_length() {
        let path = format!("/{}", "a".repeat(MAX_CHARS - 1));
        assert!(AvatarUrl::parse(&path).is_ok());
        assert_eq!(code(&format!("{path}a")), "too_long");
    }
}
