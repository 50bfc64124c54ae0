//! The reader's display settings, in the masthead: theme (system, light, dark) and text size.
//!
//! Only the markup is the app's. The inline script at the top of `index.html` applies a stored
//! choice to `<html>` (`data-theme`, `data-text-size`) before the first paint, and stores and
//! applies each change (one `change` listener on the document), so the controls work on the
//! server's first screen before the app has arrived, and the app carries no code for them.
//! Without scripts the controls are hidden (`style/layout.css`) and the system's theme applies.

use leptos::prelude::*;

/// The themes a reader can choose: `(value, label)`; the first is the default.
const THEMES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

/// The text sizes, in per cent of the browser's own; the first is the default.
const TEXT_SIZES: [(&str, &str); 4] = [
    ("100", "100%"),
    ("112", "112%"),
    ("125", "125%"),
    ("150", "150%"),
];

/// The choice in force, as the inline script set it on `<html>` (`data-theme`…).
#[cfg(target_arch = "wasm32")]
fn chosen(name: &str) -> Option<String> {
    document()
        .document_element()?
        .get_attribute(&format!("data-{name}"))
}

/// The server cannot know the reader's choice: its first screen checks the defaults, and the
/// inline script checks the reader's own once the page has loaded.
#[cfg(not(target_arch = "wasm32"))]
fn chosen(_name: &str) -> Option<String> {
    None
}

/// The "Display" disclosure with its two radio groups. (Type-erased: inside the masthead its
/// full type is too deep for the compiler.)
#[component]
pub fn DisplaySettings() -> impl IntoView {
    view! {
        <details class="prefs">
            <summary class="prefs__toggle">"Display"</summary>
            <div class="prefs__panel">
                <Choice legend="Theme" name="theme" options=&THEMES/>
                <Choice legend="Text size" name="text-size" options=&TEXT_SIZES/>
            </div>
        </details>
    }
    .into_any()
}

/// One setting: a labelled group of radio buttons.
#[component]
fn Choice(
    /// The group's label.
    legend: &'static str,
    /// The radios' name, which the inline script listens for.
    name: &'static str,
    /// `(value, label)` of each option, the default first.
    options: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    let default = options.first().map(|o| o.0).unwrap_or_default();
    let current = chosen(name).unwrap_or_else(|| default.to_owned());
    view! {
        <fieldset class="prefs__group">
            <legend>{legend}</legend>
            <div class="prefs__options">
            {options
                .iter()
                .map(|&(value, label)| {
                    view! {
                        <label class="prefs__option">
                            <input type="radio" name=name value=value checked=current == value/>
                            {label}
                        </label>
                    }
                })
                .collect_view()}
            </div>
        </fieldset>
    }
}
