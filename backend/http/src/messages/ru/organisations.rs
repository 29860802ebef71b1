//! Russian texts of the message catalogue: organisations, clients.

/// `(key, text)`, by area, in the order of [`super::super::en::organisations::TEXTS`].
pub const TEXTS: &[(&str, &str)] = &[
    // organisations
    (
        "organisations.not_found",
        "Такой организации нет, или вы не её сотрудник.",
    ),
    (
        "organisations.unconfirmed",
        "Организация ещё не подтверждена: сначала руководитель подписывает оферту платформы.",
    ),
    (
        "organisations.already_confirmed",
        "Организация уже подтверждена.",
    ),
    (
        "organisations.inactive",
        "Ваше участие в этой организации не активно.",
    ),
    (
        "organisations.admin_only",
        "Это может только администратор организации.",
    ),
    (
        "organisations.missing_right",
        "У вас нет права «{right}» в этой организации.",
    ),
    (
        "organisations.signature_refused",
        "Подпись оферты недействительна: {indication}{sub_indication}.",
    ),
    (
        "organisations.signer_not_head",
        "Оферта подписана сертификатом, который не принадлежит ни организации (её ИНН), ни её руководителю.",
    ),
    (
        "organisations.poa_changed",
        "Доверенность тем временем изменилась; откройте её заново.",
    ),
    (
        "organisations.poa_not_found",
        "В организации нет такой доверенности.",
    ),
    (
        "organisations.poa_duplicate",
        "Доверенность с номером {number} уже хранится в организации.",
    ),
    (
        "organisations.poa_unsigned",
        "Руководитель ещё не подписал эту доверенность.",
    ),
    (
        "organisations.poa_illegal_step",
        "Нельзя выполнить «{action}» для доверенности в статусе «{status}».",
    ),
    (
        "organisations.poa_signature_refused",
        "Подпись доверенности недействительна: {indication}{sub_indication}.",
    ),
    (
        "organisations.poa_signer_not_head",
        "Доверенность подписана сертификатом, который не принадлежит ни организации (её ИНН), ни её руководителю.",
    ),
    (
        "organisations.inn_confirmed_elsewhere",
        "На платформе уже подтверждена другая организация с этим ИНН.",
    ),
    (
        "organisations.no_such_member",
        "В организации нет сотрудника с такой учётной записью.",
    ),
    (
        "organisations.illegal_member_step",
        "Нельзя выполнить «{action}» для сотрудника в статусе «{status}».",
    ),
    (
        "organisations.member_changed",
        "Сотрудника только что изменили; обновите страницу и повторите.",
    ),
    (
        "organisations.invitation_invalid",
        "Ссылка приглашения неизвестна, уже использована или устарела; попросите администратора организации прислать новую.",
    ),
    (
        "organisations.invitation_log_in",
        "У этого адреса уже есть учётная запись: войдите и примите приглашение.",
    ),
    (
        "organisations.invitation_other_email",
        "Приглашение отправлено на другой адрес, не на адрес вашей учётной записи.",
    ),
    (
        "organisations.already_member",
        "Вы уже сотрудник этой организации.",
    ),
    // clients
    (
        "clients.not_found",
        "В базе вашей организации нет такого клиента.",
    ),
    (
        "clients.changed",
        "Клиента только что изменили; обновите страницу и повторите.",
    ),
    (
        "clients.request_link_invalid",
        "Ссылка неизвестна, уже использована или устарела; попросите организацию прислать новую.",
    ),
    (
        "clients.request_not_submitted",
        "Запрос в статусе «{status}»; принять можно только заполненный запрос.",
    ),
    (
        "clients.ocr_unavailable",
        "Распознавание паспорта сейчас недоступно; заполните поля вручную.",
    ),
];
