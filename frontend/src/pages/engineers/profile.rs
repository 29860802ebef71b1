//! The engineer profile (`/engineer-profile`, acting role engineer): tabs
//! "Main", "Requisites and payment" and "Employer". The main tab edits
//! every field of the profile (docs/API.md, "Engineers and employers";
//! with `If-Match`), shows what is filled
//! automatically (name, photo, SRO membership, business form, employer)
//! and which required fields are still missing.

use super::employment::EmployerTab;
use super::requisites::RequisitesTab;
use crate::api::{ApiError, engineers};
use crate::components::bind::{click, sig};
use crate::components::fields::{Area, Check, Input, non_blank};
use crate::components::form::Submit;
use crate::components::header::switch_role;
use crate::components::problem::{FormError, issues};
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::components::upload::{FilesField, Uploaded};
use crate::session::use_auth;
use crate::state::{Pick, t, tr, ts, use_reference};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::engineers::{
    BusinessForm, Contacts, EngineerProfile, UpdateEngineerProfile, WorkTypePrice,
};
use mezha_api_types::orders::{PRICE_MAX, WorkType};
use uuid::Uuid;

const TABS: &[(&str, Pick)] = &[
    ("main", |s| s.engineers.tab_main),
    ("requisites", |s| s.engineers.tab_requisites),
    ("employer", |s| s.engineers.tab_employer),
];

/// Tab buttons (`role=tab`, ids `tab-<name>`) switching `current`.
#[component]
pub fn Tabs(
    label: Pick,
    tabs: &'static [(&'static str, Pick)],
    current: RwSignal<&'static str>,
) -> impl IntoView {
    view! {
        <div class="tabs" role="tablist" aria-label=tr(label)>
            {tabs.iter().map(|(name, text)| view! {
                <button type="button" role="tab" id=format!("tab-{name}") data-testid=format!("tab-{name}")
                    aria-controls=format!("panel-{name}")
                    class:active=sig(move || current.get() == *name)
                    aria-selected=sig(move || (current.get() == *name).to_string())
                    on:click=click(move |_| current.set(name))>
                    {tr(*text)}
                </button>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn EngineerProfilePage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let tab = RwSignal::new("main");
    // Bumped when one tab changes what another shows (requisites fill a
    // required field; an employment changes whose requisites apply).
    let changed = RwSignal::new(0u32);
    let engineer = sig(move || auth.acting.get() == Some(Role::Engineer));
    let holds = sig(move || auth.roles.with(|r| r.contains(&Role::Engineer)));
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="engineer-profile">
            <h1>{tr(|s| s.engineers.profile_title)}</h1>
            <div class="notice" hidden=engineer data-testid="need-engineer">
                <p>{tr(|s| s.engineers.need_engineer)}</p>
                <button type="button" hidden=sig(move || !holds.get())
                    on:click=click(move |_| switch_role(Role::Engineer, || ()))>{tr(|s| s.engineers.enter_as_engineer)}</button>
            </div>
            {move || (shown.get() && engineer.get()).then(|| view! {
                <Tabs label=|s| s.engineers.tabs_label tabs=TABS current=tab/>
                <div role="tabpanel" id="panel-main" aria-labelledby="tab-main" hidden=sig(move || tab.get() != "main")>
                    <MainTab changed=changed/>
                </div>
                <div role="tabpanel" id="panel-requisites" aria-labelledby="tab-requisites" hidden=sig(move || tab.get() != "requisites")>
                    <RequisitesTab changed=changed/>
                </div>
                <div role="tabpanel" id="panel-employer" aria-labelledby="tab-employer" hidden=sig(move || tab.get() != "employer")>
                    <EmployerTab changed=changed/>
                </div>
            })}
        </section>
    }
}

/// A work type, whether it is chosen, and its price.
type WorkRow = (WorkType, RwSignal<bool>, RwSignal<String>);

/// The editable fields.
#[derive(Clone, Copy)]
struct Form {
    accept_offers: RwSignal<bool>,
    website: RwSignal<String>,
    residence: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    other: RwSignal<String>,
    experience: RwSignal<String>,
    working_hours: RwSignal<String>,
    education: RwSignal<String>,
    about: RwSignal<String>,
    regions: RwSignal<Vec<String>>,
    /// Each work type: chosen, and its price.
    works: StoredValue<Vec<WorkRow>>,
    diplomas: RwSignal<Vec<Uploaded>>,
    examples: RwSignal<Vec<Uploaded>>,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

impl Form {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Form {
            accept_offers: RwSignal::new(true),
            website: s(),
            residence: s(),
            phone: s(),
            email: s(),
            other: s(),
            experience: s(),
            working_hours: s(),
            education: s(),
            about: s(),
            regions: RwSignal::new(Vec::new()),
            works: StoredValue::new(
                WorkType::ALL
                    .iter()
                    .map(|w| (*w, RwSignal::new(false), s()))
                    .collect(),
            ),
            diplomas: RwSignal::new(Vec::new()),
            examples: RwSignal::new(Vec::new()),
        }
    }

    fn fill(&self, p: &EngineerProfile) {
        self.accept_offers.set(p.accept_offers);
        self.website.set(text(&p.website));
        self.residence.set(text(&p.residence));
        self.phone.set(text(&p.contacts.phone));
        self.email.set(text(&p.contacts.email));
        self.other.set(text(&p.contacts.other));
        self.experience.set(
            p.experience_years
                .map(|y| y.to_string())
                .unwrap_or_default(),
        );
        self.working_hours.set(text(&p.working_hours));
        self.education.set(text(&p.education));
        self.about.set(text(&p.about));
        self.regions.set(p.regions.clone());
        self.works.with_value(|works| {
            for (work, on, price) in works {
                let saved = p.work_types.iter().find(|w| w.work_type == *work);
                on.set(saved.is_some());
                price.set(
                    saved
                        .and_then(|w| w.price)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                );
            }
        });
        // Keep what is known of files uploaded in this visit.
        let keep = |list: RwSignal<Vec<Uploaded>>, ids: &[Uuid]| {
            let known = list.get_untracked();
            let next = ids
                .iter()
                .map(|id| {
                    known
                        .iter()
                        .find(|k| k.id == *id)
                        .cloned()
                        .unwrap_or_else(|| Uploaded::unnamed(*id))
                })
                .collect();
            list.set(next);
        };
        keep(self.diplomas, &p.diploma_file_ids);
        keep(self.examples, &p.work_example_file_ids);
    }

    /// The body, or the fields the client already finds wrong.
    fn body(&self) -> Result<UpdateEngineerProfile, Vec<(&'static str, String)>> {
        let t = t();
        let mut wrong = Vec::new();
        let experience = match self.experience.get_untracked().trim() {
            "" => None,
            v => match v.parse::<u32>() {
                Ok(y) => Some(y),
                Err(_) => {
                    wrong.push(("experience_years", t.orders.whole_number.to_owned()));
                    None
                }
            },
        };
        let mut work_types = Vec::new();
        self.works.with_value(|works| {
            for (work, on, price) in works {
                if !on.get_untracked() {
                    continue;
                }
                let price = match price.get_untracked().trim() {
                    "" => None,
                    v => match v.replace([' ', '\u{a0}'], "").parse::<i64>() {
                        Ok(p) if (1..=PRICE_MAX).contains(&p) => Some(p),
                        _ => {
                            wrong.push(("work_types", t.orders.whole_number.to_owned()));
                            None
                        }
                    },
                };
                work_types.push(WorkTypePrice {
                    work_type: *work,
                    price,
                });
            }
        });
        if !wrong.is_empty() {
            return Err(wrong);
        }
        let g = |s: RwSignal<String>| non_blank(s.get_untracked());
        Ok(UpdateEngineerProfile {
            website: g(self.website),
            residence: g(self.residence),
            contacts: Contacts {
                phone: g(self.phone),
                email: g(self.email),
                other: g(self.other),
            },
            experience_years: experience,
            working_hours: g(self.working_hours),
            education: g(self.education),
            about: g(self.about),
            accept_offers: self.accept_offers.get_untracked(),
            regions: self.regions.get_untracked(),
            work_types,
            diploma_file_ids: self.diplomas.get_untracked().iter().map(|f| f.id).collect(),
            work_example_file_ids: self.examples.get_untracked().iter().map(|f| f.id).collect(),
        })
    }
}

/// The server's field → the control that shows it.
fn field_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "website" => "website",
        "residence" => "residence",
        "contacts.phone" => "contact_phone",
        "contacts.email" => "contact_email",
        "contacts.other" => "contact_other",
        "experience_years" => "experience_years",
        "working_hours" => "working_hours",
        "education" => "education",
        "about" => "about",
        n if n.starts_with("regions") => "regions",
        n if n.starts_with("work_types") => "work_types",
        n if n.starts_with("diploma_file_ids") => "diploma-files",
        n if n.starts_with("work_example_file_ids") => "example-files",
        _ => return None,
    })
}

#[component]
fn MainTab(changed: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let reference = use_reference();
    let state = RwSignal::new(Load::Loading);
    let profile = RwSignal::new(None::<EngineerProfile>);
    let etag = RwSignal::new(None::<String>);
    let f = Form::new();
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(Vec::<(&'static str, String)>::new());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let region_pick = RwSignal::new(String::new());

    let reload = move || {
        load(state, engineers::profile(auth), move |reply| {
            f.fill(&reply.body);
            profile.set(Some(reply.body));
            etag.set(reply.etag);
        });
    };
    Effect::new(move |_| {
        changed.track();
        reload();
    });
    // Choosing a region in the select adds it.
    Effect::new(move |_| {
        let code = region_pick.get();
        if code.is_empty() {
            return;
        }
        f.regions.update(|r| {
            if !r.contains(&code) {
                r.push(code.clone());
                r.sort();
            }
        });
        region_pick.set(String::new());
    });

    let issues = issues(error, field_of, move |found| {
        found.extend(local.get());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        stale.set(false);
        error.set(None);
        let body = match f.body() {
            Ok(body) => body,
            Err(wrong) => {
                local.set(wrong);
                return;
            }
        };
        local.set(Vec::new());
        busy.set(true);
        let tag = etag.get_untracked();
        spawn_local(async move {
            match engineers::save_profile(auth, &body, tag).await {
                Ok(reply) => {
                    f.fill(&reply.body);
                    profile.set(Some(reply.body));
                    etag.set(reply.etag);
                    saved.set(true);
                }
                Err(e) if e.code() == Some("precondition_failed") => {
                    stale.set(true);
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let auto = sig(move || profile.with(|p| p.as_ref().map(auto_html).unwrap_or_default()));
    let missing = sig(move || {
        profile.with(|p| {
            p.as_ref()
                .map(|p| {
                    let e = t().engineers;
                    p.missing_fields
                        .iter()
                        .map(|m| e.missing(m))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        })
    });
    let complete = sig(move || profile.with(|p| p.as_ref().map(|p| p.complete)));
    let regions = sig(move || {
        f.regions
            .get()
            .into_iter()
            .map(|code| {
                let name = reference.region_name(&code);
                let label = format!("{} {name}", t().engineers.remove);
                let remove = code.clone();
                view! {
                    <li class="chip" data-region=code>
                        <span>{name}</span>
                        <button type="button" class="link" aria-label=label
                            on:click=click(move |_| f.regions.update(|r| r.retain(|x| *x != remove)))>"×"</button>
                    </li>
                }
            })
            .collect_view()
    });
    let works_issue = sig(move || {
        issues.with(|all| {
            all.iter()
                .find(|(f, _)| *f == "work_types")
                .map(|(_, m)| m.clone())
        })
    });
    let regions_issue = sig(move || {
        issues.with(|all| {
            all.iter()
                .find(|(f, _)| *f == "regions")
                .map(|(_, m)| m.clone())
        })
    });

    view! {
        <LoadStatus state=state retry=Callback::new(move |_| reload())/>
        <div hidden=sig(move || !state.with(Load::is_ready))>
            <p class="notice" role="status" data-testid="missing-fields" hidden=sig(move || complete.get() != Some(false))>
                {tr(|s| s.engineers.missing_title)}" "<strong>{missing}</strong>
            </p>
            <p class="success" role="status" data-testid="profile-complete" hidden=sig(move || complete.get() != Some(true))>
                {tr(|s| s.engineers.complete)}
            </p>
            <h2>{tr(|s| s.engineers.auto_filled)}</h2>
            <dl class="details" data-testid="auto-fields" inner_html=auto></dl>
            <p><a href="/profile">{tr(|s| s.engineers.change_in_account)}</a></p>
            <form on:submit=submit novalidate data-testid="engineer-profile-form">
                <Check id="accept_offers" label=|s| s.engineers.accept_offers checked=f.accept_offers switch=true/>
                <p class="hint">{tr(|s| s.engineers.accept_offers_hint)}</p>
                <h2>{tr(|s| s.engineers.contacts)}</h2>
                <div class="row two">
                    <Input id="contact_phone" kind="tel" label=|s| s.engineers.contact_phone value=f.phone issues=issues hint=|s| s.phone_hint/>
                    <Input id="contact_email" kind="email" label=|s| s.engineers.contact_email value=f.email issues=issues/>
                </div>
                <Input id="contact_other" label=|s| s.engineers.contact_other value=f.other issues=issues/>
                <div class="row two">
                    <Input id="website" kind="url" label=|s| s.engineers.website value=f.website issues=issues/>
                    <Input id="residence" label=|s| s.engineers.residence value=f.residence issues=issues/>
                    <Input id="experience_years" numeric=true label=|s| s.engineers.experience value=f.experience issues=issues/>
                    <Input id="working_hours" label=|s| s.engineers.working_hours value=f.working_hours issues=issues/>
                </div>
                <fieldset class="field" id="regions" data-testid="regions" class:invalid=sig(move || regions_issue.with(Option::is_some))>
                    <legend>{tr(|s| s.engineers.regions)}</legend>
                    <ul class="chips" data-testid="region-chips">{regions}</ul>
                    <p class="empty" hidden=sig(move || !f.regions.with(Vec::is_empty))>{tr(|s| s.engineers.regions_empty)}</p>
                    <small class="error" data-field-error="regions" hidden=sig(move || regions_issue.with(Option::is_none))>{regions_issue}</small>
                </fieldset>
                <div class="field">
                    <label for="region-add">{tr(|s| s.engineers.region_add)}</label>
                    <select id="region-add" prop:value=sig(move || region_pick.get())
                        on:change=move |ev| region_pick.set(event_target_value(&ev))>
                        <option value="">{tr(|s| s.engineers.region_choose)}</option>
                        {move || reference.region_options().into_iter().map(|(code, text)| view! { <option value=code>{text}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset class="field work-prices" id="work_types" data-testid="work_types" class:invalid=sig(move || works_issue.with(Option::is_some))>
                    <legend>{tr(|s| s.engineers.work_types_prices)}</legend>
                    {f.works.get_value().into_iter().map(|(work, on, price)| {
                        let code = work.as_str();
                        let (box_id, price_id) = (format!("wt-{code}"), format!("wt-{code}-price"));
                        view! {
                            <div class="work-price">
                                <label class="check" for=box_id.clone()>
                                    <input type="checkbox" id=box_id.clone() prop:checked=sig(move || on.get())
                                        on:change=move |ev| on.set(event_target_checked(&ev))/>
                                    <span>{sig(move || reference.work_type_name(work))}</span>
                                </label>
                                <input type="text" inputmode="numeric" id=price_id class="price"
                                    aria-label=sig(move || format!("{} — {}", t().engineers.price_rub, reference.work_type_name(work)))
                                    placeholder=tr(|s| s.engineers.price_rub)
                                    disabled=sig(move || !on.get()) bind:value=price/>
                            </div>
                        }
                    }).collect_view()}
                    <small class="error" data-field-error="work_types" hidden=sig(move || works_issue.with(Option::is_none))>{works_issue}</small>
                </fieldset>
                <Area id="education" label=|s| s.engineers.education value=f.education issues=issues/>
                <Area id="about" label=|s| s.engineers.about value=f.about issues=issues rows=4/>
                <FilesField id="diploma-files" label=|s| s.engineers.diplomas files=f.diplomas issues=issues/>
                <FilesField id="example-files" label=|s| s.engineers.work_examples files=f.examples issues=issues/>
                <p class="notice" role="alert" hidden=sig(move || !stale.get())>{tr(|s| s.engineers.stale)}</p>
                <div data-testid="profile-error"><FormError error=error/></div>
                <Submit label=ts(|s| s.engineers.save) busy=busy/>
                <p class="success" role="status" data-testid="profile-saved" hidden=sig(move || !saved.get())>{tr(|s| s.engineers.saved)}</p>
            </form>
        </div>
    }
}

/// The fields filled automatically: name, photo, SRO, business form, employer.
fn auto_html(p: &EngineerProfile) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = crate::components::html::Html::new();
    let name = p.full_name.as_deref().unwrap_or(e.full_name_missing);
    super::detail(&mut h, "full_name", t.full_name, name);
    super::sro_details(&mut h, p.sro.as_ref());
    let form = match p.business_form {
        BusinessForm::SoleProprietor => e.sole_proprietor,
        BusinessForm::Employee => e.employee,
    };
    super::detail(&mut h, "business_form", e.business_form, form);
    if let Some(employer) = &p.employer {
        let text = format!("{} ({} {})", employer.name, t.inn, employer.inn);
        super::detail(&mut h, "employer", e.employer, &text);
    }
    if let Some(url) = &p.photo_url {
        h.open(
            "div",
            &[("class", Some("detail")), ("data-field", Some("photo"))],
        );
        h.el("dt", &[], e.photo).open("dd", &[]);
        super::photo(&mut h, Some(url), name);
        h.close("dd").close("div");
    }
    h.finish()
}
