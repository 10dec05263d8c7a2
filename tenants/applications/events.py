"""What happens to an application, published for whoever reacts to it (blinker signals).

`service.transition` is the one way an application changes stage. It writes the stage and
its history row, flushes them, and then sends `stage_changed` once with a `StageChange`.
Reactions (audit, messages, reminders, waiting-list promotion) subscribe in their own
domain's `reactions` module, which the composition root loads (tenants.load_reactions).
So the state machine imports none of them, and every path that moves an application (a
page, a bulk action, the API, a job) gets the same reactions, once.

Reactions run in the caller's transaction, after the row is written: what they write
(audit rows, outbox rows, withdrawn reminders) commits or rolls back with the move itself,
and anything that leaves the process (an e-mail, a text) is sent from the outbox only after
that commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()

# Sent with a StageChange as the sender: `stage_changed.connect(fn)`, fn(change).
stage_changed = _signals.signal("application-stage-changed")


@dataclass(frozen=True)
class StageChange:
    session: object
    application: object  # tenants.applications.models.Application, already at `to_stage`
    from_stage: str
    to_stage: str
    actor: str
    reason: str | None = None
    by_applicant: bool = False
    # False when the coordinator chose not to send the applicant the stage's message.
    notify: bool = True


def publish(change: StageChange) -> None:
    stage_changed.send(change)
