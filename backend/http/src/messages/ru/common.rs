//! Russian texts of the message catalogue: common, http, idempotency, paging, files, avatars, signatures, dev.

/// `(key, text)`, by area, in the order of [`super::super::en::common::TEXTS`].
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
        "common.kv_unavailable",
        "Служба, нужная платформе, ненадолго недоступна; повторите запрос чуть позже.",
    ),
    (
        "common.internal",
        "Произошла непредвиденная ошибка. Сообщите в поддержку идентификатор запроса.",
    ),
    // http
    (
        "http.method_not_allowed",
        "Этот адрес принимает только: {allow}.",
    ),
    ("http.no_route", "По адресу {path} ничего нет."),
    ("http.no_such_id", "Ресурса с таким идентификатором нет."),
    (
        "http.body_too_large",
        "Тело запроса больше, чем принимает этот адрес.",
    ),
    (
        "http.body_too_large_limit",
        "Тело запроса больше {limit} байт, которые принимает этот адрес.",
    ),
    (
        "http.body_too_large_length",
        "Тело запроса занимает {length} байт; этот адрес принимает не более {limit}.",
    ),
    ("http.body_unreadable", "Не удалось прочитать тело запроса."),
    (
        "http.body_unreadable_reason",
        "Не удалось прочитать тело запроса: {reason}.",
    ),
    (
        "http.json_content_type",
        "Отправьте тело запроса в формате JSON с заголовком `Content-Type: application/json`.",
    ),
    (
        "http.json_shape",
        "JSON не соответствует ожидаемой структуре: {reason}.",
    ),
    (
        "http.json_syntax",
        "Тело запроса не является корректным JSON: {reason}.",
    ),
    (
        "http.query_invalid",
        "Некорректная строка запроса: {reason}.",
    ),
    (
        "http.if_match_stale",
        "If-Match не указывает текущую версию ресурса.",
    ),
    (
        "http.token_missing",
        "Передайте токен доступа: `Authorization: Bearer <token>`.",
    ),
    (
        "http.authorization_invalid",
        "Заголовок Authorization некорректен.",
    ),
    (
        "http.bearer_scheme",
        "Используйте схему Bearer: `Authorization: Bearer <token>`.",
    ),
    ("http.unclassified", "{reason}"),
    // idempotency
    (
        "idempotency.key_invalid",
        "Idempotency-Key должен состоять из 1–255 видимых символов ASCII (удобно взять UUID).",
    ),
    (
        "idempotency.in_progress",
        "Запрос с этим Idempotency-Key ещё обрабатывается; повторите его чуть позже.",
    ),
    (
        "idempotency.key_reused",
        "Этот Idempotency-Key уже использован с другим запросом; возьмите новый ключ.",
    ),
    // paging
    (
        "paging.bad_cursor",
        "Этот курсор выдан не этим списком; начните заново без него.",
    ),
    (
        "paging.cursor_other_sort",
        "Курсор относится к другой сортировке; начните с первой страницы.",
    ),
    // files
    (
        "files.type_not_accepted",
        "Файлы типа `{content_type}` не принимаются; отправьте файл одного из типов: {allowed}.",
    ),
    (
        "files.content_not_declared",
        "Файл не является `{content_type}`: его содержимое другого типа. Укажите его настоящий тип.",
    ),
    (
        "files.program",
        "Программы не принимаются в качестве файлов.",
    ),
    ("files.too_large", "Размер файла — не более {max} байт."),
    (
        "files.range_not_satisfiable",
        "Запрошенный диапазон начинается за концом файла ({size} байт).",
    ),
    ("files.not_found", "Файла с таким идентификатором нет."),
    // avatars
    (
        "avatars.type_not_accepted",
        "Фотография типа `{content_type}` не принимается; отправьте изображение одного из типов: {allowed}.",
    ),
    (
        "avatars.not_found",
        "У этой учётной записи нет фотографии для показа.",
    ),
    // signatures
    (
        "signatures.multipart_expected",
        "Отправьте документ и подпись как multipart/form-data.",
    ),
    (
        "signatures.multipart_unreadable",
        "Не удалось прочитать тело multipart: {reason}.",
    ),
    (
        "signatures.part_too_large",
        "Часть `{part}` может занимать не более {max} байт.",
    ),
    // dev
    (
        "dev.outbox_off",
        "Исходящие сообщения для разработки выключены (их включает MEZHA_DEV_OUTBOX=1).",
    ),
];
