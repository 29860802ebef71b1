//! Database connections and migrations.

use mezha_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// Opens a connection pool. SQLite URLs get `mode=rwc` (create the file) when
/// no mode is given, and WAL journaling.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut url = url.to_owned();
    let sqlite = url.starts_with("sqlite:");
    if sqlite && !url.contains("mode=") {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str("mode=rwc");
    }
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(if sqlite {
            max_connections.min(8)
        } else {
            max_connections
        })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let db = Database::connect(options).await?;
    if sqlite {
        use sea_orm::ConnectionTrait;
        // Readers do not block the writer; sqlx already turns foreign keys on.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

/// Begins a read-write transaction. On SQLite it is `BEGIN IMMEDIATE`: the
/// write lock is taken (waiting for the busy timeout) before the first
/// read, so a transaction that reads and then writes cannot fail because
/// another connection — a request, the notification worker — committed in
/// between (`SQLITE_BUSY_SNAPSHOT` of a deferred transaction in WAL mode).
/// PostgreSQL ignores the mode.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Number of migrations not yet applied.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// Checks that the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}
