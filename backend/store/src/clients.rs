//! The client base of organisations (docs/clients.md): persons as typed
//! (the data checks run on read and never block a save), their scans, and
//! the search by name, SNILS or passport number.

use crate::entities::{client_request_files, client_requests, client_scans, clients, files};
use crate::error::StoreError;
use crate::orders::FileRecord;
use crate::paging::After;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// A client's data, every field but the name optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientData {
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub birth_place: Option<String>,
    pub passport_series: Option<String>,
    pub passport_number: Option<String>,
    pub passport_issued_on: Option<NaiveDate>,
    pub passport_issuer_code: Option<String>,
    pub passport_issuer: Option<String>,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub data: ClientData,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn record(m: clients::Model) -> ClientRecord {
    ClientRecord {
        id: m.id,
        organisation_id: m.organisation_id,
        data: ClientData {
            full_name: m.full_name,
            birth_date: m.birth_date,
            birth_place: m.birth_place,
            passport_series: m.passport_series,
            passport_number: m.passport_number,
            passport_issued_on: m.passport_issued_on,
            passport_issuer_code: m.passport_issuer_code,
            passport_issuer: m.passport_issuer,
            snils: m.snils,
            inn: m.inn,
            address: m.address,
            phone: m.phone,
            email: m.email,
        },
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// The digits of `text`, or `None` when it has none.
fn digits(text: Option<&str>) -> Option<String> {
    let d: String = text?.chars().filter(char::is_ascii_digit).collect();
    (!d.is_empty()).then_some(d)
}

/// The search columns of `data`.
fn search_columns(data: &ClientData) -> (String, Option<String>, Option<String>) {
    let passport = format!(
        "{}{}",
        data.passport_series.as_deref().unwrap_or(""),
        data.passport_number.as_deref().unwrap_or("")
    );
    (
        data.full_name.to_lowercase(),
        digits(data.snils.as_deref()),
        digits(Some(&passport)),
    )
}

fn active(data: ClientData) -> clients::ActiveModel {
    let (search_name, snils_digits, passport_digits) = search_columns(&data);
    clients::ActiveModel {
        full_name: Set(data.full_name),
        search_name: Set(search_name),
        birth_date: Set(data.birth_date),
        birth_place: Set(data.birth_place),
        passport_series: Set(data.passport_series),
        passport_number: Set(data.passport_number),
        passport_digits: Set(passport_digits),
        passport_issued_on: Set(data.passport_issued_on),
        passport_issuer_code: Set(data.passport_issuer_code),
        passport_issuer: Set(data.passport_issuer),
        snils: Set(data.snils),
        snils_digits: Set(snils_digits),
        inn: Set(data.inn),
        address: Set(data.address),
        phone: Set(data.phone),
        email: Set(data.email),
        ..Default::default()
    }
}

async fn put_scans<C: ConnectionTrait>(
    db: &C,
    client_id: Uuid,
    scans: &[Uuid],
) -> Result<(), StoreError> {
    client_scans::Entity::delete_many()
        .filter(client_scans::Column::ClientId.eq(client_id))
        .exec(db)
        .await?;
    for (position, file_id) in scans.iter().enumerate() {
        client_scans::ActiveModel {
            client_id: Set(client_id),
            file_id: Set(*file_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Adds a client to the organisation's base, with his scans and the log's
/// entry.
pub async fn create(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    data: ClientData,
    scans: &[Uuid],
    created_by: Uuid,
    now: DateTime<Utc>,
) -> Result<ClientRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let id = Uuid::now_v7();
    let name = data.full_name.clone();
    let mut row = active(data);
    row.id = Set(id);
    row.organisation_id = Set(organisation_id);
    row.created_by = Set(created_by);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let row = row.insert(&txn).await?;
    crate::idempotency::bind(&txn, id).await?;
    put_scans(&txn, id, scans).await?;
    crate::organisations::record(
        &txn,
        organisation_id,
        crate::organisations::Audit {
            kind: mezha_api_types::organisations::AuditKind::ClientAdded,
            actor_id: Some(created_by),
            subject_id: None,
            details: serde_json::json!({"client_id": id, "full_name": name}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(record(row))
}

/// The client with this id.
pub async fn get(db: &DatabaseConnection, id: Uuid) -> Result<Option<ClientRecord>, StoreError> {
    Ok(clients::Entity::find_by_id(id).one(db).await?.map(record))
}

/// Replaces a client's data (and his scans when `scans` is given) if it
/// has not changed since `seen` (`VersionMismatch` otherwise).
pub async fn update(
    db: &DatabaseConnection,
    client: &ClientRecord,
    data: ClientData,
    scans: Option<&[Uuid]>,
    now: DateTime<Utc>,
) -> Result<ClientRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let mut row = active(data);
    row.updated_at = Set(now);
    let result = clients::Entity::update_many()
        .set(row)
        .filter(clients::Column::Id.eq(client.id))
        .filter(clients::Column::UpdatedAt.eq(client.updated_at))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    if let Some(scans) = scans {
        put_scans(&txn, client.id, scans).await?;
    }
    let row = clients::Entity::find_by_id(client.id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    txn.commit().await?;
    Ok(record(row))
}

/// A client's scans, in their order.
pub async fn scans(
    db: &DatabaseConnection,
    client_id: Uuid,
) -> Result<Vec<FileRecord>, StoreError> {
    let links = client_scans::Entity::find()
        .filter(client_scans::Column::ClientId.eq(client_id))
        .order_by_asc(client_scans::Column::Position)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        if let Some(file) = files::Entity::find_by_id(link.file_id).one(db).await? {
            out.push(FileRecord::from(file));
        }
    }
    Ok(out)
}

/// The organisations whose clients have `file_id` among their scans.
pub async fn organisations_of_scan(
    db: &DatabaseConnection,
    file_id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let links = client_scans::Entity::find()
        .filter(client_scans::Column::FileId.eq(file_id))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for link in links {
        if let Some(client) = clients::Entity::find_by_id(link.client_id).one(db).await?
            && !out.contains(&client.organisation_id)
        {
            out.push(client.organisation_id);
        }
    }
    Ok(out)
}

/// What to look for: part of the name, or digits of a SNILS or a passport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// Part of the name, in lower case.
    Name(String),
    /// Digits: a SNILS, or a passport's number (or series and number).
    Digits(String),
}

impl Search {
    /// What `q` asks for: digits when it has no letters (spaces and
    /// hyphens between them allowed), else part of the name.
    pub fn of(q: &str) -> Option<Search> {
        let q = q.trim();
        if q.is_empty() {
            return None;
        }
        if q.chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        {
            digits(Some(q)).map(Search::Digits)
        } else {
            Some(Search::Name(q.to_lowercase()))
        }
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A page of the organisation's clients matching `search`, newest first.
pub async fn list(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    search: Option<&Search>,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<ClientRecord>, bool), StoreError> {
    let mut parent = Condition::all().add(clients::Column::OrganisationId.eq(organisation_id));
    match search {
        Some(Search::Name(part)) => {
            let pattern = format!("%{}%", like_escaped(part));
            parent =
                parent.add(clients::Column::SearchName.like(LikeExpr::new(pattern).escape('\\')));
        }
        Some(Search::Digits(d)) => {
            parent = parent.add(
                Condition::any()
                    .add(clients::Column::SnilsDigits.eq(d.clone()))
                    .add(clients::Column::PassportDigits.eq(d.clone()))
                    .add(clients::Column::PassportNumber.eq(d.clone())),
            );
        }
        None => {}
    }
    let (rows, more) = crate::paging::newest_first::<clients::Entity, _>(
        db,
        parent,
        (clients::Column::CreatedAt, clients::Column::Id),
        limit,
        before,
    )
    .await?;
    Ok((rows.into_iter().map(record).collect(), more))
}

/// A request of a client's data by e-mail, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub email: String,
    pub full_name: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// What the person submitted (JSON).
    pub submission: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub client_id: Option<Uuid>,
}

fn request(m: client_requests::Model) -> RequestRecord {
    RequestRecord {
        id: m.id,
        organisation_id: m.organisation_id,
        email: m.email,
        full_name: m.full_name,
        expires_at: m.expires_at,
        created_by: m.created_by,
        created_at: m.created_at,
        submitted_at: m.submitted_at,
        submission: m.submission,
        accepted_at: m.accepted_at,
        client_id: m.client_id,
    }
}

/// A new request.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub organisation_id: Uuid,
    pub email: String,
    pub full_name: Option<String>,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// Stores a request, with the organisation's log entry.
pub async fn create_request(
    db: &DatabaseConnection,
    new: NewRequest,
    now: DateTime<Utc>,
) -> Result<RequestRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let row = client_requests::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(new.organisation_id),
        email: Set(new.email.clone()),
        full_name: Set(new.full_name),
        token_hash: Set(new.token_hash),
        expires_at: Set(new.expires_at),
        created_by: Set(new.created_by),
        created_at: Set(now),
        submitted_at: Set(None),
        submission: Set(None),
        accepted_at: Set(None),
        accepted_by: Set(None),
        client_id: Set(None),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, row.id).await?;
    crate::organisations::record(
        &txn,
        new.organisation_id,
        crate::organisations::Audit {
            kind: mezha_api_types::organisations::AuditKind::ClientRequested,
            actor_id: Some(new.created_by),
            subject_id: None,
            details: serde_json::json!({"email": new.email, "request_id": row.id}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(request(row))
}

/// The request with this id.
pub async fn request_by_id(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<RequestRecord>, StoreError> {
    Ok(client_requests::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(request))
}

/// The request whose link's token hashes to `token_hash`.
pub async fn request_by_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Option<RequestRecord>, StoreError> {
    Ok(client_requests::Entity::find()
        .filter(client_requests::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(request))
}

/// A page of the organisation's requests, newest first.
pub async fn requests(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<RequestRecord>, bool), StoreError> {
    let (rows, more) = crate::paging::newest_first::<client_requests::Entity, _>(
        db,
        Condition::all().add(client_requests::Column::OrganisationId.eq(organisation_id)),
        (
            client_requests::Column::CreatedAt,
            client_requests::Column::Id,
        ),
        limit,
        before,
    )
    .await?;
    Ok((rows.into_iter().map(request).collect(), more))
}

/// The files uploaded through the request's link, oldest first.
pub async fn request_files(
    db: &DatabaseConnection,
    request_id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(client_request_files::Entity::find()
        .filter(client_request_files::Column::RequestId.eq(request_id))
        .order_by_asc(client_request_files::Column::UploadedAt)
        .order_by_asc(client_request_files::Column::FileId)
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.file_id)
        .collect())
}

/// Records that `file_id` was uploaded through the request's link.
pub async fn add_request_file(
    db: &DatabaseConnection,
    request_id: Uuid,
    file_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    client_request_files::ActiveModel {
        request_id: Set(request_id),
        file_id: Set(file_id),
        uploaded_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Stores the person's submission while the link works (unsubmitted and
/// unexpired): `NotFound` otherwise, so the link works once.
pub async fn submit(
    db: &DatabaseConnection,
    request_id: Uuid,
    submission: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let done = client_requests::Entity::update_many()
        .col_expr(client_requests::Column::SubmittedAt, Expr::value(now))
        .col_expr(client_requests::Column::Submission, Expr::value(submission))
        .filter(client_requests::Column::Id.eq(request_id))
        .filter(client_requests::Column::SubmittedAt.is_null())
        .filter(client_requests::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Makes a submitted request a client of the base, once
/// (`VersionMismatch` when it was accepted already), with the log entry.
pub async fn accept_request(
    db: &DatabaseConnection,
    req: &RequestRecord,
    data: ClientData,
    scans: &[Uuid],
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<ClientRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let id = Uuid::now_v7();
    let marked = client_requests::Entity::update_many()
        .col_expr(client_requests::Column::AcceptedAt, Expr::value(now))
        .col_expr(client_requests::Column::AcceptedBy, Expr::value(by))
        .col_expr(client_requests::Column::ClientId, Expr::value(id))
        .filter(client_requests::Column::Id.eq(req.id))
        .filter(client_requests::Column::AcceptedAt.is_null())
        .filter(client_requests::Column::SubmittedAt.is_not_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    let name = data.full_name.clone();
    let mut row = active(data);
    row.id = Set(id);
    row.organisation_id = Set(req.organisation_id);
    row.created_by = Set(by);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let row = row.insert(&txn).await?;
    put_scans(&txn, id, scans).await?;
    crate::organisations::record(
        &txn,
        req.organisation_id,
        crate::organisations::Audit {
            kind: mezha_api_types::organisations::AuditKind::ClientAdded,
            actor_id: Some(by),
            subject_id: None,
            details: serde_json::json!({"client_id": id, "full_name": name, "request_id": req.id}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(record(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_digits_or_a_name() {
        assert_eq!(Search::of("  "), None);
        assert_eq!(
            Search::of("112-233-445 95"),
            Some(Search::Digits("11223344595".into()))
        );
        assert_eq!(Search::of("Петров"), Some(Search::Name("петров".into())));
        assert_eq!(Search::of("4506 1"), Some(Search::Digits("45061".into())));
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escaped("50%_a\\"), "50\\%\\_a\\\\");
    }
}
