//! One module per route.

pub mod article;
pub mod embed;
pub mod home;
pub mod listing;
pub mod not_found;
pub mod saved;
pub mod search;
pub mod section;
