//! `/tag/{tag}` and `/author/{slug}`: a tag's or an author's stories, newest first, a page at a
//! time. The pages go on by `?cursor=` links (not "Load more"), so paging is the same before
//! the app takes over, after, and without it: every page of the list has an address.

use crate::i18n;
use broadsheet_model::Listing;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::api::FetchError;
use crate::components::error_panel::ErrorPanel;
use crate::components::later::Later;
use crate::components::modules::{self, Sidebar};
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;
use crate::page_data;
use crate::pages::not_found::NotFound;
use crate::route::{Route, not_found_title};
use crate::routing::PageReady;

/// Stories per page (also the first screen the server renders).
pub const PAGE: u32 = 12;

/// A tag's or an author's page (`route` is [`Route::Tag`] or [`Route::Author`]).
#[component]
pub fn ListingPage(
    /// The page's route.
    route: Route,
) -> impl IntoView {
    // The query read by the browser's own `URLSearchParams`: the router's query map would
    // bring its parser into the wasm.
    let location = use_location();
    let cursor = Memo::new(move |_| {
        web_sys::UrlSearchParams::new_with_str(&location.search.get())
            .ok()
            .and_then(|q| q.get("cursor"))
            .filter(|c| !c.is_empty())
    });
    let page = {
        let route = route.clone();
        LocalResource::new(move || page_data::listing(&route, cursor.get(), PAGE))
    };
    view! {
        <Suspense fallback=|| view! { <ListSkeleton/> }>
            {move || {
                let route = route.clone();
                Suspend::new(async move {
                match page.await {
                    Ok(listing) => {
                        head::show(&route, Some(&listing.name));
                        let title = route.title(Some(&listing.name));
                        view! {
                            <Title text=title.clone()/>
                            <ListingLayout
                                route
                                listing
                                cursor=cursor.get_untracked()
                                aside=view! { <Later now=modules::needed_at_once()><Sidebar article=None/></Later> }.into_any()
                            />
                            <PageReady title/>
                        }
                        .into_any()
                    }
                    Err(FetchError::NotFound) => view! { <NotFound heading=not_found_title(&route)/> }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel
                            error
                            whole_page=true
                            heading="listing.error_heading"
                            on_retry=Callback::new(move |()| page.refetch())
                        />
                    }
                    .into_any(),
                }
            })}}
        </Suspense>
    }
}

/// A tag's or an author's page: the title, one page of stories, the links to the next page
/// and back to the newest, and the modules beside them. The server renders the first screen
/// with it too.
#[component]
pub fn ListingLayout(
    /// [`Route::Tag`] or [`Route::Author`].
    route: Route,
    /// The page of stories.
    listing: Listing,
    /// Where this page starts (`None`: the newest).
    cursor: Option<String>,
    /// The modules.
    aside: AnyView,
) -> impl IntoView {
    let title = route.title(Some(&listing.name));
    // An author's page is titled by the name alone: content, not a message.
    let content = matches!(route, Route::Author { .. }).then_some("");
    let path = route.path();
    // A cursor is digits, a dot and digits (`store::Cursor`): safe in a query as it is.
    let older = listing
        .next_cursor
        .map(|next| format!("{path}?cursor={next}"));
    let newest = cursor.is_some().then(|| path.clone());
    let pager = (older.is_some() || newest.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label=i18n::t("listing.pager")>
                {newest.map(|href| view! { <a class="pager__link" href=href>{i18n::t("listing.newest")}</a> })}
                {older.map(|href| view! { <a class="pager__link pager__link--older" href=href rel="next">{i18n::t("listing.older")}</a> })}
            </nav>
        }
    });
    view! {
        <div class="front-layout">
            <section class="front" aria-labelledby="front-heading">
                <h1 id="front-heading" class="front__heading" tabindex="-1" data-content=content>{title}</h1>
                <StoryList stories=listing.items/>
                {pager}
            </section>
            {aside}
        </div>
    }
}
