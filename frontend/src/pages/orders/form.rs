//! The order form: a new order (`/orders/new`) or an edit
//! (`/orders/:id/edit`). Format mistakes show as you type; missing required
//! fields after the first submission; the server's per-field errors beside
//! the fields. "Save and publish" creates (or saves) the draft, then
//! publishes it. Edits go with `If-Match`.

use super::badge;
use crate::api::{ApiError, IdempotencyKey, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::{Area, Check, CheckGroup, Choice, Input, Segments, non_blank};
use crate::components::html::Html;
use crate::components::problem::{FormError, issues};
use crate::components::route::route_id;
use crate::components::status::{AuthGate, ErrorBox, Load, LoadStatus, load, signed_in};
use crate::components::upload::{FilesField, Uploaded};
use crate::pages::misc::NotFound;
use crate::session::{Auth, use_auth};
use crate::state::{Pick, t, tr, use_reference};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::orders::{
    DEADLINE_DAYS_MAX, NewOrder, Order, OrderAction, OrderStatus, PRICE_MAX, Registration,
    TITLE_MAX_CHARS, UpdateOrder, WorkType,
};
use mezha_api_types::{ErrorCode, Problem};
use uuid::Uuid;

/// `/orders/new`.
#[component]
pub fn NewOrderPage() -> impl IntoView {
    view! { <AuthGate/><OrderForm route=None/> }
}

/// `/orders/:id/edit`.
#[component]
pub fn EditOrderPage() -> impl IntoView {
    let route = route_id();
    view! {
        <AuthGate/>
        {move || route.get().is_none().then(|| view! { <NotFound/> })}
        <OrderForm route=Some(route)/>
    }
}

/// Whether a cadastral number looks like `NN:NN:NNNNNNN:NNNN` (the server's
/// rule: 2, 2, 6–7 and 1–7 digits).
pub fn cadastral_ok(number: &str) -> bool {
    let parts: Vec<&str> = number.split(':').map(str::trim).collect();
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    matches!(parts.as_slice(), [d, a, q, o]
        if digits(d, 2, 2) && digits(a, 2, 2) && digits(q, 6, 7) && digits(o, 1, 7))
}

/// The numbers of the text area: one per line (commas, semicolons and
/// spaces separate too).
fn cadastral_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == '\n' || c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A whole number typed with optional spaces; `Err(())` when it is not one.
fn number<T: std::str::FromStr>(text: &str) -> Result<Option<T>, ()> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        Ok(None)
    } else {
        digits.parse().map(Some).map_err(|_| ())
    }
}

/// The inputs of the form.
#[derive(Clone, Copy)]
struct Inputs {
    title: RwSignal<String>,
    work_types: RwSignal<Vec<String>>,
    description: RwSignal<String>,
    cadastral: RwSignal<String>,
    region: RwSignal<String>,
    address: RwSignal<String>,
    /// `date` or `days`.
    deadline_kind: RwSignal<String>,
    deadline_date: RwSignal<String>,
    deadline_days: RwSignal<String>,
    price: RwSignal<String>,
    prepayment: RwSignal<bool>,
    percent: RwSignal<String>,
    registration: RwSignal<String>,
    attachments: RwSignal<Vec<Uploaded>>,
}

fn text_of<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl Inputs {
    fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Inputs {
            title: text(),
            work_types: RwSignal::new(Vec::new()),
            description: text(),
            cadastral: text(),
            region: text(),
            address: text(),
            deadline_kind: RwSignal::new("date".to_owned()),
            deadline_date: text(),
            deadline_days: text(),
            price: text(),
            prepayment: RwSignal::new(false),
            percent: text(),
            registration: RwSignal::new(Registration::None.as_str().to_owned()),
            attachments: RwSignal::new(Vec::new()),
        }
    }

    fn fill(&self, o: &Order) {
        self.title.set(o.title.clone());
        self.work_types
            .set(o.work_types.iter().map(|w| w.as_str().to_owned()).collect());
        self.description.set(text_of(o.description.as_ref()));
        self.cadastral.set(o.cadastral_numbers.join("\n"));
        self.region.set(text_of(o.region_code.as_ref()));
        self.address.set(text_of(o.address.as_ref()));
        let kind = if o.deadline_days.is_some() {
            "days"
        } else {
            "date"
        };
        self.deadline_kind.set(kind.to_owned());
        self.deadline_date.set(text_of(o.deadline_date));
        self.deadline_days.set(text_of(o.deadline_days));
        self.price.set(text_of(o.price));
        self.prepayment.set(o.prepayment_required);
        self.percent.set(text_of(o.prepayment_percent));
        self.registration.set(o.registration.as_str().to_owned());
        self.attachments
            .set(o.attachments.iter().cloned().map(Uploaded::from).collect());
    }

    fn by_days(&self) -> bool {
        self.deadline_kind.with_untracked(|k| k == "days")
    }

    /// The order the inputs describe (call when [`Checks::collect`] finds
    /// nothing).
    fn order(&self) -> NewOrder {
        let days = self.by_days();
        let prepayment = self.prepayment.get_untracked();
        NewOrder {
            title: self.title.get_untracked().trim().to_owned(),
            work_types: WorkType::ALL
                .iter()
                .copied()
                .filter(|w| {
                    self.work_types
                        .with_untracked(|c| c.iter().any(|x| x == w.as_str()))
                })
                .collect(),
            description: non_blank(self.description.get_untracked()),
            cadastral_numbers: cadastral_list(&self.cadastral.get_untracked()),
            region_code: non_blank(self.region.get_untracked()),
            address: non_blank(self.address.get_untracked()),
            deadline_date: (!days)
                .then(|| self.deadline_date.get_untracked().parse().ok())
                .flatten(),
            deadline_days: days
                .then(|| number(&self.deadline_days.get_untracked()).ok().flatten())
                .flatten(),
            price: number(&self.price.get_untracked()).ok().flatten(),
            prepayment_required: prepayment,
            prepayment_percent: prepayment
                .then(|| number(&self.percent.get_untracked()).ok().flatten())
                .flatten(),
            registration: self
                .registration
                .get_untracked()
                .parse()
                .unwrap_or_default(),
            attachment_ids: self
                .attachments
                .with_untracked(|a| a.iter().map(|f| f.id).collect()),
        }
    }
}

/// The client's checks. Format mistakes show at once; "required" after the
/// first submission (`submitted`), and what publishing requires after the
/// first "Save and publish" (`publishing`).
#[derive(Clone, Copy)]
struct Checks {
    inputs: Inputs,
    submitted: RwSignal<bool>,
    publishing: RwSignal<bool>,
    title_touched: RwSignal<bool>,
}

impl Checks {
    /// Adds the problems found to `found` (reactive).
    fn collect(&self, found: &mut Vec<(&'static str, String)>) {
        let i = self.inputs;
        let (o, e) = (&t().orders, &t().errors);
        let publishing = self.publishing.get();
        let mut add = |field: &'static str, text: &str| found.push((field, text.to_owned()));
        let title = i.title.get();
        let title = title.trim();
        if title.is_empty() && (self.submitted.get() || self.title_touched.get()) {
            add("title", e.required);
        } else if title.chars().count() as u64 > TITLE_MAX_CHARS {
            add("title", e.too_long);
        }
        let bad: Vec<String> = i
            .cadastral
            .with(|c| cadastral_list(c))
            .into_iter()
            .filter(|n| !cadastral_ok(n))
            .collect();
        if !bad.is_empty() {
            add(
                "cadastral_numbers",
                &format!("{} {}", o.cadastral_invalid, bad.join(", ")),
            );
        }
        if publishing && i.work_types.with(Vec::is_empty) {
            add("work_types", e.required);
        }
        if publishing && i.region.with(String::is_empty) {
            add("region_code", e.required);
        }
        if publishing && i.address.with(|a| a.trim().is_empty()) {
            add("address", e.required);
        }
        if i.deadline_kind.with(|k| k == "days") {
            match number::<u32>(&i.deadline_days.get()) {
                Err(()) => add("deadline", o.whole_number),
                Ok(Some(d)) if d == 0 || d > DEADLINE_DAYS_MAX => add("deadline", o.days_range),
                Ok(None) if publishing => add("deadline", e.required),
                _ => {}
            }
        } else if publishing && i.deadline_date.with(String::is_empty) {
            add("deadline", e.required);
        }
        match number::<i64>(&i.price.get()) {
            Err(()) => add("price", o.whole_number),
            Ok(Some(p)) if p < 1 => add("price", e.not_positive),
            Ok(Some(p)) if p > PRICE_MAX => add("price", e.out_of_range),
            _ => {}
        }
        if i.prepayment.get() {
            match number::<u8>(&i.percent.get()) {
                Ok(Some(p)) if (1..=100).contains(&p) => {}
                Ok(None) if !self.submitted.get() => {}
                Ok(None) => add("prepayment_percent", e.required),
                _ => add("prepayment_percent", o.percent_range),
            }
        }
    }
}

/// The control that shows the server's errors of a field.
fn field_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "title" => "title",
        "work_types" => "work_types",
        "description" => "description",
        "cadastral_numbers" => "cadastral_numbers",
        "region_code" => "region_code",
        "address" => "address",
        "deadline_date" | "deadline_days" => "deadline",
        "price" => "price",
        "prepayment_percent" => "prepayment_percent",
        "registration" => "registration",
        "attachment_ids" => "attachment_ids",
        _ => return None,
    })
}

const DEADLINE_KINDS: &[(&str, Pick)] = &[
    ("date", |s| s.orders.deadline_by_date),
    ("days", |s| s.orders.deadline_in_days),
];

/// The changes from `before` to `after`, for `PATCH`.
fn changes(before: &Order, after: &NewOrder) -> UpdateOrder {
    fn diff<T: PartialEq + Clone>(old: &T, new: &T) -> Option<T> {
        (old != new).then(|| new.clone())
    }
    let mut old_types = before.work_types.clone();
    old_types.sort();
    let mut new_types = after.work_types.clone();
    new_types.sort();
    let old_files: Vec<Uuid> = before.attachments.iter().map(|f| f.id).collect();
    UpdateOrder {
        title: diff(&before.title, &after.title),
        work_types: diff(&old_types, &new_types),
        description: diff(&before.description, &after.description),
        cadastral_numbers: diff(&before.cadastral_numbers, &after.cadastral_numbers),
        region_code: diff(&before.region_code, &after.region_code),
        address: diff(&before.address, &after.address),
        deadline_date: diff(&before.deadline_date, &after.deadline_date),
        deadline_days: diff(&before.deadline_days, &after.deadline_days),
        price: diff(&before.price, &after.price),
        prepayment_required: diff(&before.prepayment_required, &after.prepayment_required),
        prepayment_percent: diff(&before.prepayment_percent, &after.prepayment_percent),
        registration: diff(&before.registration, &after.registration),
        attachment_ids: diff(&old_files, &after.attachment_ids),
    }
}

/// Creates the order or saves the changes to it.
async fn save(
    auth: Auth,
    saved: Option<Order>,
    etag: Option<String>,
    body: &NewOrder,
    key: IdempotencyKey<NewOrder>,
) -> Result<(Order, Option<String>), ApiError> {
    match saved {
        None => orders::create(auth, body, key)
            .await
            .map(|r| (r.body, r.etag)),
        Some(before) => {
            let patch = changes(&before, body);
            if patch == UpdateOrder::default() {
                return Ok((before, etag));
            }
            orders::update(auth, before.id, &patch, etag)
                .await
                .map(|r| (r.body, r.etag))
        }
    }
}

/// The form: `route` is the edited order's id (`None` for a new order).
#[component]
fn OrderForm(route: Option<Memo<Option<Uuid>>>) -> impl IntoView {
    let auth = use_auth();
    let shown = signed_in();
    let reference = use_reference();
    let navigate = use_navigate();
    let inputs = Inputs::new();
    let checks = Checks {
        inputs,
        submitted: RwSignal::new(false),
        publishing: RwSignal::new(false),
        title_touched: RwSignal::new(false),
    };
    // The saved order (edited, or a new one once created) and its ETag.
    let saved = RwSignal::new(None::<Order>);
    let etag = RwSignal::new(None::<String>);
    let state = RwSignal::new(if route.is_some() {
        Load::Loading
    } else {
        Load::Ready
    });
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let not_published = RwSignal::new(false);
    let key = IdempotencyKey::new();
    let issues = issues(error, field_of, move |found| checks.collect(found));

    let reload = move |id: Uuid| {
        state.set(Load::Loading);
        load(state, orders::get(auth, id), move |reply| {
            inputs.fill(&reply.body);
            saved.set(Some(reply.body));
            etag.set(reply.etag);
        });
    };
    Effect::new(move |_| {
        if let (true, Some(id)) = (shown.get(), route.and_then(|r| r.get())) {
            reload(id);
        }
    });
    Effect::new(move |_| {
        if !inputs.title.with(String::is_empty) {
            checks.title_touched.set(true);
        }
    });

    // The button pressed says whether to publish (Enter presses the first).
    let publish_intent = StoredValue::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let publish = publish_intent.get_value();
        checks.submitted.set(true);
        if publish {
            checks.publishing.set(true);
        }
        stale.set(false);
        not_published.set(false);
        let mut found = Vec::new();
        checks.collect(&mut found);
        if !found.is_empty() {
            error.set(Some(ApiError::Problem(Box::new(Problem::new(
                ErrorCode::ValidationFailed,
                "",
            )))));
            return;
        }
        let body = inputs.order();
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = save(
                auth,
                saved.get_untracked(),
                etag.get_untracked(),
                &body,
                key,
            )
            .await;
            let order = match result {
                Ok((order, tag)) => {
                    saved.set(Some(order.clone()));
                    etag.set(tag);
                    order
                }
                Err(e) => {
                    if e.code() == Some("precondition_failed") {
                        stale.set(true);
                        if let Some(before) = saved.try_get_untracked().flatten() {
                            reload(before.id);
                        }
                    } else {
                        error.set(Some(e));
                    }
                    busy.set(false);
                    return;
                }
            };
            if publish
                && order.status == OrderStatus::Draft
                && let Err(e) = orders::publish(auth, order.id).await
            {
                not_published.set(true);
                error.set(Some(e));
                busy.set(false);
                return;
            }
            navigate(&format!("/orders/{}", order.id), Default::default());
        });
    };
    let intent = move |publish: bool| click(move |_| publish_intent.set_value(publish));

    let status = move || saved.with(|s| s.as_ref().map(|o| o.status));
    let draft = sig(move || status().is_none_or(|s| s == OrderStatus::Draft));
    let editable = move || {
        saved.with(|s| {
            s.as_ref()
                .is_none_or(|o| o.allowed_actions.contains(&OrderAction::Edit))
        })
    };
    let back = sig(move || match route.and_then(|r| r.get()) {
        Some(id) => format!("/orders/{id}"),
        None => "/orders".to_owned(),
    });
    let by_days = move || inputs.deadline_kind.with(|k| k == "days");

    view! {
        <section class="card" hidden=sig(move || !shown.get() || route.is_some_and(|r| r.get().is_none()))>
            <h1>
                {tr(if route.is_some() { |s| s.orders.form_edit_title } else { |s| s.orders.form_new_title })}
                " "
                <span inner_html=sig(move || status().map(|s| {
                    let mut h = Html::new();
                    badge(&mut h, s);
                    h.finish()
                }).unwrap_or_default())></span>
            </h1>
            <LoadStatus state=state retry=Callback::new(move |_| if let Some(id) = route.and_then(|r| r.get_untracked()) { reload(id) })/>
            {move || (state.with(Load::is_ready) && !editable()).then(|| view! {
                <ErrorBox message=Signal::derive(move || t().errors.illegal_transition.to_owned())/>
            })}
            <div hidden=sig(move || !(state.with(Load::is_ready) && editable()))>
                <p class="notice" role="alert" data-testid="form-stale" hidden=sig(move || !stale.get())>{tr(|s| s.orders.form_stale)}</p>
                <p class="notice" role="alert" data-testid="not-published" hidden=sig(move || !not_published.get())>{tr(|s| s.orders.draft_saved_not_published)}</p>
                <form class="order-form" on:submit=submit novalidate data-testid="order-form">
                    <FormError error=error/>
                    <Input id="title" required=true label=|s| s.orders.title value=inputs.title issues=issues/>
                    <CheckGroup id="work_types" legend=|s| s.orders.work_types
                        options=Signal::derive(move || reference.work_type_options())
                        chosen=inputs.work_types issues=issues/>
                    <Area id="description" rows=4 label=|s| s.orders.description value=inputs.description issues=issues/>
                    <Area id="cadastral_numbers" rows=2 label=|s| s.orders.cadastral_numbers value=inputs.cadastral
                        hint=|s| s.orders.cadastral_hint issues=issues/>
                    <div class="row">
                        <Choice id="region_code" label=|s| s.orders.region value=inputs.region
                            options=Signal::derive(move || reference.region_options())
                            blank=|s| s.orders.region_none issues=issues/>
                        <Input id="address" label=|s| s.orders.address value=inputs.address
                            hint=|s| s.orders.address_hint issues=issues/>
                    </div>
                    <fieldset class="field deadline" data-testid="deadline">
                        <legend>{tr(|s| s.orders.deadline)}</legend>
                        <Segments name="deadline-kind" label=|s| s.orders.deadline value=inputs.deadline_kind options=DEADLINE_KINDS/>
                        <div hidden=sig(by_days)>
                            <Input id="deadline_date" name="deadline" kind="date" label=|s| s.orders.deadline_date
                                value=inputs.deadline_date issues=issues/>
                        </div>
                        <div hidden=sig(move || !by_days())>
                            <Input id="deadline_days" name="deadline" numeric=true label=|s| s.orders.deadline_days
                                value=inputs.deadline_days issues=issues/>
                        </div>
                    </fieldset>
                    <div class="row">
                        <Input id="price" numeric=true label=|s| s.orders.price value=inputs.price
                            hint=|s| s.orders.price_hint issues=issues/>
                        <Choice id="registration" label=|s| s.orders.registration value=inputs.registration
                            options=Signal::derive(move || Registration::ALL.iter().map(|r| (r.as_str().to_owned(), t().registration(*r).to_owned())).collect())
                            issues=issues/>
                    </div>
                    <div class="field">
                        <Check id="prepayment_required" switch=true label=|s| s.orders.prepayment checked=inputs.prepayment/>
                    </div>
                    <div hidden=sig(move || !inputs.prepayment.get())>
                        <Input id="prepayment_percent" numeric=true label=|s| s.orders.prepayment_percent
                            value=inputs.percent issues=issues/>
                    </div>
                    <FilesField id="attachments" name="attachment_ids" list="attachment-list" sizes=true test_ids=true
                        label=|s| s.orders.attachments hint=|s| s.orders.attach_hint files=inputs.attachments issues=issues/>
                    <div class="actions form-buttons">
                        <button type="submit" id="save-draft" data-testid="save-draft" hidden=sig(move || !draft.get())
                            disabled=busy on:click=intent(false)>{tr(|s| s.orders.save_draft)}</button>
                        <button type="submit" class="primary" id="save-publish" data-testid="save-publish" hidden=sig(move || !draft.get())
                            disabled=busy on:click=intent(true)>{tr(|s| s.orders.save_publish)}</button>
                        <button type="submit" class="primary" id="save-changes" data-testid="save-changes" hidden=draft
                            disabled=busy on:click=intent(false)>{tr(|s| s.orders.save_changes)}</button>
                        <a href=back class="button">{tr(|s| s.orders.back)}</a>
                    </div>
                    <p class="status" role="status" hidden=sig(move || !busy.get())>{tr(|s| s.loading)}</p>
                </form>
            </div>
        </section>
    }
}
