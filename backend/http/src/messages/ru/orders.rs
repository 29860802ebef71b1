//! Russian texts of the message catalogue: orders, chat, notifications, webhooks.

/// `(key, text)`, by area, in the order of [`super::super::en::orders::TEXTS`].
pub const TEXTS: &[(&str, &str)] = &[
    // orders
    ("orders.not_found", "Заказа с таким идентификатором нет."),
    (
        "orders.forbidden_action",
        "В текущей роли вы не можете выполнить действие `{action}` с этим заказом.",
    ),
    (
        "orders.illegal_transition",
        "Действие `{action}` невозможно, пока заказ в статусе `{status}`; сейчас доступно: {allowed}.",
    ),
    (
        "orders.illegal_transition_none",
        "Действие `{action}` невозможно, пока заказ в статусе `{status}`; сейчас ничего не доступно.",
    ),
    (
        "orders.changed",
        "Заказ тем временем изменился; обновите его.",
    ),
    ("orders.not_draft", "Заказ больше не черновик."),
    (
        "orders.not_an_engineer",
        "Учётная запись не принадлежит кадастровому инженеру из реестра СРО.",
    ),
    (
        "orders.engineer_blocked",
        "Кадастровый инженер заблокирован модератором.",
    ),
    (
        "orders.profile_incomplete",
        "В профиле кадастрового инженера не заполнены обязательные поля: {fields}.",
    ),
    (
        "orders.region_not_covered",
        "Регион заказа {region} не входит в регионы деятельности кадастрового инженера.",
    ),
    (
        "orders.sole_active_engineer",
        "Кадастровый инженер — единственный действующий инженер своего работодателя.",
    ),
    (
        "orders.offers_disabled",
        "Кадастровый инженер сейчас не принимает предложения.",
    ),
    (
        "orders.own_order_response",
        "Нельзя откликнуться на собственный заказ.",
    ),
    (
        "orders.already_responded",
        "У вас уже есть активный отклик на этот заказ; отзовите его, чтобы отправить новый.",
    ),
    (
        "orders.closed_for_responses",
        "Заказ больше не принимает отклики.",
    ),
    (
        "orders.response_not_found",
        "Отклика с таким идентификатором нет.",
    ),
    (
        "orders.response_not_withdrawable",
        "Отозвать можно только активный отклик.",
    ),
    (
        "orders.response_not_selectable",
        "Отклик в статусе `{status}`; выбрать можно только активный отклик.",
    ),
    (
        "orders.response_changed",
        "Заказ или отклик тем временем изменились; обновите данные.",
    ),
    (
        "orders.own_order_offer",
        "Нельзя предложить собственный заказ самому себе.",
    ),
    (
        "orders.engineer_not_found",
        "Кадастрового инженера с таким идентификатором нет.",
    ),
    (
        "orders.offer_pending",
        "У этого кадастрового инженера уже есть предложение по этому заказу, ожидающее ответа.",
    ),
    (
        "orders.offer_not_found",
        "Предложения с таким идентификатором нет.",
    ),
    (
        "orders.offer_not_pending",
        "Предложение в статусе `{status}`; ответить можно только на предложение, ожидающее ответа.",
    ),
    (
        "orders.offer_changed",
        "Заказ или предложение тем временем изменились; обновите данные.",
    ),
    // chat
    (
        "chat.not_open",
        "Чат откроется, когда заказчик выберет исполнителя.",
    ),
    (
        "chat.read_only",
        "Писать в чат заказа могут только заказчик и исполнитель; вы можете его читать.",
    ),
    (
        "chat.text_too_large",
        "Текстовое сообщение может занимать не более 64 КиБ.",
    ),
    // notifications
    (
        "notifications.not_found",
        "У вас нет уведомления с таким идентификатором.",
    ),
    // webhooks
    (
        "webhooks.not_found",
        "У вас нет вебхука с таким идентификатором.",
    ),
];
