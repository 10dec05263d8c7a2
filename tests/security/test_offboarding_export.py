"""The offboarding export holds what the controller needs and no credential or key: no
password hashes, sealed secrets, token or code hashes, no wrapped data key; sensitive
answers and notes are decrypted, so the trust can read them without PeerPath."""

from __future__ import annotations

import io
import json
import re

import psycopg
import pyotp
import pyzipper
from sqlalchemy import select

from peerpath.admin import export_content, offboarding
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants import load_models
from tenants.api_tokens import service as tokens
from tenants.applications.models import Application
from tenants.coordinators import team
from tenants.coordinators.service import create_coordinator
from tenants.workspace import service as workspace
from tests.applications.helpers import (
    answer_all,
    create_cohort,
    onboard_trust,
    start_application,
    submit,
)

NOTE = "Asked for a quiet room; lived experience of psychosis"
LOOKS_SECRET = re.compile(r"password|secret|token|hash|wrapped|key|sealed|totp|recovery", re.I)


def test_every_column_that_looks_like_a_secret_has_been_decided():
    undecided = []
    for table in load_models().sorted_tables:
        for column in table.columns:
            if not LOOKS_SECRET.search(column.name) or table.name in \
                    export_content.CREDENTIAL_TABLES:
                continue
            if column.name in export_content.CREDENTIAL_COLUMNS.get(table.name, ()) or \
                    (table.name, column.name) in export_content.NOT_SECRETS:
                continue
            undecided.append(f"{table.name}.{column.name}")
    assert undecided == [], "add to CREDENTIAL_COLUMNS or NOT_SECRETS in export_content"


def test_the_export_has_no_credentials_and_decrypted_answers(app, database_url):
    tenant = onboard_trust(app, "leave", "Leaving NHS Trust")
    cohort_id = create_cohort(app, tenant)
    client = app.test_client()
    start_application(client, tenant, cohort_id, email="leaver@applicant.example")
    answer_all(client, tenant)
    assert submit(client, tenant).status_code == 302
    with app.app_context(), tenant_context(tenant):
        lead = create_coordinator(db.session, email="lead@leave.example", display_name="Lead",
                                  role="lead", password="correct horse battery",
                                  totp_secret=pyotp.random_base32())
        tokens.issue(db.session, tenant, lead.id, "reports", "read")
        team.invite(db.session, email="new@leave.example", display_name="New",
                    role="panel", invited_by=lead.id)
        application = db.session.scalars(select(Application)).one()
        workspace.add_note(db.session, application, NOTE, actor="test")
        db.session.commit()
    with psycopg.connect(database_url) as owner:
        secrets = [v for (v,) in owner.execute(f"""
            SELECT password_hash FROM "{tenant.schema}".coordinators
                WHERE password_hash IS NOT NULL
            UNION ALL SELECT totp_secret FROM "{tenant.schema}".coordinators
                WHERE totp_secret IS NOT NULL
            UNION ALL SELECT secret_hash FROM "{tenant.schema}".api_tokens
            UNION ALL SELECT token_hash FROM "{tenant.schema}".coordinator_invitations
            UNION ALL SELECT encode(wrapped_key, 'base64') FROM "{tenant.schema}".data_keys
            """)]
    assert len(secrets) >= 5
    with app.app_context():
        data, manifest = offboarding.build_export(tenant.slug, "test-passphrase")
    archive = pyzipper.AESZipFile(io.BytesIO(data))
    archive.setpassword(b"test-passphrase")
    everything = "\n".join(archive.read(name).decode() for name in archive.namelist())
    for secret in secrets:
        assert secret.replace("\n", "").strip()[-40:] not in everything
    assert "pp1." not in everything  # no ciphertext the trust cannot read
    assert not {"data_keys", "coordinator_recovery_codes", "applicant_sign_in_links"} & set(
        manifest["tables"])
    coordinators = json.loads(archive.read("tables/coordinators.json"))
    assert "password_hash" not in coordinators[0] and "totp_secret" not in coordinators[0]
    notes = json.loads(archive.read("tables/application_notes.json"))
    assert notes[0]["body"] == NOTE
    applications = json.loads(archive.read("tables/applications.json"))
    assert applications[0]["answers"]["lived_experience"] is not None
    assert NOTE in archive.read("tables/application_notes.csv").decode()
