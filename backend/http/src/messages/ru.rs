//! Russian texts of the message catalogue, by key (`{name}`: a parameter).

/// `(key, text)`, grouped by area, in the order of [`super::en::TEXTS`].
pub const TEXTS: &[(&str, &str)] = &[
    // common
    (
        "common.validation_failed",
        "Одно или несколько полей заполнены неверно.",
    ),
    ("common.duplicate", "Такая запись уже есть."),
    ("common.not_found", "Такого ресурса нет."),
    (
        "common.stale_version",
        "Ресурс изменился с тех пор, как вы его открыли; обновите его и попробуйте снова.",
    ),
    (
        "common.internal",
        "Произошла непредвиденная ошибка. Сообщите в поддержку идентификатор запроса.",
    ),
    // accounts
    (
        "accounts.email_taken",
        "Этот адрес электронной почты принадлежит другой учётной записи.",
    ),
    (
        "accounts.phone_taken",
        "Этот номер телефона принадлежит другой учётной записи.",
    ),
    // otp
    ("otp.mismatch", "Неверный код; осталось попыток: {left}."),
];
