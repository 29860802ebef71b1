//! Read-only blocks (lists of orders, an order's fields, its history,
//! responses and offers) written as HTML text and set with `inner_html`.
//!
//! Why not `view!`: every element of a typed view compiles to its own
//! build and rebuild code, and these blocks have many elements that only
//! ever show data. As text they cost next to nothing in the bundle (the
//! 350 KB budget), and a block is simply rewritten when its data or the
//! language changes. Every text and attribute value goes through
//! [`escape`], so data cannot inject markup. Buttons inside a block carry
//! `data-act` and `data-id`; one `on:click` on the block handles them all
//! ([`clicked`]). Links are plain `<a href>`: the router handles their
//! clicks like those of `<A>`.

use leptos::ev::MouseEvent;
use wasm_bindgen::JsCast;

/// Appends `text` with `& < > " '` escaped.
pub fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// An HTML text being written.
#[derive(Default)]
pub struct Html(String);

impl Html {
    pub fn new() -> Self {
        Html(String::with_capacity(512))
    }

    /// `<tag name="value" …>`; a `None` value leaves the attribute out,
    /// an empty one writes it bare (`disabled`).
    pub fn open(&mut self, tag: &str, attrs: &[(&str, Option<&str>)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            let Some(value) = value else { continue };
            self.0.push(' ');
            self.0.push_str(name);
            if !value.is_empty() {
                self.0.push_str("=\"");
                escape(&mut self.0, value);
                self.0.push('"');
            }
        }
        self.0.push('>');
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape(&mut self.0, text);
        self
    }

    /// `<tag …>text</tag>`.
    pub fn el(&mut self, tag: &str, attrs: &[(&str, Option<&str>)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// A class-only element: `<tag class="…">text</tag>`.
    pub fn span(&mut self, class: &str, text: &str) -> &mut Self {
        self.el("span", &[("class", Some(class))], text)
    }

    /// Markup another [`Html`] made (already escaped), as it is.
    pub fn raw(&mut self, html: &str) -> &mut Self {
        self.0.push_str(html);
        self
    }

    pub fn finish(self) -> String {
        self.0
    }
}

/// Writes `label: value` as a `dt`/`dd` pair (`data-field=<field>`), for
/// a `dl`.
pub fn detail(h: &mut Html, field: &str, label: &str, value: &str) {
    h.open(
        "div",
        &[("class", Some("detail")), ("data-field", Some(field))],
    );
    h.el("dt", &[], label).el("dd", &[], value);
    h.close("div");
}

/// Writes a status label: `name`, styled and marked by `code`
/// (`data-status=<code>`).
pub fn status_badge(h: &mut Html, code: &str, name: &str) {
    let class = format!("status-badge status-{code}");
    h.el(
        "span",
        &[("class", Some(&class)), ("data-status", Some(code))],
        name,
    );
}

/// Writes a button of a block (`data-act`, `data-id`; see [`clicked`]),
/// disabled while `busy`.
pub fn act_button(
    h: &mut Html,
    act: &str,
    id: &str,
    testid: &str,
    class: Option<&str>,
    busy: bool,
    label: &str,
) {
    h.el(
        "button",
        &[
            ("type", Some("button")),
            ("class", class),
            ("data-act", Some(act)),
            ("data-id", Some(id)),
            ("data-testid", Some(testid)),
            ("disabled", busy.then_some("")),
        ],
        label,
    );
}

/// The `data-act` and `data-id` of the button (or other element) clicked
/// inside a block, if it has them.
pub fn clicked(ev: &MouseEvent) -> Option<(String, String)> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let el = target.closest("[data-act]").ok()??;
    if el.has_attribute("disabled") {
        return None;
    }
    Some((el.get_attribute("data-act")?, el.get_attribute("data-id")?))
}
