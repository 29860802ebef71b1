//! The organisation's audit log (`/organisation/audit`, its admin): every
//! membership, rights and settings change, newest first — what, who, whom,
//! when and what changed — a page at a time ("Load more").

use super::{Managed, ManagedStatus, back_html};
use crate::api::{ApiError, organisations};
use crate::components::bind::{click, sig};
use crate::components::html::Html;
use crate::components::problem::FormError;
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::format;
use crate::i18n::organisations::OrgStrings;
use crate::session::use_auth;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::organisations::{AuditEntry, AuditKind, OrgRight, OrganisationAction};
use serde_json::Value;
use uuid::Uuid;

#[component]
pub fn OrgAuditPage() -> impl IntoView {
    let shown = signed_in();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="org-audit-page">
            <h1>{tr(|s| s.orgs.audit_title)}</h1>
            {move || shown.get().then(|| view! { <Audit/> })}
        </section>
    }
}

#[component]
fn Audit() -> impl IntoView {
    let managed = Managed::new(OrganisationAction::ViewAudit);
    managed.load();
    let org = managed.working();
    let id = Memo::new(move |_| org.with(|o| o.as_ref().map(|o| o.id)));
    view! {
        <p inner_html=sig(move || managed.org.with(|o| o.as_ref().map(back_html).unwrap_or_default()))></p>
        <ManagedStatus managed=managed/>
        {move || id.get().map(|id| view! { <Log id=id/> })}
    }
}

/// Rights by name, or "none".
fn rights_text(o: &OrgStrings, value: &Value) -> String {
    let names: Vec<&str> = value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str()?.parse::<OrgRight>().ok())
        .map(|r| o.right(r))
        .collect();
    if names.is_empty() {
        o.nothing.to_owned()
    } else {
        names.join(", ")
    }
}

/// What changed, in words, when the entry's `details` say more than its
/// kind: the invited address, the rights or settings before and after.
fn details_text(o: &OrgStrings, kind: AuditKind, details: &Value) -> Option<String> {
    match kind {
        AuditKind::Invited | AuditKind::Joined => details["email"].as_str().map(str::to_owned),
        AuditKind::RightsChanged => Some(format!(
            "{}: {} → {}: {}",
            o.before,
            rights_text(o, &details["before"]),
            o.after,
            rights_text(o, &details["after"])
        )),
        AuditKind::SettingsChanged => {
            let (before, after) = (
                details["before"].as_object()?,
                details["after"].as_object()?,
            );
            let yes_no = |v: Option<&Value>| match v.and_then(Value::as_bool) {
                Some(true) => o.yes,
                _ => o.no,
            };
            let changes: Vec<String> = after
                .iter()
                .filter(|(key, now)| before.get(key.as_str()) != Some(now))
                .filter_map(|(key, now)| {
                    Some(format!(
                        "{}: {} → {}",
                        o.setting(key)?,
                        yes_no(before.get(key.as_str())),
                        yes_no(Some(now))
                    ))
                })
                .collect();
            (!changes.is_empty()).then(|| changes.join("; "))
        }
        AuditKind::Registered => details["inn"]
            .as_str()
            .map(|inn| format!("{} {inn}", t().inn)),
        AuditKind::Confirmed => details["offer_edition"]
            .as_str()
            .map(|e| format!("{}: {e}", o.offer_edition)),
        // The address a client's data was asked at.
        AuditKind::ClientRequested => details["email"].as_str().map(str::to_owned),
        AuditKind::ClientRead | AuditKind::ClientAdded => details["full_name"]
            .as_str()
            .map(|name| format!("{}: {name}", o.client)),
        // Whom it empowers (its number is a registry UUID: not shown), and
        // why it was revoked.
        AuditKind::PoaUploaded | AuditKind::PoaSigned => details["representative"]
            .as_str()
            .map(|name| format!("{}: {name}", t().poa.representative)),
        AuditKind::PoaRevoked => {
            let p = t().poa;
            let mut parts = Vec::new();
            if let Some(name) = details["representative"].as_str() {
                parts.push(format!("{}: {name}", p.representative));
            }
            if let Some(reason) = details["reason"].as_str() {
                parts.push(format!("{}: {reason}", p.revoke_reason));
            }
            (!parts.is_empty()).then(|| parts.join(" · "))
        }
        AuditKind::Activated | AuditKind::Deactivated => None,
    }
}

fn entries_html(entries: &[AuditEntry]) -> String {
    let o = t().orgs;
    let mut h = Html::new();
    for e in entries {
        h.open(
            "li",
            &[
                ("data-testid", Some("audit-entry")),
                ("data-kind", Some(e.kind.as_str())),
            ],
        );
        h.el("time", &[], &format::time(e.at));
        h.open("div", &[("class", Some("what"))]);
        h.el("strong", &[], o.audit_kind(e.kind));
        h.close("div");
        let mut who = vec![format!(
            "{}: {}",
            o.by,
            e.actor_name.as_deref().unwrap_or(o.platform)
        )];
        // Whom it concerned, unless the one who did it (he joined).
        if let Some(name) = e
            .subject_name
            .as_ref()
            .filter(|_| e.subject_id != e.actor_id)
        {
            who.push(format!("{}: {name}", o.whom));
        }
        h.el("p", &[("class", Some("party-terms"))], &who.join(" · "));
        if let Some(text) = details_text(o, e.kind, &e.details) {
            h.el("p", &[("class", Some("comment"))], &text);
        }
        h.close("li");
    }
    h.finish()
}

/// The log of organisation `id`, a page at a time.
#[component]
fn Log(id: Uuid) -> impl IntoView {
    let auth = use_auth();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(Load::Loading);
    let more_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let first = Callback::new(move |_| {
        state.set(Load::Loading);
        load(state, organisations::audit(auth, id, None), move |page| {
            entries.set(page.items);
            next.set(page.next_cursor);
        });
    });
    first.run(());
    let more = click(move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        busy.set(true);
        more_error.set(None);
        spawn_local(async move {
            match organisations::audit(auth, id, Some(cursor)).await {
                Ok(page) => {
                    entries.update(|e| e.extend(page.items));
                    next.set(page.next_cursor);
                }
                Err(e) => more_error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    view! {
        <LoadStatus state=state retry=first/>
        <ul class="timeline" data-testid="audit-log" inner_html=sig(move || entries.with(|e| entries_html(e)))></ul>
        <p class="empty" hidden=sig(move || !state.get().is_ready() || !entries.with(Vec::is_empty))>
            {tr(|s| s.orgs.audit_empty)}
        </p>
        <FormError error=more_error/>
        <button type="button" data-testid="audit-more" hidden=sig(move || next.with(Option::is_none))
            disabled=busy on:click=more>
            {move || if busy.get() { t().loading } else { t().orgs.load_more }}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::organisations::RU;
    use serde_json::json;

    #[test]
    fn the_details_say_what_changed_in_words() {
        let rights = json!({"before": [], "after": ["create_deals", "manage_clients"]});
        assert_eq!(
            details_text(&RU, AuditKind::RightsChanged, &rights).as_deref(),
            Some("было: нет → стало: Создавать сделки, Вести базу клиентов")
        );
        let settings = json!({
            "before": {"auto_pay_state_fee": false, "notify_employees_by_email": true, "notify_employees_by_sms": false},
            "after": {"auto_pay_state_fee": true, "notify_employees_by_email": true, "notify_employees_by_sms": false},
        });
        assert_eq!(
            details_text(&RU, AuditKind::SettingsChanged, &settings).as_deref(),
            Some("автооплата госпошлины: нет → да")
        );
        let invited = json!({"email": "clerk@example.com", "invitation_id": "x"});
        assert_eq!(
            details_text(&RU, AuditKind::Invited, &invited).as_deref(),
            Some("clerk@example.com")
        );
        // Unknown rights and settings are left out, never shown by their wire names.
        let odd = json!({"before": ["no_such_right"], "after": {"x": 1}});
        assert_eq!(
            details_text(&RU, AuditKind::RightsChanged, &odd).as_deref(),
            Some("было: нет → стало: нет")
        );
        assert_eq!(details_text(&RU, AuditKind::Activated, &json!({})), None);
    }
}
