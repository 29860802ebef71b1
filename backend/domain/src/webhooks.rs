//! Webhooks for integrators (docs/webhooks.md): which URLs may receive them, which
//! network addresses are refused (SSRF), the signature of each request and
//! the shape of its body. Pure: resolving host names and sending happen in
//! the HTTP layer, which asks [`forbidden_address`] about every address it
//! resolved before connecting to it.

use crate::FieldError;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use mezha_api_types::limits::{WEBHOOK_URL_MAX_CHARS, WEBHOOKS_PER_USER_MAX};
use mezha_api_types::notifications::NotificationKind;
use mezha_api_types::webhooks::{WebhookData, WebhookPayload};
use rand::RngCore;
use sha2::Sha256;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use uuid::Uuid;

use crate::notifications::render::object_path;
use crate::notifications::{Event, Rendered};

/// A webhook target: an absolute `http` or `https` URL with a host, no
/// credentials, at most [`WEBHOOK_URL_MAX_CHARS`] characters. When the host
/// is an IP address it is already checked by [`WebhookUrl::parse`]; a host
/// name is checked when it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    url: url::Url,
}

impl WebhookUrl {
    /// Parses and checks `text`; `allow_private` lets IP literals in
    /// private, loopback and other internal ranges through (development).
    pub fn parse(text: &str, allow_private: bool) -> Result<WebhookUrl, FieldError> {
        let text = text.trim();
        if text.chars().count() > WEBHOOK_URL_MAX_CHARS as usize {
            return Err(FieldError::new(
                "too_long",
                format!("At most {WEBHOOK_URL_MAX_CHARS} characters."),
            ));
        }
        let url = url::Url::parse(text)
            .map_err(|e| FieldError::new("invalid_url", format!("Not an absolute URL: {e}.")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FieldError::new(
                "unsupported_scheme",
                "Only http and https URLs can receive webhooks.",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FieldError::new(
                "credentials_in_url",
                "The URL must not carry a user name or password.",
            ));
        }
        let ip = match url.host() {
            None => return Err(FieldError::new("invalid_url", "The URL has no host.")),
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            Some(url::Host::Domain(name)) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                if !allow_private && (name == "localhost" || name.ends_with(".localhost")) {
                    return Err(refused_host(&name, "loopback"));
                }
                None
            }
        };
        if let Some(ip) = ip
            && !allow_private
            && let Some(class) = forbidden_address(ip)
        {
            return Err(refused_host(&ip.to_string(), class.as_str()));
        }
        Ok(WebhookUrl { url })
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The host name or IP literal (without brackets).
    pub fn host(&self) -> String {
        match self.url.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(host) => host.to_string(),
            None => String::new(),
        }
    }

    /// The port, explicit or the scheme's default.
    pub fn port(&self) -> u16 {
        self.url.port_or_known_default().unwrap_or(443)
    }

    /// The IP address when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self.url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        }
    }
}

/// The field error for a host that is, or resolves to, a refused address.
pub fn refused_host(host: &str, class: &str) -> FieldError {
    FieldError::new(
        "address_not_allowed",
        format!("{host} is a {class} address; webhooks go to public addresses only."),
    )
}

/// Why an address may not receive webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// RFC 1918 (10/8, 172.16/12, 192.168/16) and ULA fc00::/7.
    Private,
    /// 169.254/16, fe80::/10.
    LinkLocal,
    /// 0.0.0.0/8, ::.
    Unspecified,
    /// Carrier-grade NAT, 100.64/10.
    SharedCgnat,
    /// 224/4, ff00::/8, 255.255.255.255.
    Multicast,
    /// 192.0.0/24, 240/4 and other ranges reserved for no public use.
    Reserved,
}

impl AddressClass {
    /// For messages.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::LinkLocal => "link-local",
            AddressClass::Unspecified => "unspecified",
            AddressClass::SharedCgnat => "shared (CGNAT)",
            AddressClass::Multicast => "multicast",
            AddressClass::Reserved => "reserved",
        }
    }
}

/// The class of `ip` when webhooks may not go there; `None` for a public
/// address. IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible IPv6
/// addresses are judged as the IPv4 address they carry.
pub fn forbidden_address(ip: IpAddr) -> Option<AddressClass> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<AddressClass> {
    let [a, b, c, _] = ip.octets();
    if a == 0 {
        Some(AddressClass::Unspecified)
    } else if a == 127 {
        Some(AddressClass::Loopback)
    } else if a == 10 || (a == 172 && (16..=31).contains(&b)) || (a == 192 && b == 168) {
        Some(AddressClass::Private)
    } else if a == 169 && b == 254 {
        Some(AddressClass::LinkLocal)
    } else if a == 100 && (64..=127).contains(&b) {
        Some(AddressClass::SharedCgnat)
    } else if (224..=239).contains(&a) || ip == Ipv4Addr::BROADCAST {
        Some(AddressClass::Multicast)
    } else if a >= 240 || (a == 192 && b == 0 && c == 0) || (a == 198 && (18..=19).contains(&b)) {
        Some(AddressClass::Reserved)
    } else {
        None
    }
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<AddressClass> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let seg = ip.segments();
    if ip.is_unspecified() {
        return Some(AddressClass::Unspecified);
    }
    if ip.is_loopback() {
        return Some(AddressClass::Loopback);
    }
    // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks).
    if seg[..6].iter().all(|s| *s == 0) {
        let v4 = Ipv4Addr::new(
            (seg[6] >> 8) as u8,
            seg[6] as u8,
            (seg[7] >> 8) as u8,
            seg[7] as u8,
        );
        return forbidden_v4(v4).or(Some(AddressClass::Reserved));
    }
    if seg[0] & 0xfe00 == 0xfc00 {
        Some(AddressClass::Private)
    } else if seg[0] & 0xffc0 == 0xfe80 {
        Some(AddressClass::LinkLocal)
    } else if seg[0] & 0xff00 == 0xff00 {
        Some(AddressClass::Multicast)
    } else {
        None
    }
}

/// Checks the subscribed kinds: at least one, none twice.
pub fn check_kinds(kinds: &[NotificationKind]) -> Result<(), FieldError> {
    if kinds.is_empty() {
        return Err(FieldError::new("empty", "Subscribe to at least one kind."));
    }
    for (i, kind) in kinds.iter().enumerate() {
        if kinds[..i].contains(kind) {
            return Err(FieldError::new(
                "duplicate",
                format!("`{kind}` is listed twice."),
            ));
        }
    }
    Ok(())
}

/// Whether a user with `existing` webhooks may add one more.
pub fn may_add(existing: usize) -> Result<(), FieldError> {
    if existing >= WEBHOOKS_PER_USER_MAX as usize {
        return Err(FieldError::new(
            "too_many",
            format!("At most {WEBHOOKS_PER_USER_MAX} webhooks per account; delete one first."),
        ));
    }
    Ok(())
}

/// A new signing secret: `whsec_` and 32 random bytes in hex.
pub fn new_secret(rng: &mut impl RngCore) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    format!("whsec_{}", hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// HMAC-SHA256 of `message` under `key`, in lowercase hex.
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message);
    hex(&mac.finalize().into_bytes())
}

/// The `Mezha-Signature` header of a request sent at `timestamp` (unix
/// seconds) with `body`: `v1=` and the hex HMAC-SHA256 of
/// `"{timestamp}.{body}"` under the webhook's secret.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut message = format!("{timestamp}.").into_bytes();
    message.extend_from_slice(body);
    format!("v1={}", hmac_sha256_hex(secret.as_bytes(), &message))
}

/// Whether `header` is a valid signature of `body` sent at `timestamp`
/// (compared in constant time). Receivers should also refuse old
/// timestamps; see docs/webhooks.md.
pub fn verify(secret: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = signature(secret, timestamp, body);
    header
        .split(',')
        .map(str::trim)
        .any(|h| h.as_bytes().ct_eq(expected.as_bytes()).into())
}

/// The body of a webhook request for `event`, rendered as `texts`.
pub fn payload(
    delivery_id: Uuid,
    event: &Event,
    created_at: DateTime<Utc>,
    texts: &Rendered,
    public_url: &str,
) -> WebhookPayload {
    let (kind, id) = event.object();
    WebhookPayload {
        id: delivery_id,
        event: event.kind(),
        created_at,
        data: WebhookData {
            kind: event.kind(),
            object: mezha_api_types::notifications::ObjectLink { kind, id },
            link: format!(
                "{}{}",
                public_url.trim_end_matches('/'),
                object_path(kind, id)
            ),
            title: texts.title.clone(),
            body: texts.body.clone(),
            details: serde_json::to_value(event).unwrap_or(serde_json::Value::Null),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notifications::{OrderRef, render};
    use mezha_api_types::notifications::Language;

    fn class(ip: &str) -> Option<AddressClass> {
        forbidden_address(ip.parse().unwrap())
    }

    #[test]
    fn address_classes() {
        use AddressClass::*;
        for (ip, want) in [
            ("127.0.0.1", Some(Loopback)),
            ("127.255.1.2", Some(Loopback)),
            ("::1", Some(Loopback)),
            ("10.1.2.3", Some(Private)),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("192.168.1.1", Some(Private)),
            ("fc00::1", Some(Private)),
            ("fdab:1234::5", Some(Private)),
            ("169.254.169.254", Some(LinkLocal)),
            ("fe80::1", Some(LinkLocal)),
            ("0.0.0.0", Some(Unspecified)),
            ("::", Some(Unspecified)),
            ("100.64.0.1", Some(SharedCgnat)),
            ("100.127.255.254", Some(SharedCgnat)),
            ("224.0.0.1", Some(Multicast)),
            ("ff02::1", Some(Multicast)),
            ("255.255.255.255", Some(Multicast)),
            ("240.0.0.1", Some(Reserved)),
            // IPv4-mapped and -compatible IPv6 are judged as their IPv4.
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:10.0.0.1", Some(Private)),
            ("::ffff:169.254.169.254", Some(LinkLocal)),
            ("::10.0.0.1", Some(Private)),
            // Public.
            ("8.8.8.8", None),
            ("172.32.0.1", None),
            ("100.128.0.1", None),
            ("93.184.216.34", None),
            ("::ffff:93.184.216.34", None),
            ("2a00:1450:4010:c05::64", None),
        ] {
            assert_eq!(class(ip), want, "{ip}");
        }
    }

    #[test]
    fn urls() {
        let ok = WebhookUrl::parse("https://hooks.example.com/mezha?x=1", false).unwrap();
        assert_eq!(ok.host(), "hooks.example.com");
        assert_eq!(ok.port(), 443);
        assert_eq!(
            WebhookUrl::parse("http://8.8.8.8:8080/", false)
                .unwrap()
                .port(),
            8080
        );
        for (url, code) in [
            ("ftp://example.com/", "unsupported_scheme"),
            ("file:///etc/passwd", "unsupported_scheme"),
            ("example.com/hook", "invalid_url"),
            ("https://user:pw@example.com/", "credentials_in_url"),
            ("http://127.0.0.1:9000/", "address_not_allowed"),
            ("http://[::1]/", "address_not_allowed"),
            ("http://[::ffff:10.0.0.1]/", "address_not_allowed"),
            ("http://localhost/", "address_not_allowed"),
            ("http://0x7f000001/", "address_not_allowed"),
            (
                "http://169.254.169.254/latest/meta-data",
                "address_not_allowed",
            ),
        ] {
            assert_eq!(
                WebhookUrl::parse(url, false).unwrap_err().code,
                code,
                "{url}"
            );
        }
        let long = format!("https://example.com/{}", "a".repeat(2000));
        assert_eq!(
            WebhookUrl::parse(&long, false).unwrap_err().code,
            "too_long"
        );
        // Development: internal addresses allowed.
        let local = WebhookUrl::parse("http://127.0.0.1:9000/hook", true).unwrap();
        assert_eq!(local.ip(), Some("127.0.0.1".parse().unwrap()));
        assert!(WebhookUrl::parse("http://localhost:9000/", true).is_ok());
    }

    #[test]
    fn kinds_and_limits() {
        use NotificationKind as K;
        assert!(check_kinds(&[K::ResponseReceived]).is_ok());
        assert_eq!(check_kinds(&[]).unwrap_err().code, "empty");
        assert_eq!(
            check_kinds(&[K::ResponseReceived, K::OfferAccepted, K::ResponseReceived])
                .unwrap_err()
                .code,
            "duplicate"
        );
        assert!(may_add(9).is_ok());
        assert_eq!(may_add(10).unwrap_err().code, "too_many");
    }

    #[test]
    fn hmac_known_vectors() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // printf '%s' '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec_test
        let sig = signature("whsec_test", 1_700_000_000, br#"{"id":"x"}"#);
        assert_eq!(
            sig,
            "v1=80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3"
        );
        assert!(verify("whsec_test", 1_700_000_000, br#"{"id":"x"}"#, &sig));
        assert!(!verify("whsec_test", 1_700_000_001, br#"{"id":"x"}"#, &sig));
        assert!(!verify("other", 1_700_000_000, br#"{"id":"x"}"#, &sig));
    }

    #[test]
    fn secrets_are_random() {
        let mut rng = rand::thread_rng();
        let (a, b) = (new_secret(&mut rng), new_secret(&mut rng));
        assert_ne!(a, b);
        assert!(a.starts_with("whsec_") && a.len() == 6 + 64);
    }

    #[test]
    fn payload_names_the_object() {
        let event = Event::ResponseReceived {
            order: OrderRef {
                id: Uuid::from_u128(7),
                number: 12,
                title: "Межевание".into(),
            },
            response_id: Uuid::from_u128(8),
            engineer_name: None,
            price: 15000,
            deadline_days: 20,
        };
        let texts = render(&event, Language::En, "https://mezha.example");
        let at = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let p = payload(
            Uuid::from_u128(9),
            &event,
            at,
            &texts,
            "https://mezha.example/",
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["id"], Uuid::from_u128(9).to_string());
        assert_eq!(json["event"], "response_received");
        assert_eq!(json["data"]["object"]["kind"], "order");
        assert_eq!(json["data"]["object"]["id"], Uuid::from_u128(7).to_string());
        assert_eq!(
            json["data"]["link"],
            format!("https://mezha.example/orders/{}", Uuid::from_u128(7))
        );
        assert_eq!(json["data"]["details"]["order"]["number"], 12);
        assert!(!json["data"]["title"].as_str().unwrap().is_empty());
    }
}
