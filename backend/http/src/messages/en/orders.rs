//! English texts of the message catalogue: orders, chat, notifications, webhooks.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    // orders
    ("orders.not_found", "No order has this id."),
    (
        "orders.forbidden_action",
        "You may not `{action}` this order in your acting role.",
    ),
    (
        "orders.illegal_transition",
        "`{action}` is not possible while the order is `{status}`; allowed now: {allowed}.",
    ),
    (
        "orders.illegal_transition_none",
        "`{action}` is not possible while the order is `{status}`; allowed now: nothing.",
    ),
    ("orders.changed", "The order changed meanwhile; reload it."),
    ("orders.not_draft", "The order is no longer a draft."),
    (
        "orders.not_an_engineer",
        "The account is not a cadastral engineer listed in the SRO registry.",
    ),
    (
        "orders.engineer_blocked",
        "The engineer is blocked by a moderator.",
    ),
    (
        "orders.profile_incomplete",
        "The engineer's profile lacks required fields: {fields}.",
    ),
    (
        "orders.region_not_covered",
        "The order's region {region} is not among the engineer's activity regions.",
    ),
    (
        "orders.sole_active_engineer",
        "The engineer is the only active engineer of his employer.",
    ),
    (
        "orders.offers_disabled",
        "The engineer does not accept offers at the moment.",
    ),
    (
        "orders.own_order_response",
        "You cannot respond to your own order.",
    ),
    (
        "orders.already_responded",
        "You already have an active response to this order; withdraw it to send another.",
    ),
    (
        "orders.closed_for_responses",
        "The order is no longer open for responses.",
    ),
    ("orders.response_not_found", "No response has this id."),
    (
        "orders.response_not_withdrawable",
        "Only an active response can be withdrawn.",
    ),
    (
        "orders.response_not_selectable",
        "This response is `{status}`; only an active one can be selected.",
    ),
    (
        "orders.response_changed",
        "The order or the response changed meanwhile; reload it.",
    ),
    (
        "orders.own_order_offer",
        "You cannot offer your own order to yourself.",
    ),
    ("orders.engineer_not_found", "No engineer has this id."),
    (
        "orders.offer_pending",
        "This engineer already has a pending offer of this order.",
    ),
    ("orders.offer_not_found", "No offer has this id."),
    (
        "orders.offer_not_pending",
        "This offer is `{status}`; only a pending one can be answered.",
    ),
    (
        "orders.offer_changed",
        "The order or the offer changed meanwhile; reload it.",
    ),
    // contracts
    (
        "contracts.no_docx",
        "This version was uploaded as a PDF/A file; it has no DOCX.",
    ),
    ("contracts.not_found", "No contract version has this id."),
    (
        "contracts.made_meanwhile",
        "Another contract version was made meanwhile; reload the order.",
    ),
    ("acts.not_found", "No act version has this id."),
    (
        "acts.made_meanwhile",
        "Another act version was made meanwhile; reload the order.",
    ),
    (
        "contracts.not_pdf",
        "The file is not a PDF; upload the contract as a PDF/A file.",
    ),
    (
        "contracts.not_pdf_a",
        "The PDF does not declare PDF/A conformance in its XMP metadata; export the contract as PDF/A.",
    ),
    (
        "contracts.illegal_step",
        "You cannot `{action}` this document version while it is `{status}`.",
    ),
    (
        "contracts.not_a_party",
        "Only the order's customer and executor, acting in those roles, sign or decline its contract and act.",
    ),
    (
        "contracts.changed",
        "The document version changed meanwhile (signed, declined or voided); reload it.",
    ),
    (
        "contracts.signature_refused",
        "The signature is {indication}{sub_indication}; only a valid signature of this version's exact bytes with a trusted, unrevoked certificate counts. Nothing was stored.",
    ),
    (
        "contracts.signer_not_party",
        "The signature is valid, but its certificate is not yours: sign with a certificate the platform issued to you or one with your SNILS or INN. Nothing was stored.",
    ),
    // invoices
    ("invoices.not_found", "No invoice has this id."),
    (
        "invoices.changed",
        "The invoice changed meanwhile; reload it.",
    ),
    (
        "invoices.already_sent",
        "This invoice of the order has been sent already.",
    ),
    (
        "invoices.illegal_step",
        "You cannot `{action}` this invoice while it is `{status}`.",
    ),
    (
        "invoices.not_customer",
        "Only the order's customer, acting as customer, marks its invoices paid.",
    ),
    (
        "invoices.not_executor",
        "Only the order's executor, acting as engineer, confirms its payments.",
    ),
    // results
    ("results.not_found", "No delivery of results has this id."),
    // reviews
    ("reviews.not_found", "No review has this id."),
    (
        "reviews.already",
        "You have reviewed the engineer of this order already.",
    ),
    // chat
    (
        "chat.not_open",
        "There is no chat with this engineer: it opens when the order is offered to him or he is chosen as the executor.",
    ),
    (
        "chat.read_only",
        "Only the customer and the engineer of a chat write in it; you may read it.",
    ),
    (
        "chat.closed",
        "This chat is closed: the offer was declined or another executor was chosen. It can still be read.",
    ),
    (
        "chat.text_too_large",
        "A text message's body is at most 64 KiB.",
    ),
    // notifications
    (
        "notifications.not_found",
        "You have no notification with this id.",
    ),
    // webhooks
    ("webhooks.not_found", "You have no webhook with this id."),
];
