//! "My organisation" (`/organisation`): without one, the registration form
//! (its head registers it); unconfirmed, the platform offer and its
//! signature — in the browser with a key kept here, or a detached
//! signature file made elsewhere — after which the session enters as the
//! organisation's admin; confirmed, its requisites, the caller's role and
//! rights, the settings (its admin), the links to the employees and the
//! audit log, and its powers of attorney (МЧД).

use super::powers::PowersOfAttorney;
use super::{RoleSwitch, member_role, org_link, pick, query_id, title_html, working};
use crate::api::{self, ApiError, IdempotencyKey, organisations};
use crate::components::bind::{click, sig};
use crate::components::fields::{Check, Input};
use crate::components::form::Submit;
use crate::components::header::switch_role_in;
use crate::components::html::{Html, detail};
use crate::components::problem::{FormError, field_error, issues};
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::components::upload::chosen_file;
use crate::format;
use crate::pages::certificates::sign::{SignDocument, report_html};
use crate::session::use_auth;
use crate::state::{Ui, t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::organisations::{
    MemberStatus, NewOrganisation, Offer, Organisation, OrganisationAction, OrganisationSettings,
    OrganisationStatus,
};
use mezha_api_types::signatures::ValidationReport;
use uuid::Uuid;

/// Problems told in the server's words on these screens: its sentences
/// name the organisation's own reasons (another organisation with this INN
/// is confirmed, the signature's certificate is not the head's, …).
const SERVER_TEXT: &[&str] = &[
    "conflict",
    "not_found",
    "signature_refused",
    "signer_not_party",
];

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let shown = signed_in();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="organisation-page">
            <h1>{tr(|s| s.orgs.title)}</h1>
            {move || shown.get().then(|| view! { <OrgHome/> })}
        </section>
    }
}

/// The caller's organisations and the one the page shows (`?id=`, else
/// the first): one list, which every change of an organisation updates.
#[derive(Clone, Copy)]
struct Current {
    list: RwSignal<Vec<Organisation>>,
    id: Memo<Option<Uuid>>,
}

impl Current {
    fn org(self) -> Signal<Option<Organisation>> {
        sig(move || {
            let id = self.id.get()?;
            self.list.with(|l| l.iter().find(|o| o.id == id).cloned())
        })
    }

    /// Takes the organisation as the server answered (new or changed).
    fn put(self, org: Organisation) {
        self.list
            .update(|l| match l.iter_mut().find(|o| o.id == org.id) {
                Some(old) => *old = org,
                None => l.push(org),
            });
    }
}

#[component]
fn OrgHome() -> impl IntoView {
    let auth = use_auth();
    let wanted = query_id();
    let list = RwSignal::new(Vec::<Organisation>::new());
    let id = Memo::new(move |_| list.with(|l| pick(l, wanted.get(), None).map(|o| o.id)));
    let current = Current { list, id };
    let state = RwSignal::new(Load::Loading);
    let just_confirmed = RwSignal::new(false);
    let reload = Callback::new(move |_| {
        state.set(Load::Loading);
        load(state, organisations::mine(auth), move |mine| {
            list.set(mine.organisations);
        });
    });
    reload.run(());
    let created = Callback::new(move |org: Organisation| current.put(org));
    let org = current.org();
    let shape = Memo::new(move |_| org.with(|o| o.as_ref().map(|o| (o.id, o.status))));
    let others = move || {
        let chosen = id.get();
        let mut h = Html::new();
        list.with(|l| {
            if l.len() < 2 {
                return;
            }
            h.el("h2", &[], t().orgs.choose);
            h.open(
                "ul",
                &[
                    ("class", Some("plain")),
                    ("data-testid", Some("org-choice")),
                ],
            );
            for org in l {
                h.open("li", &[]);
                if Some(org.id) == chosen {
                    h.el("strong", &[], &org.short_name);
                } else {
                    org_link(
                        &mut h,
                        "/organisation",
                        org.id,
                        "org-choice",
                        &org.short_name,
                    );
                }
                h.close("li");
            }
            h.close("ul");
        });
        h.finish()
    };
    view! {
        <LoadStatus state=state retry=reload/>
        <div inner_html=sig(others)></div>
        {move || match shape.get() {
            None => state.get().is_ready().then(|| view! { <RegisterForm created=created/> }.into_any()),
            Some((_, OrganisationStatus::Unconfirmed)) => Some(view! {
                <Unconfirmed current=current confirmed=just_confirmed/>
            }.into_any()),
            Some((_, OrganisationStatus::Confirmed)) => Some(view! {
                <Confirmed current=current just_confirmed=just_confirmed/>
            }.into_any()),
        }}
    }
}

/// The registration form: requisites checked by the server, each refusal
/// beside its field.
#[component]
fn RegisterForm(created: Callback<Organisation>) -> impl IntoView {
    let auth = use_auth();
    let fields: [RwSignal<String>; 8] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [
        full_name,
        short_name,
        inn,
        kpp,
        ogrn,
        address,
        head_name,
        head_position,
    ] = fields;
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |name| match name {
            "full_name" => Some("full_name"),
            "short_name" => Some("short_name"),
            "inn" => Some("inn"),
            "kpp" => Some("kpp"),
            "ogrn" => Some("ogrn"),
            "address" => Some("address"),
            "head_name" => Some("head_name"),
            "head_position" => Some("head_position"),
            _ => None,
        },
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let body = NewOrganisation {
            full_name: value(full_name),
            short_name: value(short_name),
            inn: value(inn),
            kpp: value(kpp),
            ogrn: value(ogrn),
            address: value(address),
            head_name: value(head_name),
            head_position: value(head_position),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match organisations::create(auth, &body, key).await {
                Ok(org) => {
                    let _ = created.try_run(org);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate data-testid="org-register" aria-labelledby="org-register-title">
            <h2 id="org-register-title">{tr(|s| s.orgs.register_title)}</h2>
            <p class="hint">{tr(|s| s.orgs.register_hint)}</p>
            <Input id="org-full-name" name="full_name" required=true label=|s| s.orgs.full_name value=full_name issues=issues/>
            <Input id="org-short-name" name="short_name" required=true label=|s| s.orgs.short_name value=short_name issues=issues/>
            <div class="row">
                <Input id="org-inn" name="inn" numeric=true required=true label=|s| s.orgs.inn hint=|s| s.orgs.inn_hint value=inn issues=issues/>
                <Input id="org-kpp" name="kpp" required=true label=|s| s.orgs.kpp hint=|s| s.orgs.kpp_hint value=kpp issues=issues/>
            </div>
            <Input id="org-ogrn" name="ogrn" numeric=true required=true label=|s| s.orgs.ogrn hint=|s| s.orgs.ogrn_hint value=ogrn issues=issues/>
            <Input id="org-address" name="address" required=true label=|s| s.orgs.address value=address issues=issues/>
            <div class="row">
                <Input id="org-head-name" name="head_name" required=true label=|s| s.orgs.head_name value=head_name issues=issues/>
                <Input id="org-head-position" name="head_position" required=true label=|s| s.orgs.head_position
                    hint=|s| s.orgs.head_position_hint value=head_position issues=issues/>
            </div>
            <div data-testid="org-register-error"><FormError error=error server_text=SERVER_TEXT/></div>
            <Submit label=ts(|s| s.orgs.register_submit) busy=busy/>
        </form>
    }
}

/// The requisites as a definition list.
fn requisites_html(org: &Organisation) -> String {
    let t = t();
    let o = t.orgs;
    let mut h = Html::new();
    detail(&mut h, "full_name", o.full_name, &org.full_name);
    detail(&mut h, "inn", o.inn, &org.inn);
    detail(&mut h, "kpp", o.kpp, &org.kpp);
    detail(&mut h, "ogrn", o.ogrn, &org.ogrn);
    detail(&mut h, "address", o.address, &org.address);
    detail(
        &mut h,
        "head",
        o.head,
        &format!("{}, {}", org.head_name, org.head_position),
    );
    detail(
        &mut h,
        "created_at",
        o.registered_at,
        &format::time(org.created_at),
    );
    if let Some(at) = org.confirmed_at {
        detail(&mut h, "confirmed_at", o.confirmed_at, &format::time(at));
    }
    h.finish()
}

/// The caller's place: his role and rights.
fn membership_html(org: &Organisation) -> String {
    let o = t().orgs;
    let mut h = Html::new();
    detail(&mut h, "my_role", o.my_role, o.role(org.my_role));
    let status = match org.my_status {
        MemberStatus::Active => o.member_status(org.my_status).to_owned(),
        MemberStatus::Pending => format!("{} — {}", o.member_status(org.my_status), o.pending_hint),
        MemberStatus::Deactivated => {
            format!(
                "{} — {}",
                o.member_status(org.my_status),
                o.deactivated_hint
            )
        }
    };
    detail(&mut h, "my_status", o.my_status, &status);
    let rights: Vec<&str> = org.my_rights.iter().map(|r| o.right(*r)).collect();
    let rights = if rights.is_empty() {
        o.no_rights.to_owned()
    } else {
        rights.join(", ")
    };
    detail(&mut h, "my_rights", o.my_rights, &rights);
    h.finish()
}

/// An unconfirmed organisation: what it is, the offer and the signature.
#[component]
fn Unconfirmed(current: Current, confirmed: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let ui = expect_context::<Ui>();
    let org = current.org();
    let id = current.id.get_untracked().unwrap_or_default();
    let may_sign = Memo::new(move |_| {
        org.with(|o| {
            o.as_ref()
                .is_some_and(|o| o.allowed_actions.contains(&OrganisationAction::SignOffer))
        })
    });
    let offer = RwSignal::new(None::<Offer>);
    let state = RwSignal::new(Load::Loading);
    let reload = Callback::new(move |_| {
        state.set(Load::Loading);
        load(state, organisations::offer(auth, id), move |o| {
            offer.set(Some(o))
        });
    });
    reload.run(());
    let document = sig(move || offer.with(|o| o.as_ref().map(|o| o.text.as_bytes().to_vec())));
    let error = RwSignal::new(None::<ApiError>);
    let signature_issue = field_error(error, "signature");
    let refused = RwSignal::new(None::<ValidationReport>);
    let busy = RwSignal::new(false);
    let send = move |signature: Vec<u8>| {
        // (Also called once a file is read: the page may be gone by then.)
        if busy.try_get_untracked() != Some(false) {
            return;
        }
        busy.set(true);
        error.set(None);
        refused.set(None);
        spawn_local(async move {
            match organisations::confirm(auth, id, &signature).await {
                Ok(done) => {
                    confirmed.set(true);
                    let role = member_role(&done);
                    current.put(done);
                    // The head is the organisation's admin now: the session
                    // takes the role and enters it.
                    auth.roles.update(|r| {
                        if !r.contains(&role) {
                            r.push(role);
                        }
                    });
                    switch_role_in(auth, ui, role, || ());
                }
                Err(e) => {
                    if let ApiError::Problem(p) = &e
                        && let Some(report) = &p.report
                    {
                        refused.set(Some((**report).clone()));
                    }
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
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
    let download = click(move |_| {
        let Some(text) = offer.with_untracked(|o| o.as_ref().map(|o| o.text.clone())) else {
            return;
        };
        // The browser writes a string into a blob as UTF-8: the very bytes
        // that are signed.
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
        if let Ok(blob) = web_sys::Blob::new_with_str_sequence(&parts) {
            api::files::save_blob(&blob, "offer.txt");
        }
    });
    let offer_meta = sig(move || {
        offer.with(|o| {
            let mut h = Html::new();
            if let Some(o) = o {
                detail(&mut h, "edition", t().orgs.offer_edition, &o.edition);
                detail(&mut h, "sha256", "SHA-256", &o.sha256);
            }
            h.finish()
        })
    });
    view! {
        <h2 data-testid="org-title" inner_html=sig(move || org.with(|o| o.as_ref().map(title_html).unwrap_or_default()))></h2>
        <p class="notice">{tr(|s| s.orgs.unconfirmed_hint)}</p>
        <h3>{tr(|s| s.orgs.requisites)}</h3>
        <dl class="details" data-testid="org-requisites"
            inner_html=sig(move || org.with(|o| o.as_ref().map(requisites_html).unwrap_or_default()))></dl>
        <section class="subsection" data-testid="org-offer">
            <h2>{tr(|s| s.orgs.offer_title)}</h2>
            <LoadStatus state=state retry=reload/>
            <dl class="details" inner_html=offer_meta></dl>
            <pre class="offer-text" tabindex="0" data-testid="offer-text">{move || offer.with(|o| o.as_ref().map(|o| o.text.clone()))}</pre>
            <button type="button" data-testid="offer-download" disabled=sig(move || offer.with(Option::is_none)) on:click=download>
                {tr(|s| s.orgs.offer_download)}
            </button>
        </section>
        <section class="subsection" data-testid="org-sign" hidden=sig(move || !may_sign.get())>
            <h2>{tr(|s| s.orgs.sign_title)}</h2>
            <p class="hint">{tr(|s| s.orgs.sign_hint)}</p>
            <SignDocument document=document on_signed=on_signed/>
            <div class="field offer-upload">
                <label for="offer-signature-file">{tr(|s| s.orgs.signature_file)}</label>
                <input type="file" id="offer-signature-file" accept=".p7s,.sig,.der,.pem" node_ref=file/>
                <small class="error" data-field-error="signature" hidden=sig(move || signature_issue.with(Option::is_none))>
                    {move || signature_issue.get()}
                </small>
            </div>
            <button type="button" data-testid="offer-upload-signature" disabled=busy on:click=upload>
                {tr(|s| s.orgs.upload_signature)}
            </button>
            <div data-testid="org-sign-error"><FormError error=error server_text=SERVER_TEXT/></div>
            <div hidden=sig(move || refused.with(Option::is_none)) data-testid="offer-refusal-report">
                <h3>{tr(|s| s.orgs.report)}</h3>
                <dl class="details" inner_html=sig(move || refused.with(|r| r.as_ref().map(report_html).unwrap_or_default()))></dl>
            </div>
        </section>
    }
}

/// A confirmed organisation: requisites, the caller's place, settings and
/// the admin's pages.
#[component]
fn Confirmed(current: Current, just_confirmed: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let org = current.org();
    let allows = move |action: OrganisationAction| {
        org.with(|o| {
            o.as_ref()
                .is_some_and(|o| working(auth, o) && o.allowed_actions.contains(&action))
        })
    };
    let links = sig(move || {
        let o = t().orgs;
        let mut h = Html::new();
        let Some(id) = org.with(|o| o.as_ref().map(|o| o.id)) else {
            return String::new();
        };
        if allows(OrganisationAction::ManageMembers) || allows(OrganisationAction::Invite) {
            org_link(
                &mut h,
                "/organisation/employees",
                id,
                "org-employees-link",
                o.employees_link,
            );
        }
        if allows(OrganisationAction::ViewAudit) {
            org_link(
                &mut h,
                "/organisation/audit",
                id,
                "org-audit-link",
                o.audit_link,
            );
        }
        if allows(OrganisationAction::ManageClients) {
            org_link(
                &mut h,
                "/clients",
                id,
                "org-clients-link",
                t().clients.org_link,
            );
        }
        h.finish()
    });
    // A memo: saving the settings changes the organisation, which must not
    // make the form anew (and lose its "saved").
    let settings = Memo::new(move |_| allows(OrganisationAction::EditSettings));
    // The powers of attorney: every active member working in it sees them,
    // the admin (who edits the settings) keeps them.
    let powers = Memo::new(move |_| {
        org.with(|o| {
            o.as_ref()
                .filter(|o| working(auth, o) && o.my_status == MemberStatus::Active)
                .map(|o| o.id)
        })
        .map(|id| (id, settings.get()))
    });
    view! {
        <h2 data-testid="org-title" inner_html=sig(move || org.with(|o| o.as_ref().map(title_html).unwrap_or_default()))></h2>
        <p class="success" role="status" data-testid="org-confirmed" hidden=sig(move || !just_confirmed.get())>
            {tr(|s| s.orgs.confirmed_now)}
        </p>
        <RoleSwitch org=org/>
        <h3>{tr(|s| s.orgs.requisites)}</h3>
        <dl class="details" data-testid="org-requisites"
            inner_html=sig(move || org.with(|o| o.as_ref().map(requisites_html).unwrap_or_default()))></dl>
        <dl class="details" data-testid="org-membership"
            inner_html=sig(move || org.with(|o| o.as_ref().map(membership_html).unwrap_or_default()))></dl>
        <div class="actions org-links" inner_html=links></div>
        {move || settings.get().then(|| view! { <Settings current=current/> })}
        {move || powers.get().map(|(org, admin)| view! { <PowersOfAttorney org=org admin=admin/> })}
    }
}

/// The admin's settings: three switches saved together.
#[component]
fn Settings(current: Current) -> impl IntoView {
    let auth = use_auth();
    let (id, now): (Uuid, OrganisationSettings) = current
        .org()
        .with_untracked(|o| o.as_ref().map(|o| (o.id, o.settings)))
        .unwrap_or_default();
    let auto_pay = RwSignal::new(now.auto_pay_state_fee);
    let by_email = RwSignal::new(now.notify_employees_by_email);
    let by_sms = RwSignal::new(now.notify_employees_by_sms);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = OrganisationSettings {
            auto_pay_state_fee: auto_pay.get_untracked(),
            notify_employees_by_email: by_email.get_untracked(),
            notify_employees_by_sms: by_sms.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        saved.set(false);
        spawn_local(async move {
            match organisations::save_settings(auth, id, &body).await {
                Ok(changed) => {
                    saved.set(true);
                    current.put(changed);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="subsection" on:submit=submit novalidate data-testid="org-settings" aria-labelledby="org-settings-title">
            <h2 id="org-settings-title">{tr(|s| s.orgs.settings_title)}</h2>
            <Check id="auto_pay_state_fee" label=|s| s.orgs.auto_pay_state_fee checked=auto_pay/>
            <Check id="notify_employees_by_email" label=|s| s.orgs.notify_by_email checked=by_email/>
            <Check id="notify_employees_by_sms" label=|s| s.orgs.notify_by_sms checked=by_sms/>
            <FormError error=error server_text=SERVER_TEXT/>
            <Submit label=ts(|s| s.orgs.settings_save) busy=busy/>
            <p class="success" role="status" data-testid="org-settings-saved" hidden=sig(move || !saved.get())>
                {tr(|s| s.orgs.settings_saved)}
            </p>
        </form>
    }
}
