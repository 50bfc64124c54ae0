fn main() {
    console_error_panic_hook::set_once();
    // A page the server rendered is taken over when the bootstrap says (`start::take_over`).
    #[cfg(target_arch = "wasm32")]
    if !broadsheet::start::has_first_screen() {
        broadsheet::start::take_over();
    }
    #[cfg(not(target_arch = "wasm32"))]
    leptos::mount::mount_to_body(broadsheet::app::App);
}
