//! `Idempotency-Key` on creating requests: the first request with a key
//! claims it and stores its answer; a retry with the same key and body gets
//! that answer again, never a second resource. The same key with another
//! body is `idempotency_key_reused`; while the first is still running,
//! `idempotency_in_progress`. The edge reads the key from the request and
//! replays a stored answer as it was sent.
//!
//! A crash cannot strand a key (docs/API.md, "Idempotency"): the use case
//! runs [`guarded`] by its key, so the resource it creates is bound to the
//! key in the creating transaction. A retry finds the stored answer, or the
//! resource without an answer ([`Begin::Committed`]: the edge answers with
//! the resource as it is), or — once the claim is older than
//! [`STALE_AFTER`] and bound to nothing — takes the key over and does the
//! work once.

use crate::{Actor, AppError, AppResult, context::Core};
use mezha_api_types::ErrorCode;
use mezha_store::idempotency::{self, Claim};
use serde::Serialize;

/// How long a claimed key whose request created nothing may be in
/// progress before a retry takes it over: longer than any request takes.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(120);

/// A claimed key, to be completed with the answer ([`finish`]).
#[derive(Debug)]
pub struct Claimed {
    user_id: uuid::Uuid,
    scope: String,
    key: String,
}

/// What to do with a request.
#[derive(Debug)]
pub enum Begin {
    /// No key, or a new one: run the request (then [`finish`]).
    Run(Option<Claimed>),
    /// The first request with this key created this resource and stopped
    /// before it could answer: answer with the resource.
    Committed(uuid::Uuid),
    /// The stored answer of the first request with this key.
    Replay {
        /// Its HTTP status.
        status: u16,
        /// Its JSON body.
        body: String,
    },
}

/// A creating request as its key sees it: whose key, for which operation
/// (`scope`, e.g. `POST /orders`), and the fingerprint of what it asks.
#[derive(Debug, Clone)]
pub struct Request {
    owner: uuid::Uuid,
    scope: String,
    key: Option<String>,
    hash: String,
}

impl Request {
    /// The request of `actor` with `key` (if any) asking `body`: the
    /// fingerprint is the SHA-256 of the body's JSON.
    pub fn new(
        actor: &Actor,
        scope: impl Into<String>,
        key: Option<String>,
        body: &impl Serialize,
    ) -> AppResult<Self> {
        Self::owned_by(actor.user_id, scope, key, body)
    }

    /// An anonymous request (no account yet: registration), its key owned
    /// by `about` (the address registered) so that two clients' keys never
    /// meet: the owner is an id derived from it, which names no account.
    pub fn anonymous(
        about: &str,
        scope: impl Into<String>,
        key: Option<String>,
        body: &impl Serialize,
    ) -> AppResult<Self> {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(format!("anonymous:{about}").as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Self::owned_by(uuid::Uuid::from_bytes(bytes), scope, key, body)
    }

    fn owned_by(
        owner: uuid::Uuid,
        scope: impl Into<String>,
        key: Option<String>,
        body: &impl Serialize,
    ) -> AppResult<Self> {
        let bytes = serde_json::to_vec(body).map_err(AppError::internal)?;
        Ok(Self {
            owner,
            scope: scope.into(),
            key,
            hash: mezha_domain::digest::sha256_hex(&bytes),
        })
    }
}

/// Claims the key of `request` (if it has one).
pub async fn begin(app: &Core, request: Request) -> AppResult<Begin> {
    let Request {
        owner,
        scope,
        key,
        hash,
    } = request;
    let Some(key) = key else {
        return Ok(Begin::Run(None));
    };
    let now = app.clock.now();
    let stale = chrono::Duration::from_std(STALE_AFTER).unwrap_or(chrono::Duration::minutes(2));
    match idempotency::claim(&app.db, owner, &scope, &key, &hash, now, stale).await? {
        Claim::Claimed => Ok(Begin::Run(Some(Claimed {
            user_id: owner,
            scope,
            key,
        }))),
        Claim::Done { status, body } => Ok(Begin::Replay { status, body }),
        Claim::Committed { resource_id } => Ok(Begin::Committed(resource_id)),
        Claim::InProgress => Err(AppError::new(
            ErrorCode::IdempotencyInProgress,
            "idempotency.in_progress",
        )),
        Claim::Mismatch => Err(AppError::new(
            ErrorCode::IdempotencyKeyReused,
            "idempotency.key_reused",
        )),
    }
}

/// Runs the use case `work` guarded by `claimed` (if any): the resource it
/// creates is bound to the key in the same transaction.
pub async fn guarded<F: std::future::Future>(claimed: Option<&Claimed>, work: F) -> F::Output {
    let key = claimed.map(|c| idempotency::KeyRef {
        user_id: c.user_id,
        scope: c.scope.clone(),
        key: c.key.clone(),
    });
    idempotency::guarding(key, work).await
}

pub use idempotency::unguarded;

/// Stores the answer of a claimed key (on success, with its HTTP
/// `status`) or releases the key (on failure, so the client may retry).
pub async fn finish<T: Serialize, E>(
    app: &Core,
    claimed: Option<Claimed>,
    status: u16,
    result: &Result<T, E>,
) -> AppResult<()> {
    let Some(c) = claimed else {
        return Ok(());
    };
    match result {
        Ok(value) => {
            let body = serde_json::to_string(value).map_err(AppError::internal)?;
            idempotency::complete(&app.db, c.user_id, &c.scope, &c.key, status, &body).await?;
        }
        Err(_) => idempotency::release(&app.db, c.user_id, &c.scope, &c.key).await?,
    }
    Ok(())
}

/// How long a key is remembered: a client retrying within this time gets
/// the first answer; after it the key may be used afresh.
pub const KEEP: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Forgets the keys older than [`KEEP`] at `now`; returns how many.
pub async fn purge(
    db: &mezha_store::DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, mezha_store::StoreError> {
    let keep = chrono::Duration::from_std(KEEP).unwrap_or(chrono::Duration::hours(24));
    idempotency::purge(db, now - keep).await
}

/// The background job: [`purge`] at start and then every `every`, for as
/// long as the server runs. Failures are logged and retried next time.
pub async fn purge_periodically(
    db: mezha_store::DatabaseConnection,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    every: std::time::Duration,
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match purge(&db, clock.now()).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "idempotency keys forgotten"),
            Err(err) => tracing::warn!(error = %err, "idempotency key purge failed"),
        }
    }
}
