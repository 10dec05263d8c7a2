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
