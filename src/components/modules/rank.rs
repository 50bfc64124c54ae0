//! The rank of a story in a numbered module.

use leptos::prelude::*;

/// "1" (in the locale's digits), read out as "1," so the headline that follows is heard as a new phrase.
#[component]
pub fn Rank(
    /// 1 for the first story.
    rank: u32,
) -> impl IntoView {
    view! {
        <span class="module-rank">{crate::i18n::number(u64::from(rank))}<span class="visually-hidden">{crate::i18n::t("list.separator")}</span></span>
    }
}
