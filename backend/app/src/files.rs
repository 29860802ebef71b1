//! Stored files: streamed uploads with their limits and SHA-256, and who
//! may download one. Order attachments and chat files are both stored
//! here; the edge hands in the body as a stream of chunks.

use crate::{Actor, AppError, AppResult, context::Core};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use mezha_api_types::ErrorCode;
use mezha_domain::content;
use mezha_store::files::{self, FileRecord};
use mezha_store::storage::{ByteStream, LocalCopy, Storage, Writer};
use sha2::{Digest, Sha256};
use std::ops::Range;
use uuid::Uuid;

pub use mezha_store::files::FileRecord as File;

/// Largest order attachment, in bytes.
pub const ATTACHMENT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Media types accepted as order attachments.
pub const ALLOWED_TYPES: [&str; 11] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "application/zip",
    "application/xml",
    "text/xml",
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// A file's name as stored: its last path segment, without control
/// characters, 1 to 255 characters.
pub fn clean_name(name: &str) -> AppResult<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    if cleaned.is_empty() || cleaned.chars().count() > 255 || cleaned == "." || cleaned == ".." {
        return Err(AppError::field(
            "name",
            mezha_domain::FieldError::new(
                "invalid_name",
                "give a file name of 1 to 255 characters",
            ),
        ));
    }
    Ok(cleaned)
}

/// An order attachment's media type, if accepted.
pub fn check_attachment_type(content_type: &str) -> AppResult<()> {
    if ALLOWED_TYPES.contains(&content_type) {
        return Ok(());
    }
    Err(AppError::new(
        ErrorCode::UnsupportedMediaType,
        crate::msg!(
            "files.type_not_accepted",
            content_type = content_type,
            allowed = ALLOWED_TYPES.join(", "),
        ),
    ))
}

/// 415 unless the file's first bytes are of its declared type and no program.
fn check_content(declared: &str, head: &[u8]) -> AppResult<()> {
    content::check(declared, head).map_err(|refusal| {
        let message = match refusal {
            content::Refusal::Executable => crate::msg!("files.program"),
            content::Refusal::NotDeclaredType => {
                crate::msg!("files.content_not_declared", content_type = declared)
            }
        };
        AppError::new(ErrorCode::UnsupportedMediaType, message)
    })
}

/// The storage key of a stored file's bytes: its id (docs/storage.md).
pub(crate) fn key_of(id: Uuid) -> String {
    id.simple().to_string()
}

/// A stored file as a file on this machine, for a program that reads
/// paths (Tesseract, the order export): removed when dropped if it is a
/// copy.
pub(crate) async fn local_copy(app: &Core, id: Uuid) -> AppResult<LocalCopy> {
    app.storage
        .local_copy(&key_of(id))
        .await
        .map_err(AppError::internal)
}

/// A file opened for a download: its record and where its bytes come from.
#[derive(Debug)]
pub struct Download {
    /// Name, type, size and SHA-256.
    pub file: FileRecord,
    source: Source,
}

#[derive(Debug)]
enum Source {
    /// In the file storage.
    Stored(Storage),
    /// Made for this request and kept aside in a temporary file (an
    /// export archive).
    Made(std::fs::File),
}

impl Download {
    /// A file made for this request, kept in `file` (already written).
    pub(crate) fn made(file: FileRecord, bytes: std::fs::File) -> Self {
        Download {
            file,
            source: Source::Made(bytes),
        }
    }

    /// Its bytes (those of `range`, inside the file), streamed.
    pub async fn bytes(self, range: Option<Range<u64>>) -> AppResult<ByteStream> {
        let stream = match self.source {
            Source::Stored(storage) => storage.read(&key_of(self.file.id), range).await,
            Source::Made(file) => {
                mezha_store::storage::file_stream(tokio::fs::File::from_std(file), range).await
            }
        };
        stream.map_err(AppError::internal)
    }
}

/// `file` opened for reading: its bytes are read when the answer is sent
/// (missing ones are the server's fault, not the caller's 404).
fn opened(app: &Core, file: FileRecord) -> Download {
    Download {
        file,
        source: Source::Stored(app.storage.clone()),
    }
}

/// What is known of an upload before its body is read.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Who uploads.
    pub owner: Uuid,
    /// The cleaned name ([`clean_name`]).
    pub name: String,
    /// Its media type.
    pub content_type: String,
    /// The length the client declared, if any.
    pub declared_len: Option<u64>,
    /// The largest size accepted.
    pub max: u64,
}

/// An upload received in full and held aside (its bytes written to the
/// file storage but not yet complete there) until it is stored
/// ([`store`]); dropped unstored, it leaves nothing behind. Between the
/// two, an `Idempotency-Key` can be claimed with its
/// [`fingerprint`](Staged::fingerprint), which needs the whole content's
/// SHA-256.
#[derive(Debug)]
pub struct Staged {
    record: FileRecord,
    /// Boxed: an S3 writer is large, and `Staged` travels in enums.
    writer: Option<Box<Writer>>,
}

impl Staged {
    /// What was received: name, type, size and SHA-256.
    pub fn fingerprint(&self) -> (String, String, i64, String) {
        let r = &self.record;
        (
            r.name.clone(),
            r.content_type.clone(),
            r.size,
            r.sha256.clone(),
        )
    }
}

/// Streams `body` into the file store (at most `upload.max` bytes,
/// enforced before and while streaming; nothing is kept from a refused or
/// broken upload), recording its SHA-256; the stored file's record. A
/// chunk that fails to arrive is the error `broken` makes of it.
pub async fn receive<S, E>(
    app: &Core,
    upload: Upload,
    body: S,
    broken: impl Fn(E) -> AppError,
) -> AppResult<FileRecord>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let staged = stage(app, upload, body, broken).await?;
    store(app, staged).await
}

/// The checks an upload gets while it streams: at most `max` bytes, and
/// first bytes of its declared type (docs/orders.md, "Attachments"),
/// checked as soon as there are enough of them.
struct Intake<'a> {
    content_type: &'a str,
    max: u64,
    size: u64,
    /// The first bytes, until they are checked.
    head: Option<Vec<u8>>,
}

impl<'a> Intake<'a> {
    fn new(content_type: &'a str, max: u64) -> Self {
        Intake {
            content_type,
            max,
            size: 0,
            head: Some(Vec::new()),
        }
    }

    fn too_large(max: u64) -> AppError {
        AppError::new(
            ErrorCode::PayloadTooLarge,
            crate::msg!("files.too_large", max = max),
        )
    }

    /// `413` at once when the declared length is over the limit.
    fn check_declared(&self, declared_len: Option<u64>) -> AppResult<()> {
        if declared_len.is_some_and(|length| length > self.max) {
            return Err(Self::too_large(self.max));
        }
        Ok(())
    }

    /// Counts and checks the next chunk.
    fn take(&mut self, chunk: &[u8]) -> AppResult<()> {
        self.size += chunk.len() as u64;
        if self.size > self.max {
            return Err(Self::too_large(self.max));
        }
        if let Some(bytes) = self.head.as_mut() {
            let wanted = content::SNIFF_LEN.saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..wanted.min(chunk.len())]);
            if bytes.len() >= content::SNIFF_LEN {
                check_content(self.content_type, bytes)?;
                self.head = None;
            }
        }
        Ok(())
    }

    /// Checks a file shorter than the sniffed length; its size. An empty
    /// file is refused (`422`, `body`: `empty`).
    fn finish(self) -> AppResult<u64> {
        if let Some(bytes) = self.head.filter(|b| !b.is_empty()) {
            check_content(self.content_type, &bytes)?;
        }
        if self.size == 0 {
            return Err(AppError::field(
                "body",
                mezha_domain::FieldError::new("empty", "the file is empty"),
            ));
        }
        Ok(self.size)
    }
}

/// Reads `body` into memory (at most `max` bytes, enforced before and
/// while streaming; its first bytes must be of `content_type`): for an
/// upload that is worked on whole rather than stored as it is (a photo).
pub async fn read_all<S, E>(
    content_type: &str,
    declared_len: Option<u64>,
    max: u64,
    mut body: S,
    broken: impl Fn(E) -> AppError,
) -> AppResult<Vec<u8>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut intake = Intake::new(content_type, max);
    intake.check_declared(declared_len)?;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(&broken)?;
        intake.take(&chunk)?;
        bytes.extend_from_slice(&chunk);
    }
    intake.finish()?;
    Ok(bytes)
}

/// Streams `body` aside, as [`receive`] does, without storing it yet.
pub async fn stage<S, E>(
    app: &Core,
    upload: Upload,
    mut body: S,
    broken: impl Fn(E) -> AppError,
) -> AppResult<Staged>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut intake = Intake::new(&upload.content_type, upload.max);
    intake.check_declared(upload.declared_len)?;
    let id = Uuid::now_v7();
    let mut writer = app
        .storage
        .create(&key_of(id))
        .await
        .map_err(AppError::internal)?;
    let mut hasher = Sha256::new();
    // A refusal or a broken body drops the writer: nothing is left.
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(&broken)?;
        intake.take(&chunk)?;
        hasher.update(&chunk);
        writer.write(chunk).await.map_err(AppError::internal)?;
    }
    let size = intake.finish()?;
    let sha256 = mezha_domain::digest::hex(&hasher.finalize());
    Ok(Staged {
        record: FileRecord {
            id,
            owner_id: upload.owner,
            name: upload.name,
            content_type: upload.content_type,
            size: i64::try_from(size).unwrap_or(i64::MAX),
            sha256,
            // Stored with microseconds (PostgreSQL); answer what is stored.
            created_at: chrono::SubsecRound::trunc_subsecs(app.clock.now(), 6),
        },
        writer: Some(Box::new(writer)),
    })
}

/// Stores a [`stage`]d upload: its bytes complete under its key, its record
/// in the database (bound to the request's `Idempotency-Key`, if one
/// guards it).
pub async fn store(app: &Core, mut staged: Staged) -> AppResult<FileRecord> {
    let Some(writer) = staged.writer.take() else {
        return Err(AppError::internal(anyhow::anyhow!(
            "an upload stored twice"
        )));
    };
    let record = staged.record.clone();
    (*writer).finish().await.map_err(AppError::internal)?;
    if let Err(err) = files::insert(&app.db, &record).await {
        let _ = app.storage.delete(&key_of(record.id)).await;
        return Err(err.into());
    }
    Ok(record)
}

/// Removes files Mezha made for something that was then not stored (a
/// version that lost its number to another): their records and bytes.
/// Best effort: a failure is logged, never the caller's error.
pub async fn discard(app: &Core, ids: Vec<Uuid>) {
    if let Err(err) = files::delete_unreferenced(&app.db, ids.clone()).await {
        tracing::warn!(error = %err, "discarding unused files");
        return;
    }
    for id in ids {
        if let Err(err) = app.storage.delete(&key_of(id)).await {
            tracing::warn!(error = %err, file = %id, "discarding an unused file's bytes");
        }
    }
}

/// Stores bytes Mezha made itself (a rendered contract) as a file of
/// `owner`; its record. Outside any `Idempotency-Key` binding: the request
/// creates something else, which the key names.
pub async fn save(
    app: &Core,
    owner: Uuid,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> AppResult<FileRecord> {
    let upload = Upload {
        owner,
        name: name.to_owned(),
        content_type: content_type.to_owned(),
        declared_len: Some(bytes.len() as u64),
        max: ATTACHMENT_MAX_BYTES,
    };
    let body = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(
        Bytes::copy_from_slice(bytes),
    )]);
    mezha_store::idempotency::unguarded(async {
        let staged = stage(app, upload, body, |never| match never {}).await?;
        store(app, staged).await
    })
    .await
}

/// A stored file opened for reading, for a caller the feature already
/// allowed (a contract's party).
pub async fn open_stored(app: &Core, id: Uuid) -> AppResult<Download> {
    let file = files::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "files.not_found"))?;
    Ok(opened(app, file))
}

/// A stored file's bytes, whole: for documents checked or signed whole
/// (contracts; at most [`ATTACHMENT_MAX_BYTES`]).
pub async fn read(app: &Core, id: Uuid) -> AppResult<(FileRecord, Vec<u8>)> {
    let file = files::find(&app.db, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "files.not_found"))?;
    let bytes = app
        .storage
        .read_all(&key_of(file.id))
        .await
        .map_err(AppError::internal)?;
    Ok((file, bytes))
}

/// The file `id` its uploader uploaded: for an `Idempotency-Key` retry
/// whose first request stored it but could not answer.
pub async fn uploaded(app: &Core, actor: &Actor, id: Uuid) -> AppResult<FileRecord> {
    files::find(&app.db, id)
        .await?
        .filter(|file| file.owner_id == actor.user_id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "files.not_found"))
}

/// A file `actor` may download (its uploader, anyone who can see an order
/// it belongs to — attached, delivered with its results, an invoice or a
/// receipt of it — or anyone who may read a chat thread it was sent in),
/// opened for reading.
pub async fn open(app: &Core, actor: &Actor, id: Uuid) -> AppResult<Download> {
    let not_found = || AppError::new(ErrorCode::NotFound, "files.not_found");
    let file = files::find(&app.db, id).await?.ok_or_else(not_found)?;
    let mut allowed = file.owner_id == actor.user_id;
    if !allowed {
        for order_id in files::attached_to(&app.db, file.id).await? {
            if crate::orders::load(app, actor, order_id).await.is_ok() {
                allowed = true;
                break;
            }
        }
    }
    if !allowed {
        for (order_id, engineer) in mezha_store::chat::threads_of_file(&app.db, file.id).await? {
            if crate::chat::may_read(app, actor, order_id, engineer).await {
                allowed = true;
                break;
            }
        }
    }
    if !allowed {
        allowed = crate::clients::may_read_scan(app, actor, file.id).await;
    }
    if !allowed {
        return Err(not_found());
    }
    Ok(opened(app, file))
}
