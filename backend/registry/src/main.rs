//! `mezha-registry`: the stand-in registry gateway for development
//! (docs/registry-gateway.md, "Running the stand-in").

use clap::Parser;
use mezha_registry::{Config, parse_duration, start};
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// The stand-in registry gateway: takes packages, checks them, moves them
/// through registration on a schedule and calls back on every change.
#[derive(Debug, Parser)]
#[command(name = "mezha-registry", version)]
struct Args {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, env = "MEZHA_REGISTRY_LISTEN", default_value = "127.0.0.1:8088")]
    listen: String,
    /// Bearer token every /v1 call must carry (none: any call is let in).
    #[arg(long, env = "MEZHA_REGISTRY_API_TOKEN", hide_env_values = true)]
    api_token: Option<String>,
    /// HMAC-SHA256 key of the callbacks' X-Registry-Signature (none: unsigned).
    #[arg(long, env = "MEZHA_REGISTRY_CALLBACK_SECRET", hide_env_values = true)]
    callback_secret: Option<String>,
    /// From intake to the checks (e.g. 500ms, 3s, 1m).
    #[arg(long, env = "MEZHA_REGISTRY_ACCEPT_AFTER", default_value = "3s", value_parser = parse_duration)]
    accept_after: Duration,
    /// Between the registrar's steps.
    #[arg(long, env = "MEZHA_REGISTRY_REGISTER_AFTER", default_value = "5s", value_parser = parse_duration)]
    register_after: Duration,
    /// Trust anchors, intermediates and CRLs for signature validation (none:
    /// signatures pass on their cryptography alone).
    #[arg(long, env = "MEZHA_REGISTRY_TRUST_DIR")]
    trust_dir: Option<PathBuf>,
    /// Attempts of each callback delivery.
    #[arg(long, env = "MEZHA_REGISTRY_CALLBACK_ATTEMPTS", default_value_t = 5)]
    callback_attempts: u32,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let config = Config {
        api_token: args.api_token.map(SecretString::from),
        callback_secret: args.callback_secret.map(SecretString::from),
        accept_after: args.accept_after,
        register_after: args.register_after,
        trust_dir: args.trust_dir,
        callback_attempts: args.callback_attempts,
        ..Config::default()
    };
    let listener = std::net::TcpListener::bind(&args.listen)
        .map_err(|e| anyhow::anyhow!("binding {}: {e}", args.listen))?;
    let running = start(config, listener).await?;
    println!("mezha-registry listening on {}", running.url());
    running.wait().await
}
