//! When a waiver expires: an expired waiver covers nothing (RC009), one that expires soon
//! still covers but is reported (RC011).

use super::{Date, Waiver};

/// A waiver expiring this many days from today or sooner is reported as expiring (RC011).
pub const EXPIRING_WITHIN_DAYS: i64 = 14;

/// Where a waiver stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// No expiry, or more than [`EXPIRING_WITHIN_DAYS`] away.
    Active,
    /// Still valid; expires in this many days (0 = expires today, its last valid day).
    Expiring(i64),
    /// `expires` is before today: this many days ago.
    Expired(i64),
}

impl Waiver {
    /// Where the waiver stands on `today`.
    pub fn standing(&self, today: Date) -> Standing {
        match self.expires.as_deref() {
            None => Standing::Active,
            Some(&expires) => {
                let days = today.days_until(expires);
                if days < 0 {
                    Standing::Expired(-days)
                } else if days <= EXPIRING_WITHIN_DAYS {
                    Standing::Expiring(days)
                } else {
                    Standing::Active
                }
            }
        }
    }
}
