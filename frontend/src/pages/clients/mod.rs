//! The client base (docs/clients.md): the list with its search and the
//! requests of data by e-mail ([`list`]), a client's form with the data
//! checks' findings beside their fields and passport recognition
//! ([`form`]), a submitted request's review ([`review`]), and the request
//! link's page, which needs no account ([`link`]). On the card, the
//! certificate applications the organisation's CA agent files for the
//! client ([`certificates`]).
//!
//! The employee's pages work inside his organisation as the organisation
//! screens do ([`Managed`](crate::pages::organisations::Managed)): acting in
//! another role, they offer the switch instead of actions the server would
//! refuse.

pub mod certificates;
pub mod form;
pub mod link;
pub mod list;
pub mod review;

use crate::components::bind::sig;
use crate::components::html::Html;
use crate::components::problem::{Issues, issue_of};
use crate::format;
use crate::i18n::clients::{ClientStrings, FIELDS};
use crate::state::t;
use leptos::prelude::*;
use mezha_api_types::clients::{Client, ClientFinding, NewClient};
use uuid::Uuid;

/// Indices in [`FIELDS`] of the dates (an `<input type=date>`).
const DATES: [usize; 2] = [1, 5];
/// A group's legend.
type Legend = fn(&ClientStrings) -> &'static str;
/// The form's groups: (legend, the indices of their fields).
const GROUPS: [(Legend, &[usize]); 3] = [
    (|c| c.person, &[0, 1, 2]),
    (|c| c.passport, &[3, 4, 5, 6, 7]),
    (|c| c.contacts, &[8, 9, 10, 11, 12]),
];

/// The text of a finding: the catalogue's for its code, else the server's.
pub fn finding_text(c: &ClientStrings, f: &ClientFinding) -> String {
    c.finding(&f.code)
        .map(str::to_owned)
        .unwrap_or_else(|| f.message.clone())
}

/// The findings of `field`, as the items of a list.
pub fn findings_html(findings: &[ClientFinding], field: &str) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for f in findings.iter().filter(|f| f.field == field) {
        h.el(
            "li",
            &[("data-finding", Some(&f.code))],
            &finding_text(c, f),
        );
    }
    h.finish()
}

/// Every finding with its field's label (after a submission).
pub fn all_findings_html(findings: &[ClientFinding]) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for f in findings {
        let label = c.field(&f.field).unwrap_or_default();
        h.open("li", &[("data-finding", Some(&f.code))]);
        h.el("strong", &[], label)
            .text(&format!(" — {}", finding_text(c, f)));
        h.close("li");
    }
    h.finish()
}

/// The client's values in the order of [`FIELDS`] (dates as `YYYY-MM-DD`).
pub fn values(n: &NewClient) -> [String; 13] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    [
        n.full_name.clone(),
        date(n.birth_date),
        text(&n.birth_place),
        text(&n.passport_series),
        text(&n.passport_number),
        date(n.passport_issued_on),
        text(&n.passport_issuer_code),
        text(&n.passport_issuer),
        text(&n.snils),
        text(&n.inn),
        text(&n.address),
        text(&n.phone),
        text(&n.email),
    ]
}

/// A saved client's data as the form sends it (to find what changed).
pub fn as_new(c: &Client) -> NewClient {
    NewClient {
        organisation_id: None,
        full_name: c.full_name.clone(),
        birth_date: c.birth_date,
        birth_place: c.birth_place.clone(),
        passport_series: c.passport_series.clone(),
        passport_number: c.passport_number.clone(),
        passport_issued_on: c.passport_issued_on,
        passport_issuer_code: c.passport_issuer_code.clone(),
        passport_issuer: c.passport_issuer.clone(),
        snils: c.snils.clone(),
        inn: c.inn.clone(),
        address: c.address.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        scan_ids: c.scans.iter().map(|s| s.id).collect(),
    }
}

/// The form's values, one signal a field in the order of [`FIELDS`].
#[derive(Clone, Copy)]
pub struct ClientFields([RwSignal<String>; 13]);

impl ClientFields {
    pub fn new() -> Self {
        ClientFields(std::array::from_fn(|_| RwSignal::new(String::new())))
    }

    /// Puts `values` into the form.
    pub fn fill(&self, values: [String; 13]) {
        for (signal, value) in self.0.iter().zip(values) {
            signal.set(value);
        }
    }

    /// Sets field `name` (an API name), if the form has it.
    pub fn set(&self, name: &str, value: String) {
        if let Some(i) = FIELDS.iter().position(|f| *f == name) {
            self.0[i].set(value);
        }
    }

    /// The data as typed: blanks left out, dates that do not read left out.
    pub fn data(&self, scan_ids: Vec<Uuid>) -> NewClient {
        let text = |i: usize| crate::components::fields::non_blank(self.0[i].get_untracked());
        let date = |i: usize| self.0[i].get_untracked().trim().parse().ok();
        NewClient {
            organisation_id: None,
            full_name: text(0).unwrap_or_default(),
            birth_date: date(1),
            birth_place: text(2),
            passport_series: text(3),
            passport_number: text(4),
            passport_issued_on: date(5),
            passport_issuer_code: text(6),
            passport_issuer: text(7),
            snils: text(8),
            inn: text(9),
            address: text(10),
            phone: text(11),
            email: text(12),
            scan_ids,
        }
    }
}

/// The control of a 422's field (`data.snils` of a submission included).
pub fn field_control(name: &str) -> Option<&'static str> {
    let name = name.strip_prefix("data.").unwrap_or(name);
    FIELDS.iter().find(|f| **f == name).copied()
}

/// A hint under some fields.
fn hint(c: &ClientStrings, name: &str) -> Option<&'static str> {
    Some(match name {
        "passport_series" => c.series_hint,
        "passport_number" => c.number_hint,
        "passport_issuer_code" => c.issuer_code_hint,
        "snils" => c.snils_hint,
        "inn" => c.inn_hint,
        _ => return None,
    })
}

/// One field of the client's data: its label, the control, its hint, the
/// server's refusal (`data-field-error`) and the data checks' findings
/// (`data-findings`), which never block a save.
#[component]
fn ClientInput(
    index: usize,
    fields: ClientFields,
    issues: Issues,
    findings: RwSignal<Vec<ClientFinding>>,
) -> impl IntoView {
    let name = FIELDS[index];
    let id = format!("client-{name}");
    let issue = issue_of(issues, name);
    let found = sig(move || findings.with(|f| findings_html(f, name)));
    let flagged = sig(move || findings.with(|f| f.iter().any(|f| f.field == name)));
    let kind = if DATES.contains(&index) {
        "date"
    } else if name == "email" {
        "email"
    } else if name == "phone" {
        "tel"
    } else {
        "text"
    };
    let hint_text = move || hint(t().clients, name);
    view! {
        <div class="field" class:invalid=sig(move || issue.with(Option::is_some)) class:flagged=flagged>
            <label for=id.clone()>{move || t().clients.field(name).unwrap_or_default()}</label>
            <input id=id.clone() name=name type=kind autocomplete="off" required=index == 0
                aria-invalid=sig(move || issue.with(Option::is_some).to_string())
                bind:value=fields.0[index]/>
            <small class="hint" hidden=sig(move || hint_text().is_none())>{hint_text}</small>
            <small class="error" data-field-error=name hidden=sig(move || issue.with(Option::is_none))>{issue}</small>
            <ul class="findings" aria-live="polite" data-findings=name hidden=sig(move || !flagged.get()) inner_html=found></ul>
        </div>
    }
}

/// Every field of a client, in groups, with the findings beside them.
#[component]
pub fn ClientDataFields(
    fields: ClientFields,
    issues: Issues,
    findings: RwSignal<Vec<ClientFinding>>,
) -> impl IntoView {
    GROUPS
        .iter()
        .map(|(legend, indices)| {
            let legend = *legend;
            let inputs = indices
                .iter()
                .map(|i| view! { <ClientInput index=*i fields=fields issues=issues findings=findings/> })
                .collect_view();
            view! {
                <fieldset class="group">
                    <legend>{move || legend(t().clients)}</legend>
                    {inputs}
                </fieldset>
            }
        })
        .collect_view()
}

/// A client's or a submission's data, read-only, with the findings beside
/// the fields.
pub fn data_html(data: &NewClient, findings: &[ClientFinding]) -> String {
    let c = t().clients;
    let values = values(data);
    let mut h = Html::new();
    for (i, name) in FIELDS.iter().enumerate() {
        let mut value = values[i].clone();
        if value.is_empty() {
            continue;
        }
        if DATES.contains(&i)
            && let Ok(d) = value.parse()
        {
            value = format::date(d);
        }
        h.open(
            "div",
            &[("class", Some("detail")), ("data-field", Some(name))],
        );
        h.el("dt", &[], c.field(name).unwrap_or_default());
        h.open("dd", &[]).text(&value);
        let list = findings_html(findings, name);
        if !list.is_empty() {
            h.open(
                "ul",
                &[("class", Some("findings")), ("data-findings", Some(name))],
            )
            .raw(&list)
            .close("ul");
        }
        h.close("dd").close("div");
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::clients::{EN, FINDINGS, RU};

    #[test]
    fn every_finding_code_and_field_has_a_text_in_both_languages() {
        for code in FINDINGS {
            assert!(RU.finding(code).is_some_and(|t| !t.is_empty()));
            assert!(EN.finding(code).is_some_and(|t| !t.is_empty()));
        }
        for name in FIELDS {
            assert!(RU.field(name).is_some() && EN.field(name).is_some());
        }
        let odd = ClientFinding {
            field: "snils".into(),
            code: "something_new".into(),
            message: "From the server.".into(),
        };
        assert_eq!(finding_text(&RU, &odd), "From the server.");
    }

    #[test]
    fn a_submission_field_names_its_control() {
        assert_eq!(field_control("data.snils"), Some("snils"));
        assert_eq!(field_control("full_name"), Some("full_name"));
        assert_eq!(field_control("token"), None);
    }
}
