"""What an offboarding export holds: what the controller needs, never credentials or keys.

The trust gets its applicants' data (sensitive columns decrypted with its own key, which
the export is the last use of), its configuration and its audit log. Credentials and keys
stay behind: the wrapped data key, password hashes, sealed two-factor and provider
secrets, and the hashes of recovery codes, sign-in links, invitations and API tokens.
tests/security/test_offboarding_export.py fails when a new column looks like a secret and
is in neither list below, so each new one is decided on purpose.
"""

from __future__ import annotations

import json

from sqlalchemy import MetaData

from peerpath.crypto import EncryptedText, decrypt_field
from peerpath.tenancy import Tenant

# Tables that hold nothing but credentials or keys.
CREDENTIAL_TABLES = frozenset({"data_keys", "coordinator_recovery_codes",
                               "applicant_sign_in_links"})
# Credential columns of tables that are otherwise the trust's records.
CREDENTIAL_COLUMNS = {
    "coordinators": {"password_hash", "totp_secret"},
    "coordinator_invitations": {"token_hash"},
    "api_tokens": {"secret_hash"},
    "notification_settings": {"notify_api_key_sealed", "callback_token_hash"},
    "notification_outbox": {"claim_token"},
}
# Columns whose names look like secrets but are not (reviewed).
NOT_SECRETS = {("coordinators", "totp_enrolled_at"), ("interview_criteria", "key"),
               ("notification_templates", "key"), ("notification_outbox", "template_key"),
               ("decision_reasons", "key"), ("conditions", "key")}


def exported_columns(table: str, columns: list[str]) -> list[str]:
    dropped = CREDENTIAL_COLUMNS.get(table, set())
    return [c for c in columns if c not in dropped]


def encrypted_columns(metadata: MetaData) -> dict[tuple[str, str], tuple[str, bool]]:
    """(table, column) -> (the purpose its ciphertext is bound to, whether it holds JSON:
    a type wrapping EncryptedText, e.g. tenants.applications.sensitive.SensitiveJSON)."""
    found = {}
    for table in metadata.tables.values():
        for column in table.columns:
            kind = column.type
            if isinstance(kind, EncryptedText):
                found[(table.name, column.name)] = (kind.purpose, False)
            elif isinstance(getattr(kind, "impl_instance", None), EncryptedText):
                found[(table.name, column.name)] = (kind.impl_instance.purpose, True)
    return found


def readable_row(tenant: Tenant, table: str, row: dict,
                 encrypted: dict[tuple[str, str], tuple[str, bool]]) -> dict:
    """The row with each encrypted value decrypted (JSON documents parsed back)."""
    out = dict(row)
    for column, value in row.items():
        if (table, column) not in encrypted or value is None:
            continue
        purpose, is_json = encrypted[(table, column)]
        plain = decrypt_field(tenant, value, purpose)
        out[column] = json.loads(plain) if is_json else plain
    return out
