//! The SRO registry import (docs/sro-registry.md).
//!
//! A person is a cadastral engineer on the platform only while the SRO
//! registry (АИС «Реестр СРО») lists their SNILS with an active membership.
//! The platform keeps its own copy of the registry and refreshes it from an
//! import file (CSV or JSON). This module is the pure part of that import:
//! [`parse`] turns the file's bytes into [`RegistryEntry`] values, all or
//! nothing, and [`plan`] compares them with what is stored and says what to
//! write and whose engineer status changes. Reading the file, fetching a URL,
//! writing the table and suspending or resuming orders are the callers' jobs.
//!
//! The formats and rules are described for people in `docs/sro-registry.md`:
//! the registry's own JSON (`{"engineers": [...]}`) and CSV with the same
//! columns, where one cell holds the disciplinary actions as a JSON array,
//! plus the earlier form (`entries`, `sro_name`) as an alias.

mod csv_file;
mod json_file;
mod rows;

#[cfg(doc)]
use crate::FullName;
use crate::{FieldError, Snils};
use chrono::NaiveDate;
use csv_file::parse_csv;
use json_file::parse_json;
use rows::{Collector, line_at};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// Most data rows (CSV) or entries (JSON) one file may hold.
pub const MAX_ROWS: usize = 1_000_000;
/// Most issues an [`ImportErrors`] lists; parsing stops after that.
pub const MAX_ISSUES: usize = 100;
/// Longest SRO name, in characters, after whitespace is collapsed.
pub const SRO_NAME_MAX_CHARS: usize = 500;
/// Longest registry number, in characters, after whitespace is collapsed.
pub const REGISTRY_NUMBER_MAX_CHARS: usize = 100;
/// Most disciplinary actions one entry may list.
pub const MAX_DISCIPLINARY_ACTIONS: usize = 100;
/// Longest text of a disciplinary action, in characters, after whitespace
/// is collapsed.
pub const DISCIPLINARY_TEXT_MAX_CHARS: usize = 2000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A member's status in the SRO registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SroStatus {
    /// Membership in force: the person may act as a cadastral engineer.
    Active,
    /// Membership suspended.
    Suspended,
    /// Excluded from the SRO.
    Excluded,
}

impl SroStatus {
    /// `active`, `suspended` or `excluded`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Excluded => "excluded",
        }
    }

    /// Whether the membership is in force (only [`SroStatus::Active`]).
    pub fn is_active(self) -> bool {
        self == Self::Active
    }
}

impl FromStr for SroStatus {
    type Err = FieldError;

    /// Accepts `active`, `suspended`, `excluded` and the registry's Russian
    /// `действует`, `приостановлен`, `исключен` (also `исключён`), in any
    /// case, with surrounding whitespace. Refusal: `sro_status`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match input.trim().to_lowercase().replace('ё', "е").as_str() {
            "active" | "действует" => Ok(Self::Active),
            "suspended" | "приостановлен" => Ok(Self::Suspended),
            "excluded" | "исключен" => Ok(Self::Excluded),
            _ => Err(FieldError::new(
                "sro_status",
                "the status is one of active, suspended, excluded \
                 (or действует, приостановлен, исключен)",
            )),
        }
    }
}

impl fmt::Display for SroStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A disciplinary action the SRO took against a member, as the registry
/// lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisciplinaryAction {
    /// When the action was taken.
    pub date: NaiveDate,
    /// What was decided, trimmed, inner whitespace collapsed, at most
    /// [`DISCIPLINARY_TEXT_MAX_CHARS`] characters.
    pub text: String,
}

/// One member of the registry, as read from an import file.
///
/// Text fields are trimmed with inner whitespace collapsed; `full_name` is
/// normalised by [`FullName::parse`]. Empty optional fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub snils: Snils,
    pub full_name: String,
    /// The SRO's name (`sro`, or `sro_name` in the earlier format).
    pub sro_name: String,
    pub registry_number: Option<String>,
    pub status: SroStatus,
    pub status_date: Option<NaiveDate>,
    /// The member's disciplinary actions, in file order, replacing the
    /// stored ones; `None` when the file does not carry them (no such
    /// column or key), and then the stored ones are kept.
    pub disciplinary_actions: Option<Vec<DisciplinaryAction>>,
}

impl RegistryEntry {
    /// The stored form of this entry once written over `previous` (what was
    /// stored for its SNILS, if anything): everything but the SNILS, which
    /// keys the table; the disciplinary actions are the previous ones when
    /// the file did not carry any.
    pub fn to_stored(&self, previous: Option<&StoredEntry>) -> StoredEntry {
        StoredEntry {
            full_name: self.full_name.clone(),
            sro_name: self.sro_name.clone(),
            registry_number: self.registry_number.clone(),
            status: self.status,
            status_date: self.status_date,
            disciplinary_actions: match (&self.disciplinary_actions, previous) {
                (Some(actions), _) => actions.clone(),
                (None, Some(previous)) => previous.disciplinary_actions.clone(),
                (None, None) => Vec::new(),
            },
        }
    }

    /// Whether `stored` holds exactly this entry's data (the disciplinary
    /// actions only when the file carries them).
    fn same_as(&self, stored: &StoredEntry) -> bool {
        self.full_name == stored.full_name
            && self.sro_name == stored.sro_name
            && self.registry_number == stored.registry_number
            && self.status == stored.status
            && self.status_date == stored.status_date
            && self
                .disciplinary_actions
                .as_ref()
                .is_none_or(|actions| *actions == stored.disciplinary_actions)
    }
}

/// The format of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Guesses the format from the content: JSON when the first byte that is
/// not whitespace (after an optional UTF-8 BOM) is `[` or `{`, CSV otherwise.
pub fn detect_format(bytes: &[u8]) -> Format {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[' | b'{') => Format::Json,
        _ => Format::Csv,
    }
}

/// What kind of problem an [`ImportIssue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// A value, row or the file is not what the format allows.
    Invalid,
    /// A text carries the NUL character (U+0000), which no field may hold
    /// (and PostgreSQL cannot store).
    NulCharacter,
}

impl IssueCode {
    /// `invalid` or `nul_character`, the API's per-field codes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::NulCharacter => "nul_character",
        }
    }
}

/// One problem found in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIssue {
    /// CSV: the 1-based line where the row starts (the header is usually
    /// line 1). JSON: the 1-based index of the entry. `0`: the file as a
    /// whole (not UTF-8, not valid JSON, …).
    pub line: usize,
    /// The field (column) concerned, when there is one: `snils`, `status`,
    /// `disciplinary_actions[2].date`, ….
    pub field: Option<String>,
    /// The kind of problem.
    pub code: IssueCode,
    /// What is wrong, in English.
    pub message: String,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.field) {
            (0, None) => write!(f, "file: {}", self.message),
            (0, Some(field)) => write!(f, "file, {field}: {}", self.message),
            (line, None) => write!(f, "line {line}: {}", self.message),
            (line, Some(field)) => write!(f, "line {line}, {field}: {}", self.message),
        }
    }
}

/// Why an import file was rejected. One issue rejects the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportErrors {
    /// The first [`MAX_ISSUES`] issues, in file order.
    pub issues: Vec<ImportIssue>,
    /// More issues were found than are listed (parsing stopped).
    pub truncated: bool,
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        write!(
            f,
            "the SRO registry file was rejected: {n} issue{}",
            if n == 1 { "" } else { "s" }
        )?;
        if self.truncated {
            write!(f, " (only the first {n} are listed)")?;
        }
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// Parses an import file in the given format (see [`detect_format`]).
///
/// All or nothing: any bad row rejects the file, and the error lists up to
/// [`MAX_ISSUES`] issues. An empty file, or a CSV file with only a header,
/// gives no entries. The same SNILS twice is an issue on the second row; more
/// than [`MAX_ROWS`] rows is an issue.
pub fn parse(bytes: &[u8], format: Format) -> Result<Vec<RegistryEntry>, ImportErrors> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut collector = Collector::default();
    if !bytes.iter().all(u8::is_ascii_whitespace) {
        match format {
            Format::Csv => match std::str::from_utf8(bytes) {
                Ok(text) => parse_csv(text, &mut collector),
                Err(e) => collector.issue(
                    line_at(bytes, e.valid_up_to()),
                    None,
                    "the file is not UTF-8 text (save it as \"CSV UTF-8\")",
                ),
            },
            Format::Json => parse_json(bytes, &mut collector),
        }
    }
    collector.finish()
}

/// The registry data the platform keeps for one SNILS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub full_name: String,
    pub sro_name: String,
    pub registry_number: Option<String>,
    pub status: SroStatus,
    pub status_date: Option<NaiveDate>,
    /// In the order the registry listed them.
    pub disciplinary_actions: Vec<DisciplinaryAction>,
}

/// What importing a file changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    /// Entries that are new or differ from the stored ones, in file order.
    /// Those that carry disciplinary actions replace the stored actions of
    /// their SNILS; the others keep them.
    pub upserts: Vec<RegistryEntry>,
    /// SNILS that were absent or not active and are now active: grant the
    /// engineer role, resume suspended orders.
    pub became_active: Vec<Snils>,
    /// SNILS that were active and are now suspended or excluded: revoke the
    /// engineer role, suspend assigned orders.
    pub became_inactive: Vec<Snils>,
    /// Entries identical to the stored ones.
    pub unchanged: usize,
}

impl ImportPlan {
    /// Whether the import changes nothing.
    pub fn is_noop(&self) -> bool {
        self.upserts.is_empty() && self.became_active.is_empty() && self.became_inactive.is_empty()
    }
}

/// Compares `incoming` with the `current` table (keyed by the 11 SNILS
/// digits, [`Snils::digits`]) and says what to write.
///
/// Stored entries missing from `incoming` are left as they are: a file may
/// cover only part of the registry. Planning the same entries again after
/// applying a plan gives an empty plan. If `incoming` repeats a SNILS (which
/// [`parse`] never returns), the last occurrence wins.
pub fn plan(current: &HashMap<String, StoredEntry>, incoming: Vec<RegistryEntry>) -> ImportPlan {
    let mut seen = HashSet::new();
    let mut entries: Vec<RegistryEntry> = incoming
        .into_iter()
        .rev()
        .filter(|e| seen.insert(e.snils.digits().to_owned()))
        .collect();
    entries.reverse();

    let mut plan = ImportPlan::default();
    for entry in entries {
        let was_active = match current.get(entry.snils.digits()) {
            Some(stored) if entry.same_as(stored) => {
                plan.unchanged += 1;
                continue;
            }
            Some(stored) => stored.status.is_active(),
            None => false,
        };
        let is_active = entry.status.is_active();
        if is_active && !was_active {
            plan.became_active.push(entry.snils.clone());
        } else if was_active && !is_active {
            plan.became_inactive.push(entry.snils.clone());
        }
        plan.upserts.push(entry);
    }
    plan
}

#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod tests;
