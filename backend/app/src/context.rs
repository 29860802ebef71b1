//! What the use cases run on: the database, the key-value store and the
//! stores built on it, the clock, the token keys, the password hasher,
//! mail and SMS, the event hub and the platform CA.
//!
//! [`App`] holds them all: it is the composition root, built once by the
//! server (or a test) and shared by every request and worker. A use case
//! never takes it whole: it takes the narrow set of its feature
//! ([`Core`], [`Accounts`], [`Logins`], [`Live`], [`Certificates`],
//! [`CertLogin`], [`Tickets`]), which `App` hands out (`app.accounts()`…)
//! by cloning handles, so a signature says what a use case can touch and a
//! feature can be wired (or tested) without the rest
//! (docs/adr/0003-application-layer.md). Every set dereferences to
//! [`Core`], so a use case that needs only records and time can be called
//! from any of them.

use crate::clock::Clock;
use crate::messaging::{Mailer, SmsProvider};
use crate::passwords::PasswordHasher;
use crate::tokens::jwt::JwtKeys;
use mezha_domain::otp::OtpPolicy;
use mezha_domain::rate_limit::RateLimit;
use mezha_store::counters::Unread;
use mezha_store::limits::RateLimiter;
use mezha_store::otp::OtpStore;
use mezha_store::sessions::SessionStore;
use mezha_store::storage::Storage;
use mezha_store::{DatabaseConnection, Kv};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Rate-limit policies (fixed windows).
#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Registrations per client IP.
    pub register_per_ip: RateLimit,
    /// Password logins per client IP.
    pub login_per_ip: RateLimit,
    /// Failed password logins per e-mail address and client IP: beyond it
    /// that pair is refused (the owner elsewhere is not).
    pub login_failures_per_pair: RateLimit,
    /// Failed password logins per e-mail address from anywhere: beyond
    /// `max`, each login of that address waits a growing pause
    /// ([`mezha_domain::rate_limit::login_pause`]), never refused.
    pub login_slowdown: RateLimit,
    /// SMS-code requests per phone number.
    pub otp_request_per_phone: RateLimit,
    /// SMS-code requests per client IP.
    pub otp_request_per_ip: RateLimit,
    /// SMS-code checks per client IP.
    pub otp_verify_per_ip: RateLimit,
    /// Password-reset and confirmation e-mails per client IP.
    pub email_per_ip: RateLimit,
    /// Link and notice e-mails per recipient address: beyond it they are
    /// not sent (the answer does not change).
    pub email_per_recipient: RateLimit,
}

impl Default for RateLimits {
    fn default() -> Self {
        let per = |max, secs| RateLimit {
            max,
            window: Duration::from_secs(secs),
        };
        // Per client address generous (an office behind one NAT address),
        // per account, phone or recipient strict (docs/accounts.md).
        RateLimits {
            register_per_ip: per(100, 3600),
            login_per_ip: per(300, 600),
            login_failures_per_pair: per(10, 600),
            login_slowdown: per(5, 900),
            otp_request_per_phone: per(5, 3600),
            otp_request_per_ip: per(100, 3600),
            otp_verify_per_ip: per(300, 3600),
            email_per_ip: per(100, 3600),
            email_per_recipient: per(5, 3600),
        }
    }
}

/// Tunables of the use cases.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Public base URL of the web app, for links in e-mails.
    pub public_url: String,
    /// Idle lifetime of a session (refresh tokens).
    pub session_ttl: Duration,
    /// How long the refresh token just replaced is answered with
    /// `refresh_token_superseded` instead of revoking the session (two tabs
    /// refreshing with one cookie at the same moment).
    pub refresh_grace: Duration,
    /// Lifetime of an e-mail confirmation link.
    pub confirm_ttl: Duration,
    /// Lifetime of a password-reset link.
    pub reset_ttl: Duration,
    /// SMS-code rules.
    pub otp: OtpPolicy,
    /// Rate limits.
    pub limits: RateLimits,
    /// The local directory stored files are kept in when no other storage
    /// is set ([`App::storage`]).
    pub files_dir: std::path::PathBuf,
    /// Largest file sent in an order chat (bytes).
    pub chat_file_max_bytes: u64,
    /// How often the notification worker looks for work.
    pub notify_poll: Duration,
    /// How long a worker holds the events and deliveries it claimed.
    pub notify_lease: Duration,
    /// Pause between heartbeats (comment lines) on a live-event stream.
    pub events_heartbeat: Duration,
    /// Live-event streams one user may hold open in one process.
    pub events_max_streams: usize,
    /// Lifetime of a ticket of `POST /events/ticket`.
    pub events_ticket_ttl: Duration,
    /// Let webhooks reach loopback, private and other internal addresses
    /// (development and tests only; `MEZHA_WEBHOOKS_ALLOW_PRIVATE`).
    pub webhooks_allow_private: bool,
    /// The external registration cabinets shown to engineers.
    pub registry_cabinets: mezha_api_types::orders::RegistryCabinets,
    /// The Tesseract program that reads passport scans (`MEZHA_OCR_COMMAND`).
    pub ocr_command: String,
    /// The state registry's gateway deals are sent to (docs/deals.md,
    /// "Sending"); none: sent deals wait for one.
    pub registry: Option<RegistryGateway>,
    /// The state fee of a deal's registration, in kopecks.
    pub state_fee_kopecks: i64,
    /// The payee's code the fee's UINs begin with (`321`: Rosreestr's
    /// administrator code, a 20-digit UIN; an 8-digit УРН: 25 digits).
    pub state_fee_payee: String,
}

/// Where and how the registry's gateway is reached
/// (docs/registry-gateway.md).
#[derive(Debug, Clone)]
pub struct RegistryGateway {
    /// Its base URL (`…/v1/packages` below it).
    pub url: String,
    /// The bearer token it wants, if any.
    pub token: Option<String>,
    /// The secret its callbacks are signed with (HMAC-SHA256).
    pub callback_secret: String,
    /// Where it posts callbacks (`…/api/v1/registry/callbacks`); none: only
    /// polling.
    pub callback_url: Option<String>,
    /// How often packages at the registry are polled (the callbacks'
    /// fallback).
    pub poll: Duration,
    /// How often the queue of submissions and fee notices is looked at.
    pub jobs_poll: Duration,
    /// The longest wait for one request to it.
    pub timeout: Duration,
}

/// Rosreestr's personal cabinet, where both registrations are filed.
pub const ROSREESTR_CABINET: &str = "https://lk.rosreestr.ru/";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: "http://127.0.0.1:8080".into(),
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_grace: Duration::from_secs(10),
            confirm_ttl: Duration::from_secs(48 * 3600),
            reset_ttl: Duration::from_secs(3600),
            otp: OtpPolicy::default(),
            limits: RateLimits::default(),
            files_dir: std::path::PathBuf::from("./data/files"),
            chat_file_max_bytes: mezha_api_types::chat::FILE_MAX_BYTES,
            notify_poll: Duration::from_secs(1),
            notify_lease: Duration::from_secs(120),
            events_heartbeat: Duration::from_secs(15),
            events_max_streams: 5,
            events_ticket_ttl: Duration::from_secs(60),
            webhooks_allow_private: false,
            registry_cabinets: mezha_api_types::orders::RegistryCabinets {
                gku: ROSREESTR_CABINET.into(),
                grp: ROSREESTR_CABINET.into(),
            },
            ocr_command: "tesseract".into(),
            registry: None,
            state_fee_kopecks: 200_000,
            state_fee_payee: "321".into(),
        }
    }
}

/// Records, time and the tunables: what every use case needs, and all that
/// most of them need (orders, engineers, employers, files, webhooks, the
/// SRO registry, reference data, certificate applications).
#[derive(Clone)]
pub struct Core {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// The bytes of stored files ([`crate::files`]).
    pub storage: Storage,
}

/// A feature's dependency set: [`Core`] and what only that feature uses.
macro_rules! feature {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name {
            core: Core,
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl std::ops::Deref for $name {
            type Target = Core;
            fn deref(&self) -> &Core {
                &self.core
            }
        }
    };
}

feature! {
    /// Accounts: registration, confirmation and reset links, the profile,
    /// staff accounts and blocking ([`crate::accounts`]).
    Accounts {
        hasher: PasswordHasher,
        /// Confirmation and reset links go out at once, not through the
        /// outbox: the person is waiting for them.
        mailer: Arc<dyn Mailer>,
        /// Sessions, ended when a password is reset or an account blocked.
        sessions: SessionStore,
        limiter: RateLimiter,
        /// Codes confirming a phone number.
        otp: OtpStore,
        sms: Arc<dyn SmsProvider>,
    }
}

feature! {
    /// Logins and sessions: passwords, SMS codes, refresh rotation, the
    /// acting role ([`crate::sessions`]).
    Logins {
        hasher: PasswordHasher,
        jwt: Arc<JwtKeys>,
        sessions: SessionStore,
        otp: OtpStore,
        sms: Arc<dyn SmsProvider>,
        limiter: RateLimiter,
        /// Second-factor tickets ([`crate::second_factor`]).
        kv: Kv,
    }
}

feature! {
    /// What reaches a user while he looks: notifications and the order chat
    /// with their unread counters and live events ([`crate::notifications`],
    /// [`crate::chat`]).
    Live {
        events: crate::events::Hub,
        unread: Unread,
        /// Ends the live-event streams when the process stops.
        stopping: CancellationToken,
    }
}

feature! {
    /// The platform CA and the validation of signatures: issuing with an SMS
    /// code, certificates, revocation, CRLs ([`crate::certificates`]).
    Certificates {
        /// What signatures are validated against ([`App::trust`]).
        trust: Arc<std::sync::RwLock<mezha_signatures::TrustStore>>,
        /// The platform CRL installed in `trust` ([`App::crl_installed`]).
        crl_installed: Arc<std::sync::atomic::AtomicI64>,
        pki: Option<Arc<crate::pki::Pki>>,
        otp: OtpStore,
        sms: Arc<dyn SmsProvider>,
    }
}

feature! {
    /// Login by a signed nonce: the nonces, signature validation and a new
    /// session ([`crate::cert_login`]).
    CertLogin {
        kv: Kv,
        logins: Logins,
        certificates: Certificates,
    }
}

feature! {
    /// Tickets of the live-event stream and whether a stream's session is
    /// still alive ([`crate::events::tickets`]).
    Tickets {
        kv: Kv,
        sessions: SessionStore,
    }
}

/// The composition root: every dependency of the use cases, wired once.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub kv: Kv,
    pub sessions: SessionStore,
    pub otp: OtpStore,
    pub limiter: RateLimiter,
    /// Unread counters (notifications, chat), in `kv`.
    pub unread: Unread,
    /// Live events: the bus (Redis pub/sub, or in-process) and the open
    /// streams. In-process until the server installs the Redis bus.
    pub events: crate::events::Hub,
    pub jwt: Arc<JwtKeys>,
    pub hasher: PasswordHasher,
    pub mailer: Arc<dyn Mailer>,
    pub sms: Arc<dyn SmsProvider>,
    pub clock: Arc<dyn Clock>,
    /// Shared by every feature set; a test changes it before serving
    /// ([`App::settings_mut`]).
    pub settings: Arc<Settings>,
    /// What signatures are validated against: trust anchors, intermediates
    /// and CRLs (the platform CA's, and those of `MEZHA_TRUST_DIR`).
    /// Written when a CRL is regenerated; read by every validation.
    pub trust: Arc<std::sync::RwLock<mezha_signatures::TrustStore>>,
    /// The number of the platform CRL installed in `trust` (0: none). Another
    /// instance may publish a newer one; validations install it first.
    pub crl_installed: Arc<std::sync::atomic::AtomicI64>,
    /// The platform CA (root + issuing CA) that signs owners' certificates
    /// and the CRL; set at start ([`crate::pki`]).
    pub pki: Option<Arc<crate::pki::Pki>>,
    /// What the job queues' workers did in this process ([`crate::jobs`]).
    pub job_metrics: crate::jobs::JobMetrics,
    /// The bytes of stored files: `settings.files_dir` until the server
    /// installs another store (docs/storage.md).
    pub storage: Storage,
    /// Cancelled when the process is asked to stop (SIGTERM, SIGINT): the
    /// live-event streams end with a retry hint and the workers claim
    /// nothing more (docs/deploy.md, "Stopping").
    pub stopping: CancellationToken,
}

impl App {
    /// Assembles the state; the stores are built on `kv`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: DatabaseConnection,
        kv: Kv,
        jwt: JwtKeys,
        hasher: PasswordHasher,
        mailer: Arc<dyn Mailer>,
        sms: Arc<dyn SmsProvider>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Self {
        let otp_keep = settings.otp.ttl.max(settings.otp.resend_after) + Duration::from_secs(3600);
        App {
            sessions: SessionStore::new(kv.clone(), settings.session_ttl),
            otp: OtpStore::new(kv.clone(), otp_keep),
            limiter: RateLimiter::new(kv.clone()),
            unread: Unread::new(kv.clone()),
            events: crate::events::Hub::new(mezha_store::bus::Bus::memory()),
            storage: Storage::local(settings.files_dir.clone()),
            stopping: CancellationToken::new(),
            db,
            kv,
            jwt: Arc::new(jwt),
            hasher,
            mailer,
            sms,
            clock,
            settings: Arc::new(settings),
            trust: Arc::default(),
            crl_installed: Arc::default(),
            pki: None,
            job_metrics: crate::jobs::JobMetrics::default(),
        }
    }
}

impl App {
    /// The tunables, to change while wiring (before anything shares them).
    pub fn settings_mut(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.settings)
    }

    /// Records, time and the tunables.
    pub fn core(&self) -> Core {
        Core {
            db: self.db.clone(),
            clock: Arc::clone(&self.clock),
            settings: Arc::clone(&self.settings),
            storage: self.storage.clone(),
        }
    }

    /// The account use cases' set.
    pub fn accounts(&self) -> Accounts {
        Accounts {
            core: self.core(),
            hasher: self.hasher.clone(),
            mailer: Arc::clone(&self.mailer),
            sessions: self.sessions.clone(),
            limiter: self.limiter.clone(),
            otp: self.otp.clone(),
            sms: Arc::clone(&self.sms),
        }
    }

    /// The login and session use cases' set.
    pub fn logins(&self) -> Logins {
        Logins {
            core: self.core(),
            hasher: self.hasher.clone(),
            jwt: Arc::clone(&self.jwt),
            sessions: self.sessions.clone(),
            otp: self.otp.clone(),
            sms: Arc::clone(&self.sms),
            limiter: self.limiter.clone(),
            kv: self.kv.clone(),
        }
    }

    /// The notification and chat use cases' set.
    pub fn live(&self) -> Live {
        Live {
            core: self.core(),
            events: self.events.clone(),
            unread: self.unread.clone(),
            stopping: self.stopping.clone(),
        }
    }

    /// The certificate use cases' set.
    pub fn certificates(&self) -> Certificates {
        Certificates {
            core: self.core(),
            trust: Arc::clone(&self.trust),
            crl_installed: Arc::clone(&self.crl_installed),
            pki: self.pki.clone(),
            otp: self.otp.clone(),
            sms: Arc::clone(&self.sms),
        }
    }

    /// The certificate login's set.
    pub fn cert_login(&self) -> CertLogin {
        CertLogin {
            core: self.core(),
            kv: self.kv.clone(),
            logins: self.logins(),
            certificates: self.certificates(),
        }
    }

    /// The live-event tickets' set.
    pub fn tickets(&self) -> Tickets {
        Tickets {
            core: self.core(),
            kv: self.kv.clone(),
            sessions: self.sessions.clone(),
        }
    }
}
