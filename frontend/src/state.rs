//! App-wide state, provided as context: the interface language (with the
//! catalogue helpers [`t`], [`tr`], [`ts`]) and the reference data every
//! form shares. The session is `session`'s. Nothing sensitive touches
//! localStorage (only the language choice does).

use crate::api::{ApiError, orders};
use crate::i18n::{Lang, Strings};
use crate::session::{Auth, use_auth};
use leptos::prelude::*;
use mezha_api_types::orders::{ReferenceData, WorkType};

const LANG_KEY: &str = "mezha.lang";

/// Interface settings.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    /// A message for the whole page (e.g. a failed role switch).
    pub flash: RwSignal<Option<String>>,
}

impl Ui {
    /// The language stored from a previous visit, else Russian.
    pub fn new() -> Self {
        let stored = local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
        let lang = stored.map(|c| Lang::from_code(&c)).unwrap_or(Lang::Ru);
        LANG.with(|l| l.set(lang));
        Ui {
            lang: RwSignal::new(lang),
            flash: RwSignal::new(None),
        }
    }

    /// Switches the language and remembers it.
    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        LANG.with(|l| l.set(lang));
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

thread_local! {
    /// The language last chosen, for texts made outside the component tree.
    static LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Ru) };
}

/// The current catalogue (reactive).
pub fn t() -> &'static Strings {
    lang().t()
}

/// The current interface language (reactive). Outside the component tree
/// — in a task, once an answer has arrived, where no context is to be
/// found — the language last chosen.
pub fn lang() -> Lang {
    match use_context::<Ui>() {
        Some(ui) => ui.lang.get(),
        None => LANG.with(std::cell::Cell::get),
    }
}

/// Regions and work types (`GET /reference`), loaded once per page load
/// and shared by every form and filter.
#[derive(Clone, Copy)]
pub struct Reference {
    pub data: RwSignal<Option<ReferenceData>>,
    pub error: RwSignal<Option<ApiError>>,
    loading: StoredValue<bool>,
}

impl Reference {
    pub fn new() -> Self {
        Reference {
            data: RwSignal::new(None),
            error: RwSignal::new(None),
            loading: StoredValue::new(false),
        }
    }

    /// Starts loading unless loaded or under way (a failure is retried the
    /// next time a page asks).
    pub fn ensure(&self, auth: Auth) {
        if self.data.with_untracked(Option::is_some) || self.loading.get_value() {
            return;
        }
        self.loading.set_value(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            match orders::reference(auth).await {
                Ok(data) => {
                    this.data.set(Some(data));
                    this.error.set(None);
                }
                Err(e) => this.error.set(Some(e)),
            }
            this.loading.set_value(false);
        });
    }

    /// The region's name in the current language (its code while unknown).
    pub fn region_name(&self, code: &str) -> String {
        let en = lang() == Lang::En;
        self.data.with(|d| {
            d.as_ref()
                .and_then(|d| d.regions.iter().find(|r| r.code == code))
                .map(|r| {
                    if en {
                        r.name_en.clone()
                    } else {
                        r.name_ru.clone()
                    }
                })
                .unwrap_or_else(|| code.to_owned())
        })
    }

    /// `(code, "code — name")` of every region, for a select.
    pub fn region_options(&self) -> Vec<(String, String)> {
        let en = lang() == Lang::En;
        self.data.with(|d| {
            d.iter()
                .flat_map(|d| d.regions.iter())
                .map(|r| {
                    let name = if en { &r.name_en } else { &r.name_ru };
                    (r.code.clone(), format!("{} — {name}", r.code))
                })
                .collect()
        })
    }

    /// The work type's name in the current language.
    pub fn work_type_name(&self, work: WorkType) -> String {
        let en = lang() == Lang::En;
        self.data.with(|d| {
            d.as_ref()
                .and_then(|d| d.work_types.iter().find(|w| w.code == work))
                .map(|w| {
                    if en {
                        w.name_en.clone()
                    } else {
                        w.name_ru.clone()
                    }
                })
                .unwrap_or_else(|| work.as_str().to_owned())
        })
    }

    /// `(code, name)` of the ten work types, in their usual order.
    pub fn work_type_options(&self) -> Vec<(String, String)> {
        WorkType::ALL
            .iter()
            .map(|w| (w.as_str().to_owned(), self.work_type_name(*w)))
            .collect()
    }
}

/// The reference data, loading it if needed (pages that need a session).
pub fn use_reference() -> Reference {
    let reference = expect_context::<Reference>();
    reference.ensure(use_auth());
    reference
}

/// Picks a text from a catalogue.
pub type Pick = fn(&'static Strings) -> &'static str;

/// A catalogue text that follows the language, for a view or an attribute.
/// Every call returns the same closure type, so the many texts of the app
/// share one copy of the rendering code (a `move || t().x` each would
/// compile to its own).
pub fn tr(pick: Pick) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(t())
}

/// [`tr`] as a signal, for components' label props.
pub fn ts(pick: Pick) -> Signal<&'static str> {
    Signal::derive(tr(pick))
}
