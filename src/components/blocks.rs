//! Article body blocks. Every text goes into the page as text; nothing is parsed as HTML.

use broadsheet_model::{Block, Image, Run, paragraph_runs, safe_href, safe_src};
use leptos::prelude::*;

use crate::page_data::embedded;

/// One block of an article body.
#[component]
pub fn BlockView(
    /// The block to show.
    block: Block,
) -> impl IntoView {
    match block {
        Block::Paragraph { text, runs } => {
            let runs = paragraph_runs(&text, &runs);
            view! { <p>{runs.into_iter().map(run_view).collect_view()}</p> }.into_any()
        }
        Block::Heading { text } => view! { <h2 class="story__subhead">{text}</h2> }.into_any(),
        Block::Quote { text, cite } => view! {
            <figure class="story__quote">
                <blockquote><p>{text}</p></blockquote>
                {cite.map(|c| view! { <figcaption>{c}</figcaption> })}
            </figure>
        }
        .into_any(),
        Block::Image(image) => view! { <Figure image class="story__figure"/> }.into_any(),
        Block::List { ordered: true, items } => view! {
            <ol class="story__list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ol>
        }
        .into_any(),
        Block::List { ordered: false, items } => view! {
            <ul class="story__list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
        }
        .into_any(),
    }
}

/// A run of text with its marks. A link whose target is not http, https or mailto is shown as
/// its text alone.
fn run_view(run: Run) -> AnyView {
    let Run {
        text,
        bold,
        italic,
        link,
    } = run;
    let mut view = text.into_any();
    if italic {
        view = view! { <em>{view}</em> }.into_any();
    }
    if bold {
        view = view! { <strong>{view}</strong> }.into_any();
    }
    if let Some(href) = link.as_deref().and_then(safe_href) {
        view = view! { <a href=href rel="noopener noreferrer">{view}</a> }.into_any();
    }
    view
}

/// An image with its caption and credit. Its width and height reserve its space before it loads;
/// a `framed` image (its size unknown) keeps that frame and is fitted inside it.
#[component]
pub fn Figure(
    /// The image.
    image: Image,
    /// The figure's class.
    class: &'static str,
    /// Load it at once (the lead image) rather than when it nears the screen.
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let Image {
        src,
        alt,
        caption,
        credit,
        width,
        height,
        framed,
    } = image;
    // The lead picture may come inside the page (`embedded::inline_picture`); the rest load
    // from their address, as they near the screen.
    let src = safe_src(&src).map(|src| {
        eager
            .then(|| embedded::inline_picture(src))
            .flatten()
            .unwrap_or_else(|| src.to_owned())
    });
    let has_caption = caption.is_some() || credit.is_some();
    view! {
        <figure class=class>
            {match src {
                Some(src) => view! {
                    <img
                        src=src
                        alt=alt
                        class=framed.then_some("figure__img--framed")
                        width=width
                        height=height
                        loading=if eager { "eager" } else { "lazy" }
                        fetchpriority=eager.then_some("high")
                        decoding=(!eager).then_some("async")
                    />
                }
                .into_any(),
                // An image we will not load still takes its place and says what it showed.
                None => missing(alt, width, height),
            }}
            {has_caption.then(|| view! {
                <figcaption>
                    {caption.map(|c| view! { <span class="figure__caption">{c}</span> })}
                    {credit.map(|c| view! { " " <span class="figure__credit">{c}</span> })}
                </figcaption>
            })}
        </figure>
    }
}

/// The place of an image we will not load, saying what it showed.
#[cfg(target_arch = "wasm32")]
fn missing(alt: String, width: u32, height: u32) -> AnyView {
    // A CSSOM property, not a `style` attribute: the policy allows no inline styles.
    view! {
        <div class="figure__missing" role="img" aria-label=alt
            style:aspect-ratio=format!("{width} / {height}")>
        </div>
    }
    .into_any()
}

/// Rendered by the server, where a `style` attribute would break the policy: the app sizes it.
#[cfg(not(target_arch = "wasm32"))]
fn missing(alt: String, _width: u32, _height: u32) -> AnyView {
    view! { <div class="figure__missing" role="img" aria-label=alt></div> }.into_any()
}
