//! The CRLs the platform's issuing CA published: the newest is served at
//! `GET /pki/crl`, and its number plus one is the next CRL's number.

use crate::entities::pki_crls;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryOrder};

/// A published CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlRecord {
    pub number: i64,
    pub der: Vec<u8>,
    pub this_update: DateTime<Utc>,
    pub next_update: DateTime<Utc>,
}

/// The newest CRL, if any was published.
pub async fn latest_crl(db: &DatabaseConnection) -> Result<Option<CrlRecord>, StoreError> {
    Ok(pki_crls::Entity::find()
        .order_by_desc(pki_crls::Column::Number)
        .one(db)
        .await?
        .map(|m| CrlRecord {
            number: m.number,
            der: m.der,
            this_update: m.this_update,
            next_update: m.next_update,
        }))
}

/// The number of the newest CRL (0 when none was published): a cheap
/// check whether an instance's installed CRL is still the newest.
pub async fn latest_crl_number(db: &DatabaseConnection) -> Result<i64, StoreError> {
    use sea_orm::QuerySelect;
    let number: Option<i64> = pki_crls::Entity::find()
        .select_only()
        .column(pki_crls::Column::Number)
        .order_by_desc(pki_crls::Column::Number)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(number.unwrap_or(0))
}

/// Stores a new CRL; `Duplicate` when another writer took its number.
pub async fn save_crl(db: &DatabaseConnection, crl: &CrlRecord) -> Result<(), StoreError> {
    pki_crls::ActiveModel {
        number: Set(crl.number),
        der: Set(crl.der.clone()),
        this_update: Set(crl.this_update),
        next_update: Set(crl.next_update),
    }
    .insert(db)
    .await?;
    Ok(())
}
