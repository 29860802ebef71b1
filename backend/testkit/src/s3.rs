//! The S3-compatible server the tests store files in (docs/storage.md,
//! "Tests"): Moto's server (PyPI, pinned in `e2e/s3/requirements.lock`) on
//! loopback, started by `scripts/ensure-s3.sh` the first time a test
//! process needs it and then shared by every test process, as PostgreSQL
//! and Redis are. Each test gets a bucket of its own.
//!
//! `MEZHA_TEST_S3_URL` points the tests at another S3-compatible server
//! (then nothing is started); the access key is any (Moto checks none), or
//! `MEZHA_TEST_S3_ACCESS_KEY_ID`/`MEZHA_TEST_S3_SECRET_ACCESS_KEY`.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// Where Moto listens when `MEZHA_TEST_S3_URL` is not set.
pub const DEFAULT_URL: &str = "http://127.0.0.1:9555";

/// A reachable S3-compatible server.
#[derive(Debug, Clone)]
pub struct S3Server {
    /// Its endpoint, `http://127.0.0.1:9555`.
    pub endpoint: String,
    /// The access key id to sign with.
    pub access_key_id: String,
    /// Its secret.
    pub secret_access_key: String,
}

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn answers(endpoint: &str) -> bool {
    let Some(authority) = endpoint
        .strip_prefix("http://")
        .map(|rest| rest.split('/').next().unwrap_or(rest))
    else {
        return false;
    };
    use std::net::ToSocketAddrs as _;
    authority
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| {
            std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok()
        })
}

/// The test S3 server, started when it is the default one and not running
/// (once per process; `scripts/ensure-s3.sh` itself is safe to run from
/// several processes at once). Panics with what went wrong when there is
/// none: a test that needs S3 never skips.
pub fn server() -> S3Server {
    static SERVER: OnceLock<S3Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let from_env = std::env::var("MEZHA_TEST_S3_URL").ok();
            let endpoint = from_env.clone().unwrap_or_else(|| DEFAULT_URL.to_owned());
            if !answers(&endpoint) {
                assert!(
                    from_env.is_none(),
                    "MEZHA_TEST_S3_URL={endpoint} does not answer"
                );
                let script = repository_root().join("scripts/ensure-s3.sh");
                let status = std::process::Command::new("bash")
                    .arg(&script)
                    .env("MEZHA_S3_ADDR", endpoint.trim_start_matches("http://"))
                    .stdin(std::process::Stdio::null())
                    .status()
                    .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
                assert!(
                    status.success(),
                    "{} failed ({status}): no S3 server for the tests",
                    script.display()
                );
            }
            S3Server {
                endpoint,
                access_key_id: std::env::var("MEZHA_TEST_S3_ACCESS_KEY_ID")
                    .unwrap_or_else(|_| "mezha-test".into()),
                secret_access_key: std::env::var("MEZHA_TEST_S3_SECRET_ACCESS_KEY")
                    .unwrap_or_else(|_| "mezha-test-secret".into()),
            }
        })
        .clone()
}

impl S3Server {
    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_else(|e| panic!("an HTTP client: {e}"))
    }

    /// Creates a bucket of a fresh name (`mezha-test-<32 hex>`); its name.
    /// Unsigned, as Moto takes it.
    pub async fn new_bucket(&self) -> String {
        let name = format!("mezha-test-{:032x}", rand::random::<u128>());
        let response = Self::client()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .unwrap_or_else(|e| panic!("creating bucket {name}: {e}"));
        assert!(
            response.status().is_success(),
            "creating bucket {name}: {}",
            response.status()
        );
        name
    }

    /// The keys of `bucket`'s multipart uploads that were started and
    /// neither completed nor aborted.
    pub async fn incomplete_uploads(&self, bucket: &str) -> Vec<String> {
        let body = Self::client()
            .get(format!("{}/{bucket}?uploads", self.endpoint))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .unwrap_or_else(|e| panic!("listing the uploads of {bucket}: {e}"))
            .text()
            .await
            .unwrap_or_default();
        body.split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    /// Removes `bucket` and everything in it (best effort: a test's
    /// clean-up).
    pub async fn remove_bucket(&self, bucket: &str) {
        let client = Self::client();
        let base = format!("{}/{bucket}", self.endpoint);
        for _ in 0..100 {
            let Ok(listing) = client.get(format!("{base}?list-type=2")).send().await else {
                return;
            };
            let body = listing.text().await.unwrap_or_default();
            let keys: Vec<&str> = body
                .split("<Key>")
                .skip(1)
                .filter_map(|rest| rest.split("</Key>").next())
                .collect();
            if keys.is_empty() {
                break;
            }
            for key in keys {
                let _ = client.delete(format!("{base}/{key}")).send().await;
            }
        }
        let _ = client.delete(&base).send().await;
    }
}
