"""The conditions a new trust starts with (a lead edits them in settings)."""

from __future__ import annotations

# (key, what the team reads, what the applicant reads after "We are waiting for")
DEFAULT_CONDITIONS = (
    ("dbs_check", "DBS check", "your DBS check"),
    ("occupational_health", "Occupational health clearance",
     "your occupational health clearance"),
    ("references", "Two references", "your two references"),
    ("right_to_work", "Right to work in the UK", "proof of your right to work in the UK"),
)
