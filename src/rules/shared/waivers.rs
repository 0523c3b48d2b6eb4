//! What the waiver rules (RC009 expired, RC010 unused, RC011 expiring) share: they run after
//! waivers are matched and look at them alike in a release and in a program.

use crate::context::{Context, ProgramContext};
use crate::rule::{Eval, Finding, HasMeta, Rule};
use crate::waiver::WaiverView;

/// A rule about the manifest's waivers once matched: it writes one check, run for releases
/// and programs alike.
pub(crate) trait WaiverRule: HasMeta + Sync + Send {
    fn check_waivers(&self, view: WaiverView<'_>, out: &mut Vec<Finding>);
}

impl<R: WaiverRule> Rule for R {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        if let Some(view) = cx.waiver_view() {
            self.check_waivers(view, out);
        }
        Ok(())
    }

    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        if let Some(view) = cx.waiver_view() {
            self.check_waivers(view, out);
        }
        Ok(())
    }
}
