//! What a reminder is about: everything dated that a tenant must not forget. The
//! `remindable_items` view gives each one's date and state, `reminder_recipients` who
//! answers for it.

use crate::schedule::Policy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A report owed to a funder.
    Deadline,
    /// A project's milestone: its project's owner answers for it.
    Milestone,
    /// An activity of kind task: its author answers for it.
    Task,
    /// The day a partnership ends: the tenant's owners and admins are told.
    PartnershipEnd,
    /// The day a partnership's next evaluation is due.
    PartnershipEvaluation,
}

impl Subject {
    /// The stored name (see `reminders_subject_check`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deadline => "deadline",
            Self::Milestone => "milestone",
            Self::Task => "task",
            Self::PartnershipEnd => "partnership-end",
            Self::PartnershipEvaluation => "partnership-evaluation",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "deadline" => Self::Deadline,
            "milestone" => Self::Milestone,
            "task" => Self::Task,
            "partnership-end" => Self::PartnershipEnd,
            "partnership-evaluation" => Self::PartnershipEvaluation,
            _ => return None,
        })
    }

    /// The subjects an outbox event asks to plan again (see `reminder_topic` in SQL). An
    /// event without a topic predates the others: it is about a deadline.
    pub fn of_topic(topic: Option<&str>) -> &'static [Self] {
        match topic {
            None | Some("deadline.changed") => &[Self::Deadline],
            Some("milestone.changed") => &[Self::Milestone],
            Some("task.changed") => &[Self::Task],
            Some("partnership.changed") => &[Self::PartnershipEnd, Self::PartnershipEvaluation],
            Some(_) => &[],
        }
    }

    /// The tenant's policy as it applies to this subject. Escalation to the admins is
    /// for reports owed to funders, the promise of the product; the rest would be noise.
    /// A partnership's end is a date to prepare for, never "late".
    pub fn policy(self, tenant: &Policy) -> Policy {
        let mut policy = tenant.clone();
        if self != Self::Deadline {
            policy.escalate_after_days = None;
        }
        if self == Self::PartnershipEnd {
            policy.overdue_every_days = 0;
        }
        policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for subject in [
            Subject::Deadline,
            Subject::Milestone,
            Subject::Task,
            Subject::PartnershipEnd,
            Subject::PartnershipEvaluation,
        ] {
            assert_eq!(Subject::parse(subject.as_str()), Some(subject));
        }
        assert_eq!(Subject::parse("meeting"), None);
    }

    #[test]
    fn only_reports_escalate_and_a_partnership_end_is_never_late() {
        let tenant = Policy::default();
        assert_eq!(Subject::Deadline.policy(&tenant), tenant);
        let task = Subject::Task.policy(&tenant);
        assert_eq!(task.escalate_after_days, None);
        assert_eq!(task.overdue_every_days, tenant.overdue_every_days);
        let end = Subject::PartnershipEnd.policy(&tenant);
        assert_eq!((end.escalate_after_days, end.overdue_every_days), (None, 0));
        assert_eq!(end.days_before, tenant.days_before);
    }
}
