//! SSRF guard: a webhook's host is resolved, every address it resolves to
//! is checked ([`mezha_domain::webhooks::forbidden_address`]), and the
//! request connects only to the addresses checked — [`GuardedResolver`] is
//! the sending client's DNS resolver, so there is no second lookup that a
//! rebinding DNS server could answer differently. IP literals never reach
//! a resolver; they are checked when the URL is parsed, at creation and
//! again before each attempt.

use mezha_domain::FieldError;
use mezha_domain::webhooks::{WebhookUrl, forbidden_address, refused_host};
use std::net::SocketAddr;

/// The addresses of `host`, each checked unless `allow_private`.
pub async fn checked_addresses(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, FieldError> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| {
            FieldError::new(
                "host_not_found",
                format!("{host} could not be resolved: {e}."),
            )
        })?
        .collect();
    if addrs.is_empty() {
        return Err(FieldError::new(
            "host_not_found",
            format!("{host} has no address."),
        ));
    }
    if !allow_private {
        for addr in &addrs {
            if let Some(class) = forbidden_address(addr.ip()) {
                return Err(refused_host(
                    &format!("{host} resolves to {}, which", addr.ip()),
                    class.as_str(),
                ));
            }
        }
    }
    Ok(addrs)
}

/// Checks the host of `url` (parsed already, so an IP literal is checked):
/// a host name must resolve to permitted addresses only.
pub async fn check_host(url: &WebhookUrl, allow_private: bool) -> Result<(), FieldError> {
    if url.ip().is_some() || allow_private {
        return Ok(());
    }
    checked_addresses(&url.host(), url.port(), false)
        .await
        .map(|_| ())
}

/// The DNS resolver of the webhook client: resolves, refuses when any
/// address is forbidden, and hands the checked addresses to the connector.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    /// Let internal addresses through (development).
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // The connector puts the URL's port on each address.
            match checked_addresses(&host, 0, allow_private).await {
                Ok(addrs) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Err(e) => Err(Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused() {
        let err = checked_addresses("localhost", 80, false).await.unwrap_err();
        assert_eq!(err.code, "address_not_allowed");
        assert!(err.message.contains("loopback"), "{}", err.message);
        assert!(
            !checked_addresses("localhost", 80, true)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
