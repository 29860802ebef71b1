//! Three-state fields for `PATCH` bodies: absent (keep), `null` (clear), value (set).

use serde::{Deserialize, Deserializer};

/// Deserialises a present field into `Some(inner)`, where `inner` is `None`
/// for JSON `null`. Use with `#[serde(default, deserialize_with = "...")]`
/// on an `Option<Option<T>>` so that an absent field stays `None`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
