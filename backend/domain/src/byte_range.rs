//! Which bytes of a file a download answers with (RFC 9110 §14, docs/storage.md,
//! "Downloads"): the whole file, or the one range a `Range: bytes=…` header
//! asks for. Several ranges in one request are answered with the whole file
//! (allowed by the RFC: a server may ignore `Range`), as is a header that is
//! not a byte range or an `If-Range` that names another version.

use std::ops::Range;

/// What to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `200`, every byte.
    Whole,
    /// `206`, these bytes (never empty, inside the file).
    Part(Range<u64>),
    /// `416`: the range starts past the end (or the file is empty).
    Unsatisfiable,
}

/// The answer to `range` (the `Range` header's value) for a file of `len`
/// bytes whose entity tag is `etag`; `if_range` is the `If-Range` header's
/// value, when sent.
pub fn answer(range: Option<&str>, if_range: Option<&str>, len: u64, etag: &str) -> Answer {
    let Some(range) = range else {
        return Answer::Whole;
    };
    // A date in If-Range is not matched (the tag is what we give).
    if if_range.is_some_and(|tag| tag.trim() != etag) {
        return Answer::Whole;
    }
    let Some(spec) = range.trim().strip_prefix("bytes=") else {
        return Answer::Whole;
    };
    let spec = spec.trim();
    if spec.contains(',') {
        return Answer::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Answer::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // bytes=-N: the last N bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                Answer::Unsatisfiable
            } else {
                Answer::Part(len.saturating_sub(suffix)..len)
            }
        }
        // bytes=A- and bytes=A-B.
        (false, Some(start), end) if last.trim().is_empty() || end.is_some() => {
            if end.is_some_and(|end| end < start) {
                return Answer::Whole;
            }
            if start >= len {
                return Answer::Unsatisfiable;
            }
            let end = end.map_or(len, |end| end.saturating_add(1).min(len));
            Answer::Part(start..end)
        }
        _ => Answer::Whole,
    }
}

/// The `Content-Range` of a part of a file of `len` bytes
/// (`bytes 0-99/1000`), or of a refusal (`bytes */1000`).
pub fn content_range(part: Option<&Range<u64>>, len: u64) -> String {
    match part {
        Some(r) => format!("bytes {}-{}/{len}", r.start, r.end - 1),
        None => format!("bytes */{len}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "\"abc\"";

    fn ask(range: &str, len: u64) -> Answer {
        answer(Some(range), None, len, TAG)
    }

    #[test]
    fn one_range_is_answered_inside_the_file() {
        assert_eq!(ask("bytes=0-99", 1000), Answer::Part(0..100));
        assert_eq!(ask("bytes=500-", 1000), Answer::Part(500..1000));
        assert_eq!(ask("bytes=-100", 1000), Answer::Part(900..1000));
        assert_eq!(ask("bytes=990-5000", 1000), Answer::Part(990..1000));
        assert_eq!(ask("bytes=-5000", 1000), Answer::Part(0..1000));
        assert_eq!(ask("bytes=999-999", 1000), Answer::Part(999..1000));
        assert_eq!(ask(" bytes= 1 - 2 ", 10), Answer::Part(1..3));
    }

    #[test]
    fn a_range_past_the_end_is_unsatisfiable() {
        assert_eq!(ask("bytes=1000-", 1000), Answer::Unsatisfiable);
        assert_eq!(ask("bytes=1000-2000", 1000), Answer::Unsatisfiable);
        assert_eq!(ask("bytes=-0", 1000), Answer::Unsatisfiable);
        assert_eq!(ask("bytes=0-", 0), Answer::Unsatisfiable);
        assert_eq!(
            ask(&format!("bytes={}-", u64::MAX), 10),
            Answer::Unsatisfiable
        );
    }

    #[test]
    fn anything_else_gets_the_whole_file() {
        for odd in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=",
            "bytes=-",
            "bytes=5-1",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes=1-2-3",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(ask(odd, 1000), Answer::Whole, "{odd}");
        }
        assert_eq!(answer(None, None, 1000, TAG), Answer::Whole);
    }

    #[test]
    fn if_range_must_name_this_version() {
        assert_eq!(
            answer(Some("bytes=0-9"), Some(TAG), 100, TAG),
            Answer::Part(0..10)
        );
        assert_eq!(
            answer(Some("bytes=0-9"), Some("\"other\""), 100, TAG),
            Answer::Whole
        );
        assert_eq!(
            answer(
                Some("bytes=0-9"),
                Some("Wed, 21 Oct 2015 07:28:00 GMT"),
                100,
                TAG
            ),
            Answer::Whole
        );
    }

    #[test]
    fn content_range_names_the_last_byte() {
        assert_eq!(content_range(Some(&(0..100)), 1000), "bytes 0-99/1000");
        assert_eq!(content_range(None, 1000), "bytes */1000");
    }
}
