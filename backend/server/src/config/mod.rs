//! Typed, layered configuration: built-in defaults, then an optional TOML
//! file (`--config FILE` or `MEZHA_CONFIG`), then `MEZHA_*` environment
//! variables (nested keys with `__`, e.g. `MEZHA_SMTP__HOST`), plus the
//! conventional `DATABASE_URL` and `REDIS_URL`. Unknown keys are refused;
//! secrets are wrapped so they never reach a log.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

mod values;
pub use values::{LimitSpec, RateLimitsConfig, parse_duration_secs};
use values::{duration_secs, ip_list, lenient_bool};

/// The server's configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Listen address (`MEZHA_ADDR`).
    pub addr: String,
    /// Where embedded defaults keep state: the SQLite file and the
    /// development signing keys (`MEZHA_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://…` or `postgres://…` (`DATABASE_URL`);
    /// default a SQLite file in `data_dir`.
    #[serde(skip_serializing)]
    pub database_url: Option<SecretString>,
    /// Redis URL (`REDIS_URL`); without it sessions, codes and counters live
    /// in process memory (one instance only, lost on restart).
    #[serde(skip_serializing)]
    pub redis_url: Option<SecretString>,
    /// Prefix of every Redis key.
    pub redis_prefix: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed: a list, or a
    /// comma-separated string (`MEZHA_TRUSTED_PROXIES=10.0.0.2,10.0.0.3`).
    #[serde(deserialize_with = "ip_list")]
    pub trusted_proxies: Vec<IpAddr>,
    /// The built web app to serve at `/` (default `frontend/dist`, when built).
    pub web_dir: Option<PathBuf>,
    /// Extra trust for signature validation (`MEZHA_TRUST_DIR`): `*.pem`
    /// certificates (self-signed ones become trust anchors, the rest
    /// intermediates) and `*.crl` lists, read at start (docs/signatures.md).
    pub trust_dir: Option<PathBuf>,
    /// Public URL of the web app, for links in e-mails; default `http://{addr}`.
    pub public_url: Option<String>,
    /// Serve `GET /api/v1/dev/outbox` (development only).
    #[serde(deserialize_with = "lenient_bool")]
    pub dev_outbox: bool,
    /// Log format: `text` or `json`.
    pub log_format: String,
    /// Log filter when `RUST_LOG` is not set, e.g. `info` or `mezha_http=debug,info`.
    pub log_level: String,
    /// HTTP worker threads; default one per core.
    pub workers: Option<usize>,
    /// Largest database connection pool (at least 2).
    pub db_max_connections: u32,
    /// Apply pending migrations when `serve` starts (`MEZHA_MIGRATE_ON_START`,
    /// default true). False (a deployment that migrates with a job of its
    /// own, docs/deploy.md): a replica refuses to start while migrations are
    /// pending.
    #[serde(deserialize_with = "lenient_bool")]
    pub migrate_on_start: bool,
    /// Access tokens.
    pub jwt: JwtConfig,
    /// Idle session lifetime, days.
    pub session_ttl_days: u64,
    /// Password hashing cost.
    pub password_hash: PasswordHashConfig,
    /// Outgoing e-mail: `outbox` (development) or `smtp`.
    pub mail_transport: String,
    /// SMTP server, when `mail_transport = "smtp"`.
    pub smtp: SmtpConfig,
    /// Where stored files' bytes are kept (`MEZHA_STORAGE__*`, docs/storage.md).
    pub storage: StorageConfig,
    /// SMS provider: `outbox` (development; the only one so far).
    pub sms_provider: String,
    /// SRO registry feed (`http(s)://…`, CSV or JSON) imported at start and
    /// then every `sro_import_interval`; no scheduled import when unset
    /// (`MEZHA_SRO_FEED_URL`).
    pub sro_feed_url: Option<String>,
    /// Seconds between scheduled registry imports, or `24h`-style
    /// (`MEZHA_SRO_IMPORT_INTERVAL`, default one day, at least 60 s).
    #[serde(deserialize_with = "duration_secs")]
    pub sro_import_interval: u64,
    /// The platform CA (docs/certificates.md): root certificate PEM
    /// (`MEZHA_CA_ROOT_CERT`). With the issuing CA's certificate and key
    /// below; when none is set, a CA is generated under `data_dir/pki`.
    pub ca_root_cert: Option<PathBuf>,
    /// Root key PEM (`MEZHA_CA_ROOT_KEY`); not needed at run time.
    pub ca_root_key: Option<PathBuf>,
    /// Issuing CA certificate PEM (`MEZHA_CA_ISSUING_CERT`).
    pub ca_issuing_cert: Option<PathBuf>,
    /// Issuing CA key PEM, PKCS#8 or SEC1, P-256 (`MEZHA_CA_ISSUING_KEY`).
    pub ca_issuing_key: Option<PathBuf>,
    /// Seconds between checks for certificate expiry reminders
    /// (`MEZHA_CERT_REMINDER_INTERVAL`, default one hour, at least 60 s).
    #[serde(deserialize_with = "duration_secs")]
    pub cert_reminder_interval: u64,
    /// Seconds between checks for order reminders
    /// (`MEZHA_ORDER_REMINDER_INTERVAL`, default one hour, at least 60 s).
    #[serde(deserialize_with = "duration_secs")]
    pub order_reminder_interval: u64,
    /// Days a step of an order waits before its party is reminded, and
    /// between reminders (`MEZHA_REMINDER_AFTER_DAYS`, default 3; 0: never).
    pub reminder_after_days: u32,
    /// Reminders of one step at most (`MEZHA_REMINDER_REPEATS`, default 3).
    pub reminder_repeats: u32,
    /// Days before the due date the executor is told
    /// (`MEZHA_DEADLINE_NOTICE_DAYS`, default 3; 0: never).
    pub deadline_notice_days: u32,
    /// The cabinet where engineers file the state cadastral registration
    /// (`MEZHA_REGISTRY_GKU_URL`, default Rosreestr's personal cabinet).
    pub registry_gku_url: String,
    /// The cabinet for the registration of rights (`MEZHA_REGISTRY_GRP_URL`).
    pub registry_grp_url: String,
    /// Let webhooks reach loopback, private, link-local and other internal
    /// addresses (`MEZHA_WEBHOOKS_ALLOW_PRIVATE`; development only).
    #[serde(deserialize_with = "lenient_bool")]
    pub webhooks_allow_private: bool,
    /// The Tesseract program reading passport scans, with Russian data
    /// (`MEZHA_OCR_COMMAND`, default `tesseract` on the `PATH`).
    pub ocr_command: String,
    /// The state registry's gateway deals are sent to
    /// (`MEZHA_REGISTRY_GATEWAY_URL`, e.g. the stand-in
    /// `http://127.0.0.1:8088`; docs/registry-gateway.md). Unset: sent
    /// deals wait in the queue.
    pub registry_gateway_url: Option<String>,
    /// The bearer token of the gateway (`MEZHA_REGISTRY_GATEWAY_TOKEN`).
    #[serde(skip_serializing)]
    pub registry_gateway_token: Option<SecretString>,
    /// The secret the gateway signs its callbacks with
    /// (`MEZHA_REGISTRY_CALLBACK_SECRET`; required with a gateway).
    #[serde(skip_serializing)]
    pub registry_callback_secret: Option<SecretString>,
    /// Where the gateway posts callbacks (`MEZHA_REGISTRY_CALLBACK_URL`,
    /// default `{public_url}/api/v1/registry/callbacks`).
    pub registry_callback_url: Option<String>,
    /// Seconds between polls of the packages at the registry, the
    /// callbacks' fallback (`MEZHA_REGISTRY_POLL`, default 60).
    #[serde(deserialize_with = "duration_secs")]
    pub registry_poll: u64,
    /// The state fee of a deal's registration, kopecks
    /// (`MEZHA_STATE_FEE_KOPECKS`, default 2 000 ₽).
    pub state_fee_kopecks: i64,
    /// The payee code the fee's UINs start with (`MEZHA_STATE_FEE_PAYEE`,
    /// default `321`, Rosreestr's; an 8-digit УРН makes 25-digit UINs).
    pub state_fee_payee: String,
    /// Rate limits, each `"max/window"`.
    pub rate_limits: RateLimitsConfig,
}

/// Access-token settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JwtConfig {
    /// Directory of Ed25519 PKCS#8 PEM signing keys; default `{data_dir}/keys`.
    pub keys_dir: Option<PathBuf>,
    /// Generate a key when the directory has none (development default).
    #[serde(deserialize_with = "lenient_bool")]
    pub generate_keys: bool,
    /// Access-token lifetime, seconds.
    pub access_ttl_secs: u64,
}

/// argon2id cost.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PasswordHashConfig {
    /// Memory, KiB (at least 19456).
    pub memory_kib: u32,
    /// Iterations (at least 2).
    pub iterations: u32,
    /// Hashes computed at the same time; default the number of cores.
    pub max_concurrent: Option<usize>,
}

/// File storage settings (docs/storage.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// `local` (a directory, default `{data_dir}/files`) or `s3`.
    pub backend: String,
    /// The local directory (`MEZHA_STORAGE__DIR`).
    pub dir: Option<PathBuf>,
    /// S3: the endpoint URL (`https://…`); default AWS's for the region.
    pub endpoint: Option<String>,
    /// S3: the region requests are signed for.
    pub region: String,
    /// S3: the bucket (it must exist).
    pub bucket: String,
    /// S3: the access key id; with the secret, or neither (then the
    /// environment's `AWS_*` credentials or the instance's role).
    pub access_key_id: Option<String>,
    #[serde(skip_serializing)]
    pub secret_access_key: Option<SecretString>,
    /// S3: path-style addresses (`endpoint/bucket/key`: MinIO and most
    /// self-hosted stores) rather than virtual-hosted ones.
    #[serde(deserialize_with = "lenient_bool")]
    pub path_style: bool,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            backend: "local".into(),
            dir: None,
            endpoint: None,
            region: "us-east-1".into(),
            bucket: String::new(),
            access_key_id: None,
            secret_access_key: None,
            path_style: true,
        }
    }
}

impl StorageConfig {
    /// The S3 settings of the store layer.
    pub fn s3(&self) -> mezha_store::storage::S3Settings {
        mezha_store::storage::S3Settings {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            bucket: self.bucket.clone(),
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self
                .secret_access_key
                .as_ref()
                .map(|s| s.expose_secret().to_owned()),
            path_style: self.path_style,
        }
    }
}

/// SMTP settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub security: String,
    pub username: Option<String>,
    #[serde(skip_serializing)]
    pub password: Option<SecretString>,
    /// Sender mailbox, e.g. `Mezha <no-reply@mezha.example>`.
    pub from: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            redis_url: None,
            redis_prefix: "mezha:".into(),
            trusted_proxies: Vec::new(),
            web_dir: None,
            trust_dir: None,
            public_url: None,
            dev_outbox: false,
            log_format: "text".into(),
            log_level: "info".into(),
            workers: None,
            db_max_connections: 10,
            migrate_on_start: true,
            jwt: JwtConfig::default(),
            session_ttl_days: 30,
            password_hash: PasswordHashConfig::default(),
            mail_transport: "outbox".into(),
            smtp: SmtpConfig::default(),
            storage: StorageConfig::default(),
            sms_provider: "outbox".into(),
            sro_feed_url: None,
            sro_import_interval: 86_400,
            ca_root_cert: None,
            ca_root_key: None,
            ca_issuing_cert: None,
            ca_issuing_key: None,
            cert_reminder_interval: 3600,
            order_reminder_interval: 3600,
            reminder_after_days: 3,
            reminder_repeats: 3,
            deadline_notice_days: 3,
            registry_gku_url: mezha_app::context::ROSREESTR_CABINET.into(),
            registry_grp_url: mezha_app::context::ROSREESTR_CABINET.into(),
            webhooks_allow_private: false,
            ocr_command: "tesseract".into(),
            registry_gateway_url: None,
            registry_gateway_token: None,
            registry_callback_secret: None,
            registry_callback_url: None,
            registry_poll: 60,
            state_fee_kopecks: 200_000,
            state_fee_payee: "321".into(),
            rate_limits: RateLimitsConfig::default(),
        }
    }
}

impl Default for JwtConfig {
    fn default() -> Self {
        JwtConfig {
            keys_dir: None,
            generate_keys: true,
            access_ttl_secs: 15 * 60,
        }
    }
}

impl Default for PasswordHashConfig {
    fn default() -> Self {
        PasswordHashConfig {
            memory_kib: 19 * 1024,
            iterations: 2,
            max_concurrent: None,
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: 587,
            security: "starttls".into(),
            username: None,
            password: None,
            from: String::new(),
        }
    }
}

impl Config {
    /// Loads defaults → `file` (or `MEZHA_CONFIG`) → environment, then checks it.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("MEZHA_CONFIG").map(PathBuf::from));
        if let Some(file) = &file {
            anyhow::ensure!(
                file.is_file(),
                "configuration file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
            .merge(
                Env::prefixed("MEZHA_")
                    .ignore(&["CONFIG"])
                    .filter(|key| !key.as_str().to_ascii_lowercase().starts_with("test_"))
                    .split("__"),
            );
        let config: Config = figment.extract().map_err(|e| {
            let messages: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
            anyhow::anyhow!("invalid configuration: {}", messages.join("; "))
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values that types cannot.
    pub fn validate(&self) -> anyhow::Result<()> {
        self.addr
            .parse::<SocketAddr>()
            .with_context(|| format!("addr {:?} is not an IP:port address", self.addr))?;
        if let Some(url) = &self.public_url {
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "public_url must start with http:// or https://"
            );
        }
        let db = self.database_url();
        anyhow::ensure!(
            db.starts_with("sqlite:")
                || db.starts_with("postgres://")
                || db.starts_with("postgresql://"),
            "database_url must be a sqlite: or postgres:// URL"
        );
        if let Some(redis) = &self.redis_url {
            let r = redis.expose_secret();
            anyhow::ensure!(
                r.starts_with("redis://") || r.starts_with("rediss://") || r.starts_with("unix:"),
                "redis_url must be a redis:// or rediss:// URL"
            );
        }
        anyhow::ensure!(
            matches!(self.log_format.as_str(), "text" | "json"),
            "log_format must be text or json, not {:?}",
            self.log_format
        );
        anyhow::ensure!(
            self.password_hash.memory_kib >= 19 * 1024,
            "password_hash.memory_kib must be at least 19456"
        );
        anyhow::ensure!(
            self.password_hash.iterations >= 2,
            "password_hash.iterations must be at least 2"
        );
        anyhow::ensure!(
            (60..=3600).contains(&self.jwt.access_ttl_secs),
            "jwt.access_ttl_secs must be between 60 and 3600"
        );
        anyhow::ensure!(
            self.session_ttl_days >= 1,
            "session_ttl_days must be at least 1"
        );
        anyhow::ensure!(self.workers != Some(0), "workers must be at least 1");
        // Migrations hold one connection for their lock and run on another.
        anyhow::ensure!(
            self.db_max_connections >= 2,
            "db_max_connections must be at least 2"
        );
        match self.mail_transport.as_str() {
            "outbox" => {}
            "smtp" => {
                anyhow::ensure!(
                    !self.smtp.host.is_empty(),
                    "smtp.host is required when mail_transport = smtp"
                );
                anyhow::ensure!(
                    !self.smtp.from.is_empty(),
                    "smtp.from is required when mail_transport = smtp"
                );
                anyhow::ensure!(
                    matches!(self.smtp.security.as_str(), "starttls" | "tls" | "none"),
                    "smtp.security must be starttls, tls or none"
                );
            }
            other => anyhow::bail!("mail_transport must be outbox or smtp, not {other:?}"),
        }
        match self.storage.backend.as_str() {
            "local" => {}
            "s3" => {
                anyhow::ensure!(
                    !self.storage.bucket.is_empty(),
                    "storage.bucket is required when storage.backend = s3"
                );
                anyhow::ensure!(
                    self.storage.access_key_id.is_some()
                        == self.storage.secret_access_key.is_some(),
                    "storage.access_key_id and storage.secret_access_key go together"
                );
                if let Some(endpoint) = &self.storage.endpoint {
                    anyhow::ensure!(
                        endpoint.starts_with("http://") || endpoint.starts_with("https://"),
                        "storage.endpoint must start with http:// or https://"
                    );
                }
            }
            other => anyhow::bail!("storage.backend must be local or s3, not {other:?}"),
        }
        if let Some(url) = &self.sro_feed_url {
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "sro_feed_url must start with http:// or https://"
            );
        }
        anyhow::ensure!(
            self.sro_import_interval >= 60,
            "sro_import_interval must be at least 60 seconds"
        );
        anyhow::ensure!(
            self.cert_reminder_interval >= 60,
            "cert_reminder_interval must be at least 60 seconds"
        );
        for (name, url) in [
            ("registry_gku_url", &self.registry_gku_url),
            ("registry_grp_url", &self.registry_grp_url),
        ] {
            anyhow::ensure!(
                url.starts_with("https://") || url.starts_with("http://"),
                "{name} must start with https:// or http://"
            );
        }
        anyhow::ensure!(
            self.order_reminder_interval >= 60,
            "order_reminder_interval must be at least 60 seconds"
        );
        anyhow::ensure!(
            self.sms_provider == "outbox",
            "sms_provider must be outbox (the only provider so far)"
        );
        Ok(())
    }

    /// The database URL, defaulting to `{data_dir}/mezha.db`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!("sqlite://{}", self.data_dir.join("mezha.db").display()),
        }
    }

    /// The signing-key directory.
    pub fn keys_dir(&self) -> PathBuf {
        self.jwt
            .keys_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys"))
    }

    /// The web app's folder.
    pub fn web_dir(&self) -> PathBuf {
        self.web_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("frontend/dist"))
    }

    /// The public URL of the app.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// The registry gateway, when one is configured; a gateway without a
    /// callback secret is refused (its callbacks could not be trusted).
    pub fn registry_gateway(&self) -> anyhow::Result<Option<mezha_app::context::RegistryGateway>> {
        let Some(url) = self.registry_gateway_url.clone() else {
            return Ok(None);
        };
        let secret = self.registry_callback_secret.as_ref().ok_or_else(|| {
            anyhow::anyhow!("MEZHA_REGISTRY_GATEWAY_URL needs MEZHA_REGISTRY_CALLBACK_SECRET")
        })?;
        Ok(Some(mezha_app::context::RegistryGateway {
            url,
            token: self
                .registry_gateway_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
            callback_secret: secret.expose_secret().to_owned(),
            callback_url: Some(self.registry_callback_url.clone().unwrap_or_else(|| {
                format!(
                    "{}/api/v1/registry/callbacks",
                    self.public_url().trim_end_matches('/')
                )
            })),
            poll: std::time::Duration::from_secs(self.registry_poll.max(1)),
            jobs_poll: std::time::Duration::from_secs(1),
            timeout: std::time::Duration::from_secs(30),
        }))
    }

    /// A one-line description without secrets, for the start-up log.
    pub fn summary(&self) -> String {
        let db = self.database_url();
        let db_kind = if db.starts_with("sqlite:") {
            format!("sqlite ({})", db.trim_start_matches("sqlite://"))
        } else {
            "postgres".into()
        };
        let kv = if self.redis_url.is_some() {
            "redis"
        } else {
            "in-process"
        };
        format!(
            "addr={} database={db_kind} session_store={kv} mail={} sms={} dev_outbox={} webhooks_allow_private={}",
            self.addr,
            self.mail_transport,
            self.sms_provider,
            self.dev_outbox,
            self.webhooks_allow_private
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::result_large_err)]
    use super::*;
    use figment::Jail;

    #[test]
    fn defaults_are_the_embedded_setup() {
        Jail::expect_with(|_| {
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.addr, "127.0.0.1:8080");
            assert_eq!(c.database_url(), "sqlite://./data/mezha.db");
            assert!(c.redis_url.is_none());
            assert!(!c.dev_outbox);
            Ok(())
        });
    }

    #[test]
    fn layers_file_then_env() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "m.toml",
                "addr = \"0.0.0.0:9000\"\nlog_level = \"debug\"\n[smtp]\nport = 2525\n",
            )?;
            jail.set_env("MEZHA_LOG_LEVEL", "warn");
            jail.set_env("MEZHA_DEV_OUTBOX", "1");
            jail.set_env("MEZHA_JWT__ACCESS_TTL_SECS", "600");
            jail.set_env("DATABASE_URL", "postgres://u:hunter2@db/mezha");
            jail.set_env("MEZHA_TEST_DATABASE_URL", "ignored");
            jail.set_env("MEZHA_TRUSTED_PROXIES", "10.0.0.2, ::1");
            let c = Config::load(Some(Path::new("m.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(c.addr, "0.0.0.0:9000");
            assert_eq!(c.log_level, "warn");
            assert!(c.dev_outbox);
            assert_eq!(c.jwt.access_ttl_secs, 600);
            assert_eq!(c.smtp.port, 2525);
            assert_eq!(
                c.trusted_proxies,
                vec![
                    "10.0.0.2".parse::<IpAddr>().unwrap(),
                    "::1".parse().unwrap()
                ]
            );
            assert_eq!(c.database_url(), "postgres://u:hunter2@db/mezha");
            let printed = format!("{c:?} {}", c.summary());
            assert!(!printed.contains("hunter2"), "secret leaked: {printed}");
            Ok(())
        });
    }

    #[test]
    fn webhooks_allow_private_is_off_unless_set() {
        Jail::expect_with(|jail| {
            assert!(
                !Config::load(None)
                    .map_err(|e| e.to_string())?
                    .webhooks_allow_private
            );
            jail.set_env("MEZHA_WEBHOOKS_ALLOW_PRIVATE", "true");
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert!(c.webhooks_allow_private);
            assert!(c.summary().contains("webhooks_allow_private=true"));
            Ok(())
        });
    }

    #[test]
    fn sro_feed_settings() {
        Jail::expect_with(|jail| {
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.sro_feed_url, None);
            assert_eq!(c.sro_import_interval, 86_400);
            jail.set_env("MEZHA_SRO_FEED_URL", "https://registry.example/sro.csv");
            jail.set_env("MEZHA_SRO_IMPORT_INTERVAL", "12h");
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(
                c.sro_feed_url.as_deref(),
                Some("https://registry.example/sro.csv")
            );
            assert_eq!(c.sro_import_interval, 12 * 3600);
            jail.set_env("MEZHA_SRO_IMPORT_INTERVAL", "3600");
            assert_eq!(
                Config::load(None)
                    .map_err(|e| e.to_string())?
                    .sro_import_interval,
                3600
            );
            jail.set_env("MEZHA_SRO_IMPORT_INTERVAL", "10");
            assert!(Config::load(None).is_err());
            jail.set_env("MEZHA_SRO_IMPORT_INTERVAL", "soon");
            assert!(Config::load(None).is_err());
            jail.set_env("MEZHA_SRO_IMPORT_INTERVAL", "1d");
            jail.set_env("MEZHA_SRO_FEED_URL", "ftp://registry.example/sro.csv");
            assert!(Config::load(None).is_err());
            Ok(())
        });
        assert_eq!(parse_duration_secs("90s"), Some(90));
        assert_eq!(parse_duration_secs("30m"), Some(1800));
        assert_eq!(parse_duration_secs("2d"), Some(172_800));
        assert_eq!(parse_duration_secs("h"), None);
    }

    #[test]
    fn rate_limits_are_configuration() {
        Jail::expect_with(|jail| {
            let c = Config::load(None).map_err(|e| e.to_string())?;
            let defaults = mezha_app::RateLimits::default();
            assert_eq!(c.rate_limits.limits().login_per_ip, defaults.login_per_ip);
            jail.create_file(
                "mezha.toml",
                "[rate_limits]\nlogin_per_ip = \"1000/10m\"\nemail_per_recipient = \"3/1d\"\n",
            )?;
            jail.set_env("MEZHA_CONFIG", "mezha.toml");
            jail.set_env("MEZHA_RATE_LIMITS__REGISTER_PER_IP", "7/30m");
            let limits = Config::load(None)
                .map_err(|e| e.to_string())?
                .rate_limits
                .limits();
            assert_eq!(limits.login_per_ip.max, 1000);
            assert_eq!(limits.login_per_ip.window.as_secs(), 600);
            assert_eq!(limits.email_per_recipient.max, 3);
            assert_eq!(limits.email_per_recipient.window.as_secs(), 86_400);
            assert_eq!(limits.register_per_ip.max, 7);
            assert_eq!(limits.register_per_ip.window.as_secs(), 1800);
            assert_eq!(limits.otp_request_per_phone, defaults.otp_request_per_phone);
            for bad in ["0/10m", "5/0", "5", "five/1h", "5/1w"] {
                jail.set_env("MEZHA_RATE_LIMITS__REGISTER_PER_IP", bad);
                let err = Config::load(None).unwrap_err().to_string();
                assert!(err.contains("max/window"), "{bad}: {err}");
            }
            jail.set_env("MEZHA_RATE_LIMITS__REGISTER_PER_IP", "7/30m");
            jail.set_env("MEZHA_RATE_LIMITS__LOGIN_PER_EMAIL", "7/30m");
            assert!(Config::load(None).is_err(), "unknown policies are refused");
            Ok(())
        });
    }

    #[test]
    fn refuses_unknown_keys_and_bad_values() {
        Jail::expect_with(|jail| {
            jail.set_env("MEZHA_ADRR", "127.0.0.1:1");
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("adrr"), "{err}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.set_env("MEZHA_ADDR", "localhost");
            assert!(Config::load(None).unwrap_err().to_string().contains("addr"));
            jail.set_env("MEZHA_ADDR", "127.0.0.1:1");
            jail.set_env("MEZHA_DEV_OUTBOX", "maybe");
            assert!(Config::load(None).is_err());
            jail.set_env("MEZHA_DEV_OUTBOX", "0");
            jail.set_env("MEZHA_MAIL_TRANSPORT", "smtp");
            assert!(
                Config::load(None)
                    .unwrap_err()
                    .to_string()
                    .contains("smtp.host")
            );
            Ok(())
        });
    }
}
