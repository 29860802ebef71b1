//! The `mezha` command line: migrations (one at a time, never onto a newer
//! schema), configuration errors.

use std::process::Command;

fn mezha(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mezha"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MEZHA_DATA_DIR", dir)
        .env("MEZHA_LOG_LEVEL", "warn");
    cmd
}

#[test]
fn migrate_applies_the_schema_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let first = mezha(dir.path())
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let text = String::from_utf8_lossy(&first.stdout);
    let count = <mezha_migrations::Migrator as mezha_migrations::MigratorTrait>::migrations().len();
    assert!(
        text.contains(&format!("applied {count} migration(s)")),
        "{text}"
    );
    let again = mezha(dir.path())
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("applied 0 migration(s)"));
}

#[test]
fn invalid_configuration_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("MEZHA_ADDR", "localhost", "addr"),
        ("MEZHA_NO_SUCH_KEY", "1", "no_such_key"),
        ("DATABASE_URL", "mysql://u:hunter2@db/x", "database_url"),
        ("MEZHA_PASSWORD_HASH__MEMORY_KIB", "1024", "memory_kib"),
    ];
    for (key, value, expected) in cases {
        let out = mezha(dir.path())
            .env(key, value)
            .arg("migrate")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{key}={value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("invalid configuration") || stderr.contains(expected),
            "{key}: {stderr}"
        );
        assert!(stderr.to_lowercase().contains(expected), "{key}: {stderr}");
        assert!(
            !stderr.contains("hunter2"),
            "a secret was printed: {stderr}"
        );
    }
}

/// A database migrated by a newer Mezha (a migration this build does not
/// know) is left alone: `mezha migrate` and `mezha serve` stop, saying so.
#[tokio::test]
async fn a_newer_schema_is_refused() {
    use sea_orm::ConnectionTrait as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let first = mezha(dir.path())
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(first.status.success());
    let db = mezha_store::db::connect(&url, 2).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) \
         VALUES ('m29990101_000000_from_the_future', 0)",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    for command in ["migrate", "serve"] {
        let out = mezha(dir.path())
            .env("DATABASE_URL", &url)
            .env("MEZHA_ADDR", "127.0.0.1:0")
            .arg(command)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("schema is newer than this build")
                && stderr.contains("m29990101_000000_from_the_future"),
            "{command}: {stderr}"
        );
    }
}

/// Two processes migrating one PostgreSQL database at once (replicas
/// starting together): one applies the schema, the other waits for it and
/// finds nothing to do.
#[tokio::test]
async fn two_migrations_at_once_apply_the_schema_once() {
    let admin_url = std::env::var("MEZHA_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = mezha_store::db::connect(&admin_url, 2)
        .await
        .expect("PostgreSQL (make test starts it)");
    let name = format!("mezha_cli_{}", uuid::Uuid::new_v4().simple());
    use sea_orm::ConnectionTrait as _;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            mezha(dir.path())
                .env("DATABASE_URL", &url)
                .arg("migrate")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied: Vec<String> = children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect();
    applied.sort();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    let count = <mezha_migrations::Migrator as mezha_migrations::MigratorTrait>::migrations().len();
    assert!(applied[0].contains("applied 0 migration(s)"), "{applied:?}");
    assert!(
        applied[1].contains(&format!("applied {count} migration(s)")),
        "{applied:?}"
    );
}

/// With `MEZHA_MIGRATE_ON_START=false` (a deployment whose migration job
/// migrates), `mezha serve` refuses a database with migrations pending,
/// changing nothing, and serves once `mezha migrate` has run.
#[tokio::test]
async fn serve_without_migrating_waits_for_the_migration_job() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let serve = || {
        let mut cmd = mezha(dir.path());
        cmd.env("DATABASE_URL", &url)
            .env("MEZHA_ADDR", format!("127.0.0.1:{port}"))
            .env("MEZHA_MIGRATE_ON_START", "false")
            .env("MEZHA_WEB_DIR", dir.path().join("no-web-app"))
            .arg("serve");
        cmd
    };
    let refused = serve().output().unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("run `mezha migrate`"), "{stderr}");
    let db = mezha_store::db::connect(&url, 2).await.unwrap();
    let count = <mezha_migrations::Migrator as mezha_migrations::MigratorTrait>::migrations().len();
    assert_eq!(
        mezha_store::db::pending_migrations(&db).await.unwrap(),
        count
    );
    db.close().await.unwrap();

    let migrated = mezha(dir.path())
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let mut server = serve()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let ready = loop {
        let answer = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            break true;
        }
        if std::time::Instant::now() > deadline || server.try_wait().unwrap().is_some() {
            break false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    server.kill().ok();
    server.wait().ok();
    assert!(ready, "served after the migration");
}
