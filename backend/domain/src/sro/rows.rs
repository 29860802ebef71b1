//! The columns of an import file and the validation of its rows, shared by
//! both formats.

use super::{
    ImportErrors, ImportIssue, MAX_ISSUES, MAX_ROWS, REGISTRY_NUMBER_MAX_CHARS, RegistryEntry,
    SRO_NAME_MAX_CHARS, SroStatus,
};
use crate::{FullName, Snils};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::str::FromStr;

// ---------------------------------------------------------------------------
// Columns and row validation, shared by both formats.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Snils,
    FullName,
    SroName,
    RegistryNumber,
    Status,
    StatusDate,
}

pub(super) const COLUMNS: [Column; 6] = [
    Column::Snils,
    Column::FullName,
    Column::SroName,
    Column::RegistryNumber,
    Column::Status,
    Column::StatusDate,
];

impl Column {
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Snils => "snils",
            Self::FullName => "full_name",
            Self::SroName => "sro_name",
            Self::RegistryNumber => "registry_number",
            Self::Status => "status",
            Self::StatusDate => "status_date",
        }
    }

    pub(super) fn required(self) -> bool {
        !matches!(self, Self::RegistryNumber | Self::StatusDate)
    }

    pub(super) fn from_name(name: &str) -> Option<Self> {
        COLUMNS.into_iter().find(|c| c.name() == name)
    }
}

/// One row's raw values, indexed by `Column as usize`; `None` when absent.
pub(super) type RawRow<'a> = [Option<&'a str>; 6];

/// Gathers entries and issues while a file is read.
#[derive(Default)]
pub(super) struct Collector {
    entries: Vec<RegistryEntry>,
    pub(super) issues: Vec<ImportIssue>,
    truncated: bool,
    /// Parsing should stop: too many issues or too many rows.
    pub(super) stopped: bool,
    /// SNILS digits already seen, with their line.
    seen: HashMap<String, usize>,
    rows: usize,
}

impl Collector {
    pub(super) fn issue(&mut self, line: usize, field: Option<&str>, message: impl Into<String>) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(ImportIssue {
                line,
                field: field.map(str::to_owned),
                message: message.into(),
            });
        } else {
            self.truncated = true;
            self.stopped = true;
        }
    }

    /// Counts one more data row; false (with an issue) past [`MAX_ROWS`].
    pub(super) fn count_row(&mut self, line: usize) -> bool {
        self.rows += 1;
        if self.rows > MAX_ROWS {
            self.issue(
                line,
                None,
                format!("the file has more than {MAX_ROWS} rows; split it into several files"),
            );
            self.stopped = true;
            return false;
        }
        true
    }

    /// Validates one row and keeps it, or records its issues.
    pub(super) fn row(&mut self, line: usize, raw: &RawRow<'_>) {
        let snils = self.required(line, raw, Column::Snils, |s| {
            Snils::parse(s).map_err(|e| e.message)
        });
        let full_name = self.required(line, raw, Column::FullName, |s| {
            FullName::parse(s)
                .map(|n| n.as_str().to_owned())
                .map_err(|e| e.message)
        });
        let sro_name = self.required(line, raw, Column::SroName, |s| text(s, SRO_NAME_MAX_CHARS));
        let registry_number = self.optional(line, raw, Column::RegistryNumber, |s| {
            text(s, REGISTRY_NUMBER_MAX_CHARS)
        });
        let status = self.required(line, raw, Column::Status, |s| {
            SroStatus::from_str(s).map_err(|e| e.message)
        });
        let status_date = self.optional(line, raw, Column::StatusDate, date);

        let (
            Some(snils),
            Some(full_name),
            Some(sro_name),
            Ok(registry_number),
            Some(status),
            Ok(status_date),
        ) = (
            snils,
            full_name,
            sro_name,
            registry_number,
            status,
            status_date,
        )
        else {
            return;
        };
        if let Some(first) = self.seen.get(snils.digits()).copied() {
            self.issue(
                line,
                Some(Column::Snils.name()),
                format!("SNILS {snils} is already listed on line {first}"),
            );
            return;
        }
        self.seen.insert(snils.digits().to_owned(), line);
        self.entries.push(RegistryEntry {
            snils,
            full_name,
            sro_name,
            registry_number,
            status,
            status_date,
        });
    }

    fn required<T>(
        &mut self,
        line: usize,
        raw: &RawRow<'_>,
        column: Column,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.optional(line, raw, column, check) {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.issue(line, Some(column.name()), "required");
                None
            }
            Err(()) => None,
        }
    }

    fn optional<T>(
        &mut self,
        line: usize,
        raw: &RawRow<'_>,
        column: Column,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        let Some(value) = raw[column as usize]
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return Ok(None);
        };
        match check(value) {
            Ok(value) => Ok(Some(value)),
            Err(message) => {
                self.issue(line, Some(column.name()), message);
                Err(())
            }
        }
    }

    pub(super) fn finish(self) -> Result<Vec<RegistryEntry>, ImportErrors> {
        if self.issues.is_empty() && !self.truncated {
            Ok(self.entries)
        } else {
            Err(ImportErrors {
                issues: self.issues,
                truncated: self.truncated,
            })
        }
    }
}

/// Free text: inner whitespace collapsed, no control characters, at most
/// `max` characters.
fn text(input: &str, max: usize) -> Result<String, String> {
    let value = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().any(char::is_control) {
        return Err("contains control characters".to_owned());
    }
    if value.chars().count() > max {
        return Err(format!("at most {max} characters"));
    }
    Ok(value)
}

/// A date as `YYYY-MM-DD`, or `DD.MM.YYYY` as Russian spreadsheets write it.
fn date(input: &str) -> Result<NaiveDate, String> {
    fn number(digits: &[u8]) -> Option<u32> {
        digits.iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    }
    let b = input.as_bytes();
    let ymd = match b {
        [y @ .., b'-', m1, m2, b'-', d1, d2] if y.len() == 4 => {
            (number(y), number(&[*m1, *m2]), number(&[*d1, *d2]))
        }
        [d1, d2, b'.', m1, m2, b'.', y @ ..] if y.len() == 4 => {
            (number(y), number(&[*m1, *m2]), number(&[*d1, *d2]))
        }
        _ => (None, None, None),
    };
    match ymd {
        (Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            .ok_or_else(|| format!("{input} is not a calendar date")),
        _ => Err("a date is written YYYY-MM-DD (or DD.MM.YYYY)".to_owned()),
    }
}

/// The 1-based line of byte `offset`.
pub(super) fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
