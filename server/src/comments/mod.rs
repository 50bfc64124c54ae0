//! Comments: the routes (listing, posting — validated, idempotent, rate limited, with a
//! honeypot — and reporting), the per-client rate limit, and the moderation behind the
//! `comments` CLI. Their SQL is the store's (`crate::store`).

pub mod moderation;
pub mod rate_limit;
pub mod routes;

pub use rate_limit::{Limits, Policy};
