//! Distinguished names for people (RFC 4514 style, with the Russian
//! qualified-certificate attributes named), SNILS/INN extraction, hex and
//! time conversions.

use chrono::{DateTime, Utc};
use der::asn1::{BmpString, PrintableStringRef, Utf8StringRef};
use der::{Any, Tag, Tagged};
use x509_cert::name::Name;
use x509_cert::time::Time;

pub const OID_SNILS: &str = "1.2.643.100.3";
pub const OID_INN: &str = "1.2.643.3.131.1.1";
pub const OID_INNLE: &str = "1.2.643.100.4";
pub const OID_CN: &str = "2.5.4.3";

fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.42" => "GN",
        "1.2.840.113549.1.9.1" => "E",
        OID_SNILS => "SNILS",
        OID_INN => "INN",
        OID_INNLE => "INNLE",
        "1.2.643.100.1" => "OGRN",
        "1.2.643.100.5" => "OGRNIP",
        _ => return None,
    })
}

/// The text of a directory string value (UTF8String, PrintableString,
/// NumericString, IA5String, TeletexString as Latin-1, BMPString), or `None`
/// for other types.
pub fn string_value(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String => Utf8StringRef::new(bytes)
            .ok()
            .map(|s| s.as_str().to_owned()),
        Tag::PrintableString => PrintableStringRef::new(bytes)
            .ok()
            .map(|s| s.as_str().to_owned()),
        Tag::NumericString => {
            let s = std::str::from_utf8(bytes).ok()?;
            s.bytes()
                .all(|b| b.is_ascii_digit() || b == b' ')
                .then(|| s.to_owned())
        }
        Tag::Ia5String => bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(bytes).into_owned()),
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => BmpString::from_ucs2(bytes).ok().map(|s| s.to_string()),
        _ => None,
    }
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
            || (i + 1 == value.chars().count() && c == ' ');
        if special {
            out.push('\\');
        }
        if c.is_control() {
            out.push_str(&format!("\\{:02X}", c as u32 & 0xff));
        } else {
            out.push(c);
        }
    }
    out
}

/// RFC 4514 style, most specific RDN first: `CN=…,SNILS=…,C=RU`.
pub fn render(name: &Name) -> String {
    name.0
        .iter()
        .rev()
        .map(|rdn| {
            rdn.0
                .iter()
                .map(|atv| {
                    let oid = atv.oid.to_string();
                    let key = short_name(&oid).map_or(oid.clone(), str::to_owned);
                    let value = match string_value(&atv.value) {
                        Some(s) => escape(&s),
                        None => format!("#{}", hex(&crate::algorithms::to_der(&atv.value))),
                    };
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The first value of an attribute type in a name, as text.
pub fn attribute(name: &Name, oid: &str) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid.to_string() == oid)
        .and_then(|atv| string_value(&atv.value))
        .map(|s| s.trim().to_owned())
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A serial number as lower-case hex without leading zeros ("0" for zero).
pub fn serial_hex(bytes: &[u8]) -> String {
    let s = hex(bytes);
    let t = s.trim_start_matches('0');
    if t.is_empty() {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

/// Only the digits of a SNILS/INN-like value.
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// An X.509 time as UTC.
pub fn time(t: &Time) -> DateTime<Utc> {
    let secs = t.to_unix_duration().as_secs();
    i64::try_from(secs)
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("a,b"), "a\\,b");
        assert_eq!(escape("#x "), "\\#x\\ ");
        assert_eq!(escape("Иванов"), "Иванов");
    }

    #[test]
    fn serials() {
        assert_eq!(serial_hex(&[0, 0x10, 0x00]), "1000");
        assert_eq!(serial_hex(&[0]), "0");
        assert_eq!(digits("112-233-445 95"), "11223344595");
    }
}
