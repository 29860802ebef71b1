//! The client card's certificate part (docs/certificates.md, "Filed by an
//! organisation's CA agent"): "File a certificate application" for an
//! employee whose card offers it, the data the card lacks for it named
//! beside the card's fields (the form shows them through [`filing_issues`])
//! and listed here, and the applications filed for the client with their
//! status, the claim link's state and "Send the link again" when offered.

use crate::api::{ApiError, IdempotencyKey, certificate_agents};
use crate::components::bind::{click, sig};
use crate::components::fields::{Input, non_blank};
use crate::components::form::Submit;
use crate::components::html::{Html, act_button, clicked, status_badge};
use crate::components::problem::{FormError, issue_text, issues};
use crate::format;
use crate::pages::certificates::app_status;
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::certificate_agents::{
    AgentApplication, AgentApplicationAction, ClaimStatus, FileApplication,
};
use mezha_api_types::certificates::ApplicationStatus;
use mezha_api_types::clients::{Client, ClientAction};

/// Problems told in the server's words: why a filing is refused now (one
/// under way, the organisation not confirmed, no `ca_agent`).
const SERVER_TEXT: &[&str] = &["conflict", "forbidden", "illegal_transition"];

/// The card's fields a refused filing names (`422`): `(field, message)`,
/// for the form to show beside its controls.
pub fn filing_issues(error: &Option<ApiError>) -> Vec<(&'static str, String)> {
    let Some(ApiError::Problem(p)) = error else {
        return Vec::new();
    };
    p.errors
        .iter()
        .flatten()
        .filter_map(|(name, list)| {
            let issue = list.first()?;
            // A bad datum has the data checks' code (`snils_checksum`).
            let text = t()
                .clients
                .finding(&issue.code)
                .map(str::to_owned)
                .unwrap_or_else(|| issue_text(issue));
            Some((super::field_control(name)?, text))
        })
        .collect()
}

/// The card's fields a refused filing names, with their labels: each a
/// button that takes the employee to the field.
fn missing_html(error: &Option<ApiError>) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for (field, message) in filing_issues(error) {
        h.open("li", &[("data-missing", Some(field))]);
        h.el(
            "button",
            &[
                ("type", Some("button")),
                ("class", Some("link")),
                ("data-act", Some("focus")),
                ("data-id", Some(field)),
            ],
            c.field(field).unwrap_or_default(),
        );
        h.text(&format!(" — {message}"));
        h.close("li");
    }
    h.finish()
}

/// Where the application stands for the client, in words: waiting for
/// the operator, or the claim link's state (nothing once rejected).
fn claim_text(a: &AgentApplication) -> Option<String> {
    let c = t().clients;
    let date = match a.claim {
        ClaimStatus::NotSent if a.status == ApplicationStatus::Submitted => {
            return Some(c.cert_waiting.to_owned());
        }
        ClaimStatus::NotSent if a.status == ApplicationStatus::Rejected => return None,
        ClaimStatus::Sent => a.claim_expires_at.map(format::time),
        ClaimStatus::Claimed => a.claimed_at.map(format::time),
        _ => None,
    };
    Some(c.claim_state(a.claim, &date.unwrap_or_default()))
}

fn applications_html(items: &[AgentApplication], busy: bool) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for a in items {
        h.open(
            "li",
            &[
                ("class", Some("order-row")),
                ("data-testid", Some("client-cert-application")),
                ("data-claim", Some(a.claim.as_str())),
            ],
        );
        h.open("div", &[("class", Some("order-head"))]);
        status_badge(&mut h, a.status.as_str(), app_status(a.status));
        h.close("div");
        h.open("div", &[("class", Some("order-meta"))]);
        let mut when = format!("{} {}", c.cert_filed_at, format::time(a.created_at));
        if let Some(d) = a.decided_at {
            when.push_str(&format!(", {} {}", c.cert_decided_at, format::time(d)));
        }
        h.el("span", &[], &when);
        h.close("div");
        if let Some(text) = claim_text(a) {
            h.el("p", &[("data-testid", Some("client-cert-claim"))], &text);
        }
        if !a.reject_reasons.is_empty() {
            h.el("p", &[], &format!("{}:", c.cert_reject_reasons));
            h.open("ul", &[]);
            for r in &a.reject_reasons {
                h.el("li", &[], r);
            }
            h.close("ul");
        }
        if a.allowed_actions
            .contains(&AgentApplicationAction::ResendLink)
        {
            h.open("div", &[("class", Some("order-actions"))]);
            act_button(
                &mut h,
                "resend",
                &a.id.to_string(),
                "client-cert-resend",
                None,
                busy,
                c.cert_resend,
            );
            h.close("div");
        }
        h.close("li");
    }
    h.finish()
}

/// The certificate part of saved client `client`'s card. `file_error` is
/// the filing's refusal, which the form shows beside the card's fields too.
#[component]
pub fn ClientCertificates(
    client: RwSignal<Option<Client>>,
    file_error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let auth = use_auth();
    let purpose = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let filed = RwSignal::new(false);
    let resent = RwSignal::new(false);
    let act_error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::<FileApplication>::new();
    // Every refusal but the card's missing fields (the banner, `purpose`).
    let refusal = RwSignal::new(None::<ApiError>);
    let purpose_issues = issues(
        refusal,
        |n| (n == "purpose").then_some("cert-purpose"),
        |_| {},
    );
    let may_file = sig(move || {
        client.with(|c| {
            c.as_ref().is_some_and(|c| {
                c.allowed_actions
                    .contains(&ClientAction::FileCertificateApplication)
            })
        })
    });
    let has_list = sig(move || {
        client.with(|c| {
            c.as_ref()
                .is_some_and(|c| !c.certificate_applications.is_empty())
        })
    });
    let is_missing = sig(move || file_error.with(|e| !filing_issues(e).is_empty()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = client.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let body = FileApplication {
            purpose: non_blank(purpose.get_untracked()),
        };
        busy.set(true);
        file_error.set(None);
        refusal.set(None);
        filed.set(false);
        resent.set(false);
        spawn_local(async move {
            match certificate_agents::file(auth, id, &body, key).await {
                Ok(a) => {
                    client.update(|c| {
                        if let Some(c) = c {
                            c.allowed_actions
                                .retain(|x| *x != ClientAction::FileCertificateApplication);
                            c.certificate_applications.insert(0, a);
                        }
                    });
                    purpose.set(String::new());
                    filed.set(true);
                }
                Err(e) => {
                    // A refusal is final for this body: the next try,
                    // after the card is corrected, is a new submission.
                    if matches!(e, ApiError::Problem(_)) {
                        key.done();
                    }
                    let e = Some(e);
                    if filing_issues(&e).is_empty() {
                        let _ = refusal.try_set(e);
                    } else {
                        let _ = file_error.try_set(e);
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let on_list = click(move |ev| {
        let Some((act, app_id)) = clicked(&ev) else {
            return;
        };
        let Some(client_id) = client.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        let Ok(app_id) = app_id.parse() else {
            return;
        };
        if act != "resend" {
            return;
        }
        busy.set(true);
        act_error.set(None);
        resent.set(false);
        filed.set(false);
        spawn_local(async move {
            match certificate_agents::resend_link(auth, client_id, app_id).await {
                Ok(a) => {
                    client.update(|c| {
                        if let Some(x) = c.as_mut().and_then(|c| {
                            c.certificate_applications.iter_mut().find(|x| x.id == a.id)
                        }) {
                            *x = a;
                        }
                    });
                    resent.set(true);
                }
                Err(e) => {
                    let _ = act_error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    });
    let to_field = click(move |ev| {
        let Some((_, field)) = clicked(&ev) else {
            return;
        };
        let input = document()
            .get_element_by_id(&format!("client-{field}"))
            .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
        if let Some(input) = input {
            let _ = input.focus();
        }
    });
    view! {
        <section class="subsection" data-testid="client-certificates"
            hidden=sig(move || !may_file.get() && !has_list.get())>
            <h2>{tr(|s| s.clients.cert_title)}</h2>
            <form on:submit=submit novalidate data-testid="client-cert-form" hidden=sig(move || !may_file.get())>
                <p class="hint">{tr(|s| s.clients.cert_hint)}</p>
                <Input id="cert-purpose" name="cert-purpose" label=|s| s.clients.cert_purpose
                    hint=|s| s.clients.cert_purpose_hint value=purpose issues=purpose_issues/>
                <div class="error-box" role="alert" data-testid="client-cert-missing" hidden=sig(move || !is_missing.get())>
                    <p>{tr(|s| s.clients.cert_missing)}</p>
                    <ul on:click=to_field inner_html=sig(move || file_error.with(missing_html))></ul>
                </div>
                <FormError error=refusal server_text=SERVER_TEXT/>
                <Submit label=ts(|s| s.clients.cert_file) busy=busy/>
            </form>
            <p class="success" role="status" data-testid="client-cert-filed" hidden=sig(move || !filed.get())>
                {tr(|s| s.clients.cert_filed)}
            </p>
            <div hidden=sig(move || !has_list.get())>
                <h3>{tr(|s| s.clients.cert_list_title)}</h3>
                <ul class="orders" data-testid="client-cert-applications" on:click=on_list
                    inner_html=sig(move || {
                        let busy = busy.get();
                        client.with(|c| c.as_ref().map(|c| applications_html(&c.certificate_applications, busy)).unwrap_or_default())
                    })></ul>
            </div>
            <p class="success" role="status" data-testid="client-cert-resent" hidden=sig(move || !resent.get())>
                {tr(|s| s.clients.cert_resent)}
            </p>
            <FormError error=act_error server_text=SERVER_TEXT/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    fn refusal(json: serde_json::Value) -> Option<ApiError> {
        Some(ApiError::Problem(Box::new(
            serde_json::from_value(json).unwrap(),
        )))
    }

    #[test]
    fn a_refused_filing_names_the_cards_fields_and_nothing_else() {
        let e = refusal(serde_json::json!({
            "type": "urn:mezha:problem:validation_failed", "title": "Invalid", "status": 422,
            "code": "validation_failed",
            "errors": {
                "passport_issuer": [{"code": "required", "message": "Required."}],
                "phone": [{"code": "required", "message": "Required."}],
                "snils": [{"code": "snils_checksum", "message": "Bad checksum."}],
                "purpose": [{"code": "length", "message": "Too long."}],
            },
        }));
        let named: Vec<&str> = filing_issues(&e).iter().map(|(f, _)| *f).collect();
        assert_eq!(named, ["passport_issuer", "phone", "snils"]);
        let snils = &filing_issues(&e)[2].1;
        assert_eq!(
            Some(snils.as_str()),
            crate::i18n::clients::RU.finding("snils_checksum")
        );
        assert!(missing_html(&e).contains("data-missing=\"phone\""));
        let conflict = refusal(serde_json::json!({
            "type": "urn:mezha:problem:conflict", "title": "Conflict", "status": 409,
            "code": "conflict",
        }));
        assert!(filing_issues(&conflict).is_empty());
        assert!(filing_issues(&None).is_empty());
    }

    #[test]
    fn the_claim_is_told_only_once_there_is_one() {
        let at = Utc.with_ymd_and_hms(2026, 12, 14, 9, 30, 0).unwrap();
        let mut a = AgentApplication {
            id: Uuid::nil(),
            client_id: Uuid::nil(),
            organisation_id: Uuid::nil(),
            filed_by: Uuid::nil(),
            status: ApplicationStatus::Submitted,
            claim: ClaimStatus::NotSent,
            claim_expires_at: None,
            reject_reasons: vec![],
            certificate_id: None,
            created_at: at,
            decided_at: None,
            claimed_at: None,
            allowed_actions: vec![],
        };
        assert_eq!(
            claim_text(&a).as_deref(),
            Some(crate::i18n::clients::RU.cert_waiting)
        );
        a.status = ApplicationStatus::Rejected;
        assert_eq!(claim_text(&a), None);
        a.status = ApplicationStatus::Approved;
        a.claim = ClaimStatus::Expired;
        let expired = claim_text(&a).unwrap();
        assert!(!expired.is_empty() && !expired.contains("{}"), "{expired}");
        // (The dated states format the time with the browser's zone.)
        let sent = crate::i18n::clients::EN.claim_state(ClaimStatus::Sent, "14 Dec 2026");
        assert!(sent.ends_with("until 14 Dec 2026."), "{sent}");
        for s in ClaimStatus::ALL {
            assert!(!crate::i18n::clients::RU.claim_state(*s, "").is_empty());
        }
    }
}
