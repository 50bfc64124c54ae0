//! The server's integration tests, as one test binary: one link of the server and its
//! dependencies instead of one per file (each was about 130 MB, and together they filled a CI
//! machine's disk), and one shared PostgreSQL cluster per run (`support::postgres::shared`).
//! Each module below was a `tests/*.rs` file of its own; `cargo test -p broadsheet-server
//! search::` runs one of them.

#[macro_use]
mod support;

mod api;
mod caching;
mod catalogues;
mod cli;
mod comments;
mod durability;
mod embed;
mod errors;
mod faults;
mod feeds;
mod follow;
mod head;
mod import_cli;
mod imports;
mod instances;
mod languages;
mod migrate;
mod modules;
mod openapi;
mod purge;
mod query_plans;
mod search;
mod security;
mod syndication;
mod tags_authors;
mod varnish;
mod views;
