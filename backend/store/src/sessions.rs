//! Login sessions in the key-value store: `session:{id}` holds the record,
//! `user_sessions:{user}` the ids of an account's sessions.

use crate::error::StoreError;
use crate::kv::Kv;
use chrono::{DateTime, Utc};
use mezha_domain::Role;
use mezha_domain::session::RefreshState;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

/// Everything the server keeps about one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub acting_role: Role,
    /// `password` or `sms`.
    pub method: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session ends at this time unless refreshed before (sliding).
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub refresh: RefreshState,
}

/// A stored session with the exact bytes read, for compare-and-swap.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub record: SessionRecord,
    raw: String,
}

/// Session persistence.
#[derive(Debug, Clone)]
pub struct SessionStore {
    kv: Kv,
    /// How long an idle session's keys are kept (its refresh lifetime).
    ttl: Duration,
}

fn session_key(id: Uuid) -> String {
    format!("session:{id}")
}

fn index_key(user_id: Uuid) -> String {
    format!("user_sessions:{user_id}")
}

impl SessionStore {
    /// Sessions in `kv`, each kept `ttl` after its last refresh.
    pub fn new(kv: Kv, ttl: Duration) -> Self {
        SessionStore { kv, ttl }
    }

    /// Stores a new session.
    pub async fn create(&self, record: &SessionRecord) -> Result<(), StoreError> {
        let raw = serde_json::to_string(record)?;
        self.kv.set(&session_key(record.id), &raw, self.ttl).await?;
        self.kv
            .set_add(&index_key(record.user_id), &record.id.to_string(), self.ttl)
            .await
    }

    /// The session with this id, if it exists (expiry is the caller's rule).
    pub async fn get(&self, id: Uuid) -> Result<Option<Loaded>, StoreError> {
        match self.kv.get(&session_key(id)).await? {
            Some(raw) => {
                let record = serde_json::from_str(&raw)?;
                Ok(Some(Loaded { record, raw }))
            }
            None => Ok(None),
        }
    }

    /// Replaces a session with `updated` unless it changed since `loaded`
    /// was read; `false` when someone else changed (or ended) it first.
    pub async fn replace(
        &self,
        loaded: &Loaded,
        updated: &SessionRecord,
    ) -> Result<bool, StoreError> {
        let raw = serde_json::to_string(updated)?;
        let swapped = self
            .kv
            .compare_and_swap(&session_key(updated.id), &loaded.raw, &raw, self.ttl)
            .await?;
        if swapped {
            self.kv
                .set_add(
                    &index_key(updated.user_id),
                    &updated.id.to_string(),
                    self.ttl,
                )
                .await?;
        }
        Ok(swapped)
    }

    /// Ends one session.
    pub async fn delete(&self, user_id: Uuid, id: Uuid) -> Result<(), StoreError> {
        self.kv.del(&session_key(id)).await?;
        self.kv
            .set_remove(&index_key(user_id), &id.to_string())
            .await
    }

    /// Every stored session of the account, newest first; ids whose record
    /// has gone are dropped from the index on the way.
    pub async fn list(&self, user_id: Uuid) -> Result<Vec<SessionRecord>, StoreError> {
        let mut sessions = Vec::new();
        for member in self.kv.set_members(&index_key(user_id)).await? {
            let Ok(id) = member.parse::<Uuid>() else {
                self.kv.set_remove(&index_key(user_id), &member).await?;
                continue;
            };
            match self.get(id).await? {
                Some(loaded) if loaded.record.user_id == user_id => sessions.push(loaded.record),
                _ => self.kv.set_remove(&index_key(user_id), &member).await?,
            }
        }
        sessions.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(sessions)
    }

    /// Ends every session of the account; returns how many there were.
    pub async fn delete_all(&self, user_id: Uuid) -> Result<usize, StoreError> {
        let sessions = self.list(user_id).await?;
        for session in &sessions {
            self.kv.del(&session_key(session.id)).await?;
        }
        self.kv.del(&index_key(user_id)).await?;
        Ok(sessions.len())
    }
}
