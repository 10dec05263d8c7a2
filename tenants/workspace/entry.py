"""Paper, e-mail and phone EOIs entered by a coordinator, and duplicate applicants merged.

An entered EOI records its channel, who entered it and that the applicant's consent was
taken; it is judged by the same rules as an online one. Duplicates: the same phone number,
or a similar name (same surname, and first names alike: "Sam"/"Samantha", "Jon"/"John"),
across the trust's applicants (the same e-mail is already one applicant). The EOI forms of
the trusts ask no date of birth, so names are compared without one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from sqlalchemy import func, select, update

from peerpath.refusal import Refused
from tenants.applications import service as applications
from tenants.applications import sources, steps
from tenants.applications.models import Applicant, Application, SignInLink
from tenants.applications.views_pages import _Form as QuestionForm
from tenants.audit.service import record


def read_answers(questions: list[dict], form) -> tuple[dict, dict, dict]:
    """(answers, errors per question key, values to show again) from the one-page form."""
    answers, errors, values = {}, {}, {}
    for question in questions:
        changes, problems, shown = steps.read_step([question], question["key"],
                                                   QuestionForm(form, question["key"]))
        answers.update(changes)
        values[question["key"]] = {name: "" if value is None else value
                                   for name, value in (shown or {}).items()}
        if problems:
            errors[question["key"]] = next(iter(problems.values()))
    return answers, errors, values


def enter_eoi(session, tenant, cohort, contact: dict, answers: dict, *, actor: str,
              on) -> Application:
    """Create and send an EOI on the applicant's behalf (raises applications.Refused)."""
    application, new = applications.start(
        session, cohort, name=contact["name"], email=contact.get("email"),
        phone=contact.get("phone"), on=on, channel=contact["channel"], entered_by=actor)
    if not new and application.stage != "interest_registered":
        raise applications.Refused("This person has already applied to this cohort: "
                                   f"{application.reference}")
    _keep_contact_details(session.get(Applicant, application.applicant_id), contact)
    application.channel, application.entered_by = contact["channel"], actor
    application.consent_recorded = True
    application.heard_via = contact.get("heard_via")
    # The answers were read from the live form's questions, so the EOI is answered on it.
    applications.answer_on_live_form(application, sources.live_version_id(session))
    applications.save_answers(session, application, answers, step=None, actor=actor)
    applications.submit(session, tenant, application, on=on, actor=actor)
    record("application.entered_by_coordinator", "application", application.id, actor=actor,
           detail={"channel": contact["channel"]}, session=session)
    return application


def _keep_contact_details(applicant: Applicant, contact: dict) -> None:
    """What the coordinator was told about reaching them, kept before any message is
    written (the acknowledgement goes by the channel these decide)."""
    applicant.phone = applicant.phone or contact.get("phone")
    if contact.get("postal_address"):
        applicant.postal_address = contact["postal_address"]
    if contact.get("texts_ok"):
        applicant.communication_needs = {**(applicant.communication_needs or {}),
                                         "texts_ok": "yes"}


def _digits(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return "0" + digits[2:] if digits.startswith("44") else digits


def _name_key(name: str) -> str:
    return " ".join(name.lower().split())


def _surname(column):
    """SQL: the last word of a name, lower case (the index-free part of the match)."""
    return func.lower(func.regexp_replace(func.trim(column), r"^.*\s", ""))


def similar_names(a: str, b: str) -> bool:
    """Same surname, and first names where one starts the other or they differ by a letter
    or two ("Sam"/"Samantha", "Jon"/"John", "Catherine"/"Katherine")."""
    words_a, words_b = _name_key(a).split() or [""], _name_key(b).split() or [""]
    first_a, last_a, first_b, last_b = words_a[0], words_a[-1], words_b[0], words_b[-1]
    if not first_a or last_a != last_b:
        return False
    return (first_a.startswith(first_b) or first_b.startswith(first_a)
            or SequenceMatcher(None, first_a, first_b).ratio() >= 0.75)


def _phone_digits(column):
    """SQL: `_digits` of a phone column (digits only, a leading 44 read as 0)."""
    return func.regexp_replace(func.regexp_replace(column, r"\D", "", "g"), "^44", "0")


def possible_duplicates(session, applicant: Applicant) -> list[Applicant]:
    """Other applicants with the same phone number or a similar name: the database finds
    those with the same surname or phone digits, so only they are read."""
    surname = _name_key(applicant.name).rsplit(" ", 1)[-1]
    phone = _digits(applicant.phone)
    same = _surname(Applicant.name) == surname
    if len(phone) >= 7:
        same = same | (_phone_digits(Applicant.phone) == phone)
    candidates = session.scalars(select(Applicant).where(Applicant.id != applicant.id, same))
    return [c for c in candidates if similar_names(c.name, applicant.name)
            or (len(phone) >= 7 and _digits(c.phone) == phone)]


def merge(session, keep: Applicant, duplicate: Applicant, *, actor: str) -> None:
    """Move the duplicate's applications and links to `keep`, then remove the duplicate."""
    if keep.id == duplicate.id:
        raise Refused("Choose two different applicants")
    kept_cohorts = set(session.scalars(select(Application.cohort_id).where(
        Application.applicant_id == keep.id)))
    clash = session.scalars(select(Application.reference).where(
        Application.applicant_id == duplicate.id,
        Application.cohort_id.in_(kept_cohorts))).all()
    if clash:
        raise Refused("Both have applied to the same cohort (" + ", ".join(clash) + "): "
                      "withdraw one application before merging")
    session.execute(update(Application).where(Application.applicant_id == duplicate.id)
                    .values(applicant_id=keep.id, version=Application.version + 1))
    session.execute(update(SignInLink).where(SignInLink.applicant_id == duplicate.id)
                    .values(applicant_id=keep.id))
    keep.phone = keep.phone or duplicate.phone
    keep.communication_needs = keep.communication_needs or duplicate.communication_needs
    session.flush()
    session.delete(duplicate)
    record("applicant.merge", "applicant", keep.id, actor=actor,
           detail={"merged": duplicate.id}, session=session)
