//! Unread counters (docs/notifications.md, "Unread counters"): system
//! notifications per user, chat messages
//! per user per order, and the chat total — in Redis, or in the in-process
//! store on the embedded default. The database holds the truth; this is a
//! fast copy that `GET /notifications/unread-counts` reads alone.
//!
//! A counter is the cardinality of a set of unread ids (time-ordered UUIDv7),
//! not a bare number. Adding and removing an id are idempotent, so two
//! arrivals at once count two, a retried delivery never counts twice, and
//! marking read while a message arrives can neither go negative nor lose
//! the new one ("read up to" removes only ids at or before the last one the
//! reader saw).
//!
//! A marker key (`…:ok`, one hour) says the sets are complete. When it is
//! missing (Redis restarted empty, or the hour passed) the caller recounts
//! from the database and calls [`Unread::rebuild`], which merges instead of
//! overwriting: ids newer than the recount's cut-off are kept (they arrived
//! meanwhile), ids read meanwhile (tombstones, "read all" watermarks) are
//! not brought back.

use super::{Entry, Kv, Value};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use redis::Script;
use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Duration;
use uuid::Uuid;

/// How long the sets are trusted before a recount.
pub const MARKER_TTL: Duration = Duration::from_secs(3600);
/// How long a read id is remembered so a concurrent recount skips it.
const TOMBSTONE_TTL: Duration = Duration::from_secs(600);
/// Recounts trust the database only for ids older than this before the
/// recount (younger ones may still be committing).
pub const RECOUNT_MARGIN: Duration = Duration::from_secs(60);
/// Expiry of the sets themselves: long, they are never meant to expire.
const SET_TTL: Duration = Duration::from_secs(400 * 24 * 3600);

/// What `GET /notifications/unread-counts` shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Unread in-app notifications.
    pub system: u64,
    /// Unread chat messages per order (orders with none are left out).
    pub chat: Vec<(Uuid, u64)>,
}

impl Snapshot {
    /// Unread chat messages over every order.
    pub fn chat_total(&self) -> u64 {
        self.chat.iter().map(|(_, n)| n).sum()
    }
}

/// A set of unread ids with its tombstones and "read up to" watermark.
struct SetKeys {
    set: String,
    gone: String,
    upto: String,
}

fn system_keys(user: Uuid) -> SetKeys {
    SetKeys {
        set: format!("unread:{user}:sys"),
        gone: format!("unread:{user}:sys:gone"),
        upto: format!("unread:{user}:sys:upto"),
    }
}

fn chat_prefix(user: Uuid) -> String {
    format!("unread:{user}:chat:")
}

fn chat_index(user: Uuid) -> String {
    format!("unread:{user}:chats")
}

fn chat_keys(user: Uuid, order: Uuid) -> SetKeys {
    let base = format!("{}{order}", chat_prefix(user));
    SetKeys {
        gone: format!("{base}:gone"),
        upto: format!("{base}:upto"),
        set: base,
    }
}

fn marker(user: Uuid) -> String {
    format!("unread:{user}:ok")
}

/// The smallest UUIDv7 string of the millisecond `at`: every id created
/// before `at` sorts below it.
fn cutoff(at: DateTime<Utc>) -> String {
    let ms = u128::try_from(at.timestamp_millis().max(0)).unwrap_or(0);
    Uuid::from_u128(ms << 80).to_string()
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

static ADD_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
          local upto = redis.call('GET', KEYS[3])
          if upto and ARGV[1] <= upto then return 0 end
          redis.call('SADD', KEYS[1], ARGV[1])
          if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[2]) end
          return 1",
    )
});

static READ_ONE_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local n = redis.call('SREM', KEYS[1], ARGV[1])
          redis.call('SADD', KEYS[2], ARGV[1])
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
          return n",
    )
});

static READ_MANY_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local n = 0
          for i = 2, #ARGV do
            n = n + redis.call('SREM', KEYS[1], ARGV[i])
            redis.call('SADD', KEYS[2], ARGV[i])
          end
          redis.call('PEXPIRE', KEYS[2], ARGV[1])
          return n",
    )
});

static READ_UPTO_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local n = 0
          for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            if m <= ARGV[1] then redis.call('SREM', KEYS[1], m); n = n + 1 end
          end
          local cur = redis.call('GET', KEYS[2])
          if (not cur) or cur < ARGV[1] then
            redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
          end
          return n",
    )
});

static REBUILD_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local keep = {}
          for i = 2, #ARGV do keep[ARGV[i]] = true end
          local gone = {}
          for _, m in ipairs(redis.call('SMEMBERS', KEYS[2])) do gone[m] = true end
          local upto = redis.call('GET', KEYS[3]) or ''
          for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            if m < ARGV[1] and not keep[m] then redis.call('SREM', KEYS[1], m) end
          end
          for i = 2, #ARGV do
            local m = ARGV[i]
            if (not gone[m]) and m > upto then redis.call('SADD', KEYS[1], m) end
          end
          return redis.call('SCARD', KEYS[1])",
    )
});

static SNAPSHOT_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
          local out = {tostring(redis.call('SCARD', KEYS[2]))}
          for _, o in ipairs(redis.call('SMEMBERS', KEYS[3])) do
            local n = redis.call('SCARD', ARGV[1] .. o)
            if n > 0 then
              table.insert(out, o)
              table.insert(out, tostring(n))
            else
              redis.call('SREM', KEYS[3], o)
            end
          end
          return out",
    )
});

/// The unread counters of every user.
#[derive(Clone, Debug)]
pub struct Unread {
    kv: Kv,
}

impl Unread {
    /// Counters kept in `kv`.
    pub fn new(kv: Kv) -> Self {
        Unread { kv }
    }

    fn k(&self, key: &str) -> String {
        match &self.kv {
            Kv::Redis { prefix, .. } => format!("{prefix}{key}"),
            Kv::Memory(_) => key.to_owned(),
        }
    }

    async fn add(
        &self,
        keys: &SetKeys,
        member: Uuid,
        index: Option<(&str, Uuid)>,
    ) -> Result<(), StoreError> {
        match &self.kv {
            Kv::Redis { conn, .. } => {
                let mut inv = ADD_SCRIPT.prepare_invoke();
                inv.key(self.k(&keys.set))
                    .key(self.k(&keys.gone))
                    .key(self.k(&keys.upto))
                    .arg(member.to_string());
                if let Some((index, order)) = index {
                    inv.key(self.k(index)).arg(order.to_string());
                }
                let _: i64 = inv.invoke_async(&mut conn.clone()).await?;
                Ok(())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                let member = member.to_string();
                // Already read (one by one, or up to a later id): not unread.
                let read_one = members(&mut map, &keys.gone).contains(&member);
                let read_upto = map
                    .live(&keys.upto)
                    .and_then(Value::as_str)
                    .is_some_and(|upto| member.as_str() <= upto);
                if read_one || read_upto {
                    return Ok(());
                }
                set_insert(&mut map, &keys.set, member);
                if let Some((index, order)) = index {
                    set_insert(&mut map, index, order.to_string());
                }
                Ok(())
            }
        }
    }

    async fn read_one(&self, keys: &SetKeys, member: Uuid) -> Result<(), StoreError> {
        match &self.kv {
            Kv::Redis { conn, .. } => {
                let _: i64 = READ_ONE_SCRIPT
                    .key(self.k(&keys.set))
                    .key(self.k(&keys.gone))
                    .arg(member.to_string())
                    .arg(millis(TOMBSTONE_TTL))
                    .invoke_async(&mut conn.clone())
                    .await?;
                Ok(())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                let member = member.to_string();
                if let Some(Value::Set(s)) = live_mut(&mut map, &keys.set) {
                    s.remove(&member);
                }
                let mut gone = members(&mut map, &keys.gone);
                gone.insert(member);
                map.put(&keys.gone, Value::Set(gone), TOMBSTONE_TTL);
                Ok(())
            }
        }
    }

    async fn read_many(&self, keys: &SetKeys, ids: &[Uuid]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        match &self.kv {
            Kv::Redis { conn, .. } => {
                let mut inv = READ_MANY_SCRIPT.prepare_invoke();
                inv.key(self.k(&keys.set))
                    .key(self.k(&keys.gone))
                    .arg(millis(TOMBSTONE_TTL));
                for id in ids {
                    inv.arg(id.to_string());
                }
                let _: i64 = inv.invoke_async(&mut conn.clone()).await?;
                Ok(())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
                if let Some(Value::Set(s)) = live_mut(&mut map, &keys.set) {
                    for id in &ids {
                        s.remove(id);
                    }
                }
                let mut gone = members(&mut map, &keys.gone);
                gone.extend(ids);
                map.put(&keys.gone, Value::Set(gone), TOMBSTONE_TTL);
                Ok(())
            }
        }
    }

    async fn read_upto(&self, keys: &SetKeys, upto: Uuid) -> Result<(), StoreError> {
        let upto = upto.to_string();
        match &self.kv {
            Kv::Redis { conn, .. } => {
                let _: i64 = READ_UPTO_SCRIPT
                    .key(self.k(&keys.set))
                    .key(self.k(&keys.upto))
                    .arg(&upto)
                    .arg(millis(TOMBSTONE_TTL))
                    .invoke_async(&mut conn.clone())
                    .await?;
                Ok(())
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                if let Some(Value::Set(s)) = live_mut(&mut map, &keys.set) {
                    s.retain(|x| *x > upto);
                }
                let current = map
                    .live(&keys.upto)
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if current.is_none_or(|c| c < upto) {
                    map.put(&keys.upto, Value::Str(upto), TOMBSTONE_TTL);
                }
                Ok(())
            }
        }
    }

    async fn rebuild_set(
        &self,
        keys: &SetKeys,
        ids: &[Uuid],
        cut: &str,
    ) -> Result<u64, StoreError> {
        match &self.kv {
            Kv::Redis { conn, .. } => {
                let mut inv = REBUILD_SCRIPT.prepare_invoke();
                inv.key(self.k(&keys.set))
                    .key(self.k(&keys.gone))
                    .key(self.k(&keys.upto))
                    .arg(cut);
                for id in ids {
                    inv.arg(id.to_string());
                }
                let n: i64 = inv.invoke_async(&mut conn.clone()).await?;
                Ok(u64::try_from(n).unwrap_or(0))
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                let keep: HashSet<String> = ids.iter().map(Uuid::to_string).collect();
                let gone = members(&mut map, &keys.gone);
                let upto = map
                    .live(&keys.upto)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_default();
                let mut set = members(&mut map, &keys.set);
                set.retain(|m| m.as_str() >= cut || keep.contains(m));
                for id in keep {
                    if !gone.contains(&id) && id > upto {
                        set.insert(id);
                    }
                }
                let n = set.len() as u64;
                map.put(&keys.set, Value::Set(set), SET_TTL);
                Ok(n)
            }
        }
    }

    /// A new unread notification of `user`.
    pub async fn add_system(&self, user: Uuid, notification: Uuid) -> Result<(), StoreError> {
        self.add(&system_keys(user), notification, None).await
    }

    /// `user` read one notification.
    pub async fn read_system(&self, user: Uuid, notification: Uuid) -> Result<(), StoreError> {
        self.read_one(&system_keys(user), notification).await
    }

    /// `user` read every notification up to `last` (ids at or before it).
    pub async fn read_system_upto(&self, user: Uuid, last: Uuid) -> Result<(), StoreError> {
        self.read_upto(&system_keys(user), last).await
    }

    /// A new unread chat message for `user` in the chat of `order`.
    pub async fn add_chat(&self, user: Uuid, order: Uuid, message: Uuid) -> Result<(), StoreError> {
        let index = chat_index(user);
        self.add(&chat_keys(user, order), message, Some((&index, order)))
            .await
    }

    /// `user` read these messages of the chat of `order`. By id, not "up
    /// to": an order's chat has a thread per engineer, and reading one
    /// leaves the others' messages unread (docs/chat.md, "Threads").
    pub async fn read_chat(
        &self,
        user: Uuid,
        order: Uuid,
        messages: &[Uuid],
    ) -> Result<(), StoreError> {
        self.read_many(&chat_keys(user, order), messages).await
    }

    /// The counters of `user`, or `None` when they must be recounted first.
    pub async fn snapshot(&self, user: Uuid) -> Result<Option<Snapshot>, StoreError> {
        let sys = system_keys(user);
        let prefix = chat_prefix(user);
        let index = chat_index(user);
        let raw: Vec<String> = match &self.kv {
            Kv::Redis { conn, .. } => {
                SNAPSHOT_SCRIPT
                    .key(self.k(&marker(user)))
                    .key(self.k(&sys.set))
                    .key(self.k(&index))
                    .arg(self.k(&prefix))
                    .invoke_async(&mut conn.clone())
                    .await?
            }
            Kv::Memory(m) => {
                let mut map = m.lock();
                if map.live(&marker(user)).is_none() {
                    Vec::new()
                } else {
                    let mut out = vec![members(&mut map, &sys.set).len().to_string()];
                    for order in members(&mut map, &index) {
                        let n = members(&mut map, &format!("{prefix}{order}")).len();
                        if n > 0 {
                            out.push(order);
                            out.push(n.to_string());
                        }
                    }
                    out
                }
            }
        };
        let Some((system, rest)) = raw.split_first() else {
            return Ok(None);
        };
        let bad = |e: &dyn std::fmt::Display| StoreError::Corrupt(format!("unread counters: {e}"));
        let mut snapshot = Snapshot {
            system: system.parse().map_err(|e| bad(&e))?,
            chat: Vec::new(),
        };
        for pair in rest.chunks(2) {
            if let [order, n] = pair {
                snapshot.chat.push((
                    order.parse().map_err(|e| bad(&e))?,
                    n.parse().map_err(|e| bad(&e))?,
                ));
            }
        }
        snapshot.chat.sort();
        Ok(Some(snapshot))
    }

    /// Merges a recount from the database taken at `taken_at` (the unread
    /// notification ids of `user`, and per order his unread chat message
    /// ids), then marks the counters complete for [`MARKER_TTL`].
    pub async fn rebuild(
        &self,
        user: Uuid,
        system: &[Uuid],
        chat: &[(Uuid, Vec<Uuid>)],
        taken_at: DateTime<Utc>,
    ) -> Result<Snapshot, StoreError> {
        let margin = chrono::Duration::from_std(RECOUNT_MARGIN).unwrap_or_default();
        let cut = cutoff(taken_at - margin);
        self.rebuild_set(&system_keys(user), system, &cut).await?;
        for (order, ids) in chat {
            if !ids.is_empty() {
                self.kv
                    .set_add(&chat_index(user), &order.to_string(), SET_TTL)
                    .await?;
            }
            self.rebuild_set(&chat_keys(user, *order), ids, &cut)
                .await?;
        }
        self.kv.set(&marker(user), "1", MARKER_TTL).await?;
        self.snapshot(user)
            .await?
            .ok_or_else(|| StoreError::Corrupt("unread marker vanished".into()))
    }

    /// Forgets that the counters of `user` are complete (tests; operators).
    pub async fn invalidate(&self, user: Uuid) -> Result<(), StoreError> {
        self.kv.del(&marker(user)).await
    }
}

fn live_mut<'a>(map: &'a mut super::MemoryMap, key: &str) -> Option<&'a mut Value> {
    map.live(key)?;
    map.entries.get_mut(key).map(|e: &mut Entry| &mut e.value)
}

fn members(map: &mut super::MemoryMap, key: &str) -> HashSet<String> {
    match map.live(key) {
        Some(Value::Set(s)) => s.clone(),
        _ => HashSet::new(),
    }
}

fn set_insert(map: &mut super::MemoryMap, key: &str, member: String) {
    match live_mut(map, key) {
        Some(Value::Set(s)) => {
            s.insert(member);
        }
        _ => {
            let mut s = HashSet::new();
            s.insert(member);
            map.put(key, Value::Set(s), SET_TTL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v7(ms: u64, n: u16) -> Uuid {
        Uuid::from_u128((u128::from(ms) << 80) | (0x7 << 76) | u128::from(n))
    }

    #[tokio::test]
    async fn memory_counts_reads_and_rebuilds() {
        let unread = Unread::new(Kv::memory());
        let user = Uuid::from_u128(1);
        let order = Uuid::from_u128(2);
        assert_eq!(unread.snapshot(user).await.unwrap(), None, "no marker yet");
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let old = u64::try_from(now.timestamp_millis()).unwrap() - 120_000;
        let (a, b, c) = (v7(old, 1), v7(old, 2), v7(old, 3));
        let s = unread.rebuild(user, &[a, b], &[], now).await.unwrap();
        assert_eq!(s.system, 2);
        unread.add_system(user, c).await.unwrap();
        unread.add_system(user, c).await.unwrap();
        assert_eq!(unread.snapshot(user).await.unwrap().unwrap().system, 3);
        unread.read_system(user, a).await.unwrap();
        unread.read_system(user, a).await.unwrap();
        assert_eq!(unread.snapshot(user).await.unwrap().unwrap().system, 2);
        // A recount that still saw `a` unread does not bring it back.
        unread.rebuild(user, &[a, b, c], &[], now).await.unwrap();
        assert_eq!(unread.snapshot(user).await.unwrap().unwrap().system, 2);
        unread.read_system_upto(user, b).await.unwrap();
        assert_eq!(unread.snapshot(user).await.unwrap().unwrap().system, 1);

        unread.add_chat(user, order, v7(old, 5)).await.unwrap();
        unread.add_chat(user, order, v7(old, 6)).await.unwrap();
        let s = unread.snapshot(user).await.unwrap().unwrap();
        assert_eq!((s.chat_total(), s.chat.clone()), (2, vec![(order, 2)]));
        unread.read_chat(user, order, &[v7(old, 5)]).await.unwrap();
        assert_eq!(
            unread.snapshot(user).await.unwrap().unwrap().chat_total(),
            1
        );
        // Read by id: a message read does not come back with a late
        // arrival or a recount that still saw it unread.
        unread.add_chat(user, order, v7(old, 5)).await.unwrap();
        unread
            .rebuild(user, &[], &[(order, vec![v7(old, 5), v7(old, 6)])], now)
            .await
            .unwrap();
        assert_eq!(
            unread.snapshot(user).await.unwrap().unwrap().chat,
            vec![(order, 1)]
        );
        unread.invalidate(user).await.unwrap();
        assert_eq!(unread.snapshot(user).await.unwrap(), None);
    }

    #[test]
    fn cutoff_sorts_below_ids_of_its_millisecond() {
        let at = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let ms = u64::try_from(at.timestamp_millis()).unwrap();
        assert!(cutoff(at) < v7(ms, 0).to_string());
        assert!(cutoff(at) > v7(ms - 1, 0xffff).to_string());
    }
}
