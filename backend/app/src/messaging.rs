//! Outgoing e-mail and SMS. Providers sit behind traits: SMTP (lettre) for
//! production mail, and the development outbox (a table readable at
//! `GET /api/v1/dev/outbox`) for both channels.

use anyhow::Context;
use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mezha_api_types::common::Channel;
use mezha_store::DatabaseConnection;
use std::sync::Arc;

use crate::clock::Clock;

/// An e-mail: plain text, with an HTML alternative when `html` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// The plain-text body (always sent).
    pub body: String,
    /// An HTML body sent alongside (`multipart/alternative`).
    pub html: Option<String>,
}

/// Sends e-mail.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends one message.
    async fn send(&self, mail: Mail) -> anyhow::Result<()>;
}

/// Sends SMS.
#[async_trait]
pub trait SmsProvider: Send + Sync {
    /// Sends one text to an E.164 number.
    async fn send(&self, phone: &str, text: &str) -> anyhow::Result<()>;
}

/// The development outbox: keeps every message in the database.
pub struct Outbox {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl Outbox {
    /// An outbox writing to `db`.
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Outbox { db, clock }
    }
}

#[async_trait]
impl Mailer for Outbox {
    async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        mezha_store::outbox::push(
            &self.db,
            Channel::Email,
            &mail.to,
            Some(&mail.subject),
            &mail.body,
            self.clock.now(),
        )
        .await
        .context("writing the e-mail to the outbox")
    }
}

#[async_trait]
impl SmsProvider for Outbox {
    async fn send(&self, phone: &str, text: &str) -> anyhow::Result<()> {
        mezha_store::outbox::push(&self.db, Channel::Sms, phone, None, text, self.clock.now())
            .await
            .context("writing the SMS to the outbox")
    }
}

/// SMTP settings.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `starttls` (default), `tls` (implicit) or `none` (local relays only).
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

/// Sends mail through an SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for these settings (no connection is made until a send).
    pub fn new(settings: &SmtpSettings) -> anyhow::Result<Self> {
        let builder = match settings.security.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)?,
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
            other => anyhow::bail!("smtp.security must be starttls, tls or none, not {other:?}"),
        };
        let mut builder = builder.port(settings.port);
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let from = settings
            .from
            .parse()
            .context("smtp.from is not a mailbox")?;
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let builder = Message::builder()
            .from(self.from.clone())
            .to(mail.to.parse().context("recipient is not a mailbox")?)
            .subject(mail.subject);
        let message = match mail.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(mail.body, html)),
            None => builder.body(mail.body),
        }
        .context("building the message")?;
        self.transport
            .send(message)
            .await
            .context("SMTP delivery failed")?;
        Ok(())
    }
}
