//! The SRO registry import (SPEC §1, §3).
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
//! The formats and rules are described for people in `docs/sro-registry.md`.

use crate::{FieldError, FullName, Snils};
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
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

/// One member of the registry, as read from an import file.
///
/// Text fields are trimmed with inner whitespace collapsed; `full_name` is
/// normalised by [`FullName::parse`]. Empty optional fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub snils: Snils,
    pub full_name: String,
    pub sro_name: String,
    pub registry_number: Option<String>,
    pub status: SroStatus,
    pub status_date: Option<NaiveDate>,
}

impl RegistryEntry {
    /// The stored form of this entry (everything but the SNILS, which keys
    /// the table).
    pub fn to_stored(&self) -> StoredEntry {
        StoredEntry {
            full_name: self.full_name.clone(),
            sro_name: self.sro_name.clone(),
            registry_number: self.registry_number.clone(),
            status: self.status,
            status_date: self.status_date,
        }
    }

    /// Whether `stored` holds exactly this entry's data.
    fn same_as(&self, stored: &StoredEntry) -> bool {
        self.full_name == stored.full_name
            && self.sro_name == stored.sro_name
            && self.registry_number == stored.registry_number
            && self.status == stored.status
            && self.status_date == stored.status_date
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

/// One problem found in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIssue {
    /// CSV: the 1-based line where the row starts (the header is usually
    /// line 1). JSON: the 1-based index of the entry. `0`: the file as a
    /// whole (not UTF-8, not valid JSON, …).
    pub line: usize,
    /// The field (column) concerned, when there is one: `snils`, `status`, ….
    pub field: Option<String>,
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
}

/// What importing a file changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    /// Entries that are new or differ from the stored ones, in file order.
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

// ---------------------------------------------------------------------------
// Columns and row validation, shared by both formats.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Snils,
    FullName,
    SroName,
    RegistryNumber,
    Status,
    StatusDate,
}

const COLUMNS: [Column; 6] = [
    Column::Snils,
    Column::FullName,
    Column::SroName,
    Column::RegistryNumber,
    Column::Status,
    Column::StatusDate,
];

impl Column {
    fn name(self) -> &'static str {
        match self {
            Self::Snils => "snils",
            Self::FullName => "full_name",
            Self::SroName => "sro_name",
            Self::RegistryNumber => "registry_number",
            Self::Status => "status",
            Self::StatusDate => "status_date",
        }
    }

    fn required(self) -> bool {
        !matches!(self, Self::RegistryNumber | Self::StatusDate)
    }

    fn from_name(name: &str) -> Option<Self> {
        COLUMNS.into_iter().find(|c| c.name() == name)
    }
}

/// One row's raw values, indexed by `Column as usize`; `None` when absent.
type RawRow<'a> = [Option<&'a str>; 6];

/// Gathers entries and issues while a file is read.
#[derive(Default)]
struct Collector {
    entries: Vec<RegistryEntry>,
    issues: Vec<ImportIssue>,
    truncated: bool,
    /// Parsing should stop: too many issues or too many rows.
    stopped: bool,
    /// SNILS digits already seen, with their line.
    seen: HashMap<String, usize>,
    rows: usize,
}

impl Collector {
    fn issue(&mut self, line: usize, field: Option<&str>, message: impl Into<String>) {
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
    fn count_row(&mut self, line: usize) -> bool {
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
    fn row(&mut self, line: usize, raw: &RawRow<'_>) {
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

    fn finish(self) -> Result<Vec<RegistryEntry>, ImportErrors> {
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
fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------
// CSV

/// `;` when the first non-blank line has more semicolons than commas outside
/// quotes, `,` otherwise.
fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn record_line(record: &csv::StringRecord) -> usize {
    record
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(0)
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

fn csv_error(collector: &mut Collector, error: &csv::Error) {
    let line = error
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(0);
    collector.issue(line, None, format!("unreadable CSV: {error}"));
}

fn parse_csv(text: &str, collector: &mut Collector) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    let header = loop {
        match records.next() {
            None => return,
            Some(Err(e)) => return csv_error(collector, &e),
            Some(Ok(r)) if is_blank(&r) => {}
            Some(Ok(r)) => break r,
        }
    };
    let header_line = record_line(&header);
    let mut index: [Option<usize>; 6] = [None; 6];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_lowercase();
        let Some(column) = Column::from_name(&name) else {
            continue;
        };
        if index[column as usize].is_some() {
            collector.issue(
                header_line,
                Some(column.name()),
                format!("the column {} appears twice", column.name()),
            );
        } else {
            index[column as usize] = Some(i);
        }
    }
    for column in COLUMNS {
        if column.required() && index[column as usize].is_none() {
            collector.issue(
                header_line,
                Some(column.name()),
                format!("the required column {} is missing", column.name()),
            );
        }
    }
    if !collector.issues.is_empty() {
        return;
    }

    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                csv_error(collector, &e);
                if collector.stopped {
                    return;
                }
                continue;
            }
        };
        if is_blank(&record) {
            continue;
        }
        let line = record_line(&record);
        if !collector.count_row(line) {
            return;
        }
        let extra_filled = record
            .iter()
            .skip(header.len())
            .any(|f| !f.trim().is_empty());
        if record.len() < header.len() || extra_filled {
            collector.issue(
                line,
                None,
                format!(
                    "the row has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
            );
        } else {
            let raw: RawRow<'_> = index.map(|i| i.and_then(|i| record.get(i)));
            collector.row(line, &raw);
        }
        if collector.stopped {
            return;
        }
    }
}

// ---------------------------------------------------------------------------
// JSON

/// Error text used to abandon the JSON stream once the collector stopped.
const STOPPED: &str = "import stopped";

fn parse_json(bytes: &[u8], collector: &mut Collector) {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => Entries(collector).deserialize(&mut de),
        Some(b'{') => Wrapped(collector).deserialize(&mut de),
        _ => {
            collector.issue(
                0,
                None,
                "expected a JSON array of entries or an object with \"entries\"",
            );
            return;
        }
    };
    if let Err(e) = result.and_then(|()| de.end())
        && !collector.stopped
    {
        collector.issue(0, None, format!("not valid JSON: {e}"));
    }
}

impl Collector {
    fn json_entry(&mut self, index: usize, value: Value) {
        if !self.count_row(index) {
            return;
        }
        let Value::Object(map) = value else {
            self.issue(index, None, "an entry is a JSON object");
            return;
        };
        let mut raw: RawRow<'_> = [None; 6];
        let mut typed = true;
        for column in COLUMNS {
            match map.get(column.name()) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => raw[column as usize] = Some(s),
                Some(_) => {
                    self.issue(index, Some(column.name()), "must be a string");
                    typed = false;
                }
            }
        }
        if typed {
            self.row(index, &raw);
        }
    }
}

/// Reads a JSON array of entries, one at a time, into the collector.
struct Entries<'a>(&'a mut Collector);

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of registry entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            index += 1;
            self.0.json_entry(index, value);
            if self.0.stopped {
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

/// Reads `{"entries": [...]}`; other keys are ignored.
struct Wrapped<'a>(&'a mut Collector);

impl<'de> DeserializeSeed<'de> for Wrapped<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Wrapped<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with an \"entries\" array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let collector = self.0;
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                if found {
                    return Err(de::Error::duplicate_field("entries"));
                }
                found = true;
                map.next_value_seed(Entries(&mut *collector))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !found {
            collector.issue(0, Some("entries"), "the object has no \"entries\" array");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Valid SNILS (see snils.rs tests).
    const S1: &str = "112-233-445 95";
    const S2: &str = "12345678964";
    const S3: &str = "100-582-052 99";
    const S4: &str = "05023431600";

    fn snils(s: &str) -> Snils {
        Snils::parse(s).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn csv(text: &str) -> Result<Vec<RegistryEntry>, ImportErrors> {
        parse(text.as_bytes(), Format::Csv)
    }

    fn json(text: &str) -> Result<Vec<RegistryEntry>, ImportErrors> {
        parse(text.as_bytes(), Format::Json)
    }

    fn issues(result: Result<Vec<RegistryEntry>, ImportErrors>) -> Vec<ImportIssue> {
        result.unwrap_err().issues
    }

    fn issue(line: usize, field: Option<&str>, message: &str) -> ImportIssue {
        ImportIssue {
            line,
            field: field.map(str::to_owned),
            message: message.to_owned(),
        }
    }

    fn entry(s: &str, status: SroStatus) -> RegistryEntry {
        RegistryEntry {
            snils: snils(s),
            full_name: "Иванов Иван Иванович".to_owned(),
            sro_name: "Ассоциация «Кадастровые инженеры»".to_owned(),
            registry_number: Some("123".to_owned()),
            status,
            status_date: Some(date(2024, 1, 1)),
        }
    }

    #[test]
    fn status_parses_english_and_russian() {
        use SroStatus::*;
        for (input, want) in [
            ("active", Active),
            ("ACTIVE", Active),
            (" Suspended ", Suspended),
            ("excluded", Excluded),
            ("действует", Active),
            ("Действует", Active),
            ("ПРИОСТАНОВЛЕН", Suspended),
            ("исключен", Excluded),
            ("Исключён", Excluded),
        ] {
            assert_eq!(input.parse::<SroStatus>().unwrap(), want, "{input:?}");
        }
        for bad in ["", "activ", "member", "действующий"] {
            assert_eq!(bad.parse::<SroStatus>().unwrap_err().code, "sro_status");
        }
        assert_eq!(Active.as_str(), "active");
        assert_eq!(Suspended.to_string(), "suspended");
        assert_eq!(Excluded.as_str(), "excluded");
        assert!(Active.is_active() && !Suspended.is_active() && !Excluded.is_active());
        assert_eq!(serde_json::to_string(&Excluded).unwrap(), "\"excluded\"");
    }

    #[test]
    fn detects_the_format() {
        assert_eq!(detect_format(b"[]"), Format::Json);
        assert_eq!(detect_format(b"  \n{\"entries\":[]}"), Format::Json);
        assert_eq!(detect_format(b"\xEF\xBB\xBF [ ]"), Format::Json);
        assert_eq!(detect_format(b"snils,full_name"), Format::Csv);
        assert_eq!(detect_format(b"\xEF\xBB\xBFsnils;status"), Format::Csv);
        assert_eq!(detect_format(b""), Format::Csv);
        assert_eq!(detect_format(b"\xff\xfe"), Format::Csv);
    }

    #[test]
    fn parses_comma_csv() {
        let file = "snils,full_name,sro_name,registry_number,status,status_date\n\
                    112-233-445 95,Иванов  Иван Иванович,Ассоциация «Кадастровые инженеры»,123,active,2024-01-01\n\
                    12345678964,Петрова Анна,СРО КИ,,suspended,\n";
        let entries = csv(file).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], entry(S1, SroStatus::Active));
        assert_eq!(entries[1].snils, snils(S2));
        assert_eq!(entries[1].full_name, "Петрова Анна");
        assert_eq!(entries[1].registry_number, None);
        assert_eq!(entries[1].status, SroStatus::Suspended);
        assert_eq!(entries[1].status_date, None);
    }

    #[test]
    fn parses_semicolon_csv_with_bom_crlf_and_any_column_order() {
        let file = "\u{feff}Status;SNILS;Full_Name;Comment;SRO_Name\r\n\
                    действует;112-233-445 95;Иванов Иван Иванович;any text, with commas;СРО «Север»\r\n\
                    Приостановлен;12345678964;Петрова Анна;;СРО «Юг»\r\n\
                    ИСКЛЮЧЁН;100-582-052 99;Сидоров Пётр;;СРО «Юг»\r\n";
        let entries = csv(file).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].snils, snils(S1));
        assert_eq!(entries[0].status, SroStatus::Active);
        assert_eq!(entries[0].sro_name, "СРО «Север»");
        assert_eq!(entries[1].status, SroStatus::Suspended);
        assert_eq!(entries[2].status, SroStatus::Excluded);
        assert_eq!(entries[2].full_name, "Сидоров Пётр");
    }

    #[test]
    fn quoted_fields_may_hold_the_delimiter_quotes_and_newlines() {
        let file = "snils;full_name;sro_name;status\n\
                    112-233-445 95;Иванов Иван;\"Ассоциация \"\"СРО; КИ\"\"\";active\n\
                    12345678964;Петрова Анна;\"Союз\nкадастровых инженеров\";active\n\
                    100-582-052 99;Сидоров Пётр;СРО;bogus\n";
        let err = csv(file).unwrap_err();
        // The quoted newline is inside the row of line 3, so the bad row
        // starts on line 5.
        assert_eq!(err.issues.len(), 1);
        assert_eq!(err.issues[0].line, 5);
        assert_eq!(err.issues[0].field.as_deref(), Some("status"));

        let file = "snils,full_name,sro_name,status\n\
                    112-233-445 95,\"Иванов, Иван\",\"Ассоциация \"\"СРО, КИ\"\"\",active\n";
        let entries = csv(file);
        // A comma is not allowed in a full name: the row is refused.
        assert_eq!(issues(entries)[0].field.as_deref(), Some("full_name"));

        let file = "snils,full_name,sro_name,status\n\
                    112-233-445 95,Иванов Иван,\"Ассоциация \"\"СРО, КИ\"\"\",active\n\
                    12345678964,Петрова Анна,\"Союз\nкадастровых  инженеров\",active\n";
        let entries = csv(file).unwrap();
        assert_eq!(entries[0].sro_name, "Ассоциация \"СРО, КИ\"");
        assert_eq!(entries[1].sro_name, "Союз кадастровых инженеров");
    }

    #[test]
    fn semicolon_header_with_quoted_commas_is_still_semicolon() {
        assert_eq!(detect_delimiter("\"a,b,c\";snils;status"), b';');
        assert_eq!(detect_delimiter("snils,full_name;x"), b',');
        assert_eq!(detect_delimiter("\n\nsnils;full_name\n1,2,3,4"), b';');
    }

    #[test]
    fn empty_and_header_only_files_give_no_entries() {
        for file in [
            "",
            "  \n\r\n",
            "\u{feff}",
            "snils,full_name,sro_name,status\n",
            "snils;full_name;sro_name;status;status_date",
            "snils;full_name;sro_name;status\n;;;\n\n",
        ] {
            assert_eq!(csv(file).unwrap(), vec![], "{file:?}");
        }
        for file in ["", "[]", "\u{feff}[ ]", "{\"entries\": []}", " \n "] {
            assert_eq!(json(file).unwrap(), vec![], "{file:?}");
        }
    }

    #[test]
    fn blank_rows_are_skipped_and_lines_still_count() {
        let file =
            "snils;full_name;sro_name;status\n\n;;;\n112-233-445 95;Иванов Иван;СРО;unknown\n";
        assert_eq!(
            issues(csv(file)),
            vec![issue(
                4,
                Some("status"),
                "the status is one of active, suspended, excluded \
                 (or действует, приостановлен, исключен)"
            )]
        );
    }

    #[test]
    fn a_missing_column_is_one_issue_naming_it() {
        let file = "snils,full_name,status,registry_number\n112-233-445 95,Иванов Иван,active,1\n";
        assert_eq!(
            issues(csv(file)),
            vec![issue(
                1,
                Some("sro_name"),
                "the required column sro_name is missing"
            )]
        );
        let all = issues(csv("a,b\n1,2\n"));
        let fields: Vec<_> = all.iter().filter_map(|i| i.field.as_deref()).collect();
        assert_eq!(fields, ["snils", "full_name", "sro_name", "status"]);
        let twice = issues(csv("snils,full_name,sro_name,status,SNILS\n"));
        assert_eq!(twice.len(), 1);
        assert_eq!(twice[0].field.as_deref(), Some("snils"));
    }

    #[test]
    fn reports_bad_values_with_line_and_field() {
        let file = "snils,full_name,sro_name,registry_number,status,status_date\n\
                    112-233-445 94,Иванов Иван,СРО,1,active,2024-01-01\n\
                    12345678964,,СРО,1,active,2024-02-30\n\
                    100-582-052 99,Сидоров Пётр,СРО,1,,01.02.2024\n\
                    not a snils,Сидоров Пётр,,1,active,2024/01/01\n\
                    05023431600,Сидоров Пётр,СРО\n";
        let got: Vec<_> = issues(csv(file))
            .into_iter()
            .map(|i| (i.line, i.field))
            .collect();
        let s = |f: &str| Some(f.to_owned());
        assert_eq!(
            got,
            vec![
                (2, s("snils")),
                (3, s("full_name")),
                (3, s("status_date")),
                (4, s("status")),
                (5, s("snils")),
                (5, s("sro_name")),
                (5, s("status_date")),
                (6, None),
            ]
        );
        let err = csv(file).unwrap_err();
        assert_eq!(err.issues[0].message, "SNILS check digits do not match");
        assert_eq!(err.issues[1].message, "required");
        assert_eq!(
            err.issues[7].message,
            "the row has 3 fields, the header has 6"
        );
        assert!(!err.truncated);
    }

    #[test]
    fn accepts_both_date_spellings_and_trailing_empty_fields() {
        let file = "snils;full_name;sro_name;status;status_date\n\
                    112-233-445 95;Иванов Иван;СРО;active;01.02.2024;;\n\
                    12345678964;Петрова Анна;СРО;active;2024-02-29\n";
        let entries = csv(file).unwrap();
        assert_eq!(entries[0].status_date, Some(date(2024, 2, 1)));
        assert_eq!(entries[1].status_date, Some(date(2024, 2, 29)));
        let extra = issues(csv("snils;full_name;sro_name;status\n\
                                112-233-445 95;Иванов Иван;СРО;active;x\n"));
        assert_eq!(extra[0].line, 2);
        assert_eq!(extra[0].message, "the row has 5 fields, the header has 4");
    }

    #[test]
    fn a_duplicate_snils_is_an_issue_on_the_second_line() {
        let file = "snils,full_name,sro_name,status\n\
                    112-233-445 95,Иванов Иван,СРО,active\n\
                    12345678964,Петрова Анна,СРО,active\n\
                    11223344595,Иванов Иван,СРО,excluded\n";
        assert_eq!(
            issues(csv(file)),
            vec![issue(
                4,
                Some("snils"),
                "SNILS 112-233-445 95 is already listed on line 2"
            )]
        );
    }

    #[test]
    fn not_utf8_is_one_issue() {
        let mut file = b"snils;full_name;sro_name;status\n112-233-445 95;".to_vec();
        file.extend_from_slice(&[0xc8, 0xe2, 0xe0, 0xed]); // «Иван» in Windows-1251
        file.extend_from_slice(b";x;active\n");
        let got = issues(parse(&file, Format::Csv));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 2);
        assert!(got[0].message.contains("UTF-8"));
    }

    #[test]
    fn stops_after_max_issues() {
        let mut file = String::from("snils,full_name,sro_name,status\n");
        for _ in 0..150 {
            file.push_str("112-233-445 95,Иванов Иван,СРО,bogus\n");
        }
        let err = csv(&file).unwrap_err();
        assert_eq!(err.issues.len(), MAX_ISSUES);
        assert!(err.truncated);
        assert_eq!(err.issues[99].line, 101);
        let text = err.to_string();
        assert!(text.starts_with(
            "the SRO registry file was rejected: 100 issues (only the first 100 are listed)\n  line 2, status: "
        ));
    }

    #[test]
    fn more_than_max_rows_is_an_issue() {
        // A real file of a million rows is slow to build in a unit test;
        // drive the row counter the parsers share instead.
        let mut c = Collector::default();
        for line in 1..=MAX_ROWS {
            assert!(c.count_row(line));
        }
        assert!(!c.count_row(MAX_ROWS + 1));
        let err = c.finish().unwrap_err();
        assert_eq!(err.issues.len(), 1);
        assert_eq!(err.issues[0].line, MAX_ROWS + 1);
        assert!(err.issues[0].message.contains("more than 1000000 rows"));
    }

    #[test]
    fn parses_json_array_and_wrapped_object() {
        let array = r#"[
            {"snils": "112-233-445 95", "full_name": "Иванов Иван Иванович",
             "sro_name": "Ассоциация «Кадастровые инженеры»", "registry_number": "123",
             "status": "active", "status_date": "2024-01-01", "extra": {"ignored": true}},
            {"snils": "12345678964", "full_name": "Петрова Анна", "sro_name": "СРО",
             "registry_number": null, "status": "Исключен"}
        ]"#;
        let entries = json(array).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], entry(S1, SroStatus::Active));
        assert_eq!(entries[1].status, SroStatus::Excluded);
        assert_eq!(entries[1].registry_number, None);

        let wrapped = format!("\u{feff}{{\"generated_at\": \"2024-06-01\", \"entries\": {array}}}");
        assert_eq!(parse(wrapped.as_bytes(), Format::Json).unwrap(), entries);
        assert_eq!(
            parse(wrapped.as_bytes(), detect_format(wrapped.as_bytes())).unwrap(),
            entries
        );
    }

    #[test]
    fn json_entries_are_numbered_from_one() {
        let file = r#"{"entries": [
            {"snils": "112-233-445 95", "full_name": "Иванов Иван", "sro_name": "СРО", "status": "active"},
            {"snils": 12345678964, "full_name": "Петрова Анна", "sro_name": "СРО", "status": "active"},
            "not an object",
            {"snils": "11223344595", "full_name": "Иванов Иван", "sro_name": "СРО", "status": "active"},
            {"full_name": "Сидоров Пётр", "sro_name": "СРО", "status": "unknown"}
        ]}"#;
        let got: Vec<_> = issues(json(file))
            .into_iter()
            .map(|i| (i.line, i.field, i.message))
            .collect();
        let s = |f: &str| Some(f.to_owned());
        assert_eq!(got[0], (2, s("snils"), "must be a string".to_owned()));
        assert_eq!(got[1], (3, None, "an entry is a JSON object".to_owned()));
        assert_eq!(
            got[2],
            (
                4,
                s("snils"),
                "SNILS 112-233-445 95 is already listed on line 1".to_owned()
            )
        );
        assert_eq!(got[3], (5, s("snils"), "required".to_owned()));
        assert_eq!(got[4].0, 5);
        assert_eq!(got[4].1, s("status"));
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn json_garbage_is_a_file_issue() {
        for bad in [
            "[",
            "[{\"snils\": }]",
            "{\"entries\": 5}",
            "{\"entries\": [], \"entries\": []}",
            "[] []",
            "null",
            "42",
            "\"entries\"",
            "snils,status",
            "[1, 2",
        ] {
            let err = json(bad).unwrap_err();
            assert!(err.issues.iter().any(|i| i.line == 0), "{bad:?}: {err:?}");
        }
        let missing = issues(json("{\"items\": []}"));
        assert_eq!(
            missing,
            vec![issue(
                0,
                Some("entries"),
                "the object has no \"entries\" array"
            )]
        );
        let err = json("[{\"snils\": \"x\"} oops").unwrap_err();
        assert!(
            err.issues
                .last()
                .unwrap()
                .message
                .starts_with("not valid JSON")
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        use rand::{Rng, SeedableRng, rngs::StdRng};
        let alphabet = b"0123456789-; ,\"\n\r\t[]{}:snilstatuc_\\\xEF\xBB\xBF\xFF\xD0\xB8";
        let mut rng = StdRng::seed_from_u64(7);
        let header = b"snils;full_name;sro_name;status;status_date\n";
        let mut inputs: Vec<Vec<u8>> = vec![
            b"\xEF\xBB".to_vec(),
            b"\"".to_vec(),
            b"snils;\"".to_vec(),
            b"[{\"snils\": \"\xFF\"}]".to_vec(),
            b"snils,full_name,sro_name,status\n\"unterminated,".to_vec(),
            b"{\"entries\": [{}, [], null, 1e999999]}".to_vec(),
        ];
        for i in 0..600 {
            let len = rng.gen_range(0..200);
            let mut bytes: Vec<u8> = if i % 3 == 0 {
                header.to_vec()
            } else {
                Vec::new()
            };
            for _ in 0..len {
                bytes.push(if i % 2 == 0 {
                    rng.r#gen()
                } else {
                    alphabet[rng.gen_range(0..alphabet.len())]
                });
            }
            inputs.push(bytes);
        }
        for bytes in &inputs {
            for format in [Format::Csv, Format::Json, detect_format(bytes)] {
                if let Err(e) = parse(bytes, format) {
                    assert!(!e.issues.is_empty());
                    let _ = e.to_string();
                }
            }
        }
    }

    #[test]
    fn fixtures_parse() {
        let csv_file = include_bytes!("../tests/fixtures/sro/registry.csv");
        let json_file = include_bytes!("../tests/fixtures/sro/registry.json");
        assert_eq!(detect_format(csv_file), Format::Csv);
        assert_eq!(detect_format(json_file), Format::Json);
        let from_csv = parse(csv_file, Format::Csv).unwrap();
        let from_json = parse(json_file, Format::Json).unwrap();
        assert_eq!(from_csv.len(), 3);
        assert_eq!(from_csv, from_json);
    }

    fn stored(entries: &[RegistryEntry]) -> HashMap<String, StoredEntry> {
        entries
            .iter()
            .map(|e| (e.snils.digits().to_owned(), e.to_stored()))
            .collect()
    }

    fn apply(current: &mut HashMap<String, StoredEntry>, plan: &ImportPlan) {
        for e in &plan.upserts {
            current.insert(e.snils.digits().to_owned(), e.to_stored());
        }
    }

    #[test]
    fn plan_sorts_new_changed_and_unchanged() {
        use SroStatus::*;
        let current = stored(&[
            entry(S1, Active),    // stays the same
            entry(S2, Active),    // becomes suspended
            entry(S3, Suspended), // becomes active again
            entry(S4, Excluded),  // only the date changes; absent below
        ]);
        let mut renamed = entry(S1, Active);
        renamed.sro_name = "Другая СРО".to_owned();
        let new_active = entry("70020162101", Active);
        let new_excluded = entry("82098123300", Excluded);
        let mut still_excluded = entry(S4, Excluded);
        still_excluded.status_date = Some(date(2025, 5, 5));

        let p = plan(
            &current,
            vec![
                entry(S1, Active),
                entry(S2, Suspended),
                entry(S3, Active),
                new_active.clone(),
                new_excluded.clone(),
                still_excluded.clone(),
            ],
        );
        assert_eq!(p.unchanged, 1);
        assert_eq!(
            p.upserts,
            vec![
                entry(S2, Suspended),
                entry(S3, Active),
                new_active.clone(),
                new_excluded,
                still_excluded,
            ]
        );
        assert_eq!(p.became_active, vec![snils(S3), new_active.snils.clone()]);
        assert_eq!(p.became_inactive, vec![snils(S2)]);
        assert!(!p.is_noop());

        // Any changed field is an upsert; no status change, no transition.
        let p = plan(&current, vec![renamed.clone()]);
        assert_eq!(p.upserts, vec![renamed]);
        assert!(p.became_active.is_empty() && p.became_inactive.is_empty());
        assert_eq!(p.unchanged, 0);

        // Excluded after suspended: not active before or after.
        let p = plan(&current, vec![entry(S3, Excluded)]);
        assert_eq!(p.upserts.len(), 1);
        assert!(p.became_active.is_empty() && p.became_inactive.is_empty());
    }

    #[test]
    fn entries_absent_from_the_file_are_left_alone() {
        let current = stored(&[entry(S1, SroStatus::Active), entry(S2, SroStatus::Active)]);
        let p = plan(&current, vec![entry(S1, SroStatus::Active)]);
        assert_eq!(
            p,
            ImportPlan {
                unchanged: 1,
                ..ImportPlan::default()
            }
        );
        assert!(p.is_noop());
        assert!(plan(&current, vec![]).is_noop());
    }

    #[test]
    fn importing_the_same_file_twice_changes_nothing_the_second_time() {
        let file = include_bytes!("../tests/fixtures/sro/registry.csv");
        let mut current = stored(&[entry(S2, SroStatus::Active)]);
        let first = plan(&current, parse(file, Format::Csv).unwrap());
        assert!(!first.upserts.is_empty());
        apply(&mut current, &first);
        let second = plan(&current, parse(file, Format::Csv).unwrap());
        assert!(second.is_noop(), "{second:?}");
        assert_eq!(second.unchanged, 3);
        assert!(second.became_active.is_empty() && second.became_inactive.is_empty());
    }

    #[test]
    fn plan_keeps_the_last_of_repeated_snils() {
        use SroStatus::*;
        let p = plan(
            &HashMap::new(),
            vec![entry(S1, Active), entry(S2, Active), entry(S1, Excluded)],
        );
        assert_eq!(p.upserts, vec![entry(S2, Active), entry(S1, Excluded)]);
        assert_eq!(p.became_active, vec![snils(S2)]);
    }
}
