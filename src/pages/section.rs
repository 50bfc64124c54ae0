//! `/section/{slug}`: one section's stories, newest first.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{self, FetchError};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;
use crate::pages::not_found::NotFound;

/// A section front.
#[component]
pub fn SectionPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let stories = LocalResource::new(move || api::latest(Some(slug()), 20));
    view! {
        <Suspense fallback=|| view! { <ListSkeleton/> }>
            {move || Suspend::new(async move {
                match stories.await {
                    Ok(page) => {
                        let name = page.items.first().map(|s| s.section.name.clone()).unwrap_or_default();
                        head::set_page_meta(
                            &format!("The latest {name} stories from Broadsheet."),
                            &head::canonical(&format!("/section/{}", params.read_untracked().get("slug").unwrap_or_default())),
                        );
                        view! {
                            <Title text=name.clone()/>
                            <section class="front" aria-labelledby="front-heading">
                                <h1 id="front-heading" class="front__heading" tabindex="-1">{name}</h1>
                                <StoryList stories=page.items hide_section=true/>
                            </section>
                        }
                        .into_any()
                    }
                    Err(FetchError::NotFound) => view! { <NotFound heading="Section not found"/> }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel
                            error
                            heading="We could not load this section"
                            on_retry=Callback::new(move |()| stories.refetch())
                        />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
