//! Mezha's schema, as forward-only migrations (sea-orm-migration), used by
//! `mezha-store` at start and by `mezha migrate`.
//!
//! Every schema change is a new `mYYYYMMDD_NNNNNN_name` module appended to
//! [`Migrator::migrations`]; applied migrations are never edited. The same
//! migrations run on SQLite (the embedded default) and PostgreSQL, so they use
//! only sea-query's portable column types, plus plain SQL both accept
//! (partial indexes); a PostgreSQL-only index skips SQLite
//! (docs/adr/0004-sqlite-and-postgresql.md). Depends on nothing of Mezha:
//! no entities, no data access.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261122_000002_outbox;
mod m20261123_000003_reference_data;
mod m20261123_000004_orders;
mod m20261123_000005_engineers;
mod m20261123_000006_orders_address_trgm;
mod m20261123_000007_certificates;
mod m20261123_000008_notifications;
mod m20261123_000009_webhooks;
mod m20261123_000010_chat;
mod m20261202_000011_live_event_cursors;
mod m20261205_000012_sequences;
mod m20261205_000013_sro_disciplinary_actions;
mod m20261205_000014_idempotency_resources;
mod m20261205_000015_block_reasons;
mod m20261206_000016_anonymous_idempotency_keys;
mod m20261206_000017_requisites_registration;
mod m20261206_000018_phone_confirmation;
mod m20261207_000019_avatars;
mod m20261208_000020_chat_threads;
mod m20261209_000021_contracts;
mod m20261209_000022_invoices;
mod m20261209_000023_order_results;
mod m20261209_000024_result_stages;
mod m20261209_000025_reviews;
mod m20261209_000026_contract_docx;
mod m20261210_000027_acts;
mod m20261210_000028_order_reminders;
mod m20261211_000029_organisations;
mod m20261211_000030_clients;
mod m20261211_000031_client_requests;
mod m20261212_000032_deals;
mod m20261212_000033_deal_registry;
mod m20261213_000034_powers_of_attorney;
mod m20261213_000035_certificate_agents;

/// The list of migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_outbox::Migration),
            Box::new(m20261123_000003_reference_data::Migration),
            Box::new(m20261123_000004_orders::Migration),
            Box::new(m20261123_000005_engineers::Migration),
            Box::new(m20261123_000006_orders_address_trgm::Migration),
            Box::new(m20261123_000007_certificates::Migration),
            Box::new(m20261123_000008_notifications::Migration),
            Box::new(m20261123_000009_webhooks::Migration),
            Box::new(m20261123_000010_chat::Migration),
            Box::new(m20261202_000011_live_event_cursors::Migration),
            Box::new(m20261205_000012_sequences::Migration),
            Box::new(m20261205_000013_sro_disciplinary_actions::Migration),
            Box::new(m20261205_000014_idempotency_resources::Migration),
            Box::new(m20261205_000015_block_reasons::Migration),
            Box::new(m20261206_000016_anonymous_idempotency_keys::Migration),
            Box::new(m20261206_000017_requisites_registration::Migration),
            Box::new(m20261206_000018_phone_confirmation::Migration),
            Box::new(m20261207_000019_avatars::Migration),
            Box::new(m20261208_000020_chat_threads::Migration),
            Box::new(m20261209_000021_contracts::Migration),
            Box::new(m20261209_000022_invoices::Migration),
            Box::new(m20261209_000023_order_results::Migration),
            Box::new(m20261209_000024_result_stages::Migration),
            Box::new(m20261209_000025_reviews::Migration),
            Box::new(m20261209_000026_contract_docx::Migration),
            Box::new(m20261210_000027_acts::Migration),
            Box::new(m20261210_000028_order_reminders::Migration),
            Box::new(m20261211_000029_organisations::Migration),
            Box::new(m20261211_000030_clients::Migration),
            Box::new(m20261211_000031_client_requests::Migration),
            Box::new(m20261212_000032_deals::Migration),
            Box::new(m20261212_000033_deal_registry::Migration),
            Box::new(m20261213_000034_powers_of_attorney::Migration),
            Box::new(m20261213_000035_certificate_agents::Migration),
        ]
    }
}
