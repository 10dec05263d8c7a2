"""Names with line breaks are refused: they reach e-mail headers, letters and CSV rows."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.onboarding import NewTrust, validate_new_trust
from tenants.applications.schemas import YourDetailsSchema
from tenants.coordinators.schemas import InviteSchema
from tenants.infosessions import service as dropins
from tests.applications.helpers import create_cohort, onboard_trust, post_form
from tests.config.conftest import post_form as post_coordinator_form

BROKEN = ["Sam\r\nBcc: someone@evil.example", "Sam\nExample", "Sam\u2028Example"]


@pytest.mark.parametrize("name", BROKEN)
def test_the_schemas_refuse_a_name_with_a_line_break(name):
    assert "name" in YourDetailsSchema().validate({"name": name, "email": "a@b.example"})
    assert "display_name" in InviteSchema().validate(
        {"display_name": name, "email": "a@b.example", "role": "panel"})
    assert any("one line" in p for p in validate_new_trust(NewTrust(slug="wessex",
                                                                   display_name=name)))


def test_the_apply_and_drop_in_forms_show_an_error_for_a_two_line_name(app):
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context

    tenant = onboard_trust(app, "lines", "Lines NHS Trust")
    cohort_id = create_cohort(app, tenant)
    client = app.test_client()
    details = post_form(client, f"/trusts/{tenant.slug}/apply/{cohort_id}/your-details",
                        {"name": BROKEN[0], "email": "lines@applicant.example"})
    assert details.status_code == 400
    assert "Write the name on one line" in details.get_data(as_text=True)
    with tenant_context(tenant, app):
        saved = dropins.save_session(db.session, {
            "title": "Drop-in", "on_date": dt.date.today() + dt.timedelta(days=5),
            "starts_at": dt.time(10), "ends_at": dt.time(11), "place": "Room 1",
            "online_url": None, "capacity": 3, "access_notes": None})
        db.session.commit()
    booking = post_coordinator_form(client, f"/trusts/{tenant.slug}/drop-ins/{saved.id}/book",
                                    {"name": BROKEN[1], "email": "lines@applicant.example"})
    assert booking.status_code == 400
    assert "There is a problem" in booking.get_data(as_text=True)
