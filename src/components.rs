//! Reusable pieces of the page.

pub mod article_view;
pub mod blocks;
pub mod comments;
pub mod display_settings;
pub mod error_panel;
pub mod later;
pub mod layout;
pub mod modules;
pub mod paged;
pub mod save_button;
pub mod saved_list;
pub mod share_bar;
pub mod skeleton;
pub mod story_list;
