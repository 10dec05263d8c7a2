"""The coordinator's entry form for people without e-mail, the channel rule, and the
Letters and calls page (who may use it, the trust's address, one letter per page)."""

from __future__ import annotations

import re

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.eligibility.defaults import (
    default_questions_and_rules,
    leicestershire_questions_and_rules,
)
from tenants.eligibility.service import save_version
from tenants.notifications.models import ChannelSettings, OutboxMessage
from tenants.notifications.reach import label, reach_channel
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.noemail.helpers import ANSWERS, enter_eoi, entry_url, new_drop_in
from tests.workspace.helpers import signed_in_client

NO_TEXTS, TEXTS = ChannelSettings(sms_provider="none"), ChannelSettings(sms_provider="notify")


@pytest.mark.parametrize(("recipient", "settings", "expected"), [
    ({"email": "a@b.test", "address": "1 Road"}, NO_TEXTS, "email"),
    ({"email": "a@b.test", "phone": "07700900000", "sms_ok": True,
      "preferred_channel": "sms"}, TEXTS, "sms"),
    ({"phone": "07700900000", "sms_ok": True, "address": "1 Road"}, TEXTS, "sms"),
    ({"phone": "07700900000", "sms_ok": True, "address": "1 Road"}, NO_TEXTS, "letter"),
    ({"phone": "07700900000", "sms_ok": False}, TEXTS, "phone"),
    ({"phone": "07700900000", "sms_ok": True}, NO_TEXTS, "phone"),
    ({"address": "  "}, NO_TEXTS, None),
])
def test_each_person_is_reached_on_the_one_channel_that_works_for_them(recipient, settings,
                                                                        expected):
    assert reach_channel(recipient, settings) == expected
    assert label(expected) in ("Email", "Text message", "Letter", "Phone call",
                               "No way to reach them")


def test_a_message_with_no_text_wording_goes_by_letter_to_someone_who_gets_texts():
    person = {"phone": "07700900000", "sms_ok": True, "address": "1 Road"}
    assert reach_channel(person, TEXTS, template_has_text=False) == "letter"


def test_an_eoi_needs_some_way_to_reach_the_person_and_never_shows_none(app, postal_trust,
                                                                       postal_lead):
    client, _ = postal_lead
    cohort = create_cohort(app, postal_trust, name="Entry checks")
    url = entry_url(postal_trust, cohort)
    blank = client.get(url).get_data(as_text=True)
    assert 'value="None"' not in blank and ">None<" not in blank
    refused = post_form(client, url, {"name": "Nobody Known", "channel": "paper",
                                      "consent": "yes", **ANSWERS})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "<title>Error: " in text
    assert "There is a problem" in text
    assert "Enter an email address, a phone number or a postal address" in text
    assert 'value="None"' not in text and ">None<" not in text
    texts_without_phone = post_form(client, url, {"name": "Tex Ting", "texts_ok": "yes",
                                                  "channel": "phone", "consent": "yes",
                                                  **ANSWERS})
    assert "Enter the phone number to send text messages to" in \
        texts_without_phone.get_data(as_text=True)
    with tenant_context(postal_trust, app=app):
        assert db.session.scalar(db.select(db.func.count()).select_from(Application).where(
            Application.cohort_id == cohort)) == 0


def test_two_people_without_email_are_two_applicants_and_see_how_they_will_hear(
        app, postal_trust, postal_lead):
    client, _ = postal_lead
    cohort = create_cohort(app, postal_trust, name="Two without email")
    for name, contact in (("Ash Post", {"postal_address": "1 Road\nLE1 1AA"}),
                          ("Bo Call", {"phone": "07700 900111"})):
        done = post_form(client, entry_url(postal_trust, cohort),
                         {"name": name, "channel": "paper", "consent": "yes", **contact,
                          **ANSWERS})
        assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    with tenant_context(postal_trust, app=app):
        people = db.session.scalars(db.select(Applicant).join(Application).where(
            Application.cohort_id == cohort).order_by(Applicant.name)).all()
        assert [(p.name, p.email) for p in people] == [("Ash Post", None), ("Bo Call", None)]
    listing = client.get(f"/trusts/{postal_trust.slug}/coordinator/cohorts/{cohort}/"
                         "applications").get_data(as_text=True)
    assert "Reached by </span>Letter" in listing and "Reached by </span>Phone call" in listing
    with tenant_context(postal_trust, app=app):
        acknowledgements = dict(db.session.execute(
            db.select(Applicant.name, OutboxMessage.channel)
            .join(Application, Application.applicant_id == Applicant.id)
            .join(OutboxMessage, OutboxMessage.related_id == db.cast(Application.id, db.String))
            .where(Application.cohort_id == cohort, OutboxMessage.related_type == "application",
                   OutboxMessage.template_key == "eoi_acknowledgement")).all())
    assert acknowledgements == {"Ash Post": "letter", "Bo Call": "phone"}


def test_only_staff_who_act_use_letters_and_the_trust_address_is_checked(app, postal_trust,
                                                                          postal_lead):
    lead_client, _ = postal_lead
    base = f"/trusts/{postal_trust.slug}/coordinator"
    reader, _ = signed_in_client(app, postal_trust, "read_only")
    assert reader.get(base + "/letters").status_code == 403
    assert app.test_client().get(base + "/letters").status_code in (302, 401)
    home = lead_client.get(base + "/").get_data(as_text=True)
    assert re.search(r'href="[^"]*/coordinator/letters"', home)
    empty = post_form(lead_client, base + "/letters/trust-address", {"letter_address": "  "},
                      form_page=base + "/letters")
    text = empty.get_data(as_text=True)
    assert empty.status_code == 400 and "Enter the address letters come from" in text
    assert "<title>Error: " in text
    assert lead_client.get(base + "/letters/999999").status_code == 404


def test_the_drop_in_edit_form_shows_blank_fields_for_what_was_not_given(app, postal_trust,
                                                                       postal_lead):
    client, _ = postal_lead
    session_id = new_drop_in(app, postal_trust)  # no online link, no access notes
    page = client.get(f"/trusts/{postal_trust.slug}/coordinator/settings/drop-ins/"
                      f"{session_id}/edit").get_data(as_text=True)
    assert "Recovery College" in page
    assert 'value="None"' not in page and ">None<" not in page


def test_a_postal_duplicate_is_shown_without_an_email_and_erasure_removes_the_address(
        app, postal_trust, postal_lead):
    client, _ = postal_lead
    cohort = create_cohort(app, postal_trust, name="Postal duplicates")
    ids = [enter_eoi(client, postal_trust, cohort, name="Dee Double", channel="paper",
                     postal_address=f"{n} Mill Lane\nLE2 2BB") for n in (3, 4)]
    base = f"/trusts/{postal_trust.slug}/coordinator"
    page = client.get(f"{base}/cohorts/{cohort}/applications/{ids[0]}").get_data(as_text=True)
    assert 'id="duplicates"' in page and "Dee Double" in page
    assert "None" not in page.split('id="duplicates"')[1].split("</div>")[0]
    with tenant_context(postal_trust, app=app):
        application = db.session.get(Application, ids[0])
        reference, applicant_id = application.reference, application.applicant_id
    erase_page = f"{base}/subject-access/{reference}/erase"
    erased = post_form(client, erase_page, {"reason": "They asked us to", "confirm": "yes"})
    assert erased.status_code == 302, erased.get_data(as_text=True)[:2000]
    with tenant_context(postal_trust, app=app):
        assert db.session.get(Applicant, applicant_id).postal_address is None
        letters = db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.related_type == "application",
            OutboxMessage.related_id == str(ids[0]))).all()
        assert letters and all(m.recipient_address is None and m.status == "withdrawn"
                               for m in letters)


def test_long_answers_on_the_entry_form_start_empty_and_keep_what_was_typed(app, postal_lead,
                                                                           postal_trust):
    client, _ = postal_lead
    with tenant_context(postal_trust, app=app):
        questions, rules = leicestershire_questions_and_rules()
        save_version(db.session, questions, rules, publish=True)
        db.session.commit()
    try:
        url = entry_url(postal_trust, create_cohort(app, postal_trust, name="Long answers"))
        blank = client.get(url).get_data(as_text=True)
        assert "What do you understand peer support to be?" in blank
        assert ">None<" not in blank and 'value="None"' not in blank
        typed = post_form(client, url, {"name": "Sol Story", "channel": "paper",
                                        "understanding_of_peer_support.answer": "Mutual help"})
        text = typed.get_data(as_text=True)
        assert typed.status_code == 400 and ">Mutual help</textarea>" in text
        assert ">None<" not in text and 'value="None"' not in text
    finally:
        with tenant_context(postal_trust, app=app):
            questions, rules = default_questions_and_rules()
            save_version(db.session, questions, rules, publish=True)
            db.session.commit()
