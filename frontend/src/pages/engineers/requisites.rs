//! "Requisites and payment" (`GET`/`PUT /me/requisites`): the caller's own
//! bank details, editable; for an employed engineer his employer's, shown
//! read-only. Used by the engineer profile, the Employees page and, for
//! customers, the profile page.

use crate::api::{ApiError, engineers};
use crate::components::bind::sig;
use crate::components::fields::{Input, non_blank};
use crate::components::form::Submit;
use crate::components::html::{Html, detail};
use crate::components::problem::{FormError, issues};
use crate::components::status::{Load, LoadStatus, load};
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::engineers::{Requisites, RequisitesView};

const FIELDS: [&str; 9] = [
    "recipient",
    "inn",
    "kpp",
    "ogrn",
    "legal_address",
    "bank_name",
    "bik",
    "account",
    "correspondent_account",
];

fn field_of(name: &str) -> Option<&'static str> {
    FIELDS.iter().find(|f| **f == name).copied()
}

fn read_only(r: &Requisites) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = Html::new();
    detail(&mut h, "recipient", e.recipient, &r.recipient);
    detail(&mut h, "inn", t.inn, &r.inn);
    if let Some(kpp) = &r.kpp {
        detail(&mut h, "kpp", e.kpp, kpp);
    }
    if let Some(ogrn) = &r.ogrn {
        detail(&mut h, "ogrn", e.ogrn, ogrn);
    }
    if let Some(address) = &r.legal_address {
        detail(&mut h, "legal_address", e.legal_address, address);
    }
    detail(&mut h, "bank_name", e.bank_name, &r.bank_name);
    detail(&mut h, "bik", e.bik, &r.bik);
    detail(&mut h, "account", e.account, &r.account);
    detail(
        &mut h,
        "correspondent_account",
        e.correspondent_account,
        &r.correspondent_account,
    );
    h.finish()
}

/// `changed` is bumped after a save (and reloads the tab when bumped).
#[component]
pub fn RequisitesTab(changed: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let state = RwSignal::new(Load::Loading);
    let view_ = RwSignal::new(None::<RequisitesView>);
    let etag = RwSignal::new(None::<String>);
    let values: [RwSignal<String>; 9] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);

    let fill = move |v: &RequisitesView| {
        let r = v.requisites.clone();
        let get = |f: fn(&Requisites) -> String| r.as_ref().map(f).unwrap_or_default();
        values[0].set(get(|r| r.recipient.clone()));
        values[1].set(get(|r| r.inn.clone()));
        values[2].set(get(|r| r.kpp.clone().unwrap_or_default()));
        values[3].set(get(|r| r.ogrn.clone().unwrap_or_default()));
        values[4].set(get(|r| r.legal_address.clone().unwrap_or_default()));
        values[5].set(get(|r| r.bank_name.clone()));
        values[6].set(get(|r| r.bik.clone()));
        values[7].set(get(|r| r.account.clone()));
        values[8].set(get(|r| r.correspondent_account.clone()));
    };
    let reload = move || {
        load(state, engineers::requisites(auth), move |reply| {
            fill(&reply.body);
            view_.set(Some(reply.body));
            etag.set(reply.etag);
        });
    };
    Effect::new(move |_| {
        changed.track();
        reload();
    });
    let issues = issues(error, field_of, |_| {});
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        error.set(None);
        busy.set(true);
        let v = |i: usize| values[i].get_untracked().trim().to_owned();
        let body = Requisites {
            recipient: v(0),
            inn: v(1),
            kpp: non_blank(v(2)),
            ogrn: non_blank(v(3)),
            legal_address: non_blank(v(4)),
            bank_name: v(5),
            bik: v(6),
            account: v(7),
            correspondent_account: v(8),
        };
        let tag = etag.get_untracked();
        spawn_local(async move {
            match engineers::save_requisites(auth, &body, tag).await {
                Ok(reply) => {
                    etag.set(reply.etag);
                    view_.set(Some(reply.body));
                    saved.set(true);
                    busy.set(false);
                    changed.update(|n| *n += 1);
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let editable = sig(move || view_.with(|v| v.as_ref().is_some_and(|v| v.editable)));
    let inherited = sig(move || {
        view_.with(|v| {
            v.as_ref().filter(|v| !v.editable).map(|v| {
                v.requisites.as_ref().map(read_only).unwrap_or_else(|| {
                    let mut h = Html::new();
                    h.el(
                        "p",
                        &[("class", Some("empty"))],
                        t().engineers.requisites_none,
                    );
                    h.finish()
                })
            })
        })
    });

    view! {
        <LoadStatus state=state retry=Callback::new(move |_| reload())/>
        <div data-testid="requisites" hidden=sig(move || !state.with(Load::is_ready))>
            <div hidden=sig(move || inherited.with(Option::is_none)) data-testid="requisites-inherited">
                <p class="notice">{tr(|s| s.engineers.requisites_inherited)}</p>
                <dl class="details readonly" inner_html=sig(move || inherited.get().unwrap_or_default())></dl>
            </div>
            <form hidden=sig(move || !editable.get()) on:submit=submit novalidate data-testid="requisites-form">
                <p class="hint">{tr(|s| s.engineers.requisites_hint)}</p>
                <Input id="req-recipient" name="recipient" label=|s| s.engineers.recipient value=values[0] issues=issues/>
                <div class="row two">
                    <Input id="req-inn" name="inn" numeric=true label=|s| s.inn value=values[1] issues=issues hint=|s| s.inn_hint/>
                    <Input id="req-kpp" name="kpp" numeric=true label=|s| s.engineers.kpp value=values[2] issues=issues/>
                    <Input id="req-ogrn" name="ogrn" numeric=true label=|s| s.engineers.ogrn value=values[3] issues=issues hint=|s| s.engineers.ogrn_hint/>
                </div>
                <Input id="req-legal_address" name="legal_address" label=|s| s.engineers.legal_address value=values[4] issues=issues/>
                <div class="row two">
                    <Input id="req-bank_name" name="bank_name" label=|s| s.engineers.bank_name value=values[5] issues=issues/>
                    <Input id="req-bik" name="bik" numeric=true label=|s| s.engineers.bik value=values[6] issues=issues/>
                    <Input id="req-account" name="account" numeric=true label=|s| s.engineers.account value=values[7] issues=issues/>
                    <Input id="req-correspondent_account" name="correspondent_account" numeric=true label=|s| s.engineers.correspondent_account value=values[8] issues=issues/>
                </div>
                <div data-testid="requisites-error"><FormError error=error/></div>
                <Submit label=ts(|s| s.engineers.save) busy=busy/>
                <p class="success" role="status" data-testid="requisites-saved" hidden=sig(move || !saved.get())>{tr(|s| s.engineers.saved)}</p>
            </form>
        </div>
    }
}
