use crate::context::ProgramContext;
use crate::program::ProductStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Each product whose manifest loaded ships with the program: its `release.date` is not
    /// after the program's `date`, and its `release.program` names this program's id (a
    /// missing `release.program` also fires).
    ///
    /// ## Why it matters
    /// In a coordinated release the products go to production together, as planned. A
    /// product planning a later date, or planning for another program, is not part of this
    /// release train whatever the program manifest says, and the deployment manager would
    /// find out on release day.
    ///
    /// ## Example
    /// ```yaml
    /// # storefront/release.yaml, in program winter-2026 dated 2026-12-15
    /// release:
    ///   name: Storefront 2.4
    ///   date: 2026-12-18      # RC504: after the program's date
    ///   program: winter-2026
    /// ```
    pub struct MisalignedReleaseDate {
        code: "RC504",
        name: "misaligned-release-date",
        default: Warning,
        summary: "a product's release.date is after the program's date, or its release.program is not this program",
        scope: Products,
        milestone: Now,
    }
}

impl Rule for MisalignedReleaseDate {
    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        let info = &cx.program.info;
        for (p, status) in cx.products() {
            let ProductStatus::Checked {
                path,
                date,
                program,
                ..
            } = status
            else {
                continue;
            };
            if *date > *info.date {
                let days = info.date.days_until(*date);
                out.push(
                    Self::META
                        .finding(
                            p.id.as_str(),
                            p.pos,
                            format!(
                                "product '{}' releases on {date} ({path}), {days} day{} after the program's date {}",
                                p.id,
                                if days == 1 { "" } else { "s" },
                                info.date.value
                            ),
                        )
                        .with_action(format!("move '{}' to {} or earlier, or take it out of the program", p.id, info.date.value)),
                );
            }
            let named = match program {
                Some(id) if id == info.id.as_str() => continue,
                Some(id) => format!("names program '{id}'"),
                None => "names no program (release.program is absent)".to_owned(),
            };
            out.push(
                Self::META
                    .finding(
                        p.id.as_str(),
                        p.pos,
                        format!(
                            "product '{}' ({path}) {named}, not '{}'",
                            p.id, info.id.value
                        ),
                    )
                    .with_action(format!("set release.program: {} in {path}", info.id.value)),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{PROGRAM_HEAD, check_program_rule, checked};

    fn yaml() -> String {
        format!("{PROGRAM_HEAD}    - id: web\n      manifest: web/release.yaml\n")
    }

    #[test]
    fn fires_for_a_later_date_and_another_or_no_program() {
        assert_eq!(
            check_program_rule(
                "RC504",
                &yaml(),
                vec![checked(true, "2026-12-18", Some("winter"))]
            ),
            [
                "7:7 web: product 'web' releases on 2026-12-18 (p/release.yaml), 3 days after the program's date 2026-12-15"
            ]
        );
        assert_eq!(
            check_program_rule(
                "RC504",
                &yaml(),
                vec![checked(true, "2026-12-15", Some("spring"))]
            ),
            ["7:7 web: product 'web' (p/release.yaml) names program 'spring', not 'winter'"]
        );
        assert_eq!(
            check_program_rule("RC504", &yaml(), vec![checked(true, "2026-12-01", None)]),
            [
                "7:7 web: product 'web' (p/release.yaml) names no program (release.program is absent), not 'winter'"
            ]
        );
    }

    #[test]
    fn silent_when_aligned() {
        assert!(
            check_program_rule(
                "RC504",
                &yaml(),
                vec![checked(true, "2026-12-15", Some("winter"))]
            )
            .is_empty()
        );
    }
}
