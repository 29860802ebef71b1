//! Table definitions, one module per table, written in the shape
//! `sea-orm-cli generate entity` produces. They describe the schema that
//! `mezha-migrations` creates; behaviour lives in the repositories, never here.

pub mod certificate_applications;
pub mod certificate_reminders;
pub mod certificates;
pub mod chat_messages;
pub mod chat_reads;
pub mod contract_signatures;
pub mod contracts;
pub mod employers;
pub mod employments;
pub mod engineer_profiles;
pub mod engineer_regions;
pub mod engineer_work_types;
pub mod files;
pub mod idempotency_keys;
pub mod invoices;
pub mod live_event_cursors;
pub mod notification_deliveries;
pub mod notification_events;
pub mod notification_preferences;
pub mod notification_settings;
pub mod notifications;
pub mod one_time_tokens;
pub mod order_attachments;
pub mod order_history;
pub mod order_offers;
pub mod order_reminders;
pub mod order_responses;
pub mod order_results;
pub mod orders;
pub mod outbox_messages;
pub mod pki_crls;
pub mod regions;
pub mod requisites;
pub mod reviews;
pub mod sro_disciplinary_actions;
pub mod sro_registry;
pub mod user_roles;
pub mod users;
pub mod webhook_deliveries;
pub mod webhooks;
pub mod work_types;
