//! `/`: the home page — a lead story, the latest stories of each section, and the modules.

use crate::i18n;
use broadsheet_model::{ArticleSummary, Front};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::article_view::TimeView;
use crate::components::blocks::Figure;
use crate::components::error_panel::ErrorPanel;
use crate::components::later::Later;
use crate::components::modules::{self, Sidebar};
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;
use crate::page_data;
use crate::route::Route;
use crate::routing::PageReady;

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let front = LocalResource::new(page_data::front);
    head::show(&Route::Home, None);
    let stories = view! {
        <Suspense fallback=|| view! { <ListSkeleton/> }>
            {move || Suspend::new(async move {
                match front.await {
                    Ok(front) => view! {
                        <FrontStories front/>
                        <PageReady title=Route::Home.title(None)/>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <ErrorPanel error whole_page=true on_retry=Callback::new(move |()| front.refetch())/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    };
    let aside = view! {
        <Suspense>
            {move || Suspend::new(async move {
                // The modules wait for the stories, so they never hold the page up.
                front.await.ok().map(|_| view! { <Later now=modules::needed_at_once()><Sidebar article=None/></Later> })
            })}
        </Suspense>
    };
    view! {
        <Title text=Route::Home.title(None)/>
        <HomeLayout stories=stories.into_any() aside=aside.into_any()/>
    }
}

/// The home page's columns: the stories under their heading, the modules beside them. The server
/// renders the first screen in the same frame.
#[component]
pub fn HomeLayout(stories: AnyView, aside: AnyView) -> impl IntoView {
    view! {
        <div class="front-layout">
            <section class="front" aria-labelledby="front-heading">
                <h1 id="front-heading" class="front__heading" tabindex="-1">{i18n::t("home.heading")}</h1>
                {stories}
            </section>
            {aside}
        </div>
    }
}

/// The lead story and the newest stories of each section.
#[component]
pub fn FrontStories(front: Front) -> impl IntoView {
    view! {
        {front.lead.map(|lead| view! { <Lead story=lead/> })}
        {front.sections.into_iter().map(|s| {
            let heading_id = format!("front-{}", s.section.slug);
            let labelled_by = heading_id.clone();
            view! {
                <section class="front__section" aria-labelledby=labelled_by>
                    <h2 id=heading_id class="front__section-heading">
                        <a href=Route::section(s.section.slug.clone()).path()>{s.section.name}</a>
                    </h2>
                    <StoryList stories=s.items hide_section=true below_the_lead=true/>
                </section>
            }
        }).collect_view()}
    }
}

/// The lead story: big headline, image, standfirst.
#[component]
fn Lead(
    /// The story.
    story: ArticleSummary,
) -> impl IntoView {
    let href = Route::article(story.slug.clone()).path();
    view! {
        <article class="lead" aria-labelledby="lead-headline">
            {story.image.map(|image| view! { <Figure image class="lead__image" eager=true/> })}
            <span class="section-label">{story.section.name}</span>
            <h2 id="lead-headline" class="lead__headline" dir="auto"><a href=href>{story.headline}</a></h2>
            {story.standfirst.map(|s| view! { <p class="lead__standfirst" dir="auto">{s}</p> })}
            <p class="story-list__meta"><TimeView label="article.published" at=story.published_at/></p>
        </article>
    }
}
