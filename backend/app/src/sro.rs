//! The SRO registry import (`docs/sro-registry.md`) and what the
//! registry decides at login.
//!
//! An import parses the whole file first (all or nothing, in
//! `mezha_domain::sro`), compares it with the stored entries of the same
//! SNILS, writes only new and changed entries, and then applies the status
//! changes: a SNILS that became active gives its accounts the engineer
//! role and resumes their suspended orders; one that lost active status
//! takes the role away and suspends their assigned orders. Importing the
//! same file again changes nothing. Imports run one at a time per process.

use crate::context::Core;
use crate::error::{AppError, FieldIssues, Message};
use chrono::{DateTime, Utc};
use mezha_api_types::engineers::SroImportReport;
use mezha_api_types::{ErrorCode, FieldIssue, Role};
use mezha_domain::sro::{self, ImportErrors};
use mezha_store::users::UserRecord;
use mezha_store::{DatabaseConnection, StoreError, employment, engineers};
use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Mutex;

/// Largest registry file accepted (upload or feed), in bytes.
pub const IMPORT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Time allowed to connect to a feed.
pub const FEED_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole feed download.
pub const FEED_TIMEOUT: Duration = Duration::from_secs(300);

/// Why an import did not happen.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file was rejected; nothing was written.
    Rejected(ImportErrors),
    /// The feed could not be fetched (what the caller is told).
    Feed(Message),
    /// The file could not be read or parsed (the operator's CLI and jobs;
    /// through the API, an internal error).
    Source(String),
    /// The database failed.
    Store(StoreError),
}

impl fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportFailure::Rejected(errors) => write!(f, "{errors}"),
            ImportFailure::Feed(message) => write!(f, "{message}"),
            ImportFailure::Source(message) => f.write_str(message),
            ImportFailure::Store(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for ImportFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportFailure::Store(err) => Some(err),
            _ => None,
        }
    }
}

impl From<StoreError> for ImportFailure {
    fn from(err: StoreError) -> Self {
        ImportFailure::Store(err)
    }
}

impl From<ImportFailure> for AppError {
    fn from(failure: ImportFailure) -> Self {
        match failure {
            ImportFailure::Rejected(errors) => {
                let mut map = FieldIssues::new();
                for issue in &errors.issues {
                    let key = match (issue.line, &issue.field) {
                        (0, None) => "file".to_owned(),
                        (0, Some(field)) => format!("file.{field}"),
                        (line, None) => format!("line[{line}]"),
                        (line, Some(field)) => format!("line[{line}].{field}"),
                    };
                    map.entry(key).or_default().push(FieldIssue {
                        code: issue.code.as_str().into(),
                        message: issue.message.clone(),
                    });
                }
                let count = errors.issues.len();
                let message = if errors.truncated {
                    crate::msg!("sro.rejected_truncated", count = count)
                } else if count == 1 {
                    crate::msg!("sro.rejected_one")
                } else {
                    crate::msg!("sro.rejected", count = count)
                };
                AppError::with_issues(ErrorCode::ValidationFailed, message, map)
            }
            ImportFailure::Feed(message) => AppError::new(ErrorCode::FeedUnavailable, message),
            ImportFailure::Source(text) => AppError::Internal(anyhow::anyhow!(text)),
            ImportFailure::Store(err) => err.into(),
        }
    }
}

fn lock() -> &'static Mutex<()> {
    static LOCK: OnceLock<Mutex<()>> = OnceLock::new();
    LOCK.get_or_init(|| Mutex::new(()))
}

/// Imports a registry file (CSV or JSON, detected from the content).
pub async fn import_bytes(
    db: &DatabaseConnection,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<SroImportReport, ImportFailure> {
    let parsed = tokio::task::spawn_blocking(move || {
        let format = sro::detect_format(&bytes);
        sro::parse(&bytes, format)
    })
    .await
    .map_err(|e| ImportFailure::Source(format!("parsing stopped: {e}")))?
    .map_err(ImportFailure::Rejected)?;
    let _guard = lock().lock().await;
    let snils: Vec<String> = parsed.iter().map(|e| e.snils.digits().to_owned()).collect();
    let stored = mezha_store::sro::entries(db, &snils).await?;
    let entries = parsed.len() as u64;
    let plan = sro::plan(&stored, parsed);
    mezha_store::sro::upsert(db, &plan.upserts, now).await?;
    let mut report = SroImportReport {
        entries,
        written: plan.upserts.len() as u64,
        unchanged: plan.unchanged as u64,
        became_active: plan.became_active.len() as u64,
        became_inactive: plan.became_inactive.len() as u64,
        ..SroImportReport::default()
    };
    let digits = |list: &[mezha_domain::Snils]| -> Vec<String> {
        list.iter().map(|s| s.digits().to_owned()).collect()
    };
    for (user_id, _) in mezha_store::sro::users_by_snils(db, &digits(&plan.became_active)).await? {
        if engineers::grant_role(db, user_id, Role::Engineer, now).await? {
            report.roles_granted += 1;
        }
        report.orders_resumed += mezha_store::orders::resume_for_executor(db, user_id, now).await?;
    }
    for (user_id, _) in mezha_store::sro::users_by_snils(db, &digits(&plan.became_inactive)).await?
    {
        if engineers::revoke_role(db, user_id, Role::Engineer).await? {
            report.roles_revoked += 1;
        }
        report.orders_suspended +=
            mezha_store::orders::suspend_for_executor(db, user_id, now).await?;
    }
    tracing::info!(
        entries = report.entries,
        written = report.written,
        unchanged = report.unchanged,
        became_active = report.became_active,
        became_inactive = report.became_inactive,
        orders_suspended = report.orders_suspended,
        orders_resumed = report.orders_resumed,
        "SRO registry imported"
    );
    Ok(report)
}

/// Whether `source` names a feed (`http://` or `https://`) rather than a
/// file.
pub fn is_url(source: &str) -> bool {
    let lower = source.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A moderator's import: a registry file sent as it is (`url` none), or
/// the feed at `url` downloaded first. Nothing is imported from a file
/// with any issue.
pub async fn import(
    app: &Core,
    bytes: Vec<u8>,
    url: Option<&str>,
) -> Result<SroImportReport, AppError> {
    let now = app.clock.now();
    let bytes = match url {
        Some(url) => fetch(url).await?,
        None => bytes,
    };
    Ok(import_bytes(&app.db, bytes, now).await?)
}

/// Downloads a feed: `http(s)` only, at most five redirects, connect and
/// total timeouts, at most [`IMPORT_MAX_BYTES`] (checked while reading).
pub async fn fetch(url: &str) -> Result<Vec<u8>, ImportFailure> {
    let fail = |message: Message| ImportFailure::Feed(message.arg("url", url));
    if !is_url(url) {
        return Err(fail(crate::msg!("sro.feed_not_http")));
    }
    let client = reqwest::Client::builder()
        .connect_timeout(FEED_CONNECT_TIMEOUT)
        .timeout(FEED_TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!(
            "mezha/",
            env!("CARGO_PKG_VERSION"),
            " (SRO registry import)"
        ))
        .build()
        .map_err(|e| fail(crate::msg!("sro.feed_unreachable", reason = e)))?;
    let mut response = client
        .get(url.trim())
        .send()
        .await
        .map_err(|e| fail(crate::msg!("sro.feed_unreachable", reason = e)))?;
    if !response.status().is_success() {
        return Err(fail(crate::msg!(
            "sro.feed_status",
            status = response.status()
        )));
    }
    if response
        .content_length()
        .is_some_and(|n| n > IMPORT_MAX_BYTES as u64)
    {
        return Err(fail(crate::msg!(
            "sro.feed_too_large",
            max = IMPORT_MAX_BYTES
        )));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| fail(crate::msg!("sro.feed_broke_off", reason = e)))?
    {
        if bytes.len() + chunk.len() > IMPORT_MAX_BYTES {
            return Err(fail(crate::msg!(
                "sro.feed_too_large",
                max = IMPORT_MAX_BYTES
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Imports from a file path or an `http(s)://` URL (the CLI and the daily
/// job).
pub async fn import_from(
    db: &DatabaseConnection,
    source: &str,
    now: DateTime<Utc>,
) -> Result<SroImportReport, ImportFailure> {
    let bytes = if is_url(source) {
        fetch(source).await?
    } else {
        let meta = tokio::fs::metadata(source)
            .await
            .map_err(|e| ImportFailure::Source(format!("cannot read {source}: {e}")))?;
        if meta.len() > IMPORT_MAX_BYTES as u64 {
            return Err(ImportFailure::Source(format!(
                "{source} is larger than {IMPORT_MAX_BYTES} bytes; split it"
            )));
        }
        tokio::fs::read(source)
            .await
            .map_err(|e| ImportFailure::Source(format!("cannot read {source}: {e}")))?
    };
    import_bytes(db, bytes, now).await
}

/// At login: stamps `last_login_at` and brings the engineer role in line
/// with the registry entry of the account's SNILS: listed `active` grants
/// it, listed `suspended` or `excluded` takes it away. A SNILS the registry
/// does not list (or no SNILS) changes nothing. Returns the account as it
/// is now.
pub async fn on_login(state: &Core, user: &UserRecord) -> Result<UserRecord, AppError> {
    let now = state.clock.now();
    employment::record_login(&state.db, user.id, now).await?;
    let listed = match user.snils.as_deref() {
        Some(snils) => mezha_store::sro::entry(&state.db, snils).await?,
        None => None,
    };
    let holds = user.roles.contains(&Role::Engineer);
    let changed = match listed {
        Some(entry) if entry.status.is_active() && !holds => {
            engineers::grant_role(&state.db, user.id, Role::Engineer, now).await?
        }
        Some(entry) if !entry.status.is_active() && holds => {
            engineers::revoke_role(&state.db, user.id, Role::Engineer).await?
        }
        _ => false,
    };
    if !changed {
        return Ok(user.clone());
    }
    tracing::info!(user_id = %user.id, engineer = !holds, "engineer role follows the SRO registry");
    mezha_store::users::find_by_id(&state.db, user.id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::InvalidCredentials, "accounts.gone"))
}

/// Runs [`import_from`] on `url` now and then every `interval`, logging
/// the outcome; never returns.
pub async fn run_daily(db: DatabaseConnection, url: String, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match import_from(&db, &url, Utc::now()).await {
            Ok(_) => {}
            Err(err) => tracing::error!(feed = %url, error = %err, "SRO registry import failed"),
        }
    }
}
