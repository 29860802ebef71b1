//! `GET /healthz` and `GET /readyz`.

use serde::{Deserialize, Serialize};

/// Liveness or readiness of the process and its dependencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "ok", "database": "ok", "session_store": "ok"})))]
pub struct Health {
    /// `ok` when everything answers, `unavailable` otherwise.
    pub status: String,
    /// `ok` or the reason the database does not answer (readiness only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// `ok` or the reason Redis / the in-process store does not answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_store: Option<String>,
    /// `ok` or `unavailable`: the file storage (the local directory, or the
    /// S3 bucket) answers (readiness only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_storage: Option<String>,
}
