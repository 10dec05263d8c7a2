"""The application pipeline as an explicit state machine (pure: no database, no Flask).

Stages run in order; side exits leave the main line. Every allowed move is listed in
TRANSITIONS, so anything else is refused with a reason a coordinator can read. The service
layer (service.transition) applies a move and writes its append-only event.
"""

from __future__ import annotations

from peerpath.refusal import Refused

STAGES = (
    "interest_registered", "eoi_submitted", "eligibility_checked", "shortlisted",
    "interview_invited", "interview_booked", "interviewed", "place_offered",
    "place_accepted", "in_training", "completed", "outcome_recorded",
)
SIDE_EXITS = (
    "not_eligible", "not_shortlisted", "not_successful", "withdrawn", "deferred",
    "waiting_list",
)
ALL_STAGES = STAGES + SIDE_EXITS

# Stages from which an applicant may still step out (withdraw or ask to defer).
_OPEN = STAGES[:STAGES.index("completed")]
_BEFORE_TRAINING = STAGES[:STAGES.index("in_training")]

TRANSITIONS: dict[str, frozenset[str]] = {
    "interest_registered": frozenset({"eoi_submitted"}),
    "eoi_submitted": frozenset({"eligibility_checked", "not_eligible"}),
    "eligibility_checked": frozenset({"shortlisted", "not_shortlisted", "waiting_list",
                                      "not_eligible"}),
    # An override: a coordinator judges someone eligible after all (reason required).
    "not_eligible": frozenset({"eligibility_checked"}),
    "shortlisted": frozenset({"interview_invited", "not_shortlisted"}),
    "interview_invited": frozenset({"interview_booked", "not_successful"}),
    "interview_booked": frozenset({"interviewed", "interview_invited", "not_successful"}),
    "interviewed": frozenset({"place_offered", "not_successful", "waiting_list"}),
    # The reserve list: invited when a place frees up, told "unsuccessful" once all are filled.
    "waiting_list": frozenset({"shortlisted", "interview_invited", "place_offered",
                               "not_shortlisted", "not_successful"}),
    "place_offered": frozenset({"place_accepted", "waiting_list"}),
    "place_accepted": frozenset({"in_training"}),
    "in_training": frozenset({"completed"}),
    "completed": frozenset({"outcome_recorded"}),
    "outcome_recorded": frozenset(),
    "not_shortlisted": frozenset({"waiting_list"}),
    "not_successful": frozenset(),
    "withdrawn": frozenset(),
    "deferred": frozenset(),
}
for _stage in _OPEN:
    TRANSITIONS[_stage] = TRANSITIONS[_stage] | {"withdrawn"}
for _stage in (*_BEFORE_TRAINING, "waiting_list"):
    if _stage != "interest_registered":
        TRANSITIONS[_stage] = TRANSITIONS[_stage] | {"deferred"}
TRANSITIONS["waiting_list"] = TRANSITIONS["waiting_list"] | {"withdrawn"}

# A deferred place is reinstated in a later cohort at the stage it was held at. Only the
# deferral service makes these moves (`reinstating=True`): by hand, a deferred application
# is closed in its first cohort.
REINSTATEMENTS = frozenset({("deferred", "place_offered"), ("deferred", "place_accepted")})

# Moves that carry bad news or overrule the rules need a recorded reason.
REASON_REQUIRED_TO = frozenset({"not_eligible", "not_shortlisted", "not_successful"})
REASON_REQUIRED_MOVES = frozenset({("not_eligible", "eligibility_checked")})
# What an applicant may do themselves; everything else is a coordinator's (or the system's).
APPLICANT_MOVES = frozenset({"withdrawn", "deferred"})

LABELS = {
    "interest_registered": "Interest registered", "eoi_submitted": "EOI submitted",
    "eligibility_checked": "Eligibility checked", "shortlisted": "Shortlisted",
    "interview_invited": "Interview invited", "interview_booked": "Interview booked",
    "interviewed": "Interviewed", "place_offered": "Place offered",
    "place_accepted": "Place accepted", "in_training": "In training",
    "completed": "Completed", "outcome_recorded": "Outcome recorded",
    "not_eligible": "Not eligible", "not_shortlisted": "Not shortlisted",
    "not_successful": "Not successful", "withdrawn": "Withdrawn",
    "deferred": "Deferred to a later cohort", "waiting_list": "Waiting list",
}

# What the applicant reads about their own application: plain words, no jargon.
PLAIN_WORDS = {
    "interest_registered": "You have started your application but not sent it yet.",
    "eoi_submitted": "We have your application. The team will read it and get back to you.",
    "eligibility_checked": "We have your application. The team will read it and get back to you.",
    "shortlisted": "The team would like to meet you. We will invite you to an interview.",
    "interview_invited": "You are invited to an interview. Choose a time that suits you.",
    "interview_booked": "Your interview is booked.",
    "interviewed": "Thank you for coming to your interview. We will let you know the result.",
    "place_offered": "You have been offered a place on the training.",
    "place_accepted": "You have a place on the training.",
    "in_training": "You are taking part in the training.",
    "completed": "You have completed the training.",
    "outcome_recorded": "You have completed the training.",
    "not_eligible": "We are not able to offer you a place this time. "
                    "The team will have contacted you about why.",
    "not_shortlisted": "We are not able to offer you an interview this time.",
    "not_successful": "We are not able to offer you a place this time.",
    "withdrawn": "You have withdrawn this application.",
    "deferred": "You asked to move to a later training group. The team will be in touch.",
    "waiting_list": "You are on our waiting list. We will contact you if a place comes up.",
}

# Stages whose news is hard to hear: the page says where to find support.
BAD_NEWS = frozenset({"not_eligible", "not_shortlisted", "not_successful"})
TERMINAL = frozenset(stage for stage, nexts in TRANSITIONS.items() if not nexts)


class IllegalTransition(Refused):
    """A refused move; `reason` (its message) is a sentence to show whoever asked for it."""


def check_transition(current: str, target: str, *, reason: str | None = None,
                     by_applicant: bool = False, reinstating: bool = False) -> None:
    """Raise IllegalTransition unless `current` -> `target` is allowed as asked."""
    if reinstating:
        if (current, target) not in REINSTATEMENTS:
            raise IllegalTransition("Only a deferred place can be reinstated, at the stage "
                                    "it was held at")
        return
    if target not in TRANSITIONS:
        raise IllegalTransition(f"'{target}' is not a stage of the pipeline")
    if current not in TRANSITIONS:
        raise IllegalTransition(f"'{current}' is not a stage of the pipeline")
    if current == target:
        raise IllegalTransition(f"The application is already at '{LABELS[target]}'")
    if by_applicant and target not in APPLICANT_MOVES:
        raise IllegalTransition("Applicants can only withdraw or ask to defer")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(LABELS[s] for s in sorted(TRANSITIONS[current], key=_order))
        if current in TERMINAL:
            raise IllegalTransition(
                f"The application is closed at '{LABELS[current]}': it cannot move on")
        raise IllegalTransition(
            f"An application at '{LABELS[current]}' cannot move to '{LABELS[target]}'. "
            f"It can move to: {allowed}")
    needs_reason = target in REASON_REQUIRED_TO or (current, target) in REASON_REQUIRED_MOVES
    if needs_reason and not (reason or "").strip():
        raise IllegalTransition(
            f"Give a reason for moving from '{LABELS[current]}' to '{LABELS[target]}'")


def allowed_moves(current: str) -> list[str]:
    return sorted(TRANSITIONS.get(current, ()), key=_order)


def _order(stage: str) -> int:
    return ALL_STAGES.index(stage)
