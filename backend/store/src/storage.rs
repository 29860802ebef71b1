//! File storage: the bytes of every stored file (uploads, chat files,
//! generated contracts and acts, scans, avatars), under keys
//! (docs/storage.md). Two back-ends behind one handle:
//!
//! - a local directory, the embedded default (`$MEZHA_DATA_DIR/files`): a
//!   key is a path below it, written to `<key>.part` and renamed when
//!   complete;
//! - any S3-compatible object store (`MEZHA_STORAGE__BACKEND=s3`): a key is
//!   an object of the bucket, written with a single `PUT` when small and a
//!   multipart upload otherwise, a part at a time.
//!
//! Either way a file is never held whole in memory, nothing appears under
//! its key before it is complete, and a write that is aborted or dropped
//! unfinished leaves nothing behind.

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _, TryStreamExt as _};
use object_store::{ObjectStore, buffered::BufWriter, path::Path as ObjectPath};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use tokio::io::AsyncWriteExt as _;

/// Bytes buffered before a multipart upload starts, and the size of each
/// part (S3 wants at least 5 MiB but for the last).
pub const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts of one upload in flight at once: with [`PART_BYTES`], what one
/// upload may hold in memory.
pub const PARTS_IN_FLIGHT: usize = 2;
/// Chunks a local file is read in.
const READ_CHUNK: usize = 64 * 1024;

/// What can go wrong with stored bytes.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Nothing is stored under the key.
    #[error("no stored file {0}")]
    NotFound(String),
    /// The key is not one Mezha makes (empty, absolute, `..`, odd characters).
    #[error("invalid storage key {0:?}")]
    InvalidKey(String),
    /// The range asked for is not inside the file.
    #[error("range {0:?} outside a file of {1} bytes")]
    Range(Range<u64>, u64),
    /// The local directory failed.
    #[error("file storage: {0}")]
    Io(#[from] std::io::Error),
    /// The object store failed or could not be reached.
    #[error("object storage: {0}")]
    Object(#[source] object_store::Error),
    /// The settings do not describe a usable store.
    #[error("file storage settings: {0}")]
    Config(String),
}

impl From<object_store::Error> for StorageError {
    fn from(err: object_store::Error) -> Self {
        match err {
            object_store::Error::NotFound { path, .. } => StorageError::NotFound(path),
            other => StorageError::Object(other),
        }
    }
}

/// Where an S3-compatible bucket is and how to sign for it
/// (docs/storage.md, "S3").
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    /// `https://s3.example.net` (or `http://` for a store on a private
    /// network); none: AWS's endpoint for the region.
    pub endpoint: Option<String>,
    /// The region requests are signed for.
    pub region: String,
    /// The bucket; it must exist.
    pub bucket: String,
    /// The access key id; none: the environment's (`AWS_*`, instance role).
    pub access_key_id: Option<String>,
    /// Its secret.
    pub secret_access_key: Option<String>,
    /// Path-style addresses (`endpoint/bucket/key`), as MinIO and most
    /// self-hosted stores want; else virtual-hosted (`bucket.endpoint/key`).
    pub path_style: bool,
}

/// The file storage: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Storage {
    inner: Arc<Inner>,
}

enum Inner {
    Local {
        dir: PathBuf,
    },
    S3 {
        store: Arc<dyn ObjectStore>,
        describe: String,
    },
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A stored file's bytes, or a range of them, as a stream of chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, StorageError>> + Send>>;

/// Checks a key: relative, `/`-separated segments of `[A-Za-z0-9._-]`, no
/// `.` or `..` segment, no `.part` suffix (the local store's own).
fn check_key(key: &str) -> Result<(), StorageError> {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    };
    if key.len() > 512 || key.ends_with(".part") || !key.split('/').all(segment_ok) {
        return Err(StorageError::InvalidKey(key.to_owned()));
    }
    Ok(())
}

impl Storage {
    /// Files under `dir` (created when first written to).
    pub fn local(dir: impl Into<PathBuf>) -> Self {
        Storage {
            inner: Arc::new(Inner::Local { dir: dir.into() }),
        }
    }

    /// Files in an S3-compatible bucket. Nothing is asked of the store yet
    /// ([`Storage::check`] does).
    pub fn s3(settings: &S3Settings) -> Result<Self, StorageError> {
        use object_store::aws::AmazonS3Builder;
        if settings.bucket.is_empty() {
            return Err(StorageError::Config("the S3 bucket is not set".into()));
        }
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(!settings.path_style);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder
            .build()
            .map_err(|e| StorageError::Config(e.to_string()))?;
        let describe = format!(
            "S3 bucket {} at {}",
            settings.bucket,
            settings.endpoint.as_deref().unwrap_or("AWS")
        );
        Ok(Storage {
            inner: Arc::new(Inner::S3 {
                store: Arc::new(store),
                describe,
            }),
        })
    }

    /// `local directory ./data/files`, `S3 bucket b at https://…`: for logs.
    pub fn describe(&self) -> String {
        match &*self.inner {
            Inner::Local { dir } => format!("local directory {}", dir.display()),
            Inner::S3 { describe, .. } => describe.clone(),
        }
    }

    /// Whether the store answers (at start, and for the readiness check):
    /// the local directory is created; the bucket is listed under a prefix
    /// nothing is stored under (one cheap request, refused when the bucket
    /// is missing or the credentials are wrong).
    pub async fn check(&self) -> Result<(), StorageError> {
        match &*self.inner {
            Inner::Local { dir } => Ok(tokio::fs::create_dir_all(dir).await?),
            Inner::S3 { store, .. } => {
                let probe = ObjectPath::from("mezha-probe");
                store
                    .list_with_delimiter(Some(&probe))
                    .await
                    .map(|_| ())
                    .map_err(StorageError::Object)
            }
        }
    }

    fn local_path(dir: &Path, key: &str) -> PathBuf {
        dir.join(key)
    }

    /// Starts writing the file `key` (replacing one there once finished).
    pub async fn create(&self, key: &str) -> Result<Writer, StorageError> {
        check_key(key)?;
        let state = match &*self.inner {
            Inner::Local { dir } => {
                let path = Self::local_path(dir, key);
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                let partial = PathBuf::from(format!("{}.part", path.display()));
                let file = tokio::fs::File::create(&partial).await?;
                WriterState::Local {
                    file,
                    partial,
                    path,
                }
            }
            Inner::S3 { store, .. } => WriterState::S3(
                BufWriter::with_capacity(Arc::clone(store), ObjectPath::from(key), PART_BYTES)
                    .with_max_concurrency(PARTS_IN_FLIGHT),
            ),
        };
        Ok(Writer { state: Some(state) })
    }

    /// Stores `bytes` whole under `key`.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        let mut writer = self.create(key).await?;
        writer.write(bytes).await?;
        writer.finish().await
    }

    /// The size of the file `key`, if there is one.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, StorageError> {
        check_key(key)?;
        match &*self.inner {
            Inner::Local { dir } => match tokio::fs::metadata(Self::local_path(dir, key)).await {
                Ok(meta) => Ok(Some(meta.len())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.into()),
            },
            Inner::S3 { store, .. } => match store.head(&ObjectPath::from(key)).await {
                Ok(meta) => Ok(Some(meta.size)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// The bytes of `key` (those of `range` when given: a range past the
    /// end is refused, one running over it ends at the end), streamed.
    pub async fn read(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<ByteStream, StorageError> {
        check_key(key)?;
        match &*self.inner {
            Inner::Local { dir } => {
                let file = tokio::fs::File::open(Self::local_path(dir, key))
                    .await
                    .map_err(|e| {
                        if e.kind() == std::io::ErrorKind::NotFound {
                            StorageError::NotFound(key.to_owned())
                        } else {
                            e.into()
                        }
                    })?;
                file_stream(file, range).await
            }
            Inner::S3 { store, .. } => {
                // Checked as a local file's is: stores answer a range past
                // the end each their own way.
                let range = match range {
                    Some(r) => {
                        let len = self
                            .size(key)
                            .await?
                            .ok_or_else(|| StorageError::NotFound(key.to_owned()))?;
                        if r.start >= len || r.start >= r.end {
                            return Err(StorageError::Range(r, len));
                        }
                        Some(r.start..r.end.min(len))
                    }
                    None => None,
                };
                let options = object_store::GetOptions {
                    range: range.map(object_store::GetRange::Bounded),
                    ..Default::default()
                };
                let result = store.get_opts(&ObjectPath::from(key), options).await;
                let result = match result {
                    Err(object_store::Error::NotFound { .. }) => {
                        return Err(StorageError::NotFound(key.to_owned()));
                    }
                    other => other?,
                };
                Ok(result.into_stream().map_err(StorageError::from).boxed())
            }
        }
    }

    /// The whole file `key`, in memory: for documents checked or signed
    /// whole (bounded by the upload limits).
    pub async fn read_all(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        let mut stream = self.read(key, None).await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk?);
        }
        Ok(bytes)
    }

    /// Removes the file `key`; none there is no error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        check_key(key)?;
        match &*self.inner {
            Inner::Local { dir } => {
                match tokio::fs::remove_file(Self::local_path(dir, key)).await {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
                    _ => Ok(()),
                }
            }
            Inner::S3 { store, .. } => match store.delete(&ObjectPath::from(key)).await {
                Err(e) if !matches!(e, object_store::Error::NotFound { .. }) => Err(e.into()),
                _ => Ok(()),
            },
        }
    }

    /// Every complete file under `prefix` (`""`: all), with its size, in key
    /// order.
    pub async fn list(&self, prefix: &str) -> Result<Vec<(String, u64)>, StorageError> {
        let mut found = Vec::new();
        match &*self.inner {
            Inner::Local { dir } => {
                let mut pending = vec![dir.clone()];
                while let Some(at) = pending.pop() {
                    let mut entries = match tokio::fs::read_dir(&at).await {
                        Ok(entries) => entries,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(e.into()),
                    };
                    while let Some(entry) = entries.next_entry().await? {
                        let kind = entry.file_type().await?;
                        if kind.is_dir() {
                            pending.push(entry.path());
                            continue;
                        }
                        let Ok(relative) = entry.path().strip_prefix(dir).map(Path::to_path_buf)
                        else {
                            continue;
                        };
                        let key = relative.to_string_lossy().replace('\\', "/");
                        if key.starts_with(prefix) && check_key(&key).is_ok() {
                            found.push((key, entry.metadata().await?.len()));
                        }
                    }
                }
            }
            Inner::S3 { store, .. } => {
                // Listing is by whole segments; a partial last segment is
                // filtered here.
                let (folder, _) = prefix.rsplit_once('/').unwrap_or(("", ""));
                let folder = (!folder.is_empty()).then(|| ObjectPath::from(folder));
                let mut listing = store.list(folder.as_ref());
                while let Some(meta) = listing.next().await {
                    let meta = meta?;
                    let key = meta.location.to_string();
                    if key.starts_with(prefix) {
                        found.push((key, meta.size));
                    }
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// The file `key` as a file on this machine, for a program that reads
    /// paths (Tesseract, the archive writer): the stored file itself in a
    /// local directory, else a temporary copy, removed when dropped.
    pub async fn local_copy(&self, key: &str) -> Result<LocalCopy, StorageError> {
        check_key(key)?;
        match &*self.inner {
            Inner::Local { dir } => {
                let path = Self::local_path(dir, key);
                if !tokio::fs::try_exists(&path).await? {
                    return Err(StorageError::NotFound(key.to_owned()));
                }
                Ok(LocalCopy { path, temp: None })
            }
            Inner::S3 { .. } => {
                let temp = tempfile::NamedTempFile::new()?;
                let mut file = tokio::fs::File::create(temp.path()).await?;
                let mut stream = self.read(key, None).await?;
                while let Some(chunk) = stream.next().await {
                    file.write_all(&chunk?).await?;
                }
                file.flush().await?;
                Ok(LocalCopy {
                    path: temp.path().to_path_buf(),
                    temp: Some(temp),
                })
            }
        }
    }
}

/// The bytes of an open file on this machine (those of `range` when given,
/// as [`Storage::read`] takes it), streamed.
pub async fn file_stream(
    mut file: tokio::fs::File,
    range: Option<Range<u64>>,
) -> Result<ByteStream, StorageError> {
    use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
    let len = file.metadata().await?.len();
    let range = match range {
        Some(r) if r.start >= len || r.start >= r.end => return Err(StorageError::Range(r, len)),
        Some(r) => r.start..r.end.min(len),
        None => 0..len,
    };
    file.seek(std::io::SeekFrom::Start(range.start)).await?;
    let reader = file.take(range.end - range.start);
    Ok(
        tokio_util::io::ReaderStream::with_capacity(reader, READ_CHUNK)
            .map_err(StorageError::from)
            .boxed(),
    )
}

/// A stored file readable at [`LocalCopy::path`] while this lives.
#[derive(Debug)]
pub struct LocalCopy {
    path: PathBuf,
    temp: Option<tempfile::NamedTempFile>,
}

impl LocalCopy {
    /// Where to read it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether it is a temporary copy (the store is not a local directory).
    pub fn is_temporary(&self) -> bool {
        self.temp.is_some()
    }
}

impl AsRef<Path> for LocalCopy {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// A file being written ([`Storage::create`]): its bytes appear under the
/// key only once [`Writer::finish`] returns; [`Writer::abort`] (or dropping
/// it unfinished) leaves nothing behind.
#[derive(Debug)]
pub struct Writer {
    state: Option<WriterState>,
}

#[derive(Debug)]
enum WriterState {
    Local {
        file: tokio::fs::File,
        partial: PathBuf,
        path: PathBuf,
    },
    S3(BufWriter),
}

impl Writer {
    /// Appends `chunk`.
    pub async fn write(&mut self, chunk: Bytes) -> Result<(), StorageError> {
        match self.state.as_mut() {
            Some(WriterState::Local { file, .. }) => Ok(file.write_all(&chunk).await?),
            Some(WriterState::S3(writer)) => Ok(writer.put(chunk).await?),
            None => Err(StorageError::Config("a write after the end".into())),
        }
    }

    /// Completes the file: durable, under its key.
    pub async fn finish(mut self) -> Result<(), StorageError> {
        let Some(state) = self.state.take() else {
            return Ok(());
        };
        match state {
            WriterState::Local {
                mut file,
                partial,
                path,
            } => {
                let done = async {
                    file.flush().await?;
                    file.sync_all().await?;
                    drop(file);
                    tokio::fs::rename(&partial, &path).await
                }
                .await;
                if let Err(err) = done {
                    let _ = tokio::fs::remove_file(&partial).await;
                    return Err(err.into());
                }
                Ok(())
            }
            WriterState::S3(mut writer) => {
                if let Err(err) = writer.shutdown().await {
                    let _ = writer.abort().await;
                    return Err(StorageError::Io(err));
                }
                Ok(())
            }
        }
    }

    /// Gives the file up: what was written is removed.
    pub async fn abort(mut self) {
        match self.state.take() {
            Some(WriterState::Local { partial, file, .. }) => {
                drop(file);
                let _ = tokio::fs::remove_file(&partial).await;
            }
            Some(WriterState::S3(mut writer)) => {
                let _ = writer.abort().await;
            }
            None => {}
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        match self.state.take() {
            Some(WriterState::Local { partial, .. }) => {
                let _ = std::fs::remove_file(partial);
            }
            Some(WriterState::S3(mut writer)) => {
                // A request cancelled mid-upload: its parts are aborted in
                // the background (a bucket lifecycle rule is the backstop).
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(async move {
                        let _ = writer.abort().await;
                    });
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_relative_plain_paths() {
        for good in ["0190c6a1e2b37c1d9e", "avatars/abc-64.jpg", "a/b/c.d_e-f"] {
            assert!(check_key(good).is_ok(), "{good}");
        }
        for bad in [
            "", "/abs", "a//b", "../up", "a/../b", "./a", "a/", "x.part", "sp ace", "ü", "a\\b",
        ] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }

    async fn roundtrip(storage: &Storage) {
        let mut writer = storage.create("t/one").await.unwrap();
        writer.write(Bytes::from_static(b"hello ")).await.unwrap();
        assert_eq!(
            storage.size("t/one").await.unwrap(),
            None,
            "not before finish"
        );
        writer.write(Bytes::from_static(b"world")).await.unwrap();
        writer.finish().await.unwrap();
        assert_eq!(storage.read_all("t/one").await.unwrap(), b"hello world");
        assert_eq!(storage.size("t/one").await.unwrap(), Some(11));
        let part: Vec<u8> = storage
            .read("t/one", Some(6..11))
            .await
            .unwrap()
            .try_fold(Vec::new(), |mut all, c| async move {
                all.extend_from_slice(&c);
                Ok(all)
            })
            .await
            .unwrap();
        assert_eq!(part, b"world");
        assert!(matches!(
            storage.read("t/one", Some(11..12)).await,
            Err(StorageError::Range(..))
        ));

        let mut aborted = storage.create("t/two").await.unwrap();
        aborted.write(Bytes::from_static(b"x")).await.unwrap();
        aborted.abort().await;
        let dropped = storage.create("t/three").await.unwrap();
        drop(dropped);
        assert_eq!(
            storage.list("t/").await.unwrap(),
            vec![("t/one".to_owned(), 11)]
        );
        storage.delete("t/one").await.unwrap();
        storage.delete("t/one").await.unwrap();
        assert!(matches!(
            storage.read("t/one", None).await,
            Err(StorageError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn a_local_directory_keeps_only_finished_files() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path());
        roundtrip(&storage).await;
        // No partial file is left either.
        assert_eq!(std::fs::read_dir(dir.path().join("t")).unwrap().count(), 0);
        let copy = storage.local_copy("t/one").await;
        assert!(matches!(copy, Err(StorageError::NotFound(_))));
    }

    fn s3_settings(bucket: String) -> S3Settings {
        let server = mezha_testkit::s3::server();
        S3Settings {
            endpoint: Some(server.endpoint),
            region: "us-east-1".into(),
            bucket,
            access_key_id: Some(server.access_key_id),
            secret_access_key: Some(server.secret_access_key),
            path_style: true,
        }
    }

    #[tokio::test]
    async fn an_s3_bucket_keeps_only_finished_files() {
        let server = mezha_testkit::s3::server();
        let bucket = server.new_bucket().await;
        let storage = Storage::s3(&s3_settings(bucket.clone())).unwrap();
        storage.check().await.unwrap();
        roundtrip(&storage).await;

        // A file over one part: a multipart upload, invisible until
        // finished, and gone without a trace when aborted.
        let part = Bytes::from(vec![7u8; PART_BYTES]);
        let mut big = storage.create("big").await.unwrap();
        for _ in 0..2 {
            big.write(part.clone()).await.unwrap();
        }
        big.write(Bytes::from_static(b"tail")).await.unwrap();
        assert_eq!(storage.size("big").await.unwrap(), None);
        assert_eq!(server.incomplete_uploads(&bucket).await, ["big"]);
        big.finish().await.unwrap();
        let size = 2 * PART_BYTES as u64 + 4;
        assert_eq!(storage.size("big").await.unwrap(), Some(size));
        assert!(server.incomplete_uploads(&bucket).await.is_empty());
        let end = storage
            .read_all("big")
            .await
            .unwrap()
            .split_off(size as usize - 6);
        assert_eq!(end, [7, 7, b't', b'a', b'i', b'l']);

        let mut given_up = storage.create("given-up").await.unwrap();
        given_up.write(part.clone()).await.unwrap();
        given_up.write(part).await.unwrap();
        assert_eq!(server.incomplete_uploads(&bucket).await, ["given-up"]);
        given_up.abort().await;
        assert!(server.incomplete_uploads(&bucket).await.is_empty());
        assert_eq!(
            storage.list("").await.unwrap(),
            vec![("big".to_owned(), size)]
        );

        let copy = storage.local_copy("big").await.unwrap();
        assert!(copy.is_temporary());
        assert_eq!(std::fs::metadata(copy.path()).unwrap().len(), size);
        let path = copy.path().to_path_buf();
        drop(copy);
        assert!(!path.exists(), "the temporary copy is removed");
        server.remove_bucket(&bucket).await;
    }

    #[tokio::test]
    async fn a_missing_bucket_fails_the_check() {
        let storage = Storage::s3(&s3_settings("mezha-test-no-such-bucket".into())).unwrap();
        assert!(storage.check().await.is_err());
    }
}
