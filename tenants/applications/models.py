"""Applicants, their applications, the pipeline history, equality monitoring apart, and
single-use sign-in links. One trust's schema: the same e-mail at two trusts is two people.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column
from tenants.applications.pipeline import ALL_STAGES
from tenants.applications.sensitive import SensitiveJSON

CHANNELS = ("online", "paper", "email", "phone")
# Where the applicant heard of the programme (one choice, asked of every trust's EOI by the
# platform, not by the trust's question builder; labels in schemas.HEARD_VIA_CHOICES).
HEARD_VIA = ("drop_in", "recovery_college", "care_team", "poster_leaflet", "social_media",
             "nhs_website", "friend_family", "other")
TOKEN_PURPOSES = ("sign_in", "continue")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Applicant(TenantBase):
    """A person applying to this trust; signs in with a link sent by e-mail, no password.
    Someone who applied on paper or by phone may have no e-mail address: their messages go
    by text or letter (tenants.notifications), and coordinators act for them."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    postal_address: Mapped[str | None] = mapped_column(Text)
    # Easy Read, large print, preferred channel, texts/voicemails OK, anything else.
    communication_needs: Mapped[dict | None] = mapped_column(
        SensitiveJSON("applicants.communication_needs"))
    created_at: Mapped[dt.datetime] = utcnow_column()
    updated_at: Mapped[dt.datetime] = utcnow_column(onupdate=func.now())

    __table_args__ = (Index("uq_applicants_email", func.lower(email), unique=True),)


class Application(TenantBase):
    """One applicant's application to one cohort (a second EOI continues this one)."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    stage: Mapped[str] = mapped_column(String(30), default="interest_registered",
                                       server_default="interest_registered", index=True)
    answers: Mapped[dict | None] = mapped_column(SensitiveJSON("applications.answers"))
    current_step: Mapped[str | None] = mapped_column(String(80))  # where a draft resumes
    # The form version (questions and rules) this EOI is answered on: pinned when it starts,
    # judged with when it is sent, and read against ever after. Versions are never changed
    # once live, and the key stops one an EOI was answered on from being deleted.
    rule_set_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("eligibility_versions.id"))
    eligibility_outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    # Per rule: key, outcome (pass/fail/undecided), reason. Rule texts, never answers.
    eligibility_results: Mapped[list | None] = mapped_column(JSONB)
    disability_confident: Mapped[bool | None] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(10), default="online", server_default="online")
    entered_by: Mapped[str | None] = mapped_column(String(340))
    heard_via: Mapped[str | None] = mapped_column(String(20))
    consent_recorded: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default="false")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The privacy notice version (tenants.privacy) in force, so shown, when the EOI was sent.
    privacy_notice_version: Mapped[int | None] = mapped_column(Integer)
    # The last day to answer an interview invitation or a place offer (tenants.applications
    # .deadlines); the daily deadline job lapses it the day after.
    reply_by: Mapped[dt.date | None] = mapped_column(Date)
    # When someone on the team first answered the EOI (a decision, or a response they
    # recorded): until then it is on the "EOIs to respond to" list (applications.responses).
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    responded_by: Mapped[str | None] = mapped_column(String(340))
    created_at: Mapped[dt.datetime] = utcnow_column()
    updated_at: Mapped[dt.datetime] = utcnow_column(onupdate=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("applicant_id", "cohort_id"),
        CheckConstraint(f"stage IN {_in(ALL_STAGES)}", name="stage"),
        CheckConstraint(f"channel IN {_in(CHANNELS)}", name="channel"),
        CheckConstraint(f"heard_via IN {_in(HEARD_VIA)}", name="heard_via"),
        CheckConstraint("eligibility_outcome IN ('eligible', 'not_eligible', 'needs_review')",
                        name="eligibility_outcome"),
    )


class ApplicationEvent(TenantBase):
    """Append-only history of an application: who moved it from which stage to which, why.
    Only the free-text reason may be overwritten, by erasure and retention."""

    __tablename__ = "application_events"
    __table_args__ = {"info": {"append_only": True, "erasable": ("reason",)}}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[dt.datetime] = utcnow_column()
    actor: Mapped[str] = mapped_column(String(340))
    from_stage: Mapped[str | None] = mapped_column(String(30))
    to_stage: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    # The structured reason chosen (tenants.reasons), for decisions that carry one.
    reason_id: Mapped[int | None] = mapped_column(ForeignKey("decision_reasons.id"),
                                                  index=True)


# The trust role may update one column of the history, and only to erase it (erasure and
# retention); any other rewrite is refused. tenant migration t0400_dp_hooks adds the same.
EVENT_REASON_ERASED = "Erased"
ERASE_ONLY_FUNCTION = f"""CREATE FUNCTION application_events_erase_only() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN
  IF NEW.reason IS DISTINCT FROM '{EVENT_REASON_ERASED}' THEN
    RAISE EXCEPTION 'permission denied: application history can be erased, not rewritten'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$"""
ERASE_ONLY_TRIGGER = """CREATE TRIGGER application_events_erase_only
BEFORE UPDATE ON application_events FOR EACH ROW
EXECUTE FUNCTION application_events_erase_only()"""
for _ddl in (ERASE_ONLY_FUNCTION, ERASE_ONLY_TRIGGER):
    event.listen(ApplicationEvent.__table__, "after_create", DDL(_ddl))


class EqualityMonitoring(TenantBase):
    """Kept apart from the application: reported in aggregate, never shown in selection."""

    __tablename__ = "equality_monitoring"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    answers: Mapped[dict] = mapped_column(SensitiveJSON("equality_monitoring.answers"))
    created_at: Mapped[dt.datetime] = utcnow_column()


class SignInLink(TenantBase):
    """A magic link: only a SHA-256 of the token is kept; single use; short-lived."""

    __tablename__ = "applicant_sign_in_links"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    created_at: Mapped[dt.datetime] = utcnow_column()
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint(f"purpose IN {_in(TOKEN_PURPOSES)}", name="purpose"),)


class ConversationRequest(TenantBase):
    """An applicant asked to talk a decision through; open until a coordinator marks it
    done."""

    __tablename__ = "conversation_requests"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    requested_at: Mapped[dt.datetime] = utcnow_column()
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[str | None] = mapped_column(String(340))


class CrisisLine(TenantBase):
    """Where to get help now, shown on every applicant page's "Help in a crisis" link."""

    __tablename__ = "crisis_lines"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)


class DeadlineSettings(TenantBase):
    """The trust's promises on time (one row): how many working days the team takes to
    respond to an EOI, and how many an applicant has to answer an interview invitation or a
    place offer (tenants.applications.responses and .deadlines read them)."""

    __tablename__ = "deadline_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1, autoincrement=False)
    eoi_response_working_days: Mapped[int] = mapped_column(Integer, default=10,
                                                           server_default="10")
    reply_working_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    updated_at: Mapped[dt.datetime] = utcnow_column()
    updated_by: Mapped[str | None] = mapped_column(String(340))

    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("eoi_response_working_days BETWEEN 1 AND 30",
                        name="eoi_response_working_days"),
        CheckConstraint("reply_working_days BETWEEN 2 AND 20", name="reply_working_days"),
    )


class EoiChaser(TenantBase):
    """One chaser to the team per respond-by date (the key makes a second run a no-op)."""

    __tablename__ = "eoi_chasers"

    due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    eois: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = utcnow_column()
