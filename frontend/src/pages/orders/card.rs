//! The order card (`/orders/:id`): status, every field, attachments, the
//! action buttons the server allows (`allowed_actions`), responses and
//! offers (see `parties`), and the history as a timeline. A refused
//! transition (409 `illegal_transition`) says the current status and
//! refreshes the card. The read-only parts are HTML text (see
//! `components::html`).

use super::badge;
use super::contracts::Contracts;
use super::fulfilment::Fulfilment;
use super::parties::Parties;
use crate::api::{ApiError, chat, orders};
use crate::components::bind::{click, sig};
use crate::components::chat::chat_panel;
use crate::components::html::{Html, clicked};
use crate::components::later::later;
use crate::components::problem::{FormError, explain};
use crate::components::route::route_id;
use crate::components::status::{AuthGate, Load, LoadStatus, signed_in};
use crate::format;
use crate::pages::misc::NotFound;
use crate::pages::moderation::OrderModeration;
use crate::session::{Auth, use_auth};
use crate::state::{Reference, t, tr, use_reference};
use futures_util::future::LocalBoxFuture;
use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::Role;
use mezha_api_types::chat::{ChatAction, ChatStage, ChatThread};
use mezha_api_types::orders::{
    HistoryEntry, Offer, Order, OrderAction, OrderResponse, OrderStatus,
};
use uuid::Uuid;

/// `/orders/:id`.
#[component]
pub fn OrderCardPage() -> impl IntoView {
    let route = route_id();
    view! {
        <AuthGate/>
        {move || route.get().is_none().then(|| view! { <NotFound/> })}
        <OrderCard route=route/>
    }
}

/// The card's state, shared with its parts.
#[derive(Clone, Copy)]
pub struct Card {
    pub auth: Auth,
    pub route: Memo<Option<Uuid>>,
    pub order: RwSignal<Option<Order>>,
    pub state: RwSignal<Load>,
    pub history: RwSignal<Option<Result<Vec<HistoryEntry>, ApiError>>>,
    pub responses: RwSignal<Vec<OrderResponse>>,
    pub offers: RwSignal<Vec<Offer>>,
    /// A refused transition: what the status is now.
    pub notice: RwSignal<Option<ApiError>>,
    /// A failed action of the action bar.
    pub error: RwSignal<Option<ApiError>>,
    pub busy: RwSignal<bool>,
}

impl Card {
    /// Whether the order has its executor and is past choosing him: the
    /// contract and what follows it exist (reactive).
    pub fn assigned(self) -> bool {
        self.order.with(|o| {
            o.as_ref().is_some_and(|o| {
                o.executor_id.is_some()
                    && !matches!(
                        o.status,
                        OrderStatus::Draft | OrderStatus::ExecutorSelection
                    )
            })
        })
    }

    fn new(auth: Auth, route: Memo<Option<Uuid>>) -> Self {
        Card {
            auth,
            route,
            order: RwSignal::new(None),
            state: RwSignal::new(Load::Loading),
            history: RwSignal::new(None),
            responses: RwSignal::new(Vec::new()),
            offers: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The order's id (from the address).
    pub fn id(&self) -> Uuid {
        self.route.get_untracked().unwrap_or_default()
    }

    /// Loads the order, then its history, responses and offers.
    pub fn reload(self) {
        let (auth, id) = (self.auth, self.id());
        if self.route.get_untracked().is_none() {
            return;
        }
        spawn_local(async move {
            let order = match orders::get(auth, id).await {
                Ok(reply) => reply.body,
                Err(e) => {
                    self.state.set(Load::Failed(e));
                    return;
                }
            };
            let parties = order.status != OrderStatus::Draft
                && matches!(
                    auth.acting.get_untracked(),
                    Some(Role::Customer | Role::Engineer)
                );
            self.order.set(Some(order));
            self.state.set(Load::Ready);
            self.history
                .set(Some(orders::history(auth, id).await.map(|h| h.items)));
            let (responses, offers) = if parties {
                let responses = orders::responses(auth, id).await.map(|r| r.items);
                let offers = orders::offers(auth, id).await.map(|o| o.items);
                (responses.unwrap_or_default(), offers.unwrap_or_default())
            } else {
                (Vec::new(), Vec::new())
            };
            self.responses.set(responses);
            self.offers.set(offers);
        });
    }

    /// Whether the server lists `action` for the caller (reactive).
    pub fn allows(&self, action: OrderAction) -> bool {
        self.order.with(|o| {
            o.as_ref()
                .is_some_and(|o| o.allowed_actions.contains(&action))
        })
    }

    /// Runs an action; on success refreshes the card. A refused transition
    /// (or a stale version) refreshes the card and says why beside the
    /// status; other errors go to `error`, beside what was pressed.
    pub fn act(
        self,
        error: RwSignal<Option<ApiError>>,
        action: LocalBoxFuture<'static, Result<(), ApiError>>,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        self.notice.set(None);
        error.set(None);
        spawn_local(async move {
            match action.await {
                Ok(()) => self.reload(),
                Err(e) => self.refused(e, error),
            }
            self.busy.set(false);
        });
    }

    /// A refused transition (or a stale version) refreshes the card and
    /// says why beside the status; other errors go to `error`.
    pub fn refused(self, e: ApiError, error: RwSignal<Option<ApiError>>) {
        match e.code() {
            Some("illegal_transition" | "precondition_failed" | "conflict") => {
                self.notice.set(Some(e));
                self.reload();
            }
            _ => error.set(Some(e)),
        }
    }
}

/// The split point of the order's contract, acts, invoices and results.
#[lazy]
fn after_selection(card: Card) -> AnyView {
    view! {
        <Contracts card=card/>
        <Fulfilment card=card/>
    }
    .into_any()
}

/// The split point of the moderator's tools on an order.
#[lazy]
fn moderation_panel(customer: Memo<Option<Uuid>>, executor: Memo<Option<Uuid>>) -> AnyView {
    view! { <OrderModeration customer=customer executor=executor/> }.into_any()
}

#[component]
fn OrderCard(route: Memo<Option<Uuid>>) -> impl IntoView {
    let auth = use_auth();
    let shown = signed_in();
    let reference = use_reference();
    let card = Card::new(auth, route);
    // Load when the session is there, and again for another order or
    // another acting role.
    Effect::new(move |_| {
        let (_, _, shown) = (route.get(), auth.acting.get(), shown.get());
        if shown {
            card.state.set(Load::Loading);
            card.order.set(None);
            card.reload();
        }
    });
    let not_ready = sig(move || !shown.get() || !card.state.with(Load::is_ready));
    let download_error = RwSignal::new(None::<ApiError>);
    // The evidence export, once there is something to sign.
    let exportable = move || {
        card.order.with(|o| {
            o.as_ref().is_some_and(|o| {
                !matches!(
                    o.status,
                    OrderStatus::Draft | OrderStatus::ExecutorSelection
                )
            })
        })
    };
    let export_error = RwSignal::new(None::<ApiError>);
    let export = move |_| {
        let Some(number) = card.order.with_untracked(|o| o.as_ref().map(|o| o.number)) else {
            return;
        };
        let (auth, id) = (card.auth, card.id());
        spawn_local(async move {
            let name = format!("order-{number}-documents.zip");
            let path = format!("/orders/{id}/export");
            if let Err(e) = crate::api::files::save_file(auth, &path, &name).await {
                export_error.set(Some(e));
            }
        });
    };
    let download = click(move |ev: leptos::ev::MouseEvent| {
        let Some((_, file_id)) = clicked(&ev) else {
            return;
        };
        let file = card.order.with_untracked(|o| {
            o.as_ref()
                .and_then(|o| o.attachments.iter().find(|f| f.id.to_string() == file_id))
                .cloned()
        });
        if let Some(file) = file {
            ev.prevent_default();
            download_error.set(None);
            spawn_local(async move {
                if let Err(e) = orders::download(auth, &file).await {
                    download_error.set(Some(e));
                }
            });
        }
    });
    let section = |block: fn(&Order, Reference) -> String| {
        sig(move || {
            card.order
                .with(|o| o.as_ref().map(|o| block(o, reference)).unwrap_or_default())
        })
    };
    let customer = Memo::new(move |_| card.order.with(|o| o.as_ref().map(|o| o.customer_id)));
    // The chat's threads, again whenever the order changes (an offer
    // answered, an executor chosen).
    let threads = RwSignal::new(Vec::<ChatThread>::new());
    let thread = RwSignal::new(None::<Uuid>);
    Effect::new(move |_| {
        let Some(id) = route.get() else { return };
        if card.order.with(Option::is_none) {
            return;
        }
        spawn_local(async move {
            let list = chat::threads(auth, id)
                .await
                .map(|p| p.items)
                .unwrap_or_default();
            let keep = thread
                .get_untracked()
                .filter(|e| list.iter().any(|t| t.engineer_id == *e));
            thread.set(keep.or_else(|| list.first().map(|t| t.engineer_id)));
            threads.set(list);
        });
    });
    let executor = Memo::new(move |_| card.order.with(|o| o.as_ref().and_then(|o| o.executor_id)));
    // The contract, its acts and the work after it are a chunk of their own
    // (docs/ARCHITECTURE.md, "Code splitting"), fetched once the order has
    // an executor: most visitors of an order in the marketplace never need it.
    let assigned = Memo::new(move |_| card.assigned());
    view! {
        <div hidden=sig(move || !shown.get() || route.get().is_none())>
            <p class="back"><a href="/orders">{tr(|s| s.orders.back_to_list)}</a></p>
            <LoadStatus state=card.state card=true retry=Callback::new(move |_| card.reload())/>
        </div>
        <section class="card order-card" data-testid="order-card" hidden=not_ready>
            <div inner_html=section(head_html)></div>
            <p class="notice" role="alert" data-testid="order-notice" hidden=sig(move || card.notice.with(Option::is_none))>
                {sig(move || card.notice.get().map(|e| explain(&e)))}
            </p>
            <Actions card=card/>
            <div inner_html=section(details_html) on:click=download></div>
            <FormError error=download_error/>
        </section>
        <div hidden=not_ready><Parties card=card/></div>
        <div hidden=not_ready>{move || assigned.get().then(|| later(after_selection(card)))}</div>
        {move || {
            // The order's chat threads (the executor's, and one with each
            // engineer the order is offered to): a choice when there are
            // several, the chosen one's panel. Its customer and engineer
            // write while it is open ("mine" are their own messages); the
            // employer and moderators read.
            let id = route.get()?;
            let engineer = thread.get()?;
            let current = threads.with(|l| l.iter().find(|t| t.engineer_id == engineer).cloned())?;
            let writer = current.allowed_actions.contains(&ChatAction::Send);
            let closed = current.stage == ChatStage::Closed;
            let me = Signal::derive(move || match auth.acting.get() {
                Some(Role::Customer) => customer.get(),
                Some(Role::Engineer) => Some(engineer),
                _ => None,
            });
            Some(view! {
                <nav class="card chat-threads" aria-label=tr(|s| s.notif.chat_threads)
                    hidden=threads.with(|l| l.len() < 2) data-testid="chat-threads">
                    {threads.with(|l| l.iter().map(|t| thread_button(t, thread)).collect_view())}
                </nav>
                <p class="notice" hidden=!closed data-testid="chat-closed">{tr(|s| s.notif.chat_closed)}</p>
                {later(chat_panel(id, engineer, me, Signal::derive(move || writer)))}
            })
        }}
        {move || (card.auth.acting.get() == Some(Role::Moderator)).then(|| later(moderation_panel(customer, executor)))}
        <section class="card" aria-labelledby="history-title" hidden=not_ready>
            <h2 id="history-title">{tr(|s| s.orders.history)}</h2>
            <p hidden=sig(move || !exportable())>
                <button type="button" data-testid="order-export" disabled=card.busy on:click=export>
                    {tr(|s| s.orders.export)}
                </button>
                " "<small class="hint">{tr(|s| s.orders.export_hint)}</small>
            </p>
            <FormError error=export_error/>
            <div inner_html=sig(move || card.history.with(|h| match h {
                None => format!("<p class=\"status\">{}</p>", t().loading),
                Some(Ok(items)) => history_html(items),
                Some(Err(e)) => format!("<p class=\"error\" role=\"alert\">{}</p>", {
                    let mut text = String::new();
                    crate::components::html::escape(&mut text, &explain(e));
                    text
                }),
            }))></div>
        </section>
    }
}

/// Number, title and status.
fn head_html(o: &Order, _: Reference) -> String {
    let mut h = Html::new();
    h.open("h1", &[]);
    h.el(
        "span",
        &[
            ("class", Some("order-number")),
            ("data-testid", Some("order-number")),
        ],
        &format!("{} {}", t().orders.number_prefix, o.number),
    );
    h.text(" ");
    h.el("span", &[("data-testid", Some("order-title"))], &o.title);
    h.close("h1");
    h.open("p", &[("data-testid", Some("order-status"))]);
    badge(&mut h, o.status);
    super::overdue_badge(&mut h, o.overdue);
    h.close("p");
    h.finish()
}

/// Every field and the attachments (links with `data-act="download"`).
fn details_html(o: &Order, reference: Reference) -> String {
    let t = t();
    let s = &t.orders;
    let mut h = Html::new();
    let row = |h: &mut Html, testid: &str, label: &str, value: &str| {
        h.open(
            "div",
            &[("class", Some("detail")), ("data-testid", Some(testid))],
        );
        h.el("dt", &[], label);
        h.el("dd", &[], value).close("div");
    };
    let or_dash = |v: Option<String>| v.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into());
    h.open("dl", &[("class", Some("details"))]);
    let works: Vec<String> = o
        .work_types
        .iter()
        .map(|w| reference.work_type_name(*w))
        .collect();
    row(
        &mut h,
        "order-work-types",
        s.work_types,
        &or_dash(Some(works.join("; "))),
    );
    row(
        &mut h,
        "order-description",
        s.description,
        &or_dash(o.description.clone()),
    );
    row(
        &mut h,
        "order-cadastral",
        s.cadastral_numbers,
        &or_dash(Some(o.cadastral_numbers.join(", "))),
    );
    let region = o.region_code.as_deref().map(|c| reference.region_name(c));
    row(&mut h, "order-region", s.region, &or_dash(region));
    row(
        &mut h,
        "order-address",
        s.address,
        &or_dash(o.address.clone()),
    );
    row(
        &mut h,
        "order-customer-type",
        s.customer_type,
        t.customer_type(o.customer_type),
    );
    row(
        &mut h,
        "order-deadline",
        s.deadline,
        &format::deadline(o.deadline_date, o.deadline_days),
    );
    if let Some(due) = o.due_date {
        row(&mut h, "order-due-date", s.due_date, &format::date(due));
    }
    let price = o.price.map(format::price);
    row(
        &mut h,
        "order-price",
        s.price,
        price.as_deref().unwrap_or(s.no_price),
    );
    let prepayment = match o.prepayment_percent {
        Some(p) if o.prepayment_required => format!("{}, {p}%", s.yes),
        _ if o.prepayment_required => s.yes.to_owned(),
        _ => s.no.to_owned(),
    };
    row(&mut h, "order-prepayment", s.prepayment, &prepayment);
    row(
        &mut h,
        "order-registration",
        s.registration,
        t.registration(o.registration),
    );
    row(
        &mut h,
        "order-responses-count",
        s.responses_count,
        &o.responses_count.to_string(),
    );
    if let Some(executor) = o.executor_id {
        let name = o
            .executor_name
            .clone()
            .unwrap_or_else(|| executor.to_string());
        row(&mut h, "order-executor", s.executor, &name);
    }
    let mut dates = format::time(o.created_at);
    if let Some(p) = o.published_at {
        dates = format!("{dates} · {} {}", s.published_at, format::time(p));
    }
    dates = format!("{dates} · {} {}", s.updated_at, format::time(o.updated_at));
    row(&mut h, "order-dates", s.created_at, &dates);
    h.close("dl");
    h.el("h2", &[], s.attachments);
    if o.attachments.is_empty() {
        h.el("p", &[("class", Some("empty"))], "—");
    } else {
        h.open(
            "ul",
            &[
                ("class", Some("files")),
                ("data-testid", Some("attachments")),
            ],
        );
        for f in &o.attachments {
            let id = f.id.to_string();
            h.open("li", &[]);
            h.el(
                "a",
                &[
                    ("href", Some(&format!("/api/v1/files/{id}"))),
                    ("download", Some(&f.name)),
                    ("data-act", Some("download")),
                    ("data-id", Some(&id)),
                    ("data-testid", Some("attachment-link")),
                ],
                &f.name,
            );
            h.text(" ")
                .span("file-size", &format::size(f.size))
                .close("li");
        }
        h.close("ul");
    }
    h.finish()
}

/// The history as a timeline, oldest first.
fn history_html(items: &[HistoryEntry]) -> String {
    let t = t();
    let mut h = Html::new();
    if items.is_empty() {
        h.el("p", &[("class", Some("empty"))], t.orders.history_empty);
        return h.finish();
    }
    h.open(
        "ol",
        &[
            ("class", Some("timeline")),
            ("data-testid", Some("history")),
        ],
    );
    for e in items {
        let created = e.action == OrderAction::Create || e.from_status.is_none();
        h.open(
            "li",
            &[
                ("data-action", Some(e.action.as_str())),
                ("data-to", Some(e.to_status.as_str())),
            ],
        );
        h.el(
            "time",
            &[("datetime", Some(&e.created_at.to_rfc3339()))],
            &format::time(e.created_at),
        );
        h.open("div", &[("class", Some("what"))]);
        h.el(
            "strong",
            &[],
            if created {
                t.orders.history_created
            } else {
                t.action(e.action)
            },
        );
        if let Some(from) = e.from_status {
            badge(&mut h, from);
            h.text("→");
        }
        badge(&mut h, e.to_status);
        h.close("div");
        if let Some(comment) = &e.comment {
            h.el("p", &[("class", Some("comment"))], comment);
        }
        if e.actor_id.is_none() {
            h.el("small", &[("class", Some("hint"))], t.orders.history_system);
        }
        h.close("li");
    }
    h.close("ol");
    h.finish()
}

/// The buttons of the actions the server allows: edit, publish, delete
/// (after a confirmation) and cancel (with a comment asked in a prompt).
#[component]
fn Actions(card: Card) -> impl IntoView {
    let navigate = use_navigate();
    let auth = card.auth;
    let publish = click(move |_| {
        let id = card.id();
        card.act(
            card.error,
            Box::pin(async move { orders::publish(auth, id).await.map(drop) }),
        )
    });
    let delete = click(move |_| {
        if !window()
            .confirm_with_message(t().orders.delete_confirm)
            .unwrap_or(false)
        {
            return;
        }
        let navigate = navigate.clone();
        let id = card.id();
        card.busy.set(true);
        card.error.set(None);
        spawn_local(async move {
            match orders::delete(auth, id).await {
                Ok(()) => navigate("/orders", Default::default()),
                Err(e) => {
                    card.busy.set(false);
                    card.refused(e, card.error);
                }
            }
        });
    });
    let cancel = click(move |_| {
        // `None`: the user thought better of it.
        let Ok(Some(text)) = window().prompt_with_message_and_default(t().orders.cancel_prompt, "")
        else {
            return;
        };
        let text = text.trim().to_owned();
        let id = card.id();
        card.act(
            card.error,
            Box::pin(async move {
                orders::cancel(auth, id, (!text.is_empty()).then_some(text))
                    .await
                    .map(drop)
            }),
        );
    });
    let hide = move |action: OrderAction| sig(move || !card.allows(action));
    let none = sig(move || {
        ![
            OrderAction::Edit,
            OrderAction::Publish,
            OrderAction::Delete,
            OrderAction::Cancel,
        ]
        .into_iter()
        .any(|a| card.allows(a))
    });
    view! {
        <div class="actions order-actions" data-testid="order-actions" hidden=none>
            <a href=sig(move || format!("/orders/{}/edit", card.route.get().unwrap_or_default())) class="button"
                id="action-edit" data-testid="action-edit" hidden=hide(OrderAction::Edit)>{tr(|s| s.orders.edit)}</a>
            <button type="button" class="primary" id="action-publish" data-testid="action-publish"
                hidden=hide(OrderAction::Publish) disabled=card.busy on:click=publish>{tr(|s| s.orders.publish)}</button>
            <button type="button" class="danger-outline" id="action-delete" data-testid="action-delete"
                hidden=hide(OrderAction::Delete) disabled=card.busy on:click=delete>{tr(|s| s.orders.delete)}</button>
            <button type="button" class="danger-outline" id="action-cancel" data-testid="action-cancel"
                hidden=hide(OrderAction::Cancel) disabled=card.busy on:click=cancel>{tr(|s| s.orders.cancel)}</button>
        </div>
        <p class="error form-error" role="alert" data-testid="action-error" hidden=sig(move || card.error.with(Option::is_none))>
            {sig(move || card.error.with(|e| e.as_ref().map(action_error)))}
        </p>
    }
}

/// A refused action in words; a draft that cannot be published yet names
/// the fields it lacks (the card has no fields to highlight).
fn action_error(e: &ApiError) -> String {
    let o = &t().orders;
    let missing: Vec<&str> = match e {
        ApiError::Problem(p) => p
            .errors
            .iter()
            .flatten()
            .map(|(field, _)| match field.as_str() {
                "title" => o.title,
                "work_types" => o.work_types,
                "region_code" => o.region,
                "address" => o.address,
                "deadline_date" | "deadline_days" => o.deadline,
                "price" => o.price,
                "prepayment_percent" => o.prepayment_percent,
                other => other,
            })
            .collect(),
        ApiError::Network => Vec::new(),
    };
    if missing.is_empty() {
        explain(e)
    } else {
        format!("{} {}.", o.publish_missing, missing.join(", "))
    }
}

/// A thread's button in the list of an order's chats: the engineer, the
/// thread's stage and what the caller has not read.
fn thread_button(one: &ChatThread, chosen: RwSignal<Option<Uuid>>) -> impl IntoView + use<> {
    let engineer = one.engineer_id;
    let s = t().notif;
    let stage = match one.stage {
        ChatStage::Executor => s.chat_stage_executor,
        ChatStage::Offered => s.chat_stage_offered,
        ChatStage::Closed => s.chat_stage_closed,
    };
    let name = one.engineer_name.as_deref().unwrap_or_default();
    let unread = match one.unread {
        0 => String::new(),
        n => format!(" ({n})"),
    };
    let label = format!("{name} · {stage}{unread}");
    view! {
        <button type="button" data-testid="chat-thread"
            aria-pressed=move || (chosen.get() == Some(engineer)).to_string()
            on:click=move |_| chosen.set(Some(engineer))>
            {label}
        </button>
    }
}
