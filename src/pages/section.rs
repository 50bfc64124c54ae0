//! `/section/{slug}`: one section's stories, newest first, with "Load more".

use crate::i18n;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::FetchError;
use crate::components::error_panel::ErrorPanel;
use crate::components::later::Later;
use crate::components::modules::{self, Sidebar};
use crate::components::paged::{Loading, Paged};
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;
use crate::page_data;
use crate::pages::not_found::NotFound;
use crate::route::{Route, not_found_title};
use crate::routing::PageReady;

/// Stories per page of a section front (also the first screen the server renders).
pub const PAGE: u32 = 12;

/// A section front.
#[component]
pub fn SectionPage(
    /// The section's slug.
    slug: String,
) -> impl IntoView {
    let route = Route::section(slug.clone());
    let first = {
        let slug = slug.clone();
        LocalResource::new(move || page_data::section_page(slug.clone(), None, PAGE))
    };
    view! {
        <Suspense fallback=|| view! { <ListSkeleton/> }>
            {move || {
                let (slug, route) = (slug.clone(), route.clone());
                Suspend::new(async move {
                match first.await {
                    Ok(page) => {
                        let name = page.items.first().map(|s| s.section.name.clone()).unwrap_or_default();
                        head::show(&route, Some(&name));
                        let title = route.title(Some(&name));
                        // The pages loaded so far, and where the next one starts.
                        let stories = Paged::new((page.items, page.next_cursor), Loading::Done, move |cursor| {
                            let more = page_data::section_page(slug.clone(), cursor, PAGE);
                            async move { more.await.map(|page| (page.items, page.next_cursor)) }
                        });
                        let items = stories.items;
                        let list = move || view! { <StoryList stories=items.get() hide_section=true/> };
                        let after_list = stories.after_list("section.loading_more", "front__loading", |load_more| {
                            view! { <LoadMore on_click=load_more/> }.into_any()
                        });
                        view! {
                            <Title text=title.clone()/>
                            <SectionLayout
                                name=name
                                stories=list.into_any()
                                more=after_list.into_any()
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
                            heading="section.error_heading"
                            on_retry=Callback::new(move |()| first.refetch())
                        />
                    }
                    .into_any(),
                }
            })}}
        </Suspense>
    }
}

/// A section front's columns: the section's stories under its name, "Load more", the modules
/// beside them. The server renders the first screen in the same frame.
#[component]
pub fn SectionLayout(
    name: String,
    stories: AnyView,
    more: AnyView,
    aside: AnyView,
) -> impl IntoView {
    view! {
        <div class="front-layout">
            <section class="front" aria-labelledby="front-heading">
                <h1 id="front-heading" class="front__heading" tabindex="-1" data-content="">{name}</h1>
                {stories}
                {more}
            </section>
            {aside}
        </div>
    }
}

/// {i18n::t("section.load_more")}.
#[component]
pub fn LoadMore(on_click: Callback<()>) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary front__more" on:click=move |_| on_click.run(())>
            {i18n::t("section.load_more")}
        </button>
    }
}
