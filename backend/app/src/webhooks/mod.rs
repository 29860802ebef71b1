//! Webhooks for integrators (docs/webhooks.md): registering,
//! listing and deleting the caller's webhooks and reading their delivery
//! log. The fan-out of the notification worker queues deliveries;
//! [`sender`] sends them.

pub mod guard;
pub mod sender;

use crate::context::Core;
use crate::error::{AppError, push_issue};
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::limits::WEBHOOKS_PER_USER_MAX;
use mezha_api_types::page::PageQuery;
use mezha_api_types::webhooks::{
    CreateWebhook, CreatedWebhook, DeliveryStatus, Webhook, WebhookDelivery, WebhookDeliveryList,
    WebhookList,
};
use mezha_domain::FieldError;
use mezha_domain::webhooks::{WebhookUrl, check_kinds, may_add, new_secret};
use mezha_store::queue::JobStatus;
use mezha_store::webhooks::{self as store, DeliveryLogRecord, WebhookRecord};
use uuid::Uuid;

fn view(r: WebhookRecord) -> Webhook {
    Webhook {
        id: r.id,
        url: r.url,
        kinds: r.kinds,
        created_at: r.created_at,
    }
}

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "webhooks.not_found")
}

/// `GET /webhooks`.
pub async fn list(state: &Core, user: Uuid, page: &PageQuery) -> Result<WebhookList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<Uuid> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = store::list(&state.db, user, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| r.id);
    Ok(WebhookList {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    })
}

/// `POST /webhooks`: the URL must be http(s) and reach only public
/// addresses (unless `webhooks_allow_private`), the kinds at least one and
/// each once, the caller below the limit. Nothing is stored otherwise.
pub async fn create(
    state: &Core,
    user: Uuid,
    input: CreateWebhook,
) -> Result<CreatedWebhook, AppError> {
    let allow_private = state.settings.webhooks_allow_private;
    let mut errors = crate::error::body_issues(&input);
    let url = match WebhookUrl::parse(&input.url, allow_private) {
        Ok(url) => match guard::check_host(&url, allow_private).await {
            Ok(()) => Some(url),
            Err(e) => {
                push_issue(&mut errors, "url", e);
                None
            }
        },
        Err(e) => {
            push_issue(&mut errors, "url", e);
            None
        }
    };
    if let Err(e) = check_kinds(&input.kinds) {
        push_issue(&mut errors, "kinds", e);
    }
    let (Some(url), true) = (url, errors.is_empty()) else {
        return Err(AppError::validation(errors));
    };
    let secret = new_secret(&mut rand::thread_rng());
    let created = store::create(
        &state.db,
        user,
        url.as_str(),
        &input.kinds,
        &secret,
        WEBHOOKS_PER_USER_MAX,
        state.clock.now(),
    )
    .await?;
    let Some(r) = created else {
        let e = may_add(WEBHOOKS_PER_USER_MAX as usize)
            .err()
            .unwrap_or_else(|| FieldError::new("too_many", "Too many webhooks."));
        return Err(AppError::field("webhooks", e));
    };
    Ok(CreatedWebhook {
        id: r.id,
        url: r.url,
        kinds: r.kinds,
        created_at: r.created_at,
        secret,
    })
}

/// The webhook `id` of `user` as its creation answered it (with its
/// secret): for an `Idempotency-Key` retry whose first request created it
/// but could not answer.
pub async fn created(state: &Core, user: Uuid, id: Uuid) -> Result<CreatedWebhook, AppError> {
    let not_found = || AppError::new(ErrorCode::NotFound, "common.not_found");
    let r = store::get(&state.db, user, id)
        .await?
        .ok_or_else(not_found)?;
    let secret = store::secret_of(&state.db, user, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(CreatedWebhook {
        id: r.id,
        url: r.url,
        kinds: r.kinds,
        created_at: r.created_at,
        secret,
    })
}

/// `DELETE /webhooks/{id}`.
pub async fn delete(state: &Core, user: Uuid, id: Uuid) -> Result<(), AppError> {
    if store::delete(&state.db, user, id).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

fn delivery(r: DeliveryLogRecord) -> WebhookDelivery {
    let status = match r.status {
        JobStatus::Pending => DeliveryStatus::Pending,
        JobStatus::Sent => DeliveryStatus::Sent,
        JobStatus::Failed => DeliveryStatus::Failed,
    };
    WebhookDelivery {
        id: r.id,
        event: r.kind,
        status,
        attempts: r.attempts,
        last_status: r.last_status,
        last_error: r.last_error,
        created_at: r.created_at,
        last_attempt_at: r.last_attempt_at,
        next_attempt_at: (status == DeliveryStatus::Pending).then_some(r.next_attempt_at),
        sent_at: r.sent_at,
    }
}

/// `GET /webhooks/{id}/deliveries`: newest first, a page after the
/// cursor (the id of the last one).
pub async fn deliveries(
    state: &Core,
    user: Uuid,
    id: Uuid,
    page: &PageQuery,
) -> Result<WebhookDeliveryList, AppError> {
    let limit = paging::limit(page)?;
    let before: Option<Uuid> = paging::decode(page.cursor.as_deref())?;
    store::get(&state.db, user, id)
        .await?
        .ok_or_else(not_found)?;
    let (rows, more) = store::log(&state.db, id, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| r.id);
    Ok(WebhookDeliveryList {
        items: rows.into_iter().map(delivery).collect(),
        next_cursor,
    })
}
