//! Broadsheet: the reader-facing news front end, a Leptos app rendered in the browser, whose
//! components the server also renders (natively, with the `ssr` feature) for a page's first
//! screen.
//!
//! Layers, each using only those above it (`make lint` checks it: `scripts/check-imports.py`,
//! which holds the same list):
//!
//! - `i18n` (the interface's words), `storage`, `tasks`, `typing` (what was typed before the app
//!   started) — no other module of the crate;
//! - `route` (the page table), `format` — only `i18n`; then `feeds` (the feeds' addresses and
//!   links);
//! - `api` — HTTP and the contract's endpoints;
//! - `page_data` — a page's data: what the page came with, prefetched, or from `api`;
//! - `head`, `share`, `saved`, `pwa`, `routing` — the document's head, sharing, saved articles,
//!   the installed app, what happens around navigation;
//! - `components`, then `pages`;
//! - `app` (the browser's root, with the router) and `render` (the server's first screens): the
//!   only modules that put pages together; then `start`, how the browser starts `app`.

// The app's view types nest deeper once their text comes from the catalogue (a `String` where a
// literal was a static template), past the compiler's default 128 for the layout of the root.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod feeds;
pub mod format;
pub mod head;
pub mod i18n;
pub mod page_data;
pub mod pages;
pub mod pwa;
pub mod route;
pub mod routing;
pub mod saved;
pub mod share;
pub mod storage;
pub mod tasks;
pub mod typing;

pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod render;
#[cfg(target_arch = "wasm32")]
pub mod start;
