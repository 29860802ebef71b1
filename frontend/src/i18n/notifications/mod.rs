//! The catalogue's part for notifications (docs/notifications.md): the panel, the
//! settings page and the names of the event kinds.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use mezha_api_types::notifications::NotificationKind;

/// Strings of the notification screens.
pub struct NotifStrings {
    pub panel_title: &'static str,
    pub chat_title: &'static str,
    /// The list of an order's chat threads (one per engineer).
    pub chat_threads: &'static str,
    pub chat_stage_executor: &'static str,
    pub chat_stage_offered: &'static str,
    pub chat_stage_closed: &'static str,
    /// Under a closed thread: read only.
    pub chat_closed: &'static str,
    pub chat_empty: &'static str,
    pub chat_message: &'static str,
    pub chat_send: &'static str,
    pub chat_attach: &'static str,

    pub empty: &'static str,
    pub read_all: &'static str,
    pub more: &'static str,
    pub settings_link: &'static str,
    pub settings_title: &'static str,
    pub settings_text: &'static str,
    pub event: &'static str,
    pub in_app: &'static str,
    pub email: &'static str,
    pub sms: &'static str,
    pub language: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub reset: &'static str,
    /// Names of the kinds, in `NotificationKind::ALL` order.
    pub kinds: [&'static str; NotificationKind::ALL.len()],
}

impl NotifStrings {
    /// The name of an event kind.
    pub fn kind(&self, kind: NotificationKind) -> &'static str {
        NotificationKind::ALL
            .iter()
            .position(|k| *k == kind)
            .and_then(|i| self.kinds.get(i))
            .copied()
            .unwrap_or_else(|| kind.as_str())
    }
}
