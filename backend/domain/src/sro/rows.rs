//! The columns of an import file and the validation of its rows, shared by
//! both formats.

use super::{
    DISCIPLINARY_TEXT_MAX_CHARS, DisciplinaryAction, ImportErrors, ImportIssue, IssueCode,
    MAX_DISCIPLINARY_ACTIONS, MAX_ISSUES, MAX_ROWS, REGISTRY_NUMBER_MAX_CHARS, RegistryEntry,
    SRO_NAME_MAX_CHARS, SroStatus,
};
use crate::{FullName, Snils};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::HashMap;
use std::str::FromStr;

/// How the disciplinary actions are written, for the messages.
const ACTIONS_SHAPE: &str =
    "the disciplinary actions are a JSON array of {\"date\", \"text\"} objects";

// ---------------------------------------------------------------------------
// Columns and row validation, shared by both formats.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Snils,
    FullName,
    Sro,
    RegistryNumber,
    Status,
    StatusDate,
    DisciplinaryActions,
}

/// Every column, in the order their issues are listed.
pub(super) const COLUMNS: [Column; 7] = [
    Column::Snils,
    Column::FullName,
    Column::Sro,
    Column::RegistryNumber,
    Column::Status,
    Column::StatusDate,
    Column::DisciplinaryActions,
];

/// The columns holding one text value each (all but the actions), indexed
/// by `Column as usize`.
pub(super) const TEXT_COLUMNS: usize = 6;

impl Column {
    /// The name in the registry's format (docs/sro-registry.md).
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Snils => "snils",
            Self::FullName => "full_name",
            Self::Sro => "sro",
            Self::RegistryNumber => "registry_number",
            Self::Status => "status",
            Self::StatusDate => "status_date",
            Self::DisciplinaryActions => "disciplinary_actions",
        }
    }

    /// The name the earlier format gave the column, when it differs.
    pub(super) fn alias(self) -> Option<&'static str> {
        match self {
            Self::Sro => Some("sro_name"),
            _ => None,
        }
    }

    pub(super) fn required(self) -> bool {
        matches!(
            self,
            Self::Snils | Self::FullName | Self::Sro | Self::Status
        )
    }

    /// The column called `name` (its name or its alias), with the spelling
    /// matched: issues name a column as the file does.
    pub(super) fn from_name(name: &str) -> Option<(Self, &'static str)> {
        COLUMNS.into_iter().find_map(|c| {
            if c.name() == name {
                Some((c, c.name()))
            } else {
                c.alias().filter(|a| *a == name).map(|a| (c, a))
            }
        })
    }

    /// How a missing required column is explained.
    pub(super) fn missing(self) -> String {
        match self.alias() {
            Some(alias) => format!(
                "the required column {} (or {alias}) is missing",
                self.name()
            ),
            None => format!("the required column {} is missing", self.name()),
        }
    }
}

/// The disciplinary actions of one row, as the file holds them.
#[derive(Debug, Clone, Copy)]
pub(super) enum RawActions<'a> {
    /// The file does not carry them: the stored ones are kept.
    Absent,
    /// A CSV cell: empty, or a JSON array of `{"date", "text"}` objects.
    Cell(&'a str),
    /// A JSON value: an array of `{"date", "text"}` objects, or `null`.
    Json(&'a Value),
}

/// One row's raw values.
pub(super) struct RawRow<'a> {
    /// The text columns' values, by `Column as usize`; `None` when absent.
    pub(super) values: [Option<&'a str>; TEXT_COLUMNS],
    pub(super) actions: RawActions<'a>,
    /// Each column's name as the file spells it (its name or its alias),
    /// by `Column as usize`.
    pub(super) names: [&'static str; COLUMNS.len()],
}

impl RawRow<'_> {
    /// A row with nothing in it, the columns named as the registry names
    /// them.
    pub(super) fn empty() -> Self {
        Self {
            values: [None; TEXT_COLUMNS],
            actions: RawActions::Absent,
            names: COLUMNS.map(Column::name),
        }
    }
}

/// The message of an issue about U+0000.
pub(super) const NUL_MESSAGE: &str = "contains the NUL character (U+0000), which no field may hold";

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
        self.push(line, field, IssueCode::Invalid, message.into());
    }

    /// An issue about a text carrying the NUL character (U+0000).
    pub(super) fn nul(&mut self, line: usize, field: Option<&str>) {
        self.push(line, field, IssueCode::NulCharacter, NUL_MESSAGE.to_owned());
    }

    pub(super) fn push(
        &mut self,
        line: usize,
        field: Option<&str>,
        code: IssueCode,
        message: String,
    ) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(ImportIssue {
                line,
                field: field.map(str::to_owned),
                code,
                message,
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
        let sro_name = self.required(line, raw, Column::Sro, |s| text(s, SRO_NAME_MAX_CHARS));
        let registry_number = self.optional(line, raw, Column::RegistryNumber, |s| {
            text(s, REGISTRY_NUMBER_MAX_CHARS)
        });
        let status = self.required(line, raw, Column::Status, |s| {
            SroStatus::from_str(s).map_err(|e| e.message)
        });
        let status_date = self.optional(line, raw, Column::StatusDate, date);
        let disciplinary_actions = self.actions(line, raw);

        let (
            Some(snils),
            Some(full_name),
            Some(sro_name),
            Ok(registry_number),
            Some(status),
            Ok(status_date),
            Ok(disciplinary_actions),
        ) = (
            snils,
            full_name,
            sro_name,
            registry_number,
            status,
            status_date,
            disciplinary_actions,
        )
        else {
            return;
        };
        if let Some(first) = self.seen.get(snils.digits()).copied() {
            self.issue(
                line,
                Some(raw.names[Column::Snils as usize]),
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
            disciplinary_actions,
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
                self.issue(line, Some(raw.names[column as usize]), "required");
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
        let field = raw.names[column as usize];
        self.value(line, field, raw.values[column as usize], check)
    }

    /// Checks one text value: `Ok(None)` when absent or blank, `Err` (with
    /// the issue recorded) when it carries U+0000 or `check` refuses it.
    fn value<T>(
        &mut self,
        line: usize,
        field: &str,
        value: Option<&str>,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        let Some(value) = value.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        if value.contains('\0') {
            self.nul(line, Some(field));
            return Err(());
        }
        match check(value) {
            Ok(value) => Ok(Some(value)),
            Err(message) => {
                self.issue(line, Some(field), message);
                Err(())
            }
        }
    }

    /// The row's disciplinary actions: `None` when the file does not carry
    /// them; an empty CSV cell or a JSON `null` is an empty list.
    fn actions(
        &mut self,
        line: usize,
        raw: &RawRow<'_>,
    ) -> Result<Option<Vec<DisciplinaryAction>>, ()> {
        let field = raw.names[Column::DisciplinaryActions as usize];
        let parsed;
        let value = match raw.actions {
            RawActions::Absent => return Ok(None),
            RawActions::Cell(cell) if cell.trim().is_empty() => return Ok(Some(Vec::new())),
            RawActions::Cell(cell) => match serde_json::from_str::<Value>(cell.trim()) {
                Ok(value) => {
                    parsed = value;
                    &parsed
                }
                Err(e) => {
                    self.issue(
                        line,
                        Some(field),
                        format!("{ACTIONS_SHAPE}; the cell is not JSON: {e}"),
                    );
                    return Err(());
                }
            },
            RawActions::Json(value) => value,
        };
        let items = match value {
            Value::Null => return Ok(Some(Vec::new())),
            Value::Array(items) => items,
            _ => {
                self.issue(line, Some(field), ACTIONS_SHAPE);
                return Err(());
            }
        };
        if items.len() > MAX_DISCIPLINARY_ACTIONS {
            self.issue(
                line,
                Some(field),
                format!("at most {MAX_DISCIPLINARY_ACTIONS} disciplinary actions per entry"),
            );
            return Err(());
        }
        let mut actions = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let at = format!("{field}[{}]", i + 1);
            let Value::Object(map) = item else {
                self.issue(line, Some(&at), "an action is an object with date and text");
                ok = false;
                continue;
            };
            let string = |this: &mut Self, key: &str| -> Result<Option<&str>, ()> {
                match map.get(key) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.as_str())),
                    Some(_) => {
                        this.issue(line, Some(&format!("{at}.{key}")), "must be a string");
                        Err(())
                    }
                }
            };
            let (raw_date, raw_text) = (string(self, "date"), string(self, "text"));
            let when = raw_date.and_then(|v| self.value(line, &format!("{at}.date"), v, date));
            let what = raw_text.and_then(|v| {
                self.value(line, &format!("{at}.text"), v, |s| {
                    text(s, DISCIPLINARY_TEXT_MAX_CHARS)
                })
            });
            if matches!(when, Ok(None)) {
                self.issue(line, Some(&format!("{at}.date")), "required");
            }
            if matches!(what, Ok(None)) {
                self.issue(line, Some(&format!("{at}.text")), "required");
            }
            match (when, what) {
                (Ok(Some(date)), Ok(Some(text))) => actions.push(DisciplinaryAction { date, text }),
                _ => ok = false,
            }
        }
        if ok { Ok(Some(actions)) } else { Err(()) }
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
