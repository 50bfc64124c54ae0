//! The server's side of the app: the first screen of a page, rendered to HTML with the app's own
//! components (the crate compiled natively with Leptos's `ssr` feature), followed by the data it
//! was made from ([`FirstScreen`]) for the app to take over. The reader sees the page before the
//! wasm has arrived, and without JavaScript at all.
//!
//! Article pages, the home page, section fronts and tag and author pages have one ([`Route::has_first_screen`]). An
//! article's comment box is in it, shown only where scripts run (the comments and posting are
//! the app's).

use crate::i18n;
use broadsheet_model::{Article, ArticleSummary, Front, Section};
use leptos::prelude::*;

use crate::components::article_view::ArticleView;
use crate::components::comments::CommentsSection;
use crate::components::layout::{FOOTER_ID, MAIN_ID, Masthead, SiteFooter, SkipLinks};
use crate::components::modules::{ModuleLists, SidebarFrame};
use crate::components::story_list::StoryList;
use crate::head::PublicBase;
use crate::page_data::embedded::{
    self, DATA_ID, FirstScreen, Inline, ListingStories, PageModules, SearchScreen, SectionStories,
};
use crate::pages::article::ArticleLayout;
use crate::pages::home::{FrontStories, HomeLayout};
use crate::pages::listing::ListingLayout;
use crate::pages::search::{SearchLayout, SearchResultsView};
use crate::pages::section::{LoadMore, SectionLayout};
use crate::route::Route;

/// For the `<head>` of a page with a first screen: its first paint waits until the page has
/// arrived up to its footer. A browser paints a page that is still arriving, and what came later
/// moved what it had painted: on a phone the masthead's sections went down when the search and
/// the display controls before them on screen arrived (they come after them in the markup), on a
/// wide screen the search moved when the controls came, a byline's line when its e-mail did.
/// Browsers without `rel=expect` ignore it. Pages without a first screen (the app's shell) do not
/// carry it: they have no footer to wait for, and their HTML is small.
pub fn paint_whole() -> String {
    format!(r##"<link rel="expect" href="#{FOOTER_ID}" blocking="render">"##)
}

/// What every first screen shows around its content.
pub struct Frame<'a> {
    /// The masthead's sections.
    pub sections: &'a [Section],
    /// The page's modules, for the sidebar.
    pub modules: &'a PageModules,
    /// The site's address without a trailing slash (for the share links).
    pub public_base: &'a str,
    /// The site's pictures that may come inside the page: a front's lead picture among them does.
    pub pictures: &'a Inline,
}

/// The `<body>` content of an article page: the article, its modules and its comment box (the
/// count and the form, which takes typing before the app has started; the comments themselves
/// are the app's) in the site's frame, and the data it was made from.
pub fn article(article: &Article, frame: &Frame) -> String {
    let route = Route::article(article.slug.clone());
    let shown = article.clone();
    let (slug, count) = (article.slug.clone(), article.comment_count);
    let data = FirstScreen {
        article: Some(article.clone()),
        comment_box: Some(slug.clone()),
        ..FirstScreen::default()
    };
    render(&route, frame, data, move |aside| {
        view! {
            <ArticleLayout
                article=view! { <ArticleView article=shown saveable=true/> }.into_any()
                aside
                comments=view! { <CommentsSection slug count first_screen=true/> }.into_any()
            />
        }
        .into_any()
    })
}

/// The stories of a front's first screen as its data carries them: without their bylines, which
/// no front shows (the app, taking over, shows the same page). At 100,000 articles the home page's
/// 33 stories' bylines were 422 B of its first round trip (14,686 B on the wire, 86 B over).
fn without_bylines(stories: &mut [ArticleSummary]) {
    for story in stories {
        story.byline = None;
    }
}

/// The `<body>` content of the home page: its stories and modules.
pub fn home(front: &Front, frame: &Frame) -> String {
    let shown = front.clone();
    let mut carried = front.clone();
    without_bylines(carried.lead.as_mut_slice());
    for section in &mut carried.sections {
        without_bylines(&mut section.items);
    }
    let data = FirstScreen {
        front: Some(carried),
        ..FirstScreen::default()
    };
    render(&Route::Home, frame, data, move |aside| {
        view! { <HomeLayout stories=view! { <FrontStories front=shown/> }.into_any() aside/> }
            .into_any()
    })
}

/// The `<body>` content of a section front: its first stories, "Load more" and the modules.
/// The section's name is its stories' (as in the app).
pub fn section(stories: &SectionStories, frame: &Frame) -> String {
    let route = Route::section(stories.slug.clone());
    let name = stories
        .page
        .items
        .first()
        .map(|s| s.section.name.clone())
        .unwrap_or_default();
    let items = stories.page.items.clone();
    let more = stories.page.next_cursor.is_some();
    let mut carried = stories.clone();
    without_bylines(&mut carried.page.items);
    let data = FirstScreen {
        section: Some(carried),
        ..FirstScreen::default()
    };
    render(&route, frame, data, move |aside| {
        view! {
            <SectionLayout
                name
                stories=view! { <StoryList stories=items hide_section=true/> }.into_any()
                more=more.then(|| view! { <LoadMore on_click=Callback::new(|()| {})/> }).into_any()
                aside
            />
        }
        .into_any()
    })
}

/// The `<body>` content of a tag's or an author's page (`route`): one page of their stories,
/// the links on to the next and back to the newest, and the modules.
pub fn listing(route: &Route, stories: &ListingStories, frame: &Frame) -> String {
    let listing = stories.listing.clone();
    let cursor = stories.cursor.clone();
    let shown = route.clone();
    let mut carried = stories.clone();
    without_bylines(&mut carried.listing.items);
    let data = FirstScreen {
        listing: Some(carried),
        ..FirstScreen::default()
    };
    render(route, frame, data, move |aside| {
        view! { <ListingLayout route=shown listing cursor aside/> }.into_any()
    })
}

/// The `<body>` content of a page of search results (or of the sentence saying why the query
/// was refused). No modules beside them: the results take the page's width.
pub fn search(screen: &SearchScreen, frame: &Frame) -> String {
    let route = Route::search(screen.query.clone(), screen.cursor.clone());
    let (query, outcome) = (screen.query.clone(), screen.outcome.clone());
    let data = FirstScreen {
        search: Some(screen.clone()),
        ..FirstScreen::default()
    };
    render(&route, frame, data, move |_| {
        view! {
            <SearchLayout
                query=query.clone()
                results=view! { <SearchResultsView query outcome/> }.into_any()
            />
        }
        .into_any()
    })
}

/// The site's frame around `content` (given the sidebar to place), as the app renders it at
/// `route` (the masthead marks the current page's link), followed by `data` with the frame's
/// modules and sections.
fn render(
    route: &Route,
    frame: &Frame,
    mut data: FirstScreen,
    content: impl FnOnce(AnyView) -> AnyView,
) -> String {
    let owner = Owner::new();
    let (markup, pictures) = owner.with(|| {
        provide_context(PublicBase(frame.public_base.to_owned()));
        let link = |to: Route, name: String| {
            let current = (&to == route).then_some("page");
            view! { <a href=to.path() aria-current=current>{name}</a> }
        };
        let links = frame
            .sections
            .iter()
            .map(|s| view! { <li>{link(Route::section(s.slug.clone()), s.name.clone())}</li> })
            .collect_view();
        let modules = frame.modules.modules.clone();
        let aside = view! { <SidebarFrame><ModuleLists modules/></SidebarFrame> }.into_any();
        // A lead picture comes inside a front's page only (`Route::is_front`): an article's first
        // round trip is full with its text and the CSS of its comments and sharing (with its
        // picture inside, the demo's largest went to 14,704 B of 14,600; `e2e/budget.spec.ts`).
        let none = Inline::default();
        let pictures = if route.is_front() {
            frame.pictures
        } else {
            &none
        };
        embedded::with_pictures(pictures, || {
            view! {
                <SkipLinks/>
                <Masthead
                    home=link(Route::Home, i18n::t("nav.home")).into_any()
                    sections=links.into_any()
                    saved=link(Route::Saved, i18n::t("nav.saved")).into_any()
                />
                <main id=MAIN_ID class="main" tabindex="-1">{content(aside)}</main>
                <SiteFooter/>
            }
            .to_html()
        })
    });
    data.pictures = pictures;
    data.modules = Some(frame.modules.clone());
    data.sections = Some(frame.sections.to_vec());
    format!(
        r#"{markup}<script type="application/json" id="{DATA_ID}">{}</script>"#,
        data.script_text()
    )
}
