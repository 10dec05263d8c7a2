"""A lead writes the trust's own page: its blocks, crisis lines and consented stories; the
public page shows them escaped, and a withdrawn story leaves it at once."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.trustpage import service
from tests.dp_support import csrf_token, onboard_with_staff, signed_in_client

HOSTILE = "<script>alert(1)</script>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SETTINGS = "/coordinator/settings"


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_staff(app, "page", display_name="Page Test NHS Trust")


def _post(client, path: str, data: dict, *, form_on: str | None = None, **kwargs):
    """POST `data` to `path`, with the CSRF token of the page the form is on."""
    token = csrf_token(client, form_on or path)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def _blocks(**changes) -> dict:
    return {"about": "About us.\n\nA second paragraph.", "who_for": "People with lived "
            "experience.", "after_applying": "An informal one-to-one interview.",
            "postal_address": "Programme team\n1 Example Street\nExampletown EX1 1AA",
            "postal_deadline-day": "20", "postal_deadline-month": "6",
            "postal_deadline-year": "2030", "places_limited": "yes", "course_is_free": "no",
            "disability_confident": "yes", "contact_role": "Peer Support Worker Lead",
            **changes}


def test_blocks_a_lead_writes_appear_on_the_public_page_escaped(app, trust):
    lead = signed_in_client(app, trust, "lead")
    response = _post(lead, f"/trusts/{trust.slug}{SETTINGS}/trust-page",
                     _blocks(about=f"About us {HOSTILE}\n\nA second paragraph."))
    assert response.status_code == 302
    public = app.test_client().get(f"/trusts/{trust.slug}/").get_data(as_text=True)
    assert HOSTILE not in public and "About us &lt;script&gt;" in public
    assert "<p>A second paragraph.</p>" in public
    assert "Places are limited." in public and "Free training" not in public
    assert "Exampletown EX1 1AA" in public and "Thursday 20 June 2030" in public
    assert "An informal one-to-one interview." in public
    assert "Ask for the Peer Support Worker Lead." in public
    assert "is a Disability Confident employer" in public


def test_a_trust_that_is_not_disability_confident_says_nothing_of_it(app, trust):
    lead = signed_in_client(app, trust, "lead")
    _post(lead, f"/trusts/{trust.slug}{SETTINGS}/trust-page",
          _blocks(disability_confident="no", course_is_free="yes"))
    public = app.test_client().get(f"/trusts/{trust.slug}/").get_data(as_text=True)
    assert "Disability Confident employer" not in public and "Free training" in public
    with tenant_context(trust, app):
        assert service.is_disability_confident_employer(db.session) is False
    _post(lead, f"/trusts/{trust.slug}{SETTINGS}/trust-page", _blocks())


def test_bad_blocks_get_an_error_summary_and_keep_what_was_typed(app, trust):
    lead = signed_in_client(app, trust, "lead")
    response = _post(lead, f"/trusts/{trust.slug}{SETTINGS}/trust-page",
                     _blocks(postal_address="", places_limited="maybe",
                             about="Kept text", **{"postal_deadline-day": "40"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body
    assert "<title>Error: " in body and "Kept text</textarea>" in body
    assert "Select yes or no" in body and 'href="#postal_deadline-day"' in body


def test_only_a_lead_edits_the_trust_page(app, trust):
    coordinator = signed_in_client(app, trust, "coordinator")
    for page in ("trust-page", "crisis-lines", "stories"):
        assert coordinator.get(f"/trusts/{trust.slug}{SETTINGS}/{page}").status_code == 403


def test_the_settings_index_links_a_lead_to_the_new_pages(app, trust):
    lead = signed_in_client(app, trust, "lead")
    index = lead.get(f"/trusts/{trust.slug}{SETTINGS}/").get_data(as_text=True)
    for page in ("trust-page", "crisis-lines", "stories"):
        assert f"{SETTINGS}/{page}" in index


def test_a_lead_adds_and_removes_crisis_lines_and_applicants_see_them(app, trust):
    lead = signed_in_client(app, trust, "lead")
    path = f"/trusts/{trust.slug}{SETTINGS}/crisis-lines"
    response = _post(lead, path, {"name": f"First Response {HOSTILE}", "phone": "0808 196 3494",
                                  "description": "Open 24 hours, every day"})
    assert response.status_code == 302
    for page in ("/", "/help-in-a-crisis"):
        body = app.test_client().get(f"/trusts/{trust.slug}{page}").get_data(as_text=True)
        assert "First Response &lt;script&gt;" in body and HOSTILE not in body
    bad = _post(lead, path, {"name": "", "phone": "call us", "description": ""})
    assert bad.status_code == 400 and "There is a problem" in bad.get_data(as_text=True)
    with tenant_context(trust, app):
        from tenants.applications import crisis

        ids = [line.id for line in crisis.own_lines(db.session)]
    for line_id in ids[:-1]:
        assert _post(lead, f"{path}/{line_id}/remove", {}, form_on=path).status_code == 302
    last = _post(lead, f"{path}/{ids[-1]}/remove", {}, form_on=path)
    assert last.status_code == 400 and "Keep at least one crisis line" in last.get_data(
        as_text=True)


def _story(**changes) -> dict:
    return {"role_title": "Peer support worker in a community team",
            "body": "Training gave me my confidence back.", "consent_given_on-day": "1",
            "consent_given_on-month": "9", "consent_given_on-year": "2026",
            "photo_alt": "A person smiling in a garden", **changes}


def test_a_consented_story_shows_with_its_photo_and_withdrawing_hides_it_at_once(app, trust):
    lead = signed_in_client(app, trust, "lead")
    path = f"/trusts/{trust.slug}{SETTINGS}/stories"
    response = _post(lead, path, {**_story(), "photo": (io.BytesIO(PNG), "me.png")},
                     content_type="multipart/form-data")
    assert response.status_code == 302
    with tenant_context(trust, app):
        story = service.shown_stories(db.session)[0]
        assert story.consent_given_on == dt.date(2026, 9, 1) and story.photo_type == "image/png"
    public = app.test_client()
    home = public.get(f"/trusts/{trust.slug}/").get_data(as_text=True)
    assert "Training gave me my confidence back." in home
    assert 'alt="A person smiling in a garden"' in home
    photo = public.get(f"/trusts/{trust.slug}/stories/{story.id}/photo")
    assert photo.status_code == 200 and photo.data == PNG and photo.mimetype == "image/png"

    assert _post(lead, f"{path}/{story.id}/withdraw", {}, form_on=path).status_code == 302
    home = public.get(f"/trusts/{trust.slug}/").get_data(as_text=True)
    assert "Training gave me my confidence back." not in home
    assert public.get(f"/trusts/{trust.slug}/stories/{story.id}/photo").status_code == 404
    assert "Withdrawn" in lead.get(path).get_data(as_text=True)


@pytest.mark.parametrize(("upload", "alt", "message"), [
    ((b"GIF89a" + b"\x00" * 20, "x.png"), "A photo", "must be a JPEG or PNG"),
    ((PNG + b"\x00" * (service.PHOTO_MAX_BYTES + 1), "big.png"), "A photo", "smaller than"),
    ((PNG, "me.png"), "", "Describe the photo"),
])
def test_a_bad_photo_gets_an_error_summary_and_saves_nothing(app, trust, upload, alt, message):
    lead = signed_in_client(app, trust, "lead")
    path = f"/trusts/{trust.slug}{SETTINGS}/stories"
    with tenant_context(trust, app):
        before = len(service.stories(db.session))
    data, name = upload
    response = _post(lead, path, {**_story(photo_alt=alt, body="Kept story"),
                                  "photo": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body and message in body
    assert "Kept story</textarea>" in body
    with tenant_context(trust, app):
        assert len(service.stories(db.session)) == before


def test_past_cohorts_stay_on_the_page_in_order(app, trust):
    from tenants.cohorts import service as cohorts

    today = dt.date.today()
    with tenant_context(trust, app):
        course = cohorts.courses(db.session)[0]
        for starts, name in ((today - dt.timedelta(days=300), "Past"),
                             (today + dt.timedelta(days=120), "Next")):
            cohorts.save_cohort(db.session, {
                "course_id": course.id, "name": name, "capacity": 10,
                "eoi_opens_on": starts - dt.timedelta(days=60),
                "eoi_closes_on": starts - dt.timedelta(days=30), "starts_on": starts})
        db.session.commit()
    home = app.test_client().get(f"/trusts/{trust.slug}/").get_data(as_text=True)
    past, later = today - dt.timedelta(days=300), today + dt.timedelta(days=120)
    assert f"Our first programme started in {past:%B %Y}" in home
    assert f"Our second programme starts in {later:%B %Y}" in home
