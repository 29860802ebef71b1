//! The order chat (docs/chat.md): load → the domain's access rule →
//! persist → counters and live events. An order's chat is a thread per
//! engineer (docs/chat.md, "Threads"). Messages are UUIDv7, so a page's
//! cursor ([`crate::paging`]) carries the id of its oldest message.

use crate::Actor;
use crate::AppError;
use crate::context::{Core, Live};
use crate::events::publish_counters;
use crate::orders as order_service;
use crate::paging;
use chrono::SubsecRound;
use mezha_api_types::ErrorCode;
use mezha_api_types::chat::{ChatAction, ChatMessage, ChatPage, ChatThread, ChatThreadPage};
use mezha_api_types::events::LiveEventKind;
use mezha_api_types::orders::{FileInfo, OfferStatus};
use mezha_api_types::page::PageQuery;
use mezha_domain::chat::{self as rules, ChatAccess, ChatParties, ChatRefusal};
use mezha_store::bus::BusMessage;
use mezha_store::chat::{self as store, MessageRecord};
use mezha_store::files::{self, FileRecord};
use mezha_store::marketplace::OfferRecord;
use mezha_store::orders::OrderRecord;
use std::collections::BTreeSet;
use uuid::Uuid;

/// One thread of an order's chat as the caller may use it.
pub struct Chat {
    pub order_id: Uuid,
    pub parties: ChatParties,
    pub access: ChatAccess,
}

fn refused(r: ChatRefusal) -> AppError {
    match r {
        ChatRefusal::NotOpen => AppError::new(ErrorCode::Conflict, "chat.not_open"),
        ChatRefusal::Hidden => AppError::new(ErrorCode::NotFound, "orders.not_found"),
    }
}

/// The people and stage of the thread of `order` with `engineer`, from
/// the order's `offers` (to him, or all of them).
async fn parties(
    state: &Core,
    order: &OrderRecord,
    engineer: Uuid,
    offers: &[OfferRecord],
) -> Result<ChatParties, AppError> {
    let his = offers.iter().filter(|o| o.engineer_id == engineer);
    let stage = rules::stage_of(
        order.executor_id == Some(engineer),
        his.clone().any(|o| o.status == OfferStatus::Pending),
        his.count() > 0,
    );
    let engineer_employer = match stage {
        Some(_) => mezha_store::employment::employer_of(&state.db, engineer).await?,
        None => None,
    };
    Ok(ChatParties {
        customer: order.customer_id,
        engineer,
        engineer_employer,
        stage,
    })
}

/// The thread of an order the caller means (`engineer`: the thread's
/// engineer; an engineer's own, or the executor's, when absent), if he may
/// read it: 404 for others, 409 when there is no such thread yet.
pub async fn open(
    state: &Core,
    auth: &Actor,
    order_id: Uuid,
    engineer: Option<Uuid>,
) -> Result<Chat, AppError> {
    let order = order_service::load(state, auth, order_id).await?;
    let engineer = rules::thread_engineer(
        auth.user_id,
        auth.role,
        order.customer_id,
        engineer,
        order.executor_id,
    )
    .map_err(refused)?;
    let offers = mezha_store::marketplace::offers(&state.db, order_id, Some(engineer)).await?;
    let parties = parties(state, &order, engineer, &offers).await?;
    let access = rules::access(&parties, auth.user_id, auth.role).map_err(refused)?;
    Ok(Chat {
        order_id,
        parties,
        access,
    })
}

/// The thread for writing: only its customer and engineer write, and
/// only while it is open.
pub async fn open_for_writing(
    state: &Core,
    auth: &Actor,
    order_id: Uuid,
    engineer: Option<Uuid>,
) -> Result<Chat, AppError> {
    let chat = open(state, auth, order_id, engineer).await?;
    match chat.access {
        ChatAccess::Write => Ok(chat),
        ChatAccess::Closed => Err(AppError::new(ErrorCode::Conflict, "chat.closed")),
        ChatAccess::Read => Err(AppError::new(ErrorCode::Forbidden, "chat.read_only")),
    }
}

/// Whether `auth` may read a thread a file was sent in.
pub async fn may_read(state: &Core, auth: &Actor, order_id: Uuid, engineer: Uuid) -> bool {
    open(state, auth, order_id, Some(engineer)).await.is_ok()
}

/// The threads of an order the caller may read, the executor's first, then
/// by engineer id; `unread` counts what he has not read of those he is
/// one of the two people of.
pub async fn threads(
    state: &Core,
    auth: &Actor,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<ChatThreadPage, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<(u8, Uuid)> = paging::decode(page.cursor.as_deref())?;
    let order = order_service::load(state, auth, order_id).await?;
    let offers = mezha_store::marketplace::offers(&state.db, order_id, None).await?;
    let summaries = store::summaries(&state.db, order_id, auth.user_id).await?;
    let mut engineers: BTreeSet<(u8, Uuid)> = offers
        .iter()
        .map(|o| o.engineer_id)
        .chain(summaries.iter().map(|t| t.engineer_id))
        .map(|e| (1, e))
        .collect();
    if let Some(executor) = order.executor_id {
        engineers.remove(&(1, executor));
        engineers.insert((0, executor));
    }
    let mut shown = Vec::new();
    let mut more = false;
    for key in engineers
        .into_iter()
        .filter(|k| after.is_none_or(|a| *k > a))
    {
        let parties = parties(state, &order, key.1, &offers).await?;
        let (Some(stage), Ok(access)) = (
            parties.stage,
            rules::access(&parties, auth.user_id, auth.role),
        ) else {
            continue;
        };
        if shown.len() as u64 == limit {
            more = true;
            break;
        }
        shown.push((key, stage, access));
    }
    let names =
        mezha_store::users::names(&state.db, shown.iter().map(|(k, ..)| k.1).collect()).await?;
    let next_cursor = paging::next_cursor(more, &shown, |(k, ..)| *k);
    let items = shown
        .into_iter()
        .map(|((_, engineer), stage, access)| {
            let summary = summaries.iter().find(|t| t.engineer_id == engineer);
            ChatThread {
                order_id,
                engineer_id: engineer,
                engineer_name: names.get(&engineer).cloned().flatten(),
                stage,
                unread: match access.is_party() {
                    true => summary.map_or(0, |t| t.unread),
                    false => 0,
                },
                last_message_at: summary.and_then(|t| t.last_message_at),
                allowed_actions: match access {
                    ChatAccess::Write => vec![ChatAction::Send, ChatAction::MarkRead],
                    ChatAccess::Closed => vec![ChatAction::MarkRead],
                    ChatAccess::Read => Vec::new(),
                },
            }
        })
        .collect();
    Ok(ChatThreadPage { items, next_cursor })
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
            engineer_id: m.engineer_id,
            author_id: m.author_id,
            author_name: names.get(&m.author_id).cloned().flatten(),
            text: m.body,
            // A file is in one message.
            file: m.file_id.and_then(|id| found.remove(&id)).map(file_info),
            created_at: m.created_at,
        })
        .collect())
}

/// Marks the thread read up to `last` for the caller (one of its two
/// people): the database, then the counters (the messages this read), then
/// his live counters.
async fn mark_read(state: &Live, chat: &Chat, user: Uuid, last: Uuid) -> Result<(), AppError> {
    let read = store::mark_read(
        &state.db,
        chat.order_id,
        chat.parties.engineer,
        user,
        last,
        state.clock.now(),
    )
    .await?;
    if let Err(e) = state.unread.read_chat(user, chat.order_id, &read).await {
        tracing::warn!(error = %e, %user, "chat counter not updated");
    }
    publish_counters(&state.events, &state.db, &state.unread, user).await;
    Ok(())
}

/// A page of a thread, newest first (50 messages unless `limit` says
/// otherwise; out of 1–100 is 422); the cursor is the id of the oldest
/// message of the page before. The first page read by one of its two
/// people marks the thread read (opening the chat marks it read).
pub async fn list(
    state: &Live,
    auth: &Actor,
    order_id: Uuid,
    engineer: Option<Uuid>,
    page: &PageQuery<50>,
) -> Result<ChatPage, AppError> {
    let limit = paging::limit(page)?;
    let cursor: Option<Uuid> = paging::decode(page.cursor.as_deref())?;
    let chat = open(state, auth, order_id, engineer).await?;
    let thread = chat.parties.engineer;
    let mut records = store::page(&state.db, order_id, thread, cursor, limit + 1).await?;
    let more = records.len() as u64 > limit;
    records.truncate(limit as usize);
    if chat.access.is_party()
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

/// `POST /orders/{id}/messages/read`: everything of the thread up to now
/// is read (by one of its two people, even when it is closed).
pub async fn read(
    state: &Live,
    auth: &Actor,
    order_id: Uuid,
    engineer: Option<Uuid>,
) -> Result<(), AppError> {
    let chat = open(state, auth, order_id, engineer).await?;
    if !chat.access.is_party() {
        return Err(AppError::new(ErrorCode::Forbidden, "chat.read_only"));
    }
    if let Some(newest) = store::newest(&state.db, order_id, chat.parties.engineer).await? {
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
        .filter(|m| m.author_id == auth.user_id && m.engineer_id == chat.parties.engineer)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "common.not_found"))?;
    views(state, vec![record])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the message vanished")))
}

/// Keeps a message (a text, or a stored file) and tells the other person:
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
        engineer_id: chat.parties.engineer,
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
