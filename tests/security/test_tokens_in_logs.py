"""No token reaches a log: a full journey over HTTP against gunicorn and `peerpath worker` as
`make run` starts them, then every token the messages carried is looked for in gunicorn's
access log, its error log, the app's own log and the worker's log.

The journey: an applicant applies, comes back through a "continue" link and signs in with
an e-mailed link; a lead coordinator invites a colleague, who sets a password from the
invitation link; someone books a drop-in place, opens the booking link from the message on
another device and cancels. Every link is opened the way a browser does (the first GET is
exchanged for a token-free address: peerpath.grants).
"""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from urllib.parse import urljoin

import pyotp
import pytest
import requests
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.notifications.models import OutboxMessage
from tests.applications.helpers import ELIGIBLE_ANSWERS, create_cohort
from tests.noemail.helpers import new_drop_in
from tests.notifications.conftest import wait_for
from tests.security.live import (
    free_port,
    served_environment,
    start_web,
    start_worker,
    submit_form,
)
from tests.workspace.helpers import PASSWORD, make_coordinator

TOKEN_LINK = re.compile(r"https?://[^\s\"<>]+/(sign-in|invitation|booked|cancel)/([^/\s\"<>?#]+)")
PENDING = {"created", "sending", "temporary_failure"}
APPLICANT = "logs.applicant@applicant.example"
COLLEAGUE = "logs.colleague@trust.example"
DROP_IN = "logs.dropin@applicant.example"


@pytest.fixture(scope="module")
def journey(app, tmp_path_factory):
    """Serve, walk every journey, stop: (the trust, the log files, the mailbox folder)."""
    from tests.applications.helpers import onboard_trust

    folder = tmp_path_factory.mktemp("served")
    mailbox = folder / "mailbox"
    trust = onboard_trust(app, "logs", "Logs NHS Trust")
    cohort_id = create_cohort(app, trust, name="Logs intake")
    session_id = new_drop_in(app, trust)
    _, lead_email, lead_secret = make_coordinator(app, trust, "lead")
    port = free_port()
    env = served_environment(port, DEV_MAILBOX_DIR=str(mailbox), NOTIFY_SWEEP_SECONDS="1",
                             LOG_LEVEL="INFO")
    env.pop("SMTP_URL", None)
    web = start_web(port, env, folder)
    worker = start_worker(env, folder)
    base = f"http://127.0.0.1:{port}/trusts/{trust.slug}"
    try:
        walk = Walk(app, trust, base)
        walk.applicant(cohort_id)
        walk.invitation(lead_email, lead_secret)
        walk.drop_in(session_id)
        wait_for(lambda: not walk.due(), timeout=90)
    finally:
        web.stop()
        worker.stop()
    return trust, walk, folder, mailbox


class Walk:
    def __init__(self, app, trust, base: str):
        self.app, self.trust, self.base = app, trust, base

    def rows(self) -> list[OutboxMessage]:
        with tenant_context(self.trust, self.app):
            return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    def due(self) -> list[tuple[str, str]]:
        """Messages that should have gone by now and have not (reminders wait their day)."""
        now = dt.datetime.now(dt.UTC)
        return [(row.template_key, row.status) for row in self.rows()
                if row.status in PENDING and (row.next_attempt_at is None
                                              or row.next_attempt_at <= now)]

    def link(self, template: str, to: str, kind: str) -> str:
        def found():
            for row in reversed(self.rows()):
                if row.template_key == template and row.recipient_email == to:
                    match = TOKEN_LINK.search(row.body_text or "")
                    if match and match.group(1) == kind:
                        return match.group(0)
            return None
        return wait_for(found, timeout=10)

    def open(self, http: requests.Session, link: str) -> requests.Response:
        """Open a message's link as a browser does: one hop to a token-free page."""
        first = http.get(link, allow_redirects=False, timeout=30)
        assert first.status_code == 303, (first.status_code, first.text[:500])
        assert first.headers["Referrer-Policy"] == "no-referrer"
        token = link.rsplit("/", 1)[-1]
        assert token not in first.headers["Location"]
        page = http.get(urljoin(link, first.headers["Location"]), timeout=30)
        assert page.status_code == 200 and token not in page.text, page.text[:500]
        return page

    def applicant(self, cohort_id: int) -> None:
        http = requests.Session()
        details = f"{self.base}/apply/{cohort_id}/your-details"
        started = submit_form(http, details, {"name": "Logs Applicant", "email": APPLICANT})
        assert started.status_code == 302, started.text[:500]
        for key, value in ELIGIBLE_ANSWERS.items():
            answered = submit_form(http, f"{self.base}/apply/step/{key}", {"answer": value})
            assert answered.status_code == 302, answered.text[:500]
        for step, answers in (
                ("disability-confident", {"disability_confident": "no"}),
                ("communication-needs", {"easy_read": "no", "preferred_channel": "email",
                                         "texts_ok": "no"}),
                ("equality-monitoring", {"age_group": "25_34",
                                         "gender": "prefer_not_to_say"})):
            submit_form(http, f"{self.base}/apply/step/{step}", answers)
        sent = submit_form(http, f"{self.base}/apply/submit", {},
                           page=f"{self.base}/apply/check-your-answers")
        assert sent.status_code == 302, sent.text[:500]
        # Applying again from another browser: the "continue" link goes to their inbox.
        again = submit_form(requests.Session(), details,
                            {"name": "Logs Applicant", "email": APPLICANT})
        assert again.headers["Location"].endswith("/apply/link-sent")
        self.sign_in_with(requests.Session(), self.link("magic_sign_in_link", APPLICANT,
                                                        "sign-in"))
        asked = submit_form(http, f"{self.base}/account/sign-in", {"email": APPLICANT})
        assert asked.status_code == 302  # its message is written before this answer
        self.sign_in_with(http, self.link("magic_sign_in_link", APPLICANT, "sign-in"))
        assert "Your applications" in http.get(f"{self.base}/account/", timeout=30).text

    def sign_in_with(self, http: requests.Session, link: str) -> None:
        page = self.open(http, link)
        button = submit_form(http, page.url, {}, page=page.url)
        assert button.status_code == 302, button.text[:500]

    def invitation(self, lead_email: str, lead_secret: str) -> None:
        lead = requests.Session()
        signed = submit_form(lead, f"{self.base}/coordinator/sign-in",
                             {"email": lead_email, "password": PASSWORD})
        assert signed.status_code == 302, signed.text[:500]
        code = submit_form(lead, f"{self.base}/coordinator/sign-in/two-factor",
                           {"code": pyotp.TOTP(lead_secret).now()})
        assert code.status_code == 302, code.text[:500]
        invited = submit_form(lead, f"{self.base}/coordinator/team/invite",
                              {"display_name": "Logs Colleague", "email": COLLEAGUE,
                               "role": "coordinator"})
        assert invited.status_code == 302, invited.text[:500]
        colleague = requests.Session()
        page = self.open(colleague, self.link("coordinator_invitation", COLLEAGUE,
                                              "invitation"))
        chosen = submit_form(colleague, page.url, {"password": "a long passphrase for logs",
                                                   "password_again": "a long passphrase for logs"})
        assert chosen.headers["Location"].endswith("/sign-in/set-up-two-factor")

    def drop_in(self, session_id: int) -> None:
        booked = submit_form(requests.Session(), f"{self.base}/drop-ins/{session_id}/book",
                             {"name": "Logs Dropin", "email": DROP_IN})
        assert booked.status_code == 302, booked.text[:500]
        other_device = requests.Session()
        page = self.open(other_device, self.link("dropin_booking_confirmation", DROP_IN,
                                                 "booked"))
        cancel = re.search(r'href="([^"]+/your-booking/cancel)"', page.text).group(1)
        done = submit_form(other_device, urljoin(page.url, cancel), {})
        assert done.status_code == 200 and "Your place is cancelled" in done.text


def tokens_in(journey) -> dict[str, set[str]]:
    """Every token the trust's messages carried (outbox rows and the mailbox's files)."""
    _, walk, _, mailbox = journey
    texts = [row.body_text or "" for row in walk.rows()]
    texts += [row.body_html or "" for row in walk.rows()]
    for path in mailbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        # The journey's worker delivers every trust's due messages in this database, other
        # tests' too; only those to the journey's people are the journey's.
        if not {a.addr_spec for a in message["To"].addresses} & {APPLICANT, COLLEAGUE, DROP_IN}:
            continue
        texts += [part.get_content() for part in message.walk()
                  if part.get_content_type() in ("text/plain", "text/html")]
    found: dict[str, set[str]] = {}
    for text in texts:
        for kind, token in TOKEN_LINK.findall(text):
            found.setdefault(kind, set()).add(token)
    return found


def test_the_journey_issued_every_kind_of_token(journey):
    found = tokens_in(journey)
    assert len(found.get("sign-in", ())) == 2  # the "continue" link and the sign-in link
    assert found.get("invitation") and found.get("booked")


@pytest.mark.parametrize("log", ["access.log", "error.log", "worker.log"])
def test_no_token_reaches_a_log(journey, log):
    _, _, folder, _ = journey
    text = (folder / log).read_text(errors="replace")
    assert text.strip(), f"{log} is empty: the test would prove nothing"
    for kind, tokens in tokens_in(journey).items():
        for token in tokens:
            assert token not in text, f"a {kind} token is in {log}"


def test_the_logs_saw_the_journey(journey):
    """The access log has each link's first request (redacted); the error log holds the
    app's own JSON log (the URL rule, never the URL) and gunicorn's; the worker log the
    deliveries."""
    _, _, folder, _ = journey
    access = (folder / "access.log").read_text()
    for kind in ("sign-in", "invitation", "booked"):
        assert f"/{kind}/[redacted]" in access
    # ... and the token-free pages they lead to (the redaction spares nothing after a
    # sign-in/ segment, so /account/sign-in/link is logged as sign-in/[redacted] too).
    assert "GET /trusts/" in access and "/coordinator/invitation HTTP" in access
    assert "/drop-ins/your-booking HTTP" in access and "/your-booking/cancel HTTP" in access
    errors = (folder / "error.log").read_text()
    assert '"path_template": "/trusts/<trust_slug>/account/sign-in/<token>"' in errors
    assert "Booting worker" in errors
    assert "deliver" in (folder / "worker.log").read_text()
