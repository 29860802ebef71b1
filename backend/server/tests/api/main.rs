//! End-to-end tests of the API through HTTP: one binary, one module per
//! area. Every test runs twice — on the embedded back-ends and on
//! PostgreSQL + Redis — through `on_both_backends!`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod acts;
mod after_contract;
mod authz;
mod avatars;
mod bad_input;
mod certificate_agents;
mod certificates;
mod chat;
mod cli;
mod clients;
mod contracts;
mod conventions;
mod deal_registry;
mod deals;
mod employers;
mod engineers;
mod events;
mod export;
mod idempotency;
mod lists;
mod moderation;
mod notifications;
mod openapi;
mod openssl_signing;
mod order_lists;
mod orders;
mod organisations;
mod otp;
mod password_reset;
mod powers_of_attorney;
mod profile;
mod registration;
mod reminders;
mod requisites;
mod second_factor;
mod service;
mod sessions;
mod signatures;
mod sro_registry;
mod storage;
mod tasks;
mod webhooks;
