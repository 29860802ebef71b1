//! Reading the JSON form of an import file.

use super::IssueCode;
use super::rows::{COLUMNS, Collector, Column, RawActions, RawRow};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

// ---------------------------------------------------------------------------
// JSON

/// Error text used to abandon the JSON stream once the collector stopped.
const STOPPED: &str = "import stopped";

/// The top-level keys that hold the entries: the registry's `engineers`,
/// and `entries`, its name in the earlier format.
const LIST_KEYS: [&str; 2] = ["engineers", "entries"];

pub(super) fn parse_json(bytes: &[u8], collector: &mut Collector) {
    // A raw NUL byte is not valid JSON anyway; say what it is.
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        collector.push_nul_byte(at);
        return;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => Entries(collector).deserialize(&mut de),
        Some(b'{') => Wrapped(collector).deserialize(&mut de),
        _ => {
            collector.issue(
                0,
                None,
                "expected an object with an \"engineers\" array (or a JSON array of entries)",
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

/// The paths (`full_name`, `disciplinary_actions[1].text`, `comment`) of
/// the strings and keys of `value` that carry U+0000, arrays numbered from
/// 1 as the import numbers entries; a NUL in a key is shown as `\u0000`.
fn nul_paths(value: &Value, path: String, found: &mut Vec<String>) {
    match value {
        Value::String(text) if text.contains('\0') => found.push(path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nul_paths(item, format!("{path}[{}]", i + 1), found);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let shown = key.replace('\0', "\\u0000");
                let child = if path.is_empty() {
                    shown
                } else {
                    format!("{path}.{shown}")
                };
                if key.contains('\0') {
                    found.push(child);
                } else {
                    nul_paths(item, child, found);
                }
            }
        }
        _ => {}
    }
}

impl Collector {
    fn push_nul_byte(&mut self, offset: usize) {
        self.push(
            0,
            None,
            IssueCode::NulCharacter,
            format!("byte {offset} is the NUL character (U+0000), which no field may hold"),
        );
    }

    /// Issues for every string and key of `value` that carries U+0000
    /// (`line` 0: outside the entries, under `prefix`); whether there was
    /// any.
    fn json_nuls(&mut self, line: usize, prefix: &str, value: &Value) -> bool {
        let mut found = Vec::new();
        nul_paths(value, prefix.to_owned(), &mut found);
        for path in &found {
            self.nul(line, (!path.is_empty()).then_some(path.as_str()));
        }
        !found.is_empty()
    }

    fn json_entry(&mut self, index: usize, value: Value) {
        if !self.count_row(index) {
            return;
        }
        if self.json_nuls(index, "", &value) {
            return;
        }
        let Value::Object(map) = value else {
            self.issue(index, None, "an entry is a JSON object");
            return;
        };
        let mut raw = RawRow::empty();
        let mut typed = true;
        for column in COLUMNS {
            // The field under its name or its earlier one (a `null` is absent).
            let mut present = [Some(column.name()), column.alias()]
                .into_iter()
                .flatten()
                .filter_map(|key| map.get(key).filter(|v| !v.is_null()).map(|v| (key, v)));
            let Some((key, value)) = present.next() else {
                continue;
            };
            if let Some((other, _)) = present.next() {
                self.issue(
                    index,
                    Some(column.name()),
                    format!("give {key} or {other}, not both: they are the same field"),
                );
                typed = false;
                continue;
            }
            if column == Column::DisciplinaryActions {
                raw.actions = RawActions::Json(value);
                continue;
            }
            raw.names[column as usize] = key;
            match value {
                Value::String(s) => raw.values[column as usize] = Some(s),
                _ => {
                    self.issue(index, Some(key), "must be a string");
                    typed = false;
                }
            }
        }
        // `"disciplinary_actions": null` says "none" (the list is replaced);
        // only a missing key keeps the stored actions.
        if map.get(Column::DisciplinaryActions.name()) == Some(&Value::Null) {
            raw.actions = RawActions::Json(&Value::Null);
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

/// Reads `{"engineers": [...]}` (or `{"entries": [...]}`); other keys are
/// ignored, but may not carry U+0000 either.
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
        f.write_str("an object with an \"engineers\" array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let collector = self.0;
        let mut found: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            if LIST_KEYS.contains(&key.as_str()) {
                match &found {
                    Some(first) if *first == key => {
                        return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    Some(first) => {
                        collector.issue(
                            0,
                            Some(&key),
                            format!("give {first} or {key}, not both: they are the same list"),
                        );
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                    None => {}
                }
                found = Some(key);
                map.next_value_seed(Entries(&mut *collector))?;
            } else {
                let value = map.next_value::<Value>()?;
                let shown = key.replace('\0', "\\u0000");
                if key.contains('\0') {
                    collector.nul(0, Some(&shown));
                } else {
                    collector.json_nuls(0, &shown, &value);
                }
                if collector.stopped {
                    return Err(de::Error::custom(STOPPED));
                }
            }
        }
        if found.is_none() {
            collector.issue(
                0,
                Some("engineers"),
                "the object has no \"engineers\" array (or \"entries\", its earlier name)",
            );
        }
        Ok(())
    }
}
