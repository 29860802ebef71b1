//! Russian texts of the message catalogue: accounts, sessions, otp, events.

/// `(key, text)`, by area, in the order of [`super::super::en::accounts::TEXTS`].
pub const TEXTS: &[(&str, &str)] = &[
    // accounts
    (
        "accounts.email_taken",
        "Этот адрес электронной почты принадлежит другой учётной записи.",
    ),
    (
        "accounts.phone_taken",
        "Этот номер телефона принадлежит другой учётной записи.",
    ),
    ("accounts.gone", "Учётная запись больше не существует."),
    (
        "accounts.second_factor_needs_phone",
        "Сначала подтвердите номер телефона: коды приходят на него.",
    ),
    (
        "second_factor.ticket_gone",
        "Вход истёк или завершён; войдите снова.",
    ),
    (
        "accounts.link_invalid",
        "Ссылка неизвестна, уже использована или устарела; запросите новую.",
    ),
    ("accounts.role_not_held", "у учётной записи нет роли {role}"),
    (
        "accounts.acting_role_not_allowed",
        "в роли {acting} это действие недоступно; допустимые роли: {allowed}",
    ),
    // moderation
    ("moderation.moderators_only", "Это могут только модераторы."),
    (
        "moderation.own_account",
        "Модератор не может заблокировать собственную учётную запись.",
    ),
    (
        "moderation.already_blocked",
        "Учётная запись уже заблокирована.",
    ),
    ("moderation.not_blocked", "Учётная запись не заблокирована."),
    (
        "moderation.no_such_account",
        "Учётной записи с таким идентификатором нет.",
    ),
    // sessions
    (
        "sessions.too_many_attempts",
        "Слишком много попыток; повторите позже.",
    ),
    (
        "sessions.account_blocked",
        "Учётная запись заблокирована модератором.",
    ),
    (
        "sessions.no_role_yet",
        "У учётной записи пока нет ни одной роли.",
    ),
    ("sessions.no_role", "У учётной записи нет ни одной роли."),
    (
        "sessions.invalid_credentials",
        "Неверный адрес электронной почты или пароль.",
    ),
    (
        "sessions.email_not_confirmed",
        "Прежде чем войти, подтвердите адрес электронной почты по ссылке из нашего письма.",
    ),
    (
        "sessions.refresh_token_missing",
        "Передайте `refresh_token` или cookie с заголовком `X-Token-Transport: cookie`.",
    ),
    (
        "sessions.refresh_token_invalid",
        "Токен обновления недействителен; войдите снова.",
    ),
    (
        "sessions.refresh_token_superseded",
        "Параллельное обновление только что заменило этот токен; повторите запрос с новым токеном.",
    ),
    (
        "sessions.refresh_token_reused",
        "Этот токен обновления уже использован; сеанс отозван. Войдите снова.",
    ),
    (
        "sessions.access_token_expired",
        "Срок действия токена доступа истёк; обновите его.",
    ),
    (
        "sessions.access_token_invalid",
        "Токен доступа недействителен.",
    ),
    (
        "sessions.role_changed",
        "Сеанс теперь действует в другой роли, чем указано в токене доступа; обновите его.",
    ),
    ("sessions.ended", "Сеанс завершён; войдите снова."),
    (
        "sessions.not_found",
        "У вас нет сеанса с таким идентификатором.",
    ),
    (
        "sessions.challenge_expired",
        "Эта строка для подписи неизвестна, уже использована или устарела; запросите новую.",
    ),
    (
        "sessions.signature_not_accepted",
        "Результат проверки подписи: {indication}{sub_indication}; войти можно только с действительной электронной подписью на доверенном неотозванном сертификате.",
    ),
    (
        "sessions.certificate_not_linked",
        "К этому сертификату не привязана ни одна учётная запись.",
    ),
    // otp
    ("otp.mismatch", "Неверный код; осталось попыток: {left}."),
    ("otp.wrong_code", "Неверный код; запросите новый."),
    (
        "otp.attempts_exceeded",
        "Слишком много неверных кодов; запросите новый.",
    ),
    (
        "otp.resend_in",
        "Новый код можно запросить через {seconds} с.",
    ),
    (
        "otp.just_sent",
        "Код только что отправлен; подождите, прежде чем запрашивать новый.",
    ),
    (
        "otp.no_code_for_phone",
        "Для этого номера нет действующего кода; запросите новый.",
    ),
    (
        "otp.no_code_for_application",
        "Для этой заявки нет действующего кода; запросите новый.",
    ),
    // events
    (
        "events.ticket_invalid",
        "Билет подключения недействителен, уже использован или устарел; запросите новый.",
    ),
    (
        "events.last_event_id_invalid",
        "Last-Event-ID не является идентификатором события из этого потока.",
    ),
];
