"""Onboarding from the console and the API: a run row that says how far it got.

The console queues the run on RQ and polls the row; the API runs it inline. Both go through
`perform`, which calls the same service as `peerpath trusts create` (trust_admin.onboard)
with one more setup step: the first lead coordinator, invited through the team service
(no password; a single-use invitation whose token is stored hashed). Everything the run
writes into the new trust and the registry happens inside onboarding's single owner
transaction, so a failure leaves nothing behind; the run row (a separate, committed
record) says why.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext

from flask import current_app, g, has_request_context
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peerpath import trust_admin
from peerpath.admin.models import OnboardingRun, platform_session
from peerpath.models import Trust
from peerpath.queue import enqueue
from peerpath.tenancy import Tenant

JOB = "peerpath.admin.jobs.run_onboarding"
TEMPLATES = {"standard": "Standard Peer Support Worker programme"}


class SlugTaken(ValueError):
    pass


def start(params: dict, *, actor: str, ip: str | None) -> OnboardingRun:
    """Record a validated request (see schemas.OnboardTrustSchema); raises SlugTaken."""
    with platform_session() as session, session.begin():
        if session.scalar(select(Trust.id).where(Trust.slug == params["slug"])):
            raise SlugTaken(f"A trust with the short name {params['slug']} already exists")
        run = OnboardingRun(slug=params["slug"], params=params, requested_by=actor, ip=ip,
                            step="Waiting to start")
        session.add(run)
        session.flush()
        trust_admin.record(session, actor=actor, action="trust.onboarding_requested",
                           target=params["slug"], ip=ip, detail={"run": run.id})
    return run


def start_in_background(params: dict, *, actor: str, ip: str | None) -> OnboardingRun:
    run = start(params, actor=actor, ip=ip)
    enqueue(JOB, run.id, job_id=f"onboarding-{run.id}", retry=None)
    return run


def get(run_id: int) -> OnboardingRun | None:
    with platform_session() as session:
        return session.get(OnboardingRun, run_id)


def _progress(run_id: int, **values) -> None:
    # Its own short transaction, so the console sees it while onboarding's is still open.
    with platform_session() as session, session.begin():
        session.execute(update(OnboardingRun).where(OnboardingRun.id == run_id).values(**values))


def perform(run_id: int) -> OnboardingRun:
    """Run a queued onboarding once (a second call, e.g. a retried job, does nothing)."""
    with platform_session() as session, session.begin():
        claimed = session.execute(
            update(OnboardingRun).where(OnboardingRun.id == run_id,
                                        OnboardingRun.status == "queued")
            .values(status="running", step="Creating the trust's schema, role and "
                                            "starting configuration")).rowcount
    run = get(run_id)
    if not claimed:
        return run
    params = run.params
    try:
        trust_admin.onboard(
            slug=params["slug"], display_name=params["display_name"],
            hosts=params.get("hosts") or (), contact_email=params.get("contact_email"),
            contact_phone=params.get("contact_phone"), actor=run.requested_by, ip=run.ip,
            extra_steps=(invite_lead_step(params["lead_email"], run_id=run_id),))
    except trust_admin.OnboardingError as exc:
        _finish(run, "failed", error=str(exc))
    except Exception as exc:
        _finish(run, "failed", error=f"onboarding failed and was rolled back: "
                                     f"{type(exc).__name__}")
    else:
        _finish(run, "succeeded")
    return get(run_id)


def _finish(run: OnboardingRun, status: str, error: str | None = None) -> None:
    step = "Finished" if status == "succeeded" else "Stopped: nothing was created"
    _progress(run.id, status=status, error=error, step=step, finished_at=func.now())
    if status == "failed":
        with platform_session() as session, session.begin():
            trust_admin.record(session, actor=run.requested_by, action="trust.onboarding_failed",
                               target=run.slug, ip=run.ip,
                               detail={"run": run.id, "reason": (error or "")[:500]})


def invite_lead_step(lead_email: str, *, run_id: int | None = None):
    """An onboarding step inviting the first lead (the console's, the API's and the CLI's)."""
    def invite_first_lead(session: Session, tenant: Tenant) -> None:
        # The app factory hands over the trust's invite (tenants.coordinators.team.invite):
        # the platform core does not import the trust domains.
        invite = current_app.extensions["invite_coordinator"]
        if run_id is not None:
            _progress(run_id, step="Inviting the first lead coordinator")
        session.info["tenant"] = tenant  # what the tenant services expect of a session
        with _request_for(tenant):
            # team.invite writes the coordinator (no password) and the hashed, single-use
            # invitation in this onboarding transaction, and is the one call site of the
            # invitation e-mail (team.send_invitation).
            invite(session, email=lead_email, display_name="Lead coordinator",
                        role="lead", invited_by=None)

    return invite_first_lead


@contextmanager
def _request_for(tenant: Tenant):
    """The invitation link is an absolute URL inside the new trust: a job has no request, so
    it gets one on PUBLIC_URL; in a request (the API) only the tenant is swapped in."""
    request = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config.get("PUBLIC_URL") or "http://localhost")
    with request:
        previous = g.pop("tenant", None)
        g.tenant = tenant
        try:
            yield
        finally:
            g.tenant = previous
            if previous is None:
                g.pop("tenant")
