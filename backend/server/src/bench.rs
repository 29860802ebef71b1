//! `mezha bench` (`make bench`): figures for the costly parts of a login
//! ([`run_login`]) and for the engineers' order search under concurrent
//! load, next to the same SQL run directly against PostgreSQL
//! ([`search::run`]). It prints measurements and whether the goals are met;
//! it asserts nothing (docs/benchmarks.md).

mod cpu;
mod load;
mod search;
mod seed;

use crate::config::Config;
use crate::startup;
use mezha_app::tokens::jwt::JwtKeys;
use mezha_app::tokens::keys::KeyPair;
use mezha_domain::Role;
use std::time::{Duration, Instant};
use uuid::Uuid;

fn per_op(total: Duration, n: u32) -> String {
    let micros = total.as_secs_f64() * 1e6 / f64::from(n);
    if micros < 1000.0 {
        format!("{micros:.1} µs/op")
    } else {
        format!("{:.3} ms/op", micros / 1000.0)
    }
}

/// Which parts of the benchmark to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// Every part.
    All,
    /// Password hashing, token signing, the session store.
    Login,
    /// The order search over HTTP and as raw SQL (needs PostgreSQL).
    Search,
}

/// Which HTTP load generator drives the search endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generator {
    /// `oha` when it is on `PATH`, else the built-in one.
    Auto,
    /// `oha` (`cargo install oha`); fails when missing.
    Oha,
    /// The built-in generator (keep-alive connections, one task per client).
    Builtin,
}

/// Options of `mezha bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchOptions {
    /// Which part to run.
    #[arg(long, value_enum, default_value_t = Part::All)]
    pub only: Part,
    /// Orders to seed for the search benchmark.
    #[arg(long, default_value_t = 200_000)]
    pub orders: u32,
    /// Concurrent clients: HTTP connections, and database tasks for the raw SQL.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Seconds each measured load phase runs (after a short warm-up).
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// HTTP load generator.
    #[arg(long, value_enum, default_value_t = Generator::Auto)]
    pub load_generator: Generator,
    /// `Accept-Encoding` of the search requests (a browser's by default;
    /// `identity` for uncompressed answers).
    #[arg(long, default_value = BROWSER_ACCEPT_ENCODING)]
    pub accept_encoding: String,
    /// Database connections of the server under test. By default as many
    /// as the raw SQL side has (`--clients`): both sides may keep the same
    /// number of queries in flight.
    #[arg(long)]
    pub server_pool: Option<u32>,
}

/// What a browser running the web app sends.
pub const BROWSER_ACCEPT_ENCODING: &str = "gzip, deflate, br";

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            only: Part::All,
            orders: 200_000,
            clients: 32,
            seconds: 20,
            load_generator: Generator::Auto,
            accept_encoding: BROWSER_ACCEPT_ENCODING.into(),
            server_pool: None,
        }
    }
}

/// Runs the parts `options` asks for.
pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    if matches!(options.only, Part::All | Part::Login) {
        run_login(config).await?;
    }
    if matches!(options.only, Part::All | Part::Search) {
        if options.only == Part::All {
            println!();
        }
        search::run(config, options).await?;
    }
    Ok(())
}

/// The login path's costs, one line each.
pub async fn run_login(config: &Config) -> anyhow::Result<()> {
    let hasher = startup::hasher(config)?;
    let n = 10;
    let started = Instant::now();
    let mut hash = String::new();
    for _ in 0..n {
        hash = hasher.hash("correct horse battery staple".into()).await?;
    }
    println!(
        "argon2id hash (m={} KiB, t={}): {}",
        config.password_hash.memory_kib,
        config.password_hash.iterations,
        per_op(started.elapsed(), n)
    );

    let concurrent = 16;
    let started = Instant::now();
    let jobs: Vec<_> = (0..concurrent)
        .map(|_| {
            let hasher = hasher.clone();
            let hash = hash.clone();
            tokio::spawn(async move {
                hasher
                    .verify("correct horse battery staple".into(), Some(hash))
                    .await
            })
        })
        .collect();
    for job in jobs {
        job.await??;
    }
    let elapsed = started.elapsed();
    println!(
        "argon2id verify, {concurrent} concurrent: {:.1} logins/s ({})",
        f64::from(concurrent) / elapsed.as_secs_f64(),
        per_op(elapsed, concurrent)
    );

    let jwt = JwtKeys::new(&[KeyPair::generate()?], Duration::from_secs(900))?;
    let now = chrono::Utc::now();
    let n = 5_000;
    let started = Instant::now();
    let mut token = String::new();
    for _ in 0..n {
        token = jwt.issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)?;
    }
    println!(
        "access token sign (EdDSA): {}",
        per_op(started.elapsed(), n)
    );
    let started = Instant::now();
    for _ in 0..n {
        jwt.verify(&token, now)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    println!(
        "access token verify (EdDSA): {}",
        per_op(started.elapsed(), n)
    );

    let kv = startup::kv(config).await?;
    let n = 2_000;
    let started = Instant::now();
    for i in 0..n {
        let key = format!("bench:{i}");
        kv.set(&key, "value", Duration::from_secs(60)).await?;
        kv.get(&key).await?;
        kv.del(&key).await?;
    }
    println!(
        "session store ({}) set+get+del: {}",
        kv.kind(),
        per_op(started.elapsed(), n)
    );
    Ok(())
}
