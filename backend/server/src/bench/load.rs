//! Load generators: `oha` (a real HTTP load generator, run as a child
//! process) for the endpoint, and a built-in closed loop — `clients` tasks,
//! each sending its next request as soon as the previous one is answered —
//! for the raw SQL and, when `oha` is missing, for HTTP too.

use anyhow::Context;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Throughput and latency of one load phase.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Completed requests in the measured window.
    pub requests: u64,
    /// Failed requests (transport errors, non-200 answers, query errors).
    pub errors: u64,
    pub per_sec: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// The first error seen, for the report.
    pub first_error: Option<String>,
    /// Mean size of an HTTP answer's body as sent (compressed or not).
    pub body_bytes: Option<f64>,
}

/// The `q`-quantile (0..=1) of sorted latencies, nearest rank.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// What a built-in closed loop sends.
pub enum Target {
    /// These statements, in turn, on a pool of `clients` connections to `url`.
    Sql {
        url: String,
        statements: Vec<Statement>,
    },
    /// GET these URLs, in turn, with these headers, over keep-alive connections.
    Http {
        urls: Vec<String>,
        headers: Vec<(String, String)>,
    },
}

enum Open {
    Sql(DatabaseConnection, Vec<Statement>),
    Http(reqwest::Client, Vec<String>),
}

impl Target {
    async fn open(self, clients: usize) -> anyhow::Result<Open> {
        match self {
            Target::Sql { url, statements } => {
                let size = u32::try_from(clients).unwrap_or(u32::MAX);
                let mut options = ConnectOptions::new(url);
                options
                    .max_connections(size)
                    .min_connections(size)
                    .connect_timeout(Duration::from_secs(10))
                    .acquire_timeout(Duration::from_secs(30))
                    .sqlx_logging(false);
                let db = Database::connect(options)
                    .await
                    .context("connecting the raw SQL pool")?;
                Ok(Open::Sql(db, statements))
            }
            Target::Http { urls, headers } => {
                let mut map = reqwest::header::HeaderMap::new();
                for (name, value) in headers {
                    map.insert(
                        reqwest::header::HeaderName::from_bytes(name.as_bytes())?,
                        reqwest::header::HeaderValue::from_str(&value)?,
                    );
                }
                let client = reqwest::Client::builder()
                    .default_headers(map)
                    .pool_max_idle_per_host(clients)
                    .tcp_nodelay(true)
                    .build()?;
                Ok(Open::Http(client, urls))
            }
        }
    }
}

impl Open {
    /// One request; the size of the answer's body (0 for SQL).
    async fn hit(&self, i: usize) -> anyhow::Result<u64> {
        match self {
            Open::Sql(db, statements) => {
                let stmt = statements[i % statements.len()].clone();
                let rows = db.query_all_raw(stmt).await?;
                std::hint::black_box(rows.len());
                Ok(0)
            }
            Open::Http(client, urls) => {
                let response = client.get(&urls[i % urls.len()]).send().await?;
                let status = response.status();
                let body = response.bytes().await?;
                anyhow::ensure!(status.is_success(), "HTTP {status}");
                Ok(body.len() as u64)
            }
        }
    }

    async fn close(self) {
        if let Open::Sql(db, _) = self {
            db.close().await.ok();
        }
    }
}

/// Runs `clients` closed loops over `target` on a runtime of its own (so
/// that the caller's runtime, which also drives the server's connections,
/// is not the bottleneck): `warmup`, then `measure`, counting requests that
/// start and end inside the measured window. `marks` gets a message when
/// the window opens and one when it closes.
pub async fn closed_loop(
    target: Target,
    clients: usize,
    warmup: Duration,
    measure: Duration,
    marks: tokio::sync::mpsc::Sender<()>,
) -> anyhow::Result<Figures> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("bench-load".into())
        .spawn(move || {
            let result = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .context("building the load runtime")
                .and_then(|runtime| {
                    runtime.block_on(drive(target, clients, warmup, measure, marks))
                });
            tx.send(result).ok();
        })?;
    rx.await.context("the load thread died")?
}

async fn drive(
    target: Target,
    clients: usize,
    warmup: Duration,
    measure: Duration,
    marks: tokio::sync::mpsc::Sender<()>,
) -> anyhow::Result<Figures> {
    let open = Arc::new(target.open(clients).await?);
    let from = Instant::now() + warmup;
    let until = from + measure;
    tokio::spawn(async move {
        tokio::time::sleep_until(from.into()).await;
        marks.send(()).await.ok();
        tokio::time::sleep_until(until.into()).await;
        marks.send(()).await.ok();
    });
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let open = Arc::clone(&open);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(16_384);
            let mut errors = 0u64;
            let mut bytes = 0u64;
            let mut first_error = None;
            // Each client walks the queries in turn, starting at its own.
            let mut i = client;
            loop {
                let started = Instant::now();
                if started >= until {
                    break;
                }
                let outcome = open.hit(i).await;
                let ended = Instant::now();
                i += 1;
                if started < from || ended > until {
                    continue;
                }
                match outcome {
                    Ok(size) => {
                        latencies.push(ended - started);
                        bytes += size;
                    }
                    Err(err) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| format!("{err:#}"));
                    }
                }
            }
            (latencies, errors, bytes, first_error)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut bytes = 0;
    let mut first_error = None;
    for task in tasks {
        let (mut l, e, b, f) = task.await?;
        latencies.append(&mut l);
        errors += e;
        bytes += b;
        first_error = first_error.or(f);
    }
    if let Ok(open) = Arc::try_unwrap(open) {
        open.close().await;
    }
    latencies.sort_unstable();
    Ok(Figures {
        requests: latencies.len() as u64 + errors,
        errors,
        per_sec: latencies.len() as f64 / measure.as_secs_f64(),
        p50: quantile(&latencies, 0.50),
        p99: quantile(&latencies, 0.99),
        first_error,
        body_bytes: (bytes > 0).then(|| bytes as f64 / latencies.len().max(1) as f64),
    })
}

/// `oha` on `PATH` (or in `$CARGO_HOME/bin`), with its version line.
pub fn find_oha() -> Option<(PathBuf, String)> {
    let mut candidates = vec![PathBuf::from("oha")];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        candidates.push(home.join("bin").join("oha"));
    }
    candidates.into_iter().find_map(|bin| {
        let out = std::process::Command::new(&bin)
            .arg("--version")
            .output()
            .ok()?;
        out.status.success().then(|| {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            (bin, version)
        })
    })
}

/// Runs `oha` against the URLs listed in `urls_file` (picked at random per
/// request) with `clients` keep-alive connections for `seconds`, and reads
/// its JSON summary.
pub async fn oha(
    bin: &Path,
    urls_file: &Path,
    clients: usize,
    seconds: u64,
    headers: &[(String, String)],
) -> anyhow::Result<Figures> {
    let mut command = std::process::Command::new(bin);
    command
        .arg("--no-tui")
        .args(["--output-format", "json"])
        .args(["-c", &clients.to_string()])
        .args(["-z", &format!("{seconds}s")])
        // Requests in flight at the deadline finish and count, rather than
        // being cut off and reported as errors.
        .arg("--wait-ongoing-requests-after-deadline")
        .arg("--urls-from-file")
        .arg(urls_file);
    for (name, value) in headers {
        command.args(["-H", &format!("{name}: {value}")]);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await?
        .context("running oha")?;
    anyhow::ensure!(
        output.status.success(),
        "oha failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("reading oha's JSON output")?;
    let seconds_at = |pointer: &str| {
        json.pointer(pointer)
            .and_then(serde_json::Value::as_f64)
            .map(Duration::from_secs_f64)
            .unwrap_or_default()
    };
    let mut ok = 0u64;
    let mut failed = 0u64;
    let mut first_error = None;
    if let Some(codes) = json
        .get("statusCodeDistribution")
        .and_then(|v| v.as_object())
    {
        for (code, n) in codes {
            let n = n.as_u64().unwrap_or(0);
            if code == "200" {
                ok += n;
            } else {
                failed += n;
                first_error.get_or_insert_with(|| format!("HTTP {code} ×{n}"));
            }
        }
    }
    if let Some(errors) = json.get("errorDistribution").and_then(|v| v.as_object()) {
        for (error, n) in errors {
            failed += n.as_u64().unwrap_or(0);
            first_error.get_or_insert_with(|| format!("{error} ×{n}"));
        }
    }
    let total = json
        .pointer("/summary/total")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(seconds as f64);
    Ok(Figures {
        requests: ok + failed,
        errors: failed,
        // Successful answers only, so that errors never count as throughput.
        per_sec: ok as f64 / total.max(f64::EPSILON),
        p50: seconds_at("/latencyPercentiles/p50"),
        p99: seconds_at("/latencyPercentiles/p99"),
        first_error,
        body_bytes: json
            .pointer("/summary/sizePerRequest")
            .and_then(serde_json::Value::as_f64),
    })
}
