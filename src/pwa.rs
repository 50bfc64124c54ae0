//! The installed app: the service worker's registration and updates, the "Install app" control
//! and the offline indicator. The worker itself is `postbuild/sw.js`.

use crate::i18n;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// What the frame shows about the installed app. Provided once by [`start`].
#[derive(Clone, Copy)]
pub struct Pwa {
    /// A new version is installed and waiting for the reader's "Reload".
    pub update_waiting: RwSignal<bool>,
    /// The reader said "Not now" to this update.
    pub update_declined: RwSignal<bool>,
    /// Whether the browser says it is online.
    pub online: RwSignal<bool>,
    /// The browser's deferred install prompt, while installing is on offer.
    pub install: RwSignal<Option<SendWrapper<web_sys::Event>>, LocalStorage>,
}

/// Where the reader's "Not now" to installing is remembered, as whole milliseconds since the
/// epoch. Whole: reading and writing an `f64` as text would bring the float formatting and
/// parsing code and tables into the wasm for this alone (19.6 KB brotli; docs/figures.md).
const INSTALL_DISMISSED_KEY: &str = "broadsheet:install-dismissed";
/// Where "the app is installed" is remembered.
const INSTALLED_KEY: &str = "broadsheet:installed";
/// How long a dismissed install offer stays away.
const INSTALL_QUIET_MS: u64 = 30 * 24 * 3600 * 1000;
/// How often a long-open app asks whether a new version was deployed.
const UPDATE_CHECK_MS: u32 = 30 * 60 * 1000;

thread_local! {
    /// Set when the reader accepted an update: the next change of controller reloads, once.
    static RELOAD_ON_CHANGE: Cell<bool> = const { Cell::new(false) };
    /// What the first controller was already told this page read.
    static HANDED_OVER: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// When the first worker takes over, requests already under way finish without it: the app
/// hands over what it read at once, and again after those requests have had time to end.
const HAND_OVER_AGAIN_MS: [u32; 2] = [2_000, crate::api::TIMEOUT_MS + 1_000];

fn install_offer_allowed() -> bool {
    let Some(storage) = crate::storage::local() else {
        return true;
    };
    if storage.get_item(INSTALLED_KEY).ok().flatten().is_some() {
        return false;
    }
    let standalone = window()
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let dismissed_at = storage
        .get_item(INSTALL_DISMISSED_KEY)
        .ok()
        .flatten()
        .and_then(|v| v.parse::<u64>().ok());
    !standalone && dismissed_at.is_none_or(|at| now_ms().saturating_sub(at) > INSTALL_QUIET_MS)
}

/// The time, in whole milliseconds since the epoch.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn forget_on_cleanup(handle: leptos::leptos_dom::helpers::WindowListenerHandle) {
    on_cleanup(move || handle.remove());
}

/// Provides [`Pwa`] and registers the service worker. Call once, in the app's root.
pub fn start() -> Pwa {
    let pwa = Pwa {
        update_waiting: RwSignal::new(false),
        update_declined: RwSignal::new(false),
        online: RwSignal::new(window().navigator().on_line()),
        install: RwSignal::new_local(None),
    };
    provide_context(pwa);

    forget_on_cleanup(window_event_listener(leptos::ev::online, move |_| {
        pwa.online.set(true)
    }));
    forget_on_cleanup(window_event_listener(leptos::ev::offline, move |_| {
        pwa.online.set(false)
    }));
    forget_on_cleanup(window_event_listener_untyped(
        "beforeinstallprompt",
        move |event| {
            // Keep the browser's own banner away: the masthead offers installing instead.
            event.prevent_default();
            if install_offer_allowed() {
                pwa.install.set(Some(SendWrapper::new(event)));
            }
        },
    ));
    forget_on_cleanup(window_event_listener_untyped("appinstalled", move |_| {
        if let Some(storage) = crate::storage::local() {
            let _ = storage.set_item(INSTALLED_KEY, "1");
        }
        pwa.install.set(None);
    }));

    if let Some(container) = container() {
        register(container, pwa);
    }
    pwa
}

/// The service worker container, where the browser has one (secure contexts only).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// What this page read from its own origin's API and images, for a worker that took control
/// after the page had loaded.
fn resources_read() -> js_sys::Array {
    let origin = window().location().origin().unwrap_or_default();
    let api_prefix = format!("{origin}/api/");
    let Some(performance) = window().performance() else {
        return js_sys::Array::new();
    };
    performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceEntry>().ok())
        .map(|entry| entry.name())
        .filter(|url| {
            let api_read = url.starts_with(&api_prefix)
                && !url.ends_with("/views")
                && !url.ends_with("/report");
            api_read || url.starts_with(&format!("{origin}/media/"))
        })
        // What came with the page stands for requests it never made.
        .chain(
            crate::page_data::embedded::api_urls()
                .into_iter()
                .map(|url| {
                    if url.starts_with('/') {
                        format!("{origin}{url}")
                    } else {
                        url
                    }
                }),
        )
        .map(JsValue::from)
        .collect()
}

/// Hands the new controller what this page read and has not handed over yet.
fn hand_over_resources_read(container: &ServiceWorkerContainer) {
    let Some(controller) = container.controller() else {
        return;
    };
    let urls: js_sys::Array = resources_read()
        .iter()
        .filter(|url| {
            let url = url.as_string().unwrap_or_default();
            HANDED_OVER.with_borrow_mut(|sent| sent.insert(url))
        })
        .collect();
    if urls.length() == 0 {
        return;
    }
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"remember".into());
    let _ = js_sys::Reflect::set(&message, &"urls".into(), &urls);
    let _ = controller.post_message(&message);
}

fn register(container: ServiceWorkerContainer, pwa: Pwa) {
    let first_control = container.controller().is_none();
    let watched = container.clone();
    let on_controller_change = Closure::<dyn FnMut()>::new(move || {
        if RELOAD_ON_CHANGE.replace(false) {
            let _ = window().location().reload();
        } else if first_control {
            hand_over_resources_read(&watched);
            for delay in HAND_OVER_AGAIN_MS {
                let watched = watched.clone();
                gloo_timers::callback::Timeout::new(delay, move || {
                    hand_over_resources_read(&watched)
                })
                .forget();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_controller_change.into_js_value().unchecked_ref()));

    leptos::task::spawn_local(async move {
        // Without a worker the site works; only offline reading and installing are lost.
        let registration = match JsFuture::from(container.register("/sw.js")).await {
            Ok(r) => match r.dyn_into::<ServiceWorkerRegistration>() {
                Ok(r) => r,
                Err(other) => {
                    leptos::logging::warn!("no service worker registration: {other:?}");
                    return;
                }
            },
            Err(e) => {
                leptos::logging::warn!("the service worker was not registered: {e:?}");
                return;
            }
        };
        watch_updates(&container, &registration, pwa);
        let again = registration;
        gloo_timers::callback::Interval::new(UPDATE_CHECK_MS, move || {
            if let Ok(promise) = again.update() {
                // Offline, the check fails; the next one will do.
                leptos::task::spawn_local(async move {
                    let _ = JsFuture::from(promise).await;
                });
            }
        })
        .forget();
    });
}

/// Shows the update prompt whenever a new worker is installed while an older one controls the
/// page (on the very first install there is nothing to update).
fn watch_updates(
    container: &ServiceWorkerContainer,
    registration: &ServiceWorkerRegistration,
    pwa: Pwa,
) {
    let controlled = {
        let container = container.clone();
        move || container.controller().is_some()
    };
    if registration.waiting().is_some() && controlled() {
        pwa.update_waiting.set(true);
    }
    let watched = registration.clone();
    let on_update_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else {
            return;
        };
        let worker = installing.clone();
        let controlled = controlled.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if worker.state() == ServiceWorkerState::Installed && controlled() {
                pwa.update_declined.set(false);
                pwa.update_waiting.set(true);
            }
        });
        installing.set_onstatechange(Some(on_state.into_js_value().unchecked_ref()));
    });
    registration.set_onupdatefound(Some(on_update_found.into_js_value().unchecked_ref()));
}

/// Activates the waiting version; the page reloads once when it takes over. Drafts live in
/// local storage as they are typed, so the reload loses nothing.
fn accept_update() {
    let Some(container) = container() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Some(waiting) = registration
            .dyn_into::<ServiceWorkerRegistration>()
            .ok()
            .and_then(|r| r.waiting())
        else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"activate-update".into());
        RELOAD_ON_CHANGE.set(true);
        if waiting.post_message(&message).is_err() {
            RELOAD_ON_CHANGE.set(false);
        }
    });
}

/// "New version available — Reload", while a new version waits and the reader has not said
/// "Not now".
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let Some(pwa) = use_context::<Pwa>() else {
        return ().into_any();
    };
    let shown = move || pwa.update_waiting.get() && !pwa.update_declined.get();
    // The live region stays in the page; the prompt appears inside it, so it is announced.
    view! {
        <div class="update-prompt-region" role="status">
            <Show when=shown>
                <section class="update-prompt" aria-label=i18n::t("pwa.update_region")>
                    <p class="update-prompt__text">{i18n::t("pwa.update_available")}</p>
                    <button type="button" class="button" on:click=move |_| accept_update()>
                        {i18n::t("pwa.update_reload")}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        on:click=move |_| pwa.update_declined.set(true)
                    >
                        {i18n::t("pwa.update_later")}
                    </button>
                </section>
            </Show>
        </div>
    }
    .into_any()
}

/// "Install app", while the browser offers installing and the reader has not turned it down
/// lately.
#[component]
pub fn InstallButton() -> impl IntoView {
    let Some(pwa) = use_context::<Pwa>() else {
        return ().into_any();
    };
    let install = move |_| {
        let Some(event) = pwa.install.get_untracked() else {
            return;
        };
        pwa.install.set(None);
        leptos::task::spawn_local(async move {
            let prompt = js_sys::Reflect::get(&event, &"prompt".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(prompt) = prompt {
                let _ = prompt.call0(&event);
            }
            let choice = js_sys::Reflect::get(&event, &"userChoice".into())
                .ok()
                .and_then(|c| c.dyn_into::<js_sys::Promise>().ok());
            let outcome = match choice {
                Some(choice) => JsFuture::from(choice)
                    .await
                    .ok()
                    .and_then(|c| js_sys::Reflect::get(&c, &"outcome".into()).ok())
                    .and_then(|o| o.as_string()),
                None => None,
            };
            if outcome.as_deref() != Some("accepted")
                && let Some(storage) = crate::storage::local()
            {
                let _ = storage.set_item(INSTALL_DISMISSED_KEY, &now_ms().to_string());
            }
        });
    };
    view! {
        <Show when=move || pwa.install.with(Option::is_some)>
            <button type="button" class="masthead__install" on:click=install>
                {i18n::t("pwa.install")}
            </button>
        </Show>
    }
    .into_any()
}

/// A quiet note in the masthead while the browser is offline.
#[component]
pub fn OfflineIndicator() -> impl IntoView {
    let Some(pwa) = use_context::<Pwa>() else {
        return ().into_any();
    };
    view! {
        <p class="masthead__offline" role="status">
            {move || (!pwa.online.get()).then(|| i18n::t("pwa.offline"))}
        </p>
    }
    .into_any()
}
