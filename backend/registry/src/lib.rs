//! The registry gateway (Rosreestr): its protocol, and a stand-in registry
//! that speaks it for development and tests (docs/registry-gateway.md).
//!
//! [`protocol`] is always compiled and has no web framework or async
//! runtime in it: the platform's client depends on this crate with
//! `default-features = false` and gets the wire types and the callback HMAC.
//! The default `server` feature adds the stand-in: [`start`] serves it on a
//! listener (tests bind `127.0.0.1:0` and run it in-process), and the
//! `mezha-registry` binary runs it from the command line.
//!
//! The stand-in keeps everything in memory. It takes packages in (one per
//! idempotency key), checks them after `accept_after` (statements present,
//! hashes, CMS signatures with `mezha-signatures`), awaits the state fee and
//! then moves them through the registration on a schedule, calling back on
//! every status change. The control API plans outcomes, injects faults,
//! counts requests and runs the schedule on demand.
//!
//! | module | what it holds |
//! |---|---|
//! | [`protocol`] | wire types, the manifest, `sign_callback` / `verify_callback` |
//! | `config` | [`Config`], durations on the command line (server) |
//! | `schedule` | which step follows which, and what each does (server; pure) |
//! | `package` | reading a package ZIP, the checks (server) |
//! | `registry` | the in-memory state, the schedule runner, callback delivery (server) |
//! | `http` | routes, the fault injector, the token, problem+json (server) |

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod protocol;

#[cfg(feature = "server")]
mod config;
#[cfg(feature = "server")]
mod http;
#[cfg(feature = "server")]
mod package;
#[cfg(feature = "server")]
mod registry;
#[cfg(feature = "server")]
mod schedule;

#[cfg(feature = "server")]
pub use config::{Config, parse_duration};
#[cfg(feature = "server")]
pub use server::{Running, start};

#[cfg(feature = "server")]
mod server {
    use crate::config::Config;
    use crate::registry::{self, Registry};
    use actix_web::dev::ServerHandle;
    use actix_web::{App, HttpServer, web};
    use anyhow::Context;
    use mezha_signatures::TrustStore;
    use std::net::{SocketAddr, TcpListener};
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::task::JoinHandle;

    /// How often the scheduled steps that fell due are run.
    const TICK: Duration = Duration::from_millis(100);

    /// A running stand-in: where it listens, and how to stop it.
    #[derive(Debug)]
    pub struct Running {
        addr: SocketAddr,
        handle: ServerHandle,
        server: JoinHandle<std::io::Result<()>>,
        ticker: JoinHandle<()>,
    }

    impl Running {
        /// The address it listens on.
        pub fn addr(&self) -> SocketAddr {
            self.addr
        }

        /// Its base URL, `http://<addr>`.
        pub fn url(&self) -> String {
            format!("http://{}", self.addr)
        }

        /// Stops it: no new connections, in-flight requests finish.
        pub async fn stop(self) {
            self.handle.stop(true).await;
            self.ticker.abort();
            // The server's own result says nothing more than that it stopped.
            let _ = self.server.await;
        }

        /// Serves until the process gets SIGINT or SIGTERM.
        pub async fn wait(self) -> anyhow::Result<()> {
            let result = self.server.await;
            self.ticker.abort();
            result
                .context("the server task failed")?
                .context("the server failed")
        }
    }

    /// Serves the stand-in on `listener` (bound already; port 0 is fine) and
    /// runs its schedule, both on the current tokio runtime.
    ///
    /// Fails when the trust directory does not load or the listener cannot
    /// be used.
    pub async fn start(config: Config, listener: TcpListener) -> anyhow::Result<Running> {
        let mut trust = TrustStore::new();
        if let Some(dir) = &config.trust_dir {
            let summary = trust
                .load_dir(dir)
                .with_context(|| format!("loading the trust directory {}", dir.display()))?;
            tracing::info!(
                anchors = summary.anchors,
                intermediates = summary.intermediates,
                crls = summary.crls,
                "trust store loaded"
            );
        }
        let addr = listener.local_addr().context("the listener's address")?;
        let workers = config.workers.max(1);
        let registry = Arc::new(Registry::new(
            config,
            trust,
            tokio::runtime::Handle::current(),
        )?);
        let data = web::Data::from(Arc::clone(&registry));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(crate::http::configure)
        })
        .workers(workers)
        .on_connect(crate::http::remember_connection)
        .listen(listener)
        .with_context(|| format!("listening on {addr}"))?
        .run();
        let handle = server.handle();
        Ok(Running {
            addr,
            handle,
            server: tokio::spawn(server),
            ticker: tokio::spawn(registry::tick(registry, TICK)),
        })
    }
}
