//! One story in a module.

use broadsheet_model::ModuleItem;
use leptos::prelude::*;

use super::rank::Rank;
use crate::route::Route;

/// Rank (when the module is numbered), headline and section label.
#[component]
pub fn Item(
    /// The story.
    item: ModuleItem,
    /// Whether to show its rank.
    numbered: bool,
) -> impl IntoView {
    view! {
        <li class="module-item">
            {numbered.then(|| view! { <Rank rank=item.rank/> })}
            <span class="module-item__text">
                <a class="module-item__link" dir="auto" href=Route::article(item.slug.clone()).path()>{item.headline}</a>
                <span class="visually-hidden">{crate::i18n::t("list.separator")}</span>
                <span class="section-label module-item__section">{item.section.name}</span>
            </span>
        </li>
    }
}
