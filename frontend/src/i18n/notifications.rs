//! The catalogue's part for notifications (docs/notifications.md): the panel, the
//! settings page and the names of the event kinds.

use mezha_api_types::notifications::NotificationKind;

/// Strings of the notification screens.
pub struct NotifStrings {
    pub panel_title: &'static str,
    pub chat_title: &'static str,
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
    pub kinds: [&'static str; 21],
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

pub static RU: NotifStrings = NotifStrings {
    panel_title: "Уведомления",
    chat_title: "Чат по заказу",
    chat_empty: "Сообщений пока нет.",
    chat_message: "Сообщение",
    chat_send: "Отправить",
    chat_attach: "Прикрепить файл",
    empty: "Уведомлений нет.",
    read_all: "Прочитать все",
    more: "Показать ещё",
    settings_link: "Настройки уведомлений",
    settings_title: "Настройки уведомлений",
    settings_text: "Что и куда присылать: в приложении, по электронной почте, по SMS.",
    event: "Событие",
    in_app: "В приложении",
    email: "Почта",
    sms: "SMS",
    language: "Язык писем и SMS",
    save: "Сохранить",
    saved: "Сохранено.",
    reset: "По умолчанию",
    kinds: [
        "Новый отклик на заказ",
        "Вам предложили заказ",
        "Вас выбрали исполнителем",
        "Исполнитель принял предложение",
        "Исполнитель отклонил предложение",
        "Статус заказа изменился",
        "Договор ждёт подписи",
        "Договор подписан",
        "Выставлен счёт",
        "Счёт отмечен оплаченным",
        "Оплата подтверждена",
        "Результаты работ переданы",
        "Результаты приняты",
        "Результаты отклонены",
        "Запрос на вступление в штат",
        "Решение по запросу в штат",
        "Заявление на сертификат одобрено",
        "Заявление на сертификат отклонено",
        "Сертификат выпущен",
        "Сертификат скоро истекает",
        "Аккаунт заблокирован",
    ],
};

pub static EN: NotifStrings = NotifStrings {
    panel_title: "Notifications",
    chat_title: "Order chat",
    chat_empty: "No messages yet.",
    chat_message: "Message",
    chat_send: "Send",
    chat_attach: "Attach a file",
    empty: "No notifications.",
    read_all: "Mark all read",
    more: "Show more",
    settings_link: "Notification settings",
    settings_title: "Notification settings",
    settings_text: "What to send where: in the app, by e-mail, by SMS.",
    event: "Event",
    in_app: "In the app",
    email: "E-mail",
    sms: "SMS",
    language: "Language of e-mails and SMS",
    save: "Save",
    saved: "Saved.",
    reset: "Defaults",
    kinds: [
        "New response to an order",
        "An order was offered to you",
        "You were selected as the executor",
        "The engineer accepted the offer",
        "The engineer declined the offer",
        "Order status changed",
        "A contract awaits your signature",
        "Contract signed",
        "Invoice sent",
        "Invoice marked paid",
        "Payment confirmed",
        "Results delivered",
        "Results accepted",
        "Results rejected",
        "Request to join your staff",
        "Decision on your join request",
        "Certificate application approved",
        "Certificate application rejected",
        "Certificate issued",
        "Certificate expires soon",
        "Account blocked",
    ],
};
