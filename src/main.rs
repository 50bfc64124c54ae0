fn main() {
    console_error_panic_hook::set_once();
    // On a page the server rendered, the bootstrap in `index.html` starts the app only once that
    // page is loaded and painted (`pwa/src/integrity.rs`). Read the page's data, mount the app
    // beside the server's markup, then remove that markup: all in one task, nothing is painted
    // in between, and should the app fail to start, the reader keeps the server's page.
    #[cfg(target_arch = "wasm32")]
    let server_markup = broadsheet::first_screen::take_over();
    leptos::mount::mount_to_body(broadsheet::App);
    #[cfg(target_arch = "wasm32")]
    {
        server_markup.remove();
        // From here on every control works (`<html data-app="started">`, and a performance mark
        // for tools that look at when the app took over).
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-app", "started");
        }
        if let Some(performance) = leptos::prelude::window().performance() {
            let _ = performance.mark("broadsheet:started");
        }
    }
}
