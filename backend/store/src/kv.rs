//! A small key-value store with expiring keys: Redis in production and in
//! the test suite, an in-process map on the embedded default. Sessions, SMS
//! codes and rate-limit counters are built on these primitives only, so the
//! two back-ends behave the same.
//!
//! TTLs here only reclaim space: every rule about time (code expiry, resend
//! windows, session lifetime) is decided by the domain from timestamps kept
//! inside the values, against the application's clock.

pub mod counters;

use crate::error::StoreError;
use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Handle to the store; cheap to clone.
#[derive(Clone)]
pub enum Kv {
    /// Redis, keys prefixed (so that tests and deployments can share a server).
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
    /// Process-local map; state is lost on restart.
    Memory(Arc<MemoryKv>),
}

impl std::fmt::Debug for Kv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kv::Redis { prefix, .. } => write!(f, "Kv::Redis(prefix={prefix:?})"),
            Kv::Memory(_) => f.write_str("Kv::Memory"),
        }
    }
}

static CAS_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"if redis.call('GET', KEYS[1]) == ARGV[1] then
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
          end
          return 0",
    )
});

static INCR_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local v = redis.call('INCR', KEYS[1])
          if v == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
          return v",
    )
});

static SADD_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"redis.call('SADD', KEYS[1], ARGV[1])
          if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
          end
          return 1",
    )
});

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl Kv {
    /// Connects to Redis at `url`, prefixing every key with `prefix`.
    pub async fn redis(url: &str, prefix: impl Into<String>) -> Result<Kv, StoreError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client, config).await?;
        Ok(Kv::Redis {
            conn,
            prefix: prefix.into(),
        })
    }

    /// A fresh in-process store.
    pub fn memory() -> Kv {
        Kv::Memory(Arc::new(MemoryKv::default()))
    }

    /// `redis` or `memory`, for logs and readiness.
    pub fn kind(&self) -> &'static str {
        match self {
            Kv::Redis { .. } => "redis",
            Kv::Memory(_) => "memory",
        }
    }

    fn key(prefix: &str, key: &str) -> String {
        format!("{prefix}{key}")
    }

    /// Checks that the store answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Kv::Redis { conn, .. } => {
                let mut conn = conn.clone();
                let _: String = redis::cmd("PING").query_async(&mut conn).await?;
                Ok(())
            }
            Kv::Memory(_) => Ok(()),
        }
    }

    /// The value at `key` (a counter of [`Kv::incr`] as its decimal text,
    /// as Redis has it).
    pub async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Kv::Redis { conn, prefix } => Ok(conn.clone().get(Self::key(prefix, key)).await?),
            Kv::Memory(m) => Ok(m.lock().live(key).and_then(|e| match e {
                Value::Counter(n) => Some(n.to_string()),
                other => other.as_str().map(str::to_owned),
            })),
        }
    }

    /// Sets `key` to `value`, expiring after `ttl`.
    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let _: () = conn
                    .clone()
                    .pset_ex(Self::key(prefix, key), value, millis(ttl))
                    .await?;
                Ok(())
            }
            Kv::Memory(m) => {
                m.lock().put(key, Value::Str(value.to_owned()), ttl);
                Ok(())
            }
        }
    }

    /// Sets `key` only when it does not exist; `true` when it was set.
    pub async fn set_nx(&self, key: &str, value: &str, ttl: Duration) -> Result<bool, StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let set: Option<String> = redis::cmd("SET")
                    .arg(Self::key(prefix, key))
                    .arg(value)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis(ttl))
                    .query_async(&mut conn.clone())
                    .await?;
                Ok(set.is_some())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                if map.live(key).is_some() {
                    return Ok(false);
                }
                map.put(key, Value::Str(value.to_owned()), ttl);
                Ok(true)
            }
        }
    }

    /// Replaces the value at `key` with `new` only when it currently equals
    /// `expected`; `true` when replaced. The basis of every read-modify-write.
    pub async fn compare_and_swap(
        &self,
        key: &str,
        expected: &str,
        new: &str,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let swapped: i64 = CAS_SCRIPT
                    .key(Self::key(prefix, key))
                    .arg(expected)
                    .arg(new)
                    .arg(millis(ttl))
                    .invoke_async(&mut conn.clone())
                    .await?;
                Ok(swapped == 1)
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                if map.live(key).and_then(Value::as_str) != Some(expected) {
                    return Ok(false);
                }
                map.put(key, Value::Str(new.to_owned()), ttl);
                Ok(true)
            }
        }
    }

    /// Deletes `key`.
    pub async fn del(&self, key: &str) -> Result<(), StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let _: i64 = conn.clone().del(Self::key(prefix, key)).await?;
                Ok(())
            }
            Kv::Memory(m) => {
                m.lock().entries.remove(key);
                Ok(())
            }
        }
    }

    /// Increments the counter at `key` (created at 1 with expiry `ttl`).
    pub async fn incr(&self, key: &str, ttl: Duration) -> Result<u64, StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let value: i64 = INCR_SCRIPT
                    .key(Self::key(prefix, key))
                    .arg(millis(ttl))
                    .invoke_async(&mut conn.clone())
                    .await?;
                Ok(u64::try_from(value).unwrap_or(0))
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                let next = match map.live(key) {
                    Some(Value::Counter(n)) => n + 1,
                    _ => 1,
                };
                if next == 1 {
                    map.put(key, Value::Counter(1), ttl);
                } else if let Some(entry) = map.entries.get_mut(key) {
                    entry.value = Value::Counter(next);
                }
                Ok(next)
            }
        }
    }

    /// Adds `member` to the set at `key`, extending its expiry to at least `ttl`.
    pub async fn set_add(&self, key: &str, member: &str, ttl: Duration) -> Result<(), StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let _: i64 = SADD_SCRIPT
                    .key(Self::key(prefix, key))
                    .arg(member)
                    .arg(millis(ttl))
                    .invoke_async(&mut conn.clone())
                    .await?;
                Ok(())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                let mut members = match map.live(key) {
                    Some(Value::Set(s)) => s.clone(),
                    _ => HashSet::new(),
                };
                members.insert(member.to_owned());
                let remaining = map
                    .entries
                    .get(key)
                    .and_then(|e| e.expires_at.checked_duration_since(Instant::now()))
                    .unwrap_or_default();
                map.put(key, Value::Set(members), ttl.max(remaining));
                Ok(())
            }
        }
    }

    /// Removes `member` from the set at `key`.
    pub async fn set_remove(&self, key: &str, member: &str) -> Result<(), StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let _: i64 = conn.clone().srem(Self::key(prefix, key), member).await?;
                Ok(())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                if let Some(Entry {
                    value: Value::Set(s),
                    ..
                }) = map.entries.get_mut(key)
                {
                    s.remove(member);
                }
                Ok(())
            }
        }
    }

    /// The members of the set at `key`, sorted.
    pub async fn set_members(&self, key: &str) -> Result<Vec<String>, StoreError> {
        let mut members: Vec<String> = match self {
            Kv::Redis { conn, prefix } => conn.clone().smembers(Self::key(prefix, key)).await?,
            Kv::Memory(m) => match m.lock().live(key) {
                Some(Value::Set(s)) => s.iter().cloned().collect(),
                _ => Vec::new(),
            },
        };
        members.sort();
        Ok(members)
    }

    /// Deletes every key under this store's prefix (test clean-up). For the
    /// in-process store, clears it.
    pub async fn purge_prefix(&self) -> Result<(), StoreError> {
        match self {
            Kv::Redis { conn, prefix } => {
                let mut conn = conn.clone();
                let pattern = format!("{prefix}*");
                let mut cursor: u64 = 0;
                loop {
                    let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(&pattern)
                        .arg("COUNT")
                        .arg(500)
                        .query_async(&mut conn)
                        .await?;
                    if !keys.is_empty() {
                        let _: i64 = conn.del(keys).await?;
                    }
                    if next == 0 {
                        return Ok(());
                    }
                    cursor = next;
                }
            }
            Kv::Memory(m) => {
                m.lock().entries.clear();
                Ok(())
            }
        }
    }
}

/// The in-process back-end.
#[derive(Default)]
pub struct MemoryKv {
    map: Mutex<MemoryMap>,
}

impl MemoryKv {
    fn lock(&self) -> MutexGuard<'_, MemoryMap> {
        // A poisoned lock only means another request panicked mid-update of
        // plain data; the map itself is still consistent.
        self.map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Default)]
struct MemoryMap {
    entries: HashMap<String, Entry>,
    writes: u64,
}

struct Entry {
    value: Value,
    expires_at: Instant,
}

#[derive(Clone)]
enum Value {
    Str(String),
    Counter(u64),
    Set(HashSet<String>),
}

impl Value {
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl MemoryMap {
    fn live(&mut self, key: &str) -> Option<&Value> {
        let now = Instant::now();
        if self.entries.get(key).is_some_and(|e| e.expires_at <= now) {
            self.entries.remove(key);
        }
        self.entries.get(key).map(|e| &e.value)
    }

    fn put(&mut self, key: &str, value: Value, ttl: Duration) {
        let now = Instant::now();
        self.writes += 1;
        if self.writes.is_multiple_of(1024) {
            self.entries.retain(|_, e| e.expires_at > now);
        }
        let expires_at = now
            .checked_add(ttl)
            .unwrap_or(now + Duration::from_secs(365 * 24 * 3600));
        self.entries
            .insert(key.to_owned(), Entry { value, expires_at });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_primitives() {
        let kv = Kv::memory();
        let ttl = Duration::from_secs(60);
        assert_eq!(kv.get("a").await.unwrap(), None);
        kv.set("a", "1", ttl).await.unwrap();
        assert_eq!(kv.get("a").await.unwrap().as_deref(), Some("1"));
        assert!(!kv.set_nx("a", "2", ttl).await.unwrap());
        assert!(kv.set_nx("b", "2", ttl).await.unwrap());
        assert!(!kv.compare_and_swap("a", "x", "3", ttl).await.unwrap());
        assert!(kv.compare_and_swap("a", "1", "3", ttl).await.unwrap());
        assert_eq!(kv.get("a").await.unwrap().as_deref(), Some("3"));
        assert_eq!(kv.incr("c", ttl).await.unwrap(), 1);
        assert_eq!(kv.incr("c", ttl).await.unwrap(), 2);
        kv.set_add("s", "x", ttl).await.unwrap();
        kv.set_add("s", "y", ttl).await.unwrap();
        kv.set_remove("s", "x").await.unwrap();
        assert_eq!(kv.set_members("s").await.unwrap(), vec!["y".to_owned()]);
        kv.del("a").await.unwrap();
        assert_eq!(kv.get("a").await.unwrap(), None);
    }

    #[tokio::test]
    async fn memory_keys_expire() {
        let kv = Kv::memory();
        kv.set("a", "1", Duration::from_millis(20)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(kv.get("a").await.unwrap(), None);
        assert!(kv.set_nx("a", "2", Duration::from_secs(5)).await.unwrap());
    }
}
