//! The frame around every page: skip links, masthead with section navigation, footer.

use crate::i18n;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::components::display_settings::DisplaySettings;
use crate::route::Route;
use crate::{page_data, pwa, typing};

/// The id of the `<main>` element the skip link jumps to.
pub const MAIN_ID: &str = "main-content";

/// The footer's id: a server's page paints once it has arrived this far ([`crate::render::paint_whole`]).
pub const FOOTER_ID: &str = "site-footer";

/// Moves focus to the main content, as {i18n::t("nav.skip_to_content")} promises. The router would
/// treat the fragment link as navigation, so the link does this itself.
fn focus_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id(MAIN_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
        main.scroll_into_view();
    }
}

/// The first stops for a keyboard: to the main page, and straight to the main content.
/// Hidden until focused.
#[component]
pub fn SkipLinks() -> impl IntoView {
    view! {
        <nav class="skip-links" aria-label=i18n::t("nav.skip_links")>
            <a class="skip-link" href="/">{i18n::t("nav.skip_to_home")}</a>
            <a class="skip-link" href=format!("#{MAIN_ID}") on:click=focus_main>
                {i18n::t("nav.skip_to_content")}
            </a>
        </nav>
    }
}

/// The masthead: the site's name, linking home, and the sections.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let sections = LocalResource::new(page_data::sections);
    let navigate = use_navigate();
    // The app opens the results itself, as a link would; the form's own GET is for the page
    // before (and without) the app.
    let on_search = Callback::new(move |query: String| {
        navigate(&Route::search(query, None).path(), Default::default());
    });
    view! {
        <Masthead
            on_search
            home=view! { <A href=Route::Home.path() exact=true>{i18n::t("nav.home")}</A> }.into_any()
            sections=view! {
                <Transition>
                    {move || Suspend::new(async move {
                        // Without sections the masthead still works; the home link stays.
                        sections.await.unwrap_or_default().into_iter().map(|s| view! {
                            <li><A href=Route::section(s.slug).path()>{s.name}</A></li>
                        }).collect_view()
                    })}
                </Transition>
            }
            .into_any()
            saved=view! { <A href=Route::Saved.path()>{i18n::t("nav.saved")}</A> }.into_any()
        />
    }
}

/// The masthead's markup, for the app (router links) and for the first screen the server renders
/// (plain links, on pages where none of them is the current one).
#[component]
pub fn Masthead(
    /// The link home.
    home: AnyView,
    /// The sections' `<li>` items.
    sections: AnyView,
    /// The link to the saved articles.
    saved: AnyView,
    /// Opens a search's results (the app); without it the form asks the server.
    #[prop(optional)]
    on_search: Option<Callback<String>>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    // A search typed into the server's page before the app took it over stays in the field.
    Effect::new(move |_| {
        if let Some(field) = input.get() {
            typing::carry_over(&field);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        if let (Some(on_search), Some(input)) = (on_search, input.get()) {
            ev.prevent_default();
            on_search.run(input.value());
        }
    };
    view! {
        <header class="masthead">
            <div class="masthead__inner">
                <a class="masthead__name" href="/">{i18n::t("site.name")}</a>
                <nav class="masthead__nav" aria-label=i18n::t("nav.sections")>
                    <ul>
                        <li>{home}</li>
                        {sections}
                    </ul>
                </nav>
                <form class="masthead__search" role="search" action="/search" method="get" on:submit=submit>
                    <label class="visually-hidden" for="masthead-search">{i18n::t("search.label")}</label>
                    <input
                        id="masthead-search"
                        class="masthead__search-input"
                        type="search"
                        name="q"
                        maxlength="200"
                        autocomplete="off"
                        placeholder=i18n::t("search.placeholder")
                        node_ref=input
                    />
                    <button class="masthead__search-button" type="submit">{i18n::t("search.submit")}</button>
                </form>
                <div class="masthead__app">
                    <span class="masthead__saved">{saved}</span>
                    <DisplaySettings/>
                    <pwa::OfflineIndicator/>
                    <pwa::InstallButton/>
                </div>
            </div>
        </header>
    }
}

/// The footer, ending with the way back to the main page.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer id=FOOTER_ID class="site-footer">
            <p class="site-footer__name">{i18n::t("site.name")}</p>
            <p>{i18n::t("site.tagline")}</p>
            <a class="site-footer__back" href="/">{i18n::t("nav.back_to_home")}</a>
        </footer>
    }
}
