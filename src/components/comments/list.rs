//! The comments themselves.

use crate::i18n;
use broadsheet_model::Comment;
use leptos::prelude::*;

use crate::api::{self, FetchError};
use crate::format;
use crate::tasks::Tasks;

/// Where reporting a comment stands.
#[derive(Clone, Debug, PartialEq)]
enum Report {
    Idle,
    Confirming,
    Sending,
    Done,
    Failed(FetchError),
}

/// One comment: who, when, what, and a way to report it.
#[component]
pub fn CommentItem(
    /// The article's slug.
    slug: String,
    /// The comment.
    comment: Comment,
) -> impl IntoView {
    let Comment {
        id,
        nickname,
        body,
        created_at,
    } = comment;
    let absolute = format::datetime(created_at);
    let relative = format::ago(js_sys::Date::now(), created_at.unix_millis())
        .unwrap_or_else(|| absolute.clone());
    let report = RwSignal::new(Report::Idle);
    // The report runs under the comment's owner: the button that starts it is re-rendered away.
    let tasks = Tasks::here();
    let send_report = move |_| {
        if report.get_untracked() == Report::Sending {
            return;
        }
        report.set(Report::Sending);
        let slug = slug.clone();
        tasks.spawn(async move {
            report.set(match api::report_comment(slug, id).await {
                Ok(()) | Err(FetchError::NotFound) => Report::Done,
                Err(e) => Report::Failed(e),
            });
        });
    };
    view! {
        <li class="comment" id=format!("comment-{id}")>
            <p class="comment__meta">
                <bdi class="comment__nickname">{nickname}</bdi>
                " · "
                <time datetime=created_at.to_rfc3339() title=absolute>{relative}</time>
            </p>
            <p class="comment__body" dir="auto">{body}</p>
            <div class="comment__report">
                {move || match report.get() {
                    Report::Idle => view! {
                        <button type="button" class="link-button" on:click=move |_| report.set(Report::Confirming)>
                            {i18n::t("comments.report")}
                        </button>
                    }
                    .into_any(),
                    Report::Confirming | Report::Sending => {
                        let sending = report.get() == Report::Sending;
                        view! {
                            <span class="comment__confirm" role="group" aria-label=i18n::t("comments.report_group")>
                                {i18n::t("comments.report_confirm")} " "
                                <button type="button" class="link-button" aria-disabled=sending.to_string()
                                    on:click=send_report.clone()>
                                    {if sending { i18n::t("comments.reporting") } else { i18n::t("comments.report_yes") }}
                                </button>
                                " "
                                <button type="button" class="link-button" on:click=move |_| report.set(Report::Idle)>
                                    {i18n::t("comments.report_cancel")}
                                </button>
                            </span>
                        }
                        .into_any()
                    }
                    Report::Done => view! {
                        <span role="status">{i18n::t("comments.reported")}</span>
                    }
                    .into_any(),
                    Report::Failed(e) => view! {
                        <span role="alert">
                            {i18n::fill("comments.report_failed", &[("reason", &e.to_string())])} " "
                            <button type="button" class="link-button" on:click=move |_| report.set(Report::Confirming)>
                                {i18n::t("errors.try_again")}
                            </button>
                        </span>
                    }
                    .into_any(),
                }}
            </div>
        </li>
    }
}
