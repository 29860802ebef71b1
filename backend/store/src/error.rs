//! Errors of the persistence layer.

use sea_orm::{DbErr, SqlErr};

/// What can go wrong while reading or writing state.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; the payload names the column
    /// (`email`, `phone`, …) when it can be told, else `unknown`.
    #[error("unique constraint violated on {0}")]
    Duplicate(&'static str),
    /// The row changed since the caller read it (optimistic locking).
    #[error("the record was changed by someone else")]
    VersionMismatch,
    /// The row does not exist.
    #[error("record not found")]
    NotFound,
    /// The database failed.
    #[error("database error")]
    Db(#[source] DbErr),
    /// The key-value store (Redis) failed.
    #[error("key-value store error")]
    Kv(#[source] redis::RedisError),
    /// A stored value could not be decoded.
    #[error("corrupt stored value")]
    Decode(#[source] serde_json::Error),
    /// A stored value could not be decoded.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(message)) = err.sql_err() {
            let message = message.to_ascii_lowercase();
            let column = if message.contains("email") {
                "email"
            } else if message.contains("phone") {
                "phone"
            } else {
                "unknown"
            };
            return StoreError::Duplicate(column);
        }
        StoreError::Db(err)
    }
}

impl From<redis::RedisError> for StoreError {
    fn from(err: redis::RedisError) -> Self {
        StoreError::Kv(err)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Decode(err)
    }
}
