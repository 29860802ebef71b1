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

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The database has migrations this build does not know: a newer
    /// Mezha migrated it (docs/deploy.md, "Migrations").
    #[error(
        "the database schema is newer than this build of mezha: it has migration(s) {} \
         that this build does not know; run the newer build, or restore the backup taken \
         before it migrated",
        .0.join(", ")
    )]
    NewerSchema(Vec<String>),
    /// The database failed.
    #[error("applying migrations: {0}")]
    Db(#[from] DbErr),
}

/// Key of the PostgreSQL advisory lock migrations are applied under.
const MIGRATION_LOCK: i64 = 0x6d65_7a68_615f_6d67; // "mezha_mg"

/// Applies every pending migration; how many. One process at a time: on
/// PostgreSQL under an advisory lock held on a connection of its own, so
/// replicas started together (or a replica and `mezha migrate`) wait for
/// each other and the second finds nothing left to do. Refused, before
/// anything is changed, when the database is newer than this build
/// ([`MigrateError::NewerSchema`]).
pub async fn migrate(db: &DatabaseConnection) -> Result<usize, MigrateError> {
    let lock = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let mut conn = db
                .get_postgres_connection_pool()
                .acquire()
                .await
                .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
            sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await
                .map_err(|e| DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e.into())))?;
            Some(conn)
        }
        _ => None,
    };
    let result = async {
        let unknown = unknown_migrations(db).await?;
        if !unknown.is_empty() {
            return Err(MigrateError::NewerSchema(unknown));
        }
        let pending = pending_migrations(db).await?;
        Migrator::up(db, None).await?;
        Ok(pending)
    }
    .await;
    if let Some(mut conn) = lock {
        // Dropping the connection back into the pool would keep the lock:
        // released here (and by PostgreSQL if the process dies).
        let _ = sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await;
    }
    result
}

/// The migrations applied to the database that this build does not know
/// (none on a fresh database).
pub async fn unknown_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = db.get_database_backend();
    let exists = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT 1 AS one FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'seaql_migrations'"
        }
        _ => {
            "SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
    };
    if db
        .query_one_raw(Statement::from_string(backend, exists))
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let known: std::collections::HashSet<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let mut unknown = Vec::new();
    for row in db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await?
    {
        let version: String = row.try_get("", "version")?;
        if !known.contains(&version) {
            unknown.push(version);
        }
    }
    Ok(unknown)
}

/// Number of migrations not yet applied (changing nothing: a database
/// never migrated has them all pending).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations_read_only(db).await?.len())
}

/// Checks that the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}
