//! Live events (docs/notifications.md, "Live events (SSE)"): `GET /events` streams the caller's new
//! notifications and counter changes as Server-Sent Events, whichever
//! server process caused them ([`mezha_store::bus`]: Redis pub/sub, or an
//! in-process channel on the embedded default).
//!
//! * [`Hub`] — the bus and the open streams of this process (bounded per user);
//! * [`publish_notification`], [`publish_counters`] — called where the
//!   worker creates a notification and where counters change;
//! * [`tickets`] — one-use tickets for browsers' `EventSource`;
//! * [`stream`] — one connection: subscribe, replay, then live, with heartbeats.

pub mod stream;
pub mod tickets;

use crate::notifications as notif;
use mezha_api_types::events::LiveEventKind;
use mezha_store::DatabaseConnection;
use mezha_store::bus::{Bus, BusMessage};
use mezha_store::counters::Unread;
use mezha_store::notifications as store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;
use uuid::Uuid;

/// The bus and this process's open streams; cheap to clone.
#[derive(Clone, Debug)]
pub struct Hub {
    bus: Bus,
    open: Arc<Mutex<Open>>,
}

/// Each user's open streams here, oldest first, with the bell that ends one.
#[derive(Debug, Default)]
struct Open {
    next: u64,
    streams: HashMap<Uuid, Vec<(u64, Arc<Notify>)>>,
}

/// One open stream of a user; dropping it (the connection ended) frees it.
#[derive(Debug)]
pub struct Slot {
    user: Uuid,
    id: u64,
    ended: Arc<Notify>,
    open: Arc<Mutex<Open>>,
}

impl Slot {
    /// Rung when a newer stream of the same user took this one's place:
    /// the stream ends.
    pub fn ended(&self) -> Arc<Notify> {
        Arc::clone(&self.ended)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = lock(&self.open);
        if let Some(list) = open.streams.get_mut(&self.user) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                open.streams.remove(&self.user);
            }
        }
    }
}

fn lock(m: &Mutex<Open>) -> std::sync::MutexGuard<'_, Open> {
    // Plain lists: a panic elsewhere leaves them consistent.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Hub {
    /// A hub over `bus`.
    pub fn new(bus: Bus) -> Hub {
        Hub {
            bus,
            open: Arc::default(),
        }
    }

    /// The bus.
    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    /// A slot for one more stream of `user`. When he already has `max` open
    /// here, the oldest is ended to make room (a reloaded page's stream
    /// whose client is gone without a word must not lock him out).
    pub fn open_slot(&self, user: Uuid, max: usize) -> Slot {
        let mut open = lock(&self.open);
        open.next += 1;
        let id = open.next;
        let list = open.streams.entry(user).or_default();
        while list.len() >= max.max(1) {
            let (_, oldest) = list.remove(0);
            oldest.notify_one();
        }
        let ended = Arc::new(Notify::new());
        list.push((id, Arc::clone(&ended)));
        Slot {
            user,
            id,
            ended,
            open: Arc::clone(&self.open),
        }
    }

    /// Streams open in this process (all users).
    pub fn open_streams(&self) -> usize {
        lock(&self.open).streams.values().map(Vec::len).sum()
    }
}

/// Publishes the new notification `id` of `user` (rendered in his
/// language). Failures are logged: the stream's replay covers them.
pub async fn publish_notification(
    hub: &Hub,
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
    public_url: &str,
) {
    let result = async {
        let Some(record) = store::get(db, user, id).await? else {
            return Ok(());
        };
        let lang = store::settings_of(db, user).await?.language;
        let data = serde_json::to_value(notif::view(record, lang, public_url))
            .map_err(anyhow::Error::from)?;
        hub.bus
            .publish(&BusMessage {
                user,
                event: LiveEventKind::Notification.as_str().to_owned(),
                id: Some(id.to_string()),
                data,
            })
            .await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(%user, notification = %id, error = %format!("{e:#}"), "live notification not published");
    }
}

/// Publishes the counters of `user` as they are now. Failures are logged.
pub async fn publish_counters(hub: &Hub, db: &DatabaseConnection, unread: &Unread, user: Uuid) {
    let result = async {
        let counts = notif::counts(db, unread, user)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        hub.bus
            .publish(&BusMessage {
                user,
                event: LiveEventKind::Counters.as_str().to_owned(),
                id: None,
                data: serde_json::to_value(counts)?,
            })
            .await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(%user, error = %format!("{e:#}"), "live counters not published");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_stream_beyond_the_bound_ends_the_oldest() {
        let hub = Hub::new(Bus::memory());
        let (anna, petr) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let first = hub.open_slot(anna, 2);
        let second = hub.open_slot(anna, 2);
        let other = hub.open_slot(petr, 2);
        assert_eq!(hub.open_streams(), 3);
        let third = hub.open_slot(anna, 2);
        assert_eq!(hub.open_streams(), 3, "the oldest made room");
        let wait = std::time::Duration::from_millis(200);
        let (first_bell, second_bell) = (first.ended(), second.ended());
        let rung = tokio::time::timeout(wait, first_bell.notified()).await;
        assert!(rung.is_ok(), "the oldest stream is told to end");
        let quiet = tokio::time::timeout(wait, second_bell.notified()).await;
        assert!(quiet.is_err(), "the others go on");
        drop(first);
        assert_eq!(
            hub.open_streams(),
            3,
            "dropping an ended slot frees nothing more"
        );
        drop((second, third, other));
        assert_eq!(hub.open_streams(), 0);
    }
}
