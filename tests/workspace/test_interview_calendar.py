"""The interview's calendar file: one UID in the confirmation, the download and after moving
to another time, in Europe/London with its VTIMEZONE; cancelling tells the applicant with a
METHOD:CANCEL for that UID."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link, sign_in_link
from tests.config.test_calendar_files import attached, parsed, uids
from tests.workspace.helpers import make_application, stage_of
from tests.workspace.test_interviews import make_slots


def _sent(app, trust, application, template):
    with tenant_context(trust, app):
        return db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.related_id == str(application),
            OutboxMessage.template_key == template).order_by(OutboxMessage.id)).all()


def test_the_interview_keeps_one_uid_when_moved_and_its_cancel_names_it(app, trust):
    cohort = create_cohort(app, trust, name="Calendar intake")
    email = "calendar@applicant.example"
    application = make_application(app, trust, cohort, stage="interview_invited", email=email)
    first, second, _ = make_slots(app, trust, cohort)
    client = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(client, open_link(client, link), {}).status_code == 302
    url = f"/trusts/{trust.slug}/account/interviews/{application}"
    assert post_form(client, url, {"slot_id": str(first)}).status_code == 302
    [uid] = uids(parsed(client.get(url + "/interview.ics").data)).values()
    assert post_form(client, url, {"slot_id": str(second)}).status_code == 302
    moved = parsed(client.get(url + "/interview.ics").data)
    assert list(uids(moved).values()) == [uid]
    [event] = moved.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/London"
    confirmations = _sent(app, trust, application, "interview_confirmation")
    assert [list(uids(attached(m)).values()) for m in confirmations] == [[uid], [uid]]
    first_sequence = int(attached(confirmations[0]).walk("VEVENT")[0]["sequence"])
    post_form(client, url + "/cancel", {}, form_page=url)
    assert stage_of(app, trust, application) == "interview_invited"
    [cancelled] = _sent(app, trust, application, "interview_cancelled")
    cal = attached(cancelled)
    assert str(cal["method"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == uid and int(event["sequence"]) >= first_sequence
    # Going back to "interview invited" is told by the cancellation, not a second invitation.
    assert _sent(app, trust, application, "interview_invitation") == []
