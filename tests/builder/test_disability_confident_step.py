"""The EOI asks the Disability Confident (guaranteed interview) question only at a trust
that says on its page that it is a Disability Confident employer."""

from __future__ import annotations

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.trustpage.service import save_page
from tests.applications.helpers import ELIGIBLE_ANSWERS, post_form, start_application


def _say(app, trust, disability_confident: bool) -> None:
    with tenant_context(trust, app):
        save_page(db.session, {"disability_confident": disability_confident}, actor="test")
        db.session.commit()


def _walk(client, trust) -> str:
    """Answer the trust's questions; the Location of the step after the last one."""
    steps = f"/trusts/{trust.slug}/apply/step/"
    for key, value in ELIGIBLE_ANSWERS.items():
        response = post_form(client, steps + key, {"answer": value})
    return response.headers["Location"]


def test_a_trust_that_is_not_disability_confident_does_not_ask(app, trust, cohort_id, client):
    _say(app, trust, False)
    start_application(client, trust, cohort_id)
    assert _walk(client, trust).endswith("/apply/step/communication-needs")
    assert client.get(f"/trusts/{trust.slug}/apply/step/disability-confident"
                      ).status_code == 404
    back = client.get(f"/trusts/{trust.slug}/apply/step/communication-needs"
                      ).get_data(as_text=True)
    assert f"/trusts/{trust.slug}/apply/step/willing_to_share_experience" in back
    check = client.get(f"/trusts/{trust.slug}/apply/check-your-answers")
    assert check.status_code == 200 and "Your answers" in check.get_data(as_text=True)
    assert "Disability Confident" not in check.get_data(as_text=True)


def test_a_disability_confident_trust_asks(app, trust, cohort_id, client):
    _say(app, trust, True)
    start_application(client, trust, cohort_id)
    assert _walk(client, trust).endswith("/apply/step/disability-confident")
    page = client.get(f"/trusts/{trust.slug}/apply/step/disability-confident")
    assert "Disability Confident employer" in page.get_data(as_text=True)
    check = client.get(f"/trusts/{trust.slug}/apply/check-your-answers").get_data(as_text=True)
    assert "Disability Confident scheme" in check
