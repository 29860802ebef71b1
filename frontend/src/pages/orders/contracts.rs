//! The order card's contract part (docs/contracts.md): the versions with
//! their status, SHA-256 and signatures; for the executor the form that
//! makes a version from the template (amounts checked as they are typed)
//! or from his PDF/A file; for the party whose turn it is, signing in the
//! browser or uploading a detached signature, and for the customer
//! declining with a reason. Buttons follow the server's `allowed_actions`.

use super::card::Card;
use crate::api::contracts::Doc;
use crate::api::{ApiError, IdempotencyKey, contracts, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::{Area, Input};
use crate::components::form::Submit;
use crate::components::html::{Html, act_button, clicked, detail, status_badge};
use crate::components::problem::{FormError, issues};
use crate::components::upload::chosen_file;
use crate::format;
use crate::pages::certificates::sign::{SignDocument, report_html};
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::contracts::{
    Contract, ContractAction, ContractParty, ContractSignature, ContractSource, ContractStatus,
    ContractTerms, NewContract, Signatory,
};
use mezha_api_types::orders::{Order, OrderAction};
use uuid::Uuid;

/// Kopecks from what was typed: roubles with optional spaces, and up to two
/// digits of kopecks after a comma or a point. No floats.
pub fn parse_kopecks(text: &str) -> Option<i64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let (roubles, kopecks) = match compact.split_once([',', '.']) {
        Some((r, k)) => (r, k),
        None => (compact.as_str(), ""),
    };
    if roubles.is_empty()
        || !roubles.bytes().all(|b| b.is_ascii_digit())
        || kopecks.len() > 2
        || !kopecks.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let kopecks = match kopecks.len() {
        0 => 0,
        1 => kopecks.parse::<i64>().ok()? * 10,
        _ => kopecks.parse::<i64>().ok()?,
    };
    roubles
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(kopecks)
}

/// `percent`% of `price`, rounded half up to the kopeck (as the server).
pub fn percent_of(price: i64, percent: i64) -> i64 {
    (i128::from(price) * i128::from(percent) + 50)
        .div_euclid(100)
        .try_into()
        .unwrap_or(i64::MAX)
}

pub use crate::format::money;

fn status_name(status: ContractStatus) -> &'static str {
    let c = t().contracts;
    match status {
        ContractStatus::AwaitingEngineer => c.awaiting_engineer,
        ContractStatus::AwaitingCustomer => c.awaiting_customer,
        ContractStatus::Signed => c.signed,
        ContractStatus::Declined => c.declined,
        ContractStatus::Voided => c.voided,
    }
}

/// What the version list shows of one contract or act version.
pub(super) struct Row<'a> {
    pub id: Uuid,
    pub number: String,
    pub status: ContractStatus,
    /// A word under the number (how the version was made).
    pub hint: Option<&'static str>,
    /// `(test id, label, value)` of each detail.
    pub details: Vec<(&'static str, &'static str, String)>,
    pub sha256: &'a str,
    pub declined_reason: Option<&'a str>,
    pub signatures: &'a [ContractSignature],
    /// Whether a DOCX of the same text can be downloaded.
    pub docx: bool,
}

/// A contract version as a [`Row`].
fn contract_row(v: &Contract) -> Row<'_> {
    let c = t().contracts;
    let mut details = Vec::new();
    if let Some(terms) = &v.terms {
        details.push(("price", c.price, money(terms.price_kopecks)));
        if terms.advance_kopecks > 0 {
            let advance = format!(
                "{} ({}%)",
                money(terms.advance_kopecks),
                terms.advance_percent
            );
            details.push(("advance", c.advance, advance));
        }
        details.push(("deadline", c.deadline, format::date(terms.deadline)));
    }
    if let Some(words) = &v.price_in_words {
        details.push(("price-words", c.price_words, words.clone()));
    }
    Row {
        id: v.id,
        number: format!("{} {}", c.version_prefix, v.number),
        status: v.status,
        hint: Some(match v.source {
            ContractSource::Template => c.source_template,
            ContractSource::Upload => c.source_upload,
        }),
        details,
        sha256: &v.document.sha256,
        declined_reason: v.declined_reason.as_deref(),
        signatures: &v.signatures,
        docx: v.source == ContractSource::Template,
    }
}

/// The versions, newest first, with their signatures and reports and a
/// download button each. Test ids start with the kind's name
/// (`contract-version`, `act-version`, …).
pub(super) fn versions_html(doc: Doc, rows: &[Row], busy: bool) -> String {
    let t = t();
    let c = t.contracts;
    let name = doc.name();
    let testid = |what: &str| format!("{name}-{what}");
    let mut h = Html::new();
    if rows.is_empty() {
        h.el("p", &[("class", Some("empty"))], c.empty);
        return h.finish();
    }
    h.open(
        "ol",
        &[
            ("class", Some("contract-versions")),
            ("aria-label", Some(c.versions)),
            ("data-testid", Some(&testid("versions"))),
        ],
    );
    for v in rows.iter().rev() {
        let id = v.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("contract-version")),
                ("data-testid", Some(&testid("version"))),
                ("data-version-id", Some(&id)),
                ("data-status", Some(v.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el("strong", &[], &v.number);
        status_badge(&mut h, v.status.as_str(), status_name(v.status));
        if let Some(hint) = v.hint {
            h.el("small", &[("class", Some("hint"))], hint);
        }
        h.close("div");
        h.open("dl", &[("class", Some("details"))]);
        for (key, label, value) in &v.details {
            detail(&mut h, key, label, value);
        }
        detail(&mut h, "sha256", c.sha256, v.sha256);
        if let Some(reason) = v.declined_reason {
            detail(&mut h, "declined-reason", c.declined_reason, reason);
        }
        h.close("dl");
        h.el("h4", &[], c.signatures);
        if v.signatures.is_empty() {
            h.el("p", &[("class", Some("empty"))], c.no_signatures);
        }
        for s in v.signatures {
            let party = match s.party {
                ContractParty::Engineer => c.party_engineer,
                ContractParty::Customer => c.party_customer,
            };
            h.open(
                "details",
                &[
                    ("class", Some("signature")),
                    ("data-testid", Some(&testid("signature"))),
                    ("data-party", Some(s.party.as_str())),
                ],
            );
            let who = s.signer_name.clone().unwrap_or_default();
            h.el(
                "summary",
                &[],
                &format!(
                    "{party}: {who} · {} · {}",
                    format::time(s.created_at),
                    s.report.indication.as_str()
                ),
            );
            h.open("dl", &[("class", Some("details"))]);
            h.raw(&report_html(&s.report));
            h.close("dl").close("details");
        }
        act_button(
            &mut h,
            "preview",
            &id,
            &testid("preview"),
            None,
            busy,
            c.preview,
        );
        h.text(" ");
        act_button(
            &mut h,
            "download",
            &id,
            &testid("download"),
            None,
            busy,
            c.download,
        );
        if v.docx {
            h.text(" ");
            act_button(
                &mut h,
                "docx",
                &id,
                &testid("download-docx"),
                None,
                busy,
                c.download_docx,
            );
        }
        h.close("li");
    }
    h.close("ol");
    h.finish()
}

/// A click handler for the buttons of [`versions_html`]: the version's
/// PDF shown in the page (`preview`: its object URL), or its PDF or DOCX
/// saved as `<kind>-<number>.<ext>`.
pub(super) fn downloads(
    card: Card,
    doc: Doc,
    number_of: impl Fn(Uuid) -> Option<i32> + Copy + 'static,
    error: RwSignal<Option<ApiError>>,
    preview: RwSignal<Option<String>>,
) -> impl Fn(leptos::ev::MouseEvent) + Copy + 'static {
    move |ev: leptos::ev::MouseEvent| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse::<Uuid>() else { return };
        if act == "preview" {
            let auth = card.auth;
            spawn_local(async move {
                match contracts::preview_url(auth, doc, id).await {
                    Ok(url) => {
                        if let Some(old) = preview.try_get_untracked().flatten() {
                            let _ = web_sys::Url::revoke_object_url(&old);
                        }
                        preview.set(Some(url));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
            return;
        }
        let docx = act == "docx";
        let name = format!(
            "{}-{}.{}",
            doc.name(),
            number_of(id).unwrap_or_default(),
            if docx { "docx" } else { "pdf" }
        );
        let auth = card.auth;
        spawn_local(async move {
            if let Err(e) = contracts::download(auth, doc, id, &name, docx).await {
                error.set(Some(e));
            }
        });
    }
}

#[component]
pub fn Contracts(card: Card) -> impl IntoView {
    let versions = RwSignal::new(Vec::<Contract>::new());
    let error = RwSignal::new(None::<ApiError>);
    let assigned = move || card.assigned();
    // Again whenever the order changes (a signature moves it on).
    Effect::new(move |_| {
        if !card.order.with(Option::is_some) || !assigned() {
            return;
        }
        let (auth, id) = (card.auth, card.id());
        spawn_local(async move {
            match contracts::list(auth, id).await {
                Ok(page) => versions.set(page.items),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let number_of =
        move |id| versions.with_untracked(|l| l.iter().find(|v| v.id == id).map(|v| v.number));
    let preview = RwSignal::new(None::<String>);
    let download = click(downloads(card, Doc::Contract, number_of, error, preview));
    // The version the caller may sign or decline now.
    let current = Memo::new(move |_| {
        versions.with(|l| {
            l.iter()
                .rev()
                .find(|v| !v.allowed_actions.is_empty())
                .cloned()
        })
    });
    view! {
        <section class="card" aria-labelledby="contract-title" data-testid="contracts" hidden=sig(move || !assigned())>
            <h2 id="contract-title">{tr(|s| s.contracts.title)}</h2>
            <div on:click=download inner_html=sig(move || versions.with(|l| {
                let rows: Vec<Row> = l.iter().map(contract_row).collect();
                versions_html(Doc::Contract, &rows, card.busy.get())
            }))></div>
            <PdfPreview doc=Doc::Contract url=preview/>
            <FormError error=error/>
        </section>
        {move || current.get().map(|v| view! {
            <SignPanel card=card doc=Doc::Contract id=v.id number=v.number allowed=v.allowed_actions/>
        })}
        // Open while there is no version yet; then a new version is one
        // click away.
        <details class="card contract-new" data-testid="contract-new"
            prop:open=move || versions.with(Vec::is_empty)
            hidden=sig(move || !card.allows(OrderAction::CreateContract))>
            <summary><h2>{tr(|s| s.contracts.make_title)}</h2></summary>
            {move || card.order.get().map(|o| view! { <ContractForm card=card order=o/> })}
        </details>
    }
}

/// The PDF of the version last previewed, in the page, with buttons that
/// print it (the browser's print dialog for the PDF itself) and close it.
#[component]
pub(super) fn PdfPreview(doc: Doc, url: RwSignal<Option<String>>) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Iframe>::new();
    let print = move |_| {
        if let Some(window) = frame.get_untracked().and_then(|f| f.content_window()) {
            let _ = window.print();
        }
    };
    let close = move |_| {
        if let Some(old) = url.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        url.set(None);
    };
    move || {
        url.get().map(|src| {
            view! {
                <div class="pdf-preview" data-testid=format!("{}-preview-frame", doc.name())>
                    <iframe src=src title=tr(|s| s.contracts.preview) node_ref=frame></iframe>
                    <div class="actions">
                        <button type="button" data-testid=format!("{}-print", doc.name()) on:click=print>
                            {tr(|s| s.contracts.print)}
                        </button>
                        <button type="button" on:click=close>{tr(|s| s.contracts.preview_close)}</button>
                    </div>
                </div>
            }
        })
    }
}

/// Signing a contract or act version `number` (in the browser or by an
/// uploaded signature file) and, for the customer, declining it; `allowed`
/// is what the server says the caller may do with it.
#[component]
pub(super) fn SignPanel(
    card: Card,
    doc: Doc,
    id: Uuid,
    number: i32,
    allowed: Vec<ContractAction>,
) -> impl IntoView {
    let auth = card.auth;
    let may_sign = allowed.contains(&ContractAction::Sign);
    let may_decline = allowed.contains(&ContractAction::Decline);
    let document = RwSignal::new(None::<Vec<u8>>);
    let error = RwSignal::new(None::<ApiError>);
    let refused = RwSignal::new(None::<String>);
    spawn_local(async move {
        match contracts::document(auth, doc, id).await {
            Ok(bytes) => document.set(Some(bytes)),
            Err(e) => error.set(Some(e)),
        }
    });
    let send = move |der: Vec<u8>| {
        refused.set(None);
        card.act(
            error,
            Box::pin(async move {
                match contracts::sign(auth, doc, id, &der).await {
                    Ok(_) => Ok(()),
                    Err(e) => {
                        if let ApiError::Problem(p) = &e
                            && let Some(report) = &p.report
                        {
                            refused.set(Some(report_html(report)));
                        }
                        Err(e)
                    }
                }
            }),
        );
    };
    let on_signed = Callback::new(send);
    let file = NodeRef::<leptos::html::Input>::new();
    let upload = click(move |_| {
        let Some(chosen) = chosen_file(file) else {
            return;
        };
        spawn_local(async move {
            let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(chosen.array_buffer()).await
            else {
                return;
            };
            send(js_sys::Uint8Array::new(&buffer).to_vec());
        });
    });
    let reason = RwSignal::new(String::new());
    let decline_error = RwSignal::new(None::<ApiError>);
    let decline_issues = issues(
        decline_error,
        |n| (n == "reason").then_some("reason"),
        |_| {},
    );
    let decline = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        card.act(
            decline_error,
            Box::pin(async move { contracts::decline(auth, doc, id, text).await }),
        );
    };
    let c = t().contracts;
    let title = match doc {
        Doc::Contract => format!("{} · {} {number}", c.sign_title, c.version_prefix),
        Doc::Act => format!("{} · {} {number}", c.act_sign_title, c.version_prefix),
    };
    let decline_title = match doc {
        Doc::Contract => c.decline_title,
        Doc::Act => c.act_decline_title,
    };
    let file_id = format!("{}-signature-file", doc.name());
    let testid = move |what: &str| format!("{}-{what}", doc.name());
    let reason_id = match doc {
        Doc::Contract => "contract-decline-reason",
        Doc::Act => "act-decline-reason",
    };
    view! {
        <section class="card" data-testid=testid("sign") hidden=!may_sign>
            <h2>{title}</h2>
            <p class="hint">{tr(|s| s.contracts.sign_hint)}</p>
            <SignDocument document=document.into() on_signed=on_signed/>
            <div class="field">
                <label for=file_id.clone()>{tr(|s| s.contracts.signature_file)}</label>
                <input type="file" id=file_id accept=".p7s,.sig,.der,.pem" node_ref=file/>
            </div>
            <button type="button" data-testid=testid("upload-signature") disabled=card.busy on:click=upload>
                {tr(|s| s.contracts.upload_signature)}
            </button>
            <FormError error=error/>
            <div hidden=sig(move || refused.with(Option::is_none)) data-testid=testid("refusal-report")>
                <h3>{tr(|s| s.contracts.report)}</h3>
                <dl class="details" inner_html=sig(move || refused.get().unwrap_or_default())></dl>
            </div>
        </section>
        <form class="card" on:submit=decline novalidate data-testid=testid("decline") hidden=!may_decline>
            <h2>{decline_title}</h2>
            <Area id=reason_id name="reason" label=|s| s.contracts.decline_reason value=reason issues=decline_issues/>
            <FormError error=decline_error/>
            <Submit label=ts(|s| s.contracts.decline_submit) busy=card.busy/>
        </form>
    }
}

/// The terms, pre-filled from the order: the amounts follow the price and
/// the percent as they are typed.
#[component]
fn ContractForm(card: Card, order: Order) -> impl IntoView {
    let c = t().contracts;
    let representative = RwSignal::new(false);
    let signatory_name = RwSignal::new(String::new());
    let basis = RwSignal::new(String::new());
    let mut object_text = order.description.clone().unwrap_or_default();
    if !order.cadastral_numbers.is_empty() {
        object_text = format!("{object_text} {}", order.cadastral_numbers.join(", "))
            .trim()
            .to_owned();
    }
    let object = RwSignal::new(object_text);
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let deadline = RwSignal::new(
        order
            .deadline_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let price = RwSignal::new(order.price.map(|p| p.to_string()).unwrap_or_default());
    let percent = RwSignal::new(
        order
            .prepayment_percent
            .filter(|_| order.prepayment_required)
            .map_or_else(|| "0".to_owned(), |p| p.to_string()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::new();
    let amounts = Memo::new(move |_| {
        let price = parse_kopecks(&price.get())?;
        let pct: i64 = percent
            .get()
            .trim()
            .parse()
            .ok()
            .filter(|p| (0..=100).contains(p))?;
        let advance = percent_of(price, pct);
        Some((price, pct, advance, price - advance))
    });
    let issues = issues(
        error,
        |name| match name {
            "signatory_name"
            | "acting_on_basis"
            | "object_characteristics"
            | "email"
            | "phone"
            | "deadline" => Some(match name {
                "signatory_name" => "signatory_name",
                "acting_on_basis" => "acting_on_basis",
                "object_characteristics" => "object_characteristics",
                "email" => "email",
                "phone" => "phone",
                _ => "deadline",
            }),
            "price_kopecks" => Some("price"),
            "advance_percent" | "advance_kopecks" | "remainder_kopecks" => Some("advance_percent"),
            _ => None,
        },
        move |found| {
            let t = t();
            if !price.get().trim().is_empty() && parse_kopecks(&price.get()).is_none() {
                found.push(("price", t.contracts.amount_format.to_owned()));
            }
            let pct = percent.get();
            if pct
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|p| (0..=100).contains(p))
                .is_none()
            {
                found.push(("advance_percent", t.contracts.percent_range.to_owned()));
            }
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((price, pct, advance, remainder)) = amounts.get_untracked() else {
            return;
        };
        let Ok(deadline) = deadline.get_untracked().parse() else {
            error.set(None);
            return;
        };
        let given = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        let terms = ContractTerms {
            signatory: if representative.get_untracked() {
                Signatory::Representative
            } else {
                Signatory::Executor
            },
            signatory_name: signatory_name.get_untracked().trim().to_owned(),
            acting_on_basis: basis.get_untracked().trim().to_owned(),
            object_characteristics: object.get_untracked().trim().to_owned(),
            email: given(email),
            phone: given(phone),
            deadline,
            price_kopecks: price,
            advance_percent: u8::try_from(pct).unwrap_or(0),
            advance_kopecks: advance,
            remainder_kopecks: remainder,
            extra_file_id: None,
        };
        let body = NewContract {
            terms: Some(terms),
            file_id: None,
        };
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move { contracts::create(auth, id, &body, key).await.map(drop) }),
        );
    };
    let file = NodeRef::<leptos::html::Input>::new();
    let upload_error = RwSignal::new(None::<ApiError>);
    let upload = click(move |_| {
        let Some(chosen) = chosen_file(file) else {
            return;
        };
        let (auth, id) = (card.auth, card.id());
        card.act(
            upload_error,
            Box::pin(async move {
                let info = orders::upload(auth, &chosen).await?;
                let body = NewContract {
                    terms: None,
                    file_id: Some(info.id),
                };
                contracts::create(auth, id, &body, IdempotencyKey::new())
                    .await
                    .map(drop)
            }),
        );
    });
    view! {
        <form class="contract-form" on:submit=submit novalidate data-testid="contract-form">
            <p class="hint">{c.make_hint}</p>
            <div class="field">
                <label for="contract-signatory">{c.signatory}</label>
                <select id="contract-signatory" on:change=move |ev| representative.set(event_target_value(&ev) == "representative")>
                    <option value="executor">{c.signatory_executor}</option>
                    <option value="representative">{c.signatory_representative}</option>
                </select>
            </div>
            <Input id="contract-signatory-name" name="signatory_name" required=true label=|s| s.contracts.signatory_name value=signatory_name issues=issues/>
            <Input id="contract-basis" name="acting_on_basis" required=true label=|s| s.contracts.acting_on_basis
                hint=|s| s.contracts.acting_on_basis_hint value=basis issues=issues/>
            <Area id="contract-object" name="object_characteristics" label=|s| s.contracts.object value=object issues=issues/>
            <div class="row">
                <Input id="contract-email" name="email" kind="email" label=|s| s.contracts.email value=email issues=issues/>
                <Input id="contract-phone" name="phone" kind="tel" label=|s| s.contracts.phone value=phone issues=issues/>
            </div>
            <div class="row">
                <Input id="contract-deadline" name="deadline" kind="date" required=true label=|s| s.contracts.deadline value=deadline issues=issues/>
                <Input id="contract-price" name="price" required=true label=|s| s.contracts.price
                    hint=|s| s.contracts.price_hint value=price issues=issues/>
                <Input id="contract-percent" name="advance_percent" numeric=true label=|s| s.contracts.advance_percent value=percent issues=issues/>
            </div>
            <p class="hint" data-testid="contract-amounts" aria-live="polite">
                {move || amounts.get().map(|(_, _, advance, remainder)| {
                    let c = t().contracts;
                    format!("{}: {} · {}: {}", c.advance, money(advance), c.remainder, money(remainder))
                })}
            </p>
            <FormError error=error/>
            <Submit label=ts(|s| s.contracts.make_submit) busy=card.busy/>
            <h3>{c.upload_title}</h3>
            <p class="hint">{c.upload_hint}</p>
            <div class="field">
                <label for="contract-file">{c.upload_file}</label>
                <input type="file" id="contract-file" accept="application/pdf,.pdf" node_ref=file/>
            </div>
            <button type="button" data-testid="contract-upload" disabled=card.busy on:click=upload>{c.upload_submit}</button>
            <FormError error=upload_error/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_typed_in_roubles_and_kopecks() {
        let cases = [
            ("25000", Some(2_500_000)),
            ("25 000,5", Some(2_500_050)),
            ("25 000.05", Some(2_500_005)),
            ("0,99", Some(99)),
            ("1,234", None),
            ("-5", None),
            ("", None),
            ("12a", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_kopecks(text), want, "{text:?}");
        }
        assert_eq!(percent_of(10_001, 30), 3_000);
        assert_eq!(percent_of(1, 50), 1);
    }
}
