//! The message catalogue: the text a person reads in a problem's `detail`,
//! chosen at the edge in the request's language (docs/API.md, "Errors").
//!
//! The application says *what* went wrong as a [`Message`] (a key and its
//! parameters); this module turns it into English ([`en`]) or Russian
//! ([`ru`]) text. Each language is split into modules by groups of areas
//! (`en/orders.rs` holds the `orders`, `chat`, … keys), in the same order
//! in both languages. The language is the one the request's `Accept-Language`
//! prefers among those two, English when it names neither; the request
//! middleware ([`crate::request_id`]) sets it for the request's task.
//!
//! A key missing from the catalogue is shown as it is (and the tests fail:
//! every key the application uses is in both languages, with the same
//! placeholders).

mod en;
mod ru;

use mezha_api_types::notifications::Language;
use mezha_app::error::Message;
use std::collections::HashMap;
use std::sync::OnceLock;

tokio::task_local! {
    static LANGUAGE: Language;
}

/// Runs `f` with `language` as the request's language.
pub async fn scope<F: std::future::Future>(language: Language, f: F) -> F::Output {
    LANGUAGE.scope(language, f).await
}

/// The language of the request being handled on this task (English
/// outside of one).
pub fn current() -> Language {
    LANGUAGE.try_with(|l| *l).unwrap_or(Language::En)
}

/// The language an `Accept-Language` header prefers among Russian and
/// English: the supported tag with the highest weight (`q`), the first one
/// on a tie; English when none is named.
pub fn negotiate(header: Option<&str>) -> Language {
    let mut best: Option<(f32, Language)> = None;
    for part in header.unwrap_or("").split(',') {
        let mut fields = part.split(';');
        let tag = fields.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let language = match primary {
            "ru" => Language::Ru,
            "en" => Language::En,
            _ => continue,
        };
        let q = fields
            .find_map(|f| f.trim().strip_prefix("q=").map(str::to_owned))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q));
        let Some(q) = q.filter(|q| *q > 0.0) else {
            continue;
        };
        if best.is_none_or(|(b, _)| q > b) {
            best = Some((q, language));
        }
    }
    best.map_or(Language::En, |(_, language)| language)
}

/// Every `(key, text)` of a language, its groups' slices one after another.
fn entries(
    groups: &'static [&'static [(&'static str, &'static str)]],
) -> impl Iterator<Item = (&'static str, &'static str)> {
    groups.iter().flat_map(|group| group.iter().copied())
}

fn catalogue(language: Language) -> &'static HashMap<&'static str, &'static str> {
    static EN: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    static RU: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    match language {
        Language::En => EN.get_or_init(|| entries(en::TEXTS).collect()),
        Language::Ru => RU.get_or_init(|| entries(ru::TEXTS).collect()),
    }
}

/// The text of `message` in `language`, its placeholders filled in.
pub fn render(message: &Message, language: Language) -> String {
    let key = message.key;
    let Some(template) = catalogue(language).get(key) else {
        // A key without its text is a defect the tests catch; the key is
        // better than nothing.
        tracing::warn!(key, "a message missing from the catalogue");
        return key.to_owned();
    };
    fill(template, &message.args)
}

/// `template` with each `{name}` replaced by its value, in one pass: a
/// value that itself contains `{…}` (a library's explanation) stays as it
/// is. An unknown `{name}` is kept.
fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of `message` in the current request's language.
pub fn text(message: &Message) -> String {
    render(message, current())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(template: &str) -> BTreeSet<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn both_languages_have_every_key_with_the_same_placeholders() {
        let en: BTreeSet<_> = entries(en::TEXTS).map(|(k, _)| k).collect();
        let ru: BTreeSet<_> = entries(ru::TEXTS).map(|(k, _)| k).collect();
        assert_eq!(en.len(), entries(en::TEXTS).count(), "a key twice in en");
        assert_eq!(ru.len(), entries(ru::TEXTS).count(), "a key twice in ru");
        assert_eq!(
            en.symmetric_difference(&ru).collect::<Vec<_>>(),
            Vec::<&&str>::new()
        );
        for (key, text) in entries(en::TEXTS) {
            let other = catalogue(Language::Ru)[key];
            assert_eq!(placeholders(text), placeholders(other), "{key}");
        }
        // The same order in both languages, so that they read side by side.
        assert!(
            entries(en::TEXTS)
                .map(|(k, _)| k)
                .eq(entries(ru::TEXTS).map(|(k, _)| k)),
            "en and ru list the keys in different orders"
        );
    }

    /// Every `"area.key"` literal the application and the edge pass as a
    /// message is in the catalogue (read from the sources of mezha-app and
    /// mezha-http, the catalogue itself aside, so that a new message
    /// without its texts fails here rather than reaching a user as a key).
    #[test]
    fn every_key_the_application_uses_is_in_the_catalogue() {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue_dir = crate_dir.join("src/messages");
        let mut missing = Vec::new();
        let mut seen = 0;
        let mut stack = vec![crate_dir.join("../app/src"), crate_dir.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path != catalogue_dir {
                        stack.push(path);
                    }
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                for key in message_keys(&source) {
                    seen += 1;
                    if !catalogue(Language::En).contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        // 166 uses of 145 keys when every problem text had become a key:
        // far fewer means the scan stopped seeing them.
        assert!(seen >= 150, "the scan found too few keys: {seen}");
        assert!(
            missing.is_empty(),
            "not in the catalogue:\n{}",
            missing.join("\n")
        );
    }

    /// String literals shaped like a catalogue key (`area.what`, lower
    /// case, digits and underscores) in a Rust source.
    fn message_keys(source: &str) -> Vec<&str> {
        let known_area = |key: &str| {
            let area = key.split('.').next().unwrap_or("");
            catalogue(Language::En)
                .keys()
                .any(|k| k.starts_with(&format!("{area}.")))
                || AREAS.contains(&area)
        };
        source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('.')
                    && !s.starts_with('.')
                    && !s.ends_with('.')
                    && s.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'
                    })
                    && known_area(s)
            })
            .collect()
    }

    /// The areas keys are grouped by (the first part of a key).
    const AREAS: &[&str] = &[
        "accounts",
        "acts",
        "certificates",
        "chat",
        "clients",
        "common",
        "contracts",
        "deals",
        "dev",
        "employment",
        "engineers",
        "events",
        "files",
        "http",
        "idempotency",
        "invoices",
        "notifications",
        "orders",
        "organisations",
        "otp",
        "paging",
        "pki",
        "results",
        "reviews",
        "sessions",
        "signatures",
        "sro",
        "webhooks",
    ];

    #[test]
    fn texts_follow_the_language_and_fill_placeholders() {
        let message = Message::new("otp.mismatch").arg("left", 3);
        assert!(render(&message, Language::En).contains("3 attempts left"));
        assert!(render(&message, Language::Ru).contains('3'));
        assert_ne!(
            render(&message, Language::En),
            render(&message, Language::Ru)
        );
        assert_eq!(
            render(&Message::new("no.such_key"), Language::En),
            "no.such_key"
        );
    }

    #[test]
    fn placeholders_are_filled_once_and_values_are_not_read_as_templates() {
        let args = vec![("reason", "bad {max}".to_owned()), ("max", "5".to_owned())];
        assert_eq!(
            fill("{reason}; at most {max}.", &args),
            "bad {max}; at most 5."
        );
        assert_eq!(fill("{unknown} {", &args), "{unknown} {");
        assert_eq!(fill("ёж {max}", &args), "ёж 5");
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(negotiate(None), Language::En);
        assert_eq!(negotiate(Some("")), Language::En);
        assert_eq!(negotiate(Some("ru")), Language::Ru);
        assert_eq!(negotiate(Some("ru-RU,ru;q=0.9,en;q=0.8")), Language::Ru);
        assert_eq!(negotiate(Some("en-US,en;q=0.9,ru;q=0.8")), Language::En);
        assert_eq!(negotiate(Some("de-DE,ru;q=0.5")), Language::Ru);
        assert_eq!(negotiate(Some("en;q=0.2, ru;q=0.7")), Language::Ru);
        assert_eq!(negotiate(Some("ru;q=0, en;q=0.1")), Language::En);
        assert_eq!(negotiate(Some("fr, de")), Language::En);
        assert_eq!(negotiate(Some("ru;q=abc")), Language::En);
    }
}
