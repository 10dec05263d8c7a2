"""Reading the reports page (a report's table as rows of cell texts) and filling a cohort
with many EOIs at once for the reports' statement counts."""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets

from sqlalchemy import insert

from peerpath.extensions import db
from tenants.applications.models import (
    Applicant,
    Application,
    ApplicationEvent,
    EqualityMonitoring,
)


def table_rows(response, key: str) -> list[list[str]]:
    """The body rows of the report table `key`, each a list of its cells' texts."""
    body = response.get_data(as_text=True)
    match = re.search(rf'<table class="nhsuk-table" id="table-{key}">(.*?)</table>', body, re.S)
    assert match, f"no table {key}"
    tbody = match.group(1).split("<tbody", 1)[1]
    return [[re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", cell))).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)]


def bulk_eois(app, trust, cohort_id: int, count: int, *, gender: str = "woman",
              columns=lambda n: {}) -> list[int]:
    """`count` sent EOIs at once (bulk inserts), each with its EOI event and equality answers;
    `columns(n)` adds to or overrides the n-th application's columns. Returns their ids;
    the caller commits."""
    token = secrets.token_hex(3)
    applicant_ids = db.session.scalars(insert(Applicant).returning(Applicant.id), [
        {"email": f"bulk-{token}-{n}@applicant.example", "name": f"Bulk {n}"}
        for n in range(count)]).all()
    ids = db.session.scalars(insert(Application).returning(Application.id), [
        {"applicant_id": a, "cohort_id": cohort_id, "reference": f"B{token}{n:05d}",
         "stage": "eoi_submitted", "submitted_at": dt.datetime.now(dt.UTC), **columns(n)}
        for n, a in enumerate(applicant_ids)]).all()
    db.session.execute(insert(ApplicationEvent), [
        {"application_id": a, "actor": "test", "to_stage": "eoi_submitted"} for a in ids])
    db.session.execute(insert(EqualityMonitoring), [
        {"application_id": a, "answers": {"gender": gender}} for a in ids])
    return ids
