"""/dev/mailbox answers only on loopback, in development or tests, without a mail provider."""

from __future__ import annotations

from peerpath.config import load_config
from peerpath.devmailbox import enabled


def test_the_mailbox_answers_a_browser_on_this_machine(client):
    assert client.get("/dev/mailbox").status_code == 200


def test_the_mailbox_is_a_404_from_another_address(client):
    response = client.get("/dev/mailbox", environ_overrides={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 404


def test_the_mailbox_is_a_404_once_a_mail_provider_is_set(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://mail.example:587")
    assert client.get("/dev/mailbox").status_code == 404


def test_the_mailbox_is_never_enabled_in_production():
    env = {"PEERPATH_ENV": "production", "DATABASE_URL": "postgresql://o:pw@db/pp",
           "REDIS_URL": "redis://r/0", "SECRET_KEY": "k" * 40,
           "APP_DATABASE_URL": "postgresql://peerpath_app:x@db/pp",
           "PEERPATH_PUBLIC_URL": "https://peerpath.example",
           "PEERPATH_DATA_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}

    class App:
        config = load_config(env)

    assert not enabled(App)
