//! The `mezha` command line: migrations, configuration errors.

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
