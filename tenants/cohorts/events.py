"""What happens to a cohort's calendar, published for whoever reacts (blinker signals).

Later domains subscribe (the applications domain re-queues training-day reminders), so the
cohorts domain, an earlier one, imports none of them.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the cohort as the sender and `session=`, `actor=` keywords, after the change is
# flushed, whenever a training day is added or removed.
training_days_changed = _signals.signal("cohort-training-days-changed")

# Sent like training_days_changed when a cohort is created or its start date moves (the
# training domain reinstates deferred places and tells both sides the new cohort's dates).
cohort_dates_set = _signals.signal("cohort-dates-set")
