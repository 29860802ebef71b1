//! The application's error: what went wrong, as a stable [`ErrorCode`] and
//! a [`Message`] (a key of the message catalogue and its parameters), never
//! as HTTP and never as text. The edge (`mezha-http`) turns it into
//! problem+json and chooses the text a person reads, in the request's
//! language (docs/API.md, "Errors").

use mezha_api_types::{ErrorCode, FieldIssue};
use mezha_domain::FieldError;
use mezha_store::StoreError;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Per-field problems, keyed by field name.
pub type FieldIssues = BTreeMap<String, Vec<FieldIssue>>;

/// `Result` of a use case.
pub type AppResult<T> = Result<T, AppError>;

/// A refused action's status and what may be done instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The status the resource is in.
    pub current_status: String,
    /// The actions allowed in it, for this caller.
    pub allowed_actions: Vec<String>,
}

/// What a person is told: a key of the message catalogue and the values of
/// its `{placeholders}`. Made with [`msg!`](crate::msg).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The catalogue key, `area.what` (e.g. `sessions.expired`).
    pub key: &'static str,
    /// The placeholders' values, by name.
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    /// The message `key` with no parameters.
    pub const fn new(key: &'static str) -> Self {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the value of the placeholder `{name}`.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// The key and its parameters (`sro.feed_status url=… status=404`), for
/// logs and operators' tools; people read the edge's text.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)?;
        for (name, value) in &self.args {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

impl From<&'static str> for Message {
    fn from(key: &'static str) -> Self {
        Message::new(key)
    }
}

/// A [`Message`]: `msg!("common.not_found")`, or with parameters
/// `msg!("otp.mismatch", left = remaining)`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::error::Message::new($key)$(.arg(stringify!($name), $value))*
    };
}

/// A problem the caller can act on.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The stable code (it decides the status the edge answers with).
    pub code: ErrorCode,
    /// What a person is told; the edge renders it in the caller's language.
    pub message: Message,
    /// Per-field issues (`validation_failed`).
    pub errors: Option<FieldIssues>,
    /// When to try again (`rate_limited` and the like).
    pub retry_after: Option<Duration>,
    /// `illegal_transition`: the current status and the allowed actions.
    pub transition: Option<Transition>,
    /// The validation report of a refused signature.
    pub report: Option<Box<mezha_api_types::signatures::ValidationReport>>,
}

/// A failed use case.
pub enum AppError {
    /// A problem the caller can act on.
    Problem(Box<Problem>),
    /// Something broke on our side; logged, never shown.
    Internal(anyhow::Error),
}

impl AppError {
    /// A problem with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<Message>) -> Self {
        AppError::Problem(Box::new(Problem {
            code,
            message: message.into(),
            errors: None,
            retry_after: None,
            transition: None,
            report: None,
        }))
    }

    /// `validation_failed` with per-field issues.
    pub fn validation(errors: FieldIssues) -> Self {
        Self::with_issues(
            ErrorCode::ValidationFailed,
            "common.validation_failed",
            errors,
        )
    }

    /// A problem with per-field issues under another code than
    /// `validation_failed` (or with its own explanation).
    pub fn with_issues(code: ErrorCode, message: impl Into<Message>, errors: FieldIssues) -> Self {
        let mut err = Self::new(code, message);
        if let AppError::Problem(p) = &mut err {
            p.errors = Some(errors);
        }
        err
    }

    /// `validation_failed` for one field.
    pub fn field(field: &str, error: FieldError) -> Self {
        let mut errors = FieldIssues::new();
        push_issue(&mut errors, field, error);
        Self::validation(errors)
    }

    /// A refusal to be retried after `retry_after`.
    pub fn too_many(code: ErrorCode, retry_after: Duration, message: impl Into<Message>) -> Self {
        let mut err = Self::new(code, message);
        if let AppError::Problem(p) = &mut err {
            p.retry_after = Some(retry_after);
        }
        err
    }

    /// `illegal_transition` naming the current status and what is allowed now.
    pub fn illegal_transition(
        message: impl Into<Message>,
        current_status: &str,
        allowed_actions: Vec<String>,
    ) -> Self {
        let mut err = Self::new(ErrorCode::IllegalTransition, message);
        if let AppError::Problem(p) = &mut err {
            p.transition = Some(Transition {
                current_status: current_status.to_owned(),
                allowed_actions,
            });
        }
        err
    }

    /// A refused signature (`code` is `signature_refused` or
    /// `signer_not_party`) with its validation report.
    pub fn with_report(
        code: ErrorCode,
        message: impl Into<Message>,
        report: mezha_api_types::signatures::ValidationReport,
    ) -> Self {
        let mut err = Self::new(code, message);
        if let AppError::Problem(p) = &mut err {
            p.report = Some(Box::new(report));
        }
        err
    }

    /// An unexpected failure.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Problem(p) => p.code,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// Adds a domain field error to a map of issues.
pub fn push_issue(errors: &mut FieldIssues, field: &str, error: FieldError) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(FieldIssue {
            code: error.code.to_owned(),
            message: error.message,
        });
}

/// The issues of a request body's own rules (its `validator` attributes:
/// lengths, ranges, nested items), every field at once; empty when none.
/// A use case that checks more fields starts from these, so that one
/// answer names every bad field (docs/API.md, "Errors").
pub fn body_issues(body: &impl validator::Validate) -> FieldIssues {
    match body.validate() {
        Ok(()) => FieldIssues::new(),
        Err(errors) => validator_issues(&errors),
    }
}

/// Converts `validator` errors into per-field issues with stable codes and
/// messages that give the bounds ("Must be between 1 and 100 000 000.").
pub fn validator_issues(errors: &validator::ValidationErrors) -> FieldIssues {
    let mut out = FieldIssues::new();
    collect(errors, "", &mut out);
    out
}

fn collect(errors: &validator::ValidationErrors, prefix: &str, out: &mut FieldIssues) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for err in list {
                    out.entry(name.clone())
                        .or_default()
                        .push(validator_issue(err));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &name, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{name}[{index}]"), out);
                }
            }
        }
    }
}

/// `100000000` → `100 000 000` (digits grouped by three, as a person reads).
fn grouped(n: &serde_json::Value) -> String {
    let text = match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e18 => format!("{}", f as i64),
        _ => n.to_string(),
    };
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

fn validator_issue(err: &validator::ValidationError) -> FieldIssue {
    let issue = |code: &str, message: String| FieldIssue {
        code: code.into(),
        message,
    };
    let param = |key: &str| err.params.get(key).and_then(serde_json::Value::as_u64);
    match err.code.as_ref() {
        "length" => {
            let len = err
                .params
                .get("value")
                .and_then(|v| v.as_str())
                .map(|s| s.chars().count() as u64)
                .or_else(|| {
                    err.params
                        .get("value")
                        .and_then(|v| v.as_array())
                        .map(|a| a.len() as u64)
                })
                .unwrap_or(0);
            let items = err.params.get("value").is_some_and(|v| v.is_array());
            let unit = if items { "items" } else { "characters" };
            if len == 0 && param("min").is_some_and(|min| min > 0) {
                return issue("required", "This field is required.".into());
            }
            if let Some(min) = param("min").filter(|min| len < *min) {
                return issue("too_short", format!("Must be at least {min} {unit}."));
            }
            if let Some(max) = param("max") {
                return issue("too_long", format!("Must be at most {max} {unit}."));
            }
        }
        "range" => {
            let bound = |key: &str| err.params.get(key).map(grouped);
            let message = match (bound("min"), bound("max")) {
                (Some(min), Some(max)) => format!("Must be between {min} and {max}."),
                (Some(min), None) => format!("Must be at least {min}."),
                (None, Some(max)) => format!("Must be at most {max}."),
                (None, None) => "Out of range.".into(),
            };
            return issue("range", message);
        }
        _ => {}
    }
    issue(
        &err.code,
        err.message
            .as_deref()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Invalid value ({}).", err.code)),
    )
}

/// `validation_failed` from a domain rule's list of field problems.
pub fn field_problems(list: mezha_domain::FieldProblems) -> AppError {
    let mut errors = FieldIssues::new();
    for (field, error) in list {
        push_issue(&mut errors, field, error);
    }
    AppError::validation(errors)
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Problem(p) => write!(f, "{}: {}", p.code.as_str(), p.message),
            AppError::Internal(err) => write!(f, "internal: {err:#}"),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// When to retry a request refused because the key-value store is down.
pub const KV_RETRY_AFTER: Duration = Duration::from_secs(5);

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate("email") => {
                AppError::new(ErrorCode::EmailTaken, "accounts.email_taken")
            }
            StoreError::Duplicate("phone") => {
                AppError::new(ErrorCode::PhoneTaken, "accounts.phone_taken")
            }
            StoreError::Duplicate(_) => AppError::new(ErrorCode::Conflict, "common.duplicate"),
            StoreError::VersionMismatch => {
                AppError::new(ErrorCode::PreconditionFailed, "common.stale_version")
            }
            StoreError::NotFound => AppError::new(ErrorCode::NotFound, "common.not_found"),
            // Sessions, codes, limits and counters live there: the request
            // cannot be served now, but may be in a moment (docs/API.md).
            StoreError::Kv(e) => {
                tracing::warn!(error = %e, "key-value store unavailable");
                let mut err = AppError::new(ErrorCode::ServiceUnavailable, "common.kv_unavailable");
                if let AppError::Problem(p) = &mut err {
                    p.retry_after = Some(KV_RETRY_AFTER);
                }
                err
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err)
    }
}

#[cfg(test)]
mod body_tests {
    use super::*;
    use validator::Validate;

    #[derive(Validate)]
    struct Body {
        #[validate(range(min = 1, max = 100_000_000))]
        price: i64,
        #[validate(range(max = 80))]
        years: u32,
        #[validate(length(min = 1, max = 5))]
        title: String,
        #[validate(length(max = 2))]
        tags: Vec<String>,
    }

    #[test]
    fn every_field_is_named_with_its_bounds() {
        let issues = body_issues(&Body {
            price: 0,
            years: 81,
            title: String::new(),
            tags: vec!["a".into(), "b".into(), "c".into()],
        });
        let got: Vec<(&str, &str, &str)> = issues
            .iter()
            .map(|(k, v)| (k.as_str(), v[0].code.as_str(), v[0].message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("price", "range", "Must be between 1 and 100 000 000."),
                ("tags", "too_long", "Must be at most 2 items."),
                ("title", "required", "This field is required."),
                ("years", "range", "Must be at most 80."),
            ]
        );
        assert!(
            body_issues(&Body {
                price: 5,
                years: 3,
                title: "ok".into(),
                tags: vec![],
            })
            .is_empty()
        );
    }
}
