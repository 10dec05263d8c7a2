"""Providers that hand a rendered outbox row to the outside world: SMTP, GOV.UK Notify,
and the local development mailbox.

A provider raises TemporaryFailure (try again later) or PermanentFailure (this address or
number will never work). Their reasons are codes, never the provider's text, which can echo
an address back.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import smtplib
import ssl
import time
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from tenants.notifications.templating import wrap_html

SMTP_POLICY = compat32.clone(linesep="\r\n")


class DeliveryFailure(Exception):
    permanent = False

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:300]


class TemporaryFailure(DeliveryFailure):
    pass


class PermanentFailure(DeliveryFailure):
    permanent = True


def message_id(slug: str, row_id: int, domain: str) -> str:
    """The same Message-ID on every attempt, so a receiving system can spot a repeat."""
    return f"<outbox-{row_id}.{slug}@{domain}>"


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def build_email(row, *, tenant, mail_from: str) -> Message:
    """The MIME message (compat32 classes: several times cheaper to build than EmailMessage)."""
    domain = mail_from.rsplit("@", 1)[-1]
    body = MIMEText(row.body_text, "plain", "utf-8")
    if row.body_html:
        body = MIMEMultipart("alternative", _subparts=[
            body, MIMEText(wrap_html(row.body_html, row.subject or ""), "html", "utf-8")])
    msg = body
    if row.attachments:
        msg = MIMEMultipart("mixed", _subparts=[body])
        for item in row.attachments:
            maintype, _, subtype = item["content_type"].partition("/")
            part = MIMEBase(maintype, subtype or "octet-stream")
            part.set_payload(base64.b64decode(item["content_b64"]))
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=item["filename"])
            msg.attach(part)
    msg["From"] = formataddr((tenant.display_name, mail_from))
    msg["To"] = row.recipient_email
    if tenant.contact_email:
        msg["Reply-To"] = tenant.contact_email
    msg["Subject"] = _header(row.subject or "")
    # An aware datetime gives "+0000"; formatdate(localtime=False) writes "-0000", which
    # RFC 5322 reserves for "local time unknown" and some clients show as a warning.
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = message_id(tenant.slug, row.id, domain)
    return msg


class SmtpSender:
    """One SMTP connection reused for a whole batch (opened on first use)."""

    name = "smtp"

    def __init__(self, url: str, tenant, mail_from: str, timeout: float = 30):
        self.url, self.tenant, self.mail_from, self.timeout = urlsplit(url), tenant, mail_from, \
            timeout
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        url = self.url
        host, secure = url.hostname or "localhost", url.scheme == "smtps"
        port = url.port or (465 if secure else 25)
        if secure:
            conn = smtplib.SMTP_SSL(host, port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(host, port, timeout=self.timeout)
            if url.query == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if url.username:
            conn.login(unquote(url.username), unquote(url.password or ""))
        return conn

    def send(self, row) -> str:
        msg = build_email(row, tenant=self.tenant, mail_from=self.mail_from)
        for attempt in (1, 2):  # a reused connection may have been closed by the server
            try:
                if self.conn is None:
                    self.conn = self._connect()
                self.conn.sendmail(self.mail_from, [row.recipient_email],
                                  msg.as_bytes(policy=SMTP_POLICY))
                return msg["Message-ID"]
            except smtplib.SMTPRecipientsRefused as exc:
                code = next(iter(exc.recipients.values()))[0]
                raise _smtp_failure(code) from None
            except smtplib.SMTPResponseException as exc:
                self.close()
                raise _smtp_failure(exc.smtp_code) from None
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self.close()
                if attempt == 2:
                    raise TemporaryFailure(f"SMTP connection: {type(exc).__name__}") from None
        raise TemporaryFailure("SMTP connection")  # pragma: no cover

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
            self.conn = None


def _smtp_failure(code: int) -> DeliveryFailure:
    if 500 <= code < 600:
        return PermanentFailure(f"SMTP {code}")
    return TemporaryFailure(f"SMTP {code}")


class NotifySender:
    """GOV.UK Notify with the trust's own API key and its 'body' templates."""

    name = "notify"

    def __init__(self, api_key: str, base_url: str, email_template: str | None,
                 sms_template: str | None):
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=15)
        self.email_template, self.sms_template = email_template, sms_template

    def send(self, row) -> str:
        try:
            if row.channel == "sms":
                if not self.sms_template:
                    raise PermanentFailure("no Notify SMS template set")
                reply = self.client.send_sms_notification(
                    row.recipient_phone, self.sms_template,
                    personalisation={"body": row.sms_text}, reference=str(row.id))
            else:
                if not self.email_template:
                    raise PermanentFailure("no Notify email template set")
                reply = self.client.send_email_notification(
                    row.recipient_email, self.email_template,
                    personalisation={"subject": row.subject, "body": row.body_text},
                    reference=str(row.id))
        except APIError as exc:
            status = exc.status_code
            if status == 400:
                raise PermanentFailure("Notify 400 (address, number or template)") from None
            raise TemporaryFailure(f"Notify {status}") from None
        except requests.RequestException as exc:
            raise TemporaryFailure(f"Notify connection: {type(exc).__name__}") from None
        return str(reply.get("id", ""))[:100]

    def close(self) -> None:
        self.client.request_session.close()


class DevMailboxSender:
    """Development only: keeps each message as a file that /dev/mailbox shows."""

    name = "devmailbox"

    def __init__(self, directory: str, tenant, mail_from: str):
        self.directory, self.tenant, self.mail_from = Path(directory), tenant, mail_from

    def send(self, row) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = f"{time.time_ns()}-{self.tenant.slug}-{row.id}"
        if row.channel == "sms":
            (self.directory / f"{stem}.sms.json").write_text(json.dumps(
                {"trust": self.tenant.slug, "to": row.recipient_phone, "text": row.sms_text}))
        else:
            msg = build_email(row, tenant=self.tenant, mail_from=self.mail_from)
            (self.directory / f"{stem}.eml").write_bytes(msg.as_bytes())
        return stem

    def close(self) -> None:
        pass
