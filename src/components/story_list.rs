//! A list of stories, linking to each.

use broadsheet_model::ArticleSummary;
use leptos::prelude::*;

use crate::components::article_view::TimeView;
use crate::components::blocks::Figure;
use crate::route::Route;

/// Stories newest first; the first one leads, with its image.
#[component]
pub fn StoryList(
    /// The stories.
    stories: Vec<ArticleSummary>,
    /// Whether to show each story's section label (not on a section's own page).
    #[prop(optional)]
    hide_section: bool,
    /// Whether the list is below the page's own lead (the home page's sections): then its first
    /// story's image loads as it nears the screen, and does not compete with the lead's.
    #[prop(optional)]
    below_the_lead: bool,
) -> impl IntoView {
    view! {
        <ol class="story-list">
            {stories.into_iter().enumerate().map(|(i, story)| {
                let lead = i == 0;
                let image = if lead { story.image.clone() } else { None };
                view! {
                    <li class="story-list__item" class:story-list__item--lead=lead>
                        {image.map(|image| view! { <Figure image class="story-list__image" eager=!below_the_lead/> })}
                        {(!hide_section).then(|| view! {
                            <span class="section-label">{story.section.name.clone()}</span>
                        })}
                        <h2 class="story-list__headline" dir="auto">
                            <a href=Route::article(story.slug.clone()).path()>{story.headline.clone()}</a>
                        </h2>
                        {story.standfirst.clone().map(|s| view! { <p class="story-list__standfirst" dir="auto">{s}</p> })}
                        <p class="story-list__meta"><TimeView label="article.published" at=story.published_at/></p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
