//! Notifications (docs/notifications.md): the caller's settings, his in-app list and its
//! unread counters. Events are written by the stores inside the
//! transactions of the changes they announce; [`worker`] delivers them.

pub mod worker;

use crate::context::Live;
use crate::error::{AppError, push_issue};
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::notifications::{
    KindChannels, Language, Notification, NotificationChannel, NotificationKind, NotificationList,
    NotificationSettings, ObjectLink, OrderUnread, ReadAll, UnreadCounts,
    UpdateNotificationSettings,
};
use mezha_api_types::page::PageQuery;
use mezha_domain::FieldError;
use mezha_domain::notifications::{default_enabled, render};
use mezha_store::DatabaseConnection;
use mezha_store::counters::{Snapshot, Unread};
use mezha_store::notifications::{self as store, NotificationRecord};
use std::collections::HashMap;
use uuid::Uuid;

fn defaults() -> Vec<KindChannels> {
    NotificationKind::ALL
        .iter()
        .map(|kind| KindChannels {
            kind: *kind,
            in_app: default_enabled(*kind, NotificationChannel::InApp),
            email: default_enabled(*kind, NotificationChannel::Email),
            sms: default_enabled(*kind, NotificationChannel::Sms),
        })
        .collect()
}

/// `GET /me/notification-settings`.
pub async fn settings(state: &Live, user: Uuid) -> Result<NotificationSettings, AppError> {
    let record = store::settings_of(&state.db, user).await?;
    let overrides: HashMap<(NotificationKind, NotificationChannel), bool> = record
        .overrides
        .into_iter()
        .map(|(k, c, on)| ((k, c), on))
        .collect();
    let defaults = defaults();
    let kinds = defaults
        .iter()
        .map(|d| {
            let get = |c, default| overrides.get(&(d.kind, c)).copied().unwrap_or(default);
            KindChannels {
                kind: d.kind,
                in_app: get(NotificationChannel::InApp, d.in_app),
                email: get(NotificationChannel::Email, d.email),
                sms: get(NotificationChannel::Sms, d.sms),
            }
        })
        .collect();
    Ok(NotificationSettings {
        language: record.language,
        kinds,
        defaults,
    })
}

/// `PUT /me/notification-settings`: a kind listed twice is refused and
/// nothing is saved.
pub async fn update_settings(
    state: &Live,
    user: Uuid,
    input: UpdateNotificationSettings,
) -> Result<NotificationSettings, AppError> {
    let mut errors = crate::error::body_issues(&input);
    let mut seen = Vec::new();
    let mut changes = Vec::new();
    for (i, k) in input.kinds.iter().enumerate() {
        if seen.contains(&k.kind) {
            push_issue(
                &mut errors,
                &format!("kinds[{i}].kind"),
                FieldError::new("duplicate", format!("`{}` is listed twice.", k.kind)),
            );
            continue;
        }
        seen.push(k.kind);
        for (channel, value) in [
            (NotificationChannel::InApp, k.in_app),
            (NotificationChannel::Email, k.email),
            (NotificationChannel::Sms, k.sms),
        ] {
            if let Some(on) = value {
                changes.push((k.kind, channel, on));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    store::save_settings(&state.db, user, input.language, &changes, state.clock.now()).await?;
    settings(state, user).await
}

/// The API view of a notification, its texts in `lang`.
pub fn view(record: NotificationRecord, lang: Language, public_url: &str) -> Notification {
    let texts = render(&record.event, lang, public_url);
    Notification {
        id: record.id,
        kind: record.kind,
        title: texts.title,
        body: texts.body,
        object: ObjectLink {
            kind: record.object_kind,
            id: record.object_id,
        },
        created_at: record.created_at,
        read_at: record.read_at,
    }
}

/// `lang`, else the user's language.
pub async fn language(
    state: &Live,
    user: Uuid,
    lang: Option<Language>,
) -> Result<Language, AppError> {
    Ok(match lang {
        Some(lang) => lang,
        None => store::settings_of(&state.db, user).await?.language,
    })
}

/// `GET /notifications`: newest first, a page after the cursor (the id
/// of the last one); texts in `lang` or the user's language.
pub async fn list(
    state: &Live,
    user: Uuid,
    page: &PageQuery,
    lang: Option<Language>,
    unread_only: bool,
) -> Result<NotificationList, AppError> {
    let limit = paging::limit(page)?;
    let before: Option<Uuid> = paging::decode(page.cursor.as_deref())?;
    let lang = language(state, user, lang).await?;
    let (rows, more) = store::list(&state.db, user, limit, before, unread_only).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| r.id);
    Ok(NotificationList {
        items: rows
            .into_iter()
            .map(|r| view(r, lang, &state.settings.public_url))
            .collect(),
        next_cursor,
    })
}

/// `POST /notifications/{id}/read`.
pub async fn read(
    state: &Live,
    user: Uuid,
    id: Uuid,
    lang: Option<Language>,
) -> Result<Notification, AppError> {
    let (record, was_unread) = store::mark_read(&state.db, user, id, state.clock.now())
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "notifications.not_found"))?;
    if was_unread {
        state.unread.read_system(user, id).await?;
        crate::events::publish_counters(&state.events, &state.db, &state.unread, user).await;
    }
    let lang = language(state, user, lang).await?;
    Ok(view(record, lang, &state.settings.public_url))
}

/// `POST /notifications/read-all`: everything unread up to now; one that
/// arrives meanwhile stays unread.
pub async fn read_all(state: &Live, user: Uuid) -> Result<ReadAll, AppError> {
    let (marked, newest) = store::mark_all_read(&state.db, user, state.clock.now()).await?;
    if let Some(newest) = newest {
        state.unread.read_system_upto(user, newest).await?;
        crate::events::publish_counters(&state.events, &state.db, &state.unread, user).await;
    }
    Ok(ReadAll { marked })
}

/// The counters of `user`: from the key-value store alone, after a recount
/// from the database when they are not there (a restarted Redis, or the
/// hourly refresh).
pub async fn unread_counts(state: &Live, user: Uuid) -> Result<UnreadCounts, AppError> {
    counts(&state.db, &state.unread, user).await
}

/// [`unread_counts`] over the connections alone (the worker has no state).
pub async fn counts(
    db: &DatabaseConnection,
    unread: &Unread,
    user: Uuid,
) -> Result<UnreadCounts, AppError> {
    let snapshot = match unread.snapshot(user).await? {
        Some(s) => s,
        None => recount(db, unread, user).await?,
    };
    Ok(UnreadCounts {
        system: snapshot.system,
        chat_total: snapshot.chat_total(),
        chat_by_order: snapshot
            .chat
            .into_iter()
            .map(|(order_id, unread)| OrderUnread { order_id, unread })
            .collect(),
    })
}

/// Recounts `user`'s counters from the database: his unread notifications
/// and, per order, the chat messages others wrote after what he read.
pub async fn recount(
    db: &DatabaseConnection,
    unread: &Unread,
    user: Uuid,
) -> Result<Snapshot, AppError> {
    // Notification ids are UUIDv7 stamped with the system time, so the
    // recount's cut-off is the system time too (not the business clock).
    let taken_at = chrono::Utc::now();
    let system = store::unread_ids(db, user).await?;
    let chat = mezha_store::chat::unread_ids(db, user).await?;
    Ok(unread.rebuild(user, &system, &chat, taken_at).await?)
}
