//! Stand-alone migration CLI: `mezha-migrations up|status|fresh …`, reading
//! `DATABASE_URL`. The server binary applies the same migrations on start and
//! with `mezha migrate`.

use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(mezha_migrations::Migrator).await;
}
