fn main() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    broadsheet::first_screen::after_first_screen(|| {
        // The page the server already put on screen: read its data, mount the app beside its
        // markup, then remove that markup.
        let server_markup = broadsheet::first_screen::take_over();
        leptos::mount::mount_to_body(broadsheet::App);
        server_markup.remove();
        // From here on every control works (`<html data-app="started">`, and a performance mark
        // for tools that look at when the app took over).
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-app", "started");
        }
        if let Some(performance) = leptos::prelude::window().performance() {
            let _ = performance.mark("broadsheet:started");
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    leptos::mount::mount_to_body(broadsheet::App);
}
