"""Paper, e-mail and phone EOIs entered by a coordinator; duplicate applicants merged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.workspace.entry import similar_names
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application

ANSWERS = {"lived_experience.answer": "yes", "available_all_training_days.answer": "yes",
           "willing_to_share_experience.answer": "yes"}


def test_a_coordinator_enters_a_paper_eoi_with_channel_author_and_consent(app, trust, lead):
    client, coordinator_id = lead
    cohort = create_cohort(app, trust, name="Paper intake")
    url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/new"
    form = {"name": "Pat Paper", "email": "pat.paper@applicant.example", "channel": "paper",
            **ANSWERS}
    no_consent = post_form(client, url, form)
    text = no_consent.get_data(as_text=True)
    assert no_consent.status_code == 400 and "Confirm the applicant agreed" in text
    assert "pat.paper@applicant.example" in text  # nothing typed is lost
    done = post_form(client, url, {**form, "consent": "yes"})
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    with tenant_context(trust, app):
        application = db.session.scalars(select(Application).join(Applicant).where(
            Applicant.email == "pat.paper@applicant.example")).one()
        assert application.channel == "paper" and application.consent_recorded
        assert str(coordinator_id) in application.entered_by
        assert application.stage == "eligibility_checked"


def test_duplicates_by_phone_or_name_are_shown_and_merged(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Duplicate intake")
    other_cohort = create_cohort(app, trust, name="Earlier intake")
    keep = make_application(app, trust, cohort, name="Casey  Double",
                            email="casey@applicant.example")
    twin = make_application(app, trust, other_cohort, name="casey double",
                            email="casey.d@applicant.example")
    unrelated = make_application(app, trust, cohort, name="Someone Else")
    make_application(app, trust, other_cohort, name="Kasey Double",
                     email="kasey@applicant.example")
    page_url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{keep}"
    page = client.get(page_url).get_data(as_text=True)
    assert "casey.d@applicant.example" in page and "Someone Else" not in page
    assert "kasey@applicant.example" in page  # a similar name, not only the same one
    with tenant_context(trust, app):
        twin_applicant = db.session.get(Application, twin).applicant_id
        unrelated_applicant = db.session.get(Application, unrelated).applicant_id
    assert post_form(client, page_url + "/merge", {"duplicate_id": unrelated_applicant},
                     form_page=page_url).status_code == 404
    merged = post_form(client, page_url + "/merge", {"duplicate_id": twin_applicant},
                       form_page=page_url)
    assert merged.status_code == 302
    with tenant_context(trust, app):
        assert db.session.get(Applicant, twin_applicant) is None
        assert db.session.get(Application, twin).applicant_id == \
            db.session.get(Application, keep).applicant_id


def test_the_same_phone_number_written_another_way_is_a_possible_duplicate(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Phone intake")
    keep = make_application(app, trust, cohort, name="Jordan Field", phone="07700 900123",
                            email="jordan@applicant.example")
    make_application(app, trust, cohort, name="Robin Ash", phone="+44 7700-900 123",
                     email="robin@applicant.example")
    make_application(app, trust, cohort, name="Alex Birch", phone="07700 900999",
                     email="alex@applicant.example")
    page = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{keep}")
    body = page.get_data(as_text=True)
    assert "robin@applicant.example" in body and "alex@applicant.example" not in body


@pytest.mark.parametrize(("one", "other", "alike"), [
    ("Sam Okafor", "Samantha Okafor", True),
    ("Jon Price", "john  price", True),
    ("Catherine Hale", "Katherine Hale", True),
    ("Sam Okafor", "Sam Okafor-Reid", False),
    ("Sam Okafor", "Alex Okafor", False),
    ("Priya", "Priya", True),
])
def test_similar_names_are_the_same_surname_and_alike_first_names(one, other, alike):
    assert similar_names(one, other) is alike
    assert similar_names(other, one) is alike
