//! Placeholders the size of what is loading, so nothing jumps when it arrives.

use crate::i18n;
use leptos::prelude::*;

/// The shape of an article while it loads.
#[component]
pub fn ArticleSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <p class="visually-hidden" role="status">{i18n::t("article.loading")}</p>
            <div class="skeleton__line skeleton__line--label"></div>
            <div class="skeleton__line skeleton__line--headline"></div>
            <div class="skeleton__line skeleton__line--headline skeleton__line--short"></div>
            <div class="skeleton__line"></div>
            <div class="skeleton__line skeleton__line--meta"></div>
            <div class="skeleton__image"></div>
            <div class="skeleton__line"></div>
            <div class="skeleton__line"></div>
            <div class="skeleton__line skeleton__line--short"></div>
        </div>
    }
}

/// The shape of a list of stories while it loads.
#[component]
pub fn ListSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <p class="visually-hidden" role="status">{i18n::t("home.loading")}</p>
            {(0..6).map(|_| view! {
                <div class="skeleton__item">
                    <div class="skeleton__line skeleton__line--label"></div>
                    <div class="skeleton__line skeleton__line--headline"></div>
                    <div class="skeleton__line skeleton__line--short"></div>
                </div>
            }).collect_view()}
        </div>
    }
}
