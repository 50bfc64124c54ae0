//! The HTTP edge: the API's error type (a [`crate::store::StoreError`] becomes a 500 here), the
//! middleware that logs errors, and the extractors that reject with that error.

pub mod caching;
pub mod client;
pub mod error;
pub mod extract;
pub mod site;

pub use error::AppError;
