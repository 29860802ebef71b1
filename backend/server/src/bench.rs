//! `mezha bench` (`make bench`): figures for the costly parts of a login.
//! It prints measurements; it asserts nothing.

use crate::config::Config;
use crate::startup;
use mezha_domain::Role;
use mezha_http::auth::jwt::JwtKeys;
use mezha_http::auth::keys::KeyPair;
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

/// Runs every measurement and prints one line each.
pub async fn run(config: &Config) -> anyhow::Result<()> {
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
