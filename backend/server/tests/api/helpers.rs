//! `spawn_app()`: the real application on a random port, against either
//! the embedded back-ends (SQLite file + in-process store) or the services
//! (a fresh PostgreSQL database cloned from a migrated template + Redis
//! under a fresh key prefix). Everything a test creates is removed when its
//! `TestApp` drops. A test that needs PostgreSQL or Redis fails when they
//! are unreachable; it never skips.

use mezha_api_types::Problem;
use mezha_api_types::auth::TokenResponse;
use mezha_api_types::dev::{OutboxList, OutboxMessage};
use mezha_api_types::page::Page;
use mezha_app::RateLimits;
use mezha_app::clock::ManualClock;
use mezha_app::messaging::Mailer;
use mezha_server::config::Config;
use mezha_server::startup::{self, Application};
use mezha_store::Kv;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use tempfile::TempDir;
use uuid::Uuid;

/// Which persistence the app under test uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file and the in-process key-value store (the `make run` default).
    Embedded,
    /// PostgreSQL and Redis (production and CI).
    Services,
}

/// Generates one test per back-end for an `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite_and_memory() {
                    super::$name($crate::helpers::Backend::Embedded).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres_and_redis() {
                    super::$name($crate::helpers::Backend::Services).await
                }
            }
        )+
    };
}

fn admin_url() -> String {
    std::env::var("MEZHA_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn redis_url() -> String {
    std::env::var("MEZHA_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}

async fn single_connection(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    Database::connect(options).await.unwrap_or_else(|e| {
        panic!("PostgreSQL at {url} is unreachable (is it running? `make test` starts it): {e}")
    })
}

async fn exec(db: &DatabaseConnection, sql: String) {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.clone(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Creates a database for one test from the migrated template (creating
/// the template first if this schema version has none).
async fn create_postgres_database() -> String {
    use mezha_migrations::MigratorTrait;
    let names: Vec<String> = mezha_migrations::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let template = format!("mezha_template_{}", names.len());
    let fingerprint = names.join(",");
    let admin = single_connection(&admin_url()).await;
    exec(&admin, "SELECT pg_advisory_lock(727274)".into()).await;
    let existing = admin
        .query_one_raw(Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = '{template}'"),
        ))
        .await
        .expect("query pg_database");
    let current = match &existing {
        Some(row) => {
            row.try_get::<Option<String>>("", "d")
                .ok()
                .flatten()
                .as_deref()
                == Some(fingerprint.as_str())
        }
        None => false,
    };
    if !current {
        if existing.is_some() {
            exec(&admin, format!("DROP DATABASE {template} WITH (FORCE)")).await;
        }
        exec(&admin, format!("CREATE DATABASE {template}")).await;
        {
            // Two connections: the migrations' advisory lock holds one.
            let db = mezha_store::db::connect(&with_database(&admin_url(), &template), 2)
                .await
                .expect("connecting to the template");
            mezha_store::db::migrate(&db)
                .await
                .expect("migrating the template");
            db.close().await.expect("closing the template");
        }
        exec(
            &admin,
            format!("COMMENT ON DATABASE {template} IS '{fingerprint}'"),
        )
        .await;
    }
    let name = format!("mezha_test_{}", Uuid::new_v4().simple());
    exec(
        &admin,
        format!("CREATE DATABASE {name} TEMPLATE {template}"),
    )
    .await;
    exec(&admin, "SELECT pg_advisory_unlock(727274)".into()).await;
    admin.close().await.ok();
    name
}

/// The application under test.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    kv: Kv,
    pg_database: Option<String>,
    database_url: String,
    dir: Arc<TempDir>,
    pub config: Config,
    /// Where it keeps files' bytes (a directory, or a bucket of the test
    /// S3 server on the services back-end).
    pub storage: mezha_store::storage::Storage,
    /// The bucket to remove when it drops (the first instance only).
    s3_bucket: Option<String>,
    /// The operating-system process serving it, for a process replica.
    process: Option<Process>,
}

/// A child process, killed when dropped.
struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// A confirmed account with a session.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub password: String,
    pub tokens: TokenResponse,
}

/// Options of [`spawn_app_with`].
#[derive(Default)]
pub struct Options {
    pub limits: Option<RateLimits>,
    pub dev_outbox: Option<bool>,
    pub web_dir: Option<std::path::PathBuf>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `MEZHA_TRUST_DIR`: extra trust for signature validation.
    pub trust_dir: Option<std::path::PathBuf>,
    /// Wraps the app's mailer (the development outbox), e.g. to make it fail.
    pub wrap_mailer: Option<MailerWrapper>,
    /// The largest chat file (default 500 MiB).
    pub chat_file_max_bytes: Option<u64>,
    /// `MEZHA_WEBHOOKS_ALLOW_PRIVATE`; tests allow it (their receivers
    /// listen on 127.0.0.1) unless this says `false`.
    pub webhooks_allow_private: Option<bool>,
    /// Reach Redis through this proxy, which the test can cut.
    pub redis_proxy: Option<TcpProxy>,
    /// The live-event heartbeat (300 ms unless given).
    pub events_heartbeat: Option<std::time::Duration>,
    /// The registry gateway at this URL with this callback secret: the app
    /// sends deals there, and (`callbacks`) tells it to call back on its
    /// own port; without callbacks it polls every 100 ms.
    pub registry: Option<RegistryOptions>,
}

/// [`Options::registry`].
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    pub url: String,
    pub secret: String,
    pub callbacks: bool,
}

/// A TCP proxy on loopback to one address; [`TcpProxy::cut`] drops every
/// connection and refuses new ones until [`TcpProxy::restore`].
#[derive(Clone)]
pub struct TcpProxy {
    pub port: u16,
    up: Arc<std::sync::atomic::AtomicBool>,
    links: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl TcpProxy {
    /// Starts proxying to `target` (`host:port`).
    pub async fn start(target: String) -> TcpProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let proxy = TcpProxy {
            port: listener.local_addr().expect("addr").port(),
            up: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            links: Arc::default(),
        };
        let handle = proxy.clone();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !handle.up.load(std::sync::atomic::Ordering::SeqCst) {
                    continue;
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                handle.links.lock().expect("links").push(link);
            }
        });
        proxy
    }

    /// Drops every connection and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The `host:port` of the test Redis.
pub fn redis_address() -> String {
    let url = redis_url();
    let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    rest.split(['/', '?'])
        .next()
        .unwrap_or("127.0.0.1:6379")
        .to_owned()
}

/// The `MEZHA_STORAGE__*` variables of `storage`, for a server process.
fn storage_env(storage: &mezha_server::config::StorageConfig) -> Vec<(String, String)> {
    use secrecy::ExposeSecret as _;
    let mut env = vec![("MEZHA_STORAGE__BACKEND".to_owned(), storage.backend.clone())];
    if storage.backend == "s3" {
        env.extend([
            ("MEZHA_STORAGE__BUCKET".to_owned(), storage.bucket.clone()),
            ("MEZHA_STORAGE__REGION".to_owned(), storage.region.clone()),
            (
                "MEZHA_STORAGE__PATH_STYLE".to_owned(),
                storage.path_style.to_string(),
            ),
        ]);
        let optional = [
            ("MEZHA_STORAGE__ENDPOINT", storage.endpoint.clone()),
            (
                "MEZHA_STORAGE__ACCESS_KEY_ID",
                storage.access_key_id.clone(),
            ),
            (
                "MEZHA_STORAGE__SECRET_ACCESS_KEY",
                storage
                    .secret_access_key
                    .as_ref()
                    .map(|s| s.expose_secret().to_owned()),
            ),
        ];
        env.extend(
            optional
                .into_iter()
                .filter_map(|(name, value)| Some((name.to_owned(), value?))),
        );
    }
    env
}

/// Turns the app's mailer into the one the test wants.
pub type MailerWrapper = Box<dyn FnOnce(Arc<dyn Mailer>) -> Arc<dyn Mailer> + Send>;

/// The app with default settings and the development outbox on.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

/// The app with custom settings.
pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        dev_outbox: true,
        web_dir: Some(
            options
                .web_dir
                .clone()
                .unwrap_or_else(|| dir.path().join("no-web-app")),
        ),
        trust_dir: options.trust_dir.clone(),
        ..Config::default()
    };
    if let Some(registry) = &options.registry {
        // Callbacks need the app's port before it serves: one picked now.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        config.addr = format!("127.0.0.1:{port}");
        config.registry_gateway_url = Some(registry.url.clone());
        config.registry_callback_secret = Some(SecretString::from(registry.secret.clone()));
        config.registry_callback_url = registry
            .callbacks
            .then(|| format!("http://127.0.0.1:{port}/api/v1/registry/callbacks"));
    }
    let mut pg_database = None;
    if backend == Backend::Services {
        let name = create_postgres_database().await;
        config.database_url = Some(SecretString::from(with_database(&admin_url(), &name)));
        config.redis_url = Some(SecretString::from(match &options.redis_proxy {
            Some(proxy) => format!("redis://127.0.0.1:{}", proxy.port),
            None => redis_url(),
        }));
        config.redis_prefix = format!("mezha-test:{}:", Uuid::new_v4().simple());
        config.db_max_connections = 5;
        pg_database = Some(name);
        // Files in a bucket of their own on the test S3 server.
        let s3 = mezha_testkit::s3::server();
        config.storage = mezha_server::config::StorageConfig {
            backend: "s3".into(),
            endpoint: Some(s3.endpoint.clone()),
            bucket: s3.new_bucket().await,
            access_key_id: Some(s3.access_key_id.clone()),
            secret_access_key: Some(SecretString::from(s3.secret_access_key.clone())),
            path_style: true,
            ..mezha_server::config::StorageConfig::default()
        };
    }
    let clock = ManualClock::default();
    let mut state = startup::state(&config, Arc::new(clock.clone()))
        .await
        .unwrap_or_else(|e| panic!("building the app on {backend:?}: {e:#}"));
    state.http.dev_outbox = options.dev_outbox.unwrap_or(true);
    state.settings_mut().public_url = "http://mezha.test".into();
    state.http.trusted_proxies = options.trusted_proxies.clone();
    if let Some(limits) = options.limits {
        state.settings_mut().limits = limits;
    }
    if let Some(max) = options.chat_file_max_bytes {
        state.settings_mut().chat_file_max_bytes = max;
    }
    if let Some(every) = options.events_heartbeat {
        state.settings_mut().events_heartbeat = every;
    }
    if let (Some(gateway), Some(registry)) = (&mut state.settings_mut().registry, &options.registry)
    {
        gateway.jobs_poll = std::time::Duration::from_millis(50);
        gateway.timeout = std::time::Duration::from_secs(5);
        if !registry.callbacks {
            gateway.callback_url = None;
            gateway.poll = std::time::Duration::from_millis(100);
        }
    }
    state.settings_mut().webhooks_allow_private = options.webhooks_allow_private.unwrap_or(true);
    if let Some(wrap) = options.wrap_mailer {
        state.mailer = wrap(Arc::clone(&state.mailer));
    }
    serve(state, clock, pg_database, config, Arc::new(dir))
}

/// Test settings common to every instance, then serving on a free port.
fn serve(
    mut state: mezha_http::AppState,
    clock: ManualClock,
    pg_database: Option<String>,
    config: Config,
    dir: Arc<TempDir>,
) -> TestApp {
    // The notification worker looks for work often, so tests wait little.
    state.settings_mut().notify_poll = std::time::Duration::from_millis(50);
    // Live-event heartbeats come often enough to be seen in a test (unless
    // the test chose its own).
    if state.settings_mut().events_heartbeat == mezha_app::Settings::default().events_heartbeat {
        state.settings_mut().events_heartbeat = std::time::Duration::from_millis(300);
    }
    let kv = state.kv.clone();
    let storage = state.storage.clone();
    let s3_bucket = pg_database
        .is_some()
        .then(|| config.storage.bucket.clone())
        .filter(|bucket| !bucket.is_empty());
    let database_url = config.database_url();
    // A port picked before (for the registry's callbacks), else any.
    let addr = if config.addr == Config::default().addr {
        "127.0.0.1:0".to_owned()
    } else {
        config.addr.clone()
    };
    let app = Application::serve(state, &addr, Some(1)).expect("binding a port");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        clock,
        kv,
        pg_database,
        database_url,
        dir,
        config,
        storage,
        s3_bucket,
        process: None,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let kv = self.kv.clone();
        let database = self.pg_database.take();
        let bucket = self.s3_bucket.take();
        // Clean-up needs async I/O but Drop is sync: do it on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                kv.purge_prefix().await.ok();
                if let Some(bucket) = bucket {
                    mezha_testkit::s3::server().remove_bucket(&bucket).await;
                }
                if let Some(name) = database {
                    let admin = single_connection(&admin_url()).await;
                    exec(
                        &admin,
                        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    )
                    .await;
                }
            });
        });
        cleanup.join().ok();
    }
}

impl TestApp {
    /// A second instance of this app — its own process state and port, the
    /// same database, Redis prefix, data directory (signing keys) and
    /// clock: a replica behind a load balancer. Only on the services
    /// back-end (the embedded one is a single process by design). Dropping
    /// it leaves the database to the first instance.
    pub async fn replica(&self) -> TestApp {
        assert!(
            self.pg_database.is_some(),
            "replicas share PostgreSQL and Redis"
        );
        let mut state = startup::state(&self.config, Arc::new(self.clock.clone()))
            .await
            .unwrap_or_else(|e| panic!("building the replica: {e:#}"));
        state.http.dev_outbox = true;
        state.settings_mut().public_url = "http://mezha.test".into();
        let config = Config {
            addr: Config::default().addr,
            ..self.config.clone()
        };
        serve(
            state,
            self.clock.clone(),
            None,
            config,
            Arc::clone(&self.dir),
        )
    }

    /// A replica in an operating-system process of its own: the `mezha`
    /// binary serving on another port with this app's PostgreSQL database,
    /// Redis prefix and data directory (signing keys), configured through
    /// the environment as in production. Killed when dropped; the database
    /// stays with the first instance.
    pub async fn replica_process(&self) -> TestApp {
        assert!(
            self.pg_database.is_some(),
            "replicas share PostgreSQL and Redis"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let data_dir = &self.config.data_dir;
        // Only what the server needs: the test's own MEZHA_TEST_* variables
        // would be unknown configuration keys.
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_mezha"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("MEZHA_ADDR", format!("127.0.0.1:{port}"))
            .env("MEZHA_DATA_DIR", data_dir)
            .env("MEZHA_WEB_DIR", data_dir.join("no-web-app"))
            .env("DATABASE_URL", &self.database_url)
            .env("REDIS_URL", redis_url())
            .env("MEZHA_REDIS_PREFIX", &self.config.redis_prefix)
            .env("MEZHA_DB_MAX_CONNECTIONS", "5")
            .env("MEZHA_WORKERS", "1")
            .env("MEZHA_DEV_OUTBOX", "1")
            .env("MEZHA_LOG_LEVEL", "warn")
            .envs(storage_env(&self.config.storage))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("starting the mezha binary");
        let mut process = Process(child);
        let address = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let up = client.get(format!("{address}/healthz")).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            if let Ok(Some(status)) = process.0.try_wait() {
                panic!("the replica process exited: {status}");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the replica process did not answer within 60 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        TestApp {
            address,
            client,
            clock: self.clock.clone(),
            kv: self.kv.clone(),
            pg_database: None,
            database_url: self.database_url.clone(),
            dir: Arc::clone(&self.dir),
            config: self.config.clone(),
            storage: self.storage.clone(),
            s3_bucket: None,
            process: Some(process),
        }
    }

    /// A connection to the app's database, for arranging what the API
    /// cannot (granting the engineer role) and for checking what it wrote.
    pub async fn db(&self) -> DatabaseConnection {
        mezha_store::db::connect(&self.database_url, 2)
            .await
            .expect("connecting to the test database")
    }

    /// The app's key-value store (Redis under the test's prefix, or the
    /// in-process one).
    pub fn kv(&self) -> Kv {
        self.kv.clone()
    }

    /// `http://127.0.0.1:PORT` + `path`.
    /// Every file the app keeps, by storage key (`avatars/…-64.jpg`, a
    /// file's id), sorted; a file still being written (or left half
    /// written) as `<key>.part`: the local directory's partial files, the
    /// bucket's incomplete multipart uploads.
    pub async fn stored_files(&self) -> Vec<String> {
        let mut keys: Vec<String> = if self.config.storage.backend == "s3" {
            let mut keys: Vec<String> = self
                .storage
                .list("")
                .await
                .expect("listing the bucket")
                .into_iter()
                .map(|(key, _)| key)
                .collect();
            let s3 = mezha_testkit::s3::server();
            for key in s3.incomplete_uploads(&self.config.storage.bucket).await {
                keys.push(format!("{key}.part"));
            }
            keys
        } else {
            let root = self.config.data_dir.join("files");
            let mut keys = Vec::new();
            let mut pending = vec![root.clone()];
            while let Some(dir) = pending.pop() {
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        pending.push(path);
                    } else if let Ok(key) = path.strip_prefix(&root) {
                        keys.push(key.to_string_lossy().into_owned());
                    }
                }
            }
            keys
        };
        keys.sort();
        keys
    }

    /// Sends `signal` (`TERM`, `INT`, `KILL`) to the process serving this
    /// replica ([`TestApp::replica_process`]).
    pub fn signal(&self, signal: &str) {
        let process = self.process.as_ref().expect("a process replica");
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(process.0.id().to_string())
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -{signal}");
    }

    /// How the replica's process ended, waiting up to `within` for it.
    pub async fn exit_status(
        &mut self,
        within: std::time::Duration,
    ) -> Option<std::process::ExitStatus> {
        let process = self.process.as_mut().expect("a process replica");
        let deadline = std::time::Instant::now() + within;
        loop {
            if let Ok(Some(status)) = process.0.try_wait() {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The URL of its database (a SQLite file, or a PostgreSQL database).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The size of the stored file `key`, if there is one.
    pub async fn stored_size(&self, key: &str) -> Option<u64> {
        self.storage
            .size(key)
            .await
            .expect("asking the file storage")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// POST a JSON body.
    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("request")
    }

    /// GET with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.get(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("request")
    }

    /// Every item of the list at `path` (no query string), walked `limit`
    /// at a time from the first page: each page but the last is full and
    /// names the next, the last has `next_cursor: null`. Returns the items
    /// in the order the pages gave them, and how many pages there were.
    pub async fn walk<T: DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        limit: usize,
    ) -> (Vec<T>, usize) {
        let mut items = Vec::new();
        let mut url = format!("{path}?limit={limit}");
        for pages in 1..=100 {
            let resp = self.get(&url, Some(token)).await;
            assert_eq!(resp.status(), 200, "{url}");
            let page: Page<T> = resp.json().await.expect("a page");
            let full = page.items.len() == limit;
            assert!(page.items.len() <= limit, "{url}: more than {limit}");
            items.extend(page.items);
            match page.next_cursor {
                Some(cursor) => {
                    assert!(full, "{url}: a page before the last is full");
                    url = format!("{path}?limit={limit}&cursor={cursor}");
                }
                None => return (items, pages),
            }
        }
        panic!("{path}: no last page after 100");
    }

    /// Messages sent to `recipient`, newest first.
    pub async fn outbox(&self, recipient: &str) -> Vec<OutboxMessage> {
        let resp = self
            .client
            .get(self.url("/api/v1/dev/outbox"))
            .query(&[("recipient", recipient)])
            .send()
            .await
            .expect("outbox");
        assert_eq!(resp.status(), 200);
        resp.json::<OutboxList>().await.expect("outbox json").items
    }

    /// Waits (up to 10 s) until at least `n` messages to `recipient` match
    /// `keep` (the notification worker sends asynchronously); returns the
    /// matching ones, newest first.
    pub async fn wait_for_mails(
        &self,
        recipient: &str,
        n: usize,
        keep: impl Fn(&OutboxMessage) -> bool,
    ) -> Vec<OutboxMessage> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let found: Vec<OutboxMessage> = self
                .outbox(recipient)
                .await
                .into_iter()
                .filter(|m| keep(m))
                .collect();
            if found.len() >= n || std::time::Instant::now() > deadline {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The `token=` of the newest link mailed to `email` (links go out just
    /// after the answer: waited for, up to 10 s).
    pub async fn link_token(&self, email: &str) -> String {
        self.nth_link_token(email, 1).await
    }

    /// The `token=` of the newest link mailed to `email` once `n` links
    /// have been (waited for, up to 10 s).
    pub async fn nth_link_token(&self, email: &str, n: usize) -> String {
        let mails = self
            .wait_for_mails(email, n, |m| token_in(&m.body).is_some())
            .await;
        assert!(
            mails.len() >= n,
            "{} link(s) to {email}, not {n}",
            mails.len()
        );
        token_in(&mails[0].body).expect("a link")
    }

    /// The 6-digit code of the newest SMS to `phone`.
    /// Saves `phone` to the account of `token`, confirmed by the SMS code
    /// sent to it (`POST /me/phone`, `POST /me/phone/confirm`); the
    /// profile.
    pub async fn confirm_phone(&self, token: &str, phone: &str) -> Value {
        let resp = self
            .post(
                "/api/v1/me/phone",
                &serde_json::json!({ "phone": phone }),
                Some(token),
            )
            .await;
        assert_eq!(resp.status(), 202, "{}", resp.text().await.unwrap());
        let sent: Value = resp.json().await.unwrap();
        let e164 = sent["phone"].as_str().unwrap().to_owned();
        let code = self.sms_code(&e164).await;
        let resp = self
            .post(
                "/api/v1/me/phone/confirm",
                &serde_json::json!({ "phone": phone, "code": code }),
                Some(token),
            )
            .await;
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        resp.json().await.unwrap()
    }

    pub async fn sms_code(&self, phone: &str) -> String {
        let sms = self.outbox(phone).await;
        let body = &sms
            .first()
            .unwrap_or_else(|| panic!("no SMS to {phone}"))
            .body;
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap_or_else(|| panic!("no code in {body}"))
            .to_owned()
    }

    /// Registers, confirms and logs in.
    pub async fn user(&self, email: &str) -> TestUser {
        let password = "correct horse battery".to_owned();
        let resp = self
            .post(
                "/api/v1/auth/register",
                &json!({"email": email, "password": password}),
                None,
            )
            .await;
        assert_eq!(
            resp.status(),
            201,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        let id = resp.json::<Value>().await.expect("json")["user_id"]
            .as_str()
            .expect("id")
            .parse()
            .expect("uuid");
        let token = self.link_token(email).await;
        let resp = self
            .post("/api/v1/auth/confirm-email", &json!({"token": token}), None)
            .await;
        assert_eq!(resp.status(), 200);
        let tokens = self.login(email, &password).await;
        TestUser {
            id,
            email: email.to_owned(),
            password,
            tokens,
        }
    }

    /// Runs `mezha staff create` against this app's database.
    pub fn staff(&self, email: &str, password: &str, role: &str) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_mezha"))
            .args([
                "staff",
                "create",
                "--email",
                email,
                "--password",
                password,
                "--role",
                role,
            ])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("MEZHA_DATA_DIR", self.dir.path())
            .env("DATABASE_URL", &self.database_url)
            .env("MEZHA_LOG_LEVEL", "warn")
            .output()
            .expect("running mezha staff create")
    }

    /// An access token signed with this app's own key for `session` of
    /// `user` acting as `role`, living `ttl` (what a server configured
    /// otherwise, or a forger holding the key, would make).
    pub fn signed_token(
        &self,
        user: Uuid,
        session: Uuid,
        role: mezha_api_types::Role,
        ttl: std::time::Duration,
    ) -> String {
        let pairs = mezha_app::tokens::keys::load_dir(&self.config.keys_dir(), false)
            .expect("the app's keys");
        mezha_app::tokens::jwt::JwtKeys::new(&pairs, ttl)
            .expect("keys")
            .issue(
                user,
                session,
                role,
                mezha_app::clock::Clock::now(&self.clock),
            )
            .expect("token")
    }

    /// Password login that must succeed.
    pub async fn login(&self, email: &str, password: &str) -> TokenResponse {
        let resp = self
            .post(
                "/api/v1/auth/login",
                &json!({"email": email, "password": password}),
                None,
            )
            .await;
        assert_eq!(
            resp.status(),
            200,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        resp.json().await.expect("tokens")
    }
}

/// The `token=` query value in a text.
pub fn token_in(text: &str) -> Option<String> {
    let start = text.find("token=")? + "token=".len();
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect(),
    )
}

/// Asserts a problem+json answer with this status and code; returns it.
pub async fn problem(resp: reqwest::Response, status: u16, code: &str) -> Problem {
    assert_eq!(resp.status().as_u16(), status, "status");
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let text = resp.text().await.expect("body");
    let problem: Problem =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not a problem ({e}): {text}"));
    assert_eq!(problem.code.as_str(), code, "{text}");
    assert_eq!(problem.status, status);
    assert!(problem.request_id.is_some());
    problem
}
