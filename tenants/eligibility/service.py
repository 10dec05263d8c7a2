"""A trust's eligibility configuration: versions, publishing, preview and evaluation.

For the applicant journey:
- ``published_version(session)`` is the version applications are judged against (its
  ``questions`` are the EOI questions to ask);
- ``evaluate_for_cohort(session, answers, today=None) -> (version_id, Evaluation)`` judges
  one applicant's answers; store the version id and ``Evaluation.results`` (per rule) with
  the application. One published version applies to every cohort of the trust.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tenants.audit.service import record
from tenants.eligibility import defaults
from tenants.eligibility.answers import answers_in_words
from tenants.eligibility.models import EligibilityVersion
from tenants.eligibility.routing import route_problems
from tenants.eligibility.rules import Evaluation, InvalidRuleSet, evaluate
from tenants.eligibility.validation import rule_set_problems, validate_questions


class NoPublishedRules(LookupError):
    """The trust has not published any eligibility rules yet."""


def configuration_problems(questions, rule_set) -> list[str]:
    """Every problem with questions and rules taken together, each naming where it is."""
    return (validate_questions(questions) + route_problems(questions)
            + rule_set_problems(questions, rule_set))


def versions(session) -> list[EligibilityVersion]:
    return list(session.scalars(select(EligibilityVersion)
                                .order_by(EligibilityVersion.number.desc())))


def get_version(session, version_id: int) -> EligibilityVersion | None:
    return session.get(EligibilityVersion, version_id)


def questions_asked(session, version_id: int | None) -> list:
    """The questions an application was asked: those of the version it was judged with,
    or (a draft not judged yet) the published ones; [] when the trust has none."""
    version = get_version(session, version_id) if version_id else None
    version = version or published_version(session)
    return version.questions if version else []


def answers_in_words_for(session, version_id: int | None, answers) -> list[dict]:
    """An application's answers as {"key", "label", "value"} rows in words."""
    return answers_in_words(questions_asked(session, version_id), answers)


def published_version(session) -> EligibilityVersion | None:
    """The most recently published version, or None."""
    return session.scalars(
        select(EligibilityVersion).where(EligibilityVersion.published_at.is_not(None))
        .order_by(EligibilityVersion.published_at.desc(), EligibilityVersion.number.desc())
        .limit(1)).first()


def latest_version(session) -> EligibilityVersion | None:
    return session.scalars(select(EligibilityVersion)
                           .order_by(EligibilityVersion.number.desc()).limit(1)).first()


def save_version(session, questions: list, rule_set: dict, *, note: str | None = None,
                 created_by_id: int | None = None, publish: bool = False
                 ) -> EligibilityVersion:
    """Save an edit as a new version (a draft unless ``publish``); refuses invalid ones.

    Versions are numbered under a transaction-level advisory lock, so two coordinators
    saving at once get consecutive numbers instead of a unique-violation error.
    """
    problems = configuration_problems(questions, rule_set)
    if problems:
        raise InvalidRuleSet(problems)
    session.execute(select(func.pg_advisory_xact_lock(0x656C6967)))  # "elig"
    number = (session.scalar(select(func.max(EligibilityVersion.number))) or 0) + 1
    version = EligibilityVersion(number=number, questions=questions,
                                 rule_set={"rules": rule_set.get("rules", []),
                                           "definitions": rule_set.get("definitions") or {}},
                                 note=note, created_by_id=created_by_id,
                                 published_at=func.now() if publish else None)
    session.add(version)
    session.flush()
    record("eligibility.version_saved", "eligibility_version", version.id,
           detail={"number": number, "published": publish}, session=session)
    return version


def publish(session, version: EligibilityVersion) -> EligibilityVersion:
    """Make a version the one applications are judged against (re-publishing is allowed:
    it is how a coordinator goes back to an earlier version)."""
    version.published_at = func.now()
    session.flush()
    session.refresh(version)
    record("eligibility.version_published", "eligibility_version", version.id,
           detail={"number": version.number}, session=session)
    return version


def preview(version: EligibilityVersion, answers: dict, today: dt.date | None = None
            ) -> Evaluation:
    """What a version would decide for sample answers; nothing is stored."""
    return evaluate(version.questions, version.rule_set, answers, today)


def evaluate_with(questions: list, rule_set: dict, answers: dict,
                  today: dt.date | None = None) -> Evaluation:
    """One version's (its questions' and rules') judgement of ``answers``."""
    return evaluate(questions, rule_set, answers, today)


def evaluate_for_cohort(session, answers: dict, today: dt.date | None = None
                        ) -> tuple[int, Evaluation]:
    """(id of the published version, its evaluation of ``answers``)."""
    version = published_version(session)
    if version is None:
        raise NoPublishedRules("no published eligibility rules")
    return version.id, evaluate(version.questions, version.rule_set, answers, today)


def add_default_rules(session, tenant) -> None:
    """Onboarding step: a generic starting point, published so a new trust works at once."""
    questions, rule_set = defaults.default_questions_and_rules()
    save_version(session, questions, rule_set, note="Starting rules for a new trust",
                 publish=True)
