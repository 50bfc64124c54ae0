//! {i18n::t("share.label")}: the browser's own share sheet where there is one, links to the networks, and
//! Copy link. No third-party script, pixel or font: every control is a plain link or button.

use crate::i18n;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::share::Network;
use crate::tasks::Tasks;

#[cfg(not(target_arch = "wasm32"))]
fn has_native_share() -> bool {
    // Rendered by the server: the app adds the button where the browser has a share sheet.
    false
}

#[cfg(target_arch = "wasm32")]
fn has_native_share() -> bool {
    js_sys::Reflect::has(&window().navigator(), &JsValue::from_str("share")).unwrap_or(false)
}

/// Copies `text` with the Clipboard API, or, where that is missing or refused, by selecting it
/// in a hidden text area and asking the browser to copy.
async fn copy_text(text: &str) -> bool {
    let clipboard = js_sys::Reflect::get(&window().navigator(), &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined())
        .map(|_| window().navigator().clipboard());
    if let Some(clipboard) = clipboard
        && wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
            .await
            .is_ok()
    {
        return true;
    }
    fallback_copy(text)
}

fn fallback_copy(text: &str) -> bool {
    let doc = document();
    let Some(area) = doc
        .create_element("textarea")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("class", "visually-hidden");
    let Some(body) = doc.body() else { return false };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let copied = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    copied
}

/// The share controls for one article. A page may show several bars; `id` keeps their ids apart.
#[component]
pub fn ShareBar(
    /// Tells this bar from others on the page ("top", "end").
    id: &'static str,
    /// The article's canonical URL.
    url: String,
    /// The article's headline.
    title: String,
    /// A line about the article (its standfirst), for the native share sheet.
    text: Option<String>,
) -> impl IntoView {
    let tasks = Tasks::here();
    let status = RwSignal::new(String::new());
    let label_id = format!("share-{id}-label");
    let new_tab_id = format!("share-{id}-new-tab");

    let native = has_native_share().then(|| {
        let tasks = tasks.clone();
        let (url, title, text) = (url.clone(), title.clone(), text.clone().unwrap_or_default());
        let share = move |_| {
            let data = web_sys::ShareData::new();
            data.set_title(&title);
            data.set_text(&text);
            data.set_url(&url);
            let promise = window().navigator().share_with_data(&data);
            tasks.spawn(async move {
                if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
                    // The reader closing the sheet is not a failure.
                    let cancelled = js_sys::Reflect::get(&e, &"name".into())
                        .ok()
                        .and_then(|n| n.as_string())
                        .is_some_and(|n| n == "AbortError");
                    if !cancelled {
                        status.set(i18n::t("share.native_failed"));
                    }
                }
            });
        };
        view! {
            <button type="button" class="share__button share__button--native" on:click=share>
                {i18n::t("share.native")}
            </button>
        }
    });

    let links = Network::ALL
        .into_iter()
        .map(|network| {
            let href = network.link(&url, &title);
            let tab = network.opens_tab();
            view! {
                <a
                    class=format!("share__button share__button--{}", network.key())
                    href=href
                    target=tab.then_some("_blank")
                    rel=tab.then_some("noopener noreferrer")
                    aria-label=network.label()
                    aria-describedby=tab.then(|| new_tab_id.clone())
                >
                    {network.name()}
                </a>
            }
        })
        .collect_view();

    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            tasks.spawn(async move {
                // Clear first, so the same message is announced again on a second copy.
                status.set(String::new());
                let message = if copy_text(&url).await {
                    i18n::t("share.copied")
                } else {
                    i18n::fill("share.copy_failed", &[("url", &url)])
                };
                status.set(message);
            });
        }
    };

    let labelled_by = label_id.clone();
    view! {
        <div class="share" role="group" aria-labelledby=labelled_by>
            <p id=label_id class="share__label">{i18n::t("share.label")}</p>
            <div class="share__buttons">
                {native}
                {links}
                <button type="button" class="share__button share__button--copy" on:click=copy>
                    {i18n::t("share.copy_link")}
                </button>
            </div>
            <p id=new_tab_id class="visually-hidden">{i18n::t("share.new_tab")}</p>
            <p class="share__status" role="status">{move || status.get()}</p>
        </div>
    }
}
