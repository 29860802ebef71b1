//! The order chat (docs/chat.md): load → the domain's access rule →
//! persist → counters and live events. Messages are UUIDv7, so a page's
//! cursor ([`crate::paging`]) carries the id of its oldest message.

use crate::Actor;
use crate::AppError;
use crate::context::Live;
use crate::events::publish_counters;
use crate::orders as order_service;
use crate::paging;
use chrono::SubsecRound;
use mezha_api_types::ErrorCode;
use mezha_api_types::chat::{ChatMessage, ChatPage};
use mezha_api_types::events::LiveEventKind;
use mezha_api_types::orders::FileInfo;
use mezha_api_types::page::PageQuery;
use mezha_domain::chat::{self as rules, ChatAccess, ChatParties, ChatRefusal};
use mezha_store::bus::BusMessage;
use mezha_store::chat::{self as store, MessageRecord};
use mezha_store::files::{self, FileRecord};
use std::collections::BTreeSet;
use uuid::Uuid;

/// An order's chat as the caller may use it.
pub struct Chat {
    pub order_id: Uuid,
    pub parties: ChatParties,
    pub access: ChatAccess,
}

/// The chat of an order the caller may see: 404 for others, 409 before an
/// executor is chosen.
pub async fn open(state: &Live, auth: &Actor, order_id: Uuid) -> Result<Chat, AppError> {
    let order = order_service::load(state, auth, order_id).await?;
    let executor_employer = match order.executor_id {
        Some(engineer) => mezha_store::employment::employer_of(&state.db, engineer).await?,
        None => None,
    };
    let parties = ChatParties {
        customer: order.customer_id,
        executor: order.executor_id,
        executor_employer,
    };
    match rules::access(&parties, auth.user_id, auth.role) {
        Ok(access) => Ok(Chat {
            order_id,
            parties,
            access,
        }),
        Err(ChatRefusal::NotOpen) => Err(AppError::new(ErrorCode::Conflict, "chat.not_open")),
        Err(ChatRefusal::Hidden) => Err(AppError::new(ErrorCode::NotFound, "orders.not_found")),
    }
}

/// The chat for writing: only the customer and the executor write.
pub async fn open_for_writing(
    state: &Live,
    auth: &Actor,
    order_id: Uuid,
) -> Result<Chat, AppError> {
    let chat = open(state, auth, order_id).await?;
    if chat.access != ChatAccess::Write {
        return Err(AppError::new(ErrorCode::Forbidden, "chat.read_only"));
    }
    Ok(chat)
}

fn file_info(f: FileRecord) -> FileInfo {
    FileInfo {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
        sha256: f.sha256,
        created_at: f.created_at,
    }
}

/// The messages as the API shows them (author names, file details): two
/// queries whatever the number of messages.
pub(crate) async fn views(
    state: &Live,
    records: Vec<MessageRecord>,
) -> Result<Vec<ChatMessage>, AppError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let authors: BTreeSet<Uuid> = records.iter().map(|m| m.author_id).collect();
    let names = mezha_store::users::names(&state.db, authors.into_iter().collect()).await?;
    let file_ids: BTreeSet<Uuid> = records.iter().filter_map(|m| m.file_id).collect();
    let mut found = files::find_many(&state.db, file_ids.into_iter().collect()).await?;
    Ok(records
        .into_iter()
        .map(|m| ChatMessage {
            id: m.id,
            order_id: m.order_id,
            author_id: m.author_id,
            author_name: names.get(&m.author_id).cloned().flatten(),
            text: m.body,
            // A file is in one message.
            file: m.file_id.and_then(|id| found.remove(&id)).map(file_info),
            created_at: m.created_at,
        })
        .collect())
}

/// Marks the chat read up to `last` for the caller (a party): the
/// database, then the counters, then his live counters.
async fn mark_read(state: &Live, chat: &Chat, user: Uuid, last: Uuid) -> Result<(), AppError> {
    store::mark_read(&state.db, chat.order_id, user, last, state.clock.now()).await?;
    if let Err(e) = state.unread.read_chat_upto(user, chat.order_id, last).await {
        tracing::warn!(error = %e, %user, "chat counter not updated");
    }
    publish_counters(&state.events, &state.db, &state.unread, user).await;
    Ok(())
}

/// A page of the chat, newest first (50 messages unless `limit` says
/// otherwise; out of 1–100 is 400); the cursor is the id of the oldest
/// message of the page before. The first page read by a party marks the
/// chat read (opening the chat marks it read).
pub async fn list(
    state: &Live,
    auth: &Actor,
    order_id: Uuid,
    page: &PageQuery<50>,
) -> Result<ChatPage, AppError> {
    let limit = paging::limit(page)?;
    let cursor: Option<Uuid> = paging::decode(page.cursor.as_deref())?;
    let chat = open(state, auth, order_id).await?;
    let mut records = store::page(&state.db, order_id, cursor, limit + 1).await?;
    let more = records.len() as u64 > limit;
    records.truncate(limit as usize);
    if chat.access == ChatAccess::Write
        && cursor.is_none()
        && let Some(newest) = records.first()
    {
        mark_read(state, &chat, auth.user_id, newest.id).await?;
    }
    let next_cursor = paging::next_cursor(more, &records, |m| m.id);
    Ok(ChatPage {
        items: views(state, records).await?,
        next_cursor,
    })
}

/// `POST /orders/{id}/messages/read`: everything up to now is read.
pub async fn read(state: &Live, auth: &Actor, order_id: Uuid) -> Result<(), AppError> {
    let chat = open_for_writing(state, auth, order_id).await?;
    if let Some(newest) = store::newest(&state.db, order_id).await? {
        mark_read(state, &chat, auth.user_id, newest).await?;
    }
    Ok(())
}

/// The message `id` the caller wrote in the chat: for an
/// `Idempotency-Key` retry whose first request kept it but could not
/// answer.
pub async fn posted(
    state: &Live,
    auth: &Actor,
    chat: &Chat,
    id: Uuid,
) -> Result<ChatMessage, AppError> {
    let record = store::find(&state.db, chat.order_id, id)
        .await?
        .filter(|m| m.author_id == auth.user_id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "common.not_found"))?;
    views(state, vec![record])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the message vanished")))
}

/// Keeps a message (a text, or a stored file) and tells the other party:
/// his counters, and the message on every open stream of the chat's people.
pub async fn post(
    state: &Live,
    auth: &Actor,
    chat: &Chat,
    text: Option<String>,
    file: Option<Uuid>,
) -> Result<ChatMessage, AppError> {
    let mut record = MessageRecord {
        id: Uuid::now_v7(),
        order_id: chat.order_id,
        author_id: auth.user_id,
        body: text,
        file_id: file,
        // Stored with microseconds (PostgreSQL); answer what is stored.
        created_at: state.clock.now().trunc_subsecs(6),
    };
    record.id = store::insert(&state.db, &record, &rules::audience(&chat.parties)).await?;
    // The author has read his own message (and all before it).
    if let Err(e) = mark_read(state, chat, auth.user_id, record.id).await {
        tracing::warn!(error = %e, "author's read mark not kept");
    }
    for user in rules::recipients(&chat.parties, auth.user_id) {
        if let Err(e) = state.unread.add_chat(user, chat.order_id, record.id).await {
            // The database has it; the next recount will too.
            tracing::warn!(error = %e, %user, "chat counter not updated");
        }
        publish_counters(&state.events, &state.db, &state.unread, user).await;
    }
    let message = views(state, vec![record])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the message vanished")))?;
    let data = serde_json::to_value(&message).map_err(AppError::internal)?;
    for user in rules::audience(&chat.parties) {
        let published = state
            .events
            .bus()
            .publish(&BusMessage {
                user,
                event: LiveEventKind::ChatMessage.as_str().to_owned(),
                id: Some(message.id.to_string()),
                data: data.clone(),
            })
            .await;
        if let Err(e) = published {
            tracing::warn!(error = %e, %user, "live chat message not published");
        }
    }
    Ok(message)
}
