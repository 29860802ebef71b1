//! Query strings are as strict as JSON bodies (docs/API.md, "Query
//! strings"): every parameter of a request is checked against the
//! operation's parameters in the OpenAPI document before any handler or
//! guard runs. A parameter the operation does not have, one given twice,
//! or a value its schema refuses (a status or sort not in the list, a
//! number that is not one or is out of bounds, a date that is not
//! `YYYY-MM-DD`, a boolean other than `true`/`false`) is 422
//! `validation_failed` naming each such parameter with what it must be.
//! The document is the single source: a parameter added to a route's
//! `params(...)` is accepted and checked at once.

use crate::error::FieldIssues;
use mezha_api_types::FieldIssue;
use serde_json::Value;

/// What a documented query parameter may hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Any text.
    Text,
    /// One of these values.
    OneOf(Vec<String>),
    /// A whole number within the bounds.
    Integer {
        /// Least value.
        min: i128,
        /// Greatest value.
        max: i128,
    },
    /// A finite decimal number within the bounds.
    Number {
        /// Least value.
        min: f64,
        /// Greatest value.
        max: f64,
    },
    /// `true` or `false`.
    Boolean,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A UUID.
    Uuid,
}

/// A query parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Whether the operation needs it.
    pub required: bool,
    /// What it may hold.
    pub kind: Kind,
}

/// The query parameters of `operation` (a JSON operation object of the
/// document), their schemas resolved against `components`.
pub fn params_of(operation: &Value, components: &Value) -> Vec<Param> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| {
            Some(Param {
                name: p["name"].as_str()?.to_owned(),
                required: p["required"].as_bool().unwrap_or(false),
                kind: kind_of(&p["schema"], components, 0),
            })
        })
        .collect()
}

fn kind_of(schema: &Value, components: &Value, depth: u8) -> Kind {
    if depth > 4 {
        return Kind::Text;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return kind_of(&components["schemas"][name], components, depth + 1);
    }
    // `Option<T>` may be documented as `oneOf: [null, T]` or `type: [T, null]`.
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = schema[key].as_array()
            && let Some(inner) = list.iter().find(|s| s["type"] != "null")
        {
            return kind_of(inner, components, depth + 1);
        }
    }
    // Text or whole numbers (a photo's `size`), as they are written in a query.
    if let Some(values) = schema["enum"].as_array() {
        return Kind::OneOf(
            values
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
        );
    }
    let kind = match &schema["type"] {
        Value::String(t) => t.as_str(),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ => "string",
    };
    let format = schema["format"].as_str().unwrap_or_default();
    match (kind, format) {
        ("integer", _) => {
            let (low, high) = match format {
                "int32" => (i128::from(i32::MIN), i128::from(i32::MAX)),
                _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
            };
            let bound = |key: &str| schema[key].as_f64().map(|v| v as i128);
            Kind::Integer {
                min: bound("minimum").map_or(low, |m| m.max(low)),
                max: bound("maximum").map_or(high, |m| m.min(high)),
            }
        }
        ("number", _) => Kind::Number {
            min: schema["minimum"].as_f64().unwrap_or(f64::MIN),
            max: schema["maximum"].as_f64().unwrap_or(f64::MAX),
        },
        ("boolean", _) => Kind::Boolean,
        ("string", "date") => Kind::Date,
        ("string", "uuid") => Kind::Uuid,
        _ => Kind::Text,
    }
}

fn issue(code: &str, message: String) -> FieldIssue {
    FieldIssue {
        code: code.into(),
        message,
    }
}

/// What is wrong with `value` for a parameter of this kind; `None` when
/// nothing is.
fn refusal(kind: &Kind, value: &str) -> Option<FieldIssue> {
    let invalid = |what: String| Some(issue("invalid_value", what));
    match kind {
        Kind::Text => None,
        Kind::OneOf(values) if values.iter().any(|v| v == value) => None,
        Kind::OneOf(values) => invalid(format!("Must be one of: {}.", values.join(", "))),
        Kind::Integer { min, max } => match value.parse::<i128>() {
            Ok(n) if (*min..=*max).contains(&n) => None,
            Ok(_) => Some(issue(
                "out_of_range",
                format!("Must be between {min} and {max}."),
            )),
            Err(_) => invalid("Must be a whole number.".into()),
        },
        Kind::Number { min, max } => match value.parse::<f64>() {
            Ok(n) if n.is_finite() && (*min..=*max).contains(&n) => None,
            Ok(n) if n.is_finite() => Some(issue(
                "out_of_range",
                format!("Must be between {min} and {max}."),
            )),
            _ => invalid("Must be a number.".into()),
        },
        Kind::Boolean if value == "true" || value == "false" => None,
        Kind::Boolean => invalid("Must be true or false.".into()),
        Kind::Date => match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(_) => None,
            Err(_) => invalid("Must be a date, YYYY-MM-DD.".into()),
        },
        Kind::Uuid => match uuid::Uuid::parse_str(value) {
            Ok(_) => None,
            Err(_) => invalid("Must be a UUID.".into()),
        },
    }
}

/// The problems of `query` (the raw query string) against `params`: each
/// parameter named with what is wrong with it; empty when none is.
pub fn check(query: &str, params: &[Param]) -> FieldIssues {
    let mut errors = FieldIssues::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let name = name.into_owned();
        let found = match params.iter().find(|p| p.name == name) {
            Some(param) => refusal(&param.kind, &value),
            None => {
                let mut known: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                known.sort_unstable();
                Some(issue(
                    "unknown_parameter",
                    if known.is_empty() {
                        "This operation takes no query parameters.".into()
                    } else {
                        format!(
                            "Not a parameter of this operation; it takes: {}.",
                            known.join(", ")
                        )
                    },
                ))
            }
        };
        let found = found.or_else(|| {
            seen.contains(&name)
                .then(|| issue("repeated_parameter", "Given more than once.".into()))
        });
        if let Some(found) = found {
            let list = errors.entry(name.clone()).or_default();
            if !list.iter().any(|i| i.code == found.code) {
                list.push(found);
            }
        }
        seen.push(name);
    }
    for param in params.iter().filter(|p| p.required) {
        if !seen.contains(&param.name) {
            errors
                .entry(param.name.clone())
                .or_default()
                .push(issue("required", "This parameter is required.".into()));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params() -> Vec<Param> {
        let components =
            json!({"schemas": {"SearchSort": {"type": "string", "enum": ["newest", "urgency"]}}});
        let operation = json!({"parameters": [
            {"name": "id", "in": "path", "schema": {"type": "string"}},
            {"name": "sort", "in": "query", "schema": {"$ref": "#/components/schemas/SearchSort"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "minimum": 0}},
            {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}},
            {"name": "paid", "in": "query", "schema": {"type": ["boolean", "null"]}},
            {"name": "rating", "in": "query", "schema": {"type": "number", "format": "double", "minimum": 0, "maximum": 5}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
            {"name": "name", "in": "query", "required": true, "schema": {"type": "string"}},
        ]});
        params_of(&operation, &components)
    }

    #[test]
    fn parameters_are_read_from_the_document_with_their_schemas() {
        let params = params();
        assert_eq!(
            params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["sort", "limit", "until", "paid", "rating", "q", "name"]
        );
        assert_eq!(
            params[0].kind,
            Kind::OneOf(vec!["newest".into(), "urgency".into()])
        );
        assert_eq!(
            params[1].kind,
            Kind::Integer {
                min: 0,
                max: i128::from(i32::MAX)
            }
        );
        assert_eq!(params[2].kind, Kind::Date);
        assert_eq!(params[3].kind, Kind::Boolean);
        assert_eq!(params[4].kind, Kind::Number { min: 0.0, max: 5.0 });
        assert_eq!(
            check("rating=5.5&name=n", &params)["rating"][0].code,
            "out_of_range"
        );
        assert_eq!(params[5].kind, Kind::Text);
    }

    #[test]
    fn a_list_of_whole_numbers_is_one_of_them() {
        let operation = json!({"parameters": [
            {"name": "size", "in": "query", "schema": {"type": "integer", "enum": [64, 256, 512]}},
        ]});
        let params = params_of(&operation, &json!({}));
        assert_eq!(
            params[0].kind,
            Kind::OneOf(vec!["64".into(), "256".into(), "512".into()])
        );
        assert!(check("size=256", &params).is_empty());
        let errors = check("size=100", &params);
        assert_eq!(errors["size"][0].code, "invalid_value");
        assert_eq!(errors["size"][0].message, "Must be one of: 64, 256, 512.");
    }

    #[test]
    fn good_queries_pass() {
        let params = params();
        for query in [
            "name=a",
            "sort=urgency&limit=20&until=2026-12-31&paid=false&rating=4.5&q=%D0%BC&name=x.pdf",
            "q=&name=",
            "limit=0&name=b",
        ] {
            assert!(check(query, &params).is_empty(), "{query}");
        }
    }

    #[test]
    fn every_bad_parameter_is_named_at_once() {
        let params = params();
        let errors = check(
            "sort=oldest&limit=-1&until=31.12.2026&paid=yes&rating=NaN&regoin=77&q=a&q=b&name=n",
            &params,
        );
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|(name, list)| (name.as_str(), list[0].code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("limit", "out_of_range"),
                ("paid", "invalid_value"),
                ("q", "repeated_parameter"),
                ("rating", "invalid_value"),
                ("regoin", "unknown_parameter"),
                ("sort", "invalid_value"),
                ("until", "invalid_value"),
            ]
        );
        assert_eq!(
            errors["sort"][0].message,
            "Must be one of: newest, urgency."
        );
        assert_eq!(
            errors["limit"][0].message,
            "Must be between 0 and 2147483647."
        );
        assert!(
            errors["regoin"][0]
                .message
                .contains("limit, name, paid, q, rating, sort, until")
        );
        assert_eq!(
            check("limit=abc&name=n", &params)["limit"][0].message,
            "Must be a whole number."
        );
        assert_eq!(
            check("limit=99999999999&name=n", &params)["limit"][0].code,
            "out_of_range"
        );
    }

    #[test]
    fn a_required_parameter_left_out_is_named() {
        let errors = check("", &params());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors["name"][0].code, "required");
    }

    #[test]
    fn an_operation_without_parameters_refuses_any() {
        let errors = check("x=1", &[]);
        assert_eq!(errors["x"][0].code, "unknown_parameter");
        assert_eq!(
            errors["x"][0].message,
            "This operation takes no query parameters."
        );
    }
}
