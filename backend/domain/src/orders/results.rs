//! What a delivery of results must carry (docs/results.md): each way of
//! delivery its own piece, checked beside its field.

use crate::{FieldError, FieldProblems};
use mezha_api_types::results::ResultMethod;

/// A delivery as given.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    /// How.
    pub method: ResultMethod,
    /// A cloud-storage link.
    pub link: Option<&'a str>,
    /// The UIN of an electronic storage.
    pub uin: Option<&'a str>,
    /// How many files.
    pub files: usize,
    /// The executor's note.
    pub note: Option<&'a str>,
}

fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// Checks that the delivery has what its method needs — a note for a
/// physical hand-over, files, an `http(s)` link, a UIN of letters, digits and
/// dashes — and nothing that belongs to another method.
pub fn check(d: &Delivery<'_>) -> Result<(), FieldProblems> {
    let mut problems = FieldProblems::new();
    let required = |problems: &mut FieldProblems, field| {
        problems.push((
            field,
            FieldError::new("required", "needed for this way of delivery"),
        ));
    };
    let stray = |problems: &mut FieldProblems, field| {
        problems.push((
            field,
            FieldError::new("not_for_method", "does not go with this way of delivery"),
        ));
    };
    let (link, uin) = (given(d.link), given(d.uin));
    match d.method {
        ResultMethod::Physical if given(d.note).is_none() => required(&mut problems, "note"),
        ResultMethod::Files if d.files == 0 => required(&mut problems, "file_ids"),
        ResultMethod::Link if link.is_none() => required(&mut problems, "link"),
        ResultMethod::StorageUin if uin.is_none() => required(&mut problems, "uin"),
        _ => {}
    }
    if link.is_some() && d.method != ResultMethod::Link {
        stray(&mut problems, "link");
    }
    if uin.is_some() && d.method != ResultMethod::StorageUin {
        stray(&mut problems, "uin");
    }
    if d.files > 0 && d.method != ResultMethod::Files {
        stray(&mut problems, "file_ids");
    }
    if let Some(link) = link
        && !(link.starts_with("https://") || link.starts_with("http://"))
    {
        problems.push((
            "link",
            FieldError::new("invalid_url", "give an http(s) link"),
        ));
    }
    if let Some(uin) = uin
        && !uin.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        problems.push((
            "uin",
            FieldError::new("uin_format", "letters, digits and dashes only"),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResultMethod as M;

    fn codes(d: Delivery<'_>) -> Vec<(&'static str, &'static str)> {
        check(&d)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, e)| (f, e.code))
            .collect()
    }

    fn delivery(method: ResultMethod) -> Delivery<'static> {
        Delivery {
            method,
            link: None,
            uin: None,
            files: 0,
            note: None,
        }
    }

    #[test]
    fn each_method_needs_its_piece_and_only_it() {
        let cases: Vec<(Delivery<'static>, Vec<(&str, &str)>)> = vec![
            (delivery(M::Physical), vec![("note", "required")]),
            (
                Delivery {
                    note: Some("Передано лично 5 мая"),
                    ..delivery(M::Physical)
                },
                vec![],
            ),
            (delivery(M::Files), vec![("file_ids", "required")]),
            (
                Delivery {
                    files: 2,
                    ..delivery(M::Files)
                },
                vec![],
            ),
            (delivery(M::Link), vec![("link", "required")]),
            (
                Delivery {
                    link: Some("https://disk.example.ru/d/1"),
                    ..delivery(M::Link)
                },
                vec![],
            ),
            (
                Delivery {
                    link: Some("ftp://x"),
                    ..delivery(M::Link)
                },
                vec![("link", "invalid_url")],
            ),
            (delivery(M::StorageUin), vec![("uin", "required")]),
            (
                Delivery {
                    uin: Some("77-01-2026-123"),
                    ..delivery(M::StorageUin)
                },
                vec![],
            ),
            (
                Delivery {
                    uin: Some("77 01"),
                    ..delivery(M::StorageUin)
                },
                vec![("uin", "uin_format")],
            ),
            (
                Delivery {
                    link: Some("https://x.ru"),
                    files: 1,
                    ..delivery(M::StorageUin)
                },
                vec![
                    ("uin", "required"),
                    ("link", "not_for_method"),
                    ("file_ids", "not_for_method"),
                ],
            ),
            (
                Delivery {
                    note: Some("  "),
                    ..delivery(M::Physical)
                },
                vec![("note", "required")],
            ),
        ];
        for (d, want) in cases {
            assert_eq!(codes(d), want, "{d:?}");
        }
    }
}
