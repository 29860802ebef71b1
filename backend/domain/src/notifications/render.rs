//! The texts of a notification: a title (in-app and e-mail subject), a
//! plain-text body, an HTML body and a short SMS, in Russian or English.
//! Pure functions of the event; user-supplied text (titles, comments) is
//! escaped in the HTML.

use super::{Event, OrderRef, Task};
use mezha_api_types::notifications::{Language, ObjectKind};
use mezha_api_types::orders::OrderStatus;
use uuid::Uuid;

/// Every text of one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line: the in-app title and the e-mail subject.
    pub title: String,
    /// The details, plain text (in-app body; first part of the e-mail).
    pub body: String,
    /// The whole plain-text e-mail (greeting, body, link, signature).
    pub email_text: String,
    /// The HTML e-mail.
    pub email_html: String,
    /// The SMS (short, with the link).
    pub sms: String,
}

/// The web app's path of an object.
pub fn object_path(kind: ObjectKind, id: Uuid) -> String {
    match kind {
        ObjectKind::Order => format!("/orders/{id}"),
        ObjectKind::Employment => "/me/employment".to_owned(),
        ObjectKind::CertificateApplication => format!("/certificate-applications/{id}"),
        ObjectKind::Certificate => format!("/certificates/{id}"),
        ObjectKind::Account => "/me".to_owned(),
        ObjectKind::Deal => format!("/deals/{id}"),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn status_name(status: OrderStatus, lang: Language) -> &'static str {
    use OrderStatus as S;
    match lang {
        Language::Ru => match status {
            S::Draft => "черновик",
            S::ExecutorSelection => "выбор исполнителя",
            S::ContractSigning => "подписание договора",
            S::Prepayment => "предоплата",
            S::InProgress => "в работе",
            S::Acceptance => "приёмка",
            S::Registration => "регистрация",
            S::Payment => "оплата",
            S::Completed => "завершён",
            S::Cancelled => "отменён",
            S::Suspended => "приостановлен",
        },
        Language::En => match status {
            S::Draft => "draft",
            S::ExecutorSelection => "executor selection",
            S::ContractSigning => "contract signing",
            S::Prepayment => "prepayment",
            S::InProgress => "in progress",
            S::Acceptance => "acceptance",
            S::Registration => "registration",
            S::Payment => "payment",
            S::Completed => "completed",
            S::Cancelled => "cancelled",
            S::Suspended => "suspended",
        },
    }
}

fn someone(name: &Option<String>, lang: Language) -> String {
    match (name, lang) {
        (Some(n), _) if !n.trim().is_empty() => n.trim().to_owned(),
        (_, Language::Ru) => "Инженер".to_owned(),
        (_, Language::En) => "An engineer".to_owned(),
    }
}

fn order_label(o: &OrderRef, lang: Language) -> String {
    match lang {
        Language::Ru => format!("заказ № {} «{}»", o.number, o.title),
        Language::En => format!("order No. {} “{}”", o.number, o.title),
    }
}

/// Title and body of an event.
fn texts(event: &Event, lang: Language) -> (String, String) {
    let ru = lang == Language::Ru;
    let pick = |r: String, e: String| if ru { r } else { e };
    match event {
        Event::ResponseReceived {
            order,
            engineer_name,
            price,
            deadline_days,
            ..
        } => {
            let who = someone(engineer_name, lang);
            let o = order_label(order, lang);
            (
                pick(
                    format!("Новый отклик на заказ № {}", order.number),
                    format!("New response to order No. {}", order.number),
                ),
                pick(
                    format!("{who} откликнулся на {o}: {price} ₽, {deadline_days} дн."),
                    format!("{who} responded to {o}: {price} RUB, {deadline_days} days."),
                ),
            )
        }
        Event::OfferReceived { order, message, .. } => {
            let o = order_label(order, lang);
            let extra = message
                .as_deref()
                .map(|m| format!("\n\n{m}"))
                .unwrap_or_default();
            (
                pick(
                    format!("Вам предложен заказ № {}", order.number),
                    format!("You are offered order No. {}", order.number),
                ),
                pick(
                    format!("Заказчик предлагает вам {o}. Примите или отклоните предложение.{extra}"),
                    format!("A customer offers you {o}. Accept or decline the offer.{extra}"),
                ),
            )
        }
        Event::ExecutorSelected { order } => {
            let o = order_label(order, lang);
            (
                pick(
                    format!("Вы выбраны исполнителем заказа № {}", order.number),
                    format!("You are the executor of order No. {}", order.number),
                ),
                pick(
                    format!("Заказчик выбрал ваш отклик на {o}. Подготовьте договор."),
                    format!("The customer selected your response to {o}. Prepare the contract."),
                ),
            )
        }
        Event::OfferAccepted {
            order,
            engineer_name,
        } => {
            let who = someone(engineer_name, lang);
            let o = order_label(order, lang);
            (
                pick(
                    format!("Предложение по заказу № {} принято", order.number),
                    format!("Offer of order No. {} accepted", order.number),
                ),
                pick(
                    format!("{who} принял ваше предложение: {o}."),
                    format!("{who} accepted your offer: {o}."),
                ),
            )
        }
        Event::OfferDeclined {
            order,
            engineer_name,
        } => {
            let who = someone(engineer_name, lang);
            let o = order_label(order, lang);
            (
                pick(
                    format!("Предложение по заказу № {} отклонено", order.number),
                    format!("Offer of order No. {} declined", order.number),
                ),
                pick(
                    format!("{who} отклонил ваше предложение: {o}."),
                    format!("{who} declined your offer: {o}."),
                ),
            )
        }
        Event::OrderStatusChanged {
            order,
            from,
            to,
            comment,
        } => {
            let o = order_label(order, lang);
            let note = comment
                .as_deref()
                .map(|c| format!("\n\n{c}"))
                .unwrap_or_default();
            (
                pick(
                    format!(
                        "Заказ № {}: {}",
                        order.number,
                        status_name(*to, Language::Ru)
                    ),
                    format!(
                        "Order No. {}: {}",
                        order.number,
                        status_name(*to, Language::En)
                    ),
                ),
                pick(
                    format!(
                        "Статус: {o} — «{}» → «{}».{note}",
                        status_name(*from, Language::Ru),
                        status_name(*to, Language::Ru)
                    ),
                    format!(
                        "Status of {o}: “{}” → “{}”.{note}",
                        status_name(*from, Language::En),
                        status_name(*to, Language::En)
                    ),
                ),
            )
        }
        Event::ContractSentForSignature { order } => simple(
            lang,
            order,
            ("Договор ожидает подписи", "Contract awaits your signature"),
            (
                "Договор по {o} ожидает вашей подписи.",
                "The contract of {o} awaits your signature.",
            ),
        ),
        Event::ContractSigned { order } => simple(
            lang,
            order,
            ("Договор подписан", "Contract signed"),
            (
                "Договор по {o} подписан обеими сторонами.",
                "The contract of {o} is signed by both parties.",
            ),
        ),
        Event::ContractDeclined { order, reason } => {
            let o = order_label(order, lang);
            (
                pick(
                    format!("Договор по заказу № {} не подписан", order.number),
                    format!("Contract of order No. {} declined", order.number),
                ),
                pick(
                    format!("Заказчик отказался подписать договор по {o}: {reason}\n\nСоставьте новую версию."),
                    format!("The customer declined to sign the contract of {o}: {reason}\n\nMake a new version."),
                ),
            )
        }
        Event::ActSentForSignature { order } => simple(
            lang,
            order,
            (
                "Акт выполненных работ ожидает подписи",
                "Act of completed works awaits your signature",
            ),
            (
                "Исполнитель подписал акт выполненных работ по {o}; проверьте и подпишите его или откажитесь с причиной.",
                "The executor signed the act of completed works of {o}; check it and sign it or decline with a reason.",
            ),
        ),
        Event::ActSigned { order, completed } => {
            let (title, body) = if *completed {
                (
                    ("Заказ выполнен", "Order completed"),
                    (
                        "Акт выполненных работ по {o} подписан обеими сторонами, оплата подтверждена: заказ выполнен.",
                        "The act of completed works of {o} is signed by both parties and the payment is confirmed: the order is completed.",
                    ),
                )
            } else {
                (
                    ("Акт подписан", "Act signed"),
                    (
                        "Акт выполненных работ по {o} подписан обеими сторонами.",
                        "The act of completed works of {o} is signed by both parties.",
                    ),
                )
            };
            simple(lang, order, title, body)
        }
        Event::ActDeclined { order, reason } => {
            let o = order_label(order, lang);
            (
                pick(
                    format!("Акт по заказу № {} не подписан", order.number),
                    format!("Act of order No. {} declined", order.number),
                ),
                pick(
                    format!("Заказчик отказался подписать акт выполненных работ по {o}: {reason}\n\nСоставьте новую версию акта."),
                    format!("The customer declined to sign the act of completed works of {o}: {reason}\n\nMake a new version of the act."),
                ),
            )
        }
        Event::Reminder { order, task, days } => {
            let o = order_label(order, lang);
            let (ru, en) = match task {
                Task::SignContract => ("подписать договор", "sign the contract"),
                Task::SignAct => ("подписать акт выполненных работ", "sign the act of completed works"),
                Task::PayInvoice => ("оплатить счёт", "pay the invoice"),
                Task::ConfirmPayment => ("подтвердить получение оплаты", "confirm the payment received"),
                Task::AcceptResults => ("принять или отклонить результаты работ", "accept or reject the results"),
            };
            (
                pick(
                    format!("Напоминание по заказу № {}", order.number),
                    format!("Reminder: order No. {}", order.number),
                ),
                pick(
                    format!("Уже {days} дн. ждём, когда вы {ru}: {o}."),
                    format!("For {days} days now {o} has been waiting for you to {en}."),
                ),
            )
        }
        Event::DeadlineApproaching {
            order,
            due_date,
            days_left,
        } => {
            let o = order_label(order, lang);
            let due = due_date.format("%d.%m.%Y");
            (
                pick(
                    format!("Срок по заказу № {} через {days_left} дн.", order.number),
                    format!("Order No. {} is due in {days_left} days", order.number),
                ),
                pick(
                    format!("Результаты по {o} нужно передать до {due}."),
                    format!("The results of {o} are due by {due}."),
                ),
            )
        }
        Event::OrderOverdue { order, due_date } => {
            let o = order_label(order, lang);
            let due = due_date.format("%d.%m.%Y");
            (
                pick(
                    format!("Заказ № {} просрочен", order.number),
                    format!("Order No. {} is overdue", order.number),
                ),
                pick(
                    format!("Срок передачи результатов по {o} истёк {due}, результаты не переданы."),
                    format!("The results of {o} were due on {due} and have not been delivered."),
                ),
            )
        }
        Event::InvoiceSent { order, amount } => {
            let o = order_label(order, lang);
            let sum = amount
                .map(|a| pick(format!(" на {a} ₽"), format!(" for {a} RUB")))
                .unwrap_or_default();
            (
                pick(
                    format!("Счёт по заказу № {}", order.number),
                    format!("Invoice for order No. {}", order.number),
                ),
                pick(
                    format!("Исполнитель выставил счёт{sum}: {o}."),
                    format!("The executor sent an invoice{sum}: {o}."),
                ),
            )
        }
        Event::PaymentMarked { order } => simple(
            lang,
            order,
            ("Заказчик отметил оплату", "Payment marked"),
            (
                "Заказчик отметил оплату по {o}. Подтвердите поступление.",
                "The customer marked {o} paid. Confirm the receipt.",
            ),
        ),
        Event::PaymentConfirmed { order } => simple(
            lang,
            order,
            ("Оплата подтверждена", "Payment confirmed"),
            (
                "Исполнитель подтвердил оплату по {o}.",
                "The executor confirmed the payment of {o}.",
            ),
        ),
        Event::ResultsDelivered { order } => simple(
            lang,
            order,
            ("Результаты работ переданы", "Results delivered"),
            (
                "Исполнитель передал результаты по {o}. Примите или отклоните их.",
                "The executor delivered the results of {o}. Accept or reject them.",
            ),
        ),
        Event::ResultsAccepted { order } => simple(
            lang,
            order,
            ("Результаты приняты", "Results accepted"),
            (
                "Заказчик принял результаты по {o}.",
                "The customer accepted the results of {o}.",
            ),
        ),
        Event::ResultsRejected { order, reasons } => {
            let o = order_label(order, lang);
            let why = reasons
                .as_deref()
                .map(|r| format!("\n\n{r}"))
                .unwrap_or_default();
            (
                pick(
                    format!("Результаты по заказу № {} отклонены", order.number),
                    format!("Results of order No. {} rejected", order.number),
                ),
                pick(
                    format!("Заказчик отклонил результаты по {o}.{why}"),
                    format!("The customer rejected the results of {o}.{why}"),
                ),
            )
        }
        Event::JoinRequestReceived { engineer_name, .. } => {
            let who = someone(engineer_name, lang);
            (
                pick(
                    "Новая заявка на вступление".into(),
                    "New join request".into(),
                ),
                pick(
                    format!("{who} просит принять его в вашу организацию."),
                    format!("{who} asks to join your organisation."),
                ),
            )
        }
        Event::JoinRequestDecided {
            employer_name,
            approved,
            ..
        } => {
            let org = employer_name.clone().unwrap_or_else(|| {
                pick("Организация".into(), "The organisation".into())
            });
            match approved {
                true => (
                    pick("Заявка одобрена".into(), "Join request approved".into()),
                    pick(
                        format!("{org} одобрила вашу заявку на вступление."),
                        format!("{org} approved your join request."),
                    ),
                ),
                false => (
                    pick("Заявка отклонена".into(), "Join request rejected".into()),
                    pick(
                        format!("{org} отклонила вашу заявку на вступление."),
                        format!("{org} rejected your join request."),
                    ),
                ),
            }
        }
        Event::CertificateApplicationApproved { .. } => (
            pick(
                "Заявление на сертификат одобрено".into(),
                "Certificate application approved".into(),
            ),
            pick(
                "Заявление одобрено. Создайте ключ и запрос на сертификат, чтобы выпустить его."
                    .into(),
                "The application is approved. Create a key and a certificate request to have it issued."
                    .into(),
            ),
        ),
        Event::CertificateApplicationRejected { reasons, .. } => {
            let why = if reasons.is_empty() {
                String::new()
            } else {
                format!("\n\n— {}", reasons.join("\n— "))
            };
            (
                pick(
                    "Заявление на сертификат отклонено".into(),
                    "Certificate application rejected".into(),
                ),
                pick(
                    format!("Исправьте заявление и отправьте его снова.{why}"),
                    format!("Correct the application and submit it again.{why}"),
                ),
            )
        }
        Event::CertificateIssued {
            serial, not_after, ..
        } => {
            let until = not_after.format("%d.%m.%Y");
            (
                pick("Сертификат выпущен".into(), "Certificate issued".into()),
                pick(
                    format!("Сертификат (серийный номер {serial}) выпущен и действует до {until}."),
                    format!("The certificate (serial {serial}) is issued, valid until {until}."),
                ),
            )
        }
        Event::CertificateExpiring {
            serial,
            not_after,
            days_left,
            ..
        } => {
            let until = not_after.format("%d.%m.%Y");
            (
                pick(
                    format!("Сертификат электронной подписи истекает через {days_left} дн."),
                    format!("Your e-signature certificate expires in {days_left} days"),
                ),
                pick(
                    format!(
                        "Срок действия сертификата (серийный номер {serial}) истекает {until}. Продлите его, чтобы продолжить подписывать документы."
                    ),
                    format!(
                        "The certificate (serial {serial}) expires on {until}. Renew it to keep signing documents."
                    ),
                ),
            )
        }
        Event::EngineerBlocked { .. } => (
            pick(
                "Учётная запись заблокирована".into(),
                "Account blocked".into(),
            ),
            pick(
                "Модератор заблокировал вашу учётную запись. Обратитесь в поддержку.".into(),
                "A moderator blocked your account. Please contact support.".into(),
            ),
        ),
        Event::DealStatusChanged {
            deal,
            from,
            to,
            message,
        } => {
            let (from, to) = (*from, *to);
            let said = message
                .as_deref()
                .map(|m| pick(format!("\n\nСообщение реестра: {m}"), format!("\n\nThe registry says: {m}")))
                .unwrap_or_default();
            (
                pick(
                    format!("Сделка № {}: {}", deal.number, deal_status_name(to, Language::Ru)),
                    format!("Deal No. {}: {}", deal.number, deal_status_name(to, Language::En)),
                ),
                pick(
                    format!(
                        "Сделка № {} «{}» перешла из статуса «{}» в «{}».{}{said}",
                        deal.number,
                        deal.title,
                        deal_status_name(from, Language::Ru),
                        deal_status_name(to, Language::Ru),
                        deal_hint(to, Language::Ru)
                    ),
                    format!(
                        "Deal No. {} \"{}\" moved from {} to {}.{}{said}",
                        deal.number,
                        deal.title,
                        deal_status_name(from, Language::En),
                        deal_status_name(to, Language::En),
                        deal_hint(to, Language::En)
                    ),
                ),
            )
        }
    }
}

fn deal_status_name(status: mezha_api_types::deals::DealStatus, lang: Language) -> &'static str {
    use mezha_api_types::deals::DealStatus as S;
    match (lang, status) {
        (Language::Ru, S::Draft) => "сбор данных",
        (Language::Ru, S::Statements) => "подписание заявлений",
        (Language::Ru, S::Ready) => "готова к отправке",
        (Language::Ru, S::Submitted) => "отправлена в реестр",
        (Language::Ru, S::FeePayment) => "оплата госпошлины",
        (Language::Ru, S::InRegistration) => "на регистрации",
        (Language::Ru, S::Registered) => "зарегистрирована",
        (Language::Ru, S::Suspended) => "регистрация приостановлена",
        (Language::Ru, S::Refused) => "в регистрации отказано",
        (Language::En, S::Draft) => "data collection",
        (Language::En, S::Statements) => "statements to sign",
        (Language::En, S::Ready) => "ready to send",
        (Language::En, S::Submitted) => "sent to the registry",
        (Language::En, S::FeePayment) => "state fee due",
        (Language::En, S::InRegistration) => "in registration",
        (Language::En, S::Registered) => "registered",
        (Language::En, S::Suspended) => "registration suspended",
        (Language::En, S::Refused) => "registration refused",
    }
}

/// What the responsible employee has to do now, if anything.
fn deal_hint(status: mezha_api_types::deals::DealStatus, lang: Language) -> &'static str {
    use mezha_api_types::deals::DealStatus as S;
    match (lang, status) {
        (Language::Ru, S::FeePayment) => {
            " Оплатите госпошлину по УИН из карточки сделки и отметьте оплату."
        }
        (Language::En, S::FeePayment) => {
            " Pay the state fee by the UIN shown on the deal and mark it paid."
        }
        (Language::Ru, S::Suspended) => " Устраните причину приостановки.",
        (Language::En, S::Suspended) => " Deal with the reason of the suspension.",
        (Language::Ru, S::Refused) => " Исправить ошибку можно в копии сделки.",
        (Language::En, S::Refused) => " A copy of the deal is the way to fix the mistake.",
        _ => "",
    }
}

fn simple(
    lang: Language,
    order: &OrderRef,
    titles: (&str, &str),
    bodies: (&str, &str),
) -> (String, String) {
    let o = order_label(order, lang);
    let (title, body) = match lang {
        Language::Ru => (titles.0, bodies.0),
        Language::En => (titles.1, bodies.1),
    };
    (
        format!("{title}: № {}", order.number).replace("№", no(lang)),
        body.replace("{o}", &o),
    )
}

fn no(lang: Language) -> &'static str {
    match lang {
        Language::Ru => "№",
        Language::En => "No.",
    }
}

/// Renders `event` in `lang`; links point into the web app at `public_url`.
pub fn render(event: &Event, lang: Language, public_url: &str) -> Rendered {
    let (title, body) = texts(event, lang);
    let (kind, id) = event.object();
    let link = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        object_path(kind, id)
    );
    let (hello, open, sign, footer) = match lang {
        Language::Ru => ("Здравствуйте!", "Открыть", "Межа", "Настроить уведомления"),
        Language::En => ("Hello,", "Open", "Mezha", "Notification settings"),
    };
    let settings = format!(
        "{}/me/notification-settings",
        public_url.trim_end_matches('/')
    );
    let email_text =
        format!("{hello}\n\n{body}\n\n{open}: {link}\n\n{sign}\n{footer}: {settings}\n");
    let paragraphs: String = body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
        .collect();
    let email_html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><p>{hello}</p>{paragraphs}<p><a href=\"{l}\">{open}</a></p>\
         <p>{sign}</p><p><small><a href=\"{s}\">{footer}</a></small></p></body></html>",
        lang = lang.as_str(),
        t = escape_html(&title),
        l = escape_html(&link),
        s = escape_html(&settings),
    );
    let sms = format!("{sign}: {title}. {link}");
    Rendered {
        title,
        body,
        email_text,
        email_html,
        sms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notifications::Event;

    fn order() -> OrderRef {
        OrderRef {
            id: Uuid::from_u128(7),
            number: 12,
            title: "Межевание <участка>".into(),
        }
    }

    #[test]
    fn response_received_in_both_languages() {
        let event = Event::ResponseReceived {
            order: order(),
            response_id: Uuid::from_u128(8),
            engineer_name: Some("Иван Петров".into()),
            price: 15000,
            deadline_days: 20,
        };
        let ru = render(&event, Language::Ru, "https://mezha.test/");
        assert_eq!(ru.title, "Новый отклик на заказ № 12");
        assert!(ru.body.contains("Иван Петров"), "{}", ru.body);
        assert!(ru.body.contains("15000 ₽"));
        let link = format!("https://mezha.test/orders/{}", Uuid::from_u128(7));
        assert!(ru.email_text.contains(&link), "{}", ru.email_text);
        assert!(ru.sms.contains(&link));
        let en = render(&event, Language::En, "https://mezha.test");
        assert_eq!(en.title, "New response to order No. 12");
        assert!(en.body.contains("15000 RUB"));
    }

    #[test]
    fn html_escapes_what_users_wrote() {
        let event = Event::OrderStatusChanged {
            order: order(),
            from: OrderStatus::ContractSigning,
            to: OrderStatus::Cancelled,
            comment: Some("<script>alert(1)</script>".into()),
        };
        let r = render(&event, Language::Ru, "https://mezha.test");
        assert!(!r.email_html.contains("<script>"), "{}", r.email_html);
        assert!(r.email_html.contains("&lt;script&gt;"));
        assert!(r.email_html.contains("&lt;участка&gt;"));
        assert!(r.body.contains("<script>"), "plain text stays as written");
        assert_eq!(r.title, "Заказ № 12: отменён");
        let en = render(&event, Language::En, "https://mezha.test");
        assert_eq!(en.title, "Order No. 12: cancelled");
    }

    #[test]
    fn simple_titles_carry_the_order_number() {
        let event = Event::ContractSigned { order: order() };
        assert_eq!(
            render(&event, Language::Ru, "x").title,
            "Договор подписан: № 12"
        );
        assert_eq!(
            render(&event, Language::En, "x").title,
            "Contract signed: No. 12"
        );
    }

    #[test]
    fn every_text_is_non_empty() {
        let id = Uuid::from_u128(9);
        let at = chrono::DateTime::<chrono::Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let events = [
            Event::JoinRequestReceived {
                employment_id: id,
                engineer_name: None,
            },
            Event::CertificateExpiring {
                certificate_id: id,
                serial: "0A".into(),
                not_after: at,
                days_left: 30,
            },
            Event::EngineerBlocked { user_id: id },
        ];
        for event in events {
            for lang in Language::ALL {
                let r = render(&event, *lang, "https://mezha.test");
                assert!(!r.title.is_empty() && !r.body.is_empty());
                assert!(r.email_html.starts_with("<!DOCTYPE html>"));
            }
        }
        assert_eq!(
            render(&events_expiring(at), Language::Ru, "x").title,
            "Сертификат электронной подписи истекает через 30 дн."
        );
    }

    fn events_expiring(at: chrono::DateTime<chrono::Utc>) -> Event {
        Event::CertificateExpiring {
            certificate_id: Uuid::from_u128(1),
            serial: "0A".into(),
            not_after: at,
            days_left: 30,
        }
    }
}
