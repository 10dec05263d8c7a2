"""Steps for tests/test_message_promises.py: make the product send a message for a real
applicant in a real onboarded trust, read the outbox row it wrote, and follow the links it
carries the way the person would (the Flask test client, signing in through the e-mailed link
when the page needs it)."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.applications.service import transition
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.applications.helpers import open_link
from tests.config.test_public_page import text_of
from tests.workspace.helpers import make_application

URL = re.compile(r"https?://\S+")


@dataclasses.dataclass
class World:
    """One trust, its cohort with free interview slots, and a signed-in lead."""

    app: object
    trust: object
    cohort_id: int
    lead: object
    lead_email: str

    @property
    def base(self) -> str:
        return f"/trusts/{self.trust.slug}"

    @contextlib.contextmanager
    def inside(self):
        """A request (links are built from configuration) inside the trust's schema."""
        with self.app.test_request_context(), tenant_context(self.trust, self.app):
            yield


@dataclasses.dataclass
class Sent:
    """A message the product wrote to the outbox, and whom it is about."""

    row: OutboxMessage
    email: str | None = None
    application_id: int | None = None
    extra: dict = dataclasses.field(default_factory=dict)

    def links(self) -> list[str]:
        """The paths of every link in the message, in order."""
        return [urlsplit(url.rstrip(".,)")).path for url in URL.findall(self.row.body_text)]


def newest(world: World, template: str, **where) -> OutboxMessage:
    with tenant_context(world.trust, world.app):
        query = select(OutboxMessage).where(OutboxMessage.template_key == template)
        for column, value in where.items():
            query = query.where(getattr(OutboxMessage, column) == str(value))
        row = db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(1)).first()
        assert row is not None, f"the product sent no {template} message"
        db.session.expunge(row)
        return row


def count(world: World, template: str, **where) -> int:
    with tenant_context(world.trust, world.app):
        query = select(OutboxMessage).where(OutboxMessage.template_key == template)
        for column, value in where.items():
            query = query.where(getattr(OutboxMessage, column) == str(value))
        return len(db.session.scalars(query).all())


def applicant_at(world: World, stage: str, easy_read: bool, **kwargs) -> tuple[int, str]:
    """An application at `stage` whose applicant reads Easy Read or standard messages."""
    application_id = make_application(world.app, world.trust, world.cohort_id, stage=stage,
                                      **kwargs)
    with tenant_context(world.trust, world.app):
        application = db.session.get(Application, application_id)
        applicant = db.session.get(Applicant, application.applicant_id)
        applicant.communication_needs = {"easy_read": easy_read}
        db.session.commit()
        return application_id, applicant.email


def move(world: World, application_id: int, target: str, reason: str | None = None) -> None:
    """The one transition every path uses (tests/workspace/test_stage_change_paths.py)."""
    with world.inside():
        application = db.session.get(Application, application_id)
        transition(db.session, application, target, actor="coordinator:test", reason=reason)
        db.session.commit()


def sign_in_through(world: World, client, link: str, email: str):
    """Open `link`; if it asks the person to sign in, ask for a sign-in link by e-mail the
    way they would, use the link from that message, and land where it leads. Returns the
    page finally shown."""
    page = client.get(link)
    if page.status_code == 302:
        page = client.get(page.headers["Location"])
    if "/account/sign-in" not in page.request.path:
        return page
    asked = post_form(client, page.request.path, {"email": email})
    assert asked.status_code == 302, text_of(asked)[:500]
    with tenant_context(world.trust, world.app):
        applicant_id = db.session.scalars(select(Applicant.id).where(
            Applicant.email == email)).one()
    message = Sent(newest(world, "magic_sign_in_link", related_type="applicant",
                          related_id=applicant_id))
    landed = post_form(client, open_link(client, message.links()[0]), {})
    assert landed.status_code == 302, text_of(landed)[:500]
    return client.get(landed.headers["Location"])


def account_page(world: World, sent: Sent, client=None):
    """Follow the message's sign-in link to the applicant's account."""
    client = client or world.app.test_client()
    link = next(path for path in sent.links() if "/account/" in path)
    page = sign_in_through(world, client, link, sent.email)
    assert page.status_code == 200 and "Your applications" in text_of(page), text_of(page)[:500]
    return client, page


def calendar_method(row: OutboxMessage) -> str:
    """The METHOD of the message's .ics attachment (REQUEST adds, CANCEL takes out)."""
    files = [a for a in row.attachments if a["filename"].endswith(".ics")]
    assert len(files) == 1, "the message carries one calendar file"
    body = base64.b64decode(files[0]["content_b64"]).decode()
    return re.search(r"^METHOD:(\w+)", body, re.M).group(1)


def link_from(page, pattern: str) -> str:
    found = re.search(rf'href="([^"]*{pattern}[^"]*)"', page.get_data(as_text=True))
    assert found, f"the page links to {pattern}"
    return found.group(1)


def future(days: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days)
