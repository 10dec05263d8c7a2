"""Shortlisting the NHS Jobs way: anonymised review by several reviewers, the lead finalises."""
