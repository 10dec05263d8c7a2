"""Starting EOI questions and eligibility rules for trusts, as (questions, rule_set).

Built from each trust's public description of its Peer Support Worker training,
so coordinators begin from something true and edit it. No question asks for
contact details: name and e-mail are collected separately from the EOI answers.
Each call returns fresh lists and dicts, so callers may change them freely.
"""

from __future__ import annotations


def _yes_no(key: str, label: str, hint: str | None = None) -> dict:
    question = {"key": key, "type": "yes_no", "label": label, "required": True}
    if hint:
        question["hint"] = hint
    return question


def _rule(key: str, reason: str, applicant_reason: str, when: dict) -> dict:
    return {"key": key, "reason": reason, "applicant_reason": applicant_reason, "when": when}


def _yes(key: str) -> dict:
    return {"answer": key, "is": True}


LEICESTERSHIRE_ROUTES = [
    ("gp_referral", "A specialist referral from a GP"),
    ("community_team", "The community mental health pathway or a community mental health team"),
    ("consultant_psychiatrist", "Seeing a consultant psychiatrist"),
    ("cpn_or_social_worker", "Seeing a CPN or social worker"),
]


def leicestershire_questions_and_rules() -> tuple[list[dict], dict]:
    """Leicestershire Partnership NHS Trust (LPT)."""
    routes = [value for value, _ in LEICESTERSHIRE_ROUTES]
    questions = [
        {
            "key": "lived_experience_routes",
            "type": "multiple_choice",
            "label": "Have you used secondary mental health services in any of these ways?",
            "hint": "Select all that apply. A CPN is a community psychiatric nurse. Seeing a CPN "
            "or social worker means being seen by a specialist mental health worker.",
            "options": [
                *({"value": value, "label": label} for value, label in LEICESTERSHIRE_ROUTES),
                {"value": "none_of_these", "label": "None of these", "exclusive": True},
            ],
            "required": True,
        },
        {
            "key": "lived_experience_story",
            "type": "long_text",
            "label": "Tell us about your lived experience",
            "hint": "Share only what you are comfortable sharing.",
            "required": False,
        },
        {
            "key": "understanding_of_peer_support",
            "type": "long_text",
            "label": "What do you understand peer support to be?",
            "hint": "Tell us in your own words. There is no single right answer.",
            "required": True,
        },
        _yes_no("available_all_training_days",
                "Are you available to attend all of the training days?"),
        _yes_no("willing_to_share_experience",
                "Are you able and willing to share your personal lived experience with others?"),
        _yes_no("committed_to_participate",
                "Are you committed to taking an active part in the training?"),
        _yes_no("promoting_recovery",
                "Are you dedicated to promoting recovery opportunities in the lives of peers?"),
        _yes_no("want_to_work_at_lpt",
                "Would you like to work as a peer support worker within Leicestershire "
                "Partnership NHS Trust after the training?"),
    ]
    rule_set = {
        "definitions": {
            # "At least one of these routes" is the trust's definition of lived experience.
            "secondary_care_experience": {
                "answer": "lived_experience_routes", "count_at_least": 1, "of": routes,
            },
        },
        "rules": [
            _rule("lived_experience",
                  "You need lived experience of mental health challenges through secondary "
                  "mental health services (a specialist referral from a GP, a community mental "
                  "health team, a consultant psychiatrist, or a CPN or social worker)",
                  "This training is for people who have used specialist (secondary) mental "
                  "health services themselves, for example through a community mental health "
                  "team or by seeing a psychiatrist, a CPN or a social worker.",
                  {"ref": "secondary_care_experience"}),
            # Only presence is checked here: a coordinator judges the understanding itself.
            _rule("understanding_of_peer_support",
                  "You need to show a clear understanding of peer support",
                  "Please tell us in your own words what peer support means to you.",
                  {"answered": "understanding_of_peer_support"}),
            _rule("available_all_training_days",
                  "You need to be available to attend all of the training days",
                  "You need to be able to come to every one of the training days.",
                  _yes("available_all_training_days")),
            _rule("willing_to_share_experience",
                  "You need the ability and willingness to share your personal lived "
                  "experiences with others",
                  "Peer support workers use their own experience to help others, so you need to "
                  "feel able to share some of yours.",
                  _yes("willing_to_share_experience")),
            _rule("committed_to_participate",
                  "You need to be committed to actively participating in the training",
                  "You need to be ready to take an active part in the training.",
                  _yes("committed_to_participate")),
            _rule("promoting_recovery",
                  "You need to be dedicated to promoting recovery opportunities in the lives "
                  "of peers",
                  "Peer support is about helping others find their own way to recovery, so this "
                  "needs to matter to you.",
                  _yes("promoting_recovery")),
            _rule("want_to_work_at_lpt",
                  "You need to want to work as a peer worker within LPT after the training",
                  "This training prepares people to work as peer support workers at "
                  "Leicestershire Partnership NHS Trust afterwards.",
                  _yes("want_to_work_at_lpt")),
        ],
    }
    return questions, rule_set


def norfolk_suffolk_questions_and_rules() -> tuple[list[dict], dict]:
    """Norfolk and Suffolk NHS Foundation Trust (NSFT)."""
    questions = [
        _yes_no("lived_experience",
                "Do you have lived experience of mental health problems?"),
        _yes_no("available_all_course_days",
                "Are you available for all 16 days of the course?",
                "The course is free and runs over 12 weeks. It is a mix of classroom learning "
                "and work-based placements."),
        _yes_no("willing_to_use_experience",
                "Are you willing to use your own experience to help others?"),
        {
            # Information for the team only: it does not affect eligibility for the course.
            "key": "previous_psw_training",
            "type": "single_choice",
            "label": "Have you already completed a Peer Support Worker training course?",
            "hint": "To apply for a Peer Support Worker job afterwards you need to have "
            "completed a Peer Support Worker training course, with us or another provider.",
            "options": [
                {"value": "no", "label": "No"},
                {"value": "yes_this_trust",
                 "label": "Yes, with Norfolk and Suffolk NHS Foundation Trust"},
                {"value": "yes_other_provider", "label": "Yes, with another provider"},
            ],
            "required": True,
        },
    ]
    rule_set = {
        "definitions": {},
        "rules": [
            _rule("lived_experience",
                  "You need lived experience of mental health problems",
                  "This course is for people with their own lived experience of mental health "
                  "problems.",
                  _yes("lived_experience")),
            _rule("available_all_course_days",
                  "You need to be available for all 16 days of the 12-week course",
                  "The course has 16 days over 12 weeks, including placements, and you need to "
                  "be able to attend all of them.",
                  _yes("available_all_course_days")),
            _rule("willing_to_use_experience",
                  "You need to be willing to use your experience to help others",
                  "Peer support means using your own experience to help others, so you need to "
                  "be willing to do that.",
                  _yes("willing_to_use_experience")),
        ],
    }
    return questions, rule_set


def default_questions_and_rules() -> tuple[list[dict], dict]:
    """A generic starting point for a newly onboarded trust to adapt."""
    questions = [
        _yes_no("lived_experience",
                "Do you have lived experience of mental health challenges?"),
        _yes_no("available_all_training_days",
                "Are you available to attend all of the training days?"),
        _yes_no("willing_to_share_experience",
                "Are you willing to share your own lived experience to help others?"),
    ]
    rule_set = {
        "definitions": {},
        "rules": [
            _rule("lived_experience",
                  "You need lived experience of mental health challenges",
                  "This training is for people with their own lived experience of mental "
                  "health challenges.",
                  _yes("lived_experience")),
            _rule("available_all_training_days",
                  "You need to be available to attend all of the training days",
                  "You need to be able to come to every training day.",
                  _yes("available_all_training_days")),
            _rule("willing_to_share_experience",
                  "You need to be willing to share your lived experience with others",
                  "Peer support workers use their own experience to help others, so you need to "
                  "feel able to share some of yours.",
                  _yes("willing_to_share_experience")),
        ],
    }
    return questions, rule_set
