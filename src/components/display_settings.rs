//! The reader's display settings, in the masthead: theme (system, light, dark) and text size.
//!
//! Only the markup is the app's, and it is static (one template, a few hundred bytes of wasm).
//! The inline script at the top of `index.html` does the rest: it applies a stored choice to
//! `<html>` (`data-theme`, `data-text-size`) before the first paint, stores and applies each
//! change (one `change` listener on the document), and checks the reader's own choice in these
//! controls once the server's page has loaded and again once the app has rendered them. So the
//! controls work on the server's first screen before the app has arrived. Without scripts they
//! are hidden (`style/layout.css`) and the system's theme applies.

use leptos::prelude::*;

/// The "Display" disclosure with its two radio groups; the defaults (System, 100%) checked.
#[component]
pub fn DisplaySettings() -> impl IntoView {
    view! {
        <details class="prefs">
            <summary class="prefs__toggle">"Display"</summary>
            <div class="prefs__panel">
                <fieldset class="prefs__group">
                    <legend>"Theme"</legend>
                    <div class="prefs__options">
                        <label class="prefs__option"><input type="radio" name="theme" value="system" checked/>"System"</label>
                        <label class="prefs__option"><input type="radio" name="theme" value="light"/>"Light"</label>
                        <label class="prefs__option"><input type="radio" name="theme" value="dark"/>"Dark"</label>
                    </div>
                </fieldset>
                <fieldset class="prefs__group">
                    <legend>"Text size"</legend>
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
