//! What several rules share and no rule owns: helpers, not rules. Each module is named
//! for what it holds; twin rules (same check, their own code and docs) call one function
//! here.

pub(super) mod decimal;
pub(super) mod defects;
pub(super) mod feature_links;
pub(crate) mod pace;
pub(super) mod shipped;
pub(super) mod support;
pub(super) mod waivers;
