"""The people a page benchmark needs: a cohort with many applications, a coordinator signed
in with two-factor, an applicant with an EOI in progress. Each is a cookie made with the
app's test client; the gunicorn servers share the app's secret key and Redis, so the same
cookie signs the benchmark's HTTP requests in."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import select

PASSWORD = "bench horse battery staple"


def cohort_id_of(app, slug: str) -> int:
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context
    from tenants.cohorts.models import Cohort

    with tenant_context(slug, app):
        return db.session.scalars(select(Cohort.id).order_by(Cohort.id)).first()


def add_applications(app, slug: str, cohort_id: int, count: int) -> None:
    """`count` submitted EOIs with their history, written in batches."""
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context
    from tenants.applications.models import Applicant, Application, ApplicationEvent

    stages = ("eoi_submitted", "eligibility_checked", "shortlisted")
    for start in range(0, count, 250):
        numbers = range(start, min(count, start + 250))
        with tenant_context(slug, app):
            applicants = [Applicant(email=f"bench-{n}@applicant.example", name=f"Person {n:04d}",
                                    communication_needs={"easy_read": n % 5 == 0})
                          for n in numbers]
            db.session.add_all(applicants)
            db.session.flush()
            applications = [Application(
                applicant_id=applicant.id, cohort_id=cohort_id, reference=f"PSW-B{n:06d}",
                stage=stages[n % 3], answers={"lived_experience": True},
                eligibility_outcome="eligible", disability_confident=n % 7 == 0,
                eligibility_results=[{"key": "lived_experience", "outcome": "pass",
                                      "reason": "Has lived experience"}],
                submitted_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=n % 9))
                for n, applicant in zip(numbers, applicants, strict=True)]
            db.session.add_all(applications)
            db.session.flush()
            db.session.add_all(ApplicationEvent(application_id=application.id, actor="bench",
                                                from_stage=None, to_stage=stage)
                               for n, application in zip(numbers, applications, strict=True)
                               for stage in stages[:n % 3 + 1])
            db.session.commit()


def _csrf(response) -> str:
    match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"',
                      response.get_data(as_text=True))
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _post(client, path: str, data: dict):
    page = client.get(path)
    response = client.post(path, data={**data, "csrf_token": _csrf(page)})
    assert response.status_code == 302, (path, response.status_code)
    return response


def _cookie(app, client) -> str:
    name = app.config["SESSION_COOKIE_NAME"]
    return f"{name}={client.get_cookie(name).value}"


def coordinator_cookie(app, slug: str) -> str:
    """A lead coordinator of `slug`, signed in (password, then a TOTP code)."""
    import pyotp

    from peerpath import twofactor
    from peerpath.auth import hash_password
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context
    from tenants.coordinators.service import create_coordinator

    email, secret = f"lead-{secrets.token_hex(4)}@trust.example", twofactor.new_secret()
    with tenant_context(slug, app):
        coordinator = create_coordinator(db.session, email=email, display_name="Lead",
                                         role="lead", totp_secret=secret)
        coordinator.password_hash = hash_password(PASSWORD)
        db.session.commit()
    client = app.test_client()
    base = f"/trusts/{slug}/coordinator/sign-in"
    _post(client, base, {"email": email, "password": PASSWORD})
    _post(client, base + "/two-factor", {"code": pyotp.TOTP(secret).now()})
    return _cookie(app, client)


def applicant_cookie(app, slug: str, cohort_id: int) -> tuple[str, str]:
    """An applicant who has given their details: (cookie, path of their first question)."""
    client = app.test_client()
    response = _post(client, f"/trusts/{slug}/apply/{cohort_id}/your-details",
                     {"name": "Bench Applicant",
                      "email": f"applicant-{secrets.token_hex(4)}@applicant.example"})
    return _cookie(app, client), response.headers["Location"]
