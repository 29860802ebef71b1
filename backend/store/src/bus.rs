//! The live-event bus (docs/notifications.md, "Live events (SSE)"): what
//! one server process publishes reaches
//! the SSE streams of every process. On Redis, one pub/sub channel
//! (`{prefix}events`) carries every user's events with the user id inside;
//! each process holds one subscription and fans the messages out to its
//! streams through a local `tokio::sync::broadcast` channel. The in-process
//! back-end publishes straight into that local channel, so the embedded
//! default behaves the same for its single process.
//!
//! Pub/sub keeps nothing: a stream that was not subscribed misses what was
//! published meanwhile, so streams replay from the database on reconnect,
//! and when the local channel overflowed or the Redis subscription was
//! re-established ([`Delivery::Resync`]).

use crate::error::StoreError;
use futures_util::StreamExt as _;
use redis::AsyncCommands as _;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Messages buffered per local subscriber before it is told to resync.
const LOCAL_CAPACITY: usize = 1024;

/// One event for one user, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusMessage {
    /// The recipient.
    pub user: Uuid,
    /// The SSE event name (`notification`, `counters`, `chat_message`).
    pub event: String,
    /// The SSE id, for events a client can resume after.
    pub id: Option<String>,
    /// The event's JSON.
    pub data: serde_json::Value,
}

/// What a local subscriber receives.
#[derive(Debug, Clone)]
pub enum Delivery {
    /// An event (for some user: filter by [`BusMessage::user`]).
    Message(Arc<BusMessage>),
    /// Messages may have been lost (the Redis subscription was re-made):
    /// catch up from the database.
    Resync,
}

/// Handle to the bus; cheap to clone.
#[derive(Clone)]
pub struct Bus {
    local: broadcast::Sender<Delivery>,
    redis: Option<(ConnectionManager, String)>,
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.redis {
            Some((_, channel)) => write!(f, "Bus::Redis(channel={channel:?})"),
            None => f.write_str("Bus::Memory"),
        }
    }
}

impl Bus {
    /// The in-process bus.
    pub fn memory() -> Bus {
        let (local, _) = broadcast::channel(LOCAL_CAPACITY);
        Bus { local, redis: None }
    }

    /// The bus over Redis at `url`, on the channel `{prefix}events`. Returns
    /// once subscribed; a task keeps the subscription (re-subscribing after
    /// a lost connection) while the bus lives.
    pub async fn redis(url: &str, prefix: &str) -> Result<Bus, StoreError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client.clone(), config).await?;
        let channel = format!("{prefix}events");
        let (local, _) = broadcast::channel(LOCAL_CAPACITY);
        let mut pubsub = client.get_async_pubsub().await?;
        pubsub.subscribe(&channel).await?;
        tokio::spawn(forward(client, channel.clone(), pubsub, local.downgrade()));
        Ok(Bus {
            local,
            redis: Some((conn, channel)),
        })
    }

    /// Publishes `message` to every process.
    pub async fn publish(&self, message: &BusMessage) -> Result<(), StoreError> {
        match &self.redis {
            Some((conn, channel)) => {
                let json = serde_json::to_string(message)
                    .map_err(|e| StoreError::Corrupt(format!("bus message: {e}")))?;
                let _: i64 = conn.clone().publish(channel, json).await?;
            }
            None => {
                // No subscriber is not an error.
                let _ = self
                    .local
                    .send(Delivery::Message(Arc::new(message.clone())));
            }
        }
        Ok(())
    }

    /// A subscription to every message this process receives from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Delivery> {
        self.local.subscribe()
    }
}

/// Moves messages from the Redis subscription into the local channel until
/// the bus is dropped; re-subscribes (and asks streams to resync) when the
/// connection is lost.
async fn forward(
    client: redis::Client,
    channel: String,
    first: redis::aio::PubSub,
    local: broadcast::WeakSender<Delivery>,
) {
    let mut pubsub = Some(first);
    loop {
        if let Some(sub) = pubsub.take() {
            let mut messages = sub.into_on_message();
            while let Some(msg) = messages.next().await {
                let Some(local) = local.upgrade() else {
                    return;
                };
                match serde_json::from_slice::<BusMessage>(msg.get_payload_bytes()) {
                    Ok(m) => {
                        let _ = local.send(Delivery::Message(Arc::new(m)));
                    }
                    Err(e) => tracing::warn!(error = %e, "unreadable bus message"),
                }
            }
            tracing::warn!(%channel, "event bus subscription lost; re-subscribing");
        }
        if local.upgrade().is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        match client.get_async_pubsub().await {
            Ok(mut sub) => match sub.subscribe(&channel).await {
                Ok(()) => {
                    if let Some(local) = local.upgrade() {
                        let _ = local.send(Delivery::Resync);
                    }
                    pubsub = Some(sub);
                }
                Err(e) => tracing::warn!(error = %e, "event bus: subscribing failed"),
            },
            Err(e) => tracing::warn!(error = %e, "event bus: connecting failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_bus_delivers_to_every_subscriber() {
        let bus = Bus::memory();
        let mut a = bus.subscribe();
        let mut b = bus.subscribe();
        let m = BusMessage {
            user: Uuid::from_u128(1),
            event: "counters".into(),
            id: None,
            data: serde_json::json!({"system": 1}),
        };
        bus.publish(&m).await.unwrap();
        for rx in [&mut a, &mut b] {
            match rx.recv().await.unwrap() {
                Delivery::Message(got) => assert_eq!(*got, m),
                Delivery::Resync => panic!("resync"),
            }
        }
    }
}
