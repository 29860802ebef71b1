//! Files in forms. [`FilesField`] is the upload widget: files upload
//! (`POST /files`) as soon as they are chosen, with "uploading" and a
//! failure beside the input, and are listed with "Remove"; the form saves
//! the ids of those listed. [`chosen`] and [`chosen_file`] read a file
//! input for the forms that send a file themselves.

use crate::api::{ApiError, orders};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, clicked};
use crate::components::problem::{Issues, explain, issue_of};
use crate::format;
use crate::session::use_auth;
use crate::state::{Pick, t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::orders::FileInfo;
use uuid::Uuid;

/// A file of a form: uploaded in this visit (name and size known), or
/// saved before and known by its id only (`name` empty, `size` none).
#[derive(Debug, Clone, PartialEq)]
pub struct Uploaded {
    pub id: Uuid,
    pub name: String,
    pub size: Option<i64>,
}

impl Uploaded {
    /// A file saved before whose name the form does not know.
    pub fn unnamed(id: Uuid) -> Self {
        Uploaded {
            id,
            name: String::new(),
            size: None,
        }
    }
}

impl From<FileInfo> for Uploaded {
    fn from(f: FileInfo) -> Self {
        Uploaded {
            id: f.id,
            name: f.name,
            size: Some(f.size),
        }
    }
}

/// The files chosen in the file input an event came from.
pub fn chosen(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let input: web_sys::HtmlInputElement = event_target(ev);
    let Some(list) = input.files() else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The (first) file chosen in `input`, if any.
pub fn chosen_file(input: NodeRef<leptos::html::Input>) -> Option<web_sys::File> {
    input.get_untracked()?.files()?.get(0)
}

/// The list: each file's name (or "File N"), its size when `sizes` and
/// known, and "Remove".
fn list_html(files: &[Uploaded], sizes: bool, test_ids: bool) -> String {
    let t = t();
    let remove = t.orders.remove;
    let mut h = Html::new();
    for (n, f) in files.iter().enumerate() {
        let id = f.id.to_string();
        let name = if f.name.is_empty() {
            format!("{} {}", t.engineers.file, n + 1)
        } else {
            f.name.clone()
        };
        h.open("li", &[("data-file-id", Some(&id))]);
        h.span("file-name", &name).text(" ");
        if let Some(size) = f.size.filter(|_| sizes) {
            h.span("file-size", &format::size(size)).text(" ");
        }
        h.el(
            "button",
            &[
                ("type", Some("button")),
                ("class", Some("link")),
                ("data-act", Some("remove")),
                ("data-id", Some(&id)),
                ("data-testid", test_ids.then_some("remove-attachment")),
                ("aria-label", Some(&format!("{remove} {name}"))),
            ],
            remove,
        );
        h.close("li");
    }
    h.finish()
}

/// The upload widget of a form's files, bound to `files`. `name` is the
/// control's key in `issues` (the id when absent); `list` the list's
/// `data-testid` (`<id>-list` when absent); `sizes` shows the files'
/// sizes; `test_ids` marks progress, failure and the remove buttons for
/// tests.
#[component]
pub fn FilesField(
    id: &'static str,
    label: Pick,
    files: RwSignal<Vec<Uploaded>>,
    issues: Issues,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] hint: Option<Pick>,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] sizes: bool,
    #[prop(optional)] test_ids: bool,
) -> impl IntoView {
    let auth = use_auth();
    let name = name.unwrap_or(id);
    let uploading = RwSignal::new(0u32);
    let failed = RwSignal::new(None::<ApiError>);
    let on_change = move |ev: leptos::ev::Event| {
        let picked = chosen(&ev);
        event_target::<web_sys::HtmlInputElement>(&ev).set_value("");
        failed.set(None);
        for file in picked {
            uploading.update(|n| *n += 1);
            spawn_local(async move {
                match orders::upload(auth, &file).await {
                    Ok(info) => files.update(|f| f.push(info.into())),
                    Err(e) => failed.set(Some(e)),
                }
                uploading.update(|n| *n = n.saturating_sub(1));
            });
        }
    };
    let html = sig(move || files.with(|f| list_html(f, sizes, test_ids)));
    let remove = click(move |ev| {
        if let Some((_, fid)) = clicked(&ev) {
            files.update(|f| f.retain(|x| x.id.to_string() != fid));
        }
    });
    let issue = issue_of(issues, name);
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let list = list.map_or_else(|| format!("{id}-list"), str::to_owned);
    let test_id = move |value: &'static str| test_ids.then_some(value);
    view! {
        <div class="field attachments" class:invalid=sig(move || issue.with(Option::is_some))>
            <label for=id>{tr(label)}</label>
            <ul class="files" data-testid=list inner_html=html on:click=remove></ul>
            <input type="file" id=id multiple on:change=on_change aria-describedby=hint_id.clone()/>
            {hint.map(|hint| view! { <small id=hint_id class="hint">{tr(hint)}</small> })}
            <small class="status" role="status" data-testid=test_id("uploading") hidden=sig(move || uploading.get() == 0)>{tr(|s| s.orders.uploading)}</small>
            {move || failed.get().map(|e| view! { <small class="error" role="alert" data-testid=test_id("upload-error")>{explain(&e)}</small> })}
            <small class="error" data-field-error=name hidden=sig(move || issue.with(Option::is_none))>{issue}</small>
        </div>
    }
}
