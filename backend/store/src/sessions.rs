//! Login sessions in the key-value store: `session:{id}` holds the record,
//! `user_sessions:{user}` the ids of an account's sessions.
//!
//! Every authenticated request asks whether its session is still alive
//! ([`SessionStore::alive`]). The answer "alive" is remembered in process
//! for [`ALIVE_FOR`], so a busy client costs one key-value read per
//! [`ALIVE_FOR`] rather than one per request. Ending sessions forgets them
//! here at once and tells the other server processes through the event
//! bus (`session_ended`), which forget them too; when the bus may have
//! lost messages (its Redis subscription was re-made, or this listener fell
//! behind) everything is forgotten. [`ALIVE_FOR`] bounds what a lost
//! message could cost.

use crate::bus::{Bus, BusMessage, Delivery};
use crate::error::StoreError;
use crate::kv::Kv;
use crate::paging::{self, After};
use chrono::{DateTime, Utc};
use mezha_domain::Role;
use mezha_domain::session::RefreshState;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// How long a session read alive is believed without reading it again.
pub const ALIVE_FOR: Duration = Duration::from_secs(2);
/// Sessions remembered at most; when full, all are forgotten.
const ALIVE_MAX: usize = 100_000;
/// The bus event that tells every process a session (`id`), or every
/// session of the user (no `id`), has ended.
pub const SESSION_ENDED: &str = "session_ended";

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

/// A session read alive: whose, until when, and when it was read.
#[derive(Debug, Clone, Copy)]
struct Alive {
    user_id: Uuid,
    acting_role: Role,
    expires_at: DateTime<Utc>,
    read_at: Instant,
}

/// Sessions read alive in this process, and a count of forgettings: an
/// answer read while a session ended is not remembered.
#[derive(Debug, Default)]
struct AliveCache(Mutex<AliveMap>);

#[derive(Debug, Default)]
struct AliveMap {
    entries: HashMap<Uuid, Alive>,
    forgettings: u64,
}

impl AliveCache {
    fn lock(&self) -> MutexGuard<'_, AliveMap> {
        // Plain entries: a panic elsewhere leaves them consistent.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn forget(&self, user_id: Uuid, id: Option<Uuid>) {
        let mut map = self.lock();
        map.forgettings += 1;
        match id {
            Some(id) => {
                map.entries.remove(&id);
            }
            None => map.entries.retain(|_, a| a.user_id != user_id),
        }
    }

    fn forget_all(&self) {
        let mut map = self.lock();
        map.forgettings += 1;
        map.entries.clear();
    }
}

/// Session persistence.
#[derive(Debug, Clone)]
pub struct SessionStore {
    kv: Kv,
    /// How long an idle session's keys are kept (its refresh lifetime).
    ttl: Duration,
    alive: Arc<AliveCache>,
    /// Where ended sessions are announced to the other processes.
    bus: Option<Bus>,
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
        SessionStore {
            kv,
            ttl,
            alive: Arc::default(),
            bus: None,
        }
    }

    /// Announces ended sessions on `bus` and forgets those other processes
    /// announce (a task listens while the bus lives). For several server
    /// processes sharing the key-value store; one process needs no bus.
    pub fn attach_bus(&mut self, bus: Bus) {
        let mut rx = bus.subscribe();
        let alive = Arc::downgrade(&self.alive);
        tokio::spawn(async move {
            loop {
                let got = rx.recv().await;
                let Some(alive) = alive.upgrade() else { return };
                match got {
                    Ok(Delivery::Message(m)) if m.event == SESSION_ENDED => {
                        let id = m.id.as_deref().and_then(|id| id.parse().ok());
                        alive.forget(m.user, id);
                    }
                    Ok(Delivery::Message(_)) => {}
                    Ok(Delivery::Resync) | Err(RecvError::Lagged(_)) => alive.forget_all(),
                    Err(RecvError::Closed) => return,
                }
            }
        });
        self.bus = Some(bus);
    }

    /// Whether the session `id` of `user_id` is alive at `now`: stored, his,
    /// and not expired. See [`SessionStore::acting_role`].
    pub async fn alive(
        &self,
        id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self.acting_role(id, user_id, now).await?.is_some())
    }

    /// The acting role of the session `id` of `user_id` when it is alive at
    /// `now` (stored, his, not expired); `None` otherwise. Answered from
    /// memory when it was read alive less than [`ALIVE_FOR`] ago and has
    /// not been ended, nor its acting role changed, since.
    pub async fn acting_role(
        &self,
        id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<Role>, StoreError> {
        let (known, forgettings) = {
            let map = self.alive.lock();
            (map.entries.get(&id).copied(), map.forgettings)
        };
        if let Some(a) = known
            && a.read_at.elapsed() < ALIVE_FOR
            && a.expires_at > now
        {
            return Ok((a.user_id == user_id).then_some(a.acting_role));
        }
        let read_at = Instant::now();
        let record = self.get(id).await?.map(|l| l.record);
        let mut map = self.alive.lock();
        let Some(record) = record.filter(|r| r.expires_at > now) else {
            map.entries.remove(&id);
            return Ok(None);
        };
        // Remembered only when no session ended while it was read (the
        // read may predate that end).
        if map.forgettings == forgettings {
            if map.entries.len() >= ALIVE_MAX {
                map.entries.clear();
            }
            map.entries.insert(
                id,
                Alive {
                    user_id: record.user_id,
                    acting_role: record.acting_role,
                    expires_at: record.expires_at,
                    read_at,
                },
            );
        }
        Ok((record.user_id == user_id).then_some(record.acting_role))
    }

    /// Forgets ended (or changed) sessions here and tells the other
    /// processes.
    async fn ended(&self, user_id: Uuid, id: Option<Uuid>) {
        self.alive.forget(user_id, id);
        if let Some(bus) = &self.bus {
            let message = BusMessage {
                user: user_id,
                event: SESSION_ENDED.to_owned(),
                id: id.map(|id| id.to_string()),
                data: serde_json::Value::Null,
            };
            if let Err(e) = bus.publish(&message).await {
                // Other processes forget it within ALIVE_FOR anyway.
                tracing::warn!(error = %e, user = %user_id, "ended session not announced");
            }
        }
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
            if updated.acting_role != loaded.record.acting_role {
                // What every process remembers of it is stale now.
                self.ended(updated.user_id, Some(updated.id)).await;
            }
        }
        Ok(swapped)
    }

    /// Ends one session.
    pub async fn delete(&self, user_id: Uuid, id: Uuid) -> Result<(), StoreError> {
        self.kv.del(&session_key(id)).await?;
        self.ended(user_id, Some(id)).await;
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

    /// A page of the account's sessions live at `now` (not expired),
    /// newest first (the start, then the id): `limit` sessions after
    /// `after` — started earlier, or at the same time with a smaller id —
    /// and whether more follow. An account has a handful of sessions (one
    /// set of ids), so the page is cut from the whole [`list`](Self::list).
    pub async fn page(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
        limit: u64,
        after: Option<After>,
    ) -> Result<(Vec<SessionRecord>, bool), StoreError> {
        let live = self
            .list(user_id)
            .await?
            .into_iter()
            .filter(|s| s.expires_at > now)
            .filter(|s| after.is_none_or(|key| (s.created_at, s.id) < key))
            .collect();
        Ok(paging::split(live, limit))
    }

    /// Ends every session of the account; returns how many there were.
    pub async fn delete_all(&self, user_id: Uuid) -> Result<usize, StoreError> {
        let sessions = self.list(user_id).await?;
        for session in &sessions {
            self.kv.del(&session_key(session.id)).await?;
        }
        self.ended(user_id, None).await;
        self.kv.del(&index_key(user_id)).await?;
        Ok(sessions.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mezha_domain::session::RefreshState;

    fn record(user_id: Uuid, expires_at: DateTime<Utc>) -> SessionRecord {
        let now = Utc::now();
        SessionRecord {
            id: Uuid::now_v7(),
            user_id,
            acting_role: Role::Customer,
            method: "password".into(),
            created_at: now,
            last_seen_at: now,
            expires_at,
            user_agent: None,
            ip: None,
            refresh: RefreshState::new("hash".into()),
        }
    }

    /// Waits until `store` answers `want` for the session, up to 1 s.
    async fn settles(store: &SessionStore, r: &SessionRecord, want: bool) -> bool {
        for _ in 0..100 {
            if store.alive(r.id, r.user_id, Utc::now()).await.unwrap() == want {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    #[tokio::test]
    async fn alive_means_stored_his_and_not_expired() {
        let store = SessionStore::new(Kv::memory(), Duration::from_secs(3600));
        let user = Uuid::now_v7();
        let later = Utc::now() + chrono::Duration::hours(1);
        let r = record(user, later);
        assert!(!store.alive(r.id, user, Utc::now()).await.unwrap());
        store.create(&r).await.unwrap();
        assert!(store.alive(r.id, user, Utc::now()).await.unwrap());
        // Remembered, and still only his.
        assert!(!store.alive(r.id, Uuid::now_v7(), Utc::now()).await.unwrap());
        // Past its end it is not alive, remembered or not.
        let after = later + chrono::Duration::seconds(1);
        assert!(!store.alive(r.id, user, after).await.unwrap());
        // Ended: at once.
        assert!(store.alive(r.id, user, Utc::now()).await.unwrap());
        store.delete(user, r.id).await.unwrap();
        assert!(!store.alive(r.id, user, Utc::now()).await.unwrap());
    }

    /// Pages of the live sessions, newest first; sessions started at the
    /// same time come by id; an expired one is in none.
    #[tokio::test]
    async fn pages_of_live_sessions_newest_first() {
        let store = SessionStore::new(Kv::memory(), Duration::from_secs(3600));
        let user = Uuid::now_v7();
        let now = Utc::now();
        let later = now + chrono::Duration::hours(1);
        let mut live = [
            record(user, later),
            record(user, later),
            record(user, later),
        ];
        live[0].created_at = now - chrono::Duration::minutes(5);
        live[1].created_at = now;
        live[2].created_at = now;
        let expired = record(user, now - chrono::Duration::seconds(1));
        for r in live.iter().chain([&expired]) {
            store.create(r).await.unwrap();
        }
        // Newest first: the two of `now` by id, descending, then the older.
        let (high, low) = (live[1].id.max(live[2].id), live[1].id.min(live[2].id));
        let want = [high, low, live[0].id];
        let (first, more) = store.page(user, now, 2, None).await.unwrap();
        assert!(more);
        assert_eq!(first.iter().map(|s| s.id).collect::<Vec<_>>(), want[..2]);
        let last = first.last().map(|s| (s.created_at, s.id));
        let (second, more) = store.page(user, now, 2, last).await.unwrap();
        assert!(!more);
        assert_eq!(second.iter().map(|s| s.id).collect::<Vec<_>>(), want[2..]);
    }

    /// Two processes (two stores on one key-value store and one bus): a
    /// session ended through one is not alive on the other, though the
    /// other had just read it alive.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_end_reaches_the_other_process() {
        let (kv, bus) = (Kv::memory(), Bus::memory());
        let mut a = SessionStore::new(kv.clone(), Duration::from_secs(3600));
        let mut b = SessionStore::new(kv, Duration::from_secs(3600));
        a.attach_bus(bus.clone());
        b.attach_bus(bus);
        let user = Uuid::now_v7();
        let later = Utc::now() + chrono::Duration::hours(1);
        let (one, two) = (record(user, later), record(user, later));
        for r in [&one, &two] {
            a.create(r).await.unwrap();
            assert!(b.alive(r.id, user, Utc::now()).await.unwrap());
        }
        a.delete(user, one.id).await.unwrap();
        assert!(settles(&b, &one, false).await, "one session ended on A");
        assert!(b.alive(two.id, user, Utc::now()).await.unwrap());
        a.delete_all(user).await.unwrap();
        assert!(settles(&b, &two, false).await, "all sessions ended on A");
    }

    /// Without an announcement (a store that knows no bus) a remembered
    /// answer is believed for at most ALIVE_FOR.
    #[tokio::test]
    async fn a_remembered_answer_lasts_at_most_alive_for() {
        let kv = Kv::memory();
        let a = SessionStore::new(kv.clone(), Duration::from_secs(3600));
        let b = SessionStore::new(kv, Duration::from_secs(3600));
        let user = Uuid::now_v7();
        let r = record(user, Utc::now() + chrono::Duration::hours(1));
        a.create(&r).await.unwrap();
        assert!(b.alive(r.id, user, Utc::now()).await.unwrap());
        a.delete(user, r.id).await.unwrap();
        tokio::time::sleep(ALIVE_FOR).await;
        assert!(!b.alive(r.id, user, Utc::now()).await.unwrap());
    }
}
