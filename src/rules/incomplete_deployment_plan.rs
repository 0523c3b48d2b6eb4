use crate::context::Context;
use crate::evidence::Reach;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// The deployment plan (`deployment.plan`, a Markdown file) has a heading for each topic
    /// of `policy.deployment_plan_sections` (default: scope, schedule, risks, stakeholders,
    /// approval, contacts, escalation, success criteria). A topic is covered when some ATX
    /// (`# ...`) or setext (underlined) heading contains it, case-insensitively. One finding
    /// per missing topic, naming what the practice expects in that section; the findings
    /// share one action naming every missing topic, so "what to do next" lists it once.
    ///
    /// Not evaluated when there is no plan (RC401's concern), when the plan is a URL (never
    /// fetched), or when it cannot be read as text (RC004/RC005 say why). Only the first
    /// 1 MiB of the plan is read.
    ///
    /// ## Why it matters
    /// The release sprint prepares deployment as much as it hardens code: the Production
    /// Release practice asks for a deployment plan that states the scope, the schedule and
    /// its dependencies, the risks, the affected stakeholders, who approves "ready for
    /// production", the contacts, escalation and hand-over, and how success is measured.
    /// A plan without those sections is a plan to improvise on release day, the opposite of
    /// the calm release the practice aims for.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:
    ///   plan: docs/release/deployment-plan.md   # RC402 for each topic no heading names
    /// policy:
    ///   deployment_plan_sections: [scope, schedule, risks, rollback]
    /// ```
    pub struct IncompleteDeploymentPlan {
        code: "RC402",
        name: "incomplete-deployment-plan",
        default: Warning,
        summary: "the deployment plan (Markdown) has no heading for a topic of policy.deployment_plan_sections",
        scope: Release,
        milestone: Release,
    }
}

/// Topics the shared action names before "and N more": a policy listing thousands of topics
/// must not make every finding carry all of them.
const MAX_TOPICS_NAMED: usize = 10;

/// What the practice expects under each default topic.
fn expectation(topic: &str) -> Option<&'static str> {
    Some(match topic {
        "scope" => "what is deployed, and what is not",
        "schedule" => "when each step happens and what it depends on",
        "risks" => "what could go wrong and how each risk is mitigated",
        "stakeholders" => "who is affected by the release and how they are told",
        "approval" => "who approves the release as ready for production",
        "contacts" => "who to reach during the deployment",
        "escalation" => "how problems are escalated and when operations take over",
        "success criteria" => "how the team knows the deployment succeeded",
        _ => return None,
    })
}

impl Rule for IncompleteDeploymentPlan {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let plan = cx
            .evidence
            .deployment_plan()
            .ok_or_else(|| not_evaluated("no deployment plan is given"))?;
        let text = match &plan.reach {
            Reach::Url => {
                return Err(not_evaluated(format!(
                    "the deployment plan is a URL ({}), never fetched",
                    plan.value
                )));
            }
            Reach::File(facts) => match &facts.read {
                Ok(content) if !content.text.binary => &content.text,
                Ok(_) => {
                    return Err(not_evaluated(format!(
                        "the deployment plan {} is not text",
                        plan.value
                    )));
                }
                Err(why) => {
                    return Err(not_evaluated(format!(
                        "the deployment plan {} cannot be read: {why}",
                        plan.value
                    )));
                }
            },
            Reach::Outside(_) | Reach::Missing(_) | Reach::Folder(_) => {
                return Err(not_evaluated(format!(
                    "the deployment plan {} is not a readable file",
                    plan.value
                )));
            }
        };
        let headings: Vec<String> = text.headings.iter().map(|h| h.to_lowercase()).collect();
        let missing: Vec<&str> = cx
            .policy
            .deployment_plan_sections
            .iter()
            .map(String::as_str)
            .filter(|topic| {
                let wanted = topic.trim().to_lowercase();
                !wanted.is_empty() && !headings.iter().any(|h| h.contains(&wanted))
            })
            .collect();
        // One finding per missing topic (each names what the section holds), but one action
        // for them all, so "what to do next" says it once.
        let action = match missing.as_slice() {
            [] => return Ok(()),
            [one] => format!(
                "add a section on '{one}' to the deployment plan {}",
                plan.value
            ),
            many => format!(
                "add sections on {} to the deployment plan {}",
                super::list(many, "'", MAX_TOPICS_NAMED),
                plan.value
            ),
        };
        for topic in missing {
            let expected = expectation(&topic.trim().to_lowercase())
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            out.push(
                Self::META
                    .finding(
                        cx.name(),
                        plan.pos,
                        format!(
                            "the deployment plan {} has no heading about '{topic}'{expected} ({} headings found)",
                            plan.value,
                            text.headings.len()
                        ),
                    )
                    .with_action(action.clone()),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::context::Context;
    use crate::engine::check_release;
    use crate::manifest::{Date, Manifest, parse};
    use crate::policy::{Plan, Selection};

    /// Checks RC402 on a manifest in a temp folder holding `plan` as docs/plan.md.
    fn run(extra: &str, plan: Option<&str>) -> (Vec<String>, Vec<String>) {
        let (found, skipped, _) = run_with_actions(extra, plan);
        (found, skipped)
    }

    /// [`run`], with each finding's action.
    fn run_with_actions(
        extra: &str,
        plan: Option<&str>,
    ) -> (Vec<String>, Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = plan {
            fs::create_dir(dir.path().join("docs")).unwrap();
            fs::write(dir.path().join("docs/plan.md"), text).unwrap();
        }
        let yaml = format!("relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n{extra}");
        let Manifest::Release(r) = parse(&yaml, "release.yaml").unwrap() else {
            panic!()
        };
        let cx = Context::new(
            &r,
            "release.yaml",
            dir.path().to_path_buf(),
            Date::parse("2026-11-01").unwrap(),
        );
        let selection = Selection::new(&["RC402".to_owned()], &[]).unwrap();
        let plan = Plan::new("release.yaml", r.policy.as_deref(), &r.waivers, &selection).unwrap();
        let outcome = check_release(&cx, &plan, crate::engine::Gate::default());
        (
            outcome
                .findings
                .iter()
                .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
                .collect(),
            outcome
                .not_evaluated
                .iter()
                .map(|(_, why)| why.clone())
                .collect(),
            outcome
                .findings
                .iter()
                .map(|f| f.action.clone().unwrap_or_default())
                .collect(),
        )
    }

    #[test]
    fn fires_for_each_topic_no_heading_names() {
        let plan = "# Deployment plan\n\n## Scope\nWeb 2.0\n\nSchedule and dependencies\n-------------------------\nMonday\n\n## Risks\nLow\n";
        let (found, _, actions) = run_with_actions(
            "deployment:\n  plan: docs/plan.md\npolicy:\n  deployment_plan_sections: [scope, schedule, risks, approval, rollback]\n",
            Some(plan),
        );
        // One problem, one action: both findings carry the same, naming every missing topic.
        assert_eq!(
            actions,
            ["add sections on 'approval' and 'rollback' to the deployment plan docs/plan.md"; 2]
        );
        assert_eq!(
            found,
            [
                "6:9 R: the deployment plan docs/plan.md has no heading about 'approval': who approves the release as ready for production (4 headings found)",
                "6:9 R: the deployment plan docs/plan.md has no heading about 'rollback' (4 headings found)",
            ]
        );
    }

    #[test]
    fn silent_when_every_default_topic_has_a_heading() {
        let plan = "# Scope\n# Schedule\n# Risks\n# Affected stakeholders\n# Approval\n# Contacts\n# ESCALATION and hand-over\n# Success criteria\n";
        let (found, skipped) = run("deployment:\n  plan: docs/plan.md\n", Some(plan));
        assert!(found.is_empty(), "{found:?}");
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn not_evaluated_without_a_readable_plan() {
        let (_, skipped) = run("", None);
        assert_eq!(skipped, ["no deployment plan is given"]);
        let (_, skipped) = run("deployment:\n  plan: https://wiki.example.com/plan\n", None);
        assert_eq!(
            skipped,
            ["the deployment plan is a URL (https://wiki.example.com/plan), never fetched"]
        );
        let (_, skipped) = run("deployment:\n  plan: docs/plan.md\n", None);
        assert_eq!(
            skipped,
            ["the deployment plan docs/plan.md is not a readable file"]
        );
    }
}
