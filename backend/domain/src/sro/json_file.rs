//! Reading the JSON form of an import file.

use super::rows::{COLUMNS, Collector, RawRow};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

// ---------------------------------------------------------------------------
// JSON

/// Error text used to abandon the JSON stream once the collector stopped.
const STOPPED: &str = "import stopped";

pub(super) fn parse_json(bytes: &[u8], collector: &mut Collector) {
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
