//! Russian texts of the message catalogue: certificates, pki.

/// `(key, text)`, by area, in the order of [`super::super::en::certificates::TEXTS`].
pub const TEXTS: &[(&str, &str)] = &[
    // certificates
    (
        "certificates.application_not_found",
        "Заявки с таким идентификатором нет.",
    ),
    (
        "certificates.forbidden_action",
        "В текущей роли вы не можете выполнить действие `{action}` с этой заявкой.",
    ),
    (
        "certificates.illegal_transition",
        "Действие `{action}` невозможно, пока заявка в статусе `{status}`; сейчас доступно: {allowed}.",
    ),
    (
        "certificates.illegal_transition_none",
        "Действие `{action}` невозможно, пока заявка в статусе `{status}`; сейчас ничего не доступно.",
    ),
    (
        "certificates.staff_cannot_apply",
        "Служебные роли не подают заявки на сертификат; переключитесь на свою роль.",
    ),
    (
        "certificates.agent_application_under_way",
        "Заявка для этого клиента уже в работе ({id}, `{status}`); новую можно подать, когда по ней примут решение или выпустят сертификат.",
    ),
    (
        "certificates.claim_link_invalid",
        "Ссылка неизвестна, уже использована, устарела или заменена новой; попросите организацию прислать её снова.",
    ),
    (
        "certificates.claim_other_person",
        "В вашем профиле указан СНИЛС другого человека: получите заявку учётной записью того, для кого она оформлена.",
    ),
    (
        "certificates.application_changed",
        "Заявка тем временем изменилась; обновите её.",
    ),
    (
        "certificates.no_phone",
        "В заявке не указан номер телефона.",
    ),
    (
        "certificates.csr_not_pem",
        "Запрос на сертификат (CSR) не является корректным PEM: {reason}.",
    ),
    (
        "certificates.csr_wrong_pem_label",
        "Ожидался блок PEM CERTIFICATE REQUEST, получен {label}.",
    ),
    (
        "certificates.csr_encoding",
        "Запрос на сертификат (CSR) не является ни PEM, ни base64 от DER.",
    ),
    (
        "certificates.csr_not_pkcs10",
        "Запрос на сертификат (CSR) не является запросом PKCS#10: {reason}.",
    ),
    (
        "certificates.csr_not_reencodable",
        "Запрос на сертификат (CSR) не удаётся перекодировать: {reason}.",
    ),
    (
        "certificates.csr_signature_bits",
        "Подпись запроса на сертификат (CSR) не состоит из целого числа байт.",
    ),
    (
        "certificates.csr_signature_invalid",
        "Подпись запроса на сертификат (CSR) не проходит проверку: {reason}.",
    ),
    (
        "certificates.rsa_key_too_short",
        "Длина ключа RSA должна быть не менее 2048 бит.",
    ),
    (
        "certificates.subject_mismatch",
        "Субъект запроса отличается от одобренной заявки в полях: {fields}.",
    ),
    (
        "certificates.not_found",
        "Сертификата с таким идентификатором нет.",
    ),
    (
        "certificates.illegal_action",
        "Действие `{action}` невозможно, пока сертификат в статусе `{status}`.",
    ),
    (
        "certificates.revoke_forbidden",
        "Отозвать сертификат может только его владелец или оператор удостоверяющего центра.",
    ),
    (
        "certificates.renew_forbidden",
        "Продлить сертификат может только его владелец.",
    ),
    (
        "certificates.unknown_format",
        "Неизвестный формат `{format}`; используйте pem или der.",
    ),
    // pki
    ("pki.not_configured", "Удостоверяющий центр не настроен."),
];
