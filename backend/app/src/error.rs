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
