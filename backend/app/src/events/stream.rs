//! One live-event connection. Its order of work makes it gap- and
//! duplicate-free within the connection:
//!
//! 1. take a slot (at most `events_max_streams` per user in this process;
//!    beyond that the user's oldest stream here ends to make room);
//! 2. subscribe to the bus — from here nothing published is missed;
//! 3. replay from the database the notifications and chat messages after
//!    `Last-Event-ID` (ids follow commit order per user across both);
//! 4. send the counters as they are;
//! 5. then live events, skipping ids already sent (a notification both
//!    replayed and received live), with a comment line as heartbeat —
//!    after checking that the session is still alive (it ends the stream
//!    when not: logout or revocation reach open streams too).
//!
//! When the local channel overflowed or the Redis subscription was
//! re-made, it catches up from the database again after the newest id it
//! sent. The stream is a plain `Stream` polled by the server (no task of
//! its own): when the client goes, the server drops it, with its subscription and
//! its slot.

use super::Slot;
use crate::AppError;
use crate::chat;
use crate::context::{Live, Tickets};
use crate::notifications as notif;
use bytes::Bytes;
use futures_util::Stream;
use mezha_api_types::events::LiveEventKind;
use mezha_api_types::notifications::Language;
use mezha_store::bus::{BusMessage, Delivery};
use mezha_store::notifications as store;
use std::collections::{BTreeSet, VecDeque};
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

/// Notifications (and chat messages) read from the database at a time
/// when catching up.
const PAGE: u64 = 100;
/// Ids remembered for de-duplication (the oldest are forgotten first).
const REMEMBER: usize = 2048;

/// The last bytes of a stream when the process stops: a reconnection
/// delay for the client (docs/events.md), no event.
pub const STOPPING: &[u8] = b"retry: 1000\n\n";

/// What `GET /events` streams.
pub type EventStream =
    std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, std::convert::Infallible>>>>;

struct Streaming {
    state: Live,
    /// Whether the session that opened the stream is still alive.
    tickets: Tickets,
    user: Uuid,
    /// The session that opened the stream: it ends with it.
    session: Uuid,
    lang: Language,
    rx: broadcast::Receiver<Delivery>,
    heartbeat: tokio::time::Interval,
    pending: VecDeque<Bytes>,
    /// Catch-up resumes after this id.
    cursor: Uuid,
    /// Notification and chat message ids already sent.
    sent: BTreeSet<Uuid>,
    /// More after the cursor may be in the database.
    catching_up: bool,
    /// The counters are to be sent once caught up.
    counters_due: bool,
    /// Rung when a newer stream of the user takes this one's slot.
    ended: std::sync::Arc<tokio::sync::Notify>,
    /// The `replaced` event (or the stopping retry hint) was sent: the
    /// stream ends.
    replaced: bool,
    _slot: Slot,
}

/// One SSE frame.
pub fn frame(event: LiveEventKind, id: Option<&str>, data: &serde_json::Value) -> Bytes {
    let mut out = format!("event: {}\n", event.as_str());
    if let Some(id) = id {
        out.push_str("id: ");
        out.push_str(id);
        out.push('\n');
    }
    out.push_str("data: ");
    // serde_json writes no raw newline, so one `data:` line holds it all.
    out.push_str(&data.to_string());
    out.push_str("\n\n");
    Bytes::from(out)
}

impl Streaming {
    fn remember(&mut self, id: Uuid) -> bool {
        if id > self.cursor {
            self.cursor = id;
        }
        let new = self.sent.insert(id);
        while self.sent.len() > REMEMBER {
            self.sent.pop_first();
        }
        new
    }

    /// Queues the next page of what came after the cursor and was not sent
    /// yet — notifications and chat messages, merged in id order (each
    /// user's ids follow commit order across both, `mezha_store::live`);
    /// clears `catching_up` after the last page. One page at a time, as
    /// the client reads: a long absence costs no memory.
    async fn catch_up_page(&mut self) -> Result<(), AppError> {
        let db = &self.state.db;
        let notes = store::after(db, self.user, self.cursor, PAGE).await?;
        let chats = mezha_store::live::chat_after(db, self.user, self.cursor, PAGE).await?;
        // Either source may have more than this page; a page ends where
        // the first full source ends, the rest is read again next time.
        let horizon = [
            (notes.len() as u64 == PAGE).then(|| notes.last().map(|n| n.id)),
            (chats.len() as u64 == PAGE).then(|| chats.last().map(|m| m.id)),
        ]
        .into_iter()
        .flatten()
        .flatten()
        .min();
        self.catching_up = horizon.is_some();
        let within = |id: Uuid| horizon.is_none_or(|h| id <= h);
        let chats = chat::views(
            &self.state,
            chats.into_iter().filter(|m| within(m.id)).collect(),
        )
        .await?;
        let mut items: Vec<(Uuid, LiveEventKind, serde_json::Value)> = Vec::new();
        for record in notes.into_iter().filter(|n| within(n.id)) {
            let id = record.id;
            let view = notif::view(record, self.lang, &self.state.settings.public_url);
            let data = serde_json::to_value(view).map_err(AppError::internal)?;
            items.push((id, LiveEventKind::Notification, data));
        }
        for message in chats {
            let data = serde_json::to_value(&message).map_err(AppError::internal)?;
            items.push((message.id, LiveEventKind::ChatMessage, data));
        }
        items.sort_by_key(|(id, _, _)| *id);
        for (id, kind, data) in items {
            if self.remember(id) {
                self.pending
                    .push_back(frame(kind, Some(&id.to_string()), &data));
            }
        }
        Ok(())
    }

    /// Queues what catching up has next (a page, then the counters);
    /// `false` when there is nothing to catch up.
    async fn step(&mut self) -> Result<bool, AppError> {
        if self.catching_up {
            self.catch_up_page().await?;
            return Ok(true);
        }
        if self.counters_due {
            self.counters_due = false;
            self.counters().await?;
            return Ok(true);
        }
        Ok(false)
    }

    async fn counters(&mut self) -> Result<(), AppError> {
        let counts = notif::counts(&self.state.db, &self.state.unread, self.user).await?;
        let data = serde_json::to_value(counts).map_err(AppError::internal)?;
        self.pending
            .push_back(frame(LiveEventKind::Counters, None, &data));
        Ok(())
    }

    fn live(&mut self, m: &BusMessage) -> Option<Bytes> {
        let kind = match m.event.as_str() {
            "notification" => LiveEventKind::Notification,
            "counters" => LiveEventKind::Counters,
            "chat_message" => LiveEventKind::ChatMessage,
            _ => return None,
        };
        if kind != LiveEventKind::Counters {
            let id = m.id.as_deref()?.parse::<Uuid>().ok()?;
            if !self.remember(id) {
                return None;
            }
        }
        Some(frame(kind, m.id.as_deref(), &m.data))
    }

    /// The next bytes to send; `None` ends the stream.
    async fn next(&mut self) -> Option<Bytes> {
        if self.replaced {
            return None;
        }
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Some(b);
            }
            match self.step().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(user = %self.user, error = %e, "live events: catching up failed; closing");
                    return None;
                }
            }
            tokio::select! {
                // The process is stopping: reconnect soon (to another
                // replica, with Last-Event-ID), and end.
                () = self.state.stopping.cancelled() => {
                    self.replaced = true;
                    return Some(Bytes::from_static(STOPPING));
                }
                // A newer stream of the same user took this one's place:
                // say so, ask for a late reconnect, and end.
                _ = self.ended.notified() => {
                    self.replaced = true;
                    let mut last = b"retry: 60000\n".to_vec();
                    last.extend_from_slice(&frame(LiveEventKind::Replaced, None, &serde_json::json!({})));
                    return Some(Bytes::from(last));
                }
                _ = self.heartbeat.tick() => {
                    match super::tickets::session_alive(&self.tickets, self.user, self.session).await {
                        Ok(false) => return None,
                        Ok(true) => {}
                        // The key-value store is down: keep the stream.
                        Err(e) => tracing::warn!(error = %e, "live events: session check failed"),
                    }
                    return Some(Bytes::from_static(b": heartbeat\n\n"));
                }
                got = self.rx.recv() => match got {
                    Ok(Delivery::Message(m)) if m.user == self.user => {
                        if let Some(b) = self.live(&m) {
                            return Some(b);
                        }
                    }
                    Ok(Delivery::Message(_)) => {}
                    Ok(Delivery::Resync) | Err(RecvError::Lagged(_)) => {
                        self.catching_up = true;
                        self.counters_due = true;
                    }
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

/// Opens the stream of `user` in `session`, replaying what came after
/// `last_event_id`. When he has too many open here, his oldest ends.
pub async fn open(
    state: Live,
    tickets: Tickets,
    user: Uuid,
    session: Uuid,
    last_event_id: Option<Uuid>,
) -> Result<EventStream, AppError> {
    let slot = state
        .events
        .open_slot(user, state.settings.events_max_streams);
    let ended = slot.ended();
    // Subscribe before reading the database: what is published from now
    // on is received, what came before is replayed.
    let rx = state.events.bus().subscribe();
    let lang = notif::language(&state, user, None).await?;
    let every = state.settings.events_heartbeat;
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut live = Streaming {
        state,
        tickets,
        user,
        session,
        lang,
        rx,
        heartbeat,
        pending: VecDeque::new(),
        cursor: last_event_id.unwrap_or_else(Uuid::now_v7),
        sent: BTreeSet::new(),
        catching_up: last_event_id.is_some(),
        counters_due: true,
        ended,
        replaced: false,
        _slot: slot,
    };
    // The first page (or the counters) now, so that a failing database is
    // an error status rather than a stream that ends at once.
    while live.pending.is_empty() && live.step().await? {}
    Ok(Box::pin(futures_util::stream::unfold(
        live,
        |mut live| async move { live.next().await.map(|b| (Ok(b), live)) },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_one_data_line_with_an_optional_id() {
        let data = serde_json::json!({"body": "two\nlines", "n": 1});
        let f = frame(LiveEventKind::Notification, Some("0193-x"), &data);
        assert_eq!(
            std::str::from_utf8(&f).unwrap(),
            "event: notification\nid: 0193-x\ndata: {\"body\":\"two\\nlines\",\"n\":1}\n\n"
        );
        let f = frame(LiveEventKind::Counters, None, &serde_json::json!({}));
        assert_eq!(
            std::str::from_utf8(&f).unwrap(),
            "event: counters\ndata: {}\n\n"
        );
    }
}
