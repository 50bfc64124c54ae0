//! The reader's display settings, in the masthead: theme (system, light, dark) and text size.
//!
//! Only the markup is the app's, and it is static (one template, a few hundred bytes of wasm).
//! The inline script at the top of `index.html` does the rest: it applies a stored choice to
//! `<html>` (`data-theme`, `data-text-size`) before the first paint, stores and applies each
//! change (one `change` listener on the document), and checks the reader's own choice in these
//! controls once the server's page has loaded and again once the app has rendered them. So the
//! controls work on the server's first screen before the app has arrived. Without scripts they
//! are hidden (`style/layout.css`) and the system's theme applies.

use crate::i18n;
use leptos::prelude::*;

/// The {i18n::t("display.toggle")} disclosure with its two radio groups; the defaults (System, 100%) checked.
#[component]
pub fn DisplaySettings() -> impl IntoView {
    view! {
        <details class="prefs">
            <summary class="prefs__toggle">{i18n::t("display.toggle")}</summary>
            <div class="prefs__panel">
                <fieldset class="prefs__group">
                    <legend>{i18n::t("display.theme")}</legend>
                    <div class="prefs__options">
                        <label class="prefs__option"><input type="radio" name="theme" value="system" checked/>{i18n::t("display.theme_system")}</label>
                        <label class="prefs__option"><input type="radio" name="theme" value="light"/>{i18n::t("display.theme_light")}</label>
                        <label class="prefs__option"><input type="radio" name="theme" value="dark"/>{i18n::t("display.theme_dark")}</label>
                    </div>
                </fieldset>
                <fieldset class="prefs__group">
                    <legend>{i18n::t("display.text_size")}</legend>
                    <div class="prefs__options">
                        <label class="prefs__option"><input type="radio" name="text-size" value="100" checked/>"100%"</label>
                        <label class="prefs__option"><input type="radio" name="text-size" value="112"/>"112%"</label>
                        <label class="prefs__option"><input type="radio" name="text-size" value="125"/>"125%"</label>
                        <label class="prefs__option"><input type="radio" name="text-size" value="150"/>"150%"</label>
                    </div>
                </fieldset>
            </div>
        </details>
    }
}
