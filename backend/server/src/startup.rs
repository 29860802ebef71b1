//! Building the application from configuration, and running it.

use crate::config::Config;
use actix_web::{HttpServer, web};
use anyhow::Context;
use mezha_app::clock::{Clock, SystemClock};
use mezha_app::messaging::{Mailer, Outbox, SmsProvider, SmtpMailer, SmtpSettings};
use mezha_app::passwords::{HashCost, PasswordHasher};
use mezha_app::tokens::jwt::JwtKeys;
use mezha_app::tokens::keys;
use mezha_app::{App, Settings};
use mezha_http::{AppState, HttpSettings};
use mezha_store::{DatabaseConnection, Kv};
use secrecy::ExposeSecret;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Connects to the database and applies pending migrations (with
/// `migrate_on_start` off: checks that none is pending).
pub async fn database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!("creating the data directory {}", config.data_dir.display())
        })?;
    }
    let db = mezha_store::db::connect(&url, config.db_max_connections)
        .await
        .context("connecting to the database")?;
    if config.migrate_on_start {
        mezha_store::db::migrate(&db).await?;
    } else {
        // Migrated by a job of the deployment's: neither older nor newer.
        let unknown = mezha_store::db::unknown_migrations(&db).await?;
        if !unknown.is_empty() {
            return Err(mezha_store::db::MigrateError::NewerSchema(unknown).into());
        }
        let pending = mezha_store::db::pending_migrations(&db).await?;
        anyhow::ensure!(
            pending == 0,
            "the database has {pending} migration(s) to apply and migrate_on_start is off: \
             run `mezha migrate` (the deployment's migration job) first"
        );
    }
    Ok(db)
}

/// The key-value store: Redis when configured, else in-process.
pub async fn kv(config: &Config) -> anyhow::Result<Kv> {
    match &config.redis_url {
        Some(url) => {
            let kv = Kv::redis(url.expose_secret(), config.redis_prefix.clone())
                .await
                .context("connecting to Redis")?;
            kv.ping().await.context("Redis does not answer")?;
            Ok(kv)
        }
        None => Ok(Kv::memory()),
    }
}

/// The password hasher of the configured cost.
pub fn hasher(config: &Config) -> anyhow::Result<PasswordHasher> {
    let cores = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2);
    PasswordHasher::new(
        HashCost {
            memory_kib: config.password_hash.memory_kib,
            iterations: config.password_hash.iterations,
            parallelism: 1,
        },
        config.password_hash.max_concurrent.unwrap_or(cores),
    )
}

/// Assembles the shared state from configuration, with `clock` as the time source.
pub async fn state(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let db = database(config).await?;
    let kv = kv(config).await?;
    let pairs = keys::load_dir(&config.keys_dir(), config.jwt.generate_keys)
        .context("loading signing keys")?;
    let jwt = JwtKeys::new(&pairs, Duration::from_secs(config.jwt.access_ttl_secs))?;
    let outbox = Arc::new(Outbox::new(db.clone(), Arc::clone(&clock)));
    let mailer: Arc<dyn Mailer> = match config.mail_transport.as_str() {
        "smtp" => Arc::new(SmtpMailer::new(&SmtpSettings {
            host: config.smtp.host.clone(),
            port: config.smtp.port,
            security: config.smtp.security.clone(),
            username: config.smtp.username.clone(),
            password: config
                .smtp
                .password
                .as_ref()
                .map(|p| p.expose_secret().to_owned()),
            from: config.smtp.from.clone(),
        })?),
        _ => outbox.clone(),
    };
    let sms: Arc<dyn SmsProvider> = outbox;
    let settings = Settings {
        public_url: config.public_url(),
        session_ttl: Duration::from_secs(config.session_ttl_days * 24 * 3600),
        files_dir: config
            .storage
            .dir
            .clone()
            .unwrap_or_else(|| config.data_dir.join("files")),
        webhooks_allow_private: config.webhooks_allow_private,
        ocr_command: config.ocr_command.clone(),
        registry_cabinets: mezha_api_types::orders::RegistryCabinets {
            gku: config.registry_gku_url.clone(),
            grp: config.registry_grp_url.clone(),
        },
        limits: config.rate_limits.limits(),
        registry: config.registry_gateway()?,
        state_fee_kopecks: config.state_fee_kopecks,
        state_fee_payee: config.state_fee_payee.clone(),
        ..Settings::default()
    };
    let app = App::new(db, kv, jwt, hasher(config)?, mailer, sms, clock, settings);
    let mut state = AppState::new(app);
    if config.storage.backend == "s3" {
        state.storage = mezha_store::storage::Storage::s3(&config.storage.s3())?;
    }
    // A store that cannot be reached stops the start, not the first upload.
    state
        .storage
        .check()
        .await
        .with_context(|| format!("file storage: {}", state.storage.describe()))?;
    tracing::info!(storage = %state.storage.describe(), "file storage");
    state.http = HttpSettings {
        dev_outbox: config.dev_outbox,
        trusted_proxies: config.trusted_proxies.clone(),
    };
    // Live events reach every replica through Redis pub/sub when there is
    // Redis; the embedded default keeps them in-process.
    if let Some(url) = &config.redis_url {
        let bus = mezha_store::bus::Bus::redis(url.expose_secret(), &config.redis_prefix)
            .await
            .context("subscribing to the event bus on Redis")?;
        // Ended sessions are forgotten by every replica's guard.
        state.sessions.attach_bus(bus.clone());
        state.events = mezha_app::events::Hub::new(bus);
    }
    state.web = mezha_http::webapp::WebApp::load(&config.web_dir());
    if let Some(dir) = &config.trust_dir {
        let mut trust = mezha_signatures::TrustStore::new();
        let loaded = trust
            .load_dir(dir)
            .with_context(|| format!("MEZHA_TRUST_DIR {}", dir.display()))?;
        tracing::info!(
            dir = %dir.display(),
            anchors = loaded.anchors,
            intermediates = loaded.intermediates,
            crls = loaded.crls,
            "trust for signature validation"
        );
        state.trust = Arc::new(std::sync::RwLock::new(trust));
    }
    pki(config, &mut state).await?;
    match &state.web {
        Some(_) => tracing::info!(dir = %config.web_dir().display(), "serving the web app"),
        None => {
            tracing::warn!(dir = %config.web_dir().display(), "no built web app (make frontend); serving the API only")
        }
    }
    Ok(state)
}

/// The platform CA (configured or generated under `data_dir/pki`): its
/// root becomes a trust anchor and its issuing CA an intermediate of
/// `state.trust`, and a fresh CRL is published and installed there.
pub async fn pki(config: &Config, state: &mut AppState) -> anyhow::Result<()> {
    use mezha_app::pki::{Pki, PkiConfig};
    let pki = Pki::load_or_generate(
        &PkiConfig {
            root_cert: config.ca_root_cert.clone(),
            root_key: config.ca_root_key.clone(),
            issuing_cert: config.ca_issuing_cert.clone(),
            issuing_key: config.ca_issuing_key.clone(),
            dir: config.data_dir.join("pki"),
        },
        &state.settings.public_url,
        state.clock.now(),
    )
    .context("loading the platform CA")?;
    {
        let mut trust = state
            .trust
            .write()
            .map_err(|_| anyhow::anyhow!("trust store lock poisoned"))?;
        trust.add_trust_anchor(pki.root_der())?;
        trust.add_intermediate(pki.issuing_der())?;
    }
    tracing::info!(issuer = %pki.issuer_name(), crl = %pki.crl_url(), "platform CA");
    state.pki = Some(Arc::new(pki));
    mezha_app::certificates::certs::publish_crl(&state.certificates())
        .await
        .context("publishing the CRL")?;
    Ok(())
}

/// The longest a stopping replica waits for requests in flight, and then
/// for its workers' attempts under way (docs/deploy.md, "Stopping").
pub const SHUTDOWN_SECS: u64 = 20;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: actix_web::dev::Server,
    /// Cancelled to stop ([`mezha_app::App::stopping`]).
    stopping: tokio_util::sync::CancellationToken,
    /// The workers, to wait for when stopping.
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Builds the state from configuration and binds `config.addr`.
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let state = state(config, Arc::new(SystemClock)).await?;
        if let Some(url) = &config.sro_feed_url {
            tracing::info!(feed = %url, every_secs = config.sro_import_interval, "scheduled SRO registry import");
            actix_web::rt::spawn(mezha_app::sro::run_daily(
                state.db.clone(),
                url.clone(),
                Duration::from_secs(config.sro_import_interval),
            ));
        }
        actix_web::rt::spawn(mezha_app::certificates::reminders::run(
            state.db.clone(),
            Arc::clone(&state.clock),
            Duration::from_secs(config.cert_reminder_interval),
        ));
        actix_web::rt::spawn(mezha_app::orders::reminders::run(
            state.db.clone(),
            Arc::clone(&state.clock),
            Duration::from_secs(config.order_reminder_interval),
            mezha_domain::orders::reminders::Policy {
                after_days: config.reminder_after_days,
                repeats: config.reminder_repeats,
                deadline_notice_days: config.deadline_notice_days,
            },
        ));
        // Idempotency keys are answered for a day, then forgotten (hourly).
        actix_web::rt::spawn(mezha_app::idempotency::purge_periodically(
            state.db.clone(),
            Arc::clone(&state.clock),
            Duration::from_secs(3600),
        ));
        Self::serve(state, &config.addr, config.workers)
    }

    /// Binds `addr` (port 0 picks a free port) and prepares the server.
    pub fn serve(
        state: AppState,
        addr: &str,
        workers: Option<usize>,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(addr).with_context(|| format!("binding {addr}"))?;
        let port = listener.local_addr()?.port();
        // The notification worker delivers the outbox while the server runs
        // (every process runs one; they share the work through leases).
        let mut background = vec![tokio::spawn(
            mezha_app::notifications::worker::Worker::new(&state).run(),
        )];
        // Beside it, the webhook sender (leases too).
        background.push(tokio::spawn(
            mezha_app::webhooks::sender::Sender::new(&state)?.run(),
        ));
        // And the registry's queue and poller, when a gateway is configured.
        if let Some(worker) = mezha_app::deals::registry::Worker::new(&state)? {
            background.push(tokio::spawn(worker.run()));
        }
        let stopping = state.stopping.clone();
        let state = web::Data::new(state);
        let mut server = HttpServer::new(move || mezha_http::app(state.clone()))
            // Signals are ours (`run_until_signalled`): the live-event streams
            // and the workers are told before the server drains.
            .disable_signals()
            .shutdown_timeout(SHUTDOWN_SECS)
            // A client's EOF ends its connection at once: a live-event stream
            // whose page has gone is released then, not at the next heartbeat
            // (docs/events.md). Browsers never half-close a request.
            .h1_allow_half_closed(false)
            .listen(listener)
            .with_context(|| format!("listening on {addr}"))?;
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            stopping,
            workers: background,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped (a test drops it with its
    /// runtime).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Serves until SIGTERM or SIGINT, then stops gracefully
    /// (docs/deploy.md, "Stopping"): no new connection is accepted; the
    /// live-event streams end with a retry hint; the workers claim nothing
    /// more and give back the jobs they had not begun; requests in flight
    /// get up to [`SHUTDOWN_SECS`] to finish, and the workers' attempts
    /// under way as long again.
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let stopping = self.stopping.clone();
        tokio::spawn(async move {
            let signal = wait_for_signal().await;
            tracing::info!(
                signal,
                within_secs = SHUTDOWN_SECS,
                "stopping: finishing the requests in flight"
            );
            stopping.cancel();
            handle.stop(true).await;
        });
        let served = self.server.await;
        let workers = futures_util::future::join_all(self.workers);
        if tokio::time::timeout(Duration::from_secs(SHUTDOWN_SECS), workers)
            .await
            .is_err()
        {
            tracing::warn!("stopped with worker attempts still under way (their leases run out)");
        }
        tracing::info!("stopped");
        served
    }
}

/// The first of SIGTERM and SIGINT, by name.
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        },
        _ => {
            // No handler could be installed: only Ctrl-C is known.
            let _ = tokio::signal::ctrl_c().await;
            "SIGINT"
        }
    }
}
