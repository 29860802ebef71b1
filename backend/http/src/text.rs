//! No text the API receives may carry the NUL character (U+0000): no field
//! of Mezha means it, and PostgreSQL cannot store it (a NUL reaching the
//! database was a 500). It is refused at the edge, before any handler
//! runs, as 422 `validation_failed` naming every field that carries it
//! (docs/API.md, "Text"): in JSON bodies by [`crate::extract::ValidJson`]
//! and [`crate::extract::OptionalJson`] (string values and object keys, at
//! any depth), in query strings by [`middleware`] (names and values).

use crate::error::{ApiError, FieldIssues};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use mezha_api_types::FieldIssue;
use serde_json::Value;

/// The per-field code of a text that carries U+0000.
pub const NUL_CODE: &str = "nul_character";

fn issue() -> FieldIssue {
    FieldIssue {
        code: NUL_CODE.into(),
        message: "Must not contain the NUL character (U+0000).".into(),
    }
}

/// A field name as the client wrote it, with a NUL shown as `\u0000`.
fn shown(name: &str) -> String {
    name.replace('\0', "\\u0000")
}

/// The paths (`title`, `parts[2].name`) of the strings and keys of `value`
/// that carry U+0000; empty when none does.
pub fn nul_paths(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(value, String::new(), &mut found);
    found
}

fn walk(value: &Value, path: String, found: &mut Vec<String>) {
    match value {
        Value::String(text) if text.contains('\0') => found.push(path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), found);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let child = if path.is_empty() {
                    shown(key)
                } else {
                    format!("{path}.{}", shown(key))
                };
                if key.contains('\0') {
                    found.push(child);
                } else {
                    walk(item, child, found);
                }
            }
        }
        _ => {}
    }
}

/// The names of the query parameters whose name or value carries U+0000
/// (`%00` once decoded).
pub fn nul_parameters(query: &str) -> Vec<String> {
    let mut names: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| shown(&name))
        .collect();
    names.dedup();
    names
}

/// 422 naming each of `fields`; `None` when there are none.
pub fn refusal(fields: Vec<String>) -> Option<ApiError> {
    if fields.is_empty() {
        return None;
    }
    let errors: FieldIssues = fields.into_iter().map(|f| (f, vec![issue()])).collect();
    Some(ApiError::validation(errors))
}

/// Refuses a request whose query string carries U+0000, whatever the route.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if let Some(err) = refusal(nul_parameters(req.query_string())) {
        let response = err.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_paths_name_every_string_and_key_with_nul() {
        let value = json!({
            "title": "a\u{0}b",
            "ok": "fine",
            "parts": [{"name": "x"}, {"name": "\u{0}"}],
            "nested": {"bad\u{0}key": 1},
            "number": 0,
        });
        let mut paths = nul_paths(&value);
        paths.sort();
        assert_eq!(paths, ["nested.bad\\u0000key", "parts[1].name", "title"]);
        assert!(nul_paths(&json!({"text": "a\\u0000b", "n": [1, null, true]})).is_empty());
    }

    #[test]
    fn query_parameters_with_nul_are_named_once_decoded() {
        assert_eq!(nul_parameters("q=a%00b&region=77"), ["q"]);
        assert_eq!(nul_parameters("a%00=1"), ["a\\u0000"]);
        assert!(nul_parameters("q=a%2500b&q2=%20").is_empty());
        assert!(refusal(nul_parameters("")).is_none());
    }
}
