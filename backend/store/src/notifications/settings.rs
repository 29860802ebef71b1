//! The users' channel choices and language.

use crate::entities::{notification_preferences as preferences, notification_settings as settings};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::{Language, NotificationChannel, NotificationKind};
use mezha_domain::notifications::default_enabled;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use std::collections::HashMap;
use uuid::Uuid;

/// The channels of `user` for `kind`: his overrides over the defaults.
pub(super) async fn channels_of<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
    kind: NotificationKind,
) -> Result<HashMap<NotificationChannel, bool>, StoreError> {
    let mut out: HashMap<NotificationChannel, bool> = NotificationChannel::ALL
        .iter()
        .map(|c| (*c, default_enabled(kind, *c)))
        .collect();
    for row in settings::Entity::find()
        .filter(settings::Column::UserId.eq(user))
        .filter(settings::Column::Kind.eq(kind.as_str()))
        .all(db)
        .await?
    {
        if let Ok(channel) = row.channel.parse::<NotificationChannel>() {
            out.insert(channel, row.enabled);
        }
    }
    Ok(out)
}
/// The language of `user`'s e-mail, SMS and webhook texts.
pub(crate) async fn language_of<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
) -> Result<Language, StoreError> {
    Ok(preferences::Entity::find_by_id(user)
        .one(db)
        .await?
        .and_then(|p| p.language.parse().ok())
        .unwrap_or(Language::Ru))
}

/// A user's settings: his language and his overrides of the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsRecord {
    pub language: Language,
    pub overrides: Vec<(NotificationKind, NotificationChannel, bool)>,
}

/// The settings of `user`.
pub async fn settings_of(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<SettingsRecord, StoreError> {
    let overrides = settings::Entity::find()
        .filter(settings::Column::UserId.eq(user))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some((
                row.kind.parse().ok()?,
                row.channel.parse().ok()?,
                row.enabled,
            ))
        })
        .collect();
    Ok(SettingsRecord {
        language: language_of(db, user).await?,
        overrides,
    })
}

/// Saves the language (when given) and the channel choices of `user`.
pub async fn save_settings(
    db: &DatabaseConnection,
    user: Uuid,
    language: Option<Language>,
    changes: &[(NotificationKind, NotificationChannel, bool)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    if let Some(language) = language {
        preferences::Entity::delete_by_id(user).exec(&txn).await?;
        preferences::ActiveModel {
            user_id: Set(user),
            language: Set(language.as_str().to_owned()),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    for (kind, channel, enabled) in changes {
        settings::Entity::delete_many()
            .filter(settings::Column::UserId.eq(user))
            .filter(settings::Column::Kind.eq(kind.as_str()))
            .filter(settings::Column::Channel.eq(channel.as_str()))
            .exec(&txn)
            .await?;
        settings::ActiveModel {
            user_id: Set(user),
            kind: Set(kind.as_str().to_owned()),
            channel: Set(channel.as_str().to_owned()),
            enabled: Set(*enabled),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
