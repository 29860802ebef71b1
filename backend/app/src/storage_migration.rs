//! `mezha storage migrate`: copies every stored file from one file storage
//! to another (a local directory to an S3 bucket, or back), verifying each
//! file's SHA-256, and can be run again to resume (docs/storage.md,
//! "Moving the files").
//!
//! Each file of the source is streamed into the destination while its
//! SHA-256 is computed; the copy is completed only when that digest and the
//! size are those of the file's record (files without a record, profile
//! photos, are compared with the source alone), and the completed copy is
//! then read back and hashed again. A file already at the destination with
//! the right size is a copy that was completed, hence verified, by an
//! earlier run, and is skipped. Nothing is deleted from the source.

use futures_util::StreamExt as _;
use mezha_store::DatabaseConnection;
use mezha_store::storage::{Storage, StorageError};
use sha2::{Digest, Sha256};

/// What one file came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Copied and verified.
    Copied,
    /// At the destination already (an earlier run).
    AlreadyThere,
    /// Its bytes differ from its record (or changed between the copy and
    /// the check): not copied.
    Corrupt,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files copied and verified.
    pub copied: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Files found at the destination already.
    pub already_there: u64,
    /// Keys whose bytes do not match their record: not copied.
    pub corrupt: Vec<String>,
    /// Records whose bytes the source does not have.
    pub missing: Vec<String>,
}

impl Report {
    /// Whether every file is at the destination, verified.
    pub fn complete(&self) -> bool {
        self.corrupt.is_empty() && self.missing.is_empty()
    }
}

/// Records read per query.
const PAGE: u64 = 500;

async fn digest_of(storage: &Storage, key: &str) -> Result<(u64, String), StorageError> {
    let mut stream = storage.read(key, None).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        size += chunk.len() as u64;
        hasher.update(&chunk);
    }
    Ok((size, mezha_domain::digest::hex(&hasher.finalize())))
}

/// Copies `key`, expecting `expected` (size, SHA-256) when it has a record.
async fn copy(
    from: &Storage,
    to: &Storage,
    key: &str,
    expected: Option<(u64, &str)>,
) -> Result<(Outcome, u64), StorageError> {
    let mut source = from.read(key, None).await?;
    let mut writer = to.create(key).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = source.next().await {
        let chunk = chunk?;
        size += chunk.len() as u64;
        hasher.update(&chunk);
        writer.write(chunk).await?;
    }
    let sha256 = mezha_domain::digest::hex(&hasher.finalize());
    if expected.is_some_and(|(s, d)| s != size || d != sha256) {
        writer.abort().await;
        return Ok((Outcome::Corrupt, 0));
    }
    writer.finish().await?;
    if digest_of(to, key).await? != (size, sha256) {
        to.delete(key).await?;
        return Ok((Outcome::Corrupt, 0));
    }
    Ok((Outcome::Copied, size))
}

/// Brings `key` (of `size` bytes at the source) to `to` unless it is there,
/// counting it in `report`.
async fn transfer(
    from: &Storage,
    to: &Storage,
    key: &str,
    size: u64,
    expected_sha256: Option<&str>,
    report: &mut Report,
) -> Result<Outcome, StorageError> {
    if to.size(key).await? == Some(size) {
        report.already_there += 1;
        return Ok(Outcome::AlreadyThere);
    }
    let (outcome, bytes) = copy(from, to, key, expected_sha256.map(|d| (size, d))).await?;
    match outcome {
        Outcome::Copied => {
            report.copied += 1;
            report.bytes += bytes;
        }
        _ => report.corrupt.push(key.to_owned()),
    }
    Ok(outcome)
}

/// Copies every file of `from` to `to` (see the module's description);
/// `progress` hears of each file as it is done.
pub async fn migrate(
    db: &DatabaseConnection,
    from: &Storage,
    to: &Storage,
    mut progress: impl FnMut(&str, Outcome),
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let listed = from.list("").await?;
    let present: std::collections::HashSet<&str> =
        listed.iter().map(|(key, _)| key.as_str()).collect();

    // Every record's bytes, verified against the record.
    let mut after = None;
    let mut recorded = std::collections::HashSet::new();
    loop {
        let page = mezha_store::files::page_by_id(db, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for file in page {
            let key = crate::files::key_of(file.id);
            recorded.insert(key.clone());
            if !present.contains(key.as_str()) {
                report.missing.push(key);
                continue;
            }
            let size = u64::try_from(file.size).unwrap_or(u64::MAX);
            let outcome = transfer(from, to, &key, size, Some(&file.sha256), &mut report).await?;
            progress(&key, outcome);
        }
    }

    // The rest (profile photos, and bytes no record names), checked against
    // the source.
    for (key, size) in &listed {
        if recorded.contains(key) {
            continue;
        }
        let outcome = transfer(from, to, key, *size, None, &mut report).await?;
        progress(key, outcome);
    }
    Ok(report)
}
