//! CPU time spent in a load phase, from `/proc` (Linux, PostgreSQL on this
//! machine): this process (the in-process server, or the raw SQL client),
//! its reaped children (`oha`), and the PostgreSQL backends connected to
//! the benchmark's database. Divided by the requests served, these say
//! where the work goes, and they hold up when other programs share the
//! cores (throughput and latency do not).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::collections::HashMap;

/// Clock ticks per second of `/proc/*/stat` (`getconf CLK_TCK`; 100 on Linux).
const TICKS: f64 = 100.0;

/// Utime+stime and cutime+cstime of a process, in seconds.
fn times(pid: &str) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command may contain spaces: the fields start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // Fields 14–17 of proc(5), counted here from field 3.
    Some((
        (tick(11)? + tick(12)?) / TICKS,
        (tick(13)? + tick(14)?) / TICKS,
    ))
}

/// A reading.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    own: f64,
    children: f64,
    postgres: HashMap<u32, f64>,
    transactions: f64,
}

/// CPU seconds between two readings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spent {
    /// This process: the server, or the raw SQL client.
    pub own: f64,
    /// Reaped child processes: `oha`.
    pub children: f64,
    /// PostgreSQL backends of the benchmark's database.
    pub postgres: f64,
    /// Transactions (statements outside explicit transactions count one
    /// each) committed in the database, from `pg_stat_database`.
    pub transactions: f64,
}

/// Reads the counters; PostgreSQL's only when its backends are visible
/// in this machine's `/proc`.
pub async fn snapshot(db: &DatabaseConnection, database: &str) -> Snapshot {
    let (own, children) = times("self").unwrap_or_default();
    let mut postgres = HashMap::new();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pid FROM pg_stat_activity WHERE datname = $1",
            [database.into()],
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        if let Ok(pid) = row.try_get::<i32>("", "pid")
            && let Ok(pid) = u32::try_from(pid)
            && let Some((cpu, _)) = times(&pid.to_string())
        {
            postgres.insert(pid, cpu);
        }
    }
    // The statistics collector lags by up to a second unless asked.
    let transactions = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_stat_clear_snapshot(), \
             (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1)::float8 AS n",
            [database.into()],
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get::<f64>("", "n").ok())
        .unwrap_or_default();
    Snapshot {
        own,
        children,
        postgres,
        transactions,
    }
}

impl Snapshot {
    /// What was spent from `self` to `later`; backends that appeared in
    /// between count from zero.
    pub fn until(&self, later: &Snapshot) -> Spent {
        Spent {
            own: later.own - self.own,
            children: later.children - self.children,
            postgres: later
                .postgres
                .iter()
                .map(|(pid, cpu)| cpu - self.postgres.get(pid).copied().unwrap_or(0.0))
                .sum(),
            transactions: later.transactions - self.transactions,
        }
    }
}
