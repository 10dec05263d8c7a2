"""Reports a trust board would read: the funnel by cohort and by channel with conversion
rates, time to a decision, outcomes at the follow-ups, cohort against cohort, equality
monitoring in aggregate (small numbers suppressed). Counts only, never a person."""
